/* SPDX-License-Identifier: MIT */
/* virtio-console (virtio 1.2, 5.3) with one port and no MULTIPORT: the
 * guest's hvc0, on a chardev. */
#include <stdlib.h>
#include <string.h>

#include "chardev/char.h"
#include "virtio/virtio-devices.h"
#include "virtio/virtqueue.h"

#define CONSOLE_RX 0 /* receiveq: host to guest */
#define CONSOLE_TX 1 /* transmitq: guest to host */
#define CONSOLE_QUEUE_SIZE 128

struct virtio_console {
	struct virtio_device vdev;
	uint8_t config[12]; /* cols, rows, max_nr_ports, emerg_wr */
	struct chardev *chr;
	/* A receive buffer popped to learn its size, not yet filled. */
	struct virtq_elem *rx_elem;
};

static struct virtio_console *last_console;

static struct virtio_console *to_console(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_console, vdev);
}

static size_t console_can_read(void *opaque)
{
	struct virtio_console *con = opaque;

	if (!con->rx_elem && (con->vdev.status & VIRTIO_STATUS_DRIVER_OK)) {
		con->rx_elem = virtq_pop(con->vdev.vqs[CONSOLE_RX]);
	}
	return con->rx_elem ? con->rx_elem->in_len : 0;
}

static void console_read(void *opaque, const uint8_t *buf, size_t len)
{
	struct virtio_console *con = opaque;
	struct virtqueue *vq = con->vdev.vqs[CONSOLE_RX];
	struct virtq_elem *elem = con->rx_elem;
	size_t n;

	if (!elem) {
		return;
	}
	con->rx_elem = NULL;
	n = iov_from_buf(elem->in, elem->in_num, 0, buf, len);
	virtq_push(vq, elem, n);
	virtq_notify(vq);
}

static void console_transmit(struct virtio_console *con, struct virtqueue *vq)
{
	struct virtq_elem *elem;
	bool pushed = false;

	while ((elem = virtq_pop(vq))) {
		for (unsigned i = 0; i < elem->out_num && con->chr; i++) {
			chardev_write(con->chr, elem->out[i].iov_base,
				      elem->out[i].iov_len);
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

	if (index == CONSOLE_TX) {
		console_transmit(con, vdev->vqs[index]);
	} else if (con->chr) {
		/* New receive buffers: the chardev may deliver again. */
		chardev_accept_input(con->chr);
	}
}

static void console_status_changed(struct virtio_device *vdev, uint8_t old,
				   uint8_t status)
{
	struct virtio_console *con = to_console(vdev);

	if ((status & VIRTIO_STATUS_DRIVER_OK) && con->chr) {
		chardev_accept_input(con->chr);
	}
}

static void console_reset(struct virtio_device *vdev)
{
	struct virtio_console *con = to_console(vdev);

	free(con->rx_elem);
	con->rx_elem = NULL;
}

static void console_free(struct virtio_device *vdev)
{
	struct virtio_console *con = to_console(vdev);

	if (last_console == con) {
		last_console = NULL;
	}
	free(con->rx_elem);
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

	if (!con) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	virtio_init(&con->vdev, &virtio_console_ops, "virtio-console",
		    VIRTIO_ID_CONSOLE,
		    (1ull << VIRTIO_F_INDIRECT_DESC) |
			    (1ull << VIRTIO_F_EVENT_IDX),
		    con->config, sizeof(con->config));
	if (!virtio_add_queue(&con->vdev, CONSOLE_QUEUE_SIZE) ||
	    !virtio_add_queue(&con->vdev, CONSOLE_QUEUE_SIZE)) {
		console_free(&con->vdev);
		error_setg(errp, "out of memory");
		return NULL;
	}
	last_console = con;
	return &con->vdev;
}

bool virtio_console_attach(struct virtio_device *vdev, struct chardev *chr,
			   struct error **errp)
{
	struct virtio_console *con = to_console(vdev);
	struct chardev_frontend fe = {
		.can_read = console_can_read,
		.read = console_read,
		.opaque = con,
	};

	if (con->chr) {
		error_setg(errp,
			   "virtconsole: the virtio-serial device already "
			   "has its port");
		return false;
	}
	if (!chardev_attach(chr, &fe, errp)) {
		return false;
	}
	con->chr = chr;
	return true;
}

struct virtio_device *virtio_console_find_free(void)
{
	return last_console && !last_console->chr ? &last_console->vdev : NULL;
}
