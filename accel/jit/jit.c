/* SPDX-License-Identifier: MIT */
/* The translator's run loop, code cache and block lookup. */
#include <stdlib.h>
#include <sys/mman.h>

#include "accel/interp/interp.h"
#include "accel/jit/jit.h"
#include "util/log.h"

#define JIT_CACHE_SIZE (32u << 20)
#define JIT_MAX_TBS (1u << 16)

/*
 * Generated code runs with rbx = cpu, r12 = cpu->instret and guest registers
 * in rbp, r13..r15 (translate.c). The entry stub saves the callee-saved
 * registers it uses and jumps to the block; blocks leave through the exit
 * stub with rax = the chaining slot to patch (or 0).
 */
static void jit_emit_stubs(struct jit *jit)
{
	struct x86_buf b = { jit->buf, jit->buf, jit->buf + 256 };

	x86_push(&b, X86_RBX);
	x86_push(&b, X86_RBP);
	x86_push(&b, X86_R12);
	x86_push(&b, X86_R13);
	x86_push(&b, X86_R14);
	x86_push(&b, X86_R15);
	x86_alu_imm(&b, X86_SUB, true, X86_RSP,
		    8); /* calls see rsp % 16 == 0 */
	x86_mov_rr(&b, X86_RBX, X86_RDI);
	x86_load(&b, X86_R12, X86_RBX, offsetof(struct riscv_cpu, instret));
	x86_jmp_reg(&b, X86_RSI);
	jit->epilogue = b.p;
	x86_store(&b, X86_R12, X86_RBX, offsetof(struct riscv_cpu, instret));
	x86_alu_imm(&b, X86_ADD, true, X86_RSP, 8);
	x86_pop(&b, X86_R15);
	x86_pop(&b, X86_R14);
	x86_pop(&b, X86_R13);
	x86_pop(&b, X86_R12);
	x86_pop(&b, X86_RBP);
	x86_pop(&b, X86_RBX);
	x86_ret(&b);
	jit->exit_stub = b.p;
	x86_mov_imm(&b, X86_RAX, 0);
	x86_jmp(&b, jit->epilogue);
	jit->enter =
		(uint8_t * (*)(struct riscv_cpu *, const uint8_t *)) jit->buf;
	jit->code_start = jit->buf + 256;
}

static void jit_flush(struct jit *jit)
{
	jit->code_ptr = jit->code_start;
	jit->data_ptr = jit->buf + jit->size;
	jit->nr_tbs = 0;
	jit->flushes++;
	memset(jit->hash, 0, sizeof(jit->hash));
	memset(jit->fast, 0, sizeof(jit->fast));
}

static struct jit *jit_new(void)
{
	struct jit *jit = calloc(1, sizeof(*jit));

