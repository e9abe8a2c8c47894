/* SPDX-License-Identifier: MIT */
/* Unit tests of target/riscv/fpu.c: edge cases with answers from the spec. */
#include "target/riscv/fpu-host.h"
#include "target/riscv/fpu.h"
#include "tests/unit/unit.h"

#define S_ONE 0x3f800000u
#define S_TWO 0x40000000u
#define S_HALF 0x3f000000u
#define S_INF 0x7f800000u
#define S_NINF 0xff800000u
#define S_MAX 0x7f7fffffu
#define S_MIN_NORMAL 0x00800000u
#define S_MIN_SUB 0x00000001u
#define S_NZERO 0x80000000u
#define S_SNAN 0x7f800001u
#define S_QNAN_PAYLOAD 0xffc12345u
#define D_ONE 0x3ff0000000000000ull
#define D_INF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_NZERO 0x8000000000000000ull
#define D_SNAN 0x7ff0000000000001ull
#define D_QNAN 0x7ff8000000000000ull
#define D_MAX 0x7fefffffffffffffull

/* Run expr with a fresh flags word and check result and flags, once through
 * the host-FPU fast paths and once in software alone. */
#define CHECK_OP(expr, want, want_flags)               \
	do {                                           \
		for (int pass = 0; pass < 2; pass++) { \
			unsigned flags = 0;            \
			fpu_host_enable(pass == 0);    \
			CHECK_EQ((expr), (want));      \
			CHECK_EQ(flags, (want_flags)); \
		}                                      \
		fpu_host_enable(true);                 \
	} while (0)

TEST(fpu_nan_boxing)
{
	CHECK_EQ(fpu_box_s(S_ONE), 0xffffffff3f800000ull);
	CHECK_EQ(fpu_unbox_s(0xffffffff3f800000ull), S_ONE);
	/* An improperly boxed value reads as the canonical NaN. */
	CHECK_EQ(fpu_unbox_s(0x000000003f800000ull), FPU_CANONICAL_NAN_S);
	CHECK_EQ(fpu_unbox_s(0xfffffffe3f800000ull), FPU_CANONICAL_NAN_S);
}

TEST(fpu_canonical_nan_and_snan)
{
	/* Payloads never propagate; quiet NaNs raise nothing. */
	CHECK_OP(fpu_add_s(S_QNAN_PAYLOAD, S_ONE, FPU_RNE, &flags),
		 FPU_CANONICAL_NAN_S, 0);
	CHECK_OP(fpu_mul_d(D_ONE, 0xfff8000000001234ull, FPU_RNE, &flags),
		 FPU_CANONICAL_NAN_D, 0);
	/* A signalling input raises NV. */
	CHECK_OP(fpu_add_s(S_SNAN, S_ONE, FPU_RNE, &flags), FPU_CANONICAL_NAN_S,
		 FPU_NV);
	CHECK_OP(fpu_sqrt_d(D_SNAN, FPU_RNE, &flags), FPU_CANONICAL_NAN_D,
		 FPU_NV);
	CHECK_OP(fpu_s_to_d(S_SNAN, &flags), FPU_CANONICAL_NAN_D, FPU_NV);
	CHECK_OP(fpu_d_to_s(D_QNAN | 0x1234, FPU_RNE, &flags),
		 FPU_CANONICAL_NAN_S, 0);
	/* Invalid operations produce the canonical NaN. */
	CHECK_OP(fpu_sub_s(S_INF, S_INF, FPU_RNE, &flags), FPU_CANONICAL_NAN_S,
		 FPU_NV);
	CHECK_OP(fpu_mul_d(D_INF, 0, FPU_RNE, &flags), FPU_CANONICAL_NAN_D,
		 FPU_NV);
	CHECK_OP(fpu_div_s(0, S_NZERO, FPU_RNE, &flags), FPU_CANONICAL_NAN_S,
		 FPU_NV);
	CHECK_OP(fpu_div_d(D_INF, D_NINF, FPU_RNE, &flags), FPU_CANONICAL_NAN_D,
		 FPU_NV);
	CHECK_OP(fpu_sqrt_s(0xbf800000u, FPU_RNE, &flags), FPU_CANONICAL_NAN_S,
		 FPU_NV);
	CHECK_OP(fpu_sqrt_d(D_NINF, FPU_RNE, &flags), FPU_CANONICAL_NAN_D,
		 FPU_NV);
}

