/* SPDX-License-Identifier: ISC */
/*
 * XML-RPC codec.  The decoder is a state machine over expat's element events
 * that checks the element structure as it builds the value tree; the encoder
 * writes Python xmlrpc.client's layout byte for byte, except that text is made
 * valid XML first, which supervisord does not do (spec 9.3, 13).
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "util/base64.h"
#include "util/value.h"
#include "util/xmalloc.h"
#include "xmlrpc.h"

/* U+FFFD, in place of bytes that are not UTF-8 or not allowed in XML. */
#define XR_REPLACEMENT	"\xef\xbf\xbd"

/* Document, call or response, params, param, 3 per value level, a leaf. */
#define XR_MAXFRAMES	(3 * XMLRPC_MAX_DEPTH + 8)

/* expat takes an int length: bigger bodies are fed in pieces. */
#define XR_CHUNK	(1 << 30)

/* The kinds that may appear inside <value> are XR_ARRAY to XR_NIL. */
enum xr_kind {
	XR_DOC,
	XR_METHODCALL,
	XR_METHODRESPONSE,
	XR_METHODNAME,
	XR_PARAMS,
	XR_PARAM,
	XR_FAULT,
	XR_VALUE,
	XR_ARRAY,
	XR_STRUCT,
	XR_INT,
	XR_BOOLEAN,
	XR_STRING,
	XR_DOUBLE,
	XR_DATETIME,
	XR_BASE64,
	XR_NIL,
	XR_DATA,
	XR_MEMBER,
	XR_NAME,
};

static const char *const xr_names[] = {
	[XR_DOC] = "document",
	[XR_METHODCALL] = "methodCall",
	[XR_METHODRESPONSE] = "methodResponse",
	[XR_METHODNAME] = "methodName",
	[XR_PARAMS] = "params",
	[XR_PARAM] = "param",
	[XR_FAULT] = "fault",
	[XR_VALUE] = "value",
	[XR_ARRAY] = "array",
	[XR_STRUCT] = "struct",
	[XR_INT] = "int",
	[XR_BOOLEAN] = "boolean",
	[XR_STRING] = "string",
	[XR_DOUBLE] = "double",
	[XR_DATETIME] = "dateTime.iso8601",
	[XR_BASE64] = "base64",
	[XR_NIL] = "nil",
	[XR_DATA] = "data",
	[XR_MEMBER] = "member",
	[XR_NAME] = "name",
};

struct xbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct xr_frame {
	enum xr_kind	 kind;
	unsigned int	 seen;	/* one bit per kind of child seen */
	struct value	*v;	/* what this element builds, owned here */
	char		*name;	/* <member>: the text of its <name> */
};

struct xr_state {
	XML_Parser	 parser;
	enum xr_kind	 root;
	struct xr_frame	 stack[XR_MAXFRAMES];
	int		 top;
	int		 values;	/* <value> elements open */
	struct xbuf	 text;
	char		*cause;
	char		*method;
	struct value	*body;		/* params array, or the fault value */
	int		 fault;
};

static void
xbuf_add(struct xbuf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) {
		if (b->cap == 0)
			b->cap = 512;
		while (b->cap - b->len <= n)
			b->cap *= 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
xbuf_puts(struct xbuf *b, const char *s)
{
	xbuf_add(b, s, strlen(s));
}

/* Numbers are written and read in the C locale whatever the shell set. */
static locale_t
xr_c_locale(void)
{
	static locale_t	 c;

	if (c == (locale_t)0)
		c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c;
}

/*
 * Length of the UTF-8 sequence at s if it is one character that XML 1.0
 * allows (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF),
 * else 0.
 */
static size_t
xr_utf8_char(const unsigned char *s, size_t n)
{
	unsigned int	 c;
	size_t		 len, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    c == 0xfffe || c == 0xffff)
		return 0;
	return len;
}

/*
 * Writes text escaping only & < > as xmlrpc.client does, but with every byte
 * that is not valid UTF-8, and every character XML forbids, replaced by
 * U+FFFD: supervisord sends such log data raw and its clients choke on it.
 */
