/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of rpc/xmlrpc-scan.c: the events it reports, what it declines,
 * and its agreement with expat: every body, written by hand or mutated at
 * random, must decode to the same result (value, fault or error) with the
 * scanner as with expat alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rpc/xmlrpc-internal.h"
#include "rpc/xmlrpc.h"
#include "util/value.h"
#include "util/xmalloc.h"

/* Random mutations tried per seed document. */
#define MUTATIONS	4000

/* ---- the events ---- */

struct trace {
	char	 buf[4096];
	size_t	 len;
	int	 stop_at;	/* stop at this event (counted from 1), or 0 */
	int	 events;
};

static void
trace_add(struct trace *t, const char *kind, const char *s, size_t n)
{
	int	 w;

	w = snprintf(t->buf + t->len, sizeof t->buf - t->len, "%s(%.*s)",
	    kind, (int)n, s);
	assert_true(w > 0 && (size_t)w < sizeof t->buf - t->len);
	t->len += (size_t)w;
}

static int
trace_stop(struct trace *t)
{
	return ++t->events == t->stop_at ? -1 : 0;
}

static int
trace_start(void *arg, const char *name, size_t len)
{
	trace_add(arg, "S", name, len);
	return trace_stop(arg);
}

static int
trace_end(void *arg)
{
	trace_add(arg, "E", "", 0);
	return trace_stop(arg);
}

static int
trace_text(void *arg, const char *s, size_t len)
{
	trace_add(arg, "T", s, len);
	return trace_stop(arg);
}

static const struct xmlrpc_scan_cb trace_cb = {
	.start = trace_start,
	.end = trace_end,
	.text = trace_text,
};

/* Callbacks that only count, for bodies too large to trace. */
static int
count_start(void *arg, const char *name, size_t len)
{
	(void)name;
	(void)len;
	(*(int *)arg)++;
	return 0;
}

static int
count_end(void *arg)
{
	(void)arg;
	return 0;
}

static int
count_text(void *arg, const char *s, size_t len)
{
	(void)arg;
	(void)s;
	(void)len;
	return 0;
}

static const struct xmlrpc_scan_cb count_cb = {
	.start = count_start,
	.end = count_end,
	.text = count_text,
};

static void
assert_events(const char *body, const char *want)
{
	struct trace	 t;

	memset(&t, 0, sizeof t);
	if (xmlrpc_scan(body, strlen(body), &trace_cb, &t) != 0)
		fail_msg("declined: %s", body);
	assert_string_equal(t.buf, want);
}

static void
assert_declined(const char *body, size_t len)
{
	struct trace	 t;

	memset(&t, 0, sizeof t);
	if (xmlrpc_scan(body, len, &trace_cb, &t) == 0)
		fail_msg("accepted: %.*s", (int)len, body);
}

#define DECLINED(s)	assert_declined((s), sizeof (s) - 1)

static void
test_events(void **state)
{
	struct trace	 t;

	(void)state;
	assert_events("<a/>", "S(a)E()");
	assert_events("<?xml version='1.0'?>\n<a>x</a>\n", "S(a)T(x)E()");
	assert_events("<?xml version=\"1.0\" encoding=\"UTF-8\" "
	    "standalone='yes' ?><a >x</a >", "S(a)T(x)E()");
	assert_events("<?xml version='1.0' encoding='utf-8'?><a/>", "S(a)E()");
	/* References become their text; multibyte UTF-8 passes as it is. */
	assert_events("<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x10FFFF;"
	    "\xc3\xa9]></a>", "S(a)T(<)T(>)T(&)T(\")T(')T(A)T(B)"
	    "T(\xf4\x8f\xbf\xbf)T(\xc3\xa9]>)E()");
	/* Blanks before and after a child are nobody's value. */
	assert_events("<a>\n <b> x </b>\n\t<c/>\n</a>",
	    "S(a)S(b)T( x )E()S(c)E()E()");
	assert_events("<a> <b/>&amp; </a>", "S(a)S(b)E()T(&)E()");
	assert_events("<a>\n</a>", "S(a)T(\n)E()");
	assert_events("<x:a><x:b/></x:a>", "S(x:a)S(x:b)E()E()");
	assert_events("\n\r\n <a/>\r\n", "S(a)E()");

	/* A callback that fails stops the scan. */
	memset(&t, 0, sizeof t);
	t.stop_at = 2;
	assert_int_equal(xmlrpc_scan("<a><b/></a>", 11, &trace_cb, &t), -1);
	assert_string_equal(t.buf, "S(a)S(b)");
}

