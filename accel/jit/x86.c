/* SPDX-License-Identifier: MIT */
/* A small x86-64 instruction emitter: the encodings the translator uses. */
#include <string.h>

#include "accel/jit/x86.h"

void x86_byte(struct x86_buf *b, uint8_t v)
{
	if (b->p < b->end) {
		*b->p = v;
	}
	b->p++;
}

void x86_u32(struct x86_buf *b, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++) {
		x86_byte(b, v >> (8 * i));
	}
}

void x86_u64(struct x86_buf *b, uint64_t v)
{
	x86_u32(b, v);
	x86_u32(b, v >> 32);
}

/* REX prefix when needed; `force` for byte registers sil/dil/spl/bpl. */
static void rex(struct x86_buf *b, bool w, unsigned reg, unsigned base,
		bool force)
{
	uint8_t v = 0x40 | (w << 3) | ((reg >> 3) << 2) | (base >> 3);

	if (v != 0x40 || force) {
		x86_byte(b, v);
	}
}

static void opcode(struct x86_buf *b, uint32_t op)
{
	if (op > 0xffff) {
		x86_byte(b, op >> 16);
	}
	if (op > 0xff) {
		x86_byte(b, op >> 8);
	}
	x86_byte(b, op);
}

static void modrm_mem(struct x86_buf *b, unsigned reg, unsigned base,
		      int32_t disp)
{
	unsigned mod;

	if (disp == 0 && (base & 7) != X86_RBP) {
		mod = 0;
	} else if (disp >= -128 && disp <= 127) {
		mod = 1;
	} else {
		mod = 2;
	}
	x86_byte(b, (mod << 6) | ((reg & 7) << 3) | (base & 7));
	if ((base & 7) == X86_RSP) {
		x86_byte(b, 0x24);
	}
	if (mod == 1) {
		x86_byte(b, (uint8_t)disp);
	} else if (mod == 2) {
		x86_u32(b, disp);
	}
}

/* op reg, [base + disp] with the given operand-size prefix and REX.W. */
static void op_mem(struct x86_buf *b, bool p66, bool w, uint32_t op,
		   unsigned reg, unsigned base, int32_t disp, bool force)
{
	if (p66) {
		x86_byte(b, 0x66);
	}
	rex(b, w, reg, base, force);
	opcode(b, op);
	modrm_mem(b, reg, base, disp);
}

/* op reg, rm (register direct). */
static void op_rr(struct x86_buf *b, bool w, uint32_t op, unsigned reg,
		  unsigned rm, bool force)
{
	rex(b, w, reg, rm, force);
	opcode(b, op);
	x86_byte(b, 0xc0 | ((reg & 7) << 3) | (rm & 7));
}

void x86_load(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
	      int32_t disp)
{
	op_mem(b, false, true, 0x8b, dst, base, disp, false);
}

void x86_store(struct x86_buf *b, enum x86_gpr src, enum x86_gpr base,
	       int32_t disp)
{
	op_mem(b, false, true, 0x89, src, base, disp, false);
}

void x86_load_ext(struct x86_buf *b, enum x86_ext ext, enum x86_gpr dst,
		  enum x86_gpr base, int32_t disp)
{
	static const struct {
		bool w;
		uint32_t op;
	} forms[] = {
		[X86_ZX8] = { false, 0x0fb6 },	[X86_SX8] = { true, 0x0fbe },
		[X86_ZX16] = { false, 0x0fb7 }, [X86_SX16] = { true, 0x0fbf },
		[X86_ZX32] = { false, 0x8b },	[X86_SX32] = { true, 0x63 },
		[X86_Q64] = { true, 0x8b },
	};

	op_mem(b, false, forms[ext].w, forms[ext].op, dst, base, disp, false);
}

void x86_store_n(struct x86_buf *b, unsigned size, enum x86_gpr src,
		 enum x86_gpr base, int32_t disp)
{
	switch (size) {
	case 1:
		op_mem(b, false, false, 0x88, src, base, disp, src >= 4);
		break;
	case 2:
		op_mem(b, true, false, 0x89, src, base, disp, false);
		break;
	case 4:
		op_mem(b, false, false, 0x89, src, base, disp, false);
		break;
	default:
		op_mem(b, false, true, 0x89, src, base, disp, false);
		break;
	}
}

void x86_store_imm(struct x86_buf *b, enum x86_gpr base, int32_t disp,
		   int32_t imm)
{
	op_mem(b, false, true, 0xc7, 0, base, disp, false);
	x86_u32(b, imm);
}

