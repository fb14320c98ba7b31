/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of events/event.c: the names and hierarchy of supervisord's
 * event types, and payloads and envelopes byte for byte.  The expected
 * strings were produced by supervisor 4.2.5's events.py and
 * EventListenerPool._eventEnvelope on the same values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events/event.h"
#include "util/pyrepr.h"

/* Row sub, column t: whether issubclass(t, sub) in events.py. */
static const char *const matches[EVENT_NTYPES] = {
	"111111111111111111111111111",	/* EVENT */
	"011111111100000000000000000",	/* PROCESS_STATE */
	"001000000000000000000000000",	/* PROCESS_STATE_STARTING */
	"000100000000000000000000000",	/* PROCESS_STATE_RUNNING */
	"000010000000000000000000000",	/* PROCESS_STATE_BACKOFF */
	"000001000000000000000000000",	/* PROCESS_STATE_STOPPING */
	"000000100000000000000000000",	/* PROCESS_STATE_EXITED */
	"000000010000000000000000000",	/* PROCESS_STATE_STOPPED */
	"000000001000000000000000000",	/* PROCESS_STATE_FATAL */
	"000000000100000000000000000",	/* PROCESS_STATE_UNKNOWN */
	"000000000010000000000000000",	/* REMOTE_COMMUNICATION */
	"000000000001110000000000000",	/* PROCESS_LOG */
	"000000000000100000000000000",	/* PROCESS_LOG_STDOUT */
	"000000000000010000000000000",	/* PROCESS_LOG_STDERR */
	"000000000000001110000000000",	/* PROCESS_COMMUNICATION */
	"000000000000000100000000000",	/* PROCESS_COMMUNICATION_STDOUT */
	"000000000000000010000000000",	/* PROCESS_COMMUNICATION_STDERR */
	"000000000000000001110000000",	/* SUPERVISOR_STATE_CHANGE */
	"000000000000000000100000000",	/* SUPERVISOR_STATE_CHANGE_RUNNING */
	"000000000000000000010000000",	/* SUPERVISOR_STATE_CHANGE_STOPPING */
	"000000000000000000001111000",	/* TICK */
	"000000000000000000000100000",	/* TICK_5 */
	"000000000000000000000010000",	/* TICK_60 */
	"000000000000000000000001000",	/* TICK_3600 */
	"000000000000000000000000111",	/* PROCESS_GROUP */
	"000000000000000000000000010",	/* PROCESS_GROUP_ADDED */
	"000000000000000000000000001",	/* PROCESS_GROUP_REMOVED */
};

static const char *const names[EVENT_NTYPES] = {
	"EVENT", "PROCESS_STATE", "PROCESS_STATE_STARTING",
	"PROCESS_STATE_RUNNING", "PROCESS_STATE_BACKOFF",
	"PROCESS_STATE_STOPPING", "PROCESS_STATE_EXITED",
	"PROCESS_STATE_STOPPED", "PROCESS_STATE_FATAL",
	"PROCESS_STATE_UNKNOWN", "REMOTE_COMMUNICATION", "PROCESS_LOG",
	"PROCESS_LOG_STDOUT", "PROCESS_LOG_STDERR", "PROCESS_COMMUNICATION",
	"PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION_STDERR",
	"SUPERVISOR_STATE_CHANGE", "SUPERVISOR_STATE_CHANGE_RUNNING",
	"SUPERVISOR_STATE_CHANGE_STOPPING", "TICK", "TICK_5", "TICK_60",
	"TICK_3600", "PROCESS_GROUP", "PROCESS_GROUP_ADDED",
	"PROCESS_GROUP_REMOVED",
};

static void
test_names(void **state)
{
	enum event_type	 t;
	int		 i;

	(void)state;
	for (i = 0; i < EVENT_NTYPES; i++) {
		assert_string_equal(event_type_name((enum event_type)i),
		    names[i]);
		assert_int_equal(event_type_lookup(names[i], &t), 0);
		assert_int_equal(t, i);
	}
	assert_int_equal(event_type_lookup("process_state_Running", &t), 0);
	assert_int_equal(t, EVENT_PROCESS_STATE_RUNNING);
	assert_int_equal(event_type_lookup("TICK_10", &t), -1);
	assert_int_equal(event_type_lookup("", &t), -1);
	assert_int_equal(event_type_lookup("PROCESS_STATE_", &t), -1);
}

