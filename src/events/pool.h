/* SPDX-License-Identifier: ISC */
/*
 * Event listener pools, as supervisord's EventListenerPool: each pool has a
 * bounded buffer of the events it subscribes to and hands the oldest to the
 * first of its listeners that is RUNNING and READY.  The bus holds the
 * pools, the global serial they share and the TICK clock.  Writing to a
 * listener and reading the time are the caller's: a callback and arguments.
 */
#ifndef EVENTS_POOL_H
#define EVENTS_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "listener.h"

struct pool;
struct pool_bus;

/*
 * Writes an envelope to the stdin of the listener process proc (as given to
 * pool_add_listener()).  Returns 0, or -1 when its stdin is closed (EPIPE):
 * the listener is then skipped with its state unchanged.
 */
typedef int	(*pool_send_cb)(void *proc, const char *buf, size_t len);

/* identifier is [supervisord] identifier, the envelope's "server". */
struct pool_bus	*pool_bus_create(const char *identifier, pool_send_cb send);
/* Frees the bus and its pools.  NULL does nothing. */
void		 pool_bus_free(struct pool_bus *bus);

/*
 * A new pool for [eventlistener:name] receiving the types in mask (from
 * event_type_mask()), with a buffer of buffer_size events.
 */
struct pool	*pool_bus_add(struct pool_bus *bus, const char *name,
		    int buffer_size, uint32_t mask);
/* Frees p, its listeners and its buffered events. */
void		 pool_bus_remove(struct pool_bus *bus, struct pool *p);

/* Whether some pool takes events of type t: else emitting it is free. */
int		 pool_bus_wants(const struct pool_bus *bus, enum event_type t);
/*
 * Buffers the event info describes in every pool taking its type (its
 * serials are given then); nothing is sent before pool_bus_dispatch().
 */
void		 pool_bus_notify(struct pool_bus *bus,
		    const struct event_info *info);
/* pool_dispatch() on every pool; returns how many events were sent. */
int		 pool_bus_dispatch(struct pool_bus *bus);
/*
 * The TICK clock, now being the wall clock: emits TICK_5, TICK_60 and
 * TICK_3600 for each boundary crossed since the last call (the first call
 * after a pool wants ticks only starts the clock, as supervisord emits
 * none at startup).  Returns the seconds until the next 5-second boundary,
 * when to call again, or -1 while no pool wants ticks.
 */
double		 pool_bus_tick(struct pool_bus *bus, double now);

const char	*pool_name(const struct pool *p);
/* How many events wait in p's buffer (not those a listener holds). */
size_t		 pool_pending(const struct pool *p);

/*
 * Adds the listener process proc, named name, after the others (the order
 * of dispatch).  The listener belongs to p; proc is handed to send.
 */
struct listener	*pool_add_listener(struct pool *p, const char *name,
		    void *proc);
/* Removes l; an event it was busy with goes back to the buffer's head. */
void		 pool_remove_listener(struct pool *p, struct listener *l);
/* l's process was spawned: ACKNOWLEDGED, not RUNNING. */
void		 pool_listener_spawned(struct pool *p, struct listener *l);
/* l's process entered (running set) or left the RUNNING state. */
void		 pool_listener_running(struct pool *p, struct listener *l,
		    int running);
/* l's process exited: an event it was busy with goes back to the head. */
void		 pool_listener_exited(struct pool *p, struct listener *l);

/*
 * Sends buffered events, oldest first, each to the first RUNNING and READY
 * listener, until none is left.  Returns how many were sent.
 */
int		 pool_dispatch(struct pool *p);

#endif
