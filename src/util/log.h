/* SPDX-License-Identifier: ISC */
/*
 * The main log: supervisord's record format ("2024-01-02 03:04:05,678 INFO
 * message") and wording, written to the log file (rotated) and to any number
 * of sinks, such as the terminal of the foreground shell or stdout of a
 * daemon in the foreground.  This module never touches the terminal itself.
 */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

#include <stddef.h>

#include "config/config.h"

/* A sink gets each whole record, newline included. */
typedef void	(*log_sink_cb)(enum log_level level, const char *record,
		    size_t len, void *arg);

/*
 * Opens the main log file (NULL: none, "syslog": syslog).  Records below
 * level are dropped.  Returns -1 with *cause on error.
 */
int		 log_open(const char *path, long long maxbytes, int backups,
		    char **cause);
void		 log_close(void);
void		 log_set_level(enum log_level level);
enum log_level	 log_get_level(void);
/* Whether a record of this level would be written somewhere. */
int		 log_enabled(enum log_level level);
/* Adds a sink for records at or above minlevel. */
void		 log_add_sink(log_sink_cb cb, enum log_level minlevel, void *arg);
void		 log_remove_sink(log_sink_cb cb, void *arg);
/* The open file's path, or NULL. */
const char	*log_path(void);
int		 log_reopen(void);
int		 log_clear(void);
/* The 4-letter tag of a level: CRIT ERRO WARN INFO DEBG TRAC BLAT. */
const char	*log_level_tag(enum log_level level);

void		 log_msg(enum log_level level, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 log_crit(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_warn(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_info(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_debug(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));
void		 log_trace(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/* Before the loop runs: print "Error: ..." to stderr and exit(2). */
void		 fatalx(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

#endif
