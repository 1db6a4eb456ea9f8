/*
 * reference.c - one instruction, the slow and obvious way.
 *
 * cpu_ref_execute() fetches the word at cpu->pc straight from RAM, decodes
 * it with cpu_decode() and carries it out with plain C on the CPU state:
 * no decode cache, no countdown, no block accounting.  It is the
 * definition the interpreter (exec.c) and the translator (jit.c,
 * translate.c) are tested against, and both hand it every instruction that
 * is not worth a fast path: faults, system instructions, user code the
 * translator leaves alone (jit.c's jit_run_slow, cpu.c for a breakpoint).
 *
 * With cpu_set_engine(cpu, CPU_ENGINE_REFERENCE) the run loop (cpu.c) calls
 * only this, one instruction per turn of the loop, so devices and
 * interrupts are looked at before every instruction.  The differential test
 * (tests/unit/test_diff.c) runs programs both ways and compares.
 */
#include "cpu_private.h"

#include "bus.h"

/* The groups below rely on the order of opcodes.h: ALU register-register,
 * ALU immediate, loads, stores, branches, jumps, system. */
_Static_assert(CPU_KIND_ILLEGAL < CPU_KIND_add && CPU_KIND_remu < CPU_KIND_addi &&
                   CPU_KIND_lui < CPU_KIND_lb && CPU_KIND_lw < CPU_KIND_sb &&
                   CPU_KIND_sw < CPU_KIND_beq && CPU_KIND_bgeu < CPU_KIND_jal &&
                   CPU_KIND_jal + 1 == CPU_KIND_jalr && CPU_KIND_jalr < CPU_KIND_syscall,
               "reference.c groups instructions by their order in opcodes.h");

/* Where the bytes of a data access of `n` bytes at virtual `va` are in RAM,
 * after the alignment and protection checks; NULL after raising the fault
 * (or for a kernel address outside RAM, left to the caller: devices). */
static uint8_t *cpu_ref_ram_at(struct cpu *cpu, uint32_t va, uint32_t n, bool *fault)
{
    bool user = cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER;
    uint64_t pa = va;

    *fault = false;
    if (va % n != 0) {
        cpu_raise(cpu, ISA_CAUSE_MISALIGNED, va);
        *fault = true;
        return NULL;
    }
    if (user) {
        if ((uint64_t)va + n > cpu->cr[ISA_CR_bounds]) {
            cpu_raise(cpu, ISA_CAUSE_PROTECTION, va);
            *fault = true;
            return NULL;
        }
        pa = (uint64_t)cpu->cr[ISA_CR_base] + va;
    }
    if (pa + n <= cpu->ram_size)
        return cpu->ram + pa;
    if (user || n != 4) { /* only kernel word accesses can reach a device */
        cpu_raise(cpu, ISA_CAUSE_PROTECTION, va);
        *fault = true;
    }
    return NULL;
}

/* Fetch the instruction word at pc; false after raising the fault. */
static bool cpu_ref_fetch(struct cpu *cpu, uint32_t *word)
{
    bool fault;
    uint8_t *p = cpu_ref_ram_at(cpu, cpu->pc, 4, &fault);

    if (p == NULL) {
        if (!fault) /* the device region: no instructions there */
            cpu_raise(cpu, ISA_CAUSE_PROTECTION, cpu->pc);
        return false;
    }
    *word = cpu_ld32(p);
    return true;
}

/* Loads: the value, or false after a fault. */
static bool cpu_ref_load(struct cpu *cpu, uint32_t va, unsigned kind, uint32_t *value)
{
    uint32_t n = kind == CPU_KIND_lw ? 4 : kind == CPU_KIND_lh || kind == CPU_KIND_lhu ? 2 : 1;
    bool fault;
    uint8_t *p = cpu_ref_ram_at(cpu, va, n, &fault);

    if (fault)
        return false;
    if (p == NULL) { /* a kernel lw outside RAM: a device register, or nothing */
        if (bus_read(cpu->bus, va, value, cpu->cycle + ISA_CYCLES_INSN) == 0)
            return true;
        cpu_raise(cpu, ISA_CAUSE_PROTECTION, va);
        return false;
    }
    switch (kind) {
    case CPU_KIND_lb:
        *value = (uint32_t)(int32_t)(int8_t)p[0];
        break;
    case CPU_KIND_lbu:
        *value = p[0];
        break;
    case CPU_KIND_lh:
        *value = (uint32_t)(int32_t)(int16_t)cpu_ld16(p);
        break;
    case CPU_KIND_lhu:
        *value = cpu_ld16(p);
        break;
    default:
        *value = cpu_ld32(p);
        break;
    }
    return true;
}

