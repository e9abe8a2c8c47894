/* SPDX-License-Identifier: MIT */
/* Guest instructions to x86-64: one translation block at a time. */
#include <inttypes.h>
#include <stddef.h>

#include "accel/interp/interp.h"
#include "accel/jit/jit.h"
#include "util/log.h"

#define CPU_OFF(field) ((int32_t)offsetof(struct riscv_cpu, field))
#define XOFF(r) (CPU_OFF(x) + 8 * (int32_t)(r))
#define FOFF(r) (CPU_OFF(f) + 8 * (int32_t)(r))

/* Room one guest instruction's code may take, exits included. */
#define INSN_ROOM 512

/* What is being translated: the block so far. */
struct tc {
	struct jit *jit;
	struct riscv_cpu *cpu;
	struct x86_buf b;
	uint64_t pc; /* of the current instruction */
	uint64_t page_base; /* guest virtual page of the block */
	unsigned count; /* instructions before the current one */
	unsigned synced; /* of those, already added to cpu->instret */
	/* Guest registers held in host registers for the whole block (see
	 * alloc_registers), and those whose host copy is newer. */
	int8_t host_of[32];
	uint32_t cached, dirty;
};

/* Callee-saved host registers for guest registers (rbx is the cpu, r12
 * instret); the entry stub saves them. */
static const enum x86_gpr cache_regs[] = { X86_RBP, X86_R13, X86_R14, X86_R15 };

enum insn_end {
	INSN_NEXT, /* the block goes on */
	INSN_END, /* the instruction ended the block (its code exits) */
};

static bool is_cached(const struct tc *tc, unsigned xr)
{
	return (tc->cached >> xr) & 1;
}

static void load_x(struct tc *tc, enum x86_gpr r, unsigned xr)
{
	if (is_cached(tc, xr)) {
		x86_mov_rr(&tc->b, r, tc->host_of[xr]);
	} else {
		x86_load(&tc->b, r, X86_RBX, XOFF(xr));
	}
}

static void store_x(struct tc *tc, enum x86_gpr r, unsigned xr)
{
	if (xr == 0) {
		return;
	}
	if (is_cached(tc, xr)) {
		x86_mov_rr(&tc->b, tc->host_of[xr], r);
		tc->dirty |= 1u << xr;
	} else {
		x86_store(&tc->b, r, X86_RBX, XOFF(xr));
	}
}

/* dst = dst op x[xr] */
static void alu_x(struct tc *tc, enum x86_alu op, bool w64, enum x86_gpr dst,
		  unsigned xr)
{
	if (is_cached(tc, xr)) {
		x86_alu_rr(&tc->b, op, w64, dst, tc->host_of[xr]);
	} else {
		x86_alu_rm(&tc->b, op, w64, dst, X86_RBX, XOFF(xr));
	}
}

/* dst = x[xr] extended from its low byte/half/word */
static void extend_x(struct tc *tc, enum x86_ext ext, enum x86_gpr dst,
		     unsigned xr)
{
	if (is_cached(tc, xr)) {
		x86_extend_rr(&tc->b, ext, dst, tc->host_of[xr]);
	} else {
		x86_load_ext(&tc->b, ext, dst, X86_RBX, XOFF(xr));
	}
}

/* Write the dirty cached registers back to the cpu (before a call that
 * reads them or may raise, and before leaving the block). */
static void writeback(struct tc *tc)
{
	for (unsigned xr = 1; xr < 32; xr++) {
		if ((tc->dirty >> xr) & 1) {
			x86_store(&tc->b, tc->host_of[xr], X86_RBX, XOFF(xr));
		}
	}
}

/* Load every cached register from the cpu (block entry, after a helper
 * that may have written any of them). */
static void reload(struct tc *tc)
{
	for (unsigned xr = 1; xr < 32; xr++) {
		if (is_cached(tc, xr)) {
			x86_load(&tc->b, tc->host_of[xr], X86_RBX, XOFF(xr));
		}
	}
	tc->dirty = 0;
}

static void store_x_const(struct tc *tc, unsigned xr, uint64_t v)
{
	if (xr == 0) {
		return;
	}
	if (is_cached(tc, xr)) {
		x86_mov_imm(&tc->b, tc->host_of[xr], v);
		tc->dirty |= 1u << xr;
	} else if ((int64_t)v == (int32_t)v) {
		x86_store_imm(&tc->b, X86_RBX, XOFF(xr), (int32_t)v);
	} else {
		x86_mov_imm(&tc->b, X86_RAX, v);
		store_x(tc, X86_RAX, xr);
	}
}

/*
 * Generated code keeps cpu->instret in r12 (INSTRET): the entry stub loads
 * it, the exit stub stores it back, and calls that may read it or raise an
 * exception get it stored first. This adds n to it (flags clobbered).
 */
#define INSTRET X86_R12

static void add_instret(struct tc *tc, int32_t n)
{
	if (n != 0) {
		x86_alu_imm(&tc->b, X86_ADD, true, INSTRET, n);
	}
}

static void store_instret(struct tc *tc)
{
	x86_store(&tc->b, INSTRET, X86_RBX, CPU_OFF(instret));
}

/* Make pc and instret precise for the current instruction (before a call
 * that may raise an exception or read them). Uses rax. */
static void sync_state(struct tc *tc, bool next_pc, unsigned len)
{
	x86_mov_imm(&tc->b, X86_RAX, tc->pc);
	x86_store(&tc->b, X86_RAX, X86_RBX, CPU_OFF(pc));
	if (next_pc) {
		x86_alu_imm(&tc->b, X86_ADD, true, X86_RAX, len);
		x86_store(&tc->b, X86_RAX, X86_RBX, CPU_OFF(next_pc));
	}
	add_instret(tc, tc->count - tc->synced);
	store_instret(tc);
}

