/* SPDX-License-Identifier: ISC */
/*
 * The spawner: a process forked from the supervisor for a burst of spawns
 * (start-up), which creates the children the supervisor asks for.  Its
 * descriptor table holds its socket and the pipes of the requests at hand
 * only, so a creation copies almost nothing and the child's exec has nothing
 * to close, where a fork of a supervisor holding thousands of pipes and logs
 * costs both sides time in proportion to them.  Children are made with
 * CLONE_PARENT: they are the supervisor's own children, so SIGCHLD, waitpid
 * and the parent-death signal work as if it had forked them itself, and the
 * supervisor never waits for an exec.  Requests travel in chunks of up to
 * SPAWNER_CHUNK, each answered by one message, so that both sides wake up
 * once per chunk and not once per child.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawner.h"
#include "spawner-internal.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define SPAWNER_AHEAD	32		/* in flight: 4 chunks, the socket queues 10 */
#define SPAWNER_WAIT_MS	10000		/* a reply later than that: stuck */

/* A request in flight, answered in order. */
struct spawner_flight {
	const void		*key;		/* NULL: taken */
	struct spawn_ends	 ends;
	pid_t			 pid;		/* or -errno; 0: fork instead */
};

static struct {
	int			 fd;		/* ours; -1: not running */
	pid_t			 pid;
	struct spawner_flight	 ahead[SPAWNER_AHEAD];
	size_t			 n, sent, answered, taken;
	/* The chunk being filled, in spawner_buf. */
	size_t			 len, count;
	int			 fds[SPAWNER_CHUNK * SPAWNER_NFDS];
	int			 nfds;
} spawner = { .fd = -1 };

/* The chunk being filled; its pages go back once the burst is over. */
static char	spawner_buf[SPAWNER_MAX];

/* ---- the supervisor's side ---- */

int
spawner_running(void)
{
	return spawner.fd >= 0;
}

