/*
 * lde_bench.c - lde-bench: how fast does lde run LDE32 code?
 *
 * Runs guest workloads assembled at build time on one engine (the
 * translator unless --engine says otherwise) and prints one line per
 * workload.  The pure ones (alu, sieve, fib) are user programs under a tiny
 * kernel (bench_kernel.inc) whose timer interrupts every 10,000 cycles
 * (--quantum N, --no-timer change that); syscall, switch and switch-q1000
 * are user programs under the guest OS, booted from its kernel with a disk
 * holding init, the program and a bootcmd naming it; boot is the guest OS
 * from reset to its shell's prompt:
 *
 *   name  instructions  cycles  seconds  MIPS  result  ok|FAIL
 *
 * The result is what the guest printed; it is checked against the same
 * computation done in C, with the sizes read from the image's constant
 * symbols (N_ITERS, N_SIZE, ...), so a wrong interpreter cannot post a
 * fast time.  Seconds are host wall-clock time, used only for the report:
 * the machine itself runs on virtual time.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_clock.h"
#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "disk.h"
#include "image.h"
#include "timer.h"
#include "trace.h"

#ifndef LDE_BENCH_DIR
#define LDE_BENCH_DIR "."
#endif
#ifndef LDE_BENCH_KERNEL
#define LDE_BENCH_KERNEL "" /* built without the guest OS */
#define LDE_BENCH_DISK   ""
#endif

#define BENCH_RAM_BYTES    (16u * 1024u * 1024u)
#define BENCH_CHUNK_CYCLES (1ull << 32)
#define BENCH_OUT_MAX      64

/* Guest console output, captured: the last line. */
struct bench_output {
    char text[BENCH_OUT_MAX]; /* NUL-terminated; extra bytes are dropped */
    size_t len;               /* bytes kept */
    bool line_ended;          /* a newline came: the next byte starts afresh */
    const char *stop_at;      /* stop the CPU when the line reads this (NULL: never) */
    struct cpu *cpu;          /* the CPU to stop */
};

/* How the machine boots (boot protocol registers, docs/isa.md). */
struct bench_boot {
    uint32_t flags;   /* a0: bit 0 = no timer */
    uint32_t quantum; /* a2: timer quantum in cycles, 0 = the kernel's default */
};

/* One workload's measurements. */
struct bench_result {
    const char *name;             /* workload name */
    uint64_t instructions;        /* instructions retired */
    uint64_t cycles;              /* virtual cycles */
    double seconds;               /* host wall-clock time of the run */
    char result[BENCH_OUT_MAX];   /* what the guest printed, without newline */
    char expected[BENCH_OUT_MAX]; /* what it should have printed */
    bool ok;                      /* halted with 0 and result == expected */
    enum cpu_engine engine;       /* what ran it (the translator may be missing) */
};

typedef int (*bench_expect_fn)(const struct image *img, char *out, size_t outlen);

/* A workload: its name, image file and the C reference computation. */
struct bench_workload {
    const char *name;       /* as selected on the command line */
    const char *image;      /* the image's base name (the program, under the OS) */
    const char *disk;       /* under the guest OS: the disk's base name; else NULL */
    uint32_t quantum;       /* under the guest OS: timer quantum (0 = default) */
    bench_expect_fn expect; /* writes the expected output; -1 if symbols are missing */
};

/* The value of a constant symbol, or -1 if the image lacks it. */
static int symbol_value(const struct image *img, const char *name, uint32_t *value)
{
    const struct image_symbol *sym = image_symbol_named(img, name);

    if (sym == NULL) {
        return -1;
    }
    *value = sym->value;
    return 0;
}

static int expect_alu(const struct image *img, char *out, size_t outlen)
{
    uint32_t n, a = 0x12345678u, b = 1;

    if (symbol_value(img, "N_ITERS", &n) != 0) {
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        a = (a ^ (a << 5)) + i;
        b ^= a >> 3;
    }
    snprintf(out, outlen, "%" PRIu32, a ^ b);
    return 0;
}

