/* SPDX-License-Identifier: ISC */
/*
 * The event types as a table of names and parents, and the payloads and
 * envelope byte for byte as supervisord's events.py and EventListenerPool
 * write them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event.h"
#include "util/pyrepr.h"
#include "util/xmalloc.h"

/* How a type's payload is written. */
enum event_kind {
	EVENT_KIND_ABSTRACT,
	EVENT_KIND_STATE,		/* processname, groupname, from_state */
	EVENT_KIND_STATE_TRIES,		/* ... tries */
	EVENT_KIND_STATE_PID,		/* ... pid */
	EVENT_KIND_STATE_EXITED,	/* ... expected pid */
	EVENT_KIND_LOG,
	EVENT_KIND_COMM,
	EVENT_KIND_REMOTE,
	EVENT_KIND_EMPTY,
	EVENT_KIND_TICK,
	EVENT_KIND_GROUP,
};

struct event_type_entry {
	const char	*name;
	enum event_type	 parent;	/* EVENT_ANY is its own */
	enum event_kind	 kind;
	const char	*channel;	/* PROCESS_LOG_* */
};

#define E(t, p, k)	[EVENT_##t] = { #t, EVENT_##p, EVENT_KIND_##k, NULL }

static const struct event_type_entry event_types[EVENT_NTYPES] = {
	[EVENT_ANY] = { "EVENT", EVENT_ANY, EVENT_KIND_ABSTRACT, NULL },
	E(PROCESS_STATE, ANY, ABSTRACT),
	E(PROCESS_STATE_STARTING, PROCESS_STATE, STATE_TRIES),
	E(PROCESS_STATE_RUNNING, PROCESS_STATE, STATE_PID),
	E(PROCESS_STATE_BACKOFF, PROCESS_STATE, STATE_TRIES),
	E(PROCESS_STATE_STOPPING, PROCESS_STATE, STATE_PID),
	E(PROCESS_STATE_EXITED, PROCESS_STATE, STATE_EXITED),
	E(PROCESS_STATE_STOPPED, PROCESS_STATE, STATE_PID),
	E(PROCESS_STATE_FATAL, PROCESS_STATE, STATE),
	E(PROCESS_STATE_UNKNOWN, PROCESS_STATE, STATE),
	E(REMOTE_COMMUNICATION, ANY, REMOTE),
	E(PROCESS_LOG, ANY, ABSTRACT),
	[EVENT_PROCESS_LOG_STDOUT] = { "PROCESS_LOG_STDOUT",
	    EVENT_PROCESS_LOG, EVENT_KIND_LOG, "stdout" },
	[EVENT_PROCESS_LOG_STDERR] = { "PROCESS_LOG_STDERR",
	    EVENT_PROCESS_LOG, EVENT_KIND_LOG, "stderr" },
	E(PROCESS_COMMUNICATION, ANY, ABSTRACT),
	E(PROCESS_COMMUNICATION_STDOUT, PROCESS_COMMUNICATION, COMM),
	E(PROCESS_COMMUNICATION_STDERR, PROCESS_COMMUNICATION, COMM),
	E(SUPERVISOR_STATE_CHANGE, ANY, ABSTRACT),
	E(SUPERVISOR_STATE_CHANGE_RUNNING, SUPERVISOR_STATE_CHANGE, EMPTY),
	E(SUPERVISOR_STATE_CHANGE_STOPPING, SUPERVISOR_STATE_CHANGE, EMPTY),
	E(TICK, ANY, ABSTRACT),
	E(TICK_5, TICK, TICK),
	E(TICK_60, TICK, TICK),
	E(TICK_3600, TICK, TICK),
	E(PROCESS_GROUP, ANY, ABSTRACT),
	E(PROCESS_GROUP_ADDED, PROCESS_GROUP, GROUP),
	E(PROCESS_GROUP_REMOVED, PROCESS_GROUP, GROUP),
};

#undef E

const char *
event_type_name(enum event_type t)
{
	if ((unsigned)t >= EVENT_NTYPES)
		return "EVENT";
	return event_types[t].name;
}

int
event_type_lookup(const char *name, enum event_type *t)
{
	int	 i;

	for (i = 0; i < EVENT_NTYPES; i++) {
		if (strcasecmp(event_types[i].name, name) == 0) {
			*t = (enum event_type)i;
			return 0;
		}
	}
	return -1;
}

int
event_type_abstract(enum event_type t)
{
	if ((unsigned)t >= EVENT_NTYPES)
		return 1;
	return event_types[t].kind == EVENT_KIND_ABSTRACT;
}

int
event_type_matches(enum event_type sub, enum event_type t)
{
	if ((unsigned)t >= EVENT_NTYPES)
		return 0;
	for (;;) {
		if (t == sub)
			return 1;
		if (t == EVENT_ANY)
			return 0;
		t = event_types[t].parent;
	}
}

uint32_t
event_type_covers(enum event_type sub)
{
	uint32_t	 mask = 0;
	int		 i;

	for (i = 0; i < EVENT_NTYPES; i++) {
		if (event_type_matches(sub, (enum event_type)i))
			mask |= (uint32_t)1 << i;
	}
	return mask;
}

int
event_type_mask(char *const *names, size_t n, uint32_t *mask, char **cause)
{
	enum event_type	 t;
	size_t		 i;

	*mask = 0;
	for (i = 0; i < n; i++) {
		if (event_type_lookup(names[i], &t) != 0) {
			xasprintf(cause, "Unknown event type %s", names[i]);
			return -1;
		}
		*mask |= event_type_covers(t);
	}
	return 0;
}

