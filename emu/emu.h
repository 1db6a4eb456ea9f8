/*
 * emu.h - the pieces of the lde program (not a library: only emu/ uses it).
 *
 *   main.c          command line, the run loop, exit status
 *   machine.c       builds bus + RAM + devices + CPU and loads the image
 *   host_console.c  connects the guest console to stdin/stdout
 *   trace.c         the --trace output, one line per event
 *   run.c           `lde run PROG.s`: a temporary disk with the program on it
 *
 * The front-ends have headers of their own: monitor.h (the prompt),
 * window.h (the window, the timeline, the screenshot and the JSON trace),
 * pace.h (--realtime).
 */
#ifndef LDE_EMU_H
#define LDE_EMU_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "console.h"
#include "cpu.h"
#include "image.h"

/* Exit statuses of lde that are not the guest's halt code.  A guest that
 * halts with one of these values is indistinguishable from the condition;
 * docs/isa.md asks programs to avoid them. */
enum emu_exit {
    EMU_EXIT_USAGE = 121,        /* bad command line */
    EMU_EXIT_IMAGE = 122,        /* the image (or disk) could not be loaded */
    EMU_EXIT_DEADLOCK = 123,     /* wfi with interrupts off and nothing to come */
    EMU_EXIT_MAX_CYCLES = 124,   /* --max-cycles reached before halt */
    EMU_EXIT_DOUBLE_FAULT = 125, /* a trap could not be delivered */
    EMU_EXIT_HOST = 126,         /* host trouble: out of memory, I/O error */
    EMU_EXIT_INTERRUPTED = 130,  /* stopped by SIGINT (Ctrl-C) or a quit signal */
};

/* Boot flags passed to the kernel in a0 (boot protocol, docs/isa.md). */
#define EMU_BOOT_COOPERATIVE 0x1u /* do not start the timer */

/* What the command line asked for. */
struct emu_program;

struct emu_options {
    const char *image_path;      /* LDEX image to run */
    const char *disk_path;       /* --disk FILE, or NULL */
    const char *trace_path;      /* --trace FILE, "-" for stdout, or NULL */
    uint32_t ram_mib;            /* --ram: RAM size in MiB */
    uint64_t max_cycles;         /* --max-cycles: 0 means no limit */
    bool no_timer;               /* --no-timer: boot flag "cooperative" */
    uint32_t quantum;            /* --quantum: timer quantum for the kernel, 0 = default */
    int gui;                     /* --gui: WIN_GUI_* (window.h) */
    const char *screenshot_path; /* --screenshot FILE.png, or NULL */
    uint64_t screenshot_at;      /* --screenshot-at: cycle of the picture, 0 = end */
    uint64_t screenshot_span;    /* --screenshot-span: cycles shown, 0 = default */
    const char *trace_json_path; /* --trace-json FILE, or NULL */
    const char *gui_script;      /* --gui-script FILE: window actions to replay */
    bool monitor;                /* --monitor: start stopped in the monitor (monitor.h) */
    const char *mon_script;      /* -x FILE: monitor commands to run first, or NULL */
    uint32_t realtime_mhz;  /* --realtime: pace to the wall clock at this rate (pace.h), 0 = off */
    enum cpu_engine engine; /* --engine: what executes instructions (cpu.h) */
    const struct emu_program *program; /* lde run: the program's image (its symbols), or NULL */
};

/* ---- trace.c */

/* The --trace writer. */
struct emu_trace {
    FILE *out;               /* where lines go; NULL when tracing is off */
    bool own_file;           /* out was opened by us (not stdout) */
    const struct image *img; /* symbols for pc and handler, may be NULL */
    const struct cpu *cpu;   /* for base, to symbolise user-mode pcs */
    struct device *port;     /* the kernel's trace port, or NULL: while the
                                lines are written, it is told to make texts */
};

