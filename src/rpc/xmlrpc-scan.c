/* SPDX-License-Identifier: ISC */
/*
 * The fast path of the XML-RPC decoder: a scanner for the XML that
 * xmlrpc.client, supervisord and taskmasterd write, several times faster
 * than expat on a 1 MB reply.  It only has to be right about what it
 * accepts: anything it does not know for sure to be well-formed (a comment,
 * an attribute, CDATA, a CR, another encoding) is declined and expat reads
 * the body instead, so errors and unusual documents stay expat's business.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "xmlrpc-internal.h"

/* Open elements; deeper documents fail the decoder's own limit anyway. */
#define SCAN_MAXDEPTH	256

/* Digits of a character reference; longer ones are left to expat. */
#define SCAN_MAXDIGITS	8

/* Character classes of text bytes. */
#define SCAN_PLAIN	0	/* copied as it is */
#define SCAN_STOP	1	/* '<' or '&': the text ends */
#define SCAN_GT		2	/* '>': fine unless after "]]" */
#define SCAN_HIGH	3	/* a byte of a UTF-8 sequence */
#define SCAN_BAD	4	/* a control (CR in content included) */

struct scan_name {
	const char	*p;
	size_t		 len;
};

struct scan {
	const char			*p;
	const char			*end;
	const struct xmlrpc_scan_cb	*cb;
	void				*arg;
	struct scan_name		 open[SCAN_MAXDEPTH];
	int				 depth;
	int				 rooted;	/* the root was seen */
	int				 ended;		/* a child ended */
};

static unsigned char	scan_class[256];
static unsigned char	scan_namechar[256];	/* 2: may start a name */

static void
scan_init_tables(void)
{
	int	 c;

	if (scan_class['<'] == SCAN_STOP)
		return;
	for (c = 0; c < 256; c++) {
		if (c >= 0x80)
			scan_class[c] = SCAN_HIGH;
		else if (c < 0x20 && c != '\t' && c != '\n')
			scan_class[c] = SCAN_BAD;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == ':')
			scan_namechar[c] = 2;
		else if ((c >= '0' && c <= '9') || c == '.' || c == '-')
			scan_namechar[c] = 1;
	}
	scan_class['>'] = SCAN_GT;
	scan_class['&'] = SCAN_STOP;
	scan_class['<'] = SCAN_STOP;
}

static int
scan_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline void
scan_skip_space(struct scan *s)
{
	while (s->p < s->end && scan_space((unsigned char)*s->p))
		s->p++;
}

/* Reads a name at s->p; its length, or 0 if there is none. */
static size_t
scan_name(struct scan *s)
{
	const unsigned char	*start = (const unsigned char *)s->p;
	const unsigned char	*end = (const unsigned char *)s->end;
	const unsigned char	*u = start;

	if (u == end || scan_namechar[*u] != 2)
		return 0;
	while (++u < end && scan_namechar[*u] != 0)
		;
	s->p = (const char *)u;
	return (size_t)(u - start);
}

/* ---- the XML declaration ---- */

/* One pseudo-attribute: S name Eq quoted-value; -1 if there is none. */
static int
scan_pseudo(struct scan *s, struct scan_name *name, struct scan_name *value)
{
	const char	*start = s->p, *q;
	char		 quote;

	scan_skip_space(s);
	if (s->p == start)
		return -1;
	name->p = s->p;
	while (s->p < s->end && *s->p >= 'a' && *s->p <= 'z')
		s->p++;
	name->len = (size_t)(s->p - name->p);
	scan_skip_space(s);
	if (name->len == 0 || s->p == s->end || *s->p++ != '=')
		return -1;
	scan_skip_space(s);
	if (s->p == s->end || (*s->p != '\'' && *s->p != '"'))
		return -1;
	quote = *s->p++;
	if ((q = memchr(s->p, quote, (size_t)(s->end - s->p))) == NULL)
		return -1;
	value->p = s->p;
	value->len = (size_t)(q - s->p);
	s->p = q + 1;
	return 0;
}

