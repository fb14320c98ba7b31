/* SPDX-License-Identifier: ISC */
/*
 * Shared inside config/ only: the key table of keys.c, the reader that
 * turns one key of one section into a checked value, the value parsers and
 * helpers for Python's path and string rules of keys-type.c, and the state
 * of a load that config.c and config-group.c share.
 */
#ifndef CONFIG_INTERNAL_H
#define CONFIG_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "config/config.h"
#include "config/expand.h"
#include "config/ini.h"

/* Section kinds, as bits so that one key can serve several. */
#define KS_SUPERVISORD	0x001
#define KS_PROGRAM	0x002
#define KS_LISTENER	0x004
#define KS_FCGI		0x008
#define KS_GROUP	0x010
#define KS_UNIX		0x020
#define KS_INET		0x040
#define KS_CTL		0x080
#define KS_INCLUDE	0x100
#define KS_PROCESS	(KS_PROGRAM|KS_LISTENER|KS_FCGI)

enum key_type {
	KEY_STRING,
	KEY_BOOL,
	KEY_INT,		/* Python int(), then min/max */
	KEY_SIZE,		/* int with KB, MB or GB */
	KEY_OCTAL,
	KEY_SIGNAL,
	KEY_EXITCODES,
	KEY_AUTORESTART,
	KEY_LOGLEVEL,
	KEY_LOGFILE,		/* NONE, AUTO, syslog or a path */
	KEY_DIR,		/* an existing directory */
	KEY_DIRPATH,		/* a path whose directory exists */
	KEY_PATH,		/* stripped and made absolute; "" is unset */
	KEY_USER,		/* passwd name or uid */
	KEY_USERGROUP,		/* user or user:group */
	KEY_ENV,		/* KEY=VALUE list */
	KEY_INET,		/* [host:]port */
	KEY_LIST,		/* comma-separated, blanks trimmed */
};

/*
 * When config.c reads a key with keys_apply(), which also fixes the names
 * its value may expand.  KEY_MANUAL keys are read one by one by config.c.
 */
enum key_stage {
	KEY_MANUAL,
	KEY_ONCE,		/* the section's own names */
	KEY_HERE,		/* the section's names and here */
	KEY_HOST,		/* here, host_node_name, ENV_* */
	KEY_SECTION,		/* once per program section */
	KEY_PROCESS,		/* once per process of a program section */
	KEY_GROUP,		/* group-level keys of a program section */
};

/* Flags of a key. */
#define KF_ABSPATH	0x1	/* made absolute against the cwd */
#define KF_SYSLOG	0x2	/* "syslog" kept as it is */

struct key_def {
	unsigned	 sections;	/* KS_* bits */
	const char	*name;
	enum key_type	 type;
	enum key_stage	 stage;
	const char	*def;		/* default text, NULL: unset */
	char		*(*def_fn)(void);	/* computed default */
	long long	 min, max;	/* KEY_INT, KEY_SIZE, KEY_OCTAL */
	int		 flags;
	const char	*what;		/* name in expansion errors */
	const char	*errmsg;	/* replaces the type's message */
	int		 store;		/* off/off2/off3 are valid */
	size_t		 off, off2, off3;
	const char	*help;
};

/* A parsed value; which members are set depends on the key's type. */
struct key_value {
	const struct ini_entry	*entry;		/* NULL: the default */
	int			 set;		/* 0: no value, no default */
	long long		 num;
	char			*str;
	uid_t			 uid;
	gid_t			 gid;
	int			*codes;
	size_t			 ncodes;
	char			**list;
	size_t			 nlist;
	struct envlist		 env;
	enum logfile_kind	 lf;
};

/* Reads keys of one section: where messages point and what expands. */
struct key_reader {
	struct config			*cfg;
	const struct ini		*ini;
	const struct ini_section	*s;	/* NULL: section absent */
	const char			*section;
	const char			*file;
	int				 line;
	unsigned			 kind;	/* one KS_* bit */
	const struct expand_ctx		*ctx;
	char				**cause;
};

