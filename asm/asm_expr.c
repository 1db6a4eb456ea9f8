/*
 * asm_expr.c - constant expressions, with C precedence.
 *
 * Values are computed in 64 bits; every intermediate result must lie in
 * -2^31 .. 2^32-1 (what fits a 32-bit word, read as signed or unsigned),
 * otherwise the expression "overflows" and that is an error.  An unknown
 * symbol in pass 1 is not an error: the value is simply not known yet.
 */
#include <stdint.h>
#include <string.h>

#include "asm_internal.h"

#define VALUE_MIN (-2147483648LL)
#define VALUE_MAX 4294967295LL

struct binop {
    enum asm_punct p; /* the operator */
    int prec;         /* C precedence: larger binds tighter */
    const char *text; /* for messages */
};

static const struct binop binops[] = {
    {P_LOR, 1, "||"},   {P_LAND, 2, "&&"},    {P_PIPE, 3, "|"},  {P_CARET, 4, "^"},
    {P_AMP, 5, "&"},    {P_EQ, 6, "=="},      {P_NE, 6, "!="},   {P_LT, 7, "<"},
    {P_LE, 7, "<="},    {P_GT, 7, ">"},       {P_GE, 7, ">="},   {P_SHL, 8, "<<"},
    {P_SHR, 8, ">>"},   {P_PLUS, 9, "+"},     {P_MINUS, 9, "-"}, {P_STAR, 10, "*"},
    {P_SLASH, 10, "/"}, {P_PERCENT, 10, "%"},
};

static const struct binop *find_binop(const struct asm_token *t)
{
    if (t->kind != TK_PUNCT)
        return NULL;
    for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
        if (binops[i].p == t->punct)
            return &binops[i];
    return NULL;
}

static int parse_binary(struct assembler *as, int *pos, int end, int min_prec,
                        struct asm_value *out);

static int check_range(struct assembler *as, int col, const char *op, struct asm_value *v)
{
    if (v->known && (v->v < VALUE_MIN || v->v > VALUE_MAX)) {
        asm_error(as, col, "overflow: the result of '%s' does not fit in 32 bits", op);
        return -1;
    }
    return 0;
}

static int symbol_operand(struct assembler *as, const struct asm_token *t, struct asm_value *out)
{
    const char *hint;
    if (t->len == 1 && t->text[0] == '.') {
        out->v = asm_cur_addr(as);
        out->early = asm_cur_addr_early(as);
        out->known = as->pass == 2 || out->early;
        return 0;
    }
    if (asm_is_register(t->text, (size_t)t->len)) {
        asm_error(as, t->col, "'%.*s' is a register; a value is expected here", t->len, t->text);
        return -1;
    }
    struct asm_symbol *s = asm_sym_find(as, t->text, (size_t)t->len);
    if (s && as->pass == 2)
        s->used = 1;
    if (s && asm_sym_value(as, s, out) == 0)
        return 0;
    out->v = 0;
    out->known = 0;
    out->early = 0;
    if (s && s->broken)
        return -1; /* its definition's error says it all */
    if (as->pass == 2) {
        if (s && s->defined_pass)
            asm_error(as, t->col,
                      "value of '%.*s' is not known here (it depends on a later "
                      "definition)",
                      t->len, t->text);
        else if ((hint = asm_suggest_symbol(as, t->text, (size_t)t->len)) != NULL)
            asm_error(as, t->col, "undefined symbol '%.*s'; did you mean '%s'?", t->len, t->text,
                      hint);
        else
            asm_error(as, t->col, "undefined symbol '%.*s'", t->len, t->text);
        return -1;
    }
    return 0;
}

/* %hi(expr) / %lo(expr), with *pos at the '%'. */
static int hi_lo(struct assembler *as, int *pos, int end, struct asm_value *out)
{
    struct asm_token *pct = &as->toks[*pos];
    struct asm_token *name = &as->toks[*pos + 1];
    int hi = asm_tok_is(name, "hi");
    if (*pos + 1 >= end || (!hi && !asm_tok_is(name, "lo"))) {
        asm_error(as, pct->col, "expected %%hi(...) or %%lo(...)");
        return -1;
    }
    *pos += 2;
    if (*pos >= end || !asm_tok_punct(&as->toks[*pos], P_LPAREN)) {
        asm_error(as, as->toks[*pos].col, "expected '(' after %%%s", hi ? "hi" : "lo");
        return -1;
    }
    (*pos)++;
    if (parse_binary(as, pos, end, 1, out) < 0)
        return -1;
    if (*pos >= end || !asm_tok_punct(&as->toks[*pos], P_RPAREN)) {
        asm_error(as, as->toks[*pos].col, "expected ')'");
        return -1;
    }
    (*pos)++;
    uint32_t u = (uint32_t)out->v;
    out->v = hi ? (u >> 16) & 0xffff : u & 0xffff;
    return 0;
}

