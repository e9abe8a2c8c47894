/* SPDX-License-Identifier: MIT */
/* The reference interpreter: run loop, dispatch, integer instructions. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>

#include "accel/interp/interp.h"
#include "accel/jit/jit.h"
#include "util/log.h"

#define X(r) (cpu->x[in->r])

static uint64_t clmul_low(uint64_t a, uint64_t b)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < 64; i++) {
		if ((b >> i) & 1) {
			r ^= a << i;
		}
	}
	return r;
}

static uint64_t clmul_high(uint64_t a, uint64_t b)
{
	uint64_t r = 0;

	for (unsigned i = 1; i < 64; i++) {
		if ((b >> i) & 1) {
			r ^= a >> (64 - i);
		}
	}
	return r;
}

static uint64_t clmul_rev(uint64_t a, uint64_t b)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < 64; i++) {
		if ((b >> i) & 1) {
			r ^= a >> (63 - i);
		}
	}
	return r;
}

static uint64_t orc_b(uint64_t a)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < 64; i += 8) {
		if ((a >> i) & 0xff) {
			r |= 0xffull << i;
		}
	}
	return r;
}

static uint64_t rotl64(uint64_t a, unsigned n)
{
	n &= 63;
	return n ? (a << n) | (a >> (64 - n)) : a;
}

static uint32_t rotl32(uint32_t a, unsigned n)
{
	n &= 31;
	return n ? (a << n) | (a >> (32 - n)) : a;
}

static uint64_t alu_div(enum riscv_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case RISCV_OP_DIV:
		if (b == 0) {
			return ~0ull;
		}
		if ((int64_t)a == INT64_MIN && (int64_t)b == -1) {
			return a;
		}
		return (int64_t)a / (int64_t)b;
	case RISCV_OP_DIVU:
		return b ? a / b : ~0ull;
	case RISCV_OP_REM:
		if (b == 0) {
			return a;
		}
		if ((int64_t)a == INT64_MIN && (int64_t)b == -1) {
			return 0;
		}
		return (int64_t)a % (int64_t)b;
	case RISCV_OP_REMU:
		return b ? a % b : a;
	case RISCV_OP_DIVW:
		if ((uint32_t)b == 0) {
			return ~0ull;
		}
		if ((int32_t)a == INT32_MIN && (int32_t)b == -1) {
			return sext32(a);
		}
		return sext32((int32_t)a / (int32_t)b);
	case RISCV_OP_DIVUW:
		return (uint32_t)b ?
			       (uint64_t)sext32((uint32_t)a / (uint32_t)b) :
			       ~0ull;
	case RISCV_OP_REMW:
		if ((uint32_t)b == 0) {
			return sext32(a);
		}
		if ((int32_t)a == INT32_MIN && (int32_t)b == -1) {
			return 0;
		}
		return sext32((int32_t)a % (int32_t)b);
	case RISCV_OP_REMUW:
		return (uint32_t)b ? sext32((uint32_t)a % (uint32_t)b) :
				     sext32(a);
	default:
		return 0;
	}
}

static uint64_t alu_mul(enum riscv_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case RISCV_OP_MUL:
		return a * b;
	case RISCV_OP_MULH:
		return (__int128)(int64_t)a * (int64_t)b >> 64;
	case RISCV_OP_MULHSU:
		return (__int128)(int64_t)a * (unsigned __int128)b >> 64;
	case RISCV_OP_MULHU:
		return (unsigned __int128)a * b >> 64;
	case RISCV_OP_MULW:
		return sext32(a * b);
	default:
		return alu_div(op, a, b);
	}
}

/* Zba/Zbb/Zbc/Zbs/Zicond register-register operations. */
static uint64_t alu_bitmanip(enum riscv_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case RISCV_OP_SH1ADD:
		return (a << 1) + b;
	case RISCV_OP_SH2ADD:
		return (a << 2) + b;
	case RISCV_OP_SH3ADD:
		return (a << 3) + b;
	case RISCV_OP_ADD_UW:
		return (uint32_t)a + b;
	case RISCV_OP_SH1ADD_UW:
		return ((uint64_t)(uint32_t)a << 1) + b;
	case RISCV_OP_SH2ADD_UW:
		return ((uint64_t)(uint32_t)a << 2) + b;
	case RISCV_OP_SH3ADD_UW:
		return ((uint64_t)(uint32_t)a << 3) + b;
	case RISCV_OP_ANDN:
		return a & ~b;
	case RISCV_OP_ORN:
		return a | ~b;
	case RISCV_OP_XNOR:
		return ~(a ^ b);
	case RISCV_OP_MAX:
		return (int64_t)a > (int64_t)b ? a : b;
	case RISCV_OP_MAXU:
		return a > b ? a : b;
	case RISCV_OP_MIN:
		return (int64_t)a < (int64_t)b ? a : b;
	case RISCV_OP_MINU:
		return a < b ? a : b;
	case RISCV_OP_ROL:
		return rotl64(a, b);
	case RISCV_OP_ROR:
		return rotl64(a, 64 - (b & 63));
	case RISCV_OP_ROLW:
		return sext32(rotl32(a, b));
	case RISCV_OP_RORW:
		return sext32(rotl32(a, 32 - (b & 31)));
	case RISCV_OP_CLMUL:
		return clmul_low(a, b);
	case RISCV_OP_CLMULH:
		return clmul_high(a, b);
	case RISCV_OP_CLMULR:
		return clmul_rev(a, b);
	case RISCV_OP_BCLR:
		return a & ~(1ull << (b & 63));
	case RISCV_OP_BEXT:
		return (a >> (b & 63)) & 1;
	case RISCV_OP_BINV:
		return a ^ (1ull << (b & 63));
	case RISCV_OP_BSET:
		return a | (1ull << (b & 63));
	case RISCV_OP_CZERO_EQZ:
		return b ? a : 0;
	case RISCV_OP_CZERO_NEZ:
		return b ? 0 : a;
	default:
		return alu_mul(op, a, b);
	}
}

