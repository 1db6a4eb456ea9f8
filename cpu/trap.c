/*
 * trap.c - the Limited Direct Execution mechanism itself.
 *
 * cpu_take_trap() is what the hardware does on a system call, an exception
 * or an interrupt: save the interrupted context in a frame on the kernel
 * stack, switch to kernel mode with interrupts off, and jump to the handler
 * the kernel registered in the trap table.  cpu_return_from_trap() (rett)
 * undoes it from whatever frame is on the current kernel stack, which is
 * how a kernel that switched stacks resumes a different process.
 */
#include "cpu_private.h"

#include <stdio.h>

#include "bus.h"

void cpu_raise(struct cpu *cpu, enum isa_cause cause, uint32_t faddr)
{
    cpu->exc_pending = true;
    cpu->exc_cause = cause;
    cpu->exc_faddr = faddr;
}

void cpu_stop_machine(struct cpu *cpu, enum cpu_stop why, uint32_t code, const char *text)
{
    cpu->halted = true;
    cpu->halt_reason = why;
    cpu->halt_code = code;
    struct cpu_event ev = {
        .kind = CPU_EV_HALT, .cycle = cpu->cycle, .pc = cpu->pc, .code = code, .text = text};
    cpu_emit(cpu, &ev);
}

/* Can `len` bytes at physical `addr` be used as words of RAM? */
static bool cpu_ram_words_ok(const struct cpu *cpu, uint64_t addr, uint32_t len)
{
    return addr % 4 == 0 && addr + len <= cpu->ram_size;
}

/* Only faults about an address have a meaningful faddr. */
static bool cpu_cause_has_faddr(enum isa_cause cause)
{
    return cause == ISA_CAUSE_PROTECTION || cause == ISA_CAUSE_MISALIGNED;
}

/* The trap cannot be delivered: halt with a diagnostic line. */
static void cpu_double_fault(struct cpu *cpu, enum isa_cause cause, uint32_t faddr, const char *why,
                             uint32_t addr)
{
    const char *name = cpu_cause_name(cause);
    if (why != NULL)
        snprintf(cpu->diag, sizeof cpu->diag, "double fault: %s at pc 0x%08x: %s at 0x%08x", name,
                 cpu->pc, why, addr);
    else if (cpu_cause_has_faddr(cause))
        snprintf(cpu->diag, sizeof cpu->diag,
                 "double fault: %s at pc 0x%08x (faddr 0x%08x) in kernel mode with interrupts "
                 "off",
                 name, cpu->pc, faddr);
    else
        snprintf(cpu->diag, sizeof cpu->diag,
                 "double fault: %s at pc 0x%08x in kernel mode with interrupts off", name, cpu->pc);
    cpu_stop_machine(cpu, CPU_STOP_DOUBLE_FAULT, 0, cpu->diag);
}

/* Check that a trap with `cause` can be delivered; on success set the frame
 * address and the trap-table entry's address.  Otherwise halt with a
 * double fault and return false. */
static bool cpu_trap_deliverable(struct cpu *cpu, enum isa_cause cause, uint32_t faddr,
                                 uint32_t *frame, uint32_t *entry)
{
    uint32_t status = cpu->cr[ISA_CR_status];
    bool from_user = cpu_mode_of(status) == CPU_MODE_USER;

    /* An exception in kernel code that runs with interrupts off (a
     * handler, or boot) would overwrite the state being handled. */
    if (!isa_cause_is_interrupt(cause) && !from_user && !(status & ISA_STATUS_IE)) {
        cpu_double_fault(cpu, cause, faddr, NULL, 0);
        return false;
    }
    /* The frame goes on the kernel stack: ksp if we came from user mode. */
    uint32_t stack = from_user ? cpu->cr[ISA_CR_ksp] : cpu->r[ISA_R_SP];
    *frame = stack - ISA_FRAME_SIZE;
    if (stack < ISA_FRAME_SIZE || !cpu_ram_words_ok(cpu, *frame, ISA_FRAME_SIZE)) {
        cpu_double_fault(cpu, cause, faddr, "trap frame is not in RAM or misaligned", *frame);
        return false;
    }
    uint64_t table_entry = (uint64_t)cpu->cr[ISA_CR_ttb] + 4u * (uint32_t)cause;
    if (!cpu_ram_words_ok(cpu, table_entry, 4)) {
        cpu_double_fault(cpu, cause, faddr, "trap table entry is not in RAM or misaligned",
                         (uint32_t)table_entry);
        return false;
    }
    *entry = (uint32_t)table_entry;
    return true;
}

/* Does the trap frame at `frame` (in RAM, word aligned) lie over code
 * decoded or translated from it (cpu->codemap, a byte per 16 bytes)?  Its
 * 80 bytes touch five granules, or six when it does not start on one: the
 * first five, and the one of its last byte.  (Spelled out: a loop here
 * becomes vector code that costs more than the rest of the trap.) */
