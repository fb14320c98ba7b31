/* SPDX-License-Identifier: ISC */
/*
 * Bursts of spawns (start-up): what a new child needs, prepared before it
 * exists; the spawner, a small process that creates children for the
 * supervisor so that each creation copies almost nothing of ours; and log
 * files opened after the children are there.
 */
#ifndef CORE_SPAWNER_H
#define CORE_SPAWNER_H

#include <sys/types.h>

/* Everything the child uses; built in the supervisor before the child. */
struct spawn_plan {
	char	 *path;
	char	**argv;
	char	**envp;
	int	  set_user;
	uid_t	  uid;
	gid_t	  gid;
	gid_t	 *groups;
	int	  ngroups;
	char	 *directory;
	int	  umask;
	int	  fd_in, fd_out, fd_err, fd_execerr;
	pid_t	  parent;
	/* Message prefixes, completed with an errno name in the child. */
	char	 *msg_user, *msg_chdir, *msg_exec;
};

/* spawn.c: the child's side, async-signal-safe, from a fresh child to exec. */
void	 spawn_child(const struct spawn_plan *plan)
	    __attribute__((noreturn));

/*
 * spawn.c: while on, spawns leave the opening of their log files for
 * spawn_open_outputs(), which opens them for budget seconds at most (< 0:
 * all) and returns whether some are left.  A process that exits first has
 * them opened then, so none of its output is lost.
 */
void	 spawn_defer_outputs(int on);
int	 spawn_open_outputs(double budget);

struct process;
/*
 * spawn.c: prepares p's child and asks the spawner for it, before
 * process_autostart(p) takes it; nothing when it is not running or full.
 */
void	 spawn_request(struct process *p);

/* Starts the spawner; 0, or -1 when it cannot (children are then forked). */
int	 spawner_start(void);
/* Ends the spawner and reaps it; nothing when it is not running. */
void	 spawner_stop(void);
int	 spawner_running(void);
/*
 * Has the spawner create a child running spawn_child(plan), as a child of
 * ours.  0 with *pid; -1 with *error the errno of the failed creation, or
 * with *error 0 when the spawner is gone (the caller forks by itself).
 */
int	 spawner_spawn(const struct spawn_plan *plan, pid_t *pid, int *error);

/* Our ends of a child's pipes: stdin, stdout, stderr, exec error (or -1). */
struct spawn_ends {
	int	 in, out, err, ex;
};

/*
 * Several requests in flight, so that the spawner makes children while we
 * prepare the next: up to 32, sent by chunks of 8.  spawner_request() queues
 * one for a key and keeps ends with it (-1 when it cannot: the caller forks
 * by itself).
 * spawner_take() returns 1 with key's child in *pid (-errno when it could
 * not be made) and the ends, or 0 when none was asked or the spawner was lost.
 * spawner_flush() ends a series: children not taken are killed and reaped.
 */
int	 spawner_request(const struct spawn_plan *plan, const void *key,
	    struct spawn_ends *ends);
int	 spawner_take(const void *key, pid_t *pid, struct spawn_ends *ends);
void	 spawner_flush(void);

#endif
