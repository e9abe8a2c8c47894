/* SPDX-License-Identifier: MIT */
/* vhost-user-fs-pci / vhost-user-fs-device (virtio-fs) and vhost-user-blk-pci
 * (config space from the backend), served by a vhost-user backend; rings
 * are enabled synchronously at DRIVER_OK; with the chardev's reconnect=N a
 * lost backend is reconnected and the running device replayed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/core/bql.h"
#include "hw/core/device.h"
#include "lib/vhost-user-backend/vhost-user-proto.h"
#include "machine/machine.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "vhost-user/vhost-user-fs.h"
#include "vhost-user/vhost-user.h"
#include "virtio/virtio-mmio.h"
#include "virtio/virtio-pci.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

#define VIRTIO_ID_FS 26
#define VIRTIO_F_RING_PACKED 34
#define VHOST_USER_FS_TAG_LEN 36

struct vhost_user_fs;

struct vhost_user_fs_queue {
	struct vhost_user_fs *fs;
	int kick_fd, call_fd, err_fd;
	uint16_t last_idx; /* the ring's base at the next start */
	bool started;
};

struct vhost_user_fs {
	struct virtio_device vdev;
	struct vhost_user vu;
	struct machine *m;
	uint8_t config[64]; /* fs: tag[36], num_request_queues; blk: 60 */
	struct vhost_user_fs_queue q[VIRTIO_MAX_QUEUES];
	bool sync_enable; /* x-sync-enable=off: the race the test shows */
	bool started;
	bool watching_sock;
	int sock_fd; /* what the hangup watch is on */
	bool watching_backend_req; /* vu.backend_fd */
	bool blk;
	uint16_t queue_size;
	struct chardev *chr;
	unsigned reconnect_s; /* the chardev's reconnect=N, 0: none */
	bool reconnecting; /* a retry timer is pending */
	bool freed; /* gone while that timer was pending: it frees us */
	/* blk with INFLIGHT_SHMFD: kept across reconnects, dropped at reset */
	struct vhost_user_inflight inflight;
};

#define VIRTIO_BLK_CONFIG_LEN 60
#define VIRTIO_BLK_F_MQ 12
#define VIRTIO_BLK_F_CONFIG_WCE 11
#define VIRTIO_BLK_WCE_OFF 32
#define VIRTIO_BLK_NUM_QUEUES_OFF 34

/* The backend failed: the guest sees NEEDS_RESET (the line is logged). */
static void fs_fail(struct vhost_user_fs *fs)
{
	fs->started = false;
	for (unsigned i = 0; i < fs->vdev.nr_vqs; i++) {
		fs->q[i].started = false;
	}
	virtio_error(&fs->vdev, "%s: vhost-user backend failed", fs->vdev.name);
}

/* A request failed (vu is broken): NEEDS_RESET, unless reconnect=N is to
 * replay the device (fs_sock_hangup follows the shut socket). */
static void fs_lost(struct vhost_user_fs *fs)
{
	if (!fs->reconnect_s) {
		fs_fail(fs);
	}
}

/* Guest-physical ring part -> the backend's address (our mapping). */
static bool fs_ring_uva(struct vhost_user_fs *fs, gpa_t gpa, uint64_t len,
			uint64_t *uva)
{
	void *p = machine_dma(fs->m, gpa, len);

	*uva = (uint64_t)(uintptr_t)p;
	return p != NULL;
}

static bool fs_start_queue(struct vhost_user_fs *fs, unsigned i)
{
	struct virtqueue *vq = fs->vdev.vqs[i];
	struct vhost_user_fs_queue *q = &fs->q[i];
	struct vhost_user *vu = &fs->vu;
	bool packed = virtio_has_feature(&fs->vdev, VIRTIO_F_RING_PACKED);
	/* Packed: the descriptor ring and two 4-byte event areas (driver's
	 * in avail, device's in used); both wrap counters start at 1, in bits
	 * 15 and 31 of the base. */
	uint64_t avail_len = packed ? 4 : 6 + 2ull * vq->num;
	uint64_t used_len = packed ? 4 : 6 + 8ull * vq->num;
	unsigned base = packed ? (1u << 15) | (1u << 31) : q->last_idx;
	uint64_t desc, avail, used;

	if (!fs_ring_uva(fs, vq->desc_addr, 16ull * vq->num, &desc) ||
	    !fs_ring_uva(fs, vq->avail_addr, avail_len, &avail) ||
	    !fs_ring_uva(fs, vq->used_addr, used_len, &used)) {
		vhost_user_break(vu, "queue %u is not in guest RAM", i);
		return false;
	}
	/* CALL and ERR before KICK: a kick left pending by a backend that
	 * died starts the ring at once, and its first completion needs the
	 * call fd (libvhost-user gives up on a missing one). */
	return vhost_user_set_vring(vu, VUB_SET_VRING_NUM, i, vq->num, false) &&
	       vhost_user_set_vring(vu, VUB_SET_VRING_BASE, i, base, false) &&
	       vhost_user_set_vring_addr(vu, i, desc, used, avail) &&
	       vhost_user_set_vring_fd(vu, VUB_SET_VRING_CALL, i, q->call_fd) &&
	       vhost_user_set_vring_fd(vu, VUB_SET_VRING_ERR, i, q->err_fd) &&
	       vhost_user_set_vring_fd(vu, VUB_SET_VRING_KICK, i, q->kick_fd);
}

