/*
 * monitor_gui.c - the monitor and the window on the same machine
 * (`lde --gui --monitor`, docs/monitor.md "The window and the monitor together").
 *
 * The terminal keeps the monitor's prompt; the window shows the machine
 * and takes its keys.  While the monitor waits for a line, readline's
 * callback interface reads the terminal a byte at a time (poll on stdin)
 * and the window gets a frame about 60 times a second: its events, its
 * share of running when its run is going, and drawing.  When the window
 * pauses by itself (s, t, r, space, a halt) the monitor reports the stop
 * above the prompt, as it reports its own.  The `gui` command does what
 * the window's keys do.  A monitor command that runs the guest (step,
 * continue, ...) pauses the window's run first; while it runs, the window
 * is redrawn between its slices (mon_gui_during_run, at most once per
 * display frame) and closing it stops the run; it is redrawn again when
 * the command ends.
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <readline/readline.h>

#include "monitor_gui.h"
#include "window.h"

#define FRAME_MS 16 /* a frame about 60 times a second */

static struct win_session *gui;               /* the window shared, or NULL */
static volatile sig_atomic_t prompt_sigint;   /* Ctrl-C while no command runs */
static struct mon_snapshot idle_regs;         /* registers while the window stood still */
static bool reporting;                        /* inside a report (its displays) */
static struct mon *line_mon;                  /* the session the prompt reads for */
static void (*line_cb)(struct mon *, char *); /* runs a line */
static bool line_eof;                         /* Ctrl-D at the prompt */
static uint64_t last_cycle;                   /* virtual time at the last frame */

void mon_use_window(struct win_session *ws)
{
    if (win_has_gui(ws)) {
        gui = ws;
        win_share(ws);
    }
}

bool mon_gui_active(void)
{
    return gui != NULL;
}

void mon_gui_sigint(void)
{
    prompt_sigint = 1;
}

static uint64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* One frame.  While the window stands still remember the registers: a
 * report of its next stop marks what its run changed.  Time going back
 * means the monitor reset the machine: the timeline starts again. */
static void frame(struct mon *mon, bool advance)
{
    if (cpu_cycles(mon->cpu) < last_cycle) {
        win_restart(gui); /* reset or load: time starts again */
    }
    if (!win_running(gui)) {
        mon_snapshot_take(mon, &idle_regs);
    }
    win_frame(gui, advance);
    last_cycle = cpu_cycles(mon->cpu);
}

static const char *speed_text(char *buf, size_t len)
{
    if (win_speed(gui) == 0) {
        return "full speed";
    }
    snprintf(buf, len, "%" PRIu64 " cycles/s", win_speed(gui));
    return buf;
}

/* The reason line for a stop the window made by itself. */
static void pause_reason(struct mon *mon, enum win_pause p, const struct cpu_event *ev,
                         enum cpu_stop why)
{
    char *r = mon->reason;
    size_t n = sizeof mon->reason;

    if (p == WIN_PAUSE_KEY) {
        snprintf(r, n, "window: paused");
    } else if (p == WIN_PAUSE_STEP) {
        snprintf(r, n, "window: step");
    } else if (p == WIN_PAUSE_EVENT && ev->kind == CPU_EV_TRAP) {
        snprintf(r, n,
                 "window: trap %s taken (%s -> kernel), saved pc 0x%08" PRIx32
                 ", frame at 0x%08" PRIx32,
                 cpu_cause_name(ev->cause), cpu_mode_name(ev->from), ev->pc, ev->frame);
    } else if (p == WIN_PAUSE_EVENT) {
        snprintf(r, n, "window: rett (%s -> %s), frame 0x%08" PRIx32 " popped",
                 cpu_mode_name(ev->from), cpu_mode_name(ev->to), ev->frame);
    } else if (why == CPU_STOP_HALT) {
        snprintf(r, n, "window: halted: the guest executed halt, code %" PRIu32,
                 cpu_halt_code(mon->cpu));
    } else if (why == CPU_STOP_DOUBLE_FAULT) {
        snprintf(r, n, "window: halted: %s",
                 mon->m->halt_text[0] ? mon->m->halt_text : "double fault");
    } else if (why == CPU_STOP_DEADLOCK) {
        snprintf(r, n, "window: deadlock: wfi with no interrupt to come (reset to start again)");
    } else {
        snprintf(r, n, "window: stopped");
    }
}

