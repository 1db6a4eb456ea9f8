/*
 * test_trace.c - Check tests of the kernel trace port: each STEP write is
 * one CPU_EV_DEVICE event with the exact text, names are learned from
 * kernel memory by pid, a bad name address is harmless, and texts are made
 * only while someone reads them.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bus.h"
#include "isa.h"
#include "trace.h"

#define RAM_BYTES 0x1000u

/* The last event the bus delivered. */
struct seen {
    int count;       /* events so far */
    uint32_t code;   /* code of the last one */
    bool has_text;   /* its text was not NULL */
    char text[200];  /* its text, "" if NULL */
    char device[16]; /* its device */
};

static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct seen *s = ctx;

    ck_assert_int_eq(ev->kind, CPU_EV_DEVICE);
    s->count++;
    s->code = ev->code;
    s->has_text = ev->text != NULL;
    snprintf(s->text, sizeof(s->text), "%s", s->has_text ? ev->text : "");
    snprintf(s->device, sizeof(s->device), "%s", ev->device);
}

static struct bus *machine(struct seen *s, struct device **trace)
{
    struct bus *bus = bus_create(RAM_BYTES);

    *trace = trace_create();
    ck_assert_ptr_nonnull(*trace);
    ck_assert_int_eq(bus_attach(bus, *trace), 0);
    memset(s, 0, sizeof(*s));
    bus_set_event_hook(bus, on_event, s);
    trace_want_text(*trace, true); /* these tests read the texts */
    return bus;
}

static void put(struct bus *bus, uint32_t off, uint32_t value)
{
    ck_assert_int_eq(bus_write(bus, ISA_DEV_TRACE + off, value, 0), 0);
}

START_TEST(steps_have_exact_text)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);

    memcpy(bus_ram(bus) + 0x100, "hello", 6);
    put(bus, TRACE_REG_NAME, 0x100);
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_CREATE);
    ck_assert_int_eq(s.count, 1);
    ck_assert_str_eq(s.device, "trace");
    ck_assert_uint_eq(s.code, 0x308);
    ck_assert_str_eq(s.text, "process created: pid 3 (hello)");
    put(bus, TRACE_REG_PID, 3);
    ck_assert_str_eq(s.text, "current process: pid 3 (hello)");
    ck_assert_uint_eq(trace_current_pid(t), 3);
    ck_assert_str_eq(trace_current_name(t), "hello");
    put(bus, TRACE_REG_STEP, ISA_CAUSE_TIMER << 8 | TRACE_STEP_TRAP);
    ck_assert_str_eq(s.text, "trap handled: timer, from pid 3 (hello)");
    put(bus, TRACE_REG_STEP, 1u << 8 | TRACE_STEP_SYSCALL);
    ck_assert_str_eq(s.text, "syscall write (#1) by pid 3 (hello)");
    put(bus, TRACE_REG_VALUE, 0x120000);
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_ALLOC);
    ck_assert_str_eq(s.text, "create pid 3 (hello): memory allocated at physical 0x00120000");
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_SAVE);
    ck_assert_str_eq(s.text, "switch: save kernel context of pid 3 (hello) in its process entry");
    put(bus, TRACE_REG_STEP, 9u << 8 | TRACE_STEP_RESTORE);
    ck_assert_str_eq(s.text, "switch: restore kernel context of pid 9 (?), its kernel stack");
    put(bus, TRACE_REG_STEP, 0x99);
    ck_assert_str_eq(s.text, "unknown step 153 (argument 0)");
    ck_assert_int_eq(s.count, 8);
    bus_destroy(bus);
}
END_TEST

START_TEST(bad_name_address_is_harmless)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);
    uint32_t v;

    put(bus, TRACE_REG_NAME, 0xfffffff0u); /* outside RAM */
    put(bus, TRACE_REG_STEP, 5u << 8 | TRACE_STEP_CREATE);
    ck_assert_str_eq(s.text, "process created: pid 5 ()");
    memset(bus_ram(bus) + RAM_BYTES - 4, 'x', 4); /* no NUL before the end of RAM */
    put(bus, TRACE_REG_NAME, RAM_BYTES - 4);
    put(bus, TRACE_REG_STEP, 6u << 8 | TRACE_STEP_CREATE);
    ck_assert_str_eq(s.text, "process created: pid 6 (xxxx)");
    ck_assert_int_eq(bus_read(bus, ISA_DEV_TRACE + 0x10, &v, 0), -1); /* no such register */
    bus_destroy(bus);
}
END_TEST

/* With no reader the events still come, with their codes but no text; a
 * reader that arrives late sees what it would have seen all along. */
START_TEST(texts_only_for_readers)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);

    trace_want_text(t, false); /* nobody reads */
    memcpy(bus_ram(bus) + 0x100, "hello", 6);
    put(bus, TRACE_REG_NAME, 0x100);
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_CREATE);
    ck_assert_int_eq(s.count, 1);
    ck_assert_uint_eq(s.code, 0x308);
    ck_assert(!s.has_text);
    put(bus, TRACE_REG_PID, 3);
    ck_assert_int_eq(s.count, 2);
    ck_assert_uint_eq(s.code, 3);
    ck_assert(!s.has_text);
    ck_assert_uint_eq(trace_current_pid(t), 3);
    put(bus, TRACE_REG_VALUE, 0x120000);
    trace_want_text(t, true); /* a reader arrives */
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_ALLOC);
    ck_assert(s.has_text);
    ck_assert_str_eq(s.text, "create pid 3 (hello): memory allocated at physical 0x00120000");
    trace_want_text(t, true); /* a second one, which leaves again */
    trace_want_text(t, false);
    put(bus, TRACE_REG_STEP, 1u << 8 | TRACE_STEP_SYSCALL);
    ck_assert_str_eq(s.text, "syscall write (#1) by pid 3 (hello)");
    trace_want_text(t, false); /* the last one leaves */
    trace_want_text(t, false); /* one too many: no effect */
    put(bus, TRACE_REG_PID, 0);
    ck_assert(!s.has_text);
    trace_want_text(t, true);
    put(bus, TRACE_REG_PID, 3);
    ck_assert_str_eq(s.text, "current process: pid 3 (hello)");
    ck_assert_int_eq(s.count, 6);
    bus_destroy(bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("trace");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, steps_have_exact_text);
    tcase_add_test(tc, bad_name_address_is_harmless);
    tcase_add_test(tc, texts_only_for_readers);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
