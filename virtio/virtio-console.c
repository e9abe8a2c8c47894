/* SPDX-License-Identifier: MIT */
/* virtio-console (virtio 1.2, 5.3): virtio-serial with MULTIPORT. Port 0
 * is the console (virtconsole, the guest's hvc), ports 1.. are named
 * serial ports (virtserialport); each is a chardev. Without MULTIPORT the
 * driver sees port 0 alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chardev/char.h"
#include "virtio/virtio-devices.h"
#include "virtio/virtqueue.h"

#define VIRTIO_CONSOLE_F_MULTIPORT 1
#define CONSOLE_MAX_PORTS 3 /* 2 queues each + 2 control: 8 queues */
#define CONSOLE_QUEUE_SIZE 128
#define CONSOLE_CTRL_RX 2 /* c_ivq: device to driver */
#define CONSOLE_CTRL_TX 3 /* c_ovq: driver to device */
#define CONSOLE_MAX_PENDING 32
#define CONSOLE_NAME_MAX 64

/* Control events (5.3.6.2). */
#define CTRL_DEVICE_READY 0
#define CTRL_DEVICE_ADD 1
#define CTRL_PORT_READY 3
#define CTRL_CONSOLE_PORT 4
#define CTRL_PORT_OPEN 6
#define CTRL_PORT_NAME 7

struct console_ctrl {
	uint32_t id;
	uint16_t event;
	uint16_t value;
};

struct console_msg {
	struct console_ctrl ctrl;
	char name[CONSOLE_NAME_MAX];
	size_t len; /* sizeof(ctrl) + name bytes */
};

struct virtio_console;

struct console_port {
	struct virtio_console *con;
	unsigned id;
	bool used;
	struct chardev *chr;
	char name[CONSOLE_NAME_MAX];
	/* A receive buffer popped to learn its size, not yet filled. */
	struct virtq_elem *rx_elem;
};

struct virtio_console {
	struct virtio_device vdev;
	uint8_t config[12]; /* cols, rows, max_nr_ports, emerg_wr */
	struct console_port ports[CONSOLE_MAX_PORTS];
	/* Control messages waiting for driver buffers. */
	struct console_msg pending[CONSOLE_MAX_PENDING];
	unsigned nr_pending;
};

static struct virtio_console *last_console;

static struct virtio_console *to_console(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_console, vdev);
}

static bool console_multiport(struct virtio_console *con)
{
	return virtio_has_feature(&con->vdev, VIRTIO_CONSOLE_F_MULTIPORT);
}

static struct virtqueue *port_rxq(struct console_port *port)
{
	return port->con->vdev.vqs[port->id ? 2 + 2 * port->id : 0];
}

/* The port a data queue belongs to, NULL for the control queues. */
static struct console_port *queue_port(struct virtio_console *con,
				       unsigned index, bool *is_tx)
{
	unsigned id = index < 2 ? 0 : (index - 2) / 2;

	*is_tx = index & 1;
	if (index == CONSOLE_CTRL_RX || index == CONSOLE_CTRL_TX ||
	    id >= CONSOLE_MAX_PORTS) {
		return NULL;
	}
	return &con->ports[id];
}

static bool port_live(struct console_port *port)
{
	struct virtio_console *con = port->con;

	return port->used && (con->vdev.status & VIRTIO_STATUS_DRIVER_OK) &&
	       (port->id == 0 || console_multiport(con));
}

static size_t console_can_read(void *opaque)
{
	struct console_port *port = opaque;

	if (!port->rx_elem && port_live(port)) {
		port->rx_elem = virtq_pop(port_rxq(port));
	}
	return port->rx_elem ? port->rx_elem->in_len : 0;
}

static void console_read(void *opaque, const uint8_t *buf, size_t len)
{
	struct console_port *port = opaque;
	struct virtq_elem *elem = port->rx_elem;
	struct virtqueue *vq = port_rxq(port);
	size_t n;

	if (!elem) {
		return;
	}
	port->rx_elem = NULL;
	n = iov_from_buf(elem->in, elem->in_num, 0, buf, len);
	virtq_push(vq, elem, n);
	virtq_notify(vq);
}

