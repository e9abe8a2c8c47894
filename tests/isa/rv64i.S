/* SPDX-License-Identifier: MIT */
/* RV64I: arithmetic, logic, shifts, compares, loads/stores, branches, jumps. */
#include "test.S.inc"

	TEST_START

	TEST(1)
	li a0, 5
	li a1, -3
	add a2, a0, a1
	CHECK a2, 2
	sub a2, a1, a0
	CHECK a2, -8
	TEST(2)
	li a0, 0x7fffffff
	addiw a1, a0, 1
	CHECK a1, -0x80000000
	addw a2, a0, a0
	CHECK a2, -2
	subw a2, zero, a0
	CHECK a2, -0x7fffffff
	TEST(3)
	li a0, 0x8000000000000001
	srai a1, a0, 4
	CHECK a1, 0xf800000000000000
	srli a1, a0, 63
	CHECK a1, 1
	slli a1, a0, 1
	CHECK a1, 2
	li a2, 68
	sll a1, a0, a2
	CHECK a1, 0x10
	srl a1, a0, a2
	CHECK a1, 0x0800000000000000
	sra a1, a0, a2
	CHECK a1, 0xf800000000000000
	TEST(4)
	li a0, 0x80000000
	sraiw a1, a0, 4
	CHECK a1, 0xfffffffff8000000
	srliw a1, a0, 4
	CHECK a1, 0x08000000
	slliw a1, a0, 1
	CHECK a1, 0
	li a2, 33
	sllw a1, a2, a2
	CHECK a1, 66
	sraw a1, a0, a2
	CHECK a1, 0xffffffffc0000000
	srlw a1, a0, a2
	CHECK a1, 0x40000000
	TEST(5)
	li a0, -1
	li a1, 1
	slt a2, a0, a1
	CHECK a2, 1
	sltu a2, a0, a1
	CHECK a2, 0
	slti a2, a0, 0
	CHECK a2, 1
	sltiu a2, a1, -1
	CHECK a2, 1
	TEST(6)
	li a0, 0xf0f0
	xori a1, a0, -1
	CHECK a1, 0xffffffffffff0f0f
	ori a1, a0, 0x0f
	CHECK a1, 0xf0ff
	andi a1, a0, 0x0ff
	CHECK a1, 0xf0
	li a2, 0xff00
	and a1, a0, a2
	CHECK a1, 0xf000
	or a1, a0, a2
	CHECK a1, 0xfff0
	xor a1, a0, a2
	CHECK a1, 0x0ff0
	TEST(7)
	lui a0, 0x80000
	CHECK a0, 0xffffffff80000000
1:	auipc a1, 0
	la a2, 1b
	bne a1, a2, fail
	TEST(8)
	la a0, buf
	li a1, 0x8877665544332211
	sd a1, 0(a0)
	lb a2, 7(a0)
	CHECK a2, 0xffffffffffffff88
	lbu a2, 7(a0)
	CHECK a2, 0x88
	lh a2, 6(a0)
	CHECK a2, 0xffffffffffff8877
	lhu a2, 6(a0)
	CHECK a2, 0x8877
	lw a2, 4(a0)
	CHECK a2, 0xffffffff88776655
	lwu a2, 4(a0)
	CHECK a2, 0x88776655
	ld a2, 0(a0)
	CHECK a2, 0x8877665544332211
	sb zero, 0(a0)
	sh zero, 2(a0)
	sw zero, 4(a0)
	ld a2, 0(a0)
	CHECK a2, 0x2200
	TEST(9)
	/* misaligned accesses are emulated */
	li a1, 0x0102030405060708
	sd a1, 3(a0)
	ld a2, 3(a0)
	CHECK a2, 0x0102030405060708
	lw a2, 5(a0)
	CHECK a2, 0x03040506
	lhu a2, 1(a0)
	CHECK a2, 0x0022
	TEST(10)
	li a0, 1
	li a1, 2
	beq a0, a1, fail
	bne a0, a0, fail
	blt a1, a0, fail
	bge a0, a1, fail
	li a2, -1
	bltu a2, a0, fail
	bgeu a0, a2, fail
	blt a2, a0, 2f
	j fail
2:	bgeu a2, a0, 3f
	j fail
3:	TEST(11)
	jal ra, 4f
5:	j 6f
4:	la t0, 5b
	bne ra, t0, fail
	addi t1, ra, 0
	jalr t2, 0(t1)
6:	la t0, 6b
	bne t2, t0, fail
	TEST(12)
	/* x0 is hardwired */
	addi zero, zero, 5
	bnez zero, fail
	j pass

	TEST_END

	.data
	.balign 16
buf:	.space 64
