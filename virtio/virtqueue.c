/* SPDX-License-Identifier: MIT */
/* Split virtqueues: the guest writes the rings from another host thread, so
 * every index is read with acquire and written with release ordering, and
 * descriptors are copied once before they are checked and used. */
#include <stdlib.h>
#include <string.h>

#include "virtio/virtqueue.h"

struct virtqueue *virtq_new(struct virtio_device *vdev, unsigned index,
			    uint16_t num_max)
{
	struct virtqueue *vq = calloc(1, sizeof(*vq));

	if (!vq) {
		return NULL;
	}
	vq->scratch = calloc(VIRTQ_MAX_CHAIN, sizeof(*vq->scratch));
	if (!vq->scratch) {
		free(vq);
		return NULL;
	}
	vq->vdev = vdev;
	vq->index = index;
	vq->num_max = num_max;
	virtq_reset(vq);
	return vq;
}

void virtq_free(struct virtqueue *vq)
{
	if (vq) {
		free(vq->scratch);
		free(vq);
	}
}

void virtq_reset(struct virtqueue *vq)
{
	vq->num = vq->num_max;
	vq->ready = false;
	vq->desc_addr = vq->avail_addr = vq->used_addr = 0;
	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->last_avail_idx = 0;
	vq->used_idx = 0;
	vq->signalled_used = 0;
	vq->signalled_used_valid = false;
	vq->inflight = 0;
}

bool virtq_enable(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	uint64_t num = vq->num;

	if (num == 0 || num > vq->num_max || (num & (num - 1))) {
		virtio_error(vdev,
			     "queue %u: size %u is not a power of 2 up "
			     "to %u",
			     vq->index, vq->num, vq->num_max);
		return false;
	}
	if ((vq->desc_addr & 15) || (vq->avail_addr & 1) ||
	    (vq->used_addr & 3)) {
		virtio_error(vdev, "queue %u: misaligned ring", vq->index);
		return false;
	}
	vq->desc = virtio_dma(vdev, vq->desc_addr, 16 * num);
	vq->avail = virtio_dma(vdev, vq->avail_addr, 6 + 2 * num);
	vq->used = virtio_dma(vdev, vq->used_addr, 6 + 8 * num);
	if (!vq->desc || !vq->avail || !vq->used) {
		virtio_error(vdev, "queue %u: ring outside guest RAM",
			     vq->index);
		vq->desc = NULL;
		vq->avail = NULL;
		vq->used = NULL;
		return false;
	}
	vq->ready = true;
	return true;
}

static uint16_t *virtq_used_event(struct virtqueue *vq)
{
	return &vq->avail->ring[vq->num];
}

static uint16_t *virtq_avail_event(struct virtqueue *vq)
{
	return (uint16_t *)&vq->used->ring[vq->num];
}

static bool virtq_usable(struct virtqueue *vq)
{
	return vq->ready && !vq->vdev->broken;
}

bool virtq_has_avail(struct virtqueue *vq)
{
	if (!virtq_usable(vq)) {
		return false;
	}
	return __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE) !=
	       vq->last_avail_idx;
}

/* The walk of one chain: descriptors become iovecs in vq->scratch. */
struct virtq_walk {
	struct virtqueue *vq;
	unsigned count, out_num;
	size_t out_len, in_len;
	bool seen_in;
};

