/*
 * console.c - the console at ISA_DEV_CONSOLE: TX, RX, STATUS, CTRL.
 *
 * Input is pulled from the host only at instants fixed in virtual time: when
 * the guest reads RX or STATUS with nothing buffered, and every
 * CONSOLE_POLL_CYCLES while the RX interrupt is enabled.  The same input
 * therefore always reaches the guest at the same cycle.
 */
#include "console.h"

#include <stdbool.h>
#include <stdlib.h>

#include "bus.h"
#include "isa.h"

struct console {
    struct device dev;        /* must be first: the bus sees a struct device */
    struct console_host host; /* where output goes and input comes from */
    int rx;                   /* the buffered input byte, or CONSOLE_NONE */
    bool eof;                 /* the host said input has ended for good */
    uint32_t ctrl;            /* CTRL register (bit 0: RX interrupt enable) */
    uint64_t next_poll;       /* next poll while RXIE is on, else DEVICE_NEVER */
};

static struct console *console_of(struct device *dev)
{
    return (struct console *)dev;
}

/* The line is high while the RX interrupt is enabled and a byte waits. */
static void console_update_irq(struct console *c, uint64_t now)
{
    bool level = (c->ctrl & ISA_CON_CTRL_RXIE) && c->rx != CONSOLE_NONE;
    if (c->dev.bus != NULL)
        bus_set_irq(c->dev.bus, ISA_CAUSE_CONSOLE, level, now);
}

/* Ask the host for a byte if none is buffered and input has not ended. */
static void console_pull(struct console *c)
{
    if (c->rx != CONSOLE_NONE || c->eof || c->host.get == NULL)
        return;
    int got = c->host.get(c->host.ctx);
    if (got == CONSOLE_EOF)
        c->eof = true;
    else if (got >= 0)
        c->rx = got & 0xff;
}

static void console_advance(struct device *dev, uint64_t now)
{
    struct console *c = console_of(dev);
    if (c->next_poll == DEVICE_NEVER || now < c->next_poll)
        return;
    /* Keep the polling instants on a fixed grid of CONSOLE_POLL_CYCLES. */
    c->next_poll += ((now - c->next_poll) / CONSOLE_POLL_CYCLES + 1) * CONSOLE_POLL_CYCLES;
    console_pull(c);
    if (c->eof)
        c->next_poll = DEVICE_NEVER; /* nothing more will ever come */
    console_update_irq(c, now);
}

static int console_read(struct device *dev, uint32_t off, uint32_t *value, uint64_t now)
{
    struct console *c = console_of(dev);
    switch (off) {
    case ISA_CON_TX:
        *value = 0;
        return 0;
    case ISA_CON_RX:
        console_pull(c);
        *value = c->rx == CONSOLE_NONE ? 0xffffffffu : (uint32_t)c->rx;
        c->rx = CONSOLE_NONE;
        console_update_irq(c, now);
        return 0;
    case ISA_CON_STATUS:
        console_pull(c);
        *value = 0;
        if (c->rx != CONSOLE_NONE)
            *value |= ISA_CON_STATUS_RXREADY;
        else if (c->eof)
            *value |= ISA_CON_STATUS_EOF;
        console_update_irq(c, now);
        return 0;
    case ISA_CON_CTRL:
        *value = c->ctrl;
        return 0;
    default:
        return -1;
    }
}

static int console_write(struct device *dev, uint32_t off, uint32_t value, uint64_t now)
{
    struct console *c = console_of(dev);
    switch (off) {
    case ISA_CON_TX:
        if (c->host.put != NULL)
            c->host.put(c->host.ctx, (uint8_t)value);
        return 0;
    case ISA_CON_RX:
    case ISA_CON_STATUS:
        return 0; /* read-only: writes are ignored */
    case ISA_CON_CTRL:
        c->ctrl = value & ISA_CON_CTRL_RXIE;
        if (!(c->ctrl & ISA_CON_CTRL_RXIE) || c->eof)
            c->next_poll = DEVICE_NEVER;
        else if (c->next_poll == DEVICE_NEVER)
            c->next_poll = now + CONSOLE_POLL_CYCLES;
        console_update_irq(c, now);
        return 0;
    default:
        return -1;
    }
}

static uint64_t console_next_event(const struct device *dev)
{
    return ((const struct console *)dev)->next_poll;
}

static void console_reset(struct device *dev)
{
    struct console *c = console_of(dev);
    c->rx = CONSOLE_NONE;
    c->eof = false;
    c->ctrl = 0;
    c->next_poll = DEVICE_NEVER;
    console_update_irq(c, 0);
}

static void console_destroy(struct device *dev)
{
    free(console_of(dev));
}

static const struct device_ops console_ops = {
    .read = console_read,
    .write = console_write,
    .advance = console_advance,
    .next_event = console_next_event,
    .reset = console_reset,
    .destroy = console_destroy,
};

struct device *console_create(const struct console_host *host)
{
    struct console *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->dev.name = "console";
    c->dev.base = ISA_DEV_CONSOLE;
    c->dev.ops = &console_ops;
    if (host != NULL)
        c->host = *host;
    c->rx = CONSOLE_NONE;
    c->next_poll = DEVICE_NEVER;
    return &c->dev;
}
