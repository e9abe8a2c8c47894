/* SPDX-License-Identifier: MIT */
/* vhost-user frontend messages: strict reply checking and timeouts. */
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "vhost-user/vhost-user.h"

#define GET_FEATURES 1
#define GET_VRING_BASE 11
#define GET_INFLIGHT_FD 31

/* What a backend would answer: header then payload. */
static void vu_test_reply(int fd, uint32_t request, uint32_t flags,
			  const void *payload, uint32_t size)
{
	uint8_t buf[64];
	uint32_t hdr[3] = { request, flags, size };

	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), payload, size);
	if (write(fd, buf, sizeof(hdr) + size) < 0) {
		return;
	}
}

/* A connected frontend (no protocol features) and the backend's end. */
static bool vu_test_open(struct vhost_user *vu, int *peer)
{
	uint64_t features = 1ull << 32;
	char buf[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		return false;
	}
	/* GET_FEATURES, then SET_OWNER's GET_FEATURES round trip. */
	vu_test_reply(sv[1], GET_FEATURES, 5, &features, 8);
	vu_test_reply(sv[1], GET_FEATURES, 5, &features, 8);
	*peer = sv[1];
	if (!vhost_user_init(vu, sv[0], "test", NULL)) {
		close(sv[1]);
		return false;
	}
	vu->timeout_ms = 200;
	/* Drop the handshake's requests: tests read only their own. */
	while (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0) {
	}
	return true;
}

static void vu_test_close(struct vhost_user *vu, int peer)
{
	vhost_user_cleanup(vu);
	close(peer);
}

TEST(vhost_user_good_reply)
{
	uint32_t st[2] = { 1, 42 };
	struct vhost_user vu;
	unsigned num = 0;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	CHECK_EQ(vu.features, 1ull << 32);
	vu_test_reply(peer, GET_VRING_BASE, 5, st, sizeof(st));
	CHECK(vhost_user_get_vring_base(&vu, 1, &num));
	CHECK_EQ(num, 42u);
	CHECK(!vu.broken);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_bad_replies_break)
{
	uint32_t st[2] = { 1, 42 };
	struct {
		uint32_t request, flags, size;
	} bad[] = {
		{ GET_FEATURES, 5, 8 }, /* another request's reply */
		{ GET_VRING_BASE, 1, 8 }, /* no reply flag */
		{ GET_VRING_BASE, 6, 8 }, /* version 2 */
		{ GET_VRING_BASE, 5, 4 }, /* wrong size */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vhost_user vu;
		unsigned num = 0;
		int peer;

		CHECK(vu_test_open(&vu, &peer));
		vu_test_reply(peer, bad[i].request, bad[i].flags, st,
			      bad[i].size);
		CHECK(!vhost_user_get_vring_base(&vu, 1, &num));
		CHECK(vu.broken);
		/* Broken stays broken: nothing more is sent. */
		CHECK(!vhost_user_get_vring_base(&vu, 1, &num));
		vu_test_close(&vu, peer);
	}
}

TEST(vhost_user_ring_mismatch_breaks)
{
	uint32_t st[2] = { 0, 42 };
	struct vhost_user vu;
	unsigned num = 0;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	vu_test_reply(peer, GET_VRING_BASE, 5, st, sizeof(st));
	CHECK(!vhost_user_get_vring_base(&vu, 1, &num));
	CHECK(vu.broken);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_silent_backend_times_out)
{
	struct vhost_user vu;
	unsigned num = 0;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	CHECK(!vhost_user_get_vring_base(&vu, 0, &num));
	CHECK(vu.broken);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_sync_without_reply_ack_waits_for_get_features)
{
	uint64_t features = 1ull << 32;
	struct vhost_user vu;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	/* No answer to the round trip: the synchronous send fails. */
	CHECK(!vhost_user_set_vring_fd(&vu, 13, 0, -1));
	vu_test_close(&vu, peer);
	CHECK(vu_test_open(&vu, &peer));
	vu_test_reply(peer, GET_FEATURES, 5, &features, 8);
	CHECK(vhost_user_set_vring_fd(&vu, 13, 0, -1));
	CHECK(!vu.broken);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_hangup_breaks)
{
	struct vhost_user vu;
	unsigned num = 0;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	close(peer);
	CHECK(!vhost_user_get_vring_base(&vu, 0, &num));
	CHECK(vu.broken);
	vhost_user_cleanup(&vu);
}

