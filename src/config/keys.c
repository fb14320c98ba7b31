/* SPDX-License-Identifier: ISC */
/*
 * The table of every key supervisord reads, with its section kinds, type,
 * default, limits and where config.c stores it; and the reader that turns a
 * key of a section into a checked value with supervisord's messages.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/internal.h"
#include "util/sig.h"
#include "util/xmalloc.h"

#define SD(m)	.store = 1, .off = offsetof(struct supervisord_config, m)
#define PC(m)	.store = 1, .off = offsetof(struct process_config, m)
#define GC(m)	.store = 1, .off = offsetof(struct group_config, m)
#define SV(m)	.store = 1, .off = offsetof(struct server_config, m)
#define CT(m)	.store = 1, .off = offsetof(struct ctl_config, m)
#define OFF3(t, a, b, c) .store = 1, .off = offsetof(struct t, a), \
	.off2 = offsetof(struct t, b), .off3 = offsetof(struct t, c)
#define NONNEG	.min = 0, .max = INT_MAX
#define ANYINT	.min = INT_MIN, .max = INT_MAX

static char	*keys_tempdir(void);
static int	 keys_isdir(const char *path);

/* Python's str.isspace() on ASCII. */
static int
keys_isspace(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r') ||
	    (c >= 0x1c && c <= 0x1f));
}

/*
 * In the order supervisord reads them, which decides which of several bad
 * values is reported.
 */
