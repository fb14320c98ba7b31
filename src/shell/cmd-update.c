/* SPDX-License-Identifier: ISC */
/*
 * reread, update, reload, avail, add and remove: the configuration
 * commands.  update applies the difference process by process through
 * taskmaster.update, so unchanged programs keep running.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "util/xmalloc.h"

static const struct value *
cmd_diff_list(const struct value *diff, size_t i)
{
	return value_array_at(diff, i);
}

/* reloadConfig returns [[added, changed, removed]]. */
static const struct value *
cmd_diff(const struct api_reply *r)
{
	return value_array_at(r->result, 0);
}

struct reread_line {
	const char	*name;
	const char	*word;
};

static int
cmd_reread_cmp(const void *a, const void *b)
{
	return strcmp(((const struct reread_line *)a)->name,
	    ((const struct reread_line *)b)->name);
}

/* supervisorctl prints the three lists merged, sorted by group name. */
static void
cmd_reread_reply(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	const struct value	*d, *list;
	static const char *const words[3] = { "available", "changed",
	    "disappeared" };
	struct reread_line	*lines = NULL;
	size_t			 i, k, n = 0;

	if (r->result == NULL) {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	d = cmd_diff(r);
	for (k = 0; k < 3; k++) {
		list = cmd_diff_list(d, k);
		for (i = 0; i < value_array_len(list); i++) {
			lines = xreallocarray(lines, n + 1, sizeof *lines);
			lines[n].name = value_array_at(list, i)->u.str.ptr;
			lines[n++].word = words[k];
		}
	}
	if (n > 1)
		qsort(lines, n, sizeof *lines, cmd_reread_cmp);
	for (i = 0; i < n; i++)
		cmd_printf(c, "%s: %s\n", lines[i].name, lines[i].word);
	if (n == 0)
		cmd_printf(c, "No config updates to processes\n");
	free(lines);
	cmd_done(c);
}

void
cmd_reread_exec(struct cmd *c)
{
	api_call(c->ctx->api, "supervisor.reloadConfig", NULL,
	    cmd_reread_reply, c);
}

/* ---- update ---- */

/*
 * A supervisord has no taskmaster.update: there update is supervisorctl's
 * sequence of group calls, which restarts every process of a changed group.
 */
struct update_step {
	const char	*method;
	const char	*group;
	const char	*done;		/* printed on success, or NULL */
};

struct update_classic {
	struct value		*diff;	/* [added, changed, removed] */
	struct update_step	*steps;
	size_t			 n, next;
};

static void
cmd_update_step(struct update_classic *u, const char *method,
    const char *group, const char *done)
{
	u->steps = xreallocarray(u->steps, u->n + 1, sizeof *u->steps);
	u->steps[u->n++] = (struct update_step){ method, group, done };
}

static int
cmd_update_wanted(struct cmd *c, const char *group)
{
	int	 i;

	if (c->argc < 2)
		return 1;
	for (i = 1; i < c->argc; i++)
		if (strcmp(c->argv[i], "all") == 0 ||
		    strcmp(c->argv[i], group) == 0)
			return 1;
	return 0;
}

static void
cmd_update_classic_free(struct cmd *c)
{
	struct update_classic	*u = c->data;

	value_free(u->diff);
	free(u->steps);
	free(u);
	c->data = NULL;
}

static void	cmd_update_classic_next(struct cmd *c);

static void
cmd_update_classic_reply(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	struct update_classic	*u = c->data;
	struct update_step	*st = &u->steps[u->next++];

	if (r->result == NULL && strcmp(st->method,
	    "supervisor.stopProcessGroup") != 0) {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	} else if (st->done != NULL)
		cmd_printf(c, "%s: %s\n", st->group, st->done);
	cmd_update_classic_next(c);
}

static void
cmd_update_classic_next(struct cmd *c)
{
	struct update_classic	*u = c->data;

	if (u->next >= u->n) {
		cmd_update_classic_free(c);
		cmd_done(c);
		return;
	}
	api_callf(c->ctx->api, cmd_update_classic_reply, c,
	    u->steps[u->next].method, "s", u->steps[u->next].group);
}

static int
cmd_update_known(const struct value *infos, const struct value *added,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < value_array_len(infos); i++)
		if (strcmp(value_get_string(value_array_at(infos, i), "group",
		    ""), name) == 0)
			return 1;
	for (i = 0; i < value_array_len(added); i++)
		if (strcmp(value_array_at(added, i)->u.str.ptr, name) == 0)
			return 1;
	return 0;
}

