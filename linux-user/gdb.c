/* SPDX-License-Identifier: MIT */
/* mimic-riscv64 -g: the gdb stub's view of guest threads. The stub runs on
 * a main-loop thread of its own; guest threads park between runs of their
 * hart while the debugger holds them. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "gdbstub/gdbserver.h"
#include "linux-user/user.h"
#include "target/riscv/cpu.h"
#include "target/riscv/gdb.h"
#include "util/main-loop.h"

bool user_gdb_active;

/* Threads park while `stopped` (or their own gdb_hold); `running` counts
 * those inside riscv_cpu_run(). Lock order: this, then the thread list. */
static pthread_mutex_t gdb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gdb_cond = PTHREAD_COND_INITIALIZER;
static bool stopped;
static unsigned running;

void user_gdb_enter(struct user_thread *thread)
{
	pthread_mutex_lock(&gdb_lock);
	while (stopped || thread->gdb_hold) {
		pthread_cond_wait(&gdb_cond, &gdb_lock);
	}
	running++;
	pthread_mutex_unlock(&gdb_lock);
}

void user_gdb_leave(struct user_thread *thread, enum riscv_exit why)
{
	struct gdb_stop stop;

	pthread_mutex_lock(&gdb_lock);
	running--;
	if (why == RISCV_EXIT_DEBUG) {
		riscv_gdb_stop_reason(thread->cpu, thread->tid, &stop);
		riscv_cpu_debug_step(thread->cpu, false);
		stopped = true;
		user_kick_all();
	}
	pthread_cond_broadcast(&gdb_cond);
	pthread_mutex_unlock(&gdb_lock);
	if (why == RISCV_EXIT_DEBUG) {
		gdbserver_report_stop(&stop);
	}
}

static int gdb_signal_of_host(int sig);

bool user_gdb_signal(struct user_thread *thread, int sig)
{
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL,
				 .tid = thread->tid,
				 .signal = gdb_signal_of_host(sig) };
	bool pass;

	if (!gdbserver_attached()) {
		return true;
	}
	pthread_mutex_lock(&gdb_lock);
	stopped = true;
	thread->gdb_pass_signal = false;
	user_kick_all();
	pthread_mutex_unlock(&gdb_lock);
	gdbserver_report_stop(&stop);
	pthread_mutex_lock(&gdb_lock);
	while (stopped || thread->gdb_hold) {
		pthread_cond_wait(&gdb_cond, &gdb_lock);
	}
	pass = thread->gdb_pass_signal;
	pthread_mutex_unlock(&gdb_lock);
	return pass;
}

/* ---- the stub's ops (main-loop thread) -------------------------------- */

struct tid_list {
	int *tids;
	unsigned n, max;
};

static bool collect_tid(struct user_thread *thread, void *opaque)
{
	struct tid_list *list = opaque;

	if (list->n < list->max) {
		list->tids[list->n++] = thread->tid;
	}
	return false;
}

static unsigned gdb_threads(void *opaque, int *tids, unsigned max)
{
	struct tid_list list = { tids, 0, max };

	user_thread_foreach(collect_tid, &list);
	/* The first thread created comes last in the list: put it first. */
	for (unsigned i = 0; i < list.n / 2; i++) {
		int t = tids[i];

		tids[i] = tids[list.n - 1 - i];
		tids[list.n - 1 - i] = t;
	}
	return list.n;
}

/* One access to thread tid's hart, under the thread list's lock so that
 * the thread cannot go away meanwhile. */
struct hart_access {
	int tid;
	bool found;
	bool ok;
	unsigned regno;
	uint64_t addr;
	uint8_t *buf;
	size_t len;
	enum { READ_REG, WRITE_REG, READ_MEM, WRITE_MEM } op;
};

static bool access_hart(struct user_thread *thread, void *opaque)
{
	struct hart_access *a = opaque;

	if (thread->tid != a->tid) {
		return false;
	}
	a->found = true;
	switch (a->op) {
	case READ_REG:
		a->len = riscv_gdb_read_register(thread->cpu, a->regno, a->buf);
		break;
	case WRITE_REG:
		a->ok = riscv_gdb_write_register(thread->cpu, a->regno, a->buf,
						 a->len);
		break;
	case READ_MEM:
	case WRITE_MEM:
		a->ok = riscv_cpu_debug_rw(thread->cpu, a->addr, a->buf, a->len,
					   a->op == WRITE_MEM);
		break;
	}
	return true;
}

static size_t gdb_read_register(void *opaque, int tid, unsigned regno,
				uint8_t *buf)
{
	struct hart_access a = {
		.tid = tid, .regno = regno, .buf = buf, .op = READ_REG
	};

	user_thread_foreach(access_hart, &a);
	return a.found ? a.len : 0;
}

static bool gdb_write_register(void *opaque, int tid, unsigned regno,
			       const uint8_t *buf, size_t len)
{
	struct hart_access a = { .tid = tid,
				 .regno = regno,
				 .buf = (uint8_t *)buf,
				 .len = len,
				 .op = WRITE_REG };

	user_thread_foreach(access_hart, &a);
	return a.found && a.ok;
}

