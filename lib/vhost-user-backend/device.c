/* SPDX-License-Identifier: MIT */
/* The backend's side of the protocol: message handlers and ring states. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

#define BIT(n) (1ull << (n))

static const uint64_t lib_features =
	BIT(VUB_VIRTIO_F_VERSION_1) | BIT(VIRTIO_RING_F_INDIRECT_DESC) |
	BIT(VIRTIO_RING_F_EVENT_IDX) | BIT(VUB_F_PROTOCOL_FEATURES) |
	BIT(VIRTIO_F_RING_PACKED);

static const uint64_t lib_protocol_features =
	BIT(VUB_PROTOCOL_F_MQ) | BIT(VUB_PROTOCOL_F_REPLY_ACK) |
	BIT(VUB_PROTOCOL_F_BACKEND_REQ) | BIT(VUB_PROTOCOL_F_INFLIGHT_SHMFD) |
	BIT(VUB_PROTOCOL_F_RESET_DEVICE) |
	BIT(VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS) | BIT(VUB_PROTOCOL_F_STATUS);

/* A handler's result: done, done with its own reply, failed, or fatal. */
enum {
	HANDLED = 0,
	REPLIED = 1,
};
#define FATAL (-EPROTO)

static uint64_t offered_features(struct vub_dev *dev)
{
	return lib_features | dev->ops->features;
}

static uint64_t offered_protocol_features(struct vub_dev *dev)
{
	uint64_t f = lib_protocol_features | dev->ops->protocol_features;

	if (dev->ops->get_config) {
		f |= BIT(VUB_PROTOCOL_F_CONFIG);
	}
	return f;
}

static void drain(struct vub_dev *dev)
{
	if (dev->ops->drain) {
		dev->ops->drain(dev);
	}
}

/* Watch the kick fd exactly while the ring is started and enabled. */
void vub_queue_update(struct vub_queue *vq)
{
	struct vub_dev *dev = vq->dev;
	bool ready = vq->started && vq->enabled && dev->connected;

	if (ready == vq->ready) {
		return;
	}
	vq->ready = ready;
	if (!ready) {
		if (vq->watched) {
			dev->lops->remove_watch(dev->loop, vq->kick_fd);
			vq->watched = false;
		}
		return;
	}
	if (vq->kick_fd >= 0) {
		vq->watched = dev->lops->add_watch(dev->loop, vq->kick_fd,
						   vub_queue_kick, vq);
		if (!vq->watched) {
			vub_log(VUB_LOG_ERROR, "queue %u: cannot watch kick fd",
				vq->idx);
		}
	}
	/* Requests may have arrived while the ring was not ready. */
	if (dev->ops->queue_ready) {
		dev->ops->queue_ready(dev, vq->idx);
	}
}

static void remap_queues(struct vub_dev *dev)
{
	for (unsigned i = 0; i < dev->num_queues; i++) {
		struct vub_queue *vq = &dev->queues[i];

		pthread_mutex_lock(&vq->lock);
		vub_queue_map(vq);
		pthread_mutex_unlock(&vq->lock);
	}
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
	}
	*fd = -1;
}

static void queue_stop(struct vub_queue *vq)
{
	vq->started = false;
	vub_queue_update(vq);
	close_fd(&vq->kick_fd);
}

static void reset_rings(struct vub_dev *dev)
{
	drain(dev);
	for (unsigned i = 0; i < dev->num_queues; i++) {
		struct vub_queue *vq = &dev->queues[i];

		queue_stop(vq);
		vq->enabled = false;
		close_fd(&vq->call_fd);
		close_fd(&vq->err_fd);
		vub_queue_reset(vq);
		vq->addr_set = false;
		vq->size = 0;
		vq->last_avail_idx = 0;
		vq->used_idx = 0;
		vub_queue_map(vq);
	}
	dev->features = 0;
	dev->status = 0;
	dev->always_enabled = false;
}

static int reply(struct vub_dev *dev, const struct vub_msg *msg,
		 const void *payload, uint32_t size, const int *fds,
		 unsigned nfds)
{
	if (vub_msg_send(dev->sock, msg->hdr.request, payload, size, fds,
			 nfds) < 0) {
		return FATAL;
	}
	return REPLIED;
}

static int reply_u64(struct vub_dev *dev, const struct vub_msg *msg,
		     uint64_t value)
{
	return reply(dev, msg, &value, sizeof(value), NULL, 0);
}

