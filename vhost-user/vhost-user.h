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

struct vhost_user {
	int fd; /* the control socket, -1 once broken and closed */
	char *name; /* "vhost-user-fs", for messages */
	pthread_mutex_t lock; /* one request/reply pair at a time */
	unsigned timeout_ms;
	bool broken;
	uint64_t features; /* offered by the backend */
	uint64_t protocol_features; /* negotiated */
	uint64_t queue_num; /* GET_QUEUE_NUM (MQ), else 0 */
};

/* Take over the connected socket fd and negotiate: GET_FEATURES,
 * GET/SET_PROTOCOL_FEATURES (ours & the backend's), GET_QUEUE_NUM, SET_OWNER.
 * On failure vu is cleaned up (fd closed). */
bool vhost_user_init(struct vhost_user *vu, int fd, const char *name,
		     struct error **errp);
void vhost_user_cleanup(struct vhost_user *vu);
bool vhost_user_has_protocol(const struct vhost_user *vu, unsigned bit);

/*
 * Requests. Each returns false when the device is (now) broken: the first
 * failure logs one line naming why and closes the socket. "sync" requests
 * complete only after the backend has applied them: NEED_REPLY and the ack
 * with REPLY_ACK, else a GET_FEATURES round trip.
 */
bool vhost_user_set_features(struct vhost_user *vu, uint64_t features);
bool vhost_user_set_mem_table(struct vhost_user *vu, uint64_t gpa,
			      uint64_t size, uint64_t uva, int fd);
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
/* RESET_DEVICE when offered, else RESET_OWNER. */
bool vhost_user_reset(struct vhost_user *vu);
/* Mark broken (once): log "NAME: vhost-user backend: WHY", close. */
void vhost_user_break(struct vhost_user *vu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
