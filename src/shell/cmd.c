/* SPDX-License-Identifier: ISC */
/*
 * The command table and what every command shares: splitting the line,
 * lookup (exact or alias; supervisorctl has no prefix matching), output,
 * exit codes and completion of a command.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "shell.h"
#include "util/xmalloc.h"

const struct cmd_entry cmd_table[] = {
	{ .name = "add", .complete = CMD_COMPLETE_GROUP,
	  .usage = "add <name> [...]\tActivates any updates in config for "
	  "process/group\n", .exec = cmd_add_exec },
	{ .name = "avail", .usage = "avail\t\t\tDisplay all configured "
	  "processes\n", .exec = cmd_avail_exec },
	{ .name = "clear", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "clear <name>\t\tClear a process' log files.\n"
	  "clear <name> <name>\tClear multiple process' log files\n"
	  "clear all\t\tClear all process' log files\n",
	  .exec = cmd_clear_exec },
	{ .name = "exit", .usage = "exit\tExit the supervisor shell.\n",
	  .exec = cmd_quit_exec },
	{ .name = "fg", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "fg <process>\tConnect to a process in foreground mode\n"
	  "\t\tCtrl-C to exit\n", .exec = cmd_fg_exec },
	{ .name = "help", .complete = CMD_COMPLETE_COMMAND,
	  .usage = "help\t\tPrint a list of available actions\n"
	  "help <action>\tPrint help for <action>\n", .exec = cmd_help_exec },
	{ .name = "maintail", .usage = "maintail -f \tContinuous tail of "
	  "supervisor main log file (Ctrl-C to exit)\n"
	  "maintail -100\tlast 100 *bytes* of supervisord main log file\n"
	  "maintail\tlast 1600 *bytes* of supervisor main log file\n",
	  .exec = cmd_maintail_exec },
	{ .name = "open", .flags = CMD_CLIENT_ONLY,
	  .usage = "open <url>\tConnect to a remote supervisord process.\n"
	  "\t\t(for UNIX domain socket, use unix:///socket/path)\n",
	  .exec = cmd_open_exec },
	{ .name = "pid", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "pid\t\t\tGet the PID of supervisord.\n"
	  "pid <name>\t\tGet the PID of a single child process by name.\n"
	  "pid all\t\t\tGet the PID of every child process, one per line.\n",
	  .exec = cmd_pid_exec },
	{ .name = "quit", .usage = "quit\tExit the supervisor shell.\n",
	  .exec = cmd_quit_exec },
	{ .name = "reload", .usage = "reload \t\tRestart the remote "
	  "supervisord.\n", .exec = cmd_reload_exec },
	{ .name = "remove", .complete = CMD_COMPLETE_GROUP,
	  .usage = "remove <name> [...]\tRemoves process/group from active "
	  "config\n", .exec = cmd_remove_exec },
	{ .name = "reread", .usage = "reread \t\t\tReload the daemon's "
	  "configuration files without add/remove\n", .exec = cmd_reread_exec },
	{ .name = "restart", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "restart <name>\t\tRestart a process\n"
	  "restart <gname>:*\tRestart all processes in a group\n"
	  "restart <name> <name>\tRestart multiple processes or groups\n"
	  "restart all\t\tRestart all processes\n"
	  "Note: restart does not reread config files. For that, see reread "
	  "and update.\n", .exec = cmd_restart_exec },
	{ .name = "shutdown", .usage = "shutdown \tShut the remote "
	  "supervisord down.\n", .exec = cmd_shutdown_exec },
	{ .name = "signal", .complete = CMD_COMPLETE_SIGNAL,
	  .usage = "signal <signal name> <name>\t\tSignal a process\n"
	  "signal <signal name> <gname>:*\t\tSignal all processes in a "
	  "group\n"
	  "signal <signal name> <name> <name>\tSignal multiple processes or "
	  "groups\n"
	  "signal <signal name> all\t\tSignal all processes\n",
	  .exec = cmd_signal_exec },
	{ .name = "start", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "start <name>\t\tStart a process\n"
	  "start <gname>:*\t\tStart all processes in a group\n"
	  "start <name> <name>\tStart multiple processes or groups\n"
	  "start all\t\tStart all processes\n", .exec = cmd_start_exec },
	{ .name = "status", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "status <name>\t\tGet status for a single process\n"
	  "status <gname>:*\tGet status for all processes in a group\n"
	  "status <name> <name>\tGet status for multiple named processes\n"
	  "status\t\t\tGet all process status info\n",
	  .exec = cmd_status_exec },
	{ .name = "stop", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "stop <name>\t\tStop a process\n"
	  "stop <gname>:*\t\tStop all processes in a group\n"
	  "stop <name> <name>\tStop multiple processes or groups\n"
	  "stop all\t\tStop all processes\n", .exec = cmd_stop_exec },
	{ .name = "tail", .complete = CMD_COMPLETE_PROCESS,
	  .usage = "tail [-f] <name> [stdout|stderr] (default stdout)\n"
	  "Ex:\n"
	  "tail -f <name>\t\tContinuous tail of named process stdout\n"
	  "\t\t\tCtrl-C to exit.\n"
	  "tail -100 <name>\tlast 100 *bytes* of process stdout\n"
	  "tail <name> stderr\tlast 1600 *bytes* of process stderr\n",
	  .exec = cmd_tail_exec },
	{ .name = "update", .complete = CMD_COMPLETE_GROUP,
	  .usage = "update\t\t\tReload config and add/remove as necessary, "
	  "and will restart affected programs\n"
	  "update all\t\tReload config and add/remove as necessary, and "
	  "will restart affected programs\n"
	  "update <gname> [...]\tUpdate specific groups\n",
	  .exec = cmd_update_exec },
	{ .name = "version", .usage = "version\t\t\tShow the version of the "
	  "remote supervisord process\n", .exec = cmd_version_exec },
};
const size_t cmd_ntable = sizeof cmd_table / sizeof cmd_table[0];

const struct cmd_entry *
cmd_find(const char *name, int foreground)
{
	size_t	 i;
	int	 skip;

	for (i = 0; i < cmd_ntable; i++) {
		skip = foreground ? CMD_CLIENT_ONLY : CMD_FOREGROUND_ONLY;
		if (cmd_table[i].flags & skip)
			continue;
		if (strcmp(cmd_table[i].name, name) == 0 ||
		    (cmd_table[i].alias != NULL &&
		    strcmp(cmd_table[i].alias, name) == 0))
			return &cmd_table[i];
	}
	return NULL;
}

void
cmd_write(struct cmd *c, const char *buf, size_t len)
{
	ssize_t	 n;

	if (c->ctx->sh != NULL) {
		shell_write(c->ctx->sh, buf, len);
		return;
	}
	while (len > 0) {
		if ((n = write(STDOUT_FILENO, buf, len)) <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void
cmd_printf(struct cmd *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	cmd_write(c, s, (size_t)n);
	free(s);
}

void
cmd_usage(struct cmd *c)
{
	cmd_printf(c, "%s", c->entry->usage);
}

void
cmd_set_exit(struct cmd *c, int code)
{
	c->exitcode = code;
}

static void
cmd_free(struct cmd *c)
{
	int	 i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c);
}

void
cmd_done(struct cmd *c)
{
	struct cmd_ctx	*ctx = c->ctx;

	ctx->exitcode = c->exitcode;
	if (ctx->running == c)
		ctx->running = NULL;
	cmd_free(c);
	if (ctx->done != NULL)
		ctx->done(ctx);
}

int
cmd_interrupt(struct cmd_ctx *ctx)
{
	struct cmd	*c = ctx->running;

	if (c == NULL || c->interrupt == NULL)
		return 0;
	c->interrupt(c);
	return 1;
}

/* Splits on blanks, as supervisorctl's arg.split() does. */
static void
cmd_split(const char *line, int *argc, char ***argv)
{
	const char	*p = line, *start;

	*argc = 0;
	*argv = NULL;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && !isspace((unsigned char)*p))
			p++;
		*argv = xreallocarray(*argv, (size_t)*argc + 2, sizeof **argv);
		(*argv)[(*argc)++] = xstrndup(start, (size_t)(p - start));
		(*argv)[*argc] = NULL;
	}
}

void
cmd_run(struct cmd_ctx *ctx, const char *line)
{
	struct cmd	*c;

	c = xcalloc(1, sizeof *c);
	c->ctx = ctx;
	cmd_split(line, &c->argc, &c->argv);
	if (c->argc == 0) {
		cmd_done(c);
		return;
	}
	if ((c->entry = cmd_find(c->argv[0], ctx->foreground)) == NULL) {
		while (isspace((unsigned char)*line))
			line++;
		cmd_printf(c, "*** Unknown syntax: %s\n", line);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	ctx->running = c;
	c->entry->exec(c);
}
