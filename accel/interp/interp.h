/* SPDX-License-Identifier: MIT */
/* The interpreter's handlers: one function per major opcode group. */
#ifndef MIMIC_ACCEL_INTERP_INTERP_H
#define MIMIC_ACCEL_INTERP_INTERP_H

#include "target/riscv/cpu-internal.h"

typedef void interp_fn(struct riscv_cpu *cpu, const struct riscv_insn *in);

/* interp-system.c */
interp_fn interp_exec_csr;
interp_fn interp_exec_system;
interp_fn interp_exec_fence;
interp_fn interp_exec_amo;
interp_fn interp_exec_cbo;

/* interp-fp.c */
interp_fn interp_exec_fp_mem;
interp_fn interp_exec_fp_arith;
interp_fn interp_exec_fp_fma;
interp_fn interp_exec_fp_misc;

static inline int64_t sext32(uint64_t v)
{
	return (int64_t)(int32_t)v;
}

#endif
