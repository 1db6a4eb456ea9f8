/*
 * test_cpu.c - the LDE32 CPU: instruction semantics, traps, protection,
 * privilege, interrupts, wfi, double faults, events, determinism.
 *
 * Each test writes a small program with the enc_*() encoders and runs it on
 * the machine of machine.h.  Default handlers halt with 100 + cause, so
 * "which handler ran" is the halt code.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "timer.h"

static struct tmach M;

static void setup(void)
{
    ck_assert(tm_init(&M));
}

static void teardown(void)
{
    tm_free(&M);
}

/* Back to the power-on state of tm_init (RAM kept), event log cleared. */
static void restart(void)
{
    cpu_reset(M.cpu, TM_CODE);
    cpu_set_cr(M.cpu, ISA_CR_ttb, TM_TTB);
    cpu_set_cr(M.cpu, ISA_CR_ksp, TM_KSP);
    cpu_set_reg(M.cpu, SP, TM_KSTACK);
    M.nev = 0;
    M.ntraps = 0;
    tm_org(&M, TM_CODE);
}

static enum cpu_stop run(void)
{
    return cpu_run(M.cpu, 1000000);
}

/* A constant-expression twin of enc_<op>(a, b, imm) (isa.h fields; R
 * format: imm = register C), for the static tables of cases below. */
#define INSN(op, a, b, imm)                                                                        \
    ((uint32_t)ISA_OP_##op | (uint32_t)(a) << ISA_A_POS | (uint32_t)(b) << ISA_B_POS |             \
     ((uint32_t)(imm)&0xffffu) << ISA_IMM16_POS)

/* ================================================================ tables */

/* Every table of instruction cases runs under each engine: a loop test's
 * index _i picks row _i / NENGINES and engine _i % NENGINES. */
static const enum cpu_engine engines[] = {CPU_ENGINE_TRANSLATE, CPU_ENGINE_INTERPRET,
                                          CPU_ENGINE_REFERENCE};
#define NENGINES      (sizeof engines / sizeof engines[0])
#define NROWS(table)  (sizeof(table) / sizeof(table)[0])
#define NLOOPS(table) ((int)(NROWS(table) * NENGINES)) /* loop test end */

/* The case under test, named in every failure message of expect_trap and
 * of a table row ("" outside tables). */
static char what[160];

/* Run loop index i under its engine; returns its row. */
static unsigned table_row(int i)
{
    cpu_set_engine(M.cpu, engines[(unsigned)i % NENGINES]);
    return (unsigned)i / NENGINES;
}

/* Name the row for failure messages: "name [engine]". */
static void name_case(const char *name)
{
    snprintf(what, sizeof what, "%s [%s]", name, cpu_engine_name(cpu_get_engine(M.cpu)));
}

/* ck_assert_uint_eq that also names the case under test. */
#define CASE_EQ(x, y)                                                                              \
    ck_assert_msg((uint64_t)(x) == (uint64_t)(y), "%s: %s = 0x%08llx, expected 0x%08llx", what,    \
                  #x, (unsigned long long)(x), (unsigned long long)(y))

/* The program stopped in the default handler of `cause`, trapped at `pc`. */
static void expect_trap(enum isa_cause cause, uint32_t pc, uint32_t faddr)
{
    const struct cpu_event *ev = tm_last(&M, CPU_EV_TRAP);
    ck_assert_msg(ev != NULL, "%s: no trap, expected %s", what, cpu_cause_name(cause));
    ck_assert_msg(strcmp(cpu_cause_name(ev->cause), cpu_cause_name(cause)) == 0,
                  "%s: trap %s, expected %s", what, cpu_cause_name(ev->cause),
                  cpu_cause_name(cause));
    CASE_EQ(ev->pc, pc);
    CASE_EQ(ev->faddr, faddr);
    CASE_EQ(ev->handler, TM_HANDLER(cause));
    CASE_EQ(cpu_cr(M.cpu, ISA_CR_cause), cause);
    CASE_EQ(cpu_cr(M.cpu, ISA_CR_faddr), faddr);
    CASE_EQ(tm_word(&M, ev->frame + ISA_FRAME_PC), pc);
    CASE_EQ(tm_word(&M, ev->frame + ISA_FRAME_FADDR), faddr);
    ck_assert_msg(cpu_halted(M.cpu), "%s: not halted", what);
    CASE_EQ(cpu_halt_code(M.cpu), TM_HANDLER_CODE(cause));
}

/* run() must stop with `want`; names the case if not. */
static void expect_stop(enum cpu_stop want)
{
    enum cpu_stop stop = run();
    ck_assert_msg(stop == want, "%s: stopped with %s, expected %s", what, cpu_stop_name(stop),
                  cpu_stop_name(want));
}

/* Kernel mode with interrupts on, so that an exception is a normal trap. */
static void kernel_ie(void)
{
    cpu_set_cr(M.cpu, ISA_CR_status, ISA_STATUS_KERNEL | ISA_STATUS_IE);
}

/* ================================================================ ALU */

/* One instruction run in kernel mode with a1 = b, a2 = c: a0 must be `want`.
 * R-format rows compute a0 = a1 op a2; I-format rows a0 = a1 op imm. */
struct alu_case {
    const char *name; /* instruction and operands, for failure messages */
    uint32_t insn;    /* the instruction (writes a0) */
    uint32_t b, c;    /* a1, a2 before it */
    uint32_t want;    /* a0 after it */
};

#define ALU_R(op, b, c, want)                                                                      \
    {                                                                                              \
#op " " #b ", " #c, INSN(op, A0, A1, A2), b, c, want                                       \
    }
#define ALU_I(op, b, imm, want)                                                                    \
    {                                                                                              \
#op " " #b ", " #imm, INSN(op, A0, A1, imm), b, 0, want                                    \
    }

static const struct alu_case alu_cases[] = {
    /* register-register */
    ALU_R(add, 0xffffffff, 1, 0),
    ALU_R(add, 40, 2, 42),
    ALU_R(sub, 0, 1, 0xffffffff),
    ALU_R(sub, 0x80000000, 1, 0x7fffffff),
    ALU_R(and, 0xff00ff00, 0x0ff00ff0, 0x0f000f00),
    ALU_R(or, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0),
    ALU_R(xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0),
    /* shifts use the low five bits of the amount */
    ALU_R(sll, 0x80000001, 0, 0x80000001),
    ALU_R(sll, 1, 31, 0x80000000),
    ALU_R(sll, 1, 32, 1),
    ALU_R(sll, 1, 33, 2),
    ALU_R(srl, 0x80000000, 31, 1),
    ALU_R(srl, 0x80000000, 0, 0x80000000),
    ALU_R(srl, 0x80000000, 36, 0x08000000),
    ALU_R(sra, 0x80000000, 31, 0xffffffff),
    ALU_R(sra, 0x80000000, 4, 0xf8000000),
    ALU_R(sra, 0x40000000, 30, 1),
    ALU_R(sra, 0x80000000, 0, 0x80000000),
    /* compare signed and unsigned */
    ALU_R(slt, 0xffffffff, 0, 1),
    ALU_R(slt, 0, 0xffffffff, 0),
    ALU_R(slt, 5, 5, 0),
    ALU_R(sltu, 0xffffffff, 0, 0),
    ALU_R(sltu, 0, 0xffffffff, 1),
    ALU_R(sltu, 5, 5, 0),
    /* multiply: mulh/mulhu give the high 32 bits */
    ALU_R(mul, 0x10000, 0x10000, 0),
    ALU_R(mul, 0xffffffff, 3, 0xfffffffd),
    ALU_R(mulh, 0xffffffff, 0xffffffff, 0),
    ALU_R(mulh, 0xfffffffe, 3, 0xffffffff),
    ALU_R(mulh, 0x80000000, 0x80000000, 0x40000000),
    ALU_R(mulh, 0x10000, 0x10000, 1),
    ALU_R(mulhu, 0xffffffff, 0xffffffff, 0xfffffffe),
    ALU_R(mulhu, 0x80000000, 2, 1),
    ALU_R(mulhu, 0xfffffffe, 3, 2),
    /* divide and remainder */
    ALU_R(div, (uint32_t)-7, 2, (uint32_t)-3),
    ALU_R(rem, (uint32_t)-7, 2, (uint32_t)-1),
    ALU_R(div, 7, (uint32_t)-2, (uint32_t)-3),
    ALU_R(rem, 7, (uint32_t)-2, 1),
    ALU_R(divu, 0xffffffff, 2, 0x7fffffff),
    ALU_R(remu, 0xffffffff, 2, 1),
    ALU_R(div, 0x80000000, 0xffffffff, 0x80000000), /* INT_MIN / -1 does not trap */
    ALU_R(rem, 0x80000000, 0xffffffff, 0),          /* ... and leaves remainder 0 */
    ALU_R(div, 5, 0xffffffff, (uint32_t)-5),
    /* immediates: addi sign-extends */
    ALU_I(addi, 0, -32768, 0xffff8000),
    ALU_I(addi, 1, 32767, 0x8000),
    ALU_I(addi, 0, -1, 0xffffffff),
    /* andi/ori/xori zero-extend */
    ALU_I(andi, 0xffffffff, 0xffff, 0x0000ffff),
    ALU_I(ori, 0, 0x8000, 0x00008000),
    ALU_I(xori, 0xffffffff, 0xffff, 0xffff0000),
    /* slti sign-extends and compares signed; sltiu sign-extends, compares unsigned */
    ALU_I(slti, 0xfffffffe, -1, 1),
    ALU_I(slti, 0, -1, 0),
    ALU_I(sltiu, 0xfffffffe, -1, 1),
    ALU_I(sltiu, 0, 1, 1),
    ALU_I(sltiu, 0x8000, 0x7fff, 0),
    /* lui: field B must be zero */
    {"lui 0xffff", INSN(lui, A0, 0, 0xffff), 0, 0, 0xffff0000},
    {"lui 0x1234", INSN(lui, A0, 0, 0x1234), 0, 0, 0x12340000},
    /* shift immediates */
    ALU_I(slli, 0x12345678, 0, 0x12345678),
    ALU_I(slli, 3, 31, 0x80000000),
    ALU_I(srli, 0x80000000, 31, 1),
    ALU_I(srli, 0x80000000, 0, 0x80000000),
    ALU_I(srai, 0x80000000, 31, 0xffffffff),
    ALU_I(srai, 0x7fffffff, 31, 0),
    ALU_I(srai, 0x80000000, 8, 0xff800000),
};

START_TEST(alu_instruction)
{
    const struct alu_case *t = &alu_cases[table_row(_i)];
    name_case(t->name);
    restart();
    cpu_set_reg(M.cpu, A0, 0xdeadbeef);
    cpu_set_reg(M.cpu, A1, t->b);
    cpu_set_reg(M.cpu, A2, t->c);
    tm_put(&M, t->insn);
    tm_put(&M, enc_halt(ZERO, 0, 0));
    expect_stop(CPU_STOP_HALT);
    CASE_EQ(cpu_halt_code(M.cpu), 0);
    CASE_EQ(cpu_reg(M.cpu, A0), t->want);
}
END_TEST

/* Division by zero traps; the faulting division writes nothing. */
static const struct {
    const char *name; /* the instruction */
    uint32_t op;      /* its opcode */
} div_zero_cases[] = {
    {"div", ISA_OP_div},
    {"divu", ISA_OP_divu},
    {"rem", ISA_OP_rem},
    {"remu", ISA_OP_remu},
};

START_TEST(alu_division_by_zero_traps)
{
    unsigned row = table_row(_i);
    name_case(div_zero_cases[row].name);
    uint32_t insn = isa_set_c(enc_fields(div_zero_cases[row].op, A0, A1), A2);
    restart();
    kernel_ie();
    cpu_set_reg(M.cpu, A0, 77);
    cpu_set_reg(M.cpu, A1, 5);
    tm_put(&M, enc_addi(T0, ZERO, 1));
    tm_put(&M, insn);
    expect_stop(CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_DIV_ZERO, TM_CODE + 4, 0);
    /* a0 was not written: the frame holds its old value */
    CASE_EQ(tm_word(&M, tm_last(&M, CPU_EV_TRAP)->frame + ISA_FRAME_REG(A0)), 77);
    /* addi (1) + trap entry (1); the faulting division costs nothing */
    CASE_EQ(tm_last(&M, CPU_EV_TRAP)->cycle, 2);
}
END_TEST

START_TEST(alu_lui_ori_builds_any_constant)
{
    restart();
    tm_li(&M, A0, 0xdeadbeef);
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 0xdeadbeef);
}
END_TEST

