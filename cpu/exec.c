/*
 * exec.c - the fast interpreter: threaded code over a decode cache, with
 * time kept per basic block.
 *
 * Decode cache.  One slot (struct cpu_insn) per physical RAM word holds the
 * decoded instruction and the address of its handler below, so running an
 * instruction is "do its work, step to the next slot, jump to that slot's
 * handler" (threaded code: no central switch).  A slot whose word was
 * written since it was decoded points at do_decode.  Slots are grouped in
 * lines of CPU_LINE_SLOTS; a line never used is all zero (fn NULL), and is
 * filled with do_decode the first time anything may run in it.
 *
 * Time.  Instead of counting down a cycle budget on every instruction,
 * the interpreter keeps `end`: the address of the slot at which the
 * deadline would fall if execution went straight on from here.  Straight-
 * line code therefore costs no bookkeeping at all; a taken branch moves
 * `end` by the distance it jumped (less the one cycle of the branch), and
 * the cycle counter is always deadline - (end - i) slots.  A block (code
 * entered at a branch target or after a branch) may run unchecked only if
 * it cannot reach `end`; blocks are at most CPU_BLOCK_MAX long, because the
 * last slot of every line of CPU_LINE_SLOTS slots, unless it holds a jump
 * or branch, gets the handler do_line_end, which starts a new block.  (A
 * block can begin there and end with the jump at the last slot of the next
 * line: CPU_LINE_SLOTS + 1 instructions.)  When a block starts closer than
 * that to `end`, the slot at `end` temporarily gets the handler do_deadline
 * (the stop mark); reaching it stops the run on exactly the right cycle,
 * as if every instruction had counted, and a branch first moves the mark.
 *
 * Breakpoints (cpu_set_breakpoint) are slots whose handler is do_break
 * instead of the instruction's own.  Setting or clearing one only sends the
 * slot back to do_decode, which looks the word up in the breakpoint bitmap
 * when it (re)decodes it; so a breakpoint survives a store to its word, the
 * stop mark (which saves and puts back whatever handler the slot had) and
 * line opening, and costs nothing anywhere else.
 *
 * Everything uncommon - a fault, a system instruction other than mfcr and
 * rett, a device register in user mode, a fetch outside the window, a base
 * that is not word-aligned - is handed to the reference (reference.c) for
 * exactly one instruction, and control goes back to the run loop (cpu.c),
 * which looks at traps and devices.  Two things a trap handler does all
 * the time stay in the loop: a kernel lw/sw of a device register (through
 * the bus; the loop returns only if that moved a device's next event
 * before the deadline or raised a line it must look at) and rett (which
 * returns only if something is due at once, and hands back to translated
 * code when it returns to user mode under the translator).
 *
 * Memory checks: `lim` is how many bytes from virtual address 0 may be
 * accessed through the fast path.  In kernel mode that is all of RAM; in
 * user mode it is min(bounds, RAM left after base).  So "va + n <= lim" is
 * the whole base-and-bounds check, one compare.
 */
#include "cpu_private.h"

#include "bus.h"

/* The block accounting counts one cycle per instruction. */
_Static_assert(ISA_CYCLES_INSN == 1, "exec.c assumes one cycle per instruction");
_Static_assert(sizeof(struct cpu_insn) == 16, "a decode-cache slot is 16 bytes");

/* Does a decoded instruction end a block by itself (jumps and branches)? */
static bool cpu_is_jump(const struct cpu_insn *s)
{
    return s->kind >= CPU_KIND_beq && s->kind <= CPU_KIND_jalr;
}

/* Does slot `s` need do_line_end: the last of its line, not a jump? */
static bool cpu_line_end(const struct cpu *cpu, const struct cpu_insn *s)
{
    return (size_t)(s - cpu->icache) % CPU_LINE_SLOTS == CPU_LINE_SLOTS - 1 && !cpu_is_jump(s);
}

/* A line about to be used for the first time: all its slots "decode me". */
static void cpu_open_line(struct cpu *cpu, struct cpu_insn *s)
{
    size_t first = (size_t)(s - cpu->icache) / CPU_LINE_SLOTS * CPU_LINE_SLOTS;
    for (size_t k = 0; k < CPU_LINE_SLOTS; k++)
        cpu->icache[first + k].fn = cpu->decode_fn;
}

/* The line holding a branch's or jal's target is opened when the branch is
 * decoded, so taking it never meets a NULL slot.  A target outside the
 * cache is left alone: it is outside every window, and faults. */