static int
scan_is(const struct scan_name *n, const char *word)
{
	return n->len == strlen(word) && memcmp(n->p, word, n->len) == 0;
}

/*
 * <?xml version="1.0" [encoding="UTF-8"] [standalone="yes|no"] ?>, in this
 * order; anything else is declined.
 */
static int
scan_decl(struct scan *s)
{
	struct scan_name	 name, value;
	const char		*mark;
	int			 step = 0;

	if ((size_t)(s->end - s->p) < 6 || memcmp(s->p, "<?xml", 5) != 0 ||
	    !scan_space((unsigned char)s->p[5]))
		return 0;
	s->p += 5;
	for (;;) {
		mark = s->p;
		if (scan_pseudo(s, &name, &value) == -1) {
			s->p = mark;
			break;
		}
		if (step == 0 && scan_is(&name, "version") &&
		    scan_is(&value, "1.0"))
			step = 1;
		else if (step == 1 && scan_is(&name, "encoding") &&
		    value.len == 5 && strncasecmp(value.p, "utf-8", 5) == 0)
			step = 2;
		else if (step >= 1 && step <= 2 &&
		    scan_is(&name, "standalone") &&
		    (scan_is(&value, "yes") || scan_is(&value, "no")))
			step = 3;
		else
			return -1;
	}
	scan_skip_space(s);
	if (step == 0 || (size_t)(s->end - s->p) < 2 ||
	    memcmp(s->p, "?>", 2) != 0)
		return -1;
	s->p += 2;
	return 0;
}

/* ---- content ---- */

/* Text up to the next '<' or '&'; outside the root only blanks. */
static int
scan_text(struct scan *s)
{
	const unsigned char	*u = (const unsigned char *)s->p;
	const unsigned char	*end = (const unsigned char *)s->end;
	const unsigned char	*run = u;
	size_t			 k;

	while (u < end) {
		if (scan_class[*u] == SCAN_PLAIN) {
			u++;
			continue;
		}
		switch (scan_class[*u]) {
		case SCAN_GT:
			/* "]]>" is not allowed in text. */
			if (u - run >= 2 && u[-1] == ']' && u[-2] == ']')
				return -1;
			u++;
			continue;
		case SCAN_HIGH:
			if ((k = xmlrpc_text_char(u, (size_t)(end - u))) == 0)
				return -1;
			u += k;
			continue;
		case SCAN_BAD:
			/* CR is a blank between elements, but is rewritten
			 * in text: expat knows how. */
			if (*u == '\r' && s->depth == 0) {
				u++;
				continue;
			}
			return -1;
		}
		break;
	}
	s->p = (const char *)u;
	if (u == run)
		return 0;
	if (s->depth == 0 || s->ended || (end - u >= 2 && u[0] == '<' &&
	    u[1] != '/')) {
		/*
		 * Blanks outside the root, after a child or before one are no
		 * element's value: the decoder only checks that they are
		 * blanks, so they are not reported.
		 */
		for (; run < u; run++)
			if (!scan_space(*run))
				break;
		if (run == u)
			return 0;
		if (s->depth == 0)
			return -1;
	}
	return s->cb->text(s->arg, (const char *)run, (size_t)(u - run));
}

/* Writes c as UTF-8 into buf; its length. */
static size_t
scan_utf8(unsigned long c, char *buf)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xc0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xe0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (c >> 18));
	buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* &#NN; or &#xHH; at p (after "&#"); the character or -1 if declined. */
