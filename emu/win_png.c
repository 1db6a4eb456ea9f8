/*
 * win_png.c - the PNG writer (win_png.h): signature, IHDR, one IDAT with
 * the zlib stream of all rows (filter 0), IEND.  Chunk CRCs and the
 * compression come from zlib.
 */
#include "win_png.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* One chunk: length, type, data, CRC of type + data.  -1 on write error. */
static int put_chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t head[8], tail[4];
    uLong crc = crc32(0L, (const Bytef *)type, 4);

    put_be32(head, len);
    memcpy(head + 4, type, 4);
    if (len > 0) {
        crc = crc32(crc, data, len);
    }
    put_be32(tail, (uint32_t)crc);
    if (fwrite(head, 1, 8, f) != 8 || (len > 0 && fwrite(data, 1, len, f) != len) ||
        fwrite(tail, 1, 4, f) != 4) {
        return -1;
    }
    return 0;
}

/* The raw image data: each row is a filter byte (0, none) and RGB triples. */
static uint8_t *raw_rows(const uint32_t *pixels, unsigned w, unsigned h, size_t pitch, size_t *len)
{
    size_t row = 1 + (size_t)w * 3;
    uint8_t *raw = malloc(row * h);

    if (raw == NULL) {
        return NULL;
    }
    for (unsigned y = 0; y < h; y++) {
        uint8_t *p = raw + row * y;
        *p++ = 0;
        for (unsigned x = 0; x < w; x++) {
            uint32_t c = pixels[pitch * y + x];
            *p++ = (uint8_t)(c >> 16);
            *p++ = (uint8_t)(c >> 8);
            *p++ = (uint8_t)c;
        }
    }
    *len = row * h;
    return raw;
}

static int write_file(const char *path, const uint8_t *z, uLongf zlen, unsigned w, unsigned h)
{
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t ihdr[13];
    FILE *f = fopen(path, "wb");
    int bad;

    if (f == NULL) {
        return -1;
    }
    put_be32(ihdr, w);
    put_be32(ihdr + 4, h);
    ihdr[8] = 8;  /* bits per sample */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* compression: deflate */
    ihdr[11] = 0; /* filter method 0 */
    ihdr[12] = 0; /* not interlaced */
    bad = fwrite(signature, 1, 8, f) != 8 || put_chunk(f, "IHDR", ihdr, 13) != 0 ||
          put_chunk(f, "IDAT", z, (uint32_t)zlen) != 0 || put_chunk(f, "IEND", NULL, 0) != 0;
    if (fclose(f) != 0) {
        bad = 1;
    }
    return bad ? -1 : 0;
}

int win_png_write(const char *path, const uint32_t *pixels, unsigned w, unsigned h, size_t pitch,
                  char *err, size_t errlen)
{
    size_t rawlen = 0;
    uint8_t *raw = raw_rows(pixels, w, h, pitch, &rawlen);
    uLongf zlen = compressBound((uLong)rawlen);
    uint8_t *z = raw != NULL ? malloc(zlen) : NULL;
    int status = -1;

    if (z == NULL) {
        snprintf(err, errlen, "%s: out of memory for the picture", path);
    } else if (compress2(z, &zlen, raw, (uLong)rawlen, 9) != Z_OK) {
        snprintf(err, errlen, "%s: cannot compress the picture", path);
    } else if (write_file(path, z, zlen, w, h) != 0) {
        snprintf(err, errlen, "%s: cannot write the picture", path);
    } else {
        status = 0;
    }
    free(raw);
    free(z);
    return status;
}
