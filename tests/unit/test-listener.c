/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of events/listener.c: the listener protocol as supervisord's
 * PEventListenerDispatcher reads it, bytes in any split, with its log lines
 * (the expected sequences were recorded from supervisor 4.2.5 fed the same
 * bytes) and the results handed to the pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/listener.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define UNKNOWN_WARN	"WARN lis: has entered the UNKNOWN state and will " \
	"no longer receive events, this usually indicates the process " \
	"violated the eventlistener protocol"

#define MAX_LOGS	64
#define MAX_RESULTS	16

static struct {
	char			*logs[MAX_LOGS];
	size_t			 nlogs;
	enum listener_result	 results[MAX_RESULTS];
	size_t			 nresults;
	int			 quiet;	/* drop the "stdout output" lines */
} got;

/* Keeps "LEVL message": the time stamp and the newline are cut. */
static void
capture(enum log_level level, const char *record, size_t len, void *arg)
{
	(void)level;
	(void)arg;
	if (got.quiet && strstr(record, " stdout output:\n") != NULL)
		return;
	if (got.nlogs < MAX_LOGS)
		got.logs[got.nlogs++] = xstrndup(record + 24, len - 25);
}

static void
on_result(struct listener *l, enum listener_result result, void *arg)
{
	assert_string_equal(listener_name(l), "lis");
	assert_ptr_equal(arg, &got);
	if (got.nresults < MAX_RESULTS)
		got.results[got.nresults++] = result;
	/* In the log's order: a requeue is logged before the next bytes. */
	if (got.nlogs < MAX_LOGS) {
		got.logs[got.nlogs++] = xstrdup(result == LISTENER_PROCESSED ?
		    "=> processed" : "=> rejected");
	}
}

static void
clear(void)
{
	size_t	 i;

	for (i = 0; i < got.nlogs; i++)
		free(got.logs[i]);
	got.nlogs = 0;
	got.nresults = 0;
}

/* The log lines since the last check must be want (NULL-terminated). */
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
	clear();
}

#define EXPECT(...)	expect_logs((const char *const[]){ __VA_ARGS__, NULL })

static int
setup(void **state)
{
	*state = listener_create("lis", on_result, &got);
	got.quiet = 0;
	clear();
	return 0;
}

static int
teardown(void **state)
{
	listener_free(*state);
	clear();
	return 0;
}

static int
feed(struct listener *l, const char *s)
{
	return listener_feed(l, s, strlen(s));
}

/* Feeds s one byte at a time; returns the lowest return value. */
static int
feed_bytes(struct listener *l, const char *s, size_t len)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < len; i++) {
		if (listener_feed(l, s + i, 1) != 0)
			rc = -1;
	}
	return rc;
}

