/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target of the daemon's HTTP side: the bytes are sent as they are to
 * a taskmasterd set up as its main() does (boot.c) on a small config whose
 * programs never start, over its Unix socket, and the loop runs until the
 * server has answered and closed.  A request holding an Authorization
 * header goes to the server with a password, any other to the open one.
 * Each input gets a new supervisor, so that what one call changes (a
 * shutdown, a cleared log) does not change how the next one is handled.
 * FUZZ_VERBOSE in the environment prints what the server sends.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/event.h>

#include "boot.h"
#include "core/supervisor.h"
#include "fuzz.h"
#include "rpc/http.h"
#include "util/xmalloc.h"

/* Past the header and body limits the server only reads and discards. */
#define FUZZ_HTTP_MAX		(256 * 1024)
/* Timers fired for one input before it counts as a hang. */
#define FUZZ_HTTP_TIMERS	10000

/*
 * Nothing may fork (see fuzz_http_nofork), so a start of b or c fails with
 * a spawn error, after a backoff of 1, 2 and 3 seconds for b; a does not
 * exist and d is not executable, which the API tells before any start.
 */
static const char fuzz_http_conf[] =
    "[supervisord]\n"
    "logfile = %(here)s/main.log\n"
    "logfile_maxbytes = 64KB\n"
    "logfile_backups = 1\n"
    "loglevel = debug\n"
    "childlogdir = %(here)s\n"
    "identifier = fuzz\n"
    "\n"
    "[unix_http_server]\n"
    "file = %(here)s/open.sock\n"
    "\n"
    "[unix_http_server_auth]\n"
    "file = %(here)s/auth.sock\n"
    "username = user\n"
    "password = {SHA}a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\n"
    "\n"
    "[rpcinterface:supervisor]\n"
    "supervisor.rpcinterface_factory = "
    "supervisor.rpcinterface:make_main_rpcinterface\n"
    "\n"
    "[program:a]\n"
    "command = /nonexistent/a --flag\n"
    "autostart = false\n"
    "startretries = 0\n"
    "stdout_logfile = %(here)s/a.log\n"
    "stderr_logfile = %(here)s/a.err\n"
    "\n"
    "[program:b]\n"
    "command = /bin/true\n"
    "process_name = %(program_name)s_%(process_num)d\n"
    "numprocs = 2\n"
    "autostart = false\n"
    "stdout_logfile = AUTO\n"
    "redirect_stderr = true\n"
    "\n"
    "[program:c]\n"
    "command = /bin/sh -c 'exit 3'\n"
    "startretries = 0\n"
    "autostart = false\n"
    "stdout_logfile = NONE\n"
    "stderr_logfile = AUTO\n"
    "\n"
    "[program:d]\n"
    "command = %(here)s/a.log\n"
    "autostart = false\n"
    "\n"
    "[group:g]\n"
    "programs = b,c\n";

/* What a's logs hold when an input starts. */
static const char fuzz_http_log[] =
    "line one\nline two\n\xff\xfe not UTF-8 <&>\nlast line without end";

/* The client side of the connection: write everything, read to the end. */
struct fuzz_client {
	int		 fd;
	const uint8_t	*data;
	size_t		 left;
	struct event	*rev;
	struct event	*wev;
	int		 written;	/* all sent, or the server stopped it */
	int		 done;		/* the server closed */
	struct timeval	 sent;
	char		 head[6];	/* the first bytes of the answer */
	size_t		 nhead;
};

/* The timer due first, found without changing anything in the base. */
struct fuzz_next {
	const struct event	*ev;
	struct timeval		 tv;
};

static char	*fuzz_http_confpath;
static int	 fuzz_http_verbose;
static char	*fuzz_http_logs[2];
static char	*fuzz_http_mainlog;

/* The sanitizers' symbolizer, when they are linked in. */
void	__sanitizer_symbolize_pc(void *pc, const char *fmt, char *out,
	    size_t size) __attribute__((weak));