/* The base register-register operations, then the extensions. */
static uint64_t alu(enum riscv_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case RISCV_OP_ADD:
		return a + b;
	case RISCV_OP_SUB:
		return a - b;
	case RISCV_OP_SLL:
		return a << (b & 63);
	case RISCV_OP_SLT:
		return (int64_t)a < (int64_t)b;
	case RISCV_OP_SLTU:
		return a < b;
	case RISCV_OP_XOR:
		return a ^ b;
	case RISCV_OP_SRL:
		return a >> (b & 63);
	case RISCV_OP_SRA:
		return (int64_t)a >> (b & 63);
	case RISCV_OP_OR:
		return a | b;
	case RISCV_OP_AND:
		return a & b;
	case RISCV_OP_ADDW:
		return sext32(a + b);
	case RISCV_OP_SUBW:
		return sext32(a - b);
	case RISCV_OP_SLLW:
		return sext32((uint32_t)a << (b & 31));
	case RISCV_OP_SRLW:
		return sext32((uint32_t)a >> (b & 31));
	case RISCV_OP_SRAW:
		return sext32((int32_t)a >> (b & 31));
	default:
		return alu_bitmanip(op, a, b);
	}
}

static void exec_op(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	X(rd) = alu(in->op, X(rs1), X(rs2));
}

/* Single-operand Zbb operations (rs2 field is part of the opcode). */
static uint64_t alu_unary(enum riscv_op op, uint64_t a)
{
	switch (op) {
	case RISCV_OP_CLZ:
		return a ? __builtin_clzll(a) : 64;
	case RISCV_OP_CTZ:
		return a ? __builtin_ctzll(a) : 64;
	case RISCV_OP_CPOP:
		return __builtin_popcountll(a);
	case RISCV_OP_CLZW:
		return (uint32_t)a ? __builtin_clz((uint32_t)a) : 32;
	case RISCV_OP_CTZW:
		return (uint32_t)a ? __builtin_ctz((uint32_t)a) : 32;
	case RISCV_OP_CPOPW:
		return __builtin_popcount((uint32_t)a);
	case RISCV_OP_SEXT_B:
		return (int64_t)(int8_t)a;
	case RISCV_OP_SEXT_H:
		return (int64_t)(int16_t)a;
	case RISCV_OP_ZEXT_H:
		return (uint16_t)a;
	case RISCV_OP_ORC_B:
		return orc_b(a);
	case RISCV_OP_REV8:
		return __builtin_bswap64(a);
	default:
		return 0;
	}
}

