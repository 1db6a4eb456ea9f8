/* pace.c - lde --realtime (see pace.h). */
#include "pace.h"

#include <errno.h>
#include <stdlib.h>

#define NS_PER_S        1000000000ull
#define PACE_MAX_LAG_NS 100000000ull /* behind by more than 100 ms: start afresh */

int emu_pace_parse(const char *arg, uint32_t *mhz)
{
    char *end;
    unsigned long v;

    if (arg == NULL) {
        *mhz = EMU_PACE_DEFAULT_MHZ;
        return 0;
    }
    if (arg[0] < '0' || arg[0] > '9') {
        return -1;
    }
    errno = 0;
    v = strtoul(arg, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || v > EMU_PACE_MAX_MHZ) {
        return -1;
    }
    *mhz = (uint32_t)v;
    return 0;
}

static uint64_t pace_ns(const struct timespec *t)
{
    return (uint64_t)t->tv_sec * NS_PER_S + (uint64_t)t->tv_nsec;
}

void emu_pace_start(struct emu_pace *p, uint32_t mhz, uint64_t cycle)
{
    p->hz = (uint64_t)mhz * 1000000u;
    p->cycle0 = cycle;
    clock_gettime(CLOCK_MONOTONIC, &p->wall0);
}

uint64_t emu_pace_slice(const struct emu_pace *p)
{
    return p->hz / (NS_PER_S / EMU_PACE_SLICE_NS);
}

void emu_pace_wait(struct emu_pace *p, uint64_t cycle)
{
    struct timespec now, target;
    uint64_t ahead = cycle - p->cycle0; /* split so that nothing overflows */
    uint64_t due = pace_ns(&p->wall0) + ahead / p->hz * NS_PER_S + ahead % p->hz * NS_PER_S / p->hz;

    clock_gettime(CLOCK_MONOTONIC, &now);
    if (pace_ns(&now) > due + PACE_MAX_LAG_NS) {
        p->cycle0 = cycle; /* too slow to keep up: pace from here on */
        p->wall0 = now;
        return;
    }
    if (pace_ns(&now) >= due) {
        return;
    }
    target.tv_sec = (time_t)(due / NS_PER_S);
    target.tv_nsec = (long)(due % NS_PER_S);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, NULL) == EINTR) {
    }
}
