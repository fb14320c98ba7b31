/* SPDX-License-Identifier: ISC */
/*
 * Shared between http.c and http-listen.c only: opening the listening
 * socket of one server section.
 */
#ifndef RPC_HTTP_INTERNAL_H
#define RPC_HTTP_INTERNAL_H

#include <sys/types.h>

struct server_config;

/* supervisord's message for a socket error (allocated). */
char	*http_listen_error(int error);
/*
 * Creates, binds and listens on sc's Unix socket file as supervisord does
 * (spec 12.1); returns the descriptor or -1 and *cause.  Once the file
 * exists, *path (allocated), *dev and *ino name it even on a later error,
 * so that the caller removes only that file.
 */
int	 http_listen_unix(const struct server_config *sc, char **path,
	    dev_t *dev, ino_t *ino, char **cause);
/* Binds and listens on sc's [host:]port; returns the descriptor or -1. */
int	 http_listen_inet(const struct server_config *sc, char **cause);

#endif
