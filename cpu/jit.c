/*
 * jit.c - the block translator's cache: find or translate the block at pc,
 * run translated code, link blocks to each other, forget them all when code
 * changes.
 *
 * cpu_jit_run() is called by the run loop (cpu.c) with a deadline, like
 * the interpreter.  It runs translated blocks, which jump from one to the
 * next by themselves once linked, until one of them hands control back:
 *
 *   - the next block does not fit before the deadline: the interpreter
 *     runs the few cycles left, stopping exactly on the deadline;
 *   - the next instruction is one only the reference executes (a system
 *     instruction, a fault, a device register, a store into code, a
 *     breakpoint): in user code the reference executes it here and
 *     translated code goes on, unless the run loop must look first (a
 *     trap to deliver, an interrupt, a breakpoint); in kernel code the
 *     interpreter takes over (below);
 *   - a jump to a block not linked yet: translate or find it, link the
 *     jump, go on;
 *   - a syscall completed at the end of a block: raise the trap, which
 *     the run loop delivers.
 *
 * Kernel code.  A kernel handler is short and mostly talks to devices and
 * returns from traps, which the interpreter (exec.c) does without leaving
 * its loop.  So when translated kernel code meets an instruction it leaves
 * to the reference, the interpreter runs on from there until the kernel
 * returns to user mode (exec.c's rett hands back then) or the deadline;
 * kernel code that computes for long stretches stays translated.
 *
 * Windows.  Translated code depends on the memory window it runs in: user
 * code at virtual pc is at physical base + pc.  Blocks are kept per window
 * (kernel, or user with one base and bounds), numbered in order of first
 * use; a process switch only changes the window number, so the blocks of
 * every process stay translated.
 *
 * Forgetting.  A byte per 16 bytes of RAM (cpu->codemap) says which
 * granules hold decoded or translated code.  Every store into such a
 * granule throws away every translated block (cpu_jit_flush): translated
 * code sends those stores to the reference, whose store and every DMA or
 * trap frame written over one end in cpu_invalidate(); the interpreter's
 * own stores call cpu_jit_flush directly (exec.c's STORED).  Programs rarely write code, and then
 * usually a whole program at a time (the OS loading one), so forgetting
 * everything keeps this simple without costing time.
 */
#include "jit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bus.h"
#include "x64.h"

#define JIT_CODE_SIZE   (32u << 20) /* bytes of host code */
#define JIT_MAX_BLOCKS  65536u      /* translated blocks */
#define JIT_HASH_SIZE   16384u      /* buckets of the block hash table */
#define JIT_MAX_WINDOWS 64u         /* distinct memory windows */
#define JIT_BLOCK_ROOM  (32u << 10) /* room a translation may need, at most */

/* A memory window: kernel, or user with a base and bounds. */
struct jit_window {
    bool user;       /* user mode */
    uint32_t base;   /* physical address of virtual 0 (0 in kernel mode) */
    uint32_t bounds; /* the bounds register (0 in kernel mode) */
    uint64_t lim;    /* bytes accessible from virtual 0 */
};

typedef enum jit_exit (*jit_enter_fn)(struct cpu *cpu, const uint8_t *code);

struct jit {
    uint8_t *code;                         /* host code: readable, writable, executable */
    uint8_t *code_blocks;                  /* where blocks start (after enter and exit) */
    uint8_t *code_free;                    /* first free byte */
    jit_enter_fn enter;                    /* the way into translated code */
    const uint8_t *exit;                   /* and the way out */
    const uint8_t *miss;                   /* exit with JIT_EXIT_LOOKUP: empty jit_fast entries */
    struct jit_block *blocks;              /* the translated blocks */
    unsigned nblocks;                      /* ... how many */
    struct jit_block *hash[JIT_HASH_SIZE]; /* blocks by (window, va) */
    struct jit_fast fast[JIT_FAST_SIZE];   /* indirect-jump targets, for translated code */
    struct jit_window windows[JIT_MAX_WINDOWS]; /* windows seen, numbered by index */
    unsigned nwindows;                          /* ... how many */
    uint32_t window;                            /* the current window's number */
    uint32_t prev_window;                       /* the one before it */
    bool window_set;  /* jit_regs hold that window (false after a window that cannot run) */
    uint64_t flushes; /* how many times every block was thrown away */
};

/* ---- Entering and leaving translated code */

/* enter(cpu, code): save the host's callee-saved registers, load the fixed
 * registers of jit.h from cpu->jit_regs, jump to code.  exit: store the
 * cycles left and return eax (the exit reason) to enter's caller. */
