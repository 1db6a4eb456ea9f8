/*
 * test_devices.c - the bus, the timer and the console on their own,
 * driven through bus_read/bus_write with explicit virtual times.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "console.h"
#include "timer.h"

static struct bus *bus;
static struct device *timer;
static struct device *console;

/* What the devices told the CPU side. */
static struct cpu_event events[64];
static unsigned nevents;
static uint32_t hook_addr, hook_len;
static char out[64];
static size_t nout;
static int script[16];
static unsigned nscript, script_pos, get_calls;

static void on_event(void *ctx, const struct cpu_event *ev)
{
    if (nevents < 64)
        events[nevents++] = *ev;
}

static void on_ram(void *ctx, uint32_t addr, uint32_t len)
{
    hook_addr = addr;
    hook_len = len;
}

static void host_put(void *ctx, uint8_t byte)
{
    if (nout < sizeof out)
        out[nout++] = (char)byte;
}

static int host_get(void *ctx)
{
    get_calls++;
    return script_pos < nscript ? script[script_pos++] : CONSOLE_EOF;
}

static void setup(void)
{
    struct console_host host = {host_put, host_get, NULL};
    nevents = nout = nscript = script_pos = get_calls = 0;
    bus = bus_create(4096);
    ck_assert_ptr_nonnull(bus);
    timer = timer_device_create();
    console = console_create(&host);
    ck_assert_int_eq(bus_attach(bus, timer), 0);
    ck_assert_int_eq(bus_attach(bus, console), 0);
    bus_set_event_hook(bus, on_event, NULL);
}

static void teardown(void)
{
    bus_destroy(bus);
}

static uint32_t rd(uint32_t addr, uint64_t now)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_int_eq(bus_read(bus, addr, &v, now), 0);
    return v;
}

static void wr(uint32_t addr, uint32_t v, uint64_t now)
{
    ck_assert_int_eq(bus_write(bus, addr, v, now), 0);
}

/* ================================================================ bus */

START_TEST(bus_ram_and_lookup)
{
    ck_assert_uint_eq(bus_ram_size(bus), 4096);
    ck_assert_uint_eq(bus_ram(bus)[4095], 0);
    ck_assert_uint_eq(bus_device_count(bus), 2);
    ck_assert_ptr_eq(bus_device(bus, 0), timer);
    ck_assert_ptr_null(bus_device(bus, 2));
    ck_assert_ptr_eq(bus_device_named(bus, "console"), console);
    ck_assert_ptr_eq(bus_device_named(bus, "timer"), timer);
    ck_assert_ptr_null(bus_device_named(bus, "disk"));
    ck_assert_ptr_null(bus_create(0));
    ck_assert_ptr_null(bus_create(6));
}
END_TEST

START_TEST(bus_attach_rejects_bad_windows)
{
    struct device *t2 = timer_device_create();
    ck_assert_int_eq(bus_attach(bus, t2), -1); /* same window as the timer */
    t2->base = ISA_DEV_TIMER + 0x80;
    ck_assert_int_eq(bus_attach(bus, t2), -1); /* overlaps */
    t2->base = 0x1000;
    ck_assert_int_eq(bus_attach(bus, t2), -1); /* not in the device region */
    t2->base = 0xffffff80;
    ck_assert_int_eq(bus_attach(bus, t2), -1); /* runs past 2^32 */
    t2->base = 0xffffff00;
    ck_assert_int_eq(bus_attach(bus, t2), 0);
    ck_assert_uint_eq(bus_device_count(bus), 3);
}
END_TEST

START_TEST(bus_unmapped_and_misaligned)
{
    uint32_t v;
    ck_assert_int_eq(bus_read(bus, 0xf0000400, &v, 0), -1);
    ck_assert_int_eq(bus_write(bus, 0x100, 1, 0), -1); /* RAM is not on bus_read */
    ck_assert_int_eq(bus_read(bus, ISA_DEV_TIMER + 2, &v, 0), -1);
    ck_assert_int_eq(bus_read(bus, ISA_DEV_TIMER + 0x20, &v, 0), -1); /* no register */
    ck_assert_int_eq(bus_write(bus, ISA_DEV_CONSOLE + 0x40, 0, 0), -1);
}
END_TEST

