/*
 * cpu_private.h - the CPU's state and the pieces shared by the cpu/ sources.
 *
 * Only the cpu/ sources and the unit tests include this; everyone else uses
 * cpu.h.  Three engines run the same machine, cycle for cycle: the
 * interpreter (exec.c) runs decoded instructions from a cache indexed by
 * physical address / 4, which decode.c fills; the translator (jit.c,
 * translate.c, x64.h) turns blocks of guest code into x86-64 code;
 * reference.c executes one instruction the slow, obvious way (the
 * definition the other two are tested against, and their fallback for
 * rare instructions).  trap.c holds the trap mechanism (take a trap,
 * return from one, double fault); cpu.c holds the run loop that decides,
 * between bursts of instructions, whether a trap is due, a device needs
 * time, or the run is over.
 */
#ifndef LDE_CPU_PRIVATE_H
#define LDE_CPU_PRIVATE_H

#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cpu.h"

/* Writes to r0 go to this extra register, so r0 reads as zero without
 * a test on every instruction (the decoder redirects destination r0). */
#define CPU_REG_SINK ISA_NREGS

/* The interrupt lines the CPU listens to (bit = 1 << cause). */
#define CPU_IRQ_MASK ((1u << ISA_CAUSE_TIMER) | (1u << ISA_CAUSE_CONSOLE) | (1u << ISA_CAUSE_DISK))

/* The run loop looks at devices and stop requests at least this often, so
 * that a stop requested from a signal handler is seen within this many
 * cycles; a trap handler also runs in the interpreter for at most this
 * long before translated code may take over (trap.c, cpu.c).  It has no
 * effect on what the guest observes. */
#define CPU_SLICE_CYCLES 16384u

/* Instruction kinds: what the dispatch table is indexed by.  Generated from
 * the opcode table, plus two kinds of our own. */
enum cpu_kind {
    CPU_KIND_DECODE,  /* cache slot not decoded yet (zeroed memory is this) */
    CPU_KIND_ILLEGAL, /* the word is not a valid instruction */
#define OP(name, code, fmt, operands, meaning) CPU_KIND_##name,
#include "opcodes.h"
#undef OP
    CPU_NKINDS
};

/* The decode cache is grouped in aligned lines of this many slots.  The
 * fast interpreter (exec.c) runs straight-line code in blocks that end at
 * a jump or branch, or before the last slot of a line unless that slot is
 * a jump or branch itself; so a block has at most CPU_BLOCK_MAX instructions. */
#define CPU_LINE_SLOTS 32u
#define CPU_BLOCK_MAX  (CPU_LINE_SLOTS + 1u)

/* One decoded instruction: 16 bytes, so a slot is found with a shift. */
struct cpu_insn {
    const void *fn; /* its handler in cpu_exec (threaded code); NULL: the
                       whole line of CPU_LINE_SLOTS slots was never used */
    uint32_t imm;   /* ready-to-use operand: sign- or zero-extended imm16,
                       branch/jump offset in bytes, CR number, or, for the R
                       format, the register number of field C */
    uint8_t kind;   /* enum cpu_kind */
    uint8_t a;      /* field A as a source register (stores, branches, halt) */
    uint8_t d;      /* field A as a destination: CPU_REG_SINK when it is r0 */
    uint8_t b;      /* field B */
};

/* What translated code keeps in host registers while it runs (jit.h). */
struct cpu_jit_regs {
    uint8_t *mem;     /* host address of virtual address 0 */
    int64_t left;     /* cycles left to the deadline */
    uint64_t lim;     /* bytes accessible from virtual address 0 */
    uint8_t *codemap; /* cpu->codemap entry of virtual address 0 */
    uint8_t *patch;   /* JIT_EXIT_CHAIN: the jump to link to the next block */
};

/* Bits of cpu->codemap: what holds code decoded or translated from a
 * 16-byte granule of RAM, which a store there must make forget it. */
#define CPU_CODE_INTERP 1u /* exec.c decoded a word of it into the decode cache */
#define CPU_CODE_JIT    2u /* jit.c translated a word of it */

