/* SPDX-License-Identifier: MIT */
/* virtio-blk: a disk on a -drive, requests served by worker threads. */
#ifndef MIMIC_VIRTIO_VIRTIO_BLK_H
#define MIMIC_VIRTIO_VIRTIO_BLK_H

#include "util/error.h"
#include "virtio/virtio.h"

struct drive;
struct machine;

/* A virtio-blk device on drive (which stays owned by the drive list);
 * serial may be NULL. */
struct virtio_device *virtio_blk_new(struct drive *drive, const char *serial,
				     struct error **errp);
/* -drive if=virtio: a virtio-blk-device in the next mmio slot. */
bool virtio_blk_create_mmio(struct machine *m, struct drive *drive,
			    struct error **errp);

#endif
