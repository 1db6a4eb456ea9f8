/*
 * timeline.c - the user/kernel timeline model (timeline.h): turns the
 * machine's events into rows, segments, marks, protocol steps and counts.
 */
#include "timeline.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/* The trace port reports a PID-register write with this text prefix;
 * every other trace event is a STEP (code = arg << 8 | step). */
#define TL_PID_TEXT "current process"

int tl_init(struct tl_model *m, size_t cap)
{
    memset(m, 0, sizeof *m);
    if (cap == 0) {
        cap = 1;
    }
    m->segs = calloc(cap, sizeof *m->segs);
    m->marks = calloc(cap, sizeof *m->marks);
    if (m->segs == NULL || m->marks == NULL) {
        tl_free(m);
        return -1;
    }
    m->seg_cap = cap;
    m->mark_cap = cap;
    m->nrows = 1;
    snprintf(m->rows[0].name, sizeof m->rows[0].name, "kernel");
    /* The machine starts at reset in kernel mode: the boot stretch. */
    m->mode = CPU_MODE_KERNEL;
    m->open = (struct tl_segment){0, 0, TL_ROW_KERNEL, TL_KERNEL, TL_REASON_BOOT};
    return 0;
}

void tl_free(struct tl_model *m)
{
    free(m->segs);
    free(m->marks);
    m->segs = NULL;
    m->marks = NULL;
}

void tl_set_names(struct tl_model *m, tl_name_fn fn, void *ctx)
{
    m->name_of = fn;
    m->name_ctx = ctx;
}

void tl_set_sink(struct tl_model *m, const struct tl_sink *sink)
{
    m->sink = *sink;
}

const char *tl_reason_name(unsigned reason)
{
    return reason == TL_REASON_BOOT ? "boot" : cpu_cause_name(reason);
}

unsigned tl_reason_group(unsigned reason)
{
    switch (reason) {
    case ISA_CAUSE_SYSCALL:
        return 0;
    case ISA_CAUSE_TIMER:
        return 1;
    case ISA_CAUSE_CONSOLE:
    case ISA_CAUSE_DISK:
        return 2;
    case TL_REASON_BOOT:
        return 4;
    default:
        return 3;
    }
}

void tl_row_label(const struct tl_model *m, unsigned row, char *buf, size_t len)
{
    const struct tl_row *r = &m->rows[row < m->nrows ? row : 0];

    if (row == TL_ROW_KERNEL || r->pid == 0) {
        snprintf(buf, len, "%s", r->name);
    } else {
        snprintf(buf, len, "%s#%" PRIu32, r->name, r->pid);
    }
}

/* ---- rings */

const struct tl_segment *tl_segment_at(const struct tl_model *m, uint64_t i)
{
    if (i >= m->nsegs || i < tl_first_segment(m)) {
        return NULL;
    }
    return &m->segs[i % m->seg_cap];
}

const struct tl_mark *tl_mark_at(const struct tl_model *m, uint64_t i)
{
    if (i >= m->nmarks || i < tl_first_mark(m)) {
        return NULL;
    }
    return &m->marks[i % m->mark_cap];
}

uint64_t tl_first_segment(const struct tl_model *m)
{
    return m->nsegs > m->seg_cap ? m->nsegs - m->seg_cap : 0;
}

uint64_t tl_first_mark(const struct tl_model *m)
{
    return m->nmarks > m->mark_cap ? m->nmarks - m->mark_cap : 0;
}

unsigned tl_user_percent(const struct tl_model *m, uint64_t now)
{
    uint64_t user = m->counts.user_cycles;
    uint64_t kernel = m->counts.kernel_cycles;
    uint64_t open = now > m->open.start ? now - m->open.start : 0;

    if (m->open.kind == TL_USER) {
        user += open;
    } else {
        kernel += open;
    }
    return user + kernel == 0 ? 0 : (unsigned)(user * 100 / (user + kernel));
}

/* ---- rows */

/* Copy the kernel's name for `pid` into row r (when we can know it). */
static void name_row(struct tl_model *m, unsigned r)
{
    const char *name = NULL;
    char old[TL_NAME_MAX + 1];

    if (m->rows[r].pid != 0 && m->name_of != NULL) {
        name = m->name_of(m->name_ctx, m->rows[r].pid);
    }
    if (name == NULL || name[0] == '\0') {
        name = m->rows[r].pid == 0 ? "user" : "?";
    }
    snprintf(old, sizeof old, "%s", m->rows[r].name);
    snprintf(m->rows[r].name, sizeof m->rows[r].name, "%s", name);
    if (strcmp(old, m->rows[r].name) != 0 && m->sink.row != NULL) {
        m->sink.row(m->sink.ctx, m, r);
    }
}

/* The row of process `pid`, made on first use (the last row is shared
 * once TL_MAX_ROWS are taken). */
static unsigned row_of(struct tl_model *m, uint32_t pid)
{
    unsigned r;

    for (r = 1; r < m->nrows; r++) {
        if (m->rows[r].pid == pid) {
            return r;
        }
    }
    if (m->nrows == TL_MAX_ROWS) {
        return TL_MAX_ROWS - 1;
    }
    r = m->nrows++;
    m->rows[r].pid = pid;
    m->rows[r].name[0] = '\0';
    name_row(m, r);
    return r;
}