struct cpu {
    uint32_t r[ISA_NREGS + 1];            /* r0..r15, then the sink for writes to r0 */
    uint32_t pc;                          /* address of the next instruction */
    uint32_t cr[ISA_NCRS];                /* control registers; cycle/cycleh unused */
    uint64_t cycle;                       /* virtual time: cycles since reset */
    uint64_t extra_cycles;                /* cycles not spent retiring instructions */
    bool waiting;                         /* executed wfi, waiting for a line to rise */
    bool exc_pending;                     /* an exception was raised, to be delivered */
    enum isa_cause exc_cause;             /* ... its cause */
    uint32_t exc_faddr;                   /* ... its faulting address (0 if none) */
    bool halted;                          /* stopped by halt or a double fault */
    enum cpu_stop halt_reason;            /* CPU_STOP_HALT or CPU_STOP_DOUBLE_FAULT */
    uint32_t halt_code;                   /* the operand of halt */
    volatile sig_atomic_t stop_requested; /* set by cpu_request_stop() */
    struct bus *bus;                      /* RAM and devices */
    uint8_t *ram;                         /* bus_ram(bus), cached */
    uint32_t ram_size;                    /* bus_ram_size(bus), cached */
    struct cpu_insn *icache;              /* decoded instructions, one per RAM word, + spare
                                             lines for the end markers of exec.c */
    const void *decode_fn;                /* exec.c's "decode me" handler, once known */
    enum cpu_engine engine;               /* what executes instructions */
    uint8_t *codemap;                     /* one byte per 16 bytes of RAM: CPU_CODE_* */
    struct jit *jit;                      /* translated blocks (jit.c); NULL until used or
                                             if the host cannot run them */
    bool jit_failed;                      /* creating it failed: do not try again */
    struct cpu_jit_regs jit_regs;         /* translated code's state, see jit.h */
    uint32_t *breaks;                     /* front-end breakpoints: one bit per RAM word;
                                             NULL until the first one is set */
    unsigned nbreaks;                     /* breakpoints set (0: no check anywhere) */
    uint64_t handler_until;               /* kernel code before this cycle is a trap handler's,
                                             for the interpreter (see cpu.c) */
    uint64_t run_start;                   /* cycle at which this cpu_run/cpu_step began: the
                                             instruction there passes its breakpoint */
    cpu_event_fn hook;                    /* the front-end's event hook, or NULL */
    void *hook_ctx;                       /* its first argument */
    char diag[192];                       /* text of the last double fault */
};

/* Is a breakpoint set on RAM word number `w` (physical address / 4)?
 * The decoder marks such slots, so the fast path never asks this. */
static inline bool cpu_break_on_word(const struct cpu *cpu, size_t w)
{
    return cpu->nbreaks != 0 && w < cpu->ram_size / 4 && (cpu->breaks[w / 32] >> (w % 32)) & 1u;
}

/* ---- decode.c */

/* Decode one instruction word.  Never fails: a bad word gets CPU_KIND_ILLEGAL.
 * The handler (fn) is left NULL: only cpu_exec knows handlers. */
void cpu_decode(uint32_t word, struct cpu_insn *out);

/* ---- exec.c */

/* Bytes accessible from virtual address 0 in user mode (`user`) or kernel
 * mode: all of RAM for the kernel; for a process min(bounds, RAM left
 * after base), so "va + n <= limit" is the whole base-and-bounds check of
 * an access that stays in RAM (exec.c and jit.c check with it). */
static inline uint64_t cpu_access_limit(const struct cpu *cpu, bool user)
{
    if (!user)
        return cpu->ram_size;
    uint32_t base = cpu->cr[ISA_CR_base];
    if (base >= cpu->ram_size)
        return 0;
    uint64_t left = cpu->ram_size - base;
    uint64_t bounds = cpu->cr[ISA_CR_bounds];
    return bounds < left ? bounds : left;
}

/* Run instructions until the cycle counter reaches `deadline` or the run
 * loop must look: a trap raised, an interrupt line high with IE on, a
 * device's next event moved before the deadline, a stop request, or an
 * instruction the reference executes (wfi, halt, mtcr, a fault, ...);
 * kernel device accesses and rett stay in the loop (see exec.c).  State
 * is written back to `cpu` before returning.  True only when a rett to
 * user mode under CPU_ENGINE_TRANSLATE handed back to translated code
 * with nothing for the run loop to look at. */
bool cpu_exec(struct cpu *cpu, uint64_t deadline);

/* Slots in the decode cache for `ram_size` bytes of RAM: one per word,
 * rounded up to whole lines, plus two spare lines past the end (exec.c's
 * marks may sit up to CPU_BLOCK_MAX slots past the last word). */
