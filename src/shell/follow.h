/* SPDX-License-Identifier: ISC */
/*
 * A log followed as it grows, through supervisord's tail and read methods,
 * for tail -f, maintail -f and fg.
 */
#ifndef SHELL_FOLLOW_H
#define SHELL_FOLLOW_H

#include <stddef.h>

#include "api/api.h"

struct follow;

struct follow_ops {
	/*
	 * Sees every answer first.  Nonzero drops it and ends the round there
	 * (the owner has handled the fault, or is ending); it must be nonzero
	 * for a fault.
	 */
	int	(*answer)(struct follow *f, const struct api_reply *r);
	/* New bytes of the log. */
	void	(*write)(struct follow *f, const char *buf, size_t len);
	/* The round is over: what was new has been written. */
	void	(*idle)(struct follow *f);
};

struct follow {
	struct api		*api;
	char			*name;		/* NULL: the main log */
	const char		*tail_method;	/* e.g. tailProcessStdoutLog */
	const char		*read_method;	/* e.g. readProcessStdoutLog */
	long long		 first;		/* bytes shown by the first round */
	long long		 offset;	/* -1 before the first answer */
	int			 busy;		/* a call is out */
	const struct follow_ops	*ops;
	void			*arg;		/* the owner's */
};

/* Sets f up for name's log (NULL: the main log); name is copied. */
void	follow_init(struct follow *f, struct api *api, const char *name,
	    const char *tail_method, const char *read_method, long long first,
	    const struct follow_ops *ops, void *arg);
void	follow_clear(struct follow *f);
/*
 * One round: the first shows the last first bytes; the others what was
 * added since, up to 1 MiB.  One call is out at a time (f->busy); the
 * round ends in ops->idle unless ops->answer ends it.
 */
void	follow_round(struct follow *f);

#endif
