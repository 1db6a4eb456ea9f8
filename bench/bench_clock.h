/* bench_clock.h - host wall-clock time for lde-bench's report (kept apart so
 * that the benchmark driver itself deals only in virtual time). */
#ifndef LDE_BENCH_CLOCK_H
#define LDE_BENCH_CLOCK_H

/* Seconds on a monotonic host clock (only differences are meaningful). */
double bench_now_seconds(void);

#endif /* LDE_BENCH_CLOCK_H */
