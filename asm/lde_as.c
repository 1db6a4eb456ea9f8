/*
 * lde_as.c - the lde-as command: assemble a source file, or disassemble an
 * image.  All the work is in the library (assembler.h, disasm.h, image.h);
 * this file handles arguments and files.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assembler.h"
#include "disasm.h"
#include "image.h"

static const char usage[] =
    "usage: lde-as [-o OUT] [-I DIR]... [-D NAME[=VALUE]]... [-l LISTING] [--map MAPFILE]\n"
    "              [-Werror] SOURCE\n"
    "       lde-as --disassemble IMAGE\n"
    "\n"
    "Assembles LDE32 assembly SOURCE into an LDEX image (default: SOURCE with .s\n"
    "replaced by .img).  See docs/asm.md.\n"
    "\n"
    "  -o OUT             write the image to OUT\n"
    "  -I DIR             also search DIR for .include files\n"
    "  -D NAME[=VALUE]    define NAME as if by '.equ NAME, VALUE' (VALUE default 1)\n"
    "  -l LISTING         write a listing (address, code, source)\n"
    "  --map MAPFILE      write the sections and symbols, sorted by address\n"
    "  -Werror            treat warnings as errors\n"
    "  --disassemble IMG  print the contents of image IMG\n";

/* Command-line settings. */
struct args {
    const char *source;    /* SOURCE, or the image with --disassemble */
    const char *out;       /* -o */
    const char *listing;   /* -l */
    const char *map;       /* --map */
    int disassemble;       /* --disassemble */
    const char **includes; /* -I, in order */
    size_t nincludes;      /* how many */
    const char **defines;  /* -D, in order */
    size_t ndefines;       /* how many */
    int werror;            /* -Werror */
};

/* The value of an option: "-oOUT", "-o OUT" or "--map=F", "--map F". */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (a[n] == '=' && n > 2)
        return a + n + 1;
    if (a[n] != '\0')
        return a + n;
    if (*i + 1 >= argc) {
        fprintf(stderr, "lde-as: error: option '%s' needs a value\n", name);
        return NULL;
    }
    return argv[++*i];
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* 0: go ahead; 1: done (help printed); -1: bad command line (reported). */
static int parse_args(int argc, char **argv, struct args *a)
{
    memset(a, 0, sizeof *a);
    a->includes = calloc((size_t)argc, sizeof *a->includes);
    a->defines = calloc((size_t)argc, sizeof *a->defines);
    if (!a->includes || !a->defines)
        return -1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v = NULL;
        if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
            fputs(usage, stdout);
            return 1;
        } else if (strcmp(s, "-Werror") == 0) {
            a->werror = 1;
        } else if (starts_with(s, "--disassemble")) {
            a->disassemble = 1;
            if (s[13] == '=')
                a->source = s + 14;
            else if (s[13] != '\0')
                goto unknown;
        } else if (starts_with(s, "--map")) {
            if (s[5] != '\0' && s[5] != '=')
                goto unknown;
            v = a->map = option_value(argc, argv, &i, "--map");
        } else if (starts_with(s, "-o")) {
            v = a->out = option_value(argc, argv, &i, "-o");
        } else if (starts_with(s, "-l")) {
            v = a->listing = option_value(argc, argv, &i, "-l");
        } else if (starts_with(s, "-I")) {
            v = a->includes[a->nincludes++] = option_value(argc, argv, &i, "-I");
        } else if (starts_with(s, "-D")) {
            v = a->defines[a->ndefines++] = option_value(argc, argv, &i, "-D");
        } else if (s[0] == '-' && s[1] != '\0') {
            goto unknown;
        } else if (a->source) {
            fprintf(stderr, "lde-as: error: more than one input file ('%s' and '%s')\n", a->source,
                    s);
            return -1;
        } else {
            a->source = s;
            continue;
        }
        if (!v && s[1] != 'W' && !(a->disassemble && starts_with(s, "--disassemble")))
            return -1;
        continue;
    unknown:
        fprintf(stderr, "lde-as: error: unknown option '%s'\n%s", s, usage);
        return -1;
    }
    if (!a->source) {
        fprintf(stderr, "lde-as: error: no input file\n%s", usage);
        return -1;
    }
    return 0;
}

