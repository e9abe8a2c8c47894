/* SPDX-License-Identifier: MIT */
/* Where monitors come from: -qmp/-monitor/-mon options, listening sockets
 * (each accepted connection is its own session), chardevs, and Ctrl-A c on
 * a multiplexed stdio. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "chardev/char.h"
#include "monitor/monitor-internal.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "util/socket.h"

#define MONITOR_MAX_OPTIONS 16
#define MONITOR_MAX_CLIENTS 64

struct monitor_listener {
	int fd;
	enum monitor_mode mode;
	bool pretty;
	char *unix_path;
	struct monitor_listener *next;
};

static struct {
	enum monitor_option kind;
	const char *arg;
} options[MONITOR_MAX_OPTIONS];
static unsigned nr_options;
static struct monitor_listener *listeners;

bool monitor_add_option(enum monitor_option kind, const char *arg,
			struct error **errp)
{
	if (nr_options == MONITOR_MAX_OPTIONS) {
		error_setg(errp, "too many monitors");
		return false;
	}
	options[nr_options].kind = kind;
	options[nr_options].arg = arg;
	nr_options++;
	return true;
}

static unsigned monitor_count_clients(void)
{
	unsigned n = 0;

	for (struct monitor *mon = monitor_state.clients; mon;
	     mon = mon->next) {
		n++;
	}
	return n;
}

static void monitor_accept(void *opaque, uint32_t events)
{
	struct monitor_listener *l = opaque;
	int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct monitor *mon;

	if (fd < 0) {
		return;
	}
	if (monitor_count_clients() >= MONITOR_MAX_CLIENTS) {
		close(fd);
		return;
	}
	mon = monitor_new(l->mode, fd, NULL);
	if (!mon) {
		close(fd);
		return;
	}
	mon->pretty = l->pretty;
	monitor_opened(mon);
}

static bool monitor_listen(const char *addr, enum monitor_mode mode, bool wait,
			   struct error **errp)
{
	struct monitor_listener *l;
	int fd = socket_open(addr, true, errp);

	if (fd < 0) {
		return false;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		close(fd);
		error_setg(errp, "out of memory");
		return false;
	}
	l->fd = fd;
	l->mode = mode;
	l->unix_path = !strncmp(addr, "unix:", 5) ? strdup(addr + 5) : NULL;
	l->next = listeners;
	listeners = l;
	if (wait) {
		fprintf(stderr, "mimic: waiting for connection on %s\n", addr);
		monitor_accept(l, EPOLLIN);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (!main_loop_watch_fd(fd, EPOLLIN, monitor_accept, l)) {
		error_setg(errp, "too many file descriptors to watch");
		return false;
	}
	return true;
}

/* Input from a chardev arrives with the big lock held: queue it and run
 * the commands from a bottom half, outside the lock. */
static size_t monitor_chr_can_read(void *opaque)
{
	struct monitor *mon = opaque;

	return MONITOR_INBUF - mon->inbuf_len;
}

static void monitor_chr_input_bh(void *opaque)
{
	struct monitor *mon = opaque;
	uint8_t buf[MONITOR_INBUF];
	size_t len = mon->inbuf_len;

	mon->input_scheduled = false;
	memcpy(buf, mon->inbuf, len);
	mon->inbuf_len = 0;
	monitor_input(mon, buf, len);
	chardev_accept_input(mon->chr);
}

static void monitor_chr_read(void *opaque, const uint8_t *buf, size_t len)
{
	struct monitor *mon = opaque;

	if (len > MONITOR_INBUF - mon->inbuf_len) {
		len = MONITOR_INBUF - mon->inbuf_len;
	}
	memcpy(mon->inbuf + mon->inbuf_len, buf, len);
	mon->inbuf_len += len;
	if (!mon->input_scheduled) {
		mon->input_scheduled = true;
		main_loop_schedule(monitor_chr_input_bh, mon);
	}
}

static void monitor_chr_event(void *opaque, int event)
{
	struct monitor *mon = opaque;

	monitor_drop_output(mon);
	if (event == CHARDEV_EVENT_OPENED) {
		monitor_opened(mon);
	} else if (mon->mode == MONITOR_QMP) {
		qmp_session_reset(mon);
	}
}

