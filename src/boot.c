/* SPDX-License-Identifier: ISC */
/*
 * Start-up, signals, reload and shutdown shared by taskmaster and
 * taskmasterd.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "api/api-local.h"
#include "boot.h"
#include "core/descend.h"
#include "core/supervisor.h"
#include "rpc/http.h"
#include "util/log.h"
#include "util/sig.h"
#include "util/xmalloc.h"

/*
 * Event priorities of the loop.  libevent gives each new event the middle
 * one (npriorities / 2), so with three that is every event we make and
 * every one evhttp makes (listeners, connections, deferred callbacks);
 * output.c moves child output down to the last.  A pass runs only the most
 * urgent events that are ready, so output waits at most while requests or
 * signals are ready, and is served in the first pass without any.
 */
#define BOOT_PRIORITIES	3

void
boot_usage_error(const char *argv0, const char *msg)
{
	fprintf(stderr, "Error: %s\nFor help, use %s -h\n", msg, argv0);
	exit(2);
}

struct config *
boot_load_config(const char *argv0, const char *path)
{
	struct config	*cfg;
	char		*found = NULL, *cause = NULL;

	if (path == NULL && (path = found = config_find_default(argv0)) ==
	    NULL)
		boot_usage_error(argv0, "No config file found at default "
		    "paths; use the -c option to specify a config file at a "
		    "different path");
	if ((cfg = config_load(path, &cause)) == NULL)
		boot_usage_error(argv0, cause);
	free(found);
	return cfg;
}

/* ---- shutdown and reload ---- */

static void
boot_stopped(void *arg)
{
	struct boot	*b = arg;

	/* Descendants our programs left behind go with us. */
	descend_kill_all();
	event_base_loopbreak(b->base);
}

void
boot_quit(struct boot *b)
{
	b->quitting = 1;
	if (b->on_quit != NULL)
		b->on_quit(b->arg);
	supervisor_shutdown(b->sv, boot_stopped, b);
}

static void
boot_list(const char *what, char **names, size_t n, char **out)
{
	size_t	 i;
	char	*tmp;

	for (i = 0; i < n; i++) {
		tmp = *out;
		*out = xprintf("%s%s%s%s", tmp ? tmp : "",
		    tmp && i == 0 ? "; " : "", i == 0 ? what : ", ", names[i]);
		free(tmp);
	}
}

void
boot_reload(struct boot *b)
{
	struct reload_diff	 d;
	char			*cause = NULL, *what = NULL;

	if (supervisor_reread(b->sv, &d, &cause) != 0) {
		log_error("config file %s has errors, not reloading: %s",
		    supervisor_config(b->sv)->path, cause);
		free(cause);
		return;
	}
	boot_list("added: ", d.added, d.nadded, &what);
	boot_list("changed: ", d.changed, d.nchanged, &what);
	boot_list("removed: ", d.removed, d.nremoved, &what);
	log_info("config reloaded (%s)", what != NULL ? what : "no changes");
	free(what);
	reload_diff_free(&d);
	supervisor_apply(b->sv, NULL, 0, NULL, NULL);
}

static void
boot_api_quit(void *arg)
{
	boot_quit(arg);
}

static void
boot_api_reload(void *arg)
{
	boot_reload(arg);
}

static const struct api_local_hooks boot_hooks = {
	.shutdown = boot_api_quit,
	.restart = boot_api_reload,
};

/* ---- signals ---- */

static void
boot_signal(struct boot *b, const struct signalfd_siginfo *si)
{
	int	 sig = (int)si->ssi_signo;

	switch (sig) {
	case SIGINT:
		/* Ctrl-C typed at the terminal belongs to the shell. */
		if (si->ssi_code == SI_KERNEL && !b->quitting &&
		    b->on_tty_interrupt != NULL && b->on_tty_interrupt(b->arg))
			break;
		/* FALLTHROUGH */
	case SIGTERM:
	case SIGQUIT:
		log_warn("received %s indicating exit request", sig_name(sig));
		boot_quit(b);
		break;
	case SIGHUP:
		if (b->quitting) {
			log_warn("ignored SIGHUP indicating restart request "
			    "(shutdown in progress)");
			break;
		}
		log_warn("received SIGHUP indicating restart request");
		boot_reload(b);
		break;
	case SIGUSR1:
	case SIGUSR2:
		log_info("received %s indicating log reopen request",
		    sig_name(sig));
		supervisor_reopen_logs(b->sv);
		log_info("supervisord logreopen");
		break;
	}
}