/* blk with INFLIGHT_SHMFD: the region (asked for once), handed to every
 * (re)started backend so that it resubmits what it had not completed. */
static bool fs_set_inflight(struct vhost_user_fs *fs)
{
	struct vhost_user *vu = &fs->vu;

	if (!fs->blk ||
	    !vhost_user_has_protocol(vu, VUB_PROTOCOL_F_INFLIGHT_SHMFD)) {
		return true;
	}
	if (fs->inflight.fd < 0 &&
	    !vhost_user_get_inflight(vu, (uint16_t)fs->vdev.nr_vqs,
				     fs->queue_size, &fs->inflight)) {
		return false;
	}
	return vhost_user_set_inflight(vu, &fs->inflight);
}

/* The driver's features, plus PROTOCOL_FEATURES when the backend has it. */
static bool fs_set_features(struct vhost_user_fs *fs)
{
	uint64_t features = fs->vdev.guest_features;

	if ((fs->vu.features >> VUB_F_PROTOCOL_FEATURES) & 1) {
		features |= 1ull << VUB_F_PROTOCOL_FEATURES;
	}
	return vhost_user_set_features(&fs->vu, features);
}

/* DRIVER_OK: features, inflight region, memory, rings, then the held
 * enables. */
static bool fs_start(struct vhost_user_fs *fs)
{
	struct vhost_user *vu = &fs->vu;
	bool proto = (vu->features >> VUB_F_PROTOCOL_FEATURES) & 1;
	void *host;
	gpa_t base;
	int fd = machine_ram_fd(fs->m, &host, &base);

	if (!fs_set_features(fs) || !fs_set_inflight(fs) ||
	    !vhost_user_set_mem_table(vu, base, machine_ram_size(fs->m),
				      (uint64_t)(uintptr_t)host, fd)) {
		return false;
	}
	for (unsigned i = 0; i < fs->vdev.nr_vqs; i++) {
		if (fs->vdev.vqs[i]->ready && fs->vdev.vqs[i]->num) {
			if (!fs_start_queue(fs, i)) {
				return false;
			}
			fs->q[i].started = true;
		}
	}
	for (unsigned i = 0; proto && i < fs->vdev.nr_vqs; i++) {
		if (fs->q[i].started &&
		    !vhost_user_set_vring(vu, VUB_SET_VRING_ENABLE, i, 1,
					  fs->sync_enable)) {
			return false;
		}
	}
	fs->started = true;
	return true;
}

/* Reset: stop every ring (GET_VRING_BASE), then reset the backend. */
static void fs_stop(struct vhost_user_fs *fs)
{
	unsigned num;

	for (unsigned i = 0; i < fs->vdev.nr_vqs; i++) {
		if (fs->q[i].started && !fs->vu.broken) {
			vhost_user_get_vring_base(&fs->vu, i, &num);
		}
		fs->q[i].started = false;
	}
	if (!fs->vu.broken &&
	    vhost_user_has_protocol(&fs->vu, VUB_PROTOCOL_F_RESET_DEVICE)) {
		vhost_user_reset(&fs->vu);
	}
	fs->started = false;
}

static bool fs_has_status(struct vhost_user_fs *fs)
{
	return !fs->vu.broken &&
	       vhost_user_has_protocol(&fs->vu, VUB_PROTOCOL_F_STATUS);
}

/* STATUS negotiated: SET_STATUS; with expect, GET_STATUS must show those
 * bits and neither FAILED nor NEEDS_RESET: 1 it does, 0 not, -1 broken. */