TEST(fpu_signed_zeros_and_infinities)
{
	CHECK_OP(fpu_add_s(0, S_NZERO, FPU_RNE, &flags), 0, 0);
	CHECK_OP(fpu_add_s(0, S_NZERO, FPU_RDN, &flags), S_NZERO, 0);
	CHECK_OP(fpu_add_s(S_NZERO, S_NZERO, FPU_RNE, &flags), S_NZERO, 0);
	CHECK_OP(fpu_sub_d(D_ONE, D_ONE, FPU_RNE, &flags), 0, 0);
	CHECK_OP(fpu_sub_d(D_ONE, D_ONE, FPU_RDN, &flags), D_NZERO, 0);
	CHECK_OP(fpu_mul_s(S_NZERO, S_ONE, FPU_RNE, &flags), S_NZERO, 0);
	CHECK_OP(fpu_sqrt_s(S_NZERO, FPU_RNE, &flags), S_NZERO, 0);
	CHECK_OP(fpu_sqrt_d(D_INF, FPU_RNE, &flags), D_INF, 0);
	CHECK_OP(fpu_div_s(S_ONE, 0, FPU_RNE, &flags), S_INF, FPU_DZ);
	CHECK_OP(fpu_div_d(D_ONE, D_NZERO, FPU_RNE, &flags), D_NINF, FPU_DZ);
	/* inf / 0 is exact infinity, not a division by zero. */
	CHECK_OP(fpu_div_s(S_INF, 0, FPU_RNE, &flags), S_INF, 0);
	CHECK_OP(fpu_add_d(D_NINF, D_MAX, FPU_RNE, &flags), D_NINF, 0);
}

TEST(fpu_overflow_per_rounding_mode)
{
	CHECK_OP(fpu_mul_s(S_MAX, S_TWO, FPU_RNE, &flags), S_INF,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX, S_TWO, FPU_RMM, &flags), S_INF,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX, S_TWO, FPU_RTZ, &flags), S_MAX,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX, S_TWO, FPU_RDN, &flags), S_MAX,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX, S_TWO, FPU_RUP, &flags), S_INF,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX | 0x80000000u, S_TWO, FPU_RDN, &flags), S_NINF,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MAX | 0x80000000u, S_TWO, FPU_RUP, &flags),
		 S_MAX | 0x80000000u, FPU_OF | FPU_NX);
	CHECK_OP(fpu_add_d(D_MAX, D_MAX, FPU_RTZ, &flags), D_MAX,
		 FPU_OF | FPU_NX);
	CHECK_OP(fpu_d_to_s(D_MAX, FPU_RNE, &flags), S_INF, FPU_OF | FPU_NX);
	/* Exactly representable: no overflow. */
	CHECK_OP(fpu_add_s(S_MAX, 0, FPU_RUP, &flags), S_MAX, 0);
}

TEST(fpu_underflow_and_subnormals)
{
	/* Half the smallest subnormal: a tie. */
	CHECK_OP(fpu_mul_s(S_MIN_SUB, S_HALF, FPU_RNE, &flags), 0,
		 FPU_UF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MIN_SUB, S_HALF, FPU_RMM, &flags), S_MIN_SUB,
		 FPU_UF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MIN_SUB, S_HALF, FPU_RUP, &flags), S_MIN_SUB,
		 FPU_UF | FPU_NX);
	CHECK_OP(fpu_mul_s(S_MIN_SUB | 0x80000000u, S_HALF, FPU_RUP, &flags),
		 S_NZERO, FPU_UF | FPU_NX);
	/* Exact subnormal results raise nothing: UF needs inexact. */
	CHECK_OP(fpu_mul_s(0x00000002u, S_HALF, FPU_RNE, &flags), S_MIN_SUB, 0);
	CHECK_OP(fpu_sub_s(0x00800001u, S_MIN_NORMAL, FPU_RNE, &flags),
		 S_MIN_SUB, 0);
	/* (1 - 2^-24) * 2^-126 is tiny even after rounding with an unbounded
	 * exponent; in the subnormal range it ties and rounds up to 2^-126. */
	CHECK_OP(fpu_mul_s(0x3f7fffffu, S_MIN_NORMAL, FPU_RNE, &flags),
		 S_MIN_NORMAL, FPU_UF | FPU_NX);
	CHECK_OP(fpu_mul_d(0x0010000000000000ull, 0x3fefffffffffffffull,
			   FPU_RNE, &flags),
		 0x0010000000000000ull, FPU_UF | FPU_NX);
	CHECK_OP(fpu_div_d(0x0010000000000000ull, 0x3ff0000000000001ull,
			   FPU_RNE, &flags),
		 0x000fffffffffffffull, FPU_UF | FPU_NX);
	/* (1 - 2^-25) * 2^-126 rounds to 2^-126 with an unbounded exponent:
	 * tininess is detected after rounding, so no underflow in RNE. */
	CHECK_OP(fpu_d_to_s(0x380ffffff0000000ull, FPU_RNE, &flags),
		 S_MIN_NORMAL, FPU_NX);
	CHECK_OP(fpu_d_to_s(0x380ffffff0000000ull, FPU_RTZ, &flags),
		 0x007fffffu, FPU_UF | FPU_NX);
	/* Subnormal singles widen exactly. */
	CHECK_OP(fpu_s_to_d(S_MIN_SUB, &flags), 0x36a0000000000000ull, 0);
	CHECK_OP(fpu_d_to_s(0x36a0000000000000ull, FPU_RNE, &flags), S_MIN_SUB,
		 0);
	CHECK_OP(fpu_div_d(1, 0x4000000000000000ull, FPU_RNE, &flags), 0,
		 FPU_UF | FPU_NX);
}

