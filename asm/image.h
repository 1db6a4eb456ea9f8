/*
 * image.h - the LDE32 executable image format ("LDEX"), read and written.
 *
 * Written by lde-as, read by lde, the monitor, the disassembler and the disk
 * tool.  The layout is documented byte by byte in docs/isa.md ("Executable
 * image format"); all fields are little-endian 32-bit words.
 *
 *   offset  size  field
 *   0x00    4     magic "LDEX" (bytes 'L' 'D' 'E' 'X')
 *   0x04    4     version (1)
 *   0x08    4     entry point address
 *   0x0c    4     number of sections            (at most IMAGE_MAX_SECTIONS)
 *   0x10    4     number of symbols             (at most IMAGE_MAX_SYMBOLS)
 *   0x14    4     size of the string table in bytes
 *   0x18    8     reserved, zero
 *   0x20          section headers, 16 bytes each:
 *                   +0 load address, +4 size in file, +8 size in memory
 *                   (>= size in file; the rest is zero-filled), +12 flags
 *                 then the section contents, in header order, back to back
 *                 then symbols, 16 bytes each:
 *                   +0 value, +4 size in bytes (0 if unknown),
 *                   +8 offset of the name in the string table, +12 kind
 *                 then the string table (NUL-terminated names)
 *
 * Reading validates everything (sizes, overlaps, name offsets, overflow)
 * and reports the first problem as one line of text; it never trusts the
 * file.
 */
#ifndef LDE_IMAGE_H
#define LDE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMAGE_MAGIC        0x5845444cu /* "LDEX" read as a little-endian word */
#define IMAGE_VERSION      1u
#define IMAGE_HEADER_SIZE  0x20u
#define IMAGE_SECTION_SIZE 16u
#define IMAGE_SYMBOL_SIZE  16u
#define IMAGE_MAX_SECTIONS 64u
#define IMAGE_MAX_SYMBOLS  1000000u

/* section flags */
#define IMAGE_SEC_EXEC  0x1u /* holds code */
#define IMAGE_SEC_WRITE 0x2u /* holds writable data */

/* symbol kinds */
enum image_sym_kind {
    IMAGE_SYM_LABEL = 0,  /* an address in the image */
    IMAGE_SYM_CONST = 1,  /* a constant (.equ); not an address */
    IMAGE_SYM_GLOBAL = 2, /* a label declared .global */
};

struct image_section {
    uint32_t addr;       /* load address (physical, or user virtual) */
    uint32_t file_size;  /* bytes of data present */
    uint32_t mem_size;   /* bytes occupied in memory (>= file_size) */
    uint32_t flags;      /* IMAGE_SEC_* */
    const uint8_t *data; /* file_size bytes (owned by the image) */
};

struct image_symbol {
    uint32_t value; /* address or constant */
    uint32_t size;  /* bytes, 0 if unknown */
    enum image_sym_kind kind;
    const char *name; /* NUL-terminated (owned by the image) */
};

struct image {
    uint32_t entry; /* where execution starts */
    uint32_t nsections;
    struct image_section *sections;
    uint32_t nsymbols;
    struct image_symbol *symbols; /* sorted by value, then name */
    uint8_t *blob;                /* owned copy of the file contents */
    size_t blob_size;
};

/* Parse `len` bytes.  0 on success; -1 with a one-line reason in `err`. */
int image_parse(struct image *img, const uint8_t *data, size_t len, char *err, size_t errlen);

/* Read and parse a file.  0 on success; -1 with "PATH: reason" in `err`. */
int image_read_file(struct image *img, const char *path, char *err, size_t errlen);

void image_free(struct image *img);

/* Serialise to a malloc'd buffer; returns its size or 0 on failure. */
size_t image_serialise(const struct image *img, uint8_t **out);

/* Copy every section into memory of `mem_size` bytes at `mem` (address 0 is
 * mem[0]).  0 on success; -1 with a reason if a section does not fit. */
int image_place(const struct image *img, uint8_t *mem, uint32_t mem_size, char *err, size_t errlen);

/* Does one of the image's sections (with its bss) hold address `addr`? */
bool image_covers(const struct image *img, uint32_t addr);

/* The label symbol at or below `addr` (nearest), or NULL; *offset = addr - value.
 * Constants are never returned. */
const struct image_symbol *image_symbol_at(const struct image *img, uint32_t addr,
                                           uint32_t *offset);

/* Look a symbol up by name; NULL if absent. */
const struct image_symbol *image_symbol_named(const struct image *img, const char *name);

#endif /* LDE_IMAGE_H */
