/* SPDX-License-Identifier: MIT */
/* Guest threads as host threads, one hart each; fork; the CPU loop. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

__thread struct user_thread *user_current;

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static struct user_thread *threads;
static unsigned num_threads;
static unsigned next_hartid;

static void kick_all(void)
{
	pthread_mutex_lock(&threads_lock);
	for (struct user_thread *t = threads; t; t = t->next) {
		riscv_cpu_request_exit(t->cpu);
	}
	pthread_mutex_unlock(&threads_lock);
}

void user_kick_all(void)
{
	kick_all();
}

static void thread_link(struct user_thread *thread)
{
	pthread_mutex_lock(&threads_lock);
	thread->next = threads;
	threads = thread;
	num_threads++;
	pthread_mutex_unlock(&threads_lock);
}

/* Unlink; returns how many threads remain. */
static unsigned thread_unlink(struct user_thread *thread)
{
	unsigned left;

	pthread_mutex_lock(&threads_lock);
	for (struct user_thread **p = &threads; *p; p = &(*p)->next) {
		if (*p == thread) {
			*p = thread->next;
			num_threads--;
			break;
		}
	}
	left = num_threads;
	pthread_mutex_unlock(&threads_lock);
	return left;
}

struct user_thread *user_thread_new(struct riscv_cpu *cpu)
{
	struct user_thread *thread = calloc(1, sizeof(*thread));

	if (!thread) {
		return NULL;
	}
	thread->cpu = cpu;
	thread->tid = (int)syscall(SYS_gettid);
	thread->mm_gen = mm_generation();
	user_current = thread;
	mm_changed_hook = kick_all;
	thread_link(thread);
	return thread;
}

void user_cpu_loop(struct user_thread *thread)
{
	for (;;) {
		uint64_t gen = mm_generation();
		enum riscv_exit why;

		if (gen != thread->mm_gen) {
			thread->mm_gen = gen;
			riscv_cpu_tlb_flush(thread->cpu);
		}
		if (unlikely(user_gdb_active)) {
			user_gdb_enter(thread);
		}
		thread->in_guest = true;
		why = riscv_cpu_run(thread->cpu, 1u << 24);
		thread->in_guest = false;
		if (unlikely(user_gdb_active)) {
			user_gdb_leave(thread, why);
		}
		switch (why) {
		case RISCV_EXIT_ECALL:
			syscall_dispatch(thread);
			break;
		case RISCV_EXIT_EXCEPTION:
			signal_from_exception(thread,
					      riscv_cpu_exit_cause(thread->cpu),
					      riscv_cpu_exit_tval(thread->cpu));
			break;
		case RISCV_EXIT_WFI:
			sched_yield();
			break;
		default:
			break;
		}
		if (__atomic_load_n(&thread->pending.set, __ATOMIC_ACQUIRE) ||
		    thread->sigsuspend_active) {
			signal_deliver(thread);
		}
	}
}

void user_exit_group(int code)
{
	if (user_settings.strace) {
		log_printf(" = ?\n%d +++ exited with %d +++\n",
			   (int)syscall(SYS_gettid), code & 0xff);
	}
	user_gdb_exit(code, 0);
	fflush(NULL);
	syscall(SYS_exit_group, code);
	_exit(code);
}

void user_thread_foreach(bool (*fn)(struct user_thread *thread, void *opaque),
			 void *opaque)
{
	pthread_mutex_lock(&threads_lock);
	for (struct user_thread *t = threads; t; t = t->next) {
		if (fn(t, opaque)) {
			break;
		}
	}
	pthread_mutex_unlock(&threads_lock);
}

void user_thread_exit(struct user_thread *thread, int code)
{
	if (thread->clear_child_tid &&
	    mm_range_has(thread->clear_child_tid, 4, USER_PAGE_W)) {
		uint32_t *tid = g2h(thread->clear_child_tid);

		__atomic_store_n(tid, 0, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, tid, FUTEX_WAKE, 1, NULL, NULL, 0);
	}
	if (thread_unlink(thread) == 0) {
		user_exit_group(code);
	}
	user_current = NULL;
	riscv_cpu_free(thread->cpu);
	free(thread);
	pthread_exit(NULL);
}

/* ---- clone ------------------------------------------------------------- */

struct clone_start {
	struct user_thread *thread;
	uint64_t flags;
	gva_t child_tid;
	sem_t ready;
	int tid;
};

static void *thread_start(void *opaque)
{
	struct clone_start *start = opaque;
	struct user_thread *thread = start->thread;

	thread->tid = (int)syscall(SYS_gettid);
	user_current = thread;
	if (start->flags & CLONE_CHILD_SETTID) {
		mm_copy_to_guest(start->child_tid, &thread->tid, 4);
	}
	start->tid = thread->tid;
	sem_post(&start->ready);
	/* start is gone from here on. */
	signal_set_mask(thread, thread->sigmask);
	user_cpu_loop(thread);
}

static void copy_registers(struct riscv_cpu *to, const struct riscv_cpu *from)
{
	for (unsigned i = 1; i < 32; i++) {
		riscv_cpu_set_x(to, i, riscv_cpu_get_x(from, i));
	}
	for (unsigned i = 0; i < 32; i++) {
		riscv_cpu_set_f(to, i, riscv_cpu_get_f(from, i));
	}
	riscv_cpu_set_fcsr(to, riscv_cpu_get_fcsr(from));
	riscv_cpu_set_pc(to, riscv_cpu_get_pc(from));
}