static void jit_emit_enter_exit(struct jit *j)
{
    static const uint8_t saved[] = {X64_RBX, X64_RBP, X64_R12, X64_R13, X64_R14, X64_R15};
    struct x64 x = {j->code, j->code + JIT_CODE_SIZE, false};
    const int32_t regs = (int32_t)offsetof(struct cpu, jit_regs);

    for (unsigned k = 0; k < sizeof saved; k++)
        x64_push(&x, saved[k]);
    x64_op(&x, true, false, false, 0x8b, X64_RBX, x64_r(X64_RDI)); /* mov rbx, rdi */
    x64_mov_r64_rm(&x, X64_RBP, x64_m(X64_RBX, regs + (int32_t)offsetof(struct cpu_jit_regs, mem)));
    x64_mov_r64_rm(&x, X64_R12,
                   x64_m(X64_RBX, regs + (int32_t)offsetof(struct cpu_jit_regs, left)));
    x64_mov_r64_rm(&x, X64_R13, x64_m(X64_RBX, regs + (int32_t)offsetof(struct cpu_jit_regs, lim)));
    x64_mov_r64_rm(&x, X64_R15,
                   x64_m(X64_RBX, regs + (int32_t)offsetof(struct cpu_jit_regs, codemap)));
    x64_jmp_rm(&x, x64_r(X64_RSI));

    j->exit = x.p;
    x64_mov_rm_r64(&x, x64_m(X64_RBX, regs + (int32_t)offsetof(struct cpu_jit_regs, left)),
                   X64_R12);
    for (unsigned k = sizeof saved; k-- > 0;)
        x64_pop(&x, saved[k]);
    x64_ret(&x);
    j->miss = x.p;
    x64_mov_r_imm(&x, X64_RAX, JIT_EXIT_LOOKUP);
    x64_jmp_to(&x, j->exit);

    /* ISO C has no cast from data to function pointers; the bytes are it. */
    uint8_t *enter = j->code;
    memcpy(&j->enter, &enter, sizeof enter);
    /* Blocks start on a cache line of their own, after enter and exit. */
    j->code_blocks = (uint8_t *)(((uintptr_t)x.p + 63) & ~(uintptr_t)63);
    j->code_free = j->code_blocks;
}

/* An empty entry may still match a jalr target (va 0 in window 0), so it
 * leads to the exit that asks jit.c. */
static void jit_clear_fast(struct jit *j)
{
    for (unsigned k = 0; k < JIT_FAST_SIZE; k++)
        j->fast[k] = (struct jit_fast){0, 0, j->miss};
}

