/*
 * cpu.c - creating the CPU, the run loop, getters and names.
 *
 * The run loop alternates two things.  At an instruction boundary it looks
 * at the whole machine: is the run over, is a device event due, is a trap
 * to be delivered, is the CPU waiting (wfi)?  Then it lets the engine
 * (cpu->engine: translated code with the interpreter for handlers and
 * tails, the interpreter cpu_exec() alone, or the reference one
 * instruction at a time) run until the earliest of: the end of the
 * budget, the next device event, CPU_SLICE_CYCLES from now, or an
 * instruction that needs another look.
 */
#include "cpu_private.h"

#include <stdlib.h>
#include <string.h>

#include "bus.h"

/* Device events reach the front-end through the CPU's hook. */
static void cpu_bus_event(void *ctx, const struct cpu_event *ev)
{
    cpu_emit(ctx, ev);
}

static void cpu_ram_hook(void *ctx, uint32_t addr, uint32_t len)
{
    cpu_invalidate(ctx, addr, len);
}

struct cpu *cpu_create(struct bus *bus)
{
    if (bus == NULL)
        return NULL;
    struct cpu *cpu = calloc(1, sizeof *cpu);
    if (cpu == NULL)
        return NULL;
    cpu->bus = bus;
    cpu->ram = bus_ram(bus);
    cpu->ram_size = bus_ram_size(bus);
    /* Zeroed slots (fn NULL) are lines never used: calloc'd pages that are
     * never touched cost nothing.  Spare slots past RAM hold exec.c's end
     * markers. */
    cpu->icache = calloc(cpu_icache_slots(cpu->ram_size), sizeof *cpu->icache);
    cpu->codemap = calloc(cpu->ram_size / 16 + 1, 1);
    if (cpu->icache == NULL || cpu->codemap == NULL) {
        free(cpu->icache);
        free(cpu->codemap);
        free(cpu);
        return NULL;
    }
    bus_set_ram_hook(bus, cpu_ram_hook, cpu);
    cpu_reset(cpu, ISA_RESET_PC);
    return cpu;
}

void cpu_destroy(struct cpu *cpu)
{
    if (cpu == NULL)
        return;
    bus_set_ram_hook(cpu->bus, NULL, NULL);
    bus_set_event_hook(cpu->bus, NULL, NULL);
    cpu_jit_destroy(cpu->jit);
    free(cpu->icache);
    free(cpu->codemap);
    free(cpu->breaks);
    free(cpu);
}

/* Devices keep time in the CPU's cycles, so they are reset along with it. */
void cpu_reset(struct cpu *cpu, uint32_t pc)
{
    memset(cpu->r, 0, sizeof cpu->r);
    memset(cpu->cr, 0, sizeof cpu->cr);
    cpu->cr[ISA_CR_status] = ISA_STATUS_KERNEL;
    cpu->pc = pc;
    cpu->cycle = 0;
    cpu->extra_cycles = 0;
    cpu->handler_until = 0;
    cpu->waiting = false;
    cpu->exc_pending = false;
    cpu->halted = false;
    cpu->halt_code = 0;
    cpu->stop_requested = 0;
    bus_reset(cpu->bus);
}

void cpu_emit(struct cpu *cpu, const struct cpu_event *ev)
{
    if (cpu->hook != NULL)
        cpu->hook(cpu->hook_ctx, ev);
}

/* Only granules marked in the code map hold decoded or translated code.
 * The four slots of such a granule go back to "decode me" (re-decoding a
 * word that did not change is harmless) and any translated block goes. */
void cpu_invalidate(struct cpu *cpu, uint32_t addr, uint32_t len)
{
    if (len == 0 || addr >= cpu->ram_size)
        return;
    uint64_t end = (uint64_t)addr + len; /* one past the last byte */
    if (end > cpu->ram_size)
        end = cpu->ram_size;
    bool translated = false;
    for (uint64_t g = addr / 16; g < (end + 15) / 16; g++) {
        if (cpu->codemap[g] == 0)
            continue;
        translated |= (cpu->codemap[g] & CPU_CODE_JIT) != 0;
        cpu->codemap[g] = 0;
        for (uint64_t w = 4 * g; w < 4 * g + 4; w++)
            if (cpu->icache[w].fn != NULL)
                cpu->icache[w].fn = cpu->decode_fn;
    }
    if (translated)
        cpu_jit_flush(cpu);
}

