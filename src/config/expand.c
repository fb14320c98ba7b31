/* SPDX-License-Identifier: ISC */
/*
 * supervisord's %-expansions: Python's "value % names" with a dictionary,
 * that is %(name) followed by printf-style flags, width, precision and a
 * conversion, with Python's rules and error texts.  Unlike supervisord, a
 * conversion without a name is an error rather than a dump of the names.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/expand.h"
#include "config/internal.h"
#include "util/xmalloc.h"

/* Python accepts any width; a bound keeps a typo from eating memory. */
#define EXPAND_MAXWIDTH	4096

struct expand_buf {
	char	*s;
	size_t	 len, size;
};

/* One conversion: %(key)<flags><width>.<prec><conv>. */
struct expand_spec {
	int	 minus, plus, space, alt, zero;
	int	 width;
	int	 prec;		/* -1: none */
	int	 conv;
};

void
expand_ctx_init(struct expand_ctx *ctx)
{
	memset(ctx, 0, sizeof *ctx);
}

void
expand_ctx_clear(struct expand_ctx *ctx)
{
	size_t	i;

	for (i = 0; i < ctx->n; i++) {
		free(ctx->vars[i].name);
		free(ctx->vars[i].str);
	}
	free(ctx->vars);
	expand_ctx_init(ctx);
}

static struct expand_var *
expand_ctx_slot(struct expand_ctx *ctx, const char *name)
{
	struct expand_var	*v;
	size_t			 i;

	for (i = 0; i < ctx->n; i++) {
		if (strcmp(ctx->vars[i].name, name) == 0) {
			free(ctx->vars[i].str);
			ctx->vars[i].str = NULL;
			return &ctx->vars[i];
		}
	}
	if (ctx->n == ctx->cap) {
		ctx->cap = ctx->cap == 0 ? 32 : ctx->cap * 2;
		ctx->vars = xreallocarray(ctx->vars, ctx->cap,
		    sizeof *ctx->vars);
	}
	v = &ctx->vars[ctx->n++];
	v->name = xstrdup(name);
	v->str = NULL;
	v->num = 0;
	return v;
}

void
expand_ctx_set_str(struct expand_ctx *ctx, const char *name,
    const char *value)
{
	expand_ctx_slot(ctx, name)->str = xstrdup(value);
}

void
expand_ctx_set_int(struct expand_ctx *ctx, const char *name, long long value)
{
	expand_ctx_slot(ctx, name)->num = value;
}

void
expand_ctx_set_environ(struct expand_ctx *ctx, char *const *envp)
{
	const char	*eq;
	char		*name;

	for (; envp != NULL && *envp != NULL; envp++) {
		if ((eq = strchr(*envp, '=')) == NULL)
			continue;
		xasprintf(&name, "ENV_%.*s", (int)(eq - *envp), *envp);
		expand_ctx_set_str(ctx, name, eq + 1);
		free(name);
	}
}

void
expand_ctx_copy(struct expand_ctx *dst, const struct expand_ctx *src)
{
	size_t	i;

	if (dst->n == 0) {
		/* src's names are unique: no lookup, as many copies as names. */
		if (dst->cap < src->n) {
			dst->cap = src->n + 8;
			dst->vars = xreallocarray(dst->vars, dst->cap,
			    sizeof *dst->vars);
		}
		for (i = 0; i < src->n; i++) {
			dst->vars[i].name = xstrdup(src->vars[i].name);
			dst->vars[i].str = src->vars[i].str == NULL ? NULL :
			    xstrdup(src->vars[i].str);
			dst->vars[i].num = src->vars[i].num;
		}
		dst->n = src->n;
		return;
	}
	for (i = 0; i < src->n; i++) {
		if (src->vars[i].str != NULL)
			expand_ctx_set_str(dst, src->vars[i].name,
			    src->vars[i].str);
		else
			expand_ctx_set_int(dst, src->vars[i].name,
			    src->vars[i].num);
	}
}

