/* SPDX-License-Identifier: ISC */
/*
 * Reconfiguration and the bookkeeping that follows state changes: the diff
 * between what runs and a newly read config, its application process by
 * process (an unchanged process keeps running untouched), the removal of
 * what was stopped for good, and the ordered shutdown.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "internal.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct apply_wait {
	supervisor_done_cb	 done;
	void			*arg;
	struct apply_wait	*next;
};

/*
 * What keeps the bookkeeping after each exit O(1) rather than a pass over
 * every process: whether an apply left anything to settle, and how far the
 * ordered shutdown has got (groups from gi up are down; in group g, the
 * processes from pi up).
 */
static struct {
	int			 unsettled;
	int			 shutting, confirmed;
	size_t			 gi, pi;
	struct process_group	*g;
} tidy;

/* ---- diff ---- */

static void
reload_push(char ***list, size_t *n, const char *name)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(name);
}

static int
reload_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
reload_sort(char **names, size_t n)
{
	if (n > 1)
		qsort(names, n, sizeof *names, reload_strcmp);
}

void
reload_diff_free(struct reload_diff *d)
{
	size_t	 i;

	for (i = 0; i < d->nadded; i++)
		free(d->added[i]);
	for (i = 0; i < d->nchanged; i++)
		free(d->changed[i]);
	for (i = 0; i < d->nremoved; i++)
		free(d->removed[i]);
	free(d->added);
	free(d->changed);
	free(d->removed);
	memset(d, 0, sizeof *d);
}

void
supervisor_diff(struct supervisor *sv, struct reload_diff *d)
{
	struct group_config	*gc;
	struct process_group		*g;
	size_t			 i;

	memset(d, 0, sizeof *d);
	for (i = 0; i < sv->cfg->ngroups; i++) {
		gc = sv->cfg->groups[i];
		if ((g = supervisor_find_group(sv, gc->name)) == NULL)
			reload_push(&d->added, &d->nadded, gc->name);
		else if (!group_config_equal(g->cfg, gc))
			reload_push(&d->changed, &d->nchanged, gc->name);
	}
	for (i = 0; i < sv->ngroups; i++) {
		g = sv->groups[i];
		if (!g->removing && config_find_group(sv->cfg,
		    g->cfg->name) == NULL)
			reload_push(&d->removed, &d->nremoved, g->cfg->name);
	}
	reload_sort(d->added, d->nadded);
	reload_sort(d->changed, d->nchanged);
	reload_sort(d->removed, d->nremoved);
}

int
supervisor_reread(struct supervisor *sv, struct reload_diff *d, char **cause)
{
	struct config	*cfg;
	size_t		 i;

	if ((cfg = config_load(sv->cfg->path, cause)) == NULL)
		return -1;
	config_free(sv->cfg);
	sv->cfg = cfg;
	/* The new file's warnings, as at start-up. */
	for (i = 0; i < cfg->nmessages; i++)
		log_msg(cfg->messages[i].level, "%s", cfg->messages[i].text);
	supervisor_diff(sv, d);
	return 0;
}

/* ---- apply ---- */

/* Stops p for good or for a new config; BACKOFF goes straight to STOPPED. */
static void
reload_stop(struct process *p)
{
	char	*cause = NULL;

	if (process_state_running(p->state) && process_stop(p, &cause) != 0)
		free(cause);
}

static void
reload_remove_group(struct process_group *g)
{
	size_t	 i;

	g->removing = 1;
	for (i = 0; i < g->nprocs; i++) {
		g->procs[i]->removing = 1;
		reload_stop(g->procs[i]);
	}
}

static void
reload_move(struct process *p, struct group_config *gc,
    const struct process_config *pc)
{
	group_config_ref(gc);
	group_config_unref(p->gcfg);
	p->gcfg = gc;
	p->cfg = pc;
}

/* A changed process: install the new config now or once it has stopped. */
static void
reload_replace(struct process *p, struct group_config *gc,
    const struct process_config *pc)
{
	if (p->next_gcfg != NULL)
		group_config_unref(p->next_gcfg);
	group_config_ref(gc);
	p->next_gcfg = gc;
	p->next_cfg = pc;
	reload_stop(p);
}

static void
reload_update_group(struct supervisor *sv, struct process_group *g,
    struct group_config *gc)
{
	struct process	**procs, *p;
	size_t		  n = 0, i, j;

	procs = xcalloc(gc->nprocs + g->nprocs, sizeof *procs);
	for (i = 0; i < gc->nprocs; i++) {
		p = group_find_process(g, gc->procs[i]->name);
		if (p == NULL) {
			p = process_create(g, gc, gc->procs[i],
			    &supervisor_process_ops);
			supervisor_resolve_logs(sv, p);
		} else if (p->next_cfg == NULL &&
		    process_config_equal(p->cfg, gc->procs[i]))
			reload_move(p, gc, gc->procs[i]);
		else
			reload_replace(p, gc, gc->procs[i]);
		procs[n++] = p;
	}
	/* What the new config no longer has stops and goes away. */
	for (i = 0; i < g->nprocs; i++) {
		for (j = 0; j < n && procs[j] != g->procs[i]; j++)
			;
		if (j < n)
			continue;
		g->procs[i]->removing = 1;
		reload_stop(g->procs[i]);
		procs[n++] = g->procs[i];
	}
	free(g->procs);
	g->procs = procs;
	g->nprocs = n;
	group_config_ref(gc);
	group_config_unref(g->cfg);
	g->cfg = gc;
}

