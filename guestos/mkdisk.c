/*
 * mkdisk.c - lde-mkdisk: pack files (program images, text) into an lde disk
 * image, or list one.  The format is in devices/disk.h and docs/disk.md.
 *
 *   lde-mkdisk -o OUT [-b BASE] FILE[=NAME]...   build OUT (from BASE's files, if given)
 *   lde-mkdisk -l DISK                           list the directory
 *
 * A file's name on the disk is NAME, or its file name without directories
 * and without a final ".img".
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "disk.h"

static void usage(FILE *to)
{
    fprintf(to, "usage: lde-mkdisk -o OUT [-b BASE] FILE[=NAME]...\n"
                "       lde-mkdisk -l DISK\n");
}

/* Read a whole host file.  NULL with a message on stderr. */
static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long end;

    if (f == NULL) {
        fprintf(stderr, "lde-mkdisk: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (end = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc(end > 0 ? (size_t)end : 1);
        if (buf != NULL && fread(buf, 1, (size_t)end, f) == (size_t)end) {
            *len = (size_t)end;
            fclose(f);
            return buf;
        }
    }
    fprintf(stderr, "lde-mkdisk: %s: cannot read\n", path);
    free(buf);
    fclose(f);
    return NULL;
}

/* The disk name for an argument "path[=name]", written into `name`. */
static void disk_name(const char *arg, char *path, size_t pathlen, char *name, size_t namelen)
{
    const char *eq = strchr(arg, '=');
    const char *base;
    size_t n;

    snprintf(path, pathlen, "%.*s", (int)(eq ? (size_t)(eq - arg) : strlen(arg)), arg);
    if (eq != NULL) {
        snprintf(name, namelen, "%s", eq + 1);
        return;
    }
    base = strrchr(path, '/');
    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".img") == 0)
        n -= 4;
    snprintf(name, namelen, "%.*s", (int)n, base);
}

/* The largest file the guest kernel loads or reads: its staging buffer
 * (STAGE_SIZE in guestos/kernel/layout.s).  The disk holds bigger ones. */
#define MKDISK_GUEST_MAX (128u << 10)

static int add_arg(struct diskfmt_image *img, const char *arg)
{
    char path[4096], name[256], err[256];
    size_t len = 0;
    uint8_t *data;
    int rc;

    disk_name(arg, path, sizeof(path), name, sizeof(name));
    data = read_file(path, &len);
    if (data == NULL)
        return -1;
    rc = diskfmt_add(img, name, data, len, err, sizeof(err));
    free(data);
    if (rc != 0)
        fprintf(stderr, "lde-mkdisk: %s: %s\n", path, err);
    else if (len > MKDISK_GUEST_MAX)
        fprintf(stderr,
                "lde-mkdisk: warning: %s: %zu bytes; the guest OS loads and reads files of at "
                "most %u bytes\n",
                path, len, MKDISK_GUEST_MAX);
    return rc;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int list(const char *path)
{
    struct diskfmt_image img;
    char err[256];
    uint32_t dir_blocks;

    if (diskfmt_load(&img, path, err, sizeof(err)) != 0) {
        fprintf(stderr, "lde-mkdisk: %s\n", err);
        return 1;
    }
    dir_blocks = le32(img.data + DISKFMT_OFF_DIR_BLOCKS);
    printf("%s: %u blocks, %u directory blocks\n", path, le32(img.data + DISKFMT_OFF_BLOCKS),
           dir_blocks);
    printf("%-23s %8s %6s\n", "name", "size", "start");
    for (uint32_t i = 0; i < diskfmt_max_entries(dir_blocks); i++) {
        const uint8_t *ent = img.data + DISKFMT_SUPER_SIZE + (size_t)i * DISKFMT_ENTRY_SIZE;
        if (ent[0] != 0)
            printf("%-23s %8u %6u\n", (const char *)ent, le32(ent + DISKFMT_ENT_SIZE),
                   le32(ent + DISKFMT_ENT_START));
    }
    diskfmt_free(&img);
    return 0;
}

/* Is the FILE[=NAME] argument `arg` the output itself (one name, or one
 * file by two names)?  Saving the disk would overwrite it. */
static bool is_output(const char *arg, const char *out)
{
    char path[4096], name[256];
    struct stat a, o;

    disk_name(arg, path, sizeof(path), name, sizeof(name));
    return strcmp(path, out) == 0 || (stat(path, &a) == 0 && stat(out, &o) == 0 &&
                                      a.st_dev == o.st_dev && a.st_ino == o.st_ino);
}

int main(int argc, char **argv)
{
    const char *out = NULL, *base = NULL;
    struct diskfmt_image img;
    char err[256];
    int i, rc;

    if (argc == 3 && strcmp(argv[1], "-l") == 0)
        return list(argv[2]);
    for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-o") == 0)
            out = argv[i + 1];
        else if (strcmp(argv[i], "-b") == 0)
            base = argv[i + 1];
        else
            break;
    }
    if (out == NULL || (i < argc && argv[i][0] == '-')) {
        usage(stderr);
        return 2;
    }
    for (int k = i; k < argc; k++) {
        if (is_output(argv[k], out)) {
            fprintf(stderr,
                    "lde-mkdisk: '%s' is both a file to add and the output; choose another "
                    "output\n",
                    out);
            return 2;
        }
    }
    rc = base ? diskfmt_load(&img, base, err, sizeof(err)) : diskfmt_init(&img, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "lde-mkdisk: %s\n", err);
        return 1;
    }
    for (; i < argc && rc == 0; i++)
        rc = add_arg(&img, argv[i]);
    if (rc == 0 && diskfmt_save(&img, out, err, sizeof(err)) != 0) {
        fprintf(stderr, "lde-mkdisk: %s\n", err);
        rc = -1;
    }
    diskfmt_free(&img);
    return rc == 0 ? 0 : 1;
}
