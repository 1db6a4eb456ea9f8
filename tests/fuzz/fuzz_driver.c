/*
 * fuzz_driver.c - runs a fuzz harness without libFuzzer, so that each
 * harness is also an ordinary, deterministic test (built with gcc).
 *
 *   fuzz-NAME [-m MUTATIONS] [-s SEED] PATH...
 *
 * Each PATH is a file or a directory of files (a seed corpus).  Every file
 * goes to LLVMFuzzerTestOneInput as it is, then MUTATIONS more times with
 * a few bytes changed, inserted or deleted, or cut short.  The mutations
 * come from a seeded generator, so a run is the same every time.  Exit 0
 * when every input was handled; a finding aborts (fuzz_fail) or trips a
 * sanitizer, which fails the test.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define DRIVER_MAX_INPUT (1u << 20) /* larger corpus files are cut here */

/* The driver's settings and counters. */
struct driver {
    unsigned long mutations; /* extra mutated runs per file */
    uint64_t rng;            /* xorshift state */
    unsigned long runs;      /* inputs given to the harness */
    unsigned long files;     /* corpus files read */
};

static uint32_t next_random(struct driver *d)
{
    d->rng ^= d->rng << 13;
    d->rng ^= d->rng >> 7;
    d->rng ^= d->rng << 17;
    return (uint32_t)(d->rng >> 16);
}

/* Change `buf` (len bytes, room for cap) in one random way; the new length. */
static size_t mutate_once(struct driver *d, uint8_t *buf, size_t len, size_t cap)
{
    size_t at = len ? next_random(d) % len : 0;

    switch (next_random(d) % 5) {
    case 0: /* flip a bit */
        if (len)
            buf[at] ^= (uint8_t)(1u << (next_random(d) % 8));
        return len;
    case 1: /* an interesting byte */
        if (len)
            buf[at] = (const uint8_t[]){0x00, 0xff, 0x7f, 0x80, 0x20, 0x0a}[next_random(d) % 6];
        return len;
    case 2: /* insert a random byte */
        if (len < cap) {
            memmove(buf + at + 1, buf + at, len - at);
            buf[at] = (uint8_t)next_random(d);
            return len + 1;
        }
        return len;
    case 3: /* delete a byte */
        if (len) {
            memmove(buf + at, buf + at + 1, len - at - 1);
            return len - 1;
        }
        return len;
    default: /* cut short */
        return at;
    }
}

/* Give one input to the harness as it is, then its mutations. */
static void run_input(struct driver *d, const uint8_t *data, size_t len)
{
    size_t cap = len + 64;
    uint8_t *buf = malloc(cap);

    if (buf == NULL) {
        fprintf(stderr, "fuzz-driver: out of memory\n");
        exit(2);
    }
    /* An exact-size copy, so that a read past the end trips the sanitizer. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        fprintf(stderr, "fuzz-driver: out of memory\n");
        exit(2);
    }
    memcpy(exact, data, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    d->runs++;
    for (unsigned long i = 0; i < d->mutations; i++) {
        memcpy(buf, data, len);
        size_t n = len;
        unsigned changes = 1 + next_random(d) % 4;
        for (unsigned k = 0; k < changes; k++)
            n = mutate_once(d, buf, n, cap);
        uint8_t *copy = malloc(n ? n : 1);
        if (copy == NULL) {
            fprintf(stderr, "fuzz-driver: out of memory\n");
            exit(2);
        }
        memcpy(copy, buf, n);
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
        d->runs++;
    }
    free(buf);
}

static int run_file(struct driver *d, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    uint8_t *data = malloc(DRIVER_MAX_INPUT);
    if (data == NULL) {
        fclose(f);
        fprintf(stderr, "fuzz-driver: out of memory\n");
        return -1;
    }
    size_t len = fread(data, 1, DRIVER_MAX_INPUT, f);
    fclose(f);
    run_input(d, data, len);
    free(data);
    d->files++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order (deterministic). */
static int run_dir(struct driver *d, const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp == NULL) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (grown == NULL)
            break;
        names = grown;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (names[n] == NULL)
            break;
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(dp);
    qsort(names, n, sizeof *names, compare_names);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (run_file(d, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    struct driver d = {.mutations = 0, .rng = 20261122};
    int i = 1;

    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-m") == 0)
            d.mutations = strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "-s") == 0)
            d.rng = strtoull(argv[i + 1], NULL, 10) | 1;
        else
            break;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: %s [-m MUTATIONS] [-s SEED] FILE|DIR...\n", argv[0]);
        return 2;
    }
    int rc = 0;
    for (; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 1;
        } else if (S_ISDIR(st.st_mode) ? run_dir(&d, argv[i]) : run_file(&d, argv[i])) {
            rc = 1;
        }
    }
    if (d.files == 0) {
        fprintf(stderr, "fuzz-driver: no corpus files\n");
        return 1;
    }
    printf("%lu corpus files, %lu runs, no findings\n", d.files, d.runs);
    return rc;
}
