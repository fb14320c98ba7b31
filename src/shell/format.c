/* SPDX-License-Identifier: ISC */
/*
 * supervisorctl's output formats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "util/xmalloc.h"

char *
format_namespec(const char *group, const char *name)
{
	if (strcmp(group, name) == 0)
		return xstrdup(name);
	return xprintf("%s:%s", group, name);
}

char *
format_info_namespec(const struct value *info)
{
	return format_namespec(value_get_string(info, "group", ""),
	    value_get_string(info, "name", ""));
}

size_t
format_status_width(const struct value *const *infos, size_t n)
{
	size_t	 i, w = 30, len;
	char	*ns;

	for (i = 0; i < n; i++) {
		ns = format_info_namespec(infos[i]);
		if ((len = strlen(ns)) > w)
			w = len;
		free(ns);
	}
	return w + 3;
}

char *
format_status_line(const struct value *info, size_t width)
{
	char	*ns, *line;

	ns = format_info_namespec(info);
	line = xprintf("%-*s%-10s%s\n", (int)width, ns,
	    value_get_string(info, "statename", "UNKNOWN"),
	    value_get_string(info, "description", ""));
	free(ns);
	return line;
}

/* Width of each column for nrows rows; total width or (size_t)-1. */
static size_t
format_fit(const char *const *words, size_t n, size_t nrows, size_t *colw,
    size_t width)
{
	size_t	 ncols = (n + nrows - 1) / nrows, col, row, i, len;
	long	 total = -2;

	for (col = 0; col < ncols; col++) {
		colw[col] = 0;
		for (row = 0; row < nrows; row++) {
			i = row + nrows * col;
			if (i >= n)
				break;
			if ((len = strlen(words[i])) > colw[col])
				colw[col] = len;
		}
		total += (long)colw[col] + 2;
		if (total > (long)width)
			return (size_t)-1;
	}
	return (size_t)total;
}

char *
format_columns(const char *const *words, size_t n, size_t width)
{
	size_t	*colw, nrows, ncols, row, col, i, last, len = 0, cap = 256;
	char	*out;

	if (n == 0)
		return xstrdup("\n");
	colw = xcalloc(n, sizeof *colw);
	for (nrows = 1; nrows < n; nrows++)
		if (format_fit(words, n, nrows, colw, width) != (size_t)-1)
			break;
	if (nrows >= n) {
		nrows = n;
		format_fit(words, n, nrows, colw, (size_t)-1 >> 1);
	}
	ncols = (n + nrows - 1) / nrows;
	out = xmalloc(cap);
	for (row = 0; row < nrows; row++) {
		/* Trailing empty cells are dropped, as Python does. */
		for (last = ncols; last > 0 && row + nrows * (last - 1) >= n;
		    last--)
			;
		for (col = 0; col < last; col++) {
			i = row + nrows * col;
			while (len + colw[col] + 4 >= cap)
				out = xrealloc(out, cap *= 2);
			len += (size_t)sprintf(out + len, "%s%-*s",
			    col > 0 ? "  " : "", (int)colw[col], words[i]);
		}
		while (len + 2 >= cap)
			out = xrealloc(out, cap *= 2);
		out[len++] = '\n';
		out[len] = '\0';
	}
	free(colw);
	return out;
}
