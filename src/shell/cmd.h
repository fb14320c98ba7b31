/* SPDX-License-Identifier: ISC */
/*
 * The control shell's commands: one table (cmd.c) of supervisorctl's
 * commands, each with its usage, help, completion kind and body, shared by
 * taskmaster and taskmasterctl.  Bodies only call the API, so they work the
 * same on the local supervisor and over XML-RPC; a command that waits (start,
 * tail -f) completes later through cmd_done().
 */
#ifndef SHELL_CMD_H
#define SHELL_CMD_H

#include <stddef.h>

#include "api/api.h"

struct event_base;
struct shell;
struct cmd;

/* What a command's operands are, for completion. */
enum cmd_complete {
	CMD_COMPLETE_NONE,
	CMD_COMPLETE_PROCESS,		/* name, group:name, group:*, all */
	CMD_COMPLETE_GROUP,		/* group names */
	CMD_COMPLETE_SIGNAL,		/* a signal, then processes */
	CMD_COMPLETE_COMMAND,		/* command names (help) */
};

struct cmd_entry {
	const char		*name;
	const char		*alias;
	const char		*usage;		/* help <cmd> text */
	enum cmd_complete	 complete;
	int			 flags;
#define CMD_FOREGROUND_ONLY	0x1		/* only in taskmaster */
#define CMD_CLIENT_ONLY		0x2		/* only in taskmasterctl */
	void			(*exec)(struct cmd *c);
};

/* What the program around the shell provides. */
struct cmd_ctx {
	struct api		*api;
	struct event_base	*base;
	struct shell		*sh;		/* NULL: print to stdout */
	int			 foreground;	/* taskmaster, not the client */
	int			 exitcode;	/* of the last command */
	/* quit/exit/EOF, and shutdown in the foreground mode. */
	void			(*quit)(void *arg);
	void			*arg;
	/* Called when a command has finished. */
	void			(*done)(struct cmd_ctx *ctx);
	struct cmd		*running;
};

struct cmd {
	struct cmd_ctx		*ctx;
	const struct cmd_entry	*entry;
	int			 argc;
	char			**argv;		/* argv[0] is the command */
	int			 exitcode;
	int			 step;		/* progress of multi-call bodies */
	void			*data;		/* body's own state */
	void			(*interrupt)(struct cmd *c);
};

extern const struct cmd_entry	cmd_table[];
extern const size_t		cmd_ntable;

/* Runs one command line; ctx->done is called when it has finished. */
void	cmd_run(struct cmd_ctx *ctx, const char *line);
/* Ctrl-C while a command runs (tail -f): stops it. 0 if none was running. */
int	cmd_interrupt(struct cmd_ctx *ctx);
/* Ends c: sets the exit code, frees c, calls ctx->done. */
void	cmd_done(struct cmd *c);
void	cmd_printf(struct cmd *c, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	cmd_write(struct cmd *c, const char *buf, size_t len);
/* Prints the usage of c's command. */
void	cmd_usage(struct cmd *c);
/* Raises the exit code (spec 7.5: later events overwrite). */
void	cmd_set_exit(struct cmd *c, int code);
const struct cmd_entry *cmd_find(const char *name, int foreground);

/* complete.c: the completion callback for shell_create(). */
char	**cmd_complete(const char *line, const char *text, int start,
	    void *arg);

/* Bodies. */
void	cmd_status_exec(struct cmd *c);
void	cmd_start_exec(struct cmd *c);
void	cmd_stop_exec(struct cmd *c);
void	cmd_restart_exec(struct cmd *c);
void	cmd_signal_exec(struct cmd *c);
void	cmd_tail_exec(struct cmd *c);
void	cmd_maintail_exec(struct cmd *c);
void	cmd_reread_exec(struct cmd *c);
void	cmd_update_exec(struct cmd *c);
void	cmd_reload_exec(struct cmd *c);
void	cmd_avail_exec(struct cmd *c);
void	cmd_add_exec(struct cmd *c);
void	cmd_remove_exec(struct cmd *c);
void	cmd_help_exec(struct cmd *c);
void	cmd_version_exec(struct cmd *c);
void	cmd_pid_exec(struct cmd *c);
void	cmd_clear_exec(struct cmd *c);
void	cmd_shutdown_exec(struct cmd *c);
void	cmd_quit_exec(struct cmd *c);
void	cmd_fg_exec(struct cmd *c);
void	cmd_open_exec(struct cmd *c);

#endif
