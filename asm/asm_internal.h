/*
 * asm_internal.h - the assembler's private data structures, shared by its
 * source files:
 *
 *   assembler.c   passes, symbol table, diagnostics, building the image
 *   asm_lexer.c   one line of text -> tokens
 *   asm_expr.c    constant expressions
 *   asm_source.c  files, .include, .macro, .if: where lines come from
 *   asm_directives.c  the data and section directives
 *   asm_encode.c  instructions and pseudo-instructions -> words
 *   asm_output.c  listing and map files
 *
 * How it works: the whole source is read twice.  Pass 1 only measures: it
 * learns where every label is.  Pass 2 does the same walk again, now knowing
 * every label, and emits bytes and diagnostics.  Anything that changes the
 * layout (.org, .space, .align, .if, the size of `li`) may only use values
 * that are "early": known at that point of pass 1.  That keeps both passes
 * laying out the program identically.
 */
#ifndef LDE_ASM_INTERNAL_H
#define LDE_ASM_INTERNAL_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include "assembler.h"
#include "disasm.h"

/* ---- Limits (each one reported as an error, never a crash) */
#define ASM_MAX_MACRO_DEPTH   64          /* nested macro expansions */
#define ASM_MAX_INCLUDE_DEPTH 32          /* nested .include */
#define ASM_MAX_SECTION       (64u << 20) /* bytes of contents in .text or .data */
#define ASM_MAX_LINES         20000000ul  /* lines processed per pass, macros included */
#define ASM_MAX_ERRORS        100         /* errors (and warnings) shown; then give up */
#define ASM_MAX_LINE          65535       /* characters in a source line */
#define ASM_MAX_NAME          255         /* characters in a name (symbol, mnemonic, macro) */
#define ASM_SHOW_MAX          240         /* characters of a long line shown under a message */
#define ASM_MAX_EXPANSIONS                                                                         \
    100000u                             /* macro expansions per pass (a macro calling              \
                                           itself twice would double forever) */
#define ASM_MAX_SYMBOL_HINTS 100        /* "did you mean" searches for symbols */
#define ASM_MAX_ALIGN        (1u << 20) /* largest .align */

/* ---- Tokens */

enum asm_tok_kind {
    TK_END,   /* end of the statement */
    TK_IDENT, /* name, directive (.word), register */
    TK_NUM,   /* number or character literal; value in `value` */
    TK_STR,   /* string literal; decoded bytes in str/str_len */
    TK_LOCAL, /* local label reference 1b / 1f */
    TK_PUNCT, /* operator or punctuation; which one in `punct` */
};

enum asm_punct {
    P_COMMA,
    P_LPAREN,
    P_RPAREN,
    P_COLON,
    P_PLUS,
    P_MINUS,
    P_STAR,
    P_SLASH,
    P_PERCENT,
    P_SHL,
    P_SHR,
    P_AMP,
    P_PIPE,
    P_CARET,
    P_TILDE,
    P_BANG,
    P_LT,
    P_LE,
    P_GT,
    P_GE,
    P_EQ,
    P_NE,
    P_LAND,
    P_LOR,
};

struct asm_token {
    enum asm_tok_kind kind;
    enum asm_punct punct; /* for TK_PUNCT */
    int col;              /* 1-based column where the token starts */
    int len;              /* length of the token in the source line */
    const char *text;     /* the token in the source line (not NUL-terminated) */
    int64_t value;        /* TK_NUM value; TK_LOCAL label number */
    char dir;             /* TK_LOCAL: 'b' (backward) or 'f' (forward) */
    size_t str_off;       /* TK_STR: decoded bytes at strbuf + str_off */
    size_t str_len;       /* TK_STR: number of decoded bytes */
    int decimal;          /* TK_NUM written as plain decimal digits (a local label) */
};

/* ---- Locations and files */

struct asm_loc {
    int file; /* index into files, -1 for the command line */
    int line; /* 1-based */
    int col;  /* 1-based; 0 = whole line */
};