static void exec_unary(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	X(rd) = alu_unary(in->op, X(rs1));
}

static void exec_bitmanip_imm(struct riscv_cpu *cpu,
			      const struct riscv_insn *in)
{
	uint64_t a = X(rs1);
	unsigned sh = in->imm;

	switch (in->op) {
	case RISCV_OP_SLLI_UW:
		X(rd) = (uint64_t)(uint32_t)a << sh;
		break;
	case RISCV_OP_RORI:
		X(rd) = rotl64(a, 64 - sh);
		break;
	case RISCV_OP_RORIW:
		X(rd) = sext32(rotl32(a, 32 - sh));
		break;
	case RISCV_OP_BCLRI:
		X(rd) = a & ~(1ull << sh);
		break;
	case RISCV_OP_BEXTI:
		X(rd) = (a >> sh) & 1;
		break;
	case RISCV_OP_BINVI:
		X(rd) = a ^ (1ull << sh);
		break;
	case RISCV_OP_BSETI:
		X(rd) = a | (1ull << sh);
		break;
	default:
		break;
	}
}

/*
 * The base integer instructions, one function each: the hot path has one
 * indirect call and no second dispatch.
 */
#define EXEC_RR(name, expr)                                  \
	static void exec_##name(struct riscv_cpu *cpu,       \
				const struct riscv_insn *in) \
	{                                                    \
		uint64_t a = X(rs1), b = X(rs2);             \
		X(rd) = (expr);                              \
	}
#define EXEC_RI(name, expr)                                  \
	static void exec_##name(struct riscv_cpu *cpu,       \
				const struct riscv_insn *in) \
	{                                                    \
		uint64_t a = X(rs1), b = (uint64_t)in->imm;  \
		X(rd) = (expr);                              \
	}
#define EXEC_BRANCH(name, cond)                              \
	static void exec_##name(struct riscv_cpu *cpu,       \
				const struct riscv_insn *in) \
	{                                                    \
		uint64_t a = X(rs1), b = X(rs2);             \
		if (cond) {                                  \
			cpu->next_pc = cpu->pc + in->imm;    \
		}                                            \
	}
#define EXEC_LOAD(name, fn)                                  \
	static void exec_##name(struct riscv_cpu *cpu,       \
				const struct riscv_insn *in) \
	{                                                    \
		X(rd) = riscv_##fn(cpu, X(rs1) + in->imm);   \
	}
#define EXEC_STORE(name, fn)                                 \
	static void exec_##name(struct riscv_cpu *cpu,       \
				const struct riscv_insn *in) \
	{                                                    \
		riscv_##fn(cpu, X(rs1) + in->imm, X(rs2));   \
	}

EXEC_RR(add, a + b)
EXEC_RR(sub, a - b)
EXEC_RR(sll, a << (b & 63))
EXEC_RR(slt, (int64_t)a < (int64_t)b)
EXEC_RR(sltu, a < b)
EXEC_RR(xor, a ^ b)
EXEC_RR(srl, a >> (b & 63))
EXEC_RR(sra, (uint64_t)((int64_t)a >> (b & 63)))
EXEC_RR(or, a | b)
EXEC_RR(and, a &b)
EXEC_RR(addw, sext32(a + b))
EXEC_RR(subw, sext32(a - b))
EXEC_RI(addi, a + b)
EXEC_RI(slti, (int64_t)a < (int64_t)b)
EXEC_RI(sltiu, a < b)
EXEC_RI(xori, a ^ b)
EXEC_RI(ori, a | b)
EXEC_RI(andi, a &b)
EXEC_RI(slli, a << b)
EXEC_RI(srli, a >> b)
EXEC_RI(srai, (uint64_t)((int64_t)a >> b))
EXEC_RI(addiw, sext32(a + b))
EXEC_RI(slliw, sext32((uint32_t)a << b))
EXEC_RI(srliw, sext32((uint32_t)a >> b))
EXEC_RI(sraiw, sext32((int32_t)a >> b))
EXEC_BRANCH(beq, a == b)
EXEC_BRANCH(bne, a != b)
EXEC_BRANCH(blt, (int64_t)a < (int64_t)b)
EXEC_BRANCH(bge, (int64_t)a >= (int64_t)b)
EXEC_BRANCH(bltu, a < b)
EXEC_BRANCH(bgeu, a >= b)
EXEC_LOAD(lb, ld_s8)
EXEC_LOAD(lbu, ld_u8)
EXEC_LOAD(lh, ld_s16)
EXEC_LOAD(lhu, ld_u16)
EXEC_LOAD(lw, ld_s32)
EXEC_LOAD(lwu, ld_u32)
EXEC_LOAD(ld, ld_u64)
EXEC_STORE(sb, st_8)
EXEC_STORE(sh, st_16)
EXEC_STORE(sw, st_32)
EXEC_STORE(sd, st_64)

