/* SPDX-License-Identifier: ISC */
/*
 * supervisord.conf to struct config: the [include] files, then every
 * section through the key table of keys.c in supervisord's order, giving
 * immutable, reference-counted group configs.  An error is one line naming
 * file, line, section and key; warnings and infos wait in cfg->messages
 * until the main log exists.
 */
#include <sys/stat.h>
#include <sys/utsname.h>

#include <glob.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/internal.h"
#include "util/xmalloc.h"

/* The state of one config_load(). */
struct config_load {
	struct config		*cfg;
	struct ini		*ini;
	char			*here;		/* absolute dir of the main file */
	char			*host;		/* uname -n */
	struct expand_ctx	 env;		/* ENV_* */
	struct expand_ctx	 here_env;	/* here and ENV_* */
	int			*used;		/* sections taken by a [group:] */
	char			**cause;
};

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

static unsigned
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

static void
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

static int
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
		if ((rc = ini_read_file(ld->ini, g.gl_pathv[i], ld->cause)) != 0)
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
static void
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

static char *
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
static int
config_name(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const char *raw, char **out)
{
	static const char	 bad[] = " :/";
	char			*s, *rep;
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
	if (*s == '\0') {
		free(s);
		return keys_error(r, e, key, "Invalid name: '' (a name is "
		    "required)");
	}
	*out = s;
	return 0;
}

static struct group_config *
config_group_new(const char *name, enum group_kind kind)
{
	struct group_config	*g;

	g = xcalloc(1, sizeof *g);
	g->refs = 1;
	g->name = xstrdup(name);
	g->kind = kind;
	g->socket_backlog = -1;
	g->socket_uid = (uid_t)-1;
	g->socket_gid = (gid_t)-1;
	g->socket_mode = -1;
	return g;
}

/*
 * supervisord keeps the first group of a name and drops the others without
 * a word; a name used twice is refused here instead.
 */
static int
config_group_add(struct config_load *ld, const struct key_reader *r,
    struct group_config *g)
{
	struct config	*cfg = ld->cfg;
	size_t		 i;

	for (i = 0; i < cfg->ngroups; i++) {
		if (strcmp(cfg->groups[i]->name, g->name) == 0) {
			keys_error(r, NULL, NULL, "a group named '%s' is "
			    "already defined", g->name);
			group_config_unref(g);
			return -1;
		}
	}
	cfg->groups = xreallocarray(cfg->groups, cfg->ngroups + 1,
	    sizeof *cfg->groups);
	cfg->groups[cfg->ngroups++] = g;
	return 0;
}

/* The order of supervisord's Config.__lt__: priority, then name. */
static int
config_proc_cmp(const void *a, const void *b)
{
	const struct process_config	*pa = *(struct process_config *const *)a;
	const struct process_config	*pb = *(struct process_config *const *)b;

	if (pa->priority != pb->priority)
		return pa->priority < pb->priority ? -1 : 1;
	return strcmp(pa->name, pb->name);
}

static int
config_group_cmp(const void *a, const void *b)
{
	const struct group_config	*ga = *(struct group_config *const *)a;
	const struct group_config	*gb = *(struct group_config *const *)b;

	if (ga->priority != gb->priority)
		return ga->priority < gb->priority ? -1 : 1;
	return strcmp(ga->name, gb->name);
}


static void
config_proc_init(struct process_config *pc)
{
	memset(pc, 0, sizeof *pc);
	pc->umask = -1;
	pc->uid = (uid_t)-1;
	pc->gid = (gid_t)-1;
}

static void
config_proc_clear(struct process_config *pc)
{
	free(pc->name);
	free(pc->program);
	free(pc->section);
	free(pc->command);
	free(pc->directory);
	free(pc->user);
	free(pc->exitcodes);
	free(pc->out.path);
	free(pc->err.path);
	envlist_clear(&pc->env);
	free(pc->serverurl);
}

static void
config_proc_free(struct process_config *pc)
{
	if (pc == NULL)
		return;
	config_proc_clear(pc);
	free(pc);
}

