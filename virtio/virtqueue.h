/* SPDX-License-Identifier: MIT */
/* Split virtqueues (virtio 1.2, 2.7): defensive chain walking, indirect
 * descriptors, VIRTIO_F_EVENT_IDX notification suppression. */
#ifndef MIMIC_VIRTIO_VIRTQUEUE_H
#define MIMIC_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "util/types.h"
#include "virtio/virtio.h"

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

/* Largest queue, and longest chain through an indirect table. */
#define VIRTQ_MAX_SIZE 32768
#define VIRTQ_MAX_CHAIN 1024

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* then used_event */
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[]; /* then avail_event */
};

/* One popped request: the device-readable buffers (out) first, then the
 * device-writable ones (in), as host pointers into guest RAM. */
struct virtq_elem {
	uint16_t head;
	unsigned out_num, in_num;
	size_t out_len, in_len; /* total bytes */
	struct iovec *out, *in;
	struct iovec iov[];
};

struct virtqueue {
	struct virtio_device *vdev;
	unsigned index;
	uint16_t num_max;
	uint16_t num; /* 0: not configured */
	bool ready;
	gpa_t desc_addr, avail_addr, used_addr;
	/* Resolved when the queue is made ready. */
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t last_avail_idx; /* next avail entry to pop */
	uint16_t used_idx; /* shadow of used->idx */
	uint16_t signalled_used; /* used idx at the last interrupt */
	bool signalled_used_valid;
	unsigned inflight; /* popped and not yet pushed */
	struct iovec *scratch; /* VIRTQ_MAX_CHAIN entries for walking */
};

struct virtqueue *virtq_new(struct virtio_device *vdev, unsigned index,
			    uint16_t num_max);
void virtq_free(struct virtqueue *vq);
/* Back to the unconfigured state (device reset, QueueReset). */
void virtq_reset(struct virtqueue *vq);
/* The driver enables the queue: check num and the ring addresses; a bad
 * layout puts the device in NEEDS_RESET and returns false. */
bool virtq_enable(struct virtqueue *vq);

/*
 * Take the next available chain, NULL when there is none or when it is
 * malformed (then the device is in NEEDS_RESET). Free the element with
 * virtq_push() or free().
 */
struct virtq_elem *virtq_pop(struct virtqueue *vq);
/* Return the element with len bytes written into its in buffers. */
void virtq_push(struct virtqueue *vq, struct virtq_elem *elem, uint32_t len);
/* Interrupt the driver if it wants to be (after one or more pushes). */
void virtq_notify(struct virtqueue *vq);
/* Ask the driver for (or to hold back) notifications; with enable,
 * returns true if buffers arrived meanwhile (pop again). */
bool virtq_set_notification(struct virtqueue *vq, bool enable);
/* true when the driver has made buffers available that were not popped. */
bool virtq_has_avail(struct virtqueue *vq);

/* Copy between a flat buffer and an iovec array, from byte offset;
 * return the bytes copied. */
size_t iov_to_buf(const struct iovec *iov, unsigned num, size_t offset,
		  void *buf, size_t len);
size_t iov_from_buf(const struct iovec *iov, unsigned num, size_t offset,
		    const void *buf, size_t len);

#endif
