/* SPDX-License-Identifier: MIT */
/* The RISC-V hart: architectural state and the interface boards and
 * linux-user use to run it. Nothing here knows about a particular board. */
#ifndef MIMIC_TARGET_RISCV_CPU_H
#define MIMIC_TARGET_RISCV_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "util/types.h"

enum riscv_priv {
	RISCV_PRIV_U = 0,
	RISCV_PRIV_S = 1,
	RISCV_PRIV_M = 3,
};

enum riscv_access {
	RISCV_ACCESS_READ = 0,
	RISCV_ACCESS_WRITE = 1,
	RISCV_ACCESS_EXEC = 2,
};

/* Which world the hart lives in. */
enum riscv_cpu_mode {
	/* Full system: starts in M-mode at the reset vector; traps vector
	 * through mtvec/stvec as the privileged spec says. */
	RISCV_CPU_SYSTEM,
	/* Linux user mode: runs in U-mode with no translation (satp bare);
	 * ecall and every synchronous exception leave riscv_cpu_run() so the
	 * caller can emulate the system call or deliver a signal. */
	RISCV_CPU_USER,
};

/*
 * How a hart reaches memory and time. A board implements it over its
 * physical address map; linux-user implements it over the guest's address
 * space (where "physical" == guest virtual, since satp is bare).
 */
struct riscv_bus_ops {
	/*
	 * Host address of the 4 KiB page at page-aligned address `page` if it
	 * is ordinary memory allowed for `access`, else NULL (then the access
	 * goes to io_read/io_write). The pointer may be cached in the hart's
	 * TLB until riscv_cpu_tlb_flush() is called, which the owner of the
	 * mapping must do when it unmaps or changes permissions.
	 */
	void *(*ram_page)(void *opaque, gpa_t page, enum riscv_access access);
	/* Device access of 1, 2, 4 or 8 bytes; false means access fault. */
	bool (*io_read)(void *opaque, gpa_t addr, unsigned size, uint64_t *val);
	bool (*io_write)(void *opaque, gpa_t addr, unsigned size, uint64_t val);
	/* The platform timer (`time` CSR, CLINT mtime): 10 MHz ticks. */
	uint64_t (*time)(void *opaque);
};

/* Why riscv_cpu_run() returned. */
enum riscv_exit {
	RISCV_EXIT_BUDGET, /* executed the instruction budget */
	RISCV_EXIT_REQUEST, /* riscv_cpu_request_exit() was called */
	RISCV_EXIT_WFI, /* wfi with no interrupt pending: the caller may sleep */
	RISCV_EXIT_ECALL, /* user mode: ecall at pc (caller advances pc) */
	RISCV_EXIT_EXCEPTION, /* user mode: exit_cause/exit_tval, pc at fault */
	RISCV_EXIT_DEBUG, /* a breakpoint, watchpoint or single step ended it:
			   * riscv_cpu_debug_stop_reason(), pc not executed */
};

/* Exception causes (mcause without the interrupt bit). */
enum riscv_exception {
	RISCV_EXC_INSN_MISALIGNED = 0,
	RISCV_EXC_INSN_ACCESS = 1,
	RISCV_EXC_ILLEGAL_INSN = 2,
	RISCV_EXC_BREAKPOINT = 3,
	RISCV_EXC_LOAD_MISALIGNED = 4,
	RISCV_EXC_LOAD_ACCESS = 5,
	RISCV_EXC_STORE_MISALIGNED = 6,
	RISCV_EXC_STORE_ACCESS = 7,
	RISCV_EXC_ECALL_U = 8,
	RISCV_EXC_ECALL_S = 9,
	RISCV_EXC_ECALL_M = 11,
	RISCV_EXC_INSN_PAGE_FAULT = 12,
	RISCV_EXC_LOAD_PAGE_FAULT = 13,
	RISCV_EXC_STORE_PAGE_FAULT = 15,
};

