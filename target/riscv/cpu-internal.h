/* SPDX-License-Identifier: MIT */
/* The hart's state and the memory fast path, shared by target/riscv and the
 * accelerators (the interpreter now, the translator later). */
#ifndef MIMIC_TARGET_RISCV_CPU_INTERNAL_H
#define MIMIC_TARGET_RISCV_CPU_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "target/riscv/cpu.h"
#include "target/riscv/decode.h"

/* mstatus fields */
#define MSTATUS_SIE (1ull << 1)
#define MSTATUS_MIE (1ull << 3)
#define MSTATUS_SPIE (1ull << 5)
#define MSTATUS_MPIE (1ull << 7)
#define MSTATUS_SPP (1ull << 8)
#define MSTATUS_VS (3ull << 9)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP (3ull << 11)
#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS (3ull << 13)
#define MSTATUS_XS (3ull << 15)
#define MSTATUS_MPRV (1ull << 17)
#define MSTATUS_SUM (1ull << 18)
#define MSTATUS_MXR (1ull << 19)
#define MSTATUS_TVM (1ull << 20)
#define MSTATUS_TW (1ull << 21)
#define MSTATUS_TSR (1ull << 22)
#define MSTATUS_UXL (3ull << 32)
#define MSTATUS_SXL (3ull << 34)
#define MSTATUS_SD (1ull << 63)

#define FS_OFF 0
#define FS_INITIAL 1
#define FS_CLEAN 2
#define FS_DIRTY 3

#define MENVCFG_CBIE (3ull << 4)
#define MENVCFG_CBCFE (1ull << 6)
#define MENVCFG_CBZE (1ull << 7)
#define MENVCFG_STCE (1ull << 63)

/* CSR numbers */
enum {
	CSR_FFLAGS = 0x001,
	CSR_FRM = 0x002,
	CSR_FCSR = 0x003,
	CSR_CYCLE = 0xc00,
	CSR_TIME = 0xc01,
	CSR_INSTRET = 0xc02,
	CSR_HPMCOUNTER3 = 0xc03,
	CSR_HPMCOUNTER31 = 0xc1f,
	CSR_SSTATUS = 0x100,
	CSR_SIE = 0x104,
	CSR_STVEC = 0x105,
	CSR_SCOUNTEREN = 0x106,
	CSR_SENVCFG = 0x10a,
	CSR_SSCRATCH = 0x140,
	CSR_SEPC = 0x141,
	CSR_SCAUSE = 0x142,
	CSR_STVAL = 0x143,
	CSR_SIP = 0x144,
	CSR_STIMECMP = 0x14d,
	CSR_SATP = 0x180,
	CSR_MVENDORID = 0xf11,
	CSR_MARCHID = 0xf12,
	CSR_MIMPID = 0xf13,
	CSR_MHARTID = 0xf14,
	CSR_MCONFIGPTR = 0xf15,
	CSR_MSTATUS = 0x300,
	CSR_MISA = 0x301,
	CSR_MEDELEG = 0x302,
	CSR_MIDELEG = 0x303,
	CSR_MIE = 0x304,
	CSR_MTVEC = 0x305,
	CSR_MCOUNTEREN = 0x306,
	CSR_MENVCFG = 0x30a,
	CSR_MCOUNTINHIBIT = 0x320,
	CSR_MHPMEVENT3 = 0x323,
	CSR_MHPMEVENT31 = 0x33f,
	CSR_MSCRATCH = 0x340,
	CSR_MEPC = 0x341,
	CSR_MCAUSE = 0x342,
	CSR_MTVAL = 0x343,
	CSR_MIP = 0x344,
	CSR_PMPCFG0 = 0x3a0,
	CSR_PMPCFG15 = 0x3af,
	CSR_PMPADDR0 = 0x3b0,
	CSR_PMPADDR63 = 0x3ef,
	CSR_MCYCLE = 0xb00,
	CSR_MINSTRET = 0xb02,
	CSR_MHPMCOUNTER3 = 0xb03,
	CSR_MHPMCOUNTER31 = 0xb1f,
	CSR_TSELECT = 0x7a0,
	CSR_TDATA1 = 0x7a1,
	CSR_TDATA2 = 0x7a2,
	CSR_TDATA3 = 0x7a3,
	CSR_TINFO = 0x7a4,
};

