/* SPDX-License-Identifier: MIT */
/* The vhost-user backend library driven by a fake frontend on a socketpair. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"
#include "tests/unit/unit.h"

#define MEM_SIZE (1u << 20)
#define MEM_GPA 0x40000000ull
#define RING 16
#define DESC_OFF 0x0
#define AVAIL_OFF 0x1000
#define USED_OFF 0x2000
#define BUF_OFF 0x10000

/* ---- a fake event loop: a table of watches we poll by hand ------------ */

struct fake_watch {
	int fd;
	vub_watch_fn *fn;
	void *data;
};

struct fake_loop {
	struct fake_watch w[16];
	unsigned n;
};

static bool fake_add(void *opaque, int fd, vub_watch_fn *fn, void *data)
{
	struct fake_loop *l = opaque;

	if (l->n == 16) {
		return false;
	}
	l->w[l->n++] = (struct fake_watch){ fd, fn, data };
	return true;
}

static void fake_remove(void *opaque, int fd)
{
	struct fake_loop *l = opaque;

	for (unsigned i = 0; i < l->n; i++) {
		if (l->w[i].fd == fd) {
			l->w[i] = l->w[--l->n];
			return;
		}
	}
}

static const struct vub_loop_ops fake_ops = { fake_add, fake_remove };

static bool fake_watched(struct fake_loop *l, int fd)
{
	for (unsigned i = 0; i < l->n; i++) {
		if (l->w[i].fd == fd) {
			return true;
		}
	}
	return false;
}

/* Dispatch every readable watch until nothing is readable. */
static void fake_run(struct fake_loop *l)
{
	bool again = true;

	for (int rounds = 0; again && rounds < 100; rounds++) {
		again = false;
		for (unsigned i = 0; i < l->n; i++) {
			struct pollfd p = { l->w[i].fd, POLLIN, 0 };

			if (poll(&p, 1, 0) == 1) {
				l->w[i].fn(l->w[i].fd, l->w[i].data);
				again = true;
				break;
			}
		}
	}
}

/* ---- the test's device ------------------------------------------------ */

struct harness {
	int fe; /* frontend's end of the socket */
	struct vub_dev *dev;
	struct fake_loop loop;
	struct vub_device_ops ops;
	int memfd;
	uint8_t *mem;
	int kick;
	int call;
	unsigned served;
	uint16_t heads[64];
	bool disconnected;
	bool no_push; /* pop without completing (inflight test) */
};

static struct harness *cur;
static char last_log[512];
static unsigned log_lines;

/* Keep the library's log out of the test output, but look at it. */
static void capture_log(enum vub_log_level level, const char *msg)
{
	snprintf(last_log, sizeof(last_log), "%s", msg);
	log_lines++;
}

static void dev_queue_ready(struct vub_dev *dev, unsigned qidx)
{
	struct harness *h = vub_dev_opaque(dev);
	struct vub_queue *vq = vub_dev_queue(dev, qidx);
	struct vub_elem *e;

	while ((e = vub_queue_pop(vq))) {
		if (h->served < 64) {
			h->heads[h->served] = e->head;
		}
		h->served++;
		if (e->in_num && e->in_sg[0].iov_len >= 4) {
			memcpy(e->in_sg[0].iov_base, "done", 4);
		}
		if (!h->no_push) {
			vub_queue_push(vq, e, 4);
		}
		free(e);
	}
	vub_queue_notify(vq);
}

static void dev_disconnected(struct vub_dev *dev)
{
	struct harness *h = vub_dev_opaque(dev);

	h->disconnected = true;
}

static int dev_get_config(struct vub_dev *dev, uint8_t *buf, uint32_t offset,
			  uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		buf[i] = offset + i;
	}
	return 0;
}

static struct harness *harness_new(void)
{
	struct harness *h = calloc(1, sizeof(*h));
	int sv[2];