void
expand_ctx_inherit(struct expand_ctx *dst, const struct expand_ctx *src)
{
	dst->parent = src;
}

static const struct expand_var *
expand_ctx_find(const struct expand_ctx *ctx, const char *name, size_t len)
{
	size_t	i;

	for (; ctx != NULL; ctx = ctx->parent) {
		for (i = 0; i < ctx->n; i++) {
			if (strncmp(ctx->vars[i].name, name, len) == 0 &&
			    ctx->vars[i].name[len] == '\0')
				return &ctx->vars[i];
		}
	}
	return NULL;
}

static void
expand_put(struct expand_buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->size) {
		b->size = (b->len + len + 1) * 2;
		b->s = xrealloc(b->s, b->size);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
expand_putc(struct expand_buf *b, char c)
{
	expand_put(b, &c, 1);
}

static void
expand_fill(struct expand_buf *b, char c, int n)
{
	while (n-- > 0)
		expand_putc(b, c);
}

/* Decodes one UTF-8 character; a stray byte stands for itself. */
static unsigned long
expand_utf8(const char *s, size_t *len)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned long		 c;
	size_t			 n, i;

	if (u[0] < 0xc2 || u[0] > 0xf4) {
		*len = 1;
		return u[0];
	}
	n = u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : 2;
	c = u[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*len = 1;
			return u[0];
		}
		c = (c << 6) | (u[i] & 0x3f);
	}
	*len = n;
	return c;
}

/* Python's repr() (ascii == 0) or ascii() (ascii == 1) of a string. */
static char *
expand_quote(const char *s, int ascii)
{
	struct expand_buf	 b = { NULL, 0, 0 };
	unsigned long		 c;
	char			 q, tmp[24];
	size_t			 n;

	q = (strchr(s, '\'') != NULL && strchr(s, '"') == NULL) ? '"' : '\'';
	expand_putc(&b, q);
	for (; *s != '\0'; s += n) {
		c = expand_utf8(s, &n);
		if (c == '\\' || c == (unsigned char)q) {
			expand_putc(&b, '\\');
			expand_putc(&b, (char)c);
		} else if (c == '\t' || c == '\n' || c == '\r') {
			expand_putc(&b, '\\');
			expand_putc(&b, c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0xa0) ||
		    c == 0xad || (ascii && c >= 0x80)) {
			if (c < 0x100)
				snprintf(tmp, sizeof tmp, "\\x%02lx", c);
			else if (c < 0x10000)
				snprintf(tmp, sizeof tmp, "\\u%04lx", c);
			else
				snprintf(tmp, sizeof tmp, "\\U%08lx", c);
			expand_put(&b, tmp, strlen(tmp));
		} else
			expand_put(&b, s, n);
	}
	expand_putc(&b, q);
	return b.s;
}

char *
expand_repr(const char *s)
{
	return expand_quote(s, 0);
}

