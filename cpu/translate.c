/*
 * translate.c - one block of LDE32 code -> x86-64 code.
 *
 * A block is straight-line code: it ends with its first jump, branch or
 * syscall, before the first instruction that only the reference executes
 * (the other system instructions, a breakpoint, a word outside the
 * window), or after JIT_BLOCK_MAX instructions.  Its code has four parts:
 *
 *   entry:  sub r12, N ; js budget     take the block's N cycles, or exit
 *           load the guest registers the block keeps in host registers
 *   body:   the instructions, a few host instructions each
 *   exits:  write back the changed registers, jump to the next block
 *   stubs:  out of line: the exits taken rarely (see below)
 *
 * Exactness.  The block runs only if all N cycles fit before the deadline,
 * so the cycle counter and every interrupt land where the reference puts
 * them.  Every check the reference makes on a load or store (alignment,
 * bounds, a device address, a store into code) is made here too; when one
 * fails, a side exit gives back the cycles of the instructions not run,
 * writes back the registers and sets pc to the instruction, which the
 * reference then executes - and faults, or talks to the device, exactly as
 * it always does.  No instruction has an effect before its checks pass.
 *
 * Registers.  Up to seven guest registers (those the block uses most) live
 * in host registers from the entry to the exits.  "Dirty" registers -
 * written by an instruction already run - are stored back at every exit.
 *
 * Grouped checks.  Loads and stores through the same base register, while
 * the block does not change it (the stack accesses of a function's entry
 * and exit, say), are checked once, at the first of them, for the whole
 * range they touch: base + lowest offset >= 0, base + highest end <= lim,
 * base aligned, no code in those bytes.  If that fails, the side exit is
 * taken at the first access: the reference executes it, and the next
 * block, starting after it, checks again - so a fault still happens at
 * exactly the instruction that makes it.
 *
 * Links.  A jump to a known address ends in "jmp stub"; the stub exits
 * with JIT_EXIT_CHAIN and jit.c, once it has the target's block, rewrites
 * that jmp to go straight there.  A block that branches back to its own
 * start loops inside itself, keeping its registers, with the cycle check
 * on the way round.  jalr looks its target up in the jit_fast table.
 */
#include "jit.h"

#include <stddef.h>

#include "x64.h"

/* Host registers that may hold guest registers, in the order handed out. */
static const uint8_t tr_pool[] = {X64_RSI, X64_RDI, X64_R8, X64_R9, X64_R10, X64_R11, X64_R14};
#define TR_POOL_SIZE (sizeof tr_pool / sizeof tr_pool[0])

/* Fixed host registers (see jit.h). */
enum {
    TR_CPU = X64_RBX,  /* struct cpu * */
    TR_MEM = X64_RBP,  /* host address of virtual 0 */
    TR_LEFT = X64_R12, /* cycles left */
    TR_LIM = X64_R13,  /* accessible bytes */
    TR_CODE = X64_R15, /* code map of virtual 0 */
};

/* A side exit to fill in once the body is done. */
struct tr_side {
    uint8_t *jump;  /* the jcc's displacement */
    unsigned k;     /* index of the instruction not run: the reference runs it */
    uint16_t dirty; /* registers to write back */
};

/* A link to another block, to fill in once the body is done. */
struct tr_link {
    uint8_t *jump;   /* the jmp's displacement */
    uint32_t target; /* virtual pc it goes to */
};

/* How a load or store is checked (see "Grouped checks" above). */
struct tr_mem {
    int leader;     /* the instruction whose check covers this one; -1: checked alone */
    int32_t lo, hi; /* for a leader: lowest offset, highest offset + size in its group */
    unsigned align; /* for a leader: the alignment the base needs (1, 2 or 4) */
    bool stores;    /* for a leader: the group writes memory */
};

/* A group may span at most this many bytes, so its code-map check is two
 * adjacent granules. */
#define TR_GROUP_SPAN 16

/* Checks (side exits) an instruction can need, at most: a group's leader
 * has four (base + lo >= 0, base + hi <= lim, alignment, code map). */
#define TR_MAX_CHECKS 4

