/* SPDX-License-Identifier: ISC */
/*
 * A listener's stdout read as supervisord's PEventListenerDispatcher reads
 * it, but streaming: instead of a buffer that grows with what the listener
 * writes, only the READY token or the result line is kept (bounded), and
 * the result body is compared with "OK" as it arrives.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "util/pyrepr.h"
#include "listener.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define LISTENER_READY_TOKEN	"READY\n"
#define LISTENER_READY_LEN	6
/* "RESULT " is skipped, never compared: supervisord does not check it. */
#define LISTENER_RESULT_SKIP	7
/* A result line this long without a newline is taken as a bad one. */
#define LISTENER_LINE_MAX	1024

struct listener {
	char			*name;
	listener_result_cb	 cb;
	void			*arg;
	enum listener_state	 state;
	char			 line[LISTENER_LINE_MAX];
	size_t			 linelen;
	int			 have_len;	/* the result line was read */
	unsigned long long	 resultlen;
	unsigned long long	 got;
	int			 ok;	/* the body so far begins "OK" */
};

struct listener *
listener_create(const char *name, listener_result_cb cb, void *arg)
{
	struct listener	*l;

	l = xcalloc(1, sizeof *l);
	l->name = xstrdup(name);
	l->cb = cb;
	l->arg = arg;
	listener_reset(l);
	return l;
}

void
listener_free(struct listener *l)
{
	if (l == NULL)
		return;
	free(l->name);
	free(l);
}

void
listener_reset(struct listener *l)
{
	l->state = LISTENER_ACKNOWLEDGED;
	l->linelen = 0;
	l->have_len = 0;
}

enum listener_state
listener_state(const struct listener *l)
{
	return l->state;
}