struct asm_file {
    char *path; /* as written / resolved (shown in messages) */
    char *real; /* realpath, to detect re-inclusion */
    char *text; /* whole contents, NUL-terminated */
    size_t len; /* bytes of text */
};

/* ---- Sections */

enum { SEC_TEXT, SEC_DATA, SEC_BSS, ASM_NSECS };

struct asm_section {
    const char *name;   /* ".text", ".data", ".bss" */
    uint32_t flags;     /* IMAGE_SEC_* */
    uint32_t base;      /* address of the first byte */
    int base_known;     /* base is final (always in pass 2) */
    int base_early;     /* base known at this point of pass 1 (fixed or set by .org) */
    int base_from_org;  /* this pass set the base with .org */
    uint32_t size;      /* bytes so far in this pass */
    uint32_t max_align; /* largest .align seen; the base honours it */
    uint8_t *data;      /* pass 2 contents (not for .bss) */
    uint32_t cap;       /* bytes allocated at data */
};

/* ---- Symbols */

enum asm_sym_kind { SYM_LABEL, SYM_EQU, SYM_SET };

struct asm_symbol {
    char *name;                /* owned */
    enum asm_sym_kind kind;    /* label, .equ constant or .set variable */
    int section;               /* labels: SEC_*; constants: -1 */
    int64_t value;             /* constants: the value; labels: offset in section */
    int has_value;             /* some pass has given it a value */
    int early;                 /* value usable for layout (see top of file) */
    int defined_pass;          /* last pass that defined it (0 = never) */
    int global;                /* declared .global */
    int used;                  /* referenced in pass 2 */
    int broken;                /* its last .equ/.set had an error (reported): uses say no more */
    struct asm_loc def;        /* where it was (first) defined */
    struct asm_loc global_loc; /* where .global named it */
};

/* Local numeric label N: every definition in order of appearance. */
struct asm_local {
    int64_t number;      /* the N of "N:" */
    int ndefs;           /* definitions found in pass 1 */
    int cap;             /* allocated entries */
    int *section;        /* per definition: section */
    uint32_t *offset;    /* per definition: offset in section */
    struct asm_loc *loc; /* per definition: where */
    uint8_t *used;       /* per definition: referenced (pass 2) */
    int seen;            /* definitions passed so far in this pass */
};

/* ---- Macros and the source stack */

struct asm_macro_line {
    char *text; /* raw body line, before parameter substitution */
    int line;   /* its line number in the defining file */
};

struct asm_macro {
    char *name;                   /* owned */
    int nparams;                  /* number of named parameters */
    char **params;                /* parameter names */
    struct asm_macro_line *lines; /* body */
    int nlines;                   /* lines in the body */
    int cap;                      /* allocated lines */
    int file;                     /* where it was defined */
    struct asm_loc def;           /* location of the .macro line */
    int defined_pass;             /* pass that defined it */
};

enum asm_frame_kind { FRAME_FILE, FRAME_MACRO };

struct asm_frame {
    enum asm_frame_kind kind; /* a file being read, or a macro being expanded */
    int file;                 /* FILE: which file; MACRO: the defining file */
    size_t pos;               /* FILE: offset of the next line */
    int line;                 /* line number of the line last read */
    struct asm_macro *macro;  /* MACRO: what is expanded */
    int next;                 /* MACRO: next body line */
    char **args;              /* MACRO: argument text per parameter */
    unsigned counter;         /* MACRO: value of \@ in this expansion */
    struct asm_loc call;      /* MACRO: where it was invoked */
    char *call_text;          /* MACRO: the invoking line (for notes) */
    int cond_depth;           /* .if depth when this frame started */
};

struct asm_cond {
    int active;         /* lines are assembled */
    int parent;         /* the enclosing region was active */
    int done;           /* some branch was taken already */
    int seen_else;      /* .else seen */
    struct asm_loc loc; /* the .if */
};

/* ---- Values of expressions */

struct asm_value {
    int64_t v; /* the value (within -2^31 .. 2^32-1) */
    int known; /* all symbols had values */
    int early; /* usable for layout decisions (see top of file) */
};

