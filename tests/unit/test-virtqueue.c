/* SPDX-License-Identifier: MIT */
/* Unit tests of the virtqueue core and the virtio-mmio/pci transports over
 * a fake guest memory: good chains, indirect tables, event idx, every kind
 * of bad chain (NEEDS_RESET, then a reset brings the device back). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <string.h>

#include "block/block.h"
#include "hw/core/bql.h"
#include "tests/unit/unit.h"
#include "virtio/drive.h"
#include "virtio/virtio-blk.h"
#include "virtio/virtio-mmio.h"
#include "virtio/virtio-pci.h"
#include "virtio/virtqueue.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE 0x100000ull
#define QSIZE 8
#define DESC_GPA (RAM_BASE + 0x1000)
#define AVAIL_GPA (RAM_BASE + 0x2000)
#define USED_GPA (RAM_BASE + 0x3000)
#define BUF_GPA (RAM_BASE + 0x10000)
#define TABLE_GPA (RAM_BASE + 0x8000)

struct fake {
	struct virtio_device vdev;
	uint8_t *ram;
	unsigned notifies; /* queue_notify calls */
	unsigned status_changes;
	uint8_t last_status;
	int irq_level;
	uint8_t config[8];
};

static void *fake_dma(void *opaque, gpa_t addr, uint64_t len)
{
	struct fake *f = opaque;

	if (addr < RAM_BASE || addr - RAM_BASE > RAM_SIZE ||
	    len > RAM_SIZE - (addr - RAM_BASE)) {
		return NULL;
	}
	return f->ram + (addr - RAM_BASE);
}

static void fake_notify(struct virtio_device *vdev, unsigned index)
{
	container_of(vdev, struct fake, vdev)->notifies++;
}

static void fake_status(struct virtio_device *vdev, uint8_t old, uint8_t st)
{
	struct fake *f = container_of(vdev, struct fake, vdev);

	f->status_changes++;
	f->last_status = st;
}

static const struct virtio_device_ops fake_ops = {
	.queue_notify = fake_notify,
	.status_changed = fake_status,
};

static void fake_set_irq(void *opaque, int irq, int level)
{
	((struct fake *)opaque)->irq_level = level;
}

static void fake_update_irq(struct virtio_device *vdev)
{
	struct fake *f = container_of(vdev, struct fake, vdev);

	f->irq_level = vdev->isr != 0;
}

static const struct virtio_transport_ops fake_transport = {
	.update_irq = fake_update_irq,
};

static struct fake *fake_new(uint64_t features)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->ram = calloc(1, RAM_SIZE);
	virtio_init(&f->vdev, &fake_ops, "fake", 99, features, f->config,
		    sizeof(f->config));
	f->vdev.dma = fake_dma;
	f->vdev.dma_opaque = f;
	f->vdev.transport = &fake_transport;
	virtio_add_queue(&f->vdev, QSIZE);
	return f;
}

static void fake_free(struct fake *f)
{
	virtio_free_queues(&f->vdev);
	free(f->ram);
	free(f);
}

static void *gpa(struct fake *f, gpa_t addr)
{
	return f->ram + (addr - RAM_BASE);
}

/* The driver side: negotiate, set the queue up, DRIVER_OK. */
static void driver_start_dev(struct fake *f, struct virtio_device *vdev,
			     uint64_t features)
{
	struct virtqueue *vq = vdev->vqs[0];

	virtio_set_status(vdev, 0);
	memset(f->ram, 0, RAM_SIZE);
	virtio_set_status(vdev,
			  VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	virtio_set_guest_features_word(vdev, 0, features);
	virtio_set_guest_features_word(vdev, 1, features >> 32);
	virtio_set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE |
					VIRTIO_STATUS_DRIVER |
					VIRTIO_STATUS_FEATURES_OK);
	vq->num = QSIZE;
	vq->desc_addr = DESC_GPA;
	vq->avail_addr = AVAIL_GPA;
	vq->used_addr = USED_GPA;
	virtq_enable(vq);
	virtio_set_status(vdev, vdev->status | VIRTIO_STATUS_DRIVER_OK);
}

static void driver_start(struct fake *f, uint64_t features)
{
	driver_start_dev(f, &f->vdev, features);
}

static struct virtq_desc *desc(struct fake *f, unsigned i)
{
	return (struct virtq_desc *)gpa(f, DESC_GPA) + i;
}

