/* SPDX-License-Identifier: MIT */
/* The socket chardev: a unix or TCP stream, as server or client. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/core/bql.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "util/types.h"

struct chardev_socket {
	struct chardev chr;
	int listen_fd; /* server: the listening socket, else -1 */
	int conn_fd; /* the connected peer, -1 when none */
	char *unix_path; /* server: unlinked on close */
};

static int chardev_socket_unix(const char *path, bool server,
			       struct error **errp)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		error_setg(errp, "socket path '%s' is too long", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		error_setg_errno(errp, errno, "socket");
		return -1;
	}
	if (server) {
		unlink(path);
		if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		    listen(fd, 1) < 0) {
			error_setg_errno(errp, errno,
					 "could not listen on '%s'", path);
			close(fd);
			return -1;
		}
	} else if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		error_setg_errno(errp, errno, "could not connect to '%s'",
				 path);
		close(fd);
		return -1;
	}
	return fd;
}

static int chardev_socket_tcp(const char *host, const char *port, bool server,
			      struct error **errp)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = server ? AI_PASSIVE : 0 };
	struct addrinfo *res;
	int fd, one = 1, r;

	r = getaddrinfo(host && *host ? host : NULL, port, &hints, &res);
	if (r) {
		error_setg(errp, "address '%s:%s': %s", host ? host : "", port,
			   gai_strerror(r));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		error_setg_errno(errp, errno, "socket");
		freeaddrinfo(res);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (server) {
		r = bind(fd, res->ai_addr, res->ai_addrlen);
		r = r < 0 ? r : listen(fd, 1);
	} else {
		r = connect(fd, res->ai_addr, res->ai_addrlen);
	}
	freeaddrinfo(res);
	if (r < 0) {
		error_setg_errno(errp, errno, "could not %s %s:%s",
				 server ? "listen on" : "connect to",
				 host ? host : "", port);
		close(fd);
		return -1;
	}
	return fd;
}

static void chardev_socket_connected(struct chardev_socket *s, int fd)
{
	if (fd < 0) {
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	/* Guest devices write under the big lock from vCPU threads. */
	bql_lock();
	s->conn_fd = fd;
	bql_unlock();
	chardev_set_input_fd(&s->chr, fd);
	if (s->chr.has_frontend && s->chr.fe.event) {
		s->chr.fe.event(s->chr.fe.opaque, CHARDEV_EVENT_OPENED);
	}
}

static void chardev_socket_accept(void *opaque, uint32_t events)
{
	struct chardev_socket *s = opaque;
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		return;
	}
	if (s->conn_fd >= 0) {
		close(fd); /* one peer at a time, like QEMU */
		return;
	}
	chardev_socket_connected(s, fd);
}

static void chardev_socket_listen(struct chardev_socket *s)
{
	main_loop_watch_fd(s->listen_fd, EPOLLIN, chardev_socket_accept, s);
}

static struct chardev_socket *chardev_socket_alloc(int fd, bool server,
						   const char *path)
{
	struct chardev_socket *s = calloc(1, sizeof(*s));

	if (!s) {
		return NULL;
	}
	s->listen_fd = server ? fd : -1;
	s->conn_fd = -1;
	s->unix_path = server && path ? strdup(path) : NULL;
	chardev_init_common(&s->chr, NULL, -1);
	return s;
}

static struct chardev *chardev_socket_open(struct opts *opts,
					   struct error **errp)
{
	const char *path = opts_get(opts, "path");
	const char *host = opts_get(opts, "host");
	const char *port = opts_get(opts, "port");
	struct chardev_socket *s;
	bool server, wait;
	int fd;

	if (!opts_get_bool(opts, "server", false, &server, errp) ||
	    !opts_get_bool(opts, "wait", true, &wait, errp)) {
		return NULL;
	}
	opts_get(opts, "telnet"); /* accepted, treated as a raw stream */
	if (path) {
		fd = chardev_socket_unix(path, server, errp);
	} else if (port) {
		fd = chardev_socket_tcp(host, port, server, errp);
	} else {
		error_setg(errp, "-chardev socket: path= or port= is required");
		return NULL;
	}
	if (fd < 0) {
		return NULL;
	}
	s = chardev_socket_alloc(fd, server, path);
	if (!s) {
		close(fd);
		error_setg(errp, "out of memory");
		return NULL;
	}
	if (!server) {
		chardev_socket_connected(s, fd);
	} else if (wait) {
		fprintf(stderr, "mimic: waiting for connection on %s\n",
			path ? path : port);
		chardev_socket_connected(s,
					 accept4(fd, NULL, NULL, SOCK_CLOEXEC));
	}
	return &s->chr;
}

static void chardev_socket_write(struct chardev *chr, const uint8_t *buf,
				 size_t len)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->conn_fd >= 0) {
		chardev_write_fd(s->conn_fd, buf, len);
	}
}

static void chardev_socket_start_input(struct chardev *chr)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->listen_fd >= 0 && s->conn_fd < 0) {
		chardev_socket_listen(s);
	}
}

static void chardev_socket_hangup(struct chardev *chr)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->conn_fd >= 0) {
		/* Not while a vCPU writes to it: the number could be reused. */
		bql_lock();
		close(s->conn_fd);
		s->conn_fd = -1;
		bql_unlock();
		chr->in_fd = -1;
		if (chr->has_frontend && chr->fe.event) {
			chr->fe.event(chr->fe.opaque, CHARDEV_EVENT_CLOSED);
		}
	}
	if (s->listen_fd >= 0) {
		chardev_socket_listen(s);
	}
}

static void chardev_socket_close(struct chardev *chr)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->unix_path) {
		unlink(s->unix_path);
	}
}

static const struct chardev_backend chardev_socket_backend = {
	.name = "socket",
	.open = chardev_socket_open,
	.write = chardev_socket_write,
	.start_input = chardev_socket_start_input,
	.hangup = chardev_socket_hangup,
	.close = chardev_socket_close,
};

void chardev_socket_register(void)
{
	chardev_backend_register(&chardev_socket_backend);
}
