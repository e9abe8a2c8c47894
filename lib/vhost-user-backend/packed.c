/* SPDX-License-Identifier: MIT */
/* Packed virtqueues (virtio 1.2, 2.8): pop, push and notify. */
#include <stdlib.h>
#include <string.h>

#include "lib/vhost-user-backend/vub-internal.h"

#define PACKED_AVAIL (1u << VRING_PACKED_DESC_F_AVAIL)
#define PACKED_USED (1u << VRING_PACKED_DESC_F_USED)

bool vub_queue_packed(struct vub_queue *vq)
{
	return (vq->dev->features >> VIRTIO_F_RING_PACKED) & 1;
}

/* Descriptor ring, driver area (its event suppression), device area. */
void vub_packed_map(struct vub_queue *vq)
{
	struct vub_dev *dev = vq->dev;

	vq->pdesc = vub_uva_to_va(dev, vq->desc_uva, 16 * (uint64_t)vq->size);
	vq->driver_event = vub_uva_to_va(dev, vq->avail_uva, 4);
	vq->device_event = vub_uva_to_va(dev, vq->used_uva, 4);
	if (!vq->pdesc || !vq->driver_event || !vq->device_event) {
		vub_log(VUB_LOG_ERROR,
			"queue %u: packed ring outside guest memory", vq->idx);
		vq->pdesc = NULL;
	}
}

static bool desc_available(uint16_t flags, bool wrap)
{
	return !!(flags & PACKED_AVAIL) == wrap &&
	       !!(flags & PACKED_USED) != wrap;
}

static void advance(struct vub_queue *vq, uint16_t *idx, bool *wrap)
{
	if (++*idx >= vq->size) {
		*idx = 0;
		*wrap = !*wrap;
	}
}

static bool walk_indirect(struct vub_queue *vq, struct vub_chain *c,
			  const struct vring_packed_desc *d)
{
	uint64_t len = d->len;
	const struct vring_packed_desc *table =
		vub_gpa_to_va(vq->dev, d->addr, &len);

	if (!table || len != d->len || d->len == 0 || d->len % 16 ||
	    (d->addr & 15) || (d->flags & VRING_DESC_F_NEXT)) {
		vub_queue_set_broken(vq, "bad indirect descriptor");
		return false;
	}
	for (unsigned i = 0; i < d->len / 16; i++) {
		struct vring_packed_desc e;

		memcpy(&e, (const void *)&table[i], sizeof(e));
		if (!vub_chain_desc(vq, c, e.addr, e.len,
				    e.flags & VRING_DESC_F_WRITE)) {
			return false;
		}
	}
	return true;
}

/* Called with vq->lock held. */
struct vub_elem *vub_packed_pop(struct vub_queue *vq)
{
	uint16_t idx = vq->last_avail_idx, id = 0, n = 0;
	bool wrap = vq->avail_wrap;
	struct vub_chain c = { 0 };
	struct vring_packed_desc d;

	/* SET_VRING_NUM may have shrunk the ring under our indexes. */
	if (idx >= vq->size || vq->used_idx >= vq->size) {
		vub_queue_set_broken(vq, "ring index past the ring size");
		return NULL;
	}
	if (!desc_available(
		    __atomic_load_n(&vq->pdesc[idx].flags, __ATOMIC_ACQUIRE),
		    wrap)) {
		return NULL;
	}
	for (;;) {
		memcpy(&d, (const void *)&vq->pdesc[idx], sizeof(d));
		if (++n > vq->size) {
			vub_queue_set_broken(vq, "descriptor chain too long");
			goto fail;
		}
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (n != 1 || !walk_indirect(vq, &c, &d)) {
				vub_queue_set_broken(vq, "bad indirect chain");
				goto fail;
			}
		} else if (!vub_chain_desc(vq, &c, d.addr, d.len,
					   d.flags & VRING_DESC_F_WRITE)) {
			goto fail;
		}
		advance(vq, &idx, &wrap);
		if (!(d.flags & VRING_DESC_F_NEXT) ||
		    (d.flags & VRING_DESC_F_INDIRECT)) {
			id = d.id; /* the buffer id is in the last one */
			break;
		}
	}
	vq->last_avail_idx = idx;
	vq->avail_wrap = wrap;
	return vub_elem_from_chain(vq, &c, id, n);
fail:
	free(c.iov);
	return NULL;
}

/* Called with vq->lock held. */
void vub_packed_push(struct vub_queue *vq, const struct vub_elem *elem,
		     uint32_t len)
{
	struct vring_packed_desc *d;
	uint16_t flags = vq->used_wrap ? PACKED_AVAIL | PACKED_USED : 0;

	if (vq->used_idx >= vq->size) {
		vub_queue_set_broken(vq, "ring index past the ring size");
		return;
	}
	d = &vq->pdesc[vq->used_idx];
	if (len) {
		flags |= VRING_DESC_F_WRITE;
	}
	__atomic_store_n(&d->id, elem->head, __ATOMIC_RELAXED);
	__atomic_store_n(&d->len, len, __ATOMIC_RELAXED);
	__atomic_store_n(&d->flags, flags, __ATOMIC_RELEASE);
	for (uint16_t i = 0; i < elem->ndescs; i++) {
		advance(vq, &vq->used_idx, &vq->used_wrap);
	}
}

static bool packed_need_event(struct vub_queue *vq, uint16_t off_wrap,
			      uint16_t new_idx, uint16_t old)
{
	int off = off_wrap & 0x7fff;

	if (vq->used_wrap != (off_wrap >> VRING_PACKED_EVENT_F_WRAP_CTR)) {
		off -= vq->size;
	}
	return (uint16_t)(new_idx - off - 1) < (uint16_t)(new_idx - old);
}

/* Called with vq->lock held, after a full barrier. */
bool vub_packed_should_notify(struct vub_queue *vq)
{
	uint16_t flags =
		__atomic_load_n(&vq->driver_event->flags, __ATOMIC_RELAXED);
	uint16_t off_wrap =
		__atomic_load_n(&vq->driver_event->off_wrap, __ATOMIC_RELAXED);
	uint16_t old = vq->signalled_used, new_idx = vq->used_idx;
	bool valid = vq->signalled_used_valid;

	vq->signalled_used = new_idx;
	vq->signalled_used_valid = true;
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE) {
		return false;
	}
	if (flags != VRING_PACKED_EVENT_FLAG_DESC ||
	    !((vq->dev->features >> VIRTIO_RING_F_EVENT_IDX) & 1)) {
		return true;
	}
	return !valid || packed_need_event(vq, off_wrap, new_idx, old);
}
