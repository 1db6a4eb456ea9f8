/*
 * trace.c - the kernel trace port: turns the guest kernel's register writes
 * into readable CPU_EV_DEVICE events.  Registers in trace.h.
 *
 * The port keeps its state (current pid, names, VALUE) up to date on every
 * write, but composes the sentence of an event only while a front-end has
 * said it reads it (trace_want_text): a system call reports two steps
 * (SYSCALL, RETT), and formatting them cost more host time than running
 * the call.  Because the state is always kept, a reader that arrives late
 * (`trace on` in the monitor) sees the same sentences it would have seen
 * from the start, and a reader of a few steps can have their sentences
 * made on demand (trace_step_text) while their events are delivered.
 */
#include "trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "isa.h"

#define TRACE_NAME_SLOTS 64 /* names remembered at once (the guest has NPROC = 16 processes) */

/* The name the kernel reported for one pid, kept until the process is
 * reaped (a later pid may come back to the same slot only then). */
struct trace_name {
    uint32_t pid;                  /* 0 = slot unused */
    uint64_t learned;              /* when: the oldest is replaced if all are in use */
    char name[TRACE_NAME_MAX + 1]; /* NUL-terminated */
};

struct trace {
    struct device dev;                         /* must be first */
    uint32_t pid;                              /* PID register: current process */
    uint32_t name_addr;                        /* NAME register */
    bool name_pending;                         /* NAME written since the last STEP */
    uint32_t value;                            /* VALUE register: detail of the next STEP */
    struct trace_name names[TRACE_NAME_SLOTS]; /* pid -> name, in any order */
    uint64_t names_learned;                    /* names learned so far (their clock) */
    unsigned readers;                          /* front-ends reading ev->text */
    char text[160];                            /* text of the last event */
};

static const char *cause_name(uint32_t cause)
{
    switch (cause) {
#define X(name, num, short_name, meaning)                                                          \
    case num:                                                                                      \
        return short_name;
        ISA_CAUSE_LIST(X)
#undef X
    default:
        return "?";
    }
}

static struct trace *to_trace(struct device *dev)
{
    return (struct trace *)dev;
}

/* The number of the slot holding pid's name, or -1. */
static int name_slot(const struct trace *t, uint32_t pid)
{
    for (int k = 0; pid != 0 && k < TRACE_NAME_SLOTS; k++)
        if (t->names[k].pid == pid)
            return k;
    return -1;
}

const char *trace_name_of(const struct device *dev, uint32_t pid)
{
    const struct trace *t = (const struct trace *)dev;
    int k = name_slot(t, pid);

    return k >= 0 ? t->names[k].name : "?";
}

uint32_t trace_current_pid(const struct device *dev)
{
    return ((const struct trace *)dev)->pid;
}

const char *trace_current_name(const struct device *dev)
{
    uint32_t pid = trace_current_pid(dev);
    return pid == 0 ? "" : trace_name_of(dev, pid);
}

/* Remember the name at the NAME address for `pid`; the copy is bounded by
 * RAM, so a bad address gives an empty name, never a host access. */