static void call_fn(struct tc *tc, const void *fn)
{
	x86_mov_imm(&tc->b, X86_RAX, (uintptr_t)fn);
	x86_call_reg(&tc->b, X86_RAX);
}

/* Leave the block for the run loop with cpu->pc already set; slot is the
 * patchable jump to chain, or NULL. */
static void exit_to_loop(struct tc *tc, const uint8_t *slot)
{
	x86_mov_imm(&tc->b, X86_RAX, (uintptr_t)slot);
	x86_jmp(&tc->b, tc->jit->epilogue);
}

/* A chained jump may go straight to another block of the same page (its
 * mapping was checked when this block was entered) or anywhere in user
 * mode, where one mapping serves all and changes flush the cache. */
static bool may_chain(const struct tc *tc, uint64_t target)
{
	return tc->cpu->mode == RISCV_CPU_USER ||
	       (target & ~0xfffull) == tc->page_base;
}

/* On to the translated block at cpu->pc if there is one and the chunk
 * lasts, else back to the loop (jit_lookup_indirect). */
static void lookup_and_go(struct tc *tc)
{
	store_instret(tc);
	x86_mov_rr(&tc->b, X86_RDI, X86_RBX);
	call_fn(tc, (const void *)jit_lookup_indirect);
	x86_jmp_reg(&tc->b, X86_RAX);
}

/* Go to `target`, instret already counted: chained to its block while the
 * chunk lasts, else back to the loop. */
static void exit_direct(struct tc *tc, uint64_t target)
{
	struct x86_buf *b = &tc->b;
	uint8_t *to_stub, *slot = NULL;

	if (!may_chain(tc, target)) {
		/* Another page: its mapping is checked at each entry. */
		x86_mov_imm(b, X86_RAX, target);
		x86_store(b, X86_RAX, X86_RBX, CPU_OFF(pc));
		lookup_and_go(tc);
		return;
	}
	x86_alu_rm(b, X86_CMP, true, INSTRET, X86_RBX, CPU_OFF(chunk_end));
	to_stub = x86_jcc(b, X86_CC_AE, NULL);
	slot = x86_jmp(b, NULL); /* to the stub until patched */
	if (b->p <= b->end) {
		x86_patch_rel32(to_stub, b->p);
	}
	x86_mov_imm(b, X86_RAX, target);
	x86_store(b, X86_RAX, X86_RBX, CPU_OFF(pc));
	exit_to_loop(tc, slot);
}

/* Count the instructions of the block up to and including this one. */
static void count_all(struct tc *tc)
{
	add_instret(tc, tc->count + 1 - tc->synced);
	tc->synced = tc->count + 1;
}

/* A copy of the instruction in the code cache's data area, for a call of
 * its interpreter handler. */
static const struct riscv_insn *insn_copy(struct tc *tc,
					  const struct riscv_insn *in)
{
	struct riscv_insn *copy;

	tc->jit->data_ptr -= (sizeof(*copy) + 15) & ~15ul;
	copy = (struct riscv_insn *)tc->jit->data_ptr;
	*copy = *in;
	tc->b.end = tc->jit->data_ptr;
	return copy;
}

/* The interpreter's handler for this one instruction. */
static void emit_helper(struct tc *tc, const struct riscv_insn *in)
{
	const struct riscv_insn *copy = insn_copy(tc, in);

	writeback(tc);
	sync_state(tc, true, in->len);
	tc->synced = tc->count;
	x86_mov_rr(&tc->b, X86_RDI, X86_RBX);
	x86_mov_imm(&tc->b, X86_RSI, (uintptr_t)copy);
	call_fn(tc, (const void *)interp_handler(in->op));
	x86_store_imm(&tc->b, X86_RBX, XOFF(0), 0);
	x86_load(&tc->b, INSTRET, X86_RBX, CPU_OFF(instret));
	/* Handlers write no integer register but rd; the others were just
	 * written back. */
	tc->dirty = 0;
	if (is_cached(tc, in->rd)) {
		x86_load(&tc->b, tc->host_of[in->rd], X86_RBX, XOFF(in->rd));
	}
}

/* A helper after which the block ends at cpu->next_pc (system
 * instructions: they may change privilege, mapping or pc). */
static enum insn_end emit_helper_end(struct tc *tc, const struct riscv_insn *in)
{
	emit_helper(tc, in);
	count_all(tc);
	x86_load(&tc->b, X86_RAX, X86_RBX, CPU_OFF(next_pc));
	x86_store(&tc->b, X86_RAX, X86_RBX, CPU_OFF(pc));
	exit_to_loop(tc, NULL);
	return INSN_END;
}

/* rax = rs1 + imm (the effective address, kept in rsi too). */
static void effective_address(struct tc *tc, const struct riscv_insn *in)
{
	load_x(tc, X86_RSI, in->rs1);
	if (in->imm) {
		x86_alu_imm(&tc->b, X86_ADD, true, X86_RSI, (int32_t)in->imm);
	}
}

/*
 * The soft-TLB probe: va in rsi; on a hit rax = host address, else a jump
 * to the returned field (to patch to the slow path).
 */
