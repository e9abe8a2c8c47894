/* SPDX-License-Identifier: MIT */
/* Privileged: exception causes, mepc/mtval, mstatus stacking, delegation
 * to S-mode, mret/sret, and the TSR/TVM/TW traps. */
#include "test.S.inc"
#include "priv.S.inc"

	TEST_START
	PRIV_SETUP

	TEST(1) /* ecall from M */
	la s11, 1f
2:	ecall
	j fail
1:	CHECK s2, 11
	la t0, 2b
	bne s3, t0, fail
	TEST(2) /* illegal instruction: tval holds the bits */
	la s11, 1f
	.word 0x0000000b
	j fail
1:	CHECK s2, 2
	CHECK s4, 0x0000000b
	TEST(3) /* unimplemented CSR */
	la s11, 1f
	csrr a0, 0x7c0
	j fail
1:	CHECK s2, 2
	CHECK s4, 0x7c002573
	TEST(4) /* ebreak */
	la s11, 1f
	ebreak
	j fail
1:	CHECK s2, 3
	TEST(5) /* access faults */
	la s11, 1f
	ld a0, 0(zero)
	j fail
1:	CHECK s2, 5
	CHECK s4, 0
	la s11, 1f
	li a1, 0x10
	sd a0, 0(a1)
	j fail
1:	CHECK s2, 7
	CHECK s4, 0x10
	la s11, 1f
	jr zero
	j fail
1:	CHECK s2, 1
	CHECK s3, 0
	TEST(6) /* ecall from S goes to M with MPP=S, MPIE=old MIE */
	M_TO_S 1f
1:	BACK_TO_M 2f
2:	CHECK s2, 9
	srli t0, s5, 11
	andi t0, t0, 3
	CHECK t0, 1
	TEST(7) /* medeleg sends U ecalls and illegal insns to S */
	li t0, (1 << 8) | (1 << 2)
	csrw medeleg, t0
	M_TO_S 1f
1:	la s10, 3f
	S_TO_U 2f
2:	ecall
	j fail
3:	CHECK s6, 8
	la t0, 2b
	bne s7, t0, fail
	csrr t0, sstatus
	andi t1, t0, (1 << 8)	/* SPP was U ... then the handler set it */
	TEST(8)
	la s10, 3f
	S_TO_U 2f
2:	csrr a0, mstatus
	j fail
3:	CHECK s6, 2
	CHECK s8, 0x30002573
	BACK_TO_M 4f
4:	CHECK s2, 9
	csrw medeleg, zero
	TEST(9) /* TSR: sret in S is illegal */
	li t0, (1 << 22)
	csrs mstatus, t0
	M_TO_S 1f
1:	la s11, 2f
	sret
	j fail
2:	CHECK s2, 2
	li t0, (1 << 22)
	csrc mstatus, t0
	TEST(10) /* TVM: satp and sfence.vma in S are illegal */
	li t0, (1 << 20)
	csrs mstatus, t0
	M_TO_S 1f
1:	la s11, 2f
	csrr a0, satp
	j fail
2:	CHECK s2, 2
	M_TO_S 1f
1:	la s11, 2f
	sfence.vma
	j fail
2:	CHECK s2, 2
	li t0, (1 << 20)
	csrc mstatus, t0
	TEST(11) /* TW: wfi in S is illegal */
	li t0, (1 << 21)
	csrs mstatus, t0
	M_TO_S 1f
1:	la s11, 2f
	wfi
	j fail
2:	CHECK s2, 2
	li t0, (1 << 21)
	csrc mstatus, t0
	TEST(12) /* mret in S and sret in U are illegal */
	M_TO_S 1f
1:	la s11, 2f
	mret
	j fail
2:	CHECK s2, 2
	M_TO_U 1f
1:	la s11, 2f
	sret
	j fail
2:	CHECK s2, 2
	TEST(13) /* M CSRs from S are illegal; S CSRs work */
	M_TO_S 1f
1:	csrw sscratch, 5
	csrr a0, sscratch
	CHECK a0, 5
	la s11, 2f
	csrr a0, mscratch
	j fail
2:	CHECK s2, 2
	TEST(14) /* mret restores MIE from MPIE and sets MPIE */
	li t0, (1 << 7)
	csrs mstatus, t0
	li t0, (3 << 11)
	csrs mstatus, t0
	la t0, 1f
	csrw mepc, t0
	mret
1:	csrr t0, mstatus
	andi t1, t0, (1 << 3)
	beqz t1, fail
	andi t1, t0, (1 << 7)
	beqz t1, fail
	csrci mstatus, 8
	TEST(15) /* read-only CSR writes are illegal */
	la s11, 1f
	csrw mhartid, zero
	j fail
1:	CHECK s2, 2
	csrr a0, mhartid
	CHECK a0, 0
	csrr a0, misa
	srli a1, a0, 62
	CHECK a1, 2
	j pass

	PRIV_HANDLERS
	TEST_END
