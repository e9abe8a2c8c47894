/* SPDX-License-Identifier: MIT */
/* Monitor clients: bounded output, socket and chardev transports, and the
 * list every event goes to. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "chardev/char.h"
#include "monitor/monitor-internal.h"
#include "util/main-loop.h"

struct monitor_state monitor_state;

void monitor_buf_vprintf(struct monitor_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		return;
	}
	if ((size_t)n < sizeof(small)) {
		monitor_buf_append(b, small, n);
		return;
	}
	char *big = malloc(n + 1);

	if (!big) {
		b->overflow = true;
		return;
	}
	vsnprintf(big, n + 1, fmt, ap);
	monitor_buf_append(b, big, n);
	free(big);
}

void monitor_buf_printf(struct monitor_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	monitor_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void monitor_buf_append(struct monitor_buf *b, const void *data, size_t len)
{
	if (b->overflow || len > MONITOR_MAX_OUTPUT - b->len) {
		b->overflow = true;
		return;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + len + 1) {
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (!p) {
			b->overflow = true;
			return;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void monitor_buf_free(struct monitor_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void monitor_fd_ready(void *opaque, uint32_t events);

/* Write what the socket takes now; watch for room for the rest. */
static void monitor_flush(struct monitor *mon)
{
	size_t done = 0;

	while (done < mon->out.len) {
		ssize_t n = write(mon->fd, mon->out.data + done,
				  mon->out.len - done);

		if (n > 0) {
			done += n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			break;
		} else {
			monitor_close(mon);
			return;
		}
	}
	memmove(mon->out.data, mon->out.data + done, mon->out.len - done);
	mon->out.len -= done;
	if (mon->out.len && !mon->watching_out) {
		mon->watching_out = true;
		main_loop_watch_fd(mon->fd, EPOLLIN | EPOLLOUT,
				   monitor_fd_ready, mon);
	} else if (!mon->out.len && mon->watching_out) {
		mon->watching_out = false;
		main_loop_watch_fd(mon->fd, EPOLLIN, monitor_fd_ready, mon);
	}
}

/*
 * A socket chardev's peer gets our output through our own bounded buffer,
 * written without blocking and retried from a timer (the chardev owns the
 * fd's main-loop watch); past the bound the connection is shut down, which
 * the chardev sees as a hang-up. Other chardevs write as they do.
 */
static bool monitor_chr_is_socket(struct monitor *mon)
{
	return mon->chr->in_fd >= 0 &&
	       !strcmp(mon->chr->backend->name, "socket");
}

static void monitor_chr_flush_bh(void *opaque);

static void monitor_chr_flush(struct monitor *mon)
{
	size_t done = 0;
	int fd = mon->chr->in_fd;

	while (fd >= 0 && done < mon->out.len) {
		ssize_t n =
			write(fd, mon->out.data + done, mon->out.len - done);

		if (n > 0) {
			done += n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else {
			break;
		}
	}
	if (fd < 0) {
		done = mon->out.len; /* nobody to send it to */
	}
	memmove(mon->out.data, mon->out.data + done, mon->out.len - done);
	mon->out.len -= done;
	if (mon->out.len && !mon->flush_scheduled) {
		mon->flush_scheduled = true;
		main_loop_timer(MONITOR_RETRY_NS, monitor_chr_flush_bh, mon);
	}
}

static void monitor_chr_flush_bh(void *opaque)
{
	struct monitor *mon = opaque;

	mon->flush_scheduled = false;
	monitor_chr_flush(mon);
}

static void monitor_chr_queue(struct monitor *mon, const void *buf, size_t len)
{
	monitor_buf_append(&mon->out, buf, len);
	if (mon->out.overflow) {
		shutdown(mon->chr->in_fd, SHUT_RDWR);
		monitor_drop_output(mon);
		return;
	}
	monitor_chr_flush(mon);
}

void monitor_drop_output(struct monitor *mon)
{
	mon->out.len = 0;
	mon->out.overflow = false;
}

/* HMP output ends lines with CR LF, as QEMU's (its human-monitor-command
 * returns them too): a bare LF becomes CR LF. */
static void monitor_write_hmp(struct monitor *mon, const char *buf, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len && !mon->dead; i++) {
		if (buf[i] == '\n' && (i == 0 || buf[i - 1] != '\r')) {
			monitor_write_raw(mon, buf + start, i - start);
			monitor_write_raw(mon, "\r\n", 2);
			start = i + 1;
		}
	}
	if (start < len) {
		monitor_write_raw(mon, buf + start, len - start);
	}
}

void monitor_write(struct monitor *mon, const void *buf, size_t len)
{
	if (mon->mode == MONITOR_HMP || mon->capture) {
		monitor_write_hmp(mon, buf, len);
	} else {
		monitor_write_raw(mon, buf, len);
	}
}

