/* SPDX-License-Identifier: ISC */
/*
 * The parsers of every key type (bool, size, octal, loglevel, signal, exit
 * codes, user, paths...) with supervisord's messages, and Python's int(),
 * expanduser, dirname and abspath, which their answers depend on.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/internal.h"
#include "util/sig.h"
#include "util/xmalloc.h"

/* Python's str.isspace() on ASCII. */
static int
keys_type_isspace(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r') ||
	    (c >= 0x1c && c <= 0x1f));
}

/*
 * Python's int() takes blanks around the number, a sign, and single
 * underscores between digits; int(s, 8) also an "0o" prefix.  A number
 * too large for a long long is reported as such (no key accepts one).
 */
int
keys_pyint(const char *s, int base, long long *out)
{
	const char	*p = s, *end = s + strlen(s);
	long long	 n = 0;
	int		 neg = 0, digits = 0, big = 0, d;

	while (p < end && keys_type_isspace((unsigned char)*p))
		p++;
	while (end > p && keys_type_isspace((unsigned char)end[-1]))
		end--;
	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (base == 8 && end - p >= 2 && p[0] == '0' &&
	    (p[1] == 'o' || p[1] == 'O')) {
		p += 2;
		if (p < end && *p == '_')
			p++;
	}
	for (; p < end; p++) {
		if (*p == '_' && digits > 0 && p + 1 < end && p[1] != '_')
			continue;
		d = *p - '0';
		if (d < 0 || d >= base)
			return -1;
		digits++;
		if (n > (LLONG_MAX - d) / base)
			big = 1;
		else
			n = n * base + d;
	}
	if (digits == 0)
		return -1;
	*out = neg ? -n : n;
	if (big) {
		*out = neg ? LLONG_MIN : LLONG_MAX;
		return 1;
	}
	return 0;
}

static int
keys_type_range(const struct key_def *k, long long n, int big, const char *text,
    char **why)
{
	if (big || n > k->max) {
		if (big)
			xasprintf(why, "%s is %s bound (%lld)", text,
			    n < 0 ? "below lower" : "above upper",
			    n < 0 ? k->min : k->max);
		else
			xasprintf(why, "%lld is above upper bound (%lld)", n,
			    k->max);
		return -1;
	}
	if (n < k->min) {
		xasprintf(why, "%lld is below lower bound (%lld)", n, k->min);
		return -1;
	}
	return 0;
}

static int
keys_type_int(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	char	*r;
	int	 rc;

	if ((rc = keys_pyint(s, 10, &v->num)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "invalid literal for int() with base 10: %s", r);
		free(r);
		return -1;
	}
	return keys_type_range(k, v->num, rc == 1, s, why);
}

/* supervisord's byte_size: the suffix is looked for after lower-casing. */
static int
keys_type_size(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	static const struct {
		const char	*suffix;
		long long	 mult;
	} units[] = { { "kb", 1LL << 10 }, { "mb", 1LL << 20 },
	    { "gb", 1LL << 30 } };
	struct key_def	 limits = *k;
	char		*low, *r;
	size_t		 len, i;
	long long	 mult = 1;
	int		 rc;

	low = xstrdup(s);
	for (i = 0; low[i] != '\0'; i++) {
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] += 'a' - 'A';
	}
	len = strlen(low);
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (len >= 2 && strcmp(low + len - 2, units[i].suffix) == 0) {
			low[len - 2] = '\0';
			mult = units[i].mult;
			break;
		}
	}
	if ((rc = keys_pyint(low, 10, &v->num)) == -1) {
		r = expand_repr(low);
		xasprintf(why, "invalid literal for int() with base 10: %s", r);
		free(r);
		free(low);
		return -1;
	}
	free(low);
	if (rc == 0 && (v->num > LLONG_MAX / mult || v->num < LLONG_MIN / mult))
		rc = 1;
	else if (rc == 0)
		v->num *= mult;
	limits.min = 0;
	limits.max = LLONG_MAX;
	return keys_type_range(&limits, v->num, rc == 1, s, why);
}

