/* SPDX-License-Identifier: MIT */
/* Zicntr/Zihpm: cycle, time and instret advance, time follows the CLINT,
 * minstret is writable, and mcounteren/scounteren gate S and U. */
#include "test.S.inc"
#include "priv.S.inc"

	TEST_START
	PRIV_SETUP

	TEST(1) /* counters advance */
	rdcycle a0
	rdinstret a1
	rdtime a2
	li t0, 100
1:	addi t0, t0, -1
	bnez t0, 1b
	rdcycle a3
	rdinstret a4
	bgeu a0, a3, fail
	bgeu a1, a4, fail
	sub t0, a4, a1
	li t1, 200
	bltu t0, t1, fail	/* at least the 200 loop instructions */
	TEST(2) /* time is the CLINT's mtime */
	li t0, CLINT_MTIME
2:	rdtime a0
	ld a1, 0(t0)
	rdtime a2
	bltu a1, a0, fail
	bltu a2, a1, fail
	TEST(3) /* minstret is writable */
	li t0, 1000000
	csrw minstret, t0
	csrr a0, minstret
	bltu a0, t0, fail
	csrr a0, mhpmcounter3
	csrr a0, mhpmevent3
	csrr a0, mcountinhibit
	TEST(4) /* S-mode: cycle needs mcounteren.CY */
	csrw mcounteren, zero
	M_TO_S 1f
1:	la s11, 2f
	rdcycle a0
	j fail
2:	CHECK s2, 2
	csrwi mcounteren, 7
	M_TO_S 1f
1:	rdcycle a0
	rdtime a0
	rdinstret a0
	TEST(5) /* U-mode: also needs scounteren */
	csrw scounteren, zero
	BACK_TO_M 1f
1:	M_TO_U 1f
1:	la s11, 2f
	rdtime a0
	j fail
2:	CHECK s2, 2
	M_TO_S 1f
1:	csrwi scounteren, 2
	BACK_TO_M 1f
1:	M_TO_U 1f
1:	rdtime a0
	la s11, 2f
	rdinstret a0
	j fail
2:	CHECK s2, 2
	TEST(6) /* the ID registers */
	csrr a0, mvendorid
	csrr a0, marchid
	csrr a0, mimpid
	csrr a0, mhartid
	CHECK a0, 0
	j pass

	PRIV_HANDLERS
	TEST_END
