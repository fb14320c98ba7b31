/* SPDX-License-Identifier: ISC */
/*
 * supervisord's HTTP servers on libevent's evhttp, on the sockets of
 * http-listen.c: basic authentication, routing, and the XML-RPC endpoint,
 * which decodes a call, hands it to the API and sends the reply whenever
 * the API answers, at once or later.
 */
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "api/api.h"
#include "config/config.h"
#include "rpc/http-internal.h"
#include "rpc/http.h"
#include "rpc/xmlrpc.h"
#include "util/base64.h"
#include "util/log.h"
#include "util/sha1.h"
#include "util/xmalloc.h"

/* How much of an invalid body the error line shows. */
#define HTTP_SHOWN_MAX		256

/* The most one write of a reply may take. */
#define HTTP_WRITE_MAX		(4 * 1024 * 1024)

/*
 * A connection we have seen a request on.  evhttp tells us of its end
 * through the close callback, which is also how a reply that is still
 * pending learns that nobody waits for it any more.
 */
struct http_conn {
	struct http_server		*hs;
	struct evhttp_connection	*evcon;
	http_gone_cb			 gone;
	void				*gone_arg;
	LIST_ENTRY(http_conn)		 entry;
};

/* An XML-RPC call waiting for the API; freed when the API answers. */
struct http_call {
	struct http_server	*hs;
	struct evhttp_request	*req;	/* NULL once the client is gone */
};

struct http_server {
	struct event_base		*base;
	struct api			*api;
	struct evhttp			*http;
	struct evconnlistener		*listener;
	struct event			*resume_ev;
	char				*section;
	char				*path;	/* socket file we made */
	dev_t				 dev;
	ino_t				 ino;
	char				*username;	/* NULL: no auth */
	char				*password;	/* plain, or NULL */
	char				 sha[SHA1_HEX_LEN + 1];
	LIST_HEAD(, http_conn)		 conns;
	LIST_ENTRY(http_server)		 entry;
};

/*
 * evhttp gives the listener's error callback its own pointer, not ours, so
 * the servers are found again through this list.
 */
static LIST_HEAD(, http_server) http_servers =
    LIST_HEAD_INITIALIZER(http_servers);

struct api *
http_server_api(const struct http_server *hs)
{
	return hs->api;
}

struct event_base *
http_server_base(const struct http_server *hs)
{
	return hs->base;
}

/* ---- replies ---- */

static const char *
http_reason(int code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 404:
		return "Not Found";
	case 411:
		return "Length Required";
	case 413:
		return "Request Entity Too Large";
	}
	return "Internal Server Error";
}

void
http_server_header(struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_remove_header(h, "Server");
	evhttp_add_header(h, "Server", "Medusa/1.12");
}

void
http_error(struct evhttp_request *req, int code)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*reason = http_reason(code);

	/* medusa's error page, byte for byte. */
	evbuffer_add_printf(b, "<head>\r\n<title>Error response</title>\r\n"
	    "</head>\r\n<body>\r\n<h1>Error response</h1>\r\n"
	    "<p>Error code %d.\r\n<p>Message: %s.\r\n</body>\r\n", code, reason);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/html");
	evhttp_send_reply(req, code, reason, b);
	evbuffer_free(b);
}

/* ---- connections ---- */

static void
http_conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct http_conn	*c = arg;

	(void)evcon;
	if (c->gone != NULL)
		c->gone(c->gone_arg);
	LIST_REMOVE(c, entry);
	free(c);
}

static struct http_conn *
http_conn_get(struct http_server *hs, struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct http_conn		*c;

	evcon = evhttp_request_get_connection(req);
	LIST_FOREACH(c, &hs->conns, entry) {
		if (c->evcon == evcon)
			return c;
	}
	c = xcalloc(1, sizeof *c);
	c->hs = hs;
	c->evcon = evcon;
	LIST_INSERT_HEAD(&hs->conns, c, entry);
	evhttp_connection_set_closecb(evcon, http_conn_closed, c);
	return c;
}

void
http_watch(struct http_server *hs, struct evhttp_request *req,
    http_gone_cb cb, void *arg)
{
	struct http_conn	*c = http_conn_get(hs, req);

	c->gone = cb;
	c->gone_arg = arg;
}

/*
 * A reply queued just before the loop stops (the answer to shutdown) would
 * be lost with its connection, so write what is pending once, without
 * waiting, before closing.
 */
