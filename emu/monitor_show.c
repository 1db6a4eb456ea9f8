/*
 * monitor_show.c - looking at the machine and changing it: registers,
 * memory, disassembly, the trap frame, devices, statistics, the guest's
 * process table, symbols, set, display, reset, load, trace.
 *
 * Addresses given to x, disas, frame, watch and set mem are physical (the
 * kernel's view of memory); only `disas` with no address follows pc in the
 * current mode.  The process table is found through the kernel image's
 * symbols (proc_table, NPROC, PCB_SIZE and the P_* offsets of layout.s,
 * ST_* state names), so the monitor knows nothing about the kernel that
 * the kernel's own image does not say.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "disasm.h"
#include "monitor_private.h"
#include "timer.h"
#ifdef LDE_HAVE_TRACE
#include "trace.h"
#endif

/* ---- Formatting helpers */

static uint32_t ram_word(struct mon *mon, uint32_t addr)
{
    const uint8_t *p = bus_ram(mon->m->bus) + addr;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* " <sym+0xoff>" for an address `img` covers, else "". */
static void format_sym_in(const struct image *img, uint32_t addr, char *buf, size_t len)
{
    uint32_t off = 0;
    const struct image_symbol *sym = NULL;

    if (image_covers(img, addr)) {
        sym = image_symbol_at(img, addr, &off);
    }
    if (sym == NULL) {
        buf[0] = '\0';
    } else if (off == 0) {
        snprintf(buf, len, " <%s>", sym->name);
    } else {
        snprintf(buf, len, " <%s+0x%" PRIx32 ">", sym->name, off);
    }
}

void mon_format_sym(struct mon *mon, uint32_t phys, char *buf, size_t len)
{
    format_sym_in(&mon->m->image, phys, buf, len);
}

void mon_format_program_sym(struct mon *mon, uint32_t va, char *buf, size_t len)
{
    buf[0] = '\0';
    if (mon->opts->program != NULL) {
        format_sym_in(&mon->opts->program->image, va, buf, len);
    }
}

const struct image *mon_user_image(struct mon *mon)
{
#ifdef LDE_HAVE_TRACE
    const struct emu_program *p = mon->opts->program;
    struct device *t = mon_trace_device(mon);
    char name[TRACE_NAME_MAX + 1]; /* the port keeps this much of a name */

    if (p != NULL && t != NULL) {
        snprintf(name, sizeof name, "%.*s", TRACE_NAME_MAX, p->name);
        if (strcmp(trace_current_name(t), name) == 0) {
            return &p->image;
        }
    }
#endif
    (void)mon;
    return NULL;
}

void mon_format_pc(struct mon *mon, uint32_t pc, enum cpu_mode mode, char *buf, size_t len)
{
    char sym[96];
    const struct image *prog = mode == CPU_MODE_USER ? mon_user_image(mon) : NULL;

    if (prog != NULL) {
        format_sym_in(prog, pc, sym, sizeof sym); /* the program's own names, virtual */
    } else {
        mon_format_sym(mon, mode == CPU_MODE_USER ? cpu_cr(mon->cpu, ISA_CR_base) + pc : pc, sym,
                       sizeof sym);
    }
    snprintf(buf, len, "0x%08" PRIx32 "%s", pc, sym);
}

struct device *mon_trace_device(struct mon *mon)
{
    return bus_device_named(mon->m->bus, "trace");
}

void mon_format_pid(struct mon *mon, uint32_t pid, char *buf, size_t len)
{
    const char *name = "?";

    if (pid == 0) {
        snprintf(buf, len, "no process");
        return;
    }
#ifdef LDE_HAVE_TRACE
    if (mon_trace_device(mon) != NULL) {
        name = trace_name_of(mon_trace_device(mon), pid);
    }
#else
    (void)mon;
#endif
    snprintf(buf, len, "pid %" PRIu32 " (%s)", pid, name);
}

/* ---- regs */

static void status_text(uint32_t status, char *buf, size_t len)
{
    snprintf(buf, len, "%s mode, interrupts %s", (status & ISA_STATUS_KERNEL) ? "kernel" : "user",
             (status & ISA_STATUS_IE) ? "on" : "off");
}

int mon_cmd_regs(struct mon *mon, int argc, char **argv)
{
    struct mon_snapshot now;
    char text[128];

    (void)argv;
    if (argc > 1) {
        mon_error("regs: takes no arguments");
        return -1;
    }
    mon_snapshot_take(mon, &now);
    for (unsigned r = 0; r < ISA_NREGS; r++) {
        printf("%-4s 0x%08" PRIx32 "%s", disasm_reg_name(r), now.r[r],
               now.r[r] != mon->before.r[r] ? "*" : "");
        printf("%s", r % 4 == 3 ? "\n" : now.r[r] != mon->before.r[r] ? "  " : "   ");
    }
    mon_format_pc(mon, now.pc, cpu_mode(mon->cpu), text, sizeof text);
    printf("pc     %s%s\n", text, now.pc != mon->before.pc ? " *" : "");
    for (unsigned c = 0; c < ISA_NCRS; c++) {
        char mark =
            now.cr[c] != mon->before.cr[c] && c != ISA_CR_cycle && c != ISA_CR_cycleh ? '*' : ' ';
        text[0] = '\0';
        if (c == ISA_CR_status) {
            status_text(now.cr[c], text, sizeof text);
        } else if (c == ISA_CR_cause) {
            snprintf(text, sizeof text, "%s: %s", cpu_cause_name(now.cr[c]),
                     cpu_cause_text(now.cr[c]));
        } else if (c == ISA_CR_ttb) {
            mon_format_sym(mon, now.cr[c], text, sizeof text);
            memmove(text, text + (text[0] == ' '), strlen(text) + 1);
        } else if (c == ISA_CR_cycle) {
            snprintf(text, sizeof text, "cycles since reset: %" PRIu64, cpu_cycles(mon->cpu));
        }
        printf("%-6s 0x%08" PRIx32 "%s%s%s\n", cpu_cr_name(c), now.cr[c], mark == '*' ? "*" : "",
               text[0] != '\0' ? (mark == '*' ? " " : "  ") : "", text);
    }
    return 0;
}

/* ---- x */

/* Parse "x/NF": count and format letter. */
static int parse_x_format(const char *word, uint32_t *count, char *fmt)
{
    const char *p = strchr(word, '/');

    *fmt = 'w';
    if (p == NULL) {
        return 0;
    }
    p++;
    if (isdigit((unsigned char)*p)) {
        *count = (uint32_t)strtoul(p, (char **)&p, 10);
    }
    if (*p != '\0') {
        *fmt = *p++;
    }
    if (*p != '\0' || strchr("whbs", *fmt) == NULL || *count == 0) {
        mon_error("x: bad format '%s' (x/[N]w, x/[N]h, x/[N]b or x/s)", word);
        return -1;
    }
    return 0;
}

static void x_string(struct mon *mon, uint32_t addr)
{
    uint32_t size = bus_ram_size(mon->m->bus);
    const uint8_t *ram = bus_ram(mon->m->bus);

    printf("0x%08" PRIx32 ": \"", addr);
    for (uint32_t i = 0; addr + i < size && i < 256 && ram[addr + i] != 0; i++) {
        uint8_t c = ram[addr + i];
        if (c == '\n') {
            printf("\\n");
        } else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            putchar(c);
        } else {
            printf("\\x%02x", c);
        }
    }
    printf("\"\n");
}

