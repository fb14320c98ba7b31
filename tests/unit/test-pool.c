/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of events/pool.c: serials, overflow, dispatch to the first
 * RUNNING and READY listener, requeue on a rejection or a death, and the
 * TICK clock, with a fake stdin for each listener and the main log
 * captured (messages as supervisor 4.2.5's EventListenerPool logs them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/pool.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MAX_LOGS	64
#define MAX_SENT	32

struct fake {
	const char	*name;
	int		 epipe;
	struct listener	*l;
};

static struct {
	char		*logs[MAX_LOGS];
	size_t		 nlogs;
	struct fake	*to[MAX_SENT];
	char		*sent[MAX_SENT];
	size_t		 nsent;
} got;

static struct fake	 f1 = { "l1", 0, NULL }, f2 = { "l2", 0, NULL };
static struct fake	 f3 = { "l3", 0, NULL };

/* Keeps "LEVL message" without the listeners' output lines. */
static void
capture(enum log_level level, const char *record, size_t len, void *arg)
{
	(void)level;
	(void)arg;
	if (strstr(record, " stdout output:\n") != NULL)
		return;
	if (got.nlogs < MAX_LOGS)
		got.logs[got.nlogs++] = xstrndup(record + 24, len - 25);
}

static int
fake_send(void *proc, const char *buf, size_t len)
{
	struct fake	*f = proc;

	if (f->epipe)
		return -1;
	if (got.nsent < MAX_SENT) {
		got.to[got.nsent] = f;
		got.sent[got.nsent++] = xstrndup(buf, len);
	}
	return 0;
}

static void
clear(void)
{
	size_t	 i;

	for (i = 0; i < got.nlogs; i++)
		free(got.logs[i]);
	for (i = 0; i < got.nsent; i++)
		free(got.sent[i]);
	got.nlogs = got.nsent = 0;
}

static void
expect_logs(const char *const *want)
{
	size_t	 i;

	for (i = 0; want[i] != NULL; i++) {
		if (i >= got.nlogs)
			fail_msg("missing log line %zu: %s", i, want[i]);
		assert_string_equal(got.logs[i], want[i]);
	}
	if (i != got.nlogs)
		fail_msg("extra log line: %s", got.logs[i]);
	for (i = 0; i < got.nlogs; i++)
		free(got.logs[i]);
	got.nlogs = 0;
}

#define EXPECT(...)	expect_logs((const char *const[]){ __VA_ARGS__, NULL })
#define NO_LOGS()	assert_int_equal(got.nlogs, 0)

/* Sends i must have gone to f and begin with want (the header). */
static void
expect_sent(size_t i, struct fake *f, const char *want)
{
	if (i >= got.nsent)
		fail_msg("nothing sent as %zu: %s", i, want);
	assert_ptr_equal(got.to[i], f);
	assert_memory_equal(got.sent[i], want, strlen(want));
}

static void
assert_delay(double secs, double want)
{
	assert_true(secs - want < 1e-6 && want - secs < 1e-6);
}

static int
setup(void **state)
{
	*state = pool_bus_create("supervisor", fake_send);
	f1.epipe = f2.epipe = f3.epipe = 0;
	clear();
	return 0;
}

static int
teardown(void **state)
{
	pool_bus_free(*state);
	clear();
	return 0;
}

static void
notify_state(struct pool_bus *bus, enum event_type t, const char *name)
{
	struct event_info	 info;

	memset(&info, 0, sizeof info);
	info.type = t;
	info.process = info.group = name;
	info.from_state = "STARTING";
	info.pid = 42;
	pool_bus_notify(bus, &info);
}

/* Adds f to p, RUNNING and READY; the log lines are dropped. */
static void
add_ready(struct pool *p, struct fake *f)
{
	f->l = pool_add_listener(p, f->name, f);
	pool_listener_spawned(p, f->l);
	pool_listener_running(p, f->l, 1);
	assert_int_equal(listener_feed(f->l, "READY\n", 6), 0);
	assert_int_equal(listener_state(f->l), LISTENER_READY);
	clear();
}

static void
feed(struct fake *f, const char *s)
{
	listener_feed(f->l, s, strlen(s));
}

static void
test_serials(void **state)
{
	struct pool_bus		*bus = *state;
	struct pool		*a, *b;
	struct event_info	 tick;

	a = pool_bus_add(bus, "a", 10, event_type_covers(EVENT_PROCESS_STATE));
	b = pool_bus_add(bus, "b", 10, (1u << EVENT_TICK_5) |
	    (1u << EVENT_PROCESS_STATE_RUNNING));
	assert_string_equal(pool_name(a), "a");
	memset(&tick, 0, sizeof tick);
	tick.type = EVENT_TICK_5;
	tick.when = 1700000005;
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "x");
	/* Nobody takes it: no serial is used. */
	notify_state(bus, EVENT_SUPERVISOR_STATE_CHANGE_RUNNING, "x");
	pool_bus_notify(bus, &tick);
	notify_state(bus, EVENT_PROCESS_STATE_BACKOFF, "y");
	assert_int_equal(pool_pending(a), 2);
	assert_int_equal(pool_pending(b), 2);
	NO_LOGS();

	add_ready(a, &f1);
	add_ready(b, &f2);
	assert_int_equal(pool_bus_dispatch(bus), 2);
	expect_sent(0, &f1, "ver:3.0 server:supervisor serial:0 pool:a "
	    "poolserial:0 eventname:PROCESS_STATE_RUNNING len:52\n"
	    "processname:x groupname:x from_state:STARTING pid:42");
	expect_sent(1, &f2, "ver:3.0 server:supervisor serial:0 pool:b "
	    "poolserial:0 eventname:PROCESS_STATE_RUNNING len:52\n");
	EXPECT("DEBG event 0 sent to listener l1",
	    "DEBG rebuffering event 2 for pool a (buf size=0, max=10)",
	    "DEBG event 0 sent to listener l2",
	    "DEBG rebuffering event 1 for pool b (buf size=0, max=10)");
	assert_int_equal(pool_pending(a), 1);
	assert_int_equal(pool_bus_dispatch(bus), 0);
	NO_LOGS();

	feed(&f1, "RESULT 2\nOKREADY\n");
	feed(&f2, "RESULT 2\nOKREADY\n");
	clear();
	assert_int_equal(pool_bus_dispatch(bus), 2);
	expect_sent(0, &f1, "ver:3.0 server:supervisor serial:2 pool:a "
	    "poolserial:1 eventname:PROCESS_STATE_BACKOFF len:53\n"
	    "processname:y groupname:y from_state:STARTING tries:0");
	expect_sent(1, &f2, "ver:3.0 server:supervisor serial:1 pool:b "
	    "poolserial:1 eventname:TICK_5 len:15\nwhen:1700000005");
	assert_int_equal(pool_pending(a), 0);
	assert_int_equal(pool_pending(b), 0);
}

