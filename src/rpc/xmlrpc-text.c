/* SPDX-License-Identifier: ISC */
/*
 * The text rules both directions of the XML-RPC codec share: which UTF-8
 * characters XML allows, numbers in the C locale, and the member names
 * decoded structs point to instead of copying them.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "xmlrpc-internal.h"

/*
 * Member names of supervisord's structures.  A ProcessInfo array has
 * thousands of them, and equal pointers then mean equal names.
 */
static const char *const xmlrpc_text_names[] = {
	"autostart", "command", "description", "directory", "exitcodes",
	"exitstatus", "faultCode", "faultString", "group", "group_prio",
	"inuse", "killasgroup", "logfile", "methodName", "name", "now",
	"params", "pid", "process_prio", "redirect_stderr", "serverurl",
	"spawnerr", "start", "startretries", "startsecs", "state",
	"statecode", "statename", "status", "stderr_capture_maxbytes",
	"stderr_events_enabled", "stderr_logfile", "stderr_logfile_backups",
	"stderr_logfile_maxbytes", "stderr_syslog", "stdout_capture_maxbytes",
	"stdout_events_enabled", "stdout_logfile", "stdout_logfile_backups",
	"stdout_logfile_maxbytes", "stdout_syslog", "stop", "stopsignal",
	"stopwaitsecs", "uid",
};

/* Open addressing over the names; a power of two well above their count. */
#define XMLRPC_TEXT_SLOTS	128

size_t
xmlrpc_text_char(const unsigned char *s, size_t n)
{
	unsigned int	 c;
	size_t		 len, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ||
	    c == 0xfffe || c == 0xffff)
		return 0;
	return len;
}

locale_t
xmlrpc_text_locale(void)
{
	static locale_t	 c;

	if (c == (locale_t)0)
		c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return c;
}

static int
xmlrpc_text_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies the trimmed text into buf; -1 if empty or longer than size - 1. */
int
xmlrpc_text_trim(const char *s, size_t n, char *buf, size_t size)
{
	while (n > 0 && xmlrpc_text_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && xmlrpc_text_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

int
xmlrpc_text_int(const char *s, size_t n, long long *out)
{
	unsigned long long	 u = 0, max;
	size_t			 i = 0;
	int			 neg = 0;

	while (n > 0 && xmlrpc_text_space((unsigned char)s[n - 1]))
		n--;
	while (i < n && xmlrpc_text_space((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i == n)
		return -1;
	max = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (u > (max - (unsigned)(s[i] - '0')) / 10)
			return -1;
		u = u * 10 + (unsigned)(s[i] - '0');
	}
	*out = neg ? (long long)(0ULL - u) : (long long)u;
	return 0;
}

int
xmlrpc_text_double(const char *s, size_t n, double *out)
{
	char		 buf[512], *end;
	locale_t	 c;

	if (xmlrpc_text_trim(s, n, buf, sizeof buf) == -1)
		return -1;
	if ((c = xmlrpc_text_locale()) != (locale_t)0)
		*out = strtod_l(buf, &end, c);
	else
		*out = strtod(buf, &end);
	return *end == '\0' ? 0 : -1;
}

static unsigned int
xmlrpc_text_hash(const char *s, size_t n)
{
	unsigned int	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

const char *
xmlrpc_text_name(const char *s, size_t n)
{
	static const char	*slots[XMLRPC_TEXT_SLOTS];
	static int		 ready;
	const char		*k;
	unsigned int		 h;
	size_t			 i, count;

	if (!ready) {
		count = sizeof xmlrpc_text_names / sizeof xmlrpc_text_names[0];
		for (i = 0; i < count; i++) {
			k = xmlrpc_text_names[i];
			h = xmlrpc_text_hash(k, strlen(k));
			while (slots[h % XMLRPC_TEXT_SLOTS] != NULL)
				h++;
			slots[h % XMLRPC_TEXT_SLOTS] = k;
		}
		ready = 1;
	}
	for (h = xmlrpc_text_hash(s, n);
	    (k = slots[h % XMLRPC_TEXT_SLOTS]) != NULL; h++) {
		if (strncmp(k, s, n) == 0 && k[n] == '\0')
			return k;
	}
	return NULL;
}
