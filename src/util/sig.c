/* SPDX-License-Identifier: ISC */
/*
 * Signal names and numbers on Linux, as supervisord sees them through
 * Python's signal module: the names it prints (29 is SIGPOLL, 6 SIGABRT,
 * 17 SIGCHLD) and the names and numbers it accepts in stopsignal=.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/sig.h"
#include "util/xmalloc.h"

#define SIG_MAXNUM	64

/* Indexed by number; NULL where Python has no name. */
static const char *const sig_table[SIG_MAXNUM + 1] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
	[19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU",
	[23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGPOLL", [30] = "SIGPWR", [31] = "SIGSYS", [34] = "SIGRTMIN",
	[64] = "SIGRTMAX",
};

/*
 * Other attributes of Python's signal module that start with "SIG" and so
 * pass supervisord's getattr() lookup, the handler constants included.
 */
static const struct {
	const char	*name;
	int		 num;
} sig_aliases[] = {
	{ "IOT", 6 }, { "CLD", 17 }, { "IO", 29 },
	{ "_DFL", 0 }, { "_IGN", 1 }, { "_BLOCK", 0 }, { "_UNBLOCK", 1 },
	{ "_SETMASK", 2 },
};

const char *const sig_names[] = {
	"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
	"USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD",
	"CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
	"VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS", "RTMIN", "RTMAX",
	NULL
};

/* Numbers that supervisord's SIGNUMS list holds. */
static int
sig_valid(long long n)
{
	if (n == 0)
		return 1;
	return (n > 0 && n <= SIG_MAXNUM && sig_table[n] != NULL);
}

/* Python's int() on a decimal string; 0 if s is not one. */
static int
sig_number(const char *s, long long *out, int *big)
{
	const char	*p = s;
	long long	 n = 0;
	int		 neg = 0, digits = 0;

	*big = 0;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p != '\0'; p++) {
		if (*p == '_' && digits > 0 && p[1] >= '0' && p[1] <= '9')
			continue;
		if (*p < '0' || *p > '9')
			break;
		digits++;
		if (n > 1000000)
			*big = 1;
		else
			n = n * 10 + (*p - '0');
	}
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (digits == 0 || *p != '\0')
		return 0;
	*out = neg ? -n : n;
	return 1;
}

static int
sig_lookup(const char *name)
{
	size_t	i;

	for (i = 1; i <= SIG_MAXNUM; i++) {
		if (sig_table[i] != NULL &&
		    strcasecmp(sig_table[i] + 3, name) == 0)
			return (int)i;
	}
	for (i = 0; i < sizeof sig_aliases / sizeof sig_aliases[0]; i++) {
		if (strcasecmp(sig_aliases[i].name, name) == 0)
			return sig_aliases[i].num;
	}
	return -1;
}

int
sig_parse(const char *s, char **cause)
{
	const char	*name, *end;
	char		*copy;
	long long	 n;
	int		 big, sig;

	if (sig_number(s, &n, &big)) {
		if (big || !sig_valid(n))
			goto bad_number;
		return (int)n;
	}
	name = s;
	while (*name == ' ' || (*name >= '\t' && *name <= '\r'))
		name++;
	end = name + strlen(name);
	while (end > name && (end[-1] == ' ' ||
	    (end[-1] >= '\t' && end[-1] <= '\r')))
		end--;
	copy = xstrndup(name, end - name);
	name = copy;
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	sig = *name == '\0' ? -1 : sig_lookup(name);
	free(copy);
	if (sig == -1) {
		if (cause != NULL)
			xasprintf(cause, "value '%s' is not a valid signal name",
			    s);
		return -1;
	}
	return sig;

bad_number:
	if (cause != NULL)
		xasprintf(cause, "value '%s' is not a valid signal number", s);
	return -1;
}

const char *
sig_name(int sig)
{
	static char	buf[32];

	if (sig > 0 && sig <= SIG_MAXNUM && sig_table[sig] != NULL)
		return sig_table[sig];
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}