static void set_desc(struct virtq_desc *d, gpa_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

static void make_avail(struct fake *f, uint16_t head)
{
	struct virtq_avail *avail = gpa(f, AVAIL_GPA);

	avail->ring[avail->idx % QSIZE] = head;
	avail->idx++;
}

static struct virtq_used *used(struct fake *f)
{
	return gpa(f, USED_GPA);
}

static const uint64_t V1 = 1ull << VIRTIO_F_VERSION_1;
static const uint64_t ALL = (1ull << VIRTIO_F_VERSION_1) |
			    (1ull << VIRTIO_F_INDIRECT_DESC) |
			    (1ull << VIRTIO_F_EVENT_IDX);

TEST(virtq_good_chain_pop_push_notify)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];
	struct virtq_elem *elem;

	driver_start(f, V1);
	CHECK(f->vdev.status & VIRTIO_STATUS_FEATURES_OK);
	CHECK(vq->ready);
	CHECK(virtq_pop(vq) == NULL); /* nothing available yet */
	set_desc(desc(f, 0), BUF_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	set_desc(desc(f, 1), BUF_GPA + 16, 100, VIRTQ_DESC_F_NEXT, 2);
	set_desc(desc(f, 2), BUF_GPA + 200, 50, VIRTQ_DESC_F_WRITE, 0);
	memcpy(gpa(f, BUF_GPA), "header", 6);
	make_avail(f, 0);
	CHECK(virtq_has_avail(vq));
	elem = virtq_pop(vq);
	CHECK(elem != NULL);
	if (elem) {
		char hdr[7] = { 0 };

		CHECK_EQ(elem->head, 0);
		CHECK_EQ(elem->out_num, 2);
		CHECK_EQ(elem->in_num, 1);
		CHECK_EQ(elem->out_len, 116);
		CHECK_EQ(elem->in_len, 50);
		iov_to_buf(elem->out, elem->out_num, 0, hdr, 6);
		CHECK_STR(hdr, "header");
		iov_from_buf(elem->in, elem->in_num, 0, "reply", 5);
		virtq_push(vq, elem, 5);
	}
	CHECK(!memcmp(gpa(f, BUF_GPA + 200), "reply", 5));
	CHECK_EQ(used(f)->idx, 1);
	CHECK_EQ(used(f)->ring[0].id, 0);
	CHECK_EQ(used(f)->ring[0].len, 5);
	virtq_notify(vq);
	CHECK_EQ(f->vdev.isr, VIRTIO_ISR_QUEUE);
	CHECK_EQ(f->irq_level, 1);
	CHECK_EQ(virtio_isr_read_clear(&f->vdev), VIRTIO_ISR_QUEUE);
	CHECK_EQ(f->irq_level, 0);
	/* NO_INTERRUPT is honoured without event idx. */
	((struct virtq_avail *)gpa(f, AVAIL_GPA))->flags =
		VIRTQ_AVAIL_F_NO_INTERRUPT;
	make_avail(f, 2);
	elem = virtq_pop(vq);
	CHECK(elem && elem->out_num == 0 && elem->in_num == 1);
	if (elem) {
		virtq_push(vq, elem, 0);
	}
	virtq_notify(vq);
	CHECK_EQ(f->vdev.isr, 0);
	CHECK(!(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET));
	fake_free(f);
}

TEST(virtq_indirect_table)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];
	struct virtq_desc *table;
	struct virtq_elem *elem;

	driver_start(f, V1 | (1ull << VIRTIO_F_INDIRECT_DESC));
	table = gpa(f, TABLE_GPA);
	set_desc(&table[0], BUF_GPA, 16, VIRTQ_DESC_F_NEXT, 2);
	set_desc(&table[2], BUF_GPA + 64, 512, VIRTQ_DESC_F_NEXT, 1);
	set_desc(&table[1], BUF_GPA + 1024, 1, VIRTQ_DESC_F_WRITE, 0);
	set_desc(desc(f, 3), TABLE_GPA, 3 * 16, VIRTQ_DESC_F_INDIRECT, 0);
	make_avail(f, 3);
	elem = virtq_pop(vq);
	CHECK(elem != NULL);
	if (elem) {
		CHECK_EQ(elem->head, 3);
		CHECK_EQ(elem->out_num, 2);
		CHECK_EQ(elem->in_num, 1);
		CHECK_EQ(elem->out_len, 528);
		CHECK_EQ(elem->in_len, 1);
		virtq_push(vq, elem, 1);
	}
	CHECK_EQ(used(f)->ring[0].id, 3);
	CHECK(!(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET));
	fake_free(f);
}

