/* SPDX-License-Identifier: ISC */
/*
 * The line editor of the control shell: GNU readline's callback interface
 * driven by the libevent loop, so the supervisor keeps running while the user
 * types.  History is kept across runs; output written while a line is being
 * typed appears above it without breaking it.  When stdin is not a terminal,
 * lines are read one by one without prompts.  Readline's state is global, so
 * only one shell exists per process.
 */
#ifndef SHELL_SHELL_H
#define SHELL_SHELL_H

#include <stdarg.h>
#include <stddef.h>

struct event_base;
struct shell;

/*
 * A complete line (without its newline, or "\r\n"), or NULL at end of input.
 * The shell is suspended before each call, so lines are handled one at a
 * time: call shell_resume() when the line is dealt with, from inside the
 * callback or later.  On a terminal, end of input (Ctrl-D) leaves the cursor
 * after the prompt for the caller to end the line (supervisorctl prints an
 * empty line); without one, end of input is reported once.
 */
typedef void	(*shell_line_cb)(const char *line, void *arg);
/*
 * Completion of the word text, which starts at offset start of the whole
 * line (so start == 0 means the command word).  Returns a NULL-terminated
 * malloc'd vector of malloc'd candidates, or NULL for none.
 */
typedef char	**(*shell_complete_cb)(const char *line, const char *text,
		    int start, void *arg);

/*
 * Starts reading from stdin.  history_path may be NULL (no history file).
 * The shell starts suspended: call shell_resume() to show the first prompt.
 * Aborts if a shell already exists.
 */
struct shell	*shell_create(struct event_base *base, const char *prompt,
		    const char *history_path, shell_line_cb line_cb,
		    shell_complete_cb complete_cb, void *arg);
/*
 * Restores the terminal and saves the history; an unanswered question is
 * dropped.  NULL is a no-op.  It may be called from line_cb or an answer
 * callback.
 */
void		 shell_free(struct shell *sh);

/* Whether stdin is a terminal (prompts, editing, history). */
int		 shell_interactive(const struct shell *sh);

/*
 * While a command runs, input is not read and no prompt shows; resume shows
 * the prompt again and goes on reading (lines typed ahead are kept).
 */
void		 shell_suspend(struct shell *sh);
void		 shell_resume(struct shell *sh);

/*
 * Ctrl-C at the prompt: drop the line being typed, show a new prompt.  At a
 * question it answers no.  Does nothing while suspended.
 */
void		 shell_interrupt(struct shell *sh);

/*
 * Writes text to stdout.  If the user is typing, the partial line is taken
 * away, the text written (ended with a newline if it lacks one), and the
 * prompt and line redrawn after it.
 */
void		 shell_write(struct shell *sh, const char *buf, size_t len);
void		 shell_printf(struct shell *sh, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Asks a question on the terminal (e.g. "Really shut the remote supervisord
 * process down y/N? ") and calls cb with 1 for an answer starting with y or
 * Y, else 0 (also for Ctrl-C or Ctrl-D).  The question shows even while
 * suspended; after the answer the shell is back in the state it was in.
 * Without a terminal the answer is yes, on the next loop pass.
 */
typedef void	(*shell_answer_cb)(int yes, void *arg);
void		 shell_ask(struct shell *sh, const char *question,
		    shell_answer_cb cb, void *arg);

#endif
