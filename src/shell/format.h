/* SPDX-License-Identifier: ISC */
/*
 * supervisorctl's output formats, as pure functions over API results: the
 * status table, namespecs, the help columns.
 */
#ifndef SHELL_FORMAT_H
#define SHELL_FORMAT_H

#include <stddef.h>

#include "util/value.h"

/* "group:name", or "name" when both are equal; allocated. */
char	*format_namespec(const char *group, const char *name);
/* The namespec of a ProcessInfo or result struct; allocated. */
char	*format_info_namespec(const struct value *info);
/* max(30, longest namespec) + 3 over an array of ProcessInfo. */
size_t	 format_status_width(const struct value *const *infos, size_t n);
/* One status line (spec 7.4) with its newline; allocated. */
char	*format_status_line(const struct value *info, size_t width);
/*
 * The status lines of n infos, with the width of format_status_width, in
 * one allocated string of *len bytes: a thousand lines make one write.
 */
char	*format_status_table(const struct value *const *infos, size_t n,
	    size_t *len);
/*
 * Python cmd.columnize: words laid out in columns within width, column-major,
 * each line ending in '\n'; allocated.
 */
char	*format_columns(const char *const *words, size_t n, size_t width);

#endif
