/* SPDX-License-Identifier: MIT */
/* Interrupts: CLINT software and timer interrupts, WFI, vectored mtvec,
 * priority, global enables per privilege, delegation of SSI, and Sstc. */
#include "test.S.inc"
#include "priv.S.inc"

#define IRQ (1 << 63)
#define MSI 3
#define MTI 7
#define SSI 1
#define STI 5

/* Spin (at most a while) until register r becomes non-zero. */
.macro WAIT_FOR r
	li t3, 20000000
1:	bnez \r, 2f
	addi t3, t3, -1
	bnez t3, 1b
	j fail
2:
.endm

	TEST_START
	PRIV_SETUP
	la t0, irq_handler
	csrw mtvec, t0
	la t0, s_irq_handler
	csrw stvec, t0

	TEST(1) /* machine software interrupt */
	li s2, 0
	li t0, (1 << MSI)
	csrw mie, t0
	csrsi mstatus, 8
	li t0, CLINT_MSIP
	li t1, 1
	sw t1, 0(t0)
	WAIT_FOR s2
	li t0, IRQ | MSI
	bne s2, t0, fail
	TEST(2) /* machine timer interrupt, woken from wfi */
	li s2, 0
	li t0, (1 << MTI)
	csrw mie, t0
	li t0, CLINT_MTIME
	ld t1, 0(t0)
	addi t1, t1, 500
	li t0, CLINT_MTIMECMP
	sd t1, 0(t0)
1:	wfi
	beqz s2, 1b
	li t0, IRQ | MTI
	bne s2, t0, fail
	TEST(3) /* with MIE clear, wfi still wakes up and no trap is taken */
	csrci mstatus, 8
	li s2, 0
	li t0, CLINT_MTIME
	ld t1, 0(t0)
	addi t1, t1, 500
	li t0, CLINT_MTIMECMP
	sd t1, 0(t0)
1:	wfi
	csrr t0, mip
	andi t0, t0, (1 << MTI)
	beqz t0, 1b
	bnez s2, fail
	li t0, CLINT_MTIMECMP
	li t1, -1
	sd t1, 0(t0)
	csrr t0, mip
	andi t0, t0, (1 << MTI)
	bnez t0, fail
	TEST(4) /* priority: MSI before MTI, both pending */
	li t0, CLINT_MSIP
	li t1, 1
	sw t1, 0(t0)
	li t0, CLINT_MTIMECMP
	sd zero, 0(t0)
	li t0, (1 << MSI) | (1 << MTI)
	csrw mie, t0
	li s2, 0
	li s9, 0
	csrsi mstatus, 8
	nop
	csrci mstatus, 8
	li t0, IRQ | MSI
	bne s2, t0, fail
	li t0, IRQ | MTI
	bne s9, t0, fail
	TEST(5) /* vectored mtvec */
	la t0, vectors
	ori t0, t0, 1
	csrw mtvec, t0
	li s2, 0
	li t0, (1 << MSI)
	csrw mie, t0
	li t0, CLINT_MSIP
	li t1, 1
	sw t1, 0(t0)
	csrsi mstatus, 8
	WAIT_FOR s2
	csrci mstatus, 8
	CHECK s2, 0x333		/* marker from the MSI vector slot */
	la t0, irq_handler
	csrw mtvec, t0
	TEST(6) /* below M-mode, M interrupts are taken even with MIE=0 */
	li s2, 0
	M_TO_S 1f
1:	li t0, CLINT_MSIP
	li t1, 1
	sw t1, 0(t0)
	WAIT_FOR s2
	li t0, IRQ | MSI
	bne s2, t0, fail
	BACK_TO_M 2f
2:	TEST(7) /* SSI delegated to S, raised by M through mip */
	li t0, (1 << SSI)
	csrw mideleg, t0
	csrw mie, t0
	csrs mip, t0
	li s6, 0
	nop			/* not taken in M-mode */
	bnez s6, fail
	M_TO_S 1f
1:	csrsi sstatus, 2
	WAIT_FOR s6
	csrci sstatus, 2
	li t0, IRQ | SSI
	bne s6, t0, fail
	BACK_TO_M 2f
2:	TEST(8) /* Sstc: stimecmp raises STIP in S-mode */
	li t0, (1 << 63)
	csrs menvcfg, t0
	li t0, 2
	csrs mcounteren, t0
	li t0, (1 << STI)
	csrw mideleg, t0
	csrw mie, t0
	li s6, 0
	M_TO_S 1f
1:	rdtime t1
	addi t1, t1, 300
	csrw stimecmp, t1
	csrsi sstatus, 2
	WAIT_FOR s6
	csrci sstatus, 2
	li t0, IRQ | STI
	bne s6, t0, fail
	j pass

	.balign 4
irq_handler:
	csrr t0, mcause
	bgez t0, m_handler	/* exceptions: record and resume at s11 */
	/* s2 = the first interrupt taken since it was cleared, s9 = later */
	bnez s2, 2f
	mv s2, t0
	j 3f
2:	mv s9, t0
3:
	andi t0, t0, 0xff
	li t1, MSI
	bne t0, t1, 1f
	li t0, CLINT_MSIP
	sw zero, 0(t0)
	mret
1:	li t0, CLINT_MTIMECMP
	li t1, -1
	sd t1, 0(t0)
	mret

	.balign 4
s_irq_handler:
	csrr s6, scause
	andi t0, s6, 0xff
	li t1, STI
	beq t0, t1, 1f
	li t0, 2
	csrc sip, t0
	sret
1:	li t0, -1
	csrw stimecmp, t0
	sret

	.balign 256
vectors:
	.option push
	.option norvc
	j fail			/* 0: exceptions */
	j fail
	j fail
	j vector_msi		/* 3: MSI */
	j fail
	j fail
	j fail
	j fail
	.option pop
vector_msi:
	li s2, 0x333
	li t0, CLINT_MSIP
	sw zero, 0(t0)
	mret

	PRIV_HANDLERS
	TEST_END
