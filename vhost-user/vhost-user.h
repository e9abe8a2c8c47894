/* SPDX-License-Identifier: MIT */
/* The vhost-user frontend: one control connection to a backend, every
 * request/reply pair serialized and bounded by a timeout. */
#ifndef MIMIC_VHOST_USER_VHOST_USER_H
#define MIMIC_VHOST_USER_VHOST_USER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* A reply that does not come within this many ms breaks the device. */
#define VHOST_USER_TIMEOUT_MS 5000
/* Guest RAM regions the frontend can hand to a backend at once. */
#define VHOST_USER_MAX_MEM_REGIONS 8

/* One region of guest RAM as the backend maps it. */
struct vhost_user_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva; /* our mapping's address: the backend's key */
	uint64_t offset; /* into fd */
	int fd;
};

struct vhost_user {
	int fd; /* the control socket, -1 once broken and closed */
	char *name; /* "vhost-user-fs", for messages */
	pthread_mutex_t lock; /* one request/reply pair at a time */
	unsigned timeout_ms;
	bool broken;
	uint64_t features; /* offered by the backend */
	uint64_t protocol_features; /* negotiated */
	uint64_t queue_num; /* GET_QUEUE_NUM (MQ), else 0 */
	uint64_t max_mem_slots; /* GET_MAX_MEM_SLOTS (CONFIGURE_MEM_SLOTS) */
	/* What the backend has mapped through ADD/REM_MEM_REG: a restart
	 * sends only the difference. */
	struct vhost_user_mem_region mem[VHOST_USER_MAX_MEM_REGIONS];
	unsigned nr_mem;
	/* Our end of the backend's request channel (BACKEND_REQ), or -1:
	 * the device watches it and calls vhost_user_backend_req_serve(). */
	int backend_fd;
};

/* Take over the connected socket fd and negotiate: GET_FEATURES,
 * GET/SET_PROTOCOL_FEATURES (ours & the backend's), GET_QUEUE_NUM,
 * GET_MAX_MEM_SLOTS, SET_BACKEND_REQ_FD, SET_OWNER.
 * On failure vu is cleaned up (fd closed). */
bool vhost_user_init(struct vhost_user *vu, int fd, const char *name,
		     struct error **errp);
void vhost_user_cleanup(struct vhost_user *vu);
/* The backend is gone: close the socket; requests fail quietly until
 * vhost_user_connect() hands over a new socket and negotiates again (as
 * vhost_user_init; on failure the socket is closed). */
void vhost_user_disconnect(struct vhost_user *vu);
bool vhost_user_connect(struct vhost_user *vu, int fd, struct error **errp);
bool vhost_user_has_protocol(const struct vhost_user *vu, unsigned bit);

/*
 * Requests. Each returns false when the device is (now) broken: the first
 * failure logs one line naming why and closes the socket. "sync" requests
 * complete only after the backend has applied them: NEED_REPLY and the ack
 * with REPLY_ACK, else a GET_FEATURES round trip.
 */
bool vhost_user_set_features(struct vhost_user *vu, uint64_t features);
/* Guest RAM: ADD/REM_MEM_REG of what differs from what the backend has
 * (CONFIGURE_MEM_SLOTS), else one SET_MEM_TABLE. Synchronous. */
bool vhost_user_set_mem_table(struct vhost_user *vu, uint64_t gpa,
			      uint64_t size, uint64_t uva, int fd);
bool vhost_user_set_mem(struct vhost_user *vu,
			const struct vhost_user_mem_region *regs, unsigned n);
bool vhost_user_set_vring(struct vhost_user *vu, uint32_t request,
			  unsigned index, unsigned num, bool sync);
bool vhost_user_set_vring_addr(struct vhost_user *vu, unsigned index,
			       uint64_t desc, uint64_t used, uint64_t avail);
/* KICK/CALL/ERR: always synchronous. */
bool vhost_user_set_vring_fd(struct vhost_user *vu, uint32_t request,
			     unsigned index, int fd);
bool vhost_user_get_vring_base(struct vhost_user *vu, unsigned index,
			       unsigned *num);
/* GET_CONFIG of bytes [0, len) (CONFIG negotiated). */
bool vhost_user_get_config(struct vhost_user *vu, uint8_t *buf, uint32_t len);
/* SET_CONFIG of buf = bytes [offset, offset + len) (flags FRONTEND),
 * synchronous: 1 applied, 0 refused (a non-zero ack; the device stays
 * usable), -1 broken. */
int vhost_user_set_config(struct vhost_user *vu, const uint8_t *buf,
			  uint32_t offset, uint32_t len);
/* SET_STATUS / GET_STATUS (STATUS negotiated); SET_STATUS is synchronous. */
bool vhost_user_set_status(struct vhost_user *vu, uint8_t status);
bool vhost_user_get_status(struct vhost_user *vu, uint8_t *status);
/* Any request with an optional fd; sync as above. */
bool vhost_user_request(struct vhost_user *vu, uint32_t request,
			const void *payload, uint32_t size, int fd, bool sync);
/*
 * Inflight I/O tracking (INFLIGHT_SHMFD): the backend's shared region,
 * mapped by the frontend and kept across reconnects so that a restarted
 * backend finds the requests it had not completed.
 */
struct vhost_user_inflight {
	int fd; /* -1: none */
	void *addr;
	uint64_t size, offset;
	uint16_t num_queues, queue_size;
};

void vhost_user_inflight_init(struct vhost_user_inflight *inflight);
void vhost_user_inflight_free(struct vhost_user_inflight *inflight);
/* GET_INFLIGHT_FD: the region for num_queues rings of queue_size. */
bool vhost_user_get_inflight(struct vhost_user *vu, uint16_t num_queues,
			     uint16_t queue_size,
			     struct vhost_user_inflight *inflight);
/* SET_INFLIGHT_FD (synchronous). */
bool vhost_user_set_inflight(struct vhost_user *vu,
			     const struct vhost_user_inflight *inflight);
/* RESET_DEVICE when offered, else RESET_OWNER. */
bool vhost_user_reset(struct vhost_user *vu);
/* Mark broken (once): log "NAME: vhost-user backend: WHY", close. */
void vhost_user_break(struct vhost_user *vu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Shared with vhost-user-backend-req.c. */
const char *vhost_user_request_name(uint32_t request);
int64_t vhost_user_now_ms(void);
/* Wait for events on fd until deadline: 1 ready, 0 timeout, -1 hangup. */
int vhost_user_poll(int fd, short events, int64_t deadline);

/*
 * The backend's request channel (vhost-user-backend-req.c). open: a
 * socketpair, the far end sent with SET_BACKEND_REQ_FD (at init when
 * BACKEND_REQ was negotiated). serve: read one request (the fd is
 * readable), check it as strictly as a reply, act and answer NEED_REPLY;
 * false when the channel is done (EOF, or a bad request: one line logged):
 * the caller unwatches it and calls close. The device stays usable.
 */
typedef bool vhost_user_config_changed_fn(void *opaque);
bool vhost_user_backend_req_open(struct vhost_user *vu);
bool vhost_user_backend_req_serve(struct vhost_user *vu,
				  vhost_user_config_changed_fn *config_changed,
				  void *opaque);
void vhost_user_backend_req_close(struct vhost_user *vu);

#endif
