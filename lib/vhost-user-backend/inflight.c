/* SPDX-License-Identifier: MIT */
/* Inflight I/O tracking: shared buffer so a restarted backend resubmits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

uint64_t vub_inflight_region_size(uint16_t queue_size)
{
	uint64_t size = sizeof(struct vub_inflight_region) +
			(uint64_t)queue_size * sizeof(struct vub_inflight_desc);

	return (size + VUB_INFLIGHT_ALIGN - 1) &
	       ~(uint64_t)(VUB_INFLIGHT_ALIGN - 1);
}

static void inflight_unmap(struct vub_dev *dev)
{
	if (dev->inflight_base) {
		munmap(dev->inflight_base, dev->inflight_size);
	}
	if (dev->inflight_fd >= 0) {
		close(dev->inflight_fd);
	}
	dev->inflight_base = NULL;
	dev->inflight_size = 0;
	dev->inflight_fd = -1;
	for (unsigned i = 0; i < dev->num_queues; i++) {
		dev->queues[i].inflight = NULL;
	}
}

void vub_inflight_free(struct vub_dev *dev)
{
	inflight_unmap(dev);
}

/* Attach the mapping to each queue; num_queues may be fewer than ours. */
static void inflight_attach(struct vub_dev *dev, uint16_t num_queues,
			    uint16_t queue_size)
{
	uint64_t step = vub_inflight_region_size(queue_size);

	dev->inflight_queue_size = queue_size;
	for (unsigned i = 0; i < dev->num_queues; i++) {
		dev->queues[i].inflight =
			i < num_queues ?
				(void *)((uint8_t *)dev->inflight_base +
					 i * step) :
				NULL;
	}
}

static bool inflight_map(struct vub_dev *dev, int fd, uint64_t size,
			 uint64_t offset)
{
	void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			  offset);

	if (base == MAP_FAILED) {
		vub_log(VUB_LOG_ERROR, "cannot map inflight buffer: %s",
			strerror(errno));
		close(fd);
		return false;
	}
	inflight_unmap(dev);
	dev->inflight_base = base;
	dev->inflight_size = size;
	dev->inflight_fd = fd;
	return true;
}

static bool inflight_shape_ok(uint16_t num_queues, uint16_t queue_size)
{
	if (num_queues == 0 || num_queues > VUB_MAX_QUEUES || queue_size == 0 ||
	    queue_size > VUB_MAX_RING) {
		vub_log(VUB_LOG_ERROR, "inflight: bad shape %u queues x %u",
			num_queues, queue_size);
		return false;
	}
	return true;
}

/* GET_INFLIGHT_FD: create the buffer, reply with its fd. */
bool vub_inflight_get(struct vub_dev *dev, struct vub_msg_inflight *inf,
		      int *fd_out)
{
	uint64_t size;
	int fd;

	if (!inflight_shape_ok(inf->num_queues, inf->queue_size)) {
		return false;
	}
	size = inf->num_queues * vub_inflight_region_size(inf->queue_size);
	fd = memfd_create("vub-inflight", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size) < 0) {
		vub_log(VUB_LOG_ERROR, "inflight buffer: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return false;
	}
	if (!inflight_map(dev, fd, size, 0)) {
		return false;
	}
	memset(dev->inflight_base, 0, size);
	inflight_attach(dev, inf->num_queues, inf->queue_size);
	inf->mmap_size = size;
	inf->mmap_offset = 0;
	*fd_out = fd;
	return true;
}

/* SET_INFLIGHT_FD: adopt a buffer (ours, or a previous instance's). */
bool vub_inflight_set(struct vub_dev *dev, const struct vub_msg_inflight *inf,
		      int fd)
{
	uint64_t need;

	if (!inflight_shape_ok(inf->num_queues, inf->queue_size)) {
		close(fd);
		return false;
	}
	need = inf->num_queues * vub_inflight_region_size(inf->queue_size);
	if (inf->mmap_size < need || inf->mmap_size > (1ull << 32) ||
	    (inf->mmap_offset & 4095)) {
		vub_log(VUB_LOG_ERROR,
			"inflight buffer too small or misplaced");
		close(fd);
		return false;
	}
	if (!inflight_map(dev, fd, inf->mmap_size, inf->mmap_offset)) {
		return false;
	}
	inflight_attach(dev, inf->num_queues, inf->queue_size);
	return true;
}

static int counter_cmp(const void *a, const void *b, void *arg)
{
	const struct vub_inflight_region *r = arg;
	uint64_t ca = r->desc[*(const uint16_t *)a].counter;
	uint64_t cb = r->desc[*(const uint16_t *)b].counter;

	return ca < cb ? -1 : ca > cb;
}

/* Undo the entries of a batch the old backend was publishing. */
static void inflight_fix_batch(struct vub_queue *vq, uint16_t used_idx)
{
	struct vub_inflight_region *r = vq->inflight;
	uint16_t batch = used_idx - r->used_idx;
	uint16_t i = r->last_batch_head;

	for (uint16_t n = 0; n < batch && n < vq->size && i < vq->size; n++) {
		r->desc[i].inflight = 0;
		i = r->desc[i].next;
	}
	r->used_idx = used_idx;
}

/* The ring is starting: resubmit what a previous instance left in flight. */
void vub_queue_start_inflight(struct vub_queue *vq)
{
	struct vub_inflight_region *r = vq->inflight;
	uint16_t used_idx;
	unsigned n = 0;
	uint64_t max = 0;

	if (!r || !vq->used) {
		return;
	}
	used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	if (r->version == 0) {
		r->version = 1;
		r->desc_num = vq->size;
		r->used_idx = used_idx;
		return;
	}
	if (r->desc_num != vq->size ||
	    vq->dev->inflight_queue_size < vq->size) {
		vub_log(VUB_LOG_WARN,
			"queue %u: inflight buffer does not match "
			"the ring size; ignoring it",
			vq->idx);
		vq->inflight = NULL;
		return;
	}
	if (r->used_idx != used_idx) {
		inflight_fix_batch(vq, used_idx);
	}
	free(vq->resubmit);
	vq->resubmit = malloc(vq->size * sizeof(uint16_t));
	if (!vq->resubmit) {
		return;
	}
	for (uint16_t i = 0; i < vq->size; i++) {
		if (r->desc[i].inflight) {
			vq->resubmit[n++] = i;
			if (r->desc[i].counter > max) {
				max = r->desc[i].counter;
			}
		}
	}
	qsort_r(vq->resubmit, n, sizeof(uint16_t), counter_cmp, r);
	vq->resubmit_num = n;
	vq->resubmit_pos = 0;
	vq->counter = max + 1;
	vq->used_idx = used_idx;
	vq->last_avail_idx = used_idx + n;
	vq->inuse = 0;
	if (n) {
		vub_log(VUB_LOG_INFO, "queue %u: resubmitting %u requests",
			vq->idx, n);
	}
}