/*
 * Forbids this process to create processes: fork, vfork and clone without
 * CLONE_VM (or with CLONE_VFORK) fail with EAGAIN, clone3 with ENOSYS so
 * that glibc falls back to clone.  Threads, and the thread the leak checker
 * traces us from, are still allowed.  So an API call that starts a program
 * gets far, up to a spawn error, without the cost and the randomness of a
 * child.
 */
static void
fuzz_http_nofork(void)
{
#if defined(__x86_64__)
	struct sock_filter	 insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 8),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fork, 7, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_vfork, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VFORK, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VM, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAGAIN),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog	 prog = {
		.len = sizeof insns / sizeof insns[0],
		.filter = insns,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		fuzz_fail("seccomp: %s", strerror(errno));
#else
	fuzz_fail("no filter against fork on this architecture");
#endif
}

static void
fuzz_http_setup(void)
{
	char	 buf[256];

	if (fuzz_http_confpath != NULL)
		return;
	fuzz_http_verbose = getenv("FUZZ_VERBOSE") != NULL;
	/*
	 * The symbolizer of crash reports runs as a child: start it while
	 * fork is allowed and PATH (cleared by fuzz_dir) still finds it.
	 */
	if (__sanitizer_symbolize_pc != NULL)
		__sanitizer_symbolize_pc((void *)fuzz_http_setup, "%F", buf,
		    sizeof buf);
	fuzz_http_confpath = fuzz_path("supervisord.conf");
	fuzz_write(fuzz_http_confpath, fuzz_http_conf,
	    sizeof fuzz_http_conf - 1);
	fuzz_http_logs[0] = fuzz_path("a.log");
	fuzz_http_logs[1] = fuzz_path("a.err");
	fuzz_http_mainlog = fuzz_path("main.log");
	fuzz_http_nofork();
}

static void
fuzz_http_written(struct fuzz_client *c)
{
	c->written = 1;
	event_del(c->wev);
	shutdown(c->fd, SHUT_WR);
	gettimeofday(&c->sent, NULL);
}

static void
fuzz_http_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fuzz_client	*c = arg;
	ssize_t			 n;

	(void)what;
	while (c->left > 0) {
		n = send(fd, c->data, c->left, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		/* The server may close before it has read everything. */
		if (n <= 0)
			break;
		c->data += n;
		c->left -= (size_t)n;
	}
	fuzz_http_written(c);
}

/* Whatever the request, what comes back is an HTTP response. */
static void
fuzz_http_head(struct fuzz_client *c, const char *buf, size_t len)
{
	size_t	n = sizeof c->head - 1 - c->nhead;

	if (n == 0)
		return;
	if (n > len)
		n = len;
	memcpy(c->head + c->nhead, buf, n);
	c->nhead += n;
	if (strncmp(c->head, "HTTP/", c->nhead < 5 ? c->nhead : 5) != 0)
		fuzz_fail("the answer starts with '%.*s'", (int)c->nhead,
		    c->head);
}

static void
fuzz_http_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fuzz_client	*c = arg;
	char			 buf[16384];
	ssize_t			 n;

	(void)what;
	for (;;) {
		n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0)
			break;
		fuzz_http_head(c, buf, (size_t)n);
		if (fuzz_http_verbose)
			fwrite(buf, 1, (size_t)n, stderr);
	}
	c->done = 1;
	event_del(c->rev);
	if (!c->written)
		fuzz_http_written(c);
}

static int
fuzz_http_connect(const char *name)
{
	struct sockaddr_un	 sun;
	char			*path;
	int			 fd;

	path = fuzz_path(name);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		fuzz_fail("socket path %s too long", path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0)
		fuzz_fail("connect %s: %s", path, strerror(errno));
	free(path);
	return fd;
}

