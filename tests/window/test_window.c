/*
 * test_window.c - Check tests of the window's plain-C parts: the timeline
 * model fed with synthetic events and with a real guest OS run, the
 * --trace-json output against a golden file, the font, the PNG writer,
 * and (when built with SDL2) the headless --screenshot checked at known
 * pixels.
 *
 * Paths come from meson: WIN_TEST_LDE (the lde program), WIN_TEST_AB (the
 * guest program ab.s), WIN_TEST_GOLDEN (golden/switch.json),
 * LDE_DEFAULT_KERNEL and LDE_DEFAULT_DISK (the bundled guest OS).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "emu.h"
#include "perfetto.h"
#include "timeline.h"
#include "trace.h"
#include "win_font.h"
#include "win_internal.h"
#ifdef WIN_TEST_SDL
#include <zlib.h>

#include "win_png.h"
#endif

/* ---- synthetic events: A runs, a timer switch to B, a syscall of B */

static const char *fake_names(void *ctx, uint32_t pid)
{
    (void)ctx;
    return pid == 1 ? "A" : pid == 2 ? "B" : "?";
}

/* The sentence of step i (two buffers: one assertion may show two). */
static const char *step_text(const struct tl_model *m, unsigned i)
{
    static char buf[2][TL_STEP_TEXT];
    static unsigned next;

    next = (next + 1) % 2;
    tl_step_text(tl_step_at(m, i), buf[next], sizeof buf[next]);
    return buf[next];
}

/* A write to register `reg` of the trace port, as the port reports it
 * (with its text, as when someone reads them; NULL when nobody does). */
static void dev(struct tl_model *m, uint64_t cycle, uint32_t reg, uint32_t code, const char *text)
{
    struct cpu_event ev = {.kind = CPU_EV_DEVICE, .cycle = cycle, .code = code};

    ev.faddr = ISA_DEV_TRACE + reg;
    ev.device = "trace";
    ev.text = text;
    tl_event(m, &ev);
}

static void step(struct tl_model *m, uint64_t cycle, unsigned code, uint32_t arg, const char *text)
{
    dev(m, cycle, TRACE_REG_STEP, arg << 8 | code, text);
}

static void trap(struct tl_model *m, uint64_t cycle, enum isa_cause cause, uint32_t pc,
                 uint32_t handler)
{
    struct cpu_event ev = {.kind = CPU_EV_TRAP, .cycle = cycle, .cause = cause};

    ev.from = CPU_MODE_USER;
    ev.to = CPU_MODE_KERNEL;
    ev.pc = pc;
    ev.handler = handler;
    tl_event(m, &ev);
}

static void rett(struct tl_model *m, uint64_t cycle, uint32_t pc)
{
    struct cpu_event ev = {.kind = CPU_EV_RETT, .cycle = cycle, .pc = pc};

    ev.from = CPU_MODE_KERNEL;
    ev.to = CPU_MODE_USER;
    tl_event(m, &ev);
}

/* Boot, run A, timer: switch to B; B makes a syscall; up to cycle `upto`. */
static void feed_switch(struct tl_model *m, uint64_t upto)
{
    step(m, 100, TRACE_STEP_CREATE, 1, "process created: pid 1 (A)");
    dev(m, 110, TRACE_REG_PID, 1, "current process: pid 1 (A)");
    step(m, 120, TRACE_STEP_RETT, 1, "return-from-trap into pid 1 (A), user mode");
    rett(m, 121, 0x0);
    trap(m, 500, ISA_CAUSE_TIMER, 0x40, 0x1a0);
    step(m, 503, TRACE_STEP_TRAP, 1, "trap handled: timer, from pid 1 (A)");
    step(m, 600, TRACE_STEP_SCHED, 2, "scheduler picks pid 2 (B)");
    step(m, 610, TRACE_STEP_SAVE, 1, "switch: save kernel context of pid 1 (A)");
    step(m, 620, TRACE_STEP_RESTORE, 2, "switch: restore kernel context of pid 2 (B)");
    dev(m, 630, TRACE_REG_PID, 2, "current process: pid 2 (B)");
    step(m, 640, TRACE_STEP_RETT, 2, "return-from-trap into pid 2 (B), user mode");
    rett(m, 641, 0x0);
    if (upto <= 641) {
        return;
    }
    trap(m, 900, ISA_CAUSE_SYSCALL, 0x24, 0x134);
    step(m, 904, TRACE_STEP_SYSCALL, 1, "syscall write (#1) by pid 2 (B)");
    step(m, 950, TRACE_STEP_RETT, 2, "return-from-trap into pid 2 (B), user mode");
    rett(m, 951, 0x24);
    tl_finish(m, upto);
}

static void new_model(struct tl_model *m)
{
    ck_assert_int_eq(tl_init(m, 64), 0);
    tl_set_names(m, fake_names, NULL);
}