static int fs_mirror_status(struct vhost_user_fs *fs, uint8_t status,
			    uint8_t expect)
{
	uint8_t got;

	if (!fs_has_status(fs)) {
		return 1;
	}
	if (!vhost_user_set_status(&fs->vu, status)) {
		return -1;
	}
	if (!expect) {
		return 1;
	}
	if (!vhost_user_get_status(&fs->vu, &got)) {
		return -1;
	}
	return (got & expect) == expect &&
	       !(got & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

/* FEATURES_OK with STATUS: the backend gets the features first and may
 * refuse them as a device does, by leaving FEATURES_OK clear. */
static void fs_features_ok(struct vhost_user_fs *fs, uint8_t new_status)
{
	int r = fs_set_features(fs) ?
			fs_mirror_status(fs, new_status,
					 VIRTIO_STATUS_FEATURES_OK) :
			-1;

	if (r < 0) {
		fs_lost(fs);
	} else if (r == 0) {
		log_mask_printf(LOG_GUEST_ERROR,
				"%s: the backend refused features 0x%llx\n",
				fs->vdev.name,
				(unsigned long long)fs->vdev.guest_features);
		fs->vdev.status &= ~VIRTIO_STATUS_FEATURES_OK;
	}
}

/* With STATUS, the running backend must report DRIVER_OK. */
static bool fs_mirror_driver_ok(struct vhost_user_fs *fs, uint8_t status)
{
	int r = fs_mirror_status(fs, status, VIRTIO_STATUS_DRIVER_OK);

	if (r == 0) {
		vhost_user_break(&fs->vu, "the backend does not report "
					  "DRIVER_OK");
	}
	return r > 0;
}

/* DRIVER_OK: start the rings. */
static void fs_driver_ok(struct vhost_user_fs *fs, uint8_t new_status)
{
	if (fs->vu.broken || !fs_start(fs) ||
	    !fs_mirror_driver_ok(fs, new_status)) {
		fs_lost(fs);
	}
}

static void fs_status_changed(struct virtio_device *vdev, uint8_t old_status,
			      uint8_t new_status)
{
	struct vhost_user_fs *fs =
		container_of(vdev, struct vhost_user_fs, vdev);
	uint8_t rise = new_status & ~old_status;

	if (new_status == 0) {
		return; /* fs_reset did it all */
	}
	if ((new_status & VIRTIO_STATUS_FAILED) && fs->started) {
		fs_stop(fs);
	} else if ((rise & VIRTIO_STATUS_DRIVER_OK) && !vdev->broken) {
		fs_driver_ok(fs, new_status);
		return;
	} else if ((rise & VIRTIO_STATUS_FEATURES_OK) && fs_has_status(fs)) {
		fs_features_ok(fs, new_status);
		return;
	}
	if (new_status != old_status &&
	    fs_mirror_status(fs, new_status, 0) < 0) {
		fs_lost(fs);
	}
}

/* The driver wrote config bytes (already in fs->config). virtio-blk's one
 * writable field, wce, goes to the backend; the rest is read-only (and
 * virtio-fs's tag is ours). */
static void fs_config_write(struct virtio_device *vdev, unsigned offset,
			    unsigned len)
{
	struct vhost_user_fs *fs =
		container_of(vdev, struct vhost_user_fs, vdev);
	int r;

	if (vdev->device_id != VIRTIO_ID_BLOCK ||
	    offset != VIRTIO_BLK_WCE_OFF || len != 1 ||
	    !virtio_has_feature(vdev, VIRTIO_BLK_F_CONFIG_WCE) ||
	    !vhost_user_has_protocol(&fs->vu, VUB_PROTOCOL_F_CONFIG) ||
	    fs->vu.broken) {
		return;
	}
	r = vhost_user_set_config(&fs->vu, fs->config + offset, offset, len);
	if (r < 0) {
		fs_lost(fs);
	} else if (r == 0) {
		log_mask_printf(LOG_GUEST_ERROR,
				"%s: the backend refused wce=%u\n", vdev->name,
				fs->config[offset]);
	}
}

/* virtio-blk's config space from the backend; num_queues stays ours. */
static bool fs_blk_read_config(struct vhost_user_fs *fs, uint16_t nq)
{
	if (!vhost_user_get_config(&fs->vu, fs->config,
				   VIRTIO_BLK_CONFIG_LEN)) {
		return false;
	}
	memcpy(fs->config + VIRTIO_BLK_NUM_QUEUES_OFF, &nq, 2);
	return true;
}

/* The backend's CONFIG_CHANGE_MSG (main loop): re-read, interrupt. */
static bool fs_config_changed(void *opaque)
{
	struct vhost_user_fs *fs = opaque;
	bool ok = true;

	bql_lock();
	if (fs->vu.broken) {
		ok = false; /* already failed */
	} else if (fs->vdev.device_id == VIRTIO_ID_BLOCK) {
		ok = fs_blk_read_config(fs, (uint16_t)fs->vdev.nr_vqs);
		if (ok) {
			virtio_config_changed(&fs->vdev);
		} else if (fs->vdev.status & VIRTIO_STATUS_DRIVER_OK) {
			fs_lost(fs);
		}
	}
	bql_unlock();
	return ok;
}

/* The main loop: a request on the backend's channel. */
static void fs_backend_req_ready(void *opaque, uint32_t events)
{
	struct vhost_user_fs *fs = opaque;

	if (!vhost_user_backend_req_serve(&fs->vu, fs_config_changed, fs)) {
		main_loop_unwatch_fd(fs->vu.backend_fd);
		fs->watching_backend_req = false;
		vhost_user_backend_req_close(&fs->vu);
	}
}

/* After vhost_user_init(): serve the backend's channel if it has one. */
static void fs_watch_backend_req(struct vhost_user_fs *fs)
{
	if (fs->vu.backend_fd >= 0) {
		fs->watching_backend_req = main_loop_watch_fd(
			fs->vu.backend_fd, EPOLLIN, fs_backend_req_ready, fs);
	}
}

/* The vCPU thread: straight to the backend's kick eventfd. */
static void fs_queue_notify(struct virtio_device *vdev, unsigned index)
{
	struct vhost_user_fs *fs =
		container_of(vdev, struct vhost_user_fs, vdev);
	uint64_t one = 1;

	if (index < vdev->nr_vqs && fs->q[index].started) {
		if (write(fs->q[index].kick_fd, &one, sizeof(one)) < 0) {
			/* The counter is saturated: the backend has work. */
		}
	}
}

/* The main loop: the backend completed requests on a queue. */
static void fs_call_ready(void *opaque, uint32_t events)
{
	struct vhost_user_fs_queue *q = opaque;
	uint64_t n;

	if (read(q->call_fd, &n, sizeof(n)) != sizeof(n)) {
		return;
	}
	bql_lock();
	virtio_raise_isr(&q->fs->vdev, VIRTIO_ISR_QUEUE);
	bql_unlock();
}

static void fs_err_ready(void *opaque, uint32_t events)
{
	struct vhost_user_fs_queue *q = opaque;
	uint64_t n;

	if (read(q->err_fd, &n, sizeof(n)) != sizeof(n)) {
		return;
	}
	bql_lock();
	vhost_user_break(&q->fs->vu, "the backend reported a ring error");
	fs_fail(q->fs);
	bql_unlock();
}

static void fs_reconnect_timer(void *opaque);

/* A ring's index (avail or used) in guest memory. */
static uint16_t fs_ring_idx(struct vhost_user_fs *fs, gpa_t ring)
{
	uint16_t *idx = machine_dma(fs->m, ring + 2, 2);

	return idx ? __atomic_load_n(idx, __ATOMIC_ACQUIRE) : 0;
}

/* Big lock held: the backend is gone; stop the rings quietly (the guest
 * sees nothing), remember where each was and retry every N s (say: log
 * the line a lost connection gets, not each failed retry). The call fds
 * stay watched: they are ours, and a completion signalled just before
 * the backend died must still reach the guest. */
static void fs_disconnect(struct vhost_user_fs *fs, bool say)
{
	unsigned pending = 0;

	/* The used index is where a restarted backend resumes
	 * (GET_VRING_BASE is impossible once the backend is gone). */
	for (unsigned i = 0; i < fs->vdev.nr_vqs; i++) {
		struct virtqueue *vq = fs->vdev.vqs[i];

		if (fs->q[i].started) {
			fs->q[i].last_idx = fs_ring_idx(fs, vq->used_addr);
			pending += (uint16_t)(fs_ring_idx(fs, vq->avail_addr) -
					      fs->q[i].last_idx);
		}
		fs->q[i].started = false;
	}
	fs->started = false;
	if (fs->watching_backend_req) {
		main_loop_unwatch_fd(fs->vu.backend_fd);
		fs->watching_backend_req = false;
	}
	vhost_user_disconnect(&fs->vu);
	if (say) {
		error_report("%s: vhost-user backend disconnected (%u "
			     "requests in flight), reconnecting every %u s",
			     fs->vu.name, pending, fs->reconnect_s);
	}
	if (!fs->reconnecting) {
		fs->reconnecting = true;
		main_loop_timer(fs->reconnect_s * 1000000000ull,
				fs_reconnect_timer, fs);
	}
}

/* Big lock held, main loop: watch the (new) control socket for hangups. */
static void fs_watch_sock(struct vhost_user_fs *fs);

/* Big lock held: a new backend negotiated; it must still offer what the
 * driver uses. Replay the running device and kick every ring once so that
 * requests queued meanwhile are seen. */
/* A restarted blk backend may serve a resized image: take its capacity
 * (the rest of the config space stays as the driver knows it). */
static bool fs_blk_capacity_again(struct vhost_user_fs *fs)
{
	uint8_t old[VIRTIO_BLK_CONFIG_LEN];
	bool changed;

	if (fs->vdev.device_id != VIRTIO_ID_BLOCK ||
	    !vhost_user_has_protocol(&fs->vu, VUB_PROTOCOL_F_CONFIG)) {
		return true;
	}
	memcpy(old, fs->config, sizeof(old));
	if (!fs_blk_read_config(fs, (uint16_t)fs->vdev.nr_vqs)) {
		return false;
	}
	changed = memcmp(old, fs->config, 8) != 0;
	memcpy(fs->config + 8, old + 8, sizeof(old) - 8);
	if (changed) {
		virtio_config_changed(&fs->vdev);
	}
	return true;
}

static bool fs_replay(struct vhost_user_fs *fs)
{
	struct virtio_device *vdev = &fs->vdev;
	uint64_t need = (vdev->status & VIRTIO_STATUS_FEATURES_OK) ?
				vdev->guest_features :
				vdev->host_features;
	uint64_t one = 1;

	if ((fs->vu.features & need) != need) {
		vhost_user_break(&fs->vu,
				 "the new backend lacks features 0x%llx the "
				 "device offered",
				 (unsigned long long)(need & ~fs->vu.features));
		fs_fail(fs);
		fs->reconnect_s = 0; /* for good: a restart fails at once */
		return true;
	}
	error_report("%s: vhost-user backend reconnected", fs->vu.name);
	fs_watch_sock(fs);
	fs_watch_backend_req(fs);
	if (!fs_blk_capacity_again(fs)) {
		return false;
	}
	if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK) || vdev->broken) {
		return !vdev->status ||
		       fs_mirror_status(fs, vdev->status, 0) > 0;
	}
	if (virtio_has_feature(vdev, VIRTIO_F_RING_PACKED)) {
		/* Where a packed ring stood is not in guest memory. */
		error_report("%s: packed rings cannot be resumed", fs->vu.name);
		fs_fail(fs);
		return true;
	}
	if (!fs_start(fs) || !fs_mirror_driver_ok(fs, vdev->status)) {
		return false;
	}
	for (unsigned i = 0; i < vdev->nr_vqs; i++) {
		if (fs->q[i].started &&
		    write(fs->q[i].kick_fd, &one, sizeof(one)) < 0) {
			/* Saturated: the backend has work anyway. */
		}
	}
	return true;
}

