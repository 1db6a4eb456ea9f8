/*
 * soak_memory.c - the soak's memory check: runs the guest OS exactly as
 * `lde --max-cycles CYCLES --disk DISK KERNEL <INPUT` does (16 MiB RAM,
 * boot flags 0, default quantum) and reads the kernel's own bookkeeping
 * through its symbols (guestos/kernel/data.s, layout.s):
 *
 *   slot_used[NSLOTS]   one byte per 64 KiB memory slot, 1 = in use
 *   proc_table          NPROC entries of PCB_SIZE bytes, P_PID 0 = unused
 *
 *   soak-memory KERNEL.img DISK.img INPUT CYCLES
 *
 * Readings are taken whenever the shell prints its prompt "$ " at the start
 * of a line.  The first one is the boot value (init and sh, nothing else);
 * the one before each "==round==" line (soak.sh starts every round with
 * `echo ==round==`, after the previous round's `ps` has finished) must
 * equal it: the same free slots, the same slots, the same number of used
 * process-table entries.  The guest's console output goes to stdout
 * unchanged (soak.sh compares it with lde's); the verdict goes to stderr.
 * Exit 0 when every round start matched the boot value.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "disk.h"
#include "image.h"
#include "timer.h"
#include "trace.h"

#define RAM_BYTES (16u << 20) /* lde's default RAM */
#define MAX_SLOTS 64          /* more than the kernel's NSLOTS */

/* What the kernel's bookkeeping says at one moment. */
struct reading {
    uint8_t slot_used[MAX_SLOTS]; /* the kernel's slot_used bytes */
    unsigned free_slots;          /* of them, how many are 0 */
    unsigned used_entries;        /* process-table entries with a pid */
};

/* Where the bookkeeping lives (from the kernel's symbols). */
struct layout {
    uint32_t slot_used;  /* address of slot_used */
    uint32_t nslots;     /* NSLOTS */
    uint32_t proc_table; /* address of proc_table */
    uint32_t nproc;      /* NPROC */
    uint32_t pcb_size;   /* PCB_SIZE */
    uint32_t p_pid;      /* P_PID: offset of the pid in an entry */
};

/* The harness's state. */
struct soak {
    struct cpu *cpu;         /* the machine */
    struct bus *bus;         /* its RAM and devices */
    struct image kernel;     /* the kernel image (symbols) */
    struct layout at;        /* where to read */
    uint8_t *input;          /* the console input */
    size_t input_len;        /* its size */
    size_t input_pos;        /* next byte to give */
    char line[64];           /* start of the console line being printed */
    size_t line_len;         /* bytes of the line so far */
    bool prompt;             /* "$ " was just printed at a line start */
    bool round;              /* a "==round==" line just ended */
    struct reading boot;     /* at the first prompt */
    bool have_boot;          /* boot is set */
    struct reading prompted; /* at the latest prompt */
    unsigned rounds;         /* round starts checked */
    unsigned mismatches;     /* round starts that differed from boot */
};

static void console_put(void *ctx, uint8_t byte)
{
    struct soak *s = ctx;

    putchar(byte);
    if (byte == '\n') {
        s->line[s->line_len < sizeof s->line ? s->line_len : sizeof s->line - 1] = '\0';
        s->round = s->line_len >= 9 && strstr(s->line, "==round==") != NULL;
        s->line_len = 0;
    } else {
        if (s->line_len + 1 < sizeof s->line)
            s->line[s->line_len] = (char)byte;
        s->line_len++;
        s->prompt = s->line_len == 2 && memcmp(s->line, "$ ", 2) == 0;
    }
    if (s->prompt || s->round)
        cpu_request_stop(s->cpu);
}

static int console_get(void *ctx)
{
    struct soak *s = ctx;

    return s->input_pos < s->input_len ? s->input[s->input_pos++] : CONSOLE_EOF;
}

/* The value of a kernel symbol, or fail. */
static int symbol(struct soak *s, const char *name, uint32_t *out)
{
    const struct image_symbol *sym = image_symbol_named(&s->kernel, name);

    if (sym == NULL) {
        fprintf(stderr, "soak-memory: the kernel has no symbol '%s'\n", name);
        return -1;
    }
    *out = sym->value;
    return 0;
}

static int find_layout(struct soak *s)
{
    struct layout *l = &s->at;

    if (symbol(s, "slot_used", &l->slot_used) || symbol(s, "NSLOTS", &l->nslots) ||
        symbol(s, "proc_table", &l->proc_table) || symbol(s, "NPROC", &l->nproc) ||
        symbol(s, "PCB_SIZE", &l->pcb_size) || symbol(s, "P_PID", &l->p_pid))
        return -1;
    if (l->nslots == 0 || l->nslots > MAX_SLOTS || l->slot_used + l->nslots > RAM_BYTES ||
        (uint64_t)l->proc_table + (uint64_t)l->nproc * l->pcb_size > RAM_BYTES) {
        fprintf(stderr, "soak-memory: the kernel's tables are not where expected\n");
        return -1;
    }
    return 0;
}

