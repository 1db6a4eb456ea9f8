/*
 * asm_lexer.c - cut one source line into tokens.
 *
 * A comment starts at '#' or ';' outside a string or character literal.
 * String and character literals are decoded here (C escapes), so that a bad
 * escape is reported at the backslash.
 */
#include <ctype.h>
#include <string.h>

#include "asm_internal.h"

static int is_ident_start(int c)
{
    return isalpha(c) || c == '_' || c == '.' || c == '$';
}

static int is_ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == '$';
}

static struct asm_token *new_token(struct assembler *as, enum asm_tok_kind kind, int col)
{
    if (as->ntoks == as->toks_cap) {
        as->toks_cap = as->toks_cap ? as->toks_cap * 2 : 32;
        as->toks = asm_xrealloc(as, as->toks, (size_t)as->toks_cap * sizeof *as->toks);
    }
    struct asm_token *t = &as->toks[as->ntoks++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->col = col;
    t->text = as->line + col - 1;
    return t;
}

static void strbuf_put(struct assembler *as, char c)
{
    if (as->strbuf_len == as->strbuf_cap) {
        as->strbuf_cap = as->strbuf_cap ? as->strbuf_cap * 2 : 256;
        as->strbuf = asm_xrealloc(as, as->strbuf, as->strbuf_cap);
    }
    as->strbuf[as->strbuf_len++] = c;
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the escape sequence at line[*i] (just after the backslash).
 * Returns the byte, or -1 after reporting a bad escape. */
static int decode_escape(struct assembler *as, int *i)
{
    const char *s = as->line;
    int n = as->line_len, start = *i - 1;
    if (*i >= n) {
        asm_error(as, start + 1, "backslash at the end of the line");
        return -1;
    }
    char c = s[(*i)++];
    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
        int v = c - '0';
        for (int k = 0; k < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
            v = v * 8 + (s[(*i)++] - '0');
        if (v > 255) {
            asm_error(as, start + 1, "octal escape out of range (at most \\377)");
            return -1;
        }
        return v;
    }
    case 'x': {
        int v = 0, digits = 0;
        while (digits < 2 && *i < n && hex_digit(s[*i]) >= 0) {
            v = v * 16 + hex_digit(s[(*i)++]);
            digits++;
        }
        if (!digits) {
            asm_error(as, start + 1, "'\\x' needs hexadecimal digits");
            return -1;
        }
        return v;
    }
    case 'a':
        return '\a';
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'v':
        return '\v';
    case 'e':
        return 27;
    case '\\':
        return '\\';
    case '\'':
        return '\'';
    case '"':
        return '"';
    default:
        if (isprint((unsigned char)c))
            asm_error(as, start + 1, "unknown escape sequence '\\%c'", c);
        else
            asm_error(as, start + 1, "unknown escape sequence (backslash before byte 0x%02x)",
                      (unsigned char)c);
        return -1;
    }
}

/* A string literal starting at line[*i] == '"'. */
static int lex_string(struct assembler *as, int *i)
{
    int start = *i, bad = 0;
    struct asm_token *t = new_token(as, TK_STR, start + 1);
    size_t off = as->strbuf_len;
    (*i)++;
    while (*i < as->line_len && as->line[*i] != '"') {
        if (as->line[*i] == '\\') {
            (*i)++;
            int c = decode_escape(as, i);
            if (c < 0)
                bad = 1;
            else
                strbuf_put(as, (char)c);
        } else {
            strbuf_put(as, as->line[(*i)++]);
        }
    }
    if (*i >= as->line_len) {
        asm_error(as, start + 1, "unterminated string (missing closing '\"')");
        return -1;
    }
    (*i)++;
    /* new_token may have moved the array; find the token again */
    t = &as->toks[as->ntoks - 1];
    t->len = *i - start;
    t->str_off = off;
    t->str_len = as->strbuf_len - off;
    return bad ? -1 : 0;
}

/* A character literal starting at line[*i] == '\''. */
static int lex_char(struct assembler *as, int *i)
{
    int start = *i, c;
    (*i)++;
    if (*i >= as->line_len) {
        asm_error(as, start + 1, "unterminated character literal");
        return -1;
    }
    if (as->line[*i] == '\\') {
        (*i)++;
        c = decode_escape(as, i);
        if (c < 0)
            return -1;
    } else if (as->line[*i] == '\'') {
        asm_error(as, start + 1, "empty character literal");
        return -1;
    } else {
        c = (unsigned char)as->line[(*i)++];
    }
    if (*i >= as->line_len || as->line[*i] != '\'') {
        const char *end = memchr(as->line + *i, '#', (size_t)(as->line_len - *i)); /* a comment */
        size_t rest = end ? (size_t)(end - (as->line + *i)) : (size_t)(as->line_len - *i);
        if (memchr(as->line + *i, '\'', rest) != NULL)
            asm_error(as, start + 1,
                      "a character literal holds one character (several: a string, \"...\")");
        else
            asm_error(as, start + 1, "unterminated character literal (missing closing ''')");
        return -1;
    }
    (*i)++;
    struct asm_token *t = new_token(as, TK_NUM, start + 1);
    t->len = *i - start;
    t->value = c;
    return 0;
}

/* A number, or a local label reference like 1b / 2f. */
static int lex_number(struct assembler *as, int *i)
{
    const char *s = as->line;
    int start = *i, end = *i;
    while (end < as->line_len && is_ident_char((unsigned char)s[end]))
        end++;
    const char *p = s + start;
    int n = end - start;
    struct asm_token *t = new_token(as, TK_NUM, start + 1);
    t->len = n;
    *i = end;
    int digits = 0;
    while (digits < n && isdigit((unsigned char)p[digits]))
        digits++;
    if (digits == n - 1 && (p[n - 1] == 'b' || p[n - 1] == 'f') &&
        !(n > 2 && p[0] == '0' && p[1] == 'b')) {
        int64_t v = 0;
        for (int k = 0; k < digits && v < 100000000; k++)
            v = v * 10 + (p[k] - '0');
        t->kind = TK_LOCAL;
        t->value = v;
        t->dir = p[n - 1];
        return 0;
    }
    int base = 10, k = 0;
    if (n > 2 && p[0] == '0' && strchr("xXbBoO", p[1])) {
        base = (p[1] == 'x' || p[1] == 'X') ? 16 : (p[1] == 'b' || p[1] == 'B') ? 2 : 8;
        k = 2;
    } else if (n > 1 && p[0] == '0' && digits == n) {
        asm_error(as, start + 1,
                  "number '%.*s' has a leading zero: write 0o for octal, or drop "
                  "the zero",
                  n, p);
        return -1;
    }
    t->decimal = base == 10;
    uint64_t v = 0;
    for (; k < n; k++) {
        int d = hex_digit(p[k]);
        if (p[k] == '_' && k > 0)
            continue;
        if (d < 0 || d >= base) {
            asm_error(as, start + 1, "invalid digit '%c' in %s number '%.*s'", p[k],
                      base == 16  ? "hexadecimal"
                      : base == 2 ? "binary"
                      : base == 8 ? "octal"
                                  : "decimal",
                      n, p);
            return -1;
        }
        v = v * (uint64_t)base + (uint64_t)d;
        if (v > 0xffffffffull) {
            asm_error(as, start + 1, "number '%.*s' does not fit in 32 bits", n, p);
            return -1;
        }
    }
    t->value = (int64_t)v;
    return 0;
}

/* Two-character operators first, so "<<" wins over "<". */
static int punct_of(const char *s, int left, enum asm_punct *p)
{
    char c = s[0], d = left > 1 ? s[1] : '\0';
    switch (c) {
    case '<':
        *p = d == '<' ? P_SHL : d == '=' ? P_LE : P_LT;
        return *p == P_LT ? 1 : 2;
    case '>':
        *p = d == '>' ? P_SHR : d == '=' ? P_GE : P_GT;
        return *p == P_GT ? 1 : 2;
    case '=':
        *p = P_EQ;
        return d == '=' ? 2 : 0;
    case '!':
        *p = d == '=' ? P_NE : P_BANG;
        return d == '=' ? 2 : 1;
    case '&':
        *p = d == '&' ? P_LAND : P_AMP;
        return d == '&' ? 2 : 1;
    case '|':
        *p = d == '|' ? P_LOR : P_PIPE;
        return d == '|' ? 2 : 1;
    case ',':
        *p = P_COMMA;
        return 1;
    case '(':
        *p = P_LPAREN;
        return 1;
    case ')':
        *p = P_RPAREN;
        return 1;
    case ':':
        *p = P_COLON;
        return 1;
    case '+':
        *p = P_PLUS;
        return 1;
    case '-':
        *p = P_MINUS;
        return 1;
    case '*':
        *p = P_STAR;
        return 1;
    case '/':
        *p = P_SLASH;
        return 1;
    case '%':
        *p = P_PERCENT;
        return 1;
    case '^':
        *p = P_CARET;
        return 1;
    case '~':
        *p = P_TILDE;
        return 1;
    default:
        return 0;
    }
}

static int lex_punct(struct assembler *as, int *i)
{
    enum asm_punct p = P_COMMA;
    int n = punct_of(as->line + *i, as->line_len - *i, &p);
    if (n > 0) {
        struct asm_token *t = new_token(as, TK_PUNCT, *i + 1);
        t->punct = p;
        t->len = n;
        *i += n;
        return 0;
    }
    unsigned char c = (unsigned char)as->line[*i];
    const char *word = as->line + *i + 1; /* after a backslash: a parameter's name? */
    int wlen = 0;
    while (c == '\\' && *i + 1 + wlen < as->line_len &&
           (isalnum((unsigned char)word[wlen]) || word[wlen] == '_'))
        wlen++;
    if (wlen > 0 && !isdigit((unsigned char)word[0])) {
        bool in_macro = as->nframes > 0 && as->frames[as->nframes - 1].kind == FRAME_MACRO;
        asm_error(as, *i + 1,
                  in_macro ? "'\\%.*s' is not a parameter of this macro"
                           : "'\\%.*s' outside a macro: parameters exist only in "
                             "a macro's body",
                  wlen, word);
    } else if (isprint(c))
        asm_error(as, *i + 1, "unexpected character '%c'", c);
    else
        asm_error(as, *i + 1, "unexpected byte 0x%02x", c);
    return -1;
}

int asm_tokenize(struct assembler *as)
{
    int i = 0, n = as->line_len;
    as->ntoks = 0;
    as->strbuf_len = 0;
    if (n > ASM_MAX_LINE) { /* never what a person writes; tokens would cost gigabytes */
        asm_error(as, 0, "line too long: %d characters (at most %d)", n, ASM_MAX_LINE);
        return -1;
    }
    while (i < n) {
        unsigned char c = (unsigned char)as->line[i];
        int rc = 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            i++;
            continue;
        }
        if (c == '#' || c == ';')
            break;
        if (is_ident_start(c)) {
            int start = i;
            while (i < n && is_ident_char((unsigned char)as->line[i]))
                i++;
            if (i - start > ASM_MAX_NAME) {
                asm_error(as, start + 1, "name too long: %d characters (at most %d)", i - start,
                          ASM_MAX_NAME);
                rc = -1;
            } else
                new_token(as, TK_IDENT, start + 1)->len = i - start;
        } else if (isdigit(c)) {
            rc = lex_number(as, &i);
        } else if (c == '"') {
            rc = lex_string(as, &i);
        } else if (c == '\'') {
            rc = lex_char(as, &i);
        } else {
            rc = lex_punct(as, &i);
        }
        if (rc < 0)
            return -1;
    }
    new_token(as, TK_END, n + 1);
    return 0;
}

int asm_tok_is(const struct asm_token *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == TK_IDENT && (size_t)t->len == n && memcmp(t->text, word, n) == 0;
}

int asm_tok_punct(const struct asm_token *t, enum asm_punct p)
{
    return t->kind == TK_PUNCT && t->punct == p;
}