static long
scan_charref(struct scan *s)
{
	unsigned long	 c = 0;
	int		 hex = 0, n = 0, d;

	if (s->p < s->end && *s->p == 'x') {
		hex = 1;
		s->p++;
	}
	for (; s->p < s->end && *s->p != ';'; s->p++, n++) {
		if (*s->p >= '0' && *s->p <= '9')
			d = *s->p - '0';
		else if (hex && *s->p >= 'a' && *s->p <= 'f')
			d = *s->p - 'a' + 10;
		else if (hex && *s->p >= 'A' && *s->p <= 'F')
			d = *s->p - 'A' + 10;
		else
			return -1;
		if (n == SCAN_MAXDIGITS)
			return -1;
		c = c * (hex ? 16 : 10) + (unsigned long)d;
	}
	if (n == 0 || s->p == s->end)
		return -1;
	s->p++;
	if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xd7ff) ||
	    (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff))
		return (long)c;
	return -1;
}

/* A reference at s->p ('&'), reported as the text it stands for. */
static int
scan_ref(struct scan *s)
{
	static const char *const names[] = { "lt;", "gt;", "amp;", "quot;",
	    "apos;" };
	static const char	 chars[] = "<>&\"'";
	char			 buf[4];
	size_t			 i, len, left;
	long			 c;

	if (s->depth == 0)
		return -1;
	s->p++;
	left = (size_t)(s->end - s->p);
	if (left > 0 && *s->p == '#') {
		s->p++;
		if ((c = scan_charref(s)) == -1)
			return -1;
		len = scan_utf8((unsigned long)c, buf);
		return s->cb->text(s->arg, buf, len);
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		len = strlen(names[i]);
		if (left >= len && memcmp(s->p, names[i], len) == 0) {
			s->p += len;
			return s->cb->text(s->arg, &chars[i], 1);
		}
	}
	return -1;
}

/* The end tag must spell the open element's name again. */
static int
scan_end_tag(struct scan *s)
{
	const struct scan_name	*open;

	if (s->depth == 0)
		return -1;
	open = &s->open[s->depth - 1];
	s->p += 2;
	if ((size_t)(s->end - s->p) <= open->len ||
	    memcmp(s->p, open->p, open->len) != 0)
		return -1;
	s->p += open->len;
	if (scan_namechar[(unsigned char)*s->p] != 0)
		return -1;
	scan_skip_space(s);
	if (s->p == s->end || *s->p++ != '>')
		return -1;
	s->depth--;
	s->ended = 1;
	return s->cb->end(s->arg);
}

static int
scan_start_tag(struct scan *s)
{
	const char	*name;
	size_t		 len;
	int		 empty = 0;

	s->p++;
	name = s->p;
	if ((len = scan_name(s)) == 0 || (s->depth == 0 && s->rooted) ||
	    s->depth == SCAN_MAXDEPTH)
		return -1;
	scan_skip_space(s);
	if (s->p < s->end && *s->p == '/') {
		empty = 1;
		s->p++;
	}
	if (s->p == s->end || *s->p++ != '>')
		return -1;
	s->rooted = 1;
	s->ended = empty;
	if (s->cb->start(s->arg, name, len) == -1)
		return -1;
	if (empty)
		return s->cb->end(s->arg);
	s->open[s->depth].p = name;
	s->open[s->depth].len = len;
	s->depth++;
	return 0;
}

int
xmlrpc_scan(const char *body, size_t len, const struct xmlrpc_scan_cb *cb,
    void *arg)
{
	struct scan	 s;

	scan_init_tables();
	s.p = body;
	s.end = body + len;
	s.cb = cb;
	s.arg = arg;
	s.depth = 0;
	s.rooted = 0;
	s.ended = 0;
	if (scan_decl(&s) == -1)
		return -1;
	while (s.p < s.end) {
		if (scan_text(&s) == -1)
			return -1;
		if (s.p == s.end)
			break;
		if (*s.p == '&') {
			if (scan_ref(&s) == -1)
				return -1;
		} else if (s.end - s.p >= 2 && s.p[1] == '/') {
			if (scan_end_tag(&s) == -1)
				return -1;
		} else if (scan_start_tag(&s) == -1)
			return -1;
	}
	return s.rooted && s.depth == 0 ? 0 : -1;
}