static void
test_hierarchy(void **state)
{
	uint32_t	 mask;
	int		 sub, t;

	(void)state;
	for (sub = 0; sub < EVENT_NTYPES; sub++) {
		mask = 0;
		for (t = 0; t < EVENT_NTYPES; t++) {
			assert_int_equal(event_type_matches(
			    (enum event_type)sub, (enum event_type)t),
			    matches[sub][t] == '1');
			if (matches[sub][t] == '1')
				mask |= (uint32_t)1 << t;
		}
		assert_int_equal(event_type_covers((enum event_type)sub), mask);
	}
}

static void
test_abstract(void **state)
{
	struct event_info	 info;
	int			 t;

	(void)state;
	memset(&info, 0, sizeof info);
	for (t = 0; t < EVENT_NTYPES; t++) {
		/* The abstract types are exactly those with subtypes. */
		assert_int_equal(event_type_abstract((enum event_type)t),
		    strchr(matches[t] + t + 1, '1') != NULL);
		info.type = (enum event_type)t;
		if (event_type_abstract(info.type))
			assert_null(event_msg_create(&info));
	}
	info.type = EVENT_NTYPES;
	assert_null(event_msg_create(&info));
}

static void
test_mask(void **state)
{
	char		 n1[] = "PROCESS_STATE", n2[] = "tick_60";
	char		 n3[] = "TICK_5", n4[] = "TICK", n5[] = "FOO";
	char		*ok[] = { n1, n2, n3 }, *bad[] = { n4, n5 };
	char		*cause = NULL;
	uint32_t	 mask;

	(void)state;
	assert_int_equal(event_type_mask(ok, 3, &mask, &cause), 0);
	assert_int_equal(mask, event_type_covers(EVENT_PROCESS_STATE) |
	    (1u << EVENT_TICK_60) | (1u << EVENT_TICK_5));
	assert_int_equal(event_type_mask(bad, 2, &mask, &cause), -1);
	assert_string_equal(cause, "Unknown event type FOO");
	free(cause);
}

/* Renders info and checks the payload, NULs included. */
static void
check_payload(const struct event_info *info, const char *want, size_t len)
{
	struct event_msg	*m;

	m = event_msg_create(info);
	assert_non_null(m);
	assert_int_equal(m->serial, -1);
	assert_int_equal(m->refs, 1);
	assert_int_equal(m->len, len);
	assert_memory_equal(m->payload, want, len);
	assert_int_equal(m->payload[len], '\0');
	event_msg_unref(m);
}

#define CHECK(info, want)	check_payload(info, want, sizeof want - 1)

static void
test_state_payloads(void **state)
{
	struct event_info	 i;

	(void)state;
	memset(&i, 0, sizeof i);
	i.process = "cat";
	i.group = "cat";
	i.pid = 2766;
	i.tries = 3;
	i.type = EVENT_PROCESS_STATE_STARTING;
	i.from_state = "STOPPED";
	CHECK(&i, "processname:cat groupname:cat from_state:STOPPED tries:3");
	i.type = EVENT_PROCESS_STATE_RUNNING;
	i.from_state = "STARTING";
	CHECK(&i, "processname:cat groupname:cat from_state:STARTING "
	    "pid:2766");
	i.type = EVENT_PROCESS_STATE_BACKOFF;
	CHECK(&i, "processname:cat groupname:cat from_state:STARTING tries:3");
	i.type = EVENT_PROCESS_STATE_STOPPING;
	i.from_state = "RUNNING";
	CHECK(&i, "processname:cat groupname:cat from_state:RUNNING pid:2766");
	i.type = EVENT_PROCESS_STATE_EXITED;
	i.expected = 0;
	CHECK(&i, "processname:cat groupname:cat from_state:RUNNING "
	    "expected:0 pid:2766");
	i.expected = 7;
	CHECK(&i, "processname:cat groupname:cat from_state:RUNNING "
	    "expected:1 pid:2766");
	i.type = EVENT_PROCESS_STATE_STOPPED;
	i.from_state = "STOPPING";
	CHECK(&i, "processname:cat groupname:cat from_state:STOPPING "
	    "pid:2766");
	i.type = EVENT_PROCESS_STATE_FATAL;
	i.from_state = "BACKOFF";
	CHECK(&i, "processname:cat groupname:cat from_state:BACKOFF");
	i.type = EVENT_PROCESS_STATE_UNKNOWN;
	i.from_state = "RUNNING";
	CHECK(&i, "processname:cat groupname:cat from_state:RUNNING");
	/* A process without a group, and STOPPED from BACKOFF: pid 0. */
	i.type = EVENT_PROCESS_STATE_STOPPED;
	i.process = "x";
	i.group = NULL;
	i.from_state = "BACKOFF";
	i.pid = 0;
	CHECK(&i, "processname:x groupname: from_state:BACKOFF pid:0");
}

