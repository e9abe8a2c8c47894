/* SPDX-License-Identifier: MIT */
/* linux-user internals: the guest address space, threads, signals, syscalls. */
#ifndef MIMIC_LINUX_USER_USER_H
#define MIMIC_LINUX_USER_USER_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/error.h"
#include "util/types.h"

struct riscv_cpu;

/* ---- the guest address space (mm.c) ---------------------------------- */

#define USER_PAGE_SIZE 4096ull
#define USER_PAGE_MASK (~(USER_PAGE_SIZE - 1))
/* Sv39 user space: everything below 256 GiB. */
#define USER_SPACE_SIZE (1ull << 38)
#define USER_PAGE_ALIGN(x) (((x) + USER_PAGE_SIZE - 1) & USER_PAGE_MASK)

/* Page flags, one byte per guest page. */
#define USER_PAGE_R 0x01
#define USER_PAGE_W 0x02
#define USER_PAGE_X 0x04
#define USER_PAGE_VALID 0x08
/* A file mapping's page past the end of its file when it was mapped: the
 * hart checks again before touching it (Linux sends SIGBUS there). */
#define USER_PAGE_NOFILE 0x10
/* A file mapping's page past the end of its file when it was mapped: the
 * hart checks again before touching it (Linux sends SIGBUS there). */
#define USER_PAGE_NOFILE 0x10

/* Guest address + user_guest_base = host address. */
extern uintptr_t user_guest_base;

static inline void *g2h(gva_t addr)
{
	return (void *)(user_guest_base + (uintptr_t)addr);
}

static inline gva_t h2g(const void *host)
{
	return (gva_t)((uintptr_t)host - user_guest_base);
}

/* True when [addr, addr+len) lies inside the guest address space. */
static inline bool user_range_ok(gva_t addr, uint64_t len)
{
	return addr < USER_SPACE_SIZE && len <= USER_SPACE_SIZE - addr;
}

bool mm_init(struct error **errp);
/* Page flags of the page holding addr (0 when unmapped). */
unsigned mm_page_flags(gva_t addr);
/* True when the page at addr is still past the end of its file. */
bool mm_page_past_eof(gva_t addr);
/* True when the page at addr is still past the end of its file. */
bool mm_page_past_eof(gva_t addr);
/* True when every page in [addr, addr+len) has all of `flags`. */
/* The host raised SIGBUS on this page: its file no longer reaches it. */
void mm_mark_past_eof(gva_t addr);
bool mm_range_has(gva_t addr, uint64_t len, unsigned flags);
/* Bumped whenever a mapping disappears or loses permissions. */
uint64_t mm_generation(void);
/* Make every hart drop its cached translations before it runs again. */
void mm_flush_all_harts(void);
/* Called after the generation moved (thread.c kicks every hart). */
extern void (*mm_changed_hook)(void);

/* The system calls, returning a guest address or -errno. */
int64_t mm_mmap(gva_t addr, uint64_t len, int prot, int flags, int fd,
		uint64_t offset);
int64_t mm_munmap(gva_t addr, uint64_t len);
int64_t mm_mprotect(gva_t addr, uint64_t len, int prot);
int64_t mm_mremap(gva_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
		  gva_t new_addr);
int64_t mm_shmat(int id, gva_t addr, int flags);
int64_t mm_shmdt(gva_t addr);
void mm_set_brk_base(gva_t base);
int64_t mm_brk(gva_t addr);
/* The first address of the top-down mmap area. */
void mm_set_mmap_top(gva_t top);
/* Name a region for /proc/self/maps ("[stack]", a file path...). */
void mm_set_name(gva_t start, gva_t end, const char *name);
/* Write the guest's /proc/self/maps into fd. */
void mm_write_maps(int fd);

/* Hold the mapping lock across fork so the child never inherits it held. */
void mm_fork_prepare(void);
void mm_fork_done(void);

/* The bus a user-mode hart reaches guest memory through. */
extern const struct riscv_bus_ops mm_bus_ops;