static void
xr_put_text(struct xbuf *b, const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	const char		*rep;
	size_t			 i = 0, run = 0, k;

	while (i < n) {
		rep = NULL;
		k = 1;
		if (u[i] == '&')
			rep = "&amp;";
		else if (u[i] == '<')
			rep = "&lt;";
		else if (u[i] == '>')
			rep = "&gt;";
		else if ((k = xr_utf8_char(u + i, n - i)) == 0) {
			rep = XR_REPLACEMENT;
			k = 1;
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		xbuf_add(b, s + run, i - run);
		xbuf_puts(b, rep);
		i += k;
		run = i;
	}
	xbuf_add(b, s + run, i - run);
}

/* Writes d as Python's repr() does: the shortest text that reads back. */
static void
xr_put_double(struct xbuf *b, double d)
{
	char		 e[40], digits[24], out[64], *p;
	int		 prec, exp, nd = 0, i, o = 0;
	locale_t	 c, old = (locale_t)0;

	if (isnan(d) || isinf(d)) {
		xbuf_puts(b, isnan(d) ? "nan" : d < 0 ? "-inf" : "inf");
		return;
	}
	if ((c = xr_c_locale()) != (locale_t)0)
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
		out[o++] = *p++;
	for (; *p != 'e'; p++) {
		if (*p != '.')
			digits[nd++] = *p;
	}
	exp = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;

	if (exp < -4 || exp >= 16) {
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			memcpy(out + o, digits + 1, nd - 1);
			o += nd - 1;
		}
		snprintf(out + o, sizeof out - o, "e%c%02d", exp < 0 ? '-' : '+',
		    abs(exp));
	} else if (exp < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -exp - 1; i++)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		out[o + nd] = '\0';
	} else {
		for (i = 0; i <= exp; i++)
			out[o++] = i < nd ? digits[i] : '0';
		out[o++] = '.';
		if (nd > exp + 1) {
			memcpy(out + o, digits + exp + 1, nd - exp - 1);
			o += nd - exp - 1;
		} else
			out[o++] = '0';
		out[o] = '\0';
	}
	xbuf_puts(b, out);
}

static void
xr_put_value(struct xbuf *b, const struct value *v)
{
	char			 num[32];
	const struct value_member *m;
	size_t			 i;

	switch (v->type) {
	case VALUE_INT:
		snprintf(num, sizeof num, "%lld", v->u.i);
		xbuf_puts(b, "<value><int>");
		xbuf_puts(b, num);
		xbuf_puts(b, "</int></value>\n");
		break;
	case VALUE_BOOL:
		xbuf_puts(b, v->u.i ? "<value><boolean>1</boolean></value>\n" :
		    "<value><boolean>0</boolean></value>\n");
		break;
	case VALUE_DOUBLE:
		xbuf_puts(b, "<value><double>");
		xr_put_double(b, v->u.d);
		xbuf_puts(b, "</double></value>\n");
		break;
	case VALUE_STRING:
		xbuf_puts(b, "<value><string>");
		xr_put_text(b, v->u.str.ptr, v->u.str.len);
		xbuf_puts(b, "</string></value>\n");
		break;
	case VALUE_ARRAY:
		xbuf_puts(b, "<value><array><data>\n");
		for (i = 0; i < v->u.array.n; i++)
			xr_put_value(b, v->u.array.items[i]);
		xbuf_puts(b, "</data></array></value>\n");
		break;
	case VALUE_STRUCT:
		xbuf_puts(b, "<value><struct>\n");
		for (i = 0; i < v->u.st.n; i++) {
			m = &v->u.st.members[i];
			xbuf_puts(b, "<member>\n<name>");
			xr_put_text(b, m->name, strlen(m->name));
			xbuf_puts(b, "</name>\n");
			xr_put_value(b, m->value);
			xbuf_puts(b, "</member>\n");
		}
		xbuf_puts(b, "</struct></value>\n");
		break;
	}
}

