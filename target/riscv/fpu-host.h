/* SPDX-License-Identifier: MIT */
/* Host-FPU fast paths for target/riscv/fpu.c (x86-64 SSE, exact flags). */
#ifndef MIMIC_TARGET_RISCV_FPU_HOST_H
#define MIMIC_TARGET_RISCV_FPU_HOST_H

#include <stdbool.h>
#include <stdint.h>

enum fpu_host_op {
	FPU_HOST_ADD,
	FPU_HOST_SUB,
	FPU_HOST_MUL,
	FPU_HOST_DIV,
	FPU_HOST_SQRT,
	FPU_HOST_FMA,
	FPU_HOST_CVT, /* to the other format */
};

/*
 * Run op on the host FPU when it gives the bits and fflags RISC-V defines:
 * returns true with *res set and the flags ORed into *flags, or false
 * (nothing touched) when the caller must compute it in software: any mode
 * but RNE (square roots excepted), fused multiply-adds of non-finite
 * operands, hosts without FMA, non-x86 hosts, or the fast path switched
 * off.
 */
bool fpu_host_s(enum fpu_host_op op, uint32_t a, uint32_t b, uint32_t c,
		unsigned rm, uint64_t *res, unsigned *flags);
bool fpu_host_d(enum fpu_host_op op, uint64_t a, uint64_t b, uint64_t c,
		unsigned rm, uint64_t *res, unsigned *flags);

/* Truncation (RTZ) to a width-bit integer when the value is in range:
 * the result is not sign-extended; false leaves saturation to software. */
bool fpu_host_trunc(uint64_t a, bool dbl, bool is_signed, unsigned width,
		    uint64_t *res, unsigned *flags);
/* An integer (sign and magnitude) that converts exactly, in any mode. */
bool fpu_host_from_int(bool neg, uint64_t mag, bool dbl, uint64_t *res);

/* On by default; tests switch it off to check the software path alone. */
void fpu_host_enable(bool on);

#endif