static void
test_declined(void **state)
{
	(void)state;
	/* Outside the subset: expat's business. */
	DECLINED("<a b='1'/>");
	DECLINED("<a>x<!-- c --></a>");
	DECLINED("<a><![CDATA[x]]></a>");
	DECLINED("<a><?pi x?></a>");
	DECLINED("<!DOCTYPE a><a/>");
	DECLINED("<a>x\ry</a>");
	DECLINED("\xef\xbb\xbf<a/>");
	DECLINED("<?xml version='1.1'?><a/>");
	DECLINED("<?xml version='1.0' encoding='latin-1'?><a/>");
	DECLINED("<?xml version='1.0' standalone='yes' encoding='utf-8'?><a/>");
	DECLINED("<?xml version='1.0'?><?xml version='1.0'?><a/>");
	DECLINED(" <?xml version='1.0'?><a/>");
	DECLINED("<a>&nbsp;</a>");
	DECLINED("<a>&#123456789;</a>");
	DECLINED("<\xc3\xa9/>");
	/* Malformed. */
	DECLINED("");
	DECLINED("   ");
	DECLINED("<a>");
	DECLINED("<a></b>");
	DECLINED("<a></ab>");
	DECLINED("<ab></a>");
	DECLINED("<a/><b/>");
	DECLINED("<a/>x");
	DECLINED("x<a/>");
	DECLINED("<a>]]></a>");
	DECLINED("<a>\x01</a>");
	DECLINED("<a>\0</a>");
	DECLINED("<a>\xff</a>");
	DECLINED("<a>\xc3</a>");
	DECLINED("<a>\xed\xa0\x80</a>");
	DECLINED("<a>\xef\xbf\xbe</a>");
	DECLINED("<a>&#0;</a>");
	DECLINED("<a>&#xD800;</a>");
	DECLINED("<a>&#xFFFE;</a>");
	DECLINED("<a>&#X41;</a>");
	DECLINED("<a>&#;</a>");
	DECLINED("<a>&amp</a>");
	DECLINED("<a>&</a>");
	DECLINED("<a>< b/></a>");
	DECLINED("<1a/>");
	DECLINED("<a/ >");
	DECLINED("<a></a b>");
	DECLINED("&amp;<a/>");
	DECLINED("<a/>&amp;");
	DECLINED("<a/></a>");
	DECLINED("<?xml version='1.0'><a/>");
	DECLINED("<?xml version='1.0'?");
	DECLINED("<?xml version=1.0?><a/>");
	DECLINED("<?xml?><a/>");
}

/* ---- agreement with expat ---- */

struct outcome {
	int		 rc;
	struct value	*value;
	char		*method;
	char		*text;		/* cause or fault string */
	int		 code;
};

static void
outcome_free(struct outcome *o)
{
	value_free(o->value);
	free(o->method);
	free(o->text);
}

static void
decode(const char *body, size_t len, int call, int expat,
    struct outcome *o)
{
	memset(o, 0, sizeof o[0]);
	xmlrpc_decode_use_expat(expat);
	if (call)
		o->rc = xmlrpc_decode_call(body, len, &o->method, &o->value,
		    &o->text);
	else
		o->rc = xmlrpc_decode_response(body, len, &o->value, &o->code,
		    &o->text, &o->text);
	xmlrpc_decode_use_expat(0);
}

/* Equal as encoded: value_equal() says no to NaN and NaN. */
static int
value_same(const struct value *a, const struct value *b)
{
	char	*ea, *eb;
	size_t	 la, lb;
	int	 same;

	ea = xmlrpc_encode_response(a, &la);
	eb = xmlrpc_encode_response(b, &lb);
	same = la == lb && memcmp(ea, eb, la) == 0;
	free(ea);
	free(eb);
	return same;
}

