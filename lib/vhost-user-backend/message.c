/* SPDX-License-Identifier: MIT */
/* vhost-user message I/O: read with SCM_RIGHTS, validate, reply. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

/* What each request must carry: payload size range and fd count range. */
struct msg_shape {
	uint32_t min_size;
	uint32_t max_size;
	uint8_t min_fds;
	uint8_t max_fds;
	bool known;
};

#define SHAPE(lo, hi, flo, fhi)                \
	{                                      \
		(lo), (hi), (flo), (fhi), true \
	}

static const struct msg_shape shapes[VUB_REQUEST_MAX] = {
	[VUB_GET_FEATURES] = SHAPE(0, 0, 0, 0),
	[VUB_SET_FEATURES] = SHAPE(8, 8, 0, 0),
	[VUB_SET_OWNER] = SHAPE(0, 0, 0, 0),
	[VUB_RESET_OWNER] = SHAPE(0, 0, 0, 0),
	[VUB_SET_MEM_TABLE] = SHAPE(8, sizeof(struct vub_msg_memory), 1,
				    VUB_MAX_TABLE_REGIONS),
	[VUB_SET_VRING_NUM] = SHAPE(8, 8, 0, 0),
	[VUB_SET_VRING_ADDR] = SHAPE(sizeof(struct vub_msg_addr),
				     sizeof(struct vub_msg_addr), 0, 0),
	[VUB_SET_VRING_BASE] = SHAPE(8, 8, 0, 0),
	[VUB_GET_VRING_BASE] = SHAPE(8, 8, 0, 0),
	[VUB_SET_VRING_KICK] = SHAPE(8, 8, 0, 1),
	[VUB_SET_VRING_CALL] = SHAPE(8, 8, 0, 1),
	[VUB_SET_VRING_ERR] = SHAPE(8, 8, 0, 1),
	[VUB_GET_PROTOCOL_FEATURES] = SHAPE(0, 0, 0, 0),
	[VUB_SET_PROTOCOL_FEATURES] = SHAPE(8, 8, 0, 0),
	[VUB_GET_QUEUE_NUM] = SHAPE(0, 0, 0, 0),
	[VUB_SET_VRING_ENABLE] = SHAPE(8, 8, 0, 0),
	[VUB_SET_BACKEND_REQ_FD] = SHAPE(0, 0, 1, 1),
	[VUB_GET_CONFIG] = SHAPE(12, sizeof(struct vub_msg_config), 0, 0),
	[VUB_SET_CONFIG] = SHAPE(12, sizeof(struct vub_msg_config), 0, 0),
	[VUB_GET_INFLIGHT_FD] =
		SHAPE(20, sizeof(struct vub_msg_inflight), 0, 0),
	[VUB_SET_INFLIGHT_FD] =
		SHAPE(20, sizeof(struct vub_msg_inflight), 1, 1),
	[VUB_RESET_DEVICE] = SHAPE(0, 0, 0, 0),
	[VUB_GET_MAX_MEM_SLOTS] = SHAPE(0, 0, 0, 0),
	[VUB_ADD_MEM_REG] = SHAPE(sizeof(struct vub_msg_mem_single),
				  sizeof(struct vub_msg_mem_single), 1, 1),
	[VUB_REM_MEM_REG] = SHAPE(sizeof(struct vub_msg_mem_single),
				  sizeof(struct vub_msg_mem_single), 0, 1),
	[VUB_SET_STATUS] = SHAPE(8, 8, 0, 0),
	[VUB_GET_STATUS] = SHAPE(0, 0, 0, 0),
};

const char *vub_request_name(uint32_t request)
{
	const char *name = vub_request_spec_name(request);

	return name ? name : "unknown";
}

void vub_msg_close_fds(struct vub_msg *msg)
{
	for (unsigned i = 0; i < msg->nfds; i++) {
		if (msg->fds[i] >= 0) {
			close(msg->fds[i]);
		}
		msg->fds[i] = -1;
	}
	msg->nfds = 0;
}

static int collect_fds(struct msghdr *mh, struct vub_msg *msg)
{
	struct cmsghdr *cm;
	bool overflow = false;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;

		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS) {
			continue;
		}
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(int));
			if (msg->nfds < VUB_MAX_FDS) {
				msg->fds[msg->nfds++] = fd;
			} else {
				close(fd);
				overflow = true;
			}
		}
	}
	if (overflow || (mh->msg_flags & MSG_CTRUNC)) {
		return -EMSGSIZE;
	}
	return 0;
}

static int read_full(int sock, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = recv(sock, (char *)buf + done, len - done, 0);

		if (r == 0) {
			return -EPIPE;
		}
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		done += r;
	}
	return 0;
}

/*
 * Read one message. Returns 0, -EPIPE on orderly EOF before a header, or
 * another -errno. Fds received are always recorded in msg (closed by the
 * caller on failure).
 */