static int handle_set_features(struct vub_dev *dev, const struct vub_msg *msg)
{
	uint64_t f = msg->payload.u64;

	if (f & ~offered_features(dev)) {
		vub_log(VUB_LOG_WARN,
			"frontend acked features 0x%" PRIx64 " not offered",
			f & ~offered_features(dev));
		f &= offered_features(dev);
	}
	dev->features = f;
	vub_log(VUB_LOG_DEBUG, "features 0x%" PRIx64 "%s", f,
		(f & BIT(VIRTIO_F_RING_PACKED)) ? " (packed rings)" : "");
	if (!(f & BIT(VUB_F_PROTOCOL_FEATURES))) {
		/* Without PROTOCOL_FEATURES rings are enabled for good. */
		dev->always_enabled = true;
		for (unsigned i = 0; i < dev->num_queues; i++) {
			dev->queues[i].enabled = true;
			vub_queue_update(&dev->queues[i]);
		}
	}
	return HANDLED;
}

static int handle_set_protocol_features(struct vub_dev *dev,
					const struct vub_msg *msg)
{
	uint64_t f = msg->payload.u64;

	if (f & ~offered_protocol_features(dev)) {
		vub_log(VUB_LOG_WARN,
			"frontend acked protocol features 0x%" PRIx64
			" not offered",
			f & ~offered_protocol_features(dev));
		f &= offered_protocol_features(dev);
	}
	dev->protocol_features = f;
	return HANDLED;
}

static int handle_mem_table(struct vub_dev *dev, struct vub_msg *msg)
{
	bool ok;

	drain(dev);
	ok = vub_mem_set_table(dev, msg);
	msg->nfds = 0; /* consumed, mapped or not */
	remap_queues(dev);
	return ok ? HANDLED : -EINVAL;
}

static int handle_mem_reg(struct vub_dev *dev, struct vub_msg *msg)
{
	const struct vub_msg_region *reg = &msg->payload.single.region;
	bool ok;

	drain(dev);
	if (msg->hdr.request == VUB_ADD_MEM_REG) {
		ok = vub_mem_add(dev, reg, msg->fds[0]);
		msg->nfds = 0;
	} else {
		ok = vub_mem_remove(dev, reg);
	}
	remap_queues(dev);
	return ok ? HANDLED : -EINVAL;
}

static int handle_vring_num(struct vub_queue *vq, uint32_t num)
{
	if (num == 0 || num > VUB_MAX_RING || (num & (num - 1))) {
		vub_log(VUB_LOG_ERROR, "queue %u: bad ring size %u", vq->idx,
			num);
		return -EINVAL;
	}
	pthread_mutex_lock(&vq->lock);
	vq->size = num;
	vub_queue_map(vq);
	pthread_mutex_unlock(&vq->lock);
	return HANDLED;
}

static int handle_vring_addr(struct vub_queue *vq, const struct vub_msg *msg)
{
	const struct vub_msg_addr *a = &msg->payload.addr;

	pthread_mutex_lock(&vq->lock);
	vq->desc_uva = a->desc_user_addr;
	vq->avail_uva = a->avail_user_addr;
	vq->used_uva = a->used_user_addr;
	vq->addr_set = true;
	vub_queue_map(vq);
	pthread_mutex_unlock(&vq->lock);
	return vq->desc || vq->pdesc ? HANDLED : -EINVAL;
}

/* Packed rings: avail index and wrap counter in bits 0-15, used in 16-31. */
static int set_packed_base(struct vub_queue *vq, uint32_t num)
{
	if ((num & 0x7fff) >= vq->size || ((num >> 16) & 0x7fff) >= vq->size) {
		vub_log(VUB_LOG_ERROR, "queue %u: bad packed ring base 0x%x",
			vq->idx, num);
		return -EINVAL;
	}
	vq->last_avail_idx = num & 0x7fff;
	vq->avail_wrap = (num >> 15) & 1;
	vq->used_idx = (num >> 16) & 0x7fff;
	vq->used_wrap = (num >> 31) & 1;
	return HANDLED;
}

static int handle_vring_base(struct vub_queue *vq, uint32_t num)
{
	int ret = HANDLED;

	if (!vub_queue_packed(vq) && num > 0xffff) {
		vub_log(VUB_LOG_ERROR, "queue %u: bad ring base %u", vq->idx,
			num);
		return -EINVAL;
	}
	pthread_mutex_lock(&vq->lock);
	vub_queue_reset(vq);
	if (vub_queue_packed(vq)) {
		ret = set_packed_base(vq, num);
	} else {
		vq->last_avail_idx = num;
		vq->used_idx = num;
	}
	pthread_mutex_unlock(&vq->lock);
	return ret;
}

