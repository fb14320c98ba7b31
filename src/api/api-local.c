/* SPDX-License-Identifier: ISC */
/*
 * The API on the local supervisor: the method table (the one list of
 * operations, also behind system.listMethods), parameter checks, dispatch,
 * the system.* methods and the reply helpers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "local.h"
#include "util/xmalloc.h"

static void	api_local_list_methods(struct api_req *req);
static void	api_local_method_help(struct api_req *req);
static void	api_local_method_signature(struct api_req *req);
static void	api_local_multicall(struct api_req *req);

#define S "supervisor."
const struct api_method api_methods[] = {
	{ S "addProcessGroup", "s", "boolean,string",
	  "Update the config for a running process from config file.",
	  api_control_add_group, 0 },
	{ S "clearAllProcessLogs", "", "array",
	  "Clear all process log files.", api_info_clear_all_process_logs, 0 },
	{ S "clearLog", "", "boolean", "Clear the main log.",
	  api_info_clear_log, 0 },
	{ S "clearProcessLog", "s", "boolean,string",
	  "Clear the stdout and stderr logs for the named process.",
	  api_info_clear_process_logs, 0 },
	{ S "clearProcessLogs", "s", "boolean,string",
	  "Clear the stdout and stderr logs for the named process.",
	  api_info_clear_process_logs, 0 },
	{ S "getAPIVersion", "", "string",
	  "Return the version of the RPC API used by supervisord.",
	  api_info_api_version, 0 },
	{ S "getAllConfigInfo", "", "array",
	  "Get info about all available process configurations.",
	  api_info_all_config_info, 0 },
	{ S "getAllProcessInfo", "", "array",
	  "Get info about all processes.", api_info_all_process_info, 0 },
	{ S "getIdentification", "", "string",
	  "Return identifying string of supervisord.",
	  api_info_identification, 0 },
	{ S "getPID", "", "int", "Return the PID of supervisord.",
	  api_info_pid, 0 },
	{ S "getProcessInfo", "s", "struct,string",
	  "Get info about a process named name.", api_info_process_info, 0 },
	{ S "getState", "", "struct", "Return current state of supervisord.",
	  api_info_state, 0 },
	{ S "getSupervisorVersion", "", "string",
	  "Return the version of the supervisor package in use.",
	  api_info_supervisor_version, 0 },
	{ S "getVersion", "", "string",
	  "Return the version of the RPC API used by supervisord.",
	  api_info_api_version, 0 },
	{ S "readLog", "ii", "string,int,int",
	  "Read length bytes from the main log starting at offset.",
	  api_info_read_log, 0 },
	{ S "readMainLog", "ii", "string,int,int",
	  "Read length bytes from the main log starting at offset.",
	  api_info_read_log, 0 },
	{ S "readProcessLog", "sii", "string,string,int,int",
	  "Read length bytes from name's stdout log starting at offset.",
	  api_info_read_stdout, 0 },
	{ S "readProcessStderrLog", "sii", "string,string,int,int",
	  "Read length bytes from name's stderr log starting at offset.",
	  api_info_read_stderr, 0 },
	{ S "readProcessStdoutLog", "sii", "string,string,int,int",
	  "Read length bytes from name's stdout log starting at offset.",
	  api_info_read_stdout, 0 },
	{ S "reloadConfig", "", "array",
	  "Reload the configuration.", api_control_reload_config, 0 },
	{ S "removeProcessGroup", "s", "boolean,string",
	  "Remove a stopped process from the active configuration.",
	  api_control_remove_group, 0 },
	{ S "restart", "", "boolean", "Restart the supervisor process.",
	  api_control_restart, 0 },
	{ S "sendProcessStdin", "ss", "boolean,string,string",
	  "Send a string of chars to the stdin of the process name.",
	  api_info_send_stdin, 0 },
	{ S "sendRemoteCommEvent", "ss", "boolean,string,string",
	  "Send an event that will be received by event listener "
	  "subprocesses subscribing to the RemoteCommunicationEvent.",
	  api_info_send_comm_event, 1 },
	{ S "shutdown", "", "boolean", "Shut down the supervisor process.",
	  api_control_shutdown, 0 },
	{ S "signalAllProcesses", "x", "array,string",
	  "Send a signal to all processes in the process list.",
	  api_control_signal_all, 0 },
	{ S "signalProcess", "sx", "boolean,string,string",
	  "Send an arbitrary UNIX signal to the process named by name.",
	  api_control_signal, 0 },
	{ S "signalProcessGroup", "sx", "array,string,string",
	  "Send a signal to all processes in the group named 'name'.",
	  api_control_signal_group, 0 },
	{ S "startAllProcesses", "|b", "array,boolean",
	  "Start all processes listed in the configuration file.",
	  api_control_start_all, 0 },
	{ S "startProcess", "s|b", "boolean,string,boolean",
	  "Start a process.", api_control_start, 0 },
	{ S "startProcessGroup", "s|b", "array,string,boolean",
	  "Start all processes in the group named 'name'.",
	  api_control_start_group, 0 },
	{ S "stopAllProcesses", "|b", "array,boolean",
	  "Stop all processes in the process list.",
	  api_control_stop_all, 0 },
	{ S "stopProcess", "s|b", "boolean,string,boolean",
	  "Stop a process named by name.", api_control_stop, 0 },
	{ S "stopProcessGroup", "s|b", "array,string,boolean",
	  "Stop all processes in the process group named 'name'.",
	  api_control_stop_group, 0 },
	{ S "tailProcessLog", "sii", "array,string,int,int",
	  "Provides a more efficient way to tail the (stdout) log than "
	  "readProcessStdoutLog().", api_info_tail_stdout, 0 },
	{ S "tailProcessStderrLog", "sii", "array,string,int,int",
	  "Provides a more efficient way to tail the (stderr) log than "
	  "readProcessStderrLog().", api_info_tail_stderr, 0 },
	{ S "tailProcessStdoutLog", "sii", "array,string,int,int",
	  "Provides a more efficient way to tail the (stdout) log than "
	  "readProcessStdoutLog().", api_info_tail_stdout, 0 },
	{ "system.listMethods", "", "array",
	  "Return an array listing the available method names.",
	  api_local_list_methods, 1 },
	{ "system.methodHelp", "s", "string,string",
	  "Return a string showing the method's documentation.",
	  api_local_method_help, 1 },
	{ "system.methodSignature", "s", "array,string",
	  "Return an array describing the method signature.",
	  api_local_method_signature, 1 },
	{ "system.multicall", "a", "array,array",
	  "Process an array of calls, and return an array of results.",
	  api_local_multicall, 1 },
	{ "taskmaster.tailLog", "ii", "array,int,int",
	  "Tail the main log with the rules of tailProcessStdoutLog.",
	  api_info_tail_log, 0 },
	{ "taskmaster.update", "|a", "array,array",
	  "Apply the last read config to the named groups (all if none): "
	  "unchanged processes keep running. Returns [[added], [changed], "
	  "[removed]].", api_control_update, 0 },
};
#undef S
const size_t api_nmethods = sizeof api_methods / sizeof api_methods[0];

/* ---- replies ---- */

