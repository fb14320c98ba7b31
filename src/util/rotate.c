/* SPDX-License-Identifier: ISC */
/*
 * Size-rotated log files: appending with supervisord's rotation rule, and
 * reading byte ranges with the rules of its readLog and tail*Log methods.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rotate.h"
#include "xmalloc.h"

/*
 * Largest range one read returns.  A readLog(0, 0) of a huge log would
 * otherwise make xmalloc abort the supervisor; such a request fails with
 * EFBIG instead (supervisord itself dies of MemoryError there).
 */
#define ROTLOG_READ_MAX	(256LL * 1024 * 1024)

static int
rotlog_openfd(const char *path, int mode, int trunc, int seekend,
    struct stat *sb)
{
	int	 fd, flags, saved;

	/*
	 * O_NONBLOCK only while opening, so that a fifo without a reader fails
	 * with ENXIO instead of hanging the loop.  Writes are blocking again,
	 * as in supervisord: a slow terminal or pipe holds the writer back
	 * rather than losing output.  splice(2) refuses O_APPEND files, so a
	 * log that splices seeks to the end before each write instead.
	 */
	flags = O_WRONLY|O_CREAT|O_CLOEXEC|O_NOCTTY|O_NONBLOCK;
	if (!seekend)
		flags |= O_APPEND;
	if (trunc)
		flags |= O_TRUNC;
	if ((fd = open(path, flags, mode)) == -1)
		return -1;
	if (fstat(fd, sb) == -1 ||
	    fcntl(fd, F_SETFL, seekend ? 0 : O_APPEND) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* Replaces the log's descriptor by fd, which the log now owns. */
static void
rotlog_install(struct rotlog *rl, int fd, const struct stat *sb)
{
	if (rl->fd != -1)
		close(rl->fd);
	rl->fd = fd;
	rl->regular = S_ISREG(sb->st_mode);
	rl->size = rl->regular ? (long long)sb->st_size : 0;
}

/* Opens the path again in append mode; the old descriptor stays on error. */
static int
rotlog_open_again(struct rotlog *rl, int trunc)
{
	struct stat	 sb;
	int		 fd;

	if ((fd = rotlog_openfd(rl->path, rl->mode, trunc, rl->seekend,
	    &sb)) == -1)
		return -1;
	rotlog_install(rl, fd, &sb);
	return 0;
}

struct rotlog *
rotlog_open(const char *path, long long maxbytes, int backups, int mode,
    char **cause)
{
	struct rotlog	*rl;
	size_t		 len = strlen(path) + 1;

	rl = xcalloc(1, sizeof *rl + len);
	memcpy(rl->path, path, len);
	rl->fd = -1;
	rl->maxbytes = maxbytes;
	rl->backups = backups;
	rl->mode = mode;
	if (rotlog_open_again(rl, 0) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		rotlog_free(rl);
		return NULL;
	}
	return rl;
}

/* Rotates if a write left the file at maxbytes or more: error, or rotation's. */
static int
rotlog_check(struct rotlog *rl, int error)
{
	if (rl->regular && rl->maxbytes > 0 && rl->size >= rl->maxbytes &&
	    rotlog_rotate(rl) == -1 && error == 0)
		error = errno;
	return error;
}

int
rotlog_write(struct rotlog *rl, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;
	off_t		 off;
	int		 error = 0;

	if (rl->fd == -1 && rotlog_open_again(rl, 0) == -1)
		return -1;

	/*
	 * Where O_APPEND would write: the end, as others may have appended to
	 * or truncated the file meanwhile.
	 */
	if (rl->seekend && rl->regular &&
	    (off = lseek(rl->fd, 0, SEEK_END)) != -1)
		rl->size = off;
	while (len > 0) {
		n = write(rl->fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = n == 0 ? EIO : errno;
			break;
		}
		p += n;
		len -= n;
		rl->size += n;
	}

	/*
	 * With O_APPEND the offset after a write is the end of the file, so
	 * this also notices a truncation by someone else, as supervisord's
	 * tell() does.  Only rotation needs it: without, the call is saved.
	 */
	if (!rl->seekend && rl->regular && rl->maxbytes > 0 &&
	    (off = lseek(rl->fd, 0, SEEK_CUR)) != -1)
		rl->size = off;

	/* A partial write may still have filled the file: rotate anyway. */
	error = rotlog_check(rl, error);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
rotlog_splice(struct rotlog *rl, int fd, size_t max, size_t *moved)
{
	size_t		 len = max;
	ssize_t		 n;
	off_t		 end;
	int		 error;

	*moved = 0;
	if (rl->fd == -1 && rotlog_open_again(rl, 0) == -1)
		return -1;
	if (!rl->regular) {
		errno = EINVAL;
		return -1;
	}
	if (!rl->seekend) {
		if (fcntl(rl->fd, F_SETFL, 0) == -1)
			return -1;
		rl->seekend = 1;
	}
	if ((end = lseek(rl->fd, 0, SEEK_END)) == -1)
		return -1;
	rl->size = end;

	/*
	 * Chunk boundaries are arbitrary anyway (supervisord's are its reads),
	 * so stop at maxbytes: each rotated file then holds exactly maxbytes.
	 */
	if (rl->maxbytes > 0 && end < rl->maxbytes &&
	    (long long)len > rl->maxbytes - end)
		len = (size_t)(rl->maxbytes - end);
	do
		n = splice(fd, NULL, rl->fd, NULL, len,
		    SPLICE_F_MOVE|SPLICE_F_NONBLOCK);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	*moved = (size_t)n;
	rl->size += n;
	if ((error = rotlog_check(rl, 0)) != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* Renames name.(n-1) -> name.n ... name -> name.1, stopping at an error. */
static int
rotlog_shift(struct rotlog *rl)
{
	char	*src, *dst;
	int	 i, error = 0;

	for (i = rl->backups - 1; i >= 0 && error == 0; i--) {
		if (i == 0)
			src = xstrdup(rl->path);
		else
			xasprintf(&src, "%s.%d", rl->path, i);
		xasprintf(&dst, "%s.%d", rl->path, i + 1);

		/*
		 * rename() replaces the oldest backup.  A missing source is a
		 * gap in the backups or a log removed by a cleanup script,
		 * which supervisord ignores too.
		 */
		if (rename(src, dst) == -1 && errno != ENOENT)
			error = errno;
		free(src);
		free(dst);
	}
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
rotlog_rotate(struct rotlog *rl)
{
	int	 error = 0;

	/* Renaming /dev/stdout or a fifo would be a disaster, not a rotation. */
	if (!rl->regular)
		return 0;
	if (rl->backups > 0 && rotlog_shift(rl) == -1)
		error = errno;

	/*
	 * If a rename failed, the current file is still in place: reopen it
	 * without truncating so the failed rotation loses nothing.  If the
	 * open fails, the old descriptor is kept and writing goes on there.
	 */
	if (rotlog_open_again(rl, error == 0) == -1)
		return -1;
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

int
rotlog_reopen(struct rotlog *rl)
{
	return rotlog_open_again(rl, 0);
}

int
rotlog_clear(struct rotlog *rl)
{
	/* supervisord would unlink /dev/stdout here; leave special files be. */
	if (!rl->regular && rl->fd != -1)
		return 0;
	if (unlink(rl->path) == -1 && errno != ENOENT)
		return -1;
	return rotlog_open_again(rl, 1);
}

void
rotlog_set_limits(struct rotlog *rl, long long maxbytes, int backups)
{
	rl->maxbytes = maxbytes;
	rl->backups = backups;
}

void
rotlog_free(struct rotlog *rl)
{
	if (rl == NULL)
		return;
	if (rl->fd != -1)
		close(rl->fd);
	free(rl);
}

/* Opens path for reading; *size is its size (0 for a special file). */
static int
rotlog_open_read(const char *path, long long *size)
{
	struct stat	 sb;
	int		 fd, saved;

	fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	*size = S_ISREG(sb.st_mode) ? (long long)sb.st_size : 0;
	return fd;
}

/*
 * Reads up to want bytes at offset into a new NUL-terminated buffer; fewer
 * if the file shrank meanwhile.
 */
static int
rotlog_pread(int fd, long long offset, long long want, char **out,
    size_t *outlen)
{
	char	*buf;
	size_t	 got = 0;
	ssize_t	 n;

	if (want > ROTLOG_READ_MAX) {
		errno = EFBIG;
		return -1;
	}
	buf = xmalloc((size_t)want + 1);
	while (got < (size_t)want) {
		n = pread(fd, buf + got, (size_t)want - got,
		    (off_t)(offset + (long long)got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		got += n;
	}
	buf[got] = '\0';
	*out = buf;
	*outlen = got;
	return 0;
}

/* Bytes available from offset in a file of size bytes, at most limit. */
static long long
rotlog_avail(long long size, long long offset, long long limit)
{
	if (offset >= size)
		return 0;
	if (limit > size - offset)
		return size - offset;
	return limit;
}

int
rotlog_read_range(const char *path, long long offset, long long length,
    char **out, size_t *outlen)
{
	long long	 size, pos, want;
	int		 fd, rc, saved;

	/* As readFile: an unreadable file fails before the arguments do. */
	if ((fd = rotlog_open_read(path, &size)) == -1)
		return -1;
	if ((offset < 0 && length != 0) || (offset >= 0 && length < 0)) {
		close(fd);
		return -2;
	}
	if (offset < 0) {
		want = offset == LLONG_MIN ? LLONG_MAX : -offset;
		pos = size > want ? size - want : 0;
	} else {
		pos = offset;
		want = length == 0 ? LLONG_MAX : length;
	}
	rc = rotlog_pread(fd, pos, rotlog_avail(size, pos, want), out, outlen);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* offset + length, saturated: the comparisons below stay right. */
static long long
rotlog_sum(long long a, long long b)
{
	long long	 r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? LLONG_MAX : LLONG_MIN;
	return r;
}

int
rotlog_tail(const char *path, long long offset, long long length,
    char **out, size_t *outlen, long long *size, int *overflow)
{
	long long	 sz, asked = offset;
	int		 fd, rc, saved;

	*overflow = 0;
	if ((fd = rotlog_open_read(path, &sz)) == -1) {
		/* tailFile answers ['', offset, False] when it cannot read. */
		saved = errno;
		*size = saved == ENOENT ? 0 : offset;
		*out = xstrdup("");
		*outlen = 0;
		errno = saved;
		return saved == ENOENT ? 0 : -1;
	}

	/*
	 * supervisord's tailFile, step by step, including its quirk: asking
	 * for 10 bytes at offset 4 of a 6-byte file moves the offset back to 0
	 * and returns all 6 bytes.
	 */
	if (sz > rotlog_sum(offset, length)) {
		*overflow = 1;
		offset = sz - 1;
	}
	if (rotlog_sum(offset, length) > sz) {
		if (offset > sz - 1)
			length = 0;
		offset = sz - length;
	}
	if (offset < 0)
		offset = 0;
	if (length < 0)
		length = 0;

	rc = rotlog_pread(fd, offset, rotlog_avail(sz, offset, length), out,
	    outlen);
	saved = errno;
	close(fd);
	*size = rc == 0 ? sz : asked;
	if (rc == -1) {
		*out = xstrdup("");
		*outlen = 0;
		*overflow = 0;
	}
	errno = saved;
	return rc;
}