int
spawner_start(void)
{
	sigset_t	 all, old;
	pid_t		 pid, parent = getpid();
	int		 sv[2], error;

	if (spawner.fd >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	/* None of our handlers may run in the spawner. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	if ((pid = fork()) == 0)
		spawner_main(sv[1], parent);
	error = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		log_debug("cannot fork the spawner: %s", strerror(error));
		return -1;
	}
	spawner.fd = sv[0];
	spawner.pid = pid;
	spawner.len = sizeof(uint64_t);
	log_debug("spawner started with pid %ld", (long)pid);
	return 0;
}

static void
spawner_drop_chunk(void)
{
	while (spawner.nfds > 0)
		close(spawner.fds[--spawner.nfds]);
	spawner.len = sizeof(uint64_t);
	spawner.count = 0;
}

/* Closes our socket and reaps the spawner, which exits at EOF. */
static void
spawner_end(void)
{
	spawner_drop_chunk();
	close(spawner.fd);
	spawner.fd = -1;
	while (waitpid(spawner.pid, NULL, 0) < 0 && errno == EINTR)
		;
	spawner.pid = 0;
	xmalloc_release(spawner_buf, sizeof spawner_buf);
}

void
spawner_stop(void)
{
	if (spawner.fd < 0)
		return;
	spawner_flush();
	spawner_end();
}

/* A spawner that does not answer is killed: children are forked again. */
static void
spawner_lost(void)
{
	log_warn("spawner (pid %ld) lost; forking children directly",
	    (long)spawner.pid);
	kill(spawner.pid, SIGKILL);
	spawner_end();
}

static void
spawner_put(char **p, const char *s)
{
	size_t	 len = strlen(s) + 1;

	memcpy(*p, s, len);
	*p += len;
}

/* The size of plan's entry, rounded up to 8; 0 when it cannot fit. */
static size_t
spawner_size(const struct spawn_plan *plan)
{
	size_t	 n;
	char	**s;

	n = sizeof(struct spawner_request) +
	    (size_t)plan->ngroups * sizeof *plan->groups;
	n += strlen(plan->path) + strlen(plan->msg_user) +
	    strlen(plan->msg_chdir) + strlen(plan->msg_exec) + 4;
	if (plan->directory != NULL)
		n += strlen(plan->directory) + 1;
	for (s = plan->argv; *s != NULL && n <= SPAWNER_MAX; s++)
		n += strlen(*s) + 1;
	for (s = plan->envp; *s != NULL && n <= SPAWNER_MAX; s++)
		n += strlen(*s) + 1;
	n = (n + 7) & ~(size_t)7;
	return n + 2 * sizeof(uint64_t) > SPAWNER_MAX ? 0 : n;
}

/* Appends plan's entry of size bytes to the chunk. */
static void
spawner_pack(const struct spawn_plan *plan, size_t size)
{
	struct spawner_request	 rq;
	uint64_t		 sz = size;
	char			*p = spawner_buf + spawner.len, **s;

	memset(&rq, 0, sizeof rq);
	rq.set_user = plan->set_user;
	rq.uid = plan->uid;
	rq.gid = plan->gid;
	rq.ngroups = plan->ngroups;
	rq.umask = plan->umask;
	rq.parent = plan->parent;
	rq.has_dir = plan->directory != NULL;
	rq.same_err = plan->fd_err == plan->fd_out;
	for (s = plan->argv; *s != NULL; s++)
		rq.argc++;
	for (s = plan->envp; *s != NULL; s++)
		rq.envc++;
	memcpy(p, &sz, sizeof sz);
	p += sizeof sz;
	memcpy(p, &rq, sizeof rq);
	p += sizeof rq;
	if (plan->ngroups > 0)
		memcpy(p, plan->groups, (size_t)plan->ngroups *
		    sizeof *plan->groups);
	p += (size_t)plan->ngroups * sizeof *plan->groups;
	spawner_put(&p, plan->path);
	if (plan->directory != NULL)
		spawner_put(&p, plan->directory);
	spawner_put(&p, plan->msg_user);
	spawner_put(&p, plan->msg_chdir);
	spawner_put(&p, plan->msg_exec);
	for (s = plan->argv; *s != NULL; s++)
		spawner_put(&p, *s);
	for (s = plan->envp; *s != NULL; s++)
		spawner_put(&p, *s);
	spawner.len += sizeof sz + size;
	spawner.count++;
}

/* Copies of the child's ends of the pipes, for the chunk. */
static int
spawner_add_fds(const struct spawn_plan *plan)
{
	int	 fds[SPAWNER_NFDS], n = 3, i, j;

	fds[0] = plan->fd_in;
	fds[1] = plan->fd_out;
	fds[2] = plan->fd_execerr;
	if (plan->fd_err != plan->fd_out)
		fds[n++] = plan->fd_err;
	for (i = 0; i < n; i++) {
		j = fcntl(fds[i], F_DUPFD_CLOEXEC, 0);
		if (j < 0) {
			while (i-- > 0)
				close(spawner.fds[--spawner.nfds]);
			return -1;
		}
		spawner.fds[spawner.nfds++] = j;
	}
	return 0;
}

/* Sends the chunk being filled. */
static int
spawner_push(void)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof spawner.fds)];
	} cm;
	uint64_t	 count = spawner.count;
	struct iovec	 iov = { spawner_buf, spawner.len };
	struct msghdr	 msg;
	struct cmsghdr	*c;
	size_t		 fdlen = (size_t)spawner.nfds * sizeof(int);
	ssize_t		 n;

	if (spawner.count == 0)
		return 0;
	memcpy(spawner_buf, &count, sizeof count);
	memset(&cm, 0, sizeof cm);
	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = CMSG_SPACE(fdlen);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(fdlen);
	memcpy(CMSG_DATA(c), spawner.fds, fdlen);
	while ((n = sendmsg(spawner.fd, &msg, MSG_NOSIGNAL)) < 0 &&
	    errno == EINTR)
		;
	spawner_drop_chunk();
	if (n != (ssize_t)iov.iov_len) {
		spawner_lost();
		return -1;
	}
	spawner.sent = spawner.n;
	return 0;
}

/*
 * The answer to a chunk comes within a few forks' time.  None by then means
 * a stuck spawner: it is killed, and an answer it sent meanwhile still
 * counts.  Returns the number of replies, -1 when lost.
 */
