/* SPDX-License-Identifier: ISC */
/*
 * Shared inside config/ by config.c and config-client.c: reading a file
 * for taskmasterctl, which needs only its [supervisorctl] section, and
 * reading that section.
 */
#ifndef CONFIG_CONFIG_CLIENT_H
#define CONFIG_CONFIG_CLIENT_H

struct config_load;
struct ini;

/*
 * Reads path into ini as ini_read_file() does, with the same errors, but
 * leaves out the sections other than [supervisorctl], [DEFAULT] and
 * [include] when no line of the file can be an error.
 */
int	config_client_read(struct ini *ini, const char *path, char **cause);
/* Reads [supervisorctl] (or its defaults) into ld->cfg->ctl. */
int	config_client_ctl(struct config_load *ld);

#endif
