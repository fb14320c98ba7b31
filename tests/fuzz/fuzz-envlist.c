/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target of the environment= parser.  Besides not crashing, the pairs
 * it gives must be a consistent list, and when every key is a plain word
 * and every value can be quoted, writing them out again and parsing that
 * must give the same pairs.
 */
#include <stdlib.h>
#include <string.h>

#include "config/envlist.h"
#include "fuzz.h"
#include "util/xmalloc.h"

/* The characters of a shlex word (non-POSIX, with supervisord's extras). */
static int
fuzz_envlist_word(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("_/.+-():", *s) != NULL))
			return 0;
	}
	return 1;
}

/* KEY="VALUE",... or NULL when some pair cannot be written so. */
static char *
fuzz_envlist_write(const struct envlist *list)
{
	const struct env_pair	*e;
	char			*out = xstrdup(""), *tmp;
	size_t			 i;
	int			 q;

	for (i = 0; i < list->n; i++) {
		e = &list->pairs[i];
		if (!fuzz_envlist_word(e->key))
			goto fail;
		if (strchr(e->value, '"') == NULL)
			q = '"';
		else if (strchr(e->value, '\'') == NULL)
			q = '\'';
		else
			goto fail;
		xasprintf(&tmp, "%s%s%s=%c%s%c", out, i > 0 ? "," : "", e->key,
		    q, e->value, q);
		free(out);
		out = tmp;
	}
	return out;

fail:
	free(out);
	return NULL;
}

static void
fuzz_envlist_check(const char *in, const struct envlist *list)
{
	struct envlist	 copy;
	size_t		 i, j;

	for (i = 0; i < list->n; i++) {
		if (list->pairs[i].key == NULL || list->pairs[i].value == NULL)
			fuzz_fail("pair %zu of '%s' incomplete", i, in);
		for (j = 0; j < i; j++) {
			if (strcmp(list->pairs[i].key, list->pairs[j].key) == 0)
				fuzz_fail("key '%s' twice in '%s'",
				    list->pairs[i].key, in);
		}
		if (envlist_get(list, list->pairs[i].key) !=
		    list->pairs[i].value)
			fuzz_fail("key '%s' not found again", list->pairs[i].key);
	}
	memset(&copy, 0, sizeof copy);
	envlist_copy(&copy, list);
	if (!envlist_equal(&copy, list) || !envlist_equal(list, &copy))
		fuzz_fail("copy of '%s' differs", in);
	envlist_clear(&copy);
}

static void
fuzz_envlist_again(const char *in, const struct envlist *list)
{
	struct envlist	 again;
	char		*text, *cause = NULL, *warning = NULL;
	size_t		 i;

	if ((text = fuzz_envlist_write(list)) == NULL)
		return;
	memset(&again, 0, sizeof again);
	if (envlist_parse(&again, text, &cause, &warning) != 0)
		fuzz_fail("'%s' (from '%s') does not parse: %s", text, in,
		    cause);
	if (again.n != list->n)
		fuzz_fail("'%s' gives %zu pairs, '%s' %zu", in, list->n, text,
		    again.n);
	for (i = 0; i < list->n; i++) {
		if (strcmp(list->pairs[i].key, again.pairs[i].key) != 0 ||
		    strcmp(list->pairs[i].value, again.pairs[i].value) != 0)
			fuzz_fail("pair %zu of '%s' is %s='%s', written '%s' "
			    "%s='%s'", i, in, list->pairs[i].key,
			    list->pairs[i].value, text, again.pairs[i].key,
			    again.pairs[i].value);
	}
	free(warning);
	envlist_clear(&again);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct envlist	 list;
	char		*in, *cause = NULL, *warning = NULL;

	in = fuzz_string(data, size);
	memset(&list, 0, sizeof list);
	if (envlist_parse(&list, in, &cause, &warning) != 0) {
		if (cause == NULL)
			fuzz_fail("envlist_parse failed silently");
		free(cause);
	} else {
		fuzz_envlist_check(in, &list);
		fuzz_envlist_again(in, &list);
		free(warning);
	}
	envlist_clear(&list);
	free(in);
	return 0;
}