static uint8_t *tlb_probe(struct tc *tc, unsigned size, bool write)
{
	struct x86_buf *b = &tc->b;
	int32_t arr = write ? (int32_t)offsetof(struct riscv_tlb, write) :
			      (int32_t)offsetof(struct riscv_tlb, read);
	uint8_t *miss;

	x86_mov_rr(b, X86_RAX, X86_RSI);
	x86_shift_imm(b, X86_SHR, true, X86_RAX, 12);
	x86_alu_imm(b, X86_AND, false, X86_RAX, TLB_SIZE - 1);
	x86_shift_imm(b, X86_SHL, false, X86_RAX, 4);
	x86_alu_rm(b, X86_ADD, true, X86_RAX, X86_RBX, CPU_OFF(dtlb));
	x86_mov_rr(b, X86_RCX, X86_RSI);
	x86_alu_imm(b, X86_AND, true, X86_RCX, (int32_t)(-4096 | (size - 1)));
	x86_alu_rm(b, X86_CMP, true, X86_RCX, X86_RAX, arr);
	miss = x86_jcc(b, X86_CC_NE, NULL);
	x86_load(b, X86_RAX, X86_RAX, arr + 8);
	x86_alu_rr(b, X86_ADD, true, X86_RAX, X86_RSI);
	return miss;
}

static enum x86_ext load_ext(enum riscv_op op, unsigned *size)
{
	switch (op) {
	case RISCV_OP_LB:
		*size = 1;
		return X86_SX8;
	case RISCV_OP_LBU:
		*size = 1;
		return X86_ZX8;
	case RISCV_OP_LH:
		*size = 2;
		return X86_SX16;
	case RISCV_OP_LHU:
		*size = 2;
		return X86_ZX16;
	case RISCV_OP_LW:
		*size = 4;
		return X86_SX32;
	case RISCV_OP_LWU:
		*size = 4;
		return X86_ZX32;
	default:
		*size = 8;
		return X86_Q64;
	}
}

static void patch_here(struct tc *tc, uint8_t *field)
{
	if (tc->b.p <= tc->b.end) {
		x86_patch_rel32(field, tc->b.p);
	}
}

/* Slow path around a helper call: pc and instret exact, then undone. */
static void slow_call(struct tc *tc, const void *fn, unsigned size)
{
	int32_t pending = tc->count - tc->synced;

	writeback(tc); /* the dirty set stays: the fast path did not */
	sync_state(tc, false, 0);
	x86_mov_rr(&tc->b, X86_RDI, X86_RBX);
	x86_mov_imm(&tc->b, X86_RDX, size);
	call_fn(tc, fn);
	add_instret(tc, -pending);
}

/* rax = the `size` bytes at rs1 + imm, extended as `ext` says. */
static void emit_load_value(struct tc *tc, const struct riscv_insn *in,
			    enum x86_ext ext, unsigned size)
{
	uint8_t *miss, *done;

	effective_address(tc, in);
	miss = tlb_probe(tc, size, false);
	x86_load_ext(&tc->b, ext, X86_RAX, X86_RAX, 0);
	done = x86_jmp(&tc->b, NULL);
	patch_here(tc, miss);
	slow_call(tc, (const void *)riscv_load_slow, size);
	x86_extend_rr(&tc->b, ext, X86_RAX, X86_RAX);
	patch_here(tc, done);
}

static void emit_load(struct tc *tc, const struct riscv_insn *in)
{
	unsigned size;
	enum x86_ext ext = load_ext(in->op, &size);

	emit_load_value(tc, in, ext, size);
	store_x(tc, X86_RAX, in->rd);
}

/* rcx = the value rs2 names: x[rs2], or f[rs2] for FP stores. */
static void store_source(struct tc *tc, const struct riscv_insn *in, bool fp)
{
	if (fp) {
		x86_load(&tc->b, X86_RCX, X86_RBX, FOFF(in->rs2));
	} else {
		load_x(tc, X86_RCX, in->rs2);
	}
}

static void emit_store(struct tc *tc, const struct riscv_insn *in,
		       unsigned size, bool fp)
{
	uint8_t *miss, *done;

	effective_address(tc, in);
	miss = tlb_probe(tc, size, true);
	store_source(tc, in, fp);
	x86_store_n(&tc->b, size, X86_RCX, X86_RAX, 0);
	done = x86_jmp(&tc->b, NULL);
	patch_here(tc, miss);
	store_source(tc, in, fp);
	slow_call(tc, (const void *)riscv_store_slow, size);
	patch_here(tc, done);
}

/* FP instructions with mstatus.FS off: the interpreter's handler raises
 * the illegal-instruction exception (it does not come back). */
static void fp_check_enabled(struct tc *tc, const struct riscv_insn *in)
{
	const struct riscv_insn *copy = insn_copy(tc, in);
	uint8_t *enabled;

	x86_load(&tc->b, X86_RAX, X86_RBX, CPU_OFF(mstatus));
	x86_alu_imm(&tc->b, X86_AND, false, X86_RAX, (int32_t)MSTATUS_FS);
	enabled = x86_jcc(&tc->b, X86_CC_NE, NULL);
	writeback(tc);
	sync_state(tc, true, in->len);
	x86_mov_rr(&tc->b, X86_RDI, X86_RBX);
	x86_mov_imm(&tc->b, X86_RSI, (uintptr_t)copy);
	call_fn(tc, (const void *)interp_handler(in->op));
	patch_here(tc, enabled);
}

