/* SPDX-License-Identifier: ISC */
/*
 * Monotonic and wall clocks, with a fake mode for the state machine tests.
 */
#include <time.h>

#include "clock.h"

static int	fake_on;
static double	fake_mono, fake_wall;

static double
clock_read(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
clock_mono(void)
{
	return fake_on ? fake_mono : clock_read(CLOCK_MONOTONIC);
}

double
clock_wall(void)
{
	return fake_on ? fake_wall : clock_read(CLOCK_REALTIME);
}

void
clock_set_fake(double mono, double wall)
{
	fake_on = mono >= 0;
	fake_mono = mono;
	fake_wall = wall;
}
