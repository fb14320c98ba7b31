/* SPDX-License-Identifier: ISC */
/*
 * supervisord's INI dialect, read line by line the way Python 3's
 * RawConfigParser does with the settings supervisor gives it: ';' and '#'
 * comments (inline only after whitespace), continuation by indentation,
 * non-strict merging of repeated sections and keys, and universal newlines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/ini.h"
#include "util/xmalloc.h"

#define INI_NONE	((size_t)-1)

/* Where the line reader stands inside one file. */
struct ini_state {
	struct ini	*ini;
	const char	*file;
	int		 lineno;
	size_t		 sect;		/* INI_NONE: before any header */
	size_t		 opt;		/* INI_NONE: no key to continue */
	size_t		 indent;	/* of the last header or key line */
};

/* Python's str.isspace() on ASCII, which includes \x1c-\x1f. */
static int
ini_isspace(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r') ||
	    (c >= 0x1c && c <= 0x1f));
}

struct ini *
ini_create(void)
{
	return xcalloc(1, sizeof(struct ini));
}

void
ini_free(struct ini *ini)
{
	size_t	i, j;

	if (ini == NULL)
		return;
	for (i = 0; i < ini->n; i++) {
		for (j = 0; j < ini->sections[i].n; j++) {
			free(ini->sections[i].entries[j].key);
			free(ini->sections[i].entries[j].value);
		}
		free(ini->sections[i].entries);
		free(ini->sections[i].name);
	}
	free(ini->sections);
	free(ini->hash);
	for (i = 0; i < ini->nfiles; i++)
		free(ini->files[i]);
	free(ini->files);
	for (i = 0; i < ini->nwarnings; i++)
		free(ini->warnings[i]);
	free(ini->warnings);
	free(ini);
}

static size_t
ini_hash(const char *name)
{
	size_t	 h = 5381;

	while (*name != '\0')
		h = h * 33 + (unsigned char)*name++;
	return h;
}

static size_t
ini_section_index(const struct ini *ini, const char *name)
{
	size_t	 i, j;

	if (ini->hashcap == 0)
		return INI_NONE;
	for (i = ini_hash(name) & (ini->hashcap - 1); ini->hash[i] != 0;
	    i = (i + 1) & (ini->hashcap - 1)) {
		j = ini->hash[i] - 1;
		if (strcmp(ini->sections[j].name, name) == 0)
			return j;
	}
	return INI_NONE;
}

static void
ini_hash_put(struct ini *ini, size_t idx)
{
	size_t	 i;

	for (i = ini_hash(ini->sections[idx].name) & (ini->hashcap - 1);
	    ini->hash[i] != 0; i = (i + 1) & (ini->hashcap - 1))
		;
	ini->hash[i] = idx + 1;
}

/* Indexes the last section added, growing the table at half full. */
static void
ini_hash_insert(struct ini *ini)
{
	size_t	 k;

	if (ini->n * 2 <= ini->hashcap) {
		ini_hash_put(ini, ini->n - 1);
		return;
	}
	free(ini->hash);
	ini->hashcap = ini->hashcap ? ini->hashcap * 2 : 64;
	ini->hash = xcalloc(ini->hashcap, sizeof *ini->hash);
	for (k = 0; k < ini->n; k++)
		ini_hash_put(ini, k);
}

static size_t
ini_entry_index(const struct ini_section *s, const char *key)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->entries[i].key, key) == 0)
			return i;
	}
	return INI_NONE;
}

const struct ini_section *
ini_find(const struct ini *ini, const char *name)
{
	size_t	i;

	if ((i = ini_section_index(ini, name)) == INI_NONE)
		return NULL;
	return &ini->sections[i];
}

const struct ini_entry *
ini_get(const struct ini *ini, const struct ini_section *s, const char *key)
{
	const struct ini_section	*d;
	size_t				 i;

	if (s != NULL && (i = ini_entry_index(s, key)) != INI_NONE)
		return &s->entries[i];
	if ((d = ini_find(ini, INI_DEFAULT)) != NULL &&
	    (i = ini_entry_index(d, key)) != INI_NONE)
		return &d->entries[i];
	return NULL;
}

