/* SPDX-License-Identifier: MIT */
/* The main loop: epoll over watched fds, an eventfd for cross-thread work,
 * and one-shot timers. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "util/main-loop.h"
#include "util/types.h"

#define WATCH_MAX 256

struct watch {
	int fd;
	main_loop_fd_fn *fn;
	void *opaque;
};

struct bh {
	main_loop_bh_fn *fn;
	void *opaque;
	uint64_t when_ns; /* 0: as soon as possible */
	struct bh *next;
};

static int epoll_fd = -1;
static int wake_fd = -1;
static struct watch watches[WATCH_MAX];
static pthread_mutex_t bh_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bh *bh_list;
static int quit_status;
static int quit_claimed;
static int quit_requested;

static uint64_t main_loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

bool main_loop_init(struct error **errp)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (epoll_fd >= 0) {
		return true;
	}
	for (unsigned i = 0; i < WATCH_MAX; i++) {
		watches[i].fd = -1;
	}
	epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (epoll_fd < 0 || wake_fd < 0) {
		error_setg_errno(errp, errno, "main loop");
		return false;
	}
	ev.data.fd = wake_fd;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev) < 0) {
		error_setg_errno(errp, errno, "main loop");
		return false;
	}
	return true;
}

static struct watch *main_loop_find(int fd)
{
	for (unsigned i = 0; i < WATCH_MAX; i++) {
		if (watches[i].fd == fd) {
			return &watches[i];
		}
	}
	return NULL;
}

bool main_loop_watch_fd(int fd, uint32_t events, main_loop_fd_fn *fn,
			void *opaque)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	struct watch *w = main_loop_find(fd);
	int op = EPOLL_CTL_MOD;

	if (!w) {
		w = main_loop_find(-1);
		op = EPOLL_CTL_ADD;
		if (!w) {
			return false;
		}
	}
	w->fn = fn;
	w->opaque = opaque;
	w->fd = fd;
	if (epoll_ctl(epoll_fd, op, fd, &ev) < 0) {
		w->fd = -1;
		return false;
	}
	return true;
}

void main_loop_unwatch_fd(int fd)
{
	struct watch *w = main_loop_find(fd);

	if (w) {
		epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
		w->fd = -1;
	}
}

static void main_loop_wake(void)
{
	uint64_t one = 1;

	if (write(wake_fd, &one, sizeof(one)) < 0) {
		/* Already signalled (counter full) is fine. */
	}
}

static void main_loop_add_bh(main_loop_bh_fn *fn, void *opaque,
			     uint64_t when_ns)
{
	struct bh *bh = calloc(1, sizeof(*bh));

	if (!bh) {
		return;
	}
	bh->fn = fn;
	bh->opaque = opaque;
	bh->when_ns = when_ns;
	pthread_mutex_lock(&bh_lock);
	bh->next = bh_list;
	bh_list = bh;
	pthread_mutex_unlock(&bh_lock);
	main_loop_wake();
}

void main_loop_schedule(main_loop_bh_fn *fn, void *opaque)
{
	main_loop_add_bh(fn, opaque, 0);
}

void main_loop_timer(uint64_t delay_ns, main_loop_bh_fn *fn, void *opaque)
{
	main_loop_add_bh(fn, opaque, main_loop_now_ns() + delay_ns);
}

/* Run the due callbacks; return ms until the next timer (-1: none). */
static int main_loop_run_bhs(void)
{
	uint64_t now = main_loop_now_ns(), next = UINT64_MAX;
	struct bh *due = NULL, **pp, *bh;

	pthread_mutex_lock(&bh_lock);
	for (pp = &bh_list; (bh = *pp);) {
		if (bh->when_ns <= now) {
			*pp = bh->next;
			bh->next = due;
			due = bh;
		} else {
			next = bh->when_ns < next ? bh->when_ns : next;
			pp = &bh->next;
		}
	}
	pthread_mutex_unlock(&bh_lock);
	while (due) {
		bh = due;
		due = bh->next;
		bh->fn(bh->opaque);
		free(bh);
	}
	if (next == UINT64_MAX) {
		return -1;
	}
	/* Far timers: wake up hourly rather than overflow an int. */
	return (int)MIN((next - now) / 1000000 + 1, 3600000ull);
}

static void main_loop_dispatch(const struct epoll_event *ev)
{
	struct watch *w;
	uint64_t count;

	if (ev->data.fd == wake_fd) {
		if (read(wake_fd, &count, sizeof(count)) < 0) {
			/* Nothing pending. */
		}
		return;
	}
	w = main_loop_find(ev->data.fd);
	if (w) {
		w->fn(w->opaque, ev->events);
	}
}

int main_loop_run(void)
{
	struct epoll_event events[32];

	while (!__atomic_load_n(&quit_requested, __ATOMIC_ACQUIRE)) {
		int timeout = main_loop_run_bhs(), n;

		if (__atomic_load_n(&quit_requested, __ATOMIC_ACQUIRE)) {
			break;
		}
		n = epoll_wait(epoll_fd, events, 32, timeout);
		for (int i = 0; i < n; i++) {
			main_loop_dispatch(&events[i]);
		}
	}
	return quit_status;
}

void main_loop_quit(int status)
{
	int expected = 0;

	if (__atomic_compare_exchange_n(&quit_claimed, &expected, 1, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		quit_status = status;
		__atomic_store_n(&quit_requested, 1, __ATOMIC_RELEASE);
	}
	main_loop_wake();
}

bool main_loop_quitting(void)
{
	return __atomic_load_n(&quit_claimed, __ATOMIC_ACQUIRE) != 0;
}