/* flw, fld, fsw, fsd */
static void emit_fp_mem(struct tc *tc, const struct riscv_insn *in)
{
	bool word = in->op == RISCV_OP_FLW || in->op == RISCV_OP_FSW;

	fp_check_enabled(tc, in);
	if (in->op == RISCV_OP_FSW || in->op == RISCV_OP_FSD) {
		emit_store(tc, in, word ? 4 : 8, true);
		return;
	}
	emit_load_value(tc, in, word ? X86_ZX32 : X86_Q64, word ? 4 : 8);
	if (word) {
		/* NaN-boxed in the 64-bit register */
		x86_mov_imm(&tc->b, X86_RCX, 0xffffffff00000000ull);
		x86_alu_rr(&tc->b, X86_OR, true, X86_RAX, X86_RCX);
	}
	x86_store(&tc->b, X86_RAX, X86_RBX, FOFF(in->rd));
	/* riscv_fs_dirty(): FS = dirty and SD */
	x86_mov_imm(&tc->b, X86_RCX, MSTATUS_FS | MSTATUS_SD);
	x86_load(&tc->b, X86_RAX, X86_RBX, CPU_OFF(mstatus));
	x86_alu_rr(&tc->b, X86_OR, true, X86_RAX, X86_RCX);
	x86_store(&tc->b, X86_RAX, X86_RBX, CPU_OFF(mstatus));
}

static enum insn_end emit_branch(struct tc *tc, const struct riscv_insn *in)
{
	static const enum x86_cond cond[] = {
		[RISCV_OP_BEQ - RISCV_OP_BEQ] = X86_CC_E,
		[RISCV_OP_BNE - RISCV_OP_BEQ] = X86_CC_NE,
		[RISCV_OP_BLT - RISCV_OP_BEQ] = X86_CC_L,
		[RISCV_OP_BGE - RISCV_OP_BEQ] = X86_CC_GE,
		[RISCV_OP_BLTU - RISCV_OP_BEQ] = X86_CC_B,
		[RISCV_OP_BGEU - RISCV_OP_BEQ] = X86_CC_AE,
	};
	uint8_t *taken;

	count_all(tc);
	writeback(tc); /* movs: the flags of the compare survive */
	load_x(tc, X86_RAX, in->rs1);
	alu_x(tc, X86_CMP, true, X86_RAX, in->rs2);
	taken = x86_jcc(&tc->b, cond[in->op - RISCV_OP_BEQ], NULL);
	exit_direct(tc, tc->pc + in->len);
	patch_here(tc, taken);
	exit_direct(tc, tc->pc + in->imm);
	return INSN_END;
}

/*
 * Straight on to the block at cpu->pc (in rdx) if it is translated. User
 * mode looks in the fast table inline: one mapping, one privilege, and the
 * table is emptied whenever the mapping changes.
 */
static void emit_indirect(struct tc *tc)
{
	struct x86_buf *b = &tc->b;
	uint8_t *miss[3] = { NULL };

	if (tc->cpu->mode == RISCV_CPU_USER) {
		x86_alu_rm(b, X86_CMP, true, INSTRET, X86_RBX,
			   CPU_OFF(chunk_end));
		miss[0] = x86_jcc(b, X86_CC_AE, NULL);
		x86_mov_rr32(b, X86_RAX, X86_RDX);
		x86_shift_imm(b, X86_SHR, false, X86_RAX, 1);
		x86_alu_imm(b, X86_AND, false, X86_RAX,
			    (1u << JIT_FAST_BITS) - 1);
		x86_mov_imm(b, X86_RCX, (uintptr_t)tc->jit->fast);
		x86_load_sib(b, X86_RAX, X86_RCX, X86_RAX, 8);
		x86_test_rr(b, X86_RAX, X86_RAX);
		miss[1] = x86_jcc(b, X86_CC_E, NULL);
		x86_alu_rm(b, X86_CMP, true, X86_RDX, X86_RAX,
			   offsetof(struct jit_tb, pc));
		miss[2] = x86_jcc(b, X86_CC_NE, NULL);
		x86_jmp_mem(b, X86_RAX, offsetof(struct jit_tb, code));
	}
	for (unsigned i = 0; i < ARRAY_SIZE(miss); i++) {
		if (miss[i]) {
			patch_here(tc, miss[i]);
		}
	}
	lookup_and_go(tc);
}

static enum insn_end emit_jump(struct tc *tc, const struct riscv_insn *in)
{
	uint64_t link = tc->pc + in->len;

	count_all(tc);
	if (in->op == RISCV_OP_JAL) {
		store_x_const(tc, in->rd, link);
		writeback(tc);
		exit_direct(tc, tc->pc + in->imm);
		return INSN_END;
	}
	load_x(tc, X86_RDX, in->rs1);
	if (in->imm) {
		x86_alu_imm(&tc->b, X86_ADD, true, X86_RDX, (int32_t)in->imm);
	}
	x86_alu_imm(&tc->b, X86_AND, true, X86_RDX, -2);
	store_x_const(tc, in->rd, link);
	writeback(tc);
	x86_store(&tc->b, X86_RDX, X86_RBX, CPU_OFF(pc));
	emit_indirect(tc);
	return INSN_END;
}

/* System instructions: they may change privilege, the mapping or pc (the
 * interpreter's handler runs them and the block ends after). */
static bool ends_block_system(enum riscv_op op)
{
	switch (op) {
	case RISCV_OP_FENCE_I:
	case RISCV_OP_ECALL:
	case RISCV_OP_EBREAK:
	case RISCV_OP_MRET:
	case RISCV_OP_SRET:
	case RISCV_OP_WFI:
	case RISCV_OP_SFENCE_VMA:
	case RISCV_OP_CSRRW:
	case RISCV_OP_CSRRS:
	case RISCV_OP_CSRRC:
	case RISCV_OP_CSRRWI:
	case RISCV_OP_CSRRSI:
	case RISCV_OP_CSRRCI:
	case RISCV_OP_ILLEGAL:
		return true;
	default:
		return false;
	}
}

