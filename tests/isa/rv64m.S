/* SPDX-License-Identifier: MIT */
/* M: multiply, divide and remainder, including the division corner cases. */
#include "test.S.inc"

	TEST_START

	TEST(1)
	li a0, -7
	li a1, 3
	mul a2, a0, a1
	CHECK a2, -21
	mulw a2, a0, a1
	CHECK a2, -21
	li a0, 0x100000000
	mulw a2, a0, a0
	CHECK a2, 0
	TEST(2)
	li a0, -1
	li a1, -1
	mulh a2, a0, a1
	CHECK a2, 0
	mulhu a2, a0, a1
	CHECK a2, -2
	mulhsu a2, a0, a1
	CHECK a2, -1
	li a0, 0x7fffffffffffffff
	li a1, 4
	mulh a2, a0, a1
	CHECK a2, 1
	TEST(3)
	li a0, -7
	li a1, 2
	div a2, a0, a1
	CHECK a2, -3
	rem a2, a0, a1
	CHECK a2, -1
	divu a2, a0, a1
	CHECK a2, 0x7ffffffffffffffc
	remu a2, a0, a1
	CHECK a2, 1
	TEST(4)
	/* divide by zero */
	li a0, 42
	div a2, a0, zero
	CHECK a2, -1
	divu a2, a0, zero
	CHECK a2, -1
	rem a2, a0, zero
	CHECK a2, 42
	remu a2, a0, zero
	CHECK a2, 42
	divw a2, a0, zero
	CHECK a2, -1
	remuw a2, a0, zero
	CHECK a2, 42
	TEST(5)
	/* signed overflow */
	li a0, 0x8000000000000000
	li a1, -1
	div a2, a0, a1
	CHECK a2, 0x8000000000000000
	rem a2, a0, a1
	CHECK a2, 0
	li a0, -0x80000000
	divw a2, a0, a1
	CHECK a2, -0x80000000
	remw a2, a0, a1
	CHECK a2, 0
	TEST(6)
	li a0, 0xffffffff80000000
	li a1, 0x10
	divuw a2, a0, a1
	CHECK a2, 0x08000000
	remw a2, a0, a1
	CHECK a2, 0
	li a0, -17
	li a1, 5
	remw a2, a0, a1
	CHECK a2, -2
	divw a2, a0, a1
	CHECK a2, -3
	j pass

	TEST_END
