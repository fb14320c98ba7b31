/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of config/expand.c.  Expected texts are what Python's
 * "fmt % names" gives with the same names (supervisord's expansion), except
 * where the project differs on purpose: a conversion without a name is an
 * error, and absurd widths are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/expand.h"

static const struct {
	const char	*in;
	const char	*out;
} expand_ok[] = {
	{ "plain", "plain" },
	{ "", "" },
	{ "%%", "%" },
	{ "100%% sure", "100% sure" },
	/* Expanded once: the result is not expanded again. */
	{ "%%(a)s", "%(a)s" },
	{ "%(a)s", "xy" },
	{ "%(a)s-%(a)s", "xy-xy" },
	{ "%(n)d", "5" },
	{ "%(n)02d", "05" },
	{ "%(n)03d", "005" },
	{ "%(n)s", "5" },
	{ "%(n)r", "5" },
	{ "%(n)i", "5" },
	{ "%(n)u", "5" },
	{ "%(n)x", "5" },
	{ "%(n)X", "5" },
	{ "%(n)o", "5" },
	{ "%(n)#x", "0x5" },
	{ "%(n)#o", "0o5" },
	{ "%(neg)#X", "-0X7B" },
	{ "%(neg)05d", "-0123" },
	{ "%(n)+d", "+5" },
	{ "%(n) d", " 5" },
	{ "%(n)-4d|", "5   |" },
	{ "%(n).3d", "005" },
	{ "%(n)05.3d", "00005" },
	{ "%(zero).0d", "0" },
	{ "%(n)e", "5.000000e+00" },
	{ "%(n).2f", "5.00" },
	{ "%(neg)+08.2f", "-0123.00" },
	{ "%(n)g", "5" },
	{ "%(n)#g", "5.00000" },
	{ "%(n)E", "5.000000E+00" },
	{ "%(n)G", "5" },
	{ "%(n)F", "5.000000" },
	{ "%(n)c", "\005" },
	{ "%(n)hd", "5" },
	{ "%(n)ld", "5" },
	{ "%(n)Ld", "5" },
	{ "%(a)5s|", "   xy|" },
	{ "%(a)-5s|", "xy   |" },
	{ "%(a).1s", "x" },
	{ "%(a)05s|", "   xy|" },
	{ "%(a)r", "'xy'" },
	{ "%(a)a", "'xy'" },
	{ "%(e)s", "\xc3\xa9\xe2\x82\xac" },
	{ "%(e).1s", "\xc3\xa9" },
	{ "%(e)4s|", "  \xc3\xa9\xe2\x82\xac|" },
	{ "%(e)r", "'\xc3\xa9\xe2\x82\xac'" },
	{ "%(e)a", "'\\xe9\\u20ac'" },
	{ "%(q)r", "\"it's\"" },
	{ "%(dq)r", "'say \"hi\"'" },
	{ "%(nl)r", "'a\\nb\\\\'" },
	{ "x%(n)dy%(a)sz", "x5yxyz" },
	{ "%(paren(x))s", "p" },
	{ "/var/log/%(a)s_%(n)02d.log", "/var/log/xy_05.log" },
};

static const struct {
	const char	*in;
	const char	*why;
} expand_bad[] = {
	{ "%(a)d", "%d format: a real number is required, not str" },
	{ "%(a)x", "%x format: an integer is required, not str" },
	{ "%(a)f", "must be real number, not str" },
	{ "%(a)c", "%c requires int or char" },
	{ "%Y", "unsupported format character 'Y' (0x59) at index 1" },
	{ "date +%Y", "unsupported format character 'Y' (0x59) at index 7" },
	{ "a %(a)Y", "unsupported format character 'Y' (0x59) at index 6" },
	{ "%(a)%", "unsupported format character '%' (0x25) at index 4" },
	{ "%5%", "unsupported format character '%' (0x25) at index 2" },
	{ "%", "incomplete format" },
	{ "x%", "incomplete format" },
	{ "%(a", "incomplete format key" },
	{ "%(a)", "incomplete format" },
	{ "%(a)5", "incomplete format" },
	{ "%(n).", "incomplete format" },
	{ "%(n)*d", "not enough arguments for format string" },
	{ "%(n).*d", "not enough arguments for format string" },
	{ "%(n)hhd", "unsupported format character 'h' (0x68) at index 5" },
	{ "\xc3\xa9%(n)Y", "unsupported format character 'Y' (0x59) at "
	    "index 5" },
	{ "%(n)\xc3\xa9", "unsupported format character '?' (0xe9) at "
	    "index 4" },
	{ "%(n)10000d", "width too big" },
	{ "%(n).10000d", "precision too big" },
	/* supervisord dumps its names here; this is an error instead. */
	{ "date +%s", "'%s' at index 6 has no name; write '%%' for a literal "
	    "'%'" },
	{ "%d", "'%d' at index 0 has no name" },
	{ "%(a)s %r", "'%r' at index 6 has no name" },
};

static void
test_ctx(struct expand_ctx *ctx)
{
	expand_ctx_init(ctx);
	expand_ctx_set_str(ctx, "a", "xy");
	expand_ctx_set_str(ctx, "e", "\xc3\xa9\xe2\x82\xac");
	expand_ctx_set_int(ctx, "n", 5);
	expand_ctx_set_int(ctx, "neg", -123);
	expand_ctx_set_int(ctx, "zero", 0);
	expand_ctx_set_str(ctx, "q", "it's");
	expand_ctx_set_str(ctx, "dq", "say \"hi\"");
	expand_ctx_set_str(ctx, "nl", "a\nb\\");
	expand_ctx_set_str(ctx, "paren(x)", "p");
}

static void
test_expand_ok(void **state)
{
	struct expand_ctx	 ctx;
	char			*out, *cause;
	size_t			 i;

	(void)state;
	test_ctx(&ctx);
	for (i = 0; i < sizeof expand_ok / sizeof expand_ok[0]; i++) {
		out = cause = NULL;
		assert_int_equal(expand(expand_ok[i].in, &ctx, "s.k", &out,
		    &cause), 0);
		assert_null(cause);
		assert_string_equal(out, expand_ok[i].out);
		free(out);
	}
	expand_ctx_clear(&ctx);
}

static void
test_expand_bad(void **state)
{
	struct expand_ctx	 ctx;
	char			*out, *cause, *want;
	size_t			 i, len;

	(void)state;
	test_ctx(&ctx);
	for (i = 0; i < sizeof expand_bad / sizeof expand_bad[0]; i++) {
		out = cause = NULL;
		assert_int_equal(expand(expand_bad[i].in, &ctx,
		    "program:a.command", &out, &cause), -1);
		assert_null(out);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "' for 'program:a.command' is "
		    "badly formatted: "));
		assert_true(strncmp(cause, "Format string '", 15) == 0);
		want = strstr(cause, "badly formatted: ") + 17;
		len = strlen(expand_bad[i].why);
		assert_true(strncmp(want, expand_bad[i].why, len) == 0);
		free(cause);
	}
	/* The whole of supervisord's message, with repr() quoting. */
	assert_int_equal(expand("date +%Y", &ctx, "program:a.command", &out,
	    &cause), -1);
	assert_string_equal(cause, "Format string 'date +%Y' for "
	    "'program:a.command' is badly formatted: unsupported format "
	    "character 'Y' (0x59) at index 7");
	free(cause);
	assert_int_equal(expand("it's %Y", &ctx, "w", &out, &cause), -1);
	assert_string_equal(cause, "Format string \"it's %Y\" for 'w' is "
	    "badly formatted: unsupported format character 'Y' (0x59) at "
	    "index 6");
	free(cause);
	expand_ctx_clear(&ctx);
}

