/* SPDX-License-Identifier: ISC */
/*
 * The set of running groups and processes: creation in priority order,
 * the real process operations (fork/exec, kill, one timer per process),
 * deferred bookkeeping after state changes, and the ordered shutdown.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "descend.h"
#include "internal.h"
#include "util/clock.h"
#include "config/words.h"
#include "util/log.h"
#include "util/sig.h"
#include "util/xmalloc.h"

static void	supervisor_timer_cb(evutil_socket_t, short, void *);

/* ---- process operations ---- */

/*
 * A group signal also reaches the descendants that left the group, so that
 * stopasgroup and killasgroup leave nothing behind.
 */
static int
sv_op_kill(struct process *p, pid_t target, int sig)
{
	int	 rc, error;

	rc = kill(target, sig);
	error = errno;
	if (target < 0)
		descend_signal(-target, process_group_name(p), p->cfg->name,
		    reap_known, sig);
	errno = error;
	return rc;
}

static void
sv_op_leftovers(struct process *p, pid_t pid)
{
	int	 n;

	(void)pid;
	n = descend_signal(0, process_group_name(p), p->cfg->name,
	    reap_known, SIGKILL);
	if (n > 0)
		log_warn("killed %d leftover process%s of '%s' with SIGKILL", n,
		    n == 1 ? "" : "es", p->cfg->name);
}

/*
 * A process holds its timer's event only while it is pending: most of a
 * thousand programs are RUNNING and need none.
 */
static void
sv_op_timer(struct process *p, double secs)
{
	struct timeval	 tv;

	if (secs < 0) {
		if (p->timer_ev != NULL)
			event_free(p->timer_ev);
		p->timer_ev = NULL;
		return;
	}
	if (p->timer_ev == NULL)
		p->timer_ev = evtimer_new(p->group->sv->base,
		    supervisor_timer_cb, p);
	else
		evtimer_del(p->timer_ev);
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	evtimer_add(p->timer_ev, &tv);
}

static void
sv_op_changed(struct process *p, enum process_state old)
{
	(void)old;
	if (process_state_stopped(p->state) || p->group->sv->shutdown_cb)
		supervisor_tidy_soon(p->group->sv);
}

static int
sv_op_may_autostart(struct process *p)
{
	return p->group->sv->state == SUPERVISOR_RUNNING && !p->removing &&
	    !p->group->removing && p->next_cfg == NULL;
}

const struct process_ops supervisor_process_ops = {
	.spawn = spawn_process,
	.kill = sv_op_kill,
	.timer = sv_op_timer,
	.changed = sv_op_changed,
	.may_autostart = sv_op_may_autostart,
	.leftovers = sv_op_leftovers,
};

/*
 * Before promoting a STARTING process, make sure its exec went through: a
 * child that is still between fork and exec is looked at again shortly.
 */
static void
supervisor_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct process	*p = arg;

	(void)fd;
	(void)what;
	/* Fired, so no longer pending: what it leads to arms a new one. */
	event_free(p->timer_ev);
	p->timer_ev = NULL;
	if (p->state == PROCESS_STARTING && p->execerr_fd >= 0 &&
	    spawn_poll_exec_error(p) < 0) {
		sv_op_timer(p, 0.001);
		return;
	}
	process_handle_timer(p);
	supervisor_tidy_soon(p->group->sv);
}

/* ---- groups ---- */

/*
 * AUTO log names are supervisord's: <name>-<channel>---<identifier>-XXXXXXXX
 * .log with eight characters of [a-z0-9_], as Python's mkstemp makes them.
 */