static bool cpu_frame_holds_code(const struct cpu *cpu, uint32_t frame)
{
    _Static_assert(ISA_FRAME_SIZE == 5 * 16, "a frame is five granules of the code map");
    const uint8_t *g = cpu->codemap + frame / 16;
    return (g[0] | g[1] | g[2] | g[3] | g[4] | cpu->codemap[(frame + ISA_FRAME_SIZE - 1) / 16]) !=
           0;
}

/* Save the interrupted context at `frame` (see the layout in isa.h). */
static void cpu_push_frame(struct cpu *cpu, uint32_t frame, enum isa_cause cause, uint32_t faddr)
{
    uint8_t *f = cpu->ram + frame;
    cpu_st32(f + ISA_FRAME_CAUSE, cause);
    for (unsigned n = 1; n < ISA_NREGS; n++)
        cpu_st32(f + ISA_FRAME_REG(n), cpu->r[n]);
    cpu_st32(f + ISA_FRAME_PC, cpu->pc);
    cpu_st32(f + ISA_FRAME_STATUS, cpu->cr[ISA_CR_status]);
    cpu_st32(f + ISA_FRAME_FADDR, faddr);
    cpu_st32(f + ISA_FRAME_RESERVED, 0);
    if (cpu_frame_holds_code(cpu, frame))
        cpu_invalidate(cpu, frame, ISA_FRAME_SIZE);
}

void cpu_take_trap(struct cpu *cpu, enum isa_cause cause, uint32_t faddr)
{
    uint32_t frame, entry;
    if (!cpu_trap_deliverable(cpu, cause, faddr, &frame, &entry))
        return;
    enum cpu_mode from = cpu_mode_of(cpu->cr[ISA_CR_status]);
    uint32_t saved_pc = cpu->pc;

    /* 1-2. Save the interrupted context on the kernel stack. */
    cpu_push_frame(cpu, frame, cause, faddr);

    /* 3. Enter the kernel at the handler, interrupts off. */
    uint32_t handler = cpu_ld32(cpu->ram + entry);
    cpu->r[ISA_R_SP] = frame;
    cpu->cr[ISA_CR_status] = ISA_STATUS_KERNEL;
    cpu->cr[ISA_CR_cause] = cause;
    cpu->cr[ISA_CR_faddr] = faddr;
    cpu->pc = handler;
    cpu->waiting = false;
    cpu->cycle += ISA_CYCLES_TRAP;
    cpu->extra_cycles += ISA_CYCLES_TRAP;
    cpu->handler_until = cpu->cycle + CPU_SLICE_CYCLES; /* lde's, not the machine's: cpu.c */

    /* 4. Tell the front-end, if one listens. */
    if (cpu->hook != NULL) {
        struct cpu_event ev = {.kind = CPU_EV_TRAP,
                               .cycle = cpu->cycle,
                               .cause = cause,
                               .from = from,
                               .to = CPU_MODE_KERNEL,
                               .pc = saved_pc,
                               .handler = handler,
                               .frame = frame,
                               .faddr = faddr};
        cpu_emit(cpu, &ev);
    }
}

void cpu_return_from_trap(struct cpu *cpu)
{
    uint32_t frame = cpu->r[ISA_R_SP];
    if (!cpu_ram_words_ok(cpu, frame, ISA_FRAME_SIZE)) {
        snprintf(cpu->diag, sizeof cpu->diag,
                 "double fault: rett at pc 0x%08x: trap frame is not in RAM or misaligned at "
                 "0x%08x",
                 cpu->pc, frame);
        cpu_stop_machine(cpu, CPU_STOP_DOUBLE_FAULT, 0, cpu->diag);
        return;
    }
    const uint8_t *f = cpu->ram + frame;
    for (unsigned n = 1; n < ISA_NREGS; n++)
        cpu->r[n] = cpu_ld32(f + ISA_FRAME_REG(n)); /* r14 becomes the saved sp */
    cpu->pc = cpu_ld32(f + ISA_FRAME_PC);
    cpu->cr[ISA_CR_status] = cpu_ld32(f + ISA_FRAME_STATUS) & (ISA_STATUS_KERNEL | ISA_STATUS_IE);
    cpu->cycle += ISA_CYCLES_INSN;
    cpu->handler_until = 0; /* the handler is over (lde's bookkeeping: cpu.c) */

    if (cpu->hook != NULL) {
        struct cpu_event ev = {.kind = CPU_EV_RETT,
                               .cycle = cpu->cycle,
                               .from = CPU_MODE_KERNEL,
                               .to = cpu_mode_of(cpu->cr[ISA_CR_status]),
                               .pc = cpu->pc,
                               .frame = frame};
        cpu_emit(cpu, &ev);
    }
}