/* Any case of AUTO, blanks around it too, means computed at spawn. */
static void
config_serverurl(struct process_config *pc)
{
	char	*s;

	s = config_strip(pc->serverurl);
	if (strcasecmp(s, "AUTO") == 0) {
		free(pc->serverurl);
		pc->serverurl = xstrdup("AUTO");
	}
	free(s);
}

/* The log warnings of supervisord's processes_from_section. */
static void
config_channels(const struct key_reader *r, struct process_config *pc)
{
	struct channel_config	*c;
	const char		*name;
	int			 i;

	for (i = 0; i < 2; i++) {
		c = i == 0 ? &pc->out : &pc->err;
		name = i == 0 ? "stdout" : "stderr";
		if (c->kind == LOGFILE_SYSLOG) {
			config_add_message(r->cfg, LOG_LEVEL_WARN, "For [%s], "
			    "%s_logfile=syslog but this is deprecated and will "
			    "be removed.  Use %s_syslog=true to enable syslog "
			    "instead.", r->section, name, name);
			c->syslog = 1;
		}
		if (c->kind == LOGFILE_AUTO && c->maxbytes == 0)
			config_add_message(r->cfg, LOG_LEVEL_WARN, "For [%s], "
			    "AUTO logging used for %s_logfile without rollover, "
			    "set maxbytes > 0 to avoid filling up filesystem "
			    "unintentionally", r->section, name);
	}
	if (!pc->redirect_stderr)
		return;
	if (pc->err.kind == LOGFILE_PATH)
		config_add_message(r->cfg, LOG_LEVEL_WARN, "For [%s], "
		    "redirect_stderr=true but stderr_logfile has also been set "
		    "to a filename, the filename has been ignored", r->section);
	pc->err.kind = LOGFILE_NONE;
	free(pc->err.path);
	pc->err.path = NULL;
}

/*
 * One process of a program section.  Its environment= is expanded first
 * and its keys become ENV_ names for the keys read after it, as in
 * supervisord.
 */
static struct process_config *
config_process(struct config_load *ld, const struct key_reader *r,
    long long num, long long numprocs, int killasgroup, const char *program)
{
	struct key_reader	 rp = *r;
	struct expand_ctx	 pctx;
	struct key_value	 v;
	struct process_config	*pc;

	expand_ctx_init(&pctx);
	expand_ctx_copy(&pctx, r->ctx);
	expand_ctx_set_int(&pctx, "process_num", num);
	expand_ctx_set_int(&pctx, "numprocs", numprocs);
	rp.ctx = &pctx;
	pc = xmalloc(sizeof *pc);
	config_proc_init(pc);
	if (config_get(&rp, "environment", &v) != 0)
		goto fail;
	config_add_env(ld, &v.env, &pctx);
	envlist_copy(&pc->env, &ld->cfg->sd.environment);
	envlist_copy(&pc->env, &v.env);
	keys_value_clear(&v);
	if (keys_apply(r, KEY_SECTION, pc) != 0 ||
	    keys_apply(&rp, KEY_PROCESS, pc) != 0)
		goto fail;
	pc->killasgroup = killasgroup;
	config_serverurl(pc);
	if (pc->command == NULL) {
		keys_error(&rp, NULL, NULL, "program section %s does not "
		    "specify a command", r->section);
		goto fail;
	}
	if (config_get(&rp, "process_name", &v) != 0)
		goto fail;
	/* Checked again once expanded: an ENV_ value may hold a blank. */
	if (config_name(&rp, v.entry, "process_name", v.str, &pc->name) != 0) {
		keys_value_clear(&v);
		goto fail;
	}
	keys_value_clear(&v);
	pc->program = xstrdup(program);
	pc->section = xstrdup(r->section);
	config_channels(&rp, pc);
	expand_ctx_clear(&pctx);
	return pc;

fail:
	expand_ctx_clear(&pctx);
	config_proc_free(pc);
	return NULL;
}

static void
config_group_push(struct group_config *g, struct process_config *pc)
{
	g->procs = xreallocarray(g->procs, g->nprocs + 1, sizeof *g->procs);
	g->procs[g->nprocs++] = pc;
}

