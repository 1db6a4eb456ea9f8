/*
 * win_internal.h - what the window's files share (not for main.c): the
 * session, the view of the timeline, the speeds, and the functions the
 * SDL part (window.c, or win_nogui.c in a build without SDL) provides.
 */
#ifndef LDE_WIN_INTERNAL_H
#define LDE_WIN_INTERNAL_H

#include "device.h"
#include "perfetto.h"
#include "timeline.h"
#include "window.h"

#define WIN_W          1280 /* logical size of the window and the screenshot */
#define WIN_H          800
#define WIN_MIN_SPAN   16         /* narrowest view: a few instructions */
#define WIN_SPAN       2048       /* default view width in cycles */
#define WIN_SEGMENTS   (1u << 18) /* segments and marks the model keeps */
#define WIN_SPEED_FULL 0          /* speed value: as fast as the host can */

/* Which part of the run the timeline shows. */
struct win_view {
    uint64_t end;  /* cycle at the right edge */
    uint64_t span; /* cycles across the plot */
    bool follow;   /* end follows the present */
};

enum win_stop_on {
    WIN_STOP_NONE, /* run freely */
    WIN_STOP_TRAP, /* pause at the next trap */
    WIN_STOP_RETT, /* pause at the next return-from-trap */
};

struct win_gui; /* the SDL window, in window.c */

struct win_session {
    struct emu_machine *m;           /* the machine watched */
    const struct emu_options *o;     /* the command line */
    struct tl_model tl;              /* the timeline */
    struct pf_writer pf;             /* --trace-json output */
    bool json;                       /* pf is open */
    struct device *trace_dev;        /* the kernel trace port, or NULL */
    const struct device *timer_dev;  /* the timer, or NULL */
    struct win_gui *gui;             /* the window, or NULL */
    bool shot_pending;               /* --screenshot not written yet */
    bool shot_failed;                /* ... and could not be written */
    bool running;                    /* the machine runs (else paused) */
    unsigned speed;                  /* index into win_speeds */
    enum win_stop_on stop_on;        /* pause at the next trap / rett */
    bool stop_hit;                   /* that event happened */
    unsigned steps_pending;          /* single steps asked for */
    bool quit;                       /* the window was closed */
    struct win_view view;            /* the timeline's visible part */
    uint32_t before_regs[ISA_NREGS]; /* registers before the last run/step (headless: trap/rett) */
    uint32_t before_crs[ISA_NCRS];   /* control registers likewise */
    uint64_t max_cycles;             /* --max-cycles (0 = no limit) */
    bool ended;                      /* the machine stopped (halt, max cycles, ...) */
    enum cpu_stop end_why;           /* why, once ended */
    bool monitor;                    /* the monitor shares the machine (win_share) */
    enum win_pause pause;            /* why the window last paused by itself */
    struct cpu_event pause_ev;       /* WIN_PAUSE_EVENT: the trap or rett reached */
    uint64_t frames;                 /* frames drawn (win_counts) */
    uint64_t runs;                   /* cpu_run and cpu_step calls made by the window */
};

/* Cycles per second of each speed, slowest first; WIN_SPEED_FULL last. */
extern const uint64_t win_speeds[];
extern const unsigned win_nspeeds;

/* Remember registers, to highlight what the next run or step changes. */
void win_snapshot(struct win_session *ws);
/* The view's cycle at the right edge (the present when following). */
uint64_t win_view_end(const struct win_session *ws);

/* ---- provided by window.c (or win_nogui.c) */

/* Open the window; NULL with a one-line reason when there is no display. */
struct win_gui *win_gui_open(struct win_session *ws, char *err, size_t errlen);
void win_gui_close(struct win_gui *g);
/* Run with the window until the machine stops, ws->max_cycles or quit. */
enum cpu_stop win_gui_loop(struct win_session *ws);
/* One frame: the script's next action, the window's events, this frame's
 * share of running (when `advance`), drawing.  No waiting. */
