/* SPDX-License-Identifier: MIT */
/* RISC-V F and D arithmetic in software: exact bits and fflags in every mode. */
#include <stddef.h>

#include "target/riscv/fpu-soft.h"
#include "target/riscv/fpu.h"

/*
 * Every operation unpacks its operands into a sign, an exponent and a 64-bit
 * significand whose leading one sits at bit 62, computes the exact result
 * (or the result truncated with a sticky bit, enough to round correctly),
 * and rounds it once in fpu_round_pack(). RISC-V detects tininess after
 * rounding and raises underflow only when a tiny result is also inexact.
 */

typedef unsigned __int128 u128;

enum fpu_cls { CLS_ZERO, CLS_FINITE, CLS_INF, CLS_QNAN, CLS_SNAN };

const struct fpu_fmt fpu_fmt_s = { 23, 8, 127 };
const struct fpu_fmt fpu_fmt_d = { 52, 11, 1023 };

/* A finite nonzero value is sig * 2^(exp - 62) with bit 62 of sig set. */
struct fpu_num {
	bool sign;
	enum fpu_cls cls;
	int exp;
	uint64_t sig;
};

static uint64_t fmt_sign_bit(const struct fpu_fmt *f)
{
	return 1ull << (f->frac_bits + f->exp_bits);
}

static uint64_t fmt_inf(const struct fpu_fmt *f, bool sign)
{
	uint64_t exp_max = (1ull << f->exp_bits) - 1;

	return (sign ? fmt_sign_bit(f) : 0) | (exp_max << f->frac_bits);
}

static uint64_t fmt_zero(const struct fpu_fmt *f, bool sign)
{
	return sign ? fmt_sign_bit(f) : 0;
}

static uint64_t fmt_nan(const struct fpu_fmt *f)
{
	return f == &fpu_fmt_s ? FPU_CANONICAL_NAN_S : FPU_CANONICAL_NAN_D;
}

static struct fpu_num fpu_unpack(uint64_t bits, const struct fpu_fmt *f)
{
	struct fpu_num n = { 0 };
	uint64_t frac = bits & ((1ull << f->frac_bits) - 1);
	unsigned exp_max = (1u << f->exp_bits) - 1;
	unsigned e = (bits >> f->frac_bits) & exp_max;
	int shift;

	n.sign = (bits >> (f->frac_bits + f->exp_bits)) & 1;
	if (e == exp_max) {
		if (!frac) {
			n.cls = CLS_INF;
		} else if (frac >> (f->frac_bits - 1)) {
			n.cls = CLS_QNAN;
		} else {
			n.cls = CLS_SNAN;
		}
		return n;
	}
	if (e == 0) {
		if (!frac) {
			n.cls = CLS_ZERO;
			return n;
		}
		n.sig = frac << (62 - f->frac_bits);
		shift = __builtin_clzll(n.sig) - 1;
		n.sig <<= shift;
		n.exp = 1 - f->bias - shift;
	} else {
		n.sig = (frac | (1ull << f->frac_bits)) << (62 - f->frac_bits);
		n.exp = (int)e - f->bias;
	}
	n.cls = CLS_FINITE;
	return n;
}

static bool fpu_is_nan(const struct fpu_num *n)
{
	return n->cls == CLS_QNAN || n->cls == CLS_SNAN;
}

static uint64_t shift_right_jam64(uint64_t v, unsigned n)
{
	if (n == 0) {
		return v;
	}
	if (n >= 64) {
		return v != 0;
	}
	return (v >> n) | ((v & ((1ull << n) - 1)) != 0);
}

static u128 shift_right_jam128(u128 v, unsigned n)
{
	if (n == 0) {
		return v;
	}
	if (n >= 128) {
		return v != 0;
	}
	return (v >> n) | ((v & (((u128)1 << n) - 1)) != 0);
}

/* Whether q (the kept bits) goes up by one, given the dropped bits rem and
 * the weight half of the highest dropped bit. */
