/* SPDX-License-Identifier: ISC */
/*
 * Python's view of bytes: strict UTF-8 and repr(), for messages that must
 * read as supervisord's.
 */
#ifndef UTIL_PYREPR_H
#define UTIL_PYREPR_H

#include <stddef.h>

/* Whether buf is valid UTF-8 as Python's strict decoder reads it. */
int	 py_utf8_valid(const char *buf, size_t len);
/*
 * Python's repr() of buf, allocated: of a bytes object (b'...', every byte
 * outside printable ASCII escaped) when bytes is set, else of a str.
 */
char	*py_repr(const char *buf, size_t len, int bytes);

#endif
