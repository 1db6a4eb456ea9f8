/*
 * main.c - lde: run an LDEX image on the LDE32 machine.
 *
 *   lde [options] IMAGE
 *   lde [options]                       (the bundled guest OS, when built)
 *   lde run [options] PROG.s [ARGS...]  (one program on the guest OS; run.c)
 *
 * Builds the machine (machine.c), runs it in chunks of virtual time until
 * it stops, and turns the reason into an exit status: the guest's halt
 * code, or one of enum emu_exit.  Only this file exits.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"
#include "monitor.h"
#include "pace.h"
#include "window.h"

#ifndef LDE_VERSION
#define LDE_VERSION "unknown"
#endif

#define RUN_CHUNK_CYCLES (1ull << 24) /* cycles between output flushes */

static struct cpu *running_cpu;    /* for the SIGINT and quit-signal handlers */
static struct emu_program program; /* lde run: the program, for the monitor's names */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lde [options] IMAGE\n"
            "       lde [options]                       boot the bundled guest OS\n"
            "       lde run [options] PROG.s [ARGS...]  run PROG on the guest OS\n"
            "Run an LDEX image (made by lde-as) on the LDE32 machine; the guest\n"
            "console is stdin/stdout.\n"
            "\n"
            "options:\n"
            "  --ram MIB         RAM size in MiB, 1..%d (default %d)\n"
            "  --max-cycles N    stop after N cycles of virtual time\n"
            "  --trace FILE|-    write one line per trap, rett, interrupt, halt and\n"
            "                    device event to FILE (- = stdout)\n"
            "  --no-timer        boot flag: cooperative mode, the kernel starts no timer\n"
            "  --quantum N       boot argument: timer quantum in cycles (0 = default)\n"
            "  --disk FILE       attach FILE as the disk (when built with a disk)\n"
            "  --engine E        translate (default: blocks of guest code become host\n"
            "                    code), interpret or reference (one instruction at a\n"
            "                    time); the same run, cycle for cycle, at other speeds\n"
            "  --realtime[=MHZ]  pace virtual time to the wall clock at MHZ million\n"
            "                    cycles per second (default 10); the host sleeps while\n"
            "                    the guest is idle\n"
            "  --monitor         start stopped in the monitor, prompt (lde) (docs/monitor.md)\n"
            "  -x, --monitor-script FILE  run monitor commands from FILE first\n"
            "  --help            show this text\n"
            "  --version         show the version\n"
            "\n"
            "exit status:\n"
            "  the guest's halt code (low 8 bits), or\n"
            "  %d bad command line      %d image cannot be loaded\n"
            "  %d deadlock (wfi)        %d --max-cycles reached\n"
            "  %d double fault          %d host error\n"
            "  %d interrupted: SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, or Ctrl-C outside\n"
            "      the monitor\n",
            ISA_RAM_MAX_MIB, ISA_RAM_DEFAULT_MIB, EMU_EXIT_USAGE, EMU_EXIT_IMAGE, EMU_EXIT_DEADLOCK,
            EMU_EXIT_MAX_CYCLES, EMU_EXIT_DOUBLE_FAULT, EMU_EXIT_HOST, EMU_EXIT_INTERRUPTED);
    win_usage(out);
}

/* Parse a decimal (or 0x hex) number in [min, max]; -1 if it is not one. */
static int parse_number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    errno = 0;
    v = strtoull(s, &end, emu_number_base(s));
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

enum {
    OPT_RAM = 256,
    OPT_MAX_CYCLES,
    OPT_TRACE,
    OPT_NO_TIMER,
    OPT_QUANTUM,
    OPT_DISK,
    OPT_HELP,
    OPT_VERSION,
    OPT_MONITOR,
    OPT_REALTIME,
    OPT_ENGINE
};