/* Print `count` units of `unit` bytes from addr, a few per line. */
static void x_units(struct mon *mon, uint32_t addr, uint32_t count, uint32_t unit)
{
    uint32_t per_line = unit == 4 ? 4 : 8;
    const uint8_t *ram = bus_ram(mon->m->bus);

    for (uint32_t i = 0; i < count; i++) {
        uint32_t a = addr + i * unit;
        if (i % per_line == 0) {
            char sym[96];
            mon_format_sym(mon, a, sym, sizeof sym);
            printf("%s0x%08" PRIx32 "%s:", i ? "\n" : "", a, sym);
        }
        if (unit == 4) {
            printf(" 0x%08" PRIx32, ram_word(mon, a));
        } else if (unit == 2) {
            printf(" 0x%04x", (unsigned)(ram[a] | ram[a + 1] << 8));
        } else {
            printf(" 0x%02x", ram[a]);
        }
    }
    putchar('\n');
}

int mon_cmd_x(struct mon *mon, int argc, char **argv)
{
    uint32_t count = 1, addr, unit;
    char fmt;

    /* The format may also stand apart: x /4w ADDR as x/4w ADDR. */
    if (strchr(argv[0], '/') == NULL && argc >= 2 && argv[1][0] == '/') {
        argv++;
        argc--;
    }
    if (parse_x_format(argv[0], &count, &fmt) != 0) {
        return -1;
    }
    if (argc < 2 || argc > 3) {
        mon_error("x: expected [/NFMT] ADDR [N]");
        return -1;
    }
    if (mon_parse_expr(mon, argv[1], &addr) != 0 ||
        (argc == 3 && mon_parse_number(argv[2], &count) != 0)) {
        return -1;
    }
    unit = fmt == 'w' ? 4 : fmt == 'h' ? 2 : 1;
    if (fmt == 's') {
        count = 1;
    }
    if (count == 0 || count > 4096) {
        mon_error("x: count must be 1..4096");
        return -1;
    }
    if (addr % unit != 0) {
        mon_error("x: 0x%08" PRIx32 " is not aligned to %" PRIu32 " bytes", addr, unit);
        return -1;
    }
    if (mon_check_ram(mon, addr, fmt == 's' ? 1 : count * unit) != 0) {
        return -1;
    }
    if (fmt == 's') {
        x_string(mon, addr);
        return 0;
    }
    x_units(mon, addr, count, unit);
    snprintf(mon->last_repeat, sizeof mon->last_repeat, "x/%" PRIu32 "%c 0x%08" PRIx32, count, fmt,
             addr + count * unit);
    return 0;
}

