/*
 * monitor_run.c - running and stopping the guest from the monitor.
 *
 * Two ways to run:
 *   - free: cpu_run() in big chunks, at full speed.  Catches (trap,
 *     syscall, rett, mode, switch) and stepout need nothing more: the
 *     event observer sees the event and calls cpu_request_stop(), which
 *     ends the run at the very next instruction boundary - right after
 *     the trap was taken, or right after the rett or the trace-port write.
 *     Breakpoints are CPU breakpoints (cpu_set_breakpoint): marks in the
 *     decode cache that cost nothing until reached, on physical words -
 *     a kernel breakpoint's address, a user breakpoint's base + address
 *     for the base of the process running (mapped again after a rett to
 *     another base).  cpu_run() returns CPU_STOP_BREAKPOINT before such a
 *     word, and the monitor checks that the mode matches too.
 *   - stepped: cpu_step() one instruction at a time, checking pc against
 *     the breakpoints and the watched bytes after each.  Used only while a
 *     watchpoint is enabled, for step/next/until, or for user breakpoints
 *     under a base that is not a multiple of 4 (no word to mark).
 * Ctrl-C (SIGINT) requests a stop in either mode, and so does a quit
 * signal (emu_quit_signal), after which the session ends.
 *
 * The observer also keeps the statistics: time in each mode and per
 * process, traps per cause, system calls per number, process switches.
 * The current process is what the kernel wrote to the trace port's PID
 * register (trace_current_pid); nothing is guessed from memory.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "disasm.h"
#include "monitor_gui.h"
#include "monitor_private.h"
#ifdef LDE_HAVE_TRACE
#include "trace.h"
#endif

#define MON_RUN_CHUNK (1ull << 22) /* cycles per cpu_run call (output is flushed between) */
#define MON_GUI_CHUNK (1ull << 18) /* ... with the window: it may want a frame between */
#define MON_GUI_STEPS 4096u        /* cpu_step calls between two looks at the window */

/* ---- Statistics */

static struct mon_proc_stats *proc_stats(struct mon *mon, uint32_t pid)
{
    struct mon_proc_stats *p = &mon->stats.procs[pid % MON_PID_SLOTS];

    if (pid == 0) {
        return NULL;
    }
    if (p->pid != pid) {
        memset(p, 0, sizeof *p); /* a pid reused modulo the slots: start over */
        p->pid = pid;
    }
    return p;
}

void mon_stats_flush(struct mon *mon, uint64_t now)
{
    struct mon_stats *s = &mon->stats;
    struct mon_proc_stats *p = proc_stats(mon, mon->pid);
    uint64_t d = now > s->since ? now - s->since : 0;

    if (mon->stats_mode == CPU_MODE_USER) {
        s->user_cycles += d;
        if (p != NULL) {
            p->user_cycles += d;
        }
    } else {
        s->kernel_cycles += d;
        if (p != NULL) {
            p->kernel_cycles += d;
        }
    }
    s->since = now;
}

void mon_forget_run_state(struct mon *mon)
{
    memset(&mon->stats, 0, sizeof mon->stats);
    mon->stats_mode = cpu_mode(mon->cpu);
    mon->pid = 0;
    mon->have_frame = false;
    mon->last_stop = CPU_STOP_REQUEST; /* nothing has run */
    mon_snapshot_take(mon, &mon->before);
}

/* ---- Catches */

/* A stop point fired: count it, say why (the first reason wins) and end
 * the run. */
static void fire(struct mon *mon, struct mon_point *pt, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fire(struct mon *mon, struct mon_point *pt, const char *fmt, ...)
{
    va_list ap;

    if (pt != NULL) {
        pt->hits++;
    }
    if (!mon->caught) {
        int n = 0;
        if (pt != NULL) {
            n = snprintf(mon->reason, sizeof mon->reason, "catchpoint %u: ", pt->id);
        }
        va_start(ap, fmt);
        vsnprintf(mon->reason + n, sizeof mon->reason - (size_t)n, fmt, ap);
        va_end(ap);
    }
    mon->caught = true;
    if (mon->free_running) {
        cpu_request_stop(mon->cpu);
    }
}

static bool mask_has(uint64_t mask, unsigned bit)
{
    return mask == 0 || (bit < 64 && (mask >> bit) & 1u);
}

static void on_trap(struct mon *mon, const struct cpu_event *ev)
{
    uint32_t num = cpu_reg(mon->cpu, ISA_R_A5);
    char name[32];
    const char *sys = mon_syscall_name(mon, num, name, sizeof name);

    mon_stats_flush(mon, ev->cycle);
    mon->stats_mode = CPU_MODE_KERNEL;
    if (mon->stop_on_switch && ev->from != ev->to) {
        cpu_request_stop(mon->cpu); /* guarded_loop: this mode may need stepping */
    }
    mon->stats.traps[ev->cause % ISA_TRAP_TABLE_ENTRIES]++;
    mon->last_frame = ev->frame;
    mon->have_frame = true;
    if (ev->cause == ISA_CAUSE_SYSCALL) {
        struct mon_proc_stats *p = proc_stats(mon, mon->pid);
        mon->stats.syscalls[num < MON_MAX_SYSCALLS ? num : MON_MAX_SYSCALLS]++;
        if (p != NULL) {
            p->syscalls++;
        }
    }
    for (unsigned i = 0; i < MON_MAX_POINTS && mon->running; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id == 0 || !pt->enabled) {
            continue;
        }
        if (pt->kind == MON_PT_CATCH_TRAP && mask_has(pt->mask, ev->cause)) {
            fire(mon, pt,
                 "trap %s taken (%s -> kernel), saved pc 0x%08" PRIx32 ", frame at 0x%08" PRIx32,
                 cpu_cause_name(ev->cause), cpu_mode_name(ev->from), ev->pc, ev->frame);
        } else if (pt->kind == MON_PT_CATCH_SYSCALL && ev->cause == ISA_CAUSE_SYSCALL &&
                   mask_has(pt->mask, num)) {
            fire(mon, pt, "syscall %s (#%" PRIu32 ") taken, frame at 0x%08" PRIx32,
                 sys != NULL ? sys : "?", num, ev->frame);
        } else if (pt->kind == MON_PT_CATCH_MODE && ev->from != ev->to) {
            fire(mon, pt, "mode change %s -> %s (trap %s)", cpu_mode_name(ev->from),
                 cpu_mode_name(ev->to), cpu_cause_name(ev->cause));
        }
    }
}

