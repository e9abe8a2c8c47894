/* SPDX-License-Identifier: MIT */
/* Guest signals: dispositions mirrored on the host, riscv64 rt_sigframe. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

/* The riscv64 frame: siginfo, then the ucontext (arch/riscv signal.c). */
#define FRAME_INFO 0
#define FRAME_UC 128
#define UC_STACK 16
#define UC_SIGMASK 40
#define UC_MCONTEXT 176
#define MC_FPREGS 256
#define FRAME_SIZE (FRAME_UC + 960)

#define GUEST_SA_NOCLDSTOP 0x00000001ull
#define GUEST_SA_SIGINFO 0x00000004ull
#define GUEST_SA_ONSTACK 0x08000000ull
#define GUEST_SA_RESTART 0x10000000ull
#define GUEST_SA_NODEFER 0x40000000ull
#define GUEST_SA_RESETHAND 0x80000000ull

#define HOST_SA_RESTORER 0x04000000ull
#define MINSIGSTKSZ_GUEST 2048

#define SIGBIT(sig) (1ull << ((sig)-1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/* The x86-64 kernel's struct sigaction (raw syscalls reach signals 32
 * and 33 that the host libc keeps for itself). */
struct host_kernel_sigaction {
	void *handler;
	uint64_t flags;
	void *restorer;
	uint64_t mask;
};

void mimic_host_restore_rt(void);
__asm__(".text\n"
	".align 16\n"
	"mimic_host_restore_rt:\n"
	"\tmovq $15, %rax\n"
	"\tsyscall\n");

static struct user_sigaction actions[USER_NSIG + 1];
static pthread_mutex_t actions_lock = PTHREAD_MUTEX_INITIALIZER;
static gva_t trampoline;

void signal_set_trampoline(gva_t addr)
{
	trampoline = addr;
}

static bool sig_valid(int sig)
{
	return sig >= 1 && sig <= USER_NSIG;
}

/*
 * A host fault while the hart runs, on a guest page it had cached (a file
 * mapping that shrank, a page another thread unmapped): the guest's fault,
 * delivered like any other. Does not return when it is one.
 */
static void host_fault(struct user_thread *thread, int sig, siginfo_t *info,
		       ucontext_t *uc)
{
	uintptr_t host = (uintptr_t)info->si_addr;
	enum riscv_access access = RISCV_ACCESS_READ;
	gva_t addr;

	if (!thread || !thread->in_guest || (sig != SIGSEGV && sig != SIGBUS) ||
	    host < user_guest_base) {
		return;
	}
	addr = h2g(info->si_addr);
	if (!user_range_ok(addr, 1)) {
		return;
	}
	/* x86-64 page-fault error code: bit 1 set for a write. */
	if (uc->uc_mcontext.gregs[REG_ERR] & 2) {
		access = RISCV_ACCESS_WRITE;
	}
	if (sig == SIGBUS) {
		mm_mark_past_eof(addr);
	}
	thread->in_guest = false;
	pthread_sigmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
	riscv_cpu_fault_from_host(thread->cpu, addr, access);
}

static void host_handler(int sig, siginfo_t *info, void *uc)
{
	struct user_thread *thread = user_current;

	if (info->si_code > 0 &&
	    (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	     sig == SIGFPE || sig == SIGTRAP)) {
		host_fault(thread, sig, info, uc);
		/* A fault of mimic itself, not a signal for the guest: let
		 * the default action happen when the access repeats. */
		signal(sig, SIG_DFL);
		return;
	}
	if (!thread || !sig_valid(sig)) {
		return;
	}
	thread->pending.info[sig] = *info;
	__atomic_fetch_or(&thread->pending.set, SIGBIT(sig), __ATOMIC_RELEASE);
	riscv_cpu_request_exit(thread->cpu);
	safe_syscall_interrupt(uc);
}

/* guest_flags: SA_NOCLDSTOP and SA_NOCLDWAIT change what the kernel does. */
static int host_sigaction(int sig, void *handler, uint64_t guest_flags)
{
	uint64_t kernel_flags = guest_flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
	struct host_kernel_sigaction ka = {
		.handler = handler,
		.flags = SA_SIGINFO | HOST_SA_RESTORER | kernel_flags,
		.restorer = (void *)mimic_host_restore_rt,
		.mask = ~0ull,
	};

	if (handler == SIG_DFL || handler == SIG_IGN) {
		ka.flags = HOST_SA_RESTORER | kernel_flags;
		ka.mask = 0;
	}
	return (int)syscall(SYS_rt_sigaction, sig, &ka, NULL, 8);
}

static void host_set_mask(uint64_t mask)
{
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &mask, NULL, 8);
}

