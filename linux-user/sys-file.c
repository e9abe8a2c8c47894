/* SPDX-License-Identifier: MIT */
/* File system calls that need more than pointer translation: /proc, stat,
 * iovecs, ioctl, execve, uname. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "linux-user/syscall.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

const char *user_path(const char *path)
{
	static __thread char buf[PATH_MAX];
	struct stat st;
	const char *prefix = user_settings.ld_prefix;

	if (!prefix || path[0] != '/' || !path[1] ||
	    snprintf(buf, sizeof(buf), "%s%s", prefix, path) >=
		    (int)sizeof(buf) ||
	    lstat(buf, &st)) {
		return path;
	}
	return buf;
}

/* ---- stat ----------------------------------------------------------- */

/* The asm-generic struct stat that riscv64 uses (128 bytes). */
struct guest_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime_sec;
	uint64_t st_atime_nsec;
	int64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	int64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	uint32_t unused4;
	uint32_t unused5;
};

_Static_assert(sizeof(struct guest_stat) == 128, "asm-generic stat");

void user_stat_to_guest(const struct stat *st, uint8_t out[128])
{
	struct guest_stat g = {
		.st_dev = st->st_dev,
		.st_ino = st->st_ino,
		.st_mode = st->st_mode,
		.st_nlink = (uint32_t)st->st_nlink,
		.st_uid = st->st_uid,
		.st_gid = st->st_gid,
		.st_rdev = st->st_rdev,
		.st_size = st->st_size,
		.st_blksize = (int32_t)st->st_blksize,
		.st_blocks = st->st_blocks,
		.st_atime_sec = st->st_atim.tv_sec,
		.st_atime_nsec = (uint64_t)st->st_atim.tv_nsec,
		.st_mtime_sec = st->st_mtim.tv_sec,
		.st_mtime_nsec = (uint64_t)st->st_mtim.tv_nsec,
		.st_ctime_sec = st->st_ctim.tv_sec,
		.st_ctime_nsec = (uint64_t)st->st_ctim.tv_nsec,
	};

	memcpy(out, &g, sizeof(g));
}

static int64_t stat_out(int r, const struct stat *st, gva_t buf)
{
	uint8_t g[128];

	if (r < 0) {
		return -errno;
	}
	user_stat_to_guest(st, g);
	return mm_copy_to_guest(buf, g, sizeof(g)) ? 0 : -EFAULT;
}

/* ---- /proc views ------------------------------------------------------- */

enum proc_file {
	PROC_NONE,
	PROC_EXE,
	PROC_MAPS,
	PROC_AUXV,
	PROC_CPUINFO,
	PROC_CMDLINE,
};

/* Which guest-view /proc file a path names ("/proc/self/x", "/proc/PID/x"). */
static enum proc_file proc_lookup(const char *path)
{
	char self[32];
	const char *rest = NULL;

	if (!strcmp(path, "/proc/cpuinfo")) {
		return PROC_CPUINFO;
	}
	snprintf(self, sizeof(self), "/proc/%d/", getpid());
	if (!strncmp(path, "/proc/self/", 11)) {
		rest = path + 11;
	} else if (!strncmp(path, self, strlen(self))) {
		rest = path + strlen(self);
	} else if (!strncmp(path, "/proc/thread-self/", 18)) {
		rest = path + 18;
	}
	if (!rest) {
		return PROC_NONE;
	}
	if (!strcmp(rest, "exe")) {
		return PROC_EXE;
	}
	if (!strcmp(rest, "maps")) {
		return PROC_MAPS;
	}
	if (!strcmp(rest, "auxv")) {
		return PROC_AUXV;
	}
	if (!strcmp(rest, "cmdline")) {
		return PROC_CMDLINE;
	}
	return PROC_NONE;
}

static void write_cpuinfo(int fd)
{
	dprintf(fd,
		"processor\t: 0\nhart\t\t: 0\nisa\t\t: %s\nmmu\t\t: sv39\n"
		"uarch\t\t: mimic\n\n",
		riscv_cpu_isa_string());
}

