/*
 * win_draw.c - the window's picture: the top bar (mode, process, time),
 * the timeline, the state panel (pc, registers, timer, counters) and the
 * protocol panel.  Layout and colours are in win_internal.h and
 * docs/window.md.
 */
#include "win_draw.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "disasm.h"
#include "timer.h"
#include "win_font.h"

#define CELL_W  (WIN_FONT_W + 1) /* glyph advance in font pixels */
#define NGLYPHS (WIN_FONT_LAST - WIN_FONT_FIRST + 1)

int win_canvas_init(struct win_canvas *c, SDL_Renderer *r, char *err, size_t errlen)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, NGLYPHS * CELL_W, WIN_FONT_H, 32, SDL_PIXELFORMAT_RGBA32);

    c->r = r;
    c->font = NULL;
    if (s == NULL) {
        snprintf(err, errlen, "cannot make the font: %s", SDL_GetError());
        return -1;
    }
    for (int g = 0; g < NGLYPHS; g++) {
        for (unsigned y = 0; y < WIN_FONT_H; y++) {
            uint32_t *row = (uint32_t *)((uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch);
            for (unsigned x = 0; x < CELL_W; x++) {
                bool on = win_font_pixel((char)(g + WIN_FONT_FIRST), x, y);
                row[g * CELL_W + (int)x] = on ? SDL_MapRGBA(s->format, 255, 255, 255, 255) : 0;
            }
        }
    }
    c->font = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (c->font == NULL) {
        snprintf(err, errlen, "cannot make the font texture: %s", SDL_GetError());
        return -1;
    }
    SDL_SetTextureBlendMode(c->font, SDL_BLENDMODE_BLEND);
    return 0;
}

void win_canvas_free(struct win_canvas *c)
{
    if (c->font != NULL) {
        SDL_DestroyTexture(c->font);
    }
    c->font = NULL;
}

/* ---- primitives */

