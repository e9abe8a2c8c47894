/* SPDX-License-Identifier: MIT */
/* The RISC-V decoder shared by the interpreter, the translator and disas. */
#include <string.h>

#include "target/riscv/decode.h"

static inline uint32_t bits(uint32_t raw, unsigned hi, unsigned lo)
{
	return (raw >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static inline int64_t sext(uint64_t value, unsigned width)
{
	return (int64_t)(value << (64 - width)) >> (64 - width);
}

static int64_t imm_i(uint32_t raw)
{
	return (int64_t)(int32_t)raw >> 20;
}

static int64_t imm_s(uint32_t raw)
{
	return sext((bits(raw, 31, 25) << 5) | bits(raw, 11, 7), 12);
}

static int64_t imm_b(uint32_t raw)
{
	uint32_t v = (bits(raw, 31, 31) << 12) | (bits(raw, 7, 7) << 11) |
		     (bits(raw, 30, 25) << 5) | (bits(raw, 11, 8) << 1);

	return sext(v, 13);
}

static int64_t imm_j(uint32_t raw)
{
	uint32_t v = (bits(raw, 31, 31) << 20) | (bits(raw, 19, 12) << 12) |
		     (bits(raw, 20, 20) << 11) | (bits(raw, 30, 21) << 1);

	return sext(v, 21);
}

static void decode_load(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t ops[8] = {
		RISCV_OP_LB,  RISCV_OP_LH,  RISCV_OP_LW,  RISCV_OP_LD,
		RISCV_OP_LBU, RISCV_OP_LHU, RISCV_OP_LWU, RISCV_OP_ILLEGAL,
	};

	in->op = ops[bits(raw, 14, 12)];
	in->imm = imm_i(raw);
}

static void decode_store(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t ops[8] = {
		RISCV_OP_SB,	  RISCV_OP_SH,	    RISCV_OP_SW,
		RISCV_OP_SD,	  RISCV_OP_ILLEGAL, RISCV_OP_ILLEGAL,
		RISCV_OP_ILLEGAL, RISCV_OP_ILLEGAL,
	};

	in->op = ops[bits(raw, 14, 12)];
	in->imm = imm_s(raw);
}

static void decode_fp_mem(uint32_t raw, struct riscv_insn *in, bool store)
{
	unsigned width = bits(raw, 14, 12);

	if (width == 2) {
		in->op = store ? RISCV_OP_FSW : RISCV_OP_FLW;
	} else if (width == 3) {
		in->op = store ? RISCV_OP_FSD : RISCV_OP_FLD;
	}
	in->imm = store ? imm_s(raw) : imm_i(raw);
}

static void decode_misc_mem(uint32_t raw, struct riscv_insn *in)
{
	switch (bits(raw, 14, 12)) {
	case 0:
		in->op = RISCV_OP_FENCE;
		in->imm = bits(raw, 31, 20);
		break;
	case 1:
		in->op = RISCV_OP_FENCE_I;
		in->imm = imm_i(raw);
		break;
	case 2:
		if (in->rd != 0) {
			break;
		}
		switch (bits(raw, 31, 20)) {
		case 0:
			in->op = RISCV_OP_CBO_INVAL;
			break;
		case 1:
			in->op = RISCV_OP_CBO_CLEAN;
			break;
		case 2:
			in->op = RISCV_OP_CBO_FLUSH;
			break;
		case 4:
			in->op = RISCV_OP_CBO_ZERO;
			break;
		}
		break;
	}
}

static void decode_op_imm_shift(uint32_t raw, struct riscv_insn *in)
{
	unsigned f3 = bits(raw, 14, 12), f6 = bits(raw, 31, 26);
	unsigned imm12 = bits(raw, 31, 20);

	in->imm = bits(raw, 25, 20);
	if (f3 == 1) {
		if (f6 == 0) {
			in->op = RISCV_OP_SLLI;
		} else if (f6 == 0x12) {
			in->op = RISCV_OP_BCLRI;
		} else if (f6 == 0x1a) {
			in->op = RISCV_OP_BINVI;
		} else if (f6 == 0x0a) {
			in->op = RISCV_OP_BSETI;
		} else if (imm12 == 0x600) {
			in->op = RISCV_OP_CLZ;
		} else if (imm12 == 0x601) {
			in->op = RISCV_OP_CTZ;
		} else if (imm12 == 0x602) {
			in->op = RISCV_OP_CPOP;
		} else if (imm12 == 0x604) {
			in->op = RISCV_OP_SEXT_B;
		} else if (imm12 == 0x605) {
			in->op = RISCV_OP_SEXT_H;
		}
		return;
	}
	if (f6 == 0) {
		in->op = RISCV_OP_SRLI;
	} else if (f6 == 0x10) {
		in->op = RISCV_OP_SRAI;
	} else if (f6 == 0x18) {
		in->op = RISCV_OP_RORI;
	} else if (f6 == 0x12) {
		in->op = RISCV_OP_BEXTI;
	} else if (imm12 == 0x287) {
		in->op = RISCV_OP_ORC_B;
	} else if (imm12 == 0x6b8) {
		in->op = RISCV_OP_REV8;
	}
}

static void decode_op_imm(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t ops[8] = {
		RISCV_OP_ADDI, RISCV_OP_ILLEGAL, RISCV_OP_SLTI, RISCV_OP_SLTIU,
		RISCV_OP_XORI, RISCV_OP_ILLEGAL, RISCV_OP_ORI,	RISCV_OP_ANDI,
	};
	unsigned f3 = bits(raw, 14, 12);

	if (f3 == 1 || f3 == 5) {
		decode_op_imm_shift(raw, in);
		return;
	}
	in->op = ops[f3];
	in->imm = imm_i(raw);
	if (f3 == 6 && in->rd == 0) {
		/* Zicbop hints live in ori x0: offset[11:5], kind in rs2. */
		switch (bits(raw, 24, 20)) {
		case 0:
			in->op = RISCV_OP_PREFETCH_I;
			break;
		case 1:
			in->op = RISCV_OP_PREFETCH_R;
			break;
		case 3:
			in->op = RISCV_OP_PREFETCH_W;
			break;
		}
		if (in->op != RISCV_OP_ORI) {
			in->imm &= ~0x1fll;
		}
	}
}

static void decode_op_imm_32(uint32_t raw, struct riscv_insn *in)
{
	unsigned f3 = bits(raw, 14, 12), f7 = bits(raw, 31, 25);
	unsigned imm12 = bits(raw, 31, 20);

	if (f3 == 0) {
		in->op = RISCV_OP_ADDIW;
		in->imm = imm_i(raw);
		return;
	}
	in->imm = bits(raw, 24, 20);
	if (f3 == 1) {
		if (f7 == 0) {
			in->op = RISCV_OP_SLLIW;
		} else if (bits(raw, 31, 26) == 0x02) {
			in->op = RISCV_OP_SLLI_UW;
			in->imm = bits(raw, 25, 20);
		} else if (imm12 == 0x600) {
			in->op = RISCV_OP_CLZW;
		} else if (imm12 == 0x601) {
			in->op = RISCV_OP_CTZW;
		} else if (imm12 == 0x602) {
			in->op = RISCV_OP_CPOPW;
		}
	} else if (f3 == 5) {
		if (f7 == 0) {
			in->op = RISCV_OP_SRLIW;
		} else if (f7 == 0x20) {
			in->op = RISCV_OP_SRAIW;
		} else if (f7 == 0x30) {
			in->op = RISCV_OP_RORIW;
		}
	}
}

/* OP (0x33): funct7 selects a row, funct3 a column. */
static void decode_op(uint32_t raw, struct riscv_insn *in)
{
#define I RISCV_OP_ILLEGAL
#define R(name) RISCV_OP_##name
	static const struct {
		uint8_t f7;
		uint16_t ops[8];
	} rows[] = {
		{ 0x00,
		  { R(ADD), R(SLL), R(SLT), R(SLTU), R(XOR), R(SRL), R(OR),
		    R(AND) } },
		{ 0x20, { R(SUB), I, I, I, R(XNOR), R(SRA), R(ORN), R(ANDN) } },
		{ 0x01,
		  { R(MUL), R(MULH), R(MULHSU), R(MULHU), R(DIV), R(DIVU),
		    R(REM), R(REMU) } },
		{ 0x10, { I, I, R(SH1ADD), I, R(SH2ADD), I, R(SH3ADD), I } },
		{ 0x05,
		  { I, R(CLMUL), R(CLMULR), R(CLMULH), R(MIN), R(MINU), R(MAX),
		    R(MAXU) } },
		{ 0x30, { I, R(ROL), I, I, I, R(ROR), I, I } },
		{ 0x24, { I, R(BCLR), I, I, I, R(BEXT), I, I } },
		{ 0x34, { I, R(BINV), I, I, I, I, I, I } },
		{ 0x14, { I, R(BSET), I, I, I, I, I, I } },
		{ 0x07, { I, I, I, I, I, R(CZERO_EQZ), I, R(CZERO_NEZ) } },
	};
	unsigned f7 = bits(raw, 31, 25), f3 = bits(raw, 14, 12);

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].f7 == f7) {
			in->op = rows[i].ops[f3];
			return;
		}
	}
}