void cpu_write_cr(struct cpu *cpu, enum isa_cr cr, uint32_t value)
{
    if (cr == ISA_CR_status) /* the mode bit is read-only: only traps and rett move it */
        value = (cpu->cr[ISA_CR_status] & ISA_STATUS_KERNEL) | (value & ISA_STATUS_IE);
    if (cr < ISA_NCRS && cr != ISA_CR_cycle && cr != ISA_CR_cycleh)
        cpu->cr[cr] = value;
}

/* The highest-priority interrupt line in `lines`: the lowest cause number,
 * so TIMER beats CONSOLE beats DISK. */
static enum isa_cause cpu_first_irq(uint32_t lines)
{
    unsigned cause = 0;
    while (!(lines & (1u << cause)))
        cause++;
    return (enum isa_cause)cause;
}

/* wfi with no line high: let time jump to the next device event, but not
 * past `end` (unless `whole_wait`).  False if nothing will ever happen. */
static bool cpu_wait(struct cpu *cpu, uint64_t next, uint64_t end, bool whole_wait)
{
    if (next == DEVICE_NEVER)
        return false;
    uint64_t target = whole_wait || next < end ? next : end;
    if (target > cpu->cycle) {
        cpu->extra_cycles += target - cpu->cycle;
        cpu->cycle = target;
    }
    return true;
}

/* Is the next thing the CPU does executing an instruction at a breakpoint
 * that must stop the run?  Not when an interrupt is taken first, while
 * waiting, or for the instruction the run began with.  The fetch is the
 * one cpu_ref_execute() would do; a fetch that faults is at no breakpoint. */
static bool cpu_stop_at_breakpoint(const struct cpu *cpu, uint32_t lines)
{
    if (cpu->nbreaks == 0 || cpu->cycle == cpu->run_start || cpu->waiting ||
        ((cpu->cr[ISA_CR_status] & ISA_STATUS_IE) && lines != 0))
        return false;
    uint64_t pa = cpu->pc;
    if (cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER) {
        if ((uint64_t)cpu->pc + 4 > cpu->cr[ISA_CR_bounds])
            return false;
        pa += cpu->cr[ISA_CR_base];
    }
    return cpu->pc % 4 == 0 && pa % 4 == 0 && pa + 4 <= cpu->ram_size &&
           cpu_break_on_word(cpu, (size_t)(pa / 4));
}

/* Translated code up to `deadline`, and what it leaves to the others.  The
 * reference executes an instruction left to it unless a breakpoint is
 * there, which the run loop then reports.
 *
 * A trap handler talks to devices, changes control registers and returns
 * from the trap within a few instructions: the interpreter does all that
 * without leaving its loop (exec.c), and hands back at the return to user
 * mode.  So a handler runs there until it returns from the trap, or for a
 * slice at most; other kernel code (boot, a long computation, a handler
 * that runs longer) is translated. */
static void cpu_run_translated(struct cpu *cpu, uint64_t deadline)
{
    if (cpu->jit == NULL && !cpu->jit_failed) {
        cpu->jit = cpu_jit_create();
        cpu->jit_failed = cpu->jit == NULL;
    }
    /* The interpreter returns true when a rett took it back to user mode
     * with nothing for the run loop to see: translated code goes on. */
    if (cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_KERNEL && cpu->cycle < cpu->handler_until &&
        !cpu_exec(cpu, deadline))
        return;
    for (;;) {
        switch (cpu_jit_run(cpu, deadline)) {
        case CPU_JIT_LOOP:
            return;
        case CPU_JIT_SLOW:
            if (!cpu_stop_at_breakpoint(cpu, 0))
                cpu_ref_execute(cpu);
            return;
        case CPU_JIT_TAIL:
        case CPU_JIT_OFF:
            if (!cpu_exec(cpu, deadline))
                return;
            break;
        }
    }
}

