/*
 * test_jit.c - the block translator (cpu/jit.c, cpu/translate.c) against
 * the reference, on small programs aimed at its weak spots.
 *
 * Every case builds one program on three identical machines and runs it
 * with the reference, the interpreter and the translator side by side.
 * After every cpu_run()/cpu_step() the three must agree on everything a
 * guest or a front-end can see: why the run stopped, registers, control
 * registers, pc, cycles, instructions retired, halt state, all of RAM,
 * console output and the event trace (each trap, rett, interrupt, device
 * event and halt, with its cycle).  The whole-program diff (test_diff.c)
 * runs real programs; these cases go after the corners: operand registers
 * aliasing each other and r0, edge values, accesses at the very end of a
 * window, stores into translated code, breakpoints in linked blocks,
 * budgets ending at every instruction, jalr targets that fault or belong
 * to another window, more windows and more blocks than the cache holds.
 *
 * Faults in the test programs go to a "resume" handler (JT_RESUME) that
 * returns to the next instruction - or, for a fault on fetch (faddr ==
 * pc), to the return address in ra - so that one program can fault many
 * times; kernel-mode programs run with IE=1 for that (a fault in kernel
 * mode with IE=0 is a double fault).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_private.h"
#include "machine.h"
#include "timer.h"

#define JT_NMACH    3        /* reference, interpreter, translator */
#define JT_TRANSL   2        /* index of the translator's machine */
#define JT_RESUME   0x300u   /* the resume handler (see the header comment) */
#define JT_RETT     0x340u   /* a handler that is just rett */
#define JT_KERNEL   0x400u   /* the window-switching system-call handler */
#define JT_KDATA    0x800u   /* its data: see jt_kernel() */
#define JT_PROG     0x20000u /* kernel test programs */
#define JT_DATA     0xc0000u /* where kernel test programs store results */
#define JT_MAX_BRK  8        /* breakpoint actions driven by the event hook */
#define JT_LOG_SIZE (1u << 20)

/* A breakpoint to set or clear when the hook sees event number `at`. */
struct jt_action {
    unsigned at;    /* 1-based event count */
    uint32_t paddr; /* where */
    bool on;        /* set or clear */
};

/* One machine and what it logged. */
struct jt_machine {
    struct tmach m;                       /* bus, devices, cpu, console buffers */
    char *log;                            /* the event trace, one line per event */
    size_t loglen;                        /* bytes in log */
    unsigned nevents;                     /* events seen */
    struct jt_action actions[JT_MAX_BRK]; /* breakpoints the hook sets/clears */
    unsigned nactions;                    /* entries in actions */
};

static struct jt_machine JT[JT_NMACH];
static const enum cpu_engine jt_engines[JT_NMACH] = {CPU_ENGINE_REFERENCE, CPU_ENGINE_INTERPRET,
                                                     CPU_ENGINE_TRANSLATE};

/* The machine the programs are written into (then copied to the others). */
#define M0 (&JT[0].m)

static void jt_event(void *ctx, const struct cpu_event *ev)
{
    struct jt_machine *j = ctx;
    int n = snprintf(j->log + j->loglen, JT_LOG_SIZE - j->loglen,
                     "%d cycle=%llu cause=%d %d->%d pc=%08x handler=%08x frame=%08x faddr=%08x "
                     "code=%u %s %s\n",
                     (int)ev->kind, (unsigned long long)ev->cycle, (int)ev->cause, (int)ev->from,
                     (int)ev->to, ev->pc, ev->handler, ev->frame, ev->faddr, ev->code,
                     ev->device ? ev->device : "-", ev->text ? ev->text : "-");
    if (n > 0 && j->loglen + (size_t)n < JT_LOG_SIZE)
        j->loglen += (size_t)n;
    j->nevents++;
    for (unsigned k = 0; k < j->nactions; k++)
        if (j->actions[k].at == j->nevents)
            ck_assert_int_eq(cpu_set_breakpoint(j->m.cpu, j->actions[k].paddr, j->actions[k].on),
                             0);
}

/* The resume handler: back to the faulting instruction + 4, or to ra when
 * the fetch itself faulted. */
static void jt_put_resume(struct tmach *m)
{
    tm_org(m, JT_RESUME);
    tm_put(m, enc_lw(T0, SP, ISA_FRAME_PC));
    tm_put(m, enc_lw(T1, SP, ISA_FRAME_FADDR));
    tm_put(m, enc_bne(T0, T1, 3));
    tm_put(m, enc_lw(T0, SP, ISA_FRAME_REG(RA)));
    tm_put(m, enc_jal(ZERO, 2));
    tm_put(m, enc_addi(T0, T0, 4));
    tm_put(m, enc_sw(T0, SP, ISA_FRAME_PC));
    tm_put(m, enc_rett());
    tm_org(m, JT_RETT);
    tm_put(m, enc_rett());
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_DIV_ZERO, JT_RESUME);
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_PROTECTION, JT_RESUME);
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_MISALIGNED, JT_RESUME);
}

static void jt_setup(void)
{
    for (unsigned k = 0; k < JT_NMACH; k++) {
        struct jt_machine *j = &JT[k];
        memset(j, 0, sizeof *j);
        ck_assert(tm_init(&j->m));
        j->log = malloc(JT_LOG_SIZE);
        ck_assert_ptr_nonnull(j->log);
        j->log[0] = '\0';
        cpu_set_event_hook(j->m.cpu, jt_event, j);
        cpu_set_engine(j->m.cpu, jt_engines[k]);
    }
    jt_put_resume(M0);
    tm_org(M0, JT_PROG);
    cpu_set_pc(M0->cpu, JT_PROG);
}

static void jt_teardown(void)
{
    for (unsigned k = 0; k < JT_NMACH; k++) {
        tm_free(&JT[k].m);
        free(JT[k].log);
    }
}

/* Fresh machines for round n of a test that runs its program again and
 * again (round 1 has the ones the fixture made). */
static void jt_fresh(unsigned n)
{
    if (n > 1) {
        jt_teardown();
        jt_setup();
    }
}

/* Copy the program and the state set on machine 0 to the others. */
static void jt_clone(void)
{
    for (unsigned k = 1; k < JT_NMACH; k++) {
        struct tmach *m = &JT[k].m;
        memcpy(bus_ram(m->bus), bus_ram(M0->bus), TM_RAM);
        bus_ram_written(m->bus, 0, TM_RAM);
        for (unsigned r = 1; r < ISA_NREGS; r++)
            cpu_set_reg(m->cpu, r, cpu_reg(M0->cpu, r));
        for (unsigned c = 0; c < ISA_NCRS; c++)
            cpu_set_cr(m->cpu, (enum isa_cr)c, cpu_cr(M0->cpu, (enum isa_cr)c));
        cpu_set_pc(m->cpu, cpu_pc(M0->cpu));
    }
}

/* Kernel mode with interrupts on (so that faults nest), pc at JT_PROG. */
static void jt_kernel_ie(void)
{
    cpu_set_cr(M0->cpu, ISA_CR_status, ISA_STATUS_KERNEL | ISA_STATUS_IE);
    cpu_set_pc(M0->cpu, JT_PROG);
}

/* First difference between two logs, for the failure message. */
static size_t jt_diverge(const char *a, const char *b)
{
    size_t k = 0;
    while (a[k] != '\0' && a[k] == b[k])
        k++;
    while (k > 0 && a[k - 1] != '\n')
        k--;
    return k;
}

