/*
 * exec.c - the interpreter: decoded instructions, computed-goto dispatch.
 *
 * cpu_exec() runs a burst of instructions with the hot state in local
 * variables: the pc, a cursor `i` into the decode cache, the cycles `left`
 * until the deadline, the memory window.  It returns to the run loop
 * (cpu.c) when the deadline is reached or when an instruction may have
 * changed something the run loop must look at: a trap was raised, a device
 * was accessed (an interrupt line may have moved), mode/IE/base/bounds were
 * written, wfi, halt.  Between those, no device is ever polled.
 *
 * Fetch goes through a cache of decoded instructions indexed by physical
 * address / 4.  Stores by this CPU clear the slots they overwrite, and
 * anything else that writes RAM calls bus_ram_written(), which clears them
 * too, so self-modifying code sees its own stores.
 *
 * Memory checks: `lim` is how many bytes from virtual address 0 may be
 * accessed through the fast path.  In kernel mode that is all of RAM; in
 * user mode it is min(bounds, RAM left after base).  So "va + n <= lim" is
 * the whole base-and-bounds check, one compare.
 */
#include "cpu_private.h"

#include "bus.h"

/* Each completed instruction counts down `left` by one. */
_Static_assert(ISA_CYCLES_INSN == 1, "exec.c assumes one cycle per instruction");

/* Accessible bytes from virtual address 0 in the current mode (see above). */
static uint64_t cpu_access_limit(const struct cpu *cpu, bool user)
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

void cpu_exec(struct cpu *cpu, uint64_t deadline)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic" /* labels as values: a GNU extension */
    /* Kind -> code; one label per opcodes.h entry, so a new opcode without
     * semantics does not compile. */
    static const void *const dispatch[CPU_NKINDS] = {
        [CPU_KIND_DECODE] = &&do_decode,
        [CPU_KIND_ILLEGAL] = &&do_illegal,
#define OP(name, code, fmt, operands, meaning) [CPU_KIND_##name] = &&do_##name,
#include "opcodes.h"
#undef OP
    };
    uint32_t *const r = cpu->r;
    const bool user = cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER;
    const uint64_t lim = cpu_access_limit(cpu, user);
    const uint32_t mbase = lim > 0 && user ? cpu->cr[ISA_CR_base] : 0; /* physical of va 0 */
    uint8_t *const mem = cpu->ram + mbase;
    struct cpu_insn *const icache = cpu->icache;
    /* Cache slots are per aligned physical word, so fetching through the
     * cache needs a word-aligned base; otherwise every fetch is decoded
     * into cpu->scratch, one instruction per call. */
    const bool cacheable = mbase % 4 == 0 && lim >= 4;
    const uint32_t fetch_end = cacheable ? (uint32_t)(lim - 3) : 0; /* aligned pc < end: ok */
    struct cpu_insn *const ic = icache + mbase / 4;                 /* slot of virtual address 0 */
    struct cpu_insn *const ic_end = ic + (size_t)lim / 4; /* first slot not fully inside */
    uint32_t pc = cpu->pc;                                /* address of the instruction in `i` */
    uint32_t left = (uint32_t)(deadline - cpu->cycle);    /* cycles to the deadline (>= 1) */
    struct cpu_insn *i;                                   /* the instruction being executed */
    uint32_t va;     /* a load's or store's effective (virtual) address */
    uint32_t value;  /* a device register's value */
    uint32_t target; /* jalr's target */

    /* Walking off the end of the window lands on this slot; marking it
     * undecoded sends that fetch to do_decode, which checks the window.
     * So sequential execution needs no bounds compare of its own. */
    if (cacheable)
        ic_end->kind = CPU_KIND_DECODE;

/* Operands of the current instruction. */
#define RD    r[i->d]           /* destination (field A; r0 goes to the sink) */
#define RA    r[i->a]           /* field A as a source */
#define RB    r[i->b]           /* field B */
#define RC    r[i->imm]         /* field C (R format keeps it in imm) */
#define IMM   i->imm            /* the decoded immediate */
#define EA    (RB + IMM)        /* effective address of a load or store */
#define CYCLE (deadline - left) /* the cycle counter */

