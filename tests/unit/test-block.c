/* SPDX-License-Identifier: MIT */
/* Unit tests of the block layer: qcow2 mapping, refcounts, COW, threads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block.h"
#include "block/qcow2.h"
#include "tests/unit/unit.h"

/* A deterministic generator so failures reproduce. */
static uint64_t test_block_rng = 0x9e3779b97f4a7c15ull;

static uint64_t test_block_rand(void)
{
	test_block_rng ^= test_block_rng << 13;
	test_block_rng ^= test_block_rng >> 7;
	test_block_rng ^= test_block_rng << 17;
	return test_block_rng;
}

static void test_block_fill(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		p[i] = (uint8_t)test_block_rand();
	}
}

static char *test_block_tmpdir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/mimic-test-block-XXXXXX");
	return mkdtemp(dir);
}

static void test_block_path(char *buf, size_t len, const char *dir,
			    const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void test_block_rmdir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd)) {
		fprintf(stderr, "  could not remove %s\n", dir);
	}
}

/* Debian's qemu-img, when installed, must agree the image is clean. */
static void test_block_qemu_check(const char *file)
{
	char cmd[256];

	if (access("/usr/bin/qemu-img", X_OK)) {
		return;
	}
	snprintf(cmd, sizeof(cmd), "/usr/bin/qemu-img check -q '%s'", file);
	CHECK_EQ(system(cmd), 0);
}

/* And reads the same bytes as our shadow copy (a raw file for it). */
static void test_block_qemu_compare(const char *dir, const char *file,
				    const uint8_t *expect, size_t len)
{
	char raw[128], cmd[384];
	int fd;

	if (access("/usr/bin/qemu-img", X_OK)) {
		return;
	}
	test_block_path(raw, sizeof(raw), dir, "expect.raw");
	fd = open(raw, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, expect, len) == (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/qemu-img compare -q -f raw -F qcow2 '%s' '%s'", raw,
		 file);
	CHECK_EQ(system(cmd), 0);
}

static void test_block_check_clean(struct block *bs)
{
	struct block_check_result res;

	CHECK_EQ(block_check(bs, &res, 0), 0);
	CHECK(res.supported);
	CHECK_EQ(res.corruptions, 0);
	CHECK_EQ(res.leaks, 0);
	CHECK_EQ(res.check_errors, 0);
}

TEST(block_qcow2_l1_entries)
{
	/* 64 KiB clusters: one L2 table maps 512 MiB. */
	CHECK_EQ(qcow2_l1_entries_for(16, 0), 0);
	CHECK_EQ(qcow2_l1_entries_for(16, 1), 1);
	CHECK_EQ(qcow2_l1_entries_for(16, 512ull << 20), 1);
	CHECK_EQ(qcow2_l1_entries_for(16, (512ull << 20) + 1), 2);
	CHECK_EQ(qcow2_l1_entries_for(16, 1ull << 30), 2);
	/* 512 B clusters: 64 entries of 512 B, 32 KiB per table. */
	CHECK_EQ(qcow2_l1_entries_for(9, 1ull << 20), 32);
}

TEST(block_qcow2_refcount_entry_widths)
{
	struct qcow2 s;
	uint8_t block[64];

	memset(&s, 0, sizeof(s));
	for (unsigned order = 0; order <= 6; order++) {
		unsigned bits = 1u << order;
		uint64_t max = bits == 64 ? UINT64_MAX : (1ull << bits) - 1;
		unsigned n = 64 * 8 / bits;

		s.hdr.refcount_order = order;
		memset(block, 0, sizeof(block));
		for (unsigned i = 0; i < n; i++) {
			qcow2_refcount_entry_set(&s, block, i,
						 (i * 7 + 1) & max);
		}
		for (unsigned i = 0; i < n; i++) {
			CHECK_EQ(qcow2_refcount_entry_get(&s, block, i),
				 (i * 7 + 1) & max);
		}
	}
	/* 16-bit refcounts are big-endian on disk. */
	s.hdr.refcount_order = 4;
	memset(block, 0, sizeof(block));
	qcow2_refcount_entry_set(&s, block, 1, 0x1234);
	CHECK_EQ(block[2], 0x12);
	CHECK_EQ(block[3], 0x34);
	/* 1-bit refcounts: bit 0 is the least significant. */
	s.hdr.refcount_order = 0;
	memset(block, 0, sizeof(block));
	qcow2_refcount_entry_set(&s, block, 9, 1);
	CHECK_EQ(block[1], 0x02);
}

