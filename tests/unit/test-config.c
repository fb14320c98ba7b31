/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/config.c and the key table: whole configuration
 * files written to a private temporary directory, loaded, and checked
 * against what supervisord 4.2.5 builds from them (values, order, messages),
 * plus the project's own checks and error format.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"
#include "util/xmalloc.h"

struct fixture {
	char	 dir[64];
	char	*cwd;
};

static struct fixture	*fx;

static int
setup(void **state)
{
	fx = xcalloc(1, sizeof *fx);
	strcpy(fx->dir, "/tmp/test-config-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	fx->cwd = getcwd(NULL, 0);
	/* Relative paths resolve against the current directory. */
	if (chdir(fx->dir) != 0)
		return -1;
	unsetenv("TMPDIR");
	unsetenv("TEMP");
	unsetenv("TMP");
	*state = fx;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	if (chdir(fx->cwd) != 0)
		return -1;
	nftw(fx->dir, rm_one, 16, FTW_DEPTH|FTW_PHYS);
	free(fx->cwd);
	free(fx);
	return 0;
}

/* Writes text to dir/name (creating dir/sub as needed); returns the path. */
static char *
put_path(const char *name, const char *text)
{
	char	*path, *slash;
	FILE	*f;

	path = xprintf("%s/%s", fx->dir, name);
	for (slash = strchr(path + strlen(fx->dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	fclose(f);
	return path;
}

static void
put(const char *name, const char *text)
{
	free(put_path(name, text));
}

static struct config *
load(const char *text)
{
	struct config	*cfg;
	char		*path, *cause = NULL;

	path = put_path("t.conf", text);
	cfg = config_load(path, &cause);
	if (cfg == NULL)
		fail_msg("config_load: %s", cause);
	free(path);
	return cfg;
}

/* Loads text, which must fail; returns the cause. */
static char *
load_error(const char *text)
{
	struct config	*cfg;
	char		*path, *cause = NULL;

	path = put_path("bad.conf", text);
	cfg = config_load(path, &cause);
	if (cfg != NULL)
		fail_msg("config_load of a bad config succeeded:\n%s", text);
	assert_non_null(cause);
	free(path);
	return cause;
}

static const struct process_config *
proc(const struct config *cfg, const char *group, size_t i)
{
	const struct group_config	*g;

	g = config_find_group(cfg, group);
	if (g == NULL)
		fail_msg("no group %s", group);
	assert_true(i < g->nprocs);
	return g->procs[i];
}

static int
has_message(const struct config *cfg, enum log_level level, const char *text)
{
	size_t	i;

	for (i = 0; i < cfg->nmessages; i++) {
		if (cfg->messages[i].level == level &&
		    strstr(cfg->messages[i].text, text) != NULL)
			return 1;
	}
	return 0;
}

static char *
in_dir(const char *name)
{
	return xprintf("%s/%s", fx->dir, name);
}

static void
test_defaults(void **state)
{
	const struct process_config	*p;
	const struct group_config	*g;
	struct config			*cfg;
	char				*path;

	(void)state;
	cfg = load("[supervisord]\n[program:a]\ncommand=/bin/true\n");
	path = in_dir("supervisord.log");
	assert_string_equal(cfg->sd.logfile, path);
	free(path);
	path = in_dir("supervisord.pid");
	assert_string_equal(cfg->sd.pidfile, path);
	free(path);
	assert_int_equal(cfg->sd.logfile_maxbytes, 50 * 1024 * 1024);
	assert_int_equal(cfg->sd.logfile_backups, 10);
	assert_int_equal(cfg->sd.loglevel, LOG_LEVEL_INFO);
	assert_int_equal(cfg->sd.umask, 022);
	assert_int_equal(cfg->sd.minfds, 1024);
	assert_int_equal(cfg->sd.minprocs, 200);
	assert_false(cfg->sd.nodaemon);
	assert_false(cfg->sd.silent);
	assert_false(cfg->sd.nocleanup);
	assert_false(cfg->sd.strip_ansi);
	assert_string_equal(cfg->sd.childlogdir, "/tmp");
	assert_string_equal(cfg->sd.identifier, "supervisor");
	assert_null(cfg->sd.user);
	assert_null(cfg->sd.directory);
	assert_int_equal(cfg->sd.environment.n, 0);
	assert_int_equal(cfg->ngroups, 1);
	g = cfg->groups[0];
	assert_int_equal(g->refs, 1);
	assert_int_equal(g->kind, GROUP_PROGRAM);
	assert_string_equal(g->name, "a");
	assert_int_equal(g->priority, 999);
	assert_int_equal(g->nprocs, 1);
	p = g->procs[0];
	assert_string_equal(p->name, "a");
	assert_string_equal(p->program, "a");
	assert_string_equal(p->section, "program:a");
	assert_string_equal(p->command, "/bin/true");
	assert_null(p->directory);
	assert_int_equal(p->umask, -1);
	assert_null(p->user);
	assert_int_equal(p->priority, 999);
	assert_true(p->autostart);
	assert_int_equal(p->autorestart, AUTORESTART_UNEXPECTED);
	assert_int_equal(p->startsecs, 1);
	assert_int_equal(p->startretries, 3);
	assert_int_equal(p->nexitcodes, 1);
	assert_int_equal(p->exitcodes[0], 0);
	assert_int_equal(p->stopsignal, SIGTERM);
	assert_int_equal(p->stopwaitsecs, 10);
	assert_false(p->stopasgroup);
	assert_false(p->killasgroup);
	assert_false(p->redirect_stderr);
	assert_int_equal(p->out.kind, LOGFILE_AUTO);
	assert_null(p->out.path);
	assert_int_equal(p->out.maxbytes, 50 * 1024 * 1024);
	assert_int_equal(p->out.backups, 10);
	assert_int_equal(p->out.capture_maxbytes, 0);
	assert_false(p->out.events_enabled);
	assert_false(p->out.syslog);
	assert_int_equal(p->err.kind, LOGFILE_AUTO);
	assert_int_equal(p->env.n, 0);
	assert_string_equal(p->serverurl, "AUTO");
	assert_int_equal(cfg->nservers, 0);
	assert_false(cfg->has_ctl);
	assert_false(cfg->has_rpcinterface);
	assert_string_equal(cfg->ctl.serverurl, "http://localhost:9001");
	assert_string_equal(cfg->ctl.prompt, "supervisor");
	assert_null(cfg->ctl.username);
	assert_null(cfg->ctl.history_file);
	assert_int_equal(cfg->nmessages, 0);
	config_free(cfg);
	config_free(NULL);
}

static void
test_program_keys(void **state)
{
	const struct process_config	*p;
	struct config			*cfg;
	char				*dir;

	(void)state;
	dir = in_dir("logs");
	mkdir(dir, 0755);
	cfg = load("[supervisord]\n[program:full]\n"
	    "command = /bin/sh -c 'echo hi'\n"
	    "priority = -5\nautostart = off\nautorestart = TRUE\n"
	    "startsecs = 0\nstartretries = 7\nexitcodes = 0, 2 ,255\n"
	    "stopsignal = sigint\nstopwaitsecs = 3\nstopasgroup = yes\n"
	    "user = root\nredirect_stderr = 1\n"
	    "stdout_logfile = logs/out.log\n"
	    "stdout_logfile_maxbytes = 10 KB\nstdout_logfile_backups = 0\n"
	    "stdout_capture_maxbytes = 1mb\nstdout_events_enabled = true\n"
	    "stdout_syslog = on\nstderr_logfile = NONE\n"
	    "stderr_logfile_maxbytes = 2GB\nstderr_logfile_backups = 3\n"
	    "stderr_capture_maxbytes = 5\nstderr_events_enabled = 1\n"
	    "stderr_syslog = true\nenvironment = A=\"1 2\",B=b\n"
	    "directory = /tmp\numask = 0o27\nserverurl = http://h:1\n");
	p = proc(cfg, "full", 0);
	assert_string_equal(p->command, "/bin/sh -c 'echo hi'");
	assert_int_equal(p->priority, -5);
	assert_false(p->autostart);
	assert_int_equal(p->autorestart, AUTORESTART_ALWAYS);
	assert_int_equal(p->startsecs, 0);
	assert_int_equal(p->startretries, 7);
	assert_int_equal(p->nexitcodes, 3);
	assert_int_equal(p->exitcodes[1], 2);
	assert_int_equal(p->exitcodes[2], 255);
	assert_int_equal(p->stopsignal, SIGINT);
	assert_int_equal(p->stopwaitsecs, 3);
	assert_true(p->stopasgroup);
	/* killasgroup follows stopasgroup when not given. */
	assert_true(p->killasgroup);
	assert_string_equal(p->user, "root");
	assert_int_equal(p->uid, 0);
	assert_int_equal(p->gid, 0);
	assert_true(p->redirect_stderr);
	assert_int_equal(p->out.kind, LOGFILE_PATH);
	assert_string_equal(p->out.path, "logs/out.log");
	assert_int_equal(p->out.maxbytes, 10 * 1024);
	assert_int_equal(p->out.backups, 0);
	assert_int_equal(p->out.capture_maxbytes, 1024 * 1024);
	assert_true(p->out.events_enabled);
	assert_true(p->out.syslog);
	assert_int_equal(p->err.kind, LOGFILE_NONE);
	assert_int_equal(p->err.maxbytes, 2LL * 1024 * 1024 * 1024);
	assert_int_equal(p->err.backups, 3);
	assert_int_equal(p->err.capture_maxbytes, 5);
	assert_true(p->err.events_enabled);
	assert_true(p->err.syslog);
	assert_int_equal(p->env.n, 2);
	assert_string_equal(envlist_get(&p->env, "A"), "1 2");
	assert_string_equal(p->directory, "/tmp");
	assert_int_equal(p->umask, 027);
	assert_string_equal(p->serverurl, "http://h:1");
	config_free(cfg);
	free(dir);

	cfg = load("[supervisord]\n[program:a]\ncommand=a\nexitcodes=\n"
	    "stopsignal=9\nserverurl= auto \nautorestart=false\n"
	    "stopasgroup=true\nkillasgroup=true\n[program:b]\ncommand=b\n"
	    "serverurl=\nautorestart=Unexpected\nkillasgroup=true\n"
	    "stdout_logfile=off\nstderr_logfile=\n");
	p = proc(cfg, "a", 0);
	/* An empty list: no exit status is expected. */
	assert_int_equal(p->nexitcodes, 0);
	assert_false(process_config_expected(p, 0));
	assert_int_equal(p->stopsignal, SIGKILL);
	assert_string_equal(p->serverurl, "AUTO");
	assert_int_equal(p->autorestart, AUTORESTART_NEVER);
	p = proc(cfg, "b", 0);
	assert_string_equal(p->serverurl, "");
	assert_int_equal(p->autorestart, AUTORESTART_UNEXPECTED);
	assert_false(p->stopasgroup);
	assert_true(p->killasgroup);
	assert_int_equal(p->out.kind, LOGFILE_NONE);
	assert_int_equal(p->err.kind, LOGFILE_NONE);
	config_free(cfg);
}

static void
test_supervisord_keys(void **state)
{
	struct config	*cfg;
	char		*path;

	(void)state;
	mkdir("sub", 0755);
	cfg = load("[supervisord]\nlogfile = sub/../main.log\n"
	    "logfile_maxbytes = 0\nlogfile_backups = 0\nloglevel = BLATHER\n"
	    "pidfile = ./sub/x.pid\numask = 077\nnodaemon = true\n"
	    "silent = yes\nminfds = 10\nminprocs = 20\nnocleanup = 1\n"
	    "childlogdir = sub\nuser = 0\ndirectory = /tmp\n"
	    "strip_ansi = on\nenvironment = X=\"a b\",Y=%(here)s\n"
	    "identifier = ident\n");
	path = in_dir("main.log");
	assert_string_equal(cfg->sd.logfile, path);
	free(path);
	path = in_dir("sub/x.pid");
	assert_string_equal(cfg->sd.pidfile, path);
	free(path);
	assert_int_equal(cfg->sd.logfile_maxbytes, 0);
	assert_int_equal(cfg->sd.logfile_backups, 0);
	assert_int_equal(cfg->sd.loglevel, LOG_LEVEL_BLATHER);
	assert_int_equal(cfg->sd.umask, 077);
	assert_true(cfg->sd.nodaemon);
	assert_true(cfg->sd.silent);
	assert_int_equal(cfg->sd.minfds, 10);
	assert_int_equal(cfg->sd.minprocs, 20);
	assert_true(cfg->sd.nocleanup);
	assert_string_equal(cfg->sd.childlogdir, "sub");
	assert_string_equal(cfg->sd.user, "0");
	assert_int_equal(cfg->sd.uid, 0);
	assert_int_equal(cfg->sd.gid, 0);
	assert_string_equal(cfg->sd.directory, "/tmp");
	assert_true(cfg->sd.strip_ansi);
	assert_string_equal(envlist_get(&cfg->sd.environment, "X"), "a b");
	assert_string_equal(envlist_get(&cfg->sd.environment, "Y"), fx->dir);
	assert_string_equal(cfg->sd.identifier, "ident");
	config_free(cfg);

	cfg = load("[supervisord]\nlogfile=syslog\nloglevel=warn\n");
	assert_string_equal(cfg->sd.logfile, "syslog");
	assert_int_equal(cfg->sd.loglevel, LOG_LEVEL_WARN);
	config_free(cfg);
}

static void
test_childlogdir_default(void **state)
{
	struct config	*cfg;

	(void)state;
	mkdir("tmpdir", 0755);
	setenv("TMPDIR", "/nonexistent-dir", 1);
	setenv("TEMP", "tmpdir", 1);
	cfg = load("[supervisord]\n");
	/* The first usable one, made absolute. */
	assert_true(strncmp(cfg->sd.childlogdir, fx->dir,
	    strlen(fx->dir)) == 0);
	assert_string_equal(cfg->sd.childlogdir + strlen(fx->dir), "/tmpdir");
	config_free(cfg);
	setenv("TMPDIR", fx->dir, 1);
	cfg = load("[supervisord]\n");
	assert_string_equal(cfg->sd.childlogdir, fx->dir);
	config_free(cfg);
	unsetenv("TMPDIR");
	unsetenv("TEMP");
}

static void
test_dialect(void **state)
{
	const struct process_config	*p;
	struct config			*cfg;

	(void)state;
	cfg = load("; supervisord.conf\r\n[supervisord]\r\n"
	    "nodaemon = true ; inline\r\n\r\n[program:cat]\r\n"
	    "  Command = /bin/cat\r\n    -n  ; numbered\r\n"
	    "    # a comment line\r\n    /etc/passwd\r\n"
	    "  AUTOSTART: false\r\n  stopsignal=HUP #comment\r\n"
	    "  environment=A=x#y\r\n"
	    "[program:more]\r\ncommand = x\r\n  stopsignal = INT\r\n");
	assert_true(cfg->sd.nodaemon);
	p = proc(cfg, "cat", 0);
	assert_string_equal(p->command, "/bin/cat\n-n\n/etc/passwd");
	assert_false(p->autostart);
	assert_int_equal(p->stopsignal, SIGHUP);
	/* '#' without a blank before it is no comment for the INI. */
	assert_string_equal(envlist_get(&p->env, "A"), "x");
	assert_int_equal(cfg->nmessages, 1);
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:12: the value "
	    "of A is read as 'x'"));
	/* Indented further than its key: a continuation, as in Python. */
	assert_string_equal(proc(cfg, "more", 0)->command,
	    "x\nstopsignal = INT");
	config_free(cfg);
}

static void
test_default_section(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = load("[DEFAULT]\nautostart = false\nstartsecs = 4\n"
	    "[supervisord]\n[program:a]\ncommand = a\n[program:b]\n"
	    "command = b\nautostart = true\n");
	assert_false(proc(cfg, "a", 0)->autostart);
	assert_int_equal(proc(cfg, "a", 0)->startsecs, 4);
	assert_true(proc(cfg, "b", 0)->autostart);
	assert_int_equal(proc(cfg, "b", 0)->startsecs, 4);
	/* Keys of [DEFAULT] are not unknown keys of each section. */
	assert_int_equal(cfg->nmessages, 0);
	config_free(cfg);
}

static void
test_include(void **state)
{
	const struct process_config	*p;
	struct config			*cfg;
	char				*path, *cause = NULL, *want;

	(void)state;
	put("conf.d/b.conf", "[supervisord]\nidentifier = from_b\n"
	    "[program:b]\ncommand = %(here)s/b\n");
	put("conf.d/a.conf", "[program:a]\r\ncommand = %(here)s/a\r\n"
	    "  --flag\r\n[include]\r\nfiles = /nonexistent/*.conf\r\n");
	put("conf.d/skip.ini", "[program:skip]\ncommand = x\n");
	put("other/x.conf", "[program:x]\ncommand = x\n"
	    "stdout_logfile = %(here)s/x.log\n");
	path = put_path("main.conf", "[DEFAULT]\n"
	    "stderr_logfile = %(here)s/err-%(program_name)s.log\n"
	    "[supervisord]\nlogfile = %(here)s/main.log\n"
	    "[include]\nfiles = conf.d/*.conf nomatch/*.conf\n"
	    "   other/?.conf\n[program:m]\ncommand = %(here)s/m\n");
	cfg = config_load(path, &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	assert_int_equal(cfg->ngroups, 4);
	assert_null(config_find_group(cfg, "skip"));
	p = proc(cfg, "a", 0);
	want = xprintf("%s/conf.d/a\n--flag", fx->dir);
	assert_string_equal(p->command, want);
	free(want);
	want = xprintf("%s/conf.d/b", fx->dir);
	assert_string_equal(proc(cfg, "b", 0)->command, want);
	free(want);
	want = xprintf("%s/m", fx->dir);
	assert_string_equal(proc(cfg, "m", 0)->command, want);
	free(want);
	want = xprintf("%s/other/x.log", fx->dir);
	assert_string_equal(proc(cfg, "x", 0)->out.path, want);
	free(want);
	/* A [DEFAULT] %(here)s is the directory of each section's file. */
	want = xprintf("%s/err-m.log", fx->dir);
	assert_string_equal(proc(cfg, "m", 0)->err.path, want);
	free(want);
	want = xprintf("%s/other/err-x.log", fx->dir);
	assert_string_equal(proc(cfg, "x", 0)->err.path, want);
	free(want);
	want = xprintf("%s/conf.d/err-a.log", fx->dir);
	assert_string_equal(proc(cfg, "a", 0)->err.path, want);
	free(want);
	/* [supervisord] repeated in an included file is merged. */
	assert_string_equal(cfg->sd.identifier, "from_b");
	want = xprintf("%s/main.log", fx->dir);
	assert_string_equal(cfg->sd.logfile, want);
	free(want);
	/* Warnings first, then infos in the order the files were read. */
	assert_int_equal(cfg->nmessages, 4);
	assert_int_equal(cfg->messages[0].level, LOG_LEVEL_WARN);
	want = xprintf("No file matches via include \"%s/nomatch/*.conf\"",
	    fx->dir);
	assert_string_equal(cfg->messages[0].text, want);
	free(want);
	want = xprintf("Included extra file \"%s/conf.d/a.conf\" during "
	    "parsing", fx->dir);
	assert_int_equal(cfg->messages[1].level, LOG_LEVEL_INFO);
	assert_string_equal(cfg->messages[1].text, want);
	free(want);
	assert_non_null(strstr(cfg->messages[2].text, "conf.d/b.conf"));
	assert_non_null(strstr(cfg->messages[3].text, "other/x.conf"));
	config_free(cfg);
	free(path);
}

static void
test_include_errors(void **state)
{
	char	*cause;

	(void)state;
	cause = load_error("[supervisord]\n[include]\n");
	assert_non_null(strstr(cause, "bad.conf:2: .ini file has [include] "
	    "section, but no files setting in section 'include'"));
	free(cause);

	put("inc/bad.conf", "[program:x]\ncommand = x\nnot valid\n");
	cause = load_error("[supervisord]\n[include]\nfiles = inc/*.conf\n");
	assert_non_null(strstr(cause, "/inc/bad.conf:3: Source contains "
	    "parsing errors: 'not valid'"));
	free(cause);

	/* A match that cannot be read (a directory) is an error. */
	mkdir("dir.d", 0755);
	mkdir("dir.d/sub.conf", 0755);
	cause = load_error("[supervisord]\n[include]\nfiles = dir.d/*.conf\n");
	assert_non_null(strstr(cause, "could not read config file"));
	assert_non_null(strstr(cause, "dir.d/sub.conf"));
	free(cause);

	cause = load_error("[supervisord]\n[include]\nfiles = %(nope)s\n");
	assert_non_null(strstr(cause, "bad.conf:3: Format string '%(nope)s' "
	    "for 'include.files' contains names ('nope')"));
	free(cause);
}

static void
test_env_expansion(void **state)
{
	const struct group_config	*g;
	const struct process_config	*p;
	struct config			*cfg;

	(void)state;
	setenv("TM_NP", "3", 1);
	setenv("TM_AS", "false", 1);
	setenv("TM_USER", "root", 1);
	setenv("TM_DIR", "/tmp", 1);
	cfg = load("[supervisord]\nenvironment = G=global,SHARED=sd\n"
	    "[program:w]\nnumprocs = %(ENV_TM_NP)s\n"
	    "autostart = %(ENV_TM_AS)s\nuser = %(ENV_TM_USER)s\n"
	    "process_name = w%(process_num)d\n"
	    "environment = L=l%(process_num)d,SHARED=own\n"
	    "command = /bin/echo %(ENV_G)s %(ENV_L)s %(ENV_SHARED)s\n"
	    "directory = %(ENV_TM_DIR)s\n");
	g = config_find_group(cfg, "w");
	assert_int_equal(g->nprocs, 3);
	p = g->procs[2];
	assert_false(p->autostart);
	assert_int_equal(p->uid, 0);
	assert_string_equal(p->command, "/bin/echo global l2 own");
	assert_string_equal(p->directory, "/tmp");
	/* [supervisord] environment merged in, the program's wins. */
	assert_int_equal(p->env.n, 3);
	assert_string_equal(envlist_get(&p->env, "G"), "global");
	assert_string_equal(envlist_get(&p->env, "SHARED"), "own");
	assert_string_equal(envlist_get(&p->env, "L"), "l2");
	config_free(cfg);
	unsetenv("TM_NP");
	unsetenv("TM_AS");
	unsetenv("TM_USER");
	unsetenv("TM_DIR");
}

static void
test_expansion_names(void **state)
{
	const struct process_config	*p;
	struct config			*cfg;
	char				*want;

	(void)state;
	cfg = load("[supervisord]\n[program:a]\n"
	    "command = %(here)s %(program_name)s %(group_name)s "
	    "%(process_num)d/%(numprocs)d %%s 100%%\n"
	    "[group:g]\nprograms = a\n");
	p = proc(cfg, "g", 0);
	want = xprintf("%s a g 0/1 %%s 100%%", fx->dir);
	assert_string_equal(p->command, want);
	free(want);
	config_free(cfg);
}

static void
test_numprocs(void **state)
{
	const struct group_config	*g;
	struct config			*cfg;
	char				 name[16];
	size_t				 i;

	(void)state;
	cfg = load("[supervisord]\n[program:web]\ncommand = web %(process_num)s\n"
	    "numprocs = 12\nnumprocs_start = 1\n"
	    "process_name = %(program_name)s_%(process_num)02d\n"
	    "stdout_logfile = /tmp/web-%(process_num)03d.log\n");
	g = config_find_group(cfg, "web");
	assert_int_equal(g->nprocs, 12);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "web_%02zu", i + 1);
		assert_string_equal(g->procs[i]->name, name);
	}
	assert_string_equal(g->procs[0]->command, "web 1");
	assert_string_equal(g->procs[11]->out.path, "/tmp/web-012.log");
	config_free(cfg);

	/* Sorted by name as strings, as supervisord does. */
	cfg = load("[supervisord]\n[program:w]\ncommand = w\nnumprocs = 11\n"
	    "process_name = w%(process_num)s\n");
	g = config_find_group(cfg, "w");
	assert_string_equal(g->procs[0]->name, "w0");
	assert_string_equal(g->procs[1]->name, "w1");
	assert_string_equal(g->procs[2]->name, "w10");
	assert_string_equal(g->procs[3]->name, "w2");
	config_free(cfg);
}

static void
test_heterogeneous(void **state)
{
	const struct group_config	*g;
	struct config			*cfg;

	(void)state;
	cfg = load("[supervisord]\n[program:a]\ncommand = a\npriority = 20\n"
	    "numprocs = 2\nprocess_name = a%(process_num)d\n"
	    "[program:b]\ncommand = b %(group_name)s\npriority = 10\n"
	    "[group:g]\nprograms = b , a\npriority = 5\n"
	    "[program:solo]\ncommand = s\n");
	assert_int_equal(cfg->ngroups, 2);
	assert_null(config_find_group(cfg, "a"));
	assert_null(config_find_group(cfg, "b"));
	g = config_find_group(cfg, "g");
	assert_int_equal(g->kind, GROUP_HETEROGENEOUS);
	assert_int_equal(g->priority, 5);
	assert_int_equal(g->nprocs, 3);
	/* The order of programs=, each program's processes sorted. */
	assert_string_equal(g->procs[0]->name, "b");
	assert_string_equal(g->procs[0]->command, "b g");
	assert_int_equal(g->procs[0]->priority, 10);
	assert_string_equal(g->procs[1]->name, "a0");
	assert_string_equal(g->procs[2]->name, "a1");
	assert_string_equal(g->procs[2]->program, "a");
	assert_string_equal(cfg->groups[0]->name, "g");
	config_free(cfg);

	cfg = load("[supervisord]\n[group:empty]\n");
	assert_int_equal(config_find_group(cfg, "empty")->nprocs, 0);
	config_free(cfg);
}

static void
test_sorting(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = load("[supervisord]\n[program:z]\ncommand = z\n"
	    "[program:b]\ncommand = b\npriority = 10\n"
	    "[program:a]\ncommand = a\npriority = 10\n"
	    "[program:neg]\ncommand = n\npriority = -3\n"
	    "[eventlistener:l]\ncommand = l\nevents = TICK_5\n"
	    "[group:g]\npriority = 500\n");
	assert_int_equal(cfg->ngroups, 6);
	assert_string_equal(cfg->groups[0]->name, "neg");
	assert_string_equal(cfg->groups[1]->name, "l");
	assert_string_equal(cfg->groups[2]->name, "a");
	assert_string_equal(cfg->groups[3]->name, "b");
	assert_string_equal(cfg->groups[4]->name, "g");
	assert_string_equal(cfg->groups[5]->name, "z");
	config_free(cfg);
}

static void
test_listener(void **state)
{
	const struct group_config	*g;
	struct config			*cfg;

	(void)state;
	cfg = load("[supervisord]\n[eventlistener:l]\ncommand = l\n"
	    "events = process_state, TICK_60,PROCESS_STATE\nbuffer_size = 3\n"
	    "[eventlistener:m]\ncommand = m\nevents = EVENT\npriority = 7\n");
	g = config_find_group(cfg, "l");
	assert_int_equal(g->kind, GROUP_EVENTLISTENER);
	assert_int_equal(g->priority, -1);
	assert_int_equal(g->buffer_size, 3);
	assert_int_equal(g->nevents, 2);
	assert_string_equal(g->events[0], "PROCESS_STATE");
	assert_string_equal(g->events[1], "TICK_60");
	/* The pool starts first, its processes keep priority 999. */
	assert_int_equal(g->procs[0]->priority, 999);
	g = config_find_group(cfg, "m");
	assert_int_equal(g->priority, 7);
	assert_int_equal(g->buffer_size, 10);
	config_free(cfg);
}

static void
test_fcgi(void **state)
{
	const struct group_config	*g;
	struct config			*cfg;
	char				*want;

	(void)state;
	cfg = load("[supervisord]\n[fcgi-program:f]\ncommand = f\n"
	    "socket = unix://%(here)s/x/../%(program_name)s.sock\n"
	    "socket_backlog = 5\nsocket_mode = 0660\n"
	    "[fcgi-program:t]\ncommand = t\nsocket = tcp://LocalHost:9002\n");
	g = config_find_group(cfg, "f");
	assert_int_equal(g->kind, GROUP_FCGI);
	want = xprintf("unix://%s/f.sock", fx->dir);
	assert_string_equal(g->socket, want);
	free(want);
	assert_int_equal(g->socket_backlog, 5);
	assert_int_equal(g->socket_mode, 0660);
	g = config_find_group(cfg, "t");
	assert_string_equal(g->socket, "tcp://localhost:9002");
	assert_int_equal(g->socket_backlog, -1);
	config_free(cfg);
}

static void
test_servers(void **state)
{
	const struct server_config	*s;
	struct config			*cfg;
	char				*want;

	(void)state;
	cfg = load("[supervisord]\n[unix_http_server]\nfile = ./run/../x.sock\n"
	    "chmod = 0770\nchown = root:root\nusername = u\n"
	    "password = {SHA}abc\n[inet_http_server]\nport = *:9001\n"
	    "[inet_http_server:two]\nport = LOCALHOST:9002\n"
	    "[inet_http_server_3]\nport = 9003\n"
	    "[supervisorctl]\nserverurl = unix://x.sock\nprompt = tm\n"
	    "history_file = ~/.hist\nusername = cu\n");
	assert_int_equal(cfg->nservers, 4);
	s = &cfg->servers[0];
	assert_false(s->is_unix);
	assert_string_equal(s->section, "inet_http_server");
	assert_string_equal(s->host, "");
	assert_int_equal(s->port, 9001);
	assert_null(s->username);
	assert_string_equal(cfg->servers[1].host, "localhost");
	assert_int_equal(cfg->servers[1].port, 9002);
	assert_string_equal(cfg->servers[2].host, "");
	s = &cfg->servers[3];
	assert_true(s->is_unix);
	want = in_dir("x.sock");
	assert_string_equal(s->path, want);
	assert_int_equal(s->chmod, 0770);
	assert_string_equal(s->chown, "root:root");
	assert_int_equal(s->chown_uid, 0);
	assert_int_equal(s->chown_gid, 0);
	assert_string_equal(s->username, "u");
	assert_string_equal(s->password, "{SHA}abc");
	assert_true(cfg->has_ctl);
	free(want);
	want = xprintf("unix://%s/x.sock", fx->dir);
	assert_string_equal(cfg->ctl.serverurl, want);
	free(want);
	assert_string_equal(cfg->ctl.prompt, "tm");
	assert_string_equal(cfg->ctl.username, "cu");
	assert_non_null(cfg->ctl.history_file);
	assert_true(cfg->ctl.history_file[0] == '/');
	assert_non_null(strstr(cfg->ctl.history_file, "/.hist"));
	config_free(cfg);

	cfg = load("[supervisord]\n[unix_http_server]\nfile = /tmp/a.sock\n");
	assert_int_equal(cfg->servers[0].chmod, 0700);
	assert_null(cfg->servers[0].chown);
	assert_int_equal(cfg->servers[0].chown_uid, (uid_t)-1);
	config_free(cfg);
}

static void
test_plugins(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = load("[supervisord]\n[rpcinterface:supervisor]\n"
	    "supervisor.rpcinterface_factory = "
	    "supervisor.rpcinterface:make_main_rpcinterface\nextra = 1\n");
	assert_true(cfg->has_rpcinterface);
	assert_int_equal(cfg->nmessages, 0);
	config_free(cfg);

	cfg = load("[supervisord]\n[rpcinterface:other]\n"
	    "supervisor.rpcinterface_factory = my.module:factory\n"
	    "[ctlplugin:x]\nsupervisor.ctl_factory = x:y\n");
	assert_false(cfg->has_rpcinterface);
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:3: my.module:"
	    "factory cannot be resolved within [rpcinterface:other]"));
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:4: "
	    "[ctlplugin:x] is not supported"));
	config_free(cfg);
}

