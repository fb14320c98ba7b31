/* SPDX-License-Identifier: ISC */
/*
 * supervisorctl's output formats: status lines and help columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shell/format.h"
#include "util/xmalloc.h"

static struct value *
info(const char *group, const char *name, const char *state,
    const char *desc)
{
	struct value	*v = value_struct();

	value_struct_set(v, "group", value_string(group));
	value_struct_set(v, "name", value_string(name));
	value_struct_set(v, "statename", value_string(state));
	value_struct_set(v, "description", value_string(desc));
	return v;
}

static void
test_namespec(void **state)
{
	char	*s;

	(void)state;
	s = format_namespec("web", "web");
	assert_string_equal(s, "web");
	free(s);
	s = format_namespec("grp", "g1");
	assert_string_equal(s, "grp:g1");
	free(s);
}

static void
test_status_line(void **state)
{
	struct value		*a = info("grp", "g1", "RUNNING",
	    "pid 5763, uptime 0:00:11");
	struct value		*b = info("multi", "multi_00", "STARTING", "");
	const struct value	*all[2] = { a, b };
	size_t			 w = format_status_width(all, 2);
	char			*line;

	(void)state;
	assert_int_equal(w, 33);
	line = format_status_line(a, w);
	assert_string_equal(line, "grp:g1                           "
	    "RUNNING   pid 5763, uptime 0:00:11\n");
	free(line);
	line = format_status_line(b, w);
	assert_string_equal(line, "multi:multi_00                   "
	    "STARTING  \n");
	free(line);
	value_free(a);
	value_free(b);
}

static void
test_status_width_long(void **state)
{
	struct value		*a = info("g", "a-very-long-process-name-here-xyz",
	    "STOPPED", "Not started");
	const struct value	*all[1] = { a };

	(void)state;
	assert_int_equal(format_status_width(all, 1), 35 + 3);
	value_free(a);
}

/* The table is the lines, one after another, padded like printf pads. */
static void
test_status_table(void **state)
{
	struct value		*a = info("web", "web", "RUNNING", "pid 1");
	struct value		*b = info("g", "a-name-longer-than-thirty-chars-x",
	    "BACKOFF_AND_MORE", "");
	const struct value	*all[2] = { a, b };
	char			*table, *want, *la, *lb;
	size_t			 len, w = format_status_width(all, 2);

	(void)state;
	table = format_status_table(all, 2, &len);
	la = format_status_line(a, w);
	lb = format_status_line(b, w);
	want = xprintf("%-*s%-10s%s\n%-*s%-10s%s\n", (int)w, "web",
	    "RUNNING", "pid 1", (int)w, "g:a-name-longer-than-thirty-chars-x",
	    "BACKOFF_AND_MORE", "");
	assert_string_equal(table, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(strlen(la) + strlen(lb), len);
	free(table);
	free(want);
	free(la);
	free(lb);
	table = format_status_table(all, 0, &len);
	assert_string_equal(table, "");
	assert_int_equal(len, 0);
	free(table);
	value_free(a);
	value_free(b);
}

/* The layout Python's cmd module gives supervisorctl's help (observed). */
static void
test_columns_help(void **state)
{
	const char *const words[] = { "add", "avail", "clear", "exit", "fg",
	    "maintail", "open", "pid", "quit", "reload", "remove", "reread",
	    "restart", "shutdown", "signal", "start", "status", "stop",
	    "tail", "update", "version" };
	char	*s;

	(void)state;
	s = format_columns(words, sizeof words / sizeof words[0], 79);
	assert_string_equal(s,
	    "add    exit      open  reload  restart   start   tail   \n"
	    "avail  fg        pid   remove  shutdown  status  update \n"
	    "clear  maintail  quit  reread  signal    stop    version\n");
	free(s);
}

static void
test_columns_one_row(void **state)
{
	const char *const words[] = { "a", "b" };
	char	*s;

	(void)state;
	s = format_columns(words, 2, 79);
	assert_string_equal(s, "a  b\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespec),
		cmocka_unit_test(test_status_line),
		cmocka_unit_test(test_status_width_long),
		cmocka_unit_test(test_status_table),
		cmocka_unit_test(test_columns_help),
		cmocka_unit_test(test_columns_one_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
