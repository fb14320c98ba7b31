/* SPDX-License-Identifier: ISC */
/*
 * Allocation wrappers that never return NULL: running out of memory is not an
 * error path in Taskmaster, it aborts with a message.
 */
#ifndef UTIL_XMALLOC_H
#define UTIL_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *ptr, size_t size);
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* Formats into a new string, returned in *ret; returns its length. */
int	 xasprintf(char **ret, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **ret, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));
/* Like xasprintf but returns the string. */
char	*xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
