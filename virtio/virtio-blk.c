/* SPDX-License-Identifier: MIT */
/* virtio-blk (virtio 1.2, 5.2): requests are popped on the vCPU thread,
 * done by worker threads through the block layer, and completed under the
 * big lock, where the interrupt is raised. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"
#include "hw/core/bql.h"
#include "virtio/drive.h"
#include "virtio/virtio-blk.h"
#include "virtio/virtio-mmio.h"
#include "virtio/virtqueue.h"

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9
#define VIRTIO_BLK_F_DISCARD 13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_T_WRITE_ZEROES 13

#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_ID_BYTES 20
#define BLK_QUEUE_SIZE 256
#define BLK_SECTOR 512ull
#define BLK_WORKERS 2
#define BLK_MAX_ZERO_SECTORS (1u << 22) /* 2 GiB per request */

/* Config space offsets (5.2.4). */
#define BLK_CFG_CAPACITY 0
#define BLK_CFG_SEG_MAX 12
#define BLK_CFG_BLK_SIZE 20
#define BLK_CFG_NUM_QUEUES 34
#define BLK_CFG_MAX_DISCARD_SECTORS 36
#define BLK_CFG_MAX_DISCARD_SEG 40
#define BLK_CFG_DISCARD_ALIGN 44
#define BLK_CFG_MAX_WZ_SECTORS 48
#define BLK_CFG_MAX_WZ_SEG 52
#define BLK_CFG_SIZE 60

struct blk_req {
	struct virtq_elem *elem;
	struct virtqueue *vq;
	uint64_t generation;
	struct blk_req *next;
};

struct virtio_blk {
	struct virtio_device vdev;
	uint8_t config[BLK_CFG_SIZE];
	struct drive *drive;
	struct block *bs;
	char serial[VIRTIO_BLK_ID_BYTES];
	uint64_t generation; /* bumped by reset: stale requests are dropped */

	/* Workers read-hold it around a request; a resize write-holds it. */
	pthread_rwlock_t io_lock;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct blk_req *head, *tail;
	bool stop;
	pthread_t workers[BLK_WORKERS];
	unsigned nr_workers;
};

struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct blk_seg {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

static struct virtio_blk *to_blk(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_blk, vdev);
}

static bool blk_range_ok(struct virtio_blk *blk, uint64_t sector,
			 uint64_t bytes)
{
	uint64_t size = block_size(blk->bs);

	return sector <= size / BLK_SECTOR &&
	       bytes <= size - sector * BLK_SECTOR;
}

/* Read or write the data buffers (iov minus the header or status). */
static int blk_rw(struct virtio_blk *blk, const struct iovec *iov, unsigned num,
		  size_t skip, size_t len, uint64_t offset, bool write)
{
	for (unsigned i = 0; i < num && len; i++) {
		size_t n = iov[i].iov_len;
		uint8_t *p = iov[i].iov_base;
		int ret;

		if (skip >= n) {
			skip -= n;
			continue;
		}
		p += skip;
		n -= skip;
		skip = 0;
		if (n > len) {
			n = len;
		}
		ret = write ? block_pwrite(blk->bs, offset, p, n) :
			      block_pread(blk->bs, offset, p, n);
		if (ret < 0) {
			return ret;
		}
		offset += n;
		len -= n;
	}
	return 0;
}

