/* SPDX-License-Identifier: MIT */
/* The process's gdb server: the listening socket, the one connection, and
 * stops handed from vCPU or guest threads to the main loop. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "gdbstub/gdbserver.h"
#include "util/main-loop.h"
#include "util/socket.h"

/* A debugger that stops reading for this long is dropped. */
#define WRITE_TIMEOUT_MS 5000
/* How long an ending program waits for gdb to be told. */
#define EXIT_TIMEOUT_NS 1000000000ull

static struct {
	struct gdbstub *stub;
	int listen_fd;
	int conn_fd;
	/* Stops from other threads, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop_pending;
	struct gdb_stop stop;
	bool exit_pending; /* an exit waits to be sent; cond says when */
} server = {
	.listen_fd = -1,
	.conn_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void server_drop_connection(void)
{
	if (server.conn_fd < 0) {
		return;
	}
	main_loop_unwatch_fd(server.conn_fd);
	close(server.conn_fd);
	server.conn_fd = -1;
	gdbstub_disconnected(server.stub);
}

static void server_write(void *opaque, const uint8_t *buf, size_t len)
{
	while (len && server.conn_fd >= 0) {
		ssize_t n = write(server.conn_fd, buf, len);
		struct pollfd pfd = { .fd = server.conn_fd, .events = POLLOUT };

		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN &&
			   poll(&pfd, 1, WRITE_TIMEOUT_MS) > 0) {
			continue;
		} else {
			/* Gone or stuck: not our problem to wait for. */
			server_drop_connection();
		}
	}
}

static void server_readable(void *opaque, uint32_t events)
{
	uint8_t buf[4096];
	ssize_t n = read(server.conn_fd, buf, sizeof(buf));

	if (n > 0) {
		gdbstub_input(server.stub, buf, n);
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	}
	server_drop_connection();
}

static void server_accept(void *opaque, uint32_t events)
{
	int fd = accept4(server.listen_fd, NULL, NULL,
			 SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0) {
		return;
	}
	if (server.conn_fd >= 0) {
		close(fd); /* one debugger at a time */
		return;
	}
	server.conn_fd = fd;
	if (!main_loop_watch_fd(fd, EPOLLIN, server_readable, NULL)) {
		close(fd);
		server.conn_fd = -1;
		return;
	}
	gdbstub_connected(server.stub);
}

/* QEMU's spellings to "tcp:HOST:PORT" or "unix:PATH"; NULL if unknown. */
static char *server_address(const char *spec)
{
	char *addr, *comma;

	if (spec[0] >= '0' && spec[0] <= '9') {
		if (asprintf(&addr, "tcp::%s", spec) < 0) {
			return NULL;
		}
	} else if (!strncmp(spec, "tcp:", 4) || !strncmp(spec, "unix:", 5)) {
		addr = strdup(spec);
	} else {
		return NULL;
	}
	comma = addr ? strchr(addr, ',') : NULL;
	if (comma) {
		*comma = 0; /* server, wait=off, nowait...: always so */
	}
	return addr;
}

bool gdbserver_start(const char *spec, const struct gdbstub_ops *ops,
		     void *opaque, struct error **errp)
{
	char *addr = server_address(spec);

	if (!addr) {
		error_setg(errp,
			   "gdb address '%s': expected PORT, tcp::PORT, "
			   "tcp:HOST:PORT or unix:PATH",
			   spec);
		return false;
	}
	server.listen_fd = socket_open(addr, true, errp);
	free(addr);
	if (server.listen_fd < 0) {
		error_prepend(errp, "gdb");
		return false;
	}
	server.stub = gdbstub_new(ops, opaque, server_write, NULL);
	if (!server.stub || !main_loop_watch_fd(server.listen_fd, EPOLLIN,
						server_accept, NULL)) {
		error_setg(errp, "gdb: cannot watch the socket");
		close(server.listen_fd);
		server.listen_fd = -1;
		return false;
	}
	return true;
}

bool gdbserver_enabled(void)
{
	return server.stub != NULL;
}

bool gdbserver_attached(void)
{
	return server.stub && gdbstub_attached(server.stub);
}

static void server_deliver_stop(void *opaque)
{
	struct gdb_stop stop;
	bool exit;

	pthread_mutex_lock(&server.lock);
	stop = server.stop;
	exit = server.exit_pending;
	server.stop_pending = false;
	pthread_mutex_unlock(&server.lock);
	gdbstub_stopped(server.stub, &stop);
	if (exit) {
		pthread_mutex_lock(&server.lock);
		server.exit_pending = false;
		pthread_cond_broadcast(&server.cond);
		pthread_mutex_unlock(&server.lock);
	}
}

void gdbserver_report_stop(const struct gdb_stop *stop)
{
	if (!server.stub) {
		return;
	}
	pthread_mutex_lock(&server.lock);
	if (!server.stop_pending) {
		server.stop_pending = true;
		server.stop = *stop;
		main_loop_schedule(server_deliver_stop, NULL);
	}
	pthread_mutex_unlock(&server.lock);
}

void gdbserver_report_exit(const struct gdb_stop *stop)
{
	struct timespec deadline;

	if (!server.stub) {
		return;
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += EXIT_TIMEOUT_NS / 1000000000ull;
	pthread_mutex_lock(&server.lock);
	server.stop = *stop; /* an exit beats a pending stop */
	server.exit_pending = true;
	if (!server.stop_pending) {
		server.stop_pending = true;
		main_loop_schedule(server_deliver_stop, NULL);
	}
	while (server.exit_pending &&
	       pthread_cond_timedwait(&server.cond, &server.lock, &deadline) !=
		       ETIMEDOUT) {
	}
	pthread_mutex_unlock(&server.lock);
}

void gdbserver_run_state_changed(bool running)
{
	if (server.stub) {
		gdbstub_run_state_changed(server.stub, running);
	}
}

void gdbserver_close(int status)
{
	struct gdb_stop stop = { .kind = GDB_STOP_EXITED, .code = status };

	if (!server.stub) {
		return;
	}
	if (server.conn_fd >= 0) {
		gdbstub_stopped(server.stub, &stop);
		close(server.conn_fd);
		server.conn_fd = -1;
	}
	if (server.listen_fd >= 0) {
		close(server.listen_fd);
		server.listen_fd = -1;
	}
}

void gdbserver_forget(void)
{
	if (server.conn_fd >= 0) {
		close(server.conn_fd);
	}
	if (server.listen_fd >= 0) {
		close(server.listen_fd);
	}
	server.conn_fd = server.listen_fd = -1;
	server.stub = NULL;
	pthread_mutex_init(&server.lock, NULL);
	pthread_cond_init(&server.cond, NULL);
	server.stop_pending = server.exit_pending = false;
}
