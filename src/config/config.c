/* SPDX-License-Identifier: ISC */
/*
 * supervisord.conf to struct config: the [include] files, then every
 * section through the key table of keys.c in supervisord's order, the
 * groups built by config-group.c.  An error is one line naming file, line,
 * section and key; warnings and infos wait in cfg->messages until the main
 * log exists.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config-client.h"
#include "config/internal.h"
#include "util/xmalloc.h"

static const struct {
	const char	*prefix;
	int		 exact;
	unsigned	 kind;
} config_kinds[] = {
	{ "supervisord", 1, KS_SUPERVISORD },
	{ "supervisorctl", 1, KS_CTL },
	{ "include", 1, KS_INCLUDE },
	{ "program:", 0, KS_PROGRAM },
	{ "eventlistener:", 0, KS_LISTENER },
	{ "fcgi-program:", 0, KS_FCGI },
	{ "group:", 0, KS_GROUP },
	/* supervisord takes every section whose name starts so. */
	{ "unix_http_server", 0, KS_UNIX },
	{ "inet_http_server", 0, KS_INET },
};

unsigned
config_kind(const char *name)
{
	size_t	i, len;

	for (i = 0; i < sizeof config_kinds / sizeof config_kinds[0]; i++) {
		len = strlen(config_kinds[i].prefix);
		if (config_kinds[i].exact ?
		    strcmp(name, config_kinds[i].prefix) == 0 :
		    strncmp(name, config_kinds[i].prefix, len) == 0)
			return config_kinds[i].kind;
	}
	return 0;
}

/*
 * The length of the UTF-8 character at s as Python's strict decoder takes
 * it (no overlong forms, surrogates or code points past U+10FFFF), or 0 if
 * s starts an invalid sequence; *why is then Python's reason.
 */
static size_t
config_utf8_len(const char *s, const char **why)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 n, i;

	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		lo = u[0] == 0xe0 ? 0xa0 : 0x80;
		hi = u[0] == 0xed ? 0x9f : 0xbf;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		lo = u[0] == 0xf0 ? 0x90 : 0x80;
		hi = u[0] == 0xf4 ? 0x8f : 0xbf;
	} else {
		*why = "invalid start byte";
		return 0;
	}
	for (i = 1; i < n; i++) {
		if (u[i] < (i == 1 ? lo : 0x80) || u[i] > (i == 1 ? hi : 0xbf)) {
			*why = "invalid continuation byte";
			return 0;
		}
	}
	return n;
}

/*
 * Rewrites *text so that it stays on one line and prints as it is: control
 * characters and bytes that are not UTF-8 become Python's escapes.  Values
 * in messages may come from continuation lines or hostile files.
 */
static void
config_escape(char **text)
{
	const char	*p, *why;
	char		*out, *o;
	size_t		 n;

	out = o = xmalloc(strlen(*text) * 4 + 1);
	for (p = *text; *p != '\0'; p += n) {
		n = config_utf8_len(p, &why);
		if (n > 1 || (n == 1 && *p >= 0x20 && *p != 0x7f)) {
			memcpy(o, p, n);
			o += n;
		} else if (*p == '\n' || *p == '\t' || *p == '\r') {
			*o++ = '\\';
			*o++ = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
			n = 1;
		} else {
			o += snprintf(o, 5, "\\x%02x", (unsigned char)*p);
			n = 1;
		}
	}
	*o = '\0';
	free(*text);
	*text = out;
}

void
config_add_message(struct config *cfg, enum log_level level,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*text;
	size_t	 i;

	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	config_escape(&text);
	/* Per-process warnings would repeat for each of numprocs. */
	for (i = 0; i < cfg->nmessages; i++) {
		if (cfg->messages[i].level == level &&
		    strcmp(cfg->messages[i].text, text) == 0) {
			free(text);
			return;
		}
	}
	cfg->messages = xreallocarray(cfg->messages, cfg->nmessages + 1,
	    sizeof *cfg->messages);
	cfg->messages[cfg->nmessages].level = level;
	cfg->messages[cfg->nmessages].text = text;
	cfg->nmessages++;
}

