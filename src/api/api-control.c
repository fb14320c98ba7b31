/* SPDX-License-Identifier: ISC */
/*
 * The API's control side: start, stop and signal (one process, a group,
 * all), with supervisord's deferred replies; group add/remove; rereading and
 * applying the config; shutdown and restart.
 */
#include <stdlib.h>
#include <string.h>

#include "local.h"
#include "util/sig.h"
#include "util/xmalloc.h"

enum api_job_kind {
	API_JOB_START,
	API_JOB_STOP,
};

/* A start or stop of one or more processes, answered when all are done. */
struct api_job {
	struct api_req		*req;
	enum api_job_kind	 kind;
	int			 single;	/* reply true or a fault */
	struct value		*results;
	int			 pending;
};

struct api_wait {
	struct api_job	*job;
	struct process	*p;
};

int
api_lookup(struct api_local *al, const char *name, struct process_group **g,
    struct process **p)
{
	const char	*colon;
	char		*gname;

	*g = NULL;
	*p = NULL;
	if (name == NULL)
		return -1;
	if ((colon = strchr(name, ':')) == NULL) {
		if ((*g = supervisor_find_group(al->sv, name)) == NULL)
			return -1;
		*p = group_find_process(*g, name);
		return *p != NULL ? 0 : -1;
	}
	gname = xstrndup(name, (size_t)(colon - name));
	*g = supervisor_find_group(al->sv, gname);
	free(gname);
	if (*g == NULL)
		return -1;
	if (strcmp(colon + 1, "*") == 0 || colon[1] == '\0')
		return 0;
	*p = group_find_process(*g, colon + 1);
	return *p != NULL ? 0 : -1;
}

/* ---- jobs ---- */

static struct api_job *
api_job_create(struct api_req *req, enum api_job_kind kind, int single)
{
	struct api_job	*job;

	job = xcalloc(1, sizeof *job);
	job->req = req;
	job->kind = kind;
	job->single = single;
	job->results = value_array();
	return job;
}

/* "NAME: detail" -> "detail", for the single-process reply. */
static const char *
api_job_detail(const char *description)
{
	const char	*sep = strstr(description, ": ");

	return sep != NULL ? sep + 2 : description;
}

static void
api_job_finish(struct api_job *job)
{
	const struct value	*r;
	int			 status;

	if (job->pending > 0)
		return;
	if (!job->single) {
		api_reply_value(job->req, job->results);
		free(job);
		return;
	}
	r = value_array_at(job->results, 0);
	status = (int)value_get_int(r, "status", API_SUCCESS);
	if (status == API_SUCCESS)
		api_reply_true(job->req);
	else
		api_reply_fault(job->req, status, "%s", api_job_detail(
		    value_get_string(r, "description", "")));
	value_free(job->results);
	free(job);
}

/* A group result's description is the whole fault string (spec 9.6). */
static void
api_job_result(struct api_job *job, const struct process *p, int code,
    const char *detail)
{
	char	*ns, *desc;

	if (code == API_SUCCESS) {
		value_array_push(job->results, api_result(p, code, "OK"));
		return;
	}
	ns = detail != NULL ? NULL : process_namespec(p);
	desc = xprintf("%s: %s", api_fault_name(code),
	    detail != NULL ? detail : ns);
	value_array_push(job->results, api_result(p, code, desc));
	free(desc);
	free(ns);
}

/* 0 while still pending, else the outcome's code. */
static int
api_job_outcome(const struct api_job *job, const struct process *p)
{
	if (job->kind == API_JOB_STOP)
		return process_state_stopped(p->state) ? API_SUCCESS : 0;
	if (p->state == PROCESS_RUNNING)
		return API_SUCCESS;
	if (p->spawnerr != NULL)
		return API_SPAWN_ERROR;
	if (p->state != PROCESS_STARTING)
		return API_ABNORMAL_TERMINATION;
	return 0;
}

static void
api_job_changed(struct process *p, void *arg)
{
	struct api_wait	*w = arg;
	int		 code;

	if ((code = api_job_outcome(w->job, p)) == 0)
		return;
	process_remove_waiter(p, api_job_changed, w);
	api_job_result(w->job, p, code, NULL);
	w->job->pending--;
	api_job_finish(w->job);
	free(w);
}

