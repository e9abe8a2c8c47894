/* SPDX-License-Identifier: MIT */
/* The software IEEE 754 core behind target/riscv/fpu.c (any rounding mode). */
#ifndef MIMIC_TARGET_RISCV_FPU_SOFT_H
#define MIMIC_TARGET_RISCV_FPU_SOFT_H

#include <stdbool.h>
#include <stdint.h>

/* A binary interchange format: binary32 or binary64. */
struct fpu_fmt {
	unsigned frac_bits;
	unsigned exp_bits;
	int bias;
};

extern const struct fpu_fmt fpu_fmt_s;
extern const struct fpu_fmt fpu_fmt_d;

enum fpu_soft_cmp { FPU_CMP_EQ, FPU_CMP_LT, FPU_CMP_LE };

/* Values are raw bits of format f in the low bits of a uint64_t; each
 * function ORs the fflags it raises into *flags. */
uint64_t fpu_soft_add(uint64_t a_bits, uint64_t b_bits, bool negate_b,
		      const struct fpu_fmt *f, unsigned rm, unsigned *flags);
uint64_t fpu_soft_mul(uint64_t a_bits, uint64_t b_bits, const struct fpu_fmt *f,
		      unsigned rm, unsigned *flags);
uint64_t fpu_soft_div(uint64_t a_bits, uint64_t b_bits, const struct fpu_fmt *f,
		      unsigned rm, unsigned *flags);
uint64_t fpu_soft_sqrt(uint64_t a_bits, const struct fpu_fmt *f, unsigned rm,
		       unsigned *flags);
uint64_t fpu_soft_fma(uint64_t a_bits, uint64_t b_bits, uint64_t c_bits,
		      bool neg_product, bool neg_addend,
		      const struct fpu_fmt *f, unsigned rm, unsigned *flags);
uint64_t fpu_soft_minmax(uint64_t a_bits, uint64_t b_bits, bool max,
			 const struct fpu_fmt *f, unsigned *flags);
bool fpu_soft_compare(uint64_t a_bits, uint64_t b_bits, enum fpu_soft_cmp cmp,
		      const struct fpu_fmt *f, unsigned *flags);
unsigned fpu_soft_class(uint64_t bits, const struct fpu_fmt *f);
/* Between formats: exact, or rounded once. */
uint64_t fpu_soft_convert(uint64_t bits, const struct fpu_fmt *from,
			  const struct fpu_fmt *to, unsigned rm,
			  unsigned *flags);
/* To a width-bit integer (32 or 64), saturating per the spec's table; the
 * result is not sign-extended. */
uint64_t fpu_soft_to_int(uint64_t bits, const struct fpu_fmt *f, unsigned rm,
			 bool is_signed, unsigned width, unsigned *flags);
/* From an integer given as sign and magnitude. */
uint64_t fpu_soft_from_int(bool sign, uint64_t mag, const struct fpu_fmt *f,
			   unsigned rm, unsigned *flags);

#endif
