/* SPDX-License-Identifier: ISC */
/*
 * command= word splitting: the state machine of Python's shlex in POSIX mode
 * with whitespace splitting and no comment characters, which is what
 * supervisord's shlex.split() runs.
 */
#include <stdlib.h>
#include <string.h>

#include "config/words.h"
#include "util/xmalloc.h"

struct words {
	char	**argv;
	int	  argc;
	char	 *tok;
	size_t	  len;
};

static int
words_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

static void
words_putc(struct words *w, char c)
{
	w->tok[w->len++] = c;
}

static void
words_emit(struct words *w)
{
	w->argv = xreallocarray(w->argv, (size_t)w->argc + 2,
	    sizeof *w->argv);
	w->argv[w->argc++] = xstrndup(w->tok, w->len);
	w->argv[w->argc] = NULL;
	w->len = 0;
}

int
words_split(const char *cmd, char ***argv, int *argc, char **cause)
{
	struct words	 w;
	const char	*p;
	char		 state = ' ', escaped = ' ';
	int		 quoted = 0;

	memset(&w, 0, sizeof w);
	w.tok = xmalloc(strlen(cmd) + 1);
	w.argv = xcalloc(1, sizeof *w.argv);
	for (p = cmd;; p++) {
		if (state == '\'' || state == '"') {
			quoted = 1;
			if (*p == '\0') {
				*cause = xstrdup("No closing quotation");
				goto fail;
			}
			if (*p == state)
				state = 'a';
			else if (*p == '\\' && state == '"') {
				escaped = state;
				state = '\\';
			} else
				words_putc(&w, *p);
			continue;
		}
		if (state == '\\') {
			if (*p == '\0') {
				*cause = xstrdup("No escaped character");
				goto fail;
			}
			/* Inside "", only \" and \\ lose their backslash. */
			if (escaped == '"' && *p != '\\' && *p != '"')
				words_putc(&w, '\\');
			words_putc(&w, *p);
			state = escaped;
			continue;
		}
		if (*p == '\0' || words_blank(*p)) {
			if (w.len > 0 || quoted)
				words_emit(&w);
			quoted = 0;
			state = ' ';
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '\\') {
			escaped = 'a';
			state = '\\';
		} else if (*p == '\'' || *p == '"')
			state = *p;
		else {
			words_putc(&w, *p);
			state = 'a';
		}
	}
	free(w.tok);
	*argv = w.argv;
	*argc = w.argc;
	return 0;

fail:
	free(w.tok);
	words_free(w.argv);
	return -1;
}

void
words_free(char **argv)
{
	char	**p;

	if (argv == NULL)
		return;
	for (p = argv; *p != NULL; p++)
		free(*p);
	free(argv);
}
