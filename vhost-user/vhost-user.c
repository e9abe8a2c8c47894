/* SPDX-License-Identifier: MIT */
/* vhost-user frontend messages (QEMU's docs/interop/vhost-user.rst): strict
 * replies, one pair at a time, every wait bounded. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vhost-user-proto.h"
#include "util/types.h"
#include "vhost-user/vhost-user.h"

/* Protocol features the frontend understands. */
#define VHOST_USER_OUR_PROTOCOL                                             \
	((1ull << VUB_PROTOCOL_F_MQ) | (1ull << VUB_PROTOCOL_F_REPLY_ACK) | \
	 (1ull << VUB_PROTOCOL_F_CONFIG) |                                  \
	 (1ull << VUB_PROTOCOL_F_RESET_DEVICE) |                            \
	 (1ull << VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS) |                     \
	 (1ull << VUB_PROTOCOL_F_BACKEND_REQ) |                             \
	 (1ull << VUB_PROTOCOL_F_STATUS) |                                  \
	 (1ull << VUB_PROTOCOL_F_INFLIGHT_SHMFD))

const char *vhost_user_request_name(uint32_t request)
{
	const char *name = vub_request_spec_name(request);

	return name ? name : "request";
}

void vhost_user_break(struct vhost_user *vu, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (vu->broken) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vu->broken = true;
	error_report("%s: vhost-user backend broken: %s", vu->name, why);
	/* The fd stays open (the owner may watch it) until cleanup. */
	if (vu->fd >= 0) {
		shutdown(vu->fd, SHUT_RDWR);
	}
}

bool vhost_user_has_protocol(const struct vhost_user *vu, unsigned bit)
{
	return (vu->protocol_features >> bit) & 1;
}

int64_t vhost_user_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vhost_user_poll(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left = deadline - vhost_user_now_ms();
	int r;

	if (left < 0) {
		return 0;
	}
	do {
		r = poll(&p, 1, (int)left);
	} while (r < 0 && errno == EINTR);
	if (r > 0 && !(p.revents & events)) {
		return -1; /* hangup or error only */
	}
	return r;
}

static bool vhost_user_send(struct vhost_user *vu, const struct vub_msg *msg,
			    int fd, int64_t deadline)
{
	size_t len = sizeof(msg->hdr) + msg->hdr.size;
	char cbuf[CMSG_SPACE(sizeof(int))];
	/* On the wire the payload follows the 12-byte header unpadded. */
	uint8_t wire[sizeof(msg->hdr) + sizeof(msg->payload)];
	struct iovec iov = { .iov_base = wire, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	const char *what = vhost_user_request_name(msg->hdr.request);
	ssize_t n;
	int r;

	memcpy(wire, &msg->hdr, sizeof(msg->hdr));
	memcpy(wire + sizeof(msg->hdr), &msg->payload, msg->hdr.size);
	memset(cbuf, 0, sizeof(cbuf));
	if (fd >= 0) {
		struct cmsghdr *c;

		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	r = vhost_user_poll(vu->fd, POLLOUT, deadline);
	if (r <= 0) {
		vhost_user_break(vu, "%s: %s", what,
				 r ? "connection lost" :
				     "backend does not read (timeout)");
		return false;
	}
	do {
		n = sendmsg(vu->fd, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		vhost_user_break(vu, "%s: %s", what,
				 n < 0 ? strerror(errno) : "short write");
		return false;
	}
	return true;
}

/* recv, keeping the first fd passed along (SCM_RIGHTS) in *fd when fd is
 * not NULL; any other fd is closed. */
static ssize_t vhost_user_recv(int sock, void *buf, size_t len, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int) * VUB_MAX_FDS)];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

	for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c;
	     c = CMSG_NXTHDR(&mh, c)) {
		unsigned nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int fds[VUB_MAX_FDS];

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			continue;
		}
		memcpy(fds, CMSG_DATA(c), nfds * sizeof(int));
		for (unsigned i = 0; i < nfds && i < VUB_MAX_FDS; i++) {
			if (fd && *fd < 0) {
				*fd = fds[i];
			} else {
				close(fds[i]);
			}
		}
	}
	return n;
}

