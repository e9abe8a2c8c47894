/* SPDX-License-Identifier: MIT */
/* Unit tests of the network layer: hostfwd rules, -nic splitting, MACs,
 * the hold queue between a backend and a NIC, and virtio-net over a fake
 * guest memory (checksums, bad chains, a guest without buffers). */
#include <stdlib.h>
#include <string.h>

#include "net/hostfwd.h"
#include "net/net.h"
#include "tests/unit/unit.h"
#include "util/options.h"
#include "virtio/virtio-net.h"
#include "virtio/virtqueue.h"

TEST(net_hostfwd_rules)
{
	struct hostfwd fwd;

	CHECK(hostfwd_parse("tcp:127.0.0.1:2222-:22", &fwd, NULL));
	CHECK(!fwd.udp);
	CHECK_EQ(fwd.host_addr.s_addr, htonl(0x7f000001));
	CHECK_EQ(fwd.host_port, 2222);
	CHECK_EQ(fwd.guest_addr.s_addr, 0);
	CHECK_EQ(fwd.guest_port, 22);
	CHECK(hostfwd_parse("udp::5555-10.0.2.20:53", &fwd, NULL));
	CHECK(fwd.udp);
	CHECK_EQ(fwd.host_addr.s_addr, 0);
	CHECK_EQ(fwd.guest_addr.s_addr, htonl(0x0a000214));
	CHECK(hostfwd_parse("::8080-:80", &fwd, NULL)); /* tcp by default */
	CHECK(!fwd.udp && fwd.host_port == 8080 && fwd.guest_port == 80);

	CHECK(!hostfwd_parse("", &fwd, NULL));
	CHECK(!hostfwd_parse("sctp::1-:2", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp:1.2.3:1-:2", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::65536-:2", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::-1-:2", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::22:22", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::22-:0", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::22-:22x", &fwd, NULL));
	CHECK(!hostfwd_parse("tcp::22-10.0.2.300:22", &fwd, NULL));

	CHECK(hostfwd_parse_host("udp:127.0.0.1:5555", &fwd, NULL));
	CHECK(fwd.udp && fwd.host_port == 5555);
	CHECK(!hostfwd_parse_host("tcp::2222-:22", &fwd, NULL));
}

TEST(net_opts_repeated_keys)
{
	struct opts *o =
		opts_parse("user,hostfwd=a,id=x,hostfwd=b,,c", "type", NULL);

	CHECK_STR(opts_get_nth(o, "hostfwd", 0), "a");
	CHECK_STR(opts_get_nth(o, "hostfwd", 1), "b,c");
	CHECK(!opts_get_nth(o, "hostfwd", 2));
	CHECK_STR(opts_get(o, "hostfwd"), "b,c"); /* the last still wins */
	CHECK(!opts_get_nth(o, "nope", 0));
	opts_get(o, "type");
	opts_get(o, "id");
	CHECK(opts_check_unused(o, "t", NULL));
	opts_free(o);
}

TEST(net_nic_split)
{
	char *nd, *dev;

	CHECK(netdev_nic_split("user,hostfwd=tcp::1-:2,mac=52:54:00:00:00:09,"
			       "hostfwd=udp::3-:4,model=virtio-net-device",
			       2, &nd, &dev, NULL));
	CHECK_STR(
		nd,
		"user,id=__org.qemu.nic2,hostfwd=tcp::1-:2,hostfwd=udp::3-:4");
	CHECK_STR(
		dev,
		"virtio-net-device,netdev=__org.qemu.nic2,mac=52:54:00:00:00:09");
	free(nd);
	free(dev);
	CHECK(netdev_nic_split("user,hostname=a,,b", 0, &nd, &dev, NULL));
	CHECK_STR(nd, "user,id=__org.qemu.nic0,hostname=a,,b");
	CHECK_STR(dev, "virtio-net-pci,netdev=__org.qemu.nic0");
	free(nd);
	free(dev);
	CHECK(netdev_nic_split("none", 0, &nd, &dev, NULL));
	CHECK(!nd && !dev);
	CHECK(!netdev_nic_split("user,model=e1000", 0, &nd, &dev, NULL));
	CHECK(!netdev_nic_split("slip", 0, &nd, &dev, NULL));
}

TEST(net_mac_addresses)
{
	uint8_t mac[6];

	netdev_default_mac(1, mac);
	CHECK_EQ(mac[0], 0x52);
	CHECK_EQ(mac[5], 0x57);
	CHECK(netdev_parse_mac("52:54:00:AB:cd:01", mac, NULL));
	CHECK_EQ(mac[3], 0xab);
	CHECK_EQ(mac[4], 0xcd);
	CHECK(!netdev_parse_mac("52:54:00:ab:cd", mac, NULL));
	CHECK(!netdev_parse_mac("52:54:00:ab:cd:01:02", mac, NULL));
	CHECK(!netdev_parse_mac("52:54:00:ab:cd:0g", mac, NULL));
	CHECK(!netdev_parse_mac("01:00:5e:00:00:01", mac, NULL)); /* mcast */
}