static int64_t proc_open(enum proc_file which, int flags)
{
	int fd;

	if (which == PROC_EXE) {
		return user_ret(open(user_settings.exe_path, flags));
	}
	fd = memfd_create("mimic-proc", MFD_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	switch (which) {
	case PROC_MAPS:
		mm_write_maps(fd);
		break;
	case PROC_CMDLINE:
		for (int i = 0; i < user_settings.argc; i++) {
			const char *arg = user_settings.argv[i];

			if (write(fd, arg, strlen(arg) + 1) < 0) {
				break;
			}
		}
		break;
	case PROC_AUXV:
		if (write(fd, g2h(user_settings.image.auxv),
			  user_settings.image.auxv_len) < 0) {
			break;
		}
		break;
	default:
		write_cpuinfo(fd);
		break;
	}
	lseek(fd, 0, SEEK_SET);
	if (!(flags & O_CLOEXEC)) {
		fcntl(fd, F_SETFD, 0);
	}
	return fd;
}

int64_t sys_openat_fn(struct user_thread *thread, const uint64_t *a)
{
	const char *path = mm_guest_string(a[1]);
	enum proc_file which;

	if (!path) {
		return -EFAULT;
	}
	which = proc_lookup(path);
	if (which != PROC_NONE) {
		return proc_open(which, (int)a[2]);
	}
	return safe_syscall(SYS_openat, (uint64_t)(int)a[0],
			    (uint64_t)(uintptr_t)user_path(path), a[2], a[3], 0,
			    0);
}

int64_t sys_readlinkat_fn(struct user_thread *thread, const uint64_t *a)
{
	const char *path = mm_guest_string(a[1]);
	size_t len;

	if (!path) {
		return -EFAULT;
	}
	if (!user_range_ok(a[2], a[3])) {
		return -EFAULT;
	}
	if (proc_lookup(path) == PROC_EXE) {
		len = MIN(strlen(user_settings.exe_path), a[3]);
		return mm_copy_to_guest(a[2], user_settings.exe_path, len) ?
			       (int64_t)len :
			       -EFAULT;
	}
	return user_ret(
		readlinkat((int)a[0], user_path(path), g2h(a[2]), a[3]));
}

int64_t sys_newfstatat_fn(struct user_thread *thread, const uint64_t *a)
{
	const char *path = mm_guest_string(a[1]);
	struct stat st;

	if (!path) {
		return -EFAULT;
	}
	if (proc_lookup(path) == PROC_EXE && !(a[3] & AT_SYMLINK_NOFOLLOW)) {
		path = user_settings.exe_path;
	} else {
		path = user_path(path);
	}
	return stat_out(fstatat((int)a[0], path, &st, (int)a[3]), &st, a[2]);
}

int64_t sys_fstat_fn(struct user_thread *thread, const uint64_t *a)
{
	struct stat st;

	return stat_out(fstat((int)a[0], &st), &st, a[1]);
}

/* ---- iovecs ------------------------------------------------------------ */

struct guest_iovec {
	uint64_t base, len;
};

/* Host iovecs for a guest array; NULL with *err set on failure. */
static struct iovec *iov_from_guest(gva_t giov, uint64_t cnt, int *err)
{
	struct guest_iovec g;
	struct iovec *iov;

	if (cnt > IOV_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	iov = calloc(cnt ? cnt : 1, sizeof(*iov));
	if (!iov) {
		*err = -ENOMEM;
		return NULL;
	}
	for (uint64_t i = 0; i < cnt; i++) {
		if (!mm_copy_from_guest(&g, giov + i * sizeof(g), sizeof(g)) ||
		    (g.len && !user_range_ok(g.base, g.len))) {
			free(iov);
			*err = -EFAULT;
			return NULL;
		}
		iov[i].iov_base = g.len ? g2h(g.base) : NULL;
		iov[i].iov_len = g.len;
	}
	return iov;
}

static int64_t iov_call(long host_nr, const uint64_t *a)
{
	int err = 0;
	struct iovec *iov = iov_from_guest(a[1], a[2], &err);
	int64_t r;

	if (!iov) {
		return err;
	}
	r = safe_syscall(host_nr, (uint64_t)(int)a[0], (uint64_t)(uintptr_t)iov,
			 a[2], a[3], a[4], a[5]);
	free(iov);
	return r;
}

int64_t sys_readv_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_readv, a);
}