void signal_init(void)
{
	struct host_kernel_sigaction old;

	for (int sig = 1; sig <= USER_NSIG; sig++) {
		if (!syscall(SYS_rt_sigaction, sig, NULL, &old, 8) &&
		    old.handler == SIG_IGN) {
			actions[sig].handler = 1;
		}
	}
}

void signal_set_mask(struct user_thread *thread, uint64_t mask)
{
	mask &= ~UNBLOCKABLE;
	thread->sigmask = mask;
	host_set_mask(mask);
}

void signal_queue(struct user_thread *thread, int sig, const siginfo_t *info)
{
	thread->pending.info[sig] = *info;
	__atomic_fetch_or(&thread->pending.set, SIGBIT(sig), __ATOMIC_RELEASE);
}

void signal_die(int sig)
{
	struct rlimit nocore = { 0, 0 };
	uint64_t only = ~SIGBIT(sig);

	user_gdb_exit(0, sig);
	fflush(NULL);
	setrlimit(RLIMIT_CORE, &nocore);
	host_sigaction(sig, SIG_DFL, 0);
	host_set_mask(only);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
	/* Signals whose default is to be ignored or to stop end here. */
	_exit(128 + sig);
}

static bool is_fatal_default(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return false;
	default:
		return true;
	}
}

void signal_from_exception(struct user_thread *thread, unsigned cause,
			   uint64_t tval)
{
	siginfo_t info;
	int sig;
	uint64_t pc = riscv_cpu_get_pc(thread->cpu);

	memset(&info, 0, sizeof(info));
	switch (cause) {
	case RISCV_EXC_ILLEGAL_INSN:
		sig = SIGILL;
		info.si_code = ILL_ILLOPC;
		info.si_addr = (void *)(uintptr_t)pc;
		break;
	case RISCV_EXC_BREAKPOINT:
		sig = SIGTRAP;
		info.si_code = TRAP_BRKPT;
		info.si_addr = (void *)(uintptr_t)pc;
		break;
	case RISCV_EXC_INSN_MISALIGNED:
	case RISCV_EXC_LOAD_MISALIGNED:
	case RISCV_EXC_STORE_MISALIGNED:
		sig = SIGBUS;
		info.si_code = BUS_ADRALN;
		info.si_addr = (void *)(uintptr_t)tval;
		break;
	default:
		if (mm_page_past_eof(tval)) {
			sig = SIGBUS;
			info.si_code = BUS_ADRERR;
			info.si_addr = (void *)(uintptr_t)tval;
			break;
		}
		sig = SIGSEGV;
		info.si_code = (mm_page_flags(tval) & USER_PAGE_VALID) ?
				       SEGV_ACCERR :
				       SEGV_MAPERR;
		info.si_addr = (void *)(uintptr_t)tval;
		break;
	}
	info.si_signo = sig;
	if (user_gdb_active && !user_gdb_signal(thread, sig)) {
		return;
	}
	log_mask_printf(LOG_INT, "guest exception %u at pc %#llx tval %#llx\n",
			cause, (unsigned long long)pc,
			(unsigned long long)tval);
	/* A blocked or ignored synchronous fault kills, as on Linux. */
	if ((thread->sigmask & SIGBIT(sig)) || actions[sig].handler <= 1) {
		signal_die(sig);
	}
	signal_queue(thread, sig, &info);
}