/* supervisord logs criticals, then warnings, then infos. */
static void
config_sort_messages(struct config *cfg)
{
	struct config_message	m;
	size_t			i, j;

	for (i = 1; i < cfg->nmessages; i++) {
		m = cfg->messages[i];
		for (j = i; j > 0 && cfg->messages[j - 1].level < m.level; j--)
			cfg->messages[j] = cfg->messages[j - 1];
		cfg->messages[j] = m;
	}
}

void
config_reader(struct config_load *ld, struct key_reader *r,
    const struct ini_section *s, const char *name, unsigned kind,
    const struct expand_ctx *ctx)
{
	memset(r, 0, sizeof *r);
	r->cfg = ld->cfg;
	r->ini = ld->ini;
	r->s = s;
	r->section = s != NULL ? s->name : name;
	r->file = s != NULL ? s->file : ld->cfg->path;
	r->line = s != NULL ? s->line : 0;
	r->kind = kind;
	r->ctx = ctx;
	r->cause = ld->cause;
}

int
config_get(const struct key_reader *r, const char *key, struct key_value *v)
{
	return keys_read(r, keys_find(r->kind, key), v);
}

/*
 * [include] files= is split like Python's str.split(): runs of blanks
 * separate, none at the ends, so a path cannot hold a blank.
 */
static char **
config_split(const char *s, size_t *n)
{
	static const char	  blanks[] = " \t\n\v\f\r\x1c\x1d\x1e\x1f";
	char			**v = NULL;
	size_t			  len;

	*n = 0;
	for (;;) {
		s += strspn(s, blanks);
		if (*s == '\0')
			return v;
		len = strcspn(s, blanks);
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = xstrndup(s, len);
		s += len;
	}
}

static void
config_free_words(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
config_pathcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The client reads only the sections it needs (config-client.c). */
static int
config_read(struct config_load *ld, const char *path)
{
	if (ld->client)
		return config_client_read(ld->ini, path, ld->cause);
	return ini_read_file(ld->ini, path, ld->cause);
}

/* One pattern of [include] files=, relative to the main file. */
static int
config_include_one(struct config_load *ld, const char *pattern)
{
	glob_t	 g;
	char	*full, *dir, *abs;
	size_t	 i;
	int	 rc = 0;

	if (*pattern == '/')
		full = xstrdup(pattern);
	else
		full = xprintf("%s%s%s", ld->here,
		    ld->here[strlen(ld->here) - 1] == '/' ? "" : "/", pattern);
	memset(&g, 0, sizeof g);
	/*
	 * Python's glob has no escapes, and sorted() orders bytes, not the
	 * locale's collation that glob(3) would use.
	 */
	if (glob(full, GLOB_NOSORT|GLOB_NOESCAPE, NULL, &g) != 0 ||
	    g.gl_pathc == 0) {
		config_add_message(ld->cfg, LOG_LEVEL_WARN,
		    "No file matches via include \"%s\"", full);
		goto out;
	}
	qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, config_pathcmp);
	for (i = 0; i < g.gl_pathc && rc == 0; i++) {
		config_add_message(ld->cfg, LOG_LEVEL_INFO,
		    "Included extra file \"%s\" during parsing", g.gl_pathv[i]);
		if ((rc = config_read(ld, g.gl_pathv[i])) != 0)
			break;
		dir = keys_dirname(g.gl_pathv[i]);
		abs = keys_abspath(dir);
		ini_replace_here(ld->ini, abs);
		free(abs);
		free(dir);
	}
out:
	globfree(&g);
	free(full);
	return rc;
}

/*
 * supervisord reads [include] once, from the main file, so included files
 * cannot include more.  %(here)s is replaced textually first, so that in an
 * included file it means that file's directory.
 */
