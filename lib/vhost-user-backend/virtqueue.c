/* SPDX-License-Identifier: MIT */
/* Split virtqueues: pop/push/notify with EVENT_IDX and indirect chains. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

/* Upper bound on the buffers of one request (after region splits). */
#define VUB_MAX_ELEM_IOV 4096

void vub_queue_init(struct vub_queue *vq, struct vub_dev *dev, unsigned idx)
{
	memset(vq, 0, sizeof(*vq));
	vq->dev = dev;
	vq->idx = idx;
	vq->kick_fd = -1;
	vq->call_fd = -1;
	vq->err_fd = -1;
	vq->avail_wrap = true;
	vq->used_wrap = true;
	pthread_mutex_init(&vq->lock, NULL);
}

static bool has_feature(struct vub_dev *dev, unsigned bit)
{
	return (dev->features >> bit) & 1;
}

void vub_queue_set_broken(struct vub_queue *vq, const char *why)
{
	if (!vq->broken) {
		vub_log(VUB_LOG_ERROR, "queue %u is broken: %s", vq->idx, why);
	}
	vq->broken = true;
}

/* (Re)translate the ring addresses; called with vq->lock held or unused. */
void vub_queue_map(struct vub_queue *vq)
{
	struct vub_dev *dev = vq->dev;
	uint64_t n = vq->size;

	vq->desc = NULL;
	vq->avail = NULL;
	vq->used = NULL;
	vq->pdesc = NULL;
	if (!vq->addr_set || n == 0 || dev->nregions == 0) {
		return;
	}
	if (vub_queue_packed(vq)) {
		vub_packed_map(vq);
		return;
	}
	if ((vq->desc_uva & 15) || (vq->avail_uva & 1) || (vq->used_uva & 3)) {
		vub_log(VUB_LOG_ERROR, "queue %u: misaligned ring address",
			vq->idx);
		return;
	}
	vq->desc = vub_uva_to_va(dev, vq->desc_uva, 16 * n);
	vq->avail = vub_uva_to_va(dev, vq->avail_uva, 6 + 2 * n);
	vq->used = vub_uva_to_va(dev, vq->used_uva, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used) {
		vub_log(VUB_LOG_ERROR,
			"queue %u: ring addresses outside guest memory",
			vq->idx);
		vq->desc = NULL;
		vq->avail = NULL;
		vq->used = NULL;
	}
}

void vub_queue_reset(struct vub_queue *vq)
{
	free(vq->resubmit);
	vq->resubmit = NULL;
	vq->resubmit_num = 0;
	vq->resubmit_pos = 0;
	vq->broken = false;
	vq->signalled_used_valid = false;
	vq->inuse = 0;
}

static uint16_t *avail_event(struct vub_queue *vq)
{
	return (uint16_t *)&vq->used->ring[vq->size];
}

static uint16_t used_event(struct vub_queue *vq)
{
	return __atomic_load_n(&vq->avail->ring[vq->size], __ATOMIC_RELAXED);
}

static bool chain_add(struct vub_queue *vq, struct vub_chain *c, uint64_t addr,
		      uint32_t len)
{
	while (len) {
		uint64_t piece = len;
		void *p = vub_gpa_to_va(vq->dev, addr, &piece);

		if (!p) {
			vub_queue_set_broken(vq, "descriptor address outside "
						 "guest memory");
			return false;
		}
		if (c->num == c->cap) {
			struct iovec *n;

			if (c->cap >= VUB_MAX_ELEM_IOV) {
				vub_queue_set_broken(vq, "request has too many "
							 "buffers");
				return false;
			}
			c->cap = c->cap ? c->cap * 2 : 16;
			n = realloc(c->iov, c->cap * sizeof(*n));
			if (!n) {
				vub_queue_set_broken(vq, "out of memory");
				return false;
			}
			c->iov = n;
		}
		c->iov[c->num].iov_base = p;
		c->iov[c->num].iov_len = piece;
		c->num++;
		addr += piece;
		len -= piece;
	}
	return true;
}

bool vub_chain_desc(struct vub_queue *vq, struct vub_chain *c, uint64_t addr,
		    uint32_t len, bool writable)
{
	if (writable) {
		return chain_add(vq, c, addr, len);
	}
	if (c->num != c->out_num) {
		vub_queue_set_broken(
			vq, "readable descriptor after a writable one");
		return false;
	}
	if (!chain_add(vq, c, addr, len)) {
		return false;
	}
	c->out_num = c->num;
	return true;
}