void win_gui_frame(struct win_session *ws, bool advance);
/* While the monitor runs the machine: events and drawing if a frame is
 * due (no running, no script); true if one was drawn. */
bool win_gui_busy_frame(struct win_session *ws);
/* Has the --gui-script (if any) no more lines to play? */
bool win_gui_script_done(const struct win_gui *g);
/* Render the window's picture offscreen into a PNG. 0 or -1 with reason. */
int win_gui_screenshot(struct win_session *ws, const char *path, char *err, size_t errlen);

/* ---- layout of the picture (docs/window.md), shared with the tests */

#define WIN_PLOT_X0 120 /* timeline plot: left edge */
#define WIN_PLOT_X1 852 /* right edge (exclusive) */
#define WIN_PLOT_Y0 92  /* top of the first row */
#define WIN_PLOT_Y1 492 /* bottom of the last row */
#define WIN_ROW_MAX 56  /* tallest row pitch */

/* x of `cycle` in a view [end - span, end] (may lie outside the plot). */
static inline long win_x_of(uint64_t cycle, uint64_t end, uint64_t span)
{
    double f = ((double)cycle - ((double)end - (double)span)) / (double)span;
    return WIN_PLOT_X0 + (long)(f * (WIN_PLOT_X1 - WIN_PLOT_X0));
}

/* The bar of `row` among `nrows`: processes from the top, kernel last. */
static inline void win_row_box(unsigned row, unsigned nrows, int *y, int *h)
{
    int pitch = (WIN_PLOT_Y1 - WIN_PLOT_Y0) / (int)nrows;
    unsigned slot = row == TL_ROW_KERNEL ? nrows - 1 : row - 1;

    pitch = pitch > WIN_ROW_MAX ? WIN_ROW_MAX : pitch;
    *y = WIN_PLOT_Y0 + (int)slot * pitch + pitch / 6;
    *h = pitch - 2 * (pitch / 6) > 1 ? pitch - 2 * (pitch / 6) : 1;
}

/* Colours, 0xRRGGBB (docs/window.md lists them). */
#define WIN_RGB_BG      0x16181du /* window background */
#define WIN_RGB_PANEL   0x1f2229u /* panel background */
#define WIN_RGB_STRIPE  0x272b34u /* row background */
#define WIN_RGB_TEXT    0xd8dee9u /* text */
#define WIN_RGB_DIM     0x8a93a6u /* secondary text, axis */
#define WIN_RGB_CHANGED 0xffd54fu /* a register the last run or step changed */
#define WIN_RGB_RETT    0xeceff1u /* return-from-trap arrows */
#define WIN_RGB_NOW     0xffffffu /* the present */
#define WIN_RGB_LIT     0x3949abu /* the current protocol step's background */

/* Kernel bars by tl_reason_group: syscall amber, timer red, device
 * interrupt purple (orange was too near amber), fault magenta, boot grey. */
static inline uint32_t win_rgb_reason(unsigned reason)
{
    switch (tl_reason_group(reason)) {
    case 0:
        return 0xffb300u;
    case 1:
        return 0xe53935u;
    case 2:
        return 0x9575cdu;
    case 3:
        return 0xd81b60u;
    default:
        return 0x90a4aeu;
    }
}

/* User bars: process rows 1, 2, 3, ... take green, blue, cyan, lime,
 * indigo, teal in turn. */
static inline uint32_t win_rgb_user(unsigned row)
{
    static const uint32_t palette[6] = {0x43a047u, 0x1e88e5u, 0x00acc1u,
                                        0x7cb342u, 0x5c6bc0u, 0x26a69au};
    return palette[(row + 5u) % 6u];
}

static inline uint32_t win_rgb_segment(const struct tl_segment *s)
{
    return s->kind == TL_KERNEL ? win_rgb_reason(s->reason) : win_rgb_user(s->row);
}

#endif /* LDE_WIN_INTERNAL_H */
