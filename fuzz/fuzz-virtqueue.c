/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary descriptor tables and rings through the virtqueue
 * chain walker, over a fake guest memory made of the input; then register
 * accesses from the input through the virtio-mmio transport. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/virtio-mmio.h"
#include "virtio/virtqueue.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x10000ull

struct fuzz_dev {
	struct virtio_device vdev;
	uint8_t *ram;
};

static void *fuzz_dma(void *opaque, gpa_t addr, uint64_t len)
{
	struct fuzz_dev *f = opaque;

	if (addr < RAM_BASE || addr - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (addr - RAM_BASE)) {
		return NULL;
	}
	return f->ram + (addr - RAM_BASE);
}

static void fuzz_update_irq(struct virtio_device *vdev)
{
}

static uint32_t fuzz_use(struct virtq_elem *elem);

static void fuzz_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct virtqueue *vq = vdev->vqs[index];
	struct virtq_elem *elem;

	for (unsigned n = 0; n < 512 && (elem = virtq_pop(vq)); n++) {
		virtq_push(vq, elem, fuzz_use(elem));
	}
	virtq_notify(vq);
}

static const struct virtio_device_ops fuzz_ops = {
	.queue_notify = fuzz_queue_notify,
};
static const struct virtio_transport_ops fuzz_transport = {
	.update_irq = fuzz_update_irq,
};

/* Touch every byte the element hands out, so ASan sees a bad mapping. */
static uint32_t fuzz_use(struct virtq_elem *elem)
{
	uint32_t sum = 0;

	for (unsigned i = 0; i < elem->out_num + elem->in_num; i++) {
		const uint8_t *p = elem->iov[i].iov_base;

		sum += p[0] + p[elem->iov[i].iov_len - 1];
	}
	for (unsigned i = 0; i < elem->in_num; i++) {
		memset(elem->in[i].iov_base, 0xa5, elem->in[i].iov_len);
	}
	return sum;
}

/* Register accesses: 6 bytes each (offset / 4, size and direction, value)
 * from input offset 4 + 0x800 on. */
static void fuzz_mmio(struct fuzz_dev *f, const uint8_t *data, size_t size)
{
	struct irq_line none = { 0 };
	struct device *dev = virtio_mmio_new(0x10001000, none, &f->vdev);

	if (!dev) {
		return;
	}
	for (size_t pos = 4 + 0x800; pos + 6 <= size; pos += 6) {
		uint64_t offset = data[pos] * 4 + (data[pos + 1] >> 4);
		unsigned len = 1u << ((data[pos + 1] >> 1) & 3);
		uint32_t val;
		uint64_t out;

		memcpy(&val, data + pos + 2, 4);
		if (data[pos + 1] & 1) {
			dev->ops->write(dev, offset, len, val);
		} else {
			dev->ops->read(dev, offset, len, &out);
		}
	}
	dev->ops->reset(dev);
	dev->ops->free(dev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_dev f = { 0 };
	struct virtqueue *vq;
	uint64_t features = 1ull << VIRTIO_F_VERSION_1;

	if (size < 4) {
		return 0;
	}
	f.ram = calloc(1, RAM_SIZE);
	if (!f.ram) {
		return 0;
	}
	memcpy(f.ram, data + 4, size - 4 < RAM_SIZE ? size - 4 : RAM_SIZE);
	if (data[0] & 1) {
		features |= 1ull << VIRTIO_F_INDIRECT_DESC;
	}
	if (data[0] & 2) {
		features |= 1ull << VIRTIO_F_EVENT_IDX;
	}
	virtio_init(&f.vdev, &fuzz_ops, "fuzz", 1, features, NULL, 0);
	f.vdev.dma = fuzz_dma;
	f.vdev.dma_opaque = &f;
	f.vdev.transport = &fuzz_transport;
	vq = virtio_add_queue(&f.vdev, 256);
	if (vq) {
		f.vdev.guest_features = features;
		f.vdev.status = VIRTIO_STATUS_DRIVER_OK;
		vq->num = 1u << (data[1] % 9);
		/* Ring addresses from the input, within its first 2 KiB
		 * (libFuzzer's inputs are short); the rest of RAM is 0. */
		vq->desc_addr = RAM_BASE + ((data[2] & 0x3f) << 4);
		vq->avail_addr = RAM_BASE + 0x400 + ((data[3] & 0xf) << 4);
		vq->used_addr = RAM_BASE + 0x600 + ((data[3] >> 4) << 4);
		if (virtq_enable(vq)) {
			struct virtq_elem *elem;

			for (unsigned n = 0; n < 512 && (elem = virtq_pop(vq));
			     n++) {
				virtq_push(vq, elem, fuzz_use(elem));
				virtq_notify(vq);
			}
			virtq_set_notification(vq, data[0] & 4);
		}
		virtio_reset(&f.vdev);
		if (data[0] & 8) {
			fuzz_mmio(&f, data, size);
		}
	}
	virtio_free_queues(&f.vdev);
	free(f.ram);
	return 0;
}
