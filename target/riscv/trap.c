/* SPDX-License-Identifier: MIT */
/* Exceptions, interrupts, xRET and the timers that raise MTIP/STIP. */
#include <inttypes.h>

#include "target/riscv/cpu-internal.h"
#include "util/log.h"

void riscv_update_mmu_mode(struct riscv_cpu *cpu)
{
	static const unsigned set_of_priv[4] = { 0, 1, 3, 3 };
	enum riscv_priv data_priv = cpu->priv;
	unsigned data_set;

	if (cpu->priv == RISCV_PRIV_M && (cpu->mstatus & MSTATUS_MPRV)) {
		data_priv = (cpu->mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;
	}
	data_set = set_of_priv[data_priv];
	if (data_priv == RISCV_PRIV_S && (cpu->mstatus & MSTATUS_SUM)) {
		data_set = 2;
	}
	cpu->itlb = &cpu->tlb[set_of_priv[cpu->priv]];
	cpu->dtlb = &cpu->tlb[data_set];
	cpu->icache_key = (cpu->icache_gen << 2) | cpu->priv;
}

void riscv_set_priv(struct riscv_cpu *cpu, enum riscv_priv priv)
{
	cpu->priv = priv;
	riscv_update_mmu_mode(cpu);
}

static const char *trap_name(unsigned cause, bool interrupt)
{
	static const char *const exc[16] = {
		"insn misaligned",  "insn access fault",  "illegal insn",
		"breakpoint",	    "load misaligned",	  "load access fault",
		"store misaligned", "store access fault", "ecall from U",
		"ecall from S",	    "reserved",		  "ecall from M",
		"insn page fault",  "load page fault",	  "reserved",
		"store page fault",
	};
	static const char *const irq[12] = {
		"reserved", "SSI", "reserved", "MSI", "reserved", "STI",
		"reserved", "MTI", "reserved", "SEI", "reserved", "MEI",
	};

	if (interrupt) {
		return cause < 12 ? irq[cause] : "reserved";
	}
	return cause < 16 ? exc[cause] : "reserved";
}

static uint64_t trap_vector(uint64_t tvec, unsigned cause, bool interrupt)
{
	uint64_t base = tvec & ~3ull;

	if ((tvec & 1) && interrupt) {
		return base + 4ull * cause;
	}
	return base;
}

static void take_trap(struct riscv_cpu *cpu, unsigned cause, uint64_t tval,
		      bool interrupt)
{
	uint64_t deleg = interrupt ? cpu->mideleg : cpu->medeleg;
	uint64_t mcause = cause | ((uint64_t)interrupt << 63);
	uint64_t st = cpu->mstatus;

	log_mask_printf(LOG_INT,
			"hart %u: %s %u (%s) at pc 0x%" PRIx64
			" tval 0x%" PRIx64 " priv %u\n",
			cpu->hartid, interrupt ? "interrupt" : "exception",
			cause, trap_name(cause, interrupt), cpu->pc, tval,
			cpu->priv);
	cpu->res_valid = false;
	if (cpu->priv <= RISCV_PRIV_S && ((deleg >> cause) & 1)) {
		cpu->scause = mcause;
		cpu->sepc = cpu->pc;
		cpu->stval = tval;
		st &= ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE);
		st |= (cpu->mstatus & MSTATUS_SIE) ? MSTATUS_SPIE : 0;
		st |= cpu->priv == RISCV_PRIV_S ? MSTATUS_SPP : 0;
		cpu->mstatus = st;
		cpu->pc = trap_vector(cpu->stvec, cause, interrupt);
		riscv_set_priv(cpu, RISCV_PRIV_S);
		return;
	}
	cpu->mcause = mcause;
	cpu->mepc = cpu->pc;
	cpu->mtval = tval;
	st &= ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE);
	st |= (cpu->mstatus & MSTATUS_MIE) ? MSTATUS_MPIE : 0;
	st |= (uint64_t)cpu->priv << MSTATUS_MPP_SHIFT;
	cpu->mstatus = st;
	cpu->pc = trap_vector(cpu->mtvec, cause, interrupt);
	riscv_set_priv(cpu, RISCV_PRIV_M);
}

void riscv_raise(struct riscv_cpu *cpu, unsigned cause, uint64_t tval)
{
	if (cpu->mode == RISCV_CPU_USER) {
		cpu->exit_cause = cause;
		cpu->exit_tval = tval;
		siglongjmp(cpu->jmp,
			   RISCV_JMP_EXIT + (cause == RISCV_EXC_ECALL_U ?
						     RISCV_EXIT_ECALL :
						     RISCV_EXIT_EXCEPTION));
	}
	take_trap(cpu, cause, tval, false);
	siglongjmp(cpu->jmp, RISCV_JMP_CONTINUE);
}