/* The named groups must be running or just added (supervisorctl). */
static void
cmd_update_classic(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	struct update_classic	*u = c->data;
	const struct value	*l;
	const char		*g;
	size_t			 i;
	int			 j;

	for (j = 1; r->result != NULL && j < c->argc; j++) {
		if (strcmp(c->argv[j], "all") == 0)
			break;
		if (!cmd_update_known(r->result, value_array_at(u->diff, 0),
		    c->argv[j])) {
			cmd_printf(c, "ERROR: no such group: %s\n", c->argv[j]);
			cmd_set_exit(c, 1);
		}
	}

	l = value_array_at(u->diff, 2);
	for (i = 0; i < value_array_len(l); i++) {
		if (!cmd_update_wanted(c, g = value_array_at(l, i)->u.str.ptr))
			continue;
		cmd_update_step(u, "supervisor.stopProcessGroup", g, "stopped");
		cmd_update_step(u, "supervisor.removeProcessGroup", g,
		    "removed process group");
	}
	l = value_array_at(u->diff, 1);
	for (i = 0; i < value_array_len(l); i++) {
		if (!cmd_update_wanted(c, g = value_array_at(l, i)->u.str.ptr))
			continue;
		cmd_update_step(u, "supervisor.stopProcessGroup", g, "stopped");
		cmd_update_step(u, "supervisor.removeProcessGroup", g, NULL);
		cmd_update_step(u, "supervisor.addProcessGroup", g,
		    "updated process group");
	}
	l = value_array_at(u->diff, 0);
	for (i = 0; i < value_array_len(l); i++)
		if (cmd_update_wanted(c, g = value_array_at(l, i)->u.str.ptr))
			cmd_update_step(u, "supervisor.addProcessGroup", g,
			    "added process group");
	cmd_update_classic_next(c);
}

static void
cmd_update_applied(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	const struct value	*added, *changed, *removed;
	size_t			 i;

	if (r->result == NULL && r->fault == API_UNKNOWN_METHOD) {
		api_call(c->ctx->api, "supervisor.getAllProcessInfo", NULL,
		    cmd_update_classic, c);
		return;
	}
	cmd_update_classic_free(c);
	if (r->result == NULL) {
		if (r->fault == API_BAD_NAME)
			cmd_printf(c, "ERROR: no such group: %s\n",
			    strchr(r->fault_string, ' ') != NULL ?
			    strchr(r->fault_string, ' ') + 1 : r->fault_string);
		else
			cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	added = value_array_at(r->result, 0);
	changed = value_array_at(r->result, 1);
	removed = value_array_at(r->result, 2);
	for (i = 0; i < value_array_len(removed); i++) {
		cmd_printf(c, "%s: stopped\n", value_array_at(removed,
		    i)->u.str.ptr);
		cmd_printf(c, "%s: removed process group\n",
		    value_array_at(removed, i)->u.str.ptr);
	}
	/* supervisorctl's lines, though unchanged processes kept running. */
	for (i = 0; i < value_array_len(changed); i++) {
		cmd_printf(c, "%s: stopped\n", value_array_at(changed,
		    i)->u.str.ptr);
		cmd_printf(c, "%s: updated process group\n",
		    value_array_at(changed, i)->u.str.ptr);
	}
	for (i = 0; i < value_array_len(added); i++)
		cmd_printf(c, "%s: added process group\n",
		    value_array_at(added, i)->u.str.ptr);
	cmd_done(c);
}

static void
cmd_update_reread(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	struct value		*names, *params;
	struct update_classic	*u;
	int			 i;

	if (r->result == NULL) {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	u = xcalloc(1, sizeof *u);
	u->diff = value_dup(cmd_diff(r));
	c->data = u;
	names = value_array();
	for (i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "all") == 0) {
			value_free(names);
			names = value_array();
			break;
		}
		value_array_push(names, value_string(c->argv[i]));
	}
	params = value_array();
	value_array_push(params, names);
	api_call(c->ctx->api, "taskmaster.update", params,
	    cmd_update_applied, c);
}

