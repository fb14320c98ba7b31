/* SPDX-License-Identifier: ISC */
/*
 * What runs outside the supervisor: a new child from its creation to
 * execve(), async-signal-safe, and the spawner's loop, which creates such
 * children in bursts.  Neither may log nor touch the supervisor's state.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawner.h"
#include "spawner-internal.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

/* ---- a new child ---- */

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

void
spawn_child(const struct spawn_plan *plan)
{
	struct sigaction	 sa;
	sigset_t		 empty;
	int			 sig;

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

/* The chunk received. */
static char	spawner_chunk[SPAWNER_MAX];

/* ---- the spawner ---- */

/* Points *s at the next string of the request; -1 past its end. */
static int
spawner_next(char **cur, char *end, char **s)
{
	char	*nul;

	if (*cur >= end || (nul = memchr(*cur, '\0', (size_t)(end - *cur))) ==
	    NULL)
		return -1;
	*s = *cur;
	*cur = nul + 1;
	return 0;
}

static char **
spawner_vector(char **cur, char *end, uint32_t n)
{
	char		**v;
	uint32_t	  i;

	if (n > SPAWNER_MAX / 2 || (v = calloc(n + 1, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (spawner_next(cur, end, &v[i]) != 0) {
			free(v);
			return NULL;
		}
	}
	return v;
}

/*
 * Fills plan from the entry at buf (len bytes, 8-aligned) and fds; -1 if
 * malformed.  *nfds is how many descriptors it takes.
 */
static int
spawner_unpack(char *buf, size_t len, const int *fds, int *nfds,
    struct spawn_plan *plan)
{
	struct spawner_request	 rq;
	char			*cur, *end = buf + len;
	size_t			 glen;

	if (len < sizeof rq)
		return -1;
	memcpy(&rq, buf, sizeof rq);
	glen = (size_t)rq.ngroups * sizeof *plan->groups;
	if (rq.ngroups < 0 || rq.ngroups > 65536 || len - sizeof rq < glen ||
	    *nfds < (rq.same_err ? 3 : 4))
		return -1;
	*nfds = rq.same_err ? 3 : 4;
	memset(plan, 0, sizeof *plan);
	plan->set_user = rq.set_user;
	plan->uid = rq.uid;
	plan->gid = rq.gid;
	plan->ngroups = rq.ngroups;
	plan->groups = (gid_t *)(void *)(buf + sizeof rq);
	plan->umask = rq.umask;
	plan->parent = rq.parent;
	plan->fd_in = fds[0];
	plan->fd_out = fds[1];
	plan->fd_execerr = fds[2];
	plan->fd_err = rq.same_err ? fds[1] : fds[3];
	cur = buf + sizeof rq + glen;
	if (spawner_next(&cur, end, &plan->path) != 0 ||
	    (rq.has_dir && spawner_next(&cur, end, &plan->directory) != 0) ||
	    spawner_next(&cur, end, &plan->msg_user) != 0 ||
	    spawner_next(&cur, end, &plan->msg_chdir) != 0 ||
	    spawner_next(&cur, end, &plan->msg_exec) != 0 ||
	    (plan->argv = spawner_vector(&cur, end, rq.argc)) == NULL)
		return -1;
	if ((plan->envp = spawner_vector(&cur, end, rq.envc)) == NULL) {
		free(plan->argv);
		return -1;
	}
	return 0;
}

/* A child of our parent, not of ours: CLONE_PARENT, like fork otherwise. */
static pid_t
spawner_clone(void)
{
	struct clone_args	 ca;
	long			 pid;

	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_PARENT;
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid < 0 && errno == ENOSYS)
		pid = syscall(SYS_clone, CLONE_PARENT, 0, 0, 0, 0);
	return (pid_t)pid;
}

/* Receives one chunk and its descriptors; its length, 0 at EOF. */
static ssize_t
spawner_receive(int fd, int *fds, int *nfds)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(SPAWNER_CHUNK * SPAWNER_NFDS * sizeof(int))];
	} cm;
	struct iovec	 iov = { spawner_chunk, sizeof spawner_chunk };
	struct msghdr	 msg;
	struct cmsghdr	*c;
	ssize_t		 n;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof cm.buf;
	while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	*nfds = 0;
	for (c = CMSG_FIRSTHDR(&msg); n > 0 && c != NULL;
	    c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		*nfds = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(c), (size_t)*nfds * sizeof(int));
	}
	if (n > 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0)
		return -1;
	return n;
}

