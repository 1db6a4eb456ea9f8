/*
 * cpu.h - the LDE32 processor: public interface.
 *
 * The CPU state is private (cpu_private.h).  Front-ends (the lde program,
 * the monitor, the window, the tests) drive the core with cpu_run() or
 * cpu_step() and observe it through one event hook.  This header never
 * includes SDL, readline or anything host-specific.
 */
#ifndef LDE_CPU_H
#define LDE_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "isa.h"

struct bus;
struct cpu;

enum cpu_mode { CPU_MODE_USER = 0, CPU_MODE_KERNEL = 1 };

/* What executes instructions.  All three give the same results, cycle for
 * cycle (tests/unit/test_diff.c checks); they differ only in speed. */
enum cpu_engine {
    CPU_ENGINE_TRANSLATE, /* default: blocks translated to host code (x86-64 hosts;
                             elsewhere this is CPU_ENGINE_INTERPRET) */
    CPU_ENGINE_INTERPRET, /* the threaded interpreter over a decode cache */
    CPU_ENGINE_REFERENCE, /* one instruction at a time, the slow obvious way */
};

/* Why cpu_run()/cpu_step() returned. */
enum cpu_stop {
    CPU_STOP_BUDGET,       /* the requested number of cycles has elapsed */
    CPU_STOP_HALT,         /* the guest executed halt; see cpu_halt_code() */
    CPU_STOP_DOUBLE_FAULT, /* a trap could not be delivered; machine halted */
    CPU_STOP_DEADLOCK,     /* wfi with no interrupt line high and no device event to come */
    CPU_STOP_REQUEST,      /* a front-end called cpu_request_stop() */
    CPU_STOP_BREAKPOINT,   /* the next instruction is at a breakpoint (not executed yet) */
};

/* What the event hook reports. */
enum cpu_event_kind {
    CPU_EV_TRAP,   /* a trap was taken: cause, from -> KERNEL, pc, handler, frame */
    CPU_EV_RETT,   /* return-from-trap: KERNEL -> to mode, pc resumed, frame */
    CPU_EV_IRQ,    /* a device raised its interrupt line: cause */
    CPU_EV_HALT,   /* the machine stopped: halt code, or double-fault diagnostic */
    CPU_EV_DEVICE, /* a device reports something (e.g. the kernel's trace port) */
};

struct cpu_event {
    enum cpu_event_kind kind;
    uint64_t cycle;         /* virtual time at which it happened */
    enum isa_cause cause;   /* TRAP, IRQ: the cause */
    enum cpu_mode from, to; /* TRAP, RETT: mode before and after */
    uint32_t pc;            /* TRAP: pc saved in the frame; RETT: pc resumed */
    uint32_t handler;       /* TRAP: handler address read from the trap table */
    uint32_t frame;         /* TRAP, RETT: address of the trap frame */
    uint32_t faddr;         /* TRAP: faulting address, 0 if none; DEVICE: the register
                               written, where the device says so (devices/trace.h) */
    uint32_t code;          /* HALT: exit code; DEVICE: device-defined value */
    const char *device;     /* DEVICE: which device */
    const char *text;       /* HALT: diagnostic (double fault); DEVICE: detail */
};

typedef void (*cpu_event_fn)(void *ctx, const struct cpu_event *ev);

/* Create a CPU on `bus` (which owns RAM and devices).  NULL on out of memory. */
struct cpu *cpu_create(struct bus *bus);
void cpu_destroy(struct cpu *cpu);

/* Reset: kernel mode, interrupts off, all registers 0, pc = `pc`, cycle 0. */
void cpu_reset(struct cpu *cpu, uint32_t pc);

/* Run until `cycles` more cycles have elapsed or the machine stops. */
enum cpu_stop cpu_run(struct cpu *cpu, uint64_t cycles);

/* Execute exactly one instruction (or deliver one pending trap). */
enum cpu_stop cpu_step(struct cpu *cpu);

/* Ask a running cpu_run() to return: from the event hook, at the
 * instruction boundary after the event; from a signal handler (safe to
 * call there), within CPU_SLICE_CYCLES (16,384) cycles of virtual time. */
void cpu_request_stop(struct cpu *cpu);

void cpu_set_event_hook(struct cpu *cpu, cpu_event_fn fn, void *ctx);

/* Breakpoints for front-ends (a debugger's, not the guest's brk): set or
 * clear one on the instruction word at PHYSICAL address `paddr` (a multiple
 * of 4, inside RAM; else -1).  It applies to every fetch of that word, in
 * either mode: a user pc va is at physical base + va.  cpu_run() and
 * cpu_step() return CPU_STOP_BREAKPOINT before executing an instruction at
 * a breakpoint - also when the budget ends there - except the instruction
 * at which the call began, as long as nothing else ran before it (so
 * running again from a breakpoint moves on).  An interrupt that is due is
 * taken first.  Breakpoints never change what the guest sees or its cycle
 * count.  In the interpreter they cost nothing until an instruction at one
 * is reached (they are marks in the decode cache); the translator throws
 * its blocks away when one is set or cleared and ends blocks before them,
 * and its run loop checks for one at every turn (docs/performance.md
 * measures 0.74 to 0.90 of full speed).  May be called from the event
 * hook. */
int cpu_set_breakpoint(struct cpu *cpu, uint32_t paddr, bool on);
bool cpu_breakpoint(const struct cpu *cpu, uint32_t paddr); /* is one set there? */

/* Choose the engine (see enum cpu_engine); may be changed between runs. */
void cpu_set_engine(struct cpu *cpu, enum cpu_engine engine);
enum cpu_engine cpu_get_engine(const struct cpu *cpu);
const char *cpu_engine_name(enum cpu_engine engine); /* "translate", "interpret", "reference" */
/* The engine called `name` (as cpu_engine_name gives it); -1 if none is. */
int cpu_engine_from_name(const char *name, enum cpu_engine *out);

/* ---- Getters and setters for front-ends */
uint32_t cpu_reg(const struct cpu *cpu, unsigned r);
void cpu_set_reg(struct cpu *cpu, unsigned r, uint32_t value); /* r0 stays 0 */
uint32_t cpu_pc(const struct cpu *cpu);
void cpu_set_pc(struct cpu *cpu, uint32_t pc);
uint32_t cpu_cr(const struct cpu *cpu, enum isa_cr cr);
void cpu_set_cr(struct cpu *cpu, enum isa_cr cr, uint32_t value);
enum cpu_mode cpu_mode(const struct cpu *cpu);
uint64_t cpu_cycles(const struct cpu *cpu);
uint64_t cpu_instructions(const struct cpu *cpu); /* instructions retired */
bool cpu_halted(const struct cpu *cpu);
uint32_t cpu_halt_code(const struct cpu *cpu);
struct bus *cpu_bus(const struct cpu *cpu);

/* Names, for front-ends and traces. */
const char *cpu_cause_name(unsigned cause); /* "syscall", "timer", ...; "?" if unknown */
const char *cpu_cause_text(unsigned cause); /* one-line description */
const char *cpu_cr_name(unsigned cr);       /* "status", "ttb", ...; NULL if none */
const char *cpu_mode_name(enum cpu_mode m); /* "user" or "kernel" */
const char *cpu_stop_name(enum cpu_stop s);

#endif /* LDE_CPU_H */