/* Read exactly len bytes before deadline (an fd passed along: *fd). */
static bool vhost_user_read(struct vhost_user *vu, void *buf, size_t len,
			    int64_t deadline, const char *what, int *fd)
{
	size_t done = 0;

	while (done < len) {
		int r = vhost_user_poll(vu->fd, POLLIN, deadline);
		ssize_t n;

		if (r == 0) {
			vhost_user_break(vu, "no reply to %s within %u ms",
					 what, vu->timeout_ms);
			return false;
		}
		n = r < 0 ? 0 :
			    vhost_user_recv(vu->fd, (char *)buf + done,
					    len - done, fd);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (n <= 0) {
			vhost_user_break(vu,
					 "connection lost waiting for the "
					 "reply to %s",
					 what);
			return false;
		}
		done += n;
	}
	return true;
}

/* Read the reply to request: exactly size payload bytes into payload. */
static bool vhost_user_reply(struct vhost_user *vu, uint32_t request,
			     void *payload, uint32_t size, int64_t deadline,
			     int *fd)
{
	const char *what = vhost_user_request_name(request);
	struct vub_msg_hdr hdr;

	if (!vhost_user_read(vu, &hdr, sizeof(hdr), deadline, what, fd)) {
		return false;
	}
	if (hdr.request != request) {
		vhost_user_break(vu, "reply to %s has request id %u", what,
				 hdr.request);
		return false;
	}
	if ((hdr.flags & VUB_FLAG_VERSION_MASK) != VUB_VERSION ||
	    !(hdr.flags & VUB_FLAG_REPLY)) {
		vhost_user_break(vu, "reply to %s has bad flags 0x%x", what,
				 hdr.flags);
		return false;
	}
	if (hdr.size != size) {
		vhost_user_break(vu, "reply to %s has size %u (expected %u)",
				 what, hdr.size, size);
		return false;
	}
	return vhost_user_read(vu, payload, size, deadline, what, fd);
}

/*
 * One exchange: send msg (with fd), then read the reply when reply_size is
 * not 0 (reply_size of 8 with NEED_REPLY set: the ack must be 0); an fd
 * that comes with the reply goes to *reply_fd (-1 when none) if not NULL.
 */
static bool vhost_user_call_fd(struct vhost_user *vu, struct vub_msg *msg,
			       int fd, void *reply, uint32_t reply_size,
			       int *reply_fd)
{
	int64_t deadline = vhost_user_now_ms() + vu->timeout_ms;
	bool ok;

	pthread_mutex_lock(&vu->lock);
	ok = !vu->broken && vhost_user_send(vu, msg, fd, deadline);
	if (ok && reply_size) {
		ok = vhost_user_reply(vu, msg->hdr.request, reply, reply_size,
				      deadline, reply_fd);
	}
	pthread_mutex_unlock(&vu->lock);
	return ok;
}

static bool vhost_user_call(struct vhost_user *vu, struct vub_msg *msg, int fd,
			    void *reply, uint32_t reply_size)
{
	return vhost_user_call_fd(vu, msg, fd, reply, reply_size, NULL);
}

static void vhost_user_msg(struct vub_msg *msg, uint32_t request, uint32_t size)
{
	memset(msg, 0, sizeof(*msg));
	msg->hdr.request = request;
	msg->hdr.flags = VUB_VERSION;
	msg->hdr.size = size;
}

static bool vhost_user_get_u64(struct vhost_user *vu, uint32_t request,
			       uint64_t *out)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, request, 0);
	return vhost_user_call(vu, &msg, -1, out, sizeof(*out));
}

/* Send msg and wait until the backend has applied it: *ack is its
 * REPLY_ACK answer (0 after the GET_FEATURES round trip). */
static bool vhost_user_send_acked_locked(struct vhost_user *vu,
					 struct vub_msg *msg, int fd,
					 uint64_t *ack)
{
	uint64_t features;

	*ack = 0;
	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_REPLY_ACK)) {
		msg->hdr.flags |= VUB_FLAG_NEED_REPLY;
		return vhost_user_call(vu, msg, fd, ack, sizeof(*ack));
	}
	/* Every backend answers GET_FEATURES, in order. */
	return vhost_user_call(vu, msg, fd, NULL, 0) &&
	       vhost_user_get_u64(vu, VUB_GET_FEATURES, &features);
}

