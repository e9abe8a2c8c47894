/* SPDX-License-Identifier: MIT */
/* RISC-V F and D arithmetic (first cut on the host FPU; RMM approximated). */
#include <fenv.h>
#include <math.h>
#include <string.h>

#include "target/riscv/fpu.h"

static float f32(uint32_t v)
{
	float f;

	memcpy(&f, &v, 4);
	return f;
}

static uint32_t b32(float f)
{
	uint32_t v;

	memcpy(&v, &f, 4);
	return v;
}

static double f64(uint64_t v)
{
	double f;

	memcpy(&f, &v, 8);
	return f;
}

static uint64_t b64(double f)
{
	uint64_t v;

	memcpy(&v, &f, 8);
	return v;
}

static int host_rm(unsigned rm)
{
	switch (rm) {
	case FPU_RTZ:
		return FE_TOWARDZERO;
	case FPU_RDN:
		return FE_DOWNWARD;
	case FPU_RUP:
		return FE_UPWARD;
	default:
		return FE_TONEAREST;
	}
}

static void host_begin(unsigned rm)
{
	feclearexcept(FE_ALL_EXCEPT);
	fesetround(host_rm(rm));
}

static void host_end(unsigned *flags)
{
	int e = fetestexcept(FE_ALL_EXCEPT);

	fesetround(FE_TONEAREST);
	if (e & FE_INEXACT) {
		*flags |= FPU_NX;
	}
	if (e & FE_UNDERFLOW) {
		*flags |= FPU_UF;
	}
	if (e & FE_OVERFLOW) {
		*flags |= FPU_OF;
	}
	if (e & FE_DIVBYZERO) {
		*flags |= FPU_DZ;
	}
	if (e & FE_INVALID) {
		*flags |= FPU_NV;
	}
}

static uint32_t canon_s(float f)
{
	return isnan(f) ? FPU_CANONICAL_NAN_S : b32(f);
}

static uint64_t canon_d(double f)
{
	return isnan(f) ? FPU_CANONICAL_NAN_D : b64(f);
}

#define HOST_OP2(name, type, conv, canon, expr)                           \
	type name(type a, type b, unsigned rm, unsigned *flags)           \
	{                                                                 \
		volatile __typeof__(conv(a)) x = conv(a), y = conv(b), r; \
		host_begin(rm);                                           \
		r = expr;                                                 \
		host_end(flags);                                          \
		return canon(r);                                          \
	}

HOST_OP2(fpu_add_s, uint32_t, f32, canon_s, x + y)
HOST_OP2(fpu_sub_s, uint32_t, f32, canon_s, x - y)
HOST_OP2(fpu_mul_s, uint32_t, f32, canon_s, x *y)
HOST_OP2(fpu_div_s, uint32_t, f32, canon_s, x / y)
HOST_OP2(fpu_add_d, uint64_t, f64, canon_d, x + y)
HOST_OP2(fpu_sub_d, uint64_t, f64, canon_d, x - y)
HOST_OP2(fpu_mul_d, uint64_t, f64, canon_d, x *y)
HOST_OP2(fpu_div_d, uint64_t, f64, canon_d, x / y)

uint32_t fpu_sqrt_s(uint32_t a, unsigned rm, unsigned *flags)
{
	volatile float x = f32(a), r;

	host_begin(rm);
	r = sqrtf(x);
	host_end(flags);
	return canon_s(r);
}

uint64_t fpu_sqrt_d(uint64_t a, unsigned rm, unsigned *flags)
{
	volatile double x = f64(a), r;

	host_begin(rm);
	r = sqrt(x);
	host_end(flags);
	return canon_d(r);
}

uint32_t fpu_fma_s(uint32_t a, uint32_t b, uint32_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags)
{
	volatile float x = f32(a), y = f32(b), z = f32(c), r;

	if (neg_product) {
		x = -x;
	}
	if (neg_addend) {
		z = -z;
	}
	host_begin(rm);
	r = fmaf(x, y, z);
	host_end(flags);
	return canon_s(r);
}

uint64_t fpu_fma_d(uint64_t a, uint64_t b, uint64_t c, bool neg_product,
		   bool neg_addend, unsigned rm, unsigned *flags)
{
	volatile double x = f64(a), y = f64(b), z = f64(c), r;

	if (neg_product) {
		x = -x;
	}
	if (neg_addend) {
		z = -z;
	}
	host_begin(rm);
	r = fma(x, y, z);
	host_end(flags);
	return canon_d(r);
}

