/*
 * trace.c - the --trace output: one line per CPU event.
 *
 * The format is part of the documentation (docs/isa.md, "Tracing") and of
 * the golden tests, so change both together.  Every line starts with the
 * cycle at which the event happened, right-aligned in 10 columns (one
 * event per line; the first is folded here, at the "\"):
 *
 *       1234 trap syscall user->kernel pc=0x00000104 <user+0x4> \
 *                 handler=0x00000080 <on_syscall> frame=0x0000ffb0
 *       1240 rett kernel->user pc=0x00000104 <user+0x4> frame=0x0000ffb0
 *       2000 irq timer
 *       2300 halt code=3
 *       2300 halt double fault: ...
 *       2400 device trace code=0x00000001 switch
 *
 * A trap caused by a protection or misaligned fault ends with faddr=0x...
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "emu.h"
#ifdef LDE_HAVE_TRACE
#include "trace.h"
#endif

/* The trace port composes its sentences only for readers (trace.h); the
 * lines written here are one while tracing is on. */
static void read_port_texts(struct emu_trace *t, bool on)
{
#ifdef LDE_HAVE_TRACE
    if (t->port != NULL) {
        trace_want_text(t->port, on);
    }
#else
    (void)t;
    (void)on;
#endif
}

int emu_trace_open(struct emu_trace *t, const char *path, char *err, size_t errlen)
{
    t->out = NULL;
    t->own_file = false;
    if (path == NULL) {
        return 0;
    }
    if (strcmp(path, "-") == 0) {
        t->out = stdout; /* shares the buffer with console output: order is kept */
        read_port_texts(t, true);
        return 0;
    }
    t->out = fopen(path, "w");
    if (t->out == NULL) {
        snprintf(err, errlen, "%s: cannot open trace file for writing", path);
        return -1;
    }
    t->own_file = true;
    read_port_texts(t, true);
    return 0;
}

int emu_trace_close(struct emu_trace *t)
{
    int rc = 0;

    if (t->out != NULL) {
        if (fflush(t->out) != 0 || ferror(t->out)) {
            rc = -1; /* a line was lost (a full disk, a closed pipe) */
        }
        read_port_texts(t, false);
    }
    if (t->own_file && fclose(t->out) != 0) {
        rc = -1;
    }
    if (rc != 0 && errno == 0) {
        errno = EIO; /* ferror() kept no errno */
    }
    t->out = NULL;
    t->own_file = false;
    return rc;
}

/* Print " <sym+0xoff>" for a physical address covered by the image. */
static void print_symbol(const struct emu_trace *t, uint32_t phys)
{
    uint32_t off = 0;
    const struct image_symbol *sym;

    if (t->img == NULL || !image_covers(t->img, phys)) {
        return;
    }
    sym = image_symbol_at(t->img, phys, &off);
    if (sym == NULL) {
        return;
    }
    if (off == 0) {
        fprintf(t->out, " <%s>", sym->name);
    } else {
        fprintf(t->out, " <%s+0x%" PRIx32 ">", sym->name, off);
    }
}

/* A pc as the mode that runs it sees it; user pcs are relocated by base
 * to find their symbol (meaningful when user code lives in the image). */
static void print_pc(const struct emu_trace *t, const char *label, uint32_t pc, enum cpu_mode mode)
{
    uint32_t phys = pc;

    if (mode == CPU_MODE_USER && t->cpu != NULL) {
        phys = cpu_cr(t->cpu, ISA_CR_base) + pc;
    }
    fprintf(t->out, " %s=0x%08" PRIx32, label, pc);
    print_symbol(t, phys);
}

static void print_trap(const struct emu_trace *t, const struct cpu_event *ev)
{
    fprintf(t->out, "trap %s %s->%s", cpu_cause_name(ev->cause), cpu_mode_name(ev->from),
            cpu_mode_name(ev->to));
    print_pc(t, "pc", ev->pc, ev->from);
    print_pc(t, "handler", ev->handler, CPU_MODE_KERNEL);
    fprintf(t->out, " frame=0x%08" PRIx32, ev->frame);
    if (ev->cause == ISA_CAUSE_PROTECTION || ev->cause == ISA_CAUSE_MISALIGNED) {
        fprintf(t->out, " faddr=0x%08" PRIx32, ev->faddr);
    }
}

static void print_rett(const struct emu_trace *t, const struct cpu_event *ev)
{
    fprintf(t->out, "rett %s->%s", cpu_mode_name(ev->from), cpu_mode_name(ev->to));
    print_pc(t, "pc", ev->pc, ev->to);
    fprintf(t->out, " frame=0x%08" PRIx32, ev->frame);
}

static void print_halt(const struct emu_trace *t, const struct cpu_event *ev)
{
    if (ev->text != NULL) {
        fprintf(t->out, "halt %s", ev->text);
    } else {
        fprintf(t->out, "halt code=%" PRIu32, ev->code);
    }
}

static void print_device(const struct emu_trace *t, const struct cpu_event *ev)
{
    fprintf(t->out, "device %s code=0x%08" PRIx32, ev->device ? ev->device : "?", ev->code);
    if (ev->text != NULL && ev->text[0] != '\0') {
        fprintf(t->out, " %s", ev->text);
    }
}

void emu_trace_event(struct emu_trace *t, const struct cpu_event *ev)
{
    if (t->out == NULL) {
        return;
    }
    emu_console_break_line(t->out);
    fprintf(t->out, "%10" PRIu64 " ", ev->cycle);
    switch (ev->kind) {
    case CPU_EV_TRAP:
        print_trap(t, ev);
        break;
    case CPU_EV_RETT:
        print_rett(t, ev);
        break;
    case CPU_EV_IRQ:
        fprintf(t->out, "irq %s", cpu_cause_name(ev->cause));
        break;
    case CPU_EV_HALT:
        print_halt(t, ev);
        break;
    case CPU_EV_DEVICE:
        print_device(t, ev);
        break;
    }
    fputc('\n', t->out);
}