static void check_segment(const struct tl_model *m, uint64_t i, uint64_t start, uint64_t end,
                          unsigned row, enum tl_kind kind, unsigned reason)
{
    const struct tl_segment *s = tl_segment_at(m, i);

    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->start, start);
    ck_assert_uint_eq(s->end, end);
    ck_assert_uint_eq(s->row, row);
    ck_assert_uint_eq(s->kind, kind);
    if (kind == TL_KERNEL) {
        ck_assert_uint_eq(s->reason, reason);
    }
}

START_TEST(synthetic_segments)
{
    struct tl_model m;

    new_model(&m);
    feed_switch(&m, 1000);
    ck_assert_uint_eq(m.nrows, 3);
    ck_assert_str_eq(m.rows[1].name, "A");
    ck_assert_str_eq(m.rows[2].name, "B");
    ck_assert_uint_eq(m.nsegs, 6);
    check_segment(&m, 0, 0, 121, TL_ROW_KERNEL, TL_KERNEL, TL_REASON_BOOT);
    check_segment(&m, 1, 121, 500, 1, TL_USER, 0);
    check_segment(&m, 2, 500, 641, TL_ROW_KERNEL, TL_KERNEL, ISA_CAUSE_TIMER);
    check_segment(&m, 3, 641, 900, 2, TL_USER, 0);
    check_segment(&m, 4, 900, 951, TL_ROW_KERNEL, TL_KERNEL, ISA_CAUSE_SYSCALL);
    check_segment(&m, 5, 951, 1000, 2, TL_USER, 0);
    ck_assert_uint_eq(m.counts.user_cycles, 379 + 259 + 49);
    ck_assert_uint_eq(m.counts.kernel_cycles, 121 + 141 + 51);
    ck_assert_uint_eq(m.counts.traps_total, 2);
    ck_assert_uint_eq(m.counts.traps[ISA_CAUSE_TIMER], 1);
    ck_assert_uint_eq(m.counts.traps[ISA_CAUSE_SYSCALL], 1);
    ck_assert_uint_eq(m.counts.switches, 1);
    ck_assert_uint_eq(tl_user_percent(&m, 1000), 68);
    tl_free(&m);
}
END_TEST

START_TEST(synthetic_marks)
{
    struct tl_model m;
    const struct tl_mark *k;

    new_model(&m);
    feed_switch(&m, 1000);
    ck_assert_uint_eq(m.nmarks, 5);
    k = tl_mark_at(&m, 1); /* timer: A down to the kernel */
    ck_assert_uint_eq(k->kind, TL_MARK_TRAP);
    ck_assert_uint_eq(k->cycle, 500);
    ck_assert_uint_eq(k->cause, ISA_CAUSE_TIMER);
    ck_assert_uint_eq(k->from_row, 1);
    ck_assert_uint_eq(k->to_row, TL_ROW_KERNEL);
    ck_assert_uint_eq(k->pc, 0x40);
    k = tl_mark_at(&m, 2); /* return into B */
    ck_assert_uint_eq(k->kind, TL_MARK_RETT);
    ck_assert_uint_eq(k->cycle, 641);
    ck_assert_uint_eq(k->from_row, TL_ROW_KERNEL);
    ck_assert_uint_eq(k->to_row, 2);
    ck_assert_ptr_null(tl_mark_at(&m, 5));
    tl_free(&m);
}
END_TEST

/* The protocol panel's content for the timer-driven switch A -> B. */
START_TEST(synthetic_switch_steps)
{
    static const struct {
        enum tl_column col;
        const char *text;
    } want[] = {
        {TL_COL_HW, "timer interrupt"},
        {TL_COL_HW, "save regs(A#1) to k-stack(A#1)"},
        {TL_COL_HW, "move to kernel mode"},
        {TL_COL_HW, "jump to trap handler 0x000001a0"},
        {TL_COL_OS, "handle the trap (timer)"},
        {TL_COL_OS, "call switch(): next is B#2"},
        {TL_COL_OS, "save regs(A#1) to proc(A#1)"},
        {TL_COL_OS, "restore regs(B#2) from proc(B#2)"},
        {TL_COL_OS, "switch to k-stack(B#2)"},
        {TL_COL_OS, "return-from-trap (into B#2)"},
        {TL_COL_HW, "restore regs(B#2) from k-stack(B#2)"},
        {TL_COL_HW, "move to user mode"},
        {TL_COL_HW, "jump to B#2's PC 0x00000000"},
    };
    struct tl_model m;

    new_model(&m);
    feed_switch(&m, 641);
    ck_assert_uint_eq(m.nsteps, sizeof want / sizeof want[0]);
    for (unsigned i = 0; i < m.nsteps; i++) {
        ck_assert_uint_eq(tl_step_at(&m, i)->column, want[i].col);
        ck_assert_str_eq(step_text(&m, i), want[i].text);
    }
    ck_assert_uint_eq(tl_step_at(&m, 4)->cycle, 503);
    tl_free(&m);
}
END_TEST