static void decode_op_32(uint32_t raw, struct riscv_insn *in)
{
	static const struct {
		uint8_t f7;
		uint16_t ops[8];
	} rows[] = {
		{ 0x00, { R(ADDW), R(SLLW), I, I, I, R(SRLW), I, I } },
		{ 0x20, { R(SUBW), I, I, I, I, R(SRAW), I, I } },
		{ 0x01,
		  { R(MULW), I, I, I, R(DIVW), R(DIVUW), R(REMW), R(REMUW) } },
		{ 0x04, { R(ADD_UW), I, I, I, I, I, I, I } },
		{ 0x10,
		  { I, I, R(SH1ADD_UW), I, R(SH2ADD_UW), I, R(SH3ADD_UW), I } },
		{ 0x30, { I, R(ROLW), I, I, I, R(RORW), I, I } },
	};
	unsigned f7 = bits(raw, 31, 25), f3 = bits(raw, 14, 12);

	if (f7 == 0x04 && f3 == 4 && in->rs2 == 0) {
		in->op = RISCV_OP_ZEXT_H;
		return;
	}
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].f7 == f7) {
			in->op = rows[i].ops[f3];
			return;
		}
	}
}

static void decode_amo(uint32_t raw, struct riscv_insn *in)
{
	static const struct {
		uint8_t f5;
		uint16_t w, d;
	} amos[] = {
		{ 0x02, R(LR_W), R(LR_D) },
		{ 0x03, R(SC_W), R(SC_D) },
		{ 0x01, R(AMOSWAP_W), R(AMOSWAP_D) },
		{ 0x00, R(AMOADD_W), R(AMOADD_D) },
		{ 0x04, R(AMOXOR_W), R(AMOXOR_D) },
		{ 0x0c, R(AMOAND_W), R(AMOAND_D) },
		{ 0x08, R(AMOOR_W), R(AMOOR_D) },
		{ 0x10, R(AMOMIN_W), R(AMOMIN_D) },
		{ 0x14, R(AMOMAX_W), R(AMOMAX_D) },
		{ 0x18, R(AMOMINU_W), R(AMOMINU_D) },
		{ 0x1c, R(AMOMAXU_W), R(AMOMAXU_D) },
	};
	unsigned f5 = bits(raw, 31, 27), f3 = bits(raw, 14, 12);

	in->rm = bits(raw, 26, 25);
	if (f3 != 2 && f3 != 3) {
		return;
	}
	if (f5 == 0x02 && in->rs2 != 0) {
		return;
	}
	for (unsigned i = 0; i < sizeof(amos) / sizeof(amos[0]); i++) {
		if (amos[i].f5 == f5) {
			in->op = f3 == 2 ? amos[i].w : amos[i].d;
			return;
		}
	}
}

