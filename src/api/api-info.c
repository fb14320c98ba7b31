/* SPDX-License-Identifier: ISC */
/*
 * The API's read side: versions and state, ProcessInfo and ConfigInfo
 * structures, log reading and tailing, log clearing, and stdin.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "local.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rotate.h"
#include "util/xmalloc.h"

#define API_VERSION		"3.0"
#define SUPERVISOR_VERSION	"4.2.5"

void
api_info_api_version(struct api_req *req)
{
	api_reply_value(req, value_string(API_VERSION));
}

void
api_info_supervisor_version(struct api_req *req)
{
	api_reply_value(req, value_string(SUPERVISOR_VERSION));
}

void
api_info_identification(struct api_req *req)
{
	api_reply_value(req, value_string(
	    supervisor_config(req->al->sv)->sd.identifier));
}

void
api_info_state(struct api_req *req)
{
	struct value	*v = value_struct();
	int		 s = supervisor_state(req->al->sv);

	value_struct_set(v, "statecode", value_int(s));
	value_struct_set(v, "statename", value_string(
	    s == SUPERVISOR_RUNNING ? "RUNNING" : s == SUPERVISOR_RESTARTING ?
	    "RESTARTING" : s == SUPERVISOR_FATAL ? "FATAL" : "SHUTDOWN"));
	api_reply_value(req, v);
}

void
api_info_pid(struct api_req *req)
{
	api_reply_value(req, value_int(getpid()));
}

/* ---- ProcessInfo ---- */

/* Python's timedelta text: "H:MM:SS", "1 day, H:MM:SS", "2 days, ...". */
static char *
api_uptime(long secs)
{
	long	 days;

	if (secs < 0)
		secs = 0;
	days = secs / 86400;
	secs %= 86400;
	if (days == 0)
		return xprintf("%ld:%02ld:%02ld", secs / 3600,
		    secs / 60 % 60, secs % 60);
	return xprintf("%ld day%s, %ld:%02ld:%02ld", days, days == 1 ? "" : "s",
	    secs / 3600, secs / 60 % 60, secs % 60);
}

static char *
api_description(const struct process *p, time_t now)
{
	char		 buf[64], *up, *s;
	struct tm	 tm;
	time_t		 t;

	switch (p->state) {
	case PROCESS_RUNNING:
		up = api_uptime((long)(now - p->laststart));
		s = xprintf("pid %ld, uptime %s", (long)p->pid, up);
		free(up);
		return s;
	case PROCESS_BACKOFF:
	case PROCESS_FATAL:
		if (p->spawnerr != NULL)
			return xstrdup(p->spawnerr);
		return xprintf("unknown error (try \"tail %s\")",
		    p->cfg->name);
	case PROCESS_STOPPED:
	case PROCESS_EXITED:
		if (p->laststart == 0)
			return xstrdup("Not started");
		t = p->laststop != 0 ? p->laststop : p->laststart;
		localtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%b %d %I:%M %p", &tm);
		return xstrdup(buf);
	default:
		return xstrdup("");
	}
}

static long long
api_clip32(long long t)
{
	if (t > 2147483647LL)
		return 2147483647LL;
	if (t < -2147483648LL)
		return -2147483648LL;
	return t;
}

struct value *
api_process_info(const struct process *p)
{
	struct value	*v = value_struct();
	time_t		 now = (time_t)clock_wall();
	char		*desc = api_description(p, now);

	value_struct_set(v, "name", value_string(p->cfg->name));
	value_struct_set(v, "group", value_string(process_group_name(p)));
	value_struct_set(v, "start", value_int(api_clip32(p->laststart)));
	value_struct_set(v, "stop", value_int(api_clip32(p->laststop)));
	value_struct_set(v, "now", value_int(api_clip32(now)));
	value_struct_set(v, "state", value_int(p->state));
	value_struct_set(v, "statename",
	    value_string(process_state_name(p->state)));
	value_struct_set(v, "spawnerr",
	    value_string(p->spawnerr != NULL ? p->spawnerr : ""));
	value_struct_set(v, "exitstatus", value_int(p->exitstatus));
	value_struct_set(v, "logfile",
	    value_string(p->stdout_path != NULL ? p->stdout_path : ""));
	value_struct_set(v, "stdout_logfile",
	    value_string(p->stdout_path != NULL ? p->stdout_path : ""));
	value_struct_set(v, "stderr_logfile",
	    value_string(p->stderr_path != NULL ? p->stderr_path : ""));
	value_struct_set(v, "pid", value_int(p->pid));
	value_struct_set(v, "description", value_string_own(desc,
	    strlen(desc)));
	return v;
}