static void cpu_open_target(struct cpu *cpu, struct cpu_insn *s)
{
    ptrdiff_t t = (s - cpu->icache) + (int32_t)s->imm / 4;
    if (t >= 0 && (size_t)t < cpu_icache_slots(cpu->ram_size) && cpu->icache[t].fn == NULL)
        cpu_open_line(cpu, &cpu->icache[t]);
}

bool cpu_exec(struct cpu *cpu, uint64_t deadline)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic" /* labels as values: a GNU extension */
    /* Kind -> handler; one label per opcodes.h entry, so a new opcode
     * without semantics does not compile.  Those that go to do_slow are
     * executed by the reference. */
    static const void *const handler[CPU_NKINDS] = {
        [CPU_KIND_DECODE] = &&do_decode,
        [CPU_KIND_ILLEGAL] = &&do_slow,
#define OP(name, code, fmt, operands, meaning) [CPU_KIND_##name] = &&do_##name,
#include "opcodes.h"
#undef OP
    };
    cpu->decode_fn = &&do_decode;

    uint32_t *const r = cpu->r;
    /* The memory window of the current mode (set at `restart`). */
    bool user;                    /* user mode */
    uint64_t lim;                 /* bytes accessible from virtual address 0 */
    uint32_t mbase;               /* physical address of virtual address 0 */
    uint8_t *mem;                 /* where virtual address 0 is in host memory */
    size_t nslots;                /* fetchable words (slots) of the window */
    struct cpu_insn *ic;          /* slot of virtual address 0 */
    struct cpu_insn *ic_end;      /* first slot outside the window */
    uintptr_t ic_bytes;           /* the window's slots, in bytes */
    struct cpu_insn *i;           /* the instruction being executed */
    uintptr_t end;                /* address of the slot where the deadline falls */
    struct cpu_insn *stop = NULL; /* the slot carrying the stop mark, if any */
    const void *stop_fn = NULL;   /* that slot's own handler, put back after */
    const void *go;               /* do_tail goes on here; NULL: at i->fn */
    uint32_t va;                  /* a load's or store's effective (virtual) address */
    uint32_t target;              /* jalr's target */
    uint32_t value;               /* a device register's value */

/* Operands of the current instruction. */
#define RD  r[i->d]    /* destination (field A; r0 goes to the sink) */
#define RA  r[i->a]    /* field A as a source */
#define RB  r[i->b]    /* field B */
#define RC  r[i->imm]  /* field C (R format keeps it in imm) */
#define IMM i->imm     /* the decoded immediate */
#define EA  (RB + IMM) /* effective address of a load or store */
/* The virtual pc of a slot, and the cycle counter before instruction i. */
#define PC_OF(s) ((uint32_t)((uint32_t)((s)-ic) * 4u))
#define LEFT     ((uint32_t)((end - (uintptr_t)i) / sizeof *i)) /* cycles to the deadline */
#define CYCLE    (deadline - LEFT)

/* Completed; go on with the next word (same block). */
#define NEXT()                                                                                     \
    do {                                                                                           \
        i++;                                                                                       \
        goto * i->fn;                                                                              \
    } while (0)
/* Start a block at i, which is inside the window and in an open line. */
#define ENTER()                                                                                    \
    do {                                                                                           \
        if ((uintptr_t)(i + CPU_BLOCK_MAX) > end) {                                                \
            go = NULL;                                                                             \
            goto do_tail;                                                                          \
        }                                                                                          \
        goto * i->fn;                                                                              \
    } while (0)
/* A branch not taken: the next word starts a block (no window check: the
 * slot past the window is marked, see below). */
#define FALL_THROUGH()                                                                             \
    do {                                                                                           \
        i++;                                                                                       \
        ENTER();                                                                                   \
    } while (0)
/* A jump or branch by IMM bytes (IMM / 4 slots) completed.  The deadline
 * stays as many cycles away as it was, less the one of the branch; a
 * target outside the window is left to the next fetch, which faults. */
#define TAKEN()                                                                                    \
    do {                                                                                           \
        intptr_t by_ = (intptr_t)(int32_t)IMM * (intptr_t)(sizeof *i / 4);                         \
        i = (struct cpu_insn *)((char *)i + by_);                                                  \
        end += (uintptr_t)by_ - sizeof *i;                                                         \
        if ((uintptr_t)i - (uintptr_t)ic >= ic_bytes)                                              \
            goto out;                                                                              \
        ENTER();                                                                                   \
    } while (0)
