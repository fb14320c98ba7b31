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
#include "util/xmalloc.h"

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

static void
test_add_and_sized(void **state)
{
	struct value	*s = value_struct_sized(2), *a = value_array_sized(1);
	struct value	*c;
	int		 i;

	(void)state;
	/* Borrowed names, owned names, then growth past the room made. */
	value_struct_add(s, "a", value_int(1));
	value_struct_add_own(s, xstrdup("b"), value_string("x"));
	value_struct_add(s, "c", value_bool(1));
	value_struct_set(s, "b", value_string("y"));
	assert_int_equal(s->u.st.n, 3);
	assert_int_equal(value_get_int(s, "a", -1), 1);
	assert_string_equal(value_get_string(s, "b", NULL), "y");
	assert_int_equal(value_get_int(s, "c", -1), 1);
	for (i = 0; i < 100; i++)
		value_array_push(a, value_int(i));
	assert_int_equal(value_array_len(a), 100);
	assert_int_equal(value_array_at(a, 99)->u.i, 99);
	value_struct_add(s, "list", a);
	c = value_dup(s);
	assert_true(value_equal(s, c));
	value_free(s);
	/* The copy owns all of its names. */
	assert_string_equal(c->u.st.members[3].name, "list");
	assert_int_equal(value_array_len(value_struct_get(c, "list")), 100);
	value_free(c);
	value_free(value_struct_sized(0));
	value_free(value_array_sized(0));
}

static void
test_strings(void **state)
{
	struct value	*v = value_stringn("a\0b", 3), *w;
	char		*own = xstrdup("own");

	(void)state;
	assert_int_equal(v->u.str.len, 3);
	assert_memory_equal(v->u.str.ptr, "a\0b", 4);
	w = value_string_own(own, 3);
	assert_ptr_equal(w->u.str.ptr, own);
	assert_false(value_equal(v, w));
	value_free(w);
	w = value_dup(v);
	assert_true(value_equal(v, w));
	assert_ptr_not_equal(w->u.str.ptr, v->u.str.ptr);
	value_free(w);
	value_free(v);
	v = value_string("");
	assert_int_equal(v->u.str.len, 0);
	assert_string_equal(v->u.str.ptr, "");
	value_free(v);
}

static void
test_pool(void **state)
{
	struct value_pool	*pool = value_pool_create(0), *inner;
	struct value		*a, *s, *root, *c, *sub;
	char			 big[100000];
	int			 i;

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	a = value_pool_array(pool, 2);
	for (i = 0; i < 50; i++) {
		/* Past its room the array moves to the heap. */
		s = value_pool_struct(pool, 1);
		value_struct_add(s, "n", value_pool_int(pool, i));
		value_struct_set(s, "name", value_pool_string(pool, "p"));
		value_struct_set(s, "n", value_pool_bool(pool, 1));
		value_struct_add_own(s, xstrdup("own"), value_string_own(
		    xstrdup("heap"), 4));
		value_array_push(a, s);
	}
	/* Larger than a block; heap values and a finished pool inside. */
	value_array_push(a, value_pool_string(pool, big));
	value_array_push(a, value_pool_double(pool, 0.5));
	value_array_push(a, value_string("heap"));
	inner = value_pool_create(16);
	sub = value_pool_array(inner, 0);
	value_array_push(sub, value_pool_stringn(inner, "in", 2));
	value_array_push(a, value_pool_finish(inner, sub));
	root = value_pool_finish(pool, a);

	assert_int_equal(value_array_len(root), 54);
	s = (struct value *)value_array_at(root, 7);
	assert_int_equal(value_get_int(s, "n", -1), 1);
	assert_string_equal(value_get_string(s, "own", NULL), "heap");
	assert_int_equal(value_array_at(root, 50)->u.str.len, sizeof big - 1);
	c = value_dup(root);
	assert_true(value_equal(root, c));
	value_array_push(root, value_int(1));
	value_free(c);
	/* Freeing a pooled value frees what it holds outside the pool. */
	value_struct_set(s, "own", value_pool_int(NULL, 2));
	value_free(root);

	/* A root from elsewhere comes back as it is. */
	pool = value_pool_create(0);
	value_pool_int(pool, 1);
	root = value_pool_finish(pool, value_string("x"));
	assert_string_equal(root->u.str.ptr, "x");
	value_free(root);
	pool = value_pool_create(0);
	value_free(value_pool_int(pool, 1));
	value_pool_free(pool);
	value_pool_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_struct_set_get),
		cmocka_unit_test(test_array_and_dup),
		cmocka_unit_test(test_add_and_sized),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