START_TEST(r0_stays_zero)
{
    restart();
    tm_set_word(&M, 0x5000, 0x11223344);
    tm_put(&M, enc_addi(ZERO, ZERO, 5));
    tm_put(&M, enc_lui(ZERO, 0, 0x1234));
    tm_put(&M, enc_lw(ZERO, ZERO, 0x5000));
    tm_put(&M, enc_mfcr(ZERO, 0, ISA_CR_ttb));
    tm_put(&M, enc_jal(ZERO, 1));
    tm_put(&M, enc_add(A0, ZERO, ZERO));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, ZERO), 0);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 0);
    cpu_set_reg(M.cpu, ZERO, 99);
    ck_assert_uint_eq(cpu_reg(M.cpu, ZERO), 0);
}
END_TEST

/* ================================================================ memory */

START_TEST(loads_extend_correctly)
{
    restart();
    tm_set_word(&M, 0x5000, 0x80ff7f80); /* bytes 80 7f ff 80 */
    tm_put(&M, enc_addi(T0, ZERO, 0x5000));
    tm_put(&M, enc_lb(A0, T0, 0));
    tm_put(&M, enc_lbu(A1, T0, 0));
    tm_put(&M, enc_lh(A2, T0, 2));
    tm_put(&M, enc_lhu(A3, T0, 2));
    tm_put(&M, enc_lw(A4, T0, 0));
    tm_put(&M, enc_lb(A5, T0, 1));
    tm_put(&M, enc_addi(T1, T0, 4));
    tm_put(&M, enc_lw(S0, T1, -4)); /* negative offset */
    tm_put(&M, enc_lh(S1, T0, 0));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 0xffffff80);
    ck_assert_uint_eq(cpu_reg(M.cpu, A1), 0x80);
    ck_assert_uint_eq(cpu_reg(M.cpu, A2), 0xffff80ff);
    ck_assert_uint_eq(cpu_reg(M.cpu, A3), 0x80ff);
    ck_assert_uint_eq(cpu_reg(M.cpu, A4), 0x80ff7f80);
    ck_assert_uint_eq(cpu_reg(M.cpu, A5), 0x7f);
    ck_assert_uint_eq(cpu_reg(M.cpu, S0), 0x80ff7f80);
    ck_assert_uint_eq(cpu_reg(M.cpu, S1), 0x7f80);
}
END_TEST

START_TEST(stores_are_little_endian)
{
    restart();
    tm_put(&M, enc_addi(T0, ZERO, 0x5000));
    tm_li(&M, A0, 0x11223344);
    tm_put(&M, enc_sw(A0, T0, 0));
    tm_put(&M, enc_sh(A0, T0, 4));
    tm_put(&M, enc_sb(A0, T0, 7));
    tm_put(&M, enc_sb(A0, T0, -1));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const uint8_t *ram = bus_ram(M.bus);
    ck_assert_uint_eq(ram[0x5000], 0x44);
    ck_assert_uint_eq(ram[0x5003], 0x11);
    ck_assert_uint_eq(tm_word(&M, 0x5000), 0x11223344);
    ck_assert_uint_eq(tm_word(&M, 0x5004), 0x44003344);
    ck_assert_uint_eq(ram[0x4fff], 0x44);
}
END_TEST

/* ================================================================ control flow */

/* Each branch with (a1, a2) = (-1, 1) and with equal operands (a2, a2);
 * taken ends in "halt a2" (1), not taken in "halt zero" (0). */
static const struct {
    const char *name;     /* the branch */
    uint32_t op;          /* its opcode */
    unsigned taken_m1_1;  /* halt code with operands (-1, 1) */
    unsigned taken_equal; /* halt code with operands (1, 1) */
} branch_cases[] = {
    {"beq", ISA_OP_beq, 0, 1}, {"bne", ISA_OP_bne, 1, 0},   {"blt", ISA_OP_blt, 1, 0},
    {"bge", ISA_OP_bge, 0, 1}, {"bltu", ISA_OP_bltu, 0, 0}, {"bgeu", ISA_OP_bgeu, 1, 1},
};

/* Run "branch +2; halt zero; halt a2" with a1 = -1, a2 = 1; the halt code. */
static unsigned run_branch(uint32_t insn)
{
    restart();
    cpu_set_reg(M.cpu, A1, 0xffffffff);
    cpu_set_reg(M.cpu, A2, 1);
    tm_put(&M, insn);
    tm_put(&M, enc_halt(ZERO, 0, 0)); /* not taken */
    tm_put(&M, enc_halt(A2, 0, 0));   /* taken: pc + 4 * 2 */
    expect_stop(CPU_STOP_HALT);
    return cpu_halt_code(M.cpu);
}

START_TEST(branches_signed_and_unsigned)
{
    unsigned row = table_row(_i);
    char name[32];
    snprintf(name, sizeof name, "%s a1, a2", branch_cases[row].name);
    name_case(name);
    CASE_EQ(run_branch(isa_set_imm16(enc_fields(branch_cases[row].op, A1, A2), 2)),
            branch_cases[row].taken_m1_1);
    snprintf(name, sizeof name, "%s a2, a2", branch_cases[row].name);
    name_case(name);
    CASE_EQ(run_branch(isa_set_imm16(enc_fields(branch_cases[row].op, A2, A2), 2)),
            branch_cases[row].taken_equal);
}
END_TEST

START_TEST(branch_backward_loop)
{
    restart();
    tm_put(&M, enc_addi(A0, ZERO, 10));
    tm_put(&M, enc_addi(A1, A1, 3)); /* loop: */
    tm_put(&M, enc_addi(A0, A0, -1));
    tm_put(&M, enc_bne(A0, ZERO, -2));
    tm_put(&M, enc_halt(A1, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 30);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 1 + 30 + 1);
    ck_assert_uint_eq(cpu_instructions(M.cpu), 32);
}
END_TEST

START_TEST(jal_and_jalr)
{
    restart();
    tm_put(&M, enc_jal(RA, 3));       /* 0x1000: call 0x100c */
    tm_put(&M, enc_halt(A0, 0, 0));   /* 0x1004: returns here */
    tm_put(&M, enc_halt(ZERO, 0, 0)); /* 0x1008 */
    tm_put(&M, enc_addi(A0, RA, 0));  /* 0x100c: a0 = ra */
    tm_put(&M, enc_jalr(RA, RA, 0));  /* rd == rs: target computed first */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 0x1004);
    ck_assert_uint_eq(cpu_reg(M.cpu, RA), 0x1014);
    ck_assert_uint_eq(cpu_pc(M.cpu), 0x1008); /* halt completed: pc past it */

    restart();
    tm_org(&M, 0x2000);
    tm_put(&M, enc_jal(T0, -0x400)); /* 0x2000 -> 0x1000 */
    tm_org(&M, TM_CODE);
    tm_put(&M, enc_halt(T0, 0, 0));
    tm_put(&M, enc_jalr(ZERO, A1, -4)); /* a1 = 0x2004: jump to 0x2000 */
    cpu_set_reg(M.cpu, A1, 0x2004);
    cpu_set_pc(M.cpu, TM_CODE + 4);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 0x2004);
}
END_TEST

START_TEST(jalr_misaligned_target_faults_at_fetch)
{
    restart();
    kernel_ie();
    cpu_set_reg(M.cpu, A1, 0x1102);
    tm_put(&M, enc_jalr(RA, A1, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_MISALIGNED, 0x1102, 0x1102);
    /* the jalr itself completed: ra written, one cycle */
    ck_assert_uint_eq(tm_word(&M, tm_last(&M, CPU_EV_TRAP)->frame + ISA_FRAME_REG(RA)), 0x1004);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, 2);
}
END_TEST

/* ================================================================ traps */

START_TEST(syscall_frame_from_user)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, true);
    for (unsigned n = 1; n < ISA_NREGS; n++)
        cpu_set_reg(M.cpu, n, 0x1000 * n + n);
    tm_put(&M, enc_addi(ZERO, ZERO, 0)); /* va 0 */
    tm_put(&M, enc_syscall());           /* va 4 */
    ck_assert_int_eq(run(), CPU_STOP_HALT);

    uint32_t frame = TM_KSP - ISA_FRAME_SIZE;
    const struct cpu_event *ev = tm_last(&M, CPU_EV_TRAP);
    ck_assert_uint_eq(ev->frame, frame);
    ck_assert_int_eq(ev->from, CPU_MODE_USER);
    ck_assert_int_eq(ev->to, CPU_MODE_KERNEL);
    ck_assert_uint_eq(ev->cycle, 3); /* nop, syscall, trap entry */
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_CAUSE), ISA_CAUSE_SYSCALL);
    for (unsigned n = 1; n < ISA_NREGS; n++)
        ck_assert_uint_eq(tm_word(&M, frame + 4 * n), 0x1000 * n + n);
    ck_assert_uint_eq(tm_word(&M, frame + 0x40), 8);             /* after the syscall */
    ck_assert_uint_eq(tm_word(&M, frame + 0x44), ISA_STATUS_IE); /* user, IE on */
    ck_assert_uint_eq(tm_word(&M, frame + 0x48), 0);
    ck_assert_uint_eq(tm_word(&M, frame + 0x4c), 0);
    expect_trap(ISA_CAUSE_SYSCALL, 8, 0);
    /* in the handler: kernel, IE off, sp = frame */
    ck_assert_int_eq(cpu_mode(M.cpu), CPU_MODE_KERNEL);
    ck_assert_uint_eq(cpu_cr(M.cpu, ISA_CR_status), ISA_STATUS_KERNEL);
    ck_assert_uint_eq(cpu_reg(M.cpu, SP), frame);
}
END_TEST