static void decode_fma(uint32_t raw, struct riscv_insn *in, unsigned major)
{
	static const uint16_t ops[4][2] = {
		{ R(FMADD_S), R(FMADD_D) },
		{ R(FMSUB_S), R(FMSUB_D) },
		{ R(FNMSUB_S), R(FNMSUB_D) },
		{ R(FNMADD_S), R(FNMADD_D) },
	};
	unsigned fmt = bits(raw, 26, 25);

	in->rs3 = bits(raw, 31, 27);
	if (fmt < 2) {
		in->op = ops[(major - 0x43) >> 2][fmt];
	}
}

/* Ops chosen by funct3 (sign injection, min/max, compares). */
static uint16_t decode_fp_f3(unsigned f7, unsigned f3)
{
	static const struct {
		uint8_t f7;
		uint16_t ops[3];
	} rows[] = {
		{ 0x10, { R(FSGNJ_S), R(FSGNJN_S), R(FSGNJX_S) } },
		{ 0x11, { R(FSGNJ_D), R(FSGNJN_D), R(FSGNJX_D) } },
		{ 0x14, { R(FMIN_S), R(FMAX_S), I } },
		{ 0x15, { R(FMIN_D), R(FMAX_D), I } },
		{ 0x50, { R(FLE_S), R(FLT_S), R(FEQ_S) } },
		{ 0x51, { R(FLE_D), R(FLT_D), R(FEQ_D) } },
	};

	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].f7 == f7) {
			return f3 < 3 ? rows[i].ops[f3] : I;
		}
	}
	return I;
}

