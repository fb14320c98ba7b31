/* SPDX-License-Identifier: ISC */
/*
 * The API implemented on the supervisor of this process.
 */
#ifndef API_API_LOCAL_H
#define API_API_LOCAL_H

#include "api.h"

struct supervisor;

/* What only the program around the supervisor can do. */
struct api_local_hooks {
	/* supervisor.shutdown: stop everything and exit. */
	void	(*shutdown)(void *arg);
	/* supervisor.restart: the shell's reload. */
	void	(*restart)(void *arg);
};

struct api	*api_local_create(struct supervisor *sv,
		    const struct api_local_hooks *hooks, void *arg);

#endif
