/*
 * timeline.c - the user/kernel timeline model (timeline.h): turns the
 * machine's events into rows, segments, marks, protocol steps and counts.
 */
#include "timeline.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

/* The trace port says in faddr which register was written (trace.h): the
 * PID register, or STEP (code = arg << 8 | step). */
#define TL_PID_REG (ISA_DEV_TRACE + TRACE_REG_PID)

/* Row r's label from its name and pid ("ab#2"; "kernel" and "user" alone). */
static void label_row(struct tl_model *m, unsigned r)
{
    struct tl_row *row = &m->rows[r];
    size_t n = strlen(row->name); /* at most TL_NAME_MAX: the pid fits after it */

    memcpy(row->label, row->name, n + 1);
    if (r != TL_ROW_KERNEL && row->pid != 0) {
        snprintf(row->label + n, sizeof row->label - n, "#%" PRIu32, row->pid);
    }
}

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
    label_row(m, TL_ROW_KERNEL);
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

void tl_set_texts(struct tl_model *m, tl_text_fn fn, void *ctx)
{
    m->text_of = fn;
    m->text_ctx = ctx;
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
    snprintf(buf, len, "%s", m->rows[row < m->nrows ? row : 0].label);
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

/* Copy the kernel's name for `pid` into row r (when we can know it).  Called
 * at every return to user mode: an unchanged name costs one comparison. */
static void name_row(struct tl_model *m, unsigned r)
{
    const char *name = NULL;
    struct tl_row *row = &m->rows[r];

    if (row->pid != 0 && m->name_of != NULL) {
        name = m->name_of(m->name_ctx, row->pid);
    }
    if (name == NULL || name[0] == '\0') {
        name = row->pid == 0 ? "user" : "?";
    }
    /* the name kept is cut to TL_NAME_MAX: compare only that much */
    if (strncmp(row->name, name, TL_NAME_MAX) == 0) {
        return;
    }
    snprintf(row->name, sizeof row->name, "%s", name);
    label_row(m, r);
    if (m->sink.row != NULL) {
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

/* Append a step (dropping the oldest when the ring is full) and return it;
 * the caller fills in what it needs beyond kind and column. */
static struct tl_step *add_step(struct tl_model *m, uint64_t cycle, enum tl_column col,
                                enum tl_step_kind kind)
{
    struct tl_step *s;

    if (m->nsteps == TL_MAX_STEPS) {
        m->step_first = (m->step_first + 1) % TL_MAX_STEPS;
        m->nsteps--;
    }
    s = &m->steps[(m->step_first + m->nsteps++) % TL_MAX_STEPS];
    s->cycle = cycle;
    s->column = (uint8_t)col;
    s->kind = (uint8_t)kind;
    s->num = 0;
    s->who[0] = '\0';
    return s;
}

static void add_num_step(struct tl_model *m, uint64_t cycle, enum tl_column col,
                         enum tl_step_kind kind, uint32_t num)
{
    add_step(m, cycle, col, kind)->num = num;
}

/* A step about a process: its row's label now (a later rename of the row
 * must not change what this step said). */
static struct tl_step *add_pid_step(struct tl_model *m, uint64_t cycle, enum tl_column col,
                                    enum tl_step_kind kind, uint32_t pid)
{
    struct tl_step *s = add_step(m, cycle, col, kind);

    memcpy(s->who, m->rows[row_of(m, pid)].label, TL_LABEL_MAX);
    return s;
}

/* A step that shows (the first n bytes of) the trace port's text. */
static void add_text_step(struct tl_model *m, uint64_t cycle, enum tl_step_kind kind,
                          const char *text, size_t n)
{
    struct tl_step *s = add_step(m, cycle, TL_COL_OS, kind);

    n = n < TL_STEP_TEXT - 1 ? n : TL_STEP_TEXT - 1;
    memcpy(s->who, text, n);
    s->who[n] = '\0';
}

const struct tl_step *tl_step_at(const struct tl_model *m, unsigned i)
{
    return &m->steps[(m->step_first + i) % TL_MAX_STEPS];
}

/* The sentences of the steps that name nothing but themselves. */
static const char *plain_step(enum tl_step_kind kind)
{
    switch (kind) {
    case TL_STEP_SYSCALL_INSN:
        return "syscall instruction (trap)";
    case TL_STEP_TO_KERNEL:
        return "move to kernel mode";
    case TL_STEP_SAVE_NESTED:
        return "save regs to the kernel stack in use";
    case TL_STEP_STAY_KERNEL:
        return "stay in kernel mode, interrupts off";
    case TL_STEP_TO_USER:
        return "move to user mode";
    case TL_STEP_RESTORE_NESTED:
        return "restore regs from the kernel stack";
    case TL_STEP_HALTED:
        return "machine halted";
    default:
        return NULL;
    }
}

void tl_step_text(const struct tl_step *s, char *buf, size_t len)
{
    const char *w = s->who;
    const char *plain = plain_step((enum tl_step_kind)s->kind);

    if (plain != NULL) {
        snprintf(buf, len, "%s", plain);
        return;
    }
    switch ((enum tl_step_kind)s->kind) {
    case TL_STEP_EXCEPTION:
        snprintf(buf, len, "exception: %s", cpu_cause_name(s->num));
        break;
    case TL_STEP_INTERRUPT:
        snprintf(buf, len, "%s interrupt", cpu_cause_name(s->num));
        break;
    case TL_STEP_SAVE_USER:
        snprintf(buf, len, "save regs(%s) to k-stack(%s)", w, w);
        break;
    case TL_STEP_HANDLER:
        snprintf(buf, len, "jump to trap handler 0x%08" PRIx32, s->num);
        break;
    case TL_STEP_RESTORE_USER:
        snprintf(buf, len, "restore regs(%s) from k-stack(%s)", w, w);
        break;
    case TL_STEP_JUMP_USER:
        snprintf(buf, len, "jump to %s's PC 0x%08" PRIx32, w, s->num);
        break;
    case TL_STEP_JUMP_KERNEL:
        snprintf(buf, len, "jump back into the kernel 0x%08" PRIx32, s->num);
        break;
    case TL_STEP_OS_TRAP:
        snprintf(buf, len, "handle the trap (%s)", cpu_cause_name(s->num));
        break;
    case TL_STEP_OS_SYSCALL:
        snprintf(buf, len, "handle the trap: syscall %s (#%" PRIu32 ")", trace_syscall_name(s->num),
                 s->num);
        break;
    case TL_STEP_OS_SCHED:
        snprintf(buf, len, "call switch(): next is %s", w);
        break;
    case TL_STEP_OS_SAVE:
        snprintf(buf, len, "save regs(%s) to proc(%s)", w, w);
        break;
    case TL_STEP_OS_RESTORE:
        snprintf(buf, len, "restore regs(%s) from proc(%s)", w, w);
        break;
    case TL_STEP_OS_KSTACK:
        snprintf(buf, len, "switch to k-stack(%s)", w);
        break;
    case TL_STEP_OS_RETT:
        snprintf(buf, len, "return-from-trap (into %s)", w);
        break;
    default:
        snprintf(buf, len, "%s", w);
        break;
    }
}

/* The first hardware step of a trap: what happened. */
static void trap_cause_step(struct tl_model *m, const struct cpu_event *ev)
{
    unsigned cause = ev->cause;

    if (cause == ISA_CAUSE_SYSCALL) {
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_SYSCALL_INSN);
    } else if (tl_reason_group(cause) == 3) {
        add_num_step(m, ev->cycle, TL_COL_HW, TL_STEP_EXCEPTION, cause);
    } else {
        add_num_step(m, ev->cycle, TL_COL_HW, TL_STEP_INTERRUPT, cause);
    }
}

static void trap_steps(struct tl_model *m, const struct cpu_event *ev, uint32_t pid)
{
    trap_cause_step(m, ev);
    if (ev->from == CPU_MODE_USER) {
        add_pid_step(m, ev->cycle, TL_COL_HW, TL_STEP_SAVE_USER, pid);
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_TO_KERNEL);
    } else {
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_SAVE_NESTED);
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_STAY_KERNEL);
    }
    add_num_step(m, ev->cycle, TL_COL_HW, TL_STEP_HANDLER, ev->handler);
}

