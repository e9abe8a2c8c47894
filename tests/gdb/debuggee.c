/* SPDX-License-Identifier: MIT */
/* A user-mode program for the gdb tests: a function to break in, a table
 * to read, a counter to watch and an exit code to check. */
#include <stdio.h>

int counter;
long table[4] = { 10, 20, 30, 40 };

__attribute__((noinline)) long add(long a, long b)
{
	long sum = a + b;

	counter++;
	return sum * 2;
}

int main(void)
{
	long total = 0;

	for (int i = 0; i < 4; i++) {
		total += add(table[i], i);
	}
	printf("total %ld counter %d\n", total, counter);
	return (int)(total & 0x3f);
}
