/* SPDX-License-Identifier: ISC */
/*
 * The group and process configs of supervisord's program, eventlistener,
 * fcgi-program and group sections, built in supervisord's order and sorted
 * by priority; and their reference counts and the equality reread uses.
 */
#include <pwd.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/internal.h"
#include "util/log.h"
#include "util/xmalloc.h"

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
config_group_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
config_group_add(struct config_load *ld, const struct key_reader *r,
    struct group_config *g)
{
	struct config	*cfg = ld->cfg;
	char		**slot;

	slot = tsearch(g->name, &ld->group_names, config_group_name_cmp);
	if (slot == NULL || *slot != g->name) {
		if (slot == NULL)
			fatalx("out of memory");
		keys_error(r, NULL, NULL, "a group named '%s' is "
		    "already defined", g->name);
		group_config_unref(g);
		return -1;
	}
	cfg->groups = xreallocarray(cfg->groups, cfg->ngroups + 1,
	    sizeof *cfg->groups);
	cfg->groups[cfg->ngroups++] = g;
	return 0;
}

/* The order of supervisord's Config.__lt__: priority, then name. */
static int
config_group_proc_cmp(const void *a, const void *b)
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
config_group_proc_init(struct process_config *pc)
{
	memset(pc, 0, sizeof *pc);
	pc->umask = -1;
	pc->uid = (uid_t)-1;
	pc->gid = (gid_t)-1;
}

static void
config_group_proc_clear(struct process_config *pc)
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
config_group_proc_free(struct process_config *pc)
{
	if (pc == NULL)
		return;
	config_group_proc_clear(pc);
	free(pc);
}

/* Any case of AUTO, blanks around it too, means computed at spawn. */
static void
config_group_serverurl(struct process_config *pc)
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
config_group_channels(const struct key_reader *r, struct process_config *pc)
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
config_group_process(struct config_load *ld, const struct key_reader *r,
    long long num, long long numprocs, int killasgroup, const char *program)
{
	struct key_reader	 rp = *r;
	struct expand_ctx	 pctx;
	struct key_value	 v;
	struct process_config	*pc;

	expand_ctx_init(&pctx);
	expand_ctx_inherit(&pctx, r->ctx);
	expand_ctx_set_int(&pctx, "process_num", num);
	expand_ctx_set_int(&pctx, "numprocs", numprocs);
	rp.ctx = &pctx;
	pc = xmalloc(sizeof *pc);
	config_group_proc_init(pc);
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
	config_group_serverurl(pc);
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
	config_group_channels(&rp, pc);
	expand_ctx_clear(&pctx);
	return pc;

fail:
	expand_ctx_clear(&pctx);
	config_group_proc_free(pc);
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
config_group_section_checks(struct key_reader *r,
    const struct process_config *t, int *killasgroup, long long *numprocs,
    long long *start)
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
config_group_processes(struct config_load *ld, const struct ini_section *s,
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
	expand_ctx_inherit(&sctx, &ld->here_env);
	expand_ctx_set_str(&sctx, "program_name", program);
	expand_ctx_set_str(&sctx, "group_name", group);
	expand_ctx_set_str(&sctx, "host_node_name", ld->host);
	r.ctx = &sctx;
	config_group_proc_init(&tmpl);
	if (keys_apply(&r, KEY_SECTION, &tmpl) != 0 ||
	    config_group_section_checks(&r, &tmpl, &killasgroup, &numprocs,
	    &start) != 0)
		goto out;
	r.ctx = &sctx;
	for (i = start; i < start + numprocs; i++) {
		pc = config_group_process(ld, &r, i, numprocs, killasgroup,
		    program);
		if (pc == NULL)
			goto out;
		config_group_push(g, pc);
	}
	qsort(g->procs + first, g->nprocs - first, sizeof *g->procs,
	    config_group_proc_cmp);
	rc = 0;
out:
	config_group_proc_clear(&tmpl);
	expand_ctx_clear(&sctx);
	free(program);
	return rc;
}

/* Process names must be unique in a group: they are its keys. */
static int
config_group_unique(const struct key_reader *r, const struct ini_entry *e,
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
config_group_hetero(struct config_load *ld, size_t idx)
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
		if (config_group_processes(ld, ps, pi ? KS_PROGRAM : KS_FCGI,
		    g->name, g) != 0)
			goto out;
	}
	if (config_group_unique(&r, v.entry, "programs", g) != 0)
		goto out;
	rc = config_group_add(ld, &r, g);
	g = NULL;
out:
	group_config_unref(g);
	keys_value_clear(&v);
	return rc;
}

static int
config_group_homogeneous(struct config_load *ld, const struct ini_section *s)
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
	    config_group_processes(ld, s, KS_PROGRAM, g->name, g) != 0 ||
	    config_group_unique(&r, NULL, "process_name", g) != 0) {
		group_config_unref(g);
		return -1;
	}
	return config_group_add(ld, &r, g);
}

