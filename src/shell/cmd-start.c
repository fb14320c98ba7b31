/* SPDX-License-Identifier: ISC */
/*
 * start, stop, restart, signal and clear: each walks its names one after
 * another ("all", "group:*" or a process), calls the matching API method and
 * prints supervisorctl's result lines.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "internal.h"
#include "util/xmalloc.h"

static const struct cmd_walk walk_start = {
	.verb = "start", .done_word = "started",
	.one = "supervisor.startProcess",
	.group = "supervisor.startProcessGroup",
	.all = "supervisor.startAllProcesses",
	.ignored = API_ALREADY_STARTED, .nogroup_exit = 2,
};

static const struct cmd_walk walk_stop = {
	.verb = "stop", .done_word = "stopped",
	.one = "supervisor.stopProcess",
	.group = "supervisor.stopProcessGroup",
	.all = "supervisor.stopAllProcesses",
	.ignored = API_NOT_RUNNING, .nogroup_exit = 1,
};

static const struct cmd_walk walk_signal = {
	.verb = "signal", .done_word = "signalled",
	.one = "supervisor.signalProcess",
	.group = "supervisor.signalProcessGroup",
	.all = "supervisor.signalAllProcesses",
	.ignored = -1, .nogroup_exit = 1, .first = 2,
};

static const struct cmd_walk walk_clear = {
	.verb = "clear", .done_word = "cleared",
	.one = "supervisor.clearProcessLogs",
	.all = "supervisor.clearAllProcessLogs",
	.ignored = -1, .nogroup_exit = 1,
};

static const char *
cmd_walk_reason(int code)
{
	switch (code) {
	case API_BAD_NAME:
		return "no such process";
	case API_NO_FILE:
		return "no such file";
	case API_NOT_EXECUTABLE:
		return "file is not executable";
	case API_ALREADY_STARTED:
		return "already started";
	case API_SPAWN_ERROR:
		return "spawn error";
	case API_ABNORMAL_TERMINATION:
		return "abnormal termination";
	case API_NOT_RUNNING:
		return "not running";
	case API_BAD_SIGNAL:
		return "bad signal name";
	}
	return NULL;
}

/* One result line and its effect on the exit code (spec 7.5). */
static void
cmd_walk_print(struct cmd *c, const struct cmd_walk *w, const char *ns,
    int code, const char *description)
{
	const char	*reason;

	if (code == API_SUCCESS) {
		cmd_printf(c, "%s: %s\n", ns, w->done_word);
		return;
	}
	if ((reason = cmd_walk_reason(code)) == NULL)
		reason = description;
	cmd_printf(c, "%s: ERROR (%s)\n", ns, reason);
	if (code == w->ignored)
		return;
	if (code == API_SPAWN_ERROR || code == API_ABNORMAL_TERMINATION ||
	    code == API_NOT_RUNNING)
		cmd_set_exit(c, 7);
	else
		cmd_set_exit(c, 1);
}

static void
cmd_walk_results(struct cmd *c, const struct cmd_walk *w,
    const struct value *a)
{
	const struct value	*r;
	size_t			 i;
	char			*ns;

	for (i = 0; i < value_array_len(a); i++) {
		r = value_array_at(a, i);
		ns = format_info_namespec(r);
		cmd_walk_print(c, w, ns, (int)value_get_int(r, "status", 0),
		    value_get_string(r, "description", ""));
		free(ns);
	}
}

static void	cmd_walk_next(struct cmd *c);

static void
cmd_walk_reply(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	struct cmd_walk_state	*ws = c->data;
	const struct cmd_walk	*w = ws->walk;
	const char		*name = ws->current;
	char			*group;

	if (r->result != NULL && r->result->type == VALUE_ARRAY)
		cmd_walk_results(c, w, r->result);
	else if (r->result != NULL)
		cmd_walk_print(c, w, name, API_SUCCESS, NULL);
	else if (ws->is_group && r->fault == API_BAD_NAME) {
		group = xstrndup(name, strcspn(name, ":"));
		cmd_printf(c, "%s: ERROR (no such group)\n", group);
		cmd_set_exit(c, w->nogroup_exit);
		free(group);
	} else
		cmd_walk_print(c, w, name, r->fault, r->fault_string);
	cmd_walk_next(c);
}