static void on_rett(struct mon *mon, const struct cpu_event *ev)
{
    mon_stats_flush(mon, ev->cycle);
    mon->stats_mode = ev->to;
    if (mon->stop_on_switch && ev->from != ev->to) {
        cpu_request_stop(mon->cpu);
    }
    mon->stats.retts++;
    if (mon->free_running && ev->to == CPU_MODE_USER && mon->ncpu_breaks != 0 &&
        cpu_cr(mon->cpu, ISA_CR_base) != mon->breaks_base) {
        mon->remap_breaks = true; /* another process: its user breakpoints */
        cpu_request_stop(mon->cpu);
    }
    for (unsigned i = 0; i < MON_MAX_POINTS && mon->running; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id == 0 || !pt->enabled) {
            continue;
        }
        if (pt->kind == MON_PT_CATCH_RETT) {
            fire(mon, pt, "rett (%s -> %s), frame 0x%08" PRIx32 " popped", cpu_mode_name(ev->from),
                 cpu_mode_name(ev->to), ev->frame);
        } else if (pt->kind == MON_PT_CATCH_MODE && ev->from != ev->to) {
            fire(mon, pt, "mode change %s -> %s (rett)", cpu_mode_name(ev->from),
                 cpu_mode_name(ev->to));
        }
    }
    if (mon->running && mon->goal == MON_GOAL_RETT) {
        fire(mon, NULL, "stepped out: rett (%s -> %s), frame 0x%08" PRIx32 " popped",
             cpu_mode_name(ev->from), cpu_mode_name(ev->to), ev->frame);
    }
}

/* A trace-port event: has the kernel made another process current? */
static void on_device(struct mon *mon, const struct cpu_event *ev)
{
    struct device *trace = mon_trace_device(mon);
    uint32_t pid;
    char from[64], to[64];

    if (trace == NULL || ev->device == NULL || strcmp(ev->device, "trace") != 0) {
        return;
    }
#ifdef LDE_HAVE_TRACE
    pid = trace_current_pid(trace);
#else
    pid = 0;
#endif
    if (pid == mon->pid) {
        return;
    }
    mon_stats_flush(mon, ev->cycle);
    mon_format_pid(mon, mon->pid, from, sizeof from);
    mon_format_pid(mon, pid, to, sizeof to);
    mon->pid = pid;
    if (pid != 0) {
        struct mon_proc_stats *p = proc_stats(mon, pid);
        mon->stats.switches++;
        p->switches_in++;
    }
    for (unsigned i = 0; i < MON_MAX_POINTS && mon->running; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id != 0 && pt->enabled && pt->kind == MON_PT_CATCH_SWITCH) {
            fire(mon, pt, "process switch: %s -> %s", from, to);
        }
    }
}

void mon_observe(void *ctx, const struct cpu_event *ev)
{
    struct mon *mon = ctx;

    switch (ev->kind) {
    case CPU_EV_TRAP:
        on_trap(mon, ev);
        break;
    case CPU_EV_RETT:
        on_rett(mon, ev);
        break;
    case CPU_EV_DEVICE:
        on_device(mon, ev);
        break;
    case CPU_EV_IRQ:
    case CPU_EV_HALT:
        break;
    }
}

/* ---- Reporting a stop */

void mon_snapshot_take(struct mon *mon, struct mon_snapshot *s)
{
    for (unsigned r = 0; r < ISA_NREGS; r++) {
        s->r[r] = cpu_reg(mon->cpu, r);
    }
    for (unsigned c = 0; c < ISA_NCRS; c++) {
        s->cr[c] = cpu_cr(mon->cpu, (enum isa_cr)c);
    }
    s->pc = cpu_pc(mon->cpu);
}

/* The word at pc as the current mode fetches it; -1 with why if it cannot. */
static int fetch_at_pc(struct mon *mon, uint32_t *word, const char **why)
{
    uint32_t pc = cpu_pc(mon->cpu);
    uint32_t phys = pc;
    uint32_t ram = bus_ram_size(mon->m->bus);

    if (cpu_mode(mon->cpu) == CPU_MODE_USER) {
        uint32_t bounds = cpu_cr(mon->cpu, ISA_CR_bounds);
        if (pc > bounds || bounds - pc < 4) {
            *why = "outside the process's bounds";
            return -1;
        }
        phys = cpu_cr(mon->cpu, ISA_CR_base) + pc;
    }
    if (pc % 4 != 0) {
        *why = "misaligned";
        return -1;
    }
    if (phys >= ram || ram - phys < 4) {
        *why = "outside memory";
        return -1;
    }
    const uint8_t *p = bus_ram(mon->m->bus) + phys;
    *word = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return 0;
}

