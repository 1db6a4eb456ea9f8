/*
 * fuzz_assembler.c - lde-as gets random and mutated sources.
 *
 * The input is split at its first NUL byte: the part before is the main
 * source, the part after becomes the file "b.s" next to it, so fuzzed text
 * also arrives through .include.  Fixed helper files sit in the same
 * folder: "m.s" (macros), "self.s" (includes itself), "deep.s" (includes
 * m.s).  The assembler must produce an image or fail with at least one
 * "error:" diagnostic; a produced image must serialise, parse again and
 * disassemble.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assembler.h"
#include "disasm.h"
#include "fuzz.h"
#include "image.h"

#define MAX_SOURCE (64u * 1024u) /* longer inputs are cut (time per run) */

static const char macros_s[] = "        .macro twice op, r\n"
                               "        \\op \\r, \\r, 1\n"
                               "        \\op \\r, \\r, 1\n"
                               "        .endm\n"
                               "        .macro lbl\n"
                               "l\\@:    .word l\\@\n"
                               "        .endm\n"
                               "        .equ M_CONST, 0x1234\n";
static const char self_s[] = "        .include \"self.s\"\n";
static const char deep_s[] = "        .include \"m.s\"\n        twice addi, a0\n";

static char dir[64];      /* the scratch folder of this process */
static char main_path[96]; /* its main source name */

static void write_text(const char *name, const char *text, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (fuzz_write_file(path, (const uint8_t *)text, len) != 0)
        fuzz_fail("cannot write %s", path);
}

static void remove_dir(void)
{
    const char *names[] = {"m.s", "self.s", "deep.s", "b.s"};
    char path[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void setup_once(void)
{
    if (dir[0] != '\0')
        return;
    fuzz_temp_path(dir, sizeof dir, "asm");
    mkdir(dir, 0700);
    snprintf(main_path, sizeof main_path, "%s/fuzz.s", dir);
    write_text("m.s", macros_s, sizeof macros_s - 1);
    write_text("self.s", self_s, sizeof self_s - 1);
    write_text("deep.s", deep_s, sizeof deep_s - 1);
    atexit(remove_dir);
}

static void check_image(const struct image *img)
{
    uint8_t *bytes = NULL;
    size_t n = image_serialise(img, &bytes);
    struct image again;
    char err[256] = "";

    if (n == 0)
        fuzz_fail("an assembled image does not serialise");
    if (image_parse(&again, bytes, n, err, sizeof err) != 0)
        fuzz_fail("an assembled image does not parse: %s", err);
    for (uint32_t i = 0; i < again.nsections; i++) {
        const struct image_section *s = &again.sections[i];
        for (uint32_t off = 0; off + 4 <= s->file_size && off < 1024; off += 4) {
            uint32_t w = (uint32_t)s->data[off] | (uint32_t)s->data[off + 1] << 8 |
                         (uint32_t)s->data[off + 2] << 16 | (uint32_t)s->data[off + 3] << 24;
            char buf[256];
            disasm_insn(w, s->addr + off, &again, buf, sizeof buf);
        }
    }
    image_free(&again);
    free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    if (size > MAX_SOURCE)
        size = MAX_SOURCE;
    const uint8_t *nul = memchr(data, 0, size);
    size_t main_len = nul ? (size_t)(nul - data) : size;
    if (nul != NULL)
        write_text("b.s", (const char *)nul + 1, size - main_len - 1);
    else
        write_text("b.s", "", 0);

    char *diag_text = NULL;
    size_t diag_len = 0;
    FILE *diag = open_memstream(&diag_text, &diag_len);
    if (diag == NULL)
        fuzz_fail("open_memstream failed");
    const char *incs[] = {dir};
    const char *defs[] = {"FUZZ=1", "D"};
    struct asm_options opt = {incs, 1, defs, 2, 0, NULL, NULL};
    struct image img;
    int rc = asm_assemble_string(main_path, (const char *)data, main_len, &opt, &img, diag);
    fclose(diag);
    if (rc == 0) {
        check_image(&img);
        image_free(&img);
    } else if (diag_text == NULL || strstr(diag_text, "error:") == NULL) {
        fuzz_fail("assembly failed without an error message");
    }
    free(diag_text);
    return 0;
}