/* Every machine must agree with the reference. */
static void jt_compare(const char *where)
{
    const struct jt_machine *ref = &JT[0];
    for (unsigned k = 1; k < JT_NMACH; k++) {
        const struct jt_machine *j = &JT[k];
        const char *e = cpu_engine_name(jt_engines[k]);
        const struct cpu *a = ref->m.cpu, *b = j->m.cpu;
        for (unsigned r = 0; r < ISA_NREGS; r++)
            ck_assert_msg(cpu_reg(a, r) == cpu_reg(b, r),
                          "%s: %s has r%u = 0x%08x, the reference 0x%08x (pc 0x%08x)", where, e, r,
                          cpu_reg(b, r), cpu_reg(a, r), cpu_pc(a));
        ck_assert_msg(cpu_pc(a) == cpu_pc(b), "%s: %s has pc 0x%08x, the reference 0x%08x", where,
                      e, cpu_pc(b), cpu_pc(a));
        for (unsigned c = 0; c < ISA_NCRS; c++)
            ck_assert_msg(cpu_cr(a, c) == cpu_cr(b, c),
                          "%s: %s has %s = 0x%08x, the reference 0x%08x", where, e, cpu_cr_name(c),
                          cpu_cr(b, c), cpu_cr(a, c));
        ck_assert_msg(cpu_cycles(a) == cpu_cycles(b) && cpu_instructions(a) == cpu_instructions(b),
                      "%s: %s at cycle %llu (%llu instructions), the reference %llu (%llu)", where,
                      e, (unsigned long long)cpu_cycles(b), (unsigned long long)cpu_instructions(b),
                      (unsigned long long)cpu_cycles(a), (unsigned long long)cpu_instructions(a));
        ck_assert_msg(cpu_halted(a) == cpu_halted(b) && cpu_halt_code(a) == cpu_halt_code(b),
                      "%s: %s halt state differs", where, e);
        const uint8_t *ra = bus_ram(ref->m.bus), *rb = bus_ram(j->m.bus);
        if (memcmp(ra, rb, TM_RAM) != 0) {
            uint32_t at = 0;
            while (ra[at] == rb[at])
                at++;
            ck_abort_msg("%s: %s has RAM byte 0x%05x = 0x%02x, the reference 0x%02x", where, e, at,
                         rb[at], ra[at]);
        }
        ck_assert_msg(ref->m.nout == j->m.nout && memcmp(ref->m.out, j->m.out, j->m.nout) == 0,
                      "%s: %s console output differs", where, e);
        if (strcmp(ref->log, j->log) != 0) {
            size_t at = jt_diverge(ref->log, j->log);
            ck_abort_msg("%s: %s event trace differs:\n%.200s\nthe reference:\n%.200s", where, e,
                         j->log + at, ref->log + at);
        }
    }
}

/* cpu_run(cycles) on every machine: the same stop, the same state. */
static enum cpu_stop jt_run(uint64_t cycles, const char *where)
{
    enum cpu_stop why[JT_NMACH];
    for (unsigned k = 0; k < JT_NMACH; k++)
        why[k] = cpu_run(JT[k].m.cpu, cycles);
    for (unsigned k = 1; k < JT_NMACH; k++)
        ck_assert_msg(why[k] == why[0], "%s: %s stopped by %s, the reference by %s", where,
                      cpu_engine_name(jt_engines[k]), cpu_stop_name(why[k]), cpu_stop_name(why[0]));
    jt_compare(where);
    return why[0];
}

static enum cpu_stop jt_step(const char *where)
{
    enum cpu_stop why[JT_NMACH];
    for (unsigned k = 0; k < JT_NMACH; k++)
        why[k] = cpu_step(JT[k].m.cpu);
    for (unsigned k = 1; k < JT_NMACH; k++)
        ck_assert_msg(why[k] == why[0], "%s: %s stopped by %s, the reference by %s", where,
                      cpu_engine_name(jt_engines[k]), cpu_stop_name(why[k]), cpu_stop_name(why[0]));
    jt_compare(where);
    return why[0];
}

/* Run in slices of `slice` cycles until the machine stops for good
 * (breakpoints are passed); at most `limit` cycles. */
static enum cpu_stop jt_run_to_end(uint64_t slice, uint64_t limit, const char *where)
{
    enum cpu_stop why = CPU_STOP_BUDGET;
    while ((why == CPU_STOP_BUDGET || why == CPU_STOP_BREAKPOINT) &&
           cpu_cycles(JT[0].m.cpu) < limit)
        why = jt_run(slice, where);
    return why;
}

/* The translator really translated the code at physical `pa`. */
static void jt_expect_translated(uint32_t pa)
{
    ck_assert_msg(JT[JT_TRANSL].m.cpu->codemap[pa / 16] & CPU_CODE_JIT,
                  "the code at 0x%08x was not translated", pa);
}

/* Set or clear a breakpoint on every machine. */
static void jt_break(uint32_t paddr, bool on)
{
    for (unsigned k = 0; k < JT_NMACH; k++)
        ck_assert_int_eq(cpu_set_breakpoint(JT[k].m.cpu, paddr, on), 0);
}

/* ---- (a) ALU, shifts, compares, mul, div: aliasing and edge values */

typedef uint32_t (*jt_renc)(uint32_t, uint32_t, uint32_t);
typedef uint32_t (*jt_ienc)(uint32_t, uint32_t, int32_t);

static const uint32_t jt_values[] = {0,  1,  0xffffffffu, 0x80000000u, 0x7fffffffu,
                                     31, 32, 0x12345679u, 0xfffffffeu, 33};
#define JT_NVALUES (sizeof jt_values / sizeof jt_values[0])

/* Registers the generated programs use (not sp, which traps use, nor s3,
 * the results pointer): rotating through 13 of them puts more than the
 * translator's seven host registers in most blocks. */
static const unsigned jt_pool[] = {A0, A1, A2, A3, A4, A5, T0, T1, T2, S0, S1, S2, RA};
#define JT_NPOOL (sizeof jt_pool / sizeof jt_pool[0])

/* Operand patterns: d, b, c as x, y, z (distinct) or r0 (-1). */
static const int jt_patterns[][3] = {
    {0, 1, 2},  {0, 0, 1},  {0, 1, 0},   {0, 1, 1},  {0, 0, 0},    {0, -1, 1},
    {0, 1, -1}, {-1, 0, 1}, {0, -1, -1}, {-1, 0, 0}, {-1, -1, -1},
};
#define JT_NPATTERNS (sizeof jt_patterns / sizeof jt_patterns[0])

static unsigned jt_pick(int which, unsigned i)
{
    static const unsigned shift[3] = {0, 5, 9};
    return which < 0 ? ZERO : jt_pool[(i + shift[which]) % JT_NPOOL];
}

/* Record d, b and c after an instruction: three words at s3. */
static void jt_put_record(struct tmach *m, unsigned d, unsigned b, unsigned c)
{
    tm_put(m, enc_sw(d, S3, 0));
    tm_put(m, enc_sw(b, S3, 4));
    tm_put(m, enc_sw(c, S3, 8));
    tm_put(m, enc_addi(S3, S3, 12));
}

static void jt_put_rops(struct tmach *m, const jt_renc *ops, unsigned nops)
{
    unsigned i = 0;
    for (unsigned op = 0; op < nops; op++)
        for (unsigned p = 0; p < JT_NPATTERNS; p++)
            for (unsigned vb = 0; vb < JT_NVALUES; vb++)
                for (unsigned vc = 0; vc < JT_NVALUES; vc++, i++) {
                    unsigned d = jt_pick(jt_patterns[p][0], i), b = jt_pick(jt_patterns[p][1], i),
                             c = jt_pick(jt_patterns[p][2], i);
                    tm_li(m, b, jt_values[vb]);
                    tm_li(m, c, jt_values[vc]);
                    if (i % 3 == 0) /* the operation starts a block */
                        tm_put(m, enc_jal(ZERO, 1));
                    tm_put(m, ops[op](d, b, c));
                    jt_put_record(m, d, b, c);
                }
    tm_put(m, enc_halt(ZERO, 0, 0));
    ck_assert_uint_lt(m->here, JT_DATA);
}

