/*
 * monitor_private.h - the monitor's state and the functions its four
 * source files share (see monitor.h for who does what).
 */
#ifndef LDE_MONITOR_PRIVATE_H
#define LDE_MONITOR_PRIVATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "monitor.h"

#define MON_MAX_POINTS   32  /* breakpoints, watchpoints and catches together */
#define MON_WATCH_MAX    16  /* bytes one watchpoint may cover */
#define MON_MAX_DISPLAYS 8   /* `display` entries */
#define MON_MAX_ARGS     16  /* words in one command line */
#define MON_PID_SLOTS    64  /* processes remembered by `stats` */
#define MON_MAX_SYSCALLS 64  /* system-call numbers counted by `stats` */
#define MON_REASON_LEN   512 /* text of why the machine stopped */

/* What a stop point is. */
enum mon_point_kind {
    MON_PT_BREAK,         /* stop before executing the instruction at addr */
    MON_PT_WATCH,         /* stop after a write changes [addr, addr + len) */
    MON_PT_CATCH_TRAP,    /* stop in the handler after a trap of a cause in mask */
    MON_PT_CATCH_SYSCALL, /* stop after a syscall trap whose number is in mask */
    MON_PT_CATCH_RETT,    /* stop after return-from-trap */
    MON_PT_CATCH_MODE,    /* stop after any user <-> kernel switch */
    MON_PT_CATCH_SWITCH,  /* stop after the kernel reports a new current process */
};

/* Which mode a breakpoint applies in. */
enum mon_bp_mode { MON_BP_ANY = -1, MON_BP_USER = CPU_MODE_USER, MON_BP_KERNEL = CPU_MODE_KERNEL };

/* One breakpoint, watchpoint or catch (numbered like gdb's). */
struct mon_point {
    unsigned id;                /* number shown by `info break`; 0 = slot free */
    enum mon_point_kind kind;   /* what it is */
    bool enabled;               /* `disable` clears it */
    bool temporary;             /* tbreak: deleted when hit */
    enum mon_bp_mode mode;      /* MON_PT_BREAK: mode in which pc must match */
    uint32_t addr;              /* BREAK: pc; WATCH: physical address */
    uint32_t len;               /* WATCH: bytes watched */
    uint64_t mask;              /* CATCH_TRAP: causes; CATCH_SYSCALL: numbers; 0 = all */
    uint8_t old[MON_WATCH_MAX]; /* WATCH: the bytes as last seen */
    unsigned hits;              /* times it stopped the machine */
    bool program;               /* user BREAK at a symbol of the program lde run loaded:
                                   only in a process running that program */
};

/* Cycles and calls counted for one guest process (by pid). */
struct mon_proc_stats {
    uint32_t pid;           /* 0 = slot unused */
    uint64_t user_cycles;   /* cycles spent in user mode while it was current */
    uint64_t kernel_cycles; /* cycles spent in kernel mode while it was current */
    uint64_t syscalls;      /* system calls it made */
    uint64_t switches_in;   /* times it became the current process */
};

/* Everything `stats` and `info traps` report, fed by the event observer. */
struct mon_stats {
    uint64_t since;                             /* cycle up to which time has been accounted */
    uint64_t user_cycles;                       /* cycles spent in user mode */
    uint64_t kernel_cycles;                     /* cycles spent in kernel mode */
    uint64_t traps[ISA_TRAP_TABLE_ENTRIES];     /* traps taken, per cause */
    uint64_t retts;                             /* returns from trap */
    uint64_t syscalls[MON_MAX_SYSCALLS + 1];    /* per number; the last counts the rest */
    uint64_t switches;                          /* changes of the current process */
    struct mon_proc_stats procs[MON_PID_SLOTS]; /* per pid, pid % MON_PID_SLOTS */
};

/* The state of a saved register file, to mark what changed at a stop. */
struct mon_snapshot {
    uint32_t r[ISA_NREGS]; /* r0..r15 */
    uint32_t cr[ISA_NCRS]; /* control registers */
    uint32_t pc;           /* program counter */
};

