/* SPDX-License-Identifier: ISC */
/*
 * The main log: formats records the way supervisord does and hands them to
 * the log file and the registered sinks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>

#include "log.h"
#include "rotate.h"
#include "xmalloc.h"

#define LOG_MAX_SINKS	8

struct log_sink {
	log_sink_cb	 cb;
	enum log_level	 minlevel;
	void		*arg;
};

static struct {
	struct rotlog	*file;
	int		 use_syslog;
	enum log_level	 level;
	struct log_sink	 sinks[LOG_MAX_SINKS];
	size_t		 nsinks;
} mainlog = { .level = LOG_LEVEL_INFO };

int
log_open(const char *path, long long maxbytes, int backups, char **cause)
{
	log_close();
	if (path == NULL)
		return 0;
	if (strcasecmp(path, "syslog") == 0) {
		openlog("taskmaster", LOG_PID | LOG_NDELAY, LOG_USER);
		mainlog.use_syslog = 1;
		return 0;
	}
	if ((mainlog.file = rotlog_open(path, maxbytes, backups, 0666,
	    cause)) == NULL)
		return -1;
	return 0;
}

void
log_close(void)
{
	rotlog_free(mainlog.file);
	mainlog.file = NULL;
	if (mainlog.use_syslog)
		closelog();
	mainlog.use_syslog = 0;
}

void
log_set_level(enum log_level level)
{
	mainlog.level = level;
}

enum log_level
log_get_level(void)
{
	return mainlog.level;
}

int
log_enabled(enum log_level level)
{
	size_t	 i;

	if ((mainlog.file != NULL || mainlog.use_syslog) &&
	    level >= mainlog.level)
		return 1;
	for (i = 0; i < mainlog.nsinks; i++)
		if (level >= mainlog.sinks[i].minlevel &&
		    level >= mainlog.level)
			return 1;
	return 0;
}

void
log_add_sink(log_sink_cb cb, enum log_level minlevel, void *arg)
{
	if (mainlog.nsinks == LOG_MAX_SINKS)
		return;
	mainlog.sinks[mainlog.nsinks++] = (struct log_sink){ cb, minlevel, arg };
}

void
log_remove_sink(log_sink_cb cb, void *arg)
{
	size_t	 i;

	for (i = 0; i < mainlog.nsinks; i++) {
		if (mainlog.sinks[i].cb == cb && mainlog.sinks[i].arg == arg) {
			memmove(&mainlog.sinks[i], &mainlog.sinks[i + 1],
			    (mainlog.nsinks - i - 1) * sizeof mainlog.sinks[0]);
			mainlog.nsinks--;
			return;
		}
	}
}

const char *
log_path(void)
{
	return mainlog.file != NULL ? mainlog.file->path : NULL;
}

int
log_reopen(void)
{
	return mainlog.file != NULL ? rotlog_reopen(mainlog.file) : 0;
}

int
log_clear(void)
{
	return mainlog.file != NULL ? rotlog_clear(mainlog.file) : -1;
}

const char *
log_level_tag(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_CRITICAL:
		return "CRIT";
	case LOG_LEVEL_ERROR:
		return "ERRO";
	case LOG_LEVEL_WARN:
		return "WARN";
	case LOG_LEVEL_INFO:
		return "INFO";
	case LOG_LEVEL_DEBUG:
		return "DEBG";
	case LOG_LEVEL_TRACE:
		return "TRAC";
	case LOG_LEVEL_BLATHER:
		return "BLAT";
	}
	return "INFO";
}

static int
log_syslog_priority(enum log_level level)
{
	if (level >= LOG_LEVEL_CRITICAL)
		return LOG_CRIT;
	if (level >= LOG_LEVEL_ERROR)
		return LOG_ERR;
	if (level >= LOG_LEVEL_WARN)
		return LOG_WARNING;
	if (level >= LOG_LEVEL_INFO)
		return LOG_INFO;
	return LOG_DEBUG;
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[32], *msg, *rec;
	int		 len;
	size_t		 i;

	if (!log_enabled(level))
		return;
	xvasprintf(&msg, fmt, ap);
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	len = xasprintf(&rec, "%s,%03d %s %s\n", stamp,
	    (int)(tv.tv_usec / 1000), log_level_tag(level), msg);
	if (level >= mainlog.level) {
		if (mainlog.file != NULL)
			rotlog_write(mainlog.file, rec, (size_t)len);
		if (mainlog.use_syslog)
			syslog(log_syslog_priority(level), "%s", msg);
	}
	for (i = 0; i < mainlog.nsinks; i++) {
		if (level >= mainlog.sinks[i].minlevel &&
		    level >= mainlog.level)
			mainlog.sinks[i].cb(level, rec, (size_t)len,
			    mainlog.sinks[i].arg);
	}
	free(rec);
	free(msg);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

#define LOG_LEVEL_FN(fn, level)				\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list	 ap;					\
							\
	va_start(ap, fmt);				\
	log_vmsg(level, fmt, ap);			\
	va_end(ap);					\
}

LOG_LEVEL_FN(log_crit, LOG_LEVEL_CRITICAL)
LOG_LEVEL_FN(log_error, LOG_LEVEL_ERROR)
LOG_LEVEL_FN(log_warn, LOG_LEVEL_WARN)
LOG_LEVEL_FN(log_info, LOG_LEVEL_INFO)
LOG_LEVEL_FN(log_debug, LOG_LEVEL_DEBUG)
LOG_LEVEL_FN(log_trace, LOG_LEVEL_TRACE)

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "Error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}