TEST(fpu_rmm_ties_away)
{
	/* 1 + 2^-24 is halfway between 1 and 1 + 2^-23. */
	CHECK_OP(fpu_add_s(S_ONE, 0x33800000u, FPU_RNE, &flags), S_ONE, FPU_NX);
	CHECK_OP(fpu_add_s(S_ONE, 0x33800000u, FPU_RMM, &flags), 0x3f800001u,
		 FPU_NX);
	CHECK_OP(fpu_add_s(0xbf800000u, 0xb3800000u, FPU_RMM, &flags),
		 0xbf800001u, FPU_NX);
	/* 2.5 and -2.5 to integers. */
	CHECK_OP(fpu_s_to_w(0x40200000u, FPU_RMM, &flags), 3, FPU_NX);
	CHECK_OP(fpu_s_to_w(0x40200000u, FPU_RNE, &flags), 2, FPU_NX);
	CHECK_OP(fpu_s_to_w(0xc0200000u, FPU_RMM, &flags), -3ull, FPU_NX);
	CHECK_OP(fpu_d_to_l(0xc004000000000000ull, FPU_RNE, &flags), -2ull,
		 FPU_NX);
	/* 2^24 + 1 from an integer: a tie in single precision. */
	CHECK_OP(fpu_w_to_s(0x1000001, FPU_RNE, &flags), 0x4b800000u, FPU_NX);
	CHECK_OP(fpu_w_to_s(0x1000001, FPU_RMM, &flags), 0x4b800001u, FPU_NX);
	CHECK_OP(fpu_w_to_s(0x1000001, FPU_RUP, &flags), 0x4b800001u, FPU_NX);
	CHECK_OP(fpu_w_to_s(0x1000001, FPU_RTZ, &flags), 0x4b800000u, FPU_NX);
}