START_TEST(trap_frame_reserved_slot_is_cleared)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_set_word(&M, TM_KSP - 4, 0xffffffff);
    tm_set_word(&M, TM_KSP - 8, 0xffffffff);
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_BREAKPOINT, 0, 0);
    ck_assert_uint_eq(tm_word(&M, TM_KSP - 4), 0);
    ck_assert_uint_eq(tm_word(&M, TM_KSP - 8), 0);
    ck_assert_uint_eq(tm_word(&M, TM_KSP - ISA_FRAME_SIZE + ISA_FRAME_STATUS), 0);
}
END_TEST

/* Every exception, from user mode: saved pc = the faulting instruction. */
static const struct {
    const char *name;     /* the faulting instruction */
    uint32_t insn;        /* it, at va 4 after "addi a1, zero, 1" */
    enum isa_cause cause; /* the exception it raises */
    uint32_t faddr;       /* the faulting address (0 if none) */
} exception_cases[] = {
    {"opcode 0", 0x00000000, ISA_CAUSE_ILLEGAL, 0},
    {"mfcr a0, status", INSN(mfcr, A0, 0, ISA_CR_status), ISA_CAUSE_PRIVILEGED, 0},
    {"div a0, a1, zero", INSN(div, A0, A1, ZERO), ISA_CAUSE_DIV_ZERO, 0},
    {"lw a0, bounds(zero)", INSN(lw, A0, ZERO, TM_UBOUNDS), ISA_CAUSE_PROTECTION, TM_UBOUNDS},
    {"lw a0, 6(zero)", INSN(lw, A0, ZERO, 6), ISA_CAUSE_MISALIGNED, 6},
    {"brk", INSN(brk, 0, 0, 0), ISA_CAUSE_BREAKPOINT, 0},
};

START_TEST(exceptions_save_the_faulting_pc)
{
    unsigned row = table_row(_i);
    name_case(exception_cases[row].name);
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_put(&M, enc_addi(A1, ZERO, 1));
    tm_put(&M, exception_cases[row].insn);
    expect_stop(CPU_STOP_HALT);
    expect_trap(exception_cases[row].cause, 4, exception_cases[row].faddr);
    CASE_EQ(tm_last(&M, CPU_EV_TRAP)->cycle, 2);
    CASE_EQ(tm_last(&M, CPU_EV_TRAP)->frame, TM_KSP - ISA_FRAME_SIZE);
}
END_TEST

/* A trap handler that returns at once (rett), at physical 0x3000. */
static void install_rett_handler(enum isa_cause cause)
{
    tm_set_word(&M, TM_TTB + 4 * cause, 0x3000);
    tm_set_word(&M, 0x3000, enc_rett());
}

START_TEST(rett_returns_to_user)
{
    restart();
    install_rett_handler(ISA_CAUSE_SYSCALL);
    tm_user(&M, TM_UBASE, TM_UBOUNDS, true);
    cpu_set_reg(M.cpu, SP, 0x800);
    tm_put(&M, enc_addi(A0, ZERO, 5));
    tm_put(&M, enc_syscall());
    tm_put(&M, enc_addi(A0, A0, 1));
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const struct cpu_event *rett = tm_last(&M, CPU_EV_RETT);
    ck_assert_ptr_nonnull(rett);
    ck_assert_int_eq(rett->from, CPU_MODE_KERNEL);
    ck_assert_int_eq(rett->to, CPU_MODE_USER);
    ck_assert_uint_eq(rett->pc, 8);
    ck_assert_uint_eq(rett->frame, TM_KSP - ISA_FRAME_SIZE);
    /* back in user mode, IE on, sp restored, then brk at va 12 */
    uint32_t frame = tm_last(&M, CPU_EV_TRAP)->frame;
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(A0)), 6);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(SP)), 0x800);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_STATUS), ISA_STATUS_IE);
    expect_trap(ISA_CAUSE_BREAKPOINT, 12, 0);
}
END_TEST

START_TEST(kernel_trap_nests_on_current_stack_and_returns_to_kernel)
{
    restart();
    kernel_ie();
    install_rett_handler(ISA_CAUSE_SYSCALL);
    tm_put(&M, enc_syscall());
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_status));
    tm_put(&M, enc_halt(SP, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const struct cpu_event *trap = tm_last(&M, CPU_EV_TRAP);
    ck_assert_int_eq(trap->from, CPU_MODE_KERNEL);
    ck_assert_uint_eq(trap->frame, TM_KSTACK - ISA_FRAME_SIZE); /* sp, not ksp */
    ck_assert_int_eq(tm_last(&M, CPU_EV_RETT)->to, CPU_MODE_KERNEL);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), ISA_STATUS_KERNEL | ISA_STATUS_IE);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), TM_KSTACK); /* the frame was popped */
}
END_TEST

/* Two saved contexts on two kernel stacks: the handler switches sp to the
 * other one before rett, and the other context resumes. */
START_TEST(rett_on_other_kernel_stack_resumes_other_context)
{
    restart();
    uint32_t other = 0x6000 - ISA_FRAME_SIZE;
    for (unsigned n = 1; n < ISA_NREGS; n++)
        tm_set_word(&M, other + 4 * n, 0x500 + n);
    tm_set_word(&M, other + ISA_FRAME_REG(SP), 0x700);
    tm_set_word(&M, other + ISA_FRAME_PC, 0x40); /* user va 0x40 of process B */
    tm_set_word(&M, other + ISA_FRAME_STATUS, ISA_STATUS_IE);
    /* syscall handler: switch to B's kernel stack, return from trap */
    tm_set_word(&M, TM_TTB, 0x3000);
    tm_org(&M, 0x3000);
    tm_li(&M, SP, other);
    tm_put(&M, enc_rett());
    /* process A at va 0 runs syscall; process B at va 0x40 runs brk */
    tm_user(&M, TM_UBASE, TM_UBOUNDS, true);
    tm_put(&M, enc_syscall());
    tm_org(&M, TM_UBASE + 0x40);
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const struct cpu_event *rett = tm_last(&M, CPU_EV_RETT);
    ck_assert_uint_eq(rett->frame, other);
    ck_assert_uint_eq(rett->pc, 0x40);
    ck_assert_int_eq(rett->to, CPU_MODE_USER);
    /* B's registers were live when it hit brk: the brk frame holds them */
    expect_trap(ISA_CAUSE_BREAKPOINT, 0x40, 0);
    uint32_t frame = tm_last(&M, CPU_EV_TRAP)->frame;
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(A0)), 0x501);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(T0)), 0x507);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(SP)), 0x700);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(RA)), 0x50f);
}
END_TEST

START_TEST(rett_restores_only_mode_and_ie)
{
    restart();
    uint32_t frame = TM_KSTACK - ISA_FRAME_SIZE;
    tm_set_word(&M, frame + ISA_FRAME_PC, 0x1100);
    tm_set_word(&M, frame + ISA_FRAME_STATUS, 0xfffffffc | ISA_STATUS_KERNEL);
    tm_set_word(&M, frame + ISA_FRAME_REG(SP), 0x7000);
    tm_li(&M, SP, frame);
    tm_put(&M, enc_rett());
    tm_org(&M, 0x1100);
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_status));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), ISA_STATUS_KERNEL);
    ck_assert_uint_eq(cpu_reg(M.cpu, SP), 0x7000);
}
END_TEST

/* ================================================================ privilege */

/* Kernel-only instructions, each alone at user va 0. */
static const struct {
    const char *name; /* the instruction */
    uint32_t insn;    /* its encoding */
} privileged_cases[] = {
    {"mfcr a0, status", INSN(mfcr, A0, 0, ISA_CR_status)},
    {"mfcr a0, ttb", INSN(mfcr, A0, 0, ISA_CR_ttb)},
    {"mfcr a0, ksp", INSN(mfcr, A0, 0, ISA_CR_ksp)},
    {"mfcr a0, base", INSN(mfcr, A0, 0, ISA_CR_base)},
    {"mfcr a0, bounds", INSN(mfcr, A0, 0, ISA_CR_bounds)},
    {"mfcr a0, cause", INSN(mfcr, A0, 0, ISA_CR_cause)},
    {"mfcr a0, faddr", INSN(mfcr, A0, 0, ISA_CR_faddr)},
    {"mtcr status, a0", INSN(mtcr, 0, A0, ISA_CR_status)},
    {"mtcr ttb, a0", INSN(mtcr, 0, A0, ISA_CR_ttb)},
    {"mtcr bounds, a0", INSN(mtcr, 0, A0, ISA_CR_bounds)},
    {"rett", INSN(rett, 0, 0, 0)},
    {"wfi", INSN(wfi, 0, 0, 0)},
    {"halt a0", INSN(halt, A0, 0, 0)},
};

START_TEST(privileged_operations_trap_in_user_mode)
{
    unsigned row = table_row(_i);
    name_case(privileged_cases[row].name);
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_put(&M, privileged_cases[row].insn);
    expect_stop(CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PRIVILEGED, 0, 0);
    CASE_EQ(cpu_cr(M.cpu, ISA_CR_bounds), TM_UBOUNDS);
}
END_TEST

START_TEST(user_may_read_the_cycle_counter)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_put(&M, enc_addi(ZERO, ZERO, 0));
    tm_put(&M, enc_addi(ZERO, ZERO, 0));
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_cycle)); /* executes at cycle 2 */
    tm_put(&M, enc_mfcr(A1, 0, ISA_CR_cycleh));
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_BREAKPOINT, 16, 0);
    uint32_t frame = tm_last(&M, CPU_EV_TRAP)->frame;
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(A0)), 2);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(A1)), 0);
}
END_TEST

