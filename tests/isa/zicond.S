/* SPDX-License-Identifier: MIT */
/* Zicond: czero.eqz and czero.nez (spelled with .insn: binutils 2.40
 * predates Zicond). */
#include "test.S.inc"

#define CZERO_EQZ(rd, rs1, rs2) .insn r 0x33, 5, 7, rd, rs1, rs2
#define CZERO_NEZ(rd, rs1, rs2) .insn r 0x33, 7, 7, rd, rs1, rs2

	TEST_START

	TEST(1)
	li a0, 42
	li a1, 0
	li a2, 0x100000000
	CZERO_EQZ(a3, a0, a1)
	CHECK a3, 0
	CZERO_EQZ(a3, a0, a2)
	CHECK a3, 42
	CZERO_NEZ(a3, a0, a1)
	CHECK a3, 42
	CZERO_NEZ(a3, a0, a2)
	CHECK a3, 0
	TEST(2)
	/* rd == rs1 and x0 operands */
	li a0, 7
	CZERO_EQZ(a0, a0, a0)
	CHECK a0, 7
	CZERO_NEZ(a0, a0, zero)
	CHECK a0, 7
	CZERO_EQZ(a0, a0, zero)
	CHECK a0, 0
	j pass

	TEST_END