static bool gdb_memory(int tid, uint64_t addr, uint8_t *buf, size_t len,
		       bool write)
{
	struct hart_access a = { .tid = tid,
				 .addr = addr,
				 .buf = buf,
				 .len = len,
				 .op = write ? WRITE_MEM : READ_MEM };

	user_thread_foreach(access_hart, &a);
	return a.found && a.ok;
}

static bool gdb_read_memory(void *opaque, int tid, uint64_t addr, uint8_t *buf,
			    size_t len)
{
	return gdb_memory(tid, addr, buf, len, false);
}

static bool gdb_write_memory(void *opaque, int tid, uint64_t addr,
			     const uint8_t *buf, size_t len)
{
	return gdb_memory(tid, addr, (uint8_t *)buf, len, true);
}

static void gdb_stop(void *opaque)
{
	pthread_mutex_lock(&gdb_lock);
	stopped = true;
	while (running) {
		struct timespec ts;

		/* Ask again: a thread may have just entered its run. */
		user_kick_all();
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&gdb_cond, &gdb_lock, &ts);
	}
	pthread_mutex_unlock(&gdb_lock);
}

static bool resume_thread(struct user_thread *thread, void *opaque)
{
	enum gdb_action action = gdbstub_resume_action(opaque, thread->tid);

	thread->gdb_pass_signal =
		gdbstub_resume_signal(opaque, thread->tid) != 0;
	thread->gdb_hold = action == GDB_ACTION_NONE;
	riscv_cpu_debug_step(thread->cpu, action == GDB_ACTION_STEP);
	return false;
}

static void gdb_resume(void *opaque, const struct gdb_resume *resume)
{
	pthread_mutex_lock(&gdb_lock);
	user_thread_foreach(resume_thread, (void *)resume);
	riscv_debug_rearm();
	stopped = false;
	pthread_cond_broadcast(&gdb_cond);
	pthread_mutex_unlock(&gdb_lock);
}

static const char *gdb_target_xml(void *opaque, const char *annex)
{
	return riscv_gdb_target_xml(annex, false);
}

static void gdb_kill(void *opaque)
{
	fflush(NULL);
	syscall(SYS_exit_group, 0);
}

static const struct gdbstub_ops user_gdb_ops = {
	.threads = gdb_threads,
	.read_register = gdb_read_register,
	.write_register = gdb_write_register,
	.g_registers = RISCV_GDB_G_REGISTERS,
	.read_memory = gdb_read_memory,
	.write_memory = gdb_write_memory,
	.insert_point = riscv_gdb_insert_point,
	.remove_point = riscv_gdb_remove_point,
	.remove_all_points = riscv_gdb_remove_all_points,
	.stop = gdb_stop,
	.resume = gdb_resume,
	.target_xml = gdb_target_xml,
	.kill = gdb_kill,
};

static void *gdb_main_loop(void *opaque)
{
	main_loop_run();
	return NULL;
}

bool user_gdb_start(const char *spec, struct error **errp)
{
	sigset_t all, old;
	pthread_t thread;
	int err;

	if (!main_loop_init(errp) ||
	    !gdbserver_start(spec, &user_gdb_ops, NULL, errp)) {
		return false;
	}
	/* The program waits for gdb before its first instruction. */
	stopped = true;
	user_gdb_active = true;
	/* Guest signals go to guest threads, never to this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, NULL, gdb_main_loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		error_setg(errp, "cannot start the gdb thread");
		return false;
	}
	pthread_detach(thread);
	return true;
}

/* GDB's signal numbers differ from Linux's past the first few. */
static int gdb_signal_of_host(int sig)
{
	static const int table[][2] = {
		{ SIGBUS, 10 },	   { SIGUSR1, 30 }, { SIGUSR2, 31 },
		{ SIGCHLD, 20 },   { SIGCONT, 19 }, { SIGSTOP, 17 },
		{ SIGTSTP, 18 },   { SIGTTIN, 21 }, { SIGTTOU, 22 },
		{ SIGURG, 16 },	   { SIGXCPU, 24 }, { SIGXFSZ, 25 },
		{ SIGVTALRM, 26 }, { SIGPROF, 27 }, { SIGWINCH, 28 },
		{ SIGIO, 23 },	   { SIGPWR, 32 },  { SIGSYS, 12 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		if (table[i][0] == sig) {
			return table[i][1];
		}
	}
	return sig <= 15 ? sig : 143; /* GDB_SIGNAL_UNKNOWN */
}

void user_gdb_exit(int code, int sig)
{
	struct gdb_stop stop = { .kind = sig ? GDB_STOP_KILLED :
					       GDB_STOP_EXITED,
				 .code = code,
				 .signal = gdb_signal_of_host(sig) };

	if (user_gdb_active) {
		gdbserver_report_exit(&stop);
	}
}

void user_gdb_fork_child(struct user_thread *thread)
{
	if (!user_gdb_active) {
		return;
	}
	/* The debugger follows the parent; the child runs free. */
	user_gdb_active = false;
	gdbserver_forget();
	riscv_debug_remove_all();
	riscv_cpu_debug_step(thread->cpu, false);
	pthread_mutex_init(&gdb_lock, NULL);
	pthread_cond_init(&gdb_cond, NULL);
	stopped = false;
	running = 0;
}