START_TEST(mode_bit_is_read_only)
{
    restart();
    tm_put(&M, enc_addi(T0, ZERO, 0));
    tm_put(&M, enc_mtcr(0, T0, ISA_CR_status)); /* try to drop to user */
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_status));
    tm_put(&M, enc_addi(T0, ZERO, -1));
    tm_put(&M, enc_mtcr(0, T0, ISA_CR_status)); /* all ones: only IE sticks */
    tm_put(&M, enc_mfcr(A1, 0, ISA_CR_status));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), ISA_STATUS_KERNEL);
    ck_assert_uint_eq(cpu_reg(M.cpu, A1), ISA_STATUS_KERNEL | ISA_STATUS_IE);
}
END_TEST

START_TEST(mtcr_mfcr_round_trip)
{
    restart();
    static const enum isa_cr crs[] = {ISA_CR_ttb,    ISA_CR_ksp,   ISA_CR_base,
                                      ISA_CR_bounds, ISA_CR_cause, ISA_CR_faddr};
    for (unsigned k = 0; k < 6; k++) {
        tm_li(&M, T0, 0x10203040u + k);
        tm_put(&M, enc_mtcr(0, T0, crs[k]));
        tm_put(&M, enc_mfcr(A0 + k, 0, crs[k]));
    }
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    for (unsigned k = 0; k < 6; k++) {
        ck_assert_uint_eq(cpu_reg(M.cpu, A0 + k), 0x10203040u + k);
        ck_assert_uint_eq(cpu_cr(M.cpu, crs[k]), 0x10203040u + k);
    }
}
END_TEST

/* ================================================================ protection */

/* Run one user instruction with a1 = va, in a window base/bounds. */
static void user_access(uint32_t insn, uint32_t base, uint32_t bounds, uint32_t va)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    cpu_set_reg(M.cpu, A1, va);
    tm_put(&M, insn);
    tm_put(&M, enc_brk());
    cpu_set_cr(M.cpu, ISA_CR_base, base);
    cpu_set_cr(M.cpu, ISA_CR_bounds, bounds);
    if (base != TM_UBASE) { /* copy the two instructions to the new base */
        tm_set_word(&M, base, insn);
        tm_set_word(&M, base + 4, enc_brk());
    }
    ck_assert_int_eq(run(), CPU_STOP_HALT);
}

/* One user access: "insn; brk" at va 0 with a1 = va in the window
 * base/bounds.  An allowed access ends in brk (BREAKPOINT at va 4); a
 * refused one traps at va 0 with faddr = the address. */
static const struct {
    const char *name;     /* instruction and window */
    uint32_t insn;        /* the access, through a1 */
    uint32_t base;        /* the window */
    uint32_t bounds;      /* ... */
    uint32_t va;          /* a1 */
    enum isa_cause cause; /* BREAKPOINT if allowed */
    uint32_t pc, faddr;   /* expected trap pc and faddr */
} access_cases[] = {
    /* va + n == bounds is allowed; one more faults */
    {"lw 0xffc, bounds 0x1000", INSN(lw, A0, A1, 0), TM_UBASE, 0x1000, 0xffc, ISA_CAUSE_BREAKPOINT,
     4, 0},
    {"lw 0x1000, bounds 0x1000", INSN(lw, A0, A1, 0), TM_UBASE, 0x1000, 0x1000,
     ISA_CAUSE_PROTECTION, 0, 0x1000},
    {"lb 0xfff, bounds 0x1000", INSN(lb, A0, A1, 0), TM_UBASE, 0x1000, 0xfff, ISA_CAUSE_BREAKPOINT,
     4, 0},
    {"sb 0x1000, bounds 0x1000", INSN(sb, A0, A1, 0), TM_UBASE, 0x1000, 0x1000,
     ISA_CAUSE_PROTECTION, 0, 0x1000},
    {"lw 0x1000, bounds 0x1002", INSN(lw, A0, A1, 0), TM_UBASE, 0x1002, 0x1000,
     ISA_CAUSE_PROTECTION, 0, 0x1000},
    {"lh 0x1000, bounds 0x1002", INSN(lh, A0, A1, 0), TM_UBASE, 0x1002, 0x1000,
     ISA_CAUSE_BREAKPOINT, 4, 0},
    {"sh 0x1000, bounds 0x1001", INSN(sh, A0, A1, 0), TM_UBASE, 0x1001, 0x1000,
     ISA_CAUSE_PROTECTION, 0, 0x1000},
    /* va + n wrapping around faults */
    {"lw 0xfffffffc, bounds 0xffffffff", INSN(lw, A0, A1, 0), TM_UBASE, 0xffffffff, 0xfffffffc,
     ISA_CAUSE_PROTECTION, 0, 0xfffffffc},
    {"lb 0xffffffff, bounds 0xffffffff", INSN(lb, A0, A1, 0), TM_UBASE, 0xffffffff, 0xffffffff,
     ISA_CAUSE_PROTECTION, 0, 0xffffffff},
    {"lw 8(0xfffffff8): va 0 after wrap", INSN(lw, A0, A1, 8), TM_UBASE, 0x1000, 0xfffffff8,
     ISA_CAUSE_BREAKPOINT, 4, 0},
    /* base + va beyond RAM faults */
    {"lw 0xfc, base RAM - 0x100", INSN(lw, A0, A1, 0), TM_RAM - 0x100, 0x1000, 0xfc,
     ISA_CAUSE_BREAKPOINT, 4, 0},
    {"lw 0x100, base RAM - 0x100", INSN(lw, A0, A1, 0), TM_RAM - 0x100, 0x1000, 0x100,
     ISA_CAUSE_PROTECTION, 0, 0x100},
    /* misaligned; alignment is checked before protection */
    {"lw 2", INSN(lw, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 2, ISA_CAUSE_MISALIGNED, 0, 2},
    {"lw 1", INSN(lw, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 1, ISA_CAUSE_MISALIGNED, 0, 1},
    {"lh 1", INSN(lh, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 1, ISA_CAUSE_MISALIGNED, 0, 1},
    {"lhu 3", INSN(lhu, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 3, ISA_CAUSE_MISALIGNED, 0, 3},
    {"sw 1", INSN(sw, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 1, ISA_CAUSE_MISALIGNED, 0, 1},
    {"sh 3", INSN(sh, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 3, ISA_CAUSE_MISALIGNED, 0, 3},
    {"lw bounds + 2", INSN(lw, A0, A1, 0), TM_UBASE, TM_UBOUNDS, TM_UBOUNDS + 2,
     ISA_CAUSE_MISALIGNED, 0, TM_UBOUNDS + 2},
    /* bytes never are misaligned */
    {"lb 3", INSN(lb, A0, A1, 0), TM_UBASE, TM_UBOUNDS, 3, ISA_CAUSE_BREAKPOINT, 4, 0},
};

START_TEST(user_accesses)
{
    unsigned row = table_row(_i);
    name_case(access_cases[row].name);
    user_access(access_cases[row].insn, access_cases[row].base, access_cases[row].bounds,
                access_cases[row].va);
    expect_trap(access_cases[row].cause, access_cases[row].pc, access_cases[row].faddr);
}
END_TEST

START_TEST(base_beyond_ram_faults_at_fetch)
{
    /* a base beyond RAM: even the fetch of va 0 faults */
    restart();
    tm_user(&M, TM_RAM, 0x1000, false);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, 0, 0);
}
END_TEST

START_TEST(user_store_lands_at_base_plus_va)
{
    user_access(enc_sw(A1, A1, 0), TM_UBASE, 0x1000, 0x80);
    expect_trap(ISA_CAUSE_BREAKPOINT, 4, 0);
    ck_assert_uint_eq(tm_word(&M, TM_UBASE + 0x80), 0x80);
    ck_assert_uint_eq(tm_word(&M, 0x80), 0);
}
END_TEST

START_TEST(fetch_outside_bounds_faults)
{
    /* running off the end of the window: the last word is a nop */
    restart();
    tm_user(&M, TM_UBASE, 0x10, false);
    for (unsigned k = 0; k < 4; k++)
        tm_put(&M, enc_addi(ZERO, ZERO, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, 0x10, 0x10);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, 5);
    /* jumping outside */
    restart();
    tm_user(&M, TM_UBASE, 0x10, false);
    tm_put(&M, enc_jal(RA, 0x100));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, 0x400, 0x400);
    /* a window whose end is not a multiple of 4: the partial word faults */
    restart();
    tm_user(&M, TM_UBASE, 0xe, false);
    for (unsigned k = 0; k < 4; k++)
        tm_put(&M, enc_addi(ZERO, ZERO, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, 0xc, 0xc);
}
END_TEST

START_TEST(user_code_at_unaligned_base)
{
    /* base need not be a multiple of 4: physical = base + va */
    restart();
    tm_user(&M, TM_UBASE + 2, 0x100, false);
    uint32_t prog[] = {enc_addi(A0, ZERO, 7), enc_addi(A0, A0, 1), enc_sw(A0, ZERO, 0x20),
                       enc_lw(A1, ZERO, 0x20), enc_brk()};
    for (unsigned k = 0; k < 5; k++) {
        uint8_t *p = bus_ram(M.bus) + TM_UBASE + 2 + 4 * k;
        for (unsigned b = 0; b < 4; b++)
            p[b] = (uint8_t)(prog[k] >> (8 * b));
    }
    bus_ram_written(M.bus, TM_UBASE, 0x40);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_BREAKPOINT, 16, 0);
    uint32_t frame = tm_last(&M, CPU_EV_TRAP)->frame;
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(A1)), 8);
    ck_assert_uint_eq(bus_ram(M.bus)[TM_UBASE + 0x22], 8);
}
END_TEST

/* One kernel instruction (IE on) at TM_CODE with a1 = addr that traps:
 * illegal encodings, and accesses the kernel may not make. */
static const struct {
    const char *name;     /* the instruction */
    uint32_t insn;        /* its encoding */
    uint32_t addr;        /* a1, the address accessed (0 if none) */
    enum isa_cause cause; /* the trap; faddr = addr */
} kernel_trap_cases[] = {
    {"opcode 0: zeroed memory", 0x00000000, 0, ISA_CAUSE_ILLEGAL},
    {"unknown opcode 0x1f", 0x0000001f, 0, ISA_CAUSE_ILLEGAL},
    {"unknown opcode 0xff", 0x000000ff, 0, ISA_CAUSE_ILLEGAL},
    {"add, R unused bit 20", INSN(add, A0, A1, A2) | (1u << 20), 0, ISA_CAUSE_ILLEGAL},
    {"add, R unused bit 31", INSN(add, A0, A1, A2) | 0x80000000u, 0, ISA_CAUSE_ILLEGAL},
    {"syscall, N unused bit 8", INSN(syscall, 0, 0, 0) | (1u << 8), 0, ISA_CAUSE_ILLEGAL},
    {"rett, N unused bit 31", INSN(rett, 0, 0, 0) | 0x80000000u, 0, ISA_CAUSE_ILLEGAL},
    {"slli shamt 32", INSN(slli, A0, A1, 32), 0, ISA_CAUSE_ILLEGAL},
    {"srai shamt 0xffff", INSN(srai, A0, A1, 0xffff), 0, ISA_CAUSE_ILLEGAL},
    {"mfcr of no such CR", INSN(mfcr, A0, 0, ISA_NCRS), 0, ISA_CAUSE_ILLEGAL},
    {"mtcr to CR 15", INSN(mtcr, 0, A0, 15), 0, ISA_CAUSE_ILLEGAL},
    {"mtcr cycle (read-only)", INSN(mtcr, 0, A0, ISA_CR_cycle), 0, ISA_CAUSE_ILLEGAL},
    {"mtcr cycleh (read-only)", INSN(mtcr, 0, A0, ISA_CR_cycleh), 0, ISA_CAUSE_ILLEGAL},
    {"mfcr, field B unused", INSN(mfcr, A0, A1, ISA_CR_ttb), 0, ISA_CAUSE_ILLEGAL},
    {"mtcr, field A unused", INSN(mtcr, A0, A1, ISA_CR_ttb), 0, ISA_CAUSE_ILLEGAL},
    {"lui, field B unused", INSN(lui, A0, A1, 1), 0, ISA_CAUSE_ILLEGAL},
    {"halt, field B unused", INSN(halt, A0, A1, 0), 0, ISA_CAUSE_ILLEGAL},
    {"halt, imm16 unused", INSN(halt, A0, 0, 1), 0, ISA_CAUSE_ILLEGAL},
    {"lw just past RAM", INSN(lw, A0, A1, 0), TM_RAM, ISA_CAUSE_PROTECTION},
    {"sw unmapped", INSN(sw, A0, A1, 0), 0x80000000, ISA_CAUSE_PROTECTION},
    {"lb of a device", INSN(lb, A0, A1, 0), TM_CONSOLE + ISA_CON_RX, ISA_CAUSE_PROTECTION},
    {"lhu of a device", INSN(lhu, A0, A1, 0), TM_TIMER + ISA_TMR_COUNT, ISA_CAUSE_PROTECTION},
    {"sb to a device", INSN(sb, A0, A1, 0), TM_CONSOLE, ISA_CAUSE_PROTECTION},
    {"lw where no device is", INSN(lw, A0, A1, 0), 0xf0000ff0, ISA_CAUSE_PROTECTION},
    {"lw of no such register", INSN(lw, A0, A1, 0), TM_TIMER + 0x10, ISA_CAUSE_PROTECTION},
    {"lw misaligned first", INSN(lw, A0, A1, 0), TM_RAM - 2, ISA_CAUSE_MISALIGNED},
};

START_TEST(kernel_traps)
{
    unsigned row = table_row(_i);
    name_case(kernel_trap_cases[row].name);
    restart();
    kernel_ie();
    cpu_set_reg(M.cpu, A1, kernel_trap_cases[row].addr);
    tm_put(&M, kernel_trap_cases[row].insn);
    expect_stop(CPU_STOP_HALT);
    expect_trap(kernel_trap_cases[row].cause, TM_CODE, kernel_trap_cases[row].addr);
}
END_TEST

START_TEST(kernel_may_use_the_last_word_of_ram)
{
    restart();
    tm_li(&M, A1, TM_RAM - 4);
    tm_put(&M, enc_sw(A1, A1, 0));
    tm_put(&M, enc_lw(A0, A1, 0));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), TM_RAM - 4);
}
END_TEST

