/* SPDX-License-Identifier: ISC */
/*
 * The automatic starts of start-up, in priority order.  A handful are
 * spawned at once; a burst is made by the spawner from the loop, in short
 * passes, so that the sockets answer while a thousand children are created.
 */
#include <limits.h>

#include <event2/event.h>

#include "internal.h"
#include "spawner.h"
#include "util/clock.h"

/*
 * Up to STARTUP_BATCH automatic starts happen at once, as in supervisord's
 * first pass.  More are a burst: the first STARTUP_FIRST are forked at once,
 * the others follow from the loop, made by the spawner, a batch per pass of
 * at most STARTUP_BUDGET seconds (checked every STARTUP_AHEAD, the requests
 * in flight), so that the sockets are served meanwhile.
 */
#define STARTUP_BATCH	32
#define STARTUP_FIRST	8
#define STARTUP_BUDGET	0.002
#define STARTUP_AHEAD	16

static struct event	*startup_ev;

/* Whether process_autostart() would spawn p now: its own test. */
static int
startup_pending(struct process *p)
{
	return p->cfg->autostart && p->laststart == 0 &&
	    p->state == PROCESS_STOPPED &&
	    supervisor_process_ops.may_autostart(p);
}

/* Asks the spawner for the children of the next n waiting from (i, j). */
static void
startup_ahead(struct supervisor *sv, size_t i, size_t j, int n)
{
	for (; i < sv->ngroups && n > 0; i++, j = 0) {
		for (; j < sv->groups[i]->nprocs && n > 0; j++) {
			if (startup_pending(sv->groups[i]->procs[j])) {
				spawn_request(sv->groups[i]->procs[j]);
				n--;
			}
		}
	}
}

/*
 * Spawns the processes waiting for their automatic start, in priority
 * order, max of them and for budget seconds at most (< 0: no limit), in
 * series of STARTUP_AHEAD asked of the spawner at once when it
 * runs.  Scanning from the start each time keeps it right whatever reload
 * did in between.  Returns whether some are left.
 */
static int
startup_batch(struct supervisor *sv, int max, double budget)
{
	struct process	*p;
	double		 until = clock_mono() + budget;
	size_t		 i, j;
	int		 n = 0;

	for (i = 0; i < sv->ngroups; i++) {
		for (j = 0; j < sv->groups[i]->nprocs; j++) {
			p = sv->groups[i]->procs[j];
			if (!startup_pending(p))
				continue;
			if (n == max)
				break;
			if (n % STARTUP_AHEAD == 0) {
				spawner_flush();
				if (budget >= 0 && n > 0 && clock_mono() > until)
					return 1;
				startup_ahead(sv, i, j,
				    STARTUP_AHEAD);
			}
			process_autostart(p);
			n++;
		}
		if (j < sv->groups[i]->nprocs)
			break;
	}
	spawner_flush();
	return i < sv->ngroups;
}

void
startup_end(void)
{
	spawner_stop();
	spawn_open_outputs(-1);
	if (startup_ev != NULL)
		event_free(startup_ev);
	startup_ev = NULL;
}

/*
 * A pass of the start-up burst.  While the spawner runs, spawns whose log
 * files wait, so that every child is there sooner; then the log files; then
 * whatever is left (the spawner failed), forked as usual.
 */
static void
startup_cb(evutil_socket_t fd, short what, void *arg)
{
	static const struct timeval	 now;
	int				 more;

	(void)fd;
	(void)what;
	if (spawner_running()) {
		spawn_defer_outputs(1);
		more = startup_batch(arg, INT_MAX,
		    STARTUP_BUDGET);
		spawn_defer_outputs(0);
		if (!more)
			spawner_stop();
		more = 1;
	} else
		more = spawn_open_outputs(STARTUP_BUDGET) ||
		    startup_batch(arg, INT_MAX,
		    STARTUP_BUDGET);
	if (more)
		evtimer_add(startup_ev, &now);
	else
		startup_end();
}

void
startup_run(struct supervisor *sv)
{
	static const struct timeval	 now;
	size_t				 i, j, n = 0;

	for (i = 0; i < sv->ngroups; i++)
		for (j = 0; j < sv->groups[i]->nprocs; j++)
			n += startup_pending(sv->groups[i]->procs[j]);
	if (n <= STARTUP_BATCH) {
		startup_batch(sv, INT_MAX, -1);
		return;
	}
	startup_batch(sv, STARTUP_FIRST, -1);
	/* The spawner makes the rest (and what they respawn meanwhile). */
	spawner_start();
	startup_ev = evtimer_new(sv->base, startup_cb, sv);
	evtimer_add(startup_ev, &now);
}
