/* SPDX-License-Identifier: MIT */
/* vhost-user wire format and the library's internal state. */
#ifndef VUB_INTERNAL_H
#define VUB_INTERNAL_H

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"

/* Frontend requests (docs/interop/vhost-user.rst). */
enum vub_request {
	VUB_GET_FEATURES = 1,
	VUB_SET_FEATURES = 2,
	VUB_SET_OWNER = 3,
	VUB_RESET_OWNER = 4,
	VUB_SET_MEM_TABLE = 5,
	VUB_SET_LOG_BASE = 6,
	VUB_SET_LOG_FD = 7,
	VUB_SET_VRING_NUM = 8,
	VUB_SET_VRING_ADDR = 9,
	VUB_SET_VRING_BASE = 10,
	VUB_GET_VRING_BASE = 11,
	VUB_SET_VRING_KICK = 12,
	VUB_SET_VRING_CALL = 13,
	VUB_SET_VRING_ERR = 14,
	VUB_GET_PROTOCOL_FEATURES = 15,
	VUB_SET_PROTOCOL_FEATURES = 16,
	VUB_GET_QUEUE_NUM = 17,
	VUB_SET_VRING_ENABLE = 18,
	VUB_SET_BACKEND_REQ_FD = 21,
	VUB_GET_CONFIG = 24,
	VUB_SET_CONFIG = 25,
	VUB_GET_INFLIGHT_FD = 31,
	VUB_SET_INFLIGHT_FD = 32,
	VUB_RESET_DEVICE = 34,
	VUB_GET_MAX_MEM_SLOTS = 36,
	VUB_ADD_MEM_REG = 37,
	VUB_REM_MEM_REG = 38,
	VUB_SET_STATUS = 39,
	VUB_GET_STATUS = 40,
	VUB_REQUEST_MAX = 41,
};

enum {
	VUB_PROTOCOL_F_MQ = 0,
	VUB_PROTOCOL_F_REPLY_ACK = 3,
	VUB_PROTOCOL_F_BACKEND_REQ = 5,
	VUB_PROTOCOL_F_CONFIG = 9,
	VUB_PROTOCOL_F_INFLIGHT_SHMFD = 12,
	VUB_PROTOCOL_F_RESET_DEVICE = 13,
	VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS = 15,
	VUB_PROTOCOL_F_STATUS = 16,
};

#define VUB_F_PROTOCOL_FEATURES 30
#define VUB_VIRTIO_F_VERSION_1 32
#define VUB_VERSION 0x1u
#define VUB_FLAG_VERSION_MASK 0x3u
#define VUB_FLAG_REPLY (1u << 2)
#define VUB_FLAG_NEED_REPLY (1u << 3)
#define VUB_VRING_IDX_MASK 0xffu
#define VUB_VRING_NOFD (1u << 8)
#define VUB_MAX_FDS 8
#define VUB_MAX_TABLE_REGIONS 8
#define VUB_MAX_SLOTS 32
#define VUB_MAX_RING 32768
#define VUB_INFLIGHT_ALIGN 64

struct vub_msg_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
} __attribute__((packed));

struct vub_msg_region {
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t mmap_offset;
};

struct vub_msg_memory {
	uint32_t nregions;
	uint32_t padding;
	struct vub_msg_region regions[VUB_MAX_TABLE_REGIONS];
};

struct vub_msg_mem_single {
	uint64_t padding;
	struct vub_msg_region region;
};

struct vub_msg_state {
	uint32_t index;
	uint32_t num;
};

struct vub_msg_addr {
	uint32_t index;
	uint32_t flags;
	uint64_t desc_user_addr;
	uint64_t used_user_addr;
	uint64_t avail_user_addr;
	uint64_t log_guest_addr;
};

struct vub_msg_config {
	uint32_t offset;
	uint32_t size;
	uint32_t flags;
	uint8_t region[VUB_MAX_CONFIG];
};

struct vub_msg_inflight {
	uint64_t mmap_size;
	uint64_t mmap_offset;
	uint16_t num_queues;
	uint16_t queue_size;
};

union vub_payload {
	uint64_t u64;
	struct vub_msg_state state;
	struct vub_msg_addr addr;
	struct vub_msg_memory memory;
	struct vub_msg_mem_single single;
	struct vub_msg_config config;
	struct vub_msg_inflight inflight;
};

struct vub_msg {
	struct vub_msg_hdr hdr;
	union vub_payload payload;
	int fds[VUB_MAX_FDS];
	unsigned nfds;
};

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