int vub_msg_read(int sock, struct vub_msg *msg)
{
	char control[CMSG_SPACE(VUB_MAX_FDS * sizeof(int))];
	struct iovec iov = { &msg->hdr, sizeof(msg->hdr) };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	ssize_t r;
	int ret;

	memset(msg, 0, sizeof(*msg));
	do {
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	if (r == 0) {
		return -EPIPE;
	}
	if (r < 0) {
		return -errno;
	}
	ret = collect_fds(&mh, msg);
	if (ret < 0) {
		return ret;
	}
	if ((size_t)r < sizeof(msg->hdr)) {
		ret = read_full(sock, (char *)&msg->hdr + r,
				sizeof(msg->hdr) - r);
		if (ret < 0) {
			return ret == -EPIPE ? -EPROTO : ret;
		}
	}
	if (msg->hdr.size > sizeof(msg->payload)) {
		return -EMSGSIZE;
	}
	ret = read_full(sock, &msg->payload, msg->hdr.size);
	return ret == -EPIPE ? -EPROTO : ret;
}

static bool bad(const struct vub_msg *msg, const char *why)
{
	vub_log(VUB_LOG_ERROR,
		"bad %s message (request %u, size %u, %u fds): %s",
		vub_request_name(msg->hdr.request), msg->hdr.request,
		msg->hdr.size, msg->nfds, why);
	return false;
}

static bool validate_queue_index(const struct vub_msg *msg, unsigned nq)
{
	uint32_t index;

	switch (msg->hdr.request) {
	case VUB_SET_VRING_NUM:
	case VUB_SET_VRING_BASE:
	case VUB_GET_VRING_BASE:
	case VUB_SET_VRING_ENABLE:
		index = msg->payload.state.index;
		break;
	case VUB_SET_VRING_ADDR:
		index = msg->payload.addr.index;
		break;
	case VUB_SET_VRING_KICK:
	case VUB_SET_VRING_CALL:
	case VUB_SET_VRING_ERR:
		if (msg->payload.u64 &
		    ~(uint64_t)(VUB_VRING_IDX_MASK | VUB_VRING_NOFD)) {
			return bad(msg, "reserved bits set");
		}
		index = msg->payload.u64 & VUB_VRING_IDX_MASK;
		if (!!(msg->payload.u64 & VUB_VRING_NOFD) == (msg->nfds == 1)) {
			return bad(msg, "fd count disagrees with NOFD flag");
		}
		break;
	default:
		return true;
	}
	if (index >= nq) {
		return bad(msg, "queue index out of range");
	}
	return true;
}

static bool validate_payload(const struct vub_msg *msg)
{
	const union vub_payload *p = &msg->payload;

	switch (msg->hdr.request) {
	case VUB_SET_MEM_TABLE:
		if (p->memory.nregions == 0 ||
		    p->memory.nregions > VUB_MAX_TABLE_REGIONS) {
			return bad(msg, "region count out of range");
		}
		if (msg->hdr.size !=
		    8 + p->memory.nregions * sizeof(struct vub_msg_region)) {
			return bad(msg, "size does not match region count");
		}
		if (msg->nfds != p->memory.nregions) {
			return bad(msg, "fd count does not match region count");
		}
		break;
	case VUB_GET_CONFIG:
	case VUB_SET_CONFIG:
		if (p->config.size > VUB_MAX_CONFIG ||
		    msg->hdr.size != 12 + p->config.size) {
			return bad(msg, "config size does not match payload");
		}
		if (p->config.offset > VUB_MAX_CONFIG ||
		    p->config.size > VUB_MAX_CONFIG - p->config.offset) {
			return bad(msg, "config range past the config space");
		}
		break;
	default:
		break;
	}
	return true;
}

/* Check every field that can be checked without device state. */
bool vub_msg_validate(const struct vub_msg *msg, unsigned num_queues)
{
	const struct msg_shape *shape;
	uint32_t req = msg->hdr.request;

	if ((msg->hdr.flags & VUB_FLAG_VERSION_MASK) != VUB_VERSION) {
		return bad(msg, "unsupported protocol version");
	}
	if (msg->hdr.flags & ~(VUB_FLAG_VERSION_MASK | VUB_FLAG_NEED_REPLY)) {
		return bad(msg, "unexpected flags");
	}
	if (req >= VUB_REQUEST_MAX || !shapes[req].known) {
		return bad(msg, "unknown or unsupported request");
	}
	shape = &shapes[req];
	if (msg->hdr.size < shape->min_size ||
	    msg->hdr.size > shape->max_size) {
		return bad(msg, "payload size out of range");
	}
	if (msg->nfds < shape->min_fds || msg->nfds > shape->max_fds) {
		return bad(msg, "wrong number of file descriptors");
	}
	return validate_queue_index(msg, num_queues) && validate_payload(msg);
}

int vub_msg_send(int sock, uint32_t request, const void *payload, uint32_t size,
		 const int *fds, unsigned nfds)
{
	return vub_msg_send_flags(sock, request, VUB_FLAG_REPLY, payload, size,
				  fds, nfds);
}

int vub_msg_send_flags(int sock, uint32_t request, uint32_t flags,
		       const void *payload, uint32_t size, const int *fds,
		       unsigned nfds)
{
	char control[CMSG_SPACE(VUB_MAX_FDS * sizeof(int))];
	struct vub_msg_hdr hdr = { request, VUB_VERSION | flags, size };
	struct iovec iov[2] = { { &hdr, sizeof(hdr) },
				{ (void *)payload, size } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = size ? 2 : 1 };
	size_t want = sizeof(hdr) + size;
	ssize_t r;

	if (nfds > VUB_MAX_FDS) {
		return -EINVAL;
	}
	if (nfds) {
		struct cmsghdr *cm;

		memset(control, 0, sizeof(control));
		mh.msg_control = control;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	do {
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		return -errno;
	}
	return (size_t)r == want ? 0 : -EIO;
}