static struct chardev_frontend *monitor_chr_frontend(struct monitor *mon)
{
	static struct chardev_frontend fe;

	fe = (struct chardev_frontend){ .can_read = monitor_chr_can_read,
					.read = monitor_chr_read,
					.event = monitor_chr_event,
					.opaque = mon };
	return &fe;
}

static bool monitor_on_chardev(struct chardev *chr, enum monitor_mode mode,
			       bool pretty, struct error **errp)
{
	struct monitor *mon = monitor_new(mode, -1, chr);

	if (!mon) {
		error_setg(errp, "out of memory");
		return false;
	}
	mon->pretty = pretty;
	if (mode == MONITOR_HMP) {
		hmp_session_init(mon);
	}
	return chardev_attach(chr, monitor_chr_frontend(mon), errp);
}

/* Ctrl-A c: move the input of a multiplexed chardev between the guest's
 * device and a human monitor made for it on first use. */
static void monitor_mux_switch(struct chardev *chr)
{
	struct monitor *mon;

	for (mon = monitor_state.clients; mon; mon = mon->next) {
		if (mon->chr == chr && mon->saved_fe) {
			break;
		}
	}
	if (!mon) {
		mon = monitor_new(MONITOR_HMP, -1, chr);
		if (!mon) {
			return;
		}
		mon->saved_fe = malloc(sizeof(*mon->saved_fe));
		hmp_session_init(mon);
		if (!mon->saved_fe) {
			return;
		}
		*mon->saved_fe = chr->fe;
		chr->fe = *monitor_chr_frontend(mon);
		mon->mux_focus = true;
		hmp_send_banner(mon);
		return;
	}
	if (mon->mux_focus) {
		chr->fe = *mon->saved_fe;
		mon->mux_focus = false;
		chardev_accept_input(chr);
	} else {
		*mon->saved_fe = chr->fe;
		chr->fe = *monitor_chr_frontend(mon);
		mon->mux_focus = true;
		monitor_printf(mon, "\r\n(qemu) ");
	}
}

/* A chardev for "stdio", "null", "pty", "file:PATH", "chardev:ID", named
 * like QEMU's (compat_monitor0, qmp0). */
static struct chardev *monitor_chardev_from_spec(const char *spec,
						 enum monitor_mode mode,
						 struct error **errp)
{
	static unsigned count[2];
	struct chardev *chr;
	struct opts *o;
	char id[32];

	if (!strncmp(spec, "chardev:", 8)) {
		chr = chardev_find(spec + 8);
		if (!chr) {
			error_setg(errp, "no chardev with id '%s'", spec + 8);
		}
		return chr;
	}
	if (!strncmp(spec, "file:", 5)) {
		return chardev_new_from_serial_spec(spec, errp);
	}
	if (strchr(spec, ':')) {
		error_setg(errp,
			   "expected unix:PATH, tcp:HOST:PORT, stdio, null, "
			   "pty, file:PATH, chardev:ID or none");
		return NULL;
	}
	o = opts_parse(spec, "backend", errp);
	if (!o) {
		return NULL;
	}
	snprintf(id, sizeof(id), "%s%u",
		 mode == MONITOR_QMP ? "qmp" : "compat_monitor", count[mode]++);
	opts_set(o, "id", id);
	chr = chardev_new_from_opts(o, errp);
	opts_free(o);
	return chr;
}

/* A client socket we connected (server=off): one session on it. */
static bool monitor_connected(int fd, enum monitor_mode mode,
			      struct error **errp)
{
	struct monitor *mon;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	mon = monitor_new(mode, fd, NULL);
	if (!mon) {
		close(fd);
		error_setg(errp, "out of memory");
		return false;
	}
	monitor_opened(mon);
	return true;
}

/* "unix:PATH,server=on,wait=off", "tcp:H:P,...", or a chardev spec. */
static bool monitor_open_spec(const char *spec, enum monitor_mode mode,
			      struct error **errp)
{
	struct opts *o = opts_parse(spec, "addr", errp);
	const char *addr;
	bool server = false, wait = true, ok = false;
	int fd;