static void exec_lui(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	X(rd) = in->imm;
}

static void exec_auipc(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	X(rd) = cpu->pc + in->imm;
}

static void exec_jump(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	uint64_t link = cpu->pc + in->len;

	if (in->op == RISCV_OP_JAL) {
		cpu->next_pc = cpu->pc + in->imm;
	} else {
		cpu->next_pc = (X(rs1) + in->imm) & ~1ull;
	}
	X(rd) = link;
}

static void exec_nop(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
}

static void exec_fence_i(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	riscv_icache_flush(cpu);
	cpu->code_gen++;
}

static void exec_illegal(struct riscv_cpu *cpu, const struct riscv_insn *in)
{
	riscv_raise(cpu, RISCV_EXC_ILLEGAL_INSN, in->raw);
}

#define R(name) [RISCV_OP_##name]
static interp_fn *const exec_table[RISCV_OP_COUNT] = {
	R(LUI) = exec_lui,
	R(AUIPC) = exec_auipc,
	R(JAL) = exec_jump,
	R(JALR) = exec_jump,
	R(BEQ) = exec_beq,
	R(BNE) = exec_bne,
	R(BLT) = exec_blt,
	R(BGE) = exec_bge,
	R(BLTU) = exec_bltu,
	R(BGEU) = exec_bgeu,
	R(LB) = exec_lb,
	R(LH) = exec_lh,
	R(LW) = exec_lw,
	R(LD) = exec_ld,
	R(LBU) = exec_lbu,
	R(LHU) = exec_lhu,
	R(LWU) = exec_lwu,
	R(SB) = exec_sb,
	R(SH) = exec_sh,
	R(SW) = exec_sw,
	R(SD) = exec_sd,
	R(ADDI) = exec_addi,
	R(SLTI) = exec_slti,
	R(SLTIU) = exec_sltiu,
	R(XORI) = exec_xori,
	R(ORI) = exec_ori,
	R(ANDI) = exec_andi,
	R(SLLI) = exec_slli,
	R(SRLI) = exec_srli,
	R(SRAI) = exec_srai,
	R(ADDIW) = exec_addiw,
	R(SLLIW) = exec_slliw,
	R(SRLIW) = exec_srliw,
	R(SRAIW) = exec_sraiw,
	R(ADD) = exec_add,
	R(SUB) = exec_sub,
	R(SLL) = exec_sll,
	R(SLT) = exec_slt,
	R(SLTU) = exec_sltu,
	R(XOR) = exec_xor,
	R(SRL) = exec_srl,
	R(SRA) = exec_sra,
	R(OR) = exec_or,
	R(AND) = exec_and,
	R(ADDW) = exec_addw,
	R(SUBW) = exec_subw,
	R(SLLI_UW) = exec_bitmanip_imm,
	R(RORI) = exec_bitmanip_imm,
	R(RORIW) = exec_bitmanip_imm,
	R(BCLRI) = exec_bitmanip_imm,
	R(BEXTI) = exec_bitmanip_imm,
	R(BINVI) = exec_bitmanip_imm,
	R(BSETI) = exec_bitmanip_imm,
	R(CLZ) = exec_unary,
	R(CTZ) = exec_unary,
	R(CPOP) = exec_unary,
	R(CLZW) = exec_unary,
	R(CTZW) = exec_unary,
	R(CPOPW) = exec_unary,
	R(SEXT_B) = exec_unary,
	R(SEXT_H) = exec_unary,
	R(ZEXT_H) = exec_unary,
	R(ORC_B) = exec_unary,
	R(REV8) = exec_unary,
	R(FENCE) = interp_exec_fence,
	R(FENCE_I) = exec_fence_i,
	R(ECALL) = interp_exec_system,
	R(EBREAK) = interp_exec_system,
	R(MRET) = interp_exec_system,
	R(SRET) = interp_exec_system,
	R(WFI) = interp_exec_system,
	R(SFENCE_VMA) = interp_exec_system,
	R(CSRRW) = interp_exec_csr,
	R(CSRRS) = interp_exec_csr,
	R(CSRRC) = interp_exec_csr,
	R(CSRRWI) = interp_exec_csr,
	R(CSRRSI) = interp_exec_csr,
	R(CSRRCI) = interp_exec_csr,
	R(CBO_CLEAN) = interp_exec_cbo,
	R(CBO_FLUSH) = interp_exec_cbo,
	R(CBO_INVAL) = interp_exec_cbo,
	R(CBO_ZERO) = interp_exec_cbo,
	R(PREFETCH_I) = exec_nop,
	R(PREFETCH_R) = exec_nop,
	R(PREFETCH_W) = exec_nop,
	R(FLW) = interp_exec_fp_mem,
	R(FSW) = interp_exec_fp_mem,
	R(FLD) = interp_exec_fp_mem,
	R(FSD) = interp_exec_fp_mem,
};
#undef R

