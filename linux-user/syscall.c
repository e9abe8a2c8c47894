/* SPDX-License-Identifier: MIT */
/* System call dispatch: pass-through with pointer translation, -strace. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/syscall.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

const char *syscall_name(unsigned nr)
{
	return nr < SYSCALL_MAX ? syscall_table[nr].name : NULL;
}

/* A guest pointer argument as a host pointer; false if out of range. */
static bool translate_ptr(uint64_t guest, uint64_t *host)
{
	if (!guest) {
		*host = 0;
		return true;
	}
	if (!user_range_ok(guest, 1)) {
		return false;
	}
	*host = (uint64_t)(uintptr_t)g2h(guest);
	return true;
}

static int64_t pass_through(const struct syscall_def *def, const uint64_t *args)
{
	uint64_t a[6];

	for (unsigned i = 0; i < 6; i++) {
		char kind = i < strlen(def->args) ? def->args[i] : 'x';

		a[i] = args[i];
		if ((kind == 'p' || kind == 's') &&
		    !translate_ptr(args[i], &a[i])) {
			return -EFAULT;
		}
	}
	return safe_syscall(def->host, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void strace_arg(char *buf, size_t size, char kind, uint64_t v)
{
	const char *s;

	switch (kind) {
	case 'i':
		snprintf(buf, size, "%lld", (long long)v);
		break;
	case 'f':
		if ((int)v == AT_FDCWD) {
			snprintf(buf, size, "AT_FDCWD");
		} else {
			snprintf(buf, size, "%d", (int)v);
		}
		break;
	case 'o':
		snprintf(buf, size, "0%llo", (unsigned long long)v);
		break;
	case 's':
		s = v ? mm_guest_string(v) : NULL;
		if (s) {
			snprintf(buf, size, "\"%.64s\"%s", s,
				 strlen(s) > 64 ? "..." : "");
			break;
		}
		/* fall through */
	default:
		if (v) {
			snprintf(buf, size, "0x%llx", (unsigned long long)v);
		} else {
			snprintf(buf, size, "%s",
				 kind == 'p' || kind == 's' ? "NULL" : "0");
		}
		break;
	}
}

static void strace_enter(struct user_thread *thread, unsigned nr,
			 const uint64_t *args)
{
	const struct syscall_def *def =
		nr < SYSCALL_MAX && syscall_table[nr].name ?
			&syscall_table[nr] :
			NULL;
	char line[1024], arg[128];
	size_t len;

	if (!def) {
		snprintf(line, sizeof(line), "%d syscall_%u(...)", thread->tid,
			 nr);
	} else {
		len = (size_t)snprintf(line, sizeof(line), "%d %s(",
				       thread->tid, def->name);
		for (unsigned i = 0; def->args[i] && len < sizeof(line); i++) {
			strace_arg(arg, sizeof(arg), def->args[i], args[i]);
			len += (size_t)snprintf(line + len, sizeof(line) - len,
						"%s%s", i ? "," : "", arg);
		}
		if (len < sizeof(line)) {
			snprintf(line + len, sizeof(line) - len, ")");
		}
	}
	log_printf("%s", line);
}

static void strace_exit(int64_t r)
{
	if (r < 0 && r > -4096) {
		log_printf(" = -1 errno=%lld (%s)\n", (long long)-r,
			   strerror((int)-r));
	} else if (r >= 0 && r < 0x10000) {
		log_printf(" = %lld\n", (long long)r);
	} else {
		log_printf(" = 0x%llx\n", (unsigned long long)r);
	}
}

/* -d unimp: name each unsupported system call once. */
static void log_unsupported(unsigned nr)
{
	static uint8_t logged[SYSCALL_MAX + 1];
	unsigned slot = nr < SYSCALL_MAX ? nr : SYSCALL_MAX;
	const char *name = syscall_name(nr);

	if (!log_enabled(LOG_UNIMP) ||
	    __atomic_exchange_n(&logged[slot], 1, __ATOMIC_RELAXED)) {
		return;
	}
	if (name) {
		log_printf("unsupported syscall %u (%s)\n", nr, name);
	} else {
		log_printf("unsupported syscall %u\n", nr);
	}
}

static int64_t do_syscall(struct user_thread *thread, unsigned nr,
			  const uint64_t *args)
{
	const struct syscall_def *def;

	if (nr >= SYSCALL_MAX || !syscall_table[nr].name) {
		log_unsupported(nr);
		return -ENOSYS;
	}
	def = &syscall_table[nr];
	if (def->fn) {
		return def->fn(thread, args);
	}
	if (def->host < 0) {
		log_unsupported(nr);
		return -ENOSYS;
	}
	return pass_through(def, args);
}

/* A special result: the syscall changed the registers itself. */
#define SYSCALL_NO_RETURN_VALUE (-4096 - 1)

void syscall_dispatch(struct user_thread *thread)
{
	struct riscv_cpu *cpu = thread->cpu;
	unsigned nr = (unsigned)riscv_cpu_get_x(cpu, 17);
	uint64_t args[6];
	uint64_t pc = riscv_cpu_get_pc(cpu);
	int64_t r;

	for (unsigned i = 0; i < 6; i++) {
		args[i] = riscv_cpu_get_x(cpu, 10 + i);
	}
	if (user_settings.strace) {
		strace_enter(thread, nr, args);
	}
	/* The pc moves first: clone and rt_sigreturn see the final state. */
	riscv_cpu_set_pc(cpu, pc + 4);
	r = do_syscall(thread, nr, args);
	if (r == SYSCALL_NO_RETURN_VALUE) {
		if (user_settings.strace) {
			log_printf(" = (registers restored)\n");
		}
		return;
	}
	if (r == -USER_ERESTART_PRESYSCALL) {
		/* Nothing happened yet: the ecall runs after the handler. */
		riscv_cpu_set_pc(cpu, pc);
		if (user_settings.strace) {
			log_printf(" = (signal first)\n");
		}
		return;
	}
	if (r == -EINTR && nr < SYSCALL_MAX &&
	    !(syscall_table[nr].flags & SYSCALL_NORESTART) &&
	    signal_should_restart(thread)) {
		/* Run the ecall again after the handler (SA_RESTART). */
		riscv_cpu_set_pc(cpu, pc);
		if (user_settings.strace) {
			log_printf(" = (restarting)\n");
		}
		return;
	}
	if (user_settings.strace) {
		strace_exit(r);
	}
	riscv_cpu_set_x(cpu, 10, (uint64_t)r);
}

/* ---- small handlers ---------------------------------------------------- */

int64_t sys_enosys_fn(struct user_thread *thread, const uint64_t *a)
{
	log_unsupported((unsigned)riscv_cpu_get_x(thread->cpu, 17));
	return -ENOSYS;
}

int64_t sys_brk_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_brk(a[0]);
}

int64_t sys_mmap_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_mmap(a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
}

int64_t sys_munmap_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_munmap(a[0], a[1]);
}

