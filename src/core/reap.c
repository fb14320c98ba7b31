/* SPDX-License-Identifier: ISC */
/*
 * Reaping: SIGCHLD is read from a signalfd, so each signal names the child
 * it is about and that child is collected with waitpid(pid), which costs the
 * same beside 10 or 10000 children; exits are dispatched through a pid index.
 * Signals that arrive while one is pending merge into it, so waitpid(-1)
 * sweeps up what they hid, but not at every exit: the kernel walks every
 * child on each waitpid(-1), which would make a shutdown of N programs cost
 * N^2.
 */
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "internal.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

/*
 * Sweeps are this far apart at least, per child, so that their walks take
 * about 1% of a CPU (some 75 ns a child); a merged signal delays the exits it
 * hid by that much at most: 5 ms beside 1000 children.  A sweep that stops at
 * REAP_PER_PASS exits found a backlog, not a guess (a group of a thousand
 * stopped at once merges nearly all their signals): the next one follows in
 * the next pass, and while zombies abound each call finds one early on.
 */
#define REAP_SWEEP_GAP	5e-6
#define REAP_SWEEP_MIN	0.005
/*
 * Exits handled per callback before the loop gets a turn: each may fork a
 * replacement, and in a crash loop the clients must still be served.
 */
#define REAP_PER_PASS	16

/* Open addressing, linear probing; slots with pid 0 are free. */
struct reap_slot {
	pid_t		 pid;
	struct process	*p;
};

static struct {
	struct reap_slot	*slots;
	size_t			 cap, n, tomb;
} pids;

/* The SIGCHLD signalfd and the sweep for merged signals. */
static struct {
	int		 fd;
	struct event	*sweep_ev;
	double		 last_sweep;
	int		 told;		/* the signal's log line is still due */
} chld = { -1, NULL, 0, 0 };

#define REAP_TOMBSTONE	((struct process *)-1)

static size_t
reap_hash(pid_t pid, size_t cap)
{
	return ((size_t)pid * 2654435761u) & (cap - 1);
}

static void
reap_grow(void)
{
	struct reap_slot	*old = pids.slots;
	size_t			 oldcap = pids.cap, i;

	pids.cap = oldcap ? oldcap * 2 : 256;
	pids.slots = xcalloc(pids.cap, sizeof *pids.slots);
	pids.n = pids.tomb = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i].pid != 0 && old[i].p != REAP_TOMBSTONE)
			reap_track(old[i].pid, old[i].p);
	free(old);
}

void
reap_track(pid_t pid, struct process *p)
{
	size_t	 i;

	if ((pids.n + pids.tomb + 1) * 2 > pids.cap)
		reap_grow();
	for (i = reap_hash(pid, pids.cap); pids.slots[i].pid != 0 &&
	    pids.slots[i].p != REAP_TOMBSTONE; i = (i + 1) & (pids.cap - 1))
		;
	if (pids.slots[i].p == REAP_TOMBSTONE)
		pids.tomb--;
	pids.slots[i].pid = pid;
	pids.slots[i].p = p;
	pids.n++;
}

static struct reap_slot *
reap_find(pid_t pid)
{
	size_t	 i;

	if (pids.cap == 0)
		return NULL;
	for (i = reap_hash(pid, pids.cap); pids.slots[i].pid != 0;
	    i = (i + 1) & (pids.cap - 1)) {
		if (pids.slots[i].pid == pid &&
		    pids.slots[i].p != REAP_TOMBSTONE)
			return &pids.slots[i];
	}
	return NULL;
}

void
reap_untrack(pid_t pid)
{
	struct reap_slot	*s;

	if ((s = reap_find(pid)) == NULL)
		return;
	s->p = REAP_TOMBSTONE;
	pids.n--;
	pids.tomb++;
}

int
reap_known(pid_t pid)
{
	return reap_find(pid) != NULL;
}

/*
 * supervisord's debug line for a SIGCHLD comes after the output its poll
 * read first and before the exit it then handles: so it is written here,
 * once the exited child's pipes are drained.
 */
static void
reap_tell_signal(void)
{
	if (!chld.told)
		return;
	chld.told = 0;
	log_debug("received SIGCHLD indicating a child quit");
}

