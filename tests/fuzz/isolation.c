/*
 * isolation.c - the isolation check: boots the guest OS with
 * guestos/user/isolate.s as its boot command and compares memory
 * snapshots taken when the program prints "isolate: snapshot before" and
 * "isolate: snapshot after" (between them, ~120 children attack memory,
 * devices, privileged instructions and control registers, and die).
 *
 *   isolation KERNEL.img DISK.img ISOLATE.s ULIB_DIR
 *
 * Compared byte for byte: the kernel's code (its image's first section),
 * the trap table (at ttb) and system-call table, and the whole memory of
 * init and of the victim (the process allocated last before the first
 * snapshot, found from the trace port's ALLOC reports).  Prints the guest's
 * console output with the harness's verdicts in line, and exits 0 only if
 * every snapshot matched and the guest halted with status 0.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assembler.h"
#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "disk.h"
#include "image.h"
#include "timer.h"
#include "trace.h"

#define RAM_BYTES   (16u << 20)
#define SLOT_BYTES  0x10000u     /* a process's memory (docs/syscalls.md) */
#define MAX_CYCLES  200000000ull /* give up here */
#define MAX_REGIONS 8

/* A range of physical memory and its copy at the first snapshot. */
struct region {
    const char *what; /* for the verdict line */
    uint32_t addr;    /* physical address */
    uint32_t len;     /* bytes */
    uint8_t *copy;    /* snapshot */
};

/* The harness's state. */
struct iso {
    struct cpu *cpu;                    /* the machine */
    struct bus *bus;                    /* its RAM and devices */
    struct image kernel;                /* the kernel image (sections, symbols) */
    char line[256];                     /* the console line being printed */
    size_t line_len;                    /* bytes in line */
    int marker;                         /* 1, 2: a snapshot line just ended */
    uint32_t slot_of[64];               /* base of each pid's memory (trace ALLOC) */
    uint32_t last_alloc;                /* pid of the latest ALLOC */
    struct region regions[MAX_REGIONS]; /* what is compared */
    unsigned nregions;                  /* entries in use */
    int mismatches;                     /* regions that changed */
};

static void console_put(void *ctx, uint8_t byte)
{
    struct iso *s = ctx;

    putchar(byte);
    if (byte != '\n') {
        if (s->line_len + 1 < sizeof s->line)
            s->line[s->line_len++] = (char)byte;
        return;
    }
    s->line[s->line_len] = '\0';
    s->line_len = 0;
    if (strcmp(s->line, "isolate: snapshot before") == 0)
        s->marker = 1;
    else if (strcmp(s->line, "isolate: snapshot after") == 0)
        s->marker = 2;
    if (s->marker)
        cpu_request_stop(s->cpu);
}

static int console_get(void *ctx)
{
    (void)ctx;
    return CONSOLE_EOF;
}

/* The trace port's ALLOC reports say where each pid's memory is. */
static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct iso *s = ctx;

    if (ev->kind != CPU_EV_DEVICE || strcmp(ev->device, "trace") != 0 ||
        (ev->code & 0xff) != TRACE_STEP_ALLOC || ev->text == NULL)
        return;
    const char *p = strstr(ev->text, "physical 0x");
    uint32_t pid = ev->code >> 8;
    if (p != NULL && pid < 64) {
        s->slot_of[pid] = (uint32_t)strtoul(p + 9, NULL, 16);
        s->last_alloc = pid;
    }
}

static void add_region(struct iso *s, const char *what, uint32_t addr, uint32_t len)
{
    if (s->nregions == MAX_REGIONS || (uint64_t)addr + len > RAM_BYTES)
        return;
    struct region *r = &s->regions[s->nregions++];
    r->what = what;
    r->addr = addr;
    r->len = len;
    r->copy = malloc(len);
    if (r->copy != NULL)
        memcpy(r->copy, bus_ram(s->bus) + addr, len);
}

static void snapshot(struct iso *s)
{
    const struct image_symbol *sys = image_symbol_named(&s->kernel, "syscall_table");

    add_region(s, "kernel code", s->kernel.sections[0].addr, s->kernel.sections[0].file_size);
    add_region(s, "trap table", cpu_cr(s->cpu, ISA_CR_ttb), 4 * ISA_TRAP_TABLE_ENTRIES);
    if (sys != NULL && sys->size != 0)
        add_region(s, "system-call table", sys->value, sys->size);
    add_region(s, "memory of init (pid 1)", s->slot_of[1], SLOT_BYTES);
    add_region(s, "memory of the victim", s->slot_of[s->last_alloc], SLOT_BYTES);
    printf("harness: snapshot of %u regions taken (victim is pid %u)\n", s->nregions,
           s->last_alloc);
}

