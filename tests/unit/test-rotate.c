/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of util/rotate.c: rotation naming, truncation, reopening and
 * clearing in a private temporary directory, and the readLog and tail*Log
 * range rules of supervisord (expected values checked against its code).
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/rotate.h"
#include "util/xmalloc.h"

struct fixture {
	char	 dir[64];
	char	*log;
};

static char *
path_in(struct fixture *f, const char *name)
{
	return xprintf("%s/%s", f->dir, name);
}

/* Returns the contents of path (NUL-terminated), or NULL if missing. */
static char *
slurp(const char *path, size_t *lenp)
{
	char	*buf;
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return NULL;
	buf = xmalloc(65536);
	while ((n = read(fd, buf + len, 65535 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static void
assert_file(struct fixture *f, const char *name, const char *want)
{
	char	*path = path_in(f, name), *got;

	got = slurp(path, NULL);
	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
	free(path);
}

static void
put_file(const char *path, const char *data)
{
	int	 fd;

	fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
	assert_true(fd != -1);
	assert_int_equal(write(fd, data, strlen(data)), (ssize_t)strlen(data));
	close(fd);
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
setup(void **state)
{
	struct fixture	*f;

	f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test-rotate.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->log = path_in(f, "x.log");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	nftw(f->dir, rm_one, 8, FTW_DEPTH|FTW_PHYS);
	free(f->log);
	free(f);
	return 0;
}

static void
write_str(struct rotlog *rl, const char *s)
{
	assert_int_equal(rotlog_write(rl, s, strlen(s)), 0);
}

static void
test_rotate_naming(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	rl = rotlog_open(f->log, 10, 3, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rl->regular, 1);
	write_str(rl, "aaaaa");
	assert_int_equal(rl->size, 5);
	assert_file(f, "x.log.1", NULL);
	write_str(rl, "aaaaa");
	assert_int_equal(rl->size, 0);
	assert_file(f, "x.log", "");
	assert_file(f, "x.log.1", "aaaaaaaaaa");
	write_str(rl, "bbbbbbbbbbb");
	write_str(rl, "cccccccccc");
	assert_file(f, "x.log.1", "cccccccccc");
	assert_file(f, "x.log.2", "bbbbbbbbbbb");
	assert_file(f, "x.log.3", "aaaaaaaaaa");
	write_str(rl, "dddddddddd");
	write_str(rl, "e");
	assert_file(f, "x.log", "e");
	assert_file(f, "x.log.1", "dddddddddd");
	assert_file(f, "x.log.2", "cccccccccc");
	assert_file(f, "x.log.3", "bbbbbbbbbbb");
	assert_file(f, "x.log.4", NULL);
	rotlog_free(rl);
}

/* The log keeps its own copy of the path, stored with it. */
static void
test_path_copy(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *path, *name, *dir;

	dir = path_in(f, "a-rather-long-directory-name-for-a-log-of-a-program");
	assert_int_equal(mkdir(dir, 0700), 0);
	path = xprintf("%s/program-stdout.log", dir);
	rl = rotlog_open(path, 4, 1, 0600, &cause);
	assert_non_null(rl);
	assert_string_equal(rl->path, path);
	assert_int_equal(rl->mode, 0600);
	memset(path, 'x', strlen(path));
	free(path);
	write_str(rl, "abcd");
	name = xprintf("%s/program-stdout.log.1", dir);
	assert_int_equal(access(name, F_OK), 0);
	assert_int_equal(rotlog_clear(rl), 0);
	assert_int_equal(access(name, F_OK), 0);
	rotlog_free(rl);
	free(name);
	free(dir);
}

static void
test_rotate_gap(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *p;

	/* A missing middle backup is skipped, the others still move. */
	p = path_in(f, "x.log.2");
	put_file(p, "two");
	free(p);
	rl = rotlog_open(f->log, 4, 3, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "cur!");
	assert_file(f, "x.log.1", "cur!");
	assert_file(f, "x.log.2", NULL);
	assert_file(f, "x.log.3", "two");
	rotlog_free(rl);
}

static void
test_rotate_failure(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *dir, *inner;

	/* x.log cannot become x.log.1: the log keeps its data and goes on. */
	dir = path_in(f, "x.log.1");
	inner = path_in(f, "x.log.1/keep");
	assert_int_equal(mkdir(dir, 0700), 0);
	put_file(inner, "k");
	rl = rotlog_open(f->log, 5, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rotlog_write(rl, "12345", 5), -1);
	assert_file(f, "x.log", "12345");
	assert_int_equal(rotlog_write(rl, "6", 1), -1);
	assert_file(f, "x.log", "123456");

	assert_int_equal(unlink(inner), 0);
	assert_int_equal(rmdir(dir), 0);
	write_str(rl, "7");
	assert_file(f, "x.log", "");
	assert_file(f, "x.log.1", "1234567");
	rotlog_free(rl);
	free(inner);
	free(dir);
}

static void
test_backups_zero(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	rl = rotlog_open(f->log, 10, 0, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "123456789");
	assert_file(f, "x.log", "123456789");
	write_str(rl, "abc");
	assert_int_equal(rl->size, 0);
	assert_file(f, "x.log", "");
	assert_file(f, "x.log.1", NULL);
	write_str(rl, "z");
	assert_file(f, "x.log", "z");
	rotlog_free(rl);
}

static void
test_no_rotation(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, big[5000];

	memset(big, 'q', sizeof big);
	rl = rotlog_open(f->log, 0, 5, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rotlog_write(rl, big, sizeof big), 0);
	assert_int_equal(rotlog_write(rl, big, sizeof big), 0);
	assert_int_equal(rl->size, 10000);
	assert_file(f, "x.log.1", NULL);
	rotlog_free(rl);
}

static void
test_large_write(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, big[2440], *p, *got;
	size_t		 len;

	/* supervisord: a 2440-byte chunk lands whole in x.log.1 at 1 KB. */
	memset(big, 'L', sizeof big);
	rl = rotlog_open(f->log, 1024, 2, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rotlog_write(rl, big, sizeof big), 0);
	p = path_in(f, "x.log.1");
	got = slurp(p, &len);
	assert_non_null(got);
	assert_int_equal(len, sizeof big);
	assert_memory_equal(got, big, sizeof big);
	assert_file(f, "x.log", "");
	free(got);
	free(p);
	rotlog_free(rl);
}

static void
test_append_existing(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	put_file(f->log, "old\n");
	rl = rotlog_open(f->log, 10, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rl->size, 4);
	write_str(rl, "new\n");
	assert_file(f, "x.log", "old\nnew\n");
	write_str(rl, "!!");
	assert_file(f, "x.log.1", "old\nnew\n!!");
	rotlog_free(rl);
}

static void
test_mode_cloexec(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	struct stat	 sb;
	char		*cause = NULL, *p;
	mode_t		 old;

	old = umask(022);
	rl = rotlog_open(f->log, 0, 0, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(stat(f->log, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644);
	assert_true(fcntl(rl->fd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(rl->fd, F_GETFL) & O_APPEND);
	assert_false(fcntl(rl->fd, F_GETFL) & O_NONBLOCK);
	rotlog_free(rl);

	p = path_in(f, "auto.log");
	rl = rotlog_open(p, 1, 1, 0600, &cause);
	assert_non_null(rl);
	write_str(rl, "xx");
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_true(fcntl(rl->fd, F_GETFD) & FD_CLOEXEC);
	rotlog_free(rl);
	free(p);
	umask(old);
}

static void
test_open_error(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *p, *want;

	p = path_in(f, "nosuch/x.log");
	rl = rotlog_open(p, 0, 0, 0666, &cause);
	assert_null(rl);
	want = xprintf("%s: %s", p, strerror(ENOENT));
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(p);
}

static void
test_reopen(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *moved;

	rl = rotlog_open(f->log, 1000, 2, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "one\n");
	moved = path_in(f, "x.log.old");
	assert_int_equal(rename(f->log, moved), 0);
	write_str(rl, "two\n");
	assert_int_equal(rotlog_reopen(rl), 0);
	assert_int_equal(rl->size, 0);
	write_str(rl, "three\n");
	assert_file(f, "x.log", "three\n");
	assert_file(f, "x.log.old", "one\ntwo\n");
	free(moved);
	rotlog_free(rl);
}

static void
test_external_truncate(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	rl = rotlog_open(f->log, 10, 1, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "12345678");
	assert_int_equal(truncate(f->log, 0), 0);
	write_str(rl, "abc");
	assert_int_equal(rl->size, 3);
	assert_file(f, "x.log", "abc");
	assert_file(f, "x.log.1", NULL);
	rotlog_free(rl);
}

static void
test_clear(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	rl = rotlog_open(f->log, 5, 2, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "first");
	write_str(rl, "abc");
	assert_int_equal(rotlog_clear(rl), 0);
	assert_int_equal(rl->size, 0);
	assert_file(f, "x.log", "");
	assert_file(f, "x.log.1", "first");
	write_str(rl, "after");
	assert_file(f, "x.log.1", "after");
	assert_file(f, "x.log.2", "first");

	/* Clearing a log whose file was removed recreates it. */
	assert_int_equal(unlink(f->log), 0);
	assert_int_equal(rotlog_clear(rl), 0);
	assert_file(f, "x.log", "");
	rotlog_free(rl);
}

static void
test_set_limits(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;

	rl = rotlog_open(f->log, 0, 0, 0666, &cause);
	assert_non_null(rl);
	write_str(rl, "0123456789");
	rotlog_set_limits(rl, 8, 1);
	write_str(rl, "x");
	assert_file(f, "x.log.1", "0123456789x");
	assert_int_equal(rotlog_rotate(rl), 0);
	assert_file(f, "x.log.1", "");
	rotlog_free(rl);
}

static void
test_special_files(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL, *fifo, *p, buf[64];
	int		 rfd;

	rl = rotlog_open("/dev/null", 1, 3, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rl->regular, 0);
	write_str(rl, "into the void");
	assert_int_equal(rotlog_rotate(rl), 0);
	assert_int_equal(rotlog_clear(rl), 0);
	assert_int_equal(access("/dev/null", W_OK), 0);
	rotlog_free(rl);

	fifo = path_in(f, "fifo");
	assert_int_equal(mkfifo(fifo, 0600), 0);

	/* No reader: an error, not a loop stuck in open(). */
	assert_null(rotlog_open(fifo, 1, 1, 0666, &cause));
	assert_non_null(strstr(cause, fifo));
	free(cause);

	rfd = open(fifo, O_RDONLY|O_NONBLOCK|O_CLOEXEC);
	assert_true(rfd != -1);
	rl = rotlog_open(fifo, 1, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rl->regular, 0);
	write_str(rl, "hello");
	write_str(rl, "world");
	assert_int_equal(read(rfd, buf, sizeof buf), 10);
	assert_memory_equal(buf, "helloworld", 10);
	p = path_in(f, "fifo.1");
	assert_int_equal(access(p, F_OK), -1);
	free(p);
	rotlog_free(rl);
	close(rfd);
	free(fifo);
}

static void
test_write_errors(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	struct rlimit	 old, lim;
	char		*cause = NULL, big[150];
	void		(*oldsig)(int);

	rl = rotlog_open("/dev/full", 10, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(rotlog_write(rl, "x", 1), -1);
	assert_int_equal(errno, ENOSPC);
	assert_true(rl->fd != -1);
	rotlog_free(rl);

	/* A short write then EFBIG: the size tracks what was written. */
	memset(big, 'f', sizeof big);
	rl = rotlog_open(f->log, 1000, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(rotlog_write(rl, big, sizeof big), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_int_equal(rl->size, 100);
	write_str(rl, "ok");
	assert_int_equal(rl->size, 102);
	rotlog_free(rl);
}

/* A non-blocking pipe holding data; returns the read end, *w the write end. */
static int
pipe_with(const char *data, int *w)
{
	int	 fds[2];

	assert_int_equal(pipe2(fds, O_NONBLOCK|O_CLOEXEC), 0);
	assert_int_equal(write(fds[1], data, strlen(data)),
	    (ssize_t)strlen(data));
	*w = fds[1];
	return fds[0];
}

static void
splice_ok(struct rotlog *rl, int fd, size_t max, size_t want)
{
	size_t	 moved;

	assert_int_equal(rotlog_splice(rl, fd, max, &moved), 0);
	assert_int_equal(moved, want);
}

static void
test_splice(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;
	size_t		 moved = 99;
	int		 r, w, ext;

	put_file(f->log, "old\n");
	rl = rotlog_open(f->log, 0, 0, 0666, &cause);
	assert_non_null(rl);
	r = pipe_with("one\ntwo\n", &w);
	splice_ok(rl, r, 4, 4);
	assert_false(fcntl(rl->fd, F_GETFL) & O_APPEND);
	splice_ok(rl, r, 64, 4);
	assert_file(f, "x.log", "old\none\ntwo\n");
	assert_int_equal(rl->size, 12);
	assert_int_equal(rotlog_splice(rl, r, 64, &moved), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(moved, 0);

	/* Still at the end, as O_APPEND would be: others' appends and truncations. */
	ext = open(f->log, O_WRONLY|O_APPEND|O_CLOEXEC);
	assert_int_equal(write(ext, "ext\n", 4), 4);
	write_str(rl, "w\n");
	assert_int_equal(write(w, "s\n", 2), 2);
	splice_ok(rl, r, 64, 2);
	assert_file(f, "x.log", "old\none\ntwo\next\nw\ns\n");
	assert_int_equal(ftruncate(ext, 0), 0);
	assert_int_equal(write(w, "t\n", 2), 2);
	splice_ok(rl, r, 64, 2);
	write_str(rl, "u\n");
	assert_file(f, "x.log", "t\nu\n");
	assert_int_equal(rl->size, 4);
	close(ext);

	/* The writer gone and the pipe empty: end of file. */
	close(w);
	splice_ok(rl, r, 64, 0);
	close(r);
	rotlog_free(rl);
}

static void
test_splice_rotation(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	char		*cause = NULL;
	int		 r, w;

	/* Each splice stops at maxbytes: rotated files hold exactly that. */
	put_file(f->log, "abc");
	rl = rotlog_open(f->log, 10, 2, 0666, &cause);
	assert_non_null(rl);
	r = pipe_with("0123456789ABCDEFGHIJKLMNO", &w);
	splice_ok(rl, r, 64, 7);
	assert_file(f, "x.log.1", "abc0123456");
	assert_file(f, "x.log", "");
	assert_int_equal(rl->size, 0);
	assert_false(fcntl(rl->fd, F_GETFL) & O_APPEND);
	splice_ok(rl, r, 64, 10);
	splice_ok(rl, r, 64, 8);
	assert_file(f, "x.log.2", "abc0123456");
	assert_file(f, "x.log.1", "789ABCDEFG");
	assert_file(f, "x.log", "HIJKLMNO");

	/* Writes after a splice stay at the end and rotate as before. */
	write_str(rl, "xyz");
	assert_file(f, "x.log.1", "HIJKLMNOxyz");
	assert_file(f, "x.log", "");

	/* A file already past maxbytes takes one chunk, then rotates. */
	put_file(f->log, "0123456789012");
	assert_int_equal(rotlog_reopen(rl), 0);
	assert_int_equal(write(w, "pq", 2), 2);
	splice_ok(rl, r, 64, 2);
	assert_file(f, "x.log.1", "0123456789012pq");
	assert_file(f, "x.log", "");
	close(w);
	close(r);
	rotlog_free(rl);
}

static void
test_splice_errors(void **state)
{
	struct fixture	*f = *state;
	struct rotlog	*rl;
	struct rlimit	 old, lim;
	char		*cause = NULL, big[150], buf[8];
	size_t		 moved;
	void		(*oldsig)(int);
	int		 r, w;

	/* A special file takes no splice: the bytes stay in the pipe. */
	rl = rotlog_open("/dev/null", 0, 0, 0666, &cause);
	assert_non_null(rl);
	r = pipe_with("keep", &w);
	assert_int_equal(rotlog_splice(rl, r, 64, &moved), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(moved, 0);
	assert_int_equal(read(r, buf, sizeof buf), 4);
	rotlog_free(rl);

	/* EFBIG after a part: the part counts, the rest stays in the pipe. */
	memset(big, 'f', sizeof big);
	assert_int_equal(write(w, big, sizeof big), (ssize_t)sizeof big);
	rl = rotlog_open(f->log, 1000, 1, 0666, &cause);
	assert_non_null(rl);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 100;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	splice_ok(rl, r, sizeof big, 100);
	assert_int_equal(rotlog_splice(rl, r, sizeof big, &moved), -1);
	assert_int_equal(errno, EFBIG);
	assert_int_equal(moved, 0);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_int_equal(rl->size, 100);
	splice_ok(rl, r, sizeof big, 50);
	assert_int_equal(rl->size, 150);
	close(w);
	close(r);
	rotlog_free(rl);
}

static void
check_read(const char *path, long long off, long long len, const char *want)
{
	char	*out = NULL;
	size_t	 outlen;

	assert_int_equal(rotlog_read_range(path, off, len, &out, &outlen), 0);
	assert_int_equal(outlen, strlen(want));
	assert_string_equal(out, want);
	free(out);
}

static void
test_read_range(void **state)
{
	struct fixture	*f = *state;
	char		*out = NULL;
	size_t		 outlen;

	put_file(f->log, "0123456789");
	check_read(f->log, 0, 0, "0123456789");
	check_read(f->log, 3, 0, "3456789");
	check_read(f->log, 3, 4, "3456");
	check_read(f->log, 8, 5, "89");
	check_read(f->log, 20, 0, "");
	check_read(f->log, 20, 5, "");
	check_read(f->log, -3, 0, "789");
	check_read(f->log, -20, 0, "0123456789");
	check_read(f->log, LLONG_MIN, 0, "0123456789");
	check_read(f->log, 0, LLONG_MAX, "0123456789");
	check_read(f->log, LLONG_MAX, 1, "");
	assert_int_equal(rotlog_read_range(f->log, -3, 1, &out, &outlen), -2);
	assert_int_equal(rotlog_read_range(f->log, 0, -1, &out, &outlen), -2);
	assert_int_equal(rotlog_read_range(f->log, -1, -1, &out, &outlen), -2);
	assert_null(out);

	unlink(f->log);
	assert_int_equal(rotlog_read_range(f->log, 0, 0, &out, &outlen), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(rotlog_read_range(f->log, -1, 1, &out, &outlen), -1);
	assert_null(out);
}

static void
check_tail(const char *path, long long off, long long len, const char *want,
    long long wantsize, int wantover)
{
	char		*out = NULL;
	size_t		 outlen;
	long long	 size;
	int		 over;

	assert_int_equal(rotlog_tail(path, off, len, &out, &outlen, &size,
	    &over), 0);
	assert_string_equal(out, want);
	assert_int_equal(outlen, strlen(want));
	assert_int_equal(size, wantsize);
	assert_int_equal(over, wantover);
	free(out);
}

static void
test_tail(void **state)
{
	struct fixture	*f = *state;

	put_file(f->log, "abcdef");
	/* The quirk of tailFile: not "ef" but the whole file. */
	check_tail(f->log, 4, 10, "abcdef", 6, 0);
	check_tail(f->log, 0, 6, "abcdef", 6, 0);
	check_tail(f->log, 0, 3, "def", 6, 1);
	check_tail(f->log, 2, 2, "ef", 6, 1);
	check_tail(f->log, 5, 1, "f", 6, 0);
	check_tail(f->log, 6, 10, "", 6, 0);
	check_tail(f->log, 100, 5, "", 6, 0);
	check_tail(f->log, -5, 3, "def", 6, 1);
	check_tail(f->log, 0, -1, "", 6, 1);
	check_tail(f->log, LLONG_MAX, LLONG_MAX, "", 6, 0);
	check_tail(f->log, LLONG_MIN, LLONG_MIN, "", 6, 1);

	put_file(f->log, "");
	check_tail(f->log, 0, 1600, "", 0, 0);
	unlink(f->log);
	check_tail(f->log, 7, 1600, "", 0, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rotate_naming, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_path_copy, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate_gap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rotate_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_backups_zero, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_rotation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_large_write, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_append_existing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mode_cloexec, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_open_error, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_truncate, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_special_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_write_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_splice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_splice_rotation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_splice_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tail, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
