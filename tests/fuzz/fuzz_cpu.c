/*
 * fuzz_cpu.c - the CPU runs random instruction words from random state.
 *
 * The input sets the privileged state (mode, IE, ttb, ksp, base, bounds),
 * every register and the pc, then fills RAM with instruction words; the
 * machine has every device (console, timer, disk, trace port) and runs for
 * at most RUN_CYCLES cycles.  Checked:
 *   - the host never faults (the sanitizers watch every host access: RAM is
 *     an exact-size heap block, so a guest access outside it is caught);
 *   - the run ends in a documented state: halt, double-fault halt,
 *     deadlock, or exactly the cycle limit;
 *   - every trap frame and rett frame the CPU used lies in RAM, aligned;
 *   - running the same machine one cpu_step() at a time gives the same
 *     registers, control registers, RAM and disk (the fast path, with its
 *     decode cache, agrees with single-stepping);
 *   - the same run by the reference engine (cpu/reference.c) ends with the
 *     same stop, cycle count and state: the default engine, the block
 *     translator, agrees with the definition on arbitrary code.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "console.h"
#include "cpu.h"
#include "disk.h"
#include "fuzz.h"
#include "timer.h"
#include "trace.h"

#define RAM_BYTES  0x10000u /* 64 KiB: random addresses mostly miss it */
#define RUN_CYCLES 20000u   /* the budget of one run */
#define HEADER     96u      /* input bytes that set the state */

/* One machine under test. */
struct fuzz_machine {
    struct bus *bus;      /* RAM and devices */
    struct cpu *cpu;      /* the processor */
    const uint8_t *input; /* console input bytes */
    size_t ninput;        /* how many */
    size_t input_pos;     /* next one to give */
    unsigned halts;       /* CPU_EV_HALT events seen */
    char disk_path[64];   /* its own scratch disk image */
};

static void console_put(void *ctx, uint8_t byte)
{
    (void)ctx;
    (void)byte;
}

static int console_get(void *ctx)
{
    struct fuzz_machine *m = ctx;
    if (m->input_pos >= m->ninput)
        return CONSOLE_EOF;
    return m->input[m->input_pos++];
}

/* Frames must lie in RAM, aligned; the handler is whatever the table held. */
static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct fuzz_machine *m = ctx;

    if (ev->kind == CPU_EV_HALT)
        m->halts++;
    if (ev->kind == CPU_EV_TRAP || ev->kind == CPU_EV_RETT) {
        if (ev->frame % 4 != 0 || (uint64_t)ev->frame + ISA_FRAME_SIZE > RAM_BYTES)
            fuzz_fail("%s frame at 0x%08x is outside RAM or misaligned",
                      ev->kind == CPU_EV_TRAP ? "trap" : "rett", ev->frame);
    }
    if (ev->kind == CPU_EV_TRAP && cpu_mode(m->cpu) != CPU_MODE_KERNEL)
        fuzz_fail("a trap left the CPU in user mode");
}

/* A tiny valid disk: superblock, directory and a few data blocks. */
static int make_disk(const char *path, const uint8_t *fill, size_t nfill)
{
    struct diskfmt_image img;
    char err[200];
    if (diskfmt_init(&img, err, sizeof err) != 0)
        return -1;
    if (nfill > 2048)
        nfill = 2048;
    int rc = diskfmt_add(&img, "f", fill, nfill, err, sizeof err);
    if (rc == 0)
        rc = diskfmt_save(&img, path, err, sizeof err);
    diskfmt_free(&img);
    return rc;
}

static bool attach(struct bus *bus, struct device *dev)
{
    if (dev == NULL)
        return false;
    if (bus_attach(bus, dev) != 0) {
        dev->ops->destroy(dev);
        return false;
    }
    return true;
}

