/*
 * asm_directives.c - sections, symbols and data: .text .data .bss .org
 * .align .word .half .byte .ascii .asciz .space .zero .equ .set .global.
 */
#include <string.h>

#include "asm_internal.h"

const char *const asm_directive_names[] = {
    ".text",  ".data",   ".bss",   ".section", ".org",   ".align",   ".word",
    ".half",  ".byte",   ".ascii", ".asciz",   ".space", ".zero",    ".equ",
    ".set",   ".global", ".globl", ".include", ".macro", ".endm",    ".if",
    ".ifdef", ".ifndef", ".else",  ".endif",   ".error", ".warning", NULL,
};

/* ---- Emitting bytes */

static uint64_t section_limit(int sec)
{
    return sec == SEC_BSS ? (uint64_t)ISA_RAM_MAX_MIB << 20 : ASM_MAX_SECTION;
}

/* Make room for n more bytes; 0 if the section may grow, -1 if not. */
static int grow(struct assembler *as, uint32_t n, int col)
{
    struct asm_section *s = &as->sec[as->cur];
    if ((uint64_t)s->size + n > section_limit(as->cur)) {
        asm_error(as, col, "section %s would grow beyond %llu MiB", s->name,
                  (unsigned long long)(section_limit(as->cur) >> 20));
        as->fatal = 1;
        return -1;
    }
    if ((uint64_t)s->base + s->size + n > 0x100000000ull) {
        asm_error(as, col, "section %s runs past the end of the 32-bit address space", s->name);
        as->fatal = 1;
        return -1;
    }
    if (as->pass == 2 && as->cur != SEC_BSS && s->size + n > s->cap) {
        uint64_t cap = s->cap ? s->cap : 4096;
        while (cap < (uint64_t)s->size + n)
            cap *= 2;
        s->data = asm_xrealloc(as, s->data, (size_t)cap);
        s->cap = (uint32_t)(cap > 0xffffffffu ? 0xffffffffu : cap);
    }
    return 0;
}

void asm_emit(struct assembler *as, const void *bytes, uint32_t n, int col)
{
    struct asm_section *s = &as->sec[as->cur];
    if (as->cur == SEC_BSS)
        asm_error(as, col,
                  ".bss holds only zeros: use .space or .zero there, or switch to "
                  ".data");
    if (grow(as, n, col) < 0)
        return;
    if (as->pass == 2 && as->cur != SEC_BSS && n > 0)
        memcpy(s->data + s->size, bytes, n);
    s->size += n;
}

void asm_emit_fill(struct assembler *as, uint32_t n, uint8_t fill, int col)
{
    struct asm_section *s = &as->sec[as->cur];
    if (as->cur == SEC_BSS && fill != 0)
        asm_error(as, col, ".bss holds only zeros: a fill value is not possible there");
    if (grow(as, n, col) < 0)
        return;
    if (as->pass == 2 && as->cur != SEC_BSS && n > 0)
        memset(s->data + s->size, fill, n);
    s->size += n;
}

/* ---- Helpers */

static int want_ops(struct assembler *as, const struct asm_token *d, int nops, int min, int max)
{
    if (nops >= min && nops <= max)
        return 0;
    if (min == max)
        asm_error(as, d->col, "'%.*s' expects %d operand%s, got %d", d->len, d->text, min,
                  min == 1 ? "" : "s", nops);
    else
        asm_error(as, d->col, "'%.*s' expects %d to %d operands, got %d", d->len, d->text, min, max,
                  nops);
    return -1;
}

/* A lone symbol name as operand [b, e). */
static const struct asm_token *name_operand(struct assembler *as, int b, int e)
{
    const struct asm_token *t = &as->toks[b];
    if (e != b + 1 || t->kind != TK_IDENT || (t->text[0] == '.' && t->len == 1)) {
        asm_error(as, t->col, "expected a symbol name");
        return NULL;
    }
    return t;
}

static void check_alignment(struct assembler *as, const struct asm_token *d, uint32_t size)
{
    uint32_t addr = asm_cur_addr(as);
    if (as->pass == 2 && size > 1 && addr % size)
        asm_error(as, d->col,
                  "misaligned '%.*s': address 0x%08x is not a multiple of %u (add "
                  "'.align %u' before it)",
                  d->len, d->text, addr, size, size);
}

/* ---- The directives */