static void
test_warnings(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = load("[supervisord]\n[program:a]\ncommand = a\ncomand = typo\n"
	    "stdout_logfile = syslog\nstderr_logfile = /tmp/e.log\n"
	    "redirect_stderr = true\n[program:b]\ncommand = b\n"
	    "numprocs = 2\nprocess_name = b%(process_num)d\n"
	    "stdout_logfile_maxbytes = 0\nenvironment = A=a b\n"
	    "[unknown_section]\nwhatever = 1\n");
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:4: ignoring "
	    "unknown key 'comand' in section 'program:a'"));
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "For [program:a], "
	    "stdout_logfile=syslog but this is deprecated and will be "
	    "removed.  Use stdout_syslog=true to enable syslog instead."));
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "For [program:a], "
	    "redirect_stderr=true but stderr_logfile has also been set to a "
	    "filename, the filename has been ignored"));
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "For [program:b], AUTO "
	    "logging used for stdout_logfile without rollover, set maxbytes "
	    "> 0 to avoid filling up filesystem unintentionally"));
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:13: the value of "
	    "A is read as 'a'"));
	/* Once, not once per process. */
	assert_int_equal(cfg->nmessages, 5);
	assert_int_equal(proc(cfg, "a", 0)->err.kind, LOGFILE_NONE);
	assert_true(proc(cfg, "a", 0)->out.syslog);
	config_free(cfg);
}