static void
api_req_free(struct api_req *req)
{
	value_free(req->owned);
	free(req);
}

void
api_reply_value(struct api_req *req, struct value *v)
{
	struct api_reply	 r = { .result = v };

	req->cb(&r, req->arg);
	value_free(v);
	api_req_free(req);
}

void
api_reply_true(struct api_req *req)
{
	api_reply_value(req, value_bool(1));
}

void
api_reply_fault(struct api_req *req, int code, const char *fmt, ...)
{
	struct api_reply	 r = { .fault = code };
	va_list			 ap;
	char			*detail = NULL, *s;

	if (fmt != NULL) {
		va_start(ap, fmt);
		xvasprintf(&detail, fmt, ap);
		va_end(ap);
	}
	if (detail != NULL)
		s = xprintf("%s: %s", api_fault_name(code), detail);
	else
		s = xstrdup(api_fault_name(code));
	r.fault_string = s;
	req->cb(&r, req->arg);
	free(s);
	free(detail);
	api_req_free(req);
}

/* ---- parameters ---- */

const struct value *
api_param(const struct api_req *req, size_t i)
{
	return value_array_at(req->params, i);
}

const char *
api_param_str(const struct api_req *req, size_t i)
{
	const struct value	*v = api_param(req, i);

	if (v == NULL || v->type != VALUE_STRING)
		return NULL;
	/* A name cut short at a NUL would name another process. */
	if (memchr(v->u.str.ptr, '\0', v->u.str.len) != NULL)
		return "";
	return v->u.str.ptr;
}