const struct key_def keys_table[] = {
	/* [supervisord] */
	{ .sections = KS_SUPERVISORD, .name = "minfds", .type = KEY_INT,
	  .stage = KEY_ONCE, .def = "1024", NONNEG, SD(minfds),
	  .help = "file descriptors to reserve before starting" },
	{ .sections = KS_SUPERVISORD, .name = "minprocs", .type = KEY_INT,
	  .stage = KEY_ONCE, .def = "200", NONNEG, SD(minprocs),
	  .help = "process slots to reserve before starting" },
	{ .sections = KS_SUPERVISORD, .name = "directory", .type = KEY_DIR,
	  .stage = KEY_ONCE, SD(directory),
	  .help = "directory to change into when daemonizing" },
	{ .sections = KS_SUPERVISORD, .name = "user", .type = KEY_USER,
	  .stage = KEY_ONCE, OFF3(supervisord_config, user, uid, gid),
	  .help = "user to switch to at startup" },
	{ .sections = KS_SUPERVISORD, .name = "umask", .type = KEY_OCTAL,
	  .stage = KEY_ONCE, .def = "022", .min = 0, .max = 0777, SD(umask),
	  .help = "umask of the daemon" },
	{ .sections = KS_SUPERVISORD, .name = "logfile", .type = KEY_DIRPATH,
	  .stage = KEY_ONCE, .def = "supervisord.log",
	  .flags = KF_ABSPATH|KF_SYSLOG, SD(logfile),
	  .help = "main log file, or syslog" },
	{ .sections = KS_SUPERVISORD, .name = "logfile_maxbytes",
	  .type = KEY_SIZE, .stage = KEY_ONCE, .def = "50MB",
	  SD(logfile_maxbytes), .help = "main log size that triggers rotation" },
	{ .sections = KS_SUPERVISORD, .name = "logfile_backups",
	  .type = KEY_INT, .stage = KEY_ONCE, .def = "10", NONNEG,
	  SD(logfile_backups), .help = "rotated main logs to keep" },
	{ .sections = KS_SUPERVISORD, .name = "loglevel", .type = KEY_LOGLEVEL,
	  .stage = KEY_ONCE, .def = "info", SD(loglevel),
	  .help = "lowest level written to the main log" },
	{ .sections = KS_SUPERVISORD, .name = "pidfile", .type = KEY_DIRPATH,
	  .stage = KEY_ONCE, .def = "supervisord.pid", .flags = KF_ABSPATH,
	  SD(pidfile), .help = "file that receives the daemon's pid" },
	{ .sections = KS_SUPERVISORD, .name = "identifier",
	  .type = KEY_STRING, .stage = KEY_ONCE, .def = "supervisor",
	  SD(identifier), .help = "name of this supervisor over RPC" },
	{ .sections = KS_SUPERVISORD, .name = "nodaemon", .type = KEY_BOOL,
	  .stage = KEY_ONCE, .def = "false", SD(nodaemon),
	  .help = "stay in the foreground" },
	{ .sections = KS_SUPERVISORD, .name = "silent", .type = KEY_BOOL,
	  .stage = KEY_ONCE, .def = "false", SD(silent),
	  .help = "in the foreground, do not copy the log to stdout" },
	{ .sections = KS_SUPERVISORD, .name = "childlogdir", .type = KEY_DIR,
	  .stage = KEY_ONCE, .def_fn = keys_tempdir, SD(childlogdir),
	  .help = "directory of AUTO child logs" },
	{ .sections = KS_SUPERVISORD, .name = "nocleanup", .type = KEY_BOOL,
	  .stage = KEY_ONCE, .def = "false", SD(nocleanup),
	  .help = "keep old AUTO child logs at startup" },
	{ .sections = KS_SUPERVISORD, .name = "strip_ansi", .type = KEY_BOOL,
	  .stage = KEY_ONCE, .def = "false", SD(strip_ansi),
	  .help = "remove ANSI escapes from child output" },
	{ .sections = KS_SUPERVISORD, .name = "environment", .type = KEY_ENV,
	  .stage = KEY_HOST, .def = "", SD(environment),
	  .help = "KEY=VALUE pairs added to every child's environment" },

	/* [program:x], [eventlistener:x], [fcgi-program:x]: per section */
	{ .sections = KS_PROCESS, .name = "priority", .type = KEY_INT,
	  .stage = KEY_SECTION, .def = "999", ANYINT, PC(priority),
	  .help = "start order of the process (lower first)" },
	{ .sections = KS_PROCESS, .name = "autostart", .type = KEY_BOOL,
	  .stage = KEY_SECTION, .def = "true", PC(autostart),
	  .help = "start with the supervisor" },
	{ .sections = KS_PROCESS, .name = "autorestart",
	  .type = KEY_AUTORESTART, .stage = KEY_SECTION, .def = "unexpected",
	  PC(autorestart), .help = "restart after an exit" },
	{ .sections = KS_PROCESS, .name = "startsecs", .type = KEY_INT,
	  .stage = KEY_SECTION, .def = "1", NONNEG, PC(startsecs),
	  .help = "seconds a process must stay up to be RUNNING" },
	{ .sections = KS_PROCESS, .name = "startretries", .type = KEY_INT,
	  .stage = KEY_SECTION, .def = "3", NONNEG, PC(startretries),
	  .help = "failed starts tolerated before FATAL" },
	{ .sections = KS_PROCESS, .name = "stopsignal", .type = KEY_SIGNAL,
	  .stage = KEY_SECTION, .def = "TERM", PC(stopsignal),
	  .help = "signal that asks the process to stop" },
	{ .sections = KS_PROCESS, .name = "stopwaitsecs", .type = KEY_INT,
	  .stage = KEY_SECTION, .def = "10", NONNEG, PC(stopwaitsecs),
	  .help = "seconds to wait before SIGKILL" },
	{ .sections = KS_PROCESS, .name = "stopasgroup", .type = KEY_BOOL,
	  .stage = KEY_SECTION, .def = "false", PC(stopasgroup),
	  .help = "send the stop signal to the process group" },
	{ .sections = KS_PROCESS, .name = "killasgroup", .type = KEY_BOOL,
	  .stage = KEY_MANUAL, PC(killasgroup),
	  .help = "send SIGKILL to the process group" },
	{ .sections = KS_PROCESS, .name = "exitcodes", .type = KEY_EXITCODES,
	  .stage = KEY_SECTION, .def = "0",
	  OFF3(process_config, exitcodes, nexitcodes, nexitcodes),
	  .help = "exit statuses that are expected" },
	{ .sections = KS_PROCESS, .name = "redirect_stderr", .type = KEY_BOOL,
	  .stage = KEY_SECTION, .def = "false", PC(redirect_stderr),
	  .help = "send stderr to the stdout log" },
	{ .sections = KS_PROCESS, .name = "numprocs", .type = KEY_INT,
	  .stage = KEY_MANUAL, .def = "1", .min = 1, .max = 100000,
	  .help = "processes started from this section" },
	{ .sections = KS_PROCESS, .name = "numprocs_start", .type = KEY_INT,
	  .stage = KEY_MANUAL, .def = "0", .min = 0, .max = INT_MAX / 2,
	  .help = "first process_num" },
	{ .sections = KS_PROCESS, .name = "environment", .type = KEY_ENV,
	  .stage = KEY_MANUAL, .def = "", .what = "environment",
	  .help = "KEY=VALUE pairs added to the environment" },
	{ .sections = KS_PROCESS, .name = "stdout_capture_maxbytes",
	  .type = KEY_SIZE, .stage = KEY_SECTION, .def = "0",
	  PC(out.capture_maxbytes), .help = "capture mode buffer size" },
	{ .sections = KS_PROCESS, .name = "stdout_events_enabled",
	  .type = KEY_BOOL, .stage = KEY_SECTION, .def = "false",
	  PC(out.events_enabled), .help = "emit PROCESS_LOG_STDOUT events" },
	{ .sections = KS_PROCESS, .name = "stderr_capture_maxbytes",
	  .type = KEY_SIZE, .stage = KEY_SECTION, .def = "0",
	  PC(err.capture_maxbytes), .help = "capture mode buffer size" },
	{ .sections = KS_PROCESS, .name = "stderr_events_enabled",
	  .type = KEY_BOOL, .stage = KEY_SECTION, .def = "false",
	  PC(err.events_enabled), .help = "emit PROCESS_LOG_STDERR events" },
	{ .sections = KS_PROCESS, .name = "serverurl", .type = KEY_STRING,
	  .stage = KEY_SECTION, .def = "AUTO", PC(serverurl),
	  .help = "SUPERVISOR_SERVER_URL of the child" },
	{ .sections = KS_PROCESS, .name = "user", .type = KEY_USER,
	  .stage = KEY_SECTION, OFF3(process_config, user, uid, gid),
	  .help = "user the child runs as" },
	{ .sections = KS_PROCESS, .name = "umask", .type = KEY_OCTAL,
	  .stage = KEY_SECTION, .min = 0, .max = 0777, PC(umask),
	  .help = "umask of the child" },
	{ .sections = KS_PROCESS, .name = "process_name", .type = KEY_STRING,
	  .stage = KEY_MANUAL, .def = "%(program_name)s",
	  .what = "process_name", .help = "name of each process" },

	/* The same, once per process. */
	{ .sections = KS_PROCESS, .name = "directory", .type = KEY_STRING,
	  .stage = KEY_PROCESS, PC(directory),
	  .help = "directory the child starts in" },
	{ .sections = KS_PROCESS, .name = "stdout_logfile",
	  .type = KEY_LOGFILE, .stage = KEY_PROCESS, .def = "AUTO", PC(out),
	  .help = "stdout log: a path, AUTO or NONE" },
	{ .sections = KS_PROCESS, .name = "stdout_logfile_backups",
	  .type = KEY_INT, .stage = KEY_PROCESS, .def = "10", NONNEG,
	  PC(out.backups), .help = "rotated stdout logs to keep" },
	{ .sections = KS_PROCESS, .name = "stdout_logfile_maxbytes",
	  .type = KEY_SIZE, .stage = KEY_PROCESS, .def = "50MB",
	  PC(out.maxbytes), .help = "stdout log size that triggers rotation" },
	{ .sections = KS_PROCESS, .name = "stdout_syslog", .type = KEY_BOOL,
	  .stage = KEY_PROCESS, .def = "false", PC(out.syslog),
	  .help = "also send stdout to syslog" },
	{ .sections = KS_PROCESS, .name = "stderr_logfile",
	  .type = KEY_LOGFILE, .stage = KEY_PROCESS, .def = "AUTO", PC(err),
	  .help = "stderr log: a path, AUTO or NONE" },
	{ .sections = KS_PROCESS, .name = "stderr_logfile_backups",
	  .type = KEY_INT, .stage = KEY_PROCESS, .def = "10", NONNEG,
	  PC(err.backups), .help = "rotated stderr logs to keep" },
	{ .sections = KS_PROCESS, .name = "stderr_logfile_maxbytes",
	  .type = KEY_SIZE, .stage = KEY_PROCESS, .def = "50MB",
	  PC(err.maxbytes), .help = "stderr log size that triggers rotation" },
	{ .sections = KS_PROCESS, .name = "stderr_syslog", .type = KEY_BOOL,
	  .stage = KEY_PROCESS, .def = "false", PC(err.syslog),
	  .help = "also send stderr to syslog" },
	{ .sections = KS_PROCESS, .name = "command", .type = KEY_STRING,
	  .stage = KEY_PROCESS, PC(command),
	  .help = "program and arguments, shell-quoted" },

	/*
	 * Group-level keys, read with here and ENV_* only.  Listener pools
	 * start first by default, but their processes keep 999.
	 */
	{ .sections = KS_PROGRAM|KS_FCGI|KS_GROUP, .name = "priority",
	  .type = KEY_INT, .stage = KEY_GROUP, .def = "999", ANYINT,
	  GC(priority), .help = "start order of the group (lower first)" },
	{ .sections = KS_LISTENER, .name = "priority", .type = KEY_INT,
	  .stage = KEY_GROUP, .def = "-1", ANYINT, GC(priority),
	  .help = "start order of the pool (lower first)" },
	{ .sections = KS_LISTENER, .name = "buffer_size", .type = KEY_INT,
	  .stage = KEY_MANUAL, .def = "10", ANYINT,
	  .help = "events queued for the pool" },
	{ .sections = KS_LISTENER, .name = "result_handler",
	  .type = KEY_STRING, .stage = KEY_MANUAL,
	  .def = "supervisor.dispatchers:default_handler",
	  .help = "only the default handler is supported" },
	{ .sections = KS_LISTENER, .name = "events", .type = KEY_LIST,
	  .stage = KEY_MANUAL, .def = "",
	  .help = "event types the pool subscribes to" },
	{ .sections = KS_FCGI, .name = "socket", .type = KEY_STRING,
	  .stage = KEY_MANUAL,
	  .help = "unix:///absolute/path or tcp://host:port" },
	{ .sections = KS_FCGI, .name = "socket_backlog", .type = KEY_INT,
	  .stage = KEY_GROUP, .min = 1, .max = 65535,
	  .errmsg = "Invalid socket_backlog value", GC(socket_backlog),
	  .help = "listen() backlog" },
	{ .sections = KS_FCGI, .name = "socket_owner", .type = KEY_USERGROUP,
	  .stage = KEY_GROUP, .errmsg = "Invalid socket_owner value",
	  OFF3(group_config, socket_owner, socket_uid, socket_gid),
	  .help = "user[:group] of a unix socket" },
	{ .sections = KS_FCGI, .name = "socket_mode", .type = KEY_OCTAL,
	  .stage = KEY_GROUP, .min = 0, .max = 07777,
	  .errmsg = "Invalid socket_mode value", GC(socket_mode),
	  .help = "mode of a unix socket" },

	/* [group:x] */
	{ .sections = KS_GROUP, .name = "programs", .type = KEY_LIST,
	  .stage = KEY_MANUAL, .def = "",
	  .help = "programs whose processes form the group" },

	/* [unix_http_server], [inet_http_server] */
	{ .sections = KS_UNIX, .name = "file", .type = KEY_PATH,
	  .stage = KEY_HERE, SV(path), .help = "path of the socket" },
	{ .sections = KS_UNIX, .name = "chmod", .type = KEY_OCTAL,
	  .stage = KEY_ONCE, .def = "0700", .min = 0, .max = 07777,
	  .errmsg = "Invalid chmod value", SV(chmod),
	  .help = "mode of the socket" },
	{ .sections = KS_UNIX, .name = "chown", .type = KEY_USERGROUP,
	  .stage = KEY_ONCE, .errmsg = "Invalid sockchown value",
	  OFF3(server_config, chown, chown_uid, chown_gid),
	  .help = "user[:group] owning the socket" },
	{ .sections = KS_INET, .name = "port", .type = KEY_INET,
	  .stage = KEY_ONCE,
	  OFF3(server_config, host, port, port),
	  .help = "[host:]port to listen on" },
	{ .sections = KS_UNIX|KS_INET, .name = "username",
	  .type = KEY_STRING, .stage = KEY_ONCE, SV(username),
	  .help = "user name clients must give" },
	{ .sections = KS_UNIX|KS_INET, .name = "password",
	  .type = KEY_STRING, .stage = KEY_ONCE, SV(password),
	  .help = "password, plain or {SHA} and hex SHA-1" },

	/* [supervisorctl] */
	{ .sections = KS_CTL, .name = "serverurl", .type = KEY_STRING,
	  .stage = KEY_HERE, .def = "http://localhost:9001", CT(serverurl),
	  .help = "URL of the server" },
	{ .sections = KS_CTL, .name = "username", .type = KEY_STRING,
	  .stage = KEY_ONCE, CT(username), .help = "user name to send" },
	{ .sections = KS_CTL, .name = "password", .type = KEY_STRING,
	  .stage = KEY_ONCE, CT(password), .help = "password to send" },
	{ .sections = KS_CTL, .name = "prompt", .type = KEY_STRING,
	  .stage = KEY_ONCE, .def = "supervisor", CT(prompt),
	  .help = "prompt of the shell" },
	{ .sections = KS_CTL, .name = "history_file", .type = KEY_PATH,
	  .stage = KEY_HERE, CT(history_file),
	  .help = "readline history file" },

	/* [include] */
	{ .sections = KS_INCLUDE, .name = "files", .type = KEY_STRING,
	  .stage = KEY_MANUAL, .what = "include.files",
	  .help = "globs of more files to read" },
};

