/* SPDX-License-Identifier: MIT */
/* virtio-pci modern: vendor capabilities pointing into one memory BAR
 * (common config, notify, ISR, device config); interrupts through INTx
 * and the ISR (the board has no MSI controller). */
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"
#include "util/log.h"
#include "virtio/virtio-pci.h"
#include "virtio/virtqueue.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_PCI_DEVICE_BASE 0x1040

#define VIRTIO_PCI_CAP_COMMON_CFG 1
#define VIRTIO_PCI_CAP_NOTIFY_CFG 2
#define VIRTIO_PCI_CAP_ISR_CFG 3
#define VIRTIO_PCI_CAP_DEVICE_CFG 4

/* struct virtio_pci_common_cfg (4.1.4.3). */
#define COMMON_DFSELECT 0
#define COMMON_DF 4
#define COMMON_GFSELECT 8
#define COMMON_GF 12
#define COMMON_MSIX 16
#define COMMON_NUMQ 18
#define COMMON_STATUS 20
#define COMMON_CFGGENERATION 21
#define COMMON_Q_SELECT 22
#define COMMON_Q_SIZE 24
#define COMMON_Q_MSIX 26
#define COMMON_Q_ENABLE 28
#define COMMON_Q_NOFF 30
#define COMMON_Q_DESC 32
#define COMMON_Q_DRIVER 40
#define COMMON_Q_DEVICE 48
#define COMMON_Q_NDATA 56
#define COMMON_Q_RESET 58
#define COMMON_SIZE 60

#define VIRTIO_NO_VECTOR 0xffff

struct virtio_pci {
	struct pci_device pd;
	struct virtio_device *vdev;
	uint32_t dfselect, gfselect;
	uint16_t queue_select;
};

static struct virtio_pci *to_vpci(struct pci_device *pd)
{
	return container_of(pd, struct virtio_pci, pd);
}

static struct virtqueue *vpci_queue(struct virtio_pci *vp)
{
	struct virtio_device *vdev = vp->vdev;

	return vp->queue_select < vdev->nr_vqs ? vdev->vqs[vp->queue_select] :
						 NULL;
}

static gpa_t *vpci_queue_addr(struct virtqueue *vq, unsigned off)
{
	if (off < COMMON_Q_DRIVER) {
		return &vq->desc_addr;
	}
	return off < COMMON_Q_DEVICE ? &vq->avail_addr : &vq->used_addr;
}

static uint64_t vpci_common_read(struct virtio_pci *vp, unsigned off,
				 unsigned size)
{
	struct virtio_device *vdev = vp->vdev;
	struct virtqueue *vq = vpci_queue(vp);

	if (off >= COMMON_Q_DESC && off < COMMON_Q_NDATA) {
		uint64_t addr = vq ? *vpci_queue_addr(vq, off) : 0;

		return addr >> (8 * (off & 7));
	}
	switch (off) {
	case COMMON_DFSELECT:
		return vp->dfselect;
	case COMMON_DF:
		return virtio_host_features_word(vdev, vp->dfselect);
	case COMMON_GFSELECT:
		return vp->gfselect;
	case COMMON_GF:
		return vp->gfselect < 2 ? (uint32_t)(vdev->guest_features >>
						     (32 * vp->gfselect)) :
					  0;
	case COMMON_MSIX:
	case COMMON_Q_MSIX:
		return VIRTIO_NO_VECTOR;
	case COMMON_NUMQ:
		return vdev->nr_vqs;
	case COMMON_STATUS:
		return vdev->status;
	case COMMON_CFGGENERATION:
		return vdev->config_generation & 0xff;
	case COMMON_Q_SELECT:
		return vp->queue_select;
	case COMMON_Q_SIZE:
		return vq ? vq->num : 0;
	case COMMON_Q_ENABLE:
		return vq ? vq->ready : 0;
	case COMMON_Q_NOFF:
		return vp->queue_select;
	default:
		return 0;
	}
}

