/*
 * monitor.c - the monitor session: where command lines come from (a
 * script, a terminal through readline, or a pipe), the one command table
 * that `help` and completion are generated from, and parsing of numbers,
 * registers, symbols and addresses.
 *
 * Command sources, in order: the lines of `-x FILE`, then the terminal if
 * stdin is one.  When stdin is not a terminal and there is no -x, stdin is
 * the command script: it is read whole at the start and the guest console
 * then sees the end of its input, so guest and monitor never compete for
 * the same bytes.  With -x and a non-terminal stdin, stdin stays the guest
 * console and the session ends with the script.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "bus.h"
#include "disasm.h"
#include "monitor_gui.h"
#include "monitor_private.h"

#define MON_PROMPT   "(lde) "
#define MON_LINE_MAX 1024 /* a command line is shorter than this */

volatile sig_atomic_t mon_interrupted;
static volatile sig_atomic_t guest_running; /* Ctrl-C stops the guest only when set */
static struct cpu *signal_cpu;              /* the CPU the SIGINT handler stops */
static struct mon *completion_mon;          /* the session readline completes for */

static int cmd_help(struct mon *mon, int argc, char **argv);
static int cmd_quit(struct mon *mon, int argc, char **argv);

/* What the words after a command complete to. */
enum mon_complete {
    MON_C_NONE,    /* nothing */
    MON_C_SYMBOL,  /* kernel symbols */
    MON_C_WORDS,   /* the command's fixed words (subwords) */
    MON_C_COMMAND, /* command names (help) */
    MON_C_FILE,    /* file names */
    MON_C_CATCH,   /* catch: kinds, then causes or syscall names */
    MON_C_SET,     /* set: reg/mem, then registers */
};

/* One monitor command.  `help`, completion and dispatch all use this table. */
struct mon_command {
    const char *name;                                  /* full name */
    const char *alias;                                 /* short form, or NULL */
    const char *args;                                  /* argument syntax for help */
    const char *help;                                  /* one line of help */
    int (*fn)(struct mon *mon, int argc, char **argv); /* argv[0] = the command word */
    enum mon_complete complete;                        /* what its arguments complete to */
    const char *words;                                 /* MON_C_WORDS: space-separated choices */
    bool repeats;                                      /* an empty line repeats it */
};

