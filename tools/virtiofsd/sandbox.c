/* SPDX-License-Identifier: MIT */
/* Confinement: mount namespace + pivot_root or chroot, capabilities, seccomp. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "tools/virtiofsd/sandbox.h"

/*
 * Become PID 1 of the new PID namespace: fork; the parent only waits and
 * passes the exit status on; the child dies with it (SIGTERM to the parent
 * ends both at once). Returns in the child only; false if fork failed.
 */
static bool fork_into_pid_namespace(void)
{
	int status = 0;
	pid_t child = fork();

	if (child < 0) {
		return false;
	}
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		return true;
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
	}
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static int open_proc_fd(void)
{
	return open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* Returns NULL on success, else the step that failed (errno set). */
static const char *enter_namespace(const char *dir, int *proc_fd)
{
	if (unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC) <
	    0) {
		return "cannot create namespaces";
	}
	if (!fork_into_pid_namespace()) {
		return "cannot fork into the new PID namespace";
	}
	/* Our own /proc/self/fd, opened while the host's /proc is visible. */
	*proc_fd = open_proc_fd();
	if (*proc_fd < 0) {
		return "cannot open /proc/self/fd";
	}
	/* Nothing we do here may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0 ||
	    mount(dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    chdir(dir) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
	    umount2(".", MNT_DETACH) < 0 || chdir("/") < 0) {
		return "cannot pivot_root into the shared directory";
	}
	return NULL;
}

static const char *enter_chroot(const char *dir)
{
	if (chroot(dir) < 0 || chdir("/") < 0) {
		return "cannot chroot into the shared directory";
	}
	return NULL;
}

bool sandbox_enter(enum sandbox_mode mode, const char *shared_dir,
		   const char **root_path, int *proc_fd)
{
	const char *ns_why = NULL, *why;
	int ns_errno = 0;

	*root_path = shared_dir;
	*proc_fd = -1;
	if (mode == SANDBOX_NAMESPACE) {
		ns_why = enter_namespace(shared_dir, proc_fd);
		if (!ns_why) {
			*root_path = "/";
			return true;
		}
		ns_errno = errno;
	}
	if (*proc_fd < 0) {
		*proc_fd = open_proc_fd();
	}
	if (*proc_fd < 0) {
		vub_log(VUB_LOG_ERROR, "cannot open /proc/self/fd: %s",
			strerror(errno));
		return false;
	}
	if (mode == SANDBOX_NONE) {
		return true;
	}
	why = enter_chroot(shared_dir);
	if (!why) {
		*root_path = "/";
		if (ns_why) {
			vub_log(VUB_LOG_WARN,
				"sandbox: %s (%s); using chroot instead",
				ns_why, strerror(ns_errno));
		}
		return true;
	}
	/* One line says what failed and what we run with. */
	if (ns_why) {
		vub_log(VUB_LOG_WARN,
			"sandbox: %s (%s) and %s (%s); running without a "
			"sandbox",
			ns_why, strerror(ns_errno), why, strerror(errno));
	} else {
		vub_log(VUB_LOG_WARN,
			"sandbox: %s (%s); running without a "
			"sandbox",
			why, strerror(errno));
	}
	return true;
}

/* What a passthrough server needs: ownership, modes, links, devices. */
static const unsigned kept_caps[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
	CAP_FOWNER, CAP_FSETID,	      CAP_SETGID,
	CAP_SETUID, CAP_MKNOD,	      CAP_SETFCAP,
};

void sandbox_drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3,
						0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	if (geteuid() != 0) {
		return;
	}
	for (unsigned c = 0; c <= CAP_LAST_CAP; c++) {
		bool keep = false;

		for (size_t k = 0; k < sizeof(kept_caps) / sizeof(kept_caps[0]);
		     k++) {
			keep |= kept_caps[k] == c;
		}
		if (keep) {
			data[c / 32].effective |= 1u << (c % 32);
			data[c / 32].permitted |= 1u << (c % 32);
		} else {
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
		}
	}
	if (syscall(SYS_capset, &hdr, data) < 0) {
		vub_log(VUB_LOG_WARN, "cannot drop capabilities: %s",
			strerror(errno));
	}
}

static const char *const allowed_syscalls[] = {
	"accept4",
	"brk",
	"capget",
	"capset",
	"clock_gettime",
	"clock_nanosleep",
	"clone",
	"clone3",
	"close",
	"copy_file_range",
	"dup",
	"dup3",
	"epoll_create1",
	"epoll_ctl",
	"epoll_pwait",
	"epoll_wait",
	"eventfd2",
	"exit",
	"exit_group",
	"faccessat",
	"faccessat2",
	"fallocate",
	"fchdir",
	"fchmod",
	"fchmodat",
	"fchown",
	"fchownat",
	"fcntl",
	"fdatasync",
	"fgetxattr",
	"flistxattr",
	"fremovexattr",
	"fsetxattr",
	"fstat",
	"fstatfs",
	"fsync",
	"ftruncate",
	"futex",
	"getdents64",
	"getegid",
	"geteuid",
	"getgid",
	"getpid",
	"getrandom",
	"gettid",
	"gettimeofday",
	"getuid",
	"linkat",
	"lseek",
	"madvise",
	"memfd_create",
	"mkdirat",
	"mknodat",
	"mmap",
	"mprotect",
	"mremap",
	"munmap",
	"nanosleep",
	"newfstatat",
	"openat",
	"openat2",
	"poll",
	"ppoll",
	"pread64",
	"preadv",
	"preadv2",
	"prlimit64",
	"pwrite64",
	"pwritev",
	"pwritev2",
	"read",
	"readlinkat",
	"readv",
	"recvfrom",
	"recvmsg",
	"renameat",
	"renameat2",
	"restart_syscall",
	"rseq",
	"rt_sigaction",
	"rt_sigprocmask",
	"rt_sigreturn",
	"sched_getaffinity",
	"sched_yield",
	"sendmsg",
	"sendto",
	"set_robust_list",
	"setfsgid",
	"setfsuid",
	"setsockopt",
	"sigaltstack",
	"statx",
	"symlinkat",
	"sync_file_range",
	"syncfs",
	"tgkill",
	"umask",
	"unlinkat",
	"utimensat",
	"write",
	"writev",
};

bool sandbox_seccomp(enum seccomp_mode mode)
{
	uint32_t action =
		mode == SECCOMP_LOG ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx;
	int ret;

	if (mode == SECCOMP_NONE) {
		return true;
	}
	ctx = seccomp_init(action);
	if (!ctx) {
		vub_log(VUB_LOG_ERROR, "seccomp: cannot create a filter");
		return false;
	}
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0;
	     i < sizeof(allowed_syscalls) / sizeof(allowed_syscalls[0]); i++) {
		int nr = seccomp_syscall_resolve_name(allowed_syscalls[i]);

		if (nr != __NR_SCMP_ERROR) {
			seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		}
	}
	ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret < 0) {
		vub_log(VUB_LOG_ERROR, "seccomp: cannot load the filter: %s",
			strerror(-ret));
		return false;
	}
	return true;
}
