/* SPDX-License-Identifier: ISC */
/*
 * supervisord's INI dialect (Python's RawConfigParser as supervisor sets it
 * up): sections, case-folded keys, ';'/'#' comments, inline comments after
 * whitespace, indented continuation lines, '=' or ':', [DEFAULT], merged
 * duplicate sections, CRLF line ends and no line-length limit.  This layer
 * knows nothing of what the keys mean.
 */
#ifndef CONFIG_INI_H
#define CONFIG_INI_H

#include <stddef.h>

struct ini_entry {
	char		*key;		/* lower-cased */
	char		*value;		/* continuation lines joined by '\n' */
	const char	*file;		/* points into ini->files */
	int		 line;		/* line of the key */
	int		 inherited;	/* a [DEFAULT] copy, see below */
};

struct ini_section {
	char			*name;	/* taken literally, case-sensitive */
	const char		*file;	/* first file that defined it */
	int			 line;
	struct ini_entry	*entries;
	size_t			 n;
};

/* The section whose keys are defaults for every other one. */
#define INI_DEFAULT	"DEFAULT"

struct ini {
	/* In order of first appearance; [DEFAULT] is among them. */
	struct ini_section	*sections;
	size_t			 n;
	char			**files;	/* every file read, owned */
	size_t			 nfiles;
	/* Name -> index + 1, open addressing: configs have 1000s of sections. */
	size_t			*hash;
	size_t			 hashcap;
	/* Repeated sections and keys, accepted as supervisord does. */
	char			**warnings;
	size_t			 nwarnings;
};

struct ini	*ini_create(void);
void		 ini_free(struct ini *ini);

/*
 * Reads a file into ini, merging sections with the same name (later keys
 * win).  On error returns -1 with *cause set (allocated) to a message naming
 * the file and line, e.g. "FILE:LINE: ...".
 */
int		 ini_read_file(struct ini *ini, const char *path, char **cause);
/* The same for text in memory; name is used in messages. */
int		 ini_read_string(struct ini *ini, const char *text, size_t len,
		    const char *name, char **cause);

const struct ini_section *ini_find(const struct ini *ini, const char *name);
/*
 * The entry for key in section s, falling back to the [DEFAULT] section of
 * ini like ConfigParser does; NULL if neither has it.
 */
const struct ini_entry *ini_get(const struct ini *ini,
		    const struct ini_section *s, const char *key);

/*
 * Replaces the literal text "%(here)s" in every value of every section
 * (supervisord does this when an [include] section exists).  [DEFAULT] is
 * left as it is, but its values holding the text are copied, replaced, into
 * each section that lacks the key, as supervisord's items() loop does.
 */
void		 ini_replace_here(struct ini *ini, const char *dir);

#endif