TEST(virtq_event_idx)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];
	struct virtq_avail *avail;
	uint16_t *used_event, *avail_event;

	driver_start(f, ALL);
	avail = gpa(f, AVAIL_GPA);
	used_event = &avail->ring[QSIZE];
	avail_event = (uint16_t *)&used(f)->ring[QSIZE];
	for (unsigned i = 0; i < 4; i++) {
		set_desc(desc(f, i), BUF_GPA + 64 * i, 8, VIRTQ_DESC_F_WRITE,
			 0);
		make_avail(f, i);
	}
	/* The driver wants an interrupt after the first used entry only. */
	*used_event = 0;
	virtq_push(vq, virtq_pop(vq), 8);
	CHECK_EQ(*avail_event, 1);
	virtq_notify(vq);
	CHECK_EQ(virtio_isr_read_clear(&f->vdev), VIRTIO_ISR_QUEUE);
	virtq_push(vq, virtq_pop(vq), 8);
	virtq_notify(vq);
	CHECK_EQ(f->vdev.isr, 0); /* used idx 2 passed no new event */
	/* Now it asks for an interrupt when used idx passes 2. */
	*used_event = 2;
	virtq_push(vq, virtq_pop(vq), 8);
	virtq_notify(vq);
	CHECK_EQ(virtio_isr_read_clear(&f->vdev), VIRTIO_ISR_QUEUE);
	CHECK_EQ(*avail_event, 3);
	/* set_notification(true) reports buffers that raced it. */
	CHECK(virtq_set_notification(vq, true));
	virtq_push(vq, virtq_pop(vq), 8);
	CHECK(!virtq_set_notification(vq, true));
	CHECK_EQ(*avail_event, 4);
	fake_free(f);
}

TEST(virtio_feature_negotiation)
{
	struct fake *f = fake_new(1ull << VIRTIO_F_INDIRECT_DESC);
	uint8_t st = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;

	CHECK_EQ(virtio_host_features_word(&f->vdev, 1), 1); /* VERSION_1 */
	virtio_set_status(&f->vdev, st);
	/* A feature we do not offer: FEATURES_OK stays clear. */
	virtio_set_guest_features_word(&f->vdev, 0, 1u << VIRTIO_F_EVENT_IDX);
	virtio_set_guest_features_word(&f->vdev, 1, 1);
	virtio_set_status(&f->vdev, st | VIRTIO_STATUS_FEATURES_OK);
	CHECK(!(f->vdev.status & VIRTIO_STATUS_FEATURES_OK));
	/* A legacy driver (no VERSION_1) is refused too. */
	virtio_set_guest_features_word(&f->vdev, 0, 0);
	virtio_set_guest_features_word(&f->vdev, 1, 0);
	virtio_set_status(&f->vdev, st | VIRTIO_STATUS_FEATURES_OK);
	CHECK(!(f->vdev.status & VIRTIO_STATUS_FEATURES_OK));
	virtio_set_guest_features_word(&f->vdev, 1, 1);
	virtio_set_status(&f->vdev, st | VIRTIO_STATUS_FEATURES_OK);
	CHECK(f->vdev.status & VIRTIO_STATUS_FEATURES_OK);
	/* Features are frozen once accepted. */
	virtio_set_guest_features_word(&f->vdev, 0, 1u << 28);
	CHECK_EQ(f->vdev.guest_features, V1);
	/* Every status write reaches the device, reset included. */
	CHECK_EQ(f->status_changes, 4);
	virtio_set_status(&f->vdev, 0);
	CHECK_EQ(f->status_changes, 5);
	CHECK_EQ(f->last_status, 0);
	CHECK_EQ(f->vdev.guest_features, 0);
	fake_free(f);
}

enum bad_kind {
	BAD_LOOP,
	BAD_NEXT_RANGE,
	BAD_HEAD_RANGE,
	BAD_OUTSIDE_RAM,
	BAD_OUTSIDE_RAM_WRAP,
	BAD_ZERO_LEN,
	BAD_READ_AFTER_WRITE,
	BAD_INDIRECT_NOT_NEGOTIATED,
	BAD_INDIRECT_WITH_NEXT,
	BAD_INDIRECT_NESTED,
	BAD_INDIRECT_LEN,
	BAD_INDIRECT_LOOP,
	BAD_INDIRECT_OUTSIDE,
	BAD_AVAIL_JUMP,
	BAD_KINDS
};