/* rd = rs1 op rs2 for the two-operand ALU group. */
static void emit_alu_rr(struct tc *tc, const struct riscv_insn *in,
			enum x86_alu op, bool w64)
{
	load_x(tc, X86_RAX, in->rs1);
	alu_x(tc, op, w64, X86_RAX, in->rs2);
	if (!w64) {
		x86_movsxd(&tc->b, X86_RAX, X86_RAX);
	}
	store_x(tc, X86_RAX, in->rd);
}

static void emit_alu_imm(struct tc *tc, const struct riscv_insn *in,
			 enum x86_alu op, bool w64)
{
	load_x(tc, X86_RAX, in->rs1);
	x86_alu_imm(&tc->b, op, w64, X86_RAX, (int32_t)in->imm);
	if (!w64) {
		x86_movsxd(&tc->b, X86_RAX, X86_RAX);
	}
	store_x(tc, X86_RAX, in->rd);
}

static void emit_shift(struct tc *tc, const struct riscv_insn *in,
		       enum x86_shift op, bool w64, bool imm)
{
	load_x(tc, X86_RAX, in->rs1);
	if (imm) {
		x86_shift_imm(&tc->b, op, w64, X86_RAX,
			      in->imm & (w64 ? 63 : 31));
	} else {
		load_x(tc, X86_RCX, in->rs2);
		x86_shift_cl(&tc->b, op, w64, X86_RAX);
	}
	if (!w64) {
		x86_movsxd(&tc->b, X86_RAX, X86_RAX);
	}
	store_x(tc, X86_RAX, in->rd);
}

/* slt/sltu/slti/sltiu */
static void emit_set_less(struct tc *tc, const struct riscv_insn *in,
			  enum x86_cond cc, bool imm)
{
	load_x(tc, X86_RAX, in->rs1);
	x86_mov_imm(&tc->b, X86_RCX, 0);
	if (imm) {
		x86_alu_imm(&tc->b, X86_CMP, true, X86_RAX, (int32_t)in->imm);
	} else {
		alu_x(tc, X86_CMP, true, X86_RAX, in->rs2);
	}
	x86_setcc(&tc->b, cc, X86_RCX);
	store_x(tc, X86_RCX, in->rd);
}

/* min/max: rax = rs1, replaced by rs2 when cc holds for (rs1, rs2). */
static void emit_minmax(struct tc *tc, const struct riscv_insn *in,
			enum x86_cond cc)
{
	load_x(tc, X86_RAX, in->rs1);
	load_x(tc, X86_RCX, in->rs2);
	x86_alu_rr(&tc->b, X86_CMP, true, X86_RAX, X86_RCX);
	x86_cmov(&tc->b, cc, X86_RAX, X86_RCX);
	store_x(tc, X86_RAX, in->rd);
}

/* sh[123]add[.uw]: rd = (rs1 << n) + rs2 */
static void emit_shadd(struct tc *tc, const struct riscv_insn *in,
		       unsigned scale, bool uw)
{
	if (uw) {
		extend_x(tc, X86_ZX32, X86_RAX, in->rs1);
	} else {
		load_x(tc, X86_RAX, in->rs1);
	}
	load_x(tc, X86_RCX, in->rs2);
	x86_lea_sib(&tc->b, X86_RAX, X86_RCX, X86_RAX, scale);
	store_x(tc, X86_RAX, in->rd);
}

static void emit_mul(struct tc *tc, const struct riscv_insn *in)
{
	load_x(tc, X86_RAX, in->rs1);
	load_x(tc, X86_RCX, in->rs2);
	switch (in->op) {
	case RISCV_OP_MUL:
		x86_imul_rr(&tc->b, true, X86_RAX, X86_RCX);
		break;
	case RISCV_OP_MULW:
		x86_imul_rr(&tc->b, false, X86_RAX, X86_RCX);
		x86_movsxd(&tc->b, X86_RAX, X86_RAX);
		break;
	default:
		x86_mul_wide(&tc->b, in->op == RISCV_OP_MULH, X86_RCX);
		x86_mov_rr(&tc->b, X86_RAX, X86_RDX);
		break;
	}
	store_x(tc, X86_RAX, in->rd);
}

/*
 * div[u][w], rem[u][w]: x86 traps where RISC-V defines results (division
 * by zero: all ones or the dividend; the signed overflow by -1: the
 * dividend or zero), so those take their own paths.
 */
static void emit_div(struct tc *tc, const struct riscv_insn *in)
{
	enum riscv_op op = in->op;
	bool w64 = op <= RISCV_OP_REMU;
	bool sgn = op == RISCV_OP_DIV || op == RISCV_OP_REM ||
		   op == RISCV_OP_DIVW || op == RISCV_OP_REMW;
	bool rem = op == RISCV_OP_REM || op == RISCV_OP_REMU ||
		   op == RISCV_OP_REMW || op == RISCV_OP_REMUW;
	struct x86_buf *b = &tc->b;
	uint8_t *zero, *normal = NULL, *done[2] = { NULL };

	load_x(tc, X86_RAX, in->rs1);
	load_x(tc, X86_RCX, in->rs2);
	x86_alu_imm(b, X86_CMP, w64, X86_RCX, 0);
	zero = x86_jcc(b, X86_CC_E, NULL);
	if (sgn) {
		x86_alu_imm(b, X86_CMP, w64, X86_RCX, -1);
		normal = x86_jcc(b, X86_CC_NE, NULL);
		if (rem) {
			x86_mov_imm(b, X86_RAX, 0);
		} else {
			x86_neg(b, w64, X86_RAX);
		}
		done[0] = x86_jmp(b, NULL);
		patch_here(tc, normal);
		x86_sign_extend_ax(b, w64);
	} else {
		x86_mov_imm(b, X86_RDX, 0);
	}
	x86_div(b, sgn, w64, X86_RCX);
	if (rem) {
		x86_mov_rr(b, X86_RAX, X86_RDX);
	}
	done[1] = x86_jmp(b, NULL);
	patch_here(tc, zero);
	if (!rem) {
		x86_mov_imm(b, X86_RAX, ~0ull);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(done); i++) {
		if (done[i]) {
			patch_here(tc, done[i]);
		}
	}
	if (!w64) {
		x86_movsxd(b, X86_RAX, X86_RAX);
	}
	store_x(tc, X86_RAX, in->rd);
}