static uint64_t cpu_min(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

/* Run until the cycle counter reaches `end` or the machine stops. */
static enum cpu_stop cpu_loop(struct cpu *cpu, uint64_t end, bool whole_wait)
{
    cpu->run_start = cpu->cycle;
    for (;;) {
        if (cpu->halted)
            return cpu->halt_reason;
        if (cpu->stop_requested) {
            cpu->stop_requested = 0;
            return CPU_STOP_REQUEST;
        }
        uint64_t next = bus_next_event(cpu->bus);
        if (cpu->cycle >= next) {
            bus_advance(cpu->bus, cpu->cycle);
            next = bus_next_event(cpu->bus);
            if (cpu->stop_requested) /* asked by the hook that saw a device's event */
                continue;
        }
        /* A faulting instruction and its trap belong together. */
        if (cpu->exc_pending) {
            cpu->exc_pending = false;
            cpu_take_trap(cpu, cpu->exc_cause, cpu->exc_faddr);
            continue;
        }
        uint32_t lines = bus_irq_lines(cpu->bus) & CPU_IRQ_MASK;
        if (lines != 0)
            cpu->waiting = false;
        /* Before the budget check: a run whose budget ends just before a
         * breakpoint reports it, as the next run would pass it. */
        if (cpu_stop_at_breakpoint(cpu, lines))
            return CPU_STOP_BREAKPOINT;
        if (cpu->cycle >= end)
            return CPU_STOP_BUDGET;
        if ((cpu->cr[ISA_CR_status] & ISA_STATUS_IE) && lines != 0) {
            cpu_take_trap(cpu, cpu_first_irq(lines), 0);
            /* Interrupts are off in the handler: unless something else is
             * due, run it at once rather than going round again.  (The
             * reference goes round: one instruction per turn is what
             * makes it the obvious definition.) */
            if (cpu->engine == CPU_ENGINE_REFERENCE || cpu->halted || cpu->stop_requested ||
                cpu->cycle >= end || cpu->cycle >= next)
                continue;
        } else if (cpu->waiting) {
            if (!cpu_wait(cpu, next, end, whole_wait))
                return CPU_STOP_DEADLOCK;
            continue;
        }
        uint64_t deadline = cpu_min(cpu_min(end, next), cpu->cycle + CPU_SLICE_CYCLES);
        if (deadline <= cpu->cycle) /* a device asking for the past: still make progress */
            deadline = cpu->cycle + 1;
        if (cpu->engine == CPU_ENGINE_REFERENCE)
            cpu_ref_execute(cpu);
        else if (cpu->engine == CPU_ENGINE_TRANSLATE)
            cpu_run_translated(cpu, deadline);
        else
            cpu_exec(cpu, deadline);
    }
}

enum cpu_stop cpu_run(struct cpu *cpu, uint64_t cycles)
{
    uint64_t end = cycles > UINT64_MAX - cpu->cycle ? UINT64_MAX : cpu->cycle + cycles;
    return cpu_loop(cpu, end, false);
}

/* One instruction, one trap delivery, or one whole wait: the same loop as
 * cpu_run with a budget of one cycle, except that a wfi wait is not cut. */
enum cpu_stop cpu_step(struct cpu *cpu)
{
    return cpu_loop(cpu, cpu->cycle + 1, true);
}

void cpu_set_engine(struct cpu *cpu, enum cpu_engine engine)
{
    cpu->engine = engine;
}

enum cpu_engine cpu_get_engine(const struct cpu *cpu)
{
    if (cpu->engine == CPU_ENGINE_TRANSLATE && cpu->jit_failed)
        return CPU_ENGINE_INTERPRET;
    return cpu->engine;
}

int cpu_engine_from_name(const char *name, enum cpu_engine *out)
{
    static const enum cpu_engine engines[] = {CPU_ENGINE_TRANSLATE, CPU_ENGINE_INTERPRET,
                                              CPU_ENGINE_REFERENCE};
    for (size_t k = 0; k < sizeof engines / sizeof engines[0]; k++) {
        if (strcmp(name, cpu_engine_name(engines[k])) == 0) {
            *out = engines[k];
            return 0;
        }
    }
    return -1;
}

const char *cpu_engine_name(enum cpu_engine engine)
{
    switch (engine) {
    case CPU_ENGINE_TRANSLATE:
        return "translate";
    case CPU_ENGINE_INTERPRET:
        return "interpret";
    case CPU_ENGINE_REFERENCE:
        return "reference";
    }
    return "?";
}

int cpu_set_breakpoint(struct cpu *cpu, uint32_t paddr, bool on)
{
    if (paddr % 4 != 0 || paddr >= cpu->ram_size || cpu->ram_size - paddr < 4)
        return -1;
    size_t w = paddr / 4;
    if (cpu->breaks == NULL) {
        if (!on)
            return 0;
        cpu->breaks = calloc(cpu->ram_size / 4 / 32 + 1, sizeof *cpu->breaks);
        if (cpu->breaks == NULL)
            return -1;
    }
    uint32_t bit = 1u << (w % 32);
    if (((cpu->breaks[w / 32] & bit) != 0) == on)
        return 0;
    cpu->breaks[w / 32] ^= bit;
    cpu->nbreaks = on ? cpu->nbreaks + 1 : cpu->nbreaks - 1;
    /* Decoded again before it next runs: do_decode (exec.c) marks it;
     * translated blocks are made again, ending before it. */
    if (cpu->icache[w].fn != NULL)
        cpu->icache[w].fn = cpu->decode_fn;
    cpu_jit_flush(cpu);
    return 0;
}

bool cpu_breakpoint(const struct cpu *cpu, uint32_t paddr)
{
    return paddr % 4 == 0 && cpu_break_on_word(cpu, paddr / 4);
}

void cpu_request_stop(struct cpu *cpu)
{
    cpu->stop_requested = 1;
}

/* Device events come through the bus; with no hook to pass them to, the
 * bus need not compose them at all. */
void cpu_set_event_hook(struct cpu *cpu, cpu_event_fn fn, void *ctx)
{
    cpu->hook = fn;
    cpu->hook_ctx = ctx;
    bus_set_event_hook(cpu->bus, fn != NULL ? cpu_bus_event : NULL, cpu);
}

/* ---- Getters and setters */

uint32_t cpu_reg(const struct cpu *cpu, unsigned r)
{
    return r < ISA_NREGS ? cpu->r[r] : 0;
}

void cpu_set_reg(struct cpu *cpu, unsigned r, uint32_t value)
{
    if (r != ISA_R_ZERO && r < ISA_NREGS)
        cpu->r[r] = value;
}

uint32_t cpu_pc(const struct cpu *cpu)
{
    return cpu->pc;
}

void cpu_set_pc(struct cpu *cpu, uint32_t pc)
{
    cpu->pc = pc;
}

uint32_t cpu_cr(const struct cpu *cpu, enum isa_cr cr)
{
    if (cr == ISA_CR_cycle)
        return (uint32_t)cpu->cycle;
    if (cr == ISA_CR_cycleh)
        return (uint32_t)(cpu->cycle >> 32);
    return (unsigned)cr < ISA_NCRS ? cpu->cr[cr] : 0;
}

/* Front-ends may set the mode too (a monitor can drop to user mode);
 * the cycle counter stays read-only. */
void cpu_set_cr(struct cpu *cpu, enum isa_cr cr, uint32_t value)
{
    if (cr == ISA_CR_status)
        value &= ISA_STATUS_KERNEL | ISA_STATUS_IE;
    if ((unsigned)cr < ISA_NCRS && cr != ISA_CR_cycle && cr != ISA_CR_cycleh)
        cpu->cr[cr] = value;
}

enum cpu_mode cpu_mode(const struct cpu *cpu)
{
    return cpu_mode_of(cpu->cr[ISA_CR_status]);
}

uint64_t cpu_cycles(const struct cpu *cpu)
{
    return cpu->cycle;
}

uint64_t cpu_instructions(const struct cpu *cpu)
{
    return cpu->cycle - cpu->extra_cycles;
}

bool cpu_halted(const struct cpu *cpu)
{
    return cpu->halted;
}

uint32_t cpu_halt_code(const struct cpu *cpu)
{
    return cpu->halt_code;
}

struct bus *cpu_bus(const struct cpu *cpu)
{
    return cpu->bus;
}

/* ---- Names */

const char *cpu_cause_name(unsigned cause)
{
    static const char *const names[ISA_NCAUSES] = {
#define X(name, num, short_name, meaning) [num] = short_name,
        ISA_CAUSE_LIST(X)
#undef X
    };
    return cause < ISA_NCAUSES ? names[cause] : "?";
}

const char *cpu_cause_text(unsigned cause)
{
    static const char *const texts[ISA_NCAUSES] = {
#define X(name, num, short_name, meaning) [num] = meaning,
        ISA_CAUSE_LIST(X)
#undef X
    };
    return cause < ISA_NCAUSES ? texts[cause] : "unknown cause";
}

const char *cpu_cr_name(unsigned cr)
{
    static const char *const names[ISA_NCRS] = {
#define X(name, num, meaning) [num] = #name,
        ISA_CR_LIST(X)
#undef X
    };
    return cr < ISA_NCRS ? names[cr] : NULL;
}

const char *cpu_mode_name(enum cpu_mode m)
{
    return m == CPU_MODE_KERNEL ? "kernel" : "user";
}

const char *cpu_stop_name(enum cpu_stop s)
{
    switch (s) {
    case CPU_STOP_BUDGET:
        return "budget";
    case CPU_STOP_HALT:
        return "halt";
    case CPU_STOP_DOUBLE_FAULT:
        return "double fault";
    case CPU_STOP_DEADLOCK:
        return "deadlock";
    case CPU_STOP_REQUEST:
        return "stop request";
    case CPU_STOP_BREAKPOINT:
        return "breakpoint";
    }
    return "?";
}
