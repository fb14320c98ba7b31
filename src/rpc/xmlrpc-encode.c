/* SPDX-License-Identifier: ISC */
/*
 * XML-RPC encoder: writes Python xmlrpc.client's layout byte for byte, except
 * that text is made valid XML first, which supervisord does not do (spec 9.3,
 * 13).  A reply of a thousand ProcessInfo structs is 1.2 MB, so the body is
 * sized by a first walk of the tree and written without further checks where
 * the length is known.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/value.h"
#include "util/xmalloc.h"
#include "xmlrpc-internal.h"
#include "xmlrpc.h"

/* U+FFFD, in place of bytes that are not UTF-8 or not allowed in XML. */
#define XR_REPLACEMENT		"\xef\xbf\xbd"

/* Text is escaped in pieces of this many bytes, each reserved at 5x. */
#define XR_TEXT_PIECE		4096

/* The most one input byte becomes: "&amp;". */
#define XR_TEXT_GROWTH		5

struct xr_out {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

/*
 * Bytes that text cannot copy as they are: & < > (escaped), controls other
 * than tab, LF and CR, and every byte of a multibyte sequence (checked).
 */
static const unsigned char xr_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1,	/* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x10 */
	0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x20 & */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,	/* 0x30 < > */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x50 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x70 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x80 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Makes room for n more bytes and the NUL after them. */
static void
xr_reserve(struct xr_out *o, size_t n)
{
	if (o->cap - o->len > n)
		return;
	if (n > SIZE_MAX / 4 - o->len)
		abort();
	o->cap = o->cap * 2 > o->len + n + 1 ? o->cap * 2 : o->len + n + 1;
	o->p = xrealloc(o->p, o->cap);
}

static void
xr_raw(struct xr_out *o, const char *s, size_t n)
{
	xr_reserve(o, n);
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

/* A literal: its length is known at compile time. */
#define XR_LIT(o, s)	xr_raw((o), (s), sizeof (s) - 1)

/*
 * Writes text escaping only & < > as xmlrpc.client does, but with every byte
 * that is not valid UTF-8, and every character XML forbids, replaced by
 * U+FFFD: supervisord sends such log data raw and its clients choke on it.
 * Room is made once per piece, so the loop itself never checks it.
 */
static void
xr_text(struct xr_out *o, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, run, stop, k;
	char			*w;

	while (i < n) {
		stop = n - i > XR_TEXT_PIECE ? i + XR_TEXT_PIECE : n;
		/* A sequence begun before stop may end 3 bytes after it. */
		xr_reserve(o, (stop - i) * XR_TEXT_GROWTH + 8);
		w = o->p + o->len;
		while (i < stop) {
			for (run = i; i < stop && !xr_special[u[i]]; i++)
				;
			memcpy(w, s + run, i - run);
			w += i - run;
			if (i == stop)
				break;
			if (u[i] == '&') {
				memcpy(w, "&amp;", 5);
				w += 5;
				i++;
			} else if (u[i] == '<' || u[i] == '>') {
				memcpy(w, u[i] == '<' ? "&lt;" : "&gt;", 4);
				w += 4;
				i++;
			} else if ((k = xmlrpc_text_char(u + i, n - i)) == 0) {
				memcpy(w, XR_REPLACEMENT, 3);
				w += 3;
				i++;
			} else {
				memcpy(w, s + i, k);
				w += k;
				i += k;
			}
		}
		o->len = (size_t)(w - o->p);
	}
}

static void
xr_int(struct xr_out *o, long long v)
{
	char			 buf[24], *p = buf + sizeof buf;
	unsigned long long	 u;

	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	xr_raw(o, p, (size_t)(buf + sizeof buf - p));
}

/* Writes d as Python's repr() does: the shortest text that reads back. */
static void
xr_double(struct xr_out *o, double d)
{
	char		 e[40], digits[24], out[64], *p;
	int		 prec, exp, nd = 0, i, n = 0;
	locale_t	 c, old = (locale_t)0;

	if (isnan(d) || isinf(d)) {
		if (isnan(d))
			XR_LIT(o, "nan");
		else if (d < 0)
			XR_LIT(o, "-inf");
		else
			XR_LIT(o, "inf");
		return;
	}
	if ((c = xmlrpc_text_locale()) != (locale_t)0)
		old = uselocale(c);
	for (prec = 0; prec < 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec, d);
		if (strtod(e, NULL) == d)
			break;
	}
	if (c != (locale_t)0)
		uselocale(old);

	/* e is [-]d[.ddd]e(+|-)XX: split it into digits and exponent. */
	p = e;
	if (*p == '-')
		out[n++] = *p++;
	for (; *p != 'e'; p++) {
		if (*p != '.')
			digits[nd++] = *p;
	}
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;

	if (exp < -4 || exp >= 16) {
		out[n++] = digits[0];
		if (nd > 1) {
			out[n++] = '.';
			memcpy(out + n, digits + 1, nd - 1);
			n += nd - 1;
		}
		n += snprintf(out + n, sizeof out - n, "e%c%02d",
		    exp < 0 ? '-' : '+', abs(exp));
	} else if (exp < 0) {
		out[n++] = '0';
		out[n++] = '.';
		for (i = 0; i < -exp - 1; i++)
			out[n++] = '0';
		memcpy(out + n, digits, nd);
		n += nd;
	} else {
		for (i = 0; i <= exp; i++)
			out[n++] = i < nd ? digits[i] : '0';
		out[n++] = '.';
		if (nd > exp + 1) {
			memcpy(out + n, digits + exp + 1, nd - exp - 1);
			n += nd - exp - 1;
		} else
			out[n++] = '0';
	}
	xr_raw(o, out, (size_t)n);
}

static void
xr_value(struct xr_out *o, const struct value *v)
{
	const struct value_member *m;
	size_t			 i;

	switch (v->type) {
	case VALUE_INT:
		XR_LIT(o, "<value><int>");
		xr_int(o, v->u.i);
		XR_LIT(o, "</int></value>\n");
		break;
	case VALUE_BOOL:
		if (v->u.i)
			XR_LIT(o, "<value><boolean>1</boolean></value>\n");
		else
			XR_LIT(o, "<value><boolean>0</boolean></value>\n");
		break;
	case VALUE_DOUBLE:
		XR_LIT(o, "<value><double>");
		xr_double(o, v->u.d);
		XR_LIT(o, "</double></value>\n");
		break;
	case VALUE_STRING:
		XR_LIT(o, "<value><string>");
		xr_text(o, v->u.str.ptr, v->u.str.len);
		XR_LIT(o, "</string></value>\n");
		break;
	case VALUE_ARRAY:
		XR_LIT(o, "<value><array><data>\n");
		for (i = 0; i < v->u.array.n; i++)
			xr_value(o, v->u.array.items[i]);
		XR_LIT(o, "</data></array></value>\n");
		break;
	case VALUE_STRUCT:
		XR_LIT(o, "<value><struct>\n");
		for (i = 0; i < v->u.st.n; i++) {
			m = &v->u.st.members[i];
			XR_LIT(o, "<member>\n<name>");
			xr_text(o, m->name, strlen(m->name));
			XR_LIT(o, "</name>\n");
			xr_value(o, m->value);
			XR_LIT(o, "</member>\n");
		}
		XR_LIT(o, "</struct></value>\n");
		break;
	}
}

/* Arrays longer than this are sized from a sample of their items. */
#define XR_SIZE_SAMPLE		32

/*
 * About the size of v's XML: exact when no text needs escaping, except that
 * a long array counts its first items for all of them.  A thousand
 * ProcessInfo structs are alike, and a walk of all of them costs as much as
 * the growth it would save.
 */
static size_t
xr_size(const struct value *v)
{
	size_t	 n, i, k;

	switch (v->type) {
	case VALUE_STRING:
		return 33 + v->u.str.len;
	case VALUE_ARRAY:
		k = v->u.array.n < XR_SIZE_SAMPLE ? v->u.array.n :
		    XR_SIZE_SAMPLE;
		for (n = 0, i = 0; i < k; i++)
			n += xr_size(v->u.array.items[i]);
		if (k < v->u.array.n)
			n = n / k * v->u.array.n + n / 8;
		return 45 + n;
	case VALUE_STRUCT:
		n = 34;
		for (i = 0; i < v->u.st.n; i++)
			n += 33 + strlen(v->u.st.members[i].name) +
			    xr_size(v->u.st.members[i].value);
		return n;
	default:
		return 64;
	}
}

static void
xr_begin(struct xr_out *o, size_t size)
{
	o->len = 0;
	o->cap = size + 1;
	o->p = xmalloc(o->cap);
}

static char *
xr_finish(struct xr_out *o, size_t *len)
{
	xr_reserve(o, 0);
	o->p[o->len] = '\0';
	if (len != NULL)
		*len = o->len;
	return o->p;
}

char *
xmlrpc_encode_response(const struct value *result, size_t *len)
{
	struct xr_out	 o;

	xr_begin(&o, 128 + xr_size(result));
	XR_LIT(&o, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n"
	    "<param>\n");
	xr_value(&o, result);
	XR_LIT(&o, "</param>\n</params>\n</methodResponse>\n");
	return xr_finish(&o, len);
}

char *
xmlrpc_encode_fault(int code, const char *string, size_t *len)
{
	struct xr_out	 o;
	size_t		 n = strlen(string);

	xr_begin(&o, 256 + n);
	XR_LIT(&o, "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"
	    "<value><struct>\n<member>\n<name>faultCode</name>\n"
	    "<value><int>");
	xr_int(&o, code);
	XR_LIT(&o, "</int></value>\n</member>\n<member>\n"
	    "<name>faultString</name>\n<value><string>");
	xr_text(&o, string, n);
	XR_LIT(&o, "</string></value>\n</member>\n</struct></value>\n"
	    "</fault>\n</methodResponse>\n");
	return xr_finish(&o, len);
}

char *
xmlrpc_encode_call(const char *method, const struct value *params,
    size_t *len)
{
	struct xr_out	 o;
	size_t		 i, n = value_array_len(params), size;

	size = 128 + strlen(method);
	for (i = 0; i < n; i++)
		size += 18 + xr_size(params->u.array.items[i]);
	xr_begin(&o, size);
	XR_LIT(&o, "<?xml version='1.0'?>\n<methodCall>\n<methodName>");
	xr_text(&o, method, strlen(method));
	XR_LIT(&o, "</methodName>\n<params>\n");
	for (i = 0; i < n; i++) {
		XR_LIT(&o, "<param>\n");
		xr_value(&o, params->u.array.items[i]);
		XR_LIT(&o, "</param>\n");
	}
	XR_LIT(&o, "</params>\n</methodCall>\n");
	return xr_finish(&o, len);
}
