/* SPDX-License-Identifier: MIT */
/* The interpreter's system instructions: CSRs, xRET, WFI, fences, atomics
 * and cache-block operations. */
#include "accel/interp/interp.h"

#define X(r) (cpu->x[in->r])

void interp_exec_csr(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	bool imm = in->op >= RISCV_OP_CSRRWI;
	uint64_t src = imm ? (uint64_t)in->imm : X(rs1);
	uint64_t old;

	switch (in->op) {
	case RISCV_OP_CSRRW:
	case RISCV_OP_CSRRWI:
		old = riscv_csr_access(cpu, in->csr, src, ~0ull, true);
		break;
	case RISCV_OP_CSRRS:
	case RISCV_OP_CSRRSI:
		old = riscv_csr_access(cpu, in->csr, ~0ull, src, in->rs1 != 0);
		break;
	default:
		old = riscv_csr_access(cpu, in->csr, 0, src, in->rs1 != 0);
		break;
	}
	X(rd) = old;
}

static void exec_wfi(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	if (cpu->mode == RISCV_CPU_USER || cpu->priv == RISCV_PRIV_U ||
	    (cpu->priv == RISCV_PRIV_S && (cpu->mstatus & MSTATUS_TW))) {
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
	riscv_update_timers(cpu);
	if (riscv_mip_read(cpu) & cpu->mie) {
		return;
	}
	cpu->pc = cpu->next_pc;
	cpu->instret++;
	riscv_exit_loop(cpu, RISCV_EXIT_WFI);
}

static void exec_sfence(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	if (cpu->priv == RISCV_PRIV_U ||
	    (cpu->priv == RISCV_PRIV_S && (cpu->mstatus & MSTATUS_TVM))) {
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
	if (in->rs1 == 0) {
		riscv_tlb_flush_all(cpu);
	} else {
		riscv_tlb_flush_page(cpu, X(rs1));
	}
}

void interp_exec_system(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	switch (in->op) {
	case RISCV_OP_ECALL:
		riscv_raise(cpu, RISCV_EXC_ECALL_U + cpu->priv, 0);
	case RISCV_OP_EBREAK:
		riscv_raise(cpu, RISCV_EXC_BREAKPOINT, cpu->pc);
	case RISCV_OP_MRET:
		if (cpu->priv != RISCV_PRIV_M) {
			riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
		}
		riscv_mret(cpu);
		break;
	case RISCV_OP_SRET:
		if (cpu->priv == RISCV_PRIV_U ||
		    (cpu->priv == RISCV_PRIV_S &&
		     (cpu->mstatus & MSTATUS_TSR))) {
			riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
		}
		riscv_sret(cpu);
		break;
	case RISCV_OP_WFI:
		exec_wfi(cpu, in);
		break;
	case RISCV_OP_SFENCE_VMA:
		exec_sfence(cpu, in);
		break;
	default:
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
}

void interp_exec_fence(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	unsigned pred = (in->imm >> 4) & 0xf, succ = in->imm & 0xf;

	/* The host (x86 TSO) only reorders a store before a later load. */
	if ((pred & 1) && (succ & 2)) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} else {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	}
}

static uint64_t amo_w(enum riscv_op op, uint32_t *p, uint32_t v)
{
	uint32_t old = __atomic_load_n(p, __ATOMIC_RELAXED), new;

	switch (op) {
	case RISCV_OP_AMOSWAP_W:
		return sext32(__atomic_exchange_n(p, v, __ATOMIC_SEQ_CST));
	case RISCV_OP_AMOADD_W:
		return sext32(__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST));
	case RISCV_OP_AMOXOR_W:
		return sext32(__atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST));
	case RISCV_OP_AMOAND_W:
		return sext32(__atomic_fetch_and(p, v, __ATOMIC_SEQ_CST));
	case RISCV_OP_AMOOR_W:
		return sext32(__atomic_fetch_or(p, v, __ATOMIC_SEQ_CST));
	default:
		break;
	}
	do {
		switch (op) {
		case RISCV_OP_AMOMIN_W:
			new = (int32_t)old < (int32_t)v ? old : v;
			break;
		case RISCV_OP_AMOMAX_W:
			new = (int32_t)old > (int32_t)v ? old : v;
			break;
		case RISCV_OP_AMOMINU_W:
			new = old < v ? old : v;
			break;
		default:
			new = old > v ? old : v;
			break;
		}
	} while (!__atomic_compare_exchange_n(
		p, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return sext32(old);
}

static uint64_t amo_d(enum riscv_op op, uint64_t *p, uint64_t v)
{
	uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED), new;

	switch (op) {
	case RISCV_OP_AMOSWAP_D:
		return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
	case RISCV_OP_AMOADD_D:
		return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
	case RISCV_OP_AMOXOR_D:
		return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);
	case RISCV_OP_AMOAND_D:
		return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);
	case RISCV_OP_AMOOR_D:
		return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
	default:
		break;
	}
	do {
		switch (op) {
		case RISCV_OP_AMOMIN_D:
			new = (int64_t)old < (int64_t)v ? old : v;
			break;
		case RISCV_OP_AMOMAX_D:
			new = (int64_t)old > (int64_t)v ? old : v;
			break;
		case RISCV_OP_AMOMINU_D:
			new = old < v ? old : v;
			break;
		default:
			new = old > v ? old : v;
			break;
		}
	} while (!__atomic_compare_exchange_n(
		p, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	return old;
}

static void exec_lr(struct riscv_cpu *cpu, const struct riscv_insn *in,
		    unsigned size)
{
	gva_t va = X(rs1);
	void *p = riscv_atomic_ptr(cpu, va, size, true);
	uint64_t v;

	if (size == 4) {
		v = sext32(__atomic_load_n((uint32_t *)p, __ATOMIC_SEQ_CST));
	} else {
		v = __atomic_load_n((uint64_t *)p, __ATOMIC_SEQ_CST);
	}
	cpu->res_valid = true;
	cpu->res_addr = va;
	cpu->res_value = v;
	X(rd) = v;
}

/* SC succeeds when the reservation is ours and memory still holds what the
 * LR saw: a host compare-and-swap makes that atomic across harts. */
static void exec_sc(struct riscv_cpu *cpu, const struct riscv_insn *in,
		    unsigned size)
{
	gva_t va = X(rs1);
	bool ok = false;
	void *p;

	if (va & (size - 1)) {
		riscv_raise(cpu, RISCV_EXC_STORE_MISALIGNED, va);
	}
	if (cpu->res_valid && cpu->res_addr == va) {
		p = riscv_atomic_ptr(cpu, va, size, false);
		if (size == 4) {
			uint32_t expect = cpu->res_value;

			ok = __atomic_compare_exchange_n(
				(uint32_t *)p, &expect, (uint32_t)X(rs2), false,
				__ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		} else {
			uint64_t expect = cpu->res_value;

			ok = __atomic_compare_exchange_n(
				(uint64_t *)p, &expect, X(rs2), false,
				__ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		}
	}
	cpu->res_valid = false;
	X(rd) = !ok;
}

void interp_exec_amo(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	enum riscv_op op = in->op;
	bool word = op <= RISCV_OP_AMOMAXU_W;
	void *p;

	switch (op) {
	case RISCV_OP_LR_W:
	case RISCV_OP_LR_D:
		exec_lr(cpu, in, word ? 4 : 8);
		return;
	case RISCV_OP_SC_W:
	case RISCV_OP_SC_D:
		exec_sc(cpu, in, word ? 4 : 8);
		return;
	default:
		break;
	}
	p = riscv_atomic_ptr(cpu, X(rs1), word ? 4 : 8, false);
	if (word) {
		X(rd) = amo_w(op, p, X(rs2));
	} else {
		X(rd) = amo_d(op, p, X(rs2));
	}
}

/* menvcfg/senvcfg gate cbo.* below M-mode. */
static bool cbo_allowed(const struct riscv_cpu *cpu, uint64_t bits)
{
	if (cpu->mode == RISCV_CPU_USER || cpu->priv == RISCV_PRIV_M) {
		return true;
	}
	if (!(cpu->menvcfg & bits)) {
		return false;
	}
	return cpu->priv == RISCV_PRIV_S || (cpu->senvcfg & bits);
}

void interp_exec_cbo(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	gva_t va = X(rs1) & ~63ull;
	uint64_t need;
	gpa_t pa = 0;
	uint8_t *host;

	switch (in->op) {
	case RISCV_OP_CBO_ZERO:
		need = MENVCFG_CBZE;
		break;
	case RISCV_OP_CBO_INVAL:
		need = MENVCFG_CBIE;
		break;
	default:
		need = MENVCFG_CBCFE;
		break;
	}
	if (!cbo_allowed(cpu, need)) {
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
	host = riscv_probe(cpu, va, RISCV_ACCESS_WRITE, &pa);
	if (in->op != RISCV_OP_CBO_ZERO) {
		return;
	}
	if (host) {
		memset(host, 0, 64);
		return;
	}
	for (unsigned i = 0; i < 64; i += 8) {
		riscv_st_64(cpu, va + i, 0);
	}
}
