/*
 * pace.h - lde --realtime: virtual time paced to the wall clock.
 *
 * The machine still runs on virtual time (cycles); pacing only decides
 * when the host lets it run.  lde runs the CPU in slices of ten
 * milliseconds' worth of cycles and, whenever the guest is ahead of the
 * wall clock, sleeps until the wall clock catches up.  An idle guest (in
 * wfi) reaches the end of its slice almost at once, so the host sleeps
 * nearly all the time.  What the guest computes does not change: slicing
 * a run into budgets never changes its cycles (tests/unit/test_diff.c).
 */
#ifndef LDE_PACE_H
#define LDE_PACE_H

#include <stdint.h>
#include <time.h>

#define EMU_PACE_DEFAULT_MHZ 10u       /* --realtime without a value */
#define EMU_PACE_MAX_MHZ     10000u    /* --realtime=MHZ at most (10 GHz: beyond any host) */
#define EMU_PACE_SLICE_NS    10000000u /* wall time per slice: 10 ms */

/* A pacing session. */
struct emu_pace {
    uint64_t hz;           /* virtual cycles per wall-clock second */
    uint64_t cycle0;       /* the cycle counter at the reference instant ... */
    struct timespec wall0; /* ... and the wall clock (CLOCK_MONOTONIC) then */
};

/* Parse the MHZ of --realtime[=MHZ] (NULL: the default); -1 if bad. */
int emu_pace_parse(const char *arg, uint32_t *mhz);
/* Start pacing at `mhz` from the current cycle. */
void emu_pace_start(struct emu_pace *p, uint32_t mhz, uint64_t cycle);
/* Cycles in one slice. */
uint64_t emu_pace_slice(const struct emu_pace *p);
/* The guest has reached `cycle`: sleep until the wall clock has too.  A
 * guest far behind (the host too slow) is not made to catch up later. */
void emu_pace_wait(struct emu_pace *p, uint64_t cycle);

#endif /* LDE_PACE_H */