static int
spawner_reply(struct spawner_reply *r)
{
	struct pollfd	 pfd = { spawner.fd, POLLIN, 0 };
	ssize_t		 n;
	int		 ready;

	while ((ready = poll(&pfd, 1, SPAWNER_WAIT_MS)) < 0 && errno == EINTR)
		;
	if (ready == 0) {
		/* Dead, it can send nothing more. */
		kill(spawner.pid, SIGKILL);
		while (waitpid(spawner.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	while ((n = recv(spawner.fd, r, SPAWNER_CHUNK * sizeof *r,
	    ready == 0 ? MSG_DONTWAIT : 0)) < 0 && errno == EINTR)
		;
	if (ready == 0 || n <= 0 || n % (ssize_t)sizeof *r != 0)
		spawner_lost();
	return n > 0 ? (int)(n / (ssize_t)sizeof *r) : -1;
}

static void
spawner_close_ends(struct spawn_ends *e)
{
	int	*fds[] = { &e->in, &e->out, &e->err, &e->ex };
	size_t	 i;

	for (i = 0; i < sizeof fds / sizeof fds[0]; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* Reads the answers to the requests in flight before index upto. */
static void
spawner_answers(size_t upto)
{
	struct spawner_reply	 r[SPAWNER_CHUNK];
	struct spawner_flight	*f;
	int			 n, i;

	if (upto > spawner.sent && spawner.fd >= 0)
		spawner_push();
	while (spawner.answered < upto) {
		n = spawner.fd >= 0 ? spawner_reply(r) : -1;
		for (i = 0; i == 0 || i < n; i++) {
			if (spawner.answered == spawner.n)
				break;
			f = &spawner.ahead[spawner.answered++];
			f->pid = 0;
			/* Beyond the limits of the system, fork would fail too. */
			if (i < n && r[i].pid > 0)
				f->pid = r[i].pid;
			else if (i < n && (r[i].error == EAGAIN ||
			    r[i].error == ENOMEM))
				f->pid = -r[i].error;
		}
	}
}

int
spawner_request(const struct spawn_plan *plan, const void *key,
    struct spawn_ends *ends)
{
	struct spawner_flight	*f;
	size_t			 size;

	if (spawner.fd < 0 || spawner.n == SPAWNER_AHEAD ||
	    (size = spawner_size(plan)) == 0)
		return -1;
	if ((spawner.count == SPAWNER_CHUNK ||
	    spawner.len + sizeof(uint64_t) + size > SPAWNER_MAX) &&
	    spawner_push() != 0)
		return -1;
	if (spawner_add_fds(plan) != 0)
		return -1;
	spawner_pack(plan, size);
	f = &spawner.ahead[spawner.n++];
	f->key = key;
	f->ends = *ends;
	f->pid = 0;
	ends->in = ends->out = ends->err = ends->ex = -1;
	/* A full chunk goes at once: the spawner starts on it. */
	if (spawner.count == SPAWNER_CHUNK)
		spawner_push();
	return 0;
}

int
spawner_take(const void *key, pid_t *pid, struct spawn_ends *ends)
{
	struct spawner_flight	*f;
	size_t			 i;

	for (i = 0; i < spawner.n && spawner.ahead[i].key != key; i++)
		;
	if (i == spawner.n)
		return 0;
	spawner_answers(i + 1);
	f = &spawner.ahead[i];
	f->key = NULL;
	if (++spawner.taken == spawner.n)
		spawner.n = spawner.sent = spawner.answered = spawner.taken = 0;
	if (f->pid == 0) {
		spawner_close_ends(&f->ends);
		return 0;
	}
	*pid = f->pid;
	*ends = f->ends;
	return 1;
}

void
spawner_flush(void)
{
	struct spawner_flight	*f;
	size_t			 i;

	spawner_answers(spawner.n);
	for (i = 0; i < spawner.n; i++) {
		if ((f = &spawner.ahead[i])->key == NULL)
			continue;
		/* Its start was called off meanwhile. */
		if (f->pid > 0) {
			kill(f->pid, SIGKILL);
			while (waitpid(f->pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		spawner_close_ends(&f->ends);
	}
	spawner.n = spawner.sent = spawner.answered = spawner.taken = 0;
}

int
spawner_spawn(const struct spawn_plan *plan, pid_t *pid, int *error)
{
	struct spawn_ends	 none = { -1, -1, -1, -1 };

	*error = 0;
	if (spawner_request(plan, plan, &none) != 0 ||
	    !spawner_take(plan, pid, &none))
		return -1;
	if (*pid < 0) {
		*error = -*pid;
		return -1;
	}
	return 0;
}