/* .word / .half / .byte: each operand an expression of `size` bytes. */
static void data_values(struct assembler *as, const struct asm_token *d, uint32_t size, int nops,
                        const int *ob, const int *oe)
{
    static const int64_t lo[] = {0, -128, -32768, 0, -2147483648LL};
    static const int64_t hi[] = {0, 255, 65535, 0, 4294967295LL};
    if (nops == 0)
        asm_error(as, d->col, "'%.*s' expects at least one value", d->len, d->text);
    check_alignment(as, d, size);
    for (int k = 0; k < nops; k++) {
        struct asm_value v = {0, 0, 0};
        uint8_t bytes[4];
        if (as->pass == 2 && asm_expr_operand(as, ob[k], oe[k], &v) == 0 && v.known &&
            (v.v < lo[size] || v.v > hi[size]))
            asm_error(as, as->toks[ob[k]].col,
                      "value %lld is out of range for '%.*s' "
                      "(%lld..%lld)",
                      (long long)v.v, d->len, d->text, (long long)lo[size], (long long)hi[size]);
        uint32_t u = (uint32_t)v.v;
        for (uint32_t i = 0; i < size; i++)
            bytes[i] = (uint8_t)(u >> (8 * i));
        asm_emit(as, bytes, size, as->toks[ob[k]].col);
    }
}

static void data_strings(struct assembler *as, const struct asm_token *d, int zero, int nops,
                         const int *ob, const int *oe)
{
    if (nops == 0)
        asm_error(as, d->col, "'%.*s' expects at least one string", d->len, d->text);
    for (int k = 0; k < nops; k++) {
        const struct asm_token *t = &as->toks[ob[k]];
        if (t->kind != TK_STR || oe[k] != ob[k] + 1) {
            asm_error(as, t->col, "expected a string in double quotes");
            continue;
        }
        asm_emit(as, asm_str(as, t), (uint32_t)t->str_len, t->col);
        if (zero)
            asm_emit(as, "", 1, t->col);
    }
}

/* .space n[, fill] and .zero n */
static void space(struct assembler *as, const struct asm_token *d, int allow_fill, int nops,
                  const int *ob, const int *oe)
{
    struct asm_value n, fill = {0, 1, 1};
    if (want_ops(as, d, nops, 1, allow_fill ? 2 : 1) < 0)
        return;
    if (asm_expr_early(as, ob[0], oe[0], "the size", &n) < 0)
        return;
    if (n.v < 0) {
        asm_error(as, as->toks[ob[0]].col, "size %lld is negative", (long long)n.v);
        return;
    }
    if (nops == 2 && asm_expr_operand(as, ob[1], oe[1], &fill) == 0 && fill.known &&
        (fill.v < -128 || fill.v > 255)) {
        asm_error(as, as->toks[ob[1]].col, "fill value %lld is out of range (-128..255)",
                  (long long)fill.v);
        fill.v = 0;
    }
    asm_emit_fill(as, (uint32_t)n.v, (uint8_t)fill.v, d->col);
}

static void align(struct assembler *as, const struct asm_token *d, int nops, const int *ob,
                  const int *oe)
{
    struct asm_value n;
    if (want_ops(as, d, nops, 1, 1) < 0 ||
        asm_expr_early(as, ob[0], oe[0], "the alignment", &n) < 0)
        return;
    if (n.v < 1 || n.v > ASM_MAX_ALIGN || (n.v & (n.v - 1))) {
        asm_error(as, as->toks[ob[0]].col, "alignment %lld is not a power of two in 1..%u",
                  (long long)n.v, ASM_MAX_ALIGN);
        return;
    }
    struct asm_section *s = &as->sec[as->cur];
    uint32_t a = (uint32_t)n.v;
    if (a > s->max_align)
        s->max_align = a;
    /* In pass 1 an automatically placed section's base is not known yet, but
     * it will be a multiple of max_align, so aligning the offset is the same. */
    uint32_t at = s->base_known ? s->base + s->size : s->size;
    uint32_t pad = (uint32_t)((a - at % a) % a);
    asm_emit_fill(as, pad, 0, d->col);
}

