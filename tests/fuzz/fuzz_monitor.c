/*
 * fuzz_monitor.c - the monitor's command parser under attack: every input
 * is a list of command lines, run one by one through mon_execute() on a
 * fresh machine booting the guest OS kernel (with a fresh copy of its disk,
 * 2 MiB of RAM).
 *
 * The kernel and disk come from $LDE_FUZZ_KERNEL and $LDE_FUZZ_DISK (the
 * meson tests and run-libfuzzer.sh set them).  Bounded work per input: at
 * most FUZZ_MON_LINES lines, and a watchdog device stops every run of the
 * guest (step, next, continue, until, stepout) after FUZZ_MON_BUDGET
 * cycles the way Ctrl-C does, so `continue` and `step 4000000000` end.
 * The monitor writes to stdout, whose file descriptor points at a scratch
 * file during each input, so that its output can be checked: every line starting
 * "error: " has a message, and one command gives at most one error line
 * of its own (plus one per display it runs at a stop).
 *
 * Lines that would name host files outside the scratch directory (`load`
 * or `trace on` with a '/' or "..") are skipped: the fuzzer must not
 * overwrite the host's files.  Each input runs in a scratch directory
 * (removed at exit) holding fresh copies of the disk (`d.img`) and the
 * kernel (`k.img`, so that `load k.img` has something to load); the
 * machine itself boots from $LDE_FUZZ_KERNEL, which no input can reach.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "bus.h"
#include "device.h"
#include "fuzz.h"
#include "monitor_private.h"

#define FUZZ_MON_LINES   48          /* command lines run per input */
#define FUZZ_MON_BUDGET  50000u      /* cycles the guest may run per command */
#define FUZZ_MON_RAM_MIB 2           /* the kernel's user memory ends at 2 MiB */
#define FUZZ_MON_WDT     0xf0000f00u /* the watchdog's (unused) register window */

/* The watchdog: at its deadline it stops the guest as Ctrl-C would. */
struct watchdog {
    struct device dev; /* on the bus (no registers) */
    struct cpu *cpu;   /* the CPU to stop */
    uint64_t deadline; /* cycle of the stop; DEVICE_NEVER when disarmed */
};

/* What stays the same from one input to the next. */
struct fuzz_mon_env {
    bool ready;       /* set up */
    char dir[64];     /* scratch directory (the working directory) */
    uint8_t *image;   /* the kernel image, for k.img */
    size_t image_len; /* its size */
    uint8_t *disk;    /* the pristine disk image */
    size_t disk_len;  /* its size */
    char kernel[600]; /* path of the kernel image (never written) */
    int out_fd;       /* the scratch file stdout goes to during an input */
    int saved_fd;     /* the real stdout */
    int cwd_fd;       /* the working directory to go back to after an input */
};

static struct fuzz_mon_env env;
static struct watchdog wdt;

static int wdt_read(struct device *dev, uint32_t off, uint32_t *value, uint64_t now)
{
    (void)dev, (void)off, (void)value, (void)now;
    return -1;
}

static int wdt_write(struct device *dev, uint32_t off, uint32_t value, uint64_t now)
{
    (void)dev, (void)off, (void)value, (void)now;
    return -1;
}

static void wdt_advance(struct device *dev, uint64_t now)
{
    struct watchdog *w = (struct watchdog *)dev;

    if (now >= w->deadline) {
        w->deadline = DEVICE_NEVER;
        mon_interrupted = 1;
        cpu_request_stop(w->cpu);
    }
}

static uint64_t wdt_next_event(const struct device *dev)
{
    return ((const struct watchdog *)dev)->deadline;
}

static void wdt_destroy(struct device *dev)
{
    (void)dev; /* static */
}

static const struct device_ops wdt_ops = {
    .read = wdt_read,
    .write = wdt_write,
    .advance = wdt_advance,
    .next_event = wdt_next_event,
    .destroy = wdt_destroy,
};

static uint8_t *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;

    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n)) == NULL ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fuzz_fail("fuzz-monitor: cannot read %s", path);
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* At exit: remove the scratch directory and whatever the inputs wrote
 * there (`trace on NAME` makes files of any name). */
static void remove_scratch(void)
{
    DIR *d = opendir(env.dir);
    struct dirent *e;

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            unlinkat(dirfd(d), e->d_name, 0);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    rmdir(env.dir);
}

/* Once: the scratch directory with k.img, the disk in memory, stdin empty. */
static void setup(void)
{
    const char *kernel = getenv("LDE_FUZZ_KERNEL");
    const char *disk = getenv("LDE_FUZZ_DISK");
    char out[600];

    if (kernel == NULL || disk == NULL) {
        fuzz_fail("fuzz-monitor: set LDE_FUZZ_KERNEL and LDE_FUZZ_DISK");
    }
    env.image = read_whole(kernel, &env.image_len);
    env.disk = read_whole(disk, &env.disk_len);
    snprintf(env.dir, sizeof env.dir, "/tmp/lde-fuzz-monitor-XXXXXX");
    if (mkdtemp(env.dir) == NULL) {
        fuzz_fail("fuzz-monitor: cannot make a scratch directory");
    }
    atexit(remove_scratch);
    snprintf(env.kernel, sizeof env.kernel, "%s", kernel);
    snprintf(out, sizeof out, "%s/out.txt", env.dir);
    env.cwd_fd = open(".", O_RDONLY | O_DIRECTORY);
    env.out_fd = open(out, O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0600);
    env.saved_fd = dup(STDOUT_FILENO);
    if (env.out_fd < 0 || env.saved_fd < 0 || env.cwd_fd < 0 ||
        freopen("/dev/null", "r", stdin) == NULL) {
        fuzz_fail("fuzz-monitor: cannot empty stdin");
    }
    env.ready = true;
}