START_TEST(illegal_is_decided_before_privileged)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_put(&M, enc_mtcr(0, A0, ISA_CR_cycle));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_ILLEGAL, 0, 0);
}
END_TEST

START_TEST(kernel_fetch_from_device_region_faults)
{
    restart();
    kernel_ie();
    cpu_set_pc(M.cpu, TM_CONSOLE);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, TM_CONSOLE, TM_CONSOLE);
    restart();
    kernel_ie();
    cpu_set_pc(M.cpu, TM_RAM - 4); /* last word: nop, then off the end */
    tm_set_word(&M, TM_RAM - 4, enc_addi(ZERO, ZERO, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_PROTECTION, TM_RAM, TM_RAM);
}
END_TEST

/* ================================================================ timer */

/* Kernel code: t0 = device base; arm the timer (interval, ctrl) with IE as
 * given.  The CTRL write is the 7th instruction and executes at cycle 6,
 * so C = 7 and the timer fires at 7 + interval. */
static void arm_timer(uint32_t interval, uint32_t ctrl, bool ie)
{
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T1, ZERO, (int32_t)interval));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_INTERVAL));
    tm_put(&M, enc_addi(T1, ZERO, (int32_t)ctrl));
    tm_put(&M, enc_addi(T2, ZERO, ie ? ISA_STATUS_IE : 0));
    tm_put(&M, enc_mtcr(0, T2, ISA_CR_status));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_CTRL));
}
#define ARMED_AT 7 /* cycle count after the arming write */

START_TEST(timer_fires_at_the_documented_cycle)
{
    restart();
    arm_timer(50, ISA_TMR_CTRL_ENABLE, true);
    tm_put(&M, enc_addi(S0, S0, 1)); /* 0x101c */
    tm_put(&M, enc_jal(ZERO, -1));   /* 0x1020 */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const struct cpu_event *irq = tm_last(&M, CPU_EV_IRQ);
    ck_assert_ptr_nonnull(irq);
    ck_assert_uint_eq(irq->cycle, ARMED_AT + 50);
    ck_assert_int_eq(irq->cause, ISA_CAUSE_TIMER);
    /* 50 instructions ran after the write: 25 addi, 25 jal */
    expect_trap(ISA_CAUSE_TIMER, 0x101c, 0);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, ARMED_AT + 50 + 1);
    uint32_t frame = tm_last(&M, CPU_EV_TRAP)->frame;
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_REG(S0)), 25);
    ck_assert_uint_eq(tm_word(&M, frame + ISA_FRAME_STATUS), ISA_STATUS_KERNEL | ISA_STATUS_IE);
}
END_TEST

START_TEST(timer_held_while_interrupts_off)
{
    restart();
    arm_timer(10, ISA_TMR_CTRL_ENABLE, false);
    tm_put(&M, enc_addi(S0, ZERO, 40)); /* cycle 7 */
    tm_put(&M, enc_addi(S0, S0, -1));   /* loop: 40 times 2 instructions */
    tm_put(&M, enc_bne(S0, ZERO, -1));
    tm_put(&M, enc_addi(T2, ZERO, ISA_STATUS_IE)); /* cycle 88 */
    tm_put(&M, enc_mtcr(0, T2, ISA_CR_status));    /* cycle 89 */
    tm_put(&M, enc_halt(ZERO, 0, 0));              /* never runs */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_IRQ)->cycle, ARMED_AT + 10);
    /* taken right after the mtcr that set IE, before the next instruction */
    expect_trap(ISA_CAUSE_TIMER, TM_CODE + 4 * 12, 0);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, 91);
    ck_assert_uint_eq(tm_count(&M, CPU_EV_TRAP), 1);
}
END_TEST

/* Timer handler at 0x3000: count in memory word 0x7000, acknowledge, rett. */
static void install_timer_ack_handler(void)
{
    tm_set_word(&M, TM_TTB + 4 * ISA_CAUSE_TIMER, 0x3000);
    tm_org(&M, 0x3000);
    tm_put(&M, enc_lw(T2, ZERO, 0x7000));
    tm_put(&M, enc_addi(T2, T2, 1));
    tm_put(&M, enc_sw(T2, ZERO, 0x7000));
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T1, ZERO, 1));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_STATUS));
    tm_put(&M, enc_rett());
    tm_org(&M, TM_CODE);
}

START_TEST(timer_periodic_rearms_without_drift)
{
    restart();
    install_timer_ack_handler();
    arm_timer(100, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC, true);
    tm_put(&M, enc_jal(ZERO, 0)); /* spin */
    ck_assert_int_eq(cpu_run(M.cpu, 1000), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 1000);
    unsigned n = 0;
    for (unsigned k = 0; k < M.nev; k++) {
        if (M.ev[k].kind != CPU_EV_IRQ)
            continue;
        ck_assert_uint_eq(M.ev[k].cycle, ARMED_AT + 100 * (n + 1));
        n++;
    }
    ck_assert_uint_eq(n, 9); /* 107, 207, ..., 907 */
    ck_assert_uint_eq(tm_word(&M, 0x7000), 9);
    ck_assert_uint_eq(timer_fire_cycle(M.timer), 1007);
    ck_assert_uint_eq(timer_interval(M.timer), 100);
}
END_TEST

START_TEST(timer_count_status_and_acknowledge)
{
    restart();
    arm_timer(20, ISA_TMR_CTRL_ENABLE, false);
    tm_put(&M, enc_lw(S0, T0, 0x100 + ISA_TMR_COUNT));  /* cycle 7: now 8, fire 27 */
    tm_put(&M, enc_lw(S1, T0, 0x100 + ISA_TMR_STATUS)); /* 0 */
    tm_put(&M, enc_addi(S3, ZERO, 30));
    tm_put(&M, enc_addi(S3, S3, -1));
    tm_put(&M, enc_bne(S3, ZERO, -1));
    tm_put(&M, enc_lw(S2, T0, 0x100 + ISA_TMR_STATUS)); /* pending */
    tm_put(&M, enc_lw(A0, T0, 0x100 + ISA_TMR_COUNT));  /* one-shot done: 0 */
    tm_put(&M, enc_lw(A1, T0, 0x100 + ISA_TMR_CTRL));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_STATUS)); /* t1 = 1: acknowledge */
    tm_put(&M, enc_lw(A2, T0, 0x100 + ISA_TMR_STATUS));
    tm_put(&M, enc_lw(A3, T0, 0x100 + ISA_TMR_INTERVAL));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, S0), 19);
    ck_assert_uint_eq(cpu_reg(M.cpu, S1), 0);
    ck_assert_uint_eq(cpu_reg(M.cpu, S2), ISA_TMR_STATUS_PENDING);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 0);
    ck_assert_uint_eq(cpu_reg(M.cpu, A1), 0);
    ck_assert_uint_eq(cpu_reg(M.cpu, A2), 0);
    ck_assert_uint_eq(cpu_reg(M.cpu, A3), 20);
    ck_assert_uint_eq(bus_irq_lines(M.bus), 0);
    ck_assert_uint_eq(tm_count(&M, CPU_EV_TRAP), 0);
}
END_TEST

