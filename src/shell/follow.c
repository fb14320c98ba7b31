/* SPDX-License-Identifier: ISC */
/*
 * Following a log by polling: tail*(name, 0, 0) gives the log's size, and
 * the bytes after what was shown are then read by offset with read*, as
 * tail*'s own offsets would send the whole file again (spec 9.5).  A log
 * that shrank was rotated or cleared: it is read again from its start.
 */
#include <stdlib.h>

#include "follow.h"
#include "util/value.h"
#include "util/xmalloc.h"

/* At most this much per round, so a burst is shown in several answers. */
#define FOLLOW_READ_MAX	(1024 * 1024)

static struct value *
follow_params(const struct follow *f, long long offset, long long length)
{
	struct value	*params = value_array();

	if (f->name != NULL)
		value_array_push(params, value_string(f->name));
	value_array_push(params, value_int(offset));
	value_array_push(params, value_int(length));
	return params;
}

static int
follow_answer(struct follow *f, const struct api_reply *r)
{
	f->busy = 0;
	return f->ops->answer(f, r);
}

static void
follow_data_reply(const struct api_reply *r, void *arg)
{
	struct follow	*f = arg;

	if (follow_answer(f, r) != 0)
		return;
	if (r->result->type == VALUE_STRING) {
		f->offset += (long long)r->result->u.str.len;
		f->ops->write(f, r->result->u.str.ptr, r->result->u.str.len);
	}
	f->ops->idle(f);
}

static void
follow_size_reply(const struct api_reply *r, void *arg)
{
	struct follow		*f = arg;
	const struct value	*data, *size;
	long long		 sz, len;

	if (follow_answer(f, r) != 0)
		return;
	data = value_array_at(r->result, 0);
	size = value_array_at(r->result, 1);
	sz = size != NULL && size->type == VALUE_INT ? size->u.i : 0;
	if (f->offset < 0) {
		f->offset = sz;
		if (data != NULL && data->type == VALUE_STRING)
			f->ops->write(f, data->u.str.ptr, data->u.str.len);
	} else if (sz < f->offset)
		f->offset = 0;
	if (sz <= f->offset) {
		f->ops->idle(f);
		return;
	}
	len = sz - f->offset > FOLLOW_READ_MAX ? FOLLOW_READ_MAX :
	    sz - f->offset;
	f->busy = 1;
	api_call(f->api, f->read_method, follow_params(f, f->offset, len),
	    follow_data_reply, f);
}

void
follow_init(struct follow *f, struct api *api, const char *name,
    const char *tail_method, const char *read_method, long long first,
    const struct follow_ops *ops, void *arg)
{
	f->api = api;
	f->name = name != NULL ? xstrdup(name) : NULL;
	f->tail_method = tail_method;
	f->read_method = read_method;
	f->first = first;
	f->offset = -1;
	f->busy = 0;
	f->ops = ops;
	f->arg = arg;
}

void
follow_clear(struct follow *f)
{
	free(f->name);
	f->name = NULL;
}

void
follow_round(struct follow *f)
{
	f->busy = 1;
	api_call(f->api, f->tail_method, follow_params(f, 0,
	    f->offset < 0 ? f->first : 0), follow_size_reply, f);
}