static bool fpu_round_up(bool sign, uint64_t q, uint64_t rem, uint64_t half,
			 unsigned rm)
{
	switch (rm) {
	case FPU_RNE:
		return rem > half || (rem == half && (q & 1));
	case FPU_RMM:
		return rem >= half && rem;
	case FPU_RDN:
		return rem && sign;
	case FPU_RUP:
		return rem && !sign;
	default:
		return false;
	}
}

static uint64_t fpu_overflow(const struct fpu_fmt *f, bool sign, unsigned rm,
			     unsigned *flags)
{
	bool to_inf;

	*flags |= FPU_OF | FPU_NX;
	switch (rm) {
	case FPU_RTZ:
		to_inf = false;
		break;
	case FPU_RDN:
		to_inf = sign;
		break;
	case FPU_RUP:
		to_inf = !sign;
		break;
	default:
		to_inf = true;
		break;
	}
	return to_inf ? fmt_inf(f, sign) : fmt_inf(f, sign) - 1;
}

/* Round sig * 2^(exp - 62) (sig nonzero, bit 0 sticky) into format f. */
static uint64_t fpu_round_pack(bool sign, int exp, uint64_t sig,
			       const struct fpu_fmt *f, unsigned rm,
			       unsigned *flags)
{
	unsigned prec = f->frac_bits + 1;
	unsigned drop = 63 - prec;
	int emin = 1 - f->bias;
	uint64_t q, rem, half;
	bool tiny = true;

	if (sig >> 63) {
		sig = shift_right_jam64(sig, 1);
		exp++;
	} else {
		int shift = __builtin_clzll(sig) - 1;

		sig <<= shift;
		exp -= shift;
	}
	if (exp < emin) {
		if (exp == emin - 1) {
			/* Tiny unless rounding with an unbounded exponent
			 * carries up to 2^emin. */
			q = sig >> drop;
			rem = sig & ((1ull << drop) - 1);
			half = 1ull << (drop - 1);
			if (fpu_round_up(sign, q, rem, half, rm) &&
			    ((q + 1) >> prec)) {
				tiny = false;
			}
		}
		drop += emin - exp;
		if (drop > 63) {
			sig = 1;
			drop = 63;
		}
		q = sig >> drop;
		rem = sig & ((1ull << drop) - 1);
		half = 1ull << (drop - 1);
		if (rem) {
			*flags |= tiny ? FPU_NX | FPU_UF : FPU_NX;
		}
		if (fpu_round_up(sign, q, rem, half, rm)) {
			q++;
		}
		/* q == 2^frac_bits encodes the smallest normal by itself. */
		return fmt_zero(f, sign) | q;
	}
	q = sig >> drop;
	rem = sig & ((1ull << drop) - 1);
	half = 1ull << (drop - 1);
	if (fpu_round_up(sign, q, rem, half, rm)) {
		q++;
		if (q >> prec) {
			q >>= 1;
			exp++;
		}
	}
	if (exp > f->bias) {
		return fpu_overflow(f, sign, rm, flags);
	}
	if (rem) {
		*flags |= FPU_NX;
	}
	return fmt_zero(f, sign) +
	       ((uint64_t)(exp + f->bias - 1) << f->frac_bits) + q;
}

/* The NaN result of an operation, raising NV for any signalling input. */
static uint64_t fpu_nan_result(const struct fpu_fmt *f, const struct fpu_num *a,
			       const struct fpu_num *b, unsigned *flags)
{
	if (a->cls == CLS_SNAN || (b && b->cls == CLS_SNAN)) {
		*flags |= FPU_NV;
	}
	return fmt_nan(f);
}

static uint64_t fpu_invalid(const struct fpu_fmt *f, unsigned *flags)
{
	*flags |= FPU_NV;
	return fmt_nan(f);
}

/* The sign of an exact zero sum of operands with opposite signs. */
static bool fpu_zero_sum_sign(unsigned rm)
{
	return rm == FPU_RDN;
}

