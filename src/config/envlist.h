/* SPDX-License-Identifier: ISC */
/*
 * The environment= value: KEY=VALUE pairs separated by commas, values with
 * characters other than word characters quoted.
 */
#ifndef CONFIG_ENVLIST_H
#define CONFIG_ENVLIST_H

#include <stddef.h>

struct env_pair {
	char	*key;
	char	*value;
};

struct envlist {
	struct env_pair	*pairs;		/* in the order written; keys unique */
	size_t		 n;
};

/*
 * Parses value into list (appending; a repeated key replaces the earlier
 * value).  Returns -1 with *cause "Unexpected end of key/value pairs in value
 * '<v>'" on malformed input.  *warning, if not NULL, is set (allocated) when a
 * value was silently cut by supervisord's lexer (an unquoted space, '$' ...).
 */
int	envlist_parse(struct envlist *list, const char *value, char **cause,
	    char **warning);
void	envlist_set(struct envlist *list, const char *key, const char *value);
const char *envlist_get(const struct envlist *list, const char *key);
void	envlist_copy(struct envlist *dst, const struct envlist *src);
void	envlist_clear(struct envlist *list);
int	envlist_equal(const struct envlist *a, const struct envlist *b);

#endif