void mon_print_location(struct mon *mon)
{
    enum cpu_mode mode = cpu_mode(mon->cpu);
    char pid[64], pc[96], insn[128];
    uint32_t word;
    const char *why = "";

    mon_format_pid(mon, mon->pid, pid, sizeof pid);
    mon_format_pc(mon, cpu_pc(mon->cpu), mode, pc, sizeof pc);
    if (fetch_at_pc(mon, &word, &why) == 0) {
        disasm_insn(word, cpu_pc(mon->cpu), mode == CPU_MODE_KERNEL ? &mon->m->image : NULL, insn,
                    sizeof insn);
    } else {
        snprintf(insn, sizeof insn, "(no instruction: pc is %s)", why);
    }
    printf("cycle %" PRIu64 ", %s mode, %s, pc %s: %s\n", cpu_cycles(mon->cpu), cpu_mode_name(mode),
           pid, pc, insn);
}

void mon_report_stop(struct mon *mon)
{
    emu_console_break_line(stdout);
    printf("%s\n", mon->reason);
    mon_print_location(mon);
    mon_run_displays(mon);
    /* For the tests: how the run was done (a breakpoint must not make it
     * single-step), a measure that does not depend on the host's speed. */
    if (getenv("LDE_MONITOR_HOST_STATS") != NULL) {
        fprintf(stderr, "host: %" PRIu64 " cpu_run calls, %" PRIu64 " cpu_step calls",
                mon->host_runs, mon->host_steps);
        if (mon_gui_active()) {
            fprintf(stderr, ", %" PRIu64 " window frames during the run", mon->host_frames);
        }
        fputc('\n', stderr);
    }
}

/* ---- The run loops */

/* Ctrl-C ends the run (back to the prompt); a quit signal (SIGTERM, SIGHUP,
 * SIGQUIT, SIGPIPE) ends it and the session. */
static bool stop_asked(void)
{
    return mon_interrupted || emu_quit_signal != 0;
}

static bool is_final(enum cpu_stop why)
{
    return why == CPU_STOP_HALT || why == CPU_STOP_DOUBLE_FAULT || why == CPU_STOP_DEADLOCK;
}

/* Cycles per cpu_run call: smaller with the window, so that it is
 * redrawn on time (the run is only sliced; it stops where it would). */
static uint64_t run_chunk(const struct mon *mon)
{
    uint64_t chunk = mon_gui_active() ? MON_GUI_CHUNK : MON_RUN_CHUNK;
    uint64_t max = mon->opts->max_cycles, now = cpu_cycles(mon->cpu);

    if (max != 0 && now < max && max - now < chunk) /* --max-cycles: not past it */
        chunk = max - now;
    return chunk;
}

/* Has the machine run the --max-cycles it was given?  Then run commands
 * stop (a script that never reaches its breakpoint still ends). */
static bool at_cycle_limit(const struct mon *mon)
{
    return mon->opts->max_cycles != 0 && cpu_cycles(mon->cpu) >= mon->opts->max_cycles;
}

/* Between two slices of a run: with --gui the window shows the machine
 * (a frame when one is due); closing it stops the run as Ctrl-C does. */
static void between_slices(struct mon *mon)
{
    if (mon_gui_active() && mon_gui_during_run()) {
        mon->host_frames++;
    }
}

static enum cpu_stop free_loop(struct mon *mon)
{
    for (;;) {
        enum cpu_stop why = cpu_run(mon->cpu, run_chunk(mon));
        mon->host_runs++;
        fflush(stdout);
        between_slices(mon);
        if (is_final(why) || at_cycle_limit(mon)) {
            return why;
        }
        if (mon->caught || stop_asked()) {
            return CPU_STOP_REQUEST;
        }
        /* BUDGET, or a stale stop request from a catch that came just as a
         * chunk ended: carry on. */
    }
}

/* Is an enabled breakpoint at the current pc?  Then say so and delete it
 * if temporary. */
static bool at_breakpoint(struct mon *mon)
{
    uint32_t pc = cpu_pc(mon->cpu);
    enum cpu_mode mode = cpu_mode(mon->cpu);

    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id == 0 || !pt->enabled || pt->kind != MON_PT_BREAK || pt->addr != pc ||
            (pt->mode != MON_BP_ANY && pt->mode != (enum mon_bp_mode)mode) ||
            (pt->program && mon_user_image(mon) == NULL)) {
            continue;
        }
        pt->hits++;
        snprintf(mon->reason, sizeof mon->reason, "%s %u hit",
                 pt->temporary ? "temporary breakpoint" : "breakpoint", pt->id);
        if (pt->temporary) {
            pt->id = 0;
        }
        return true;
    }
    return false;
}

/* Format old and new contents of a watched range (words when aligned). */
static void describe_change(char *buf, size_t len, const uint8_t *old, const uint8_t *now,
                            uint32_t n)
{
    size_t used = (size_t)snprintf(buf, len, "old");
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *b = pass == 0 ? old : now;
        if (pass == 1) {
            used += (size_t)snprintf(buf + used, used < len ? len - used : 0, ", new");
        }
        for (uint32_t i = 0; i < n; i += (n % 4 == 0 ? 4 : 1)) {
            if (n % 4 == 0) {
                uint32_t w = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 | (uint32_t)b[i + 2] << 16 |
                             (uint32_t)b[i + 3] << 24;
                used +=
                    (size_t)snprintf(buf + used, used < len ? len - used : 0, " 0x%08" PRIx32, w);
            } else {
                used += (size_t)snprintf(buf + used, used < len ? len - used : 0, " 0x%02x", b[i]);
            }
        }
    }
}

