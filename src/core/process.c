/* SPDX-License-Identifier: ISC */
/*
 * The process state machine.  Every change of state goes through
 * process_set_state(), which notifies waiters; the machine acts only through
 * p->ops, and reads time only through clock.h, so it runs unchanged on a
 * fake clock in tests.  Log lines keep supervisord's wording.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "process.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/sig.h"
#include "util/xmalloc.h"

static void	process_spawn(struct process *p);

struct process *
process_create(struct process_group *g, struct group_config *gcfg,
    const struct process_config *cfg, const struct process_ops *ops)
{
	struct process	*p;

	p = xcalloc(1, sizeof *p);
	p->group = g;
	p->cfg = cfg;
	p->gcfg = gcfg;
	group_config_ref(gcfg);
	p->ops = ops;
	p->state = PROCESS_STOPPED;
	p->stdin_fd = -1;
	p->execerr_fd = -1;
	return p;
}

void
process_free(struct process *p)
{
	struct process_waiter	*w, *next;

	if (p == NULL)
		return;
	for (w = p->waiters; w != NULL; w = next) {
		next = w->next;
		free(w);
	}
	free(p->spawnerr);
	free(p->stdout_path);
	free(p->stderr_path);
	if (p->next_gcfg != NULL)
		group_config_unref(p->next_gcfg);
	group_config_unref(p->gcfg);
	free(p);
}

const char *
process_state_name(enum process_state state)
{
	switch (state) {
	case PROCESS_STOPPED:
		return "STOPPED";
	case PROCESS_STARTING:
		return "STARTING";
	case PROCESS_RUNNING:
		return "RUNNING";
	case PROCESS_BACKOFF:
		return "BACKOFF";
	case PROCESS_STOPPING:
		return "STOPPING";
	case PROCESS_EXITED:
		return "EXITED";
	case PROCESS_FATAL:
		return "FATAL";
	case PROCESS_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

int
process_state_stopped(enum process_state state)
{
	return state == PROCESS_STOPPED || state == PROCESS_EXITED ||
	    state == PROCESS_FATAL || state == PROCESS_UNKNOWN;
}

int
process_state_running(enum process_state state)
{
	return state == PROCESS_STARTING || state == PROCESS_RUNNING ||
	    state == PROCESS_BACKOFF;
}

int
process_state_signallable(enum process_state state)
{
	return state == PROCESS_STARTING || state == PROCESS_RUNNING ||
	    state == PROCESS_STOPPING;
}

const char *
process_group_name(const struct process *p)
{
	return p->gcfg->name;
}

char *
process_namespec(const struct process *p)
{
	const char	*g = process_group_name(p);

	if (strcmp(g, p->cfg->name) == 0)
		return xstrdup(p->cfg->name);
	return xprintf("%s:%s", g, p->cfg->name);
}

char *
process_exit_text(int status)
{
	if (WIFEXITED(status))
		return xprintf("exit status %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return xprintf("terminated by %s%s", sig_name(WTERMSIG(status)),
		    WCOREDUMP(status) ? " (core dumped)" : "");
	return xprintf("unknown termination cause 0x%04x", status);
}

void
process_add_waiter(struct process *p, void (*cb)(struct process *, void *),
    void *arg)
{
	struct process_waiter	*w;

	w = xcalloc(1, sizeof *w);
	w->cb = cb;
	w->arg = arg;
	w->next = p->waiters;
	p->waiters = w;
}

void
process_remove_waiter(struct process *p, void (*cb)(struct process *, void *),
    void *arg)
{
	struct process_waiter	**wp, *w;

	for (wp = &p->waiters; (w = *wp) != NULL; wp = &w->next) {
		if (w->cb == cb && w->arg == arg) {
			*wp = w->next;
			free(w);
			return;
		}
	}
}

/*
 * The single place where the state changes.  Waiters are told after the
 * change; each may remove itself from inside its callback, so the list is
 * detached first and what is left re-attached afterwards.
 */
static void
process_set_state(struct process *p, enum process_state state)
{
	enum process_state	 old = p->state;
	struct process_waiter	*list, *w, *next, **tail;

	p->state = state;
	if (p->ops->changed != NULL)
		p->ops->changed(p, old);
	list = p->waiters;
	p->waiters = NULL;
	for (w = list; w != NULL; w = next) {
		next = w->next;
		w->next = NULL;
		/* Re-queue first: the callback may remove it again. */
		for (tail = &p->waiters; *tail != NULL; tail = &(*tail)->next)
			;
		*tail = w;
		w->cb(p, w->arg);
	}
}

