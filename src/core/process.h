/* SPDX-License-Identifier: ISC */
/*
 * One supervised process and its state machine, supervisord's: STOPPED,
 * STARTING, RUNNING, BACKOFF, STOPPING, EXITED, FATAL, UNKNOWN.  The machine
 * decides; it acts through a table of operations (spawn, kill, timer) so
 * that unit tests can drive it with events and a fake clock.
 */
#ifndef CORE_PROCESS_H
#define CORE_PROCESS_H

#include <sys/types.h>
#include <time.h>

#include "config/config.h"

enum process_state {
	PROCESS_STOPPED = 0,
	PROCESS_STARTING = 10,
	PROCESS_RUNNING = 20,
	PROCESS_BACKOFF = 30,
	PROCESS_STOPPING = 40,
	PROCESS_EXITED = 100,
	PROCESS_FATAL = 200,
	PROCESS_UNKNOWN = 1000,
};

struct process;
struct process_group;
struct output;

/* How the machine acts on the world; the real one lives in supervisor.c. */
struct process_ops {
	/* fork/exec; sets p->pid.  -1 with *cause for a pre-fork failure. */
	int	(*spawn)(struct process *p, char **cause);
	/* kill(2) of pid (or -pid); returns 0 or -1 with errno. */
	int	(*kill)(struct process *p, pid_t target, int sig);
	/* Arms p's single timer to fire after secs (< 0: cancels it). */
	void	(*timer)(struct process *p, double secs);
	/* Called after every state change (waiters, events). */
	void	(*changed)(struct process *p, enum process_state old);
	/* Whether automatic starts are allowed (not while shutting down). */
	int	(*may_autostart)(struct process *p);
	/*
	 * After a group stop, once the main process pid has exited: ends what
	 * it left behind (NULL: nothing to do).
	 */
	void	(*leftovers)(struct process *p, pid_t pid);
};

/* A caller waiting for a process to change state (deferred API calls). */
struct process_waiter {
	void			(*cb)(struct process *p, void *arg);
	void			 *arg;
	struct process_waiter	 *next;
};

/* Pointers first, then the 8-byte scalars, then the ints: no padding. */
struct process {
	struct process_group			*group;
	const struct process_config	*cfg;
	struct group_config		*gcfg;		/* holds a ref for cfg */
	const struct process_ops	*ops;
	char				*spawnerr;

	/* Reload: config to install once the process has stopped. */
	const struct process_config	*next_cfg;
	struct group_config		*next_gcfg;

	/* Owned by the real implementation (supervisor.c, spawn.c). */
	struct event			*timer_ev;
	struct output			*out;
	struct output			*err;
	struct evbuffer			*stdin_buf;	/* not yet written */
	struct event			*stdin_ev;
	char				*stdout_path;	/* resolved; NULL: none */
	char				*stderr_path;

	struct process_waiter		*waiters;

	double				 laststart_mono;
	time_t				 laststart;	/* 0: never started */
	time_t				 laststop;

	enum process_state		 state;
	pid_t				 pid;
	int				 backoff;
	int				 exitstatus;
	int				 killing;
	int				 expected;	/* last exit expected */
	int				 removing;	/* drop once stopped */
	int				 stdin_fd;
	int				 execerr_fd;
};

struct process	*process_create(struct process_group *g, struct group_config *gcfg,
		    const struct process_config *cfg,
		    const struct process_ops *ops);
void		 process_free(struct process *p);

/* Requests, as the API and the supervisor make them. */
int		 process_start(struct process *p, char **cause);
int		 process_stop(struct process *p, char **cause);
/* Automatic start after creation (autostart and never started). */
void		 process_autostart(struct process *p);

/* Events. */
void		 process_handle_exit(struct process *p, int status);
void		 process_handle_timer(struct process *p);
/* The child reported that it could not exec (errno from the child). */
void		 process_handle_exec_error(struct process *p, const char *why);

/* Moves a BACKOFF process to FATAL without a log line (shutdown). */
void		 process_give_up_silently(struct process *p);

const char	*process_state_name(enum process_state state);
int		 process_state_stopped(enum process_state state);
int		 process_state_running(enum process_state state);
int		 process_state_signallable(enum process_state state);

/* "exit status 1", "terminated by SIGKILL (core dumped)"; allocated. */
char		*process_exit_text(int status);
/* group:name, or name when both are equal; allocated. */
char		*process_namespec(const struct process *p);
const char	*process_group_name(const struct process *p);

void		 process_add_waiter(struct process *p,
		    void (*cb)(struct process *, void *), void *arg);
void		 process_remove_waiter(struct process *p,
		    void (*cb)(struct process *, void *), void *arg);

#endif