static void rett_steps(struct tl_model *m, const struct cpu_event *ev, uint32_t pid)
{
    if (ev->to == CPU_MODE_USER) {
        add_pid_step(m, ev->cycle, TL_COL_HW, TL_STEP_RESTORE_USER, pid);
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_TO_USER);
        add_pid_step(m, ev->cycle, TL_COL_HW, TL_STEP_JUMP_USER, pid)->num = ev->pc;
    } else {
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_RESTORE_NESTED);
        add_num_step(m, ev->cycle, TL_COL_HW, TL_STEP_JUMP_KERNEL, ev->pc);
    }
}

/* ---- events */

static void on_trap(struct tl_model *m, const struct cpu_event *ev)
{
    unsigned from_row = m->open.row;
    uint32_t pid = m->last_user_pid;

    if (ev->from == CPU_MODE_USER) {
        m->step_first = 0; /* a new transition begins */
        m->nsteps = 0;
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

/* A rare step, shown as the port words it: its sentence from the event
 * if someone made it, else asked of the port now (cut to TL_STEP_TEXT - 1
 * either way). */
static void port_text_step(struct tl_model *m, const struct cpu_event *ev)
{
    struct tl_step *s;

    if (ev->text != NULL || m->text_of == NULL) {
        const char *text = ev->text != NULL ? ev->text : "kernel step";
        add_text_step(m, ev->cycle, TL_STEP_OS_TEXT, text, strlen(text));
        return;
    }
    s = add_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_TEXT);
    m->text_of(m->text_ctx, ev->code, s->who, sizeof s->who);
}

/* One STEP written to the kernel's trace port. */
static void os_step(struct tl_model *m, const struct cpu_event *ev)
{
    uint32_t step = ev->code & 0xffu, arg = ev->code >> 8;

    switch (step) {
    case TRACE_STEP_TRAP:
        add_num_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_TRAP, arg);
        break;
    case TRACE_STEP_SYSCALL:
        add_num_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_SYSCALL, arg);
        break;
    case TRACE_STEP_SCHED:
        add_pid_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_SCHED, arg);
        break;
    case TRACE_STEP_SAVE:
        add_pid_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_SAVE, arg);
        break;
    case TRACE_STEP_RESTORE:
        add_pid_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_RESTORE, arg);
        add_pid_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_KSTACK, arg);
        break;
    case TRACE_STEP_RETT:
        m->rett_pid = arg;
        add_pid_step(m, ev->cycle, TL_COL_OS, TL_STEP_OS_RETT, arg);
        break;
    default:
        port_text_step(m, ev);
        break;
    }
}

static void on_device(struct tl_model *m, const struct cpu_event *ev)
{
    if (ev->device == NULL || strcmp(ev->device, "trace") != 0) {
        return;
    }
    if (ev->faddr == TL_PID_REG) {
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
        add_mark(m, &(struct tl_mark){ev->cycle, ev->pc, m->open.row, m->open.row, TL_MARK_HALT,
                                      (uint8_t)ev->code});
        add_step(m, ev->cycle, TL_COL_HW, TL_STEP_HALTED);
        tl_finish(m, ev->cycle);
        break;
    case CPU_EV_IRQ:
        break;
    }
}