static int expect_sieve(const struct image *img, char *out, size_t outlen)
{
    uint32_t size, passes, primes = 0;
    uint8_t *flags;

    if (symbol_value(img, "N_SIZE", &size) != 0 || symbol_value(img, "N_PASSES", &passes) != 0) {
        return -1;
    }
    flags = malloc(size);
    if (flags == NULL) {
        return -1;
    }
    memset(flags, 1, size);
    for (uint64_t i = 2; i * i < size; i++) {
        for (uint64_t j = i * i; flags[i] && j < size; j += i) {
            flags[j] = 0;
        }
    }
    for (uint32_t i = 2; i < size; i++) {
        primes += flags[i];
    }
    free(flags);
    snprintf(out, outlen, "%" PRIu32, primes * passes);
    return 0;
}

static int expect_fib(const struct image *img, char *out, size_t outlen)
{
    uint32_t n, reps, a = 0, b = 1;

    if (symbol_value(img, "N_FIB", &n) != 0 || symbol_value(img, "N_REPS", &reps) != 0) {
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t next = a + b;
        a = b;
        b = next;
    }
    snprintf(out, outlen, "%" PRIu32, a * reps);
    return 0;
}

/* The program's count symbol, printed back when every call or yield
 * behaved (os_syscall.s, os_switch.s). */
static int expect_count(const struct image *img, char *out, size_t outlen)
{
    uint32_t n;

    if (symbol_value(img, "N_CALLS", &n) != 0 && symbol_value(img, "N_YIELDS", &n) != 0) {
        return -1;
    }
    snprintf(out, outlen, "%" PRIu32, n);
    return 0;
}

/* The shell's prompt: the boot workload ends when it appears. */
#define BENCH_PROMPT "$ "

static int expect_prompt(const struct image *img, char *out, size_t outlen)
{
    (void)img;
    snprintf(out, outlen, "%s", BENCH_PROMPT);
    return 0;
}

static const struct bench_workload workloads[] = {
    {"alu", "alu", NULL, 0, expect_alu},
    {"sieve", "sieve", NULL, 0, expect_sieve},
    {"fib", "fib", NULL, 0, expect_fib},
    {"syscall", "os_syscall", "syscall-disk", 0, expect_count},
    {"switch", "os_switch", "switch-disk", 0, expect_count},
    {"switch-q1000", "os_switch", "switch-disk", 1000, expect_count},
    {"boot", NULL, NULL, 0, expect_prompt}, /* the guest OS to its shell prompt */
};

static void capture_put(void *ctx, uint8_t byte)
{
    struct bench_output *o = ctx;

    if (byte == '\n') {
        o->line_ended = true;
        return;
    }
    if (o->line_ended) {
        o->len = 0;
        o->text[0] = '\0';
        o->line_ended = false;
    }
    if (o->len + 1 < sizeof o->text) {
        o->text[o->len++] = (char)byte;
        o->text[o->len] = '\0';
    }
    if (o->stop_at != NULL && o->cpu != NULL && strcmp(o->text, o->stop_at) == 0) {
        cpu_request_stop(o->cpu);
    }
}

static int capture_get(void *ctx)
{
    (void)ctx;
    return CONSOLE_EOF;
}

/* Attach `dev` (NULL after a failed create); -1 if it cannot be. */
static int attach(struct bus *bus, struct device *dev)
{
    if (dev == NULL) {
        return -1;
    }
    if (bus_attach(bus, dev) != 0) {
        dev->ops->destroy(dev);
        return -1;
    }
    return 0;
}

/* Under the guest OS: the trace port, and the disk at `disk_path`. */
static int attach_os_devices(struct bus *bus, const char *disk_path, char *err, size_t errlen)
{
    struct device *disk = disk_create(disk_path, err, errlen);

    if (disk == NULL || attach(bus, disk) != 0 || attach(bus, trace_create()) != 0) {
        return -1;
    }
    return 0;
}

