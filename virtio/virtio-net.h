/* SPDX-License-Identifier: MIT */
/* virtio-net: a NIC on a netdev (-netdev user, tap). */
#ifndef MIMIC_VIRTIO_VIRTIO_NET_H
#define MIMIC_VIRTIO_VIRTIO_NET_H

#include <stdint.h>

#include "util/error.h"
#include "virtio/virtio.h"

struct netdev;

/* A virtio-net device plugged into nd (NULL: no cable); model and index
 * name it in info network ("virtio-net-pci.0"). */
struct virtio_device *virtio_net_new(struct netdev *nd, const uint8_t mac[6],
				     const char *model, unsigned index,
				     struct error **errp);

#endif