/* ---- disas */

int mon_cmd_disas(struct mon *mon, int argc, char **argv)
{
    uint32_t addr = cpu_pc(mon->cpu), count = 8, offset = 0;
    bool user = argc < 2 && cpu_mode(mon->cpu) == CPU_MODE_USER;
    const struct image *prog = user ? mon_user_image(mon) : NULL; /* lde run's program */

    if (argc > 3) {
        mon_error("disas: expected [ADDR] [N]");
        return -1;
    }
    if ((argc > 1 && mon_parse_expr(mon, argv[1], &addr) != 0) ||
        (argc > 2 && mon_parse_number(argv[2], &count) != 0)) {
        return -1;
    }
    if (count == 0 || count > 1024) {
        mon_error("disas: N must be 1..1024");
        return -1;
    }
    if (addr % 4 != 0) {
        mon_error("disas: 0x%08" PRIx32 " is not a multiple of 4", addr);
        return -1;
    }
    if (user) {
        offset = cpu_cr(mon->cpu, ISA_CR_base); /* pc is virtual: show it, read base + pc */
    }
    /* `=>` where pc is: in the listing's own addresses (virtual without
     * ADDR in user mode, physical otherwise). */
    uint32_t here = cpu_pc(mon->cpu);
    if (!user && cpu_mode(mon->cpu) == CPU_MODE_USER) {
        here += cpu_cr(mon->cpu, ISA_CR_base);
    }
    if (mon_check_ram(mon, addr + offset, count * 4) != 0) {
        return -1;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t a = addr + 4 * i;
        char sym[96], insn[128];
        if (prog != NULL) {
            mon_format_program_sym(mon, a, sym, sizeof sym);
        } else {
            mon_format_sym(mon, a + offset, sym, sizeof sym);
        }
        disasm_insn(ram_word(mon, a + offset), a, user ? prog : &mon->m->image, insn, sizeof insn);
        printf("%s0x%08" PRIx32 "%-22s %s\n", a == here ? "=> " : "   ", a, sym, insn);
    }
    snprintf(mon->last_repeat, sizeof mon->last_repeat, "disas 0x%08" PRIx32 " %" PRIu32,
             addr + 4 * count, count);
    return 0;
}

/* ---- frame */