/* The last output and any exec error come before the exit. */
static void
reap_dispatch(struct supervisor *sv, pid_t pid, int status)
{
	struct reap_slot	*s;
	struct process		*p;
	char			*text;

	if ((s = reap_find(pid)) == NULL) {
		reap_tell_signal();
		text = process_exit_text(status);
		log_info("reaped unknown pid %ld (%s)", (long)pid, text);
		free(text);
		return;
	}
	p = s->p;
	reap_untrack(pid);
	spawn_cleanup(p);
	reap_tell_signal();
	process_handle_exit(p, status);
	supervisor_tidy_soon(sv);
}

void
reap_children(struct supervisor *sv)
{
	struct timeval	 at_once = { 0, 0 };
	pid_t		 pid;
	int		 status, n;

	chld.last_sweep = clock_mono();
	for (n = 0;; n++) {
		/* Respawns in a crash loop must not keep us here for ever. */
		if (n == REAP_PER_PASS) {
			evtimer_add(chld.sweep_ev, &at_once);
			break;
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid == 0)
			break;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				log_crit("waitpid error %d; a process may not "
				    "be cleaned up properly", errno);
			break;
		}
		reap_dispatch(sv, pid, status);
	}
}

static void
reap_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	reap_children(arg);
}

/* Schedules the sweep for merged signals, at once if none ran lately. */
static void
reap_sweep_soon(void)
{
	struct timeval	 tv = { 0, 0 };
	double		 gap, wait;

	if (evtimer_pending(chld.sweep_ev, NULL))
		return;
	gap = REAP_SWEEP_GAP * (double)pids.n;
	if (gap < REAP_SWEEP_MIN)
		gap = REAP_SWEEP_MIN;
	wait = chld.last_sweep + gap - clock_mono();
	if (wait > 0) {
		tv.tv_sec = (time_t)wait;
		tv.tv_usec = (suseconds_t)((wait - (double)tv.tv_sec) * 1e6);
	}
	evtimer_add(chld.sweep_ev, &tv);
}

static void
reap_one(struct supervisor *sv, pid_t pid)
{
	pid_t	 got;
	int	 status;

	do
		got = waitpid(pid, &status, WNOHANG);
	while (got < 0 && errno == EINTR);
	if (got == pid)
		reap_dispatch(sv, pid, status);
}

/*
 * SIGCHLD is a standard signal: at most one is pending, and one read takes
 * it.  A second read would mostly find nothing; one that did find a signal
 * come meanwhile is left to the next pass, the descriptor staying readable,
 * which also leaves a crash loop's other work its turn.
 */
static void
reap_sigchld_cb(evutil_socket_t fd, short what, void *arg)
{
	struct signalfd_siginfo	 si;
	ssize_t			 got;
	int			 code;

	(void)what;
	do
		got = read(fd, &si, sizeof si);
	while (got < 0 && errno == EINTR);
	if (got == (ssize_t)sizeof si) {
		chld.told = log_enabled(LOG_LEVEL_DEBUG);
		code = si.ssi_code;
		if (code == CLD_EXITED || code == CLD_KILLED ||
		    code == CLD_DUMPED)
			reap_one(arg, (pid_t)si.ssi_pid);
		/* No exit of ours came with it (yet). */
		reap_tell_signal();
	}
	reap_sweep_soon();
}

void
reap_init(struct supervisor *sv)
{
	struct sigaction	 sa;
	sigset_t		 set;

	/* An inherited SIG_IGN would have the kernel reap behind our back. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((chld.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatalx("signalfd: %s", strerror(errno));
	sv->sigchld_ev = event_new(sv->base, chld.fd, EV_READ | EV_PERSIST,
	    reap_sigchld_cb, sv);
	event_add(sv->sigchld_ev, NULL);
	chld.sweep_ev = evtimer_new(sv->base, reap_sweep_cb, sv);
	chld.last_sweep = clock_mono() - REAP_SWEEP_MIN;
}

void
reap_free(struct supervisor *sv)
{
	if (sv->sigchld_ev != NULL)
		event_free(sv->sigchld_ev);
	sv->sigchld_ev = NULL;
	if (chld.sweep_ev != NULL)
		event_free(chld.sweep_ev);
	if (chld.fd >= 0)
		close(chld.fd);
	free(pids.slots);
	memset(&pids, 0, sizeof pids);
	memset(&chld, 0, sizeof chld);
	chld.fd = -1;
}