/* Stores: false after a fault.  Decoded copies of the bytes are forgotten. */
static bool cpu_ref_store(struct cpu *cpu, uint32_t va, unsigned kind, uint32_t value)
{
    uint32_t n = kind == CPU_KIND_sw ? 4 : kind == CPU_KIND_sh ? 2 : 1;
    bool fault;
    uint8_t *p = cpu_ref_ram_at(cpu, va, n, &fault);

    if (fault)
        return false;
    if (p == NULL) {
        if (bus_write(cpu->bus, va, value, cpu->cycle + ISA_CYCLES_INSN) == 0)
            return true;
        cpu_raise(cpu, ISA_CAUSE_PROTECTION, va);
        return false;
    }
    if (n == 4)
        cpu_st32(p, value);
    else if (n == 2)
        cpu_st16(p, value);
    else
        p[0] = (uint8_t)value;
    cpu_invalidate(cpu, (uint32_t)(p - cpu->ram), n);
    return true;
}

/* The value an ALU instruction computes; false for a division by zero. */
static bool cpu_ref_alu(unsigned kind, uint32_t b, uint32_t c, uint32_t *out)
{
    bool by_zero = c == 0;
    switch (kind) {
    case CPU_KIND_add:
        *out = b + c;
        return true;
    case CPU_KIND_sub:
        *out = b - c;
        return true;
    case CPU_KIND_and:
        *out = b & c;
        return true;
    case CPU_KIND_or:
        *out = b | c;
        return true;
    case CPU_KIND_xor:
        *out = b ^ c;
        return true;
    case CPU_KIND_sll:
        *out = b << (c & 31);
        return true;
    case CPU_KIND_srl:
        *out = b >> (c & 31);
        return true;
    case CPU_KIND_sra:
        *out = (uint32_t)((int32_t)b >> (c & 31));
        return true;
    case CPU_KIND_slt:
        *out = (int32_t)b < (int32_t)c;
        return true;
    case CPU_KIND_sltu:
        *out = b < c;
        return true;
    case CPU_KIND_mul:
        *out = b * c;
        return true;
    case CPU_KIND_mulh:
        *out = (uint32_t)((uint64_t)((int64_t)(int32_t)b * (int32_t)c) >> 32);
        return true;
    case CPU_KIND_mulhu:
        *out = (uint32_t)(((uint64_t)b * c) >> 32);
        return true;
    case CPU_KIND_div:
        *out = by_zero ? 0 : cpu_div_signed(b, c);
        return !by_zero;
    case CPU_KIND_divu:
        *out = by_zero ? 0 : b / c;
        return !by_zero;
    case CPU_KIND_rem:
        *out = by_zero ? 0 : cpu_rem_signed(b, c);
        return !by_zero;
    case CPU_KIND_remu:
        *out = by_zero ? 0 : b % c;
        return !by_zero;
    case CPU_KIND_addi:
        *out = b + c;
        return true;
    case CPU_KIND_andi:
        *out = b & c;
        return true;
    case CPU_KIND_ori:
        *out = b | c;
        return true;
    case CPU_KIND_xori:
        *out = b ^ c;
        return true;
    case CPU_KIND_slli:
        *out = b << c;
        return true;
    case CPU_KIND_srli:
        *out = b >> c;
        return true;
    case CPU_KIND_srai:
        *out = (uint32_t)((int32_t)b >> c);
        return true;
    case CPU_KIND_slti:
        *out = (int32_t)b < (int32_t)c;
        return true;
    case CPU_KIND_sltiu:
        *out = b < c;
        return true;
    case CPU_KIND_lui:
        *out = c << 16;
        return true;
    default:
        return false;
    }
}

/* Is the branch of `kind` taken for operands a and b? */
static bool cpu_ref_taken(unsigned kind, uint32_t a, uint32_t b)
{
    switch (kind) {
    case CPU_KIND_beq:
        return a == b;
    case CPU_KIND_bne:
        return a != b;
    case CPU_KIND_blt:
        return (int32_t)a < (int32_t)b;
    case CPU_KIND_bge:
        return (int32_t)a >= (int32_t)b;
    case CPU_KIND_bltu:
        return a < b;
    default:
        return a >= b; /* bgeu */
    }
}

/* The instruction completed: one cycle, and pc moves on to `next`. */
static void cpu_ref_complete(struct cpu *cpu, uint32_t next)
{
    cpu->pc = next;
    cpu->cycle += ISA_CYCLES_INSN;
}