int mon_cmd_frame(struct mon *mon, int argc, char **argv)
{
    uint32_t f = mon->last_frame, st;
    char text[128];

    if (argc > 2) {
        mon_error("frame: expected [ADDR]");
        return -1;
    }
    if (argc == 2 && mon_parse_expr(mon, argv[1], &f) != 0) {
        return -1;
    }
    if (argc == 1 && !mon->have_frame) {
        mon_error("frame: no trap has been taken yet; give an address (frame ADDR)");
        return -1;
    }
    if (f % 4 != 0 || mon_check_ram(mon, f, ISA_FRAME_SIZE) != 0) {
        if (f % 4 != 0) {
            mon_error("frame: 0x%08" PRIx32 " is not a multiple of 4", f);
        }
        return -1;
    }
    printf("trap frame at 0x%08" PRIx32 "%s:\n", f, argc == 1 ? " (the last trap taken)" : "");
    printf("  +0x00 cause   0x%08" PRIx32 "  %s\n", ram_word(mon, f),
           cpu_cause_name(ram_word(mon, f)));
    for (unsigned r = 1; r < ISA_NREGS; r++) {
        char name[16];
        snprintf(name, sizeof name, "%s", disasm_reg_name(r));
        printf("  +0x%02x %-7s 0x%08" PRIx32 "%s\n", ISA_FRAME_REG(r), name,
               ram_word(mon, f + ISA_FRAME_REG(r)), r == ISA_R_SP ? "  the interrupted sp" : "");
    }
    st = ram_word(mon, f + ISA_FRAME_STATUS);
    mon_format_pc(mon, ram_word(mon, f + ISA_FRAME_PC),
                  (st & ISA_STATUS_KERNEL) ? CPU_MODE_KERNEL : CPU_MODE_USER, text, sizeof text);
    printf("  +0x40 pc      %s  where rett resumes\n", text);
    status_text(st, text, sizeof text);
    printf("  +0x44 status  0x%08" PRIx32 "  %s (before the trap)\n", st, text);
    printf("  +0x48 faddr   0x%08" PRIx32 "\n", ram_word(mon, f + ISA_FRAME_FADDR));
    printf("  +0x4c zero    0x%08" PRIx32 "\n", ram_word(mon, f + ISA_FRAME_RESERVED));
    return 0;
}

/* ---- info */

static void info_timer(struct mon *mon)
{
    struct device *t = bus_device_named(mon->m->bus, "timer");
    uint64_t fire, now = cpu_cycles(mon->cpu);

    if (t == NULL) {
        mon_error("info timer: there is no timer");
        return;
    }
    fire = timer_fire_cycle(t);
    printf("timer at 0x%08" PRIx32 ": interval %" PRIu32 " cycles, line %s\n", t->base,
           timer_interval(t), timer_pending(t) ? "high (interrupt pending)" : "low");
    if (fire == DEVICE_NEVER) {
        printf("not armed (cycle %" PRIu64 ")\n", now);
    } else {
        printf("fires at cycle %" PRIu64 ", in %" PRIu64 " cycles (now %" PRIu64 ")\n", fire,
               fire > now ? fire - now : 0, now);
    }
}

static void info_devices(struct mon *mon)
{
    struct bus *bus = mon->m->bus;

    printf("RAM      0x00000000..0x%08" PRIx32 " (%" PRIu32 " MiB)\n", bus_ram_size(bus) - 1,
           bus_ram_size(bus) >> 20);
    for (unsigned i = 0; i < bus_device_count(bus); i++) {
        const struct device *d = bus_device(bus, i);
        uint64_t next = d->ops->next_event ? d->ops->next_event(d) : DEVICE_NEVER;
        printf("%-8s 0x%08" PRIx32, d->name, d->base);
        if (next != DEVICE_NEVER) {
            printf("  next event at cycle %" PRIu64, next);
        }
        putchar('\n');
    }
    printf("interrupt lines: 0x%08" PRIx32 "\n", bus_irq_lines(bus));
}

static void info_traps(struct mon *mon)
{
    printf("cause       taken\n");
    for (unsigned c = 0; c < ISA_NCAUSES; c++) {
        printf("%-11s %" PRIu64 "\n", cpu_cause_name(c), mon->stats.traps[c]);
    }
    printf("rett        %" PRIu64 "\n", mon->stats.retts);
}

int mon_cmd_info(struct mon *mon, int argc, char **argv)
{
    if (argc != 2) {
        mon_error("info: expected break, timer, devices or traps");
        return -1;
    }
    if (strcmp(argv[1], "break") == 0 || strcmp(argv[1], "b") == 0) {
        return mon_cmd_info_break(mon);
    } else if (strcmp(argv[1], "timer") == 0) {
        info_timer(mon);
    } else if (strcmp(argv[1], "devices") == 0) {
        info_devices(mon);
    } else if (strcmp(argv[1], "traps") == 0) {
        info_traps(mon);
    } else {
        mon_error("info: unknown subject '%s' (break, timer, devices or traps)", argv[1]);
        return -1;
    }
    return 0;
}

