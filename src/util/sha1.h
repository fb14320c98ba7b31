/* SPDX-License-Identifier: ISC */
/*
 * SHA-1 (FIPS 180-4), kept only because supervisord lets an HTTP server
 * password be stored as "{SHA}" and the hex SHA-1 of the real one.
 */
#ifndef UTIL_SHA1_H
#define UTIL_SHA1_H

#include <stddef.h>

#define SHA1_DIGEST_LEN	20
#define SHA1_HEX_LEN	(2 * SHA1_DIGEST_LEN)

/* Computes the digest of len bytes at data into digest. */
void	sha1(const void *data, size_t len,
	    unsigned char digest[SHA1_DIGEST_LEN]);
/* The same as 40 lower-case hex digits and a NUL, written to hex. */
void	sha1_hex(const void *data, size_t len, char hex[SHA1_HEX_LEN + 1]);

#endif