	vub_set_log(capture_log, VUB_LOG_INFO);
	last_log[0] = '\0';

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	h->fe = sv[0];
	h->ops.num_queues = 2;
	h->ops.queue_ready = dev_queue_ready;
	h->ops.disconnected = dev_disconnected;
	h->ops.get_config = dev_get_config;
	h->memfd = memfd_create("guest", MFD_CLOEXEC);
	CHECK(ftruncate(h->memfd, MEM_SIZE) == 0);
	h->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      h->memfd, 0);
	CHECK(h->mem != MAP_FAILED);
	h->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	h->call = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	h->dev = vub_dev_new(sv[1], &h->ops, h, &fake_ops, &h->loop);
	cur = h;
	return h;
}

static void harness_free(struct harness *h)
{
	vub_dev_free(h->dev);
	munmap(h->mem, MEM_SIZE);
	close(h->memfd);
	close(h->fe);
	close(h->kick);
	close(h->call);
	free(h);
}

/* ---- frontend messages ------------------------------------------------ */

static void fe_send(struct harness *h, uint32_t req, uint32_t flags,
		    const void *payload, uint32_t size, const int *fds,
		    unsigned nfds)
{
	CHECK(vub_msg_send_flags(h->fe, req, flags, payload, size, fds, nfds) ==
	      0);
	fake_run(&h->loop);
}

/* Read a reply if there is one; returns its payload size or -1. */
static int fe_reply(struct harness *h, uint32_t req, void *payload, size_t max)
{
	struct pollfd p = { h->fe, POLLIN, 0 };
	struct vub_msg_hdr hdr;

	if (poll(&p, 1, 0) != 1 ||
	    recv(h->fe, &hdr, sizeof(hdr), MSG_DONTWAIT) != sizeof(hdr)) {
		return -1;
	}
	CHECK_EQ(hdr.request, req);
	CHECK_EQ(hdr.flags, VUB_VERSION | VUB_FLAG_REPLY);
	CHECK(hdr.size <= max);
	if (hdr.size && hdr.size <= max) {
		CHECK(recv(h->fe, payload, hdr.size, 0) == hdr.size);
	}
	return hdr.size;
}

static uint64_t fe_get_u64(struct harness *h, uint32_t req)
{
	uint64_t v = 0;

	fe_send(h, req, 0, NULL, 0, NULL, 0);
	CHECK_EQ(fe_reply(h, req, &v, sizeof(v)), 8);
	return v;
}

static void fe_u64(struct harness *h, uint32_t req, uint64_t v)
{
	fe_send(h, req, 0, &v, 8, NULL, 0);
}

static void fe_state(struct harness *h, uint32_t req, uint32_t idx,
		     uint32_t num)
{
	struct vub_msg_state s = { idx, num };

	fe_send(h, req, 0, &s, sizeof(s), NULL, 0);
}

static uint64_t uva(struct harness *h, uint64_t off)
{
	return (uint64_t)(uintptr_t)h->mem + off;
}

static void fe_mem_table(struct harness *h)
{
	struct vub_msg_memory m = { 0 };

	m.nregions = 1;
	m.regions[0].guest_phys_addr = MEM_GPA;
	m.regions[0].memory_size = MEM_SIZE;
	m.regions[0].userspace_addr = uva(h, 0);
	fe_send(h, VUB_SET_MEM_TABLE, 0, &m, 8 + sizeof(m.regions[0]),
		&h->memfd, 1);
}

static void fe_ring(struct harness *h, unsigned q)
{
	struct vub_msg_addr a = {
		q, 0, uva(h, DESC_OFF), uva(h, USED_OFF), uva(h, AVAIL_OFF), 0
	};

	fe_state(h, VUB_SET_VRING_NUM, q, RING);
	fe_send(h, VUB_SET_VRING_ADDR, 0, &a, sizeof(a), NULL, 0);
	fe_state(h, VUB_SET_VRING_BASE, q, 0);
	fe_send(h, VUB_SET_VRING_CALL, 0, &(uint64_t){ q }, 8, &h->call, 1);
}

static void fe_kick_fd(struct harness *h, unsigned q)
{
	fe_send(h, VUB_SET_VRING_KICK, 0, &(uint64_t){ q }, 8, &h->kick, 1);
}

/* The features a split-ring test acks: everything offered but packed. */
static uint64_t fe_split_features(struct harness *h)
{
	return fe_get_u64(h, VUB_GET_FEATURES) &
	       ~(1ull << VIRTIO_F_RING_PACKED);
}

