/*
 * fuzz_common.c - helpers shared by the fuzz harnesses (fuzz.h).
 */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz: FINDING: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort(); /* a test harness, not library code: libFuzzer keeps the input */
}

void fuzz_check_message(const char *what, const char *msg)
{
    if (msg[0] == '\0')
        fuzz_fail("%s failed without a message", what);
    if (strchr(msg, '\n') != NULL)
        fuzz_fail("%s: message is more than one line: %s", what, msg);
}

uint8_t fuzz_u8(struct fuzz_input *in)
{
    return in->pos < in->size ? in->data[in->pos++] : 0;
}

uint32_t fuzz_u32(struct fuzz_input *in)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < 4; i++)
        v |= (uint32_t)fuzz_u8(in) << (8 * i);
    return v;
}

void fuzz_temp_path(char *buf, size_t len, const char *tag)
{
    snprintf(buf, len, "/tmp/lde-fuzz-%ld-%s", (long)getpid(), tag);
}

int fuzz_write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t n = len ? fwrite(data, 1, len, f) : 0;
    return fclose(f) == 0 && n == len ? 0 : -1;
}
