/* SPDX-License-Identifier: MIT */
/* Character devices: registry, input flow control and QEMU's Ctrl-A
 * escapes. Backends live in chardev/char-*.c. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/core/bql.h"
#include "util/main-loop.h"
#include "util/options.h"

#define BACKENDS_MAX 16

static const struct chardev_backend *backends[BACKENDS_MAX];
static unsigned backend_count;
static struct chardev *chardevs;

void (*chardev_monitor_switch)(struct chardev *chr);
void (*chardev_quit_request)(void);

void chardev_backend_register(const struct chardev_backend *backend)
{
	if (backend_count < BACKENDS_MAX) {
		backends[backend_count++] = backend;
	}
}

void chardev_register_all(void)
{
	if (!backend_count) {
		chardev_stdio_register();
		chardev_null_register();
		chardev_file_register();
		chardev_socket_register();
		chardev_pty_register();
	}
}

static const struct chardev_backend *chardev_backend_find(const char *name)
{
	for (unsigned i = 0; i < backend_count; i++) {
		if (!strcmp(backends[i]->name, name)) {
			return backends[i];
		}
	}
	return NULL;
}

struct chardev *chardev_find(const char *id)
{
	for (struct chardev *chr = chardevs; chr; chr = chr->next) {
		if (chr->id && !strcmp(chr->id, id)) {
			return chr;
		}
	}
	return NULL;
}

struct chardev *chardev_first(void)
{
	return chardevs;
}

void chardev_init_common(struct chardev *chr,
			 const struct chardev_backend *backend, int in_fd)
{
	chr->backend = backend;
	chr->in_fd = in_fd;
}

struct chardev *chardev_new_from_opts(struct opts *opts, struct error **errp)
{
	const char *name = opts_get(opts, "backend");
	const char *id = opts_get(opts, "id");
	const struct chardev_backend *backend;
	struct chardev *chr;
	bool mux = false;

	if (!name) {
		error_setg(errp, "-chardev: a backend is required");
		return NULL;
	}
	backend = chardev_backend_find(name);
	if (!backend) {
		error_setg(errp, "-chardev: unknown backend '%s'", name);
		return NULL;
	}
	if (!id) {
		error_setg(errp, "-chardev %s: id= is required", name);
		return NULL;
	}
	if (chardev_find(id)) {
		error_setg(errp, "-chardev: duplicate id '%s'", id);
		return NULL;
	}
	if (!opts_get_bool(opts, "mux", false, &mux, errp)) {
		return NULL;
	}
	chr = backend->open(opts, errp);
	if (!chr) {
		return NULL;
	}
	chr->backend = backend;
	chr->id = strdup(id);
	chr->mux = mux;
	chr->next = chardevs;
	chardevs = chr;
	if (!opts_check_unused(opts, "-chardev", errp)) {
		return NULL;
	}
	return chr;
}

/* "tcp:[HOST]:PORT[,server=on,...]" -> socket,host=HOST,port=PORT,... */
static struct opts *chardev_serial_tcp(const char *addr, struct error **errp)
{
	const char *comma = strchr(addr, ',');
	size_t addr_len = comma ? (size_t)(comma - addr) : strlen(addr);
	const char *colon = memrchr(addr, ':', addr_len);
	struct opts *opts;
	char *buf;

	if (!colon) {
		error_setg(errp, "-serial tcp:%s: HOST:PORT expected", addr);
		return NULL;
	}
	buf = malloc(strlen(addr) + 32);
	if (!buf) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	sprintf(buf, "socket,host=%.*s,port=%.*s%s", (int)(colon - addr), addr,
		(int)(addr_len - (colon + 1 - addr)), colon + 1,
		comma ? comma : "");
	opts = opts_parse(buf, "backend", errp);
	free(buf);
	return opts;
}

/* Turn "file:PATH" into backend=file,path=PATH, and so on. */
static struct opts *chardev_serial_opts(const char *spec, const char *id,
					struct error **errp)
{
	static const struct {
		const char *prefix;
		const char *backend;
		const char *key;
	} forms[] = {
		{ "file:", "file", "path" },
		{ "unix:", "socket", "path" },
	};
	struct opts *opts = NULL;
	char *buf;