	if (!o) {
		return false;
	}
	addr = opts_get(o, "addr");
	if (addr && (!strncmp(addr, "unix:", 5) || !strncmp(addr, "tcp:", 4))) {
		if (opts_get(o, "nowait")) {
			wait = false;
		}
		ok = opts_get_bool(o, "server", false, &server, errp) &&
		     opts_get_bool(o, "wait", wait, &wait, errp) &&
		     opts_check_unused(o, addr, errp);
		if (ok && server) {
			ok = monitor_listen(addr, mode, wait, errp);
		} else if (ok) {
			fd = socket_open(addr, false, errp);
			ok = fd >= 0;
			if (ok) {
				ok = monitor_connected(fd, mode, errp);
			}
		}
		opts_free(o);
		return ok;
	}
	opts_free(o);
	struct chardev *chr = monitor_chardev_from_spec(spec, mode, errp);

	return chr && monitor_on_chardev(chr, mode, false, errp);
}

static bool monitor_open_mon(const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "chardev", errp);
	const char *id, *mode;
	struct chardev *chr = NULL;
	bool pretty = false, ok;

	if (!o) {
		return false;
	}
	id = opts_get(o, "chardev");
	mode = opts_get(o, "mode");
	ok = opts_get_bool(o, "pretty", false, &pretty, errp) &&
	     opts_check_unused(o, "-mon", errp);
	if (ok && !id) {
		error_setg(errp, "-mon: chardev= is required");
		ok = false;
	} else if (ok && !(chr = chardev_find(id))) {
		error_setg(errp, "-mon: chardev '%s' not found", id);
		ok = false;
	} else if (ok && mode && strcmp(mode, "control") &&
		   strcmp(mode, "readline")) {
		error_setg(errp, "-mon: mode must be control or readline");
		ok = false;
	}
	if (ok) {
		ok = monitor_on_chardev(chr,
					mode && !strcmp(mode, "control") ?
						MONITOR_QMP :
						MONITOR_HMP,
					pretty, errp);
	}
	opts_free(o);
	return ok;
}

static void monitor_quit_request(void)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "guest", json_object_new_boolean(false));
	json_object_object_add(data, "reason",
			       json_object_new_string("host-ui"));
	monitor_event("SHUTDOWN", data);
	monitor_state.ops->quit(monitor_state.opaque);
}

bool monitor_start(const struct monitor_machine_ops *ops, void *opaque,
		   const char *name, struct error **errp)
{
	bool explicit_hmp = false;

	monitor_events_init();
	monitor_state.ops = ops;
	monitor_state.opaque = opaque;
	monitor_state.name = name;
	/* Only -S pauses a machine before the monitor does: paused and never
	 * stopped or resumed by us is QEMU's "prelaunch". */
	monitor_state.prelaunch = true;
	for (unsigned i = 0; i < nr_options; i++) {
		const char *arg = options[i].arg;
		bool ok = true;

		switch (options[i].kind) {
		case MONITOR_OPT_QMP:
			ok = monitor_open_spec(arg, MONITOR_QMP, errp);
			break;
		case MONITOR_OPT_MONITOR:
			explicit_hmp = true;
			if (strcmp(arg, "none")) {
				ok = monitor_open_spec(arg, MONITOR_HMP, errp);
			}
			break;
		case MONITOR_OPT_MON:
			ok = monitor_open_mon(arg, errp);
			break;
		}
		if (!ok) {
			error_prepend(
				errp, "-%s %s",
				options[i].kind == MONITOR_OPT_QMP ? "qmp" :
				options[i].kind == MONITOR_OPT_MON ? "mon" :
								     "monitor",
				arg);
			return false;
		}
	}
	if (!explicit_hmp) {
		chardev_monitor_switch = monitor_mux_switch;
	}
	chardev_quit_request = monitor_quit_request;
	return true;
}

void monitor_listeners_close(void)
{
	for (struct monitor_listener *l = listeners; l; l = l->next) {
		if (l->unix_path) {
			unlink(l->unix_path);
		}
	}
}
