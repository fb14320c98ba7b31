/* SPDX-License-Identifier: ISC */
/*
 * Finding a program's descendants in /proc.  Each process lists its
 * children in /proc/PID/task/TID/children; walking those from the main pid
 * gives the tree, whatever process groups or sessions its members moved to.
 * Members whose parent died were re-parented to us and are found among our
 * own children by the marker variables every program is started with.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "descend.h"
#include "util/xmalloc.h"

/* A bound on what one walk collects, against a fork bomb. */
#define DESCEND_MAX	65536

struct pidset {
	pid_t	*v;
	size_t	 n, cap;
};

static void
pidset_add(struct pidset *s, pid_t pid)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = pid;
}

/* Reads a small /proc file whole; NULL when it is gone. */
static char *
descend_read(const char *path, size_t *len)
{
	char	*buf = NULL;
	size_t	 cap = 0, n = 0;
	ssize_t	 r;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 4096;
			buf = xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Appends the children of every thread of pid. */
static void
descend_children(pid_t pid, struct pidset *out)
{
	char		 path[PATH_MAX], *buf, *p, *end;
	struct dirent	*de;
	DIR		*d;
	size_t		 len;
	long		 v;

	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL && out->n < DESCEND_MAX) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%ld/task/%s/children",
		    (long)pid, de->d_name);
		if ((buf = descend_read(path, &len)) == NULL)
			continue;
		for (p = buf; *p != '\0'; p = end) {
			v = strtol(p, &end, 10);
			if (end == p)
				break;
			if (v > 0 && v <= INT_MAX)
				pidset_add(out, (pid_t)v);
		}
		free(buf);
	}
	closedir(d);
}

/* Adds the whole subtree below s->v[from..] to s, breadth first. */
static void
descend_walk(struct pidset *s, size_t from)
{
	size_t	 i;

	for (i = from; i < s->n && s->n < DESCEND_MAX; i++)
		descend_children(s->v[i], s);
}

static int
descend_has_entry(const char *env, size_t len, const char *key,
    const char *value)
{
	size_t	 klen = strlen(key), vlen = strlen(value);
	const char *p, *end = env + len;

	for (p = env; p < end; p += strlen(p) + 1) {
		if ((size_t)(end - p) > klen + vlen &&
		    strncmp(p, key, klen) == 0 && p[klen] == '=' &&
		    strcmp(p + klen + 1, value) == 0)
			return 1;
	}
	return 0;
}

/* Whether pid was started for group:name (its initial environment says). */
static int
descend_marked(pid_t pid, const char *group, const char *name)
{
	char	 path[64], *env;
	size_t	 len;
	int	 yes;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if ((env = descend_read(path, &len)) == NULL)
		return 0;
	yes = descend_has_entry(env, len, "SUPERVISOR_GROUP_NAME", group) &&
	    descend_has_entry(env, len, "SUPERVISOR_PROCESS_NAME", name);
	free(env);
	return yes;
}

int
descend_signal(pid_t root, const char *group, const char *name,
    descend_known_fn known, int sig)
{
	struct pidset	 s = { 0 }, mine = { 0 };
	size_t		 i, from;
	int		 n = 0;

	if (root > 0) {
		descend_children(root, &s);
		descend_walk(&s, 0);
	}
	descend_children(getpid(), &mine);
	from = s.n;
	for (i = 0; i < mine.n; i++) {
		if (mine.v[i] == root || (known != NULL && known(mine.v[i])))
			continue;
		if (descend_marked(mine.v[i], group, name))
			pidset_add(&s, mine.v[i]);
	}
	descend_walk(&s, from);
	for (i = 0; i < s.n; i++)
		if (kill(s.v[i], sig) == 0)
			n++;
	free(s.v);
	free(mine.v);
	return n;
}

int
descend_kill_all(void)
{
	struct timespec	 ms = { 0, 1000000 };
	struct pidset	 s = { 0 };
	size_t		 i;
	int		 n, tries;

	descend_children(getpid(), &s);
	descend_walk(&s, 0);
	n = (int)s.n;
	for (i = 0; i < s.n; i++)
		kill(s.v[i], SIGKILL);
	free(s.v);
	/* Killed descendants re-parent to us; reap until none is left. */
	for (tries = 0; n > 0 && tries < 2000; tries++) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == 0)
			nanosleep(&ms, NULL);
	}
	return n;
}