static int
outcome_same(const struct outcome *a, const struct outcome *b)
{
	if (a->rc != b->rc || a->code != b->code)
		return 0;
	if ((a->value == NULL) != (b->value == NULL) ||
	    (a->value != NULL && !value_same(a->value, b->value)))
		return 0;
	if ((a->method == NULL) != (b->method == NULL) ||
	    (a->method != NULL && strcmp(a->method, b->method) != 0))
		return 0;
	if ((a->text == NULL) != (b->text == NULL) ||
	    (a->text != NULL && strcmp(a->text, b->text) != 0))
		return 0;
	return 1;
}

/* Both ways of decoding give the same, as a call and as a response. */
static void
assert_same(const char *body, size_t len)
{
	struct outcome	 fast, slow;
	int		 call;

	for (call = 0; call <= 1; call++) {
		decode(body, len, call, 0, &fast);
		decode(body, len, call, 1, &slow);
		if (!outcome_same(&fast, &slow))
			fail_msg("scanner and expat differ (%s, rc %d/%d, %s / "
			    "%s) on:\n%.*s", call ? "call" : "response",
			    fast.rc, slow.rc, fast.text ? fast.text : "-",
			    slow.text ? slow.text : "-", (int)len, body);
		outcome_free(&fast);
		outcome_free(&slow);
	}
}

static const char *const seeds[] = {
	"<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
	"<value><array><data>\n<value><struct>\n<member>\n<name>name</name>\n"
	"<value><string>p&amp;1 \xc3\xa9</string></value>\n</member>\n"
	"<member>\n<name>pid</name>\n<value><int>42</int></value>\n"
	"</member>\n<member>\n<name>x:odd</name>\n<value>  raw </value>\n"
	"</member>\n<member>\n<name>name</name>\n<value><i4>-7</i4></value>\n"
	"</member>\n</struct></value>\n<value><boolean>1</boolean></value>\n"
	"<value><double>1.5</double></value>\n<value><base64>aGk=</base64>"
	"</value>\n<value><nil/></value>\n<value><dateTime.iso8601>20260101T"
	"00:00:00</dateTime.iso8601></value>\n</data></array></value>\n"
	"</param>\n</params>\n</methodResponse>\n",
	"<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n"
	"<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n"
	"</member>\n<member>\n<name>faultString</name>\n<value><string>"
	"BAD_NAME: x&lt;y</string></value>\n</member>\n</struct></value>\n"
	"</fault>\n</methodResponse>\n",
	"<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor."
	"startProcess</methodName>\n<params>\n<param>\n<value><string>x"
	"</string></value>\n</param>\n<param>\n<value><boolean>1</boolean>"
	"</value>\n</param>\n</params>\n</methodCall>\n",
	"<methodCall><methodName>system.multicall</methodName><params><param>"
	"<value><array><data><value><struct><member><name>methodName</name>"
	"<value>a.b</value></member><member><name>params</name><value><array>"
	"<data/></array></value></member></struct></value></data></array>"
	"</value></param></params></methodCall>",
	"<ns:methodResponse><ns:params><ns:param><ns:value>&#x41;&#66;"
	"</ns:value></ns:param></ns:params></ns:methodResponse>",
};