/* int(s, 8): "022", "22" and "0o22" are the same. */
static int
keys_type_octal(const struct key_def *k, const char *s, struct key_value *v,
    char **why)
{
	int	rc;

	if ((rc = keys_pyint(s, 8, &v->num)) == -1) {
		xasprintf(why, "%s can not be converted to an octal type", s);
		return -1;
	}
	if (rc == 1 || v->num > k->max) {
		xasprintf(why, "%s is above upper bound (0%llo)", s, k->max);
		return -1;
	}
	if (v->num < k->min) {
		xasprintf(why, "%s is below lower bound (0)", s);
		return -1;
	}
	return 0;
}

static int
keys_type_word(const char *s, const char *const *words)
{
	size_t	i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcasecmp(s, words[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* true/false words in supervisord's order; even index is true. */
static const char *const keys_type_bools[] = {
	"yes", "no", "true", "false", "on", "off", "1", "0", NULL
};

/* No trimming: supervisord compares the lower-cased text as it is. */
static int
keys_type_bool(const char *s, struct key_value *v, char **why)
{
	char	*r;
	int	 i;

	if ((i = keys_type_word(s, keys_type_bools)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "not a valid boolean value: %s", r);
		free(r);
		return -1;
	}
	v->num = i % 2 == 0;
	return 0;
}

static int
keys_type_autorestart(const char *s, struct key_value *v, char **why)
{
	char	*low, *r;
	size_t	 i;
	int	 w;

	if ((w = keys_type_word(s, keys_type_bools)) != -1) {
		v->num = w % 2 == 0 ? AUTORESTART_ALWAYS : AUTORESTART_NEVER;
		return 0;
	}
	if (strcasecmp(s, "unexpected") == 0) {
		v->num = AUTORESTART_UNEXPECTED;
		return 0;
	}
	low = xstrdup(s);
	for (i = 0; low[i] != '\0'; i++) {
		if (low[i] >= 'A' && low[i] <= 'Z')
			low[i] += 'a' - 'A';
	}
	r = expand_repr(low);
	xasprintf(why, "invalid 'autorestart' value %s", r);
	free(r);
	free(low);
	return -1;
}

static int
keys_type_loglevel(const char *s, struct key_value *v, char **why)
{
	static const char *const	 names[] = { "critical", "error",
	    "warn", "info", "debug", "trace", "blather", NULL };
	static const int		 levels[] = { LOG_LEVEL_CRITICAL,
	    LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG,
	    LOG_LEVEL_TRACE, LOG_LEVEL_BLATHER };
	char				*r;
	int				 i;

	if ((i = keys_type_word(s, names)) == -1) {
		r = expand_repr(s);
		xasprintf(why, "bad logging level name %s", r);
		free(r);
		return -1;
	}
	v->num = levels[i];
	return 0;
}

static int
keys_type_signal(const char *s, struct key_value *v, char **why)
{
	int	sig;

	if ((sig = sig_parse(s, why)) == -1)
		return -1;
	v->num = sig;
	return 0;
}

static int
keys_type_exitcodes(const char *s, struct key_value *v, char **why)
{
	const char	*p = s, *comma;
	char		*part, *r;
	long long	 n;
	int		 rc;

	if (*s == '\0')
		return 0;
	for (;;) {
		comma = strchr(p, ',');
		part = comma == NULL ? xstrdup(p) : xstrndup(p, comma - p);
		rc = keys_pyint(part, 10, &n);
		free(part);
		if (rc != 0 || n < 0 || n > 255) {
			r = expand_repr(s);
			xasprintf(why, "not a valid list of exit codes: %s", r);
			free(r);
			return -1;
		}
		v->codes = xreallocarray(v->codes, v->ncodes + 1,
		    sizeof *v->codes);
		v->codes[v->ncodes++] = (int)n;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

int
keys_type_isdir(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode));
}

static int
keys_type_dir(const char *s, struct key_value *v, char **why)
{
	v->str = keys_expanduser(s);
	if (keys_type_isdir(v->str))
		return 0;
	xasprintf(why, "%s is not an existing directory", s);
	return -1;
}

/* The directory of the ~-expanded path must exist; a bare name has none. */
static int
keys_type_dirpath(const char *s, struct key_value *v, char **why)
{
	char	*dir;
	int	 ok;

	v->str = keys_expanduser(s);
	dir = keys_dirname(v->str);
	ok = *dir == '\0' || keys_type_isdir(dir);
	free(dir);
	if (ok)
		return 0;
	xasprintf(why, "The directory named as part of the path %s does not "
	    "exist", s);
	return -1;
}

/*
 * An empty value is no file: supervisord keeps an empty path, which never
 * opens anything.
 */
static int
keys_type_logfile(const char *s, struct key_value *v, char **why)
{
	if (*s == '\0' || strcasecmp(s, "none") == 0 ||
	    strcasecmp(s, "off") == 0)
		v->lf = LOGFILE_NONE;
	else if (strcasecmp(s, "auto") == 0)
		v->lf = LOGFILE_AUTO;
	else if (strcasecmp(s, "syslog") == 0)
		v->lf = LOGFILE_SYSLOG;
	else {
		v->lf = LOGFILE_PATH;
		return keys_type_dirpath(s, v, why);
	}
	return 0;
}

/* supervisord's name_to_uid: a number must be an existing uid too. */
static int
keys_type_user(const char *s, uid_t *uid, gid_t *gid, char **why)
{
	struct passwd	*pw;
	long long	 n;

	if (keys_pyint(s, 10, &n) == 0) {
		if (n < 0 || n > UINT_MAX - 1 ||
		    (pw = getpwuid((uid_t)n)) == NULL) {
			xasprintf(why, "Invalid user id %s", s);
			return -1;
		}
	} else if ((pw = getpwnam(s)) == NULL) {
		xasprintf(why, "Invalid user name %s", s);
		return -1;
	}
	*uid = pw->pw_uid;
	if (gid != NULL)
		*gid = pw->pw_gid;
	return 0;
}

static int
keys_type_group(const char *s, gid_t *gid)
{
	struct group	*gr;
	long long	 n;

	if (keys_pyint(s, 10, &n) == 0) {
		if (n < 0 || n > UINT_MAX - 1 ||
		    (gr = getgrgid((gid_t)n)) == NULL)
			return -1;
	} else if ((gr = getgrnam(s)) == NULL)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

static int
keys_type_usergroup(const char *s, struct key_value *v, char **why)
{
	const char	*colon;
	char		*user, *err = NULL;
	int		 rc;

	v->str = xstrdup(s);
	v->gid = (gid_t)-1;
	colon = strchr(s, ':');
	user = colon == NULL ? xstrdup(s) : xstrndup(s, colon - s);
	rc = keys_type_user(user, &v->uid, NULL, &err);
	free(user);
	free(err);
	if (rc == 0 && colon != NULL)
		rc = keys_type_group(colon + 1, &v->gid);
	if (rc != 0)
		xasprintf(why, "Invalid user:group definition %s", s);
	return rc;
}

static void
keys_type_strip(const char *s, const char **start, size_t *len)
{
	*len = strlen(s);
	while (*len > 0 && keys_type_isspace((unsigned char)*s)) {
		s++;
		(*len)--;
	}
	while (*len > 0 && keys_type_isspace((unsigned char)s[*len - 1]))
		(*len)--;
	*start = s;
}

/* supervisord's inet_address, with its messages (even the odd ones). */
static int
keys_type_inet(const char *s, struct key_value *v, char **why)
{
	static const struct key_def	 port = { .min = 1, .max = 65535 };
	const char			*colon;
	char				*r;
	size_t				 i;

	if ((colon = strrchr(s, ':')) == NULL) {
		if (keys_type_int(&port, s, v, why) != 0) {
			free(*why);
			r = expand_repr(s);
			xasprintf(why, "not a valid port number: %s ", r);
			free(r);
			return -1;
		}
		v->str = xstrdup("");
		return 0;
	}
	if (colon[1] == '\0') {
		*why = xstrdup("no port number specified in ''");
		return -1;
	}
	if (keys_type_int(&port, colon + 1, v, why) != 0)
		return -1;
	v->str = xstrndup(s, colon - s);
	for (i = 0; v->str[i] != '\0'; i++) {
		if (v->str[i] >= 'A' && v->str[i] <= 'Z')
			v->str[i] += 'a' - 'A';
	}
	if (strcmp(v->str, "*") == 0)
		v->str[0] = '\0';
	return 0;
}

static void
keys_type_list(const char *s, struct key_value *v)
{
	const char	*p = s, *comma, *start;
	char		*part;
	size_t		 len;

	if (*s == '\0')
		return;
	for (;;) {
		comma = strchr(p, ',');
		part = comma == NULL ? xstrdup(p) : xstrndup(p, comma - p);
		keys_type_strip(part, &start, &len);
		v->list = xreallocarray(v->list, v->nlist + 1,
		    sizeof *v->list);
		v->list[v->nlist++] = xstrndup(start, len);
		free(part);
		if (comma == NULL)
			return;
		p = comma + 1;
	}
}

/* r is NULL for values that come from the command line. */
int
keys_type_parse(const struct key_reader *r, const struct key_def *k,
    const char *s, struct key_value *v, char **why)
{
	const struct ini_entry	*e = v->entry;
	const char		*start;
	char			*warning = NULL, *tmp;
	size_t			 len;

	switch (k->type) {
	case KEY_STRING:
		v->str = xstrdup(s);
		return 0;
	case KEY_BOOL:
		return keys_type_bool(s, v, why);
	case KEY_INT:
		return keys_type_int(k, s, v, why);
	case KEY_SIZE:
		return keys_type_size(k, s, v, why);
	case KEY_OCTAL:
		return keys_type_octal(k, s, v, why);
	case KEY_SIGNAL:
		return keys_type_signal(s, v, why);
	case KEY_EXITCODES:
		return keys_type_exitcodes(s, v, why);
	case KEY_AUTORESTART:
		return keys_type_autorestart(s, v, why);
	case KEY_LOGLEVEL:
		return keys_type_loglevel(s, v, why);
	case KEY_LOGFILE:
		return keys_type_logfile(s, v, why);
	case KEY_DIR:
		return keys_type_dir(s, v, why);
	case KEY_DIRPATH:
		if (keys_type_dirpath(s, v, why) != 0)
			return -1;
		if ((k->flags & KF_ABSPATH) &&
		    !((k->flags & KF_SYSLOG) && strcmp(v->str, "syslog") == 0)) {
			tmp = keys_abspath(v->str);
			free(v->str);
			v->str = tmp;
		}
		return 0;
	case KEY_PATH:
		keys_type_strip(s, &start, &len);
		if (len > 0) {
			tmp = xstrndup(start, len);
			v->str = keys_abspath(tmp);
			free(tmp);
		}
		return 0;
	case KEY_USER:
		v->str = xstrdup(s);
		return keys_type_user(s, &v->uid, &v->gid, why);
	case KEY_USERGROUP:
		return keys_type_usergroup(s, v, why);
	case KEY_ENV:
		if (envlist_parse(&v->env, s, why, &warning) != 0)
			return -1;
		if (warning != NULL && r != NULL)
			keys_warn(r, e, k->name, "%s", warning);
		free(warning);
		return 0;
	case KEY_INET:
		return keys_type_inet(s, v, why);
	case KEY_LIST:
		keys_type_list(s, v);
		return 0;
	}
	return 0;
}

/* The event types of supervisord's EventTypes (section 10.4). */
int
keys_event_valid(const char *name)
{
	static const char *const	 names[] = {
		"EVENT", "PROCESS_STATE", "PROCESS_STATE_STOPPED",
		"PROCESS_STATE_EXITED", "PROCESS_STATE_STARTING",
		"PROCESS_STATE_STOPPING", "PROCESS_STATE_BACKOFF",
		"PROCESS_STATE_FATAL", "PROCESS_STATE_RUNNING",
		"PROCESS_STATE_UNKNOWN", "PROCESS_COMMUNICATION",
		"PROCESS_COMMUNICATION_STDOUT", "PROCESS_COMMUNICATION_STDERR",
		"PROCESS_LOG", "PROCESS_LOG_STDOUT", "PROCESS_LOG_STDERR",
		"REMOTE_COMMUNICATION", "SUPERVISOR_STATE_CHANGE",
		"SUPERVISOR_STATE_CHANGE_RUNNING",
		"SUPERVISOR_STATE_CHANGE_STOPPING", "TICK", "TICK_5",
		"TICK_60", "TICK_3600", "PROCESS_GROUP", "PROCESS_GROUP_ADDED",
		"PROCESS_GROUP_REMOVED", NULL
	};
	size_t				 i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcmp(names[i], name) == 0)
			return 1;
	}
	return 0;
}

char *
keys_expanduser(const char *path)
{
	struct passwd	*pw;
	const char	*home, *slash;
	char		*name, *out;
	size_t		 hlen;

	if (path[0] != '~')
		return xstrdup(path);
	if ((slash = strchr(path + 1, '/')) == NULL)
		slash = path + strlen(path);
	if (slash == path + 1) {
		if ((home = getenv("HOME")) == NULL) {
			if ((pw = getpwuid(getuid())) == NULL)
				return xstrdup(path);
			home = pw->pw_dir;
		}
	} else {
		name = xstrndup(path + 1, slash - path - 1);
		pw = getpwnam(name);
		free(name);
		if (pw == NULL)
			return xstrdup(path);
		home = pw->pw_dir;
	}
	hlen = strlen(home);
	while (hlen > 0 && home[hlen - 1] == '/')
		hlen--;
	xasprintf(&out, "%.*s%s", (int)hlen, home, slash);
	if (*out == '\0') {
		free(out);
		out = xstrdup("/");
	}
	return out;
}

char *
keys_dirname(const char *path)
{
	const char	*slash = strrchr(path, '/');
	size_t		 len, i;

	if (slash == NULL)
		return xstrdup("");
	len = slash - path + 1;
	/* Trailing slashes go, unless the head is made of slashes only. */
	for (i = 0; i < len && path[i] == '/'; i++)
		/* nothing */;
	if (i < len) {
		while (len > 0 && path[len - 1] == '/')
			len--;
	}
	return xstrndup(path, len);
}

/* os.path.normpath(os.path.abspath(os.path.expanduser(path))). */
char *
keys_abspath(const char *path)
{
	char	*full, *cwd, *out, *p, *comp, *save = NULL;
	size_t	 len = 0, n, lead;

	full = keys_expanduser(path);
	if (full[0] != '/') {
		if ((cwd = getcwd(NULL, 0)) == NULL)
			cwd = xstrdup("/");
		p = xprintf("%s/%s", cwd, full);
		free(cwd);
		free(full);
		full = p;
	}
	lead = (full[1] == '/' && full[2] != '/') ? 2 : 1;
	out = xmalloc(strlen(full) + 3);
	memset(out, '/', lead);
	len = lead;
	for (comp = strtok_r(full, "/", &save); comp != NULL;
	    comp = strtok_r(NULL, "/", &save)) {
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			while (len > lead && out[len - 1] != '/')
				len--;
			if (len > lead)
				len--;
			continue;
		}
		if (len > lead)
			out[len++] = '/';
		n = strlen(comp);
		memcpy(out + len, comp, n);
		len += n;
	}
	out[len] = '\0';
	free(full);
	return out;
}
