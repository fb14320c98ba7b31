/* SPDX-License-Identifier: ISC */
/*
 * The listening sockets of the HTTP servers, created as supervisord creates
 * them: a Unix socket bound under a temporary name and linked into place
 * (spec 12.1), or a TCP socket, with supervisord's start-up messages.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "rpc/http-internal.h"
#include "util/xmalloc.h"

#define HTTP_BACKLOG		1024

#define HTTP_IN_USE	"Another program is already listening on a port " \
	"that one of our HTTP servers is configured to use.  Shut this " \
	"program down first before starting supervisord."

char *
http_listen_error(int error)
{
	const char	*name = strerrorname_np(error);

	if (name == NULL)
		return xprintf("Cannot open an HTTP server: socket.error "
		    "reported %d", error);
	return xprintf("Cannot open an HTTP server: socket.error reported "
	    "errno.%s (%d)", name, error);
}

/* Whether something accepts connections on the socket file. */
static int
http_listen_in_use(const struct sockaddr_un *sun)
{
	int	 fd, used;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return 0;
	/* EAGAIN: a backlog so full is somebody's. */
	used = connect(fd, (const struct sockaddr *)sun, sizeof *sun) == 0 ||
	    errno == EAGAIN;
	close(fd);
	return used;
}

static int
http_listen_chown(const struct server_config *sc, char **cause)
{
	struct passwd	*pw;

	if (sc->chown_uid == (uid_t)-1 && sc->chown_gid == (gid_t)-1)
		return 0;
	if (chown(sc->path, sc->chown_uid, sc->chown_gid) == 0)
		return 0;
	if (errno != EPERM) {
		*cause = http_listen_error(errno);
		return -1;
	}
	pw = getpwuid(geteuid());
	*cause = xprintf("Not permitted to chown %s to uid/gid (%ld, %ld); "
	    "adjust \"sockchown\" value in config file or on command line to "
	    "values that the current user (%s) can successfully chown",
	    sc->path, sc->chown_uid == (uid_t)-1 ? -1L : (long)sc->chown_uid,
	    sc->chown_gid == (gid_t)-1 ? -1L : (long)sc->chown_gid,
	    pw != NULL ? pw->pw_name : "?");
	return -1;
}

/*
 * Binds <file>.<pid>, sets its mode, then hard-links it to <file>, so the
 * socket never appears under its real name with the wrong permissions, and
 * a live server on <file> is found instead of being replaced (spec 12.1).
 */
static int
http_listen_bind(const char *tmp, const struct sockaddr_un *sun,
    const struct server_config *sc, char **cause)
{
	struct sockaddr_un	 tsun;
	struct stat		 st;
	int			 fd, tries;

	memset(&tsun, 0, sizeof tsun);
	tsun.sun_family = AF_UNIX;
	strcpy(tsun.sun_path, tmp);
	for (tries = 0;; tries++) {
		unlink(tmp);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1 ||
		    bind(fd, (struct sockaddr *)&tsun, sizeof tsun) != 0 ||
		    chmod(tmp, (mode_t)sc->chmod) != 0)
			goto fail;
		if (link(tmp, sc->path) == 0)
			break;
		if (errno != EEXIST || tries == 5)
			goto fail;
		unlink(tmp);
		close(fd);
		if (http_listen_in_use(sun)) {
			*cause = xstrdup(HTTP_IN_USE);
			return -1;
		}
		/* Unlike supervisord, never remove what is not a socket. */
		if (lstat(sc->path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
			*cause = xprintf("Cannot open an HTTP server: %s exists "
			    "and is not a socket", sc->path);
			return -1;
		}
		fprintf(stderr, "Unlinking stale socket %s\n", sc->path);
		unlink(sc->path);
	}
	unlink(tmp);
	return fd;

fail:
	*cause = http_listen_error(errno);
	unlink(tmp);
	if (fd != -1)
		close(fd);
	return -1;
}

int
http_listen_unix(const struct server_config *sc, char **path, dev_t *dev,
    ino_t *ino, char **cause)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	char			*tmp;
	int			 fd;

	tmp = xprintf("%s.%ld", sc->path, (long)getpid());
	if (strlen(tmp) >= sizeof sun.sun_path) {
		*cause = xprintf("Cannot open an HTTP server: socket file name "
		    "%s is too long", sc->path);
		free(tmp);
		return -1;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sc->path);
	fd = http_listen_bind(tmp, &sun, sc, cause);
	free(tmp);
	if (fd == -1)
		return -1;
	if (stat(sc->path, &st) == 0) {
		*path = xstrdup(sc->path);
		*dev = st.st_dev;
		*ino = st.st_ino;
	}
	if (http_listen_chown(sc, cause) != 0 || listen(fd, HTTP_BACKLOG) != 0) {
		if (*cause == NULL)
			*cause = http_listen_error(errno);
		close(fd);
		return -1;
	}
	return fd;
}

int
http_listen_inet(const struct server_config *sc, char **cause)
{
	struct addrinfo	 hints, *res;
	const char	*host = sc->host != NULL ? sc->host : "";
	char		 port[16];
	int		 fd, error, one = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof port, "%d", sc->port);
	if ((error = getaddrinfo(*host != '\0' ? host : NULL, port, &hints,
	    &res)) != 0) {
		*cause = xprintf("Cannot open an HTTP server: cannot resolve "
		    "'%s': %s", host, gai_strerror(error));
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/*
	 * Accepted sockets inherit TCP_NODELAY: a reply written in two parts
	 * must not wait for a delayed ACK (40 ms per large reply otherwise).
	 */
	if (fd == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, HTTP_BACKLOG) != 0) {
		error = errno;
		*cause = error == EADDRINUSE ? xstrdup(HTTP_IN_USE) :
		    http_listen_error(error);
		if (fd != -1)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}