START_TEST(timer_interval_zero_is_one)
{
    restart();
    arm_timer(0, ISA_TMR_CTRL_ENABLE, true);
    tm_put(&M, enc_addi(S0, ZERO, 1));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_IRQ)->cycle, ARMED_AT + 1);
    expect_trap(ISA_CAUSE_TIMER, TM_CODE + 4 * 8, 0);
}
END_TEST

START_TEST(timer_disable_stops_it)
{
    restart();
    arm_timer(10, ISA_TMR_CTRL_ENABLE, true);
    tm_put(&M, enc_sw(ZERO, T0, 0x100 + ISA_TMR_CTRL));
    for (unsigned k = 0; k < 20; k++)
        tm_put(&M, enc_addi(ZERO, ZERO, 0));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 0);
    ck_assert_uint_eq(tm_count(&M, CPU_EV_IRQ), 0);
    ck_assert_uint_eq(timer_fire_cycle(M.timer), DEVICE_NEVER);
}
END_TEST

/* The kernel arms the timer, then "returns" to user mode through a frame
 * it built; the interrupt arrives in user mode and uses ksp. */
START_TEST(timer_interrupts_user_mode)
{
    restart();
    uint32_t frame = TM_KSTACK - ISA_FRAME_SIZE;
    tm_set_word(&M, frame + ISA_FRAME_PC, 0);
    tm_set_word(&M, frame + ISA_FRAME_STATUS, ISA_STATUS_IE);
    tm_set_word(&M, frame + ISA_FRAME_REG(SP), 0x800);
    cpu_set_cr(M.cpu, ISA_CR_base, TM_UBASE);
    cpu_set_cr(M.cpu, ISA_CR_bounds, TM_UBOUNDS);
    arm_timer(20, ISA_TMR_CTRL_ENABLE, false);
    tm_li(&M, SP, frame);   /* cycles 7, 8 */
    tm_put(&M, enc_rett()); /* cycle 9 */
    tm_org(&M, TM_UBASE);
    tm_put(&M, enc_addi(S0, S0, 1));
    tm_put(&M, enc_jal(ZERO, -1));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    const struct cpu_event *trap = tm_last(&M, CPU_EV_TRAP);
    ck_assert_int_eq(trap->from, CPU_MODE_USER);
    ck_assert_uint_eq(trap->frame, TM_KSP - ISA_FRAME_SIZE);
    /* the timer fires at 7 + 20; user ran cycles 10..26: 9 addi and 8 jal,
     * so the jal at va 4 is next */
    expect_trap(ISA_CAUSE_TIMER, 4, 0);
    ck_assert_uint_eq(tm_word(&M, trap->frame + ISA_FRAME_REG(S0)), 9);
    ck_assert_uint_eq(tm_word(&M, trap->frame + ISA_FRAME_REG(SP)), 0x800);
    ck_assert_uint_eq(tm_word(&M, trap->frame + ISA_FRAME_STATUS), ISA_STATUS_IE);
}
END_TEST

/* A line that went high while the kernel ran with IE off is taken as soon
 * as rett turns IE back on, before the first user instruction. */
START_TEST(rett_enabling_interrupts_takes_pending_line)
{
    restart();
    uint32_t frame = TM_KSTACK - ISA_FRAME_SIZE;
    tm_set_word(&M, frame + ISA_FRAME_PC, 0x20);
    tm_set_word(&M, frame + ISA_FRAME_STATUS, ISA_STATUS_IE);
    cpu_set_cr(M.cpu, ISA_CR_base, TM_UBASE);
    cpu_set_cr(M.cpu, ISA_CR_bounds, TM_UBOUNDS);
    arm_timer(1, ISA_TMR_CTRL_ENABLE, false); /* fires at 8 */
    tm_li(&M, SP, frame);
    tm_put(&M, enc_rett()); /* cycle 9 */
    tm_org(&M, TM_UBASE + 0x20);
    tm_put(&M, enc_halt(ZERO, 0, 0)); /* would be PRIVILEGED, never runs */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_IRQ)->cycle, 8);
    expect_trap(ISA_CAUSE_TIMER, 0x20, 0);
    ck_assert_int_eq(tm_last(&M, CPU_EV_TRAP)->from, CPU_MODE_USER);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, 11);
}
END_TEST

START_TEST(interrupt_priority_timer_first)
{
    restart();
    M.input[M.ninput++] = 'x';
    /* console: RXIE on, then STATUS read pulls 'x' (line high); timer 1 */
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T1, ZERO, 1));
    tm_put(&M, enc_sw(T1, T0, ISA_CON_CTRL));
    tm_put(&M, enc_lw(T2, T0, ISA_CON_STATUS));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_INTERVAL));
    tm_put(&M, enc_sw(T1, T0, 0x100 + ISA_TMR_CTRL));
    tm_put(&M, enc_addi(ZERO, ZERO, 0));
    tm_put(&M, enc_addi(T2, ZERO, ISA_STATUS_IE));
    tm_put(&M, enc_mtcr(0, T2, ISA_CR_status));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(bus_irq_lines(M.bus), (1u << ISA_CAUSE_TIMER) | (1u << ISA_CAUSE_CONSOLE));
    expect_trap(ISA_CAUSE_TIMER, TM_CODE + 4 * 9, 0);
}
END_TEST

/* ================================================================ console */

START_TEST(console_transmit)
{
    restart();
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T1, ZERO, 'h'));
    tm_put(&M, enc_sw(T1, T0, ISA_CON_TX));
    tm_put(&M, enc_addi(T1, ZERO, 0x169)); /* only the low byte: 'i' */
    tm_put(&M, enc_sw(T1, T0, ISA_CON_TX));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(M.nout, 2);
    ck_assert_int_eq(memcmp(M.out, "hi", 2), 0);
}
END_TEST

START_TEST(console_receive_and_eof)
{
    restart();
    M.input[M.ninput++] = 'a';
    M.input[M.ninput++] = 0xff;
    M.input_ends = true;
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_lw(A0, T0, ISA_CON_STATUS)); /* ready */
    tm_put(&M, enc_lw(A1, T0, ISA_CON_RX));     /* 'a' */
    tm_put(&M, enc_lw(A2, T0, ISA_CON_RX));     /* 0xff */
    tm_put(&M, enc_lw(A3, T0, ISA_CON_STATUS)); /* input ended */
    tm_put(&M, enc_lw(A4, T0, ISA_CON_RX));     /* none */
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), ISA_CON_STATUS_RXREADY);
    ck_assert_uint_eq(cpu_reg(M.cpu, A1), 'a');
    ck_assert_uint_eq(cpu_reg(M.cpu, A2), 0xff);
    ck_assert_uint_eq(cpu_reg(M.cpu, A3), ISA_CON_STATUS_EOF);
    ck_assert_uint_eq(cpu_reg(M.cpu, A4), 0xffffffff);
}
END_TEST

START_TEST(console_receive_interrupt_at_poll_instants)
{
    restart();
    M.input[M.ninput++] = CONSOLE_NONE;
    M.input[M.ninput++] = CONSOLE_NONE;
    M.input[M.ninput++] = 'z';
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T2, ZERO, ISA_STATUS_IE));
    tm_put(&M, enc_mtcr(0, T2, ISA_CR_status));
    tm_put(&M, enc_addi(T1, ZERO, ISA_CON_CTRL_RXIE));
    tm_put(&M, enc_sw(T1, T0, ISA_CON_CTRL)); /* cycle 4: polls at 5 + 10000k */
    tm_put(&M, enc_jal(ZERO, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_IRQ)->cycle, 5 + 3 * CONSOLE_POLL_CYCLES);
    ck_assert_uint_eq(M.get_calls, 3);
    expect_trap(ISA_CAUSE_CONSOLE, TM_CODE + 20, 0);
}
END_TEST

/* ================================================================ wfi */

START_TEST(wfi_skips_time_to_the_timer)
{
    restart();
    arm_timer(1000, ISA_TMR_CTRL_ENABLE, true);
    tm_put(&M, enc_wfi()); /* cycle 7 */
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_TIMER, TM_CODE + 4 * 8, 0);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, ARMED_AT + 1000 + 1);
    /* 8 instructions, the trap handler's 2; the wait is not instructions */
    ck_assert_uint_eq(cpu_instructions(M.cpu), 10);
    ck_assert_uint_eq(cpu_cycles(M.cpu), ARMED_AT + 1000 + 1 + 2);
}
END_TEST

START_TEST(wfi_with_interrupts_off_continues_after_the_event)
{
    restart();
    arm_timer(500, ISA_TMR_CTRL_ENABLE, false);
    tm_put(&M, enc_wfi());
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_cycle));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), ARMED_AT + 500);
    ck_assert_uint_eq(tm_count(&M, CPU_EV_TRAP), 0);
}
END_TEST

START_TEST(wfi_with_line_high_continues_at_once)
{
    restart();
    arm_timer(1, ISA_TMR_CTRL_ENABLE, false);
    tm_put(&M, enc_addi(ZERO, ZERO, 0)); /* cycle 7: the timer fires at 8 */
    tm_put(&M, enc_wfi());               /* cycle 8 */
    tm_put(&M, enc_mfcr(A0, 0, ISA_CR_cycle));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 9);
}
END_TEST

START_TEST(wfi_with_nothing_to_come_is_deadlock)
{
    restart();
    tm_put(&M, enc_addi(ZERO, ZERO, 0));
    tm_put(&M, enc_wfi());
    ck_assert_int_eq(run(), CPU_STOP_DEADLOCK);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 2);
    ck_assert(!cpu_halted(M.cpu));
    ck_assert_int_eq(run(), CPU_STOP_DEADLOCK);
}
END_TEST

START_TEST(wfi_wait_is_cut_by_the_budget)
{
    restart();
    arm_timer(1000, ISA_TMR_CTRL_ENABLE, true);
    tm_put(&M, enc_wfi());
    ck_assert_int_eq(cpu_run(M.cpu, 300), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 300);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->cycle, ARMED_AT + 1000 + 1);
}
END_TEST

/* ================================================================ double fault */

START_TEST(double_fault_at_boot)
{
    restart();
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_lw(T1, T0, 0xff0));
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert(cpu_halted(M.cpu));
    const struct cpu_event *halt = tm_last(&M, CPU_EV_HALT);
    ck_assert_ptr_nonnull(halt);
    ck_assert_str_eq(halt->text, "double fault: protection at pc 0x00001004 (faddr 0xf0000ff0) "
                                 "in kernel mode with interrupts off");
    ck_assert_uint_eq(tm_count(&M, CPU_EV_TRAP), 0);
    ck_assert_uint_eq(cpu_pc(M.cpu), 0x1004);
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT); /* stays stopped */
}
END_TEST