static void
api_job_wait(struct api_job *job, struct process *p)
{
	struct api_wait	*w;
	int		 code;

	if ((code = api_job_outcome(job, p)) != 0) {
		api_job_result(job, p, code, NULL);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->job = job;
	w->p = p;
	job->pending++;
	process_add_waiter(p, api_job_changed, w);
}

/* ---- start ---- */

static void
api_start_one(struct api_job *job, struct process *p, int wait)
{
	char	*cause = NULL;
	int	 nofile;

	if (supervisor_check_command(p, &cause, &nofile) != 0) {
		api_job_result(job, p, nofile ? API_NO_FILE :
		    API_NOT_EXECUTABLE, cause);
		free(cause);
		return;
	}
	if (process_start(p, &cause) != 0) {
		if (strcmp(cause, "ALREADY_STARTED") == 0)
			api_job_result(job, p, API_ALREADY_STARTED, NULL);
		else
			api_job_result(job, p, API_FAILED, cause);
		free(cause);
		return;
	}
	if (p->spawnerr != NULL)
		api_job_result(job, p, API_SPAWN_ERROR, NULL);
	else if (wait)
		api_job_wait(job, p);
	else
		api_job_result(job, p, API_SUCCESS, NULL);
}

static int
api_start_eligible(const struct process *p)
{
	return !process_state_running(p->state);
}

static void
api_stop_one(struct api_job *job, struct process *p, int wait)
{
	char	*cause = NULL;

	if (!process_state_running(p->state)) {
		api_job_result(job, p, API_NOT_RUNNING, NULL);
		return;
	}
	if (process_stop(p, &cause) != 0) {
		api_job_result(job, p, API_FAILED, cause);
		free(cause);
		return;
	}
	if (wait)
		api_job_wait(job, p);
	else
		api_job_result(job, p, API_SUCCESS, NULL);
}

static int
api_stop_eligible(const struct process *p)
{
	return process_state_running(p->state);
}

/* start and stop share their forms: one process, a group, all. */
struct api_op {
	enum api_job_kind	 kind;
	int			(*eligible)(const struct process *p);
	void			(*one)(struct api_job *job, struct process *p,
				    int wait);
};

static const struct api_op api_op_start = {
	API_JOB_START, api_start_eligible, api_start_one
};
static const struct api_op api_op_stop = {
	API_JOB_STOP, api_stop_eligible, api_stop_one
};

static void
api_op_group(struct api_job *job, const struct api_op *op,
    struct process_group *g, int wait)
{
	size_t	 i;

	if (g->removing)
		return;
	for (i = 0; i < g->nprocs; i++)
		if (!g->procs[i]->removing && op->eligible(g->procs[i]))
			op->one(job, g->procs[i], wait);
}

/* startProcess/stopProcess: "g:*" means the group (spec 9.5). */
static void
api_op_named(struct api_req *req, const struct api_op *op)
{
	struct process_group	*g;
	struct process		*p;
	struct api_job		*job;
	const char		*name = api_param_str(req, 0);
	int			 wait = api_param_bool(req, 1, 1);

	if (api_lookup(req->al, name, &g, &p) != 0) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return;
	}
	job = api_job_create(req, op->kind, p != NULL);
	if (p != NULL)
		op->one(job, p, wait);
	else
		api_op_group(job, op, g, wait);
	api_job_finish(job);
}

static void
api_op_group_req(struct api_req *req, const struct api_op *op)
{
	struct process_group	*g;
	struct api_job		*job;
	const char		*name = api_param_str(req, 0);

	if ((g = supervisor_find_group(req->al->sv, name)) == NULL) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return;
	}
	job = api_job_create(req, op->kind, 0);
	api_op_group(job, op, g, api_param_bool(req, 1, 1));
	api_job_finish(job);
}

/* Ascending priority for both, as supervisord does. */
static void
api_op_all(struct api_req *req, const struct api_op *op)
{
	struct supervisor	*sv = req->al->sv;
	struct api_job		*job;
	size_t			 i;

	job = api_job_create(req, op->kind, 0);
	for (i = 0; i < supervisor_ngroups(sv); i++)
		api_op_group(job, op, supervisor_group(sv, i),
		    api_param_bool(req, 0, 1));
	api_job_finish(job);
}

void
api_control_start(struct api_req *req)
{
	api_op_named(req, &api_op_start);
}

void
api_control_start_group(struct api_req *req)
{
	api_op_group_req(req, &api_op_start);
}

void
api_control_start_all(struct api_req *req)
{
	api_op_all(req, &api_op_start);
}

void
api_control_stop(struct api_req *req)
{
	api_op_named(req, &api_op_stop);
}