/* Everything about the block being translated. */
struct tr {
    struct x64 x;                      /* the code being written */
    const struct jit_target *t;        /* where and for which window */
    struct cpu_insn in[JIT_BLOCK_MAX]; /* the decoded instructions */
    unsigned n;                        /* how many */
    uint32_t va;                       /* virtual pc of in[0] */
    int8_t host[ISA_NREGS];            /* host register of each guest register, or -1 */
    uint16_t written;                  /* guest registers written anywhere in the block */
    uint16_t dirty;                    /* ... written by the instructions emitted so far */
    uint16_t live_in;                  /* read before written: loaded at the entry */
    struct tr_mem mem[JIT_BLOCK_MAX];  /* how each load or store is checked */
    bool loop;                         /* the block ends by jumping to its own start */
    uint8_t *body;                     /* where the loop goes round to */
    struct tr_side side[TR_MAX_CHECKS * JIT_BLOCK_MAX]; /* side exits */
    unsigned nside;                                     /* ... how many */
    struct tr_link link[2];                             /* the one or two links at the end */
    unsigned nlink;                                     /* ... how many */
    uint8_t *budget_jump;                               /* the entry's js */
    uint8_t *loop_budget_jump;                          /* the loop's js, if it loops */
};

/* ---- What the translator can do, and what an instruction touches */

/* Kinds executed by translated code; all others end the block before them. */
static bool tr_can(unsigned kind)
{
    return (kind >= CPU_KIND_add && kind <= CPU_KIND_jalr) || kind == CPU_KIND_syscall;
}

static bool tr_is_jump(unsigned kind)
{
    return kind >= CPU_KIND_beq && kind <= CPU_KIND_jalr;
}

/* Kinds that end a block: jumps, and syscall (the trap follows it). */
static bool tr_ends_block(unsigned kind)
{
    return tr_is_jump(kind) || kind == CPU_KIND_syscall;
}

static bool tr_is_memory(unsigned kind)
{
    return kind >= CPU_KIND_lb && kind <= CPU_KIND_sw;
}

/* Bytes a load or store accesses. */
static unsigned tr_size_of(unsigned kind)
{
    if (kind == CPU_KIND_lh || kind == CPU_KIND_lhu || kind == CPU_KIND_sh)
        return 2;
    if (kind == CPU_KIND_lw || kind == CPU_KIND_sw)
        return 4;
    return 1;
}

/* The guest register an instruction writes, or 0. */
static unsigned tr_dest_of(const struct cpu_insn *in)
{
    bool writes = in->kind < CPU_KIND_sb || in->kind == CPU_KIND_jal || in->kind == CPU_KIND_jalr;
    return writes && in->d != CPU_REG_SINK ? in->d : 0;
}

/* Bit mask of the guest registers an instruction reads. */
static uint16_t tr_reads_of(const struct cpu_insn *in)
{
    unsigned k = in->kind;
    if (k >= CPU_KIND_add && k <= CPU_KIND_remu)
        return (uint16_t)(1u << in->b | 1u << in->imm);
    if (k == CPU_KIND_lui || k == CPU_KIND_jal || k == CPU_KIND_syscall)
        return 0;
    if ((k >= CPU_KIND_sb && k <= CPU_KIND_sw) || (k >= CPU_KIND_beq && k <= CPU_KIND_bgeu))
        return (uint16_t)(1u << in->a | 1u << in->b);
    return (uint16_t)(1u << in->b);
}

/* ---- Operands */

/* Where guest register g (not r0) is during the block. */
static struct x64_rm tr_rm(const struct tr *t, unsigned g)
{
    if (t->host[g] >= 0)
        return x64_r((unsigned)t->host[g]);
    return x64_m(TR_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * g));
}

static bool tr_in_host(const struct tr *t, unsigned g)
{
    return g != 0 && t->host[g] >= 0;
}

/* Host register h = guest register g (mov: flags untouched). */
static void tr_get(struct tr *t, unsigned h, unsigned g)
{
    if (g == 0)
        x64_mov_r_imm(&t->x, h, 0);
    else
        x64_mov_r_rm(&t->x, h, tr_rm(t, g));
}

/* Guest register g = host register h. */
static void tr_set(struct tr *t, unsigned g, unsigned h)
{
    if (g == 0)
        return;
    x64_mov_rm_r(&t->x, tr_rm(t, g), h);
    t->dirty |= (uint16_t)(1u << g);
}

static void tr_set_imm(struct tr *t, unsigned g, uint32_t value)
{
    if (g == 0)
        return;
    if (tr_in_host(t, g))
        x64_mov_r_imm(&t->x, (unsigned)t->host[g], value);
    else
        x64_mov_rm_imm(&t->x, tr_rm(t, g), value);
    t->dirty |= (uint16_t)(1u << g);
}

/* The host register to compute guest register d's new value in: its own,
 * unless that holds an operand still to be read (`keep`), then rax. */
static unsigned tr_work(const struct tr *t, unsigned d, unsigned keep)
{
    if (!tr_in_host(t, d) || (d == keep && keep != 0))
        return X64_RAX;
    return (unsigned)t->host[d];
}