/* The main loop, every N s while the backend is gone. */
static void fs_reconnect_timer(void *opaque)
{
	struct vhost_user_fs *fs = opaque;
	bool ok = false;
	int fd = -1;

	bql_lock();
	if (fs->freed) {
		bql_unlock();
		free(fs);
		return;
	}
	bql_unlock();
	if (chardev_socket_reconnect(fs->chr, NULL)) {
		fd = fcntl(fs->chr->in_fd, F_DUPFD_CLOEXEC, 0);
	}
	bql_lock();
	fs->reconnecting = false;
	if (fd >= 0) {
		ok = vhost_user_connect(&fs->vu, fd, NULL) && fs_replay(fs);
	}
	if (!ok) {
		if (fs->watching_sock) {
			main_loop_unwatch_fd(fs->sock_fd);
			fs->watching_sock = false;
		}
		fs_disconnect(fs, false);
	}
	bql_unlock();
}

/* The main loop: the control socket hung up (backend died or we broke it). */
static void fs_sock_hangup(void *opaque, uint32_t events)
{
	struct vhost_user_fs *fs = opaque;

	main_loop_unwatch_fd(fs->sock_fd);
	fs->watching_sock = false;
	bql_lock();
	if (fs->reconnect_s) {
		fs_disconnect(fs, true);
	} else if (!fs->vu.broken) {
		vhost_user_break(&fs->vu, "the backend closed the connection");
		if (fs->vdev.status & VIRTIO_STATUS_DRIVER_OK) {
			fs_fail(fs);
		}
	}
	bql_unlock();
}

