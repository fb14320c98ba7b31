/* SPDX-License-Identifier: ISC */
/*
 * taskmasterctl: supervisorctl for a taskmasterd or a supervisord, over
 * XML-RPC.  The commands are the foreground shell's (shell/cmd.c); this file
 * adds what only the client does: its command line, finding the server, the
 * up-check before a command, asking for credentials, and Ctrl-C leaving the
 * shell as it does in supervisorctl.
 */
#include <sys/signalfd.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <event2/event.h>

#include "api/api-remote.h"
#include "config/config.h"
#include "shell/cmd.h"
#include "shell/shell.h"
#include "util/xmalloc.h"

#define CTL_DEFAULT_URL		"http://localhost:9001"
#define CTL_DEFAULT_PROMPT	"supervisor"
#define CTL_API_VERSION		"3.0"

/* supervisorctl's exit statuses (spec 7.5). */
#define CTL_EXIT_GENERIC	1
#define CTL_EXIT_USAGE		2
#define CTL_EXIT_UNIMPLEMENTED	3
#define CTL_EXIT_PRIVILEGES	4
#define CTL_EXIT_NOT_INSTALLED	5
#define CTL_EXIT_NOT_RUNNING	7
#define CTL_STATUS_UNKNOWN	4

struct ctl {
	const char		*argv0;
	struct event_base	*base;
	struct api		*api;
	struct shell		*sh;
	struct cmd_ctx		 ctx;
	int			 sigfd;
	struct event		*sig_ev;
	struct event		*resume_ev;

	char			*line;		/* the line being handled */
	char			*word;		/* its command word, or NULL */
	int			 busy;		/* until the line is done */
	int			 finished;	/* the action is done */
	int			 shell_on;	/* lines come from the shell */
	int			 opening;	/* status after open */
	int			 quitting;
	int			 leave_sig;	/* a signal ends the program */
};

/* Commands that skip the up-check (spec 7.1); they still meet a 401. */
static const char *const ctl_unchecked[] = { "add", "remove", "update",
    "reread", "avail", "shutdown", "reload", NULL };
/* Commands that do not talk to the server before their body runs. */
static const char *const ctl_offline[] = { "open", "help", "quit", "exit",
    NULL };

static void	ctl_dispatch(struct ctl *ctl, const char *line);

static void __attribute__((noreturn))
ctl_usage_error(const char *argv0, const char *fmt, ...)
{
	va_list	 ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nFor help, use %s -h\n", argv0);
	exit(CTL_EXIT_USAGE);
}

static void __attribute__((noreturn))
ctl_help(const char *argv0)
{
	const char	*name = strrchr(argv0, '/');

	/* Named as called: installed as supervisorctl, it says so. */
	name = name != NULL ? name + 1 : argv0;
	printf("%s -- control applications run by taskmasterd or "
	    "supervisord from the cmd line.\n\n"
	    "Usage: %s [options] [action [arguments]]\n\n"
	    "Options:\n"
	    "-c/--configuration FILENAME -- configuration file path "
	    "(searches if not given)\n"
	    "-h/--help -- print usage message and exit\n"
	    "-i/--interactive -- start an interactive shell after executing "
	    "commands\n"
	    "-s/--serverurl URL -- URL on which the server is listening\n"
	    "     (default \"%s\").\n"
	    "-u/--username USERNAME -- username to use for authentication "
	    "with server\n"
	    "-p/--password PASSWORD -- password to use for authentication "
	    "with server\n"
	    "-r/--history-file FILENAME -- keep a readline history\n\n"
	    "action [arguments] -- see below\n\n"
	    "Actions are commands like \"tail\" or \"stop\".  If -i is "
	    "specified or no action is\nspecified on the command line, a "
	    "\"shell\" interpreting actions typed\ninteractively is started.  "
	    "Use the action \"help\" to find out about available\nactions.\n",
	    name, argv0, CTL_DEFAULT_URL);
	exit(0);
}

static int
ctl_listed(const char *const *list, const char *word)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, word) == 0)
			return 1;
	return 0;
}

/* Output outside a command: through the shell if there is one. */
static void __attribute__((format(printf, 2, 3)))
ctl_printf(struct ctl *ctl, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;
	ssize_t	 w;
	size_t	 off = 0;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	if (ctl->sh != NULL)
		shell_write(ctl->sh, s, (size_t)n);
	else {
		while (off < (size_t)n &&
		    (w = write(STDOUT_FILENO, s + off, (size_t)n - off)) > 0)
			off += (size_t)w;
	}
	free(s);
}

