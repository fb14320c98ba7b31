/* SPDX-License-Identifier: ISC */
/*
 * The control shell's line editor.  On a terminal it drives GNU readline's
 * callback interface from a read event on stdin, so the loop never waits for
 * the user; otherwise it splits stdin into lines itself.  Readline's state is
 * global, so only one shell exists per process and the readline callbacks
 * find it through shell_current.
 */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "shell/shell.h"
#include "util/xmalloc.h"

#ifndef UNUSED
#define UNUSED __attribute__((unused))
#endif

#define SHELL_HISTORY_MAX	1000
#define SHELL_LINE_MAX		65536
#define SHELL_READ_SIZE		16384

enum shell_state {
	SHELL_SUSPENDED,	/* a command runs: no prompt, stdin not read */
	SHELL_READING,		/* the prompt shows, lines go to line_cb */
	SHELL_ASKING		/* a question shows, the answer goes to ask_cb */
};

struct shell {
	struct event_base	*base;
	char			*prompt;
	char			*history_path;
	shell_line_cb		 line_cb;
	shell_complete_cb	 complete_cb;
	void			*arg;

	int			 interactive;
	enum shell_state	 state;
	struct event		*ev_read;
	struct event		*ev_answer;	/* deferred yes without a tty */

	shell_answer_cb		 ask_cb;
	void			*ask_arg;
	enum shell_state	 ask_then;	/* state to return to after it */

	/* Terminal only. */
	struct event		*ev_winch;
	int			 winched;
	char			*saved_line;	/* partial line kept over suspend */
	char			**cands;	/* complete_cb result being handed */
	size_t			 next_cand;	/* over to readline */

	/* Without a terminal. */
	struct event		*ev_kick;	/* next line on the next loop pass */
	struct evbuffer		*in;
	int			 pollable;
	int			 eof;
	int			 eof_sent;
};

/* Readline calls back without an argument: this is the one shell. */
static struct shell	*shell_current;

static void	shell_tty_line(char *);

/*
 * Writes all of buf to stdout, waiting if it is a full non-blocking pipe; a
 * closed or failing stdout loses the text, as there is nobody to tell.
 */
static void
shell_write_all(const char *buf, size_t len)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	while (len > 0) {
		n = write(STDOUT_FILENO, buf, len);
		if (n > 0) {
			buf += n;
			len -= n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = STDOUT_FILENO;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, -1) != -1 || errno == EINTR)
				continue;
		}
		return;
	}
}

static struct event *
shell_event_new(struct event_base *base, int fd, short what,
    event_callback_fn cb, void *arg)
{
	struct event	*ev;

	if ((ev = event_new(base, fd, what, cb, arg)) == NULL) {
		fputs("shell: event_new failed\n", stderr);
		abort();
	}
	return ev;
}

static void
shell_answer_cb_yes(UNUSED int fd, UNUSED short events, void *arg)
{
	struct shell	*sh = arg;
	shell_answer_cb	 cb = sh->ask_cb;

	sh->ask_cb = NULL;
	if (cb != NULL)
		cb(1, sh->ask_arg);
}

/*
 * Keeps non-blank lines that differ from the last one, in memory and
 * appended to the file (created on the first line if missing).
 */
static void
shell_history_add(struct shell *sh, const char *line)
{
	HIST_ENTRY	*last;

	if (line[strspn(line, " \t")] == '\0')
		return;
	last = history_length > 0 ?
	    history_get(history_base + history_length - 1) : NULL;
	if (last != NULL && strcmp(last->line, line) == 0)
		return;
	add_history(line);
	if (sh->history_path == NULL)
		return;
	if (append_history(1, sh->history_path) != 0)
		write_history(sh->history_path);
}

/* Hands the candidates one by one to rl_completion_matches(), which frees them. */
static char *
shell_tty_candidate(UNUSED const char *text, UNUSED int state)
{
	struct shell	*sh = shell_current;

	if (sh->cands[sh->next_cand] == NULL)
		return NULL;
	return sh->cands[sh->next_cand++];
}

/*
 * The completion entry point: the callback's candidates, never file names.
 * A unique candidate ending in ':' (a group) gets no space after it, so that
 * the user can go on with the process name.
 */
