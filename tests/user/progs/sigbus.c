/* SPDX-License-Identifier: MIT */
/* A file mapping touched past the end of its file raises SIGBUS; after
 * the file grows the same page is ordinary memory, and when the file
 * shrinks under a page in use, touching it raises SIGBUS again. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf jump;
static volatile int code;

static void on_bus(int sig, siginfo_t *info, void *uc)
{
	code = info->si_code;
	siglongjmp(jump, sig);
}

int main(void)
{
	char path[] = "/tmp/mimic-sigbus-XXXXXX";
	int fd = mkstemp(path);
	struct sigaction sa;
	volatile char *map;
	int sig;

	setvbuf(stdout, NULL, _IONBF, 0);
	unlink(path);
	write(fd, "0123456789", 10);
	map = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("first page '%.10s'\n", (const char *)map);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_bus;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		map[4096 + 5] = 1;
		printf("no signal?\n");
	} else {
		printf("signal %d code %s\n", sig,
		       code == BUS_ADRERR ? "BUS_ADRERR" : "other");
	}
	ftruncate(fd, 3 * 4096);
	map[4096 + 5] = 'x';
	printf("after growing: %d\n", map[4096 + 5]);
	/* The page was in use (and cached by the emulator) when the file
	 * shrank under it: the next touch still raises SIGBUS. */
	ftruncate(fd, 10);
	code = 0;
	sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		map[4096 + 5] = 2;
		printf("no signal after shrinking?\n");
	} else {
		printf("after shrinking: signal %d code %s\n", sig,
		       code == BUS_ADRERR ? "BUS_ADRERR" : "other");
	}
	sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		printf("read after shrinking: %d\n", map[4096 + 5]);
	} else {
		printf("read after shrinking: signal %d\n", sig);
	}
	ftruncate(fd, 3 * 4096);
	map[4096 + 5] = 'y';
	printf("after growing again: %d\n", map[4096 + 5]);
	/* a system call reading past the end gets EFAULT */
	ftruncate(fd, 10);
	printf("write from past the end %zd\n",
	       write(1, (const char *)map + 2 * 4096, 1));
	return 0;
}
