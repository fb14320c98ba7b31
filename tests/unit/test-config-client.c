/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/config-client.c: taskmasterctl's reading of a config
 * file must give the sections it reads exactly as ini.c gives them from the
 * whole file, and every error of the whole file, word for word; checked on
 * chosen files and on many generated from a fixed seed.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config-client.h"
#include "config/config.h"
#include "config/ini.h"
#include "util/xmalloc.h"

static char	 tmpdir[64];

static const char *const wanted[] = { "supervisorctl", "DEFAULT", "include",
    NULL };

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/test-config-client-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Writes len bytes of text to name in the directory; returns its path. */
static char *
write_file(const char *name, const char *text, size_t len)
{
	char	*path;
	int	 fd;

	path = xprintf("%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644);
	assert_true(fd != -1);
	assert_true(write(fd, text, len) == (ssize_t)len);
	close(fd);
	return path;
}

static void
same_section(const struct ini_section *a, const struct ini_section *b)
{
	size_t	i;

	if (a == NULL || b == NULL) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->file, b->file);
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_string_equal(a->entries[i].key, b->entries[i].key);
		assert_string_equal(a->entries[i].value, b->entries[i].value);
		assert_string_equal(a->entries[i].file, b->entries[i].file);
		assert_int_equal(a->entries[i].line, b->entries[i].line);
		assert_int_equal(a->entries[i].inherited,
		    b->entries[i].inherited);
	}
}

/*
 * Reads path both ways and checks that the client sees the same: the same
 * error, or the same files and the same sections it reads.  Returns how
 * many sections the client's reading kept.
 */
static size_t
compare_read(const char *path)
{
	struct ini		*full = ini_create(), *client = ini_create();
	char			*fcause = NULL, *ccause = NULL;
	const char *const	*w;
	size_t			 i, n;
	int			 frc, crc;

	frc = ini_read_file(full, path, &fcause);
	crc = config_client_read(client, path, &ccause);
	assert_int_equal(frc, crc);
	if (frc != 0)
		assert_string_equal(fcause, ccause);
	else {
		assert_int_equal(full->nfiles, client->nfiles);
		for (i = 0; i < full->nfiles; i++)
			assert_string_equal(full->files[i], client->files[i]);
		for (w = wanted; *w != NULL; w++)
			same_section(ini_find(full, *w), ini_find(client, *w));
	}
	n = client->n;
	free(fcause);
	free(ccause);
	ini_free(full);
	ini_free(client);
	return n;
}

static size_t
compare_text(const char *text, size_t len)
{
	char	*path = write_file("t.conf", text, len);
	size_t	 n;

	n = compare_read(path);
	free(path);
	return n;
}

#define COMPARE(s)	compare_text((s), sizeof(s) - 1)

/* A config of many programs in the plain subset: only 2 sections kept. */
static void
test_plain(void **state)
{
	char	*text = xstrdup("; generated\n[supervisord]\nlogfile=x\n");
	char	*tmp;
	int	 i;

	(void)state;
	for (i = 0; i < 300; i++) {
		xasprintf(&tmp, "%s\n[program:p%d]\ncommand = sleep 1000\n"
		    "environment = A=\"1\",\n\tB=\"2\"\nstartsecs: 0 ; inline\n"
		    "  ; a comment\n", text, i);
		free(text);
		text = tmp;
		if (i == 150) {
			xasprintf(&tmp, "%s[supervisorctl]\nserverurl = "
			    "unix://%%(here)s/s.sock\nprompt = tm\n\n", text);
			free(text);
			text = tmp;
		}
	}
	xasprintf(&tmp, "%s[DEFAULT]\nx = 1\n[supervisorctl]\nusername = u\n"
	    "password = p\n  continued\n\n\n", text);
	free(text);
	assert_int_equal(compare_text(tmp, strlen(tmp)), 2);
	free(tmp);
}