static int
reload_wanted(char **groups, size_t ngroups, const char *name)
{
	size_t	 i;

	if (groups == NULL)
		return 1;
	for (i = 0; i < ngroups; i++)
		if (strcmp(groups[i], name) == 0)
			return 1;
	return 0;
}

static void
reload_resort(struct supervisor *sv)
{
	struct process_group	**old = sv->groups;
	size_t		  n = sv->ngroups, i;

	sv->groups = NULL;
	sv->ngroups = 0;
	for (i = 0; i < n; i++)
		supervisor_insert_group(sv, old[i]);
	free(old);
}

void
supervisor_apply(struct supervisor *sv, char **groups, size_t ngroups,
    supervisor_done_cb done, void *arg)
{
	struct reload_diff	 d;
	struct process_group		*g;
	struct apply_wait	*w;
	size_t			 i, j;

	tidy.unsettled = 1;
	supervisor_diff(sv, &d);
	for (i = 0; i < d.nremoved; i++)
		if (reload_wanted(groups, ngroups, d.removed[i]))
			reload_remove_group(supervisor_find_group(sv,
			    d.removed[i]));
	for (i = 0; i < d.nchanged; i++)
		if (reload_wanted(groups, ngroups, d.changed[i]))
			reload_update_group(sv, supervisor_find_group(sv,
			    d.changed[i]), config_find_group(sv->cfg,
			    d.changed[i]));
	reload_resort(sv);
	for (i = 0; i < d.nadded; i++) {
		if (!reload_wanted(groups, ngroups, d.added[i]))
			continue;
		g = group_create(sv, config_find_group(sv->cfg, d.added[i]));
		supervisor_insert_group(sv, g);
		for (j = 0; j < g->nprocs; j++)
			process_autostart(g->procs[j]);
	}
	/* New processes of changed groups start per autostart. */
	for (i = 0; i < sv->ngroups; i++)
		for (j = 0; j < sv->groups[i]->nprocs; j++)
			process_autostart(sv->groups[i]->procs[j]);
	reload_diff_free(&d);
	if (done != NULL) {
		w = xcalloc(1, sizeof *w);
		w->done = done;
		w->arg = arg;
		w->next = sv->applies;
		sv->applies = w;
	}
	supervisor_tidy_soon(sv);
}

int
supervisor_add_group(struct supervisor *sv, const char *name,
    const char **fault)
{
	struct group_config	*gc;
	struct process_group		*g;
	size_t			 i;

	if (sv->state != SUPERVISOR_RUNNING) {
		*fault = "SHUTDOWN_STATE";
		return -1;
	}
	if ((gc = config_find_group(sv->cfg, name)) == NULL) {
		*fault = "BAD_NAME";
		return -1;
	}
	if (supervisor_find_group(sv, name) != NULL) {
		*fault = "ALREADY_ADDED";
		return -1;
	}
	g = group_create(sv, gc);
	supervisor_insert_group(sv, g);
	for (i = 0; i < g->nprocs; i++)
		process_autostart(g->procs[i]);
	return 0;
}

static void
reload_drop_group(struct supervisor *sv, struct process_group *g)
{
	size_t	 i;

	for (i = 0; i < sv->ngroups && sv->groups[i] != g; i++)
		;
	if (i == sv->ngroups)
		return;
	memmove(&sv->groups[i], &sv->groups[i + 1],
	    (sv->ngroups - i - 1) * sizeof *sv->groups);
	sv->ngroups--;
	group_free(g);
}

int
supervisor_remove_group(struct supervisor *sv, const char *name,
    const char **fault)
{
	struct process_group	*g;
	size_t		 i;

	if ((g = supervisor_find_group(sv, name)) == NULL) {
		*fault = "BAD_NAME";
		return -1;
	}
	for (i = 0; i < g->nprocs; i++) {
		if (!process_state_stopped(g->procs[i]->state)) {
			*fault = "STILL_RUNNING";
			return -1;
		}
	}
	reload_drop_group(sv, g);
	return 0;
}

/* ---- bookkeeping after state changes ---- */

static void
reload_install(struct supervisor *sv, struct process *p)
{
	char	*cause = NULL;

	reload_move(p, p->next_gcfg, p->next_cfg);
	group_config_unref(p->next_gcfg);
	p->next_gcfg = NULL;
	p->next_cfg = NULL;
	p->backoff = 0;
	supervisor_resolve_logs(sv, p);
	if (p->cfg->autostart && sv->state == SUPERVISOR_RUNNING &&
	    process_start(p, &cause) != 0)
		free(cause);
}