static void vpci_set_queue_addr(struct virtqueue *vq, unsigned off,
				unsigned size, uint64_t val)
{
	gpa_t *addr;
	unsigned shift = 8 * (off & 7);
	uint64_t mask = size == 8 ? ~0ull : (0xffffffffull << shift);

	if (!vq || vq->ready || (size != 4 && size != 8)) {
		return;
	}
	addr = vpci_queue_addr(vq, off);
	*addr = (*addr & ~mask) | ((val << shift) & mask);
}

static void vpci_common_write(struct virtio_pci *vp, unsigned off,
			      unsigned size, uint64_t val)
{
	struct virtio_device *vdev = vp->vdev;
	struct virtqueue *vq = vpci_queue(vp);

	if (off >= COMMON_Q_DESC && off < COMMON_Q_NDATA) {
		vpci_set_queue_addr(vq, off, size, val);
		return;
	}
	switch (off) {
	case COMMON_DFSELECT:
		vp->dfselect = val;
		break;
	case COMMON_GFSELECT:
		vp->gfselect = val;
		break;
	case COMMON_GF:
		virtio_set_guest_features_word(vdev, vp->gfselect, val);
		break;
	case COMMON_STATUS:
		virtio_set_status(vdev, val);
		break;
	case COMMON_Q_SELECT:
		vp->queue_select = val;
		break;
	case COMMON_Q_SIZE:
		if (vq && !vq->ready) {
			vq->num = val;
		}
		break;
	case COMMON_Q_ENABLE:
		if (vq && (val & 1) && !vq->ready) {
			virtq_enable(vq);
		}
		break;
	default:
		break;
	}
}

static void vpci_notify(struct virtio_pci *vp, uint64_t off)
{
	struct virtio_device *vdev = vp->vdev;
	uint64_t index = off / VIRTIO_PCI_NOTIFY_MULT;

	if (index < vdev->nr_vqs && vdev->vqs[index]->ready && !vdev->broken &&
	    vdev->ops->queue_notify) {
		vdev->ops->queue_notify(vdev, index);
	}
}

static uint64_t vpci_bar_read(struct pci_device *pd, unsigned bar, uint64_t off,
			      unsigned size)
{
	struct virtio_pci *vp = to_vpci(pd);

	if (off < VIRTIO_PCI_COMMON_OFF + COMMON_SIZE) {
		uint64_t val = vpci_common_read(vp, off, size);

		return size == 8 ? val : val & ((1ull << (8 * size)) - 1);
	}
	if (off == VIRTIO_PCI_ISR_OFF) {
		return virtio_isr_read_clear(vp->vdev);
	}
	if (off >= VIRTIO_PCI_DEVICE_OFF && off < VIRTIO_PCI_NOTIFY_OFF) {
		return virtio_config_read(vp->vdev, off - VIRTIO_PCI_DEVICE_OFF,
					  size);
	}
	return 0;
}

static void vpci_bar_write(struct pci_device *pd, unsigned bar, uint64_t off,
			   unsigned size, uint64_t val)
{
	struct virtio_pci *vp = to_vpci(pd);

	if (off < VIRTIO_PCI_COMMON_OFF + COMMON_SIZE) {
		vpci_common_write(vp, off, size, val);
	} else if (off >= VIRTIO_PCI_DEVICE_OFF &&
		   off < VIRTIO_PCI_NOTIFY_OFF) {
		virtio_config_write(vp->vdev, off - VIRTIO_PCI_DEVICE_OFF, size,
				    val);
	} else if (off >= VIRTIO_PCI_NOTIFY_OFF) {
		vpci_notify(vp, off - VIRTIO_PCI_NOTIFY_OFF);
	} else {
		log_mask_printf(LOG_GUEST_ERROR,
				"virtio-pci: write at BAR offset 0x%llx\n",
				(unsigned long long)off);
	}
}

static void vpci_reset(struct pci_device *pd)
{
	struct virtio_pci *vp = to_vpci(pd);

	vp->dfselect = vp->gfselect = 0;
	vp->queue_select = 0;
	virtio_reset(vp->vdev);
}

