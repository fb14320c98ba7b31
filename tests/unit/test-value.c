/* SPDX-License-Identifier: ISC */
/*
 * Value trees: construction, lookup, copy, equality.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/value.h"

static void
test_struct_set_get(void **state)
{
	struct value	*s = value_struct();

	(void)state;
	value_struct_set(s, "a", value_int(1));
	value_struct_set(s, "b", value_string("x"));
	value_struct_set(s, "a", value_int(2));
	assert_int_equal(s->u.st.n, 2);
	assert_int_equal(value_get_int(s, "a", -1), 2);
	assert_string_equal(value_get_string(s, "b", NULL), "x");
	assert_int_equal(value_get_int(s, "b", -1), -1);
	assert_null(value_struct_get(s, "c"));
	value_free(s);
}

static void
test_array_and_dup(void **state)
{
	struct value	*a = value_array(), *c;

	(void)state;
	value_array_push(a, value_bool(1));
	value_array_push(a, value_stringn("a\0b", 3));
	c = value_dup(a);
	assert_true(value_equal(a, c));
	assert_int_equal(value_array_len(c), 2);
	assert_int_equal(value_array_at(c, 1)->u.str.len, 3);
	assert_null(value_array_at(c, 2));
	value_array_push(c, value_int(3));
	assert_false(value_equal(a, c));
	value_free(a);
	value_free(c);
	value_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_struct_set_get),
		cmocka_unit_test(test_array_and_dup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
