/*
 * image.c - read, validate, write and query LDEX executable images.
 *
 * The parser never trusts the file: every count, size and offset is checked
 * (in 64-bit arithmetic, so nothing can overflow) before it is used, and the
 * first problem found is reported as one line of text.
 */
#include "image.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Format an error message into err (if there is room) and return -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int symbol_compare(const void *a, const void *b)
{
    const struct image_symbol *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The header: counts and sizes, checked against each other and the limits. */
struct header {
    uint32_t entry;    /* entry point */
    uint32_t nsec;     /* number of sections */
    uint32_t nsym;     /* number of symbols */
    uint32_t strsize;  /* string table size */
    uint64_t data_off; /* where the section contents start */
};

static int parse_header(struct header *h, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    if (len < IMAGE_HEADER_SIZE)
        return fail(err, errlen, "truncated image: %zu bytes, header needs %u", len,
                    IMAGE_HEADER_SIZE);
    if (get_u32(data) != IMAGE_MAGIC)
        return fail(err, errlen, "not an LDEX image (bad magic)");
    if (get_u32(data + 4) != IMAGE_VERSION)
        return fail(err, errlen, "unsupported image version %u (expected %u)", get_u32(data + 4),
                    IMAGE_VERSION);
    h->entry = get_u32(data + 8);
    h->nsec = get_u32(data + 12);
    h->nsym = get_u32(data + 16);
    h->strsize = get_u32(data + 20);
    if (get_u32(data + 24) != 0 || get_u32(data + 28) != 0)
        return fail(err, errlen, "reserved header fields are not zero");
    if (h->nsec > IMAGE_MAX_SECTIONS)
        return fail(err, errlen, "too many sections: %u (at most %u)", h->nsec, IMAGE_MAX_SECTIONS);
    if (h->nsym > IMAGE_MAX_SYMBOLS)
        return fail(err, errlen, "too many symbols: %u (at most %u)", h->nsym, IMAGE_MAX_SYMBOLS);
    h->data_off = IMAGE_HEADER_SIZE + (uint64_t)h->nsec * IMAGE_SECTION_SIZE;
    if (h->data_off > len)
        return fail(err, errlen, "truncated image: section headers end at %llu, file has %zu",
                    (unsigned long long)h->data_off, len);
    return 0;
}

/* Read and check the section headers; the data pointers point into `blob`. */
static int parse_sections(struct image *img, const struct header *h, size_t len, char *err,
                          size_t errlen)
{
    uint64_t off = h->data_off;
    for (uint32_t i = 0; i < h->nsec; i++) {
        const uint8_t *p = img->blob + IMAGE_HEADER_SIZE + i * IMAGE_SECTION_SIZE;
        struct image_section *s = &img->sections[i];
        s->addr = get_u32(p);
        s->file_size = get_u32(p + 4);
        s->mem_size = get_u32(p + 8);
        s->flags = get_u32(p + 12);
        if (s->mem_size < s->file_size)
            return fail(err, errlen, "section %u: memory size %u is smaller than file size %u", i,
                        s->mem_size, s->file_size);
        if ((uint64_t)s->addr + s->mem_size > 0x100000000ull)
            return fail(err, errlen, "section %u: 0x%08x + 0x%x runs past the 32-bit address space",
                        i, s->addr, s->mem_size);
        if (s->flags & ~(IMAGE_SEC_EXEC | IMAGE_SEC_WRITE))
            return fail(err, errlen, "section %u: unknown flags 0x%x", i, s->flags);
        if (off + s->file_size > len)
            return fail(err, errlen, "truncated image: section %u data ends at %llu, file has %zu",
                        i, (unsigned long long)(off + s->file_size), len);
        s->data = img->blob + off;
        off += s->file_size;
    }
    for (uint32_t i = 0; i < h->nsec; i++) {
        for (uint32_t j = 0; j < i; j++) {
            const struct image_section *a = &img->sections[i], *b = &img->sections[j];
            uint64_t a_end = (uint64_t)a->addr + a->mem_size;
            uint64_t b_end = (uint64_t)b->addr + b->mem_size;
            if (a->mem_size && b->mem_size && a->addr < b_end && b->addr < a_end)
                return fail(err, errlen, "sections %u and %u overlap", j, i);
        }
    }
    return 0;
}

/* Read and check the symbols and the string table, then sort the symbols. */
static int parse_symbols(struct image *img, const struct header *h, uint64_t sym_off, size_t len,
                         char *err, size_t errlen)
{
    uint64_t str_off = sym_off + (uint64_t)h->nsym * IMAGE_SYMBOL_SIZE;
    if (str_off + h->strsize != len)
        return fail(err, errlen,
                    str_off + h->strsize > len
                        ? "truncated image: expected %llu bytes, file has %zu"
                        : "image size mismatch: expected %llu bytes, file has %zu",
                    (unsigned long long)(str_off + h->strsize), len);
    const char *strtab = (const char *)img->blob + str_off;
    if (h->strsize > 0 && strtab[h->strsize - 1] != '\0')
        return fail(err, errlen, "string table is not NUL-terminated");
    for (uint32_t i = 0; i < h->nsym; i++) {
        const uint8_t *p = img->blob + sym_off + (uint64_t)i * IMAGE_SYMBOL_SIZE;
        struct image_symbol *s = &img->symbols[i];
        uint32_t name = get_u32(p + 8), kind = get_u32(p + 12);
        s->value = get_u32(p);
        s->size = get_u32(p + 4);
        if (name >= h->strsize)
            return fail(err, errlen,
                        "symbol %u: name offset %u outside the string table (%u bytes)", i, name,
                        h->strsize);
        if (kind > IMAGE_SYM_GLOBAL)
            return fail(err, errlen, "symbol %u: unknown kind %u", i, kind);
        s->kind = (enum image_sym_kind)kind;
        s->name = strtab + name;
        if (s->name[0] == '\0')
            return fail(err, errlen, "symbol %u has an empty name", i);
    }
    if (h->nsym > 1)
        qsort(img->symbols, h->nsym, sizeof *img->symbols, symbol_compare);
    return 0;
}

int image_parse(struct image *img, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    struct header h = {0, 0, 0, 0, 0};
    memset(img, 0, sizeof *img);
    if (!data && len)
        return fail(err, errlen, "no data");
    if (parse_header(&h, data, len, err, errlen) < 0)
        return -1;
    img->blob = malloc(len);
    img->sections = calloc(h.nsec ? h.nsec : 1, sizeof *img->sections);
    img->symbols = calloc(h.nsym ? h.nsym : 1, sizeof *img->symbols);
    if (!img->blob || !img->sections || !img->symbols) {
        image_free(img);
        return fail(err, errlen, "out of memory");
    }
    memcpy(img->blob, data, len);
    img->blob_size = len;
    img->entry = h.entry;
    img->nsections = h.nsec;
    img->nsymbols = h.nsym;
    uint64_t sym_off = h.data_off;
    if (parse_sections(img, &h, len, err, errlen) < 0)
        goto bad;
    for (uint32_t i = 0; i < h.nsec; i++)
        sym_off += img->sections[i].file_size;
    if (parse_symbols(img, &h, sym_off, len, err, errlen) < 0)
        goto bad;
    return 0;
bad:
    image_free(img);
    return -1;
}

int image_read_file(struct image *img, const char *path, char *err, size_t errlen)
{
    char why[200];
    memset(img, 0, sizeof *img);
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nbuf = realloc(buf, cap);
            if (!nbuf) {
                free(buf);
                fclose(f);
                return fail(err, errlen, "%s: out of memory", path);
            }
            buf = nbuf;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f) ? (errno ? errno : EIO) : 0; /* e.g. EISDIR: a directory opens */
    fclose(f);
    if (bad) {
        free(buf);
        return fail(err, errlen, "%s: %s", path, strerror(bad));
    }
    int rc = image_parse(img, buf, len, why, sizeof why);
    free(buf);
    if (rc < 0)
        return fail(err, errlen, "%s: %s", path, why);
    return 0;
}

