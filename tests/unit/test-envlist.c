/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/envlist.c: environment= values give the pairs that
 * supervisord's dict_of_key_value_pairs() gives (checked with it), its
 * errors, and a warning wherever supervisord silently changes a value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/envlist.h"

#define PAIRS_MAX	4

static const struct {
	const char	*in;
	const char	*pairs[PAIRS_MAX * 2 + 1];	/* key, value, ..., NULL */
	int		 warns;
} env_ok[] = {
	{ "A=1,B=2", { "A", "1", "B", "2", NULL }, 0 },
	{ "A = 1 , B = 2", { "A", "1", "B", "2", NULL }, 0 },
	{ "A=\"x,y\",B='z w'", { "A", "x,y", "B", "z w", NULL }, 0 },
	{ "P=/a/b:/c,A=-1.5", { "P", "/a/b:/c", "A", "-1.5", NULL }, 0 },
	{ "A=1;B=2", { "A", "1", "B", "2", NULL }, 0 },
	{ "A=\"x#y\"", { "A", "x#y", NULL }, 0 },
	{ "A=\"foo@bar\"", { "A", "foo@bar", NULL }, 0 },
	{ "A=\"\"", { "A", "", NULL }, 0 },
	{ "A=1,B=2,", { "A", "1", "B", "2", NULL }, 0 },
	{ "A=1,A=2", { "A", "2", NULL }, 0 },
	{ "\"K\"=v", { "\"K\"", "v", NULL }, 0 },
	{ "A==", { "A", "=", NULL }, 0 },
	{ "A=1\n,B=2", { "A", "1", "B", "2", NULL }, 0 },
	{ "", { NULL }, 0 },
	{ "HOME=/home/u,PATH=/usr/bin:/bin", { "HOME", "/home/u", "PATH",
	    "/usr/bin:/bin", NULL }, 0 },
	{ "A='it''s'", { "A", "it", NULL }, 1 },
	/* supervisord cuts or mangles these without a word: we warn. */
	{ "A=a b", { "A", "a", NULL }, 1 },
	{ "A=$HOME", { "A", "$", NULL }, 1 },
	{ "A=x#y", { "A", "x", NULL }, 1 },
	{ "A=x\"y\"", { "A", "x\"y", NULL }, 1 },
	{ "A=x#c\nB", { "A", "xB", NULL }, 1 },
	{ "A=%(x)s", { "A", "%", NULL }, 1 },
};

static const struct {
	const char	*in;
	const char	*cause;
} env_bad[] = {
	{ "A=foo@bar", "Unexpected end of key/value pairs in value "
	    "'A=foo@bar'" },
	{ "A=http://h/p?q", "Unexpected end of key/value pairs in value "
	    "'A=http://h/p?q'" },
	{ "A=", "Unexpected end of key/value pairs in value 'A='" },
	{ "A=1 B=2", "Unexpected end of key/value pairs in value 'A=1 B=2'" },
	{ "A=1,,B=2", "Unexpected end of key/value pairs in value "
	    "'A=1,,B=2'" },
	{ "A", "Unexpected end of key/value pairs in value 'A'" },
	{ "A=\"x", "No closing quotation" },
	{ "A='x,B=2", "No closing quotation" },
};

static void
test_parse(void **state)
{
	struct envlist	 list;
	char		*cause, *warning;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof env_ok / sizeof env_ok[0]; i++) {
		memset(&list, 0, sizeof list);
		cause = NULL;
		warning = (char *)1;
		assert_int_equal(envlist_parse(&list, env_ok[i].in, &cause,
		    &warning), 0);
		assert_null(cause);
		for (n = 0; env_ok[i].pairs[n * 2] != NULL; n++) {
			assert_string_equal(list.pairs[n].key,
			    env_ok[i].pairs[n * 2]);
			assert_string_equal(list.pairs[n].value,
			    env_ok[i].pairs[n * 2 + 1]);
		}
		assert_int_equal(list.n, n);
		if (env_ok[i].warns) {
			assert_non_null(warning);
			assert_non_null(strstr(warning, "quote values"));
			assert_non_null(strstr(warning, env_ok[i].pairs[0]));
		} else
			assert_null(warning);
		free(warning);
		envlist_clear(&list);
	}
}

static void
test_errors(void **state)
{
	struct envlist	 list;
	char		*cause;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof env_bad / sizeof env_bad[0]; i++) {
		memset(&list, 0, sizeof list);
		envlist_set(&list, "KEEP", "1");
		cause = NULL;
		assert_int_equal(envlist_parse(&list, env_bad[i].in, &cause,
		    NULL), -1);
		assert_string_equal(cause, env_bad[i].cause);
		/* The list is left as it was. */
		assert_int_equal(list.n, 1);
		free(cause);
		envlist_clear(&list);
	}
}

static void
test_ops(void **state)
{
	struct envlist	a, b;
	char		*cause = NULL;

	(void)state;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	assert_int_equal(envlist_parse(&a, "X=1,Y=2", &cause, NULL), 0);
	/* Appending keeps the first place of a replaced key. */
	assert_int_equal(envlist_parse(&a, "Z=3,X=9", &cause, NULL), 0);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.pairs[0].key, "X");
	assert_string_equal(a.pairs[0].value, "9");
	assert_string_equal(envlist_get(&a, "Z"), "3");
	assert_null(envlist_get(&a, "x"));
	envlist_set(&b, "Z", "3");
	envlist_set(&b, "Y", "2");
	assert_false(envlist_equal(&a, &b));
	envlist_set(&b, "X", "9");
	/* Equal as dicts: order does not matter. */
	assert_true(envlist_equal(&a, &b));
	envlist_set(&b, "X", "8");
	assert_false(envlist_equal(&a, &b));
	envlist_clear(&b);
	envlist_copy(&b, &a);
	assert_true(envlist_equal(&a, &b));
	envlist_clear(&a);
	assert_int_equal(a.n, 0);
	assert_null(a.pairs);
	assert_false(envlist_equal(&a, &b));
	envlist_clear(&b);
	envlist_clear(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