static int first_deliverable(struct user_thread *thread)
{
	uint64_t ready =
		__atomic_load_n(&thread->pending.set, __ATOMIC_ACQUIRE) &
		~thread->sigmask;

	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

bool signal_pending_unblocked(struct user_thread *thread)
{
	return first_deliverable(thread) != 0;
}

bool signal_should_restart(struct user_thread *thread)
{
	int sig = first_deliverable(thread);

	return sig && actions[sig].handler > 1 &&
	       (actions[sig].flags & GUEST_SA_RESTART);
}

static bool on_altstack(struct user_thread *thread, gva_t sp)
{
	return thread->altstack_size && sp > thread->altstack_sp &&
	       sp <= thread->altstack_sp + thread->altstack_size;
}

static void save_context(struct user_thread *thread, uint8_t *uc,
			 uint64_t oldmask, gva_t sp)
{
	struct riscv_cpu *cpu = thread->cpu;
	uint64_t *gregs = (uint64_t *)(uc + UC_MCONTEXT);
	uint64_t *fregs = (uint64_t *)(uc + UC_MCONTEXT + MC_FPREGS);
	uint64_t stack[3] = {
		thread->altstack_sp,
		thread->altstack_size ?
			(on_altstack(thread, sp) ? SS_ONSTACK : 0) :
			SS_DISABLE,
		thread->altstack_size,
	};

	memset(uc, 0, FRAME_SIZE - FRAME_UC);
	memcpy(uc + UC_STACK, stack, sizeof(stack));
	memcpy(uc + UC_SIGMASK, &oldmask, 8);
	gregs[0] = riscv_cpu_get_pc(cpu);
	for (unsigned i = 1; i < 32; i++) {
		gregs[i] = riscv_cpu_get_x(cpu, i);
	}
	for (unsigned i = 0; i < 32; i++) {
		fregs[i] = riscv_cpu_get_f(cpu, i);
	}
	*(uint32_t *)&fregs[32] = riscv_cpu_get_fcsr(cpu);
}

static bool setup_frame(struct user_thread *thread, int sig,
			const siginfo_t *info, const struct user_sigaction *act,
			uint64_t oldmask)
{
	struct riscv_cpu *cpu = thread->cpu;
	gva_t sp = riscv_cpu_get_x(cpu, 2);
	gva_t frame;

	if ((act->flags & GUEST_SA_ONSTACK) && thread->altstack_size &&
	    !on_altstack(thread, sp)) {
		sp = thread->altstack_sp + thread->altstack_size;
	}
	frame = (sp - FRAME_SIZE) & ~15ull;
	if (!mm_range_has(frame, FRAME_SIZE, USER_PAGE_W | USER_PAGE_R)) {
		return false;
	}
	memcpy(g2h(frame + FRAME_INFO), info, 128);
	save_context(thread, g2h(frame + FRAME_UC), oldmask,
		     riscv_cpu_get_x(cpu, 2));
	riscv_cpu_set_x(cpu, 1, trampoline);
	riscv_cpu_set_x(cpu, 2, frame);
	riscv_cpu_set_x(cpu, 10, (uint64_t)sig);
	riscv_cpu_set_x(cpu, 11, frame + FRAME_INFO);
	riscv_cpu_set_x(cpu, 12, frame + FRAME_UC);
	riscv_cpu_set_pc(cpu, act->handler);
	return true;
}

/* Deliver one signal; false when there was none to deliver. */
static bool deliver_one(struct user_thread *thread, uint64_t *oldmask)
{
	int sig = first_deliverable(thread);
	struct user_sigaction act;
	siginfo_t info;

	if (!sig) {
		return false;
	}
	info = thread->pending.info[sig];
	__atomic_fetch_and(&thread->pending.set, ~SIGBIT(sig),
			   __ATOMIC_ACQ_REL);
	pthread_mutex_lock(&actions_lock);
	act = actions[sig];
	if ((act.flags & GUEST_SA_RESETHAND) && act.handler > 1) {
		actions[sig].handler = 0;
		host_sigaction(sig, SIG_DFL, 0);
	}
	pthread_mutex_unlock(&actions_lock);
	if (act.handler == 1) {
		return true;
	}
	if (act.handler == 0) {
		if (is_fatal_default(sig)) {
			signal_die(sig);
		}
		return true;
	}
	if (info.si_signo != sig) {
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
	}
	if (user_settings.strace) {
		log_printf("%d --- %s {si_code=%d} ---\n", thread->tid,
			   strsignal(sig), info.si_code);
	}
	if (!setup_frame(thread, sig, &info, &act, *oldmask)) {
		signal_die(SIGSEGV);
	}
	*oldmask = thread->sigmask | act.mask;
	if (!(act.flags & GUEST_SA_NODEFER)) {
		*oldmask |= SIGBIT(sig);
	}
	signal_set_mask(thread, *oldmask);
	return true;
}

void signal_deliver(struct user_thread *thread)
{
	uint64_t mask = thread->sigmask;

	if (thread->sigsuspend_active) {
		/* The handler returns to the mask before rt_sigsuspend. */
		mask = thread->sigsuspend_saved;
	}
	while (deliver_one(thread, &mask)) {
		if (thread->sigsuspend_active) {
			thread->sigsuspend_active = false;
			mask = thread->sigmask;
		}
	}
	if (thread->sigsuspend_active) {
		thread->sigsuspend_active = false;
		signal_set_mask(thread, thread->sigsuspend_saved);
	}
}

int64_t signal_sys_rt_sigreturn(struct user_thread *thread)
{
	struct riscv_cpu *cpu = thread->cpu;
	gva_t frame = riscv_cpu_get_x(cpu, 2);
	const uint8_t *uc;
	const uint64_t *gregs, *fregs;
	uint64_t mask;

	if (!mm_range_has(frame, FRAME_SIZE, USER_PAGE_R)) {
		return -EFAULT;
	}
	uc = g2h(frame + FRAME_UC);
	gregs = (const uint64_t *)(uc + UC_MCONTEXT);
	fregs = (const uint64_t *)(uc + UC_MCONTEXT + MC_FPREGS);
	memcpy(&mask, uc + UC_SIGMASK, 8);
	riscv_cpu_set_pc(cpu, gregs[0]);
	for (unsigned i = 1; i < 32; i++) {
		riscv_cpu_set_x(cpu, i, gregs[i]);
	}
	for (unsigned i = 0; i < 32; i++) {
		riscv_cpu_set_f(cpu, i, fregs[i]);
	}
	riscv_cpu_set_fcsr(cpu, *(const uint32_t *)&fregs[32]);
	signal_set_mask(thread, mask);
	return 0;
}

int64_t signal_sys_rt_sigaction(int sig, gva_t act, gva_t oact, uint64_t size)
{
	struct user_sigaction new, old;
	void *host;

	if (!sig_valid(sig) || size != 8) {
		return -EINVAL;
	}
	if (act && (sig == SIGKILL || sig == SIGSTOP)) {
		return -EINVAL;
	}
	if (act && !mm_copy_from_guest(&new, act, sizeof(new))) {
		return -EFAULT;
	}
	pthread_mutex_lock(&actions_lock);
	old = actions[sig];
	if (act) {
		new.mask &= ~UNBLOCKABLE;
		actions[sig] = new;
		host = new.handler == 0 ? (void *)SIG_DFL :
		       new.handler == 1 ? (void *)SIG_IGN :
					  (void *)host_handler;
		host_sigaction(sig, host, new.flags);
	}
	pthread_mutex_unlock(&actions_lock);
	if (oact && !mm_copy_to_guest(oact, &old, sizeof(old))) {
		return -EFAULT;
	}
	return 0;
}

int64_t signal_sys_rt_sigprocmask(struct user_thread *thread, int how,
				  gva_t set, gva_t oset, uint64_t size)
{
	uint64_t old = thread->sigmask, s;

	if (size != 8) {
		return -EINVAL;
	}
	if (set) {
		if (!mm_copy_from_guest(&s, set, 8)) {
			return -EFAULT;
		}
		switch (how) {
		case SIG_BLOCK:
			s |= old;
			break;
		case SIG_UNBLOCK:
			s = old & ~s;
			break;
		case SIG_SETMASK:
			break;
		default:
			return -EINVAL;
		}
		signal_set_mask(thread, s);
	}
	if (oset && !mm_copy_to_guest(oset, &old, 8)) {
		return -EFAULT;
	}
	return 0;
}

int64_t signal_sys_rt_sigsuspend(struct user_thread *thread, gva_t set,
				 uint64_t size)
{
	uint64_t mask, all = ~0ull;

	if (size != 8) {
		return -EINVAL;
	}
	if (!mm_copy_from_guest(&mask, set, 8)) {
		return -EFAULT;
	}
	mask &= ~UNBLOCKABLE;
	/* Block everything, then let the host unblock atomically. */
	host_set_mask(all);
	thread->sigsuspend_saved = thread->sigmask;
	thread->sigsuspend_active = true;
	thread->sigmask = mask;
	if (!signal_pending_unblocked(thread)) {
		syscall(SYS_rt_sigsuspend, &mask, 8);
	}
	host_set_mask(mask);
	return -EINTR;
}

int64_t signal_sys_sigaltstack(struct user_thread *thread, gva_t ss, gva_t oss)
{
	gva_t sp = riscv_cpu_get_x(thread->cpu, 2);
	uint64_t old[3] = {
		thread->altstack_sp,
		thread->altstack_size ?
			(on_altstack(thread, sp) ? SS_ONSTACK : 0) :
			SS_DISABLE,
		thread->altstack_size,
	};
	uint64_t new[3];

	if (ss) {
		if (!mm_copy_from_guest(new, ss, sizeof(new))) {
			return -EFAULT;
		}
		if (on_altstack(thread, sp)) {
			return -EPERM;
		}
		if ((int)new[1] & SS_DISABLE) {
			thread->altstack_sp = 0;
			thread->altstack_size = 0;
		} else if ((int)new[1] & ~SS_ONSTACK) {
			return -EINVAL;
		} else if (new[2] < MINSIGSTKSZ_GUEST) {
			return -ENOMEM;
		} else {
			thread->altstack_sp = new[0];
			thread->altstack_size = new[2];
		}
	}
	if (oss && !mm_copy_to_guest(oss, old, sizeof(old))) {
		return -EFAULT;
	}
	return 0;
}
