/* SPDX-License-Identifier: ISC */
/*
 * The API over supervisord's XML-RPC interface: each call is one POST of
 * /RPC2 to a supervisord or a taskmasterd, made with libcurl and answered
 * before api_call() returns, as supervisorctl does.  Failures of the
 * transport itself come back as faults with the codes below, which never
 * collide with supervisord's.
 */
#ifndef API_API_REMOTE_H
#define API_API_REMOTE_H

#include "api.h"

/*
 * Transport faults.  The fault string is the text supervisorctl prints, so a
 * front end can show it as it is.
 */
enum api_remote_fault {
	/* "<serverurl> refused connection" */
	API_REMOTE_REFUSED = 1000,
	/* "<serverurl> no such file": the Unix socket does not exist */
	API_REMOTE_NO_SOCKET = 1001,
	/* "Server requires authentication": HTTP 401 */
	API_REMOTE_UNAUTHORIZED = 1002,
	/* "<serverurl>: HTTP 500 Internal Server Error": any other status */
	API_REMOTE_HTTP = 1003,
	/* "<serverurl>: <what libcurl says>": any other transport error */
	API_REMOTE_TRANSPORT = 1004,
	/* "<serverurl>: invalid XML-RPC response: <why>" */
	API_REMOTE_BAD_RESPONSE = 1005,
	/* "interrupted": the interrupt check asked to give up */
	API_REMOTE_INTERRUPTED = 1006,
	/* "Unknown protocol for serverurl <url>": client.open */
	API_REMOTE_BAD_URL = 1007,
};

/*
 * Methods of the "client." namespace are answered by the backend itself,
 * without a request, so that shell commands can reach the transport through
 * the API alone:
 *
 *   client.open(url)              switches to another server; true, or
 *                                 API_REMOTE_BAD_URL (the old one is kept)
 *   client.login(user, password)  sets the credentials of later calls; true
 */

/*
 * Creates the backend for serverurl, "unix:///path" (HTTP over that socket,
 * "Host: localhost") or "http://host[:port]" (port 80 by default; any path
 * is ignored, calls go to /RPC2).  Basic authentication is sent when both
 * username and password are set (either may be NULL).  Returns NULL with
 * *cause allocated for a URL of another scheme or one without a host.
 */
struct api	*api_remote_create(const char *serverurl,
		    const char *username, const char *password, char **cause);

/*
 * A check made about once a second, and more often while data flows, during
 * every request: when it returns nonzero the request is abandoned and the
 * call fails with API_REMOTE_INTERRUPTED.  One check serves every backend of
 * the process (requests block it, as signals concern it); NULL removes it.
 */
void		 api_remote_set_interrupt(int (*check)(void *arg),
		    void *arg);

#endif
