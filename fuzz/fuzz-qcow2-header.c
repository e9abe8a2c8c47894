/* SPDX-License-Identifier: MIT */
/* Fuzz target: any bytes as a qcow2 image: read, write, snapshot, check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "block/block.h"

static void fuzz_qcow2_read_all(struct block *bs)
{
	static uint8_t buf[65536];
	uint64_t size = block_size(bs), off = 0;
	int steps = 0;

	/* Bounded: a hostile header may claim an exabyte. */
	while (off < size && steps++ < 64) {
		uint64_t n =
			size - off < sizeof(buf) ? size - off : sizeof(buf);
		uint64_t pnum = 0;

		block_pread(bs, off, buf, n);
		if (block_get_status(bs, off, n, &pnum, NULL) < 0 || !pnum) {
			pnum = n;
		}
		off += pnum > n ? pnum : n;
	}
	if (size > 4096) {
		block_pread(bs, size - 4096, buf, 4096);
		block_pread(bs, size / 2 - 100, buf, 200);
	}
}

/* Internal snapshots: the table, refcounts of every L1 path, COPIED. */
static void fuzz_qcow2_snapshots(struct block *bs)
{
	static const uint8_t pattern[700] = { 0x5a };
	struct block_snapshot_info *list = NULL;
	int n = block_snapshot_list(bs, &list);

	if (n >= 0) {
		block_snapshot_list_free(list, n);
	}
	block_snapshot(bs, BLOCK_SNAPSHOT_CREATE, "fuzz");
	block_snapshot(bs, BLOCK_SNAPSHOT_APPLY, "1");
	if (block_size(bs) > sizeof(pattern)) {
		block_pwrite(bs, 0, pattern, sizeof(pattern));
	}
	block_snapshot(bs, BLOCK_SNAPSHOT_DELETE, "fuzz");
	block_snapshot(bs, BLOCK_SNAPSHOT_DELETE, "1");
}

/* Header rewrites: rebase's backing name, amend's versions. */
static void fuzz_qcow2_header_rewrites(struct block *bs)
{
	struct block_amend_opts down = { .compat = 2, .lazy_refcounts = -1 };
	struct block_amend_opts up = { .compat = 3, .lazy_refcounts = 1 };

	block_change_backing(bs, "fuzz-backing.img", "raw");
	block_amend(bs, &down, NULL);
	block_amend(bs, &up, NULL);
	block_change_backing(bs, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct block_check_result res;
	uint8_t pattern[3000];
	struct block *bs;
	char path[64];
	int fd;

	fd = memfd_create("fuzz-qcow2", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0) {
			close(fd);
		}
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	bs = block_open(path, "qcow2", BLOCK_NO_BACKING, NULL);
	if (bs) {
		fuzz_qcow2_read_all(bs);
		block_close(bs);
	}
	/* Writes, then a check: allocation on hostile metadata. */
	bs = block_open(path, "qcow2", BLOCK_RDWR | BLOCK_NO_BACKING, NULL);
	if (bs && block_size(bs) > sizeof(pattern) * 2) {
		memset(pattern, 0xa5, sizeof(pattern));
		block_pwrite(bs, 1000, pattern, sizeof(pattern));
		block_pwrite(bs, block_size(bs) / 3, pattern, sizeof(pattern));
		block_pwrite_zeroes(bs, 512, block_size(bs) / 2);
		block_discard(bs, block_size(bs) / 4, block_size(bs) / 2);
		block_pread(bs, 0, pattern, sizeof(pattern));
	}
	if (bs) {
		fuzz_qcow2_snapshots(bs);
		fuzz_qcow2_header_rewrites(bs);
		block_close(bs);
	}
	bs = block_open(path, "qcow2", BLOCK_NO_BACKING, NULL);
	if (bs) {
		block_check(bs, &res, 0);
		block_close(bs);
	}
	/* check -r all rewrites refcounts of whatever it was given. */
	bs = block_open(path, "qcow2",
			BLOCK_RDWR | BLOCK_REPAIR | BLOCK_NO_BACKING, NULL);
	if (bs) {
		block_check(bs, &res, BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS);
		block_close(bs);
	}
	close(fd);
	return 0;
}
