/* SPDX-License-Identifier: ISC */
/*
 * A supervised program that writes a known pattern as fast as it can, so the
 * tests can check that every byte reached the log, in order.
 *
 * usage: flood [-bes] [-c chunk] [-d ms] [-m mark] bytes
 *   Writes bytes bytes (0: without end) to stdout, or stderr with -e, in
 *   writes of chunk bytes (default 65536), pausing ms milliseconds between
 *   writes (default 0).  Then prints mark and a newline if -m is given and
 *   exits 0, or with -s sleeps until killed.
 *   Pattern: 64-byte lines, "%015llu" (the line number from 0), 48 'x' and a
 *   newline; with -b byte k of the stream is k % 251 instead.
 *   A failed write (EAGAIN included) exits 3 with a message on stderr.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void
fill(char *buf, unsigned long long off, size_t len, int binary)
{
	char			line[80];
	unsigned long long	n, k;
	size_t			i;

	if (binary) {
		for (i = 0; i < len; i++)
			buf[i] = (char)((off + i) % 251);
		return;
	}
	for (i = 0; i < len; ) {
		n = (off + i) / 64;
		k = (off + i) % 64;
		snprintf(line, sizeof line, "%015llu", n);
		memset(line + 15, 'x', 48);
		line[63] = '\n';
		while (k < 64 && i < len)
			buf[i++] = line[k++];
	}
}

static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "flood: write: %s\n", strerror(errno));
			exit(3);
		}
		buf += n;
		len -= (size_t)n;
	}
}

int
main(int argc, char **argv)
{
	struct timespec		 ts;
	unsigned long long	 total, off = 0;
	const char		*mark = NULL;
	char			*buf;
	size_t			 chunk = 65536, len;
	long			 ms = 0;
	int			 ch, binary = 0, fd = 1, sflag = 0;

	while ((ch = getopt(argc, argv, "bc:d:em:s")) != -1) {
		switch (ch) {
		case 'b': binary = 1; break;
		case 'c': chunk = strtoul(optarg, NULL, 10); break;
		case 'd': ms = atol(optarg); break;
		case 'e': fd = 2; break;
		case 'm': mark = optarg; break;
		case 's': sflag = 1; break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 1 || chunk == 0)
		goto usage;
	total = strtoull(argv[optind], NULL, 10);
	if ((buf = malloc(chunk)) == NULL)
		return 1;

	while (total == 0 || off < total) {
		len = chunk;
		if (total != 0 && total - off < len)
			len = (size_t)(total - off);
		fill(buf, off, len, binary);
		write_all(fd, buf, len);
		off += len;
		if (ms > 0) {
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (ms % 1000) * 1000000L;
			nanosleep(&ts, NULL);
		}
	}
	free(buf);
	if (mark != NULL) {
		write_all(fd, mark, strlen(mark));
		write_all(fd, "\n", 1);
	}
	if (sflag)
		for (;;)
			pause();
	return 0;

usage:
	fprintf(stderr, "usage: flood [-bes] [-c chunk] [-d ms] [-m mark] "
	    "bytes\n");
	return 2;
}