/* Interrupt bits in mip/mie. */
#define RISCV_MIP_SSIP (1ull << 1)
#define RISCV_MIP_MSIP (1ull << 3)
#define RISCV_MIP_STIP (1ull << 5)
#define RISCV_MIP_MTIP (1ull << 7)
#define RISCV_MIP_SEIP (1ull << 9)
#define RISCV_MIP_MEIP (1ull << 11)

struct riscv_cpu;
struct error;

/* How riscv_cpu_run() executes guest code. */
enum riscv_engine {
	RISCV_ENGINE_INTERP, /* the reference interpreter */
	RISCV_ENGINE_JIT, /* translation to host code (x86-64 hosts) */
};

/*
 * The engine for harts created from now on (process-wide; the default is
 * the interpreter): "interp" or "jit". False with errp for another name.
 */
bool riscv_engine_select(const char *name, struct error **errp);
enum riscv_engine riscv_engine_default(void);

/*
 * Allocate and reset a hart. `hartid` goes into mhartid; in system mode the
 * hart starts in M-mode at `reset_pc`.
 */
struct riscv_cpu *riscv_cpu_new(enum riscv_cpu_mode mode, unsigned hartid,
				const struct riscv_bus_ops *bus, void *opaque);
void riscv_cpu_free(struct riscv_cpu *cpu);
/*
 * A new hart with src's registers, CSRs and mode (linux-user threads: the
 * caller then sets the child's pc, sp, tp and a0). NULL when out of memory.
 */
struct riscv_cpu *riscv_cpu_clone(const struct riscv_cpu *src);
/* Architectural reset (system mode): M-mode, pc = reset_pc, CSRs reset. */
void riscv_cpu_reset(struct riscv_cpu *cpu, uint64_t reset_pc);

/*
 * Run until one of enum riscv_exit happens or about max_insns instructions
 * have retired. State is precise on return.
 */
enum riscv_exit riscv_cpu_run(struct riscv_cpu *cpu, uint64_t max_insns);

/* Thread-safe: make the running riscv_cpu_run() return RISCV_EXIT_REQUEST
 * soon (at the next instruction boundary it checks). */
void riscv_cpu_request_exit(struct riscv_cpu *cpu);

/* Thread-safe: raise or lower external interrupt lines (RISCV_MIP_*)
 * driven by devices (PLIC: MEIP/SEIP, CLINT: MSIP). */
void riscv_cpu_set_irq(struct riscv_cpu *cpu, uint64_t mip_mask, bool level);
/* The CLINT's mtimecmp for this hart; MTIP follows time >= mtimecmp. */
void riscv_cpu_set_mtimecmp(struct riscv_cpu *cpu, uint64_t value);
uint64_t riscv_cpu_get_mtimecmp(const struct riscv_cpu *cpu);
/* The `time` value at which a timer interrupt (MTIP, or STIP with Sstc)
 * would become pending, or UINT64_MAX; used to sleep in WFI. */
uint64_t riscv_cpu_timer_deadline(const struct riscv_cpu *cpu);
/* True when mip & mie is non-zero: WFI must not (or no longer) sleep. */
bool riscv_cpu_wfi_wakeup(const struct riscv_cpu *cpu);

/*
 * Leave riscv_cpu_run() with an access fault for addr at the current pc,
 * from a host SIGSEGV/SIGBUS handler on the thread running the hart (user
 * mode: a page the hart had cached went away, e.g. a file shrank under a
 * mapping). The caller restores the signal mask first, since the run loop's
 * jump buffer does not save it.
 */
__attribute__((noreturn)) void
riscv_cpu_fault_from_host(struct riscv_cpu *cpu, gva_t addr,
			  enum riscv_access access);

/* Drop every cached translation (after the guest's memory map changed). */
void riscv_cpu_tlb_flush(struct riscv_cpu *cpu);

