/*
 * asm_source.c - where lines come from: files, .include, macro expansion,
 * and conditional assembly (.if/.else/.endif).
 *
 * A stack of frames produces lines: the main file at the bottom, then any
 * .include'd file or macro expansion on top.  A frame that runs out of
 * lines is popped.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asm_internal.h"

/* ---- Frames */

static struct asm_frame *push_frame(struct assembler *as, enum asm_frame_kind kind)
{
    if (as->nframes == as->frames_cap) {
        as->frames_cap *= 2;
        as->frames = asm_xrealloc(as, as->frames, (size_t)as->frames_cap * sizeof *as->frames);
    }
    struct asm_frame *fr = &as->frames[as->nframes++];
    memset(fr, 0, sizeof *fr);
    fr->kind = kind;
    fr->cond_depth = as->nconds;
    return fr;
}

static void free_frame(struct asm_frame *fr)
{
    if (fr->kind == FRAME_MACRO) {
        for (int i = 0; i < fr->macro->nparams; i++)
            free(fr->args[i]);
        free(fr->args);
        free(fr->call_text);
    }
}

/* End of the top frame: complain about what it left open, then drop it. */
static void pop_frame(struct assembler *as)
{
    struct asm_frame *fr = &as->frames[as->nframes - 1];
    while (as->nconds > fr->cond_depth) {
        struct asm_cond *c = &as->conds[--as->nconds];
        asm_error_at(as, &c->loc, "'.if' without a matching '.endif'");
    }
    if (as->recording && as->record_frame == as->nframes - 1) {
        asm_error_at(as, &as->recording->def, "'.macro %s' without a matching '.endm'",
                     as->recording->name);
        as->recording = NULL;
    }
    free_frame(fr);
    as->nframes--;
}

void asm_end_of_pass_source(struct assembler *as)
{
    while (as->nframes > 0)
        pop_frame(as);
    as->nconds = 0;
    as->recording = NULL;
}

/* Free what a macro owns (not the struct itself). */
static void free_macro(struct asm_macro *m)
{
    free(m->name);
    for (int k = 0; k < m->nparams; k++)
        free(m->params[k]);
    free(m->params);
    for (int k = 0; k < m->nlines; k++)
        free(m->lines[k].text);
    free(m->lines);
    memset(m, 0, sizeof *m);
}

void asm_free_source(struct assembler *as)
{
    asm_end_of_pass_source(as);
    for (int i = 0; i < as->nmacros; i++)
        free_macro(&as->macros[i]);
    free(as->macros);
    free_macro(&as->discard);
}

/* ---- Reading lines */

static void expand_put(struct assembler *as, size_t *n, const char *s, size_t len)
{
    if (*n + len + 1 > as->expand_cap) {
        as->expand_cap = (*n + len + 1) * 2;
        as->expand = asm_xrealloc(as, as->expand, as->expand_cap);
    }
    memcpy(as->expand + *n, s, len);
    *n += len;
}

/* A macro body line with \param and \@ replaced, into as->expand. */
static size_t substitute(struct assembler *as, const struct asm_frame *fr, const char *text)
{
    size_t n = 0;
    const struct asm_macro *m = fr->macro;
    for (const char *p = text; *p;) {
        if (p[0] == '\\' && p[1] == '@') {
            char num[16];
            expand_put(as, &n, num, (size_t)snprintf(num, sizeof num, "%u", fr->counter));
            p += 2;
            continue;
        }
        if (p[0] == '\\' && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
            size_t len = 1;
            while (isalnum((unsigned char)p[1 + len]) || p[1 + len] == '_')
                len++;
            int k = 0;
            while (k < m->nparams &&
                   !(strlen(m->params[k]) == len && memcmp(m->params[k], p + 1, len) == 0))
                k++;
            if (k < m->nparams) {
                expand_put(as, &n, fr->args[k], strlen(fr->args[k]));
                p += 1 + len;
                continue;
            }
        }
        expand_put(as, &n, p, 1);
        p++;
    }
    expand_put(as, &n, "", 0);
    as->expand[n] = '\0';
    return n;
}