/* Line ends, a BOM, blank lines in values and the last line unended. */
static void
test_line_ends(void **state)
{
	(void)state;
	assert_int_equal(COMPARE("\xef\xbb\xbf[supervisorctl]\r\nprompt = a"
	    "\r\n  b\r\n\r\n  c\r\n[program:x]\r\ncommand = y\r\n"), 1);
	assert_int_equal(COMPARE("[supervisorctl]\rprompt = a\r\r  b\r"
	    "[program:x]\rcommand = y"), 1);
	assert_int_equal(COMPARE("[supervisorctl]\nprompt = a\n\n\n"
	    "[program:x]\ncommand = y\n\n\n[supervisorctl]\nusername = u"), 1);
	assert_int_equal(COMPARE(""), 0);
	assert_int_equal(COMPARE("\n\n; only comments\n"), 0);
}

/* Headers as ini.c takes them: to the last ']', text after it ignored. */
static void
test_headers(void **state)
{
	(void)state;
	assert_int_equal(COMPARE("[supervisorctl] x\nprompt = a\n"
	    "[program:a]]\ncommand = b\n[a]b]\nc = d\n"), 1);
	assert_int_equal(COMPARE("[supervisorctlx]\nprompt = a\n"
	    "[ supervisorctl]\nprompt = b\n"), 0);
	/* Not plain: parsed whole, with the same result. */
	COMPARE("[supervisorctl] ; c\nprompt = a\n[program:a] #c\nx = 1\n");
	COMPARE("[]\n");
	COMPARE("[x\n");
	COMPARE("[s]\n[\n");
}

/* Every error of ini.c comes out, also from sections the client skips. */
static void
test_errors(void **state)
{
	(void)state;
	COMPARE("[supervisorctl]\nprompt = a\n[program:a]\ncommand = b\n"
	    "garbage\n");
	COMPARE("key = before any section\n[supervisorctl]\n");
	COMPARE("  indented = before any section\n");
	COMPARE("[program:a]\n  indented = after a header\n");
	COMPARE("[program:a]\n= no key\n");
	COMPARE("[program:a]\n: no key\n");
	COMPARE("[program:a]\na ; = b\n");
	COMPARE("[program:a]\ncommand = a\0b\n");
	COMPARE("[program:a]\n#\0\n");
	COMPARE("[program:a]\ncommand = \xff\n");
	COMPARE("[program:a]\ncommand = caf\xc3\xa9\n[supervisorctl]\n"
	    "prompt = b\n");
	COMPARE("[program:a]\ncommand = a\x0b\n");
	COMPARE("[program:a]\n\x1c = x\n");
	assert_int_equal(compare_read("/nonexistent/t.conf"), 0);
}

/* A fragment of a generated file, NUL bytes included. */
struct frag {
	const char	*s;
	size_t		 len;
};

#define F(s)	{ (s), sizeof(s) - 1 }

/* Lines of the plain subset, though not plain everywhere. */
static const struct frag plain[] = {
	F("[supervisorctl]"), F("[DEFAULT]"), F("[include]"), F("[program:a]"),
	F("[program:b]"), F("[supervisord]"), F("[supervisorctl] trailing"),
	F("[supervisorctl]]"), F("[a]b]"), F("[supervisorctl]  \t"),
	F("serverurl = unix:///tmp/x.sock"), F("prompt: tm"), F("username=u"),
	F("password = p"), F("history_file = %(here)s/h"), F("command = /bin/cat"),
	F("files = *.conf"), F("PROMPT = Upper"), F("a = b ; c"), F("a = b #c"),
	F("a=b;c"), F("a:b=c"), F("x = 1 ; y = 2"), F("  continued"),
	F("\tcontinued"), F("   "), F(""), F(""), F("; comment"), F("# comment"),
	F("  ; indented comment"), F(" #x"),
};

/* Lines outside it: some are errors, some are not. */
static const struct frag odd[] = {
	F("[]"), F("["), F(" [supervisorctl]"), F("\t[program:a]"), F("[x ;c]"),
	F("[x] #c"), F("key"), F("=value"), F(":value"), F(" = v"), F("a ; = b"),
	F("a#b = c"), F("caf\xc3\xa9 = 1"), F("v = \xff"), F("; \xe9"),
	F("a = b\x01" "c"), F("a = \x7f"), F("a\x0b" "b = c"), F("\x0c = c"),
	F(" \x1c x"), F("a = b\0c"),
};

static const char *const line_ends[] = { "\n", "\n", "\n", "\r\n", "\r" };