static void learn_name(struct trace *t, uint32_t pid)
{
    int slot = name_slot(t, pid);
    struct trace_name *n = slot >= 0 ? &t->names[slot] : NULL;
    for (unsigned k = 0; n == NULL && k < TRACE_NAME_SLOTS; k++) /* a free slot */
        if (t->names[k].pid == 0)
            n = &t->names[k];
    for (unsigned k = 0; n == NULL && k < TRACE_NAME_SLOTS; k++) /* else the oldest */
        if (k == 0 || t->names[k].learned < n->learned)
            n = &t->names[k];
    const uint8_t *ram = bus_ram(t->dev.bus);
    uint32_t size = bus_ram_size(t->dev.bus);
    unsigned i;

    for (i = 0; i < TRACE_NAME_MAX && t->name_addr < size && i < size - t->name_addr; i++) {
        uint8_t c = ram[t->name_addr + i];
        if (c == 0)
            break;
        n->name[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    n->name[i] = '\0';
    n->pid = pid;
    n->learned = ++t->names_learned;
    t->name_pending = false;
}

static void boot_text(uint32_t phase, char *s, size_t n)
{
    static const char *const phases[] = {
        "?",
        "trap table and kernel stack installed",
        "disk directory read",
        "timer programmed: preemptive time sharing",
        "cooperative mode: timer left off",
        "first process created, entering it",
    };
    snprintf(s, n, "boot: %s", phase < sizeof(phases) / sizeof(phases[0]) ? phases[phase] : "?");
}

/* Compose the sentence for one STEP write into s (n bytes). */
static void step_text(const struct trace *t, uint32_t code, uint32_t arg, char *s, size_t n)
{
    const char *name = trace_name_of(&t->dev, arg);
    const char *cur = trace_current_name(&t->dev);

    switch (code) {
    case TRACE_STEP_BOOT:
        boot_text(arg, s, n);
        break;
    case TRACE_STEP_TRAP:
        snprintf(s, n, "trap handled: %s, from pid %u (%s)", cause_name(arg), t->pid, cur);
        break;
    case TRACE_STEP_SYSCALL:
        snprintf(s, n, "syscall %s (#%u) by pid %u (%s)", trace_syscall_name(arg), arg, t->pid,
                 cur);
        break;
    case TRACE_STEP_SCHED:
        snprintf(s, n, "scheduler picks pid %u (%s)", arg, name);
        break;
    case TRACE_STEP_SAVE:
        snprintf(s, n, "switch: save kernel context of pid %u (%s) in its process entry", arg,
                 name);
        break;
    case TRACE_STEP_RESTORE:
        snprintf(s, n, "switch: restore kernel context of pid %u (%s), its kernel stack", arg,
                 name);
        break;
    case TRACE_STEP_RETT:
        snprintf(s, n, "return-from-trap into pid %u (%s), user mode", arg, name);
        break;
    case TRACE_STEP_CREATE:
        snprintf(s, n, "process created: pid %u (%s)", arg, name);
        break;
    case TRACE_STEP_EXIT:
        snprintf(s, n, "process exited: pid %u (%s)", arg, name);
        break;
    case TRACE_STEP_KILL:
        snprintf(s, n, "process killed: pid %u (%s)", arg, name);
        break;
    case TRACE_STEP_IDLE:
        snprintf(s, n, "idle: nothing runnable, wait for interrupt");
        break;
    case TRACE_STEP_REAP:
        snprintf(s, n, "process reaped: pid %u (%s)", arg, name);
        break;
    case TRACE_STEP_ALLOC:
        snprintf(s, n, "create pid %u (%s): memory allocated at physical 0x%08x", arg, name,
                 t->value);
        break;
    case TRACE_STEP_LOAD:
        snprintf(s, n, "create pid %u (%s): program loaded from disk, entry 0x%08x", arg, name,
                 t->value);
        break;
    case TRACE_STEP_STACK:
        snprintf(s, n, "create pid %u (%s): user stack set up with argc, argv; sp 0x%08x", arg,
                 name, t->value);
        break;
    case TRACE_STEP_FREE:
        snprintf(s, n, "exit pid %u (%s): memory freed", arg, name);
        break;
    default:
        snprintf(s, n, "unknown step %u (argument %u)", code, arg);
        break;
    }
}

void trace_step_text(const struct device *dev, uint32_t code, char *buf, size_t len)
{
    step_text((const struct trace *)dev, code & 0xffu, code >> 8, buf, len);
}

void trace_want_text(struct device *dev, bool want)
{
    struct trace *t = to_trace(dev);

    if (want) {
        t->readers++;
    } else if (t->readers > 0) {
        t->readers--;
    }
}

/* The sentence for the PID register's new value. */
static void pid_text(struct trace *t, uint32_t pid)
{
    if (pid == 0)
        snprintf(t->text, sizeof(t->text), "current process: none");
    else
        snprintf(t->text, sizeof(t->text), "current process: pid %u (%s)", pid,
                 trace_name_of(&t->dev, pid));
}

/* Report one write to register `off`; its text (already in t->text) only
 * if someone reads it. */
static void emit(struct trace *t, uint32_t off, uint32_t value, uint64_t now)
{
    struct cpu_event ev;

    if (!bus_has_event_hook(t->dev.bus))
        return;
    memset(&ev, 0, sizeof(ev));
    ev.kind = CPU_EV_DEVICE;
    ev.cycle = now;
    ev.code = value;
    ev.faddr = t->dev.base + off; /* which register: see trace.h */
    ev.device = "trace";
    ev.text = t->readers > 0 ? t->text : NULL;
    bus_emit(t->dev.bus, &ev);
}

static int trace_read(struct device *dev, uint32_t off, uint32_t *value, uint64_t now)
{
    struct trace *t = to_trace(dev);

    switch (off) {
    case TRACE_REG_STEP:
        *value = 0;
        return 0;
    case TRACE_REG_NAME:
        *value = t->name_addr;
        return 0;
    case TRACE_REG_PID:
        *value = t->pid;
        return 0;
    case TRACE_REG_VALUE:
        *value = t->value;
        return 0;
    default:
        return -1;
    }
}

static int trace_write(struct device *dev, uint32_t off, uint32_t value, uint64_t now)
{
    struct trace *t = to_trace(dev);
    uint32_t code = value & 0xffu, arg = value >> 8;

    switch (off) {
    case TRACE_REG_STEP:
        if (t->name_pending)
            learn_name(t, arg);
        if (t->readers > 0)
            step_text(t, code, arg, t->text, sizeof(t->text));
        emit(t, off, value, now);
        if (code == TRACE_STEP_REAP && name_slot(t, arg) >= 0) /* gone for good */
            t->names[name_slot(t, arg)].pid = 0;
        return 0;
    case TRACE_REG_VALUE:
        t->value = value;
        return 0;
    case TRACE_REG_NAME:
        t->name_addr = value;
        t->name_pending = true;
        return 0;
    case TRACE_REG_PID:
        t->pid = value;
        if (t->readers > 0)
            pid_text(t, value);
        emit(t, off, value, now);
        return 0;
    default:
        return -1;
    }
}

static void trace_reset(struct device *dev)
{
    struct trace *t = to_trace(dev);

    t->pid = 0;
    t->name_addr = 0;
    t->name_pending = false;
    t->value = 0;
    memset(t->names, 0, sizeof(t->names));
    t->names_learned = 0;
    /* readers stay: they are the front-ends', not the machine's state */
}

static void trace_destroy(struct device *dev)
{
    free(dev);
}

static const struct device_ops trace_ops = {
    .read = trace_read,
    .write = trace_write,
    .reset = trace_reset,
    .destroy = trace_destroy,
};

struct device *trace_create(void)
{
    struct trace *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return NULL;
    t->dev.name = "trace";
    t->dev.base = ISA_DEV_TRACE;
    t->dev.ops = &trace_ops;
    return &t->dev;
}
