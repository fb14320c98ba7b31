/* SPDX-License-Identifier: ISC */
/*
 * supervisord's event types, their hierarchy (a subscription to a type
 * covers its subtypes, as supervisord's event classes do), the payload text
 * of each event and the envelope a listener reads.  Pure: callers describe
 * an event with plain values, nothing here knows of processes.
 */
#ifndef EVENTS_EVENT_H
#define EVENTS_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* In families, each abstract type before its subtypes. */
enum event_type {
	EVENT_ANY,			/* "EVENT": every event */
	EVENT_PROCESS_STATE,
	EVENT_PROCESS_STATE_STARTING,
	EVENT_PROCESS_STATE_RUNNING,
	EVENT_PROCESS_STATE_BACKOFF,
	EVENT_PROCESS_STATE_STOPPING,
	EVENT_PROCESS_STATE_EXITED,
	EVENT_PROCESS_STATE_STOPPED,
	EVENT_PROCESS_STATE_FATAL,
	EVENT_PROCESS_STATE_UNKNOWN,
	EVENT_REMOTE_COMMUNICATION,
	EVENT_PROCESS_LOG,
	EVENT_PROCESS_LOG_STDOUT,
	EVENT_PROCESS_LOG_STDERR,
	EVENT_PROCESS_COMMUNICATION,
	EVENT_PROCESS_COMMUNICATION_STDOUT,
	EVENT_PROCESS_COMMUNICATION_STDERR,
	EVENT_SUPERVISOR_STATE_CHANGE,
	EVENT_SUPERVISOR_STATE_CHANGE_RUNNING,
	EVENT_SUPERVISOR_STATE_CHANGE_STOPPING,
	EVENT_TICK,
	EVENT_TICK_5,
	EVENT_TICK_60,
	EVENT_TICK_3600,
	EVENT_PROCESS_GROUP,
	EVENT_PROCESS_GROUP_ADDED,
	EVENT_PROCESS_GROUP_REMOVED,
	EVENT_NTYPES
};

/*
 * What an event is about; each type reads only its own fields (the others
 * may be left zero).  Strings are borrowed for the call.
 */
struct event_info {
	enum event_type	 type;
	const char	*process;	/* PROCESS_STATE, _LOG, _COMM... */
	const char	*group;		/* those, PROCESS_GROUP; NULL: "" */
	const char	*from_state;	/* PROCESS_STATE: old state's name */
	long		 pid;		/* PROCESS_STATE with a pid, _LOG ... */
	int		 tries;		/* STARTING, BACKOFF: backoff count */
	int		 expected;	/* EXITED: the exit was expected */
	long long	 when;		/* TICK: the boundary, epoch seconds */
	const char	*comm_type;	/* REMOTE_COMMUNICATION: its type */
	const char	*data;		/* _LOG, _COMM..., REMOTE: bytes */
	size_t		 len;
};

/*
 * One emitted event with its payload rendered, shared by the buffers of
 * every pool that takes it.  Read-only outside event.c and pool.c.
 */
struct event_msg {
	int		 refs;
	enum event_type	 type;
	long long	 serial;	/* global; -1 until a pool takes it */
	char		*payload;	/* NUL-terminated, may hold NULs */
	size_t		 len;
};

/* supervisord's name of t ("PROCESS_STATE_RUNNING"). */
const char	*event_type_name(enum event_type t);
/* The type named name, case-insensitive; -1 if there is none. */
int		 event_type_lookup(const char *name, enum event_type *t);
/* Whether t only groups subtypes and is never emitted itself. */
int		 event_type_abstract(enum event_type t);
/* Whether a subscription to sub receives events of type t. */
int		 event_type_matches(enum event_type sub, enum event_type t);
/* The set of types (bit 1 << t) a subscription to sub receives. */
uint32_t	 event_type_covers(enum event_type sub);
/*
 * The set of types received by subscribing to all of names; -1 with
 * *cause ("Unknown event type FOO") for a name that is no type.
 */
int		 event_type_mask(char *const *names, size_t n, uint32_t *mask,
		    char **cause);

/*
 * Renders info's payload as supervisord writes it; the new event has one
 * reference and no serial.  NULL for an abstract type.
 */
struct event_msg *event_msg_create(const struct event_info *info);
struct event_msg *event_msg_ref(struct event_msg *m);
/* Drops a reference; the last one frees m.  NULL does nothing. */
void		 event_msg_unref(struct event_msg *m);

/*
 * The bytes written to a listener's stdin for m: the header line
 * "ver:3.0 server:... serial:... pool:... poolserial:... eventname:...
 * len:...\n" then the payload.  Allocated; its length in *lenp.
 */
char		*event_envelope(const struct event_msg *m, const char *server,
		    const char *pool, long long poolserial, size_t *lenp);

#endif
