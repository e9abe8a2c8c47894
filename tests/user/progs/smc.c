/* SPDX-License-Identifier: MIT */
/* Self-modifying code: write a function, run it hot, rewrite it in place
 * (made visible with fence.i or the flush-icache call), map new code at the
 * same address, and check every result. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define RET 0x00008067u /* jalr zero, 0(ra) */

/* addi a0, a0, imm */
static uint32_t addi_a0(int imm)
{
	return ((uint32_t)(imm & 0xfff) << 20) | (10u << 15) | (10u << 7) |
	       0x13;
}

/* slli a0, a0, sh */
static uint32_t slli_a0(int sh)
{
	return ((uint32_t)sh << 20) | (10u << 15) | (1u << 12) | (10u << 7) |
	       0x13;
}

typedef long fn_t(long);

static long run_hot(fn_t *fn, int n)
{
	long sum = 0;

	for (int i = 0; i < n; i++) {
		sum += fn(i);
	}
	return sum;
}

static int check(const char *what, long got, long want)
{
	printf("%s: %ld%s\n", what, got, got == want ? "" : " WRONG");
	return got != want;
}

int main(void)
{
	uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fn_t *fn = (fn_t *)(uintptr_t)code;
	int bad = 0;
	char name[64];

	if (code == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (int round = 0; round < 40; round++) {
		code[0] = addi_a0(round);
		code[1] = RET;
		if (round & 1) {
			__asm__ volatile("fence.i" ::: "memory");
		} else {
			__builtin___clear_cache((char *)code,
						(char *)(code + 2));
		}
		snprintf(name, sizeof(name), "round %d", round);
		/* sum of (i + round) for i < 1000 */
		bad |= check(name, run_hot(fn, 1000), 499500 + 1000L * round);
	}
	/* A longer body rewritten in the middle. */
	code[0] = addi_a0(1);
	code[1] = slli_a0(2);
	code[2] = RET;
	__builtin___clear_cache((char *)code, (char *)(code + 3));
	bad |= check("(x+1)<<2", run_hot(fn, 100), 4 * 5050L);
	code[1] = slli_a0(3);
	__builtin___clear_cache((char *)code, (char *)(code + 3));
	bad |= check("(x+1)<<3", run_hot(fn, 100), 8 * 5050L);
	/* New code mapped at the same address. */
	munmap(code, 4096);
	code = mmap(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (code == MAP_FAILED) {
		perror("mmap fixed");
		return 2;
	}
	code[0] = addi_a0(-7);
	code[1] = RET;
	__builtin___clear_cache((char *)code, (char *)(code + 2));
	bad |= check("remapped", run_hot(fn, 100), 4950 - 700L);
	printf("%s\n", bad ? "FAIL" : "ok");
	return bad;
}
