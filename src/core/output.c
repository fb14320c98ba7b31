/* SPDX-License-Identifier: ISC */
/*
 * Child output: each stdout/stderr pipe is moved to the channel's log file
 * as it fills, with splice(2) when nothing has to see the bytes, one chunk
 * per callback.  A pipe that keeps trickling is looked at once a millisecond
 * instead of at every write, which saves both sides a wake-up per line; when
 * we cannot keep up, the child blocks in write(2) on the full pipe.
 */
#include <sys/timerfd.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "internal.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/pyrepr.h"
#include "util/rotate.h"
#include "util/xmalloc.h"

/* Most bytes moved per callback: the loop serves others between chunks. */
#define OUTPUT_CHUNK		(128 * 1024)
/* Output this much apart or less is a stream: poll instead of waking. */
#define OUTPUT_STREAM_GAP	0.001
/* A read this small from a stream means we wake for every few lines. */
#define OUTPUT_TRICKLE		(16 * 1024)
/* Pipe capacity for a writer that fills the pipe between two looks. */
#define OUTPUT_BIG_PIPE		(1024 * 1024)
/* The polling period; also the most a line waits to reach the file. */
#define OUTPUT_POLL_NSEC	1000000L

/*
 * Allocated with the storage of ev after it, for event_assign(): one block
 * per pipe instead of two, which a thousand programs feel.
 */
struct output {
	struct process		*p;
	const char		*channel;	/* "stdout" or "stderr" */
	struct event		*ev;		/* readable; off while polling */
	struct event		*tev;		/* the timerfd's, once polled */
	struct rotlog		*log;
	double			 last;		/* when bytes last came */
	int			 fd;
	int			 tfd;		/* timerfd ticking while polling */
	int			 pipesz;	/* capacity now, 0 unknown */
	int			 pipesz0;	/* capacity at creation */
	unsigned char		 strip_ansi;
	unsigned char		 plain;		/* no one sees the bytes */
	unsigned char		 polling;
	unsigned char		 nopoll;	/* the pipe could not grow */
	void			*evmem[];	/* ev, pointer-aligned */
};

/* For the bytes someone must see; idle, its pages go back (xmalloc_trim). */
static char	output_buf[OUTPUT_CHUNK];
static int	output_buf_idle;

/* Removes ESC [ ... up to the first of supervisord's final characters. */
static size_t
output_strip_ansi(char *buf, size_t len)
{
	size_t	 i = 0, j = 0;

	while (i < len) {
		if (buf[i] == '\033' && i + 1 < len && buf[i + 1] == '[') {
			i += 2;
			while (i < len && strchr("HfABCDRsuJKhlpm", buf[i]) ==
			    NULL)
				i++;
			if (i < len)
				i++;
			continue;
		}
		buf[j++] = buf[i++];
	}
	return j;
}

static void
output_write_failed(struct output *o, int error)
{
	log_error("%s: %s log write failed: %s", o->p->cfg->name, o->channel,
	    strerror(error));
}

/*
 * The DEBG copy of output, as supervisord logs it: bytes that are not UTF-8
 * as "Undecodable: b'...'".  %.*s would stop at a NUL byte, so NULs are
 * shown as \x00 and the rest of the text goes through as it is.
 */
static void
output_log_debug(struct output *o, const char *buf, size_t len)
{
	char	*copy, *q;
	size_t	 i, nul = 0;

	/* supervisord shows what is not UTF-8 as Python's bytes repr. */
	if (!py_utf8_valid(buf, len)) {
		copy = py_repr(buf, len, 1);
		log_debug("'%s' %s output:\nUndecodable: %s", o->p->cfg->name,
		    o->channel, copy);
		free(copy);
		return;
	}
	for (i = 0; i < len; i++)
		nul += buf[i] == '\0';
	if (nul == 0) {
		log_debug("'%s' %s output:\n%.*s", o->p->cfg->name, o->channel,
		    (int)len, buf);
		return;
	}
	q = copy = xmalloc(len + 3 * nul + 1);
	for (i = 0; i < len; i++) {
		if (buf[i] == '\0') {
			memcpy(q, "\\x00", 4);
			q += 4;
		} else
			*q++ = buf[i];
	}
	log_debug("'%s' %s output:\n%.*s", o->p->cfg->name, o->channel,
	    (int)(q - copy), copy);
	free(copy);
}

