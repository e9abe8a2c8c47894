/* SPDX-License-Identifier: MIT */
/* A user-mode program that faults, for the gdb signal tests. */
#include <stdio.h>

int *volatile ptr;

int main(void)
{
	puts("before");
	fflush(stdout);
	*ptr = 42;
	puts("after");
	return 0;
}