static void
http_conn_flush(struct http_conn *c)
{
	struct bufferevent	*bev;
	struct evbuffer		*out;
	evutil_socket_t		 fd;

	bev = evhttp_connection_get_bufferevent(c->evcon);
	out = bufferevent_get_output(bev);
	fd = bufferevent_getfd(bev);
	if (fd != -1 && evbuffer_get_length(out) > 0)
		evbuffer_write(out, fd);
}

/* ---- authentication ---- */

/* Equal in a time that does not depend on where the strings differ. */
static int
http_equal(const char *a, size_t alen, const char *b)
{
	unsigned char	 da[SHA1_DIGEST_LEN], db[SHA1_DIGEST_LEN];
	unsigned char	 diff = 0;
	size_t		 i;

	sha1(a, alen, da);
	sha1(b, strlen(b), db);
	for (i = 0; i < SHA1_DIGEST_LEN; i++)
		diff |= da[i] ^ db[i];
	return diff == 0;
}

static int
http_password_ok(const struct http_server *hs, const char *pw, size_t len)
{
	char	 hex[SHA1_HEX_LEN + 1];

	if (hs->password != NULL)
		return http_equal(pw, len, hs->password);
	sha1_hex(pw, len, hex);
	return http_equal(hex, SHA1_HEX_LEN, hs->sha);
}

static int
http_authorized(const struct http_server *hs, struct evhttp_request *req)
{
	const char	*h;
	unsigned char	*buf;
	char		*colon;
	ssize_t		 n;
	size_t		 len;
	int		 ok;

	h = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (h == NULL)
		return 0;
	h += strspn(h, " \t");
	if (strncasecmp(h, "basic", 5) != 0 || (h[5] != ' ' && h[5] != '\t'))
		return 0;
	h += 5 + strspn(h + 5, " \t");
	len = strlen(h);
	buf = xmalloc(BASE64_DECODED_MAX(len) + 1);
	if ((n = base64_decode(h, len, buf, 0)) == -1 ||
	    (colon = memchr(buf, ':', (size_t)n)) == NULL) {
		free(buf);
		return 0;
	}
	len = (size_t)(colon - (char *)buf);
	/* Both checks always run, so timing tells nothing of which failed. */
	ok = http_equal((char *)buf, len, hs->username);
	ok &= http_password_ok(hs, colon + 1, (size_t)n - len - 1);
	explicit_bzero(buf, (size_t)n);
	free(buf);
	return ok;
}

static void
http_unauthorized(struct evhttp_request *req)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);

	evhttp_add_header(h, "WWW-Authenticate", "Basic realm=\"default\"");
	evhttp_add_header(h, "Connection", "close");
	http_error(req, 401);
}

/* ---- XML-RPC ---- */

/* The start of a body for a log line, escaped like Python's repr. */
static char *
http_shown(const unsigned char *body, size_t len)
{
	char	*s, *p;
	size_t	 i, n = len < HTTP_SHOWN_MAX ? len : HTTP_SHOWN_MAX;

	p = s = xmalloc(4 * n + 4);
	for (i = 0; i < n; i++) {
		if (body[i] == '\\' || body[i] == '\'')
			p += sprintf(p, "\\%c", body[i]);
		else if (body[i] == '\n')
			p += sprintf(p, "\\n");
		else if (body[i] < 0x20 || body[i] >= 0x7f)
			p += sprintf(p, "\\x%02x", body[i]);
		else
			*p++ = (char)body[i];
	}
	strcpy(p, n < len ? "..." : "");
	return s;
}

static void
http_call_gone(void *arg)
{
	struct http_call	*call = arg;

	/* As for a stream (logtail.c): a request taken off is ours. */
	if (evhttp_request_get_connection(call->req) == NULL)
		evhttp_request_free(call->req);
	call->req = NULL;
}

static void
http_body_free(const void *data, size_t len, void *arg)
{
	(void)len;
	(void)arg;
	free((void *)data);
}

