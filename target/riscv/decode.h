/* SPDX-License-Identifier: MIT */
/* The one RISC-V decoder: raw instruction bits -> struct riscv_insn. */
#ifndef MIMIC_TARGET_RISCV_DECODE_H
#define MIMIC_TARGET_RISCV_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Every operation the decoder knows. The disassembler derives the mnemonic
 * from the name: lower case, '_' becomes '.' (FCVT_W_S -> "fcvt.w.s").
 */
/* clang-format off */
#define RISCV_OPS(X)                                                                                                                                                                                                                                                                                                                                                                                                                                     \
	X(ILLEGAL)                                                                                                                                                                                                                                                                                                                                                                                                                                       \
	X(LUI)                                                                                                                                                                                                                                                                                                                                                                                                                                           \
	X(AUIPC) X(JAL) X(JALR) X(BEQ) X(BNE) X(BLT) X(BGE) X(BLTU) X(BGEU) X(LB) X(                                                                                                                                                                                                                                                                                                                                                                     \
		LH) X(LW) X(LD) X(LBU) X(LHU) X(LWU) X(SB) X(SH) X(SW) X(SD) X(ADDI) X(SLTI)                                                                                                                                                                                                                                                                                                                                                             \
		X(SLTIU) X(XORI) X(ORI) X(ANDI) X(SLLI) X(SRLI) X(SRAI) X(ADD) X(SUB) X(                                                                                                                                                                                                                                                                                                                                                                 \
			SLL) X(SLT) X(SLTU) X(XOR) X(SRL) X(SRA) X(OR) X(AND) X(ADDIW)                                                                                                                                                                                                                                                                                                                                                                   \
			X(SLLIW) X(SRLIW) X(SRAIW) X(ADDW) X(SUBW) X(SLLW) X(SRLW) X(                                                                                                                                                                                                                                                                                                                                                                    \
				SRAW) X(FENCE) X(FENCE_I) X(ECALL) X(EBREAK) X(CSRRW) X(CSRRS)                                                                                                                                                                                                                                                                                                                                                           \
				X(CSRRC) X(CSRRWI) X(CSRRSI) X(CSRRCI) X(MRET) X(SRET) X(                                                                                                                                                                                                                                                                                                                                                                \
					WFI) X(SFENCE_VMA) X(MUL) X(MULH) X(MULHSU) X(MULHU)                                                                                                                                                                                                                                                                                                                                                             \
					X(DIV) X(DIVU) X(REM) X(REMU) X(MULW) X(DIVW) X(                                                                                                                                                                                                                                                                                                                                                                 \
						DIVUW) X(REMW) X(REMUW) X(LR_W) X(SC_W)                                                                                                                                                                                                                                                                                                                                                                  \
						X(AMOSWAP_W) X(AMOADD_W) X(AMOXOR_W) X(AMOAND_W) X(                                                                                                                                                                                                                                                                                                                                                      \
							AMOOR_W) X(AMOMIN_W) X(AMOMAX_W) X(AMOMINU_W)                                                                                                                                                                                                                                                                                                                                                    \
							X(AMOMAXU_W) X(LR_D) X(SC_D) X(                                                                                                                                                                                                                                                                                                                                                                  \
								AMOSWAP_D) X(AMOADD_D) X(AMOXOR_D)                                                                                                                                                                                                                                                                                                                                                       \
								X(AMOAND_D) X(AMOOR_D) X(                                                                                                                                                                                                                                                                                                                                                                \
									AMOMIN_D) X(AMOMAX_D)                                                                                                                                                                                                                                                                                                                                                            \
									X(AMOMINU_D) X(                                                                                                                                                                                                                                                                                                                                                                  \
										AMOMAXU_D)                                                                                                                                                                                                                                                                                                                                                               \
										X(SH1ADD) X(                                                                                                                                                                                                                                                                                                                                                             \
											SH2ADD)                                                                                                                                                                                                                                                                                                                                                          \
											X(SH3ADD)                                                                                                                                                                                                                                                                                                                                                        \
												X(ADD_UW)                                                                                                                                                                                                                                                                                                                                                \
													X(SH1ADD_UW)                                                                                                                                                                                                                                                                                                                                     \
														X(SH2ADD_UW)                                                                                                                                                                                                                                                                                                                             \
															X(                                                                                                                                                                                                                                                                                                                               \
																SH3ADD_UW) X(SLLI_UW) X(ANDN) X(ORN) X(XNOR) X(CLZ) X(CTZ) X(CPOP) X(CLZW) X(CTZW) X(CPOPW) X(MAX) X(MAXU) X(MIN) X(MINU) X(SEXT_B) X(SEXT_H) X(ZEXT_H) X(ROL) X(ROR) X(RORI) X(ROLW) X(RORW) X(RORIW) X(ORC_B) X(REV8) X(CLMUL) X(CLMULH) X(CLMULR) X(BCLR) X(BCLRI) X(BEXT) X(BEXTI) X(BINV) X(BINVI) X(BSET) X(BSETI) \
																X(CZERO_EQZ) X(CZERO_NEZ) X(CBO_CLEAN) X(CBO_FLUSH) X(CBO_INVAL) X(CBO_ZERO) X(PREFETCH_I) X(PREFETCH_R) X(PREFETCH_W) X(FLW) X(FSW) X(FLD) X(FSD) X(FMADD_S) X(FMSUB_S) X(FNMSUB_S) X(FNMADD_S) X(FADD_S) X(FSUB_S) X(FMUL_S) X(FDIV_S) X(FSQRT_S) X(                                                                   \
																	FSGNJ_S) X(FSGNJN_S)                                                                                                                                                                                                                                                                                             \
																	X(FSGNJX_S) X(                                                                                                                                                                                                                                                                                                   \
																		FMIN_S) X(FMAX_S)                                                                                                                                                                                                                                                                                        \
																		X(FCVT_W_S)                                                                                                                                                                                                                                                                                              \
																			X(FCVT_WU_S)                                                                                                                                                                                                                                                                                     \
																				X(                                                                                                                                                                                                                                                                                       \
																					FCVT_L_S) X(FCVT_LU_S) X(FMV_X_W) X(FEQ_S) X(FLT_S)                                                                                                                                                                                                                              \
																					X(FLE_S)                                                                                                                                                                                                                                                                         \
																						X(FCLASS_S) X(FCVT_S_W) X(FCVT_S_WU) X(FCVT_S_L) X(FCVT_S_LU) X(FMV_W_X) X(                                                                                                                                                                                              \
																							FMADD_D)                                                                                                                                                                                                                                                         \
																							X(FMSUB_D)                                                                                                                                                                                                                                                       \
																								X(FNMSUB_D)                                                                                                                                                                                                                                              \
																									X(FNMADD_D) X(FADD_D) X(FSUB_D) X(FMUL_D) X(FDIV_D)                                                                                                                                                                                              \
																										X(FSQRT_D) X(FSGNJ_D) X(FSGNJN_D) X(FSGNJX_D) X(FMIN_D) X(FMAX_D) X(                                                                                                                                                                     \
																											FCVT_S_D)                                                                                                                                                                                                                        \
																											X(FCVT_D_S)                                                                                                                                                                                                                      \
																												X(FEQ_D)                                                                                                                                                                                                                 \
																													X(FLT_D)                                                                                                                                                                                                         \
																														X(                                                                                                                                                                                                       \
																															FLE_D) X(FCLASS_D) X(FCVT_W_D) X(FCVT_WU_D) X(FCVT_L_D) X(FCVT_LU_D) X(FMV_X_D) X(FCVT_D_W)                                                                                                      \
																															X(FCVT_D_WU) X(                                                                                                                                                                                  \
																																FCVT_D_L)                                                                                                                                                                                \
																																X(FCVT_D_LU)                                                                                                                                                                             \
																																	X(FMV_D_X)