static const struct mon_command commands[] = {
    {"step", "s", "[N]", "execute N instructions (default 1); entering a trap counts as one",
     mon_cmd_step, MON_C_NONE, NULL, true},
    {"next", "n", "", "like step, but run a call (jal/jalr ra) to its return", mon_cmd_next,
     MON_C_NONE, NULL, true},
    {"continue", "c", "", "run until a breakpoint, watchpoint, catch, halt, deadlock or Ctrl-C",
     mon_cmd_continue, MON_C_NONE, NULL, false},
    {"until", "u", "[user|kernel] ADDR", "run until pc reaches ADDR (default: in the current mode)",
     mon_cmd_until, MON_C_SYMBOL, NULL, false},
    {"stepout", "so", "", "run to the end of the current trap: stop after the next rett",
     mon_cmd_stepout, MON_C_NONE, NULL, false},
    {"break", "b", "[user|kernel] ADDR", "stop before the instruction at ADDR (default: kernel)",
     mon_cmd_break, MON_C_SYMBOL, NULL, false},
    {"tbreak", NULL, "[user|kernel] ADDR", "like break, deleted when hit", mon_cmd_tbreak,
     MON_C_SYMBOL, NULL, false},
    {"delete", "d", "[N...]", "delete stop points N (all without N)", mon_cmd_delete, MON_C_NONE,
     NULL, false},
    {"disable", NULL, "N...", "disable stop points", mon_cmd_disable, MON_C_NONE, NULL, false},
    {"enable", NULL, "N...", "enable stop points", mon_cmd_enable, MON_C_NONE, NULL, false},
    {"watch", "w", "ADDR [LEN]", "stop when a write changes LEN bytes (1..16, default 4) at ADDR",
     mon_cmd_watch, MON_C_SYMBOL, NULL, false},
    {"catch", NULL, "trap [CAUSE...] | syscall [NUM|NAME...] | rett | mode | switch",
     "stop when control changes hands", mon_cmd_catch, MON_C_CATCH, NULL, false},
    {"info", "i", "break|timer|devices|traps", "show stop points, the timer, devices, trap counts",
     mon_cmd_info, MON_C_WORDS, "break timer devices traps", false},
    {"regs", "r", "", "registers; control registers decoded; * = changed since the last stop",
     mon_cmd_regs, MON_C_NONE, NULL, false},
    {"x", NULL, "[/NFMT] ADDR [N]", "examine memory: FMT w (words), h, b (bytes), s (string)",
     mon_cmd_x, MON_C_SYMBOL, NULL, true},
    {"disas", "di", "[ADDR] [N]", "disassemble N instructions (default: 8 at pc)", mon_cmd_disas,
     MON_C_SYMBOL, NULL, true},
    {"frame", "f", "[ADDR]", "the trap frame of the last trap (or at ADDR), field by field",
     mon_cmd_frame, MON_C_SYMBOL, NULL, false},
    {"stats", NULL, "", "cycles in user and kernel mode, syscalls, switches, per process",
     mon_cmd_stats, MON_C_NONE, NULL, false},
    {"ps", NULL, "", "the guest kernel's process table, read through its symbols", mon_cmd_ps,
     MON_C_NONE, NULL, false},
    {"sym", NULL, "ADDR", "the symbol at or below ADDR", mon_cmd_sym, MON_C_SYMBOL, NULL, false},
    {"addr", NULL, "SYMBOL", "the value of SYMBOL", mon_cmd_addr, MON_C_SYMBOL, NULL, false},
    {"set", NULL, "reg R VALUE | mem ADDR VALUE", "change a register or a word of memory",
     mon_cmd_set, MON_C_SET, NULL, false},
    {"display", NULL, "[EXPR|COMMAND]", "show EXPR or run COMMAND at every stop (list without)",
     mon_cmd_display, MON_C_SYMBOL, NULL, false},
    {"undisplay", NULL, "[N]", "remove display N (all without N)", mon_cmd_undisplay, MON_C_NONE,
     NULL, false},
    {"trace", NULL, "on [FILE] | off", "write the --trace lines live (to stdout or FILE)",
     mon_cmd_trace, MON_C_WORDS, "on off", false},
    {"gui", NULL, "[run|pause|step|trap|rett|faster|slower|speed N|wait]",
     "the window's keys (--gui): run/pause, step, to the next trap or rett, speed", mon_cmd_gui,
     MON_C_WORDS, "run pause step trap rett faster slower speed wait", true},
    {"reset", NULL, "", "reload the image and reset the machine to its entry", mon_cmd_reset,
     MON_C_NONE, NULL, false},
    {"load", NULL, "IMAGE", "load another LDEX image and reset to its entry", mon_cmd_load,
     MON_C_FILE, NULL, false},
    {"help", "h", "[COMMAND]", "list the commands, or explain one", cmd_help, MON_C_COMMAND, NULL,
     false},
    {"quit", "q", "", "leave lde", cmd_quit, MON_C_NONE, NULL, false},
};

#define MON_NCOMMANDS (sizeof commands / sizeof commands[0])