static bool chain_desc(struct vub_queue *vq, struct vub_chain *c,
		       const struct vring_desc *d)
{
	return vub_chain_desc(vq, c, d->addr, d->len,
			      d->flags & VRING_DESC_F_WRITE);
}

/* Walk the chain starting at head, following one level of indirection. */
static bool chain_walk(struct vub_queue *vq, uint16_t head, struct vub_chain *c)
{
	const struct vring_desc *table = vq->desc;
	unsigned max = vq->size, count = 0, i = head;
	bool indirect = false;
	struct vring_desc d;

	for (;;) {
		if (i >= max || count++ >= max) {
			vub_queue_set_broken(vq, "descriptor chain loops or "
						 "runs off the table");
			return false;
		}
		memcpy(&d, (const void *)&table[i], sizeof(d));
		if (d.flags & VRING_DESC_F_INDIRECT) {
			uint64_t len = d.len;

			if (indirect || (d.flags & VRING_DESC_F_NEXT) ||
			    d.len == 0 || d.len % sizeof(d) || count != 1) {
				vub_queue_set_broken(vq,
						     "bad indirect descriptor");
				return false;
			}
			table = vub_gpa_to_va(vq->dev, d.addr, &len);
			if (!table || len != d.len || (d.addr & 15)) {
				vub_queue_set_broken(vq,
						     "indirect table outside "
						     "guest memory");
				return false;
			}
			indirect = true;
			max = d.len / sizeof(d);
			count = 0;
			i = 0;
			continue;
		}
		if (!chain_desc(vq, c, &d)) {
			return false;
		}
		if (!(d.flags & VRING_DESC_F_NEXT)) {
			return true;
		}
		i = d.next;
	}
}

/* Turn a walked chain into an element (frees the chain's array). */
struct vub_elem *vub_elem_from_chain(struct vub_queue *vq, struct vub_chain *c,
				     uint16_t head, uint16_t ndescs)
{
	struct vub_elem *elem;

	elem = malloc(sizeof(*elem) + c->num * sizeof(struct iovec));
	if (!elem) {
		free(c->iov);
		vub_queue_set_broken(vq, "out of memory");
		return NULL;
	}
	elem->head = head;
	elem->ndescs = ndescs;
	elem->out_num = c->out_num;
	elem->in_num = c->num - c->out_num;
	if (c->num) {
		memcpy(elem->iov, c->iov, c->num * sizeof(struct iovec));
	}
	elem->out_sg = elem->iov;
	elem->in_sg = elem->iov + c->out_num;
	free(c->iov);
	return elem;
}

static struct vub_elem *elem_build(struct vub_queue *vq, uint16_t head)
{
	struct vub_chain c = { 0 };

	if (!chain_walk(vq, head, &c)) {
		free(c.iov);
		return NULL;
	}
	return vub_elem_from_chain(vq, &c, head, 1);
}

static bool rings_mapped(struct vub_queue *vq)
{
	return vub_queue_packed(vq) ? vq->pdesc != NULL :
				      vq->desc && vq->avail && vq->used;
}

static bool rings_usable(struct vub_queue *vq)
{
	return rings_mapped(vq) && !vq->broken && vq->started &&
	       vq->dev->connected;
}

/* Number of new heads, or -1 if the driver's index is impossible. */
static int avail_count(struct vub_queue *vq)
{
	uint16_t idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t n = idx - vq->last_avail_idx;

	if (n > vq->size) {
		vub_queue_set_broken(vq, "available index moved too far");
		return -1;
	}
	return n;
}

/* Bounded by our own record of the buffer's shape, not by what the
 * (shared, frontend-writable) buffer says. */
static bool inflight_tracks(struct vub_queue *vq, uint16_t head)
{
	return vq->inflight && head < vq->dev->inflight_queue_size;
}

static void inflight_mark(struct vub_queue *vq, uint16_t head)
{
	if (inflight_tracks(vq, head)) {
		vq->inflight->desc[head].counter = vq->counter++;
		__atomic_store_n(&vq->inflight->desc[head].inflight, 1,
				 __ATOMIC_RELEASE);
	}
}

