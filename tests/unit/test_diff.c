/*
 * test_diff.c - differential test: the block translator and the fast
 * interpreter against the reference stepper (cpu/reference.c).
 *
 * Every program named on the command line is run five times on identical
 * fresh machines: by the reference, one instruction per turn of the run
 * loop; by the translator (cpu/jit.c) and by the interpreter (cpu/exec.c),
 * each once in big budgets and once in ragged budgets (1..4000 cycles,
 * with single steps mixed in), which puts deadlines at every possible
 * place inside their blocks.
 * Like a monitor, every run asks for stops after events - after each
 * rett and device event for every other program, after each trap and
 * interrupt for the rest (so that some runs go straight from a handler's
 * rett back to user code, and stops land right after device events) -
 * has breakpoints on a sparse set of words, and carries on.  The
 * five runs must produce the same event trace (every trap, rett,
 * interrupt, device event and halt, with its cycle, and where each
 * requested stop or breakpoint landed), the same console output, the same
 * final registers, control registers, pc, cycle and instruction counts,
 * the same RAM and the same disk contents.
 *
 * Arguments, one program each:
 *   IMAGE SOURCE         a bare-machine image; "# lde-args:" in SOURCE may
 *                        give --ram, --max-cycles, --no-timer, --quantum;
 *                        SOURCE with .s replaced by .in is the console input
 *   os:KERNEL:DISK:INPUT:QUANTUM  the guest OS booting from a copy of DISK
 *                        with INPUT (a file, "-" for none) as console input
 */
#include <check.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "console.h"
#include "cpu_private.h"
#include "disk.h"
#include "image.h"
#include "timer.h"
#include "trace.h"

#define DM_MAX_PROGRAMS       64
#define DM_DEFAULT_MAX_CYCLES 50000000ull
#define DM_BREAK_AT           0x104u /* breakpoints at DM_BREAK_AT + k * DM_BREAK_EVERY */
#define DM_BREAK_EVERY        0x400u

/* What to run. */
struct dm_program {
    char image[1024]; /* LDEX image */
    char disk[1024];  /* disk image to copy, "" for none */
    char input[1024]; /* console input file, "" for none */
    uint32_t ram_mib; /* RAM size */
    uint64_t max_cycles;
    uint32_t boot_flags; /* a0 at boot */
    uint32_t quantum;    /* a2 at boot */
    unsigned stop_on;    /* the events after which every run asks for a stop (see the top) */
};

/* How to run it. */
enum dm_mode { DM_REFERENCE, DM_TRANSLATE, DM_TRANSLATE_RAGGED, DM_INTERPRET, DM_INTERPRET_RAGGED };

/* A growing text buffer. */
struct dm_text {
    char *s;
    size_t len, cap;
};

/* Everything observable about one run. */
struct dm_run {
    struct dm_text events; /* one line per event */
    struct dm_text output; /* console output */
    uint8_t *input;        /* console input bytes */
    size_t ninput, input_pos;
    uint32_t regs[ISA_NREGS];
    uint32_t crs[ISA_NCRS];
    uint32_t pc;
    uint64_t cycles, instructions;
    enum cpu_stop why;
    uint64_t ram_hash, disk_hash;
    bool loaded;      /* false if the image did not fit (then nothing else is set) */
    struct cpu *cpu;  /* while running: asked to stop after the events in stop_on */
    unsigned stop_on; /* bit (1 << kind) per enum cpu_event_kind that stops the run */
};

static struct dm_program programs[DM_MAX_PROGRAMS];
static int nprograms;

static void text_add(struct dm_text *t, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = realloc(t->s, t->cap);
        ck_assert_ptr_nonnull(t->s);
    }
    memcpy(t->s + t->len, line, (size_t)n + 1);
    t->len += (size_t)n;
}

static void on_put(void *ctx, uint8_t byte)
{
    struct dm_run *run = ctx;
    text_add(&run->output, "%c", byte);
}

static int on_get(void *ctx)
{
    struct dm_run *run = ctx;
    return run->input_pos < run->ninput ? run->input[run->input_pos++] : CONSOLE_EOF;
}

static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct dm_run *run = ctx;
    text_add(&run->events,
             "%d cycle=%" PRIu64 " cause=%d %d->%d pc=%08x handler=%08x frame=%08x faddr=%08x "
             "code=%u %s %s\n",
             (int)ev->kind, ev->cycle, (int)ev->cause, (int)ev->from, (int)ev->to, ev->pc,
             ev->handler, ev->frame, ev->faddr, ev->code, ev->device ? ev->device : "-",
             ev->text ? ev->text : "-");
    /* As a monitor does: stop right after the event, at the next boundary. */
    if (run->cpu != NULL && (run->stop_on >> ev->kind & 1u))
        cpu_request_stop(run->cpu);
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 14695981039346656037ull;
    for (size_t k = 0; k < n; k++)
        h = (h ^ p[k]) * 1099511628211ull;
    return h;
}