static int
config_include(struct config_load *ld)
{
	const struct ini_section	 *s;
	struct key_reader		  r;
	struct key_value		  v;
	struct expand_ctx		  ctx;
	char				**pats = NULL;
	size_t				  n = 0, i;
	int				  rc = -1;

	if (ini_find(ld->ini, "include") == NULL)
		return 0;
	ini_replace_here(ld->ini, ld->here);
	s = ini_find(ld->ini, "include");
	expand_ctx_init(&ctx);
	expand_ctx_copy(&ctx, &ld->here_env);
	expand_ctx_set_str(&ctx, "host_node_name", ld->host);
	config_reader(ld, &r, s, s->name, KS_INCLUDE, &ctx);
	if (config_get(&r, "files", &v) != 0)
		goto out;
	if (!v.set) {
		keys_error(&r, NULL, NULL, ".ini file has [include] section, "
		    "but no files setting");
		goto out;
	}
	pats = config_split(v.str, &n);
	keys_value_clear(&v);
	for (i = 0; i < n; i++) {
		if (config_include_one(ld, pats[i]) != 0)
			goto out;
	}
	rc = 0;
out:
	config_free_words(pats, n);
	expand_ctx_clear(&ctx);
	return rc;
}

/* Whether s is UTF-8; if not, *at is the first bad byte. */
static int
config_utf8_valid(const char *s, unsigned char *at, const char **why)
{
	size_t	n;

	for (; *s != '\0'; s += n) {
		if ((n = config_utf8_len(s, why)) == 0) {
			*at = (unsigned char)*s;
			return 0;
		}
	}
	return 1;
}

/*
 * supervisord reads every file as UTF-8 and refuses one that is not; the
 * names and values are what would reach logs, XML-RPC replies and children.
 */
static int
config_check_utf8(struct config_load *ld)
{
	const struct ini_section	*s;
	const struct ini_entry		*e;
	struct key_reader		 r;
	const char			*why;
	unsigned char			 c;
	size_t				 i, j;

	for (i = 0; i < ld->ini->n; i++) {
		s = &ld->ini->sections[i];
		config_reader(ld, &r, s, s->name, 0, NULL);
		if (!config_utf8_valid(s->name, &c, &why))
			return keys_error(&r, NULL, NULL, "'utf-8' codec can't "
			    "decode byte 0x%02x: %s", c, why);
		for (j = 0; j < s->n; j++) {
			e = &s->entries[j];
			if (!config_utf8_valid(e->key, &c, &why) ||
			    !config_utf8_valid(e->value, &c, &why))
				return keys_error(&r, e, e->key, "'utf-8' codec "
				    "can't decode byte 0x%02x: %s", c, why);
		}
	}
	return 0;
}

/* supervisord ignores a misspelt key without a word; we warn. */
static void
config_warn_unknown(struct config_load *ld)
{
	struct key_reader	r;
	unsigned		kind;
	size_t			i;

	for (i = 0; i < ld->ini->n; i++) {
		kind = config_kind(ld->ini->sections[i].name);
		/* A [DEFAULT] key must be known to some kind of section. */
		if (strcmp(ld->ini->sections[i].name, INI_DEFAULT) == 0)
			kind = ~0U;
		if (kind == 0)
			continue;
		config_reader(ld, &r, &ld->ini->sections[i], NULL, kind, NULL);
		keys_check_unknown(&r);
	}
}

/*
 * Adds ENV_<KEY> names for env: to also, or when it is NULL to the names of
 * every later section, as supervisord adds [supervisord] environment= to
 * the dictionary all later sections share.
 */
void
config_add_env(struct config_load *ld, const struct envlist *env,
    struct expand_ctx *also)
{
	char	*name;
	size_t	 i;

	for (i = 0; i < env->n; i++) {
		xasprintf(&name, "ENV_%s", env->pairs[i].key);
		if (also != NULL)
			expand_ctx_set_str(also, name, env->pairs[i].value);
		else {
			expand_ctx_set_str(&ld->env, name, env->pairs[i].value);
			expand_ctx_set_str(&ld->here_env, name,
			    env->pairs[i].value);
		}
		free(name);
	}
}