static void fs_watch_sock(struct vhost_user_fs *fs)
{
	fs->sock_fd = fs->vu.fd;
	fs->watching_sock =
		main_loop_watch_fd(fs->sock_fd, EPOLLRDHUP, fs_sock_hangup, fs);
}

/* A reset by the driver (status 0) or of the whole machine. */
static void fs_reset(struct virtio_device *vdev)
{
	struct vhost_user_fs *fs =
		container_of(vdev, struct vhost_user_fs, vdev);

	if (vdev->status) {
		/* A failure is logged and breaks vu: fs_stop is quick. */
		fs_mirror_status(fs, 0, 0);
	}
	if (fs->started) {
		fs_stop(fs);
	}
	/* The driver starts over: new rings, nothing in flight. */
	for (unsigned i = 0; i < vdev->nr_vqs; i++) {
		fs->q[i].started = false;
		fs->q[i].last_idx = 0;
	}
	vhost_user_inflight_free(&fs->inflight);
}

static void fs_free(struct virtio_device *vdev)
{
	struct vhost_user_fs *fs =
		container_of(vdev, struct vhost_user_fs, vdev);

	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		int fds[3] = { fs->q[i].kick_fd, fs->q[i].call_fd,
			       fs->q[i].err_fd };

		for (unsigned j = 0; j < 3; j++) {
			if (fds[j] >= 0) {
				main_loop_unwatch_fd(fds[j]);
				close(fds[j]);
			}
		}
	}
	if (fs->watching_sock) {
		main_loop_unwatch_fd(fs->sock_fd);
	}
	if (fs->watching_backend_req) {
		main_loop_unwatch_fd(fs->vu.backend_fd);
	}
	if (fs->vu.name) {
		vhost_user_cleanup(&fs->vu);
	}
	vhost_user_inflight_free(&fs->inflight);
	virtio_free_queues(vdev);
	/* A main-loop timer cannot be cancelled: it frees the device. */
	if (fs->reconnecting) {
		fs->freed = true;
		return;
	}
	free(fs);
}