/* Zbb logic with an inverted operand: andn, orn, xnor. */
static void emit_logic_not(struct tc *tc, const struct riscv_insn *in)
{
	if (in->op == RISCV_OP_XNOR) {
		load_x(tc, X86_RAX, in->rs1);
		alu_x(tc, X86_XOR, true, X86_RAX, in->rs2);
		x86_not(&tc->b, X86_RAX);
	} else {
		load_x(tc, X86_RAX, in->rs2);
		x86_not(&tc->b, X86_RAX);
		alu_x(tc, in->op == RISCV_OP_ANDN ? X86_AND : X86_OR, true,
		      X86_RAX, in->rs1);
	}
	store_x(tc, X86_RAX, in->rd);
}

static void emit_extend(struct tc *tc, const struct riscv_insn *in,
			enum x86_ext ext)
{
	extend_x(tc, ext, X86_RAX, in->rs1);
	store_x(tc, X86_RAX, in->rd);
}

/* Zbs with a register bit number: bset/bclr/binv. */
static void emit_bitop(struct tc *tc, const struct riscv_insn *in,
		       enum x86_bitop op, bool imm)
{
	load_x(tc, X86_RAX, in->rs1);
	if (imm) {
		x86_bitop_imm(&tc->b, op, X86_RAX, in->imm & 63);
	} else {
		load_x(tc, X86_RCX, in->rs2);
		x86_bitop_rr(&tc->b, op, X86_RAX, X86_RCX);
	}
	store_x(tc, X86_RAX, in->rd);
}

static void emit_rev8(struct tc *tc, const struct riscv_insn *in)
{
	load_x(tc, X86_RAX, in->rs1);
	x86_bswap(&tc->b, X86_RAX);
	store_x(tc, X86_RAX, in->rd);
}

static void emit_fence(struct tc *tc, const struct riscv_insn *in)
{
	unsigned pred = (in->imm >> 4) & 0xf, succ = in->imm & 0xf;

	/* As the interpreter: only store -> load needs a host fence. */
	if ((pred & 1) && (succ & 2)) {
		x86_byte(&tc->b, 0x0f);
		x86_byte(&tc->b, 0xae);
		x86_byte(&tc->b, 0xf0); /* mfence */
	}
}

/* Base integer register-register and immediate instructions; false if
 * the op is not one of them. */
static bool emit_base_alu(struct tc *tc, const struct riscv_insn *in)
{
	switch (in->op) {
	case RISCV_OP_ADD:
		emit_alu_rr(tc, in, X86_ADD, true);
		break;
	case RISCV_OP_SUB:
		emit_alu_rr(tc, in, X86_SUB, true);
		break;
	case RISCV_OP_AND:
		emit_alu_rr(tc, in, X86_AND, true);
		break;
	case RISCV_OP_OR:
		emit_alu_rr(tc, in, X86_OR, true);
		break;
	case RISCV_OP_XOR:
		emit_alu_rr(tc, in, X86_XOR, true);
		break;
	case RISCV_OP_ADDW:
		emit_alu_rr(tc, in, X86_ADD, false);
		break;
	case RISCV_OP_SUBW:
		emit_alu_rr(tc, in, X86_SUB, false);
		break;
	case RISCV_OP_ADDI:
		emit_alu_imm(tc, in, X86_ADD, true);
		break;
	case RISCV_OP_ANDI:
		emit_alu_imm(tc, in, X86_AND, true);
		break;
	case RISCV_OP_ORI:
		emit_alu_imm(tc, in, X86_OR, true);
		break;
	case RISCV_OP_XORI:
		emit_alu_imm(tc, in, X86_XOR, true);
		break;
	case RISCV_OP_ADDIW:
		emit_alu_imm(tc, in, X86_ADD, false);
		break;
	case RISCV_OP_SLT:
		emit_set_less(tc, in, X86_CC_L, false);
		break;
	case RISCV_OP_SLTU:
		emit_set_less(tc, in, X86_CC_B, false);
		break;
	case RISCV_OP_SLTI:
		emit_set_less(tc, in, X86_CC_L, true);
		break;
	case RISCV_OP_SLTIU:
		emit_set_less(tc, in, X86_CC_B, true);
		break;
	default:
		return false;
	}
	return true;
}

