/*
 * win_session.c - the window's options, the observer that feeds the
 * timeline, the controls (win_action), and the run loop used when a
 * screenshot is due but no window is open.  No SDL here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "timer.h"
#include "win_internal.h"
#ifdef LDE_HAVE_TRACE
#include "trace.h"
#endif

#define WIN_CHUNK (1ull << 22) /* cycles per cpu_run between checks */

/* Slow motion (a few instructions a second) up to full speed. */
const uint64_t win_speeds[] = {1, 2, 5, 10, 30, 100, 1000, 10000, 100000, 1000000, WIN_SPEED_FULL};
const unsigned win_nspeeds = sizeof win_speeds / sizeof win_speeds[0];

static int parse_cycles(const char *name, const char *arg, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = arg[0] >= '0' && arg[0] <= '9' ? strtoull(arg, &end, emu_number_base(arg)) : 0;
    if (arg[0] < '0' || arg[0] > '9' || errno != 0 || *end != '\0') {
        fprintf(stderr, "lde: %s: expected a number of cycles, got '%s'\n", name, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int win_option(int opt, const char *arg, struct emu_options *o)
{
    switch (opt) {
    case WIN_OPT_GUI:
        if (arg != NULL && strcmp(arg, "required") != 0) {
            fprintf(stderr, "lde: --gui: expected nothing or '=required', got '%s'\n", arg);
            return -1;
        }
        o->gui = arg != NULL ? WIN_GUI_REQUIRED : WIN_GUI_IF_ABLE;
        return 0;
    case WIN_OPT_SCREENSHOT:
        o->screenshot_path = arg;
        return 0;
    case WIN_OPT_SCREENSHOT_AT:
        return parse_cycles("--screenshot-at", arg, &o->screenshot_at);
    case WIN_OPT_SCREENSHOT_SPAN:
        if (parse_cycles("--screenshot-span", arg, &o->screenshot_span) != 0) {
            return -1;
        }
        if (o->screenshot_span < WIN_MIN_SPAN) {
            fprintf(stderr, "lde: --screenshot-span: at least %d cycles\n", WIN_MIN_SPAN);
            return -1;
        }
        return 0;
    case WIN_OPT_TRACE_JSON:
        o->trace_json_path = arg;
        return 0;
    default:
        o->gui_script = arg;
        return 0;
    }
}

void win_usage(FILE *out)
{
    fputs("\nwindow and timeline (docs/window.md):\n"
          "  --gui[=required]  open a window with the user/kernel timeline (with no\n"
          "                    display: a note and run on; =required: an error)\n"
          "                    with --monitor: the window and the prompt together,\n"
          "                    the monitor's gui command does what its keys do\n"
          "  --screenshot FILE.png   draw the window offscreen into FILE.png\n"
          "  --screenshot-at N       ... at cycle N (default: when the run ends)\n"
          "  --screenshot-span N     ... showing the last N cycles (default 2048)\n"
          "  --trace-json FILE the timeline as Chrome trace-event JSON (Perfetto);\n"
          "                    --perfetto FILE is the same\n"
          "  --gui-script FILE replay window actions from FILE (tests)\n",
          out);
}

/* ---- the observer */

static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct win_session *ws = ctx;

    tl_event(&ws->tl, ev);
    /* A screenshot without a window has no run or step of its own to
     * compare with: its yellow registers are those changed since the last
     * trap or return-from-trap (what the handler, or the process, did). */
    if (ws->gui == NULL && (ev->kind == CPU_EV_TRAP || ev->kind == CPU_EV_RETT)) {
        win_snapshot(ws);
    }
    if ((ws->stop_on == WIN_STOP_TRAP && ev->kind == CPU_EV_TRAP) ||
        (ws->stop_on == WIN_STOP_RETT && ev->kind == CPU_EV_RETT)) {
        ws->stop_hit = true;
        ws->pause_ev = *ev;
        cpu_request_stop(ws->m->cpu);
    }
}

#ifdef LDE_HAVE_TRACE
static const char *name_of(void *ctx, uint32_t pid)
{
    return trace_name_of(ctx, pid);
}

/* The port's sentence of a rare step, made only when the timeline asks:
 * the window no longer has every event worded (trace_want_text). */
static void step_text_of(void *ctx, uint32_t code, char *buf, size_t len)
{
    trace_step_text(ctx, code, buf, len);
}
#endif

void win_snapshot(struct win_session *ws)
{
    for (unsigned r = 0; r < ISA_NREGS; r++) {
        ws->before_regs[r] = cpu_reg(ws->m->cpu, r);
    }
    for (unsigned c = 0; c < ISA_NCRS; c++) {
        ws->before_crs[c] = cpu_cr(ws->m->cpu, (enum isa_cr)c);
    }
}

uint64_t win_view_end(const struct win_session *ws)
{
    return ws->view.follow ? cpu_cycles(ws->m->cpu) : ws->view.end;
}

/* ---- controls */

/* Zoom by a factor of 2 around the right edge, between a few
 * instructions and the whole run. */
static void zoom(struct win_session *ws, bool in)
{
    uint64_t whole = cpu_cycles(ws->m->cpu) + 1;

    if (in) {
        ws->view.span = ws->view.span / 2 < WIN_MIN_SPAN ? WIN_MIN_SPAN : ws->view.span / 2;
    } else if (ws->view.span < whole) {
        ws->view.span *= 2;
    }
}

static void pan(struct win_session *ws, bool left)
{
    uint64_t end = win_view_end(ws), step = ws->view.span / 4 + 1;
    uint64_t now = cpu_cycles(ws->m->cpu);

    ws->view.follow = false;
    ws->view.end = left ? (end > ws->view.span + step ? end - step : ws->view.span)
                        : (end + step >= now ? now : end + step);
    if (!left && ws->view.end == now) {
        ws->view.follow = true;
    }
}

/* A key that runs the machine: with the monitor, which can reset a halted
 * machine, try again (a machine still halted stops at once). */
static void resume(struct win_session *ws)
{
    if (ws->monitor) {
        ws->ended = false;
    }
}

void win_action(struct win_session *ws, enum win_action a)
{
    switch (a) {
    case WIN_ACT_RUN_PAUSE:
        ws->running = !ws->running;
        ws->stop_on = WIN_STOP_NONE;
        if (ws->running) {
            resume(ws);
        } else {
            ws->pause = WIN_PAUSE_KEY;
        }
        break;
    case WIN_ACT_STEP:
        resume(ws);
        ws->running = false;
        ws->steps_pending++;
        break;
    case WIN_ACT_TO_TRAP:
    case WIN_ACT_TO_RETT:
        resume(ws);
        ws->stop_on = a == WIN_ACT_TO_TRAP ? WIN_STOP_TRAP : WIN_STOP_RETT;
        ws->stop_hit = false;
        ws->running = true;
        break;
    case WIN_ACT_FASTER:
        ws->speed = ws->speed + 1 < win_nspeeds ? ws->speed + 1 : ws->speed;
        break;
    case WIN_ACT_SLOWER:
        ws->speed = ws->speed > 0 ? ws->speed - 1 : 0;
        break;
    case WIN_ACT_ZOOM_IN:
    case WIN_ACT_ZOOM_OUT:
        zoom(ws, a == WIN_ACT_ZOOM_IN);
        break;
    case WIN_ACT_PAN_LEFT:
    case WIN_ACT_PAN_RIGHT:
        pan(ws, a == WIN_ACT_PAN_LEFT);
        break;
    case WIN_ACT_FOLLOW:
        ws->view.follow = true;
        break;
    case WIN_ACT_ALL:
        ws->view.follow = true;
        ws->view.span =
            cpu_cycles(ws->m->cpu) > WIN_MIN_SPAN ? cpu_cycles(ws->m->cpu) : WIN_MIN_SPAN;
        break;
    case WIN_ACT_QUIT:
        ws->quit = true;
        cpu_request_stop(ws->m->cpu);
        break;
    }
}

/* ---- start, run, finish */

static int open_window(struct win_session *ws, char *err, size_t errlen)
{
    char why[200] = "";

    ws->gui = win_gui_open(ws, why, sizeof why);
    if (ws->gui != NULL) {
        return 0;
    }
    if (ws->o->gui == WIN_GUI_REQUIRED) {
        snprintf(err, errlen, "--gui=required: %s", why);
        return EMU_EXIT_HOST;
    }
    fprintf(stderr, "lde: --gui: %s; running without the window\n", why);
    return 0;
}

int win_start(struct win_session **out, struct emu_machine *m, const struct emu_options *o,
              char *err, size_t errlen)
{
    struct win_session *ws;

    *out = NULL;
    if (o->gui == WIN_GUI_OFF && o->screenshot_path == NULL && o->trace_json_path == NULL) {
        return 0;
    }
    ws = calloc(1, sizeof *ws);
    if (ws == NULL || tl_init(&ws->tl, WIN_SEGMENTS) != 0) {
        free(ws);
        snprintf(err, errlen, "out of memory for the timeline");
        return EMU_EXIT_HOST;
    }
    *out = ws;
    ws->m = m;
    ws->o = o;
    ws->trace_dev = bus_device_named(m->bus, "trace");
    ws->timer_dev = bus_device_named(m->bus, "timer");
#ifdef LDE_HAVE_TRACE
    if (ws->trace_dev != NULL) {
        tl_set_names(&ws->tl, name_of, ws->trace_dev);
        tl_set_texts(&ws->tl, step_text_of, ws->trace_dev);
    }
#endif
    ws->speed = win_nspeeds - 1;
    ws->running = true;
    ws->view = (struct win_view){0, o->screenshot_span ? o->screenshot_span : WIN_SPAN, true};
    ws->shot_pending = o->screenshot_path != NULL;
    win_snapshot(ws);
    if (emu_machine_observe(m, on_event, ws) != 0) {
        snprintf(err, errlen, "too many observers of the machine");
        return EMU_EXIT_HOST;
    }
    if (o->trace_json_path != NULL) {
        if (pf_open(&ws->pf, &ws->tl, o->trace_json_path, err, errlen) != 0) {
            return EMU_EXIT_HOST;
        }
        ws->json = true;
    }
    return o->gui != WIN_GUI_OFF ? open_window(ws, err, errlen) : 0;
}

bool win_drives(const struct win_session *ws)
{
    return ws != NULL && (ws->gui != NULL || ws->shot_pending);
}

/* Write the screenshot now (once); a failure is reported, not fatal. */
static void take_screenshot(struct win_session *ws)
{
    char err[300] = "";

    ws->shot_pending = false;
    if (win_gui_screenshot(ws, ws->o->screenshot_path, err, sizeof err) != 0) {
        fprintf(stderr, "lde: --screenshot: %s\n", err);
        ws->shot_failed = true; /* win_finish: exit status 126 */
    }
}

/* Run up to cycle `target` (0 = no limit) or a stop; BUDGET at target. */
static enum cpu_stop run_until(struct win_session *ws, uint64_t target)
{
    struct cpu *cpu = ws->m->cpu;

    for (;;) {
        uint64_t now = cpu_cycles(cpu), budget = WIN_CHUNK;
        enum cpu_stop why;
        if (target != 0 && now >= target) {
            return CPU_STOP_BUDGET;
        }
        if (target != 0 && target - now < budget) {
            budget = target - now;
        }
        why = cpu_run(cpu, budget);
        fflush(stdout);
        if (why != CPU_STOP_BUDGET) {
            return why;
        }
    }
}

/* Headless: run to the screenshot's cycle, take it, run on. */
static enum cpu_stop run_headless(struct win_session *ws, uint64_t max_cycles)
{
    uint64_t at = ws->o->screenshot_at;
    enum cpu_stop why = CPU_STOP_BUDGET;

    if (at != 0 && (max_cycles == 0 || at <= max_cycles)) {
        why = at > 1 ? run_until(ws, at - 1) : CPU_STOP_BUDGET;
        if (why == CPU_STOP_BUDGET) {
            win_snapshot(ws); /* highlight what the last instruction changes */
            why = cpu_step(ws->m->cpu);
        }
        if (why == CPU_STOP_BUDGET) {
            take_screenshot(ws);
            why = run_until(ws, max_cycles);
        }
    } else {
        why = run_until(ws, max_cycles);
    }
    if (ws->shot_pending) {
        take_screenshot(ws);
    }
    return why;
}

enum cpu_stop win_run(struct win_session *ws, uint64_t max_cycles)
{
    ws->max_cycles = max_cycles;
    if (ws->gui != NULL) {
        return win_gui_loop(ws);
    }
    return run_headless(ws, max_cycles);
}

/* ---- sharing the machine with the monitor */

bool win_has_gui(const struct win_session *ws)
{
    return ws != NULL && ws->gui != NULL;
}

void win_share(struct win_session *ws)
{
    ws->monitor = true;
    ws->running = false; /* the monitor starts stopped at the entry: so does the window */
}

void win_restart(struct win_session *ws)
{
    struct tl_model fresh;

    if (ws->json || tl_init(&fresh, WIN_SEGMENTS) != 0) {
        return; /* the JSON file tells one run: keep its model */
    }
    tl_set_names(&fresh, ws->tl.name_of, ws->tl.name_ctx);
    tl_set_texts(&fresh, ws->tl.text_of, ws->tl.text_ctx);
    tl_free(&ws->tl);
    ws->tl = fresh;
    ws->view.follow = true;
    ws->ended = false;
    win_pause_run(ws);
    win_snapshot(ws);
}

void win_frame(struct win_session *ws, bool advance)
{
    win_gui_frame(ws, advance);
}

bool win_frame_if_due(struct win_session *ws)
{
    return win_gui_busy_frame(ws);
}

bool win_running(const struct win_session *ws)
{
    return ws->running || ws->steps_pending > 0;
}

bool win_closed(const struct win_session *ws)
{
    return ws->quit;
}

bool win_script_busy(const struct win_session *ws)
{
    return !win_gui_script_done(ws->gui);
}

void win_pause_run(struct win_session *ws)
{
    ws->running = false;
    ws->steps_pending = 0;
    ws->stop_on = WIN_STOP_NONE;
    ws->stop_hit = false;
}

enum win_pause win_take_pause(struct win_session *ws, struct cpu_event *ev, enum cpu_stop *why)
{
    enum win_pause p = ws->pause;

    ws->pause = WIN_PAUSE_NONE;
    *ev = ws->pause_ev;
    *why = ws->end_why;
    return p;
}

uint64_t win_speed(const struct win_session *ws)
{
    return win_speeds[ws->speed];
}

int win_set_speed(struct win_session *ws, uint64_t cps)
{
    for (unsigned i = 0; i < win_nspeeds; i++) {
        if (win_speeds[i] == cps) {
            ws->speed = i;
            return 0;
        }
    }
    return -1;
}

void win_speed_list(char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned i = 0; i < win_nspeeds && used < len; i++) {
        if (win_speeds[i] == WIN_SPEED_FULL) {
            used += (size_t)snprintf(buf + used, len - used, "%sfull", i ? ", " : "");
        } else {
            used += (size_t)snprintf(buf + used, len - used, "%s%" PRIu64, i ? ", " : "",
                                     win_speeds[i]);
        }
    }
}

void win_counts(const struct win_session *ws, uint64_t *frames, uint64_t *runs)
{
    *frames = ws->frames;
    *runs = ws->runs;
}

int win_finish(struct win_session *ws)
{
    int status = 0;

    if (ws == NULL) {
        return 0;
    }
    if (ws->shot_pending) {
        take_screenshot(ws); /* the monitor ran the machine: the picture of the end */
    }
    if (ws->json && pf_close(&ws->pf, &ws->tl, cpu_cycles(ws->m->cpu)) != 0) {
        fprintf(stderr, "lde: --trace-json: %s: write error\n", ws->o->trace_json_path);
        status = -1;
    }
    if (ws->shot_failed) {
        status = -1;
    }
    if (ws->gui != NULL) {
        win_gui_close(ws->gui);
    }
    tl_free(&ws->tl);
    free(ws);
    return status;
}