static const struct virtio_device_ops vhost_user_fs_ops = {
	.queue_notify = fs_queue_notify,
	.config_write = fs_config_write,
	.status_changed = fs_status_changed,
	.reset = fs_reset,
	.free = fs_free,
};

static bool fs_make_queues(struct vhost_user_fs *fs, unsigned nr, uint64_t size,
			   struct error **errp)
{
	for (unsigned i = 0; i < nr; i++) {
		struct vhost_user_fs_queue *q = &fs->q[i];

		q->fs = fs;
		q->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		q->call_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		q->err_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (q->kick_fd < 0 || q->call_fd < 0 || q->err_fd < 0 ||
		    !main_loop_watch_fd(q->call_fd, EPOLLIN, fs_call_ready,
					q) ||
		    !main_loop_watch_fd(q->err_fd, EPOLLIN, fs_err_ready, q)) {
			error_setg_errno(errp, errno, "vhost-user-fs: eventfd");
			return false;
		}
		if (!virtio_add_queue(&fs->vdev, (uint16_t)size)) {
			error_setg(errp, "vhost-user-fs: cannot add queue %u",
				   i);
			return false;
		}
	}
	return true;
}

struct fs_props {
	bool blk; /* vhost-user-blk (else -fs) */
	const char *chardev, *tag;
	uint64_t queue_size, nr_request_queues; /* blk: num-queues */
	bool sync_enable;
	bool packed; /* offer VIRTIO_F_RING_PACKED if the backend does */
};