	if (!strncmp(spec, "tcp:", 4) || !strncmp(spec, "telnet:", 7)) {
		opts = chardev_serial_tcp(strchr(spec, ':') + 1, errp);
		if (opts) {
			opts_set(opts, "id", id);
		}
		return opts;
	}
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t n = strlen(forms[i].prefix);

		if (!strncmp(spec, forms[i].prefix, n)) {
			buf = malloc(strlen(spec) + 32);
			if (!buf) {
				break;
			}
			sprintf(buf, "%s,%s=%s", forms[i].backend, forms[i].key,
				spec + n);
			opts = opts_parse(buf, "backend", errp);
			free(buf);
			break;
		}
	}
	if (!opts && !strchr(spec, ':')) {
		opts = opts_parse(spec, "backend", errp);
	} else if (!opts) {
		error_setg(errp, "-serial: unknown spec '%s'", spec);
	}
	if (opts) {
		opts_set(opts, "id", id);
	}
	return opts;
}

struct chardev *chardev_new_from_serial_spec(const char *spec,
					     struct error **errp)
{
	static unsigned serial_count;
	struct chardev *chr;
	struct opts *opts;
	char id[32];

	if (!strncmp(spec, "chardev:", 8)) {
		chr = chardev_find(spec + 8);
		if (!chr) {
			error_setg(errp, "-serial: no chardev with id '%s'",
				   spec + 8);
		}
		return chr;
	}
	snprintf(id, sizeof(id), "serial%u", serial_count++);
	if (!strncmp(spec, "mon:", 4)) {
		spec += 4;
		opts = chardev_serial_opts(spec, id, errp);
		if (opts) {
			opts_set(opts, "mux", "on");
		}
	} else {
		opts = chardev_serial_opts(spec, id, errp);
	}
	if (!opts) {
		return NULL;
	}
	chr = chardev_new_from_opts(opts, errp);
	opts_free(opts);
	if (!chr) {
		error_prepend(errp, "-serial %s", spec);
	}
	return chr;
}

void chardev_write(struct chardev *chr, const uint8_t *buf, size_t len)
{
	if (chr && chr->backend->write) {
		chr->backend->write(chr, buf, len);
	}
}

bool chardev_write_fd(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n > 0) {
			buf += n;
			len -= n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			/* A reader that stops reading for a second loses
			 * output rather than stalling the guest forever. */
			if (poll(&pfd, 1, 1000) <= 0) {
				return true;
			}
		} else {
			return false;
		}
	}
	return true;
}

/* Deliver buffered input while the frontend takes it (main loop thread). */
static bool chardev_flush_input(struct chardev *chr)
{
	bql_lock();
	while (chr->has_frontend && chr->inbuf_pos < chr->inbuf_len) {
		size_t room = chr->fe.can_read(chr->fe.opaque);
		size_t left = chr->inbuf_len - chr->inbuf_pos;

		if (!room) {
			break;
		}
		if (room > left) {
			room = left;
		}
		chr->fe.read(chr->fe.opaque, chr->inbuf + chr->inbuf_pos, room);
		chr->inbuf_pos += room;
	}
	bql_unlock();
	if (chr->inbuf_pos < chr->inbuf_len) {
		return false;
	}
	chr->inbuf_pos = chr->inbuf_len = 0;
	return true;
}

static void chardev_escape_help(struct chardev *chr)
{
	static const char help[] =
		"\r\nC-a h    print this help\r\n"
		"C-a x    exit emulator\r\n"
		"C-a c    switch between console and monitor\r\n"
		"C-a C-a  sends C-a\r\n";

	chardev_write(chr, (const uint8_t *)help, sizeof(help) - 1);
}