struct value *
api_result(const struct process *p, int code, const char *description)
{
	struct value	*v = value_struct();

	value_struct_set(v, "name", value_string(p->cfg->name));
	value_struct_set(v, "group", value_string(process_group_name(p)));
	value_struct_set(v, "status", value_int(code));
	value_struct_set(v, "description", value_string(description));
	return v;
}

void
api_info_process_info(struct api_req *req)
{
	struct process_group	*g;
	struct process		*p;
	const char		*name = api_param_str(req, 0);

	if (api_lookup(req->al, name, &g, &p) != 0 || p == NULL) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return;
	}
	api_reply_value(req, api_process_info(p));
}

static int
api_info_cmp(const void *a, const void *b)
{
	const struct process	*pa = *(struct process *const *)a;
	const struct process	*pb = *(struct process *const *)b;
	int			 c;

	if ((c = strcmp(process_group_name(pa), process_group_name(pb))) != 0)
		return c;
	return strcmp(pa->cfg->name, pb->cfg->name);
}

void
api_info_all_process_info(struct api_req *req)
{
	struct supervisor	*sv = req->al->sv;
	struct process_group	*g;
	struct process		**all = NULL;
	struct value		*a = value_array();
	size_t			 n = 0, i, j;

	for (i = 0; i < supervisor_ngroups(sv); i++) {
		g = supervisor_group(sv, i);
		if (g->removing)
			continue;
		for (j = 0; j < g->nprocs; j++) {
			if (g->procs[j]->removing)
				continue;
			all = xreallocarray(all, n + 1, sizeof *all);
			all[n++] = g->procs[j];
		}
	}
	if (n > 1)
		qsort(all, n, sizeof *all, api_info_cmp);
	for (i = 0; i < n; i++)
		value_array_push(a, api_process_info(all[i]));
	free(all);
	api_reply_value(req, a);
}

/* ---- ConfigInfo ---- */

static struct value *
api_str_or_none(const char *s)
{
	return value_string(s != NULL ? s : "none");
}

static void
api_channel_info(struct value *v, const char *prefix,
    const struct channel_config *cc)
{
	char	 key[64];

	snprintf(key, sizeof key, "%s_logfile", prefix);
	value_struct_set(v, key, cc->kind == LOGFILE_AUTO ?
	    value_string("auto") : api_str_or_none(cc->kind == LOGFILE_PATH ?
	    cc->path : NULL));
	snprintf(key, sizeof key, "%s_logfile_backups", prefix);
	value_struct_set(v, key, value_int(cc->backups));
	snprintf(key, sizeof key, "%s_logfile_maxbytes", prefix);
	value_struct_set(v, key, value_int(cc->maxbytes));
	snprintf(key, sizeof key, "%s_capture_maxbytes", prefix);
	value_struct_set(v, key, value_int(cc->capture_maxbytes));
	snprintf(key, sizeof key, "%s_events_enabled", prefix);
	value_struct_set(v, key, value_bool(cc->events_enabled));
	snprintf(key, sizeof key, "%s_syslog", prefix);
	value_struct_set(v, key, value_bool(cc->syslog));
}

