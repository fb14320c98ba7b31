/* SPDX-License-Identifier: ISC */
/*
 * Base64 decoding (RFC 4648 alphabet) for the credentials of HTTP basic
 * authentication and XML-RPC <base64> values.
 */
#ifndef UTIL_BASE64_H
#define UTIL_BASE64_H

#include <stddef.h>
#include <sys/types.h>

/* The most bytes len characters of base64 can decode to. */
#define BASE64_DECODED_MAX(len)	(((len) / 4 + 1) * 3)

/*
 * Decodes len characters at in into out (BASE64_DECODED_MAX(len) bytes),
 * ignoring white space and stopping at the padding.  Returns the number of
 * bytes written, or -1 if the input ends in the middle of a byte or (unless
 * lenient, which skips them) a character is outside the alphabet.
 */
ssize_t	base64_decode(const char *in, size_t len, unsigned char *out,
	    int lenient);

#endif
