/* SPDX-License-Identifier: ISC */
/*
 * Base64 decoding: strict about the alphabet for HTTP credentials, so that
 * a mangled Authorization header is refused, or lenient like Python's
 * a2b_base64 for XML-RPC <base64> values.
 */
#include "base64.h"

static int
base64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

ssize_t
base64_decode(const char *in, size_t len, unsigned char *out, int lenient)
{
	unsigned int	 acc = 0;
	size_t		 i, n = 0;
	int		 v, bits = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' ||
		    in[i] == '\n')
			continue;
		if (in[i] == '=')
			break;
		if ((v = base64_value((unsigned char)in[i])) == -1) {
			if (lenient)
				continue;
			return -1;
		}
		acc = (acc << 6 | (unsigned int)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* A lone trailing character carries less than a byte. */
	if (bits >= 6)
		return -1;
	return (ssize_t)n;
}
