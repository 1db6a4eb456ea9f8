/*
 * window.c - the SDL2 window: opening it, the input, pacing the machine
 * (a cycle budget per frame, drawing at most once per frame), the
 * --gui-script replay, and the offscreen --screenshot.  The core never
 * sees SDL: the window watches through the session's observer.
 */
#include <SDL.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "win_draw.h"
#include "win_png.h"

#define FRAME_MS   16         /* one frame at about 60 per second */
#define RUN_MS     12         /* host time per frame spent running at full speed */
#define RUN_SHARE  5          /* ... and at least 5 times the rest of a frame */
#define FULL_CHUNK (1u << 18) /* cycles per cpu_run at full speed */

struct win_gui {
    SDL_Window *win;          /* the window */
    SDL_Renderer *r;          /* its renderer */
    struct win_canvas canvas; /* renderer + font */
    FILE *script;             /* --gui-script, or NULL */
    unsigned script_wait;     /* frames to wait before the next script line */
    bool script_until_paused; /* the script waits for a pause */
    bool script_done;         /* the script's end was reached */
    double due;               /* cycles owed in slow motion */
    double other_ms;          /* host time the last frame spent not running */
    Uint64 opened;            /* performance counter when the window opened */
    Uint64 run_ticks;         /* ... spent inside cpu_run since then */
    Uint64 frame_end;         /* performance counter when the last frame was drawn */
};

/* Is there a screen to show a window on?  Without one SDL may still
 * "succeed" with a console or invisible driver, and the window that
 * stays open after the run would wait forever for someone to close it. */
static bool has_display(void)
{
    const char *driver = getenv("SDL_VIDEODRIVER");

    return getenv("DISPLAY") != NULL || getenv("WAYLAND_DISPLAY") != NULL ||
           (driver != NULL && driver[0] != '\0');
}

/* The dummy and offscreen drivers open windows nobody can see. */
static bool visible_driver(void)
{
    const char *d = SDL_GetCurrentVideoDriver();

    return d != NULL && strcmp(d, "dummy") != 0 && strcmp(d, "offscreen") != 0;
}

struct win_gui *win_gui_open(struct win_session *ws, char *err, size_t errlen)
{
    struct win_gui *g;