static void fe_setup(struct harness *h, bool protocol_features)
{
	uint64_t f = fe_split_features(h);

	CHECK(f & (1ull << VUB_F_PROTOCOL_FEATURES));
	if (protocol_features) {
		uint64_t pf = fe_get_u64(h, VUB_GET_PROTOCOL_FEATURES);

		fe_u64(h, VUB_SET_PROTOCOL_FEATURES, pf);
	} else {
		f &= ~(1ull << VUB_F_PROTOCOL_FEATURES);
	}
	fe_send(h, VUB_SET_OWNER, 0, NULL, 0, NULL, 0);
	fe_u64(h, VUB_SET_FEATURES, f & ~(1ull << VIRTIO_RING_F_EVENT_IDX));
	fe_mem_table(h);
	fe_ring(h, 0);
}

/* Is queue 0's kick fd (the backend's copy of it) being watched? */
static bool kick_watched(struct harness *h)
{
	int fd = h->dev->queues[0].kick_fd;

	return fd >= 0 && fake_watched(&h->loop, fd);
}

/* ---- the guest's driver side of the ring ------------------------------- */

static struct vring_desc *desc(struct harness *h)
{
	return (struct vring_desc *)(h->mem + DESC_OFF);
}

static struct vring_avail *avail(struct harness *h)
{
	return (struct vring_avail *)(h->mem + AVAIL_OFF);
}

static struct vring_used *used(struct harness *h)
{
	return (struct vring_used *)(h->mem + USED_OFF);
}

/* Post a two-descriptor request (readable, then writable) at head. */
static void guest_post(struct harness *h, uint16_t head, uint64_t addr)
{
	struct vring_desc *d = desc(h);
	uint16_t idx = avail(h)->idx;

	d[head] = (struct vring_desc){ addr, 16, VRING_DESC_F_NEXT, head + 1 };
	d[head + 1] =
		(struct vring_desc){ addr + 16, 16, VRING_DESC_F_WRITE, 0 };
	avail(h)->ring[idx % RING] = head;
	__atomic_store_n(&avail(h)->idx, idx + 1, __ATOMIC_RELEASE);
}

static void guest_kick(struct harness *h)
{
	uint64_t one = 1;

	CHECK(write(h->kick, &one, 8) == 8);
	fake_run(&h->loop);
}

static void post_kick(struct harness *h, uint16_t head)
{
	guest_post(h, head, MEM_GPA + BUF_OFF + head * 64);
	guest_kick(h);
}

/* ---- tests ------------------------------------------------------------- */

TEST(vub_kick_before_enable_is_not_lost)
{
	struct harness *h = harness_new();

	fe_setup(h, true);
	fe_kick_fd(h, 0);
	/* Started but disabled: the kick fd must not be watched. */
	CHECK(!kick_watched(h));
	post_kick(h, 0);
	CHECK_EQ(h->served, 0);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	CHECK(kick_watched(h));
	CHECK_EQ(h->served, 1);
	CHECK_EQ(used(h)->idx, 1);
	CHECK(!memcmp(h->mem + BUF_OFF + 16, "done", 4));
	post_kick(h, 2);
	CHECK_EQ(h->served, 2);
	harness_free(h);
}

TEST(vub_enable_before_start_is_not_lost)
{
	struct harness *h = harness_new();

	fe_setup(h, true);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	CHECK(!kick_watched(h));
	guest_post(h, 0, MEM_GPA + BUF_OFF);
	CHECK_EQ(h->served, 0);
	fe_kick_fd(h, 0);
	CHECK_EQ(h->served, 1);
	CHECK_EQ(used(h)->idx, 1);
	harness_free(h);
}

TEST(vub_disable_stops_watching_then_catches_up)
{
	struct harness *h = harness_new();

	fe_setup(h, true);
	fe_kick_fd(h, 0);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	post_kick(h, 0);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 0);
	CHECK(!kick_watched(h));
	post_kick(h, 2);
	post_kick(h, 4);
	CHECK_EQ(h->served, 1);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	CHECK_EQ(h->served, 3);
	CHECK_EQ(used(h)->idx, 3);
	harness_free(h);
}

