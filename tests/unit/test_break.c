/*
 * test_break.c - front-end breakpoints (cpu_set_breakpoint): where a run
 * stops, what passes, and that they never change the guest's execution.
 *
 * Every test runs twice (loop index `_i`): with the fast interpreter and
 * with the reference stepper, which must stop at exactly the same places.
 */
#include <check.h>
#include <stdlib.h>

#include "cpu_private.h"
#include "machine.h"

static struct tmach M;

static void setup(void)
{
    ck_assert(tm_init(&M));
}

static void teardown(void)
{
    tm_free(&M);
}

/* Power-on state at TM_CODE; `reference` selects the interpreter. */
static void restart(bool reference)
{
    cpu_reset(M.cpu, TM_CODE);
    cpu_set_cr(M.cpu, ISA_CR_ttb, TM_TTB);
    cpu_set_cr(M.cpu, ISA_CR_ksp, TM_KSP);
    cpu_set_reg(M.cpu, SP, TM_KSTACK);
    cpu_set_engine(M.cpu, reference ? CPU_ENGINE_REFERENCE : CPU_ENGINE_INTERPRET);
    tm_org(&M, TM_CODE);
}

static enum cpu_stop run(void)
{
    return cpu_run(M.cpu, 1000000);
}

/* The run stopped at a breakpoint at `pc` after `cycles` cycles. */
static void expect_break(uint32_t pc, uint64_t cycles)
{
    ck_assert_int_eq(run(), CPU_STOP_BREAKPOINT);
    ck_assert_uint_eq(cpu_pc(M.cpu), pc);
    ck_assert_uint_eq(cpu_cycles(M.cpu), cycles);
}

/* Ten "addi a0, a0, 1" at TM_CODE, then halt a0. */
static void put_counter(void)
{
    for (int k = 0; k < 10; k++)
        tm_put(&M, enc_addi(A0, A0, 1));
    tm_put(&M, enc_halt(A0, 0, 0));
}

START_TEST(stops_before_executing_and_moves_on)
{
    restart(_i);
    put_counter();
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 5 * 4, true), 0);
    expect_break(TM_CODE + 5 * 4, 5);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 5); /* the instruction there has not run */
    ck_assert_int_eq(run(), CPU_STOP_HALT);   /* running again passes it */
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 10);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 11);
}
END_TEST

START_TEST(the_starting_instruction_passes_but_not_when_reached_again)
{
    restart(_i);
    cpu_set_reg(M.cpu, A1, 3);
    tm_put(&M, enc_addi(A0, A0, 1)); /* TM_CODE: loop */
    tm_put(&M, enc_bne(A0, A1, -1));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE, true), 0);
    expect_break(TM_CODE, 2);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 1);
    expect_break(TM_CODE, 4);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 3);
}
END_TEST

START_TEST(inside_a_block_and_at_a_block_start)
{
    restart(_i);
    cpu_set_reg(M.cpu, A1, 2);
    tm_put(&M, enc_addi(A0, A0, 1)); /* TM_CODE + 0: loop (a block start) */
    tm_put(&M, enc_addi(A2, A2, 1));
    tm_put(&M, enc_addi(A3, A3, 1)); /* + 8: inside the block */
    tm_put(&M, enc_bne(A0, A1, -3));
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE, true), 0);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 8, true), 0);
    expect_break(TM_CODE + 8, 2);
    expect_break(TM_CODE, 4);
    expect_break(TM_CODE + 8, 6);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 9);
}
END_TEST

START_TEST(step_over_a_breakpoint)
{
    restart(_i);
    put_counter();
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 8, true), 0);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 16, true), 0);
    expect_break(TM_CODE + 8, 2);
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BUDGET); /* executes it */
    ck_assert_uint_eq(cpu_pc(M.cpu), TM_CODE + 12);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 3);
    /* The next instruction is at a breakpoint: said instead of "budget". */
    ck_assert_int_eq(cpu_step(M.cpu), CPU_STOP_BREAKPOINT);
    ck_assert_uint_eq(cpu_pc(M.cpu), TM_CODE + 16);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 4);
}
END_TEST

START_TEST(budget_ending_at_a_breakpoint_reports_it)
{
    restart(_i);
    put_counter();
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 12, true), 0);
    ck_assert_int_eq(cpu_run(M.cpu, 2), CPU_STOP_BUDGET);
    ck_assert_int_eq(cpu_run(M.cpu, 1), CPU_STOP_BREAKPOINT); /* not "budget": not passed */
    ck_assert_uint_eq(cpu_pc(M.cpu), TM_CODE + 12);
    ck_assert_uint_eq(cpu_cycles(M.cpu), 3);
}
END_TEST

START_TEST(user_mode_breakpoints_are_physical)
{
    restart(_i);
    tm_user(&M, TM_UBASE, TM_UBOUNDS, false);
    put_counter(); /* at virtual 0 = physical TM_UBASE */
    /* Physical 8 is not where user pc 8 is: no stop there. */
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, 8, true), 0);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_UBASE + 12, true), 0);
    expect_break(12, 3);
    ck_assert_int_eq(cpu_mode(M.cpu), CPU_MODE_USER);
    ck_assert_uint_eq(cpu_reg(M.cpu, A0), 3);
    ck_assert_int_eq(run(), CPU_STOP_HALT); /* halt in user mode: privileged */
    ck_assert_uint_eq(cpu_halt_code(M.cpu), TM_HANDLER_CODE(ISA_CAUSE_PRIVILEGED));
}
END_TEST