/* Has a watched range changed since it was last seen? */
static bool watch_changed(struct mon *mon, uint32_t writer_pc)
{
    const uint8_t *ram = bus_ram(mon->m->bus);

    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        struct mon_point *pt = &mon->points[i];
        char what[160], sym[96];
        if (pt->id == 0 || !pt->enabled || pt->kind != MON_PT_WATCH ||
            memcmp(ram + pt->addr, pt->old, pt->len) == 0) {
            continue;
        }
        pt->hits++;
        describe_change(what, sizeof what, pt->old, ram + pt->addr, pt->len);
        mon_format_sym(mon, pt->addr, sym, sizeof sym);
        snprintf(mon->reason, sizeof mon->reason,
                 "watchpoint %u: 0x%08" PRIx32 "%s changed by the instruction at 0x%08" PRIx32
                 ": %s",
                 pt->id, pt->addr, sym, writer_pc, what);
        memcpy(pt->old, ram + pt->addr, pt->len);
        return true;
    }
    return false;
}

static void refresh_watches(struct mon *mon)
{
    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id != 0 && pt->kind == MON_PT_WATCH) {
            memcpy(pt->old, bus_ram(mon->m->bus) + pt->addr, pt->len);
        }
    }
}

/* Is the CPU at the address `until` or `next` runs to, in its mode? */
static bool at_goal_addr(struct mon *mon)
{
    if (mon->goal != MON_GOAL_ADDR || cpu_pc(mon->cpu) != mon->goal_addr ||
        (mon->goal_mode != MON_BP_ANY && mon->goal_mode != (enum mon_bp_mode)cpu_mode(mon->cpu)) ||
        (mon->goal_same_base && cpu_mode(mon->cpu) == CPU_MODE_USER &&
         cpu_cr(mon->cpu, ISA_CR_base) != mon->goal_base) ||
        (mon->goal_program && mon_user_image(mon) == NULL)) {
        return false;
    }
    snprintf(mon->reason, sizeof mon->reason, "reached 0x%08" PRIx32, mon->goal_addr);
    return true;
}

/* Has the run reached its goal (step count, address)? */
static bool goal_reached(struct mon *mon)
{
    if (mon->goal == MON_GOAL_STEPS) {
        if (--mon->goal_count == 0) {
            snprintf(mon->reason, sizeof mon->reason, "step");
            return true;
        }
        return false;
    }
    return at_goal_addr(mon);
}

/* ---- CPU breakpoints */

/* Is `pt` an enabled breakpoint that applies in `mode`? */
static bool breaks_in(const struct mon_point *pt, enum cpu_mode mode)
{
    return pt->id != 0 && pt->enabled && pt->kind == MON_PT_BREAK &&
           (pt->mode == MON_BP_ANY || pt->mode == (enum mon_bp_mode)mode);
}

/* The physical words the enabled breakpoints are on as the CPU is now:
 * a kernel breakpoint's address, a user one's base + address.  Returns
 * how many were put in `out` (room for 2 * MON_MAX_POINTS). */
static unsigned wanted_breaks(struct mon *mon, uint32_t *out)
{
    uint32_t base = cpu_cr(mon->cpu, ISA_CR_base);
    unsigned n = 0;

    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        const struct mon_point *pt = &mon->points[i];
        if (breaks_in(pt, CPU_MODE_KERNEL)) {
            out[n++] = pt->addr;
        }
        if (breaks_in(pt, CPU_MODE_USER) && UINT32_MAX - base >= pt->addr) {
            out[n++] = base + pt->addr;
        }
    }
    return n;
}

static bool has_word(const uint32_t *words, unsigned n, uint32_t w)
{
    for (unsigned i = 0; i < n; i++) {
        if (words[i] == w) {
            return true;
        }
    }
    return false;
}

/* Make the CPU's breakpoints those of the enabled breakpoints, mapped with
 * the current base.  Words that did not change are left alone (setting or
 * clearing one makes the CPU decode it again). */
static void sync_breaks(struct mon *mon)
{
    uint32_t want[2 * MON_MAX_POINTS];
    unsigned n = wanted_breaks(mon, want);

    for (unsigned i = 0; i < mon->ncpu_breaks; i++) {
        if (!has_word(want, n, mon->cpu_breaks[i])) {
            cpu_set_breakpoint(mon->cpu, mon->cpu_breaks[i], false);
        }
    }
    mon->ncpu_breaks = 0;
    for (unsigned i = 0; i < n; i++) {
        if (cpu_set_breakpoint(mon->cpu, want[i], true) == 0) { /* -1: outside RAM, never run */
            mon->cpu_breaks[mon->ncpu_breaks++] = want[i];
        }
    }
    mon->breaks_base = cpu_cr(mon->cpu, ISA_CR_base);
    mon->remap_breaks = false;
}

/* Must instructions in `mode` be stepped one by one: a step or address
 * goal, any watchpoint, or a user breakpoint under a base that is not a
 * multiple of 4 (instructions are then at no word the CPU can mark)? */
