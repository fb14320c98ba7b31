/* SPDX-License-Identifier: ISC */
/*
 * fork/exec of a supervised process.  Everything the child needs (argv,
 * envp, credentials, messages) is built before the child exists, which the
 * spawner creates while it runs (spawner.c), fork() otherwise; from then to
 * execve() the child makes only async-signal-safe system calls (child.c).  An exec
 * failure travels back through a close-on-exec pipe, so EOF on it means the
 * exec succeeded.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "config/words.h"
#include "internal.h"
#include "spawner.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

extern char **environ;

static const char *
spawn_search_path(const struct process_config *cfg)
{
	const char	*path;

	if ((path = envlist_get(&cfg->env, "PATH")) != NULL)
		return path;
	if ((path = getenv("PATH")) != NULL && *path != '\0')
		return path;
	return "/bin:/usr/bin:/usr/local/bin";
}

/* supervisord takes the first PATH entry where the name exists at all. */
static char *
spawn_find(const struct process_config *cfg, const char *name)
{
	const char	*p, *end;
	char		*cand;
	struct stat	 st;

	if (strchr(name, '/') != NULL)
		return xstrdup(name);
	for (p = spawn_search_path(cfg); ; p = end + 1) {
		end = strchrnul(p, ':');
		cand = xprintf("%.*s/%s", (int)(end - p),
		    end == p ? "." : p, name);
		if (stat(cand, &st) == 0)
			return cand;
		free(cand);
		if (*end == '\0')
			return NULL;
	}
}

int
spawn_resolve(const struct process_config *cfg, char **path, char ***argv,
    char **cause, int *nofile)
{
	char		*why = NULL, **av = NULL, *found;
	int		 ac;
	struct stat	 st;

	*nofile = 0;
	if (words_split(cfg->command, &av, &ac, &why) != 0) {
		xasprintf(cause, "can't parse command '%s': %s", cfg->command,
		    why);
		free(why);
		return -1;
	}
	if (ac == 0) {
		words_free(av);
		*cause = xstrdup("command is empty");
		return -1;
	}
	if ((found = spawn_find(cfg, av[0])) == NULL ||
	    stat(found, &st) != 0) {
		xasprintf(cause, "can't find command '%s'", av[0]);
		*nofile = 1;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		xasprintf(cause, "command at '%s' is a directory", found);
		goto fail;
	}
	if ((st.st_mode & 0111) == 0) {
		xasprintf(cause, "command at '%s' is not executable", found);
		goto fail;
	}
	if (access(found, X_OK) != 0) {
		xasprintf(cause, "no permission to run command '%s'", found);
		goto fail;
	}
	*path = found;
	*argv = av;
	return 0;
fail:
	free(found);
	words_free(av);
	return -1;
}

static void
spawn_env_add(char ***envp, size_t *n, const char *key, const char *value)
{
	size_t	 klen = strlen(key), i;
	char	*kv;

	kv = xprintf("%s=%s", key, value);
	for (i = 0; i < *n; i++) {
		if (strncmp((*envp)[i], key, klen) == 0 &&
		    (*envp)[i][klen] == '=') {
			free((*envp)[i]);
			(*envp)[i] = kv;
			return;
		}
	}
	*envp = xreallocarray(*envp, *n + 2, sizeof **envp);
	(*envp)[(*n)++] = kv;
	(*envp)[*n] = NULL;
}

/* supervisord's order, lowest precedence first (spec 4.3). */
static char **
spawn_build_env(struct process *p)
{
	const struct process_config	*cfg = p->cfg;
	char				**envp, *eq;
	size_t				  n = 0, i;

	envp = xcalloc(1, sizeof *envp);
	for (i = 0; environ[i] != NULL; i++) {
		if ((eq = strchr(environ[i], '=')) == NULL)
			continue;
		envp = xreallocarray(envp, n + 2, sizeof *envp);
		envp[n++] = xstrdup(environ[i]);
		envp[n] = NULL;
	}
	spawn_env_add(&envp, &n, "SUPERVISOR_ENABLED", "1");
	if (cfg->serverurl != NULL && *cfg->serverurl != '\0' &&
	    strcasecmp(cfg->serverurl, "AUTO") != 0)
		spawn_env_add(&envp, &n, "SUPERVISOR_SERVER_URL",
		    cfg->serverurl);
	spawn_env_add(&envp, &n, "SUPERVISOR_PROCESS_NAME", cfg->name);
	spawn_env_add(&envp, &n, "SUPERVISOR_GROUP_NAME", process_group_name(p));
	for (i = 0; i < cfg->env.n; i++)
		spawn_env_add(&envp, &n, cfg->env.pairs[i].key,
		    cfg->env.pairs[i].value);
	return envp;
}