static uint32_t ram_word(struct soak *s, uint32_t addr)
{
    const uint8_t *p = bus_ram(s->bus) + addr;

    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void take_reading(struct soak *s, struct reading *r)
{
    const struct layout *l = &s->at;

    memset(r, 0, sizeof *r);
    memcpy(r->slot_used, bus_ram(s->bus) + l->slot_used, l->nslots);
    for (uint32_t i = 0; i < l->nslots; i++)
        r->free_slots += r->slot_used[i] == 0;
    for (uint32_t i = 0; i < l->nproc; i++)
        r->used_entries += ram_word(s, l->proc_table + i * l->pcb_size + l->p_pid) != 0;
}

static bool same(const struct reading *a, const struct reading *b)
{
    return a->free_slots == b->free_slots && a->used_entries == b->used_entries &&
           memcmp(a->slot_used, b->slot_used, sizeof a->slot_used) == 0;
}

/* After a stop: a prompt gives a reading, a round start checks the last. */
static void on_stop(struct soak *s)
{
    if (s->prompt) {
        take_reading(s, &s->prompted);
        if (!s->have_boot) {
            s->boot = s->prompted;
            s->have_boot = true;
        }
    }
    if (s->round && s->have_boot) {
        s->rounds++;
        if (!same(&s->prompted, &s->boot)) {
            if (s->mismatches++ == 0)
                fprintf(stderr,
                        "soak-memory: round %u starts with %u free slots and %u process "
                        "entries, boot had %u and %u\n",
                        s->rounds, s->prompted.free_slots, s->prompted.used_entries,
                        s->boot.free_slots, s->boot.used_entries);
        }
    }
    s->prompt = false;
    s->round = false;
}

static bool attach(struct bus *bus, struct device *dev)
{
    if (dev != NULL && bus_attach(bus, dev) == 0)
        return true;
    if (dev != NULL)
        dev->ops->destroy(dev);
    return false;
}

static int boot(struct soak *s, const char *kernel, const char *disk)
{
    struct console_host host = {console_put, console_get, s};
    char err[256];

    s->bus = bus_create(RAM_BYTES);
    if (s->bus == NULL || !attach(s->bus, console_create(&host)) ||
        !attach(s->bus, timer_device_create()) || !attach(s->bus, trace_create()) ||
        !attach(s->bus, disk_create(disk, err, sizeof err)))
        return -1;
    if (image_read_file(&s->kernel, kernel, err, sizeof err) != 0 ||
        image_place(&s->kernel, bus_ram(s->bus), RAM_BYTES, err, sizeof err) != 0) {
        fprintf(stderr, "soak-memory: %s\n", err);
        return -1;
    }
    if (find_layout(s) != 0 || (s->cpu = cpu_create(s->bus)) == NULL)
        return -1;
    bus_ram_written(s->bus, 0, RAM_BYTES);
    cpu_reset(s->cpu, s->kernel.entry);
    cpu_set_reg(s->cpu, ISA_R_A0 + 1, RAM_BYTES); /* boot protocol: a1 = RAM size */
    return 0;
}

static int read_input(struct soak *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (s->input = malloc((size_t)n + 1)) == NULL ||
        fread(s->input, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "soak-memory: cannot read %s\n", path);
        if (f != NULL)
            fclose(f);
        return -1;
    }
    fclose(f);
    s->input_len = (size_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    static struct soak s;

    if (argc != 5) {
        fprintf(stderr, "usage: soak-memory KERNEL.img DISK.img INPUT CYCLES\n");
        return 2;
    }
    uint64_t cycles = strtoull(argv[4], NULL, 10);
    if (read_input(&s, argv[3]) != 0 || boot(&s, argv[1], argv[2]) != 0) {
        fprintf(stderr, "soak-memory: cannot set up the machine\n");
        return 2;
    }
    enum cpu_stop stop = CPU_STOP_REQUEST;
    while ((stop == CPU_STOP_REQUEST || stop == CPU_STOP_BUDGET) && cpu_cycles(s.cpu) < cycles) {
        stop = cpu_run(s.cpu, cycles - cpu_cycles(s.cpu));
        on_stop(&s);
    }
    fflush(stdout);
    bool ok = s.have_boot && s.rounds >= 2 && s.mismatches == 0 &&
              (stop == CPU_STOP_BUDGET || stop == CPU_STOP_REQUEST);
    fprintf(stderr,
            "soak-memory: boot: %u of %u memory slots free, %u of %u process entries used; "
            "%u round starts, %u different; %s at cycle %llu\n",
            s.boot.free_slots, s.at.nslots, s.boot.used_entries, s.at.nproc, s.rounds, s.mismatches,
            cpu_stop_name(stop), (unsigned long long)cpu_cycles(s.cpu));
    cpu_destroy(s.cpu);
    bus_destroy(s.bus);
    image_free(&s.kernel);
    free(s.input);
    return ok ? 0 : 1;
}