static void jt_run_program(const char *name)
{
    cpu_set_reg(M0->cpu, S3, JT_DATA);
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(100000, 10000000, name), CPU_STOP_HALT);
    jt_expect_translated(JT_PROG);
}

START_TEST(alu_register_operands)
{
    static const jt_renc ops[] = {enc_add, enc_sub, enc_and, enc_or,  enc_xor,
                                  enc_sll, enc_srl, enc_sra, enc_slt, enc_sltu};
    jt_put_rops(M0, ops, sizeof ops / sizeof ops[0]);
    jt_run_program("alu");
}
END_TEST

START_TEST(mul_div_register_operands)
{
    static const jt_renc ops[] = {enc_mul,  enc_mulh, enc_mulhu, enc_div,
                                  enc_divu, enc_rem,  enc_remu};
    jt_put_rops(M0, ops, sizeof ops / sizeof ops[0]);
    jt_run_program("mul/div");
    /* Divisions by zero trapped and resumed: 7 values x 11 patterns x 4 ops
     * at least; the trace holds them, compared above. */
    ck_assert_uint_gt(JT[0].nevents, 4 * JT_NVALUES * 4);
}
END_TEST

START_TEST(alu_immediates)
{
    static const jt_ienc ops[] = {enc_addi,  enc_andi, enc_ori,  enc_xori, enc_slti,
                                  enc_sltiu, enc_lui,  enc_slli, enc_srli, enc_srai};
    static const int32_t imms[] = {0, 1, 0x7fff, 0x8000, 0xffff, 31, 0xfffe, 16};
    static const int pats[][2] = {{0, 1}, {0, 0}, {0, -1}, {-1, 0}};
    unsigned i = 0;
    for (unsigned op = 0; op < sizeof ops / sizeof ops[0]; op++)
        for (unsigned p = 0; p < 4; p++)
            for (unsigned v = 0; v < JT_NVALUES; v++)
                for (unsigned k = 0; k < sizeof imms / sizeof imms[0]; k++, i++) {
                    int32_t imm = imms[k];
                    if (op >= 7 && imm > 31) /* shift amounts above 31 are illegal */
                        imm &= 31;
                    unsigned d = jt_pick(pats[p][0], i), b = jt_pick(pats[p][1], i);
                    tm_li(M0, b, jt_values[v]);
                    if (i % 3 == 0)
                        tm_put(M0, enc_jal(ZERO, 1));
                    tm_put(M0, ops[op](d, b, imm));
                    jt_put_record(M0, d, b, b);
                }
    tm_put(M0, enc_halt(ZERO, 0, 0));
    jt_run_program("immediates");
}
END_TEST

START_TEST(branches)
{
    static const jt_ienc ops[] = {enc_beq, enc_bne, enc_blt, enc_bge, enc_bltu, enc_bgeu};
    static const int pats[][2] = {{0, 1}, {0, 0}, {0, -1}, {-1, 0}};
    unsigned i = 0;
    for (unsigned op = 0; op < sizeof ops / sizeof ops[0]; op++)
        for (unsigned p = 0; p < 4; p++)
            for (unsigned va = 0; va < JT_NVALUES; va++)
                for (unsigned vb = 0; vb < JT_NVALUES; vb++, i++) {
                    unsigned a = jt_pick(pats[p][0], i), b = jt_pick(pats[p][1], i);
                    unsigned r = jt_pick(2, i); /* never a or b */
                    tm_li(M0, a, jt_values[va]);
                    tm_li(M0, b, jt_values[vb]);
                    tm_put(M0, ops[op](a, b, 3));
                    tm_put(M0, enc_addi(r, ZERO, 1));
                    tm_put(M0, enc_jal(ZERO, 2));
                    tm_put(M0, enc_addi(r, ZERO, 2));
                    jt_put_record(M0, r, a, b);
                }
    tm_put(M0, enc_halt(ZERO, 0, 0));
    jt_run_program("branches");
}
END_TEST

/* ---- (b) loads and stores at the edges of the window */

static const jt_ienc jt_mem_ops[] = {enc_lb, enc_lbu, enc_lh, enc_lhu,
                                     enc_lw, enc_sb,  enc_sh, enc_sw};
static const unsigned jt_mem_size[] = {1, 1, 2, 2, 4, 1, 2, 4};

/* One access: t0 = base register value, op t1, imm(t0); loads fold the
 * value into s0; stores write a pattern. */
static void jt_put_access(struct tmach *m, unsigned op, uint32_t b, int32_t imm)
{
    tm_li(m, T0, b);
    if (op >= 5)
        tm_li(m, T1, 0xa1b2c3d4u ^ b);
    tm_put(m, jt_mem_ops[op](T1, T0, imm));
    if (op < 5) {
        tm_put(m, enc_mul(S0, S0, S1));
        tm_put(m, enc_add(S0, S0, T1));
    }
}

/* The same with r0 as the base register: op t1, imm(r0). */
static void jt_put_access0(struct tmach *m, unsigned op, int32_t imm)
{
    if (op >= 5)
        tm_li(m, T1, 0x5e6f7a8bu ^ (uint32_t)imm);
    tm_put(m, jt_mem_ops[op](T1, ZERO, imm));
    if (op < 5) {
        tm_put(m, enc_mul(S0, S0, S1));
        tm_put(m, enc_add(S0, S0, T1));
    }
}

/* A user program that accesses every size at the edges of a window
 * allowing `lim` bytes, then makes a system call. */
static void jt_put_edges(struct tmach *m, uint32_t lim)
{
    tm_put(m, enc_addi(S1, ZERO, 33));
    for (unsigned k = 0; k < 8; k++) /* room for the stores that wrap to va 4 */
        tm_put(m, enc_addi(ZERO, ZERO, 0));
    for (unsigned op = 0; op < 8; op++) {
        uint32_t n = jt_mem_size[op];
        jt_put_access(m, op, lim - n, 0);          /* the last allowed */
        jt_put_access(m, op, lim, 0);              /* one more: protection */
        jt_put_access(m, op, lim - n - 16, 16);    /* the same through imm */
        jt_put_access(m, op, lim - n + 1, 0);      /* misaligned (n > 1) or beyond */
        jt_put_access(m, op, 0xffffff00u, 0x104);  /* wraps to va 4 */
        jt_put_access(m, op, 4, -8);               /* wraps to 0xfffffffc */
        jt_put_access(m, op, 0xfffffffcu, 0);      /* va + n wraps past 2^32 */
        jt_put_access(m, op, lim - 2 * n, 0x7fff); /* far beyond */
        /* Through r0, which no host register holds: the check made alone. */
        for (int32_t imm = (int32_t)(lim - n); imm <= (int32_t)lim; imm++)
            jt_put_access0(m, op, imm);
        jt_put_access0(m, op, -(int32_t)n);
    }
    tm_put(m, enc_syscall());
    ck_assert_uint_lt(m->here - cpu_cr(m->cpu, ISA_CR_base), lim - 64);
}

