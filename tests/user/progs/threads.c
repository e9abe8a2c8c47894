/* SPDX-License-Identifier: MIT */
/* pthreads: 16 threads, a mutex, a condition variable, atomics, TLS. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define THREADS 16
#define ITER 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long locked_counter;
static atomic_long atomic_counter;
static int ready, go;
static __thread int tls_value;

static void *worker(void *arg)
{
	long id = (long)arg;

	tls_value = (int)id;
	pthread_mutex_lock(&lock);
	ready++;
	pthread_cond_broadcast(&cond);
	while (!go) {
		pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&lock);
		locked_counter++;
		pthread_mutex_unlock(&lock);
		atomic_fetch_add(&atomic_counter, 1);
	}
	/* a CAS loop */
	for (int i = 0; i < 1000; i++) {
		long old = atomic_load(&atomic_counter);
		while (!atomic_compare_exchange_weak(&atomic_counter, &old,
						     old + 2)) {
		}
	}
	return (void *)(long)(tls_value * 10);
}

int main(void)
{
	pthread_t t[THREADS];
	long sum = 0;

	for (long i = 0; i < THREADS; i++) {
		pthread_create(&t[i], NULL, worker, (void *)i);
	}
	pthread_mutex_lock(&lock);
	while (ready < THREADS) {
		pthread_cond_wait(&cond, &lock);
	}
	go = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < THREADS; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		sum += (long)ret;
	}
	printf("locked %ld atomic %ld joined sum %ld\n", locked_counter,
	       (long)atomic_load(&atomic_counter), sum);
	printf("main tls %d\n", tls_value);
	return 0;
}
