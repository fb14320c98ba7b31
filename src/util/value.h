/* SPDX-License-Identifier: ISC */
/*
 * Value trees: the data model of supervisord's XML-RPC interface (int,
 * boolean, string, double, array, struct).  The API layer takes and returns
 * these, the XML-RPC codec turns them into XML and back, and the shell formats
 * them, so one tree type serves every front end.
 */
#ifndef UTIL_VALUE_H
#define UTIL_VALUE_H

#include <stddef.h>

enum value_type {
	VALUE_INT,
	VALUE_BOOL,
	VALUE_STRING,
	VALUE_DOUBLE,
	VALUE_ARRAY,
	VALUE_STRUCT,
};

struct value_member {
	const char	*name;
	struct value	*value;
	int		 name_owned;	/* name is a copy, freed with it */
};

struct value {
	enum value_type	 type;
	unsigned char	 flags;		/* value.c's own */
	union {
		long long	 i;	/* VALUE_INT, VALUE_BOOL (0 or 1) */
		double		 d;
		struct {
			char	*ptr;	/* NUL-terminated; may hold NULs */
			size_t	 len;
		} str;		/* ptr is inside the value when copied */
		struct {
			struct value	**items;
			size_t		  n, cap;
		} array;
		struct {
			struct value_member	*members;
			size_t			 n, cap;
		} st;
	} u;
};

struct value	*value_int(long long i);
struct value	*value_bool(int b);
struct value	*value_double(double d);
struct value	*value_string(const char *s);
struct value	*value_stringn(const char *s, size_t len);
/* Takes ownership of a malloc'd NUL-terminated string. */
struct value	*value_string_own(char *s, size_t len);
struct value	*value_array(void);
struct value	*value_struct(void);
/* The same with room for n items or members, so filling them never grows. */
struct value	*value_array_sized(size_t n);
struct value	*value_struct_sized(size_t n);
struct value	*value_dup(const struct value *v);
/* Frees v and what it holds; nothing for NULL. */
void		 value_free(struct value *v);

/*
 * A pool: the values of one large tree taken from a few blocks instead of
 * an allocation each, then freed together with the tree's root.  The
 * constructors below make values in pool (or like the ones above if pool is
 * NULL).  Pooled values mix with the others and are handled alike, but
 * their memory only goes when the pool does: value_free() of one frees what
 * it holds outside the pool.
 */
struct value_pool;

/* A new pool, with room for about size bytes at first (0: a default). */
struct value_pool *value_pool_create(size_t size);
/*
 * Makes root, a value of pool, own it; returns the value to use in its
 * place, whose value_free() frees the pool too.  root itself must not be
 * used any more.  A root from elsewhere is returned as it is, and pool,
 * which it must not refer to, is freed.
 */
struct value	*value_pool_finish(struct value_pool *pool, struct value *root);
/* Frees a pool that was not finished, after its values were freed. */
void		 value_pool_free(struct value_pool *pool);

struct value	*value_pool_int(struct value_pool *pool, long long i);
struct value	*value_pool_bool(struct value_pool *pool, int b);
struct value	*value_pool_double(struct value_pool *pool, double d);
struct value	*value_pool_string(struct value_pool *pool, const char *s);
struct value	*value_pool_stringn(struct value_pool *pool, const char *s,
		    size_t len);
/* Containers with room for n items or members. */
struct value	*value_pool_array(struct value_pool *pool, size_t n);
struct value	*value_pool_struct(struct value_pool *pool, size_t n);

/* Appends v (ownership passes to a); returns a. */
struct value	*value_array_push(struct value *a, struct value *v);
/* Sets member name (ownership of v passes to s, replaces an old one). */
struct value	*value_struct_set(struct value *s, const char *name,
		    struct value *v);
/*
 * Appends member name without looking for an old one, for builders that
 * know their names are distinct.  name is not copied: it must outlive s (a
 * string literal).  Ownership of v passes to s; returns s.
 */
struct value	*value_struct_add(struct value *s, const char *name,
		    struct value *v);
/* The same taking ownership of name, a malloc'd string. */
struct value	*value_struct_add_own(struct value *s, char *name,
		    struct value *v);
const struct value *value_struct_get(const struct value *s, const char *name);

/* Typed accessors that tolerate a wrong type: they return the fallback. */
long long	 value_get_int(const struct value *s, const char *name,
		    long long fallback);
const char	*value_get_string(const struct value *s, const char *name,
		    const char *fallback);

size_t		 value_array_len(const struct value *a);
const struct value *value_array_at(const struct value *a, size_t i);

/* Deep equality (struct members compared in order). */
int		 value_equal(const struct value *a, const struct value *b);

#endif
