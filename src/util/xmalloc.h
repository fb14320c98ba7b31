/* SPDX-License-Identifier: ISC */
/*
 * Allocation wrappers that never return NULL: running out of memory is not an
 * error path in Taskmaster, it aborts with a message.  And the hand-back of
 * memory that a burst of work touched and idleness leaves unused.
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

/*
 * Gives the whole pages inside buf back to the system; they read as zeros
 * afterwards.  buf is anonymous memory (bss or heap), not in use.
 */
void	 xmalloc_release(void *buf, size_t len);
/* Has xmalloc_trim() release buf too: a static buffer used in bursts. */
void	 xmalloc_idle_buffer(void *buf, size_t len);
/*
 * For an idle loop: releases the free pages of the heap (malloc_trim), the
 * buffers given to xmalloc_idle_buffer() and the stack below the caller.
 */
void	 xmalloc_trim(void);

#endif
