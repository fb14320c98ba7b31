/* SPDX-License-Identifier: ISC */
/*
 * The API over XML-RPC: every call is encoded with rpc/xmlrpc.c, POSTed to
 * /RPC2 on one reused libcurl easy handle (so the connection is kept alive
 * between calls) and decoded before the callback runs.  Like supervisorctl,
 * the client blocks while a call is out; errors of the transport become
 * faults carrying supervisorctl's wording (api-remote.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "api-remote.h"
#include "rpc/xmlrpc.h"
#include "util/xmalloc.h"

/* Replies larger than this are refused before they fill the memory. */
#define REMOTE_MAX_RESPONSE	(256 * 1024 * 1024)

/*
 * libcurl's receive buffer: a status of 1000 programs is 1.2 MB, which
 * its 16 KB default reads in 75 system calls and callbacks.
 */
#define REMOTE_BUFFER_SIZE	(256 * 1024)

struct api_remote {
	char			*url;		/* as given, for messages */
	char			*endpoint;	/* http://host:port/RPC2 */
	char			*socket;	/* Unix socket path, or NULL */
	char			*username;
	char			*password;

	CURL			*curl;
	struct curl_slist	*headers;
	char			 errbuf[CURL_ERROR_SIZE];

	/* The reply being received. */
	char			*buf;
	size_t			 len, size;
	int			 too_big;
	char			*reason;	/* of the HTTP status line */
};

/* The outcome of a call, before it is handed to the callback. */
struct remote_result {
	struct value	*value;
	int		 fault;
	char		*string;
};

static int	(*remote_interrupt)(void *);
static void	*remote_interrupt_arg;
static int	 remote_handles;	/* for curl_global_init/cleanup */

void
api_remote_set_interrupt(int (*check)(void *), void *arg)
{
	remote_interrupt = check;
	remote_interrupt_arg = arg;
}

static void __attribute__((format(printf, 3, 4)))
remote_fault(struct remote_result *res, int code, const char *fmt, ...)
{
	va_list	 ap;

	res->fault = code;
	va_start(ap, fmt);
	xvasprintf(&res->string, fmt, ap);
	va_end(ap);
}

/* ---- URLs ---- */

/*
 * The endpoint of an http:// URL: its scheme, host and port with the path
 * replaced by /RPC2, as supervisorctl ignores the rest.
 */
static char *
remote_http_endpoint(const char *url)
{
	CURLU	*u;
	char	*host = NULL, *s = NULL, *endpoint = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0')
		goto out;
	if (curl_url_set(u, CURLUPART_PATH, "/RPC2", 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_USER, NULL, 0) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		goto out;
	endpoint = xstrdup(s);
out:
	curl_free(s);
	curl_free(host);
	curl_url_cleanup(u);
	return endpoint;
}

/* Splits url into an endpoint and a socket path; -1 with *cause if bad. */
static int
remote_parse_url(const char *url, char **endpoint, char **socket,
    char **cause)
{
	*endpoint = *socket = NULL;
	if (strncmp(url, "unix://", 7) == 0) {
		if (url[7] == '\0') {
			xasprintf(cause, "value '%s' is not a URL", url);
			return -1;
		}
		*socket = xstrdup(url + 7);
		*endpoint = xstrdup("http://localhost/RPC2");
		return 0;
	}
	if (strncmp(url, "http://", 7) != 0) {
		xasprintf(cause, "Unknown protocol for serverurl %s", url);
		return -1;
	}
	if ((*endpoint = remote_http_endpoint(url)) == NULL) {
		xasprintf(cause, "value '%s' is not a URL", url);
		return -1;
	}
	return 0;
}

static void
remote_set_credentials(struct api_remote *r, const char *username,
    const char *password)
{
	free(r->username);
	free(r->password);
	r->username = username != NULL ? xstrdup(username) : NULL;
	r->password = password != NULL ? xstrdup(password) : NULL;
	/* supervisorctl sends credentials only when it has both. */
	if (r->username != NULL && r->password != NULL) {
		curl_easy_setopt(r->curl, CURLOPT_HTTPAUTH,
		    (long)CURLAUTH_BASIC);
		curl_easy_setopt(r->curl, CURLOPT_USERNAME, r->username);
		curl_easy_setopt(r->curl, CURLOPT_PASSWORD, r->password);
	} else {
		curl_easy_setopt(r->curl, CURLOPT_USERNAME, NULL);
		curl_easy_setopt(r->curl, CURLOPT_PASSWORD, NULL);
	}
}

/* Takes over url, endpoint and socket. */
static void
remote_set_server(struct api_remote *r, char *url, char *endpoint,
    char *socket)
{
	free(r->url);
	free(r->endpoint);
	free(r->socket);
	r->url = url;
	r->endpoint = endpoint;
	r->socket = socket;
	curl_easy_setopt(r->curl, CURLOPT_URL, r->endpoint);
	curl_easy_setopt(r->curl, CURLOPT_UNIX_SOCKET_PATH, r->socket);
}

/* ---- libcurl callbacks ---- */

static size_t
remote_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct api_remote	*r = arg;
	size_t			 len = size * n;
	curl_off_t		 total = -1;

	if (len > REMOTE_MAX_RESPONSE - r->len) {
		r->too_big = 1;
		return 0;
	}
	/*
	 * The whole reply at once when its length is known: a status of
	 * 1000 programs would otherwise be moved by several reallocations.
	 */
	if (r->len == 0 && curl_easy_getinfo(r->curl,
	    CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total) == CURLE_OK &&
	    total > 0 && total <= REMOTE_MAX_RESPONSE &&
	    (size_t)total + 1 > r->size) {
		r->size = (size_t)total + 1;
		free(r->buf);
		r->buf = xmalloc(r->size);
	}
	if (r->len + len + 1 > r->size) {
		r->size = (r->len + len + 1) * 2;
		r->buf = xrealloc(r->buf, r->size);
	}
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	r->buf[r->len] = '\0';
	return len;
}