START_TEST(synthetic_syscall_steps)
{
    struct tl_model m;

    new_model(&m);
    feed_switch(&m, 1000);
    ck_assert_uint_eq(m.nsteps, 9);
    ck_assert_str_eq(step_text(&m, 0), "syscall instruction (trap)");
    ck_assert_str_eq(step_text(&m, 1), "save regs(B#2) to k-stack(B#2)");
    ck_assert_str_eq(step_text(&m, 4), "handle the trap: syscall write (#1)");
    ck_assert_uint_eq(tl_step_at(&m, 4)->column, TL_COL_OS);
    ck_assert_str_eq(step_text(&m, 8), "jump to B#2's PC 0x00000024");
    tl_free(&m);
}
END_TEST

/* A text function that says which code it was asked for, at full length
 * (the model cuts it). */
static unsigned texts_asked;

static void fake_texts(void *ctx, uint32_t code, char *buf, size_t len)
{
    (void)ctx;
    texts_asked++;
    snprintf(buf, len,
             "asked for step %" PRIu32 " of pid %" PRIu32
             " at length %zu, a sentence longer than a step keeps",
             code & 0xffu, code >> 8, len);
}

/* The port's events without texts (nobody reads them): the PID register is
 * told by faddr, a syscall is named from its number, and only a rare step
 * asks for its sentence; an event with text is used as it is. */
START_TEST(synthetic_steps_without_texts)
{
    struct tl_model m;
    char want[2 * TL_STEP_TEXT];

    new_model(&m);
    tl_set_texts(&m, fake_texts, NULL);
    texts_asked = 0;
    dev(&m, 10, TRACE_REG_PID, 2, NULL);
    ck_assert_uint_eq(m.pid, 2);
    ck_assert_uint_eq(m.nsteps, 0);
    rett(&m, 11, 0x0);
    ck_assert_uint_eq(tl_segment_at(&m, 0)->end, 11);
    ck_assert_uint_eq(m.open.row, 1);
    ck_assert_str_eq(m.rows[1].label, "B#2");
    trap(&m, 20, ISA_CAUSE_SYSCALL, 0x8, 0x134);
    step(&m, 25, TRACE_STEP_SYSCALL, 11, NULL);
    step(&m, 26, TRACE_STEP_SYSCALL, 99, NULL);
    step(&m, 27, TRACE_STEP_SCHED, 1, NULL);
    step(&m, 28, TRACE_STEP_RETT, 2, NULL);
    ck_assert_uint_eq(texts_asked, 0);
    step(&m, 30, TRACE_STEP_EXIT, 2, NULL);
    ck_assert_uint_eq(texts_asked, 1);
    step(&m, 31, TRACE_STEP_EXIT, 2, "process exited: pid 2 (B)");
    ck_assert_uint_eq(texts_asked, 1);
    ck_assert_uint_eq(m.nsteps, 10);
    ck_assert_str_eq(step_text(&m, 4), "handle the trap: syscall readfile (#11)");
    ck_assert_str_eq(step_text(&m, 5), "handle the trap: syscall ? (#99)");
    ck_assert_str_eq(step_text(&m, 6), "call switch(): next is A#1");
    ck_assert_str_eq(step_text(&m, 7), "return-from-trap (into B#2)");
    snprintf(want, sizeof want, "asked for step %d of pid 2 at length %d, a sentence longer than",
             TRACE_STEP_EXIT, TL_STEP_TEXT);
    want[TL_STEP_TEXT - 1] = '\0'; /* what a step keeps */
    ck_assert_str_eq(step_text(&m, 8), want);
    ck_assert_uint_eq(tl_step_at(&m, 8)->column, TL_COL_OS);
    ck_assert_str_eq(step_text(&m, 9), "process exited: pid 2 (B)");
    tl_free(&m);
}
END_TEST

/* A trap taken in kernel mode (IE=1) nests: the kernel bar changes reason
 * and goes back to the interrupted one at its rett. */