/* All of a file, read to its end. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Attach console, timer, trace port and (if any) the disk copy at `disk`. */
static struct bus *build_bus(const struct dm_program *p, struct dm_run *run, const char *disk)
{
    struct console_host host = {on_put, on_get, run};
    struct bus *bus = bus_create(p->ram_mib << 20);
    char err[256] = "";
    ck_assert_ptr_nonnull(bus);
    ck_assert_int_eq(bus_attach(bus, console_create(&host)), 0);
    ck_assert_int_eq(bus_attach(bus, timer_device_create()), 0);
    struct device *trace = trace_create();
    ck_assert_ptr_nonnull(trace);
    trace_want_text(trace, true); /* the sentences are compared too */
    ck_assert_int_eq(bus_attach(bus, trace), 0);
    if (disk != NULL) {
        struct device *d = disk_create(disk, err, sizeof err);
        ck_assert_msg(d != NULL, "%s", err);
        ck_assert_int_eq(bus_attach(bus, d), 0);
    }
    return bus;
}

/* Run the machine in `mode` until it stops or max_cycles have passed. */
static void drive(struct cpu *cpu, const struct dm_program *p, enum dm_mode mode,
                  struct dm_run *run)
{
    uint32_t seed = 12345;
    unsigned calls = 0;
    bool ragged = mode == DM_TRANSLATE_RAGGED || mode == DM_INTERPRET_RAGGED;
    cpu_set_engine(cpu, mode == DM_REFERENCE ? CPU_ENGINE_REFERENCE
                        : mode == DM_TRANSLATE || mode == DM_TRANSLATE_RAGGED
                            ? CPU_ENGINE_TRANSLATE
                            : CPU_ENGINE_INTERPRET);
    for (;;) {
        uint64_t done = cpu_cycles(cpu);
        if (done >= p->max_cycles) {
            run->why = CPU_STOP_BUDGET;
            return;
        }
        uint64_t budget = 1u << 20;
        if (ragged) {
            seed = seed * 1103515245u + 12345u;
            budget = 1 + (seed >> 8) % 4000;
        }
        if (budget > p->max_cycles - done)
            budget = p->max_cycles - done;
        bool step = ragged && ++calls % 7 == 0 && budget > 1;
        run->why = step ? cpu_step(cpu) : cpu_run(cpu, budget);
        if (run->why == CPU_STOP_REQUEST || run->why == CPU_STOP_BREAKPOINT) {
            /* where the stop landed must agree too */
            text_add(&run->events, "%s at cycle %" PRIu64 " pc %08x\n",
                     run->why == CPU_STOP_REQUEST ? "stopped" : "breakpoint", cpu_cycles(cpu),
                     cpu_pc(cpu));
            continue;
        }
        if (run->why != CPU_STOP_BUDGET)
            return;
    }
}

