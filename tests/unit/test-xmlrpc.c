/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of rpc/xmlrpc.c: byte-for-byte agreement with Python's
 * xmlrpc.client (the expected bodies below were produced by its dumps()),
 * round trips of every type, and refusal of malformed or hostile bodies.
 */
#include <sys/wait.h>

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rpc/xmlrpc.h"
#include "util/value.h"
#include "util/xmalloc.h"

#define PYTHON	"/usr/bin/python3"

/* Produced by Python 3.11 xmlrpc.client.dumps(). */
static const char py_info[] =
	    "<?xml version='1.0'?>\n"
	    "<methodResponse>\n"
	    "<params>\n"
	    "<param>\n"
	    "<value><struct>\n"
	    "<member>\n"
	    "<name>name</name>\n"
	    "<value><string>x</string></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>group</name>\n"
	    "<value><string>g</string></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>start</name>\n"
	    "<value><int>1700000000</int></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>state</name>\n"
	    "<value><int>20</int></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>statename</name>\n"
	    "<value><string>RUNNING</string></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>spawnerr</name>\n"
	    "<value><string></string></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>exitstatus</name>\n"
	    "<value><int>0</int></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>pid</name>\n"
	    "<value><int>42</int></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>description</name>\n"
	    "<value><string>pid 42, uptime 0:00:01</string></value>\n"
	    "</member>\n"
	    "</struct></value>\n"
	    "</param>\n"
	    "</params>\n"
	    "</methodResponse>\n";

static const char py_mixed[] =
	    "<?xml version='1.0'?>\n"
	    "<methodResponse>\n"
	    "<params>\n"
	    "<param>\n"
	    "<value><array><data>\n"
	    "<value><boolean>1</boolean></value>\n"
	    "<value><boolean>0</boolean></value>\n"
	    "<value><string>a&lt;b&gt;&amp;c</string></value>\n"
	    "<value><double>1.5</double></value>\n"
	    "<value><int>-3</int></value>\n"
	    "<value><array><data>\n"
	    "</data></array></value>\n"
	    "<value><struct>\n"
	    "</struct></value>\n"
	    "<value><array><data>\n"
	    "<value><array><data>\n"
	    "<value><int>1</int></value>\n"
	    "<value><array><data>\n"
	    "<value><int>2</int></value>\n"
	    "</data></array></value>\n"
	    "</data></array></value>\n"
	    "<value><struct>\n"
	    "<member>\n"
	    "<name>k</name>\n"
	    "<value><string>v</string></value>\n"
	    "</member>\n"
	    "</struct></value>\n"
	    "</data></array></value>\n"
	    "</data></array></value>\n"
	    "</param>\n"
	    "</params>\n"
	    "</methodResponse>\n";

static const char py_fault[] =
	    "<?xml version='1.0'?>\n"
	    "<methodResponse>\n"
	    "<fault>\n"
	    "<value><struct>\n"
	    "<member>\n"
	    "<name>faultCode</name>\n"
	    "<value><int>10</int></value>\n"
	    "</member>\n"
	    "<member>\n"
	    "<name>faultString</name>\n"
	    "<value><string>BAD_NAME: nosuch</string></value>\n"
	    "</member>\n"
	    "</struct></value>\n"
	    "</fault>\n"
	    "</methodResponse>\n";

static const char py_call[] =
	    "<?xml version='1.0'?>\n"
	    "<methodCall>\n"
	    "<methodName>supervisor.startProcess</methodName>\n"
	    "<params>\n"
	    "<param>\n"
	    "<value><string>x</string></value>\n"
	    "</param>\n"
	    "<param>\n"
	    "<value><boolean>1</boolean></value>\n"
	    "</param>\n"
	    "</params>\n"
	    "</methodCall>\n";

static const char py_call0[] =
	    "<?xml version='1.0'?>\n"
	    "<methodCall>\n"
	    "<methodName>system.listMethods</methodName>\n"
	    "<params>\n"
	    "</params>\n"
	    "</methodCall>\n";