static void
test_wants(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	assert_false(pool_bus_wants(bus, EVENT_PROCESS_STATE_RUNNING));
	/* PROCESS_STATE and one of its subtypes: buffered once. */
	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_PROCESS_STATE) |
	    (1u << EVENT_PROCESS_STATE_RUNNING));
	assert_true(pool_bus_wants(bus, EVENT_PROCESS_STATE_RUNNING));
	assert_true(pool_bus_wants(bus, EVENT_PROCESS_STATE_FATAL));
	assert_false(pool_bus_wants(bus, EVENT_TICK_5));
	assert_false(pool_bus_wants(bus, EVENT_NTYPES));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "x");
	notify_state(bus, EVENT_PROCESS_LOG_STDOUT, "x");
	assert_int_equal(pool_pending(p), 1);
	pool_bus_remove(bus, p);
	assert_false(pool_bus_wants(bus, EVENT_PROCESS_STATE_RUNNING));
	/* A pool not on the bus, and an abstract type: nothing happens. */
	pool_bus_remove(bus, NULL);
	p = pool_bus_add(bus, "q", 10, ~0u);
	notify_state(bus, EVENT_PROCESS_STATE, "x");
	assert_int_equal(pool_pending(p), 0);
}

static void
test_overflow(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	p = pool_bus_add(bus, "p", 3, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "c");
	NO_LOGS();
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "d");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "e");
	EXPECT("ERRO pool p event buffer overflowed, discarding event 0",
	    "ERRO pool p event buffer overflowed, discarding event 1");
	assert_int_equal(pool_pending(p), 3);
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(0, &f1, "ver:3.0 server:supervisor serial:2 pool:p "
	    "poolserial:2 eventname:PROCESS_STATE_RUNNING len:52\n"
	    "processname:c");
	EXPECT("DEBG event 2 sent to listener l1",
	    "DEBG rebuffering event 3 for pool p (buf size=1, max=3)");
}

