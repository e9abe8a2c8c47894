/* SPDX-License-Identifier: MIT */
/* The RISC-V hart: creation, reset, register access and interrupt lines. */
#include <stdlib.h>
#include <string.h>

#include "target/riscv/cpu-internal.h"
#include "util/error.h"

static enum riscv_engine default_engine = RISCV_ENGINE_INTERP;

bool riscv_engine_select(const char *name, struct error **errp)
{
	if (!strcmp(name, "interp")) {
		default_engine = RISCV_ENGINE_INTERP;
	} else if (!strcmp(name, "jit")) {
#if defined(__x86_64__)
		default_engine = RISCV_ENGINE_JIT;
#else
		error_setg(errp, "the jit engine needs an x86-64 host");
		return false;
#endif
	} else {
		error_setg(errp, "unknown engine '%s' (interp or jit)", name);
		return false;
	}
	return true;
}

enum riscv_engine riscv_engine_default(void)
{
	return default_engine;
}

static const char isa_string[] =
	"rv64imafdc_zicbom_zicbop_zicboz_zicntr_zicond_zicsr_zifencei_"
	"zihintpause_zihpm_zba_zbb_zbc_zbs_sstc";

const char *riscv_cpu_isa_string(void)
{
	return isa_string;
}

uint64_t riscv_cpu_hwcap(void)
{
	const char *letters = "imafdc";
	uint64_t hwcap = 0;

	for (const char *p = letters; *p; p++) {
		hwcap |= 1ull << (*p - 'a');
	}
	return hwcap;
}

static void cpu_reset_user(struct riscv_cpu *cpu)
{
	cpu->priv = RISCV_PRIV_U;
	cpu->mstatus = ((uint64_t)FS_INITIAL << MSTATUS_FS_SHIFT);
	cpu->mcounteren = ~0ull;
	cpu->scounteren = ~0ull;
	cpu->menvcfg = MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;
	cpu->senvcfg = MENVCFG_CBIE | MENVCFG_CBCFE | MENVCFG_CBZE;
}

void riscv_cpu_reset(struct riscv_cpu *cpu, uint64_t reset_pc)
{
	memset(cpu->x, 0, sizeof(cpu->x));
	memset(cpu->f, 0, sizeof(cpu->f));
	cpu->pc = reset_pc;
	cpu->fflags = 0;
	cpu->frm = 0;
	cpu->mstatus = MSTATUS_UXL & (2ull << 32);
	cpu->mstatus |= MSTATUS_SXL & (2ull << 34);
	cpu->medeleg = cpu->mideleg = cpu->mie = 0;
	__atomic_store_n(&cpu->mip, 0, __ATOMIC_RELAXED);
	cpu->mtvec = cpu->stvec = cpu->mepc = cpu->sepc = 0;
	cpu->mcause = cpu->scause = cpu->mtval = cpu->stval = 0;
	cpu->mscratch = cpu->sscratch = cpu->satp = 0;
	cpu->mcounteren = cpu->scounteren = 0;
	cpu->menvcfg = cpu->senvcfg = 0;
	cpu->stimecmp = ~0ull;
	cpu->mtimecmp = ~0ull;
	cpu->mcountinhibit = 0;
	memset(cpu->pmpcfg, 0, sizeof(cpu->pmpcfg));
	memset(cpu->pmpaddr, 0, sizeof(cpu->pmpaddr));
	cpu->pmp_active = 0;
	cpu->res_valid = false;
	cpu->priv = RISCV_PRIV_M;
	if (cpu->mode == RISCV_CPU_USER) {
		cpu_reset_user(cpu);
	}
	riscv_icache_flush(cpu);
	riscv_update_mmu_mode(cpu);
	riscv_tlb_flush_all(cpu);
	cpu->code_gen++;
}

struct riscv_cpu *riscv_cpu_new(enum riscv_cpu_mode mode, unsigned hartid,
				const struct riscv_bus_ops *bus, void *opaque)
{
	struct riscv_cpu *cpu = calloc(1, sizeof(*cpu));

	if (!cpu) {
		return NULL;
	}
	cpu->mode = mode;
	cpu->hartid = hartid;
	cpu->bus = bus;
	cpu->opaque = opaque;
	cpu->engine = default_engine;
	riscv_cpu_reset(cpu, 0x1000);
	return cpu;
}

struct riscv_cpu *riscv_cpu_clone(const struct riscv_cpu *src)
{
	struct riscv_cpu *cpu = malloc(sizeof(*cpu));

	if (!cpu) {
		return NULL;
	}
	memcpy(cpu, src, sizeof(*cpu));
	cpu->res_valid = false;
	cpu->exit_request = 0;
	cpu->jit = NULL;
	riscv_icache_flush(cpu);
	riscv_update_mmu_mode(cpu);
	riscv_tlb_flush_all(cpu);
	return cpu;
}

void riscv_cpu_free(struct riscv_cpu *cpu)
{
	if (cpu) {
		jit_state_free(cpu->jit);
	}
	free(cpu);
}