/* Section-level checks of supervisord's processes_from_section. */
static int
config_section_checks(struct key_reader *r, const struct process_config *t,
    int *killasgroup, long long *numprocs, long long *start)
{
	struct key_value	 v;
	char			*name;
	int			 rc = -1;

	if (config_get(r, "killasgroup", &v) != 0)
		return -1;
	*killasgroup = v.set ? (int)v.num : t->stopasgroup;
	if (t->stopasgroup && !*killasgroup) {
		keys_error(r, v.entry, "killasgroup", "Cannot set "
		    "stopasgroup=true and killasgroup=false");
		goto out;
	}
	if (config_get(r, "numprocs", &v) != 0)
		return -1;
	*numprocs = v.num;
	if (config_get(r, "numprocs_start", &v) != 0)
		return -1;
	*start = v.num;
	/* process_name is checked before expansion, as supervisord does. */
	r->ctx = NULL;
	if (config_get(r, "process_name", &v) != 0 ||
	    config_name(r, v.entry, "process_name", v.str, &name) != 0)
		goto out;
	if (*numprocs > 1 && strstr(name, "%(process_num)") == NULL)
		keys_error(r, NULL, NULL, "%%(process_num) must be present "
		    "within process_name when numprocs > 1");
	else
		rc = 0;
	free(name);
out:
	keys_value_clear(&v);
	return rc;
}

/* The processes of one program section, appended to g. */
static int
config_processes(struct config_load *ld, const struct ini_section *s,
    unsigned kind, const char *group, struct group_config *g)
{
	struct key_reader	 r;
	struct expand_ctx	 sctx;
	struct process_config	 tmpl, *pc;
	char			*program = NULL;
	long long		 numprocs, start, i;
	size_t			 first = g->nprocs;
	int			 killasgroup, rc = -1;

	config_reader(ld, &r, s, s->name, kind, NULL);
	if (config_name(&r, NULL, NULL, strchr(s->name, ':') + 1,
	    &program) != 0)
		return -1;
	expand_ctx_init(&sctx);
	expand_ctx_copy(&sctx, &ld->here_env);
	expand_ctx_set_str(&sctx, "program_name", program);
	expand_ctx_set_str(&sctx, "group_name", group);
	expand_ctx_set_str(&sctx, "host_node_name", ld->host);
	r.ctx = &sctx;
	config_proc_init(&tmpl);
	if (keys_apply(&r, KEY_SECTION, &tmpl) != 0 ||
	    config_section_checks(&r, &tmpl, &killasgroup, &numprocs,
	    &start) != 0)
		goto out;
	r.ctx = &sctx;
	for (i = start; i < start + numprocs; i++) {
		pc = config_process(ld, &r, i, numprocs, killasgroup, program);
		if (pc == NULL)
			goto out;
		config_group_push(g, pc);
	}
	qsort(g->procs + first, g->nprocs - first, sizeof *g->procs,
	    config_proc_cmp);
	rc = 0;
out:
	config_proc_clear(&tmpl);
	expand_ctx_clear(&sctx);
	free(program);
	return rc;
}

/* Process names must be unique in a group: they are its keys. */
static int
config_unique_procs(const struct key_reader *r, const struct ini_entry *e,
    const char *key, const struct group_config *g)
{
	size_t	i, j;

	for (i = 0; i < g->nprocs; i++) {
		for (j = i + 1; j < g->nprocs; j++) {
			if (strcmp(g->procs[i]->name, g->procs[j]->name) == 0)
				return keys_error(r, e, key, "process name '%s' "
				    "is used twice in group '%s'",
				    g->procs[i]->name, g->name);
		}
	}
	return 0;
}

/*
 * A [group:] section.  An unknown program is reported against the group's
 * own section, where supervisord names the previous program's by mistake.
 */