/* A store to va: a decoded copy of that word is stale now, and so is any
 * translated block (jit.c) holding it; the code map says whether there is
 * one.  The stop mark stays, but what is put back is do_decode. */
#define STORED(va)                                                                                 \
    do {                                                                                           \
        uint8_t code_ = cpu->codemap[(mbase + (va)) / 16];                                         \
        if (code_ != 0) {                                                                          \
            struct cpu_insn *s_ =                                                                  \
                (struct cpu_insn *)((char *)ic + ((va) & ~3u) * (sizeof *ic / 4));                 \
            if (s_ == stop)                                                                        \
                stop_fn = &&do_decode;                                                             \
            else if (s_->fn != NULL)                                                               \
                s_->fn = &&do_decode;                                                              \
            if (code_ & CPU_CODE_JIT)                                                              \
                cpu_jit_flush(cpu);                                                                \
        }                                                                                          \
    } while (0)
/* Take the stop mark away, putting back the slot's handler. */
#define UNMARK()                                                                                   \
    do {                                                                                           \
        if (stop != NULL)                                                                          \
            stop->fn = stop_fn;                                                                    \
        stop = NULL;                                                                               \
    } while (0)

restart: /* at cpu->pc and cpu->cycle, in the mode in cpu->cr[status] */
    user = cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER;
    lim = cpu_access_limit(cpu, user);
    mbase = lim > 0 && user ? cpu->cr[ISA_CR_base] : 0;
    mem = cpu->ram + mbase;
    /* Slots are per aligned physical word: a base that is not a multiple
     * of 4 leaves everything to the reference. */
    nslots = mbase % 4 == 0 ? (size_t)(lim / 4) : 0;
    ic = cpu->icache + mbase / 4;
    ic_end = ic + nslots;
    ic_bytes = nslots * sizeof *ic;
    if (nslots == 0 || cpu->pc % 4 != 0 || cpu->pc / 4 >= nslots) {
        cpu_ref_execute(cpu); /* unaligned base, or a fetch that faults */
        return false;
    }
    i = &ic[cpu->pc / 4];
    end = (uintptr_t)(i + (deadline - cpu->cycle));
    if (i->fn == NULL)
        cpu_open_line(cpu, i);
    /* Walking off the end of the window lands on this slot; marking it
     * "decode me" sends that fetch to do_decode, which checks the window.
     * So sequential execution needs no bounds compare of its own. */
    if (ic_end->fn == NULL)
        cpu_open_line(cpu, ic_end);
    ic_end->fn = &&do_decode;
    ENTER();

do_tail: /* a block starts fewer than CPU_BLOCK_MAX cycles before the deadline */
    if ((uintptr_t)stop != end) {
        UNMARK();
        if ((uintptr_t)i == end)
            goto out;
        stop = (struct cpu_insn *)end;
        if (stop->fn == NULL)
            cpu_open_line(cpu, stop);
        stop_fn = stop->fn;
        stop->fn = &&do_deadline;
    }
    if (go == NULL)
        go = i->fn; /* read after the old mark is gone: it may have been on i */
    goto *go;

do_deadline: /* straight-line execution reached the deadline */
    goto out;

do_line_end: /* the last slot of a line: a new block starts here */
    go = handler[i->kind];
    if ((uintptr_t)(i + CPU_BLOCK_MAX) > end)
        goto do_tail;
    goto *go;

do_decode:             /* first execution of this slot since it was (re)written */
    if (i >= ic_end) { /* ran off the end of the window: the reference faults */
        cpu->pc = PC_OF(i);
        cpu->cycle = CYCLE;
        UNMARK();
        cpu_ref_execute(cpu);
        return false;
    }
    cpu_decode(cpu_ld32(mem + PC_OF(i)), i);
    cpu->codemap[(size_t)(i - cpu->icache) / 4] |= CPU_CODE_INTERP;
    i->fn = cpu_line_end(cpu, i) ? &&do_line_end : handler[i->kind];
    if (cpu_break_on_word(cpu, (size_t)(i - cpu->icache)))
        i->fn = &&do_break;
    if (cpu_is_jump(i) && i->kind != CPU_KIND_jalr)
        cpu_open_target(cpu, i);
    if ((size_t)(i - cpu->icache) % CPU_LINE_SLOTS == CPU_LINE_SLOTS - 1 && i[1].fn == NULL)
        cpu_open_line(cpu, i + 1); /* where a branch here falls through */
    goto * i->fn;

