/* SPDX-License-Identifier: MIT */
/* The virtio-mmio transport, version 2 (virtio 1.2, 4.2). */
#ifndef MIMIC_VIRTIO_VIRTIO_MMIO_H
#define MIMIC_VIRTIO_VIRTIO_MMIO_H

#include "hw/core/device.h"
#include "virtio/virtio.h"

struct machine;

/* A register window at base for vdev (whose dma hook must be set);
 * freeing the device frees vdev too. */
struct device *virtio_mmio_new(gpa_t base, struct irq_line irq,
			       struct virtio_device *vdev);
/* Put vdev in the board's next free virtio-mmio slot; on failure vdev is
 * freed. */
bool virtio_mmio_attach(struct machine *m, struct virtio_device *vdev,
			struct error **errp);

#endif
