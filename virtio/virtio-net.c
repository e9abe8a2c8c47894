/* SPDX-License-Identifier: MIT */
/* virtio-net (virtio 1.2, 5.1): one receive and one transmit queue on a
 * netdev. Frames go out on the vCPU thread inside the notify; frames come in
 * from the backend's thread; both under the big lock. */
#include <stdlib.h>
#include <string.h>

#include "hw/core/bql.h"
#include "net/net.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "virtio/virtio-net.h"
#include "virtio/virtqueue.h"

#define VIRTIO_NET_F_CSUM 0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC 5
#define VIRTIO_NET_F_STATUS 16

#define VIRTIO_NET_S_LINK_UP 1
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE 0

#define NET_RX 0
#define NET_TX 1
#define NET_QUEUE_SIZE 256
/* Transmit chains per notify before the rest goes to the main loop, so
 * that one guest flood cannot hold the big lock without end. */
#define NET_TX_BURST 256

/* Config space (5.1.4): mac, status, max_virtqueue_pairs. */
#define NET_CFG_MAC 0
#define NET_CFG_STATUS 6
#define NET_CFG_PAIRS 8
#define NET_CFG_SIZE 10

/* struct virtio_net_hdr with VERSION_1: always with num_buffers. */
struct net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

struct virtio_net {
	struct virtio_device vdev;
	uint8_t config[NET_CFG_SIZE];
	struct netdev *nd;
	bool tx_scheduled;
	uint8_t tx_buf[NETDEV_MAX_FRAME];
};

static struct virtio_net *to_net(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_net, vdev);
}

/* The Internet checksum of buf, folded and complemented; 0 is sent as
 * 0xffff, which means the same and keeps UDP's "no checksum" apart. */
static uint16_t net_checksum(const uint8_t *buf, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
	}
	if (i < len) {
		sum += (uint32_t)buf[i] << 8;
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	sum = ~sum & 0xffff;
	return sum ? sum : 0xffff;
}

/* VIRTIO_NET_F_CSUM: the driver left the checksum from csum_start on to
 * us, with the pseudo-header sum already in the checksum field. */
static void net_complete_checksum(struct virtio_net *net,
				  const struct net_hdr *hdr, uint8_t *buf,
				  size_t len)
{
	size_t start = hdr->csum_start, at = start + hdr->csum_offset;
	uint16_t sum;

	if (!(hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	    !virtio_has_feature(&net->vdev, VIRTIO_NET_F_CSUM)) {
		return;
	}
	if (at + 2 > len) {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-net: checksum at %zu past a %zu-byte "
				"frame\n",
				at, len);
		return;
	}
	sum = net_checksum(buf + start, len - start);
	buf[at] = sum >> 8;
	buf[at + 1] = sum & 0xff;
}

/* One chain from the transmit queue: header, then the frame. */
static void net_transmit_one(struct virtio_net *net, struct virtq_elem *elem)
{
	struct net_hdr hdr;
	size_t len;

	iov_to_buf(elem->out, elem->out_num, 0, &hdr, sizeof(hdr));
	len = elem->out_len - sizeof(hdr);
	if (len > sizeof(net->tx_buf)) {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-net: %zu-byte frame dropped\n", len);
		return;
	}
	iov_to_buf(elem->out, elem->out_num, sizeof(hdr), net->tx_buf, len);
	net_complete_checksum(net, &hdr, net->tx_buf, len);
	if (net->nd) {
		netdev_send(net->nd, net->tx_buf, len);
	}
}

static void net_tx_bh(void *opaque);

static void net_transmit(struct virtio_net *net)
{
	struct virtqueue *vq = net->vdev.vqs[NET_TX];
	struct virtq_elem *elem;
	unsigned done = 0;

	while (done < NET_TX_BURST && (elem = virtq_pop(vq))) {
		if (elem->out_len < sizeof(struct net_hdr)) {
			virtio_error(&net->vdev,
				     "virtio-net: transmit chain of %zu bytes "
				     "has no header",
				     elem->out_len);
			free(elem);
			break;
		}
		net_transmit_one(net, elem);
		virtq_push(vq, elem, 0);
		done++;
	}
	if (done) {
		virtq_notify(vq);
	}
	if (done == NET_TX_BURST && !net->tx_scheduled) {
		net->tx_scheduled = true;
		main_loop_schedule(net_tx_bh, net);
	}
}

static void net_tx_bh(void *opaque)
{
	struct virtio_net *net = opaque;

	bql_lock();
	net->tx_scheduled = false;
	if (net->vdev.status & VIRTIO_STATUS_DRIVER_OK) {
		net_transmit(net);
	}
	bql_unlock();
}

static bool net_rx_live(struct virtio_net *net)
{
	struct virtqueue *vq = net->vdev.vqs[NET_RX];

	return (net->vdev.status & VIRTIO_STATUS_DRIVER_OK) &&
	       !net->vdev.broken && vq->ready;
}