static const char py_doubles[] =
	    "<?xml version='1.0'?>\n"
	    "<methodResponse>\n"
	    "<params>\n"
	    "<param>\n"
	    "<value><array><data>\n"
	    "<value><double>0.0</double></value>\n"
	    "<value><double>-0.0</double></value>\n"
	    "<value><double>1e+16</double></value>\n"
	    "<value><double>1000000000000000.0</double></value>\n"
	    "<value><double>0.0001</double></value>\n"
	    "<value><double>1e-05</double></value>\n"
	    "<value><double>1.5e-07</double></value>\n"
	    "<value><double>1e+100</double></value>\n"
	    "<value><double>123456789.123</double></value>\n"
	    "<value><double>0.3333333333333333</double></value>\n"
	    "<value><double>2.5e-320</double></value>\n"
	    "<value><double>5e-324</double></value>\n"
	    "<value><double>1.7976931348623157e+308</double></value>\n"
	    "<value><double>100.0</double></value>\n"
	    "<value><double>12345.678</double></value>\n"
	    "<value><double>-2.5e-10</double></value>\n"
	    "<value><double>1e+22</double></value>\n"
	    "<value><double>1.23e+20</double></value>\n"
	    "</data></array></value>\n"
	    "</param>\n"
	    "</params>\n"
	    "</methodResponse>\n";

static const char py_unicode[] =
	    "<?xml version='1.0'?>\n"
	    "<methodResponse>\n"
	    "<params>\n"
	    "<param>\n"
	    "<value><string>h\xc3""\xa9""llo \xe2""\x9c""\x93"" \xf0""\x9d""\x84""\x9e""\x09""\n"
	    "</string></value>\n"
	    "</param>\n"
	    "</params>\n"
	    "</methodResponse>\n";

/* Builds an array of n values (taking ownership of them). */
static struct value *
arr(int n, ...)
{
	struct value	*a = value_array();
	va_list		 ap;

	va_start(ap, n);
	while (n-- > 0)
		value_array_push(a, va_arg(ap, struct value *));
	va_end(ap);
	return a;
}

/* Builds a struct of n name, value pairs (taking ownership of values). */
static struct value *
st(int n, ...)
{
	struct value	*s = value_struct();
	const char	*name;
	va_list		 ap;

	va_start(ap, n);
	while (n-- > 0) {
		name = va_arg(ap, const char *);
		value_struct_set(s, name, va_arg(ap, struct value *));
	}
	va_end(ap);
	return s;
}

static struct value *
build_info(void)
{
	return st(9, "name", value_string("x"), "group", value_string("g"),
	    "start", value_int(1700000000), "state", value_int(20),
	    "statename", value_string("RUNNING"), "spawnerr", value_string(""),
	    "exitstatus", value_int(0), "pid", value_int(42),
	    "description", value_string("pid 42, uptime 0:00:01"));
}

static struct value *
build_mixed(void)
{
	return arr(8, value_bool(1), value_bool(0), value_string("a<b>&c"),
	    value_double(1.5), value_int(-3), value_array(), value_struct(),
	    arr(2, arr(2, value_int(1), arr(1, value_int(2))),
	    st(1, "k", value_string("v"))));
}

static const double doubles[] = {
	0.0, -0.0, 1e16, 1e15, 0.0001, 1e-05, 1.5e-07, 1e100, 123456789.123,
	1.0 / 3, 2.5e-320, 5e-324, 1.7976931348623157e308, 100.0, 12345.678,
	-2.5e-10, 1e22, 123e18,
};

static struct value *
build_doubles(void)
{
	struct value	*a = value_array();
	size_t		 i;

	for (i = 0; i < sizeof doubles / sizeof doubles[0]; i++)
		value_array_push(a, value_double(doubles[i]));
	return a;
}

static void
assert_response(struct value *v, const char *want)
{
	char	*body;
	size_t	 len;

	body = xmlrpc_encode_response(v, &len);
	assert_string_equal(body, want);
	assert_int_equal(len, strlen(want));
	free(body);
	value_free(v);
}

static void
test_encode_like_python(void **state)
{
	struct value	*p;
	char		*body;
	size_t		 len;

	(void)state;
	assert_response(build_info(), py_info);
	assert_response(build_mixed(), py_mixed);
	assert_response(build_doubles(), py_doubles);
	assert_response(value_string("h\xc3\xa9llo \xe2\x9c\x93 "
	    "\xf0\x9d\x84\x9e\t\n"), py_unicode);

	body = xmlrpc_encode_fault(10, "BAD_NAME: nosuch", &len);
	assert_string_equal(body, py_fault);
	assert_int_equal(len, strlen(py_fault));
	free(body);

	p = arr(2, value_string("x"), value_bool(1));
	body = xmlrpc_encode_call("supervisor.startProcess", p, &len);
	assert_string_equal(body, py_call);
	free(body);
	value_free(p);
	body = xmlrpc_encode_call("system.listMethods", NULL, NULL);
	assert_string_equal(body, py_call0);
	free(body);
}

