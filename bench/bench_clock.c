/* bench_clock.c - see bench_clock.h. */
#include <time.h>

#include "bench_clock.h"

double bench_now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
