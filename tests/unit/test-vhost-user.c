/* SPDX-License-Identifier: MIT */
/* vhost-user frontend messages: strict reply checking and timeouts. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "vhost-user/vhost-user.h"

#define GET_FEATURES 1
#define GET_VRING_BASE 11

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