/* ---- stats */

static double percent(uint64_t part, uint64_t whole)
{
    return whole == 0 ? 0.0 : 100.0 * (double)part / (double)whole;
}

static void stats_syscalls(struct mon *mon)
{
    char name[32];

    for (unsigned n = 0; n <= MON_MAX_SYSCALLS; n++) {
        if (mon->stats.syscalls[n] == 0) {
            continue;
        }
        if (n == MON_MAX_SYSCALLS) {
            printf("  >=%u        %" PRIu64 "\n", n, mon->stats.syscalls[n]);
        } else {
            const char *s = mon_syscall_name(mon, n, name, sizeof name);
            printf("  %2u %-9s %" PRIu64 "\n", n, s ? s : "?", mon->stats.syscalls[n]);
        }
    }
}

static void stats_procs(struct mon *mon)
{
    bool any = false;

    for (unsigned i = 0; i < MON_PID_SLOTS; i++) {
        const struct mon_proc_stats *p = &mon->stats.procs[i];
        char pid[64];
        if (p->pid == 0) {
            continue;
        }
        if (!any) {
            printf("process              user cycles  kernel cycles  syscalls  scheduled\n");
            any = true;
        }
        mon_format_pid(mon, p->pid, pid, sizeof pid);
        printf("%-20s %11" PRIu64 "  %13" PRIu64 "  %8" PRIu64 "  %9" PRIu64 "\n", pid,
               p->user_cycles, p->kernel_cycles, p->syscalls, p->switches_in);
    }
}

int mon_cmd_stats(struct mon *mon, int argc, char **argv)
{
    const struct mon_stats *s = &mon->stats;
    uint64_t total;

    (void)argv;
    if (argc > 1) {
        mon_error("stats: takes no arguments");
        return -1;
    }
    mon_stats_flush(mon, cpu_cycles(mon->cpu));
    total = s->user_cycles + s->kernel_cycles;
    printf("cycles %" PRIu64 ": user %" PRIu64 " (%.1f%%), kernel %" PRIu64 " (%.1f%%)\n", total,
           s->user_cycles, percent(s->user_cycles, total), s->kernel_cycles,
           percent(s->kernel_cycles, total));
    printf("instructions %" PRIu64 "\n", cpu_instructions(mon->cpu));
    printf("traps %" PRIu64 " (timer %" PRIu64 "), rett %" PRIu64 ", process switches %" PRIu64
           "\n",
           s->traps[0] + s->traps[1] + s->traps[2] + s->traps[3] + s->traps[4] + s->traps[5] +
               s->traps[6] + s->traps[7] + s->traps[8] + s->traps[9],
           s->traps[ISA_CAUSE_TIMER], s->retts, s->switches);
    printf("system calls:\n");
    stats_syscalls(mon);
    stats_procs(mon);
    return 0;
}

/* ---- ps */

/* The process-table layout, from the kernel's symbols. */
struct mon_ptable {
    uint32_t table, nproc, size;                           /* proc_table, NPROC, PCB_SIZE */
    uint32_t pid, state, parent, base, bounds, ktop, name; /* P_* offsets */
};

static int sym_value(struct mon *mon, const char *name, uint32_t *out)
{
    const struct image_symbol *s = image_symbol_named(&mon->m->image, name);
    if (s == NULL) {
        mon_error("ps: the loaded image has no symbol %s (ps needs the guest kernel's "
                  "proc_table, NPROC, PCB_SIZE and P_* symbols)",
                  name);
        return -1;
    }
    *out = s->value;
    return 0;
}

static int ptable_layout(struct mon *mon, struct mon_ptable *t)
{
    if (sym_value(mon, "proc_table", &t->table) || sym_value(mon, "NPROC", &t->nproc) ||
        sym_value(mon, "PCB_SIZE", &t->size) || sym_value(mon, "P_PID", &t->pid) ||
        sym_value(mon, "P_STATE", &t->state) || sym_value(mon, "P_PARENT", &t->parent) ||
        sym_value(mon, "P_BASE", &t->base) || sym_value(mon, "P_BOUNDS", &t->bounds) ||
        sym_value(mon, "P_KTOP", &t->ktop) || sym_value(mon, "P_NAME", &t->name)) {
        return -1;
    }
    if (t->nproc == 0 || t->nproc > 1024 || t->size < 4 ||
        mon_check_ram(mon, t->table, t->nproc * t->size) != 0) {
        mon_error("ps: the process table's symbols do not describe memory");
        return -1;
    }
    return 0;
}