int asm_next_line(struct assembler *as)
{
    while (as->nframes > 0) {
        struct asm_frame *fr = &as->frames[as->nframes - 1];
        if (fr->kind == FRAME_FILE) {
            const struct asm_file *f = &as->files[fr->file];
            if (fr->pos >= f->len) {
                pop_frame(as);
                continue;
            }
            const char *start = f->text + fr->pos;
            const char *nl = memchr(start, '\n', f->len - fr->pos);
            size_t len = nl ? (size_t)(nl - start) : f->len - fr->pos;
            fr->pos += len + (nl != NULL);
            if (len > 0 && start[len - 1] == '\r')
                len--;
            as->line = start;
            as->line_len = len > INT32_MAX / 2 ? INT32_MAX / 2 : (int)len;
        } else {
            if (fr->next >= fr->macro->nlines) {
                pop_frame(as);
                continue;
            }
            const struct asm_macro_line *ml = &fr->macro->lines[fr->next++];
            size_t len = substitute(as, fr, ml->text);
            fr->line = ml->line - 1;
            as->line = as->expand;
            as->line_len = len > INT32_MAX / 2 ? INT32_MAX / 2 : (int)len;
        }
        fr->line++;
        as->loc.file = fr->file;
        as->loc.line = fr->line;
        as->loc.col = 0;
        if (++as->lines_done > ASM_MAX_LINES) {
            asm_error(as, 0, "more than %lu lines to assemble (runaway macros?)", ASM_MAX_LINES);
            as->fatal = 1;
            return 0;
        }
        return 1;
    }
    return 0;
}

/* ---- Files and .include */

static int load_file(struct assembler *as, const char *path, const char *real)
{
    for (int i = 0; i < as->nfiles; i++)
        if (as->files[i].real && strcmp(as->files[i].real, real) == 0)
            return i;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 4097 > cap) {
            cap = cap ? cap * 2 : 16384;
            text = asm_xrealloc(as, text, cap);
        }
        n = fread(text + len, 1, cap - len - 1, f);
        len += n;
    } while (n > 0);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        return -1;
    }
    text[len] = '\0';
    if (as->nfiles == as->files_cap) {
        as->files_cap *= 2;
        as->files = asm_xrealloc(as, as->files, (size_t)as->files_cap * sizeof *as->files);
    }
    struct asm_file *af = &as->files[as->nfiles];
    af->path = asm_strndup(as, path, strlen(path));
    af->real = asm_strndup(as, real, strlen(real));
    af->text = text;
    af->len = len;
    return as->nfiles++;
}

static int is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Try dir/name; on success *out holds the malloc'd path. */
static int try_dir(struct assembler *as, const char *dir, const char *name, char **out)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = asm_xrealloc(as, NULL, n);
    if (dir[0])
        snprintf(p, n, "%s/%s", dir, name);
    else
        snprintf(p, n, "%s", name);
    if (is_regular(p)) {
        *out = p;
        return 1;
    }
    free(p);
    return 0;
}

/* Find an include file: absolute, else the including file's folder, then -I. */
static char *find_include(struct assembler *as, const char *name)
{
    char *found = NULL;
    if (name[0] == '/')
        return is_regular(name) ? asm_strndup(as, name, strlen(name)) : NULL;
    if (as->loc.file >= 0) {
        char *copy =
            asm_strndup(as, as->files[as->loc.file].path, strlen(as->files[as->loc.file].path));
        const char *dir = dirname(copy);
        int ok = try_dir(as, strcmp(dir, ".") == 0 ? "" : dir, name, &found);
        free(copy);
        if (ok)
            return found;
    }
    for (size_t i = 0; i < as->opt->n_include_dirs; i++)
        if (try_dir(as, as->opt->include_dirs[i], name, &found))
            return found;
    return NULL;
}

static int include_depth(const struct assembler *as)
{
    int n = 0;
    for (int i = 0; i < as->nframes; i++)
        n += as->frames[i].kind == FRAME_FILE;
    return n;
}

