/* SPDX-License-Identifier: MIT */
/* The big lock and the condition an idle vCPU sleeps on. */
#include <pthread.h>
#include <time.h>

#include "hw/core/bql.h"

static pthread_mutex_t bql_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bql_cond;
static pthread_once_t bql_once = PTHREAD_ONCE_INIT;

static void bql_init(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&bql_cond, &attr);
	pthread_condattr_destroy(&attr);
}

void bql_lock(void)
{
	pthread_once(&bql_once, bql_init);
	pthread_mutex_lock(&bql_mutex);
}

void bql_unlock(void)
{
	pthread_mutex_unlock(&bql_mutex);
}

uint64_t bql_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void bql_wait_locked(uint64_t deadline_ns)
{
	struct timespec ts;

	if (deadline_ns == UINT64_MAX) {
		pthread_cond_wait(&bql_cond, &bql_mutex);
		return;
	}
	ts.tv_sec = deadline_ns / 1000000000ull;
	ts.tv_nsec = deadline_ns % 1000000000ull;
	pthread_cond_timedwait(&bql_cond, &bql_mutex, &ts);
}

void bql_kick_locked(void)
{
	pthread_cond_broadcast(&bql_cond);
}
