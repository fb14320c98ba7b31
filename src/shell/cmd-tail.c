/* SPDX-License-Identifier: ISC */
/*
 * tail and maintail: the last bytes of a log, or (-f) the log followed as it
 * grows until Ctrl-C, a round of follow.c per timer tick.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "cmd.h"
#include "follow.h"
#include "util/xmalloc.h"

#define TAIL_DEFAULT_BYTES	1600
#define TAIL_FOLLOW_MS		100

struct tail_state {
	char		*name;		/* NULL: the main log */
	const char	*read_method;
	const char	*tail_method;
	long long	 bytes;
	int		 follow;
	struct follow	 fl;
	struct event	*ev;
	int		 stopping;
};

static void
tail_free(struct cmd *c)
{
	struct tail_state	*t = c->data;

	if (t->ev != NULL)
		event_free(t->ev);
	follow_clear(&t->fl);
	free(t->name);
	free(t);
	c->data = NULL;
}

static void
tail_stop(struct cmd *c)
{
	tail_free(c);
	cmd_done(c);
}

static void
tail_interrupt(struct cmd *c)
{
	struct tail_state	*t = c->data;

	cmd_printf(c, "\n");
	if (t->fl.busy) {
		t->stopping = 1;
		return;
	}
	tail_stop(c);
}

static void
tail_error(struct cmd *c, const struct api_reply *r)
{
	struct tail_state	*t = c->data;
	const char		*who = t->name != NULL ? t->name : "supervisord";

	if (r->fault == API_NO_FILE)
		cmd_printf(c, "%s: ERROR (no log file)\n", who);
	else if (r->fault == API_BAD_NAME)
		cmd_printf(c, "%s: ERROR (no such process name)\n", who);
	else
		cmd_printf(c, "%s: ERROR (unknown error reading log)\n", who);
	cmd_set_exit(c, 1);
}

/* A stop requested while a call was out ends it now; so does a fault. */
static int
tail_follow_answer(struct follow *f, const struct api_reply *r)
{
	struct cmd		*c = f->arg;
	struct tail_state	*t = c->data;

	if (t->stopping) {
		tail_stop(c);
		return 1;
	}
	if (r->result == NULL) {
		tail_error(c, r);
		tail_stop(c);
		return 1;
	}
	return 0;
}

static void
tail_follow_write(struct follow *f, const char *buf, size_t len)
{
	cmd_write(f->arg, buf, len);
}

static void
tail_follow_idle(struct follow *f)
{
	struct cmd		*c = f->arg;
	struct tail_state	*t = c->data;
	struct timeval		 tv = { 0, TAIL_FOLLOW_MS * 1000 };

	evtimer_add(t->ev, &tv);
}

static const struct follow_ops tail_follow_ops = {
	tail_follow_answer, tail_follow_write, tail_follow_idle
};

static void
tail_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cmd		*c = arg;
	struct tail_state	*t = c->data;

	(void)fd;
	(void)what;
	follow_round(&t->fl);
}

static void
tail_read_reply(const struct api_reply *r, void *arg)
{
	struct cmd		*c = arg;

	if (r->result == NULL) {
		tail_error(c, r);
		tail_stop(c);
		return;
	}
	cmd_write(c, r->result->u.str.ptr, r->result->u.str.len);
	cmd_printf(c, "\n");
	tail_stop(c);
}

static void
tail_begin(struct cmd *c, struct tail_state *t)
{
	struct value	*params;

	c->data = t;
	if (!t->follow) {
		params = value_array();
		if (t->name != NULL)
			value_array_push(params, value_string(t->name));
		value_array_push(params, value_int(-t->bytes));
		value_array_push(params, value_int(0));
		api_call(c->ctx->api, t->read_method, params, tail_read_reply,
		    c);
		return;
	}
	cmd_printf(c, "==> Press Ctrl-C to exit <==\n");
	t->ev = evtimer_new(c->ctx->base, tail_timer_cb, c);
	follow_init(&t->fl, c->ctx->api, t->name, t->tail_method,
	    t->read_method, t->bytes, &tail_follow_ops, c);
	c->interrupt = tail_interrupt;
	follow_round(&t->fl);
}

/* -f or -N; returns -1 on a bad modifier. */
static int
tail_modifier(struct tail_state *t, const char *arg)
{
	const char	*p;

	if (strcmp(arg, "-f") == 0) {
		t->follow = 1;
		return 0;
	}
	for (p = arg + 1; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (p == arg + 1)
		return -1;
	t->bytes = strtoll(arg + 1, NULL, 10);
	return 0;
}

/* supervisorctl adds the usage only for a wrong number of arguments. */
static void __attribute__((format(printf, 4, 5)))
tail_fail(struct cmd *c, struct tail_state *t, int usage, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	cmd_printf(c, "%s", msg);
	free(msg);
	if (usage)
		cmd_usage(c);
	cmd_set_exit(c, 1);
	free(t->name);
	free(t);
	cmd_done(c);
}

void
cmd_tail_exec(struct cmd *c)
{
	struct tail_state	*t;
	int			 i = 1;
	const char		*channel = "stdout";
	char			 lower[16];
	size_t			 k;

	t = xcalloc(1, sizeof *t);
	t->bytes = TAIL_DEFAULT_BYTES;
	if (c->argc > 4) {
		tail_fail(c, t, 1, "Error: too many arguments\n");
		return;
	}
	if (c->argc < 2) {
		tail_fail(c, t, 1, "Error: too few arguments\n");
		return;
	}
	if (c->argv[i][0] == '-') {
		if (tail_modifier(t, c->argv[i]) != 0) {
			tail_fail(c, t, 0, "Error: bad argument %s\n", c->argv[i]);
			return;
		}
		i++;
	}
	if (i >= c->argc) {
		tail_fail(c, t, 0, "Error: tail requires process name\n");
		return;
	}
	t->name = xstrdup(c->argv[i++]);
	if (i < c->argc) {
		for (k = 0; k + 1 < sizeof lower && c->argv[i][k]; k++)
			lower[k] = (char)tolower((unsigned char)c->argv[i][k]);
		lower[k] = '\0';
		if (strcmp(lower, "stdout") != 0 &&
		    strcmp(lower, "stderr") != 0) {
			tail_fail(c, t, 0, "Error: bad channel '%s'\n", lower);
			return;
		}
		channel = strcmp(lower, "stderr") == 0 ? "stderr" : "stdout";
	}
	t->read_method = strcmp(channel, "stderr") == 0 ?
	    "supervisor.readProcessStderrLog" :
	    "supervisor.readProcessStdoutLog";
	t->tail_method = strcmp(channel, "stderr") == 0 ?
	    "supervisor.tailProcessStderrLog" :
	    "supervisor.tailProcessStdoutLog";
	tail_begin(c, t);
}

void
cmd_maintail_exec(struct cmd *c)
{
	struct tail_state	*t;

	t = xcalloc(1, sizeof *t);
	t->bytes = TAIL_DEFAULT_BYTES;
	if (c->argc > 2) {
		tail_fail(c, t, 1, "Error: too many arguments\n");
		return;
	}
	if (c->argc == 2 && tail_modifier(t, c->argv[1]) != 0) {
		tail_fail(c, t, 0, "Error: bad argument %s\n", c->argv[1]);
		return;
	}
	t->read_method = "supervisor.readLog";
	t->tail_method = "taskmaster.tailLog";
	tail_begin(c, t);
}
