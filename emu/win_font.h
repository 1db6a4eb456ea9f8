/*
 * win_font.h - lde's own bitmap font: printable ASCII (32..126), each
 * glyph 5 pixels wide and 8 tall (rows 0..6 above the baseline, row 7 for
 * descenders), drawn for the window by scaling each pixel up.  No SDL here.
 */
#ifndef LDE_WIN_FONT_H
#define LDE_WIN_FONT_H

#include <stdbool.h>

#define WIN_FONT_W     5   /* glyph width in font pixels */
#define WIN_FONT_H     8   /* glyph height in font pixels */
#define WIN_FONT_FIRST 32  /* first character with a glyph (space) */
#define WIN_FONT_LAST  126 /* last one (~) */

/* Is font pixel (x, y) of character c set?  Characters without a glyph
 * are drawn as '?'. */
bool win_font_pixel(char c, unsigned x, unsigned y);

#endif /* LDE_WIN_FONT_H */