START_TEST(bus_irq_lines_and_edge_events)
{
    bus_set_irq(bus, ISA_CAUSE_DISK, true, 10);
    bus_set_irq(bus, ISA_CAUSE_DISK, true, 11); /* already high: no event */
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_DISK);
    bus_set_irq(bus, ISA_CAUSE_DISK, false, 12);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
    bus_set_irq(bus, ISA_CAUSE_DISK, true, 13);
    ck_assert_uint_eq(nevents, 2);
    ck_assert_int_eq(events[0].kind, CPU_EV_IRQ);
    ck_assert_int_eq(events[0].cause, ISA_CAUSE_DISK);
    ck_assert_uint_eq(events[0].cycle, 10);
    ck_assert_uint_eq(events[1].cycle, 13);
    bus_reset(bus);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
}
END_TEST

START_TEST(bus_ram_written_calls_the_hook)
{
    bus_ram_written(bus, 8, 4); /* no hook yet: nothing happens */
    bus_set_ram_hook(bus, on_ram, NULL);
    bus_ram_written(bus, 0x40, 12);
    ck_assert_uint_eq(hook_addr, 0x40);
    ck_assert_uint_eq(hook_len, 12);
}
END_TEST

START_TEST(bus_next_event_is_the_earliest)
{
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 500, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 100);
    ck_assert_uint_eq(bus_next_event(bus), 600);
    script[nscript++] = CONSOLE_NONE;
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, ISA_CON_CTRL_RXIE, 50);
    ck_assert_uint_eq(bus_next_event(bus), 600);
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 20000, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 100);
    ck_assert_uint_eq(bus_next_event(bus), 50 + CONSOLE_POLL_CYCLES);
}
END_TEST

/* A device off the standard places (ISA_DEV_BASE + k windows) is found by
 * search, the others directly; its events count like any other's. */
START_TEST(bus_finds_devices_off_the_grid)
{
    struct device *t2 = timer_device_create();
    uint32_t v;
    t2->base = ISA_DEV_BASE + 0x240; /* in the third standard window's place, 0x40 in */
    ck_assert_int_eq(bus_attach(bus, t2), 0);
    ck_assert_int_eq(bus_write(bus, t2->base + ISA_TMR_INTERVAL, 70, 0), 0);
    ck_assert_int_eq(bus_write(bus, t2->base + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 5), 0);
    ck_assert_int_eq(bus_read(bus, t2->base + ISA_TMR_INTERVAL, &v, 6), 0);
    ck_assert_uint_eq(v, 70);
    ck_assert_uint_eq(timer_interval(timer), 0); /* the other timer did not see it */
    ck_assert_uint_eq(bus_next_event(bus), 75);
    ck_assert_int_eq(bus_read(bus, ISA_DEV_BASE + 0x200, &v, 6), -1); /* below it */
    ck_assert_int_eq(bus_read(bus, ISA_DEV_BASE + 0x23c, &v, 6), -1); /* just below it */
    ck_assert_int_eq(bus_read(bus, ISA_DEV_BASE + 0x340, &v, 6), -1); /* just past it */

    bus_advance(bus, 74); /* not due yet */
    ck_assert_int_eq(timer_pending(t2), 0);
    bus_advance(bus, 75);
    ck_assert_int_eq(timer_pending(t2), 1);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER); /* one-shot: disarmed */
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 9, 80);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 80);
    ck_assert_uint_eq(bus_next_event(bus), 89);
    bus_reset(bus);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
}
END_TEST

/* ================================================================ timer */

