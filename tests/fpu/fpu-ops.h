/* SPDX-License-Identifier: MIT */
/* The F and D operations the differential FPU test covers, and its records. */
#ifndef MIMIC_TESTS_FPU_OPS_H
#define MIMIC_TESTS_FPU_OPS_H

#include <stdint.h>

/*
 * X(id, kind, mnemonic, source format, result format). Kinds say which
 * register files the operands and result live in and whether the
 * instruction has a rounding-mode field:
 *   FFF_RM fd <- fs1, fs2, rm       FF_RM fd <- fs1, rm    FF  fd <- fs1
 *   FFFF_RM fd <- fs1, fs2, fs3, rm FFF fd <- fs1, fs2
 *   XFF rd <- fs1, fs2   XF rd <- fs1   XF_RM rd <- fs1, rm
 *   FX_RM fd <- rs1, rm  FX fd <- rs1
 *   FLOAD fd <- the low 32 bits of the operand, from memory
 *   FSTORE the memory word written from fs1
 * Formats: S, D, or I (an integer register).
 */
#define FPU_OPS(X)                             \
	X(FADD_S, FFF_RM, "fadd.s", S, S)      \
	X(FSUB_S, FFF_RM, "fsub.s", S, S)      \
	X(FMUL_S, FFF_RM, "fmul.s", S, S)      \
	X(FDIV_S, FFF_RM, "fdiv.s", S, S)      \
	X(FSQRT_S, FF_RM, "fsqrt.s", S, S)     \
	X(FMADD_S, FFFF_RM, "fmadd.s", S, S)   \
	X(FMSUB_S, FFFF_RM, "fmsub.s", S, S)   \
	X(FNMSUB_S, FFFF_RM, "fnmsub.s", S, S) \
	X(FNMADD_S, FFFF_RM, "fnmadd.s", S, S) \
	X(FMIN_S, FFF, "fmin.s", S, S)         \
	X(FMAX_S, FFF, "fmax.s", S, S)         \
	X(FEQ_S, XFF, "feq.s", S, I)           \
	X(FLT_S, XFF, "flt.s", S, I)           \
	X(FLE_S, XFF, "fle.s", S, I)           \
	X(FCLASS_S, XF, "fclass.s", S, I)      \
	X(FCVT_W_S, XF_RM, "fcvt.w.s", S, I)   \
	X(FCVT_WU_S, XF_RM, "fcvt.wu.s", S, I) \
	X(FCVT_L_S, XF_RM, "fcvt.l.s", S, I)   \
	X(FCVT_LU_S, XF_RM, "fcvt.lu.s", S, I) \
	X(FCVT_S_W, FX_RM, "fcvt.s.w", I, S)   \
	X(FCVT_S_WU, FX_RM, "fcvt.s.wu", I, S) \
	X(FCVT_S_L, FX_RM, "fcvt.s.l", I, S)   \
	X(FCVT_S_LU, FX_RM, "fcvt.s.lu", I, S) \
	X(FCVT_S_D, FF_RM, "fcvt.s.d", D, S)   \
	X(FCVT_D_S, FF, "fcvt.d.s", S, D)      \
	X(FADD_D, FFF_RM, "fadd.d", D, D)      \
	X(FSUB_D, FFF_RM, "fsub.d", D, D)      \
	X(FMUL_D, FFF_RM, "fmul.d", D, D)      \
	X(FDIV_D, FFF_RM, "fdiv.d", D, D)      \
	X(FSQRT_D, FF_RM, "fsqrt.d", D, D)     \
	X(FMADD_D, FFFF_RM, "fmadd.d", D, D)   \
	X(FMSUB_D, FFFF_RM, "fmsub.d", D, D)   \
	X(FNMSUB_D, FFFF_RM, "fnmsub.d", D, D) \
	X(FNMADD_D, FFFF_RM, "fnmadd.d", D, D) \
	X(FMIN_D, FFF, "fmin.d", D, D)         \
	X(FMAX_D, FFF, "fmax.d", D, D)         \
	X(FEQ_D, XFF, "feq.d", D, I)           \
	X(FLT_D, XFF, "flt.d", D, I)           \
	X(FLE_D, XFF, "fle.d", D, I)           \
	X(FCLASS_D, XF, "fclass.d", D, I)      \
	X(FCVT_W_D, XF_RM, "fcvt.w.d", D, I)   \
	X(FCVT_WU_D, XF_RM, "fcvt.wu.d", D, I) \
	X(FCVT_L_D, XF_RM, "fcvt.l.d", D, I)   \
	X(FCVT_LU_D, XF_RM, "fcvt.lu.d", D, I) \
	X(FCVT_D_W, FX, "fcvt.d.w", I, D)      \
	X(FCVT_D_WU, FX, "fcvt.d.wu", I, D)    \
	X(FCVT_D_L, FX_RM, "fcvt.d.l", I, D)   \
	X(FCVT_D_LU, FX_RM, "fcvt.d.lu", I, D) \
	X(FSGNJ_S, FFF, "fsgnj.s", S, S)       \
	X(FSGNJN_S, FFF, "fsgnjn.s", S, S)     \
	X(FSGNJX_S, FFF, "fsgnjx.s", S, S)     \
	X(FSGNJ_D, FFF, "fsgnj.d", D, D)       \
	X(FSGNJN_D, FFF, "fsgnjn.d", D, D)     \
	X(FSGNJX_D, FFF, "fsgnjx.d", D, D)     \
	X(FMV_X_W, XF, "fmv.x.w", S, I)        \
	X(FMV_W_X, FX, "fmv.w.x", I, S)        \
	X(FMV_X_D, XF, "fmv.x.d", D, I)        \
	X(FMV_D_X, FX, "fmv.d.x", I, D)        \
	X(FLW, FLOAD, "flw", S, S)             \
	X(FSW, FSTORE, "fsw", S, I)

#define FPU_OP_ENUM(id, kind, mnem, src, dst) OP_##id,
enum fpu_test_op { FPU_OPS(FPU_OP_ENUM) OP_COUNT };
#undef FPU_OP_ENUM

/* rm 0-4 is the static rounding-mode field; FPU_TEST_DYN | rm runs the
 * instruction with rm=DYN after writing rm to frm. */
#define FPU_TEST_DYN 8u

/* One operation in, one answer out; both little-endian, fixed size. */
struct fpu_test_rec {
	uint32_t op;
	uint32_t rm;
	uint64_t a, b, c;
};

struct fpu_test_ans {
	uint64_t result;
	uint64_t fflags;
};

#endif
