/* SPDX-License-Identifier: MIT */
/* RISC-V F and D arithmetic: the public operations, host fast path first. */
#include "target/riscv/fpu-host.h"
#include "target/riscv/fpu-soft.h"
#include "target/riscv/fpu.h"

static uint64_t fpu_sext32(uint64_t v)
{
	return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

uint32_t fpu_add_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_ADD, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_add(a, b, false, &fpu_fmt_s, rm, flags);
}

uint32_t fpu_sub_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_SUB, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_add(a, b, true, &fpu_fmt_s, rm, flags);
}

uint32_t fpu_mul_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_MUL, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_mul(a, b, &fpu_fmt_s, rm, flags);
}

uint32_t fpu_div_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_DIV, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_div(a, b, &fpu_fmt_s, rm, flags);
}

uint32_t fpu_sqrt_s(uint32_t a, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_SQRT, a, 0, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_sqrt(a, &fpu_fmt_s, rm, flags);
}

uint64_t fpu_add_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_ADD, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_add(a, b, false, &fpu_fmt_d, rm, flags);
}

uint64_t fpu_sub_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_SUB, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_add(a, b, true, &fpu_fmt_d, rm, flags);
}

uint64_t fpu_mul_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_MUL, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_mul(a, b, &fpu_fmt_d, rm, flags);
}

uint64_t fpu_div_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_DIV, a, b, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_div(a, b, &fpu_fmt_d, rm, flags);
}

uint64_t fpu_sqrt_d(uint64_t a, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_SQRT, a, 0, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_sqrt(a, &fpu_fmt_d, rm, flags);
}

uint32_t fpu_fma_s(uint32_t a, uint32_t b, uint32_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags)
{
	uint64_t res;

	/* Negating finite operands is exact; NaN results are canonical. */
	if (fpu_host_s(FPU_HOST_FMA, neg_product ? a ^ 0x80000000u : a, b,
		       neg_addend ? c ^ 0x80000000u : c, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_fma(a, b, c, neg_product, neg_addend, &fpu_fmt_s, rm,
			    flags);
}

uint64_t fpu_fma_d(uint64_t a, uint64_t b, uint64_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags)
{
	uint64_t res;

	/* Negating finite operands is exact; NaN results are canonical. */
	if (fpu_host_d(FPU_HOST_FMA,
		       neg_product ? a ^ 0x8000000000000000ull : a, b,
		       neg_addend ? c ^ 0x8000000000000000ull : c, rm, &res,
		       flags)) {
		return res;
	}
	return fpu_soft_fma(a, b, c, neg_product, neg_addend, &fpu_fmt_d, rm,
			    flags);
}

uint32_t fpu_min_s(uint32_t a, uint32_t b, unsigned *flags)
{
	return fpu_soft_minmax(a, b, false, &fpu_fmt_s, flags);
}

uint32_t fpu_max_s(uint32_t a, uint32_t b, unsigned *flags)
{
	return fpu_soft_minmax(a, b, true, &fpu_fmt_s, flags);
}

uint64_t fpu_min_d(uint64_t a, uint64_t b, unsigned *flags)
{
	return fpu_soft_minmax(a, b, false, &fpu_fmt_d, flags);
}

uint64_t fpu_max_d(uint64_t a, uint64_t b, unsigned *flags)
{
	return fpu_soft_minmax(a, b, true, &fpu_fmt_d, flags);
}

bool fpu_eq_s(uint32_t a, uint32_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_EQ, &fpu_fmt_s, flags);
}

bool fpu_lt_s(uint32_t a, uint32_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_LT, &fpu_fmt_s, flags);
}

bool fpu_le_s(uint32_t a, uint32_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_LE, &fpu_fmt_s, flags);
}

bool fpu_eq_d(uint64_t a, uint64_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_EQ, &fpu_fmt_d, flags);
}

bool fpu_lt_d(uint64_t a, uint64_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_LT, &fpu_fmt_d, flags);
}

bool fpu_le_d(uint64_t a, uint64_t b, unsigned *flags)
{
	return fpu_soft_compare(a, b, FPU_CMP_LE, &fpu_fmt_d, flags);
}