do_break: /* a front-end breakpoint: the run loop reports it, unless this
           * run began with this very instruction, which then runs as usual */
    if (CYCLE != cpu->run_start)
        goto out;
    goto *(cpu_line_end(cpu, i) ? &&do_line_end : handler[i->kind]);

do_slow: /* the reference executes this one instruction */
    cpu->pc = PC_OF(i);
    cpu->cycle = CYCLE;
    UNMARK();
    cpu_ref_run(cpu, i); /* the slot is still right: only a store changes code */
    return false;

    /* ---- ALU, register-register */
do_add:
    RD = RB + RC;
    NEXT();
do_sub:
    RD = RB - RC;
    NEXT();
do_and:
    RD = RB & RC;
    NEXT();
do_or:
    RD = RB | RC;
    NEXT();
do_xor:
    RD = RB ^ RC;
    NEXT();
do_sll:
    RD = RB << (RC & 31);
    NEXT();
do_srl:
    RD = RB >> (RC & 31);
    NEXT();
do_sra: /* gcc and clang shift signed values arithmetically */
    RD = (uint32_t)((int32_t)RB >> (RC & 31));
    NEXT();
do_slt:
    RD = (int32_t)RB < (int32_t)RC;
    NEXT();
do_sltu:
    RD = RB < RC;
    NEXT();
do_mul:
    RD = RB * RC;
    NEXT();
do_mulh:
    RD = (uint32_t)((uint64_t)((int64_t)(int32_t)RB * (int32_t)RC) >> 32);
    NEXT();
do_mulhu:
    RD = (uint32_t)(((uint64_t)RB * RC) >> 32);
    NEXT();
do_div:
    if (RC == 0)
        goto do_slow;
    RD = cpu_div_signed(RB, RC);
    NEXT();
do_divu:
    if (RC == 0)
        goto do_slow;
    RD = RB / RC;
    NEXT();
do_rem:
    if (RC == 0)
        goto do_slow;
    RD = cpu_rem_signed(RB, RC);
    NEXT();
do_remu:
    if (RC == 0)
        goto do_slow;
    RD = RB % RC;
    NEXT();

    /* ---- ALU, register-immediate (IMM is already extended) */
do_addi:
    RD = RB + IMM;
    NEXT();
do_andi:
    RD = RB & IMM;
    NEXT();
do_ori:
    RD = RB | IMM;
    NEXT();
do_xori:
    RD = RB ^ IMM;
    NEXT();
do_slli:
    RD = RB << IMM;
    NEXT();
do_srli:
    RD = RB >> IMM;
    NEXT();
do_srai:
    RD = (uint32_t)((int32_t)RB >> IMM);
    NEXT();
do_slti:
    RD = (int32_t)RB < (int32_t)IMM;
    NEXT();
do_sltiu:
    RD = RB < IMM;
    NEXT();
do_lui:
    RD = IMM << 16;
    NEXT();

    /* ---- Loads and stores inside the window; anything else (misaligned,
     * protection, a device) goes to the reference. */
do_lb:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        goto do_slow;
    RD = (uint32_t)(int32_t)(int8_t)mem[va];
    NEXT();
do_lbu:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        goto do_slow;
    RD = mem[va];
    NEXT();
do_lh:
    va = EA;
    if (va % 2 != 0 || (uint64_t)va + 2 > lim)
        goto do_slow;
    RD = (uint32_t)(int32_t)(int16_t)cpu_ld16(mem + va);
    NEXT();
do_lhu:
    va = EA;
    if (va % 2 != 0 || (uint64_t)va + 2 > lim)
        goto do_slow;
    RD = cpu_ld16(mem + va);
    NEXT();
do_lw:
    va = EA;
    if (va % 4 != 0 || (uint64_t)va + 4 > lim)
        goto do_lw_other;
    RD = cpu_ld32(mem + va);
    NEXT();
do_sb:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        goto do_slow;
    mem[va] = (uint8_t)RA;
    STORED(va);
    NEXT();
do_sh:
    va = EA;
    if (va % 2 != 0 || (uint64_t)va + 2 > lim)
        goto do_slow;
    cpu_st16(mem + va, RA);
    STORED(va);
    NEXT();
do_sw:
    va = EA;
    if (va % 4 != 0 || (uint64_t)va + 4 > lim)
        goto do_sw_other;
    cpu_st32(mem + va, RA);
    STORED(va);
    NEXT();

    /* Kernel word access to a device register, done here so that a timer
     * handler needs no trip through the run loop.  Faults, and any access
     * while the stop mark is out (a device may write RAM), go to the
     * reference. */
