/* SPDX-License-Identifier: ISC */
/*
 * What the entry points share: loading the config with supervisord's
 * command-line errors, the main log, limits, the signals of a supervisor
 * (exit, reload, log reopen) on the loop, the supervisor and its local API,
 * the pidfile, and the reload that applies only what changed.
 */
#ifndef BOOT_H
#define BOOT_H

#include "config/config.h"

struct api;
struct event;
struct event_base;
struct http_server;
struct supervisor;

struct boot {
	const char		*argv0;
	struct event_base	*base;
	struct supervisor	*sv;
	struct api		*api;
	struct event		*sig_ev;
	int			 sigfd;
	int			 quitting;
	char			*pidfile;
	struct http_server	**servers;
	size_t			  nservers;

	/* Set by the caller. */
	void			(*on_quit)(void *arg);	/* shutdown begins */
	/* Ctrl-C typed at our terminal: 1 if the caller handled it. */
	int			(*on_tty_interrupt)(void *arg);
	void			*arg;
};

/* Prints supervisord's usage error ("Error: ... For help ...") and exits 2. */
void		 boot_usage_error(const char *argv0, const char *msg)
		    __attribute__((noreturn));
/* Loads path (searched if NULL) or exits 2 with the error. */
struct config	*boot_load_config(const char *argv0, const char *path);
/*
 * Applies cfg's process settings (umask, directory, limits), opens the main
 * log, creates the loop, the signal handling, the supervisor (which takes
 * cfg) and the local API.  Exits 2 on a start-up error.
 */
void		 boot_init(struct boot *b, const char *argv0,
		    struct config *cfg);
/*
 * Opens the XML-RPC servers of the config ([unix_http_server],
 * [inet_http_server]); exits 2 on an error, removing what it had opened.
 */
void		 boot_servers(struct boot *b);
/* Writes the pidfile, starts the programs and runs the loop until exit. */
void		 boot_run(struct boot *b);
/* Stops every program in order, then leaves the loop. */
void		 boot_quit(struct boot *b);
/* Re-reads the config and applies only the difference. */
void		 boot_reload(struct boot *b);
void		 boot_free(struct boot *b);

#endif