const size_t keys_count = sizeof keys_table / sizeof keys_table[0];

const struct key_def *
keys_find(unsigned kind, const char *name)
{
	size_t	i;

	for (i = 0; i < keys_count; i++) {
		if ((keys_table[i].sections & kind) &&
		    strcmp(keys_table[i].name, name) == 0)
			return &keys_table[i];
	}
	return NULL;
}

/*
 * Python's tempfile.gettempdir(): $TMPDIR, $TEMP, $TMP, then /tmp, the
 * first that is a usable directory.
 */
static char *
keys_tempdir(void)
{
	static const char *const	 vars[] = { "TMPDIR", "TEMP", "TMP" };
	const char			*v;
	size_t				 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0' && access(v, W_OK|X_OK) == 0 &&
		    keys_isdir(v))
			return keys_abspath(v);
	}
	return xstrdup("/tmp");
}

static void
keys_vmessage(const struct key_reader *r, const struct ini_entry *e,
    const char *key, char **out, const char *fmt, va_list ap)
{
	const char	*file = e != NULL ? e->file : r->file;
	int		 line = e != NULL ? e->line : r->line;
	char		*text;

	xvasprintf(&text, fmt, ap);
	if (key != NULL)
		xasprintf(out, "%s:%d: %s in section '%s' key '%s'", file, line,
		    text, r->section, key);
	else
		xasprintf(out, "%s:%d: %s in section '%s'", file, line, text,
		    r->section);
	free(text);
}

