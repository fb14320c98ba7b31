/* SPDX-License-Identifier: ISC */
/*
 * The supervisor's side of the event listener protocol: a state machine fed
 * with what a listener writes on its stdout ("READY\n", then "RESULT n\n"
 * and n bytes after each event), as supervisord's PEventListenerDispatcher
 * reads it, with its log lines.
 */
#ifndef EVENTS_LISTENER_H
#define EVENTS_LISTENER_H

#include <stddef.h>

/* supervisord's EventListenerStates, with its numbers. */
enum listener_state {
	LISTENER_READY = 10,		/* may be sent an event */
	LISTENER_BUSY = 20,		/* has an event, awaits its result */
	LISTENER_ACKNOWLEDGED = 30,	/* started or answered, awaits READY */
	LISTENER_UNKNOWN = 40,		/* broke the protocol: no more events */
};

/* How the event a listener was busy with ended. */
enum listener_result {
	LISTENER_PROCESSED,	/* RESULT OK: done with it */
	LISTENER_REJECTED,	/* any other result, a bad line: requeue */
};

struct listener;

/*
 * Called from listener_feed() as soon as a result is read, before the rest
 * of the bytes is looked at, so that a requeue is logged where supervisord
 * logs it.
 */
typedef void	(*listener_result_cb)(struct listener *l,
		    enum listener_result result, void *arg);

/* A listener named name (for the log), in ACKNOWLEDGED. */
struct listener	*listener_create(const char *name, listener_result_cb cb,
		    void *arg);
void		 listener_free(struct listener *l);
/* A new process: back to ACKNOWLEDGED with nothing buffered, no log line. */
void		 listener_reset(struct listener *l);

enum listener_state listener_state(const struct listener *l);
/* "READY", "BUSY", "ACKNOWLEDGED", "UNKNOWN". */
const char	*listener_state_name(enum listener_state state);
const char	*listener_name(const struct listener *l);

/*
 * An event was written to its stdin: READY -> BUSY.  supervisord sets this
 * state without a log line, and so does this.
 */
void		 listener_set_busy(struct listener *l);

/*
 * Reads len bytes of the listener's stdout, in any split: logs them at
 * debug, moves through the states and calls the result callback.  Returns
 * -1 when these bytes broke the protocol (the listener is now UNKNOWN),
 * else 0.
 */
int		 listener_feed(struct listener *l, const char *buf, size_t len);

#endif