static const struct option long_options[] = {
    {"ram", required_argument, NULL, OPT_RAM},
    {"max-cycles", required_argument, NULL, OPT_MAX_CYCLES},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"no-timer", no_argument, NULL, OPT_NO_TIMER},
    {"quantum", required_argument, NULL, OPT_QUANTUM},
    {"disk", required_argument, NULL, OPT_DISK},
    {"gui", optional_argument, NULL, WIN_OPT_GUI},
    {"screenshot", required_argument, NULL, WIN_OPT_SCREENSHOT},
    {"screenshot-at", required_argument, NULL, WIN_OPT_SCREENSHOT_AT},
    {"screenshot-span", required_argument, NULL, WIN_OPT_SCREENSHOT_SPAN},
    {"trace-json", required_argument, NULL, WIN_OPT_TRACE_JSON},
    {"perfetto", required_argument, NULL, WIN_OPT_TRACE_JSON},
    {"gui-script", required_argument, NULL, WIN_OPT_GUI_SCRIPT},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"monitor", no_argument, NULL, OPT_MONITOR},
    {"realtime", optional_argument, NULL, OPT_REALTIME},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"monitor-script", required_argument, NULL, 'x'},
    {NULL, 0, NULL, 0},
};

/* Apply one numeric option; -1 (with a message) if its value is bad. */
static int number_option(int opt, const char *arg, struct emu_options *o)
{
    uint64_t v;

    switch (opt) {
    case OPT_RAM:
        if (parse_number(arg, 1, ISA_RAM_MAX_MIB, &v) == 0) {
            o->ram_mib = (uint32_t)v;
            return 0;
        }
        fprintf(stderr, "lde: --ram: expected MiB between 1 and %d, got '%s'\n", ISA_RAM_MAX_MIB,
                arg);
        return -1;
    case OPT_MAX_CYCLES:
        if (parse_number(arg, 1, UINT64_MAX, &v) == 0) {
            o->max_cycles = v;
            return 0;
        }
        fprintf(stderr, "lde: --max-cycles: expected a positive number, got '%s'\n", arg);
        return -1;
    default:
        if (parse_number(arg, 0, UINT32_MAX, &v) == 0) {
            o->quantum = (uint32_t)v;
            return 0;
        }
        fprintf(stderr, "lde: --quantum: expected a number of cycles, got '%s'\n", arg);
        return -1;
    }
}

/* The name of the option getopt complains about: a short one by its
 * letter, a long one (value >= 256) by its name from long_options. */
static const char *option_name(int val, char *buf, size_t len)
{
    if (val > 0 && val < 128) {
        snprintf(buf, len, "-%c", val);
        return buf;
    }
    for (const struct option *lo = long_options; lo->name != NULL; lo++) {
        if (lo->val == val) {
            snprintf(buf, len, "--%s", lo->name);
            return buf;
        }
    }
    return "?";
}

/* Parse argv into `o`.  Returns -1 to go on, else the status to exit with.
 * `optstring` "+" stops at the first non-option (for `lde run`); ':' makes
 * a missing value ':' rather than '?'. */
static int parse_options(int argc, char **argv, const char *optstring, struct emu_options *o)
{
    int opt;
    char name[64]; /* an option's name, for an error */

    memset(o, 0, sizeof *o);
    o->ram_mib = ISA_RAM_DEFAULT_MIB;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, optstring, long_options, NULL)) != -1) {
        if (opt >= WIN_OPT_FIRST && opt <= WIN_OPT_LAST) {
            if (win_option(opt, optarg, o) != 0) {
                return EMU_EXIT_USAGE;
            }
            continue;
        }
        switch (opt) {
        case OPT_TRACE:
            o->trace_path = optarg;
            break;
        case OPT_NO_TIMER:
            o->no_timer = true;
            break;
        case OPT_DISK:
            o->disk_path = optarg;
            break;
        case OPT_MONITOR:
            o->monitor = true;
            break;
        case OPT_REALTIME:
            if (emu_pace_parse(optarg, &o->realtime_mhz) != 0) {
                fprintf(stderr, "lde: --realtime: expected MHz between 1 and %u, got '%s'\n",
                        EMU_PACE_MAX_MHZ, optarg);
                return EMU_EXIT_USAGE;
            }
            break;
        case OPT_ENGINE:
            if (cpu_engine_from_name(optarg, &o->engine) != 0) {
                fprintf(stderr,
                        "lde: --engine: expected translate, interpret or reference, got '%s'\n",
                        optarg);
                return EMU_EXIT_USAGE;
            }
            break;
        case 'x': /* a monitor script implies the monitor */
            o->monitor = true;
            o->mon_script = optarg;
            break;
        case OPT_HELP:
            usage(stdout);
            return 0;
        case OPT_VERSION:
            printf("lde %s\n", LDE_VERSION);
            return 0;
        case OPT_RAM:
        case OPT_MAX_CYCLES:
        case OPT_QUANTUM:
            if (number_option(opt, optarg, o) != 0) {
                return EMU_EXIT_USAGE;
            }
            break;
        case ':': /* (the leading ':' of optstring asks getopt to tell this apart) */
            fprintf(stderr, "lde: option '%s' needs a value (try --help)\n",
                    option_name(optopt, name, sizeof name));
            return EMU_EXIT_USAGE;
        default: /* '?': optopt is the option's value, 0 for an unknown long one */
            if (optopt >= 256)
                fprintf(stderr, "lde: option '%s' takes no value (try --help)\n",
                        option_name(optopt, name, sizeof name));
            else
                fprintf(stderr, "lde: unknown option '%s' (try --help)\n",
                        optopt != 0 ? option_name(optopt, name, sizeof name) : argv[optind - 1]);
            return EMU_EXIT_USAGE;
        }
    }
    return -1;
}

