/* SPDX-License-Identifier: MIT */
/* Stream sockets named as QEMU names them: unix:PATH or tcp:HOST:PORT. */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/socket.h"

int socket_open(const char *addr, bool server, struct error **errp)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = server ? AI_PASSIVE : 0 };
	struct addrinfo *res = NULL;
	struct sockaddr *sa = (struct sockaddr *)&un;
	socklen_t salen = sizeof(un);
	int fd, r, one = 1, family = AF_UNIX;

	if (!strncmp(addr, "unix:", 5)) {
		if (strlen(addr + 5) >= sizeof(un.sun_path) || !addr[5]) {
			error_setg(errp, "bad socket path '%s'", addr + 5);
			return -1;
		}
		strcpy(un.sun_path, addr + 5);
		if (server) {
			unlink(un.sun_path);
		}
	} else if (!strncmp(addr, "tcp:", 4)) {
		char *host = strdup(addr + 4), *port = strrchr(host, ':');

		if (!port) {
			error_setg(errp, "'%s': expected tcp:HOST:PORT", addr);
			free(host);
			return -1;
		}
		*port++ = '\0';
		r = getaddrinfo(*host ? host : NULL, port, &hints, &res);
		free(host);
		if (r) {
			error_setg(errp, "'%s': %s", addr, gai_strerror(r));
			return -1;
		}
		sa = res->ai_addr;
		salen = res->ai_addrlen;
		family = res->ai_family;
	} else {
		error_setg(errp, "'%s': expected unix:PATH or tcp:HOST:PORT",
			   addr);
		return -1;
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		r = server ? bind(fd, sa, salen) : connect(fd, sa, salen);
		r = r < 0 || !server ? r : listen(fd, 16);
		if (r < 0) {
			error_setg_errno(errp, errno, "could not %s '%s'",
					 server ? "listen on" : "connect to",
					 addr);
			close(fd);
			fd = -1;
		}
	} else {
		error_setg_errno(errp, errno, "socket");
	}
	if (res) {
		freeaddrinfo(res);
	}
	return fd;
}