/* A bound on the warnings kept, for files made of repeats. */
#define INI_MAX_WARNINGS	100

static void __attribute__((format(printf, 2, 3)))
ini_warn(struct ini *ini, const char *fmt, ...)
{
	va_list	 ap;

	if (ini->nwarnings >= INI_MAX_WARNINGS)
		return;
	ini->warnings = xreallocarray(ini->warnings, ini->nwarnings + 1,
	    sizeof *ini->warnings);
	va_start(ap, fmt);
	if (vasprintf(&ini->warnings[ini->nwarnings], fmt, ap) != -1)
		ini->nwarnings++;
	va_end(ap);
}

static size_t
ini_add_section(struct ini_state *st, const char *name, size_t len)
{
	struct ini		*ini = st->ini;
	struct ini_section	*s;
	char			*copy;
	size_t			 i;

	copy = xstrndup(name, len);
	if ((i = ini_section_index(ini, copy)) != INI_NONE) {
		/* An included file extending a section is a pattern, not a slip. */
		if (ini->sections[i].file == st->file)
			ini_warn(ini,
			    "%s:%d: section [%s] repeats the one of %s:%d; "
			    "their keys are merged", st->file, st->lineno, copy,
			    ini->sections[i].file, ini->sections[i].line);
		free(copy);
		return i;
	}
	ini->sections = xreallocarray(ini->sections, ini->n + 1,
	    sizeof *ini->sections);
	s = &ini->sections[ini->n];
	memset(s, 0, sizeof *s);
	s->name = copy;
	s->file = st->file;
	s->line = st->lineno;
	ini->n++;
	ini_hash_insert(ini);
	return ini->n - 1;
}

/* Sets key in section sect; a repeated key keeps its place, later wins. */
static size_t
ini_set(struct ini *ini, size_t sect, const char *key, char *value,
    const char *file, int line)
{
	struct ini_section	*s = &ini->sections[sect];
	struct ini_entry	*e;
	size_t			 i;

	if ((i = ini_entry_index(s, key)) == INI_NONE) {
		s->entries = xreallocarray(s->entries, s->n + 1,
		    sizeof *s->entries);
		i = s->n++;
		s->entries[i].key = xstrdup(key);
	} else
		free(s->entries[i].value);
	e = &s->entries[i];
	e->inherited = 0;
	e->value = value;
	e->file = file;
	e->line = line;
	return i;
}

/* Appends "\n" and text to the value of the key being continued. */
static void
ini_continue(struct ini_state *st, const char *text, size_t len)
{
	struct ini_entry	*e;
	size_t			 old;

	e = &st->ini->sections[st->sect].entries[st->opt];
	old = strlen(e->value);
	e->value = xrealloc(e->value, old + len + 2);
	e->value[old] = '\n';
	memcpy(e->value + old + 1, text, len);
	e->value[old + len + 1] = '\0';
}

/*
 * Where an inline comment starts, or len if none.  Python looks at the
 * first occurrence of each prefix, then the second of each, and so on, and
 * stops at the first round where one qualifies; "a;b ;c #d" is therefore cut
 * at '#', not at " ;".
 */
static size_t
ini_inline_comment(const char *line, size_t len)
{
	static const char	 prefix[] = ";#";
	size_t			 at[2] = { 0, 0 }, best = len, i, p;
	int			 live[2] = { 1, 1 }, started[2] = { 0, 0 };

	while (best == len && (live[0] || live[1])) {
		for (p = 0; p < 2; p++) {
			if (!live[p])
				continue;
			i = started[p] ? at[p] + 1 : 0;
			while (i < len && line[i] != prefix[p])
				i++;
			if (i >= len) {
				live[p] = 0;
				continue;
			}
			at[p] = i;
			started[p] = 1;
			if ((i == 0 || ini_isspace((unsigned char)line[i - 1])) &&
			    i < best)
				best = i;
		}
	}
	return best;
}

