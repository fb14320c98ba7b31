/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target of the XML-RPC codec: the bytes as a <methodCall> and as a
 * <methodResponse>.  What decodes is encoded again: the encoder promises
 * well-formed output, so its text must decode, and a second round must not
 * change it (the first may: XML reads a CR as a LF and the encoder replaces
 * what is not UTF-8 or not allowed in XML).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rpc/xmlrpc.h"
#include "util/value.h"
#include "util/xmalloc.h"

/* expat is linear; bigger bodies only make each run slower. */
#define FUZZ_XMLRPC_MAX	(1024 * 1024)

static void
fuzz_xmlrpc_length(const char *body, size_t len)
{
	if (body == NULL || strlen(body) != len)
		fuzz_fail("encoder gave %zu as the length of %zu bytes", len,
		    body != NULL ? strlen(body) : 0);
}

/* Decodes a response the encoder wrote; it must hold one value. */
static struct value *
fuzz_xmlrpc_reread(const char *body, size_t len)
{
	struct value	*v = NULL;
	char		*cause = NULL, *fs = NULL;
	int		 code, rc;

	fuzz_xmlrpc_length(body, len);
	if ((rc = xmlrpc_decode_response(body, len, &v, &code, &fs,
	    &cause)) != 0)
		fuzz_fail("own response does not decode (%d): %s\n%s", rc,
		    cause != NULL ? cause : fs, body);
	return v;
}

static void
fuzz_xmlrpc_same(const char *what, const char *a, size_t alen,
    const char *b, size_t blen)
{
	if (alen != blen || memcmp(a, b, alen) != 0)
		fuzz_fail("%s changes on a second round:\n%s\n----\n%s", what,
		    a, b);
}

/* encode, decode, encode, decode, encode: the last two must be equal. */
static void
fuzz_xmlrpc_response_trip(const struct value *v)
{
	struct value	*v2, *v3;
	char		*e1, *e2, *e3;
	size_t		 l1, l2, l3;

	e1 = xmlrpc_encode_response(v, &l1);
	v2 = fuzz_xmlrpc_reread(e1, l1);
	e2 = xmlrpc_encode_response(v2, &l2);
	v3 = fuzz_xmlrpc_reread(e2, l2);
	/* A NaN is equal to nothing, not even itself: skip such trees. */
	if (!value_equal(v2, v3) && value_equal(v3, v3))
		fuzz_fail("value changes on a second round:\n%s", e2);
	e3 = xmlrpc_encode_response(v3, &l3);
	fuzz_xmlrpc_same("response", e2, l2, e3, l3);
	value_free(v3);
	value_free(v2);
	free(e3);
	free(e2);
	free(e1);
}

/* A call written by the encoder decodes to its method and parameters. */
static char *
fuzz_xmlrpc_call_trip1(const char *method, const struct value *params,
    size_t *len, struct value **again, char **method_again)
{
	char	*body, *cause = NULL;

	body = xmlrpc_encode_call(method, params, len);
	fuzz_xmlrpc_length(body, *len);
	if (xmlrpc_decode_call(body, *len, method_again, again, &cause) != 0)
		fuzz_fail("own call does not decode: %s\n%s", cause, body);
	return body;
}

static void
fuzz_xmlrpc_call_trip(const char *method, const struct value *params)
{
	struct value	*p2, *p3;
	char		*e1, *e2, *e3, *m2, *m3;
	size_t		 l1, l2, l3;

	e1 = fuzz_xmlrpc_call_trip1(method, params, &l1, &p2, &m2);
	e2 = fuzz_xmlrpc_call_trip1(m2, p2, &l2, &p3, &m3);
	e3 = xmlrpc_encode_call(m3, p3, &l3);
	fuzz_xmlrpc_same("call", e2, l2, e3, l3);
	if (value_array_len(p3) != value_array_len(params))
		fuzz_fail("call lost parameters:\n%s", e1);
	value_free(p3);
	value_free(p2);
	free(m3);
	free(m2);
	free(e3);
	free(e2);
	free(e1);
}

/* A fault keeps its code, and its string after one normalisation. */
static char *
fuzz_xmlrpc_fault_trip1(int code, const char *string)
{
	struct value	*v = NULL;
	char		*body, *cause = NULL, *fs = NULL;
	size_t		 len;
	int		 code2 = 0;

	body = xmlrpc_encode_fault(code, string, &len);
	fuzz_xmlrpc_length(body, len);
	if (xmlrpc_decode_response(body, len, &v, &code2, &fs, &cause) != 1)
		fuzz_fail("own fault does not decode: %s\n%s",
		    cause != NULL ? cause : "a result", body);
	if (code2 != code)
		fuzz_fail("fault code %d read as %d", code, code2);
	free(body);
	return fs;
}

static void
fuzz_xmlrpc_fault_trip(int code, const char *string)
{
	char	*s2, *s3;

	s2 = fuzz_xmlrpc_fault_trip1(code, string);
	s3 = fuzz_xmlrpc_fault_trip1(code, s2);
	fuzz_xmlrpc_same("fault string", s2, strlen(s2), s3, strlen(s3));
	free(s3);
	free(s2);
}

static void
fuzz_xmlrpc_call(const uint8_t *data, size_t size)
{
	const struct value	*first;
	struct value		*params = NULL;
	char			*method = NULL, *cause = NULL;
	int			 code = 0;

	if (xmlrpc_decode_call((const char *)data, size, &method, &params,
	    &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("xmlrpc_decode_call failed silently");
		free(cause);
		return;
	}
	if (method == NULL || params == NULL || params->type != VALUE_ARRAY)
		fuzz_fail("call decoded without method or parameter array");
	fuzz_xmlrpc_response_trip(params);
	fuzz_xmlrpc_call_trip(method, params);
	first = value_array_at(params, 0);
	if (first != NULL && first->type == VALUE_INT)
		code = (int)first->u.i;
	fuzz_xmlrpc_fault_trip(code, method);
	value_free(params);
	free(method);
}

static void
fuzz_xmlrpc_response(const uint8_t *data, size_t size)
{
	struct value	*v = NULL;
	char		*cause = NULL, *fs = NULL;
	int		 code = 0;

	switch (xmlrpc_decode_response((const char *)data, size, &v, &code,
	    &fs, &cause)) {
	case 0:
		if (v == NULL)
			fuzz_fail("response decoded without a value");
		fuzz_xmlrpc_response_trip(v);
		value_free(v);
		break;
	case 1:
		if (fs == NULL)
			fuzz_fail("fault decoded without a string");
		fuzz_xmlrpc_fault_trip(code, fs);
		free(fs);
		break;
	default:
		if (cause == NULL)
			fuzz_fail("xmlrpc_decode_response failed silently");
		free(cause);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_XMLRPC_MAX)
		return -1;
	fuzz_xmlrpc_call(data, size);
	fuzz_xmlrpc_response(data, size);
	return 0;
}