static void compare(struct iso *s)
{
    for (unsigned i = 0; i < s->nregions; i++) {
        struct region *r = &s->regions[i];
        bool same = r->copy != NULL && memcmp(r->copy, bus_ram(s->bus) + r->addr, r->len) == 0;
        printf("harness: %s (%u bytes at 0x%08x): %s\n", r->what, r->len, r->addr,
               same ? "identical" : "CHANGED");
        s->mismatches += !same;
        free(r->copy);
        r->copy = NULL;
    }
    if (s->nregions < 4) {
        printf("harness: too few regions compared\n");
        s->mismatches++;
    }
}

/* A copy of DISK with the program assembled from SRC and bootcmd "isolate". */
static int make_disk(const char *disk, const char *src, const char *inc, const char *out)
{
    const char *incs[] = {inc};
    struct asm_options opt = {incs, 1, NULL, 0, 0, NULL, NULL};
    struct image prog;
    struct diskfmt_image img;
    uint8_t *bytes = NULL;
    char err[256];

    if (asm_assemble_file(src, &opt, &prog, stderr) != 0)
        return -1;
    size_t n = image_serialise(&prog, &bytes);
    image_free(&prog);
    if (n == 0 || diskfmt_load(&img, disk, err, sizeof err) != 0) {
        fprintf(stderr, "isolation: %s\n", n ? err : "cannot serialise the program");
        free(bytes);
        return -1;
    }
    int rc = diskfmt_add(&img, "isolate", bytes, n, err, sizeof err);
    if (rc == 0)
        rc = diskfmt_add(&img, "bootcmd", (const uint8_t *)"isolate", 7, err, sizeof err);
    if (rc == 0)
        rc = diskfmt_save(&img, out, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "isolation: %s\n", err);
    diskfmt_free(&img);
    free(bytes);
    return rc;
}

static bool attach(struct bus *bus, struct device *dev)
{
    if (dev != NULL && bus_attach(bus, dev) == 0)
        return true;
    if (dev != NULL)
        dev->ops->destroy(dev);
    return false;
}

static int boot(struct iso *s, const char *kernel, const char *disk)
{
    struct console_host host = {console_put, console_get, s};
    char err[256];

    s->bus = bus_create(RAM_BYTES);
    if (s->bus == NULL || !attach(s->bus, console_create(&host)) ||
        !attach(s->bus, timer_device_create()) || !attach(s->bus, trace_create()) ||
        !attach(s->bus, disk_create(disk, err, sizeof err)))
        return -1;
    trace_want_text(bus_device_named(s->bus, "trace"), true); /* on_event reads ALLOC texts */
    if (image_read_file(&s->kernel, kernel, err, sizeof err) != 0 || s->kernel.nsections == 0 ||
        image_place(&s->kernel, bus_ram(s->bus), RAM_BYTES, err, sizeof err) != 0) {
        fprintf(stderr, "isolation: %s\n", err);
        return -1;
    }
    s->cpu = cpu_create(s->bus);
    if (s->cpu == NULL)
        return -1;
    bus_ram_written(s->bus, 0, RAM_BYTES);
    cpu_set_event_hook(s->cpu, on_event, s);
    cpu_reset(s->cpu, s->kernel.entry);
    cpu_set_reg(s->cpu, ISA_R_A0 + 1, RAM_BYTES); /* boot protocol: a1 = RAM size */
    return 0;
}

int main(int argc, char **argv)
{
    static struct iso s;
    char disk[64];

    if (argc != 5) {
        fprintf(stderr, "usage: isolation KERNEL.img DISK.img ISOLATE.s ULIB_DIR\n");
        return 2;
    }
    snprintf(disk, sizeof disk, "/tmp/lde-isolation-%ld.img", (long)getpid());
    if (make_disk(argv[2], argv[3], argv[4], disk) != 0 || boot(&s, argv[1], disk) != 0) {
        fprintf(stderr, "isolation: cannot set up the machine\n");
        unlink(disk);
        return 2;
    }
    int snapshots = 0;
    enum cpu_stop stop = CPU_STOP_REQUEST;
    while (stop == CPU_STOP_REQUEST && cpu_cycles(s.cpu) < MAX_CYCLES) {
        stop = cpu_run(s.cpu, MAX_CYCLES - cpu_cycles(s.cpu));
        if (s.marker == 1)
            snapshot(&s);
        else if (s.marker == 2)
            compare(&s);
        snapshots += s.marker != 0;
        s.marker = 0;
    }
    fflush(stdout);
    printf("harness: %s, exit code %u, %llu cycles\n", cpu_stop_name(stop), cpu_halt_code(s.cpu),
           (unsigned long long)cpu_cycles(s.cpu));
    bool ok =
        stop == CPU_STOP_HALT && cpu_halt_code(s.cpu) == 0 && snapshots == 2 && s.mismatches == 0;
    printf("harness: isolation %s\n", ok ? "holds" : "BROKEN");
    cpu_destroy(s.cpu);
    bus_destroy(s.bus);
    image_free(&s.kernel);
    unlink(disk);
    return ok ? 0 : 1;
}