static bool needs_stepping(struct mon *mon, enum cpu_mode mode)
{
    if (mon->goal == MON_GOAL_STEPS ||
        (mon->goal == MON_GOAL_ADDR &&
         (mon->goal_mode == MON_BP_ANY || mon->goal_mode == (enum mon_bp_mode)mode))) {
        return true;
    }
    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        const struct mon_point *pt = &mon->points[i];
        if (pt->id == 0 || !pt->enabled) {
            continue;
        }
        if (pt->kind == MON_PT_WATCH || (mode == CPU_MODE_USER && breaks_in(pt, mode) &&
                                         cpu_cr(mon->cpu, ISA_CR_base) % 4 != 0)) {
            return true;
        }
    }
    return false;
}

static bool needs_stepping_anywhere(struct mon *mon)
{
    return needs_stepping(mon, CPU_MODE_USER) || needs_stepping(mon, CPU_MODE_KERNEL);
}

/* Run at full speed until a CPU breakpoint, a rett to another base (user
 * breakpoints are mapped again), a catch, Ctrl-C or the machine stops; and,
 * if the other mode is stepped, until the mode changes (the observer asks
 * for the stop at the trap or rett). */
static enum cpu_stop free_segment(struct mon *mon)
{
    enum cpu_mode mode = cpu_mode(mon->cpu);
    bool switch_ends = needs_stepping_anywhere(mon);
    enum cpu_stop why;

    sync_breaks(mon);
    mon->free_running = true;
    mon->stop_on_switch = switch_ends;
    do {
        why = cpu_run(mon->cpu, run_chunk(mon));
        mon->host_runs++;
        fflush(stdout);
        between_slices(mon);
    } while (!is_final(why) && why != CPU_STOP_BREAKPOINT && !mon->caught && !stop_asked() &&
             !mon->remap_breaks && (!switch_ends || cpu_mode(mon->cpu) == mode) &&
             !at_cycle_limit(mon));
    mon->free_running = false;
    mon->stop_on_switch = false;
    return why;
}

/* One instruction; true when the run must end (watchpoint, catch, goal). */
static bool step_one(struct mon *mon, enum cpu_stop *why)
{
    uint32_t pc = cpu_pc(mon->cpu);

    *why = cpu_step(mon->cpu);
    mon->host_steps++;
    if (mon->host_steps % MON_GUI_STEPS == 0) {
        between_slices(mon);
    }
    if (is_final(*why) || stop_asked()) {
        return true;
    }
    if (*why == CPU_STOP_REQUEST && !mon->caught) {
        return false; /* a stale request: nothing was executed */
    }
    if (watch_changed(mon, pc)) {
        mon->caught = false; /* the watchpoint's reason stands */
        *why = CPU_STOP_REQUEST;
        return true;
    }
    *why = CPU_STOP_REQUEST;
    return mon->caught || goal_reached(mon);
}

/* Breakpoints, watchpoints or goals are set: step in the mode(s) that need
 * it, run free in the other; breakpoints stop a free run through the CPU.
 * A stop at a CPU breakpoint whose mode does not match (a kernel
 * breakpoint's word run in user mode, say) just goes on. */
static enum cpu_stop guarded_loop(struct mon *mon)
{
    bool first = true; /* the instruction we resume at never stops us */
    enum cpu_stop why;

    for (;;) {
        if (!first && at_breakpoint(mon)) {
            return CPU_STOP_REQUEST;
        }
        if (at_cycle_limit(mon)) {
            return CPU_STOP_BUDGET;
        }
        first = false;
        if (!needs_stepping(mon, cpu_mode(mon->cpu))) {
            why = free_segment(mon);
            if (is_final(why)) {
                return why;
            }
            /* A free run in the other mode can end right on the goal: a
             * trap into the handler that `until` names. */
            if (mon->caught || stop_asked() || at_goal_addr(mon)) {
                return CPU_STOP_REQUEST;
            }
            continue;
        }
        if (step_one(mon, &why)) {
            return why;
        }
    }
}

/* Is any breakpoint enabled? */
static bool has_breaks(struct mon *mon)
{
    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        if (breaks_in(&mon->points[i], CPU_MODE_USER) ||
            breaks_in(&mon->points[i], CPU_MODE_KERNEL)) {
            return true;
        }
    }
    return false;
}

/* The reason line for a run that ended by itself. */
static void final_reason(struct mon *mon, enum cpu_stop why)
{
    switch (why) {
    case CPU_STOP_HALT:
        snprintf(mon->reason, sizeof mon->reason, "halted: the guest executed halt, code %" PRIu32,
                 cpu_halt_code(mon->cpu));
        break;
    case CPU_STOP_DOUBLE_FAULT:
        snprintf(mon->reason, sizeof mon->reason, "halted: %s",
                 mon->m->halt_text[0] ? mon->m->halt_text : "double fault");
        break;
    case CPU_STOP_DEADLOCK:
        snprintf(mon->reason, sizeof mon->reason,
                 "deadlock: wfi with no interrupt to come (reset to start again)");
        break;
    default:
        snprintf(mon->reason, sizeof mon->reason, "interrupted (%s)",
                 emu_quit_signal != 0 ? emu_signal_name(emu_quit_signal)
                 : mon_gui_closed()   ? "the window was closed"
                                      : "Ctrl-C");
        break;
    }
}

