/* SPDX-License-Identifier: ISC */
/*
 * The general path of the XML-RPC decoder: expat, reporting the same events
 * as the scanner of xmlrpc-scan.c, for every body the scanner declines.  A
 * DTD aborts the parse before any declaration in it is read, so no entity is
 * ever defined or expanded; only the five predefined ones and character
 * references remain.
 */
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "util/xmalloc.h"
#include "xmlrpc-internal.h"

/* expat takes an int length: bigger bodies are fed in pieces. */
#define XMLRPC_EXPAT_CHUNK	(1 << 30)

struct xmlrpc_expat {
	XML_Parser			 parser;
	const struct xmlrpc_scan_cb	*cb;
	void				*arg;
	int				 stopped;
	unsigned long			 line;	/* where it stopped */
	char				*error;	/* why, if not a callback */
};

/* Stops the parse where it is, with error (NULL: a callback's choice). */
static void
xmlrpc_expat_stop(struct xmlrpc_expat *x, const char *error)
{
	if (x->stopped)
		return;
	x->stopped = 1;
	x->line = (unsigned long)XML_GetCurrentLineNumber(x->parser);
	if (error != NULL)
		x->error = xstrdup(error);
	XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL
xmlrpc_expat_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct xmlrpc_expat	*x = arg;

	(void)attrs;
	if (!x->stopped && x->cb->start(x->arg, name, strlen(name)) == -1)
		xmlrpc_expat_stop(x, NULL);
}

static void XMLCALL
xmlrpc_expat_end(void *arg, const XML_Char *name)
{
	struct xmlrpc_expat	*x = arg;

	(void)name;
	if (!x->stopped && x->cb->end(x->arg) == -1)
		xmlrpc_expat_stop(x, NULL);
}

static void XMLCALL
xmlrpc_expat_text(void *arg, const XML_Char *s, int len)
{
	struct xmlrpc_expat	*x = arg;

	if (!x->stopped && x->cb->text(x->arg, s, (size_t)len) == -1)
		xmlrpc_expat_stop(x, NULL);
}

static void XMLCALL
xmlrpc_expat_doctype(void *arg, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xmlrpc_expat_stop(arg, "DTDs are not allowed");
}

static void XMLCALL
xmlrpc_expat_entity(void *arg, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	xmlrpc_expat_stop(arg, "entity declarations are not allowed");
}

static int
xmlrpc_expat_feed(struct xmlrpc_expat *x, const char *body, size_t len)
{
	for (;;) {
		if (XML_Parse(x->parser, body, len > XMLRPC_EXPAT_CHUNK ?
		    XMLRPC_EXPAT_CHUNK : (int)len, len <= XMLRPC_EXPAT_CHUNK) !=
		    XML_STATUS_OK)
			return -1;
		if (len <= XMLRPC_EXPAT_CHUNK)
			return 0;
		body += XMLRPC_EXPAT_CHUNK;
		len -= XMLRPC_EXPAT_CHUNK;
	}
}

int
xmlrpc_expat(const char *body, size_t len, const struct xmlrpc_scan_cb *cb,
    void *arg, unsigned long *line, char **error)
{
	struct xmlrpc_expat	 x;

	memset(&x, 0, sizeof x);
	x.cb = cb;
	x.arg = arg;
	*line = 0;
	*error = NULL;
	if ((x.parser = XML_ParserCreate(NULL)) == NULL) {
		*error = xstrdup("out of memory");
		return -1;
	}
	XML_SetUserData(x.parser, &x);
	XML_SetElementHandler(x.parser, xmlrpc_expat_start, xmlrpc_expat_end);
	XML_SetCharacterDataHandler(x.parser, xmlrpc_expat_text);
	XML_SetStartDoctypeDeclHandler(x.parser, xmlrpc_expat_doctype);
	XML_SetEntityDeclHandler(x.parser, xmlrpc_expat_entity);
	XML_SetParamEntityParsing(x.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	if (xmlrpc_expat_feed(&x, body, len) == 0) {
		XML_ParserFree(x.parser);
		return 0;
	}
	if (x.stopped) {
		*line = x.line;
		*error = x.error;
	} else {
		*line = (unsigned long)XML_GetCurrentLineNumber(x.parser);
		*error = xstrdup(XML_ErrorString(XML_GetErrorCode(x.parser)));
	}
	XML_ParserFree(x.parser);
	return -1;
}
