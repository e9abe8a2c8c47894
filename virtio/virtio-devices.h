/* SPDX-License-Identifier: MIT */
/* Constructors of the virtio device types that have no header of their own. */
#ifndef MIMIC_VIRTIO_VIRTIO_DEVICES_H
#define MIMIC_VIRTIO_VIRTIO_DEVICES_H

#include "util/error.h"
#include "virtio/virtio.h"

struct chardev;

struct virtio_device *virtio_rng_new(struct error **errp);
/* A console with one port (hvc0 in the guest); chr may be NULL and be
 * attached later with virtio_console_attach. */
struct virtio_device *virtio_console_new(struct error **errp);
bool virtio_console_attach(struct virtio_device *vdev, struct chardev *chr,
			   struct error **errp);
/* The console created last that has no chardev yet, or NULL. */
struct virtio_device *virtio_console_find_free(void);

#endif