/* Listing: one record per source line read in pass 2. */
struct asm_list_rec {
    int file;        /* file index */
    int line;        /* line number */
    int in_macro;    /* the line comes from a macro expansion */
    int section;     /* section of the emitted bytes */
    uint32_t addr;   /* address of the first byte */
    uint32_t offset; /* offset of the first byte in the section */
    uint32_t nbytes; /* bytes emitted by this line */
    int is_code;     /* emitted by an instruction (shown as words) */
    char *text;      /* the line as assembled (owned) */
};

/* Operand boundaries of the current statement (grown with the tokens). */
struct asm_operands {
    int n;  /* how many */
    int *b; /* first token of each */
    int *e; /* one past the last token of each */
};

/* ---- The assembler */

struct assembler {
    const struct asm_options *opt; /* never NULL */
    FILE *diag;                    /* diagnostics stream */
    int pass;                      /* 1 or 2 */
    int nerrors, nwarnings;        /* pass 2 diagnostics */
    int pass1_errors;              /* errors seen (silently) in pass 1 */
    int fatal;                     /* give up the rest of this pass */
    jmp_buf *oom;                  /* where running out of memory unwinds to */

    struct asm_file *files; /* every file read; [0] is the main one */
    int nfiles, files_cap;  /* entries used, allocated */

    struct asm_section sec[ASM_NSECS];
    int cur; /* current section */

    struct asm_symbol *syms; /* all symbols, in order of creation */
    int nsyms, syms_cap;     /* entries used, allocated */
    int *hash;               /* open addressing: index into syms, -1 empty */
    unsigned hash_cap;       /* power of two */

    struct asm_local *locals; /* local numeric labels */
    int nlocals, locals_cap;  /* entries used, allocated */

    struct asm_macro *macros;    /* macros, both passes */
    int nmacros, macros_cap;     /* entries used, allocated */
    struct asm_macro *recording; /* macro whose body is being read */
    struct asm_macro discard;    /* where a rejected .macro's body is read, and dropped */
    int record_depth;            /* nested .macro inside the body being read */
    int record_frame;            /* source frame the body is read from */
    unsigned macro_counter;      /* source of \@ values */

    struct asm_frame *frames; /* source stack: files and macro expansions */
    int nframes, frames_cap;  /* depth, allocated */
    struct asm_cond *conds;   /* .if stack */
    int nconds, conds_cap;    /* depth, allocated */
    unsigned long lines_done; /* lines processed in this pass */

    /* The line being assembled. */
    const char *line;              /* its text (not NUL-terminated) */
    int line_len;                  /* its length */
    struct asm_loc loc;            /* file and line; col unused */
    struct asm_token *toks;        /* its tokens */
    int ntoks, toks_cap;           /* tokens used, allocated */
    char *strbuf;                  /* decoded string literals */
    size_t strbuf_len, strbuf_cap; /* bytes used, allocated */
    char *expand;                  /* buffer for a macro line after substitution */
    size_t expand_cap;             /* bytes allocated */
    int line_is_code;              /* this line emitted instructions */
    uint32_t line_start_addr;      /* address when the line started */
    uint32_t line_start_off;       /* section offset when the line started */
    int line_start_sec;            /* section when the line started */
    int symbol_hints;              /* "did you mean" searches done for symbols */
    int misaligned_run;            /* the last instruction was misaligned (and reported) */

    struct asm_operands ops;   /* operands of the current statement */
    struct asm_list_rec *list; /* listing records (pass 2, if wanted) */
    size_t nlist, list_cap;    /* records used, allocated */
};

