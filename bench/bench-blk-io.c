/* SPDX-License-Identifier: MIT */
/* bench-blk-io: the guest side of bench-blk (cross-built for riscv64):
 * 4 KiB direct I/O on a block device, sequential or random, timed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BS 4096

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t state = 0x9e3779b97f4a7c15ull, blocks;
	int write, random, fd;
	long count;
	double t0, dt;
	void *buf;
	off_t size;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DEV seq|rand read|write COUNT\n",
			argv[0]);
		return 2;
	}
	random = !strcmp(argv[2], "rand");
	write = argv[3][0] == 'w';
	count = atol(argv[3] + strcspn(argv[3], "0123456789"));
	fd = open(argv[1], (write ? O_RDWR : O_RDONLY) | O_DIRECT);
	if (fd < 0 || posix_memalign(&buf, BS, BS)) {
		perror(argv[1]);
		return 1;
	}
	memset(buf, 0x5a, BS);
	size = lseek(fd, 0, SEEK_END);
	blocks = size / BS;
	t0 = now();
	for (long i = 0; i < count; i++) {
		uint64_t blk = i % blocks;
		ssize_t n;

		if (random) {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			blk = state % blocks;
		}
		n = write ? pwrite(fd, buf, BS, blk * BS) :
			    pread(fd, buf, BS, blk * BS);
		if (n != BS) {
			perror("io");
			return 1;
		}
	}
	if (write && fdatasync(fd)) {
		perror("fdatasync");
		return 1;
	}
	dt = now() - t0;
	printf("RESULT %s-%s %.1f IOPS %.2f MB/s\n", argv[2],
	       write ? "write" : "read", count / dt, count * BS / dt / 1e6);
	return 0;
}