TEST(vub_without_protocol_features_rings_stay_enabled)
{
	struct harness *h = harness_new();

	fe_setup(h, false);
	guest_post(h, 0, MEM_GPA + BUF_OFF);
	fe_kick_fd(h, 0);
	CHECK(kick_watched(h));
	CHECK_EQ(h->served, 1);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 0);
	CHECK(kick_watched(h));
	post_kick(h, 2);
	CHECK_EQ(h->served, 2);
	harness_free(h);
}

TEST(vub_get_vring_base_stops_and_kick_restarts)
{
	struct harness *h = harness_new();
	struct vub_msg_state s = { 0, 0 };

	fe_setup(h, true);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	fe_kick_fd(h, 0);
	post_kick(h, 0);
	fe_state(h, VUB_GET_VRING_BASE, 0, 0);
	CHECK_EQ(fe_reply(h, VUB_GET_VRING_BASE, &s, sizeof(s)), 8);
	CHECK_EQ(s.num, 1);
	CHECK(!kick_watched(h));
	guest_post(h, 2, MEM_GPA + BUF_OFF + 128);
	CHECK_EQ(h->served, 1);
	fe_state(h, VUB_SET_VRING_BASE, 0, s.num);
	fe_kick_fd(h, 0);
	CHECK_EQ(h->served, 2);
	CHECK_EQ(used(h)->idx, 2);
	harness_free(h);
}

TEST(vub_get_features_any_time_and_reply_ack)
{
	struct harness *h = harness_new();
	uint64_t ack = 99, v;

	fe_setup(h, true);
	fe_kick_fd(h, 0);
	v = fe_get_u64(h, VUB_GET_FEATURES);
	CHECK(v & (1ull << VUB_VIRTIO_F_VERSION_1));
	/* REPLY_ACK negotiated: a need_reply message gets a u64 0. */
	fe_send(h, VUB_SET_VRING_ENABLE, VUB_FLAG_NEED_REPLY,
		&(struct vub_msg_state){ 0, 1 }, 8, NULL, 0);
	CHECK_EQ(fe_reply(h, VUB_SET_VRING_ENABLE, &ack, 8), 8);
	CHECK_EQ(ack, 0);
	/* A failing request is acked with non-zero. */
	fe_send(h, VUB_SET_VRING_NUM, VUB_FLAG_NEED_REPLY,
		&(struct vub_msg_state){ 0, 3 }, 8, NULL, 0);
	CHECK_EQ(fe_reply(h, VUB_SET_VRING_NUM, &ack, 8), 8);
	CHECK(ack != 0);
	/* Without need_reply, nothing comes back. */
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	CHECK_EQ(fe_reply(h, VUB_SET_VRING_ENABLE, &ack, 8), -1);
	CHECK(h->dev->connected);
	harness_free(h);
}

TEST(vub_no_reply_ack_without_negotiation)
{
	struct harness *h = harness_new();
	uint64_t ack;

	fe_setup(h, false);
	fe_send(h, VUB_SET_OWNER, VUB_FLAG_NEED_REPLY, NULL, 0, NULL, 0);
	CHECK_EQ(fe_reply(h, VUB_SET_OWNER, &ack, 8), -1);
	harness_free(h);
}

TEST(vub_config_and_status)
{
	struct harness *h = harness_new();
	struct vub_msg_config c = { 4, 8, 0, { 0 } };

	fe_setup(h, true);
	fe_send(h, VUB_GET_CONFIG, 0, &c, 12 + 8, NULL, 0);
	memset(&c, 0, sizeof(c));
	CHECK_EQ(fe_reply(h, VUB_GET_CONFIG, &c, sizeof(c)), 20);
	CHECK_EQ(c.region[0], 4);
	CHECK_EQ(c.region[7], 11);
	fe_u64(h, VUB_SET_STATUS, 0xf);
	CHECK_EQ(fe_get_u64(h, VUB_GET_STATUS), 0xf);
	CHECK_EQ(fe_get_u64(h, VUB_GET_QUEUE_NUM), 2);
	harness_free(h);
}

