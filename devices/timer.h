/* timer.h - the programmable interval timer (registers in isa.h, docs/isa.md). */
#ifndef LDE_TIMER_H
#define LDE_TIMER_H

#include <stdint.h>

#include "device.h"

/* The link-time name differs from POSIX timer_create() (librt), which would
 * otherwise be replaced by this one in every program that also uses POSIX
 * timers, such as the Check test framework.  In C it is still timer_create. */
struct device *timer_create(void) __asm__("lde_timer_create");
/* Cycle at which it fires next, or DEVICE_NEVER (for front-ends). */
uint64_t timer_fire_cycle(const struct device *timer);
uint32_t timer_interval(const struct device *timer);
int timer_pending(const struct device *timer);

#endif /* LDE_TIMER_H */
