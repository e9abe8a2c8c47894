/* SPDX-License-Identifier: MIT */
/* Zba, Zbb, Zbc, Zbs. */
#include "test.S.inc"

	TEST_START

	TEST(1) /* Zba */
	li a0, 0xffffffff00000003
	li a1, 100
	sh1add a2, a0, a1
	CHECK a2, 0xfffffffe0000006a
	sh2add a2, a0, a1
	CHECK a2, 0xfffffffc00000070
	sh3add a2, a0, a1
	CHECK a2, 0xfffffff80000007c
	add.uw a2, a0, a1
	CHECK a2, 103
	sh1add.uw a2, a0, a1
	CHECK a2, 106
	sh2add.uw a2, a0, a1
	CHECK a2, 112
	sh3add.uw a2, a0, a1
	CHECK a2, 124
	li a0, 0xffffffff80000001
	slli.uw a2, a0, 4
	CHECK a2, 0x800000010
	TEST(2) /* Zbb logic and counts */
	li a0, 0xf0
	li a1, 0x3c
	andn a2, a0, a1
	CHECK a2, 0xc0
	orn a2, a0, a1
	CHECK a2, 0xfffffffffffffff3
	xnor a2, a0, a1
	CHECK a2, 0xffffffffffffff33
	li a0, 0x0000100000000000
	clz a2, a0
	CHECK a2, 19
	ctz a2, a0
	CHECK a2, 44
	cpop a2, a0
	CHECK a2, 1
	clz a2, zero
	CHECK a2, 64
	ctz a2, zero
	CHECK a2, 64
	li a0, 0xffffffff00010000
	clzw a2, a0
	CHECK a2, 15
	ctzw a2, a0
	CHECK a2, 16
	cpopw a2, a0
	CHECK a2, 1
	clzw a2, zero
	CHECK a2, 32
	TEST(3) /* Zbb min/max, extension, rotate, bytes */
	li a0, -1
	li a1, 1
	max a2, a0, a1
	CHECK a2, 1
	maxu a2, a0, a1
	CHECK a2, -1
	min a2, a0, a1
	CHECK a2, -1
	minu a2, a0, a1
	CHECK a2, 1
	li a0, 0x1234567890abcdef
	sext.b a2, a0
	CHECK a2, 0xffffffffffffffef
	sext.h a2, a0
	CHECK a2, 0xffffffffffffcdef
	zext.h a2, a0
	CHECK a2, 0xcdef
	li a1, 8
	rol a2, a0, a1
	CHECK a2, 0x34567890abcdef12
	ror a2, a0, a1
	CHECK a2, 0xef1234567890abcd
	rori a2, a0, 4
	CHECK a2, 0xf1234567890abcde
	rolw a2, a0, a1
	CHECK a2, 0xffffffffabcdef90
	rorw a2, a0, a1
	CHECK a2, 0xffffffffef90abcd
	roriw a2, a0, 4
	CHECK a2, 0xfffffffff90abcde
	rev8 a2, a0
	CHECK a2, 0xefcdab9078563412
	li a0, 0x0100ff0000000080
	orc.b a2, a0
	CHECK a2, 0xff00ff00000000ff
	TEST(4) /* Zbc */
	li a0, 0x8000000000000003
	li a1, 0x5
	clmul a2, a0, a1
	CHECK a2, 0x800000000000000f
	clmulh a2, a0, a1
	CHECK a2, 0x2
	clmulr a2, a0, a1
	CHECK a2, 0x5
	TEST(5) /* Zbs */
	li a0, 0xff
	li a1, 65
	bclr a2, a0, a1
	CHECK a2, 0xfd
	bext a2, a0, a1
	CHECK a2, 1
	binv a2, a0, a1
	CHECK a2, 0xfd
	bset a2, zero, a1
	CHECK a2, 2
	bclri a2, a0, 7
	CHECK a2, 0x7f
	bexti a2, a0, 8
	CHECK a2, 0
	binvi a2, a0, 63
	CHECK a2, 0x80000000000000ff
	bseti a2, zero, 40
	CHECK a2, 0x10000000000
	j pass

	TEST_END