/* Write one malformed request of kind into the rings. */
static void make_bad_chain(struct fake *f, enum bad_kind kind)
{
	struct virtq_desc *table = gpa(f, TABLE_GPA);
	struct virtq_avail *avail = gpa(f, AVAIL_GPA);
	uint16_t ind = VIRTQ_DESC_F_INDIRECT;

	switch (kind) {
	case BAD_LOOP:
		set_desc(desc(f, 0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 1);
		set_desc(desc(f, 1), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 0);
		break;
	case BAD_NEXT_RANGE:
		set_desc(desc(f, 0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, QSIZE);
		break;
	case BAD_HEAD_RANGE:
		avail->ring[0] = QSIZE + 3;
		avail->idx = 1;
		return;
	case BAD_OUTSIDE_RAM:
		set_desc(desc(f, 0), RAM_BASE + RAM_SIZE - 4, 8, 0, 0);
		break;
	case BAD_OUTSIDE_RAM_WRAP:
		set_desc(desc(f, 0), ~0ull - 3, 16, VIRTQ_DESC_F_WRITE, 0);
		break;
	case BAD_ZERO_LEN:
		set_desc(desc(f, 0), BUF_GPA, 0, 0, 0);
		break;
	case BAD_READ_AFTER_WRITE:
		set_desc(desc(f, 0), BUF_GPA, 8,
			 VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
		set_desc(desc(f, 1), BUF_GPA + 8, 8, 0, 0);
		break;
	case BAD_INDIRECT_NOT_NEGOTIATED:
	case BAD_INDIRECT_WITH_NEXT:
	case BAD_INDIRECT_NESTED:
	case BAD_INDIRECT_LEN:
	case BAD_INDIRECT_LOOP:
	case BAD_INDIRECT_OUTSIDE:
		set_desc(&table[0], BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 1);
		set_desc(&table[1], BUF_GPA, 8, VIRTQ_DESC_F_WRITE, 0);
		if (kind == BAD_INDIRECT_NESTED) {
			table[1].flags = ind;
		} else if (kind == BAD_INDIRECT_LOOP) {
			table[1].flags = VIRTQ_DESC_F_NEXT;
			table[1].next = 0;
		}
		set_desc(desc(f, 0), TABLE_GPA, 32,
			 ind | (kind == BAD_INDIRECT_WITH_NEXT ?
					VIRTQ_DESC_F_NEXT :
					0),
			 1);
		if (kind == BAD_INDIRECT_LEN) {
			desc(f, 0)->len = 24;
		} else if (kind == BAD_INDIRECT_OUTSIDE) {
			desc(f, 0)->addr = RAM_BASE + RAM_SIZE - 16;
		}
		break;
	case BAD_AVAIL_JUMP:
		set_desc(desc(f, 0), BUF_GPA, 8, 0, 0);
		avail->idx = QSIZE + 1;
		return;
	case BAD_KINDS:
		break;
	}
	make_avail(f, 0);
}

TEST(virtq_bad_chains_need_reset)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];

	for (int kind = 0; kind < BAD_KINDS; kind++) {
		uint64_t features =
			kind == BAD_INDIRECT_NOT_NEGOTIATED ? V1 : ALL;
		struct virtq_elem *elem;

		driver_start(f, features);
		CHECK(vq->ready);
		make_bad_chain(f, kind);
		CHECK(virtq_pop(vq) == NULL);
		if (!(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET)) {
			unit_fail(__FILE__, __LINE__,
				  "bad chain kind %d not detected", kind);
		}
		CHECK(f->vdev.broken);
		CHECK(f->vdev.isr & VIRTIO_ISR_CONFIG);
		CHECK_EQ(f->irq_level, 1);
		/* Nothing more is processed until the driver resets. */
		CHECK(virtq_pop(vq) == NULL);
		CHECK_EQ(used(f)->idx, 0);
		/* The driver may not clear NEEDS_RESET itself. */
		virtio_set_status(&f->vdev,
				  f->vdev.status & ~VIRTIO_STATUS_NEEDS_RESET);
		CHECK(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET);
		/* A reset brings the device back: a good chain works. */
		driver_start(f, features);
		CHECK_EQ(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET, 0);
		CHECK_EQ(f->irq_level, 0);
		set_desc(desc(f, 5), BUF_GPA, 8, VIRTQ_DESC_F_WRITE, 0);
		make_avail(f, 5);
		elem = virtq_pop(vq);
		CHECK(elem != NULL);
		if (elem) {
			virtq_push(vq, elem, 8);
		}
		CHECK_EQ(used(f)->idx, 1);
	}
	fake_free(f);
}

TEST(virtq_more_in_flight_than_the_queue)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];
	struct virtq_elem *held[QSIZE];

	driver_start(f, V1);
	set_desc(desc(f, 0), BUF_GPA, 8, VIRTQ_DESC_F_WRITE, 0);
	/* The driver makes the same buffer available again and again
	 * without waiting for it: at most QSIZE are taken. */
	for (unsigned i = 0; i < QSIZE; i++) {
		make_avail(f, 0);
		held[i] = virtq_pop(vq);
		CHECK(held[i] != NULL);
	}
	make_avail(f, 0);
	CHECK(virtq_pop(vq) == NULL);
	CHECK(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET);
	for (unsigned i = 0; i < QSIZE; i++) {
		free(held[i]);
	}
	fake_free(f);
}