static bool emit_shifts(struct tc *tc, const struct riscv_insn *in)
{
	switch (in->op) {
	case RISCV_OP_SLL:
		emit_shift(tc, in, X86_SHL, true, false);
		break;
	case RISCV_OP_SRL:
		emit_shift(tc, in, X86_SHR, true, false);
		break;
	case RISCV_OP_SRA:
		emit_shift(tc, in, X86_SAR, true, false);
		break;
	case RISCV_OP_SLLW:
		emit_shift(tc, in, X86_SHL, false, false);
		break;
	case RISCV_OP_SRLW:
		emit_shift(tc, in, X86_SHR, false, false);
		break;
	case RISCV_OP_SRAW:
		emit_shift(tc, in, X86_SAR, false, false);
		break;
	case RISCV_OP_SLLI:
		emit_shift(tc, in, X86_SHL, true, true);
		break;
	case RISCV_OP_SRLI:
		emit_shift(tc, in, X86_SHR, true, true);
		break;
	case RISCV_OP_SRAI:
		emit_shift(tc, in, X86_SAR, true, true);
		break;
	case RISCV_OP_SLLIW:
		emit_shift(tc, in, X86_SHL, false, true);
		break;
	case RISCV_OP_SRLIW:
		emit_shift(tc, in, X86_SHR, false, true);
		break;
	case RISCV_OP_SRAIW:
		emit_shift(tc, in, X86_SAR, false, true);
		break;
	case RISCV_OP_ROL:
		emit_shift(tc, in, X86_ROL, true, false);
		break;
	case RISCV_OP_ROR:
		emit_shift(tc, in, X86_ROR, true, false);
		break;
	case RISCV_OP_ROLW:
		emit_shift(tc, in, X86_ROL, false, false);
		break;
	case RISCV_OP_RORW:
		emit_shift(tc, in, X86_ROR, false, false);
		break;
	case RISCV_OP_RORI:
		emit_shift(tc, in, X86_ROR, true, true);
		break;
	case RISCV_OP_RORIW:
		emit_shift(tc, in, X86_ROR, false, true);
		break;
	default:
		return false;
	}
	return true;
}

/* M, Zba, Zbb, Zbs operations done natively; false for the others. */
static bool emit_ext_alu(struct tc *tc, const struct riscv_insn *in)
{
	switch (in->op) {
	case RISCV_OP_MUL:
	case RISCV_OP_MULW:
	case RISCV_OP_MULH:
	case RISCV_OP_MULHU:
		emit_mul(tc, in);
		break;
	case RISCV_OP_DIV:
	case RISCV_OP_DIVU:
	case RISCV_OP_REM:
	case RISCV_OP_REMU:
	case RISCV_OP_DIVW:
	case RISCV_OP_DIVUW:
	case RISCV_OP_REMW:
	case RISCV_OP_REMUW:
		emit_div(tc, in);
		break;
	case RISCV_OP_SH1ADD:
	case RISCV_OP_SH2ADD:
	case RISCV_OP_SH3ADD:
		emit_shadd(tc, in, 2 << (in->op - RISCV_OP_SH1ADD), false);
		break;
	case RISCV_OP_SH1ADD_UW:
	case RISCV_OP_SH2ADD_UW:
	case RISCV_OP_SH3ADD_UW:
		emit_shadd(tc, in, 2 << (in->op - RISCV_OP_SH1ADD_UW), true);
		break;
	case RISCV_OP_ADD_UW:
		emit_shadd(tc, in, 1, true);
		break;
	case RISCV_OP_ANDN:
	case RISCV_OP_ORN:
	case RISCV_OP_XNOR:
		emit_logic_not(tc, in);
		break;
	case RISCV_OP_MIN:
		emit_minmax(tc, in, X86_CC_G);
		break;
	case RISCV_OP_MINU:
		emit_minmax(tc, in, X86_CC_A);
		break;
	case RISCV_OP_MAX:
		emit_minmax(tc, in, X86_CC_L);
		break;
	case RISCV_OP_MAXU:
		emit_minmax(tc, in, X86_CC_B);
		break;
	case RISCV_OP_SEXT_B:
		emit_extend(tc, in, X86_SX8);
		break;
	case RISCV_OP_SEXT_H:
		emit_extend(tc, in, X86_SX16);
		break;
	case RISCV_OP_ZEXT_H:
		emit_extend(tc, in, X86_ZX16);
		break;
	case RISCV_OP_REV8:
		emit_rev8(tc, in);
		break;
	case RISCV_OP_BSET:
	case RISCV_OP_BSETI:
		emit_bitop(tc, in, X86_BTS, in->op == RISCV_OP_BSETI);
		break;
	case RISCV_OP_BCLR:
	case RISCV_OP_BCLRI:
		emit_bitop(tc, in, X86_BTR, in->op == RISCV_OP_BCLRI);
		break;
	case RISCV_OP_BINV:
	case RISCV_OP_BINVI:
		emit_bitop(tc, in, X86_BTC, in->op == RISCV_OP_BINVI);
		break;
	default:
		return false;
	}
	return true;
}

/* Instructions after which the block ends. */
static bool ends_block(enum riscv_op op)
{
	/* jal, jalr and the branches are consecutive in enum riscv_op */
	return (op >= RISCV_OP_JAL && op <= RISCV_OP_BGEU) ||
	       ends_block_system(op);
}

static enum insn_end emit_insn(struct tc *tc, const struct riscv_insn *in)
{
	enum riscv_op op = in->op;