static bool fs_parse(struct opts *o, const char *what, struct fs_props *p,
		     struct error **errp)
{
	p->chardev = opts_get(o, "chardev");
	p->tag = p->blk ? "-" : opts_get(o, "tag");
	opts_get(o, "id");
	if (!opts_get_uint(o, "queue-size", 128, &p->queue_size, errp) ||
	    !opts_get_uint(o, p->blk ? "num-queues" : "num-request-queues", 1,
			   &p->nr_request_queues, errp) ||
	    !opts_get_bool(o, "x-sync-enable", true, &p->sync_enable, errp) ||
	    !opts_get_bool(o, "packed", false, &p->packed, errp) ||
	    !opts_check_unused(o, what, errp)) {
		return false;
	}
	if (!p->chardev || !p->tag) {
		error_setg(errp, "%s: chardev= and tag= are required", what);
		return false;
	}
	if (!*p->tag || strlen(p->tag) > VHOST_USER_FS_TAG_LEN) {
		error_setg(errp, "%s: tag must be 1 to %d bytes", what,
			   VHOST_USER_FS_TAG_LEN);
		return false;
	}
	if (p->nr_request_queues < 1 ||
	    p->nr_request_queues > VIRTIO_MAX_QUEUES - 1) {
		error_setg(errp, "%s: %s must be 1..%d", what,
			   p->blk ? "num-queues" : "num-request-queues",
			   VIRTIO_MAX_QUEUES - 1);
		return false;
	}
	if (p->queue_size < 2 || p->queue_size > 1024 ||
	    (p->queue_size & (p->queue_size - 1))) {
		error_setg(errp,
			   "%s: queue-size must be a power of 2 up to "
			   "1024",
			   what);
		return false;
	}
	return true;
}

/* The connected socket of chardev id (a dup the device owns), or -1. As
 * QEMU's vhost-user-blk, wait for the first connection with reconnect=N. */
static int fs_socket(struct vhost_user_fs *fs, const char *what, const char *id,
		     struct error **errp)
{
	struct chardev *chr = chardev_find(id);
	int fd;

	if (!chr) {
		error_setg(errp, "%s: no -chardev with id '%s'", what, id);
		return -1;
	}
	fs->chr = chr;
	fs->reconnect_s = chardev_socket_reconnect_seconds(chr);
	if (fs->reconnect_s && !chardev_socket_wait_connected(chr, errp)) {
		return -1;
	}
	if (strcmp(chr->backend->name, "socket") || chr->in_fd < 0) {
		error_setg(errp,
			   "%s: -chardev '%s' is not a connected socket "
			   "(-chardev socket,id=%s,path=PATH)",
			   what, id, id);
		return -1;
	}
	fd = fcntl(chr->in_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		error_setg_errno(errp, errno, "%s", what);
	}
	return fd;
}

/* After the handshake: features, queue count and config space. */
static bool fs_setup(struct vhost_user_fs *fs, const char *what,
		     const struct fs_props *p, unsigned nr, struct error **errp)
{
	uint16_t nq = (uint16_t)nr;

	if (!((fs->vu.features >> VIRTIO_F_VERSION_1) & 1)) {
		error_setg(errp,
			   "%s: the backend does not offer "
			   "VIRTIO_F_VERSION_1",
			   what);
		return false;
	}
	fs->vdev.host_features =
		fs->vu.features &
		((1ull << VIRTIO_F_INDIRECT_DESC) |
		 (1ull << VIRTIO_F_EVENT_IDX) | (1ull << VIRTIO_F_VERSION_1) |
		 0xffffffull | ((uint64_t)p->packed << VIRTIO_F_RING_PACKED));
	if (fs->vu.queue_num && fs->vu.queue_num < nr) {
		error_setg(errp, "%s: the backend has %llu queues, %u needed",
			   what, (unsigned long long)fs->vu.queue_num, nr);
		return false;
	}
	if (!p->blk) {
		return true;
	}
	if (!vhost_user_has_protocol(&fs->vu, VUB_PROTOCOL_F_CONFIG)) {
		error_setg(errp,
			   "%s: the backend does not offer its config "
			   "space (VHOST_USER_PROTOCOL_F_CONFIG)",
			   what);
		return false;
	}
	if (!fs_blk_read_config(fs, nq)) {
		error_setg(errp, "%s: GET_CONFIG failed", what);
		return false;
	}
	if (nr > 1 && !((fs->vu.features >> VIRTIO_BLK_F_MQ) & 1)) {
		error_setg(errp, "%s: the backend has a single queue", what);
		return false;
	}
	return true;
}

static struct vhost_user_fs *fs_new(struct machine *m, const char *what,
				    const struct fs_props *p,
				    struct error **errp)
{
	struct vhost_user_fs *fs = calloc(1, sizeof(*fs));
	unsigned nr = (p->blk ? 0 : 1) + (unsigned)p->nr_request_queues;
	uint32_t nrq = (uint32_t)p->nr_request_queues;
	int fd;

