/* SPDX-License-Identifier: ISC */
/*
 * A supervised program that writes output a log must keep as it is: an
 * endless line without a newline, or a block of invalid UTF-8, control bytes
 * and XML specials, repeated.
 *
 * usage: spewer [-es] [-c chunk] [-m mode] bytes
 *        spewer -P [-m mode]
 *   Writes bytes bytes (0: without end) of the mode's pattern to stdout, or
 *   stderr with -e, in writes of chunk bytes (default 4093, odd so that
 *   writes cut multi-byte sequences), then exits 0, or with -s sleeps until
 *   killed.  -P prints one block of the pattern and exits.
 *   Modes: "n" (default): the letters a-z over and over, never a newline;
 *   "x": the block of bad bytes below.
 *   A failed write exits 3 with a message on stderr.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Valid multi-byte text, XML specials, C0 controls, and broken UTF-8. */
static const char bad_block[] =
    "ok:\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e &<>]]>\"' "
    "ctl:\x01\x02\x07\x08\x0b\x0c\x1b[31m\x1b]0;t\x07\x7f\x00 "
    "bad:\xff\xfe\xc3\x28\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\x80\xe2\x82 "
    "\xef\xbf\xbe\xef\xbf\xbf\r\n";

static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "spewer: write: %s\n", strerror(errno));
			exit(3);
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void
fill(char *buf, unsigned long long off, size_t len, int mode)
{
	size_t	i, blen = sizeof bad_block - 1;

	for (i = 0; i < len; i++) {
		if (mode == 'x')
			buf[i] = bad_block[(off + i) % blen];
		else
			buf[i] = (char)('a' + (off + i) % 26);
	}
}

int
main(int argc, char **argv)
{
	unsigned long long	 total, off = 0;
	char			*buf;
	size_t			 chunk = 4093, len;
	int			 ch, fd = 1, mode = 'n', sflag = 0, pflag = 0;

	while ((ch = getopt(argc, argv, "c:em:Ps")) != -1) {
		switch (ch) {
		case 'c': chunk = strtoul(optarg, NULL, 10); break;
		case 'e': fd = 2; break;
		case 'm': mode = optarg[0]; break;
		case 'P': pflag = 1; break;
		case 's': sflag = 1; break;
		default:
			goto usage;
		}
	}
	if (mode != 'n' && mode != 'x')
		goto usage;
	if (pflag) {
		if (mode == 'x')
			write_all(1, bad_block, sizeof bad_block - 1);
		else
			write_all(1, "abcdefghijklmnopqrstuvwxyz", 26);
		return 0;
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
		fill(buf, off, len, mode);
		write_all(fd, buf, len);
		off += len;
	}
	free(buf);
	if (sflag)
		for (;;)
			pause();
	return 0;

usage:
	fprintf(stderr, "usage: spewer [-es] [-c chunk] [-m n|x] bytes\n"
	    "       spewer -P [-m n|x]\n");
	return 2;
}