/* Run with the goal already set; report the stop. */
static int run_guest(struct mon *mon)
{
    enum cpu_stop why;

    if (cpu_halted(mon->cpu)) {
        mon_error("the machine has halted; 'reset' starts it again");
        mon->goal = MON_GOAL_NONE;
        return -1;
    }
    if (at_cycle_limit(mon)) {
        mon_error("the machine has run its --max-cycles (%" PRIu64 "); 'reset' starts it again",
                  mon->opts->max_cycles);
        mon->goal = MON_GOAL_NONE;
        return -1;
    }
    mon_snapshot_take(mon, &mon->before);
    refresh_watches(mon);
    mon->caught = false;
    mon_interrupted = 0;
    mon->reason[0] = '\0';
    mon->host_runs = 0;
    mon->host_steps = 0;
    mon->host_frames = 0;
    sync_breaks(mon); /* none left set from before if there are none now */
    mon->running = true;
    mon->free_running = !needs_stepping_anywhere(mon) && !has_breaks(mon);
    mon_guest_running(true);
    why = mon->free_running ? free_loop(mon) : guarded_loop(mon);
    mon_guest_running(false);
    mon->running = false;
    mon->free_running = false;
    mon->goal = MON_GOAL_NONE;
    mon->last_stop = why;
    if (is_final(why) || (stop_asked() && !mon->caught)) {
        final_reason(mon, why);
    } else if (at_cycle_limit(mon) && mon->reason[0] == '\0') {
        snprintf(mon->reason, sizeof mon->reason, "stopped: --max-cycles %" PRIu64 " reached",
                 mon->opts->max_cycles);
    }
    fflush(stdout);
    mon_report_stop(mon);
    return 0;
}

/* ---- Commands */

int mon_cmd_step(struct mon *mon, int argc, char **argv)
{
    uint32_t n = 1;

    if (argc > 2) {
        mon_error("step: expected at most one count");
        return -1;
    }
    if (argc == 2 && (mon_parse_number(argv[1], &n) != 0)) {
        return -1;
    }
    if (n == 0 || (argc == 2 && argv[1][0] == '-')) { /* -1 would parse as 2^32 - 1 */
        mon_error("step: the count must be at least 1");
        return -1;
    }
    mon->goal = MON_GOAL_STEPS;
    mon->goal_count = n;
    return run_guest(mon);
}

/* Is the instruction at pc a call (jal/jalr that links into ra)? */
static bool at_call(struct mon *mon)
{
    uint32_t word;
    const char *why;

    if (fetch_at_pc(mon, &word, &why) != 0 || !disasm_is_legal(word)) {
        return false;
    }
    return (isa_get_op(word) == ISA_OP_jal || isa_get_op(word) == ISA_OP_jalr) &&
           isa_get_a(word) == ISA_R_RA;
}

int mon_cmd_next(struct mon *mon, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        mon_error("next: takes no arguments");
        return -1;
    }
    if (!at_call(mon)) {
        mon->goal = MON_GOAL_STEPS;
        mon->goal_count = 1;
        return run_guest(mon);
    }
    mon->goal = MON_GOAL_ADDR;
    mon->goal_addr = cpu_pc(mon->cpu) + 4;
    mon->goal_mode = (enum mon_bp_mode)cpu_mode(mon->cpu);
    mon->goal_same_base = true; /* the call returns in this process, not another's */
    mon->goal_program = false;
    mon->goal_base = cpu_cr(mon->cpu, ISA_CR_base);
    return run_guest(mon);
}

int mon_cmd_continue(struct mon *mon, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        mon_error("continue: takes no arguments");
        return -1;
    }
    mon->goal = MON_GOAL_NONE;
    return run_guest(mon);
}

int mon_cmd_stepout(struct mon *mon, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        mon_error("stepout: takes no arguments");
        return -1;
    }
    if (cpu_mode(mon->cpu) != CPU_MODE_KERNEL) {
        mon_error("stepout: not in a trap (the CPU is in user mode)");
        return -1;
    }
    mon->goal = MON_GOAL_RETT;
    return run_guest(mon);
}

/* Is physical `addr` inside a section of the image; its flags in *flags. */
static bool image_section_of(struct mon *mon, uint32_t addr, uint32_t *flags)
{
    const struct image *img = &mon->m->image;

    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        if (addr >= s->addr && addr - s->addr < s->mem_size) {
            *flags = s->flags;
            return true;
        }
    }
    return false;
}

/* Parse "[user|kernel] ADDR" for break, tbreak and until, and check that
 * an instruction can be there.  Without a qualifier the mode is `dflt`.
 * Kernel addresses are physical; user addresses are virtual (pc as the
 * process sees it). */
static int parse_code_addr(struct mon *mon, int argc, char **argv, enum mon_bp_mode dflt,
                           enum mon_bp_mode *mode, uint32_t *addr)
{
    int i = 1;
    uint32_t flags;

    *mode = dflt;
    if (argc > 1 && (strcmp(argv[1], "user") == 0 || strcmp(argv[1], "kernel") == 0)) {
        *mode = argv[1][0] == 'u' ? MON_BP_USER : MON_BP_KERNEL;
        i = 2;
    }
    if (argc != i + 1) {
        mon_error("%s: expected [user|kernel] ADDR", argv[0]);
        return -1;
    }
    if (mon_parse_expr(mon, argv[i], addr) != 0) {
        return -1;
    }
    if (*addr % 4 != 0) {
        mon_error("0x%08" PRIx32 " holds no instruction: instructions are at multiples of 4",
                  *addr);
        return -1;
    }
    if (*mode == MON_BP_USER) {
        return 0;
    }
    if (*addr >= bus_ram_size(mon->m->bus)) {
        mon_error("0x%08" PRIx32 " holds no instruction: it is outside memory", *addr);
        return -1;
    }
    if (image_section_of(mon, *addr, &flags) && !(flags & IMAGE_SEC_EXEC)) {
        mon_error("0x%08" PRIx32 " holds no instruction: it is in a data section of the image",
                  *addr);
        return -1;
    }
    return 0;
}