/* Send msg; with sync, wait until the backend has applied it. */
static bool vhost_user_send_sync_locked(struct vhost_user *vu,
					struct vub_msg *msg, int fd, bool sync)
{
	uint64_t ack;

	if (!sync) {
		return vhost_user_call(vu, msg, fd, NULL, 0);
	}
	if (!vhost_user_send_acked_locked(vu, msg, fd, &ack)) {
		return false;
	}
	if (ack != 0) {
		vhost_user_break(vu, "%s failed (ack %llu)",
				 vhost_user_request_name(msg->hdr.request),
				 (unsigned long long)ack);
		return false;
	}
	return true;
}

/* The request and its GET_FEATURES round trip form one pair (the lock is
 * recursive). */
static bool vhost_user_send_sync(struct vhost_user *vu, struct vub_msg *msg,
				 int fd, bool sync)
{
	bool ok;

	pthread_mutex_lock(&vu->lock);
	ok = vhost_user_send_sync_locked(vu, msg, fd, sync);
	pthread_mutex_unlock(&vu->lock);
	return ok;
}

static bool vhost_user_set_u64(struct vhost_user *vu, uint32_t request,
			       uint64_t val, bool sync)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, request, sizeof(uint64_t));
	msg.payload.u64 = val;
	return vhost_user_send_sync(vu, &msg, -1, sync);
}

bool vhost_user_set_features(struct vhost_user *vu, uint64_t features)
{
	return vhost_user_set_u64(vu, VUB_SET_FEATURES, features, true);
}

bool vhost_user_request(struct vhost_user *vu, uint32_t request,
			const void *payload, uint32_t size, int fd, bool sync)
{
	struct vub_msg msg;

	if (size > sizeof(msg.payload)) {
		vhost_user_break(vu, "%s of %u bytes",
				 vhost_user_request_name(request), size);
		return false;
	}
	vhost_user_msg(&msg, request, size);
	if (size) {
		memcpy(&msg.payload, payload, size);
	}
	return vhost_user_send_sync(vu, &msg, fd, sync);
}

static void vhost_user_wire_region(struct vub_msg_region *w,
				   const struct vhost_user_mem_region *r)
{
	w->guest_phys_addr = r->gpa;
	w->memory_size = r->size;
	w->userspace_addr = r->uva;
	w->mmap_offset = r->offset;
}

static bool vhost_user_mem_same(const struct vhost_user_mem_region *a,
				const struct vhost_user_mem_region *b)
{
	return a->gpa == b->gpa && a->size == b->size && a->uva == b->uva &&
	       a->offset == b->offset;
}

static bool vhost_user_mem_find(const struct vhost_user_mem_region *set,
				unsigned n,
				const struct vhost_user_mem_region *r)
{
	for (unsigned i = 0; i < n; i++) {
		if (vhost_user_mem_same(&set[i], r)) {
			return true;
		}
	}
	return false;
}

/* ADD_MEM_REG / REM_MEM_REG of one region. REM carries the fd too: QEMU 7.2's
 * libvhost-user wants one (the spec lets backends accept and close it). */
static bool vhost_user_mem_reg(struct vhost_user *vu, uint32_t request,
			       const struct vhost_user_mem_region *r)
{
	struct vub_msg_mem_single one = { 0 };

	vhost_user_wire_region(&one.region, r);
	return vhost_user_request(vu, request, &one, sizeof(one), r->fd, true);
}

/* CONFIGURE_MEM_SLOTS: remove what the backend has and is not wanted, then
 * add what is wanted and missing (the shadow in vu->mem). */
static bool vhost_user_mem_slots(struct vhost_user *vu,
				 const struct vhost_user_mem_region *regs,
				 unsigned n)
{
	unsigned keep = 0;

	if (n > vu->max_mem_slots) {
		vhost_user_break(vu,
				 "%u memory regions, the backend has %llu "
				 "slots",
				 n, (unsigned long long)vu->max_mem_slots);
		return false;
	}
	for (unsigned i = 0; i < vu->nr_mem; i++) {
		if (vhost_user_mem_find(regs, n, &vu->mem[i])) {
			vu->mem[keep++] = vu->mem[i];
		} else if (!vhost_user_mem_reg(vu, VUB_REM_MEM_REG,
					       &vu->mem[i])) {
			return false;
		}
	}
	vu->nr_mem = keep;
	for (unsigned i = 0; i < n; i++) {
		if (vhost_user_mem_find(vu->mem, vu->nr_mem, &regs[i])) {
			continue;
		}
		if (!vhost_user_mem_reg(vu, VUB_ADD_MEM_REG, &regs[i])) {
			return false;
		}
		vu->mem[vu->nr_mem++] = regs[i];
	}
	return true;
}