    if (!has_display()) {
        snprintf(err, errlen, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)");
        return NULL;
    }
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "no display (SDL: %s)", SDL_GetError());
        return NULL;
    }
    if (!visible_driver()) {
        snprintf(err, errlen, "no display (SDL video driver '%s' shows nothing)",
                 SDL_GetCurrentVideoDriver());
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return NULL;
    }
    g = calloc(1, sizeof *g);
    if (g == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0"); /* crisp pixels when scaled */
    g->win = SDL_CreateWindow("lde - limited direct execution", SDL_WINDOWPOS_UNDEFINED,
                              SDL_WINDOWPOS_UNDEFINED, WIN_W, WIN_H, SDL_WINDOW_RESIZABLE);
    g->r = g->win != NULL ? SDL_CreateRenderer(g->win, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (g->win != NULL && g->r == NULL) {
        g->r = SDL_CreateRenderer(g->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (g->r == NULL || SDL_RenderSetLogicalSize(g->r, WIN_W, WIN_H) != 0 ||
        win_canvas_init(&g->canvas, g->r, err, errlen) != 0) {
        if (err[0] == '\0') {
            snprintf(err, errlen, "cannot open a window (SDL: %s)", SDL_GetError());
        }
        win_gui_close(g);
        return NULL;
    }
    g->opened = SDL_GetPerformanceCounter();
    if (ws->o->gui_script != NULL && (g->script = fopen(ws->o->gui_script, "r")) == NULL) {
        snprintf(err, errlen, "%s: cannot open the script", ws->o->gui_script);
        win_gui_close(g);
        return NULL;
    }
    return g;
}

void win_gui_close(struct win_gui *g)
{
    if (g == NULL) {
        return;
    }
    win_canvas_free(&g->canvas);
    if (g->r != NULL) {
        SDL_DestroyRenderer(g->r);
    }
    if (g->win != NULL) {
        SDL_DestroyWindow(g->win);
    }
    if (g->script != NULL) {
        fclose(g->script);
    }
    free(g);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

/* ---- input */

static bool key_action(SDL_Keycode k, enum win_action *a)
{
    switch (k) {
    case SDLK_SPACE:
        *a = WIN_ACT_RUN_PAUSE;
        return true;
    case SDLK_s:
        *a = WIN_ACT_STEP;
        return true;
    case SDLK_t:
        *a = WIN_ACT_TO_TRAP;
        return true;
    case SDLK_r:
        *a = WIN_ACT_TO_RETT;
        return true;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        *a = WIN_ACT_FASTER;
        return true;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        *a = WIN_ACT_SLOWER;
        return true;
    case SDLK_UP:
    case SDLK_RIGHTBRACKET:
        *a = WIN_ACT_ZOOM_IN;
        return true;
    case SDLK_DOWN:
    case SDLK_LEFTBRACKET:
        *a = WIN_ACT_ZOOM_OUT;
        return true;
    case SDLK_LEFT:
        *a = WIN_ACT_PAN_LEFT;
        return true;
    case SDLK_RIGHT:
        *a = WIN_ACT_PAN_RIGHT;
        return true;
    case SDLK_f:
    case SDLK_END:
        *a = WIN_ACT_FOLLOW;
        return true;
    case SDLK_a:
        *a = WIN_ACT_ALL;
        return true;
    case SDLK_q:
    case SDLK_ESCAPE:
        *a = WIN_ACT_QUIT;
        return true;
    default:
        return false;
    }
}

/* Does `a` run, step or pause the machine? */
static bool runs_machine(enum win_action a)
{
    return a == WIN_ACT_RUN_PAUSE || a == WIN_ACT_STEP || a == WIN_ACT_TO_TRAP ||
           a == WIN_ACT_TO_RETT;
}

/* `busy`: the monitor is running the machine; the keys that would run or
 * pause it are ignored (the monitor's run decides where it stops). */
static void handle_event(struct win_session *ws, const SDL_Event *e, bool busy)
{
    enum win_action a;

    if (e->type == SDL_QUIT ||
        (e->type == SDL_WINDOWEVENT && e->window.event == SDL_WINDOWEVENT_CLOSE)) {
        win_action(ws, WIN_ACT_QUIT);
    } else if (e->type == SDL_KEYDOWN && key_action(e->key.keysym.sym, &a) &&
               !(busy && runs_machine(a))) {
        win_action(ws, a);
    } else if (e->type == SDL_MOUSEWHEEL && e->wheel.y != 0) {
        win_action(ws, e->wheel.y > 0 ? WIN_ACT_ZOOM_IN : WIN_ACT_ZOOM_OUT);
    }
}

/* ---- the script: "key NAME", "wait FRAMES", "until-paused",
 * "screenshot FILE", "stats", "close"; '#' starts a comment. */

static void push_key(const char *name)
{
    SDL_Event e;

    if (SDL_GetKeyFromName(name) == SDLK_UNKNOWN) {
        fprintf(stderr, "lde: --gui-script: unknown key '%s' (SDL key names: '-', ']', 'Up')\n",
                name);
        return;
    }
    memset(&e, 0, sizeof e);
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = SDL_GetKeyFromName(name);
    SDL_PushEvent(&e);
}

/* Write the window's real pixels (as shown) to a PNG. */
static void window_png(struct win_gui *g, const char *path)
{
    int w = 0, h = 0;
    char err[200] = "";
    uint32_t *px;

    SDL_GetRendererOutputSize(g->r, &w, &h);
    px = malloc((size_t)w * (size_t)h * 4);
    if (px == NULL || SDL_RenderReadPixels(g->r, NULL, SDL_PIXELFORMAT_RGB888, px, w * 4) != 0 ||
        win_png_write(path, px, (unsigned)w, (unsigned)h, (size_t)w, err, sizeof err) != 0) {
        fprintf(stderr, "lde: --gui-script: screenshot %s failed %s\n", path, err);
    }
    free(px);
}

static double ms_since(Uint64 start)
{
    return (double)(SDL_GetPerformanceCounter() - start) * 1000.0 /
           (double)SDL_GetPerformanceFrequency();
}

/* The script's `stats`: what the window cost so far (docs/window.md). */
static void print_stats(const struct win_session *ws, const struct win_gui *g)
{
    double ms = ms_since(g->opened);
    double run = (double)g->run_ticks * 1000.0 / (double)SDL_GetPerformanceFrequency();

    fprintf(stderr,
            "lde: window: %" PRIu64 " frames in %.0f ms (%.1f per second), %" PRIu64
            " runs for %" PRIu64 " cycles, running %.0f%% of the time\n",
            ws->frames, ms, ms > 0 ? (double)ws->frames * 1000.0 / ms : 0.0, ws->runs,
            cpu_cycles(ws->m->cpu), ms > 0 ? 100.0 * run / ms : 0.0);
}

/* Carry out one line; false for a blank line or a comment (no action). */
static bool script_line(struct win_session *ws, struct win_gui *g, char *line)
{
    char *cmd = strtok(line, " \t\r\n"), *arg = strtok(NULL, " \t\r\n");

    if (cmd == NULL || cmd[0] == '#') {
        return false;
    }
    if (strcmp(cmd, "key") == 0 && arg != NULL) {
        push_key(arg);
    } else if (strcmp(cmd, "wait") == 0 && arg != NULL) {
        g->script_wait = (unsigned)strtoul(arg, NULL, 10);
    } else if (strcmp(cmd, "until-paused") == 0) {
        g->script_until_paused = true;
    } else if (strcmp(cmd, "screenshot") == 0 && arg != NULL) {
        window_png(g, arg);
    } else if (strcmp(cmd, "stats") == 0) {
        print_stats(ws, g);
    } else if (strcmp(cmd, "close") == 0) {
        SDL_Event e = {.type = SDL_QUIT};
        SDL_PushEvent(&e);
    } else {
        fprintf(stderr, "lde: --gui-script: unknown line '%s'\n", cmd);
    }
    return true;
}

/* One script action per frame, after any wait. */
static void script_step(struct win_session *ws, struct win_gui *g)
{
    char line[512];

    if (g->script == NULL) {
        return;
    }
    if (g->script_until_paused) {
        if (ws->running && !ws->ended) {
            return;
        }
        g->script_until_paused = false;
    }
    if (g->script_wait > 0) {
        g->script_wait--;
        return;
    }
    for (;;) {
        if (fgets(line, sizeof line, g->script) == NULL) {
            g->script_done = true;
            return;
        }
        if (script_line(ws, g, line)) {
            return; /* comments take no frame */
        }
    }
}

bool win_gui_script_done(const struct win_gui *g)
{
    return g->script == NULL || g->script_done;
}

/* ---- running */

/* The machine stopped by itself (or reached --max-cycles): pause there. */
static void note_end(struct win_session *ws, enum cpu_stop why)
{
    ws->ended = true;
    ws->end_why = why;
    ws->running = false;
    ws->pause = WIN_PAUSE_END;
}

/* Run `budget` cycles (bounded by --max-cycles); note a real stop.  One
 * instruction goes through cpu_step, more through cpu_run. */
static void run_some(struct win_session *ws, struct win_gui *g, uint64_t budget)
{
    struct cpu *cpu = ws->m->cpu;
    uint64_t now = cpu_cycles(cpu), max = ws->max_cycles;
    Uint64 start = SDL_GetPerformanceCounter();
    enum cpu_stop why;

    if (max != 0 && now + budget > max) {
        budget = max > now ? max - now : 0;
    }
    why = budget == 0 ? CPU_STOP_BUDGET : budget == 1 ? cpu_step(cpu) : cpu_run(cpu, budget);
    if (why == CPU_STOP_REQUEST && !ws->stop_hit && !ws->quit && ws->monitor &&
        emu_quit_signal == 0) {
        /* a stop request the monitor left behind ended it at once: again */
        why = budget == 1 ? cpu_step(cpu) : cpu_run(cpu, budget);
    }
    ws->runs += budget != 0;
    g->run_ticks += SDL_GetPerformanceCounter() - start;
    if (why == CPU_STOP_REQUEST && ws->stop_hit) {
        ws->stop_hit = false; /* t or r reached its event: pause there */
        ws->stop_on = WIN_STOP_NONE;
        ws->running = false;
        ws->pause = WIN_PAUSE_EVENT;
    } else if (why == CPU_STOP_REQUEST && !ws->quit && !ws->monitor) {
        ws->ended = true; /* Ctrl-C in the terminal */
        ws->end_why = why;
        ws->quit = true;
    } else if (why != CPU_STOP_BUDGET && why != CPU_STOP_REQUEST) {
        note_end(ws, why);
    } else if (max != 0 && cpu_cycles(cpu) >= max) {
        note_end(ws, CPU_STOP_BUDGET);
    }
}

/* At full speed, this frame's share of running: RUN_MS of host time, and
 * at least RUN_SHARE times what the rest of the last frame took (events,
 * drawing), so that the guest keeps 5/6 of the time however slow drawing
 * is (software OpenGL under Xvfb: about 20 ms a frame, then about 8 frames
 * a second; with a GPU drawing takes little and frames come at 60). */
static void run_full(struct win_session *ws, struct win_gui *g)
{
    double run_ms = g->other_ms * RUN_SHARE > RUN_MS ? g->other_ms * RUN_SHARE : RUN_MS;
    Uint64 start = SDL_GetPerformanceCounter();

    do {
        run_some(ws, g, FULL_CHUNK);
    } while (ws->running && !ws->ended && !ws->quit && emu_quit_signal == 0 &&
             ms_since(start) < run_ms);
}

/* This frame's share of running: full speed, or speed/60 cycles in slow
 * motion, or a single step owed. */
static void advance(struct win_session *ws, struct win_gui *g)
{
    uint64_t speed = win_speeds[ws->speed];

    if (ws->ended) {
        return;
    }
    if (ws->steps_pending > 0) {
        ws->steps_pending--;
        win_snapshot(ws);
        run_some(ws, g, 1);
        if (ws->pause == WIN_PAUSE_NONE) {
            ws->pause = WIN_PAUSE_STEP;
        }
        return;
    }
    if (!ws->running) {
        return;
    }
    win_snapshot(ws);
    if (speed == WIN_SPEED_FULL) {
        run_full(ws, g);
        return;
    }
    g->due += (double)speed / (1000.0 / FRAME_MS);
    if (g->due >= 1.0) {
        uint64_t n = (uint64_t)g->due;
        g->due -= (double)n;
        run_some(ws, g, n);
    }
}

/* Draw what the machine shows now; `start` and `ran` (the performance
 * counter and run_ticks when the frame began) measure what the frame cost
 * besides running. */
static void draw_frame(struct win_session *ws, struct win_gui *g, Uint64 start, Uint64 ran)
{
    fflush(stdout);
    if (ws->shot_pending && (ws->ended || (ws->o->screenshot_at != 0 &&
                                           cpu_cycles(ws->m->cpu) >= ws->o->screenshot_at))) {
        char err[300] = "";
        ws->shot_pending = false;
        if (win_gui_screenshot(ws, ws->o->screenshot_path, err, sizeof err) != 0) {
            fprintf(stderr, "lde: --screenshot: %s\n", err);
            ws->shot_failed = true; /* win_finish: exit status 126 */
        }
    }
    win_draw(&g->canvas, ws);
    SDL_RenderPresent(g->r);
    ws->frames++;
    g->other_ms = ms_since(start) -
                  (double)(g->run_ticks - ran) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    g->frame_end = SDL_GetPerformanceCounter();
}

void win_gui_frame(struct win_session *ws, bool run)
{
    struct win_gui *g = ws->gui;
    Uint64 start = SDL_GetPerformanceCounter(), ran = g->run_ticks;
    SDL_Event e;

    script_step(ws, g); /* its key events are handled in this frame */
    while (SDL_PollEvent(&e)) {
        handle_event(ws, &e, false);
    }
    if (run) {
        advance(ws, g);
    }
    draw_frame(ws, g, start, ran);
}

/* While the monitor runs the machine: a frame when one is due, that is
 * FRAME_MS after the last one and after the guest ran at least RUN_SHARE
 * times what that frame took (the rule of run_full: the guest keeps 5/6
 * of the time however slow drawing is).  The script waits meanwhile, so a
 * monitor script's transcript does not depend on how many frames a run
 * took. */
bool win_gui_busy_frame(struct win_session *ws)
{
    struct win_gui *g = ws->gui;
    double since = ms_since(g->frame_end);
    Uint64 start;
    SDL_Event e;

    if (since < FRAME_MS || since < g->other_ms * RUN_SHARE) {
        return false;
    }
    start = SDL_GetPerformanceCounter();
    while (SDL_PollEvent(&e)) {
        handle_event(ws, &e, true);
    }
    draw_frame(ws, g, start, g->run_ticks);
    return true;
}

enum cpu_stop win_gui_loop(struct win_session *ws)
{
    while (!ws->quit && emu_quit_signal == 0) { /* a quit signal: run_machine ends lde */
        Uint32 start = SDL_GetTicks();
        win_gui_frame(ws, true);
        if (SDL_GetTicks() - start < FRAME_MS) {
            SDL_Delay(FRAME_MS - (SDL_GetTicks() - start));
        }
    }
    return ws->ended && emu_quit_signal == 0 ? ws->end_why : CPU_STOP_REQUEST;
}

/* ---- offscreen picture */

int win_gui_screenshot(struct win_session *ws, const char *path, char *err, size_t errlen)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, WIN_W, WIN_H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *r = s != NULL ? SDL_CreateSoftwareRenderer(s) : NULL;
    struct win_canvas canvas = {NULL, NULL};
    int status = -1;

    if (r == NULL) {
        snprintf(err, errlen, "cannot draw offscreen (SDL: %s)", SDL_GetError());
    } else if (win_canvas_init(&canvas, r, err, errlen) == 0) {
        win_draw(&canvas, ws);
        SDL_RenderPresent(r);
        status = win_png_write(path, s->pixels, WIN_W, WIN_H, (size_t)s->pitch / 4, err, errlen);
    }
    win_canvas_free(&canvas);
    if (r != NULL) {
        SDL_DestroyRenderer(r);
    }
    if (s != NULL) {
        SDL_FreeSurface(s);
    }
    return status;
}
