/* SPDX-License-Identifier: MIT */
/* The library's internal state (the wire format is vhost-user-proto.h). */
#ifndef VUB_INTERNAL_H
#define VUB_INTERNAL_H

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "lib/vhost-user-backend/vhost-user-proto.h"

/* Inflight shared memory (split queue layout from the spec). */
struct vub_inflight_desc {
	uint8_t inflight;
	uint8_t padding[5];
	uint16_t next;
	uint64_t counter;
};

struct vub_inflight_region {
	uint64_t features;
	uint16_t version;
	uint16_t desc_num;
	uint16_t last_batch_head;
	uint16_t used_idx;
	struct vub_inflight_desc desc[];
};

struct vub_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint64_t mmap_offset;
	uint8_t *mmap_addr;
	uint64_t mmap_size;
};

struct vub_queue {
	struct vub_dev *dev;
	unsigned idx;
	pthread_mutex_t lock;
	uint16_t size;
	bool addr_set;
	uint64_t desc_uva;
	uint64_t avail_uva;
	uint64_t used_uva;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_packed_desc *pdesc; /* packed ring (instead of the 3) */
	struct vring_packed_desc_event *driver_event;
	struct vring_packed_desc_event *device_event;
	bool avail_wrap;
	bool used_wrap;
	uint16_t last_avail_idx;
	uint16_t used_idx;
	uint16_t signalled_used;
	bool signalled_used_valid;
	unsigned inuse;
	int kick_fd;
	int call_fd;
	int err_fd;
	bool started;
	bool enabled;
	bool ready; /* started && enabled: kick fd watched */
	bool watched;
	bool broken;
	struct vub_inflight_region *inflight;
	uint64_t counter;
	uint16_t *resubmit;
	unsigned resubmit_num;
	unsigned resubmit_pos;
};

struct vub_dev {
	int sock;
	const struct vub_device_ops *ops;
	void *opaque;
	const struct vub_loop_ops *lops;
	void *loop;
	bool connected;
	bool owner;
	bool always_enabled;
	uint64_t features;
	uint64_t protocol_features;
	uint64_t status;
	int backend_fd;
	struct vub_region regions[VUB_MAX_SLOTS];
	unsigned nregions;
	void *inflight_base;
	uint64_t inflight_size;
	int inflight_fd;
	uint16_t inflight_queue_size;
	unsigned num_queues;
	struct vub_queue *queues;
};

/* message.c */
int vub_msg_read(int sock, struct vub_msg *msg);
bool vub_msg_validate(const struct vub_msg *msg, unsigned num_queues);
int vub_msg_send(int sock, uint32_t request, const void *payload, uint32_t size,
		 const int *fds, unsigned nfds);
/* The same with the header's flags (beyond the version) chosen by the
 * caller: a frontend's requests, e.g. with VUB_FLAG_NEED_REPLY. */
int vub_msg_send_flags(int sock, uint32_t request, uint32_t flags,
		       const void *payload, uint32_t size, const int *fds,
		       unsigned nfds);
void vub_msg_close_fds(struct vub_msg *msg);
const char *vub_request_name(uint32_t request);

/* memory.c */
bool vub_mem_set_table(struct vub_dev *dev, const struct vub_msg *msg);
bool vub_mem_add(struct vub_dev *dev, const struct vub_msg_region *reg, int fd);
bool vub_mem_remove(struct vub_dev *dev, const struct vub_msg_region *reg);
void vub_mem_unmap_all(struct vub_dev *dev);
void *vub_uva_to_va(struct vub_dev *dev, uint64_t uva, uint64_t len);

/* A request's buffers while its descriptors are walked. */
struct vub_chain {
	struct iovec *iov;
	unsigned num;
	unsigned cap;
	unsigned out_num;
};

/* virtqueue.c */
void vub_queue_set_broken(struct vub_queue *vq, const char *why);
bool vub_chain_desc(struct vub_queue *vq, struct vub_chain *c, uint64_t addr,
		    uint32_t len, bool writable);
struct vub_elem *vub_elem_from_chain(struct vub_queue *vq, struct vub_chain *c,
				     uint16_t head, uint16_t ndescs);
void vub_queue_init(struct vub_queue *vq, struct vub_dev *dev, unsigned idx);
void vub_queue_map(struct vub_queue *vq);
void vub_queue_reset(struct vub_queue *vq);
void vub_queue_start_inflight(struct vub_queue *vq);
uint64_t vub_inflight_region_size(uint16_t queue_size);
void vub_queue_kick(int fd, void *data);

/* packed.c */
bool vub_queue_packed(struct vub_queue *vq);
void vub_packed_map(struct vub_queue *vq);
struct vub_elem *vub_packed_pop(struct vub_queue *vq);
void vub_packed_push(struct vub_queue *vq, const struct vub_elem *elem,
		     uint32_t len);
bool vub_packed_should_notify(struct vub_queue *vq);

/* inflight.c */
bool vub_inflight_get(struct vub_dev *dev, struct vub_msg_inflight *inf,
		      int *fd_out);
bool vub_inflight_set(struct vub_dev *dev, const struct vub_msg_inflight *inf,
		      int fd);
void vub_inflight_free(struct vub_dev *dev);

/* device.c */
void vub_queue_update(struct vub_queue *vq);
void vub_dev_close(struct vub_dev *dev, const char *why);

#endif