/* What the backend received: header, payload and any fd (closed). */
static bool vu_test_recv(int fd, uint32_t *request, uint32_t *flags,
			 void *payload, uint32_t size, bool *had_fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	uint32_t hdr[3];
	struct iovec iov = { hdr, sizeof(hdr) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;

	if (recvmsg(fd, &mh, MSG_DONTWAIT) != sizeof(hdr)) {
		return false;
	}
	*had_fd = false;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		int got;

		memcpy(&got, CMSG_DATA(c), sizeof(got));
		close(got);
		*had_fd = true;
	}
	*request = hdr[0];
	*flags = hdr[1];
	return hdr[2] == size && read(fd, payload, size) == (ssize_t)size;
}

#define SET_MEM_TABLE 5
#define ADD_MEM_REG 37
#define REM_MEM_REG 38
#define PROTO_REPLY_ACK (1ull << 3)
#define PROTO_MEM_SLOTS (1ull << 15)

TEST(vhost_user_mem_slots_send_the_difference)
{
	uint64_t zero = 0, reg[5];
	struct vhost_user vu;
	uint32_t request, flags;
	bool had_fd;
	int peer, memfd = dup(0);

	CHECK(vu_test_open(&vu, &peer));
	vu.protocol_features = PROTO_REPLY_ACK | PROTO_MEM_SLOTS;
	vu.max_mem_slots = 8;
	vu_test_reply(peer, ADD_MEM_REG, 5, &zero, 8);
	CHECK(vhost_user_set_mem_table(&vu, 0x80000000, 1 << 20, 0x1000,
				       memfd));
	CHECK(vu_test_recv(peer, &request, &flags, reg, sizeof(reg), &had_fd));
	CHECK_EQ(request, ADD_MEM_REG);
	CHECK_EQ(flags, 9u); /* version 1, NEED_REPLY */
	CHECK(had_fd);
	CHECK_EQ(reg[1], 0x80000000u);
	CHECK_EQ(reg[2], 1u << 20);
	CHECK_EQ(reg[3], 0x1000u);
	/* The same RAM again (a restart after reset): nothing is sent. */
	CHECK(vhost_user_set_mem_table(&vu, 0x80000000, 1 << 20, 0x1000,
				       memfd));
	CHECK(!vu_test_recv(peer, &request, &flags, reg, sizeof(reg), &had_fd));
	/* Other RAM: the old region goes, then the new one comes. */
	vu_test_reply(peer, REM_MEM_REG, 5, &zero, 8);
	vu_test_reply(peer, ADD_MEM_REG, 5, &zero, 8);
	CHECK(vhost_user_set_mem_table(&vu, 0x80000000, 2 << 20, 0x1000,
				       memfd));
	CHECK(vu_test_recv(peer, &request, &flags, reg, sizeof(reg), &had_fd));
	CHECK_EQ(request, REM_MEM_REG);
	CHECK_EQ(reg[2], 1u << 20);
	CHECK(vu_test_recv(peer, &request, &flags, reg, sizeof(reg), &had_fd));
	CHECK_EQ(request, ADD_MEM_REG);
	CHECK_EQ(reg[2], 2u << 20);
	CHECK_EQ(vu.nr_mem, 1u);
	CHECK(!vu.broken);
	vu_test_close(&vu, peer);
	close(memfd);
}

TEST(vhost_user_mem_table_without_mem_slots)
{
	uint64_t features = 1ull << 32, table[5];
	struct vhost_user vu;
	uint32_t request, flags;
	bool had_fd;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	vu_test_reply(peer, GET_FEATURES, 5, &features, 8);
	CHECK(vhost_user_set_mem_table(&vu, 0x80000000, 1 << 20, 0x1000, 0));
	CHECK(vu_test_recv(peer, &request, &flags, table, sizeof(table),
			   &had_fd));
	CHECK_EQ(request, SET_MEM_TABLE);
	CHECK_EQ(table[0], 1u); /* one region */
	CHECK(had_fd);
	vu_test_close(&vu, peer);
}

#define SET_CONFIG 25
#define GET_STATUS 40

