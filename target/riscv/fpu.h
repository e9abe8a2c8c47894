/* SPDX-License-Identifier: MIT */
/* RISC-V F and D arithmetic on raw IEEE 754 bits, exactly as the spec says. */
#ifndef MIMIC_TARGET_RISCV_FPU_H
#define MIMIC_TARGET_RISCV_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* Rounding modes (frm / the rm field). 5 and 6 are reserved, 7 is DYN:
 * the caller resolves DYN from frm and raises illegal-instruction on a
 * reserved mode before calling anything here. */
enum fpu_rm {
	FPU_RNE = 0,
	FPU_RTZ = 1,
	FPU_RDN = 2,
	FPU_RUP = 3,
	FPU_RMM = 4,
	FPU_DYN = 7,
};

/* fflags bits; every function ORs what it raised into *flags. */
#define FPU_NX 0x01u /* inexact */
#define FPU_UF 0x02u /* underflow */
#define FPU_OF 0x04u /* overflow */
#define FPU_DZ 0x08u /* divide by zero */
#define FPU_NV 0x10u /* invalid */

#define FPU_CANONICAL_NAN_S 0x7fc00000u
#define FPU_CANONICAL_NAN_D 0x7ff8000000000000ull

/* NaN boxing of single values in 64-bit registers. */
static inline uint64_t fpu_box_s(uint32_t v)
{
	return 0xffffffff00000000ull | v;
}

static inline uint32_t fpu_unbox_s(uint64_t v)
{
	return (v >> 32) == 0xffffffffu ? (uint32_t)v : FPU_CANONICAL_NAN_S;
}

/* Arithmetic. NaN results are the canonical NaN. */
uint32_t fpu_add_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags);
uint32_t fpu_sub_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags);
uint32_t fpu_mul_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags);
uint32_t fpu_div_s(uint32_t a, uint32_t b, unsigned rm, unsigned *flags);
uint32_t fpu_sqrt_s(uint32_t a, unsigned rm, unsigned *flags);
uint64_t fpu_add_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t fpu_sub_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t fpu_mul_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t fpu_div_d(uint64_t a, uint64_t b, unsigned rm, unsigned *flags);
uint64_t fpu_sqrt_d(uint64_t a, unsigned rm, unsigned *flags);

/* Fused multiply-add with one rounding: (±(a*b)) ± c.
 * fmadd: neg_product=0, neg_addend=0; fmsub: 0,1; fnmsub: 1,0; fnmadd: 1,1. */
uint32_t fpu_fma_s(uint32_t a, uint32_t b, uint32_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags);
uint64_t fpu_fma_d(uint64_t a, uint64_t b, uint64_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags);

/* fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber; -0 < +0). */
uint32_t fpu_min_s(uint32_t a, uint32_t b, unsigned *flags);
uint32_t fpu_max_s(uint32_t a, uint32_t b, unsigned *flags);
uint64_t fpu_min_d(uint64_t a, uint64_t b, unsigned *flags);
uint64_t fpu_max_d(uint64_t a, uint64_t b, unsigned *flags);

/* Comparisons: feq is quiet (NV on sNaN only), flt/fle signal on any NaN. */
bool fpu_eq_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_lt_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_le_s(uint32_t a, uint32_t b, unsigned *flags);
bool fpu_eq_d(uint64_t a, uint64_t b, unsigned *flags);
bool fpu_lt_d(uint64_t a, uint64_t b, unsigned *flags);
bool fpu_le_d(uint64_t a, uint64_t b, unsigned *flags);

/* fclass: the 10-bit mask. */
unsigned fpu_class_s(uint32_t a);
unsigned fpu_class_d(uint64_t a);

/* Between formats. */
uint64_t fpu_s_to_d(uint32_t a, unsigned *flags);
uint32_t fpu_d_to_s(uint64_t a, unsigned rm, unsigned *flags);

/* To integers, saturating with NV as the spec's table says. The 32-bit
 * results are returned sign-extended to 64 bits, as the register holds them. */
uint64_t fpu_s_to_w(uint32_t a, unsigned rm, unsigned *flags);
uint64_t fpu_s_to_wu(uint32_t a, unsigned rm, unsigned *flags);
uint64_t fpu_s_to_l(uint32_t a, unsigned rm, unsigned *flags);
uint64_t fpu_s_to_lu(uint32_t a, unsigned rm, unsigned *flags);
uint64_t fpu_d_to_w(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_d_to_wu(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_d_to_l(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_d_to_lu(uint64_t a, unsigned rm, unsigned *flags);

/* From integers (the source is the full 64-bit register value). */
uint32_t fpu_w_to_s(uint64_t a, unsigned rm, unsigned *flags);
uint32_t fpu_wu_to_s(uint64_t a, unsigned rm, unsigned *flags);
uint32_t fpu_l_to_s(uint64_t a, unsigned rm, unsigned *flags);
uint32_t fpu_lu_to_s(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_w_to_d(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_wu_to_d(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_l_to_d(uint64_t a, unsigned rm, unsigned *flags);
uint64_t fpu_lu_to_d(uint64_t a, unsigned rm, unsigned *flags);

#endif