static interp_fn *exec_lookup(enum riscv_op op)
{
	if (exec_table[op]) {
		return exec_table[op];
	}
	if (op >= RISCV_OP_LR_W && op <= RISCV_OP_AMOMAXU_D) {
		return interp_exec_amo;
	}
	if ((op >= RISCV_OP_ADD && op <= RISCV_OP_AND) ||
	    (op >= RISCV_OP_ADDW && op <= RISCV_OP_SRAW) ||
	    (op >= RISCV_OP_MUL && op <= RISCV_OP_REMUW) ||
	    (op >= RISCV_OP_SH1ADD && op <= RISCV_OP_SH3ADD_UW) ||
	    op == RISCV_OP_ANDN || op == RISCV_OP_ORN || op == RISCV_OP_XNOR ||
	    (op >= RISCV_OP_MAX && op <= RISCV_OP_MINU) || op == RISCV_OP_ROL ||
	    op == RISCV_OP_ROR || op == RISCV_OP_ROLW || op == RISCV_OP_RORW ||
	    (op >= RISCV_OP_CLMUL && op <= RISCV_OP_CLMULR) ||
	    op == RISCV_OP_BCLR || op == RISCV_OP_BEXT || op == RISCV_OP_BINV ||
	    op == RISCV_OP_BSET || op == RISCV_OP_CZERO_EQZ ||
	    op == RISCV_OP_CZERO_NEZ) {
		return exec_op;
	}
	if (op >= RISCV_OP_FMADD_S && op <= RISCV_OP_FNMADD_S) {
		return interp_exec_fp_fma;
	}
	if (op >= RISCV_OP_FMADD_D && op <= RISCV_OP_FNMADD_D) {
		return interp_exec_fp_fma;
	}
	if ((op >= RISCV_OP_FADD_S && op <= RISCV_OP_FSQRT_S) ||
	    (op >= RISCV_OP_FADD_D && op <= RISCV_OP_FSQRT_D)) {
		return interp_exec_fp_arith;
	}
	if (op >= RISCV_OP_FSGNJ_S && op <= RISCV_OP_FMV_D_X) {
		return interp_exec_fp_misc;
	}
	return exec_table[op] ? exec_table[op] : exec_illegal;
}

/* The full dispatch table, built once from exec_table and the ranges. */
static interp_fn *dispatch[RISCV_OP_COUNT];

static void interp_init_dispatch(void)
{
	for (unsigned op = 0; op < RISCV_OP_COUNT; op++) {
		dispatch[op] = exec_lookup(op);
	}
}

static pthread_once_t dispatch_once = PTHREAD_ONCE_INIT;

