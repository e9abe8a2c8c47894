/* SPDX-License-Identifier: MIT */
/* libFuzzer target: vhost-user message streams and guest rings into the library. */
/*
 * A prefix of the input becomes guest memory holding queue 0's rings
 * (split: available ring, descriptor table, used ring, buffers; or a
 * packed ring, chosen by a bit of the input); a fixed, valid
 * handshake maps it and starts the queue; the rest of the input is sent as
 * the frontend's message stream. The library must never crash, whatever
 * the messages or the rings say.
 */
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

#define FUZZ_MEM 65536
#define FUZZ_GPA 0x100000

static void fuzz_quiet(enum vub_log_level level, const char *msg)
{
}

static bool fuzz_add(void *loop, int fd, vub_watch_fn *fn, void *data)
{
	return true;
}

static void fuzz_remove(void *loop, int fd)
{
}

static const struct vub_loop_ops fuzz_loop = { fuzz_add, fuzz_remove };

static void fuzz_ready(struct vub_dev *dev, unsigned qidx)
{
	struct vub_queue *vq = vub_dev_queue(dev, qidx);
	struct vub_elem *e;
	int budget = 256;

	while (budget-- > 0 && (e = vub_queue_pop(vq))) {
		for (unsigned i = 0; i < e->in_num; i++) {
			memset(e->in_sg[i].iov_base, 0xa5, e->in_sg[i].iov_len);
		}
		for (unsigned i = 0; i < e->out_num; i++) {
			volatile uint8_t sink = 0;

			for (size_t j = 0; j < e->out_sg[i].iov_len; j++) {
				sink ^= ((uint8_t *)e->out_sg[i].iov_base)[j];
			}
			(void)sink;
		}
		vub_queue_push(vq, e, 1);
		free(e);
	}
	vub_queue_notify(vq);
}

static int fuzz_config(struct vub_dev *dev, uint8_t *buf, uint32_t offset,
		       uint32_t len)
{
	memset(buf, 0, len);
	return 0;
}

static const struct vub_device_ops fuzz_ops = {
	.num_queues = 2,
	.queue_ready = fuzz_ready,
	.get_config = fuzz_config,
};

static void fuzz_send(int fd, uint32_t req, const void *p, uint32_t size,
		      int pass_fd)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct vub_msg_hdr hdr = { req, VUB_VERSION, size };
	struct iovec iov[2] = { { &hdr, sizeof(hdr) }, { (void *)p, size } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = size ? 2 : 1 };

	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		memset(control, 0, sizeof(control));
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0) {
		return;
	}
}

static void fuzz_handshake(int fe, int memfd, uint8_t *mem, int kick,
			   bool packed)
{
	struct vub_msg_memory m = {
		1, 0, { { FUZZ_GPA, FUZZ_MEM, (uintptr_t)mem, 0 } }
	};
	/* avail ring first, so that short inputs already reach it */
	struct vub_msg_addr a = { 0,
				  0,
				  (uintptr_t)mem + 0x100,
				  (uintptr_t)mem + 0x800,
				  (uintptr_t)mem,
				  0 };
	uint64_t features = (1ull << VUB_VIRTIO_F_VERSION_1) |
			    (1ull << VIRTIO_RING_F_EVENT_IDX) |
			    (1ull << VIRTIO_RING_F_INDIRECT_DESC);
	struct vub_msg_state num = { 0, 64 }, base = { 0, 0 };
	uint64_t q0 = 0;

	if (packed) {
		features |= 1ull << VIRTIO_F_RING_PACKED;
		base.num = 0x80008000u;
	}

	fuzz_send(fe, VUB_SET_FEATURES, &features, 8, -1);
	fuzz_send(fe, VUB_SET_MEM_TABLE, &m, 8 + sizeof(m.regions[0]), memfd);
	fuzz_send(fe, VUB_SET_VRING_NUM, &num, sizeof(num), -1);
	fuzz_send(fe, VUB_SET_VRING_ADDR, &a, sizeof(a), -1);
	fuzz_send(fe, VUB_SET_VRING_BASE, &base, sizeof(base), -1);
	fuzz_send(fe, VUB_SET_VRING_KICK, &q0, 8, kick);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t memlen;
	bool packed;
	int sv[2], memfd, kick;
	struct vub_dev *dev;
	uint8_t *mem;

	if (size < 2 || size > 65536) {
		return 0;
	}
	/* Byte 0-1: how much of the rest is guest memory, the remainder is
	 * the message stream. */
	memlen = (data[0] | data[1] << 8) % (size - 1);
	packed = data[1] & 0x80; /* and the ring layout, split or packed */
	data += 2;
	size -= 2;
	vub_set_log(fuzz_quiet, VUB_LOG_ERROR);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		return 0;
	}
	memfd = memfd_create("fuzz-guest", MFD_CLOEXEC);
	kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (memfd < 0 || kick < 0 || ftruncate(memfd, FUZZ_MEM) < 0) {
		abort();
	}
	mem = mmap(NULL, FUZZ_MEM, PROT_READ | PROT_WRITE, MAP_SHARED, memfd,
		   0);
	if (mem == MAP_FAILED) {
		abort();
	}
	memcpy(mem, data, memlen);
	dev = vub_dev_new(sv[1], &fuzz_ops, NULL, &fuzz_loop, NULL);
	fuzz_handshake(sv[0], memfd, mem, kick, packed);
	vub_dev_dispatch(dev);
	if (size > memlen) {
		if (write(sv[0], data + memlen, size - memlen) < 0) {
			abort();
		}
	}
	shutdown(sv[0], SHUT_WR);
	vub_dev_dispatch(dev);
	vub_dev_free(dev);
	munmap(mem, FUZZ_MEM);
	close(memfd);
	close(kick);
	close(sv[0]);
	return 0;
}
