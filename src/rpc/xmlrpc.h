/* SPDX-License-Identifier: ISC */
/*
 * The XML-RPC codec: request and response bodies to value trees and back.
 * Decoding takes a fast scanner for the plain XML that XML-RPC writers
 * produce and expat, with no DTD and no entities at all, for the rest;
 * encoding produces the exact layout of Python's xmlrpc.client, always
 * well-formed.
 */
#ifndef RPC_XMLRPC_H
#define RPC_XMLRPC_H

#include <stddef.h>

struct value;

/* Values nested deeper than this are refused when decoding. */
#define XMLRPC_MAX_DEPTH	64

/*
 * Types are read liberally: int, i4 and i8 as VALUE_INT; untyped text,
 * dateTime.iso8601 (its text), base64 (the decoded bytes) and nil (the empty
 * string) as VALUE_STRING.
 *
 * Decodes a <methodCall> (the caller bounds len).  Returns 0 with an
 * allocated *method ("" when <methodName> is missing or empty: the caller
 * answers "no method name") and *params, a VALUE_ARRAY (empty when <params>
 * is missing); or -1 with an allocated *cause.
 */
int		 xmlrpc_decode_call(const char *body, size_t len, char **method,
		    struct value **params, char **cause);
/*
 * Decodes a <methodResponse>.  Returns 0 with the single result in *result
 * (its values share one pool: value_free() of the result frees them all),
 * 1 for a fault with *fault_code and an allocated *fault_string, or -1 with
 * an allocated *cause when the body is malformed.
 */
int		 xmlrpc_decode_response(const char *body, size_t len,
		    struct value **result, int *fault_code, char **fault_string,
		    char **cause);

/*
 * Decodes every body with expat (only nonzero) instead of taking the fast
 * scanner for the usual ones; for tests that compare the two.
 */
void		 xmlrpc_decode_use_expat(int only);

/* Encodes a response holding result; returns an allocated NUL-terminated body. */
char		*xmlrpc_encode_response(const struct value *result, size_t *len);
/* Encodes a fault response; returns an allocated NUL-terminated body. */
char		*xmlrpc_encode_fault(int code, const char *string, size_t *len);
/*
 * Encodes a call of method with the items of params (a VALUE_ARRAY, or NULL
 * for none) as its parameters; returns an allocated NUL-terminated body.
 */
char		*xmlrpc_encode_call(const char *method, const struct value *params,
		    size_t *len);

#endif