#define RISCV_PMP_COUNT 16

/*
 * The software TLB: direct-mapped, one array per access type. A hit is
 * `entry.tag == (vaddr & (~0xfff | (size - 1)))`, which also rejects
 * misaligned accesses; the host address is then vaddr + addend. Entries for
 * device pages carry TLB_IO in the tag (so the fast path never hits) and
 * addend = guest physical page - virtual page.
 */
#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_IO 0x800ull
#define TLB_INVALID (~0ull)

struct riscv_tlb_entry {
	uint64_t tag;
	uintptr_t addend;
};

struct riscv_tlb {
	struct riscv_tlb_entry read[TLB_SIZE];
	struct riscv_tlb_entry write[TLB_SIZE];
	struct riscv_tlb_entry exec[TLB_SIZE];
};

/* TLB sets by effective privilege: U, S, S with mstatus.SUM (data only),
 * M; toggling SUM (as Linux does around every user access) or MPRV only
 * switches sets. */
#define TLB_SETS 4

/*
 * A direct-mapped cache of decoded instructions by pc. As on hardware with
 * an instruction cache, a store to code is only guaranteed to be seen after
 * fence.i (or a TLB flush): both bump icache_gen, which invalidates every
 * entry at once. Entries hold the pc as tag and icache_key (generation and
 * privilege) in gen.
 */
#define ICACHE_BITS 15
#define ICACHE_SIZE (1u << ICACHE_BITS)

struct riscv_icache_entry {
	uint64_t tag;
	uint64_t gen;
	void *handler; /* the accelerator's function for insn.op */
	struct riscv_insn insn;
};

struct riscv_cpu {
	/* Hot state first, at fixed offsets for generated code. */
	uint64_t x[32];
	uint64_t pc;
	uint64_t next_pc;
	uint64_t f[32];
	uint64_t instret;
	uint64_t run_end; /* instret at which riscv_cpu_run() returns */
	/* The run loop checks interrupts, timers and exit requests when
	 * instret reaches chunk_end; riscv_recheck() sets it to 0. */
	uint64_t chunk_end;
	struct riscv_tlb *dtlb; /* data accesses, per effective privilege */
	struct riscv_tlb *itlb;
	uint64_t mip; /* atomic: devices raise lines from other threads */
	uint64_t mie;
	uint64_t icache_gen;
	/* icache_gen << 2 | priv: an entry is valid for one privilege only,
	 * since a hit skips the permission checks of the fetch. */
	uint64_t icache_key;
	/* Virtual pages (hashed) that have entries in the icache since the
	 * last full flush, so that flushing one page is usually free. */
	uint64_t icache_pages[64];
	int exit_request; /* atomic */
	/* A debugger single-steps this hart (riscv_cpu_debug_step()); the
	 * step's instruction has started once debug_step_done is set. */
	bool debug_step;
	bool debug_step_done;
	enum riscv_priv priv;
	enum riscv_engine engine;
	/* Bumped when translated code may be stale (fence.i, a change of the
	 * guest's memory map); the translator's state (accel/jit). */
	uint64_t code_gen;
	void *jit;
	uint32_t fflags, frm;

	/* CSRs */
	uint64_t mstatus, medeleg, mideleg, mtvec, mscratch, mepc, mcause;
	uint64_t mtval, mcounteren, scounteren, stvec, sscratch, sepc;
	uint64_t scause, stval, satp, menvcfg, senvcfg, stimecmp, mtimecmp;
	uint64_t mcountinhibit;
	int64_t instret_offset, cycle_offset; /* minstret/mcycle - instret */
	uint8_t pmpcfg[RISCV_PMP_COUNT];
	uint64_t pmpaddr[RISCV_PMP_COUNT];
	unsigned pmp_active; /* entries with A != OFF */

	/* LR/SC: the address and the value the LR saw. */
	bool res_valid;
	uint64_t res_addr;
	uint64_t res_value;