static void
test_unknown(void **state)
{
	struct expand_ctx	 ctx;
	char			*out = NULL, *cause = NULL;

	(void)state;
	expand_ctx_init(&ctx);
	expand_ctx_set_str(&ctx, "program_name", "a");
	expand_ctx_set_str(&ctx, "here", "/etc");
	expand_ctx_set_str(&ctx, "ENV_HOME", "/root");
	expand_ctx_set_int(&ctx, "process_num", 0);
	assert_int_equal(expand("x %(nope)s %(program_name)s", &ctx,
	    "program:a.command", &out, &cause), -1);
	assert_null(out);
	/* The names are sorted as Python sorts strings. */
	assert_string_equal(cause, "Format string 'x %(nope)s "
	    "%(program_name)s' for 'program:a.command' contains names "
	    "('nope') which cannot be expanded. Available names: ENV_HOME, "
	    "here, process_num, program_name");
	free(cause);
	/* Names are case-sensitive; the first unknown one is reported. */
	assert_int_equal(expand("%(HERE)s %(x)s", &ctx, "environment", &out,
	    &cause), -1);
	assert_non_null(strstr(cause, "for 'environment' contains names "
	    "('HERE')"));
	free(cause);
	/* An unknown name is reported before a bad conversion after it. */
	assert_int_equal(expand("%(x)Y", &ctx, "w", &out, &cause), -1);
	assert_non_null(strstr(cause, "contains names ('x')"));
	free(cause);
	expand_ctx_clear(&ctx);
}