static void
test_output_payloads(void **state)
{
	struct event_info	 i;

	(void)state;
	memset(&i, 0, sizeof i);
	i.process = "cat";
	i.group = "cat";
	i.pid = 2766;
	i.type = EVENT_PROCESS_LOG_STDOUT;
	i.data = "hello\n";
	i.len = 6;
	CHECK(&i, "processname:cat groupname:cat pid:2766 channel:stdout\n"
	    "hello\n");
	i.type = EVENT_PROCESS_LOG_STDERR;
	i.data = "bad \xff\x00'x\n";
	i.len = 9;
	CHECK(&i, "processname:cat groupname:cat pid:2766 channel:stderr\n"
	    "Undecodable: b\"bad \\xff\\x00'x\\n\"");
	i.data = "caf\xc3\xa9";
	i.len = 5;
	CHECK(&i, "processname:cat groupname:cat pid:2766 channel:stderr\n"
	    "caf\xc3\xa9");
	/* Valid UTF-8 goes through as it is, NUL bytes included. */
	i.data = "a\0b";
	i.len = 3;
	CHECK(&i, "processname:cat groupname:cat pid:2766 channel:stderr\n"
	    "a\0b");
	i.type = EVENT_PROCESS_COMMUNICATION_STDOUT;
	i.data = "<x/>";
	i.len = 4;
	CHECK(&i, "processname:cat groupname:cat pid:2766\n<x/>");
	i.type = EVENT_PROCESS_COMMUNICATION_STDERR;
	i.data = "\xed\xa0\x80";
	i.len = 3;
	CHECK(&i, "processname:cat groupname:cat pid:2766\n"
	    "Undecodable: b'\\xed\\xa0\\x80'");
	i.data = NULL;
	i.len = 0;
	CHECK(&i, "processname:cat groupname:cat pid:2766\n");
}

static void
test_other_payloads(void **state)
{
	struct event_info	 i;

	(void)state;
	memset(&i, 0, sizeof i);
	i.type = EVENT_REMOTE_COMMUNICATION;
	i.comm_type = "t1";
	i.data = "hi there";
	i.len = 8;
	CHECK(&i, "type:t1\nhi there");
	i.type = EVENT_SUPERVISOR_STATE_CHANGE_RUNNING;
	CHECK(&i, "");
	i.type = EVENT_SUPERVISOR_STATE_CHANGE_STOPPING;
	CHECK(&i, "");
	i.type = EVENT_PROCESS_GROUP_ADDED;
	i.group = "grp";
	CHECK(&i, "groupname:grp\n");
	i.type = EVENT_PROCESS_GROUP_REMOVED;
	CHECK(&i, "groupname:grp\n");
	i.type = EVENT_TICK_5;
	i.when = 1700000005;
	CHECK(&i, "when:1700000005");
	i.type = EVENT_TICK_3600;
	i.when = 1699999200;
	CHECK(&i, "when:1699999200");
}

