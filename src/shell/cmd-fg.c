/* SPDX-License-Identifier: ISC */
/*
 * fg and open.  fg puts a running process in the foreground: its stdout and
 * stderr logs are followed as tail -f follows one (follow.c), while every
 * line typed goes to its stdin.  open switches
 * taskmasterctl to another server through the backend's client.open.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "cmd.h"
#include "follow.h"
#include "util/xmalloc.h"

#define FG_POLL_MS	100
/* What supervisord's /logtail sends first, which supervisorctl shows. */
#define FG_FIRST_BYTES	1024
#define FG_READ_SIZE	4096
#define FG_STATE_RUNNING 20

struct fg_state {
	char			*name;
	struct follow		 ch[2];		/* stdout, then stderr */
	struct event		*timer;
	struct event		*input;		/* NULL: stdin read directly */
	struct evbuffer		*in;
	int			 in_eof;
	int			 sending;	/* a line is out: input waits */
	int			 pending;	/* calls not answered yet */
	int			 ending;
};

static void	fg_input_pump(struct cmd *c);

/* Ends once no call is out any more; nothing of c may be used after. */
static void
fg_maybe_done(struct cmd *c)
{
	struct fg_state	*fg = c->data;

	if (fg->pending > 0 || fg->ch[0].busy || fg->ch[1].busy)
		return;
	follow_clear(&fg->ch[0]);
	follow_clear(&fg->ch[1]);
	if (fg->timer != NULL)
		event_free(fg->timer);
	if (fg->input != NULL)
		event_free(fg->input);
	evbuffer_free(fg->in);
	free(fg->name);
	free(fg);
	c->data = NULL;
	cmd_done(c);
}

static void
fg_end(struct cmd *c, const char *why)
{
	struct fg_state	*fg = c->data;

	if (fg->ending)
		return;
	fg->ending = 1;
	c->interrupt = NULL;
	evtimer_del(fg->timer);
	if (fg->input != NULL)
		event_del(fg->input);
	if (why != NULL)
		cmd_printf(c, "%s\n", why);
	cmd_printf(c, "Exiting foreground\n");
	fg_maybe_done(c);
}

/* Counts the answer in; 1 if fg is ending and the answer must be dropped. */
static int
fg_answered(struct cmd *c)
{
	struct fg_state	*fg = c->data;

	fg->pending--;
	if (!fg->ending)
		return 0;
	fg_maybe_done(c);
	return 1;
}

static void
fg_fault(struct cmd *c, const struct api_reply *r)
{
	char	*why;

	why = xprintf("ERROR: %s", r->fault_string);
	fg_end(c, why);
	free(why);
}

static void
fg_interrupt(struct cmd *c)
{
	fg_end(c, NULL);
}

/* ---- output ---- */

static void
fg_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cmd	*c = arg;
	struct fg_state	*fg = c->data;

	(void)fd;
	(void)what;
	follow_round(&fg->ch[0]);
}

static int
fg_follow_answer(struct follow *f, const struct api_reply *r)
{
	struct cmd	*c = f->arg;
	struct fg_state	*fg = c->data;

	if (fg->ending) {
		fg_maybe_done(c);
		return 1;
	}
	if (r->result == NULL) {
		fg_fault(c, r);
		return 1;
	}
	return 0;
}

static void
fg_follow_write(struct follow *f, const char *buf, size_t len)
{
	cmd_write(f->arg, buf, len);
}

/* stdout's round, then stderr's, then a pause. */
static void
fg_follow_idle(struct follow *f)
{
	struct cmd	*c = f->arg;
	struct fg_state	*fg = c->data;
	struct timeval	 tv = { 0, FG_POLL_MS * 1000 };

	if (f == &fg->ch[0]) {
		follow_round(&fg->ch[1]);
		return;
	}
	evtimer_add(fg->timer, &tv);
	/* Input that cannot be waited for is taken at each round. */
	if (fg->input == NULL)
		fg_input_pump(c);
}

static const struct follow_ops fg_follow_ops = {
	fg_follow_answer, fg_follow_write, fg_follow_idle
};

/* ---- input ---- */

static void
fg_check_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;
	struct fg_state	*fg = c->data;

	if (fg_answered(c))
		return;
	if (r->result == NULL) {
		fg_fault(c, r);
		return;
	}
	if (value_get_int(r->result, "state", 0) != FG_STATE_RUNNING) {
		fg_end(c, "Process got killed");
		return;
	}
	fg->sending = 0;
	if (fg->input != NULL)
		event_add(fg->input, NULL);
	fg_input_pump(c);
}

static void
fg_sent_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;
	struct fg_state	*fg = c->data;

	if (fg_answered(c))
		return;
	if (r->result == NULL) {
		if (r->fault == API_NOT_RUNNING)
			fg_end(c, "Process got killed");
		else
			fg_fault(c, r);
		return;
	}
	/* supervisorctl looks at the state after every line it sends. */
	fg->pending++;
	api_callf(c->ctx->api, fg_check_reply, c, "supervisor.getProcessInfo",
	    "s", fg->name);
}

/* Reads what stdin has; a regular file or /dev/null never blocks. */
static void
fg_input_read(struct fg_state *fg)
{
	int	 n;

	for (;;) {
		n = evbuffer_read(fg->in, STDIN_FILENO, FG_READ_SIZE);
		if (n > 0 && fg->input == NULL)
			continue;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK))
			fg->in_eof = 1;
		return;
	}
}