static int
config_hetero(struct config_load *ld, size_t idx)
{
	const struct ini_section	*s = &ld->ini->sections[idx], *ps;
	struct group_config		*g = NULL;
	struct key_reader		 r;
	struct key_value		 v;
	char				*name, *pname, *fname;
	size_t				 i;
	int				 rc = -1, pi, fi;

	memset(&v, 0, sizeof v);
	config_reader(ld, &r, s, s->name, KS_GROUP, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 6, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_HETEROGENEOUS);
	free(name);
	if (config_get(&r, "programs", &v) != 0 ||
	    keys_apply(&r, KEY_GROUP, g) != 0)
		goto out;
	for (i = 0; i < v.nlist; i++) {
		xasprintf(&pname, "program:%s", v.list[i]);
		xasprintf(&fname, "fcgi-program:%s", v.list[i]);
		ps = ini_find(ld->ini, pname);
		pi = ps != NULL;
		fi = ini_find(ld->ini, fname) != NULL;
		if (!pi)
			ps = ini_find(ld->ini, fname);
		free(pname);
		free(fname);
		if (!pi && !fi) {
			keys_error(&r, v.entry, "programs", "[%s] names unknown "
			    "program or fcgi-program %s", s->name, v.list[i]);
			goto out;
		}
		if (pi && fi) {
			keys_error(&r, v.entry, "programs", "[%s] name %s is "
			    "ambiguous (exists as program and fcgi-program)",
			    s->name, v.list[i]);
			goto out;
		}
		ld->used[ps - ld->ini->sections] = 1;
		if (config_processes(ld, ps, pi ? KS_PROGRAM : KS_FCGI,
		    g->name, g) != 0)
			goto out;
	}
	if (config_unique_procs(&r, v.entry, "programs", g) != 0)
		goto out;
	rc = config_group_add(ld, &r, g);
	g = NULL;
out:
	group_config_unref(g);
	keys_value_clear(&v);
	return rc;
}

static int
config_homogeneous(struct config_load *ld, const struct ini_section *s)
{
	struct group_config	*g;
	struct key_reader	 r;
	char			*name;

	config_reader(ld, &r, s, s->name, KS_PROGRAM, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 8, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_PROGRAM);
	free(name);
	if (keys_apply(&r, KEY_GROUP, g) != 0 ||
	    config_processes(ld, s, KS_PROGRAM, g->name, g) != 0 ||
	    config_unique_procs(&r, NULL, "process_name", g) != 0) {
		group_config_unref(g);
		return -1;
	}
	return config_group_add(ld, &r, g);
}

/* Upper-cased and without repeats, like supervisord's set of names. */
static int
config_events(const struct key_reader *r, struct group_config *g)
{
	struct key_value	 v;
	char			*e;
	size_t			 i, j;
	int			 rc = -1;

	if (config_get(r, "events", &v) != 0)
		return -1;
	for (i = 0; i < v.nlist; i++) {
		for (e = v.list[i]; *e != '\0'; e++) {
			if (*e >= 'a' && *e <= 'z')
				*e -= 'a' - 'A';
		}
		for (j = 0; j < g->nevents; j++) {
			if (strcmp(g->events[j], v.list[i]) == 0)
				break;
		}
		if (j < g->nevents)
			continue;
		if (!keys_event_valid(v.list[i])) {
			keys_error(r, v.entry, "events", "Unknown event type %s "
			    "in [%s] events", v.list[i], r->section);
			goto out;
		}
		g->events = xreallocarray(g->events, g->nevents + 1,
		    sizeof *g->events);
		g->events[g->nevents++] = xstrdup(v.list[i]);
	}
	if (g->nevents == 0)
		keys_error(r, v.entry, v.entry != NULL ? "events" : NULL,
		    "[%s] section requires an \"events\" line", r->section);
	else
		rc = 0;
out:
	keys_value_clear(&v);
	return rc;
}

/* The group-level keys of supervisord's eventlistener pools. */
static int
config_listener_keys(const struct key_reader *r, struct group_config *g)
{
	static const char	 handler[] =
	    "supervisor.dispatchers:default_handler";
	struct key_value	 v;
	char			*spec;
	int			 ok;

	if (keys_apply(r, KEY_GROUP, g) != 0 ||
	    config_get(r, "buffer_size", &v) != 0)
		return -1;
	if (v.num < 1)
		return keys_error_allowed(r, v.entry, "buffer_size",
		    "an integer >= 1", "[%s] section sets invalid buffer_size "
		    "(%lld)", r->section, v.num);
	g->buffer_size = (int)v.num;
	if (config_get(r, "result_handler", &v) != 0)
		return -1;
	spec = config_strip(v.str);
	ok = strcmp(spec, handler) == 0;
	if (!ok)
		keys_error_allowed(r, v.entry, "result_handler", handler,
		    "%s cannot be resolved within [%s]", spec, r->section);
	free(spec);
	keys_value_clear(&v);
	if (!ok || config_events(r, g) != 0 ||
	    config_get(r, "redirect_stderr", &v) != 0)
		return -1;
	if (v.num)
		return keys_error(r, v.entry, "redirect_stderr", "[%s] section "
		    "sets redirect_stderr=true but this is not allowed because "
		    "it will interfere with the eventlistener protocol",
		    r->section);
	return 0;
}