/* ---- --disassemble */

static void print_labels(const struct image *img, uint32_t addr, uint32_t *next)
{
    while (*next < img->nsymbols && img->symbols[*next].value < addr)
        (*next)++;
    for (uint32_t k = *next; k < img->nsymbols && img->symbols[k].value == addr; k++)
        if (img->symbols[k].kind != IMAGE_SYM_CONST)
            printf("%08x <%s>:\n", addr, img->symbols[k].name);
}

static void dump_code(const struct image *img, const struct image_section *s)
{
    char text[160];
    uint32_t next = 0, i;
    for (i = 0; i + 4 <= s->file_size; i += 4) {
        const uint8_t *p = s->data + i;
        uint32_t w =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        print_labels(img, s->addr + i, &next);
        disasm_insn(w, s->addr + i, img, text, sizeof text);
        printf("  %08x:  %08x  %s\n", s->addr + i, w, text);
    }
    for (; i < s->file_size; i++)
        printf("  %08x:  %02x        .byte 0x%02x\n", s->addr + i, s->data[i], s->data[i]);
}

static void dump_data(const struct image *img, const struct image_section *s)
{
    uint32_t next = 0;
    for (uint32_t i = 0; i < s->file_size; i += 16) {
        /* name every label that falls in this row */
        for (uint32_t k = i; k < i + 16 && k < s->file_size; k++)
            print_labels(img, s->addr + k, &next);
        printf("  %08x: ", s->addr + i);
        for (uint32_t k = i; k < i + 16; k++) {
            if (k < s->file_size)
                printf(" %02x", s->data[k]);
            else
                printf("   ");
        }
        printf("  |");
        for (uint32_t k = i; k < i + 16 && k < s->file_size; k++)
            putchar(s->data[k] >= 32 && s->data[k] < 127 ? s->data[k] : '.');
        printf("|\n");
    }
}

static int disassemble(const char *path)
{
    struct image img;
    char err[512];
    if (image_read_file(&img, path, err, sizeof err) < 0) {
        fprintf(stderr, "lde-as: error: %s\n", err);
        return 1;
    }
    printf("%s: entry 0x%08x, %u section%s, %u symbol%s\n", path, img.entry, img.nsections,
           img.nsections == 1 ? "" : "s", img.nsymbols, img.nsymbols == 1 ? "" : "s");
    for (uint32_t i = 0; i < img.nsections; i++) {
        const struct image_section *s = &img.sections[i];
        printf("\nsection %u: 0x%08x..0x%08llx  %s%s  (%u bytes in file)\n", i, s->addr,
               (unsigned long long)s->addr + s->mem_size, s->flags & IMAGE_SEC_EXEC ? "exec" : "",
               s->flags & IMAGE_SEC_WRITE ? "write" : "", s->file_size);
        if (s->flags & IMAGE_SEC_EXEC)
            dump_code(&img, s);
        else
            dump_data(&img, s);
    }
    printf("\nsymbols:\n");
    for (uint32_t i = 0; i < img.nsymbols; i++) {
        const struct image_symbol *s = &img.symbols[i];
        printf("  0x%08x  0x%08x  %-6s  %s\n", s->value, s->size,
               s->kind == IMAGE_SYM_GLOBAL  ? "global"
               : s->kind == IMAGE_SYM_LABEL ? "label"
                                            : "const",
               s->name);
    }
    image_free(&img);
    return 0;
}

/* ---- Assembling */

/* SOURCE with its .s (if any) replaced by .img. */
static char *default_output(const char *source)
{
    size_t n = strlen(source);
    char *out = malloc(n + 5);
    if (!out)
        return NULL;
    memcpy(out, source, n + 1);
    if (n > 2 && strcmp(out + n - 2, ".s") == 0)
        out[n - 2] = '\0';
    strcat(out, ".img");
    return out;
}