START_TEST(double_fault_on_syscall_with_interrupts_off)
{
    restart();
    tm_put(&M, enc_syscall());
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: syscall at pc 0x00001004 in kernel mode with interrupts "
                     "off");
}
END_TEST

START_TEST(double_fault_on_bad_kernel_stack)
{
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, true);
    cpu_set_cr(M.cpu, ISA_CR_ksp, 0x20); /* frame would start below 0 */
    tm_put(&M, enc_syscall());
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: syscall at pc 0x00000004: trap frame is not in RAM or "
                     "misaligned at 0xffffffd0");
    restart();
    tm_user(&M, TM_UBASE, TM_UBOUNDS, true);
    cpu_set_cr(M.cpu, ISA_CR_ksp, TM_KSP + 2);
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: breakpoint at pc 0x00000000: trap frame is not in RAM or "
                     "misaligned at 0x00008fb2");
}
END_TEST

START_TEST(double_fault_on_bad_trap_table)
{
    restart();
    kernel_ie();
    cpu_set_cr(M.cpu, ISA_CR_ttb, TM_RAM - 8);
    tm_put(&M, enc_brk()); /* entry 9 is past RAM */
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: breakpoint at pc 0x00001000: trap table entry is not in RAM "
                     "or misaligned at 0x0010001c");
}
END_TEST

START_TEST(double_fault_on_rett_with_bad_frame)
{
    restart();
    tm_put(&M, enc_addi(SP, ZERO, 2));
    tm_put(&M, enc_rett());
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: rett at pc 0x00001004: trap frame is not in RAM or "
                     "misaligned at 0x00000002");
}
END_TEST

START_TEST(fault_in_handler_after_enabling_interrupts_nests)
{
    restart();
    kernel_ie();
    tm_put(&M, enc_brk());
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    expect_trap(ISA_CAUSE_BREAKPOINT, TM_CODE, 0);
    ck_assert_uint_eq(tm_last(&M, CPU_EV_TRAP)->frame, TM_KSTACK - ISA_FRAME_SIZE);
}
END_TEST

/* ================================================================ halt, events, stop */

START_TEST(halt_code)
{
    restart();
    tm_put(&M, enc_addi(A0, ZERO, 42));
    tm_put(&M, enc_halt(A0, 0, 0));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert(cpu_halted(M.cpu));
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 42);
    const struct cpu_event *ev = tm_last(&M, CPU_EV_HALT);
    ck_assert_uint_eq(ev->code, 42);
    ck_assert_ptr_null(ev->text);
    ck_assert_uint_eq(ev->cycle, 2);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 2);
    restart();
    ck_assert(!cpu_halted(M.cpu));
}
END_TEST

START_TEST(event_sequence)
{
    restart();
    install_rett_handler(ISA_CAUSE_SYSCALL);
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    tm_put(&M, enc_syscall()); /* cycle 0; trap entry at 1 */
    tm_put(&M, enc_brk());     /* cycle 3 */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(M.nev, 4);
    ck_assert_int_eq(M.ev[0].kind, CPU_EV_TRAP);
    ck_assert_int_eq(M.ev[0].cause, ISA_CAUSE_SYSCALL);
    ck_assert_uint_eq(M.ev[0].cycle, 2);
    ck_assert_uint_eq(M.ev[0].pc, 4);
    ck_assert_uint_eq(M.ev[0].handler, 0x3000);
    ck_assert_int_eq(M.ev[1].kind, CPU_EV_RETT);
    ck_assert_uint_eq(M.ev[1].cycle, 3);
    ck_assert_uint_eq(M.ev[1].pc, 4);
    ck_assert_int_eq(M.ev[1].to, CPU_MODE_USER);
    ck_assert_int_eq(M.ev[2].kind, CPU_EV_TRAP);
    ck_assert_int_eq(M.ev[2].cause, ISA_CAUSE_BREAKPOINT);
    ck_assert_uint_eq(M.ev[2].cycle, 4);
    ck_assert_uint_eq(M.ev[2].pc, 4);
    ck_assert_int_eq(M.ev[3].kind, CPU_EV_HALT);
    ck_assert_uint_eq(M.ev[3].code, TM_HANDLER_CODE(ISA_CAUSE_BREAKPOINT));
    ck_assert_uint_eq(M.ev[3].cycle, 6);
    ck_assert_uint_eq(cpu_instructions(M.cpu), 4); /* syscall, rett, addi, halt */
}
END_TEST

START_TEST(stop_request_from_the_hook)
{
    restart();
    install_rett_handler(ISA_CAUSE_SYSCALL);
    M.stop_on_trap = 2;
    tm_put(&M, enc_addi(T2, ZERO, ISA_STATUS_IE));
    tm_put(&M, enc_mtcr(0, T2, ISA_CR_status));
    tm_put(&M, enc_syscall());
    tm_put(&M, enc_syscall());
    tm_put(&M, enc_halt(ZERO, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_REQUEST);
    ck_assert_uint_eq(cpu_pc(M.cpu), 0x3000); /* right after the second trap */
    ck_assert_uint_eq(cpu_cycles(M.cpu), 7);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
}
END_TEST

START_TEST(stop_requested_before_run)
{
    restart();
    tm_put(&M, enc_jal(ZERO, 0));
    cpu_request_stop(M.cpu);
    ck_assert_int_eq(run(), CPU_STOP_REQUEST);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 0);
    ck_assert_int_eq(cpu_run(M.cpu, 10), CPU_STOP_BUDGET); /* the request was consumed */
}
END_TEST

START_TEST(budget_is_exact)
{
    restart();
    tm_put(&M, enc_jal(ZERO, 0));
    ck_assert_int_eq(cpu_run(M.cpu, 12345), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 12345);
    ck_assert_int_eq(cpu_run(M.cpu, 100000), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 112345);
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 112346);
    ck_assert_uint_eq(cpu_instructions(M.cpu), 112346);
}
END_TEST

/* ================================================================ determinism */

/* A busy program: periodic timer (acknowledging handler), syscalls that
 * print, a loop; halts with its counter. */
static void busy_program(void)
{
    restart();
    install_timer_ack_handler();
    tm_set_word(&M, TM_TTB + 4 * ISA_CAUSE_SYSCALL, 0x3100);
    tm_org(&M, 0x3100);
    tm_put(&M, enc_lui(T0, 0, 0xf000));
    tm_put(&M, enc_addi(T1, ZERO, 'S'));
    tm_put(&M, enc_sw(T1, T0, ISA_CON_TX));
    tm_put(&M, enc_rett());
    tm_org(&M, TM_CODE);
    arm_timer(37, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC, true);
    tm_put(&M, enc_addi(S0, S0, 1)); /* loop: */
    tm_put(&M, enc_andi(T2, S0, 15));
    tm_put(&M, enc_bne(T2, ZERO, 2));
    tm_put(&M, enc_syscall());
    tm_put(&M, enc_slti(T2, S0, 500));
    tm_put(&M, enc_bne(T2, ZERO, -5));
    tm_put(&M, enc_halt(S0, 0, 0));
}

/* Fields of an event that must match between runs. */
static bool same_event(const struct cpu_event *a, const struct cpu_event *b)
{
    return a->kind == b->kind && a->cycle == b->cycle && a->cause == b->cause && a->pc == b->pc &&
           a->frame == b->frame && a->handler == b->handler && a->code == b->code &&
           a->from == b->from && a->to == b->to;
}

enum run_style { RUN_ONCE, RUN_SLICES, RUN_STEPS };

struct outcome {
    struct cpu_event ev[TM_MAX_EVENTS];
    unsigned nev;
    uint64_t cycles, insns;
    uint32_t code;
    char out[64];
};

static void busy_run(enum run_style style, struct outcome *o)
{
    ck_assert(tm_init(&M));
    busy_program();
    enum cpu_stop stop;
    switch (style) {
    case RUN_ONCE:
        stop = cpu_run(M.cpu, 1000000);
        break;
    case RUN_SLICES:
        while ((stop = cpu_run(M.cpu, 7)) == CPU_STOP_BUDGET)
            ;
        break;
    default:
        while ((stop = cpu_step(M.cpu)) == CPU_STOP_BUDGET)
            ;
        break;
    }
    ck_assert_int_eq(stop, CPU_STOP_HALT);
    memcpy(o->ev, M.ev, sizeof o->ev);
    o->nev = M.nev;
    o->cycles = cpu_cycles(M.cpu);
    o->insns = cpu_instructions(M.cpu);
    o->code = cpu_halt_code(M.cpu);
    snprintf(o->out, sizeof o->out, "%.*s", (int)M.nout, M.out);
    tm_free(&M);
}

static void same_outcome(const struct outcome *a, const struct outcome *b)
{
    ck_assert_uint_eq(a->nev, b->nev);
    for (unsigned k = 0; k < a->nev; k++)
        ck_assert_msg(same_event(&a->ev[k], &b->ev[k]), "event %u differs", k);
    ck_assert_uint_eq(a->cycles, b->cycles);
    ck_assert_uint_eq(a->insns, b->insns);
    ck_assert_uint_eq(a->code, b->code);
    ck_assert_str_eq(a->out, b->out);
}

static struct outcome out_a, out_b;

START_TEST(determinism_two_runs)
{
    tm_free(&M); /* busy_run builds its own machines */
    busy_run(RUN_ONCE, &out_a);
    busy_run(RUN_ONCE, &out_b);
    same_outcome(&out_a, &out_b);
    ck_assert_uint_eq(out_a.code, 500);
    ck_assert_str_eq(out_a.out, "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS"); /* 500 / 16 = 31 */
    ck_assert_uint_ge(out_a.nev, 100);
    ck_assert(tm_init(&M));
}
END_TEST

START_TEST(step_and_slices_match_run)
{
    tm_free(&M);
    busy_run(RUN_ONCE, &out_a);
    busy_run(RUN_SLICES, &out_b);
    same_outcome(&out_a, &out_b);
    busy_run(RUN_STEPS, &out_b);
    same_outcome(&out_a, &out_b);
    ck_assert(tm_init(&M));
}
END_TEST

START_TEST(step_executes_one_instruction_or_one_trap)
{
    restart();
    kernel_ie();
    tm_put(&M, enc_addi(A0, ZERO, 1));
    tm_put(&M, enc_brk());
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_pc(M.cpu), TM_CODE + 4);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 1);
    /* a faulting instruction and its trap entry are one step */
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_pc(M.cpu), TM_HANDLER(ISA_CAUSE_BREAKPOINT));
    ck_assert_uint_eq(cpu_cycles(M.cpu), 2);
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BUDGET);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), TM_HANDLER_CODE(ISA_CAUSE_BREAKPOINT));
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_HALT);
}
END_TEST

