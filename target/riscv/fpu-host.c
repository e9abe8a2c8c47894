/* SPDX-License-Identifier: MIT */
/* Host-FPU fast paths for RISC-V F and D: x86-64 SSE with MXCSR flags. */
#include <string.h>

#include "target/riscv/fpu-host.h"
#include "target/riscv/fpu.h"

static bool fpu_host_on = true;

void fpu_host_enable(bool on)
{
	fpu_host_on = on;
}

/*
 * These two are plain C, valid on any host: a C cast truncates, and small
 * integers convert exactly. They sit here so that fpu_host_enable(false)
 * switches them off with the rest.
 */
bool fpu_host_trunc(uint64_t a, bool dbl, bool is_signed, unsigned width,
		    uint64_t *res, unsigned *flags)
{
	uint32_t a32 = (uint32_t)a;
	int64_t r;
	double x;
	float xf;

	if (!fpu_host_on) {
		return false;
	}
	if (dbl) {
		memcpy(&x, &a, 8);
	} else {
		memcpy(&xf, &a32, 4);
		x = xf;
	}
	/* The bounds exclude NaN; anything in them truncates into range
	 * (values ending up at zero from below included: NX only). */
	if (is_signed && width == 32) {
		if (!(x > -2147483649.0 && x < 2147483648.0)) {
			return false;
		}
	} else if (is_signed) {
		if (!(x >= -9223372036854775808.0 &&
		      x < 9223372036854775808.0)) {
			return false;
		}
	} else if (!(x > -1.0 && x < (width == 32 ? 4294967296.0 :
						    9223372036854775808.0))) {
		return false;
	}
	r = (int64_t)x;
	if ((double)r != x) {
		*flags |= FPU_NX;
	}
	*res = (uint64_t)r;
	return true;
}

bool fpu_host_from_int(bool neg, uint64_t mag, bool dbl, uint64_t *res)
{
	uint32_t bits32;
	double d;
	float f;

	if (!fpu_host_on || mag > (dbl ? 1ull << 53 : 1ull << 24)) {
		return false;
	}
	if (dbl) {
		d = neg ? -(double)mag : (double)mag;
		memcpy(res, &d, 8);
	} else {
		f = neg ? -(float)mag : (float)mag;
		memcpy(&bits32, &f, 4);
		*res = bits32;
	}
	return true;
}

#if defined(__x86_64__)

/*
 * SSE rounds like RISC-V in RNE, RTZ, RDN and RUP, detects tininess after
 * rounding and raises underflow (with exceptions masked) only when a tiny
 * result is inexact, as RISC-V does; it raises invalid for signalling NaN
 * operands. It has no RMM, and its NaN results are not canonical (we
 * replace them). With all exceptions masked, no FTZ and no DAZ, MXCSR's
 * sticky flags give fflags directly; the differential test in tests/fpu
 * checks every one of those claims against qemu-riscv64.
 */
#define MXCSR_DEFAULT 0x1f80u /* exceptions masked, RNE, no FTZ or DAZ */

static const uint32_t mxcsr_rc[4] = {
	[FPU_RNE] = 0x0000,
	[FPU_RTZ] = 0x6000,
	[FPU_RDN] = 0x2000,
	[FPU_RUP] = 0x4000,
};

