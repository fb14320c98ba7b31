/* SPDX-License-Identifier: ISC */
/*
 * Pools and their buffers, with supervisord's rules (process.py): serials
 * given on the first buffering, the oldest event dropped on overflow, a
 * rejected event or one whose listener died back at the head, dispatch to
 * the first RUNNING and READY listener.  A buffer is a ring that grows up to
 * buffer_size, so a large buffer_size costs nothing until it fills.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* One buffered event: the shared message and its serial in this pool. */
struct pool_entry {
	struct event_msg	*msg;		/* NULL: none */
	long long		 poolserial;	/* -1: not yet in this pool */
};

struct pool_member {
	struct pool		*pool;
	struct listener		*l;
	void			*proc;
	struct pool_entry	 busy;		/* the event it is sent */
	int			 running;
};

struct pool {
	struct pool_bus		 *bus;
	char			 *name;
	size_t			  buffer_size;
	uint32_t		  mask;
	long long		  serial;	/* the last poolserial */
	struct pool_entry	 *ring;
	size_t			  cap;
	size_t			  head;
	size_t			  count;
	struct pool_member	**members;
	size_t			  nmembers;
};

static const struct {
	enum event_type	 type;
	long long	 period;
} pool_ticks[] = {
	{ EVENT_TICK_5, 5 },
	{ EVENT_TICK_60, 60 },
	{ EVENT_TICK_3600, 3600 },
};
#define POOL_NTICKS	(sizeof pool_ticks / sizeof pool_ticks[0])

struct pool_bus {
	char		 *identifier;
	pool_send_cb	  send;
	long long	  serial;	/* the last global serial */
	struct pool	**pools;
	size_t		  npools;
	uint32_t	  mask;		/* what any pool takes */
	long long	  ticks[POOL_NTICKS];	/* the last boundaries seen */
	int		  ticking;	/* ticks[] is set */
};

/* supervisord's new_serial(): from 0, back to 0 after the largest. */
static long long
pool_next_serial(long long *serial)
{
	if (*serial == LLONG_MAX)
		*serial = -1;
	return ++*serial;
}

static void
pool_grow(struct pool *p)
{
	struct pool_entry	*ring;
	size_t			 cap, i;

	cap = p->cap == 0 ? 8 : p->cap * 2;
	if (cap > p->buffer_size)
		cap = p->buffer_size;
	ring = xreallocarray(NULL, cap, sizeof *ring);
	for (i = 0; i < p->count; i++)
		ring[i] = p->ring[(p->head + i) % p->cap];
	free(p->ring);
	p->ring = ring;
	p->cap = cap;
	p->head = 0;
}

static void
pool_push(struct pool *p, struct pool_entry e, int head)
{
	if (p->count == p->cap)
		pool_grow(p);
	if (head) {
		p->head = (p->head + p->cap - 1) % p->cap;
		p->ring[p->head] = e;
	} else
		p->ring[(p->head + p->count) % p->cap] = e;
	p->count++;
}

static struct pool_entry
pool_pop(struct pool *p)
{
	struct pool_entry	 e = p->ring[p->head];

	p->head = (p->head + 1) % p->cap;
	p->count--;
	return e;
}

/*
 * EventListenerPool._acceptEvent: serials on the first visit, a debug line
 * on a return, then room made by dropping the oldest.  Takes e's reference.
 */
static void
pool_accept(struct pool *p, struct pool_entry e, int head)
{
	struct pool_entry	 old;

	if (e.poolserial < 0) {
		if (e.msg->serial < 0)
			e.msg->serial = pool_next_serial(&p->bus->serial);
		e.poolserial = pool_next_serial(&p->serial);
	} else {
		log_debug("rebuffering event %lld for pool %s (buf size=%zu, max=%zu)",
		    e.msg->serial, p->name, p->count, p->buffer_size);
	}
	if (p->count >= p->buffer_size && p->count > 0) {
		old = pool_pop(p);
		log_error("pool %s event buffer overflowed, discarding event %lld",
		    p->name, old.msg->serial);
		event_msg_unref(old.msg);
	}
	pool_push(p, e, head);
}

/* Gives back the event m was busy with, at the head. */
static void
pool_requeue(struct pool_member *m)
{
	struct pool_entry	 e = m->busy;

	m->busy.msg = NULL;
	if (e.msg != NULL)
		pool_accept(m->pool, e, 1);
}

