/* SPDX-License-Identifier: ISC */
/*
 * Child output: each stdout/stderr pipe is read as soon as it is readable
 * and written at once to the channel's log file, so memory stays bounded
 * however much a program writes; when we cannot keep up, the child blocks
 * in write(2) on the full pipe (natural back-pressure).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "internal.h"
#include "util/log.h"
#include "util/rotate.h"
#include "util/xmalloc.h"

/* supervisord reads 128 KiB per event; a few reads per wake-up save polls. */
#define OUTPUT_CHUNK		(128 * 1024)
#define OUTPUT_READS_PER_EVENT	8

struct output {
	struct process		*p;
	const char		*channel;	/* "stdout" or "stderr" */
	int			 fd;
	struct event		*ev;
	struct rotlog		*log;
	int			 strip_ansi;
};

static char	output_buf[OUTPUT_CHUNK];

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

/*
 * The DEBG copy of output: %.*s would stop at a NUL byte, so NULs are shown
 * as \x00 and the rest of the bytes go through as they are.
 */
static void
output_log_debug(struct output *o, const char *buf, size_t len)
{
	char	*copy, *q;
	size_t	 i, nul = 0;

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
		log_error("%s: %s log write failed: %s", o->p->cfg->name,
		    o->channel, strerror(errno));
	if (log_enabled(LOG_LEVEL_DEBUG))
		output_log_debug(o, buf, len);
}

/* Returns 1 at EOF or error, 0 when the pipe is empty for now. */
static int
output_read(struct output *o, int maxreads)
{
	ssize_t	 n;
	int	 i;

	for (i = 0; maxreads < 0 || i < maxreads; i++) {
		n = read(o->fd, output_buf, sizeof output_buf);
		if (n > 0) {
			output_handle(o, output_buf, (size_t)n);
			/* A short read emptied the pipe: wait for the next event. */
			if ((size_t)n < sizeof output_buf && maxreads >= 0)
				return 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return 1;
	}
	return 0;
}

static void
output_stop(struct output *o)
{
	if (o->ev != NULL) {
		event_free(o->ev);
		o->ev = NULL;
	}
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

static void
output_cb(evutil_socket_t fd, short what, void *arg)
{
	struct output	*o = arg;

	(void)fd;
	(void)what;
	if (output_read(o, OUTPUT_READS_PER_EVENT))
		output_stop(o);
}

struct output *
output_create(struct process *p, int fd, const char *channel,
    const struct channel_config *cc, const char *path, int strip_ansi)
{
	struct output	*o;
	char		*cause = NULL;

	o = xcalloc(1, sizeof *o);
	o->p = p;
	o->channel = channel;
	o->fd = fd;
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
	o->ev = event_new(p->group->sv->base, fd, EV_READ | EV_PERSIST,
	    output_cb, o);
	event_add(o->ev, NULL);
	return o;
}

void
output_drain(struct output *o)
{
	/*
	 * Bounded: a grandchild that keeps the pipe open and writes must not
	 * hold the loop here.
	 */
	if (o->fd >= 0 && output_read(o, 64))
		output_stop(o);
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
