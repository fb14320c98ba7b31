/* SPDX-License-Identifier: ISC */
/*
 * The supervisor: the running groups and their processes on one event loop,
 * started and stopped in priority order, reaped as soon as they exit, and
 * reconfigured in place when the config changes.  It knows nothing of HTTP,
 * XML or terminals.
 */
#ifndef CORE_SUPERVISOR_H
#define CORE_SUPERVISOR_H

#include <stddef.h>

#include "config/config.h"
#include "process.h"

struct event_base;

/* getState codes. */
enum supervisor_state {
	SUPERVISOR_FATAL = 2,
	SUPERVISOR_RUNNING = 1,
	SUPERVISOR_RESTARTING = 0,
	SUPERVISOR_SHUTDOWN = -1,
};

struct process_group {
	struct supervisor	 *sv;
	struct group_config	 *cfg;		/* holds a ref */
	struct process		**procs;	/* in config order */
	size_t			  nprocs;
	unsigned long		  seq;		/* creation order */
	int			  removing;	/* drop once all stopped */
};

struct supervisor;

typedef void	(*supervisor_done_cb)(void *arg);

/* Takes ownership of cfg. */
struct supervisor *supervisor_create(struct event_base *base,
		    struct config *cfg);
void		 supervisor_free(struct supervisor *sv);
/* Creates the configured groups and spawns the autostart processes. */
void		 supervisor_start(struct supervisor *sv);
/*
 * Ordered shutdown: groups one at a time, highest priority number first;
 * done is called once every process is stopped.  A second call kills what
 * is left with SIGKILL at once.
 */
void		 supervisor_shutdown(struct supervisor *sv,
		    supervisor_done_cb done, void *arg);

enum supervisor_state supervisor_state(const struct supervisor *sv);
/* The config read last (by start-up or reread). */
const struct config *supervisor_config(const struct supervisor *sv);
struct event_base *supervisor_base(const struct supervisor *sv);

/* Running groups sorted by (priority, creation order). */
size_t		 supervisor_ngroups(const struct supervisor *sv);
struct process_group	*supervisor_group(const struct supervisor *sv, size_t i);
struct process_group	*supervisor_find_group(const struct supervisor *sv,
		    const char *name);
/* "name" (group == name) or "group:name". */
struct process	*supervisor_find_process(const struct supervisor *sv,
		    const char *namespec);
struct process	*group_find_process(const struct process_group *g, const char *name);

/*
 * The difference between the running groups and a config: names of groups
 * added, changed and removed, each sorted.
 */
struct reload_diff {
	char	**added, **changed, **removed;
	size_t	  nadded, nchanged, nremoved;
};
void		 reload_diff_free(struct reload_diff *d);

/*
 * Re-reads the config file.  On success it becomes the "last read" config
 * and d holds the difference with what runs; on error nothing changes and
 * *cause says why.
 */
int		 supervisor_reread(struct supervisor *sv, struct reload_diff *d,
		    char **cause);
/* The difference between what runs and the last read config. */
void		 supervisor_diff(struct supervisor *sv, struct reload_diff *d);

/*
 * Applies the last read config to the named groups (NULL: all): added
 * groups are created, removed ones stopped and dropped, changed ones
 * updated process by process (unchanged processes keep running).  done is
 * called once every stop it needed has finished.
 */
void		 supervisor_apply(struct supervisor *sv, char **groups,
		    size_t ngroups, supervisor_done_cb done, void *arg);

/* addProcessGroup / removeProcessGroup: 0, or -1 with a fault name. */
int		 supervisor_add_group(struct supervisor *sv, const char *name,
		    const char **fault);
int		 supervisor_remove_group(struct supervisor *sv,
		    const char *name, const char **fault);

/*
 * The checks supervisord makes before a start: command found, executable.
 * Returns -1 with *cause; *nofile tells NO_FILE from NOT_EXECUTABLE.
 */
int		 supervisor_check_command(const struct process *p, char **cause,
		    int *nofile);
/* signalProcess: sends sig to the process (not its group). */
int		 supervisor_signal(struct process *p, int sig, char **cause);

/* clearProcessLogs: empties the process's log files, running or not. */
int		 supervisor_clear_logs(struct process *p);
/* sendProcessStdin: 0, or -1 with a fault name (NOT_RUNNING, NO_FILE). */
int		 supervisor_send_stdin(struct process *p, const char *buf,
		    size_t len, const char **fault);

/* Reopens every log (SIGUSR2). */
void		 supervisor_reopen_logs(struct supervisor *sv);

#endif
