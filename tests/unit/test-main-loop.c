/* SPDX-License-Identifier: MIT */
/* Unit test of util/main-loop: fd watches, cross-thread work, timers, quit. */
#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "util/main-loop.h"

struct loop_probe {
	int pipe_fd[2];
	int bh_runs;
	int timer_runs;
	char got;
};

static void probe_bh(void *opaque)
{
	((struct loop_probe *)opaque)->bh_runs++;
}

/* The timer writes to the pipe; the watch on its other end quits. */
static void probe_timer(void *opaque)
{
	struct loop_probe *p = opaque;

	p->timer_runs++;
	CHECK_EQ(write(p->pipe_fd[1], "z", 1), 1);
}

static void probe_readable(void *opaque, uint32_t events)
{
	struct loop_probe *p = opaque;

	CHECK(events & EPOLLIN);
	CHECK_EQ(read(p->pipe_fd[0], &p->got, 1), 1);
	main_loop_unwatch_fd(p->pipe_fd[0]);
	main_loop_quit(7);
	main_loop_quit(9); /* the first status wins */
}

static void *probe_thread(void *opaque)
{
	main_loop_schedule(probe_bh, opaque);
	main_loop_timer(20 * 1000000ull, probe_timer, opaque);
	return NULL;
}

TEST(main_loop_watch_schedule_timer_quit)
{
	struct loop_probe p = { { -1, -1 }, 0, 0, 0 };
	pthread_t thread;

	CHECK(main_loop_init(NULL));
	CHECK_EQ(pipe(p.pipe_fd), 0);
	CHECK(main_loop_watch_fd(p.pipe_fd[0], EPOLLIN, probe_readable, &p));
	pthread_create(&thread, NULL, probe_thread, &p);
	pthread_join(thread, NULL);
	CHECK_EQ(main_loop_run(), 7);
	CHECK(main_loop_quitting());
	CHECK_EQ(p.bh_runs, 1);
	CHECK_EQ(p.timer_runs, 1);
	CHECK_EQ(p.got, 'z');
	close(p.pipe_fd[0]);
	close(p.pipe_fd[1]);
}
