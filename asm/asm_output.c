/*
 * asm_output.c - the listing (-l) and the symbol map (--map).
 *
 * Listing: one row per source line, in the order lines were assembled
 * (macro expansions marked '+'):
 *
 *   LINE  ADDRESS   CODE/DATA                SOURCE
 *      3  00000000  00002101                 li a0, 0
 *
 * Instructions show as 32-bit words (as the disassembler prints them), data
 * as bytes in memory order, at most 8 per row and 4 rows per line.
 */
#include <string.h>

#include "asm_internal.h"

#define LIST_ROW_BYTES 8
#define LIST_MAX_ROWS  4

void asm_list_line(struct assembler *as)
{
    if (as->nlist == as->list_cap) {
        as->list_cap = as->list_cap ? as->list_cap * 2 : 1024;
        as->list = asm_xrealloc(as, as->list, as->list_cap * sizeof *as->list);
    }
    struct asm_list_rec *r = &as->list[as->nlist++];
    const struct asm_section *s = &as->sec[as->line_start_sec];
    r->file = as->loc.file;
    r->line = as->loc.line;
    r->in_macro = as->nframes > 0 && as->frames[as->nframes - 1].kind == FRAME_MACRO &&
                  as->line == as->expand;
    r->section = as->line_start_sec;
    r->addr = as->line_start_addr;
    r->offset = as->line_start_off;
    /* bytes emitted by this line: only if it stayed in the same section */
    r->nbytes = as->cur == as->line_start_sec ? s->size - as->line_start_off : 0;
    r->is_code = as->line_is_code;
    r->text = asm_strndup(as, as->line, (size_t)as->line_len);
}

/* The hex column of one row: words for code, bytes for data. */
static int hex_row(const struct asm_list_rec *r, const uint8_t *data, uint32_t from, char *buf,
                   size_t len)
{
    uint32_t n = r->nbytes - from, i;
    size_t used = 0;
    buf[0] = '\0';
    if (r->is_code && n >= 4 && from % 4 == 0) {
        const uint8_t *p = data + r->offset + from;
        uint32_t w =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        snprintf(buf, len, "%08x", w);
        return 4;
    }
    for (i = 0; i < n && i < LIST_ROW_BYTES; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%02x", i ? " " : "",
                                 data ? data[r->offset + from + i] : 0);
    return (int)i;
}

void asm_write_listing(struct assembler *as, FILE *f)
{
    int last_file = 0;
    fprintf(f, "# lde-as listing of %s\n", as->files[0].path);
    fprintf(f, " LINE  ADDRESS   CODE/DATA                SOURCE\n");
    for (size_t i = 0; i < as->nlist; i++) {
        const struct asm_list_rec *r = &as->list[i];
        const uint8_t *data = as->sec[r->section].data;
        char hex[64];
        if (r->file != last_file && r->file >= 0) {
            fprintf(f, "# file %s\n", as->files[r->file].path);
            last_file = r->file;
        }
        uint32_t done = 0;
        int rows = 0;
        if (r->section == SEC_BSS && r->nbytes) {
            snprintf(hex, sizeof hex, "(%u zero byte%s)", r->nbytes, r->nbytes == 1 ? "" : "s");
            fprintf(f, "%5d%c %08x  %-24s %s\n", r->line, r->in_macro ? '+' : ' ', r->addr, hex,
                    r->text);
            continue;
        }
        do {
            int took = r->nbytes ? hex_row(r, data, done, hex, sizeof hex) : 0;
            if (!r->nbytes)
                hex[0] = '\0';
            if (rows == 0 && r->nbytes)
                fprintf(f, "%5d%c %08x  %-24s %s\n", r->line, r->in_macro ? '+' : ' ', r->addr, hex,
                        r->text);
            else if (rows == 0)
                fprintf(f, "%5d%c %8s  %-24s %s\n", r->line, r->in_macro ? '+' : ' ', "", "",
                        r->text);
            else
                fprintf(f, "       %08x  %s\n", r->addr + done, hex);
            done += (uint32_t)took;
            rows++;
        } while (done < r->nbytes && rows < LIST_MAX_ROWS);
        if (done < r->nbytes)
            fprintf(f, "       %08x  ... (%u bytes in all)\n", r->addr + done, r->nbytes);
    }
}

static const char *kind_name(enum image_sym_kind k)
{
    return k == IMAGE_SYM_GLOBAL ? "global" : k == IMAGE_SYM_LABEL ? "label" : "const";
}

void asm_write_map(struct assembler *as, const struct image *img, FILE *f)
{
    fprintf(f, "# lde-as map of %s\n", as->files[0].path);
    fprintf(f, "entry 0x%08x\n\n", img->entry);
    fprintf(f, "# section  address     size        file size   flags\n");
    for (int i = 0; i < ASM_NSECS; i++) {
        const struct asm_section *s = &as->sec[i];
        if (!s->size)
            continue;
        fprintf(f, "%-10s 0x%08x  0x%08x  0x%08x  %s\n", s->name, s->base, s->size,
                i == SEC_BSS ? 0 : s->size, s->flags & IMAGE_SEC_EXEC ? "exec" : "write");
    }
    fprintf(f, "\n# address   size        kind    name\n");
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct image_symbol *s = &img->symbols[i];
        if (s->kind != IMAGE_SYM_CONST)
            fprintf(f, "0x%08x  0x%08x  %-7s %s\n", s->value, s->size, kind_name(s->kind), s->name);
    }
    fprintf(f, "\n# value       kind    name\n");
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct image_symbol *s = &img->symbols[i];
        if (s->kind == IMAGE_SYM_CONST)
            fprintf(f, "0x%08x  %-7s %s\n", s->value, kind_name(s->kind), s->name);
    }
}