/* Ops chosen by rs2 (conversions) or with rs2 fixed. */
static uint16_t decode_fp_rs2(unsigned f7, unsigned rs2, unsigned f3)
{
	static const struct {
		uint8_t f7;
		uint16_t ops[4];
	} rows[] = {
		{ 0x2c, { R(FSQRT_S), I, I, I } },
		{ 0x2d, { R(FSQRT_D), I, I, I } },
		{ 0x20, { I, R(FCVT_S_D), I, I } },
		{ 0x21, { R(FCVT_D_S), I, I, I } },
		{ 0x60,
		  { R(FCVT_W_S), R(FCVT_WU_S), R(FCVT_L_S), R(FCVT_LU_S) } },
		{ 0x61,
		  { R(FCVT_W_D), R(FCVT_WU_D), R(FCVT_L_D), R(FCVT_LU_D) } },
		{ 0x68,
		  { R(FCVT_S_W), R(FCVT_S_WU), R(FCVT_S_L), R(FCVT_S_LU) } },
		{ 0x69,
		  { R(FCVT_D_W), R(FCVT_D_WU), R(FCVT_D_L), R(FCVT_D_LU) } },
	};

	if (rs2 == 0 && f3 <= 1 && f7 >= 0x70) {
		static const uint16_t moves[4][2] = {
			{ R(FMV_X_W), R(FCLASS_S) },
			{ R(FMV_X_D), R(FCLASS_D) },
			{ R(FMV_W_X), I },
			{ R(FMV_D_X), I },
		};

		switch (f7) {
		case 0x70:
			return moves[0][f3];
		case 0x71:
			return moves[1][f3];
		case 0x78:
			return moves[2][f3];
		case 0x79:
			return moves[3][f3];
		}
		return I;
	}
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].f7 == f7) {
			return rs2 < 4 ? rows[i].ops[rs2] : I;
		}
	}
	return I;
}

static void decode_op_fp(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t arith[4][2] = {
		{ R(FADD_S), R(FADD_D) },
		{ R(FSUB_S), R(FSUB_D) },
		{ R(FMUL_S), R(FMUL_D) },
		{ R(FDIV_S), R(FDIV_D) },
	};
	unsigned f7 = bits(raw, 31, 25), f3 = bits(raw, 14, 12);

	if (f7 < 0x10) {
		if ((f7 & 2) == 0) {
			in->op = arith[f7 >> 2][f7 & 1];
		}
		return;
	}
	in->op = decode_fp_f3(f7, f3);
	if (in->op == I) {
		in->op = decode_fp_rs2(f7, in->rs2, f3);
	}
}

