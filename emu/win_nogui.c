/*
 * win_nogui.c - the window's SDL functions in a build without SDL2 (or
 * zlib): --gui and --screenshot say so; --trace-json still works.
 */
#include "win_internal.h"

struct win_gui *win_gui_open(struct win_session *ws, char *err, size_t errlen)
{
    (void)ws;
    snprintf(err, errlen, "this lde was built without SDL2");
    return NULL;
}

void win_gui_close(struct win_gui *g)
{
    (void)g;
}

enum cpu_stop win_gui_loop(struct win_session *ws)
{
    (void)ws;
    return CPU_STOP_REQUEST;
}

void win_gui_frame(struct win_session *ws, bool advance)
{
    (void)ws;
    (void)advance;
}

bool win_gui_busy_frame(struct win_session *ws)
{
    (void)ws;
    return false;
}

bool win_gui_script_done(const struct win_gui *g)
{
    (void)g;
    return true;
}

int win_gui_screenshot(struct win_session *ws, const char *path, char *err, size_t errlen)
{
    (void)ws;
    snprintf(err, errlen, "%s: this lde was built without SDL2 and zlib", path);
    return -1;
}
