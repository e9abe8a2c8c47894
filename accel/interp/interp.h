/* SPDX-License-Identifier: MIT */
/* The interpreter's handlers: one function per major opcode group. */
#ifndef MIMIC_ACCEL_INTERP_INTERP_H
#define MIMIC_ACCEL_INTERP_INTERP_H

#include "target/riscv/cpu-internal.h"

typedef void interp_fn(struct riscv_cpu *cpu, const struct riscv_insn *in);

/* interp.c: the handler the interpreter uses for op (the translator calls
 * it for instructions it has no native code for). */
interp_fn *interp_handler(enum riscv_op op);
/* Execute the one instruction at cpu->pc. */
void interp_run_one(struct riscv_cpu *cpu);
/* The run loop's check between chunks (shared by both engines): exit
 * requests, the budget, timers and interrupts; false with *why when
 * riscv_cpu_run() must return. */
bool interp_chunk_start(struct riscv_cpu *cpu, enum riscv_exit *why);
enum riscv_exit interp_loop(struct riscv_cpu *cpu);
/* Run the chunk one instruction at a time with the debugger's hook before
 * each (breakpoints, single-step); true when the hook asks to stop. */
bool interp_chunk_debug(struct riscv_cpu *cpu);

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
