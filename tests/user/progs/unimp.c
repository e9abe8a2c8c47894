/* SPDX-License-Identifier: MIT */
/* Unknown system calls: ENOSYS every time (logged once with -d unimp). */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3; i++) {
		long r = syscall(1000, 1, 2, 3);

		printf("syscall 1000: %ld enosys %d\n", r, errno == ENOSYS);
	}
	printf("io_setup enosys %d\n",
	       syscall(SYS_io_setup, 1, NULL) < 0 && errno == ENOSYS);
	return 0;
}
