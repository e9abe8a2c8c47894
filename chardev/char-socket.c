/* SPDX-License-Identifier: MIT */
/* The socket chardev: a unix or TCP stream, as server or client. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
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
	/* Client: where to connect again, and reconnect=N (0: never). */
	char *path, *host, *port;
	unsigned reconnect_s;
	bool retry_armed; /* a reconnect timer is pending (with a frontend) */
	bool reported; /* the first failed attempt has been logged */
};

/* QEMU takes any number; past a day it is a typo. */
#define CHARDEV_SOCKET_RECONNECT_MAX 86400

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

/* A peer that drops our SYNs must not hold the caller (the main loop, for
 * reconnect attempts) for the kernel's two minutes: connect without
 * blocking and wait at most this long. */
#define CHARDEV_SOCKET_CONNECT_MS 5000

static int chardev_socket_connect_bounded(int fd, const struct sockaddr *sa,
					  socklen_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int flags = fcntl(fd, F_GETFL), err = 0, r;
	socklen_t elen = sizeof(err);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	r = connect(fd, sa, len);
	if (r < 0 && errno == EINPROGRESS) {
		do {
			r = poll(&p, 1, CHARDEV_SOCKET_CONNECT_MS);
		} while (r < 0 && errno == EINTR);
		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (r < 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0) {
			return -1;
		}
		errno = err;
		r = err ? -1 : 0;
	}
	fcntl(fd, F_SETFL, flags);
	return r;
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
		r = chardev_socket_connect_bounded(fd, res->ai_addr,
						   res->ai_addrlen);
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
	s->reported = false;
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

/* Client: one connection attempt to the configured address. */
static int chardev_socket_dial(struct chardev_socket *s, struct error **errp)
{
	if (s->path) {
		return chardev_socket_unix(s->path, false, errp);
	}
	return chardev_socket_tcp(s->host, s->port, false, errp);
}

/* reconnect=N: the address is kept for later attempts. */
static bool chardev_socket_keep_address(struct chardev_socket *s,
					const char *path, const char *host,
					const char *port, uint64_t reconnect)
{
	s->reconnect_s = (unsigned)reconnect;
	s->path = path ? strdup(path) : NULL;
	s->host = host ? strdup(host) : NULL;
	s->port = port ? strdup(port) : NULL;
	return (!path || s->path) && (!host || s->host) && (!port || s->port);
}

/* A failed attempt of a reconnecting client: log the first one only. */
static void chardev_socket_report(struct chardev_socket *s, struct error *err)
{
	if (!s->reported) {
		error_report("-chardev socket: %s (retrying every %u s)",
			     error_get_message(err), s->reconnect_s);
		s->reported = true;
	}
	error_free(err);
}

static bool chardev_socket_parse(struct opts *opts, bool *server, bool *wait,
				 uint64_t *reconnect, struct error **errp)
{
	if (!opts_get_bool(opts, "server", false, server, errp) ||
	    !opts_get_bool(opts, "wait", true, wait, errp) ||
	    !opts_get_uint(opts, "reconnect", 0, reconnect, errp)) {
		return false;
	}
	if (*reconnect > CHARDEV_SOCKET_RECONNECT_MAX) {
		error_setg(errp,
			   "-chardev socket: reconnect=%llu: at most %u "
			   "seconds",
			   (unsigned long long)*reconnect,
			   CHARDEV_SOCKET_RECONNECT_MAX);
		return false;
	}
	if (*reconnect && *server) {
		error_setg(errp, "-chardev socket: reconnect= is for clients, "
				 "not with server=on");
		return false;
	}
	return true;
}

static struct chardev *chardev_socket_open(struct opts *opts,
					   struct error **errp)
{
	const char *path = opts_get(opts, "path");
	const char *host = opts_get(opts, "host");
	const char *port = opts_get(opts, "port");
	struct chardev_socket *s;
	struct error *err = NULL;
	uint64_t reconnect;
	bool server, wait;
	int fd;

	if (!chardev_socket_parse(opts, &server, &wait, &reconnect, errp)) {
		return NULL;
	}
	opts_get(opts, "telnet"); /* accepted, treated as a raw stream */
	if (path) {
		fd = chardev_socket_unix(path, server, &err);
	} else if (port) {
		fd = chardev_socket_tcp(host, port, server, &err);
	} else {
		error_setg(errp, "-chardev socket: path= or port= is required");
		return NULL;
	}
	if (fd < 0 && !reconnect) {
		error_propagate(errp, err);
		return NULL;
	}
	s = chardev_socket_alloc(fd, server, path);
	if (!s ||
	    !chardev_socket_keep_address(s, path, host, port, reconnect)) {
		if (fd >= 0) {
			close(fd);
		}
		error_free(err);
		error_setg(errp, "out of memory");
		return NULL;
	}
	if (fd < 0) {
		/* QEMU starts a reconnecting client unconnected. */
		chardev_socket_report(s, err);
	} else if (!server) {
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

static void chardev_socket_arm_retry(struct chardev_socket *s);

/* The main loop, reconnect=N with a frontend: one more attempt. */
static void chardev_socket_retry(void *opaque)
{
	struct chardev_socket *s = opaque;
	struct error *err = NULL;
	int fd;

	s->retry_armed = false;
	if (s->conn_fd >= 0) {
		return;
	}
	fd = chardev_socket_dial(s, &err);
	if (fd < 0) {
		chardev_socket_report(s, err);
		chardev_socket_arm_retry(s);
		return;
	}
	chardev_socket_connected(s, fd);
}

static void chardev_socket_arm_retry(struct chardev_socket *s)
{
	if (s->reconnect_s && s->chr.has_frontend && !s->retry_armed) {
		s->retry_armed = true;
		main_loop_timer(s->reconnect_s * 1000000000ull,
				chardev_socket_retry, s);
	}
}

static void chardev_socket_start_input(struct chardev *chr)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->listen_fd >= 0 && s->conn_fd < 0) {
		chardev_socket_listen(s);
	} else if (s->conn_fd < 0) {
		chardev_socket_arm_retry(s);
	}
}

/* Close the connection (not while a vCPU writes to it: the number could
 * be reused). */
static void chardev_socket_drop(struct chardev_socket *s)
{
	bql_lock();
	close(s->conn_fd);
	s->conn_fd = -1;
	bql_unlock();
	s->chr.in_fd = -1;
}

static void chardev_socket_hangup(struct chardev *chr)
{
	struct chardev_socket *s =
		container_of(chr, struct chardev_socket, chr);

	if (s->conn_fd >= 0) {
		chardev_socket_drop(s);
		if (chr->has_frontend && chr->fe.event) {
			chr->fe.event(chr->fe.opaque, CHARDEV_EVENT_CLOSED);
		}
	}
	if (s->listen_fd >= 0) {
		chardev_socket_listen(s);
	} else {
		chardev_socket_arm_retry(s);
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

/* A client socket chardev, or NULL. */
static struct chardev_socket *chardev_socket_client(struct chardev *chr)
{
	if (!chr || chr->backend != &chardev_socket_backend) {
		return NULL;
	}
	return container_of(chr, struct chardev_socket, chr);
}

unsigned chardev_socket_reconnect_seconds(struct chardev *chr)
{
	struct chardev_socket *s = chardev_socket_client(chr);

	return s ? s->reconnect_s : 0;
}

bool chardev_socket_reconnect(struct chardev *chr, struct error **errp)
{
	struct chardev_socket *s = chardev_socket_client(chr);
	struct error *err = NULL;
	int fd;

	if (!s || s->listen_fd >= 0 || !s->reconnect_s) {
		error_setg(errp, "not a reconnecting client socket");
		return false;
	}
	if (s->conn_fd >= 0) {
		chardev_socket_drop(s);
	}
	fd = chardev_socket_dial(s, &err);
	if (fd < 0) {
		chardev_socket_report(s, err);
		error_setg(errp, "not connected");
		return false;
	}
	chardev_socket_connected(s, fd);
	return true;
}

/* SIGINT, SIGTERM or SIGHUP is waiting (blocked) for the main loop. */
static bool chardev_socket_quit_pending(void)
{
	sigset_t set;

	return sigpending(&set) == 0 && (sigismember(&set, SIGINT) == 1 ||
					 sigismember(&set, SIGTERM) == 1 ||
					 sigismember(&set, SIGHUP) == 1);
}

bool chardev_socket_wait_connected(struct chardev *chr, struct error **errp)
{
	struct chardev_socket *s = chardev_socket_client(chr);

	if (!s || s->listen_fd >= 0 || s->conn_fd >= 0) {
		return true;
	}
	if (!s->reconnect_s) {
		error_setg(errp, "-chardev socket is not connected");
		return false;
	}
	while (s->conn_fd < 0) {
		/* The quit signals are blocked until the main loop reads
		 * them: look for them between short naps. */
		for (unsigned ms = 0; ms < s->reconnect_s * 1000; ms += 100) {
			if (chardev_socket_quit_pending()) {
				error_setg(errp, "-chardev socket: interrupted "
						 "while waiting for the peer");
				return false;
			}
			usleep(100000);
		}
		chardev_socket_reconnect(chr, NULL);
	}
	return true;
}

void chardev_socket_register(void)
{
	chardev_backend_register(&chardev_socket_backend);
}
