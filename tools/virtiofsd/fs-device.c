/* SPDX-License-Identifier: MIT */
/* The virtio-fs device: FUSE requests from virtqueues to the file system. */
#include <errno.h>
#include <linux/virtio_fs.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tools/virtiofsd/fs-device.h"

/* Largest request and reply we copy: a max_write WRITE/READ plus headers. */
#define FS_DEVICE_MAX_IO ((1u << 20) + 65536)

struct work {
	struct vub_queue *vq;
	struct vub_elem *elem;
	struct work *next;
};

struct fs_device {
	struct fs *fs;
	char tag[36];
	unsigned num_request_queues;
	struct vub_device_ops ops;
	struct vub_loop *loop;
	unsigned nthreads;
	pthread_t *threads;
	pthread_mutex_t lock;
	pthread_cond_t work_cond;
	pthread_cond_t idle_cond;
	struct work *head;
	struct work *tail;
	unsigned inflight;
	bool stop;
};

static __thread uint8_t *buf_in;
static __thread uint8_t *buf_out;

static size_t iov_total(const struct iovec *iov, unsigned n)
{
	size_t total = 0;

	for (unsigned i = 0; i < n; i++) {
		total += iov[i].iov_len;
	}
	return total;
}

static void iov_to_buf(const struct iovec *iov, unsigned n, uint8_t *buf,
		       size_t len)
{
	for (unsigned i = 0; i < n && len; i++) {
		size_t c = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(buf, iov[i].iov_base, c);
		buf += c;
		len -= c;
	}
}

static void buf_to_iov(const uint8_t *buf, size_t len, const struct iovec *iov,
		       unsigned n)
{
	for (unsigned i = 0; i < n && len; i++) {
		size_t c = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(iov[i].iov_base, buf, c);
		buf += c;
		len -= c;
	}
}

static bool buffers_ready(void)
{
	if (!buf_in) {
		buf_in = malloc(FS_DEVICE_MAX_IO);
		buf_out = malloc(FS_DEVICE_MAX_IO);
	}
	return buf_in && buf_out;
}

/* Serve one request and return its buffers to the driver. */
static void process(struct fs_device *d, struct vub_queue *vq,
		    struct vub_elem *elem)
{
	size_t in_len = iov_total(elem->out_sg, elem->out_num);
	size_t out_cap = iov_total(elem->in_sg, elem->in_num);
	size_t n = 0;

	if (out_cap > FS_DEVICE_MAX_IO) {
		out_cap = FS_DEVICE_MAX_IO;
	}
	if (in_len > FS_DEVICE_MAX_IO) {
		vub_log(VUB_LOG_WARN, "dropping a %zu-byte FUSE request",
			in_len);
	} else if (buffers_ready()) {
		iov_to_buf(elem->out_sg, elem->out_num, buf_in, in_len);
		n = fs_handle(d->fs, buf_in, in_len, buf_out, out_cap);
		buf_to_iov(buf_out, n, elem->in_sg, elem->in_num);
	}
	vub_queue_push(vq, elem, n);
	free(elem);
}

static void *worker(void *opaque)
{
	struct fs_device *d = opaque;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		struct work *w;

		while (!d->head && !d->stop) {
			pthread_cond_wait(&d->work_cond, &d->lock);
		}
		if (!d->head) {
			break;
		}
		w = d->head;
		d->head = w->next;
		pthread_mutex_unlock(&d->lock);
		process(d, w->vq, w->elem);
		vub_queue_notify(w->vq);
		free(w);
		pthread_mutex_lock(&d->lock);
		if (--d->inflight == 0) {
			pthread_cond_broadcast(&d->idle_cond);
		}
	}
	pthread_mutex_unlock(&d->lock);
	free(buf_in);
	free(buf_out);
	return NULL;
}

static void enqueue(struct fs_device *d, struct vub_queue *vq,
		    struct vub_elem *elem)
{
	struct work *w = malloc(sizeof(*w));

