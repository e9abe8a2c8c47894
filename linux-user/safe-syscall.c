/* SPDX-License-Identifier: MIT */
/* Host system calls that a guest signal cannot slip past: the check for
 * pending signals and the syscall instruction form a range that the host
 * signal handler rewinds to "interrupted", so a signal arriving between the
 * check and the kernel entry is never left waiting for the call to end. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "linux-user/user.h"

_Static_assert(offsetof(struct user_thread, pending) ==
		       offsetof(struct user_thread, sigmask) + 8,
	       "safe_syscall reads sigmask and pending.set together");

#ifdef __x86_64__
/*
 * long mimic_safe_syscall(const uint64_t *mask_then_pending, long nr,
 *                         long a0, long a1, long a2, long a3, long a4,
 *                         long a5)
 * Returns the raw kernel result, or -USER_ERESTART_PRESYSCALL when a guest
 * signal was pending before the kernel was entered.
 */
__asm__(".text\n"
	".globl mimic_safe_syscall\n"
	".type mimic_safe_syscall, @function\n"
	"mimic_safe_syscall:\n"
	"\tpush %rbx\n"
	"\tmov %rdi, %rbx\n"
	"\tmov %rsi, %rax\n"
	"\tmov %rdx, %rdi\n"
	"\tmov %rcx, %rsi\n"
	"\tmov %r8, %rdx\n"
	"\tmov %r9, %r10\n"
	"\tmov 16(%rsp), %r8\n"
	"\tmov 24(%rsp), %r9\n"
	".globl mimic_safe_syscall_start\n"
	"mimic_safe_syscall_start:\n"
	"\tmov (%rbx), %r11\n"
	"\tnot %r11\n"
	"\tand 8(%rbx), %r11\n"
	"\tjnz mimic_safe_syscall_interrupted\n"
	"\tsyscall\n"
	".globl mimic_safe_syscall_end\n"
	"mimic_safe_syscall_end:\n"
	"\tpop %rbx\n"
	"\tret\n"
	".globl mimic_safe_syscall_interrupted\n"
	"mimic_safe_syscall_interrupted:\n"
	"\tmov $-513, %rax\n"
	"\tpop %rbx\n"
	"\tret\n"
	".size mimic_safe_syscall, .-mimic_safe_syscall\n");

long mimic_safe_syscall(const uint64_t *mask_then_pending, long nr, long a0,
			long a1, long a2, long a3, long a4, long a5);
extern const char mimic_safe_syscall_start[], mimic_safe_syscall_end[],
	mimic_safe_syscall_interrupted[];

void safe_syscall_interrupt(void *host_context)
{
	ucontext_t *uc = host_context;
	greg_t *rip = &uc->uc_mcontext.gregs[REG_RIP];

	if (*rip >= (greg_t)mimic_safe_syscall_start &&
	    *rip < (greg_t)mimic_safe_syscall_end) {
		*rip = (greg_t)mimic_safe_syscall_interrupted;
	}
}

int64_t safe_syscall(long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct user_thread *thread = user_current;

	if (!thread) {
		return user_ret(syscall(nr, a0, a1, a2, a3, a4, a5));
	}
	return mimic_safe_syscall(&thread->sigmask, nr, (long)a0, (long)a1,
				  (long)a2, (long)a3, (long)a4, (long)a5);
}
#else
void safe_syscall_interrupt(void *host_context)
{
	(void)host_context;
}

int64_t safe_syscall(long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3, uint64_t a4, uint64_t a5)
{
	return user_ret(syscall(nr, a0, a1, a2, a3, a4, a5));
}
#endif
