/* SPDX-License-Identifier: ISC */
/*
 * A supervised program whose children leave its process group and session
 * with setsid(), as daemons do, so that a signal to the group misses them.
 *
 * usage: forker [-nt] [-e ms] [-l ms] -w file n
 *   Forks n children.  Each calls setsid() and then sleeps until killed, or
 *   with -l exits 0 after ms milliseconds.  Once every child is in its own
 *   session, their pids are written to file, one a line (through a rename,
 *   so the file appears complete), and "ready" is printed on stdout.  Then
 *   the program sleeps until killed, or with -e exits 0 after ms.
 *   -n  the children put /dev/null on fds 0-2 (else they keep our pipes)
 *   -t  the children ignore SIGTERM
 */

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void
sleep_ms(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1)
		;
}

static void __attribute__((noreturn))
child(int ready, int nflag, int tflag, long life)
{
	int	fd;

	if (setsid() == -1)
		_exit(4);
	if (tflag)
		signal(SIGTERM, SIG_IGN);
	if (nflag && (fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (write(ready, "x", 1) != 1)
		_exit(5);
	close(ready);
	if (life >= 0) {
		sleep_ms(life);
		_exit(0);
	}
	for (;;)
		pause();
}

static int
write_pids(const char *file, const pid_t *pids, int n)
{
	char	 tmp[PATH_MAX];
	FILE	*f;
	int	 i;

	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		fprintf(f, "%ld\n", (long)pids[i]);
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, file);
}

int
main(int argc, char **argv)
{
	const char	*file = NULL;
	pid_t		*pids;
	long		 exit_ms = -1, life = -1;
	int		 ch, i, n, nflag = 0, tflag = 0, fds[2];
	char		 c;

	while ((ch = getopt(argc, argv, "e:l:ntw:")) != -1) {
		switch (ch) {
		case 'e': exit_ms = atol(optarg); break;
		case 'l': life = atol(optarg); break;
		case 'n': nflag = 1; break;
		case 't': tflag = 1; break;
		case 'w': file = optarg; break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || file == NULL || (n = atoi(argv[optind])) < 1)
		goto usage;
	if ((pids = calloc((size_t)n, sizeof *pids)) == NULL || pipe(fds) == -1)
		return 1;
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == -1) {
			perror("fork");
			return 1;
		}
		if (pids[i] == 0) {
			close(fds[0]);
			child(fds[1], nflag, tflag, life);
		}
	}
	close(fds[1]);
	for (i = 0; i < n; i++)
		if (read(fds[0], &c, 1) != 1)
			return 1;
	close(fds[0]);
	if (write_pids(file, pids, n) == -1) {
		perror(file);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	free(pids);
	if (exit_ms >= 0) {
		sleep_ms(exit_ms);
		return 0;
	}
	for (;;)
		pause();

usage:
	fprintf(stderr, "usage: forker [-nt] [-e ms] [-l ms] -w file n\n");
	return 2;
}