TEST(virtq_enable_rejects_bad_layout)
{
	struct fake *f = fake_new(ALL);
	struct virtqueue *vq = f->vdev.vqs[0];

	driver_start(f, V1);
	virtio_set_status(&f->vdev, 0);
	vq->num = 6; /* not a power of 2 */
	vq->desc_addr = DESC_GPA;
	vq->avail_addr = AVAIL_GPA;
	vq->used_addr = USED_GPA;
	CHECK(!virtq_enable(vq));
	CHECK(f->vdev.status & VIRTIO_STATUS_NEEDS_RESET);
	virtio_set_status(&f->vdev, 0);
	vq->num = QSIZE;
	vq->desc_addr = DESC_GPA;
	vq->avail_addr = AVAIL_GPA;
	vq->used_addr = RAM_BASE + RAM_SIZE - 8; /* runs off RAM */
	CHECK(!virtq_enable(vq));
	CHECK(!vq->ready);
	fake_free(f);
}

/* The mmio transport driven through its registers as a guest would. */
static uint32_t mmio_rd(struct device *dev, uint64_t off)
{
	uint64_t val = 0;

	dev->ops->read(dev, off, 4, &val);
	return val;
}

static void mmio_wr(struct device *dev, uint64_t off, uint32_t val)
{
	dev->ops->write(dev, off, 4, val);
}

static void mmio_driver_start(struct device *dev)
{
	mmio_wr(dev, 0x070, 0);
	mmio_wr(dev, 0x070, 3);
	mmio_wr(dev, 0x024, 1);
	mmio_wr(dev, 0x020, 1); /* VERSION_1 */
	mmio_wr(dev, 0x070, 0xb);
	mmio_wr(dev, 0x030, 0);
	mmio_wr(dev, 0x038, QSIZE);
	mmio_wr(dev, 0x080, (uint32_t)DESC_GPA);
	mmio_wr(dev, 0x084, DESC_GPA >> 32);
	mmio_wr(dev, 0x090, (uint32_t)AVAIL_GPA);
	mmio_wr(dev, 0x094, 0);
	mmio_wr(dev, 0x0a0, (uint32_t)USED_GPA);
	mmio_wr(dev, 0x0a4, 0);
	mmio_wr(dev, 0x044, 1);
	mmio_wr(dev, 0x070, 0xf);
}