void image_free(struct image *img)
{
    if (!img)
        return;
    free(img->sections);
    free(img->symbols);
    free(img->blob);
    memset(img, 0, sizeof *img);
}

size_t image_serialise(const struct image *img, uint8_t **out)
{
    uint64_t size = IMAGE_HEADER_SIZE + (uint64_t)img->nsections * IMAGE_SECTION_SIZE;
    uint64_t strsize = 0;
    *out = NULL;
    if (img->nsections > IMAGE_MAX_SECTIONS || img->nsymbols > IMAGE_MAX_SYMBOLS)
        return 0;
    for (uint32_t i = 0; i < img->nsections; i++)
        size += img->sections[i].file_size;
    size += (uint64_t)img->nsymbols * IMAGE_SYMBOL_SIZE;
    for (uint32_t i = 0; i < img->nsymbols; i++)
        strsize += strlen(img->symbols[i].name) + 1;
    size += strsize;
    if (size > 0xffffffffu)
        return 0;
    uint8_t *buf = calloc(1, (size_t)size);
    if (!buf)
        return 0;
    put_u32(buf, IMAGE_MAGIC);
    put_u32(buf + 4, IMAGE_VERSION);
    put_u32(buf + 8, img->entry);
    put_u32(buf + 12, img->nsections);
    put_u32(buf + 16, img->nsymbols);
    put_u32(buf + 20, (uint32_t)strsize);
    uint8_t *p = buf + IMAGE_HEADER_SIZE;
    for (uint32_t i = 0; i < img->nsections; i++, p += IMAGE_SECTION_SIZE) {
        const struct image_section *s = &img->sections[i];
        put_u32(p, s->addr);
        put_u32(p + 4, s->file_size);
        put_u32(p + 8, s->mem_size);
        put_u32(p + 12, s->flags);
    }
    for (uint32_t i = 0; i < img->nsections; i++) {
        if (img->sections[i].file_size)
            memcpy(p, img->sections[i].data, img->sections[i].file_size);
        p += img->sections[i].file_size;
    }
    uint8_t *strtab = p + (size_t)img->nsymbols * IMAGE_SYMBOL_SIZE;
    uint32_t name_off = 0;
    for (uint32_t i = 0; i < img->nsymbols; i++, p += IMAGE_SYMBOL_SIZE) {
        const struct image_symbol *s = &img->symbols[i];
        size_t n = strlen(s->name) + 1;
        put_u32(p, s->value);
        put_u32(p + 4, s->size);
        put_u32(p + 8, name_off);
        put_u32(p + 12, (uint32_t)s->kind);
        memcpy(strtab + name_off, s->name, n);
        name_off += (uint32_t)n;
    }
    *out = buf;
    return (size_t)size;
}

