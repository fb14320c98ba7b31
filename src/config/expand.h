/* SPDX-License-Identifier: ISC */
/*
 * supervisord's %-expansions: %(name)s, %(name)d, %(process_num)02d and any
 * printf-style flags/width/precision, and %% for a literal percent sign.
 */
#ifndef CONFIG_EXPAND_H
#define CONFIG_EXPAND_H

#include <stddef.h>

struct expand_var {
	char		*name;
	char		*str;		/* string value, or NULL for a number */
	long long	 num;
};

struct expand_ctx {
	struct expand_var	*vars;
	size_t			 n, cap;
	/* Names not set here are looked up there; NULL: none. */
	const struct expand_ctx	*parent;
};

void	expand_ctx_init(struct expand_ctx *ctx);
void	expand_ctx_clear(struct expand_ctx *ctx);
/* Adds or replaces a name. */
void	expand_ctx_set_str(struct expand_ctx *ctx, const char *name,
	    const char *value);
void	expand_ctx_set_int(struct expand_ctx *ctx, const char *name,
	    long long value);
/* Adds ENV_<NAME> for each "NAME=value" string of envp. */
void	expand_ctx_set_environ(struct expand_ctx *ctx, char *const *envp);
/* Copies every name of src into dst. */
void	expand_ctx_copy(struct expand_ctx *dst, const struct expand_ctx *src);
/*
 * Makes the names of src those of the fresh dst, without copying them: dst's
 * own names shadow them.  src must outlive dst and not change meanwhile.
 */
void	expand_ctx_inherit(struct expand_ctx *dst,
	    const struct expand_ctx *src);

/*
 * Expands in into *out (allocated).  what names the value in messages, as
 * supervisord does: "program:x.command".  On error returns -1 and *cause is
 * supervisord's text without the section suffix, e.g.
 * "Format string 'date +%Y' for 'program:a.command' is badly formatted:
 * unsupported format character 'Y' (0x59) at index 7" or "... contains names
 * ('x') which cannot be expanded. Available names: ENV_HOME, here, ...".
 * A lone "%s" with no name is an error too (supervisord dumps its table).
 */
int	expand(const char *in, const struct expand_ctx *ctx, const char *what,
	    char **out, char **cause);

#endif