/* UTF-8 names load as they are; warnings never carry control characters. */
static void
test_text(void **state)
{
	struct config	*cfg;

	(void)state;
	cfg = load("[supervisord]\n[program:caf\xc3\xa9]\n"
	    "command = x \xe2\x98\x83 \xf0\x9f\x98\x80\n"
	    "\x1b[2Jkey = 1\n");
	assert_string_equal(proc(cfg, "caf\xc3\xa9", 0)->command,
	    "x \xe2\x98\x83 \xf0\x9f\x98\x80");
	assert_true(has_message(cfg, LOG_LEVEL_WARN, "t.conf:4: ignoring "
	    "unknown key '\\x1b[2jkey' in section 'program:caf\xc3\xa9'"));
	config_free(cfg);
}

/* Each config must fail with every one of the texts in the message. */
static const struct {
	const char	*conf;
	const char	*want[4];
} bad_configs[] = {
	{ "[supervisord]\n[program:a]\ncommand=x\nautorestart=maybe\n",
	  { "bad.conf:4: invalid 'autorestart' value 'maybe' in section "
	    "'program:a' key 'autorestart' (allowed: true, false, "
	    "unexpected)" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nautostart=yep\n",
	  { "bad.conf:4: not a valid boolean value: 'yep' in section "
	    "'program:a' key 'autostart' (allowed: true, false" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstartsecs=1.5\n",
	  { "bad.conf:4: invalid literal for int() with base 10: '1.5' in "
	    "section 'program:a' key 'startsecs'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstartsecs=-1\n",
	  { "bad.conf:4:", "-1 is below lower bound (0)", "key 'startsecs'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstartretries=-2\n",
	  { "bad.conf:4:", "-2", "key 'startretries'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstopwaitsecs=-1\n",
	  { "bad.conf:4:", "-1", "key 'stopwaitsecs'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\npriority=99999999999999\n",
	  { "bad.conf:4:", "99999999999999 is above upper bound",
	    "key 'priority'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstopsignal=FOO\n",
	  { "bad.conf:4: value 'FOO' is not a valid signal name in section "
	    "'program:a' key 'stopsignal' (allowed: " } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstopsignal=40\n",
	  { "bad.conf:4:", "value '40' is not a valid signal number",
	    "key 'stopsignal'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nexitcodes=0,256\n",
	  { "bad.conf:4: not a valid list of exit codes: '0,256'",
	    "key 'exitcodes'", "(allowed: " } },
	{ "[supervisord]\n[program:a]\ncommand=x\n"
	    "stdout_logfile_maxbytes=1.5MB\n",
	  { "bad.conf:4: invalid literal for int() with base 10: '1.5'",
	    "key 'stdout_logfile_maxbytes'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n"
	    "stderr_logfile_maxbytes=-1\n",
	  { "bad.conf:4:", "-1", "key 'stderr_logfile_maxbytes'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n"
	    "stdout_logfile_backups=-1\n",
	  { "bad.conf:4:", "-1", "key 'stdout_logfile_backups'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n"
	    "stdout_logfile_maxbytes=9999999999GB\n",
	  { "bad.conf:4:", "9999999999GB", "above upper bound" } },
	{ "[supervisord]\n[program:a]\ncommand=x\numask=089\n",
	  { "bad.conf:4: 089 can not be converted to an octal type",
	    "key 'umask'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nuser=nosuchuser_xyz\n",
	  { "bad.conf:4: Invalid user name nosuchuser_xyz in section "
	    "'program:a' key 'user'" } },
	{ "[supervisord]\nuser=nosuchuser_xyz\n",
	  { "bad.conf:2: Invalid user name nosuchuser_xyz in section "
	    "'supervisord' key 'user'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nuser=987654\n",
	  { "bad.conf:4: Invalid user id 987654" } },
	{ "[supervisord]\n\n[program:a]\nautostart=true\n",
	  { "bad.conf:3: program section program:a does not specify a "
	    "command in section 'program:a'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nnumprocs=2\n",
	  { "bad.conf:2: %(process_num) must be present within process_name "
	    "when numprocs > 1 in section 'program:a'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nnumprocs=0\n",
	  { "bad.conf:4:", "0 is below lower bound (1)", "key 'numprocs'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nnumprocs_start=-1\n",
	  { "bad.conf:4:", "-1", "key 'numprocs_start'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nstopasgroup=true\n"
	    "killasgroup=false\n",
	  { "bad.conf:5: Cannot set stopasgroup=true and killasgroup=false",
	    "key 'killasgroup'" } },
	{ "[supervisord]\n[program:a b]\ncommand=x\n",
	  { "bad.conf:2: Invalid name: 'a b' because of character: ' ' in "
	    "section 'program:a b'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nprocess_name=a/b\n",
	  { "bad.conf:4: Invalid name: 'a/b' because of character: '/'",
	    "key 'process_name'" } },
	{ "[supervisord]\n[program:a]\ncommand=%(nope)s\n",
	  { "bad.conf:3: Format string '%(nope)s' for 'program:a.command' "
	    "contains names ('nope') which cannot be expanded. Available "
	    "names: ", "group_name, here, host_node_name, numprocs, "
	    "process_num, program_name in section 'program:a' key "
	    "'command'" } },
	{ "[supervisord]\n[program:a]\ncommand=date +%Y\n",
	  { "bad.conf:3: Format string 'date +%Y' for 'program:a.command' is "
	    "badly formatted: unsupported format character 'Y' (0x59) at "
	    "index 7 in section 'program:a' key 'command'" } },
	{ "[supervisord]\n[program:a]\ncommand=date +%s\n",
	  { "bad.conf:3: Format string 'date +%s'", "has no name",
	    "key 'command'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\npriority=%(process_num)d\n",
	  { "bad.conf:4:", "contains names ('process_num')",
	    "key 'priority'" } },
	{ "[supervisord]\nloglevel=warning\n",
	  { "bad.conf:2: bad logging level name 'warning' in section "
	    "'supervisord' key 'loglevel' (allowed: critical, error, warn, "
	    "info, debug, trace, blather)" } },
	{ "[program:a]\ncommand=x\n",
	  { "bad.conf: .ini file does not include supervisord section" } },
	{ "[supervisord]\nlogfile=/nonexistent/dir/x.log\n",
	  { "bad.conf:2: The directory named as part of the path "
	    "/nonexistent/dir/x.log does not exist", "key 'logfile'" } },
	{ "[supervisord]\nchildlogdir=/nonexistent\n",
	  { "bad.conf:2: /nonexistent is not an existing directory",
	    "key 'childlogdir'" } },
	{ "[supervisord]\ndirectory=/nonexistent\n",
	  { "bad.conf:2: /nonexistent is not an existing directory",
	    "key 'directory'" } },
	{ "[supervisord]\nlogfile_backups=-1\n",
	  { "bad.conf:2:", "-1", "key 'logfile_backups'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nenvironment=A=foo@bar\n",
	  { "bad.conf:4: Unexpected end of key/value pairs in value "
	    "'A=foo@bar' in section 'program:a' key 'environment'" } },
	{ "[supervisord]\nenvironment=A=\"x\n",
	  { "bad.conf:2: No closing quotation in section 'supervisord' key "
	    "'environment'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n[group:g]\n"
	    "programs=a,nosuch\n",
	  { "bad.conf:5: [group:g] names unknown program or fcgi-program "
	    "nosuch in section 'group:g' key 'programs'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n[fcgi-program:a]\n"
	    "command=x\nsocket=tcp://h:1\n[group:g]\nprograms=a\n",
	  { "bad.conf:8: [group:g] name a is ambiguous (exists as program and "
	    "fcgi-program)" } },
	{ "[supervisord]\n[eventlistener:l]\ncommand=x\nevents=TICK_5,FOO\n",
	  { "bad.conf:4: Unknown event type FOO in [eventlistener:l] events",
	    "key 'events'" } },
	{ "[supervisord]\n[eventlistener:l]\ncommand=x\n",
	  { "bad.conf:2: [eventlistener:l] section requires an \"events\" "
	    "line in section 'eventlistener:l'" } },
	{ "[supervisord]\n[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "buffer_size=0\n",
	  { "bad.conf:5: [eventlistener:l] section sets invalid buffer_size "
	    "(0)", "key 'buffer_size'" } },
	{ "[supervisord]\n[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "redirect_stderr=true\n",
	  { "bad.conf:5: [eventlistener:l] section sets redirect_stderr=true "
	    "but this is not allowed" } },
	{ "[supervisord]\n[eventlistener:l]\ncommand=x\nevents=EVENT\n"
	    "result_handler=my:handler\n",
	  { "bad.conf:5: my:handler cannot be resolved within "
	    "[eventlistener:l]", "key 'result_handler'" } },
	{ "[supervisord]\n[inet_http_server]\nport=70000\n",
	  { "bad.conf:3: not a valid port number: '70000' in section "
	    "'inet_http_server' key 'port'" } },
	{ "[supervisord]\n[inet_http_server]\nport=h:70000\n",
	  { "bad.conf:3: 70000 is above upper bound (65535)",
	    "key 'port'" } },
	{ "[supervisord]\n[inet_http_server]\nport=h:\n",
	  { "bad.conf:3: no port number specified in ''", "key 'port'" } },
	{ "[supervisord]\n[inet_http_server]\n",
	  { "bad.conf:2: section [inet_http_server] has no port value" } },
	{ "[supervisord]\n[inet_http_server]\nport=1\npassword=p\n",
	  { "bad.conf:4: Section [inet_http_server] contains incomplete "
	    "authentication", "key 'password'" } },
	{ "[supervisord]\n[unix_http_server]\nchmod=0700\n",
	  { "bad.conf:2: section [unix_http_server] has no file value" } },
	{ "[supervisord]\n[unix_http_server]\nfile=/tmp/x\nchmod=abc\n",
	  { "bad.conf:4: Invalid chmod value abc", "key 'chmod'" } },
	{ "[supervisord]\n[unix_http_server]\nfile=/tmp/x\n"
	    "chown=nosuchuser_xyz\n",
	  { "bad.conf:4: Invalid sockchown value nosuchuser_xyz",
	    "key 'chown'" } },
	{ "[supervisord]\n[rpcinterface:supervisor]\nfoo=bar\n",
	  { "bad.conf:2: section [rpcinterface:supervisor] does not specify "
	    "a supervisor.rpcinterface_factory" } },
	{ "[supervisord]\n[fcgi-program:f]\ncommand=x\n",
	  { "bad.conf:2: [fcgi-program:f] section requires a \"socket\" "
	    "line" } },
	{ "[supervisord]\n[fcgi-program:f]\ncommand=x\nsocket=foo\n",
	  { "bad.conf:4: Bad socket format foo in [fcgi-program:f] socket",
	    "key 'socket'" } },
	{ "[supervisord]\n[fcgi-program:f]\ncommand=x\nsocket=unix://rel\n",
	  { "bad.conf:4: Unix socket path rel is not an absolute path" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nthis line is bad\n",
	  { "bad.conf:4: Source contains parsing errors: 'this line is "
	    "bad'" } },
	{ "command=x\n[supervisord]\n",
	  { "bad.conf:1: File contains no section headers: 'command=x'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n[eventlistener:a]\n"
	    "command=y\nevents=EVENT\n",
	  { "bad.conf:4: a group named 'a' is already defined" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nprocess_name=p\n"
	    "[program:b]\ncommand=y\nprocess_name=p\n[group:g]\n"
	    "programs=a,b\n",
	  { "bad.conf:9: process name 'p' is used twice in group 'g'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\n"
	    "process_name=%(ENV_TM_SPACE)s\n",
	  { "bad.conf:4: Invalid name: 'x y' because of character: ' '" } },
	{ "[DEFAULT]\nstartsecs=soon\n[supervisord]\n[program:a]\ncommand=x\n",
	  { "bad.conf:2: invalid literal for int() with base 10: 'soon' in "
	    "section 'program:a' key 'startsecs'" } },
	/* Not UTF-8: refused, and the message shows escapes, not bytes. */
	{ "[supervisord]\n[program:\xff]\ncommand=x\n",
	  { "bad.conf:2: 'utf-8' codec can't decode byte 0xff: invalid start "
	    "byte in section 'program:\\xff'" } },
	{ "[supervisord]\n[program:a]\ncommand=x \xc3(\n",
	  { "bad.conf:3: 'utf-8' codec can't decode byte 0xc3: invalid "
	    "continuation byte in section 'program:a' key 'command'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nuser=\xed\xa0\x80\n",
	  { "bad.conf:4:", "byte 0xed: invalid continuation byte" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nautostart=\xc0\xaf\n",
	  { "bad.conf:4:", "byte 0xc0: invalid start byte" } },
	/* Values of continuation lines and control characters stay escaped. */
	{ "[supervisord]\n[program:a]\ncommand=x\nstopsignal=TE\n  RM\n",
	  { "bad.conf:4: value 'TE\\nRM' is not a valid signal name" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nuser=\x1b[2J\n",
	  { "bad.conf:4: Invalid user name \\x1b[2J in section" } },
	{ "[supervisord]\n[program:a\tb]\ncommand=x\n",
	  { "bad.conf:2: Invalid name: 'a\\tb' because of character: '\\t'" } },
	{ "[supervisord]\n[program:a]\ncommand=x\nprocess_name=a\n  b\n",
	  { "bad.conf:4: Invalid name: 'a\\nb' because of character: "
	    "'\\n' in section 'program:a' key 'process_name'" } },
};

static void
test_errors(void **state)
{
	size_t	i, j;
	char	*cause;

	(void)state;
	setenv("TM_SPACE", "x y", 1);
	for (i = 0; i < sizeof bad_configs / sizeof bad_configs[0]; i++) {
		cause = load_error(bad_configs[i].conf);
		/* One line, starting with the file name. */
		assert_null(strchr(cause, '\n'));
		assert_true(strncmp(cause, "bad.conf", 8) == 0 ||
		    strncmp(cause, fx->dir, strlen(fx->dir)) == 0);
		for (j = 0; j < 4 && bad_configs[i].want[j] != NULL; j++) {
			if (strstr(cause, bad_configs[i].want[j]) == NULL)
				fail_msg("config %zu: got \"%s\", want \"%s\"", i,
				    cause, bad_configs[i].want[j]);
		}
		free(cause);
	}
	unsetenv("TM_SPACE");
}

static void
test_missing(void **state)
{
	char	*cause = NULL;

	(void)state;
	assert_null(config_load("nonexistent.conf", &cause));
	assert_string_equal(cause, "could not find config file "
	    "nonexistent.conf");
	free(cause);
}

static struct config *
load_as(const char *name, const char *text)
{
	struct config	*cfg;
	char		*path, *cause = NULL;

	path = put_path(name, text);
	cfg = config_load(path, &cause);
	if (cfg == NULL)
		fail_msg("%s", cause);
	free(path);
	return cfg;
}

static void
test_equal(void **state)
{
	struct config	*a, *b;

	(void)state;
	a = load_as("a.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "[eventlistener:l]\ncommand = l\nevents = TICK_5,TICK_60\n");
	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "stdout_logfile = /tmp/p.log\n[eventlistener:l]\ncommand = l\n"
	    "events = TICK_60, tick_5\n");
	/* AUTO on one side is not a difference; nor is the events order. */
	assert_true(group_config_equal(config_find_group(a, "p"),
	    config_find_group(b, "p")));
	assert_true(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	assert_true(group_config_equal(config_find_group(a, "l"),
	    config_find_group(b, "l")));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = y\n"
	    "[eventlistener:l]\ncommand = l\nevents = TICK_5\n");
	assert_false(group_config_equal(config_find_group(a, "p"),
	    config_find_group(b, "p")));
	assert_false(group_config_equal(config_find_group(a, "l"),
	    config_find_group(b, "l")));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\nenvironment = X=1\n"
	    "[program:p]\ncommand = x\n");
	assert_false(group_config_equal(config_find_group(a, "p"),
	    config_find_group(b, "p")));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "priority = 1\n");
	assert_false(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "user = root\n");
	assert_false(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "exitcodes = 0,1\n");
	assert_false(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	config_free(b);

	b = load_as("b.conf", "[program:p]\ncommand = x\n[supervisord]\n"
	    "[group:p]\nprograms = p\n");
	/* Same name and priority, but a different kind of group. */
	assert_false(group_config_equal(config_find_group(a, "p"),
	    config_find_group(b, "p")));
	config_free(b);

	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "stopwaitsecs = 11\n");
	assert_false(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	config_free(b);
	config_free(a);

	a = load_as("a.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "stdout_logfile = /tmp/a.log\n");
	b = load_as("b.conf", "[supervisord]\n[program:p]\ncommand = x\n"
	    "stdout_logfile = /tmp/b.log\n");
	assert_false(process_config_equal(proc(a, "p", 0), proc(b, "p", 0)));
	config_free(b);
	config_free(a);
}

static void
test_refs(void **state)
{
	struct group_config	*g;
	struct config		*cfg;

	(void)state;
	cfg = load("[supervisord]\n[program:a]\ncommand = a\n");
	g = config_find_group(cfg, "a");
	assert_int_equal(g->refs, 1);
	group_config_ref(g);
	assert_int_equal(g->refs, 2);
	config_free(cfg);
	/* Still alive: the running group holds it. */
	assert_string_equal(g->procs[0]->command, "a");
	assert_true(process_config_expected(g->procs[0], 0));
	assert_false(process_config_expected(g->procs[0], 1));
	group_config_unref(g);
	group_config_unref(NULL);
}

static void
test_parse_helpers(void **state)
{
	enum log_level	level;
	long long	size;
	int		b, o;

	(void)state;
	assert_int_equal(config_parse_bool("Yes", &b), 0);
	assert_true(b);
	assert_int_equal(config_parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(config_parse_bool("maybe", &b), -1);
	assert_int_equal(config_parse_size("10MB", &size), 0);
	assert_int_equal(size, 10 * 1024 * 1024);
	assert_int_equal(config_parse_size("7", &size), 0);
	assert_int_equal(size, 7);
	assert_int_equal(config_parse_size("1.5GB", &size), -1);
	assert_int_equal(config_parse_size("-1", &size), -1);
	assert_int_equal(config_parse_octal("022", &o), 0);
	assert_int_equal(o, 022);
	assert_int_equal(config_parse_octal("0o77", &o), 0);
	assert_int_equal(o, 077);
	assert_int_equal(config_parse_octal("8", &o), -1);
	assert_int_equal(config_parse_loglevel("debug", &level), 0);
	assert_int_equal(level, LOG_LEVEL_DEBUG);
	assert_int_equal(config_parse_loglevel("CRITICAL", &level), 0);
	assert_int_equal(level, LOG_LEVEL_CRITICAL);
	assert_int_equal(config_parse_loglevel("warning", &level), -1);
}

static void
test_find_default(void **state)
{
	char	*exe, *found, *list, *want, *path, *saved;

	(void)state;
	saved = xstrdup(getenv("PATH") != NULL ? getenv("PATH") : "/bin");
	exe = put_path("bin/taskmaster", "");
	chmod(exe, 0755);
	put("etc/supervisord.conf", "[supervisord]\n");
	found = config_find_default(exe);
	want = in_dir("etc/supervisord.conf");
	assert_string_equal(found, want);
	free(found);
	free(want);
	put("etc/taskmaster.conf", "[supervisord]\n");
	found = config_find_default(exe);
	want = in_dir("etc/taskmaster.conf");
	assert_string_equal(found, want);
	free(found);
	free(want);
	/* A bare name is looked up in PATH, as the shell found it. */
	path = in_dir("bin");
	setenv("PATH", path, 1);
	free(path);
	found = config_find_default("taskmaster");
	setenv("PATH", saved, 1);
	free(saved);
	want = in_dir("etc/taskmaster.conf");
	assert_string_equal(found, want);
	free(found);
	free(want);
	list = config_search_list(exe);
	want = xprintf("%s/etc/taskmaster.conf, %s/etc/supervisord.conf, "
	    "%s/taskmaster.conf, %s/supervisord.conf, taskmaster.conf, "
	    "supervisord.conf, etc/taskmaster.conf, etc/supervisord.conf, "
	    "/etc/taskmaster.conf, /etc/supervisord.conf, "
	    "/etc/taskmaster/taskmaster.conf, "
	    "/etc/supervisor/supervisord.conf", fx->dir, fx->dir, fx->dir,
	    fx->dir);
	assert_string_equal(list, want);
	free(list);
	free(want);
	free(exe);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_supervisord_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_childlogdir_default, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dialect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_section, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_include, setup, teardown),
		cmocka_unit_test_setup_teardown(test_include_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_env_expansion, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_expansion_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_numprocs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_heterogeneous, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sorting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_listener, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fcgi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_servers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plugins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warnings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_equal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test(test_parse_helpers),
		cmocka_unit_test_setup_teardown(test_find_default, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