/* Decodes a response that must hold a result; returns it. */
static struct value *
decode_ok(const char *body, size_t len)
{
	struct value	*v = NULL;
	char		*cause = NULL, *fs = NULL;
	int		 fc, rc;

	rc = xmlrpc_decode_response(body, len, &v, &fc, &fs, &cause);
	if (rc != 0)
		fail_msg("decode failed (%d): %s", rc, cause ? cause : "-");
	assert_non_null(v);
	return v;
}

static void
assert_decodes_to(const char *body, struct value *want)
{
	struct value	*v;

	v = decode_ok(body, strlen(body));
	assert_true(value_equal(v, want));
	value_free(v);
	value_free(want);
}

static void
test_decode_python(void **state)
{
	struct value	*params, *v;
	char		*method, *cause = NULL, *fs = NULL;
	int		 fc;

	(void)state;
	assert_decodes_to(py_info, build_info());
	assert_decodes_to(py_mixed, build_mixed());
	assert_decodes_to(py_doubles, build_doubles());
	assert_decodes_to(py_unicode, value_string("h\xc3\xa9llo \xe2\x9c\x93 "
	    "\xf0\x9d\x84\x9e\t\n"));

	v = decode_ok(py_doubles, strlen(py_doubles));
	assert_true(signbit(value_array_at(v, 1)->u.d));
	value_free(v);

	assert_int_equal(xmlrpc_decode_response(py_fault, strlen(py_fault), &v,
	    &fc, &fs, &cause), 1);
	assert_int_equal(fc, 10);
	assert_string_equal(fs, "BAD_NAME: nosuch");
	free(fs);

	assert_int_equal(xmlrpc_decode_call(py_call, strlen(py_call), &method,
	    &params, &cause), 0);
	assert_string_equal(method, "supervisor.startProcess");
	v = arr(2, value_string("x"), value_bool(1));
	assert_true(value_equal(params, v));
	value_free(v);
	value_free(params);
	free(method);

	assert_int_equal(xmlrpc_decode_call(py_call0, strlen(py_call0),
	    &method, &params, &cause), 0);
	assert_string_equal(method, "system.listMethods");
	assert_int_equal(params->type, VALUE_ARRAY);
	assert_int_equal(value_array_len(params), 0);
	value_free(params);
	free(method);
}

static struct value *
build_everything(void)
{
	return st(9,
	    "ints", arr(5, value_int(0), value_int(-1), value_int(INT_MAX),
	    value_int(LLONG_MIN), value_int(LLONG_MAX)),
	    "bools", arr(2, value_bool(0), value_bool(1)),
	    "strings", arr(5, value_string(""), value_string("  spaced  "),
	    value_string("<&>\"' ]]> &amp;"), value_string("tab\there\nline"),
	    value_string("\xe2\x82\xac \xf4\x8f\xbf\xbd \xef\xbf\xbd")),
	    "doubles", arr(3, value_double(-0.5), value_double(6.02e23),
	    value_double(1e-300)),
	    "empty array", value_array(),
	    "empty struct", value_struct(),
	    "a&b<c>", value_string("odd member name"),
	    "", value_string("empty member name"),
	    "nested", st(1, "deeper", arr(1, st(1, "deepest",
	    arr(2, value_int(7), value_string("bottom"))))));
}

static void
test_round_trip(void **state)
{
	struct value	*v, *back, *params;
	char		*body, *method, *cause = NULL;
	size_t		 len;

	(void)state;
	v = build_everything();
	body = xmlrpc_encode_response(v, &len);
	back = decode_ok(body, len);
	assert_true(value_equal(v, back));
	value_free(back);
	free(body);

	params = arr(3, value_dup(v), value_string("second"), value_int(3));
	body = xmlrpc_encode_call("ns.method", params, &len);
	assert_int_equal(xmlrpc_decode_call(body, len, &method, &back,
	    &cause), 0);
	assert_string_equal(method, "ns.method");
	assert_true(value_equal(params, back));
	value_free(back);
	value_free(params);
	free(method);
	free(body);
	value_free(v);
}