/* Remove a stale or partial output, but only a regular file: as root,
 * `-o /dev/null` must never delete the device. */
static void remove_output(const char *path)
{
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
        unlink(path);
}

/* Write a buffer to a file; 0 on success (a failed write removes the file). */
static int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "lde-as: error: cannot write '%s': %s\n", path, strerror(errno));
        return -1;
    }
    int bad = fwrite(data, 1, len, f) != len;
    bad |= fclose(f) != 0;
    if (bad) {
        fprintf(stderr, "lde-as: error: cannot write '%s'\n", path);
        remove_output(path);
        return -1;
    }
    return 0;
}

/* A text stream in memory (listing, map), written out only on success. */
struct membuf {
    char *data; /* contents */
    size_t len; /* bytes */
    FILE *f;    /* the stream writing into data */
};

/* Is `path` the source file itself (the same file, by any name)?  Writing
 * there, or removing it after an error, would destroy the source. */
static bool is_source(const char *path, const char *source)
{
    struct stat p, src;
    return path != NULL && stat(path, &p) == 0 && stat(source, &src) == 0 &&
           p.st_dev == src.st_dev && p.st_ino == src.st_ino;
}

/* Would two outputs be written to one file (one name, or one file by two
 * names)?  The second would replace the first. */
static bool one_file(const char *a, const char *b)
{
    return a != NULL && b != NULL && (strcmp(a, b) == 0 || is_source(a, b));
}

static int assemble(const struct args *a)
{
    struct asm_options opt = {a->includes, a->nincludes, a->defines, a->ndefines,
                              a->werror,   NULL,         NULL};
    struct membuf list = {NULL, 0, NULL}, map = {NULL, 0, NULL};
    struct image img;
    int rc = 1;
    char *out = a->out ? strdup(a->out) : default_output(a->source);
    if (!out)
        return 1;
    const char *clash = is_source(out, a->source)          ? out
                        : is_source(a->listing, a->source) ? a->listing
                        : is_source(a->map, a->source)     ? a->map
                                                           : NULL;
    if (clash) {
        fprintf(stderr, "lde-as: error: '%s' is the source file; choose another output\n", clash);
        free(out);
        return 2;
    }
    const char *twice = one_file(out, a->listing)      ? "the image and the listing (-l)"
                        : one_file(out, a->map)        ? "the image and the map (--map)"
                        : one_file(a->listing, a->map) ? "the listing (-l) and the map (--map)"
                                                       : NULL;
    if (twice) {
        fprintf(stderr, "lde-as: error: %s would be the same file; choose another output\n", twice);
        free(out);
        return 2;
    }
    if (a->listing)
        opt.listing = list.f = open_memstream(&list.data, &list.len);
    if (a->map)
        opt.map = map.f = open_memstream(&map.data, &map.len);
    int ok = asm_assemble_file(a->source, &opt, &img, stderr) == 0;
    if (list.f)
        fclose(list.f);
    if (map.f)
        fclose(map.f);
    if (ok) {
        uint8_t *bytes = NULL;
        size_t len = image_serialise(&img, &bytes);
        if (!len)
            fprintf(stderr, "lde-as: error: out of memory\n");
        rc = !len || write_file(out, bytes, len) < 0;
        if (!rc && a->listing)
            rc = write_file(a->listing, list.data, list.len) < 0;
        if (!rc && a->map)
            rc = write_file(a->map, map.data, map.len) < 0;
        free(bytes);
        image_free(&img);
    }
    if (rc) {
        /* never leave a stale or partial output behind, listing and map included */
        remove_output(out);
        if (a->listing)
            remove_output(a->listing);
        if (a->map)
            remove_output(a->map);
    }
    free(list.data);
    free(map.data);
    free(out);
    return rc;
}

int main(int argc, char **argv)
{
    struct args a;
    int rc = parse_args(argc, argv, &a);
    if (rc == 0)
        rc = a.disassemble ? disassemble(a.source) : assemble(&a);
    else
        rc = rc > 0 ? 0 : 2;
    free(a.includes);
    free(a.defines);
    return rc;
}