static void decode_system(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t csr_ops[8] = {
		I, R(CSRRW),  R(CSRRS),	 R(CSRRC),
		I, R(CSRRWI), R(CSRRSI), R(CSRRCI),
	};
	unsigned f3 = bits(raw, 14, 12);

	if (f3 != 0) {
		in->op = csr_ops[f3];
		in->csr = bits(raw, 31, 20);
		in->imm = in->rs1;
		return;
	}
	switch (raw) {
	case 0x00000073:
		in->op = RISCV_OP_ECALL;
		return;
	case 0x00100073:
		in->op = RISCV_OP_EBREAK;
		return;
	case 0x30200073:
		in->op = RISCV_OP_MRET;
		return;
	case 0x10200073:
		in->op = RISCV_OP_SRET;
		return;
	case 0x10500073:
		in->op = RISCV_OP_WFI;
		return;
	}
	if (bits(raw, 31, 25) == 0x09 && in->rd == 0) {
		in->op = RISCV_OP_SFENCE_VMA;
	}
}

static void decode_32(uint32_t raw, struct riscv_insn *in)
{
	unsigned major = bits(raw, 6, 0);

	in->rd = bits(raw, 11, 7);
	in->rs1 = bits(raw, 19, 15);
	in->rs2 = bits(raw, 24, 20);
	in->rm = bits(raw, 14, 12);
	switch (major) {
	case 0x03:
		decode_load(raw, in);
		break;
	case 0x07:
		decode_fp_mem(raw, in, false);
		break;
	case 0x0f:
		decode_misc_mem(raw, in);
		break;
	case 0x13:
		decode_op_imm(raw, in);
		break;
	case 0x17:
		in->op = RISCV_OP_AUIPC;
		in->imm = (int32_t)(raw & 0xfffff000);
		break;
	case 0x1b:
		decode_op_imm_32(raw, in);
		break;
	case 0x23:
		decode_store(raw, in);
		break;
	case 0x27:
		decode_fp_mem(raw, in, true);
		break;
	case 0x2f:
		decode_amo(raw, in);
		break;
	case 0x33:
		decode_op(raw, in);
		break;
	case 0x37:
		in->op = RISCV_OP_LUI;
		in->imm = (int32_t)(raw & 0xfffff000);
		break;
	case 0x3b:
		decode_op_32(raw, in);
		break;
	case 0x43:
	case 0x47:
	case 0x4b:
	case 0x4f:
		decode_fma(raw, in, major);
		break;
	case 0x53:
		decode_op_fp(raw, in);
		break;
	case 0x63: {
		static const uint16_t ops[8] = {
			R(BEQ), R(BNE), I, I, R(BLT), R(BGE), R(BLTU), R(BGEU),
		};
		in->op = ops[in->rm];
		in->imm = imm_b(raw);
		break;
	}
	case 0x67:
		if (in->rm == 0) {
			in->op = RISCV_OP_JALR;
			in->imm = imm_i(raw);
		}
		break;
	case 0x6f:
		in->op = RISCV_OP_JAL;
		in->imm = imm_j(raw);
		break;
	case 0x73:
		decode_system(raw, in);
		break;
	}
}

/* ---- compressed ---------------------------------------------------- */

static void cset(struct riscv_insn *in, unsigned cop, unsigned op, unsigned rd,
		 unsigned rs1, unsigned rs2, int64_t imm)
{
	in->cop = cop;
	in->op = op;
	in->rd = rd;
	in->rs1 = rs1;
	in->rs2 = rs2;
	in->imm = imm;
}

#define C(name) RISCV_COP_##name

