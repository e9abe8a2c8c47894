/* SPDX-License-Identifier: MIT */
/* Threads and signals: pthread_kill to one thread, per-thread masks,
 * sigwait, fork and exec from a thread, exit_group while threads run. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int hits[4];
static __thread int me;
static pthread_barrier_t barrier;

static void on_usr1(int sig)
{
	hits[me]++;
}

static void *target(void *arg)
{
	me = (int)(long)arg;
	pthread_barrier_wait(&barrier);
	/* wait to be signalled */
	while (!hits[me]) {
		usleep(1000);
	}
	return NULL;
}

static void *waiter(void *arg)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigwait(&set, &sig);
	return (void *)(long)sig;
}

static void *forker(void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/bin/echo", "echo", "exec from a thread's child",
		      (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	return (void *)(long)WEXITSTATUS(status);
}

static void *spinner(void *arg)
{
	for (;;) {
		usleep(1000);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3], w, f, s;
	sigset_t set;
	void *ret;

	setvbuf(stdout, NULL, _IONBF, 0);
	signal(SIGUSR1, on_usr1);
	pthread_barrier_init(&barrier, NULL, 4);
	for (long i = 1; i <= 3; i++) {
		pthread_create(&t[i - 1], NULL, target, (void *)i);
	}
	pthread_barrier_wait(&barrier);
	pthread_kill(t[1], SIGUSR1);
	while (!hits[2]) {
		usleep(1000);
	}
	printf("after one pthread_kill: %d %d %d %d\n", hits[0], hits[1],
	       hits[2], hits[3]);
	pthread_kill(t[0], SIGUSR1);
	pthread_kill(t[2], SIGUSR1);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
	}
	printf("all: %d %d %d %d\n", hits[0], hits[1], hits[2], hits[3]);

	/* SIGUSR2 blocked everywhere but consumed by sigwait in a thread */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&w, NULL, waiter, NULL);
	usleep(50000);
	kill(getpid(), SIGUSR2);
	pthread_join(w, &ret);
	printf("sigwait got %ld\n", (long)ret);

	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, &ret);
	printf("forker child status %ld\n", (long)ret);

	printf("tid differs from pid %d\n",
	       (long)syscall(SYS_gettid) == (long)getpid() ? 0 : 1);
	pthread_create(&s, NULL, spinner, NULL);
	usleep(20000);
	printf("exit_group with a thread running\n");
	exit(3);
}