/* Store the dirty host-held registers back into struct cpu. */
static void tr_write_back(struct tr *t, uint16_t dirty)
{
    for (unsigned g = 1; g < ISA_NREGS; g++)
        if ((dirty >> g & 1u) && t->host[g] >= 0)
            x64_mov_rm_r(&t->x, x64_m(TR_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * g)),
                         (unsigned)t->host[g]);
}

/* Registers to write back at an exit: in a loop every register the block
 * writes may be newer than struct cpu (from the round before). */
static uint16_t tr_dirty(const struct tr *t)
{
    return t->loop ? t->written : t->dirty;
}

/* A check that fails with condition `cc` sends instruction k to the reference. */
static void tr_side_exit(struct tr *t, enum x64_cc cc, unsigned k)
{
    if (t->nside == sizeof t->side / sizeof t->side[0]) {
        t->x.full = true; /* cannot happen: at most TR_MAX_CHECKS per instruction */
        return;
    }
    t->side[t->nside++] = (struct tr_side){x64_jcc(&t->x, cc), k, tr_dirty(t)};
}

/* Leave translated code: eax = why, jump to the common exit. */
static void tr_exit(struct tr *t, enum jit_exit why)
{
    x64_mov_r_imm(&t->x, X64_RAX, why);
    x64_jmp_to(&t->x, t->t->exit);
}

static void tr_set_pc(struct tr *t, uint32_t pc)
{
    x64_mov_rm_imm(&t->x, x64_m(TR_CPU, (int32_t)offsetof(struct cpu, pc)), pc);
}

/* ---- Instructions */

/* d = b op c, or d = b op imm, for the ALU operations x86 has (add sub
 * and or xor). */
static void tr_alu(struct tr *t, enum x64_alu op, const struct cpu_insn *in, bool imm_form)
{
    unsigned d = tr_dest_of(in), b = in->b, c = imm_form ? 0 : in->imm;
    unsigned h = tr_work(t, d, c);

    if (d == 0)
        return;               /* no effect: r0 stays zero */
    if (imm_form && b == 0) { /* there is no subi: op is add, and, or or xor */
        tr_set_imm(t, d, op == X64_AND ? 0 : in->imm); /* li: the value is known */
        return;
    }
    /* d = d op d: c is d, read where d lives, so no scratch is needed */
    if (!imm_form && d == c && d == b && tr_in_host(t, d))
        h = (unsigned)t->host[d];
    tr_get(t, h, b);
    if (!imm_form && c != 0)
        x64_alu_r_rm(&t->x, op, h, tr_rm(t, c));
    else if (!imm_form || in->imm != 0 || op == X64_AND) /* mv (op 0) needs no op */
        x64_alu_rm_imm(&t->x, op, x64_r(h), imm_form ? in->imm : 0);
    tr_set(t, d, h);
}

/* d = b shifted by c (register) or by imm. */
static void tr_shift(struct tr *t, enum x64_shift op, const struct cpu_insn *in, bool imm_form)
{
    unsigned d = tr_dest_of(in);
    if (d == 0)
        return;
    if (!imm_form)
        tr_get(t, X64_RCX, in->imm); /* x86 masks the count to 5 bits, as LDE32 does */
    unsigned h = tr_work(t, d, 0);
    tr_get(t, h, in->b);
    if (!imm_form)
        x64_shift_cl(&t->x, op, h);
    else if (in->imm != 0)
        x64_shift_imm(&t->x, op, false, h, in->imm);
    tr_set(t, d, h);
}

/* d = (b < c) or (b < imm), signed (cc L) or unsigned (cc B). */
static void tr_set_less(struct tr *t, enum x64_cc cc, const struct cpu_insn *in, bool imm_form)
{
    unsigned d = tr_dest_of(in);
    if (d == 0)
        return;
    tr_get(t, X64_RCX, in->b);
    if (imm_form)
        x64_alu_rm_imm(&t->x, X64_CMP, x64_r(X64_RCX), in->imm);
    else if (in->imm == 0)
        x64_alu_rm_imm(&t->x, X64_CMP, x64_r(X64_RCX), 0);
    else
        x64_alu_r_rm(&t->x, X64_CMP, X64_RCX, tr_rm(t, in->imm));
    x64_setcc(&t->x, cc, X64_RAX);
    x64_movx(&t->x, 0x0fb6, X64_RAX, x64_r(X64_RAX));
    tr_set(t, d, X64_RAX);
}