static void
test_dispatch_order(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "c");

	/* Listeners that are not READY, or not RUNNING, get nothing. */
	f1.l = pool_add_listener(p, "l1", &f1);
	pool_listener_running(p, f1.l, 1);
	assert_int_equal(pool_dispatch(p), 0);
	feed(&f1, "READY\n");
	pool_listener_running(p, f1.l, 0);
	clear();
	assert_int_equal(pool_dispatch(p), 0);
	NO_LOGS();

	/* The first of those that can take one, in the order added. */
	add_ready(p, &f2);
	add_ready(p, &f3);
	assert_int_equal(pool_dispatch(p), 2);
	expect_sent(0, &f2, "ver:3.0 server:supervisor serial:0 ");
	expect_sent(1, &f3, "ver:3.0 server:supervisor serial:1 ");
	EXPECT("DEBG event 0 sent to listener l2",
	    "DEBG event 1 sent to listener l3",
	    "DEBG rebuffering event 2 for pool p (buf size=0, max=10)");
	assert_int_equal(listener_state(f2.l), LISTENER_BUSY);
	assert_int_equal(listener_state(f1.l), LISTENER_READY);
	assert_int_equal(pool_pending(p), 1);

	/* l1 is RUNNING now: it takes the third. */
	pool_listener_running(p, f1.l, 1);
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(2, &f1, "ver:3.0 server:supervisor serial:2 ");
}

static void
test_reject(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;
	char		*first;

	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	first = xstrdup(got.sent[0]);
	clear();

	/* FAIL: back at the head, re-sent with the same serials. */
	feed(&f1, "RESULT 4\nFAIL");
	EXPECT("WARN l1: event was rejected",
	    "DEBG l1: BUSY -> ACKNOWLEDGED",
	    "DEBG rebuffering event 0 for pool p (buf size=1, max=10)");
	assert_int_equal(pool_pending(p), 2);
	feed(&f1, "READY\n");
	assert_int_equal(pool_dispatch(p), 1);
	assert_string_equal(got.sent[0], first);
	free(first);

	/* A bad result line: requeued too, and the listener is done. */
	clear();
	feed(&f1, "RESULT x\n");
	EXPECT("WARN l1: bad result line: 'RESULT x'",
	    "DEBG l1: BUSY -> UNKNOWN",
	    "WARN l1: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol",
	    "DEBG rebuffering event 0 for pool p (buf size=1, max=10)");
	assert_int_equal(pool_dispatch(p), 0);

	/* OK: the event is gone. */
	add_ready(p, &f2);
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(0, &f2, "ver:3.0 server:supervisor serial:0 pool:p "
	    "poolserial:0 ");
	feed(&f2, "RESULT 2\nOK");
	assert_int_equal(pool_pending(p), 1);
	feed(&f2, "READY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(1, &f2, "ver:3.0 server:supervisor serial:1 pool:p "
	    "poolserial:1 ");
}