static void
boot_signal_cb(evutil_socket_t fd, short what, void *arg)
{
	struct signalfd_siginfo	 si;

	(void)what;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si)
		boot_signal(arg, &si);
}

/*
 * Signals are read from a signalfd, so they are events of the loop and the
 * origin of a SIGINT (typed at the terminal or sent with kill) is known.
 */
static void
boot_signals(struct boot *b)
{
	sigset_t	 set;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((b->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatalx("signalfd: %s", strerror(errno));
	b->sig_ev = event_new(b->base, b->sigfd, EV_READ | EV_PERSIST,
	    boot_signal_cb, b);
	event_add(b->sig_ev, NULL);
}

/* ---- start-up ---- */

static void
boot_limits(const struct config *cfg)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)cfg->sd.minfds)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < (rlim_t)cfg->sd.minfds)
		fatalx("The minimum number of file descriptors required to run "
		    "this process is %d as per the \"minfds\" command-line "
		    "argument or config file setting. The current environment "
		    "will only allow you to open %ld file descriptors.  Either "
		    "raise the number of usable file descriptors in your "
		    "environment or lower the minfds setting in the config "
		    "file to allow the process to start.", cfg->sd.minfds,
		    (long)rl.rlim_max);
	rl.rlim_cur = (rlim_t)cfg->sd.minfds;
	if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
		log_info("Increased RLIMIT_NOFILE limit to %d", cfg->sd.minfds);
}

/* [supervisord] user=: drop privileges before any file is created. */
static void
boot_user(const char *argv0, const struct config *cfg)
{
	struct passwd	*pw;
	char		*end;
	long		 uid;

	if (cfg->sd.user == NULL)
		return;
	uid = strtol(cfg->sd.user, &end, 10);
	pw = *end == '\0' ? getpwuid((uid_t)uid) : getpwnam(cfg->sd.user);
	if (pw == NULL)
		boot_usage_error(argv0, "Invalid user name");
	if (pw->pw_uid == getuid())
		return;
	if (geteuid() != 0)
		boot_usage_error(argv0, "Can't drop privilege as nonroot user");
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
		boot_usage_error(argv0, "Could not set user id of effective "
		    "user");
	log_info("Set uid to user %ld succeeded", (long)pw->pw_uid);
}

/*
 * As root, say what runs as root: supervisord's CRIT when no user= drops
 * privileges, and one warning naming the programs that have no user=.
 */
static void
boot_warn_root(const struct config *cfg)
{
	const struct process_config	*pc;
	char				*names = NULL, *tmp;
	size_t				 i, j, n = 0;

	if (geteuid() != 0)
		return;
	if (cfg->sd.user == NULL)
		log_crit("Supervisor is running as root.  Privileges were not "
		    "dropped because no user is specified in the config file.  "
		    "If you intend to run as root, you can set user=root in the "
		    "config file to avoid this message.");
	for (i = 0; i < cfg->ngroups; i++) {
		for (j = 0; j < cfg->groups[i]->nprocs; j++) {
			pc = cfg->groups[i]->procs[j];
			if (pc->user != NULL)
				continue;
			if (n++ < 10) {
				tmp = names;
				names = xprintf("%s%s%s", tmp ? tmp : "",
				    tmp ? ", " : "", pc->name);
				free(tmp);
			}
		}
	}
	if (n > 0)
		log_warn("%zu program%s will run as root (no user= in %s "
		    "section): %s%s", n, n == 1 ? "" : "s",
		    n == 1 ? "its" : "their", names, n > 10 ? ", ..." : "");
	free(names);
}

static void
boot_log_messages(const struct config *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->nmessages; i++)
		log_msg(cfg->messages[i].level, "%s", cfg->messages[i].text);
}

void
boot_init(struct boot *b, const char *argv0, struct config *cfg)
{
	char	*cause = NULL;

	b->argv0 = argv0;
	/* supervisord applies these only when daemonizing; we always do. */
	umask((mode_t)cfg->sd.umask);
	boot_user(argv0, cfg);
	log_set_level(cfg->sd.loglevel);
	if (log_open(cfg->sd.logfile, cfg->sd.logfile_maxbytes,
	    cfg->sd.logfile_backups, &cause) != 0)
		boot_usage_error(argv0, cause);
	if (cfg->sd.directory != NULL && chdir(cfg->sd.directory) != 0)
		boot_usage_error(argv0, strerror(errno));
	boot_warn_root(cfg);
	boot_log_messages(cfg);
	boot_limits(cfg);
	/* Orphaned descendants of our programs come to us to be reaped. */
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((b->base = event_base_new()) == NULL)
		fatalx("cannot create the event loop");
	/* Before any event exists; without them output.c keeps one level. */
	event_base_priority_init(b->base, BOOT_PRIORITIES);
	boot_signals(b);
	b->sv = supervisor_create(b->base, cfg);
	b->api = api_local_create(b->sv, &boot_hooks, b);
}

