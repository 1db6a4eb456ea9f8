/*
 * host_console.c - the guest console on the host's stdin and stdout.
 *
 * Output: every byte goes to stdout.  On a terminal it is flushed at once;
 * into a pipe or file it is buffered and flushed by the run loop, before
 * input is read, and at exit.  A trace written to stdout starts its lines
 * on a fresh line (emu_console_break_line), so guest output that does not
 * end in a newline gets one added before the next trace line.
 *
 * Input: the console asks for bytes at instants fixed in virtual time
 * (console.h).  When stdin is a pipe or a file we block until a byte or
 * end-of-file arrives, so the run is the same every time.  When stdin is a
 * terminal we must not block the machine waiting for a key: the terminal is
 * put in a "raw-ish" mode (no line editing, no echo; Ctrl-C still works)
 * the first time the guest asks, and we answer "nothing yet" when no key is
 * waiting.  Ctrl-D ends the input.  The original mode is restored by
 * emu_console_finish() and at exit.
 *
 * There is one stdin per process, so this module keeps its state in static
 * variables.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "emu.h"

#define CTRL_D 0x04 /* end of input when typed on a terminal */

static bool out_is_tty;         /* flush after every byte */
static bool in_is_tty;          /* non-blocking, raw-ish input */
static bool raw_active;         /* the terminal mode was changed */
static bool input_ended;        /* EOF seen: never read again */
static bool mid_line;           /* the last byte written was not a newline */
static struct termios saved_tc; /* terminal mode to restore */

static void restore_terminal(void)
{
    if (raw_active) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tc);
        raw_active = false;
    }
}

/* Switch the terminal to byte-at-a-time input without echo, once. */
static void enter_raw_mode(void)
{
    struct termios tc;

    if (raw_active || tcgetattr(STDIN_FILENO, &saved_tc) != 0) {
        return;
    }
    tc = saved_tc;
    tc.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    tc.c_cc[VMIN] = 1;
    tc.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &tc) == 0) {
        raw_active = true;
        atexit(restore_terminal);
    }
}

static void host_put(void *ctx, uint8_t byte)
{
    (void)ctx;
    putchar(byte);
    mid_line = byte != '\n';
    if (out_is_tty) {
        fflush(stdout);
    }
}

/* Read one byte from a terminal if one is waiting, without blocking. */
static int get_from_tty(void)
{
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    unsigned char byte;

    enter_raw_mode();
    if (poll(&p, 1, 0) <= 0) {
        return CONSOLE_NONE;
    }
    if (read(STDIN_FILENO, &byte, 1) != 1 || byte == CTRL_D) {
        input_ended = true;
        return CONSOLE_EOF;
    }
    return byte;
}

static int host_get(void *ctx)
{
    int c;

    (void)ctx;
    if (input_ended) {
        return CONSOLE_EOF;
    }
    fflush(stdout); /* a prompt must be visible before we wait for the answer */
    if (in_is_tty) {
        return get_from_tty();
    }
    c = getchar();
    if (c == EOF) {
        input_ended = true;
        return CONSOLE_EOF;
    }
    return c;
}

void emu_console_host(struct console_host *host)
{
    out_is_tty = isatty(STDOUT_FILENO);
    in_is_tty = isatty(STDIN_FILENO);
    host->put = host_put;
    host->get = host_get;
    host->ctx = NULL;
}

void emu_console_break_line(FILE *out)
{
    if (out == stdout && mid_line) {
        putchar('\n');
        mid_line = false;
    }
}

void emu_console_finish(void)
{
    fflush(stdout);
    restore_terminal();
}