int64_t sys_writev_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_writev, a);
}

int64_t sys_preadv_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_preadv, a);
}

int64_t sys_pwritev_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_pwritev, a);
}

int64_t sys_preadv2_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_preadv2, a);
}

int64_t sys_pwritev2_fn(struct user_thread *thread, const uint64_t *a)
{
	return iov_call(SYS_pwritev2, a);
}

/* ---- ioctl ------------------------------------------------------------- */

/* Old-style terminal ioctls whose argument is a pointer. */
static bool tty_ioctl_takes_pointer(unsigned cmd)
{
	switch (cmd) {
	case TCGETS:
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCGETA:
	case TCSETA:
	case TCSETAW:
	case TCSETAF:
	case TIOCGPGRP:
	case TIOCSPGRP:
	case TIOCOUTQ:
	case TIOCSTI:
	case TIOCGWINSZ:
	case TIOCSWINSZ:
	case TIOCMGET:
	case TIOCMBIS:
	case TIOCMBIC:
	case TIOCMSET:
	case FIONREAD:
	case TIOCLINUX:
	case TIOCGSID:
	case FIONBIO:
	case FIOASYNC:
	case TIOCGETD:
	case TIOCSETD:
		return true;
	default:
		return false;
	}
}

/* SIOCGIFCONF: struct ifconf holds a pointer to the buffer it fills. */
static int64_t ioctl_ifconf(int fd, gva_t arg)
{
	struct {
		int32_t len;
		int32_t pad;
		uint64_t buf;
	} g;
	struct ifconf h;
	int64_t r;

	if (!mm_copy_from_guest(&g, arg, sizeof(g))) {
		return -EFAULT;
	}
	if (g.buf && (g.len < 0 || !user_range_ok(g.buf, (uint64_t)g.len))) {
		return -EFAULT;
	}
	h.ifc_len = g.len;
	h.ifc_buf = g.buf ? g2h(g.buf) : NULL;
	r = user_ret(ioctl(fd, SIOCGIFCONF, &h));
	if (r >= 0) {
		g.len = h.ifc_len;
		if (!mm_copy_to_guest(arg, &g, sizeof(g))) {
			return -EFAULT;
		}
	}
	return r;
}

int64_t sys_ioctl_fn(struct user_thread *thread, const uint64_t *a)
{
	unsigned cmd = (unsigned)a[1];
	bool pointer;

	if (cmd == SIOCGIFCONF) {
		return ioctl_ifconf((int)a[0], a[2]);
	}

	if (_IOC_DIR(cmd) != _IOC_NONE && _IOC_SIZE(cmd)) {
		pointer = true;
	} else if ((cmd & 0xff00) == 0x8900) {
		pointer = true; /* socket ioctls: struct ifreq and friends */
	} else {
		pointer = tty_ioctl_takes_pointer(cmd);
	}
	if (pointer && a[2]) {
		if (!user_range_ok(a[2], 1)) {
			return -EFAULT;
		}
		return user_ret(ioctl((int)a[0], cmd, g2h(a[2])));
	}
	return user_ret(ioctl((int)a[0], cmd, a[2]));
}

/* ---- uname ------------------------------------------------------------- */

int64_t sys_uname_fn(struct user_thread *thread, const uint64_t *a)
{
	struct utsname u;

	if (uname(&u)) {
		return -errno;
	}
	snprintf(u.machine, sizeof(u.machine), "riscv64");
	return mm_copy_to_guest(a[0], &u, sizeof(u)) ? 0 : -EFAULT;
}