static int
config_listener(struct config_load *ld, const struct ini_section *s)
{
	struct group_config	*g;
	struct key_reader	 r;
	char			*name;

	config_reader(ld, &r, s, s->name, KS_LISTENER, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 14, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_EVENTLISTENER);
	free(name);
	if (config_listener_keys(&r, g) != 0 ||
	    config_processes(ld, s, KS_LISTENER, g->name, g) != 0 ||
	    config_unique_procs(&r, NULL, "process_name", g) != 0) {
		group_config_unref(g);
		return -1;
	}
	return config_group_add(ld, &r, g);
}

/* supervisord's parse_fcgi_socket; *why is its message. */
static int
config_fcgi_socket(struct group_config *g, const char *sock, uid_t proc_uid,
    char **why)
{
	struct passwd	*pw;
	const char	*host, *colon, *p;
	char		*path, *h;
	long long	 port;

	if (strncmp(sock, "unix://", 7) == 0) {
		if (sock[7] != '/') {
			xasprintf(why, "Unix socket path %s is not an absolute "
			    "path", sock + 7);
			return -1;
		}
		path = keys_abspath(sock + 7);
		g->socket = xprintf("unix://%s", path);
		free(path);
		if (g->socket_owner == NULL && proc_uid != (uid_t)-1 &&
		    proc_uid != getuid() && (pw = getpwuid(proc_uid)) != NULL) {
			g->socket_uid = proc_uid;
			g->socket_gid = pw->pw_gid;
		}
		if (g->socket_mode == -1)
			g->socket_mode = 0700;
		return 0;
	}
	if (g->socket_owner != NULL || g->socket_mode != -1) {
		*why = xstrdup("socket_owner and socket_mode params should only "
		    "be used with a Unix domain socket");
		return -1;
	}
	/* tcp://([^\s:]+):(\d+)$ */
	if (strncmp(sock, "tcp://", 6) != 0)
		goto bad;
	host = sock + 6;
	colon = strchr(host, ':');
	if (colon == NULL ||
	    colon == host || colon[1] == '\0' ||
	    strcspn(host, " \t\n\v\f\r") < (size_t)(colon - host))
		goto bad;
	for (p = colon + 1; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
	}
	if (keys_pyint(colon + 1, 10, &port) != 0 || port < 1 ||
	    port > 65535) {
		xasprintf(why, "%s is %s", colon + 1, port < 1 ?
		    "below lower bound (1)" : "above upper bound (65535)");
		return -1;
	}
	h = xstrndup(host, colon - host);
	for (p = h; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			h[p - h] += 'a' - 'A';
	}
	g->socket = xprintf("tcp://%s:%lld", h, port);
	free(h);
	return 0;

bad:
	xasprintf(why, "Bad socket format %s", sock);
	return -1;
}

static int
config_fcgi_keys(struct config_load *ld, const struct key_reader *r,
    struct group_config *g)
{
	struct key_reader	 rs = *r;
	struct expand_ctx	 ctx;
	struct key_value	 v;
	uid_t			 proc_uid;
	char			*why = NULL;
	int			 rc = -1;

	if (keys_apply(r, KEY_GROUP, g) != 0 ||
	    config_get(r, "user", &v) != 0)
		return -1;
	proc_uid = v.set ? v.uid : (uid_t)-1;
	keys_value_clear(&v);
	expand_ctx_init(&ctx);
	expand_ctx_copy(&ctx, &ld->here_env);
	expand_ctx_set_str(&ctx, "program_name", g->name);
	rs.ctx = &ctx;
	if (config_get(&rs, "socket", &v) != 0)
		goto out;
	if (!v.set || *v.str == '\0')
		keys_error(r, v.entry, v.entry != NULL ? "socket" : NULL,
		    "[%s] section requires a \"socket\" line", r->section);
	else if (config_fcgi_socket(g, v.str, proc_uid, &why) != 0)
		keys_error(r, v.entry, "socket", "%s in [%s] socket", why,
		    r->section);
	else
		rc = 0;
	free(why);
	keys_value_clear(&v);
out:
	expand_ctx_clear(&ctx);
	return rc;
}