static char **
shell_tty_complete(const char *text, int start, UNUSED int end)
{
	struct shell	*sh = shell_current;
	char		**matches;
	size_t		  len;

	rl_attempted_completion_over = 1;
	if (sh == NULL || sh->complete_cb == NULL ||
	    sh->state != SHELL_READING)
		return NULL;
	sh->cands = sh->complete_cb(rl_line_buffer, text, start, sh->arg);
	if (sh->cands == NULL)
		return NULL;
	sh->next_cand = 0;
	matches = rl_completion_matches(text, shell_tty_candidate);
	free(sh->cands);
	sh->cands = NULL;

	if (matches != NULL && matches[1] == NULL) {
		len = strlen(matches[0]);
		if (len > 0 && matches[0][len - 1] == ':')
			rl_completion_suppress_append = 1;
	}
	return matches;
}

/* Shows prompt and reads from the terminal. */
static void
shell_tty_start(struct shell *sh, const char *prompt)
{
	if (sh->winched) {
		rl_reset_screen_size();
		sh->winched = 0;
	}
	rl_callback_handler_install(prompt, shell_tty_line);
	event_add(sh->ev_read, NULL);
}

/*
 * Stops reading: the terminal goes back to its normal mode and what the user
 * types ahead waits in the terminal for the next start.
 */
static void
shell_tty_stop(struct shell *sh)
{
	rl_callback_handler_remove();
	event_del(sh->ev_read);
	sh->state = SHELL_SUSPENDED;
}

/* Takes the prompt and the partial line off the screen, keeping the line. */
static void
shell_tty_hide(struct shell *sh)
{
	rl_callback_sigcleanup();
	free(sh->saved_line);
	sh->saved_line = rl_end > 0 ? rl_copy_text(0, rl_end) : NULL;
	rl_clear_visible_line();
	fflush(rl_outstream);
}

/* Shows the shell's own prompt, with the line a suspend took away. */
static void
shell_tty_prompt(struct shell *sh)
{
	shell_tty_start(sh, sh->prompt);
	sh->state = SHELL_READING;
	if (sh->saved_line != NULL) {
		rl_insert_text(sh->saved_line);
		free(sh->saved_line);
		sh->saved_line = NULL;
		rl_redisplay();
	}
}

/* Ends a question with the shell stopped: restores the state, then answers. */
static void
shell_tty_answer(struct shell *sh, const char *answer)
{
	shell_answer_cb	 cb = sh->ask_cb;
	void		*arg = sh->ask_arg;

	sh->ask_cb = NULL;
	if (sh->ask_then == SHELL_READING)
		shell_tty_prompt(sh);
	answer += strspn(answer, " \t");
	cb(*answer == 'y' || *answer == 'Y', arg);
}

/*
 * A line from readline, which the line callback receives with the shell
 * suspended.  Nothing touches sh after a callback, which may free it.
 */
static void
shell_tty_line(char *line)
{
	struct shell	*sh = shell_current;

	if (sh == NULL) {
		free(line);
		return;
	}
	/* Called from inside readline, which allows removing the handler. */
	shell_tty_stop(sh);
	if (sh->ask_cb != NULL) {
		if (line == NULL)
			shell_write_all("\n", 1);
		shell_tty_answer(sh, line != NULL ? line : "");
		free(line);
		return;
	}
	if (line != NULL)
		shell_history_add(sh, line);
	sh->line_cb(line, sh->arg);
	free(line);
}

static void
shell_tty_read_cb(UNUSED int fd, UNUSED short events, void *arg)
{
	struct shell	*sh = arg;

	/* Readline aborts if called without a handler. */
	if (sh->state != SHELL_SUSPENDED)
		rl_callback_read_char();
}

static void
shell_tty_winch_cb(UNUSED int sig, UNUSED short events, void *arg)
{
	struct shell	*sh = arg;

	if (sh->state != SHELL_SUSPENDED)
		rl_resize_terminal();
	else
		sh->winched = 1;
}

static void
shell_tty_create(struct shell *sh)
{
	rl_readline_name = program_invocation_short_name;
	rl_instream = stdin;
	rl_outstream = stdout;
	/*
	 * The program owns its signals: SIGINT reaches us as
	 * shell_interrupt() and SIGWINCH as a loop event.  Readline must not
	 * export LINES and COLUMNS either, or every child would inherit them.
	 */
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = shell_tty_complete;
	rl_initialize();

	/*
	 * Process names such as "group:*" are single words.  Set after
	 * rl_initialize() so that the user's inputrc cannot undo it.
	 */
	rl_basic_word_break_characters = " \t\n";
	rl_completer_word_break_characters = " \t\n";
	/*
	 * Bracketed paste reads the whole paste with blocking reads and turns
	 * several pasted commands into one line; without it they run in turn.
	 */
	rl_variable_bind("enable-bracketed-paste", "off");

	using_history();
	stifle_history(SHELL_HISTORY_MAX);
	if (sh->history_path != NULL)
		read_history(sh->history_path);

	sh->ev_read = shell_event_new(sh->base, STDIN_FILENO,
	    EV_READ|EV_PERSIST, shell_tty_read_cb, sh);
	sh->ev_winch = evsignal_new(sh->base, SIGWINCH, shell_tty_winch_cb, sh);
	if (sh->ev_winch == NULL || event_add(sh->ev_winch, NULL) == -1) {
		fputs("shell: cannot watch SIGWINCH\n", stderr);
		abort();
	}
}