static int next_head(struct vub_queue *vq, uint16_t *head)
{
	int n;

	if (vq->resubmit_pos < vq->resubmit_num) {
		*head = vq->resubmit[vq->resubmit_pos++];
		return 1;
	}
	n = avail_count(vq);
	if (n == 0 && has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX)) {
		/* Ask for a kick, then look again so none slips by. */
		__atomic_store_n(avail_event(vq), vq->last_avail_idx,
				 __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		n = avail_count(vq);
	}
	if (n <= 0) {
		return n;
	}
	*head = __atomic_load_n(&vq->avail->ring[vq->last_avail_idx % vq->size],
				__ATOMIC_RELAXED);
	vq->last_avail_idx++;
	if (has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX)) {
		__atomic_store_n(avail_event(vq), vq->last_avail_idx,
				 __ATOMIC_RELAXED);
	}
	if (*head >= vq->size) {
		vub_queue_set_broken(vq, "available ring names a bad head");
		return -1;
	}
	inflight_mark(vq, *head);
	return 1;
}

struct vub_elem *vub_queue_pop(struct vub_queue *vq)
{
	struct vub_elem *elem = NULL;
	uint16_t head;

	pthread_mutex_lock(&vq->lock);
	if (rings_usable(vq) && vub_queue_packed(vq)) {
		elem = vub_packed_pop(vq);
	} else if (rings_usable(vq) && next_head(vq, &head) > 0) {
		elem = elem_build(vq, head);
	}
	if (elem) {
		vq->inuse++;
	}
	pthread_mutex_unlock(&vq->lock);
	return elem;
}

void vub_queue_push(struct vub_queue *vq, const struct vub_elem *elem,
		    uint32_t len)
{
	struct vring_used_elem *slot;

	pthread_mutex_lock(&vq->lock);
	if (!rings_mapped(vq) || !vq->dev->connected) {
		pthread_mutex_unlock(&vq->lock);
		return;
	}
	if (vub_queue_packed(vq)) {
		vub_packed_push(vq, elem, len);
		vq->inuse -= vq->inuse ? 1 : 0;
		pthread_mutex_unlock(&vq->lock);
		return;
	}
	slot = &vq->used->ring[vq->used_idx % vq->size];
	__atomic_store_n(&slot->id, elem->head, __ATOMIC_RELAXED);
	__atomic_store_n(&slot->len, len, __ATOMIC_RELAXED);
	if (inflight_tracks(vq, elem->head)) {
		vq->inflight->desc[elem->head].next =
			vq->inflight->last_batch_head;
		vq->inflight->last_batch_head = elem->head;
	}
	vq->used_idx++;
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	if (inflight_tracks(vq, elem->head)) {
		__atomic_store_n(&vq->inflight->desc[elem->head].inflight, 0,
				 __ATOMIC_RELEASE);
		vq->inflight->used_idx = vq->used_idx;
	}
	if (vq->inuse) {
		vq->inuse--;
	}
	pthread_mutex_unlock(&vq->lock);
}

static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static bool should_notify(struct vub_queue *vq)
{
	uint16_t old, new_idx;
	bool valid;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vub_queue_packed(vq)) {
		return vub_packed_should_notify(vq);
	}
	if (!has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX)) {
		return !(__atomic_load_n(&vq->avail->flags, __ATOMIC_RELAXED) &
			 VRING_AVAIL_F_NO_INTERRUPT);
	}
	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new_idx = vq->used_idx;
	vq->signalled_used = new_idx;
	vq->signalled_used_valid = true;
	if (!valid) {
		return true;
	}
	return need_event(used_event(vq), new_idx, old);
}

void vub_queue_notify(struct vub_queue *vq)
{
	pthread_mutex_lock(&vq->lock);
	if (rings_mapped(vq) && vq->call_fd >= 0 && should_notify(vq)) {
		uint64_t one = 1;

		if (write(vq->call_fd, &one, sizeof(one)) < 0 &&
		    errno != EAGAIN) {
			vub_log(VUB_LOG_WARN, "queue %u: call fd: %s", vq->idx,
				strerror(errno));
		}
	}
	pthread_mutex_unlock(&vq->lock);
}

bool vub_queue_broken(struct vub_queue *vq)
{
	return vq->broken;
}

/* Kick fd readable: consume the count, tell the device. */
void vub_queue_kick(int fd, void *data)
{
	struct vub_queue *vq = data;
	uint64_t count;

	if (read(fd, &count, sizeof(count)) < 0 && errno != EAGAIN) {
		vub_log(VUB_LOG_WARN, "queue %u: kick fd: %s", vq->idx,
			strerror(errno));
	}
	if (vq->ready && vq->dev->ops->queue_ready) {
		vq->dev->ops->queue_ready(vq->dev, vq->idx);
	}
}
