/* SPDX-License-Identifier: ISC */
/*
 * Time as the supervisor sees it: a monotonic clock for durations (startsecs,
 * backoff, stopwaitsecs) and the wall clock for what users are shown.  Both
 * can be replaced by a fake clock in unit tests.
 */
#ifndef UTIL_CLOCK_H
#define UTIL_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock. */
double	clock_mono(void);
/* Seconds since the epoch. */
double	clock_wall(void);
/* Freezes both clocks at the given values (tests); mono < 0 unfreezes. */
void	clock_set_fake(double mono, double wall);

#endif
