/* SPDX-License-Identifier: MIT */
/* Executes an illegal instruction: must die of SIGILL. */
#include <stdio.h>

int main(void)
{
	printf("before\n");
	fflush(stdout);
	__asm__ volatile(".word 0");
	printf("after\n");
	return 0;
}