static bool snan_s(uint32_t a)
{
	return (a & 0x7fc00000u) == 0x7f800000u && (a & 0x003fffffu);
}

static bool snan_d(uint64_t a)
{
	return (a & 0x7ff8000000000000ull) == 0x7ff0000000000000ull &&
	       (a & 0x0007ffffffffffffull);
}

static bool nan_s(uint32_t a)
{
	return (a & 0x7fffffffu) > 0x7f800000u;
}

static bool nan_d(uint64_t a)
{
	return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

uint32_t fpu_min_s(uint32_t a, uint32_t b, unsigned *flags)
{
	if (snan_s(a) || snan_s(b)) {
		*flags |= FPU_NV;
	}
	if (nan_s(a) && nan_s(b)) {
		return FPU_CANONICAL_NAN_S;
	}
	if (nan_s(a)) {
		return b;
	}
	if (nan_s(b)) {
		return a;
	}
	if (f32(a) == f32(b)) {
		return a | b;
	}
	return f32(a) < f32(b) ? a : b;
}

uint32_t fpu_max_s(uint32_t a, uint32_t b, unsigned *flags)
{
	if (snan_s(a) || snan_s(b)) {
		*flags |= FPU_NV;
	}
	if (nan_s(a) && nan_s(b)) {
		return FPU_CANONICAL_NAN_S;
	}
	if (nan_s(a)) {
		return b;
	}
	if (nan_s(b)) {
		return a;
	}
	if (f32(a) == f32(b)) {
		return a & b;
	}
	return f32(a) > f32(b) ? a : b;
}

uint64_t fpu_min_d(uint64_t a, uint64_t b, unsigned *flags)
{
	if (snan_d(a) || snan_d(b)) {
		*flags |= FPU_NV;
	}
	if (nan_d(a) && nan_d(b)) {
		return FPU_CANONICAL_NAN_D;
	}
	if (nan_d(a)) {
		return b;
	}
	if (nan_d(b)) {
		return a;
	}
	if (f64(a) == f64(b)) {
		return a | b;
	}
	return f64(a) < f64(b) ? a : b;
}

uint64_t fpu_max_d(uint64_t a, uint64_t b, unsigned *flags)
{
	if (snan_d(a) || snan_d(b)) {
		*flags |= FPU_NV;
	}
	if (nan_d(a) && nan_d(b)) {
		return FPU_CANONICAL_NAN_D;
	}
	if (nan_d(a)) {
		return b;
	}
	if (nan_d(b)) {
		return a;
	}
	if (f64(a) == f64(b)) {
		return a & b;
	}
	return f64(a) > f64(b) ? a : b;
}

bool fpu_eq_s(uint32_t a, uint32_t b, unsigned *flags)
{
	if (snan_s(a) || snan_s(b)) {
		*flags |= FPU_NV;
	}
	return f32(a) == f32(b);
}

bool fpu_lt_s(uint32_t a, uint32_t b, unsigned *flags)
{
	if (nan_s(a) || nan_s(b)) {
		*flags |= FPU_NV;
	}
	return f32(a) < f32(b);
}

bool fpu_le_s(uint32_t a, uint32_t b, unsigned *flags)
{
	if (nan_s(a) || nan_s(b)) {
		*flags |= FPU_NV;
	}
	return f32(a) <= f32(b);
}

bool fpu_eq_d(uint64_t a, uint64_t b, unsigned *flags)
{
	if (snan_d(a) || snan_d(b)) {
		*flags |= FPU_NV;
	}
	return f64(a) == f64(b);
}

bool fpu_lt_d(uint64_t a, uint64_t b, unsigned *flags)
{
	if (nan_d(a) || nan_d(b)) {
		*flags |= FPU_NV;
	}
	return f64(a) < f64(b);
}

bool fpu_le_d(uint64_t a, uint64_t b, unsigned *flags)
{
	if (nan_d(a) || nan_d(b)) {
		*flags |= FPU_NV;
	}
	return f64(a) <= f64(b);
}

static unsigned fclass(bool neg, bool exp_zero, bool exp_max, bool frac_zero,
		       bool quiet)
{
	if (exp_max) {
		if (frac_zero) {
			return neg ? 1u << 0 : 1u << 7;
		}
		return quiet ? 1u << 9 : 1u << 8;
	}
	if (exp_zero) {
		if (frac_zero) {
			return neg ? 1u << 3 : 1u << 4;
		}
		return neg ? 1u << 2 : 1u << 5;
	}
	return neg ? 1u << 1 : 1u << 6;
}

unsigned fpu_class_s(uint32_t a)
{
	unsigned e = (a >> 23) & 0xff;

	return fclass(a >> 31, e == 0, e == 0xff, !(a & 0x7fffff),
		      (a >> 22) & 1);
}

unsigned fpu_class_d(uint64_t a)
{
	unsigned e = (a >> 52) & 0x7ff;

	return fclass(a >> 63, e == 0, e == 0x7ff, !(a & 0xfffffffffffffull),
		      (a >> 51) & 1);
}

uint64_t fpu_s_to_d(uint32_t a, unsigned *flags)
{
	volatile float x = f32(a);
	volatile double r;

	host_begin(FPU_RNE);
	r = x;
	host_end(flags);
	return canon_d(r);
}

uint32_t fpu_d_to_s(uint64_t a, unsigned rm, unsigned *flags)
{
	volatile double x = f64(a);
	volatile float r;

	host_begin(rm);
	r = (float)x;
	host_end(flags);
	return canon_s(r);
}

/* Round to an integral double in mode rm, then saturate into [lo, hi]. */
static uint64_t to_int(double x, unsigned rm, double lo, double hi,
		       uint64_t lo_bits, uint64_t hi_bits, unsigned *flags)
{
	volatile double v = x, r;

	if (isnan(x)) {
		*flags |= FPU_NV;
		return hi_bits;
	}
	host_begin(rm);
	r = nearbyint(v);
	fesetround(FE_TONEAREST);
	if (r < lo) {
		*flags |= FPU_NV;
		return lo_bits;
	}
	if (r >= hi) {
		*flags |= FPU_NV;
		return hi_bits;
	}
	if (r != v) {
		*flags |= FPU_NX;
	}
	if (lo < 0) {
		return (uint64_t)(int64_t)r;
	}
	return (uint64_t)r;
}

uint64_t fpu_d_to_w(uint64_t a, unsigned rm, unsigned *flags)
{
	return to_int(f64(a), rm, -2147483648.0, 2147483648.0,
		      (uint64_t)(int64_t)INT32_MIN, INT32_MAX, flags);
}

uint64_t fpu_d_to_wu(uint64_t a, unsigned rm, unsigned *flags)
{
	uint64_t r;

	r = to_int(f64(a), rm, 0.0, 4294967296.0, 0, UINT64_MAX, flags);
	return (uint64_t)(int64_t)(int32_t)(uint32_t)r;
}

uint64_t fpu_d_to_l(uint64_t a, unsigned rm, unsigned *flags)
{
	return to_int(f64(a), rm, -9223372036854775808.0, 9223372036854775808.0,
		      (uint64_t)INT64_MIN, INT64_MAX, flags);
}

uint64_t fpu_d_to_lu(uint64_t a, unsigned rm, unsigned *flags)
{
	return to_int(f64(a), rm, 0.0, 18446744073709551616.0, 0, UINT64_MAX,
		      flags);
}

uint64_t fpu_s_to_w(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_d_to_w(b64(f32(a)), rm, flags);
}

uint64_t fpu_s_to_wu(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_d_to_wu(b64(f32(a)), rm, flags);
}

uint64_t fpu_s_to_l(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_d_to_l(b64(f32(a)), rm, flags);
}

uint64_t fpu_s_to_lu(uint32_t a, unsigned rm, unsigned *flags)
{
	return fpu_d_to_lu(b64(f32(a)), rm, flags);
}

#define HOST_FROM_INT(name, type, conv, itype, bits)        \
	type name(uint64_t a, unsigned rm, unsigned *flags) \
	{                                                   \
		volatile itype x = (itype)a;                \
		volatile __typeof__(conv(0)) r;             \
		host_begin(rm);                             \
		r = x;                                      \
		host_end(flags);                            \
		return bits(r);                             \
	}

HOST_FROM_INT(fpu_w_to_s, uint32_t, f32, int32_t, b32)
HOST_FROM_INT(fpu_wu_to_s, uint32_t, f32, uint32_t, b32)
HOST_FROM_INT(fpu_l_to_s, uint32_t, f32, int64_t, b32)
HOST_FROM_INT(fpu_lu_to_s, uint32_t, f32, uint64_t, b32)
HOST_FROM_INT(fpu_w_to_d, uint64_t, f64, int32_t, b64)
HOST_FROM_INT(fpu_wu_to_d, uint64_t, f64, uint32_t, b64)
HOST_FROM_INT(fpu_l_to_d, uint64_t, f64, int64_t, b64)
HOST_FROM_INT(fpu_lu_to_d, uint64_t, f64, uint64_t, b64)