static char *
supervisor_auto_log(struct supervisor *sv, const char *name,
    const char *channel)
{
	static const char	 chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
	unsigned char		 rnd[8];
	char			 suffix[9], *path;
	int			 fd, tries, i;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
			for (i = 0; i < 8; i++)
				rnd[i] = (unsigned char)random();
		for (i = 0; i < 8; i++)
			suffix[i] = chars[rnd[i] % (sizeof chars - 1)];
		suffix[8] = '\0';
		path = xprintf("%s/%s-%s---%s-%s.log", sv->cfg->sd.childlogdir,
		    name, channel, sv->cfg->sd.identifier, suffix);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			return path;
		}
		free(path);
		if (errno != EEXIST)
			break;
	}
	log_error("cannot create log file for %s in %s: %s", name,
	    sv->cfg->sd.childlogdir, strerror(errno));
	return NULL;
}

static char *
supervisor_channel_path(struct supervisor *sv, const struct process_config *pc,
    const struct channel_config *cc, const char *channel)
{
	switch (cc->kind) {
	case LOGFILE_PATH:
		return xstrdup(cc->path);
	case LOGFILE_AUTO:
		return supervisor_auto_log(sv, pc->name, channel);
	default:
		return NULL;
	}
}

void
supervisor_resolve_logs(struct supervisor *sv, struct process *p)
{
	free(p->stdout_path);
	free(p->stderr_path);
	p->stdout_path = supervisor_channel_path(sv, p->cfg, &p->cfg->out,
	    "stdout");
	p->stderr_path = p->cfg->redirect_stderr ? NULL :
	    supervisor_channel_path(sv, p->cfg, &p->cfg->err, "stderr");
}

struct process_group *
group_create(struct supervisor *sv, struct group_config *gcfg)
{
	struct process_group	*g;
	size_t		 i;

	g = xcalloc(1, sizeof *g);
	g->sv = sv;
	g->cfg = gcfg;
	group_config_ref(gcfg);
	g->seq = sv->nextseq++;
	g->nprocs = gcfg->nprocs;
	g->procs = xcalloc(g->nprocs, sizeof *g->procs);
	for (i = 0; i < g->nprocs; i++) {
		g->procs[i] = process_create(g, gcfg, gcfg->procs[i],
		    &supervisor_process_ops);
		supervisor_resolve_logs(sv, g->procs[i]);
	}
	return g;
}

void
group_free(struct process_group *g)
{
	size_t	 i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nprocs; i++) {
		if (g->procs[i]->timer_ev != NULL)
			event_free(g->procs[i]->timer_ev);
		process_free(g->procs[i]);
	}
	free(g->procs);
	group_config_unref(g->cfg);
	free(g);
}

static int
supervisor_group_cmp(const void *a, const void *b)
{
	const struct process_group	*ga = *(struct process_group *const *)a;
	const struct process_group	*gb = *(struct process_group *const *)b;

	if (ga->cfg->priority != gb->cfg->priority)
		return ga->cfg->priority < gb->cfg->priority ? -1 : 1;
	return ga->seq < gb->seq ? -1 : ga->seq > gb->seq;
}