static struct value *
api_config_info(struct api_local *al, const struct group_config *gc,
    const struct process_config *pc)
{
	struct value	*v = value_struct(), *codes = value_array();
	size_t		 i;
	char		 uid[32];

	value_struct_set(v, "name", value_string(pc->name));
	value_struct_set(v, "group", value_string(gc->name));
	value_struct_set(v, "group_prio", value_int(gc->priority));
	value_struct_set(v, "process_prio", value_int(pc->priority));
	value_struct_set(v, "inuse", value_bool(
	    supervisor_find_group(al->sv, gc->name) != NULL));
	value_struct_set(v, "autostart", value_bool(pc->autostart));
	value_struct_set(v, "command", value_string(pc->command));
	value_struct_set(v, "directory", api_str_or_none(pc->directory));
	snprintf(uid, sizeof uid, "%ld", (long)pc->uid);
	value_struct_set(v, "uid", api_str_or_none(pc->user ? uid : NULL));
	for (i = 0; i < pc->nexitcodes; i++)
		value_array_push(codes, value_int(pc->exitcodes[i]));
	value_struct_set(v, "exitcodes", codes);
	value_struct_set(v, "killasgroup", value_bool(pc->killasgroup));
	value_struct_set(v, "redirect_stderr", value_bool(pc->redirect_stderr));
	value_struct_set(v, "startretries", value_int(pc->startretries));
	value_struct_set(v, "startsecs", value_int(pc->startsecs));
	value_struct_set(v, "stopsignal", value_int(pc->stopsignal));
	value_struct_set(v, "stopwaitsecs", value_int(pc->stopwaitsecs));
	value_struct_set(v, "serverurl", pc->serverurl == NULL ||
	    strcasecmp(pc->serverurl, "AUTO") == 0 ? value_string("auto") :
	    api_str_or_none(*pc->serverurl ? pc->serverurl : NULL));
	api_channel_info(v, "stdout", &pc->out);
	api_channel_info(v, "stderr", &pc->err);
	return v;
}

static int
api_config_cmp(const void *a, const void *b)
{
	return strcmp(value_get_string(*(struct value *const *)a, "name", ""),
	    value_get_string(*(struct value *const *)b, "name", ""));
}

void
api_info_all_config_info(struct api_req *req)
{
	const struct config	*cfg = supervisor_config(req->al->sv);
	struct value		*a = value_array();
	size_t			 i, j;

	for (i = 0; i < cfg->ngroups; i++)
		for (j = 0; j < cfg->groups[i]->nprocs; j++)
			value_array_push(a, api_config_info(req->al,
			    cfg->groups[i], cfg->groups[i]->procs[j]));
	if (a->u.array.n > 1)
		qsort(a->u.array.items, a->u.array.n, sizeof *a->u.array.items,
	    api_config_cmp);
	api_reply_value(req, a);
}

/* ---- logs ---- */

static void
api_read_path(struct api_req *req, const char *path, long long offset,
    long long length)
{
	char	*buf;
	size_t	 len;
	int	 r;

	if (path == NULL) {
		api_reply_fault(req, API_NO_FILE, NULL);
		return;
	}
	r = rotlog_read_range(path, offset, length, &buf, &len);
	if (r == -2) {
		api_reply_fault(req, API_BAD_ARGUMENTS, NULL);
		return;
	}
	if (r != 0) {
		if (errno == ENOENT)
			api_reply_fault(req, API_NO_FILE, "%s", path);
		else
			api_reply_fault(req, API_FAILED, "%s", strerror(errno));
		return;
	}
	api_reply_value(req, value_string_own(buf, len));
}

void
api_info_read_log(struct api_req *req)
{
	api_read_path(req, log_path(), api_param(req, 0)->u.i,
	    api_param(req, 1)->u.i);
}

void
api_info_clear_log(struct api_req *req)
{
	if (log_path() == NULL || access(log_path(), F_OK) != 0) {
		api_reply_fault(req, API_NO_FILE, NULL);
		return;
	}
	log_info("reopening log file");
	if (log_clear() != 0) {
		api_reply_fault(req, API_FAILED, "%s", strerror(errno));
		return;
	}
	api_reply_true(req);
}