void riscv_cpu_fault_from_host(struct riscv_cpu *cpu, gva_t addr,
			       enum riscv_access access)
{
	static const unsigned cause[] = {
		[RISCV_ACCESS_READ] = RISCV_EXC_LOAD_ACCESS,
		[RISCV_ACCESS_WRITE] = RISCV_EXC_STORE_ACCESS,
		[RISCV_ACCESS_EXEC] = RISCV_EXC_INSN_ACCESS,
	};

	/* The cached host pointer is stale: look the page up again. */
	riscv_cpu_tlb_flush(cpu);
	riscv_raise(cpu, cause[access], addr);
}

void riscv_illegal(struct riscv_cpu *cpu)
{
	struct riscv_insn insn;
	uint32_t raw = riscv_fetch(cpu, cpu->pc);

	riscv_decode(raw, &insn);
	riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, insn.raw);
}

void riscv_exit_loop(struct riscv_cpu *cpu, enum riscv_exit why)
{
	siglongjmp(cpu->jmp, RISCV_JMP_EXIT + why);
}

static int pick_interrupt(uint64_t pending)
{
	static const uint8_t order[] = { 11, 3, 7, 9, 1, 5 };

	for (unsigned i = 0; i < sizeof(order); i++) {
		if (pending & (1ull << order[i])) {
			return order[i];
		}
	}
	return -1;
}

bool riscv_check_interrupts(struct riscv_cpu *cpu)
{
	uint64_t pending = riscv_mip_read(cpu) & cpu->mie;
	uint64_t m = pending & ~cpu->mideleg, s = pending & cpu->mideleg;
	bool m_on = cpu->priv < RISCV_PRIV_M || (cpu->mstatus & MSTATUS_MIE);
	bool s_on = cpu->priv < RISCV_PRIV_S ||
		    (cpu->priv == RISCV_PRIV_S && (cpu->mstatus & MSTATUS_SIE));
	int irq = -1;

	if (cpu->mode != RISCV_CPU_SYSTEM || !pending) {
		return false;
	}
	if (m && m_on) {
		irq = pick_interrupt(m);
	} else if (s && s_on) {
		irq = pick_interrupt(s);
	}
	if (irq < 0) {
		return false;
	}
	take_trap(cpu, irq, 0, true);
	return true;
}

void riscv_mret(struct riscv_cpu *cpu)
{
	uint64_t st = cpu->mstatus;
	enum riscv_priv prev = (st & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT;

	st &= ~(MSTATUS_MIE | MSTATUS_MPP);
	st |= (st & MSTATUS_MPIE) ? MSTATUS_MIE : 0;
	st |= MSTATUS_MPIE;
	if (prev != RISCV_PRIV_M) {
		st &= ~MSTATUS_MPRV;
	}
	cpu->mstatus = st;
	cpu->next_pc = cpu->mepc & ~1ull;
	cpu->res_valid = false;
	riscv_set_priv(cpu, prev);
	riscv_recheck(cpu);
}

void riscv_sret(struct riscv_cpu *cpu)
{
	uint64_t st = cpu->mstatus;
	enum riscv_priv prev = (st & MSTATUS_SPP) ? RISCV_PRIV_S : RISCV_PRIV_U;

	st &= ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
	st |= (st & MSTATUS_SPIE) ? MSTATUS_SIE : 0;
	st |= MSTATUS_SPIE;
	cpu->mstatus = st;
	cpu->next_pc = cpu->sepc & ~1ull;
	cpu->res_valid = false;
	riscv_set_priv(cpu, prev);
	riscv_recheck(cpu);
}

static void set_mip_bit(struct riscv_cpu *cpu, uint64_t bit, bool level)
{
	uint64_t cur = __atomic_load_n(&cpu->mip, __ATOMIC_RELAXED);

	if (!!(cur & bit) == level) {
		return;
	}
	riscv_cpu_set_irq(cpu, bit, level);
}

void riscv_update_timers(struct riscv_cpu *cpu)
{
	uint64_t now;

	if (cpu->mode != RISCV_CPU_SYSTEM || !cpu->bus->time) {
		return;
	}
	now = cpu->bus->time(cpu->opaque);
	set_mip_bit(cpu, RISCV_MIP_MTIP,
		    now >= __atomic_load_n(&cpu->mtimecmp, __ATOMIC_RELAXED));
	if (cpu->menvcfg & MENVCFG_STCE) {
		set_mip_bit(cpu, RISCV_MIP_STIP, now >= cpu->stimecmp);
	}
}