void
api_control_stop_group(struct api_req *req)
{
	api_op_group_req(req, &api_op_stop);
}

void
api_control_stop_all(struct api_req *req)
{
	api_op_all(req, &api_op_stop);
}

/* ---- signal ---- */

/* The signal parameter: a name or number, as a string or an int. */
static int
api_signal_param(const struct value *v, char **given)
{
	char	*cause = NULL;
	int	 sig;

	if (v->type == VALUE_INT)
		*given = xprintf("%lld", v->u.i);
	else
		*given = xstrdup(v->u.str.ptr);
	sig = sig_parse(*given, &cause);
	free(cause);
	return sig;
}

static void
api_signal_one(struct api_job *job, struct process *p, int sig,
    const char *given)
{
	char	*cause = NULL;

	if (sig < 0) {
		api_job_result(job, p, API_BAD_SIGNAL, given);
		return;
	}
	if (!process_state_signallable(p->state) || p->pid == 0) {
		api_job_result(job, p, API_NOT_RUNNING, NULL);
		return;
	}
	if (supervisor_signal(p, sig, &cause) != 0) {
		api_job_result(job, p, API_FAILED, cause);
		free(cause);
		return;
	}
	api_job_result(job, p, API_SUCCESS, NULL);
}

static void
api_signal_group(struct api_job *job, struct process_group *g, int sig,
    const char *given)
{
	size_t	 i;

	for (i = 0; i < g->nprocs; i++)
		if (process_state_signallable(g->procs[i]->state))
			api_signal_one(job, g->procs[i], sig, given);
}

void
api_control_signal(struct api_req *req)
{
	struct process_group	*g;
	struct process		*p;
	struct api_job		*job;
	const char		*name = api_param_str(req, 0);
	char			*given;
	int			 sig;

	if (api_lookup(req->al, name, &g, &p) != 0) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return;
	}
	sig = api_signal_param(api_param(req, 1), &given);
	if (sig < 0 && p != NULL) {
		api_reply_fault(req, API_BAD_SIGNAL, "%s", given);
		free(given);
		return;
	}
	job = api_job_create(req, API_JOB_STOP, p != NULL);
	if (p != NULL)
		api_signal_one(job, p, sig, given);
	else
		api_signal_group(job, g, sig, given);
	free(given);
	api_job_finish(job);
}

void
api_control_signal_group(struct api_req *req)
{
	struct process_group	*g;
	struct api_job		*job;
	const char		*name = api_param_str(req, 0);
	char			*given;
	int			 sig;

	if ((g = supervisor_find_group(req->al->sv, name)) == NULL) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return;
	}
	sig = api_signal_param(api_param(req, 1), &given);
	job = api_job_create(req, API_JOB_STOP, 0);
	api_signal_group(job, g, sig, given);
	free(given);
	api_job_finish(job);
}

void
api_control_signal_all(struct api_req *req)
{
	struct supervisor	*sv = req->al->sv;
	struct api_job		*job;
	char			*given;
	int			 sig;
	size_t			 i;

	sig = api_signal_param(api_param(req, 0), &given);
	job = api_job_create(req, API_JOB_STOP, 0);
	for (i = 0; i < supervisor_ngroups(sv); i++)
		api_signal_group(job, supervisor_group(sv, i), sig, given);
	free(given);
	api_job_finish(job);
}

/* ---- groups and config ---- */

static int
api_fault_code(const char *name)
{
	if (strcmp(name, "BAD_NAME") == 0)
		return API_BAD_NAME;
	if (strcmp(name, "ALREADY_ADDED") == 0)
		return API_ALREADY_ADDED;
	if (strcmp(name, "STILL_RUNNING") == 0)
		return API_STILL_RUNNING;
	if (strcmp(name, "SHUTDOWN_STATE") == 0)
		return API_SHUTDOWN_STATE;
	return API_FAILED;
}

void
api_control_add_group(struct api_req *req)
{
	const char	*fault, *name = api_param_str(req, 0);

	if (supervisor_add_group(req->al->sv, name, &fault) != 0) {
		api_reply_fault(req, api_fault_code(fault), "%s", name);
		return;
	}
	api_reply_true(req);
}

void
api_control_remove_group(struct api_req *req)
{
	const char	*fault, *name = api_param_str(req, 0);

	if (supervisor_remove_group(req->al->sv, name, &fault) != 0) {
		api_reply_fault(req, api_fault_code(fault), "%s", name);
		return;
	}
	api_reply_true(req);
}

