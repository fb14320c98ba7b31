/* SPDX-License-Identifier: ISC */
/*
 * A supervised program that reports what it inherited and then runs until
 * killed.  The black-box tests read its reports from its stdout log.
 *
 * usage: sleeper [-adeFgmtux] [-C sig] [-E text] [-f file] [-O text] [-w file]
 *   -a       print "argv[N]=<arg>" for each argument
 *   -d       print "cwd=<directory>"
 *   -e       print "env:<NAME=value>" for each environment variable
 *   -F       print "fds=0 1 2": the open file descriptors
 *   -g       print "pid=N pgid=N sid=N ppid=N"
 *   -m       print "sigblk=<hex> sigign=<hex>" (mask and ignored signals)
 *   -u       print "umask=0022"
 *   -O text  print text and a newline on stdout; -E text: on stderr
 *   -t       ignore SIGTERM (the grandchild of -f inherits this)
 *   -C sig   catch sig (number or HUP, INT, USR1, USR2, TERM) and print
 *            "caught <sig number>" on stdout each time it arrives
 *   -f file  fork a grandchild that sleeps until killed; it writes its pid
 *            to file
 *   -w file  write the sleeper's own pid to file
 *   -x       close stdout and stderr after printing "ready"
 * After the reports it prints "ready" on stdout.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int
signum(const char *s)
{
	static const struct { const char *name; int num; } names[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 }, { "TERM", SIGTERM },
	};
	size_t	i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].num;
	return atoi(s);
}

/* Only write(2) here: the message is built without stdio. */
static void
on_signal(int sig)
{
	char	buf[32] = "caught ";
	size_t	n = 7;
	char	digits[8];
	int	d = 0;

	do {
		digits[d++] = '0' + sig % 10;
		sig /= 10;
	} while (sig > 0 && d < (int)sizeof digits);
	while (d > 0)
		buf[n++] = digits[--d];
	buf[n++] = '\n';
	(void)write(1, buf, n);
}

static void
write_pid(const char *path, pid_t pid)
{
	char	 tmp[PATH_MAX];
	FILE	*f;

	/* Written then renamed, so a reader never sees a partial number. */
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		perror(tmp);
		exit(1);
	}
	fprintf(f, "%ld\n", (long)pid);
	fclose(f);
	rename(tmp, path);
}

static void
print_fds(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 fds[256], n = 0, i, j, t;

	if ((d = opendir("/proc/self/fd")) == NULL) {
		perror("opendir");
		return;
	}
	while ((e = readdir(d)) != NULL && n < 256) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		fds[n++] = atoi(e->d_name);
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && fds[j - 1] > fds[j]; j--) {
			t = fds[j];
			fds[j] = fds[j - 1];
			fds[j - 1] = t;
		}
	printf("fds=");
	for (i = 0; i < n; i++)
		printf("%s%d", i ? " " : "", fds[i]);
	printf("\n");
}

static void
print_sigs(void)
{
	FILE	*f;
	char	 line[256], blk[64] = "?", ign[64] = "?";

	if ((f = fopen("/proc/self/status", "r")) == NULL) {
		perror("/proc/self/status");
		return;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "SigBlk:", 7) == 0)
			sscanf(line + 7, "%63s", blk);
		else if (strncmp(line, "SigIgn:", 7) == 0)
			sscanf(line + 7, "%63s", ign);
	}
	fclose(f);
	printf("sigblk=%s sigign=%s\n", blk, ign);
}

int
main(int argc, char **argv)
{
	const char	*out = NULL, *err = NULL, *gcfile = NULL;
	const char	*pidfile = NULL;
	char		 cwd[PATH_MAX];
	char		**e;
	mode_t		 um;
	int		 ch, i, catch[8], ncatch = 0;
	int		 aflag = 0, dflag = 0, eflag = 0, fdflag = 0, gflag = 0;
	int		 mflag = 0, tflag = 0, uflag = 0, xflag = 0;
	pid_t		 pid;

	while ((ch = getopt(argc, argv, "aC:dE:eFf:gmO:tuw:x")) != -1) {
		switch (ch) {
		case 'a': aflag = 1; break;
		case 'C':
			if (ncatch < 8)
				catch[ncatch++] = signum(optarg);
			break;
		case 'd': dflag = 1; break;
		case 'E': err = optarg; break;
		case 'e': eflag = 1; break;
		case 'F': fdflag = 1; break;
		case 'f': gcfile = optarg; break;
		case 'g': gflag = 1; break;
		case 'm': mflag = 1; break;
		case 'O': out = optarg; break;
		case 't': tflag = 1; break;
		case 'u': uflag = 1; break;
		case 'w': pidfile = optarg; break;
		case 'x': xflag = 1; break;
		default:
			fprintf(stderr, "usage: sleeper [-adeFgmtux] [-C sig] "
			    "[-E text] [-f file] [-O text] [-w file]\n");
			return 2;
		}
	}

	/* Reports first, before this program changes anything itself. */
	if (mflag)
		print_sigs();
	if (fdflag)
		print_fds();
	if (aflag)
		for (i = 0; i < argc; i++)
			printf("argv[%d]=%s\n", i, argv[i]);
	if (eflag)
		for (e = environ; *e != NULL; e++)
			printf("env:%s\n", *e);
	if (dflag && getcwd(cwd, sizeof cwd) != NULL)
		printf("cwd=%s\n", cwd);
	if (uflag) {
		um = umask(0);
		umask(um);
		printf("umask=%04o\n", (unsigned)um);
	}
	if (gflag)
		printf("pid=%ld pgid=%ld sid=%ld ppid=%ld\n", (long)getpid(),
		    (long)getpgid(0), (long)getsid(0), (long)getppid());
	if (out != NULL)
		printf("%s\n", out);
	fflush(stdout);
	if (err != NULL)
		fprintf(stderr, "%s\n", err);

	if (tflag)
		signal(SIGTERM, SIG_IGN);
	for (i = 0; i < ncatch; i++)
		signal(catch[i], on_signal);
	if (pidfile != NULL)
		write_pid(pidfile, getpid());
	if (gcfile != NULL) {
		if ((pid = fork()) == -1) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			write_pid(gcfile, getpid());
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);
	if (xflag) {
		close(1);
		close(2);
	}
	for (;;)
		pause();
}
