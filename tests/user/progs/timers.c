/* SPDX-License-Identifier: MIT */
/* Clocks and timers: clock_gettime, nanosleep, timerfd, POSIX timers,
 * eventfd, select. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired;

static void on_timer(int sig, siginfo_t *info, void *uc)
{
	fired += info->si_value.sival_int;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	double t0 = now(), t1;
	struct timespec req = { 0, 100 * 1000 * 1000 };
	struct timeval tv;

	setvbuf(stdout, NULL, _IONBF, 0);
	nanosleep(&req, NULL);
	t1 = now();
	printf("nanosleep >= 0.1s %d < 2s %d\n", t1 - t0 >= 0.099, t1 - t0 < 2);
	gettimeofday(&tv, NULL);
	printf("gettimeofday sane %d\n", tv.tv_sec > 1600000000);
	struct timespec res;
	clock_getres(CLOCK_MONOTONIC, &res);
	printf("res <= 1ms %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);

	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 0, 20000000 }, { 0, 20000000 } };
	timerfd_settime(tfd, 0, &its, NULL);
	uint64_t ticks = 0, total = 0;
	while (total < 3) {
		read(tfd, &ticks, sizeof(ticks));
		total += ticks;
	}
	printf("timerfd ticks >= 3 %d\n", total >= 3);
	struct itimerspec cur;
	timerfd_gettime(tfd, &cur);
	printf("timerfd interval %ld\n", cur.it_interval.tv_nsec);
	close(tfd);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_timer;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN, &sa, NULL);
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGRTMIN,
				.sigev_value.sival_int = 5 };
	timer_t timer;
	printf("timer_create %d\n",
	       timer_create(CLOCK_MONOTONIC, &sev, &timer));
	/* block it until sigsuspend, so an early expiry cannot be missed */
	sigset_t block, none;
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &block, &none);
	struct itimerspec once = { { 0, 0 }, { 0, 30000000 } };
	timer_settime(timer, 0, &once, NULL);
	while (!fired) {
		sigsuspend(&none);
	}
	sigprocmask(SIG_SETMASK, &none, NULL);
	printf("timer fired value %d\n", fired);
	timer_delete(timer);

	int efd = eventfd(0, 0);
	uint64_t v = 5;
	write(efd, &v, 8);
	v = 7;
	write(efd, &v, 8);
	read(efd, &v, 8);
	printf("eventfd %llu\n", (unsigned long long)v);
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(efd, &rd);
	struct timeval zero = { 0, 50000 };
	printf("select idle %d\n", select(efd + 1, &rd, NULL, NULL, &zero));
	write(efd, &v, 8);
	FD_SET(efd, &rd);
	printf("select ready %d isset %d\n",
	       select(efd + 1, &rd, NULL, NULL, NULL), FD_ISSET(efd, &rd));
	struct timespec ts0 = { 0, 10000000 };
	struct pollfd p = { efd, POLLIN, 0 };
	printf("ppoll %d\n", ppoll(&p, 1, &ts0, NULL));
	struct timespec mono;
	clock_gettime(CLOCK_MONOTONIC, &mono);
	mono.tv_nsec += 20000000;
	if (mono.tv_nsec >= 1000000000) {
		mono.tv_sec++;
		mono.tv_nsec -= 1000000000;
	}
	printf("clock_nanosleep abs %d\n",
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &mono, NULL));
	printf("times ok %d\n", clock() >= 0);
	return 0;
}