/* Count the request for query-blockstats; returns its status. */
static uint8_t blk_account(struct virtio_blk *blk, enum drive_acct type,
			   uint64_t offset, uint64_t bytes,
			   enum drive_result result, uint64_t start_ns)
{
	drive_account(blk->drive, type, offset, bytes, result, start_ns);
	return result == DRIVE_DONE ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

static uint8_t blk_do_read(struct virtio_blk *blk, struct virtq_elem *elem,
			   uint64_t sector, uint32_t *written, uint64_t start)
{
	size_t len = elem->in_len - 1;
	uint64_t off = sector * BLK_SECTOR;

	if (len % BLK_SECTOR || !blk_range_ok(blk, sector, len)) {
		return blk_account(blk, DRIVE_ACCT_READ, off, len,
				   DRIVE_INVALID, start);
	}
	if (blk_rw(blk, elem->in, elem->in_num, 0, len, off, false) < 0) {
		return blk_account(blk, DRIVE_ACCT_READ, off, len, DRIVE_FAILED,
				   start);
	}
	*written = len;
	return blk_account(blk, DRIVE_ACCT_READ, off, len, DRIVE_DONE, start);
}

static uint8_t blk_do_write(struct virtio_blk *blk, struct virtq_elem *elem,
			    uint64_t sector, uint64_t start)
{
	size_t len = elem->out_len - sizeof(struct blk_hdr);
	uint64_t off = sector * BLK_SECTOR;

	if (blk->drive->readonly || len % BLK_SECTOR ||
	    !blk_range_ok(blk, sector, len)) {
		return blk_account(blk, DRIVE_ACCT_WRITE, off, len,
				   DRIVE_INVALID, start);
	}
	if (blk_rw(blk, elem->out, elem->out_num, sizeof(struct blk_hdr), len,
		   off, true) < 0) {
		return blk_account(blk, DRIVE_ACCT_WRITE, off, len,
				   DRIVE_FAILED, start);
	}
	return blk_account(blk, DRIVE_ACCT_WRITE, off, len, DRIVE_DONE, start);
}

/* DISCARD and WRITE_ZEROES: one or more segments after the header. */
static uint8_t blk_do_segments(struct virtio_blk *blk, struct virtq_elem *elem,
			       bool zero, uint64_t start)
{
	enum drive_acct type = zero ? DRIVE_ACCT_WRITE : DRIVE_ACCT_UNMAP;
	size_t len = elem->out_len - sizeof(struct blk_hdr);
	struct blk_seg seg;
	uint64_t off, bytes;

	if (blk->drive->readonly || len == 0 || len % sizeof(seg)) {
		return blk_account(blk, type, 0, 0, DRIVE_INVALID, start);
	}
	for (size_t pos = sizeof(struct blk_hdr); pos < elem->out_len;
	     pos += sizeof(seg)) {
		iov_to_buf(elem->out, elem->out_num, pos, &seg, sizeof(seg));
		if (seg.flags & ~1u || seg.num_sectors > BLK_MAX_ZERO_SECTORS ||
		    !blk_range_ok(blk, seg.sector,
				  seg.num_sectors * BLK_SECTOR)) {
			return blk_account(blk, type, 0, 0, DRIVE_INVALID,
					   start);
		}
		off = seg.sector * BLK_SECTOR;
		bytes = seg.num_sectors * BLK_SECTOR;
		if ((zero ? block_pwrite_zeroes(blk->bs, off, bytes) :
			    block_discard(blk->bs, off, bytes)) < 0) {
			return blk_account(blk, type, off, bytes, DRIVE_FAILED,
					   start);
		}
		blk_account(blk, type, off, bytes, DRIVE_DONE, start);
	}
	return VIRTIO_BLK_S_OK;
}

static uint8_t blk_execute(struct virtio_blk *blk, struct virtq_elem *elem,
			   uint32_t *written)
{
	uint64_t start = bql_clock_ns();
	struct blk_hdr hdr;

	iov_to_buf(elem->out, elem->out_num, 0, &hdr, sizeof(hdr));
	switch (hdr.type) {
	case VIRTIO_BLK_T_IN:
		return blk_do_read(blk, elem, hdr.sector, written, start);
	case VIRTIO_BLK_T_OUT:
		return blk_do_write(blk, elem, hdr.sector, start);
	case VIRTIO_BLK_T_FLUSH:
		return blk_account(blk, DRIVE_ACCT_FLUSH, 0, 0,
				   block_flush(blk->bs) < 0 ? DRIVE_FAILED :
							      DRIVE_DONE,
				   start);
	case VIRTIO_BLK_T_GET_ID:
		*written = iov_from_buf(elem->in, elem->in_num, 0, blk->serial,
					elem->in_len - 1 < VIRTIO_BLK_ID_BYTES ?
						elem->in_len - 1 :
						VIRTIO_BLK_ID_BYTES);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_DISCARD:
		return blk_do_segments(blk, elem, false, start);
	case VIRTIO_BLK_T_WRITE_ZEROES:
		return blk_do_segments(blk, elem, true, start);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static void blk_complete(struct virtio_blk *blk, struct blk_req *req,
			 uint8_t status, uint32_t written)
{
	struct virtq_elem *elem = req->elem;

	bql_lock();
	if (req->generation == blk->generation && !blk->vdev.broken) {
		iov_from_buf(elem->in, elem->in_num, elem->in_len - 1, &status,
			     1);
		virtq_push(req->vq, elem, written + 1);
		virtq_notify(req->vq);
	} else {
		free(elem);
	}
	bql_unlock();
	free(req);
}

static void *blk_worker(void *opaque)
{
	struct virtio_blk *blk = opaque;
	struct blk_req *req;

	for (;;) {
		uint32_t written = 0;
		uint8_t status;

		pthread_mutex_lock(&blk->lock);
		while (!blk->head && !blk->stop) {
			pthread_cond_wait(&blk->cond, &blk->lock);
		}
		req = blk->head;
		if (!req) {
			pthread_mutex_unlock(&blk->lock);
			return NULL;
		}
		blk->head = req->next;
		if (!blk->head) {
			blk->tail = NULL;
		}
		pthread_mutex_unlock(&blk->lock);
		pthread_rwlock_rdlock(&blk->io_lock);
		status = blk_execute(blk, req->elem, &written);
		pthread_rwlock_unlock(&blk->io_lock);
		blk_complete(blk, req, status, written);
	}
}

static void blk_submit(struct virtio_blk *blk, struct virtqueue *vq,
		       struct virtq_elem *elem)
{
	struct blk_req *req = calloc(1, sizeof(*req));

	if (!req) {
		free(elem);
		return;
	}
	req->elem = elem;
	req->vq = vq;
	req->generation = blk->generation;
	pthread_mutex_lock(&blk->lock);
	if (blk->tail) {
		blk->tail->next = req;
	} else {
		blk->head = req;
	}
	blk->tail = req;
	pthread_cond_signal(&blk->cond);
	pthread_mutex_unlock(&blk->lock);
}

static void blk_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct virtio_blk *blk = to_blk(vdev);
	struct virtqueue *vq = vdev->vqs[index];
	struct virtq_elem *elem;

	while ((elem = virtq_pop(vq))) {
		if (elem->out_len < sizeof(struct blk_hdr) ||
		    elem->in_len < 1) {
			virtio_error(vdev, "request without a header or a "
					   "writable status byte");
			free(elem);
			return;
		}
		blk_submit(blk, vq, elem);
	}
}

static void blk_reset(struct virtio_device *vdev)
{
	to_blk(vdev)->generation++;
}

static void blk_free(struct virtio_device *vdev)
{
	struct virtio_blk *blk = to_blk(vdev);

	pthread_mutex_lock(&blk->lock);
	blk->stop = true;
	pthread_cond_broadcast(&blk->cond);
	pthread_mutex_unlock(&blk->lock);
	for (unsigned i = 0; i < blk->nr_workers; i++) {
		pthread_join(blk->workers[i], NULL);
	}
	while (blk->head) {
		struct blk_req *req = blk->head;

		blk->head = req->next;
		free(req->elem);
		free(req);
	}
	pthread_mutex_destroy(&blk->lock);
	pthread_cond_destroy(&blk->cond);
	pthread_rwlock_destroy(&blk->io_lock);
	virtio_free_queues(vdev);
	blk->drive->attached = false;
	blk->drive->user.resize = NULL;
	free(blk);
}

static const struct virtio_device_ops virtio_blk_ops = {
	.queue_notify = blk_queue_notify,
	.reset = blk_reset,
	.free = blk_free,
};

static void blk_put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void blk_fill_capacity(struct virtio_blk *blk)
{
	uint64_t sectors = block_size(blk->bs) / BLK_SECTOR;

	memcpy(blk->config + BLK_CFG_CAPACITY, &sectors, 8);
}

static void blk_fill_config(struct virtio_blk *blk)
{
	uint16_t one = 1;

	blk_fill_capacity(blk);
	blk_put32(blk->config + BLK_CFG_SEG_MAX, BLK_QUEUE_SIZE - 2);
	blk_put32(blk->config + BLK_CFG_BLK_SIZE, BLK_SECTOR);
	memcpy(blk->config + BLK_CFG_NUM_QUEUES, &one, 2);
	blk_put32(blk->config + BLK_CFG_MAX_DISCARD_SECTORS,
		  BLK_MAX_ZERO_SECTORS);
	blk_put32(blk->config + BLK_CFG_MAX_DISCARD_SEG, 1);
	blk_put32(blk->config + BLK_CFG_DISCARD_ALIGN, 8);
	blk_put32(blk->config + BLK_CFG_MAX_WZ_SECTORS, BLK_MAX_ZERO_SECTORS);
	blk_put32(blk->config + BLK_CFG_MAX_WZ_SEG, 1);
}

/* block_resize from the monitor: no request runs meanwhile; then the
 * guest reads the new capacity after a config-change interrupt. */
static bool blk_resize(void *opaque, uint64_t size, struct error **errp)
{
	struct virtio_blk *blk = opaque;
	bool ok;

	pthread_rwlock_wrlock(&blk->io_lock);
	ok = block_resize(blk->bs, size, errp);
	pthread_rwlock_unlock(&blk->io_lock);
	if (ok) {
		bql_lock();
		blk_fill_capacity(blk);
		virtio_config_changed(&blk->vdev);
		bql_unlock();
	}
	return ok;
}

static bool blk_start_workers(struct virtio_blk *blk, struct error **errp)
{
	for (; blk->nr_workers < BLK_WORKERS; blk->nr_workers++) {
		if (pthread_create(&blk->workers[blk->nr_workers], NULL,
				   blk_worker, blk)) {
			error_setg(errp, "virtio-blk: cannot start a thread");
			return false;
		}
	}
	return true;
}

struct virtio_device *virtio_blk_new(struct drive *drive, const char *serial,
				     struct error **errp)
{
	struct virtio_blk *blk;
	uint64_t features =
		(1ull << VIRTIO_BLK_F_SEG_MAX) |
		(1ull << VIRTIO_BLK_F_BLK_SIZE) | (1ull << VIRTIO_BLK_F_FLUSH) |
		(1ull << VIRTIO_BLK_F_DISCARD) |
		(1ull << VIRTIO_BLK_F_WRITE_ZEROES) |
		(1ull << VIRTIO_F_INDIRECT_DESC) | (1ull << VIRTIO_F_EVENT_IDX);

	if (drive->attached) {
		error_setg(errp, "drive '%s' is already in use", drive->id);
		return NULL;
	}
	if (!drive_open_node(drive, errp)) {
		return NULL;
	}
	if (serial && strlen(serial) > VIRTIO_BLK_ID_BYTES) {
		error_setg(errp, "virtio-blk: serial '%s' is longer than %d",
			   serial, VIRTIO_BLK_ID_BYTES);
		return NULL;
	}
	blk = calloc(1, sizeof(*blk));
	if (!blk) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	if (drive->readonly) {
		features |= 1ull << VIRTIO_BLK_F_RO;
	}
	virtio_init(&blk->vdev, &virtio_blk_ops, "virtio-blk", VIRTIO_ID_BLOCK,
		    features, blk->config, sizeof(blk->config));
	pthread_mutex_init(&blk->lock, NULL);
	pthread_cond_init(&blk->cond, NULL);
	pthread_rwlock_init(&blk->io_lock, NULL);
	blk->drive = drive;
	blk->bs = drive->bs;
	if (serial) {
		memcpy(blk->serial, serial, strlen(serial));
	}
	blk_fill_config(blk);
	if (!virtio_add_queue(&blk->vdev, BLK_QUEUE_SIZE) ||
	    !blk_start_workers(blk, errp)) {
		blk_free(&blk->vdev);
		return NULL;
	}
	drive->attached = true;
	drive->user.resize = blk_resize;
	drive->user.opaque = blk;
	return &blk->vdev;
}

bool virtio_blk_create_mmio(struct machine *m, struct drive *drive,
			    struct error **errp)
{
	struct virtio_device *vdev = virtio_blk_new(drive, NULL, errp);

	return vdev && virtio_mmio_attach(m, vdev, errp);
}
