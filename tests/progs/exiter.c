/* SPDX-License-Identifier: ISC */
/*
 * A supervised program that exits on its own after a delay, with a chosen
 * exit code or by killing itself with a signal.
 *
 * usage: exiter [-fq] [-k sig] [-O text] ms code
 *   Prints text (default "exiter <pid>") on stdout, sleeps ms milliseconds,
 *   then exits with code, or with -k kills itself with signal number sig.
 *   -q  print nothing
 *   -f  first fork a grandchild that keeps stdout and stderr open and sleeps
 *       60 seconds, so the exit is not visible as end of file on the pipes.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct timespec	 ts;
	const char	*text = NULL;
	long		 ms;
	int		 ch, fflag = 0, qflag = 0, sig = 0;
	pid_t		 pid;

	while ((ch = getopt(argc, argv, "fk:O:q")) != -1) {
		switch (ch) {
		case 'f': fflag = 1; break;
		case 'q': qflag = 1; break;
		case 'k': sig = atoi(optarg); break;
		case 'O': text = optarg; break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	ms = atol(argv[optind]);

	if (!qflag && text != NULL)
		printf("%s\n", text);
	else if (!qflag)
		printf("exiter %ld\n", (long)getpid());
	fflush(stdout);
	if (fflag) {
		if ((pid = fork()) == -1) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			sleep(60);
			_exit(0);
		}
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1)
		continue;
	if (sig != 0) {
		signal(sig, SIG_DFL);
		kill(getpid(), sig);
	}
	return atoi(argv[optind + 1]);

usage:
	fprintf(stderr, "usage: exiter [-fq] [-k sig] [-O text] ms code\n");
	return 2;
}