static void virtq_read_desc(struct virtq_desc *dst,
			    const struct virtq_desc *src)
{
	/* One copy: the guest may rewrite the table while we walk it, so
	 * what is checked is what is used. */
	memcpy(dst, src, sizeof(*dst));
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static bool virtq_map_desc(struct virtq_walk *w, const struct virtq_desc *d)
{
	struct virtio_device *vdev = w->vq->vdev;
	void *p;

	if (d->len == 0) {
		virtio_error(vdev, "queue %u: zero-length buffer",
			     w->vq->index);
		return false;
	}
	if (d->flags & VIRTQ_DESC_F_WRITE) {
		w->seen_in = true;
	} else if (w->seen_in) {
		virtio_error(vdev,
			     "queue %u: read-only buffer after a writable one",
			     w->vq->index);
		return false;
	}
	if (w->count >= VIRTQ_MAX_CHAIN) {
		virtio_error(vdev, "queue %u: chain longer than %d",
			     w->vq->index, VIRTQ_MAX_CHAIN);
		return false;
	}
	p = virtio_dma(vdev, d->addr, d->len);
	if (!p) {
		virtio_error(vdev,
			     "queue %u: buffer 0x%llx+0x%x outside guest RAM",
			     w->vq->index, (unsigned long long)d->addr, d->len);
		return false;
	}
	w->vq->scratch[w->count].iov_base = p;
	w->vq->scratch[w->count].iov_len = d->len;
	w->count++;
	if (d->flags & VIRTQ_DESC_F_WRITE) {
		w->in_len += d->len;
	} else {
		w->out_num++;
		w->out_len += d->len;
	}
	return true;
}

static bool virtq_walk_indirect(struct virtq_walk *w,
				const struct virtq_desc *ind)
{
	struct virtqueue *vq = w->vq;
	struct virtio_device *vdev = vq->vdev;
	const struct virtq_desc *table;
	struct virtq_desc d;
	unsigned n, i = 0, steps = 0;

	if (!virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC) ||
	    (ind->flags & VIRTQ_DESC_F_NEXT)) {
		virtio_error(vdev,
			     "queue %u: indirect descriptor not allowed "
			     "here",
			     vq->index);
		return false;
	}
	n = ind->len / sizeof(d);
	if (ind->len == 0 || ind->len % sizeof(d) || n > VIRTQ_MAX_CHAIN) {
		virtio_error(vdev, "queue %u: bad indirect table length %u",
			     vq->index, ind->len);
		return false;
	}
	table = virtio_dma(vdev, ind->addr, ind->len);
	if (!table) {
		virtio_error(vdev, "queue %u: indirect table outside guest RAM",
			     vq->index);
		return false;
	}
	for (;;) {
		if (++steps > n) {
			virtio_error(vdev, "queue %u: loop in indirect table",
				     vq->index);
			return false;
		}
		virtq_read_desc(&d, &table[i]);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			virtio_error(vdev, "queue %u: nested indirect table",
				     vq->index);
			return false;
		}
		if (!virtq_map_desc(w, &d)) {
			return false;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
			return true;
		}
		i = d.next;
		if (i >= n) {
			virtio_error(vdev,
				     "queue %u: indirect next %u out of "
				     "range",
				     vq->index, i);
			return false;
		}
	}
}

static bool virtq_walk_chain(struct virtq_walk *w, unsigned head)
{
	struct virtqueue *vq = w->vq;
	unsigned idx = head, steps = 0;
	struct virtq_desc d;

	for (;;) {
		if (++steps > vq->num) {
			virtio_error(vq->vdev,
				     "queue %u: loop or chain longer than the "
				     "queue",
				     vq->index);
			return false;
		}
		virtq_read_desc(&d, &vq->desc[idx]);
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			return virtq_walk_indirect(w, &d);
		}
		if (!virtq_map_desc(w, &d)) {
			return false;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
			return true;
		}
		idx = d.next;
		if (idx >= vq->num) {
			virtio_error(vq->vdev, "queue %u: next %u out of range",
				     vq->index, idx);
			return false;
		}
	}
}

static struct virtq_elem *virtq_make_elem(struct virtq_walk *w, uint16_t head)
{
	struct virtq_elem *elem;

	elem = malloc(sizeof(*elem) + w->count * sizeof(struct iovec));
	if (!elem) {
		return NULL;
	}
	memcpy(elem->iov, w->vq->scratch, w->count * sizeof(struct iovec));
	elem->head = head;
	elem->out_num = w->out_num;
	elem->in_num = w->count - w->out_num;
	elem->out_len = w->out_len;
	elem->in_len = w->in_len;
	elem->out = elem->iov;
	elem->in = elem->iov + w->out_num;
	return elem;
}

struct virtq_elem *virtq_pop(struct virtqueue *vq)
{
	struct virtq_walk w = { .vq = vq };
	struct virtq_elem *elem;
	uint16_t avail_idx, head;