void x86_mov_imm(struct x86_buf *b, enum x86_gpr dst, uint64_t imm)
{
	if (imm == 0) {
		op_rr(b, false, 0x31, dst, dst, false); /* xor r32, r32 */
	} else if (imm <= 0xffffffffull) {
		rex(b, false, 0, dst, false);
		x86_byte(b, 0xb8 + (dst & 7));
		x86_u32(b, imm);
	} else if ((int64_t)imm == (int32_t)imm) {
		op_rr(b, true, 0xc7, 0, dst, false);
		x86_u32(b, imm);
	} else {
		rex(b, true, 0, dst, false);
		x86_byte(b, 0xb8 + (dst & 7));
		x86_u64(b, imm);
	}
}

void x86_mov_rr(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src)
{
	op_rr(b, true, 0x8b, dst, src, false);
}

void x86_mov_rr32(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src)
{
	op_rr(b, false, 0x8b, dst, src, false);
}

void x86_alu_rm(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		enum x86_gpr base, int32_t disp)
{
	op_mem(b, false, w64, op * 8 + 3, dst, base, disp, false);
}

void x86_alu_rr(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		enum x86_gpr src)
{
	op_rr(b, w64, op * 8 + 3, dst, src, false);
}

void x86_alu_imm(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		 int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		op_rr(b, w64, 0x83, op, dst, false);
		x86_byte(b, (uint8_t)imm);
	} else {
		op_rr(b, w64, 0x81, op, dst, false);
		x86_u32(b, imm);
	}
}

void x86_alu_mem_imm(struct x86_buf *b, enum x86_alu op, enum x86_gpr base,
		     int32_t disp, int32_t imm)
{
	if (imm >= -128 && imm <= 127) {
		op_mem(b, false, true, 0x83, op, base, disp, false);
		x86_byte(b, (uint8_t)imm);
	} else {
		op_mem(b, false, true, 0x81, op, base, disp, false);
		x86_u32(b, imm);
	}
}

void x86_shift_imm(struct x86_buf *b, enum x86_shift op, bool w64,
		   enum x86_gpr dst, uint8_t count)
{
	op_rr(b, w64, 0xc1, op, dst, false);
	x86_byte(b, count);
}

void x86_shift_cl(struct x86_buf *b, enum x86_shift op, bool w64,
		  enum x86_gpr dst)
{
	op_rr(b, w64, 0xd3, op, dst, false);
}

void x86_imul_rr(struct x86_buf *b, bool w64, enum x86_gpr dst,
		 enum x86_gpr src)
{
	op_rr(b, w64, 0x0faf, dst, src, false);
}

void x86_mul_wide(struct x86_buf *b, bool is_signed, enum x86_gpr src)
{
	op_rr(b, true, 0xf7, is_signed ? 5 : 4, src, false);
}

void x86_not(struct x86_buf *b, enum x86_gpr r)
{
	op_rr(b, true, 0xf7, 2, r, false);
}

void x86_neg(struct x86_buf *b, bool w64, enum x86_gpr r)
{
	op_rr(b, w64, 0xf7, 3, r, false);
}

void x86_sign_extend_ax(struct x86_buf *b, bool w64)
{
	if (w64) {
		x86_byte(b, 0x48);
	}
	x86_byte(b, 0x99);
}

void x86_div(struct x86_buf *b, bool is_signed, bool w64, enum x86_gpr src)
{
	op_rr(b, w64, 0xf7, is_signed ? 7 : 6, src, false);
}

void x86_movsxd(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src)
{
	op_rr(b, true, 0x63, dst, src, false);
}

void x86_extend_rr(struct x86_buf *b, enum x86_ext ext, enum x86_gpr dst,
		   enum x86_gpr src)
{
	switch (ext) {
	case X86_ZX8:
		op_rr(b, false, 0x0fb6, dst, src, src >= 4);
		break;
	case X86_SX8:
		op_rr(b, true, 0x0fbe, dst, src, false);
		break;
	case X86_ZX16:
		op_rr(b, false, 0x0fb7, dst, src, false);
		break;
	case X86_SX16:
		op_rr(b, true, 0x0fbf, dst, src, false);
		break;
	case X86_ZX32:
		x86_mov_rr32(b, dst, src);
		break;
	case X86_SX32:
		x86_movsxd(b, dst, src);
		break;
	default:
		if (dst != src) {
			x86_mov_rr(b, dst, src);
		}
		break;
	}
}