/* A bus with RAM, a console writing into `out`, a timer, the disk at
 * `disk_path` (NULL: none) and the image. */
static struct bus *build_bus(const struct image *img, const char *disk_path,
                             struct bench_output *out, char *err, size_t errlen)
{
    struct console_host host = {capture_put, capture_get, out};
    struct bus *bus = bus_create(BENCH_RAM_BYTES);

    if (bus == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (attach(bus, console_create(&host)) != 0 || attach(bus, timer_device_create()) != 0 ||
        (disk_path != NULL && attach_os_devices(bus, disk_path, err, errlen) != 0) ||
        image_place(img, bus_ram(bus), bus_ram_size(bus), err, errlen) != 0) {
        if (err[0] == '\0') {
            snprintf(err, errlen, "cannot build the machine");
        }
        bus_destroy(bus);
        return NULL;
    }
    return bus; /* no CPU yet, so no decoded code to tell about the image */
}

/* --engine: what executes the guest (cpu.h). */
static enum cpu_engine bench_engine = CPU_ENGINE_TRANSLATE;

/* Run the image to its halt (or to the line `stop_at`) and fill `r`; the
 * time counts from building the machine.  -1 with a reason if it cannot run. */
static int run_image(const struct image *img, const char *disk_path, struct bench_boot boot,
                     const char *stop_at, struct bench_result *r, char *err, size_t errlen)
{
    struct bench_output out = {"", 0, false, stop_at, NULL};
    double start = bench_now_seconds();
    struct bus *bus = build_bus(img, disk_path, &out, err, errlen);
    struct cpu *cpu;
    enum cpu_stop why;

    if (bus == NULL) {
        return -1;
    }
    cpu = cpu_create(bus);
    if (cpu == NULL) {
        bus_destroy(bus);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cpu_set_engine(cpu, bench_engine);
    cpu_reset(cpu, img->entry);
    cpu_set_reg(cpu, ISA_R_A0, boot.flags);
    cpu_set_reg(cpu, ISA_R_A0 + 1, bus_ram_size(bus));
    cpu_set_reg(cpu, ISA_R_A0 + 2, boot.quantum);
    out.cpu = cpu;
    do {
        why = cpu_run(cpu, BENCH_CHUNK_CYCLES);
    } while (why == CPU_STOP_BUDGET);
    r->seconds = bench_now_seconds() - start;
    r->instructions = cpu_instructions(cpu);
    r->cycles = cpu_cycles(cpu);
    snprintf(r->result, sizeof r->result, "%s", out.text);
    r->ok = why == (stop_at != NULL ? CPU_STOP_REQUEST : CPU_STOP_HALT) &&
            (stop_at != NULL || cpu_halt_code(cpu) == 0) && strcmp(r->result, r->expected) == 0;
    if (why != CPU_STOP_HALT && !r->ok) {
        snprintf(r->result, sizeof r->result, "stopped: %s", cpu_stop_name(why));
    }
    r->engine = cpu_get_engine(cpu);
    cpu_destroy(cpu);
    bus_destroy(bus);
    return 0;
}

/* Copy the file `from` to a new temporary file; its path goes to `tmp`. */
static int copy_to_temp(const char *from, char *tmp, size_t tmplen, char *err, size_t errlen)
{
    FILE *in = fopen(from, "rb"), *out = NULL;
    char buf[65536];
    size_t n;
    int fd, rc = 0;

    snprintf(tmp, tmplen, "/tmp/lde-bench-XXXXXX");
    fd = in != NULL ? mkstemp(tmp) : -1;
    out = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (out == NULL) {
        snprintf(err, errlen, "%.400s: cannot copy to a temporary file", from);
        rc = -1;
    }
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            snprintf(err, errlen, "%s: write error", tmp);
            rc = -1;
        }
    }
    if (in != NULL) {
        fclose(in);
    }
    if (out != NULL && fclose(out) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: write error", tmp);
        rc = -1;
    }
    return rc;
}