static void jt_edges(uint32_t base, uint32_t bounds)
{
    tm_user(M0, base, bounds, false);
    uint32_t lim = TM_RAM - base < bounds ? TM_RAM - base : bounds;
    jt_put_edges(M0, lim);
    for (uint32_t a = base + lim - 64; a < base + lim; a += 4)
        tm_set_word(M0, a, 0x80f0e0d0u + a); /* data to load */
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(100000, 1000000, "edges"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), TM_HANDLER_CODE(ISA_CAUSE_SYSCALL));
    if (base % 16 == 0)
        jt_expect_translated(M0->here - 8); /* the last access */
}

START_TEST(access_edges_bounds_4096)
{
    jt_edges(TM_UBASE, 0x1000);
}
END_TEST

START_TEST(access_edges_bounds_odd)
{
    jt_edges(TM_UBASE, 0x1003);
}
END_TEST

START_TEST(access_edges_bounds_half)
{
    jt_edges(TM_UBASE, 0x1002);
}
END_TEST

START_TEST(access_edges_end_of_ram)
{
    jt_edges(TM_RAM - 0x800, 0x1000); /* RAM ends before the bounds */
}
END_TEST

START_TEST(access_edges_unaligned_base)
{
    jt_edges(TM_UBASE + 8, 0x1000); /* the translator leaves it to the interpreter */
}
END_TEST

/* Kernel: device registers and the end of RAM in the middle of blocks, a
 * timer interrupt landing in a self-loop. */
START_TEST(kernel_devices_in_blocks)
{
    struct tmach *m = M0;
    tm_li(m, S0, TM_TIMER);
    tm_li(m, S1, TM_CONSOLE);
    tm_put(m, enc_addi(A0, A0, 5));
    tm_put(m, enc_addi(T1, ZERO, 1000));
    tm_put(m, enc_sw(T1, S0, ISA_TMR_INTERVAL));
    tm_put(m, enc_lw(T2, S0, ISA_TMR_INTERVAL));
    tm_put(m, enc_addi(A1, A0, 7));
    tm_put(m, enc_addi(T1, ZERO, ISA_TMR_CTRL_ENABLE));
    tm_put(m, enc_sw(T1, S0, ISA_TMR_CTRL));
    tm_put(m, enc_addi(A2, A1, 1));
    tm_put(m, enc_lw(A3, S0, ISA_TMR_COUNT));
    tm_put(m, enc_addi(A2, A2, 1));
    tm_put(m, enc_lw(A4, S0, ISA_TMR_COUNT));
    tm_put(m, enc_addi(T1, ZERO, 'J'));
    tm_put(m, enc_sw(T1, S1, ISA_CON_TX));
    tm_put(m, enc_addi(A2, A2, 1));
    tm_put(m, enc_lb(A5, S0, 0)); /* byte access to a device: protection */
    tm_put(m, enc_addi(A2, A2, 1));
    tm_put(m, enc_sh(T1, S1, 0));
    tm_put(m, enc_addi(A2, A2, 1));
    tm_li(m, T2, 0xf0000f00u); /* no device */
    tm_put(m, enc_lw(A5, T2, 0));
    tm_li(m, T2, TM_RAM);
    tm_put(m, enc_lw(A5, T2, -4)); /* the last word of RAM */
    tm_put(m, enc_sw(A2, T2, -4));
    tm_put(m, enc_lw(A5, T2, 0)); /* one past: protection */
    tm_put(m, enc_lhu(A5, T2, -2));
    tm_put(m, enc_lbu(S2, T2, -1));
    tm_put(m, enc_sb(A2, T2, 0));
    tm_put(m, enc_addi(S2, S2, 1)); /* loop until the timer fires (halts) */
    tm_put(m, enc_jal(ZERO, -1));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(333, 100000, "devices"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), TM_HANDLER_CODE(ISA_CAUSE_TIMER));
    ck_assert_uint_eq(JT[0].m.nout, 1);
    jt_expect_translated(m->here - 8);
}
END_TEST

/* ---- (c) self-modifying code */

/* Stores into the next instruction, with sw, sh and sb, from the same
 * block, 40 times round a loop with a different value each time. */
START_TEST(store_into_own_next_instruction)
{
    struct tmach *m = M0;
    tm_put(m, enc_addi(S0, ZERO, 40));
    uint32_t loop = m->here;
    tm_put(m, enc_jal(T1, 1)); /* t1 = address of the next word */
    uint32_t anchor = m->here;
    tm_li(m, T0, enc_addi(A0, A0, 0));
    tm_put(m, enc_slli(T2, S0, 16));
    tm_put(m, enc_add(T0, T0, T2)); /* t0 = addi a0, a0, s0 */
    tm_put(m, enc_sw(T0, T1, (int32_t)(m->here + 4 - anchor)));
    tm_put(m, enc_addi(A0, A0, 1000)); /* replaced before it runs */
    tm_put(m, enc_sh(S0, T1, (int32_t)(m->here + 4 + 2 - anchor)));
    tm_put(m, enc_addi(A1, A1, 1000)); /* its imm16 replaced by s0 */
    tm_put(m, enc_addi(T2, S0, 3));
    tm_put(m, enc_sb(T2, T1, (int32_t)(m->here + 4 + 2 - anchor)));
    tm_put(m, enc_addi(A2, A2, 0x100)); /* its low imm byte replaced */
    tm_put(m, enc_addi(S0, S0, -1));
    tm_put(m, enc_bne(S0, ZERO, (int32_t)(loop - m->here) / 4));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(50, 100000, "own next"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(JT[0].m.cpu, A0), 40 * 41 / 2);
}
END_TEST

/* f is called until it is translated and linked, then rewritten by a store
 * (a word, then a half in its middle), then called again. */
START_TEST(store_into_linked_block)
{
    struct tmach *m = M0;
    const uint32_t f = JT_PROG + 0x1000;
    tm_org(m, f);
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_addi(A1, A1, 3));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_org(m, JT_PROG);
    tm_put(m, enc_addi(S0, ZERO, 20));
    tm_li(m, S1, f);
    uint32_t loop = m->here;
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_addi(S0, S0, -1));
    tm_put(m, enc_bne(S0, ZERO, (int32_t)(loop - m->here) / 4));
    tm_li(m, T0, enc_addi(A0, A0, 16));
    tm_put(m, enc_sw(T0, S1, 0));
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_jalr(RA, S1, 0));
    tm_put(m, enc_addi(T0, ZERO, 77));
    tm_put(m, enc_sh(T0, S1, 4 + 2));
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_sw(T0, S1, 0xc)); /* data beside the code, same granule */
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run(100, "linked"), CPU_STOP_BUDGET);
    jt_expect_translated(f);
    uint64_t flushes = cpu_jit_flushes(JT[JT_TRANSL].m.cpu);
    ck_assert_int_eq(jt_run_to_end(1000, 100000, "linked"), CPU_STOP_HALT);
    ck_assert_uint_gt(cpu_jit_flushes(JT[JT_TRANSL].m.cpu), flushes);
    ck_assert_uint_eq(cpu_reg(JT[0].m.cpu, A0), 20 + 4 * 16);
    ck_assert_uint_eq(cpu_reg(JT[0].m.cpu, A1), 22 * 3 + 2 * 77);
}
END_TEST

/* A trap frame written over translated user code: the next call of it
 * must run what the frame left there (an illegal word). */
