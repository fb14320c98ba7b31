/* SPDX-License-Identifier: ISC */
/*
 * What the files of the XML-RPC codec share: the text rules of XML and of
 * numbers, and the two parsers behind the decoder's state machine, the fast
 * scanner and expat, which report the same events.
 */
#ifndef RPC_XMLRPC_INTERNAL_H
#define RPC_XMLRPC_INTERNAL_H

#include <locale.h>
#include <stddef.h>

/*
 * Length of the UTF-8 sequence at s (n bytes left) if it is one character
 * that XML 1.0 allows (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD,
 * U+10000-U+10FFFF), else 0.
 */
size_t		 xmlrpc_text_char(const unsigned char *s, size_t n);
/* The C locale, or (locale_t)0 if it cannot be made. */
locale_t	 xmlrpc_text_locale(void);
/* Copies s without its blanks into buf; -1 if empty or too long for it. */
int		 xmlrpc_text_trim(const char *s, size_t n, char *buf,
		    size_t size);
/* The integer or double that s spells between blanks; 0, or -1 if none. */
int		 xmlrpc_text_int(const char *s, size_t n, long long *out);
int		 xmlrpc_text_double(const char *s, size_t n, double *out);
/*
 * The static copy of s if it is a member name of supervisord's structures,
 * else NULL.
 */
const char	*xmlrpc_text_name(const char *s, size_t n);

/*
 * The events of a document, as expat reports them: element names are not
 * NUL-terminated, text comes in pieces, references already replaced.  A
 * callback that returns -1 stops the scan.
 */
struct xmlrpc_scan_cb {
	int	(*start)(void *arg, const char *name, size_t len);
	int	(*end)(void *arg);
	int	(*text)(void *arg, const char *s, size_t len);
};

/*
 * Scans body when it is in the subset of XML that XML-RPC writers produce
 * (an optional UTF-8 declaration, elements without attributes, text, the
 * predefined and character references; no CR, comment, PI, CDATA or DTD)
 * and well-formed.  Returns 0 when all of it was reported, -1 when the
 * document is outside the subset or malformed, or a callback stopped: the
 * caller then parses it again with expat, which has the last word.
 */
int		 xmlrpc_scan(const char *body, size_t len,
		    const struct xmlrpc_scan_cb *cb, void *arg);

/*
 * Parses body with expat (no DTD, no entities), reporting the same events.
 * Returns 0, or -1 with *line where it stopped and *error, allocated: why,
 * or NULL when a callback stopped it.
 */
int		 xmlrpc_expat(const char *body, size_t len,
		    const struct xmlrpc_scan_cb *cb, void *arg,
		    unsigned long *line, char **error);

#endif
