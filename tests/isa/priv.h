/* SPDX-License-Identifier: MIT */
/* Helpers for the privileged-architecture tests: trap handlers that record
 * the cause and resume at a chosen label, and mode switches. */
#ifndef MIMIC_TESTS_ISA_PRIV_H
#define MIMIC_TESTS_ISA_PRIV_H

/*
 * M handler: s2 = mcause, s3 = mepc, s4 = mtval, s5 = mstatus; resumes in
 * M-mode at s11. S handler: s6 = scause, s7 = sepc, s8 = stval; resumes in
 * S-mode at s10.
 */
.macro PRIV_HANDLERS
	.balign 4
m_handler:
	csrr s2, mcause
	csrr s3, mepc
	csrr s4, mtval
	csrr s5, mstatus
	li t0, (3 << 11)
	csrs mstatus, t0
	csrw mepc, s11
	mret
	.balign 4
s_handler:
	csrr s6, scause
	csrr s7, sepc
	csrr s8, stval
	li t0, (1 << 8)
	csrs sstatus, t0
	csrw sepc, s10
	sret
.endm

/* Install the handlers, open all memory to S/U through PMP entry 0. */
.macro PRIV_SETUP
	la t0, m_handler
	csrw mtvec, t0
	la t0, s_handler
	csrw stvec, t0
	li t0, -1
	csrw pmpaddr0, t0
	li t0, 0x1f
	csrw pmpcfg0, t0
.endm

/* From M-mode, continue at label in S-mode (or U-mode). */
.macro M_TO_S label
	li t0, (3 << 11)
	csrc mstatus, t0
	li t0, (1 << 11)
	csrs mstatus, t0
	la t0, \label
	csrw mepc, t0
	mret
.endm

.macro M_TO_U label
	li t0, (3 << 11)
	csrc mstatus, t0
	la t0, \label
	csrw mepc, t0
	mret
.endm

/* From S-mode, continue at label in U-mode. */
.macro S_TO_U label
	li t0, (1 << 8)
	csrc sstatus, t0
	la t0, \label
	csrw sepc, t0
	sret
.endm

/* Back to M-mode at label (through an ecall the M handler resumes). */
.macro BACK_TO_M label
	la s11, \label
	ecall
.endm

#endif