#define DISPATCH() goto *dispatch[i->kind]
/* The instruction completed (one cycle); stop at the deadline. */
#define RETIRE()                                                                                   \
    do {                                                                                           \
        if (--left == 0)                                                                           \
            goto out;                                                                              \
    } while (0)
/* Completed; go on with the next word. */
#define NEXT()                                                                                     \
    do {                                                                                           \
        pc += 4;                                                                                   \
        i++;                                                                                       \
        RETIRE();                                                                                  \
        DISPATCH();                                                                                \
    } while (0)
/* Completed; go on at pc, which was just set to an aligned target. */
#define JUMP()                                                                                     \
    do {                                                                                           \
        RETIRE();                                                                                  \
        if (pc >= fetch_end)                                                                       \
            goto fetch_slow;                                                                       \
        i = &ic[pc >> 2];                                                                          \
        DISPATCH();                                                                                \
    } while (0)
/* Completed, but the run loop must look at the machine before going on. */
#define DONE_THEN_CHECK()                                                                          \
    do {                                                                                           \
        pc += 4;                                                                                   \
        left--;                                                                                    \
        goto out;                                                                                  \
    } while (0)
#define SYNC() (cpu->pc = pc, cpu->cycle = CYCLE)
/* The instruction at pc faults: it does not complete and costs nothing. */
#define RAISE(cause, faddr)                                                                        \
    do {                                                                                           \
        SYNC();                                                                                    \
        cpu_raise(cpu, (cause), (faddr));                                                          \
        return;                                                                                    \
    } while (0)
/* Invalidate the cache slots under a store of n bytes at va. */
#define STORED(va, n)                                                                              \
    (icache[(mbase + (va)) >> 2].kind = CPU_KIND_DECODE,                                           \
     icache[(mbase + (va) + (n)-1) >> 2].kind = CPU_KIND_DECODE)

    if (pc % 4 != 0 || pc >= fetch_end)
        goto fetch_slow;
    i = &ic[pc >> 2];
    DISPATCH();

fetch_slow: /* misaligned, outside the window, or not cacheable */
    if (pc % 4 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, pc);
    if ((uint64_t)pc + 4 > lim)
        RAISE(ISA_CAUSE_PROTECTION, pc);
    i = &cpu->scratch;
    cpu_decode(cpu_ld32(mem + pc), i);
    deadline -= left - 1; /* scratch holds one instruction: stop after it */
    left = 1;
    DISPATCH();

do_decode: /* first execution of this slot since it was (re)written */
    if (i >= ic_end)
        goto fetch_slow; /* ran off the end of the window */
    cpu_decode(cpu_ld32(mem + pc), i);
    DISPATCH();

do_illegal:
    RAISE(ISA_CAUSE_ILLEGAL, 0);

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
        RAISE(ISA_CAUSE_DIV_ZERO, 0);
    RD = cpu_div_signed(RB, RC);
    NEXT();
do_divu:
    if (RC == 0)
        RAISE(ISA_CAUSE_DIV_ZERO, 0);
    RD = RB / RC;
    NEXT();
do_rem:
    if (RC == 0)
        RAISE(ISA_CAUSE_DIV_ZERO, 0);
    RD = cpu_rem_signed(RB, RC);
    NEXT();
do_remu:
    if (RC == 0)
        RAISE(ISA_CAUSE_DIV_ZERO, 0);
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

    /* ---- Loads.  Alignment first, then the window; only a kernel lw
     * outside RAM can reach a device. */
do_lb:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    RD = (uint32_t)(int32_t)(int8_t)mem[va];
    NEXT();
do_lbu:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    RD = mem[va];
    NEXT();
