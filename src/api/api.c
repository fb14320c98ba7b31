/* SPDX-License-Identifier: ISC */
/*
 * The api handle: a method call forwarded to whichever backend was given.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "api.h"
#include "util/xmalloc.h"

struct api {
	const struct api_impl	*impl;
	void			*ctx;
};

struct api *
api_create(const struct api_impl *impl, void *ctx)
{
	struct api	*api;

	api = xcalloc(1, sizeof *api);
	api->impl = impl;
	api->ctx = ctx;
	return api;
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	if (api->impl->free != NULL)
		api->impl->free(api->ctx);
	free(api);
}

void
api_call(struct api *api, const char *method, struct value *params,
    api_done_cb cb, void *arg)
{
	api->impl->call(api->ctx, method, params, cb, arg);
}

void
api_callf(struct api *api, api_done_cb cb, void *arg, const char *method,
    const char *fmt, ...)
{
	struct value	*params = value_array();
	va_list		 ap;

	va_start(ap, fmt);
	for (; *fmt != '\0'; fmt++) {
		switch (*fmt) {
		case 's':
			value_array_push(params, value_string(va_arg(ap,
			    const char *)));
			break;
		case 'i':
			value_array_push(params, value_int(va_arg(ap, int)));
			break;
		case 'b':
			value_array_push(params, value_bool(va_arg(ap, int)));
			break;
		}
	}
	va_end(ap);
	api_call(api, method, params, cb, arg);
}

const char *
api_fault_name(int code)
{
	switch (code) {
	case API_UNKNOWN_METHOD:
		return "UNKNOWN_METHOD";
	case API_INCORRECT_PARAMETERS:
		return "INCORRECT_PARAMETERS";
	case API_BAD_ARGUMENTS:
		return "BAD_ARGUMENTS";
	case API_SIGNATURE_UNSUPPORTED:
		return "SIGNATURE_UNSUPPORTED";
	case API_SHUTDOWN_STATE:
		return "SHUTDOWN_STATE";
	case API_BAD_NAME:
		return "BAD_NAME";
	case API_BAD_SIGNAL:
		return "BAD_SIGNAL";
	case API_NO_FILE:
		return "NO_FILE";
	case API_NOT_EXECUTABLE:
		return "NOT_EXECUTABLE";
	case API_ABNORMAL_TERMINATION:
		return "ABNORMAL_TERMINATION";
	case API_SPAWN_ERROR:
		return "SPAWN_ERROR";
	case API_ALREADY_STARTED:
		return "ALREADY_STARTED";
	case API_NOT_RUNNING:
		return "NOT_RUNNING";
	case API_SUCCESS:
		return "SUCCESS";
	case API_ALREADY_ADDED:
		return "ALREADY_ADDED";
	case API_STILL_RUNNING:
		return "STILL_RUNNING";
	case API_CANT_REREAD:
		return "CANT_REREAD";
	}
	return "FAILED";
}