static void
test_faults(void **state)
{
	struct value	*v = NULL;
	char		*body, *cause = NULL, *fs = NULL;
	size_t		 len;
	int		 fc = 0;

	(void)state;
	body = xmlrpc_encode_fault(2, "INCORRECT_PARAMETERS: <&> \xe2\x9c\x93",
	    &len);
	assert_int_equal(xmlrpc_decode_response(body, len, &v, &fc, &fs,
	    &cause), 1);
	assert_null(v);
	assert_int_equal(fc, 2);
	assert_string_equal(fs, "INCORRECT_PARAMETERS: <&> \xe2\x9c\x93");
	free(fs);
	free(body);

	body = xmlrpc_encode_fault(-5, "", &len);
	assert_int_equal(xmlrpc_decode_response(body, len, &v, &fc, &fs,
	    &cause), 1);
	assert_int_equal(fc, -5);
	assert_string_equal(fs, "");
	free(fs);
	free(body);
}

static const struct {
	const char	*xml;
	enum value_type	 type;
	long long	 i;
	const char	*s;
	size_t		 slen;
} values[] = {
	{ "<value><int>42</int></value>", VALUE_INT, 42, NULL, 0 },
	{ "<value><i4>-7</i4></value>", VALUE_INT, -7, NULL, 0 },
	{ "<value><i8>9000000000</i8></value>", VALUE_INT, 9000000000LL,
	    NULL, 0 },
	{ "<value><ex:i8>5</ex:i8></value>", VALUE_INT, 5, NULL, 0 },
	{ "<value><int> 12\n</int></value>", VALUE_INT, 12, NULL, 0 },
	{ "<value><int>+3</int></value>", VALUE_INT, 3, NULL, 0 },
	{ "<value>\n  <int>1</int>\n</value>", VALUE_INT, 1, NULL, 0 },
	{ "<value><boolean>1</boolean></value>", VALUE_BOOL, 1, NULL, 0 },
	{ "<value><boolean>0</boolean></value>", VALUE_BOOL, 0, NULL, 0 },
	{ "<value><boolean>true</boolean></value>", VALUE_BOOL, 0, NULL, 0 },
	{ "<value><string>a &amp; b &#x263A;&#65;&lt;&gt;&quot;&apos;</string>"
	    "</value>", VALUE_STRING, 0, "a & b \xe2\x98\xba" "A<>\"'", 0 },
	{ "<value>untyped text </value>", VALUE_STRING, 0, "untyped text ",
	    0 },
	{ "<value></value>", VALUE_STRING, 0, "", 0 },
	{ "<value/>", VALUE_STRING, 0, "", 0 },
	{ "<value><string/></value>", VALUE_STRING, 0, "", 0 },
	{ "<value><string><![CDATA[<x>&]]></string></value>", VALUE_STRING,
	    0, "<x>&", 0 },
	{ "<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>"
	    "</value>", VALUE_STRING, 0, "20240102T03:04:05", 0 },
	{ "<value><base64>aGVsbG8gd29ybGQ=</base64></value>", VALUE_STRING, 0,
	    "hello world", 0 },
	{ "<value><base64>\naGVs\nbG8=\n</base64></value>", VALUE_STRING, 0,
	    "hello", 0 },
	{ "<value><base64>AAEC/w==</base64></value>", VALUE_STRING, 0,
	    "\0\1\2\377", 4 },
	{ "<value><base64></base64></value>", VALUE_STRING, 0, "", 0 },
	{ "<value><nil/></value>", VALUE_STRING, 0, "", 0 },
	{ "<value><array><data></data></array></value>", VALUE_ARRAY, 0,
	    NULL, 0 },
	{ "<value><array/></value>", VALUE_ARRAY, 0, NULL, 0 },
	{ "<value><struct></struct></value>", VALUE_STRUCT, 0, NULL, 0 },
};

static char *
wrap_response(const char *value)
{
	return xprintf("<?xml version='1.0'?>\n<methodResponse><params>"
	    "<param>%s</param></params></methodResponse>", value);
}

static void
test_decode_types(void **state)
{
	struct value	*v;
	char		*body;
	size_t		 i, slen;

	(void)state;
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		body = wrap_response(values[i].xml);
		v = decode_ok(body, strlen(body));
		assert_int_equal(v->type, values[i].type);
		if (v->type == VALUE_INT || v->type == VALUE_BOOL)
			assert_int_equal(v->u.i, values[i].i);
		if (v->type == VALUE_STRING) {
			slen = values[i].slen ? values[i].slen :
			    strlen(values[i].s);
			assert_int_equal(v->u.str.len, slen);
			assert_memory_equal(v->u.str.ptr, values[i].s, slen);
		}
		value_free(v);
		free(body);
	}
}