	enum riscv_cpu_mode mode;
	unsigned hartid;
	const struct riscv_bus_ops *bus;
	void *opaque;
	unsigned exit_cause;
	uint64_t exit_tval;
	/* Why the last run ended with RISCV_EXIT_DEBUG (enum
	 * riscv_debug_stop) and the watched address for a watchpoint. */
	unsigned debug_stop;
	gva_t debug_addr;
	sigjmp_buf jmp;

	struct riscv_tlb tlb[TLB_SETS];
	struct riscv_icache_entry icache[ICACHE_SIZE];
};

/* Make the run loop look at interrupts and exit requests after the
 * current instruction (thread-safe). */
static inline void riscv_recheck(struct riscv_cpu *cpu)
{
	__atomic_store_n(&cpu->chunk_end, 0, __ATOMIC_SEQ_CST);
}

/* longjmp codes back to riscv_cpu_run() */
#define RISCV_JMP_CONTINUE 1 /* a trap was taken, keep going */
#define RISCV_JMP_EXIT 2 /* add enum riscv_exit */

/* ---- exceptions (trap.c) ---- */
__attribute__((noreturn)) void riscv_raise(struct riscv_cpu *cpu,
					   unsigned cause, uint64_t tval);
__attribute__((noreturn)) void riscv_illegal(struct riscv_cpu *cpu);
__attribute__((noreturn)) void riscv_exit_loop(struct riscv_cpu *cpu,
					       enum riscv_exit why);
/* Take the highest-priority enabled interrupt, if any; true if taken. */
bool riscv_check_interrupts(struct riscv_cpu *cpu);
void riscv_mret(struct riscv_cpu *cpu);
void riscv_sret(struct riscv_cpu *cpu);
void riscv_update_timers(struct riscv_cpu *cpu);
void riscv_set_priv(struct riscv_cpu *cpu, enum riscv_priv priv);
/* Recompute dtlb/itlb after priv or mstatus.MPRV/MPP changed. */
void riscv_update_mmu_mode(struct riscv_cpu *cpu);

/* ---- CSRs (csr.c) ---- */
/* Execute a CSR instruction's access; raises illegal on failure. */
uint64_t riscv_csr_access(struct riscv_cpu *cpu, unsigned csr, uint64_t val,
			  uint64_t mask, bool write);
bool riscv_csr_read_raw(struct riscv_cpu *cpu, unsigned csr, uint64_t *val);
bool riscv_csr_write_raw(struct riscv_cpu *cpu, unsigned csr, uint64_t val);
uint64_t riscv_mip_read(const struct riscv_cpu *cpu);

/* ---- memory (mmu.c) ---- */
uint64_t riscv_load_slow(struct riscv_cpu *cpu, gva_t va, unsigned size);
void riscv_store_slow(struct riscv_cpu *cpu, gva_t va, unsigned size,
		      uint64_t val);
uint32_t riscv_fetch_slow(struct riscv_cpu *cpu, gva_t pc);
/* Host pointer for an aligned atomic access of `size` bytes (write
 * permission), raising the right fault otherwise. */
void *riscv_atomic_ptr(struct riscv_cpu *cpu, gva_t va, unsigned size,
		       bool is_lr);
void riscv_tlb_flush_all(struct riscv_cpu *cpu);
/* Forget decoded instructions (fence.i; also part of every TLB flush). */
static inline void riscv_icache_flush(struct riscv_cpu *cpu)
{
	cpu->icache_gen++;
	cpu->icache_key = (cpu->icache_gen << 2) | cpu->priv;
	memset(cpu->icache_pages, 0, sizeof(cpu->icache_pages));
}

static inline bool riscv_icache_page_test(const struct riscv_cpu *cpu, gva_t va)
{
	unsigned bit = (va >> 12) & 4095;

	return (cpu->icache_pages[bit / 64] >> (bit % 64)) & 1;
}

static inline void riscv_icache_page_mark(struct riscv_cpu *cpu, gva_t va)
{
	unsigned bit = (va >> 12) & 4095;

	cpu->icache_pages[bit / 64] |= 1ull << (bit % 64);
}
void riscv_tlb_flush_page(struct riscv_cpu *cpu, gva_t va);
/* Free the translator's state (accel/jit/jit.c). */
void jit_state_free(void *jit);
/* Translate va for `access` without touching memory (cbo.*): the host
 * address, or NULL for device memory with *pa set; raises on faults. */