/* assembler.c: diagnostics.  `col` is a column of the current line (0: none). */
void asm_error(struct assembler *as, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void asm_warning(struct assembler *as, int col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error at another place (a stored location), shown with that line. */
void asm_error_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void asm_warning_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void asm_note_at(struct assembler *as, const struct asm_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* assembler.c: symbols */
struct asm_symbol *asm_sym_find(struct assembler *as, const char *name, size_t len);
struct asm_symbol *asm_sym_get(struct assembler *as, const char *name, size_t len);
int asm_sym_value(struct assembler *as, const struct asm_symbol *s, struct asm_value *out);
void asm_define_label(struct assembler *as, const char *name, size_t len, int col);
void asm_define_const(struct assembler *as, const char *name, size_t len, int col,
                      const struct asm_value *v, enum asm_sym_kind kind);
void asm_define_local(struct assembler *as, int64_t number, int col);
/* The defined symbol closest in spelling to name, for "did you mean", or NULL. */
const char *asm_suggest_symbol(struct assembler *as, const char *name, size_t len);
int asm_local_value(struct assembler *as, int64_t number, char dir, struct asm_value *out);

/* assembler.c: helpers */
uint32_t asm_cur_addr(const struct assembler *as);
int asm_cur_addr_early(const struct assembler *as);
int asm_is_register(const char *name, size_t len);
/* Register number of r0..r15 or an ABI name, or -1. */
int asm_register_number(const char *name, size_t len);
int asm_edit_distance(const char *a, size_t alen, const char *b, size_t blen);
void *asm_xrealloc(struct assembler *as, void *p, size_t n);
char *asm_strndup(struct assembler *as, const char *s, size_t n);

/* asm_lexer.c: tokenize as->line into as->toks (ends with TK_END).
 * Returns -1 after reporting a lexical error. */
int asm_tokenize(struct assembler *as);
int asm_tok_is(const struct asm_token *t, const char *word);
int asm_tok_punct(const struct asm_token *t, enum asm_punct p);

/* asm_expr.c: evaluate tokens [*pos, end) as one expression; *pos advances
 * past it.  Returns -1 after reporting an error. */
int asm_expr(struct assembler *as, int *pos, int end, struct asm_value *out);
/* A whole operand [begin, end) as one expression; must use all tokens. */
int asm_expr_operand(struct assembler *as, int begin, int end, struct asm_value *out);
/* Like asm_expr_operand, but the value must be early (known for layout);
 * `what` names the use in the message. */
int asm_expr_early(struct assembler *as, int begin, int end, const char *what,
                   struct asm_value *out);

/* asm_source.c: the stream of lines */
int asm_next_line(struct assembler *as);
/* The bytes of string token t (t->str_len of them, no NUL).  strbuf stays
 * NULL until a string has a byte, so an empty first string is "". */
static inline const char *asm_str(const struct assembler *as, const struct asm_token *t)
{
    return as->strbuf != NULL ? as->strbuf + t->str_off : "";
}

int asm_handle_recording(struct assembler *as);
int asm_handle_skipping(struct assembler *as);
int asm_directive_source(struct assembler *as, int di, int nops, const int *ob, const int *oe);
int asm_expand_macro(struct assembler *as, struct asm_macro *m, int mi, int nops, const int *ob,
                     const int *oe);
struct asm_macro *asm_macro_find(struct assembler *as, const char *name, size_t len);
void asm_end_of_pass_source(struct assembler *as);
void asm_free_source(struct assembler *as);

/* asm_directives.c: data/section directives.  1 if handled, 0 if unknown. */
int asm_directive_data(struct assembler *as, int di, int nops, const int *ob, const int *oe);
void asm_emit(struct assembler *as, const void *bytes, uint32_t n, int col);
void asm_emit_fill(struct assembler *as, uint32_t n, uint8_t fill, int col);
/* Names of all directives, for "did you mean" (NULL-terminated). */
extern const char *const asm_directive_names[];

/* asm_encode.c: an instruction or pseudo-instruction.  0 handled, 1 unknown. */
int asm_instruction(struct assembler *as, int mi, int nops, const int *ob, const int *oe);
/* Is this an instruction or pseudo-instruction name? */
int asm_is_mnemonic(const char *name, size_t len);
/* Best "did you mean" among instructions, pseudos and macros, or NULL. */
const char *asm_suggest_mnemonic(struct assembler *as, const char *name, size_t len);

/* asm_output.c */
void asm_list_line(struct assembler *as);
void asm_write_listing(struct assembler *as, FILE *f);
void asm_write_map(struct assembler *as, const struct image *img, FILE *f);

#endif /* LDE_ASM_INTERNAL_H */
