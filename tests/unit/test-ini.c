/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/ini.c: the dialect of Python's RawConfigParser as
 * supervisord sets it up (each expectation was checked against it), with
 * the file and line every key keeps for messages.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/ini.h"
#include "util/xmalloc.h"

static struct ini *
parse(const char *text)
{
	struct ini	*ini = ini_create();
	char		*cause = NULL;

	if (ini_read_string(ini, text, strlen(text), "t.conf", &cause) != 0)
		fail_msg("parse failed: %s", cause);
	return ini;
}

/* The value of key in section, without the [DEFAULT] fallback. */
static const char *
value(const struct ini *ini, const char *section, const char *key)
{
	const struct ini_section	*s;
	size_t				 i;

	if ((s = ini_find(ini, section)) == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		if (strcmp(s->entries[i].key, key) == 0)
			return s->entries[i].value;
	}
	return NULL;
}

static char *
parse_error(const char *text)
{
	struct ini	*ini = ini_create();
	char		*cause = NULL;

	assert_int_equal(ini_read_string(ini, text, strlen(text), "bad.conf",
	    &cause), -1);
	assert_non_null(cause);
	ini_free(ini);
	return cause;
}

static void
test_comments(void **state)
{
	struct ini	*ini;

	(void)state;
	ini = parse("; a comment\n# another\n[s]\n  ; indented comment\n"
	    "a = 1 ; cut\nb = x;y\nc = x#y\nd = x #cut\ne = a;b ;c #d\n"
	    "f = ;all\ng = 'x ; y'\nh = \"#\"\n#k = v\n");
	assert_int_equal(ini->n, 1);
	assert_string_equal(value(ini, "s", "a"), "1");
	assert_string_equal(value(ini, "s", "b"), "x;y");
	assert_string_equal(value(ini, "s", "c"), "x#y");
	assert_string_equal(value(ini, "s", "d"), "x");
	/* Python looks for ';' and '#' in rounds: '#' wins here. */
	assert_string_equal(value(ini, "s", "e"), "a;b ;c");
	assert_string_equal(value(ini, "s", "f"), "");
	/* Quotes do not protect. */
	assert_string_equal(value(ini, "s", "g"), "'x");
	assert_string_equal(value(ini, "s", "h"), "\"#\"");
	assert_null(value(ini, "s", "#k"));
	assert_int_equal(ini_find(ini, "s")->n, 8);
	ini_free(ini);
}

static void
test_keys(void **state)
{
	struct ini	*ini;

	(void)state;
	ini = parse("[Program:X]\nCommand = /bin/A\nb: 2\nc:d=e\nf=g:h\n"
	    "i =\nj    =    spaced   value   \n[ program:x ]\nk=v\n");
	assert_string_equal(value(ini, "Program:X", "command"), "/bin/A");
	assert_null(value(ini, "Program:X", "Command"));
	assert_null(ini_find(ini, "program:x"));
	assert_string_equal(value(ini, "Program:X", "b"), "2");
	/* The first delimiter, '=' or ':', ends the key. */
	assert_string_equal(value(ini, "Program:X", "c"), "d=e");
	assert_string_equal(value(ini, "Program:X", "f"), "g:h");
	assert_string_equal(value(ini, "Program:X", "i"), "");
	assert_string_equal(value(ini, "Program:X", "j"), "spaced   value");
	/* Section names are literal, blanks included. */
	assert_string_equal(value(ini, " program:x ", "k"), "v");
	ini_free(ini);

	ini = parse("[a]]\nx=1\n[b] trailing text\ny=2\n[c]=d\nz=3\n");
	assert_string_equal(value(ini, "a]", "x"), "1");
	assert_string_equal(value(ini, "b", "y"), "2");
	assert_string_equal(value(ini, "c", "z"), "3");
	ini_free(ini);
}