static void org(struct assembler *as, const struct asm_token *d, int nops, const int *ob,
                const int *oe)
{
    struct asm_value v;
    struct asm_section *s = &as->sec[as->cur];
    if (want_ops(as, d, nops, 1, 1) < 0 || asm_expr_early(as, ob[0], oe[0], "the address", &v) < 0)
        return;
    if (v.v < 0 || v.v > 0xffffffffLL) {
        asm_error(as, as->toks[ob[0]].col, "address %lld is outside 0..0xffffffff", (long long)v.v);
        return;
    }
    if (s->size == 0) {
        /* Nothing in the section yet: .org chooses where it starts. */
        s->base = (uint32_t)v.v;
        s->base_known = s->base_early = s->base_from_org = 1;
        return;
    }
    if (!s->base_early) {
        asm_error(as, d->col,
                  "'.org' in %s after its contents needs the section's address: "
                  "put a '.org' before anything else in %s",
                  s->name, s->name);
        return;
    }
    uint32_t here = s->base + s->size;
    if ((uint32_t)v.v < here) {
        asm_error(as, as->toks[ob[0]].col,
                  "'.org' cannot move backwards (from 0x%08x to "
                  "0x%08x)",
                  here, (uint32_t)v.v);
        return;
    }
    asm_emit_fill(as, (uint32_t)v.v - here, 0, d->col);
}

static void equ(struct assembler *as, const struct asm_token *d, enum asm_sym_kind kind, int nops,
                const int *ob, const int *oe)
{
    struct asm_value v = {0, 0, 0};
    if (want_ops(as, d, nops, 2, 2) < 0)
        return;
    const struct asm_token *name = name_operand(as, ob[0], oe[0]);
    if (!name)
        return;
    int failed = asm_expr_operand(as, ob[1], oe[1], &v) < 0;
    if (failed)
        v.known = v.early = 0;
    asm_define_const(as, name->text, (size_t)name->len, name->col, &v, kind);
    asm_sym_get(as, name->text, (size_t)name->len)->broken = failed;
}

static void global(struct assembler *as, const struct asm_token *d, int nops, const int *ob,
                   const int *oe)
{
    if (nops == 0)
        asm_error(as, d->col, "'%.*s' expects symbol names", d->len, d->text);
    for (int k = 0; k < nops; k++) {
        const struct asm_token *t = name_operand(as, ob[k], oe[k]);
        if (!t)
            continue;
        struct asm_symbol *s = asm_sym_get(as, t->text, (size_t)t->len);
        if (!s->global) {
            s->global = 1;
            s->global_loc = as->loc;
            s->global_loc.col = t->col;
        }
    }
}

static int section_switch(struct assembler *as, const struct asm_token *d, int nops, const int *ob)
{
    static const char *const names[ASM_NSECS] = {".text", ".data", ".bss"};
    const struct asm_token *which = d;
    int is_section = asm_tok_is(d, ".section");
    if (is_section) {
        if (nops != 1 || ob[0] + 1 != as->ntoks - 1) {
            asm_error(as, d->col, "'.section' expects one of .text, .data, .bss");
            return 1;
        }
        which = &as->toks[ob[0]];
    }
    for (int i = 0; i < ASM_NSECS; i++) {
        if (asm_tok_is(which, names[i])) {
            if (nops && !is_section)
                asm_error(as, as->toks[ob[0]].col, "'%.*s' takes no operands", d->len, d->text);
            as->cur = i;
            return 1;
        }
    }
    if (is_section)
        asm_error(as, which->col, "unknown section '%.*s' (use .text, .data or .bss)", which->len,
                  which->text);
    return is_section;
}

int asm_directive_data(struct assembler *as, int di, int nops, const int *ob, const int *oe)
{
    const struct asm_token *d = &as->toks[di];
    if (section_switch(as, d, nops, ob))
        return 1;
    if (asm_tok_is(d, ".word"))
        data_values(as, d, 4, nops, ob, oe);
    else if (asm_tok_is(d, ".half"))
        data_values(as, d, 2, nops, ob, oe);
    else if (asm_tok_is(d, ".byte"))
        data_values(as, d, 1, nops, ob, oe);
    else if (asm_tok_is(d, ".ascii"))
        data_strings(as, d, 0, nops, ob, oe);
    else if (asm_tok_is(d, ".asciz"))
        data_strings(as, d, 1, nops, ob, oe);
    else if (asm_tok_is(d, ".space"))
        space(as, d, 1, nops, ob, oe);
    else if (asm_tok_is(d, ".zero"))
        space(as, d, 0, nops, ob, oe);
    else if (asm_tok_is(d, ".align"))
        align(as, d, nops, ob, oe);
    else if (asm_tok_is(d, ".org"))
        org(as, d, nops, ob, oe);
    else if (asm_tok_is(d, ".equ"))
        equ(as, d, SYM_EQU, nops, ob, oe);
    else if (asm_tok_is(d, ".set"))
        equ(as, d, SYM_SET, nops, ob, oe);
    else if (asm_tok_is(d, ".global") || asm_tok_is(d, ".globl"))
        global(as, d, nops, ob, oe);
    else
        return 0;
    return 1;
}