/* The image to run: the one named, or the bundled kernel when built with one. */
static int pick_image(int argc, char **argv, struct emu_options *o)
{
    if (optind == argc - 1) {
        o->image_path = argv[optind];
        return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "lde: expected one IMAGE, got %d arguments (try --help)\n", argc - optind);
        return EMU_EXIT_USAGE;
    }
#ifdef LDE_DEFAULT_KERNEL
    o->image_path = LDE_DEFAULT_KERNEL;
#ifdef LDE_DEFAULT_DISK
    if (o->disk_path == NULL) {
        o->disk_path = LDE_DEFAULT_DISK;
    }
#endif
    return -1;
#else
    usage(stderr);
    return EMU_EXIT_USAGE;
#endif
}

/* Options that only change what another option does: said once, on
 * stderr, when that other one is missing (the run goes on). */
static void warn_idle_options(const struct emu_options *o)
{
    if (o->screenshot_at != 0 && o->screenshot_path == NULL) {
        fprintf(stderr, "lde: warning: --screenshot-at does nothing without --screenshot\n");
    }
    if (o->screenshot_span != 0 && o->screenshot_path == NULL && o->gui == WIN_GUI_OFF) {
        fprintf(stderr,
                "lde: warning: --screenshot-span does nothing without --screenshot or --gui\n");
    }
    if (o->gui_script != NULL && o->gui == WIN_GUI_OFF) {
        fprintf(stderr, "lde: warning: --gui-script does nothing without --gui\n");
    }
}

/* A file named on the command line, by what it is for. */
struct named_file {
    const char *what; /* "the image", "--trace", ... */
    const char *path; /* NULL: not given */
    bool written;     /* lde writes it */
};

/* An output that is also an input or another output would be overwritten:
 * `lde --trace x.img x.img` used to leave x.img holding the trace.  Refused
 * before anything is opened, as lde-as refuses an output that is its
 * source.  `input` is the IMAGE or PROG.s argument, or NULL.  -1 if all is
 * well, else the exit status. */
static int check_outputs(const struct emu_options *o, const char *input, bool run_mode)
{
    const struct named_file files[] = {
        /* outputs last */
        {run_mode ? "the program" : "the image", input, false},
        {"the --disk file", o->disk_path, false},
        {"the monitor script", o->mon_script, false},
        {"the --gui-script file", o->gui_script, false},
        {"--trace", o->trace_path, true},
        {"--trace-json", o->trace_json_path, true},
        {"--screenshot", o->screenshot_path, true},
    };
    size_t n = sizeof files / sizeof files[0];

    for (size_t j = 0; j < n; j++) {
        for (size_t i = 0; i < j && files[j].written; i++) {
            bool both_written_to_one_name =
                files[i].written && files[i].path != NULL && files[j].path != NULL &&
                strcmp(files[i].path, files[j].path) == 0 && strcmp(files[j].path, "-") != 0;
            if (both_written_to_one_name || emu_same_file(files[i].path, files[j].path)) {
                fprintf(stderr, "lde: %s '%s' is also %s: choose another file\n", files[j].what,
                        files[j].path, files[i].what);
                return EMU_EXIT_USAGE;
            }
        }
    }
    return -1;
}

/* `lde run`: build a temporary disk holding the program and its bootcmd,
 * and boot the bundled kernel on it.  `tmp` gets the disk's path. */
