/*
 * timeline.h - the user/kernel timeline of a run, as plain data.
 *
 * The model watches the machine's events (CPU traps and returns, the kernel
 * trace port) and keeps what the window draws and the --trace-json export
 * writes: one row for the kernel and one per process, segments of time
 * ("this process ran in user mode from cycle a to b", "the kernel ran from
 * b to c because of a timer interrupt"), a mark at every trap and every
 * return-from-trap, the protocol steps of the current transition in two
 * columns (hardware and OS), and counters.  No SDL here: the tests feed it
 * events directly.  See docs/window.md.
 *
 * Where the facts come from: modes, causes and pcs from CPU_EV_TRAP and
 * CPU_EV_RETT; which process runs and the OS-side steps only from the
 * kernel's trace port (CPU_EV_DEVICE, device "trace": the register in
 * faddr, step and argument in code; the port's sentence is not needed,
 * see tl_set_texts).  A program without
 * a kernel that reports steps runs on a single row named "user" (pid 0).
 */
#ifndef LDE_TIMELINE_H
#define LDE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"

#define TL_ROW_KERNEL  0                  /* row index of the kernel */
#define TL_MAX_ROWS    64                 /* kernel + processes; later pids share the last row */
#define TL_NAME_MAX    15                 /* characters kept of a process name */
#define TL_MAX_STEPS   24                 /* protocol steps kept for the current transition */
#define TL_STEP_TEXT   56                 /* bytes of one step's text, NUL included */
#define TL_LABEL_MAX   (TL_NAME_MAX + 12) /* bytes of a row label: name#pid */
#define TL_REASON_BOOT 16                 /* reason of the kernel stretch that begins at reset */
#define TL_NEST_MAX    8                  /* nested kernel traps remembered */

/* What a segment shows. */
enum tl_kind {
    TL_USER,   /* a process ran in user mode */
    TL_KERNEL, /* the CPU ran in kernel mode */
};

/* One stretch of time on one row: [start, end) in cycles. */
struct tl_segment {
    uint64_t start; /* first cycle */
    uint64_t end;   /* cycle at which it ended */
    uint16_t row;   /* which row it is drawn on */
    uint8_t kind;   /* enum tl_kind */
    uint8_t reason; /* TL_KERNEL: the cause that entered the kernel, or TL_REASON_BOOT */
};

enum tl_mark_kind {
    TL_MARK_TRAP, /* a trap was taken (user or kernel -> kernel) */
    TL_MARK_RETT, /* return-from-trap (kernel -> user or kernel) */
    TL_MARK_HALT, /* the machine stopped */
};

/* An instant: an arrow from one row to another. */
struct tl_mark {
    uint64_t cycle;    /* when */
    uint32_t pc;       /* TRAP: saved pc; RETT: pc resumed; HALT: pc of the halt */
    uint16_t from_row; /* row the arrow starts on */
    uint16_t to_row;   /* row it ends on */
    uint8_t kind;      /* enum tl_mark_kind */
    uint8_t cause;     /* TRAP: the cause; HALT: low byte of the halt code */
};

enum tl_column {
    TL_COL_HW, /* done by the hardware (from the CPU's events) */
    TL_COL_OS, /* done by the kernel (from the trace port) */
};

/* Which sentence a protocol step is.  A step keeps its kind and numbers
 * and is put into words only when it is read (tl_step_text): the window
 * draws a few dozen frames a second, while a timer interrupt at full speed
 * makes seven steps, and formatting each at once cost more host time than
 * everything else the timeline does (docs/window.md, "Cost"). */
