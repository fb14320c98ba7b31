/* SPDX-License-Identifier: ISC */
/*
 * The loaded configuration: supervisord.conf read through ini.c, checked
 * against the key table (keys.c), expanded (expand.c) and turned into
 * immutable objects.  Group configs are reference counted so that a running
 * group keeps its config alive across a reload.
 */
#ifndef CONFIG_CONFIG_H
#define CONFIG_CONFIG_H

#include <sys/types.h>
#include <stddef.h>

#include "envlist.h"

enum autorestart {
	AUTORESTART_NEVER,
	AUTORESTART_UNEXPECTED,
	AUTORESTART_ALWAYS,
};

/* supervisord's log levels, with its numbers. */
enum log_level {
	LOG_LEVEL_BLATHER = 3,
	LOG_LEVEL_TRACE = 5,
	LOG_LEVEL_DEBUG = 10,
	LOG_LEVEL_INFO = 20,
	LOG_LEVEL_WARN = 30,
	LOG_LEVEL_ERROR = 40,
	LOG_LEVEL_CRITICAL = 50,
};

enum logfile_kind {
	LOGFILE_NONE,		/* NONE, OFF or empty */
	LOGFILE_AUTO,		/* a file in childlogdir, named at group creation */
	LOGFILE_PATH,
	LOGFILE_SYSLOG,		/* deprecated "syslog": no file, syslog on */
};

/* One output channel (stdout or stderr) of a process. */
struct channel_config {
	enum logfile_kind	 kind;
	char			*path;		/* LOGFILE_PATH only, expanded */
	long long		 maxbytes;	/* 0: never rotate */
	int			 backups;
	long long		 capture_maxbytes;
	int			 events_enabled;
	int			 syslog;
};

/* One process of a program section (numprocs sections give several). */
struct process_config {
	char			*name;		/* expanded process_name */
	char			*program;	/* the section's program name */
	char			*section;	/* "program:x", for messages */
	char			*command;	/* expanded, split at spawn time */
	char			*directory;	/* NULL: none */
	int			 umask;		/* -1: inherit */
	char			*user;		/* as written; NULL: none */
	uid_t			 uid;
	gid_t			 gid;
	int			 priority;
	int			 autostart;
	enum autorestart	 autorestart;
	int			 startsecs;
	int			 startretries;
	int			*exitcodes;
	size_t			 nexitcodes;
	int			 stopsignal;
	int			 stopwaitsecs;
	int			 stopasgroup;
	int			 killasgroup;
	int			 redirect_stderr;
	struct channel_config	 out;
	struct channel_config	 err;
	/* [supervisord] environment merged with the program's (program wins). */
	struct envlist		 env;
	char			*serverurl;	/* "AUTO" or a URL ("" = none) */
};

enum group_kind {
	GROUP_PROGRAM,		/* [program:x]: homogeneous */
	GROUP_HETEROGENEOUS,	/* [group:x] */
	GROUP_EVENTLISTENER,	/* [eventlistener:x] */
	GROUP_FCGI,		/* [fcgi-program:x] */
};

struct group_config {
	int			  refs;
	char			 *name;
	enum group_kind		  kind;
	int			  priority;
	struct process_config	**procs;	/* sorted as supervisord does */
	size_t			  nprocs;
	/* Event listener pools only. */
	char			**events;
	size_t			  nevents;
	int			  buffer_size;
	/* fcgi-program only. */
	char			 *socket;	/* "unix:///path", "tcp://h:p" */
	int			  socket_backlog;	/* -1: the OS maximum */
	char			 *socket_owner;	/* as written, or NULL */
	uid_t			  socket_uid;	/* (uid_t)-1: unchanged */
	gid_t			  socket_gid;
	int			  socket_mode;	/* unix sockets, default 0700 */
};