/* Under the guest OS: boot the kernel with a copy of DIR/DISK[-smoke].img,
 * or of the guest OS's own disk for the boot workload. */
static int bench_os(const struct bench_workload *w, const char *dir, bool smoke,
                    struct bench_result *r, char *err, size_t errlen)
{
    char disk[1024], tmp[64];
    struct bench_boot boot = {0, w->quantum};
    struct image kernel;
    int rc;

    if (LDE_BENCH_KERNEL[0] == '\0') {
        snprintf(err, errlen, "%s: this lde-bench was built without the guest OS", w->name);
        return -1;
    }
    if (w->disk != NULL) {
        snprintf(disk, sizeof disk, "%s/%s%s.img", dir, w->disk, smoke ? "-smoke" : "");
    } else {
        snprintf(disk, sizeof disk, "%s", LDE_BENCH_DISK);
    }
    if (image_read_file(&kernel, LDE_BENCH_KERNEL, err, errlen) != 0) {
        return -1;
    }
    rc = copy_to_temp(disk, tmp, sizeof tmp, err, errlen);
    if (rc == 0) {
        rc = run_image(&kernel, tmp, boot, w->disk != NULL ? NULL : BENCH_PROMPT, r, err, errlen);
        unlink(tmp);
    }
    image_free(&kernel);
    return rc;
}

/* Load DIR/NAME[-smoke].img, compute the expected output, run it. */
static int bench_one(const struct bench_workload *w, const char *dir, bool smoke,
                     struct bench_boot boot, struct bench_result *r, char *err, size_t errlen)
{
    char path[1024];
    struct image img;
    int rc;

    memset(r, 0, sizeof *r);
    r->name = w->name;
    if (w->image == NULL) { /* boot: nothing to compute beforehand */
        expect_prompt(NULL, r->expected, sizeof r->expected);
        return bench_os(w, dir, smoke, r, err, errlen);
    }
    snprintf(path, sizeof path, "%s/%s%s.img", dir, w->image, smoke ? "-smoke" : "");
    if (image_read_file(&img, path, err, errlen) != 0) {
        return -1;
    }
    if (w->expect(&img, r->expected, sizeof r->expected) != 0) {
        snprintf(err, errlen, "%.400s: missing size symbols", path);
        image_free(&img);
        return -1;
    }
    rc = w->disk != NULL ? bench_os(w, dir, smoke, r, err, errlen)
                         : run_image(&img, NULL, boot, NULL, r, err, errlen);
    image_free(&img);
    return rc;
}

static double mips(const struct bench_result *r)
{
    return r->seconds > 0 ? (double)r->instructions / r->seconds / 1e6 : 0.0;
}

static void print_text(const struct bench_result *r)
{
    printf("%-12s %12" PRIu64 " %12" PRIu64 " %10.6f %8.1f  %s %s\n", r->name, r->instructions,
           r->cycles, r->seconds, mips(r), r->result, r->ok ? "ok" : "FAIL");
    if (!r->ok) {
        printf("# %s: expected %s\n", r->name, r->expected);
    }
    fflush(stdout);
}

static void print_json(const struct bench_result *r, bool first, bool last)
{
    printf("%s{\"name\": \"%s\", \"instructions\": %" PRIu64 ", \"cycles\": %" PRIu64
           ", \"seconds\": %.6f, \"mips\": %.1f, \"result\": \"%s\", \"expected\": \"%s\", "
           "\"ok\": %s, \"engine\": \"%s\"}%s\n",
           first ? "[" : " ", r->name, r->instructions, r->cycles, r->seconds, mips(r), r->result,
           r->expected, r->ok ? "true" : "false", cpu_engine_name(r->engine), last ? "]" : ",");
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lde-bench [--json] [--smoke] [--dir DIR] [--quantum N | --no-timer]\n"
            "                 [--engine translate|interpret|reference] [WORKLOAD...]\n"
            "Runs the LDE32 benchmark workloads (alu, sieve, fib, syscall, switch,\n"
            "switch-q1000, boot) and prints\n"
            "  name instructions cycles seconds MIPS result check (ok or FAIL)\n"
            "--smoke runs the small versions; --dir finds the images (default %s).\n"
            "--quantum N sets the timer of alu, sieve and fib to N cycles (default\n"
            "10000); --no-timer runs them without it.  --engine chooses what executes\n"
            "the guest (default translate; see docs/performance.md).\n"
            "Exit status 0 if every result is right, 1 otherwise, 2 on a bad command line.\n",
            LDE_BENCH_DIR);
}