static int
fuzz_http_next_cb(const struct event_base *base, const struct event *ev,
    void *arg)
{
	struct fuzz_next	*next = arg;
	struct timeval		 tv;

	(void)base;
	if (!event_pending(ev, EV_TIMEOUT, &tv))
		return 0;
	if (next->ev == NULL || timercmp(&tv, &next->tv, <)) {
		next->ev = ev;
		next->tv = tv;
	}
	return 0;
}

/*
 * With nothing left to read or write, only timers can move things on, so
 * the first is fired at once instead of waiting for it: a log stream's
 * poll, a backoff, an idle connection's timeout.  A server that is still
 * holding the connection when its idle timeout comes never answered.
 */
static int
fuzz_http_fire_timer(struct event_base *base, struct fuzz_client *c)
{
	struct fuzz_next	 next;
	struct timeval		 waited;

	memset(&next, 0, sizeof next);
	event_base_foreach_event(base, fuzz_http_next_cb, &next);
	if (next.ev == NULL)
		return -1;
	if (c->written) {
		timersub(&next.tv, &c->sent, &waited);
		if (waited.tv_sec >= HTTP_TIMEOUT - 1)
			fuzz_fail("no answer after %ld seconds",
			    (long)waited.tv_sec);
	}
	event_active((struct event *)next.ev, EV_TIMEOUT, 1);
	return 0;
}

static void
fuzz_http_exchange(struct boot *b, const uint8_t *data, size_t size,
    const char *sock)
{
	struct fuzz_client	 c;
	int			 timers = 0;

	memset(&c, 0, sizeof c);
	c.fd = fuzz_http_connect(sock);
	c.data = data;
	c.left = size;
	c.rev = event_new(b->base, c.fd, EV_READ | EV_PERSIST,
	    fuzz_http_read_cb, &c);
	c.wev = event_new(b->base, c.fd, EV_WRITE | EV_PERSIST,
	    fuzz_http_write_cb, &c);
	event_add(c.rev, NULL);
	event_add(c.wev, NULL);
	for (;;) {
		event_base_loop(b->base, EVLOOP_NONBLOCK);
		if (c.done)
			break;
		/* A shutdown breaks the loop before it is idle. */
		if (event_base_got_break(b->base))
			continue;
		if (fuzz_http_fire_timer(b->base, &c) != 0)
			fuzz_fail("the connection is open and nothing is due");
		if (++timers > FUZZ_HTTP_TIMERS)
			fuzz_fail("still no answer after %d timers", timers);
	}
	event_free(c.wev);
	event_free(c.rev);
	close(c.fd);
	/* Let the server see the close before it is torn down. */
	event_base_loop(b->base, EVLOOP_NONBLOCK);
}

/* Unblocks what boot_init blocked, so that the fuzzer sees its signals. */
static void
fuzz_http_unblock(void)
{
	sigset_t	 set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static int
fuzz_http_has_auth(const uint8_t *data, size_t size)
{
	static const char	 h[] = "authorization:";
	size_t			 i;

	for (i = 0; i + sizeof h - 1 <= size; i++) {
		if (strncasecmp((const char *)data + i, h, sizeof h - 1) == 0)
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct boot	 b;
	struct config	*cfg;
	size_t		 i;

	if (size > FUZZ_HTTP_MAX)
		return -1;
	fuzz_http_setup();
	for (i = 0; i < 2; i++)
		fuzz_write(fuzz_http_logs[i], fuzz_http_log,
		    sizeof fuzz_http_log - 1);
	unlink(fuzz_http_mainlog);

	cfg = boot_load_config("fuzz-http", fuzz_http_confpath);
	memset(&b, 0, sizeof b);
	boot_init(&b, "fuzz-http", cfg);
	boot_servers(&b);
	supervisor_start(b.sv);
	fuzz_http_exchange(&b, data, size, fuzz_http_has_auth(data, size) ?
	    "auth.sock" : "open.sock");
	boot_free(&b);
	fuzz_http_unblock();
	return 0;
}