static int parse_unary(struct assembler *as, int *pos, int end, struct asm_value *out)
{
    struct asm_token *t = &as->toks[*pos];
    if (*pos >= end) {
        asm_error(as, t->col, "expected an expression");
        return -1;
    }
    if (t->kind == TK_PUNCT &&
        (t->punct == P_MINUS || t->punct == P_PLUS || t->punct == P_TILDE || t->punct == P_BANG)) {
        (*pos)++;
        if (parse_unary(as, pos, end, out) < 0)
            return -1;
        if (t->punct == P_MINUS)
            out->v = -out->v;
        else if (t->punct == P_TILDE)
            out->v = ~out->v;
        else if (t->punct == P_BANG)
            out->v = !out->v;
        return check_range(as, t->col, t->punct == P_MINUS ? "-" : "~", out);
    }
    if (asm_tok_punct(t, P_PERCENT))
        return hi_lo(as, pos, end, out);
    if (asm_tok_punct(t, P_LPAREN)) {
        (*pos)++;
        if (parse_binary(as, pos, end, 1, out) < 0)
            return -1;
        if (*pos >= end || !asm_tok_punct(&as->toks[*pos], P_RPAREN)) {
            asm_error(as, as->toks[*pos].col, "expected ')' to match the '(' at column %d", t->col);
            return -1;
        }
        (*pos)++;
        return 0;
    }
    (*pos)++;
    out->known = 1;
    out->early = 1;
    switch (t->kind) {
    case TK_NUM:
        out->v = t->value;
        return 0;
    case TK_IDENT:
        return symbol_operand(as, t, out);
    case TK_LOCAL:
        if (asm_local_value(as, t->value, t->dir, out) == 0)
            return 0;
        asm_error(as, t->col, "no local label '%lld' %s here", (long long)t->value,
                  t->dir == 'b' ? "before" : "after");
        return -1;
    case TK_STR:
        asm_error(as, t->col, "a string is not a value");
        return -1;
    default:
        asm_error(as, t->col, "expected an expression");
        return -1;
    }
}

/* Apply `op` to a and b into a; -1 after reporting an error. */
static int apply(struct assembler *as, const struct asm_token *t, const struct binop *op,
                 struct asm_value *a, const struct asm_value *b)
{
    int known = a->known && b->known;
    a->early = a->early && b->early;
    a->known = known;
    int64_t x = a->v, y = b->v;
    switch (op->p) {
    case P_LOR:
        a->v = x || y;
        break;
    case P_LAND:
        a->v = x && y;
        break;
    case P_PIPE:
        a->v = x | y;
        break;
    case P_CARET:
        a->v = x ^ y;
        break;
    case P_AMP:
        a->v = x & y;
        break;
    case P_EQ:
        a->v = x == y;
        break;
    case P_NE:
        a->v = x != y;
        break;
    case P_LT:
        a->v = x < y;
        break;
    case P_LE:
        a->v = x <= y;
        break;
    case P_GT:
        a->v = x > y;
        break;
    case P_GE:
        a->v = x >= y;
        break;
    case P_PLUS:
        a->v = x + y;
        break;
    case P_MINUS:
        a->v = x - y;
        break;
    case P_STAR:
        /* |x|, |y| < 2^32, so the product may not fit even 64 bits */
        if (__builtin_mul_overflow(x, y, &a->v))
            a->v = INT64_MAX;
        break;
    case P_SHL:
    case P_SHR:
        if (known && (y < 0 || y > 32)) {
            asm_error(as, t->col, "shift count %lld is out of range 0..32", (long long)y);
            return -1;
        }
        a->v = !known ? 0 : op->p == P_SHL ? (int64_t)((uint64_t)x << y) : x >> y;
        break;
    case P_SLASH:
    case P_PERCENT:
        if (known && y == 0) {
            asm_error(as, t->col, "division by zero");
            return -1;
        }
        a->v = !known ? 0 : op->p == P_SLASH ? x / y : x % y;
        break;
    default:
        break;
    }
    return check_range(as, t->col, op->text, a);
}

static int parse_binary(struct assembler *as, int *pos, int end, int min_prec,
                        struct asm_value *out)
{
    if (parse_unary(as, pos, end, out) < 0)
        return -1;
    for (;;) {
        const struct asm_token *t = &as->toks[*pos];
        const struct binop *op = *pos < end ? find_binop(t) : NULL;
        if (!op || op->prec < min_prec)
            return 0;
        (*pos)++;
        struct asm_value rhs;
        if (parse_binary(as, pos, end, op->prec + 1, &rhs) < 0)
            return -1;
        if (apply(as, t, op, out, &rhs) < 0)
            return -1;
    }
}

int asm_expr(struct assembler *as, int *pos, int end, struct asm_value *out)
{
    return parse_binary(as, pos, end, 1, out);
}

int asm_expr_operand(struct assembler *as, int begin, int end, struct asm_value *out)
{
    int pos = begin;
    if (asm_expr(as, &pos, end, out) < 0)
        return -1;
    if (pos < end) {
        asm_error(as, as->toks[pos].col, "unexpected '%.*s' after the expression",
                  as->toks[pos].len, as->toks[pos].text);
        return -1;
    }
    return 0;
}

int asm_expr_early(struct assembler *as, int begin, int end, const char *what,
                   struct asm_value *out)
{
    if (asm_expr_operand(as, begin, end, out) < 0)
        return -1;
    if (!out->early) {
        asm_error(as, as->toks[begin].col, "%s must be known at this point (no forward references)",
                  what);
        return -1;
    }
    return 0;
}