static int
spawn_prepare_user(struct spawn_plan *plan, const struct process_config *cfg,
    char **cause)
{
	struct passwd	*pw;
	int		 n = 64;

	if (cfg->user == NULL || cfg->uid == getuid())
		return 0;
	if (geteuid() != 0) {
		*cause = xstrdup("Can't drop privilege as nonroot user");
		return -1;
	}
	plan->set_user = 1;
	plan->uid = cfg->uid;
	plan->gid = cfg->gid;
	if ((pw = getpwuid(cfg->uid)) == NULL) {
		xasprintf(cause, "Can't find uid %ld", (long)cfg->uid);
		return -1;
	}
	plan->groups = xcalloc((size_t)n, sizeof *plan->groups);
	if (getgrouplist(pw->pw_name, cfg->gid, plan->groups, &n) < 0) {
		plan->groups = xreallocarray(plan->groups, (size_t)n,
		    sizeof *plan->groups);
		getgrouplist(pw->pw_name, cfg->gid, plan->groups, &n);
	}
	plan->ngroups = n;
	return 0;
}

static void
spawn_plan_free(struct spawn_plan *plan)
{
	free(plan->path);
	words_free(plan->argv);
	if (plan->envp != NULL) {
		for (char **e = plan->envp; *e != NULL; e++)
			free(*e);
		free(plan->envp);
	}
	free(plan->groups);
	free(plan->directory);
	free(plan->msg_user);
	free(plan->msg_chdir);
	free(plan->msg_exec);
}

static int
spawn_pipe(int fds[2], int parent_end)
{
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	if (fcntl(fds[parent_end], F_SETFL, O_NONBLOCK) != 0)
		return -1;
	return 0;
}

static void
spawn_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
spawn_pipes(struct process *p, int in[2], int out[2], int errp[2], int ex[2],
    char **cause)
{
	if (spawn_pipe(in, 1) == 0 && spawn_pipe(out, 0) == 0 &&
	    (p->cfg->redirect_stderr || spawn_pipe(errp, 0) == 0) &&
	    spawn_pipe(ex, 0) == 0)
		return 0;
	if (errno == EMFILE || errno == ENFILE)
		xasprintf(cause, "too many open files to spawn '%s'",
		    p->cfg->name);
	else
		xasprintf(cause, "unknown error making dispatchers for "
		    "'%s': %s", p->cfg->name, strerrorname_np(errno));
	return -1;
}

/*
 * Outputs whose log files are opened later: a burst of start-up spawns
 * creates the children first, and what they write waits in the pipes.
 */
struct spawn_deferred {
	struct process	*p;		/* NULL: done */
	int		 out, err;
};

static struct {
	struct spawn_deferred	*v;
	size_t			 n, next;
	int			 on;
} deferred;

static void
spawn_outputs(struct process *p, int out, int err)
{
	int	 strip = p->group->sv->cfg->sd.strip_ansi;

	p->out = output_create(p, out, "stdout", &p->cfg->out, p->stdout_path,
	    strip);
	if (err >= 0)
		p->err = output_create(p, err, "stderr", &p->cfg->err,
		    p->stderr_path, strip);
}

static void
spawn_defer(struct process *p, int out, int err)
{
	deferred.v = xreallocarray(deferred.v, deferred.n + 1,
	    sizeof *deferred.v);
	deferred.v[deferred.n].p = p;
	deferred.v[deferred.n].out = out;
	deferred.v[deferred.n].err = err;
	deferred.n++;
}

/* p's deferred outputs, made now: it exited before their turn. */
static void
spawn_undefer(struct process *p)
{
	size_t	 i;

	for (i = deferred.next; i < deferred.n; i++) {
		if (deferred.v[i].p == p) {
			deferred.v[i].p = NULL;
			spawn_outputs(p, deferred.v[i].out, deferred.v[i].err);
			return;
		}
	}
}

void
spawn_defer_outputs(int on)
{
	deferred.on = on;
}

int
spawn_open_outputs(double budget)
{
	struct spawn_deferred	*d;
	double			 until = clock_mono() + budget;

	while (deferred.next < deferred.n) {
		if (budget >= 0 && clock_mono() > until)
			return 1;
		d = &deferred.v[deferred.next++];
		if (d->p != NULL)
			spawn_outputs(d->p, d->out, d->err);
	}
	free(deferred.v);
	deferred.v = NULL;
	deferred.n = deferred.next = 0;
	return 0;
}

/*
 * The child, by the spawner when one runs (nothing of our descriptor table
 * or memory to copy), else by fork.  Returns its pid or -errno.
 */
