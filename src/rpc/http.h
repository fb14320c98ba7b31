/* SPDX-License-Identifier: ISC */
/*
 * The HTTP side of the daemon: one server per [unix_http_server*] or
 * [inet_http_server*] section, on the loop, serving supervisord's XML-RPC
 * interface at /RPC2 and the log streams at /logtail and /mainlogtail, with
 * basic authentication when the section sets a username.
 */
#ifndef RPC_HTTP_H
#define RPC_HTTP_H

struct api;
struct event_base;
struct evhttp_request;
struct http_server;
struct server_config;

/* Request bodies above this are refused with 413. */
#define HTTP_MAX_BODY		(4 * 1024 * 1024)
#define HTTP_MAX_HEADERS	(64 * 1024)
/* An idle or stalled connection is closed after this many seconds. */
#define HTTP_TIMEOUT		60

/*
 * Binds and listens as sc says (a Unix socket is created as supervisord
 * does it, spec 12.1) and serves requests on base through api, which must
 * outlive the server.  Returns NULL and *cause, supervisord's start-up
 * message, on error.
 */
struct http_server *http_server_create(struct event_base *base,
		    const struct server_config *sc, struct api *api,
		    char **cause);
/*
 * Sends what is already queued, closes every connection and the listening
 * socket, and removes the socket file it created.
 */
void		 http_server_free(struct http_server *hs);

/* Between http.c and logtail.c only. */

/* Told once that the connection of a request went away. */
typedef void	(*http_gone_cb)(void *arg);

struct api	*http_server_api(const struct http_server *hs);
struct event_base *http_server_base(const struct http_server *hs);
/*
 * Calls cb(arg) if the connection of req is closed before the watch is
 * cleared with a NULL cb; a request has one watch at a time.
 */
void		 http_watch(struct http_server *hs, struct evhttp_request *req,
		    http_gone_cb cb, void *arg);
/* Answers req with supervisord's error page for code. */
void		 http_error(struct evhttp_request *req, int code);
/* Sets the Server header supervisord sends on every response. */
void		 http_server_header(struct evhttp_request *req);

/*
 * Serves GET /logtail/<name>[/<channel>] or GET /mainlogtail (mainlog set):
 * the last 1024 bytes of the log, then what is appended, until the client
 * goes away.  path is the URL-decoded path of the request.
 */
void		 logtail_handle(struct http_server *hs,
		    struct evhttp_request *req, const char *path, int mainlog);

#endif