static void decode_c0(uint32_t raw, struct riscv_insn *in)
{
	unsigned rdp = bits(raw, 4, 2) + 8, rs1p = bits(raw, 9, 7) + 8;
	unsigned uimm_d = (bits(raw, 12, 10) << 3) | (bits(raw, 6, 5) << 6);
	unsigned uimm_w = (bits(raw, 12, 10) << 3) | (bits(raw, 6, 6) << 2) |
			  (bits(raw, 5, 5) << 6);
	unsigned nz;

	switch (bits(raw, 15, 13)) {
	case 0:
		nz = (bits(raw, 12, 11) << 4) | (bits(raw, 10, 7) << 6) |
		     (bits(raw, 6, 6) << 2) | (bits(raw, 5, 5) << 3);
		if (nz != 0) {
			cset(in, C(C_ADDI4SPN), R(ADDI), rdp, 2, 0, nz);
		}
		break;
	case 1:
		cset(in, C(C_FLD), R(FLD), rdp, rs1p, 0, uimm_d);
		break;
	case 2:
		cset(in, C(C_LW), R(LW), rdp, rs1p, 0, uimm_w);
		break;
	case 3:
		cset(in, C(C_LD), R(LD), rdp, rs1p, 0, uimm_d);
		break;
	case 5:
		cset(in, C(C_FSD), R(FSD), 0, rs1p, rdp, uimm_d);
		break;
	case 6:
		cset(in, C(C_SW), R(SW), 0, rs1p, rdp, uimm_w);
		break;
	case 7:
		cset(in, C(C_SD), R(SD), 0, rs1p, rdp, uimm_d);
		break;
	}
}

static void decode_c1_alu(uint32_t raw, struct riscv_insn *in)
{
	static const uint16_t ops[8] = {
		R(SUB), R(XOR), R(OR), R(AND), R(SUBW), R(ADDW), I, I,
	};
	static const uint8_t cops[8] = {
		C(C_SUB), C(C_XOR), C(C_OR), C(C_AND), C(C_SUBW), C(C_ADDW),
	};
	unsigned rd = bits(raw, 9, 7) + 8, rs2 = bits(raw, 4, 2) + 8;
	unsigned shamt = (bits(raw, 12, 12) << 5) | bits(raw, 6, 2);
	unsigned sel;

	switch (bits(raw, 11, 10)) {
	case 0:
		cset(in, C(C_SRLI), R(SRLI), rd, rd, 0, shamt);
		break;
	case 1:
		cset(in, C(C_SRAI), R(SRAI), rd, rd, 0, shamt);
		break;
	case 2:
		cset(in, C(C_ANDI), R(ANDI), rd, rd, 0, sext(shamt, 6));
		break;
	case 3:
		sel = (bits(raw, 12, 12) << 2) | bits(raw, 6, 5);
		if (ops[sel] != I) {
			cset(in, cops[sel], ops[sel], rd, rd, rs2, 0);
		}
		break;
	}
}

static void decode_c1(uint32_t raw, struct riscv_insn *in)
{
	unsigned rd = bits(raw, 11, 7), rs1p = bits(raw, 9, 7) + 8;
	int64_t imm6 = sext((bits(raw, 12, 12) << 5) | bits(raw, 6, 2), 6);
	uint32_t v;

	switch (bits(raw, 15, 13)) {
	case 0:
		cset(in, rd ? C(C_ADDI) : C(C_NOP), R(ADDI), rd, rd, 0, imm6);
		break;
	case 1:
		if (rd != 0) {
			cset(in, C(C_ADDIW), R(ADDIW), rd, rd, 0, imm6);
		}
		break;
	case 2:
		cset(in, C(C_LI), R(ADDI), rd, 0, 0, imm6);
		break;
	case 3:
		if (rd == 2) {
			v = (bits(raw, 12, 12) << 9) | (bits(raw, 6, 6) << 4) |
			    (bits(raw, 5, 5) << 6) | (bits(raw, 4, 3) << 7) |
			    (bits(raw, 2, 2) << 5);
			if (v != 0) {
				cset(in, C(C_ADDI16SP), R(ADDI), 2, 2, 0,
				     sext(v, 10));
			}
		} else if (imm6 != 0) {
			cset(in, C(C_LUI), R(LUI), rd, 0, 0,
			     (int64_t)((uint64_t)imm6 << 12));
		}
		break;
	case 4:
		decode_c1_alu(raw, in);
		break;
	case 5:
		v = (bits(raw, 12, 12) << 11) | (bits(raw, 11, 11) << 4) |
		    (bits(raw, 10, 9) << 8) | (bits(raw, 8, 8) << 10) |
		    (bits(raw, 7, 7) << 6) | (bits(raw, 6, 6) << 7) |
		    (bits(raw, 5, 3) << 1) | (bits(raw, 2, 2) << 5);
		cset(in, C(C_J), R(JAL), 0, 0, 0, sext(v, 12));
		break;
	case 6:
	case 7:
		v = (bits(raw, 12, 12) << 8) | (bits(raw, 11, 10) << 3) |
		    (bits(raw, 6, 5) << 6) | (bits(raw, 4, 3) << 1) |
		    (bits(raw, 2, 2) << 5);
		if (bits(raw, 13, 13)) {
			cset(in, C(C_BNEZ), R(BNE), 0, rs1p, 0, sext(v, 9));
		} else {
			cset(in, C(C_BEQZ), R(BEQ), 0, rs1p, 0, sext(v, 9));
		}
		break;
	}
}