struct jit *cpu_jit_create(void)
{
    struct jit *j = calloc(1, sizeof *j);
    if (j == NULL)
        return NULL;
    j->blocks = calloc(JIT_MAX_BLOCKS, sizeof *j->blocks);
    void *code = mmap(NULL, JIT_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (j->blocks == NULL || code == MAP_FAILED) { /* e.g. a host that forbids such pages */
        free(j->blocks);
        free(j);
        return NULL;
    }
    j->code = code;
    jit_emit_enter_exit(j);
    jit_clear_fast(j);
    return j;
}

void cpu_jit_destroy(struct jit *j)
{
    if (j == NULL)
        return;
    munmap(j->code, JIT_CODE_SIZE);
    free(j->blocks);
    free(j);
}

uint64_t cpu_jit_flushes(const struct cpu *cpu)
{
    return cpu->jit != NULL ? cpu->jit->flushes : 0;
}

/* ---- Forgetting */

/* Set or clear CPU_CODE_JIT over the granules of block b's words (its
 * first word for an empty block). */
static void jit_mark_code(struct cpu *cpu, const struct jit_block *b, bool on)
{
    uint32_t words = b->ninsns > 0 ? b->ninsns : 1;
    for (uint32_t g = b->pa / 16; g <= (b->pa + 4 * words - 1) / 16; g++) {
        if (on)
            cpu->codemap[g] |= CPU_CODE_JIT;
        else
            cpu->codemap[g] &= (uint8_t)~CPU_CODE_JIT;
    }
}

static unsigned jit_hash(uint32_t window, uint32_t va)
{
    /* Words of one window fill consecutive buckets; an odd multiplier
     * spreads the windows (processes) over the table. */
    return ((va >> 2) ^ (window * 0x9e37u)) % JIT_HASH_SIZE;
}

void cpu_jit_flush(struct cpu *cpu)
{
    struct jit *j = cpu->jit;
    if (j == NULL || j->nblocks == 0)
        return;
    /* Undo what each block left behind (cheaper than clearing whole
     * tables when a program keeps rewriting one block). */
    for (unsigned k = 0; k < j->nblocks; k++) {
        const struct jit_block *b = &j->blocks[k];
        jit_mark_code(cpu, b, false);
        j->hash[jit_hash(b->ctx, b->va)] = NULL;
        j->fast[(b->va >> 2) % JIT_FAST_SIZE] = (struct jit_fast){0, 0, j->miss};
    }
    j->nblocks = 0;
    j->code_free = j->code_blocks;
    j->flushes++;
}

/* ---- Windows and blocks */

/* Is window n the one the CPU is in (mode, base, bounds in w)? */
static bool jit_window_is(const struct jit *j, unsigned n, const struct jit_window *w)
{
    if (n >= j->nwindows)
        return false;
    const struct jit_window *o = &j->windows[n];
    return o->user == w->user && o->base == w->base && o->bounds == w->bounds;
}

/* Make window n the current one. */
static void jit_use_window(struct cpu *cpu, struct jit *j, unsigned n)
{
    if (n != j->window) {
        j->prev_window = j->window;
        j->window = n;
    }
    j->window_set = true;
    cpu->jit_regs.mem = cpu->ram + j->windows[n].base;
    cpu->jit_regs.lim = j->windows[n].lim;
    cpu->jit_regs.codemap = cpu->codemap + j->windows[n].base / 16;
}

/* Set up cpu->jit_regs and j->window for the current mode.  False when
 * translated code cannot run here: a base that is not a multiple of 16
 * (the code map is per 16 bytes) or a window too small for one word.
 * The CPU goes back and forth between the kernel and a process, so the
 * window before the current one is tried first. */
static bool jit_enter_window(struct cpu *cpu, struct jit *j)
{
    bool user = cpu_mode_of(cpu->cr[ISA_CR_status]) == CPU_MODE_USER;
    struct jit_window w = {user, user ? cpu->cr[ISA_CR_base] : 0, user ? cpu->cr[ISA_CR_bounds] : 0,
                           0};

    if (j->window_set && jit_window_is(j, j->window, &w))
        return true; /* the same as last time */
    unsigned n = jit_window_is(j, j->prev_window, &w) ? j->prev_window : 0;
    while (n < j->nwindows && !jit_window_is(j, n, &w))
        n++;
    if (n == j->nwindows) { /* a new one */
        w.lim = cpu_access_limit(cpu, user);
        j->window_set = false;
        if (w.base % 16 != 0 || w.lim < 4)
            return false;
        if (n == JIT_MAX_WINDOWS) { /* numbers are in blocks: start afresh */
            cpu_jit_flush(cpu);
            n = 0;
            j->prev_window = j->window = 0;
        }
        j->windows[n] = w;
        j->nwindows = n + 1;
    }
    jit_use_window(cpu, j, n);
    return true;
}

/* Translate the block at va in the current window.  If its first
 * instruction is the reference's (or the block cannot be translated), the
 * block is an empty one (code NULL), kept so that the next time is a
 * lookup, not another attempt. */
static struct jit_block *jit_new_block(struct cpu *cpu, struct jit *j, uint32_t va)
{
    if (j->nblocks == JIT_MAX_BLOCKS ||
        (size_t)(j->code + JIT_CODE_SIZE - j->code_free) < JIT_BLOCK_ROOM)
        cpu_jit_flush(cpu);
    const struct jit_window *w = &j->windows[j->window];
    struct jit_target t = {
        j->code_free,     j->code_free + JIT_BLOCK_ROOM, j->exit, j->fast, j->window, w->base,
        cpu->jit_regs.lim};
    struct jit_block *b = &j->blocks[j->nblocks];
    long len = jit_translate(cpu, &t, va, b);
    if (len <= 0) /* an empty block; a store to its word forgets it too */
        *b = (struct jit_block){.va = va, .pa = w->base + va};
    else
        j->code_free += ((size_t)len + 15) & ~(size_t)15; /* entries 16-byte aligned: */
                                                          /* jump targets fetch faster */
    j->nblocks++;
    b->ctx = j->window;
    unsigned h = jit_hash(j->window, va);
    b->next = j->hash[h];
    j->hash[h] = b;
    jit_mark_code(cpu, b, true);
    return b;
}

/* The entry of the block at va in the current window, translated if need
 * be; NULL if the reference must execute the instruction at va. */
static const uint8_t *jit_block_at(struct cpu *cpu, struct jit *j, uint32_t va)
{
    const struct jit_fast *f = &j->fast[(va >> 2) % JIT_FAST_SIZE];
    if (f->va == va && f->ctx == j->window && f->code != j->miss)
        return f->code; /* seen lately: the table translated code uses */
    if (va % 4 != 0 || (uint64_t)va + 4 > cpu->jit_regs.lim)
        return NULL; /* the fetch faults */
    struct jit_block *b = j->hash[jit_hash(j->window, va)];
    while (b != NULL && (b->va != va || b->ctx != j->window))
        b = b->next;
    if (b == NULL)
        b = jit_new_block(cpu, j, va);
    if (b == NULL || b->code == NULL)
        return NULL;
    j->fast[(va >> 2) % JIT_FAST_SIZE] = (struct jit_fast){va, j->window, b->code};
    return b->code;
}

/* ---- Running */

/* Is a front-end breakpoint on the instruction at pc?  (The run loop
 * reports those; no block starts there, see translate.c.) */
static bool jit_at_breakpoint(const struct cpu *cpu, const struct jit *j)
{
    uint64_t pa = (uint64_t)j->windows[j->window].base + cpu->pc;
    return cpu->nbreaks != 0 && cpu->pc % 4 == 0 && (uint64_t)cpu->pc + 4 <= cpu->jit_regs.lim &&
           cpu_break_on_word(cpu, (size_t)(pa / 4));
}

/* The reference executes the user instruction at pc, here rather than in
 * the run loop: brk, mfcr, a privileged instruction or an illegal word
 * (both fault), a load or store that faults, a store into a granule that
 * holds code.  False if
 * the run loop must look before going on - exactly when it would do
 * something other than execute the next instruction: a trap raised, a
 * wait, a halt, a stop request, an interrupt that can be taken, a device
 * event now due before the deadline. */
static bool jit_run_slow(struct cpu *cpu, uint64_t deadline)
{
    uint64_t accesses = bus_device_accesses(cpu->bus);
    cpu_ref_execute(cpu);
    /* Only a device register access can move a device's next event. */
    bool moved = bus_device_accesses(cpu->bus) != accesses && bus_next_event(cpu->bus) < deadline;
    return !(cpu->exc_pending || cpu->waiting || cpu->halted || cpu->stop_requested ||
             cpu->cycle >= deadline || moved ||
             ((cpu->cr[ISA_CR_status] & ISA_STATUS_IE) &&
              (bus_irq_lines(cpu->bus) & CPU_IRQ_MASK) != 0));
}

enum cpu_jit_result cpu_jit_run(struct cpu *cpu, uint64_t deadline)
{
    struct jit *j = cpu->jit;
    uint8_t *link = NULL; /* a jump to point at the next block */

