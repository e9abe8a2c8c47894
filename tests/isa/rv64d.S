/* SPDX-License-Identifier: MIT */
/* D: double arithmetic, conversions between formats and to integers,
 * moves, compares, fma and loads/stores. */
#include "test.S.inc"

.macro DLI fr, bits
	li t5, \bits
	fmv.d.x \fr, t5
.endm

.macro CHECK_FLAGS expected
	csrrw t4, fflags, zero
	CHECK t4, \expected
.endm

	TEST_START

	TEST(1)
	DLI fa0, 0x3ff8000000000000	/* 1.5 */
	DLI fa1, 0x4002000000000000	/* 2.25 */
	fadd.d fa2, fa0, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0x400e000000000000
	fmul.d fa2, fa0, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0x400b000000000000
	fdiv.d fa2, fa1, fa0
	fmv.x.d a0, fa2
	CHECK a0, 0x3ff8000000000000
	fsqrt.d fa2, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0x3ff8000000000000
	CHECK_FLAGS 0
	TEST(2)
	DLI fa0, 0x3ff0000000000000
	DLI fa1, 0x4008000000000000
	fdiv.d fa2, fa0, fa1, rtz
	fmv.x.d a0, fa2
	CHECK a0, 0x3fd5555555555555
	fdiv.d fa2, fa0, fa1, rup
	fmv.x.d a0, fa2
	CHECK a0, 0x3fd5555555555556
	CHECK_FLAGS 1
	TEST(3)
	/* double <-> single */
	fcvt.s.d fa3, fa2
	fmv.x.d a0, fa3
	CHECK a0, 0xffffffff3eaaaaab
	CHECK_FLAGS 1
	fcvt.d.s fa4, fa3
	fmv.x.d a0, fa4
	CHECK a0, 0x3fd5555560000000
	CHECK_FLAGS 0
	DLI fa0, 0x47effffff0000000	/* FLT_MAX + half an ulp: ties to inf */
	fcvt.s.d fa3, fa0, rne
	fmv.x.d a0, fa3
	CHECK a0, 0xffffffff7f800000
	CHECK_FLAGS 5
	TEST(4)
	/* to and from integers */
	DLI fa0, 0xc1e0000000200000	/* -2^31 - 1 */
	fcvt.w.d a0, fa0, rtz
	CHECK a0, -0x80000000
	CHECK_FLAGS 0x10
	fcvt.l.d a0, fa0, rtz
	CHECK a0, -0x80000001
	CHECK_FLAGS 0
	DLI fa0, 0x7ff8000000000000
	fcvt.lu.d a0, fa0
	CHECK a0, -1
	fcvt.wu.d a0, fa0
	CHECK a0, -1
	CHECK_FLAGS 0x10
	li a1, -1
	fcvt.d.lu fa2, a1
	fmv.x.d a0, fa2
	CHECK a0, 0x43f0000000000000
	CHECK_FLAGS 1
	fcvt.d.w fa2, a1
	fmv.x.d a0, fa2
	CHECK a0, 0xbff0000000000000
	fcvt.d.wu fa2, a1
	fmv.x.d a0, fa2
	CHECK a0, 0x41efffffffe00000
	li a1, 0x7fffffffffffffff
	fcvt.d.l fa2, a1, rdn
	fmv.x.d a0, fa2
	CHECK a0, 0x43dfffffffffffff
	CHECK_FLAGS 1
	TEST(5)
	DLI fa0, 0x8000000000000000	/* -0 */
	fmv.d.x fa1, zero		/* +0 */
	fmin.d fa2, fa0, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0x8000000000000000
	fmax.d fa2, fa0, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0
	feq.d a0, fa0, fa1
	CHECK a0, 1
	fle.d a0, fa1, fa0
	CHECK a0, 1
	flt.d a0, fa0, fa1
	CHECK a0, 0
	fclass.d a0, fa0
	CHECK a0, 0x008
	DLI fa3, 0x7ff0000000000001	/* sNaN */
	fclass.d a0, fa3
	CHECK a0, 0x100
	feq.d a0, fa3, fa3
	CHECK_FLAGS 0x10
	fsgnjn.d fa2, fa1, fa1
	fmv.x.d a0, fa2
	CHECK a0, 0x8000000000000000
	fsgnjx.d fa2, fa0, fa0
	fmv.x.d a0, fa2
	CHECK a0, 0
	TEST(6)
	DLI fa0, 0x3ff0000000000001
	DLI fa1, 0x3feffffffffffffe
	DLI fa2, 0xbff0000000000000
	fmadd.d fa3, fa0, fa1, fa2
	fmv.x.d a0, fa3
	CHECK a0, 0xb970000000000000	/* -2^-104 */
	fmsub.d fa3, fa0, fa1, fa2
	fnmsub.d fa3, fa0, fa1, fa2
	fnmadd.d fa3, fa0, fa1, fa2
	fmv.x.d a0, fa3
	CHECK a0, 0x3970000000000000
	csrw fflags, zero
	TEST(7)
	la s0, dbuf
	li t0, 0x0123456789abcdef
	sd t0, 0(s0)
	fld fa0, 0(s0)
	fsd fa0, 8(s0)
	ld a0, 8(s0)
	bne a0, t0, fail
	j pass

	TEST_END

	.data
	.balign 8
dbuf:	.space 16