extern const struct key_def	keys_table[];
extern const size_t		keys_count;

const struct key_def *keys_find(unsigned kind, const char *name);
/* Reads, expands and parses one key into v (cleared first). */
int	keys_read(const struct key_reader *r, const struct key_def *k,
	    struct key_value *v);
void	keys_value_clear(struct key_value *v);
/* Parses s as a value of k, outside any section (the command line). */
int	keys_convert(const struct key_def *k, const char *s,
	    struct key_value *v, char **why);
/* Moves v into obj at the key's offsets. */
void	keys_store(const struct key_def *k, void *obj, struct key_value *v);
/* Reads and stores every key of r->kind with this stage. */
int	keys_apply(const struct key_reader *r, enum key_stage stage, void *obj);
/* Warns about keys of the section that no entry of the table knows. */
void	keys_check_unknown(const struct key_reader *r);

/*
 * Sets *r->cause to "<file>:<line>: <text> in section '<s>'[ key '<k>']"
 * where the position is e's or the section header's; returns -1.
 */
int	keys_error(const struct key_reader *r, const struct ini_entry *e,
	    const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
/* The same with " (allowed: <allowed>)" at the end unless it is NULL. */
int	keys_error_allowed(const struct key_reader *r,
	    const struct ini_entry *e, const char *key, const char *allowed,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* What k accepts, for messages (allocated); NULL if nothing short. */
char	*keys_allowed(const struct key_def *k);
void	keys_warn(const struct key_reader *r, const struct ini_entry *e,
	    const char *key, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/*
 * Parses s as a value of k into v (in keys-type.c); r is NULL for a value
 * from the command line, else where a warning points.
 */
int	keys_type_parse(const struct key_reader *r, const struct key_def *k,
	    const char *s, struct key_value *v, char **why);
/* Whether path names a directory (stat(2), links followed). */
int	keys_type_isdir(const char *path);

/* Python's int(s) (base 10) or int(s, 8): 0, -1 invalid, 1 too large. */
int	keys_pyint(const char *s, int base, long long *out);
int	keys_event_valid(const char *name);

/* os.path.expanduser, os.path.dirname and normalize_path of supervisor. */
char	*keys_expanduser(const char *path);
char	*keys_dirname(const char *path);
char	*keys_abspath(const char *path);

/* Python's repr() of a string (in expand.c). */
char	*expand_repr(const char *s);

/* Adds a message for the main log (in config.c). */
void	config_add_message(struct config *cfg, enum log_level level,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The state of one config_load(). */
struct config_load {
	struct config		*cfg;
	struct ini		*ini;
	char			*here;		/* absolute dir of the main file */
	char			*host;		/* uname -n */
	struct expand_ctx	 env;		/* ENV_* */
	struct expand_ctx	 here_env;	/* here and ENV_* */
	int			*used;		/* sections taken by a [group:] */
	void			*group_names;	/* tsearch(3) tree, while built */
	char			**cause;
	int			 client;	/* [supervisorctl] only */
};

/* The KS_* kind of a section name, 0 if supervisord reads no such section. */
unsigned config_kind(const char *name);
/* Sets r up to read section s (or the absent section name) of one kind. */
void	config_reader(struct config_load *ld, struct key_reader *r,
	    const struct ini_section *s, const char *name, unsigned kind,
	    const struct expand_ctx *ctx);
/* Reads the key of r's kind named key. */
int	config_get(const struct key_reader *r, const char *key,
	    struct key_value *v);
/* Adds ENV_<KEY> names to also, or to every later section if NULL. */
void	config_add_env(struct config_load *ld, const struct envlist *env,
	    struct expand_ctx *also);
/* s without Python's blanks at either end (allocated). */
char	*config_strip(const char *s);
/* Checks and strips a process or group name into *out (allocated). */
int	config_name(const struct key_reader *r, const struct ini_entry *e,
	    const char *key, const char *raw, char **out);

/*
 * Builds every group of ld's sections into ld->cfg, sorted by priority
 * (in config-group.c).
 */
int	config_group_build(struct config_load *ld);

#endif