/* State name from the kernel's ST_* constants ("running"), or the number. */
static void state_name(struct mon *mon, uint32_t st, char *buf, size_t len)
{
    const struct image *img = &mon->m->image;

    snprintf(buf, len, "%" PRIu32, st);
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct image_symbol *s = &img->symbols[i];
        if (s->kind == IMAGE_SYM_CONST && s->value == st && strncmp(s->name, "ST_", 3) == 0) {
            size_t k;
            for (k = 0; s->name[3 + k] != '\0' && k + 1 < len; k++) {
                buf[k] = (char)tolower((unsigned char)s->name[3 + k]);
            }
            buf[k] = '\0';
            return;
        }
    }
}

/* The user pc saved in the trap frame at the top of the process's kernel
 * stack, as text. */
static void saved_pc(struct mon *mon, uint32_t ktop, char *buf, size_t len)
{
    uint32_t f = ktop - ISA_FRAME_SIZE;
    uint32_t size = bus_ram_size(mon->m->bus);

    if (ktop < ISA_FRAME_SIZE || f >= size || size - f < ISA_FRAME_SIZE) {
        snprintf(buf, len, "-");
        return;
    }
    snprintf(buf, len, "0x%08" PRIx32, ram_word(mon, f + ISA_FRAME_PC));
}

