/* SPDX-License-Identifier: ISC */
/*
 * taskmasterd: the supervisor as a daemon, serving supervisord's XML-RPC
 * interface on the configured Unix socket and TCP port so that
 * taskmasterctl, supervisorctl and other supervisor tools drive it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "boot.h"
#include "core/supervisor.h"
#include "util/log.h"
#include "util/xmalloc.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

#define TASKMASTERD_VERSION	"4.2.5"

/* Command-line values override the config file (spec 1.1). */
struct daemon_opts {
	const char	*config;
	int		 nodaemon;
	int		 silent;
	const char	*user, *umask, *directory, *logfile, *maxbytes;
	const char	*backups, *loglevel, *pidfile, *identifier;
	const char	*childlogdir, *minfds, *minprocs;
	int		 nocleanup, strip_ansi;
};

struct taskmasterd {
	struct boot		  boot;
};

static void
usage(const char *argv0)
{
	const char	*name = strrchr(argv0, '/');

	/* Named as called: installed as supervisord, it says so. */
	name = name != NULL ? name + 1 : argv0;
	printf("%s -- run a set of applications as daemons.\n\n"
	    "Usage: %s [options]\n\n"
	    "Options:\n"
	    "-c/--configuration FILENAME -- configuration file path "
	    "(searches if not given)\n"
	    "-n/--nodaemon -- run in the foreground (same as 'nodaemon=true' "
	    "in config file)\n"
	    "-s/--silent -- no logs to stdout (maps to 'silent=true' in "
	    "config file)\n"
	    "-h/--help -- print this usage message and exit\n"
	    "-v/--version -- print supervisord version number and exit\n"
	    "-u/--user USER -- run supervisord as this user\n"
	    "-m/--umask UMASK -- use this umask for daemon subprocess "
	    "(default is 022)\n"
	    "-d/--directory DIRECTORY -- directory to chdir to when "
	    "daemonized\n"
	    "-l/--logfile FILENAME -- use FILENAME as logfile path\n"
	    "-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size "
	    "of logfile\n"
	    "-z/--logfile_backups NUM -- number of backups to keep when max "
	    "bytes reached\n"
	    "-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,"
	    "error,critical)\n"
	    "-j/--pidfile FILENAME -- write a pid file for the daemon process "
	    "to FILENAME\n"
	    "-i/--identifier STR -- identifier used for this instance of "
	    "supervisord\n"
	    "-q/--childlogdir DIRECTORY -- the log directory for child "
	    "process logs\n"
	    "-k/--nocleanup --  prevent the process from performing cleanup "
	    "(removal of old automatic child log files) at startup.\n"
	    "-a/--minfds NUM -- the minimum number of file descriptors for "
	    "start success\n"
	    "-t/--strip_ansi -- strip ansi escape codes from process output\n"
	    "--minprocs NUM  -- the minimum number of processes available for "
	    "start success\n", name, argv0);
	exit(0);
}

static void
daemon_bad_value(const char *argv0, char opt, const char *v, const char *why)
{
	char	*msg;

	xasprintf(&msg, "invalid value for -%c '%s': %s", opt, v, why);
	boot_usage_error(argv0, msg);
}

static char *
daemon_abspath(const char *path)
{
	char	*cwd, *abs;

	if (path[0] == '/' || (cwd = getcwd(NULL, 0)) == NULL)
		return xstrdup(path);
	abs = xprintf("%s/%s", cwd, path);
	free(cwd);
	return abs;
}

/* Applies the command-line overrides on top of the loaded config. */
static void
daemon_override(const char *argv0, const struct daemon_opts *o,
    struct config *cfg)
{
	struct supervisord_config	*sd = &cfg->sd;
	long long			 n;
	char				*end;

	if (o->nodaemon)
		sd->nodaemon = 1;
	if (o->silent)
		sd->silent = 1;
	if (o->nocleanup)
		sd->nocleanup = 1;
	if (o->strip_ansi)
		sd->strip_ansi = 1;
	if (o->umask != NULL && config_parse_octal(o->umask, &sd->umask) != 0)
		daemon_bad_value(argv0, 'm', o->umask, "not an octal value");
	if (o->loglevel != NULL &&
	    config_parse_loglevel(o->loglevel, &sd->loglevel) != 0)
		daemon_bad_value(argv0, 'e', o->loglevel, "bad logging level");
	if (o->maxbytes != NULL &&
	    config_parse_size(o->maxbytes, &sd->logfile_maxbytes) != 0)
		daemon_bad_value(argv0, 'y', o->maxbytes, "not a size");
	if (o->backups != NULL) {
		n = strtoll(o->backups, &end, 10);
		if (*end != '\0' || n < 0 || n > 100000)
			daemon_bad_value(argv0, 'z', o->backups, "not a number");
		sd->logfile_backups = (int)n;
	}
	if (o->minfds != NULL) {
		n = strtoll(o->minfds, &end, 10);
		if (*end != '\0' || n < 0 || n > 1 << 24)
			daemon_bad_value(argv0, 'a', o->minfds, "not a number");
		sd->minfds = (int)n;
	}
	if (o->logfile != NULL) {
		free(sd->logfile);
		sd->logfile = daemon_abspath(o->logfile);
	}
	if (o->pidfile != NULL) {
		free(sd->pidfile);
		sd->pidfile = daemon_abspath(o->pidfile);
	}
	if (o->identifier != NULL) {
		free(sd->identifier);
		sd->identifier = xstrdup(o->identifier);
	}
	if (o->childlogdir != NULL) {
		free(sd->childlogdir);
		sd->childlogdir = xstrdup(o->childlogdir);
	}
	if (o->user != NULL) {
		free(sd->user);
		sd->user = xstrdup(o->user);
	}
	if (o->directory != NULL) {
		free(sd->directory);
		sd->directory = xstrdup(o->directory);
	}
}

