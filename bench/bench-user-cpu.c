/* SPDX-License-Identifier: MIT */
/* A CPU-bound riscv64 program for bench/bench-user: integer hashing, a
 * sieve, qsort, a floating-point matrix product and string work. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_loop(unsigned rounds)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (unsigned i = 0; i < rounds; i++) {
		h ^= i;
		h *= 0x100000001b3ull;
		h = (h << 13) | (h >> 51);
	}
	return h;
}

static unsigned sieve(unsigned n)
{
	char *composite = calloc(n + 1, 1);
	unsigned count = 0;

	for (unsigned i = 2; i <= n; i++) {
		if (!composite[i]) {
			count++;
			for (unsigned long j = (unsigned long)i * i; j <= n;
			     j += i) {
				composite[j] = 1;
			}
		}
	}
	free(composite);
	return count;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t sort_test(unsigned n)
{
	uint32_t *v = malloc(n * sizeof(*v)), seed = 12345, sum = 0;

	for (unsigned i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = seed;
	}
	qsort(v, n, sizeof(*v), cmp_u32);
	for (unsigned i = 0; i < n; i += 97) {
		sum += v[i];
	}
	free(v);
	return sum;
}

static double matmul(unsigned n)
{
	double *a = malloc(n * n * sizeof(double));
	double *b = malloc(n * n * sizeof(double));
	double *c = calloc(n * n, sizeof(double)), trace = 0;

	for (unsigned i = 0; i < n * n; i++) {
		a[i] = (i % 17) * 0.25;
		b[i] = (i % 13) * 0.5;
	}
	for (unsigned i = 0; i < n; i++) {
		for (unsigned k = 0; k < n; k++) {
			for (unsigned j = 0; j < n; j++) {
				c[i * n + j] += a[i * n + k] * b[k * n + j];
			}
		}
	}
	for (unsigned i = 0; i < n; i++) {
		trace += c[i * n + i];
	}
	free(a);
	free(b);
	free(c);
	return trace;
}

static size_t strings(unsigned rounds)
{
	char buf[256];
	size_t total = 0;

	for (unsigned i = 0; i < rounds; i++) {
		snprintf(buf, sizeof(buf), "item-%u-%x-%s", i, i * 7,
			 i & 1 ? "odd" : "even");
		total += strlen(buf) + (strstr(buf, "odd") != NULL);
	}
	return total;
}

int main(int argc, char **argv)
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;

	printf("hash %016llx\n",
	       (unsigned long long)hash_loop(20000000 * scale));
	printf("primes %u\n", sieve(5000000 * scale));
	printf("sort %u\n", sort_test(500000 * scale));
	printf("matmul %.1f\n", matmul(160));
	printf("strings %zu\n", strings(300000 * scale));
	return 0;
}
