/* SPDX-License-Identifier: ISC */
/*
 * core/descend.c against real processes: a grandchild that left the process
 * group through setsid() is found through the tree; an orphan re-parented to
 * us is found by its marker variables, and only when they match.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/descend.h"

static void
nap(void)
{
	struct timespec	 ts = { 0, 2000000 };

	nanosleep(&ts, NULL);
}

/* Whether pid is gone or a zombie. */
static int
dead(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p == NULL || p[2] == 'Z' || p[2] == 'X';
}

static int
wait_dead(pid_t pid)
{
	int	 i;

	for (i = 0; i < 2500; i++) {
		if (dead(pid))
			return 1;
		nap();
	}
	return 0;
}

/* Starts sleep(1) with the marker variables of group:name. */
static pid_t
spawn_marked(const char *group, const char *name)
{
	char	 g[128], n[128];
	char	*argv[] = { (char *)"sleep", (char *)"30", NULL };
	char	*envp[] = { g, n, NULL };
	pid_t	 pid;

	snprintf(g, sizeof g, "SUPERVISOR_GROUP_NAME=%s", group);
	snprintf(n, sizeof n, "SUPERVISOR_PROCESS_NAME=%s", name);
	if ((pid = fork()) == 0) {
		execve("/bin/sleep", argv, envp);
		_exit(127);
	}
	return pid;
}

/* A child whose own child leaves the group with setsid(); *grand is it. */
static pid_t
spawn_tree(pid_t *grand)
{
	int	 fds[2];
	pid_t	 pid, g;

	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		if ((g = fork()) == 0) {
			setsid();
			pause();
			_exit(0);
		}
		write(fds[1], &g, sizeof g);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &g, sizeof g), (ssize_t)sizeof g);
	close(fds[0]);
	*grand = g;
	return pid;
}

static void
test_tree(void **state)
{
	pid_t	 child, grand;
	int	 status;

	(void)state;
	child = spawn_tree(&grand);
	assert_int_equal(descend_signal(child, "g", "n", NULL, SIGKILL), 1);
	assert_true(wait_dead(grand));
	assert_false(dead(child));
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
}

static int
known_none(pid_t pid)
{
	(void)pid;
	return 0;
}

static void
test_orphans_by_marker(void **state)
{
	pid_t	 mine, other, pid;
	int	 status, i;

	(void)state;
	mine = spawn_marked("grp", "prog");
	other = spawn_marked("grp", "prog2");
	/* Wait until both have exec'd and show their own environment. */
	for (i = 0; i < 2500; i++) {
		char	 path[64], buf[64];
		FILE	*f;
		int	 ok = 1;
		pid_t	 two[2] = { mine, other };

		for (int k = 0; k < 2; k++) {
			snprintf(path, sizeof path, "/proc/%ld/comm",
			    (long)two[k]);
			buf[0] = '\0';
			if ((f = fopen(path, "re")) != NULL) {
				if (fgets(buf, sizeof buf, f) == NULL)
					buf[0] = '\0';
				fclose(f);
			}
			ok = ok && strncmp(buf, "sleep", 5) == 0;
		}
		if (ok)
			break;
		nap();
	}
	assert_int_equal(descend_signal(0, "grp", "prog", known_none, SIGKILL),
	    1);
	assert_int_equal(waitpid(mine, &status, 0), mine);
	assert_true(WIFSIGNALED(status));
	assert_false(dead(other));
	/* Signal 0 only probes: the other program is still there. */
	assert_int_equal(descend_signal(0, "grp", "prog2", NULL, 0), 1);
	kill(other, SIGKILL);
	assert_int_equal(waitpid(other, &status, 0), other);
	pid = spawn_marked("grp", "prog");
	assert_true(descend_kill_all() >= 1);
	assert_int_equal(waitpid(pid, &status, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_orphans_by_marker),
	};

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