/* ---- segments and marks */

/* End the open segment at `cycle` and start a new one. */
static void switch_segment(struct tl_model *m, uint64_t cycle, unsigned row, enum tl_kind kind,
                           unsigned reason)
{
    struct tl_segment s = m->open;

    if (cycle > s.start) {
        s.end = cycle;
        if (s.kind == TL_USER) {
            m->counts.user_cycles += s.end - s.start;
        } else {
            m->counts.kernel_cycles += s.end - s.start;
        }
        m->segs[m->nsegs % m->seg_cap] = s;
        m->nsegs++;
        if (m->sink.segment != NULL) {
            m->sink.segment(m->sink.ctx, m, &s);
        }
    }
    m->open = (struct tl_segment){cycle, cycle, (uint16_t)row, (uint8_t)kind, (uint8_t)reason};
}

static void add_mark(struct tl_model *m, const struct tl_mark *k)
{
    m->marks[m->nmarks % m->mark_cap] = *k;
    m->nmarks++;
    if (m->sink.mark != NULL) {
        m->sink.mark(m->sink.ctx, m, k);
    }
}

void tl_finish(struct tl_model *m, uint64_t cycle)
{
    if (cycle > m->open.start) {
        switch_segment(m, cycle, m->open.row, (enum tl_kind)m->open.kind, m->open.reason);
    }
}

/* ---- protocol steps */

