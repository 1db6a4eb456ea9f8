/*
 * assembler.c - the driver of lde-as: the two passes, the symbol table,
 * diagnostics, and turning the result into an image.
 *
 * See asm_internal.h for how the passes cooperate.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "asm_internal.h"

/* Out of memory is the one condition we cannot continue from: report it and
 * unwind (longjmp) to assemble(), which frees everything. */
void *asm_xrealloc(struct assembler *as, void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(as->diag, "lde-as: error: out of memory\n");
        longjmp(*as->oom, 1);
    }
    return q;
}

char *asm_strndup(struct assembler *as, const char *s, size_t n)
{
    char *p = asm_xrealloc(as, NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- Diagnostics */

static const char *file_name(const struct assembler *as, int file)
{
    return file >= 0 && file < as->nfiles ? as->files[file].path : "<command line>";
}

/* Find line `line` of a file; *len gets its length. */
static const char *file_line(const struct assembler *as, int file, int line, int *len)
{
    if (file < 0 || file >= as->nfiles || line < 1)
        return NULL;
    const char *p = as->files[file].text, *end = p + as->files[file].len;
    for (int n = 1; n < line && p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (int)((nl ? nl : end) - p);
    if (*len > 0 && p[*len - 1] == '\r')
        (*len)--;
    return p;
}

/* The source line and a caret under column `col` (tabs kept, so it lines up);
 * of a long line, ASM_SHOW_MAX characters around the column. */
static void show_line(FILE *f, const char *text, int len, int col)
{
    if (!text)
        return;
    if (len > ASM_SHOW_MAX) {
        int from = col > ASM_SHOW_MAX / 2 ? col - 1 - ASM_SHOW_MAX / 2 : 0;
        if (from > len - ASM_SHOW_MAX)
            from = len - ASM_SHOW_MAX;
        text += from;
        len = ASM_SHOW_MAX;
        col -= from;
    }
    fprintf(f, "%.*s\n", len, text);
    if (col < 1)
        return;
    for (int i = 0; i < col - 1 && i < len; i++)
        fputc(text[i] == '\t' ? '\t' : ' ', f);
    fputs("^\n", f);
}

static void vreport(struct assembler *as, const char *kind, const struct asm_loc *loc,
                    const char *text, int len, const char *fmt, va_list ap)
{
    FILE *f = as->diag;
    if (loc->file < 0)
        fprintf(f, "%s: %s: ", file_name(as, loc->file), kind);
    else if (loc->col > 0)
        fprintf(f, "%s:%d:%d: %s: ", file_name(as, loc->file), loc->line, loc->col, kind);
    else
        fprintf(f, "%s:%d: %s: ", file_name(as, loc->file), loc->line, kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    show_line(f, text, len, loc->col);
}

/* Notes naming the macro expansions the current line comes from: the
 * innermost few and the outermost one (deep recursion would be a wall of
 * identical notes otherwise). */
static void macro_context(struct assembler *as)
{
    int depth = 0, shown = 0;
    for (int i = 0; i < as->nframes; i++)
        depth += as->frames[i].kind == FRAME_MACRO;
    for (int i = as->nframes - 1; i >= 0; i--) {
        struct asm_frame *fr = &as->frames[i];
        if (fr->kind != FRAME_MACRO)
            continue;
        shown++;
        if (shown > 3 && shown < depth) {
            if (shown == 4)
                fprintf(as->diag, "note: (%d more nested expansions not shown)\n", depth - 4);
            continue;
        }
        fprintf(as->diag, "%s:%d:%d: note: in expansion of macro '%s'\n",
                file_name(as, fr->call.file), fr->call.line, fr->call.col, fr->macro->name);
        show_line(as->diag, fr->call_text, (int)strlen(fr->call_text), fr->call.col);
    }
}

/* Count a diagnostic; returns the word to print, or NULL to stay silent
 * (pass 1 never prints: pass 2 finds the same problems again). */
static const char *count(struct assembler *as, int is_error)
{
    if (as->pass != 2) {
        if (is_error && ++as->pass1_errors > ASM_MAX_ERRORS)
            as->fatal = 1; /* pass 2 reports the first ones and gives up too */
        return NULL;
    }
    if (is_error || as->opt->werror) {
        /* A runaway source (a macro bomb, a fuzzed file) would otherwise
         * print millions of errors: stop after ASM_MAX_ERRORS. */
        if (++as->nerrors > ASM_MAX_ERRORS) {
            if (!as->fatal)
                fprintf(as->diag, "%s: error: more than %d errors; giving up\n", file_name(as, 0),
                        ASM_MAX_ERRORS);
            as->fatal = 1;
            return NULL;
        }
        return "error";
    }
    return ++as->nwarnings > ASM_MAX_ERRORS ? NULL : "warning";
}

static void report_here(struct assembler *as, int is_error, int col, const char *fmt, va_list ap)
{
    const char *kind = count(as, is_error);
    if (!kind)
        return;
    struct asm_loc loc = as->loc;
    loc.col = col;
    vreport(as, kind, &loc, as->line, as->line_len, fmt, ap);
    macro_context(as);
}

/* A diagnostic at a stored location, shown with that line of its file.
 * `kind` is NULL when count() decided to stay silent. */
static void report_at(struct assembler *as, const char *kind, const struct asm_loc *loc,
                      const char *fmt, va_list ap)
{
    if (!kind || as->pass != 2)
        return;
    int len = 0;
    const char *text = file_line(as, loc->file, loc->line, &len);
    vreport(as, kind, loc, text, len, fmt, ap);
}

void asm_error(struct assembler *as, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_here(as, 1, col, fmt, ap);
    va_end(ap);
}

void asm_warning(struct assembler *as, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_here(as, 0, col, fmt, ap);
    va_end(ap);
}

void asm_error_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_at(as, count(as, 1), loc, fmt, ap);
    va_end(ap);
}

void asm_warning_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_at(as, count(as, 0), loc, fmt, ap);
    va_end(ap);
}

void asm_note_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_at(as, "note", loc, fmt, ap);
    va_end(ap);
}

/* ---- Small helpers */

int asm_edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
    int row[64];
    if (alen >= 63 || blen >= 63)
        return 99;
    for (size_t j = 0; j <= blen; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= alen; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= blen; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[blen];
}

int asm_register_number(const char *name, size_t len)
{
    if (len < 2 || len > 4)
        return -1;
    for (unsigned i = 0; i < ISA_NREGS; i++) {
        const char *n = disasm_reg_name(i);
        if (n[0] == name[0] && n[1] == name[1] && strlen(n) == len && memcmp(n, name, len) == 0)
            return (int)i;
    }
    if (name[0] != 'r' || !isdigit((unsigned char)name[1]))
        return -1;
    if (len == 2)
        return name[1] - '0';
    if (len == 3 && name[1] == '1' && name[2] >= '0' && name[2] <= '5')
        return 10 + name[2] - '0';
    return -1;
}

int asm_is_register(const char *name, size_t len)
{
    return asm_register_number(name, len) >= 0;
}

uint32_t asm_cur_addr(const struct assembler *as)
{
    const struct asm_section *s = &as->sec[as->cur];
    return s->base + s->size;
}

int asm_cur_addr_early(const struct assembler *as)
{
    return as->sec[as->cur].base_early;
}

/* ---- Symbol table: open addressing on FNV-1a hashes */

static uint32_t hash_name(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void rehash(struct assembler *as)
{
    unsigned cap = as->hash_cap ? as->hash_cap * 2 : 1024;
    int *h = asm_xrealloc(as, NULL, cap * sizeof *h);
    for (unsigned i = 0; i < cap; i++)
        h[i] = -1;
    for (int k = 0; k < as->nsyms; k++) {
        const char *name = as->syms[k].name;
        unsigned i = hash_name(name, strlen(name)) & (cap - 1);
        while (h[i] >= 0)
            i = (i + 1) & (cap - 1);
        h[i] = k;
    }
    free(as->hash);
    as->hash = h;
    as->hash_cap = cap;
}

/* Slot where `name` is, or where it would go. */
static unsigned find_slot(const struct assembler *as, const char *name, size_t len)
{
    unsigned i = hash_name(name, len) & (as->hash_cap - 1);
    while (as->hash[i] >= 0) {
        const char *s = as->syms[as->hash[i]].name;
        if (strncmp(s, name, len) == 0 && s[len] == '\0')
            break;
        i = (i + 1) & (as->hash_cap - 1);
    }
    return i;
}

struct asm_symbol *asm_sym_find(struct assembler *as, const char *name, size_t len)
{
    if (!as->hash_cap)
        return NULL;
    int k = as->hash[find_slot(as, name, len)];
    return k >= 0 ? &as->syms[k] : NULL;
}

struct asm_symbol *asm_sym_get(struct assembler *as, const char *name, size_t len)
{
    struct asm_symbol *s = asm_sym_find(as, name, len);
    if (s)
        return s;
    if ((unsigned)(as->nsyms + 1) * 2 > as->hash_cap)
        rehash(as);
    if (as->nsyms == as->syms_cap) {
        as->syms_cap = as->syms_cap ? as->syms_cap * 2 : 256;
        as->syms = asm_xrealloc(as, as->syms, (size_t)as->syms_cap * sizeof *as->syms);
    }
    s = &as->syms[as->nsyms];
    memset(s, 0, sizeof *s);
    s->name = asm_strndup(as, name, len);
    s->section = -1;
    as->hash[find_slot(as, name, len)] = as->nsyms++;
    return s;
}

int asm_sym_value(struct assembler *as, const struct asm_symbol *s, struct asm_value *out)
{
    int this_pass = s->defined_pass == as->pass;
    if (!s->has_value)
        return -1;
    if (s->kind == SYM_LABEL) {
        const struct asm_section *sec = &as->sec[s->section];
        int early = this_pass && sec->base_early;
        if (as->pass == 1 && !early)
            return -1;
        out->v = (int64_t)sec->base + s->value;
        out->known = 1;
        out->early = early;
        return 0;
    }
    if (as->pass == 1 && !this_pass)
        return -1;
    out->v = s->value;
    out->known = 1;
    out->early = this_pass && s->early;
    return 0;
}

const char *asm_suggest_symbol(struct assembler *as, const char *name, size_t len)
{
    const char *best = NULL;
    int best_d = len <= 3 ? 2 : 3;
    /* each search reads every symbol: stop suggesting after many errors */
    if (as->symbol_hints >= ASM_MAX_SYMBOL_HINTS)
        return NULL;
    as->symbol_hints++;
    for (int i = 0; i < as->nsyms; i++) {
        const struct asm_symbol *s = &as->syms[i];
        if (!s->defined_pass)
            continue;
        int d = asm_edit_distance(name, len, s->name, strlen(s->name));
        if (d < best_d) {
            best_d = d;
            best = s->name;
        }
    }
    return best;
}

static void duplicate(struct assembler *as, const struct asm_symbol *s, int col)
{
    asm_error(as, col, "duplicate symbol '%s'", s->name);
    asm_note_at(as, &s->def, "'%s' was first defined here", s->name);
}

static int check_name(struct assembler *as, const char *name, size_t len, int col)
{
    if (asm_is_register(name, len)) {
        asm_error(as, col, "'%.*s' is a register name and cannot be a symbol", (int)len, name);
        return -1;
    }
    if (len == 1 && name[0] == '.') {
        asm_error(as, col, "'.' is the current address and cannot be defined");
        return -1;
    }
    return 0;
}

void asm_define_label(struct assembler *as, const char *name, size_t len, int col)
{
    if (check_name(as, name, len, col) < 0)
        return;
    struct asm_symbol *s = asm_sym_get(as, name, len);
    uint32_t off = as->sec[as->cur].size;
    if (s->defined_pass == as->pass) {
        duplicate(as, s, col);
        return;
    }
    if (as->pass == 2 && (s->kind != SYM_LABEL || s->section != as->cur || s->value != off)) {
        asm_error(as, col, "label '%s' moved between passes (internal assembler error)", s->name);
        return;
    }
    s->kind = SYM_LABEL;
    s->section = as->cur;
    s->value = off;
    s->has_value = 1;
    s->defined_pass = as->pass;
    if (as->pass == 1) {
        s->def = as->loc;
        s->def.col = col;
    }
}

void asm_define_const(struct assembler *as, const char *name, size_t len, int col,
                      const struct asm_value *v, enum asm_sym_kind kind)
{
    if (check_name(as, name, len, col) < 0)
        return;
    struct asm_symbol *s = asm_sym_get(as, name, len);
    if (s->defined_pass == as->pass && !(kind == SYM_SET && s->kind == SYM_SET)) {
        duplicate(as, s, col);
        return;
    }
    if (s->defined_pass == 0 || (as->pass == 1 && s->defined_pass != 1)) {
        s->def = as->loc;
        s->def.col = col;
    }
    s->kind = kind;
    s->section = -1;
    s->value = v->known ? v->v : 0;
    s->has_value = v->known;
    s->early = v->early;
    s->defined_pass = as->pass;
}

/* ---- Local numeric labels */

static struct asm_local *local_find(struct assembler *as, int64_t number, int create)
{
    for (int i = 0; i < as->nlocals; i++)
        if (as->locals[i].number == number)
            return &as->locals[i];
    if (!create)
        return NULL;
    if (as->nlocals == as->locals_cap) {
        as->locals_cap = as->locals_cap ? as->locals_cap * 2 : 16;
        as->locals = asm_xrealloc(as, as->locals, (size_t)as->locals_cap * sizeof *as->locals);
    }
    struct asm_local *l = &as->locals[as->nlocals++];
    memset(l, 0, sizeof *l);
    l->number = number;
    return l;
}

static void local_append(struct assembler *as, struct asm_local *l, int col)
{
    if (l->ndefs == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->section = asm_xrealloc(as, l->section, (size_t)l->cap * sizeof *l->section);
        l->offset = asm_xrealloc(as, l->offset, (size_t)l->cap * sizeof *l->offset);
        l->loc = asm_xrealloc(as, l->loc, (size_t)l->cap * sizeof *l->loc);
        l->used = asm_xrealloc(as, l->used, (size_t)l->cap);
    }
    l->section[l->ndefs] = as->cur;
    l->offset[l->ndefs] = as->sec[as->cur].size;
    l->loc[l->ndefs] = as->loc;
    l->loc[l->ndefs].col = col;
    l->used[l->ndefs] = 0;
    l->ndefs++;
}

void asm_define_local(struct assembler *as, int64_t number, int col)
{
    struct asm_local *l = local_find(as, number, 1);
    if (as->pass == 1) {
        local_append(as, l, col);
        l->seen++;
        return;
    }
    int k = l->seen++;
    if (k >= l->ndefs || l->section[k] != as->cur || l->offset[k] != as->sec[as->cur].size)
        asm_error(as, col, "local label '%lld' moved between passes (internal assembler error)",
                  (long long)number);
}

int asm_local_value(struct assembler *as, int64_t number, char dir, struct asm_value *out)
{
    struct asm_local *l = local_find(as, number, 0);
    int k = l ? (dir == 'b' ? l->seen - 1 : l->seen) : -1;
    if (as->pass == 1 && dir == 'f') {
        out->v = 0;
        out->known = 0;
        out->early = 0;
        return 0;
    }
    if (!l || k < 0 || k >= l->ndefs)
        return -1;
    const struct asm_section *sec = &as->sec[l->section[k]];
    out->early = dir == 'b' && sec->base_early;
    out->known = as->pass == 2 || out->early;
    out->v = (int64_t)sec->base + l->offset[k];
    if (as->pass == 2)
        l->used[k] = 1;
    return 0;
}

static void warn_unused_locals(struct assembler *as)
{
    for (int i = 0; i < as->nlocals; i++) {
        struct asm_local *l = &as->locals[i];
        for (int k = 0; k < l->ndefs; k++)
            if (!l->used[k])
                asm_warning_at(as, &l->loc[k], "local label '%lld' is never used",
                               (long long)l->number);
    }
}

/* ---- Statements */

static int split_operands(struct assembler *as, int first, struct asm_operands *ops)
{
    ops->n = 0;
    ops->b = asm_xrealloc(as, ops->b, (size_t)as->ntoks * sizeof(int));
    ops->e = asm_xrealloc(as, ops->e, (size_t)as->ntoks * sizeof(int));
    if (as->toks[first].kind == TK_END)
        return 0;
    int start = first, depth = 0;
    for (int i = first;; i++) {
        const struct asm_token *t = &as->toks[i];
        if (t->kind == TK_PUNCT && t->punct == P_LPAREN)
            depth++;
        if (t->kind == TK_PUNCT && t->punct == P_RPAREN && depth > 0)
            depth--;
        if (t->kind == TK_END || (t->kind == TK_PUNCT && t->punct == P_COMMA && depth == 0)) {
            if (i == start) {
                asm_error(as, t->col, "expected an operand %s",
                          t->kind == TK_END ? "after ','" : "before ','");
                return -1;
            }
            ops->b[ops->n] = start;
            ops->e[ops->n] = i;
            ops->n++;
            start = i + 1;
        }
        if (t->kind == TK_END)
            return 0;
    }
}

static int parse_labels(struct assembler *as)
{
    int i = 0;
    for (;;) {
        const struct asm_token *t = &as->toks[i];
        if (!asm_tok_punct(&as->toks[i + 1], P_COLON) || t->kind == TK_END)
            return i;
        if (t->kind == TK_IDENT)
            asm_define_label(as, t->text, (size_t)t->len, t->col);
        else if (t->kind == TK_NUM && t->decimal)
            asm_define_local(as, t->value, t->col);
        else
            return i;
        i += 2;
    }
}

static void unknown_mnemonic(struct assembler *as, const struct asm_token *t)
{
    const char *s = asm_suggest_mnemonic(as, t->text, (size_t)t->len);
    if (s)
        asm_error(as, t->col, "unknown mnemonic '%.*s'; did you mean '%s'?", t->len, t->text, s);
    else
        asm_error(as, t->col, "unknown mnemonic '%.*s'", t->len, t->text);
}

static void unknown_directive(struct assembler *as, const struct asm_token *t)
{
    const char *best = NULL;
    int best_d = 3;
    for (const char *const *d = asm_directive_names; *d; d++) {
        int dist = asm_edit_distance(t->text, (size_t)t->len, *d, strlen(*d));
        if (dist < best_d) {
            best_d = dist;
            best = *d;
        }
    }
    if (best)
        asm_error(as, t->col, "unknown directive '%.*s'; did you mean '%s'?", t->len, t->text,
                  best);
    else
        asm_error(as, t->col, "unknown directive '%.*s'", t->len, t->text);
}

static void statement(struct assembler *as, struct asm_operands *ops)
{
    int mi = parse_labels(as);
    const struct asm_token *t = &as->toks[mi];
    if (t->kind == TK_END)
        return;
    if (t->kind != TK_IDENT) {
        asm_error(as, t->col, "expected a label, an instruction or a directive");
        return;
    }
    if (split_operands(as, mi + 1, ops) < 0)
        return;
    if (t->text[0] == '.') {
        uint32_t addr = asm_cur_addr(as);
        int sec = as->cur;
        if (!asm_directive_source(as, mi, ops->n, ops->b, ops->e) &&
            !asm_directive_data(as, mi, ops->n, ops->b, ops->e))
            unknown_directive(as, t);
        /* Data or another place in between: an instruction misaligned
         * after it is another mistake, reported on its own. */
        if (asm_cur_addr(as) != addr || as->cur != sec)
            as->misaligned_run = 0;
        return;
    }
    if (asm_instruction(as, mi, ops->n, ops->b, ops->e) == 0)
        return;
    struct asm_macro *m = asm_macro_find(as, t->text, (size_t)t->len);
    if (m)
        asm_expand_macro(as, m, mi, ops->n, ops->b, ops->e);
    else
        unknown_mnemonic(as, t);
}

static void process_line(struct assembler *as, struct asm_operands *ops)
{
    as->line_is_code = 0;
    as->line_start_sec = as->cur;
    as->line_start_addr = asm_cur_addr(as);
    as->line_start_off = as->sec[as->cur].size;
    if (as->recording)
        asm_handle_recording(as);
    else if (as->nconds && !as->conds[as->nconds - 1].active)
        asm_handle_skipping(as);
    else if (asm_tokenize(as) == 0)
        statement(as, ops);
    if (as->pass == 2 && as->opt->listing)
        asm_list_line(as);
}

/* ---- Passes */

static const char *const sec_names[ASM_NSECS] = {".text", ".data", ".bss"};
static const uint32_t sec_flags[ASM_NSECS] = {IMAGE_SEC_EXEC, IMAGE_SEC_WRITE, IMAGE_SEC_WRITE};

static uint32_t align_up(uint64_t v, uint32_t a)
{
    uint64_t r = (v + a - 1) & ~(uint64_t)(a - 1);
    return r > 0xffffffffu ? 0xffffffffu : (uint32_t)r;
}

/* After pass 1: every section's final address. */
static void place_sections(struct assembler *as)
{
    for (int i = 0; i < ASM_NSECS; i++) {
        struct asm_section *s = &as->sec[i];
        if (i > 0 && !s->base_from_org) {
            const struct asm_section *prev = &as->sec[i - 1];
            uint32_t a = s->max_align > 16 ? s->max_align : 16;
            s->base = align_up((uint64_t)prev->base + prev->size, a);
        }
        s->base_known = 1;
    }
}

/* -D NAME=VALUE, assembled as if ".equ NAME, VALUE" were written. */
static void predefine(struct assembler *as, struct asm_operands *ops)
{
    for (size_t i = 0; i < as->opt->n_defines; i++) {
        const char *d = as->opt->defines[i];
        const char *eq = strchr(d, '=');
        size_t cap = strlen(d) + 16;
        char *line = asm_xrealloc(as, NULL, cap);
        int n = eq ? snprintf(line, cap, ".equ %.*s, %s", (int)(eq - d), d, eq + 1)
                   : snprintf(line, cap, ".equ %s, 1", d);
        as->line = line;
        as->line_len = n;
        as->loc.file = -1;
        as->loc.line = 1;
        if (asm_tokenize(as) == 0)
            statement(as, ops);
        free(line);
    }
}

static void run_pass(struct assembler *as, int pass, struct asm_operands *ops)
{
    as->pass = pass;
    as->cur = SEC_TEXT;
    as->fatal = 0;
    as->pass1_errors = 0;
    as->lines_done = 0;
    as->misaligned_run = 0;
    as->macro_counter = 0;
    for (int i = 0; i < ASM_NSECS; i++) {
        struct asm_section *s = &as->sec[i];
        s->name = sec_names[i];
        s->flags = sec_flags[i];
        s->size = 0;
        s->base_early = i == SEC_TEXT;
        s->base_from_org = 0;
        if (pass == 1) {
            s->base = 0;
            s->base_known = i == SEC_TEXT;
            s->max_align = 1;
        }
    }
    for (int i = 0; i < as->nlocals; i++)
        as->locals[i].seen = 0;
    predefine(as, ops);
    as->frames[0].kind = FRAME_FILE;
    as->frames[0].file = 0;
    as->frames[0].pos = 0;
    as->frames[0].line = 0;
    as->frames[0].cond_depth = 0;
    as->nframes = 1;
    while (!as->fatal && asm_next_line(as))
        process_line(as, ops);
    asm_end_of_pass_source(as);
}

/* ---- Building the image */

/* A symbol on its way into the image, with the section it belongs to. */
struct out_sym {
    struct image_symbol sym; /* as it goes into the image */
    int section;             /* SEC_* for labels, -1 for constants */
};

static int out_sym_compare(const void *a, const void *b)
{
    const struct out_sym *x = a, *y = b;
    if (x->sym.value != y->sym.value)
        return x->sym.value < y->sym.value ? -1 : 1;
    return strcmp(x->sym.name, y->sym.name);
}

/* Labels are as big as the distance to the next label in their section. */
static void label_sizes(struct assembler *as, struct out_sym *syms, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (syms[i].section < 0)
            continue;
        const struct asm_section *s = &as->sec[syms[i].section];
        uint64_t end = (uint64_t)s->base + s->size;
        for (uint32_t j = i + 1; j < n; j++) {
            if (syms[j].section == syms[i].section && syms[j].sym.value > syms[i].sym.value) {
                end = syms[j].sym.value;
                break;
            }
        }
        syms[i].sym.size = end > syms[i].sym.value ? (uint32_t)(end - syms[i].sym.value) : 0;
    }
}

/* The image's symbol table: every defined symbol, sorted by value. */
static uint32_t collect_symbols(struct assembler *as, struct image_symbol **out)
{
    struct out_sym *os = asm_xrealloc(as, NULL, (size_t)(as->nsyms + 1) * sizeof *os);
    uint32_t n = 0;
    for (int i = 0; i < as->nsyms; i++) {
        struct asm_symbol *s = &as->syms[i];
        if (s->global && s->defined_pass != 2)
            asm_error_at(as, &s->global_loc, "'%s' is declared .global but never defined", s->name);
        if (s->defined_pass != 2 || !s->has_value)
            continue;
        struct out_sym *o = &os[n++];
        o->sym.name = s->name;
        o->sym.size = 0;
        o->section = s->kind == SYM_LABEL ? s->section : -1;
        if (s->kind == SYM_LABEL) {
            o->sym.value = (uint32_t)(as->sec[s->section].base + s->value);
            o->sym.kind = s->global ? IMAGE_SYM_GLOBAL : IMAGE_SYM_LABEL;
        } else {
            o->sym.value = (uint32_t)s->value;
            o->sym.kind = IMAGE_SYM_CONST;
        }
    }
    qsort(os, n, sizeof *os, out_sym_compare);
    label_sizes(as, os, n);
    struct image_symbol *syms = asm_xrealloc(as, NULL, (size_t)(n + 1) * sizeof *syms);
    for (uint32_t i = 0; i < n; i++)
        syms[i] = os[i].sym;
    free(os);
    *out = syms;
    return n;
}

static int check_overlap(struct assembler *as)
{
    for (int i = 0; i < ASM_NSECS; i++) {
        for (int j = i + 1; j < ASM_NSECS; j++) {
            const struct asm_section *a = &as->sec[i], *b = &as->sec[j];
            uint64_t ae = (uint64_t)a->base + a->size, be = (uint64_t)b->base + b->size;
            if (a->size && b->size && a->base < be && b->base < ae) {
                as->nerrors++;
                fprintf(as->diag,
                        "%s: error: sections %s (0x%08x..0x%08llx) and %s (0x%08x..0x%08llx) "
                        "overlap\n",
                        file_name(as, 0), a->name, a->base, (unsigned long long)ae, b->name,
                        b->base, (unsigned long long)be);
                return -1;
            }
        }
    }
    return 0;
}

static int build_image(struct assembler *as, struct image *out)
{
    struct image img;
    struct image_section secs[ASM_NSECS];
    char err[256];
    memset(&img, 0, sizeof img);
    img.sections = secs;
    for (int i = 0; i < ASM_NSECS; i++) {
        const struct asm_section *s = &as->sec[i];
        if (!s->size)
            continue;
        secs[img.nsections].addr = s->base;
        secs[img.nsections].file_size = i == SEC_BSS ? 0 : s->size;
        secs[img.nsections].mem_size = s->size;
        secs[img.nsections].flags = s->flags;
        secs[img.nsections].data = s->data;
        img.nsections++;
    }
    img.nsymbols = collect_symbols(as, &img.symbols);
    struct asm_symbol *start = asm_sym_find(as, "_start", 6);
    img.entry = as->sec[SEC_TEXT].base;
    if (start && start->defined_pass == 2 && start->kind == SYM_LABEL)
        img.entry = (uint32_t)(as->sec[start->section].base + start->value);
    if (as->nerrors || check_overlap(as) < 0) {
        free(img.symbols);
        return -1;
    }
    uint8_t *bytes = NULL;
    size_t len = image_serialise(&img, &bytes);
    free(img.symbols);
    if (!len || image_parse(out, bytes, len, err, sizeof err) < 0) {
        fprintf(as->diag, "%s: error: cannot build the image: %s\n", file_name(as, 0),
                len ? err : "too large");
        as->nerrors++;
        free(bytes);
        return -1;
    }
    free(bytes);
    return 0;
}

/* ---- Entry points */

static void free_all(struct assembler *as)
{
    asm_free_source(as);
    for (int i = 0; i < as->nfiles; i++) {
        free(as->files[i].path);
        free(as->files[i].real);
        free(as->files[i].text);
    }
    free(as->files);
    for (int i = 0; i < ASM_NSECS; i++)
        free(as->sec[i].data);
    for (int i = 0; i < as->nsyms; i++)
        free(as->syms[i].name);
    free(as->syms);
    free(as->hash);
    for (int i = 0; i < as->nlocals; i++) {
        free(as->locals[i].section);
        free(as->locals[i].offset);
        free(as->locals[i].loc);
        free(as->locals[i].used);
    }
    free(as->locals);
    free(as->frames);
    free(as->conds);
    free(as->toks);
    free(as->strbuf);
    free(as->expand);
    for (size_t i = 0; i < as->nlist; i++)
        free(as->list[i].text);
    free(as->list);
}

static int assemble(struct assembler *as, struct image *out)
{
    jmp_buf env;
    volatile int rc = -1;
    as->oom = &env;
    if (setjmp(env) == 0) {
        as->frames = asm_xrealloc(as, NULL, 8 * sizeof *as->frames);
        as->frames_cap = 8;
        run_pass(as, 1, &as->ops);
        place_sections(as);
        run_pass(as, 2, &as->ops);
        warn_unused_locals(as);
        if (build_image(as, out) == 0 && as->nerrors == 0) {
            rc = 0;
            if (as->opt->listing)
                asm_write_listing(as, as->opt->listing);
            if (as->opt->map)
                asm_write_map(as, out, as->opt->map);
        } else {
            image_free(out);
        }
    } else {
        image_free(out);
    }
    free(as->ops.b);
    free(as->ops.e);
    free_all(as);
    return rc;
}

static void init(struct assembler *as, const struct asm_options *opt, FILE *diag)
{
    static const struct asm_options defaults;
    memset(as, 0, sizeof *as);
    as->opt = opt ? opt : &defaults;
    as->diag = diag ? diag : stderr;
}

/* Register the main file as files[0]. */
static void add_main(struct assembler *as, const char *name, char *text, size_t len)
{
    as->files = calloc(4, sizeof *as->files);
    if (!as->files)
        return; /* the caller reports it */
    as->files_cap = 4;
    as->nfiles = 1;
    as->files[0].path = strdup(name);
    as->files[0].real = realpath(name, NULL);
    as->files[0].text = text;
    as->files[0].len = len;
}

int asm_assemble_string(const char *name, const char *text, size_t len,
                        const struct asm_options *opt, struct image *out, FILE *diag)
{
    struct assembler as;
    init(&as, opt, diag);
    memset(out, 0, sizeof *out);
    char *copy = malloc(len + 1);
    if (!copy) {
        fprintf(as.diag, "%s: error: out of memory\n", name);
        return -1;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    add_main(&as, name, copy, len);
    if (!as.files || !as.files[0].path) {
        fprintf(as.diag, "%s: error: out of memory\n", name);
        free_all(&as);
        return -1;
    }
    return assemble(&as, out);
}

int asm_assemble_file(const char *path, const struct asm_options *opt, struct image *out,
                      FILE *diag)
{
    FILE *f = fopen(path, "rb");
    memset(out, 0, sizeof *out);
    if (!f) {
        fprintf(diag ? diag : stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                fprintf(diag ? diag : stderr, "%s: error: out of memory\n", path);
                return -1;
            }
            text = t;
        }
        n = fread(text + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        fprintf(diag ? diag : stderr, "%s: error: cannot read the file\n", path);
        return -1;
    }
    int rc = asm_assemble_string(path, text, len, opt, out, diag);
    free(text);
    return rc;
}
