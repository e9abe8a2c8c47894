/* SPDX-License-Identifier: MIT */
/* Signals: handlers, siginfo, masks, SA_RESTART, SIGSEGV recovery with
 * siglongjmp, sigaltstack, nesting, SA_RESETHAND, SIGCHLD. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>

static volatile sig_atomic_t count, last_code, nested, depth, max_depth;
static sigjmp_buf jump;
static volatile void *fault_addr;
static char altstack[65536];
static volatile uintptr_t fault_null = 16;
static volatile int on_alt;

static void handler(int sig, siginfo_t *info, void *uc)
{
	count++;
	last_code = info->si_code;
	(void)uc;
	(void)sig;
}

static void segv(int sig, siginfo_t *info, void *uc)
{
	fault_addr = info->si_addr;
	last_code = info->si_code;
	stack_t ss;
	sigaltstack(NULL, &ss);
	on_alt = (ss.ss_flags & SS_ONSTACK) != 0;
	siglongjmp(jump, sig);
}

static void nest(int sig)
{
	depth++;
	if (depth > max_depth) {
		max_depth = depth;
	}
	if (sig == SIGUSR1) {
		raise(SIGUSR2);
	}
	depth--;
	nested++;
}

static void alarm_handler(int sig)
{
	count++;
}

static void fp_handler(int sig, siginfo_t *info, void *ucv)
{
	/* clobber FP registers in the handler; the interrupted code must not see it */
	volatile double x = 1.5;
	for (int i = 0; i < 10; i++) {
		x = x * 3.25 + 1.0;
	}
	count += x > 0;
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, old;
	int fds[2];
	char buf[16];

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	printf("raise: count %d code %s\n", count,
	       last_code == SI_TKILL ? "SI_TKILL" : "other");
	kill(getpid(), SIGUSR1);
	printf("kill: count %d code %s\n", count,
	       last_code == SI_USER ? "SI_USER" : "other");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	raise(SIGUSR1);
	printf("blocked: count %d\n", count);
	sigpending(&set);
	printf("pending %d\n", sigismember(&set, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: count %d\n", count);

	/* SA_RESTART: a read interrupted by SIGALRM continues */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = alarm_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	pipe(fds);
	if (fork() == 0) {
		usleep(300000);
		write(fds[1], "late", 4);
		_exit(0);
	}
	count = 0;
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	ssize_t n = read(fds[0], buf, sizeof(buf));
	printf("restarted read %zd '%.4s' alarms %d\n", n, buf, count);
	wait(NULL);

	/* without SA_RESTART the read fails with EINTR; the timer repeats so
	 * that a tick landing before read() starts cannot leave it blocked */
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval periodic = { { 0, 50000 }, { 0, 50000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &periodic, NULL);
	n = read(fds[0], buf, sizeof(buf));
	setitimer(ITIMER_REAL, &off, NULL);
	printf("interrupted read %zd eintr %d\n", n, n < 0 && errno == EINTR);

	/* many short timers, each must interrupt a blocking read */
	int interrupted = 0;
	struct itimerval shortit = { { 0, 300 }, { 0, 300 } };
	setitimer(ITIMER_REAL, &shortit, NULL);
	for (int i = 0; i < 200; i++) {
		if (read(fds[0], buf, sizeof(buf)) < 0 && errno == EINTR) {
			interrupted++;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	printf("interrupted reads %d\n", interrupted);

	/* SIGSEGV recovered with siglongjmp, on an alternate stack */
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	char *page =
		mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		page[100] = 1;
		printf("no fault?\n");
	} else {
		printf("caught %d at page+%ld code %s altstack %d\n", sig,
		       (long)((char *)fault_addr - page),
		       last_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other",
		       on_alt);
	}
	munmap(page, 4096);
	sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		*(volatile int *)(page + 8) = 1;
	} else {
		printf("caught %d at page+%ld code %s\n", sig,
		       (long)((char *)fault_addr - page),
		       last_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
	}
	sig = sigsetjmp(jump, 1);
	if (sig == 0) {
		*(volatile int *)(uintptr_t)fault_null = 1;
	} else {
		printf("null page fault at %p\n", (void *)fault_addr);
	}

	/* nesting: USR1's handler raises USR2 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nest;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR1);
	printf("nested %d max depth %d\n", nested, max_depth);

	/* SA_RESETHAND: the second one takes the default (ignored here) */
	sa.sa_handler = nest;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGWINCH, &sa, NULL);
	raise(SIGWINCH);
	raise(SIGWINCH);
	sigaction(SIGWINCH, NULL, &sa);
	printf("resethand nested %d default now %d\n", nested,
	       sa.sa_handler == SIG_DFL);

	/* SIGCHLD */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	count = 0;
	if (fork() == 0) {
		_exit(3);
	}
	int status;
	while (wait(&status) < 0) {
	}
	usleep(10000);
	printf("sigchld count %d code %s\n", count,
	       last_code == CLD_EXITED ? "CLD_EXITED" : "other");

	/* FP state survives a handler */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fp_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	volatile double v = 2.0;
	double acc = 0;
	for (int i = 0; i < 1000; i++) {
		acc += v * i;
		if (i == 500) {
			raise(SIGUSR1);
		}
	}
	printf("fp acc %.1f\n", acc);

	/* sigsuspend */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = alarm_handler;
	sigaction(SIGUSR2, &sa, NULL);
	count = 0;
	if (fork() == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	sigemptyset(&set);
	int r = sigsuspend(&set);
	printf("sigsuspend %d count %d\n", r, count);
	wait(NULL);
	sigprocmask(SIG_BLOCK, NULL, &set);
	printf("mask restored %d\n", sigismember(&set, SIGUSR2));
	signal(SIGTERM, SIG_DFL);
	printf("dying by SIGTERM\n");
	raise(SIGTERM);
	return 0;
}