void
supervisor_insert_group(struct supervisor *sv, struct process_group *g)
{
	size_t	 lo = 0, hi = sv->ngroups, mid;

	/* Binary insertion: start-up adds thousands of groups. */
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (supervisor_group_cmp(&sv->groups[mid], &g) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	sv->groups = xreallocarray(sv->groups, sv->ngroups + 1,
	    sizeof *sv->groups);
	memmove(&sv->groups[lo + 1], &sv->groups[lo],
	    (sv->ngroups - lo) * sizeof *sv->groups);
	sv->groups[lo] = g;
	sv->ngroups++;
}

/* ---- lookup ---- */

size_t
supervisor_ngroups(const struct supervisor *sv)
{
	return sv->ngroups;
}

struct process_group *
supervisor_group(const struct supervisor *sv, size_t i)
{
	return i < sv->ngroups ? sv->groups[i] : NULL;
}

struct process_group *
supervisor_find_group(const struct supervisor *sv, const char *name)
{
	size_t	 i;

	for (i = 0; i < sv->ngroups; i++)
		if (!sv->groups[i]->removing &&
		    strcmp(sv->groups[i]->cfg->name, name) == 0)
			return sv->groups[i];
	return NULL;
}

struct process *
group_find_process(const struct process_group *g, const char *name)
{
	size_t	 i;

	for (i = 0; i < g->nprocs; i++)
		if (!g->procs[i]->removing &&
		    strcmp(g->procs[i]->cfg->name, name) == 0)
			return g->procs[i];
	return NULL;
}

struct process *
supervisor_find_process(const struct supervisor *sv, const char *namespec)
{
	const char	*colon = strchr(namespec, ':');
	char		*gname;
	struct process_group	*g;

	if (colon == NULL) {
		g = supervisor_find_group(sv, namespec);
		return g != NULL ? group_find_process(g, namespec) : NULL;
	}
	gname = xstrndup(namespec, (size_t)(colon - namespec));
	g = supervisor_find_group(sv, gname);
	free(gname);
	return g != NULL ? group_find_process(g, colon + 1) : NULL;
}

enum supervisor_state
supervisor_state(const struct supervisor *sv)
{
	return sv->state;
}

const struct config *
supervisor_config(const struct supervisor *sv)
{
	return sv->cfg;
}

struct event_base *
supervisor_base(const struct supervisor *sv)
{
	return sv->base;
}

/* ---- life cycle ---- */

static void
supervisor_tidy_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	reload_tidy(arg);
}

void
supervisor_tidy_soon(struct supervisor *sv)
{
	event_active(sv->tidy_ev, EV_TIMEOUT, 0);
}

/* supervisord deletes the AUTO logs of earlier runs unless nocleanup. */
static void
supervisor_clean_childlogdir(struct supervisor *sv)
{
	DIR		*d;
	struct dirent	*de;
	regex_t		 re;
	char		*pattern, *path;

	if (sv->cfg->sd.nocleanup || (d = opendir(sv->cfg->sd.childlogdir)) ==
	    NULL)
		return;
	pattern = xprintf("^.+---%s-[^[:space:]]+\\.log\\.?[0-9]{0,4}$",
	    sv->cfg->sd.identifier);
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0) {
		free(pattern);
		closedir(d);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (regexec(&re, de->d_name, 0, NULL, 0) != 0)
			continue;
		path = xprintf("%s/%s", sv->cfg->sd.childlogdir, de->d_name);
		if (unlink(path) != 0)
			log_warn("Failed to clean up '%s'", path);
		free(path);
	}
	regfree(&re);
	free(pattern);
	closedir(d);
}

struct supervisor *
supervisor_create(struct event_base *base, struct config *cfg)
{
	struct supervisor	*sv;

	sv = xcalloc(1, sizeof *sv);
	sv->base = base;
	sv->cfg = cfg;
	sv->state = SUPERVISOR_RUNNING;
	sv->tidy_ev = event_new(base, -1, 0, supervisor_tidy_cb, sv);
	reap_init(sv);
	return sv;
}

void
supervisor_start(struct supervisor *sv)
{
	size_t	 i;

	supervisor_clean_childlogdir(sv);
	for (i = 0; i < sv->cfg->ngroups; i++)
		supervisor_insert_group(sv, group_create(sv,
		    sv->cfg->groups[i]));
	startup_run(sv);
}

void
supervisor_free(struct supervisor *sv)
{
	size_t	 i;

	if (sv == NULL)
		return;
	startup_end();
	for (i = 0; i < sv->ngroups; i++)
		group_free(sv->groups[i]);
	free(sv->groups);
	reap_free(sv);
	event_free(sv->tidy_ev);
	config_free(sv->cfg);
	free(sv);
}

static void
supervisor_kill_all(struct supervisor *sv)
{
	size_t	 i, j;

	for (i = 0; i < sv->ngroups; i++) {
		for (j = 0; j < sv->groups[i]->nprocs; j++) {
			struct process	*p = sv->groups[i]->procs[j];

			if (p->pid != 0) {
				p->killing = 1;
				kill(-p->pid, SIGKILL);
				kill(p->pid, SIGKILL);
			}
		}
	}
}

