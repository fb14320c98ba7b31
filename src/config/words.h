/* SPDX-License-Identifier: ISC */
/*
 * command= word splitting with POSIX shell quoting rules as Python's shlex
 * applies them: single and double quotes, backslashes, newlines as blanks; no
 * variable expansion, globbing, pipes or redirection.
 */
#ifndef CONFIG_WORDS_H
#define CONFIG_WORDS_H

/*
 * Splits cmd into a NULL-terminated vector, returned in *argv (free with
 * words_free) with its length in *argc.  On an unterminated quote or a
 * trailing backslash returns -1 with *cause "No closing quotation" or
 * "No escaped character".
 */
int	words_split(const char *cmd, char ***argv, int *argc, char **cause);
void	words_free(char **argv);

#endif
