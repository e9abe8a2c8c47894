/* SPDX-License-Identifier: MIT */
/* Pipes, fork, exec of a host program, wait statuses. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int fds[2], status;
	char buf[128];
	pid_t pid;
	ssize_t n;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("pipe %d\n", pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		write(fds[1], "from child", 10);
		_exit(7);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf));
	printf("parent read %zd '%.*s'\n", n, (int)n, buf);
	waitpid(pid, &status, 0);
	printf("child exited %d status %d\n", WIFEXITED(status),
	       WEXITSTATUS(status));

	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	printf("child signaled %d sig %d\n", WIFSIGNALED(status),
	       WTERMSIG(status));

	/* exec a host program with its output through a pipe */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl("/bin/echo", "echo", "exec", "works", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf));
	printf("echo said %.*s", (int)n, buf);
	waitpid(pid, &status, 0);
	printf("echo status %d\n", WEXITSTATUS(status));

	pid = fork();
	if (pid == 0) {
		execl("/nonexistent", "x", (char *)NULL);
		_exit(42);
	}
	waitpid(pid, &status, 0);
	printf("failed exec status %d\n", WEXITSTATUS(status));

	/* many children */
	for (int i = 0; i < 10; i++) {
		if (fork() == 0) {
			_exit(i);
		}
	}
	int sum = 0;
	for (int i = 0; i < 10; i++) {
		wait(&status);
		sum += WEXITSTATUS(status);
	}
	printf("sum of statuses %d\n", sum);
	printf("wait no child %d\n", wait(&status));
	int r = system("exit 3");
	printf("system %d\n", WEXITSTATUS(r));
	return 0;
}