static char *
xbuf_finish(struct xbuf *b, size_t *len)
{
	if (len != NULL)
		*len = b->len;
	return b->p;
}

char *
xmlrpc_encode_response(const struct value *result, size_t *len)
{
	struct xbuf	 b = { NULL, 0, 0 };

	xbuf_puts(&b, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n"
	    "<param>\n");
	xr_put_value(&b, result);
	xbuf_puts(&b, "</param>\n</params>\n</methodResponse>\n");
	return xbuf_finish(&b, len);
}

char *
xmlrpc_encode_fault(int code, const char *string, size_t *len)
{
	struct xbuf	 b = { NULL, 0, 0 };
	struct value	*v;

	v = value_struct();
	value_struct_set(v, "faultCode", value_int(code));
	value_struct_set(v, "faultString", value_string(string));
	xbuf_puts(&b, "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n");
	xr_put_value(&b, v);
	xbuf_puts(&b, "</fault>\n</methodResponse>\n");
	value_free(v);
	return xbuf_finish(&b, len);
}

char *
xmlrpc_encode_call(const char *method, const struct value *params,
    size_t *len)
{
	struct xbuf	 b = { NULL, 0, 0 };
	size_t		 i;

	xbuf_puts(&b, "<?xml version='1.0'?>\n<methodCall>\n<methodName>");
	xr_put_text(&b, method, strlen(method));
	xbuf_puts(&b, "</methodName>\n<params>\n");
	for (i = 0; i < value_array_len(params); i++) {
		xbuf_puts(&b, "<param>\n");
		xr_put_value(&b, params->u.array.items[i]);
		xbuf_puts(&b, "</param>\n");
	}
	xbuf_puts(&b, "</params>\n</methodCall>\n");
	return xbuf_finish(&b, len);
}

static void
xr_fail(struct xr_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records the first error and stops expat. */
static void
xr_fail(struct xr_state *st, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (st->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(&st->cause, "line %lu: %s",
	    (unsigned long)XML_GetCurrentLineNumber(st->parser), msg);
	free(msg);
	XML_StopParser(st->parser, XML_FALSE);
}

/* Element name to kind, ignoring a namespace prefix as xmlrpc.client does. */
static int
xr_lookup(const char *name)
{
	const char	*colon;
	size_t		 i;

	if ((colon = strrchr(name, ':')) != NULL)
		name = colon + 1;
	if (strcmp(name, "i4") == 0 || strcmp(name, "i8") == 0)
		return XR_INT;
	for (i = XR_METHODCALL; i < sizeof xr_names / sizeof xr_names[0]; i++) {
		if (strcmp(name, xr_names[i]) == 0)
			return i;
	}
	return -1;
}

static int
xr_allowed(const struct xr_state *st, const struct xr_frame *f, int k)
{
	unsigned int	 bit = 1u << k;

	switch (f->kind) {
	case XR_DOC:
		return k == (int)st->root && f->seen == 0;
	case XR_METHODCALL:
		return (k == XR_METHODNAME || k == XR_PARAMS) &&
		    (f->seen & bit) == 0;
	case XR_METHODRESPONSE:
		return (k == XR_PARAMS || k == XR_FAULT) && f->seen == 0;
	case XR_PARAMS:
		return k == XR_PARAM;
	case XR_PARAM:
	case XR_FAULT:
		return k == XR_VALUE && f->seen == 0;
	case XR_DATA:
		return k == XR_VALUE;
	case XR_VALUE:
		return k >= XR_ARRAY && k <= XR_NIL && f->seen == 0;
	case XR_ARRAY:
		return k == XR_DATA && f->seen == 0;
	case XR_STRUCT:
		return k == XR_MEMBER;
	case XR_MEMBER:
		return (k == XR_NAME || k == XR_VALUE) && (f->seen & bit) == 0;
	default:
		return 0;
	}
}

static int
xr_blank(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	}
	return 1;
}

/* Forgets the text read so far: each element collects its own. */
static void
xr_text_reset(struct xr_state *st)
{
	st->text.len = 0;
	if (st->text.p != NULL)
		st->text.p[0] = '\0';
}

static void XMLCALL
xr_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct xr_state	*st = arg;
	struct xr_frame	*f = &st->stack[st->top], *nf;
	int		 k;

	(void)attrs;
	if (st->cause != NULL)
		return;
	if ((k = xr_lookup(name)) == -1) {
		xr_fail(st, "unknown element <%s>", name);
		return;
	}
	if (f->kind == XR_DOC && !xr_allowed(st, f, k)) {
		xr_fail(st, "<%s> where <%s> was expected", name,
		    xr_names[st->root]);
		return;
	}
	if (!xr_allowed(st, f, k)) {
		xr_fail(st, "unexpected <%s> in <%s>", name, xr_names[f->kind]);
		return;
	}
	if (!xr_blank(st->text.p, st->text.len)) {
		xr_fail(st, "text mixed with <%s> in <%s>", name,
		    xr_names[f->kind]);
		return;
	}
	if (k == XR_VALUE && ++st->values > XMLRPC_MAX_DEPTH) {
		xr_fail(st, "values nested more than %d deep",
		    XMLRPC_MAX_DEPTH);
		return;
	}
	if (st->top + 1 >= XR_MAXFRAMES) {
		xr_fail(st, "elements nested too deep");
		return;
	}
	f->seen |= 1u << k;
	nf = &st->stack[++st->top];
	memset(nf, 0, sizeof *nf);
	nf->kind = k;
	if (k == XR_ARRAY || k == XR_PARAMS)
		nf->v = value_array();
	else if (k == XR_STRUCT)
		nf->v = value_struct();
	xr_text_reset(st);
}