void mon_error(const char *fmt, ...)
{
    va_list ap;

    fputs("error: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* ---- Parsing */

int mon_parse_number(const char *s, uint32_t *out)
{
    const char *p = s;
    bool negative = false;
    int base = 10;
    char *end;
    unsigned long long v;

    if (*p == '-') {
        negative = true;
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    }
    if (!isxdigit((unsigned char)*p)) {
        mon_error("bad number '%s'", s);
        return -1;
    }
    errno = 0;
    v = strtoull(p, &end, base);
    if (errno != 0 || *end != '\0' || v > UINT32_MAX) {
        mon_error("bad number '%s' (expected a 32-bit value, decimal or 0x hex)", s);
        return -1;
    }
    *out = negative ? 0u - (uint32_t)v : (uint32_t)v;
    return 0;
}

int mon_reg_number(const char *name)
{
    for (unsigned r = 0; r < ISA_NREGS; r++) {
        char rn[8];
        snprintf(rn, sizeof rn, "r%u", r);
        if (strcmp(name, rn) == 0 || strcmp(name, disasm_reg_name(r)) == 0) {
            return (int)r;
        }
    }
    return -1;
}

int mon_cr_number(const char *name)
{
    for (unsigned c = 0; c < ISA_NCRS; c++) {
        if (strcmp(name, cpu_cr_name(c)) == 0) {
            return (int)c;
        }
    }
    return -1;
}

int mon_cause_number(const char *name)
{
    for (unsigned c = 0; c < ISA_NCAUSES; c++) {
        if (strcmp(name, cpu_cause_name(c)) == 0) {
            return (int)c;
        }
    }
    if (isdigit((unsigned char)name[0])) {
        char *end;
        long v = strtol(name, &end, 0);
        if (*end == '\0' && v >= 0 && v < ISA_NCAUSES) {
            return (int)v;
        }
    }
    return -1;
}

/* The SYS_ constant symbols of the guest kernel name its system calls. */
const char *mon_syscall_name(struct mon *mon, uint32_t n, char *buf, size_t len)
{
    const struct image *img = &mon->m->image;

    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct image_symbol *s = &img->symbols[i];
        if (s->kind == IMAGE_SYM_CONST && s->value == n && strncmp(s->name, "SYS_", 4) == 0) {
            size_t k;
            for (k = 0; s->name[4 + k] != '\0' && k + 1 < len; k++) {
                buf[k] = (char)tolower((unsigned char)s->name[4 + k]);
            }
            buf[k] = '\0';
            return buf;
        }
    }
    return NULL;
}

int mon_syscall_number(struct mon *mon, const char *name)
{
    char buf[64];

    if (isdigit((unsigned char)name[0])) {
        char *end;
        long v = strtol(name, &end, 0);
        return (*end == '\0' && v >= 0 && v < MON_MAX_SYSCALLS) ? (int)v : -1;
    }
    for (uint32_t n = 0; n < MON_MAX_SYSCALLS; n++) {
        if (mon_syscall_name(mon, n, buf, sizeof buf) != NULL && strcmp(buf, name) == 0) {
            return (int)n;
        }
    }
    return -1;
}

/* Levenshtein distance, capped: for "did you mean". */
static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned row[64];

    if (la >= 63 || lb >= 63) {
        return 99;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = (unsigned)j;
    }
    for (size_t i = 1; i <= la; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) {
                best = row[j] + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The symbol (label or constant) closest in spelling to `name`, or NULL. */
static const char *closest_symbol(struct mon *mon, const char *name)
{
    const struct image *img = &mon->m->image;
    const char *best = NULL;
    unsigned best_d = 3; /* suggest only near misses */

    for (uint32_t i = 0; i < img->nsymbols; i++) {
        unsigned d = edit_distance(name, img->symbols[i].name);
        if (d < best_d) {
            best_d = d;
            best = img->symbols[i].name;
        }
    }
    return best;
}

/* One term of an expression: number, register, pc, control register, symbol. */
static int parse_term(struct mon *mon, const char *s, uint32_t *out)
{
    const struct image_symbol *sym;
    int n;

    if (isdigit((unsigned char)s[0]) || s[0] == '-') {
        return mon_parse_number(s, out);
    }
    if (strcmp(s, "pc") == 0) {
        *out = cpu_pc(mon->cpu);
        return 0;
    }
    if ((n = mon_reg_number(s)) >= 0) {
        *out = cpu_reg(mon->cpu, (unsigned)n);
        return 0;
    }
    if ((n = mon_cr_number(s)) >= 0) {
        *out = cpu_cr(mon->cpu, (enum isa_cr)n);
        return 0;
    }
    sym = image_symbol_named(&mon->m->image, s);
    if (sym == NULL && mon->opts->program != NULL) { /* then the program lde run loaded */
        sym = image_symbol_named(&mon->opts->program->image, s);
        mon->expr_program |= sym != NULL;
    }
    if (sym != NULL) {
        *out = sym->value;
        return 0;
    }
    if (closest_symbol(mon, s) != NULL) {
        mon_error("unknown symbol '%s' (did you mean '%s'?)", s, closest_symbol(mon, s));
    } else {
        mon_error("unknown symbol '%s'", s);
    }
    return -1;
}

int mon_parse_expr(struct mon *mon, const char *s, uint32_t *out)
{
    char buf[256];
    char op = '+';
    uint32_t total = 0;
    char *p = buf;

    mon->expr_program = false;
    if (strlen(s) >= sizeof buf || s[0] == '\0') {
        mon_error("bad expression '%s'", s);
        return -1;
    }
    strcpy(buf, s);
    for (;;) {
        uint32_t v;
        char *q = p + (*p == '-' ? 1 : 0); /* a leading minus belongs to the number */
        char next;
        q += strcspn(q, "+-");
        next = *q;
        *q = '\0';
        if (*p == '\0') {
            mon_error("bad expression '%s'", s);
            return -1;
        }
        if (parse_term(mon, p, &v) != 0) {
            return -1;
        }
        total = op == '+' ? total + v : total - v;
        if (next == '\0') {
            break;
        }
        op = next;
        p = q + 1;
    }
    *out = total;
    return 0;
}

int mon_check_ram(struct mon *mon, uint32_t addr, uint32_t len)
{
    uint32_t size = bus_ram_size(mon->m->bus);

    if (addr >= size || len > size - addr) {
        mon_error("address 0x%08" PRIx32 " is outside memory (RAM is 0x00000000..0x%08" PRIx32 ")",
                  addr, size - 1);
        return -1;
    }
    return 0;
}

/* ---- Commands defined here */

static const struct mon_command *find_command(const char *word)
{
    for (size_t i = 0; i < MON_NCOMMANDS; i++) {
        const struct mon_command *c = &commands[i];
        if (strcmp(word, c->name) == 0 || (c->alias != NULL && strcmp(word, c->alias) == 0)) {
            return c;
        }
    }
    return NULL;
}

/* One command: its syntax, then what it does - in a column, or on the next
 * line when the syntax is too long for the column. */
static void help_line(const struct mon_command *c)
{
    enum { HELP_COLUMN = 28 };
    char head[160];

    if (c->alias != NULL) {
        snprintf(head, sizeof head, "%s, %s %s", c->name, c->alias, c->args);
    } else {
        snprintf(head, sizeof head, "%s %s", c->name, c->args);
    }
    if (strlen(head) > HELP_COLUMN)
        printf("  %s\n  %-*s %s\n", head, HELP_COLUMN, "", c->help);
    else
        printf("  %-*s %s\n", HELP_COLUMN, head, c->help);
}

static int cmd_help(struct mon *mon, int argc, char **argv)
{
    (void)mon;
    if (argc > 1) {
        const struct mon_command *c = find_command(argv[1]);
        if (c == NULL) {
            mon_error("no command '%s' (help lists them)", argv[1]);
            return -1;
        }
        help_line(c);
        return 0;
    }
    printf("Commands (ADDR: number, register, symbol[+OFF], e.g. h_syscall+8; "
           "empty line repeats step/next/x/disas/gui):\n");
    for (size_t i = 0; i < MON_NCOMMANDS; i++) {
        help_line(&commands[i]);
    }
    return 0;
}

static int cmd_quit(struct mon *mon, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    mon->quit = true;
    return 0;
}

/* Split `line` (modified) into words; returns their number. */
static int split_words(char *line, char **argv)
{
    int argc = 0;
    char *p = line;

    while (argc < MON_MAX_ARGS) {
        while (isspace((unsigned char)*p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p != '\0' && !isspace((unsigned char)*p)) {
            p++;
        }
        if (*p != '\0') {
            *p++ = '\0';
        }
    }
    return argc;
}

/* "unknown command" with the nearest command name, if any is close. */
static void unknown_command(const char *word)
{
    const char *best = NULL;
    unsigned best_d = 3;

    for (size_t i = 0; i < MON_NCOMMANDS; i++) {
        unsigned d = edit_distance(word, commands[i].name);
        if (d < best_d) {
            best_d = d;
            best = commands[i].name;
        }
    }
    if (best != NULL) {
        mon_error("unknown command '%s' (did you mean '%s'?)", word, best);
    } else {
        mon_error("unknown command '%s' (help lists the commands)", word);
    }
}

/* Does the command run (or reset) the guest?  The window's run pauses first. */
static bool runs_guest(const struct mon_command *c)
{
    return c->fn == mon_cmd_step || c->fn == mon_cmd_next || c->fn == mon_cmd_continue ||
           c->fn == mon_cmd_until || c->fn == mon_cmd_stepout || c->fn == mon_cmd_reset ||
           c->fn == mon_cmd_load;
}

void mon_execute(struct mon *mon, const char *text)
{
    char line[MON_LINE_MAX];
    char name[32];
    char *argv[MON_MAX_ARGS];
    const struct mon_command *c;
    int argc;

    if (strlen(text) >= sizeof line) { /* never cut: the rest would be lost, or worse run */
        mon_error("line too long: %zu characters (at most %zu)", strlen(text), sizeof line - 1);
        mon->last_repeat[0] = '\0';
        return;
    }
    snprintf(line, sizeof line, "%s", text);
    argc = split_words(line, argv);
    if (argc == 0 || argv[0][0] == '#') {
        return;
    }
    snprintf(name, sizeof name, "%.*s", (int)strcspn(argv[0], "/"), argv[0]);
    c = find_command(name);
    if (c == NULL || (argv[0][strlen(name)] == '/' && c->fn != mon_cmd_x)) {
        unknown_command(argv[0]);
        return;
    }
    if (c->repeats) {
        snprintf(mon->last_repeat, sizeof mon->last_repeat, "%s", text);
    } else {
        mon->last_repeat[0] = '\0';
    }
    if (runs_guest(c)) {
        mon_gui_before_run(mon);
    }
    if (c->fn(mon, argc, argv) != 0) {
        mon->last_repeat[0] = '\0'; /* an empty line does not repeat an error */
    }
    fflush(stdout);
    mon_gui_after_command(mon);
}

/* ---- Completion */

/* Generator state shared by the rl_completion_matches callbacks. */
static enum mon_complete gen_kind; /* what to generate */
static const char *gen_words;      /* MON_C_WORDS: the choices */
static int gen_catch_kind;         /* MON_C_CATCH: 0 kinds, 1 causes, 2 syscalls */
static unsigned gen_index;         /* position in the candidates */

/* The next fixed word from space-separated `words` that starts with text. */
static char *next_word(const char *words, const char *text)
{
    const char *p = words;
    unsigned i = 0;

    while (*p != '\0') {
        size_t n = strcspn(p, " ");
        if (i++ == gen_index) {
            gen_index++;
            if (strncmp(p, text, strlen(text)) == 0 && n >= strlen(text)) {
                char *w = malloc(n + 1);
                if (w != NULL) {
                    memcpy(w, p, n);
                    w[n] = '\0';
                }
                return w;
            }
            return next_word(words, text);
        }
        p += n;
        p += *p == ' ';
    }
    return NULL;
}

/* The next candidate name (index gen_index) of the current kind, or NULL. */
static const char *candidate(char *buf, size_t len)
{
    unsigned i = gen_index++;

    switch (gen_kind) {
    case MON_C_COMMAND:
        return i < MON_NCOMMANDS ? commands[i].name : NULL;
    case MON_C_SYMBOL:
        if (i < ISA_NREGS) {
            return disasm_reg_name(i);
        }
        i -= ISA_NREGS;
        return i < completion_mon->m->image.nsymbols ? completion_mon->m->image.symbols[i].name
                                                     : NULL;
    case MON_C_CATCH:
        if (gen_catch_kind == 1) {
            return i < ISA_NCAUSES ? cpu_cause_name(i) : NULL;
        }
        if (i >= MON_MAX_SYSCALLS) {
            return NULL;
        }
        return mon_syscall_name(completion_mon, i, buf, len) ? buf : "";
    default:
        return NULL;
    }
}

static char *generate(const char *text, int state)
{
    char buf[64];
    const char *name;

    if (state == 0) {
        gen_index = 0;
    }
    if (gen_kind == MON_C_WORDS) {
        return next_word(gen_words, text);
    }
    while ((name = candidate(buf, sizeof buf)) != NULL) {
        if (name[0] != '\0' && strncmp(name, text, strlen(text)) == 0) {
            return strdup(name);
        }
    }
    return NULL;
}

/* Decide what the word being completed is, from the words before it. */
static void choose_completion(const char *before)
{
    char line[MON_LINE_MAX];
    char *argv[MON_MAX_ARGS];
    int argc;
    const struct mon_command *c;

    snprintf(line, sizeof line, "%s", before);
    argc = split_words(line, argv);
    gen_kind = MON_C_NONE;
    if (argc == 0) {
        gen_kind = MON_C_COMMAND;
        return;
    }
    c = find_command(argv[0]);
    if (c == NULL) {
        return;
    }
    gen_kind = c->complete;
    gen_words = c->words;
    if (c->complete == MON_C_CATCH) {
        gen_kind = argc == 1 ? MON_C_WORDS : MON_C_CATCH;
        gen_words = "trap syscall rett mode switch";
        gen_catch_kind = argc > 1 && strcmp(argv[1], "trap") == 0 ? 1 : 2;
    } else if (c->complete == MON_C_SET) {
        gen_kind = argc == 1 ? MON_C_WORDS : MON_C_SYMBOL;
        gen_words = "reg mem";
    } else if (argc > 1 && c->complete != MON_C_SYMBOL) {
        gen_kind = MON_C_NONE;
    }
}

static char **complete(const char *text, int start, int end)
{
    char before[MON_LINE_MAX];

    (void)end;
    snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
    choose_completion(before);
    if (gen_kind == MON_C_FILE) {
        return NULL; /* readline's file-name completion */
    }
    rl_attempted_completion_over = 1;
    if (gen_kind == MON_C_NONE) {
        return NULL;
    }
    return rl_completion_matches(text, generate);
}

/* ---- History */

/* $LDE_HISTORY, else $XDG_STATE_HOME/lde/history, else
 * ~/.local/state/lde/history (directories made as needed). */
static void history_path(char *buf, size_t len)
{
    const char *env = getenv("LDE_HISTORY");
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char dir[512];

    buf[0] = '\0';
    if (env != NULL) {
        snprintf(buf, len, "%s", env);
        return;
    }
    if (state != NULL && state[0] == '/') {
        snprintf(dir, sizeof dir, "%s/lde", state);
    } else if (home != NULL) {
        snprintf(dir, sizeof dir, "%s/.local", home);
        mkdir(dir, 0700);
        snprintf(dir, sizeof dir, "%s/.local/state", home);
        mkdir(dir, 0700);
        snprintf(dir, sizeof dir, "%s/.local/state/lde", home);
    } else {
        return;
    }
    mkdir(dir, 0700);
    snprintf(buf, len, "%s/history", dir);
}

/* Readline saves history by writing a new file and renaming it over the old
 * one, which would replace a device such as /dev/null (a common way to say
 * "no history") with a plain file.  Only a regular file, or none yet, is
 * ours to rewrite. */
static bool history_may_write(const char *path)
{
    struct stat st;

    if (path[0] == '\0') {
        return false;
    }
    if (stat(path, &st) != 0) {
        return errno == ENOENT;
    }
    return S_ISREG(st.st_mode);
}

/* ---- Signals */

static void on_sigint(int sig)
{
    (void)sig;
    if (guest_running && signal_cpu != NULL) {
        mon_interrupted = 1;
        cpu_request_stop(signal_cpu);
    } else {
        mon_gui_sigint(); /* at the prompt, or while the window runs the guest */
    }
}

static void install_sigint(struct cpu *cpu)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    signal_cpu = cpu;
    sigaction(SIGINT, &sa, NULL);
}

/* Called by monitor_run.c around every run of the guest. */
void mon_guest_running(bool running)
{
    guest_running = running;
}

/* ---- Sources of command lines */

/* Run one line from a script: echo it after the prompt, as a transcript. */
static void script_line(struct mon *mon, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (strlen(line) >= MON_LINE_MAX) { /* the echo shows its start; mon_execute refuses it */
        printf("%s%.60s...\n", MON_PROMPT, line);
        mon_execute(mon, line);
        return;
    }
    printf("%s%s\n", MON_PROMPT, line);
    if (line[0] == '\0' && mon->last_repeat[0] != '\0') {
        char again[sizeof mon->last_repeat];
        snprintf(again, sizeof again, "%s", mon->last_repeat);
        mon_execute(mon, again);
        return;
    }
    mon_execute(mon, line);
}

/* Run every line of `f` (until quit or a quit signal), each whole,
 * however long: a long one is one error, not pieces run as commands. */
static void run_stream(struct mon *mon, FILE *f)
{
    char *line = NULL;
    size_t size = 0;

    while (!mon->quit && emu_quit_signal == 0 && getline(&line, &size, f) != -1) {
        script_line(mon, line);
    }
    free(line);
}

/* Read stdin whole (the command script), then let the guest console see
 * the end of input instead. */
static FILE *take_stdin(void)
{
    FILE *copy = tmpfile();
    char buf[4096];
    size_t n;

    if (copy == NULL) {
        return NULL;
    }
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        fwrite(buf, 1, n, copy);
    }
    rewind(copy);
    if (freopen("/dev/null", "r", stdin) == NULL) {
        clearerr(stdin);
    }
    return copy;
}

/* One line typed at the prompt: empty repeats, others go to history. */
static void terminal_line(struct mon *mon, char *line)
{
    if (line[0] == '\0' && mon->last_repeat[0] != '\0') {
        char again[sizeof mon->last_repeat];
        snprintf(again, sizeof again, "%s", mon->last_repeat);
        mon_execute(mon, again);
    } else {
        if (line[0] != '\0') {
            add_history(line);
        }
        mon_execute(mon, line);
    }
}

static void run_terminal(struct mon *mon)
{
    char path[600];
    char *line;

    history_path(path, sizeof path);
    stifle_history(1000); /* the list in memory is bounded like the file */
    if (path[0] != '\0') {
        read_history(path);
    }
    completion_mon = mon;
    rl_readline_name = "lde";
    rl_attempted_completion_function = complete;
    if (mon_gui_active()) {
        mon_gui_prompt(mon, MON_PROMPT, terminal_line); /* the window stays alive */
    }
    while (!mon_gui_active() && !mon->quit && emu_quit_signal == 0) {
        /* readline catches SIGTERM, SIGHUP and SIGQUIT itself: it gives the terminal
         * back, passes the signal on to lde's handler and returns NULL */
        line = readline(MON_PROMPT);
        if (line == NULL) {
            putchar('\n'); /* Ctrl-D (or a quit signal): end the prompt's line */
            break;
        }
        terminal_line(mon, line);
        free(line);
    }
    if (history_may_write(path)) {
        write_history(path);
        history_truncate_file(path, 1000);
    }
}

/* The exit status, lde's for how the machine stands: a quit signal's (said
 * on the transcript), the guest's halt code, a double fault's, a
 * deadlock's, --max-cycles', or 0. */
static int session_status(struct mon *mon)
{
    fflush(stdout);
    if (emu_quit_signal != 0) {
        printf("%s: leaving lde\n", emu_signal_name(emu_quit_signal));
        fflush(stdout);
        return EMU_EXIT_INTERRUPTED;
    }
    if (mon->last_stop == CPU_STOP_DOUBLE_FAULT) {
        return EMU_EXIT_DOUBLE_FAULT;
    }
    if (cpu_halted(mon->cpu)) {
        return (int)(cpu_halt_code(mon->cpu) & 0xff);
    }
    if (mon->last_stop == CPU_STOP_DEADLOCK) {
        return EMU_EXIT_DEADLOCK;
    }
    if (mon->opts->max_cycles != 0 && cpu_cycles(mon->cpu) >= mon->opts->max_cycles) {
        return EMU_EXIT_MAX_CYCLES;
    }
    return 0;
}

int mon_run(struct emu_machine *m, const struct emu_options *o)
{
    static struct mon mon; /* large (stop points, statistics): not on the stack */
    bool tty = isatty(STDIN_FILENO);
    FILE *script = NULL;

    /* A script that cannot be read is a bad command line: say so before
     * the session shows anything. */
    struct stat st;
    if (o->mon_script != NULL && (script = fopen(o->mon_script, "r")) == NULL) {
        fprintf(stderr, "lde: %s: cannot open the monitor script: %s\n", o->mon_script,
                strerror(errno));
        return EMU_EXIT_USAGE;
    }
    if (script != NULL && fstat(fileno(script), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "lde: %s: cannot open the monitor script: %s\n", o->mon_script,
                strerror(EISDIR));
        fclose(script);
        return EMU_EXIT_USAGE;
    }
    memset(&mon, 0, sizeof mon);
    mon.m = m;
    mon.opts = o;
    mon.cpu = m->cpu;
    mon.next_point_id = 1;
    mon.interactive = tty;
    if (emu_machine_observe(m, mon_observe, &mon) != 0) {
        fprintf(stderr, "lde: monitor: too many observers of the machine\n");
        if (script != NULL)
            fclose(script);
        return EMU_EXIT_HOST;
    }
    install_sigint(m->cpu);
    mon_forget_run_state(&mon);
    snprintf(mon.reason, sizeof mon.reason, "reset: stopped at the entry point");
    mon_report_stop(&mon);
    if (script != NULL) {
        run_stream(&mon, script);
        fclose(script);
    }
    if (tty && emu_quit_signal == 0) {
        run_terminal(&mon);
    } else if (o->mon_script == NULL) {
        FILE *in = take_stdin();
        if (in != NULL) {
            run_stream(&mon, in);
            fclose(in);
        }
    }
    for (unsigned i = 0; i < MON_MAX_DISPLAYS; i++) {
        free(mon.displays[i]);
    }
    return session_status(&mon);
}
