/*
 * machine.c - build the machine lde runs: bus with RAM, console, timer
 * (and disk and trace port when built with them), a CPU, and the image
 * loaded into RAM with the boot-protocol registers set.
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "bus.h"
#include "emu.h"
#include "timer.h"
#ifdef LDE_HAVE_DISK
#include "disk.h"
#endif
#ifdef LDE_HAVE_TRACE
#include "trace.h"
#endif

#define MIB (1024u * 1024u)

volatile sig_atomic_t emu_quit_signal;

const char *emu_signal_name(int sig)
{
    switch (sig) {
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    case SIGQUIT:
        return "SIGQUIT";
    case SIGPIPE:
        return "SIGPIPE";
    default:
        return "a signal";
    }
}

bool emu_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return a != NULL && b != NULL && strcmp(a, "-") != 0 && strcmp(b, "-") != 0 &&
           stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Every CPU and device event: remember a double-fault diagnostic for
 * main's message, write the trace line, and tell each observer. */
static void on_event(void *ctx, const struct cpu_event *ev)
{
    struct emu_machine *m = ctx;

    if (ev->kind == CPU_EV_HALT && ev->text != NULL) {
        snprintf(m->halt_text, sizeof m->halt_text, "%s", ev->text);
    }
    emu_trace_event(&m->trace, ev);
    for (unsigned i = 0; i < m->nobservers; i++) {
        m->observers[i].fn(m->observers[i].ctx, ev);
    }
}

int emu_machine_observe(struct emu_machine *m, cpu_event_fn fn, void *ctx)
{
    if (m->nobservers == EMU_MAX_OBSERVERS) {
        return -1;
    }
    m->observers[m->nobservers++] = (struct emu_observer){fn, ctx};
    return 0;
}

/* Attach `dev` (which may be NULL after a failed create) to the bus. */
static int attach(struct emu_machine *m, struct device *dev, const char *what, char *err,
                  size_t errlen)
{
    if (dev == NULL) {
        snprintf(err, errlen, "cannot create the %s device", what);
        return -1;
    }
    if (bus_attach(m->bus, dev) != 0) {
        dev->ops->destroy(dev);
        snprintf(err, errlen, "cannot attach the %s device", what);
        return -1;
    }
    return 0;
}

static int attach_optional_devices(struct emu_machine *m, const struct emu_options *o, char *err,
                                   size_t errlen)
{
#ifdef LDE_HAVE_TRACE
    if (attach(m, trace_create(), "trace", err, errlen) != 0) {
        return -1;
    }
#endif
    if (o->disk_path == NULL) {
        return 0;
    }
#ifdef LDE_HAVE_DISK
    {
        char why[200] = "";
        struct device *disk = disk_create(o->disk_path, why, sizeof why);
        if (disk == NULL) {
            snprintf(err, errlen, "%s", why);
            return -1;
        }
        return attach(m, disk, "disk", err, errlen);
    }
#else
    snprintf(err, errlen, "--disk: this lde was built without a disk device");
    return -1;
#endif
}

static int attach_devices(struct emu_machine *m, const struct emu_options *o, char *err,
                          size_t errlen)
{
    struct console_host host;

    emu_console_host(&host);
    if (attach(m, console_create(&host), "console", err, errlen) != 0 ||
        attach(m, timer_device_create(), "timer", err, errlen) != 0) {
        return -1;
    }
    return attach_optional_devices(m, o, err, errlen);
}

/* Read the image and copy its sections into RAM. */
static int load_image(struct emu_machine *m, const char *path, char *err, size_t errlen)
{
    char why[200] = "";

    if (image_read_file(&m->image, path, err, errlen) != 0) {
        size_t n = strlen(path), used = strlen(err);
        struct stat st;
        if (n > 2 && strcmp(path + n - 2, ".s") == 0 && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode) && used < errlen) /* a source given for an image: a common slip */
            snprintf(err + used, errlen - used,
                     "; assemble it with lde-as first (a program for the guest OS: lde run %s)",
                     path);
        return -1;
    }
    m->image_loaded = true;
    if (image_place(&m->image, bus_ram(m->bus), bus_ram_size(m->bus), why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    bus_ram_written(m->bus, 0, bus_ram_size(m->bus));
    return 0;
}

/* Reset at the entry point and pass the boot-protocol arguments. */
void emu_machine_boot(struct emu_machine *m, const struct emu_options *o)
{
    m->halt_text[0] = '\0'; /* a new run: no double fault yet */
    cpu_reset(m->cpu, m->image.entry);
    cpu_set_reg(m->cpu, ISA_R_A0, o->no_timer ? EMU_BOOT_COOPERATIVE : 0);
    cpu_set_reg(m->cpu, ISA_R_A0 + 1, bus_ram_size(m->bus));
    cpu_set_reg(m->cpu, ISA_R_A0 + 2, o->quantum);
}

int emu_machine_build(struct emu_machine *m, const struct emu_options *o, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->bus = bus_create(o->ram_mib * MIB);
    if (m->bus == NULL) {
        snprintf(err, errlen, "cannot allocate %u MiB of RAM", (unsigned)o->ram_mib);
        return EMU_EXIT_HOST;
    }
    if (attach_devices(m, o, err, errlen) != 0 || load_image(m, o->image_path, err, errlen) != 0) {
        return EMU_EXIT_IMAGE;
    }
    m->cpu = cpu_create(m->bus);
    if (m->cpu == NULL) {
        snprintf(err, errlen, "out of memory creating the CPU");
        return EMU_EXIT_HOST;
    }
    cpu_set_engine(m->cpu, o->engine);
    m->trace.port = bus_device_named(m->bus, "trace");
    if (emu_trace_open(&m->trace, o->trace_path, err, errlen) != 0) {
        return EMU_EXIT_HOST;
    }
    m->trace.img = &m->image;
    m->trace.cpu = m->cpu;
    cpu_set_event_hook(m->cpu, on_event, m);
    emu_machine_boot(m, o);
    return 0;
}

void emu_machine_free(struct emu_machine *m)
{
    emu_trace_close(&m->trace);
    if (m->cpu != NULL) {
        cpu_destroy(m->cpu);
    }
    if (m->bus != NULL) {
        bus_destroy(m->bus);
    }
    if (m->image_loaded) {
        image_free(&m->image);
    }
    memset(m, 0, sizeof *m);
}
