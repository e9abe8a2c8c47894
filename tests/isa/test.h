/* SPDX-License-Identifier: MIT */
/* Macros shared by the bare-metal ISA tests: test numbering, checks, and
 * reporting through the virt test finisher (0x5555 pass, n<<16|0x3333). */
#ifndef MIMIC_TESTS_ISA_TEST_H
#define MIMIC_TESTS_ISA_TEST_H

#define FINISHER 0x100000
#define CLINT_MSIP 0x2000000
#define CLINT_MTIMECMP 0x2004000
#define CLINT_MTIME 0x200bff8

/* gp holds the number of the test being run; a failure reports it. */
#define TEST(n) li gp, n

/* Compare register r with an immediate; jump to fail when different. */
.macro CHECK r, expected
	li t6, \expected
	bne \r, t6, fail
.endm

/* The standard prologue: trap vector that fails, stack, FP on. */
.macro TEST_START
	.section .text.init
	.globl _start
_start:
	la t0, unexpected_trap
	csrw mtvec, t0
	la sp, stack_top
	li t0, (1 << 13)
	csrs mstatus, t0
	csrwi fcsr, 0
	li gp, 0
.endm

/* Pass/fail reporting and the stack, placed at the end of each test. */
.macro TEST_END
pass:
	li t0, FINISHER
	li t1, 0x5555
	sw t1, 0(t0)
1:	j 1b
fail:
	li t0, FINISHER
	slli t1, gp, 16
	li t2, 0x3333
	or t1, t1, t2
	sw t1, 0(t0)
2:	j 2b
	.balign 4
unexpected_trap:
	/* Report the test number with bit 15 set so it is told apart. */
	li t0, 0x8000
	or gp, gp, t0
	j fail
	.data
	.balign 16
stack:
	.space 4096
stack_top:
	.text
.endm

#endif
