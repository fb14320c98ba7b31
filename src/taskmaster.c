/* SPDX-License-Identifier: ISC */
/*
 * taskmaster: the supervisor in the foreground of the terminal it was started
 * from, with the control shell on the same event loop.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "core/supervisor.h"
#include "shell/cmd.h"
#include "shell/shell.h"
#include "util/log.h"
#include "util/xmalloc.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

#define TASKMASTER_VERSION	"0.1.0"

struct taskmaster {
	struct boot	 boot;
	struct shell	*sh;
	struct cmd_ctx	 ctx;
};

static void
usage(const char *argv0)
{
	printf("taskmaster -- run a set of applications as daemons, with a "
	    "control shell.\n\n"
	    "Usage: %s [options]\n\n"
	    "Options:\n"
	    "-c/--configuration FILENAME -- configuration file path "
	    "(searches if not given)\n"
	    "-h/--help -- print this usage message and exit\n"
	    "-v/--version -- print taskmaster version number and exit\n",
	    argv0);
	exit(0);
}

static void
tm_on_quit(void *arg)
{
	struct taskmaster	*tm = arg;

	shell_suspend(tm->sh);
}

static int
tm_on_tty_interrupt(void *arg)
{
	struct taskmaster	*tm = arg;

	if (!shell_interactive(tm->sh))
		return 0;
	if (!cmd_interrupt(&tm->ctx))
		shell_interrupt(tm->sh);
	return 1;
}

static void
tm_quit(void *arg)
{
	struct taskmaster	*tm = arg;

	boot_quit(&tm->boot);
}

static void
tm_cmd_done(struct cmd_ctx *ctx)
{
	struct taskmaster	*tm = ctx->arg;

	if (!tm->boot.quitting)
		shell_resume(tm->sh);
}

/* The shell's callbacks share one argument: the command context. */
static void
tm_line(const char *line, void *arg)
{
	struct cmd_ctx		*ctx = arg;
	struct taskmaster	*tm = ctx->arg;

	if (line == NULL) {
		if (shell_interactive(tm->sh))
			shell_printf(tm->sh, "\n");
		boot_quit(&tm->boot);
		return;
	}
	cmd_run(&tm->ctx, line);
}

/* Events above the line being typed; on stderr without a terminal. */
static void
tm_log_sink(enum log_level level, const char *rec, size_t len, void *arg)
{
	struct taskmaster	*tm = arg;
	ssize_t			 n;

	(void)level;
	if (tm->sh != NULL && shell_interactive(tm->sh)) {
		shell_write(tm->sh, rec, len);
		return;
	}
	while (len > 0 && (n = write(STDERR_FILENO, rec, len)) > 0) {
		rec += n;
		len -= (size_t)n;
	}
}

static char *
tm_history_path(const struct config *cfg)
{
	const char	*home = getenv("HOME");

	if (cfg->has_ctl && cfg->ctl.history_file != NULL)
		return xstrdup(cfg->ctl.history_file);
	if (home == NULL || *home == '\0')
		return NULL;
	return xprintf("%s/.taskmaster_history", home);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "configuration", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct taskmaster	 tm;
	struct config		*cfg;
	const char		*path = NULL;
	char			*history;
	int			 ch;

	memset(&tm, 0, sizeof tm);
	/* Whatever we inherited must not reach the programs we start. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	while ((ch = getopt_long(argc, argv, "c:hv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			usage(argv[0]);
			break;
		case 'v':
			printf("%s\n", TASKMASTER_VERSION);
			return 0;
		default:
			boot_usage_error(argv[0], "unknown option");
		}
	}
	if (optind < argc)
		boot_usage_error(argv[0],
		    "positional arguments are not supported");

	cfg = boot_load_config(argv[0], path);
	history = tm_history_path(cfg);
	tm.boot.on_quit = tm_on_quit;
	tm.boot.on_tty_interrupt = tm_on_tty_interrupt;
	tm.boot.arg = &tm;
	boot_init(&tm.boot, argv[0], cfg);
	boot_servers(&tm.boot);

	tm.ctx = (struct cmd_ctx){ .api = tm.boot.api, .base = tm.boot.base,
	    .foreground = 1, .quit = tm_quit, .arg = &tm,
	    .done = tm_cmd_done };
	tm.sh = shell_create(tm.boot.base, "taskmaster> ", history, tm_line,
	    cmd_complete, &tm.ctx);
	free(history);
	tm.ctx.sh = tm.sh;
	log_add_sink(tm_log_sink, LOG_LEVEL_INFO, &tm);
	shell_resume(tm.sh);

	boot_run(&tm.boot);

	log_remove_sink(tm_log_sink, &tm);
	shell_free(tm.sh);
	boot_free(&tm.boot);
	return 0;
}