static void
test_envelope(void **state)
{
	struct event_info	 i;
	struct event_msg	*m;
	char			*env;
	size_t			 len;
	static const char	 want[] = "ver:3.0 server:supervisor serial:14 "
	    "pool:lis poolserial:14 eventname:PROCESS_STATE_STOPPED len:68\n"
	    "processname:stubborn groupname:stubborn from_state:STOPPING "
	    "pid:7626";
	static const char	 empty[] = "ver:3.0 server:host1 serial:0 "
	    "pool:p poolserial:3 eventname:SUPERVISOR_STATE_CHANGE_RUNNING "
	    "len:0\n";
	static const char	 bytes[] = "ver:3.0 server:s serial:1 pool:p "
	    "poolserial:2 eventname:PROCESS_LOG_STDOUT len:49\n"
	    "processname:a groupname:b pid:9 channel:stdout\n\xc3\xa9";

	(void)state;
	memset(&i, 0, sizeof i);
	i.type = EVENT_PROCESS_STATE_STOPPED;
	i.process = i.group = "stubborn";
	i.from_state = "STOPPING";
	i.pid = 7626;
	m = event_msg_create(&i);
	m->serial = 14;
	env = event_envelope(m, "supervisor", "lis", 14, &len);
	assert_int_equal(len, sizeof want - 1);
	assert_string_equal(env, want);
	free(env);
	assert_ptr_equal(event_msg_ref(m), m);
	assert_int_equal(m->refs, 2);
	event_msg_unref(m);
	event_msg_unref(m);
	event_msg_unref(NULL);

	memset(&i, 0, sizeof i);
	i.type = EVENT_SUPERVISOR_STATE_CHANGE_RUNNING;
	m = event_msg_create(&i);
	m->serial = 0;
	env = event_envelope(m, "host1", "p", 3, &len);
	assert_int_equal(len, sizeof empty - 1);
	assert_string_equal(env, empty);
	free(env);
	event_msg_unref(m);

	/* len counts bytes: 2 for the one character U+00E9. */
	i.type = EVENT_PROCESS_LOG_STDOUT;
	i.process = "a";
	i.group = "b";
	i.pid = 9;
	i.data = "\xc3\xa9";
	i.len = 2;
	m = event_msg_create(&i);
	m->serial = 1;
	env = event_envelope(m, "s", "p", 2, &len);
	assert_int_equal(len, sizeof bytes - 1);
	assert_string_equal(env, bytes);
	free(env);
	event_msg_unref(m);
}

static void
check_repr(const char *in, size_t len, int bytes, const char *want)
{
	char	*got;

	got = py_repr(in, len, bytes);
	assert_string_equal(got, want);
	free(got);
}

static void
test_repr(void **state)
{
	(void)state;
	check_repr("", 0, 1, "b''");
	check_repr("abc", 3, 1, "b'abc'");
	check_repr("it's", 4, 1, "b\"it's\"");
	check_repr("a\"b", 3, 1, "b'a\"b'");
	check_repr("a'b\"c", 5, 1, "b'a\\'b\"c'");
	check_repr("\000\177\200\377\011\n\015\\", 8, 1,
	    "b'\\x00\\x7f\\x80\\xff\\t\\n\\r\\\\'");
	check_repr("caf\303\251", 5, 1, "b'caf\\xc3\\xa9'");
	check_repr("", 0, 0, "''");
	check_repr("it's", 4, 0, "\"it's\"");
	check_repr("a'b\"c", 5, 0, "'a\\'b\"c'");
	check_repr("\000\177\t\n\r\\", 6, 0, "'\\x00\\x7f\\t\\n\\r\\\\'");
	check_repr("caf\303\251", 5, 0, "'caf\303\251'");
}

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 valid;
	} cases[] = {
		{ "caf\303\251", 5, 1 },
		{ "\300\200", 2, 0 },
		{ "\301\277", 2, 0 },
		{ "\302\200", 2, 1 },
		{ "\340\237\277", 3, 0 },
		{ "\340\240\200", 3, 1 },
		{ "\355\237\277", 3, 1 },
		{ "\355\240\200", 3, 0 },
		{ "\357\277\277", 3, 1 },
		{ "\360\217\277\277", 4, 0 },
		{ "\360\220\200\200", 4, 1 },
		{ "\364\217\277\277", 4, 1 },
		{ "\364\220\200\200", 4, 0 },
		{ "\365\200\200\200", 4, 0 },
		{ "\342\202", 2, 0 },
		{ "\200", 1, 0 },
		{ "a\000b", 3, 1 },
		{ "\377", 1, 0 },
		{ "\342\202\254\342", 4, 0 },
		{ "", 0, 1 },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(py_utf8_valid(cases[i].s, cases[i].len),
		    cases[i].valid);
	}
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hierarchy),
		cmocka_unit_test(test_abstract),
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_state_payloads),
		cmocka_unit_test(test_output_payloads),
		cmocka_unit_test(test_other_payloads),
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_repr),
		cmocka_unit_test(test_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