int emu_trace_open(struct emu_trace *t, const char *path, char *err, size_t errlen);
void emu_trace_event(struct emu_trace *t, const struct cpu_event *ev);
/* Flush and close; -1 (errno set) if any line could not be written. */
int emu_trace_close(struct emu_trace *t);

/* ---- host_console.c */

/* Fill `host` with callbacks bound to stdin/stdout. */
void emu_console_host(struct console_host *host);
/* Before a trace line on `out`: if it is stdout and the guest left its
 * output in the middle of a line, end that line. */
void emu_console_break_line(FILE *out);
/* Flush guest output and give the terminal back its original mode. */
void emu_console_finish(void);

/* ---- run.c */

/* The program `lde run` put on the disk, for the monitor's names of its
 * addresses. */
struct emu_program {
    bool loaded;        /* image and name are set */
    struct image image; /* as assembled: sections and symbols (virtual addresses) */
    char name[32];      /* its name on the disk, which its processes get */
};

/* For `lde run`: assemble `prog`, copy `base_disk` to a temporary file with
 * the program and a bootcmd "NAME ARGS..." added; its path goes to `tmp`
 * (the caller removes it); the program's image goes to *keep if not NULL.
 * 0, or an emu_exit status with a reason in `err` ("" when the assembler
 * already printed its diagnostics). */
int emu_run_make_disk(const char *prog, int argc, char **argv, const char *base_disk, char *tmp,
                      size_t tmplen, struct emu_program *keep, char *err, size_t errlen);

/* ---- machine.c */

/* Front-ends that watch the machine (the trace, the monitor, the window)
 * register here; every CPU and device event reaches each in order. */
#define EMU_MAX_OBSERVERS 4

struct emu_observer {
    cpu_event_fn fn; /* called for every event */
    void *ctx;       /* its first argument */
};

/* A complete machine ready to run. */
struct emu_machine {
    struct image image;                               /* the loaded image (symbols for the trace) */
    bool image_loaded;                                /* image must be freed */
    struct bus *bus;                                  /* RAM and devices */
    struct cpu *cpu;                                  /* the processor */
    struct emu_trace trace;                           /* --trace output */
    char halt_text[256];                              /* diagnostic of a double fault, "" if none */
    struct emu_observer observers[EMU_MAX_OBSERVERS]; /* besides the trace */
    unsigned nobservers;                              /* entries in use */
};

/* 0 when ready; else an emu_exit status with a one-line reason in err. */
int emu_machine_build(struct emu_machine *m, const struct emu_options *o, char *err, size_t errlen);
void emu_machine_free(struct emu_machine *m);
/* Add an event observer; 0, or -1 when all EMU_MAX_OBSERVERS are taken. */
int emu_machine_observe(struct emu_machine *m, cpu_event_fn fn, void *ctx);
/* Reset the CPU at the image's entry and set the boot-protocol registers
 * (RAM is left as it is; the monitor's reset reloads it first). */
void emu_machine_boot(struct emu_machine *m, const struct emu_options *o);

/* The signal that asked lde to quit (SIGTERM, SIGHUP, SIGQUIT, SIGPIPE; main.c's handler
 * sets it), 0 while none did.  Every loop that runs the guest or waits for
 * input (the monitor's prompt and script, the window) ends when it is set,
 * so lde leaves through its normal exit path: terminal restored, disk
 * flushed.  Defined in machine.c, which every front-end links. */
extern volatile sig_atomic_t emu_quit_signal;
/* "SIGTERM", "SIGHUP", "SIGQUIT" or "SIGPIPE" (else "a signal"), for messages. */
const char *emu_signal_name(int sig);

/* Do paths a and b name one existing regular file ("-", stdout, never)?
 * An output must not be an input: lde refuses such a command line. */
bool emu_same_file(const char *a, const char *b);

/* The base strtoull should read a number in: 16 after "0x", else 10 (never
 * the C octal of a leading 0: --quantum 010 is ten). */
static inline int emu_number_base(const char *s)
{
    return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
}

#endif /* LDE_EMU_H */
