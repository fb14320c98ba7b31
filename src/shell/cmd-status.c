/* SPDX-License-Identifier: ISC */
/*
 * status and pid, with supervisorctl's table and exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "util/xmalloc.h"

/* status exit codes (spec 7.5). */
#define STATUS_NOT_RUNNING	3
#define STATUS_UNKNOWN		4

static int
cmd_status_stopped(const struct value *info)
{
	const char	*s = value_get_string(info, "statename", "");

	return strcmp(s, "STOPPED") == 0 || strcmp(s, "EXITED") == 0 ||
	    strcmp(s, "FATAL") == 0 || strcmp(s, "UNKNOWN") == 0;
}

/* Which infos name selects; 0 if none. */
static int
cmd_status_match(const struct value *info, const char *name)
{
	const char	*g = value_get_string(info, "group", "");
	const char	*n = value_get_string(info, "name", "");
	const char	*colon = strchr(name, ':');
	size_t		 glen;

	if (colon == NULL)
		return strcmp(g, name) == 0 && strcmp(n, name) == 0;
	glen = (size_t)(colon - name);
	if (strlen(g) != glen || strncmp(g, name, glen) != 0)
		return 0;
	return colon[1] == '\0' || strcmp(colon + 1, "*") == 0 ||
	    strcmp(colon + 1, n) == 0;
}

/* All lines in one write: stdout may be a pipe read line by line. */
static void
cmd_status_print(struct cmd *c, const struct value *const *shown, size_t n)
{
	size_t	 i, len;
	char	*table;
	int	 stopped = 0;

	table = format_status_table(shown, n, &len);
	cmd_write(c, table, len);
	free(table);
	for (i = 0; i < n && !stopped; i++)
		stopped = cmd_status_stopped(shown[i]);
	/* 3 is assigned last, so it wins over an unknown name's 4. */
	if (stopped)
		cmd_set_exit(c, STATUS_NOT_RUNNING);
}

static void
cmd_status_reply(const struct api_reply *r, void *arg)
{
	struct cmd		 *c = arg;
	const struct value	**shown = NULL, *info;
	size_t			  n = 0, i, total;
	int			  j, found, all = c->argc < 2;
	char			 *g;

	if (r->result == NULL) {
		cmd_printf(c, "error: %s\n", r->fault_string);
		cmd_set_exit(c, STATUS_UNKNOWN);
		cmd_done(c);
		return;
	}
	total = value_array_len(r->result);
	for (j = 1; j < c->argc; j++)
		if (strcmp(c->argv[j], "all") == 0)
			all = 1;
	shown = xcalloc(total + 1, sizeof *shown);
	if (all) {
		for (i = 0; i < total; i++)
			shown[n++] = value_array_at(r->result, i);
		cmd_status_print(c, shown, n);
		free(shown);
		cmd_done(c);
		return;
	}
	for (j = 1; j < c->argc; j++) {
		found = 0;
		for (i = 0; i < total; i++) {
			info = value_array_at(r->result, i);
			if (cmd_status_match(info, c->argv[j])) {
				shown = xreallocarray(shown, n + total + 1,
				    sizeof *shown);
				shown[n++] = info;
				found = 1;
			}
		}
		if (found)
			continue;
		if (strchr(c->argv[j], ':') != NULL) {
			g = xstrndup(c->argv[j], strcspn(c->argv[j], ":"));
			cmd_printf(c, "%s: ERROR (no such group)\n", g);
			free(g);
		} else
			cmd_printf(c, "%s: ERROR (no such process)\n",
			    c->argv[j]);
		cmd_set_exit(c, STATUS_UNKNOWN);
	}
	cmd_status_print(c, shown, n);
	free(shown);
	cmd_done(c);
}

void
cmd_status_exec(struct cmd *c)
{
	api_call(c->ctx->api, "supervisor.getAllProcessInfo", NULL,
	    cmd_status_reply, c);
}

/* ---- pid ---- */

static void	cmd_pid_next(struct cmd *c);

static void
cmd_pid_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;
	long long	 pid;
	size_t		 i;

	if (r->result == NULL) {
		if (r->fault == API_BAD_NAME)
			cmd_printf(c, "No such process %s\n",
			    c->argv[c->step - 1]);
		else
			cmd_printf(c, "error: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	} else if (r->result->type == VALUE_INT) {
		cmd_printf(c, "%lld\n", r->result->u.i);
	} else if (r->result->type == VALUE_ARRAY) {
		for (i = 0; i < value_array_len(r->result); i++)
			cmd_printf(c, "%lld\n", value_get_int(
			    value_array_at(r->result, i), "pid", 0));
	} else {
		pid = value_get_int(r->result, "pid", 0);
		cmd_printf(c, "%lld\n", pid);
		if (pid == 0)
			cmd_set_exit(c, 7);
	}
	cmd_pid_next(c);
}

static void
cmd_pid_next(struct cmd *c)
{
	const char	*name;

	if (c->step >= c->argc) {
		cmd_done(c);
		return;
	}
	name = c->argv[c->step++];
	if (strcmp(name, "all") == 0) {
		api_call(c->ctx->api, "supervisor.getAllProcessInfo", NULL,
		    cmd_pid_reply, c);
		return;
	}
	api_callf(c->ctx->api, cmd_pid_reply, c, "supervisor.getProcessInfo",
	    "s", name);
}

void
cmd_pid_exec(struct cmd *c)
{
	if (c->argc < 2) {
		/* The reply may come at once: nothing of c after the call. */
		c->step = c->argc;
		api_call(c->ctx->api, "supervisor.getPID", NULL,
		    cmd_pid_reply, c);
		return;
	}
	c->step = 1;
	cmd_pid_next(c);
}
