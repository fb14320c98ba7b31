/* SPDX-License-Identifier: ISC */
/*
 * What the command files of shell/ share.
 */
#ifndef SHELL_INTERNAL_H
#define SHELL_INTERNAL_H

#include "cmd.h"

/* A family of commands that act on names: start, stop, signal, clear. */
struct cmd_walk {
	const char	*verb;
	const char	*done_word;	/* "<ns>: started" */
	const char	*one;		/* method for one process */
	const char	*group;		/* method for "group:*", or NULL */
	const char	*all;		/* method for "all" */
	int		 ignored;	/* fault that keeps exit status 0 */
	int		 nogroup_exit;
	int		 first;		/* index of the first name (signal: 2) */
};

struct cmd_walk_state {
	const struct cmd_walk	*walk;
	int			 next;
	int			 all;
	int			 is_group;
	const char		*current;
	void			(*then)(struct cmd *c);
};

/* Walks c's names with w; then (if not NULL) runs instead of cmd_done. */
void	cmd_walk_begin(struct cmd *c, const struct cmd_walk *w,
	    void (*then)(struct cmd *c));

#endif