static inline size_t cpu_icache_slots(uint32_t ram_size)
{
    size_t words = ram_size / 4 + 1;
    return (words + CPU_LINE_SLOTS - 1) / CPU_LINE_SLOTS * CPU_LINE_SLOTS + 2 * CPU_LINE_SLOTS;
}

/* ---- jit.c (or jit_none.c on hosts without a translator) */

/* What cpu_jit_run() left for the run loop to do. */
enum cpu_jit_result {
    CPU_JIT_LOOP, /* the run loop must look (the deadline is reached, a trap is due...) */
    CPU_JIT_TAIL, /* the next block does not fit: the interpreter runs to the deadline */
    CPU_JIT_SLOW, /* the reference executes the instruction at pc (the deadline is ahead) */
    CPU_JIT_OFF,  /* no translated code here (see jit.c): the interpreter runs */
};

struct jit *cpu_jit_create(void); /* NULL if this host cannot run translated code */
void cpu_jit_destroy(struct jit *jit);
/* Run translated blocks until the cycle counter reaches `deadline` or the
 * run loop is needed. */
enum cpu_jit_result cpu_jit_run(struct cpu *cpu, uint64_t deadline);
/* Throw every translated block away (code was written, breakpoints moved). */
void cpu_jit_flush(struct cpu *cpu);
uint64_t cpu_jit_flushes(const struct cpu *cpu); /* how many times so far (tests) */

/* ---- reference.c */

/* Execute the one instruction at cpu->pc the plain way: fetch from RAM,
 * decode, execute (a fault is raised for the run loop to deliver). */
void cpu_ref_execute(struct cpu *cpu);
/* The same for an instruction already fetched and decoded from cpu->pc. */
void cpu_ref_run(struct cpu *cpu, const struct cpu_insn *insn);

/* ---- trap.c */

/* Record an exception; the run loop delivers it at the next boundary. */
void cpu_raise(struct cpu *cpu, enum isa_cause cause, uint32_t faddr);
/* Deliver a trap now: push the frame, enter the handler, fire CPU_EV_TRAP.
 * The saved pc is cpu->pc.  May halt the machine with a double fault. */
void cpu_take_trap(struct cpu *cpu, enum isa_cause cause, uint32_t faddr);
/* rett: pop the frame at r14, restore mode and IE, fire CPU_EV_RETT.
 * Costs the instruction's cycle.  May halt with a double fault. */
void cpu_return_from_trap(struct cpu *cpu);
/* Stop the machine: CPU_STOP_DOUBLE_FAULT with `text`, or halt with `code`. */
void cpu_stop_machine(struct cpu *cpu, enum cpu_stop why, uint32_t code, const char *text);

/* ---- cpu.c */

void cpu_emit(struct cpu *cpu, const struct cpu_event *ev);
/* Forget decoded instructions for physical [addr, addr + len). */
void cpu_invalidate(struct cpu *cpu, uint32_t addr, uint32_t len);
/* mtcr: write a control register (kernel mode, number already checked). */
void cpu_write_cr(struct cpu *cpu, enum isa_cr cr, uint32_t value);
static inline enum cpu_mode cpu_mode_of(uint32_t status)
{
    return (status & ISA_STATUS_KERNEL) ? CPU_MODE_KERNEL : CPU_MODE_USER;
}

/* Signed division and remainder.  INT_MIN / -1 overflows in C, so x / -1 is
 * computed as 0 - x (INT_MIN stays INT_MIN) and x % -1 is 0.  The divisor
 * is never 0 here. */
static inline uint32_t cpu_div_signed(uint32_t b, uint32_t c)
{
    if (c == UINT32_MAX)
        return 0u - b;
    return (uint32_t)((int32_t)b / (int32_t)c);
}

static inline uint32_t cpu_rem_signed(uint32_t b, uint32_t c)
{
    if (c == UINT32_MAX)
        return 0;
    return (uint32_t)((int32_t)b % (int32_t)c);
}

/* ---- little-endian RAM access
 *
 * One host load or store each: memcpy of 4 bytes is a plain mov on x86,
 * where byte-by-byte code may stay four stores (a uint8_t pointer may
 * alias anything, so the compiler cannot always merge them). */

static inline uint32_t cpu_le32(uint32_t v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

static inline uint32_t cpu_ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return cpu_le32(v);
}

static inline uint32_t cpu_ld16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline void cpu_st32(uint8_t *p, uint32_t v)
{
    v = cpu_le32(v);
    memcpy(p, &v, 4);
}

static inline void cpu_st16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

#endif /* LDE_CPU_PRIVATE_H */