static void XMLCALL
xr_chars(void *arg, const XML_Char *s, int len)
{
	struct xr_state	*st = arg;

	if (st->cause == NULL)
		xbuf_add(&st->text, s, len);
}

/* Copies the trimmed text into buf; -1 if empty or longer than size - 1. */
static int
xr_trim(const char *s, size_t n, char *buf, size_t size)
{
	while (n > 0 && xr_blank(s, 1)) {
		s++;
		n--;
	}
	while (n > 0 && xr_blank(s + n - 1, 1))
		n--;
	if (n == 0 || n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

static int
xr_parse_int(const char *s, size_t n, long long *out)
{
	char	 buf[32], *end;
	size_t	 i;

	if (xr_trim(s, n, buf, sizeof buf) == -1)
		return -1;
	i = buf[0] == '-' || buf[0] == '+';
	if (buf[i] == '\0')
		return -1;
	for (; buf[i] != '\0'; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -1;
	}
	errno = 0;
	*out = strtoll(buf, &end, 10);
	return errno == 0 ? 0 : -1;
}

static int
xr_parse_double(const char *s, size_t n, double *out)
{
	char		 buf[512], *end;
	locale_t	 c;

	if (xr_trim(s, n, buf, sizeof buf) == -1)
		return -1;
	if ((c = xr_c_locale()) != (locale_t)0)
		*out = strtod_l(buf, &end, c);
	else
		*out = strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

/* Like Python's a2b_base64: characters outside the alphabet are skipped. */
static struct value *
xr_base64(const char *s, size_t n)
{
	unsigned char	*out;
	ssize_t		 len;

	out = xmalloc(BASE64_DECODED_MAX(n) + 1);
	if ((len = base64_decode(s, n, out, 1)) == -1) {
		free(out);
		return NULL;
	}
	out[len] = '\0';
	return value_string_own((char *)out, (size_t)len);
}

/* Makes the value of a scalar element from its text; NULL if bad. */
static struct value *
xr_scalar(struct xr_state *st, enum xr_kind kind)
{
	const char	*s = st->text.p != NULL ? st->text.p : "";
	size_t		 n = st->text.len;
	long long	 i;
	double		 d;
	char		 buf[4];

	switch (kind) {
	case XR_INT:
		if (xr_parse_int(s, n, &i) == 0)
			return value_int(i);
		xr_fail(st, "bad integer '%.40s'", s);
		return NULL;
	case XR_BOOLEAN:
		/* supervisord: "1" is true, anything else false. */
		return value_bool(xr_trim(s, n, buf, sizeof buf) == 0 &&
		    strcmp(buf, "1") == 0);
	case XR_DOUBLE:
		if (xr_parse_double(s, n, &d) == 0)
			return value_double(d);
		xr_fail(st, "bad double '%.40s'", s);
		return NULL;
	case XR_BASE64:
		return xr_base64(s, n);
	case XR_NIL:
		/* No nil in value trees: the empty string is the closest. */
		if (xr_blank(s, n))
			return value_string("");
		xr_fail(st, "text in <nil/>");
		return NULL;
	default:
		return value_stringn(s, n);
	}
}

/* Hands the value of a finished <value> to the element around it. */
static void
xr_attach(struct xr_state *st, struct value *v)
{
	struct xr_frame	*parent = &st->stack[st->top - 1];

	if (parent->kind == XR_DATA)
		value_array_push(st->stack[st->top - 2].v, v);
	else
		parent->v = v;
}

static void
xr_end_value(struct xr_state *st, struct xr_frame *f)
{
	struct value	*v;

	if (f->seen == 0)
		v = value_stringn(st->text.p != NULL ? st->text.p : "",
		    st->text.len);
	else {
		v = f->v;
		f->v = NULL;
	}
	xr_attach(st, v);
	st->values--;
}

/* Finishes an element that holds other elements; -1 if it is incomplete. */
static int
xr_end_container(struct xr_state *st, struct xr_frame *f)
{
	struct xr_frame	*parent = f - 1;

	switch (f->kind) {
	case XR_ARRAY:
	case XR_STRUCT:
		parent->v = f->v;
		f->v = NULL;
		break;
	case XR_MEMBER:
		if (f->name == NULL || f->v == NULL) {
			xr_fail(st, "<member> without <name> and <value>");
			return -1;
		}
		value_struct_set(parent->v, f->name, f->v);
		f->v = NULL;
		break;
	case XR_PARAM:
	case XR_FAULT:
		if (f->v == NULL) {
			xr_fail(st, "<%s> without <value>", xr_names[f->kind]);
			return -1;
		}
		if (f->kind == XR_FAULT) {
			st->body = f->v;
			st->fault = 1;
		} else
			value_array_push(parent->v, f->v);
		f->v = NULL;
		break;
	case XR_PARAMS:
		st->body = f->v;
		f->v = NULL;
		break;
	case XR_METHODRESPONSE:
		if (!st->fault && value_array_len(st->body) != 1) {
			xr_fail(st, "a response must hold one value");
			return -1;
		}
		break;
	default:
		break;
	}
	return 0;
}

static void XMLCALL
xr_end(void *arg, const XML_Char *name)
{
	struct xr_state	*st = arg;
	struct xr_frame	*f = &st->stack[st->top];
	struct value	*v;
	const char	*text = st->text.p != NULL ? st->text.p : "";

	(void)name;
	if (st->cause != NULL)
		return;
	if (f->kind >= XR_INT && f->kind <= XR_NIL) {
		if ((v = xr_scalar(st, f->kind)) == NULL) {
			xr_fail(st, "bad %s data", xr_names[f->kind]);
			return;
		}
		(f - 1)->v = v;
	} else if (f->kind == XR_METHODNAME)
		st->method = xstrndup(text, st->text.len);
	else if (f->kind == XR_NAME)
		(f - 1)->name = xstrndup(text, st->text.len);
	else if (f->kind == XR_VALUE && f->seen == 0)
		xr_end_value(st, f);
	else if (!xr_blank(text, st->text.len)) {
		xr_fail(st, "unexpected text in <%s>", xr_names[f->kind]);
		return;
	} else if (f->kind == XR_VALUE)
		xr_end_value(st, f);
	else if (xr_end_container(st, f) == -1)
		return;
	value_free(f->v);
	free(f->name);
	st->top--;
	xr_text_reset(st);
}

static void XMLCALL
xr_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xr_fail(arg, "DTDs are not allowed");
}

static void XMLCALL
xr_entity(void *arg, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	xr_fail(arg, "entity declarations are not allowed");
}

static void
xr_clear(struct xr_state *st)
{
	int	 i;

	for (i = 0; i <= st->top; i++) {
		value_free(st->stack[i].v);
		free(st->stack[i].name);
	}
	if (st->parser != NULL)
		XML_ParserFree(st->parser);
	free(st->text.p);
	free(st->method);
	value_free(st->body);
	free(st->cause);
}

/*
 * Runs expat over body.  Returns 0 or -1 with st->cause set.  A DTD aborts
 * the parse before any declaration in it is read, so no entity is ever
 * defined or expanded; only the five predefined ones and character
 * references remain.
 */
static int
xr_parse(struct xr_state *st, enum xr_kind root, const char *body, size_t len)
{
	memset(st, 0, sizeof *st);
	st->root = root;
	st->stack[0].kind = XR_DOC;
	if ((st->parser = XML_ParserCreate(NULL)) == NULL) {
		st->cause = xstrdup("out of memory");
		return -1;
	}
	XML_SetUserData(st->parser, st);
	XML_SetElementHandler(st->parser, xr_start, xr_end);
	XML_SetCharacterDataHandler(st->parser, xr_chars);
	XML_SetStartDoctypeDeclHandler(st->parser, xr_doctype);
	XML_SetEntityDeclHandler(st->parser, xr_entity);
	XML_SetParamEntityParsing(st->parser, XML_PARAM_ENTITY_PARSING_NEVER);

	for (;;) {
		if (XML_Parse(st->parser, body, len > XR_CHUNK ? XR_CHUNK :
		    (int)len, len <= XR_CHUNK) != XML_STATUS_OK)
			break;
		if (len <= XR_CHUNK)
			return 0;
		body += XR_CHUNK;
		len -= XR_CHUNK;
	}
	if (st->cause == NULL) {
		xasprintf(&st->cause, "line %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(st->parser),
		    XML_ErrorString(XML_GetErrorCode(st->parser)));
	}
	return -1;
}

int
xmlrpc_decode_call(const char *body, size_t len, char **method,
    struct value **params, char **cause)
{
	struct xr_state	 st;

	if (xr_parse(&st, XR_METHODCALL, body, len) == -1) {
		*cause = st.cause;
		st.cause = NULL;
		xr_clear(&st);
		return -1;
	}
	*method = st.method != NULL ? st.method : xstrdup("");
	*params = st.body != NULL ? st.body : value_array();
	st.method = NULL;
	st.body = NULL;
	xr_clear(&st);
	return 0;
}

/* Takes the code and string out of a fault struct; -1 if it has none. */
static int
xr_fault(const struct value *v, int *code, char **string)
{
	const struct value	*c, *s;

	c = value_struct_get(v, "faultCode");
	s = value_struct_get(v, "faultString");
	if (c == NULL || c->type != VALUE_INT || c->u.i < INT_MIN ||
	    c->u.i > INT_MAX || s == NULL || s->type != VALUE_STRING)
		return -1;
	*code = c->u.i;
	*string = xstrdup(s->u.str.ptr);
	return 0;
}

int
xmlrpc_decode_response(const char *body, size_t len, struct value **result,
    int *fault_code, char **fault_string, char **cause)
{
	struct xr_state	 st;
	int		 rc;

	if (xr_parse(&st, XR_METHODRESPONSE, body, len) == -1) {
		*cause = st.cause;
		st.cause = NULL;
		rc = -1;
	} else if (st.fault) {
		rc = 1;
		if (xr_fault(st.body, fault_code, fault_string) == -1) {
			*cause = xstrdup("fault without faultCode and "
			    "faultString");
			rc = -1;
		}
	} else {
		rc = 0;
		*result = st.body->u.array.items[0];
		st.body->u.array.n = 0;
	}
	xr_clear(&st);
	return rc;
}