static void
test_continuation(void **state)
{
	struct ini	*ini;

	(void)state;
	ini = parse("[s]\ncommand = /bin/cat\n    -n\n\t-v\n; comment inside\n"
	    "  after comment\n\n  after blank\n\n\nnext = 1\n"
	    "  [not a section]\nlast = x\n\n\n");
	assert_string_equal(value(ini, "s", "command"),
	    "/bin/cat\n-n\n-v\nafter comment\n\nafter blank");
	assert_string_equal(value(ini, "s", "next"), "1\n[not a section]");
	/* Trailing blank lines are dropped. */
	assert_string_equal(value(ini, "s", "last"), "x");
	assert_null(ini_find(ini, "not a section"));
	ini_free(ini);
}

/* Indented keys are keys as long as they are not indented further. */
static void
test_indented(void **state)
{
	struct ini	*ini;

	(void)state;
	ini = parse("  [s]\n  a = 1\n  b = 2\n    more\n  c = 3\n[t]\nx = 1\n"
	    "  y = 2\n");
	assert_string_equal(value(ini, "s", "a"), "1");
	assert_string_equal(value(ini, "s", "b"), "2\nmore");
	assert_string_equal(value(ini, "s", "c"), "3");
	/* More indented than the key before: a continuation. */
	assert_string_equal(value(ini, "t", "x"), "1\ny = 2");
	assert_null(value(ini, "t", "y"));
	ini_free(ini);
}

static void
test_merge(void **state)
{
	const struct ini_section	*s;
	struct ini			*ini;
	char				*cause = NULL;
	static const char		 more[] = "[b]\nk = 3\n[a]\nz = 9\n";

	(void)state;
	ini = parse("[a]\nx = 1\ny = 2\n[b]\nk = 1\n[a]\nx = 3\nX = 4\n");
	assert_int_equal(ini->n, 2);
	s = ini_find(ini, "a");
	assert_int_equal(s->n, 2);
	/* A repeated key keeps its place; the last value wins. */
	assert_string_equal(s->entries[0].key, "x");
	assert_string_equal(s->entries[0].value, "4");
	assert_int_equal(s->entries[0].line, 8);
	assert_int_equal(s->line, 1);
	assert_int_equal(ini_read_string(ini, more, strlen(more), "more.conf",
	    &cause), 0);
	assert_string_equal(value(ini, "b", "k"), "3");
	assert_string_equal(value(ini, "a", "z"), "9");
	s = ini_find(ini, "a");
	/* A section belongs to the file that first defined it. */
	assert_string_equal(s->file, "t.conf");
	assert_string_equal(s->entries[2].file, "more.conf");
	assert_int_equal(s->entries[2].line, 4);
	assert_int_equal(ini->nfiles, 2);
	ini_free(ini);
}

static void
test_default(void **state)
{
	const struct ini_entry	*e;
	struct ini		*ini;

	(void)state;
	ini = parse("[DEFAULT]\nautostart = false\nk = d\n[a]\nk = own\n"
	    "[default]\nx = 1\n");
	e = ini_get(ini, ini_find(ini, "a"), "autostart");
	assert_non_null(e);
	assert_string_equal(e->value, "false");
	assert_int_equal(e->line, 2);
	assert_string_equal(ini_get(ini, ini_find(ini, "a"), "k")->value,
	    "own");
	/* Only DEFAULT in capitals is special. */
	assert_null(ini_get(ini, ini_find(ini, "a"), "x"));
	assert_string_equal(ini_get(ini, ini_find(ini, "default"),
	    "autostart")->value, "false");
	assert_string_equal(ini_get(ini, NULL, "k")->value, "d");
	assert_null(ini_get(ini, ini_find(ini, "a"), "none"));
	ini_free(ini);

	ini = parse("[a]\nk = v\n");
	assert_null(ini_get(ini, NULL, "k"));
	ini_free(ini);
}

static void
test_newlines(void **state)
{
	struct ini	*ini;

	(void)state;
	ini = parse("[s]\r\na = 1\r\nb = x\r\n  y\r\n\r\nc = 3\rd = 4\r"
	    "\xef\xbb\xbf=not a bom here\n");
	assert_string_equal(value(ini, "s", "a"), "1");
	assert_string_equal(value(ini, "s", "b"), "x\ny");
	assert_string_equal(value(ini, "s", "c"), "3");
	assert_string_equal(value(ini, "s", "d"), "4");
	assert_int_equal(ini_find(ini, "s")->entries[3].line, 7);
	ini_free(ini);

	/* A UTF-8 byte order mark at the start is skipped. */
	ini = parse("\xef\xbb\xbf[s]\na = 1");
	assert_string_equal(value(ini, "s", "a"), "1");
	ini_free(ini);
}

