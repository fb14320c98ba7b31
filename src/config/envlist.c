/* SPDX-License-Identifier: ISC */
/*
 * environment= lists.  supervisord reads them with Python's shlex in its
 * non-POSIX mode and takes the tokens four at a time (KEY, '=', VALUE, any
 * separator); the lexer below is that state machine, so every value that
 * supervisord accepts gives the same pairs here.  What supervisord silently
 * cuts or mangles is reported as a warning.
 */
#include <stdlib.h>
#include <string.h>

#include "config/envlist.h"
#include "util/xmalloc.h"

struct envlist_token {
	char	*text;
	int	 quoted;	/* started with a quote */
	int	 cut;		/* a '#' comment ended it */
};

struct envlist_lexer {
	const char		*p;
	char			 state;		/* ' ', 'a', a quote, or 0 */
	const char		*pushback;	/* a held back character */
	size_t			 npushback;
	int			 comment;	/* a comment was skipped */
	struct envlist_token	*toks;
	size_t			 n;
};

static int
envlist_wordchar(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr("_/.+-():", c)));
}

static int
envlist_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* shlex's readline(): skips the rest of the line, newline included. */
static void
envlist_skip_line(struct envlist_lexer *lx)
{
	while (*lx->p != '\0' && *lx->p != '\n')
		lx->p++;
	if (*lx->p == '\n')
		lx->p++;
	lx->comment = 1;
}

static void
envlist_push(struct envlist_lexer *lx, const char *s, size_t len, int quoted)
{
	lx->toks = xreallocarray(lx->toks, lx->n + 1, sizeof *lx->toks);
	lx->toks[lx->n].text = xstrndup(s, len);
	lx->toks[lx->n].quoted = quoted;
	lx->toks[lx->n].cut = lx->comment;
	lx->comment = 0;
	lx->n++;
}

/* The length of the (UTF-8) character at p: Python's lexer sees those. */
static size_t
envlist_charlen(const char *p)
{
	const unsigned char	*u = (const unsigned char *)p;
	size_t			 n, i;

	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 1;
	n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 1;
	}
	return n;
}

static void
envlist_add(char *tok, size_t *len, const char *c, size_t n)
{
	memcpy(tok + *len, c, n);
	*len += n;
}

/* Reads one token into tok; returns 0 at the end, -1 on an open quote. */
static int
envlist_token(struct envlist_lexer *lx, char *tok, size_t *len, int *quoted)
{
	const char	*c;
	size_t		 n;

	*len = 0;
	*quoted = 0;
	if (lx->pushback != NULL) {
		envlist_add(tok, len, lx->pushback, lx->npushback);
		lx->pushback = NULL;
		return 1;
	}
	while (lx->state != 0) {
		c = lx->p;
		n = *c == '\0' ? 0 : envlist_charlen(c);
		lx->p += n;
		if (lx->state == ' ') {
			if (n == 0)
				lx->state = 0;
			else if (envlist_blank(*c))
				continue;
			else if (*c == '#')
				envlist_skip_line(lx);
			else if (envlist_wordchar(*c)) {
				envlist_add(tok, len, c, n);
				lx->state = 'a';
			} else if (*c == '\'' || *c == '"') {
				envlist_add(tok, len, c, n);
				*quoted = 1;
				lx->state = *c;
			} else {
				envlist_add(tok, len, c, n);
				return 1;
			}
		} else if (lx->state == 'a') {
			if (n == 0) {
				lx->state = 0;
				return 1;
			}
			if (envlist_blank(*c)) {
				lx->state = ' ';
				return 1;
			}
			/* Non-POSIX shlex stays inside the word after '#'. */
			if (*c == '#')
				envlist_skip_line(lx);
			else if (envlist_wordchar(*c) || *c == '\'' || *c == '"')
				envlist_add(tok, len, c, n);
			else {
				lx->pushback = c;
				lx->npushback = n;
				lx->state = ' ';
				return 1;
			}
		} else {
			if (n == 0)
				return -1;
			envlist_add(tok, len, c, n);
			if (*c == lx->state) {
				lx->state = ' ';
				return 1;
			}
		}
	}
	return 0;
}

static void
envlist_free_tokens(struct envlist_lexer *lx)
{
	size_t	i;

	for (i = 0; i < lx->n; i++)
		free(lx->toks[i].text);
	free(lx->toks);
}

