/* SPDX-License-Identifier: ISC */
/*
 * The physical floor of the benchmarks: the least a supervisor can do.
 * It spawns N copies of a command with posix_spawnp, blocks in waitpid,
 * respawns whatever dies, and on SIGTERM kills its children, waits for
 * them and exits.  No event loop, no pipes, no logs, no config.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t	stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static pid_t
spawn_one(char **argv)
{
	pid_t	pid;

	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	return pid;
}

/* Kills every child still alive and waits for all of them. */
static void
stop_all(pid_t *pids, long n)
{
	long	i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

int
main(int argc, char **argv)
{
	struct sigaction	 sa;
	pid_t			*pids, pid;
	long			 n, i;

	if (argc < 3) {
		fprintf(stderr, "usage: floor N command [arg ...]\n");
		return 2;
	}
	n = atol(argv[1]);
	if (n < 0 || (pids = calloc((size_t)n + 1, sizeof *pids)) == NULL)
		return 2;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;	/* no SA_RESTART: waitpid must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < n; i++)
		pids[i] = spawn_one(argv + 2);
	while (!stopping) {
		if ((pid = waitpid(-1, NULL, 0)) == -1) {
			if (errno == ECHILD)
				pause();
			continue;
		}
		for (i = 0; i < n; i++)
			if (pids[i] == pid)
				pids[i] = stopping ? 0 : spawn_one(argv + 2);
	}
	stop_all(pids, n);
	free(pids);
	return 0;
}