/* ---- execve ------------------------------------------------------------ */

/* A NULL-terminated guest vector of strings as host pointers. */
static char **vector_from_guest(gva_t vec, size_t extra, int *err)
{
	size_t n = 0, cap = 16;
	char **v = calloc(cap + extra + 1, sizeof(*v));
	uint64_t p;

	while (v) {
		if (vec == 0) {
			break;
		}
		if (!mm_copy_from_guest(&p, vec + n * 8, 8)) {
			goto fault;
		}
		if (!p) {
			break;
		}
		if (n == cap) {
			char **bigger;

			cap *= 2;
			bigger = realloc(v, (cap + extra + 1) * sizeof(*v));
			if (!bigger) {
				free(v);
				v = NULL;
				break;
			}
			v = bigger;
		}
		v[n] = (char *)mm_guest_string(p);
		if (!v[n]) {
			goto fault;
		}
		v[++n] = NULL;
	}
	if (!v) {
		*err = -ENOMEM;
	}
	return v;
fault:
	free(v);
	*err = -EFAULT;
	return NULL;
}

/* Run a riscv64 program again under mimic, passing our settings on. */
static int64_t exec_under_mimic(const char *path, char **argv, char **envp)
{
	size_t argc = 0, n = 0;
	char **v;

	while (argv[argc]) {
		argc++;
	}
	v = calloc(argc + 18, sizeof(*v));
	if (!v) {
		return -ENOMEM;
	}
	v[n++] = (char *)user_settings.host_exe;
	if (user_settings.ld_prefix) {
		v[n++] = "-L";
		v[n++] = (char *)user_settings.ld_prefix;
	}
	if (user_settings.strace) {
		v[n++] = "-strace";
	}
	if (user_settings.log_spec) {
		v[n++] = "-d";
		v[n++] = (char *)user_settings.log_spec;
	}
	if (user_settings.log_file) {
		v[n++] = "-D";
		v[n++] = (char *)user_settings.log_file;
	}
	if (argc) {
		v[n++] = "-0";
		v[n++] = argv[0];
	}
	v[n++] = (char *)path;
	for (size_t i = 1; i < argc; i++) {
		v[n++] = argv[i];
	}
	v[n] = NULL;
	execve(user_settings.host_exe, v, envp);
	free(v);
	return -errno;
}

int64_t sys_execve(int dirfd, gva_t gpath, gva_t gargv, gva_t genvp, int flags)
{
	const char *path = mm_guest_string(gpath);
	char fdpath[PATH_MAX];
	char **argv, **envp;
	int err = 0;
	int64_t r;

	if (!path) {
		return -EFAULT;
	}
	if ((flags & AT_EMPTY_PATH) && !*path) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", dirfd);
		path = fdpath;
	} else if (path[0] != '/' && dirfd != AT_FDCWD) {
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d/%s", dirfd,
			 path);
		path = fdpath;
	}
	if (proc_lookup(path) == PROC_EXE) {
		path = user_settings.exe_path;
	} else {
		path = user_path(path);
	}
	argv = vector_from_guest(gargv, 0, &err);
	if (!argv) {
		return err;
	}
	envp = vector_from_guest(genvp, 0, &err);
	if (!envp) {
		free(argv);
		return err;
	}
	if (access(path, X_OK)) {
		r = -errno;
	} else if (elf_is_riscv64(path)) {
		r = exec_under_mimic(path, argv, envp);
	} else {
		r = user_ret(execve(path, argv, envp));
	}
	free(argv);
	free(envp);
	return r;
}

int64_t sys_execve_fn(struct user_thread *thread, const uint64_t *a)
{
	return sys_execve(AT_FDCWD, a[0], a[1], a[2], 0);
}

int64_t sys_execveat_fn(struct user_thread *thread, const uint64_t *a)
{
	return sys_execve((int)a[0], a[1], a[2], a[3], (int)a[4]);
}