START_TEST(synthetic_nested)
{
    struct tl_model m;
    struct cpu_event ev = {.kind = CPU_EV_TRAP, .cycle = 50, .cause = ISA_CAUSE_DISK};

    new_model(&m);
    ev.from = CPU_MODE_KERNEL;
    ev.to = CPU_MODE_KERNEL;
    tl_event(&m, &ev);
    ev = (struct cpu_event){.kind = CPU_EV_RETT, .cycle = 70, .pc = 0x10};
    ev.from = CPU_MODE_KERNEL;
    ev.to = CPU_MODE_KERNEL;
    tl_event(&m, &ev);
    tl_finish(&m, 90);
    ck_assert_uint_eq(m.nsegs, 3);
    check_segment(&m, 0, 0, 50, TL_ROW_KERNEL, TL_KERNEL, TL_REASON_BOOT);
    check_segment(&m, 1, 50, 70, TL_ROW_KERNEL, TL_KERNEL, ISA_CAUSE_DISK);
    check_segment(&m, 2, 70, 90, TL_ROW_KERNEL, TL_KERNEL, TL_REASON_BOOT);
    ck_assert_str_eq(step_text(&m, 1), "save regs to the kernel stack in use");
    ck_assert_uint_eq(m.nrows, 1);
    tl_free(&m);
}
END_TEST

/* Without a kernel that reports processes, user time goes to row "user". */
START_TEST(synthetic_bare_machine)
{
    struct tl_model m;
    char label[32];

    ck_assert_int_eq(tl_init(&m, 4), 0);
    rett(&m, 10, 0x100);
    trap(&m, 20, ISA_CAUSE_SYSCALL, 0x104, 0x80);
    rett(&m, 30, 0x104);
    trap(&m, 40, ISA_CAUSE_PROTECTION, 0x108, 0x80);
    rett(&m, 50, 0x10c);
    struct cpu_event halt = {.kind = CPU_EV_HALT, .cycle = 60, .pc = 0x110, .code = 7};
    tl_event(&m, &halt);
    const struct tl_mark *k = tl_mark_at(&m, m.nmarks - 1);
    ck_assert_int_eq(k->kind, TL_MARK_HALT);
    ck_assert_uint_eq(k->pc, 0x110); /* where it halted (the export's "pc") */
    ck_assert_uint_eq(k->cause, 7);
    ck_assert_uint_eq(m.nrows, 2);
    tl_row_label(&m, 1, label, sizeof label);
    ck_assert_str_eq(label, "user");
    ck_assert_uint_eq(m.counts.switches, 0);
    /* the ring keeps the last 4 of 6 segments */
    ck_assert_uint_eq(m.nsegs, 6);
    ck_assert_uint_eq(tl_first_segment(&m), 2);
    ck_assert_ptr_null(tl_segment_at(&m, 1));
    check_segment(&m, 3, 30, 40, 1, TL_USER, 0);
    check_segment(&m, 4, 40, 50, TL_ROW_KERNEL, TL_KERNEL, ISA_CAUSE_PROTECTION);
    ck_assert_uint_eq(tl_reason_group(ISA_CAUSE_PROTECTION), 3);
    ck_assert_str_eq(step_text(&m, 0), "exception: protection");
    tl_free(&m);
}
END_TEST

/* Steps are put into words when read, yet say what was true when they
 * happened: a process renamed later (exec) keeps its old label in the
 * steps before the rename. */
static char renamed[32] = "sh"; /* longer than a row keeps */

static const char *renaming_names(void *ctx, uint32_t pid)
{
    (void)ctx;
    return pid == 3 ? renamed : "?";
}

START_TEST(steps_keep_old_labels)
{
    struct tl_model m;

    ck_assert_int_eq(tl_init(&m, 16), 0);
    tl_set_names(&m, renaming_names, NULL);
    snprintf(renamed, sizeof renamed, "sh");
    step(&m, 10, TRACE_STEP_RETT, 3, "return-from-trap into pid 3 (sh), user mode");
    rett(&m, 11, 0x0);
    trap(&m, 20, ISA_CAUSE_SYSCALL, 0x8, 0x134);
    step(&m, 25, TRACE_STEP_SYSCALL, 6, "syscall wait (#6) by pid 3 (sh)");
    snprintf(renamed, sizeof renamed, "a-very-long-program-name");
    step(&m, 30, TRACE_STEP_RETT, 3, "return-from-trap into pid 3 (a-very-long-pro), user mode");
    rett(&m, 31, 0x0);
    ck_assert_uint_eq(m.nsteps, 9);
    ck_assert_str_eq(step_text(&m, 1), "save regs(sh#3) to k-stack(sh#3)");
    ck_assert_str_eq(step_text(&m, 4), "handle the trap: syscall wait (#6)");
    /* the row is renamed at the rett: the label is cut to TL_NAME_MAX */
    ck_assert_str_eq(step_text(&m, 5), "return-from-trap (into sh#3)");
    ck_assert_str_eq(step_text(&m, 6), "restore regs(a-very-long-pro#3) from k-stack(a-very-lon");
    ck_assert_str_eq(step_text(&m, 8), "jump to a-very-long-pro#3's PC 0x00000000");
    tl_free(&m);
}
END_TEST

/* Kernel-mode traps never start a new transition: the last TL_MAX_STEPS
 * steps are kept, oldest first, and the port's long texts are cut to
 * TL_STEP_TEXT - 1 characters. */