static void run_program(const struct dm_program *p, enum dm_mode mode, struct dm_run *run)
{
    char disk[64] = "";
    char err[256] = "";
    struct image img;

    memset(run, 0, sizeof *run);
    if (p->input[0] != '\0')
        run->input = read_file(p->input, &run->ninput);
    if (p->disk[0] != '\0') {
        size_t len;
        uint8_t *data = read_file(p->disk, &len);
        snprintf(disk, sizeof disk, "/tmp/lde-diff-%d-%d.img", (int)getpid(), (int)mode);
        write_file(disk, data, len);
        free(data);
    }
    struct bus *bus = build_bus(p, run, disk[0] ? disk : NULL);
    ck_assert_msg(image_read_file(&img, p->image, err, sizeof err) == 0, "%s", err);
    run->loaded = image_place(&img, bus_ram(bus), bus_ram_size(bus), err, sizeof err) == 0;
    if (run->loaded) {
        bus_ram_written(bus, 0, bus_ram_size(bus));
        struct cpu *cpu = cpu_create(bus);
        ck_assert_ptr_nonnull(cpu);
        cpu_set_event_hook(cpu, on_event, run);
        run->cpu = cpu;
        run->stop_on = p->stop_on;
        /* Breakpoints on one word in every DM_BREAK_EVERY bytes: stops at
         * the same places, and nothing else changed. */
        for (uint32_t a = DM_BREAK_AT; a < bus_ram_size(bus); a += DM_BREAK_EVERY)
            ck_assert_int_eq(cpu_set_breakpoint(cpu, a, true), 0);
        cpu_reset(cpu, img.entry);
        cpu_set_reg(cpu, ISA_R_A0, p->boot_flags);
        cpu_set_reg(cpu, ISA_R_A0 + 1, bus_ram_size(bus));
        cpu_set_reg(cpu, ISA_R_A0 + 2, p->quantum);
        drive(cpu, p, mode, run);
        for (unsigned r = 0; r < ISA_NREGS; r++)
            run->regs[r] = cpu_reg(cpu, r);
        for (unsigned c = 0; c < ISA_NCRS; c++)
            run->crs[c] = cpu_cr(cpu, (enum isa_cr)c);
        run->pc = cpu_pc(cpu);
        run->cycles = cpu_cycles(cpu);
        run->instructions = cpu_instructions(cpu);
        run->ram_hash = fnv(bus_ram(bus), bus_ram_size(bus));
        run->cpu = NULL;
        cpu_destroy(cpu);
    }
    image_free(&img);
    bus_destroy(bus); /* flushes the disk */
    if (disk[0] != '\0') {
        size_t len;
        uint8_t *data = read_file(disk, &len);
        run->disk_hash = fnv(data, len);
        free(data);
        unlink(disk);
    }
    free(run->input);
    run->input = NULL;
}

/* The first line where two texts differ, for the failure message. */
static const char *first_difference(const struct dm_text *a, const struct dm_text *b, char *out,
                                    size_t outlen)
{
    const char *x = a->s ? a->s : "", *y = b->s ? b->s : "";
    size_t k = 0, line = 0;
    while (x[k] != '\0' && x[k] == y[k]) {
        if (x[k] == '\n')
            line = k + 1;
        k++;
    }
    const char *ex = strchr(x + line, '\n'), *ey = strchr(y + line, '\n');
    snprintf(out, outlen, "reference: %.*s | other: %.*s", ex ? (int)(ex - x - line) : 120,
             x + line, ey ? (int)(ey - y - line) : 120, y + line);
    return out;
}

static void compare(const char *name, const char *how, const struct dm_run *ref,
                    const struct dm_run *fast)
{
    char diff[700];
    ck_assert_msg(ref->loaded == fast->loaded, "%s %s: load", name, how);
    if (!ref->loaded)
        return;
    ck_assert_msg(
        ref->events.len == fast->events.len &&
            (ref->events.len == 0 || memcmp(ref->events.s, fast->events.s, ref->events.len) == 0),
        "%s %s: events differ: %s", name, how,
        first_difference(&ref->events, &fast->events, diff, sizeof diff));
    ck_assert_msg(
        ref->output.len == fast->output.len &&
            (ref->output.len == 0 || memcmp(ref->output.s, fast->output.s, ref->output.len) == 0),
        "%s %s: console output differs: %s", name, how,
        first_difference(&ref->output, &fast->output, diff, sizeof diff));
    ck_assert_msg(ref->why == fast->why, "%s %s: stop %s vs %s", name, how, cpu_stop_name(ref->why),
                  cpu_stop_name(fast->why));
    ck_assert_msg(ref->cycles == fast->cycles, "%s %s: cycles %" PRIu64 " vs %" PRIu64, name, how,
                  ref->cycles, fast->cycles);
    ck_assert_msg(ref->instructions == fast->instructions,
                  "%s %s: instructions %" PRIu64 " vs %" PRIu64, name, how, ref->instructions,
                  fast->instructions);
    ck_assert_msg(ref->pc == fast->pc, "%s %s: pc %08x vs %08x", name, how, ref->pc, fast->pc);
    for (unsigned r = 0; r < ISA_NREGS; r++)
        ck_assert_msg(ref->regs[r] == fast->regs[r], "%s %s: r%u %08x vs %08x", name, how, r,
                      ref->regs[r], fast->regs[r]);
    for (unsigned c = 0; c < ISA_NCRS; c++)
        ck_assert_msg(ref->crs[c] == fast->crs[c], "%s %s: %s %08x vs %08x", name, how,
                      cpu_cr_name(c), ref->crs[c], fast->crs[c]);
    ck_assert_msg(ref->ram_hash == fast->ram_hash, "%s %s: RAM differs", name, how);
    ck_assert_msg(ref->disk_hash == fast->disk_hash, "%s %s: disk differs", name, how);
}