TEST(fpu_to_integer_saturation)
{
	/* The spec's table: NaN and +inf give the largest value. */
	CHECK_OP(fpu_s_to_w(FPU_CANONICAL_NAN_S, FPU_RNE, &flags), 0x7fffffff,
		 FPU_NV);
	CHECK_OP(fpu_s_to_w(S_INF, FPU_RNE, &flags), 0x7fffffff, FPU_NV);
	CHECK_OP(fpu_s_to_w(S_NINF, FPU_RNE, &flags), 0xffffffff80000000ull,
		 FPU_NV);
	CHECK_OP(fpu_s_to_wu(FPU_CANONICAL_NAN_S, FPU_RNE, &flags), ~0ull,
		 FPU_NV);
	CHECK_OP(fpu_s_to_wu(S_NINF, FPU_RNE, &flags), 0, FPU_NV);
	CHECK_OP(fpu_d_to_l(D_QNAN, FPU_RNE, &flags), 0x7fffffffffffffffull,
		 FPU_NV);
	CHECK_OP(fpu_d_to_l(D_NINF, FPU_RNE, &flags), 0x8000000000000000ull,
		 FPU_NV);
	CHECK_OP(fpu_d_to_lu(D_SNAN, FPU_RNE, &flags), ~0ull, FPU_NV);
	CHECK_OP(fpu_d_to_lu(D_NINF, FPU_RNE, &flags), 0, FPU_NV);
	/* Out of range after rounding. */
	CHECK_OP(fpu_d_to_w(0x41dfffffffe00000ull, FPU_RNE, &flags), 0x7fffffff,
		 FPU_NV); /* 2147483647.5 */
	CHECK_OP(fpu_d_to_w(0x41dfffffffe00000ull, FPU_RDN, &flags), 0x7fffffff,
		 FPU_NX);
	CHECK_OP(fpu_d_to_w(0xc1e0000000000000ull, FPU_RNE, &flags),
		 0xffffffff80000000ull, 0); /* -2^31 fits */
	CHECK_OP(fpu_d_to_w(0xc1e0000000200000ull, FPU_RNE, &flags),
		 0xffffffff80000000ull, FPU_NV); /* -2^31 - 1 */
	CHECK_OP(fpu_s_to_l(0x5f000000u, FPU_RNE, &flags),
		 0x7fffffffffffffffull, FPU_NV); /* 2^63 */
	CHECK_OP(fpu_s_to_lu(0x5f800000u, FPU_RNE, &flags), ~0ull,
		 FPU_NV); /* 2^64 */
	CHECK_OP(fpu_s_to_lu(0x5f7fffffu, FPU_RNE, &flags),
		 0xffffff0000000000ull, 0);
	/* Negative to unsigned: NV, unless it rounds to zero (then NX). */
	CHECK_OP(fpu_d_to_wu(0xbff0000000000000ull, FPU_RTZ, &flags), 0,
		 FPU_NV);
	CHECK_OP(fpu_d_to_wu(0xbfe0000000000000ull, FPU_RTZ, &flags), 0,
		 FPU_NX);
	CHECK_OP(fpu_d_to_wu(0xbfe0000000000000ull, FPU_RDN, &flags), 0,
		 FPU_NV);
	/* 32-bit results are sign-extended, unsigned ones included. */
	CHECK_OP(fpu_s_to_w(0xbf800000u, FPU_RNE, &flags), ~0ull, 0);
	CHECK_OP(fpu_d_to_wu(0x41e65a0bc0000000ull, FPU_RNE, &flags),
		 0xffffffffb2d05e00ull, 0); /* 3e9 */
	CHECK_OP(fpu_s_to_w(S_NZERO, FPU_RNE, &flags), 0, 0);
	CHECK_OP(fpu_s_to_w(S_MIN_SUB, FPU_RUP, &flags), 1, FPU_NX);
}

TEST(fpu_truncation_boundaries)
{
	/* RTZ, the C cast: in range truncates with NX, out of range
	 * saturates with NV only. */
	CHECK_OP(fpu_d_to_w(0xc1e00000001ccccdull, FPU_RTZ, &flags),
		 0xffffffff80000000ull, FPU_NX); /* -2147483648.9 */
	CHECK_OP(fpu_d_to_w(0xc1e0000000200000ull, FPU_RTZ, &flags),
		 0xffffffff80000000ull, FPU_NV); /* -2147483649 */
	CHECK_OP(fpu_d_to_w(0x41dfffffffff3333ull, FPU_RTZ, &flags), 0x7fffffff,
		 FPU_NX); /* 2147483647.9875 */
	CHECK_OP(fpu_d_to_w(0x41e0000000000000ull, FPU_RTZ, &flags), 0x7fffffff,
		 FPU_NV); /* 2^31 */
	CHECK_OP(fpu_d_to_wu(0xbfeccccccccccccdull, FPU_RTZ, &flags), 0,
		 FPU_NX); /* -0.9 */
	CHECK_OP(fpu_d_to_wu(0x41efffffffffe666ull, FPU_RTZ, &flags), ~0ull,
		 FPU_NX); /* 4294967295.996875, sign-extended */
	CHECK_OP(fpu_d_to_wu(0x41f0000000000000ull, FPU_RTZ, &flags), ~0ull,
		 FPU_NV); /* 2^32 */
	CHECK_OP(fpu_d_to_l(0xc3e0000000000000ull, FPU_RTZ, &flags),
		 0x8000000000000000ull, 0); /* -2^63 */
	CHECK_OP(fpu_d_to_lu(0x43e0000000000000ull, FPU_RTZ, &flags),
		 0x8000000000000000ull, 0); /* 2^63 */
	CHECK_OP(fpu_d_to_lu(0x43efffffffffffffull, FPU_RTZ, &flags),
		 0xfffffffffffff800ull, 0);
	CHECK_OP(fpu_s_to_l(0xdf000000u, FPU_RTZ, &flags),
		 0x8000000000000000ull, 0); /* -2^63 */
	CHECK_OP(fpu_s_to_w(0x3f7fffffu, FPU_RTZ, &flags), 0, FPU_NX);
	CHECK_OP(fpu_s_to_w(0x80000001u, FPU_RTZ, &flags), 0, FPU_NX);
}

