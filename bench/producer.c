/* SPDX-License-Identifier: ISC */
/*
 * The log producer of the benchmarks: writes a given number of bytes of
 * numbered text lines to stdout, one write(2) per line or in 64 KiB blocks,
 * and records its monotonic start and end times in a side file so that the
 * wall time of a capture can be measured from its first byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK_TARGET	65536

static long long
now_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
stamp(const char *path, const char *what)
{
	FILE	*f;

	if ((f = fopen(path, "a")) == NULL)
		exit(3);
	fprintf(f, "%s %lld\n", what, now_ns());
	fclose(f);
}

/* Writes all of buf, retrying short writes; exits on any error. */
static void
write_all(const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(STDOUT_FILENO, buf, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			exit(1);
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Adds one to a 12-digit decimal counter. */
static void
line_increment(char *digits)
{
	int	i;

	for (i = 11; i >= 0; i--) {
		if (digits[i] != '9') {
			digits[i]++;
			return;
		}
		digits[i] = '0';
	}
}

/* Fills one line of len bytes: a counter, a space, filler text, a newline. */
static void
line_init(char *line, size_t len)
{
	size_t	i;

	memset(line, '0', 12);
	line[12] = ' ';
	for (i = 13; i < len - 1; i++)
		line[i] = 'a' + (char)(i % 26);
	line[len - 1] = '\n';
}

int
main(int argc, char **argv)
{
	char		*block, *line, counter[12];
	size_t		 linelen, nlines, i, blocklen;
	long long	 total, done, chunk;
	int		 bulk;

	if (argc != 6) {
		fprintf(stderr, "usage: producer line|bulk BYTES LINELEN "
		    "STAMPFILE DELAY_MS\n");
		return 2;
	}
	bulk = strcmp(argv[1], "bulk") == 0;
	total = atoll(argv[2]);
	linelen = (size_t)atol(argv[3]);
	if (linelen < 16 || linelen > 4096 || total <= 0)
		return 2;
	nlines = bulk ? BLOCK_TARGET / linelen : 1;
	blocklen = nlines * linelen;
	if ((block = malloc(blocklen)) == NULL)
		return 3;
	for (i = 0; i < nlines; i++)
		line_init(block + i * linelen, linelen);
	memset(counter, '0', sizeof counter);
	usleep((useconds_t)atoi(argv[5]) * 1000);

	stamp(argv[4], "start");
	for (done = 0; done < total; done += chunk) {
		for (i = 0; i < nlines; i++) {
			line = block + i * linelen;
			memcpy(line, counter, 12);
			line_increment(counter);
		}
		chunk = total - done < (long long)blocklen ?
		    total - done : (long long)blocklen;
		write_all(block, (size_t)chunk);
	}
	stamp(argv[4], "end");
	free(block);
	return 0;
}
