/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/words.c.  The expected words are what Python's
 * shlex.split() gives for the same text (the splitter supervisord uses for
 * command=).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/words.h"

#define WORDS_MAX	8

static const struct {
	const char	*in;
	const char	*out[WORDS_MAX];
} words_ok[] = {
	{ "a b  c", { "a", "b", "c", NULL } },
	{ "  lead trail  ", { "lead", "trail", NULL } },
	{ "", { NULL } },
	{ "   ", { NULL } },
	{ "'single quoted' x", { "single quoted", "x", NULL } },
	{ "\"double quoted\" y", { "double quoted", "y", NULL } },
	{ "a'b c'd", { "ab cd", NULL } },
	{ "a\"b c\"d", { "ab cd", NULL } },
	{ "a\\ b", { "a b", NULL } },
	{ "\"a\\\"b\"", { "a\"b", NULL } },
	{ "\"a\\\\b\"", { "a\\b", NULL } },
	{ "\"a\\nb\"", { "a\\nb", NULL } },
	{ "'a\\b'", { "a\\b", NULL } },
	{ "\\\\", { "\\", NULL } },
	{ "\\\"x", { "\"x", NULL } },
	{ "''", { "", NULL } },
	{ "a \"\" b", { "a", "", "b", NULL } },
	{ "x ''", { "x", "", NULL } },
	{ "a\nb\tc\rd", { "a", "b", "c", "d", NULL } },
	{ "echo # not a comment", { "echo", "#", "not", "a", "comment",
	    NULL } },
	{ "echo $HOME `x` | y > z", { "echo", "$HOME", "`x`", "|", "y", ">",
	    "z", NULL } },
	{ "\"it's\"", { "it's", NULL } },
	{ "'it'\\''s'", { "it's", NULL } },
	{ "a\\\\\\ b", { "a\\ b", NULL } },
	{ "\xc3\xa9 \"\xc3\xbc x\"", { "\xc3\xa9", "\xc3\xbc x", NULL } },
	{ "bash -c \"x ; y\"", { "bash", "-c", "x ; y", NULL } },
	{ "\"'\"", { "'", NULL } },
	{ "'\"'", { "\"", NULL } },
	{ "\"a\nb\"", { "a\nb", NULL } },
	{ "a\\\nb", { "a\nb", NULL } },
	/* A continued command= value: lines joined with newlines. */
	{ "/bin/cat\n-n\n\nfile", { "/bin/cat", "-n", "file", NULL } },
};

static const struct {
	const char	*in;
	const char	*cause;
} words_bad[] = {
	{ "\"open", "No closing quotation" },
	{ "'open", "No closing quotation" },
	{ "a\\", "No escaped character" },
	{ "\"a\\", "No escaped character" },
	{ "x \"y\\\"", "No closing quotation" },
};

static void
test_split(void **state)
{
	char	**argv, *cause;
	size_t	  i;
	int	  argc, n;

	(void)state;
	for (i = 0; i < sizeof words_ok / sizeof words_ok[0]; i++) {
		cause = NULL;
		argv = NULL;
		argc = -1;
		assert_int_equal(words_split(words_ok[i].in, &argv, &argc,
		    &cause), 0);
		assert_null(cause);
		for (n = 0; words_ok[i].out[n] != NULL; n++) {
			assert_non_null(argv[n]);
			assert_string_equal(argv[n], words_ok[i].out[n]);
		}
		assert_int_equal(argc, n);
		assert_null(argv[n]);
		words_free(argv);
	}
}

static void
test_errors(void **state)
{
	char	**argv, *cause;
	size_t	  i;
	int	  argc;

	(void)state;
	for (i = 0; i < sizeof words_bad / sizeof words_bad[0]; i++) {
		cause = NULL;
		argv = NULL;
		assert_int_equal(words_split(words_bad[i].in, &argv, &argc,
		    &cause), -1);
		assert_non_null(cause);
		assert_string_equal(cause, words_bad[i].cause);
		assert_null(argv);
		free(cause);
	}
	words_free(NULL);
}

/* A long command: no fixed limit on words or their length. */
static void
test_long(void **state)
{
	char	*cmd, **argv, *cause = NULL;
	size_t	 i, len = 200000;
	int	 argc;

	(void)state;
	cmd = malloc(len + 1);
	assert_non_null(cmd);
	for (i = 0; i < len; i++)
		cmd[i] = i % 4 == 3 ? ' ' : 'x';
	cmd[len] = '\0';
	assert_int_equal(words_split(cmd, &argv, &argc, &cause), 0);
	assert_int_equal(argc, (int)(len / 4));
	assert_string_equal(argv[argc - 1], "xxx");
	words_free(argv);
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