	if (!virtq_usable(vq)) {
		return NULL;
	}
	avail_idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	if (avail_idx == vq->last_avail_idx) {
		return NULL;
	}
	if ((uint16_t)(avail_idx - vq->last_avail_idx) > vq->num) {
		virtio_error(vq->vdev, "queue %u: avail idx moved %u ahead",
			     vq->index,
			     (uint16_t)(avail_idx - vq->last_avail_idx));
		return NULL;
	}
	if (vq->inflight >= vq->num) {
		/* A driver that reuses buffers it has not got back. */
		virtio_error(vq->vdev,
			     "queue %u: more than %u requests in "
			     "flight",
			     vq->index, vq->num);
		return NULL;
	}
	head = __atomic_load_n(&vq->avail->ring[vq->last_avail_idx % vq->num],
			       __ATOMIC_RELAXED);
	if (head >= vq->num) {
		virtio_error(vq->vdev, "queue %u: head %u out of range",
			     vq->index, head);
		return NULL;
	}
	if (!virtq_walk_chain(&w, head)) {
		return NULL;
	}
	elem = virtq_make_elem(&w, head);
	if (!elem) {
		return NULL;
	}
	vq->last_avail_idx++;
	vq->inflight++;
	if (virtio_has_feature(vq->vdev, VIRTIO_F_EVENT_IDX)) {
		__atomic_store_n(virtq_avail_event(vq), vq->last_avail_idx,
				 __ATOMIC_RELEASE);
		/* A driver that read the old avail_event skipped its kick:
		 * the next avail->idx load must not pass this store. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	return elem;
}

void virtq_push(struct virtqueue *vq, struct virtq_elem *elem, uint32_t len)
{
	struct virtq_used_elem *ue;

	if (vq->inflight) {
		vq->inflight--;
	}
	if (virtq_usable(vq)) {
		ue = &vq->used->ring[vq->used_idx % vq->num];
		__atomic_store_n(&ue->id, elem->head, __ATOMIC_RELAXED);
		__atomic_store_n(&ue->len, len, __ATOMIC_RELAXED);
		vq->used_idx++;
		/* The entry is visible before the index that publishes it. */
		__atomic_store_n(&vq->used->idx, vq->used_idx,
				 __ATOMIC_RELEASE);
	}
	free(elem);
}

static bool virtq_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

void virtq_notify(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->vdev;
	uint16_t old, event;
	bool need;

	if (!virtq_usable(vq)) {
		return;
	}
	/* Our used idx store must be ordered before reading the driver's
	 * event index or flags, or both sides may skip the interrupt. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX)) {
		old = vq->signalled_used;
		need = !vq->signalled_used_valid;
		vq->signalled_used = vq->used_idx;
		vq->signalled_used_valid = true;
		event = __atomic_load_n(virtq_used_event(vq), __ATOMIC_RELAXED);
		need = need || virtq_need_event(event, vq->used_idx, old);
	} else {
		need = !(__atomic_load_n(&vq->avail->flags, __ATOMIC_RELAXED) &
			 VIRTQ_AVAIL_F_NO_INTERRUPT);
	}
	if (need) {
		virtio_raise_isr(vdev, VIRTIO_ISR_QUEUE);
	}
}

bool virtq_set_notification(struct virtqueue *vq, bool enable)
{
	if (!virtq_usable(vq)) {
		return false;
	}
	if (virtio_has_feature(vq->vdev, VIRTIO_F_EVENT_IDX)) {
		if (enable) {
			__atomic_store_n(virtq_avail_event(vq),
					 vq->last_avail_idx, __ATOMIC_RELEASE);
		}
	} else {
		__atomic_store_n(&vq->used->flags,
				 enable ? 0 : VIRTQ_USED_F_NO_NOTIFY,
				 __ATOMIC_RELEASE);
	}
	if (!enable) {
		return false;
	}
	/* Publish the request before looking for buffers that raced it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return virtq_has_avail(vq);
}

size_t iov_to_buf(const struct iovec *iov, unsigned num, size_t offset,
		  void *buf, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < num && done < len; i++) {
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len - done) {
			n = len - done;
		}
		memcpy((uint8_t *)buf + done,
		       (uint8_t *)iov[i].iov_base + offset, n);
		done += n;
		offset = 0;
	}
	return done;
}

size_t iov_from_buf(const struct iovec *iov, unsigned num, size_t offset,
		    const void *buf, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < num && done < len; i++) {
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len - done) {
			n = len - done;
		}
		memcpy((uint8_t *)iov[i].iov_base + offset,
		       (const uint8_t *)buf + done, n);
		done += n;
		offset = 0;
	}
	return done;
}