/* mul, mulh, mulhu. */
static void tr_mul(struct tr *t, const struct cpu_insn *in)
{
    unsigned d = tr_dest_of(in), b = in->b, c = in->imm;
    if (d == 0)
        return;
    if (in->kind == CPU_KIND_mul) {
        tr_get(t, X64_RAX, b);
        tr_get(t, X64_RCX, c);
        x64_imul(&t->x, false, X64_RAX, x64_r(X64_RCX));
    } else { /* the 64-bit product of the sign- or zero-extended operands */
        bool s = in->kind == CPU_KIND_mulh;
        tr_get(t, X64_RAX, b);
        tr_get(t, X64_RCX, c);
        if (s) {
            x64_movsxd(&t->x, X64_RAX, x64_r(X64_RAX));
            x64_movsxd(&t->x, X64_RCX, x64_r(X64_RCX));
        }
        x64_imul(&t->x, true, X64_RAX, x64_r(X64_RCX));
        x64_shift_imm(&t->x, X64_SHR, true, X64_RAX, 32);
    }
    tr_set(t, d, X64_RAX);
}

/* div, divu, rem, remu.  A zero divisor traps and INT_MIN / -1 overflows
 * x86's idiv: both go to the reference (side exit). */
static void tr_div(struct tr *t, const struct cpu_insn *in, unsigned k)
{
    bool s = in->kind == CPU_KIND_div || in->kind == CPU_KIND_rem;
    bool rem = in->kind == CPU_KIND_rem || in->kind == CPU_KIND_remu;

    tr_get(t, X64_RCX, in->imm);
    x64_test_r_r(&t->x, X64_RCX, X64_RCX);
    tr_side_exit(t, X64_CC_E, k);
    if (s) {
        x64_alu_rm_imm(&t->x, X64_CMP, x64_r(X64_RCX), UINT32_MAX);
        tr_side_exit(t, X64_CC_E, k);
    }
    tr_get(t, X64_RAX, in->b);
    if (s)
        x64_cdq(&t->x);
    else
        x64_mov_r_imm(&t->x, X64_RDX, 0);
    x64_div(&t->x, s, X64_RCX);
    tr_set(t, tr_dest_of(in), rem ? X64_RDX : X64_RAX);
}

/* rax = the virtual address of a load or store of n bytes at b + imm, after
 * the checks: aligned, and va + n <= lim (the whole base-and-bounds check;
 * a kernel device address fails it too). */
static void tr_address(struct tr *t, const struct cpu_insn *in, unsigned n, unsigned k)
{
    tr_get(t, X64_RAX, in->b);
    if (in->imm != 0)
        x64_alu_rm_imm(&t->x, X64_ADD, x64_r(X64_RAX), in->imm); /* wraps at 32 bits */
    if (n > 1) {
        x64_test_r8_imm(&t->x, X64_RAX, (uint8_t)(n - 1));
        tr_side_exit(t, X64_CC_NE, k);
    }
    x64_lea64(&t->x, X64_RDX, x64_m(X64_RAX, (int32_t)n)); /* 64 bits: no wrap */
    x64_cmp64_r_rm(&t->x, X64_RDX, x64_r(TR_LIM));
    tr_side_exit(t, X64_CC_A, k);
}

/* The check of a group's leader, for all of its group (see the top). */
static void tr_group_check(struct tr *t, const struct cpu_insn *in, unsigned k)
{
    const struct tr_mem *m = &t->mem[k];
    unsigned hb = (unsigned)t->host[in->b];

    if (m->lo < 0) { /* base + lo must not go below 0 */
        x64_alu_rm_imm(&t->x, X64_CMP, x64_r(hb), (uint32_t)-m->lo);
        tr_side_exit(t, X64_CC_B, k);
    }
    x64_lea64(&t->x, X64_RDX, x64_m(hb, m->hi)); /* host registers hold zero-extended values */
    x64_cmp64_r_rm(&t->x, X64_RDX, x64_r(TR_LIM));
    tr_side_exit(t, X64_CC_A, k);
    if (m->align > 1) {
        x64_test_r8_imm(&t->x, hb, (uint8_t)(m->align - 1));
        tr_side_exit(t, X64_CC_NE, k);
    }
    if (m->stores) { /* the group spans at most two granules: compare both at once */
        x64_lea64(&t->x, X64_RAX, x64_m(hb, m->lo));
        x64_shift_imm(&t->x, X64_SHR, true, X64_RAX, 4);
        x64_cmp_m16_imm(&t->x, x64_mi(TR_CODE, X64_RAX, 0), 0);
        tr_side_exit(t, X64_CC_NE, k);
    }
}

/* Where a load or store accesses host memory, after its checks: [rbp +
 * base + offset] in a group, else [rbp + rax] (rax from tr_address). */