static int
config_fcgi(struct config_load *ld, const struct ini_section *s)
{
	struct group_config	*g;
	struct key_reader	 r;
	char			*name;

	config_reader(ld, &r, s, s->name, KS_FCGI, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 13, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_FCGI);
	free(name);
	if (config_fcgi_keys(ld, &r, g) != 0 ||
	    config_processes(ld, s, KS_FCGI, g->name, g) != 0 ||
	    config_unique_procs(&r, NULL, "process_name", g) != 0) {
		group_config_unref(g);
		return -1;
	}
	return config_group_add(ld, &r, g);
}

/*
 * supervisord's process_groups_from_parser: [group:] first (claiming their
 * programs), then the other programs, listeners, fcgi programs; sorted.
 */
static int
config_groups(struct config_load *ld)
{
	const struct ini_section	*s;
	unsigned			 kind;
	size_t				 i;
	int				 pass;

	ld->used = xcalloc(ld->ini->n + 1, sizeof *ld->used);
	for (pass = 0; pass < 4; pass++) {
		for (i = 0; i < ld->ini->n; i++) {
			s = &ld->ini->sections[i];
			kind = config_kind(s->name);
			if (pass == 0 && kind == KS_GROUP) {
				if (config_hetero(ld, i) != 0)
					return -1;
			} else if (pass == 1 && kind == KS_PROGRAM &&
			    !ld->used[i]) {
				if (config_homogeneous(ld, s) != 0)
					return -1;
			} else if (pass == 2 && kind == KS_LISTENER) {
				if (config_listener(ld, s) != 0)
					return -1;
			} else if (pass == 3 && kind == KS_FCGI && !ld->used[i]) {
				if (config_fcgi(ld, s) != 0)
					return -1;
			}
		}
	}
	if (ld->cfg->ngroups > 1)
		qsort(ld->cfg->groups, ld->cfg->ngroups,
		    sizeof *ld->cfg->groups, config_group_cmp);
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

static int
config_ctl(struct config_load *ld)
{
	struct ctl_config		*ctl = &ld->cfg->ctl;
	const struct ini_section	*s;
	struct key_reader		 r;
	char				*path;

	s = ini_find(ld->ini, "supervisorctl");
	ld->cfg->has_ctl = s != NULL;
	config_reader(ld, &r, s, "supervisorctl", KS_CTL, &ld->here_env);
	if (keys_apply(&r, KEY_HERE, ctl) != 0)
		return -1;
	r.ctx = &ld->env;
	if (keys_apply(&r, KEY_ONCE, ctl) != 0)
		return -1;
	/* As supervisorctl does, so that it does not depend on the cwd. */
	if (strncmp(ctl->serverurl, "unix://", 7) == 0) {
		path = keys_abspath(ctl->serverurl + 7);
		free(ctl->serverurl);
		ctl->serverurl = xprintf("unix://%s", path);
		free(path);
	}
	return 0;
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

	if (ini_read_file(ld->ini, ld->cfg->path, ld->cause) != 0)
		return -1;
	dir = keys_dirname(ld->cfg->path);
	ld->here = keys_abspath(dir);
	free(dir);
	ld->host = xstrdup(uname(&u) == 0 ? u.nodename : "");
	expand_ctx_set_environ(&ld->env, environ);
	expand_ctx_copy(&ld->here_env, &ld->env);
	expand_ctx_set_str(&ld->here_env, "here", ld->here);
	if (config_include(ld) != 0)
		return -1;
	config_warn_unknown(ld);
	if (config_supervisord(ld) != 0 || config_plugins(ld) != 0 ||
	    config_groups(ld) != 0 || config_servers(ld) != 0 ||
	    config_ctl(ld) != 0)
		return -1;
	config_sort_messages(ld->cfg);
	return 0;
}

struct config *
config_load(const char *path, char **cause)
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
		config_free(cfg);
		return NULL;
	}
	return cfg;
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

