/* SPDX-License-Identifier: MIT */
/* The virtio-mmio transport, version 2: registers, QueueReady, the
 * device-tree node, and a slot of the board. */
#include <stdlib.h>

#include "hw/core/fdt.h"
#include "machine/machine.h"
#include "util/log.h"
#include "virtio/virtio-mmio.h"
#include "virtio/virtqueue.h"

#define MMIO_MAGIC_VALUE 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_VENDOR_ID 0x00c
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_READY 0x044
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC_LOW 0x080
#define MMIO_QUEUE_DESC_HIGH 0x084
#define MMIO_QUEUE_DRIVER_LOW 0x090
#define MMIO_QUEUE_DRIVER_HIGH 0x094
#define MMIO_QUEUE_DEVICE_LOW 0x0a0
#define MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define MMIO_SHM_SEL 0x0ac
#define MMIO_SHM_LEN_LOW 0x0b0
#define MMIO_SHM_LEN_HIGH 0x0b4
#define MMIO_SHM_BASE_LOW 0x0b8
#define MMIO_SHM_BASE_HIGH 0x0bc
#define MMIO_CONFIG_GENERATION 0x0fc
#define MMIO_CONFIG 0x100

#define MMIO_MAGIC 0x74726976 /* "virt" */
#define MMIO_VENDOR 0x554d4551 /* the vendor ID QEMU reports */

struct virtio_mmio {
	struct device dev;
	struct virtio_device *vdev;
	uint32_t device_features_sel, driver_features_sel;
	uint32_t queue_sel;
};

static struct virtio_mmio *to_mmio(struct device *dev)
{
	return container_of(dev, struct virtio_mmio, dev);
}

static struct virtqueue *mmio_queue(struct virtio_mmio *mmio)
{
	struct virtio_device *vdev = mmio->vdev;

	return mmio->queue_sel < vdev->nr_vqs ? vdev->vqs[mmio->queue_sel] :
						NULL;
}

static uint32_t mmio_read_reg(struct virtio_mmio *mmio, uint64_t offset)
{
	struct virtio_device *vdev = mmio->vdev;
	struct virtqueue *vq = mmio_queue(mmio);

	switch (offset) {
	case MMIO_MAGIC_VALUE:
		return MMIO_MAGIC;
	case MMIO_VERSION:
		return 2;
	case MMIO_DEVICE_ID:
		return vdev->device_id;
	case MMIO_VENDOR_ID:
		return MMIO_VENDOR;
	case MMIO_DEVICE_FEATURES:
		return virtio_host_features_word(vdev,
						 mmio->device_features_sel);
	case MMIO_QUEUE_NUM_MAX:
		return vq ? vq->num_max : 0;
	case MMIO_QUEUE_READY:
		return vq ? vq->ready : 0;
	case MMIO_INTERRUPT_STATUS:
		return vdev->isr;
	case MMIO_STATUS:
		return vdev->status;
	case MMIO_SHM_LEN_LOW:
	case MMIO_SHM_LEN_HIGH:
	case MMIO_SHM_BASE_LOW:
	case MMIO_SHM_BASE_HIGH:
		return 0xffffffff; /* no shared memory regions */
	case MMIO_CONFIG_GENERATION:
		return vdev->config_generation;
	default:
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-mmio: read of register 0x%llx\n",
				(unsigned long long)offset);
		return 0;
	}
}

static void mmio_set_addr(struct virtqueue *vq, gpa_t *addr, bool high,
			  uint32_t val)
{
	if (!vq || vq->ready) {
		return;
	}
	if (high) {
		*addr = (*addr & 0xffffffffull) | ((gpa_t)val << 32);
	} else {
		*addr = (*addr & ~0xffffffffull) | val;
	}
}

static void mmio_queue_ready(struct virtio_mmio *mmio, uint32_t val)
{
	struct virtqueue *vq = mmio_queue(mmio);

	if (!vq) {
		return;
	}
	if (val & 1) {
		if (!vq->ready) {
			virtq_enable(vq);
		}
	} else {
		vq->ready = false;
	}
}

static void mmio_queue_notify(struct virtio_mmio *mmio, uint32_t val)
{
	struct virtio_device *vdev = mmio->vdev;
	unsigned index = val & 0xffff;

	if (index < vdev->nr_vqs && vdev->vqs[index]->ready && !vdev->broken &&
	    vdev->ops->queue_notify) {
		vdev->ops->queue_notify(vdev, index);
	}
}