int image_place(const struct image *img, uint8_t *mem, uint32_t mem_size, char *err, size_t errlen)
{
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        if ((uint64_t)s->addr + s->mem_size > mem_size)
            return fail(err, errlen,
                        "section %u (0x%08x..0x%08llx) does not fit in memory of %u bytes", i,
                        s->addr, (unsigned long long)s->addr + s->mem_size, mem_size);
    }
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        if (s->file_size)
            memcpy(mem + s->addr, s->data, s->file_size);
        memset(mem + s->addr + s->file_size, 0, s->mem_size - s->file_size);
    }
    return 0;
}

/* Index of the last symbol whose value is <= addr, or -1. */
static long last_at_or_below(const struct image *img, uint32_t addr)
{
    long lo = 0, hi = (long)img->nsymbols;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (img->symbols[mid].value <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

const struct image_symbol *image_symbol_at(const struct image *img, uint32_t addr, uint32_t *offset)
{
    if (!img || !img->nsymbols)
        return NULL;
    const struct image_symbol *best = NULL;
    /* Walk down to the nearest address that has a label; among labels at
     * that address prefer a global one, then the first by name. */
    for (long i = last_at_or_below(img, addr); i >= 0; i--) {
        const struct image_symbol *s = &img->symbols[i];
        if (best && s->value != best->value)
            break;
        if (s->kind == IMAGE_SYM_CONST)
            continue;
        if (!best || s->kind == IMAGE_SYM_GLOBAL || best->kind != IMAGE_SYM_GLOBAL)
            best = s;
    }
    if (best && offset)
        *offset = addr - best->value;
    return best;
}

bool image_covers(const struct image *img, uint32_t addr)
{
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        if (addr >= s->addr && addr - s->addr < s->mem_size)
            return true;
    }
    return false;
}

const struct image_symbol *image_symbol_named(const struct image *img, const char *name)
{
    if (!img)
        return NULL;
    for (uint32_t i = 0; i < img->nsymbols; i++)
        if (strcmp(img->symbols[i].name, name) == 0)
            return &img->symbols[i];
    return NULL;
}
