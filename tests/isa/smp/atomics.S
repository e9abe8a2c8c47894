/* SPDX-License-Identifier: MIT */
/* Four harts hammer shared counters with amoadd and with LR/SC loops (and
 * other harts' SCs break reservations); hart 0 checks the totals.
 * Run with -smp 4. */
#include "../test.S.inc"

#define HARTS 4
#define ROUNDS 200000

	TEST_START
	csrr s0, mhartid
	li t0, HARTS
	bgeu s0, t0, park
	la s1, counters
	li s2, ROUNDS
1:	li t0, 1
	amoadd.w zero, t0, 0(s1)	/* counter 0: amoadd */
	addi t2, s1, 8			/* counter 1: lr/sc loop */
2:	lr.d t1, (t2)
	addi t1, t1, 1
	sc.d t3, t1, (t2)
	bnez t3, 2b
	addi t2, s1, 16			/* counter 2: amoadd.d with -1 then +2 */
	li t0, -1
	amoadd.d zero, t0, (t2)
	li t0, 2
	amoadd.d zero, t0, (t2)
	addi s2, s2, -1
	bnez s2, 1b
	fence rw, rw
	li t0, 1
	addi t2, s1, 24
	amoadd.w zero, t0, (t2)		/* done count */
	bnez s0, park
	TEST(1)
4:	lw t0, 24(s1)
	li t1, HARTS
	bne t0, t1, 4b
	fence rw, rw
	lw t0, 0(s1)
	CHECK t0, HARTS * ROUNDS
	TEST(2)
	ld t0, 8(s1)
	CHECK t0, HARTS * ROUNDS
	TEST(3)
	ld t0, 16(s1)
	CHECK t0, HARTS * ROUNDS
	j pass
park:
	wfi
	j park

	TEST_END

	.data
	.balign 64
counters:
	.dword 0, 0, 0, 0