static int
cmd_has_all(struct cmd *c, int first)
{
	int	 i;

	for (i = first; i < c->argc; i++)
		if (strcmp(c->argv[i], "all") == 0)
			return 1;
	return 0;
}

static void
cmd_walk_finish(struct cmd *c)
{
	struct cmd_walk_state	*ws = c->data;

	c->data = NULL;
	if (ws->then != NULL) {
		void	(*then)(struct cmd *) = ws->then;

		free(ws);
		then(c);
		return;
	}
	free(ws);
	cmd_done(c);
}

/* [target, signal] or [signal] for signal; [target] or [] otherwise. */
static struct value *
cmd_walk_params(struct cmd *c, const struct cmd_walk *w, char *target)
{
	struct value	*params = value_array();

	if (target != NULL)
		value_array_push(params, value_string_own(target,
		    strlen(target)));
	if (w->first == 2)
		value_array_push(params, value_string(c->argv[1]));
	return params;
}

static void
cmd_walk_next(struct cmd *c)
{
	struct cmd_walk_state	*ws = c->data;
	const struct cmd_walk	*w = ws->walk;
	const char		*name, *colon;

	if (ws->next >= c->argc) {
		cmd_walk_finish(c);
		return;
	}
	name = ws->current = c->argv[ws->next++];
	if (ws->all) {
		/* supervisorctl: "all" anywhere means all, once. */
		ws->next = c->argc;
		api_call(c->ctx->api, w->all, cmd_walk_params(c, w, NULL),
		    cmd_walk_reply, c);
		return;
	}
	colon = strchr(name, ':');
	ws->is_group = w->group != NULL && colon != NULL &&
	    (colon[1] == '\0' || strcmp(colon + 1, "*") == 0);
	if (ws->is_group)
		api_call(c->ctx->api, w->group, cmd_walk_params(c, w,
		    xstrndup(name, (size_t)(colon - name))), cmd_walk_reply, c);
	else
		api_call(c->ctx->api, w->one, cmd_walk_params(c, w,
		    xstrdup(name)), cmd_walk_reply, c);
}

void
cmd_walk_begin(struct cmd *c, const struct cmd_walk *w,
    void (*then)(struct cmd *))
{
	struct cmd_walk_state	*ws;
	int			 first = w->first ? w->first : 1;

	ws = xcalloc(1, sizeof *ws);
	ws->walk = w;
	ws->then = then;
	ws->next = first;
	ws->all = cmd_has_all(c, first);
	c->data = ws;
	cmd_walk_next(c);
}

void
cmd_start_exec(struct cmd *c)
{
	if (c->argc < 2) {
		cmd_printf(c, "Error: start requires a process name\n");
		cmd_usage(c);
		cmd_set_exit(c, 2);
		cmd_done(c);
		return;
	}
	cmd_walk_begin(c, &walk_start, NULL);
}

void
cmd_stop_exec(struct cmd *c)
{
	if (c->argc < 2) {
		cmd_printf(c, "Error: stop requires a process name\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	cmd_walk_begin(c, &walk_stop, NULL);
}

static void
cmd_restart_then_start(struct cmd *c)
{
	cmd_walk_begin(c, &walk_start, NULL);
}

void
cmd_restart_exec(struct cmd *c)
{
	if (c->argc < 2) {
		cmd_printf(c, "Error: restart requires a process name\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	cmd_walk_begin(c, &walk_stop, cmd_restart_then_start);
}

void
cmd_signal_exec(struct cmd *c)
{
	if (c->argc < 3) {
		cmd_printf(c, "Error: signal requires a signal name and a "
		    "process name\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	cmd_walk_begin(c, &walk_signal, NULL);
}

void
cmd_clear_exec(struct cmd *c)
{
	if (c->argc < 2) {
		cmd_printf(c, "Error: clear requires a process name\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	cmd_walk_begin(c, &walk_clear, NULL);
}