enum tl_step_kind {
    TL_STEP_SYSCALL_INSN,   /* "syscall instruction (trap)" */
    TL_STEP_EXCEPTION,      /* "exception: <cause num>" */
    TL_STEP_INTERRUPT,      /* "<cause num> interrupt" */
    TL_STEP_SAVE_USER,      /* "save regs(<who>) to k-stack(<who>)" */
    TL_STEP_TO_KERNEL,      /* "move to kernel mode" */
    TL_STEP_SAVE_NESTED,    /* "save regs to the kernel stack in use" */
    TL_STEP_STAY_KERNEL,    /* "stay in kernel mode, interrupts off" */
    TL_STEP_HANDLER,        /* "jump to trap handler <num>" */
    TL_STEP_RESTORE_USER,   /* "restore regs(<who>) from k-stack(<who>)" */
    TL_STEP_TO_USER,        /* "move to user mode" */
    TL_STEP_JUMP_USER,      /* "jump to <who>'s PC <num>" */
    TL_STEP_RESTORE_NESTED, /* "restore regs from the kernel stack" */
    TL_STEP_JUMP_KERNEL,    /* "jump back into the kernel <num>" */
    TL_STEP_HALTED,         /* "machine halted" */
    TL_STEP_OS_TRAP,        /* "handle the trap (<cause num>)" */
    TL_STEP_OS_SYSCALL,     /* "handle the trap: syscall <name> (#<num>)" */
    TL_STEP_OS_SCHED,       /* "call switch(): next is <who>" */
    TL_STEP_OS_SAVE,        /* "save regs(<who>) to proc(<who>)" */
    TL_STEP_OS_RESTORE,     /* "restore regs(<who>) from proc(<who>)" */
    TL_STEP_OS_KSTACK,      /* "switch to k-stack(<who>)" */
    TL_STEP_OS_RETT,        /* "return-from-trap (into <who>)" */
    TL_STEP_OS_TEXT,        /* "<who>": the port's sentence as it is (a rare step) */
};

/* One step of the limited direct execution protocol. */
struct tl_step {
    uint64_t cycle;         /* when it happened */
    uint32_t num;           /* a cause, or an address shown in hex, per kind */
    uint8_t column;         /* enum tl_column */
    uint8_t kind;           /* enum tl_step_kind */
    char who[TL_STEP_TEXT]; /* a row label as it was then ("ab#2"), or the port's text */
};

/* A row of the timeline. */
struct tl_row {
    uint32_t pid;               /* process id; 0 for the kernel and for "user" */
    char name[TL_NAME_MAX + 1]; /* "kernel", a program name, or "user" */
    char label[TL_LABEL_MAX];   /* name and pid as tl_row_label gives them */
};

/* Counters over the whole run. */
struct tl_counts {
    uint64_t traps[TL_REASON_BOOT]; /* traps taken, per cause */
    uint64_t traps_total;           /* all traps */
    uint64_t retts;                 /* returns from trap */
    uint64_t switches;              /* returns to user into another process */
    uint64_t user_cycles;           /* cycles of closed user segments */
    uint64_t kernel_cycles;         /* cycles of closed kernel segments */
};

struct tl_model;

/* Someone who wants every finished piece as it is made (the JSON export). */
struct tl_sink {
    void (*row)(void *ctx, const struct tl_model *m, unsigned row); /* a new row */
    void (*segment)(void *ctx, const struct tl_model *m, const struct tl_segment *s);
    void (*mark)(void *ctx, const struct tl_model *m, const struct tl_mark *k);
    void *ctx; /* first argument of each */
};

/* The name of a pid as the kernel reported it (the trace port knows). */
typedef const char *(*tl_name_fn)(void *ctx, uint32_t pid);
/* The port's sentence for the STEP write `code` being delivered, into buf
 * (len bytes): trace_step_text. */
typedef void (*tl_text_fn)(void *ctx, uint32_t code, char *buf, size_t len);

struct tl_model {
    struct tl_segment *segs; /* ring of the last seg_cap closed segments */
    size_t seg_cap;          /* its capacity */
    uint64_t nsegs;          /* segments closed so far (ring index = n % cap) */
    struct tl_mark *marks;   /* ring of the last mark_cap marks */
    size_t mark_cap;         /* its capacity */
    uint64_t nmarks;         /* marks made so far */

