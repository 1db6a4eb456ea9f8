/*
 * monitor_gui.h - the monitor and the window together (`lde --gui
 * --monitor`): the `gui` command, and the prompt that keeps the window
 * alive while it waits for a line.  Private to the monitor's files.
 */
#ifndef LDE_MONITOR_GUI_H
#define LDE_MONITOR_GUI_H

#include <stdbool.h>

#include "monitor_private.h"

/* Is a window shared with this monitor session? */
bool mon_gui_active(void);
/* The terminal's Ctrl-C while no monitor command runs the guest. */
void mon_gui_sigint(void);
/* Before a command that runs the guest: the window's run pauses. */
void mon_gui_before_run(struct mon *mon);
/* Between two slices of a monitor command's run: the window's frame if
 * one is due (true if drawn); closing the window sets mon_interrupted. */
bool mon_gui_during_run(void);
/* Was the window closed (and so the session is ending)? */
bool mon_gui_closed(void);
/* After every command: the window shows the new state. */
void mon_gui_after_command(struct mon *mon);
/* Read command lines from the terminal with readline's callback interface,
 * giving the window a frame about 60 times a second; `line_fn` runs each
 * line (then frees it).  Returns at quit, Ctrl-D or when the window closes. */
void mon_gui_prompt(struct mon *mon, const char *prompt, void (*line_fn)(struct mon *, char *));

/* gui [run|pause|step|trap|rett|faster|slower|speed N|wait] */
int mon_cmd_gui(struct mon *mon, int argc, char **argv);

#endif /* LDE_MONITOR_GUI_H */