/* Write a destination register; r0 stays zero. */
static void cpu_ref_set(struct cpu *cpu, unsigned reg, uint32_t value)
{
    if (reg != ISA_R_ZERO)
        cpu->r[reg] = value;
}

/* System instructions (syscall .. mtcr); `user` is the current mode. */
static void cpu_ref_system(struct cpu *cpu, const struct cpu_insn *in, bool user)
{
    uint32_t next = cpu->pc + 4;

    if (in->kind == CPU_KIND_syscall) { /* completes; the trap saves the next pc */
        cpu_ref_complete(cpu, next);
        cpu_raise(cpu, ISA_CAUSE_SYSCALL, 0);
        return;
    }
    if (in->kind == CPU_KIND_brk) {
        cpu_raise(cpu, ISA_CAUSE_BREAKPOINT, 0);
        return;
    }
    if (in->kind == CPU_KIND_mfcr) {
        bool counter = in->imm == ISA_CR_cycle || in->imm == ISA_CR_cycleh;
        if (user && !counter) {
            cpu_raise(cpu, ISA_CAUSE_PRIVILEGED, 0);
            return;
        }
        cpu_ref_set(cpu, in->a, cpu_cr(cpu, (enum isa_cr)in->imm));
        cpu_ref_complete(cpu, next);
        return;
    }
    if (user) { /* rett, wfi, halt, mtcr */
        cpu_raise(cpu, ISA_CAUSE_PRIVILEGED, 0);
        return;
    }
    switch (in->kind) {
    case CPU_KIND_rett:
        cpu_return_from_trap(cpu);
        return;
    case CPU_KIND_wfi:
        cpu->waiting = true;
        cpu_ref_complete(cpu, next);
        return;
    case CPU_KIND_halt:
        cpu_ref_complete(cpu, next);
        cpu_stop_machine(cpu, CPU_STOP_HALT, cpu->r[in->a], NULL);
        return;
    default: /* mtcr */
        cpu_write_cr(cpu, (enum isa_cr)in->imm, cpu->r[in->b]);
        cpu_ref_complete(cpu, next);
        return;
    }
}

void cpu_ref_execute(struct cpu *cpu)
{
    uint32_t word;
    struct cpu_insn in;

    if (!cpu_ref_fetch(cpu, &word))
        return;
    cpu_decode(word, &in);
    cpu_ref_run(cpu, &in);
}

void cpu_ref_run(struct cpu *cpu, const struct cpu_insn *insn)
{
    bool user = cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER;
    uint32_t value, pc = cpu->pc;
    struct cpu_insn in = *insn; /* a copy: a store into its own word rewrites *insn */

    uint32_t a = cpu->r[in.a], b = cpu->r[in.b];
    uint32_t c = in.kind <= CPU_KIND_remu ? cpu->r[in.imm] : in.imm; /* R format: field C */

    if (in.kind == CPU_KIND_ILLEGAL) {
        cpu_raise(cpu, ISA_CAUSE_ILLEGAL, 0);
    } else if (in.kind <= CPU_KIND_lui) {
        if (!cpu_ref_alu(in.kind, b, c, &value)) {
            cpu_raise(cpu, ISA_CAUSE_DIV_ZERO, 0);
            return;
        }
        cpu_ref_set(cpu, in.a, value);
        cpu_ref_complete(cpu, pc + 4);
    } else if (in.kind <= CPU_KIND_lw) {
        if (cpu_ref_load(cpu, b + in.imm, in.kind, &value)) {
            cpu_ref_set(cpu, in.a, value);
            cpu_ref_complete(cpu, pc + 4);
        }
    } else if (in.kind <= CPU_KIND_sw) {
        if (cpu_ref_store(cpu, b + in.imm, in.kind, a))
            cpu_ref_complete(cpu, pc + 4);
    } else if (in.kind <= CPU_KIND_bgeu) {
        cpu_ref_complete(cpu, cpu_ref_taken(in.kind, a, b) ? pc + in.imm : pc + 4);
    } else if (in.kind == CPU_KIND_jal) {
        cpu_ref_set(cpu, in.a, pc + 4);
        cpu_ref_complete(cpu, pc + in.imm);
    } else if (in.kind == CPU_KIND_jalr) {
        cpu_ref_set(cpu, in.a, pc + 4); /* b was read before: rd may be rs */
        cpu_ref_complete(cpu, b + in.imm);
    } else {
        cpu_ref_system(cpu, &in, user);
    }
}
