/* SPDX-License-Identifier: ISC */
/*
 * What taskmasterctl reads of a config file: its [supervisorctl] section,
 * and the file read for it without the sections it never looks at.  A
 * config of 1000 programs is mostly program sections; a line scan proves
 * that none of its lines can fail in ini.c, so that only [supervisorctl],
 * [DEFAULT] and [include] need to be parsed.  A file with any line outside
 * that plain subset is parsed whole, so that its errors are ini.c's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config-client.h"
#include "config/internal.h"
#include "util/xmalloc.h"

/* The sections the client reads: its own, the defaults and the includes. */
static const char *const client_sections[] = { "supervisorctl", INI_DEFAULT,
    "include", NULL };

/* What a plain line is, as ini.c would take it. */
enum client_line {
	CLIENT_BLANK,		/* empty, blanks or a comment */
	CLIENT_HEADER,
	CLIENT_KEY,
	CLIENT_CONTINUATION,
	CLIENT_OTHER,		/* anything else: parse the whole file */
};

/* Where the scan stands: the state of ini.c's reader that plain lines use. */
struct client_scan {
	int		 in_section;	/* a header has been seen */
	int		 in_value;	/* a key line opened a value */
	int		 keep;		/* the section is one the client reads */
};

/*
 * The length of the line at p, to its line end as ini.c splits lines
 * ("\n", "\r\n" or a lone "\r"); *plain is set when it holds only printable
 * ASCII and tabs: no NUL, none of the other blanks ini.c strips and nothing
 * its UTF-8 check could refuse.
 */
static size_t
client_line_len(const char *p, const char *end, int *plain)
{
	const char	*nl, *cr;
	size_t		 len, i;
	unsigned	 bad = 0;

	nl = memchr(p, '\n', (size_t)(end - p));
	len = (size_t)((nl != NULL ? nl : end) - p);
	/* No branch per byte: nearly every line is plain. */
	for (i = 0; i < len; i++)
		bad |= (unsigned char)(p[i] - 0x20) >= 0x5f && p[i] != '\t';
	if (bad && (cr = memchr(p, '\r', len)) != NULL) {
		len = (size_t)(cr - p);
		for (bad = 0, i = 0; i < len; i++)
			bad |= (unsigned char)(p[i] - 0x20) >= 0x5f &&
			    p[i] != '\t';
	}
	*plain = !bad;
	return len;
}

