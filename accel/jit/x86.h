/* SPDX-License-Identifier: MIT */
/* A small x86-64 instruction emitter: the encodings the translator uses. */
#ifndef MIMIC_ACCEL_JIT_X86_H
#define MIMIC_ACCEL_JIT_X86_H

#include <stdbool.h>
#include <stdint.h>

enum x86_gpr {
	X86_RAX,
	X86_RCX,
	X86_RDX,
	X86_RBX,
	X86_RSP,
	X86_RBP,
	X86_RSI,
	X86_RDI,
	X86_R8,
	X86_R9,
	X86_R10,
	X86_R11,
	X86_R12,
	X86_R13,
	X86_R14,
	X86_R15,
};

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum x86_cond {
	X86_CC_O = 0x0,
	X86_CC_B = 0x2,
	X86_CC_AE = 0x3,
	X86_CC_E = 0x4,
	X86_CC_NE = 0x5,
	X86_CC_BE = 0x6,
	X86_CC_A = 0x7,
	X86_CC_L = 0xc,
	X86_CC_GE = 0xd,
	X86_CC_LE = 0xe,
	X86_CC_G = 0xf,
};

/* Two-operand integer operations sharing the 0x01..0x3b opcode pattern;
 * the value is the /digit of the immediate form (0x81 /n). */
enum x86_alu {
	X86_ADD = 0,
	X86_OR = 1,
	X86_AND = 4,
	X86_SUB = 5,
	X86_XOR = 6,
	X86_CMP = 7,
};

/* Shifts and rotates: the /digit of 0xc1 and 0xd3. */
enum x86_shift {
	X86_ROL = 0,
	X86_ROR = 1,
	X86_SHL = 4,
	X86_SHR = 5,
	X86_SAR = 7,
};

/* Bit test family: the /digit of 0x0f 0xba (register form is derived). */
enum x86_bitop {
	X86_BT = 4,
	X86_BTS = 5,
	X86_BTR = 6,
	X86_BTC = 7,
};

/* Memory operand size and extension for loads. */
enum x86_ext {
	X86_ZX8,
	X86_SX8,
	X86_ZX16,
	X86_SX16,
	X86_ZX32,
	X86_SX32,
	X86_Q64,
};

struct x86_buf {
	uint8_t *start;
	uint8_t *p;
	uint8_t *end;
};

static inline unsigned x86_room(const struct x86_buf *b)
{
	return b->end - b->p;
}

void x86_byte(struct x86_buf *b, uint8_t v);
void x86_u32(struct x86_buf *b, uint32_t v);
void x86_u64(struct x86_buf *b, uint64_t v);

/* mov dst, [base + disp] (64-bit) and mov [base + disp], src. */
void x86_load(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
	      int32_t disp);
void x86_store(struct x86_buf *b, enum x86_gpr src, enum x86_gpr base,
	       int32_t disp);
/* Load `ext` from [base + index + disp] into dst, extended to 64 bits. */
void x86_load_ext(struct x86_buf *b, enum x86_ext ext, enum x86_gpr dst,
		  enum x86_gpr base, int32_t disp);
/* Store the low `size` bytes of src to [base + disp]. */
void x86_store_n(struct x86_buf *b, unsigned size, enum x86_gpr src,
		 enum x86_gpr base, int32_t disp);
/* mov qword [base + disp], simm32 */
void x86_store_imm(struct x86_buf *b, enum x86_gpr base, int32_t disp,
		   int32_t imm);
/* mov dst, imm (shortest form) */
void x86_mov_imm(struct x86_buf *b, enum x86_gpr dst, uint64_t imm);
void x86_mov_rr(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src);
/* 32-bit mov (zero-extends) */
void x86_mov_rr32(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src);

/* op dst, [base + disp]; w64 false for the 32-bit form. */
void x86_alu_rm(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		enum x86_gpr base, int32_t disp);
void x86_alu_rr(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		enum x86_gpr src);
void x86_alu_imm(struct x86_buf *b, enum x86_alu op, bool w64, enum x86_gpr dst,
		 int32_t imm);
/* op qword [base + disp], simm32 */
void x86_alu_mem_imm(struct x86_buf *b, enum x86_alu op, enum x86_gpr base,
		     int32_t disp, int32_t imm);
void x86_shift_imm(struct x86_buf *b, enum x86_shift op, bool w64,
		   enum x86_gpr dst, uint8_t count);
/* shift dst by cl */
void x86_shift_cl(struct x86_buf *b, enum x86_shift op, bool w64,
		  enum x86_gpr dst);
void x86_imul_rr(struct x86_buf *b, bool w64, enum x86_gpr dst,
		 enum x86_gpr src);
/* rdx:rax = rax * src (signed or unsigned) */
void x86_mul_wide(struct x86_buf *b, bool is_signed, enum x86_gpr src);
void x86_not(struct x86_buf *b, enum x86_gpr r);
/* neg r (64 or 32 bits) */
void x86_neg(struct x86_buf *b, bool w64, enum x86_gpr r);
/* Sign-extend rax into rdx (cqo) or eax into edx (cdq). */
void x86_sign_extend_ax(struct x86_buf *b, bool w64);
/* rdx:rax / src -> quotient rax, remainder rdx (64 or 32 bits) */
void x86_div(struct x86_buf *b, bool is_signed, bool w64, enum x86_gpr src);
void x86_movsxd(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr src);
/* Sign- or zero-extend the low byte/half of src into dst. */
void x86_extend_rr(struct x86_buf *b, enum x86_ext ext, enum x86_gpr dst,
		   enum x86_gpr src);
void x86_setcc(struct x86_buf *b, enum x86_cond cc, enum x86_gpr dst);
void x86_cmov(struct x86_buf *b, enum x86_cond cc, enum x86_gpr dst,
	      enum x86_gpr src);
void x86_lea_sib(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
		 enum x86_gpr index, unsigned scale);
/* mov dst, [base + index * scale] (base not rbp/r13) */
void x86_load_sib(struct x86_buf *b, enum x86_gpr dst, enum x86_gpr base,
		  enum x86_gpr index, unsigned scale);
/* jmp qword [base + disp] */
void x86_jmp_mem(struct x86_buf *b, enum x86_gpr base, int32_t disp);
void x86_bswap(struct x86_buf *b, enum x86_gpr r);
void x86_bitop_rr(struct x86_buf *b, enum x86_bitop op, enum x86_gpr dst,
		  enum x86_gpr bit);
void x86_bitop_imm(struct x86_buf *b, enum x86_bitop op, enum x86_gpr dst,
		   uint8_t bit);
void x86_test_rr(struct x86_buf *b, enum x86_gpr a, enum x86_gpr c);
void x86_push(struct x86_buf *b, enum x86_gpr r);
void x86_pop(struct x86_buf *b, enum x86_gpr r);
void x86_ret(struct x86_buf *b);
void x86_call_reg(struct x86_buf *b, enum x86_gpr r);
void x86_jmp_reg(struct x86_buf *b, enum x86_gpr r);
/* jmp/jcc rel32; returns the address of the rel32 field for patching. */
uint8_t *x86_jmp(struct x86_buf *b, const void *target);
uint8_t *x86_jcc(struct x86_buf *b, enum x86_cond cc, const void *target);
/* Point the rel32 field at `field` to `target`. */
void x86_patch_rel32(uint8_t *field, const void *target);

#endif
