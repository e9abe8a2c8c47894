/* SPDX-License-Identifier: MIT */
/* virtio-rng (virtio 1.2, 5.4): entropy from the host's getrandom(). */
#include <stdlib.h>
#include <sys/random.h>

#include "virtio/virtio-devices.h"
#include "virtio/virtqueue.h"

struct virtio_rng {
	struct virtio_device vdev;
};

/* Fill one element's writable buffers; returns the bytes written. */
static uint32_t rng_fill(struct virtq_elem *elem)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < elem->in_num; i++) {
		size_t off = 0;

		while (off < elem->in[i].iov_len) {
			ssize_t n = getrandom(
				(uint8_t *)elem->in[i].iov_base + off,
				elem->in[i].iov_len - off, GRND_NONBLOCK);

			if (n <= 0) {
				return done;
			}
			off += n;
			done += n;
		}
	}
	return done;
}

static void rng_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct virtqueue *vq = vdev->vqs[index];
	struct virtq_elem *elem;
	bool pushed = false;

	while ((elem = virtq_pop(vq))) {
		virtq_push(vq, elem, rng_fill(elem));
		pushed = true;
	}
	if (pushed) {
		virtq_notify(vq);
	}
}

static void rng_free(struct virtio_device *vdev)
{
	virtio_free_queues(vdev);
	free(container_of(vdev, struct virtio_rng, vdev));
}

static const struct virtio_device_ops virtio_rng_ops = {
	.queue_notify = rng_queue_notify,
	.free = rng_free,
};

struct virtio_device *virtio_rng_new(struct error **errp)
{
	struct virtio_rng *rng = calloc(1, sizeof(*rng));

	if (!rng) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	virtio_init(&rng->vdev, &virtio_rng_ops, "virtio-rng", VIRTIO_ID_RNG,
		    (1ull << VIRTIO_F_INDIRECT_DESC) |
			    (1ull << VIRTIO_F_EVENT_IDX),
		    NULL, 0);
	if (!virtio_add_queue(&rng->vdev, 64)) {
		rng_free(&rng->vdev);
		error_setg(errp, "out of memory");
		return NULL;
	}
	return &rng->vdev;
}