/* Would this line name a host file outside the scratch directory? */
static bool names_outside(const char *line)
{
    const char *p = line + strspn(line, " \t");

    if (strncmp(p, "load", 4) != 0 && strncmp(p, "trace", 5) != 0) {
        return false;
    }
    return strchr(p, '/') != NULL || strstr(p, "..") != NULL;
}

/* Check what one command printed (NUL-terminated `out`). */
static void check_output(const char *line, const char *out, unsigned displays)
{
    unsigned errors = 0;

    for (const char *p = out; *p != '\0';) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n >= 7 && memcmp(p, "error: ", 7) == 0) {
            errors++;
            if (n == 7) {
                fuzz_fail("fuzz-monitor: '%s' printed an empty error line", line);
            }
        }
        p += n + (end != NULL);
    }
    if (errors > 1 + displays) {
        fuzz_fail("fuzz-monitor: '%s' printed %u error lines:\n%s", line, errors, out);
    }
}

static unsigned count_displays(const struct mon *mon)
{
    unsigned n = 0;

    for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
        n += mon->displays[i] != NULL;
    }
    return n;
}

/* What stdout received since the last call (NUL-terminated, malloc'd). */
static char *take_output(void)
{
    off_t n;
    char *out;

    fflush(stdout);
    n = lseek(env.out_fd, 0, SEEK_END);
    out = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (out == NULL || n < 0 || pread(env.out_fd, out, (size_t)n, 0) != n) {
        fuzz_fail("fuzz-monitor: cannot read the output back");
    }
    out[n] = '\0';
    if (ftruncate(env.out_fd, 0) != 0) {
        fuzz_fail("fuzz-monitor: cannot empty the output file");
    }
    return out;
}

/* Run one line as a script line would be (an empty one repeats). */
static void run_line(struct mon *mon, const char *line)
{
    char text[sizeof mon->last_repeat];
    char *out;

    if (line[0] == '\0' && mon->last_repeat[0] != '\0') {
        snprintf(text, sizeof text, "%s", mon->last_repeat);
        line = text;
    }
    free(take_output());
    wdt.deadline = cpu_cycles(mon->cpu) + FUZZ_MON_BUDGET;
    mon_execute(mon, line);
    out = take_output();
    check_output(line, out, count_displays(mon));
    free(out);
}

/* Build the machine, run up to FUZZ_MON_LINES lines of `text`, free. */
static void run_session(char *text)
{
    static struct mon mon; /* large: not on the stack */
    struct emu_options o = {0};
    struct emu_machine m;
    char disk[600], load[600], err[256];

    snprintf(disk, sizeof disk, "%s/d.img", env.dir);
    snprintf(load, sizeof load, "%s/k.img", env.dir);
    if (fuzz_write_file(disk, env.disk, env.disk_len) != 0 ||
        fuzz_write_file(load, env.image, env.image_len) != 0) {
        fuzz_fail("fuzz-monitor: cannot write %s", disk);
    }
    o.image_path = env.kernel;
    o.disk_path = disk;
    o.ram_mib = FUZZ_MON_RAM_MIB;
    o.monitor = true;
    if (emu_machine_build(&m, &o, err, sizeof err) != 0) {
        fuzz_fail("fuzz-monitor: the machine does not build: %s", err);
    }
    wdt = (struct watchdog){.dev = {.name = "watchdog", .base = FUZZ_MON_WDT, .ops = &wdt_ops},
                            .cpu = m.cpu,
                            .deadline = DEVICE_NEVER};
    memset(&mon, 0, sizeof mon);
    mon.m = &m;
    mon.opts = &o;
    mon.cpu = m.cpu;
    mon.next_point_id = 1;
    if (bus_attach(m.bus, &wdt.dev) != 0 || emu_machine_observe(&m, mon_observe, &mon) != 0) {
        fuzz_fail("fuzz-monitor: cannot attach the watchdog or the monitor");
    }
    mon_forget_run_state(&mon);
    fflush(stdout);
    dup2(env.out_fd, STDOUT_FILENO);
    if (chdir(env.dir) != 0) { /* relative names in `load` and `trace on` land here */
        fuzz_fail("fuzz-monitor: cannot enter %s", env.dir);
    }
    char *line = text;
    for (unsigned n = 0; n < FUZZ_MON_LINES && line != NULL && !mon.quit; n++) {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        if (!names_outside(line)) {
            run_line(&mon, line);
        }
        line = next;
    }
    for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
        free(mon.displays[i]);
    }
    emu_machine_free(&m);
    free(take_output());
    dup2(env.saved_fd, STDOUT_FILENO);
    if (fchdir(env.cwd_fd) != 0) { /* the driver's corpus paths may be relative */
        fuzz_fail("fuzz-monitor: cannot go back to the working directory");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (!env.ready) {
        setup();
    }
    text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0'; /* a NUL inside ends the input early, as fgets would not */
    run_session(text);
    free(text);
    return 0;
}