/*
 * A new child waits until its pid is on its way to the supervisor: were the
 * spawner killed before, it would be a child nobody knows of.  EOF instead
 * of the byte means just that.
 */
static void
spawner_gate(const int go[2])
{
	char	 c;

	if (go[0] < 0)
		return;
	close(go[1]);
	if (read(go[0], &c, 1) != 1)
		_exit(127);
	close(go[0]);
}

/* Creates the children of a chunk of len bytes and answers it. */
static void
spawner_serve(int fd, size_t len, int *fds, int nfds)
{
	static const char	 gobuf[SPAWNER_CHUNK];
	struct spawner_reply	 r[SPAWNER_CHUNK];
	struct spawn_plan	 plan;
	uint64_t		 count = 0, size;
	size_t			 off = sizeof count, i, made = 0;
	int			 used = 0, k, go[2] = { -1, -1 };

	if (len >= sizeof count)
		memcpy(&count, spawner_chunk, sizeof count);
	if (count > SPAWNER_CHUNK)
		count = 0;
	if (pipe2(go, O_CLOEXEC) != 0)
		go[0] = go[1] = -1;
	for (i = 0; i < count; i++) {
		r[i].pid = 0;
		r[i].error = EINVAL;
		if (off + sizeof size > len)
			continue;
		memcpy(&size, spawner_chunk + off, sizeof size);
		off += sizeof size;
		k = nfds - used;
		if (size > len - off || spawner_unpack(spawner_chunk + off,
		    (size_t)size, fds + used, &k, &plan) != 0) {
			off = len;
			continue;
		}
		off += (size_t)size;
		if ((r[i].pid = spawner_clone()) == 0) {
			spawner_gate(go);
			spawn_child(&plan);
		}
		r[i].error = r[i].pid < 0 ? errno : 0;
		if (r[i].pid < 0)
			r[i].pid = 0;
		else
			made++;
		free(plan.argv);
		free(plan.envp);
		used += k;
	}
	for (k = 0; k < nfds; k++)
		close(fds[k]);
	if (go[0] >= 0)
		close(go[0]);
	if (count > 0 && send(fd, r, count * sizeof r[0], MSG_NOSIGNAL) !=
	    (ssize_t)(count * sizeof r[0]))
		_exit(0);
	if (go[1] >= 0) {
		if (made > 0 && write(go[1], gobuf, made) != (ssize_t)made)
			_exit(0);
		close(go[1]);
	}
}

/*
 * The spawner's life: every signal blocked (ours belong to the supervisor),
 * nothing open but its socket, gone with the supervisor or at EOF.  It never
 * logs: the main log's descriptor is not its own any more.
 */
void
spawner_main(int fd, pid_t parent)
{
	int	 fds[SPAWNER_CHUNK * SPAWNER_NFDS], nfds;
	ssize_t	 n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	prctl(PR_SET_NAME, "spawner");
	if (fd != SPAWNER_FD) {
		if (dup3(fd, SPAWNER_FD, O_CLOEXEC) < 0)
			_exit(1);
		fd = SPAWNER_FD;
	}
	close_range(SPAWNER_FD + 1, ~0U, 0);
	for (;;) {
		if ((n = spawner_receive(fd, fds, &nfds)) == 0)
			_exit(0);
		spawner_serve(fd, n < 0 ? 0 : (size_t)n, fds, nfds);
	}
}