static void
http_call_done(const struct api_reply *r, void *arg)
{
	struct http_call	*call = arg;
	struct evbuffer		*b;
	struct bufferevent	*bev;
	char			*body;
	size_t			 len;

	if (call->req == NULL) {
		free(call);
		return;
	}
	if (r->result != NULL)
		body = xmlrpc_encode_response(r->result, &len);
	else
		body = xmlrpc_encode_fault(r->fault, r->fault_string, &len);
	http_watch(call->hs, call->req, NULL, NULL);
	/* The body is lent to the buffer, not copied: it may be megabytes. */
	b = evbuffer_new();
	if (evbuffer_add_reference(b, body, len, http_body_free, NULL) != 0) {
		evbuffer_add(b, body, len);
		free(body);
	}
	/*
	 * libevent writes 16 KB per loop pass by default, one wake-up per
	 * piece of a large reply: let each write take what the socket takes.
	 */
	bev = evhttp_connection_get_bufferevent(
	    evhttp_request_get_connection(call->req));
	if (bev != NULL)
		bufferevent_set_max_single_write(bev, HTTP_WRITE_MAX);
	evhttp_add_header(evhttp_request_get_output_headers(call->req),
	    "Content-Type", "text/xml");
	evhttp_send_reply(call->req, 200, "OK", b);
	evbuffer_free(b);
	free(call);
}

static int
http_header_count(struct evkeyvalq *headers, const char *name)
{
	struct evkeyval	*kv;
	int		 n = 0;

	TAILQ_FOREACH(kv, headers, next) {
		if (strcasecmp(kv->key, name) == 0)
			n++;
	}
	return n;
}

static void
http_rpc(struct http_server *hs, struct evhttp_request *req)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct evbuffer		*buf = evhttp_request_get_input_buffer(req);
	struct http_call	*call;
	struct value		*params;
	unsigned char		*body;
	char			*method, *cause, *shown;
	size_t			 len;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		http_error(req, 400);
		return;
	}
	if (evhttp_find_header(in, "Content-Length") == NULL &&
	    evhttp_find_header(in, "Transfer-Encoding") == NULL) {
		http_error(req, 411);
		return;
	}
	if (http_header_count(in, "Content-Length") > 1) {
		/* Which length is meant is ambiguous: a smuggling attempt. */
		http_error(req, 400);
		return;
	}
	len = evbuffer_get_length(buf);
	body = len > 0 ? evbuffer_pullup(buf, -1) : (unsigned char *)"";
	if (xmlrpc_decode_call((char *)body, len, &method, &params,
	    &cause) != 0) {
		shown = http_shown(body, len);
		log_error("XML-RPC request data '%s' is invalid: "
		    "unmarshallable", shown);
		free(shown);
		free(cause);
		http_error(req, 400);
		return;
	}
	if (*method == '\0') {
		shown = http_shown(body, len);
		log_error("XML-RPC request data '%s' is invalid: no method name",
		    shown);
		free(shown);
		free(method);
		value_free(params);
		http_error(req, 400);
		return;
	}
	call = xcalloc(1, sizeof *call);
	call->hs = hs;
	call->req = req;
	http_watch(hs, req, http_call_gone, call);
	api_call(hs->api, method, params, http_call_done, call);
	free(method);
}

/* ---- routing ---- */

/* The path of a request URI, URL-decoded when it holds a '%'. */
static char *
http_path(const char *uri)
{
	char	*path, *dec;
	size_t	 n;

	path = xstrndup(uri, strcspn(uri, "?#"));
	if (strchr(path, '%') == NULL ||
	    (dec = evhttp_uridecode(path, 0, &n)) == NULL)
		return path;
	free(path);
	/* %00 would cut the name short: such a path names nothing. */
	path = strlen(dec) == n ? xstrdup(dec) : xstrdup("/");
	free(dec);
	return path;
}

static void
http_request(struct evhttp_request *req, void *arg)
{
	struct http_server	*hs = arg;
	const char		*uri = evhttp_request_get_uri(req);
	char			*path;

	http_server_header(req);
	if (hs->username != NULL && !http_authorized(hs, req)) {
		http_unauthorized(req);
		return;
	}
	/* supervisord matches handlers by prefix of the raw URI. */
	if (strncmp(uri, "/RPC2", 5) == 0) {
		http_rpc(hs, req);
		return;
	}
	if (strncmp(uri, "/logtail", 8) == 0 ||
	    strncmp(uri, "/mainlogtail", 12) == 0) {
		path = http_path(uri);
		logtail_handle(hs, req, path, uri[1] == 'm');
		free(path);
		return;
	}
	http_error(req, 404);
}

/* ---- accepting ---- */

static void
http_resume(evutil_socket_t fd, short what, void *arg)
{
	struct http_server	*hs = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(hs->listener);
}

/*
 * Out of descriptors (EMFILE, ENFILE, ENOBUFS): the pending connection
 * would wake the loop again at once, so stop accepting for a second.
 */