static void mmio_write_reg(struct virtio_mmio *mmio, uint64_t offset,
			   uint32_t val)
{
	struct virtio_device *vdev = mmio->vdev;
	struct virtqueue *vq = mmio_queue(mmio);

	switch (offset) {
	case MMIO_DEVICE_FEATURES_SEL:
		mmio->device_features_sel = val;
		break;
	case MMIO_DRIVER_FEATURES:
		virtio_set_guest_features_word(vdev, mmio->driver_features_sel,
					       val);
		break;
	case MMIO_DRIVER_FEATURES_SEL:
		mmio->driver_features_sel = val;
		break;
	case MMIO_QUEUE_SEL:
		mmio->queue_sel = val;
		break;
	case MMIO_QUEUE_NUM:
		if (vq && !vq->ready) {
			vq->num = val > 0xffff ? 0 : val;
		}
		break;
	case MMIO_QUEUE_READY:
		mmio_queue_ready(mmio, val);
		break;
	case MMIO_QUEUE_NOTIFY:
		mmio_queue_notify(mmio, val);
		break;
	case MMIO_INTERRUPT_ACK:
		virtio_isr_ack(vdev, val);
		break;
	case MMIO_STATUS:
		virtio_set_status(vdev, val);
		break;
	case MMIO_QUEUE_DESC_LOW:
	case MMIO_QUEUE_DESC_HIGH:
		mmio_set_addr(vq, vq ? &vq->desc_addr : NULL,
			      offset == MMIO_QUEUE_DESC_HIGH, val);
		break;
	case MMIO_QUEUE_DRIVER_LOW:
	case MMIO_QUEUE_DRIVER_HIGH:
		mmio_set_addr(vq, vq ? &vq->avail_addr : NULL,
			      offset == MMIO_QUEUE_DRIVER_HIGH, val);
		break;
	case MMIO_QUEUE_DEVICE_LOW:
	case MMIO_QUEUE_DEVICE_HIGH:
		mmio_set_addr(vq, vq ? &vq->used_addr : NULL,
			      offset == MMIO_QUEUE_DEVICE_HIGH, val);
		break;
	case MMIO_SHM_SEL:
		break;
	default:
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-mmio: write of register 0x%llx\n",
				(unsigned long long)offset);
		break;
	}
}

static bool mmio_read(struct device *dev, uint64_t offset, unsigned size,
		      uint64_t *val)
{
	struct virtio_mmio *mmio = to_mmio(dev);

	if (offset >= MMIO_CONFIG) {
		*val = virtio_config_read(mmio->vdev, offset - MMIO_CONFIG,
					  size);
		return true;
	}
	if (size != 4 || (offset & 3)) {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-mmio: %u-byte read at 0x%llx\n", size,
				(unsigned long long)offset);
		*val = 0;
		return true;
	}
	*val = mmio_read_reg(mmio, offset);
	return true;
}

static bool mmio_write(struct device *dev, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct virtio_mmio *mmio = to_mmio(dev);

	if (offset >= MMIO_CONFIG) {
		virtio_config_write(mmio->vdev, offset - MMIO_CONFIG, size,
				    val);
		return true;
	}
	if (size != 4 || (offset & 3)) {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-mmio: %u-byte write at 0x%llx\n", size,
				(unsigned long long)offset);
		return true;
	}
	mmio_write_reg(mmio, offset, val);
	return true;
}

static void mmio_reset(struct device *dev)
{
	struct virtio_mmio *mmio = to_mmio(dev);

	mmio->device_features_sel = 0;
	mmio->driver_features_sel = 0;
	mmio->queue_sel = 0;
	virtio_reset(mmio->vdev);
}

static bool mmio_fdt_node(struct device *dev, struct fdt_ctx *ctx,
			  struct error **errp)
{
	int node =
		fdt_ctx_add_mmio_node(ctx, "virtio_mmio", dev->base, dev->size);

	fdt_ctx_set_string(ctx, node, "compatible", "virtio,mmio");
	fdt_ctx_set_plic_irq(ctx, node, dev->irq.irq);
	return !ctx->err;
}

static void mmio_free(struct device *dev)
{
	struct virtio_mmio *mmio = to_mmio(dev);

	if (mmio->vdev->ops->free) {
		mmio->vdev->ops->free(mmio->vdev);
	}
	free(mmio);
}

static const struct device_ops virtio_mmio_ops = {
	.read = mmio_read,
	.write = mmio_write,
	.reset = mmio_reset,
	.fdt_node = mmio_fdt_node,
	.free = mmio_free,
};

static void mmio_update_irq(struct virtio_device *vdev)
{
	struct virtio_mmio *mmio = vdev->transport_opaque;

	irq_line_set(&mmio->dev.irq, vdev->isr != 0);
}

static const struct virtio_transport_ops virtio_mmio_transport = {
	.update_irq = mmio_update_irq,
};

struct device *virtio_mmio_new(gpa_t base, struct irq_line irq,
			       struct virtio_device *vdev)
{
	struct virtio_mmio *mmio = calloc(1, sizeof(*mmio));

	if (!mmio) {
		return NULL;
	}
	mmio->dev.ops = &virtio_mmio_ops;
	mmio->dev.name = vdev->name;
	mmio->dev.base = base;
	mmio->dev.size = VIRT_VIRTIO_SIZE;
	mmio->dev.irq = irq;
	mmio->vdev = vdev;
	vdev->transport = &virtio_mmio_transport;
	vdev->transport_opaque = mmio;
	return &mmio->dev;
}

static void *virtio_mmio_machine_dma(void *opaque, gpa_t addr, uint64_t len)
{
	return machine_dma(opaque, addr, len);
}

bool virtio_mmio_attach(struct machine *m, struct virtio_device *vdev,
			struct error **errp)
{
	struct irq_line irq;
	struct device *dev;
	gpa_t base;

	vdev->dma = virtio_mmio_machine_dma;
	vdev->dma_opaque = m;
	if (!machine_claim_virtio_mmio_slot(m, &base, &irq, errp)) {
		goto fail;
	}
	dev = virtio_mmio_new(base, irq, vdev);
	if (!dev) {
		error_setg(errp, "out of memory");
		goto fail;
	}
	if (!machine_add_device(m, dev, errp)) {
		mmio_free(dev);
		return false;
	}
	return true;
fail:
	if (vdev->ops->free) {
		vdev->ops->free(vdev);
	}
	return false;
}