static int
config_supervisord(struct config_load *ld)
{
	struct supervisord_config	*sd = &ld->cfg->sd;
	const struct ini_section	*s;
	struct key_reader		 r;
	struct expand_ctx		 host;
	int				 rc;

	if ((s = ini_find(ld->ini, "supervisord")) == NULL) {
		xasprintf(ld->cause, "%s: .ini file does not include "
		    "supervisord section", ld->cfg->path);
		return -1;
	}
	sd->uid = (uid_t)-1;
	sd->gid = (gid_t)-1;
	config_reader(ld, &r, s, s->name, KS_SUPERVISORD, &ld->here_env);
	if (keys_apply(&r, KEY_ONCE, sd) != 0)
		return -1;
	/*
	 * supervisord expands environment= twice, the second time with
	 * host_node_name as well; once, with every name, keeps configs
	 * written for either pass working and "%%" means "%".
	 */
	expand_ctx_init(&host);
	expand_ctx_copy(&host, &ld->here_env);
	expand_ctx_set_str(&host, "host_node_name", ld->host);
	r.ctx = &host;
	rc = keys_apply(&r, KEY_HOST, sd);
	expand_ctx_clear(&host);
	if (rc == 0)
		config_add_env(ld, &sd->environment, NULL);
	return rc;
}

char *
config_strip(const char *s)
{
	size_t	len;

	s += strspn(s, " \t\n\v\f\r");
	len = strlen(s);
	while (len > 0 && strchr(" \t\n\v\f\r", s[len - 1]) != NULL)
		len--;
	return xstrndup(s, len);
}

static int
config_expand_entry(const struct key_reader *r, const struct ini_entry *e,
    char **out)
{
	char	*what, *why;
	int	 rc = 0;

	xasprintf(&what, "%s.%s", r->section, e->key);
	if (expand(e->value, r->ctx, what, out, &why) != 0) {
		rc = keys_error(r, e, e->key, "%s", why);
		free(why);
	}
	free(what);
	return rc;
}

/*
 * Only supervisord's own interface exists here.  Every value is expanded,
 * as supervisord does before it passes them to the factory.
 */
static int
config_rpcinterface(struct config_load *ld, const struct ini_section *s)
{
	static const char	 key[] = "supervisor.rpcinterface_factory";
	static const char	 std[] =
	    "supervisor.rpcinterface:make_main_rpcinterface";
	const struct ini_entry	*e;
	struct key_reader	 r;
	char			*out, *spec;
	size_t			 i;

	config_reader(ld, &r, s, s->name, 0, &ld->env);
	for (i = 0; i < s->n; i++) {
		if (config_expand_entry(&r, &s->entries[i], &out) != 0)
			return -1;
		free(out);
	}
	if ((e = ini_get(ld->ini, s, key)) == NULL)
		return keys_error(&r, NULL, NULL, "section [%s] does not "
		    "specify a %s", s->name, key);
	if (config_expand_entry(&r, e, &out) != 0)
		return -1;
	spec = config_strip(out);
	free(out);
	if (strcmp(spec, std) == 0)
		ld->cfg->has_rpcinterface = 1;
	else
		keys_warn(&r, e, key, "%s cannot be resolved within [%s]; "
		    "only %s is supported, the section is ignored", spec,
		    s->name, std);
	free(spec);
	return 0;
}

static int
config_plugins(struct config_load *ld)
{
	const struct ini_section	*s;
	struct key_reader		 r;
	size_t				 i;

	for (i = 0; i < ld->ini->n; i++) {
		s = &ld->ini->sections[i];
		if (strncmp(s->name, "rpcinterface:", 13) == 0) {
			if (config_rpcinterface(ld, s) != 0)
				return -1;
		} else if (strncmp(s->name, "ctlplugin:", 10) == 0) {
			config_reader(ld, &r, s, s->name, 0, NULL);
			keys_warn(&r, NULL, NULL, "[%s] is not supported, the "
			    "section is ignored", s->name);
		}
	}
	return 0;
}

