/* SPDX-License-Identifier: ISC */
/*
 * The operations of the supervisor, named and shaped after supervisord's
 * XML-RPC interface (supervisor.getAllProcessInfo, supervisor.startProcess,
 * ...): parameters and results are value trees with the same structures, and
 * failures are faults with supervisord's codes.  Every front end (the shell,
 * the XML-RPC server) goes through this seam; api-local.c implements it on
 * the supervisor, a remote implementation forwards it over XML-RPC.
 *
 * Every call completes through its callback, at once or later (a start
 * waiting for RUNNING), so no caller ever blocks the loop.
 */
#ifndef API_API_H
#define API_API_H

#include "util/value.h"

/* Fault codes (spec 9.4). */
enum api_fault {
	API_OK = 0,
	API_UNKNOWN_METHOD = 1,
	API_INCORRECT_PARAMETERS = 2,
	API_BAD_ARGUMENTS = 3,
	API_SIGNATURE_UNSUPPORTED = 4,
	API_SHUTDOWN_STATE = 6,
	API_BAD_NAME = 10,
	API_BAD_SIGNAL = 11,
	API_NO_FILE = 20,
	API_NOT_EXECUTABLE = 21,
	API_FAILED = 30,
	API_ABNORMAL_TERMINATION = 40,
	API_SPAWN_ERROR = 50,
	API_ALREADY_STARTED = 60,
	API_NOT_RUNNING = 70,
	API_SUCCESS = 80,
	API_ALREADY_ADDED = 90,
	API_STILL_RUNNING = 91,
	API_CANT_REREAD = 92,
};

struct api;

/*
 * The result of a call: result is set on success (borrowed for the duration
 * of the callback), else fault and fault_string ("BAD_NAME: foo").
 */
struct api_reply {
	const struct value	*result;
	int			 fault;
	const char		*fault_string;
};

typedef void	(*api_done_cb)(const struct api_reply *reply, void *arg);

/* The backend behind an api handle. */
struct api_impl {
	void	(*call)(void *impl, const char *method, struct value *params,
		    api_done_cb cb, void *arg);
	void	(*free)(void *impl);
};

struct api	*api_create(const struct api_impl *impl, void *ctx);
void		 api_free(struct api *api);

/* Calls method with params (ownership passes to the call). */
void		 api_call(struct api *api, const char *method,
		    struct value *params, api_done_cb cb, void *arg);
/*
 * The same with parameters given by a format: 's' string, 'i' int, 'b'
 * boolean, one character per argument ("sb" for startProcess).
 */
void		 api_callf(struct api *api, api_done_cb cb, void *arg,
		    const char *method, const char *fmt, ...);

/* supervisord's fault name for a code ("BAD_NAME"), or "FAILED". */
const char	*api_fault_name(int code);

#endif
