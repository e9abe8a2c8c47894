/* SPDX-License-Identifier: MIT */
/* A CPU-bound riscv64 guest program for bench-interp: integer loops, memcpy,
 * a sort and CRC-32, freestanding (no libc), printing one checksum. */
#include <stddef.h>
#include <stdint.h>

#define BUF_SIZE (64 * 1024)
#define SORT_N 20000

static uint8_t src[BUF_SIZE], dst[BUF_SIZE];
static uint32_t numbers[SORT_N];
static uint32_t crc_table[256];

static long sys_call3(long nr, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a7)
			 : "memory");
	return r_a0;
}

static void copy(void *to, const void *from, size_t n)
{
	uint64_t *d = to;
	const uint64_t *s = from;

	for (size_t i = 0; i < n / 8; i++) {
		d[i] = s[i];
	}
}

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++) {
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		}
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	}
	return ~crc;
}

static void sort(uint32_t *a, long lo, long hi)
{
	while (lo < hi) {
		uint32_t pivot = a[(lo + hi) / 2];
		long i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot) {
				i++;
			}
			while (a[j] > pivot) {
				j--;
			}
			if (i <= j) {
				uint32_t t = a[i];

				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (j - lo < hi - i) {
			sort(a, lo, j);
			lo = i;
		} else {
			sort(a, i, hi);
			hi = j;
		}
	}
}

static uint64_t collatz(uint64_t limit)
{
	uint64_t total = 0;

	for (uint64_t n = 1; n < limit; n++) {
		uint64_t x = n;

		while (x != 1) {
			x = (x & 1) ? 3 * x + 1 : x / 2;
			total++;
		}
	}
	return total;
}

static void put_hex(uint64_t v)
{
	char buf[17];

	for (int i = 15; i >= 0; i--) {
		buf[i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	}
	buf[16] = '\n';
	sys_call3(64, 1, (long)buf, 17);
}

int main(void)
{
	uint64_t sum = 0, seed = 12345;
	uint32_t crc = 0;

	crc_init();
	for (size_t i = 0; i < BUF_SIZE; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		src[i] = seed >> 56;
	}
	for (int round = 0; round < 40; round++) {
		copy(dst, src, BUF_SIZE);
		dst[round] ^= round;
		crc = crc32(dst, BUF_SIZE, crc);
	}
	for (int round = 0; round < 6; round++) {
		for (int i = 0; i < SORT_N; i++) {
			seed = seed * 6364136223846793005ull + 1;
			numbers[i] = seed >> 33;
		}
		sort(numbers, 0, SORT_N - 1);
		sum += numbers[SORT_N / 2];
	}
	sum += collatz(200000);
	put_hex(sum ^ crc);
	return 0;
}

__asm__(".globl _start\n"
	"_start:\n"
	"	.option push\n"
	"	.option norelax\n"
	"	la gp, __global_pointer$\n"
	"	.option pop\n"
	"	call main\n"
	"	li a7, 93\n"
	"	ecall\n");
