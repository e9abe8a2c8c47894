/* SPDX-License-Identifier: MIT */
/* The riscv64 system call table: numbers, host equivalents, argument kinds. */
#ifndef MIMIC_LINUX_USER_SYSCALL_H
#define MIMIC_LINUX_USER_SYSCALL_H

#include <stdint.h>

#include "linux-user/user.h"

typedef int64_t syscall_fn(struct user_thread *thread, const uint64_t *args);

/* Flags of a table entry. */
#define SYSCALL_NORESTART 1 /* never restarted by SA_RESTART (EINTR) */
#define SYSCALL_PATH 2 /* string arguments are looked up under -L first */

/*
 * One riscv64 system call. Without `fn` it passes straight to the host
 * number `host`, with pointer arguments translated. `args` holds one
 * character per argument, used for translation and -strace:
 *   i signed int, x hex, o octal, f fd, p pointer, s string pointer
 */
struct syscall_def {
	const char *name;
	int host;
	syscall_fn *fn;
	const char *args;
	unsigned flags;
};

#define SYSCALL_MAX 460
extern const struct syscall_def syscall_table[SYSCALL_MAX];

/* Custom handlers shared between the table and their files. */
syscall_fn sys_brk_fn, sys_mmap_fn, sys_munmap_fn, sys_mprotect_fn,
	sys_mremap_fn, sys_openat_fn, sys_readlinkat_fn, sys_newfstatat_fn,
	sys_fstat_fn, sys_execve_fn, sys_execveat_fn, sys_ioctl_fn,
	sys_readv_fn, sys_writev_fn, sys_preadv_fn, sys_pwritev_fn,
	sys_preadv2_fn, sys_pwritev2_fn, sys_uname_fn, sys_sendmsg_fn,
	sys_recvmsg_fn, sys_epoll_ctl_fn, sys_epoll_pwait_fn, sys_pselect6_fn,
	sys_clone_fn, sys_enosys_fn, sys_exit_fn, sys_exit_group_fn,
	sys_rt_sigaction_fn, sys_rt_sigprocmask_fn, sys_rt_sigreturn_fn,
	sys_sigaltstack_fn, sys_rt_sigsuspend_fn, sys_rt_sigpending_fn,
	sys_set_tid_address_fn, sys_futex_fn, sys_flush_icache_fn, sys_prctl_fn,
	sys_fcntl_fn, sys_gettid_fn, sys_madvise_fn, sys_shmat_fn, sys_shmdt_fn,
	sys_ipcctl_fn, sys_clone3_fn;

#endif