static void
test_death(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	clear();

	/* A BUSY listener leaving RUNNING keeps its event until it exits. */
	pool_listener_running(p, f1.l, 0);
	assert_int_equal(pool_pending(p), 1);
	pool_listener_exited(p, f1.l);
	EXPECT("DEBG rebuffering event 0 for pool p (buf size=1, max=10)");
	assert_int_equal(pool_pending(p), 2);
	pool_listener_exited(p, f1.l);
	NO_LOGS();

	add_ready(p, &f2);
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(0, &f2, "ver:3.0 server:supervisor serial:0 pool:p "
	    "poolserial:0 ");

	/* A respawn starts in ACKNOWLEDGED. */
	pool_listener_spawned(p, f1.l);
	pool_listener_running(p, f1.l, 1);
	assert_int_equal(listener_state(f1.l), LISTENER_ACKNOWLEDGED);
	assert_int_equal(pool_dispatch(p), 0);
	feed(&f1, "READY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(1, &f1, "ver:3.0 server:supervisor serial:1 ");

	/* Removing a busy listener gives its event back. */
	clear();
	pool_remove_listener(p, f2.l);
	EXPECT("DEBG rebuffering event 0 for pool p (buf size=0, max=10)");
	assert_int_equal(pool_pending(p), 1);
	pool_remove_listener(p, NULL);
	pool_listener_spawned(p, NULL);
	pool_listener_running(p, NULL, 1);
	pool_listener_exited(p, NULL);
	NO_LOGS();
}

static void
test_epipe(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	add_ready(p, &f1);
	add_ready(p, &f2);
	f1.epipe = f2.epipe = 1;
	assert_int_equal(pool_dispatch(p), 0);
	EXPECT("DEBG epipe occurred while sending event 0 to listener l1, listener state unchanged",
	    "DEBG epipe occurred while sending event 0 to listener l2, listener state unchanged",
	    "DEBG rebuffering event 0 for pool p (buf size=0, max=10)");
	assert_int_equal(listener_state(f1.l), LISTENER_READY);
	assert_int_equal(pool_pending(p), 1);

	f2.epipe = 0;
	assert_int_equal(pool_dispatch(p), 1);
	EXPECT("DEBG epipe occurred while sending event 0 to listener l1, listener state unchanged",
	    "DEBG event 0 sent to listener l2");
	expect_sent(0, &f2, "ver:3.0 server:supervisor serial:0 ");
}

static void
test_requeue_full(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;

	p = pool_bus_add(bus, "p", 2, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "c");
	clear();

	/* The rejected one goes to the head; the oldest buffered is lost. */
	feed(&f1, "RESULT 4\nFAIL");
	EXPECT("WARN l1: event was rejected",
	    "DEBG l1: BUSY -> ACKNOWLEDGED",
	    "DEBG rebuffering event 0 for pool p (buf size=2, max=2)",
	    "ERRO pool p event buffer overflowed, discarding event 1");
	assert_int_equal(pool_pending(p), 2);
	feed(&f1, "READY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(0, &f1, "ver:3.0 server:supervisor serial:0 ");
	feed(&f1, "RESULT 2\nOKREADY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(1, &f1, "ver:3.0 server:supervisor serial:2 pool:p "
	    "poolserial:2 ");
}

/* The serial in the envelope sent last. */
static long long
last_serial(void)
{
	long long	 serial;

	assert_int_equal(got.nsent, 1);
	assert_int_equal(sscanf(got.sent[0], "ver:3.0 server:supervisor "
	    "serial:%lld ", &serial), 1);
	clear();
	return serial;
}

static void
test_big_buffer(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p;
	long long	 model[400], next = 0;
	size_t		 head = 200, tail = 200;
	int		 i;

	/*
	 * The ring grows and wraps both ways: against a model of the buffer,
	 * with every third event rejected once and new ones coming in.
	 */
	p = pool_bus_add(bus, "p", 100, event_type_covers(EVENT_ANY));
	add_ready(p, &f1);
	for (i = 0; i < 50; i++) {
		notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
		model[tail++] = next++;
	}
	for (i = 0; i < 120; i++) {
		assert_int_equal(pool_dispatch(p), 1);
		assert_int_equal(last_serial(), model[head]);
		head++;
		if (i % 3 == 0) {
			feed(&f1, "RESULT 1\nXREADY\n");
			head--;
		} else
			feed(&f1, "RESULT 2\nOKREADY\n");
		if (i % 3 == 1) {
			notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
			model[tail++] = next++;
		}
		assert_int_equal(pool_pending(p), tail - head);
		clear();
	}
}

static void
test_ticks(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p, *q;

	assert_true(pool_bus_tick(bus, 1700000003.5) < 0);
	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_TICK));
	/* The first call starts the clock without an event. */
	assert_delay(pool_bus_tick(bus, 1700000003.5), 1.5);
	assert_delay(pool_bus_tick(bus, 1700000004.9), 0.1);
	assert_int_equal(pool_pending(p), 0);
	assert_delay(pool_bus_tick(bus, 1700000005.0), 5.0);
	assert_int_equal(pool_pending(p), 1);
	/* The hour: TICK_5, TICK_60 then TICK_3600, at the boundary. */
	assert_delay(pool_bus_tick(bus, 1700002801.2), 3.8);
	assert_int_equal(pool_pending(p), 4);
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(0, &f1, "ver:3.0 server:supervisor serial:0 pool:p "
	    "poolserial:0 eventname:TICK_5 len:15\nwhen:1700000005");
	feed(&f1, "RESULT 2\nOKREADY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(1, &f1, "ver:3.0 server:supervisor serial:1 pool:p "
	    "poolserial:1 eventname:TICK_5 len:15\nwhen:1700002800");
	feed(&f1, "RESULT 2\nOKREADY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(2, &f1, "ver:3.0 server:supervisor serial:2 pool:p "
	    "poolserial:2 eventname:TICK_60 len:15\nwhen:1700002800");
	feed(&f1, "RESULT 2\nOKREADY\n");
	assert_int_equal(pool_dispatch(p), 1);
	expect_sent(3, &f1, "ver:3.0 server:supervisor serial:3 pool:p "
	    "poolserial:3 eventname:TICK_3600 len:15\nwhen:1700002800");

	/* Only TICK_60 wanted: the clock still runs every 5 seconds. */
	q = pool_bus_add(bus, "q", 10, 1u << EVENT_TICK_60);
	pool_bus_remove(bus, p);
	assert_delay(pool_bus_tick(bus, 1700002855.0), 5.0);
	assert_int_equal(pool_pending(q), 0);
	assert_delay(pool_bus_tick(bus, 1700002860.5), 4.5);
	assert_int_equal(pool_pending(q), 1);

	/* No pool wants ticks: the clock stops, and restarts silently. */
	pool_bus_remove(bus, q);
	q = pool_bus_add(bus, "q", 10, 1u << EVENT_TICK_5);
	assert_delay(pool_bus_tick(bus, 1700009999.0), 1.0);
	assert_int_equal(pool_pending(q), 0);
	pool_bus_remove(bus, q);
	assert_true(pool_bus_tick(bus, 1700010000.0) < 0);
}

static void
test_bus_free(void **state)
{
	struct pool_bus	*bus = *state;
	struct pool	*p, *q;

	/* Buffered, shared, in-flight events go with the bus; size 0 is 1. */
	p = pool_bus_add(bus, "p", 10, event_type_covers(EVENT_ANY));
	q = pool_bus_add(bus, "q", 0, event_type_covers(EVENT_ANY));
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "a");
	notify_state(bus, EVENT_PROCESS_STATE_RUNNING, "b");
	assert_int_equal(pool_pending(q), 1);
	add_ready(p, &f1);
	assert_int_equal(pool_dispatch(p), 1);
	pool_bus_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test_setup_teardown(test_serials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_death, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requeue_full, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_big_buffer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ticks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_free, setup, teardown),
	};

	log_set_level(LOG_LEVEL_DEBUG);
	log_add_sink(capture, LOG_LEVEL_DEBUG, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