static struct process *
api_named_process(struct api_req *req)
{
	struct process_group	*g;
	struct process		*p;
	const char		*name = api_param_str(req, 0);

	if (api_lookup(req->al, name, &g, &p) != 0 || p == NULL) {
		api_reply_fault(req, API_BAD_NAME, "%s", name);
		return NULL;
	}
	return p;
}

static void
api_read_channel(struct api_req *req, int err)
{
	struct process	*p;

	if ((p = api_named_process(req)) == NULL)
		return;
	api_read_path(req, err ? p->stderr_path : p->stdout_path,
	    api_param(req, 1)->u.i, api_param(req, 2)->u.i);
}

void
api_info_read_stdout(struct api_req *req)
{
	api_read_channel(req, 0);
}

void
api_info_read_stderr(struct api_req *req)
{
	api_read_channel(req, 1);
}

static void
api_tail_path(struct api_req *req, const char *path, long long offset,
    long long length)
{
	char		*buf = NULL;
	size_t		 len = 0;
	long long	 size = 0;
	int		 overflow = 0;
	struct value	*a;

	if (path != NULL && rotlog_tail(path, offset, length, &buf, &len,
	    &size, &overflow) != 0) {
		api_reply_fault(req, API_FAILED, "%s", strerror(errno));
		return;
	}
	a = value_array();
	value_array_push(a, buf != NULL ? value_string_own(buf, len) :
	    value_string(""));
	value_array_push(a, value_int(size));
	value_array_push(a, value_bool(overflow));
	api_reply_value(req, a);
}

void
api_info_tail_log(struct api_req *req)
{
	api_tail_path(req, log_path(), api_param(req, 0)->u.i,
	    api_param(req, 1)->u.i);
}

static void
api_tail_channel(struct api_req *req, int err)
{
	struct process	*p;

	if ((p = api_named_process(req)) == NULL)
		return;
	api_tail_path(req, err ? p->stderr_path : p->stdout_path,
	    api_param(req, 1)->u.i, api_param(req, 2)->u.i);
}

void
api_info_tail_stdout(struct api_req *req)
{
	api_tail_channel(req, 0);
}

void
api_info_tail_stderr(struct api_req *req)
{
	api_tail_channel(req, 1);
}

void
api_info_clear_process_logs(struct api_req *req)
{
	struct process	*p;

	if ((p = api_named_process(req)) == NULL)
		return;
	if (supervisor_clear_logs(p) != 0) {
		api_reply_fault(req, API_FAILED, "%s", p->cfg->name);
		return;
	}
	api_reply_true(req);
}

void
api_info_clear_all_process_logs(struct api_req *req)
{
	struct supervisor	*sv = req->al->sv;
	struct process_group	*g;
	struct value		*a = value_array();
	size_t			 i, j;

	for (i = 0; i < supervisor_ngroups(sv); i++) {
		g = supervisor_group(sv, i);
		for (j = 0; j < g->nprocs; j++) {
			if (supervisor_clear_logs(g->procs[j]) == 0)
				value_array_push(a, api_result(g->procs[j],
				    API_SUCCESS, "OK"));
			else
				value_array_push(a, api_result(g->procs[j],
				    API_FAILED, "FAILED"));
		}
	}
	api_reply_value(req, a);
}

void
api_info_send_stdin(struct api_req *req)
{
	struct process	*p;
	const char	*fault = NULL;
	const struct value *chars = api_param(req, 1);

	if ((p = api_named_process(req)) == NULL)
		return;
	if (supervisor_send_stdin(p, chars->u.str.ptr, chars->u.str.len,
	    &fault) != 0) {
		api_reply_fault(req, strcmp(fault, "NO_FILE") == 0 ?
		    API_NO_FILE : strcmp(fault, "NOT_RUNNING") == 0 ?
		    API_NOT_RUNNING : API_FAILED, "%s", p->cfg->name);
		return;
	}
	api_reply_true(req);
}

void
api_info_send_comm_event(struct api_req *req)
{
	/* Event listeners come later; the call is accepted as supervisord does. */
	api_reply_true(req);
}