static void ps_entry(struct mon *mon, const struct mon_ptable *t, uint32_t e)
{
    char state[16], name[17], pc[32];
    uint32_t pid = ram_word(mon, e + t->pid);
    const uint8_t *ram = bus_ram(mon->m->bus);
    unsigned k;

    state_name(mon, ram_word(mon, e + t->state), state, sizeof state);
    for (k = 0; k < 16 && ram[e + t->name + k] != 0; k++) {
        uint8_t c = ram[e + t->name + k];
        name[k] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    name[k] = '\0';
    saved_pc(mon, ram_word(mon, e + t->ktop), pc, sizeof pc);
    printf("%c%4" PRIu32 " %5" PRIu32 "  %-9s %-15s 0x%08" PRIx32 "  0x%08" PRIx32 "  %s\n",
           pid == mon->pid ? '*' : ' ', pid, ram_word(mon, e + t->parent), state, name,
           ram_word(mon, e + t->base), ram_word(mon, e + t->bounds), pc);
}

int mon_cmd_ps(struct mon *mon, int argc, char **argv)
{
    struct mon_ptable t;

    (void)argv;
    if (argc > 1) {
        mon_error("ps: takes no arguments");
        return -1;
    }
    if (ptable_layout(mon, &t) != 0) {
        return -1;
    }
    printf("  PID  PPID  STATE     NAME            BASE        BOUNDS      SAVED PC\n");
    for (uint32_t i = 0; i < t.nproc; i++) {
        uint32_t e = t.table + i * t.size;
        if (ram_word(mon, e + t.pid) != 0) {
            ps_entry(mon, &t, e);
        }
    }
    printf("(* = current process per the trace port; saved pc = the user pc in the frame at "
           "the top of its kernel stack)\n");
    return 0;
}

/* ---- sym, addr */

int mon_cmd_sym(struct mon *mon, int argc, char **argv)
{
    uint32_t addr, off;
    const struct image_symbol *s;

    if (argc != 2) {
        mon_error("sym: expected ADDR");
        return -1;
    }
    if (mon_parse_expr(mon, argv[1], &addr) != 0) {
        return -1;
    }
    s = image_symbol_at(&mon->m->image, addr, &off);
    if (s == NULL || !image_covers(&mon->m->image, addr)) {
        printf("0x%08" PRIx32 ": no symbol (not in the image)\n", addr);
    } else if (off == 0) { /* as the stop line and the trace write it */
        printf("0x%08" PRIx32 " = %s\n", addr, s->name);
    } else {
        printf("0x%08" PRIx32 " = %s+0x%" PRIx32 "\n", addr, s->name, off);
    }
    return 0;
}

int mon_cmd_addr(struct mon *mon, int argc, char **argv)
{
    static const char *const kinds[] = {"label", "constant", "global label"};
    uint32_t v;
    const struct image_symbol *s;

    if (argc != 2) {
        mon_error("addr: expected SYMBOL");
        return -1;
    }
    if (mon_parse_expr(mon, argv[1], &v) != 0) {
        return -1;
    }
    s = image_symbol_named(&mon->m->image, argv[1]);
    if (s != NULL) {
        printf("%s = 0x%08" PRIx32 " (%s, %" PRIu32 " bytes)\n", s->name, s->value,
               kinds[s->kind % 3], s->size);
    } else {
        printf("%s = 0x%08" PRIx32 "\n", argv[1], v);
    }
    return 0;
}

/* ---- set */

static int set_reg(struct mon *mon, const char *name, uint32_t v)
{
    int n;

    if (strcmp(name, "pc") == 0) {
        cpu_set_pc(mon->cpu, v);
    } else if ((n = mon_reg_number(name)) >= 0) {
        if (n == 0) {
            mon_error("set reg: zero (r0) is always 0");
            return -1;
        }
        cpu_set_reg(mon->cpu, (unsigned)n, v);
    } else if ((n = mon_cr_number(name)) >= 0) {
        if (n == ISA_CR_cycle || n == ISA_CR_cycleh) {
            mon_error("set reg: %s is read-only", name);
            return -1;
        }
        cpu_set_cr(mon->cpu, (enum isa_cr)n, v);
    } else {
        mon_error("set reg: unknown register '%s' (r0..r15, ABI names, pc, control registers)",
                  name);
        return -1;
    }
    printf("%s = 0x%08" PRIx32 "\n", name, v);
    return 0;
}

int mon_cmd_set(struct mon *mon, int argc, char **argv)
{
    uint32_t v, addr;
    uint8_t *p;

    if (argc != 4 || (strcmp(argv[1], "reg") != 0 && strcmp(argv[1], "mem") != 0)) {
        mon_error("set: expected 'reg R VALUE' or 'mem ADDR VALUE'");
        return -1;
    }
    if (mon_parse_expr(mon, argv[3], &v) != 0) {
        return -1;
    }
    if (argv[1][0] == 'r') {
        return set_reg(mon, argv[2], v);
    }
    if (mon_parse_expr(mon, argv[2], &addr) != 0) {
        return -1;
    }
    if (addr % 4 != 0) {
        mon_error("set mem: 0x%08" PRIx32 " is not a multiple of 4 (set mem writes a word)", addr);
        return -1;
    }
    if (mon_check_ram(mon, addr, 4) != 0) {
        return -1;
    }
    p = bus_ram(mon->m->bus) + addr;
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    bus_ram_written(mon->m->bus, addr, 4); /* forget decoded instructions there */
    printf("[0x%08" PRIx32 "] = 0x%08" PRIx32 "\n", addr, v);
    return 0;
}

/* ---- display */

static bool is_command_word(const char *text)
{
    char word[32];
    static const char *const cmds[] = {"regs", "r",     "x",    "disas", "di",  "frame", "f",
                                       "ps",   "stats", "info", "i",     "sym", "addr"};

    snprintf(word, sizeof word, "%.*s", (int)strcspn(text, " /"), text);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(word, cmds[i]) == 0) {
            return true;
        }
    }
    return false;
}

static void show_display(struct mon *mon, unsigned i)
{
    const char *d = mon->displays[i];
    uint32_t v;

    if (is_command_word(d)) {
        printf("%u: %s\n", i + 1, d);
        mon_execute(mon, d);
    } else if (mon_parse_expr(mon, d, &v) == 0) {
        printf("%u: %s = 0x%08" PRIx32 " (%" PRIu32 ")\n", i + 1, d, v, v);
    }
}

void mon_run_displays(struct mon *mon)
{
    char saved[sizeof mon->last_repeat];

    snprintf(saved, sizeof saved, "%s", mon->last_repeat); /* displays must not change it */
    for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
        if (mon->displays[i] != NULL) {
            show_display(mon, i);
        }
    }
    snprintf(mon->last_repeat, sizeof mon->last_repeat, "%s", saved);
}