static void
test_decode_liberal(void **state)
{
	struct value	*want;

	(void)state;
	/* Whitespace between elements, value before name, duplicates. */
	want = st(2, "a", value_int(2), "b", value_double(-1250));
	assert_decodes_to("<methodResponse>\n <params>\n  <param>\n"
	    "   <value>\n    <struct>\n     <member>\n      <name>a</name>\n"
	    "      <value><int>1</int></value>\n     </member>\n"
	    "     <member><value><double>-1.25e3</double></value>"
	    "<name>b</name></member>\n"
	    "     <member><name>a</name><value><i4>2</i4></value></member>\n"
	    "    </struct>\n   </value>\n  </param>\n </params>\n"
	    "</methodResponse>\n", want);

	/* Another declared encoding is converted to UTF-8. */
	assert_decodes_to("<?xml version='1.0' encoding='ISO-8859-1'?>"
	    "<methodResponse><params><param><value>caf\xe9</value></param>"
	    "</params></methodResponse>", value_string("caf\xc3\xa9"));

	/* Comments and processing instructions are ignored. */
	assert_decodes_to("<!-- c --><methodResponse><?pi x?><params><param>"
	    "<value><int>3<!-- c --></int></value></param></params>"
	    "</methodResponse>", value_int(3));
}

/* Decodes body as a response; it must be refused with cause holding want. */
static void
assert_refused_len(const char *body, size_t len, const char *want)
{
	struct value	*v = NULL;
	char		*cause = NULL, *fs = NULL;
	int		 fc;

	if (xmlrpc_decode_response(body, len, &v, &fc, &fs, &cause) != -1)
		fail_msg("accepted: %.*s", (int)len, body);
	assert_null(v);
	assert_non_null(cause);
	if (want != NULL && strstr(cause, want) == NULL)
		fail_msg("cause '%s' lacks '%s'", cause, want);
	free(cause);
}

static void
assert_refused(const char *body, const char *want)
{
	assert_refused_len(body, strlen(body), want);
}

static void
assert_value_refused(const char *value, const char *want)
{
	char	*body = wrap_response(value);

	assert_refused(body, want);
	free(body);
}

static void
test_malformed(void **state)
{
	(void)state;
	assert_refused("", "no element found");
	assert_refused("<methodResponse>", "no element found");
	assert_refused("<methodResponse><params><param><value><int>1</int>"
	    "</value></param></params>", NULL);
	assert_refused("<methodResponse><params><param><value><int>1</value>"
	    "</int></param></params></methodResponse>", "mismatched tag");
	assert_refused("<methodResponse><params><param><value>1</value>"
	    "</param></params></methodResponse><x/>", "junk after document");
	assert_refused("not xml at all", "syntax error");
	assert_refused("<methodCall><methodName>x</methodName></methodCall>",
	    "<methodCall> where <methodResponse> was expected");
	assert_refused("<methodResponse></methodResponse>", "one value");
	assert_refused("<methodResponse><params></params></methodResponse>",
	    "one value");
	assert_refused("<methodResponse><params><param><value>1</value>"
	    "</param><param><value>2</value></param></params>"
	    "</methodResponse>", "one value");
	assert_refused("<methodResponse><params><param></param></params>"
	    "</methodResponse>", "<param> without <value>");
	assert_refused("<methodResponse><params><param><value>1</value>"
	    "</param></params><fault><value><int>1</int></value></fault>"
	    "</methodResponse>", "unexpected <fault> in <methodResponse>");
	assert_refused("<methodResponse><fault></fault></methodResponse>",
	    "<fault> without <value>");
	assert_refused("<methodResponse><fault><value><struct><member><name>"
	    "faultCode</name><value><int>1</int></value></member></struct>"
	    "</value></fault></methodResponse>", "fault without");
	assert_refused("<methodResponse><fault><value><struct><member><name>"
	    "faultCode</name><value>1</value></member><member><name>"
	    "faultString</name><value>x</value></member></struct>"
	    "</value></fault></methodResponse>", "fault without");
	assert_refused("<methodResponse><params>x<param><value>1</value>"
	    "</param></params></methodResponse>", "text mixed with <param>");
	assert_refused("<methodResponse><params><value>1</value></params>"
	    "</methodResponse>", "unexpected <value> in <params>");
	assert_refused_len("<methodResponse>\0</methodResponse>", 34, NULL);
	assert_refused("<methodResponse><params><param><value>\xff</value>"
	    "</param></params></methodResponse>", "invalid token");
	assert_refused("<methodResponse><params><param><value>&#1;</value>"
	    "</param></params></methodResponse>", "reference to invalid");

	assert_value_refused("<value><foo>1</foo></value>",
	    "unknown element <foo>");
	assert_value_refused("<value><int>1</int><int>2</int></value>",
	    "unexpected <int> in <value>");
	assert_value_refused("<value>text<int>1</int></value>",
	    "text mixed with <int> in <value>");
	assert_value_refused("<value><int>1</int>text</value>",
	    "unexpected text in <value>");
	assert_value_refused("<value><int><int>1</int></int></value>",
	    "unexpected <int> in <int>");
	assert_value_refused("<value><array><data></data><data></data>"
	    "</array></value>", "unexpected <data> in <array>");
	assert_value_refused("<value><array><value>1</value></array></value>",
	    "unexpected <value> in <array>");
	assert_value_refused("<value><struct><value>1</value></struct>"
	    "</value>", "unexpected <value> in <struct>");
	assert_value_refused("<value><struct><member><value>1</value>"
	    "</member></struct></value>", "<member> without <name>");
	assert_value_refused("<value><struct><member><name>a</name></member>"
	    "</struct></value>", "<member> without <name> and <value>");
	assert_value_refused("<value><struct><member><name>a</name><name>b"
	    "</name><value>1</value></member></struct></value>",
	    "unexpected <name> in <member>");
	assert_value_refused("<value><struct>x</struct></value>",
	    "unexpected text in <struct>");
	assert_value_refused("<value><nil>x</nil></value>", "text in <nil/>");
	assert_value_refused("<value><base64>A</base64></value>",
	    "bad base64 data");
	assert_value_refused("<value><double>abc</double></value>",
	    "bad double 'abc'");
	assert_value_refused("<value><double></double></value>", "bad double");
	assert_value_refused("<value><double>1.5x</double></value>",
	    "bad double");
}

