/* SPDX-License-Identifier: ISC */
/*
 * A program's descendants, found through /proc: its process tree, and the
 * orphans re-parented to us (we are a child subreaper) that still carry its
 * SUPERVISOR_GROUP_NAME / SUPERVISOR_PROCESS_NAME.  Process groups alone miss
 * children that called setsid(); this is how stopasgroup reaches them.
 */
#ifndef CORE_DESCEND_H
#define CORE_DESCEND_H

#include <sys/types.h>

/* Whether pid is one of our own programs' main processes. */
typedef int (*descend_known_fn)(pid_t pid);

/*
 * Sends sig to every descendant of root (not root itself; root 0: none) and
 * to each orphan of ours marked with group and name that known() does not
 * claim, with their own descendants.  Returns how many were signalled.
 */
int	descend_signal(pid_t root, const char *group, const char *name,
	    descend_known_fn known, int sig);

/*
 * Kills every remaining child of ours with its descendants and reaps them:
 * the last step of a shutdown, so nothing we adopted outlives us.
 */
int	descend_kill_all(void);

#endif