/* A fresh listener made READY, its log lines checked. */
static void
make_ready(struct listener *l)
{
	assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
	assert_int_equal(feed(l, "READY\n"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'READY\\n'",
	    "DEBG lis: ACKNOWLEDGED -> READY");
	assert_int_equal(listener_state(l), LISTENER_READY);
}

static void
test_ok(void **state)
{
	struct listener	*l = *state;

	make_ready(l);
	listener_set_busy(l);
	assert_int_equal(listener_state(l), LISTENER_BUSY);
	assert_int_equal(feed(l, "RESULT 2\nOK"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'RESULT 2\\nOK'",
	    "DEBG lis: event was processed",
	    "DEBG lis: BUSY -> ACKNOWLEDGED", "=> processed");
	assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
}

static void
test_fail(void **state)
{
	struct listener	*l = *state;

	make_ready(l);
	listener_set_busy(l);
	assert_int_equal(feed(l, "RESULT 4\nFAIL"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'RESULT 4\\nFAIL'",
	    "WARN lis: event was rejected",
	    "DEBG lis: BUSY -> ACKNOWLEDGED", "=> rejected");
	assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
}

static void
test_results(void **state)
{
	struct listener	*l = *state;
	static const struct {
		const char		*bytes;
		enum listener_result	 want;
	} cases[] = {
		{ "RESULT 2\nOK", LISTENER_PROCESSED },
		{ "RESULT 2\nNO", LISTENER_REJECTED },
		{ "RESULT 3\nOK!", LISTENER_REJECTED },
		{ "RESULT 5\nOKOKO", LISTENER_REJECTED },
		{ "RESULT 1\nO", LISTENER_REJECTED },
		{ "RESULT 2\nok", LISTENER_REJECTED },
		/* What Python's int() reads after the 7 bytes skipped. */
		{ "RESULT  +2 \r\nOK", LISTENER_PROCESSED },
		{ "RESULT 0_2\nOK", LISTENER_PROCESSED },
		{ "RESULT \t0002\x0b\nOK", LISTENER_PROCESSED },
		{ "garbage 2\nOK", LISTENER_PROCESSED },
		{ "RESULT -0\n", LISTENER_REJECTED },
		/* supervisord waits for more bytes to end these two. */
		{ "RESULT 0\n", LISTENER_REJECTED },
		{ "RESULT 0\n", LISTENER_REJECTED },
	};
	size_t		 i;

	got.quiet = 1;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		listener_reset(l);
		assert_int_equal(feed(l, "READY\n"), 0);
		listener_set_busy(l);
		assert_int_equal(feed_bytes(l, cases[i].bytes,
		    strlen(cases[i].bytes)), 0);
		assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
		assert_int_equal(got.nresults, 1);
		assert_int_equal(got.results[0], cases[i].want);
		clear();
	}
}

static void
test_bad_result_lines(void **state)
{
	struct listener	*l = *state;
	static const struct {
		const char	*bytes;
		size_t		 len;
		const char	*warn;
	} cases[] = {
		{ "RESULTx\n", 8, "WARN lis: bad result line: 'RESULTx'" },
		{ "RESULT\n", 7, "WARN lis: bad result line: 'RESULT'" },
		{ "RESULT \n", 8, "WARN lis: bad result line: 'RESULT '" },
		{ "RESULT -1\n", 10, "WARN lis: bad result line: 'RESULT -1'" },
		{ "RESULT 1__0\n", 12,
		    "WARN lis: bad result line: 'RESULT 1__0'" },
		{ "RESULT 2_\n", 10, "WARN lis: bad result line: 'RESULT 2_'" },
		{ "RESULT 0x2\n", 11,
		    "WARN lis: bad result line: 'RESULT 0x2'" },
		{ "RESULT 99999999999999999999999\n", 31,
		    "WARN lis: bad result line: "
		    "'RESULT 99999999999999999999999'" },
		{ "RESULT \xff\n", 9, "WARN lis: bad result line: "
		    "'Undecodable: b'RESULT \\xff''" },
		{ "RES\0LT\n", 7, "WARN lis: bad result line: 'RES\\x00LT'" },
	};
	size_t		 i;

	got.quiet = 1;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		listener_reset(l);
		assert_int_equal(feed(l, "READY\n"), 0);
		clear();
		listener_set_busy(l);
		assert_int_equal(listener_feed(l, cases[i].bytes,
		    cases[i].len), -1);
		EXPECT(cases[i].warn, "DEBG lis: BUSY -> UNKNOWN",
		    UNKNOWN_WARN, "=> rejected");
		assert_int_equal(listener_state(l), LISTENER_UNKNOWN);
	}
}

static void
test_long_line(void **state)
{
	struct listener	*l = *state;
	char		 buf[2000], want[1100];

	make_ready(l);
	got.quiet = 1;
	listener_set_busy(l);
	memset(buf, '7', sizeof buf);
	memcpy(buf, "RESULT ", 7);
	assert_int_equal(listener_feed(l, buf, 1000), 0);
	assert_int_equal(got.nlogs, 0);
	/* 1024 bytes without a newline are a bad line; Python waits on. */
	assert_int_equal(listener_feed(l, buf + 1000, 1000), -1);
	snprintf(want, sizeof want, "WARN lis: bad result line: '%.*s'",
	    1024, buf);
	EXPECT(want, "DEBG lis: BUSY -> UNKNOWN", UNKNOWN_WARN, "=> rejected");
}

static void
test_split(void **state)
{
	struct listener	*l = *state;
	static const char cycle[] = "READY\nRESULT 2\nOKREADY\nRESULT 4\nFAIL";

	/* The READY token in two pieces, then out-of-turn bytes. */
	assert_int_equal(feed(l, "RE"), 0);
	assert_int_equal(feed(l, "ADY\nx"), -1);
	EXPECT("DEBG 'lis' stdout output:\nb'RE'",
	    "DEBG 'lis' stdout output:\nb'ADY\\nx'",
	    "DEBG lis: ACKNOWLEDGED -> READY", "DEBG lis: READY -> UNKNOWN",
	    UNKNOWN_WARN);

	/* A whole cycle a byte at a time: the event is sent after READY. */
	listener_reset(l);
	assert_int_equal(feed_bytes(l, cycle, 2), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'R'",
	    "DEBG 'lis' stdout output:\nb'E'");
	got.quiet = 1;
	assert_int_equal(feed_bytes(l, cycle + 2, 4), 0);
	EXPECT("DEBG lis: ACKNOWLEDGED -> READY");
	listener_set_busy(l);
	assert_int_equal(feed_bytes(l, cycle + 6, 17), 0);
	EXPECT("DEBG lis: event was processed",
	    "DEBG lis: BUSY -> ACKNOWLEDGED", "=> processed",
	    "DEBG lis: ACKNOWLEDGED -> READY");
	listener_set_busy(l);
	assert_int_equal(feed_bytes(l, cycle + 23, sizeof cycle - 24), 0);
	EXPECT("WARN lis: event was rejected",
	    "DEBG lis: BUSY -> ACKNOWLEDGED", "=> rejected");
	assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
}

static void
test_one_read(void **state)
{
	struct listener	*l = *state;

	/* The result and the next READY in one read. */
	make_ready(l);
	listener_set_busy(l);
	assert_int_equal(feed(l, "RESULT 2\nOKREADY\n"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'RESULT 2\\nOKREADY\\n'",
	    "DEBG lis: event was processed",
	    "DEBG lis: BUSY -> ACKNOWLEDGED", "=> processed",
	    "DEBG lis: ACKNOWLEDGED -> READY");
	assert_int_equal(listener_state(l), LISTENER_READY);

	/* Two READY tokens: the second is data out of turn. */
	listener_reset(l);
	assert_int_equal(feed(l, "READY\nREADY\n"), -1);
	EXPECT("DEBG 'lis' stdout output:\nb'READY\\nREADY\\n'",
	    "DEBG lis: ACKNOWLEDGED -> READY", "DEBG lis: READY -> UNKNOWN",
	    UNKNOWN_WARN);
}

static void
test_garbage(void **state)
{
	struct listener	*l = *state;

	/* Text before READY: UNKNOWN, as supervisord, once 6 bytes are in. */
	assert_int_equal(feed(l, "hi\n"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'hi\\n'");
	assert_int_equal(listener_state(l), LISTENER_ACKNOWLEDGED);
	assert_int_equal(feed(l, "it's"), -1);
	EXPECT("DEBG 'lis' stdout output:\nb\"it's\"",
	    "DEBG lis: ACKNOWLEDGED -> UNKNOWN", UNKNOWN_WARN);

	/* UNKNOWN is for good: bytes are logged, then ignored. */
	assert_int_equal(feed(l, "READY\n"), 0);
	EXPECT("DEBG 'lis' stdout output:\nb'READY\\n'");
	assert_int_equal(listener_state(l), LISTENER_UNKNOWN);
	assert_int_equal(listener_feed(l, "", 0), 0);
	EXPECT("DEBG 'lis' stdout output:\nb''");

	/* A new process starts over; READY\r\n is no READY token. */
	listener_reset(l);
	assert_int_equal(feed(l, "READY\r\n"), -1);
	EXPECT("DEBG 'lis' stdout output:\nb'READY\\r\\n'",
	    "DEBG lis: ACKNOWLEDGED -> UNKNOWN", UNKNOWN_WARN);

	/* Bytes while READY, before any event. */
	listener_reset(l);
	make_ready(l);
	assert_int_equal(feed(l, "\x01"), -1);
	EXPECT("DEBG 'lis' stdout output:\nb'\\x01'",
	    "DEBG lis: READY -> UNKNOWN", UNKNOWN_WARN);
}

static void
test_quiet_log(void **state)
{
	struct listener	*l = *state;

	/* At INFO, only the warnings are written (and formatted). */
	log_set_level(LOG_LEVEL_INFO);
	assert_int_equal(feed(l, "READY\n"), 0);
	assert_int_equal(feed(l, "READY\n"), -1);
	log_set_level(LOG_LEVEL_DEBUG);
	EXPECT(UNKNOWN_WARN);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(listener_state_name(LISTENER_READY), "READY");
	assert_string_equal(listener_state_name(LISTENER_BUSY), "BUSY");
	assert_string_equal(listener_state_name(LISTENER_ACKNOWLEDGED),
	    "ACKNOWLEDGED");
	assert_string_equal(listener_state_name(LISTENER_UNKNOWN), "UNKNOWN");
	listener_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test_setup_teardown(test_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_results, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_result_lines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet_log, setup,
		    teardown),
		cmocka_unit_test(test_names),
	};

	log_set_level(LOG_LEVEL_DEBUG);
	log_add_sink(capture, LOG_LEVEL_DEBUG, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