static void console_transmit(struct console_port *port, struct virtqueue *vq)
{
	struct virtq_elem *elem;
	bool pushed = false;

	while ((elem = virtq_pop(vq))) {
		for (unsigned i = 0; i < elem->out_num && port->chr; i++) {
			chardev_write(port->chr, elem->out[i].iov_base,
				      elem->out[i].iov_len);
		}
		virtq_push(vq, elem, 0);
		pushed = true;
	}
	if (pushed) {
		virtq_notify(vq);
	}
}

/* Hand queued control messages to the driver's control receive queue. */
static void console_ctrl_flush(struct virtio_console *con)
{
	struct virtqueue *vq = con->vdev.vqs[CONSOLE_CTRL_RX];
	unsigned done = 0;
	struct virtq_elem *elem;

	while (done < con->nr_pending && (elem = virtq_pop(vq))) {
		struct console_msg *msg = &con->pending[done++];

		virtq_push(
			vq, elem,
			iov_from_buf(elem->in, elem->in_num, 0, msg, msg->len));
	}
	if (done) {
		memmove(con->pending, con->pending + done,
			(con->nr_pending - done) * sizeof(con->pending[0]));
		con->nr_pending -= done;
		virtq_notify(vq);
	}
}

static void console_ctrl_send(struct virtio_console *con, unsigned id,
			      uint16_t event, uint16_t value, const char *name)
{
	struct console_msg *msg;
	size_t name_len = name ? strlen(name) : 0;

	if (con->nr_pending == CONSOLE_MAX_PENDING) {
		virtio_error(&con->vdev, "control queue not drained");
		return;
	}
	msg = &con->pending[con->nr_pending++];
	msg->ctrl.id = id;
	msg->ctrl.event = event;
	msg->ctrl.value = value;
	memcpy(msg->name, name, name_len);
	msg->len = sizeof(msg->ctrl) + name_len;
	console_ctrl_flush(con);
}

static void console_ctrl_handle(struct virtio_console *con,
				const struct console_ctrl *ctrl)
{
	struct console_port *port;

	if (ctrl->event == CTRL_DEVICE_READY && ctrl->value == 1) {
		for (unsigned i = 0; i < CONSOLE_MAX_PORTS; i++) {
			if (con->ports[i].used) {
				console_ctrl_send(con, i, CTRL_DEVICE_ADD, 1,
						  NULL);
			}
		}
		return;
	}
	if (ctrl->id >= CONSOLE_MAX_PORTS || !con->ports[ctrl->id].used) {
		return;
	}
	port = &con->ports[ctrl->id];
	if (ctrl->event == CTRL_PORT_READY && ctrl->value == 1) {
		if (port->id == 0) {
			console_ctrl_send(con, 0, CTRL_CONSOLE_PORT, 1, NULL);
		} else if (port->name[0]) {
			console_ctrl_send(con, port->id, CTRL_PORT_NAME, 1,
					  port->name);
		}
		/* The host side of a chardev port is always connected. */
		console_ctrl_send(con, port->id, CTRL_PORT_OPEN, 1, NULL);
	} else if (ctrl->event == CTRL_PORT_OPEN && ctrl->value && port->chr) {
		chardev_accept_input(port->chr);
	}
}

static void console_ctrl_receive(struct virtio_console *con)
{
	struct virtqueue *vq = con->vdev.vqs[CONSOLE_CTRL_TX];
	struct virtq_elem *elem;
	bool pushed = false;

	while ((elem = virtq_pop(vq))) {
		struct console_ctrl ctrl;

		if (iov_to_buf(elem->out, elem->out_num, 0, &ctrl,
			       sizeof(ctrl)) == sizeof(ctrl)) {
			console_ctrl_handle(con, &ctrl);
		}
		virtq_push(vq, elem, 0);
		pushed = true;
	}
	if (pushed) {
		virtq_notify(vq);
	}
}