static int handle_get_vring_base(struct vub_dev *dev, struct vub_queue *vq,
				 const struct vub_msg *msg)
{
	struct vub_msg_state state = { vq->idx, 0 };

	drain(dev);
	queue_stop(vq);
	pthread_mutex_lock(&vq->lock);
	state.num = vq->last_avail_idx;
	if (vub_queue_packed(vq)) {
		state.num |= (uint32_t)vq->avail_wrap << 15 |
			     (uint32_t)(vq->used_idx | vq->used_wrap << 15)
				     << 16;
	}
	vub_queue_reset(vq);
	pthread_mutex_unlock(&vq->lock);
	return reply(dev, msg, &state, sizeof(state), NULL, 0);
}

/* The ring becomes started: catch up with the ring's own used index. */
static void queue_start(struct vub_queue *vq)
{
	pthread_mutex_lock(&vq->lock);
	vub_queue_map(vq);
	vq->signalled_used_valid = false;
	if (vub_queue_packed(vq)) {
		pthread_mutex_unlock(&vq->lock);
		return;
	}
	if (vq->used && vq->inuse == 0) {
		vq->used_idx =
			__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	}
	vub_queue_start_inflight(vq);
	pthread_mutex_unlock(&vq->lock);
}

static int handle_vring_fd(struct vub_dev *dev, struct vub_msg *msg)
{
	struct vub_queue *vq =
		&dev->queues[msg->payload.u64 & VUB_VRING_IDX_MASK];
	int fd = msg->nfds ? msg->fds[0] : -1;

	msg->nfds = 0;
	switch (msg->hdr.request) {
	case VUB_SET_VRING_KICK:
		/* A new kick fd restarts the ring: re-watch and re-check. */
		vq->started = false;
		vub_queue_update(vq);
		close_fd(&vq->kick_fd);
		vq->kick_fd = fd;
		queue_start(vq);
		vq->started = true;
		vub_queue_update(vq);
		break;
	case VUB_SET_VRING_CALL:
		pthread_mutex_lock(&vq->lock);
		close_fd(&vq->call_fd);
		vq->call_fd = fd;
		pthread_mutex_unlock(&vq->lock);
		break;
	default:
		close_fd(&vq->err_fd);
		vq->err_fd = fd;
		break;
	}
	return HANDLED;
}

static int handle_vring_enable(struct vub_dev *dev, struct vub_queue *vq,
			       uint32_t num)
{
	if (dev->always_enabled) {
		vub_log(VUB_LOG_WARN, "SET_VRING_ENABLE without "
				      "PROTOCOL_FEATURES: rings stay enabled");
		return HANDLED;
	}
	if (num > 1) {
		return -EINVAL;
	}
	vq->enabled = num;
	vub_queue_update(vq);
	return HANDLED;
}

static int handle_config(struct vub_dev *dev, const struct vub_msg *msg)
{
	const struct vub_msg_config *in = &msg->payload.config;
	struct vub_msg_config out;
	int ret;

	if (msg->hdr.request == VUB_SET_CONFIG) {
		if (!dev->ops->set_config) {
			return -ENOTSUP;
		}
		return dev->ops->set_config(dev, in->region, in->offset,
					    in->size);
	}
	memset(&out, 0, sizeof(out));
	out.offset = in->offset;
	out.size = in->size;
	out.flags = in->flags;
	ret = dev->ops->get_config ?
		      dev->ops->get_config(dev, out.region, in->offset,
					   in->size) :
		      -ENOTSUP;
	if (ret < 0) {
		/* A header-only reply tells the frontend it failed. */
		return reply(dev, msg, NULL, 0, NULL, 0);
	}
	return reply(dev, msg, &out, 12 + out.size, NULL, 0);
}

static int handle_inflight(struct vub_dev *dev, struct vub_msg *msg)
{
	struct vub_msg_inflight inf = msg->payload.inflight;
	int fd = -1;

	if (msg->hdr.request == VUB_SET_INFLIGHT_FD) {
		msg->nfds = 0;
		return vub_inflight_set(dev, &inf, msg->fds[0]) ? HANDLED :
								  -EINVAL;
	}
	if (!vub_inflight_get(dev, &inf, &fd)) {
		memset(&inf, 0, sizeof(inf));
		return reply(dev, msg, &inf, sizeof(inf), NULL, 0);
	}
	return reply(dev, msg, &inf, sizeof(inf), &fd, 1);
}

