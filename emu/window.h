/*
 * window.h - the SDL2 window, the headless screenshot and the JSON trace
 * export, as main.c sees them.  (Everything here works without SDL: a
 * build without SDL2 says so when --gui or --screenshot is asked for.)
 *
 *   timeline.c     the model: rows, segments, marks, protocol steps (no SDL)
 *   perfetto.c     --trace-json: the model as Chrome trace-event JSON
 *   win_session.c  options, the event observer, the headless run loop
 *   window.c       the SDL window: input, pacing, drawing (win_draw.c)
 *   win_font.c     lde's own 5x8 bitmap font;  win_png.c  PNG writer
 */
#ifndef LDE_WINDOW_H
#define LDE_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu.h"

/* getopt_long codes of the window's options (main.c lists them). */
enum win_opt {
    WIN_OPT_GUI = 512,       /* --gui[=required] */
    WIN_OPT_SCREENSHOT,      /* --screenshot FILE.png */
    WIN_OPT_SCREENSHOT_AT,   /* --screenshot-at CYCLES */
    WIN_OPT_SCREENSHOT_SPAN, /* --screenshot-span CYCLES */
    WIN_OPT_TRACE_JSON,      /* --trace-json FILE (also --perfetto FILE) */
    WIN_OPT_GUI_SCRIPT,      /* --gui-script FILE */
};
#define WIN_OPT_FIRST WIN_OPT_GUI
#define WIN_OPT_LAST  WIN_OPT_GUI_SCRIPT

/* Values of emu_options.gui. */
#define WIN_GUI_OFF      0 /* no window */
#define WIN_GUI_IF_ABLE  1 /* --gui: a window if there is a display */
#define WIN_GUI_REQUIRED 2 /* --gui=required: no display is an error */

/* Apply one window option to `o`; -1 (with a message on stderr) if bad. */
int win_option(int opt, const char *arg, struct emu_options *o);
/* The options' lines for `lde --help`. */
void win_usage(FILE *out);

struct win_session;

/* Start watching the machine as the options ask (timeline, JSON file,
 * window).  With no display and plain --gui it prints one line and goes
 * on without a window.  0 (and *ws, maybe NULL when nothing was asked),
 * or an emu_exit status with a one-line reason in err. */
int win_start(struct win_session **ws, struct emu_machine *m, const struct emu_options *o,
              char *err, size_t errlen);
/* Does the window (or a pending screenshot) drive the run?  Then main
 * calls win_run instead of its own loop. */
bool win_drives(const struct win_session *ws);
/* Run the machine until it stops, max_cycles (0 = no limit) is reached,
 * or the window is closed (CPU_STOP_REQUEST).  Writes the screenshot. */
enum cpu_stop win_run(struct win_session *ws, uint64_t max_cycles);
/* Finish the JSON file, close the window, free everything (ws may be
 * NULL).  0, or -1 after printing why writing a file failed. */
int win_finish(struct win_session *ws);

/* What the window's keys do; the monitor can call these too. */
enum win_action {
    WIN_ACT_RUN_PAUSE, /* space: run or pause */
    WIN_ACT_STEP,      /* s: one instruction */
    WIN_ACT_TO_TRAP,   /* t: run to the next trap */
    WIN_ACT_TO_RETT,   /* r: run to the next return-from-trap */
    WIN_ACT_FASTER,    /* + */
    WIN_ACT_SLOWER,    /* - */
    WIN_ACT_ZOOM_IN,   /* wheel up, up arrow, ] */
    WIN_ACT_ZOOM_OUT,  /* wheel down, down arrow, [ */
    WIN_ACT_PAN_LEFT,  /* left arrow */
    WIN_ACT_PAN_RIGHT, /* right arrow */
    WIN_ACT_FOLLOW,    /* f, End: follow the present */
    WIN_ACT_ALL,       /* a: the whole run */
    WIN_ACT_QUIT,      /* q, Escape, closing the window */
};
void win_action(struct win_session *ws, enum win_action a);

/* ---- sharing the machine with the monitor (emu/monitor_gui.c)
 *
 * With --monitor and --gui together the monitor owns the terminal and
 * calls win_frame() about 60 times a second while it waits for a command
 * line; the window's keys act on the same machine.  A stop request the
 * window did not make (the monitor's) is then not taken for Ctrl-C. */

/* Why the window paused by itself (win_take_pause). */
enum win_pause {
    WIN_PAUSE_NONE,  /* it did not */
    WIN_PAUSE_KEY,   /* space paused a run */
    WIN_PAUSE_STEP,  /* s: one instruction done */
    WIN_PAUSE_EVENT, /* t or r reached its trap or return-from-trap */
    WIN_PAUSE_END,   /* the machine stopped: halt, double fault, deadlock */
};

/* Is a window open?  (ws may be NULL.) */
bool win_has_gui(const struct win_session *ws);
/* The monitor shares the machine from now on. */
void win_share(struct win_session *ws);
/* The monitor reset the machine (or loaded another image): start the
 * timeline afresh (unless --trace-json is writing it). */
void win_restart(struct win_session *ws);
/* One frame (events, running when `advance`, drawing).  No waiting. */
void win_frame(struct win_session *ws, bool advance);
/* While a monitor command runs the machine (between two of its slices):
 * a frame if one is due - at most one per display frame, and only after
 * the guest ran at least 5 times what the last frame took.  Its events
 * are handled, except keys that run, step or pause (closing the window
 * is noted: win_closed); the --gui-script waits.  True if one was drawn. */
bool win_frame_if_due(struct win_session *ws);
/* The window runs the machine (or owes single steps). */
bool win_running(const struct win_session *ws);
/* The window was closed (q, Escape, the close button, script `close`). */
bool win_closed(const struct win_session *ws);
/* The --gui-script has lines left to play. */
bool win_script_busy(const struct win_session *ws);
/* Pause now (no report). */
void win_pause_run(struct win_session *ws);
/* Why the window paused by itself since the last call (then forgotten);
 * for WIN_PAUSE_EVENT *ev is the trap or rett, for WIN_PAUSE_END *why. */
enum win_pause win_take_pause(struct win_session *ws, struct cpu_event *ev, enum cpu_stop *why);
/* The speed in cycles per second (0 = full speed). */
uint64_t win_speed(const struct win_session *ws);
/* Set the speed to one of the listed values; -1 if `cps` is not one. */
int win_set_speed(struct win_session *ws, uint64_t cps);
/* The listed speeds as text: "1, 2, 5, ..., 1000000, full". */
void win_speed_list(char *buf, size_t len);
/* Frames drawn and cpu_run calls made so far (tests, docs/window.md). */
void win_counts(const struct win_session *ws, uint64_t *frames, uint64_t *runs);

#endif /* LDE_WINDOW_H */
