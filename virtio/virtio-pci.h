/* SPDX-License-Identifier: MIT */
/* The virtio-pci transport, modern interface only (virtio 1.2, 4.1). */
#ifndef MIMIC_VIRTIO_VIRTIO_PCI_H
#define MIMIC_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "virtio/virtio.h"

struct machine;

/* BAR 0 layout. */
#define VIRTIO_PCI_BAR_SIZE 0x4000
#define VIRTIO_PCI_COMMON_OFF 0x0000
#define VIRTIO_PCI_ISR_OFF 0x1000
#define VIRTIO_PCI_DEVICE_OFF 0x2000
#define VIRTIO_PCI_NOTIFY_OFF 0x3000
#define VIRTIO_PCI_NOTIFY_MULT 4

/* The PCI function for vdev (whose dma hook must be set); freeing it
 * frees vdev. */
struct pci_device *virtio_pci_new(struct virtio_device *vdev);
/* Put vdev on m's PCI host bridge; on failure vdev is freed. */
bool virtio_pci_attach(struct machine *m, struct virtio_device *vdev,
		       struct error **errp);

#endif