static bool machine_build(struct fuzz_machine *m, const char *tag, const uint8_t *data, size_t size)
{
    struct console_host h = {console_put, console_get, m};
    char err[200];

    memset(m, 0, sizeof *m);
    m->input = data;
    m->ninput = size < 64 ? size : 64;
    fuzz_temp_path(m->disk_path, sizeof m->disk_path, tag);
    if (make_disk(m->disk_path, data, size) != 0)
        return false;
    m->bus = bus_create(RAM_BYTES);
    if (m->bus == NULL)
        return false;
    if (!attach(m->bus, console_create(&h)) || !attach(m->bus, timer_device_create()) ||
        !attach(m->bus, trace_create()) ||
        !attach(m->bus, disk_create(m->disk_path, err, sizeof err)))
        return false;
    m->cpu = cpu_create(m->bus);
    if (m->cpu == NULL)
        return false;
    cpu_set_event_hook(m->cpu, on_event, m);
    return true;
}

static void machine_free(struct fuzz_machine *m)
{
    if (m->cpu != NULL)
        cpu_destroy(m->cpu);
    if (m->bus != NULL)
        bus_destroy(m->bus);
    unlink(m->disk_path);
}

/* A raw 32-bit value, or (bit clear in `sel`) one reduced into RAM. */
static uint32_t pick_addr(struct fuzz_input *in, unsigned sel, unsigned bit, uint32_t align)
{
    uint32_t v = fuzz_u32(in);
    if (sel & (1u << bit))
        return v;
    return (v % RAM_BYTES) & ~(align - 1u);
}

/* State from the header, RAM from the rest of the input. */
static void machine_load(struct fuzz_machine *m, const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size < HEADER ? size : HEADER, 0};
    unsigned sel = fuzz_u8(&in);
    uint32_t status = fuzz_u8(&in) & (ISA_STATUS_KERNEL | ISA_STATUS_IE);

    cpu_reset(m->cpu, 0);
    cpu_set_cr(m->cpu, ISA_CR_ttb, pick_addr(&in, sel, 0, 4));
    cpu_set_cr(m->cpu, ISA_CR_ksp, pick_addr(&in, sel, 1, 4));
    cpu_set_cr(m->cpu, ISA_CR_base, pick_addr(&in, sel, 2, 1));
    cpu_set_cr(m->cpu, ISA_CR_bounds, pick_addr(&in, sel, 3, 1));
    cpu_set_pc(m->cpu, pick_addr(&in, sel, 4, 4));
    for (unsigned r = 1; r < ISA_NREGS; r++)
        cpu_set_reg(m->cpu, r, pick_addr(&in, sel, 5 + (r == ISA_R_SP), 4));
    cpu_set_cr(m->cpu, ISA_CR_status, status);
    uint8_t *ram = bus_ram(m->bus);
    size_t n = size > HEADER ? size - HEADER : 0;
    if (n > RAM_BYTES)
        n = RAM_BYTES;
    /* The words repeat through RAM, so that jumps land on fuzzed code. */
    for (size_t off = 0; n && off < RAM_BYTES; off += n)
        memcpy(ram + off, data + HEADER, off + n <= RAM_BYTES ? n : RAM_BYTES - off);
    bus_ram_written(m->bus, 0, RAM_BYTES);
}

static void check_end(const struct fuzz_machine *m, enum cpu_stop stop, uint64_t limit)
{
    uint64_t cycles = cpu_cycles(m->cpu);
    switch (stop) {
    case CPU_STOP_BUDGET:
        if (cycles != limit)
            fuzz_fail("budget stop at cycle %llu, not %llu", (unsigned long long)cycles,
                      (unsigned long long)limit);
        break;
    case CPU_STOP_HALT:
    case CPU_STOP_DOUBLE_FAULT:
        if (!cpu_halted(m->cpu) || m->halts != 1)
            fuzz_fail("%s without a halted CPU and one halt event", cpu_stop_name(stop));
        break;
    case CPU_STOP_DEADLOCK:
        break;
    default:
        fuzz_fail("undocumented stop %s", cpu_stop_name(stop));
    }
    if (cycles > limit)
        fuzz_fail("ran to cycle %llu past the limit %llu", (unsigned long long)cycles,
                  (unsigned long long)limit);
}