TEST(block_qcow2_create_and_probe)
{
	struct block_create_opts o = { .size = 8 << 20,
				       .size_given = true,
				       .cluster_size = 4096 };
	struct block_info info;
	char *dir = test_block_tmpdir(), path[128];
	struct block *bs;
	uint8_t buf[4096];

	test_block_path(path, sizeof(path), dir, "a.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	CHECK_STR(block_probe_format(path, NULL), "qcow2");
	bs = block_open(path, NULL, 0, NULL);
	CHECK(bs);
	if (bs) {
		CHECK_EQ(block_size(bs), 8 << 20);
		block_get_info(bs, &info);
		CHECK_EQ(info.cluster_size, 4096);
		CHECK_STR(info.compat, "1.1");
		CHECK_EQ(info.refcount_bits, 16);
		memset(buf, 0xff, sizeof(buf));
		CHECK_EQ(block_pread(bs, 12345, buf, sizeof(buf)), 0);
		CHECK_EQ(buf[0] | buf[4095], 0);
		CHECK(block_pwrite(bs, 0, buf, 1) < 0); /* read-only */
		CHECK(block_pread(bs, (8 << 20) - 1, buf, 2) < 0);
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(path);
	test_block_rmdir(dir);
}

/* Random writes over a backing file, mirrored in memory. */
static void test_block_random_io(uint64_t cluster_size, int compat, int flags)
{
	const uint64_t size = (3 << 20) + 1536, backing_size = 2 << 20;
	struct block_create_opts o = { .size = size,
				       .size_given = true,
				       .cluster_size = cluster_size,
				       .compat = compat,
				       .backing_file = "base.raw",
				       .backing_format = "raw" };
	char *dir = test_block_tmpdir(), base[128], top[128];
	uint8_t *shadow = calloc(1, size), *buf = malloc(size);
	struct block *bs;
	int fd;

	test_block_path(base, sizeof(base), dir, "base.raw");
	test_block_path(top, sizeof(top), dir, "top.qcow2");
	test_block_fill(shadow, backing_size);
	fd = open(base, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, shadow, backing_size) == backing_size);
	close(fd);
	CHECK(block_create(top, "qcow2", &o, NULL));
	bs = block_open(top, "qcow2", BLOCK_RDWR | flags, NULL);
	CHECK(bs);
	for (int i = 0; bs && i < 400; i++) {
		uint64_t off = test_block_rand() % size;
		uint64_t len = 1 + test_block_rand() % (3 * cluster_size);

		len = len > size - off ? size - off : len;
		if (i % 3 == 2) {
			CHECK_EQ(block_pread(bs, off, buf, len), 0);
			CHECK(!memcmp(buf, shadow + off, len));
			continue;
		}
		test_block_fill(shadow + off, len);
		CHECK_EQ(block_pwrite(bs, off, shadow + off, len), 0);
	}
	CHECK_EQ(bs ? block_flush(bs) : 0, 0);
	block_close(bs);
	bs = block_open(top, NULL, 0, NULL);
	CHECK(bs);
	if (bs) {
		CHECK_EQ(block_pread(bs, 0, buf, size), 0);
		CHECK(!memcmp(buf, shadow, size));
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(top);
	test_block_qemu_compare(dir, top, shadow, size);
	free(shadow);
	free(buf);
	test_block_rmdir(dir);
}

TEST(block_qcow2_cow_over_backing_64k)
{
	test_block_random_io(65536, 3, 0);
}

TEST(block_qcow2_cow_over_backing_4k_v2)
{
	test_block_random_io(4096, 2, 0);
}

TEST(block_qcow2_cow_over_backing_512)
{
	test_block_random_io(512, 3, 0);
}

/* cache=none: O_DIRECT where the file system has it, with unaligned
 * requests bounced through aligned buffers. */
TEST(block_qcow2_cow_nocache)
{
	test_block_random_io(4096, 3, BLOCK_NOCACHE);
}

/* 512 B clusters: the refcount table (64 blocks of 256 clusters) fills
 * at 8 MiB of file and must grow. */
TEST(block_qcow2_reftable_growth)
{
	const uint64_t size = 12 << 20, chunk = 64 << 10;
	struct block_create_opts o = { .size = size,
				       .size_given = true,
				       .cluster_size = 512 };
	char *dir = test_block_tmpdir(), path[128];
	uint8_t *buf = malloc(chunk), *back = malloc(chunk);
	struct block *bs;

	test_block_path(path, sizeof(path), dir, "g.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	for (uint64_t off = 0; bs && off < size; off += chunk) {
		memset(buf, (int)(off / chunk) + 1, chunk);
		CHECK_EQ(block_pwrite(bs, off, buf, chunk), 0);
	}
	for (uint64_t off = 0; bs && off < size; off += chunk) {
		memset(buf, (int)(off / chunk) + 1, chunk);
		CHECK_EQ(block_pread(bs, off, back, chunk), 0);
		CHECK(!memcmp(buf, back, chunk));
	}
	if (bs) {
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(path);
	free(buf);
	free(back);
	test_block_rmdir(dir);
}

TEST(block_qcow2_compressed_roundtrip)
{
	const uint64_t cs = 65536, size = 8 * cs + 4096;
	struct block_create_opts o = { .size = size, .size_given = true };
	char *dir = test_block_tmpdir(), path[128];
	uint8_t *data = malloc(size), *back = malloc(size);
	struct block *bs;
	uint64_t pnum;

	for (uint64_t i = 0; i < size; i++) {
		data[i] = (i / 100) % 7 == 0 ? (uint8_t)test_block_rand() :
					       (uint8_t)(i / 4096);
	}
	test_block_path(path, sizeof(path), dir, "c.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	for (uint64_t off = 0; bs && off < size; off += cs) {
		uint64_t n = size - off < cs ? size - off : cs;

		CHECK_EQ(block_pwrite_compressed(bs, off, data + off, n), 0);
	}
	if (bs) {
		CHECK(block_get_status(bs, 0, size, &pnum, NULL) &
		      BLOCK_STATUS_COMPRESSED);
		/* Overwriting part of a compressed cluster decompresses it. */
		memset(data + cs + 100, 0x5a, 1000);
		CHECK_EQ(block_pwrite(bs, cs + 100, data + cs + 100, 1000), 0);
		CHECK_EQ(block_pread(bs, 0, back, size), 0);
		CHECK(!memcmp(data, back, size));
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(path);
	free(data);
	free(back);
	test_block_rmdir(dir);
}

/* Zeroes and discards over data, with and without a backing file. */
static void test_block_zero_discard(int compat, bool backing)
{
	const uint64_t cs = 4096, size = 64 * cs + 100;
	struct block_create_opts o = { .size = size,
				       .size_given = true,
				       .cluster_size = cs,
				       .compat = compat,
				       .backing_file = backing ? "b.raw" : NULL,
				       .backing_format = "raw" };
	char *dir = test_block_tmpdir(), base[128], path[128];
	uint8_t *shadow = calloc(1, size), *back = malloc(size);
	struct block *bs;
	int fd;

	test_block_path(base, sizeof(base), dir, "b.raw");
	test_block_path(path, sizeof(path), dir, "z.qcow2");
	test_block_fill(shadow, size);
	fd = open(base, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, shadow, size) == (ssize_t)size);
	close(fd);
	if (!backing) {
		memset(shadow, 0, size);
	}
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	if (bs) {
		test_block_fill(shadow + 8 * cs, 40 * cs);
		CHECK_EQ(block_pwrite(bs, 8 * cs, shadow + 8 * cs, 40 * cs), 0);
		/* Partial, whole and tail-of-image zero ranges. */
		memset(shadow + 9 * cs + 5, 0, 5 * cs);
		CHECK_EQ(block_pwrite_zeroes(bs, 9 * cs + 5, 5 * cs), 0);
		memset(shadow + 30 * cs, 0, 4 * cs);
		CHECK_EQ(block_pwrite_zeroes(bs, 30 * cs, 4 * cs), 0);
		memset(shadow + 60 * cs, 0, size - 60 * cs);
		CHECK_EQ(block_pwrite_zeroes(bs, 60 * cs, size - 60 * cs), 0);
		CHECK_EQ(block_pread(bs, 0, back, size), 0);
		CHECK(!memcmp(back, shadow, size));
		/* Discarded whole clusters read as zeros where the format
		 * can say so (no backing, or v3). */
		CHECK_EQ(block_discard(bs, 40 * cs, 3 * cs + 10), 0);
		if (!backing || compat == 3) {
			memset(shadow + 40 * cs, 0, 3 * cs);
		}
		CHECK_EQ(block_pread(bs, 40 * cs, back, 4 * cs), 0);
		CHECK(!memcmp(back, shadow + 40 * cs, 4 * cs));
		/* Freed clusters are reused by the next writes. */
		test_block_fill(shadow + 20 * cs, 8 * cs);
		CHECK_EQ(block_pwrite(bs, 20 * cs, shadow + 20 * cs, 8 * cs),
			 0);
		CHECK_EQ(block_pread(bs, 0, back, size), 0);
		CHECK(!memcmp(back, shadow, size));
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(path);
	test_block_qemu_compare(dir, path, shadow, size);
	free(shadow);
	free(back);
	test_block_rmdir(dir);
}

TEST(block_qcow2_zeroes_discard)
{
	test_block_zero_discard(3, false);
	test_block_zero_discard(3, true);
	test_block_zero_discard(2, false);
	test_block_zero_discard(2, true);
}

TEST(block_raw_zeroes_discard)
{
	struct block_create_opts o = { .size = 1 << 20, .size_given = true };
	char *dir = test_block_tmpdir(), path[128];
	uint8_t buf[8192], back[8192];
	struct block *bs;

	test_block_path(path, sizeof(path), dir, "r.raw");
	CHECK(block_create(path, "raw", &o, NULL));
	bs = block_open(path, "raw", BLOCK_RDWR, NULL);
	CHECK(bs);
	if (bs) {
		test_block_fill(buf, sizeof(buf));
		CHECK_EQ(block_pwrite(bs, 4096, buf, sizeof(buf)), 0);
		CHECK_EQ(block_pwrite_zeroes(bs, 4096 + 100, 5000), 0);
		memset(buf + 100, 0, 5000);
		CHECK_EQ(block_pread(bs, 4096, back, sizeof(back)), 0);
		CHECK(!memcmp(buf, back, sizeof(buf)));
		CHECK_EQ(block_discard(bs, 0, 1 << 20), 0);
		block_close(bs);
	}
	test_block_rmdir(dir);
}

struct test_block_thread {
	struct block *bs;
	uint64_t base, len;
	uint8_t seed;
	int errors;
};

static void *test_block_thread_fn(void *opaque)
{
	struct test_block_thread *t = opaque;
	uint8_t buf[3000], back[3000];

	for (uint64_t off = t->base; off + sizeof(buf) <= t->base + t->len;
	     off += sizeof(buf)) {
		memset(buf, t->seed + (uint8_t)(off / sizeof(buf)),
		       sizeof(buf));
		if (block_pwrite(t->bs, off, buf, sizeof(buf)) ||
		    block_pread(t->bs, off, back, sizeof(back)) ||
		    memcmp(buf, back, sizeof(buf))) {
			t->errors++;
		}
		/* Odd threads free clusters as they go, while the others
		 * read and write theirs outside the lock. */
		if ((t->seed & 1) && (off / sizeof(buf)) % 3 == 0) {
			memset(buf, 0, sizeof(buf));
			if (block_pwrite_zeroes(t->bs, off, sizeof(buf)) ||
			    block_discard(t->bs, off & ~4095ull, 8192) ||
			    block_pread(t->bs, off, back, sizeof(back)) ||
			    memcmp(back, buf, sizeof(buf))) {
				t->errors++;
			}
		}
	}
	return NULL;
}

TEST(block_qcow2_threads)
{
	struct block_create_opts o = { .size = 4 << 20,
				       .size_given = true,
				       .cluster_size = 4096 };
	char *dir = test_block_tmpdir(), path[128];
	struct test_block_thread t[4];
	pthread_t th[4];
	struct block *bs;

	test_block_path(path, sizeof(path), dir, "t.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	for (int i = 0; bs && i < 4; i++) {
		t[i] = (struct test_block_thread){ bs, (uint64_t)i << 20,
						   1 << 20, (uint8_t)(i * 51),
						   0 };
		pthread_create(&th[i], NULL, test_block_thread_fn, &t[i]);
	}
	for (int i = 0; bs && i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ(t[i].errors, 0);
	}
	if (bs) {
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(path);
	test_block_rmdir(dir);
}

/* Write a header over a fresh image and expect open to fail with msg. */
static void test_block_bad_header(const char *dir, size_t at, const void *bytes,
				  size_t len, const char *msg)
{
	struct block_create_opts o = { .size = 1 << 20, .size_given = true };
	struct error *err = NULL;
	char path[128];
	struct block *bs;
	int fd;

	test_block_path(path, sizeof(path), dir, "h.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && pwrite(fd, bytes, len, at) == (ssize_t)len);
	close(fd);
	bs = block_open(path, "qcow2", 0, &err);
	CHECK(!bs);
	if (!bs) {
		CHECK(err && strstr(error_get_message(err), msg));
		if (err && !strstr(error_get_message(err), msg)) {
			fprintf(stderr, "  got: %s\n", error_get_message(err));
		}
	}
	error_free(err);
	block_close(bs);
}

TEST(block_qcow2_hostile_headers)
{
	char *dir = test_block_tmpdir();
	uint8_t be[8];

	test_block_bad_header(dir, 0, "QFI\x00", 4, "bad magic");
	qcow2_put_be32(be, 4);
	test_block_bad_header(dir, 4, be, 4, "version 4");
	qcow2_put_be32(be, 22);
	test_block_bad_header(dir, 20, be, 4, "cluster size");
	qcow2_put_be32(be, 0);
	test_block_bad_header(dir, 36, be, 4, "too small");
	qcow2_put_be32(be, 0x10000000);
	test_block_bad_header(dir, 36, be, 4, "too large");
	qcow2_put_be64(be, 1ull << 40);
	test_block_bad_header(dir, 40, be, 8, "L1 table offset");
	qcow2_put_be64(be, 1ull << 5);
	test_block_bad_header(dir, 72, be, 8, "feature");
	/* A virtual size the L1 table cannot map. */
	qcow2_put_be64(be, 1ull << 50);
	test_block_bad_header(dir, 24, be, 8, "too small");
	/* An L1 table on top of the refcount table (cluster 1). */
	qcow2_put_be64(be, 65536);
	test_block_bad_header(dir, 40, be, 8, "overlap");
	/* A refcount table past the end of the file. */
	qcow2_put_be64(be, 1ull << 40);
	test_block_bad_header(dir, 48, be, 8, "refcount table offset");
	qcow2_put_be32(be, 1);
	test_block_bad_header(dir, 32, be, 4, "encrypted");
	test_block_rmdir(dir);
}

TEST(block_raw_basic)
{
	struct block_create_opts o = { .size = 1 << 20, .size_given = true };
	char *dir = test_block_tmpdir(), path[128];
	uint8_t buf[1000], back[1000];
	struct block *bs;
	uint64_t pnum;
	int st;

	test_block_path(path, sizeof(path), dir, "r.raw");
	CHECK(block_create(path, "raw", &o, NULL));
	CHECK_STR(block_probe_format(path, NULL), "raw");
	bs = block_open(path, NULL, BLOCK_RDWR | BLOCK_WRITETHROUGH, NULL);
	CHECK(bs);
	if (bs) {
		st = block_get_status(bs, 0, 1 << 20, &pnum, NULL);
		CHECK(st & BLOCK_STATUS_ZERO);
		test_block_fill(buf, sizeof(buf));
		CHECK_EQ(block_pwrite(bs, 4096 * 3 + 7, buf, sizeof(buf)), 0);
		CHECK_EQ(block_pread(bs, 4096 * 3 + 7, back, sizeof(back)), 0);
		CHECK(!memcmp(buf, back, sizeof(buf)));
		CHECK(block_resize(bs, 2 << 20, NULL));
		CHECK_EQ(block_size(bs), 2 << 20);
		block_close(bs);
	}
	test_block_rmdir(dir);
}

/* Locks as QEMU takes them: qemu-img sees ours, we see qemu-io's. */
TEST(block_image_locking)
{
	struct block_create_opts o = { .size = 1 << 20, .size_given = true };
	char *dir = test_block_tmpdir(), path[128], cmd[256];
	struct error *err = NULL;
	struct block *bs, *other;

	test_block_path(path, sizeof(path), dir, "l.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	/* A second writer, or a reader, is refused while we write. */
	other = block_open(path, "qcow2", 0, &err);
	CHECK(!other);
	CHECK(err && strstr(error_get_message(err), "lock"));
	error_free(err);
	block_close(other);
	other = block_open(path, "qcow2", BLOCK_FORCE_SHARE, NULL);
	CHECK(other);
	block_close(other);
	CHECK(!block_create(path, "qcow2", &o, NULL));
	if (!access("/usr/bin/qemu-img", X_OK)) {
		snprintf(cmd, sizeof(cmd),
			 "/usr/bin/qemu-img info '%s' >/dev/null 2>&1", path);
		CHECK(system(cmd) != 0);
		block_close(bs);
		bs = NULL;
		CHECK_EQ(system(cmd), 0);
	}
	block_close(bs);
	/* Readers share with readers. */
	bs = block_open(path, "qcow2", 0, NULL);
	other = block_open(path, "qcow2", 0, NULL);
	CHECK(bs && other);
	block_close(bs);
	block_close(other);
	test_block_rmdir(dir);
}

TEST(block_cache_modes)
{
	int flags = BLOCK_RDWR;

	CHECK(block_parse_cache_mode("none", &flags, NULL));
	CHECK_EQ(flags, BLOCK_RDWR | BLOCK_NOCACHE);
	CHECK(block_parse_cache_mode("writethrough", &flags, NULL));
	CHECK_EQ(flags, BLOCK_RDWR | BLOCK_WRITETHROUGH);
	CHECK(block_parse_cache_mode("unsafe", &flags, NULL));
	CHECK_EQ(flags, BLOCK_RDWR | BLOCK_NO_FLUSH);
	CHECK(!block_parse_cache_mode("bogus", &flags, NULL));
}

/* One random request on bs and the shadow copy of what it should read. */
static void test_block_random_op(struct block *bs, uint8_t *shadow,
				 uint64_t size, uint64_t cs)
{
	uint64_t off = test_block_rand() % size;
	uint64_t n = 1 + test_block_rand() % (3 * cs);

	n = n > size - off ? size - off : n;
	switch (test_block_rand() % 4) {
	case 0:
	case 1:
		test_block_fill(shadow + off, n);
		CHECK_EQ(block_pwrite(bs, off, shadow + off, n), 0);
		break;
	case 2:
		memset(shadow + off, 0, n);
		CHECK_EQ(block_pwrite_zeroes(bs, off, n), 0);
		break;
	default:
		off -= off % cs;
		n = cs < size - off ? cs : size - off;
		test_block_fill(shadow + off, n);
		memset(shadow + off, 0x11, n / 2);
		if (block_get_status(bs, off, n, &n, NULL) &
		    BLOCK_STATUS_ALLOCATED) {
			/* Compressed writes go to unwritten clusters only. */
			n = cs < size - off ? cs : size - off;
			CHECK_EQ(block_pwrite(bs, off, shadow + off, n), 0);
		} else {
			n = cs < size - off ? cs : size - off;
			CHECK_EQ(block_pwrite_compressed(bs, off, shadow + off,
							 n),
				 0);
		}
		break;
	}
}

static void test_block_expect(struct block *bs, const uint8_t *shadow,
			      uint64_t size)
{
	uint8_t *back = malloc(size);

	CHECK_EQ(block_pread(bs, 0, back, size), 0);
	CHECK(!memcmp(back, shadow, size));
	free(back);
}

/* Snapshots taken between random writes read back as they were. */
TEST(block_qcow2_snapshots)
{
	const uint64_t cs = 4096, size = 300 * 1024;
	struct block_create_opts o = { .size = size,
				       .size_given = true,
				       .cluster_size = cs };
	char *dir = test_block_tmpdir(), path[128], name[16];
	uint8_t *shadow = calloc(4, size);
	struct block_snapshot_info *list;
	struct block *bs;

	test_block_path(path, sizeof(path), dir, "s.qcow2");
	CHECK(block_create(path, "qcow2", &o, NULL));
	bs = block_open(path, "qcow2", BLOCK_RDWR, NULL);
	CHECK(bs);
	for (int snap = 0; bs && snap < 4; snap++) {
		for (int i = 0; i < 12; i++) {
			test_block_random_op(bs, shadow + snap * size, size,
					     cs);
		}
		snprintf(name, sizeof(name), "snap%d", snap);
		CHECK_EQ(block_snapshot(bs, BLOCK_SNAPSHOT_CREATE, name), 0);
		test_block_check_clean(bs);
		if (snap < 3) {
			memcpy(shadow + (snap + 1) * size, shadow + snap * size,
			       size);
		}
	}
	if (bs) {
		CHECK_EQ(block_snapshot_list(bs, &list), 4);
		CHECK(!strcmp(list[2].id, "3") &&
		      !strcmp(list[2].name, "snap2"));
		block_snapshot_list_free(list, 4);
		CHECK_EQ(block_snapshot(bs, BLOCK_SNAPSHOT_APPLY, "nope"),
			 -ENOENT);
	}
	for (int snap = 3; bs && snap >= 0; snap--) {
		snprintf(name, sizeof(name), "snap%d", snap);
		CHECK_EQ(block_snapshot(bs, BLOCK_SNAPSHOT_APPLY, name), 0);
		test_block_expect(bs, shadow + snap * size, size);
		test_block_check_clean(bs);
		/* A write beside the snapshot leaves the snapshot alone. */
		test_block_random_op(bs, shadow, size, cs);
		test_block_check_clean(bs);
		CHECK_EQ(block_snapshot(bs, BLOCK_SNAPSHOT_APPLY, name), 0);
		test_block_expect(bs, shadow + snap * size, size);
		CHECK_EQ(block_snapshot(bs, BLOCK_SNAPSHOT_DELETE, name), 0);
		test_block_check_clean(bs);
	}
	if (bs) {
		CHECK_EQ(block_snapshot_list(bs, &list), 0);
		block_snapshot_list_free(list, 0);
		block_close(bs);
	}
	test_block_qemu_check(path);
	test_block_qemu_compare(dir, path, shadow, size);
	free(shadow);
	test_block_rmdir(dir);
}

/* Rebase's header rewrite: new names, the other extensions kept. */
TEST(block_qcow2_change_backing)
{
	struct block_create_opts o = { .size = 1 << 20, .size_given = true };
	char *dir = test_block_tmpdir(), base[128], top[128];
	struct block_info info;
	struct block *bs;

	test_block_path(base, sizeof(base), dir, "base.qcow2");
	test_block_path(top, sizeof(top), dir, "top.qcow2");
	CHECK(block_create(base, "qcow2", &o, NULL));
	o.backing_file = "base.qcow2";
	CHECK(block_create(top, "qcow2", &o, NULL));
	bs = block_open(top, "qcow2", BLOCK_RDWR | BLOCK_NO_BACKING, NULL);
	CHECK(bs);
	if (bs) {
		CHECK_EQ(block_change_backing(bs, "other-name.img", "raw"), 0);
		block_close(bs);
	}
	bs = block_open(top, "qcow2", BLOCK_NO_BACKING, NULL);
	CHECK(bs);
	if (bs) {
		block_get_info(bs, &info);
		CHECK(info.backing_file &&
		      !strcmp(info.backing_file, "other-name.img"));
		CHECK(info.backing_format &&
		      !strcmp(info.backing_format, "raw"));
		block_close(bs);
	}
	bs = block_open(top, "qcow2", BLOCK_RDWR | BLOCK_NO_BACKING, NULL);
	if (bs) {
		CHECK_EQ(block_change_backing(bs, "", NULL), 0);
		block_close(bs);
	}
	bs = block_open(top, "qcow2", 0, NULL);
	CHECK(bs);
	if (bs) {
		block_get_info(bs, &info);
		CHECK(!info.backing_file && !block_backing(bs));
		test_block_check_clean(bs);
		block_close(bs);
	}
	test_block_qemu_check(top);
	test_block_rmdir(dir);
}
