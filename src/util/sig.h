/* SPDX-License-Identifier: ISC */
/*
 * Signal names and numbers, with supervisord's rules for config values.
 */
#ifndef UTIL_SIG_H
#define UTIL_SIG_H

/*
 * Parses a name with or without the SIG prefix, any case ("TERM", "sigterm",
 * "RTMIN"), or a number that has a name (1-31, 34, 64, and 0).  Returns the
 * number, or -1 with *cause set (allocated) to "value '<v>' is not a valid
 * signal name" / "... number".
 */
int		 sig_parse(const char *s, char **cause);
/* "SIGTERM"; "signal <n>" (static buffer) for numbers without a name. */
const char	*sig_name(int sig);
/* The names without SIG prefix, NULL-terminated, for completion. */
extern const char *const sig_names[];

#endif