START_TEST(trap_frame_over_translated_code)
{
    struct tmach *m = M0;
    tm_user(m, TM_UBASE, 0x1000, false);
    tm_put(m, enc_jal(ZERO, 0x20)); /* to va 0x80 */
    tm_org(m, TM_UBASE + 0x10);     /* f */
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_org(m, TM_UBASE + 0x80);
    tm_put(m, enc_jal(RA, (0x10 - 0x80) / 4));
    tm_put(m, enc_jal(RA, (0x10 - 0x84) / 4));
    tm_put(m, enc_syscall());
    tm_put(m, enc_jal(RA, (0x10 - 0x8c) / 4));
    tm_put(m, enc_halt(ZERO, 0, 0));
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_SYSCALL, JT_RETT);
    cpu_set_cr(m->cpu, ISA_CR_ksp, TM_UBASE + 0x60); /* the frame covers va 0x10..0x5f */
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(100, 100000, "frame"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), TM_HANDLER_CODE(ISA_CAUSE_ILLEGAL));
}
END_TEST

/* Loads and stores through one base register: the translator checks such
 * a group once, for the whole range it touches.  A base that makes any of
 * them fault (misaligned, below 0, past the bounds, wrapping) must still
 * fault at exactly the instruction the reference faults at. */
static void jt_put_group(struct tmach *m, uint32_t base)
{
    tm_li(m, S2, base);
    tm_put(m, enc_lw(T1, S2, 0));
    tm_put(m, enc_lh(A1, S2, 6));
    tm_put(m, enc_lb(A2, S2, 3));
    tm_put(m, enc_lw(A3, S2, -4));
    tm_put(m, enc_sw(T1, S2, 8));
    tm_put(m, enc_sb(A2, S2, 11));
    tm_put(m, enc_lhu(A4, S2, -2));
    tm_put(m, enc_sh(A1, S2, 12));
    tm_put(m, enc_lbu(A5, S2, 15));
    tm_put(m, enc_add(S0, S0, T1));
    tm_put(m, enc_add(S0, S0, A1));
    tm_put(m, enc_xor(S0, S0, A2));
    tm_put(m, enc_add(S0, S0, A3));
    tm_put(m, enc_xor(S0, S0, A4));
    tm_put(m, enc_add(S0, S0, A5));
}

static void jt_groups(uint32_t lim)
{
    const uint32_t bases[] = {0,        1,        2,        3,           4,           6,
                              8,        0x400,    0x401,    0x402,       lim - 16,    lim - 15,
                              lim - 14, lim - 13, lim - 12, lim - 8,     lim - 4,     lim - 2,
                              lim - 1,  lim,      lim + 4,  0xfffffff0u, 0xfffffffcu, 0xfffffffeu};
    tm_put(M0, enc_jal(ZERO, 16)); /* over room for the stores below va 0x40 */
    tm_org(M0, M0->here + 0x3c);
    for (unsigned k = 0; k < sizeof bases / sizeof bases[0]; k++)
        jt_put_group(M0, bases[k]);
}

START_TEST(grouped_accesses_user)
{
    tm_user(M0, TM_UBASE, 0x1000, false);
    jt_groups(0x1000);
    tm_put(M0, enc_syscall());
    for (uint32_t a = 0; a < 0x1000; a += 4)
        if (a >= 0x800)
            tm_set_word(M0, TM_UBASE + a, a * 0x01010101u ^ 0x5a0f3c81u);
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 1000000, "groups"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), TM_HANDLER_CODE(ISA_CAUSE_SYSCALL));
}
END_TEST

START_TEST(grouped_accesses_kernel)
{
    jt_groups(TM_RAM);
    tm_put(M0, enc_halt(S0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 1000000, "kernel groups"), CPU_STOP_HALT);
}
END_TEST

/* Two stores through one base: the first into data, the second into the
 * first word of f, in the next 16-byte granule; f was translated before,
 * so the new word must be what runs next. */
START_TEST(grouped_store_into_next_granule)
{
    struct tmach *m = M0;
    const uint32_t f = JT_PROG + 0x100;
    tm_org(m, f);
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_org(m, JT_PROG);
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_li(m, S2, f - 8);
    tm_li(m, T1, enc_addi(A0, A0, 50));
    tm_put(m, enc_sw(T2, S2, 0));
    tm_put(m, enc_sw(T1, S2, 8));
    tm_put(m, enc_sw(T2, S2, 4));
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 100000, "granules"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), 52);
}
END_TEST

/* Thirty stores 80 bytes apart: each leads a group of its own, with four
 * checks (base + lo >= 0, the bounds, alignment, the code map) - more side
 * exits than three per instruction.  The block must still be translated
 * whole (it once was left to the reference a word at a time, 50 times
 * slower than the interpreter). */
START_TEST(many_checks_in_one_block)
{
    struct tmach *m = M0;
    tm_org(m, JT_PROG);
    tm_li(m, S0, JT_DATA + 0x1000);
    tm_li(m, A0, 7);
    uint32_t block = m->here;
    for (unsigned k = 0; k < 30; k++)
        tm_put(m, enc_sw(A0, S0, -(int32_t)(80 * k)));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 100000, "checks"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), 7);
    jt_expect_translated(block + 4 * 20); /* an empty block marks only its first word */
}
END_TEST

/* A block that loops on itself keeps registers in host registers across
 * rounds; a side exit in a later round (a division by zero, a load past
 * the bounds) must write back what the earlier rounds wrote. */
START_TEST(side_exit_in_a_later_round)
{
    struct tmach *m = M0;
    tm_put(m, enc_addi(A2, ZERO, 5));
    tm_put(m, enc_addi(A3, ZERO, 12));
    tm_li(m, S2, TM_RAM - 24);
    uint32_t loop = m->here;
    tm_put(m, enc_div(T1, S1, A2));  /* a2 reaches 0 in round 6 */
    tm_put(m, enc_lw(T2, S2, 0));    /* s2 reaches the end of RAM in round 7 */
    tm_put(m, enc_addi(A2, A2, -1)); /* written after the checks */
    tm_put(m, enc_addi(S2, S2, 4));
    tm_put(m, enc_add(S1, S1, A0));
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_bne(A0, A3, (int32_t)(loop - m->here) / 4));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 100000, "later round"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), 12);
    jt_expect_translated(loop);
}
END_TEST

/* ---- (d) breakpoints in translated, linked blocks */

/* A loop calling f; a system call (to a bare rett) every round. */
static void jt_put_call_loop(struct tmach *m, unsigned rounds, bool syscalls)
{
    const uint32_t f = JT_PROG + 0x200;
    tm_org(m, f);
    tm_put(m, enc_addi(A1, A1, 3));
    tm_put(m, enc_sw(A1, S3, 0));
    tm_put(m, enc_lw(A2, S3, 0));
    tm_put(m, enc_add(A3, A3, A2));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_org(m, JT_PROG);
    tm_li(m, S3, JT_DATA);
    tm_put(m, enc_addi(S0, ZERO, (int32_t)rounds));
    uint32_t loop = m->here;
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_jal(RA, (int32_t)(f - m->here) / 4));
    tm_put(m, enc_addi(A4, A4, 2));
    if (syscalls)
        tm_put(m, enc_syscall());
    tm_put(m, enc_addi(A5, A4, 1));
    tm_put(m, enc_addi(S0, S0, -1));
    tm_put(m, enc_bne(S0, ZERO, (int32_t)(loop - m->here) / 4));
    tm_put(m, enc_halt(A3, 0, 0));
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_SYSCALL, JT_RETT);
}