static void
shell_tty_free(struct shell *sh)
{
	if (sh->state != SHELL_SUSPENDED) {
		rl_callback_sigcleanup();
		shell_tty_stop(sh);
		/* Leave the shell's prompt on a line of its own. */
		shell_write_all("\n", 1);
	}
	event_free(sh->ev_winch);
	if (sh->history_path != NULL)
		history_truncate_file(sh->history_path, SHELL_HISTORY_MAX);
	rl_clear_history();
	rl_attempted_completion_function = NULL;
	free(sh->saved_line);
}

/* Reads once into the buffer; returns -1 if nothing could be read yet. */
static int
shell_pipe_fill(struct shell *sh)
{
	int	 n;

	for (;;) {
		n = evbuffer_read(sh->in, STDIN_FILENO, SHELL_READ_SIZE);
		if (n > 0)
			return 0;
		if (n == 0) {
			sh->eof = 1;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		/* A read error ends the input like end of file. */
		sh->eof = 1;
		return 0;
	}
}

/*
 * Delivers the next buffered line, if there is one, suspending the shell
 * first; returns whether it did.  A last line without a newline counts at
 * end of file, and an overlong one is cut at SHELL_LINE_MAX.
 */
static int
shell_pipe_take(struct shell *sh)
{
	char	*line;
	size_t	 len;

	line = evbuffer_readln(sh->in, &len, EVBUFFER_EOL_CRLF);
	if (line == NULL) {
		len = evbuffer_get_length(sh->in);
		if (len == 0 || (!sh->eof && len < SHELL_LINE_MAX))
			return 0;
		if (len > SHELL_LINE_MAX)
			len = SHELL_LINE_MAX;
		line = xmalloc(len + 1);
		evbuffer_remove(sh->in, line, len);
		line[len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
	}
	sh->state = SHELL_SUSPENDED;
	sh->line_cb(line, sh->arg);
	free(line);
	return 1;
}

/* Moves on while the shell reads: a line, end of input, or more data. */
static void
shell_pipe_pump(struct shell *sh)
{
	for (;;) {
		if (sh->state != SHELL_READING)
			return;
		if (shell_pipe_take(sh))
			return;
		if (sh->eof) {
			sh->eof_sent = 1;
			sh->state = SHELL_SUSPENDED;
			sh->line_cb(NULL, sh->arg);
			return;
		}
		if (sh->pollable) {
			event_add(sh->ev_read, NULL);
			return;
		}
		/* Not pollable and not ready can only mean a broken stdin. */
		if (shell_pipe_fill(sh) == -1)
			sh->eof = 1;
	}
}

static void
shell_pipe_read_cb(UNUSED int fd, UNUSED short events, void *arg)
{
	struct shell	*sh = arg;

	shell_pipe_fill(sh);
	shell_pipe_pump(sh);
}

static void
shell_pipe_kick_cb(UNUSED int fd, UNUSED short events, void *arg)
{
	shell_pipe_pump(arg);
}

static void
shell_pipe_create(struct shell *sh)
{
	struct stat	 st;

	sh->in = evbuffer_new();
	if (sh->in == NULL) {
		fputs("shell: evbuffer_new failed\n", stderr);
		abort();
	}
	sh->ev_kick = shell_event_new(sh->base, -1, 0, shell_pipe_kick_cb, sh);
	sh->ev_read = shell_event_new(sh->base, STDIN_FILENO, EV_READ,
	    shell_pipe_read_cb, sh);

	/*
	 * epoll refuses regular files and /dev/null, which are always
	 * readable anyway: those are read without waiting for an event.
	 */
	if (fstat(STDIN_FILENO, &st) == -1)
		sh->eof = 1;
	else
		sh->pollable = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode);
}

struct shell *
shell_create(struct event_base *base, const char *prompt,
    const char *history_path, shell_line_cb line_cb,
    shell_complete_cb complete_cb, void *arg)
{
	struct shell	*sh;

	if (shell_current != NULL) {
		fputs("shell_create: a shell already exists\n", stderr);
		abort();
	}
	sh = xcalloc(1, sizeof *sh);
	sh->base = base;
	sh->prompt = xstrdup(prompt);
	if (history_path != NULL)
		sh->history_path = xstrdup(history_path);
	sh->line_cb = line_cb;
	sh->complete_cb = complete_cb;
	sh->arg = arg;
	sh->interactive = isatty(STDIN_FILENO);
	sh->state = SHELL_SUSPENDED;
	sh->ev_answer = shell_event_new(base, -1, 0, shell_answer_cb_yes, sh);

	if (sh->interactive)
		shell_tty_create(sh);
	else
		shell_pipe_create(sh);
	shell_current = sh;
	return sh;
}

void
shell_free(struct shell *sh)
{
	if (sh == NULL)
		return;
	if (sh->interactive)
		shell_tty_free(sh);
	else {
		event_free(sh->ev_kick);
		evbuffer_free(sh->in);
	}
	event_free(sh->ev_read);
	event_free(sh->ev_answer);
	free(sh->prompt);
	free(sh->history_path);
	free(sh);
	shell_current = NULL;
}

int
shell_interactive(const struct shell *sh)
{
	return sh->interactive;
}

void
shell_suspend(struct shell *sh)
{
	if (sh->state == SHELL_ASKING) {
		sh->ask_then = SHELL_SUSPENDED;
		return;
	}
	if (sh->state == SHELL_SUSPENDED)
		return;
	if (sh->interactive) {
		shell_tty_hide(sh);
		shell_tty_stop(sh);
	} else {
		sh->state = SHELL_SUSPENDED;
		event_del(sh->ev_read);
	}
}

void
shell_resume(struct shell *sh)
{
	if (sh->state == SHELL_ASKING) {
		sh->ask_then = SHELL_READING;
		return;
	}
	if (sh->state == SHELL_READING)
		return;
	if (sh->interactive) {
		shell_tty_prompt(sh);
		return;
	}
	if (sh->eof_sent)
		return;
	/*
	 * Deliver from the loop rather than from here: resume is usually
	 * called from inside line_cb, and a long script must not recurse.
	 */
	sh->state = SHELL_READING;
	event_active(sh->ev_kick, 0, 0);
}

void
shell_interrupt(struct shell *sh)
{
	if (!sh->interactive || sh->state == SHELL_SUSPENDED)
		return;

	/* Leave any search or key sequence, then show ^C after the line. */
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_point = rl_end;
	rl_redisplay();
	rl_echo_signal_char(SIGINT);
	fflush(rl_outstream);
	shell_tty_stop(sh);
	shell_write_all("\n", 1);
	free(sh->saved_line);
	sh->saved_line = NULL;

	if (sh->ask_cb != NULL) {
		shell_tty_answer(sh, "");
		return;
	}
	/* Installing again resets the line, the undo list and history. */
	shell_tty_prompt(sh);
}

void
shell_write(struct shell *sh, const char *buf, size_t len)
{
	int	 above;

	if (len == 0)
		return;
	above = sh->interactive && sh->state != SHELL_SUSPENDED;
	if (above) {
		rl_clear_visible_line();
		fflush(rl_outstream);
	}
	fflush(stdout);
	shell_write_all(buf, len);
	if (above) {
		/* Readline redraws from the start of a line. */
		if (buf[len - 1] != '\n')
			shell_write_all("\n", 1);
		rl_on_new_line();
		rl_redisplay();
	}
}

void
shell_printf(struct shell *sh, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	shell_write(sh, s, n);
	free(s);
}

void
shell_ask(struct shell *sh, const char *question, shell_answer_cb cb,
    void *arg)
{
	shell_answer_cb	 old_cb;
	void		*old_arg;

	/* One question at a time: an unanswered one is answered no. */
	if ((old_cb = sh->ask_cb) != NULL) {
		old_arg = sh->ask_arg;
		sh->ask_cb = NULL;
		old_cb(0, old_arg);
	}
	sh->ask_cb = cb;
	sh->ask_arg = arg;

	if (!sh->interactive) {
		/* supervisorctl only asks on a terminal: the answer is yes. */
		event_active(sh->ev_answer, 0, 0);
		return;
	}
	if (sh->state != SHELL_ASKING) {
		sh->ask_then = sh->state;
		if (sh->state == SHELL_READING) {
			shell_tty_hide(sh);
			shell_tty_stop(sh);
		}
	} else
		shell_tty_stop(sh);
	shell_tty_start(sh, question);
	sh->state = SHELL_ASKING;
}