static struct x64_rm tr_access(struct tr *t, const struct cpu_insn *in, unsigned n, unsigned k)
{
    int leader = t->mem[k].leader;
    if (leader < 0) {
        tr_address(t, in, n, k);
        return x64_mi(TR_MEM, X64_RAX, 0);
    }
    if ((unsigned)leader == k)
        tr_group_check(t, in, k);
    return x64_mi(TR_MEM, (unsigned)t->host[in->b], (int32_t)in->imm);
}

static void tr_load(struct tr *t, const struct cpu_insn *in, unsigned k)
{
    /* The host load of each kind: movsx, movzx from a byte or half, mov (0). */
    static const unsigned opcode[] = {
        [CPU_KIND_lb - CPU_KIND_lb] = 0x0fbe, [CPU_KIND_lbu - CPU_KIND_lb] = 0x0fb6,
        [CPU_KIND_lh - CPU_KIND_lb] = 0x0fbf, [CPU_KIND_lhu - CPU_KIND_lb] = 0x0fb7,
        [CPU_KIND_lw - CPU_KIND_lb] = 0,
    };
    unsigned f = in->kind - CPU_KIND_lb, d = tr_dest_of(in);
    struct x64_rm at = tr_access(t, in, tr_size_of(in->kind), k);

    if (d == 0)
        return; /* the checks still apply: a load into r0 can fault */
    unsigned h = tr_work(t, d, 0);
    if (opcode[f] == 0)
        x64_mov_r_rm(&t->x, h, at);
    else
        x64_movx(&t->x, opcode[f], h, at);
    tr_set(t, d, h);
}

static void tr_store(struct tr *t, const struct cpu_insn *in, unsigned k)
{
    unsigned n = tr_size_of(in->kind);
    struct x64_rm at = tr_access(t, in, n, k);

    if (t->mem[k].leader < 0) {
        /* A store into a 16-byte granule that holds code (translated or
         * decoded) goes to the reference, which also forgets the stale code. */
        x64_mov_r_rm(&t->x, X64_RDX, x64_r(X64_RAX));
        x64_shift_imm(&t->x, X64_SHR, false, X64_RDX, 4);
        x64_cmp_m8_imm(&t->x, x64_mi(TR_CODE, X64_RDX, 0), 0);
        tr_side_exit(t, X64_CC_NE, k);
    }
    unsigned v = X64_RCX;
    if (tr_in_host(t, in->a))
        v = (unsigned)t->host[in->a];
    else
        tr_get(t, X64_RCX, in->a);
    if (n == 1)
        x64_mov_rm_r8(&t->x, at, v);
    else if (n == 2)
        x64_mov_rm_r16(&t->x, at, v);
    else
        x64_mov_rm_r(&t->x, at, v);
}

/* ---- The end of a block */

/* Go on at virtual `target`: round the loop, or through a link. */
static void tr_goto(struct tr *t, uint32_t target)
{
    if (t->loop && target == t->va) {
        x64_alu64_r_imm(&t->x, X64_SUB, TR_LEFT, (int32_t)t->n);
        t->loop_budget_jump = x64_jcc(&t->x, X64_CC_S);
        x64_jmp_to(&t->x, t->body);
        return;
    }
    tr_write_back(t, tr_dirty(t));
    t->link[t->nlink++] = (struct tr_link){x64_jmp(&t->x), target};
}

/* Condition codes of the branches, in opcodes.h order from beq. */
static const enum x64_cc tr_branch_cc[] = {X64_CC_E,  X64_CC_NE, X64_CC_L,
                                           X64_CC_GE, X64_CC_B,  X64_CC_AE};
_Static_assert(CPU_KIND_bne == CPU_KIND_beq + 1 && CPU_KIND_blt == CPU_KIND_beq + 2 &&
                   CPU_KIND_bge == CPU_KIND_beq + 3 && CPU_KIND_bltu == CPU_KIND_beq + 4 &&
                   CPU_KIND_bgeu == CPU_KIND_beq + 5,
               "tr_branch_cc follows the branches' order in opcodes.h");

static void tr_branch(struct tr *t, const struct cpu_insn *in, uint32_t pc)
{
    unsigned a = in->a, b = in->b;
    unsigned ra = X64_RCX;
    if (tr_in_host(t, a))
        ra = (unsigned)t->host[a];
    else
        tr_get(t, X64_RCX, a);
    if (b == 0)
        x64_alu_rm_imm(&t->x, X64_CMP, x64_r(ra), 0);
    else
        x64_alu_r_rm(&t->x, X64_CMP, ra, tr_rm(t, b));
    uint8_t *taken = x64_jcc(&t->x, tr_branch_cc[in->kind - CPU_KIND_beq]);
    tr_goto(t, pc + 4);
    if (!t->x.full)
        x64_patch(taken, t->x.p);
    tr_goto(t, pc + in->imm);
}