static void do_include(struct assembler *as, const struct asm_token *t, int nops)
{
    if (nops != 1 || t->kind != TK_STR || t[1].kind != TK_END) {
        asm_error(as, t->col, "'.include' expects one file name in double quotes");
        return;
    }
    char *name = asm_strndup(as, asm_str(as, t), t->str_len);
    char *path = find_include(as, name);
    if (!path) {
        struct stat st;
        if (stat(name, &st) == 0) /* there, but a directory or a device */
            asm_error(as, t->col, "include file '%s' is %s", name,
                      S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
        else
            asm_error(as, t->col, "cannot find include file '%s'", name);
        free(name);
        return;
    }
    char *real = realpath(path, NULL);
    for (int i = 0; real && i < as->nframes; i++) {
        const struct asm_frame *fr = &as->frames[i];
        const char *other = as->files[fr->file].real;
        if (fr->kind == FRAME_FILE && other && strcmp(other, real) == 0) {
            if (fr == &as->frames[as->nframes - 1])
                asm_error(as, t->col, "'%s' includes itself", name);
            else
                asm_error(as, t->col, "'%s' is already being included (include cycle)", name);
            goto out;
        }
    }
    if (include_depth(as) >= ASM_MAX_INCLUDE_DEPTH) {
        asm_error(as, t->col, "includes nested more than %d deep", ASM_MAX_INCLUDE_DEPTH);
        goto out;
    }
    int file = real ? load_file(as, path, real) : -1;
    if (file < 0) {
        asm_error(as, t->col, "cannot read include file '%s': %s", path, strerror(errno));
        goto out;
    }
    struct asm_frame *fr = push_frame(as, FRAME_FILE);
    fr->file = file;
out:
    free(real);
    free(path);
    free(name);
}

/* ---- Macros */

struct asm_macro *asm_macro_find(struct assembler *as, const char *name, size_t len)
{
    for (int i = 0; i < as->nmacros; i++) {
        struct asm_macro *m = &as->macros[i];
        if (m->defined_pass == as->pass && strlen(m->name) == len &&
            memcmp(m->name, name, len) == 0)
            return m;
    }
    return NULL;
}

static struct asm_macro *macro_slot(struct assembler *as, const struct asm_token *name)
{
    for (int i = 0; i < as->nmacros; i++) {
        struct asm_macro *m = &as->macros[i];
        if (strlen(m->name) == (size_t)name->len && memcmp(m->name, name->text, name->len) == 0)
            return m;
    }
    if (as->nmacros == as->macros_cap) {
        as->macros_cap = as->macros_cap ? as->macros_cap * 2 : 8;
        as->macros = asm_xrealloc(as, as->macros, (size_t)as->macros_cap * sizeof *as->macros);
    }
    struct asm_macro *m = &as->macros[as->nmacros++];
    memset(m, 0, sizeof *m);
    m->name = asm_strndup(as, name->text, (size_t)name->len);
    return m;
}

static int macro_name_ok(struct assembler *as, const struct asm_token *name)
{
    if (name->kind != TK_IDENT || name->text[0] == '.') {
        asm_error(as, name->col, "expected a macro name after '.macro'");
        return 0;
    }
    if (asm_is_mnemonic(name->text, (size_t)name->len)) {
        asm_error(as, name->col, "'%.*s' is an instruction; a macro cannot replace it", name->len,
                  name->text);
        return 0;
    }
    return 1;
}

/* After an error on its .macro line, read the body up to its .endm and
 * drop it: its lines are no code, and its .endm no stray one. */
static void discard_body(struct assembler *as, const struct asm_token *name)
{
    struct asm_macro *d = &as->discard;
    free_macro(d);
    d->name = name->kind == TK_IDENT ? asm_strndup(as, name->text, (size_t)name->len)
                                     : asm_strndup(as, "", 0);
    d->def = as->loc;
    d->def.col = name->col;
    as->recording = d;
    as->record_depth = 0;
    as->record_frame = as->nframes - 1;
}

static void define_macro(struct assembler *as, int di)
{
    const struct asm_token *name = &as->toks[di + 1];
    if (!macro_name_ok(as, name)) {
        discard_body(as, name);
        return;
    }
    struct asm_macro *m = asm_macro_find(as, name->text, (size_t)name->len);
    if (m) {
        asm_error(as, name->col, "macro '%.*s' is already defined", name->len, name->text);
        asm_note_at(as, &m->def, "'%s' was first defined here", m->name);
        discard_body(as, name);
        return;
    }
    m = macro_slot(as, name);
    for (int k = 0; k < m->nparams; k++)
        free(m->params[k]);
    for (int k = 0; k < m->nlines; k++)
        free(m->lines[k].text);
    m->nparams = 0;
    m->nlines = 0;
    m->file = as->loc.file;
    m->def = as->loc;
    m->def.col = name->col;
    m->defined_pass = as->pass;
    for (int i = di + 2; as->toks[i].kind != TK_END; i++) {
        const struct asm_token *t = &as->toks[i];
        if (asm_tok_punct(t, P_COMMA))
            continue;
        if (t->kind != TK_IDENT || t->text[0] == '.') {
            asm_error(as, t->col, "expected a parameter name");
            break;
        }
        m->params = asm_xrealloc(as, m->params, (size_t)(m->nparams + 1) * sizeof *m->params);
        m->params[m->nparams++] = asm_strndup(as, t->text, (size_t)t->len);
    }
    as->recording = m;
    as->record_depth = 0;
    as->record_frame = as->nframes - 1;
}

/* The first word of the current line, skipping blanks. */
static const char *first_word(const struct assembler *as, int *len)
{
    int i = 0, n = as->line_len;
    while (i < n && isspace((unsigned char)as->line[i]))
        i++;
    int start = i;
    while (i < n &&
           (isalnum((unsigned char)as->line[i]) || as->line[i] == '.' || as->line[i] == '_'))
        i++;
    *len = i - start;
    return as->line + start;
}

static int word_is(const char *w, int len, const char *s)
{
    return (size_t)len == strlen(s) && memcmp(w, s, (size_t)len) == 0;
}

int asm_handle_recording(struct assembler *as)
{
    int len;
    const char *w = first_word(as, &len);
    struct asm_macro *m = as->recording;
    if (word_is(w, len, ".endm")) {
        if (as->record_depth == 0) {
            as->recording = NULL;
            return 0;
        }
        as->record_depth--;
    } else if (word_is(w, len, ".macro")) {
        as->record_depth++;
    }
    if (m->nlines == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->lines = asm_xrealloc(as, m->lines, (size_t)m->cap * sizeof *m->lines);
    }
    m->lines[m->nlines].text = asm_strndup(as, as->line, (size_t)as->line_len);
    m->lines[m->nlines].line = as->loc.line;
    m->nlines++;
    return 0;
}

int asm_expand_macro(struct assembler *as, struct asm_macro *m, int mi, int nops, const int *ob,
                     const int *oe)
{
    const struct asm_token *t = &as->toks[mi];
    int depth = 0;
    for (int i = 0; i < as->nframes; i++)
        depth += as->frames[i].kind == FRAME_MACRO;
    if (nops != m->nparams) {
        asm_error(as, nops > m->nparams ? as->toks[ob[m->nparams]].col : t->col,
                  "macro '%s' takes %d argument%s, got %d", m->name, m->nparams,
                  m->nparams == 1 ? "" : "s", nops);
        return -1;
    }
    if (depth >= ASM_MAX_MACRO_DEPTH) {
        asm_error(as, t->col, "macro recursion too deep (more than %d nested expansions)",
                  ASM_MAX_MACRO_DEPTH);
        return -1;
    }
    if (as->macro_counter >= ASM_MAX_EXPANSIONS) {
        asm_error(as, t->col, "more than %u macro expansions (runaway recursion?)",
                  ASM_MAX_EXPANSIONS);
        as->fatal = 1;
        return -1;
    }
    char **args = asm_xrealloc(as, NULL, (size_t)(m->nparams + 1) * sizeof *args);
    for (int k = 0; k < nops; k++) {
        const struct asm_token *b = &as->toks[ob[k]], *e = &as->toks[oe[k] - 1];
        args[k] = asm_strndup(as, b->text, (size_t)(e->text + e->len - b->text));
    }
    char *call_text = asm_strndup(as, as->line, (size_t)as->line_len);
    struct asm_loc call = as->loc;
    call.col = t->col;
    struct asm_frame *fr = push_frame(as, FRAME_MACRO);
    fr->file = m->file;
    fr->macro = m;
    fr->args = args;
    fr->call = call;
    fr->call_text = call_text;
    fr->counter = as->macro_counter++;
    return 0;
}

/* ---- Conditional assembly */

static struct asm_cond *push_cond(struct assembler *as, int parent, int active, int col)
{
    if (as->nconds == as->conds_cap) {
        as->conds_cap = as->conds_cap ? as->conds_cap * 2 : 8;
        as->conds = asm_xrealloc(as, as->conds, (size_t)as->conds_cap * sizeof *as->conds);
    }
    struct asm_cond *c = &as->conds[as->nconds++];
    c->parent = parent;
    c->active = parent && active;
    c->done = c->active;
    c->seen_else = 0;
    c->loc = as->loc;
    c->loc.col = col;
    return c;
}

/* .else / .endif, whether or not the lines before were being assembled. */
static void cond_else_endif(struct assembler *as, int is_else, int col)
{
    int own = as->nconds > as->frames[as->nframes - 1].cond_depth;
    if (!own) {
        asm_error(as, col, "'%s' without '.if'", is_else ? ".else" : ".endif");
        return;
    }
    struct asm_cond *c = &as->conds[as->nconds - 1];
    if (!is_else) {
        as->nconds--;
        return;
    }
    if (c->seen_else) {
        asm_error(as, col, "a second '.else' for the same '.if'");
        return;
    }
    c->seen_else = 1;
    c->active = c->parent && !c->done;
    c->done = 1;
}

int asm_handle_skipping(struct assembler *as)
{
    int len;
    const char *w = first_word(as, &len);
    int col = (int)(w - as->line) + 1;
    if (word_is(w, len, ".if") || word_is(w, len, ".ifdef") || word_is(w, len, ".ifndef"))
        push_cond(as, 0, 0, col);
    else if (word_is(w, len, ".else"))
        cond_else_endif(as, 1, col);
    else if (word_is(w, len, ".endif"))
        cond_else_endif(as, 0, col);
    return 0;
}

static void do_if(struct assembler *as, int di, int nops, const int *ob, const int *oe)
{
    const struct asm_token *d = &as->toks[di];
    struct asm_value v = {0, 0, 0};
    if (asm_tok_is(d, ".if")) {
        if (nops != 1)
            asm_error(as, d->col, "'.if' expects one expression");
        else
            asm_expr_early(as, ob[0], oe[0], "the condition of '.if'", &v);
        push_cond(as, 1, v.v != 0, d->col);
        return;
    }
    const struct asm_token *name = &as->toks[di + 1];
    int defined = 0;
    if (nops != 1 || name->kind != TK_IDENT || oe[0] != di + 2) {
        asm_error(as, d->col, "'%.*s' expects one symbol name", d->len, d->text);
    } else {
        struct asm_symbol *s = asm_sym_find(as, name->text, (size_t)name->len);
        defined = (s && s->defined_pass == as->pass) ||
                  asm_macro_find(as, name->text, (size_t)name->len) != NULL;
    }
    push_cond(as, 1, asm_tok_is(d, ".ifdef") ? defined : !defined, d->col);
}

/* ---- Directives handled here */

static void message_directive(struct assembler *as, int di, int nops, int is_error)
{
    const struct asm_token *d = &as->toks[di], *s = &as->toks[di + 1];
    if (nops != 1 || s->kind != TK_STR || s[1].kind != TK_END) {
        asm_error(as, d->col, "'%.*s' expects one message in double quotes", d->len, d->text);
        return;
    }
    if (is_error)
        asm_error(as, d->col, "%.*s", (int)s->str_len, asm_str(as, s));
    else
        asm_warning(as, d->col, "%.*s", (int)s->str_len, asm_str(as, s));
}

int asm_directive_source(struct assembler *as, int di, int nops, const int *ob, const int *oe)
{
    const struct asm_token *d = &as->toks[di];
    if (asm_tok_is(d, ".include"))
        do_include(as, &as->toks[di + 1], nops);
    else if (asm_tok_is(d, ".macro"))
        define_macro(as, di);
    else if (asm_tok_is(d, ".endm"))
        asm_error(as, d->col, "'.endm' without '.macro'");
    else if (asm_tok_is(d, ".if") || asm_tok_is(d, ".ifdef") || asm_tok_is(d, ".ifndef"))
        do_if(as, di, nops, ob, oe);
    else if (asm_tok_is(d, ".else"))
        cond_else_endif(as, 1, d->col);
    else if (asm_tok_is(d, ".endif"))
        cond_else_endif(as, 0, d->col);
    else if (asm_tok_is(d, ".error"))
        message_directive(as, di, nops, 1);
    else if (asm_tok_is(d, ".warning"))
        message_directive(as, di, nops, 0);
    else
        return 0;
    return 1;
}