uint64_t fpu_soft_add(uint64_t a_bits, uint64_t b_bits, bool negate_b,
		      const struct fpu_fmt *f, unsigned rm, unsigned *flags)
{
	struct fpu_num a = fpu_unpack(a_bits, f);
	struct fpu_num b = fpu_unpack(b_bits, f);
	struct fpu_num t;
	uint64_t bsig, sig;
	bool sign;

	if (fpu_is_nan(&a) || fpu_is_nan(&b)) {
		return fpu_nan_result(f, &a, &b, flags);
	}
	b.sign ^= negate_b;
	if (a.cls == CLS_INF || b.cls == CLS_INF) {
		if (a.cls == CLS_INF && b.cls == CLS_INF && a.sign != b.sign) {
			return fpu_invalid(f, flags);
		}
		return fmt_inf(f, a.cls == CLS_INF ? a.sign : b.sign);
	}
	if (a.cls == CLS_ZERO && b.cls == CLS_ZERO) {
		sign = a.sign == b.sign ? a.sign : fpu_zero_sum_sign(rm);
		return fmt_zero(f, sign);
	}
	if (b.cls == CLS_ZERO) {
		return a_bits;
	}
	if (a.cls == CLS_ZERO) {
		return b_bits ^ (negate_b ? fmt_sign_bit(f) : 0);
	}
	if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
		t = a;
		a = b;
		b = t;
	}
	bsig = shift_right_jam64(b.sig, a.exp - b.exp);
	if (a.sign == b.sign) {
		sig = a.sig + bsig;
	} else {
		sig = a.sig - bsig;
		if (!sig) {
			return fmt_zero(f, fpu_zero_sum_sign(rm));
		}
	}
	return fpu_round_pack(a.sign, a.exp, sig, f, rm, flags);
}

uint64_t fpu_soft_mul(uint64_t a_bits, uint64_t b_bits, const struct fpu_fmt *f,
		      unsigned rm, unsigned *flags)
{
	struct fpu_num a = fpu_unpack(a_bits, f);
	struct fpu_num b = fpu_unpack(b_bits, f);
	bool sign = a.sign ^ b.sign;
	u128 prod;
	uint64_t sig;

	if (fpu_is_nan(&a) || fpu_is_nan(&b)) {
		return fpu_nan_result(f, &a, &b, flags);
	}
	if (a.cls == CLS_INF || b.cls == CLS_INF) {
		if (a.cls == CLS_ZERO || b.cls == CLS_ZERO) {
			return fpu_invalid(f, flags);
		}
		return fmt_inf(f, sign);
	}
	if (a.cls == CLS_ZERO || b.cls == CLS_ZERO) {
		return fmt_zero(f, sign);
	}
	prod = (u128)a.sig * b.sig;
	sig = (uint64_t)(prod >> 62) |
	      (((uint64_t)prod & ((1ull << 62) - 1)) != 0);
	return fpu_round_pack(sign, a.exp + b.exp, sig, f, rm, flags);
}

uint64_t fpu_soft_div(uint64_t a_bits, uint64_t b_bits, const struct fpu_fmt *f,
		      unsigned rm, unsigned *flags)
{
	struct fpu_num a = fpu_unpack(a_bits, f);
	struct fpu_num b = fpu_unpack(b_bits, f);
	bool sign = a.sign ^ b.sign;
	u128 num;
	uint64_t q;

	if (fpu_is_nan(&a) || fpu_is_nan(&b)) {
		return fpu_nan_result(f, &a, &b, flags);
	}
	if (a.cls == CLS_INF) {
		if (b.cls == CLS_INF) {
			return fpu_invalid(f, flags);
		}
		return fmt_inf(f, sign);
	}
	if (b.cls == CLS_INF) {
		return fmt_zero(f, sign);
	}
	if (b.cls == CLS_ZERO) {
		if (a.cls == CLS_ZERO) {
			return fpu_invalid(f, flags);
		}
		*flags |= FPU_DZ;
		return fmt_inf(f, sign);
	}
	if (a.cls == CLS_ZERO) {
		return fmt_zero(f, sign);
	}
	/* a.sig / b.sig is in (1/2, 2): the quotient has 62 or 63 bits. */
	num = (u128)a.sig << 62;
	q = (uint64_t)(num / b.sig);
	q |= (num % b.sig) != 0;
	return fpu_round_pack(sign, a.exp - b.exp, q, f, rm, flags);
}