/* Files made of random fragments and line ends, from a fixed seed. */
static void
test_generated(void **state)
{
	const size_t		 nplain = sizeof plain / sizeof plain[0];
	const size_t		 nodd = sizeof odd / sizeof odd[0];
	const size_t		 nheaders = 10;
	const struct frag	*f;
	char			 buf[4096];
	size_t			 len, kept = 0, i, k, lines;
	const char		*end;

	(void)state;
	srand(12345);
	for (i = 0; i < 5000; i++) {
		len = 0;
		if (rand() % 20 == 0) {
			memcpy(buf, "\xef\xbb\xbf", 3);
			len = 3;
		}
		lines = 1 + (size_t)rand() % 12;
		for (k = 0; k < lines; k++) {
			/* Mostly plain lines, so that both paths are taken. */
			/* Most files start with a header: fewer errors. */
			if (k == 0 && rand() % 4 != 0)
				f = &plain[(size_t)rand() % nheaders];
			else if (rand() % 8 == 0)
				f = &odd[(size_t)rand() % nodd];
			else
				f = &plain[(size_t)rand() % nplain];
			memcpy(buf + len, f->s, f->len);
			len += f->len;
			if (k + 1 == lines && rand() % 4 == 0)
				break;
			end = line_ends[rand() % 5];
			memcpy(buf + len, end, strlen(end));
			len += strlen(end);
		}
		kept += compare_text(buf, len);
	}
	/* Some files took the short way. */
	assert_true(kept > 0);
}

/* config_load_client() through the short way: values, lines, includes. */
static void
test_load_client(void **state)
{
	struct config	*cfg;
	char		*path, *inc, *cause = NULL, *want;

	(void)state;
	inc = xprintf("[program:c]\ncommand = cat\n[supervisorctl]\n"
	    "username = u\npassword = p\n");
	free(write_file("inc.conf", inc, strlen(inc)));
	free(inc);
	inc = xprintf("[supervisord]\n[include]\nfiles = inc.conf\n"
	    "[program:a]\ncommand = a\n[supervisorctl]\n"
	    "serverurl = unix://%%(here)s/s.sock\nprompt = tm\n");
	path = write_file("main.conf", inc, strlen(inc));
	free(inc);
	cfg = config_load_client(path, &cause);
	assert_non_null(cfg);
	assert_true(cfg->has_ctl);
	want = xprintf("unix://%s/s.sock", tmpdir);
	assert_string_equal(cfg->ctl.serverurl, want);
	assert_string_equal(cfg->ctl.prompt, "tm");
	assert_string_equal(cfg->ctl.username, "u");
	assert_string_equal(cfg->ctl.password, "p");
	assert_int_equal(cfg->ngroups, 0);
	free(want);
	config_free(cfg);
	free(path);
}

/*
 * Errors of config_load_client() are config_load()'s for what both read:
 * a key of [supervisorctl] far down the file keeps its line, and a bad
 * line of an included file is reported.
 */
static void
test_load_errors(void **state)
{
	char		*text, *tmp, *path, *ccause = NULL, *fcause = NULL;
	static const char bad[] = "[program:z]\ncommand = z\nbroken\n";
	int		 i;

	(void)state;
	text = xstrdup("[supervisord]\n");
	for (i = 0; i < 50; i++) {
		xasprintf(&tmp, "%s[program:p%d]\ncommand = x\n", text, i);
		free(text);
		text = tmp;
	}
	xasprintf(&tmp, "%s[supervisorctl]\nserverurl = %%(nosuch)s\n", text);
	path = write_file("e.conf", tmp, strlen(tmp));
	free(tmp);
	assert_null(config_load_client(path, &ccause));
	assert_non_null(strstr(ccause, "e.conf:103: "));
	free(ccause);
	free(path);

	xasprintf(&tmp, "%s[include]\nfiles = bad.conf\n", text);
	path = write_file("f.conf", tmp, strlen(tmp));
	free(tmp);
	free(write_file("bad.conf", bad, sizeof bad - 1));
	ccause = NULL;
	assert_null(config_load_client(path, &ccause));
	assert_null(config_load(path, &fcause));
	assert_string_equal(ccause, fcause);
	assert_non_null(strstr(ccause, "bad.conf:3: "));
	free(ccause);
	free(fcause);
	free(path);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_load_client),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
