/* SPDX-License-Identifier: ISC */
/*
 * What the files of the local API implementation share: the method table
 * entry, the call being served, and the reply helpers.
 */
#ifndef API_LOCAL_H
#define API_LOCAL_H

#include "api.h"
#include "api-local.h"
#include "core/supervisor.h"

struct api_local {
	struct supervisor		*sv;
	const struct api_local_hooks	*hooks;
	void				*hooks_arg;
};

/* One call in progress; freed by the reply. */
struct api_req {
	struct api_local	*al;
	const struct value	*params;	/* array, checked */
	struct value		*owned;
	api_done_cb		 cb;
	void			*arg;
};

struct api_method {
	const char	*name;
	/* Parameter types: s string, i int, b bool, x string or int, a array;
	 * after '|' optional. */
	const char	*params;
	const char	*signature;	/* methodSignature, comma-separated */
	const char	*help;
	void		(*fn)(struct api_req *req);
	int		 any_state;	/* allowed while shutting down */
};

extern const struct api_method api_methods[];
extern const size_t api_nmethods;

/* Replies; each frees req. v is owned. */
void	api_reply_value(struct api_req *req, struct value *v);
void	api_reply_fault(struct api_req *req, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	api_reply_true(struct api_req *req);

const struct value *api_param(const struct api_req *req, size_t i);
const char	*api_param_str(const struct api_req *req, size_t i);
/* An optional boolean parameter (wait), true by default. */
int		 api_param_bool(const struct api_req *req, size_t i, int dflt);

/*
 * Resolves a name of spec 7.2: *g and *p set for "g:p" or "p"; *p NULL for
 * "g:*" and "g:".  Returns -1 (BAD_NAME) if the group or process is unknown.
 */
int	api_lookup(struct api_local *al, const char *name,
	    struct process_group **g, struct process **p);

/* ProcessInfo of spec 9.6. */
struct value *api_process_info(const struct process *p);
/* {name, group, status, description} of group operations. */
struct value *api_result(const struct process *p, int code,
	    const char *description);

/* Method bodies: api-info.c */
void	api_info_api_version(struct api_req *req);
void	api_info_supervisor_version(struct api_req *req);
void	api_info_identification(struct api_req *req);
void	api_info_state(struct api_req *req);
void	api_info_pid(struct api_req *req);
void	api_info_read_log(struct api_req *req);
void	api_info_tail_log(struct api_req *req);
void	api_info_clear_log(struct api_req *req);
void	api_info_process_info(struct api_req *req);
void	api_info_all_process_info(struct api_req *req);
void	api_info_all_config_info(struct api_req *req);
void	api_info_read_stdout(struct api_req *req);
void	api_info_read_stderr(struct api_req *req);
void	api_info_tail_stdout(struct api_req *req);
void	api_info_tail_stderr(struct api_req *req);
void	api_info_clear_process_logs(struct api_req *req);
void	api_info_clear_all_process_logs(struct api_req *req);
void	api_info_send_stdin(struct api_req *req);
void	api_info_send_comm_event(struct api_req *req);

/* Method bodies: api-control.c */
void	api_control_shutdown(struct api_req *req);
void	api_control_restart(struct api_req *req);
void	api_control_reload_config(struct api_req *req);
void	api_control_add_group(struct api_req *req);
void	api_control_remove_group(struct api_req *req);
void	api_control_start(struct api_req *req);
void	api_control_start_group(struct api_req *req);
void	api_control_start_all(struct api_req *req);
void	api_control_stop(struct api_req *req);
void	api_control_stop_group(struct api_req *req);
void	api_control_stop_all(struct api_req *req);
void	api_control_signal(struct api_req *req);
void	api_control_signal_group(struct api_req *req);
void	api_control_signal_all(struct api_req *req);
void	api_control_update(struct api_req *req);

#endif