static pid_t
spawn_fork(const struct spawn_plan *plan)
{
	sigset_t	 all, old;
	pid_t		 pid;
	int		 error;

	if (spawner_spawn(plan, &pid, &error) == 0)
		return pid;
	if (error != 0)
		return -error;
	/* No handler of ours may run in the child before the exec. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		spawn_child(plan);
	error = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return pid < 0 ? -error : pid;
}

static void
spawn_close_ends(struct spawn_ends *e)
{
	spawn_close(&e->in);
	spawn_close(&e->out);
	spawn_close(&e->err);
	spawn_close(&e->ex);
}

/* Frees the plan and closes the child's ends of the pipes. */
static void
spawn_plan_done(struct spawn_plan *plan)
{
	if (plan->fd_err != plan->fd_out)
		spawn_close(&plan->fd_err);
	spawn_close(&plan->fd_in);
	spawn_close(&plan->fd_out);
	spawn_close(&plan->fd_execerr);
	spawn_plan_free(plan);
}

/* Everything before the child: the plan with its ends of the pipes, ours. */
static int
spawn_prepare(struct process *p, struct spawn_plan *plan,
    struct spawn_ends *ends, char **cause)
{
	int	 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int	 errp[2] = { -1, -1 }, ex[2] = { -1, -1 }, nofile, i;

	memset(plan, 0, sizeof *plan);
	plan->fd_in = plan->fd_out = plan->fd_err = plan->fd_execerr = -1;
	plan->umask = p->cfg->umask;
	if (spawn_resolve(p->cfg, &plan->path, &plan->argv, cause,
	    &nofile) != 0 || spawn_prepare_user(plan, p->cfg, cause) != 0 ||
	    spawn_pipes(p, in, out, errp, ex, cause) != 0) {
		for (i = 0; i < 2; i++) {
			spawn_close(&in[i]);
			spawn_close(&out[i]);
			spawn_close(&errp[i]);
			spawn_close(&ex[i]);
		}
		spawn_plan_free(plan);
		return -1;
	}
	plan->envp = spawn_build_env(p);
	if (p->cfg->directory != NULL)
		plan->directory = xstrdup(p->cfg->directory);
	xasprintf(&plan->msg_user, "couldn't setuid to %ld: ",
	    (long)plan->uid);
	xasprintf(&plan->msg_chdir, "couldn't chdir to %s: ",
	    p->cfg->directory != NULL ? p->cfg->directory : "");
	xasprintf(&plan->msg_exec, "couldn't exec %s: ", plan->argv[0]);
	plan->fd_in = in[0];
	plan->fd_out = out[1];
	plan->fd_err = p->cfg->redirect_stderr ? out[1] : errp[1];
	plan->fd_execerr = ex[1];
	plan->parent = getpid();
	ends->in = in[1];
	ends->out = out[0];
	ends->err = errp[0];
	ends->ex = ex[0];
	return 0;
}

/* The child exists: track it, keep our ends of its pipes. */
static void
spawn_adopt(struct process *p, pid_t pid, struct spawn_ends *ends)
{
	p->pid = pid;
	reap_track(pid, p);
	p->stdin_fd = ends->in;
	p->execerr_fd = ends->ex;
	if (deferred.on)
		spawn_defer(p, ends->out, ends->err);
	else
		spawn_outputs(p, ends->out, ends->err);
	ends->in = ends->out = ends->err = ends->ex = -1;
}

void
spawn_request(struct process *p)
{
	struct spawn_plan	 plan;
	struct spawn_ends	 ends;
	char			*cause = NULL;

	if (!spawner_running())
		return;
	/* A failure is found again, and told, by spawn_process(). */
	if (spawn_prepare(p, &plan, &ends, &cause) != 0) {
		free(cause);
		return;
	}
	if (spawner_request(&plan, p, &ends) != 0)
		spawn_close_ends(&ends);
	spawn_plan_done(&plan);
}

int
spawn_process(struct process *p, char **cause)
{
	struct spawn_plan	 plan;
	struct spawn_ends	 ends;
	pid_t			 pid;

	if (!spawner_take(p, &pid, &ends)) {
		if (spawn_prepare(p, &plan, &ends, cause) != 0)
			return -1;
		pid = spawn_fork(&plan);
		spawn_plan_done(&plan);
	}
	if (pid < 0) {
		if (-pid == EAGAIN)
			xasprintf(cause, "Too many processes in process table "
			    "to spawn '%s'", p->cfg->name);
		else
			xasprintf(cause, "unknown error during fork for '%s': "
			    "%s", p->cfg->name, strerrorname_np(-pid));
		spawn_close_ends(&ends);
		return -1;
	}
	spawn_adopt(p, pid, &ends);
	return 0;
}

int
spawn_poll_exec_error(struct process *p)
{
	char	 buf[PATH_MAX + 128];
	ssize_t	 n;

	if (p->execerr_fd < 0)
		return 0;
	n = read(p->execerr_fd, buf, sizeof buf - 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	spawn_close(&p->execerr_fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	process_handle_exec_error(p, buf);
	return 1;
}

void
spawn_cleanup(struct process *p)
{
	if (p->execerr_fd >= 0)
		spawn_poll_exec_error(p);
	if (p->stdin_ev != NULL)
		event_free(p->stdin_ev);
	if (p->stdin_buf != NULL)
		evbuffer_free(p->stdin_buf);
	p->stdin_ev = NULL;
	p->stdin_buf = NULL;
	spawn_close(&p->stdin_fd);
	if (p->out == NULL && deferred.next < deferred.n)
		spawn_undefer(p);
	if (p->out != NULL)
		output_drain(p->out);
	if (p->err != NULL)
		output_drain(p->err);
	output_free(p->out);
	output_free(p->err);
	p->out = p->err = NULL;
}