START_TEST(timer_one_shot)
{
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 50, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 100);
    ck_assert_uint_eq(timer_fire_cycle(timer), 150);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_COUNT, 120), 30);
    bus_advance(bus, 149);
    ck_assert_int_eq(timer_pending(timer), 0);
    bus_advance(bus, 150);
    ck_assert_int_eq(timer_pending(timer), 1);
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_TIMER);
    ck_assert_uint_eq(events[0].cycle, 150);
    ck_assert_uint_eq(timer_fire_cycle(timer), DEVICE_NEVER);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_COUNT, 160), 0);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_STATUS, 160), ISA_TMR_STATUS_PENDING);
    wr(ISA_DEV_TIMER + ISA_TMR_STATUS, 0, 161); /* bit 0 clear: no acknowledge */
    ck_assert_int_eq(timer_pending(timer), 1);
    wr(ISA_DEV_TIMER + ISA_TMR_STATUS, 1, 162);
    ck_assert_int_eq(timer_pending(timer), 0);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
}
END_TEST

START_TEST(timer_periodic_keeps_phase)
{
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 100, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC, 7);
    bus_advance(bus, 107);
    ck_assert_uint_eq(timer_fire_cycle(timer), 207);
    wr(ISA_DEV_TIMER + ISA_TMR_STATUS, 1, 150);
    bus_advance(bus, 207);
    ck_assert_uint_eq(timer_fire_cycle(timer), 307);
    /* a late look skips whole periods */
    bus_advance(bus, 555);
    ck_assert_uint_eq(timer_fire_cycle(timer), 607);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_COUNT, 600), 7);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_CTRL, 600),
                      ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC);
}
END_TEST

START_TEST(timer_catches_up_on_access)
{
    /* a read at or after the deadline sees it fired even without advance */
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 10, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 0);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_STATUS, 10), ISA_TMR_STATUS_PENDING);
}
END_TEST

START_TEST(timer_interval_zero_and_disable)
{
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 40);
    ck_assert_uint_eq(timer_fire_cycle(timer), 41);
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 40), 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, 0, 40);
    ck_assert_uint_eq(timer_fire_cycle(timer), DEVICE_NEVER);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
    wr(ISA_DEV_TIMER + ISA_TMR_COUNT, 5, 40); /* read-only, ignored */
    ck_assert_uint_eq(rd(ISA_DEV_TIMER + ISA_TMR_COUNT, 40), 0);
}
END_TEST

START_TEST(timer_reset_and_getters)
{
    wr(ISA_DEV_TIMER + ISA_TMR_INTERVAL, 3, 0);
    wr(ISA_DEV_TIMER + ISA_TMR_CTRL, ISA_TMR_CTRL_ENABLE, 0);
    bus_advance(bus, 3);
    ck_assert_uint_eq(timer_interval(timer), 3);
    bus_reset(bus);
    ck_assert_int_eq(timer_pending(timer), 0);
    ck_assert_uint_eq(timer_interval(timer), 0);
    ck_assert_uint_eq(timer_fire_cycle(timer), DEVICE_NEVER);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
    /* the getters refuse other devices */
    ck_assert_uint_eq(timer_fire_cycle(console), DEVICE_NEVER);
    ck_assert_int_eq(timer_pending(console), 0);
    ck_assert_uint_eq(timer_interval(NULL), 0);
}
END_TEST

/* ================================================================ console */

START_TEST(console_tx)
{
    wr(ISA_DEV_CONSOLE + ISA_CON_TX, 'o', 0);
    wr(ISA_DEV_CONSOLE + ISA_CON_TX, 0x4b, 0);
    ck_assert_uint_eq(nout, 2);
    ck_assert_int_eq(memcmp(out, "oK", 2), 0);
    ck_assert_uint_eq(get_calls, 0); /* output never pulls input */
}
END_TEST

START_TEST(console_rx_pulls_on_demand)
{
    script[nscript++] = CONSOLE_NONE;
    script[nscript++] = 'q';
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 0), 0);
    ck_assert_uint_eq(get_calls, 1);
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 0), ISA_CON_STATUS_RXREADY);
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 0), ISA_CON_STATUS_RXREADY);
    ck_assert_uint_eq(get_calls, 2); /* buffered: no more asking */
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_RX, 0), 'q');
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 0), ISA_CON_STATUS_EOF);
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_RX, 0), 0xffffffff);
    ck_assert_uint_eq(get_calls, 3); /* after EOF the host is not asked again */
}
END_TEST