TEST(fpu_from_integer)
{
	/* Only the low 32 bits of the register are the source of .w/.wu. */
	CHECK_OP(fpu_w_to_d(0x1ffffffffull, FPU_RNE, &flags),
		 0xbff0000000000000ull, 0);
	CHECK_OP(fpu_wu_to_d(0x1ffffffffull, FPU_RNE, &flags),
		 0x41efffffffe00000ull, 0);
	CHECK_OP(fpu_l_to_d(0x8000000000000000ull, FPU_RNE, &flags),
		 0xc3e0000000000000ull, 0);
	CHECK_OP(fpu_w_to_s(0, FPU_RDN, &flags), 0, 0);
	CHECK_OP(fpu_lu_to_s(~0ull, FPU_RNE, &flags), 0x5f800000u, FPU_NX);
	CHECK_OP(fpu_lu_to_s(~0ull, FPU_RTZ, &flags), 0x5f7fffffu, FPU_NX);
	CHECK_OP(fpu_l_to_d(0x20000000000001ull, FPU_RMM, &flags),
		 0x4340000000000001ull, FPU_NX);
}

TEST(fpu_min_max)
{
	CHECK_OP(fpu_min_s(0, S_NZERO, &flags), S_NZERO, 0);
	CHECK_OP(fpu_min_s(S_NZERO, 0, &flags), S_NZERO, 0);
	CHECK_OP(fpu_max_s(S_NZERO, 0, &flags), 0, 0);
	CHECK_OP(fpu_max_d(0, D_NZERO, &flags), 0, 0);
	CHECK_OP(fpu_min_d(D_NZERO, 0, &flags), D_NZERO, 0);
	/* One NaN: the other operand; NV only for a signalling NaN. */
	CHECK_OP(fpu_min_s(S_QNAN_PAYLOAD, S_ONE, &flags), S_ONE, 0);
	CHECK_OP(fpu_max_s(S_ONE, S_SNAN, &flags), S_ONE, FPU_NV);
	CHECK_OP(fpu_max_d(D_SNAN, D_NINF, &flags), D_NINF, FPU_NV);
	/* Two NaNs: the canonical NaN. */
	CHECK_OP(fpu_min_s(S_QNAN_PAYLOAD, S_QNAN_PAYLOAD, &flags),
		 FPU_CANONICAL_NAN_S, 0);
	CHECK_OP(fpu_max_d(D_SNAN, D_QNAN, &flags), FPU_CANONICAL_NAN_D,
		 FPU_NV);
	CHECK_OP(fpu_min_d(D_NINF, D_ONE, &flags), D_NINF, 0);
	CHECK_OP(fpu_max_s(0xc0000000u, 0xbf800000u, &flags), 0xbf800000u, 0);
}

TEST(fpu_compare)
{
	CHECK_OP(fpu_eq_s(0, S_NZERO, &flags), 1, 0);
	CHECK_OP(fpu_lt_s(S_NZERO, 0, &flags), 0, 0);
	CHECK_OP(fpu_le_s(S_NZERO, 0, &flags), 1, 0);
	CHECK_OP(fpu_lt_d(D_NINF, D_MAX, &flags), 1, 0);
	CHECK_OP(fpu_lt_s(0xc0000000u, 0xbf800000u, &flags), 1, 0);
	/* feq is quiet: NV only for sNaN; flt and fle signal on any NaN. */
	CHECK_OP(fpu_eq_s(S_QNAN_PAYLOAD, S_QNAN_PAYLOAD, &flags), 0, 0);
	CHECK_OP(fpu_eq_d(D_SNAN, D_ONE, &flags), 0, FPU_NV);
	CHECK_OP(fpu_lt_s(FPU_CANONICAL_NAN_S, S_ONE, &flags), 0, FPU_NV);
	CHECK_OP(fpu_le_d(D_ONE, D_QNAN, &flags), 0, FPU_NV);
}