/* jalr: look the target up in the jit_fast table, else ask jit.c. */
static void tr_jalr(struct tr *t, const struct cpu_insn *in, uint32_t pc)
{
    tr_get(t, X64_RAX, in->b);
    if (in->imm != 0)
        x64_alu_rm_imm(&t->x, X64_ADD, x64_r(X64_RAX), in->imm); /* before rd: rd may be b */
    tr_set_imm(t, tr_dest_of(in), pc + 4);
    tr_write_back(t, tr_dirty(t));
    x64_mov_rm_r(&t->x, x64_m(TR_CPU, (int32_t)offsetof(struct cpu, pc)), X64_RAX);
    x64_mov_r_rm(&t->x, X64_RDX, x64_r(X64_RAX));
    x64_shift_imm(&t->x, X64_SHR, false, X64_RDX, 2);
    x64_alu_rm_imm(&t->x, X64_AND, x64_r(X64_RDX), JIT_FAST_SIZE - 1);
    x64_shift_imm(&t->x, X64_SHL, false, X64_RDX, 4); /* 16-byte entries */
    x64_mov_r64_imm64(&t->x, X64_RCX, (uint64_t)(uintptr_t)t->t->fast);
    x64_alu_r_rm(&t->x, X64_CMP, X64_RAX,
                 x64_mi(X64_RCX, X64_RDX, (int32_t)offsetof(struct jit_fast, va)));
    uint8_t *miss1 = x64_jcc(&t->x, X64_CC_NE);
    x64_alu_rm_imm(&t->x, X64_CMP,
                   x64_mi(X64_RCX, X64_RDX, (int32_t)offsetof(struct jit_fast, ctx)), t->t->ctx);
    uint8_t *miss2 = x64_jcc(&t->x, X64_CC_NE);
    x64_jmp_rm(&t->x, x64_mi(X64_RCX, X64_RDX, (int32_t)offsetof(struct jit_fast, code)));
    if (!t->x.full) {
        x64_patch(miss1, t->x.p);
        x64_patch(miss2, t->x.p);
    }
    tr_exit(t, JIT_EXIT_LOOKUP);
}

/* ---- One instruction */

static void tr_insn(struct tr *t, unsigned k)
{
    const struct cpu_insn *in = &t->in[k];
    uint32_t pc = t->va + 4 * k;

    switch (in->kind) {
    case CPU_KIND_add:
        tr_alu(t, X64_ADD, in, false);
        break;
    case CPU_KIND_sub:
        tr_alu(t, X64_SUB, in, false);
        break;
    case CPU_KIND_and:
        tr_alu(t, X64_AND, in, false);
        break;
    case CPU_KIND_or:
        tr_alu(t, X64_OR, in, false);
        break;
    case CPU_KIND_xor:
        tr_alu(t, X64_XOR, in, false);
        break;
    case CPU_KIND_sll:
        tr_shift(t, X64_SHL, in, false);
        break;
    case CPU_KIND_srl:
        tr_shift(t, X64_SHR, in, false);
        break;
    case CPU_KIND_sra:
        tr_shift(t, X64_SAR, in, false);
        break;
    case CPU_KIND_slt:
        tr_set_less(t, X64_CC_L, in, false);
        break;
    case CPU_KIND_sltu:
        tr_set_less(t, X64_CC_B, in, false);
        break;
    case CPU_KIND_mul:
    case CPU_KIND_mulh:
    case CPU_KIND_mulhu:
        tr_mul(t, in);
        break;
    case CPU_KIND_div:
    case CPU_KIND_divu:
    case CPU_KIND_rem:
    case CPU_KIND_remu:
        tr_div(t, in, k);
        break;
    case CPU_KIND_addi:
        tr_alu(t, X64_ADD, in, true);
        break;
    case CPU_KIND_andi:
        tr_alu(t, X64_AND, in, true);
        break;
    case CPU_KIND_ori:
        tr_alu(t, X64_OR, in, true);
        break;
    case CPU_KIND_xori:
        tr_alu(t, X64_XOR, in, true);
        break;
    case CPU_KIND_slli:
        tr_shift(t, X64_SHL, in, true);
        break;
    case CPU_KIND_srli:
        tr_shift(t, X64_SHR, in, true);
        break;
    case CPU_KIND_srai:
        tr_shift(t, X64_SAR, in, true);
        break;
    case CPU_KIND_slti:
        tr_set_less(t, X64_CC_L, in, true);
        break;
    case CPU_KIND_sltiu:
        tr_set_less(t, X64_CC_B, in, true);
        break;
    case CPU_KIND_lui:
        tr_set_imm(t, tr_dest_of(in), in->imm << 16);
        break;
    case CPU_KIND_lb:
    case CPU_KIND_lbu:
    case CPU_KIND_lh:
    case CPU_KIND_lhu:
    case CPU_KIND_lw:
        tr_load(t, in, k);
        break;
    case CPU_KIND_sb:
    case CPU_KIND_sh:
    case CPU_KIND_sw:
        tr_store(t, in, k);
        break;
    case CPU_KIND_jal:
        tr_set_imm(t, tr_dest_of(in), pc + 4);
        tr_goto(t, pc + in->imm);
        break;
    case CPU_KIND_jalr:
        tr_jalr(t, in, pc);
        break;
    case CPU_KIND_syscall: /* completes, then jit.c raises the trap (it saves pc + 4) */
        tr_write_back(t, tr_dirty(t));
        tr_set_pc(t, pc + 4);
        tr_exit(t, JIT_EXIT_SYSCALL);
        break;
    case CPU_KIND_beq:
    case CPU_KIND_bne:
    case CPU_KIND_blt:
    case CPU_KIND_bge:
    case CPU_KIND_bltu:
    case CPU_KIND_bgeu:
        tr_branch(t, in, pc);
        break;
    default:              /* tr_can() let through a kind nothing here translates: the */
        t->x.full = true; /* block fails, and the reference runs its start */
        break;
    }
}

