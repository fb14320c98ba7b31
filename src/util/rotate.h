/* SPDX-License-Identifier: ISC */
/*
 * Size-rotated log files with supervisord's naming: when a write leaves the
 * file at or past maxbytes, name.(n-1) -> name.n ... name -> name.1 and a new
 * empty name is opened.  Used by the main log and by child output logs.
 */
#ifndef UTIL_ROTATE_H
#define UTIL_ROTATE_H

#include <stddef.h>

/* Allocated in one block with its path: one allocation per child log. */
struct rotlog {
	long long	 size;		/* current size, tracked by us */
	long long	 maxbytes;	/* 0: never rotate */
	int		 fd;		/* -1 when closed */
	int		 backups;	/* 0: truncate instead of renaming */
	unsigned short	 mode;		/* creation mode, e.g. 0666 or 0600 */
	unsigned char	 regular;	/* a regular file (else never rotated) */
	unsigned char	 seekend;	/* no O_APPEND: seek to the end to write */
	char		 path[];
};

/*
 * Opens path for appending (O_CLOEXEC, created with mode & ~umask).  Returns
 * NULL with *cause set (allocated, "<path>: <strerror>") on error.
 */
struct rotlog	*rotlog_open(const char *path, long long maxbytes, int backups,
		    int mode, char **cause);
/*
 * Writes all of buf, then rotates if the file reached maxbytes (a single
 * large write may therefore exceed it, as in supervisord).  Returns 0, or -1
 * with errno set when the write failed (bytes not written are dropped).
 */
int		 rotlog_write(struct rotlog *rl, const void *buf, size_t len);
/*
 * Moves up to max bytes from the pipe fd to the file with splice(2), no more
 * than fit below maxbytes, then rotates as rotlog_write does; from then on the
 * file is written without O_APPEND (which splice refuses) at its end.  Returns
 * 0 with the bytes moved in *moved (0: end of the pipe), or -1 with errno set:
 * EAGAIN for an empty pipe, EINVAL when the file cannot take a splice (a
 * special file), else the write error, or the rotation's with *moved > 0.
 */
int		 rotlog_splice(struct rotlog *rl, int fd, size_t max,
		    size_t *moved);
/* Rotates now (renames backups, reopens an empty file). */
int		 rotlog_rotate(struct rotlog *rl);
/* Closes and reopens the same path (SIGUSR2, external logrotate). */
int		 rotlog_reopen(struct rotlog *rl);
/* Removes the current file and opens a new empty one; backups untouched. */
int		 rotlog_clear(struct rotlog *rl);
/* Changes the limits of an open log (reload). */
void		 rotlog_set_limits(struct rotlog *rl, long long maxbytes,
		    int backups);
void		 rotlog_free(struct rotlog *rl);

/*
 * Reads a byte range of the file at path with supervisord's readLog rules:
 * offset < 0 (length must be 0) gives the last -offset bytes; offset >= 0
 * with length 0 reads to the end, else up to length bytes.  Returns 0 and an
 * allocated buffer in *out and *outlen, -1 with errno set on I/O error, or -2 for
 * bad arguments.
 */
int		 rotlog_read_range(const char *path, long long offset,
		    long long length, char **out, size_t *outlen);
/*
 * supervisord's tail*Log rules: returns the data, the file's size in *size
 * and whether bytes were skipped in *overflow.  A missing file gives "" and
 * size 0.
 */
int		 rotlog_tail(const char *path, long long offset, long long length,
		    char **out, size_t *outlen, long long *size, int *overflow);

#endif