/* Sends the next complete line, or ends at end of input. */
static void
fg_input_pump(struct cmd *c)
{
	struct fg_state	*fg = c->data;
	char		*line, *text;
	size_t		 len;

	if (fg->sending || fg->ending)
		return;
	if (fg->input == NULL && !fg->in_eof)
		fg_input_read(fg);
	line = evbuffer_readln(fg->in, &len, EVBUFFER_EOL_LF);
	if (line == NULL && fg->in_eof &&
	    (len = evbuffer_get_length(fg->in)) > 0) {
		line = xmalloc(len + 1);
		evbuffer_remove(fg->in, line, len);
		line[len] = '\0';
	}
	if (line == NULL) {
		if (fg->in_eof)
			fg_end(c, NULL);
		return;
	}
	text = xprintf("%s\n", line);
	free(line);
	fg->sending = 1;
	if (fg->input != NULL)
		event_del(fg->input);
	fg->pending++;
	api_callf(c->ctx->api, fg_sent_reply, c, "supervisor.sendProcessStdin",
	    "ss", fg->name, text);
	free(text);
}

static void
fg_input_cb(evutil_socket_t fd, short what, void *arg)
{
	struct cmd	*c = arg;

	(void)fd;
	(void)what;
	fg_input_read(c->data);
	fg_input_pump(c);
}

/*
 * Input is read from stdin itself while the shell is suspended.  Lines the
 * shell had already read from a pipe stay with the shell.
 */
static void
fg_begin(struct cmd *c)
{
	struct fg_state	*fg = c->data;
	struct stat	 sb;

	cmd_printf(c, "==> Press Ctrl-C to exit <==\n");
	fg->timer = evtimer_new(c->ctx->base, fg_timer_cb, c);
	fg->in = evbuffer_new();
	if (fg->timer == NULL || fg->in == NULL)
		abort();
	/* epoll refuses regular files and /dev/null, always readable anyway. */
	if (isatty(STDIN_FILENO) || (fstat(STDIN_FILENO, &sb) == 0 &&
	    (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode)))) {
		fg->input = event_new(c->ctx->base, STDIN_FILENO,
		    EV_READ | EV_PERSIST, fg_input_cb, c);
		if (fg->input == NULL)
			abort();
		event_add(fg->input, NULL);
	}
	c->interrupt = fg_interrupt;
	follow_round(&fg->ch[0]);
}

static void
fg_info_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;
	struct fg_state	*fg = c->data;

	if (r->result == NULL || value_get_int(r->result, "state", 0) !=
	    FG_STATE_RUNNING) {
		if (r->result != NULL)
			cmd_printf(c, "ERROR: process not running\n");
		else if (r->fault == API_BAD_NAME)
			cmd_printf(c, "ERROR: bad process name supplied\n");
		else
			cmd_printf(c, "ERROR: %s\n", r->fault_string);
		if (r->result != NULL || r->fault == API_BAD_NAME)
			cmd_set_exit(c, 1);
		free(fg->name);
		free(fg);
		c->data = NULL;
		cmd_done(c);
		return;
	}
	fg_begin(c);
}

void
cmd_fg_exec(struct cmd *c)
{
	struct fg_state	*fg;

	if (c->argc < 2) {
		cmd_printf(c, "ERROR: no process name supplied\n");
		cmd_usage(c);
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	if (c->argc > 2) {
		cmd_printf(c, "ERROR: too many process names supplied\n");
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	fg = xcalloc(1, sizeof *fg);
	fg->name = xstrdup(c->argv[1]);
	follow_init(&fg->ch[0], c->ctx->api, fg->name,
	    "supervisor.tailProcessStdoutLog",
	    "supervisor.readProcessStdoutLog", FG_FIRST_BYTES,
	    &fg_follow_ops, c);
	follow_init(&fg->ch[1], c->ctx->api, fg->name,
	    "supervisor.tailProcessStderrLog",
	    "supervisor.readProcessStderrLog", FG_FIRST_BYTES,
	    &fg_follow_ops, c);
	c->data = fg;
	api_callf(c->ctx->api, fg_info_reply, c, "supervisor.getProcessInfo",
	    "s", fg->name);
}

/* ---- open ---- */

static void
cmd_open_reply(const struct api_reply *r, void *arg)
{
	struct cmd	*c = arg;

	if (r->result == NULL) {
		cmd_printf(c, "ERROR: %s\n", r->fault_string);
		cmd_set_exit(c, 1);
	}
	cmd_done(c);
}

/* The scheme as Python's urlparse finds it: "http" in "HTTP://x". */
static int
cmd_open_scheme_ok(const char *url)
{
	size_t	 n = 0;
	char	 scheme[8];

	while (url[n] != ':' && url[n] != '\0' && n < sizeof scheme - 1) {
		scheme[n] = (char)tolower((unsigned char)url[n]);
		n++;
	}
	if (url[n] != ':')
		return 0;
	scheme[n] = '\0';
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "unix") == 0;
}

/*
 * supervisorctl takes the whole rest of the line as the URL and checks only
 * its scheme; taskmasterctl shows the status of the new server afterwards.
 */
void
cmd_open_exec(struct cmd *c)
{
	char	*url, *tmp;
	int	 i;

	url = xstrdup(c->argc > 1 ? c->argv[1] : "");
	for (i = 2; i < c->argc; i++) {
		tmp = xprintf("%s %s", url, c->argv[i]);
		free(url);
		url = tmp;
	}
	if (!cmd_open_scheme_ok(url)) {
		free(url);
		cmd_printf(c, "ERROR: url must be http:// or unix://\n");
		cmd_set_exit(c, 1);
		cmd_done(c);
		return;
	}
	api_callf(c->ctx->api, cmd_open_reply, c, "client.open", "s", url);
	free(url);
}