/* An inheriting context sees its parent's names, its own first. */
static void
test_inherit(void **state)
{
	struct expand_ctx	 base, mid, top;
	char			*out = NULL, *cause = NULL;

	(void)state;
	expand_ctx_init(&base);
	expand_ctx_set_str(&base, "here", "/etc");
	expand_ctx_set_str(&base, "ENV_X", "base");
	expand_ctx_init(&mid);
	expand_ctx_inherit(&mid, &base);
	expand_ctx_set_str(&mid, "program_name", "web");
	expand_ctx_init(&top);
	expand_ctx_inherit(&top, &mid);
	expand_ctx_set_int(&top, "process_num", 3);
	expand_ctx_set_str(&top, "ENV_X", "top");
	assert_int_equal(expand("%(here)s/%(program_name)s_%(process_num)02d "
	    "%(ENV_X)s", &top, "w", &out, &cause), 0);
	assert_string_equal(out, "/etc/web_03 top");
	free(out);
	assert_int_equal(expand("%(ENV_X)s", &mid, "w", &out, &cause), 0);
	assert_string_equal(out, "base");
	free(out);
	/* Every level's names, sorted, a shadowed one once. */
	assert_int_equal(expand("%(nope)s", &top, "w", &out, &cause), -1);
	assert_non_null(strstr(cause, "Available names: ENV_X, here, "
	    "process_num, program_name"));
	assert_null(strstr(cause, "ENV_X, ENV_X"));
	free(cause);
	expand_ctx_clear(&top);
	expand_ctx_clear(&mid);
	assert_int_equal(expand("%(here)s", &base, "w", &out, &cause), 0);
	assert_string_equal(out, "/etc");
	free(out);
	expand_ctx_clear(&base);
}

static void
test_ctx_ops(void **state)
{
	static char		 e1[] = "HOME=/home/u", e2[] = "EMPTY=",
				 e3[] = "NOEQUALS", e4[] = "A=b=c";
	char *const		 envp[] = { e1, e2, e3, e4, NULL };
	struct expand_ctx	 a, b;
	char			*out, *cause = NULL;

	(void)state;
	expand_ctx_init(&a);
	expand_ctx_set_environ(&a, envp);
	assert_int_equal(a.n, 3);
	assert_int_equal(expand("%(ENV_HOME)s|%(ENV_EMPTY)s|%(ENV_A)s", &a,
	    "w", &out, &cause), 0);
	assert_string_equal(out, "/home/u||b=c");
	free(out);
	/* Setting a name again replaces it, also across types. */
	expand_ctx_set_str(&a, "x", "1");
	expand_ctx_set_int(&a, "x", 7);
	assert_int_equal(a.n, 4);
	assert_int_equal(expand("%(x)03d", &a, "w", &out, &cause), 0);
	assert_string_equal(out, "007");
	free(out);
	expand_ctx_init(&b);
	expand_ctx_set_str(&b, "x", "old");
	expand_ctx_copy(&b, &a);
	assert_int_equal(b.n, 4);
	assert_int_equal(expand("%(x)d %(ENV_HOME)s", &b, "w", &out, &cause),
	    0);
	assert_string_equal(out, "7 /home/u");
	free(out);
	expand_ctx_clear(&a);
	expand_ctx_clear(&b);
	assert_int_equal(b.n, 0);
	expand_ctx_clear(&b);
}

/* No limit on the length of a value. */
static void
test_long(void **state)
{
	struct expand_ctx	 ctx;
	char			*in, *out, *cause = NULL;
	size_t			 i, n = 30000;

	(void)state;
	test_ctx(&ctx);
	in = malloc(n * 7 + 1);
	assert_non_null(in);
	for (i = 0; i < n; i++)
		memcpy(in + i * 7, "%(a)s%%", 7);
	in[n * 7] = '\0';
	assert_int_equal(expand(in, &ctx, "w", &out, &cause), 0);
	assert_int_equal(strlen(out), n * 3);
	assert_true(strncmp(out, "xy%xy%", 6) == 0);
	free(out);
	free(in);
	expand_ctx_clear(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand_ok),
		cmocka_unit_test(test_expand_bad),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_inherit),
		cmocka_unit_test(test_ctx_ops),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