int64_t sys_mprotect_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_mprotect(a[0], a[1], (int)a[2]);
}

int64_t sys_mremap_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_mremap(a[0], a[1], a[2], (int)a[3], a[4]);
}

/* madvise, msync, mlock, munlock, mlock2, mincore: a range first. */
int64_t sys_madvise_fn(struct user_thread *thread, const uint64_t *a)
{
	unsigned nr = (unsigned)riscv_cpu_get_x(thread->cpu, 17);
	uint64_t third = a[2];
	long host;

	if (!user_range_ok(a[0], a[1])) {
		return -ENOMEM;
	}
	switch (nr) {
	case 227:
		host = SYS_msync;
		break;
	case 228:
		host = SYS_mlock;
		break;
	case 229:
		host = SYS_munlock;
		break;
	case 232:
		host = SYS_mincore;
		if (!translate_ptr(a[2], &third)) {
			return -EFAULT;
		}
		break;
	case 284:
		host = SYS_mlock2;
		break;
	default:
		host = SYS_madvise;
		break;
	}
	return user_ret(syscall(host, g2h(a[0]), a[1], third));
}

int64_t sys_shmat_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_shmat((int)a[0], a[1], (int)a[2]);
}

int64_t sys_shmdt_fn(struct user_thread *thread, const uint64_t *a)
{
	return mm_shmdt(a[0]);
}

/* msgctl, semctl, shmctl: the structures match; drop the IPC_64 flag the
 * x86-64 kernel does not accept. semctl's 4th argument is an integer for
 * SETVAL and a pointer otherwise. */
int64_t sys_ipcctl_fn(struct user_thread *thread, const uint64_t *a)
{
	unsigned nr = (unsigned)riscv_cpu_get_x(thread->cpu, 17);
	bool sem = nr == 191;
	int cmd = (int)(sem ? a[2] : a[1]) & ~0x100;
	uint64_t ptr = sem ? a[3] : a[2];

	if (!(sem && cmd == SETVAL) && !translate_ptr(ptr, &ptr)) {
		return -EFAULT;
	}
	if (sem) {
		return user_ret(
			syscall(SYS_semctl, (int)a[0], (int)a[1], cmd, ptr));
	}
	return user_ret(syscall(syscall_table[nr].host == -1 ?
					(nr == 187 ? SYS_msgctl : SYS_shmctl) :
					syscall_table[nr].host,
				(int)a[0], cmd, ptr));
}

int64_t sys_gettid_fn(struct user_thread *thread, const uint64_t *a)
{
	return thread->tid;
}

int64_t sys_set_tid_address_fn(struct user_thread *thread, const uint64_t *a)
{
	thread->clear_child_tid = a[0];
	return thread->tid;
}