/* Report why the window paused by itself, if it did; above the prompt
 * when readline is showing one. */
static bool report_pause(struct mon *mon, bool at_prompt)
{
    struct cpu_event ev;
    enum cpu_stop why;
    enum win_pause p = win_take_pause(gui, &ev, &why);

    if (p == WIN_PAUSE_NONE) {
        return false;
    }
    if (at_prompt) {
        rl_clear_visible_line();
    }
    pause_reason(mon, p, &ev, why);
    mon->last_stop = why;
    mon->before = idle_regs;
    reporting = true;
    mon_report_stop(mon);
    reporting = false;
    fflush(stdout);
    if (at_prompt) {
        rl_on_new_line();
        rl_redisplay();
    }
    return true;
}

/* The window was closed: the session ends, as with quit. */
static bool check_closed(struct mon *mon)
{
    if (!win_closed(gui)) {
        return false;
    }
    if (!mon->quit) {
        printf("the window was closed: leaving lde\n");
        mon->quit = true;
    }
    return true;
}

/* Ctrl-C stopped the window's run: say where. */
static void report_interrupt(struct mon *mon, bool at_prompt)
{
    struct cpu_event ev;
    enum cpu_stop why;

    win_pause_run(gui);
    win_take_pause(gui, &ev, &why);
    if (at_prompt) {
        rl_clear_visible_line();
    }
    snprintf(mon->reason, sizeof mon->reason, "window: interrupted (Ctrl-C)");
    mon->before = idle_regs;
    mon_report_stop(mon);
    fflush(stdout);
    if (at_prompt) {
        rl_on_new_line();
        rl_redisplay();
    }
}

/* Give the window frames until it stands still with its script played,
 * reporting each stop it makes; Ctrl-C pauses it. */
static void wait_still(struct mon *mon)
{
    prompt_sigint = 0;
    while (!check_closed(mon) && emu_quit_signal == 0 &&
           (win_running(gui) || win_script_busy(gui))) {
        uint64_t start = now_ms(), took;
        frame(mon, true);
        report_pause(mon, false);
        if (prompt_sigint) {
            prompt_sigint = 0;
            report_interrupt(mon, false);
            return;
        }
        took = now_ms() - start;
        if (took < FRAME_MS) {
            poll(NULL, 0, (int)(FRAME_MS - took));
        }
    }
}

void mon_gui_before_run(struct mon *mon)
{
    struct cpu_event ev;
    enum cpu_stop why;

    (void)mon;
    if (gui != NULL && win_running(gui)) {
        win_pause_run(gui);
        win_take_pause(gui, &ev, &why);
    }
}

bool mon_gui_during_run(void)
{
    bool drawn = win_frame_if_due(gui);

    if (win_closed(gui)) {
        mon_interrupted = 1; /* as Ctrl-C: the run stops at this boundary */
    }
    return drawn;
}

bool mon_gui_closed(void)
{
    return gui != NULL && win_closed(gui);
}

void mon_gui_after_command(struct mon *mon)
{
    if (gui == NULL || reporting || check_closed(mon)) {
        return;
    }
    frame(mon, false);
    report_pause(mon, false);
    check_closed(mon);
}

/* ---- the prompt */

static void on_line(char *line)
{
    if (line == NULL) {
        line_eof = true;
        putchar('\n'); /* Ctrl-D: end the prompt's line */
        rl_callback_handler_remove();
        return;
    }
    line_cb(line_mon, line);
    free(line);
    if (line_mon->quit) {
        rl_callback_handler_remove();
    }
}

/* Ctrl-C at the prompt: stop the window's run, or drop the line typed. */
static void prompt_interrupt(struct mon *mon)
{
    prompt_sigint = 0;
    if (win_running(gui)) {
        report_interrupt(mon, true);
        return;
    }
    rl_callback_sigcleanup();
    rl_replace_line("", 0);
    rl_crlf();
    rl_on_new_line();
    rl_redisplay();
}

