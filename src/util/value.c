/* SPDX-License-Identifier: ISC */
/*
 * Value trees: constructors, accessors and the destructor.
 */
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "xmalloc.h"

static struct value *
value_new(enum value_type type)
{
	struct value	*v;

	v = xcalloc(1, sizeof *v);
	v->type = type;
	return v;
}

struct value *
value_int(long long i)
{
	struct value	*v = value_new(VALUE_INT);

	v->u.i = i;
	return v;
}

struct value *
value_bool(int b)
{
	struct value	*v = value_new(VALUE_BOOL);

	v->u.i = b != 0;
	return v;
}

struct value *
value_double(double d)
{
	struct value	*v = value_new(VALUE_DOUBLE);

	v->u.d = d;
	return v;
}

struct value *
value_stringn(const char *s, size_t len)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.str.ptr = xmalloc(len + 1);
	memcpy(v->u.str.ptr, s, len);
	v->u.str.ptr[len] = '\0';
	v->u.str.len = len;
	return v;
}

struct value *
value_string(const char *s)
{
	return value_stringn(s, strlen(s));
}

struct value *
value_string_own(char *s, size_t len)
{
	struct value	*v = value_new(VALUE_STRING);

	v->u.str.ptr = s;
	v->u.str.len = len;
	return v;
}

struct value *
value_array(void)
{
	return value_new(VALUE_ARRAY);
}

struct value *
value_struct(void)
{
	return value_new(VALUE_STRUCT);
}

struct value *
value_dup(const struct value *v)
{
	struct value	*c;
	size_t		 i;

	switch (v->type) {
	case VALUE_STRING:
		return value_stringn(v->u.str.ptr, v->u.str.len);
	case VALUE_ARRAY:
		c = value_array();
		for (i = 0; i < v->u.array.n; i++)
			value_array_push(c, value_dup(v->u.array.items[i]));
		return c;
	case VALUE_STRUCT:
		c = value_struct();
		for (i = 0; i < v->u.st.n; i++)
			value_struct_set(c, v->u.st.members[i].name,
			    value_dup(v->u.st.members[i].value));
		return c;
	default:
		c = value_new(v->type);
		c->u = v->u;
		return c;
	}
}

void
value_free(struct value *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_STRING:
		free(v->u.str.ptr);
		break;
	case VALUE_ARRAY:
		for (i = 0; i < v->u.array.n; i++)
			value_free(v->u.array.items[i]);
		free(v->u.array.items);
		break;
	case VALUE_STRUCT:
		for (i = 0; i < v->u.st.n; i++) {
			free(v->u.st.members[i].name);
			value_free(v->u.st.members[i].value);
		}
		free(v->u.st.members);
		break;
	default:
		break;
	}
	free(v);
}

struct value *
value_array_push(struct value *a, struct value *v)
{
	if (a->u.array.n == a->u.array.cap) {
		a->u.array.cap = a->u.array.cap ? a->u.array.cap * 2 : 8;
		a->u.array.items = xreallocarray(a->u.array.items,
		    a->u.array.cap, sizeof *a->u.array.items);
	}
	a->u.array.items[a->u.array.n++] = v;
	return a;
}

struct value *
value_struct_set(struct value *s, const char *name, struct value *v)
{
	size_t	 i;

	for (i = 0; i < s->u.st.n; i++) {
		if (strcmp(s->u.st.members[i].name, name) == 0) {
			value_free(s->u.st.members[i].value);
			s->u.st.members[i].value = v;
			return s;
		}
	}
	if (s->u.st.n == s->u.st.cap) {
		s->u.st.cap = s->u.st.cap ? s->u.st.cap * 2 : 8;
		s->u.st.members = xreallocarray(s->u.st.members,
		    s->u.st.cap, sizeof *s->u.st.members);
	}
	s->u.st.members[s->u.st.n].name = xstrdup(name);
	s->u.st.members[s->u.st.n].value = v;
	s->u.st.n++;
	return s;
}

const struct value *
value_struct_get(const struct value *s, const char *name)
{
	size_t	 i;

	if (s == NULL || s->type != VALUE_STRUCT)
		return NULL;
	for (i = 0; i < s->u.st.n; i++) {
		if (strcmp(s->u.st.members[i].name, name) == 0)
			return s->u.st.members[i].value;
	}
	return NULL;
}

long long
value_get_int(const struct value *s, const char *name, long long fallback)
{
	const struct value	*v = value_struct_get(s, name);

	if (v == NULL || (v->type != VALUE_INT && v->type != VALUE_BOOL))
		return fallback;
	return v->u.i;
}

const char *
value_get_string(const struct value *s, const char *name,
    const char *fallback)
{
	const struct value	*v = value_struct_get(s, name);

	if (v == NULL || v->type != VALUE_STRING)
		return fallback;
	return v->u.str.ptr;
}

size_t
value_array_len(const struct value *a)
{
	if (a == NULL || a->type != VALUE_ARRAY)
		return 0;
	return a->u.array.n;
}

const struct value *
value_array_at(const struct value *a, size_t i)
{
	if (i >= value_array_len(a))
		return NULL;
	return a->u.array.items[i];
}

int
value_equal(const struct value *a, const struct value *b)
{
	size_t	 i;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case VALUE_INT:
	case VALUE_BOOL:
		return a->u.i == b->u.i;
	case VALUE_DOUBLE:
		return a->u.d == b->u.d;
	case VALUE_STRING:
		return a->u.str.len == b->u.str.len &&
		    memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len) == 0;
	case VALUE_ARRAY:
		if (a->u.array.n != b->u.array.n)
			return 0;
		for (i = 0; i < a->u.array.n; i++)
			if (!value_equal(a->u.array.items[i],
			    b->u.array.items[i]))
				return 0;
		return 1;
	case VALUE_STRUCT:
		if (a->u.st.n != b->u.st.n)
			return 0;
		for (i = 0; i < a->u.st.n; i++)
			if (strcmp(a->u.st.members[i].name,
			    b->u.st.members[i].name) != 0 ||
			    !value_equal(a->u.st.members[i].value,
			    b->u.st.members[i].value))
				return 0;
		return 1;
	}
	return 0;
}
