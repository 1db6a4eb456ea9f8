/*
 * test_trace.c - Check tests of the kernel trace port: each STEP write is
 * one CPU_EV_DEVICE event with the exact text, names are learned from
 * kernel memory by pid, a bad name address is harmless, texts are made
 * only while someone reads them, the event says which register was
 * written, and a step's sentence made on demand (trace_step_text) while
 * its event is delivered is the one its event carries.
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
    const struct device *port; /* the trace port, asked for texts on demand */
    int count;                 /* events so far */
    uint32_t code;             /* code of the last one */
    uint32_t reg;              /* its faddr less the port's base: the register written */
    bool has_text;             /* its text was not NULL */
    char text[200];            /* its text, "" if NULL */
    char asked[200];           /* STEP: trace_step_text during the event; else "" */
    char device[16];           /* its device */
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
    s->reg = ev->faddr - ISA_DEV_TRACE;
    s->asked[0] = '\0';
    if (s->reg == TRACE_REG_STEP) {
        trace_step_text(s->port, ev->code, s->asked, sizeof(s->asked));
        /* on demand or carried by the event: the same sentence */
        if (s->has_text)
            ck_assert_str_eq(s->asked, s->text);
    }
}

static struct bus *machine(struct seen *s, struct device **trace)
{
    struct bus *bus = bus_create(RAM_BYTES);

    *trace = trace_create();
    ck_assert_ptr_nonnull(*trace);
    ck_assert_int_eq(bus_attach(bus, *trace), 0);
    memset(s, 0, sizeof(*s));
    s->port = *trace;
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
    ck_assert_uint_eq(s.reg, TRACE_REG_STEP);
    ck_assert_str_eq(s.text, "process created: pid 3 (hello)");
    put(bus, TRACE_REG_PID, 3);
    ck_assert_uint_eq(s.reg, TRACE_REG_PID);
    ck_assert_str_eq(s.text, "current process: pid 3 (hello)");
    ck_assert_str_eq(s.asked, "");
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

/* With no hook on the bus no event is composed, but the port still learns
 * names and the current process: a front-end that starts listening later
 * (the monitor's `trace on`) gets them right. */
START_TEST(no_hook_no_events_but_names)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);

    bus_set_event_hook(bus, NULL, NULL);
    memcpy(bus_ram(bus) + 0x100, "hello", 6);
    put(bus, TRACE_REG_NAME, 0x100);
    put(bus, TRACE_REG_STEP, 3u << 8 | TRACE_STEP_CREATE);
    put(bus, TRACE_REG_PID, 3);
    ck_assert_int_eq(s.count, 0);
    ck_assert_uint_eq(trace_current_pid(t), 3);
    ck_assert_str_eq(trace_current_name(t), "hello");
    bus_set_event_hook(bus, on_event, &s);
    put(bus, TRACE_REG_STEP, 1u << 8 | TRACE_STEP_SYSCALL);
    ck_assert_int_eq(s.count, 1);
    ck_assert_str_eq(s.text, "syscall write (#1) by pid 3 (hello)");
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

/* Names stay until the process is reaped: init keeps its name however
 * many processes come and go after it (pid 65 once took init's slot, pid
 * modulo 64); with more unreaped names than slots the oldest goes. */