const char *
listener_state_name(enum listener_state state)
{
	switch (state) {
	case LISTENER_READY:
		return "READY";
	case LISTENER_BUSY:
		return "BUSY";
	case LISTENER_ACKNOWLEDGED:
		return "ACKNOWLEDGED";
	case LISTENER_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

const char *
listener_name(const struct listener *l)
{
	return l->name;
}

static void
listener_change(struct listener *l, enum listener_state state)
{
	log_debug("%s: %s -> %s", l->name, listener_state_name(l->state),
	    listener_state_name(state));
	l->state = state;
	l->linelen = 0;
	l->have_len = 0;
	if (state == LISTENER_UNKNOWN)
		log_warn("%s: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
		    l->name);
}

void
listener_set_busy(struct listener *l)
{
	l->state = LISTENER_BUSY;
	l->linelen = 0;
	l->have_len = 0;
}

/* supervisord logs every read as the repr of the name and of the bytes. */
static void
listener_log_output(struct listener *l, const char *buf, size_t len)
{
	char	*name, *data;

	name = py_repr(l->name, strlen(l->name), 0);
	data = py_repr(buf, len, 1);
	log_debug("%s stdout output:\n%s", name, data);
	free(data);
	free(name);
}

/*
 * The result line as supervisord prints it: decoded, else "Undecodable: "
 * and its repr.  NULs become \x00 so that the log line does not stop there.
 */
static char *
listener_line_text(const char *line, size_t len)
{
	char	*repr, *out, *q;
	size_t	 i;

	if (!py_utf8_valid(line, len)) {
		repr = py_repr(line, len, 1);
		xasprintf(&out, "Undecodable: %s", repr);
		free(repr);
		return out;
	}
	q = out = xmalloc(4 * len + 1);
	for (i = 0; i < len; i++) {
		if (line[i] == '\0') {
			memcpy(q, "\\x00", 4);
			q += 4;
		} else
			*q++ = line[i];
	}
	*q = '\0';
	return out;
}

static int
listener_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * The length after "RESULT " as Python's int() reads it: blanks around, a
 * sign, digits with single underscores between them.  A negative length is
 * refused: supervisord recurses on it until the stack runs out.
 */
static int
listener_parse_len(const char *line, size_t len, unsigned long long *out)
{
	const char		*p = line + LISTENER_RESULT_SKIP;
	const char		*end = line + len;
	unsigned long long	 v = 0;
	int			 neg = 0, digit = 0;

	if (len < LISTENER_RESULT_SKIP)
		return -1;
	while (p < end && listener_isspace(*p))
		p++;
	while (end > p && listener_isspace(end[-1]))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p == '_' && digit && p + 1 < end && p[1] >= '0' &&
		    p[1] <= '9') {
			digit = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
		digit = 1;
	}
	if (neg && v != 0)
		return -1;
	*out = v;
	return 0;
}

static void
listener_bad_line(struct listener *l)
{
	char	*text;

	text = listener_line_text(l->line, l->linelen);
	log_warn("%s: bad result line: '%s'", l->name, text);
	free(text);
	listener_change(l, LISTENER_UNKNOWN);
	l->cb(l, LISTENER_REJECTED, l->arg);
}

/* supervisord's default_handler: the result must be exactly OK. */
static void
listener_done(struct listener *l)
{
	if (l->ok && l->resultlen == 2) {
		log_debug("%s: event was processed", l->name);
		listener_change(l, LISTENER_ACKNOWLEDGED);
		l->cb(l, LISTENER_PROCESSED, l->arg);
	} else {
		log_warn("%s: event was rejected", l->name);
		listener_change(l, LISTENER_ACKNOWLEDGED);
		l->cb(l, LISTENER_REJECTED, l->arg);
	}
}

/* Returns how many bytes were used; the rest is for the next state. */
static size_t
listener_acknowledged(struct listener *l, const char *buf, size_t len)
{
	size_t	 n = LISTENER_READY_LEN - l->linelen;

	/* supervisord decides once it holds as many bytes as the token. */
	if (n > len)
		n = len;
	memcpy(l->line + l->linelen, buf, n);
	l->linelen += n;
	if (l->linelen < LISTENER_READY_LEN)
		return n;
	if (memcmp(l->line, LISTENER_READY_TOKEN, LISTENER_READY_LEN) == 0)
		listener_change(l, LISTENER_READY);
	else
		listener_change(l, LISTENER_UNKNOWN);
	return n;
}

static size_t
listener_body(struct listener *l, const char *buf, size_t len)
{
	unsigned long long	 left = l->resultlen - l->got, pos;
	size_t			 n = len, i;

	if (n > left)
		n = (size_t)left;
	for (i = 0; i < n && l->ok; i++) {
		pos = l->got + i;
		if (pos >= 2 || buf[i] != "OK"[pos])
			l->ok = 0;
	}
	l->got += n;
	if (l->got == l->resultlen)
		listener_done(l);
	return n;
}

static size_t
listener_busy(struct listener *l, const char *buf, size_t len)
{
	const char	*nl;
	size_t		 n;

	if (l->have_len)
		return listener_body(l, buf, len);
	nl = memchr(buf, '\n', len);
	n = nl != NULL ? (size_t)(nl - buf) : len;
	if (n > LISTENER_LINE_MAX - l->linelen) {
		n = LISTENER_LINE_MAX - l->linelen;
		memcpy(l->line + l->linelen, buf, n);
		l->linelen += n;
		listener_bad_line(l);
		return len;
	}
	memcpy(l->line + l->linelen, buf, n);
	l->linelen += n;
	if (nl == NULL)
		return len;
	if (listener_parse_len(l->line, l->linelen, &l->resultlen) != 0) {
		listener_bad_line(l);
		return len;
	}
	l->linelen = 0;
	l->have_len = 1;
	l->got = 0;
	l->ok = 1;
	/* supervisord ends an empty result only when more bytes come. */
	if (l->resultlen == 0)
		listener_done(l);
	return n + 1;
}

int
listener_feed(struct listener *l, const char *buf, size_t len)
{
	enum listener_state	 was = l->state;
	size_t			 n;

	if (log_enabled(LOG_LEVEL_DEBUG))
		listener_log_output(l, buf, len);
	while (len > 0) {
		switch (l->state) {
		case LISTENER_ACKNOWLEDGED:
			n = listener_acknowledged(l, buf, len);
			break;
		case LISTENER_BUSY:
			n = listener_busy(l, buf, len);
			break;
		case LISTENER_READY:
			/* Nothing may come before an event (supervisord). */
			listener_change(l, LISTENER_UNKNOWN);
			n = len;
			break;
		case LISTENER_UNKNOWN:
		default:
			n = len;
			break;
		}
		buf += n;
		len -= n;
	}
	return was != LISTENER_UNKNOWN && l->state == LISTENER_UNKNOWN ? -1 : 0;
}