static void
pool_result(struct listener *l, enum listener_result result, void *arg)
{
	struct pool_member	*m = arg;

	(void)l;
	if (result == LISTENER_REJECTED)
		pool_requeue(m);
	else {
		event_msg_unref(m->busy.msg);
		m->busy.msg = NULL;
	}
}

static void
pool_free(struct pool *p)
{
	size_t	 i;

	while (p->count > 0)
		event_msg_unref(pool_pop(p).msg);
	for (i = 0; i < p->nmembers; i++) {
		event_msg_unref(p->members[i]->busy.msg);
		listener_free(p->members[i]->l);
		free(p->members[i]);
	}
	free(p->members);
	free(p->ring);
	free(p->name);
	free(p);
}

struct pool_bus *
pool_bus_create(const char *identifier, pool_send_cb send)
{
	struct pool_bus	*bus;

	bus = xcalloc(1, sizeof *bus);
	bus->identifier = xstrdup(identifier);
	bus->send = send;
	bus->serial = -1;
	return bus;
}

void
pool_bus_free(struct pool_bus *bus)
{
	size_t	 i;

	if (bus == NULL)
		return;
	for (i = 0; i < bus->npools; i++)
		pool_free(bus->pools[i]);
	free(bus->pools);
	free(bus->identifier);
	free(bus);
}

/* Without a pool taking ticks the clock stops, to restart silently. */
static void
pool_bus_update_mask(struct pool_bus *bus)
{
	size_t	 i;

	bus->mask = 0;
	for (i = 0; i < bus->npools; i++)
		bus->mask |= bus->pools[i]->mask;
	if ((bus->mask & event_type_covers(EVENT_TICK)) == 0)
		bus->ticking = 0;
}

struct pool *
pool_bus_add(struct pool_bus *bus, const char *name, int buffer_size,
    uint32_t mask)
{
	struct pool	*p;

	p = xcalloc(1, sizeof *p);
	p->bus = bus;
	p->name = xstrdup(name);
	/* The config refuses less; 0 would let the buffer grow unbounded. */
	p->buffer_size = buffer_size < 1 ? 1 : (size_t)buffer_size;
	p->mask = mask;
	p->serial = -1;
	bus->pools = xreallocarray(bus->pools, bus->npools + 1,
	    sizeof *bus->pools);
	bus->pools[bus->npools++] = p;
	pool_bus_update_mask(bus);
	return p;
}

void
pool_bus_remove(struct pool_bus *bus, struct pool *p)
{
	size_t	 i;

	for (i = 0; i < bus->npools; i++) {
		if (bus->pools[i] == p)
			break;
	}
	if (i == bus->npools)
		return;
	memmove(&bus->pools[i], &bus->pools[i + 1],
	    (bus->npools - i - 1) * sizeof *bus->pools);
	bus->npools--;
	pool_free(p);
	pool_bus_update_mask(bus);
}

int
pool_bus_wants(const struct pool_bus *bus, enum event_type t)
{
	return (unsigned)t < EVENT_NTYPES &&
	    (bus->mask & ((uint32_t)1 << t)) != 0;
}

/*
 * Unlike supervisord, a pool subscribed to both a type and its parent (say
 * PROCESS_STATE and PROCESS_STATE_RUNNING) buffers the event once: there
 * its subscriptions are callbacks, and each one buffers it again.
 */
void
pool_bus_notify(struct pool_bus *bus, const struct event_info *info)
{
	struct event_msg	*m;
	uint32_t		 bit;
	size_t			 i;

	if (!pool_bus_wants(bus, info->type) ||
	    (m = event_msg_create(info)) == NULL)
		return;
	bit = (uint32_t)1 << info->type;
	for (i = 0; i < bus->npools; i++) {
		if (bus->pools[i]->mask & bit) {
			pool_accept(bus->pools[i],
			    (struct pool_entry){ event_msg_ref(m), -1 }, 0);
		}
	}
	event_msg_unref(m);
}

int
pool_bus_dispatch(struct pool_bus *bus)
{
	size_t	 i;
	int	 sent = 0;

	for (i = 0; i < bus->npools; i++)
		sent += pool_dispatch(bus->pools[i]);
	return sent;
}

static long long
pool_timeslice(long long period, long long secs)
{
	return secs - ((secs % period) + period) % period;
}