/* A backend that records what the guest sent. */
struct fake_nd {
	struct netdev nd;
	uint8_t last[2048];
	size_t last_len;
	unsigned sent, resumed;
};

static void fake_nd_send(struct netdev *nd, const uint8_t *buf, size_t len)
{
	struct fake_nd *f = container_of(nd, struct fake_nd, nd);

	f->sent++;
	f->last_len = len < sizeof(f->last) ? len : sizeof(f->last);
	memcpy(f->last, buf, f->last_len);
}

static void fake_nd_resume(struct netdev *nd)
{
	container_of(nd, struct fake_nd, nd)->resumed++;
}

static void fake_nd_close(struct netdev *nd)
{
}

static const struct netdev_ops fake_nd_ops = {
	.send = fake_nd_send,
	.resume = fake_nd_resume,
	.close = fake_nd_close,
};

static unsigned room, received;

static bool fake_receive(void *opaque, const uint8_t *buf, size_t len)
{
	if (!room) {
		return false;
	}
	room--;
	received++;
	return true;
}

TEST(net_hold_queue)
{
	struct fake_nd f = { 0 };
	struct netdev_frontend fe = { .receive = fake_receive };
	uint8_t frame[60] = { 0 };

	netdev_init_common(&f.nd, &fake_nd_ops, "fake", "f0");
	/* No NIC: frames are dropped, the backend keeps reading. */
	CHECK(netdev_deliver(&f.nd, frame, sizeof(frame)));
	CHECK(netdev_attach(&f.nd, &fe, NULL));
	CHECK(!netdev_attach(&f.nd, &fe, NULL));
	room = 1;
	received = 0;
	CHECK(netdev_deliver(&f.nd, frame, sizeof(frame)));
	CHECK(!netdev_deliver(&f.nd, frame, sizeof(frame)));
	CHECK(!netdev_can_deliver(&f.nd));
	for (unsigned i = 0; i < NETDEV_QUEUE_MAX + 10; i++) {
		netdev_deliver(&f.nd, frame, sizeof(frame));
	}
	CHECK_EQ(f.nd.queued, NETDEV_QUEUE_MAX);
	CHECK_EQ(f.nd.dropped, 1 + 11);
	/* Buffers for part of the queue: no resume yet. */
	room = 10;
	netdev_frontend_ready(&f.nd);
	CHECK_EQ(f.nd.queued, NETDEV_QUEUE_MAX - 10);
	CHECK_EQ(f.resumed, 0);
	room = 1000;
	netdev_frontend_ready(&f.nd);
	CHECK_EQ(f.nd.queued, 0);
	CHECK_EQ(f.resumed, 1);
	CHECK(netdev_can_deliver(&f.nd));
	CHECK_EQ(received, 1 + NETDEV_QUEUE_MAX);
	netdev_frontend_ready(&f.nd);
	CHECK_EQ(f.resumed, 1);
	netdev_detach(&f.nd);
	free(f.nd.id);
}

/* virtio-net over a fake guest memory: queue 0 receives, 1 transmits. */
#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x40000ull
#define QSIZE 8
#define HDR 12

struct net_guest {
	uint8_t *ram;
	struct virtio_device *vdev;
	struct fake_nd nd;
	uint16_t next_desc[2];
};

static gpa_t ring_gpa(unsigned q, unsigned part)
{
	return RAM_BASE + 0x1000 * (1 + 3 * q + part);
}

static void *guest_ptr(struct net_guest *g, gpa_t addr)
{
	return g->ram + (addr - RAM_BASE);
}

static void *guest_dma(void *opaque, gpa_t addr, uint64_t len)
{
	struct net_guest *g = opaque;

	if (addr < RAM_BASE || addr - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (addr - RAM_BASE)) {
		return NULL;
	}
	return guest_ptr(g, addr);
}

static void guest_update_irq(struct virtio_device *vdev)
{
}

static const struct virtio_transport_ops guest_transport = {
	.update_irq = guest_update_irq,
};

