/* SPDX-License-Identifier: ISC */
/*
 * Allocation wrappers: every caller may assume success.  And the idle trim,
 * which gives back the pages that bursts of work touched and no longer use.
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmalloc.h"

#define XMALLOC_IDLE_MAX	4
/* Pages kept below the trimming frame, for the calls it still makes. */
#define XMALLOC_STACK_KEEP	2

static struct {
	void	*buf;
	size_t	 len;
} xmalloc_idle[XMALLOC_IDLE_MAX];
static size_t	xmalloc_nidle;

static void __attribute__((noreturn))
xmalloc_die(size_t size)
{
	fprintf(stderr, "out of memory allocating %zu bytes\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void	*p;

	if ((p = malloc(size ? size : 1)) == NULL)
		xmalloc_die(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if ((p = calloc(nmemb ? nmemb : 1, size ? size : 1)) == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void	*p;

	if ((p = realloc(ptr, size ? size : 1)) == NULL)
		xmalloc_die(size);
	return p;
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die(SIZE_MAX);
	return xrealloc(ptr, nmemb * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		xmalloc_die(strlen(fmt));
	return n;
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

char *
xprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	return s;
}

static uintptr_t
xmalloc_pagesize(void)
{
	long	 pg = sysconf(_SC_PAGESIZE);

	return pg > 0 ? (uintptr_t)pg : 4096;
}

void
xmalloc_release(void *buf, size_t len)
{
	uintptr_t	 pg = xmalloc_pagesize(), lo, hi;

	lo = ((uintptr_t)buf + pg - 1) & ~(pg - 1);
	hi = ((uintptr_t)buf + len) & ~(pg - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void
xmalloc_idle_buffer(void *buf, size_t len)
{
	if (xmalloc_nidle < XMALLOC_IDLE_MAX) {
		xmalloc_idle[xmalloc_nidle].buf = buf;
		xmalloc_idle[xmalloc_nidle++].len = len;
	}
}

/* The bounds of the main thread's stack mapping, from /proc/self/maps. */
static int
xmalloc_stack_bounds(uintptr_t *lo, uintptr_t *hi)
{
	char	*buf, *line, *end;
	size_t	 cap = 8192, len = 0;
	ssize_t	 n;
	int	 fd, found = 0;

	if ((fd = open("/proc/self/maps", O_RDONLY|O_CLOEXEC)) == -1)
		return -1;
	buf = xmalloc(cap);
	for (;;) {
		if (len == cap - 1)
			buf = xrealloc(buf, cap *= 2);
		if ((n = read(fd, buf + len, cap - 1 - len)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if ((line = strstr(buf, " [stack]\n")) != NULL) {
		while (line > buf && line[-1] != '\n')
			line--;
		*lo = (uintptr_t)strtoull(line, &end, 16);
		if (*end == '-') {
			*hi = (uintptr_t)strtoull(end + 1, NULL, 16);
			found = *lo < *hi;
		}
	}
	free(buf);
	return found ? 0 : -1;
}

/*
 * The stack keeps every page that the deepest call ever touched (config
 * loading, a deep XML-RPC request) although all below the running frame is
 * dead: those pages are released, the heap's free pages with malloc_trim().
 */
void
xmalloc_trim(void)
{
	char		 here;
	uintptr_t	 pg = xmalloc_pagesize(), lo = 0, hi = 0, top;
	size_t		 i;
	int		 stack;

	/* Off a sanitizer's fake stack, here is not on the stack mapping. */
	stack = xmalloc_stack_bounds(&lo, &hi) == 0 &&
	    (uintptr_t)&here > lo && (uintptr_t)&here < hi;
	for (i = 0; i < xmalloc_nidle; i++)
		xmalloc_release(xmalloc_idle[i].buf, xmalloc_idle[i].len);
	malloc_trim(0);
	top = ((uintptr_t)&here & ~(pg - 1)) - XMALLOC_STACK_KEEP * pg;
	if (stack && top > lo)
		madvise((void *)lo, top - lo, MADV_DONTNEED);
}
