/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of util/xmalloc.c's idle trim: whole pages of a released
 * buffer read as zeros and partial ones are kept, registered buffers are
 * released by xmalloc_trim(), and the stack below the caller goes back to
 * the system while the frames above keep their data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/xmalloc.h"

#define PAGE		4096
#define DEEP_FRAMES	32

static _Alignas(PAGE) unsigned char	pages[4 * PAGE];
static volatile int			sink;

/* Rss of the [stack] mapping in KiB, -1 if not found. */
static long
stack_rss(void)
{
	FILE	*f;
	char	 line[256];
	long	 kb = -1;
	size_t	 n;
	int	 in = 0;

	if ((f = fopen("/proc/self/smaps", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		/* A mapping's line begins with its range, a field's with Name:. */
		n = strcspn(line, " ");
		if (n == 0 || line[n - 1] != ':')
			in = strstr(line, "[stack]") != NULL;
		else if (in && strncmp(line, "Rss:", 4) == 0) {
			kb = strtol(line + 4, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/* Touches n pages of stack below the caller; returns n if they kept data. */
static int __attribute__((noinline))
deep(int n)
{
	volatile char	 frame[PAGE];
	size_t		 i;

	for (i = 0; i < sizeof frame; i += 64)
		frame[i] = (char)n;
	return n == 0 ? 0 : deep(n - 1) + (frame[PAGE / 2] == (char)n);
}

static void
test_release_pages(void **state)
{
	(void)state;
	memset(pages, 0xaa, sizeof pages);
	/* Pages 1 and 2 lie inside; 0 and 3 only in part. */
	xmalloc_release(pages + 100, 3 * PAGE);
	assert_int_equal(pages[100], 0xaa);
	assert_int_equal(pages[PAGE - 1], 0xaa);
	assert_int_equal(pages[PAGE], 0);
	assert_int_equal(pages[3 * PAGE - 1], 0);
	assert_int_equal(pages[3 * PAGE], 0xaa);
	assert_int_equal(pages[3 * PAGE + 99], 0xaa);

	/* Less than a page: nothing. */
	memset(pages, 0xbb, sizeof pages);
	xmalloc_release(pages, PAGE - 1);
	assert_int_equal(pages[0], 0xbb);
	xmalloc_release(pages, 0);
	assert_int_equal(pages[PAGE - 1], 0xbb);
}

static void
test_trim_buffers(void **state)
{
	(void)state;
	memset(pages, 0xcc, sizeof pages);
	xmalloc_idle_buffer(pages, sizeof pages);
	xmalloc_trim();
	assert_int_equal(pages[0], 0);
	assert_int_equal(pages[sizeof pages - 1], 0);

	/* Still usable, and released again at the next trim. */
	memset(pages, 0xdd, sizeof pages);
	assert_int_equal(pages[2 * PAGE], 0xdd);
	xmalloc_trim();
	assert_int_equal(pages[2 * PAGE], 0);
}

static void __attribute__((noinline))
trim_below(void)
{
	xmalloc_trim();
}

static void
test_trim_stack(void **state)
{
	volatile unsigned char	 mine[2 * PAGE];
	long			 before, after;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof mine; i++)
		mine[i] = (unsigned char)i;
	sink = deep(DEEP_FRAMES);
	before = stack_rss();
	trim_below();
	after = stack_rss();
	for (i = 0; i < sizeof mine; i++)
		assert_int_equal(mine[i], (unsigned char)i);

	/* A sanitizer's fake stacks leave the stack mapping alone. */
	if (before >= DEEP_FRAMES * PAGE / 1024)
		assert_true(after <= before - (DEEP_FRAMES - 4) * PAGE / 1024);
	else
		assert_true(after <= before);

	/* The released stack is there again for the next deep call. */
	assert_int_equal(deep(DEEP_FRAMES), DEEP_FRAMES);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_release_pages),
		cmocka_unit_test(test_trim_buffers),
		cmocka_unit_test(test_trim_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
