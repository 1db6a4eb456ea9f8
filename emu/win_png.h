/*
 * win_png.h - write a picture as a PNG file (8-bit RGB, zlib-compressed),
 * for --screenshot.  No SDL here; the same pixels always give the same
 * bytes.
 */
#ifndef LDE_WIN_PNG_H
#define LDE_WIN_PNG_H

#include <stddef.h>
#include <stdint.h>

/* Write `w` x `h` pixels, each 0x00RRGGBB (the top byte is ignored), rows
 * `pitch` pixels apart, to `path`.  0, or -1 with a one-line reason. */
int win_png_write(const char *path, const uint32_t *pixels, unsigned w, unsigned h, size_t pitch,
                  char *err, size_t errlen);

#endif /* LDE_WIN_PNG_H */