static struct value *
api_names(char **names, size_t n)
{
	struct value	*a = value_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		value_array_push(a, value_string(names[i]));
	return a;
}

static struct value *
api_diff_value(const struct reload_diff *d)
{
	struct value	*inner = value_array();

	value_array_push(inner, api_names(d->added, d->nadded));
	value_array_push(inner, api_names(d->changed, d->nchanged));
	value_array_push(inner, api_names(d->removed, d->nremoved));
	return inner;
}

void
api_control_reload_config(struct api_req *req)
{
	struct reload_diff	 d;
	char			*cause = NULL;
	struct value		*outer;

	if (supervisor_reread(req->al->sv, &d, &cause) != 0) {
		api_reply_fault(req, API_CANT_REREAD, "%s", cause);
		free(cause);
		return;
	}
	outer = value_array();
	value_array_push(outer, api_diff_value(&d));
	reload_diff_free(&d);
	api_reply_value(req, outer);
}

/* taskmaster.update: the reply carries what was applied. */
struct api_update {
	struct api_req	*req;
	struct value	*applied;
};

static void
api_update_done(void *arg)
{
	struct api_update	*u = arg;

	api_reply_value(u->req, u->applied);
	free(u);
}

static int
api_diff_has(const struct reload_diff *d, const char *name)
{
	size_t	 i;

	for (i = 0; i < d->nadded; i++)
		if (strcmp(d->added[i], name) == 0)
			return 1;
	for (i = 0; i < d->nchanged; i++)
		if (strcmp(d->changed[i], name) == 0)
			return 1;
	for (i = 0; i < d->nremoved; i++)
		if (strcmp(d->removed[i], name) == 0)
			return 1;
	return 0;
}

/* Keeps only the named groups of d (all when names is empty). */
static void
api_diff_filter(struct reload_diff *d, const struct value *names)
{
	char	***lists[3] = { &d->added, &d->changed, &d->removed };
	size_t	  *counts[3] = { &d->nadded, &d->nchanged, &d->nremoved };
	size_t	   i, j, k, n;
	int	   keep;

	if (value_array_len(names) == 0)
		return;
	for (k = 0; k < 3; k++) {
		for (i = n = 0; i < *counts[k]; i++) {
			keep = 0;
			for (j = 0; j < value_array_len(names); j++)
				if (strcmp(value_array_at(names, j)->u.str.ptr,
				    (*lists[k])[i]) == 0)
					keep = 1;
			if (keep)
				(*lists[k])[n++] = (*lists[k])[i];
			else
				free((*lists[k])[i]);
		}
		*counts[k] = n;
	}
}

void
api_control_update(struct api_req *req)
{
	struct supervisor	*sv = req->al->sv;
	const struct value	*names = api_param(req, 0);
	struct reload_diff	 d;
	struct api_update	*u;
	char			**list = NULL;
	size_t			  n = value_array_len(names), i;
	const char		*name;

	supervisor_diff(sv, &d);
	for (i = 0; i < n; i++) {
		if (value_array_at(names, i)->type != VALUE_STRING) {
			reload_diff_free(&d);
			api_reply_fault(req, API_INCORRECT_PARAMETERS, NULL);
			return;
		}
		name = value_array_at(names, i)->u.str.ptr;
		if (!api_diff_has(&d, name) &&
		    config_find_group(supervisor_config(sv), name) == NULL &&
		    supervisor_find_group(sv, name) == NULL) {
			reload_diff_free(&d);
			api_reply_fault(req, API_BAD_NAME, "%s", name);
			free(list);
			return;
		}
		list = xreallocarray(list, i + 1, sizeof *list);
		list[i] = value_array_at(names, i)->u.str.ptr;
	}
	api_diff_filter(&d, names);
	u = xcalloc(1, sizeof *u);
	u->req = req;
	u->applied = api_diff_value(&d);
	reload_diff_free(&d);
	supervisor_apply(sv, n > 0 ? list : NULL, n, api_update_done, u);
	free(list);
}

void
api_control_shutdown(struct api_req *req)
{
	struct api_local	*al = req->al;

	api_reply_true(req);
	if (al->hooks != NULL && al->hooks->shutdown != NULL)
		al->hooks->shutdown(al->hooks_arg);
}

void
api_control_restart(struct api_req *req)
{
	struct api_local	*al = req->al;

	api_reply_true(req);
	if (al->hooks != NULL && al->hooks->restart != NULL)
		al->hooks->restart(al->hooks_arg);
}