do_lh:
    va = EA;
    if (va % 2 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, va);
    if ((uint64_t)va + 2 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    RD = (uint32_t)(int32_t)(int16_t)cpu_ld16(mem + va);
    NEXT();
do_lhu:
    va = EA;
    if (va % 2 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, va);
    if ((uint64_t)va + 2 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    RD = cpu_ld16(mem + va);
    NEXT();
do_lw:
    va = EA;
    if (va % 4 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, va);
    if ((uint64_t)va + 4 <= lim) {
        RD = cpu_ld32(mem + va);
        NEXT();
    }
    SYNC(); /* a device sees the time after this instruction completes */
    if (user || bus_read(cpu->bus, va, &value, CYCLE + ISA_CYCLES_INSN) != 0)
        RAISE(ISA_CAUSE_PROTECTION, va);
    RD = value;
    DONE_THEN_CHECK();

    /* ---- Stores */
do_sb:
    va = EA;
    if ((uint64_t)va + 1 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    mem[va] = (uint8_t)RA;
    STORED(va, 1);
    NEXT();
do_sh:
    va = EA;
    if (va % 2 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, va);
    if ((uint64_t)va + 2 > lim)
        RAISE(ISA_CAUSE_PROTECTION, va);
    cpu_st16(mem + va, RA);
    STORED(va, 2);
    NEXT();
do_sw:
    va = EA;
    if (va % 4 != 0)
        RAISE(ISA_CAUSE_MISALIGNED, va);
    if ((uint64_t)va + 4 <= lim) {
        cpu_st32(mem + va, RA);
        STORED(va, 4);
        NEXT();
    }
    SYNC();
    if (user || bus_write(cpu->bus, va, RA, CYCLE + ISA_CYCLES_INSN) != 0)
        RAISE(ISA_CAUSE_PROTECTION, va);
    DONE_THEN_CHECK();

    /* ---- Branches and jumps (IMM is a byte offset from this instruction) */
do_beq:
    if (RA == RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_bne:
    if (RA != RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_blt:
    if ((int32_t)RA < (int32_t)RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_bge:
    if ((int32_t)RA >= (int32_t)RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_bltu:
    if (RA < RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_bgeu:
    if (RA >= RB) {
        pc += IMM;
        JUMP();
    }
    NEXT();
do_jal:
    RD = pc + 4;
    pc += IMM;
    JUMP();
do_jalr:
    target = RB + IMM; /* before RD: rd may be rs */
    RD = pc + 4;
    pc = target;
    RETIRE();
    if (pc % 4 != 0 || pc >= fetch_end)
        goto fetch_slow; /* which faults MISALIGNED or PROTECTION at the fetch */
    i = &ic[pc >> 2];
    DISPATCH();

    /* ---- System */
do_syscall: /* completes: the saved pc is the next instruction */
    pc += 4;
    left--;
    RAISE(ISA_CAUSE_SYSCALL, 0);
do_brk:
    RAISE(ISA_CAUSE_BREAKPOINT, 0);
do_rett:
    if (user)
        RAISE(ISA_CAUSE_PRIVILEGED, 0);
    SYNC();
    cpu_return_from_trap(cpu);
    return;
do_wfi:
    if (user)
        RAISE(ISA_CAUSE_PRIVILEGED, 0);
    cpu->waiting = true;
    DONE_THEN_CHECK();
do_halt:
    if (user)
        RAISE(ISA_CAUSE_PRIVILEGED, 0);
    pc += 4;
    left--;
    SYNC();
    cpu_stop_machine(cpu, CPU_STOP_HALT, RA, NULL);
    return;
do_mfcr:
    if (user && IMM != ISA_CR_cycle && IMM != ISA_CR_cycleh)
        RAISE(ISA_CAUSE_PRIVILEGED, 0);
    if (IMM == ISA_CR_cycle)
        RD = (uint32_t)CYCLE;
    else if (IMM == ISA_CR_cycleh)
        RD = (uint32_t)(CYCLE >> 32);
    else
        RD = cpu->cr[IMM];
    NEXT();
do_mtcr:
    if (user)
        RAISE(ISA_CAUSE_PRIVILEGED, 0);
    cpu_write_cr(cpu, (enum isa_cr)IMM, RB);
    DONE_THEN_CHECK(); /* mode window or IE may have changed */

out:
    SYNC();
    return;

#undef RD
#undef RA
#undef RB
#undef RC
#undef IMM
#undef EA
#undef CYCLE
#undef DISPATCH
#undef RETIRE
#undef JUMP
#undef NEXT
#undef DONE_THEN_CHECK
#undef SYNC
#undef RAISE
#undef STORED
#pragma GCC diagnostic pop
}