/* Keeps the reason phrase of the last status line, for error messages. */
static size_t
remote_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct api_remote	*r = arg;
	size_t			 len = size * n, i = 0;

	if (len < 5 || strncmp(data, "HTTP/", 5) != 0)
		return len;
	while (i < len && data[i] != ' ')
		i++;
	while (i < len && data[i] == ' ')
		i++;
	while (i < len && data[i] != ' ' && data[i] != '\r' && data[i] != '\n')
		i++;
	if (i < len && data[i] == ' ')
		i++;
	while (len > i && (data[len - 1] == '\r' || data[len - 1] == '\n'))
		len--;
	free(r->reason);
	r->reason = xstrndup(data + i, len - i);
	return size * n;
}

static int
remote_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)arg;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (remote_interrupt != NULL && remote_interrupt(remote_interrupt_arg))
		return 1;
	return 0;
}

/* ---- requests ---- */

static void
remote_transport_error(struct api_remote *r, CURLcode rc,
    struct remote_result *res)
{
	long	 oserr = 0;

	curl_easy_getinfo(r->curl, CURLINFO_OS_ERRNO, &oserr);
	if (rc == CURLE_ABORTED_BY_CALLBACK)
		remote_fault(res, API_REMOTE_INTERRUPTED, "interrupted");
	else if (rc == CURLE_COULDNT_CONNECT && oserr == ECONNREFUSED)
		remote_fault(res, API_REMOTE_REFUSED, "%s refused connection",
		    r->url);
	else if (rc == CURLE_COULDNT_CONNECT && oserr == ENOENT &&
	    r->socket != NULL)
		remote_fault(res, API_REMOTE_NO_SOCKET, "%s no such file",
		    r->url);
	else if (r->too_big)
		remote_fault(res, API_REMOTE_BAD_RESPONSE,
		    "%s: invalid XML-RPC response: larger than %d bytes",
		    r->url, REMOTE_MAX_RESPONSE);
	else
		remote_fault(res, API_REMOTE_TRANSPORT, "%s: %s", r->url,
		    r->errbuf[0] != '\0' ? r->errbuf : curl_easy_strerror(rc));
}

static void
remote_decode(struct api_remote *r, struct remote_result *res)
{
	char	*cause = NULL;
	int	 rc;

	rc = xmlrpc_decode_response(r->buf != NULL ? r->buf : "", r->len,
	    &res->value, &res->fault, &res->string, &cause);
	if (rc == -1) {
		remote_fault(res, API_REMOTE_BAD_RESPONSE,
		    "%s: invalid XML-RPC response: %s", r->url, cause);
		free(cause);
	} else if (rc == 1 && res->string == NULL)
		res->string = xstrdup(api_fault_name(res->fault));
}

static void
remote_request(struct api_remote *r, const char *method,
    const struct value *params, struct remote_result *res)
{
	char		*body;
	size_t		 len;
	long		 status = 0;
	CURLcode	 rc;

	body = xmlrpc_encode_call(method, params, &len);
	r->len = 0;
	r->too_big = 0;
	r->errbuf[0] = '\0';
	free(r->reason);
	r->reason = NULL;
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	rc = curl_easy_perform(r->curl);
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, NULL);
	free(body);
	if (rc != CURLE_OK) {
		remote_transport_error(r, rc, res);
		return;
	}
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 401)
		remote_fault(res, API_REMOTE_UNAUTHORIZED,
		    "Server requires authentication");
	else if (status != 200)
		remote_fault(res, API_REMOTE_HTTP, "%s: HTTP %ld%s%s", r->url,
		    status, r->reason != NULL && *r->reason != '\0' ? " " : "",
		    r->reason != NULL ? r->reason : "");
	else
		remote_decode(r, res);
}

