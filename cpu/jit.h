/*
 * jit.h - the block translator's parts shared by jit.c and translate.c.
 *
 * The translator turns a block of LDE32 instructions (straight-line code
 * ending at a jump, a branch or a syscall, or after JIT_BLOCK_MAX
 * instructions) into x86-64 code that does exactly what
 * the reference would do for those instructions, cycle by cycle, and gives
 * control back whenever something needs the run loop.  jit.c keeps the
 * translated blocks (the cache), runs them and links them to each other;
 * translate.c produces the code of one block.  docs/performance.md
 * explains the design; every run is checked against the reference by
 * tests/unit/test_diff.c.
 *
 * While translated code runs, five host registers hold the machine:
 *
 *   rbx  struct cpu *               the guest registers are at rbx + offset
 *   rbp  host address of virtual 0  a guest access at va is at [rbp + va]
 *   r12  cycles left (signed)       each block subtracts its length on entry
 *   r13  bytes accessible from 0    an access is allowed if va + n <= r13
 *   r15  code map at virtual 0      a store at va looks at [r15 + va / 16]
 *
 * rax, rcx and rdx are scratch; rsi, rdi, r8-r11 and r14 hold guest
 * registers, chosen per block.
 */
#ifndef LDE_JIT_H
#define LDE_JIT_H

#include "cpu_private.h"

/* A block is at most this many instructions, so the interpreter, which runs
 * what is left when the deadline falls inside a block, runs few. */
#define JIT_BLOCK_MAX 32u

/* Why translated code gave control back (the value in eax at the exit). */
enum jit_exit {
    JIT_EXIT_BUDGET,  /* the block at pc does not fit in the cycles left */
    JIT_EXIT_CHAIN,   /* pc = a direct jump's target, not linked yet; cpu->jit_regs.patch
                         is the jump to link */
    JIT_EXIT_LOOKUP,  /* pc = an indirect jump's target, not in the lookup table */
    JIT_EXIT_SLOW,    /* the instruction at pc is the reference's to execute */
    JIT_EXIT_SYSCALL, /* a syscall instruction completed (pc is after it): raise the trap */
};

/* One translated block. */
struct jit_block {
    uint32_t va;            /* virtual pc of its first instruction */
    uint32_t ctx;           /* the memory window it was translated for */
    uint32_t pa;            /* physical address of its first instruction */
    uint32_t ninsns;        /* instructions in it */
    const uint8_t *code;    /* host code: the entry */
    struct jit_block *next; /* next block in the same hash bucket */
};

/* An entry of the table that indirect jumps (jalr) look their target up
 * in from translated code: 16 bytes, found by (va / 4) % JIT_FAST_SIZE. */
struct jit_fast {
    uint32_t va;         /* virtual pc */
    uint32_t ctx;        /* window */
    const uint8_t *code; /* the block's entry */
};

#define JIT_FAST_SIZE 4096u

/* translate.c's jalr indexes the table with a mask and a shift by 4. */
_Static_assert((JIT_FAST_SIZE & (JIT_FAST_SIZE - 1)) == 0, "JIT_FAST_SIZE is a power of two");
_Static_assert(sizeof(struct jit_fast) == 16, "a jit_fast entry is 16 bytes");

/* What translate.c needs to know to translate a block. */
struct jit_target {
    uint8_t *buf;                /* where the block's code goes */
    uint8_t *buf_end;            /* end of the room */
    const uint8_t *exit;         /* the common exit (see jit.c) */
    const struct jit_fast *fast; /* the indirect-jump table */
    uint32_t ctx;                /* the window's number */
    uint32_t mbase;              /* physical address of virtual 0 */
    uint64_t lim;                /* bytes accessible from virtual 0 */
};

/* Translate the block at virtual `va` (inside the window, aligned).  Fills
 * `b` (all but ctx and next) and returns the number of code bytes, 0 if
 * the first instruction cannot be translated (the reference runs it), or
 * -1 if it could not be translated (its code did not fit in the room). */
long jit_translate(const struct cpu *cpu, const struct jit_target *t, uint32_t va,
                   struct jit_block *b);

#endif /* LDE_JIT_H */
