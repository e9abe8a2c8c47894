/* SPDX-License-Identifier: MIT */
/* A: LR/SC and every AMO, word and doubleword. */
#include "test.S.inc"

	TEST_START

	la s0, word
	la s1, dword
	TEST(1)
	li a0, 5
	sw a0, 0(s0)
	li a1, 3
	amoadd.w a2, a1, (s0)
	CHECK a2, 5
	lw a2, 0(s0)
	CHECK a2, 8
	li a1, -1
	amoswap.w.aqrl a2, a1, (s0)
	CHECK a2, 8
	lw a2, 0(s0)
	CHECK a2, -1
	TEST(2)
	li a0, 0x0ff0
	sw a0, 0(s0)
	li a1, 0x00ff
	amoand.w a2, a1, (s0)
	CHECK a2, 0x0ff0
	amoor.w a2, a1, (s0)
	CHECK a2, 0x00f0
	amoxor.w a2, a1, (s0)
	CHECK a2, 0x00ff
	lw a2, 0(s0)
	CHECK a2, 0
	TEST(3)
	li a0, -2
	sw a0, 0(s0)
	li a1, 1
	amomin.w a2, a1, (s0)
	CHECK a2, -2
	lw a2, 0(s0)
	CHECK a2, -2
	amominu.w a2, a1, (s0)
	lw a2, 0(s0)
	CHECK a2, 1
	li a1, -5
	amomax.w a2, a1, (s0)
	lw a2, 0(s0)
	CHECK a2, 1
	amomaxu.w a2, a1, (s0)
	lw a2, 0(s0)
	CHECK a2, -5
	TEST(4)
	li a0, 0x100000000
	sd a0, 0(s1)
	li a1, -1
	amoadd.d a2, a1, (s1)
	CHECK a2, 0x100000000
	ld a2, 0(s1)
	CHECK a2, 0xffffffff
	amomax.d a2, a1, (s1)
	ld a2, 0(s1)
	CHECK a2, 0xffffffff
	amomaxu.d a2, a1, (s1)
	ld a2, 0(s1)
	CHECK a2, -1
	amomin.d a2, zero, (s1)
	ld a2, 0(s1)
	CHECK a2, -1
	amominu.d a2, zero, (s1)
	ld a2, 0(s1)
	CHECK a2, 0
	li a1, 0x55
	amoor.d a2, a1, (s1)
	amoxor.d a2, a1, (s1)
	CHECK a2, 0x55
	amoswap.d a2, a1, (s1)
	CHECK a2, 0
	amoand.d a2, zero, (s1)
	CHECK a2, 0x55
	TEST(5)
	/* LR/SC succeeds once, then fails without a reservation */
	li a0, 10
	sd a0, 0(s1)
	lr.d a2, (s1)
	CHECK a2, 10
	li a1, 11
	sc.d a3, a1, (s1)
	CHECK a3, 0
	ld a2, 0(s1)
	CHECK a2, 11
	sc.d a3, a1, (s1)
	bnez a3, 1f
	j fail
1:	TEST(6)
	lr.w a2, (s0)
	li a1, 7
	sc.w a3, a1, (s0)
	CHECK a3, 0
	lw a2, 0(s0)
	CHECK a2, 7
	/* SC to another address fails */
	lr.w a2, (s0)
	addi s2, s0, 4
	sc.w a3, a1, (s2)
	beqz a3, fail
	j pass

	TEST_END

	.data
	.balign 8
word:	.space 8
dword:	.space 8