static int handle_backend_fd(struct vub_dev *dev, struct vub_msg *msg)
{
	close_fd(&dev->backend_fd);
	dev->backend_fd = msg->fds[0];
	msg->nfds = 0;
	return HANDLED;
}

static int handle_queue_msg(struct vub_dev *dev, struct vub_msg *msg)
{
	struct vub_queue *vq = &dev->queues[msg->payload.state.index];

	switch (msg->hdr.request) {
	case VUB_SET_VRING_NUM:
		return handle_vring_num(vq, msg->payload.state.num);
	case VUB_SET_VRING_ADDR:
		return handle_vring_addr(&dev->queues[msg->payload.addr.index],
					 msg);
	case VUB_SET_VRING_BASE:
		return handle_vring_base(vq, msg->payload.state.num);
	case VUB_GET_VRING_BASE:
		return handle_get_vring_base(dev, vq, msg);
	case VUB_SET_VRING_ENABLE:
		return handle_vring_enable(dev, vq, msg->payload.state.num);
	default:
		return handle_vring_fd(dev, msg);
	}
}

static int handle(struct vub_dev *dev, struct vub_msg *msg)
{
	switch (msg->hdr.request) {
	case VUB_GET_FEATURES:
		return reply_u64(dev, msg, offered_features(dev));
	case VUB_SET_FEATURES:
		return handle_set_features(dev, msg);
	case VUB_GET_PROTOCOL_FEATURES:
		return reply_u64(dev, msg, offered_protocol_features(dev));
	case VUB_SET_PROTOCOL_FEATURES:
		return handle_set_protocol_features(dev, msg);
	case VUB_SET_OWNER:
		dev->owner = true;
		return HANDLED;
	case VUB_RESET_OWNER:
	case VUB_RESET_DEVICE:
		reset_rings(dev);
		return HANDLED;
	case VUB_GET_QUEUE_NUM:
		return reply_u64(dev, msg, dev->num_queues);
	case VUB_SET_MEM_TABLE:
		return handle_mem_table(dev, msg);
	case VUB_GET_MAX_MEM_SLOTS:
		return reply_u64(dev, msg, VUB_MAX_SLOTS);
	case VUB_ADD_MEM_REG:
	case VUB_REM_MEM_REG:
		return handle_mem_reg(dev, msg);
	case VUB_SET_VRING_NUM:
	case VUB_SET_VRING_ADDR:
	case VUB_SET_VRING_BASE:
	case VUB_GET_VRING_BASE:
	case VUB_SET_VRING_ENABLE:
	case VUB_SET_VRING_KICK:
	case VUB_SET_VRING_CALL:
	case VUB_SET_VRING_ERR:
		return handle_queue_msg(dev, msg);
	case VUB_GET_CONFIG:
	case VUB_SET_CONFIG:
		return handle_config(dev, msg);
	case VUB_GET_INFLIGHT_FD:
	case VUB_SET_INFLIGHT_FD:
		return handle_inflight(dev, msg);
	case VUB_SET_BACKEND_REQ_FD:
		return handle_backend_fd(dev, msg);
	case VUB_SET_STATUS:
		dev->status = msg->payload.u64 & 0xff;
		vub_log(VUB_LOG_DEBUG, "status 0x%" PRIx64, dev->status);
		return HANDLED;
	case VUB_GET_STATUS:
		return reply_u64(dev, msg, dev->status);
	default:
		return FATAL;
	}
}

static void handle_one(struct vub_dev *dev)
{
	struct vub_msg msg;
	int ret = vub_msg_read(dev->sock, &msg);

	if (ret < 0) {
		vub_msg_close_fds(&msg);
		vub_dev_close(dev, ret == -EPIPE ? "frontend disconnected" :
						   "cannot read a message");
		return;
	}
	if (!vub_msg_validate(&msg, dev->num_queues)) {
		vub_msg_close_fds(&msg);
		vub_dev_close(dev, "malformed message");
		return;
	}
	vub_log(VUB_LOG_DEBUG, "%s", vub_request_name(msg.hdr.request));
	ret = handle(dev, &msg);
	vub_msg_close_fds(&msg);
	if (ret < 0 && ret != FATAL) {
		vub_log(VUB_LOG_WARN, "%s failed: %s",
			vub_request_name(msg.hdr.request), strerror(-ret));
	}
	if (ret != REPLIED && ret != FATAL &&
	    (dev->protocol_features & BIT(VUB_PROTOCOL_F_REPLY_ACK)) &&
	    (msg.hdr.flags & VUB_FLAG_NEED_REPLY)) {
		ret = reply_u64(dev, &msg, ret < 0 ? 1 : 0);
	}
	if (ret == FATAL && dev->connected) {
		vub_dev_close(dev, "cannot reply");
	}
}