int mon_cmd_until(struct mon *mon, int argc, char **argv)
{
    enum mon_bp_mode mode;
    uint32_t addr;

    if (parse_code_addr(mon, argc, argv, (enum mon_bp_mode)cpu_mode(mon->cpu), &mode, &addr) != 0) {
        return -1;
    }
    mon->goal = MON_GOAL_ADDR;
    mon->goal_addr = addr;
    mon->goal_mode = mode;
    mon->goal_same_base = false; /* a user address in whatever process runs... */
    mon->goal_program = mode == MON_BP_USER && mon->expr_program; /* ...or that program */
    return run_guest(mon);
}

/* A free stop point slot with a fresh id, or NULL (with a message). */
static struct mon_point *new_point(struct mon *mon, enum mon_point_kind kind)
{
    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        struct mon_point *pt = &mon->points[i];
        if (pt->id == 0) {
            memset(pt, 0, sizeof *pt);
            pt->id = mon->next_point_id++;
            pt->kind = kind;
            pt->enabled = true;
            return pt;
        }
    }
    mon_error("too many stop points (at most %d); delete some", MON_MAX_POINTS);
    return NULL;
}

static const char *mode_word(enum mon_bp_mode mode)
{
    return mode == MON_BP_ANY ? "any mode" : mode == MON_BP_USER ? "user mode" : "kernel mode";
}

/* "0x000004bc <main> (user mode, in hog)": a breakpoint's place. */
static void print_break_where(struct mon *mon, const struct mon_point *pt)
{
    char sym[96];

    if (pt->program) {
        mon_format_program_sym(mon, pt->addr, sym, sizeof sym);
        printf("0x%08" PRIx32 "%s (user mode, in %s)\n", pt->addr, sym, mon->opts->program->name);
        return;
    }
    mon_format_sym(mon, pt->mode == MON_BP_USER ? UINT32_MAX : pt->addr, sym, sizeof sym);
    printf("0x%08" PRIx32 "%s (%s)\n", pt->addr, sym, mode_word(pt->mode));
}

static int add_break(struct mon *mon, int argc, char **argv, bool temporary)
{
    enum mon_bp_mode mode;
    uint32_t addr;
    struct mon_point *pt;

    if (parse_code_addr(mon, argc, argv, MON_BP_KERNEL, &mode, &addr) != 0 ||
        (pt = new_point(mon, MON_PT_BREAK)) == NULL) {
        return -1;
    }
    pt->addr = addr;
    pt->mode = mode;
    pt->temporary = temporary;
    pt->program = mode == MON_BP_USER && mon->expr_program;
    printf("%s %u at ", temporary ? "temporary breakpoint" : "breakpoint", pt->id);
    print_break_where(mon, pt);
    return 0;
}

int mon_cmd_break(struct mon *mon, int argc, char **argv)
{
    return add_break(mon, argc, argv, false);
}

int mon_cmd_tbreak(struct mon *mon, int argc, char **argv)
{
    return add_break(mon, argc, argv, true);
}

int mon_cmd_watch(struct mon *mon, int argc, char **argv)
{
    uint32_t addr, len = 4;
    struct mon_point *pt;
    char sym[96];

    if (argc < 2 || argc > 3) {
        mon_error("watch: expected ADDR [LEN]");
        return -1;
    }
    if (mon_parse_expr(mon, argv[1], &addr) != 0 ||
        (argc == 3 && mon_parse_number(argv[2], &len) != 0)) {
        return -1;
    }
    if (len == 0 || len > MON_WATCH_MAX) {
        mon_error("watch: LEN must be 1..%d bytes", MON_WATCH_MAX);
        return -1;
    }
    if (mon_check_ram(mon, addr, len) != 0 || (pt = new_point(mon, MON_PT_WATCH)) == NULL) {
        return -1;
    }
    pt->addr = addr;
    pt->len = len;
    memcpy(pt->old, bus_ram(mon->m->bus) + addr, len);
    mon_format_sym(mon, addr, sym, sizeof sym);
    printf("watchpoint %u: %" PRIu32 " bytes at 0x%08" PRIx32 "%s (physical)\n", pt->id, len, addr,
           sym);
    return 0;
}

/* catch trap [CAUSE...]: the mask of causes. */
static int parse_causes(int argc, char **argv, uint64_t *mask)
{
    *mask = 0;
    for (int i = 2; i < argc; i++) {
        int c = mon_cause_number(argv[i]);
        if (c < 0) {
            mon_error("unknown cause '%s' (causes: syscall timer console disk illegal privileged "
                      "divzero protection misaligned breakpoint)",
                      argv[i]);
            return -1;
        }
        *mask |= 1ull << c;
    }
    return 0;
}