static void colour(struct win_canvas *c, uint32_t rgb)
{
    SDL_SetRenderDrawColor(c->r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
}

static void fill(struct win_canvas *c, int x, int y, int w, int h, uint32_t rgb)
{
    SDL_Rect rect = {x, y, w, h};

    colour(c, rgb);
    SDL_RenderFillRect(c->r, &rect);
}

static void vline(struct win_canvas *c, int x, int y0, int y1, uint32_t rgb)
{
    colour(c, rgb);
    SDL_RenderDrawLine(c->r, x, y0, x, y1);
}

/* Draw text at (x, y) with glyphs `scale` times their size; returns the
 * x just after it. */
static int text(struct win_canvas *c, int x, int y, int scale, uint32_t rgb, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int text(struct win_canvas *c, int x, int y, int scale, uint32_t rgb, const char *fmt, ...)
{
    char buf[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    SDL_SetTextureColorMod(c->font, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb);
    for (const char *p = buf; *p != '\0'; p++) {
        unsigned char u = (unsigned char)*p;
        int g =
            (u >= WIN_FONT_FIRST && u <= WIN_FONT_LAST) ? u - WIN_FONT_FIRST : '?' - WIN_FONT_FIRST;
        SDL_Rect src = {g * CELL_W, 0, WIN_FONT_W, WIN_FONT_H};
        SDL_Rect dst = {x, y, WIN_FONT_W * scale, WIN_FONT_H * scale};
        SDL_RenderCopy(c->r, c->font, &src, &dst);
        x += CELL_W * scale;
    }
    return x;
}

static void panel(struct win_canvas *c, int x, int y, int w, int h, const char *title)
{
    fill(c, x, y, w, h, WIN_RGB_PANEL);
    text(c, x + 8, y + 6, 2, WIN_RGB_DIM, "%s", title);
}

/* ---- top bar */

static void draw_top(struct win_canvas *c, const struct win_session *ws)
{
    const struct cpu *cpu = ws->m->cpu;
    const struct tl_model *m = &ws->tl;
    bool user = cpu_mode(cpu) == CPU_MODE_USER;
    uint32_t rgb = user ? win_rgb_user(m->open.row) : win_rgb_reason(m->open.reason);
    char who[40];
    uint64_t speed = win_speeds[ws->speed];
    int x;

    x = text(c, 12, 8, 5, rgb, "%s", user ? "USER" : "KERNEL");
    if (user) {
        tl_row_label(m, m->open.row, who, sizeof who);
        text(c, x + 24, 10, 2, WIN_RGB_TEXT, "process %s", who);
    } else {
        text(c, x + 24, 10, 2, WIN_RGB_TEXT, "handling: %s", tl_reason_name(m->open.reason));
    }
    text(c, x + 24, 32, 2, WIN_RGB_DIM, "cycle %" PRIu64 "   instructions %" PRIu64,
         cpu_cycles(cpu), cpu_instructions(cpu));
    if (cpu_halted(cpu)) {
        text(c, 880, 10, 2, WIN_RGB_CHANGED, "HALTED (code %" PRIu32 ")", cpu_halt_code(cpu));
    } else if (!ws->running) {
        text(c, 880, 10, 2, WIN_RGB_CHANGED, "PAUSED");
    } else if (speed == WIN_SPEED_FULL) {
        text(c, 880, 10, 2, WIN_RGB_TEXT, "RUNNING at full speed");
    } else {
        text(c, 880, 10, 2, WIN_RGB_TEXT, "RUNNING %" PRIu64 " cycles/s", speed);
    }
    text(c, 880, 34, 1, WIN_RGB_DIM, "space run/pause  s step  t next trap  r next rett");
    text(c, 880, 44, 1, WIN_RGB_DIM, "+/- speed  wheel,up/down zoom  left/right pan  f follow");
}

/* ---- timeline */

/* The rows' backgrounds from cycle 0 on (a view longer than the run
 * leaves the time before reset empty), and their labels. */
static void draw_rows(struct win_canvas *c, const struct tl_model *m, uint64_t end, uint64_t span)
{
    char label[32];
    long x0 = span > end ? win_x_of(0, end, span) : WIN_PLOT_X0;
    int ky, kh; /* the kernel's row, whose label no other may touch */

    win_row_box(TL_ROW_KERNEL, m->nrows, &ky, &kh);
    ky += kh / 2 - 4;

    for (unsigned r = 0; r < m->nrows; r++) {
        int y, h;
        win_row_box(r, m->nrows, &y, &h);
        fill(c, (int)x0, y, WIN_PLOT_X1 - (int)x0, h, WIN_RGB_STRIPE);
        tl_row_label(m, r, label, sizeof label);
        uint32_t rgb = r == TL_ROW_KERNEL ? WIN_RGB_TEXT : win_rgb_user(r);
        if (h >= 18) {
            label[9] = '\0'; /* the label column holds 9 characters */
            text(c, 12, y + h / 2 - 8, 2, rgb, "%s", label);
        } else if (r == TL_ROW_KERNEL ||
                   ((h >= 9 || (r - 1) % ((9 + h - 1) / h) == 0) && y + h / 2 + 9 <= ky)) {
            label[18] = '\0'; /* many rows: small letters, and only as many as fit */
            text(c, 12, y + h / 2 - 4, 1, rgb, "%s", label);
        }
    }
}

static void draw_segment(struct win_canvas *c, const struct tl_model *m, const struct tl_segment *s,
                         uint64_t end, uint64_t span)
{
    uint64_t t0 = end > span ? end - span : 0;
    uint64_t a = s->start > t0 ? s->start : t0, b = s->end < end ? s->end : end;
    long x0 = win_x_of(a, end, span), x1 = win_x_of(b, end, span);
    int y, h;

    if (b <= a) {
        return;
    }
    win_row_box(s->row, m->nrows, &y, &h);
    fill(c, (int)x0, y, x1 - x0 > 1 ? (int)(x1 - x0) : 1, h, win_rgb_segment(s));
}

/* A crowded view, where a pixel column covers more than one cycle, shows
 * in each column the bar of whoever ran most of that column's cycles:
 * drawing every segment at least a pixel wide would paint the kernel's
 * many short visits over the processes' long runs (a timeline of 10^7
 * cycles read as "the kernel runs all the time").  `crowd` adds up, per
 * column, the cycles each row ran and the colour of its longest piece. */
#define WIN_PLOT_W (WIN_PLOT_X1 - WIN_PLOT_X0)
struct crowd {
    double ran[TL_MAX_ROWS][WIN_PLOT_W];     /* cycles of the column each row ran */
    double longest[TL_MAX_ROWS][WIN_PLOT_W]; /* ... its longest piece */
    uint32_t rgb[TL_MAX_ROWS][WIN_PLOT_W];   /* ... that piece's colour */
};

/* Add segment s's cycles to the columns it overlaps. */
static void crowd_add(struct crowd *w, const struct tl_segment *s, uint64_t end, uint64_t span)
{
    double t0 = (double)end - (double)span, per = (double)span / WIN_PLOT_W;
    double a = (double)s->start > t0 ? (double)s->start : t0;
    double b = (double)s->end < (double)end ? (double)s->end : (double)end;

    for (long col = (long)((a - t0) / per); b > a && col < WIN_PLOT_W; col++) {
        double c0 = t0 + (double)col * per, c1 = c0 + per;
        double part = (b < c1 ? b : c1) - (a > c0 ? a : c0);
        if (part <= 0) {
            break;
        }
        w->ran[s->row][col] += part;
        if (part > w->longest[s->row][col]) {
            w->longest[s->row][col] = part;
            w->rgb[s->row][col] = win_rgb_segment(s);
        }
    }
}

/* Each column to the row that ran most of it. */
static void crowd_draw(struct win_canvas *c, const struct tl_model *m, const struct crowd *w)
{
    for (int col = 0; col < WIN_PLOT_W; col++) {
        unsigned best = TL_MAX_ROWS;
        for (unsigned r = 0; r < m->nrows; r++) {
            if (w->ran[r][col] > 0 && (best == TL_MAX_ROWS || w->ran[r][col] > w->ran[best][col])) {
                best = r;
            }
        }
        if (best < TL_MAX_ROWS) {
            int y, h;
            win_row_box(best, m->nrows, &y, &h);
            fill(c, WIN_PLOT_X0 + col, y, 1, h, w->rgb[best][col]);
        }
    }
}

static void draw_segments(struct win_canvas *c, const struct tl_model *m, uint64_t now,
                          uint64_t end, uint64_t span)
{
    static struct crowd crowd; /* large: not on the stack */
    uint64_t t0 = end > span ? end - span : 0;
    struct tl_segment open = m->open;
    bool crowded = span > WIN_PLOT_W;

    if (crowded) { /* only the rows in use: every frame draws this */
        memset(crowd.ran, 0, m->nrows * sizeof crowd.ran[0]);
        memset(crowd.longest, 0, m->nrows * sizeof crowd.longest[0]);
    }
    open.end = now;
    for (uint64_t i = m->nsegs + 1; i > tl_first_segment(m); i--) {
        const struct tl_segment *s = i == m->nsegs + 1 ? &open : tl_segment_at(m, i - 1);
        if (s->end <= t0 && s != &open) {
            break;
        }
        if (s->start < end && s->end > s->start) {
            if (crowded) {
                crowd_add(&crowd, s, end, span);
            } else {
                draw_segment(c, m, s, end, span);
            }
        }
    }
    if (crowded) {
        crowd_draw(c, m, &crowd);
    }
}

/* An arrow at x from row box (y_from) to y_to, head at y_to. */
static void arrow(struct win_canvas *c, int x, int y_from, int y_to, uint32_t rgb)
{
    int dir = y_to > y_from ? -1 : 1;

    vline(c, x, y_from, y_to, rgb);
    vline(c, x + 1, y_from, y_to, rgb);
    for (int i = 1; i <= 5; i++) {
        fill(c, x - i + 1, y_to + dir * i, 2 * i, 1, rgb);
    }
}

/* Where the labels of one line of text may still go: left of `limit`.
 * Marks are drawn from the right, so each label must end before the one
 * drawn last on the same line. */
struct label_line {
    int y;      /* the line's top */
    long limit; /* x that a new label must stay left of */
};

/* The limit of the label line at y: a line already used within the height
 * of a label (16 pixels) shares its limit; a new one starts at the plot's
 * right edge. */
static long *label_limit(struct label_line *lines, unsigned *n, unsigned max, int y)
{
    for (unsigned i = 0; i < *n; i++) {
        if (abs(lines[i].y - y) < 16) {
            return &lines[i].limit;
        }
    }
    if (*n == max) {
        return &lines[max - 1].limit; /* cannot happen: two lines per row */
    }
    lines[*n] = (struct label_line){y, WIN_PLOT_X1};
    return &lines[(*n)++].limit;
}

/* A label to draw once every arrow is drawn, on a patch of background,
 * so that no arrow crosses its letters. */
struct mark_label {
    int x, y;          /* top left */
    uint32_t rgb;      /* the arrow's colour */
    const char *label; /* cause name, "rett" or "halt" */
};

/* The labels of one picture: at most one per label width on each line. */
struct mark_labels {
    struct mark_label l[512]; /* in the order found */
    unsigned n;               /* how many */
};

/* The arrow of one mark, and its label unless it would overlap the label
 * drawn last on the same line of text. */
static void draw_mark(struct win_canvas *c, const struct tl_model *m, const struct tl_mark *k,
                      long x, struct label_line *lines, unsigned *nlines, unsigned max,
                      struct mark_labels *labels)
{
    int fy, fh, ty, th;
    uint32_t rgb = k->kind == TL_MARK_TRAP ? win_rgb_reason(k->cause) : WIN_RGB_RETT;
    const char *label = k->kind == TL_MARK_TRAP   ? cpu_cause_name(k->cause)
                        : k->kind == TL_MARK_RETT ? "rett"
                                                  : "halt";
    long w = (long)strlen(label) * CELL_W * 2;
    int ly;

    win_row_box(k->from_row, m->nrows, &fy, &fh);
    win_row_box(k->to_row, m->nrows, &ty, &th);
    if (k->from_row == k->to_row) {
        arrow(c, (int)x, fy - 8, fy + fh / 2, rgb);
        ly = fy - 26;
    } else if (fy < ty) {
        arrow(c, (int)x, fy + fh / 2, ty, rgb); /* down into the kernel */
        ly = ty - 18;
    } else {
        arrow(c, (int)x, fy, ty + th, rgb); /* up into a process */
        ly = ty + th + 3;
    }
    long *limit = label_limit(lines, nlines, max, ly);
    long lx = x + 4;
    if (lx + w >= WIN_PLOT_X1 && k->kind == TL_MARK_HALT) {
        lx = x - 4 - w; /* at the right edge (the machine stopped there): to the left */
    }
    if (lx + w < *limit && labels->n < sizeof labels->l / sizeof labels->l[0]) {
        labels->l[labels->n++] = (struct mark_label){(int)lx, ly, rgb, label};
        *limit = lx - 4;
    }
}

/* Arrows newest first; in a crowded view (more cycles than pixels) an
 * arrow within 3 pixels of the one drawn before it is left out, so that
 * arrows do not hide the bars.  Labels last, over the arrows. */
static void draw_marks(struct win_canvas *c, const struct tl_model *m, uint64_t end, uint64_t span)
{
    static struct mark_labels labels; /* large: not on the stack */
    uint64_t t0 = end > span ? end - span : 0;
    struct label_line lines[2 * TL_MAX_ROWS + 2];
    unsigned nlines = 0;
    long last_x = WIN_PLOT_X1 + 8;

    labels.n = 0;
    for (uint64_t i = m->nmarks; i > tl_first_mark(m); i--) {
        const struct tl_mark *k = tl_mark_at(m, i - 1);
        if (k->cycle < t0) {
            break;
        }
        long x = win_x_of(k->cycle, end, span);
        if (k->cycle > end || (span > WIN_PLOT_W && last_x - x < 3)) {
            continue;
        }
        draw_mark(c, m, k, x, lines, &nlines, sizeof lines / sizeof lines[0], &labels);
        last_x = x;
    }
    for (unsigned i = 0; i < labels.n; i++) {
        const struct mark_label *l = &labels.l[i];
        fill(c, l->x - 1, l->y - 1, (int)strlen(l->label) * CELL_W * 2 + 2, 17, WIN_RGB_BG);
        text(c, l->x, l->y, 2, l->rgb, "%s", l->label);
    }
}

/* Ticks every 1, 2 or 5 times a power of ten cycles: at most 6 of them. */
static uint64_t tick_step(uint64_t span)
{
    static const uint64_t mult[3] = {1, 2, 5};

    for (uint64_t base = 1;; base *= 10) {
        for (unsigned i = 0; i < 3; i++) {
            if (span / (base * mult[i]) <= 6) {
                return base * mult[i];
            }
        }
    }
}

static void draw_axis(struct win_canvas *c, uint64_t end, uint64_t span)
{
    uint64_t step = tick_step(span), t0 = end > span ? end - span : 0;

    for (uint64_t t = (t0 + step - 1) / step * step; t <= end; t += step) {
        long x = win_x_of(t, end, span);
        char label[24];
        int w = snprintf(label, sizeof label, "%" PRIu64, t) * CELL_W;
        vline(c, (int)x, WIN_PLOT_Y1 + 2, WIN_PLOT_Y1 + 6, WIN_RGB_DIM);
        if (x + w / 2 < 858) { /* a label cut by the panel's edge is left out */
            text(c, (int)x - w / 2, WIN_PLOT_Y1 + 9, 1, WIN_RGB_DIM, "%s", label);
        }
    }
}

static void draw_timeline(struct win_canvas *c, const struct win_session *ws)
{
    const struct tl_model *m = &ws->tl;
    uint64_t now = cpu_cycles(ws->m->cpu), end = win_view_end(ws), span = ws->view.span;
    long xn;

    panel(c, 4, 60, 856, 460, "");
    text(c, 12, 66, 2, WIN_RGB_DIM, "TIMELINE  cycles %" PRIu64 "..%" PRIu64 "%s",
         end > span ? end - span : 0, end, ws->view.follow ? "  (following)" : "");
    draw_rows(c, m, end, span);
    SDL_Rect clip = {WIN_PLOT_X0, WIN_PLOT_Y0 - 24, WIN_PLOT_X1 - WIN_PLOT_X0 + 6,
                     WIN_PLOT_Y1 - WIN_PLOT_Y0 + 30};
    SDL_RenderSetClipRect(c->r, &clip);
    draw_segments(c, m, now, end, span);
    draw_marks(c, m, end, span);
    xn = win_x_of(now, end, span);
    if (now <= end) {
        for (int y = WIN_PLOT_Y0 - 4; y < WIN_PLOT_Y1; y += 6) {
            vline(c, (int)xn, y, y + 3, WIN_RGB_NOW);
        }
    }
    SDL_RenderSetClipRect(c->r, NULL);
    draw_axis(c, end, span);
}

/* ---- state panel */

/* The instruction word at pc (user pcs are translated with base). */
static bool fetch(const struct win_session *ws, uint32_t pc, uint32_t *word)
{
    const struct cpu *cpu = ws->m->cpu;
    uint64_t phys = pc;
    const uint8_t *ram = bus_ram(ws->m->bus);

    if (cpu_mode(cpu) == CPU_MODE_USER) {
        phys += cpu_cr(cpu, ISA_CR_base);
    }
    if (phys % 4 != 0 || phys + 4 > bus_ram_size(ws->m->bus)) {
        return false;
    }
    memcpy(word, ram + phys, 4); /* little-endian host and guest */
    return true;
}

static int draw_pc(struct win_canvas *c, const struct win_session *ws, int y)
{
    const struct cpu *cpu = ws->m->cpu;
    bool user = cpu_mode(cpu) == CPU_MODE_USER;
    const struct image *syms = user ? NULL : &ws->m->image;
    char sym[64] = "", insn[96] = "?";
    uint32_t word, pc = cpu_pc(cpu);
    /* A halt retires like any instruction, leaving pc on the next word:
     * show the halt itself (a double fault leaves pc where it was). */
    bool after_halt = cpu_halted(cpu) && ws->m->halt_text[0] == '\0';

    if (after_halt) {
        pc -= 4;
    }
    disasm_symbolize(syms, pc, sym, sizeof sym);
    if (fetch(ws, pc, &word)) {
        disasm_insn(word, pc, syms, insn, sizeof insn);
        char *comment = strstr(insn, "  #");
        if (comment != NULL) {
            *comment = '\0';
        }
    }
    text(c, 880, y, 2, WIN_RGB_TEXT, "%s %08" PRIx32 " %s", after_halt ? "at" : "pc", pc,
         user ? "(user, virtual)" : sym);
    text(c, 880, y + 20, 2, WIN_RGB_CHANGED, "%s", insn);
    return y + 46;
}

static int draw_regs(struct win_canvas *c, const struct win_session *ws, int y)
{
    static const enum isa_cr shown[] = {ISA_CR_status, ISA_CR_ttb,   ISA_CR_ksp,  ISA_CR_base,
                                        ISA_CR_bounds, ISA_CR_cause, ISA_CR_faddr};
    const struct cpu *cpu = ws->m->cpu;

    for (unsigned r = 0; r < ISA_NREGS; r++) {
        uint32_t v = cpu_reg(cpu, r);
        uint32_t rgb = v != ws->before_regs[r] ? WIN_RGB_CHANGED : WIN_RGB_TEXT;
        text(c, 880 + (int)(r % 2) * 196, y + (int)(r / 2) * 18, 2, rgb, "%-4s %08" PRIx32,
             disasm_reg_name(r), v);
    }
    y += 8 * 18 + 6;
    for (unsigned i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        uint32_t v = cpu_cr(cpu, shown[i]);
        uint32_t rgb = v != ws->before_crs[shown[i]] ? WIN_RGB_CHANGED : WIN_RGB_TEXT;
        text(c, 880 + (int)(i % 2) * 196, y + (int)(i / 2) * 18, 2, rgb, "%-6s %08" PRIx32,
             cpu_cr_name(shown[i]), v);
    }
    return y + 4 * 18 + 4;
}

static int draw_timer(struct win_canvas *c, const struct win_session *ws, int y)
{
    uint64_t now = cpu_cycles(ws->m->cpu), fire;
    uint32_t interval;

    if (ws->timer_dev == NULL) {
        return y;
    }
    fire = timer_fire_cycle(ws->timer_dev);
    interval = timer_interval(ws->timer_dev);
    fill(c, 880, y + 20, 384, 10, WIN_RGB_STRIPE);
    if (fire == DEVICE_NEVER || interval == 0) {
        text(c, 880, y, 2, WIN_RGB_DIM, "timer: off");
    } else {
        uint64_t left = fire > now ? fire - now : 0;
        uint64_t w = left >= interval ? 384 : left * 384 / interval;
        text(c, 880, y, 2, WIN_RGB_TEXT, "timer: %" PRIu64 " cycles left", left);
        fill(c, 880, y + 20, (int)w, 10, win_rgb_reason(ISA_CAUSE_TIMER));
    }
    return y + 38;
}

static int draw_counts(struct win_canvas *c, const struct win_session *ws, int y)
{
    const struct tl_counts *n = &ws->tl.counts;
    unsigned pct = tl_user_percent(&ws->tl, cpu_cycles(ws->m->cpu)), col = 0;

    text(c, 880, y, 2, WIN_RGB_TEXT, "traps %" PRIu64 "  switches %" PRIu64, n->traps_total,
         n->switches);
    y += 20;
    for (unsigned k = 0; k < ISA_NCAUSES; k++) {
        if (n->traps[k] == 0) {
            continue;
        }
        text(c, 880 + (int)col * 130, y, 1, win_rgb_reason(k), "%s %" PRIu64, cpu_cause_name(k),
             n->traps[k]);
        if (++col == 3) {
            col = 0;
            y += 12;
        }
    }
    y += col != 0 ? 16 : 4;
    text(c, 880, y, 2, WIN_RGB_TEXT, "user %u%%  kernel %u%%  since boot", pct, 100 - pct);
    fill(c, 880, y + 20, 384, 10, win_rgb_reason(TL_REASON_BOOT));
    fill(c, 880, y + 20, (int)(pct * 384 / 100), 10, win_rgb_user(1));
    return y + 34;
}

static void draw_state(struct win_canvas *c, const struct win_session *ws)
{
    int y = 88;

    panel(c, 868, 60, 408, 460, "STATE");
    y = draw_pc(c, ws, y);
    y = draw_regs(c, ws, y);
    y = draw_timer(c, ws, y);
    draw_counts(c, ws, y);
}

/* ---- protocol panel */

#define STEP_LINE 17  /* pixels per step */
#define STEP_Y0   572 /* first step line */
#define STEP_ROWS 13  /* lines that fit */

#define STEP_CHARS ((628 - 8) / (CELL_W * 2) - 2) /* characters of a step in its column */

/* The steps of the current transition; when they do not all fit, the
 * first line says how many earlier ones are left out. */
static void draw_protocol(struct win_canvas *c, const struct win_session *ws)
{
    const struct tl_model *m = &ws->tl;
    unsigned first = m->nsteps > STEP_ROWS ? m->nsteps - STEP_ROWS + 1 : 0;

    panel(c, 4, 524, 1272, 272, "");
    text(c, 12, 530, 2, WIN_RGB_DIM, "PROTOCOL (limited direct execution): the current transition");
    text(c, 12, 552, 1, WIN_RGB_DIM, "HARDWARE  (from the CPU's trap and rett events)");
    text(c, 644, 552, 1, WIN_RGB_DIM, "OS  (from the kernel's trace port)");
    if (first > 0) {
        text(c, 12, STEP_Y0, 2, WIN_RGB_DIM, "  ... %u earlier step%s", first,
             first == 1 ? "" : "s");
    }
    for (unsigned i = first; i < m->nsteps; i++) {
        const struct tl_step *s = tl_step_at(m, i);
        char line[TL_STEP_TEXT];
        int x = s->column == TL_COL_HW ? 12 : 644;
        int y = STEP_Y0 + (int)(i - first + (first > 0)) * STEP_LINE;
        bool lit = i + 1 == m->nsteps;
        if (lit) {
            fill(c, x - 4, y - 1, 628, STEP_LINE, WIN_RGB_LIT);
        }
        tl_step_text(s, line, sizeof line);
        if (strlen(line) > STEP_CHARS) { /* cut where the column ends, and say so */
            strcpy(line + STEP_CHARS - 3, "...");
        }
        text(c, x, y, 2, lit ? WIN_RGB_NOW : WIN_RGB_TEXT, "%s %s", lit ? ">" : " ", line);
    }
}

void win_draw(struct win_canvas *c, const struct win_session *ws)
{
    colour(c, WIN_RGB_BG);
    SDL_RenderClear(c->r);
    draw_top(c, ws);
    draw_timeline(c, ws);
    draw_state(c, ws);
    draw_protocol(c, ws);
}