/* One [unix_http_server*] or [inet_http_server*] section. */
struct server_config {
	char		*section;
	int		 is_unix;
	char		*path;		/* unix: absolute socket path */
	int		 chmod;		/* unix: mode, default 0700 */
	char		*chown;		/* unix: "user[:group]" or NULL */
	uid_t		 chown_uid;	/* (uid_t)-1: unchanged */
	gid_t		 chown_gid;
	char		*host;		/* inet: "" for all interfaces */
	int		 port;		/* inet */
	char		*username;	/* NULL: no authentication */
	char		*password;	/* plain or "{SHA}" + hex */
};

struct ctl_config {
	char		*serverurl;	/* default http://localhost:9001 */
	char		*username;
	char		*password;
	char		*prompt;	/* default "supervisor" */
	char		*history_file;	/* NULL: none */
};

struct supervisord_config {
	char		*logfile;	/* absolute path, "syslog", or NULL */
	long long	 logfile_maxbytes;
	int		 logfile_backups;
	enum log_level	 loglevel;
	char		*pidfile;	/* absolute path or NULL */
	int		 umask;		/* default 022 */
	int		 nodaemon;
	int		 silent;
	int		 minfds;
	int		 minprocs;
	int		 nocleanup;
	char		*childlogdir;	/* existing directory */
	char		*user;		/* NULL: none */
	uid_t		 uid;		/* of user, checked at load */
	gid_t		 gid;		/* its primary group */
	char		*directory;	/* NULL: none */
	int		 strip_ansi;
	struct envlist	 environment;
	char		*identifier;	/* default "supervisor" */
};

/* A message found while loading, logged once the main log exists. */
struct config_message {
	enum log_level	 level;
	char		*text;
};

struct config {
	char			 *path;		/* the main file, as given */
	struct supervisord_config sd;
	struct group_config	**groups;	/* sorted by (priority, name) */
	size_t			  ngroups;
	struct server_config	 *servers;
	size_t			  nservers;
	int			  has_ctl;	/* [supervisorctl] present */
	struct ctl_config	  ctl;
	int			  has_rpcinterface;
	/* Critical messages first, then warnings, then infos (supervisord). */
	struct config_message	 *messages;
	size_t			  nmessages;
};

/*
 * Loads path.  On error returns NULL and *cause (allocated) holds one line
 * naming the file, line, section and key and what is allowed, e.g.
 * "x.conf:4: invalid 'autorestart' value 'maybe' in section 'program:a'
 * key 'autorestart' (allowed: true, false, unexpected)".
 */
struct config	*config_load(const char *path, char **cause);
/*
 * The client's view of path: [supervisorctl] only (has_ctl, ctl), without
 * requiring [supervisord]; errors as config_load, a broken line anywhere
 * in the file or its includes among them, though only the sections the
 * client reads are parsed when no line can be one (config-client.c).
 */
struct config	*config_load_client(const char *path, char **cause);
void		 config_free(struct config *cfg);

struct group_config *config_find_group(const struct config *cfg,
		    const char *name);

void		 group_config_ref(struct group_config *g);
void		 group_config_unref(struct group_config *g);

/* Equal as supervisord's reread compares them (AUTO log paths skipped). */
int		 process_config_equal(const struct process_config *a,
		    const struct process_config *b);
int		 group_config_equal(const struct group_config *a,
		    const struct group_config *b);

/* Whether status is listed in exitcodes. */
int		 process_config_expected(const struct process_config *pc,
		    int status);

/* Parsers shared with the command line of taskmasterd. */
int		 config_parse_bool(const char *s, int *out);
int		 config_parse_size(const char *s, long long *out);
int		 config_parse_octal(const char *s, int *out);
int		 config_parse_loglevel(const char *s, enum log_level *out);

/* The default search order when no -c is given; NULL if none exists. */
char		*config_find_default(const char *argv0);
/* The same paths joined by ", ", for "No config file found at ...". */
char		*config_search_list(const char *argv0);

#endif