static void
process_set_spawnerr(struct process *p, const char *text)
{
	free(p->spawnerr);
	p->spawnerr = text != NULL ? xstrdup(text) : NULL;
}

static double
process_uptime(const struct process *p)
{
	return clock_mono() - p->laststart_mono;
}

/* A failed start: BACKOFF, and a retry after backoff seconds. */
static void
process_enter_backoff(struct process *p)
{
	p->backoff++;
	process_set_state(p, PROCESS_BACKOFF);
	if (p->backoff > p->cfg->startretries)
		p->ops->timer(p, 0);
	else
		p->ops->timer(p, p->backoff);
}

static void
process_give_up(struct process *p)
{
	p->backoff = 0;
	log_info("gave up: %s entered FATAL state, too many start retries "
	    "too quickly", p->cfg->name);
	process_set_state(p, PROCESS_FATAL);
}

void
process_give_up_silently(struct process *p)
{
	if (p->state != PROCESS_BACKOFF)
		return;
	p->ops->timer(p, -1);
	p->backoff = 0;
	process_set_state(p, PROCESS_FATAL);
}

static void
process_spawn(struct process *p)
{
	char	*cause = NULL;

	if (p->pid != 0) {
		log_warn("process '%s' already running", p->cfg->name);
		return;
	}
	p->killing = 0;
	process_set_spawnerr(p, NULL);
	p->exitstatus = 0;
	p->laststart_mono = clock_mono();
	p->laststart = (time_t)clock_wall();
	process_set_state(p, PROCESS_STARTING);
	if (p->ops->spawn(p, &cause) != 0) {
		process_set_spawnerr(p, cause);
		log_info("spawnerr: %s", cause);
		free(cause);
		process_enter_backoff(p);
		return;
	}
	log_info("spawned: '%s' with pid %ld", p->cfg->name, (long)p->pid);
	p->ops->timer(p, p->cfg->startsecs);
}

int
process_start(struct process *p, char **cause)
{
	if (p->state == PROCESS_UNKNOWN) {
		xasprintf(cause, "%s is in an unknown process state",
		    p->cfg->name);
		return -1;
	}
	if (process_state_running(p->state) || p->state == PROCESS_STOPPING) {
		*cause = xstrdup("ALREADY_STARTED");
		return -1;
	}
	/* A manual start begins a fresh series of attempts. */
	p->backoff = 0;
	process_spawn(p);
	return 0;
}

void
process_autostart(struct process *p)
{
	if (p->cfg->autostart && p->laststart == 0 &&
	    p->state == PROCESS_STOPPED && p->ops->may_autostart(p))
		process_spawn(p);
}

static void
process_signal_failed(struct process *p, int sig, int error)
{
	log_crit("unknown problem killing %s (%ld):%s (signal %s)",
	    p->cfg->name, (long)p->pid, strerror(error), sig_name(sig));
	p->killing = 0;
	p->ops->timer(p, -1);
	process_set_state(p, PROCESS_UNKNOWN);
}