START_TEST(steps_ring_and_long_text)
{
    struct tl_model m;
    struct cpu_event ev = {.kind = CPU_EV_TRAP, .cause = ISA_CAUSE_TIMER, .handler = 0x200};
    char want[TL_STEP_TEXT];

    ck_assert_int_eq(tl_init(&m, 16), 0);
    ev.from = CPU_MODE_KERNEL;
    ev.to = CPU_MODE_KERNEL;
    for (unsigned i = 0; i < 10; i++) {
        ev.cycle = 100 * i;
        tl_event(&m, &ev); /* 4 steps each */
    }
    step(&m, 1000, TRACE_STEP_CREATE, 4,
         "create pid 4 (someprogram): program loaded from disk, entry 0x00000010");
    ck_assert_uint_eq(m.nsteps, TL_MAX_STEPS);
    /* 41 steps made: the oldest kept is the 2nd step of the 5th trap */
    ck_assert_uint_eq(tl_step_at(&m, 0)->cycle, 400);
    ck_assert_str_eq(step_text(&m, 0), "save regs to the kernel stack in use");
    ck_assert_str_eq(step_text(&m, 1), "stay in kernel mode, interrupts off");
    ck_assert_str_eq(step_text(&m, 2), "jump to trap handler 0x00000200");
    ck_assert_str_eq(step_text(&m, 3), "timer interrupt");
    ck_assert_uint_eq(tl_step_at(&m, 3)->cycle, 500);
    ck_assert_uint_eq(tl_step_at(&m, TL_MAX_STEPS - 2)->cycle, 900);
    snprintf(want, sizeof want, "%.*s", TL_STEP_TEXT - 1,
             "create pid 4 (someprogram): program loaded from disk, entry 0x00000010");
    ck_assert_uint_eq(strlen(want), TL_STEP_TEXT - 1);
    ck_assert_str_eq(step_text(&m, TL_MAX_STEPS - 1), want);
    ck_assert_uint_eq(tl_step_at(&m, TL_MAX_STEPS - 1)->column, TL_COL_OS);
    tl_free(&m);
}
END_TEST

/* ---- the JSON export against its golden file */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

START_TEST(json_golden)
{
    struct tl_model m;
    struct pf_writer w;
    char *out = NULL, *golden;
    size_t outlen = 0, glen;
    FILE *f = open_memstream(&out, &outlen);

    new_model(&m);
    memset(&w, 0, sizeof w);
    pf_start(&w, &m, f);
    feed_switch(&m, 641);
    trap(&m, 900, ISA_CAUSE_SYSCALL, 0x24, 0x134);
    step(&m, 904, TRACE_STEP_SYSCALL, 1, "syscall write (#1) by pid 2 (B)");
    ck_assert_int_eq(pf_close(&w, &m, 960), 0);
    fclose(f);
    if (getenv("WIN_GOLDEN_UPDATE") != NULL) {
        FILE *g = fopen(WIN_TEST_GOLDEN, "w");
        fputs(out, g);
        fclose(g);
    }
    golden = read_all(WIN_TEST_GOLDEN, &glen);
    ck_assert_str_eq(out, golden);
    free(out);
    free(golden);
    tl_free(&m);
}
END_TEST

/* ---- the font */

START_TEST(font_glyphs)
{
    for (int c = WIN_FONT_FIRST + 1; c <= WIN_FONT_LAST; c++) {
        unsigned lit = 0;
        for (unsigned y = 0; y < WIN_FONT_H; y++) {
            for (unsigned x = 0; x < WIN_FONT_W; x++) {
                lit += win_font_pixel((char)c, x, y);
            }
        }
        ck_assert_msg(lit > 0, "glyph %c is empty", c);
    }
    /* '0' and 'O' must differ; 'g' has a descender, 'A' none */
    ck_assert(win_font_pixel('0', 2, 3) && !win_font_pixel('O', 2, 3));
    ck_assert(win_font_pixel('g', 1, 7) && !win_font_pixel('A', 1, 7));
    ck_assert(!win_font_pixel('A', 5, 0) && !win_font_pixel('A', 0, 8));
    ck_assert(win_font_pixel('\x01', 1, 1) == win_font_pixel('?', 1, 1));
}
END_TEST

/* ---- a real guest OS run: `lde run --quantum 2000 ab.s` */

#define AB_QUANTUM 2000

struct guest_run {
    struct emu_machine m; /* the machine */
    struct tl_model tl;   /* its timeline */
    char disk[512];       /* the temporary disk */
    int status;           /* halt code */
};

static const char *trace_names(void *ctx, uint32_t pid)
{
    return trace_name_of(ctx, pid);
}

static void trace_texts(void *ctx, uint32_t code, char *buf, size_t len)
{
    trace_step_text(ctx, code, buf, len);
}