/* ---- The block */

/* Decode the block at va: stop before what the translator cannot do, a
 * breakpoint, or the end of the window; after a jump, a branch, a syscall
 * or JIT_BLOCK_MAX instructions. */
static void tr_scan(struct tr *t, const struct cpu *cpu)
{
    const struct jit_target *jt = t->t;
    t->n = 0;
    for (uint32_t va = t->va; t->n < JIT_BLOCK_MAX && (uint64_t)va + 4 <= jt->lim; va += 4) {
        uint32_t pa = jt->mbase + va;
        struct cpu_insn *in = &t->in[t->n];
        if (cpu_break_on_word(cpu, pa / 4))
            break;
        cpu_decode(cpu_ld32(cpu->ram + pa), in);
        if (!tr_can(in->kind))
            break;
        t->n++;
        if (tr_ends_block(in->kind))
            break;
    }
}

/* Give the most used guest registers a host register each. */
static void tr_allocate(struct tr *t)
{
    unsigned uses[ISA_NREGS] = {0};
    for (unsigned k = 0; k < t->n; k++) {
        uint16_t reads = tr_reads_of(&t->in[k]);
        unsigned d = tr_dest_of(&t->in[k]);
        t->live_in |= reads & (uint16_t)~t->written;
        for (unsigned g = 1; g < ISA_NREGS; g++)
            uses[g] += reads >> g & 1u;
        if (d != 0) {
            uses[d]++;
            t->written |= (uint16_t)(1u << d);
        }
    }
    for (unsigned g = 0; g < ISA_NREGS; g++)
        t->host[g] = -1;
    for (unsigned p = 0; p < TR_POOL_SIZE; p++) {
        unsigned best = 0;
        for (unsigned g = 1; g < ISA_NREGS; g++)
            if (t->host[g] < 0 && uses[g] > uses[best])
                best = g;
        if (best == 0)
            break;
        t->host[best] = (int8_t)tr_pool[p];
    }
}

/* Would an access of n bytes at offset `off` keep group `g` within
 * TR_GROUP_SPAN bytes? */
static bool tr_fits_group(const struct tr_mem *g, int32_t off, unsigned n)
{
    int32_t lo = off < g->lo ? off : g->lo;
    int32_t hi = off + (int32_t)n > g->hi ? off + (int32_t)n : g->hi;
    return hi - lo <= TR_GROUP_SPAN;
}

/* Put each load and store with a host-held base in a group (see the top):
 * the group open for its base register if the access fits, else a new
 * group.  Writing a register closes its group. */
