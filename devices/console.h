/*
 * console.h - the console: a byte out, a byte in, an optional RX interrupt.
 *
 * The host side is a pair of callbacks so that the core stays free of
 * terminals: the lde program connects them to stdin/stdout, tests to
 * buffers.  Input is pulled, never pushed: the console asks the host for a
 * byte when the guest reads RX or STATUS with nothing buffered, and every
 * CONSOLE_POLL_CYCLES while its RX interrupt is enabled.  Asking at
 * instants fixed in virtual time is what keeps runs deterministic.
 */
#ifndef LDE_CONSOLE_H
#define LDE_CONSOLE_H

#include <stdint.h>

#include "device.h"

#define CONSOLE_POLL_CYCLES 10000u
#define CONSOLE_NONE        (-1) /* get(): no byte available yet */
#define CONSOLE_EOF         (-2) /* get(): input has ended for good */

struct console_host {
    void (*put)(void *ctx, uint8_t byte); /* guest wrote a byte */
    int (*get)(void *ctx);                /* next byte, CONSOLE_NONE or CONSOLE_EOF */
    void *ctx;                            /* first argument of put and get */
};

struct device *console_create(const struct console_host *host);

#endif /* LDE_CONSOLE_H */
