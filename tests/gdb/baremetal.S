/* SPDX-License-Identifier: MIT */
/* A bare-metal program for the gdb tests: it passes only when the
 * debugger changed a register and a word of memory on the way. */
#include "test.S.inc"

	TEST_START
	TEST(1)
	li a2, 5
	call triple
	/* gdb set a2 to 3 at triple's entry */
	li t0, 9
	bne a0, t0, fail
	TEST(2)
	la t1, value
	ld t2, 0(t1)
	/* gdb wrote 0x5678 over 0x1234 */
	li t0, 0x5678
	bne t2, t0, fail
	li s1, 0
	li s2, 0
count:
	addi s1, s1, 1
	addi s2, s2, 2
	li t0, 100
	blt s1, t0, count
	j pass

	.globl triple
triple:
	slli a0, a2, 1
	add a0, a0, a2
	ret

	TEST_END

	.data
	.balign 8
	.globl value
value:
	.dword 0x1234
