/*
 * monitor.h - the built-in monitor of lde (`lde --monitor`): a command
 * prompt that stops the machine where control changes hands and shows
 * everything.  Reference: docs/monitor.md.
 *
 *   monitor.c        the session: reading lines, the command table, help,
 *                    completion, history, parsing of numbers and addresses
 *   monitor_run.c    running and stopping: step, next, continue, break,
 *                    watch, catch, the event observer, statistics
 *   monitor_show.c   looking at the machine: regs, x, disas, frame, ps,
 *                    info, stats, set, display
 *   monitor_gui.c    the window and the prompt together (--gui --monitor)
 *
 * Only main.c calls into it; everything else is private (monitor_private.h).
 */
#ifndef LDE_MONITOR_H
#define LDE_MONITOR_H

#include "emu.h"

/* Run a monitor session on the built machine `m` until `quit` or the end of
 * the command input.  Returns lde's exit status for how the machine stands,
 * as plain lde would give it (docs/monitor.md): the halt code, 123, 124,
 * 125, 130 after a quit signal, 0; 121 or 126 if the session cannot start. */
int mon_run(struct emu_machine *m, const struct emu_options *o);

struct win_session;
/* Share the window (if one is open) with the monitor session to come:
 * the window's keys and the `gui` command act on the same machine. */
void mon_use_window(struct win_session *ws);

#endif /* LDE_MONITOR_H */
