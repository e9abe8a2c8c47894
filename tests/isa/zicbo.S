/* SPDX-License-Identifier: MIT */
/* Zicbom/Zicboz/Zicbop: cbo.zero clears one 64-byte block, the management
 * operations and prefetch hints execute, and menvcfg gates S-mode. */
#include "test.S.inc"

	TEST_START

	TEST(1)
	la s0, block
	li a0, -1
	addi t0, s0, -8
	li t1, 80
1:	sd a0, 0(t0)
	addi t0, t0, 8
	addi t1, t1, -8
	bnez t1, 1b
	addi a1, s0, 24		/* any address inside the block */
	cbo.zero (a1)
	ld a2, -8(s0)
	CHECK a2, -1
	ld a2, 0(s0)
	CHECK a2, 0
	ld a2, 56(s0)
	CHECK a2, 0
	ld a2, 64(s0)
	CHECK a2, -1
	TEST(2)
	cbo.clean (s0)
	cbo.flush (s0)
	cbo.inval (s0)
	prefetch.i 0(s0)
	prefetch.r 64(s0)
	prefetch.w -64(s0)
	TEST(3)
	/* In S-mode with menvcfg.CBZE clear, cbo.zero is illegal. */
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f
	csrw pmpcfg0, t0
	csrw menvcfg, zero
	la t0, trap
	csrw mtvec, t0
	li t0, (3 << 11)
	csrc mstatus, t0
	li t0, (1 << 11)
	csrs mstatus, t0
	la t0, smode
	csrw mepc, t0
	mret
smode:
	cbo.zero (s0)
	j fail
	.balign 4
trap:
	csrr t0, mcause
	CHECK t0, 2
	j pass

	TEST_END

	.data
	.balign 64
	.space 64
block:	.space 128