void
supervisor_shutdown(struct supervisor *sv, supervisor_done_cb done, void *arg)
{
	if (sv->shutdown_cb != NULL) {
		sv->shutdown_forced = 1;
		supervisor_kill_all(sv);
		return;
	}
	sv->state = SUPERVISOR_SHUTDOWN;
	sv->shutdown_cb = done;
	sv->shutdown_arg = arg;
	supervisor_tidy_soon(sv);
}

void
supervisor_reopen_logs(struct supervisor *sv)
{
	size_t	 i, j;

	log_reopen();
	for (i = 0; i < sv->ngroups; i++) {
		for (j = 0; j < sv->groups[i]->nprocs; j++) {
			struct process	*p = sv->groups[i]->procs[j];

			if (p->out != NULL)
				output_reopen(p->out);
			if (p->err != NULL)
				output_reopen(p->err);
		}
	}
}

int
supervisor_clear_logs(struct process *p)
{
	const char	*paths[2] = { p->stdout_path, p->stderr_path };
	struct output	*outs[2] = { p->out, p->err };
	int		 i, ret = 0;

	for (i = 0; i < 2; i++) {
		if (paths[i] == NULL)
			continue;
		if (outs[i] != NULL && output_clear(outs[i]) == 0)
			continue;
		if (truncate(paths[i], 0) != 0 && errno != ENOENT)
			ret = -1;
	}
	return ret;
}

static void
supervisor_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct process	*p = arg;

	(void)what;
	if (evbuffer_write(p->stdin_buf, fd) < 0 && errno != EAGAIN &&
	    errno != EINTR) {
		/* The child closed its stdin: what is left is dropped. */
		evbuffer_drain(p->stdin_buf, evbuffer_get_length(p->stdin_buf));
	}
	if (evbuffer_get_length(p->stdin_buf) == 0)
		event_del(p->stdin_ev);
}

/*
 * sendProcessStdin: the bytes are queued and written as the pipe takes
 * them, so a child that reads slowly never blocks the loop.
 */
int
supervisor_send_stdin(struct process *p, const char *buf, size_t len,
    const char **fault)
{
	if (p->pid == 0 || p->killing || p->stdin_fd < 0) {
		*fault = "NOT_RUNNING";
		return -1;
	}
	if (p->stdin_buf == NULL) {
		p->stdin_buf = evbuffer_new();
		p->stdin_ev = event_new(p->group->sv->base, p->stdin_fd,
		    EV_WRITE | EV_PERSIST, supervisor_stdin_cb, p);
	}
	evbuffer_add(p->stdin_buf, buf, len);
	if (evbuffer_write(p->stdin_buf, p->stdin_fd) < 0 && errno == EPIPE) {
		evbuffer_drain(p->stdin_buf, evbuffer_get_length(p->stdin_buf));
		*fault = "NO_FILE";
		return -1;
	}
	if (evbuffer_get_length(p->stdin_buf) > 0)
		event_add(p->stdin_ev, NULL);
	return 0;
}
int
supervisor_check_command(const struct process *p, char **cause, int *nofile)
{
	char	*path = NULL, **argv = NULL;

	if (spawn_resolve(p->cfg, &path, &argv, cause, nofile) != 0)
		return -1;
	free(path);
	words_free(argv);
	return 0;
}

int
supervisor_signal(struct process *p, int sig, char **cause)
{
	log_debug("sending %s (pid %ld) sig %s", p->cfg->name, (long)p->pid,
	    sig_name(sig));
	if (kill(p->pid, sig) != 0) {
		if (errno == ESRCH) {
			log_debug("unable to signal %s (pid %ld), it probably "
			    "just now exited on its own: %s", p->cfg->name,
			    (long)p->pid, strerror(errno));
			return 0;
		}
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	return 0;
}