static int prepare_run(int argc, char **argv, struct emu_options *o, char *tmp, size_t tmplen)
{
    char err[512] = "";
    const char *base_disk = o->disk_path;
    int status;

    if (optind >= argc) {
        fprintf(stderr, "lde: run: expected PROG.s [ARGS...] (try --help)\n");
        return EMU_EXIT_USAGE;
    }
#if defined(LDE_DEFAULT_KERNEL) && defined(LDE_DEFAULT_DISK)
    o->image_path = LDE_DEFAULT_KERNEL;
    if (base_disk == NULL) {
        base_disk = LDE_DEFAULT_DISK;
    }
#else
    (void)base_disk;
    fprintf(stderr, "lde: run: this lde was built without the guest OS\n");
    return EMU_EXIT_USAGE;
#endif
    status = emu_run_make_disk(argv[optind], argc - optind - 1, argv + optind + 1, base_disk, tmp,
                               tmplen, &program, err, sizeof err);
    o->program = program.loaded ? &program : NULL;
    if (status != 0) {
        if (err[0] != '\0') {
            fprintf(stderr, "lde: %s\n", err);
        }
        return status;
    }
    o->disk_path = tmp;
    return -1;
}

/* Ctrl-C: stop the guest; the run loop reports where (the monitor puts
 * its own SIGINT handler in place: there Ctrl-C breaks into the prompt). */
static void on_sigint(int sig)
{
    (void)sig;
    if (running_cpu != NULL) {
        cpu_request_stop(running_cpu);
    }
}

/* SIGTERM, SIGHUP, SIGQUIT, SIGPIPE: quit from any state.  The guest stops at the next
 * instruction boundary and every waiting loop sees emu_quit_signal, so lde
 * still leaves through run_machine's clean exit. */
static void on_quit_signal(int sig)
{
    emu_quit_signal = sig;
    if (running_cpu != NULL) {
        cpu_request_stop(running_cpu);
    }
}

/* Install `fn` for `sig`.  No SA_RESTART: a blocking read of stdin (guest
 * console, monitor script) returns early, so the loop around it sees that
 * it must end. */
static void on_signal(int sig, void (*fn)(int))
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = fn;
    sigaction(sig, &sa, NULL);
}

/* Turn the reason the CPU stopped into a message and an exit status. */
static int stop_status(const struct emu_machine *m, enum cpu_stop why)
{
    const struct cpu *cpu = m->cpu;

    switch (why) {
    case CPU_STOP_HALT:
        return (int)(cpu_halt_code(cpu) & 0xff);
    case CPU_STOP_DOUBLE_FAULT:
        fprintf(stderr, "lde: %s\n", m->halt_text[0] ? m->halt_text : "double fault");
        return EMU_EXIT_DOUBLE_FAULT;
    case CPU_STOP_DEADLOCK:
        fprintf(stderr,
                "lde: deadlock: wfi with no interrupt to come, at pc 0x%08" PRIx32
                " (cycle %" PRIu64 ")\n",
                cpu_pc(cpu), cpu_cycles(cpu));
        return EMU_EXIT_DEADLOCK;
    case CPU_STOP_REQUEST:
        fprintf(stderr, "lde: interrupted at pc 0x%08" PRIx32 " (cycle %" PRIu64 ")\n", cpu_pc(cpu),
                cpu_cycles(cpu));
        return EMU_EXIT_INTERRUPTED;
    case CPU_STOP_BREAKPOINT: /* lde sets none outside the monitor */
    case CPU_STOP_BUDGET:
        break;
    }
    fprintf(stderr,
            "lde: stopped after %" PRIu64 " cycles (--max-cycles) at pc 0x%08" PRIx32
            " in %s mode\n",
            cpu_cycles(cpu), cpu_pc(cpu), cpu_mode_name(cpu_mode(cpu)));
    return EMU_EXIT_MAX_CYCLES;
}