void
cmd_update_exec(struct cmd *c)
{
	api_call(c->ctx->api, "supervisor.reloadConfig", NULL,
	    cmd_update_reread, c);
}

/* ---- reload ---- */

static void
cmd_reload_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;

	if (r->result == NULL) {
		if (r->fault == API_SHUTDOWN_STATE)
			cmd_printf(c, "ERROR: already shutting down\n");
		else
			cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	} else
		cmd_printf(c, "Restarted supervisord\n");
	cmd_done(c);
}

void
cmd_reload_exec(struct cmd *c)
{
	if (c->argc > 1) {
		cmd_printf(c, "Error: reload accepts no arguments\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	api_call(c->ctx->api, "supervisor.restart", NULL, cmd_reload_reply, c);
}

/* ---- avail ---- */

static void
cmd_avail_reply(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;
	const struct value	*info;
	size_t			 i;
	char			*ns, *prio;

	if (r->result == NULL) {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	for (i = 0; i < value_array_len(r->result); i++) {
		info = value_array_at(r->result, i);
		ns = format_info_namespec(info);
		prio = xprintf("%lld:%lld", value_get_int(info, "group_prio",
		    0), value_get_int(info, "process_prio", 0));
		cmd_printf(c, "%-32s %-9s %-9s %s\n", ns,
		    value_get_int(info, "inuse", 0) ? "in use" : "avail",
		    value_get_int(info, "autostart", 0) ? "auto" : "manual",
		    prio);
		free(prio);
		free(ns);
	}
	cmd_done(c);
}

void
cmd_avail_exec(struct cmd *c)
{
	api_call(c->ctx->api, "supervisor.getAllConfigInfo", NULL,
	    cmd_avail_reply, c);
}

/* ---- add / remove ---- */

static void	cmd_group_next(struct cmd *c);

static void
cmd_group_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;
	const char	*name = c->argv[c->step - 1];
	int		 add = strcmp(c->entry->name, "add") == 0;

	if (r->result != NULL)
		cmd_printf(c, "%s: %s process group\n", name,
		    add ? "added" : "removed");
	else if (r->fault == API_ALREADY_ADDED)
		cmd_printf(c, "ERROR: process group already active\n");
	else if (r->fault == API_STILL_RUNNING) {
		cmd_printf(c, "ERROR: process/group still running: %s\n", name);
		cmd_set_exit(c, 1);
	} else if (r->fault == API_BAD_NAME) {
		cmd_printf(c, "ERROR: no such process/group: %s\n", name);
		cmd_set_exit(c, 1);
	} else if (r->fault == API_SHUTDOWN_STATE) {
		cmd_printf(c, "ERROR: shutting down\n");
		cmd_set_exit(c, 1);
	} else {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	}
	cmd_group_next(c);
}

static void
cmd_group_next(struct cmd *c)
{
	const char	*method = strcmp(c->entry->name, "add") == 0 ?
	    "supervisor.addProcessGroup" : "supervisor.removeProcessGroup";

	if (c->step >= c->argc) {
		cmd_done(c);
		return;
	}
	c->step++;
	api_callf(c->ctx->api, cmd_group_reply, c, method, "s",
	    c->argv[c->step - 1]);
}

void
cmd_add_exec(struct cmd *c)
{
	c->step = 1;
	cmd_group_next(c);
}

void
cmd_remove_exec(struct cmd *c)
{
	c->step = 1;
	cmd_group_next(c);
}