    struct tl_row rows[TL_MAX_ROWS]; /* row 0 = kernel */
    unsigned nrows;                  /* rows in use */

    struct tl_segment open;    /* the segment in progress (end unused) */
    enum cpu_mode mode;        /* mode of the open segment */
    uint8_t nest[TL_NEST_MAX]; /* reasons of interrupted kernel stretches */
    unsigned nest_depth;       /* entries of nest in use */
    uint32_t pid;              /* current process per the trace port (0 = none) */
    uint32_t rett_pid;         /* pid named by the kernel's last RETT step */
    uint32_t last_user_pid;    /* process that last ran in user mode */
    bool seen_user;            /* some process has run in user mode */
    bool halted;               /* a HALT event was seen */

    struct tl_step steps[TL_MAX_STEPS]; /* ring of the current transition's steps */
    unsigned step_first;                /* ring index of the oldest (tl_step_at) */
    unsigned nsteps;                    /* entries in use */

    struct tl_counts counts; /* totals */
    tl_name_fn name_of;      /* may be NULL: names come from nowhere else */
    void *name_ctx;          /* its first argument */
    tl_text_fn text_of;      /* may be NULL: rare steps then need ev->text */
    void *text_ctx;          /* its first argument */
    struct tl_sink sink;     /* may be all NULL */
};

/* Set up an empty model holding up to `cap` segments and marks each (older
 * ones are dropped from the ring; sinks still saw them).  -1 on no memory. */
int tl_init(struct tl_model *m, size_t cap);
void tl_free(struct tl_model *m);
void tl_set_names(struct tl_model *m, tl_name_fn fn, void *ctx);
/* Where the sentences of the rare OS steps come from (those shown as the
 * port words them: boot, create, exit, ...).  Asked only for those, at
 * their event; the frequent steps of a switch or a syscall are made from
 * the event's numbers alone.  An event that carries the port's text
 * (someone else reads them: lde --trace) is used as it is. */
void tl_set_texts(struct tl_model *m, tl_text_fn fn, void *ctx);
void tl_set_sink(struct tl_model *m, const struct tl_sink *sink);

/* Feed one machine event (a cpu_event_fn: pass the model as ctx). */
void tl_event(void *model, const struct cpu_event *ev);

/* Close the open segment at `cycle` (the end of the run); idempotent. */
void tl_finish(struct tl_model *m, uint64_t cycle);

/* Access to the rings by absolute index; NULL when dropped or not yet made. */
const struct tl_segment *tl_segment_at(const struct tl_model *m, uint64_t i);
const struct tl_mark *tl_mark_at(const struct tl_model *m, uint64_t i);
/* Oldest absolute index still in each ring. */
uint64_t tl_first_segment(const struct tl_model *m);
uint64_t tl_first_mark(const struct tl_model *m);

/* The i-th step of the current transition, oldest first (i < nsteps). */
const struct tl_step *tl_step_at(const struct tl_model *m, unsigned i);
/* Its sentence, into buf (cut to len - 1 characters; the window uses
 * TL_STEP_TEXT bytes, the size every step text always had). */
void tl_step_text(const struct tl_step *s, char *buf, size_t len);

/* Percentage (0..100) of cycles up to `now` spent in user mode. */
unsigned tl_user_percent(const struct tl_model *m, uint64_t now);

/* Short name of a kernel reason: "syscall", "timer", ..., "boot". */
const char *tl_reason_name(unsigned reason);
/* Which group colours a kernel reason: 0 syscall, 1 timer, 2 device
 * interrupt, 3 fault, 4 boot (docs/window.md). */
unsigned tl_reason_group(unsigned reason);
/* "ab#2" (or "kernel", "user") for a row, into buf. */
void tl_row_label(const struct tl_model *m, unsigned row, char *buf, size_t len);

#endif /* LDE_TIMELINE_H */