/* ---- signals ---- */

/* Takes what arrived; returns the last signal, or 0. */
static int
ctl_take_signals(struct ctl *ctl)
{
	struct signalfd_siginfo	 si;
	int			 sig = 0;

	while (read(ctl->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
		sig = (int)si.ssi_signo;
	return sig;
}

static void
ctl_leave(struct ctl *ctl)
{
	ctl->quitting = 1;
	ctl->finished = 1;
}

/*
 * Ctrl-C stops tail -f and fg, answers a question with no, and otherwise
 * leaves, as KeyboardInterrupt does in supervisorctl.
 */
static void
ctl_signal_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl	*ctl = arg;
	int		 sig;

	(void)fd;
	(void)what;
	if ((sig = ctl_take_signals(ctl)) == 0)
		return;
	if (sig == SIGINT) {
		if (cmd_interrupt(&ctl->ctx))
			return;
		if (ctl->busy && ctl->sh != NULL &&
		    shell_interactive(ctl->sh)) {
			shell_interrupt(ctl->sh);
			return;
		}
	}
	ctl->leave_sig = sig;
	ctl_leave(ctl);
}

/* Called during requests: a signal makes the request give up. */
static int
ctl_interrupt_check(void *arg)
{
	struct ctl	*ctl = arg;
	struct cmd	*c = ctl->ctx.running;

	/* tail -f and fg stop on Ctrl-C between their calls. */
	if (c != NULL && c->interrupt != NULL)
		return 0;
	if (ctl->leave_sig == 0)
		ctl->leave_sig = ctl_take_signals(ctl);
	return ctl->leave_sig != 0;
}

static void
ctl_signals(struct ctl *ctl)
{
	sigset_t	 set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ctl->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (ctl->sigfd == -1) {
		fprintf(stderr, "signalfd: %s\n", strerror(errno));
		exit(CTL_EXIT_GENERIC);
	}
	ctl->sig_ev = event_new(ctl->base, ctl->sigfd, EV_READ | EV_PERSIST,
	    ctl_signal_cb, ctl);
	event_add(ctl->sig_ev, NULL);
	api_remote_set_interrupt(ctl_interrupt_check, ctl);
}

/* The signal that ended us ends us again, with its default action. */
static void
ctl_reraise(int sig)
{
	sigset_t	 set;

	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
}

/* ---- credentials ---- */

/*
 * Reads a line from the terminal, without echo for a password; -1 at end
 * of input or when a signal comes (Ctrl-C is blocked, so it is watched).
 */
static int
ctl_read_tty(struct ctl *ctl, const char *prompt, int echo, char **out)
{
	struct termios	 saved, t;
	struct pollfd	 pfd[2];
	char		*buf = xstrdup(""), ch;
	size_t		 len = 0;
	int		 rc = -1, restore = 0;
	ssize_t		 n;

	ctl_printf(ctl, "%s", prompt);
	if (!echo && tcgetattr(STDIN_FILENO, &saved) == 0) {
		t = saved;
		t.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0;
	}
	for (;;) {
		pfd[0] = (struct pollfd){ STDIN_FILENO, POLLIN, 0 };
		pfd[1] = (struct pollfd){ ctl->sigfd, POLLIN, 0 };
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if ((pfd[1].revents & POLLIN) &&
		    (ctl->leave_sig = ctl_take_signals(ctl)) != 0)
			break;
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if ((n = read(STDIN_FILENO, &ch, 1)) == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (ch == '\n') {
			rc = 0;
			break;
		}
		buf = xrealloc(buf, len + 2);
		buf[len++] = ch;
		buf[len] = '\0';
	}
	if (restore)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	if (!echo)
		ctl_printf(ctl, "\n");
	if (rc == 0)
		*out = buf;
	else
		free(buf);
	return rc;
}

static void
ctl_ignore_reply(const struct api_reply *r, void *arg)
{
	(void)r;
	(void)arg;
}

static void
ctl_finish(struct ctl *ctl, int exitcode)
{
	ctl->ctx.exitcode = exitcode;
	ctl->ctx.done(&ctl->ctx);
}

/*
 * HTTP 401: on a terminal, supervisorctl asks for a user name and password
 * and runs the line again; otherwise the command fails (without the second
 * try and the error line supervisorctl adds).
 */
static void
ctl_unauthorized(struct ctl *ctl)
{
	char	*user = NULL, *pass = NULL, *line;

	ctl_printf(ctl, "Server requires authentication\n");
	if (ctl->sh == NULL || !shell_interactive(ctl->sh) ||
	    ctl_read_tty(ctl, "Username:", 1, &user) != 0 ||
	    ctl_read_tty(ctl, "Password:", 0, &pass) != 0) {
		free(user);
		ctl_finish(ctl, CTL_EXIT_GENERIC);
		return;
	}
	ctl_printf(ctl, "\n");
	api_callf(ctl->api, ctl_ignore_reply, NULL, "client.login", "ss", user,
	    pass);
	free(user);
	free(pass);
	line = xstrdup(ctl->line);
	ctl_dispatch(ctl, line);
	free(line);
}

/* ---- the up-check ---- */

/*
 * What a failed up-check prints; returns the exit status.  *raised is set
 * for the failures supervisorctl raises as exceptions rather than reports.
 */
static int
ctl_upcheck_failed(struct ctl *ctl, const struct api_reply *r, int *raised)
{
	*raised = 0;
	if (r->result != NULL) {
		ctl_printf(ctl, "Sorry, this version of supervisorctl expects "
		    "to talk to a server with API version %s, but the remote "
		    "version is %s.\n", CTL_API_VERSION,
		    r->result->type == VALUE_STRING ? r->result->u.str.ptr :
		    "unknown");
		return CTL_EXIT_NOT_INSTALLED;
	}
	switch (r->fault) {
	case API_UNKNOWN_METHOD:
		ctl_printf(ctl, "Sorry, supervisord responded but did not "
		    "recognize the supervisor namespace commands that "
		    "supervisorctl uses to control it.  Please check that the "
		    "[rpcinterface:supervisor] section is enabled in the "
		    "configuration file (see sample.conf).\n");
		return CTL_EXIT_UNIMPLEMENTED;
	case API_REMOTE_REFUSED:
		ctl_printf(ctl, "%s\n", r->fault_string);
		return CTL_EXIT_PRIVILEGES;
	case API_REMOTE_NO_SOCKET:
		ctl_printf(ctl, "%s\n", r->fault_string);
		return CTL_EXIT_NOT_RUNNING;
	}
	/* supervisorctl prints the exception and its place in the code. */
	if (r->fault >= API_REMOTE_REFUSED)
		ctl_printf(ctl, "error: %s\n", r->fault_string);
	else
		ctl_printf(ctl, "error: <Fault %d: '%s'>\n", r->fault,
		    r->fault_string);
	*raised = 1;
	return CTL_EXIT_GENERIC;
}

static void
ctl_upcheck_reply(const struct api_reply *r, void *arg)
{
	struct ctl	*ctl = arg;
	int		 code, raised;

	if (r->fault == API_REMOTE_INTERRUPTED) {
		ctl_finish(ctl, CTL_EXIT_GENERIC);
		return;
	}
	if (r->fault == API_REMOTE_UNAUTHORIZED) {
		ctl_unauthorized(ctl);
		return;
	}
	if (ctl_listed(ctl_unchecked, ctl->word) || (r->result != NULL &&
	    r->result->type == VALUE_STRING &&
	    strcmp(r->result->u.str.ptr, CTL_API_VERSION) == 0)) {
		cmd_run(&ctl->ctx, ctl->line);
		return;
	}
	code = ctl_upcheck_failed(ctl, r, &raised);
	/* status turns the up-check's own verdicts into "unknown". */
	if (!raised && strcmp(ctl->word, "status") == 0)
		code = CTL_STATUS_UNKNOWN;
	ctl_finish(ctl, code);
}

/*
 * Runs one line.  Commands that talk to the server are preceded by
 * supervisor.getVersion: the up-check of spec 7.1, or for the commands
 * supervisorctl does not check, only a look for a 401, so that every
 * command asks for credentials the same way.
 */
static void
ctl_dispatch(struct ctl *ctl, const char *line)
{
	const char	*p = line + strspn(line, " \t\r\n\f\v");

	free(ctl->line);
	free(ctl->word);
	ctl->line = xstrdup(line);
	ctl->word = *p != '\0' ? xstrndup(p, strcspn(p, " \t\r\n\f\v")) : NULL;
	ctl->busy = 1;
	if (ctl->word == NULL || cmd_find(ctl->word, 0) == NULL ||
	    ctl_listed(ctl_offline, ctl->word)) {
		cmd_run(&ctl->ctx, ctl->line);
		return;
	}
	api_call(ctl->api, "supervisor.getVersion", NULL, ctl_upcheck_reply,
	    ctl);
}

/* ---- the shell ---- */

static void
ctl_cmd_done(struct cmd_ctx *ctx)
{
	struct ctl	*ctl = ctx->arg;

	ctl->busy = 0;
	if (ctl->leave_sig != 0) {
		ctl_leave(ctl);
		return;
	}
	if (ctl->opening) {
		/* open keeps its own exit status, as in supervisorctl. */
		ctl->opening = 0;
		ctx->exitcode = 0;
	} else if (ctl->word != NULL && strcmp(ctl->word, "open") == 0 &&
	    ctx->exitcode == 0) {
		ctl->opening = 1;
		ctl_dispatch(ctl, "status");
		return;
	}
	ctl->finished = 1;
	/* From the loop, so that quit can end the shell before it prompts. */
	if (ctl->shell_on && !ctl->quitting)
		event_active(ctl->resume_ev, 0, 0);
}

static void
ctl_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ctl	*ctl = arg;

	(void)fd;
	(void)what;
	if (!ctl->quitting)
		shell_resume(ctl->sh);
}

/* quit, exit and end of input print an empty line, like supervisorctl. */
static void
ctl_quit(void *arg)
{
	struct ctl	*ctl = arg;

	ctl_printf(ctl, "\n");
	ctl->quitting = 1;
	ctl->finished = 1;
}

static void
ctl_line(const char *line, void *arg)
{
	struct cmd_ctx	*ctx = arg;
	struct ctl	*ctl = ctx->arg;

	if (line == NULL) {
		ctl_quit(ctl);
		return;
	}
	ctl_dispatch(ctl, line);
}

static void
ctl_loop(struct ctl *ctl)
{
	while (!ctl->quitting && !(ctl->finished && !ctl->shell_on))
		event_base_loop(ctl->base, EVLOOP_ONCE);
}

/* ---- the command line ---- */

struct ctl_opts {
	const char	*config;
	const char	*serverurl;
	const char	*username;
	const char	*password;
	const char	*history;
	int		 interactive;
};

/* urlparse's verdict, as supervisorctl checks -s: a scheme and more. */
static int
ctl_is_url(const char *s)
{
	const char	*colon = strchr(s, ':'), *p;

	if (colon == NULL || colon == s ||
	    !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (p = s; p < colon; p++)
		if (!isalnum((unsigned char)*p) && strchr("+-.", *p) == NULL)
			return 0;
	p = colon + 1;
	if (strncmp(p, "//", 2) == 0)
		p += 2;
	return *p != '\0';
}

static void
ctl_parse_args(int argc, char **argv, struct ctl_opts *o)
{
	static const struct option longopts[] = {
		{ "configuration", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "interactive", no_argument, NULL, 'i' },
		{ "serverurl", required_argument, NULL, 's' },
		{ "username", required_argument, NULL, 'u' },
		{ "password", required_argument, NULL, 'p' },
		{ "history_file", required_argument, NULL, 'r' },
		{ "history-file", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch, li = -1;

	opterr = 0;
	/* "+": the action's own words ("tail -f x") are not options. */
	while ((ch = getopt_long(argc, argv, "+:c:his:u:p:r:", longopts,
	    &li)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'h':
			ctl_help(argv[0]);
		case 'i':
			o->interactive = 1;
			break;
		case 's':
			if (!ctl_is_url(optarg))
				ctl_usage_error(argv[0], "invalid value for %s "
				    "'%s': value '%s' is not a URL",
				    li >= 0 ? "--serverurl" : "-s", optarg,
				    optarg);
			o->serverurl = optarg;
			break;
		case 'u':
			o->username = optarg;
			break;
		case 'p':
			o->password = optarg;
			break;
		case 'r':
			o->history = optarg;
			break;
		case ':':
			ctl_usage_error(argv[0], "option %s requires argument",
			    argv[optind - 1]);
		default:
			/* supervisorctl takes -? for -h. */
			if (optopt == '?')
				ctl_help(argv[0]);
			if (optopt != 0)
				ctl_usage_error(argv[0], "option -%c not "
				    "recognized", optopt);
			ctl_usage_error(argv[0], "option %.*s not recognized",
			    (int)strcspn(argv[optind - 1], "="),
			    argv[optind - 1]);
		}
		li = -1;
	}
}

/*
 * -c FILE, else the first file of the search list, else nothing.  Unlike
 * supervisorctl, a file without [supervisorctl] just leaves the defaults.
 */
static struct config *
ctl_load_config(const char *argv0, const char *path)
{
	struct config	*cfg;
	char		*found = NULL, *cause = NULL;

	if (path == NULL && (path = found = config_find_default(argv0)) ==
	    NULL)
		return NULL;
	if ((cfg = config_load_client(path, &cause)) == NULL)
		ctl_usage_error(argv0, "%s", cause);
	free(found);
	return cfg;
}

static char *
ctl_join(int argc, char **argv)
{
	char	*line = xstrdup(""), *tmp;
	int	 i;

	for (i = 0; i < argc; i++) {
		tmp = xprintf("%s%s%s", line, i > 0 ? " " : "", argv[i]);
		free(line);
		line = tmp;
	}
	return line;
}

/* Command line > [supervisorctl] > defaults; the shell if one is wanted. */
static void
ctl_setup(struct ctl *ctl, const struct ctl_opts *o, int want_shell)
{
	struct config		*cfg;
	const struct ctl_config	*cc = NULL;
	char			*cause = NULL, *prompt;
	const char		*url, *user, *pass, *history;

	cfg = ctl_load_config(ctl->argv0, o->config);
	if (cfg != NULL)
		cc = &cfg->ctl;
	url = o->serverurl != NULL ? o->serverurl : cc != NULL &&
	    cc->serverurl != NULL ? cc->serverurl : CTL_DEFAULT_URL;
	user = o->username != NULL ? o->username : cc != NULL ? cc->username :
	    NULL;
	pass = o->password != NULL ? o->password : cc != NULL ? cc->password :
	    NULL;
	history = o->history != NULL ? o->history : cc != NULL ?
	    cc->history_file : NULL;
	if ((ctl->api = api_remote_create(url, user, pass, &cause)) == NULL)
		ctl_usage_error(ctl->argv0, "%s", cause);

	if ((ctl->base = event_base_new()) == NULL) {
		fprintf(stderr, "cannot create the event loop\n");
		exit(CTL_EXIT_GENERIC);
	}
	ctl_signals(ctl);
	ctl->resume_ev = event_new(ctl->base, -1, 0, ctl_resume_cb, ctl);
	ctl->ctx = (struct cmd_ctx){ .api = ctl->api, .base = ctl->base,
	    .foreground = 0, .quit = ctl_quit, .arg = ctl,
	    .done = ctl_cmd_done };
	if (want_shell) {
		prompt = xprintf("%s> ", cc != NULL && cc->prompt != NULL ?
		    cc->prompt : CTL_DEFAULT_PROMPT);
		ctl->sh = shell_create(ctl->base, prompt, history, ctl_line,
		    cmd_complete, &ctl->ctx);
		ctl->ctx.sh = ctl->sh;
		free(prompt);
	}
	config_free(cfg);
}

int
main(int argc, char **argv)
{
	struct ctl	 ctl;
	struct ctl_opts	 o;
	char		*action;
	int		 exitcode = 0, sig;

	memset(&ctl, 0, sizeof ctl);
	memset(&o, 0, sizeof o);
	ctl.argv0 = argv[0];
	ctl.sigfd = -1;
	ctl_parse_args(argc, argv, &o);
	ctl_setup(&ctl, &o, o.interactive || optind == argc);

	if (optind < argc) {
		action = ctl_join(argc - optind, argv + optind);
		ctl_dispatch(&ctl, action);
		free(action);
		ctl_loop(&ctl);
		exitcode = ctl.ctx.exitcode;
	}
	if (ctl.sh != NULL && !ctl.quitting) {
		/* Interactive mode always exits 0, as in supervisorctl. */
		exitcode = 0;
		ctl.shell_on = 1;
		ctl_dispatch(&ctl, "status");
		ctl_loop(&ctl);
	}

	sig = ctl.leave_sig;
	shell_free(ctl.sh);
	api_free(ctl.api);
	event_free(ctl.resume_ev);
	event_free(ctl.sig_ev);
	close(ctl.sigfd);
	event_base_free(ctl.base);
	free(ctl.line);
	free(ctl.word);
	/* Ctrl-C ends only the shell quietly; other signals end us. */
	if (sig != 0 && (sig != SIGINT || !ctl.shell_on))
		ctl_reraise(sig);
	return exitcode;
}
