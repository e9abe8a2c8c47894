/* SPDX-License-Identifier: MIT */
/* The gdb remote stub: the protocol over a small table of target ops, so
 * that the system emulator (harts) and user mode (guest threads) share
 * it. Every gdbstub_* function runs on the main-loop thread. */
#ifndef MIMIC_GDBSTUB_GDBSTUB_H
#define MIMIC_GDBSTUB_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* GDB's own signal numbers (not the host's) used in stop replies. */
#define GDB_SIGNAL_INT 2
#define GDB_SIGNAL_QUIT 3
#define GDB_SIGNAL_TRAP 5

/* What a thread does when the target resumes. */
enum gdb_action {
	GDB_ACTION_NONE, /* stays stopped */
	GDB_ACTION_CONTINUE,
	GDB_ACTION_STEP, /* one instruction, then a stop is reported */
};

#define GDB_RESUME_MAX 16

/* Signals are GDB's numbers: 0 for none, else the signal that stopped the
 * thread is to be delivered (C and S actions). */
struct gdb_resume {
	enum gdb_action default_action;
	int default_signal;
	unsigned count;
	struct {
		int tid;
		enum gdb_action action;
		int signal;
	} threads[GDB_RESUME_MAX];
};

/* The action for thread tid: its own if given, else the default. */
enum gdb_action gdbstub_resume_action(const struct gdb_resume *resume, int tid);
/* The signal to deliver to thread tid as it resumes, or 0. */
int gdbstub_resume_signal(const struct gdb_resume *resume, int tid);

/* Z/z types, as numbered in the protocol. */
enum gdb_point_type {
	GDB_POINT_SW_BREAK = 0,
	GDB_POINT_HW_BREAK = 1,
	GDB_POINT_WATCH_WRITE = 2,
	GDB_POINT_WATCH_READ = 3,
	GDB_POINT_WATCH_ACCESS = 4,
};

enum gdb_stop_kind {
	GDB_STOP_SIGNAL, /* signal (GDB_SIGNAL_TRAP for breaks and steps) */
	GDB_STOP_WATCH, /* a write watchpoint at addr */
	GDB_STOP_EXITED, /* the program exited with code */
	GDB_STOP_KILLED, /* the program died of signal */
};

struct gdb_stop {
	enum gdb_stop_kind kind;
	int tid;
	int signal;
	int code;
	uint64_t addr;
};

/* What the stub drives. Thread ids are positive. */
struct gdbstub_ops {
	/* Fill tids (at most max) with the live threads; how many. */
	unsigned (*threads)(void *opaque, int *tids, unsigned max);
	/* Register regno of tid into buf (<= 16 bytes): its size, 0 if none. */
	size_t (*read_register)(void *opaque, int tid, unsigned regno,
				uint8_t *buf);
	bool (*write_register)(void *opaque, int tid, unsigned regno,
			       const uint8_t *buf, size_t len);
	/* The 'g' packet holds registers 0 .. g_registers - 1. */
	unsigned g_registers;
	/* Virtual memory as thread tid sees it; false if not all of it. */
	bool (*read_memory)(void *opaque, int tid, uint64_t addr, uint8_t *buf,
			    size_t len);
	bool (*write_memory)(void *opaque, int tid, uint64_t addr,
			     const uint8_t *buf, size_t len);
	/* false: type not supported or no room (gdb then falls back). */
	bool (*insert_point)(void *opaque, enum gdb_point_type type,
			     uint64_t addr, uint64_t kind);
	bool (*remove_point)(void *opaque, enum gdb_point_type type,
			     uint64_t addr, uint64_t kind);
	void (*remove_all_points)(void *opaque);
	/* Stop every thread; returns when none runs any more. */
	void (*stop)(void *opaque);
	/* Let threads run; a stop comes back through gdbstub_stopped(). */
	void (*resume)(void *opaque, const struct gdb_resume *resume);
	/* A qXfer:features:read annex, or NULL. */
	const char *(*target_xml)(void *opaque, const char *annex);
	/* 'k': end the emulator. */
	void (*kill)(void *opaque);
	/* Optional: gdb's `monitor CMD` (qRcmd): the output to show, to
	 * free(), or NULL when the command could not run. */
	char *(*monitor_command)(void *opaque, const char *command);
	/* Optional: qThreadExtraInfo text for tid. */
	void (*thread_name)(void *opaque, int tid, char *buf, size_t size);
};

/* Sends bytes to gdb; the stub does not care whether they arrive. */
typedef void gdbstub_write_fn(void *opaque, const uint8_t *buf, size_t len);

struct gdbstub;

struct gdbstub *gdbstub_new(const struct gdbstub_ops *ops, void *opaque,
			    gdbstub_write_fn *write, void *write_opaque);
void gdbstub_free(struct gdbstub *stub);

/* A debugger connected: the target is stopped and the protocol state
 * starts afresh. */
void gdbstub_connected(struct gdbstub *stub);
/* It went away: breakpoints are removed and a stopped target resumes. */
void gdbstub_disconnected(struct gdbstub *stub);
/* Bytes from the debugger, in any split. */
void gdbstub_input(struct gdbstub *stub, const uint8_t *buf, size_t len);
/* The target stopped by itself (breakpoint, step, watchpoint, exit):
 * report it if gdb waits for a stop. */
void gdbstub_stopped(struct gdbstub *stub, const struct gdb_stop *stop);
/* Something else (the monitor) paused or resumed the whole target. */
void gdbstub_run_state_changed(struct gdbstub *stub, bool running);
/* True while gdb waits for a stop. */
bool gdbstub_running(const struct gdbstub *stub);
/* True while a debugger is attached (any thread may ask). */
bool gdbstub_attached(const struct gdbstub *stub);

#endif