	if (!w) {
		process(d, vq, elem);
		vub_queue_notify(vq);
		return;
	}
	w->vq = vq;
	w->elem = elem;
	w->next = NULL;
	pthread_mutex_lock(&d->lock);
	if (d->head) {
		d->tail->next = w;
	} else {
		d->head = w;
	}
	d->tail = w;
	d->inflight++;
	pthread_cond_signal(&d->work_cond);
	pthread_mutex_unlock(&d->lock);
}

static void queue_ready(struct vub_dev *dev, unsigned qidx)
{
	struct fs_device *d = vub_dev_opaque(dev);
	struct vub_queue *vq = vub_dev_queue(dev, qidx);
	struct vub_elem *elem;
	unsigned done = 0;

	while ((elem = vub_queue_pop(vq))) {
		if (d->nthreads) {
			enqueue(d, vq, elem);
		} else {
			process(d, vq, elem);
			done++;
		}
	}
	if (done) {
		vub_queue_notify(vq);
	}
}

static void drain(struct vub_dev *dev)
{
	struct fs_device *d = vub_dev_opaque(dev);

	pthread_mutex_lock(&d->lock);
	while (d->inflight) {
		pthread_cond_wait(&d->idle_cond, &d->lock);
	}
	pthread_mutex_unlock(&d->lock);
}

static int get_config(struct vub_dev *dev, uint8_t *buf, uint32_t offset,
		      uint32_t len)
{
	struct fs_device *d = vub_dev_opaque(dev);
	uint8_t space[VUB_MAX_CONFIG] = { 0 };
	struct virtio_fs_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.tag, d->tag, sizeof(cfg.tag));
	cfg.num_request_queues = d->num_request_queues;
	memcpy(space, &cfg, sizeof(cfg));
	memcpy(buf, space + offset, len);
	return 0;
}

static int set_config(struct vub_dev *dev, const uint8_t *buf, uint32_t offset,
		      uint32_t len)
{
	return -EPERM; /* virtio-fs config space is read-only */
}

static void disconnected(struct vub_dev *dev)
{
	struct fs_device *d = vub_dev_opaque(dev);

	vub_loop_quit(d->loop);
}

struct fs_device *fs_device_new(struct fs *fs, const char *tag,
				unsigned num_request_queues,
				unsigned thread_pool_size)
{
	struct fs_device *d = calloc(1, sizeof(*d));

	if (!d) {
		return NULL;
	}
	d->fs = fs;
	if (tag) {
		memcpy(d->tag, tag, strnlen(tag, sizeof(d->tag)));
	}
	d->num_request_queues = num_request_queues;
	d->ops.num_queues = 1 + num_request_queues;
	d->ops.queue_ready = queue_ready;
	d->ops.drain = drain;
	d->ops.disconnected = disconnected;
	if (tag) {
		d->ops.get_config = get_config;
		d->ops.set_config = set_config;
	}
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->work_cond, NULL);
	pthread_cond_init(&d->idle_cond, NULL);
	d->threads = calloc(thread_pool_size ? thread_pool_size : 1,
			    sizeof(pthread_t));
	if (!d->threads) {
		free(d);
		return NULL;
	}
	for (unsigned i = 0; i < thread_pool_size; i++) {
		if (pthread_create(&d->threads[i], NULL, worker, d)) {
			break;
		}
		d->nthreads++;
	}
	return d;
}

void fs_device_free(struct fs_device *d)
{
	if (!d) {
		return;
	}
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_cond_broadcast(&d->work_cond);
	pthread_mutex_unlock(&d->lock);
	for (unsigned i = 0; i < d->nthreads; i++) {
		pthread_join(d->threads[i], NULL);
	}
	free(d->threads);
	free(d);
}

int fs_device_serve(struct fs_device *d, int sock)
{
	struct vub_dev *dev;
	int ret;

	d->loop = vub_loop_new();
	if (!d->loop) {
		return -ENOMEM;
	}
	dev = vub_dev_new(sock, &d->ops, d, &vub_loop_ops, d->loop);
	if (!dev) {
		ret = -errno;
		vub_loop_free(d->loop);
		return ret;
	}
	ret = vub_dev_connected(dev) ? vub_loop_run(d->loop) : -EIO;
	vub_dev_free(dev);
	vub_loop_free(d->loop);
	d->loop = NULL;
	return ret;
}