/* Upper-cased and without repeats, like supervisord's set of names. */
static int
config_group_events(const struct key_reader *r, struct group_config *g)
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
config_group_listener_keys(const struct key_reader *r, struct group_config *g)
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
	if (!ok || config_group_events(r, g) != 0 ||
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
config_group_listener(struct config_load *ld, const struct ini_section *s)
{
	struct group_config	*g;
	struct key_reader	 r;
	char			*name;

	config_reader(ld, &r, s, s->name, KS_LISTENER, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 14, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_EVENTLISTENER);
	free(name);
	if (config_group_listener_keys(&r, g) != 0 ||
	    config_group_processes(ld, s, KS_LISTENER, g->name, g) != 0 ||
	    config_group_unique(&r, NULL, "process_name", g) != 0) {
		group_config_unref(g);
		return -1;
	}
	return config_group_add(ld, &r, g);
}

/* supervisord's parse_fcgi_socket; *why is its message. */
static int
config_group_fcgi_socket(struct group_config *g, const char *sock,
    uid_t proc_uid, char **why)
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
config_group_fcgi_keys(struct config_load *ld, const struct key_reader *r,
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
	expand_ctx_inherit(&ctx, &ld->here_env);
	expand_ctx_set_str(&ctx, "program_name", g->name);
	rs.ctx = &ctx;
	if (config_get(&rs, "socket", &v) != 0)
		goto out;
	if (!v.set || *v.str == '\0')
		keys_error(r, v.entry, v.entry != NULL ? "socket" : NULL,
		    "[%s] section requires a \"socket\" line", r->section);
	else if (config_group_fcgi_socket(g, v.str, proc_uid, &why) != 0)
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
config_group_fcgi(struct config_load *ld, const struct ini_section *s)
{
	struct group_config	*g;
	struct key_reader	 r;
	char			*name;

	config_reader(ld, &r, s, s->name, KS_FCGI, &ld->here_env);
	if (config_name(&r, NULL, NULL, s->name + 13, &name) != 0)
		return -1;
	g = config_group_new(name, GROUP_FCGI);
	free(name);
	if (config_group_fcgi_keys(ld, &r, g) != 0 ||
	    config_group_processes(ld, s, KS_FCGI, g->name, g) != 0 ||
	    config_group_unique(&r, NULL, "process_name", g) != 0) {
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
config_group_passes(struct config_load *ld)
{
	const struct ini_section	*s;
	unsigned			 kind;
	size_t				 i;
	int				 pass;

	for (pass = 0; pass < 4; pass++) {
		for (i = 0; i < ld->ini->n; i++) {
			s = &ld->ini->sections[i];
			kind = config_kind(s->name);
			if (pass == 0 && kind == KS_GROUP) {
				if (config_group_hetero(ld, i) != 0)
					return -1;
			} else if (pass == 1 && kind == KS_PROGRAM &&
			    !ld->used[i]) {
				if (config_group_homogeneous(ld, s) != 0)
					return -1;
			} else if (pass == 2 && kind == KS_LISTENER) {
				if (config_group_listener(ld, s) != 0)
					return -1;
			} else if (pass == 3 && kind == KS_FCGI && !ld->used[i]) {
				if (config_group_fcgi(ld, s) != 0)
					return -1;
			}
		}
	}
	return 0;
}

/* The tree's keys are the groups' own names: nothing to free. */
static void
config_group_name_keep(void *name)
{
	(void)name;
}

int
config_group_build(struct config_load *ld)
{
	int	 rc;

	ld->used = xcalloc(ld->ini->n + 1, sizeof *ld->used);
	rc = config_group_passes(ld);
	tdestroy(ld->group_names, config_group_name_keep);
	ld->group_names = NULL;
	if (rc == 0 && ld->cfg->ngroups > 1)
		qsort(ld->cfg->groups, ld->cfg->ngroups,
		    sizeof *ld->cfg->groups, config_group_cmp);
	return rc;
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
		config_group_proc_free(g->procs[i]);
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
config_group_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* AUTO on either side is skipped; syslog and none both mean no file. */
static int
config_group_channel_equal(const struct channel_config *a,
    const struct channel_config *b)
{
	int	afile = a->kind == LOGFILE_AUTO || a->kind == LOGFILE_PATH;
	int	bfile = b->kind == LOGFILE_AUTO || b->kind == LOGFILE_PATH;

	if (a->kind != LOGFILE_AUTO && b->kind != LOGFILE_AUTO &&
	    (afile != bfile || !config_group_streq(a->path, b->path)))
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
	return (config_group_streq(a->name, b->name) &&
	    config_group_streq(a->command, b->command) &&
	    config_group_streq(a->directory, b->directory) &&
	    a->umask == b->umask && a->priority == b->priority &&
	    a->autostart == b->autostart && a->autorestart == b->autorestart &&
	    a->startsecs == b->startsecs &&
	    a->startretries == b->startretries &&
	    config_group_channel_equal(&a->out, &b->out) &&
	    config_group_channel_equal(&a->err, &b->err) &&
	    a->stopsignal == b->stopsignal &&
	    a->stopwaitsecs == b->stopwaitsecs &&
	    a->stopasgroup == b->stopasgroup &&
	    a->killasgroup == b->killasgroup &&
	    a->redirect_stderr == b->redirect_stderr &&
	    envlist_equal(&a->env, &b->env) &&
	    config_group_streq(a->serverurl, b->serverurl));
}

static int
config_group_events_equal(const struct group_config *a,
    const struct group_config *b)
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
	    (a->buffer_size != b->buffer_size ||
	    !config_group_events_equal(a, b)))
		return 0;
	if (a->kind == GROUP_FCGI && !config_group_streq(a->socket, b->socket))
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
