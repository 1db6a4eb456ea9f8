/*
 * win_draw.h - draw the window's picture (win_draw.c) with an SDL
 * renderer: a real window's, or a software renderer on a surface for
 * --screenshot.  Everything drawn comes from the session; nothing here
 * changes the machine.
 */
#ifndef LDE_WIN_DRAW_H
#define LDE_WIN_DRAW_H

#include <SDL.h>

#include "win_internal.h"

/* A renderer and the font made into a texture for it. */
struct win_canvas {
    SDL_Renderer *r;   /* where to draw */
    SDL_Texture *font; /* the glyphs in white, one cell each */
};

/* 0, or -1 with SDL's reason in err. */
int win_canvas_init(struct win_canvas *c, SDL_Renderer *r, char *err, size_t errlen);
void win_canvas_free(struct win_canvas *c);
/* Draw the whole picture (WIN_W x WIN_H logical pixels). */
void win_draw(struct win_canvas *c, const struct win_session *ws);

#endif /* LDE_WIN_DRAW_H */