static void
http_accept_error(struct evconnlistener *lev, void *arg)
{
	struct http_server	*hs;
	struct timeval		 tv = { 1, 0 };
	int			 error = errno;

	(void)arg;
	LIST_FOREACH(hs, &http_servers, entry) {
		if (hs->listener == lev)
			break;
	}
	if (hs == NULL)
		return;
	log_warn("Server '%s': accept: %s; not accepting for a second",
	    hs->section, strerror(error));
	evconnlistener_disable(lev);
	evtimer_add(hs->resume_ev, &tv);
}

static int
http_server_auth(struct http_server *hs, const struct server_config *sc)
{
	const char	*hex;
	size_t		 i;

	if (sc->username == NULL || sc->password == NULL) {
		log_crit("Server '%s' running without any HTTP authentication "
		    "checking", sc->section);
		return 0;
	}
	hs->username = xstrdup(sc->username);
	if (strncmp(sc->password, "{SHA}", 5) != 0) {
		hs->password = xstrdup(sc->password);
		return 0;
	}
	hex = sc->password + 5;
	if (strlen(hex) != SHA1_HEX_LEN ||
	    strspn(hex, "0123456789abcdefABCDEF") != SHA1_HEX_LEN) {
		log_warn("Server '%s': the {SHA} password is not 40 hex digits; "
		    "no password will match", sc->section);
		return 0;
	}
	for (i = 0; i < SHA1_HEX_LEN; i++)
		hs->sha[i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ?
		    hex[i] - 'A' + 'a' : hex[i]);
	return 0;
}

struct http_server *
http_server_create(struct event_base *base, const struct server_config *sc,
    struct api *api, char **cause)
{
	struct http_server	*hs;
	int			 fd;

	*cause = NULL;
	hs = xcalloc(1, sizeof *hs);
	hs->base = base;
	hs->api = api;
	hs->section = xstrdup(sc->section);
	LIST_INIT(&hs->conns);
	LIST_INSERT_HEAD(&http_servers, hs, entry);
	fd = sc->is_unix ? http_listen_unix(sc, &hs->path, &hs->dev, &hs->ino,
	    cause) : http_listen_inet(sc, cause);
	if (fd == -1) {
		http_server_free(hs);
		return NULL;
	}
	hs->listener = evconnlistener_new(base, NULL, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (hs->listener == NULL) {
		*cause = http_listen_error(errno);
		close(fd);
		http_server_free(hs);
		return NULL;
	}
	hs->http = evhttp_new(base);
	evhttp_set_max_body_size(hs->http, HTTP_MAX_BODY);
	evhttp_set_max_headers_size(hs->http, HTTP_MAX_HEADERS);
	evhttp_set_timeout(hs->http, HTTP_TIMEOUT);
	/* Read an oversized body away, so the client sees the 413. */
	evhttp_set_flags(hs->http, EVHTTP_SERVER_LINGERING_CLOSE);
	/* Every method reaches us: /RPC2 answers 400 to all but POST. */
	evhttp_set_allowed_methods(hs->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT |
	    EVHTTP_REQ_PATCH);
	evhttp_set_gencb(hs->http, http_request, hs);
	evhttp_bind_listener(hs->http, hs->listener);
	evconnlistener_set_error_cb(hs->listener, http_accept_error);
	hs->resume_ev = evtimer_new(base, http_resume, hs);
	http_server_auth(hs, sc);
	return hs;
}

void
http_server_free(struct http_server *hs)
{
	struct http_conn	*c;
	struct stat		 st;

	if (hs == NULL)
		return;
	LIST_FOREACH(c, &hs->conns, entry)
		http_conn_flush(c);
	/* Closing the connections calls http_conn_closed for each. */
	if (hs->http != NULL)
		evhttp_free(hs->http);
	else if (hs->listener != NULL)
		evconnlistener_free(hs->listener);
	while ((c = LIST_FIRST(&hs->conns)) != NULL) {
		LIST_REMOVE(c, entry);
		free(c);
	}
	if (hs->resume_ev != NULL)
		event_free(hs->resume_ev);
	/* Only our own socket: another daemon may have replaced it since. */
	if (hs->path != NULL && stat(hs->path, &st) == 0 &&
	    st.st_dev == hs->dev && st.st_ino == hs->ino)
		unlink(hs->path);
	LIST_REMOVE(hs, entry);
	free(hs->path);
	free(hs->section);
	free(hs->username);
	if (hs->password != NULL)
		explicit_bzero(hs->password, strlen(hs->password));
	free(hs->password);
	free(hs);
}