static void console_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct virtio_console *con = to_console(vdev);
	struct console_port *port;
	bool is_tx;

	if (index == CONSOLE_CTRL_TX) {
		console_ctrl_receive(con);
		return;
	}
	if (index == CONSOLE_CTRL_RX) {
		console_ctrl_flush(con);
		return;
	}
	port = queue_port(con, index, &is_tx);
	if (!port || !port->used) {
		return;
	}
	if (is_tx) {
		console_transmit(port, vdev->vqs[index]);
	} else if (port->chr) {
		/* New receive buffers: the chardev may deliver again. */
		chardev_accept_input(port->chr);
	}
}

static void console_status_changed(struct virtio_device *vdev, uint8_t old,
				   uint8_t status)
{
	struct virtio_console *con = to_console(vdev);

	if (!(status & VIRTIO_STATUS_DRIVER_OK)) {
		return;
	}
	for (unsigned i = 0; i < CONSOLE_MAX_PORTS; i++) {
		if (con->ports[i].chr) {
			chardev_accept_input(con->ports[i].chr);
		}
	}
}

static void console_reset(struct virtio_device *vdev)
{
	struct virtio_console *con = to_console(vdev);

	for (unsigned i = 0; i < CONSOLE_MAX_PORTS; i++) {
		free(con->ports[i].rx_elem);
		con->ports[i].rx_elem = NULL;
	}
	con->nr_pending = 0;
}

static void console_free(struct virtio_device *vdev)
{
	struct virtio_console *con = to_console(vdev);

	if (last_console == con) {
		last_console = NULL;
	}
	console_reset(vdev);
	virtio_free_queues(vdev);
	free(con);
}

static const struct virtio_device_ops virtio_console_ops = {
	.queue_notify = console_queue_notify,
	.status_changed = console_status_changed,
	.reset = console_reset,
	.free = console_free,
};

struct virtio_device *virtio_console_new(struct error **errp)
{
	struct virtio_console *con = calloc(1, sizeof(*con));
	uint32_t max_ports = CONSOLE_MAX_PORTS;

	if (!con) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	virtio_init(&con->vdev, &virtio_console_ops, "virtio-console",
		    VIRTIO_ID_CONSOLE,
		    (1ull << VIRTIO_CONSOLE_F_MULTIPORT) |
			    (1ull << VIRTIO_F_INDIRECT_DESC) |
			    (1ull << VIRTIO_F_EVENT_IDX),
		    con->config, sizeof(con->config));
	memcpy(con->config + 4, &max_ports, 4);
	for (unsigned i = 0; i < CONSOLE_MAX_PORTS; i++) {
		con->ports[i].con = con;
		con->ports[i].id = i;
	}
	for (unsigned q = 0; q < 2 * (CONSOLE_MAX_PORTS + 1); q++) {
		if (!virtio_add_queue(&con->vdev, CONSOLE_QUEUE_SIZE)) {
			console_free(&con->vdev);
			error_setg(errp, "out of memory");
			return NULL;
		}
	}
	last_console = con;
	return &con->vdev;
}

bool virtio_console_attach(struct virtio_device *vdev, struct chardev *chr,
			   bool console, const char *name, struct error **errp)
{
	struct virtio_console *con = to_console(vdev);
	struct console_port *port = NULL;
	struct chardev_frontend fe = {
		.can_read = console_can_read,
		.read = console_read,
	};

	if (name && strlen(name) >= CONSOLE_NAME_MAX) {
		error_setg(errp, "port name '%s' is too long", name);
		return false;
	}
	for (unsigned i = console ? 0 : 1; i < CONSOLE_MAX_PORTS && !port;
	     i++) {
		if (!con->ports[i].used) {
			port = &con->ports[i];
		}
		if (console) {
			break;
		}
	}
	if (!port) {
		error_setg(errp, "the virtio-serial device has no free %s",
			   console ? "console port (one per device)" : "port");
		return false;
	}
	fe.opaque = port;
	if (!chardev_attach(chr, &fe, errp)) {
		return false;
	}
	port->used = true;
	port->chr = chr;
	snprintf(port->name, sizeof(port->name), "%s", name ? name : "");
	return true;
}

struct virtio_device *virtio_console_last(void)
{
	return last_console ? &last_console->vdev : NULL;
}