/* supervisord's process_or_group_name: stripped, no ' ', ':' or '/'. */
int
config_name(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const char *raw, char **out)
{
	static const char	 bad[] = " :/";
	char			*s, *rep, *crep, c[2] = { 0, 0 };
	size_t			 i;

	s = config_strip(raw);
	for (i = 0; i < sizeof bad - 1; i++) {
		if (strchr(s, bad[i]) == NULL)
			continue;
		rep = expand_repr(raw);
		keys_error(r, e, key, "Invalid name: %s because of character: "
		    "'%c'", rep, bad[i]);
		free(rep);
		free(s);
		return -1;
	}
	/*
	 * supervisord lets a tab or a newline through, which then splits
	 * log lines and status columns.
	 */
	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] >= 0x20 && s[i] != 0x7f)
			continue;
		rep = expand_repr(raw);
		c[0] = s[i];
		crep = expand_repr(c);
		keys_error(r, e, key, "Invalid name: %s because of character: "
		    "%s", rep, crep);
		free(crep);
		free(rep);
		free(s);
		return -1;
	}
	if (*s == '\0') {
		free(s);
		return keys_error(r, e, key, "Invalid name: '' (a name is "
		    "required)");
	}
	*out = s;
	return 0;
}

/* Both credentials or neither. */
static int
config_auth(const struct key_reader *r)
{
	struct key_value	u, p;
	int			rc = 0;

	if (config_get(r, "username", &u) != 0)
		return -1;
	if (config_get(r, "password", &p) != 0) {
		keys_value_clear(&u);
		return -1;
	}
	if (u.set != p.set)
		rc = keys_error(r, u.set ? u.entry : p.entry,
		    u.set ? "username" : "password", "Section [%s] contains "
		    "incomplete authentication: If a username or a password is "
		    "specified, both the username and password must be "
		    "specified", r->section);
	keys_value_clear(&u);
	keys_value_clear(&p);
	return rc;
}

static int
config_server(struct config_load *ld, const struct ini_section *s,
    unsigned kind)
{
	struct server_config	*sv;
	struct key_reader	 r;
	struct config		*cfg = ld->cfg;

	cfg->servers = xreallocarray(cfg->servers, cfg->nservers + 1,
	    sizeof *cfg->servers);
	sv = &cfg->servers[cfg->nservers++];
	memset(sv, 0, sizeof *sv);
	sv->section = xstrdup(s->name);
	sv->is_unix = kind == KS_UNIX;
	sv->chown_uid = (uid_t)-1;
	sv->chown_gid = (gid_t)-1;
	/*
	 * supervisord reads a unix server's file first but checks an inet
	 * server's credentials before its port: this decides which error
	 * of several is reported.
	 */
	config_reader(ld, &r, s, s->name, kind, &ld->here_env);
	if (kind == KS_UNIX) {
		if (keys_apply(&r, KEY_HERE, sv) != 0)
			return -1;
		if (sv->path == NULL)
			return keys_error(&r, NULL, NULL, "section [%s] has no "
			    "file value", s->name);
	}
	r.ctx = &ld->env;
	if (config_auth(&r) != 0)
		return -1;
	if (kind == KS_INET && ini_get(ld->ini, s, "port") == NULL)
		return keys_error(&r, NULL, NULL, "section [%s] has no port "
		    "value", s->name);
	return keys_apply(&r, KEY_ONCE, sv);
}

