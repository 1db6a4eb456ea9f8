/* bench_clock.h - host wall-clock time for lde-bench's report.
 * Separate from lde_bench.c because <time.h> declares POSIX timer_create(),
 * which clashes with the timer device's timer_create() in timer.h. */
#ifndef LDE_BENCH_CLOCK_H
#define LDE_BENCH_CLOCK_H

/* Seconds on a monotonic host clock (only differences are meaningful). */
double bench_now_seconds(void);

#endif /* LDE_BENCH_CLOCK_H */
