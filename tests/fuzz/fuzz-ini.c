/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target of the config reader: the bytes as text for ini.c, every value
 * through expand.c, then the same bytes as a supervisord.conf given to
 * config_load, [include] files and all.  Errors are fine; a crash, a leak, a
 * hang or an error without a message is not.
 */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "config/expand.h"
#include "config/ini.h"
#include "fuzz.h"
#include "util/xmalloc.h"

/* Bigger inputs only make each run slower, not the code more exercised. */
#define FUZZ_INI_MAX	(256 * 1024)

/* Files an [include] can find beside the config: good, bad, empty. */
static const struct {
	const char	*name;
	const char	*text;
} fuzz_ini_files[] = {
	{ "a.ini", "[program:inc]\ncommand=/bin/inc %(here)s\n"
	    "environment=A=\"1\",B=2\n" },
	{ "b.ini", "[group:g]\nprograms=inc\n[supervisord]\n"
	    "identifier=%(ENV_HOME)s\n" },
	{ "bad.ini", "[program:x]\nno delimiter here\n" },
	{ "empty.ini", "" },
};

int	__real_glob(const char *pattern, int flags,
	    int (*errfunc)(const char *, int), glob_t *pglob);
int	__wrap_glob(const char *pattern, int flags,
	    int (*errfunc)(const char *, int), glob_t *pglob);

/*
 * The binary is linked with --wrap=glob so that [include] patterns stay
 * inside the scratch directory: an expansion such as "%(here).1sdev" can
 * otherwise name /dev/zero or a FIFO, and a read of those never ends.
 * One path component below the directory is allowed, which "." and ".."
 * match only as directories, whose reads fail.
 */
int
__wrap_glob(const char *pattern, int flags,
    int (*errfunc)(const char *, int), glob_t *pglob)
{
	const char	*dir = fuzz_dir();
	size_t		 len = strlen(dir);

	if (strncmp(pattern, dir, len) != 0 || pattern[len] != '/' ||
	    strchr(pattern + len + 1, '/') != NULL)
		return GLOB_NOMATCH;
	return __real_glob(pattern, flags, errfunc, pglob);
}

static void
fuzz_ini_setup(void)
{
	static int	 done;
	char		*path;
	size_t		 i;

	if (done)
		return;
	done = 1;
	for (i = 0; i < sizeof fuzz_ini_files / sizeof fuzz_ini_files[0];
	    i++) {
		path = fuzz_path(fuzz_ini_files[i].name);
		fuzz_write(path, fuzz_ini_files[i].text,
		    strlen(fuzz_ini_files[i].text));
		free(path);
	}
}

/* The names a program section sees, strings and numbers both. */
static void
fuzz_ini_ctx(struct expand_ctx *ctx)
{
	static const char *const env[] = { "HOME=/home/u",
	    "PATH=/bin:/usr/bin", "EMPTY=", "X=%(here)s", "NOEQ", NULL };

	expand_ctx_init(ctx);
	expand_ctx_set_environ(ctx, (char *const *)env);
	expand_ctx_set_str(ctx, "here", "/etc/taskmaster");
	expand_ctx_set_str(ctx, "program_name", "web");
	expand_ctx_set_str(ctx, "group_name", "web");
	expand_ctx_set_str(ctx, "host_node_name", "host\xc3\xa9");
	expand_ctx_set_int(ctx, "process_num", 7);
	expand_ctx_set_int(ctx, "numprocs", -12);
	expand_ctx_set_int(ctx, "big", 0x7fffffffffffffffLL);
}

static void
fuzz_ini_expand(const struct ini *ini, const struct expand_ctx *ctx)
{
	const struct ini_section	*s;
	const struct ini_entry		*e;
	char				*out, *cause;
	size_t				 i, j;

	for (i = 0; i < ini->n; i++) {
		s = &ini->sections[i];
		for (j = 0; j < s->n; j++) {
			e = &s->entries[j];
			out = cause = NULL;
			if (expand(e->value, ctx, "fuzz.key", &out,
			    &cause) == 0) {
				if (out == NULL)
					fuzz_fail("expand gave no text");
				free(out);
			} else {
				if (cause == NULL)
					fuzz_fail("expand failed silently");
				free(cause);
			}
		}
	}
}

/* The parsed tree must be consistent with its lookups. */
static void
fuzz_ini_check(const struct ini *ini)
{
	const struct ini_section	*s;
	const struct ini_entry		*e;
	size_t				 i, j;
	const char			*k;

	for (i = 0; i < ini->n; i++) {
		s = &ini->sections[i];
		if (ini_find(ini, s->name) != s)
			fuzz_fail("section '%s' not found again", s->name);
		for (j = 0; j < s->n; j++) {
			e = &s->entries[j];
			if (ini_get(ini, s, e->key) != e)
				fuzz_fail("key '%s' not found again", e->key);
			for (k = e->key; *k != '\0'; k++) {
				if (*k >= 'A' && *k <= 'Z')
					fuzz_fail("key '%s' not folded", e->key);
			}
		}
	}
}

static void
fuzz_ini_text(const uint8_t *data, size_t size)
{
	struct expand_ctx	 ctx;
	struct ini		*ini;
	char			*cause = NULL;

	ini = ini_create();
	if (ini_read_string(ini, (const char *)data, size, "fuzz.conf",
	    &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("ini_read_string failed silently");
		free(cause);
	}
	fuzz_ini_check(ini);
	fuzz_ini_ctx(&ctx);
	fuzz_ini_expand(ini, &ctx);
	ini_replace_here(ini, "/etc/%(here)s");
	fuzz_ini_check(ini);
	fuzz_ini_expand(ini, &ctx);
	expand_ctx_clear(&ctx);
	ini_free(ini);
}

/*
 * The same file read twice gives equal groups, as a reload that changes
 * nothing must see them, and each is found by its name.
 */
static void
fuzz_ini_same(const char *path, const struct config *cfg)
{
	struct config	*again;
	char		*cause = NULL;
	size_t		 i;

	if ((again = config_load(path, &cause)) == NULL)
		fuzz_fail("the second load failed: %s", cause);
	if (again->ngroups != cfg->ngroups)
		fuzz_fail("%zu groups, then %zu", cfg->ngroups, again->ngroups);
	for (i = 0; i < cfg->ngroups; i++) {
		if (!group_config_equal(cfg->groups[i], again->groups[i]))
			fuzz_fail("group '%s' differs when read again",
			    cfg->groups[i]->name);
		if (config_find_group(cfg, cfg->groups[i]->name) !=
		    cfg->groups[i])
			fuzz_fail("group '%s' not found by its name",
			    cfg->groups[i]->name);
	}
	config_free(again);
}

static void
fuzz_ini_load(const uint8_t *data, size_t size)
{
	struct config	*cfg;
	char		*path, *cause = NULL;

	path = fuzz_path("supervisord.conf");
	fuzz_write(path, data, size);
	if ((cfg = config_load(path, &cause)) == NULL) {
		if (cause == NULL)
			fuzz_fail("config_load failed silently");
		free(cause);
	} else
		fuzz_ini_same(path, cfg);
	config_free(cfg);
	cause = NULL;
	if ((cfg = config_load_client(path, &cause)) == NULL) {
		if (cause == NULL)
			fuzz_fail("config_load_client failed silently");
		free(cause);
	}
	config_free(cfg);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_INI_MAX)
		return -1;
	fuzz_ini_setup();
	fuzz_ini_text(data, size);
	fuzz_ini_load(data, size);
	return 0;
}
