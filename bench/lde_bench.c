/*
 * lde_bench.c - lde-bench: how fast does the LDE32 interpreter run?
 *
 * Runs guest workloads assembled at build time (the bench .s files; each is
 * a user program under a tiny kernel whose timer interrupts every 10,000 cycles)
 * and prints one line per workload:
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

#include "bench_clock.h"
#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "image.h"
#include "timer.h"

#ifndef LDE_BENCH_DIR
#define LDE_BENCH_DIR "."
#endif

#define BENCH_RAM_BYTES    (16u * 1024u * 1024u)
#define BENCH_CHUNK_CYCLES (1ull << 32)
#define BENCH_OUT_MAX      64

/* Guest console output, captured. */
struct bench_output {
    char text[BENCH_OUT_MAX]; /* NUL-terminated; extra bytes are dropped */
    size_t len;               /* bytes kept */
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
};

typedef int (*bench_expect_fn)(const struct image *img, char *out, size_t outlen);

/* A workload: its name, image file and the C reference computation. */
struct bench_workload {
    const char *name;       /* also the image's base name */
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

static const struct bench_workload workloads[] = {
    {"alu", expect_alu},
    {"sieve", expect_sieve},
    {"fib", expect_fib},
};

static void capture_put(void *ctx, uint8_t byte)
{
    struct bench_output *o = ctx;

    if (o->len + 1 < sizeof o->text && byte != '\n') {
        o->text[o->len++] = (char)byte;
        o->text[o->len] = '\0';
    }
}

static int capture_get(void *ctx)
{
    (void)ctx;
    return CONSOLE_EOF;
}

/* A bus with RAM, a console writing into `out`, a timer, and the image. */
static struct bus *build_bus(const struct image *img, struct bench_output *out, char *err,
                             size_t errlen)
{
    struct console_host host = {capture_put, capture_get, out};
    struct bus *bus = bus_create(BENCH_RAM_BYTES);
    struct device *con, *tmr;

    if (bus == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    con = console_create(&host);
    tmr = timer_device_create();
    if (con == NULL || tmr == NULL || bus_attach(bus, con) != 0 || bus_attach(bus, tmr) != 0 ||
        image_place(img, bus_ram(bus), bus_ram_size(bus), err, errlen) != 0) {
        if (err[0] == '\0') {
            snprintf(err, errlen, "cannot build the machine");
        }
        bus_destroy(bus);
        return NULL;
    }
    bus_ram_written(bus, 0, bus_ram_size(bus));
    return bus;
}

/* Run the image to its halt and fill `r`.  -1 with a reason if it cannot run. */
static int run_image(const struct image *img, struct bench_result *r, char *err, size_t errlen)
{
    struct bench_output out = {"", 0};
    struct bus *bus = build_bus(img, &out, err, errlen);
    struct cpu *cpu;
    enum cpu_stop why;
    double start;

    if (bus == NULL) {
        return -1;
    }
    cpu = cpu_create(bus);
    if (cpu == NULL) {
        bus_destroy(bus);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cpu_reset(cpu, img->entry);
    start = bench_now_seconds();
    do {
        why = cpu_run(cpu, BENCH_CHUNK_CYCLES);
    } while (why == CPU_STOP_BUDGET);
    r->seconds = bench_now_seconds() - start;
    r->instructions = cpu_instructions(cpu);
    r->cycles = cpu_cycles(cpu);
    snprintf(r->result, sizeof r->result, "%s", out.text);
    r->ok = why == CPU_STOP_HALT && cpu_halt_code(cpu) == 0 && strcmp(r->result, r->expected) == 0;
    if (why != CPU_STOP_HALT) {
        snprintf(r->result, sizeof r->result, "stopped: %s", cpu_stop_name(why));
    }
    cpu_destroy(cpu);
    bus_destroy(bus);
    return 0;
}

/* Load DIR/NAME[-smoke].img, compute the expected output, run it. */
static int bench_one(const struct bench_workload *w, const char *dir, bool smoke,
                     struct bench_result *r, char *err, size_t errlen)
{
    char path[1024];
    struct image img;
    int rc;

    memset(r, 0, sizeof *r);
    r->name = w->name;
    snprintf(path, sizeof path, "%s/%s%s.img", dir, w->name, smoke ? "-smoke" : "");
    if (image_read_file(&img, path, err, errlen) != 0) {
        return -1;
    }
    if (w->expect(&img, r->expected, sizeof r->expected) != 0) {
        snprintf(err, errlen, "%.400s: missing size symbols", path);
        image_free(&img);
        return -1;
    }
    rc = run_image(&img, r, err, errlen);
    image_free(&img);
    return rc;
}

static double mips(const struct bench_result *r)
{
    return r->seconds > 0 ? (double)r->instructions / r->seconds / 1e6 : 0.0;
}

static void print_text(const struct bench_result *r)
{
    printf("%-6s %12" PRIu64 " %12" PRIu64 " %8.3f %8.1f  %s %s\n", r->name, r->instructions,
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
           "\"ok\": %s}%s\n",
           first ? "[" : " ", r->name, r->instructions, r->cycles, r->seconds, mips(r), r->result,
           r->expected, r->ok ? "true" : "false", last ? "]" : ",");
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lde-bench [--json] [--smoke] [--dir DIR] [WORKLOAD...]\n"
            "Runs the LDE32 benchmark workloads (alu, sieve, fib) and prints\n"
            "  name instructions cycles seconds MIPS result ok|FAIL\n"
            "--smoke runs the small versions; --dir finds the images (default %s).\n"
            "Exit status 0 if every result is right, 1 otherwise, 2 on a bad command line.\n",
            LDE_BENCH_DIR);
}

/* Is workload i selected by the names on the command line (none = all)? */
static bool selected(const char *name, char **names, int nnames)
{
    for (int i = 0; i < nnames; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return nnames == 0;
}

int main(int argc, char **argv)
{
    bool json = false, smoke = false;
    const char *dir = LDE_BENCH_DIR;
    size_t n = sizeof workloads / sizeof workloads[0];
    struct bench_result results[sizeof workloads / sizeof workloads[0]];
    size_t nres = 0;
    int status = 0, argi = 1;
    char err[512] = "";

    for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
        if (strcmp(argv[argi], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[argi], "--smoke") == 0) {
            smoke = true;
        } else if (strcmp(argv[argi], "--dir") == 0 && argi + 1 < argc) {
            dir = argv[++argi];
        } else if (strcmp(argv[argi], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!json) {
        printf("# %-4s %12s %12s %8s %8s  %s\n", "name", "instructions", "cycles", "seconds",
               "MIPS", "result check");
    }
    for (size_t i = 0; i < n; i++) {
        if (!selected(workloads[i].name, argv + argi, argc - argi)) {
            continue;
        }
        if (bench_one(&workloads[i], dir, smoke, &results[nres], err, sizeof err) != 0) {
            fprintf(stderr, "lde-bench: %s\n", err);
            return 1;
        }
        if (!json) {
            print_text(&results[nres]);
        }
        status |= !results[nres].ok;
        nres++;
    }
    for (size_t i = 0; json && i < nres; i++) {
        print_json(&results[i], i == 0, i + 1 == nres);
    }
    return status;
}
