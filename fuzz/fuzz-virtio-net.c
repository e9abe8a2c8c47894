/* SPDX-License-Identifier: MIT */
/* Fuzz target: virtio-net as a hostile driver drives it: descriptor tables,
 * rings and net headers from the input over a fake guest memory; frames
 * sent, frames received (with and without buffers), config accesses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "virtio/virtio-net.h"
#include "virtio/virtqueue.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000ull
#define HEADER 8 /* input bytes before the guest memory */

struct fuzz_net {
	struct netdev nd;
	uint8_t *ram;
	uint32_t sum;
};

static void *fuzz_dma(void *opaque, gpa_t addr, uint64_t len)
{
	struct fuzz_net *f = opaque;

	if (addr < RAM_BASE || addr - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (addr - RAM_BASE)) {
		return NULL;
	}
	return f->ram + (addr - RAM_BASE);
}

static void fuzz_update_irq(struct virtio_device *vdev)
{
}

static const struct virtio_transport_ops fuzz_transport = {
	.update_irq = fuzz_update_irq,
};

/* The backend reads every byte of what the guest sent. */
static void fuzz_send(struct netdev *nd, const uint8_t *buf, size_t len)
{
	struct fuzz_net *f = container_of(nd, struct fuzz_net, nd);

	for (size_t i = 0; i < len; i++) {
		f->sum += buf[i];
	}
}

static void fuzz_close(struct netdev *nd)
{
}

static const struct netdev_ops fuzz_ops = {
	.send = fuzz_send,
	.close = fuzz_close,
};

/* The driver's set-up: features and both queues from the input. */
static void fuzz_start(struct virtio_device *vdev, const uint8_t *data)
{
	virtio_set_status(vdev,
			  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	virtio_set_guest_features_word(vdev, 0,
				       data[0] | (uint32_t)data[1] << 24);
	virtio_set_guest_features_word(vdev, 1, 1);
	virtio_set_status(vdev, vdev->status | VIRTIO_STATUS_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		struct virtqueue *vq = vdev->vqs[q];

		vq->num = 1u << (data[2 + q] % 6);
		vq->desc_addr = RAM_BASE + 0x1000 * (1 + 3 * q);
		vq->avail_addr = vq->desc_addr + 0x1000;
		vq->used_addr = vq->desc_addr + 0x2000;
		virtq_enable(vq);
	}
	virtio_set_status(vdev, vdev->status | VIRTIO_STATUS_DRIVER_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
	static uint8_t frame[2048]; /* a backend's own buffer, not guest RAM */
	struct fuzz_net f = { 0 };
	struct virtio_device *vdev;
	size_t frame_len;

	if (size < HEADER) {
		return 0;
	}
	f.ram = calloc(1, RAM_SIZE);
	if (!f.ram) {
		return 0;
	}
	memcpy(f.ram, data + HEADER,
	       size - HEADER < RAM_SIZE ? size - HEADER : RAM_SIZE);
	netdev_init_common(&f.nd, &fuzz_ops, "fuzz", "f0");
	vdev = virtio_net_new(&f.nd, mac, "virtio-net-device", 0, NULL);
	if (!vdev) {
		goto out;
	}
	vdev->dma = fuzz_dma;
	vdev->dma_opaque = &f;
	vdev->transport = &fuzz_transport;
	fuzz_start(vdev, data);
	vdev->ops->queue_notify(vdev, 1);
	frame_len = (data[4] | data[5] << 8) % sizeof(frame);
	memcpy(frame, f.ram, frame_len);
	for (unsigned i = 0; i < (data[6] & 7u); i++) {
		netdev_deliver(&f.nd, frame, frame_len);
	}
	vdev->ops->queue_notify(vdev, 0);
	vdev->ops->queue_notify(vdev, data[7] % 3);
	virtio_config_write(vdev, data[7] % 12, 1 << (data[6] >> 6), 0xff);
	virtio_config_read(vdev, data[7] % 12, 1 << (data[6] >> 6));
	virtio_set_status(vdev, 0);
	netdev_deliver(&f.nd, frame, frame_len);
	vdev->ops->free(vdev);
out:
	free(f.nd.id);
	free(f.ram);
	return 0;
}