static void vpci_free(struct pci_device *pd)
{
	struct virtio_pci *vp = to_vpci(pd);

	if (vp->vdev->ops->free) {
		vp->vdev->ops->free(vp->vdev);
	}
	free(vp);
}

static const struct pci_device_ops virtio_pci_ops = {
	.bar_read = vpci_bar_read,
	.bar_write = vpci_bar_write,
	.reset = vpci_reset,
	.free = vpci_free,
};

static void vpci_update_irq(struct virtio_device *vdev)
{
	struct virtio_pci *vp = vdev->transport_opaque;

	pci_device_set_irq(&vp->pd, vdev->isr != 0);
}

static const struct virtio_transport_ops virtio_pci_transport = {
	.update_irq = vpci_update_irq,
};

static void vpci_add_cap(struct pci_device *pd, uint8_t type, uint32_t off,
			 uint32_t len, bool notify)
{
	unsigned cap = pci_device_add_capability(pd, PCI_CAP_ID_VNDR,
						 notify ? 20 : 16);
	uint32_t mult = VIRTIO_PCI_NOTIFY_MULT;

	if (!cap) {
		return;
	}
	pd->config[cap + 2] = notify ? 20 : 16; /* cap_len */
	pd->config[cap + 3] = type;
	pd->config[cap + 4] = 0; /* bar */
	memcpy(pd->config + cap + 8, &off, 4);
	memcpy(pd->config + cap + 12, &len, 4);
	if (notify) {
		memcpy(pd->config + cap + 16, &mult, 4);
	}
}

static uint32_t vpci_class(uint32_t device_id)
{
	switch (device_id) {
	case VIRTIO_ID_BLOCK:
		return 0x018000; /* mass storage, other */
	case VIRTIO_ID_NET:
		return 0x020000;
	case VIRTIO_ID_CONSOLE:
		return 0x078000; /* communication, other */
	default:
		return 0x00ff00;
	}
}

struct pci_device *virtio_pci_new(struct virtio_device *vdev)
{
	struct virtio_pci *vp = calloc(1, sizeof(*vp));
	struct pci_device *pd;
	uint16_t sub_vendor = VIRTIO_PCI_VENDOR, sub_id = 0x1100;

	if (!vp) {
		return NULL;
	}
	pd = &vp->pd;
	vp->vdev = vdev;
	pci_device_init(pd, &virtio_pci_ops, vdev->name, VIRTIO_PCI_VENDOR,
			VIRTIO_PCI_DEVICE_BASE + vdev->device_id,
			vpci_class(vdev->device_id), 1);
	memcpy(pd->config + PCI_SUBSYSTEM_VENDOR_ID, &sub_vendor, 2);
	memcpy(pd->config + PCI_SUBSYSTEM_ID, &sub_id, 2);
	pci_device_set_mem_bar(pd, 0, VIRTIO_PCI_BAR_SIZE);
	vpci_add_cap(pd, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFF,
		     0x1000, false);
	vpci_add_cap(pd, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFF, 0x1000,
		     false);
	vpci_add_cap(pd, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFF,
		     0x1000, false);
	vpci_add_cap(pd, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFF,
		     0x1000, true);
	vdev->transport = &virtio_pci_transport;
	vdev->transport_opaque = vp;
	return pd;
}

static void *virtio_pci_machine_dma(void *opaque, gpa_t addr, uint64_t len)
{
	return machine_dma(opaque, addr, len);
}

bool virtio_pci_attach(struct machine *m, struct virtio_device *vdev,
		       struct error **errp)
{
	struct pci_device *pd;

	vdev->dma = virtio_pci_machine_dma;
	vdev->dma_opaque = m;
	pd = virtio_pci_new(vdev);
	if (!pd) {
		error_setg(errp, "out of memory");
		if (vdev->ops->free) {
			vdev->ops->free(vdev);
		}
		return false;
	}
	return pci_host_add_device(m, pd, errp);
}