static void interp_decode(struct riscv_cpu *cpu, struct riscv_icache_entry *ic,
			  uint64_t pc, uint64_t tag)
{
	uint32_t raw = riscv_fetch(cpu, pc);

	if ((raw & 3) != 3) {
		raw &= 0xffff;
	}
	riscv_decode(raw, &ic->insn);
	ic->handler = dispatch[ic->insn.op];
	ic->tag = tag;
	ic->gen = cpu->icache_key;
	riscv_icache_page_mark(cpu, pc);
	if (unlikely(log_enabled(LOG_IN_ASM))) {
		char buf[96];

		riscv_disas(&ic->insn, pc, buf, sizeof(buf));
		log_printf("0x%016" PRIx64 ":  %08x  %s\n", pc, raw, buf);
	}
}

static inline void interp_step(struct riscv_cpu *cpu)
{
	uint64_t pc = cpu->pc;
	uint64_t tag = pc;
	struct riscv_icache_entry *ic =
		&cpu->icache[(pc >> 1) & (ICACHE_SIZE - 1)];

	if (unlikely(ic->tag != tag || ic->gen != cpu->icache_key)) {
		interp_decode(cpu, ic, pc, tag);
	}
	cpu->next_pc = pc + ic->insn.len;
	((interp_fn *)ic->handler)(cpu, &ic->insn);
	cpu->x[0] = 0;
	cpu->pc = cpu->next_pc;
	cpu->instret++;
}

#define CHUNK 4096

/* A chunk under a debugger: its hook before every instruction; true when
 * it asks to stop. */
bool interp_chunk_debug(struct riscv_cpu *cpu)
{
	while (cpu->instret <
	       __atomic_load_n(&cpu->chunk_end, __ATOMIC_RELAXED)) {
		if (riscv_cpu_debug_hook(cpu)) {
			return true;
		}
		interp_step(cpu);
	}
	return false;
}

interp_fn *interp_handler(enum riscv_op op)
{
	pthread_once(&dispatch_once, interp_init_dispatch);
	return op < RISCV_OP_COUNT ? dispatch[op] : exec_illegal;
}

void interp_run_one(struct riscv_cpu *cpu)
{
	interp_step(cpu);
}

bool interp_chunk_start(struct riscv_cpu *cpu, enum riscv_exit *why)
{
	uint64_t end;

	if (__atomic_load_n(&cpu->exit_request, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&cpu->exit_request, 0, __ATOMIC_RELAXED);
		*why = RISCV_EXIT_REQUEST;
		return false;
	}
	if (cpu->instret >= cpu->run_end) {
		*why = RISCV_EXIT_BUDGET;
		return false;
	}
	riscv_update_timers(cpu);
	end = cpu->run_end - cpu->instret > CHUNK ? cpu->instret + CHUNK :
						    cpu->run_end;
	/* Publish the chunk before looking at mip: a device raising a line
	 * after this point cuts the chunk short instead. */
	__atomic_store_n(&cpu->chunk_end, end, __ATOMIC_SEQ_CST);
	if ((__atomic_load_n(&cpu->mip, __ATOMIC_SEQ_CST) & cpu->mie) &&
	    !cpu->debug_step) {
		riscv_check_interrupts(cpu);
	}
	return true;
}

enum riscv_exit interp_loop(struct riscv_cpu *cpu)
{
	enum riscv_exit why;

	while (interp_chunk_start(cpu, &why)) {
		if (riscv_cpu_debug_wanted(cpu)) {
			if (interp_chunk_debug(cpu)) {
				return RISCV_EXIT_DEBUG;
			}
			continue;
		}
		while (cpu->instret <
		       __atomic_load_n(&cpu->chunk_end, __ATOMIC_RELAXED)) {
			interp_step(cpu);
		}
	}
	return why;
}

enum riscv_exit riscv_cpu_run(struct riscv_cpu *cpu, uint64_t max_insns)
{
	int code;

	/* Harts on several host threads may get here at the same time. */
	pthread_once(&dispatch_once, interp_init_dispatch);
	cpu->run_end = cpu->instret + max_insns;
	code = sigsetjmp(cpu->jmp, 0);
	if (code >= RISCV_JMP_EXIT) {
		return code - RISCV_JMP_EXIT;
	}
	if (code == RISCV_JMP_CONTINUE) {
		/* A trap retires nothing but still uses up the budget, so a
		 * guest stuck in a trap loop cannot keep us here forever. */
		cpu->run_end--;
	}
	if (cpu->engine == RISCV_ENGINE_JIT) {
		return jit_loop(cpu);
	}
	return interp_loop(cpu);
}