/* Python's str.strip('\'"'). */
static char *
envlist_unquote(const char *s)
{
	size_t	len = strlen(s);

	while (len > 0 && (*s == '\'' || *s == '"')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == '\'' || s[len - 1] == '"'))
		len--;
	return xstrndup(s, len);
}

/* Whether supervisord took VALUE differently from what was meant. */
static int
envlist_mangled(const struct envlist_lexer *lx, size_t i)
{
	const struct envlist_token	*v = &lx->toks[i + 2];

	if (v->cut || (i + 3 < lx->n && lx->toks[i + 3].cut))
		return 1;
	if (!v->quoted && strpbrk(v->text, "'\"") != NULL)
		return 1;
	if (i + 3 < lx->n && strcmp(lx->toks[i + 3].text, ",") != 0 &&
	    strcmp(lx->toks[i + 3].text, ";") != 0)
		return 1;
	return 0;
}

int
envlist_parse(struct envlist *list, const char *value, char **cause,
    char **warning)
{
	struct envlist_lexer	 lx;
	char			*tok, *v;
	size_t			 len, i;
	int			 quoted, rc;

	memset(&lx, 0, sizeof lx);
	lx.p = value;
	lx.state = ' ';
	tok = xmalloc(strlen(value) + 1);
	while ((rc = envlist_token(&lx, tok, &len, &quoted)) == 1)
		envlist_push(&lx, tok, len, quoted);
	free(tok);
	if (rc == -1) {
		*cause = xstrdup("No closing quotation");
		goto fail;
	}
	for (i = 0; i < lx.n; i += 4) {
		if (i + 2 >= lx.n || strcmp(lx.toks[i + 1].text, "=") != 0) {
			xasprintf(cause, "Unexpected end of key/value pairs in "
			    "value '%s'", value);
			goto fail;
		}
	}
	if (warning != NULL)
		*warning = NULL;
	for (i = 0; i < lx.n; i += 4) {
		v = envlist_unquote(lx.toks[i + 2].text);
		if (warning != NULL && *warning == NULL &&
		    envlist_mangled(&lx, i)) {
			xasprintf(warning, "the value of %s is read as '%s'; "
			    "quote values that hold characters other than "
			    "letters, digits and _/.+-():", lx.toks[i].text, v);
		}
		envlist_set(list, lx.toks[i].text, v);
		free(v);
	}
	envlist_free_tokens(&lx);
	return 0;

fail:
	envlist_free_tokens(&lx);
	return -1;
}

void
envlist_set(struct envlist *list, const char *key, const char *value)
{
	size_t	i;

	for (i = 0; i < list->n; i++) {
		if (strcmp(list->pairs[i].key, key) == 0) {
			free(list->pairs[i].value);
			list->pairs[i].value = xstrdup(value);
			return;
		}
	}
	list->pairs = xreallocarray(list->pairs, list->n + 1,
	    sizeof *list->pairs);
	list->pairs[list->n].key = xstrdup(key);
	list->pairs[list->n].value = xstrdup(value);
	list->n++;
}

const char *
envlist_get(const struct envlist *list, const char *key)
{
	size_t	i;

	for (i = 0; i < list->n; i++) {
		if (strcmp(list->pairs[i].key, key) == 0)
			return list->pairs[i].value;
	}
	return NULL;
}

void
envlist_copy(struct envlist *dst, const struct envlist *src)
{
	size_t	i;

	for (i = 0; i < src->n; i++)
		envlist_set(dst, src->pairs[i].key, src->pairs[i].value);
}

void
envlist_clear(struct envlist *list)
{
	size_t	i;

	for (i = 0; i < list->n; i++) {
		free(list->pairs[i].key);
		free(list->pairs[i].value);
	}
	free(list->pairs);
	list->pairs = NULL;
	list->n = 0;
}

/* Equal as dicts: the same keys with the same values, in any order. */
int
envlist_equal(const struct envlist *a, const struct envlist *b)
{
	const char	*v;
	size_t		 i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		v = envlist_get(b, a->pairs[i].key);
		if (v == NULL || strcmp(v, a->pairs[i].value) != 0)
			return 0;
	}
	return 1;
}