/* floor(sqrt(n)) for 2^124 <= n < 2^126. */
static uint64_t isqrt128(u128 n)
{
	/* The double estimate is within about 2^11 of the root; one Newton
	 * step brings it within one, and the loops make it exact. */
	uint64_t r = (uint64_t)__builtin_sqrt((double)n);

	r = (uint64_t)(((u128)r + n / r) >> 1);
	while ((u128)r * r > n) {
		r--;
	}
	while ((u128)(r + 1) * (r + 1) <= n) {
		r++;
	}
	return r;
}

uint64_t fpu_soft_sqrt(uint64_t a_bits, const struct fpu_fmt *f, unsigned rm,
		       unsigned *flags)
{
	struct fpu_num a = fpu_unpack(a_bits, f);
	u128 n;
	uint64_t r;
	int exp;

	if (fpu_is_nan(&a)) {
		return fpu_nan_result(f, &a, NULL, flags);
	}
	if (a.cls == CLS_ZERO) {
		return a_bits;
	}
	if (a.sign) {
		return fpu_invalid(f, flags);
	}
	if (a.cls == CLS_INF) {
		return a_bits;
	}
	/* Make the exponent even; sqrt(n) then has its top bit at 62. */
	exp = a.exp;
	if (exp & 1) {
		n = (u128)a.sig << 63;
		exp--;
	} else {
		n = (u128)a.sig << 62;
	}
	r = isqrt128(n);
	r |= (u128)r * r != n;
	return fpu_round_pack(false, exp / 2, r, f, rm, flags);
}

/* Special operands of a fused multiply-add; returns true with *res set. */
static bool fpu_fma_special(const struct fpu_num *a, const struct fpu_num *b,
			    const struct fpu_num *c, bool prod_sign,
			    const struct fpu_fmt *f, unsigned rm,
			    uint64_t c_bits, uint64_t *res, unsigned *flags)
{
	bool inf_times_zero = (a->cls == CLS_INF && b->cls == CLS_ZERO) ||
			      (a->cls == CLS_ZERO && b->cls == CLS_INF);

	/* inf * 0 is invalid even when the addend is a quiet NaN. */
	if (inf_times_zero) {
		*res = fpu_nan_result(f, c, NULL, flags);
		*flags |= FPU_NV;
		return true;
	}
	if (fpu_is_nan(a) || fpu_is_nan(b) || fpu_is_nan(c)) {
		if (c->cls == CLS_SNAN) {
			*flags |= FPU_NV;
		}
		*res = fpu_nan_result(f, a, b, flags);
		return true;
	}
	if (a->cls == CLS_INF || b->cls == CLS_INF) {
		if (c->cls == CLS_INF && c->sign != prod_sign) {
			*res = fpu_invalid(f, flags);
		} else {
			*res = fmt_inf(f, prod_sign);
		}
		return true;
	}
	if (c->cls == CLS_INF) {
		*res = fmt_inf(f, c->sign);
		return true;
	}
	if (a->cls == CLS_ZERO || b->cls == CLS_ZERO) {
		if (c->cls == CLS_ZERO) {
			*res = fmt_zero(f, prod_sign == c->sign ?
						   prod_sign :
						   fpu_zero_sum_sign(rm));
		} else {
			*res = c_bits;
		}
		return true;
	}
	return false;
}

