/* timer.h - the programmable interval timer (registers in isa.h, docs/isa.md). */
#ifndef LDE_TIMER_H
#define LDE_TIMER_H

#include <stdint.h>

#include "device.h"

/* Named timer_device_create, not timer_create: POSIX already has a
 * timer_create() in <time.h> and librt. */
struct device *timer_device_create(void);
/* Cycle at which it fires next, or DEVICE_NEVER (for front-ends). */
uint64_t timer_fire_cycle(const struct device *timer);
uint32_t timer_interval(const struct device *timer);
int timer_pending(const struct device *timer);

#endif /* LDE_TIMER_H */
