/* SPDX-License-Identifier: ISC */
/*
 * Tab completion: command names from the table, process and group names
 * from the API, signal names from util/sig.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "format.h"
#include "util/sig.h"
#include "util/xmalloc.h"

struct complete_list {
	char	**v;
	size_t	  n;
	const char *prefix;
};

static void
complete_add(struct complete_list *l, const char *word)
{
	size_t	 i;

	if (strncmp(word, l->prefix, strlen(l->prefix)) != 0)
		return;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], word) == 0)
			return;
	l->v = xreallocarray(l->v, l->n + 2, sizeof *l->v);
	l->v[l->n++] = xstrdup(word);
	l->v[l->n] = NULL;
}

struct complete_call {
	struct complete_list	*l;
	enum cmd_complete	 kind;
};

/* The local API answers at once; a late answer is simply not used. */
static void
complete_names_reply(const struct api_reply *r, void *arg)
{
	struct complete_call	*cc = arg;
	const struct value	*info;
	size_t			 i;
	char			*ns, *g;

	if (r->result == NULL)
		return;
	for (i = 0; i < value_array_len(r->result); i++) {
		info = value_array_at(r->result, i);
		if (cc->kind == CMD_COMPLETE_GROUP) {
			complete_add(cc->l, value_get_string(info, "group",
			    ""));
			continue;
		}
		ns = format_info_namespec(info);
		complete_add(cc->l, ns);
		free(ns);
		g = xprintf("%s:*", value_get_string(info, "group", ""));
		complete_add(cc->l, g);
		free(g);
	}
	if (cc->kind != CMD_COMPLETE_GROUP)
		complete_add(cc->l, "all");
}

static void
complete_names(struct cmd_ctx *ctx, struct complete_list *l,
    enum cmd_complete kind)
{
	struct complete_call	 cc = { l, kind };

	api_call(ctx->api, kind == CMD_COMPLETE_GROUP ?
	    "supervisor.getAllConfigInfo" : "supervisor.getAllProcessInfo",
	    NULL, complete_names_reply, &cc);
}

/* Which word of line the completion is in (0: the command). */
static int
complete_word_index(const char *line, int start, char **first)
{
	int	 i = 0, n = 0, inword = 0;
	int	 fs = -1, fe = -1;

	for (i = 0; i < start && line[i] != '\0'; i++) {
		if (isspace((unsigned char)line[i])) {
			if (inword && n == 1)
				fe = i;
			inword = 0;
		} else if (!inword) {
			inword = 1;
			if (n++ == 0)
				fs = i;
		}
	}
	if (fs >= 0)
		*first = xstrndup(line + fs, (size_t)((fe > fs ? fe : i) - fs));
	return n;
}

char **
cmd_complete(const char *line, const char *text, int start, void *arg)
{
	struct cmd_ctx		*ctx = arg;
	struct complete_list	 l = { NULL, 0, text };
	const struct cmd_entry	*e;
	char			*first = NULL;
	size_t			 i;
	int			 word;

	word = complete_word_index(line, start, &first);
	if (word == 0) {
		for (i = 0; i < cmd_ntable; i++)
			if (cmd_find(cmd_table[i].name, ctx->foreground) != NULL)
				complete_add(&l, cmd_table[i].name);
		free(first);
		return l.v;
	}
	e = first != NULL ? cmd_find(first, ctx->foreground) : NULL;
	free(first);
	if (e == NULL)
		return NULL;
	switch (e->complete) {
	case CMD_COMPLETE_SIGNAL:
		if (word == 1) {
			for (i = 0; sig_names[i] != NULL; i++)
				complete_add(&l, sig_names[i]);
			break;
		}
		complete_names(ctx, &l, CMD_COMPLETE_PROCESS);
		break;
	case CMD_COMPLETE_PROCESS:
	case CMD_COMPLETE_GROUP:
		complete_names(ctx, &l, e->complete);
		break;
	case CMD_COMPLETE_COMMAND:
		for (i = 0; i < cmd_ntable; i++)
			if (cmd_find(cmd_table[i].name, ctx->foreground) != NULL)
				complete_add(&l, cmd_table[i].name);
		break;
	case CMD_COMPLETE_NONE:
		break;
	}
	return l.v;
}