static int
client_wanted(const char *name, size_t len)
{
	const char *const	*s;

	for (s = client_sections; *s != NULL; s++) {
		if (strlen(*s) == len && memcmp(*s, name, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * "[name]" at the start of the line, up to its last ']' as ini.c takes
 * it; no comment character, so that no inline comment can cut it.
 */
static enum client_line
client_header(struct client_scan *cs, const char *line, size_t len)
{
	const char	*rb;

	if (memchr(line, ';', len) != NULL || memchr(line, '#', len) != NULL)
		return CLIENT_OTHER;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if ((rb = memrchr(line, ']', len)) == NULL || rb - line < 2)
		return CLIENT_OTHER;
	cs->in_section = 1;
	cs->in_value = 0;
	cs->keep = client_wanted(line + 1, (size_t)(rb - line - 1));
	return CLIENT_HEADER;
}

/*
 * "key = value" or "key: value" inside a section, with its first
 * delimiter before any comment character: then no inline comment can cut
 * it, and the key is not empty as the line does not start with a blank.
 */
static enum client_line
client_key(struct client_scan *cs, const char *line, size_t len)
{
	size_t	i;

	if (!cs->in_section)
		return CLIENT_OTHER;
	for (i = 0; i < len; i++) {
		if (line[i] == '=' || line[i] == ':')
			break;
		if (line[i] == ';' || line[i] == '#')
			return CLIENT_OTHER;
	}
	if (i == 0 || i == len)
		return CLIENT_OTHER;
	cs->in_value = 1;
	return CLIENT_KEY;
}

/*
 * Classifies one plain line.  Headers and keys of plain files all start at
 * column 0, so an indented line continues a value when one is open, as
 * ini.c decides by indentation.
 */
static enum client_line
client_classify(struct client_scan *cs, const char *line, size_t len)
{
	size_t	i;

	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		/* nothing */;
	if (i == len || line[i] == ';' || line[i] == '#')
		return CLIENT_BLANK;
	if (i > 0)
		return cs->in_value ? CLIENT_CONTINUATION : CLIENT_OTHER;
	if (line[0] == '[')
		return client_header(cs, line, len);
	return client_key(cs, line, len);
}

/*
 * Copies text to *out with every line of a section the client does not
 * read turned into ";", a comment, so that line numbers stay and no value
 * grows by the blank lines that would replace them; 0, or -1 if a line is
 * not plain.
 */
static int
client_filter(const char *text, size_t len, char **out, size_t *outlen)
{
	struct client_scan	 cs;
	const char		*end = text + len, *p = text, *eol;
	char			*o;
	size_t			 n;
	int			 plain;

	memset(&cs, 0, sizeof cs);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	/* A line becomes at most one byte longer than it was. */
	o = *out = xmalloc(2 * len + 1);
	while (p < end) {
		n = client_line_len(p, end, &plain);
		if (!plain || client_classify(&cs, p, n) == CLIENT_OTHER) {
			free(*out);
			*out = NULL;
			return -1;
		}
		if (cs.keep) {
			memcpy(o, p, n);
			o += n;
		} else
			*o++ = ';';
		eol = p + n;
		if (eol < end && *eol == '\r' && eol + 1 < end &&
		    eol[1] == '\n')
			*o++ = *eol++;
		if (eol < end)
			*o++ = *eol;
		p = eol + 1;
	}
	*o = '\0';
	*outlen = (size_t)(o - *out);
	return 0;
}

/* The whole file, with ini_read_file()'s message when it cannot be read. */
static int
client_slurp(const char *path, char **buf, size_t *len, char **cause)
{
	size_t	 size = 0;
	ssize_t	 n;
	int	 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		goto fail;
	for (;;) {
		if (size - *len < 4096) {
			size = size == 0 ? 65536 : size * 2;
			*buf = xrealloc(*buf, size);
		}
		if ((n = read(fd, *buf + *len, size - *len)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return 0;

fail:
	xasprintf(cause, "could not read config file %s: %s", path,
	    strerror(errno));
	free(*buf);
	*buf = NULL;
	return -1;
}

int
config_client_read(struct ini *ini, const char *path, char **cause)
{
	char	*buf, *kept;
	size_t	 len, klen;
	int	 rc;

	if (client_slurp(path, &buf, &len, cause) != 0)
		return -1;
	if (client_filter(buf, len, &kept, &klen) == 0) {
		rc = ini_read_string(ini, kept, klen, path, cause);
		free(kept);
	} else
		rc = ini_read_string(ini, buf, len, path, cause);
	free(buf);
	return rc;
}

int
config_client_ctl(struct config_load *ld)
{
	struct ctl_config		*ctl = &ld->cfg->ctl;
	const struct ini_section	*s;
	struct key_reader		 r;
	char				*path;

	s = ini_find(ld->ini, "supervisorctl");
	ld->cfg->has_ctl = s != NULL;
	config_reader(ld, &r, s, "supervisorctl", KS_CTL, &ld->here_env);
	if (keys_apply(&r, KEY_HERE, ctl) != 0)
		return -1;
	r.ctx = &ld->env;
	if (keys_apply(&r, KEY_ONCE, ctl) != 0)
		return -1;
	/* As supervisorctl does, so that it does not depend on the cwd. */
	if (strncmp(ctl->serverurl, "unix://", 7) == 0) {
		path = keys_abspath(ctl->serverurl + 7);
		free(ctl->serverurl);
		ctl->serverurl = xprintf("unix://%s", path);
		free(path);
	}
	return 0;
}