static void socket_ready(int fd, void *data)
{
	struct vub_dev *dev = data;

	if (dev->connected) {
		handle_one(dev);
	}
}

void vub_dev_dispatch(struct vub_dev *dev)
{
	struct pollfd pfd = { .fd = dev->sock, .events = POLLIN };

	while (dev->connected && poll(&pfd, 1, 0) > 0) {
		handle_one(dev);
	}
}

void vub_dev_close(struct vub_dev *dev, const char *why)
{
	if (!dev->connected) {
		return;
	}
	vub_log(strcmp(why, "frontend disconnected") ? VUB_LOG_ERROR :
						       VUB_LOG_INFO,
		"closing the connection: %s", why);
	dev->connected = false;
	for (unsigned i = 0; i < dev->num_queues; i++) {
		vub_queue_update(&dev->queues[i]);
	}
	dev->lops->remove_watch(dev->loop, dev->sock);
	if (dev->ops->disconnected) {
		dev->ops->disconnected(dev);
	}
}

struct vub_dev *vub_dev_new(int sock_fd, const struct vub_device_ops *ops,
			    void *opaque, const struct vub_loop_ops *lops,
			    void *loop)
{
	struct timeval tv = { .tv_sec = 10 };
	struct vub_dev *dev;

	if (ops->num_queues == 0 || ops->num_queues > VUB_MAX_QUEUES) {
		errno = EINVAL;
		return NULL;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev) {
		return NULL;
	}
	dev->queues = calloc(ops->num_queues, sizeof(*dev->queues));
	if (!dev->queues) {
		free(dev);
		return NULL;
	}
	dev->sock = sock_fd;
	dev->ops = ops;
	dev->opaque = opaque;
	dev->lops = lops;
	dev->loop = loop;
	dev->backend_fd = -1;
	dev->inflight_fd = -1;
	dev->num_queues = ops->num_queues;
	for (unsigned i = 0; i < dev->num_queues; i++) {
		vub_queue_init(&dev->queues[i], dev, i);
	}
	/* A frontend that stalls mid-message must not hang us forever. */
	setsockopt(sock_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	dev->connected = lops->add_watch(loop, sock_fd, socket_ready, dev);
	if (!dev->connected) {
		vub_log(VUB_LOG_ERROR, "cannot watch the frontend socket");
	}
	return dev;
}

void vub_dev_free(struct vub_dev *dev)
{
	if (!dev) {
		return;
	}
	drain(dev);
	vub_dev_close(dev, "frontend disconnected");
	for (unsigned i = 0; i < dev->num_queues; i++) {
		struct vub_queue *vq = &dev->queues[i];

		close_fd(&vq->kick_fd);
		close_fd(&vq->call_fd);
		close_fd(&vq->err_fd);
		free(vq->resubmit);
		pthread_mutex_destroy(&vq->lock);
	}
	vub_inflight_free(dev);
	vub_mem_unmap_all(dev);
	close_fd(&dev->backend_fd);
	close(dev->sock);
	free(dev->queues);
	free(dev);
}

void *vub_dev_opaque(struct vub_dev *dev)
{
	return dev->opaque;
}

bool vub_dev_connected(struct vub_dev *dev)
{
	return dev->connected;
}

uint64_t vub_dev_features(struct vub_dev *dev)
{
	return dev->features;
}

int vub_dev_config_changed(struct vub_dev *dev)
{
	uint64_t need =
		BIT(VUB_PROTOCOL_F_BACKEND_REQ) | BIT(VUB_PROTOCOL_F_CONFIG);

	if (dev->backend_fd < 0 || (dev->protocol_features & need) != need) {
		return -ENOTCONN;
	}
	/* No NEED_REPLY: the frontend answers it with GET_CONFIG on the
	 * socket this thread serves. */
	return vub_msg_send_flags(dev->backend_fd,
				  VUB_BACKEND_CONFIG_CHANGE_MSG, 0, NULL, 0,
				  NULL, 0);
}

struct vub_queue *vub_dev_queue(struct vub_dev *dev, unsigned qidx)
{
	return qidx < dev->num_queues ? &dev->queues[qidx] : NULL;
}
