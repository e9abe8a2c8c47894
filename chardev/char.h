/* SPDX-License-Identifier: MIT */
/* Character devices: host-side byte streams (stdio, files, sockets, pty)
 * that guest devices such as the UART read and write. */
#ifndef MIMIC_CHARDEV_CHAR_H
#define MIMIC_CHARDEV_CHAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

struct chardev;
struct opts;

/* What a guest device hands a chardev to receive input. Both are called
 * from the main loop with the big lock held. */
struct chardev_frontend {
	/* How many bytes the device can take now (0: stop for now; call
	 * chardev_accept_input() when there is room again). */
	size_t (*can_read)(void *opaque);
	void (*read)(void *opaque, const uint8_t *buf, size_t len);
	void *opaque;
	/* Optional: a peer connected or went away (enum chardev_event); main
	 * loop thread, big lock not held. */
	void (*event)(void *opaque, int event);
};

enum chardev_event {
	CHARDEV_EVENT_OPENED,
	CHARDEV_EVENT_CLOSED,
};

/* A backend: one file per kind in chardev/, registered by name. */
struct chardev_backend {
	const char *name;
	/* Parse opts (id and backend already read) and open. */
	struct chardev *(*open)(struct opts *opts, struct error **errp);
	/* Write len bytes; may drop them when nobody listens. */
	void (*write)(struct chardev *chr, const uint8_t *buf, size_t len);
	/* Start delivering input (called when the frontend attaches). */
	void (*start_input)(struct chardev *chr);
	/* The input fd reached end of file or hung up (optional). */
	void (*hangup)(struct chardev *chr);
	void (*close)(struct chardev *chr);
};

/* The common part every backend embeds. */
struct chardev {
	const struct chardev_backend *backend;
	char *id;
	struct chardev_frontend fe;
	bool has_frontend;
	/* Input read from the host but not yet taken by the frontend. */
	uint8_t inbuf[4096];
	size_t inbuf_len, inbuf_pos;
	int in_fd; /* fd the backend reads input from, -1 if none */
	bool in_armed; /* in_fd is being watched by the main loop */
	bool in_eof;
	/* Ctrl-A escapes (QEMU's mux on stdio): x quits, h helps, c monitor */
	bool mux;
	bool escape_pending;
	struct chardev *next;
};

void chardev_backend_register(const struct chardev_backend *backend);
/* Register every backend (static archives drop constructor-only files, so
 * each backend file has a register function listed here). */
void chardev_register_all(void);
/* Put the host terminal back as it was (the stdio backend's raw mode). */
void chardev_stdio_restore_terminal(void);
void chardev_stdio_register(void);
void chardev_null_register(void);
void chardev_file_register(void);
void chardev_socket_register(void);
void chardev_pty_register(void);

/*
 * Create a chardev from "-chardev BACKEND,id=ID,..." options; it joins the
 * list of chardevs by id. Returns NULL with an error naming what was wrong.
 */
struct chardev *chardev_new_from_opts(struct opts *opts, struct error **errp);
/* Parse QEMU's -serial spelling: stdio, null, pty, file:PATH,
 * unix:PATH[,server=on,wait=off], chardev:ID, mon:stdio. */
struct chardev *chardev_new_from_serial_spec(const char *spec,
					     struct error **errp);
struct chardev *chardev_find(const char *id);
/* The first chardev (then chr->next), for the monitor's query-chardev. */
struct chardev *chardev_first(void);
/* Attach a guest device; false if another device already uses it. */
bool chardev_attach(struct chardev *chr, const struct chardev_frontend *fe,
		    struct error **errp);
void chardev_write(struct chardev *chr, const uint8_t *buf, size_t len);
/* The frontend has room again: resume input (any thread, lock held). */
void chardev_accept_input(struct chardev *chr);
/* Close every chardev (restores the terminal for stdio). */
void chardev_close_all(void);

/*
 * Socket clients for devices that own the connection (vhost-user): the
 * reconnect=N seconds (0: none, or not a socket client); drop the
 * connection and connect once more (the new fd is chr->in_fd; the first
 * failure of a series is logged); block until connected, trying every N s
 * (a reconnecting client starts unconnected when its peer is not there).
 */
unsigned chardev_socket_reconnect_seconds(struct chardev *chr);
bool chardev_socket_reconnect(struct chardev *chr, struct error **errp);
bool chardev_socket_wait_connected(struct chardev *chr, struct error **errp);

/* For backends: initialise the common part; watch fd for input. */
void chardev_init_common(struct chardev *chr,
			 const struct chardev_backend *backend, int in_fd);
/* For backends: write all of buf to fd (retrying on EAGAIN/EINTR);
 * false when the peer went away. */
bool chardev_write_fd(int fd, const uint8_t *buf, size_t len);
/* For backends: the fd to read input from changed (socket accept/close). */
void chardev_set_input_fd(struct chardev *chr, int fd);
/* For backends: hand input bytes to the frontend (main loop thread). */
void chardev_receive(struct chardev *chr, const uint8_t *buf, size_t len);

/* The hook Ctrl-A c calls; NULL until a monitor exists. */
extern void (*chardev_monitor_switch)(struct chardev *chr);
/* Called when Ctrl-A x asks to quit. */
extern void (*chardev_quit_request)(void);

#endif