static int64_t clone_thread(struct user_thread *parent, uint64_t flags,
			    gva_t newsp, gva_t parent_tid, gva_t tls,
			    gva_t child_tid)
{
	struct clone_start start = { .flags = flags, .child_tid = child_tid };
	struct user_thread *thread;
	struct riscv_cpu *cpu;
	pthread_attr_t attr;
	pthread_t handle;
	uint64_t all = ~0ull, old;
	int err;

	cpu = riscv_cpu_new(
		RISCV_CPU_USER,
		__atomic_add_fetch(&next_hartid, 1, __ATOMIC_RELAXED),
		&mm_bus_ops, NULL);
	thread = calloc(1, sizeof(*thread));
	if (!cpu || !thread) {
		free(thread);
		if (cpu) {
			riscv_cpu_free(cpu);
		}
		return -ENOMEM;
	}
	copy_registers(cpu, parent->cpu);
	riscv_cpu_set_x(cpu, 10, 0);
	if (newsp) {
		riscv_cpu_set_x(cpu, 2, newsp);
	}
	if (flags & CLONE_SETTLS) {
		riscv_cpu_set_x(cpu, 4, tls);
	}
	thread->cpu = cpu;
	thread->sigmask = parent->sigmask;
	thread->mm_gen = mm_generation();
	if (flags & CLONE_CHILD_CLEARTID) {
		thread->clear_child_tid = child_tid;
	}
	start.thread = thread;
	sem_init(&start.ready, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	/* The new host thread starts with every signal blocked. */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	thread_link(thread);
	err = pthread_create(&handle, &attr, thread_start, &start);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	pthread_attr_destroy(&attr);
	if (err) {
		thread_unlink(thread);
		riscv_cpu_free(cpu);
		free(thread);
		return -err;
	}
	while (sem_wait(&start.ready) && errno == EINTR) {
	}
	sem_destroy(&start.ready);
	if (flags & CLONE_PARENT_SETTID) {
		mm_copy_to_guest(parent_tid, &start.tid, 4);
	}
	return start.tid;
}

static int64_t clone_fork(struct user_thread *parent, uint64_t flags,
			  gva_t newsp, gva_t parent_tid, gva_t tls,
			  gva_t child_tid)
{
	pid_t pid;

	fflush(NULL);
	pthread_mutex_lock(&threads_lock);
	mm_fork_prepare();
	pid = fork();
	mm_fork_done();
	pthread_mutex_unlock(&threads_lock);
	if (pid < 0) {
		return -errno;
	}
	if (pid > 0) {
		if (flags & CLONE_PARENT_SETTID) {
			mm_copy_to_guest(parent_tid, &pid, 4);
		}
		return pid;
	}
	/* The child: only this thread survives. */
	threads = NULL;
	num_threads = 0;
	user_gdb_fork_child(parent);
	parent->tid = (int)syscall(SYS_gettid);
	thread_link(parent);
	if (newsp) {
		riscv_cpu_set_x(parent->cpu, 2, newsp);
	}
	if (flags & CLONE_SETTLS) {
		riscv_cpu_set_x(parent->cpu, 4, tls);
	}
	if (flags & CLONE_CHILD_SETTID) {
		mm_copy_to_guest(child_tid, &parent->tid, 4);
	}
	if (flags & CLONE_CHILD_CLEARTID) {
		parent->clear_child_tid = child_tid;
	}
	return 0;
}

int64_t user_clone(struct user_thread *thread, uint64_t flags, gva_t newsp,
		   gva_t parent_tid, gva_t tls, gva_t child_tid)
{
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK)) {
		if (!(flags & CLONE_THREAD) || !(flags & CLONE_SIGHAND)) {
			log_once(LOG_UNIMP, "clone flags %#llx unsupported\n",
				 (unsigned long long)flags);
			return -EINVAL;
		}
		return clone_thread(thread, flags, newsp, parent_tid, tls,
				    child_tid);
	}
	if (flags & CLONE_THREAD) {
		return -EINVAL;
	}
	/* fork and vfork (run as fork: the memory is copied). */
	return clone_fork(thread, flags, newsp, parent_tid, tls, child_tid);
}

/* struct clone_args, as clone3 reads it (the v0 size is 64 bytes). */
struct guest_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls, set_tid, set_tid_size, cgroup;
};

int64_t user_clone3(struct user_thread *thread, gva_t uargs, uint64_t size)
{
	struct guest_clone_args args = { 0 };
	const uint64_t unsupported = 0x1000ull /* CLONE_PIDFD */ |
				     0x200000000ull /* CLONE_INTO_CGROUP */;

	if (size < 64 || size > 4096) {
		return -EINVAL;
	}
	if (!mm_copy_from_guest(&args, uargs, MIN(size, sizeof(args)))) {
		return -EFAULT;
	}
	/* What we cannot do makes the C library fall back to clone. */
	if ((args.flags & unsupported) || args.set_tid_size ||
	    args.exit_signal > USER_NSIG) {
		return -ENOSYS;
	}
	if (args.flags & CSIGNAL) {
		return -EINVAL;
	}
	return user_clone(thread, args.flags | args.exit_signal,
			  args.stack ? args.stack + args.stack_size : 0,
			  args.parent_tid, args.tls, args.child_tid);
}