int
api_param_bool(const struct api_req *req, size_t i, int dflt)
{
	const struct value	*v = api_param(req, i);

	if (v == NULL)
		return dflt;
	return v->u.i != 0;
}

static int
api_type_ok(char want, const struct value *v)
{
	switch (want) {
	case 's':
		return v->type == VALUE_STRING;
	case 'i':
		return v->type == VALUE_INT;
	case 'b':
		return v->type == VALUE_BOOL || v->type == VALUE_INT;
	case 'x':
		return v->type == VALUE_STRING || v->type == VALUE_INT;
	case 'a':
		return v->type == VALUE_ARRAY;
	}
	return 0;
}

/*
 * 0 if params fit spec; -1 for a wrong count; else 1 + the index of the
 * first parameter of the wrong type.
 */
static int
api_check_params(const char *spec, const struct value *params)
{
	size_t	 n = value_array_len(params), i = 0, min;
	const char *bar = strchr(spec, '|');

	min = bar != NULL ? (size_t)(bar - spec) : strlen(spec);
	if (n < min || n > strlen(spec) - (bar != NULL))
		return -1;
	for (; *spec != '\0'; spec++) {
		if (*spec == '|')
			continue;
		if (i == n)
			return 0;
		if (!api_type_ok(*spec, value_array_at(params, i)))
			return (int)i + 1;
		i++;
	}
	return i == n ? 0 : -1;
}

/* INCORRECT_PARAMETERS names the bad value, as supervisord does. */
static void
api_bad_params(struct api_req *req, const struct value *params, int bad)
{
	const struct value	*v = value_array_at(params, (size_t)bad - 1);

	if (bad <= 0 || v == NULL)
		api_reply_fault(req, API_INCORRECT_PARAMETERS, NULL);
	else if (v->type == VALUE_INT)
		api_reply_fault(req, API_INCORRECT_PARAMETERS, "%lld", v->u.i);
	else if (v->type == VALUE_BOOL)
		api_reply_fault(req, API_INCORRECT_PARAMETERS, "%s",
		    v->u.i ? "True" : "False");
	else if (v->type == VALUE_STRING)
		api_reply_fault(req, API_INCORRECT_PARAMETERS, "%s",
		    v->u.str.ptr);
	else
		api_reply_fault(req, API_INCORRECT_PARAMETERS, NULL);
}

/* ---- dispatch ---- */

static const struct api_method *
api_find_method(const char *name)
{
	size_t	 i;

	for (i = 0; i < api_nmethods; i++)
		if (strcmp(api_methods[i].name, name) == 0)
			return &api_methods[i];
	return NULL;
}

static void
api_local_call(void *ctx, const char *method, struct value *params,
    api_done_cb cb, void *arg)
{
	struct api_local	*al = ctx;
	const struct api_method	*m;
	struct api_req		*req;
	int			 bad;

	req = xcalloc(1, sizeof *req);
	req->al = al;
	req->cb = cb;
	req->arg = arg;
	if (params == NULL)
		params = value_array();
	req->owned = params;
	req->params = params;
	if ((m = api_find_method(method)) == NULL) {
		api_reply_fault(req, API_UNKNOWN_METHOD, NULL);
		return;
	}
	if (params->type != VALUE_ARRAY) {
		api_reply_fault(req, API_INCORRECT_PARAMETERS, NULL);
		return;
	}
	if ((bad = api_check_params(m->params, params)) != 0) {
		api_bad_params(req, params, bad);
		return;
	}
	if (!m->any_state && supervisor_state(al->sv) != SUPERVISOR_RUNNING) {
		api_reply_fault(req, API_SHUTDOWN_STATE, NULL);
		return;
	}
	m->fn(req);
}

static void
api_local_free(void *ctx)
{
	free(ctx);
}