/* ================================================================ decode cache */

START_TEST(self_modifying_code)
{
    restart();
    tm_li(&M, T0, enc_addi(A0, ZERO, 2)); /* 0x1000, 0x1004 */
    tm_put(&M, enc_addi(A0, ZERO, 1));    /* 0x1008: X */
    tm_put(&M, enc_bne(S0, ZERO, 5));     /* 0x100c -> 0x1020 */
    tm_put(&M, enc_addi(S0, ZERO, 1));    /* 0x1010 */
    tm_put(&M, enc_sw(T0, ZERO, 0x1008)); /* 0x1014: overwrite X */
    tm_put(&M, enc_jal(ZERO, -4));        /* 0x1018 -> X */
    tm_put(&M, enc_halt(ZERO, 0, 0));     /* 0x101c */
    tm_put(&M, enc_halt(A0, 0, 0));       /* 0x1020 */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 2);
}
END_TEST

START_TEST(self_modifying_code_byte_store)
{
    restart();
    tm_put(&M, enc_addi(A0, ZERO, 1)); /* 0x1000: X; imm16 low byte at 0x1002 */
    tm_put(&M, enc_bne(S0, ZERO, 5));  /* -> 0x1018 */
    tm_put(&M, enc_addi(S0, ZERO, 9));
    tm_put(&M, enc_sb(S0, ZERO, 0x1002)); /* imm16 := 9 */
    tm_put(&M, enc_jal(ZERO, -4));
    tm_put(&M, enc_halt(ZERO, 0, 0));
    tm_put(&M, enc_halt(A0, 0, 0)); /* 0x1018 */
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 9);
}
END_TEST

START_TEST(ram_written_by_front_end_invalidates)
{
    restart();
    tm_put(&M, enc_addi(A0, ZERO, 1));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 1);
    tm_set_word(&M, TM_CODE, enc_addi(A0, ZERO, 7)); /* reports bus_ram_written */
    restart();
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 7);
}
END_TEST

START_TEST(trap_frame_over_code_invalidates)
{
    /* the kernel stack runs into code: the frame overwrites decoded words */
    restart();
    kernel_ie();
    tm_set_word(&M, TM_TTB + 4 * ISA_CAUSE_SYSCALL, 0x2000 - ISA_FRAME_SIZE + ISA_FRAME_CAUSE);
    tm_org(&M, 0x2000 - ISA_FRAME_SIZE);
    tm_put(&M, enc_halt(ZERO, 0, 0)); /* decoded once below, then becomes cause 0 */
    tm_org(&M, TM_CODE);
    tm_put(&M, enc_jal(ZERO, (int32_t)((0x2000 - ISA_FRAME_SIZE) - TM_CODE) / 4));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    restart();
    kernel_ie();
    cpu_set_reg(M.cpu, SP, 0x2000);
    tm_put(&M, enc_syscall());
    /* word 0 of the frame is the cause, 0: opcode 0 is ILLEGAL, in a handler
     * with interrupts off.  A stale decode would have run the halt. */
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: illegal at pc 0x00001fb0 in kernel mode with interrupts "
                     "off");
}
END_TEST

/* A frame that does not start on a 16-byte granule reaches into a sixth
 * one with its last word (reserved, written 0): code there is forgotten too. */
START_TEST(trap_frame_last_granule_over_code_invalidates)
{
    const uint32_t last = 0x2000; /* the frame's last word when sp = 0x2004 */
    restart();
    kernel_ie();
    tm_set_word(&M, TM_TTB + 4 * ISA_CAUSE_SYSCALL, last);
    tm_org(&M, last);
    tm_put(&M, enc_halt(ZERO, 0, 0)); /* decoded once below, then becomes 0 */
    tm_org(&M, TM_CODE);
    tm_put(&M, enc_jal(ZERO, (int32_t)(last - TM_CODE) / 4));
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    restart();
    kernel_ie();
    cpu_set_reg(M.cpu, SP, last + 4);
    tm_put(&M, enc_syscall());
    ck_assert_int_eq(run(), CPU_STOP_DOUBLE_FAULT);
    ck_assert_str_eq(tm_last(&M, CPU_EV_HALT)->text,
                     "double fault: illegal at pc 0x00002000 in kernel mode with interrupts "
                     "off");
}
END_TEST

/* ================================================================ names */

START_TEST(names)
{
    ck_assert_str_eq(cpu_cause_name(ISA_CAUSE_SYSCALL), "syscall");
    ck_assert_str_eq(cpu_cause_name(ISA_CAUSE_PROTECTION), "protection");
    ck_assert_str_eq(cpu_cause_name(ISA_CAUSE_DIV_ZERO), "divzero");
    ck_assert_str_eq(cpu_cause_name(99), "?");
    ck_assert_str_eq(cpu_cause_text(ISA_CAUSE_TIMER), "timer interrupt");
    ck_assert_str_eq(cpu_cr_name(ISA_CR_status), "status");
    ck_assert_str_eq(cpu_cr_name(ISA_CR_cycleh), "cycleh");
    ck_assert_ptr_null(cpu_cr_name(ISA_NCRS));
    ck_assert_str_eq(cpu_mode_name(CPU_MODE_USER), "user");
    ck_assert_str_eq(cpu_mode_name(CPU_MODE_KERNEL), "kernel");
    ck_assert_str_eq(cpu_stop_name(CPU_STOP_DOUBLE_FAULT), "double fault");
    ck_assert_str_eq(cpu_stop_name(CPU_STOP_DEADLOCK), "deadlock");
}
END_TEST

START_TEST(reset_state)
{
    cpu_set_reg(M.cpu, A0, 5);
    cpu_set_cr(M.cpu, ISA_CR_bounds, 5);
    cpu_reset(M.cpu, 0x40);
    ck_assert_uint_eq(cpu_pc(M.cpu), 0x40);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 0);
    ck_assert_uint_eq(cpu_cr(M.cpu, ISA_CR_bounds), 0);
    ck_assert_uint_eq(cpu_cr(M.cpu, ISA_CR_status), ISA_STATUS_KERNEL);
    ck_assert_int_eq(cpu_mode(M.cpu), CPU_MODE_KERNEL);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 0);
    ck_assert_ptr_eq(cpu_bus(M.cpu), M.bus);
}
END_TEST

/* A loop test over a table: one iteration per row and engine. */
struct table_test {
    const TTest *test; /* the START_TEST over the rows */
    int loops;         /* NLOOPS(table) */
};

static Suite *cpu_suite(void)
{
    Suite *s = suite_create("cpu");
    struct {
        const char *name;
        const TTest *tests[24];
        struct table_test tables[4];
    } groups[] = {
        {"alu",
         {alu_lui_ori_builds_any_constant, r0_stays_zero},
         {{alu_instruction, NLOOPS(alu_cases)},
          {alu_division_by_zero_traps, NLOOPS(div_zero_cases)}}},
        {"memory", {loads_extend_correctly, stores_are_little_endian}, {{0}}},
        {"control",
         {branch_backward_loop, jal_and_jalr, jalr_misaligned_target_faults_at_fetch},
         {{branches_signed_and_unsigned, NLOOPS(branch_cases)}}},
        {"traps",
         {syscall_frame_from_user, trap_frame_reserved_slot_is_cleared, rett_returns_to_user,
          kernel_trap_nests_on_current_stack_and_returns_to_kernel,
          rett_on_other_kernel_stack_resumes_other_context, rett_restores_only_mode_and_ie},
         {{exceptions_save_the_faulting_pc, NLOOPS(exception_cases)}}},
        {"privilege",
         {user_may_read_the_cycle_counter, mode_bit_is_read_only, mtcr_mfcr_round_trip},
         {{privileged_operations_trap_in_user_mode, NLOOPS(privileged_cases)}}},
        {"protection",
         {base_beyond_ram_faults_at_fetch, user_store_lands_at_base_plus_va,
          fetch_outside_bounds_faults, user_code_at_unaligned_base,
          kernel_may_use_the_last_word_of_ram, kernel_fetch_from_device_region_faults},
         {{user_accesses, NLOOPS(access_cases)}, {kernel_traps, NLOOPS(kernel_trap_cases)}}},
        {"illegal", {illegal_is_decided_before_privileged}, {{0}}},
        {"timer",
         {timer_fires_at_the_documented_cycle, timer_held_while_interrupts_off,
          timer_periodic_rearms_without_drift, timer_count_status_and_acknowledge,
          timer_interval_zero_is_one, timer_disable_stops_it, timer_interrupts_user_mode,
          rett_enabling_interrupts_takes_pending_line, interrupt_priority_timer_first},
         {{0}}},
        {"console",
         {console_transmit, console_receive_and_eof, console_receive_interrupt_at_poll_instants},
         {{0}}},
        {"wfi",
         {wfi_skips_time_to_the_timer, wfi_with_interrupts_off_continues_after_the_event,
          wfi_with_line_high_continues_at_once, wfi_with_nothing_to_come_is_deadlock,
          wfi_wait_is_cut_by_the_budget},
         {{0}}},
        {"double_fault",
         {double_fault_at_boot, double_fault_on_syscall_with_interrupts_off,
          double_fault_on_bad_kernel_stack, double_fault_on_bad_trap_table,
          double_fault_on_rett_with_bad_frame, fault_in_handler_after_enabling_interrupts_nests},
         {{0}}},
        {"run",
         {halt_code, event_sequence, stop_request_from_the_hook, stop_requested_before_run,
          budget_is_exact, determinism_two_runs, step_and_slices_match_run,
          step_executes_one_instruction_or_one_trap},
         {{0}}},
        {"decode_cache",
         {self_modifying_code, self_modifying_code_byte_store, ram_written_by_front_end_invalidates,
          trap_frame_over_code_invalidates, trap_frame_last_granule_over_code_invalidates},
         {{0}}},
        {"misc", {names, reset_state}, {{0}}},
    };
    for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        TCase *tc = tcase_create(groups[g].name);
        tcase_add_checked_fixture(tc, setup, teardown);
        for (unsigned t = 0; groups[g].tests[t] != NULL; t++)
            tcase_add_test(tc, groups[g].tests[t]);
        for (unsigned t = 0; groups[g].tables[t].test != NULL; t++)
            tcase_add_loop_test(tc, groups[g].tables[t].test, 0, groups[g].tables[t].loops);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cpu_suite());
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