/* clang-format on */

#define RISCV_OP_ENUM(name) RISCV_OP_##name,
enum riscv_op { RISCV_OPS(RISCV_OP_ENUM) RISCV_OP_COUNT };
#undef RISCV_OP_ENUM

/*
 * The compressed form an instruction came from (for the disassembler; the
 * interpreter only looks at op). Spelled like the enum above: C_ADDI4SPN
 * -> "c.addi4spn".
 */
/* clang-format off */
#define RISCV_COPS(X)                                                         \
	X(NONE)                                                               \
	X(C_ADDI4SPN) X(C_FLD) X(C_LW) X(C_LD) X(C_FSD) X(C_SW) X(C_SD) X(    \
		C_NOP) X(C_ADDI) X(C_ADDIW) X(C_LI) X(C_ADDI16SP) X(C_LUI)    \
		X(C_SRLI) X(C_SRAI) X(C_ANDI) X(C_SUB) X(C_XOR) X(C_OR)       \
			X(C_AND) X(C_SUBW) X(C_ADDW) X(C_J) X(C_BEQZ)         \
				X(C_BNEZ) X(C_SLLI) X(C_FLDSP) X(C_LWSP)      \
					X(C_LDSP) X(C_JR) X(C_MV) X(C_EBREAK) \
						X(C_JALR) X(C_ADD) X(C_FSDSP) \
							X(C_SWSP) X(C_SDSP)

/* clang-format on */

#define RISCV_COP_ENUM(name) RISCV_COP_##name,
enum riscv_cop { RISCV_COPS(RISCV_COP_ENUM) RISCV_COP_COUNT };
#undef RISCV_COP_ENUM

/* One decoded instruction. Compressed instructions expand to their base
 * form; `len` says how far pc moves. */
struct riscv_insn {
	uint16_t op; /* enum riscv_op */
	uint8_t cop; /* enum riscv_cop, RISCV_COP_NONE for 32-bit words */
	uint8_t len; /* 2 or 4 */
	uint8_t rd, rs1, rs2, rs3;
	uint8_t rm; /* FP rounding mode; aq<<1|rl for atomics */
	uint16_t csr; /* CSR number; fence: pred<<4|succ in imm */
	int64_t imm;
	uint32_t raw;
};

/* Length in bytes of the instruction whose low 16 bits are `low`. */
static inline unsigned riscv_insn_length(uint32_t low)
{
	return (low & 3) == 3 ? 4 : 2;
}

/* Decode one instruction (the upper half is ignored for 16-bit ones).
 * Unknown or reserved encodings give RISCV_OP_ILLEGAL. */
void riscv_decode(uint32_t raw, struct riscv_insn *insn);

/* "addi", "fcvt.w.s", ... */
const char *riscv_op_name(enum riscv_op op);

/* Disassemble into buf in objdump's no-aliases spelling; `pc` resolves
 * branch targets. Returns the length written. */
/* ABI names of the integer and FP registers (x8 is "s0"). */
extern const char *const riscv_xreg_names[32];
extern const char *const riscv_freg_names[32];
int riscv_disas(const struct riscv_insn *insn, uint64_t pc, char *buf,
		unsigned size);

#endif