START_TEST(breakpoint_in_linked_block)
{
    jt_put_call_loop(M0, 200, false);
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run(300, "warm up"), CPU_STOP_BUDGET);
    jt_expect_translated(JT_PROG + 0x200);
    jt_break(JT_PROG + 0x18, true); /* mid-block: addi a5 after the call */
    ck_assert_int_eq(jt_run(100000, "break 1"), CPU_STOP_BREAKPOINT);
    ck_assert_int_eq(jt_run(100000, "break 2"), CPU_STOP_BREAKPOINT);
    jt_break(JT_PROG + 0x18, false);
    jt_break(JT_PROG + 0x200 + 8, true); /* inside f */
    ck_assert_int_eq(jt_run(100000, "break 3"), CPU_STOP_BREAKPOINT);
    ck_assert_uint_eq(cpu_pc(JT[0].m.cpu), JT_PROG + 0x208);
    ck_assert_int_eq(jt_step("step off"), CPU_STOP_BUDGET);
    ck_assert_int_eq(jt_run(7, "short"), CPU_STOP_BUDGET);
    ck_assert_int_eq(jt_run(100000, "break 4"), CPU_STOP_BREAKPOINT);
    jt_break(JT_PROG + 0x208, false);
    ck_assert_int_eq(jt_run(100000, "to the end"), CPU_STOP_HALT);
}
END_TEST

START_TEST(breakpoint_from_event_hook)
{
    jt_put_call_loop(M0, 60, true);
    /* Traps and retts alternate: set at the 10th event, clear at the 31st,
     * set inside f at the 40th, clear at the 70th. */
    static const struct jt_action script[] = {
        {10, JT_PROG + 0x20, true},
        {31, JT_PROG + 0x20, false},
        {40, JT_PROG + 0x20c, true},
        {70, JT_PROG + 0x20c, false},
    };
    for (unsigned k = 0; k < JT_NMACH; k++) {
        memcpy(JT[k].actions, script, sizeof script);
        JT[k].nactions = sizeof script / sizeof script[0];
    }
    jt_kernel_ie();
    jt_clone();
    unsigned breaks = 0;
    enum cpu_stop why;
    while ((why = jt_run(100000, "hook breaks")) == CPU_STOP_BREAKPOINT)
        breaks++;
    ck_assert_int_eq(why, CPU_STOP_HALT);
    ck_assert_uint_eq(breaks, 11 + 15); /* rounds 5-15 at 0x20, 21-35 in f */
}
END_TEST

/* ---- (e) every budget */

/* A loop with calls (jal, jalr), loads and stores, and a periodic timer
 * interrupt whose handler counts in memory. */
static void jt_put_budget_program(struct tmach *m)
{
    const uint32_t th = JT_PROG + 0x400;
    tm_org(m, th);
    tm_li(m, T0, TM_TIMER);
    tm_put(m, enc_addi(T1, ZERO, 1));
    tm_put(m, enc_sw(T1, T0, ISA_TMR_STATUS));
    tm_li(m, T0, JT_DATA + 0x100);
    tm_put(m, enc_lw(T1, T0, 0));
    tm_put(m, enc_addi(T1, T1, 1));
    tm_put(m, enc_sw(T1, T0, 0));
    tm_put(m, enc_rett());
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_TIMER, th);
    jt_put_call_loop(m, 12, false);
    /* Before the loop: arm the periodic timer (the loop starts at li s3). */
    tm_org(m, JT_PROG - 0x20);
    tm_li(m, T0, TM_TIMER);
    tm_put(m, enc_addi(T1, ZERO, 23));
    tm_put(m, enc_sw(T1, T0, ISA_TMR_INTERVAL));
    tm_put(m, enc_addi(T1, ZERO, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC));
    tm_put(m, enc_sw(T1, T0, ISA_TMR_CTRL));
    tm_put(m, enc_addi(ZERO, ZERO, 0)); /* on into the loop's set-up at JT_PROG */
    tm_put(m, enc_addi(ZERO, ZERO, 0));
    cpu_set_cr(m->cpu, ISA_CR_status, ISA_STATUS_KERNEL | ISA_STATUS_IE);
    cpu_set_pc(m->cpu, JT_PROG - 0x20);
}

START_TEST(every_budget)
{
    char where[64];
    for (unsigned n = 1; n <= 80; n++) {
        jt_fresh(n);
        jt_put_budget_program(M0);
        jt_clone();
        snprintf(where, sizeof where, "cpu_run(%u)", n);
        enum cpu_stop why = CPU_STOP_BUDGET;
        for (unsigned k = 0; k < 100000 && why == CPU_STOP_BUDGET; k++)
            why = jt_run(n, where);
        ck_assert_int_eq(why, CPU_STOP_HALT);
        ck_assert_uint_gt(tm_word(M0, JT_DATA + 0x100), 3); /* interrupts were taken */
    }
}
END_TEST

START_TEST(steps_and_mixed_budgets)
{
    jt_put_budget_program(M0);
    jt_clone();
    enum cpu_stop why = CPU_STOP_BUDGET;
    for (unsigned k = 0; k < 40; k++)
        ck_assert_int_eq(jt_step("step"), CPU_STOP_BUDGET);
    uint32_t seed = 12345;
    for (unsigned k = 0; k < 100000 && why == CPU_STOP_BUDGET; k++) {
        seed = seed * 1103515245u + 12345u;
        unsigned n = (seed >> 16) % 40;
        why = n < 8 ? jt_step("mixed step") : jt_run(n, "mixed run");
    }
    ck_assert_int_eq(why, CPU_STOP_HALT);
}
END_TEST

/* ---- (e2) system calls inside translated code */

/* A user loop whose blocks end with syscall: registers changed just before
 * it (held in host registers) must reach the trap frame, the handler's
 * change to the saved a0 must reach the code after it, and the trap must
 * land on the same cycle as in the reference - with deadlines (budgets of
 * 1 to 24 cycles) falling everywhere around the syscall. */
static void jt_put_syscall_loop(struct tmach *m)
{
    const uint32_t handler = 0x500;
    tm_org(m, handler); /* a5 = 0: halt with s2; else saved a0 += saved s1 */
    tm_put(m, enc_lw(T0, SP, ISA_FRAME_REG(A5)));
    tm_put(m, enc_beq(T0, ZERO, 6));
    tm_put(m, enc_lw(T1, SP, ISA_FRAME_REG(S1)));
    tm_put(m, enc_lw(T2, SP, ISA_FRAME_REG(A0)));
    tm_put(m, enc_add(T2, T2, T1));
    tm_put(m, enc_sw(T2, SP, ISA_FRAME_REG(A0)));
    tm_put(m, enc_rett());
    tm_put(m, enc_lw(A0, SP, ISA_FRAME_REG(S2)));
    tm_put(m, enc_halt(A0, 0, 0));
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_SYSCALL, handler);

    tm_user(m, TM_UBASE, 0x1000, true);
    tm_put(m, enc_addi(S0, ZERO, 0));
    tm_put(m, enc_addi(S1, S1, 3)); /* the loop */
    tm_put(m, enc_addi(A5, ZERO, 7));
    tm_put(m, enc_syscall());
    tm_put(m, enc_add(S2, S2, A0));
    tm_put(m, enc_addi(S0, S0, 1));
    tm_put(m, enc_addi(T0, ZERO, 50));
    tm_put(m, enc_blt(S0, T0, -6));
    tm_put(m, enc_addi(A5, ZERO, 0));
    tm_put(m, enc_syscall());
}

START_TEST(syscall_ends_block)
{
    uint32_t s1 = 0, a0 = 0, s2 = 0; /* what the program computes */
    for (unsigned i = 0; i < 50; i++) {
        s1 += 3;
        a0 += s1;
        s2 += a0;
    }
    char where[64];
    for (unsigned n = 1; n <= 24; n++) {
        jt_fresh(n);
        jt_put_syscall_loop(M0);
        jt_clone();
        snprintf(where, sizeof where, "syscall loop, cpu_run(%u)", n);
        ck_assert_int_eq(jt_run_to_end(n, 100000, where), CPU_STOP_HALT);
        ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), s2);
        jt_expect_translated(TM_UBASE + 4);
    }
}
END_TEST

