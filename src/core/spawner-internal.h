/* SPDX-License-Identifier: ISC */
/*
 * What the supervisor's side of the spawner (spawner.c) and the spawner
 * itself (child.c) agree on: the layout of a chunk of requests and of its
 * answer.
 */
#ifndef CORE_SPAWNER_INTERNAL_H
#define CORE_SPAWNER_INTERNAL_H

#include <sys/types.h>

#include <stdint.h>

/*
 * A chunk: a uint64_t count, then per request its size (uint64_t, the
 * entry's length rounded up to 8), this header, the groups and the
 * NUL-terminated strings; its descriptors in order, 3 or 4 each.
 */
struct spawner_request {
	int		set_user;
	uid_t		uid;
	gid_t		gid;
	int		ngroups;
	int		umask;
	pid_t		parent;
	int		has_dir;
	int		same_err;	/* stderr is the stdout pipe */
	uint32_t	argc, envc;
};

struct spawner_reply {
	pid_t		pid;		/* 0: not created, see error */
	int		error;
};

#define SPAWNER_MAX	(128 * 1024)	/* a chunk; larger requests fork */
#define SPAWNER_FD	3		/* the socket, in the spawner */
#define SPAWNER_NFDS	4		/* per request, at most */
#define SPAWNER_CHUNK	8

/* child.c: the spawner's loop on socket fd, a child of parent. */
void	 spawner_main(int fd, pid_t parent) __attribute__((noreturn));

#endif