/* Is the workload `name` selected by the names on the command line (none = all)? */
static bool selected(const char *name, char **names, int nnames)
{
    for (int i = 0; i < nnames; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return nnames == 0;
}

/* The command line's options. */
struct bench_options {
    bool json;              /* --json: JSON lines instead of the table */
    bool smoke;             /* --smoke: the small images */
    const char *dir;        /* --dir: where the images are */
    struct bench_boot boot; /* --no-timer, --quantum N */
};

/* Parse the options before the workload names into *o (--engine sets
 * bench_engine).  Returns the index of the first name, or -1 after
 * printing the usage (*status: 0 for --help, 2 for a mistake). */
static int parse_options(int argc, char **argv, struct bench_options *o, int *status)
{
    int argi = 1;

    for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
        if (strcmp(argv[argi], "--json") == 0) {
            o->json = true;
        } else if (strcmp(argv[argi], "--smoke") == 0) {
            o->smoke = true;
        } else if (strcmp(argv[argi], "--dir") == 0 && argi + 1 < argc) {
            o->dir = argv[++argi];
        } else if (strcmp(argv[argi], "--no-timer") == 0) {
            o->boot.flags = 1;
        } else if (strcmp(argv[argi], "--quantum") == 0 && argi + 1 < argc &&
                   atoi(argv[argi + 1]) > 0) {
            o->boot.quantum = (uint32_t)atoi(argv[++argi]);
        } else if (strcmp(argv[argi], "--engine") == 0 && argi + 1 < argc &&
                   cpu_engine_from_name(argv[argi + 1], &bench_engine) == 0) {
            argi++;
        } else {
            bool help = strcmp(argv[argi], "--help") == 0;
            usage(help ? stdout : stderr);
            *status = help ? 0 : 2;
            return -1;
        }
    }
    return argi;
}

int main(int argc, char **argv)
{
    struct bench_options o = {false, false, LDE_BENCH_DIR, {0, 0}};
    size_t n = sizeof workloads / sizeof workloads[0];
    struct bench_result results[sizeof workloads / sizeof workloads[0]];
    size_t nres = 0;
    int status = 0;
    char err[512] = "";
    int argi = parse_options(argc, argv, &o, &status);

    if (argi < 0) {
        return status;
    }
    for (size_t i = 0; i < n; i++) {
        if (!selected(workloads[i].name, argv + argi, argc - argi)) {
            continue;
        }
        if (bench_one(&workloads[i], o.dir, o.smoke, o.boot, &results[nres], err, sizeof err) !=
            0) {
            fprintf(stderr, "lde-bench: %s\n", err);
            return 1;
        }
        if (!o.json) {
            if (nres == 0) { /* the engine that really ran, known after the first run */
                printf("# engine: %s\n", cpu_engine_name(results[0].engine));
                printf("# %-10s %12s %12s %10s %8s  %s\n", "name", "instructions", "cycles",
                       "seconds", "MIPS", "result check");
            }
            print_text(&results[nres]);
        }
        status |= !results[nres].ok;
        nres++;
    }
    for (size_t i = 0; o.json && i < nres; i++) {
        print_json(&results[i], i == 0, i + 1 == nres);
    }
    return status;
}
