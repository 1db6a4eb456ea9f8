/*
 * timer.c - the programmable interval timer at ISA_DEV_TIMER.
 *
 * Writing CTRL with the enable bit arms the timer: it fires INTERVAL cycles
 * after `now`, the cycle count once the writing instruction has completed.
 * Firing raises the TIMER line (STATUS.pending) until the kernel
 * acknowledges it; a periodic timer re-arms itself at fire + INTERVAL, so the
 * period does not drift with how late the kernel acknowledges.
 */
#include "timer.h"

#include <stdbool.h>
#include <stdlib.h>

#include "bus.h"
#include "isa.h"

struct timer {
    struct device dev; /* must be first: the bus sees a struct device */
    uint32_t ctrl;     /* CTRL register: enable and periodic bits as last written */
    uint32_t interval; /* INTERVAL register as written (0 behaves as 1) */
    bool pending;      /* STATUS.pending: fired and not yet acknowledged */
    uint64_t fire;     /* cycle of the next firing, DEVICE_NEVER when disarmed */
};

static const struct device_ops timer_ops;

static struct timer *timer_of(struct device *dev)
{
    return (struct timer *)dev;
}

static const struct timer *timer_of_const(const struct device *dev)
{
    return (const struct timer *)dev;
}

/* INTERVAL 0 would fire in the same cycle it was armed; treat it as 1. */
static uint64_t timer_period(const struct timer *t)
{
    return t->interval == 0 ? 1 : t->interval;
}

static void timer_set_pending(struct timer *t, bool pending, uint64_t now)
{
    t->pending = pending;
    if (t->dev.bus != NULL)
        bus_set_irq(t->dev.bus, ISA_CAUSE_TIMER, pending, now);
}

/* Fire if the deadline has been reached; a periodic timer re-arms. */
static void timer_advance(struct device *dev, uint64_t now)
{
    struct timer *t = timer_of(dev);
    if (t->fire == DEVICE_NEVER || now < t->fire)
        return;
    if (t->ctrl & ISA_TMR_CTRL_PERIODIC) {
        /* Skip every period that has already gone by, keeping the phase
         * (usually none: the division is only for a late look). */
        uint64_t period = timer_period(t);
        uint64_t late = now - t->fire;
        t->fire += late < period ? period : (late / period + 1) * period;
    } else {
        t->fire = DEVICE_NEVER;
        t->ctrl &= ~(uint32_t)ISA_TMR_CTRL_ENABLE;
    }
    timer_set_pending(t, true, now);
}

static int timer_read(struct device *dev, uint32_t off, uint32_t *value, uint64_t now)
{
    struct timer *t = timer_of(dev);
    timer_advance(dev, now);
    switch (off) {
    case ISA_TMR_CTRL:
        *value = t->ctrl;
        return 0;
    case ISA_TMR_INTERVAL:
        *value = t->interval;
        return 0;
    case ISA_TMR_COUNT:
        *value = t->fire == DEVICE_NEVER ? 0 : (uint32_t)(t->fire - now);
        return 0;
    case ISA_TMR_STATUS:
        *value = t->pending ? ISA_TMR_STATUS_PENDING : 0;
        return 0;
    default:
        return -1;
    }
}

static int timer_write(struct device *dev, uint32_t off, uint32_t value, uint64_t now)
{
    struct timer *t = timer_of(dev);
    timer_advance(dev, now);
    switch (off) {
    case ISA_TMR_CTRL:
        t->ctrl = value & (ISA_TMR_CTRL_ENABLE | ISA_TMR_CTRL_PERIODIC);
        t->fire = (t->ctrl & ISA_TMR_CTRL_ENABLE) ? now + timer_period(t) : DEVICE_NEVER;
        return 0;
    case ISA_TMR_INTERVAL:
        t->interval = value;
        return 0;
    case ISA_TMR_COUNT:
        return 0; /* read-only: writes are ignored */
    case ISA_TMR_STATUS:
        if (value & ISA_TMR_STATUS_PENDING)
            timer_set_pending(t, false, now);
        return 0;
    default:
        return -1;
    }
}

static uint64_t timer_next_event(const struct device *dev)
{
    return timer_of_const(dev)->fire;
}

static void timer_reset(struct device *dev)
{
    struct timer *t = timer_of(dev);
    t->ctrl = 0;
    t->interval = 0;
    t->fire = DEVICE_NEVER;
    if (t->pending)
        timer_set_pending(t, false, 0);
}

static void timer_destroy(struct device *dev)
{
    free(timer_of(dev));
}

static const struct device_ops timer_ops = {
    .read = timer_read,
    .write = timer_write,
    .advance = timer_advance,
    .next_event = timer_next_event,
    .reset = timer_reset,
    .destroy = timer_destroy,
};

struct device *timer_device_create(void)
{
    struct timer *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->dev.name = "timer";
    t->dev.base = ISA_DEV_TIMER;
    t->dev.ops = &timer_ops;
    t->fire = DEVICE_NEVER;
    return &t->dev;
}

/* The getters accept only a timer; anything else reads as an idle timer. */
uint64_t timer_fire_cycle(const struct device *timer)
{
    if (timer == NULL || timer->ops != &timer_ops)
        return DEVICE_NEVER;
    return timer_of_const(timer)->fire;
}

uint32_t timer_interval(const struct device *timer)
{
    if (timer == NULL || timer->ops != &timer_ops)
        return 0;
    return timer_of_const(timer)->interval;
}

int timer_pending(const struct device *timer)
{
    if (timer == NULL || timer->ops != &timer_ops)
        return 0;
    return timer_of_const(timer)->pending;
}