void
boot_servers(struct boot *b)
{
	const struct config	*cfg = supervisor_config(b->sv);
	struct http_server	*hs;
	size_t			 i;
	char			*cause = NULL;

	for (i = 0; i < cfg->nservers; i++) {
		if (cfg->has_rpcinterface)
			log_info("RPC interface 'supervisor' initialized");
		hs = http_server_create(b->base, &cfg->servers[i], b->api,
		    &cause);
		if (hs == NULL) {
			/* The sockets already made must not be left behind. */
			while (b->nservers > 0)
				http_server_free(b->servers[--b->nservers]);
			boot_usage_error(b->argv0, cause);
		}
		b->servers = xreallocarray(b->servers, b->nservers + 1,
		    sizeof *b->servers);
		b->servers[b->nservers++] = hs;
	}
}

static void
boot_pidfile(struct boot *b)
{
	const struct config	*cfg = supervisor_config(b->sv);
	FILE			*f;

	if (cfg->sd.pidfile == NULL)
		return;
	if ((f = fopen(cfg->sd.pidfile, "we")) == NULL) {
		log_crit("could not write pidfile %s", cfg->sd.pidfile);
		return;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	b->pidfile = xstrdup(cfg->sd.pidfile);
}

/*
 * glibc's free() gives memory back only from the top of the heap, so what a
 * burst of work (start-up, a large RPC answer, a reload) leaves free below
 * live blocks would stay resident for good, as would the stack and the I/O
 * buffers it touched.  Once the loop has been idle for BOOT_IDLE_TRIM
 * seconds they are handed back with xmalloc_trim(); the timer runs only
 * after activity, never in a loop left idle.
 */
#define BOOT_IDLE_TRIM	0.25

static struct {
	struct event	*ev;
	int		 armed;		/* ev pending */
	int		 busy;		/* work since ev was armed */
	int		 fired;		/* the last iteration ran ev only */
} boot_idle;

static void
boot_idle_arm(void)
{
	struct timeval	 tv = { 0, (suseconds_t)(BOOT_IDLE_TRIM * 1e6) };

	evtimer_add(boot_idle.ev, &tv);
	boot_idle.armed = 1;
}

static void
boot_idle_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	boot_idle.armed = 0;
	boot_idle.fired = 1;
	if (boot_idle.busy) {
		boot_idle.busy = 0;
		boot_idle_arm();
	} else
		xmalloc_trim();
}

/* The loop, one iteration at a time so that idleness can be noticed. */
static void
boot_loop(struct event_base *base)
{
	boot_idle.ev = evtimer_new(base, boot_idle_cb, NULL);
	boot_idle.busy = 1;
	boot_idle_arm();
	while (event_base_loop(base, EVLOOP_ONCE) == 0 &&
	    !event_base_got_break(base) && !event_base_got_exit(base)) {
		if (boot_idle.fired) {
			boot_idle.fired = 0;
			continue;
		}
		boot_idle.busy = 1;
		if (!boot_idle.armed)
			boot_idle_arm();
	}
	event_free(boot_idle.ev);
	memset(&boot_idle, 0, sizeof boot_idle);
}

void
boot_run(struct boot *b)
{
	boot_pidfile(b);
	log_info("supervisord started with pid %ld", (long)getpid());
	supervisor_start(b->sv);
	/* What loading the config and the first spawns freed. */
	xmalloc_trim();
	boot_loop(b->base);
}

void
boot_free(struct boot *b)
{
	while (b->nservers > 0)
		http_server_free(b->servers[--b->nservers]);
	free(b->servers);
	if (b->pidfile != NULL)
		unlink(b->pidfile);
	free(b->pidfile);
	api_free(b->api);
	supervisor_free(b->sv);
	event_free(b->sig_ev);
	close(b->sigfd);
	event_base_free(b->base);
	log_close();
}