TEST(vhost_user_set_config_refused_is_not_broken)
{
	uint64_t ack = 1;
	uint8_t wce = 0, cfg[13];
	struct vhost_user vu;
	uint32_t request, flags;
	bool had_fd;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	vu.protocol_features = PROTO_REPLY_ACK;
	vu_test_reply(peer, SET_CONFIG, 5, &ack, 8);
	CHECK_EQ(vhost_user_set_config(&vu, &wce, 32, 1), 0);
	CHECK(vu_test_recv(peer, &request, &flags, cfg, sizeof(cfg), &had_fd));
	CHECK_EQ(request, SET_CONFIG);
	CHECK_EQ(cfg[0], 32u); /* offset */
	CHECK_EQ(cfg[4], 1u); /* size */
	CHECK_EQ(cfg[8], 0u); /* flags: FRONTEND */
	CHECK(!vu.broken);
	ack = 0;
	vu_test_reply(peer, SET_CONFIG, 5, &ack, 8);
	CHECK_EQ(vhost_user_set_config(&vu, &wce, 32, 1), 1);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_get_status_checks_the_value)
{
	uint64_t status = 0x10f;
	struct vhost_user vu;
	uint8_t got = 0;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	status = 0xf;
	vu_test_reply(peer, GET_STATUS, 5, &status, 8);
	CHECK(vhost_user_get_status(&vu, &got));
	CHECK_EQ(got, 0xfu);
	status = 0x10f;
	vu_test_reply(peer, GET_STATUS, 5, &status, 8);
	CHECK(!vhost_user_get_status(&vu, &got));
	CHECK(vu.broken);
	vu_test_close(&vu, peer);
}

static unsigned vu_test_config_changes;

static bool vu_test_config_changed(void *opaque)
{
	vu_test_config_changes++;
	return true;
}

/* A frontend with a backend channel; *chan is the backend's end. */
static bool vu_test_open_channel(struct vhost_user *vu, int *peer, int *chan)
{
	int sv[2];

	if (!vu_test_open(vu, peer) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		return false;
	}
	vu->backend_fd = sv[0];
	*chan = sv[1];
	return true;
}

TEST(vhost_user_backend_config_change)
{
	uint32_t hdr[3] = { 2, 1 | 8, 0 }; /* CONFIG_CHANGE_MSG, NEED_REPLY */
	uint32_t reply[3];
	uint64_t ack = 1;
	struct vhost_user vu;
	int peer = -1, chan = -1;

	CHECK(vu_test_open_channel(&vu, &peer, &chan));
	vu_test_config_changes = 0;
	CHECK(write(chan, hdr, sizeof(hdr)) == sizeof(hdr));
	CHECK(vhost_user_backend_req_serve(&vu, vu_test_config_changed, NULL));
	CHECK_EQ(vu_test_config_changes, 1u);
	CHECK(read(chan, reply, sizeof(reply)) == sizeof(reply));
	CHECK_EQ(reply[0], 2u);
	CHECK_EQ(reply[1], 5u); /* version 1, REPLY */
	CHECK_EQ(reply[2], 8u);
	CHECK(read(chan, &ack, sizeof(ack)) == sizeof(ack));
	CHECK_EQ(ack, 0u);
	/* Without NEED_REPLY: served, nothing answered. */
	hdr[1] = 1;
	CHECK(write(chan, hdr, sizeof(hdr)) == sizeof(hdr));
	CHECK(vhost_user_backend_req_serve(&vu, vu_test_config_changed, NULL));
	CHECK_EQ(vu_test_config_changes, 2u);
	CHECK(recv(chan, reply, sizeof(reply), MSG_DONTWAIT) < 0);
	/* The backend went away: done, quietly. */
	close(chan);
	CHECK(!vhost_user_backend_req_serve(&vu, vu_test_config_changed, NULL));
	CHECK(!vu.broken);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_backend_bad_requests_close_the_channel)
{
	struct {
		uint32_t request, flags, size;
	} bad[] = {
		{ 2, 1 | 4, 0 }, /* the REPLY flag on a request */
		{ 2, 2, 0 }, /* version 2 */
		{ 2, 1, 8 }, /* CONFIG_CHANGE_MSG with a payload */
		{ 1, 1, 0 }, /* IOTLB_MSG: not negotiated */
		{ 99, 1, 0 }, /* unknown */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t pad = 0;
		struct vhost_user vu;
		int peer = -1, chan = -1;

		CHECK(vu_test_open_channel(&vu, &peer, &chan));
		vu_test_config_changes = 0;
		CHECK(write(chan, &bad[i], 12) == 12);
		CHECK(write(chan, &pad, sizeof(pad)) == sizeof(pad));
		CHECK(!vhost_user_backend_req_serve(&vu, vu_test_config_changed,
						    NULL));
		CHECK_EQ(vu_test_config_changes, 0u);
		/* The device itself is fine. */
		CHECK(!vu.broken);
		close(chan);
		vu_test_close(&vu, peer);
	}
}

