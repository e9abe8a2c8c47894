/* SPDX-License-Identifier: MIT */
/* The process's gdb server: one listening socket on the main loop, one
 * debugger at a time, stops reported from any thread. */
#ifndef MIMIC_GDBSTUB_GDBSERVER_H
#define MIMIC_GDBSTUB_GDBSERVER_H

#include <stdbool.h>

#include "gdbstub/gdbstub.h"
#include "util/error.h"

/*
 * Listen for gdb at spec: "tcp::PORT", "tcp:HOST:PORT", "PORT" or
 * "unix:PATH" (",server", ",wait=off" and the like are accepted and
 * ignored: the stub always listens and never waits here). main_loop_init()
 * must have run; the ops are called on the main-loop thread.
 */
bool gdbserver_start(const char *spec, const struct gdbstub_ops *ops,
		     void *opaque, struct error **errp);
/* True once gdbserver_start() succeeded. */
bool gdbserver_enabled(void);
/* True while a debugger is attached (any thread). */
bool gdbserver_attached(void);
/* Any thread: the target stopped by itself (queued to the main loop; the
 * first of several stops wins). */
void gdbserver_report_stop(const struct gdb_stop *stop);
/* Any thread but the main loop's: the program is ending; returns once gdb
 * was told (or after a second). */
void gdbserver_report_exit(const struct gdb_stop *stop);
/* Main-loop thread: the monitor paused or resumed the whole target. */
void gdbserver_run_state_changed(bool running);
/* After the main loop ended: tell gdb the machine exited and close. */
void gdbserver_close(int status);
/* In a forked child: forget the server without touching its sockets'
 * peers (the parent keeps them). */
void gdbserver_forget(void);

#endif
