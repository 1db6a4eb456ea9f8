/*
 * trace.h - the kernel trace port (at ISA_DEV_TRACE, kernel-only like every
 * device).  Through it the guest kernel tells the machine what only the
 * kernel knows: which process is running and which step of the limited
 * direct execution protocol it is taking.  Every write to STEP or PID
 * emits one CPU_EV_DEVICE event (when an event hook listens: with none,
 * there is nobody to tell), so traces, the monitor and the window can
 * show the OS side of the protocol without guessing.  See docs/syscalls.md.
 *
 * The event's fields:
 *   device "trace"
 *   code   the value written
 *   faddr  the register written: ISA_DEV_TRACE + TRACE_REG_STEP or
 *          + TRACE_REG_PID (as cpu.h says of device events), so a reader
 *          tells a PID write from a STEP without any text
 *   text   a readable sentence, made only while a front-end reads it (see
 *          trace_want_text); NULL otherwise
 *
 * Registers (byte offsets):
 *   0x00 STEP  write: bits 7..0 a TRACE_STEP_* code, bits 31..8 its argument
 *              (a pid, a cause, a syscall number, a boot phase)
 *   0x04 NAME  write: physical address of a NUL-terminated process name;
 *              it names the pid of the next STEP (the kernel writes it
 *              before TRACE_STEP_ALLOC); the port remembers names by pid
 *              until that pid's TRACE_STEP_REAP (64 at once; past that
 *              the oldest goes)
 *   0x08 PID   read/write: the current process (0 = none: the kernel is idle)
 *   0x0c VALUE write: a detail for the next STEP (an address, an entry
 *              point), shown by the steps that have one
 */
#ifndef LDE_TRACE_H
#define LDE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "device.h"

#define TRACE_REG_STEP  0x00
#define TRACE_REG_NAME  0x04
#define TRACE_REG_PID   0x08
#define TRACE_REG_VALUE 0x0c

#define TRACE_NAME_MAX 15 /* characters kept per process name */

/* Step codes (bits 7..0 of a STEP write) and what the argument is. */
#define TRACE_STEP_LIST(X)                                                                         \
    X(BOOT, 1, "boot phase")                                                                       \
    X(TRAP, 2, "cause")                                                                            \
    X(SYSCALL, 3, "syscall number")                                                                \
    X(SCHED, 4, "pid chosen")                                                                      \
    X(SAVE, 5, "pid whose kernel context is saved")                                                \
    X(RESTORE, 6, "pid whose kernel context is restored")                                          \
    X(RETT, 7, "pid resumed in user mode")                                                         \
    X(CREATE, 8, "pid created")                                                                    \
    X(EXIT, 9, "pid that exited")                                                                  \
    X(KILL, 10, "pid killed")                                                                      \
    X(IDLE, 11, "unused")                                                                          \
    X(REAP, 12, "pid reaped by wait")                                                              \
    X(ALLOC, 13, "pid given memory (VALUE: its base)")                                             \
    X(LOAD, 14, "pid whose program was loaded (VALUE: entry point)")                               \
    X(STACK, 15, "pid whose user stack was set up (VALUE: user sp)")                               \
    X(FREE, 16, "pid whose memory was freed")

enum trace_step {
#define X(name, code, arg) TRACE_STEP_##name = code,
    TRACE_STEP_LIST(X)
#undef X
};

/* The name of system call `n` ("write"; the guest kernel's numbers, from
 * 0, in docs/syscalls.md and guestos/include/sysnum.s), or "?" for a
 * number the kernel does not have: the argument of TRACE_STEP_SYSCALL.
 * Inline, so that a reader needs no port to name a call. */
static inline const char *trace_syscall_name(uint32_t n)
{
    static const char *const names[] = {
        "exit", "write", "read",   "getpid", "yield", "spawn",
        "wait", "sleep", "uptime", "kill",   "ps",    "readfile",
    };

    return n < sizeof(names) / sizeof(names[0]) ? names[n] : "?";
}

/* Boot phases (argument of TRACE_STEP_BOOT). */
#define TRACE_BOOT_TRAPS 1 /* trap table and kernel stack installed */
#define TRACE_BOOT_DISK  2 /* disk directory read */
#define TRACE_BOOT_TIMER 3 /* timer programmed (preemptive mode) */
#define TRACE_BOOT_COOP  4 /* cooperative mode: timer left off */
#define TRACE_BOOT_INIT  5 /* first process created; entering it */

struct device *trace_create(void);
/* The current process as last reported (0 and "" if none), for front-ends. */
uint32_t trace_current_pid(const struct device *trace);
const char *trace_current_name(const struct device *trace);
/* The name remembered for `pid`, or "?" if unknown. */
const char *trace_name_of(const struct device *trace, uint32_t pid);

/* Texts on demand.  Formatting a sentence (snprintf) costs about 1,450
 * host instructions, and a system call reports two steps: formatting them
 * cost more than running the call, while most runs (benchmarks, lde
 * without --trace) never look at the texts.  So the port formats
 * only while at least one reader has asked: trace_want_text(trace, true)
 * adds a reader of ev->text, trace_want_text(trace, false) removes one
 * (calls nest, so lde --trace and the monitor's `trace on` can come and
 * go independently).  With no reader, STEP and PID events have text NULL.
 * Events are emitted either way (to a hook); what a reader sees is exactly the same
 * text, whenever it starts reading.  The window is no such reader: it
 * tells the registers apart by faddr, names system calls with
 * trace_syscall_name and asks trace_step_text for the few steps it shows
 * as the port words them, so a timer switch costs it no sentence. */
void trace_want_text(struct device *trace, bool want);

/* The sentence of a STEP write of `code` (step and argument, as in
 * ev->code), into buf (cut to len - 1 characters): exactly the text its
 * event carries for a reader.  It is made from the port's state now
 * (names, VALUE), so call it while that event is being delivered.  A
 * reader that needs the sentence of only a few steps (the window: the
 * rare ones it shows as the port words them) asks here instead of calling
 * trace_want_text and paying for every event. */
void trace_step_text(const struct device *trace, uint32_t code, char *buf, size_t len);

#endif /* LDE_TRACE_H */
