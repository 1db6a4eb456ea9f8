/*
 * run.c - `lde run PROG.s [ARGS...]`: run one program on the guest OS.
 *
 * Assembles PROG.s (with the guest OS's user library on the include path),
 * copies the disk (the bundled one, or --disk) to a temporary file, adds
 * the program under its name (PROG without directories and ".s") and a
 * file `bootcmd` holding "PROG ARGS...".  The kernel's init runs bootcmd
 * and halts with the program's exit status.  The disk the user gave is
 * never modified; the temporary copy is removed by main.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assembler.h"
#include "disk.h"
#include "emu.h"

#define BOOTCMD_MAX   255 /* init reads at most this many bytes of bootcmd */
#define BOOTCMD_WORDS 16  /* init splits it into at most this many words */

/* The program's name on the disk: basename of `path` without ".s". */
static int program_name(const char *path, char *name, size_t len, char *err, size_t errlen)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 2 && strcmp(base + n - 2, ".s") == 0) {
        n -= 2;
    }
    if (n == 0 || n > DISKFMT_NAME_MAX || n >= len) {
        snprintf(err, errlen, "%s: program name must be 1..%u characters", path, DISKFMT_NAME_MAX);
        return -1;
    }
    memcpy(name, base, n);
    name[n] = '\0';
    if (strpbrk(name, " \t\n") != NULL || strcmp(name, "bootcmd") == 0) {
        snprintf(err, errlen, "%s: the program cannot be called '%s' on the guest's disk (%s)",
                 path, name,
                 strcmp(name, "bootcmd") == 0 ? "that is the boot command's file"
                                              : "init splits its command at blanks");
        return -1;
    }
    return 0;
}

/* The guest's init splits bootcmd at blanks into at most BOOTCMD_WORDS
 * words: arguments it would change (empty, with a blank, too many) are
 * refused rather than passed changed. */
static int check_args(int argc, char **argv, char *err, size_t errlen)
{
    if (argc > BOOTCMD_WORDS - 1) {
        snprintf(err, errlen, "run: %d arguments; the guest passes at most %d", argc,
                 BOOTCMD_WORDS - 1);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '\0' || strpbrk(argv[i], " \t\n") != NULL) {
            snprintf(err, errlen, "run: argument %d '%s' is %s: init splits the command at blanks",
                     i + 1, argv[i], argv[i][0] == '\0' ? "empty" : "more than one word");
            return -1;
        }
    }
    return 0;
}

/* "NAME ARG1 ARG2 ..." into `cmd`. */
static int boot_command(const char *name, int argc, char **argv, char *cmd, size_t len, char *err,
                        size_t errlen)
{
    size_t used = (size_t)snprintf(cmd, len, "%s", name);

    for (int i = 0; i < argc && used < len; i++) {
        used += (size_t)snprintf(cmd + used, len - used, " %s", argv[i]);
    }
    if (used >= len) {
        snprintf(err, errlen, "run: the command line is longer than %u bytes", BOOTCMD_MAX);
        return -1;
    }
    return 0;
}

/* Assemble `path` into a serialised LDEX image (malloc'd, *size bytes);
 * the image itself goes to *keep (its symbols: the monitor's names for the
 * program), or is freed if keep is NULL. */
static uint8_t *assemble(const char *path, size_t *size, struct image *keep)
{
#ifdef LDE_GUESTOS_USER_DIR
    static const char *const dirs[] = {LDE_GUESTOS_USER_DIR, LDE_GUESTOS_INCLUDE_DIR};
    struct asm_options opt = {.include_dirs = dirs, .n_include_dirs = 2};
#else
    struct asm_options opt = {0};
#endif
    struct image img;
    uint8_t *bytes = NULL;

    if (asm_assemble_file(path, &opt, &img, stderr) != 0) {
        return NULL;
    }
    *size = image_serialise(&img, &bytes);
    if (keep != NULL && *size != 0) {
        *keep = img;
    } else {
        image_free(&img);
    }
    if (*size == 0) {
        fprintf(stderr, "lde: run: out of memory\n"); /* the assembler said nothing */
    }
    return *size ? bytes : NULL;
}

/* Write `disk` to a fresh temporary file; its name goes to `tmp`. */
static int save_temporary(const struct diskfmt_image *disk, char *tmp, size_t tmplen, char *err,
                          size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    snprintf(tmp, tmplen, "%s/lde-run-XXXXXX", dir && dir[0] ? dir : "/tmp");
    fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary disk", tmp);
        tmp[0] = '\0';
        return -1;
    }
    close(fd);
    if (diskfmt_save(disk, tmp, err, errlen) != 0) {
        unlink(tmp);
        tmp[0] = '\0';
        return -1;
    }
    return 0;
}

int emu_run_make_disk(const char *prog, int argc, char **argv, const char *base_disk, char *tmp,
                      size_t tmplen, struct emu_program *keep, char *err, size_t errlen)
{
    char name[DISKFMT_NAME_MAX + 1], cmd[BOOTCMD_MAX + 1];
    struct diskfmt_image disk = {NULL, 0};
    size_t size = 0;
    uint8_t *code;
    int rc = -1;

    tmp[0] = '\0';
    if (program_name(prog, name, sizeof name, err, errlen) != 0 ||
        check_args(argc, argv, err, errlen) != 0 ||
        boot_command(name, argc, argv, cmd, sizeof cmd, err, errlen) != 0) {
        return EMU_EXIT_USAGE;
    }
    code = assemble(prog, &size, keep != NULL ? &keep->image : NULL);
    if (keep != NULL && code != NULL) {
        snprintf(keep->name, sizeof keep->name, "%s", name);
        keep->loaded = true;
    }
    if (code == NULL) {
        err[0] = '\0'; /* the assembler has printed its diagnostics */
        return EMU_EXIT_IMAGE;
    }
    if (diskfmt_load(&disk, base_disk, err, errlen) == 0 &&
        diskfmt_add(&disk, name, code, size, err, errlen) == 0 &&
        diskfmt_add(&disk, "bootcmd", (const uint8_t *)cmd, strlen(cmd), err, errlen) == 0) {
        rc = save_temporary(&disk, tmp, tmplen, err, errlen);
    }
    diskfmt_free(&disk);
    free(code);
    return rc == 0 ? 0 : EMU_EXIT_IMAGE;
}