START_TEST(survives_a_store_to_its_word)
{
    restart(_i);
    tm_li(&M, T0, enc_addi(A0, A0, 100)); /* TM_CODE + 0, + 4 */
    tm_put(&M, enc_sw(T0, ZERO, TM_CODE + 16));
    tm_put(&M, enc_addi(A1, A1, 1)); /* + 12 */
    tm_put(&M, enc_addi(A0, A0, 1)); /* + 16: overwritten by the sw */
    tm_put(&M, enc_halt(A0, 0, 0));
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 16, true), 0);
    expect_break(TM_CODE + 16, 4);
    /* Again from the start: the slot was decoded and marked; the store
     * sends it back to the decoder, which must mark it again. */
    cpu_set_pc(M.cpu, TM_CODE);
    expect_break(TM_CODE + 16, 8);
    ck_assert_uint_eq(cpu_reg(M.cpu, A1), 2);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 100); /* the new word ran */
}
END_TEST

START_TEST(removed_breakpoint_no_longer_stops)
{
    restart(_i);
    put_counter();
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 8, true), 0);
    ck_assert(cpu_breakpoint(M.cpu, TM_CODE + 8));
    expect_break(TM_CODE + 8, 2);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 8, false), 0);
    ck_assert(!cpu_breakpoint(M.cpu, TM_CODE + 8));
    cpu_set_pc(M.cpu, TM_CODE);
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), 12);
}
END_TEST

START_TEST(bad_addresses_are_refused)
{
    restart(_i);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + 2, true), -1);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_RAM, true), -1);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, 0xfffffffc, true), -1);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_RAM - 4, true), 0);
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_RAM - 4, true), 0); /* twice: one */
    ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_RAM - 4, false), 0);
    ck_assert(!cpu_breakpoint(M.cpu, TM_RAM - 4));
    ck_assert(!cpu_breakpoint(M.cpu, TM_RAM));
    ck_assert_str_eq(cpu_stop_name(CPU_STOP_BREAKPOINT), "breakpoint");
}
END_TEST

/* A countdown loop of 5000 iterations with a store, a call and a return;
 * breakpoints on several of its words must leave every result the same. */
static void put_busy_program(void)
{
    tm_li(&M, S0, 5000);                  /* + 0, + 4 */
    tm_put(&M, enc_jal(RA, 4));           /* + 8: loop: call f */
    tm_put(&M, enc_addi(S0, S0, -1));     /* + 12 */
    tm_put(&M, enc_bne(S0, ZERO, -2));    /* + 16 */
    tm_put(&M, enc_halt(A0, 0, 0));       /* + 20 */
    tm_put(&M, enc_add(A0, A0, S0));      /* + 24: f */
    tm_put(&M, enc_sw(A0, ZERO, 0x7000)); /* + 28 */
    tm_put(&M, enc_jalr(ZERO, RA, 0));    /* + 32 */
}

START_TEST(breakpoints_change_nothing_the_guest_sees)
{
    restart(_i);
    put_busy_program();
    ck_assert_int_eq(run(), CPU_STOP_HALT);
    uint64_t cycles = cpu_cycles(M.cpu);
    uint32_t code = cpu_halt_code(M.cpu);

    restart(_i);
    static const uint32_t at[] = {8, 16, 24, 32};
    for (unsigned k = 0; k < 4; k++)
        ck_assert_int_eq(cpu_set_breakpoint(M.cpu, TM_CODE + at[k], true), 0);
    unsigned stops = 0;
    enum cpu_stop why;
    while ((why = cpu_run(M.cpu, 777)) == CPU_STOP_BREAKPOINT || why == CPU_STOP_BUDGET)
        stops += why == CPU_STOP_BREAKPOINT;
    ck_assert_int_eq(why, CPU_STOP_HALT);
    ck_assert_uint_eq(stops, 4 * 5000);
    ck_assert_uint_eq(cpu_cycles(M.cpu), cycles);
    ck_assert_uint_eq(cpu_instructions(M.cpu), cycles);
    ck_assert_uint_eq(cpu_halt_code(M.cpu), code);
    ck_assert_uint_eq(tm_word(&M, 0x7000), code);
}
END_TEST

static Suite *break_suite(void)
{
    Suite *s = suite_create("break");
    TCase *tc = tcase_create("break");
    const TTest *tests[] = {stops_before_executing_and_moves_on,
                            the_starting_instruction_passes_but_not_when_reached_again,
                            inside_a_block_and_at_a_block_start,
                            step_over_a_breakpoint,
                            budget_ending_at_a_breakpoint_reports_it,
                            user_mode_breakpoints_are_physical,
                            survives_a_store_to_its_word,
                            removed_breakpoint_no_longer_stops,
                            bad_addresses_are_refused,
                            breakpoints_change_nothing_the_guest_sees};
    tcase_add_checked_fixture(tc, setup, teardown);
    for (unsigned t = 0; t < sizeof tests / sizeof tests[0]; t++)
        tcase_add_loop_test(tc, tests[t], 0, 2); /* 0: fast, 1: reference */
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(break_suite());
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