/* supervisord reads the inet servers first, then the unix ones. */
static int
config_servers(struct config_load *ld)
{
	const struct ini_section	*s;
	size_t				 i;
	int				 pass;
	unsigned			 kind;

	for (pass = 0; pass < 2; pass++) {
		kind = pass == 0 ? KS_INET : KS_UNIX;
		for (i = 0; i < ld->ini->n; i++) {
			s = &ld->ini->sections[i];
			if (config_kind(s->name) == kind &&
			    config_server(ld, s, kind) != 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Run as root, a config that others can write is a way for them to run
 * anything as root: refuse it, main file and included files alike.
 */
static int
config_check_owners(struct config_load *ld)
{
	struct stat	 sb;
	size_t		 i;

	if (geteuid() != 0)
		return 0;
	for (i = 0; i < ld->ini->nfiles; i++) {
		if (stat(ld->ini->files[i], &sb) != 0 ||
		    (sb.st_mode & S_IWOTH) == 0)
			continue;
		xasprintf(ld->cause, "%s is writable by others; running as "
		    "root, Taskmaster refuses a config anyone can change "
		    "(chmod o-w %s)", ld->ini->files[i], ld->ini->files[i]);
		return -1;
	}
	return 0;
}

static void
config_ini_warnings(struct config_load *ld)
{
	size_t	 i;

	for (i = 0; i < ld->ini->nwarnings; i++)
		config_add_message(ld->cfg, LOG_LEVEL_WARN, "%s",
		    ld->ini->warnings[i]);
}

/*
 * The order of supervisord's read_config(): it decides which error of
 * several is reported, and the ENV_ names a section can use.
 */
static int
config_parse(struct config_load *ld)
{
	struct utsname	u;
	char		*dir;

	if (config_read(ld, ld->cfg->path) != 0)
		return -1;
	dir = keys_dirname(ld->cfg->path);
	ld->here = keys_abspath(dir);
	free(dir);
	ld->host = xstrdup(uname(&u) == 0 ? u.nodename : "");
	expand_ctx_set_environ(&ld->env, environ);
	expand_ctx_copy(&ld->here_env, &ld->env);
	expand_ctx_set_str(&ld->here_env, "here", ld->here);
	if (config_include(ld) != 0 || config_check_utf8(ld) != 0 ||
	    config_check_owners(ld) != 0)
		return -1;
	config_ini_warnings(ld);
	/* The client reads its own section only and needs no [supervisord]. */
	if (ld->client)
		return config_client_ctl(ld);
	config_warn_unknown(ld);
	if (config_supervisord(ld) != 0 || config_plugins(ld) != 0 ||
	    config_group_build(ld) != 0 || config_servers(ld) != 0 ||
	    config_client_ctl(ld) != 0)
		return -1;
	config_sort_messages(ld->cfg);
	return 0;
}

static struct config *
config_load_mode(const char *path, int client, char **cause)
{
	struct config_load	 ld;
	struct stat		 sb;
	struct config		*cfg;
	int			 rc;

	/* supervisord tells a missing file from an unreadable one. */
	if (stat(path, &sb) != 0) {
		xasprintf(cause, "could not find config file %s", path);
		return NULL;
	}
	cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	memset(&ld, 0, sizeof ld);
	ld.cfg = cfg;
	ld.ini = ini_create();
	ld.cause = cause;
	ld.client = client;
	expand_ctx_init(&ld.env);
	expand_ctx_init(&ld.here_env);
	rc = config_parse(&ld);
	ini_free(ld.ini);
	free(ld.here);
	free(ld.host);
	free(ld.used);
	expand_ctx_clear(&ld.env);
	expand_ctx_clear(&ld.here_env);
	if (rc != 0) {
		if (*cause != NULL)
			config_escape(cause);
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct config *
config_load(const char *path, char **cause)
{
	return config_load_mode(path, 0, cause);
}

struct config *
config_load_client(const char *path, char **cause)
{
	return config_load_mode(path, 1, cause);
}

void
config_free(struct config *cfg)
{
	struct supervisord_config	*sd;
	struct server_config		*sv;
	size_t				 i;

	if (cfg == NULL)
		return;
	sd = &cfg->sd;
	free(sd->logfile);
	free(sd->pidfile);
	free(sd->childlogdir);
	free(sd->user);
	free(sd->directory);
	envlist_clear(&sd->environment);
	free(sd->identifier);
	for (i = 0; i < cfg->ngroups; i++)
		group_config_unref(cfg->groups[i]);
	free(cfg->groups);
	for (i = 0; i < cfg->nservers; i++) {
		sv = &cfg->servers[i];
		free(sv->section);
		free(sv->path);
		free(sv->chown);
		free(sv->host);
		free(sv->username);
		free(sv->password);
	}
	free(cfg->servers);
	free(cfg->ctl.serverurl);
	free(cfg->ctl.username);
	free(cfg->ctl.password);
	free(cfg->ctl.prompt);
	free(cfg->ctl.history_file);
	for (i = 0; i < cfg->nmessages; i++)
		free(cfg->messages[i].text);
	free(cfg->messages);
	free(cfg->path);
	free(cfg);
}

struct group_config *
config_find_group(const struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->ngroups; i++) {
		if (strcmp(cfg->groups[i]->name, name) == 0)
			return cfg->groups[i];
	}
	return NULL;
}

static int
config_convert(enum key_type type, long long max, const char *s,
    long long *out)
{
	struct key_def		k;
	struct key_value	v;
	char			*why = NULL;

	memset(&k, 0, sizeof k);
	k.type = type;
	k.max = max;
	if (keys_convert(&k, s, &v, &why) != 0) {
		free(why);
		return -1;
	}
	*out = v.num;
	keys_value_clear(&v);
	return 0;
}

int
config_parse_bool(const char *s, int *out)
{
	long long	n;

	if (config_convert(KEY_BOOL, 0, s, &n) != 0)
		return -1;
	*out = (int)n;
	return 0;
}

int
config_parse_size(const char *s, long long *out)
{
	return config_convert(KEY_SIZE, 0, s, out);
}

int
config_parse_octal(const char *s, int *out)
{
	long long	n;

	if (config_convert(KEY_OCTAL, 07777, s, &n) != 0)
		return -1;
	*out = (int)n;
	return 0;
}

int
config_parse_loglevel(const char *s, enum log_level *out)
{
	long long	n;

	if (config_convert(KEY_LOGLEVEL, 0, s, &n) != 0)
		return -1;
	*out = (enum log_level)n;
	return 0;
}

/*
 * Python's sys.argv[0] is the path the program was found at, so a bare
 * name is looked up in PATH as the shell did.
 */
static char *
config_argv0(const char *argv0)
{
	const char	*path, *p, *colon;
	char		*full;
	size_t		 len;

	if (strchr(argv0, '/') != NULL || (path = getenv("PATH")) == NULL)
		return xstrdup(argv0);
	for (p = path;; p = colon + 1) {
		colon = strchr(p, ':');
		len = colon != NULL ? (size_t)(colon - p) : strlen(p);
		full = len == 0 ? xstrdup(argv0) :
		    xprintf("%.*s/%s", (int)len, p, argv0);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
		if (colon == NULL)
			return xstrdup(argv0);
	}
}

/* os.path.join(a, b). */
static char *
config_join(const char *a, const char *b)
{
	if (*a == '\0' || *b == '/')
		return xstrdup(b);
	return xprintf("%s%s%s", a, a[strlen(a) - 1] == '/' ? "" : "/", b);
}

/* supervisord's search list, with taskmaster.conf first at each place. */
static char **
config_search_paths(const char *argv0, size_t *n)
{
	static const char *const	 names[] = { "taskmaster.conf",
	    "supervisord.conf" };
	char				*exe, *dir, *prefix, **v;
	char				*bases[5];
	size_t				 i, j;

	exe = config_argv0(argv0);
	dir = keys_dirname(exe);
	prefix = keys_dirname(dir);
	bases[0] = config_join(prefix, "etc");
	bases[1] = prefix;
	bases[2] = xstrdup("");
	bases[3] = xstrdup("etc");
	bases[4] = xstrdup("/etc");
	v = xcalloc(12, sizeof *v);
	*n = 0;
	for (i = 0; i < 5; i++) {
		for (j = 0; j < 2; j++)
			v[(*n)++] = config_join(bases[i], names[j]);
		free(bases[i]);
	}
	v[(*n)++] = xstrdup("/etc/taskmaster/taskmaster.conf");
	v[(*n)++] = xstrdup("/etc/supervisor/supervisord.conf");
	free(dir);
	free(exe);
	return v;
}

char *
config_find_default(const char *argv0)
{
	struct stat	  sb;
	char		**v, *found = NULL;
	size_t		  n, i;

	v = config_search_paths(argv0, &n);
	for (i = 0; i < n; i++) {
		if (found == NULL && stat(v[i], &sb) == 0) {
			found = v[i];
			continue;
		}
		free(v[i]);
	}
	free(v);
	return found;
}

char *
config_search_list(const char *argv0)
{
	char	**v, *list, *tmp;
	size_t	  n, i;

	v = config_search_paths(argv0, &n);
	list = xstrdup(v[0]);
	for (i = 1; i < n; i++) {
		xasprintf(&tmp, "%s, %s", list, v[i]);
		free(list);
		list = tmp;
	}
	config_free_words(v, n);
	return list;
}
