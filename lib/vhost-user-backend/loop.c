/* SPDX-License-Identifier: MIT */
/* The built-in epoll event loop, UNIX sockets and the log sink. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"

struct vub_watch {
	int fd;
	vub_watch_fn *fn;
	void *data;
	bool dead;
	struct vub_watch *next;
};

struct vub_loop {
	int epfd;
	bool quit;
	struct vub_watch *watches;
};

struct vub_loop *vub_loop_new(void)
{
	struct vub_loop *loop = calloc(1, sizeof(*loop));

	if (!loop) {
		return NULL;
	}
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

static void reap(struct vub_loop *loop)
{
	struct vub_watch **pp = &loop->watches;

	while (*pp) {
		struct vub_watch *w = *pp;

		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

void vub_loop_free(struct vub_loop *loop)
{
	if (!loop) {
		return;
	}
	for (struct vub_watch *w = loop->watches; w; w = w->next) {
		w->dead = true;
	}
	reap(loop);
	close(loop->epfd);
	free(loop);
}

static bool loop_add_watch(void *opaque, int fd, vub_watch_fn *fn, void *data)
{
	struct vub_loop *loop = opaque;
	struct vub_watch *w = calloc(1, sizeof(*w));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!w) {
		return false;
	}
	w->fd = fd;
	w->fn = fn;
	w->data = data;
	ev.data.ptr = w;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return false;
	}
	w->next = loop->watches;
	loop->watches = w;
	return true;
}

/* Removal is deferred: the current epoll batch may still name the watch. */
static void loop_remove_watch(void *opaque, int fd)
{
	struct vub_loop *loop = opaque;

	for (struct vub_watch *w = loop->watches; w; w = w->next) {
		if (w->fd == fd && !w->dead) {
			epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
			w->dead = true;
			return;
		}
	}
}

const struct vub_loop_ops vub_loop_ops = {
	.add_watch = loop_add_watch,
	.remove_watch = loop_remove_watch,
};

int vub_loop_run(struct vub_loop *loop)
{
	struct epoll_event events[16];

	loop->quit = false;
	while (!loop->quit) {
		int n = epoll_wait(loop->epfd, events, 16, -1);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		for (int i = 0; i < n && !loop->quit; i++) {
			struct vub_watch *w = events[i].data.ptr;

			if (!w->dead) {
				w->fn(w->fd, w->data);
			}
		}
		reap(loop);
	}
	return 0;
}

void vub_loop_quit(struct vub_loop *loop)
{
	loop->quit = true;
}

/* ---- logging ---------------------------------------------------------- */

static vub_log_fn *log_fn;
static enum vub_log_level log_max = VUB_LOG_INFO;

void vub_set_log(vub_log_fn *fn, enum vub_log_level max_level)
{
	log_fn = fn;
	log_max = max_level;
}

void vub_log(enum vub_log_level level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (level > log_max) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (log_fn) {
		log_fn(level, buf);
	} else {
		fprintf(stderr, "vhost-user-backend: %s\n", buf);
	}
}

/* ---- sockets ---------------------------------------------------------- */

int vub_socket_listen(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		return -ENAMETOOLONG;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		unlink(path);
	}
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 1) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int vub_socket_accept(int listen_fd)
{
	int fd;

	do {
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}
