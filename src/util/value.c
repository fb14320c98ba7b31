/* SPDX-License-Identifier: ISC */
/*
 * Value trees: constructors, accessors and the destructor, and the pools
 * that large trees (a thousand ProcessInfo structs, in a reply or decoded
 * from one) are made in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "xmalloc.h"

/* Bits of struct value's flags. */
#define VALUE_POOLED	0x1	/* its memory is a pool's */
#define VALUE_ROOT	0x2	/* the owner of a pool, inside it */
#define VALUE_OUTGROWN	0x4	/* pooled, with items moved to the heap */

/* Pool blocks start at this size and double up to the largest. */
#define VALUE_BLOCK_MIN	(8 * 1024)
#define VALUE_BLOCK_MAX	(64 * 1024)

struct value_block {
	struct value_block	*next;
	size_t			 size;
	size_t			 used;
	max_align_t		 data[];
};

struct value_pool {
	struct value_block	*blocks;
	size_t			 next_size;
	struct value		 root;
};

/* ---- pools ---- */

struct value_pool *
value_pool_create(size_t size)
{
	struct value_pool	*pool;

	pool = xcalloc(1, sizeof *pool);
	pool->next_size = size > VALUE_BLOCK_MAX ? VALUE_BLOCK_MAX :
	    size < VALUE_BLOCK_MIN ? VALUE_BLOCK_MIN : size;
	return pool;
}