static void guest_start(struct net_guest *g, uint64_t features)
{
	uint8_t mac[6];

	memset(g, 0, sizeof(*g));
	g->ram = calloc(1, RAM_SIZE);
	netdev_init_common(&g->nd.nd, &fake_nd_ops, "fake", "g0");
	netdev_default_mac(0, mac);
	g->vdev = virtio_net_new(&g->nd.nd, mac, "virtio-net-device", 0, NULL);
	g->vdev->dma = guest_dma;
	g->vdev->dma_opaque = g;
	g->vdev->transport = &guest_transport;
	virtio_set_status(g->vdev,
			  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	virtio_set_guest_features_word(g->vdev, 0, features);
	virtio_set_guest_features_word(g->vdev, 1, 1); /* VERSION_1 */
	virtio_set_status(g->vdev, g->vdev->status | VIRTIO_STATUS_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		struct virtqueue *vq = g->vdev->vqs[q];

		vq->num = QSIZE;
		vq->desc_addr = ring_gpa(q, 0);
		vq->avail_addr = ring_gpa(q, 1);
		vq->used_addr = ring_gpa(q, 2);
		CHECK(virtq_enable(vq));
	}
	virtio_set_status(g->vdev, g->vdev->status | VIRTIO_STATUS_DRIVER_OK);
}

static void guest_stop(struct net_guest *g)
{
	g->vdev->ops->free(g->vdev);
	free(g->nd.nd.id);
	free(g->ram);
}

/* Offer one buffer on queue q (device-writable for rx); returns its gpa. */
static gpa_t guest_offer(struct net_guest *g, unsigned q, uint32_t len)
{
	uint16_t i = g->next_desc[q]++ % QSIZE;
	struct virtq_desc *d =
		(struct virtq_desc *)guest_ptr(g, ring_gpa(q, 0)) + i;
	struct virtq_avail *avail = guest_ptr(g, ring_gpa(q, 1));
	gpa_t buf = RAM_BASE + 0x10000 + 0x1000 * (q * QSIZE + i);

	d->addr = buf;
	d->len = len;
	d->flags = q == 0 ? VIRTQ_DESC_F_WRITE : 0;
	d->next = 0;
	avail->ring[avail->idx % QSIZE] = i;
	avail->idx++;
	return buf;
}

static struct virtq_used *guest_used(struct net_guest *g, unsigned q)
{
	return guest_ptr(g, ring_gpa(q, 2));
}

TEST(virtio_net_transmit_and_checksum)
{
	struct net_guest g;
	uint8_t *p;
	gpa_t buf;

	guest_start(&g, 1u << 0 /* CSUM */ | 1u << 5 /* MAC */);
	CHECK_EQ(virtio_config_read(g.vdev, 5, 1), 0x56);
	CHECK_EQ(virtio_config_read(g.vdev, 6, 2), 1); /* link up */
	/* A frame whose last 4 bytes are a checksum left to us at 56. */
	buf = guest_offer(&g, 1, HDR + 60);
	p = guest_ptr(&g, buf);
	p[0] = 1; /* NEEDS_CSUM */
	p[6] = 50; /* csum_start */
	p[8] = 6; /* csum_offset */
	memset(p + HDR + 50, 0, 10);
	p[HDR + 50] = 0x12;
	p[HDR + 51] = 0x34;
	g.vdev->ops->queue_notify(g.vdev, 1);
	CHECK_EQ(g.nd.sent, 1);
	CHECK_EQ(g.nd.last_len, 60);
	/* ~0x1234 = 0xedcb */
	CHECK_EQ(g.nd.last[56], 0xed);
	CHECK_EQ(g.nd.last[57], 0xcb);
	CHECK_EQ(guest_used(&g, 1)->idx, 1);
	/* A chain shorter than the header is a driver bug: NEEDS_RESET. */
	guest_offer(&g, 1, 4);
	g.vdev->ops->queue_notify(g.vdev, 1);
	CHECK_EQ(g.nd.sent, 1);
	CHECK(g.vdev->status & VIRTIO_STATUS_NEEDS_RESET);
	guest_stop(&g);
}

TEST(virtio_net_receive_holds_without_buffers)
{
	uint8_t frame[100];
	struct net_guest g;
	uint8_t *p;
	gpa_t small, buf;

	for (unsigned i = 0; i < sizeof(frame); i++) {
		frame[i] = i;
	}
	guest_start(&g, 1u << 1 /* GUEST_CSUM */);
	/* No buffers: held, and the backend must stop reading. */
	CHECK(!netdev_deliver(&g.nd.nd, frame, sizeof(frame)));
	CHECK_EQ(g.nd.nd.queued, 1);
	/* Too small a buffer: that frame is dropped, the chain returned. */
	small = guest_offer(&g, 0, 64);
	buf = guest_offer(&g, 0, 2048);
	g.vdev->ops->queue_notify(g.vdev, 0);
	CHECK_EQ(guest_used(&g, 0)->idx, 1);
	CHECK_EQ(guest_used(&g, 0)->ring[0].len, 0);
	CHECK_EQ(g.nd.nd.queued, 0);
	CHECK_EQ(g.nd.resumed, 1);
	CHECK(netdev_deliver(&g.nd.nd, frame, sizeof(frame)));
	CHECK_EQ(guest_used(&g, 0)->idx, 2);
	CHECK_EQ(guest_used(&g, 0)->ring[1].len, HDR + sizeof(frame));
	p = guest_ptr(&g, buf);
	CHECK_EQ(p[0], 2); /* DATA_VALID */
	CHECK_EQ(p[10], 1); /* num_buffers */
	CHECK(!memcmp(p + HDR, frame, sizeof(frame)));
	(void)small;
	/* After a reset the device drops frames instead of holding them. */
	virtio_set_status(g.vdev, 0);
	CHECK(netdev_deliver(&g.nd.nd, frame, sizeof(frame)));
	guest_stop(&g);
}