/* Run until the machine stops or the --max-cycles budget is spent. */
static int run(struct emu_machine *m, uint64_t max_cycles, uint32_t realtime_mhz)
{
    enum cpu_stop why;
    struct emu_pace pace;

    emu_pace_start(&pace, realtime_mhz ? realtime_mhz : EMU_PACE_DEFAULT_MHZ, cpu_cycles(m->cpu));
    for (;;) {
        uint64_t budget = realtime_mhz ? emu_pace_slice(&pace) : RUN_CHUNK_CYCLES;
        if (max_cycles != 0) {
            uint64_t done = cpu_cycles(m->cpu);
            if (done >= max_cycles) {
                return stop_status(m, CPU_STOP_BUDGET);
            }
            if (max_cycles - done < budget) {
                budget = max_cycles - done;
            }
        }
        why = cpu_run(m->cpu, budget);
        fflush(stdout);
        if (why != CPU_STOP_BUDGET) {
            return stop_status(m, why);
        }
        if (realtime_mhz) {
            emu_pace_wait(&pace, cpu_cycles(m->cpu));
        }
    }
}

/* The trace and the console output are complete, or the exit status says
 * they are not (126, one line); after a quit signal (a reader that went
 * away: SIGPIPE) nothing more is said. */
static int check_written(struct emu_machine *m, const struct emu_options *o, int status)
{
    errno = 0;
    if (emu_trace_close(&m->trace) != 0 && emu_quit_signal == 0) {
        fprintf(stderr, "lde: cannot write the trace to %s: %s\n",
                strcmp(o->trace_path, "-") == 0 ? "stdout" : o->trace_path, strerror(errno));
        return EMU_EXIT_HOST;
    }
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && emu_quit_signal == 0) {
        fprintf(stderr, "lde: cannot write the guest's output: %s\n",
                strerror(errno != 0 ? errno : EIO));
        return EMU_EXIT_HOST;
    }
    return status;
}

/* Build the machine, run it, tear it down; the exit status. */
static int run_machine(const struct emu_options *opts)
{
    struct emu_machine machine;
    char err[512] = "";
    struct win_session *ws = NULL; /* window, screenshot, JSON trace */
    int status = emu_machine_build(&machine, opts, err, sizeof err);

    if (status != 0) {
        emu_machine_free(&machine);
        fprintf(stderr, "lde: %s\n", err);
        return status;
    }
    running_cpu = machine.cpu;
    on_signal(SIGINT, on_sigint);
    if (emu_quit_signal != 0) {
        cpu_request_stop(machine.cpu); /* it came while the machine was built */
    }
    status = win_start(&ws, &machine, opts, err, sizeof err);
    if (status != 0) {
        fprintf(stderr, "lde: %s\n", err);
    } else if (opts->monitor) {
        mon_use_window(ws); /* --gui too: both on the same machine */
        status = mon_run(&machine, opts);
    } else if (win_drives(ws)) {
        status = stop_status(&machine, win_run(ws, opts->max_cycles));
    } else {
        status = run(&machine, opts->max_cycles, opts->realtime_mhz);
    }
    if (win_finish(ws) != 0 && emu_quit_signal == 0) {
        status = EMU_EXIT_HOST; /* the picture or JSON asked for is missing */
    }
    status = check_written(&machine, opts, status);
    emu_console_finish();
    emu_machine_free(&machine);
    return status;
}

int main(int argc, char **argv)
{
    struct emu_options opts;
    char tmp_disk[512] = ""; /* lde run's temporary disk, removed at the end */
    bool run_mode = argc > 1 && strcmp(argv[1], "run") == 0;
    int status;

    on_signal(SIGTERM, on_quit_signal); /* first: `lde run` leaves no temporary disk */
    on_signal(SIGHUP, on_quit_signal);
    on_signal(SIGQUIT, on_quit_signal);
    on_signal(SIGPIPE, on_quit_signal); /* `lde run yes.s | head`: the reader has gone */
    if (run_mode) {
        argc--;
        argv++; /* getopt sees "run" as the program name */
    }
    status = parse_options(argc, argv, run_mode ? "+:x:" : ":x:", &opts);
    if (status < 0) {
        warn_idle_options(&opts);
        status = check_outputs(&opts, optind < argc ? argv[optind] : NULL, run_mode);
    }
    if (status < 0) {
        status = run_mode ? prepare_run(argc, argv, &opts, tmp_disk, sizeof tmp_disk)
                          : pick_image(argc, argv, &opts);
    }
    if (status < 0 && emu_quit_signal != 0) {
        status = EMU_EXIT_INTERRUPTED;
    }
    if (status < 0) {
        status = run_machine(&opts);
    }
    if (tmp_disk[0] != '\0') {
        unlink(tmp_disk);
    }
    if (program.loaded) {
        image_free(&program.image);
    }
    return status;
}