/* How a run should end besides breakpoints and catches. */
enum mon_goal {
    MON_GOAL_NONE,  /* continue: only stop points end it */
    MON_GOAL_STEPS, /* step N: after goal_count instructions */
    MON_GOAL_ADDR,  /* next, until: when pc reaches goal_addr in goal_mode */
    MON_GOAL_RETT,  /* stepout: after the next return-from-trap */
};

/* One monitor session. */
struct mon {
    struct emu_machine *m;                   /* the machine */
    const struct emu_options *opts;          /* command line (boot flags for reset) */
    struct cpu *cpu;                         /* m->cpu, for brevity */
    struct mon_point points[MON_MAX_POINTS]; /* stop points, id 0 = free */
    unsigned next_point_id;                  /* id for the next stop point */
    char *displays[MON_MAX_DISPLAYS];        /* `display` expressions/commands (malloc'd) */
    struct mon_stats stats;                  /* what the observer counted */
    enum cpu_mode stats_mode;                /* mode since stats.since */
    struct mon_snapshot before;              /* registers at the previous stop */
    uint32_t pid;                            /* current process as the trace port told us */
    uint32_t last_frame;                     /* frame address of the last trap taken */
    bool have_frame;                         /* last_frame is valid */
    enum cpu_stop last_stop; /* how the last run ended (halt, deadlock, ...): the exit status */
    bool running;            /* inside a run (catches may fire) */
    bool free_running;       /* using cpu_run: request a stop to end it */
    bool caught;             /* a catch fired: the run must end */
    bool stop_on_switch;     /* end a free segment at a user<->kernel switch */
    uint32_t cpu_breaks[2 * MON_MAX_POINTS]; /* physical words with a CPU breakpoint set */
    unsigned ncpu_breaks;                    /* entries in cpu_breaks */
    uint32_t breaks_base;                    /* base register user breakpoints were mapped with */
    bool remap_breaks;                       /* a rett to another base: map them again */
    uint64_t host_runs;                      /* cpu_run calls since the run began (host stats) */
    uint64_t host_steps;                     /* cpu_step calls since the run began */
    uint64_t host_frames;                    /* window frames drawn since the run began */
    enum mon_goal goal;                      /* what else ends the current run */
    uint64_t goal_count;                     /* MON_GOAL_STEPS: instructions left */
    uint32_t goal_addr;                      /* MON_GOAL_ADDR: the pc to reach */
    enum mon_bp_mode goal_mode;              /* MON_GOAL_ADDR: in this mode (or any) */
    bool goal_program;   /* MON_GOAL_ADDR at a program symbol: only where that program runs */
    bool expr_program;   /* the last mon_parse_expr used a symbol of lde run's program */
    bool goal_same_base; /* MON_GOAL_ADDR in user mode: only in the process whose base is goal_base
                          */
    uint32_t goal_base;  /* ... the base register of that process (next) */
    char reason[MON_REASON_LEN]; /* why the last run ended */
    char last_repeat[256];       /* command an empty line repeats */
    uint32_t x_next;             /* where a repeated `x` goes on */
    uint32_t disas_next;         /* where a repeated `disas` goes on */
    bool quit;                   /* `quit` was given */
    bool interactive;            /* commands come from a terminal */
};

/* Set from the SIGINT handler: Ctrl-C while the guest runs. */
extern volatile sig_atomic_t mon_interrupted;

/* ---- monitor.c: parsing helpers (each prints one error line and returns -1) */

/* A number: decimal, 0x hex, 0b binary, optional leading '-'. */
int mon_parse_number(const char *s, uint32_t *out);
/* An expression: terms (number, register, pc, control register, symbol)
 * joined by + and -. */
int mon_parse_expr(struct mon *mon, const char *s, uint32_t *out);
/* A physical RAM range [addr, addr + len): -1 with a message if outside. */
int mon_check_ram(struct mon *mon, uint32_t addr, uint32_t len);
/* Print an error line ("error: ..."). */
void mon_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run one command line (as typed). */
void mon_execute(struct mon *mon, const char *line);
/* A register number from its name (r0..r15 or ABI name), or -1. */
int mon_reg_number(const char *name);
/* A control register number from its name, or -1. */
int mon_cr_number(const char *name);
/* A cause number from its name ("syscall", "timer", ...) or number, or -1. */
int mon_cause_number(const char *name);
/* The guest kernel's syscall name for n (from its SYS_* symbols), or NULL. */
const char *mon_syscall_name(struct mon *mon, uint32_t n, char *buf, size_t len);
/* A syscall number from its name or number, or -1. */
int mon_syscall_number(struct mon *mon, const char *name);

