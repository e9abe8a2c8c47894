/* SPDX-License-Identifier: MIT */
/* Constructors of the virtio device types that have no header of their own. */
#ifndef MIMIC_VIRTIO_VIRTIO_DEVICES_H
#define MIMIC_VIRTIO_VIRTIO_DEVICES_H

#include "util/error.h"
#include "virtio/virtio.h"

struct chardev;

struct virtio_device *virtio_rng_new(struct error **errp);
/* virtio-serial: a console (port 0) and named ports, each on a chardev
 * attached with virtio_console_attach. */
struct virtio_device *virtio_console_new(struct error **errp);
/* console: port 0, the guest's console; else the next free port, named
 * name (may be NULL). */
bool virtio_console_attach(struct virtio_device *vdev, struct chardev *chr,
			   bool console, const char *name, struct error **errp);
/* The virtio-serial device created last, or NULL. */
struct virtio_device *virtio_console_last(void);

#endif
