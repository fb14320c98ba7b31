/* SPDX-License-Identifier: ISC */
/*
 * XML-RPC decoder: a state machine over element events that checks the
 * element structure as it builds the value tree, in one pool.  The events
 * come from the fast scanner of xmlrpc-scan.c when the body is in the
 * subset it knows, which is what XML-RPC writers produce, and from expat
 * (xmlrpc-expat.c) otherwise, and for every malformed body: each error is
 * expat's or the state machine's own, with its line number.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/base64.h"
#include "util/value.h"
#include "util/xmalloc.h"
#include "xmlrpc-internal.h"
#include "xmlrpc.h"

/* Document, call or response, params, param, 3 per value level, a leaf. */
#define XR_MAXFRAMES	(3 * XMLRPC_MAX_DEPTH + 8)

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

/* A finished child of the array, struct or params being read. */
struct xr_item {
	const char	*name;	/* struct members only */
	int		 owned;	/* name is a copy */
	struct value	*v;
};

struct xr_frame {
	enum xr_kind	 kind;
	unsigned int	 seen;	/* one bit per kind of child seen */
	struct value	*v;	/* what this element builds, owned here */
	const char	*name;	/* <member>: the text of its <name> */
	int		 owned;	/* name is a copy */
	size_t		 base;	/* containers: their first item */
};

