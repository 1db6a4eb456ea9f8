/*
 * assembler.h - lde-as as a library: LDE32 assembly source in, LDEX image out.
 *
 * Used by lde-as (asm/lde_as.c) and by `lde run prog.s`.  The library never
 * exits and never prints anywhere but the `diag` stream it is given.
 * Diagnostics look like a compiler's:
 *
 *   prog.s:12:9: error: unknown mnemonic 'addd'; did you mean 'add'?
 *       addd a0, a0, 1
 *       ^
 */
#ifndef LDE_ASSEMBLER_H
#define LDE_ASSEMBLER_H

#include <stddef.h>
#include <stdio.h>

#include "image.h"

struct asm_options {
    const char *const *include_dirs; /* searched after the including file's folder */
    size_t n_include_dirs;           /* entries in include_dirs */
    const char *const *defines;      /* "NAME=VALUE" or "NAME" (means NAME=1), like -D */
    size_t n_defines;                /* entries in defines */
    int werror;                      /* nonzero: warnings count as errors */
    FILE *listing;                   /* if not NULL, gets the listing on success */
    FILE *map;                       /* if not NULL, gets the symbol map on success */
};

/*
 * Assemble the file at `path` into `out` (an image owning its memory; free it
 * with image_free).  `opt` may be NULL for defaults; `diag` receives every
 * error and warning (NULL: stderr).  Returns 0 on success, -1 if there were
 * errors (then `out` is empty and nothing was written to listing or map).
 */
int asm_assemble_file(const char *path, const struct asm_options *opt, struct image *out,
                      FILE *diag);

/* The same for source text in memory; `name` is used in messages and its
 * folder for relative .include paths. */
int asm_assemble_string(const char *name, const char *text, size_t len,
                        const struct asm_options *opt, struct image *out, FILE *diag);

#endif /* LDE_ASSEMBLER_H */