double
pool_bus_tick(struct pool_bus *bus, double now)
{
	struct event_info	 info;
	long long		 secs = (long long)now, when;
	size_t			 i;

	if ((bus->mask & event_type_covers(EVENT_TICK)) == 0)
		return -1;
	for (i = 0; i < POOL_NTICKS; i++) {
		when = pool_timeslice(pool_ticks[i].period, secs);
		if (bus->ticking && when != bus->ticks[i]) {
			memset(&info, 0, sizeof info);
			info.type = pool_ticks[i].type;
			info.when = when;
			pool_bus_notify(bus, &info);
		}
		bus->ticks[i] = when;
	}
	bus->ticking = 1;
	return (double)(pool_timeslice(5, secs) + 5) - now;
}

const char *
pool_name(const struct pool *p)
{
	return p->name;
}

size_t
pool_pending(const struct pool *p)
{
	return p->count;
}

struct listener *
pool_add_listener(struct pool *p, const char *name, void *proc)
{
	struct pool_member	*m;

	m = xcalloc(1, sizeof *m);
	m->pool = p;
	m->proc = proc;
	m->l = listener_create(name, pool_result, m);
	p->members = xreallocarray(p->members, p->nmembers + 1,
	    sizeof *p->members);
	p->members[p->nmembers++] = m;
	return m->l;
}

static struct pool_member *
pool_member(struct pool *p, struct listener *l, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < p->nmembers; i++) {
		if (p->members[i]->l == l) {
			if (idx != NULL)
				*idx = i;
			return p->members[i];
		}
	}
	return NULL;
}

void
pool_remove_listener(struct pool *p, struct listener *l)
{
	struct pool_member	*m;
	size_t			 i;

	if ((m = pool_member(p, l, &i)) == NULL)
		return;
	pool_requeue(m);
	memmove(&p->members[i], &p->members[i + 1],
	    (p->nmembers - i - 1) * sizeof *p->members);
	p->nmembers--;
	listener_free(m->l);
	free(m);
}

void
pool_listener_spawned(struct pool *p, struct listener *l)
{
	struct pool_member	*m;

	if ((m = pool_member(p, l, NULL)) == NULL)
		return;
	/* An exit not reported would strand its event: give it back. */
	pool_requeue(m);
	listener_reset(l);
	m->running = 0;
}

void
pool_listener_running(struct pool *p, struct listener *l, int running)
{
	struct pool_member	*m;

	if ((m = pool_member(p, l, NULL)) != NULL)
		m->running = running;
}

void
pool_listener_exited(struct pool *p, struct listener *l)
{
	struct pool_member	*m;

	if ((m = pool_member(p, l, NULL)) == NULL)
		return;
	m->running = 0;
	pool_requeue(m);
}

static int
pool_member_ready(const struct pool_member *m)
{
	return m->running && listener_state(m->l) == LISTENER_READY;
}

/* Sends the oldest event to the first listener taking it; -1 if none. */
static int
pool_dispatch_one(struct pool *p)
{
	struct pool_entry	*e = &p->ring[p->head];
	struct pool_member	*m;
	char			*env = NULL;
	size_t			 len = 0, i;

	for (i = 0; i < p->nmembers; i++) {
		m = p->members[i];
		if (!pool_member_ready(m))
			continue;
		if (env == NULL) {
			env = event_envelope(e->msg, p->bus->identifier,
			    p->name, e->poolserial, &len);
		}
		if (p->bus->send(m->proc, env, len) != 0) {
			log_debug("epipe occurred while sending event %lld to listener %s, listener state unchanged",
			    e->msg->serial, listener_name(m->l));
			continue;
		}
		listener_set_busy(m->l);
		m->busy = pool_pop(p);
		log_debug("event %lld sent to listener %s", m->busy.msg->serial,
		    listener_name(m->l));
		free(env);
		return 0;
	}
	free(env);
	return -1;
}

/*
 * supervisord dispatches only when a listener can take an event, and an
 * event that finds none after that is put back with a debug line.
 */
int
pool_dispatch(struct pool *p)
{
	size_t	 i;
	int	 sent = 0;

	for (i = 0; i < p->nmembers; i++) {
		if (pool_member_ready(p->members[i]))
			break;
	}
	if (i == p->nmembers)
		return 0;
	while (p->count > 0) {
		if (pool_dispatch_one(p) != 0) {
			log_debug("rebuffering event %lld for pool %s (buf size=%zu, max=%zu)",
			    p->ring[p->head].msg->serial, p->name, p->count - 1,
			    p->buffer_size);
			break;
		}
		sent++;
	}
	return sent;
}