bool vhost_user_set_mem(struct vhost_user *vu,
			const struct vhost_user_mem_region *regs, unsigned n)
{
	struct vub_msg msg;

	if (n == 0 || n > VHOST_USER_MAX_MEM_REGIONS) {
		vhost_user_break(vu, "%u memory regions", n);
		return false;
	}
	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS)) {
		return vhost_user_mem_slots(vu, regs, n);
	}
	if (n > 1) {
		/* One fd per region would be needed: not yet. */
		vhost_user_break(vu, "SET_MEM_TABLE of %u regions", n);
		return false;
	}
	vhost_user_msg(&msg, VUB_SET_MEM_TABLE,
		       offsetof(struct vub_msg_memory, regions) +
			       sizeof(struct vub_msg_region));
	msg.payload.memory.nregions = 1;
	vhost_user_wire_region(&msg.payload.memory.regions[0], &regs[0]);
	return vhost_user_send_sync(vu, &msg, regs[0].fd, true);
}

bool vhost_user_set_mem_table(struct vhost_user *vu, uint64_t gpa,
			      uint64_t size, uint64_t uva, int fd)
{
	struct vhost_user_mem_region r = {
		.gpa = gpa, .size = size, .uva = uva, .offset = 0, .fd = fd
	};

	return vhost_user_set_mem(vu, &r, 1);
}

bool vhost_user_set_vring(struct vhost_user *vu, uint32_t request,
			  unsigned index, unsigned num, bool sync)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, request, sizeof(struct vub_msg_state));
	msg.payload.state.index = index;
	msg.payload.state.num = num;
	return vhost_user_send_sync(vu, &msg, -1, sync);
}

bool vhost_user_set_vring_addr(struct vhost_user *vu, unsigned index,
			       uint64_t desc, uint64_t used, uint64_t avail)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, VUB_SET_VRING_ADDR, sizeof(struct vub_msg_addr));
	msg.payload.addr.index = index;
	msg.payload.addr.desc_user_addr = desc;
	msg.payload.addr.used_user_addr = used;
	msg.payload.addr.avail_user_addr = avail;
	return vhost_user_send_sync(vu, &msg, -1, false);
}

bool vhost_user_set_vring_fd(struct vhost_user *vu, uint32_t request,
			     unsigned index, int fd)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, request, sizeof(uint64_t));
	msg.payload.u64 = index | (fd < 0 ? VUB_VRING_NOFD : 0);
	return vhost_user_send_sync(vu, &msg, fd, true);
}

bool vhost_user_get_vring_base(struct vhost_user *vu, unsigned index,
			       unsigned *num)
{
	struct vub_msg msg;
	struct vub_msg_state st;

	vhost_user_msg(&msg, VUB_GET_VRING_BASE, sizeof(struct vub_msg_state));
	msg.payload.state.index = index;
	if (!vhost_user_call(vu, &msg, -1, &st, sizeof(st))) {
		return false;
	}
	if (st.index != index) {
		vhost_user_break(vu,
				 "GET_VRING_BASE reply is for ring %u, "
				 "not %u",
				 st.index, index);
		return false;
	}
	*num = st.num;
	return true;
}

bool vhost_user_get_config(struct vhost_user *vu, uint8_t *buf, uint32_t len)
{
	uint32_t size = offsetof(struct vub_msg_config, region) + len;
	struct vub_msg_config reply;
	struct vub_msg msg;

	if (len > VUB_MAX_CONFIG) {
		vhost_user_break(vu, "config space of %u bytes", len);
		return false;
	}
	vhost_user_msg(&msg, VUB_GET_CONFIG, size);
	msg.payload.config.size = len;
	if (!vhost_user_call(vu, &msg, -1, &reply, size)) {
		return false;
	}
	if (reply.offset != 0 || reply.size != len) {
		vhost_user_break(vu, "GET_CONFIG reply is for %u bytes at %u",
				 reply.size, reply.offset);
		return false;
	}
	memcpy(buf, reply.region, len);
	return true;
}