void monitor_write_raw(struct monitor *mon, const void *buf, size_t len)
{
	if (mon->dead || !len) {
		return;
	}
	if (mon->capture || mon->sink) {
		monitor_buf_append(mon->capture ? mon->capture : mon->sink, buf,
				   len);
		return;
	}
	if (mon->chr && !monitor_chr_is_socket(mon)) {
		chardev_write(mon->chr, buf, len);
		return;
	}
	if (mon->chr) {
		monitor_chr_queue(mon, buf, len);
		return;
	}
	monitor_buf_append(&mon->out, buf, len);
	if (mon->out.overflow) {
		/* A client that stops reading must not hold the main loop
		 * or our memory: it goes. */
		monitor_close(mon);
		return;
	}
	monitor_flush(mon);
}

void monitor_printf(struct monitor *mon, const char *fmt, ...)
{
	struct monitor_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	monitor_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (b.len) {
		monitor_write(mon, b.data, b.len);
	}
	monitor_buf_free(&b);
}

static void monitor_unlink(struct monitor *mon)
{
	for (struct monitor **pp = &monitor_state.clients; *pp;
	     pp = &(*pp)->next) {
		if (*pp == mon) {
			*pp = mon->next;
			return;
		}
	}
}

void monitor_free(struct monitor *mon)
{
	monitor_unlink(mon);
	qmp_session_free(mon);
	monitor_close_fds(mon);
	monitor_buf_free(&mon->out);
	free(mon->saved_fe);
	free(mon);
}

static void monitor_free_bh(void *opaque)
{
	monitor_free(opaque);
}

void monitor_close(struct monitor *mon)
{
	if (mon->dead || mon->chr) {
		return; /* chardev monitors live as long as their chardev */
	}
	mon->dead = true;
	monitor_unlink(mon);
	if (mon->fd < 0) {
		return; /* an in-memory client: its owner frees it */
	}
	main_loop_unwatch_fd(mon->fd);
	close(mon->fd);
	/* The caller may still be inside this client's input handler. */
	main_loop_schedule(monitor_free_bh, mon);
}

struct monitor *monitor_new_buffered(enum monitor_mode mode,
				     struct monitor_buf *out)
{
	struct monitor *mon = monitor_new(mode, -1, NULL);

	if (mon) {
		mon->sink = out;
		if (mode == MONITOR_HMP) {
			hmp_session_init(mon);
		}
	}
	return mon;
}

void monitor_input(struct monitor *mon, const uint8_t *buf, size_t len)
{
	if (mon->mode == MONITOR_QMP) {
		qmp_feed(mon, buf, len);
	} else {
		hmp_feed(mon, buf, len);
	}
}

void monitor_opened(struct monitor *mon)
{
	if (mon->mode == MONITOR_QMP) {
		qmp_session_reset(mon);
		qmp_send_greeting(mon);
	} else {
		hmp_session_init(mon);
		hmp_send_banner(mon);
	}
}

/* Read input; fds passed along (SCM_RIGHTS, for getfd) are kept. */
static ssize_t monitor_recv(struct monitor *mon, uint8_t *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(MONITOR_MAX_MSGFDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	ssize_t n = recvmsg(mon->fd, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0 && errno == ENOTSOCK) {
		return read(mon->fd, buf, len);
	}
	for (struct cmsghdr *c = n >= 0 ? CMSG_FIRSTHDR(&msg) : NULL; c;
	     c = CMSG_NXTHDR(&msg, c)) {
		size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			continue;
		}
		for (size_t i = 0; i < nfds; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			monitor_take_msgfd(mon, fd);
		}
	}
	return n;
}

static void monitor_fd_ready(void *opaque, uint32_t events)
{
	struct monitor *mon = opaque;
	uint8_t buf[16384];
	ssize_t n;

	if (events & EPOLLOUT) {
		monitor_flush(mon);
		if (mon->dead) {
			return;
		}
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		return;
	}
	n = monitor_recv(mon, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
		return;
	}
	if (n <= 0) {
		monitor_close(mon);
		return;
	}
	monitor_input(mon, buf, n);
}

struct monitor *monitor_new(enum monitor_mode mode, int fd, struct chardev *chr)
{
	struct monitor *mon = calloc(1, sizeof(*mon));

	if (!mon) {
		return NULL;
	}
	mon->mode = mode;
	mon->fd = fd;
	mon->chr = chr;
	mon->msgfd = -1;
	if (mode == MONITOR_QMP) {
		qmp_session_init(mon);
		if (!mon->qmp.tok) {
			free(mon);
			return NULL;
		}
	}
	mon->next = monitor_state.clients;
	monitor_state.clients = mon;
	if (fd >= 0 &&
	    !main_loop_watch_fd(fd, EPOLLIN, monitor_fd_ready, mon)) {
		monitor_state.clients = mon->next;
		qmp_session_free(mon);
		free(mon);
		return NULL;
	}
	return mon;
}

void monitor_finish(void)
{
	monitor_events_drain();
	for (struct monitor *mon = monitor_state.clients; mon;
	     mon = mon->next) {
		for (int tries = 0; mon->fd >= 0 && mon->out.len && tries < 10;
		     tries++) {
			monitor_flush(mon);
			if (mon->out.len) {
				usleep(100000);
			}
		}
	}
	monitor_listeners_close();
}
