/* SPDX-License-Identifier: MIT */
/* Sv39 and Sv48: translation, A/D updates, permission faults with the right
 * cause and tval, SUM, MXR, superpages (and misaligned ones), canonical
 * addresses and sfence.vma. */
#include "test.S.inc"
#include "priv.S.inc"

#define V 0x01
#define R 0x02
#define W 0x04
#define X 0x08
#define U 0x10
#define A 0x40
#define D 0x80
#define VA 0x40000000

/* table[index] = pointer to / leaf for the physical address of label */
.macro PTE table, index, label, flags
	la t0, \label
	srli t0, t0, 12
	slli t0, t0, 10
	ori t0, t0, \flags
	la t1, \table
	sd t0, (\index * 8)(t1)
.endm

	TEST_START
	PRIV_SETUP

	/* 0x80000000 gigapage identity-mapped RWX (global, A and D set) */
	li t0, (0x80000000 >> 12) << 10 | V | R | W | X | A | D
	la t1, root
	sd t0, 16(t1)
	PTE root, 1, l1, V
	PTE l1, 0, l0, V
	PTE l0, 0, page_a, V | R | W
	PTE l0, 1, page_b, V | R | A
	PTE l0, 2, page_u, V | R | W | U | A | D
	PTE l0, 3, page_x, V | X | A
	/* l0[4] stays invalid; l1[1] is a megapage whose ppn is not aligned */
	PTE l1, 1, page_a, V | R | W | A | D
	PTE root48, 0, root, V
	la t0, page_a
	li t1, 0xaaaa
	sd t1, 0(t0)
	la t0, page_b
	li t1, 0xbbbb
	sd t1, 0(t0)
	la t0, root
	srli t0, t0, 12
	li t1, 8 << 60
	or t0, t0, t1
	csrw satp, t0
	sfence.vma

	TEST(1) /* a load sets A, a store sets D */
	M_TO_S 1f
1:	li a0, VA
	ld a1, 0(a0)
	CHECK a1, 0xaaaa
	la t0, l0
	ld t1, 0(t0)
	andi t2, t1, A
	beqz t2, fail
	andi t2, t1, D
	bnez t2, fail
	li a1, 0x1234
	sd a1, 8(a0)
	ld t1, 0(t0)
	andi t2, t1, D
	beqz t2, fail
	TEST(2) /* store to a read-only page: store page fault */
	la s11, 2f
	li a0, VA + 0x1000
	ld a1, 0(a0)
	CHECK a1, 0xbbbb
	sd a1, 0(a0)
	j fail
2:	CHECK s2, 15
	CHECK s4, VA + 0x1000
	TEST(3) /* U page from S: fault without SUM, fine with it */
	M_TO_S 1f
1:	la s11, 2f
	li a0, VA + 0x2008
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 13
	CHECK s4, VA + 0x2008
	li t0, (1 << 18)
	csrs mstatus, t0
	M_TO_S 1f
1:	li a0, VA + 0x2008
	ld a1, 0(a0)
	sd a1, 0(a0)
	li t0, (1 << 18)
	csrc sstatus, t0
	TEST(4) /* execute-only page: load faults unless MXR */
	la s11, 2f
	li a0, VA + 0x3000
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 13
	li t0, (1 << 19)
	csrs mstatus, t0
	M_TO_S 1f
1:	li a0, VA + 0x3000
	ld a1, 0(a0)
	li t0, (1 << 19)
	csrc sstatus, t0
	TEST(5) /* invalid PTE and fetch from a non-executable page */
	la s11, 2f
	li a0, VA + 0x4000
	sd a1, 0(a0)
	j fail
2:	CHECK s2, 15
	CHECK s4, VA + 0x4000
	M_TO_S 1f
1:	la s11, 2f
	li a0, VA
	jr a0
	j fail
2:	CHECK s2, 12
	CHECK s4, VA
	CHECK s3, VA
	TEST(6) /* misaligned megapage */
	M_TO_S 1f
1:	la s11, 2f
	li a0, VA + 0x200000
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 13
	TEST(7) /* non-canonical address */
	M_TO_S 1f
1:	la s11, 2f
	li a0, 0x0000004000000000
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 13
	TEST(8) /* U-mode cannot touch a non-U page, can use a U page */
	/* U code runs from a U alias of the code gigapage at 0xc0000000 */
	li t0, (0x80000000 >> 12) << 10 | V | R | W | X | U | A | D
	la t1, root
	sd t0, 24(t1)
	sfence.vma
	la s11, 2f
	li t0, (3 << 11)
	csrc mstatus, t0
	la t0, 1f
	li t1, 0x40000000
	add t0, t0, t1
	csrw mepc, t0
	mret
1:	li a0, VA + 0x2000
	ld a1, 0(a0)
	ld a1, 0(zero)		/* not mapped: load page fault */
	j fail
2:	CHECK s2, 13
	CHECK s4, 0
	TEST(9) /* sfence.vma makes a changed PTE visible */
	PTE l0, 0, page_b, V | R | W | A | D
	M_TO_S 1f
1:	sfence.vma
	li a0, VA
	ld a1, 0(a0)
	CHECK a1, 0xbbbb
	TEST(10) /* MPRV: M-mode loads through the S translation */
	BACK_TO_M 1f
1:	li t0, (1 << 17)
	csrs mstatus, t0
	li t0, (3 << 11)
	csrc mstatus, t0
	li t0, (1 << 11)
	csrs mstatus, t0
	li a0, VA
	ld a1, 0(a0)
	li t0, (1 << 17)
	csrc mstatus, t0
	CHECK a1, 0xbbbb
	TEST(11) /* Sv48 with the Sv39 root as its second level */
	la t0, root48
	srli t0, t0, 12
	li t1, 9 << 60
	or t0, t0, t1
	csrw satp, t0
	sfence.vma
	M_TO_S 1f
1:	li a0, VA + 0x1000
	ld a1, 0(a0)
	CHECK a1, 0xbbbb
	BACK_TO_M 2f
2:	TEST(12) /* Sv57 with the Sv48 root as its second level */
	PTE root57, 0, root48, V
	la t0, root57
	srli t0, t0, 12
	li t1, 10 << 60
	or t0, t0, t1
	csrw satp, t0
	sfence.vma
	M_TO_S 1f
1:	li a0, VA + 0x1000
	ld a1, 0(a0)
	CHECK a1, 0xbbbb
	la s11, 2f
	li a0, 0x0100000000000000	/* not canonical for Sv57 */
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 13
	TEST(13) /* U-mode at a pc S-mode just ran from a non-U page: fault */
	M_TO_S 1f
1:	nop
s_target:
	BACK_TO_M 2f
2:	la s11, 3f
	li t0, (3 << 11)
	csrc mstatus, t0
	la t0, s_target
	csrw mepc, t0
	mret
3:	CHECK s2, 12
	la t0, s_target
	bne s4, t0, fail
	TEST(14) /* an unsupported satp mode is not written */
	li t0, 3 << 60
	csrw satp, t0
	csrr t1, satp
	srli t1, t1, 60
	CHECK t1, 10
	csrw satp, zero
	j pass

	PRIV_HANDLERS
	TEST_END

	.data
	.balign 4096
root:	.space 4096
l1:	.space 4096
l0:	.space 4096
root48:	.space 4096
root57:	.space 4096
page_a:	.space 4096
page_b:	.space 4096
page_u:	.space 4096
page_x:	.space 4096
