/* SPDX-License-Identifier: MIT */
/* Every division instruction on the edge cases RISC-V defines (by zero,
 * the signed overflow by -1, 32-bit operands in 64-bit registers). */
#include <stdint.h>
#include <stdio.h>

static const int64_t values[] = {
	0,
	1,
	-1,
	2,
	-2,
	7,
	-7,
	INT64_MIN,
	INT64_MAX,
	INT32_MIN,
	INT32_MAX,
	0xffffffffll,
	1ll << 32,
	-0x80000001ll,
	12345678901ll,
};

int main(void)
{
	unsigned n = sizeof(values) / sizeof(values[0]);
	uint64_t hash = 0;

	for (unsigned i = 0; i < n; i++) {
		for (unsigned j = 0; j < n; j++) {
			int64_t a = values[i], b = values[j], r[8];

			__asm__ volatile("div %0, %8, %9\n\t"
					 "divu %1, %8, %9\n\t"
					 "rem %2, %8, %9\n\t"
					 "remu %3, %8, %9\n\t"
					 "divw %4, %8, %9\n\t"
					 "divuw %5, %8, %9\n\t"
					 "remw %6, %8, %9\n\t"
					 "remuw %7, %8, %9"
					 : "=&r"(r[0]), "=&r"(r[1]),
					   "=&r"(r[2]), "=&r"(r[3]),
					   "=&r"(r[4]), "=&r"(r[5]),
					   "=&r"(r[6]), "=&r"(r[7])
					 : "r"(a), "r"(b));
			for (int k = 0; k < 8; k++) {
				hash = hash * 31 + (uint64_t)r[k];
			}
			printf("%u %u: %llx %llx %llx %llx %llx %llx %llx %llx\n",
			       i, j, (unsigned long long)r[0],
			       (unsigned long long)r[1],
			       (unsigned long long)r[2],
			       (unsigned long long)r[3],
			       (unsigned long long)r[4],
			       (unsigned long long)r[5],
			       (unsigned long long)r[6],
			       (unsigned long long)r[7]);
		}
	}
	printf("hash %llx\n", (unsigned long long)hash);
	return 0;
}