static bool chardev_escape(struct chardev *chr, uint8_t c)
{
	static const char no_monitor[] = "\r\nmonitor not available\r\n";

	chr->escape_pending = false;
	switch (c) {
	case 'x':
		chardev_write(chr, (const uint8_t *)"QEMU: Terminated\r\n", 18);
		if (chardev_quit_request) {
			chardev_quit_request();
		} else {
			main_loop_quit(0);
		}
		return false;
	case 'h':
	case '?':
		chardev_escape_help(chr);
		return false;
	case 'c':
		if (chardev_monitor_switch) {
			chardev_monitor_switch(chr);
		} else {
			chardev_write(chr, (const uint8_t *)no_monitor,
				      sizeof(no_monitor) - 1);
		}
		return false;
	default:
		return true; /* C-a C-a, and unknown escapes, pass through */
	}
}

/* Strip Ctrl-A escapes from raw input in place; returns the new length. */
static size_t chardev_mux_filter(struct chardev *chr, uint8_t *buf, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (chr->escape_pending) {
			if (chardev_escape(chr, buf[i])) {
				buf[out++] = buf[i];
			}
		} else if (buf[i] == 0x01) {
			chr->escape_pending = true;
		} else {
			buf[out++] = buf[i];
		}
	}
	return out;
}

void chardev_receive(struct chardev *chr, const uint8_t *buf, size_t len)
{
	size_t room = sizeof(chr->inbuf) - chr->inbuf_len;

	if (len > room) {
		len = room;
	}
	memcpy(chr->inbuf + chr->inbuf_len, buf, len);
	chr->inbuf_len += len;
	if (!chardev_flush_input(chr) && chr->in_armed) {
		main_loop_unwatch_fd(chr->in_fd);
		chr->in_armed = false;
	}
}

static void chardev_input_ready(void *opaque, uint32_t events)
{
	struct chardev *chr = opaque;
	uint8_t buf[4096];
	ssize_t n;

	n = read(chr->in_fd, buf, sizeof(buf) - chr->inbuf_len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
		return;
	}
	if (n <= 0) {
		main_loop_unwatch_fd(chr->in_fd);
		chr->in_armed = false;
		chr->in_eof = true;
		if (chr->backend->hangup) {
			chr->backend->hangup(chr);
		}
		return;
	}
	if (chr->mux) {
		n = chardev_mux_filter(chr, buf, n);
	}
	chardev_receive(chr, buf, n);
}

static void chardev_arm(struct chardev *chr)
{
	if (chr->in_fd >= 0 && !chr->in_armed && !chr->in_eof &&
	    chr->has_frontend) {
		chr->in_armed = main_loop_watch_fd(chr->in_fd, EPOLLIN,
						   chardev_input_ready, chr);
	}
}

void chardev_set_input_fd(struct chardev *chr, int fd)
{
	if (chr->in_armed) {
		main_loop_unwatch_fd(chr->in_fd);
		chr->in_armed = false;
	}
	chr->in_fd = fd;
	chr->in_eof = false;
	chardev_arm(chr);
}

static void chardev_resume(void *opaque)
{
	struct chardev *chr = opaque;

	if (chardev_flush_input(chr)) {
		chardev_arm(chr);
	}
}

void chardev_accept_input(struct chardev *chr)
{
	if (!chr || chr->in_fd < 0 || (chr->in_eof && !chr->inbuf_len)) {
		return;
	}
	if (chr->inbuf_len || !chr->in_armed) {
		main_loop_schedule(chardev_resume, chr);
	}
}

bool chardev_attach(struct chardev *chr, const struct chardev_frontend *fe,
		    struct error **errp)
{
	if (chr->has_frontend) {
		error_setg(errp, "chardev '%s' is already in use",
			   chr->id ? chr->id : "?");
		return false;
	}
	chr->fe = *fe;
	chr->has_frontend = true;
	if (chr->backend->start_input) {
		chr->backend->start_input(chr);
	}
	chardev_arm(chr);
	if (chr->in_fd >= 0 && fe->event) {
		fe->event(fe->opaque, CHARDEV_EVENT_OPENED);
	}
	return true;
}

void chardev_close_all(void)
{
	for (struct chardev *chr = chardevs; chr; chr = chr->next) {
		if (chr->backend->close) {
			chr->backend->close(chr);
		}
	}
}
