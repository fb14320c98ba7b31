/* SPDX-License-Identifier: ISC */
/*
 * Fuzz target of the command= word splitter.  Besides not crashing, the
 * words must survive a round trip: quoted back with single quotes and split
 * again, they come out the same.
 */
#include <stdlib.h>
#include <string.h>

#include "config/words.h"
#include "fuzz.h"
#include "util/xmalloc.h"

/* The words joined as a shell would need them: 'a'\''b' for a'b. */
static char *
fuzz_words_quote(char **argv, int argc)
{
	char	*out, *p;
	size_t	 len = 1, i;
	int	 n;

	for (n = 0; n < argc; n++)
		len += 4 * strlen(argv[n]) + 3;
	p = out = xmalloc(len);
	for (n = 0; n < argc; n++) {
		if (n > 0)
			*p++ = ' ';
		*p++ = '\'';
		for (i = 0; argv[n][i] != '\0'; i++) {
			if (argv[n][i] == '\'') {
				memcpy(p, "'\\''", 4);
				p += 4;
			} else
				*p++ = argv[n][i];
		}
		*p++ = '\'';
	}
	*p = '\0';
	return out;
}

static void
fuzz_words_check(const char *cmd, char **argv, int argc)
{
	size_t	total = 0;
	int	n;

	if (argc < 0 || argv == NULL || argv[argc] != NULL)
		fuzz_fail("bad vector for '%s'", cmd);
	for (n = 0; n < argc; n++) {
		if (argv[n] == NULL)
			fuzz_fail("word %d of '%s' missing", n, cmd);
		total += strlen(argv[n]);
	}
	/* Quotes and backslashes only ever take characters away. */
	if (total > strlen(cmd))
		fuzz_fail("words of '%s' longer than the text", cmd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*cmd, *quoted, *cause = NULL, **argv, **again;
	int	 argc, argc2, n;

	cmd = fuzz_string(data, size);
	if (words_split(cmd, &argv, &argc, &cause) != 0) {
		if (cause == NULL)
			fuzz_fail("words_split failed silently");
		free(cause);
		free(cmd);
		return 0;
	}
	fuzz_words_check(cmd, argv, argc);
	quoted = fuzz_words_quote(argv, argc);
	if (words_split(quoted, &again, &argc2, &cause) != 0)
		fuzz_fail("'%s' (from '%s') does not split: %s", quoted, cmd,
		    cause);
	if (argc2 != argc)
		fuzz_fail("'%s' gives %d words, '%s' %d", cmd, argc, quoted,
		    argc2);
	for (n = 0; n < argc; n++) {
		if (strcmp(argv[n], again[n]) != 0)
			fuzz_fail("word %d of '%s' is '%s', quoted '%s'", n,
			    cmd, argv[n], again[n]);
	}
	words_free(again);
	words_free(argv);
	free(quoted);
	free(cmd);
	return 0;
}
