/* SPDX-License-Identifier: ISC */
/*
 * fork/exec of a supervised process.  Everything the child needs (argv,
 * envp, credentials, messages) is built before fork(); between fork() and
 * execve() the child makes only async-signal-safe system calls.  An exec
 * failure travels back through a close-on-exec pipe, so EOF on it means the
 * exec succeeded.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
#include "util/log.h"
#include "util/xmalloc.h"

extern char **environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

/* What the child needs, prepared in the parent. */
struct spawn_plan {
	char	 *path;
	char	**argv;
	char	**envp;
	int	  set_user;
	uid_t	  uid;
	gid_t	  gid;
	gid_t	 *groups;
	int	  ngroups;
	char	 *directory;
	int	  umask;
	int	  fd_in, fd_out, fd_err, fd_execerr;
	pid_t	  parent;
	/* Message prefixes, completed with an errno name in the child. */
	char	 *msg_user, *msg_chdir, *msg_exec;
};

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

/* Async-signal-safe: reports "<prefix><ERRNAME>" to stderr and the pipe. */
static void __attribute__((noreturn))
spawn_child_fail(const struct spawn_plan *plan, const char *prefix, int error)
{
	char		 buf[PATH_MAX + 128];
	const char	*name = strerrorname_np(error);
	size_t		 len = 0, l;

	if (name == NULL)
		name = "EUNKNOWN";
	l = strlen(prefix);
	if (l > sizeof buf - 64)
		l = sizeof buf - 64;
	memcpy(buf, prefix, l);
	len = l;
	l = strlen(name);
	memcpy(buf + len, name, l);
	len += l;
	if (write(plan->fd_execerr, buf, len) < 0) {
		/* Nothing left to tell. */
	}
	buf[len++] = '\n';
	if (write(2, "taskmaster: ", 12) < 0 || write(2, buf, len) < 0 ||
	    write(2, "taskmaster: child process was not spawned\n", 43) < 0) {
		/* The parent learns it from the pipe anyway. */
	}
	_exit(127);
}

/*
 * glibc refuses sigaction() on the signals it reserves (32, 33), yet an
 * ignored disposition of theirs may be inherited from whoever started us:
 * reset them with the raw system call.
 */
static void
spawn_child_default(int sig)
{
	struct {
		void		*handler;
		unsigned long	 flags;
		void		*restorer;
		unsigned long	 mask;
	} ksa = { NULL, 0, NULL, 0 };

	syscall(SYS_rt_sigaction, sig, &ksa, NULL, sizeof ksa.mask);
}

static void __attribute__((noreturn))
spawn_child(const struct spawn_plan *plan, const sigset_t *oldmask)
{
	struct sigaction	 sa;
	sigset_t		 empty;
	int			 sig;

	(void)oldmask;
	/* Default dispositions and an empty mask, whatever we had. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, &sa, NULL) != 0)
			spawn_child_default(sig);
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);

	setpgid(0, 0);
	if (dup2(plan->fd_in, 0) < 0 || dup2(plan->fd_out, 1) < 0 ||
	    dup2(plan->fd_err, 2) < 0)
		spawn_child_fail(plan, "couldn't set up stdio: ", errno);
	/* Nothing of ours but 0-2 survives the exec (inherited fds too). */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
		/* Older kernels: every fd we open is close-on-exec anyway. */
	}
	if (plan->set_user) {
		if (setgroups((size_t)plan->ngroups, plan->groups) != 0 ||
		    setgid(plan->gid) != 0 || setuid(plan->uid) != 0)
			spawn_child_fail(plan, plan->msg_user, errno);
	}
	/* Our death takes the child along (after setuid, which clears it). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != plan->parent)
		_exit(127);
	if (plan->directory != NULL && chdir(plan->directory) != 0)
		spawn_child_fail(plan, plan->msg_chdir, errno);
	if (plan->umask >= 0)
		umask((mode_t)plan->umask);
	execve(plan->path, plan->argv, plan->envp);
	spawn_child_fail(plan, plan->msg_exec, errno);
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

int
spawn_process(struct process *p, char **cause)
{
	struct spawn_plan	 plan;
	int			 in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int			 errp[2] = { -1, -1 }, ex[2] = { -1, -1 };
	int			 nofile, i, ret = -1;
	sigset_t		 all, old;
	pid_t			 pid;

	memset(&plan, 0, sizeof plan);
	plan.umask = p->cfg->umask;
	if (spawn_resolve(p->cfg, &plan.path, &plan.argv, cause, &nofile) != 0)
		goto out;
	if (spawn_prepare_user(&plan, p->cfg, cause) != 0)
		goto out;
	plan.envp = spawn_build_env(p);
	if (p->cfg->directory != NULL)
		plan.directory = xstrdup(p->cfg->directory);
	xasprintf(&plan.msg_user, "couldn't setuid to %ld: ",
	    (long)plan.uid);
	xasprintf(&plan.msg_chdir, "couldn't chdir to %s: ",
	    p->cfg->directory != NULL ? p->cfg->directory : "");
	xasprintf(&plan.msg_exec, "couldn't exec %s: ", plan.argv[0]);
	if (spawn_pipes(p, in, out, errp, ex, cause) != 0)
		goto out;
	plan.fd_in = in[0];
	plan.fd_out = out[1];
	plan.fd_err = p->cfg->redirect_stderr ? out[1] : errp[1];
	plan.fd_execerr = ex[1];
	plan.parent = getpid();

	/* No handler of ours may run in the child before the exec. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		spawn_child(&plan, &old);
	i = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		if (i == EAGAIN)
			xasprintf(cause, "Too many processes in process table "
			    "to spawn '%s'", p->cfg->name);
		else
			xasprintf(cause, "unknown error during fork for '%s': "
			    "%s", p->cfg->name, strerrorname_np(i));
		goto out;
	}
	p->pid = pid;
	reap_track(pid, p);
	p->stdin_fd = in[1];
	in[1] = -1;
	p->execerr_fd = ex[0];
	ex[0] = -1;
	p->out = output_create(p, out[0], "stdout", &p->cfg->out,
	    p->stdout_path, p->group->sv->cfg->sd.strip_ansi);
	out[0] = -1;
	if (!p->cfg->redirect_stderr) {
		p->err = output_create(p, errp[0], "stderr", &p->cfg->err,
		    p->stderr_path,
		    p->group->sv->cfg->sd.strip_ansi);
		errp[0] = -1;
	}
	ret = 0;
out:
	for (i = 0; i < 2; i++) {
		spawn_close(&in[i]);
		spawn_close(&out[i]);
		spawn_close(&errp[i]);
		spawn_close(&ex[i]);
	}
	spawn_plan_free(&plan);
	return ret;
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
	if (p->out != NULL)
		output_drain(p->out);
	if (p->err != NULL)
		output_drain(p->err);
	output_free(p->out);
	output_free(p->err);
	p->out = p->err = NULL;
}