/* Copy to and from guest memory, honouring guest permissions. */
bool mm_copy_to_guest(gva_t dst, const void *src, size_t len);
bool mm_copy_from_guest(void *dst, gva_t src, size_t len);
/* A guest string's host address if it is readable, else NULL. */
const char *mm_guest_string(gva_t addr);

/* ---- loading a program (elfload.c) ------------------------------------ */

struct user_image {
	gva_t entry; /* where the hart starts: interpreter or program */
	gva_t stack_pointer;
	gva_t load_bias, interp_bias;
	gva_t phdr;
	uint64_t phnum;
	gva_t prog_entry;
	gva_t brk;
	gva_t auxv;
	size_t auxv_len;
};

struct user_load_args {
	const char *path; /* the program file as the user named it */
	const char *ld_prefix; /* where PT_INTERP is looked up, or NULL */
	char **argv; /* the guest's argv (argv[0] may differ from path) */
	char **envp;
	uint64_t stack_size;
	uint64_t hwcap;
};

bool elf_load_program(const struct user_load_args *args,
		      struct user_image *image, struct error **errp);
/* Check an ELF header for a riscv64 executable; errp names the problem. */
bool elf_check_header(const void *buf, size_t len, struct error **errp);
/* True when the file at path (host) is a riscv64 ELF. */
bool elf_is_riscv64(const char *path);

/* ---- process-wide settings (main.c fills them) ------------------------ */

struct user_settings {
	const char *exe_path; /* the guest program, absolute */
	const char *ld_prefix;
	const char *host_exe; /* our own binary, for re-exec */
	const char *log_spec; /* -d list to pass on to exec'd children */
	const char *log_file; /* -D file, passed on too */
	bool strace;
	uint64_t stack_size;
	struct user_image image;
	/* The guest's argv, for /proc/self/cmdline. */
	char **argv;
	int argc;
};

extern struct user_settings user_settings;

/* ---- threads (thread.c) ----------------------------------------------- */

#define USER_NSIG 64

struct user_sigpending {
	uint64_t set; /* bit sig-1 */
	siginfo_t info[USER_NSIG + 1];
};

struct user_thread {
	struct riscv_cpu *cpu;
	int tid;
	uint64_t mm_gen;
	gva_t clear_child_tid;
	uint64_t sigmask; /* the guest's blocked set, bit sig-1 */
	struct user_sigpending pending;
	gva_t altstack_sp;
	uint64_t altstack_size;
	/* rt_sigsuspend: the mask to return to after the handler. */
	bool sigsuspend_active;
	uint64_t sigsuspend_saved;
	/* Inside riscv_cpu_run(): a host fault on guest memory is the
	 * guest's (see signal.c, host_fault). */
	volatile bool in_guest;
	/* The debugger keeps this thread stopped while others run; it
	 * passes on the signal the thread stopped with. */
	bool gdb_hold;
	bool gdb_pass_signal;
	struct user_thread *next;
};

extern __thread struct user_thread *user_current;

struct user_thread *user_thread_new(struct riscv_cpu *cpu);
/* Run the hart until the thread or the process exits. */
void user_cpu_loop(struct user_thread *thread) __attribute__((noreturn));
/* Request every hart to return so it sees a new mm generation. */
void user_kick_all(void);
int64_t user_clone(struct user_thread *thread, uint64_t flags, gva_t newsp,
		   gva_t parent_tid, gva_t tls, gva_t child_tid);
int64_t user_clone3(struct user_thread *thread, gva_t args, uint64_t size);
void user_thread_exit(struct user_thread *thread, int code)
	__attribute__((noreturn));
void user_exit_group(int code) __attribute__((noreturn));
/* Call fn for every thread under the thread list's lock until it returns
 * true (the debugger reads harts that cannot go away meanwhile). */
void user_thread_foreach(bool (*fn)(struct user_thread *thread, void *opaque),
			 void *opaque);

/* ---- the gdb stub (gdb.c) ---------------------------------------------- */

