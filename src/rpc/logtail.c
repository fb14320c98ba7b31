/* SPDX-License-Identifier: ISC */
/*
 * The log streams behind supervisorctl's "tail -f" and "maintail -f": a
 * chunked reply that starts with the end of the file and then follows it,
 * polled on a timer as supervisord does, reopened when the file is replaced
 * by rotation, and dropped as soon as the client is gone.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>

#include "api/api.h"
#include "rpc/http.h"
#include "util/log.h"
#include "util/value.h"
#include "util/xmalloc.h"

/* What a new stream starts with, as supervisord. */
#define LOGTAIL_HEAD		1024
#define LOGTAIL_POLL_USEC	100000
/* Read at most this much per tick ... */
#define LOGTAIL_READ_MAX	(256 * 1024)
/* ... and nothing while this much still waits for a slow client. */
#define LOGTAIL_QUEUE_MAX	(256 * 1024)

struct logtail {
	struct http_server	*hs;
	struct evhttp_request	*req;	/* NULL once the client is gone */
	int			 lookup;	/* getProcessInfo in flight */
	int			 is_stderr;
	char			*path;
	int			 fd;
	dev_t			 dev;
	ino_t			 ino;
	off_t			 pos;
	struct event		*timer;
};

static void
logtail_free(struct logtail *t)
{
	if (t->timer != NULL)
		event_free(t->timer);
	if (t->fd != -1)
		close(t->fd);
	free(t->path);
	free(t);
}

static void
logtail_gone(void *arg)
{
	struct logtail	*t = arg;

	/*
	 * evhttp frees a request still on its connection; one it took off
	 * after a failed write while we were streaming is ours to free.
	 */
	if (t->req != NULL && evhttp_request_get_connection(t->req) == NULL)
		evhttp_request_free(t->req);
	t->req = NULL;
	if (!t->lookup)
		logtail_free(t);
}

static void
logtail_fail(struct logtail *t, int code)
{
	http_watch(t->hs, t->req, NULL, NULL);
	http_error(t->req, code);
	logtail_free(t);
}

static struct evbuffer *
logtail_output(struct logtail *t)
{
	return bufferevent_get_output(evhttp_connection_get_bufferevent(
	    evhttp_request_get_connection(t->req)));
}

/*
 * The request was read in full and evhttp reads nothing more until the
 * reply ends, which a stream never does: so look at the socket directly.
 * Anything the client sends now is of no use and is thrown away.
 */
static int
logtail_peer_closed(struct logtail *t)
{
	struct bufferevent	*bev;
	char			 buf[512];
	ssize_t			 n;
	int			 i;

	bev = evhttp_connection_get_bufferevent(
	    evhttp_request_get_connection(t->req));
	for (i = 0; i < 16; i++) {
		n = recv(bufferevent_getfd(bev), buf, sizeof buf, MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR;
	}
	return 0;
}

static void
logtail_send(struct logtail *t, const void *data, size_t len)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add(b, data, len);
	evhttp_send_reply_chunk(t->req, b);
	evbuffer_free(b);
}