/* riscv_flush_icache(start, end, flags): SYS_RISCV_FLUSH_ICACHE_LOCAL (1)
 * limits it to the calling thread. */
int64_t sys_flush_icache_fn(struct user_thread *thread, const uint64_t *a)
{
	if (a[2] & ~1ull) {
		return -EINVAL;
	}
	riscv_cpu_tlb_flush(thread->cpu);
	if (!(a[2] & 1)) {
		mm_flush_all_harts();
	}
	return 0;
}

int64_t sys_futex_fn(struct user_thread *thread, const uint64_t *a)
{
	int cmd = (int)a[1] & FUTEX_CMD_MASK;
	uint64_t uaddr, timeout = a[3], uaddr2 = a[4];

	if (!user_range_ok(a[0], 4) || !translate_ptr(a[0], &uaddr)) {
		return -EFAULT;
	}
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
	case FUTEX_LOCK_PI:
	case FUTEX_WAIT_REQUEUE_PI:
	case 13: /* FUTEX_LOCK_PI2 */
		if (!translate_ptr(a[3], &timeout)) {
			return -EFAULT;
		}
		break;
	default:
		break;
	}
	switch (cmd) {
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
	case FUTEX_WAKE_OP:
	case FUTEX_WAIT_REQUEUE_PI:
	case FUTEX_CMP_REQUEUE_PI:
		if (!translate_ptr(a[4], &uaddr2)) {
			return -EFAULT;
		}
		break;
	default:
		break;
	}
	return safe_syscall(SYS_futex, uaddr, a[1], a[2], timeout, uaddr2,
			    a[5]);
}

int64_t sys_prctl_fn(struct user_thread *thread, const uint64_t *a)
{
	uint64_t arg2 = a[1];

	switch (a[0]) {
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_PDEATHSIG:
	case PR_GET_TID_ADDRESS:
		if (!translate_ptr(a[1], &arg2)) {
			return -EFAULT;
		}
		break;
	case PR_SET_SECCOMP:
	case PR_SET_MM:
		return -EINVAL;
	default:
		break;
	}
	return user_ret(prctl((int)a[0], arg2, a[2], a[3], a[4]));
}

int64_t sys_fcntl_fn(struct user_thread *thread, const uint64_t *a)
{
	uint64_t arg = a[2];

	switch ((int)a[1]) {
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
	case F_GETOWN_EX:
	case F_SETOWN_EX:
		if (!translate_ptr(a[2], &arg)) {
			return -EFAULT;
		}
		break;
	default:
		break;
	}
	return user_ret(syscall(SYS_fcntl, (int)a[0], (int)a[1], arg));
}

int64_t sys_exit_fn(struct user_thread *thread, const uint64_t *a)
{
	user_thread_exit(thread, (int)a[0]);
}

int64_t sys_exit_group_fn(struct user_thread *thread, const uint64_t *a)
{
	user_exit_group((int)a[0]);
}

int64_t sys_clone_fn(struct user_thread *thread, const uint64_t *a)
{
	return user_clone(thread, a[0], a[1], a[2], a[3], a[4]);
}

int64_t sys_clone3_fn(struct user_thread *thread, const uint64_t *a)
{
	return user_clone3(thread, a[0], a[1]);
}

int64_t sys_rt_sigaction_fn(struct user_thread *thread, const uint64_t *a)
{
	return signal_sys_rt_sigaction((int)a[0], a[1], a[2], a[3]);
}

int64_t sys_rt_sigprocmask_fn(struct user_thread *thread, const uint64_t *a)
{
	return signal_sys_rt_sigprocmask(thread, (int)a[0], a[1], a[2], a[3]);
}

int64_t sys_rt_sigreturn_fn(struct user_thread *thread, const uint64_t *a)
{
	if (signal_sys_rt_sigreturn(thread) < 0) {
		signal_die(SIGSEGV);
	}
	return SYSCALL_NO_RETURN_VALUE;
}

int64_t sys_sigaltstack_fn(struct user_thread *thread, const uint64_t *a)
{
	return signal_sys_sigaltstack(thread, a[0], a[1]);
}

int64_t sys_rt_sigsuspend_fn(struct user_thread *thread, const uint64_t *a)
{
	return signal_sys_rt_sigsuspend(thread, a[0], a[1]);
}

int64_t sys_rt_sigpending_fn(struct user_thread *thread, const uint64_t *a)
{
	sigset_t host;
	uint64_t set = thread->pending.set & thread->sigmask;

	if (a[1] != 8) {
		return -EINVAL;
	}
	if (!sigpending(&host)) {
		for (int sig = 1; sig <= USER_NSIG; sig++) {
			if (sigismember(&host, sig) == 1) {
				set |= 1ull << (sig - 1);
			}
		}
	}
	return mm_copy_to_guest(a[0], &set, 8) ? 0 : -EFAULT;
}
