/* SPDX-License-Identifier: MIT */
/* The main loop: one epoll thread that owns chardevs, sockets, the monitor
 * and timers; other threads hand it work with main_loop_schedule(). */
#ifndef MIMIC_UTIL_MAIN_LOOP_H
#define MIMIC_UTIL_MAIN_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* events: EPOLLIN/EPOLLOUT/EPOLLHUP... as epoll reports them. */
typedef void main_loop_fd_fn(void *opaque, uint32_t events);
typedef void main_loop_bh_fn(void *opaque);

bool main_loop_init(struct error **errp);
/* Watch fd for events (EPOLLIN, EPOLLOUT); replaces an earlier watch. */
bool main_loop_watch_fd(int fd, uint32_t events, main_loop_fd_fn *fn,
			void *opaque);
void main_loop_unwatch_fd(int fd);
/* Run fn(opaque) soon on the main-loop thread; callable from any thread
 * (and from signal-free contexts only). */
void main_loop_schedule(main_loop_bh_fn *fn, void *opaque);
/* Run fn once after delay_ns on the main-loop thread (coarse, ms). */
void main_loop_timer(uint64_t delay_ns, main_loop_bh_fn *fn, void *opaque);
/* Serve events until main_loop_quit(); returns the status passed to it. */
int main_loop_run(void);
/* Thread-safe: make main_loop_run() return status. The first call wins. */
void main_loop_quit(int status);
bool main_loop_quitting(void);

#endif