uint64_t fpu_soft_fma(uint64_t a_bits, uint64_t b_bits, uint64_t c_bits,
		      bool neg_product, bool neg_addend,
		      const struct fpu_fmt *f, unsigned rm, unsigned *flags)
{
	struct fpu_num a = fpu_unpack(a_bits, f);
	struct fpu_num b = fpu_unpack(b_bits, f);
	struct fpu_num c = fpu_unpack(c_bits, f);
	bool sign = a.sign ^ b.sign ^ neg_product;
	u128 prod, addend, sum;
	uint64_t res, sig;
	int exp, top;

	c.sign ^= neg_addend;
	if (neg_addend) {
		c_bits ^= fmt_sign_bit(f);
	}
	if (fpu_fma_special(&a, &b, &c, sign, f, rm, c_bits, &res, flags)) {
		return res;
	}
	/* Both terms as 128-bit integers scaled by 2^(exp - 124): the product
	 * has its top bit at 124 or 125, the addend at 124. */
	prod = (u128)a.sig * b.sig;
	exp = a.exp + b.exp;
	if (c.cls == CLS_ZERO) {
		addend = 0;
	} else if (c.exp > exp) {
		prod = shift_right_jam128(prod, (unsigned)(c.exp - exp));
		exp = c.exp;
		addend = (u128)c.sig << 62;
	} else {
		addend = shift_right_jam128((u128)c.sig << 62,
					    (unsigned)(exp - c.exp));
	}
	if (sign == c.sign || c.cls == CLS_ZERO) {
		sum = prod + addend;
	} else if (prod >= addend) {
		sum = prod - addend;
	} else {
		sum = addend - prod;
		sign = c.sign;
	}
	if (!sum) {
		return fmt_zero(f, fpu_zero_sum_sign(rm));
	}
	top = 127 - (sum >> 64 ? __builtin_clzll((uint64_t)(sum >> 64)) :
				 64 + __builtin_clzll((uint64_t)sum));
	if (top > 62) {
		sig = (uint64_t)shift_right_jam128(sum, (unsigned)(top - 62));
	} else {
		sig = (uint64_t)sum << (62 - top);
	}
	return fpu_round_pack(sign, exp - 124 + top, sig, f, rm, flags);
}

/* An integer key that orders non-NaN values, with -0 == +0. */
static int64_t fpu_order_key(uint64_t bits, const struct fpu_fmt *f)
{
	uint64_t sign_bit = fmt_sign_bit(f);
	int64_t mag = (int64_t)(bits & (sign_bit - 1));

	return bits & sign_bit ? -mag : mag;
}

/* NaN tests on the raw bits: comparisons need nothing else. */
static bool bits_is_nan(uint64_t bits, const struct fpu_fmt *f)
{
	return (bits & (fmt_sign_bit(f) - 1)) > fmt_inf(f, false);
}

static bool bits_is_snan(uint64_t bits, const struct fpu_fmt *f)
{
	return bits_is_nan(bits, f) && !((bits >> (f->frac_bits - 1)) & 1);
}

uint64_t fpu_soft_minmax(uint64_t a_bits, uint64_t b_bits, bool max,
			 const struct fpu_fmt *f, unsigned *flags)
{
	int64_t ka, kb;

	if (bits_is_snan(a_bits, f) || bits_is_snan(b_bits, f)) {
		*flags |= FPU_NV;
	}
	if (bits_is_nan(a_bits, f)) {
		return bits_is_nan(b_bits, f) ? fmt_nan(f) : b_bits;
	}
	if (bits_is_nan(b_bits, f)) {
		return a_bits;
	}
	ka = fpu_order_key(a_bits, f);
	kb = fpu_order_key(b_bits, f);
	if (ka == kb) {
		/* Only ±0 compare equal with different bits. */
		return max ? a_bits & b_bits : a_bits | b_bits;
	}
	if (max) {
		return ka > kb ? a_bits : b_bits;
	}
	return ka < kb ? a_bits : b_bits;
}