static void tr_group(struct tr *t)
{
    int open[ISA_NREGS];
    for (unsigned g = 0; g < ISA_NREGS; g++)
        open[g] = -1;
    for (unsigned k = 0; k < t->n; k++) {
        const struct cpu_insn *in = &t->in[k];
        unsigned n = tr_size_of(in->kind);
        int32_t off = (int32_t)in->imm;
        t->mem[k].leader = -1;
        /* an offset that is a multiple of the size: an aligned base makes an aligned access */
        if (tr_is_memory(in->kind) && tr_in_host(t, in->b) && off % (int32_t)n == 0) {
            int l = open[in->b];
            if (l < 0 || !tr_fits_group(&t->mem[l], off, n)) {
                l = open[in->b] = (int)k;
                t->mem[k] = (struct tr_mem){l, off, off + (int32_t)n, 1, false};
            }
            struct tr_mem *g = &t->mem[l];
            t->mem[k].leader = l;
            if (off < g->lo)
                g->lo = off;
            if (off + (int32_t)n > g->hi)
                g->hi = off + (int32_t)n;
            if (n > g->align)
                g->align = n;
            g->stores |= in->kind >= CPU_KIND_sb;
        }
        unsigned d = tr_dest_of(in);
        if (d != 0)
            open[d] = -1;
    }
}

/* Does the block end by jumping to its own start? */
static bool tr_loops(const struct tr *t)
{
    const struct cpu_insn *last = &t->in[t->n - 1];
    uint32_t pc = t->va + 4 * (t->n - 1);
    return last->kind != CPU_KIND_jalr && tr_is_jump(last->kind) && pc + last->imm == t->va;
}

/* The stubs: side exits, the budget exits and the unlinked links. */
static void tr_stubs(struct tr *t)
{
    for (unsigned s = 0; s < t->nside; s++) {
        x64_patch(t->side[s].jump, t->x.p);
        tr_write_back(t, t->side[s].dirty);
        x64_alu64_r_imm(&t->x, X64_ADD, TR_LEFT, (int32_t)(t->n - t->side[s].k));
        tr_set_pc(t, t->va + 4 * t->side[s].k);
        tr_exit(t, JIT_EXIT_SLOW);
    }
    if (t->loop_budget_jump != NULL) { /* another round does not fit */
        x64_patch(t->loop_budget_jump, t->x.p);
        tr_write_back(t, t->written);
        x64_alu64_r_imm(&t->x, X64_ADD, TR_LEFT, (int32_t)t->n);
        tr_set_pc(t, t->va);
        tr_exit(t, JIT_EXIT_BUDGET);
    }
    x64_patch(t->budget_jump, t->x.p); /* the block does not fit */
    x64_alu64_r_imm(&t->x, X64_ADD, TR_LEFT, (int32_t)t->n);
    tr_set_pc(t, t->va);
    tr_exit(t, JIT_EXIT_BUDGET);
    for (unsigned l = 0; l < t->nlink; l++) {
        x64_patch(t->link[l].jump, t->x.p);
        tr_set_pc(t, t->link[l].target);
        x64_mov_r64_imm64(&t->x, X64_RCX, (uint64_t)(uintptr_t)t->link[l].jump);
        x64_mov_rm_r64(&t->x, x64_m(TR_CPU, (int32_t)offsetof(struct cpu, jit_regs.patch)),
                       X64_RCX);
        tr_exit(t, JIT_EXIT_CHAIN);
    }
}

/* The entry: take the block's cycles, load the registers it reads (all
 * of its host-held ones if it loops: a side exit in a later round writes
 * them all back). */
static void tr_entry(struct tr *t)
{
    x64_alu64_r_imm(&t->x, X64_SUB, TR_LEFT, (int32_t)t->n);
    t->budget_jump = x64_jcc(&t->x, X64_CC_S);
    for (unsigned g = 1; g < ISA_NREGS; g++)
        if (t->host[g] >= 0 && (t->loop || (t->live_in >> g & 1u)))
            x64_mov_r_rm(&t->x, (unsigned)t->host[g],
                         x64_m(TR_CPU, (int32_t)(offsetof(struct cpu, r) + 4 * g)));
    t->body = t->x.p;
}

long jit_translate(const struct cpu *cpu, const struct jit_target *jt, uint32_t va,
                   struct jit_block *b)
{
    struct tr t = {0};
    t.t = jt;
    t.va = va;
    t.x = (struct x64){jt->buf, jt->buf_end, false};
    tr_scan(&t, cpu);
    if (t.n == 0)
        return 0;
    tr_allocate(&t);
    tr_group(&t);
    t.loop = tr_loops(&t);

    tr_entry(&t);
    for (unsigned k = 0; k < t.n && !t.x.full; k++)
        tr_insn(&t, k);
    if (!tr_ends_block(t.in[t.n - 1].kind))
        tr_goto(&t, va + 4 * t.n); /* ended early: go on with the next word */
    if (!t.x.full)
        tr_stubs(&t);
    if (t.x.full)
        return -1;
    b->va = va;
    b->pa = jt->mbase + va;
    b->ninsns = t.n;
    b->code = jt->buf;
    return (long)(t.x.p - jt->buf);
}