int mon_cmd_display(struct mon *mon, int argc, char **argv)
{
    char text[256] = "";
    uint32_t v;

    if (argc == 1) {
        for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
            if (mon->displays[i] != NULL) {
                printf("%u: %s\n", i + 1, mon->displays[i]);
            }
        }
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "%s%s", i > 1 ? " " : "", argv[i]);
    }
    if (!is_command_word(text) && mon_parse_expr(mon, text, &v) != 0) {
        return -1;
    }
    for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
        if (mon->displays[i] == NULL) {
            mon->displays[i] = strdup(text);
            if (mon->displays[i] != NULL) {
                show_display(mon, i);
            }
            return 0;
        }
    }
    mon_error("display: at most %d displays; undisplay one first", MON_MAX_DISPLAYS);
    return -1;
}

int mon_cmd_undisplay(struct mon *mon, int argc, char **argv)
{
    uint32_t n;

    if (argc == 1) {
        for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
            free(mon->displays[i]);
            mon->displays[i] = NULL;
        }
        return 0;
    }
    if (argc != 2 || mon_parse_number(argv[1], &n) != 0) {
        if (argc != 2) {
            mon_error("undisplay: expected [N]");
        }
        return -1;
    }
    if (n == 0 || n > MON_MAX_DISPLAYS || mon->displays[n - 1] == NULL) {
        mon_error("undisplay: no display %" PRIu32, n);
        return -1;
    }
    free(mon->displays[n - 1]);
    mon->displays[n - 1] = NULL;
    return 0;
}

/* ---- reset, load, trace */

/* Put the image back in zeroed RAM and boot it. */
static int reboot(struct mon *mon)
{
    char err[256];
    struct bus *bus = mon->m->bus;

    memset(bus_ram(bus), 0, bus_ram_size(bus));
    if (image_place(&mon->m->image, bus_ram(bus), bus_ram_size(bus), err, sizeof err) != 0) {
        mon_error("%s", err);
        return -1;
    }
    bus_ram_written(bus, 0, bus_ram_size(bus));
    emu_machine_boot(mon->m, mon->opts);
    mon_forget_run_state(mon);
    snprintf(mon->reason, sizeof mon->reason, "reset: stopped at the entry point");
    mon_report_stop(mon);
    return 0;
}

int mon_cmd_reset(struct mon *mon, int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        mon_error("reset: takes no arguments");
        return -1;
    }
    return reboot(mon);
}

int mon_cmd_load(struct mon *mon, int argc, char **argv)
{
    struct image img;
    char err[512];

    if (argc != 2) {
        mon_error("load: expected IMAGE");
        return -1;
    }
    if (image_read_file(&img, argv[1], err, sizeof err) != 0) {
        mon_error("%s", err);
        return -1;
    }
    if (mon->m->image_loaded) {
        image_free(&mon->m->image);
    }
    mon->m->image = img;
    mon->m->image_loaded = true;
    return reboot(mon);
}

int mon_cmd_trace(struct mon *mon, int argc, char **argv)
{
    char err[256];

    if (argc < 2 || argc > 3 || (strcmp(argv[1], "on") != 0 && strcmp(argv[1], "off") != 0) ||
        (argc == 3 && argv[1][1] == 'f')) {
        mon_error("trace: expected 'on [FILE]' or 'off'");
        return -1;
    }
    const char *in_use[] = {mon->opts->image_path, mon->opts->disk_path, mon->opts->mon_script};
    for (size_t i = 0; argc == 3 && i < sizeof in_use / sizeof in_use[0]; i++) {
        if (emu_same_file(argv[2], in_use[i])) { /* as lde's --trace: never over an input */
            mon_error("trace: '%s' is a file this session reads; choose another file", argv[2]);
            return -1;
        }
    }
    errno = 0;
    if (emu_trace_close(&mon->m->trace) != 0) {
        mon_error("trace: lines were lost: %s", strerror(errno));
    }
    if (strcmp(argv[1], "off") == 0) {
        printf("trace off\n");
        return 0;
    }
    if (emu_trace_open(&mon->m->trace, argc == 3 ? argv[2] : "-", err, sizeof err) != 0) {
        mon_error("%s", err);
        return -1;
    }
    printf("trace on (%s)\n", argc == 3 ? argv[2] : "stdout");
    return 0;
}