int vhost_user_set_config(struct vhost_user *vu, const uint8_t *buf,
			  uint32_t offset, uint32_t len)
{
	struct vub_msg msg;
	uint64_t ack;
	bool ok;

	if (len > VUB_MAX_CONFIG || offset > VUB_MAX_CONFIG - len) {
		vhost_user_break(vu, "SET_CONFIG of %u bytes at %u", len,
				 offset);
		return -1;
	}
	vhost_user_msg(&msg, VUB_SET_CONFIG,
		       offsetof(struct vub_msg_config, region) + len);
	msg.payload.config.offset = offset;
	msg.payload.config.size = len;
	msg.payload.config.flags = 0; /* FRONTEND: a driver's write */
	memcpy(msg.payload.config.region, buf, len);
	pthread_mutex_lock(&vu->lock);
	ok = !vu->broken && vhost_user_send_acked_locked(vu, &msg, -1, &ack);
	pthread_mutex_unlock(&vu->lock);
	if (!ok) {
		return -1;
	}
	return ack == 0;
}

bool vhost_user_set_status(struct vhost_user *vu, uint8_t status)
{
	return vhost_user_set_u64(vu, VUB_SET_STATUS, status, true);
}

bool vhost_user_get_status(struct vhost_user *vu, uint8_t *status)
{
	uint64_t v;

	if (!vhost_user_get_u64(vu, VUB_GET_STATUS, &v)) {
		return false;
	}
	if (v > 0xff) {
		vhost_user_break(vu, "GET_STATUS reply 0x%llx is not a status",
				 (unsigned long long)v);
		return false;
	}
	*status = (uint8_t)v;
	return true;
}

bool vhost_user_get_inflight(struct vhost_user *vu, uint16_t num_queues,
			     uint16_t queue_size,
			     struct vhost_user_inflight *inflight)
{
	struct vub_msg_inflight reply;
	struct vub_msg msg;
	int fd = -1;
	void *addr;

	vhost_user_msg(&msg, VUB_GET_INFLIGHT_FD, sizeof(reply));
	msg.payload.inflight.num_queues = num_queues;
	msg.payload.inflight.queue_size = queue_size;
	if (!vhost_user_call_fd(vu, &msg, -1, &reply, sizeof(reply), &fd)) {
		goto fail;
	}
	if (fd < 0 || !reply.mmap_size || reply.mmap_size > (1ull << 30)) {
		vhost_user_break(vu,
				 "GET_INFLIGHT_FD reply without an fd or "
				 "with mmap_size %llu",
				 (unsigned long long)reply.mmap_size);
		goto fail;
	}
	addr = mmap(NULL, reply.mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		    fd, (off_t)reply.mmap_offset);
	if (addr == MAP_FAILED) {
		vhost_user_break(vu, "cannot map the inflight region: %s",
				 strerror(errno));
		goto fail;
	}
	inflight->fd = fd;
	inflight->addr = addr;
	inflight->size = reply.mmap_size;
	inflight->offset = reply.mmap_offset;
	inflight->num_queues = num_queues;
	inflight->queue_size = queue_size;
	return true;
fail:
	if (fd >= 0) {
		close(fd);
	}
	return false;
}

bool vhost_user_set_inflight(struct vhost_user *vu,
			     const struct vhost_user_inflight *inflight)
{
	struct vub_msg msg;

	vhost_user_msg(&msg, VUB_SET_INFLIGHT_FD,
		       sizeof(struct vub_msg_inflight));
	msg.payload.inflight.mmap_size = inflight->size;
	msg.payload.inflight.mmap_offset = inflight->offset;
	msg.payload.inflight.num_queues = inflight->num_queues;
	msg.payload.inflight.queue_size = inflight->queue_size;
	return vhost_user_send_sync(vu, &msg, inflight->fd, true);
}

void vhost_user_inflight_init(struct vhost_user_inflight *inflight)
{
	memset(inflight, 0, sizeof(*inflight));
	inflight->fd = -1;
}