static void free_run(struct dm_run *run)
{
    free(run->events.s);
    free(run->output.s);
}

START_TEST(test_same_as_reference)
{
    const struct dm_program *p = &programs[_i];
    static const struct {
        enum dm_mode mode;
        const char *name;
    } others[] = {
        {DM_TRANSLATE, "translate"},
        {DM_TRANSLATE_RAGGED, "translate ragged"},
        {DM_INTERPRET, "interpret"},
        {DM_INTERPRET_RAGGED, "interpret ragged"},
    };
    struct dm_run ref, other;
    run_program(p, DM_REFERENCE, &ref);
    /* Each program must run, or the test proves little. */
    ck_assert_msg(!ref.loaded || ref.instructions > 0, "%s: nothing ran", p->image);
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++) {
        run_program(p, others[k].mode, &other);
        compare(p->image, others[k].name, &ref, &other);
        free_run(&other);
    }
    free_run(&ref);
}
END_TEST

/* "# lde-args: ..." of a golden source: the options that shape the run. */
static void read_args(const char *src, struct dm_program *p)
{
    FILE *f = fopen(src, "r");
    char line[512];
    if (f == NULL) {
        fprintf(stderr, "test-diff: cannot open %s\n", src);
        exit(2);
    }
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "# lde-args:", 11) != 0)
            continue;
        for (char *tok = strtok(line + 11, " \t\n"); tok != NULL; tok = strtok(NULL, " \t\n")) {
            char *val = strtok(NULL, " \t\n");
            if (strcmp(tok, "--no-timer") == 0) {
                p->boot_flags = 1;
                if (val == NULL)
                    break;
                tok = val;
                val = strtok(NULL, " \t\n");
            }
            if (val == NULL)
                break;
            if (strcmp(tok, "--ram") == 0)
                p->ram_mib = (uint32_t)strtoul(val, NULL, 0);
            else if (strcmp(tok, "--max-cycles") == 0)
                p->max_cycles = strtoull(val, NULL, 0);
            else if (strcmp(tok, "--quantum") == 0)
                p->quantum = (uint32_t)strtoul(val, NULL, 0);
        }
        break;
    }
    fclose(f);
    size_t n = strlen(src);
    if (n > 2 && strcmp(src + n - 2, ".s") == 0) {
        snprintf(p->input, sizeof p->input, "%.*s.in", (int)(n - 2), src);
        if (access(p->input, R_OK) != 0)
            p->input[0] = '\0';
    }
}

/* Parse "os:KERNEL:DISK:INPUT:QUANTUM". */
static void read_os(const char *spec, struct dm_program *p)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", spec + 3);
    char *kernel = strtok(copy, ":"), *disk = strtok(NULL, ":"), *input = strtok(NULL, ":");
    char *quantum = strtok(NULL, ":");
    if (quantum == NULL) {
        fprintf(stderr, "test-diff: bad %s\n", spec);
        exit(2);
    }
    snprintf(p->image, sizeof p->image, "%s", kernel);
    snprintf(p->disk, sizeof p->disk, "%s", disk);
    snprintf(p->input, sizeof p->input, "%s", strcmp(input, "-") == 0 ? "" : input);
    p->quantum = (uint32_t)strtoul(quantum, NULL, 0);
}

int main(int argc, char **argv)
{
    for (int k = 1; k < argc && nprograms < DM_MAX_PROGRAMS; k++) {
        struct dm_program *p = &programs[nprograms];
        p->stop_on = nprograms % 2 == 0 ? 1u << CPU_EV_RETT | 1u << CPU_EV_DEVICE
                                        : 1u << CPU_EV_TRAP | 1u << CPU_EV_IRQ;
        nprograms++;
        p->ram_mib = ISA_RAM_DEFAULT_MIB;
        p->max_cycles = DM_DEFAULT_MAX_CYCLES;
        if (strncmp(argv[k], "os:", 3) == 0) {
            read_os(argv[k], p);
        } else {
            snprintf(p->image, sizeof p->image, "%s", argv[k]);
            size_t n = k + 1 < argc ? strlen(argv[k + 1]) : 0;
            if (n > 2 && strcmp(argv[k + 1] + n - 2, ".s") == 0)
                read_args(argv[++k], p);
        }
    }
    if (nprograms == 0) {
        fprintf(stderr, "usage: test-diff IMAGE [SOURCE.s] ... | os:KERNEL:DISK:INPUT:QUANTUM\n");
        return 2;
    }
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("programs");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_same_as_reference, 0, nprograms);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
