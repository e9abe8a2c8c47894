/* SPDX-License-Identifier: MIT */
/* virtio-net: a NIC on a netdev (-netdev user, tap). */
#ifndef MIMIC_VIRTIO_VIRTIO_NET_H
#define MIMIC_VIRTIO_VIRTIO_NET_H

#include <stdint.h>

#include "util/error.h"
#include "virtio/virtio.h"

struct netdev;

/* A virtio-net device plugged into nd (NULL: no cable); model names it in
 * info network ("virtio-net-pci"). */
struct virtio_device *virtio_net_new(struct netdev *nd, const uint8_t mac[6],
				     const char *model, struct error **errp);

#endif