static inline uint32_t mxcsr_read(void)
{
	uint32_t m;

	asm volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static inline void mxcsr_write(uint32_t m)
{
	asm volatile("ldmxcsr %0" : : "m"(m));
}

/* Set the rounding mode and clear the flags (one ldmxcsr at most). */
static inline void host_begin(unsigned rm)
{
	uint32_t want = MXCSR_DEFAULT | mxcsr_rc[rm];

	if (mxcsr_read() != want) {
		mxcsr_write(want);
	}
}

/* The fflags the operation raised; other host code keeps RNE. */
static inline unsigned host_end(unsigned rm)
{
	uint32_t m = mxcsr_read();

	if (rm != FPU_RNE) {
		mxcsr_write(MXCSR_DEFAULT);
	}
	/* IE->NV, ZE->DZ, OE->OF, UE->UF, PE->NX; DE (denormal) has no
	 * RISC-V counterpart. */
	return ((m & 0x01) << 4) | ((m & 0x04) << 1) | ((m & 0x08) >> 1) |
	       ((m & 0x10) >> 3) | ((m & 0x20) >> 5);
}

static bool host_has_fma(void)
{
	static int has = -1;

	if (has < 0) {
		__builtin_cpu_init();
		has = __builtin_cpu_supports("fma") ? 1 : 0;
	}
	return has;
}

/*
 * RNE takes the host's result. In the other modes each operation pays two
 * ldmxcsr (set the mode, restore RNE), which on the machines measured costs
 * more than the software path except for square roots; RMM is software.
 */
static bool host_usable(enum fpu_host_op op, unsigned rm)
{
	if (!fpu_host_on || rm > FPU_RUP) {
		return false;
	}
	if (rm != FPU_RNE && op != FPU_HOST_SQRT) {
		return false;
	}
	return op != FPU_HOST_FMA || host_has_fma();
}

/*
 * Round to nearest without touching MXCSR. This relies on the host thread
 * running in RNE with no FTZ or DAZ: the process starts so, nothing else in
 * mimic changes MXCSR (no fesetround, no -ffast-math), host_end() restores
 * RNE after every other mode, and new threads inherit it. Reading MXCSR to
 * check on every operation would double the cost of an fadd. The result
 * is the host's; whether it is inexact comes from an exact error term, and
 * anything that may underflow, overflow or involve specials is left to the
 * MXCSR path. Singles are computed in double, where products and quotient
 * checks are exact and double rounding is innocuous for +, -, *, / and sqrt
 * (53 >= 2 * 24 + 2).
 */
static double host_fma(double x, double y, double z)
{
	asm("vfmadd213sd %2, %1, %0" : "+x"(x) : "x"(y), "x"(z));
	return x;
}

static double host_sqrt(double x)
{
	asm("sqrtsd %0, %0" : "+x"(x));
	return x;
}

/* The rounding error of x + y (Knuth's TwoSum; exact without overflow). */
static double two_sum_err(double x, double y, double sum)
{
	double yy = sum - x;

	return (x - (sum - yy)) + (y - yy);
}

static bool rne_s(enum fpu_host_op op, uint32_t a, uint32_t b, uint64_t *res,
		  unsigned *flags)
{
	float xf, yf, r;
	double x, y, wide, err = 0;
	uint32_t bits;

	if ((a & 0x7f800000u) == 0x7f800000u ||
	    (b & 0x7f800000u) == 0x7f800000u) {
		return false;
	}
	memcpy(&xf, &a, 4);
	memcpy(&yf, &b, 4);
	x = xf;
	y = yf;
	switch (op) {
	case FPU_HOST_SUB:
		y = -y;
		/* fall through */
	case FPU_HOST_ADD:
		wide = x + y;
		err = two_sum_err(x, y, wide);
		break;
	case FPU_HOST_MUL:
		wide = x * y;
		break;
	case FPU_HOST_DIV:
		if (y == 0) {
			return false;
		}
		wide = x / y;
		break;
	case FPU_HOST_SQRT:
		if (x < 0) {
			return false;
		}
		wide = host_sqrt(x);
		break;
	case FPU_HOST_CVT:
		/* Widening a finite single is exact. */
		memcpy(res, &x, 8);
		return true;
	default:
		return false;
	}
	r = (float)wide;
	/* Tiny means below 2^-126 before rounding: wide is exact or
	 * rounded, so only wide above 2^-126 proves it is not tiny. */
	if (wide != 0 && !(__builtin_fabs(wide) > 0x1p-126 &&
			   __builtin_fabsf(r) <= 0x1.fffffep127f)) {
		return false;
	}
	switch (op) {
	case FPU_HOST_DIV:
		*flags |= (double)r * y != x ? FPU_NX : 0;
		break;
	case FPU_HOST_SQRT:
		*flags |= (double)r * r != x ? FPU_NX : 0;
		break;
	default:
		*flags |= (err != 0 || (double)r != wide) ? FPU_NX : 0;
		break;
	}
	memcpy(&bits, &r, 4);
	*res = bits;
	return true;
}

/* fcvt.s.d: inexact when the single differs; tiny inputs go elsewhere. */
static bool rne_narrow(double x, uint64_t *res, unsigned *flags)
{
	float r = (float)x;
	uint32_t bits;

	if (x != 0 && !(__builtin_fabs(x) > 0x1p-126 &&
			__builtin_fabsf(r) <= 0x1.fffffep127f)) {
		return false;
	}
	*flags |= (double)r != x ? FPU_NX : 0;
	memcpy(&bits, &r, 4);
	*res = bits;
	return true;
}

static bool rne_d(enum fpu_host_op op, uint64_t a, uint64_t b, uint64_t *res,
		  unsigned *flags)
{
	const uint64_t exp_mask = 0x7ff0000000000000ull;
	double x, y, r, err;

	if ((a & exp_mask) == exp_mask || (b & exp_mask) == exp_mask) {
		return false;
	}
	memcpy(&x, &a, 8);
	memcpy(&y, &b, 8);
	switch (op) {
	case FPU_HOST_SUB:
		y = -y;
		/* fall through */
	case FPU_HOST_ADD:
		r = x + y;
		/* A zero sum is exact; so is a subnormal one. */
		if (!(__builtin_fabs(r) <= 0x1.fffffffffffffp1023)) {
			return false;
		}
		err = two_sum_err(x, y, r);
		break;
	case FPU_HOST_MUL:
		r = x * y;
		if (x == 0 || y == 0) {
			err = 0;
			break;
		}
		/* The product's error is representable down to here. */
		if (!(__builtin_fabs(r) >= 0x1p-968 &&
		      __builtin_fabs(r) <= 0x1.fffffffffffffp1023)) {
			return false;
		}
		err = host_fma(x, y, -r);
		break;
	case FPU_HOST_DIV:
		if (y == 0) {
			return false;
		}
		r = x / y;
		if (x == 0) {
			err = 0;
			break;
		}
		if (!(__builtin_fabs(x) >= 0x1p-900 &&
		      __builtin_fabs(r) > 0x1p-1022 &&
		      __builtin_fabs(r) <= 0x1.fffffffffffffp1023)) {
			return false;
		}
		err = host_fma(r, y, -x);
		break;
	case FPU_HOST_SQRT:
		if (x == 0) {
			*res = a;
			return true;
		}
		if (!(x >= 0x1p-900)) {
			return false;
		}
		r = host_sqrt(x);
		err = host_fma(r, r, -x);
		break;
	case FPU_HOST_CVT:
		return rne_narrow(x, res, flags);
	default:
		return false;
	}
	*flags |= err != 0 ? FPU_NX : 0;
	memcpy(res, &r, 8);
	return true;
}

/*
 * Single fused multiply-add: a * b is exact in double and TwoSum gives
 * a * b + c = sum + err exactly; rounding sum to odd (toward zero, then
 * setting the last bit if anything was lost) and then to single gives the
 * correctly rounded result, since 53 >= 24 + 2.
 */
static bool rne_fma_s(uint32_t a, uint32_t b, uint32_t c, uint64_t *res,
		      unsigned *flags)
{
	float xf, yf, zf, r;
	double prod, sum, err, odd;
	uint64_t sum_bits;
	uint32_t bits;

	if ((a & 0x7f800000u) == 0x7f800000u ||
	    (b & 0x7f800000u) == 0x7f800000u ||
	    (c & 0x7f800000u) == 0x7f800000u) {
		return false;
	}
	memcpy(&xf, &a, 4);
	memcpy(&yf, &b, 4);
	memcpy(&zf, &c, 4);
	prod = (double)xf * yf;
	sum = prod + zf;
	err = two_sum_err(prod, zf, sum);
	if (sum != 0 && !(__builtin_fabs(sum) > 0x1p-126)) {
		return false;
	}
	odd = sum;
	if (err != 0) {
		memcpy(&sum_bits, &sum, 8);
		if ((err < 0) != (sum < 0)) {
			sum_bits--;
		}
		sum_bits |= 1;
		memcpy(&odd, &sum_bits, 8);
	}
	r = (float)odd;
	if (!(__builtin_fabsf(r) <= 0x1.fffffep127f)) {
		return false;
	}
	*flags |= (err != 0 || (double)r != sum) ? FPU_NX : 0;
	memcpy(&bits, &r, 4);
	*res = bits;
	return true;
}

/*
 * Double fused multiply-add: the host's r = RN(a * b + c), then an exact
 * test of r == a * b + c. With ph + pl = a * b and s + e1 = ph + c (both
 * exact), a * b + c - r = (s - r) + e1 + pl. When s - r is exact (Sterbenz:
 * s and r within a factor of two; otherwise we fall back), TwoSum gives
 * d + e1 = u + e2, and u + e2 (a non-overlapping pair) equals the double
 * -pl only if e2 == 0 and u == -pl.
 */
static bool rne_fma_d(uint64_t a, uint64_t b, uint64_t c, uint64_t *res,
		      unsigned *flags)
{
	const uint64_t exp_mask = 0x7ff0000000000000ull;
	double x, y, z, r, ph, pl, s, e1, d, u, e2;

	if ((a & exp_mask) == exp_mask || (b & exp_mask) == exp_mask ||
	    (c & exp_mask) == exp_mask) {
		return false;
	}
	memcpy(&x, &a, 8);
	memcpy(&y, &b, 8);
	memcpy(&z, &c, 8);
	r = host_fma(x, y, z);
	ph = x * y;
	/* Keep ph the rounded product: ph + z must not become an FMA. */
	asm("" : "+x"(ph));
	if (!(__builtin_fabs(r) > 0x1p-1022 &&
	      __builtin_fabs(r) <= 0x1.fffffffffffffp1023 &&
	      __builtin_fabs(ph) <= 0x1.fffffffffffffp1023)) {
		return false;
	}
	/* The product's error is representable down to here (a product
	 * that underflows to zero is not exact). */
	if (x != 0 && y != 0 && !(__builtin_fabs(ph) >= 0x1p-968)) {
		return false;
	}
	pl = host_fma(x, y, -ph);
	s = ph + z;
	if (!(__builtin_fabs(s) <= 0x1.fffffffffffffp1023)) {
		return false;
	}
	e1 = two_sum_err(ph, z, s);
	if (s != 0 &&
	    ((s < 0) != (r < 0) || __builtin_fabs(s) > 2 * __builtin_fabs(r) ||
	     __builtin_fabs(r) > 2 * __builtin_fabs(s))) {
		return false;
	}
	d = s - r;
	u = d + e1;
	e2 = two_sum_err(d, e1, u);
	*flags |= (e2 != 0 || u != -pl) ? FPU_NX : 0;
	memcpy(res, &r, 8);
	return true;
}

bool fpu_host_s(enum fpu_host_op op, uint32_t a, uint32_t b, uint32_t c,
		unsigned rm, uint64_t *res, unsigned *flags)
{
	float x, y, z;
	double wide;
	uint32_t bits;
	uint64_t wide_bits;

	if (!host_usable(op, rm)) {
		return false;
	}
	if (rm == FPU_RNE && host_has_fma() &&
	    (op == FPU_HOST_FMA ? rne_fma_s(a, b, c, res, flags) :
				  rne_s(op, a, b, res, flags))) {
		return true;
	}
	if (op == FPU_HOST_FMA && ((a & 0x7f800000u) == 0x7f800000u ||
				   (b & 0x7f800000u) == 0x7f800000u ||
				   (c & 0x7f800000u) == 0x7f800000u)) {
		/* inf * 0 + qNaN must raise NV; leave specials to software. */
		return false;
	}
	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	memcpy(&z, &c, 4);
	host_begin(rm);
	switch (op) {
	case FPU_HOST_ADD:
		asm volatile("addss %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_SUB:
		asm volatile("subss %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_MUL:
		asm volatile("mulss %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_DIV:
		asm volatile("divss %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_SQRT:
		asm volatile("sqrtss %0, %0" : "+x"(x));
		break;
	case FPU_HOST_FMA:
		/* x = x * y + z */
		asm volatile("vfmadd213ss %2, %1, %0"
			     : "+x"(x)
			     : "x"(y), "x"(z));
		break;
	case FPU_HOST_CVT:
		asm volatile("cvtss2sd %1, %0" : "=x"(wide) : "x"(x));
		*flags |= host_end(rm);
		memcpy(&wide_bits, &wide, 8);
		*res = (wide_bits & 0x7fffffffffffffffull) >
				       0x7ff0000000000000ull ?
			       FPU_CANONICAL_NAN_D :
			       wide_bits;
		return true;
	}
	*flags |= host_end(rm);
	memcpy(&bits, &x, 4);
	*res = (bits & 0x7fffffffu) > 0x7f800000u ? FPU_CANONICAL_NAN_S : bits;
	return true;
}

bool fpu_host_d(enum fpu_host_op op, uint64_t a, uint64_t b, uint64_t c,
		unsigned rm, uint64_t *res, unsigned *flags)
{
	const uint64_t exp_mask = 0x7ff0000000000000ull;
	double x, y, z;
	float narrow;
	uint32_t narrow_bits;
	uint64_t bits;

	if (!host_usable(op, rm)) {
		return false;
	}
	if (rm == FPU_RNE && host_has_fma() &&
	    (op == FPU_HOST_FMA ? rne_fma_d(a, b, c, res, flags) :
				  rne_d(op, a, b, res, flags))) {
		return true;
	}
	if (op == FPU_HOST_FMA &&
	    ((a & exp_mask) == exp_mask || (b & exp_mask) == exp_mask ||
	     (c & exp_mask) == exp_mask)) {
		return false;
	}
	memcpy(&x, &a, 8);
	memcpy(&y, &b, 8);
	memcpy(&z, &c, 8);
	host_begin(rm);
	switch (op) {
	case FPU_HOST_ADD:
		asm volatile("addsd %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_SUB:
		asm volatile("subsd %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_MUL:
		asm volatile("mulsd %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_DIV:
		asm volatile("divsd %1, %0" : "+x"(x) : "x"(y));
		break;
	case FPU_HOST_SQRT:
		asm volatile("sqrtsd %0, %0" : "+x"(x));
		break;
	case FPU_HOST_FMA:
		asm volatile("vfmadd213sd %2, %1, %0"
			     : "+x"(x)
			     : "x"(y), "x"(z));
		break;
	case FPU_HOST_CVT:
		asm volatile("cvtsd2ss %1, %0" : "=x"(narrow) : "x"(x));
		*flags |= host_end(rm);
		memcpy(&narrow_bits, &narrow, 4);
		*res = (narrow_bits & 0x7fffffffu) > 0x7f800000u ?
			       FPU_CANONICAL_NAN_S :
			       narrow_bits;
		return true;
	}
	*flags |= host_end(rm);
	memcpy(&bits, &x, 8);
	*res = (bits & ~(1ull << 63)) > exp_mask ? FPU_CANONICAL_NAN_D : bits;
	return true;
}

#else

bool fpu_host_s(enum fpu_host_op op, uint32_t a, uint32_t b, uint32_t c,
		unsigned rm, uint64_t *res, unsigned *flags)
{
	return false;
}

bool fpu_host_d(enum fpu_host_op op, uint64_t a, uint64_t b, uint64_t c,
		unsigned rm, uint64_t *res, unsigned *flags)
{
	return false;
}

#endif
