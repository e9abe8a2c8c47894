/* SPDX-License-Identifier: MIT */
/* The interpreter's F and D instructions, on top of target/riscv/fpu.h. */
#include "accel/interp/interp.h"
#include "target/riscv/fpu.h"

#define X(r) (cpu->x[in->r])
#define F(r) (cpu->f[in->r])
#define FS(r) fpu_unbox_s(cpu->f[in->r])

static void fp_check_enabled(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	if (unlikely(riscv_mstatus_fs(cpu) == FS_OFF)) {
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
}

/* The effective rounding mode; reserved ones are illegal. */
static unsigned fp_rm(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	unsigned rm = in->rm == FPU_DYN ? cpu->frm : in->rm;

	if (unlikely(rm > FPU_RMM)) {
		riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
	}
	return rm;
}

static void fp_done(struct riscv_cpu *cpu, unsigned flags)
{
	cpu->fflags |= flags;
	riscv_fs_dirty(cpu);
}

void interp_exec_fp_mem(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	gva_t va = X(rs1) + in->imm;

	fp_check_enabled(cpu, in);
	switch (in->op) {
	case RISCV_OP_FLW:
		F(rd) = fpu_box_s(riscv_ld_u32(cpu, va));
		riscv_fs_dirty(cpu);
		break;
	case RISCV_OP_FLD:
		F(rd) = riscv_ld_u64(cpu, va);
		riscv_fs_dirty(cpu);
		break;
	case RISCV_OP_FSW:
		riscv_st_32(cpu, va, (uint32_t)F(rs2));
		break;
	default:
		riscv_st_64(cpu, va, F(rs2));
		break;
	}
}

void interp_exec_fp_arith(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	unsigned rm, flags = 0;
	uint64_t r;

	fp_check_enabled(cpu, in);
	rm = fp_rm(cpu, in);
	switch (in->op) {
	case RISCV_OP_FADD_S:
		r = fpu_box_s(fpu_add_s(FS(rs1), FS(rs2), rm, &flags));
		break;
	case RISCV_OP_FSUB_S:
		r = fpu_box_s(fpu_sub_s(FS(rs1), FS(rs2), rm, &flags));
		break;
	case RISCV_OP_FMUL_S:
		r = fpu_box_s(fpu_mul_s(FS(rs1), FS(rs2), rm, &flags));
		break;
	case RISCV_OP_FDIV_S:
		r = fpu_box_s(fpu_div_s(FS(rs1), FS(rs2), rm, &flags));
		break;
	case RISCV_OP_FSQRT_S:
		r = fpu_box_s(fpu_sqrt_s(FS(rs1), rm, &flags));
		break;
	case RISCV_OP_FADD_D:
		r = fpu_add_d(F(rs1), F(rs2), rm, &flags);
		break;
	case RISCV_OP_FSUB_D:
		r = fpu_sub_d(F(rs1), F(rs2), rm, &flags);
		break;
	case RISCV_OP_FMUL_D:
		r = fpu_mul_d(F(rs1), F(rs2), rm, &flags);
		break;
	case RISCV_OP_FDIV_D:
		r = fpu_div_d(F(rs1), F(rs2), rm, &flags);
		break;
	default:
		r = fpu_sqrt_d(F(rs1), rm, &flags);
		break;
	}
	F(rd) = r;
	fp_done(cpu, flags);
}

void interp_exec_fp_fma(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	static const bool neg[4][2] = {
		{ false, false }, /* fmadd */
		{ false, true }, /* fmsub */
		{ true, false }, /* fnmsub */
		{ true, true }, /* fnmadd */
	};
	bool dbl = in->op >= RISCV_OP_FMADD_D;
	unsigned kind = in->op - (dbl ? RISCV_OP_FMADD_D : RISCV_OP_FMADD_S);
	unsigned rm, flags = 0;

	fp_check_enabled(cpu, in);
	rm = fp_rm(cpu, in);
	if (dbl) {
		F(rd) = fpu_fma_d(F(rs1), F(rs2), F(rs3), neg[kind][0],
				  neg[kind][1], rm, &flags);
	} else {
		F(rd) = fpu_box_s(fpu_fma_s(FS(rs1), FS(rs2), FS(rs3),
					    neg[kind][0], neg[kind][1], rm,
					    &flags));
	}
	fp_done(cpu, flags);
}

static uint64_t fp_sgnj(enum riscv_op op, uint64_t a, uint64_t b, bool dbl)
{
	uint64_t sign = dbl ? 1ull << 63 : 1ull << 31;

	switch (op) {
	case RISCV_OP_FSGNJ_S:
	case RISCV_OP_FSGNJ_D:
		return (a & ~sign) | (b & sign);
	case RISCV_OP_FSGNJN_S:
	case RISCV_OP_FSGNJN_D:
		return (a & ~sign) | (~b & sign);
	default:
		return a ^ (b & sign);
	}
}

/* Operations that do not round: moves, sign injection, compares, class,
 * min/max. Conversions go on to fp_convert(). */
static bool fp_simple(struct riscv_cpu *cpu, const struct riscv_insn *in,
		      unsigned *flags)
{
	switch (in->op) {
	case RISCV_OP_FSGNJ_S:
	case RISCV_OP_FSGNJN_S:
	case RISCV_OP_FSGNJX_S:
		F(rd) = fpu_box_s(fp_sgnj(in->op, FS(rs1), FS(rs2), false));
		return true;
	case RISCV_OP_FSGNJ_D:
	case RISCV_OP_FSGNJN_D:
	case RISCV_OP_FSGNJX_D:
		F(rd) = fp_sgnj(in->op, F(rs1), F(rs2), true);
		return true;
	case RISCV_OP_FMIN_S:
		F(rd) = fpu_box_s(fpu_min_s(FS(rs1), FS(rs2), flags));
		return true;
	case RISCV_OP_FMAX_S:
		F(rd) = fpu_box_s(fpu_max_s(FS(rs1), FS(rs2), flags));
		return true;
	case RISCV_OP_FMIN_D:
		F(rd) = fpu_min_d(F(rs1), F(rs2), flags);
		return true;
	case RISCV_OP_FMAX_D:
		F(rd) = fpu_max_d(F(rs1), F(rs2), flags);
		return true;
	case RISCV_OP_FMV_W_X:
		F(rd) = fpu_box_s(X(rs1));
		return true;
	case RISCV_OP_FMV_D_X:
		F(rd) = X(rs1);
		return true;
	default:
		return false;
	}
}

/* Results that go to an integer register (no FS dirtying needed). */
static bool fp_to_x(struct riscv_cpu *cpu, const struct riscv_insn *in,
		    unsigned *flags)
{
	switch (in->op) {
	case RISCV_OP_FMV_X_W:
		X(rd) = sext32(F(rs1));
		return true;
	case RISCV_OP_FMV_X_D:
		X(rd) = F(rs1);
		return true;
	case RISCV_OP_FEQ_S:
		X(rd) = fpu_eq_s(FS(rs1), FS(rs2), flags);
		return true;
	case RISCV_OP_FLT_S:
		X(rd) = fpu_lt_s(FS(rs1), FS(rs2), flags);
		return true;
	case RISCV_OP_FLE_S:
		X(rd) = fpu_le_s(FS(rs1), FS(rs2), flags);
		return true;
	case RISCV_OP_FEQ_D:
		X(rd) = fpu_eq_d(F(rs1), F(rs2), flags);
		return true;
	case RISCV_OP_FLT_D:
		X(rd) = fpu_lt_d(F(rs1), F(rs2), flags);
		return true;
	case RISCV_OP_FLE_D:
		X(rd) = fpu_le_d(F(rs1), F(rs2), flags);
		return true;
	case RISCV_OP_FCLASS_S:
		X(rd) = fpu_class_s(FS(rs1));
		return true;
	case RISCV_OP_FCLASS_D:
		X(rd) = fpu_class_d(F(rs1));
		return true;
	default:
		return false;
	}
}

static uint64_t fp_cvt_to_int(struct riscv_cpu *cpu,
			      const struct riscv_insn *in, unsigned rm,
			      unsigned *flags)
{
	switch (in->op) {
	case RISCV_OP_FCVT_W_S:
		return fpu_s_to_w(FS(rs1), rm, flags);
	case RISCV_OP_FCVT_WU_S:
		return fpu_s_to_wu(FS(rs1), rm, flags);
	case RISCV_OP_FCVT_L_S:
		return fpu_s_to_l(FS(rs1), rm, flags);
	case RISCV_OP_FCVT_LU_S:
		return fpu_s_to_lu(FS(rs1), rm, flags);
	case RISCV_OP_FCVT_W_D:
		return fpu_d_to_w(F(rs1), rm, flags);
	case RISCV_OP_FCVT_WU_D:
		return fpu_d_to_wu(F(rs1), rm, flags);
	case RISCV_OP_FCVT_L_D:
		return fpu_d_to_l(F(rs1), rm, flags);
	default:
		return fpu_d_to_lu(F(rs1), rm, flags);
	}
}

static uint64_t fp_cvt_to_fp(struct riscv_cpu *cpu, const struct riscv_insn *in,
			     unsigned rm, unsigned *flags)
{
	switch (in->op) {
	case RISCV_OP_FCVT_S_W:
		return fpu_box_s(fpu_w_to_s(X(rs1), rm, flags));
	case RISCV_OP_FCVT_S_WU:
		return fpu_box_s(fpu_wu_to_s(X(rs1), rm, flags));
	case RISCV_OP_FCVT_S_L:
		return fpu_box_s(fpu_l_to_s(X(rs1), rm, flags));
	case RISCV_OP_FCVT_S_LU:
		return fpu_box_s(fpu_lu_to_s(X(rs1), rm, flags));
	case RISCV_OP_FCVT_D_W:
		return fpu_w_to_d(X(rs1), rm, flags);
	case RISCV_OP_FCVT_D_WU:
		return fpu_wu_to_d(X(rs1), rm, flags);
	case RISCV_OP_FCVT_D_L:
		return fpu_l_to_d(X(rs1), rm, flags);
	case RISCV_OP_FCVT_D_LU:
		return fpu_lu_to_d(X(rs1), rm, flags);
	case RISCV_OP_FCVT_S_D:
		return fpu_box_s(fpu_d_to_s(F(rs1), rm, flags));
	default:
		return fpu_s_to_d(FS(rs1), flags);
	}
}

static bool fp_is_to_int(enum riscv_op op)
{
	return (op >= RISCV_OP_FCVT_W_S && op <= RISCV_OP_FCVT_LU_S) ||
	       (op >= RISCV_OP_FCVT_W_D && op <= RISCV_OP_FCVT_LU_D);
}

void interp_exec_fp_misc(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	unsigned flags = 0, rm;

	fp_check_enabled(cpu, in);
	if (fp_to_x(cpu, in, &flags)) {
		cpu->fflags |= flags;
		if (flags) {
			riscv_fs_dirty(cpu);
		}
		return;
	}
	if (fp_simple(cpu, in, &flags)) {
		fp_done(cpu, flags);
		return;
	}
	rm = fp_rm(cpu, in);
	if (fp_is_to_int(in->op)) {
		X(rd) = fp_cvt_to_int(cpu, in, rm, &flags);
		cpu->fflags |= flags;
		if (flags) {
			riscv_fs_dirty(cpu);
		}
		return;
	}
	F(rd) = fp_cvt_to_fp(cpu, in, rm, &flags);
	fp_done(cpu, flags);
}