static const struct api_impl api_local_impl = {
	.call = api_local_call,
	.free = api_local_free,
};

struct api *
api_local_create(struct supervisor *sv, const struct api_local_hooks *hooks,
    void *arg)
{
	struct api_local	*al;

	al = xcalloc(1, sizeof *al);
	al->sv = sv;
	al->hooks = hooks;
	al->hooks_arg = arg;
	return api_create(&api_local_impl, al);
}

/* ---- system.* ---- */

static void
api_local_list_methods(struct api_req *req)
{
	struct value	*a = value_array();
	size_t		 i;

	for (i = 0; i < api_nmethods; i++)
		value_array_push(a, value_string(api_methods[i].name));
	api_reply_value(req, a);
}

static void
api_local_method_help(struct api_req *req)
{
	const struct api_method	*m = api_find_method(api_param_str(req, 0));

	if (m == NULL) {
		api_reply_fault(req, API_SIGNATURE_UNSUPPORTED, NULL);
		return;
	}
	api_reply_value(req, value_string(m->help));
}

static void
api_local_method_signature(struct api_req *req)
{
	const struct api_method	*m = api_find_method(api_param_str(req, 0));
	struct value		*a;
	const char		*p, *comma;

	if (m == NULL) {
		api_reply_fault(req, API_SIGNATURE_UNSUPPORTED, NULL);
		return;
	}
	a = value_array();
	for (p = m->signature; *p != '\0'; p = *comma ? comma + 1 : comma) {
		comma = strchrnul(p, ',');
		value_array_push(a, value_stringn(p, (size_t)(comma - p)));
	}
	api_reply_value(req, a);
}

/*
 * system.multicall runs its calls one after another, waiting for each.
 * Calls answered at once are looped over, not recursed into, so a request
 * of 100000 calls needs no deeper stack than one of 2.
 */
struct api_multicall {
	struct api_req	*req;
	struct value	*results;
	size_t		 next;
	int		 calling;	/* inside api_local_call() */
	int		 answered;	/* ... and it has answered */
};

static void	api_multicall_next(struct api_multicall *mc);

static void
api_multicall_done(const struct api_reply *r, void *arg)
{
	struct api_multicall	*mc = arg;
	struct value		*f;

	if (r->result != NULL)
		value_array_push(mc->results, value_dup(r->result));
	else {
		f = value_struct();
		value_struct_set(f, "faultCode", value_int(r->fault));
		value_struct_set(f, "faultString",
		    value_string(r->fault_string));
		value_array_push(mc->results, f);
	}
	if (mc->calling)
		mc->answered = 1;
	else
		api_multicall_next(mc);
}

static void
api_multicall_fault(struct api_multicall *mc, const char *text)
{
	struct value	*f = value_struct();

	value_struct_set(f, "faultCode", value_int(API_INCORRECT_PARAMETERS));
	value_struct_set(f, "faultString", value_string(text));
	value_array_push(mc->results, f);
}

static void
api_multicall_next(struct api_multicall *mc)
{
	const struct value	*calls = api_param(mc->req, 0), *c, *params;
	const char		*name;

	while (mc->next < value_array_len(calls)) {
		c = value_array_at(calls, mc->next++);
		name = value_get_string(c, "methodName", NULL);
		params = value_struct_get(c, "params");
		if (name == NULL) {
			api_multicall_fault(mc,
			    "INCORRECT_PARAMETERS: No methodName");
			continue;
		}
		if (strcmp(name, "system.multicall") == 0) {
			api_multicall_fault(mc, "INCORRECT_PARAMETERS: "
			    "Recursive system.multicall forbidden");
			continue;
		}
		mc->calling = 1;
		mc->answered = 0;
		api_local_call(mc->req->al, name, params != NULL ?
		    value_dup(params) : NULL, api_multicall_done, mc);
		mc->calling = 0;
		if (!mc->answered)
			return;
	}
	api_reply_value(mc->req, mc->results);
	free(mc);
}

static void
api_local_multicall(struct api_req *req)
{
	struct api_multicall	*mc;

	mc = xcalloc(1, sizeof *mc);
	mc->req = req;
	mc->results = value_array();
	api_multicall_next(mc);
}