void vhost_user_inflight_free(struct vhost_user_inflight *inflight)
{
	if (inflight->addr) {
		munmap(inflight->addr, inflight->size);
	}
	if (inflight->fd >= 0) {
		close(inflight->fd);
	}
	vhost_user_inflight_init(inflight);
}

bool vhost_user_reset(struct vhost_user *vu)
{
	struct vub_msg msg;

	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_RESET_DEVICE)) {
		vhost_user_msg(&msg, VUB_RESET_DEVICE, 0);
	} else {
		vhost_user_msg(&msg, VUB_RESET_OWNER, 0);
	}
	return vhost_user_send_sync(vu, &msg, -1, true);
}

static bool vhost_user_negotiate(struct vhost_user *vu, struct error **errp)
{
	struct vub_msg msg;
	uint64_t proto = 0;

	if (!vhost_user_get_u64(vu, VUB_GET_FEATURES, &vu->features)) {
		goto fail;
	}
	if ((vu->features >> VUB_F_PROTOCOL_FEATURES) & 1) {
		if (!vhost_user_get_u64(vu, VUB_GET_PROTOCOL_FEATURES,
					&proto)) {
			goto fail;
		}
		vu->protocol_features = proto & VHOST_USER_OUR_PROTOCOL;
		vhost_user_msg(&msg, VUB_SET_PROTOCOL_FEATURES,
			       sizeof(uint64_t));
		msg.payload.u64 = vu->protocol_features;
		if (!vhost_user_call(vu, &msg, -1, NULL, 0)) {
			goto fail;
		}
	}
	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_MQ) &&
	    !vhost_user_get_u64(vu, VUB_GET_QUEUE_NUM, &vu->queue_num)) {
		goto fail;
	}
	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS) &&
	    !vhost_user_get_u64(vu, VUB_GET_MAX_MEM_SLOTS,
				&vu->max_mem_slots)) {
		goto fail;
	}
	if (vhost_user_has_protocol(vu, VUB_PROTOCOL_F_BACKEND_REQ) &&
	    !vhost_user_backend_req_open(vu)) {
		goto fail;
	}
	vhost_user_msg(&msg, VUB_SET_OWNER, 0);
	if (vhost_user_send_sync(vu, &msg, -1, true)) {
		return true;
	}
fail:
	error_setg(errp, "%s: the vhost-user backend failed the handshake",
		   vu->name);
	return false;
}

bool vhost_user_init(struct vhost_user *vu, int fd, const char *name,
		     struct error **errp)
{
	pthread_mutexattr_t attr;

	memset(vu, 0, sizeof(*vu));
	vu->fd = fd;
	vu->backend_fd = -1;
	vu->name = strdup(name);
	vu->timeout_ms = VHOST_USER_TIMEOUT_MS;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&vu->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (!vu->name) {
		error_setg(errp, "out of memory");
		vhost_user_cleanup(vu);
		return false;
	}
	if (!vhost_user_negotiate(vu, errp)) {
		vhost_user_cleanup(vu);
		return false;
	}
	return true;
}

void vhost_user_disconnect(struct vhost_user *vu)
{
	pthread_mutex_lock(&vu->lock);
	vu->broken = true; /* requests fail at once, without a line */
	vhost_user_backend_req_close(vu);
	if (vu->fd >= 0) {
		close(vu->fd);
		vu->fd = -1;
	}
	pthread_mutex_unlock(&vu->lock);
}

bool vhost_user_connect(struct vhost_user *vu, int fd, struct error **errp)
{
	bool ok;

	pthread_mutex_lock(&vu->lock);
	vhost_user_disconnect(vu);
	vu->fd = fd;
	vu->broken = false;
	vu->features = 0;
	vu->protocol_features = 0;
	vu->queue_num = 0;
	vu->max_mem_slots = 0;
	vu->nr_mem = 0; /* the new backend has mapped nothing */
	ok = vhost_user_negotiate(vu, errp);
	if (!ok) {
		vhost_user_disconnect(vu);
	}
	pthread_mutex_unlock(&vu->lock);
	return ok;
}

void vhost_user_cleanup(struct vhost_user *vu)
{
	vhost_user_backend_req_close(vu);
	if (vu->fd >= 0) {
		close(vu->fd);
		vu->fd = -1;
	}
	free(vu->name);
	vu->name = NULL;
	pthread_mutex_destroy(&vu->lock);
}