unsigned fpu_class_s(uint32_t a)
{
	return fpu_soft_class(a, &fpu_fmt_s);
}

unsigned fpu_class_d(uint64_t a)
{
	return fpu_soft_class(a, &fpu_fmt_d);
}

uint64_t fpu_s_to_d(uint32_t a, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_s(FPU_HOST_CVT, a, 0, 0, FPU_RNE, &res, flags)) {
		return res;
	}
	return fpu_soft_convert(a, &fpu_fmt_s, &fpu_fmt_d, FPU_RNE, flags);
}

uint32_t fpu_d_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_d(FPU_HOST_CVT, a, 0, 0, rm, &res, flags)) {
		return res;
	}
	return fpu_soft_convert(a, &fpu_fmt_d, &fpu_fmt_s, rm, flags);
}

/* To a width-bit integer: the host's truncation when it fits, else the
 * software path (other modes, saturation). Not sign-extended. */
static uint64_t fpu_to_int(uint64_t a, const struct fpu_fmt *f, unsigned rm,
			   bool is_signed, unsigned width, unsigned *flags)
{
	uint64_t res;

	if (rm == FPU_RTZ &&
	    fpu_host_trunc(a, f == &fpu_fmt_d, is_signed, width, &res, flags)) {
		return res;
	}
	return fpu_soft_to_int(a, f, rm, is_signed, width, flags);
}

static uint64_t fpu_from_int(bool neg, uint64_t mag, const struct fpu_fmt *f,
			     unsigned rm, unsigned *flags)
{
	uint64_t res;

	if (fpu_host_from_int(neg, mag, f == &fpu_fmt_d, &res)) {
		return res;
	}
	return fpu_soft_from_int(neg, mag, f, rm, flags);
}

/* Sign and magnitude of a register value read as a signed integer. */
static uint64_t fpu_magnitude(int64_t v)
{
	return v < 0 ? -(uint64_t)v : (uint64_t)v;
}

uint64_t fpu_s_to_w(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_sext32(fpu_to_int(a, &fpu_fmt_s, rm, true, 32, flags));
}

uint64_t fpu_s_to_wu(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_sext32(fpu_to_int(a, &fpu_fmt_s, rm, false, 32, flags));
}

uint64_t fpu_s_to_l(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_to_int(a, &fpu_fmt_s, rm, true, 64, flags);
}

uint64_t fpu_s_to_lu(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_to_int(a, &fpu_fmt_s, rm, false, 64, flags);
}

uint64_t fpu_d_to_w(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_sext32(fpu_to_int(a, &fpu_fmt_d, rm, true, 32, flags));
}

uint64_t fpu_d_to_wu(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_sext32(fpu_to_int(a, &fpu_fmt_d, rm, false, 32, flags));
}

uint64_t fpu_d_to_l(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_to_int(a, &fpu_fmt_d, rm, true, 64, flags);
}

uint64_t fpu_d_to_lu(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_to_int(a, &fpu_fmt_d, rm, false, 64, flags);
}

uint32_t fpu_w_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int((int32_t)a < 0, fpu_magnitude((int32_t)a),
			    &fpu_fmt_s, rm, flags);
}

uint32_t fpu_wu_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int(false, (uint32_t)a, &fpu_fmt_s, rm, flags);
}

uint32_t fpu_l_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int((int64_t)a < 0, fpu_magnitude((int64_t)a),
			    &fpu_fmt_s, rm, flags);
}

uint32_t fpu_lu_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int(false, a, &fpu_fmt_s, rm, flags);
}

uint64_t fpu_w_to_d(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int((int32_t)a < 0, fpu_magnitude((int32_t)a),
			    &fpu_fmt_d, rm, flags);
}

uint64_t fpu_wu_to_d(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int(false, (uint32_t)a, &fpu_fmt_d, rm, flags);
}

uint64_t fpu_l_to_d(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int((int64_t)a < 0, fpu_magnitude((int64_t)a),
			    &fpu_fmt_d, rm, flags);
}

uint64_t fpu_lu_to_d(uint64_t a, unsigned rm, unsigned *flags)
{
	return fpu_from_int(false, a, &fpu_fmt_d, rm, flags);
}