static void add_step(struct tl_model *m, uint64_t cycle, enum tl_column col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_step(struct tl_model *m, uint64_t cycle, enum tl_column col, const char *fmt, ...)
{
    struct tl_step *s;
    va_list ap;

    if (m->nsteps == TL_MAX_STEPS) {
        memmove(&m->steps[0], &m->steps[1], (TL_MAX_STEPS - 1) * sizeof m->steps[0]);
        m->nsteps--;
    }
    s = &m->steps[m->nsteps++];
    s->cycle = cycle;
    s->column = (uint8_t)col;
    va_start(ap, fmt);
    vsnprintf(s->text, sizeof s->text, fmt, ap);
    va_end(ap);
}

/* "ab#2" for a pid, via its row. */
static const char *pid_label(struct tl_model *m, uint32_t pid, char *buf, size_t len)
{
    tl_row_label(m, row_of(m, pid), buf, len);
    return buf;
}

/* The first hardware step of a trap: what happened. */
static void trap_cause_step(struct tl_model *m, const struct cpu_event *ev)
{
    unsigned cause = ev->cause;

    if (cause == ISA_CAUSE_SYSCALL) {
        add_step(m, ev->cycle, TL_COL_HW, "syscall instruction (trap)");
    } else if (tl_reason_group(cause) == 3) {
        add_step(m, ev->cycle, TL_COL_HW, "exception: %s", cpu_cause_name(cause));
    } else {
        add_step(m, ev->cycle, TL_COL_HW, "%s interrupt", cpu_cause_name(cause));
    }
}

static void trap_steps(struct tl_model *m, const struct cpu_event *ev, uint32_t pid)
{
    char a[TL_NAME_MAX + 12];

    trap_cause_step(m, ev);
    if (ev->from == CPU_MODE_USER) {
        pid_label(m, pid, a, sizeof a);
        add_step(m, ev->cycle, TL_COL_HW, "save regs(%s) to k-stack(%s)", a, a);
        add_step(m, ev->cycle, TL_COL_HW, "move to kernel mode");
    } else {
        add_step(m, ev->cycle, TL_COL_HW, "save regs to the kernel stack in use");
        add_step(m, ev->cycle, TL_COL_HW, "stay in kernel mode, interrupts off");
    }
    add_step(m, ev->cycle, TL_COL_HW, "jump to trap handler 0x%08" PRIx32, ev->handler);
}

static void rett_steps(struct tl_model *m, const struct cpu_event *ev, uint32_t pid)
{
    char b[TL_NAME_MAX + 12];

    if (ev->to == CPU_MODE_USER) {
        pid_label(m, pid, b, sizeof b);
        add_step(m, ev->cycle, TL_COL_HW, "restore regs(%s) from k-stack(%s)", b, b);
        add_step(m, ev->cycle, TL_COL_HW, "move to user mode");
        add_step(m, ev->cycle, TL_COL_HW, "jump to %s's PC 0x%08" PRIx32, b, ev->pc);
    } else {
        add_step(m, ev->cycle, TL_COL_HW, "restore regs from the kernel stack");
        add_step(m, ev->cycle, TL_COL_HW, "jump back into the kernel 0x%08" PRIx32, ev->pc);
    }
}

/* ---- events */

static void on_trap(struct tl_model *m, const struct cpu_event *ev)
{
    unsigned from_row = m->open.row;
    uint32_t pid = m->last_user_pid;

    if (ev->from == CPU_MODE_USER) {
        m->nsteps = 0; /* a new transition begins */
    } else if (m->nest_depth < TL_NEST_MAX) {
        m->nest[m->nest_depth++] = m->open.reason;
    }
    m->counts.traps_total++;
    if (ev->cause < TL_REASON_BOOT) {
        m->counts.traps[ev->cause]++;
    }
    m->rett_pid = 0;
    switch_segment(m, ev->cycle, TL_ROW_KERNEL, TL_KERNEL, ev->cause);
    m->mode = CPU_MODE_KERNEL;
    add_mark(m, &(struct tl_mark){ev->cycle, ev->pc, (uint16_t)from_row, TL_ROW_KERNEL,
                                  TL_MARK_TRAP, (uint8_t)ev->cause});
    trap_steps(m, ev, pid);
}

static void on_rett(struct tl_model *m, const struct cpu_event *ev)
{
    unsigned row = TL_ROW_KERNEL;
    unsigned reason = TL_REASON_BOOT;
    uint32_t pid = m->rett_pid != 0 ? m->rett_pid : m->pid;

    m->counts.retts++;
    if (ev->to == CPU_MODE_USER) {
        row = row_of(m, pid);
        name_row(m, row);
        if (m->seen_user && pid != m->last_user_pid) {
            m->counts.switches++;
        }
        m->seen_user = true;
        m->last_user_pid = pid;
        m->nest_depth = 0;
        switch_segment(m, ev->cycle, row, TL_USER, 0);
    } else {
        if (m->nest_depth > 0) {
            reason = m->nest[--m->nest_depth];
        }
        switch_segment(m, ev->cycle, TL_ROW_KERNEL, TL_KERNEL, reason);
    }
    m->mode = ev->to;
    add_mark(m,
             &(struct tl_mark){ev->cycle, ev->pc, TL_ROW_KERNEL, (uint16_t)row, TL_MARK_RETT, 0});
    rett_steps(m, ev, pid);
}

/* The first part of the trace port's text, up to " by pid" (for syscalls). */
static void syscall_step(struct tl_model *m, const struct cpu_event *ev)
{
    const char *text = ev->text != NULL ? ev->text : "syscall";
    const char *by = strstr(text, " by pid");
    int n = by != NULL ? (int)(by - text) : (int)strlen(text);

    add_step(m, ev->cycle, TL_COL_OS, "handle the trap: %.*s", n, text);
}

/* One STEP written to the kernel's trace port. */
static void os_step(struct tl_model *m, const struct cpu_event *ev)
{
    uint32_t step = ev->code & 0xffu, arg = ev->code >> 8;
    char l[TL_NAME_MAX + 12];

    switch (step) {
    case TRACE_STEP_TRAP:
        add_step(m, ev->cycle, TL_COL_OS, "handle the trap (%s)", cpu_cause_name(arg));
        break;
    case TRACE_STEP_SYSCALL:
        syscall_step(m, ev);
        break;
    case TRACE_STEP_SCHED:
        add_step(m, ev->cycle, TL_COL_OS, "call switch(): next is %s",
                 pid_label(m, arg, l, sizeof l));
        break;
    case TRACE_STEP_SAVE:
        pid_label(m, arg, l, sizeof l);
        add_step(m, ev->cycle, TL_COL_OS, "save regs(%s) to proc(%s)", l, l);
        break;
    case TRACE_STEP_RESTORE:
        pid_label(m, arg, l, sizeof l);
        add_step(m, ev->cycle, TL_COL_OS, "restore regs(%s) from proc(%s)", l, l);
        add_step(m, ev->cycle, TL_COL_OS, "switch to k-stack(%s)", l);
        break;
    case TRACE_STEP_RETT:
        m->rett_pid = arg;
        add_step(m, ev->cycle, TL_COL_OS, "return-from-trap (into %s)",
                 pid_label(m, arg, l, sizeof l));
        break;
    default:
        add_step(m, ev->cycle, TL_COL_OS, "%s", ev->text != NULL ? ev->text : "kernel step");
        break;
    }
}

static void on_device(struct tl_model *m, const struct cpu_event *ev)
{
    if (ev->device == NULL || strcmp(ev->device, "trace") != 0) {
        return;
    }
    if (ev->text != NULL && strncmp(ev->text, TL_PID_TEXT, strlen(TL_PID_TEXT)) == 0) {
        m->pid = ev->code;
        return;
    }
    os_step(m, ev);
}

void tl_event(void *model, const struct cpu_event *ev)
{
    struct tl_model *m = model;

    switch (ev->kind) {
    case CPU_EV_TRAP:
        on_trap(m, ev);
        break;
    case CPU_EV_RETT:
        on_rett(m, ev);
        break;
    case CPU_EV_DEVICE:
        on_device(m, ev);
        break;
    case CPU_EV_HALT:
        m->halted = true;
        add_mark(m, &(struct tl_mark){ev->cycle, 0, m->open.row, m->open.row, TL_MARK_HALT,
                                      (uint8_t)ev->code});
        add_step(m, ev->cycle, TL_COL_HW, "machine halted");
        tl_finish(m, ev->cycle);
        break;
    case CPU_EV_IRQ:
        break;
    }
}