	if (!fs) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		fs->q[i].kick_fd = fs->q[i].call_fd = fs->q[i].err_fd = -1;
	}
	fs->m = m;
	fs->sync_enable = p->sync_enable;
	fs->sock_fd = -1;
	fs->blk = p->blk;
	fs->queue_size = (uint16_t)p->queue_size;
	vhost_user_inflight_init(&fs->inflight);
	if (p->blk) {
		virtio_init(&fs->vdev, &vhost_user_fs_ops, "vhost-user-blk",
			    VIRTIO_ID_BLOCK, 0, fs->config,
			    VIRTIO_BLK_CONFIG_LEN);
	} else {
		memcpy(fs->config, p->tag, strlen(p->tag));
		memcpy(fs->config + VHOST_USER_FS_TAG_LEN, &nrq, 4);
		virtio_init(&fs->vdev, &vhost_user_fs_ops, "vhost-user-fs",
			    VIRTIO_ID_FS, 0, fs->config,
			    VHOST_USER_FS_TAG_LEN + 4);
	}
	fd = fs_socket(fs, what, p->chardev, errp);
	if (fd < 0 || !vhost_user_init(&fs->vu, fd, what, errp) ||
	    !fs_setup(fs, what, p, nr, errp) ||
	    !fs_make_queues(fs, nr, p->queue_size, errp)) {
		fs_free(&fs->vdev);
		return NULL;
	}
	fs->vdev.host_features |= 1ull << VIRTIO_F_VERSION_1;
	fs_watch_sock(fs);
	fs_watch_backend_req(fs);
	return fs;
}

static bool fs_create(struct machine *m, struct opts *o, bool pci, bool blk,
		      struct error **errp)
{
	const char *what = blk ? "vhost-user-blk-pci" :
			   pci ? "vhost-user-fs-pci" :
				 "vhost-user-fs-device";
	struct vhost_user_fs *fs;
	struct fs_props p = { .blk = blk };
	void *host;
	gpa_t base;

	if (!fs_parse(o, what, &p, errp)) {
		return false;
	}
	if (machine_ram_fd(m, &host, &base) < 0) {
		error_setg(errp,
			   "%s: guest RAM must be shared with the backend: "
			   "-object memory-backend-memfd,id=mem,size=SIZE,"
			   "share=on -machine memory-backend=mem",
			   what);
		return false;
	}
	fs = fs_new(m, what, &p, errp);
	if (!fs) {
		return false;
	}
	return pci ? virtio_pci_attach(m, &fs->vdev, errp) :
		     virtio_mmio_attach(m, &fs->vdev, errp);
}

static bool blk_pci_create(struct machine *m, struct opts *o,
			   struct error **errp)
{
	return fs_create(m, o, true, true, errp);
}

static bool fs_pci_create(struct machine *m, struct opts *o,
			  struct error **errp)
{
	return fs_create(m, o, true, false, errp);
}

static bool fs_mmio_create(struct machine *m, struct opts *o,
			   struct error **errp)
{
	return fs_create(m, o, false, false, errp);
}

#define FS_PROPS                                                             \
	"chardev=ID            -chardev socket,id=ID,path=SOCKET of the "    \
	"backend\n"                                                          \
	"tag=STR               the mount tag (up to 36 bytes)\n"             \
	"queue-size=N          entries per queue (128)\n"                    \
	"num-request-queues=N  request queues (1)\n"                         \
	"packed=on|off         packed rings if the backend has them (off)\n" \
	"x-sync-enable=on|off  debug: off sends SET_VRING_ENABLE without "   \
	"waiting\n"

#define BLK_PROPS                                                            \
	"chardev=ID            -chardev socket,id=ID,path=SOCKET of the "    \
	"backend\n"                                                          \
	"queue-size=N          entries per queue (128)\n"                    \
	"num-queues=N          request queues (1)\n"                         \
	"packed=on|off         packed rings if the backend has them (off)\n" \
	"x-sync-enable=on|off  debug: off sends SET_VRING_ENABLE without "   \
	"waiting\n"

static const struct device_type vhost_user_fs_types[] = {
	{ "vhost-user-blk-pci",
	  "virtio-blk served by a vhost-user backend "
	  "(virtio-pci)",
	  blk_pci_create, BLK_PROPS },
	{ "vhost-user-fs-pci",
	  "virtio-fs served by a vhost-user backend "
	  "(virtio-pci)",
	  fs_pci_create, FS_PROPS },
	{ "vhost-user-fs-device",
	  "virtio-fs served by a vhost-user backend "
	  "(virtio-mmio)",
	  fs_mmio_create, FS_PROPS },
};

void vhost_user_register_devices(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(vhost_user_fs_types); i++) {
		device_type_register(&vhost_user_fs_types[i]);
	}
}