static void
test_bad_ints(void **state)
{
	static const char *const bad[] = {
		"", " ", "12a", "1.5", "0x10", "--1", "+", "1 2",
		"99999999999999999999", "-9223372036854775809", "\xc2\xb9",
	};
	char	*value;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		value = xprintf("<value><int>%s</int></value>", bad[i]);
		assert_value_refused(value, "bad integer");
		free(value);
	}
	assert_decodes_to("<methodResponse><params><param><value><i8>"
	    "-9223372036854775808</i8></value></param></params>"
	    "</methodResponse>", value_int(LLONG_MIN));
}

static const char billion_laughs[] =
    "<?xml version='1.0'?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<methodCall><methodName>&lol9;</methodName></methodCall>\n";

static void
test_entities(void **state)
{
	struct value	*params;
	char		*method, *cause = NULL;

	(void)state;
	assert_int_equal(xmlrpc_decode_call(billion_laughs,
	    strlen(billion_laughs), &method, &params, &cause), -1);
	assert_string_equal(cause, "line 2: DTDs are not allowed");
	free(cause);

	assert_refused("<!DOCTYPE methodResponse>\n<methodResponse><params>"
	    "<param><value>1</value></param></params></methodResponse>",
	    "DTDs are not allowed");
	assert_refused("<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">"
	    "]><methodResponse><params><param><value>&e;</value></param>"
	    "</params></methodResponse>", "DTDs are not allowed");
	assert_refused("<!DOCTYPE r SYSTEM \"http://example.invalid/x.dtd\">"
	    "<methodResponse/>", "DTDs are not allowed");
	assert_refused("<methodResponse><params><param><value>&lol;</value>"
	    "</param></params></methodResponse>", "undefined entity");
}

/* n values nested in arrays (and structs every third level). */
static char *
nested(int n)
{
	char	*b, *tmp;
	int	 i;

	b = xstrdup("<value><int>1</int></value>");
	for (i = 1; i < n; i++) {
		if (i % 3 == 0)
			tmp = xprintf("<value><struct><member><name>m</name>%s"
			    "</member></struct></value>", b);
		else
			tmp = xprintf("<value><array><data>%s</data></array>"
			    "</value>", b);
		free(b);
		b = tmp;
	}
	tmp = wrap_response(b);
	free(b);
	return tmp;
}