int
process_stop(struct process *p, char **cause)
{
	pid_t	 target;
	int	 sig = p->cfg->stopsignal;

	if (p->state == PROCESS_BACKOFF) {
		log_debug("Attempted to kill %s, which is in BACKOFF state.",
		    p->cfg->name);
		p->ops->timer(p, -1);
		/* supervisord keeps the stale counter here; we do not. */
		p->backoff = 0;
		process_set_state(p, PROCESS_STOPPED);
		return 0;
	}
	if (p->pid == 0 || !(p->state == PROCESS_STARTING ||
	    p->state == PROCESS_RUNNING)) {
		xasprintf(cause, "attempted to kill %s with sig %s but it "
		    "wasn't running", p->cfg->name, sig_name(sig));
		log_debug("%s", *cause);
		return -1;
	}
	target = p->cfg->stopasgroup ? -p->pid : p->pid;
	log_debug("killing %s (pid %ld) %swith signal %s", p->cfg->name,
	    (long)p->pid, p->cfg->stopasgroup ? "process group " : "",
	    sig_name(sig));
	p->killing = 1;
	process_set_state(p, PROCESS_STOPPING);
	p->ops->timer(p, p->cfg->stopwaitsecs);
	if (p->ops->kill(p, target, sig) != 0) {
		if (errno == ESRCH) {
			log_debug("unable to signal %s (pid %ld), it probably "
			    "just exited on its own: %s", p->cfg->name,
			    (long)p->pid, strerror(errno));
			return 0;
		}
		process_signal_failed(p, sig, errno);
		xasprintf(cause, "%s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
process_should_restart(const struct process *p)
{
	if (!p->ops->may_autostart((struct process *)p))
		return 0;
	switch (p->cfg->autorestart) {
	case AUTORESTART_ALWAYS:
		return 1;
	case AUTORESTART_UNEXPECTED:
		return !p->expected;
	case AUTORESTART_NEVER:
		break;
	}
	return 0;
}

void
process_handle_exit(struct process *p, int status)
{
	char	*text;
	pid_t	 pid = p->pid;
	int	 es;

	text = process_exit_text(status);
	es = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	p->expected = WIFEXITED(status) &&
	    process_config_expected(p->cfg, es);
	p->laststop = (time_t)clock_wall();
	p->pid = 0;
	p->ops->timer(p, -1);

	if (p->killing) {
		p->killing = 0;
		p->exitstatus = es;
		if (p->cfg->killasgroup && p->ops->leftovers != NULL)
			p->ops->leftovers(p, pid);
		log_msg(p->expected ? LOG_LEVEL_INFO : LOG_LEVEL_WARN,
		    "stopped: %s (%s)", p->cfg->name, text);
		process_set_state(p, PROCESS_STOPPED);
	} else if (p->state == PROCESS_STARTING &&
	    (p->spawnerr != NULL || process_uptime(p) < p->cfg->startsecs)) {
		/* Exec failures count as failed starts whatever startsecs. */
		if (p->spawnerr == NULL)
			process_set_spawnerr(p,
			    "Exited too quickly (process log may have details)");
		log_warn("exited: %s (%s; not expected)", p->cfg->name, text);
		process_enter_backoff(p);
	} else {
		if (p->state == PROCESS_STARTING)
			process_set_state(p, PROCESS_RUNNING);
		p->backoff = 0;
		p->exitstatus = es;
		if (!p->expected) {
			free(p->spawnerr);
			xasprintf(&p->spawnerr, "Bad exit code %d", es);
		}
		log_msg(p->expected ? LOG_LEVEL_INFO : LOG_LEVEL_WARN,
		    "exited: %s (%s; %s)", p->cfg->name, text,
		    p->expected ? "expected" : "not expected");
		process_set_state(p, PROCESS_EXITED);
		if (p->state == PROCESS_EXITED && process_should_restart(p))
			process_spawn(p);
	}
	free(text);
}

void
process_handle_exec_error(struct process *p, const char *why)
{
	process_set_spawnerr(p, why);
	log_info("spawnerr: %s", why);
}

void
process_handle_timer(struct process *p)
{
	switch (p->state) {
	case PROCESS_STARTING:
		/* An exec failure already reported waits for the exit. */
		if (p->pid == 0 || p->spawnerr != NULL)
			break;
		p->backoff = 0;
		log_info("success: %s entered RUNNING state, process has "
		    "stayed up for > than %d seconds (startsecs)",
		    p->cfg->name, p->cfg->startsecs);
		process_set_state(p, PROCESS_RUNNING);
		break;
	case PROCESS_BACKOFF:
		if (p->backoff > p->cfg->startretries)
			process_give_up(p);
		else if (p->ops->may_autostart(p))
			process_spawn(p);
		break;
	case PROCESS_STOPPING:
		if (p->pid == 0)
			break;
		log_warn("killing '%s' (%ld) with SIGKILL", p->cfg->name,
		    (long)p->pid);
		p->ops->timer(p, p->cfg->stopwaitsecs);
		if (p->ops->kill(p, p->cfg->killasgroup ? -p->pid : p->pid,
		    SIGKILL) != 0 && errno != ESRCH)
			process_signal_failed(p, SIGKILL, errno);
		break;
	default:
		break;
	}
}