int
keys_error(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	keys_vmessage(r, e, key, r->cause, fmt, ap);
	va_end(ap);
	return -1;
}

void
keys_warn(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	keys_vmessage(r, e, key, &msg, fmt, ap);
	va_end(ap);
	config_add_message(r->cfg, LOG_LEVEL_WARN, "%s", msg);
	free(msg);
}

int
keys_error_allowed(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const char *allowed, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	keys_vmessage(r, e, key, r->cause, fmt, ap);
	va_end(ap);
	if (allowed != NULL) {
		xasprintf(&msg, "%s (allowed: %s)", *r->cause, allowed);
		free(*r->cause);
		*r->cause = msg;
	}
	return -1;
}

static int
keys_fail(const struct key_reader *r, const struct key_def *k,
    const struct ini_entry *e, char *why)
{
	char	*allowed;
	size_t	 len = strlen(why);

	/* Some supervisord messages end with a blank. */
	while (len > 0 && why[len - 1] == ' ')
		why[--len] = '\0';
	allowed = keys_allowed(k);
	keys_error_allowed(r, e, k->name, allowed, "%s", why);
	free(allowed);
	return -1;
}

/* What a key accepts, for " (allowed: ...)"; NULL if nothing short. */
char *
keys_allowed(const struct key_def *k)
{
	switch (k->type) {
	case KEY_BOOL:
		return xstrdup("true, false, yes, no, on, off, 1, 0");
	case KEY_AUTORESTART:
		return xstrdup("true, false, unexpected");
	case KEY_LOGLEVEL:
		return xstrdup("critical, error, warn, info, debug, trace, "
		    "blather");
	case KEY_SIGNAL:
		return xstrdup("a signal name such as TERM, HUP, INT, QUIT, "
		    "KILL, USR1 or USR2, or its number");
	case KEY_EXITCODES:
		return xstrdup("comma-separated integers from 0 to 255");
	case KEY_SIZE:
		return xstrdup("a number of bytes, optionally followed by KB, "
		    "MB or GB");
	case KEY_OCTAL:
		return xprintf("an octal number from 0 to 0%llo", k->max);
	case KEY_LOGFILE:
		return xstrdup("AUTO, NONE, syslog or a path in an existing "
		    "directory");
	case KEY_INET:
		return xstrdup("port, host:port or *:port, port from 1 to "
		    "65535");
	case KEY_INT:
		if (k->max == INT_MAX && k->min != INT_MIN)
			return xprintf("an integer >= %lld", k->min);
		return xprintf("an integer from %lld to %lld", k->min, k->max);
	default:
		return NULL;
	}
}

/*
 * Python's int() takes blanks around the number, a sign, and single
 * underscores between digits; int(s, 8) also an "0o" prefix.  A number
 * too large for a long long is reported as such (no key accepts one).
 */