/* ---- (f) jalr targets */

/* User window 0 (the run starts in user mode): jalr to va 0, to a
 * misaligned target, past the bounds, wrapping, and to f. */
START_TEST(jalr_targets_user)
{
    struct tmach *m = M0;
    tm_user(m, TM_UBASE, 0x1000, false);
    tm_put(m, enc_addi(S0, S0, 1)); /* va 0 */
    tm_put(m, enc_addi(T0, ZERO, 5));
    tm_put(m, enc_bge(S0, T0, 2));
    tm_put(m, enc_jalr(RA, ZERO, 0)); /* again from va 0 */
    tm_put(m, enc_addi(T2, ZERO, 0x402));
    tm_put(m, enc_jalr(RA, T2, 0));  /* misaligned: resumes at ra */
    tm_put(m, enc_jalr(RA, T2, 1));  /* misaligned */
    tm_put(m, enc_jalr(RA, T2, -2)); /* f */
    tm_put(m, enc_addi(T2, ZERO, 0x1000));
    tm_put(m, enc_jalr(RA, T2, 0));  /* at the bounds: protection */
    tm_put(m, enc_jalr(RA, T2, -4)); /* the last word: returns */
    tm_li(m, T2, 0xffffff00u);
    tm_put(m, enc_jalr(RA, T2, 0x500)); /* wraps to f */
    tm_li(m, T2, 0xfffffffcu);
    tm_put(m, enc_jalr(RA, T2, 0));     /* va + 4 wraps: protection */
    tm_put(m, enc_jalr(RA, T2, 0x404)); /* wraps to f */
    tm_put(m, enc_addi(S1, S1, 1));
    tm_put(m, enc_addi(T0, ZERO, 3));
    tm_put(m, enc_blt(S1, T0, -(int32_t)(m->here - TM_UBASE) / 4)); /* all again */
    tm_put(m, enc_syscall());
    tm_org(m, TM_UBASE + 0x400); /* f */
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_set_word(m, TM_UBASE + 0xffc, enc_jalr(ZERO, RA, 0));
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(97, 100000, "jalr user"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), TM_HANDLER_CODE(ISA_CAUSE_SYSCALL));
    /* a0 as the system call saved it: f ran three times per pass. */
    ck_assert_uint_eq(tm_word(M0, TM_KSP - ISA_FRAME_SIZE + ISA_FRAME_REG(A0)), 3 * 3);
    jt_expect_translated(TM_UBASE);
}
END_TEST

/* Kernel window 0: jalr to physical 0 (which the empty entries of the
 * translator's jalr table also name) from a loop. */
START_TEST(jalr_to_kernel_zero)
{
    struct tmach *m = M0;
    tm_org(m, 0);
    tm_put(m, enc_addi(A0, A0, 1));
    tm_put(m, enc_jalr(ZERO, RA, 0));
    tm_org(m, JT_PROG);
    tm_put(m, enc_addi(S0, ZERO, 30));
    uint32_t loop = m->here;
    tm_put(m, enc_jalr(RA, ZERO, 0));
    tm_put(m, enc_addi(S0, S0, -1));
    tm_put(m, enc_bne(S0, ZERO, (int32_t)(loop - m->here) / 4));
    tm_put(m, enc_halt(A0, 0, 0));
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 100000, "jalr 0"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(JT[0].m.cpu), 30);
    jt_expect_translated(0);
}
END_TEST

/* The window-switching kernel: on each system call, the next window of
 * the list at JT_KDATA (count at +4, {base, bounds} pairs from +8; index
 * at +0) runs from va 0 with the registers of the previous one; after the
 * last, halt 0.  If the word at JT_KDATA - 8 is not 0, it is the physical
 * address of an instruction whose imm16 the kernel increments each time. */
static void jt_kernel(struct tmach *m, const uint32_t (*windows)[2], unsigned n)
{
    tm_set_word(m, JT_KDATA, 0);
    tm_set_word(m, JT_KDATA + 4, n);
    for (unsigned k = 0; k < n; k++) {
        tm_set_word(m, JT_KDATA + 8 + 8 * k, windows[k][0]);
        tm_set_word(m, JT_KDATA + 12 + 8 * k, windows[k][1]);
    }
    ck_assert_uint_lt(JT_KDATA + 8 + 8 * n, TM_CODE);
    tm_org(m, JT_KERNEL);
    tm_put(m, enc_addi(T0, ZERO, JT_KDATA));
    tm_put(m, enc_lw(A3, T0, -8));
    tm_put(m, enc_beq(A3, ZERO, 5));
    tm_put(m, enc_lw(A4, A3, 0));
    tm_put(m, enc_lui(A5, 0, 1));
    tm_put(m, enc_add(A4, A4, A5));
    tm_put(m, enc_sw(A4, A3, 0));
    tm_put(m, enc_lw(T1, T0, 0));
    tm_put(m, enc_addi(T1, T1, 1));
    tm_put(m, enc_sw(T1, T0, 0));
    tm_put(m, enc_lw(T2, T0, 4));
    tm_put(m, enc_bne(T1, T2, 2));
    tm_put(m, enc_halt(ZERO, 0, 0));
    tm_put(m, enc_slli(T2, T1, 3));
    tm_put(m, enc_add(T2, T2, T0));
    tm_put(m, enc_lw(A3, T2, 8));
    tm_put(m, enc_mtcr(0, A3, ISA_CR_base));
    tm_put(m, enc_lw(A3, T2, 12));
    tm_put(m, enc_mtcr(0, A3, ISA_CR_bounds));
    tm_put(m, enc_sw(ZERO, SP, ISA_FRAME_PC));
    tm_put(m, enc_rett());
    tm_set_word(m, TM_TTB + 4 * ISA_CAUSE_SYSCALL, JT_KERNEL);
    tm_user(m, windows[0][0], windows[0][1], false);
}

/* The same virtual code in two windows: va 0x100 and 0x200 differ. */
START_TEST(jalr_into_other_window)
{
    static const uint32_t windows[][2] = {
        {0x10000, 0x1000}, {0x30000, 0x1000}, {0x10000, 0x1000}, {0x30000, 0x1000},
        {0x10000, 0x1000}, {0x30000, 0x1000}, {0x30000, 0x1000}, {0x10000, 0x1000},
    };
    struct tmach *m = M0;
    jt_kernel(m, windows, sizeof windows / sizeof windows[0]);
    for (unsigned w = 0; w < 2; w++) {
        uint32_t base = w == 0 ? 0x10000 : 0x30000;
        tm_org(m, base);
        tm_put(m, enc_addi(S0, ZERO, 6));
        tm_put(m, enc_addi(T2, ZERO, 0x100));
        tm_put(m, enc_jalr(RA, T2, 0)); /* va 0x100 */
        tm_put(m, enc_jal(RA, (0x200 - 0xc) / 4));
        tm_put(m, enc_addi(S0, S0, -1));
        tm_put(m, enc_bne(S0, ZERO, -4));
        tm_put(m, enc_sw(A0, ZERO, 0x800));
        tm_put(m, enc_syscall());
        tm_org(m, base + 0x100);
        tm_put(m, enc_addi(A0, A0, w == 0 ? 1 : 100));
        tm_put(m, enc_jalr(ZERO, RA, 0));
        tm_org(m, base + 0x200);
        tm_put(m, enc_addi(A1, A1, w == 0 ? 1 : 100));
        tm_put(m, enc_jalr(ZERO, RA, 0));
    }
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(500, 1000000, "two windows"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(JT[0].m.cpu, A0), 4 * 6 * 1 + 4 * 6 * 100);
    jt_expect_translated(0x30100);
}
END_TEST