/* client.open and client.login. */
static void
remote_client_method(struct api_remote *r, const char *method,
    const struct value *params, struct remote_result *res)
{
	const struct value	*a = value_array_at(params, 0);
	const struct value	*b = value_array_at(params, 1);
	char			*endpoint, *socket, *cause = NULL;

	if (strcmp(method, "client.open") == 0 && a != NULL &&
	    a->type == VALUE_STRING) {
		if (remote_parse_url(a->u.str.ptr, &endpoint, &socket,
		    &cause) != 0) {
			remote_fault(res, API_REMOTE_BAD_URL, "%s", cause);
			free(cause);
			return;
		}
		remote_set_server(r, xstrdup(a->u.str.ptr), endpoint, socket);
		res->value = value_bool(1);
	} else if (strcmp(method, "client.login") == 0 && a != NULL &&
	    b != NULL && a->type == VALUE_STRING && b->type == VALUE_STRING) {
		remote_set_credentials(r, a->u.str.ptr, b->u.str.ptr);
		res->value = value_bool(1);
	} else if (strcmp(method, "client.open") == 0 ||
	    strcmp(method, "client.login") == 0)
		remote_fault(res, API_INCORRECT_PARAMETERS, "%s",
		    api_fault_name(API_INCORRECT_PARAMETERS));
	else
		remote_fault(res, API_UNKNOWN_METHOD, "%s",
		    api_fault_name(API_UNKNOWN_METHOD));
}

/*
 * The callback runs after the reply has been decoded, so it may make calls
 * of its own on the same handle.
 */
static void
api_remote_call(void *ctx, const char *method, struct value *params,
    api_done_cb cb, void *arg)
{
	struct api_remote	*r = ctx;
	struct remote_result	 res = { NULL, 0, NULL };
	struct api_reply	 reply = { NULL, 0, NULL };

	if (strncmp(method, "client.", 7) == 0)
		remote_client_method(r, method, params, &res);
	else
		remote_request(r, method, params, &res);
	value_free(params);
	if (res.value != NULL)
		reply.result = res.value;
	else {
		reply.fault = res.fault;
		reply.fault_string = res.string;
	}
	cb(&reply, arg);
	value_free(res.value);
	free(res.string);
}

static void
api_remote_free(void *ctx)
{
	struct api_remote	*r = ctx;

	curl_easy_cleanup(r->curl);
	curl_slist_free_all(r->headers);
	free(r->url);
	free(r->endpoint);
	free(r->socket);
	free(r->username);
	free(r->password);
	free(r->buf);
	free(r->reason);
	free(r);
	if (--remote_handles == 0)
		curl_global_cleanup();
}

static const struct api_impl api_remote_impl = {
	.call = api_remote_call,
	.free = api_remote_free,
};

static void
remote_setup(struct api_remote *r)
{
	CURL	*c = r->curl;

	r->headers = curl_slist_append(r->headers, "Content-Type: text/xml");
	r->headers = curl_slist_append(r->headers, "Accept: text/xml");
	/* Servers need not know 100-continue; bodies are small anyway. */
	r->headers = curl_slist_append(r->headers, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "taskmasterctl");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, remote_write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, (long)REMOTE_BUFFER_SIZE);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, remote_header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, remote_progress_cb);
	/* Signals are the program's: no SIGALRM for name lookups. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTP);
#endif
}

struct api *
api_remote_create(const char *serverurl, const char *username,
    const char *password, char **cause)
{
	struct api_remote	*r;
	char			*endpoint, *socket;

	if (remote_parse_url(serverurl, &endpoint, &socket, cause) != 0)
		return NULL;
	if (remote_handles++ == 0 &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		remote_handles--;
		free(endpoint);
		free(socket);
		xasprintf(cause, "cannot initialise libcurl");
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	if ((r->curl = curl_easy_init()) == NULL) {
		free(r);
		free(endpoint);
		free(socket);
		if (--remote_handles == 0)
			curl_global_cleanup();
		xasprintf(cause, "cannot initialise libcurl");
		return NULL;
	}
	remote_setup(r);
	remote_set_server(r, xstrdup(serverurl), endpoint, socket);
	remote_set_credentials(r, username, password);
	return api_create(&api_remote_impl, r);
}