/* Tell the SIGINT handler whether the guest is running (Ctrl-C stops it). */
void mon_guest_running(bool running);

/* ---- monitor_run.c */

void mon_observe(void *ctx, const struct cpu_event *ev);
void mon_snapshot_take(struct mon *mon, struct mon_snapshot *s);
/* Report where the machine stands: the reason line and the location line,
 * then the displays. */
void mon_report_stop(struct mon *mon);
/* Print "pc <sym+off>: instruction" style location for the current pc. */
void mon_print_location(struct mon *mon);
/* Account time up to the current cycle (before printing statistics). */
void mon_stats_flush(struct mon *mon, uint64_t now);
/* Reset statistics and stop-point state after reset/load. */
void mon_forget_run_state(struct mon *mon);

int mon_cmd_step(struct mon *mon, int argc, char **argv);
int mon_cmd_next(struct mon *mon, int argc, char **argv);
int mon_cmd_continue(struct mon *mon, int argc, char **argv);
int mon_cmd_until(struct mon *mon, int argc, char **argv);
int mon_cmd_stepout(struct mon *mon, int argc, char **argv);
int mon_cmd_break(struct mon *mon, int argc, char **argv);
int mon_cmd_tbreak(struct mon *mon, int argc, char **argv);
int mon_cmd_delete(struct mon *mon, int argc, char **argv);
int mon_cmd_disable(struct mon *mon, int argc, char **argv);
int mon_cmd_enable(struct mon *mon, int argc, char **argv);
int mon_cmd_watch(struct mon *mon, int argc, char **argv);
int mon_cmd_catch(struct mon *mon, int argc, char **argv);
int mon_cmd_info_break(struct mon *mon);

/* ---- monitor_show.c */

/* "0x00000134 <h_syscall+0x8>" for a pc as seen in `mode` (a user pc by
 * the program's own symbols when `lde run` loaded it and it runs, else at
 * base + pc in the loaded image). */
void mon_format_pc(struct mon *mon, uint32_t pc, enum cpu_mode mode, char *buf, size_t len);
/* " <sym+0xoff>" for a physical address inside the image, else "". */
void mon_format_sym(struct mon *mon, uint32_t phys, char *buf, size_t len);
/* The image of the program `lde run` loaded when the running process runs
 * it (its symbols name user pcs), else NULL. */
const struct image *mon_user_image(struct mon *mon);
/* " <main+0x8>" for a virtual address of lde run's program, else "". */
void mon_format_program_sym(struct mon *mon, uint32_t va, char *buf, size_t len);
/* The trace port device, or NULL when lde was built without it. */
struct device *mon_trace_device(struct mon *mon);
/* "pid 2 (hello)" or "no process" */
void mon_format_pid(struct mon *mon, uint32_t pid, char *buf, size_t len);

int mon_cmd_regs(struct mon *mon, int argc, char **argv);
int mon_cmd_x(struct mon *mon, int argc, char **argv);
int mon_cmd_disas(struct mon *mon, int argc, char **argv);
int mon_cmd_frame(struct mon *mon, int argc, char **argv);
int mon_cmd_info(struct mon *mon, int argc, char **argv);
int mon_cmd_stats(struct mon *mon, int argc, char **argv);
int mon_cmd_ps(struct mon *mon, int argc, char **argv);
int mon_cmd_sym(struct mon *mon, int argc, char **argv);
int mon_cmd_addr(struct mon *mon, int argc, char **argv);
int mon_cmd_set(struct mon *mon, int argc, char **argv);
int mon_cmd_display(struct mon *mon, int argc, char **argv);
int mon_cmd_undisplay(struct mon *mon, int argc, char **argv);
int mon_cmd_reset(struct mon *mon, int argc, char **argv);
int mon_cmd_load(struct mon *mon, int argc, char **argv);
int mon_cmd_trace(struct mon *mon, int argc, char **argv);
/* Run every display (after a stop). */
void mon_run_displays(struct mon *mon);

#endif /* LDE_MONITOR_PRIVATE_H */