enum riscv_exit;
/* -g: listen for gdb and hold the program before its first instruction. */
bool user_gdb_start(const char *spec, struct error **errp);
extern bool user_gdb_active;
/* Around riscv_cpu_run() while user_gdb_active: park while the debugger
 * holds the threads; report a breakpoint, step or watchpoint. */
void user_gdb_enter(struct user_thread *thread);
void user_gdb_leave(struct user_thread *thread, enum riscv_exit why);
/* A synchronous fault raises sig: the debugger sees it first; false when
 * it says to drop it (the instruction then runs again). */
bool user_gdb_signal(struct user_thread *thread, int sig);
/* The program ends: exit code, or the host signal that killed it. */
void user_gdb_exit(int code, int sig);
/* In a forked child: run without the debugger. */
void user_gdb_fork_child(struct user_thread *thread);

/* ---- signals (signal.c) ----------------------------------------------- */

struct user_sigaction {
	gva_t handler;
	uint64_t flags;
	uint64_t mask;
};

void signal_init(void);
/* After a synchronous exception of the hart. */
void signal_from_exception(struct user_thread *thread, unsigned cause,
			   uint64_t tval);
/* Queue a signal for this thread (not from a host handler). */
void signal_queue(struct user_thread *thread, int sig, const siginfo_t *info);
/* Deliver pending, unblocked signals: build frames or take the default. */
void signal_deliver(struct user_thread *thread);
bool signal_pending_unblocked(struct user_thread *thread);
/* True when the first deliverable signal's handler has SA_RESTART. */
bool signal_should_restart(struct user_thread *thread);
/* Install the guest mask on the host thread too. */
void signal_set_mask(struct user_thread *thread, uint64_t mask);
int64_t signal_sys_rt_sigaction(int sig, gva_t act, gva_t oact, uint64_t size);
int64_t signal_sys_rt_sigprocmask(struct user_thread *thread, int how,
				  gva_t set, gva_t oset, uint64_t size);
int64_t signal_sys_rt_sigreturn(struct user_thread *thread);
int64_t signal_sys_sigaltstack(struct user_thread *thread, gva_t ss, gva_t oss);
int64_t signal_sys_rt_sigsuspend(struct user_thread *thread, gva_t set,
				 uint64_t size);
/* The guest trampoline address that performs rt_sigreturn. */
void signal_set_trampoline(gva_t addr);
/* Default action for a signal when the guest has no handler: terminate
 * the host process with the same signal (no core). */
void signal_die(int sig) __attribute__((noreturn));

/* ---- blocking host calls (safe-syscall.c) ---------------------------- */

/* Returned when a guest signal was pending before the host call started:
 * the guest's ecall runs again after the handler. */
#define USER_ERESTART_PRESYSCALL 513
/* A host system call as -errno, interruptible by guest signals without a
 * window between the check for pending signals and the kernel entry. */
int64_t safe_syscall(long nr, uint64_t a0, uint64_t a1, uint64_t a2,
		     uint64_t a3, uint64_t a4, uint64_t a5);
/* From the host signal handler: rewind a thread caught inside the window. */
void safe_syscall_interrupt(void *host_context);

/* ---- system calls (syscall.c) ----------------------------------------- */

/* Handle the ecall at pc; false when the pc must not advance. */
void syscall_dispatch(struct user_thread *thread);
/* Name of a riscv64 syscall number, or NULL. */
const char *syscall_name(unsigned nr);

/* An absolute guest path as the host should open it: under the -L prefix
 * when it exists there (sys-file.c). Uses a per-thread buffer. */
const char *user_path(const char *path);

/* execve and execveat (sys-file.c). */
int64_t sys_execve(int dirfd, gva_t path, gva_t argv, gva_t envp, int flags);

/* Conversion of asm-generic struct stat from the host's (sys-file.c). */
struct stat;
void user_stat_to_guest(const struct stat *st, uint8_t out[128]);

/* A host syscall result as -errno. */
static inline int64_t user_ret(long r)
{
	return r < 0 ? -(int64_t)errno : r;
}

#endif