TEST(vub_add_mem_reg)
{
	struct harness *h = harness_new();
	struct vub_msg_mem_single m = { 0 };
	uint64_t f = fe_split_features(h);
	uint64_t pf = fe_get_u64(h, VUB_GET_PROTOCOL_FEATURES);

	CHECK(pf & (1ull << VUB_PROTOCOL_F_CONFIGURE_MEM_SLOTS));
	fe_u64(h, VUB_SET_PROTOCOL_FEATURES, pf);
	CHECK_EQ(fe_get_u64(h, VUB_GET_MAX_MEM_SLOTS), VUB_MAX_SLOTS);
	fe_u64(h, VUB_SET_FEATURES, f);
	m.region.guest_phys_addr = MEM_GPA;
	m.region.memory_size = MEM_SIZE;
	m.region.userspace_addr = uva(h, 0);
	fe_send(h, VUB_ADD_MEM_REG, 0, &m, sizeof(m), &h->memfd, 1);
	CHECK_EQ(h->dev->nregions, 1);
	fe_ring(h, 0);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	guest_post(h, 0, MEM_GPA + BUF_OFF);
	fe_kick_fd(h, 0);
	CHECK_EQ(h->served, 1);
	fe_send(h, VUB_REM_MEM_REG, 0, &m, sizeof(m), NULL, 0);
	CHECK_EQ(h->dev->nregions, 0);
	/* With no memory the ring is unusable: nothing is served. */
	post_kick(h, 2);
	CHECK_EQ(h->served, 1);
	CHECK(h->dev->connected);
	harness_free(h);
}

TEST(vub_event_idx_publishes_avail_event)
{
	struct harness *h = harness_new();
	uint64_t f = fe_split_features(h);
	uint16_t *avail_event;

	fe_u64(h, VUB_SET_FEATURES, f & ~(1ull << VUB_F_PROTOCOL_FEATURES));
	fe_mem_table(h);
	fe_ring(h, 0);
	fe_kick_fd(h, 0);
	post_kick(h, 0);
	post_kick(h, 2);
	avail_event = (uint16_t *)&used(h)->ring[RING];
	CHECK_EQ(h->served, 2);
	CHECK_EQ(*avail_event, 2);
	harness_free(h);
}

TEST(vub_bad_descriptors_break_the_queue_not_the_process)
{
	struct harness *h = harness_new();

	fe_setup(h, false);
	fe_kick_fd(h, 0);
	/* Buffer outside every region. */
	guest_post(h, 0, 0x10);
	guest_kick(h);
	CHECK_EQ(h->served, 0);
	CHECK(vub_queue_broken(vub_dev_queue(h->dev, 0)));
	harness_free(h);

	h = harness_new();
	fe_setup(h, false);
	fe_kick_fd(h, 0);
	/* A chain that loops on itself. */
	desc(h)[0] = (struct vring_desc){ MEM_GPA + BUF_OFF, 8,
					  VRING_DESC_F_NEXT, 0 };
	avail(h)->ring[0] = 0;
	avail(h)->idx = 1;
	guest_kick(h);
	CHECK_EQ(h->served, 0);
	CHECK(vub_queue_broken(vub_dev_queue(h->dev, 0)));
	harness_free(h);

	h = harness_new();
	fe_setup(h, false);
	fe_kick_fd(h, 0);
	/* The avail index jumps past the ring size. */
	avail(h)->idx = RING + 5;
	guest_kick(h);
	CHECK_EQ(h->served, 0);
	CHECK(h->dev->connected);
	harness_free(h);
}

TEST(vub_indirect_descriptors)
{
	struct harness *h = harness_new();
	struct vring_desc *table = (void *)(h->mem + 0x3000);

	fe_setup(h, false);
	fe_kick_fd(h, 0);
	table[0] = (struct vring_desc){ MEM_GPA + BUF_OFF, 16,
					VRING_DESC_F_NEXT, 1 };
	table[1] = (struct vring_desc){ MEM_GPA + BUF_OFF + 16, 16,
					VRING_DESC_F_WRITE, 0 };
	desc(h)[5] = (struct vring_desc){ MEM_GPA + 0x3000, 32,
					  VRING_DESC_F_INDIRECT, 0 };
	avail(h)->ring[0] = 5;
	avail(h)->idx = 1;
	guest_kick(h);
	CHECK_EQ(h->served, 1);
	CHECK_EQ(h->heads[0], 5);
	CHECK(!memcmp(h->mem + BUF_OFF + 16, "done", 4));
	harness_free(h);
}