static void
test_depth(void **state)
{
	struct value	*v;
	char		*body;

	(void)state;
	body = nested(XMLRPC_MAX_DEPTH);
	v = decode_ok(body, strlen(body));
	value_free(v);
	free(body);

	body = nested(XMLRPC_MAX_DEPTH + 1);
	assert_refused(body, "values nested more than 64 deep");
	free(body);

	body = nested(5000);
	assert_refused(body, "values nested more than 64 deep");
	free(body);
}

static void
test_truncated(void **state)
{
	const char	*docs[] = { py_info, py_mixed, py_fault };
	struct value	*params;
	char		*method, *cause;
	size_t		 i, n, end;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		/* Every prefix that stops before the closing tag fails. */
		end = strstr(docs[i], "</methodResponse>") - docs[i] +
		    strlen("</methodResponse>");
		for (n = 0; n < end; n++)
			assert_refused_len(docs[i], n, NULL);
	}
	end = strlen(py_call) - 1;
	for (n = 0; n < end; n++) {
		cause = NULL;
		assert_int_equal(xmlrpc_decode_call(py_call, n, &method,
		    &params, &cause), -1);
		assert_non_null(cause);
		free(cause);
	}
}

static void
check_call(const char *body, const char *want_method, struct value *want)
{
	struct value	*params;
	char		*method, *cause = NULL;

	if (xmlrpc_decode_call(body, strlen(body), &method, &params,
	    &cause) != 0)
		fail_msg("refused: %s", cause);
	assert_string_equal(method, want_method);
	assert_true(value_equal(params, want));
	free(method);
	value_free(params);
	value_free(want);
}

/* Decodes body as a call that must fail; returns -1 and sets *cause. */
static int
decode_call_str(const char *body, char **cause)
{
	struct value	*params = NULL;
	char		*method = NULL;
	int		 rc;

	rc = xmlrpc_decode_call(body, strlen(body), &method, &params, cause);
	assert_null(method);
	assert_null(params);
	return rc;
}

static void
test_decode_call(void **state)
{
	char		*cause = NULL;

	(void)state;
	check_call("<methodCall><methodName>supervisor.getState</methodName>"
	    "</methodCall>", "supervisor.getState", value_array());
	check_call("<methodCall><params/><methodName>a.b</methodName>"
	    "</methodCall>", "a.b", value_array());
	check_call("<methodCall><params><param><value>x</value></param>"
	    "</params></methodCall>", "", arr(1, value_string("x")));
	check_call("<methodCall><methodName></methodName></methodCall>", "",
	    value_array());
	check_call("<methodCall><methodName>m</methodName><params><param>"
	    "<value><int>1</int></value></param><param><value><string>2"
	    "</string></value></param><param><value><array><data><value>3"
	    "</value></data></array></value></param></params></methodCall>",
	    "m", arr(3, value_int(1), value_string("2"),
	    arr(1, value_string("3"))));

	assert_int_equal(decode_call_str("<methodCall><methodName>a"
	    "</methodName><methodName>b</methodName></methodCall>", &cause),
	    -1);
	assert_string_equal(cause,
	    "line 1: unexpected <methodName> in <methodCall>");
	free(cause);
	assert_int_equal(decode_call_str("<methodResponse/>", &cause), -1);
	assert_string_equal(cause,
	    "line 1: <methodResponse> where <methodCall> was expected");
	free(cause);
	assert_int_equal(decode_call_str("<methodCall><methodName>a<b/>"
	    "</methodName></methodCall>", &cause), -1);
	assert_string_equal(cause, "line 1: unknown element <b>");
	free(cause);
}

/*
 * Asks Python's xmlrpc.client to parse body and compare the first value with
 * want; returns 0 if it agrees, 1 if not, -1 when Python is not available.
 */
static int
python_agrees(const char *body, size_t len, const char *want)
{
	char	 path[] = "/tmp/test-xmlrpc.XXXXXX", *cmd, *hex, *p;
	FILE	*f;
	int	 fd, status;
	size_t	 i;

	if (access(PYTHON, X_OK) != 0)
		return -1;
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(body, 1, len, f), len);
	fclose(f);
	hex = p = xmalloc(2 * strlen(want) + 1);
	for (i = 0; want[i] != '\0'; i++)
		p += sprintf(p, "%02x", (unsigned char)want[i]);
	*p = '\0';
	cmd = xprintf("%s -c 'import sys, xmlrpc.client as x; "
	    "v = x.loads(open(sys.argv[1], \"rb\").read())[0][0]; "
	    "sys.exit(v.encode() != bytes.fromhex(sys.argv[2]))' %s %s",
	    PYTHON, path, hex);
	status = system(cmd);
	unlink(path);
	free(cmd);
	free(hex);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void