/* Frees what was removed and has stopped; installs pending configs. */
static int
reload_settle(struct supervisor *sv)
{
	struct process_group	*g;
	struct process	*p;
	size_t		 i, j;
	int		 busy = 0;

	if (!tidy.unsettled)
		return 0;
	for (i = 0; i < sv->ngroups; i++) {
		g = sv->groups[i];
		for (j = 0; j < g->nprocs; j++) {
			p = g->procs[j];
			if (!process_state_stopped(p->state)) {
				if (p->removing || p->next_cfg != NULL)
					busy = 1;
				continue;
			}
			if (p->next_cfg != NULL)
				reload_install(sv, p);
			else if (p->removing && !g->removing) {
				if (p->timer_ev != NULL)
					event_free(p->timer_ev);
				process_free(p);
				memmove(&g->procs[j], &g->procs[j + 1],
				    (g->nprocs - j - 1) * sizeof *g->procs);
				g->nprocs--;
				j--;
			}
		}
		if (g->removing) {
			for (j = 0; j < g->nprocs &&
			    process_state_stopped(g->procs[j]->state); j++)
				;
			if (j == g->nprocs) {
				reload_drop_group(sv, g);
				i--;
			} else
				busy = 1;
		}
	}
	tidy.unsettled = busy;
	return busy;
}

static void
reload_log_waiting(struct supervisor *sv, struct process_group *g)
{
	char	*names = NULL, *tmp;
	size_t	 j;

	if (clock_mono() - sv->last_wait_log < 3)
		return;
	sv->last_wait_log = clock_mono();
	for (j = 0; j < g->nprocs; j++) {
		if (process_state_stopped(g->procs[j]->state))
			continue;
		tmp = names;
		names = xprintf("%s%s%s", tmp ? tmp : "", tmp ? ", " : "",
		    g->procs[j]->cfg->name);
		free(tmp);
	}
	if (names != NULL)
		log_info("waiting for %s to die", names);
	free(names);
}

/* The shutdown's stop: a stop signal, or FATAL for BACKOFF. */
static void
reload_shutdown_stop(struct process *p)
{
	char	*cause = NULL;

	if (p->state == PROCESS_BACKOFF)
		process_give_up_silently(p);
	else if ((p->state == PROCESS_STARTING ||
	    p->state == PROCESS_RUNNING) && process_stop(p, &cause) != 0)
		free(cause);
}

/*
 * Whether group g is down, stopping what runs from its last process down;
 * the processes above tidy.pi are known to be down already.
 */
static int
reload_group_down(struct process_group *g)
{
	struct process	*p;

	if (tidy.pi > g->nprocs)
		tidy.pi = g->nprocs;
	while (tidy.pi > 0) {
		p = g->procs[tidy.pi - 1];
		if (p->state != PROCESS_STOPPING)
			reload_shutdown_stop(p);
		if (!process_state_stopped(p->state))
			return 0;
		tidy.pi--;
	}
	return 1;
}

static void
reload_shutdown_enter(struct process_group *g)
{
	size_t	 j;

	tidy.g = g;
	tidy.pi = g->nprocs;
	/* All of a group at once, in descending process priority. */
	for (j = g->nprocs; j-- > 0;)
		reload_shutdown_stop(g->procs[j]);
}

/*
 * One step of the ordered shutdown; 1 while something still runs.  Groups
 * behind the cursor stay down, so a step looks at one process or so; the
 * end is confirmed by a full pass, which also catches anything started
 * meanwhile or a group list changed under the cursor.
 */
static int
reload_shutdown_step(struct supervisor *sv)
{
	struct process_group	*g;

	if (!tidy.shutting) {
		tidy.shutting = 1;
		tidy.gi = sv->ngroups;
		tidy.g = NULL;
	}
	for (;;) {
		if (tidy.gi > sv->ngroups)
			tidy.gi = sv->ngroups;
		while (tidy.gi > 0) {
			g = sv->groups[tidy.gi - 1];
			if (g != tidy.g)
				reload_shutdown_enter(g);
			if (!reload_group_down(g)) {
				tidy.confirmed = 0;
				reload_log_waiting(sv, g);
				return 1;
			}
			tidy.gi--;
		}
		if (tidy.confirmed)
			break;
		/* The cursor says all is down: one full pass to be sure. */
		tidy.confirmed = 1;
		tidy.gi = sv->ngroups;
		tidy.g = NULL;
	}
	tidy.confirmed = 0;
	return 0;
}

void
reload_tidy(struct supervisor *sv)
{
	struct apply_wait	*w, *list;
	supervisor_done_cb	 cb;

	if (!reload_settle(sv) && sv->applies != NULL) {
		list = sv->applies;
		sv->applies = NULL;
		while ((w = list) != NULL) {
			list = w->next;
			w->done(w->arg);
			free(w);
		}
	}
	if (sv->shutdown_cb != NULL && !reload_shutdown_step(sv)) {
		cb = sv->shutdown_cb;
		sv->shutdown_cb = NULL;
		cb(sv->shutdown_arg);
	}
}