TEST(fpu_class_every_class)
{
	CHECK_EQ(fpu_class_s(S_NINF), 1u << 0);
	CHECK_EQ(fpu_class_s(0xbf800000u), 1u << 1);
	CHECK_EQ(fpu_class_s(0x80000001u), 1u << 2);
	CHECK_EQ(fpu_class_s(S_NZERO), 1u << 3);
	CHECK_EQ(fpu_class_s(0), 1u << 4);
	CHECK_EQ(fpu_class_s(0x007fffffu), 1u << 5);
	CHECK_EQ(fpu_class_s(S_MIN_NORMAL), 1u << 6);
	CHECK_EQ(fpu_class_s(S_INF), 1u << 7);
	CHECK_EQ(fpu_class_s(S_SNAN), 1u << 8);
	CHECK_EQ(fpu_class_s(0xffc00000u), 1u << 9);
	CHECK_EQ(fpu_class_d(D_NINF), 1u << 0);
	CHECK_EQ(fpu_class_d(0xbff0000000000000ull), 1u << 1);
	CHECK_EQ(fpu_class_d(0x800fffffffffffffull), 1u << 2);
	CHECK_EQ(fpu_class_d(D_NZERO), 1u << 3);
	CHECK_EQ(fpu_class_d(0), 1u << 4);
	CHECK_EQ(fpu_class_d(1), 1u << 5);
	CHECK_EQ(fpu_class_d(D_MAX), 1u << 6);
	CHECK_EQ(fpu_class_d(D_INF), 1u << 7);
	CHECK_EQ(fpu_class_d(0x7ff7ffffffffffffull), 1u << 8);
	CHECK_EQ(fpu_class_d(D_QNAN), 1u << 9);
}

TEST(fpu_fused_multiply_add)
{
	/* One rounding: (1 + 2^-23)(1 - 2^-23) - 1 = -2^-46 exactly, where a
	 * separate multiply would round the product to 1. */
	CHECK_OP(fpu_fma_s(0x3f800001u, 0x3f7ffffeu, 0xbf800000u, false, false,
			   FPU_RNE, &flags),
		 0xa8800000u, 0);
	/* inf * 0 is invalid even with a quiet NaN addend. */
	CHECK_OP(fpu_fma_d(D_INF, 0, D_QNAN, false, false, FPU_RNE, &flags),
		 FPU_CANONICAL_NAN_D, FPU_NV);
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_QNAN_PAYLOAD, false, false, FPU_RNE,
			   &flags),
		 FPU_CANONICAL_NAN_S, 0);
	CHECK_OP(fpu_fma_s(S_INF, S_ONE, S_INF, false, true, FPU_RNE, &flags),
		 FPU_CANONICAL_NAN_S, FPU_NV);
	/* The four sign variants: fmadd, fmsub, fnmsub, fnmadd of 1, 1, 1. */
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_ONE, false, false, FPU_RNE, &flags),
		 S_TWO, 0);
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_ONE, false, true, FPU_RNE, &flags),
		 0, 0);
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_ONE, false, true, FPU_RDN, &flags),
		 S_NZERO, 0);
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_ONE, true, false, FPU_RNE, &flags),
		 0, 0);
	CHECK_OP(fpu_fma_s(S_ONE, S_ONE, S_ONE, true, true, FPU_RNE, &flags),
		 0xc0000000u, 0);
	/* -0 * x + -0 keeps the sign; +0 + -0 is +0 except in RDN. */
	CHECK_OP(fpu_fma_d(D_NZERO, D_ONE, D_NZERO, false, false, FPU_RNE,
			   &flags),
		 D_NZERO, 0);
	CHECK_OP(fpu_fma_d(0, D_ONE, D_NZERO, false, false, FPU_RNE, &flags), 0,
		 0);
	CHECK_OP(fpu_fma_d(0, D_ONE, D_NZERO, false, false, FPU_RDN, &flags),
		 D_NZERO, 0);
	/* A tiny product next to a large addend only makes it inexact. */
	CHECK_OP(fpu_fma_d(1, 1, D_ONE, false, false, FPU_RUP, &flags),
		 D_ONE + 1, FPU_NX);
}