do_lw_other:
    if (user || va % 4 != 0 || stop != NULL)
        goto do_slow;
    cpu->pc = PC_OF(i);
    cpu->cycle = CYCLE;
    if (bus_read(cpu->bus, va, &value, CYCLE + ISA_CYCLES_INSN) != 0)
        goto do_slow; /* nothing there: the reference raises the fault */
    RD = value;
    goto device_done;
do_sw_other:
    if (user || va % 4 != 0 || stop != NULL)
        goto do_slow;
    cpu->pc = PC_OF(i);
    cpu->cycle = CYCLE;
    if (bus_write(cpu->bus, va, RA, CYCLE + ISA_CYCLES_INSN) != 0)
        goto do_slow;
device_done: /* the run loop must look if a line rose, an event moved closer
              * or an event observer asked for a stop */
    i++;
    if (((cpu->cr[ISA_CR_status] & ISA_STATUS_IE) && (bus_irq_lines(cpu->bus) & CPU_IRQ_MASK)) ||
        bus_next_event(cpu->bus) < deadline || cpu->stop_requested)
        goto out;
    goto * i->fn;

    /* ---- Branches and jumps end a block (IMM: byte offset from here) */
do_beq:
    if (RA == RB)
        TAKEN();
    FALL_THROUGH();
do_bne:
    if (RA != RB)
        TAKEN();
    FALL_THROUGH();
do_blt:
    if ((int32_t)RA < (int32_t)RB)
        TAKEN();
    FALL_THROUGH();
do_bge:
    if ((int32_t)RA >= (int32_t)RB)
        TAKEN();
    FALL_THROUGH();
do_bltu:
    if (RA < RB)
        TAKEN();
    FALL_THROUGH();
do_bgeu:
    if (RA >= RB)
        TAKEN();
    FALL_THROUGH();
do_jal:
    RD = PC_OF(i) + 4;
    TAKEN();
do_jalr:
    target = RB + IMM; /* before RD: rd may be rs */
    RD = PC_OF(i) + 4;
    end -= (uintptr_t)i + sizeof *i; /* cycles left after the jalr ... */
    if (target % 4 != 0 || target / 4 >= nslots) {
        cpu->pc = target; /* the next fetch faults */
        cpu->cycle = deadline - end / sizeof *i;
        goto leave;
    }
    i = &ic[target / 4];
    end += (uintptr_t)i; /* ... counted from the target */
    if (i->fn == NULL)
        cpu_open_line(cpu, i);
    ENTER();

    /* ---- System: only mfcr and rett are common enough for a fast path */
do_mfcr:
    if (IMM == ISA_CR_cycle)
        RD = (uint32_t)CYCLE;
    else if (IMM == ISA_CR_cycleh)
        RD = (uint32_t)(CYCLE >> 32);
    else if (user)
        goto do_slow;
    else
        RD = cpu->cr[IMM];
    NEXT();
do_rett:                      /* done here too, so that returning from a handler needs no trip
                               * through the run loop unless an interrupt is due at once */
    if (user || stop != NULL) /* with the stop mark out, the reference does it: */
        goto do_slow;         /* the mark must come off before the window changes */
    cpu->pc = PC_OF(i);
    cpu->cycle = CYCLE;
    cpu_return_from_trap(cpu);
    if (cpu->halted || cpu->stop_requested || cpu->cycle >= deadline ||
        ((cpu->cr[ISA_CR_status] & ISA_STATUS_IE) && (bus_irq_lines(cpu->bus) & CPU_IRQ_MASK)))
        return false;
    if (cpu->engine == CPU_ENGINE_TRANSLATE && !(cpu->cr[ISA_CR_status] & ISA_STATUS_KERNEL))
        return true; /* user code is the translator's: back to it (cpu.c) */
    goto restart;
do_syscall:
do_brk:
do_wfi:
do_halt:
do_mtcr:
    goto do_slow;

out: /* at an instruction boundary */
    cpu->pc = PC_OF(i);
    cpu->cycle = CYCLE;
leave:
    UNMARK();
    return false;

#undef RD
#undef RA
#undef RB
#undef RC
#undef IMM
#undef EA
#undef PC_OF
#undef CYCLE
#undef NEXT
#undef LEFT
#undef ENTER
#undef FALL_THROUGH
#undef TAKEN
#undef STORED
#undef UNMARK
#pragma GCC diagnostic pop
}