START_TEST(names_live_until_reaped)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);
    char name[16];

    strcpy((char *)bus_ram(bus) + 0x100, "init");
    put(bus, TRACE_REG_NAME, 0x100);
    put(bus, TRACE_REG_STEP, 1u << 8 | TRACE_STEP_CREATE);
    for (uint32_t pid = 2; pid < 300; pid++) {
        snprintf(name, sizeof name, "p%u", (unsigned)pid);
        strcpy((char *)bus_ram(bus) + 0x200, name);
        put(bus, TRACE_REG_NAME, 0x200);
        put(bus, TRACE_REG_STEP, pid << 8 | TRACE_STEP_CREATE);
        ck_assert_str_eq(trace_name_of(t, pid), name);
        put(bus, TRACE_REG_STEP, pid << 8 | TRACE_STEP_REAP);
        char want[64];
        snprintf(want, sizeof want, "process reaped: pid %u (%s)", (unsigned)pid, name);
        ck_assert_str_eq(s.text, want); /* the reap still names it */
        ck_assert_str_eq(trace_name_of(t, pid), "?");
    }
    ck_assert_str_eq(trace_name_of(t, 1), "init");
    for (uint32_t pid = 300; pid < 364; pid++) { /* 64 more, never reaped */
        put(bus, TRACE_REG_NAME, 0x200);
        put(bus, TRACE_REG_STEP, pid << 8 | TRACE_STEP_CREATE);
    }
    ck_assert_str_eq(trace_name_of(t, 1), "?"); /* the oldest made room */
    ck_assert_str_eq(trace_name_of(t, 363), "p299");
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
    ck_assert_uint_eq(s.reg, TRACE_REG_STEP);
    ck_assert_str_eq(s.asked, "process created: pid 3 (hello)"); /* on demand, no reader */
    put(bus, TRACE_REG_PID, 3);
    ck_assert_int_eq(s.count, 2);
    ck_assert_uint_eq(s.code, 3);
    ck_assert(!s.has_text);
    ck_assert_uint_eq(s.reg, TRACE_REG_PID);
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

/* Sentences on demand use the port's state at the call (VALUE, names)
 * and are cut to the buffer; syscall names come from trace.h alone. */
START_TEST(texts_on_demand)
{
    struct seen s;
    struct device *t;
    struct bus *bus = machine(&s, &t);
    char buf[24];

    trace_want_text(t, false);
    memcpy(bus_ram(bus) + 0x100, "sh", 3);
    put(bus, TRACE_REG_NAME, 0x100);
    put(bus, TRACE_REG_VALUE, 0x40);
    put(bus, TRACE_REG_STEP, 2u << 8 | TRACE_STEP_LOAD);
    ck_assert_str_eq(s.asked, "create pid 2 (sh): program loaded from disk, entry 0x00000040");
    trace_step_text(t, 2u << 8 | TRACE_STEP_LOAD, buf, sizeof(buf));
    ck_assert_str_eq(buf, "create pid 2 (sh): prog");
    put(bus, TRACE_REG_STEP, TRACE_BOOT_COOP << 8 | TRACE_STEP_BOOT);
    ck_assert_str_eq(s.asked, "boot: cooperative mode: timer left off");
    put(bus, TRACE_REG_STEP, TRACE_STEP_IDLE);
    ck_assert_str_eq(s.asked, "idle: nothing runnable, wait for interrupt");
    bus_destroy(bus);
}
END_TEST

/* The port names system calls as the kernel's list does: every line
 * "\m NAME, SYS_..., NUMBER" of SYSCALLS in guestos/include/sysnum.s, and
 * "?" past the last. */
START_TEST(syscall_names_follow_sysnum)
{
    FILE *f = fopen(TEST_SYSNUM, "r");
    char line[256], name[32];
    unsigned number, count = 0;

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, " \\m %31[a-z_], SYS_%*[A-Z_], %u", name, &number) != 2)
            continue;
        ck_assert_uint_eq(number, count);
        ck_assert_msg(strcmp(trace_syscall_name(number), name) == 0,
                      "devices/trace.h names system call %u '%s', sysnum.s '%s'", number,
                      trace_syscall_name(number), name);
        count++;
    }
    fclose(f);
    ck_assert_uint_ge(count, 12);
    ck_assert_str_eq(trace_syscall_name(count), "?");
    ck_assert_str_eq(trace_syscall_name(0xffffffu), "?");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trace");
    TCase *tc = tcase_create("trace");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, steps_have_exact_text);
    tcase_add_test(tc, no_hook_no_events_but_names);
    tcase_add_test(tc, bad_name_address_is_harmless);
    tcase_add_test(tc, names_live_until_reaped);
    tcase_add_test(tc, texts_only_for_readers);
    tcase_add_test(tc, texts_on_demand);
    tcase_add_test(tc, syscall_names_follow_sysnum);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
