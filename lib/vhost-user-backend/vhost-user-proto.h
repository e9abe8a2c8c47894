/* SPDX-License-Identifier: MIT */
/* The vhost-user wire format (docs/interop/vhost-user.rst): requests,
 * flags and message payloads, shared by the backend library and by
 * frontends. No state, no functions. */
#ifndef VHOST_USER_PROTO_H
#define VHOST_USER_PROTO_H

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

/* The request's name as the spec spells it, or NULL when it has none. */
static inline const char *vub_request_spec_name(uint32_t request)
{
	static const char *const names[VUB_REQUEST_MAX] = {
		[VUB_GET_FEATURES] = "GET_FEATURES",
		[VUB_SET_FEATURES] = "SET_FEATURES",
		[VUB_SET_OWNER] = "SET_OWNER",
		[VUB_RESET_OWNER] = "RESET_OWNER",
		[VUB_SET_MEM_TABLE] = "SET_MEM_TABLE",
		[VUB_SET_LOG_BASE] = "SET_LOG_BASE",
		[VUB_SET_LOG_FD] = "SET_LOG_FD",
		[VUB_SET_VRING_NUM] = "SET_VRING_NUM",
		[VUB_SET_VRING_ADDR] = "SET_VRING_ADDR",
		[VUB_SET_VRING_BASE] = "SET_VRING_BASE",
		[VUB_GET_VRING_BASE] = "GET_VRING_BASE",
		[VUB_SET_VRING_KICK] = "SET_VRING_KICK",
		[VUB_SET_VRING_CALL] = "SET_VRING_CALL",
		[VUB_SET_VRING_ERR] = "SET_VRING_ERR",
		[VUB_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
		[VUB_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
		[VUB_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
		[VUB_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
		[VUB_SET_BACKEND_REQ_FD] = "SET_BACKEND_REQ_FD",
		[VUB_GET_CONFIG] = "GET_CONFIG",
		[VUB_SET_CONFIG] = "SET_CONFIG",
		[VUB_GET_INFLIGHT_FD] = "GET_INFLIGHT_FD",
		[VUB_SET_INFLIGHT_FD] = "SET_INFLIGHT_FD",
		[VUB_RESET_DEVICE] = "RESET_DEVICE",
		[VUB_GET_MAX_MEM_SLOTS] = "GET_MAX_MEM_SLOTS",
		[VUB_ADD_MEM_REG] = "ADD_MEM_REG",
		[VUB_REM_MEM_REG] = "REM_MEM_REG",
		[VUB_SET_STATUS] = "SET_STATUS",
		[VUB_GET_STATUS] = "GET_STATUS",
	};

	return request < VUB_REQUEST_MAX ? names[request] : NULL;
}

/* Backend requests on the SET_BACKEND_REQ_FD channel (to the frontend). */
enum vub_backend_request {
	VUB_BACKEND_IOTLB_MSG = 1,
	VUB_BACKEND_CONFIG_CHANGE_MSG = 2,
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

/* A message as read from or written to the socket, with its fds. */
struct vub_msg {
	struct vub_msg_hdr hdr;
	union vub_payload payload;
	int fds[VUB_MAX_FDS];
	unsigned nfds;
};

#endif