static void
output_handle(struct output *o, char *buf, size_t len)
{
	if (o->strip_ansi)
		len = output_strip_ansi(buf, len);
	if (o->log != NULL && len > 0 && rotlog_write(o->log, buf, len) != 0)
		output_write_failed(o, errno);
	if (log_enabled(LOG_LEVEL_DEBUG))
		output_log_debug(o, buf, len);
}

/*
 * Pipe to file without a copy through our memory.  Returns the bytes moved,
 * 0 at EOF, -1 for an empty pipe, -2 when the bytes must be read instead.
 */
static ssize_t
output_splice(struct output *o)
{
	size_t	 moved;

	if (rotlog_splice(o->log, o->fd, OUTPUT_CHUNK, &moved) == 0)
		return (ssize_t)moved;
	if (moved > 0) {
		output_write_failed(o, errno);
		return (ssize_t)moved;
	}
	if (errno == EAGAIN)
		return -1;

	/*
	 * EINVAL: this file takes no splice, read from now on.  A write error
	 * leaves the bytes in the pipe: the read below drops them and says so,
	 * as it would without splice, so the child is not blocked.
	 */
	if (errno == EINVAL)
		o->plain = 0;
	return -2;
}

/* Moves one chunk: the bytes moved, 0 at EOF or on error, -1 if empty. */
static ssize_t
output_move(struct output *o)
{
	ssize_t	 n;

	if (o->plain && !log_enabled(LOG_LEVEL_DEBUG) &&
	    (n = output_splice(o)) != -2)
		return n;
	if (!output_buf_idle) {
		xmalloc_idle_buffer(output_buf, sizeof output_buf);
		output_buf_idle = 1;
	}
	for (;;) {
		n = read(o->fd, output_buf, sizeof output_buf);
		if (n > 0) {
			output_handle(o, output_buf, (size_t)n);
			return n;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 && errno == EAGAIN ? -1 : 0;
	}
}

/* Sets the pipe's capacity; a refusal (quota, busy) keeps the old one. */
static void
output_resize(struct output *o, int size)
{
	int	 n;

	if ((n = fcntl(o->fd, F_SETPIPE_SZ, size)) != -1)
		o->pipesz = n;
}

static void
output_tick_cb(evutil_socket_t fd, short what, void *arg);

/* Waits for the pipe to be readable: the next bytes are taken at once. */
static void
output_watch(struct output *o)
{
	struct itimerspec	 off = { { 0, 0 }, { 0, 0 } };

	if (!o->polling)
		return;
	o->polling = 0;
	timerfd_settime(o->tfd, 0, &off, NULL);
	event_del(o->tev);
	event_add(o->ev, NULL);
}

/*
 * Looks at the pipe every millisecond, whatever the child writes meanwhile.
 * A timerfd rather than a loop timer: libevent's timers run on a coarse
 * clock (4 ms ticks here), which would leave lines out of the file longer.
 */
static int
output_poll(struct output *o)
{
	struct itimerspec	 on = { { 0, OUTPUT_POLL_NSEC },
				    { 0, OUTPUT_POLL_NSEC } };

	if (o->polling)
		return 0;
	if (o->tfd == -1) {
		o->tfd = timerfd_create(CLOCK_MONOTONIC,
		    TFD_NONBLOCK|TFD_CLOEXEC);
		if (o->tfd == -1)
			return -1;
		o->tev = event_new(o->p->group->sv->base, o->tfd,
		    EV_READ|EV_PERSIST, output_tick_cb, o);
		event_priority_set(o->tev, event_get_priority(o->ev));
	}
	if (timerfd_settime(o->tfd, 0, &on, NULL) == -1)
		return -1;
	o->polling = 1;
	event_del(o->ev);
	event_add(o->tev, NULL);
	return 0;
}

static void
output_stop(struct output *o)
{
	if (o->tev != NULL) {
		event_free(o->tev);
		o->tev = NULL;
	}
	if (o->tfd >= 0)
		close(o->tfd);
	o->tfd = -1;
	if (o->ev != NULL) {
		event_del(o->ev);
		o->ev = NULL;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	o->polling = 0;
}

/*
 * How to wait for the next chunk after n bytes.  A full chunk or a pipe
 * half full or more: more is waiting, come back at once (and give a pipe
 * that the child fills faster than we drain more room, for fewer wake-ups).
 * A small read soon after the previous one: the child writes lines as fast
 * as we read them, so poll instead and let them gather in the pipe; a
 * millisecond keeps the log file current for its readers.
 */
static void
output_next(struct output *o, ssize_t n, double gap)
{
	if (o->pipesz > 0 && n >= o->pipesz / 2) {
		/*
		 * Half, as pages hold whole writes only: a full pipe of
		 * 2100-byte lines holds little more than half its size.
		 * Polling a pipe that stays this small would stall the child.
		 */
		if (o->pipesz < OUTPUT_BIG_PIPE && !o->nopoll) {
			output_resize(o, OUTPUT_BIG_PIPE);
			if (o->pipesz < OUTPUT_BIG_PIPE)
				o->nopoll = 1;
		}
		output_watch(o);
	} else if (n == OUTPUT_CHUNK || o->nopoll)
		output_watch(o);
	else if (o->polling || (n < OUTPUT_TRICKLE &&
	    gap < OUTPUT_STREAM_GAP)) {
		if (output_poll(o) == -1) {
			o->nopoll = 1;
			output_watch(o);
		}
	} else
		output_watch(o);
}

/* Moves one chunk; at EOF stops, on an empty pipe waits for readability. */
static void
output_service(struct output *o)
{
	ssize_t	 n;
	double	 now;

	if ((n = output_move(o)) == 0) {
		output_stop(o);
		return;
	}
	if (n < 0) {
		if (o->pipesz > o->pipesz0)
			output_resize(o, o->pipesz0);
		output_watch(o);
		return;
	}
	now = clock_mono();
	output_next(o, n, now - o->last);
	o->last = now;
}

static void
output_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	output_service(arg);
}

static void
output_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	uint64_t	 ticks;

	(void)what;

	/* Ticks missed do not matter: this look takes all that gathered. */
	while (read(fd, &ticks, sizeof ticks) == -1 && errno == EINTR)
		;
	output_service(arg);
}

