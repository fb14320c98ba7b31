/* SPDX-License-Identifier: ISC */
/*
 * What the files of core/ share and nothing outside may use.
 */
#ifndef CORE_INTERNAL_H
#define CORE_INTERNAL_H

#include <sys/types.h>

#include "supervisor.h"

struct event;
struct event_base;

struct supervisor {
	struct event_base	 *base;
	struct config		 *cfg;		/* last read */
	struct process_group		**groups;	/* sorted: priority, seq */
	size_t			  ngroups;
	unsigned long		  nextseq;
	enum supervisor_state	  state;
	struct event		 *tidy_ev;	/* deferred bookkeeping */
	struct event		 *sigchld_ev;
	double			  last_wait_log;

	supervisor_done_cb	  shutdown_cb;
	void			 *shutdown_arg;
	int			  shutdown_forced;

	/* Pending supervisor_apply() completions. */
	struct apply_wait	 *applies;
};

/* spawn.c */
/*
 * Resolves cfg's command as supervisord does before forking: split, PATH
 * search, existence and permission checks.  On success *path and *argv are
 * allocated.  On failure *cause holds supervisord's text and *nofile is 1
 * for "can't find command" (NO_FILE), 0 for the others (NOT_EXECUTABLE).
 */
int	 spawn_resolve(const struct process_config *cfg, char **path,
	    char ***argv, char **cause, int *nofile);
/* The real ops->spawn: pipes, fork, exec. */
int	 spawn_process(struct process *p, char **cause);
/* Reads the child's exec-error pipe: 1 error seen, 0 exec done, -1 not yet. */
int	 spawn_poll_exec_error(struct process *p);
/* Closes the pipes of a process that has exited, after draining them. */
void	 spawn_cleanup(struct process *p);

/* reap.c */
void	 reap_init(struct supervisor *sv);
void	 reap_free(struct supervisor *sv);
void	 reap_track(pid_t pid, struct process *p);
void	 reap_untrack(pid_t pid);
/* Reaps every exited child now. */
void	 reap_children(struct supervisor *sv);
/* Whether pid is the main process of one of our programs. */
int	 reap_known(pid_t pid);

/* output.c */
struct output	*output_create(struct process *p, int fd, const char *channel,
		    const struct channel_config *cc, const char *path,
		    int strip_ansi);
/* Reads what is in the pipe now, up to its end. */
void		 output_drain(struct output *o);
void		 output_free(struct output *o);
int		 output_reopen(struct output *o);
int		 output_clear(struct output *o);

/* supervisor.c */
void	 supervisor_tidy_soon(struct supervisor *sv);
struct process_group *group_create(struct supervisor *sv, struct group_config *gcfg);
void	 group_free(struct process_group *g);
void	 supervisor_insert_group(struct supervisor *sv, struct process_group *g);
void	 supervisor_resolve_logs(struct supervisor *sv, struct process *p);
extern const struct process_ops supervisor_process_ops;

/* startup.c */
/* Starts what starts automatically, the groups of sv being in place. */
void	 startup_run(struct supervisor *sv);
/* Ends a start-up burst still under way; nothing otherwise. */
void	 startup_end(void);

/* reload.c */
void	 reload_tidy(struct supervisor *sv);

#endif