/* Two runs of the same machine (`what` names them) must agree. */
static void compare(const struct fuzz_machine *a, const struct fuzz_machine *b, const char *what)
{
    for (unsigned r = 0; r < ISA_NREGS; r++)
        if (cpu_reg(a->cpu, r) != cpu_reg(b->cpu, r))
            fuzz_fail("%s differ in r%u: 0x%08x vs 0x%08x", what, r, cpu_reg(a->cpu, r),
                      cpu_reg(b->cpu, r));
    for (unsigned c = 0; c < ISA_NCRS; c++)
        if (cpu_cr(a->cpu, (enum isa_cr)c) != cpu_cr(b->cpu, (enum isa_cr)c))
            fuzz_fail("%s differ in %s", what, cpu_cr_name(c));
    if (cpu_pc(a->cpu) != cpu_pc(b->cpu))
        fuzz_fail("%s differ in pc: 0x%08x vs 0x%08x", what, cpu_pc(a->cpu), cpu_pc(b->cpu));
    if (memcmp(bus_ram(a->bus), bus_ram(b->bus), RAM_BYTES) != 0)
        fuzz_fail("%s differ in RAM", what);
    if (cpu_halted(a->cpu) != cpu_halted(b->cpu) ||
        cpu_instructions(a->cpu) != cpu_instructions(b->cpu))
        fuzz_fail("%s differ in halt state or instruction count", what);
}

/* The reference engine on the same input: the same stop and state. */
static void check_reference(const struct fuzz_machine *run, enum cpu_stop stop, const uint8_t *data,
                            size_t size)
{
    struct fuzz_machine ref;
    if (!machine_build(&ref, "ref", data, size))
        fuzz_fail("cannot build the machine");
    machine_load(&ref, data, size);
    cpu_set_engine(ref.cpu, CPU_ENGINE_REFERENCE);
    enum cpu_stop s = cpu_run(ref.cpu, RUN_CYCLES);
    if (s != stop || cpu_cycles(ref.cpu) != cpu_cycles(run->cpu))
        fuzz_fail("%s and the reference stop differently (%s at %llu, %s at %llu)",
                  cpu_engine_name(cpu_get_engine(run->cpu)), cpu_stop_name(stop),
                  (unsigned long long)cpu_cycles(run->cpu), cpu_stop_name(s),
                  (unsigned long long)cpu_cycles(ref.cpu));
    compare(run, &ref, "the default engine and the reference");
    machine_free(&ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_machine run, step;

    if (machine_build(&run, "run", data, size) && machine_build(&step, "step", data, size)) {
        machine_load(&run, data, size);
        machine_load(&step, data, size);
        enum cpu_stop stop = cpu_run(run.cpu, RUN_CYCLES);
        check_end(&run, stop, RUN_CYCLES);
        check_reference(&run, stop, data, size);
        enum cpu_stop s = CPU_STOP_BUDGET;
        while (!cpu_halted(step.cpu) && cpu_cycles(step.cpu) < RUN_CYCLES && s == CPU_STOP_BUDGET)
            s = cpu_step(step.cpu);
        /* A wfi wait is cut at the limit by cpu_run but not by cpu_step. */
        if (cpu_cycles(step.cpu) == cpu_cycles(run.cpu) && s == stop)
            compare(&run, &step, "cpu_run and cpu_step");
        else if (cpu_cycles(step.cpu) <= RUN_CYCLES && s != CPU_STOP_DEADLOCK)
            fuzz_fail("cpu_step stopped (%s at %llu) where cpu_run did not (%s at %llu)",
                      cpu_stop_name(s), (unsigned long long)cpu_cycles(step.cpu),
                      cpu_stop_name(stop), (unsigned long long)cpu_cycles(run.cpu));
        machine_free(&step);
    } else {
        fuzz_fail("cannot build the machine");
    }
    machine_free(&run);
    return 0;
}
