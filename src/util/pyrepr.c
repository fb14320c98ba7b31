/* SPDX-License-Identifier: ISC */
/*
 * Python's view of bytes, as supervisord shows them: whether they decode as
 * strict UTF-8, and repr() of a bytes or str object.
 */
#include <stdlib.h>
#include <string.h>

#include "util/pyrepr.h"
#include "util/xmalloc.h"

/* The length of the UTF-8 sequence at p (n bytes left), 0 if invalid. */
static size_t
py_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 need, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing past U+10FFFF. */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < need || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < need; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return need;
}

int
py_utf8_valid(const char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)buf;
	size_t			 i = 0, n;

	while (i < len) {
		if ((n = py_utf8_seq(p + i, len - i)) == 0)
			return 0;
		i += n;
	}
	return 1;
}

char *
py_repr(const char *buf, size_t len, int bytes)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)buf;
	char			*out, *q, quote = '\'';
	size_t			 i;

	/* Python's choice: double quotes for a single quote and no double. */
	if (len > 0 && memchr(buf, '\'', len) != NULL &&
	    memchr(buf, '"', len) == NULL)
		quote = '"';
	q = out = xmalloc(4 * len + 4);
	if (bytes)
		*q++ = 'b';
	*q++ = quote;
	for (i = 0; i < len; i++) {
		if (p[i] == quote || p[i] == '\\') {
			*q++ = '\\';
			*q++ = p[i];
		} else if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			*q++ = '\\';
			*q++ = p[i] == '\t' ? 't' : p[i] == '\n' ? 'n' : 'r';
		} else if (p[i] < 0x20 || p[i] == 0x7f ||
		    (bytes && p[i] >= 0x80)) {
			*q++ = '\\';
			*q++ = 'x';
			*q++ = hex[p[i] >> 4];
			*q++ = hex[p[i] & 0xf];
		} else
			*q++ = p[i];
	}
	*q++ = quote;
	*q = '\0';
	return out;
}
