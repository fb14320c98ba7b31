/* SPDX-License-Identifier: ISC */
/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput over files, so that the seed
 * corpus and every input that once crashed are part of the unit suite, on
 * any compiler and without libFuzzer.  Arguments are files or directories
 * (their files in name order, dot files skipped); a directory that does not
 * exist is skipped, since git keeps no empty ones.  -v names each file
 * before it runs.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/xmalloc.h"

static int	 replay_verbose;

/* Reads path whole; the buffer is never NULL, even for an empty file. */
static uint8_t *
replay_read(const char *path, size_t *len)
{
	uint8_t	*buf = NULL;
	size_t	 size = 0;
	ssize_t	 n;
	int	 fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (*len == size) {
			size = size == 0 ? 4096 : size * 2;
			buf = xrealloc(buf, size);
		}
		if ((n = read(fd, buf + *len, size - *len)) < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return NULL;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	close(fd);
	return buf;
}

static int
replay_file(const char *path)
{
	uint8_t	*buf;
	size_t	 len;

	if ((buf = replay_read(path, &len)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (replay_verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int
replay_skip(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* Returns the number of files run, or -1. */
static int
replay_dir(const char *dir)
{
	struct dirent	**names;
	struct stat	  st;
	char		 *path;
	int		  n, i, count = 0, rc = 0;

	if ((n = scandir(dir, &names, replay_skip, alphasort)) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		path = xprintf("%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) != 0)
				rc = -1;
			count++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc == 0 ? count : -1;
}

int
main(int argc, char **argv)
{
	struct stat	 st;
	const char	*name;
	int		 i, n, total = 0, rc = 0;

	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			replay_verbose = 1;
			continue;
		}
		if (stat(argv[i], &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) != 0)
				rc = 1;
			total++;
			continue;
		}
		if ((n = replay_dir(argv[i])) < 0)
			rc = 1;
		else
			total += n;
	}
	printf("%s: %d inputs\n", name, total);
	return rc;
}
