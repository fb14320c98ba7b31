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
	struct value	*v = value_struct_sized(2);
	int		 s = supervisor_state(req->al->sv);

	value_struct_add(v, "statecode", value_int(s));
	value_struct_add(v, "statename", value_string(
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

/*
 * Appends u in decimal, at least width digits, to buf at *n: snprintf would
 * be a tenth of a getAllProcessInfo of a thousand processes.
 */
static void
api_put_num(char *buf, size_t *n, unsigned long u, int width)
{
	char	 tmp[24];
	int	 i = 0;

	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0 || i < width);
	while (i > 0)
		buf[(*n)++] = tmp[--i];
}

static void
api_put_str(char *buf, size_t *n, const char *s)
{
	size_t	 len = strlen(s);

	memcpy(buf + *n, s, len);
	*n += len;
}

/*
 * "pid N, uptime " and Python's timedelta text: "H:MM:SS", "1 day,
 * H:MM:SS", "2 days, ...", into buf (100 bytes are enough).
 */
static void
api_running(char *buf, long pid, long secs)
{
	unsigned long	 days;
	size_t		 n = 0;

	if (secs < 0)
		secs = 0;
	days = (unsigned long)secs / 86400;
	secs %= 86400;
	api_put_str(buf, &n, "pid ");
	api_put_num(buf, &n, (unsigned long)pid, 1);
	api_put_str(buf, &n, ", uptime ");
	if (days > 0) {
		api_put_num(buf, &n, days, 1);
		api_put_str(buf, &n, days == 1 ? " day, " : " days, ");
	}
	api_put_num(buf, &n, (unsigned long)secs / 3600, 1);
	buf[n++] = ':';
	api_put_num(buf, &n, (unsigned long)secs / 60 % 60, 2);
	buf[n++] = ':';
	api_put_num(buf, &n, (unsigned long)secs % 60, 2);
	buf[n] = '\0';
}

static struct value *
api_description(struct value_pool *pool, const struct process *p,
    time_t now)
{
	char		 buf[128], *s;
	struct value	*v;
	struct tm	 tm;
	time_t		 t;

	switch (p->state) {
	case PROCESS_RUNNING:
		api_running(buf, (long)p->pid, (long)(now - p->laststart));
		return value_pool_string(pool, buf);
	case PROCESS_BACKOFF:
	case PROCESS_FATAL:
		if (p->spawnerr != NULL)
			return value_pool_string(pool, p->spawnerr);
		s = xprintf("unknown error (try \"tail %s\")", p->cfg->name);
		v = value_pool_string(pool, s);
		free(s);
		return v;
	case PROCESS_STOPPED:
	case PROCESS_EXITED:
		if (p->laststart == 0)
			return value_pool_string(pool, "Not started");
		t = p->laststop != 0 ? p->laststop : p->laststart;
		localtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%b %d %I:%M %p", &tm);
		return value_pool_string(pool, buf);
	default:
		return value_pool_string(pool, "");
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

/* The members of a ProcessInfo, in supervisord's order. */
#define API_INFO_MEMBERS	14

/* A ProcessInfo made in pool (NULL: on the heap). */
static struct value *
api_process_info_at(struct value_pool *pool, const struct process *p,
    time_t now)
{
	struct value	*v = value_pool_struct(pool, API_INFO_MEMBERS);
	const char	*out = p->stdout_path != NULL ? p->stdout_path : "";

	value_struct_add(v, "name", value_pool_string(pool, p->cfg->name));
	value_struct_add(v, "group", value_pool_string(pool,
	    process_group_name(p)));
	value_struct_add(v, "start", value_pool_int(pool,
	    api_clip32(p->laststart)));
	value_struct_add(v, "stop", value_pool_int(pool,
	    api_clip32(p->laststop)));
	value_struct_add(v, "now", value_pool_int(pool, api_clip32(now)));
	value_struct_add(v, "state", value_pool_int(pool, p->state));
	value_struct_add(v, "statename", value_pool_string(pool,
	    process_state_name(p->state)));
	value_struct_add(v, "spawnerr", value_pool_string(pool,
	    p->spawnerr != NULL ? p->spawnerr : ""));
	value_struct_add(v, "exitstatus", value_pool_int(pool, p->exitstatus));
	value_struct_add(v, "logfile", value_pool_string(pool, out));
	value_struct_add(v, "stdout_logfile", value_pool_string(pool, out));
	value_struct_add(v, "stderr_logfile", value_pool_string(pool,
	    p->stderr_path != NULL ? p->stderr_path : ""));
	value_struct_add(v, "pid", value_pool_int(pool, p->pid));
	value_struct_add(v, "description", api_description(pool, p, now));
	return v;
}

struct value *
api_process_info(const struct process *p)
{
	return api_process_info_at(NULL, p, (time_t)clock_wall());
}

struct value *
api_result(const struct process *p, int code, const char *description)
{
	struct value	*v = value_struct_sized(4);

	value_struct_add(v, "name", value_string(p->cfg->name));
	value_struct_add(v, "group", value_string(process_group_name(p)));
	value_struct_add(v, "status", value_int(code));
	value_struct_add(v, "description", value_string(description));
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
	struct process		**all;
	struct value_pool	*pool;
	struct value		*a;
	time_t			 now = (time_t)clock_wall();
	size_t			 n = 0, i, j;

	for (i = 0; i < supervisor_ngroups(sv); i++)
		n += supervisor_group(sv, i)->nprocs;
	all = xreallocarray(NULL, n + 1, sizeof *all);
	n = 0;
	for (i = 0; i < supervisor_ngroups(sv); i++) {
		g = supervisor_group(sv, i);
		if (g->removing)
			continue;
		for (j = 0; j < g->nprocs; j++) {
			if (!g->procs[j]->removing)
				all[n++] = g->procs[j];
		}
	}
	/* Groups are kept by priority, often in name order too. */
	for (i = 1; i < n && api_info_cmp(&all[i - 1], &all[i]) <= 0; i++)
		;
	if (i < n)
		qsort(all, n, sizeof *all, api_info_cmp);
	/* A thousand processes are 15,000 values: one pool, not malloc each. */
	pool = value_pool_create(n * 1024);
	a = value_pool_array(pool, n);
	for (i = 0; i < n; i++)
		value_array_push(a, api_process_info_at(pool, all[i], now));
	free(all);
	api_reply_value(req, value_pool_finish(pool, a));
}

/* ---- ConfigInfo ---- */

static struct value *
api_str_or_none(const char *s)
{
	return value_string(s != NULL ? s : "none");
}

/* The member names of one channel's keys, stdout's then stderr's. */
static const char *const api_channel_keys[2][6] = {
	{ "stdout_logfile", "stdout_logfile_backups",
	  "stdout_logfile_maxbytes", "stdout_capture_maxbytes",
	  "stdout_events_enabled", "stdout_syslog" },
	{ "stderr_logfile", "stderr_logfile_backups",
	  "stderr_logfile_maxbytes", "stderr_capture_maxbytes",
	  "stderr_events_enabled", "stderr_syslog" },
};

static void
api_channel_info(struct value *v, int err, const struct channel_config *cc)
{
	const char *const	*k = api_channel_keys[err];

	value_struct_add(v, k[0], cc->kind == LOGFILE_AUTO ?
	    value_string("auto") : api_str_or_none(cc->kind == LOGFILE_PATH ?
	    cc->path : NULL));
	value_struct_add(v, k[1], value_int(cc->backups));
	value_struct_add(v, k[2], value_int(cc->maxbytes));
	value_struct_add(v, k[3], value_int(cc->capture_maxbytes));
	value_struct_add(v, k[4], value_bool(cc->events_enabled));
	value_struct_add(v, k[5], value_bool(cc->syslog));
}

/* The members of a ConfigInfo: 17 of the program, 6 per channel. */
#define API_CONFIG_MEMBERS	29

static struct value *
api_config_info(struct api_local *al, const struct group_config *gc,
    const struct process_config *pc)
{
	struct value	*v = value_struct_sized(API_CONFIG_MEMBERS);
	struct value	*codes = value_array_sized(pc->nexitcodes);
	size_t		 i;
	char		 uid[32];

	value_struct_add(v, "name", value_string(pc->name));
	value_struct_add(v, "group", value_string(gc->name));
	value_struct_add(v, "group_prio", value_int(gc->priority));
	value_struct_add(v, "process_prio", value_int(pc->priority));
	value_struct_add(v, "inuse", value_bool(
	    supervisor_find_group(al->sv, gc->name) != NULL));
	value_struct_add(v, "autostart", value_bool(pc->autostart));
	value_struct_add(v, "command", value_string(pc->command));
	value_struct_add(v, "directory", api_str_or_none(pc->directory));
	snprintf(uid, sizeof uid, "%ld", (long)pc->uid);
	value_struct_add(v, "uid", api_str_or_none(pc->user ? uid : NULL));
	for (i = 0; i < pc->nexitcodes; i++)
		value_array_push(codes, value_int(pc->exitcodes[i]));
	value_struct_add(v, "exitcodes", codes);
	value_struct_add(v, "killasgroup", value_bool(pc->killasgroup));
	value_struct_add(v, "redirect_stderr", value_bool(pc->redirect_stderr));
	value_struct_add(v, "startretries", value_int(pc->startretries));
	value_struct_add(v, "startsecs", value_int(pc->startsecs));
	value_struct_add(v, "stopsignal", value_int(pc->stopsignal));
	value_struct_add(v, "stopwaitsecs", value_int(pc->stopwaitsecs));
	value_struct_add(v, "serverurl", pc->serverurl == NULL ||
	    strcasecmp(pc->serverurl, "AUTO") == 0 ? value_string("auto") :
	    api_str_or_none(*pc->serverurl ? pc->serverurl : NULL));
	api_channel_info(v, 0, &pc->out);
	api_channel_info(v, 1, &pc->err);
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