TEST(vub_inflight_requests_are_resubmitted)
{
	struct harness *h = harness_new();
	struct vub_msg_inflight inf = { 0, 0, 2, RING };
	struct harness *h2;
	int fd = -1;

	fe_setup(h, false);
	fe_send(h, VUB_GET_INFLIGHT_FD, 0, &inf, sizeof(inf), NULL, 0);
	{
		/* The reply carries the buffer's fd. */
		char control[CMSG_SPACE(sizeof(int))];
		struct vub_msg_hdr hdr;
		struct iovec iov[2] = { { &hdr, sizeof(hdr) },
					{ &inf, sizeof(inf) } };
		struct msghdr mh = { .msg_iov = iov,
				     .msg_iovlen = 2,
				     .msg_control = control,
				     .msg_controllen = sizeof(control) };
		struct cmsghdr *cm;

		CHECK(recvmsg(h->fe, &mh, 0) > 0);
		cm = CMSG_FIRSTHDR(&mh);
		CHECK(cm != NULL);
		if (cm) {
			memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		}
		CHECK(inf.mmap_size >= 2 * vub_inflight_region_size(RING));
	}
	fe_kick_fd(h, 0);
	h->no_push = true;
	post_kick(h, 0);
	post_kick(h, 2);
	CHECK_EQ(h->served, 2);
	CHECK_EQ(used(h)->idx, 0);
	/* The backend dies; a new one gets the same memory and buffer. */
	vub_dev_free(h->dev);
	h->dev = NULL;
	h2 = harness_new();
	close(h2->memfd);
	munmap(h2->mem, MEM_SIZE);
	h2->memfd = dup(h->memfd);
	h2->mem = h->mem;
	fe_setup(h2, false);
	fe_send(h2, VUB_SET_INFLIGHT_FD, 0, &inf, sizeof(inf), &fd, 1);
	fe_kick_fd(h2, 0);
	CHECK_EQ(h2->served, 2);
	CHECK_EQ(h2->heads[0], 0);
	CHECK_EQ(h2->heads[1], 2);
	CHECK_EQ(used(h2)->idx, 2);
	close(fd);
	h2->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       h2->memfd, 0);
	harness_free(h2);
	close(h->fe);
	close(h->kick);
	close(h->call);
	munmap(h->mem, MEM_SIZE);
	close(h->memfd);
	free(h);
}

/* Each malformed message must close the connection, never crash. */
static void expect_dropped(uint32_t req, uint32_t flags, const void *payload,
			   uint32_t size, unsigned nfds, uint32_t claimed)
{
	struct harness *h = harness_new();
	int fds[12];
	char control[CMSG_SPACE(12 * sizeof(int))];
	struct vub_msg_hdr hdr = { req, VUB_VERSION | flags, claimed };
	struct iovec iov[2] = { { &hdr, sizeof(hdr) },
				{ (void *)payload, size } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = size ? 2 : 1 };

	for (unsigned i = 0; i < nfds; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC);
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
	CHECK(sendmsg(h->fe, &mh, 0) >= (ssize_t)sizeof(hdr));
	if (claimed > size) {
		/* The frontend stalls: close our end so the read ends. */
		shutdown(h->fe, SHUT_WR);
	}
	fake_run(&h->loop);
	CHECK(!h->dev->connected);
	CHECK(h->disconnected);
	CHECK(strstr(last_log, "closing the connection") != NULL);
	for (unsigned i = 0; i < nfds; i++) {
		close(fds[i]);
	}
	harness_free(h);
}