struct output *
output_create(struct process *p, int fd, const char *channel,
    const struct channel_config *cc, const char *path, int strip_ansi)
{
	struct output	*o;
	char		*cause = NULL;
	int		 npri;

	o = xcalloc(1, sizeof *o + event_get_struct_event_size());
	o->p = p;
	o->channel = channel;
	o->fd = fd;
	o->tfd = -1;
	o->strip_ansi = strip_ansi;
	if (path != NULL) {
		o->log = rotlog_open(path, cc->maxbytes, cc->backups,
		    cc->kind == LOGFILE_AUTO ? 0600 : 0666, &cause);
		if (o->log == NULL) {
			log_error("%s: cannot open %s log: %s", p->cfg->name,
			    channel, cause);
			free(cause);
		}
	}

	/* What may see the bytes one day keeps them on the read path. */
	o->plain = o->log != NULL && o->log->regular && !strip_ansi &&
	    !cc->syslog && cc->capture_maxbytes == 0 && !cc->events_enabled;
	if ((o->pipesz = fcntl(fd, F_GETPIPE_SZ)) == -1)
		o->pipesz = 0;
	o->pipesz0 = o->pipesz;
	o->last = -1;
	o->ev = (struct event *)o->evmem;
	event_assign(o->ev, p->group->sv->base, fd, EV_READ | EV_PERSIST,
	    output_cb, o);

	/* Where the loop has priorities, requests come before bulk output. */
	if ((npri = event_base_get_npriorities(p->group->sv->base)) > 2)
		event_priority_set(o->ev, npri - 1);
	event_add(o->ev, NULL);
	return o;
}

void
output_drain(struct output *o)
{
	int	 i;

	/*
	 * Bounded: a grandchild that keeps the pipe open and writes must not
	 * hold the loop here.
	 */
	for (i = 0; i < 64 && o->fd >= 0; i++) {
		switch (output_move(o)) {
		case 0:
			output_stop(o);
			return;
		case -1:
			return;
		}
	}
}

void
output_free(struct output *o)
{
	if (o == NULL)
		return;
	output_stop(o);
	rotlog_free(o->log);
	free(o);
}

int
output_reopen(struct output *o)
{
	return o->log != NULL ? rotlog_reopen(o->log) : 0;
}

int
output_clear(struct output *o)
{
	return o->log != NULL ? rotlog_clear(o->log) : -1;
}
