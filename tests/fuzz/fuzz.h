/* SPDX-License-Identifier: ISC */
/*
 * What the fuzz targets share: libFuzzer's entry point, which replay.c also
 * drives, and a private scratch directory for targets that need files.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Runs one input; returns 0, or -1 to keep the input out of the corpus.
 * Any fault (a crash, a leak, a broken property) aborts.
 */
int		 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The scratch directory, made on the first call and removed with its files
 * at exit; the environment is cleared at the same time, so that nothing of
 * the caller's leaks into expansions and paths.
 */
const char	*fuzz_dir(void);
/* The path of name in the scratch directory (allocated). */
char		*fuzz_path(const char *name);
/* Replaces the file at path with len bytes of data; aborts on failure. */
void		 fuzz_write(const char *path, const void *data, size_t len);
/* data as a NUL-terminated string (allocated); a NUL inside ends it. */
char		*fuzz_string(const uint8_t *data, size_t size);
/* Reports a broken property of the code under test and aborts. */
void		 fuzz_fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

#endif