TEST(virtio_mmio_registers_and_bad_chain)
{
	struct fake *f = fake_new(ALL);
	struct irq_line irq = { fake_set_irq, f, 5 };
	struct device *dev = virtio_mmio_new(0x10001000, irq, &f->vdev);
	uint64_t cfg = 0;

	CHECK_EQ(mmio_rd(dev, 0x000), 0x74726976);
	CHECK_EQ(mmio_rd(dev, 0x004), 2);
	CHECK_EQ(mmio_rd(dev, 0x008), 99);
	mmio_wr(dev, 0x014, 1);
	CHECK_EQ(mmio_rd(dev, 0x010), 1); /* VERSION_1 in the high word */
	mmio_wr(dev, 0x030, 0);
	CHECK_EQ(mmio_rd(dev, 0x034), QSIZE);
	mmio_wr(dev, 0x030, 1);
	CHECK_EQ(mmio_rd(dev, 0x034), 0); /* no queue 1 */
	f->config[2] = 0x5a;
	dev->ops->read(dev, 0x102, 1, &cfg);
	CHECK_EQ(cfg, 0x5a);
	memset(f->ram, 0, RAM_SIZE);
	mmio_driver_start(dev);
	CHECK_EQ(mmio_rd(dev, 0x070), 0xf);
	CHECK_EQ(mmio_rd(dev, 0x044), 1);
	/* A notify reaches the device; a looping chain breaks it. */
	set_desc(desc(f, 0), BUF_GPA, 8, VIRTQ_DESC_F_NEXT, 0);
	make_avail(f, 0);
	mmio_wr(dev, 0x050, 0);
	CHECK_EQ(f->notifies, 1);
	CHECK(virtq_pop(f->vdev.vqs[0]) == NULL);
	CHECK_EQ(mmio_rd(dev, 0x070), 0xf | VIRTIO_STATUS_NEEDS_RESET);
	CHECK_EQ(mmio_rd(dev, 0x060), VIRTIO_ISR_CONFIG);
	CHECK_EQ(f->irq_level, 1);
	mmio_wr(dev, 0x064, VIRTIO_ISR_CONFIG);
	CHECK_EQ(f->irq_level, 0);
	/* Notifies are ignored while broken; reset brings it back. */
	mmio_wr(dev, 0x050, 0);
	CHECK_EQ(f->notifies, 1);
	memset(f->ram, 0, RAM_SIZE);
	mmio_driver_start(dev);
	CHECK_EQ(mmio_rd(dev, 0x070), 0xf);
	set_desc(desc(f, 0), BUF_GPA, 8, VIRTQ_DESC_F_WRITE, 0);
	make_avail(f, 0);
	mmio_wr(dev, 0x050, 0);
	CHECK_EQ(f->notifies, 2);
	CHECK(virtq_pop(f->vdev.vqs[0]) != NULL);
	/* Config generation is readable and config-change bumps it. */
	cfg = mmio_rd(dev, 0x0fc);
	virtio_config_changed(&f->vdev);
	CHECK_EQ(mmio_rd(dev, 0x0fc), cfg + 1);
	free(dev); /* not through ops->free: f is not a real device */
	fake_free(f);
}

TEST(virtio_pci_config_space_and_common_cfg)
{
	struct fake *f = fake_new(ALL);
	struct pci_device *pd = virtio_pci_new(&f->vdev);
	unsigned cap, types = 0;

	CHECK_EQ(pci_config_read(pd, PCI_VENDOR_ID, 2), 0x1af4);
	CHECK_EQ(pci_config_read(pd, PCI_DEVICE_ID, 2), 0x1040 + 99);
	CHECK(pci_config_read(pd, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	/* BAR sizing: all ones reads back the size mask. */
	pci_config_write(pd, PCI_BAR0, 4, 0xffffffff);
	CHECK_EQ(pci_config_read(pd, PCI_BAR0, 4),
		 (uint32_t) ~(VIRTIO_PCI_BAR_SIZE - 1));
	pci_config_write(pd, PCI_BAR0, 4, 0x40000000);
	CHECK_EQ(pci_config_read(pd, PCI_BAR0, 4), 0x40000000);
	/* The vendor capabilities: common, ISR, device, notify. */
	for (cap = pci_config_read(pd, PCI_CAPABILITY_LIST, 1); cap;
	     cap = pci_config_read(pd, cap + 1, 1)) {
		CHECK_EQ(pci_config_read(pd, cap, 1), PCI_CAP_ID_VNDR);
		types |= 1u << pci_config_read(pd, cap + 3, 1);
		if (pci_config_read(pd, cap + 3, 1) == 2) {
			CHECK_EQ(pci_config_read(pd, cap + 16, 4),
				 VIRTIO_PCI_NOTIFY_MULT);
		}
	}
	CHECK_EQ(types, 0x1e);
	/* Common config: features, queue setup with split 32-bit writes. */
	pd->ops->bar_write(pd, 0, 0, 4, 1);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 4, 4), 1);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 18, 2), 1); /* num_queues */
	CHECK_EQ(pd->ops->bar_read(pd, 0, 24, 2), QSIZE);
	memset(f->ram, 0, RAM_SIZE);
	pd->ops->bar_write(pd, 0, 20, 1, 3);
	pd->ops->bar_write(pd, 0, 8, 4, 1);
	pd->ops->bar_write(pd, 0, 12, 4, 1);
	pd->ops->bar_write(pd, 0, 20, 1, 0xb);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 20, 1), 0xb);
	pd->ops->bar_write(pd, 0, 32, 4, (uint32_t)DESC_GPA);
	pd->ops->bar_write(pd, 0, 36, 4, 0);
	pd->ops->bar_write(pd, 0, 40, 8, AVAIL_GPA);
	pd->ops->bar_write(pd, 0, 48, 4, (uint32_t)USED_GPA);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 40, 4), (uint32_t)AVAIL_GPA);
	pd->ops->bar_write(pd, 0, 28, 2, 1);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 28, 2), 1);
	pd->ops->bar_write(pd, 0, 20, 1, 0xf);
	/* A notify, then a zero-length buffer: NEEDS_RESET, ISR says
	 * config and reading it clears it. */
	set_desc(desc(f, 0), BUF_GPA, 0, 0, 0);
	make_avail(f, 0);
	pd->ops->bar_write(pd, 0, VIRTIO_PCI_NOTIFY_OFF, 2, 0);
	CHECK_EQ(f->notifies, 1);
	CHECK(virtq_pop(f->vdev.vqs[0]) == NULL);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 20, 1), 0x4f);
	CHECK_EQ(pd->irq_level, 1);
	CHECK_EQ(pd->ops->bar_read(pd, 0, VIRTIO_PCI_ISR_OFF, 1),
		 VIRTIO_ISR_CONFIG);
	CHECK_EQ(pd->irq_level, 0);
	pd->ops->bar_write(pd, 0, 20, 1, 0);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 20, 1), 0);
	CHECK_EQ(pd->ops->bar_read(pd, 0, 28, 2), 0);
	free(pd); /* not through ops->free: f is not a real device */
	fake_free(f);
}