int
keys_pyint(const char *s, int base, long long *out)
{
	const char	*p = s, *end = s + strlen(s);
	long long	 n = 0;
	int		 neg = 0, digits = 0, big = 0, d;

	while (p < end && keys_isspace((unsigned char)*p))
		p++;
	while (end > p && keys_isspace((unsigned char)end[-1]))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (base == 8 && end - p >= 2 && p[0] == '0' &&
	    (p[1] == 'o' || p[1] == 'O')) {
		p += 2;
		if (p < end && *p == '_')
			p++;
	}
	for (; p < end; p++) {
		if (*p == '_' && digits > 0 && p + 1 < end && p[1] != '_')
			continue;
		d = *p - '0';
		if (d < 0 || d >= base)
			return -1;
		digits++;
		if (n > (LLONG_MAX - d) / base)
			big = 1;
		else
			n = n * base + d;
	}
	if (digits == 0)
		return -1;
	*out = neg ? -n : n;
	if (big) {
		*out = neg ? LLONG_MIN : LLONG_MAX;
		return 1;
	}
	return 0;
}

static int
keys_range(const struct key_def *k, long long n, int big, const char *text,
    char **why)
{
	if (big || n > k->max) {
		if (big)
			xasprintf(why, "%s is %s bound (%lld)", text,
			    n < 0 ? "below lower" : "above upper",
			    n < 0 ? k->min : k->max);
		else
			xasprintf(why, "%lld is above upper bound (%lld)", n,
			    k->max);
		return -1;
	}
	if (n < k->min) {
		xasprintf(why, "%lld is below lower bound (%lld)", n, k->min);
		return -1;
	}
	return 0;
}

static int
keys_int(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	char	*r;
	int	 rc;

	if ((rc = keys_pyint(s, 10, &v->num)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "invalid literal for int() with base 10: %s", r);
		free(r);
		return -1;
	}
	return keys_range(k, v->num, rc == 1, s, why);
}

/* supervisord's byte_size: the suffix is looked for after lower-casing. */
static int
keys_size(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	static const struct {
		const char	*suffix;
		long long	 mult;
	} units[] = { { "kb", 1LL << 10 }, { "mb", 1LL << 20 },
	    { "gb", 1LL << 30 } };
	struct key_def	 limits = *k;
	char		*low, *r;
	size_t		 len, i;
	long long	 mult = 1;
	int		 rc;

	low = xstrdup(s);
	for (i = 0; low[i] != '\0'; i++) {
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] += 'a' - 'A';
	}
	len = strlen(low);
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (len >= 2 && strcmp(low + len - 2, units[i].suffix) == 0) {
			low[len - 2] = '\0';
			mult = units[i].mult;
			break;
		}
	}
	if ((rc = keys_pyint(low, 10, &v->num)) == -1) {
		r = expand_repr(low);
		xasprintf(why, "invalid literal for int() with base 10: %s", r);
		free(r);
		free(low);
		return -1;
	}
	free(low);
	if (rc == 0 && (v->num > LLONG_MAX / mult || v->num < LLONG_MIN / mult))
		rc = 1;
	else if (rc == 0)
		v->num *= mult;
	limits.min = 0;
	limits.max = LLONG_MAX;
	return keys_range(&limits, v->num, rc == 1, s, why);
}

/* int(s, 8): "022", "22" and "0o22" are the same. */
static int
keys_octal(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	int	rc;

	if ((rc = keys_pyint(s, 8, &v->num)) == -1) {
		xasprintf(why, "%s can not be converted to an octal type", s);
		return -1;
	}
	if (rc == 1 || v->num > k->max) {
		xasprintf(why, "%s is above upper bound (0%llo)", s, k->max);
		return -1;
	}
	if (v->num < k->min) {
		xasprintf(why, "%s is below lower bound (0)", s);
		return -1;
	}
	return 0;
}