test_invalid_text(void **state)
{
	static const char raw[] =
	    "ok\x01\x00" "bad\xff\xc0\xaf|\xed\xa0\x80|\xef\xbf\xbe|"
	    "\xf4\x90\x80\x80|\x1b[31m\x7f\t\n|\xe2\x82";
	static const char want[] =
	    "ok\xef\xbf\xbd\xef\xbf\xbd" "bad\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd[31m\x7f\t\n|\xef\xbf\xbd\xef\xbf\xbd";
	struct value	*v, *back;
	char		*body;
	size_t		 len;
	int		 rc;

	(void)state;
	v = value_stringn(raw, sizeof raw - 1);
	body = xmlrpc_encode_response(v, &len);
	back = decode_ok(body, len);
	assert_int_equal(back->type, VALUE_STRING);
	assert_string_equal(back->u.str.ptr, want);
	value_free(back);
	if ((rc = python_agrees(body, len, want)) == -1)
		print_message("skipped: no %s\n", PYTHON);
	else
		assert_int_equal(rc, 0);
	free(body);
	value_free(v);

	/* Member names and fault strings are made valid the same way. */
	v = st(1, "\x01name\xff", value_int(1));
	body = xmlrpc_encode_response(v, &len);
	assert_non_null(strstr(body, "<name>\xef\xbf\xbdname\xef\xbf\xbd"
	    "</name>"));
	back = decode_ok(body, len);
	assert_non_null(value_struct_get(back, "\xef\xbf\xbdname\xef\xbf\xbd"));
	value_free(back);
	value_free(v);
	free(body);

	body = xmlrpc_encode_fault(30, "FAILED: \x02\xfe", &len);
	assert_non_null(strstr(body, "FAILED: \xef\xbf\xbd\xef\xbf\xbd<"));
	free(body);
}

/* The inside of <string> in the encoding of s. */
static char *
encoded_text(const char *s, size_t n, size_t *len)
{
	static const char	 head[] = "<value><string>";
	struct value		*v = value_stringn(s, n);
	char			*body, *p, *q, *text;

	body = xmlrpc_encode_response(v, NULL);
	p = strstr(body, head) + sizeof head - 1;
	q = strstr(p, "</string>");
	*len = (size_t)(q - p);
	text = xstrndup(p, *len);
	free(body);
	value_free(v);
	return text;
}

static void
test_long_text(void **state)
{
	/* 37 bytes: over many copies every byte meets a piece boundary. */
	static const char	 unit[] = "a&b<c>\xc3\xa9\xe2\x9c\x93\xf0\x9d"
	    "\x84\x9e\x01\xff\xe2\x82z\t\n0123456789ABC";
	size_t			 ulen = sizeof unit - 1, n = 2000, i, len, one;
	char			*big, *text, *want, *piece;

	(void)state;
	big = xmalloc(ulen * n);
	for (i = 0; i < n; i++)
		memcpy(big + i * ulen, unit, ulen);
	piece = encoded_text(unit, ulen, &one);
	want = xmalloc(one * n + 1);
	for (i = 0; i < n; i++)
		memcpy(want + i * one, piece, one);
	want[one * n] = '\0';
	text = encoded_text(big, ulen * n, &len);
	assert_int_equal(len, one * n);
	assert_string_equal(text, want);
	free(text);
	free(want);
	free(piece);
	free(big);
}

static void
test_int_extremes(void **state)
{
	(void)state;
	assert_response(arr(4, value_int(LLONG_MIN), value_int(LLONG_MAX),
	    value_int(0), value_int(-1)),
	    "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
	    "<value><array><data>\n"
	    "<value><int>-9223372036854775808</int></value>\n"
	    "<value><int>9223372036854775807</int></value>\n"
	    "<value><int>0</int></value>\n"
	    "<value><int>-1</int></value>\n"
	    "</data></array></value>\n"
	    "</param>\n</params>\n</methodResponse>\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_like_python),
		cmocka_unit_test(test_decode_python),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_decode_types),
		cmocka_unit_test(test_decode_liberal),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bad_ints),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_decode_call),
		cmocka_unit_test(test_invalid_text),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_int_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