static void *
value_pool_alloc(struct value_pool *pool, size_t size)
{
	struct value_block	*b = pool->blocks;
	size_t			 want;
	void			*p;

	size = (size + sizeof (max_align_t) - 1) & ~(sizeof (max_align_t) - 1);
	if (b == NULL || b->size - b->used < size) {
		want = pool->next_size > size ? pool->next_size : size;
		if (pool->next_size < VALUE_BLOCK_MAX)
			pool->next_size *= 2;
		if (want > SIZE_MAX - sizeof *b)
			abort();
		b = xmalloc(sizeof *b + want);
		b->size = want;
		b->used = 0;
		b->next = pool->blocks;
		pool->blocks = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

void
value_pool_free(struct value_pool *pool)
{
	struct value_block	*b, *next;

	if (pool == NULL)
		return;
	for (b = pool->blocks; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(pool);
}

struct value *
value_pool_finish(struct value_pool *pool, struct value *root)
{
	if (!(root->flags & VALUE_POOLED)) {
		value_pool_free(pool);
		return root;
	}
	/* The pool's own copy of the root tells value_free() where it is. */
	pool->root = *root;
	pool->root.flags = (root->flags & ~VALUE_POOLED) | VALUE_ROOT;
	return &pool->root;
}

/* ---- constructors ---- */

static struct value *
value_new(struct value_pool *pool, enum value_type type, size_t extra)
{
	struct value	*v;

	if (extra > SIZE_MAX - sizeof *v)
		abort();
	if (pool != NULL) {
		v = value_pool_alloc(pool, sizeof *v + extra);
		memset(v, 0, sizeof *v);
		v->flags = VALUE_POOLED;
	} else {
		v = xmalloc(sizeof *v + extra);
		memset(v, 0, sizeof *v);
	}
	v->type = type;
	return v;
}

struct value *
value_pool_int(struct value_pool *pool, long long i)
{
	struct value	*v = value_new(pool, VALUE_INT, 0);

	v->u.i = i;
	return v;
}

struct value *
value_pool_bool(struct value_pool *pool, int b)
{
	struct value	*v = value_new(pool, VALUE_BOOL, 0);

	v->u.i = b != 0;
	return v;
}

struct value *
value_pool_double(struct value_pool *pool, double d)
{
	struct value	*v = value_new(pool, VALUE_DOUBLE, 0);

	v->u.d = d;
	return v;
}

/*
 * The bytes live in the same block as the value: one allocation per string
 * matters when a reply holds thousands of them.
 */
struct value *
value_pool_stringn(struct value_pool *pool, const char *s, size_t len)
{
	struct value	*v;

	if (len == SIZE_MAX)
		abort();
	v = value_new(pool, VALUE_STRING, len + 1);
	v->u.str.ptr = (char *)(v + 1);
	memcpy(v->u.str.ptr, s, len);
	v->u.str.ptr[len] = '\0';
	v->u.str.len = len;
	return v;
}

struct value *
value_pool_string(struct value_pool *pool, const char *s)
{
	return value_pool_stringn(pool, s, strlen(s));
}

struct value *
value_pool_array(struct value_pool *pool, size_t n)
{
	struct value	*a = value_new(pool, VALUE_ARRAY, 0);

	if (n == 0)
		return a;
	if (n > SIZE_MAX / sizeof *a->u.array.items)
		abort();
	if (pool != NULL)
		a->u.array.items = value_pool_alloc(pool,
		    n * sizeof *a->u.array.items);
	else
		a->u.array.items = xreallocarray(NULL, n,
		    sizeof *a->u.array.items);
	a->u.array.cap = n;
	return a;
}

struct value *
value_pool_struct(struct value_pool *pool, size_t n)
{
	struct value	*s = value_new(pool, VALUE_STRUCT, 0);

	if (n == 0)
		return s;
	if (n > SIZE_MAX / sizeof *s->u.st.members)
		abort();
	if (pool != NULL)
		s->u.st.members = value_pool_alloc(pool,
		    n * sizeof *s->u.st.members);
	else
		s->u.st.members = xreallocarray(NULL, n,
		    sizeof *s->u.st.members);
	s->u.st.cap = n;
	return s;
}

struct value *
value_int(long long i)
{
	return value_pool_int(NULL, i);
}

struct value *
value_bool(int b)
{
	return value_pool_bool(NULL, b);
}

struct value *
value_double(double d)
{
	return value_pool_double(NULL, d);
}

struct value *
value_stringn(const char *s, size_t len)
{
	return value_pool_stringn(NULL, s, len);
}

struct value *
value_string(const char *s)
{
	return value_pool_stringn(NULL, s, strlen(s));
}

struct value *
value_string_own(char *s, size_t len)
{
	struct value	*v = value_new(NULL, VALUE_STRING, 0);

	v->u.str.ptr = s;
	v->u.str.len = len;
	return v;
}

struct value *
value_array(void)
{
	return value_pool_array(NULL, 0);
}

struct value *
value_struct(void)
{
	return value_pool_struct(NULL, 0);
}

struct value *
value_array_sized(size_t n)
{
	return value_pool_array(NULL, n);
}

struct value *
value_struct_sized(size_t n)
{
	return value_pool_struct(NULL, n);
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
		c = value_array_sized(v->u.array.n);
		for (i = 0; i < v->u.array.n; i++)
			value_array_push(c, value_dup(v->u.array.items[i]));
		return c;
	case VALUE_STRUCT:
		c = value_struct_sized(v->u.st.n);
		for (i = 0; i < v->u.st.n; i++)
			value_struct_add_own(c, xstrdup(v->u.st.members[i].name),
			    value_dup(v->u.st.members[i].value));
		return c;
	default:
		c = value_new(NULL, v->type, 0);
		c->u = v->u;
		return c;
	}
}

/* ---- the destructor ---- */

/* Frees what v holds, but not v itself. */
static void
value_release(struct value *v)
{
	int	 heap = !(v->flags & (VALUE_POOLED | VALUE_ROOT)) ||
		     (v->flags & VALUE_OUTGROWN);
	size_t	 i;

	switch (v->type) {
	case VALUE_STRING:
		if (v->u.str.ptr != (char *)(v + 1) &&
		    !(v->flags & (VALUE_POOLED | VALUE_ROOT)))
			free(v->u.str.ptr);
		break;
	case VALUE_ARRAY:
		for (i = 0; i < v->u.array.n; i++)
			value_free(v->u.array.items[i]);
		if (heap)
			free(v->u.array.items);
		break;
	case VALUE_STRUCT:
		for (i = 0; i < v->u.st.n; i++) {
			if (v->u.st.members[i].name_owned)
				free((char *)v->u.st.members[i].name);
			value_free(v->u.st.members[i].value);
		}
		if (heap)
			free(v->u.st.members);
		break;
	default:
		break;
	}
}

void
value_free(struct value *v)
{
	if (v == NULL)
		return;
	value_release(v);
	if (v->flags & VALUE_ROOT)
		value_pool_free((struct value_pool *)((char *)v -
		    offsetof(struct value_pool, root)));
	else if (!(v->flags & VALUE_POOLED))
		free(v);
}

/* ---- containers ---- */

/* Makes room for one more of n items of size each, held in *items. */
static void
value_grow(struct value *c, void **items, size_t n, size_t *cap, size_t size)
{
	void	*p;

	if (n < *cap)
		return;
	*cap = *cap != 0 ? *cap * 2 : 8;
	if ((c->flags & (VALUE_POOLED | VALUE_ROOT)) &&
	    !(c->flags & VALUE_OUTGROWN)) {
		/* Pool memory is not the heap's to realloc(). */
		p = xreallocarray(NULL, *cap, size);
		if (n > 0)
			memcpy(p, *items, n * size);
		*items = p;
		c->flags |= VALUE_OUTGROWN;
	} else
		*items = xreallocarray(*items, *cap, size);
}

struct value *
value_array_push(struct value *a, struct value *v)
{
	void	*items = a->u.array.items;

	value_grow(a, &items, a->u.array.n, &a->u.array.cap,
	    sizeof *a->u.array.items);
	a->u.array.items = items;
	a->u.array.items[a->u.array.n++] = v;
	return a;
}

static struct value *
value_struct_append(struct value *s, const char *name, int owned,
    struct value *v)
{
	struct value_member	*m;
	void			*members = s->u.st.members;

	value_grow(s, &members, s->u.st.n, &s->u.st.cap,
	    sizeof *s->u.st.members);
	s->u.st.members = members;
	m = &s->u.st.members[s->u.st.n++];
	m->name = name;
	m->value = v;
	m->name_owned = owned;
	return s;
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
	return value_struct_append(s, xstrdup(name), 1, v);
}

struct value *
value_struct_add(struct value *s, const char *name, struct value *v)
{
	return value_struct_append(s, name, 0, v);
}

struct value *
value_struct_add_own(struct value *s, char *name, struct value *v)
{
	return value_struct_append(s, name, 1, v);
}

const struct value *
value_struct_get(const struct value *s, const char *name)
{
	size_t	 i;

	if (s == NULL || s->type != VALUE_STRUCT)
		return NULL;
	/* Builders and readers often share the literal: try the pointer. */
	for (i = 0; i < s->u.st.n; i++) {
		if (s->u.st.members[i].name == name ||
		    strcmp(s->u.st.members[i].name, name) == 0)
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