/* virtio-blk over a temporary raw file, driven through its queue. */
struct blk_rig {
	struct fake *mem; /* guest memory and ring helpers */
	struct drive drive;
	struct virtio_device *vdev;
	char path[64];
	int fd;
};

#define BLK_HDR_GPA (BUF_GPA + 0x100)
#define BLK_DATA_GPA (BUF_GPA + 0x1000)
#define BLK_STATUS_GPA (BUF_GPA + 0x200)

static bool blk_rig_open(struct blk_rig *r, bool readonly)
{
	struct error *err = NULL;

	memset(r, 0, sizeof(*r));
	strcpy(r->path, "/tmp/mimic-test-blk-XXXXXX");
	r->fd = mkstemp(r->path);
	if (r->fd < 0 || ftruncate(r->fd, 1 << 20)) {
		return false;
	}
	r->mem = fake_new(V1);
	r->drive.id = "t";
	r->drive.readonly = readonly;
	r->drive.bs =
		block_open(r->path, "raw", readonly ? 0 : BLOCK_RDWR, &err);
	r->vdev = r->drive.bs ? virtio_blk_new(&r->drive, "serial123", &err) :
				NULL;
	if (!r->vdev) {
		error_free(err);
		return false;
	}
	r->vdev->dma = fake_dma;
	r->vdev->dma_opaque = r->mem;
	r->vdev->transport = &fake_transport;
	r->mem->vdev.isr = 0;
	driver_start_dev(r->mem, r->vdev, V1);
	return r->vdev->vqs[0]->ready;
}

static void blk_rig_close(struct blk_rig *r)
{
	if (r->vdev) {
		r->vdev->ops->free(r->vdev);
	}
	if (r->drive.bs) {
		block_close(r->drive.bs);
	}
	if (r->mem) {
		fake_free(r->mem);
	}
	if (r->fd >= 0) {
		close(r->fd);
		unlink(r->path);
	}
}

/* Submit header + optional data + status; wait for the used entry and
 * return the status byte (0xff: no completion). */