void x86_setcc(struct x86_buf *b, enum x86_cond cc, enum x86_gpr dst)
{
	op_rr(b, false, 0x0f90 + cc, 0, dst, dst >= 4);
}

void x86_cmov(struct x86_buf *b, enum x86_cond cc, enum x86_gpr dst,
	      enum x86_gpr src)
{
	op_rr(b, true, 0x0f40 + cc, dst, src, false);
}

/* op dst, [base + index * scale] with REX.W; rbp/r13 as base would need
 * a displacement: not used here. */
static void op_sib(struct x86_buf *b, uint8_t op, enum x86_gpr dst,
		   enum x86_gpr base, enum x86_gpr index, unsigned scale)
{
	static const uint8_t ss[9] = { [1] = 0, [2] = 1, [4] = 2, [8] = 3 };

	x86_byte(b,
		 0x48 | ((dst >> 3) << 2) | ((index >> 3) << 1) | (base >> 3));
	x86_byte(b, op);
	x86_byte(b, ((dst & 7) << 3) | 4);
	x86_byte(b, (ss[scale] << 6) | ((index & 7) << 3) | (base & 7));
}

void x86_lea_sib(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
		 enum x86_gpr index, unsigned scale)
{
	op_sib(b, 0x8d, dst, base, index, scale);
}

void x86_load_sib(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
		  enum x86_gpr index, unsigned scale)
{
	op_sib(b, 0x8b, dst, base, index, scale);
}

void x86_jmp_mem(struct x86_buf *b, enum x86_gpr base, int32_t disp)
{
	op_mem(b, false, false, 0xff, 4, base, disp, false);
}

void x86_bswap(struct x86_buf *b, enum x86_gpr r)
{
	rex(b, true, 0, r, false);
	x86_byte(b, 0x0f);
	x86_byte(b, 0xc8 + (r & 7));
}

void x86_bitop_rr(struct x86_buf *b, enum x86_bitop op, enum x86_gpr dst,
		  enum x86_gpr bit)
{
	static const uint32_t ops[] = { [X86_BT] = 0x0fa3,
					[X86_BTS] = 0x0fab,
					[X86_BTR] = 0x0fb3,
					[X86_BTC] = 0x0fbb };

	op_rr(b, true, ops[op], bit, dst, false);
}

void x86_bitop_imm(struct x86_buf *b, enum x86_bitop op, enum x86_gpr dst,
		   uint8_t bit)
{
	op_rr(b, true, 0x0fba, op, dst, false);
	x86_byte(b, bit);
}

void x86_test_rr(struct x86_buf *b, enum x86_gpr a, enum x86_gpr c)
{
	op_rr(b, true, 0x85, c, a, false);
}

void x86_push(struct x86_buf *b, enum x86_gpr r)
{
	rex(b, false, 0, r, false);
	x86_byte(b, 0x50 + (r & 7));
}

void x86_pop(struct x86_buf *b, enum x86_gpr r)
{
	rex(b, false, 0, r, false);
	x86_byte(b, 0x58 + (r & 7));
}

void x86_ret(struct x86_buf *b)
{
	x86_byte(b, 0xc3);
}

void x86_call_reg(struct x86_buf *b, enum x86_gpr r)
{
	op_rr(b, false, 0xff, 2, r, false);
}

void x86_jmp_reg(struct x86_buf *b, enum x86_gpr r)
{
	op_rr(b, false, 0xff, 4, r, false);
}

void x86_patch_rel32(uint8_t *field, const void *target)
{
	int32_t rel = (int32_t)((const uint8_t *)target - (field + 4));

	memcpy(field, &rel, 4);
}

uint8_t *x86_jmp(struct x86_buf *b, const void *target)
{
	uint8_t *field;

	x86_byte(b, 0xe9);
	field = b->p;
	x86_u32(b, 0);
	if (b->p <= b->end) {
		x86_patch_rel32(field, target ? target : b->p);
	}
	return field;
}

uint8_t *x86_jcc(struct x86_buf *b, enum x86_cond cc, const void *target)
{
	uint8_t *field;

	x86_byte(b, 0x0f);
	x86_byte(b, 0x80 + cc);
	field = b->p;
	x86_u32(b, 0);
	if (b->p <= b->end) {
		x86_patch_rel32(field, target ? target : b->p);
	}
	return field;
}