	if (emit_base_alu(tc, in) || emit_shifts(tc, in) ||
	    emit_ext_alu(tc, in)) {
		return INSN_NEXT;
	}
	switch (op) {
	case RISCV_OP_LUI:
		store_x_const(tc, in->rd, in->imm);
		return INSN_NEXT;
	case RISCV_OP_AUIPC:
		store_x_const(tc, in->rd, tc->pc + in->imm);
		return INSN_NEXT;
	case RISCV_OP_JAL:
	case RISCV_OP_JALR:
		return emit_jump(tc, in);
	case RISCV_OP_BEQ:
	case RISCV_OP_BNE:
	case RISCV_OP_BLT:
	case RISCV_OP_BGE:
	case RISCV_OP_BLTU:
	case RISCV_OP_BGEU:
		return emit_branch(tc, in);
	case RISCV_OP_LB:
	case RISCV_OP_LH:
	case RISCV_OP_LW:
	case RISCV_OP_LD:
	case RISCV_OP_LBU:
	case RISCV_OP_LHU:
	case RISCV_OP_LWU:
		emit_load(tc, in);
		return INSN_NEXT;
	case RISCV_OP_SB:
	case RISCV_OP_SH:
	case RISCV_OP_SW:
	case RISCV_OP_SD:
		emit_store(tc, in, 1u << (op - RISCV_OP_SB), false);
		return INSN_NEXT;
	case RISCV_OP_FLW:
	case RISCV_OP_FLD:
	case RISCV_OP_FSW:
	case RISCV_OP_FSD:
		emit_fp_mem(tc, in);
		return INSN_NEXT;
	case RISCV_OP_FENCE:
		emit_fence(tc, in);
		return INSN_NEXT;
	case RISCV_OP_PREFETCH_I:
	case RISCV_OP_PREFETCH_R:
	case RISCV_OP_PREFETCH_W:
		return INSN_NEXT;
	default:
		if (ends_block_system(op)) {
			return emit_helper_end(tc, in);
		}
		emit_helper(tc, in);
		return INSN_NEXT;
	}
}

/* The instruction bits at pc from the block's host page; false when the
 * instruction does not fit in the page. */
static bool fetch(const uint8_t *page, uint64_t pc, uint32_t *raw)
{
	unsigned off = pc & 0xfff;
	uint16_t lo, hi;

	memcpy(&lo, page + off, 2);
	if ((lo & 3) != 3) {
		*raw = lo;
		return true;
	}
	if (off > 0xffc) {
		return false;
	}
	memcpy(&hi, page + off + 2, 2);
	*raw = lo | ((uint32_t)hi << 16);
	return true;
}

static void log_insn(uint64_t pc, const struct riscv_insn *in)
{
	char buf[96];

	riscv_disas(in, pc, buf, sizeof(buf));
	log_printf("0x%016" PRIx64 ":  %08x  %s\n", pc, in->raw, buf);
}

/*
 * Decode the block: at most JIT_TB_INSNS instructions up to and including
 * one that ends it, all within the page. Returns the count (0 when the
 * first instruction crosses the page end).
 */
static unsigned decode_block(const uint8_t *page, uint64_t pc,
			     struct riscv_insn *insns)
{
	unsigned n = 0;
	uint32_t raw;

	while (n < JIT_TB_INSNS && fetch(page, pc, &raw)) {
		riscv_decode(raw, &insns[n]);
		pc += insns[n].len;
		if (ends_block(insns[n++].op)) {
			break;
		}
		if ((pc & 0xfff) == 0) {
			break;
		}
	}
	return n;
}

/* Integer registers an instruction names (FP instructions, from FLW on,
 * name f registers in some fields: not counted). */
static void count_uses(const struct riscv_insn *in, unsigned *uses)
{
	if (in->op >= RISCV_OP_FLW) {
		return;
	}
	uses[in->rs1]++;
	uses[in->rs2]++;
	uses[in->rd]++;
}

/* Keep the block's most used guest registers in host registers. */
static void alloc_registers(struct tc *tc, const struct riscv_insn *insns,
			    unsigned n)
{
	unsigned uses[32] = { 0 };

	for (unsigned i = 0; i < n; i++) {
		count_uses(&insns[i], uses);
	}
	uses[0] = 0;
	memset(tc->host_of, -1, sizeof(tc->host_of));
	for (unsigned h = 0; h < ARRAY_SIZE(cache_regs); h++) {
		unsigned best = 0;

		for (unsigned xr = 1; xr < 32; xr++) {
			if (!is_cached(tc, xr) && uses[xr] > uses[best]) {
				best = xr;
			}
		}
		if (uses[best] < 3) {
			break;
		}
		tc->host_of[best] = cache_regs[h];
		tc->cached |= 1u << best;
	}
	reload(tc);
}

const uint8_t *jit_translate(struct jit *jit, struct riscv_cpu *cpu,
			     uint64_t pc, const uint8_t *page, bool *full)
{
	struct tc tc = {
		.jit = jit,
		.cpu = cpu,
		.b = { jit->code_ptr, jit->code_ptr, jit->data_ptr },
		.pc = pc,
		.page_base = pc & ~0xfffull,
	};
	struct riscv_insn insns[JIT_TB_INSNS];
	unsigned n = decode_block(page, pc, insns);
	bool log = log_enabled(LOG_IN_ASM);
	enum insn_end end = INSN_NEXT;

	*full = x86_room(&tc.b) < 2 * INSN_ROOM;
	if (n == 0 || *full) {
		return NULL;
	}
	if (log) {
		log_printf("IN: (jit)\n");
	}
	alloc_registers(&tc, insns, n);
	for (unsigned i = 0; i < n && end == INSN_NEXT; i++) {
		if (x86_room(&tc.b) < INSN_ROOM) {
			break;
		}
		if (log) {
			log_insn(tc.pc, &insns[i]);
		}
		end = emit_insn(&tc, &insns[i]);
		tc.count++;
		tc.pc += insns[i].len;
	}
	if (end == INSN_NEXT) {
		add_instret(&tc, tc.count - tc.synced);
		writeback(&tc);
		exit_direct(&tc, tc.pc);
	}
	if (tc.b.p > tc.b.end) {
		*full = true;
		return NULL;
	}
	jit->code_ptr = tc.b.p;
	return tc.b.start;
}