	if (!jit) {
		return NULL;
	}
	jit->size = JIT_CACHE_SIZE;
	jit->buf = mmap(NULL, jit->size, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	jit->max_tbs = JIT_MAX_TBS;
	jit->tbs = calloc(jit->max_tbs, sizeof(*jit->tbs));
	if (jit->buf == MAP_FAILED || !jit->tbs) {
		if (jit->buf != MAP_FAILED) {
			munmap(jit->buf, jit->size);
		}
		free(jit->tbs);
		free(jit);
		return NULL;
	}
	jit_emit_stubs(jit);
	jit_flush(jit);
	return jit;
}

void jit_state_free(void *state)
{
	struct jit *jit = state;

	if (jit) {
		munmap(jit->buf, jit->size);
		free(jit->tbs);
		free(jit);
	}
}

static unsigned hash_pc(uint64_t pc)
{
	return (unsigned)((pc >> 1) ^ (pc >> (JIT_HASH_BITS + 1))) &
	       ((1u << JIT_HASH_BITS) - 1);
}

static unsigned fast_pc(uint64_t pc)
{
	return (unsigned)(pc >> 1) & ((1u << JIT_FAST_BITS) - 1);
}

static bool tb_matches(const struct jit_tb *tb, uint64_t pc, uintptr_t page,
		       uint64_t priv)
{
	return tb->pc == pc && tb->page == page && tb->priv == priv;
}

static struct jit_tb *jit_tb_new(struct jit *jit, struct riscv_cpu *cpu,
				 uint64_t pc, uintptr_t page)
{
	const uint8_t *code;
	struct jit_tb *tb;
	bool full;

	if (jit->nr_tbs == jit->max_tbs) {
		jit_flush(jit);
	}
	code = jit_translate(jit, cpu, pc, (const uint8_t *)page, &full);
	if (!code && full) {
		jit_flush(jit);
		code = jit_translate(jit, cpu, pc, (const uint8_t *)page,
				     &full);
	}
	if (!code) {
		return NULL;
	}
	tb = &jit->tbs[jit->nr_tbs++];
	tb->pc = pc;
	tb->page = page;
	tb->priv = cpu->priv;
	tb->code = code;
	tb->next = jit->hash[hash_pc(pc)];
	jit->hash[hash_pc(pc)] = tb;
	return tb;
}

/* The host page cpu->pc maps to now, from the instruction TLB; 0 on a
 * miss. */
static uintptr_t pc_page(struct riscv_cpu *cpu, uint64_t pc)
{
	struct riscv_tlb_entry *e = riscv_tlb_entry(cpu->itlb->exec, pc);

	if (unlikely(e->tag != (pc & ~0xfffull))) {
		return 0;
	}
	return (uintptr_t)(pc & ~0xfffull) + e->addend;
}

static struct jit_tb *jit_lookup(struct jit *jit, uint64_t pc, uintptr_t page,
				 uint64_t priv)
{
	struct jit_tb *tb = jit->fast[fast_pc(pc)];

	if (likely(tb && tb_matches(tb, pc, page, priv))) {
		return tb;
	}
	for (tb = jit->hash[hash_pc(pc)]; tb; tb = tb->next) {
		if (tb_matches(tb, pc, page, priv)) {
			jit->fast[fast_pc(pc)] = tb;
			return tb;
		}
	}
	return NULL;
}

const uint8_t *jit_lookup_indirect(struct riscv_cpu *cpu)
{
	struct jit *jit = cpu->jit;
	uintptr_t page = pc_page(cpu, cpu->pc);
	struct jit_tb *tb;

	if (cpu->instret >=
		    __atomic_load_n(&cpu->chunk_end, __ATOMIC_RELAXED) ||
	    cpu->code_gen != jit->code_gen || !page) {
		return jit->exit_stub;
	}
	tb = jit_lookup(jit, cpu->pc, page, cpu->priv);
	return tb ? tb->code : jit->exit_stub;
}

/*
 * The block for cpu->pc: found by pc, the host page the pc maps to now and
 * the privilege. NULL when it cannot be translated (not RAM, or the first
 * instruction crosses a page): the interpreter runs that instruction.
 */
static struct jit_tb *jit_find(struct jit *jit, struct riscv_cpu *cpu)
{
	uint64_t pc = cpu->pc;
	uintptr_t page = pc_page(cpu, pc);
	struct jit_tb *tb;

	if (cpu->code_gen != jit->code_gen) {
		jit->code_gen = cpu->code_gen;
		jit_flush(jit);
	}
	if (unlikely(!page)) {
		riscv_fetch_slow(cpu, pc); /* fills the TLB or raises */
		page = pc_page(cpu, pc);
		if (!page) {
			return NULL;
		}
	}
	tb = jit_lookup(jit, pc, page, cpu->priv);
	if (!tb) {
		tb = jit_tb_new(jit, cpu, pc, page);
		if (tb) {
			jit->fast[fast_pc(pc)] = tb;
		}
	}
	return tb;
}

static struct jit *jit_get(struct riscv_cpu *cpu)
{
	if (!cpu->jit) {
		cpu->jit = jit_new();
		if (cpu->jit) {
			((struct jit *)cpu->jit)->code_gen = cpu->code_gen;
		} else {
			log_once(LOG_UNIMP,
				 "jit: no memory for the code cache, "
				 "interpreting\n");
		}
	}
	return cpu->jit;
}

enum riscv_exit jit_loop(struct riscv_cpu *cpu)
{
	struct jit *jit = jit_get(cpu);
	enum riscv_exit why;

	if (!jit) {
		return interp_loop(cpu);
	}
	while (interp_chunk_start(cpu, &why)) {
		uint8_t *slot = NULL;
		uint64_t flushes = jit->flushes;

		/* Breakpoints and single steps: the interpreter, with the
		 * debugger's hook before every instruction. */
		if (riscv_cpu_debug_wanted(cpu)) {
			if (interp_chunk_debug(cpu)) {
				return RISCV_EXIT_DEBUG;
			}
			continue;
		}
		while (cpu->instret <
		       __atomic_load_n(&cpu->chunk_end, __ATOMIC_RELAXED)) {
			struct jit_tb *tb = jit_find(jit, cpu);

			if (!tb) {
				interp_run_one(cpu);
				slot = NULL;
				continue;
			}
			if (slot && flushes == jit->flushes) {
				x86_patch_rel32(slot, tb->code);
			}
			flushes = jit->flushes;
			slot = jit->enter(cpu, tb->code);
		}
	}
	return why;
}
