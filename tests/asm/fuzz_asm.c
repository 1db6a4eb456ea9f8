/*
 * fuzz_asm.c - fuzz smoke test of the assembler: seeded, so reproducible.
 *
 *   fuzz_asm [CASES [SEED]] [CORPUS.s ...]
 *
 * Half the cases are random statements built from the language's own
 * vocabulary (mnemonics from the opcode table, pseudos, directives,
 * registers, numbers, operators, strings); the other half are sources from
 * the corpus files with random bytes changed, inserted or deleted.  Each
 * must assemble, or fail with at least one "error:" diagnostic; a crash,
 * a sanitizer report or a failure without a message fails the test.  A
 * successful image must survive serialise -> parse -> disassemble.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assembler.h"
#include "disasm.h"
#include "image.h"

static const char *const words[] = {
    "li",     "la",     "mv",     "not",   "neg",    "nop",        "call",       "ret",
    "j",      "jr",     "push",   "pop",   "beqz",   "bgt",        "seqz",       "snez",
    ".text",  ".data",  ".bss",   ".org",  ".align", ".word",      ".half",      ".byte",
    ".ascii", ".asciz", ".space", ".zero", ".equ",   ".set",       ".global",    ".include",
    ".macro", ".endm",  ".if",    ".else", ".endif", ".ifdef",     ".error",     ".warning",
    "a0",     "a1",     "t0",     "sp",    "ra",     "zero",       "r15",        "r16",
    "status", "cause",  "cycle",  "x",     "y",      "m",          "\\x",        "\\@",
    "1b",     "1f",     "2f",     "1:",    "x:",     "y:",         ".",          "%hi(",
    "%lo(",   "(",      ")",      ",",     "+",      "-",          "*",          "/",
    "%",      "<<",     ">>",     "&",     "|",      "^",          "~",          "!",
    "==",     "<=",     "&&",     "0",     "1",      "-1",         "4",          "31",
    "32",     "32767",  "-32768", "65535", "0xffff", "0x7fffffff", "0xffffffff", "0x100000000",
    "0b101",  "0o7",    "'a'",    "'\\n'", "'",      "\"str\"",    "\"a\\qb\"",  "\"open",
    "# c",    "; c",    "\t",     "8(sp)", "(a0)",   "-4(zero)",   "\\",
};

#define NWORDS (sizeof words / sizeof words[0])

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) {
            fprintf(stderr, "fuzz: out of memory\n");
            exit(2);
        }
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* A source of random statements. */
static char *random_source(unsigned *seed, size_t *out_len)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int lines = 1 + rand_r(seed) % 30;
    for (int l = 0; l < lines; l++) {
        int n = rand_r(seed) % 7;
        if (rand_r(seed) % 2) {
            const struct disasm_op *op = &disasm_ops[(size_t)rand_r(seed) % disasm_nops];
            append(&buf, &len, &cap, op->name, strlen(op->name));
        }
        for (int k = 0; k < n; k++) {
            const char *w = words[(size_t)rand_r(seed) % NWORDS];
            append(&buf, &len, &cap, " ", 1);
            append(&buf, &len, &cap, w, strlen(w));
            if (rand_r(seed) % 3 == 0)
                append(&buf, &len, &cap, ",", 1);
        }
        append(&buf, &len, &cap, "\n", 1);
    }
    *out_len = len;
    return buf;
}

/* A corpus file with a few random edits. */
static char *mutate(const char *text, size_t tlen, unsigned *seed, size_t *out_len)
{
    size_t cap = tlen + 64, len = tlen;
    char *buf = malloc(cap);
    if (!buf)
        exit(2);
    memcpy(buf, text, tlen);
    int edits = 1 + rand_r(seed) % 8;
    for (int e = 0; e < edits && len > 0; e++) {
        size_t at = (size_t)rand_r(seed) % len;
        const char pick[] = "0123456789abxf(),:.\\\"'#%-+*\n \t@~<>";
        char c =
            rand_r(seed) % 4 ? pick[(size_t)rand_r(seed) % (sizeof pick - 1)] : (char)rand_r(seed);
        switch (rand_r(seed) % 3) {
        case 0:
            buf[at] = c;
            break;
        case 1:
            if (len + 1 < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = c;
                len++;
            }
            break;
        default:
            memmove(buf + at, buf + at + 1, len - at - 1);
            len--;
            break;
        }
    }
    *out_len = len;
    return buf;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: cannot open %s\n", path);
        exit(2);
    }
    char *buf = NULL;
    size_t cap = 0, n;
    *len = 0;
    do {
        if (*len + 4096 > cap) {
            cap = cap * 2 + 8192;
            buf = realloc(buf, cap);
            if (!buf)
                exit(2);
        }
        n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
    } while (n > 0);
    fclose(f);
    return buf;
}

/* One case: 0 if it behaved (image or clean errors), 1 if not. */
static int run_case(const char *src, size_t len, int index)
{
    char *diag = NULL;
    size_t dlen = 0;
    FILE *d = open_memstream(&diag, &dlen);
    struct image img;
    int rc = asm_assemble_string("fuzz.s", src, len, NULL, &img, d);
    fclose(d);
    int bad = 0;
    if (rc != 0 && !strstr(diag, "error: ")) {
        fprintf(stderr, "case %d: failed without an error message\n", index);
        bad = 1;
    }
    if (rc == 0) {
        uint8_t *bytes = NULL;
        char err[256], text[128];
        size_t n = image_serialise(&img, &bytes);
        struct image again;
        if (!n || image_parse(&again, bytes, n, err, sizeof err) != 0) {
            fprintf(stderr, "case %d: image does not survive a round trip\n", index);
            bad = 1;
        } else {
            for (uint32_t s = 0; s < again.nsections; s++)
                for (uint32_t i = 0; i + 4 <= again.sections[s].file_size; i += 4) {
                    uint32_t w;
                    memcpy(&w, again.sections[s].data + i, 4);
                    disasm_insn(w, again.sections[s].addr + i, &again, text, sizeof text);
                }
            image_free(&again);
        }
        free(bytes);
        image_free(&img);
    }
    if (bad)
        fprintf(stderr, "--- source:\n%.*s\n--- diagnostics:\n%s\n", (int)len, src, diag);
    free(diag);
    return bad;
}

int main(int argc, char **argv)
{
    int cases = argc > 1 ? atoi(argv[1]) : 2000;
    unsigned first_seed = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 20261121u;
    unsigned seed = first_seed;
    int ncorpus = argc > 3 ? argc - 3 : 0, failures = 0;
    char **corpus = calloc((size_t)ncorpus + 1, sizeof *corpus);
    size_t *lens = calloc((size_t)ncorpus + 1, sizeof *lens);
    for (int i = 0; i < ncorpus; i++)
        corpus[i] = read_file(argv[3 + i], &lens[i]);
    for (int i = 0; i < cases; i++) {
        size_t len;
        char *src;
        if (ncorpus && i % 2) {
            int k = rand_r(&seed) % ncorpus;
            src = mutate(corpus[k], lens[k], &seed, &len);
        } else {
            src = random_source(&seed, &len);
        }
        failures += run_case(src, len, i);
        free(src);
    }
    for (int i = 0; i < ncorpus; i++)
        free(corpus[i]);
    free(corpus);
    free(lens);
    printf("fuzz: %d cases (seed %u, %d corpus files), %d failures\n", cases, first_seed, ncorpus,
           failures);
    return failures ? 1 : 0;
}