START_TEST(console_rx_interrupt)
{
    script[nscript++] = CONSOLE_NONE;
    script[nscript++] = 'k';
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, ISA_CON_CTRL_RXIE, 5);
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_CTRL, 5), ISA_CON_CTRL_RXIE);
    ck_assert_uint_eq(bus_next_event(bus), 5 + CONSOLE_POLL_CYCLES);
    bus_advance(bus, 5 + CONSOLE_POLL_CYCLES);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
    ck_assert_uint_eq(bus_next_event(bus), 5 + 2 * CONSOLE_POLL_CYCLES);
    bus_advance(bus, 5 + 2 * CONSOLE_POLL_CYCLES);
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_CONSOLE);
    ck_assert_uint_eq(events[0].cycle, 5 + 2 * CONSOLE_POLL_CYCLES);
    ck_assert_int_eq(events[0].cause, ISA_CAUSE_CONSOLE);
    /* reading the byte lowers the line */
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_RX, 20010), 'k');
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
    /* disabling RXIE stops the polling */
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, 0, 20011);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
}
END_TEST

START_TEST(console_rxie_with_byte_waiting_raises_at_once)
{
    script[nscript++] = 'w';
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 1), ISA_CON_STATUS_RXREADY);
    ck_assert_uint_eq(bus_irq_lines(bus), 0); /* RXIE off */
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, ISA_CON_CTRL_RXIE, 2);
    ck_assert_uint_eq(bus_irq_lines(bus), 1u << ISA_CAUSE_CONSOLE);
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, 0, 3);
    ck_assert_uint_eq(bus_irq_lines(bus), 0);
}
END_TEST

START_TEST(console_eof_stops_polling)
{
    wr(ISA_DEV_CONSOLE + ISA_CON_CTRL, ISA_CON_CTRL_RXIE, 0);
    bus_advance(bus, CONSOLE_POLL_CYCLES); /* the script is empty: EOF */
    ck_assert_uint_eq(get_calls, 1);
    ck_assert_uint_eq(bus_next_event(bus), DEVICE_NEVER);
    ck_assert_uint_eq(rd(ISA_DEV_CONSOLE + ISA_CON_STATUS, 0), ISA_CON_STATUS_EOF);
}
END_TEST

START_TEST(console_without_host)
{
    struct device *c = console_create(NULL);
    c->base = 0xf0000800;
    ck_assert_int_eq(bus_attach(bus, c), 0);
    wr(0xf0000800 + ISA_CON_TX, 'x', 0); /* output is dropped */
    ck_assert_uint_eq(rd(0xf0000800 + ISA_CON_RX, 0), 0xffffffff);
    ck_assert_uint_eq(rd(0xf0000800 + ISA_CON_STATUS, 0), 0);
}
END_TEST

static Suite *devices_suite(void)
{
    Suite *s = suite_create("devices");
    TCase *tc = tcase_create("bus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bus_ram_and_lookup);
    tcase_add_test(tc, bus_attach_rejects_bad_windows);
    tcase_add_test(tc, bus_unmapped_and_misaligned);
    tcase_add_test(tc, bus_irq_lines_and_edge_events);
    tcase_add_test(tc, bus_ram_written_calls_the_hook);
    tcase_add_test(tc, bus_next_event_is_the_earliest);
    tcase_add_test(tc, bus_finds_devices_off_the_grid);
    suite_add_tcase(s, tc);
    tc = tcase_create("timer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, timer_one_shot);
    tcase_add_test(tc, timer_periodic_keeps_phase);
    tcase_add_test(tc, timer_catches_up_on_access);
    tcase_add_test(tc, timer_interval_zero_and_disable);
    tcase_add_test(tc, timer_reset_and_getters);
    suite_add_tcase(s, tc);
    tc = tcase_create("console");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, console_tx);
    tcase_add_test(tc, console_rx_pulls_on_demand);
    tcase_add_test(tc, console_rx_interrupt);
    tcase_add_test(tc, console_rxie_with_byte_waiting_raises_at_once);
    tcase_add_test(tc, console_eof_stops_polling);
    tcase_add_test(tc, console_without_host);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(devices_suite());
    srunner_run_all(sr, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