void
group_config_ref(struct group_config *g)
{
	g->refs++;
}

void
group_config_unref(struct group_config *g)
{
	size_t	i;

	if (g == NULL || --g->refs > 0)
		return;
	for (i = 0; i < g->nprocs; i++)
		config_proc_free(g->procs[i]);
	free(g->procs);
	for (i = 0; i < g->nevents; i++)
		free(g->events[i]);
	free(g->events);
	free(g->socket);
	free(g->socket_owner);
	free(g->name);
	free(g);
}

static int
config_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* AUTO on either side is skipped; syslog and none both mean no file. */
static int
config_channel_equal(const struct channel_config *a,
    const struct channel_config *b)
{
	int	afile = a->kind == LOGFILE_AUTO || a->kind == LOGFILE_PATH;
	int	bfile = b->kind == LOGFILE_AUTO || b->kind == LOGFILE_PATH;

	if (a->kind != LOGFILE_AUTO && b->kind != LOGFILE_AUTO &&
	    (afile != bfile || !config_streq(a->path, b->path)))
		return 0;
	return (a->maxbytes == b->maxbytes && a->backups == b->backups &&
	    a->capture_maxbytes == b->capture_maxbytes &&
	    a->events_enabled == b->events_enabled && a->syslog == b->syslog);
}

int
process_config_equal(const struct process_config *a,
    const struct process_config *b)
{
	if ((a->user == NULL) != (b->user == NULL) ||
	    (a->user != NULL && a->uid != b->uid))
		return 0;
	if (a->nexitcodes != b->nexitcodes || (a->nexitcodes > 0 &&
	    memcmp(a->exitcodes, b->exitcodes,
	    a->nexitcodes * sizeof *a->exitcodes) != 0))
		return 0;
	return (config_streq(a->name, b->name) &&
	    config_streq(a->command, b->command) &&
	    config_streq(a->directory, b->directory) &&
	    a->umask == b->umask && a->priority == b->priority &&
	    a->autostart == b->autostart && a->autorestart == b->autorestart &&
	    a->startsecs == b->startsecs &&
	    a->startretries == b->startretries &&
	    config_channel_equal(&a->out, &b->out) &&
	    config_channel_equal(&a->err, &b->err) &&
	    a->stopsignal == b->stopsignal &&
	    a->stopwaitsecs == b->stopwaitsecs &&
	    a->stopasgroup == b->stopasgroup &&
	    a->killasgroup == b->killasgroup &&
	    a->redirect_stderr == b->redirect_stderr &&
	    envlist_equal(&a->env, &b->env) &&
	    config_streq(a->serverurl, b->serverurl));
}

static int
config_events_equal(const struct group_config *a, const struct group_config *b)
{
	size_t	i, j;

	if (a->nevents != b->nevents)
		return 0;
	for (i = 0; i < a->nevents; i++) {
		for (j = 0; j < b->nevents; j++) {
			if (strcmp(a->events[i], b->events[j]) == 0)
				break;
		}
		if (j == b->nevents)
			return 0;
	}
	return 1;
}

int
group_config_equal(const struct group_config *a, const struct group_config *b)
{
	size_t	i;

	if (a->kind != b->kind || strcmp(a->name, b->name) != 0 ||
	    a->priority != b->priority || a->nprocs != b->nprocs)
		return 0;
	for (i = 0; i < a->nprocs; i++) {
		if (!process_config_equal(a->procs[i], b->procs[i]))
			return 0;
	}
	if (a->kind == GROUP_EVENTLISTENER &&
	    (a->buffer_size != b->buffer_size || !config_events_equal(a, b)))
		return 0;
	if (a->kind == GROUP_FCGI && !config_streq(a->socket, b->socket))
		return 0;
	return 1;
}

int
process_config_expected(const struct process_config *pc, int status)
{
	size_t	i;

	for (i = 0; i < pc->nexitcodes; i++) {
		if (pc->exitcodes[i] == status)
			return 1;
	}
	return 0;
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