static void
daemon_parse(int argc, char **argv, struct daemon_opts *o)
{
	static const struct option longopts[] = {
		{ "configuration", required_argument, NULL, 'c' },
		{ "nodaemon", no_argument, NULL, 'n' },
		{ "silent", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ "user", required_argument, NULL, 'u' },
		{ "umask", required_argument, NULL, 'm' },
		{ "directory", required_argument, NULL, 'd' },
		{ "logfile", required_argument, NULL, 'l' },
		{ "logfile_maxbytes", required_argument, NULL, 'y' },
		{ "logfile_backups", required_argument, NULL, 'z' },
		{ "loglevel", required_argument, NULL, 'e' },
		{ "pidfile", required_argument, NULL, 'j' },
		{ "identifier", required_argument, NULL, 'i' },
		{ "childlogdir", required_argument, NULL, 'q' },
		{ "nocleanup", no_argument, NULL, 'k' },
		{ "minfds", required_argument, NULL, 'a' },
		{ "strip_ansi", no_argument, NULL, 't' },
		{ "minprocs", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	char	*msg;
	int	 ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:nshvu:m:d:l:y:z:e:j:i:q:ka:t",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'n': o->nodaemon = 1; break;
		case 's': o->silent = 1; break;
		case 'h': usage(argv[0]); break;
		case 'v': printf("%s\n", TASKMASTERD_VERSION); exit(0);
		case 'u': o->user = optarg; break;
		case 'm': o->umask = optarg; break;
		case 'd': o->directory = optarg; break;
		case 'l': o->logfile = optarg; break;
		case 'y': o->maxbytes = optarg; break;
		case 'z': o->backups = optarg; break;
		case 'e': o->loglevel = optarg; break;
		case 'j': o->pidfile = optarg; break;
		case 'i': o->identifier = optarg; break;
		case 'q': o->childlogdir = optarg; break;
		case 'k': o->nocleanup = 1; break;
		case 'a': o->minfds = optarg; break;
		case 't': o->strip_ansi = 1; break;
		case 'P': o->minprocs = optarg; break;
		case ':':
			xasprintf(&msg, "option %s requires argument",
			    argv[optind - 1]);
			boot_usage_error(argv[0], msg);
		default:
			/* supervisord takes -? for -h. */
			if (optopt == '?')
				usage(argv[0]);
			xasprintf(&msg, "option %s not recognized",
			    argv[optind - 1]);
			boot_usage_error(argv[0], msg);
		}
	}
	if (optind < argc) {
		xasprintf(&msg, "positional arguments are not supported: "
		    "['%s']", argv[optind]);
		boot_usage_error(argv[0], msg);
	}
}

/* The main log on stdout too, in the foreground unless silent. */
static void
daemon_stdout_sink(enum log_level level, const char *rec, size_t len,
    void *arg)
{
	ssize_t	 n;

	(void)level;
	(void)arg;
	while (len > 0 && (n = write(STDOUT_FILENO, rec, len)) > 0) {
		rec += n;
		len -= (size_t)n;
	}
}

/* One fork, like supervisord: the parent exits before any child starts. */
static void
daemon_detach(struct taskmasterd *td)
{
	pid_t	 pid;
	int	 fd;

	log_info("daemonizing the supervisord process");
	if ((pid = fork()) < 0)
		fatalx("fork: %s", strerror(errno));
	if (pid > 0)
		_exit(0);
	setsid();
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	event_reinit(td->boot.base);
}

int
main(int argc, char **argv)
{
	struct daemon_opts	 o;
	struct taskmasterd	 td;
	struct config		*cfg;

	memset(&o, 0, sizeof o);
	memset(&td, 0, sizeof td);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	daemon_parse(argc, argv, &o);
	cfg = boot_load_config(argv[0], o.config);
	daemon_override(argv[0], &o, cfg);
	if (cfg->sd.nodaemon && !cfg->sd.silent)
		log_add_sink(daemon_stdout_sink, LOG_LEVEL_BLATHER, NULL);
	boot_init(&td.boot, argv[0], cfg);
	boot_servers(&td.boot);
	if (!cfg->sd.nodaemon)
		daemon_detach(&td);

	boot_run(&td.boot);

	log_remove_sink(daemon_stdout_sink, NULL);
	boot_free(&td.boot);
	return 0;
}