/* Build the machine with the timeline watching, ready to run. */
static void start_ab(struct guest_run *g)
{
    struct emu_options o;
    char err[512] = "";

    memset(g, 0, sizeof *g);
    memset(&o, 0, sizeof o);
    o.ram_mib = ISA_RAM_DEFAULT_MIB;
    o.quantum = AB_QUANTUM;
    o.image_path = LDE_DEFAULT_KERNEL;
    ck_assert_int_eq(emu_run_make_disk(WIN_TEST_AB, 0, NULL, LDE_DEFAULT_DISK, g->disk,
                                       sizeof g->disk, NULL, err, sizeof err),
                     0);
    o.disk_path = g->disk;
    ck_assert_msg(emu_machine_build(&g->m, &o, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(tl_init(&g->tl, 1u << 16), 0);
    tl_set_names(&g->tl, trace_names, bus_device_named(g->m.bus, "trace"));
    /* as the window: no texts on every event, the rare ones asked for */
    tl_set_texts(&g->tl, trace_texts, bus_device_named(g->m.bus, "trace"));
    ck_assert_int_eq(emu_machine_observe(&g->m, tl_event, &g->tl), 0);
}

/* The whole run, to the guest's halt. */
static void run_ab(struct guest_run *g)
{
    start_ab(g);
    ck_assert_int_eq(cpu_run(g->m.cpu, 50u * 1000 * 1000), CPU_STOP_HALT);
    fflush(stdout);
    g->status = (int)cpu_halt_code(g->m.cpu);
    tl_finish(&g->tl, cpu_cycles(g->m.cpu));
}

static void free_ab(struct guest_run *g)
{
    tl_free(&g->tl);
    emu_machine_free(&g->m);
    unlink(g->disk);
}

/* The first timer trap from process A whose rett goes into another
 * process B, with A having run >= `before` cycles and B >= `after`. */
static bool find_switch(const struct tl_model *m, uint64_t before, uint64_t after, uint64_t *trap_i)
{
    for (uint64_t i = 0; i + 1 < m->nmarks; i++) {
        const struct tl_mark *t = tl_mark_at(m, i), *r = tl_mark_at(m, i + 1);
        if (t->kind != TL_MARK_TRAP || t->cause != ISA_CAUSE_TIMER || t->from_row == 0 ||
            r->kind != TL_MARK_RETT || r->to_row == t->from_row || r->to_row == 0) {
            continue;
        }
        for (uint64_t s = 0; s + 2 < m->nsegs; s++) {
            const struct tl_segment *a = tl_segment_at(m, s), *b = tl_segment_at(m, s + 2);
            if (a->end == t->cycle && a->end - a->start >= before && b->start == r->cycle &&
                b->end - b->start >= after) {
                *trap_i = i;
                return true;
            }
        }
    }
    return false;
}

START_TEST(guest_rows_and_segments)
{
    static struct guest_run g;
    const struct tl_model *m = &g.tl;

    run_ab(&g);
    ck_assert_int_eq(g.status, 0);
    ck_assert_uint_ge(m->nrows, 4);
    ck_assert_str_eq(m->rows[0].name, "kernel");
    ck_assert_str_eq(m->rows[1].name, "init");
    ck_assert_uint_eq(m->rows[1].pid, 1);
    ck_assert_str_eq(m->rows[2].name, "ab");
    ck_assert_str_eq(m->rows[3].name, "ab");
    ck_assert_uint_eq(m->rows[3].pid, 3);
    /* segments tile time with no gap; kernel ones on row 0; user ones
     * never follow each other (a trap always comes between) */
    ck_assert_uint_eq(tl_segment_at(m, 0)->start, 0);
    for (uint64_t i = 1; i < m->nsegs; i++) {
        const struct tl_segment *p = tl_segment_at(m, i - 1), *s = tl_segment_at(m, i);
        ck_assert_uint_eq(s->start, p->end);
        ck_assert(s->kind == TL_USER || s->row == TL_ROW_KERNEL);
        ck_assert(!(s->kind == TL_USER && p->kind == TL_USER));
    }
    ck_assert_uint_eq(tl_segment_at(m, m->nsegs - 1)->end, cpu_cycles(g.m.cpu));
    ck_assert_uint_eq(m->counts.user_cycles + m->counts.kernel_cycles, cpu_cycles(g.m.cpu));
    ck_assert_uint_ge(m->counts.traps[ISA_CAUSE_TIMER], 5);
    ck_assert_uint_ge(m->counts.switches, 5);
    ck_assert_uint_eq(m->counts.traps_total, m->nmarks - m->counts.retts - 1); /* + halt */
    free_ab(&g);
}
END_TEST

/* A timer-driven switch A -> kernel -> B: marks, bars and the protocol
 * steps in order, the OS ones from the kernel's trace port. */
START_TEST(guest_timer_switch)
{
    static struct guest_run g;
    struct tl_model *m = &g.tl;
    uint64_t i = 0;
    const struct tl_mark *t, *r;
    char a[32], b[32], want[96];
    static const char *const os_order[] = {
        "handle the trap (timer)", "call switch(): next is ", "save regs(",
        "restore regs(",           "switch to k-stack(",      "return-from-trap (into "};
    unsigned next = 0, rb;
    uint64_t rett_cycle;

    /* find a switch in a whole run, then run again up to its rett */
    run_ab(&g);
    ck_assert(find_switch(m, 100, 100, &i));
    t = tl_mark_at(m, i);
    r = tl_mark_at(m, i + 1);
    rett_cycle = r->cycle;
    rb = r->to_row;
    tl_row_label(m, t->from_row, a, sizeof a);
    tl_row_label(m, rb, b, sizeof b);
    free_ab(&g);
    start_ab(&g);
    while (cpu_cycles(g.m.cpu) <= rett_cycle) {
        ck_assert_int_eq(cpu_run(g.m.cpu, rett_cycle + 1 - cpu_cycles(g.m.cpu)), CPU_STOP_BUDGET);
    }
    fflush(stdout);
    ck_assert_uint_eq(m->open.row, rb);
    ck_assert_uint_eq(m->open.start, rett_cycle);
    snprintf(want, sizeof want, "save regs(%s) to k-stack(%s)", a, a);
    ck_assert_str_eq(step_text(m, 0), "timer interrupt");
    ck_assert_str_eq(step_text(m, 1), want);
    for (unsigned s = 0; s < m->nsteps; s++) {
        if (next < 6 && tl_step_at(m, s)->column == TL_COL_OS &&
            strncmp(step_text(m, s), os_order[next], strlen(os_order[next])) == 0) {
            next++;
        }
    }
    ck_assert_uint_eq(next, 6);
    snprintf(want, sizeof want, "jump to %s's PC", b);
    ck_assert_ptr_nonnull(strstr(step_text(m, m->nsteps - 1), want));
    snprintf(want, sizeof want, "restore regs(%s) from k-stack(%s)", b, b);
    ck_assert_str_eq(step_text(m, m->nsteps - 3), want);
    free_ab(&g);
}
END_TEST

#ifdef WIN_TEST_SDL
/* ---- the headless screenshot, read back at known pixels */

struct picture {
    unsigned w, h; /* size */
    uint8_t *rgb;  /* w*h*3 bytes */
};

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Read a PNG as win_png writes it: RGB, 8 bits, filter 0 rows. */
static void read_png(const char *path, struct picture *pic)
{
    size_t len, pos = 8, zlen = 0;
    uint8_t *f = (uint8_t *)read_all(path, &len), *z = malloc(len);
    uLongf rawlen;
    uint8_t *raw;

    ck_assert_int_eq(memcmp(f, "\x89PNG\r\n\x1a\n", 8), 0);
    while (pos + 12 <= len) {
        uint32_t n = be32(f + pos);
        if (memcmp(f + pos + 4, "IHDR", 4) == 0) {
            pic->w = be32(f + pos + 8);
            pic->h = be32(f + pos + 12);
            ck_assert_uint_eq(f[pos + 16], 8);
            ck_assert_uint_eq(f[pos + 17], 2);
        } else if (memcmp(f + pos + 4, "IDAT", 4) == 0) {
            memcpy(z + zlen, f + pos + 8, n);
            zlen += n;
        }
        ck_assert_uint_eq(crc32(crc32(0, NULL, 0), f + pos + 4, n + 4), be32(f + pos + 8 + n));
        pos += 12 + n;
    }
    rawlen = (uLongf)(pic->w * 3 + 1) * pic->h;
    raw = malloc(rawlen);
    ck_assert_int_eq(uncompress(raw, &rawlen, z, zlen), Z_OK);
    ck_assert_uint_eq(rawlen, (pic->w * 3 + 1) * pic->h);
    pic->rgb = malloc((size_t)pic->w * pic->h * 3);
    for (unsigned y = 0; y < pic->h; y++) {
        ck_assert_uint_eq(raw[y * (pic->w * 3 + 1)], 0);
        memcpy(pic->rgb + (size_t)y * pic->w * 3, raw + y * (pic->w * 3 + 1) + 1, pic->w * 3);
    }
    free(raw);
    free(z);
    free(f);
}

static uint32_t pixel(const struct picture *p, long x, long y)
{
    const uint8_t *q = p->rgb + ((size_t)y * p->w + (size_t)x) * 3;

    return (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
}

START_TEST(png_roundtrip)
{
    uint32_t px[6] = {0x112233, 0x445566, 0x778899, 0xaabbcc, 0xddeeff, 0xff0000};
    struct picture pic;
    char err[200];
    char path[] = "/tmp/lde-win-png-XXXXXX";
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(win_png_write(path, px, 2, 2, 3, err, sizeof err), 0);
    read_png(path, &pic);
    ck_assert_uint_eq(pic.w, 2);
    ck_assert_uint_eq(pic.h, 2);
    ck_assert_uint_eq(pixel(&pic, 1, 0), 0x445566);
    ck_assert_uint_eq(pixel(&pic, 0, 1), 0xaabbcc);
    ck_assert_int_eq(win_png_write("/nonexistent/dir/x.png", px, 2, 2, 3, err, sizeof err), -1);
    ck_assert_str_eq(err, "/nonexistent/dir/x.png: cannot write the picture");
    free(pic.rgb);
    unlink(path);
}
END_TEST

/* lde --screenshot of a timer switch A -> kernel -> B: A's bar before it,
 * the kernel's timer-red bar during it, B's bar after it. */
START_TEST(screenshot_pixels)
{
    static struct guest_run g;
    const struct tl_model *m = &g.tl;
    uint64_t i = 0, t, r, at, span;
    unsigned ra, rb;
    char cmd[2048], path[] = "/tmp/lde-win-shot-XXXXXX";
    struct picture pic;
    int fd = mkstemp(path), y, h;

    ck_assert_int_ge(fd, 0);
    close(fd);
    run_ab(&g);
    ck_assert(find_switch(m, 200, 200, &i));
    t = tl_mark_at(m, i)->cycle;
    r = tl_mark_at(m, i + 1)->cycle;
    ra = tl_mark_at(m, i)->from_row;
    rb = tl_mark_at(m, i + 1)->to_row;
    at = r + 150;
    span = at - (t - 150);
    snprintf(
        cmd, sizeof cmd,
        "SDL_VIDEODRIVER=dummy '%s' run --quantum %d --screenshot '%s' --screenshot-at %" PRIu64
        " --screenshot-span %" PRIu64 " '%s' </dev/null >/dev/null",
        WIN_TEST_LDE, AB_QUANTUM, path, at, span, WIN_TEST_AB);
    ck_assert_int_eq(system(cmd), 0);
    read_png(path, &pic);
    ck_assert_uint_eq(pic.w, WIN_W);
    ck_assert_uint_eq(pic.h, WIN_H);
    /* the rows at the screenshot: the same as at the end for the first
     * switches of this run (no process appears in between) */
    win_row_box(ra, m->nrows, &y, &h);
    ck_assert_uint_eq(pixel(&pic, win_x_of(t - 75, at, span), y + h / 2), win_rgb_user(ra));
    ck_assert_uint_eq(pixel(&pic, win_x_of(r + 75, at, span), y + h / 2), WIN_RGB_STRIPE);
    win_row_box(TL_ROW_KERNEL, m->nrows, &y, &h);
    ck_assert_uint_eq(pixel(&pic, win_x_of((t + r) / 2, at, span), y + h / 2),
                      win_rgb_reason(ISA_CAUSE_TIMER));
    win_row_box(rb, m->nrows, &y, &h);
    ck_assert_uint_eq(pixel(&pic, win_x_of(r + 75, at, span), y + h / 2), win_rgb_user(rb));
    ck_assert_uint_eq(pixel(&pic, 2, 2), WIN_RGB_BG);
    free(pic.rgb);
    unlink(path);
    free_ab(&g);
}
END_TEST
#endif

static Suite *window_suite(void)
{
    Suite *s = suite_create("window");
    TCase *model = tcase_create("model");
    TCase *guest = tcase_create("guest");

    tcase_add_test(model, synthetic_segments);
    tcase_add_test(model, synthetic_marks);
    tcase_add_test(model, synthetic_switch_steps);
    tcase_add_test(model, synthetic_syscall_steps);
    tcase_add_test(model, synthetic_steps_without_texts);
    tcase_add_test(model, synthetic_nested);
    tcase_add_test(model, synthetic_bare_machine);
    tcase_add_test(model, steps_keep_old_labels);
    tcase_add_test(model, steps_ring_and_long_text);
    tcase_add_test(model, json_golden);
    tcase_add_test(model, font_glyphs);
    suite_add_tcase(s, model);
    tcase_set_timeout(guest, 60);
    tcase_add_test(guest, guest_rows_and_segments);
    tcase_add_test(guest, guest_timer_switch);
#ifdef WIN_TEST_SDL
    tcase_add_test(model, png_roundtrip);
    tcase_add_test(guest, screenshot_pixels);
#endif
    suite_add_tcase(s, guest);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(window_suite());
    int failed;

    /* the guest console reads stdin without waiting: only an input that
     * has already ended makes the guest runs the same every time */
    if (freopen("/dev/null", "r", stdin) == NULL) {
        return EXIT_FAILURE;
    }
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