/* A new file under the name (rotation): follow it from its start. */
static void
logtail_follow(struct logtail *t)
{
	struct stat	 st;
	int		 fd;

	if (stat(t->path, &st) != 0 ||
	    (st.st_dev == t->dev && st.st_ino == t->ino))
		return;
	if ((fd = open(t->path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	close(t->fd);
	t->fd = fd;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->pos = 0;
}

/* Sends what was appended since the last time. */
static void
logtail_more(struct logtail *t)
{
	static const char	 truncated[] = "==> File truncated <==\n";
	struct stat		 st;
	char			*buf;
	size_t			 want;
	ssize_t			 n;

	if (fstat(t->fd, &st) != 0)
		return;
	if (st.st_size < t->pos) {
		/* supervisord means to say so; its chunked reply drops it. */
		logtail_send(t, truncated, sizeof truncated - 1);
		t->pos = 0;
	}
	if (st.st_size == t->pos ||
	    evbuffer_get_length(logtail_output(t)) > LOGTAIL_QUEUE_MAX)
		return;
	want = (size_t)(st.st_size - t->pos);
	if (want > LOGTAIL_READ_MAX)
		want = LOGTAIL_READ_MAX;
	buf = xmalloc(want);
	if ((n = pread(t->fd, buf, want, t->pos)) > 0) {
		logtail_send(t, buf, (size_t)n);
		t->pos += n;
	}
	free(buf);
}

static void
logtail_tick(evutil_socket_t fd, short what, void *arg)
{
	struct logtail	*t = arg;

	(void)fd;
	(void)what;
	if (logtail_peer_closed(t)) {
		/* Its close callback frees t through logtail_gone. */
		evhttp_connection_free(evhttp_request_get_connection(t->req));
		return;
	}
	logtail_follow(t);
	logtail_more(t);
}

static void
logtail_begin(struct logtail *t, const char *path, int process)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(t->req);
	struct timeval		 tv = { 0, LOGTAIL_POLL_USEC };
	struct stat		 st;
	struct tm		 tm;
	char			 date[64];

	t->path = xstrdup(path);
	if ((t->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(t->fd, &st) != 0) {
		logtail_fail(t, 404);
		return;
	}
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->pos = st.st_size >= LOGTAIL_HEAD ? st.st_size - LOGTAIL_HEAD : 0;

	evhttp_add_header(h, "Content-Type", "text/plain;charset=utf-8");
	if (gmtime_r(&st.st_mtime, &tm) != NULL &&
	    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0)
		evhttp_add_header(h, "Last-Modified", date);
	/* Asks a reverse proxy in front not to buffer the stream. */
	if (process)
		evhttp_add_header(h, "X-Accel-Buffering", "no");
	evhttp_send_reply_start(t->req, 200, "OK");

	t->timer = event_new(http_server_base(t->hs), -1, EV_PERSIST,
	    logtail_tick, t);
	event_add(t->timer, &tv);
	logtail_more(t);
}

static void
logtail_info_done(const struct api_reply *r, void *arg)
{
	struct logtail	*t = arg;
	const char	*path;

	t->lookup = 0;
	if (t->req == NULL) {
		logtail_free(t);
		return;
	}
	if (r->result == NULL) {
		logtail_fail(t, 404);
		return;
	}
	path = value_get_string(r->result, t->is_stderr ? "stderr_logfile" :
	    "stdout_logfile", "");
	if (*path == '\0') {
		logtail_fail(t, 404);
		return;
	}
	logtail_begin(t, path, 1);
}

/*
 * Splits "/logtail/<name>[/<channel>]" as supervisord: the channel is
 * stdout unless given, and anything after it belongs to it.
 */
static int
logtail_parse(const char *path, char **name, int *is_stderr)
{
	const char	*p, *slash;

	p = path + strspn(path, "/");
	if ((p = strchr(p, '/')) == NULL)
		return -1;
	p++;
	if ((slash = strchr(p, '/')) == NULL) {
		*name = xstrdup(p);
		*is_stderr = 0;
		return 0;
	}
	if (strcmp(slash + 1, "stdout") != 0 && strcmp(slash + 1, "stderr") != 0)
		return -1;
	*name = xstrndup(p, (size_t)(slash - p));
	*is_stderr = slash[4] == 'e';
	return 0;
}

void
logtail_handle(struct http_server *hs, struct evhttp_request *req,
    const char *path, int mainlog)
{
	struct logtail	*t;
	char		*name;
	int		 is_stderr;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		http_error(req, 400);
		return;
	}
	t = xcalloc(1, sizeof *t);
	t->hs = hs;
	t->req = req;
	t->fd = -1;
	http_watch(hs, req, logtail_gone, t);
	if (mainlog) {
		if (log_path() == NULL)
			logtail_fail(t, 404);
		else
			logtail_begin(t, log_path(), 0);
		return;
	}
	if (logtail_parse(path, &name, &is_stderr) != 0) {
		logtail_fail(t, 404);
		return;
	}
	t->is_stderr = is_stderr;
	t->lookup = 1;
	api_callf(http_server_api(hs), logtail_info_done, t,
	    "supervisor.getProcessInfo", "s", name);
	free(name);
}