static int parse_syscalls(struct mon *mon, int argc, char **argv, uint64_t *mask)
{
    *mask = 0;
    for (int i = 2; i < argc; i++) {
        int n = mon_syscall_number(mon, argv[i]);
        if (n < 0) {
            mon_error("unknown system call '%s' (a number 0..%d or a name the kernel's SYS_ "
                      "symbols give)",
                      argv[i], MON_MAX_SYSCALLS - 1);
            return -1;
        }
        *mask |= 1ull << n;
    }
    return 0;
}

static const char *const catch_words[] = {"trap", "syscall", "rett", "mode", "switch"};
static const enum mon_point_kind catch_kinds[] = {MON_PT_CATCH_TRAP, MON_PT_CATCH_SYSCALL,
                                                  MON_PT_CATCH_RETT, MON_PT_CATCH_MODE,
                                                  MON_PT_CATCH_SWITCH};

int mon_cmd_catch(struct mon *mon, int argc, char **argv)
{
    uint64_t mask = 0;
    struct mon_point *pt;
    int k = -1;

    for (int i = 0; argc > 1 && i < 5; i++) {
        if (strcmp(argv[1], catch_words[i]) == 0) {
            k = i;
        }
    }
    if (k < 0) {
        mon_error("catch: expected trap, syscall, rett, mode or switch");
        return -1;
    }
    if ((k == 0 && parse_causes(argc, argv, &mask) != 0) ||
        (k == 1 && parse_syscalls(mon, argc, argv, &mask) != 0)) {
        return -1;
    }
    if (k >= 2 && argc > 2) {
        mon_error("catch %s: takes no arguments", argv[1]);
        return -1;
    }
    if (k == 4 && mon_trace_device(mon) == NULL) {
        mon_error("catch switch: this lde has no kernel trace port");
        return -1;
    }
    if ((pt = new_point(mon, catch_kinds[k])) == NULL) {
        return -1;
    }
    pt->mask = mask;
    printf("catchpoint %u: %s", pt->id, catch_words[k]);
    for (int i = 2; i < argc; i++) {
        printf(" %s", argv[i]);
    }
    putchar('\n');
    return 0;
}

/* ---- delete, disable, enable, info break */

static struct mon_point *point_by_id(struct mon *mon, const char *word)
{
    uint32_t id;

    if (mon_parse_number(word, &id) != 0) {
        return NULL;
    }
    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        if (mon->points[i].id != 0 && mon->points[i].id == id) {
            return &mon->points[i];
        }
    }
    mon_error("no stop point %s (info break lists them)", word);
    return NULL;
}

/* Apply `op` (0 delete, 1 disable, 2 enable) to the points named. */
static int change_points(struct mon *mon, int argc, char **argv, int op)
{
    if (argc < 2 && op != 0) {
        mon_error("%s: expected stop point numbers", argv[0]);
        return -1;
    }
    if (argc < 2) {
        for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
            mon->points[i].id = 0;
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        struct mon_point *pt = point_by_id(mon, argv[i]);
        if (pt == NULL) {
            return -1;
        }
        if (op == 0) {
            pt->id = 0;
        } else {
            pt->enabled = op == 2;
        }
    }
    return 0;
}

int mon_cmd_delete(struct mon *mon, int argc, char **argv)
{
    return change_points(mon, argc, argv, 0);
}

int mon_cmd_disable(struct mon *mon, int argc, char **argv)
{
    return change_points(mon, argc, argv, 1);
}

int mon_cmd_enable(struct mon *mon, int argc, char **argv)
{
    return change_points(mon, argc, argv, 2);
}

/* The "What" column of info break for a catch: its causes or syscalls. */
static void catch_what(struct mon *mon, const struct mon_point *pt)
{
    char name[32];

    const char *sep = "";

    if (pt->mask == 0) {
        printf(pt->kind == MON_PT_CATCH_TRAP || pt->kind == MON_PT_CATCH_SYSCALL ? "any" : "-");
    }
    for (unsigned b = 0; b < 64; b++) {
        if (!((pt->mask >> b) & 1u)) {
            continue;
        }
        if (pt->kind == MON_PT_CATCH_TRAP) {
            printf("%s%s", sep, cpu_cause_name(b));
        } else if (mon_syscall_name(mon, b, name, sizeof name) != NULL) {
            printf("%s%s", sep, name);
        } else {
            printf("%s%u", sep, b);
        }
        sep = " ";
    }
    putchar('\n');
}

int mon_cmd_info_break(struct mon *mon)
{
    static const char *const kinds[] = {"breakpoint", "watchpoint", "catch trap",  "catch syscall",
                                        "catch rett", "catch mode", "catch switch"};
    bool any = false;
    char sym[96];

    for (unsigned i = 0; i < MON_MAX_POINTS; i++) {
        const struct mon_point *pt = &mon->points[i];
        if (pt->id == 0) {
            continue;
        }
        if (!any) {
            printf("Num  Type           Enb  Hits  What\n");
            any = true;
        }
        printf("%-4u %-14s %-4s %-5u ", pt->id, pt->temporary ? "tbreakpoint" : kinds[pt->kind],
               pt->enabled ? "y" : "n", pt->hits);
        if (pt->kind == MON_PT_BREAK) {
            print_break_where(mon, pt);
        } else if (pt->kind == MON_PT_WATCH) {
            mon_format_sym(mon, pt->addr, sym, sizeof sym);
            printf("0x%08" PRIx32 "%s, %" PRIu32 " bytes\n", pt->addr, sym, pt->len);
        } else {
            catch_what(mon, pt);
        }
    }
    if (!any) {
        printf("No breakpoints, watchpoints or catchpoints.\n");
    }
    return 0;
}