TEST(vub_malformed_messages_close_the_connection)
{
	uint64_t u = 0;
	struct vub_msg_memory m = { 0 };

	/* Wrong payload size for SET_FEATURES. */
	expect_dropped(VUB_SET_FEATURES, 0, &u, 4, 0, 4);
	/* Unknown request. */
	expect_dropped(200, 0, NULL, 0, 0, 0);
	/* SET_LOG_BASE is not offered. */
	expect_dropped(VUB_SET_LOG_BASE, 0, &u, 8, 0, 8);
	/* An fd where none belongs. */
	expect_dropped(VUB_SET_OWNER, 0, NULL, 0, 1, 0);
	/* Too many fds for the message. */
	m.nregions = 1;
	expect_dropped(VUB_SET_MEM_TABLE, 0, &m, 40, 3, 40);
	/* Too few. */
	m.nregions = 2;
	expect_dropped(VUB_SET_MEM_TABLE, 0, &m, 72, 1, 72);
	/* More fds than any message carries. */
	expect_dropped(VUB_SET_MEM_TABLE, 0, &m, 72, 10, 72);
	/* Kick without fd and without the NOFD flag. */
	expect_dropped(VUB_SET_VRING_KICK, 0, &u, 8, 0, 8);
	/* Queue index out of range. */
	u = 7;
	expect_dropped(VUB_SET_VRING_CALL, 0, &u, 8, 1, 8);
	/* A header promising more payload than ever comes. */
	expect_dropped(VUB_SET_FEATURES, 0, &u, 8, 0, 100);
	/* Payload larger than any message. */
	expect_dropped(VUB_GET_CONFIG, 0, NULL, 0, 0, 100000);
	/* Bad version bits, and a reply flag from the frontend. */
	expect_dropped(VUB_GET_FEATURES, 0x2, NULL, 0, 0, 0);
	expect_dropped(VUB_GET_FEATURES, VUB_FLAG_REPLY, NULL, 0, 0, 0);
}

TEST(vub_memory_region_overflow_is_refused)
{
	struct harness *h = harness_new();
	struct vub_msg_memory m = { 0 };
	uint64_t ack = 0;

	fe_setup(h, true);
	m.nregions = 1;
	m.regions[0].guest_phys_addr = ~0ull - 10;
	m.regions[0].memory_size = 4096;
	m.regions[0].userspace_addr = 0;
	fe_send(h, VUB_SET_MEM_TABLE, VUB_FLAG_NEED_REPLY, &m, 40, &h->memfd,
		1);
	CHECK_EQ(fe_reply(h, VUB_SET_MEM_TABLE, &ack, 8), 8);
	CHECK(ack != 0);
	CHECK_EQ(h->dev->nregions, 0);
	CHECK(h->dev->connected);
	harness_free(h);
}

TEST(vub_reset_device_stops_rings_and_allows_a_new_start)
{
	struct harness *h = harness_new();

	fe_setup(h, true);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	fe_kick_fd(h, 0);
	post_kick(h, 0);
	CHECK_EQ(h->served, 1);
	fe_send(h, VUB_RESET_DEVICE, 0, NULL, 0, NULL, 0);
	CHECK(!kick_watched(h));
	CHECK_EQ(h->dev->features, 0);
	post_kick(h, 2);
	CHECK_EQ(h->served, 1);
	/* Set up again from scratch: the pending request is found. */
	fe_u64(h, VUB_SET_FEATURES,
	       vub_dev_features(h->dev) | (1ull << VUB_F_PROTOCOL_FEATURES) |
		       (1ull << VUB_VIRTIO_F_VERSION_1));
	fe_ring(h, 0);
	fe_state(h, VUB_SET_VRING_BASE, 0, 1);
	fe_state(h, VUB_SET_VRING_ENABLE, 0, 1);
	fe_kick_fd(h, 0);
	CHECK_EQ(h->served, 2);
	CHECK_EQ(used(h)->idx, 2);
	CHECK(h->dev->connected);
	harness_free(h);
}