void riscv_cpu_request_exit(struct riscv_cpu *cpu)
{
	__atomic_store_n(&cpu->exit_request, 1, __ATOMIC_SEQ_CST);
	riscv_recheck(cpu);
}

void riscv_cpu_set_irq(struct riscv_cpu *cpu, uint64_t mip_mask, bool level)
{
	if (level) {
		__atomic_fetch_or(&cpu->mip, mip_mask, __ATOMIC_SEQ_CST);
	} else {
		__atomic_fetch_and(&cpu->mip, ~mip_mask, __ATOMIC_SEQ_CST);
	}
	riscv_recheck(cpu);
}

void riscv_cpu_set_mtimecmp(struct riscv_cpu *cpu, uint64_t value)
{
	__atomic_store_n(&cpu->mtimecmp, value, __ATOMIC_SEQ_CST);
	riscv_update_timers(cpu);
}

uint64_t riscv_cpu_get_mtimecmp(const struct riscv_cpu *cpu)
{
	return __atomic_load_n(&cpu->mtimecmp, __ATOMIC_RELAXED);
}

static bool cpu_stce(const struct riscv_cpu *cpu)
{
	return (cpu->menvcfg & MENVCFG_STCE) != 0;
}

uint64_t riscv_cpu_timer_deadline(const struct riscv_cpu *cpu)
{
	uint64_t deadline = UINT64_MAX;

	if (cpu->mie & RISCV_MIP_MTIP) {
		deadline = riscv_cpu_get_mtimecmp(cpu);
	}
	if (cpu_stce(cpu) && (cpu->mie & RISCV_MIP_STIP) &&
	    cpu->stimecmp < deadline) {
		deadline = cpu->stimecmp;
	}
	return deadline;
}

bool riscv_cpu_wfi_wakeup(const struct riscv_cpu *cpu)
{
	uint64_t pending = __atomic_load_n(&cpu->mip, __ATOMIC_ACQUIRE);
	uint64_t now;

	if (pending & cpu->mie) {
		return true;
	}
	if (!cpu->bus->time) {
		return false;
	}
	now = cpu->bus->time(cpu->opaque);
	if ((cpu->mie & RISCV_MIP_MTIP) && now >= riscv_cpu_get_mtimecmp(cpu)) {
		return true;
	}
	return cpu_stce(cpu) && (cpu->mie & RISCV_MIP_STIP) &&
	       now >= cpu->stimecmp;
}

void riscv_cpu_tlb_flush(struct riscv_cpu *cpu)
{
	riscv_tlb_flush_all(cpu);
	cpu->code_gen++;
}

uint64_t riscv_cpu_get_pc(const struct riscv_cpu *cpu)
{
	return cpu->pc;
}

void riscv_cpu_set_pc(struct riscv_cpu *cpu, uint64_t pc)
{
	cpu->pc = pc;
}

uint64_t riscv_cpu_get_x(const struct riscv_cpu *cpu, unsigned reg)
{
	return reg < 32 ? cpu->x[reg] : 0;
}

void riscv_cpu_set_x(struct riscv_cpu *cpu, unsigned reg, uint64_t value)
{
	if (reg > 0 && reg < 32) {
		cpu->x[reg] = value;
	}
}

uint64_t riscv_cpu_get_f(const struct riscv_cpu *cpu, unsigned reg)
{
	return reg < 32 ? cpu->f[reg] : 0;
}

void riscv_cpu_set_f(struct riscv_cpu *cpu, unsigned reg, uint64_t value)
{
	if (reg < 32) {
		cpu->f[reg] = value;
	}
}

uint32_t riscv_cpu_get_fcsr(const struct riscv_cpu *cpu)
{
	return (cpu->frm << 5) | cpu->fflags;
}

void riscv_cpu_set_fcsr(struct riscv_cpu *cpu, uint32_t value)
{
	cpu->fflags = value & 0x1f;
	cpu->frm = (value >> 5) & 7;
}

unsigned riscv_cpu_exit_cause(const struct riscv_cpu *cpu)
{
	return cpu->exit_cause;
}

uint64_t riscv_cpu_exit_tval(const struct riscv_cpu *cpu)
{
	return cpu->exit_tval;
}

bool riscv_cpu_read_csr(struct riscv_cpu *cpu, unsigned csr, uint64_t *val)
{
	return riscv_csr_read_raw(cpu, csr, val);
}

bool riscv_cpu_write_csr(struct riscv_cpu *cpu, unsigned csr, uint64_t val)
{
	return riscv_csr_write_raw(cpu, csr, val);
}

enum riscv_priv riscv_cpu_get_priv(const struct riscv_cpu *cpu)
{
	return cpu->priv;
}

uint64_t riscv_cpu_get_instret(const struct riscv_cpu *cpu)
{
	return cpu->instret;
}

uint64_t riscv_time(struct riscv_cpu *cpu)
{
	return cpu->bus->time ? cpu->bus->time(cpu->opaque) : cpu->instret;
}