/* A missing name is written as nothing, like the group of a lone process. */
static const char *
event_str(const char *s)
{
	return s != NULL ? s : "";
}

/* head followed by len bytes of data, into one allocation. */
static char *
event_join(char *head, const char *data, size_t len, size_t *lenp)
{
	size_t	 hlen = strlen(head);
	char	*out;

	out = xmalloc(hlen + len + 1);
	memcpy(out, head, hlen);
	if (len > 0)
		memcpy(out + hlen, data, len);
	out[hlen + len] = '\0';
	*lenp = hlen + len;
	free(head);
	return out;
}

/*
 * Output data as events.py renders it: decoded as UTF-8, or, when it is
 * not valid UTF-8 (a chunk may also end inside a character), as
 * "Undecodable: " and the repr of the bytes.
 */
static char *
event_output_payload(char *head, const struct event_info *info,
    size_t *lenp)
{
	char	*repr, *out;
	size_t	 len;

	if (py_utf8_valid(info->data, info->len))
		return event_join(head, info->data, info->len, lenp);
	repr = py_repr(info->data, info->len, 1);
	len = xasprintf(&out, "%sUndecodable: %s", head, repr);
	free(repr);
	free(head);
	*lenp = len;
	return out;
}

static char *
event_state_payload(const struct event_info *info, enum event_kind kind,
    size_t *lenp)
{
	const char	*p = event_str(info->process);
	const char	*g = event_str(info->group);
	const char	*from = info->from_state;
	char		*out;
	int		 len = 0;

	/* Python's %s of the description of a state it does not know. */
	if (from == NULL)
		from = "None";
	switch (kind) {
	case EVENT_KIND_STATE_TRIES:
		len = xasprintf(&out, "processname:%s groupname:%s "
		    "from_state:%s tries:%d", p, g, from, info->tries);
		break;
	case EVENT_KIND_STATE_PID:
		len = xasprintf(&out, "processname:%s groupname:%s "
		    "from_state:%s pid:%ld", p, g, from, info->pid);
		break;
	case EVENT_KIND_STATE_EXITED:
		len = xasprintf(&out, "processname:%s groupname:%s "
		    "from_state:%s expected:%d pid:%ld", p, g, from,
		    info->expected ? 1 : 0, info->pid);
		break;
	default:
		len = xasprintf(&out, "processname:%s groupname:%s "
		    "from_state:%s", p, g, from);
		break;
	}
	*lenp = len;
	return out;
}

static char *
event_payload(const struct event_info *info, size_t *lenp)
{
	const struct event_type_entry	*e = &event_types[info->type];
	char				*head;

	switch (e->kind) {
	case EVENT_KIND_ABSTRACT:
		return NULL;
	case EVENT_KIND_STATE:
	case EVENT_KIND_STATE_TRIES:
	case EVENT_KIND_STATE_PID:
	case EVENT_KIND_STATE_EXITED:
		return event_state_payload(info, e->kind, lenp);
	case EVENT_KIND_LOG:
		xasprintf(&head, "processname:%s groupname:%s pid:%ld "
		    "channel:%s\n", event_str(info->process),
		    event_str(info->group), info->pid, e->channel);
		return event_output_payload(head, info, lenp);
	case EVENT_KIND_COMM:
		xasprintf(&head, "processname:%s groupname:%s pid:%ld\n",
		    event_str(info->process), event_str(info->group),
		    info->pid);
		return event_output_payload(head, info, lenp);
	case EVENT_KIND_REMOTE:
		/* Both are text already (XML-RPC strings): no decoding. */
		xasprintf(&head, "type:%s\n", event_str(info->comm_type));
		return event_join(head, info->data, info->len, lenp);
	case EVENT_KIND_EMPTY:
		return event_join(xstrdup(""), NULL, 0, lenp);
	case EVENT_KIND_TICK:
		*lenp = xasprintf(&head, "when:%lld", info->when);
		return head;
	case EVENT_KIND_GROUP:
		*lenp = xasprintf(&head, "groupname:%s\n",
		    event_str(info->group));
		return head;
	}
	return NULL;
}

struct event_msg *
event_msg_create(const struct event_info *info)
{
	struct event_msg	*m;
	char			*payload;
	size_t			 len;

	if ((unsigned)info->type >= EVENT_NTYPES ||
	    (payload = event_payload(info, &len)) == NULL)
		return NULL;
	m = xmalloc(sizeof *m);
	m->refs = 1;
	m->type = info->type;
	m->serial = -1;
	m->payload = payload;
	m->len = len;
	return m;
}

struct event_msg *
event_msg_ref(struct event_msg *m)
{
	m->refs++;
	return m;
}

void
event_msg_unref(struct event_msg *m)
{
	if (m == NULL || --m->refs > 0)
		return;
	free(m->payload);
	free(m);
}

/*
 * supervisord counts len in characters of the decoded payload, which is
 * short of the bytes sent when the payload is not ASCII (a listener reading
 * len bytes then misses the end).  This is the byte count.
 */
char *
event_envelope(const struct event_msg *m, const char *server,
    const char *pool, long long poolserial, size_t *lenp)
{
	char	*head;

	xasprintf(&head, "ver:3.0 server:%s serial:%lld pool:%s "
	    "poolserial:%lld eventname:%s len:%zu\n", server, m->serial, pool,
	    poolserial, event_type_name(m->type), m->len);
	return event_join(head, m->payload, m->len, lenp);
}