void *riscv_probe(struct riscv_cpu *cpu, gva_t va, enum riscv_access access,
		  gpa_t *pa);
bool riscv_pmp_check(struct riscv_cpu *cpu, gpa_t pa, unsigned size,
		     enum riscv_access access, enum riscv_priv priv);

static inline struct riscv_tlb_entry *riscv_tlb_entry(struct riscv_tlb_entry *t,
						      gva_t va)
{
	return &t[(va >> 12) & (TLB_SIZE - 1)];
}

#define RISCV_DEFINE_LOAD(name, type, size)                                  \
	static inline uint64_t riscv_##name(struct riscv_cpu *cpu, gva_t va) \
	{                                                                    \
		struct riscv_tlb_entry *e =                                  \
			riscv_tlb_entry(cpu->dtlb->read, va);                \
		if (likely(e->tag == (va & (~0xfffull | (size - 1))))) {     \
			return (uint64_t)(type) *                            \
			       (const type *)(uintptr_t)(va + e->addend);    \
		}                                                            \
		return (uint64_t)(type)riscv_load_slow(cpu, va, size);       \
	}

RISCV_DEFINE_LOAD(ld_s8, int8_t, 1)
RISCV_DEFINE_LOAD(ld_u8, uint8_t, 1)
RISCV_DEFINE_LOAD(ld_s16, int16_t, 2)
RISCV_DEFINE_LOAD(ld_u16, uint16_t, 2)
RISCV_DEFINE_LOAD(ld_s32, int32_t, 4)
RISCV_DEFINE_LOAD(ld_u32, uint32_t, 4)
RISCV_DEFINE_LOAD(ld_u64, uint64_t, 8)

#define RISCV_DEFINE_STORE(name, type, size)                              \
	static inline void riscv_##name(struct riscv_cpu *cpu, gva_t va,  \
					uint64_t val)                     \
	{                                                                 \
		struct riscv_tlb_entry *e =                               \
			riscv_tlb_entry(cpu->dtlb->write, va);            \
		if (likely(e->tag == (va & (~0xfffull | (size - 1))))) {  \
			*(type *)(uintptr_t)(va + e->addend) = (type)val; \
			return;                                           \
		}                                                         \
		riscv_store_slow(cpu, va, size, val);                     \
	}

RISCV_DEFINE_STORE(st_8, uint8_t, 1)
RISCV_DEFINE_STORE(st_16, uint16_t, 2)
RISCV_DEFINE_STORE(st_32, uint32_t, 4)
RISCV_DEFINE_STORE(st_64, uint64_t, 8)

/* The instruction bits at pc (only the low 16 matter for compressed). */
static inline uint32_t riscv_fetch(struct riscv_cpu *cpu, gva_t pc)
{
	struct riscv_tlb_entry *e = riscv_tlb_entry(cpu->itlb->exec, pc);

	if (likely(e->tag == (pc & ~0xfffull) && (pc & 0xfff) <= 0xffc)) {
		uint32_t raw;

		memcpy(&raw, (const void *)(uintptr_t)(pc + e->addend), 4);
		return raw;
	}
	return riscv_fetch_slow(cpu, pc);
}

static inline uint64_t riscv_mstatus_fs(const struct riscv_cpu *cpu)
{
	return (cpu->mstatus & MSTATUS_FS) >> MSTATUS_FS_SHIFT;
}

static inline void riscv_fs_dirty(struct riscv_cpu *cpu)
{
	cpu->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

uint64_t riscv_time(struct riscv_cpu *cpu);

/* ---- debugger (debug.c) ---- */
/* Breakpoints and watchpoints set, for every hart (atomic). */
extern int riscv_debug_nr_points;

/* Must the run loop call riscv_cpu_debug_hook() before each instruction?
 * Checked once per chunk (or per translation block): free without a
 * debugger. */
static inline bool riscv_cpu_debug_wanted(const struct riscv_cpu *cpu)
{
	return unlikely(
		cpu->debug_step ||
		__atomic_load_n(&riscv_debug_nr_points, __ATOMIC_RELAXED));
}

#endif
