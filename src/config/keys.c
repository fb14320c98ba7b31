/* SPDX-License-Identifier: ISC */
/*
 * The table of every key supervisord reads, with its section kinds, type,
 * default, limits and where config.c stores it; and the reader that turns a
 * key of a section into a checked value (parsed by keys-type.c) with
 * supervisord's messages.
 */
#include <sys/types.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/internal.h"
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
		    keys_type_isdir(v))
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

int
keys_convert(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	memset(v, 0, sizeof *v);
	v->set = 1;
	if (keys_type_parse(NULL, k, s, v, why) == 0)
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
	/*
	 * Defaults too: supervisord expands every string saneget() returns.
	 * Without a '%' the expansion is the text itself.
	 */
	if (r->ctx != NULL && strchr(text, '%') != NULL) {
		if (k->what == NULL)
			xasprintf(&what, "%s.%s", r->section, k->name);
		if (expand(text, r->ctx, k->what != NULL ? k->what : what,
		    &exp, &why) != 0) {
			rc = keys_error(r, v->entry, k->name, "%s", why);
			goto out;
		}
		text = exp;
	}
	if (keys_type_parse(r, k, text, v, &why) != 0) {
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