static void decode_c2_jump(uint32_t raw, struct riscv_insn *in)
{
	unsigned rd = bits(raw, 11, 7), rs2 = bits(raw, 6, 2);

	if (bits(raw, 12, 12) == 0) {
		if (rs2 == 0 && rd != 0) {
			cset(in, C(C_JR), R(JALR), 0, rd, 0, 0);
		} else if (rs2 != 0) {
			cset(in, C(C_MV), R(ADD), rd, 0, rs2, 0);
		}
		return;
	}
	if (rd == 0 && rs2 == 0) {
		cset(in, C(C_EBREAK), R(EBREAK), 0, 0, 0, 0);
	} else if (rs2 == 0) {
		cset(in, C(C_JALR), R(JALR), 1, rd, 0, 0);
	} else {
		cset(in, C(C_ADD), R(ADD), rd, rd, rs2, 0);
	}
}

static void decode_c2(uint32_t raw, struct riscv_insn *in)
{
	unsigned rd = bits(raw, 11, 7), rs2 = bits(raw, 6, 2);
	unsigned ld = (bits(raw, 12, 12) << 5) | (bits(raw, 6, 5) << 3) |
		      (bits(raw, 4, 2) << 6);
	unsigned lw = (bits(raw, 12, 12) << 5) | (bits(raw, 6, 4) << 2) |
		      (bits(raw, 3, 2) << 6);
	unsigned sd = (bits(raw, 12, 10) << 3) | (bits(raw, 9, 7) << 6);
	unsigned sw = (bits(raw, 12, 9) << 2) | (bits(raw, 8, 7) << 6);

	switch (bits(raw, 15, 13)) {
	case 0:
		cset(in, C(C_SLLI), R(SLLI), rd, rd, 0,
		     (bits(raw, 12, 12) << 5) | rs2);
		break;
	case 1:
		cset(in, C(C_FLDSP), R(FLD), rd, 2, 0, ld);
		break;
	case 2:
		if (rd != 0) {
			cset(in, C(C_LWSP), R(LW), rd, 2, 0, lw);
		}
		break;
	case 3:
		if (rd != 0) {
			cset(in, C(C_LDSP), R(LD), rd, 2, 0, ld);
		}
		break;
	case 4:
		decode_c2_jump(raw, in);
		break;
	case 5:
		cset(in, C(C_FSDSP), R(FSD), 0, 2, rs2, sd);
		break;
	case 6:
		cset(in, C(C_SWSP), R(SW), 0, 2, rs2, sw);
		break;
	case 7:
		cset(in, C(C_SDSP), R(SD), 0, 2, rs2, sd);
		break;
	}
}

#undef I
#undef R
#undef C

void riscv_decode(uint32_t raw, struct riscv_insn *insn)
{
	memset(insn, 0, sizeof(*insn));
	insn->op = RISCV_OP_ILLEGAL;
	if ((raw & 3) == 3) {
		insn->len = 4;
		insn->raw = raw;
		decode_32(raw, insn);
		return;
	}
	insn->len = 2;
	insn->raw = raw & 0xffff;
	switch (raw & 3) {
	case 0:
		decode_c0(raw & 0xffff, insn);
		break;
	case 1:
		decode_c1(raw & 0xffff, insn);
		break;
	case 2:
		decode_c2(raw & 0xffff, insn);
		break;
	}
	if (insn->op == RISCV_OP_ILLEGAL) {
		insn->cop = RISCV_COP_NONE;
	}
	insn->rm = 7;
}