TEST(vub_queues_are_independent)
{
	struct harness *h = harness_new();
	struct vub_msg_addr a = {
		1, 0, uva(h, 0x4000), uva(h, 0x6000), uva(h, 0x5000), 0
	};
	int kick1 = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct vring_desc *d1 = (void *)(h->mem + 0x4000);
	struct vring_avail *a1 = (void *)(h->mem + 0x5000);
	struct vring_used *u1 = (void *)(h->mem + 0x6000);
	uint64_t one = 1;

	fe_setup(h, true);
	fe_state(h, VUB_SET_VRING_NUM, 1, RING);
	fe_send(h, VUB_SET_VRING_ADDR, 0, &a, sizeof(a), NULL, 0);
	fe_state(h, VUB_SET_VRING_BASE, 1, 0);
	fe_send(h, VUB_SET_VRING_KICK, 0, &(uint64_t){ 1 }, 8, &kick1, 1);
	fe_state(h, VUB_SET_VRING_ENABLE, 1, 1);
	/* Queue 0 is not enabled; queue 1 serves on its own. */
	d1[0] = (struct vring_desc){ MEM_GPA + BUF_OFF, 16, 0, 0 };
	a1->ring[0] = 0;
	__atomic_store_n(&a1->idx, 1, __ATOMIC_RELEASE);
	CHECK(write(kick1, &one, 8) == 8);
	fake_run(&h->loop);
	CHECK_EQ(h->served, 1);
	CHECK_EQ(u1->idx, 1);
	CHECK_EQ(used(h)->idx, 0);
	close(kick1);
	harness_free(h);
}

/* Post a packed-ring request (readable + writable descriptor) at slot. */
static void packed_post(struct harness *h, unsigned slot, bool wrap,
			uint16_t id)
{
	struct vring_packed_desc *d = (void *)(h->mem + DESC_OFF);
	uint16_t avail = wrap ? 1u << VRING_PACKED_DESC_F_AVAIL :
				1u << VRING_PACKED_DESC_F_USED;
	uint64_t buf = MEM_GPA + BUF_OFF + slot * 64;

	d[slot + 1] = (struct vring_packed_desc){ buf + 16, 16, id,
						  VRING_DESC_F_WRITE | avail };
	d[slot].addr = buf;
	d[slot].len = 16;
	d[slot].id = 0xffff; /* only the last descriptor's id counts */
	__atomic_store_n(&d[slot].flags, VRING_DESC_F_NEXT | avail,
			 __ATOMIC_RELEASE);
}

TEST(vub_packed_ring_wraps_and_reports_its_base)
{
	struct harness *h = harness_new();
	struct vring_packed_desc *d = (void *)(h->mem + DESC_OFF);
	uint64_t f = fe_get_u64(h, VUB_GET_FEATURES);
	uint16_t used_both = (1u << VRING_PACKED_DESC_F_AVAIL) |
			     (1u << VRING_PACKED_DESC_F_USED);
	struct vub_msg_state s = { 0, 0 };

	CHECK(f & (1ull << VIRTIO_F_RING_PACKED));
	fe_u64(h, VUB_SET_FEATURES, f & ~(1ull << VUB_F_PROTOCOL_FEATURES));
	fe_mem_table(h);
	fe_ring(h, 0);
	/* avail index 0 wrap 1, used index 0 wrap 1 */
	fe_state(h, VUB_SET_VRING_BASE, 0, 0x80008000u);
	fe_kick_fd(h, 0);
	packed_post(h, 0, true, 7);
	guest_kick(h);
	CHECK_EQ(h->served, 1);
	CHECK_EQ(h->heads[0], 7);
	CHECK_EQ(d[0].id, 7);
	CHECK_EQ(d[0].len, 4);
	CHECK_EQ(d[0].flags & used_both, used_both);
	CHECK(!memcmp(h->mem + BUF_OFF + 16, "done", 4));
	/* Fill the rest of the ring, then one more after the wrap. */
	for (unsigned slot = 2; slot < RING; slot += 2) {
		packed_post(h, slot, true, slot);
	}
	guest_kick(h);
	CHECK_EQ(h->served, RING / 2);
	packed_post(h, 0, false, 42);
	guest_kick(h);
	CHECK_EQ(h->served, RING / 2 + 1);
	CHECK_EQ(h->heads[RING / 2], 42);
	/* Used with wrap counter 0: both bits clear. */
	CHECK_EQ(d[0].flags & used_both, 0);
	fe_state(h, VUB_GET_VRING_BASE, 0, 0);
	CHECK_EQ(fe_reply(h, VUB_GET_VRING_BASE, &s, sizeof(s)), 8);
	/* avail and used at index 2, wrap counters 0 */
	CHECK_EQ(s.num, 0x00020002);
	harness_free(h);
}