void mon_gui_prompt(struct mon *mon, const char *prompt, void (*line_fn)(struct mon *, char *))
{
    int catch_signals = rl_catch_signals;
    uint64_t next = now_ms();

    line_mon = mon;
    line_cb = line_fn;
    line_eof = false;
    rl_catch_signals = 0; /* Ctrl-C stays the monitor's (mon_gui_sigint) */
    rl_callback_handler_install(prompt, on_line);
    while (!mon->quit && !line_eof && emu_quit_signal == 0) {
        struct pollfd in = {STDIN_FILENO, POLLIN, 0};
        uint64_t t = now_ms();
        if (poll(&in, 1, next > t ? (int)(next - t) : 0) > 0) {
            rl_callback_read_char();
        }
        if (prompt_sigint) {
            prompt_interrupt(mon);
        }
        if (!mon->quit && !line_eof && now_ms() >= next) {
            next = now_ms() + FRAME_MS;
            frame(mon, true);
            report_pause(mon, true);
            if (win_closed(gui)) {
                rl_clear_visible_line();
                check_closed(mon);
                rl_callback_handler_remove();
            }
        }
    }
    if (!mon->quit && !line_eof) { /* a quit signal: mon_run says so */
        rl_clear_visible_line();
        rl_callback_handler_remove();
    }
    rl_catch_signals = catch_signals;
}

/* ---- the command */

static int gui_status(void)
{
    char speed[40];

    printf("window: %s, %s\n", win_running(gui) ? "running" : "paused",
           speed_text(speed, sizeof speed));
    return 0;
}

static int gui_speed(const char *arg)
{
    char list[160], speed[40];
    char *end;
    unsigned long long v = strcmp(arg, "full") == 0 ? 0 : strtoull(arg, &end, 10);

    if ((strcmp(arg, "full") != 0 && (arg[0] < '0' || arg[0] > '9' || *end != '\0')) ||
        win_set_speed(gui, v) != 0) {
        win_speed_list(list, sizeof list);
        mon_error("gui speed: expected one of %s (cycles per second), got '%s'", list, arg);
        return -1;
    }
    printf("window: now at %s\n", speed_text(speed, sizeof speed));
    return 0;
}

/* run, pause, step, trap, rett, faster, slower, wait: the window's keys. */
static int gui_act(struct mon *mon, const char *w)
{
    char speed[40];

    if (strcmp(w, "run") == 0) {
        if (!win_running(gui)) {
            win_action(gui, WIN_ACT_RUN_PAUSE);
        }
        printf("window: running at %s (gui pause or Ctrl-C stops it)\n",
               speed_text(speed, sizeof speed));
    } else if (strcmp(w, "pause") == 0) {
        win_pause_run(gui);
        snprintf(mon->reason, sizeof mon->reason, "window: paused");
        mon->before = idle_regs;
        mon_report_stop(mon);
    } else if (strcmp(w, "step") == 0 || strcmp(w, "trap") == 0 || strcmp(w, "rett") == 0) {
        win_pause_run(gui);
        mon_snapshot_take(mon, &idle_regs);
        win_action(gui, w[0] == 's'   ? WIN_ACT_STEP
                        : w[0] == 't' ? WIN_ACT_TO_TRAP
                                      : WIN_ACT_TO_RETT);
        wait_still(mon);
    } else if (strcmp(w, "faster") == 0 || strcmp(w, "slower") == 0) {
        win_action(gui, w[0] == 'f' ? WIN_ACT_FASTER : WIN_ACT_SLOWER);
        printf("window: now at %s\n", speed_text(speed, sizeof speed));
    } else if (strcmp(w, "wait") == 0) {
        wait_still(mon);
    } else {
        mon_error("gui: expected run, pause, step, trap, rett, faster, slower, speed N or wait");
        return -1;
    }
    return 0;
}

int mon_cmd_gui(struct mon *mon, int argc, char **argv)
{
    if (gui == NULL) {
        mon_error("gui: no window (start lde with both --gui and --monitor, on a display)");
        return -1;
    }
    if (argc == 1) {
        return gui_status();
    }
    if (strcmp(argv[1], "speed") == 0) {
        if (argc != 3) {
            mon_error("gui speed: expected a number of cycles per second or 'full'");
            return -1;
        }
        return gui_speed(argv[2]);
    }
    if (argc > 2) {
        mon_error("gui %s: takes no arguments", argv[1]);
        return -1;
    }
    return gui_act(mon, argv[1]);
}
