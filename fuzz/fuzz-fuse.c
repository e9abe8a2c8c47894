/* SPDX-License-Identifier: MIT */
/* libFuzzer target: FUSE requests into mimic-virtiofsd's file system. */
/*
 * Self-contained: it compiles the FUSE parser and the passthrough file
 * system into this one translation unit and serves a scratch directory
 * under /tmp, so every request a guest could send (valid or not) runs
 * against real system calls. Besides crashes, it checks that nothing is
 * ever created outside the scratch directory.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/virtiofsd/fs-io.c"
#include "tools/virtiofsd/fs-names.c"
#include "tools/virtiofsd/fs.c"
#include "tools/virtiofsd/fuse-req.c"
#include "tools/virtiofsd/inode.c"

static struct fs *fuzz_fs;
static uint8_t fuzz_out[(1 << 20) + 4096];
/* Requests arrive 8-byte aligned in the daemon (malloc'd buffers). */
static uint64_t fuzz_in[(1 << 20) / 8];

static char fuzz_dir[] = "/tmp/fuzz-fuse-XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	remove(path);
	return 0;
}

/* libFuzzer ends with exit(): leave no scratch tree behind. */
static void fuzz_cleanup(void)
{
	nftw(fuzz_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Requests that would fill the host's disk rather than test parsing. */
static bool fuzz_too_costly(const uint8_t *req, size_t len)
{
	const struct fuse_in_header *h = (const void *)req;
	const struct fuse_fallocate_in *fa = (const void *)(h + 1);

	return len >= sizeof(*h) + sizeof(*fa) && h->opcode == FUSE_FALLOCATE &&
	       (fa->length > (1 << 20) || fa->offset > (1ull << 40));
}

static void fuzz_init_fs(void)
{
	char *dir = fuzz_dir;
	struct fs_config cfg = { FS_CACHE_AUTO, false, true };
	int root, proc;
	struct {
		struct fuse_in_header h;
		struct fuse_init_in i;
	} init = { { sizeof(init), FUSE_INIT, 1, 0, 0, 0, 0, 0, 0 },
		   { 7, 38, 65536, 0xffffffff, 0xffffffff, { 0 } } };

	if (!mkdtemp(dir)) {
		abort();
	}
	atexit(fuzz_cleanup);
	root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	proc = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	fuzz_fs = fs_new(root, proc, &cfg);
	if (!fuzz_fs) {
		abort();
	}
	fs_handle(fuzz_fs, &init, sizeof(init), fuzz_out, sizeof(fuzz_out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;

	if (!fuzz_fs) {
		fuzz_init_fs();
	}
	/* The input may hold several requests back to back. */
	while (size) {
		uint32_t len = size;

		if (size >= sizeof(uint32_t)) {
			memcpy(&len, data, sizeof(len));
		}
		if (len == 0 || len > size) {
			len = size;
		}
		if (len > sizeof(fuzz_in)) {
			len = sizeof(fuzz_in);
		}
		memcpy(fuzz_in, data, len);
		if (fuzz_too_costly((const uint8_t *)fuzz_in, len)) {
			data += len;
			size -= len;
			continue;
		}
		n = fs_handle(fuzz_fs, fuzz_in, len, fuzz_out,
			      sizeof(fuzz_out));
		if (n > sizeof(fuzz_out)) {
			abort();
		}
		data += len;
		size -= len;
	}
	return 0;
}