static size_t
expand_chars(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* Pads text (of len bytes) to the width as Python does for %s. */
static void
expand_pad(struct expand_buf *b, const struct expand_spec *sp,
    const char *text, size_t len)
{
	int	pad = sp->width - (int)expand_chars(text, len);

	if (!sp->minus)
		expand_fill(b, ' ', pad);
	expand_put(b, text, len);
	if (sp->minus)
		expand_fill(b, ' ', pad);
}

static void
expand_string(struct expand_buf *b, const struct expand_spec *sp,
    const char *s)
{
	size_t	len = strlen(s), i = 0, n = 0, step;

	if (sp->prec >= 0) {
		while (i < len && n < (size_t)sp->prec) {
			expand_utf8(s + i, &step);
			i += step;
			n++;
		}
		len = i;
	}
	expand_pad(b, sp, s, len);
}

/*
 * Sign, prefix and digits, with Python's zero padding between them.  Unlike
 * C, Python pads with zeros even when a precision is given.
 */
static void
expand_number(struct expand_buf *b, const struct expand_spec *sp,
    const char *sign, const char *prefix, const char *digits)
{
	int	len, pad;

	len = (int)(strlen(sign) + strlen(prefix) + strlen(digits));
	pad = sp->width > len ? sp->width - len : 0;
	if (!sp->minus && !sp->zero)
		expand_fill(b, ' ', pad);
	expand_put(b, sign, strlen(sign));
	expand_put(b, prefix, strlen(prefix));
	if (!sp->minus && sp->zero)
		expand_fill(b, '0', pad);
	expand_put(b, digits, strlen(digits));
	if (sp->minus)
		expand_fill(b, ' ', pad);
}

static void
expand_integer(struct expand_buf *b, const struct expand_spec *sp,
    long long v)
{
	static const char	 lower[] = "0123456789abcdef";
	static const char	 upper[] = "0123456789ABCDEF";
	const char		*set = sp->conv == 'X' ? upper : lower;
	const char		*sign, *prefix = "";
	unsigned long long	 u;
	char			 tmp[EXPAND_MAXWIDTH + 80];
	char			*p = tmp + sizeof tmp - 1;
	unsigned		 base = 10;
	int			 n = 0;

	if (sp->conv == 'x' || sp->conv == 'X')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;
	/* Python's alternate octal form is "0o", not C's "0". */
	if (sp->alt && base != 10)
		prefix = base == 8 ? "0o" : sp->conv == 'X' ? "0X" : "0x";
	sign = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	*p = '\0';
	do {
		*--p = set[u % base];
		u /= base;
		n++;
	} while (u != 0);
	while (n < sp->prec && p > tmp) {
		*--p = '0';
		n++;
	}
	expand_number(b, sp, sign, prefix, p);
}

static void
expand_float(struct expand_buf *b, const struct expand_spec *sp, double v)
{
	const char	*sign;
	char		 tmp[EXPAND_MAXWIDTH + 400];
	double		 a = v < 0 ? -v : v;
	int		 prec = sp->prec < 0 ? 6 : sp->prec;

	sign = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	/* Literal formats only: the flags that matter are applied below. */
	switch (sp->conv) {
	case 'e':
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*e" : "%.*e", prec, a);
		break;
	case 'E':
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*E" : "%.*E", prec, a);
		break;
	case 'f':
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*f" : "%.*f", prec, a);
		break;
	case 'F':
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*F" : "%.*F", prec, a);
		break;
	case 'g':
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*g" : "%.*g", prec, a);
		break;
	default:
		snprintf(tmp, sizeof tmp, sp->alt ? "%#.*G" : "%.*G", prec, a);
		break;
	}
	expand_number(b, sp, sign, "", tmp);
}

/* Python's "%c": a code point as UTF-8, or a one-character string. */
static int
expand_char(struct expand_buf *b, const struct expand_spec *sp,
    const struct expand_var *v, char **err)
{
	unsigned long	 c;
	char		 tmp[5];
	size_t		 n;

	if (v->str != NULL) {
		if (*v->str == '\0' ||
		    (expand_utf8(v->str, &n), v->str[n] != '\0')) {
			*err = xstrdup("%c requires int or char");
			return -1;
		}
		expand_pad(b, sp, v->str, n);
		return 0;
	}
	if (v->num < 0 || v->num >= 0x110000) {
		*err = xstrdup("%c arg not in range(0x110000)");
		return -1;
	}
	c = (unsigned long)v->num;
	if (c < 0x80) {
		tmp[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		tmp[0] = (char)(0xc0 | (c >> 6));
		tmp[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		tmp[0] = (char)(0xe0 | (c >> 12));
		tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		tmp[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		tmp[0] = (char)(0xf0 | (c >> 18));
		tmp[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		tmp[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		tmp[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	expand_pad(b, sp, tmp, n);
	return 0;
}

static int
expand_convert(struct expand_buf *b, const struct expand_spec *sp,
    const struct expand_var *v, char **err)
{
	char	*text, num[32];

	switch (sp->conv) {
	case 's':
	case 'r':
	case 'a':
		if (v->str == NULL) {
			snprintf(num, sizeof num, "%lld", v->num);
			expand_string(b, sp, num);
		} else if (sp->conv == 's')
			expand_string(b, sp, v->str);
		else {
			text = expand_quote(v->str, sp->conv == 'a');
			expand_string(b, sp, text);
			free(text);
		}
		return 0;
	case 'c':
		return expand_char(b, sp, v, err);
	case 'd':
	case 'i':
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		if (v->str != NULL) {
			xasprintf(err, "%%%c format: %s is required, not str",
			    sp->conv, strchr("diu", sp->conv) != NULL ?
			    "a real number" : "an integer");
			return -1;
		}
		expand_integer(b, sp, v->num);
		return 0;
	default:
		if (v->str != NULL) {
			*err = xstrdup("must be real number, not str");
			return -1;
		}
		expand_float(b, sp, (double)v->num);
		return 0;
	}
}

/* Reads digits into *out; returns -1 past EXPAND_MAXWIDTH. */
static int
expand_digits(const char **p, int *out)
{
	*out = 0;
	while (**p >= '0' && **p <= '9') {
		*out = *out * 10 + (**p - '0');
		if (*out > EXPAND_MAXWIDTH)
			return -1;
		(*p)++;
	}
	return 0;
}

/*
 * Flags, width, precision and one length modifier, which Python skips;
 * returns -1 with *err set.  '*' needs a tuple of arguments, which a
 * dictionary is not.
 */
static int
expand_parse_spec(const char **pp, struct expand_spec *sp, char **err)
{
	const char	*p = *pp;

	memset(sp, 0, sizeof *sp);
	sp->prec = -1;
	for (;; p++) {
		if (*p == '-')
			sp->minus = 1;
		else if (*p == '+')
			sp->plus = 1;
		else if (*p == ' ')
			sp->space = 1;
		else if (*p == '#')
			sp->alt = 1;
		else if (*p == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*p == '*')
		goto star;
	if (expand_digits(&p, &sp->width) != 0) {
		*err = xstrdup("width too big");
		return -1;
	}
	if (*p == '.') {
		p++;
		if (*p == '*')
			goto star;
		if (expand_digits(&p, &sp->prec) != 0) {
			*err = xstrdup("precision too big");
			return -1;
		}
	}
	if (*p == 'h' || *p == 'l' || *p == 'L')
		p++;
	if (*p == '\0') {
		*err = xstrdup("incomplete format");
		return -1;
	}
	*pp = p;
	return 0;

star:
	*err = xstrdup("not enough arguments for format string");
	return -1;
}

static int
expand_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of ctx and its parents, sorted, each once; their count. */
static size_t
expand_ctx_names(const struct expand_ctx *ctx, char ***names)
{
	const struct expand_ctx	*c;
	size_t			 i, j, n = 0, total = 0;

	for (c = ctx; c != NULL; c = c->parent)
		total += c->n;
	*names = xreallocarray(NULL, total + 1, sizeof **names);
	for (c = ctx; c != NULL; c = c->parent)
		for (i = 0; i < c->n; i++)
			(*names)[n++] = c->vars[i].name;
	qsort(*names, n, sizeof **names, expand_name_cmp);
	/* A name set at two levels is listed once. */
	for (i = j = 0; i < n; i++)
		if (j == 0 || strcmp((*names)[j - 1], (*names)[i]) != 0)
			(*names)[j++] = (*names)[i];
	return j;
}

static char *
expand_unknown(const char *in, const struct expand_ctx *ctx,
    const char *what, const char *key, size_t klen)
{
	struct expand_buf	  b = { NULL, 0, 0 };
	char			**names, *k, *rk, *rin, *rwhat;
	size_t			  i, n;

	n = expand_ctx_names(ctx, &names);
	expand_put(&b, "", 0);
	for (i = 0; i < n; i++) {
		if (i > 0)
			expand_put(&b, ", ", 2);
		expand_put(&b, names[i], strlen(names[i]));
	}
	free(names);
	k = xstrndup(key, klen);
	rk = expand_repr(k);
	free(k);
	rin = expand_repr(in);
	rwhat = expand_repr(what);
	xasprintf(&k, "Format string %s for %s contains names (%s) which "
	    "cannot be expanded. Available names: %s", rin, rwhat, rk, b.s);
	free(rk);
	free(rin);
	free(rwhat);
	free(b.s);
	return k;
}

static char *
expand_bad(const char *in, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *
expand_bad(const char *in, const char *what, const char *fmt, ...)
{
	va_list	 ap;
	char	*why, *rin, *rwhat, *out;

	va_start(ap, fmt);
	xvasprintf(&why, fmt, ap);
	va_end(ap);
	rin = expand_repr(in);
	rwhat = expand_repr(what);
	xasprintf(&out, "Format string %s for %s is badly formatted: %s", rin,
	    rwhat, why);
	free(why);
	free(rin);
	free(rwhat);
	return out;
}

/*
 * One %-conversion at *pp (just after the '%').  Python looks the name up
 * before it reads the conversion, so an unknown name wins over a bad
 * conversion after it.
 */
static int
expand_one(struct expand_buf *b, const char *in, const char **pp,
    const struct expand_ctx *ctx, const char *what, char **cause)
{
	const struct expand_var	*v = NULL;
	struct expand_spec	 sp;
	const char		*p = *pp, *key;
	unsigned long		 c;
	size_t			 n;
	char			*err = NULL;
	int			 depth;

	if (*p == '(') {
		key = ++p;
		for (depth = 1; *p != '\0'; p++) {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				break;
		}
		if (*p == '\0') {
			*cause = expand_bad(in, what, "incomplete format key");
			return -1;
		}
		if ((v = expand_ctx_find(ctx, key, p - key)) == NULL) {
			*cause = expand_unknown(in, ctx, what, key, p - key);
			return -1;
		}
		p++;
	}
	if (expand_parse_spec(&p, &sp, &err) != 0)
		goto bad;
	c = expand_utf8(p, &n);
	if (c > 0x7f || strchr("sracdiuxXoeEfFgG", (int)c) == NULL) {
		xasprintf(&err, "unsupported format character '%c' (0x%lx) at "
		    "index %zu", (c >= 32 && c <= 126) ? (int)c : '?', c,
		    expand_chars(in, p - in));
		goto bad;
	}
	if (v == NULL) {
		xasprintf(&err, "'%%%c' at index %zu has no name; write '%%%%' "
		    "for a literal '%%'", (int)c,
		    expand_chars(in, *pp - in) - 1);
		goto bad;
	}
	sp.conv = (int)c;
	if (expand_convert(b, &sp, v, &err) != 0)
		goto bad;
	*pp = p + 1;
	return 0;

bad:
	*cause = expand_bad(in, what, "%s", err);
	free(err);
	return -1;
}

int
expand(const char *in, const struct expand_ctx *ctx, const char *what,
    char **out, char **cause)
{
	struct expand_buf	 b = { NULL, 0, 0 };
	const char		*p = in, *pct;

	expand_put(&b, "", 0);
	while (*p != '\0') {
		if ((pct = strchr(p, '%')) == NULL) {
			expand_put(&b, p, strlen(p));
			break;
		}
		expand_put(&b, p, pct - p);
		p = pct + 1;
		if (*p == '%') {
			expand_putc(&b, '%');
			p++;
			continue;
		}
		if (expand_one(&b, in, &p, ctx, what, cause) != 0) {
			free(b.s);
			return -1;
		}
	}
	*out = b.s;
	return 0;
}
