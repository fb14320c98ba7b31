/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of util/sig.c: the names and numbers supervisord accepts in
 * stopsignal= and the names it prints (expected values from Python's signal
 * module on Linux).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/sig.h"

static void
test_parse_names(void **state)
{
	static const struct {
		const char	*in;
		int		 sig;
	} ok[] = {
		{ "TERM", SIGTERM }, { "SIGTERM", SIGTERM }, { "sigterm", 15 },
		{ "term", 15 }, { " HUP ", SIGHUP }, { "KILL", 9 },
		{ "USR1", 10 }, { "usr2", 12 }, { "INT", 2 }, { "QUIT", 3 },
		{ "RTMIN", 34 }, { "SIGRTMAX", 64 }, { "POLL", 29 },
		{ "IO", 29 }, { "IOT", 6 }, { "CLD", 17 }, { "CHLD", 17 },
		{ "STKFLT", 16 }, { "PWR", 30 }, { "SYS", 31 },
		/* Python's handler constants start with SIG too. */
		{ "SIG_DFL", 0 }, { "_IGN", 1 },
	};
	size_t	i;
	char	*cause;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		cause = NULL;
		assert_int_equal(sig_parse(ok[i].in, &cause), ok[i].sig);
		assert_null(cause);
	}
}

static void
test_parse_numbers(void **state)
{
	static const int	 valid[] = { 0, 1, 9, 15, 29, 31, 34, 64 };
	static const char *const bad[] = { "32", "33", "35", "40", "63", "65",
	    "-1", "99999999999999999999" };
	char			 buf[16], *cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		snprintf(buf, sizeof buf, " %d", valid[i]);
		assert_int_equal(sig_parse(buf, NULL), valid[i]);
	}
	assert_int_equal(sig_parse("+15", NULL), 15);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(sig_parse(bad[i], &cause), -1);
		assert_non_null(strstr(cause, "is not a valid signal number"));
		assert_non_null(strstr(cause, bad[i]));
		free(cause);
	}
}

static void
test_parse_errors(void **state)
{
	static const char *const bad[] = { "FOO", "SIG", "", "SIGSIGTERM",
	    "TERM1", "RTMIN+1", "1.5" };
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_int_equal(sig_parse(bad[i], &cause), -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "is not a valid signal name"));
		free(cause);
	}
	cause = NULL;
	assert_int_equal(sig_parse("FOO", &cause), -1);
	assert_string_equal(cause, "value 'FOO' is not a valid signal name");
	free(cause);
	/* A NULL cause is allowed. */
	assert_int_equal(sig_parse("nope", NULL), -1);
}

static void
test_names(void **state)
{
	size_t	i;

	(void)state;
	assert_string_equal(sig_name(SIGTERM), "SIGTERM");
	assert_string_equal(sig_name(6), "SIGABRT");
	assert_string_equal(sig_name(17), "SIGCHLD");
	assert_string_equal(sig_name(29), "SIGPOLL");
	assert_string_equal(sig_name(34), "SIGRTMIN");
	assert_string_equal(sig_name(64), "SIGRTMAX");
	assert_string_equal(sig_name(35), "signal 35");
	assert_string_equal(sig_name(0), "signal 0");
	/* Two names in one statement must not share a buffer. */
	assert_string_not_equal(sig_name(1), sig_name(2));
	for (i = 0; sig_names[i] != NULL; i++) {
		assert_true(strncmp(sig_names[i], "SIG", 3) != 0);
		assert_true(sig_parse(sig_names[i], NULL) > 0);
	}
	assert_int_equal(i, 33);
	assert_string_equal(sig_names[0], "HUP");
	assert_string_equal(sig_names[28], "POLL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