static int
keys_word(const char *s, const char *const *words)
{
	size_t	i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcasecmp(s, words[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* true/false words in supervisord's order; even index is true. */
static const char *const keys_bools[] = {
	"yes", "no", "true", "false", "on", "off", "1", "0", NULL
};

/* No trimming: supervisord compares the lower-cased text as it is. */
static int
keys_bool(const char *s, struct key_value *v, char **why)
{
	char	*r;
	int	 i;

	if ((i = keys_word(s, keys_bools)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "not a valid boolean value: %s", r);
		free(r);
		return -1;
	}
	v->num = i % 2 == 0;
	return 0;
}

static int
keys_autorestart(const char *s, struct key_value *v, char **why)
{
	char	*low, *r;
	size_t	 i;
	int	 w;

	if ((w = keys_word(s, keys_bools)) != -1) {
		v->num = w % 2 == 0 ? AUTORESTART_ALWAYS : AUTORESTART_NEVER;
		return 0;
	}
	if (strcasecmp(s, "unexpected") == 0) {
		v->num = AUTORESTART_UNEXPECTED;
		return 0;
	}
	low = xstrdup(s);
	for (i = 0; low[i] != '\0'; i++) {
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] += 'a' - 'A';
	}
	r = expand_repr(low);
	xasprintf(why, "invalid 'autorestart' value %s", r);
	free(r);
	free(low);
	return -1;
}

static int
keys_loglevel(const char *s, struct key_value *v, char **why)
{
	static const char *const	 names[] = { "critical", "error",
	    "warn", "info", "debug", "trace", "blather", NULL };
	static const int		 levels[] = { LOG_LEVEL_CRITICAL,
	    LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG,
	    LOG_LEVEL_TRACE, LOG_LEVEL_BLATHER };
	char				*r;
	int				 i;

	if ((i = keys_word(s, names)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "bad logging level name %s", r);
		free(r);
		return -1;
	}
	v->num = levels[i];
	return 0;
}

static int
keys_signal(const char *s, struct key_value *v, char **why)
{
	int	sig;

	if ((sig = sig_parse(s, why)) == -1)
		return -1;
	v->num = sig;
	return 0;
}

static int
keys_exitcodes(const char *s, struct key_value *v, char **why)
{
	const char	*p = s, *comma;
	char		*part, *r;
	long long	 n;
	int		 rc;

	if (*s == '\0')
		return 0;
	for (;;) {
		comma = strchr(p, ',');
		part = comma == NULL ? xstrdup(p) : xstrndup(p, comma - p);
		rc = keys_pyint(part, 10, &n);
		free(part);
		if (rc != 0 || n < 0 || n > 255) {
			r = expand_repr(s);
			xasprintf(why, "not a valid list of exit codes: %s", r);
			free(r);
			return -1;
		}
		v->codes = xreallocarray(v->codes, v->ncodes + 1,
		    sizeof *v->codes);
		v->codes[v->ncodes++] = (int)n;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int
keys_isdir(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

static int
keys_dir(const char *s, struct key_value *v, char **why)
{
	v->str = keys_expanduser(s);
	if (keys_isdir(v->str))
		return 0;
	xasprintf(why, "%s is not an existing directory", s);
	return -1;
}

/* The directory of the ~-expanded path must exist; a bare name has none. */
static int
keys_dirpath(const char *s, struct key_value *v, char **why)
{
	char	*dir;
	int	 ok;

	v->str = keys_expanduser(s);
	dir = keys_dirname(v->str);
	ok = *dir == '\0' || keys_isdir(dir);
	free(dir);
	if (ok)
		return 0;
	xasprintf(why, "The directory named as part of the path %s does not "
	    "exist", s);
	return -1;
}

/*
 * An empty value is no file: supervisord keeps an empty path, which never
 * opens anything.
 */
static int
keys_logfile(const char *s, struct key_value *v, char **why)
{
	if (*s == '\0' || strcasecmp(s, "none") == 0 ||
	    strcasecmp(s, "off") == 0)
		v->lf = LOGFILE_NONE;
	else if (strcasecmp(s, "auto") == 0)
		v->lf = LOGFILE_AUTO;
	else if (strcasecmp(s, "syslog") == 0)
		v->lf = LOGFILE_SYSLOG;
	else {
		v->lf = LOGFILE_PATH;
		return keys_dirpath(s, v, why);
	}
	return 0;
}

/* supervisord's name_to_uid: a number must be an existing uid too. */
static int
keys_user(const char *s, uid_t *uid, gid_t *gid, char **why)
{
	struct passwd	*pw;
	long long	 n;

	if (keys_pyint(s, 10, &n) == 0) {
		if (n < 0 || n > UINT_MAX - 1 ||
		    (pw = getpwuid((uid_t)n)) == NULL) {
			xasprintf(why, "Invalid user id %s", s);
			return -1;
		}
	} else if ((pw = getpwnam(s)) == NULL) {
		xasprintf(why, "Invalid user name %s", s);
		return -1;
	}
	*uid = pw->pw_uid;
	if (gid != NULL)
		*gid = pw->pw_gid;
	return 0;
}

static int
keys_group(const char *s, gid_t *gid)
{
	struct group	*gr;
	long long	 n;

	if (keys_pyint(s, 10, &n) == 0) {
		if (n < 0 || n > UINT_MAX - 1 ||
		    (gr = getgrgid((gid_t)n)) == NULL)
			return -1;
	} else if ((gr = getgrnam(s)) == NULL)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

static int
keys_usergroup(const char *s, struct key_value *v, char **why)
{
	const char	*colon;
	char		*user, *err = NULL;
	int		 rc;

	v->str = xstrdup(s);
	v->gid = (gid_t)-1;
	colon = strchr(s, ':');
	user = colon == NULL ? xstrdup(s) : xstrndup(s, colon - s);
	rc = keys_user(user, &v->uid, NULL, &err);
	free(user);
	free(err);
	if (rc == 0 && colon != NULL)
		rc = keys_group(colon + 1, &v->gid);
	if (rc != 0)
		xasprintf(why, "Invalid user:group definition %s", s);
	return rc;
}

static void
keys_strip(const char *s, const char **start, size_t *len)
{
	*len = strlen(s);
	while (*len > 0 && keys_isspace((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && keys_isspace((unsigned char)s[*len - 1]))
		(*len)--;
	*start = s;
}

/* supervisord's inet_address, with its messages (even the odd ones). */
static int
keys_inet(const char *s, struct key_value *v, char **why)
{
	static const struct key_def	 port = { .min = 1, .max = 65535 };
	const char			*colon;
	char				*r;
	size_t				 i;

	if ((colon = strrchr(s, ':')) == NULL) {
		if (keys_int(&port, s, v, why) != 0) {
			free(*why);
			r = expand_repr(s);
			xasprintf(why, "not a valid port number: %s ", r);
			free(r);
			return -1;
		}
		v->str = xstrdup("");
		return 0;
	}
	if (colon[1] == '\0') {
		*why = xstrdup("no port number specified in ''");
		return -1;
	}
	if (keys_int(&port, colon + 1, v, why) != 0)
		return -1;
	v->str = xstrndup(s, colon - s);
	for (i = 0; v->str[i] != '\0'; i++) {
		if (v->str[i] >= 'A' && v->str[i] <= 'Z')
			v->str[i] += 'a' - 'A';
	}
	if (strcmp(v->str, "*") == 0)
		v->str[0] = '\0';
	return 0;
}

static void
keys_list(const char *s, struct key_value *v)
{
	const char	*p = s, *comma, *start;
	char		*part;
	size_t		 len;

	if (*s == '\0')
		return;
	for (;;) {
		comma = strchr(p, ',');
		part = comma == NULL ? xstrdup(p) : xstrndup(p, comma - p);
		keys_strip(part, &start, &len);
		v->list = xreallocarray(v->list, v->nlist + 1,
		    sizeof *v->list);
		v->list[v->nlist++] = xstrndup(start, len);
		free(part);
		if (comma == NULL)
			return;
		p = comma + 1;
	}
}

/* r is NULL for values that come from the command line. */
static int
keys_parse(const struct key_reader *r, const struct key_def *k,
    const char *s, struct key_value *v, char **why)
{
	const struct ini_entry	*e = v->entry;
	const char		*start;
	char			*warning = NULL, *tmp;
	size_t			 len;

	switch (k->type) {
	case KEY_STRING:
		v->str = xstrdup(s);
		return 0;
	case KEY_BOOL:
		return keys_bool(s, v, why);
	case KEY_INT:
		return keys_int(k, s, v, why);
	case KEY_SIZE:
		return keys_size(k, s, v, why);
	case KEY_OCTAL:
		return keys_octal(k, s, v, why);
	case KEY_SIGNAL:
		return keys_signal(s, v, why);
	case KEY_EXITCODES:
		return keys_exitcodes(s, v, why);
	case KEY_AUTORESTART:
		return keys_autorestart(s, v, why);
	case KEY_LOGLEVEL:
		return keys_loglevel(s, v, why);
	case KEY_LOGFILE:
		return keys_logfile(s, v, why);
	case KEY_DIR:
		return keys_dir(s, v, why);
	case KEY_DIRPATH:
		if (keys_dirpath(s, v, why) != 0)
			return -1;
		if ((k->flags & KF_ABSPATH) &&
		    !((k->flags & KF_SYSLOG) && strcmp(v->str, "syslog") == 0)) {
			tmp = keys_abspath(v->str);
			free(v->str);
			v->str = tmp;
		}
		return 0;
	case KEY_PATH:
		keys_strip(s, &start, &len);
		if (len > 0) {
			tmp = xstrndup(start, len);
			v->str = keys_abspath(tmp);
			free(tmp);
		}
		return 0;
	case KEY_USER:
		v->str = xstrdup(s);
		return keys_user(s, &v->uid, &v->gid, why);
	case KEY_USERGROUP:
		return keys_usergroup(s, v, why);
	case KEY_ENV:
		if (envlist_parse(&v->env, s, why, &warning) != 0)
			return -1;
		if (warning != NULL && r != NULL)
			keys_warn(r, e, k->name, "%s", warning);
		free(warning);
		return 0;
	case KEY_INET:
		return keys_inet(s, v, why);
	case KEY_LIST:
		keys_list(s, v);
		return 0;
	}
	return 0;
}

int
keys_convert(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	memset(v, 0, sizeof *v);
	v->set = 1;
	if (keys_parse(NULL, k, s, v, why) == 0)
		return 0;
	keys_value_clear(v);
	return -1;
}

int
keys_read(const struct key_reader *r, const struct key_def *k,
    struct key_value *v)
{
	const char	*text;
	char		*def = NULL, *exp = NULL, *why = NULL, *what = NULL;
	int		 rc = 0;

	memset(v, 0, sizeof *v);
	if ((v->entry = ini_get(r->ini, r->s, k->name)) != NULL)
		text = v->entry->value;
	else if (k->def_fn != NULL)
		text = def = k->def_fn();
	else if ((text = k->def) == NULL)
		return 0;
	v->set = 1;
	/* Defaults too: supervisord expands every string saneget() returns. */
	if (r->ctx != NULL) {
		if (k->what == NULL)
			xasprintf(&what, "%s.%s", r->section, k->name);
		if (expand(text, r->ctx, k->what != NULL ? k->what : what,
		    &exp, &why) != 0) {
			rc = keys_error(r, v->entry, k->name, "%s", why);
			goto out;
		}
		text = exp;
	}
	if (keys_parse(r, k, text, v, &why) != 0) {
		if (k->errmsg != NULL) {
			free(why);
			xasprintf(&why, "%s %s", k->errmsg, text);
		}
		rc = keys_fail(r, k, v->entry, why);
	}
out:
	if (rc != 0)
		keys_value_clear(v);
	free(why);
	free(what);
	free(exp);
	free(def);
	return rc;
}

void
keys_value_clear(struct key_value *v)
{
	size_t	i;

	free(v->str);
	free(v->codes);
	for (i = 0; i < v->nlist; i++)
		free(v->list[i]);
	free(v->list);
	envlist_clear(&v->env);
	memset(v, 0, sizeof *v);
}

#define AT(obj, off, type)	((type *)(void *)((char *)(obj) + (off)))

/* Strings, lists and environments move into obj; the old ones are freed. */
void
keys_store(const struct key_def *k, void *obj, struct key_value *v)
{
	struct channel_config	*c;

	if (!k->store || !v->set)
		return;
	switch (k->type) {
	case KEY_BOOL:
	case KEY_INT:
	case KEY_OCTAL:
	case KEY_SIGNAL:
	case KEY_AUTORESTART:
	case KEY_LOGLEVEL:
		*AT(obj, k->off, int) = (int)v->num;
		break;
	case KEY_SIZE:
		*AT(obj, k->off, long long) = v->num;
		break;
	case KEY_EXITCODES:
		free(*AT(obj, k->off, int *));
		*AT(obj, k->off, int *) = v->codes;
		*AT(obj, k->off2, size_t) = v->ncodes;
		v->codes = NULL;
		break;
	case KEY_LOGFILE:
		c = AT(obj, k->off, struct channel_config);
		c->kind = v->lf;
		free(c->path);
		c->path = v->str;
		v->str = NULL;
		break;
	case KEY_USER:
	case KEY_USERGROUP:
		*AT(obj, k->off2, uid_t) = v->uid;
		*AT(obj, k->off3, gid_t) = v->gid;
		/* FALLTHROUGH */
	case KEY_STRING:
	case KEY_DIR:
	case KEY_DIRPATH:
	case KEY_PATH:
		free(*AT(obj, k->off, char *));
		*AT(obj, k->off, char *) = v->str;
		v->str = NULL;
		break;
	case KEY_INET:
		free(*AT(obj, k->off, char *));
		*AT(obj, k->off, char *) = v->str;
		*AT(obj, k->off2, int) = (int)v->num;
		v->str = NULL;
		break;
	case KEY_ENV:
		envlist_clear(AT(obj, k->off, struct envlist));
		*AT(obj, k->off, struct envlist) = v->env;
		memset(&v->env, 0, sizeof v->env);
		break;
	case KEY_LIST:
		break;
	}
}

int
keys_apply(const struct key_reader *r, enum key_stage stage, void *obj)
{
	const struct key_def	*k;
	struct key_value	 v;
	size_t			 i;

	for (i = 0; i < keys_count; i++) {
		k = &keys_table[i];
		if (!(k->sections & r->kind) || k->stage != stage)
			continue;
		if (keys_read(r, k, &v) != 0)
			return -1;
		keys_store(k, obj, &v);
		keys_value_clear(&v);
	}
	return 0;
}

void
keys_check_unknown(const struct key_reader *r)
{
	const struct ini_entry	*e;
	size_t			 i;

	if (r->s == NULL)
		return;
	for (i = 0; i < r->s->n; i++) {
		e = &r->s->entries[i];
		if (!e->inherited && keys_find(r->kind, e->key) == NULL)
			keys_warn(r, e, NULL, "ignoring unknown key '%s'",
			    e->key);
	}
}

/* The event types of supervisord's EventTypes (section 10.4). */
int
keys_event_valid(const char *name)
{
	static const char *const	 names[] = {
		"EVENT", "PROCESS_STATE", "PROCESS_STATE_STOPPED",
		"PROCESS_STATE_EXITED", "PROCESS_STATE_STARTING",
		"PROCESS_STATE_STOPPING", "PROCESS_STATE_BACKOFF",
		"PROCESS_STATE_FATAL", "PROCESS_STATE_RUNNING",
		"PROCESS_STATE_UNKNOWN", "PROCESS_COMMUNICATION",
		"PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION_STDERR",
		"PROCESS_LOG", "PROCESS_LOG_STDOUT", "PROCESS_LOG_STDERR",
		"REMOTE_COMMUNICATION", "SUPERVISOR_STATE_CHANGE",
		"SUPERVISOR_STATE_CHANGE_RUNNING",
		"SUPERVISOR_STATE_CHANGE_STOPPING", "TICK", "TICK_5",
		"TICK_60", "TICK_3600", "PROCESS_GROUP", "PROCESS_GROUP_ADDED",
		"PROCESS_GROUP_REMOVED", NULL
	};
	size_t				 i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], name) == 0)
			return 1;
	}
	return 0;
}

char *
keys_expanduser(const char *path)
{
	struct passwd	*pw;
	const char	*home, *slash;
	char		*name, *out;
	size_t		 hlen;

	if (path[0] != '~')
		return xstrdup(path);
	if ((slash = strchr(path + 1, '/')) == NULL)
		slash = path + strlen(path);
	if (slash == path + 1) {
		if ((home = getenv("HOME")) == NULL) {
			if ((pw = getpwuid(getuid())) == NULL)
				return xstrdup(path);
			home = pw->pw_dir;
		}
	} else {
		name = xstrndup(path + 1, slash - path - 1);
		pw = getpwnam(name);
		free(name);
		if (pw == NULL)
			return xstrdup(path);
		home = pw->pw_dir;
	}
	hlen = strlen(home);
	while (hlen > 0 && home[hlen - 1] == '/')
		hlen--;
	xasprintf(&out, "%.*s%s", (int)hlen, home, slash);
	if (*out == '\0') {
		free(out);
		out = xstrdup("/");
	}
	return out;
}

char *
keys_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');
	size_t		 len, i;

	if (slash == NULL)
		return xstrdup("");
	len = slash - path + 1;
	/* Trailing slashes go, unless the head is made of slashes only. */
	for (i = 0; i < len && path[i] == '/'; i++)
		/* nothing */;
	if (i < len) {
		while (len > 0 && path[len - 1] == '/')
			len--;
	}
	return xstrndup(path, len);
}

/* os.path.normpath(os.path.abspath(os.path.expanduser(path))). */
char *
keys_abspath(const char *path)
{
	char	*full, *cwd, *out, *p, *comp, *save = NULL;
	size_t	 len = 0, n, lead;

	full = keys_expanduser(path);
	if (full[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL)
			cwd = xstrdup("/");
		p = xprintf("%s/%s", cwd, full);
		free(cwd);
		free(full);
		full = p;
	}
	lead = (full[1] == '/' && full[2] != '/') ? 2 : 1;
	out = xmalloc(strlen(full) + 3);
	memset(out, '/', lead);
	len = lead;
	for (comp = strtok_r(full, "/", &save); comp != NULL;
	    comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			while (len > lead && out[len - 1] != '/')
				len--;
			if (len > lead)
				len--;
			continue;
		}
		if (len > lead)
			out[len++] = '/';
		n = strlen(comp);
		memcpy(out + len, comp, n);
		len += n;
	}
	out[len] = '\0';
	free(full);
	return out;
}
