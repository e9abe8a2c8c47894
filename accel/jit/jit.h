/* SPDX-License-Identifier: MIT */
/* The dynamic binary translator (riscv64 -> x86-64): shared definitions. */
#ifndef MIMIC_ACCEL_JIT_JIT_H
#define MIMIC_ACCEL_JIT_JIT_H

#include <stddef.h>

#include "accel/jit/x86.h"
#include "target/riscv/cpu-internal.h"

/* Instructions per translation block at most. */
#define JIT_TB_INSNS 64

/* One translation block: guest code at pc, in the guest page whose host
 * address is `page`, translated for privilege `priv`. */
struct jit_tb {
	uint64_t pc;
	uintptr_t page;
	uint64_t priv;
	const uint8_t *code;
	struct jit_tb *next; /* hash chain */
};

#define JIT_HASH_BITS 15
#define JIT_FAST_BITS 12

/*
 * Per-hart translator state: the code cache (code grows up from the start,
 * the decoded instructions helpers need grow down from the end), the TBs
 * and their lookup tables. Everything is dropped at once when full or when
 * cpu->code_gen says guest code may have changed.
 */
struct jit {
	uint8_t *buf;
	size_t size;
	uint8_t *code_start; /* after the entry and exit stubs */
	uint8_t *code_ptr;
	uint8_t *data_ptr;
	uint8_t *(*enter)(struct riscv_cpu *cpu, const uint8_t *code);
	const uint8_t *epilogue;
	const uint8_t *exit_stub; /* back to the loop, nothing to chain */
	struct jit_tb *tbs;
	unsigned nr_tbs, max_tbs;
	uint64_t code_gen;
	uint64_t flushes;
	struct jit_tb *hash[1u << JIT_HASH_BITS];
	struct jit_tb *fast[1u << JIT_FAST_BITS];
};

/* translate.c: translate the block at pc (host page `page`); NULL when the
 * cache is full (flush and retry) or the first instruction crosses the
 * page (let the interpreter run it). */
const uint8_t *jit_translate(struct jit *jit, struct riscv_cpu *cpu,
			     uint64_t pc, const uint8_t *page, bool *full);

/* jit.c */
enum riscv_exit jit_loop(struct riscv_cpu *cpu);
/* From generated code at an indirect jump: the code of the block at
 * cpu->pc if it is translated and the chunk goes on, else the exit stub. */
const uint8_t *jit_lookup_indirect(struct riscv_cpu *cpu);

#endif
