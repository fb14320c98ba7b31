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

/* The length of info's namespec, without making it. */
static size_t
format_namespec_len(const struct value *info)
{
	const char	*g = value_get_string(info, "group", "");
	const char	*n = value_get_string(info, "name", "");

	if (strcmp(g, n) == 0)
		return strlen(n);
	return strlen(g) + 1 + strlen(n);
}

size_t
format_status_width(const struct value *const *infos, size_t n)
{
	size_t	 i, w = 30, len;

	for (i = 0; i < n; i++) {
		if ((len = format_namespec_len(infos[i])) > w)
			w = len;
	}
	return w + 3;
}

struct format_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

static void
format_put(struct format_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len <= n) {
		while (b->cap - b->len <= n)
			b->cap = b->cap != 0 ? b->cap * 2 : 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* s, then spaces up to width bytes, as printf's "%-*s" writes it. */
static void
format_put_padded(struct format_buf *b, const char *s, size_t width)
{
	static const char	 spaces[] = "                                ";
	size_t			 n = strlen(s), pad;

	format_put(b, s, n);
	for (pad = n < width ? width - n : 0; pad > 0; pad -= n) {
		n = pad < sizeof spaces - 1 ? pad : sizeof spaces - 1;
		format_put(b, spaces, n);
	}
}

/* Appends the status line of info: "%-*s%-10s%s\n" of its parts. */
static void
format_status_put(struct format_buf *b, const struct value *info,
    size_t width)
{
	const char	*g = value_get_string(info, "group", "");
	const char	*n = value_get_string(info, "name", "");
	const char	*desc = value_get_string(info, "description", "");
	size_t		 start = b->len;

	if (strcmp(g, n) != 0) {
		format_put(b, g, strlen(g));
		format_put(b, ":", 1);
	}
	format_put(b, n, strlen(n));
	if (b->len - start < width)
		format_put_padded(b, "", width - (b->len - start));
	format_put_padded(b, value_get_string(info, "statename", "UNKNOWN"),
	    10);
	format_put(b, desc, strlen(desc));
	format_put(b, "\n", 1);
}

char *
format_status_line(const struct value *info, size_t width)
{
	struct format_buf	 b = { NULL, 0, 0 };

	format_status_put(&b, info, width);
	return b.p;
}

char *
format_status_table(const struct value *const *infos, size_t n,
    size_t *len)
{
	struct format_buf	 b = { NULL, 0, 0 };
	size_t			 width = format_status_width(infos, n), i;

	format_put(&b, "", 0);
	for (i = 0; i < n; i++)
		format_status_put(&b, infos[i], width);
	*len = b.len;
	return b.p;
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
