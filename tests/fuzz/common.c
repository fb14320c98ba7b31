/* SPDX-License-Identifier: ISC */
/*
 * Helpers of the fuzz targets: the scratch directory that the config and
 * HTTP targets put their files and sockets in, and failure reports.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "util/xmalloc.h"

static char	*fuzz_scratch;

/* Only the process that made the directory removes it. */
static pid_t	 fuzz_owner;

static void
fuzz_cleanup(void)
{
	struct dirent	*de;
	DIR		*d;
	char		*path;

	if (fuzz_scratch == NULL || getpid() != fuzz_owner)
		return;
	if ((d = opendir(fuzz_scratch)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			path = fuzz_path(de->d_name);
			unlink(path);
			free(path);
		}
		closedir(d);
	}
	rmdir(fuzz_scratch);
	free(fuzz_scratch);
	fuzz_scratch = NULL;
}

const char *
fuzz_dir(void)
{
	char	 tmpl[] = "/tmp/taskmaster-fuzz-XXXXXX";

	if (fuzz_scratch != NULL)
		return fuzz_scratch;
	if (mkdtemp(tmpl) == NULL)
		fuzz_fail("mkdtemp %s failed", tmpl);
	fuzz_scratch = xstrdup(tmpl);
	fuzz_owner = getpid();
	atexit(fuzz_cleanup);
	/* ENV_ names and $PATH lookups must not depend on who runs us. */
	clearenv();
	setenv("PATH", "/nonexistent", 1);
	setenv("HOME", fuzz_scratch, 1);
	setenv("TZ", "UTC", 1);
	setenv("FUZZ", "1", 1);
	return fuzz_scratch;
}

char *
fuzz_path(const char *name)
{
	return xprintf("%s/%s", fuzz_dir(), name);
}

void
fuzz_write(const char *path, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644)) == -1)
		fuzz_fail("open %s failed", path);
	while (len > 0) {
		if ((n = write(fd, p, len)) <= 0)
			fuzz_fail("write %s failed", path);
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

char *
fuzz_string(const uint8_t *data, size_t size)
{
	char	*s;

	s = xmalloc(size + 1);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
