/* SPDX-License-Identifier: ISC */
/*
 * Reaping: SIGCHLD is an event of the loop; on it every exited child is
 * collected with waitpid(WNOHANG) and dispatched through a pid index, so a
 * death is acted on at once and costs the same with 10 or 10000 programs.
 */
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "internal.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Open addressing, linear probing; slots with pid 0 are free. */
struct reap_slot {
	pid_t		 pid;
	struct process	*p;
};

static struct {
	struct reap_slot	*slots;
	size_t			 cap, n, tomb;
} pids;

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

void
reap_children(struct supervisor *sv)
{
	struct reap_slot	*s;
	struct process		*p;
	pid_t			 pid;
	int			 status;
	char			*text;

	(void)sv;
	for (;;) {
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
		if ((s = reap_find(pid)) == NULL) {
			text = process_exit_text(status);
			log_info("reaped unknown pid %ld (%s)", (long)pid,
			    text);
			free(text);
			continue;
		}
		p = s->p;
		reap_untrack(pid);
		/* The last output and any exec error come before the exit. */
		spawn_cleanup(p);
		process_handle_exit(p, status);
		supervisor_tidy_soon(p->group->sv);
	}
}

static void
reap_sigchld_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	log_trace("received SIGCHLD indicating a child quit");
	reap_children(arg);
}

void
reap_init(struct supervisor *sv)
{
	sv->sigchld_ev = evsignal_new(sv->base, SIGCHLD, reap_sigchld_cb, sv);
	event_add(sv->sigchld_ev, NULL);
}

void
reap_free(struct supervisor *sv)
{
	if (sv->sigchld_ev != NULL)
		event_free(sv->sigchld_ev);
	sv->sigchld_ev = NULL;
	free(pids.slots);
	memset(&pids, 0, sizeof pids);
}

int
reap_known(pid_t pid)
{
	return reap_find(pid) != NULL;
}