static uint8_t blk_request(struct blk_rig *r, uint32_t type, uint64_t sector,
			   uint32_t data_len, bool data_in, uint32_t *used_len)
{
	struct fake *f = r->mem;
	struct virtq_used *u = used(f);
	uint16_t before = u->idx;
	uint32_t hdr[4] = { type, 0, (uint32_t)sector, sector >> 32 };
	unsigned n = 0;

	memcpy(gpa(f, BLK_HDR_GPA), hdr, sizeof(hdr));
	*(uint8_t *)gpa(f, BLK_STATUS_GPA) = 0xff;
	set_desc(desc(f, n), BLK_HDR_GPA, 16, VIRTQ_DESC_F_NEXT, n + 1);
	n++;
	if (data_len) {
		set_desc(desc(f, n), BLK_DATA_GPA, data_len,
			 VIRTQ_DESC_F_NEXT | (data_in ? VIRTQ_DESC_F_WRITE : 0),
			 n + 1);
		n++;
	}
	set_desc(desc(f, n), BLK_STATUS_GPA, 1, VIRTQ_DESC_F_WRITE, 0);
	make_avail(f, 0);
	bql_lock();
	r->vdev->ops->queue_notify(r->vdev, 0);
	bql_unlock();
	for (int i = 0;
	     i < 5000 && __atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) == before;
	     i++) {
		usleep(1000);
	}
	if (u->idx == before) {
		return 0xff;
	}
	if (used_len) {
		*used_len = u->ring[before % QSIZE].len;
	}
	return *(uint8_t *)gpa(f, BLK_STATUS_GPA);
}

TEST(virtio_blk_requests)
{
	struct blk_rig r;
	uint8_t *data, file[4096];
	uint32_t len = 0, seg[4] = { 8, 0, 8, 0 };

	if (!blk_rig_open(&r, false)) {
		unit_fail(__FILE__, __LINE__, "cannot set up virtio-blk");
		blk_rig_close(&r);
		return;
	}
	data = gpa(r.mem, BLK_DATA_GPA);
	CHECK_EQ(virtio_config_read(r.vdev, 0, 8), (1 << 20) / 512);
	memset(data, 0xa7, 4096);
	CHECK_EQ(blk_request(&r, 1, 8, 4096, false, &len), 0); /* OUT */
	CHECK_EQ(pread(r.fd, file, 4096, 4096), 4096);
	CHECK(file[0] == 0xa7 && file[4095] == 0xa7);
	memset(data, 0, 4096);
	CHECK_EQ(blk_request(&r, 0, 8, 4096, true, &len), 0); /* IN */
	CHECK_EQ(len, 4097);
	CHECK(data[0] == 0xa7 && data[4095] == 0xa7);
	CHECK_EQ(blk_request(&r, 4, 0, 0, false, NULL), 0); /* FLUSH */
	CHECK_EQ(blk_request(&r, 8, 0, 20, true, &len), 0); /* GET_ID */
	CHECK(!memcmp(data, "serial123\0", 10));
	/* WRITE_ZEROES of sectors 8..15 */
	memcpy(data, seg, sizeof(seg));
	CHECK_EQ(blk_request(&r, 13, 0, 16, false, NULL), 0);
	CHECK_EQ(pread(r.fd, file, 4096, 4096), 4096);
	CHECK(file[0] == 0 && file[4095] == 0);
	memcpy(data, seg, sizeof(seg));
	CHECK_EQ(blk_request(&r, 11, 0, 16, false, NULL), 0); /* DISCARD */
	/* Past the end: IOERR; an unknown type: UNSUPP. */
	CHECK_EQ(blk_request(&r, 0, 2048, 512, true, NULL), 1);
	CHECK_EQ(blk_request(&r, 0, ~0ull / 256, 512, true, NULL), 1);
	CHECK_EQ(blk_request(&r, 99, 0, 0, false, NULL), 2);
	CHECK(!(r.vdev->status & VIRTIO_STATUS_NEEDS_RESET));
	/* No writable status byte: the device needs a reset. */
	set_desc(desc(r.mem, 0), BLK_HDR_GPA, 16, 0, 0);
	make_avail(r.mem, 0);
	bql_lock();
	r.vdev->ops->queue_notify(r.vdev, 0);
	bql_unlock();
	CHECK(r.vdev->status & VIRTIO_STATUS_NEEDS_RESET);
	blk_rig_close(&r);
}

TEST(virtio_blk_readonly)
{
	struct blk_rig r;

	if (!blk_rig_open(&r, true)) {
		unit_fail(__FILE__, __LINE__, "cannot set up virtio-blk");
		blk_rig_close(&r);
		return;
	}
	CHECK(r.vdev->host_features & (1ull << 5)); /* VIRTIO_BLK_F_RO */
	CHECK_EQ(blk_request(&r, 1, 0, 512, false, NULL), 1);
	CHECK_EQ(blk_request(&r, 13, 0, 16, false, NULL), 1);
	CHECK_EQ(blk_request(&r, 0, 0, 512, true, NULL), 0);
	blk_rig_close(&r);
}