/* Register access for linux-user (signal frames), gdb and the monitor. */
uint64_t riscv_cpu_get_pc(const struct riscv_cpu *cpu);
void riscv_cpu_set_pc(struct riscv_cpu *cpu, uint64_t pc);
uint64_t riscv_cpu_get_x(const struct riscv_cpu *cpu, unsigned reg);
void riscv_cpu_set_x(struct riscv_cpu *cpu, unsigned reg, uint64_t value);
uint64_t riscv_cpu_get_f(const struct riscv_cpu *cpu, unsigned reg);
void riscv_cpu_set_f(struct riscv_cpu *cpu, unsigned reg, uint64_t value);
uint32_t riscv_cpu_get_fcsr(const struct riscv_cpu *cpu);
void riscv_cpu_set_fcsr(struct riscv_cpu *cpu, uint32_t value);
/* After RISCV_EXIT_EXCEPTION: cause (enum riscv_exception) and tval. */
unsigned riscv_cpu_exit_cause(const struct riscv_cpu *cpu);
uint64_t riscv_cpu_exit_tval(const struct riscv_cpu *cpu);
/* CSR access by number for debuggers and the monitor; false if absent. */
bool riscv_cpu_read_csr(struct riscv_cpu *cpu, unsigned csr, uint64_t *val);
bool riscv_cpu_write_csr(struct riscv_cpu *cpu, unsigned csr, uint64_t val);
enum riscv_priv riscv_cpu_get_priv(const struct riscv_cpu *cpu);
uint64_t riscv_cpu_get_instret(const struct riscv_cpu *cpu);

/* ---- debugger support (gdbstub), target/riscv/debug.c ---- */

/* Breakpoints and watchpoints are shared by every hart of the process:
 * change them only while no hart runs. A breakpoint is an address check
 * before each instruction, never a write into guest memory; a write
 * watchpoint compares the watched bytes after each instruction. */
enum riscv_debug_point {
	RISCV_DEBUG_BREAKPOINT,
	RISCV_DEBUG_WATCH_WRITE, /* len 1..8 */
};
bool riscv_debug_insert(enum riscv_debug_point type, gva_t addr, uint64_t len);
bool riscv_debug_remove(enum riscv_debug_point type, gva_t addr, uint64_t len);
void riscv_debug_remove_all(void);
/* Before harts resume: watchpoints take the watched values afresh. */
void riscv_debug_rearm(void);

/* Single-step: the next riscv_cpu_run() executes one instruction (or
 * takes one trap) and returns RISCV_EXIT_DEBUG. Interrupts stay pending
 * while stepping. */
void riscv_cpu_debug_step(struct riscv_cpu *cpu, bool on);

enum riscv_debug_stop {
	RISCV_DEBUG_STOP_BREAKPOINT,
	RISCV_DEBUG_STOP_STEP,
	RISCV_DEBUG_STOP_WATCH, /* *addr: the watched address */
};
enum riscv_debug_stop riscv_cpu_debug_stop_reason(const struct riscv_cpu *cpu,
						  gva_t *addr);

/*
 * The accelerators' hook: while riscv_cpu_debug_wanted() (cpu-internal.h)
 * holds, call it before executing the instruction at pc; true means
 * return RISCV_EXIT_DEBUG now, with pc not executed.
 */
bool riscv_cpu_debug_hook(struct riscv_cpu *cpu);

/* A debugger's access to virtual memory as the hart sees it now (its
 * satp and privilege), without setting A/D bits, filling the TLB or
 * touching devices; false if some byte is not RAM. A write drops the
 * hart's decoded instructions. */
bool riscv_cpu_debug_rw(struct riscv_cpu *cpu, gva_t addr, void *buf,
			size_t len, bool write);

/* The ISA string this CPU implements, for the device tree ("rv64imafdc_..."). */
const char *riscv_cpu_isa_string(void);
/* AT_HWCAP bits (one per single-letter extension) for linux-user. */
uint64_t riscv_cpu_hwcap(void);

#endif
