/* SPDX-License-Identifier: MIT */
/* Control and status registers: access rules, WARL masks, side effects. */
#include "target/riscv/cpu-internal.h"
#include "util/log.h"

#define MISA_VALUE                                                         \
	((2ull << 62) | (1u << ('a' - 'a')) | (1u << ('c' - 'a')) |        \
	 (1u << ('d' - 'a')) | (1u << ('f' - 'a')) | (1u << ('i' - 'a')) | \
	 (1u << ('m' - 'a')) | (1u << ('s' - 'a')) | (1u << ('u' - 'a')))

#define MSTATUS_WRITABLE                                                       \
	(MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE |             \
	 MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | \
	 MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_MASK                                                          \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_VS | MSTATUS_FS | \
	 MSTATUS_XS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WRITABLE                                                       \
	(MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
	 MSTATUS_MXR)
#define MEDELEG_WRITABLE 0xb3ffull
#define S_INTERRUPTS (RISCV_MIP_SSIP | RISCV_MIP_STIP | RISCV_MIP_SEIP)
#define ALL_INTERRUPTS \
	(S_INTERRUPTS | RISCV_MIP_MSIP | RISCV_MIP_MTIP | RISCV_MIP_MEIP)
#define MENVCFG_WRITABLE \
	(1ull | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE | MENVCFG_STCE)
#define SENVCFG_WRITABLE (1ull | MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE)
#define PMPADDR_MASK ((1ull << 54) - 1)

uint64_t riscv_mip_read(const struct riscv_cpu *cpu)
{
	return __atomic_load_n(&cpu->mip, __ATOMIC_ACQUIRE);
}

static void mip_update(struct riscv_cpu *cpu, uint64_t mask, uint64_t val)
{
	uint64_t old = riscv_mip_read(cpu), new;

	do {
		new = (old & ~mask) | (val & mask);
	} while (!__atomic_compare_exchange_n(&cpu->mip, &old, new, false,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
}

static uint64_t mstatus_read(const struct riscv_cpu *cpu)
{
	uint64_t st = cpu->mstatus & ~MSTATUS_SD;

	if ((st & MSTATUS_FS) == MSTATUS_FS) {
		st |= MSTATUS_SD;
	}
	return st | (2ull << 32) | (2ull << 34);
}

static void mstatus_write(struct riscv_cpu *cpu, uint64_t val, uint64_t mask)
{
	uint64_t old = cpu->mstatus, st;
	const uint64_t mmu_bits = MSTATUS_MPRV | MSTATUS_MPP | MSTATUS_SUM;

	st = (old & ~mask) | (val & mask);
	if (((st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) == 2) {
		st = (st & ~MSTATUS_MPP) | (old & MSTATUS_MPP);
	}
	cpu->mstatus = st & ~MSTATUS_SD;
	if ((old ^ st) & mmu_bits) {
		riscv_update_mmu_mode(cpu);
	}
	if ((old ^ st) & MSTATUS_MXR) {
		riscv_tlb_flush_all(cpu);
	}
}

static void pmp_recount(struct riscv_cpu *cpu)
{
	cpu->pmp_active = 0;
	for (unsigned i = 0; i < RISCV_PMP_COUNT; i++) {
		if (cpu->pmpcfg[i] & 0x18) {
			cpu->pmp_active++;
		}
	}
	riscv_tlb_flush_all(cpu);
}

static bool pmp_locked(const struct riscv_cpu *cpu, unsigned i)
{
	return (cpu->pmpcfg[i] & 0x80) != 0;
}

static void pmpcfg_write(struct riscv_cpu *cpu, unsigned reg, uint64_t val)
{
	for (unsigned b = 0; b < 8; b++) {
		unsigned i = reg * 4 + b;
		uint8_t cfg = val >> (8 * b);

		if (i >= RISCV_PMP_COUNT || pmp_locked(cpu, i)) {
			continue;
		}
		/* W without R is reserved: drop W. */
		if ((cfg & 3) == 2) {
			cfg &= ~2;
		}
		cpu->pmpcfg[i] = cfg & 0x9f;
	}
	pmp_recount(cpu);
}

static uint64_t pmpcfg_read(const struct riscv_cpu *cpu, unsigned reg)
{
	uint64_t val = 0;

	for (unsigned b = 0; b < 8; b++) {
		unsigned i = reg * 4 + b;

		if (i < RISCV_PMP_COUNT) {
			val |= (uint64_t)cpu->pmpcfg[i] << (8 * b);
		}
	}
	return val;
}

static void pmpaddr_write(struct riscv_cpu *cpu, unsigned i, uint64_t val)
{
	if (i >= RISCV_PMP_COUNT || pmp_locked(cpu, i)) {
		return;
	}
	/* A locked TOR entry also locks the address below it. */
	if (i + 1 < RISCV_PMP_COUNT && pmp_locked(cpu, i + 1) &&
	    ((cpu->pmpcfg[i + 1] >> 3) & 3) == 1) {
		return;
	}
	cpu->pmpaddr[i] = val & PMPADDR_MASK;
	riscv_tlb_flush_all(cpu);
}

static bool satp_write(struct riscv_cpu *cpu, uint64_t val)
{
	unsigned mode = val >> 60;

	if (mode != 0 && mode != 8 && mode != 9 && mode != 10) {
		return true;
	}
	cpu->satp = val;
	riscv_tlb_flush_all(cpu);
	return true;
}

static uint64_t counter_read(struct riscv_cpu *cpu, unsigned csr)
{
	switch (csr & 0x1f) {
	case 0:
		return cpu->instret + cpu->cycle_offset;
	case 1:
		return riscv_time(cpu);
	case 2:
		return cpu->instret + cpu->instret_offset;
	}
	return 0;
}

/* The counter-enable and privilege rules beyond the CSR number's own. */
static bool counter_allowed(const struct riscv_cpu *cpu, unsigned csr)
{
	unsigned bit = csr & 0x1f;

	if (cpu->mode == RISCV_CPU_USER || cpu->priv == RISCV_PRIV_M) {
		return true;
	}
	if (!((cpu->mcounteren >> bit) & 1)) {
		return false;
	}
	return cpu->priv == RISCV_PRIV_S || ((cpu->scounteren >> bit) & 1);
}

static bool csr_allowed(const struct riscv_cpu *cpu, unsigned csr)
{
	if (cpu->priv < ((csr >> 8) & 3)) {
		return false;
	}
	switch (csr) {
	case CSR_FFLAGS:
	case CSR_FRM:
	case CSR_FCSR:
		return riscv_mstatus_fs(cpu) != FS_OFF;
	case CSR_SATP:
		return cpu->priv == RISCV_PRIV_M ||
		       !(cpu->mstatus & MSTATUS_TVM);
	case CSR_STIMECMP:
		return cpu->priv == RISCV_PRIV_M ||
		       ((cpu->menvcfg & MENVCFG_STCE) && (cpu->mcounteren & 2));
	}
	if (csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31) {
		return counter_allowed(cpu, csr);
	}
	return true;
}

static bool csr_read_machine(struct riscv_cpu *cpu, unsigned csr, uint64_t *val)
{
	switch (csr) {
	case CSR_MSTATUS:
		*val = mstatus_read(cpu);
		return true;
	case CSR_MISA:
		*val = MISA_VALUE;
		return true;
	case CSR_MEDELEG:
		*val = cpu->medeleg;
		return true;
	case CSR_MIDELEG:
		*val = cpu->mideleg;
		return true;
	case CSR_MIE:
		*val = cpu->mie;
		return true;
	case CSR_MIP:
		*val = riscv_mip_read(cpu);
		return true;
	case CSR_MTVEC:
		*val = cpu->mtvec;
		return true;
	case CSR_MCOUNTEREN:
		*val = cpu->mcounteren;
		return true;
	case CSR_MENVCFG:
		*val = cpu->menvcfg;
		return true;
	case CSR_MCOUNTINHIBIT:
		*val = cpu->mcountinhibit;
		return true;
	case CSR_MSCRATCH:
		*val = cpu->mscratch;
		return true;
	case CSR_MEPC:
		*val = cpu->mepc;
		return true;
	case CSR_MCAUSE:
		*val = cpu->mcause;
		return true;
	case CSR_MTVAL:
		*val = cpu->mtval;
		return true;
	case CSR_MHARTID:
		*val = cpu->hartid;
		return true;
	case CSR_MVENDORID:
	case CSR_MARCHID:
	case CSR_MIMPID:
	case CSR_MCONFIGPTR:
		*val = 0;
		return true;
	case CSR_MCYCLE:
		*val = cpu->instret + cpu->cycle_offset;
		return true;
	case CSR_MINSTRET:
		*val = cpu->instret + cpu->instret_offset;
		return true;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		*val = 0;
		return true;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1) {
			return false;
		}
		*val = pmpcfg_read(cpu, csr - CSR_PMPCFG0);
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		unsigned i = csr - CSR_PMPADDR0;

		*val = i < RISCV_PMP_COUNT ? cpu->pmpaddr[i] : 0;
		return true;
	}
	return false;
}

static bool csr_read_super(struct riscv_cpu *cpu, unsigned csr, uint64_t *val)
{
	switch (csr) {
	case CSR_SSTATUS:
		*val = mstatus_read(cpu) & SSTATUS_MASK;
		return true;
	case CSR_SIE:
		*val = cpu->mie & cpu->mideleg;
		return true;
	case CSR_SIP:
		*val = riscv_mip_read(cpu) & cpu->mideleg;
		return true;
	case CSR_STVEC:
		*val = cpu->stvec;
		return true;
	case CSR_SCOUNTEREN:
		*val = cpu->scounteren;
		return true;
	case CSR_SENVCFG:
		*val = cpu->senvcfg;
		return true;
	case CSR_SSCRATCH:
		*val = cpu->sscratch;
		return true;
	case CSR_SEPC:
		*val = cpu->sepc;
		return true;
	case CSR_SCAUSE:
		*val = cpu->scause;
		return true;
	case CSR_STVAL:
		*val = cpu->stval;
		return true;
	case CSR_SATP:
		*val = cpu->satp;
		return true;
	case CSR_STIMECMP:
		*val = cpu->stimecmp;
		return true;
	}
	return false;
}

bool riscv_csr_read_raw(struct riscv_cpu *cpu, unsigned csr, uint64_t *val)
{
	switch (csr) {
	case CSR_FFLAGS:
		*val = cpu->fflags;
		return true;
	case CSR_FRM:
		*val = cpu->frm;
		return true;
	case CSR_FCSR:
		*val = (cpu->frm << 5) | cpu->fflags;
		return true;
	}
	if (csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31) {
		*val = counter_read(cpu, csr);
		return true;
	}
	return csr_read_machine(cpu, csr, val) || csr_read_super(cpu, csr, val);
}

static void fp_csr_write(struct riscv_cpu *cpu, unsigned csr, uint64_t val)
{
	if (csr == CSR_FFLAGS) {
		cpu->fflags = val & 0x1f;
	} else if (csr == CSR_FRM) {
		cpu->frm = val & 7;
	} else {
		cpu->fflags = val & 0x1f;
		cpu->frm = (val >> 5) & 7;
	}
	riscv_fs_dirty(cpu);
}

static bool csr_write_machine(struct riscv_cpu *cpu, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_MSTATUS:
		mstatus_write(cpu, val, MSTATUS_WRITABLE);
		return true;
	case CSR_MISA:
		return true;
	case CSR_MEDELEG:
		cpu->medeleg = val & MEDELEG_WRITABLE;
		return true;
	case CSR_MIDELEG:
		cpu->mideleg = val & S_INTERRUPTS;
		return true;
	case CSR_MIE:
		cpu->mie = val & ALL_INTERRUPTS;
		return true;
	case CSR_MIP:
		mip_update(cpu,
			   (cpu->menvcfg & MENVCFG_STCE) ?
				   (RISCV_MIP_SSIP | RISCV_MIP_SEIP) :
				   S_INTERRUPTS,
			   val);
		return true;
	case CSR_MTVEC:
		cpu->mtvec = (val & 2) ? val & ~3ull : val;
		return true;
	case CSR_MCOUNTEREN:
		cpu->mcounteren = val & 0xffffffffu;
		return true;
	case CSR_MENVCFG:
		cpu->menvcfg = val & MENVCFG_WRITABLE;
		riscv_update_timers(cpu);
		return true;
	case CSR_MCOUNTINHIBIT:
		cpu->mcountinhibit = val & 0xfffffffdu;
		return true;
	case CSR_MSCRATCH:
		cpu->mscratch = val;
		return true;
	case CSR_MEPC:
		cpu->mepc = val & ~1ull;
		return true;
	case CSR_MCAUSE:
		cpu->mcause = val;
		return true;
	case CSR_MTVAL:
		cpu->mtval = val;
		return true;
	case CSR_MCYCLE:
		cpu->cycle_offset = val - cpu->instret - 1;
		return true;
	case CSR_MINSTRET:
		cpu->instret_offset = val - cpu->instret - 1;
		return true;
	}
	if ((csr >= CSR_MHPMCOUNTER3 && csr <= CSR_MHPMCOUNTER31) ||
	    (csr >= CSR_MHPMEVENT3 && csr <= CSR_MHPMEVENT31)) {
		return true;
	}
	if (csr >= CSR_PMPCFG0 && csr <= CSR_PMPCFG15) {
		if (csr & 1) {
			return false;
		}
		pmpcfg_write(cpu, csr - CSR_PMPCFG0, val);
		return true;
	}
	if (csr >= CSR_PMPADDR0 && csr <= CSR_PMPADDR63) {
		pmpaddr_write(cpu, csr - CSR_PMPADDR0, val);
		return true;
	}
	return false;
}

static bool csr_write_super(struct riscv_cpu *cpu, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_SSTATUS:
		mstatus_write(cpu, val, SSTATUS_WRITABLE);
		return true;
	case CSR_SIE:
		cpu->mie = (cpu->mie & ~cpu->mideleg) | (val & cpu->mideleg);
		return true;
	case CSR_SIP:
		mip_update(cpu, RISCV_MIP_SSIP & cpu->mideleg, val);
		return true;
	case CSR_STVEC:
		cpu->stvec = (val & 2) ? val & ~3ull : val;
		return true;
	case CSR_SCOUNTEREN:
		cpu->scounteren = val & 0xffffffffu;
		return true;
	case CSR_SENVCFG:
		cpu->senvcfg = val & SENVCFG_WRITABLE;
		return true;
	case CSR_SSCRATCH:
		cpu->sscratch = val;
		return true;
	case CSR_SEPC:
		cpu->sepc = val & ~1ull;
		return true;
	case CSR_SCAUSE:
		cpu->scause = val;
		return true;
	case CSR_STVAL:
		cpu->stval = val;
		return true;
	case CSR_SATP:
		return satp_write(cpu, val);
	case CSR_STIMECMP:
		cpu->stimecmp = val;
		riscv_update_timers(cpu);
		return true;
	}
	return false;
}

bool riscv_csr_write_raw(struct riscv_cpu *cpu, unsigned csr, uint64_t val)
{
	switch (csr) {
	case CSR_FFLAGS:
	case CSR_FRM:
	case CSR_FCSR:
		fp_csr_write(cpu, csr, val);
		return true;
	}
	if (csr >= CSR_CYCLE && csr <= CSR_HPMCOUNTER31) {
		return false;
	}
	return csr_write_machine(cpu, csr, val) ||
	       csr_write_super(cpu, csr, val);
}

static void csr_log_unimp(struct riscv_cpu *cpu, unsigned csr)
{
	static uint64_t logged[4096 / 64];
	uint64_t bit = 1ull << (csr & 63);

	if (!log_enabled(LOG_UNIMP) ||
	    (__atomic_fetch_or(&logged[csr / 64], bit, __ATOMIC_RELAXED) &
	     bit)) {
		return;
	}
	log_printf("hart %u: unimplemented CSR 0x%03x\n", cpu->hartid, csr);
}

uint64_t riscv_csr_access(struct riscv_cpu *cpu, unsigned csr, uint64_t val,
			  uint64_t mask, bool write)
{
	uint64_t old;

	csr &= 0xfff;
	if (!csr_allowed(cpu, csr) || (write && (csr >> 10) == 3)) {
		riscv_illegal(cpu);
	}
	if (!riscv_csr_read_raw(cpu, csr, &old)) {
		csr_log_unimp(cpu, csr);
		riscv_illegal(cpu);
	}
	if (!write) {
		return old;
	}
	if (!riscv_csr_write_raw(cpu, csr, (old & ~mask) | (val & mask))) {
		csr_log_unimp(cpu, csr);
		riscv_illegal(cpu);
	}
	/* Interrupt enables may have changed. */
	riscv_recheck(cpu);
	return old;
}
