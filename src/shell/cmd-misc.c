/* SPDX-License-Identifier: ISC */
/*
 * help, version, shutdown, quit and exit.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api-remote.h"
#include "cmd.h"
#include "format.h"
#include "shell.h"
#include "util/xmalloc.h"

static int
cmd_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
cmd_help_exec(struct cmd *c)
{
	static const char	 header[] = "default commands (type help "
	    "<topic>):";
	const struct cmd_entry	*e;
	const char		**names;
	char			*cols;
	size_t			 n = 0, i;

	if (c->argc > 1) {
		if ((e = cmd_find(c->argv[1], c->ctx->foreground)) == NULL)
			cmd_printf(c, "*** No help on %s\n", c->argv[1]);
		else
			cmd_printf(c, "%s", e->usage);
		cmd_done(c);
		return;
	}
	names = xcalloc(cmd_ntable, sizeof *names);
	for (i = 0; i < cmd_ntable; i++)
		if (strcmp(cmd_table[i].name, "help") != 0 &&
		    cmd_find(cmd_table[i].name, c->ctx->foreground) != NULL)
			names[n++] = cmd_table[i].name;
	qsort(names, n, sizeof *names, cmd_name_cmp);
	cols = format_columns(names, n, 79);
	cmd_printf(c, "\n%s\n", header);
	for (i = 0; i < sizeof header - 1; i++)
		cmd_write(c, "=", 1);
	cmd_printf(c, "\n%s\n", cols);
	free(cols);
	free(names);
	cmd_done(c);
}

static void
cmd_version_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;

	if (r->result != NULL)
		cmd_printf(c, "%s\n", r->result->u.str.ptr);
	else {
		cmd_printf(c, "error: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	}
	cmd_done(c);
}

void
cmd_version_exec(struct cmd *c)
{
	api_call(c->ctx->api, "supervisor.getSupervisorVersion", NULL,
	    cmd_version_reply, c);
}

static void
cmd_shutdown_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;

	if (r->result != NULL)
		cmd_printf(c, "Shut down\n");
	else if (r->fault == API_SHUTDOWN_STATE)
		cmd_printf(c, "ERROR: already shutting down\n");
	else if (r->fault == API_REMOTE_REFUSED ||
	    r->fault == API_REMOTE_NO_SOCKET) {
		cmd_printf(c, "ERROR: %s (already shut down?)\n",
		    r->fault_string);
		cmd_set_exit(c, 1);
	} else {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	}
	cmd_done(c);
}

static void
cmd_shutdown_answer(int yes, void *arg)
{
	struct cmd	*c = arg;

	if (!yes) {
		cmd_done(c);
		return;
	}
	api_call(c->ctx->api, "supervisor.shutdown", NULL, cmd_shutdown_reply,
	    c);
}

void
cmd_shutdown_exec(struct cmd *c)
{
	if (c->argc > 1) {
		cmd_printf(c, "Error: shutdown accepts no arguments\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	if (c->ctx->sh != NULL && shell_interactive(c->ctx->sh)) {
		shell_ask(c->ctx->sh, "Really shut the remote supervisord "
		    "process down y/N? ", cmd_shutdown_answer, c);
		return;
	}
	cmd_shutdown_answer(1, c);
}

void
cmd_quit_exec(struct cmd *c)
{
	struct cmd_ctx	*ctx = c->ctx;

	cmd_done(c);
	if (ctx->quit != NULL)
		ctx->quit(ctx->arg);
}