    if (j == NULL || !jit_enter_window(cpu, j))
        return CPU_JIT_OFF;
    for (;;) {
        uint64_t flushes = j->flushes;
        const uint8_t *code = jit_block_at(cpu, j, cpu->pc);
        enum jit_exit why = JIT_EXIT_SLOW;
        if (code != NULL) {
            if (link != NULL && flushes == j->flushes) /* the jump still exists */
                x64_patch(link, code);
            cpu->jit_regs.left = (int64_t)(deadline - cpu->cycle);
            why = j->enter(cpu, code);
            cpu->cycle = deadline - (uint64_t)cpu->jit_regs.left;
            if (why == JIT_EXIT_SYSCALL) { /* the run loop delivers the trap */
                cpu_raise(cpu, ISA_CAUSE_SYSCALL, 0);
                return CPU_JIT_LOOP;
            }
            if (cpu->cycle == deadline)
                return CPU_JIT_LOOP;
        }
        link = why == JIT_EXIT_CHAIN ? cpu->jit_regs.patch : NULL;
        if (why == JIT_EXIT_BUDGET)
            return CPU_JIT_TAIL;
        if (why == JIT_EXIT_SLOW) {
            if (!j->windows[j->window].user)
                return CPU_JIT_TAIL; /* kernel code at work: see the top */
            if (jit_at_breakpoint(cpu, j))
                return CPU_JIT_SLOW;
            if (!jit_run_slow(cpu, deadline))
                return CPU_JIT_LOOP;
            if (!jit_enter_window(cpu, j)) /* rett may have changed it */
                return CPU_JIT_OFF;
        }
    }
}