static void
test_long_line(void **state)
{
	struct ini	*ini;
	char		*text;
	size_t		 n = 1 << 20;

	(void)state;
	text = xmalloc(n + 32);
	memcpy(text, "[s]\nk = ", 8);
	memset(text + 8, 'x', n);
	strcpy(text + 8 + n, "\nz = 1\n");
	ini = parse(text);
	assert_int_equal(strlen(value(ini, "s", "k")), n);
	assert_string_equal(value(ini, "s", "z"), "1");
	ini_free(ini);
	free(text);
}

static void
test_errors(void **state)
{
	struct ini	*ini;
	char		*cause;

	(void)state;
	cause = parse_error("\n; ok\ncommand=x\n[s]\n");
	assert_string_equal(cause, "bad.conf:3: File contains no section "
	    "headers: 'command=x'");
	free(cause);
	cause = parse_error("[s]\na = 1\nthis is not valid\n");
	assert_string_equal(cause, "bad.conf:3: Source contains parsing "
	    "errors: 'this is not valid'");
	free(cause);
	cause = parse_error("[s]\r\n= value\r\n");
	assert_string_equal(cause, "bad.conf:2: Source contains parsing "
	    "errors: '= value'");
	free(cause);
	cause = parse_error("[]\n");
	assert_non_null(strstr(cause, "bad.conf:1: File contains no section "
	    "headers"));
	free(cause);
	cause = parse_error("  not a key\n");
	assert_non_null(strstr(cause, "bad.conf:1:"));
	free(cause);
	ini = ini_create();
	cause = NULL;
	assert_int_equal(ini_read_string(ini, "[s]\na=b\0c\n", 10, "nul.conf",
	    &cause), -1);
	assert_non_null(strstr(cause, "nul.conf:2: line contains a NUL"));
	free(cause);
	ini_free(ini);
	ini_free(NULL);
}

static void
test_file(void **state)
{
	struct ini	*ini;
	char		 path[] = "/tmp/test-ini-XXXXXX", *cause = NULL;
	int		 fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd != -1);
	assert_int_equal(write(fd, "[s]\nk = v\n", 10), 10);
	close(fd);
	ini = ini_create();
	assert_int_equal(ini_read_file(ini, path, &cause), 0);
	assert_string_equal(value(ini, "s", "k"), "v");
	assert_string_equal(ini_find(ini, "s")->entries[0].file, path);
	unlink(path);
	assert_int_equal(ini_read_file(ini, path, &cause), -1);
	assert_non_null(strstr(cause, "could not read config file"));
	assert_non_null(strstr(cause, path));
	free(cause);
	ini_free(ini);
}

static void
test_here(void **state)
{
	const struct ini_section	*s;
	struct ini			*ini;

	(void)state;
	ini = parse("[DEFAULT]\nlog = %(here)s/%(program_name)s.log\n"
	    "plain = x\n[a]\ncmd = %(here)s/a %(here)s\n[b]\n"
	    "log = own %(here)s\n");
	ini_replace_here(ini, "/etc/main");
	assert_string_equal(value(ini, "a", "cmd"), "/etc/main/a /etc/main");
	/* [DEFAULT] values are copied into each section, replaced. */
	assert_string_equal(value(ini, "a", "log"),
	    "/etc/main/%(program_name)s.log");
	s = ini_find(ini, "a");
	assert_true(s->entries[1].inherited);
	assert_false(s->entries[0].inherited);
	assert_int_equal(s->entries[1].line, 2);
	assert_null(value(ini, "a", "plain"));
	assert_string_equal(value(ini, "b", "log"), "own /etc/main");
	assert_string_equal(value(ini, "DEFAULT", "log"),
	    "%(here)s/%(program_name)s.log");
	ini_free(ini);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_indented),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_newlines),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
