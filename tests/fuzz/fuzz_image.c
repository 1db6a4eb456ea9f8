/*
 * fuzz_image.c - the LDEX image reader gets any bytes.
 *
 * It must parse them or give a one-line reason.  A parsed image must
 * serialise and parse again to the same entry, sections and symbols; every
 * symbol must be found by name and by address; placing it in a small
 * memory must copy it or refuse cleanly; its words must disassemble.
 */
#include <stdlib.h>
#include <string.h>

#include "disasm.h"
#include "fuzz.h"
#include "image.h"

#define PLACE_MEM 0x2000u /* memory the image is placed into */

static void check_round_trip(const struct image *img)
{
    uint8_t *bytes = NULL;
    size_t n = image_serialise(img, &bytes);
    if (n == 0)
        fuzz_fail("a parsed image does not serialise");
    struct image again;
    char err[256] = "";
    if (image_parse(&again, bytes, n, err, sizeof err) != 0)
        fuzz_fail("a serialised image does not parse: %s", err);
    if (again.entry != img->entry || again.nsections != img->nsections ||
        again.nsymbols != img->nsymbols)
        fuzz_fail("round trip changed the header");
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *a = &img->sections[i], *b = &again.sections[i];
        if (a->addr != b->addr || a->file_size != b->file_size || a->mem_size != b->mem_size ||
            a->flags != b->flags || (a->file_size && memcmp(a->data, b->data, a->file_size)))
            fuzz_fail("round trip changed section %u", i);
    }
    image_free(&again);
    free(bytes);
}

static void check_symbols(const struct image *img)
{
    for (uint32_t i = 0; i < img->nsymbols; i++) {
        const struct image_symbol *s = &img->symbols[i];
        const struct image_symbol *byname = image_symbol_named(img, s->name);
        if (byname == NULL || strcmp(byname->name, s->name) != 0)
            fuzz_fail("symbol '%s' not found by name", s->name);
        uint32_t off = 0;
        const struct image_symbol *at = image_symbol_at(img, s->value, &off);
        if (at != NULL && (at->kind == IMAGE_SYM_CONST || at->value + off != s->value))
            fuzz_fail("image_symbol_at(0x%08x) gave a bad answer", s->value);
        char buf[128];
        disasm_symbolize(img, s->value, buf, sizeof buf);
    }
}

/* Disassemble the first words of every section, with symbols. */
static void check_disassembly(const struct image *img)
{
    for (uint32_t i = 0; i < img->nsections; i++) {
        const struct image_section *s = &img->sections[i];
        for (uint32_t off = 0; off + 4 <= s->file_size && off < 256; off += 4) {
            uint32_t w = (uint32_t)s->data[off] | (uint32_t)s->data[off + 1] << 8 |
                         (uint32_t)s->data[off + 2] << 16 | (uint32_t)s->data[off + 3] << 24;
            char buf[160];
            int len = disasm_insn(w, s->addr + off, img, buf, sizeof buf);
            size_t shown = strnlen(buf, sizeof buf);
            /* Long symbol names may be cut, but the text is always terminated. */
            if (len < 0 || shown == sizeof buf || ((size_t)len < sizeof buf && shown != (size_t)len))
                fuzz_fail("disassembly of 0x%08x failed or is not terminated", w);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image img;
    char err[256] = "";

    if (image_parse(&img, data, size, err, sizeof err) != 0) {
        fuzz_check_message("image_parse", err);
        return 0;
    }
    check_round_trip(&img);
    check_symbols(&img);
    check_disassembly(&img);
    uint8_t *mem = calloc(PLACE_MEM, 1);
    if (mem != NULL) {
        err[0] = '\0';
        if (image_place(&img, mem, PLACE_MEM, err, sizeof err) != 0)
            fuzz_check_message("image_place", err);
        free(mem);
    }
    image_free(&img);
    return 0;
}
