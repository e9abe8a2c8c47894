/* SPDX-License-Identifier: MIT */
/* PMP: no entry means no S/U access, NA4/NAPOT/TOR matching, priority,
 * partial matches, permission faults, and the lock bit binding M-mode. */
#include "test.S.inc"
#include "priv.S.inc"

#define PMP_R 0x01
#define PMP_W 0x02
#define PMP_X 0x04
#define PMP_TOR 0x08
#define PMP_NA4 0x10
#define PMP_NAPOT 0x18
#define PMP_L 0x80

	TEST_START
	la t0, m_handler
	csrw mtvec, t0

	TEST(1) /* with no PMP entry, S-mode cannot even fetch */
	la s11, 2f
	M_TO_S 1f
1:	j fail
	/* The spec's answer is an instruction access fault at the target;
	 * QEMU 7.2 refuses the mret itself as illegal. */
2:	li t0, 1
	beq s2, t0, 3f
	CHECK s2, 2
	CHECK s4, 0x30200073
3:
	TEST(2) /* program the entries */
	la t0, misc_page
	addi t0, t0, 4
	srli t0, t0, 2
	csrw pmpaddr0, t0		/* NA4 at misc_page + 4 */
	la t0, prot_page
	srli t0, t0, 2
	ori t0, t0, 0x1ff
	csrw pmpaddr1, t0		/* NAPOT 4 KiB prot_page */
	la t0, none_page
	srli t0, t0, 2
	csrw pmpaddr2, t0		/* bottom of the TOR range */
	li t1, 0x400
	add t0, t0, t1
	csrw pmpaddr3, t0		/* TOR none_page .. +4 KiB */
	li t0, -1
	csrw pmpaddr4, t0		/* NAPOT everything */
	li t0, (PMP_NA4 | PMP_R) | ((PMP_NAPOT | PMP_R) << 8) | \
		(PMP_TOR << 24) | ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 32)
	csrw pmpcfg0, t0
	csrr t1, pmpcfg0
	bne t0, t1, fail
	TEST(3) /* NA4: read-only word */
	M_TO_S 1f
1:	la a0, misc_page
	lw a1, 4(a0)
	sw a1, 8(a0)
	la s11, 2f
	sw a1, 4(a0)
	j fail
2:	CHECK s2, 7
	la a0, misc_page
	addi a0, a0, 4
	bne s4, a0, fail
	TEST(4) /* partial match fails even though a later entry allows */
	M_TO_S 1f
1:	la s11, 2f
	la a0, misc_page
	ld a1, 0(a0)
	j fail
2:	CHECK s2, 5
	TEST(5) /* NAPOT read-only page; TOR no-access page */
	M_TO_S 1f
1:	la a0, prot_page
	ld a1, 64(a0)
	la s11, 2f
	sd a1, 64(a0)
	j fail
2:	CHECK s2, 7
	M_TO_S 1f
1:	la s11, 2f
	la a0, none_page
	ld a1, 128(a0)
	j fail
2:	CHECK s2, 5
	TEST(6) /* M-mode ignores unlocked entries */
	la a0, none_page
	sd a0, 0(a0)
	la a0, prot_page
	sd a0, 0(a0)
	TEST(7) /* a locked entry binds M-mode and cannot be rewritten */
	li t0, PMP_L << 8
	csrs pmpcfg0, t0
	la s11, 1f
	la a0, prot_page
	sd a0, 8(a0)
	j fail
1:	CHECK s2, 7
	li t0, PMP_W << 8
	csrs pmpcfg0, t0
	csrr t1, pmpcfg0
	and t1, t1, t0
	bnez t1, fail
	csrw pmpaddr1, zero
	la t0, prot_page
	srli t0, t0, 2
	ori t0, t0, 0x1ff
	csrr t1, pmpaddr1
	bne t0, t1, fail
	j pass

	PRIV_HANDLERS
	TEST_END

	.data
	.balign 4096
misc_page:	.space 4096
prot_page:	.space 4096
none_page:	.space 4096