/* The kernel rewrites user code between runs of its window. */
START_TEST(kernel_rewrites_user_code)
{
    static const uint32_t windows[][2] = {
        {0x10000, 0x1000}, {0x10000, 0x1000}, {0x20000, 0x800},
        {0x10000, 0x1000}, {0x10000, 0x1000},
    };
    struct tmach *m = M0;
    jt_kernel(m, windows, 5);
    tm_set_word(m, JT_KDATA - 8, 0x10000 + 0x100);
    for (uint32_t base = 0x10000; base <= 0x20000; base += 0x10000) {
        tm_org(m, base);
        tm_put(m, enc_addi(S0, ZERO, 5));
        tm_put(m, enc_jal(RA, (0x100 - 4) / 4));
        tm_put(m, enc_addi(S0, S0, -1));
        tm_put(m, enc_bne(S0, ZERO, -2));
        tm_put(m, enc_syscall());
        tm_org(m, base + 0x100);
        tm_put(m, enc_addi(A0, A0, 10)); /* the kernel makes it 11, 12, ... */
        tm_put(m, enc_jalr(ZERO, RA, 0));
    }
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(500, 1000000, "rewrite"), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(JT[0].m.cpu, A0), 5 * (10 + 11 + 10 + 13 + 14));
}
END_TEST

/* ---- (g) more windows and more blocks than the translator keeps */

START_TEST(more_windows_than_the_cache)
{
    static uint32_t windows[160][2];
    struct tmach *m = M0;
    for (unsigned k = 0; k < 160; k++) {
        unsigned i = k % 80;
        windows[k][0] = 0x10000 + 0x2000 * (i % 20);
        windows[k][1] = 0x1000 + 0x10 * (i / 20);
    }
    jt_kernel(m, (const uint32_t(*)[2])windows, 160);
    for (unsigned w = 0; w < 20; w++) {
        uint32_t base = 0x10000 + 0x2000 * w;
        tm_org(m, base);
        tm_put(m, enc_addi(S0, ZERO, 3));
        tm_put(m, enc_jal(RA, (0x100 - 4) / 4));
        tm_put(m, enc_addi(T2, ZERO, 0x200));
        tm_put(m, enc_jalr(RA, T2, 0));
        tm_put(m, enc_addi(S0, S0, -1));
        tm_put(m, enc_bne(S0, ZERO, -4));
        tm_put(m, enc_lw(T0, ZERO, 0x800));
        tm_put(m, enc_add(T0, T0, A0));
        tm_put(m, enc_sw(T0, ZERO, 0x800));
        tm_put(m, enc_syscall());
        tm_org(m, base + 0x100);
        tm_put(m, enc_addi(A0, A0, (int32_t)w + 1));
        tm_put(m, enc_jalr(ZERO, RA, 0));
        tm_org(m, base + 0x200);
        tm_put(m, enc_xori(A1, A1, w * 7 + 1));
        tm_put(m, enc_jalr(ZERO, RA, 0));
    }
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(1000, 10000000, "windows"), CPU_STOP_HALT);
    ck_assert_uint_ge(cpu_jit_flushes(JT[JT_TRANSL].m.cpu), 2);
}
END_TEST

/* 70,000 one-instruction blocks (each ends with a jump to the next word),
 * run twice: more blocks than the translator keeps at once. */
START_TEST(more_blocks_than_the_cache)
{
    struct tmach *m = M0;
    tm_put(m, enc_addi(S0, ZERO, 2));
    uint32_t start = m->here;
    for (unsigned k = 0; k < 70000; k++) {
        tm_put(m, enc_addi(A0, A0, (int32_t)(k % 1000)));
        tm_put(m, enc_jal(ZERO, 1));
    }
    tm_put(m, enc_addi(S0, S0, -1));
    tm_li(m, T0, start);
    tm_put(m, enc_beq(S0, ZERO, 2));
    tm_put(m, enc_jalr(ZERO, T0, 0));
    tm_put(m, enc_halt(A0, 0, 0));
    ck_assert_uint_lt(m->here, TM_RAM);
    jt_kernel_ie();
    jt_clone();
    ck_assert_int_eq(jt_run_to_end(100003, 1000000, "blocks"), CPU_STOP_HALT);
    ck_assert_uint_ge(cpu_jit_flushes(JT[JT_TRANSL].m.cpu), 2);
}
END_TEST

/* The engines' names, as lde --engine and lde-bench --engine take them. */
START_TEST(engine_names)
{
    enum cpu_engine e = CPU_ENGINE_REFERENCE;
    ck_assert_int_eq(cpu_engine_from_name("translate", &e), 0);
    ck_assert_int_eq(e, CPU_ENGINE_TRANSLATE);
    ck_assert_int_eq(cpu_engine_from_name("interpret", &e), 0);
    ck_assert_int_eq(e, CPU_ENGINE_INTERPRET);
    ck_assert_int_eq(cpu_engine_from_name("reference", &e), 0);
    ck_assert_int_eq(e, CPU_ENGINE_REFERENCE);
    ck_assert_int_eq(cpu_engine_from_name("jit", &e), -1);
    ck_assert_int_eq(cpu_engine_from_name("", &e), -1);
    ck_assert_int_eq(e, CPU_ENGINE_REFERENCE); /* untouched on failure */
}
END_TEST

static Suite *jit_suite(void)
{
    Suite *s = suite_create("jit");
    TCase *tc = tcase_create("jit");
    tcase_add_checked_fixture(tc, jt_setup, jt_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, alu_register_operands);
    tcase_add_test(tc, mul_div_register_operands);
    tcase_add_test(tc, alu_immediates);
    tcase_add_test(tc, branches);
    tcase_add_test(tc, access_edges_bounds_4096);
    tcase_add_test(tc, access_edges_bounds_odd);
    tcase_add_test(tc, access_edges_bounds_half);
    tcase_add_test(tc, access_edges_end_of_ram);
    tcase_add_test(tc, access_edges_unaligned_base);
    tcase_add_test(tc, kernel_devices_in_blocks);
    tcase_add_test(tc, grouped_accesses_user);
    tcase_add_test(tc, grouped_accesses_kernel);
    tcase_add_test(tc, grouped_store_into_next_granule);
    tcase_add_test(tc, store_into_own_next_instruction);
    tcase_add_test(tc, store_into_linked_block);
    tcase_add_test(tc, trap_frame_over_translated_code);
    tcase_add_test(tc, side_exit_in_a_later_round);
    tcase_add_test(tc, breakpoint_in_linked_block);
    tcase_add_test(tc, breakpoint_from_event_hook);
    tcase_add_test(tc, every_budget);
    tcase_add_test(tc, steps_and_mixed_budgets);
    tcase_add_test(tc, syscall_ends_block);
    tcase_add_test(tc, jalr_targets_user);
    tcase_add_test(tc, jalr_to_kernel_zero);
    tcase_add_test(tc, jalr_into_other_window);
    tcase_add_test(tc, kernel_rewrites_user_code);
    tcase_add_test(tc, more_windows_than_the_cache);
    tcase_add_test(tc, more_blocks_than_the_cache);
    tcase_add_test(tc, many_checks_in_one_block);
    tcase_add_test(tc, engine_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(jit_suite());
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