/* A receive chain, or NULL when the driver has none for now. */
static struct virtq_elem *net_rx_pop(struct virtqueue *vq)
{
	struct virtq_elem *elem = virtq_pop(vq);

	if (!elem && virtq_set_notification(vq, true)) {
		elem = virtq_pop(vq);
	}
	return elem;
}

/* The netdev's frame for the guest (false: no buffer, hold it). */
static bool net_receive(void *opaque, const uint8_t *buf, size_t len)
{
	struct virtio_net *net = opaque;
	struct virtqueue *vq = net->vdev.vqs[NET_RX];
	struct net_hdr hdr = { .num_buffers = 1 };
	struct virtq_elem *elem;

	if (!net_rx_live(net)) {
		return true; /* no driver: the frame is lost, as on a wire */
	}
	elem = net_rx_pop(vq);
	if (!elem) {
		return net->vdev.broken; /* a bad chain: drop */
	}
	if (elem->in_len < sizeof(hdr) + len) {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-net: %zu-byte receive buffer for a "
				"%zu-byte frame\n",
				elem->in_len, len);
		virtq_push(vq, elem, 0);
		virtq_notify(vq);
		return true;
	}
	if (virtio_has_feature(&net->vdev, VIRTIO_NET_F_GUEST_CSUM)) {
		/* slirp and the host stack checked or made it already. */
		hdr.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	}
	iov_from_buf(elem->in, elem->in_num, 0, &hdr, sizeof(hdr));
	iov_from_buf(elem->in, elem->in_num, sizeof(hdr), buf, len);
	virtq_push(vq, elem, sizeof(hdr) + len);
	virtq_notify(vq);
	return true;
}

/* set_link: the guest sees the carrier go and come back. */
static void net_link_changed(void *opaque, bool up)
{
	struct virtio_net *net = opaque;
	uint16_t status = up ? VIRTIO_NET_S_LINK_UP : 0;

	memcpy(net->config + NET_CFG_STATUS, &status, 2);
	virtio_config_changed(&net->vdev);
}

static void net_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct virtio_net *net = to_net(vdev);

	if (index == NET_TX) {
		net_transmit(net);
	} else if (index == NET_RX && net->nd) {
		netdev_frontend_ready(net->nd);
	}
}

static void net_status_changed(struct virtio_device *vdev, uint8_t old,
			       uint8_t status)
{
	struct virtio_net *net = to_net(vdev);

	/* Held frames go to the new driver, or are dropped without one. */
	if (net->nd) {
		netdev_frontend_ready(net->nd);
	}
}

static void net_free(struct virtio_device *vdev)
{
	struct virtio_net *net = to_net(vdev);

	if (net->nd) {
		netdev_detach(net->nd);
	}
	virtio_free_queues(vdev);
	free(net);
}

static const struct virtio_device_ops virtio_net_ops = {
	.queue_notify = net_queue_notify,
	.status_changed = net_status_changed,
	.free = net_free,
};

struct virtio_device *virtio_net_new(struct netdev *nd, const uint8_t mac[6],
				     const char *model, unsigned index,
				     struct error **errp)
{
	struct virtio_net *net = calloc(1, sizeof(*net));
	struct netdev_frontend fe = { .receive = net_receive,
				      .link_changed = net_link_changed,
				      .model = model,
				      .index = index };
	uint16_t status = VIRTIO_NET_S_LINK_UP, pairs = 1;

	if (!net) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	virtio_init(&net->vdev, &virtio_net_ops, "virtio-net", VIRTIO_ID_NET,
		    (1ull << VIRTIO_NET_F_CSUM) |
			    (1ull << VIRTIO_NET_F_GUEST_CSUM) |
			    (1ull << VIRTIO_NET_F_MAC) |
			    (1ull << VIRTIO_NET_F_STATUS) |
			    (1ull << VIRTIO_F_INDIRECT_DESC) |
			    (1ull << VIRTIO_F_EVENT_IDX),
		    net->config, sizeof(net->config));
	memcpy(net->config + NET_CFG_MAC, mac, 6);
	memcpy(net->config + NET_CFG_STATUS, &status, 2);
	memcpy(net->config + NET_CFG_PAIRS, &pairs, 2);
	if (!virtio_add_queue(&net->vdev, NET_QUEUE_SIZE) ||
	    !virtio_add_queue(&net->vdev, NET_QUEUE_SIZE)) {
		net_free(&net->vdev);
		error_setg(errp, "out of memory");
		return NULL;
	}
	fe.opaque = net;
	memcpy(fe.mac, mac, 6);
	if (nd && !netdev_attach(nd, &fe, errp)) {
		net_free(&net->vdev);
		return NULL;
	}
	net->nd = nd;
	return &net->vdev;
}