bool fpu_soft_compare(uint64_t a_bits, uint64_t b_bits, enum fpu_soft_cmp cmp,
		      const struct fpu_fmt *f, unsigned *flags)
{
	int64_t ka, kb;

	if (bits_is_nan(a_bits, f) || bits_is_nan(b_bits, f)) {
		if (cmp != FPU_CMP_EQ || bits_is_snan(a_bits, f) ||
		    bits_is_snan(b_bits, f)) {
			*flags |= FPU_NV;
		}
		return false;
	}
	ka = fpu_order_key(a_bits, f);
	kb = fpu_order_key(b_bits, f);
	switch (cmp) {
	case FPU_CMP_EQ:
		return ka == kb;
	case FPU_CMP_LT:
		return ka < kb;
	default:
		return ka <= kb;
	}
}

unsigned fpu_soft_class(uint64_t bits, const struct fpu_fmt *f)
{
	struct fpu_num n = fpu_unpack(bits, f);
	bool subnormal = n.cls == CLS_FINITE && n.exp < 1 - f->bias;

	switch (n.cls) {
	case CLS_INF:
		return n.sign ? 1u << 0 : 1u << 7;
	case CLS_ZERO:
		return n.sign ? 1u << 3 : 1u << 4;
	case CLS_SNAN:
		return 1u << 8;
	case CLS_QNAN:
		return 1u << 9;
	default:
		if (subnormal) {
			return n.sign ? 1u << 2 : 1u << 5;
		}
		return n.sign ? 1u << 1 : 1u << 6;
	}
}

/* Between formats; the value is exact or rounded once. */
uint64_t fpu_soft_convert(uint64_t bits, const struct fpu_fmt *from,
			  const struct fpu_fmt *to, unsigned rm,
			  unsigned *flags)
{
	struct fpu_num n = fpu_unpack(bits, from);

	switch (n.cls) {
	case CLS_QNAN:
	case CLS_SNAN:
		return fpu_nan_result(to, &n, NULL, flags);
	case CLS_INF:
		return fmt_inf(to, n.sign);
	case CLS_ZERO:
		return fmt_zero(to, n.sign);
	default:
		return fpu_round_pack(n.sign, n.exp, n.sig, to, rm, flags);
	}
}

/* To a width-bit integer, saturating as the spec's table says. */
uint64_t fpu_soft_to_int(uint64_t bits, const struct fpu_fmt *f, unsigned rm,
			 bool is_signed, unsigned width, unsigned *flags)
{
	struct fpu_num n = fpu_unpack(bits, f);
	uint64_t umax = width == 64 ? UINT64_MAX : (1ull << width) - 1;
	uint64_t max = is_signed ? umax >> 1 : umax;
	uint64_t min = is_signed ? ~(umax >> 1) : 0;
	uint64_t q = 0, rem = 0, res;
	unsigned shift;

	if (fpu_is_nan(&n)) {
		*flags |= FPU_NV;
		return max;
	}
	if (n.cls == CLS_ZERO) {
		return 0;
	}
	if (n.cls == CLS_INF || n.exp >= 64) {
		*flags |= FPU_NV;
		return n.sign ? min : max;
	}
	if (n.exp >= 62) {
		q = n.sig << (n.exp - 62);
	} else {
		shift = 62 - n.exp;
		if (shift > 63) {
			rem = 1;
		} else {
			q = n.sig >> shift;
			rem = n.sig & ((1ull << shift) - 1);
		}
		if (fpu_round_up(n.sign, q, rem,
				 1ull << (shift > 63 ? 62 : shift - 1), rm)) {
			q++;
		}
	}
	if (n.sign) {
		/* The magnitude limit below zero is -min (2^(w-1), or 0). */
		if (q > (is_signed ? max + 1 : 0)) {
			*flags |= FPU_NV;
			return min;
		}
		res = -q;
	} else {
		if (q > max) {
			*flags |= FPU_NV;
			return max;
		}
		res = q;
	}
	if (rem) {
		*flags |= FPU_NX;
	}
	return res;
}

uint64_t fpu_soft_from_int(bool sign, uint64_t mag, const struct fpu_fmt *f,
			   unsigned rm, unsigned *flags)
{
	if (!mag) {
		return 0;
	}
	return fpu_round_pack(sign, 62, mag, f, rm, flags);
}