TEST(vhost_user_backend_fds_and_partial_header)
{
	uint32_t hdr[3] = { 2, 1, 0 };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { hdr, sizeof(hdr) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	struct vhost_user vu;
	int peer = -1, chan = -1, fd = 0;

	CHECK(vu_test_open_channel(&vu, &peer, &chan));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	CHECK(sendmsg(chan, &mh, 0) == sizeof(hdr));
	CHECK(!vhost_user_backend_req_serve(&vu, vu_test_config_changed, NULL));
	close(chan);
	vu_test_close(&vu, peer);
	/* Half a header, then silence: bounded by the timeout. */
	CHECK(vu_test_open_channel(&vu, &peer, &chan));
	CHECK(write(chan, hdr, 6) == 6);
	CHECK(!vhost_user_backend_req_serve(&vu, vu_test_config_changed, NULL));
	CHECK(!vu.broken);
	close(chan);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_mem_slots_too_few)
{
	struct vhost_user vu;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	vu.protocol_features = PROTO_MEM_SLOTS;
	vu.max_mem_slots = 0;
	CHECK(!vhost_user_set_mem_table(&vu, 0x80000000, 1 << 20, 0x1000, -1));
	CHECK(vu.broken);
	vu_test_close(&vu, peer);
}

/* A reply carrying fd (SCM_RIGHTS), as GET_INFLIGHT_FD's. */
static void vu_test_reply_fd(int sock, uint32_t request, const void *payload,
			     uint32_t size, int fd)
{
	uint8_t buf[64];
	uint32_t hdr[3] = { request, 5, size };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(hdr) + size };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), payload, size);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) < 0) {
		return;
	}
}

/* GET_INFLIGHT_FD's payload: mmap_size, mmap_offset, queues, queue size. */
struct vu_test_inflight {
	uint64_t size, offset;
	uint16_t num_queues, queue_size;
};

TEST(vhost_user_get_inflight_maps_the_region)
{
	struct vu_test_inflight reply = { 8192, 0, 1, 128 };
	struct vhost_user_inflight inf;
	struct vhost_user vu;
	int peer, fd = memfd_create("inflight", MFD_CLOEXEC);
	uint8_t byte = 0;

	CHECK(fd >= 0 && ftruncate(fd, 8192) == 0);
	CHECK(vu_test_open(&vu, &peer));
	vhost_user_inflight_init(&inf);
	vu_test_reply_fd(peer, GET_INFLIGHT_FD, &reply, 24, fd);
	CHECK(vhost_user_get_inflight(&vu, 1, 128, &inf));
	CHECK(!vu.broken);
	CHECK(inf.fd >= 0 && inf.addr);
	CHECK_EQ(inf.size, 8192ull);
	CHECK_EQ(inf.queue_size, 128u);
	/* The same memory the backend has. */
	((uint8_t *)inf.addr)[100] = 0x5a;
	CHECK(pread(fd, &byte, 1, 100) == 1);
	CHECK_EQ(byte, 0x5a);
	vhost_user_inflight_free(&inf);
	CHECK_EQ(inf.fd, -1);
	close(fd);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_get_inflight_without_fd_breaks)
{
	struct vu_test_inflight reply = { 8192, 0, 1, 128 };
	struct vhost_user_inflight inf;
	struct vhost_user vu;
	int peer;

	CHECK(vu_test_open(&vu, &peer));
	vhost_user_inflight_init(&inf);
	vu_test_reply(peer, GET_INFLIGHT_FD, 5, &reply, 24);
	CHECK(!vhost_user_get_inflight(&vu, 1, 128, &inf));
	CHECK(vu.broken);
	CHECK_EQ(inf.fd, -1);
	vu_test_close(&vu, peer);
}

TEST(vhost_user_reconnect_negotiates_again)
{
	uint64_t features = (1ull << 32) | 1;
	struct vhost_user vu;
	unsigned num = 0;
	int peer, sv[2];

	CHECK(vu_test_open(&vu, &peer));
	close(peer);
	vhost_user_disconnect(&vu);
	CHECK(vu.broken);
	CHECK_EQ(vu.fd, -1);
	/* Disconnected: requests fail at once. */
	CHECK(!vhost_user_get_vring_base(&vu, 0, &num));
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	vu_test_reply(sv[1], GET_FEATURES, 5, &features, 8);
	vu_test_reply(sv[1], GET_FEATURES, 5, &features, 8);
	CHECK(vhost_user_connect(&vu, sv[0], NULL));
	CHECK(!vu.broken);
	CHECK_EQ(vu.features, features);
	vu_test_close(&vu, sv[1]);
}

TEST(vhost_user_reconnect_to_a_silent_backend_fails)
{
	struct vhost_user vu;
	int peer, sv[2];

	CHECK(vu_test_open(&vu, &peer));
	close(peer);
	vhost_user_disconnect(&vu);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(!vhost_user_connect(&vu, sv[0], NULL));
	CHECK(vu.broken);
	CHECK_EQ(vu.fd, -1);
	vu_test_close(&vu, sv[1]);
}
