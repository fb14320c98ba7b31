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
	char		*name;
	struct value	*value;
};

struct value {
	enum value_type	 type;
	union {
		long long	 i;	/* VALUE_INT, VALUE_BOOL (0 or 1) */
		double		 d;
		struct {
			char	*ptr;	/* NUL-terminated; may hold NULs */
			size_t	 len;
		} str;
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
struct value	*value_dup(const struct value *v);
void		 value_free(struct value *v);

/* Appends v (ownership passes to a); returns a. */
struct value	*value_array_push(struct value *a, struct value *v);
/* Sets member name (ownership of v passes to s, replaces an old one). */
struct value	*value_struct_set(struct value *s, const char *name,
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