struct xr_state {
	struct value_pool *pool;	/* of every value made */
	enum xr_kind	 root;
	struct xr_frame	 stack[XR_MAXFRAMES];
	int		 top;
	int		 values;	/* <value> elements open */
	struct xbuf	 text;
	struct xr_item	*items;		/* children of open containers */
	size_t		 nitems, capitems;
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
xr_fail(struct xr_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Records the first error; the callback that calls this returns -1, which
 * stops the parse.  The parser adds the line.
 */
static void
xr_fail(struct xr_state *st, const char *fmt, ...)
{
	va_list	 ap;

	if (st->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&st->cause, fmt, ap);
	va_end(ap);
}

/* The kind of an element name without a prefix; -1 if unknown. */
static int
xr_kind_of(const char *name, size_t len)
{
	/* memcmp with a constant length compiles to a few compares. */
#define XR_IS(s)	(memcmp(name, (s), sizeof (s) - 1) == 0)
	switch (len) {
	case 2:
		return XR_IS("i4") || XR_IS("i8") ? XR_INT : -1;
	case 3:
		return XR_IS("int") ? XR_INT : XR_IS("nil") ? XR_NIL : -1;
	case 4:
		return XR_IS("name") ? XR_NAME : XR_IS("data") ? XR_DATA : -1;
	case 5:
		return XR_IS("value") ? XR_VALUE : XR_IS("param") ? XR_PARAM :
		    XR_IS("array") ? XR_ARRAY : XR_IS("fault") ? XR_FAULT : -1;
	case 6:
		return XR_IS("string") ? XR_STRING : XR_IS("member") ?
		    XR_MEMBER : XR_IS("struct") ? XR_STRUCT : XR_IS("params") ?
		    XR_PARAMS : XR_IS("double") ? XR_DOUBLE : XR_IS("base64") ?
		    XR_BASE64 : -1;
	case 7:
		return XR_IS("boolean") ? XR_BOOLEAN : -1;
	case 10:
		return XR_IS("methodName") ? XR_METHODNAME :
		    XR_IS("methodCall") ? XR_METHODCALL : -1;
	case 14:
		return XR_IS("methodResponse") ? XR_METHODRESPONSE : -1;
	case 16:
		return XR_IS("dateTime.iso8601") ? XR_DATETIME : -1;
	}
	return -1;
#undef XR_IS
}

/* Element name to kind, ignoring a namespace prefix as xmlrpc.client does. */
static int
xr_lookup(const char *name, size_t len)
{
	const char	*colon;
	int		 k;

	if ((k = xr_kind_of(name, len)) != -1)
		return k;
	if ((colon = memrchr(name, ':', len)) == NULL)
		return -1;
	return xr_kind_of(colon + 1, len - (size_t)(colon + 1 - name));
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

static void
xr_item_push(struct xr_state *st, const char *name, int owned,
    struct value *v)
{
	struct xr_item	*it;

	if (st->nitems == st->capitems) {
		st->capitems = st->capitems ? st->capitems * 2 : 64;
		st->items = xreallocarray(st->items, st->capitems,
		    sizeof *st->items);
	}
	it = &st->items[st->nitems++];
	it->name = name;
	it->owned = owned;
	it->v = v;
}

static int
xr_start(void *arg, const char *name, size_t len)
{
	struct xr_state	*st = arg;
	struct xr_frame	*f = &st->stack[st->top], *nf;
	int		 k;

	if (st->cause != NULL)
		return -1;
	if ((k = xr_lookup(name, len)) == -1) {
		xr_fail(st, "unknown element <%.*s>", (int)len, name);
		return -1;
	}
	if (f->kind == XR_DOC && !xr_allowed(st, f, k)) {
		xr_fail(st, "<%.*s> where <%s> was expected", (int)len, name,
		    xr_names[st->root]);
		return -1;
	}
	if (!xr_allowed(st, f, k)) {
		xr_fail(st, "unexpected <%.*s> in <%s>", (int)len, name,
		    xr_names[f->kind]);
		return -1;
	}
	if (!xr_blank(st->text.p, st->text.len)) {
		xr_fail(st, "text mixed with <%.*s> in <%s>", (int)len, name,
		    xr_names[f->kind]);
		return -1;
	}
	if (k == XR_VALUE && ++st->values > XMLRPC_MAX_DEPTH) {
		xr_fail(st, "values nested more than %d deep",
		    XMLRPC_MAX_DEPTH);
		return -1;
	}
	if (st->top + 1 >= XR_MAXFRAMES) {
		xr_fail(st, "elements nested too deep");
		return -1;
	}
	f->seen |= 1u << k;
	nf = &st->stack[++st->top];
	memset(nf, 0, sizeof *nf);
	nf->kind = k;
	nf->base = st->nitems;
	xr_text_reset(st);
	return 0;
}

static int
xr_chars(void *arg, const char *s, size_t len)
{
	struct xr_state	*st = arg;

	if (st->cause != NULL)
		return -1;
	xbuf_add(&st->text, s, len);
	return 0;
}

/* Like Python's a2b_base64: characters outside the alphabet are skipped. */
static struct value *
xr_base64(struct xr_state *st, const char *s, size_t n)
{
	struct value	*v = NULL;
	unsigned char	*out;
	ssize_t		 len;

	out = xmalloc(BASE64_DECODED_MAX(n) + 1);
	if ((len = base64_decode(s, n, out, 1)) != -1)
		v = value_pool_stringn(st->pool, (char *)out, (size_t)len);
	free(out);
	return v;
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
		if (xmlrpc_text_int(s, n, &i) == 0)
			return value_pool_int(st->pool, i);
		xr_fail(st, "bad integer '%.40s'", s);
		return NULL;
	case XR_BOOLEAN:
		/* supervisord: "1" is true, anything else false. */
		return value_pool_bool(st->pool, xmlrpc_text_trim(s, n, buf,
		    sizeof buf) == 0 && strcmp(buf, "1") == 0);
	case XR_DOUBLE:
		if (xmlrpc_text_double(s, n, &d) == 0)
			return value_pool_double(st->pool, d);
		xr_fail(st, "bad double '%.40s'", s);
		return NULL;
	case XR_BASE64:
		return xr_base64(st, s, n);
	case XR_NIL:
		/* No nil in value trees: the empty string is the closest. */
		if (xr_blank(s, n))
			return value_pool_stringn(st->pool, "", 0);
		xr_fail(st, "text in <nil/>");
		return NULL;
	default:
		return value_pool_stringn(st->pool, s, n);
	}
}

/* Hands the value of a finished <value> to the element around it. */
static void
xr_end_value(struct xr_state *st, struct xr_frame *f)
{
	struct xr_frame	*parent = f - 1;
	struct value	*v;

	if (f->seen == 0)
		v = value_pool_stringn(st->pool, st->text.p != NULL ?
		    st->text.p : "", st->text.len);
	else {
		v = f->v;
		f->v = NULL;
	}
	if (parent->kind == XR_DATA)
		xr_item_push(st, NULL, 0, v);
	else
		parent->v = v;
	st->values--;
}

/* The array of the items from base on, which are taken. */
static struct value *
xr_take_array(struct xr_state *st, size_t base)
{
	struct value	*a = value_pool_array(st->pool, st->nitems - base);
	size_t		 i;

	for (i = base; i < st->nitems; i++)
		value_array_push(a, st->items[i].v);
	st->nitems = base;
	return a;
}

static int
xr_same_name(const struct xr_item *a, const struct value_member *m)
{
	/* Two known names are equal only as the same entry. */
	if (a->name == m->name)
		return 1;
	if (!a->owned && !m->name_owned)
		return 0;
	return strcmp(a->name, m->name) == 0;
}

/*
 * The struct of the items from base on, which are taken.  A repeated name
 * keeps its first place and takes the last value, as a Python dict does.
 */
static struct value *
xr_take_struct(struct xr_state *st, size_t base)
{
	struct value		*s = value_pool_struct(st->pool,
				    st->nitems - base);
	struct xr_item		*it;
	struct value_member	*m;
	size_t			 i, j;

	for (i = base; i < st->nitems; i++) {
		it = &st->items[i];
		for (j = 0; j < s->u.st.n; j++) {
			if (xr_same_name(it, &s->u.st.members[j]))
				break;
		}
		if (j == s->u.st.n) {
			if (it->owned)
				value_struct_add_own(s, (char *)it->name,
				    it->v);
			else
				value_struct_add(s, it->name, it->v);
			continue;
		}
		m = &s->u.st.members[j];
		value_free(m->value);
		m->value = it->v;
		if (it->owned)
			free((char *)it->name);
	}
	st->nitems = base;
	return s;
}

/* Finishes an element that holds other elements; -1 if it is incomplete. */
static int
xr_end_container(struct xr_state *st, struct xr_frame *f)
{
	struct xr_frame	*parent = f - 1;

	switch (f->kind) {
	case XR_ARRAY:
		parent->v = xr_take_array(st, f->base);
		break;
	case XR_STRUCT:
		parent->v = xr_take_struct(st, f->base);
		break;
	case XR_MEMBER:
		if (f->name == NULL || f->v == NULL) {
			xr_fail(st, "<member> without <name> and <value>");
			return -1;
		}
		xr_item_push(st, f->name, f->owned, f->v);
		f->name = NULL;
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
			xr_item_push(st, NULL, 0, f->v);
		f->v = NULL;
		break;
	case XR_PARAMS:
		st->body = xr_take_array(st, f->base);
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

/* The text of a <name>, as a known name or a copy. */
static void
xr_end_name(struct xr_state *st, struct xr_frame *member)
{
	const char	*text = st->text.p != NULL ? st->text.p : "";

	if ((member->name = xmlrpc_text_name(text, st->text.len)) == NULL) {
		member->name = xstrndup(text, st->text.len);
		member->owned = 1;
	}
}

static void
xr_frame_clear(struct xr_frame *f)
{
	value_free(f->v);
	if (f->owned)
		free((char *)f->name);
}

static int
xr_end(void *arg)
{
	struct xr_state	*st = arg;
	struct xr_frame	*f = &st->stack[st->top];
	struct value	*v;
	const char	*text = st->text.p != NULL ? st->text.p : "";

	if (st->cause != NULL)
		return -1;
	if (f->kind >= XR_INT && f->kind <= XR_NIL) {
		if ((v = xr_scalar(st, f->kind)) == NULL) {
			xr_fail(st, "bad %s data", xr_names[f->kind]);
			return -1;
		}
		(f - 1)->v = v;
	} else if (f->kind == XR_METHODNAME)
		st->method = xstrndup(text, st->text.len);
	else if (f->kind == XR_NAME)
		xr_end_name(st, f - 1);
	else if (f->kind == XR_VALUE && f->seen == 0)
		xr_end_value(st, f);
	else if (!xr_blank(text, st->text.len)) {
		xr_fail(st, "unexpected text in <%s>", xr_names[f->kind]);
		return -1;
	} else if (f->kind == XR_VALUE)
		xr_end_value(st, f);
	else if (xr_end_container(st, f) == -1)
		return -1;
	xr_frame_clear(f);
	st->top--;
	xr_text_reset(st);
	return 0;
}

static void
xr_init(struct xr_state *st, enum xr_kind root, size_t len)
{
	memset(st, 0, sizeof *st);
	st->root = root;
	st->stack[0].kind = XR_DOC;
	/* The tree takes about as many bytes as its XML. */
	st->pool = value_pool_create(len);
}

static void
xr_clear(struct xr_state *st)
{
	size_t	 i;
	int	 j;

	for (j = 0; j <= st->top; j++)
		xr_frame_clear(&st->stack[j]);
	for (i = 0; i < st->nitems; i++) {
		value_free(st->items[i].v);
		if (st->items[i].owned)
			free((char *)st->items[i].name);
	}
	free(st->items);
	free(st->text.p);
	free(st->method);
	value_free(st->body);
	free(st->cause);
	value_pool_free(st->pool);
}

static const struct xmlrpc_scan_cb xr_scan_cb = {
	.start = xr_start,
	.end = xr_end,
	.text = xr_chars,
};

static int	xr_expat_only;

void
xmlrpc_decode_use_expat(int only)
{
	xr_expat_only = only;
}

/*
 * The scanner if it can, else expat from scratch: on a malformed body it
 * is expat that says why, and where.  Returns 0 or -1 with st->cause set.
 */
static int
xr_parse(struct xr_state *st, enum xr_kind root, const char *body, size_t len)
{
	unsigned long	 line;
	char		*error, *why;

	xr_init(st, root, len);
	if (!xr_expat_only && xmlrpc_scan(body, len, &xr_scan_cb, st) == 0 &&
	    st->cause == NULL)
		return 0;
	xr_clear(st);
	xr_init(st, root, len);
	if (xmlrpc_expat(body, len, &xr_scan_cb, st, &line, &error) == 0 &&
	    st->cause == NULL)
		return 0;
	why = st->cause != NULL ? st->cause : error;
	if (why == NULL)
		st->cause = xstrdup("malformed");
	else if (line == 0)
		st->cause = xstrdup(why);
	else
		xasprintf(&st->cause, "line %lu: %s", line, why);
	if (why != error)
		free(why);
	free(error);
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
	*params = st.body != NULL ? value_pool_finish(st.pool, st.body) :
	    value_array();
	if (st.body != NULL)
		st.pool = NULL;
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
		*result = value_pool_finish(st.pool, st.body->u.array.items[0]);
		st.pool = NULL;
		st.body->u.array.n = 0;
	}
	xr_clear(&st);
	return rc;
}
