/* SPDX-License-Identifier: MIT */
/* F: arithmetic, rounding modes, fflags, NaN boxing, conversions, moves,
 * compares, classification, and the FS/rm illegal cases. */
#include "test.S.inc"

/* Load a single-precision bit pattern into an FP register (NaN-boxed). */
.macro FLI fr, bits
	li t5, \bits
	fmv.w.x \fr, t5
.endm

/* fflags must equal the expected value; then clear them. */
.macro CHECK_FLAGS expected
	csrrw t4, fflags, zero
	CHECK t4, \expected
.endm

/* As CHECK, with the expected value sign-extended from 32 bits. */
.macro CHECKW r, expected
	li t6, \expected
	sext.w t6, t6
	bne \r, t6, fail
.endm

	TEST_START

	TEST(1)
	FLI fa0, 0x3fc00000	/* 1.5 */
	FLI fa1, 0x40100000	/* 2.25 */
	fadd.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x40700000	/* 3.75 */
	fmul.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x40580000	/* 3.375 */
	fsub.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0xbf400000	/* -0.75 */
	CHECK_FLAGS 0
	TEST(2)
	/* 1/3 is inexact; RDN and RUP differ in the last bit */
	FLI fa0, 0x3f800000
	FLI fa1, 0x40400000
	fdiv.s fa2, fa0, fa1, rdn
	fmv.x.w a0, fa2
	CHECKW a0, 0x3eaaaaaa
	fdiv.s fa2, fa0, fa1, rup
	fmv.x.w a0, fa2
	CHECKW a0, 0x3eaaaaab
	CHECK_FLAGS 1
	/* dynamic rounding from frm */
	csrwi frm, 3
	fdiv.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x3eaaaaab
	csrwi frm, 0
	CHECK_FLAGS 1
	TEST(3)
	/* 1/0 -> +inf with DZ; 0/0 -> canonical NaN with NV */
	fmv.w.x fa3, zero
	fdiv.s fa2, fa0, fa3
	fmv.x.w a0, fa2
	CHECKW a0, 0x7f800000
	CHECK_FLAGS 8
	fdiv.s fa2, fa3, fa3
	fmv.x.w a0, fa2
	CHECKW a0, 0x7fc00000
	CHECK_FLAGS 0x10
	fsqrt.s fa2, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x3fddb3d7
	CHECK_FLAGS 1
	TEST(4)
	/* NaN boxing: an improperly boxed input reads as the canonical NaN */
	li t0, 0x3f800000
	fmv.d.x fa4, t0
	fadd.s fa2, fa4, fa0
	fmv.x.w a0, fa2
	CHECKW a0, 0x7fc00000
	fmv.x.d a0, fa2
	CHECK a0, 0xffffffff7fc00000
	csrw fflags, zero
	TEST(5)
	/* conversions saturate with NV */
	FLI fa0, 0x4f800000	/* 2^32 */
	fcvt.w.s a0, fa0, rtz
	CHECKW a0, 0x7fffffff
	CHECK_FLAGS 0x10
	fcvt.wu.s a0, fa0, rtz
	CHECK a0, -1
	CHECK_FLAGS 0x10
	fcvt.l.s a0, fa0, rtz
	CHECK a0, 0x100000000
	CHECK_FLAGS 0
	FLI fa0, 0xc0200000	/* -2.5 */
	fcvt.w.s a0, fa0, rne
	CHECK a0, -2
	fcvt.w.s a0, fa0, rmm
	CHECK a0, -3
	fcvt.lu.s a0, fa0, rtz
	CHECK a0, 0
	CHECK_FLAGS 0x11
	li a1, -7
	fcvt.s.w fa2, a1
	fmv.x.w a0, fa2
	CHECKW a0, 0xc0e00000
	fcvt.s.lu fa2, a1
	fmv.x.w a0, fa2
	CHECKW a0, 0x5f800000
	CHECK_FLAGS 1
	TEST(6)
	/* sign injection, min/max, compares, fclass */
	FLI fa0, 0x3f800000
	FLI fa1, 0xc0000000
	fsgnj.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0xbf800000
	fsgnjn.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x3f800000
	fsgnjx.s fa2, fa1, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x40000000
	fmin.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0xc0000000
	fmax.s fa2, fa0, fa1
	fmv.x.w a0, fa2
	CHECKW a0, 0x3f800000
	FLI fa3, 0x7fc00000
	fmin.s fa2, fa3, fa0
	fmv.x.w a0, fa2
	CHECKW a0, 0x3f800000
	flt.s a0, fa1, fa0
	CHECK a0, 1
	fle.s a0, fa0, fa1
	CHECK a0, 0
	feq.s a0, fa3, fa3
	CHECK a0, 0
	CHECK_FLAGS 0
	flt.s a0, fa3, fa0
	CHECK_FLAGS 0x10
	fclass.s a0, fa1
	CHECK a0, 0x002
	fclass.s a0, fa3
	CHECK a0, 0x200
	fmv.w.x fa4, zero
	fclass.s a0, fa4
	CHECK a0, 0x010
	TEST(7)
	/* fused multiply-add: one rounding */
	FLI fa0, 0x3f800001	/* 1 + 2^-23 */
	FLI fa1, 0x3f7ffffe	/* 1 - 2^-23 */
	FLI fa2, 0xbf800000	/* -1 */
	fmadd.s fa3, fa0, fa1, fa2
	fmv.x.w a0, fa3
	CHECKW a0, 0xa8800000	/* -2^-46 exactly */
	fnmadd.s fa3, fa0, fa1, fa2
	fmv.x.w a0, fa3
	CHECKW a0, 0x28800000
	fmsub.s fa3, fa0, fa0, fa0
	fnmsub.s fa3, fa0, fa0, fa0
	csrw fflags, zero
	TEST(8)
	/* loads and stores keep the bits, flw NaN-boxes */
	la s0, fbuf
	li t0, 0x12345678
	sw t0, 0(s0)
	flw fa0, 0(s0)
	fmv.x.d a0, fa0
	CHECK a0, 0xffffffff12345678
	fsw fa0, 4(s0)
	lw a0, 4(s0)
	CHECKW a0, 0x12345678
	TEST(9)
	/* reserved rounding mode 5 in the instruction is illegal */
	la t0, trap_rm
	csrw mtvec, t0
	.insn r 0x53, 5, 0, fa0, fa1, fa2	/* fadd.s with rm=5 */
	j fail
	.balign 4
trap_rm:
	csrr t0, mcause
	CHECK t0, 2
	csrr t0, mtval
	CHECK t0, 0x00c5d553
	TEST(10)
	/* reserved frm with DYN is illegal */
	la t0, trap_frm
	csrw mtvec, t0
	csrwi frm, 6
	fadd.s fa0, fa1, fa2
	j fail
	.balign 4
trap_frm:
	csrwi frm, 0
	csrr t0, mcause
	CHECK t0, 2
	TEST(11)
	/* FS=Off makes FP instructions and fcsr illegal; FP writes dirty FS */
	la t0, trap_fs
	csrw mtvec, t0
	li t0, (3 << 13)
	csrc mstatus, t0
	fadd.s fa0, fa1, fa2
	j fail
	.balign 4
trap_fs:
	csrr t0, mcause
	CHECK t0, 2
	li t0, (1 << 13)
	csrs mstatus, t0
	fmv.w.x fa0, zero
	csrr t0, mstatus
	srli t1, t0, 13
	andi t1, t1, 3
	CHECK t1, 3
	bgez t0, fail		/* SD set */
	j pass

	TEST_END

	.data
	.balign 8
fbuf:	.space 16