static void
ini_strip(const char **s, size_t *len)
{
	while (*len > 0 && ini_isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ini_isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int
ini_error(struct ini_state *st, const char *what, const char *line,
    size_t len, char **cause)
{
	xasprintf(cause, "%s:%d: %s: '%.*s'", st->file, st->lineno, what,
	    (int)len, line);
	return -1;
}

/* A key line: "key = value" or "key: value", the first delimiter wins. */
static int
ini_option(struct ini_state *st, const char *v, size_t vlen, const char *line,
    size_t len, char **cause)
{
	struct ini_section	*sec;
	const char		*key = v, *val;
	size_t			 klen, i;
	char			*k;

	for (i = 0; i < vlen && v[i] != '=' && v[i] != ':'; i++)
		/* nothing */;
	if (i == vlen)
		return ini_error(st, "Source contains parsing errors", line,
		    len, cause);
	klen = i;
	val = v + i + 1;
	vlen -= i + 1;
	ini_strip(&key, &klen);
	ini_strip(&val, &vlen);
	if (klen == 0)
		return ini_error(st, "Source contains parsing errors", line,
		    len, cause);
	k = xstrndup(key, klen);
	for (i = 0; i < klen; i++) {
		if (k[i] >= 'A' && k[i] <= 'Z')
			k[i] += 'a' - 'A';
	}
	sec = &st->ini->sections[st->sect];
	if ((i = ini_entry_index(sec, k)) != INI_NONE &&
	    !sec->entries[i].inherited && sec->entries[i].file == st->file)
		ini_warn(st->ini, "%s:%d: key '%s' repeated in [%s]; the last "
		    "value is used", st->file, st->lineno, k, sec->name);
	st->opt = ini_set(st->ini, st->sect, k, xstrndup(val, vlen), st->file,
	    st->lineno);
	free(k);
	return 0;
}

/*
 * One line, decided in Python's order: comments are cut first, then the
 * line is blank, a continuation, a section header or a key.
 */
static int
ini_line(struct ini_state *st, const char *line, size_t len, char **cause)
{
	const char	*v = line, *rb;
	size_t		 vlen, cut, indent;

	if (memchr(line, '\0', len) != NULL)
		return ini_error(st, "line contains a NUL character", line,
		    0, cause);
	cut = ini_inline_comment(line, len);
	vlen = len;
	ini_strip(&v, &vlen);
	if (vlen > 0 && (*v == ';' || *v == '#'))
		cut = 0;
	v = line;
	vlen = cut;
	ini_strip(&v, &vlen);

	if (vlen == 0) {
		/* A blank line (not a comment) may sit inside a value. */
		if (cut == len && st->sect != INI_NONE && st->opt != INI_NONE)
			ini_continue(st, "", 0);
		return 0;
	}
	for (indent = 0; indent < len && ini_isspace((unsigned char)line[indent]);
	    indent++)
		/* nothing */;
	/* Deeper than the last key or header line: it continues the value. */
	if (st->sect != INI_NONE && st->opt != INI_NONE &&
	    indent > st->indent) {
		ini_continue(st, v, vlen);
		return 0;
	}
	st->indent = indent;

	/* "[" any text "]", to the last ']'; anything after it is ignored. */
	if (*v == '[' && (rb = memrchr(v, ']', vlen)) != NULL && rb - v >= 2) {
		st->sect = ini_add_section(st, v + 1, rb - v - 1);
		st->opt = INI_NONE;
		return 0;
	}
	if (st->sect == INI_NONE)
		return ini_error(st, "File contains no section headers", line,
		    len, cause);
	return ini_option(st, v, vlen, line, len, cause);
}

/* Drops trailing blank lines of continued values, as Python does. */
static void
ini_rstrip_values(struct ini *ini)
{
	size_t	 i, j, n;
	char	*v;

	for (i = 0; i < ini->n; i++) {
		for (j = 0; j < ini->sections[i].n; j++) {
			v = ini->sections[i].entries[j].value;
			n = strlen(v);
			while (n > 0 && ini_isspace((unsigned char)v[n - 1]))
				v[--n] = '\0';
		}
	}
}

static const char *
ini_add_file(struct ini *ini, const char *name)
{
	ini->files = xreallocarray(ini->files, ini->nfiles + 1,
	    sizeof *ini->files);
	ini->files[ini->nfiles] = xstrdup(name);
	return ini->files[ini->nfiles++];
}

int
ini_read_string(struct ini *ini, const char *text, size_t len,
    const char *name, char **cause)
{
	struct ini_state	 st;
	const char		*end = text + len, *p, *eol;
	int			 rc = 0;

	memset(&st, 0, sizeof st);
	st.ini = ini;
	st.file = ini_add_file(ini, name);
	st.sect = st.opt = INI_NONE;
	p = text;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && rc == 0) {
		st.lineno++;
		/* Universal newlines: "\n", "\r\n" and a lone "\r". */
		for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
			/* nothing */;
		rc = ini_line(&st, p, eol - p, cause);
		if (eol < end && *eol == '\r' && eol + 1 < end &&
		    eol[1] == '\n')
			eol++;
		p = eol + 1;
	}
	ini_rstrip_values(ini);
	return rc;
}

int
ini_read_file(struct ini *ini, const char *path, char **cause)
{
	char	*buf = NULL;
	size_t	 len = 0, size = 0;
	ssize_t	 n;
	int	 fd, rc;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		goto fail;
	for (;;) {
		if (size - len < 4096) {
			size = size == 0 ? 8192 : size * 2;
			buf = xrealloc(buf, size);
		}
		if ((n = read(fd, buf + len, size - len)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	rc = ini_read_string(ini, buf, len, path, cause);
	free(buf);
	return rc;

fail:
	xasprintf(cause, "could not read config file %s: %s", path,
	    strerror(errno));
	free(buf);
	return -1;
}

static char *
ini_replace(const char *value, const char *from, const char *to)
{
	const char	*p, *hit;
	char		*out;
	size_t		 n = 0, flen = strlen(from), tlen = strlen(to), olen;

	for (p = value; (hit = strstr(p, from)) != NULL; p = hit + flen)
		n++;
	olen = strlen(value) + n * tlen + 1;
	out = xmalloc(olen);
	out[0] = '\0';
	olen = 0;
	for (p = value; (hit = strstr(p, from)) != NULL; p = hit + flen) {
		memcpy(out + olen, p, hit - p);
		olen += hit - p;
		memcpy(out + olen, to, tlen);
		olen += tlen;
	}
	strcpy(out + olen, p);
	return out;
}

/*
 * supervisord does this through items(section), which includes [DEFAULT]:
 * a default value that holds "%(here)s" is copied into each section with
 * the text replaced, while [DEFAULT] itself is left alone.  The copy keeps
 * the file and line of the [DEFAULT] key.
 */
void
ini_replace_here(struct ini *ini, const char *dir)
{
	static const char	 here[] = "%(here)s";
	struct ini_section	*s;
	struct ini_entry	*e;
	size_t			 i, j, k, d, nd;
	char			*v;

	d = ini_section_index(ini, INI_DEFAULT);
	for (i = 0; i < ini->n; i++) {
		if (i == d)
			continue;
		s = &ini->sections[i];
		for (j = 0; j < s->n; j++) {
			e = &s->entries[j];
			if (strstr(e->value, here) == NULL)
				continue;
			v = ini_replace(e->value, here, dir);
			free(e->value);
			e->value = v;
		}
		nd = d == INI_NONE ? 0 : ini->sections[d].n;
		for (j = 0; j < nd; j++) {
			e = &ini->sections[d].entries[j];
			if (strstr(e->value, here) == NULL ||
			    ini_entry_index(&ini->sections[i], e->key) !=
			    INI_NONE)
				continue;
			k = ini_set(ini, i, e->key,
			    ini_replace(e->value, here, dir), e->file, e->line);
			ini->sections[i].entries[k].inherited = 1;
		}
	}
}