static void
test_handmade(void **state)
{
	static const char *const docs[] = {
		"<methodResponse><params><param><value>\n</value></param>"
		"</params></methodResponse>",
		"<methodResponse><params><param><value> <string>x</string> "
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value>x<string>x</string>"
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value><string>a</string>b"
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value><int> 12 </int></value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value><int>99999999999999999999"
		"</int></value></param></params></methodResponse>",
		"<methodResponse><params><param><value><array><data>\r\n"
		"</data></array></value></param></params></methodResponse>",
		"<methodResponse><params><param><value>a\r\nb</value></param>"
		"</params></methodResponse>",
		"<methodResponse><params><param><value><struct><member><value>"
		"<int>1</int></value></member></struct></value></param>"
		"</params></methodResponse>",
		"<methodResponse><params/></methodResponse>",
		"<methodResponse/>",
		"<methodCall/>",
		"<methodCall><methodName>a&amp;b</methodName><params>"
		"<param><value><nil/></value></param></params></methodCall>",
		"<methodResponse><params><param><value><string>x<!--c-->y"
		"</string></value></param></params></methodResponse>",
		"<methodResponse><params><param><value><string><![CDATA[<&>]]>"
		"</string></value></param></params></methodResponse>",
		"<methodResponse a='b'><params><param><value>1</value></param>"
		"</params></methodResponse>",
		"<methodResponse><params><param><value>1</value></param>"
		"</params></methodResponse><!-- after -->",
		"<bogus/>",
		/* Characters at the edges of what XML allows. */
		"<methodResponse><params><param><value>\x7f\xc2\x80\xef\xb7"
		"\x90\xef\xbf\xbd\xf0\x9f\xbf\xbe\xf4\x8f\xbf\xbf"
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value>&#x7f;&#x80;&#xFDD0;"
		"&#xFFFD;&#x1FFFE;&#x10FFFF;&#9;&#10;&#13;&#32;</value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value>&#x110000;</value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value>&#xFFFF;</value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value>&#x1F;</value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value>\xe0\x80\x80</value>"
		"</param></params></methodResponse>",
		"<methodResponse><params><param><value>\xf0\x80\x80\x80"
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value>\xf4\x90\x80\x80"
		"</value></param></params></methodResponse>",
		"<methodResponse><params><param><value>\xc1\xbf</value>"
		"</param></params></methodResponse>",
		"<_:methodResponse><params><param><value>1</value></param>"
		"</params></_:methodResponse>",
		"<methodResponse:><params><param><value>1</value></param>"
		"</params></methodResponse:>",
		"<methodResponse\t><params\n><param\r\n><value >1</value >"
		"</param\t></params\n></methodResponse >",
		"<methodResponse><params><param><value><struct><member><name>"
		"a</name><name>b</name></member></struct></value></param>"
		"</params></methodResponse>",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
		assert_same(docs[i], strlen(docs[i]));
	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
		assert_same(seeds[i], strlen(seeds[i]));
}

/* A small generator, so that every run tries the same mutations. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Replaces, inserts or deletes a few bytes, from an alphabet XML cares for. */
static size_t
mutate(const char *seed, size_t len, char *out, uint32_t *s)
{
	static const char	 alpha[] = "<>/&;#x:'\"=?! \t\r\n]-a1\x80\xc3"
	    "\xa9\xff";
	size_t			 n = len, at, k, edits;

	memcpy(out, seed, len);
	for (edits = 1 + rnd(s) % 3; edits > 0 && n > 0; edits--) {
		at = rnd(s) % n;
		k = rnd(s) % (sizeof alpha - 1);
		switch (rnd(s) % 3) {
		case 0:
			out[at] = alpha[k];
			break;
		case 1:
			memmove(out + at + 1, out + at, n - at);
			out[at] = alpha[k];
			n++;
			break;
		default:
			memmove(out + at, out + at + 1, n - at - 1);
			n--;
			break;
		}
	}
	return n;
}

static void
test_mutations(void **state)
{
	uint32_t	 s = 2463534242u;
	size_t		 i, j, len, n;
	char		*buf;

	(void)state;
	for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
		len = strlen(seeds[i]);
		buf = xmalloc(len + 8);
		for (j = 0; j < MUTATIONS; j++) {
			n = mutate(seeds[i], len, buf, &s);
			assert_same(buf, n);
		}
		free(buf);
	}
}

/* A body the encoder wrote is always the scanner's, however large. */
static void
test_own_bodies(void **state)
{
	struct value	*a, *v, *back = NULL;
	char		*body, *fs = NULL, *cause = NULL;
	size_t		 len;
	int		 i, code, starts = 0;

	(void)state;
	a = value_array();
	for (i = 0; i < 200; i++) {
		v = value_struct();
		value_struct_set(v, "name", value_string("p<&>\x01\xff\xc3\xa9"));
		value_struct_set(v, "pid", value_int(i - 100));
		value_struct_set(v, "ok", value_bool(i & 1));
		value_struct_set(v, "d", value_double(i / 7.0));
		value_array_push(a, v);
	}
	body = xmlrpc_encode_response(a, &len);
	assert_int_equal(xmlrpc_scan(body, len, &count_cb, &starts), 0);
	/* 6 around the array, 2 + 4 x 4 per struct */
	assert_int_equal(starts, 6 + 200 * 18);
	assert_int_equal(xmlrpc_decode_response(body, len, &back, &code, &fs,
	    &cause), 0);
	assert_int_equal(value_array_len(back), 200);
	assert_same(body, len);
	value_free(back);
	value_free(a);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_own_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
