/* SPDX-License-Identifier: MIT */
/* The host half of the FPU differential test: generates operand records and
 * compares the oracle's answers (real instructions under qemu-riscv64) with
 * target/riscv/fpu.c's. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target/riscv/fpu-host.h"
#include "target/riscv/fpu.h"
#include "util/types.h"
#include "tests/fpu/fpu-ops.h"

#define FPU_OP_NAME(id, kind, mnem, src, dst) [OP_##id] = mnem,
static const char *const op_names[OP_COUNT] = { FPU_OPS(FPU_OP_NAME) };
#undef FPU_OP_NAME

enum operand_fmt { FMT_S, FMT_D, FMT_I };

#define FPU_OP_SRC(id, kind, mnem, src, dst) [OP_##id] = FMT_##src,
static const enum operand_fmt op_src[OP_COUNT] = { FPU_OPS(FPU_OP_SRC) };
#undef FPU_OP_SRC

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

struct fmt_info {
	unsigned frac_bits;
	unsigned exp_bits;
	int bias;
};

static const struct fmt_info info_s = { 23, 8, 127 };
static const struct fmt_info info_d = { 52, 11, 1023 };

static uint64_t make(const struct fmt_info *f, bool sign, uint64_t exp,
		     uint64_t frac)
{
	uint64_t exp_max = (1ull << f->exp_bits) - 1;

	return ((uint64_t)sign << (f->frac_bits + f->exp_bits)) |
	       ((exp & exp_max) << f->frac_bits) |
	       (frac & ((1ull << f->frac_bits) - 1));
}

static uint64_t rnd_frac(const struct fmt_info *f)
{
	uint64_t frac = rnd();

	switch (rnd_below(4)) {
	case 0:
		/* A short significand: products and sums of these often
		 * land exactly on or next to a rounding boundary. */
		frac &= ~0ull << (f->frac_bits - rnd_below(f->frac_bits));
		break;
	case 1:
		/* All ones at the bottom. */
		frac |= (1ull << rnd_below(f->frac_bits)) - 1;
		break;
	default:
		break;
	}
	return frac;
}

/* Values every conversion should meet: integer limits and their
 * neighbours, as doubles (converted to singles by the caller). */
static const double int_edges[] = {
	0.5,
	1.0,
	1.5,
	2.5,
	2147483647.0,
	2147483648.0,
	4294967295.0,
	4294967296.0,
	9223372036854775807.0,
	18446744073709551615.0,
	16777216.0,
	9007199254740992.0,
	2147483647.5,
};

static uint64_t special(const struct fmt_info *f)
{
	uint64_t exp_max = (1ull << f->exp_bits) - 1;
	bool sign = rnd() & 1;

	switch (rnd_below(10)) {
	case 0:
		return make(f, sign, 0, 0);
	case 1:
		return make(f, sign, exp_max, 0);
	case 2:
		/* Quiet NaN, canonical or with a payload and either sign. */
		return make(f, sign, exp_max,
			    (1ull << (f->frac_bits - 1)) |
				    (rnd() & 1 ? rnd() : 0));
	case 3:
		/* Signalling NaN. */
		return make(f, sign, exp_max,
			    (rnd() & ((1ull << (f->frac_bits - 1)) - 1)) | 1);
	case 4:
		return make(f, sign, 0, 1);
	case 5:
		return make(f, sign, 0, ~0ull);
	case 6:
		return make(f, sign, 1, rnd() & 1 ? 0 : rnd());
	case 7:
		return make(f, sign, exp_max - 1, ~0ull);
	case 8:
		return make(f, sign, f->bias, 0);
	default:
		return make(f, sign, f->bias + rnd_below(3) - 1, 0);
	}
}

static uint64_t bits_of(const struct fmt_info *f, double d)
{
	uint64_t bits;
	uint32_t b32;
	float s;

	if (f == &info_s) {
		s = (float)d;
		memcpy(&b32, &s, 4);
		return b32;
	}
	memcpy(&bits, &d, 8);
	return bits;
}

static double value_of(const struct fmt_info *f, uint64_t bits)
{
	uint32_t b32 = (uint32_t)bits;
	double d;
	float s;

	if (f == &info_s) {
		memcpy(&s, &b32, 4);
		return s;
	}
	memcpy(&d, &bits, 8);
	return d;
}

/* Near an integer limit, or a random integer or half-integer. */
static uint64_t near_integer(const struct fmt_info *f)
{
	double d = int_edges[rnd_below(ARRAY_SIZE(int_edges))];
	uint64_t bits;

	if (rnd() & 1) {
		d = (double)(int64_t)(rnd() >> rnd_below(64)) / 2.0;
	}
	if (rnd() & 1) {
		d = -d;
	}
	bits = bits_of(f, d);
	/* A few ulps either side. */
	if ((bits << 1) && (rnd() & 1)) {
		bits += rnd_below(5) - 2;
	}
	return bits;
}

/* An operand for format f; related (if not zero) is another operand of the
 * same operation, so that sums cancel and exponents line up. */
static uint64_t gen_float(const struct fmt_info *f, uint64_t related)
{
	uint64_t exp_max = (1ull << f->exp_bits) - 1;
	uint64_t rel_exp = (related >> f->frac_bits) & exp_max;
	bool sign = rnd() & 1;
	int64_t exp;

	switch (rnd_below(12)) {
	case 0:
	case 1:
		return special(f);
	case 2:
		return rnd();
	case 3:
		return make(f, sign, rnd(), rnd_frac(f));
	case 4:
	case 5:
		/* Around 1.0. */
		return make(f, sign, f->bias + rnd_below(40) - 20, rnd_frac(f));
	case 6:
		/* Tiny: subnormal, or normal results that may round down
		 * into the subnormal range. */
		return make(f, sign, rnd_below(f->frac_bits + 3), rnd_frac(f));
	case 7:
		/* Huge. */
		return make(f, sign, exp_max - 1 - rnd_below(f->frac_bits + 3),
			    rnd_frac(f));
	case 8:
		return near_integer(f);
	case 9:
		/* The related value (or its negation) give or take a few
		 * ulps: cancellation. */
		return (related ^
			((uint64_t)sign << (f->frac_bits + f->exp_bits))) +
		       rnd_below(9) - 4;
	case 10:
		/* Exponent a little below the related value's: alignment
		 * shifts around the precision, ties in sums. */
		exp = (int64_t)rel_exp - (int64_t)rnd_below(f->frac_bits + 5);
		return make(f, sign, exp < 0 ? 0 : (uint64_t)exp, rnd_frac(f));
	default:
		/* Also from the related value's side of the exponent range,
		 * so that products and quotients over- and underflow. */
		exp = (int64_t)exp_max - (int64_t)rel_exp +
		      (int64_t)rnd_below(9) - 4 + (rnd() & 1 ? 0 : -f->bias);
		if (exp <= 0 || exp >= (int64_t)exp_max) {
			exp = (int64_t)rnd_below(exp_max);
		}
		return make(f, sign, (uint64_t)exp, rnd_frac(f));
	}
}

/* A register value for fcvt.*.w/l: the whole 64 bits matter. */
static uint64_t gen_int(void)
{
	static const uint64_t edges[] = {
		0,
		1,
		0x7fffffff,
		0x80000000,
		0xffffffff,
		0x7fffffffffffffffull,
		0x8000000000000000ull,
		0xffffffffffffffffull,
		0x1000001,
		0x20000000000001ull,
	};
	uint64_t v;

	switch (rnd_below(6)) {
	case 0:
		v = edges[rnd_below(ARRAY_SIZE(edges))];
		return rnd() & 1 ? v : v + rnd_below(5) - 2;
	case 1:
		return rnd();
	case 2:
		/* Sign-extended 32-bit values. */
		return (uint64_t)(int64_t)(int32_t)rnd();
	case 3:
		/* Few significant bits at a random position: ties. */
		v = (rnd() & 0xfff) | 1;
		return (v << rnd_below(53)) | (rnd() & 1);
	default:
		return rnd() >> rnd_below(64);
	}
}

static uint64_t gen_operand(enum operand_fmt fmt, uint64_t related)
{
	uint64_t v;

	switch (fmt) {
	case FMT_S:
		v = gen_float(&info_s, related) & 0xffffffffu;
		/* Mostly NaN-boxed; sometimes not, which reads as the
		 * canonical NaN. */
		if (rnd_below(50)) {
			return fpu_box_s((uint32_t)v);
		}
		return v | (rnd() << 32);
	case FMT_D:
		return gen_float(&info_d, related);
	default:
		return gen_int();
	}
}

/* For fused multiply-adds, an addend close to minus the product. */
static uint64_t gen_addend(enum operand_fmt fmt, uint64_t a, uint64_t b)
{
	const struct fmt_info *f = fmt == FMT_S ? &info_s : &info_d;
	double prod;

	if (rnd_below(3)) {
		return gen_operand(fmt, a);
	}
	prod = value_of(f, a) * value_of(f, b);
	return gen_operand(fmt, bits_of(f, rnd() & 1 ? prod : -prod));
}

/* Records for every operation, or only for the n named ones (mnemonics,
 * for a focused stress run). */
static int generate(uint64_t seed, uint64_t count, char **only, int n)
{
	uint32_t ops[OP_COUNT];
	unsigned n_ops = 0, op;
	struct fpu_test_rec rec;
	uint64_t i;
	int j;

	for (op = 0; op < OP_COUNT; op++) {
		for (j = 0; j < n && strcmp(only[j], op_names[op]); j++) {
		}
		if (n == 0 || j < n) {
			ops[n_ops++] = op;
		}
	}
	if (!n_ops) {
		fprintf(stderr, "fpu-check: no such operation\n");
		return 2;
	}

	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	for (i = 0; i < count; i++) {
		enum operand_fmt src;

		rec.op = ops[rnd_below(n_ops)];
		rec.rm = (uint32_t)rnd_below(5);
		if (rnd_below(4) == 0) {
			rec.rm |= FPU_TEST_DYN;
		}
		src = op_src[rec.op];
		rec.a = gen_operand(src, 0);
		rec.b = gen_operand(src,
				    src == FMT_S ? (uint32_t)rec.a : rec.a);
		if (src == FMT_I) {
			rec.c = 0;
		} else {
			rec.c = gen_addend(src, rec.a, rec.b);
		}
		if (fwrite(&rec, sizeof(rec), 1, stdout) != 1) {
			perror("fpu-check: write");
			return 1;
		}
	}
	return fflush(stdout) ? 1 : 0;
}

/* Sign injection, moves, loads and stores are the interpreter's, not
 * fpu.c's: the spec's answers, for the end-to-end run under mimic-riscv64.
 * Sign injection reads NaN-boxed singles (an unboxed one is the canonical
 * NaN); moves and stores take the register's bits as they are. */
static uint64_t moves(uint32_t op, uint64_t a, uint64_t b)
{
	uint32_t as = fpu_unbox_s(a), bs = fpu_unbox_s(b);
	const uint32_t s_sign = 0x80000000u;
	const uint64_t d_sign = 1ull << 63;

	switch ((enum fpu_test_op)op) {
	case OP_FSGNJ_S:
		return fpu_box_s((as & ~s_sign) | (bs & s_sign));
	case OP_FSGNJN_S:
		return fpu_box_s((as & ~s_sign) | (~bs & s_sign));
	case OP_FSGNJX_S:
		return fpu_box_s(as ^ (bs & s_sign));
	case OP_FSGNJ_D:
		return (a & ~d_sign) | (b & d_sign);
	case OP_FSGNJN_D:
		return (a & ~d_sign) | (~b & d_sign);
	case OP_FSGNJX_D:
		return a ^ (b & d_sign);
	case OP_FMV_X_W:
		return (uint64_t)(int64_t)(int32_t)(uint32_t)a;
	case OP_FMV_W_X:
	case OP_FLW:
		return fpu_box_s((uint32_t)a);
	case OP_FMV_X_D:
	case OP_FMV_D_X:
		return a;
	case OP_FSW:
		return (uint32_t)a;
	default:
		return 0;
	}
}

/* Our answer to one record, in the oracle's terms: single results NaN-boxed,
 * integer results as the whole register. */
static struct fpu_test_ans ours(const struct fpu_test_rec *rec)
{
	unsigned rm = rec->rm & 7, fl = 0;
	uint32_t as = fpu_unbox_s(rec->a), bs = fpu_unbox_s(rec->b);
	uint32_t cs = fpu_unbox_s(rec->c);
	uint64_t a = rec->a, b = rec->b, c = rec->c, r = 0;
	struct fpu_test_ans ans;

	switch ((enum fpu_test_op)rec->op) {
	case OP_FADD_S:
		r = fpu_box_s(fpu_add_s(as, bs, rm, &fl));
		break;
	case OP_FSUB_S:
		r = fpu_box_s(fpu_sub_s(as, bs, rm, &fl));
		break;
	case OP_FMUL_S:
		r = fpu_box_s(fpu_mul_s(as, bs, rm, &fl));
		break;
	case OP_FDIV_S:
		r = fpu_box_s(fpu_div_s(as, bs, rm, &fl));
		break;
	case OP_FSQRT_S:
		r = fpu_box_s(fpu_sqrt_s(as, rm, &fl));
		break;
	case OP_FMADD_S:
		r = fpu_box_s(fpu_fma_s(as, bs, cs, false, false, rm, &fl));
		break;
	case OP_FMSUB_S:
		r = fpu_box_s(fpu_fma_s(as, bs, cs, false, true, rm, &fl));
		break;
	case OP_FNMSUB_S:
		r = fpu_box_s(fpu_fma_s(as, bs, cs, true, false, rm, &fl));
		break;
	case OP_FNMADD_S:
		r = fpu_box_s(fpu_fma_s(as, bs, cs, true, true, rm, &fl));
		break;
	case OP_FMIN_S:
		r = fpu_box_s(fpu_min_s(as, bs, &fl));
		break;
	case OP_FMAX_S:
		r = fpu_box_s(fpu_max_s(as, bs, &fl));
		break;
	case OP_FEQ_S:
		r = fpu_eq_s(as, bs, &fl);
		break;
	case OP_FLT_S:
		r = fpu_lt_s(as, bs, &fl);
		break;
	case OP_FLE_S:
		r = fpu_le_s(as, bs, &fl);
		break;
	case OP_FCLASS_S:
		r = fpu_class_s(as);
		break;
	case OP_FCVT_W_S:
		r = fpu_s_to_w(as, rm, &fl);
		break;
	case OP_FCVT_WU_S:
		r = fpu_s_to_wu(as, rm, &fl);
		break;
	case OP_FCVT_L_S:
		r = fpu_s_to_l(as, rm, &fl);
		break;
	case OP_FCVT_LU_S:
		r = fpu_s_to_lu(as, rm, &fl);
		break;
	case OP_FCVT_S_W:
		r = fpu_box_s(fpu_w_to_s(a, rm, &fl));
		break;
	case OP_FCVT_S_WU:
		r = fpu_box_s(fpu_wu_to_s(a, rm, &fl));
		break;
	case OP_FCVT_S_L:
		r = fpu_box_s(fpu_l_to_s(a, rm, &fl));
		break;
	case OP_FCVT_S_LU:
		r = fpu_box_s(fpu_lu_to_s(a, rm, &fl));
		break;
	case OP_FCVT_S_D:
		r = fpu_box_s(fpu_d_to_s(a, rm, &fl));
		break;
	case OP_FCVT_D_S:
		r = fpu_s_to_d(as, &fl);
		break;
	case OP_FADD_D:
		r = fpu_add_d(a, b, rm, &fl);
		break;
	case OP_FSUB_D:
		r = fpu_sub_d(a, b, rm, &fl);
		break;
	case OP_FMUL_D:
		r = fpu_mul_d(a, b, rm, &fl);
		break;
	case OP_FDIV_D:
		r = fpu_div_d(a, b, rm, &fl);
		break;
	case OP_FSQRT_D:
		r = fpu_sqrt_d(a, rm, &fl);
		break;
	case OP_FMADD_D:
		r = fpu_fma_d(a, b, c, false, false, rm, &fl);
		break;
	case OP_FMSUB_D:
		r = fpu_fma_d(a, b, c, false, true, rm, &fl);
		break;
	case OP_FNMSUB_D:
		r = fpu_fma_d(a, b, c, true, false, rm, &fl);
		break;
	case OP_FNMADD_D:
		r = fpu_fma_d(a, b, c, true, true, rm, &fl);
		break;
	case OP_FMIN_D:
		r = fpu_min_d(a, b, &fl);
		break;
	case OP_FMAX_D:
		r = fpu_max_d(a, b, &fl);
		break;
	case OP_FEQ_D:
		r = fpu_eq_d(a, b, &fl);
		break;
	case OP_FLT_D:
		r = fpu_lt_d(a, b, &fl);
		break;
	case OP_FLE_D:
		r = fpu_le_d(a, b, &fl);
		break;
	case OP_FCLASS_D:
		r = fpu_class_d(a);
		break;
	case OP_FCVT_W_D:
		r = fpu_d_to_w(a, rm, &fl);
		break;
	case OP_FCVT_WU_D:
		r = fpu_d_to_wu(a, rm, &fl);
		break;
	case OP_FCVT_L_D:
		r = fpu_d_to_l(a, rm, &fl);
		break;
	case OP_FCVT_LU_D:
		r = fpu_d_to_lu(a, rm, &fl);
		break;
	case OP_FCVT_D_W:
		r = fpu_w_to_d(a, rm, &fl);
		break;
	case OP_FCVT_D_WU:
		r = fpu_wu_to_d(a, rm, &fl);
		break;
	case OP_FCVT_D_L:
		r = fpu_l_to_d(a, rm, &fl);
		break;
	case OP_FCVT_D_LU:
		r = fpu_lu_to_d(a, rm, &fl);
		break;
	default:
		r = moves(rec->op, a, b);
		break;
	}
	ans.result = r;
	ans.fflags = fl;
	return ans;
}

static const char *const rm_names[8] = { "rne", "rtz", "rdn", "rup", "rmm" };

static void print_mismatch(const struct fpu_test_rec *rec,
			   const struct fpu_test_ans *want,
			   const struct fpu_test_ans *got)
{
	printf("MISMATCH %-10s %s%s a=%016" PRIx64 " b=%016" PRIx64
	       " c=%016" PRIx64 ": qemu %016" PRIx64 " fflags %02" PRIx64
	       ", mimic %016" PRIx64 " fflags %02" PRIx64 "\n",
	       op_names[rec->op],
	       rm_names[rec->rm & 7] ? rm_names[rec->rm & 7] : "rm?",
	       rec->rm & FPU_TEST_DYN ? "(dyn)" : "", rec->a, rec->b, rec->c,
	       want->result, want->fflags, got->result, got->fflags);
}

static FILE *open_or_die(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "fpu-check: %s: %s\n", path, strerror(errno));
	}
	return f;
}

/* One pass over the records; returns the number of mismatches. */
static uint64_t compare_pass(FILE *recs, FILE *answers, const char *label,
			     uint64_t *checked)
{
	struct fpu_test_rec rec;
	struct fpu_test_ans want, got;
	uint64_t bad = 0;

	*checked = 0;
	rewind(recs);
	rewind(answers);
	while (fread(&rec, sizeof(rec), 1, recs) == 1) {
		if (fread(&want, sizeof(want), 1, answers) != 1) {
			fprintf(stderr,
				"fpu-check: the oracle answered only "
				"%" PRIu64 " records\n",
				*checked);
			return bad + 1;
		}
		if (rec.op >= OP_COUNT) {
			continue;
		}
		got = ours(&rec);
		++*checked;
		if (got.result != want.result || got.fflags != want.fflags) {
			if (++bad <= 20) {
				printf("%s: ", label);
				print_mismatch(&rec, &want, &got);
			}
		}
	}
	printf("%s: checked %" PRIu64 " operations, %" PRIu64 " mismatches\n",
	       label, *checked, bad);
	return bad;
}

/* Every record is checked twice: through the host-FPU fast paths, and in
 * software alone (which is what RMM and the special cases always use). */
static int compare(const char *rec_path, const char *ans_path)
{
	FILE *recs = open_or_die(rec_path), *answers = open_or_die(ans_path);
	uint64_t per_op[OP_COUNT] = { 0 }, checked, bad;
	struct fpu_test_rec rec;
	unsigned i;

	if (!recs || !answers) {
		return 2;
	}
	while (fread(&rec, sizeof(rec), 1, recs) == 1) {
		if (rec.op < OP_COUNT) {
			per_op[rec.op]++;
		}
	}
	fpu_host_enable(true);
	bad = compare_pass(recs, answers, "host+soft", &checked);
	fpu_host_enable(false);
	bad += compare_pass(recs, answers, "soft only", &checked);
	fpu_host_enable(true);
	printf("checked %" PRIu64
	       " operations (each through both paths), %" PRIu64
	       " mismatches\n",
	       checked, bad);
	for (i = 0; i < OP_COUNT; i++) {
		if (!per_op[i]) {
			printf("op %s was never checked\n", op_names[i]);
			bad++;
		}
	}
	fclose(recs);
	fclose(answers);
	return bad ? 1 : 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_op(const void *a, const void *b)
{
	const struct fpu_test_rec *x = a, *y = b;

	return (x->op > y->op) - (x->op < y->op);
}

/* Time every operation over its records (CPU time of this thread), with
 * the host fast paths and in software alone. */
static int bench(const char *rec_path)
{
	FILE *f = open_or_die(rec_path);
	struct fpu_test_rec *recs;
	size_t n = 0, cap = 1 << 16, i, j;
	uint64_t sink = 0;
	double t[2];
	int pass, rep;

	recs = f ? malloc(cap * sizeof(*recs)) : NULL;
	if (!recs) {
		return 2;
	}
	while (fread(&recs[n], sizeof(*recs), 1, f) == 1) {
		if (recs[n].op < OP_COUNT && ++n == cap) {
			cap *= 2;
			recs = realloc(recs, cap * sizeof(*recs));
			if (!recs) {
				return 2;
			}
		}
	}
	fclose(f);
	qsort(recs, n, sizeof(*recs), cmp_op);
	printf("%-10s %10s %10s  (ns per operation)\n", "op", "host+soft",
	       "soft");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && recs[j].op == recs[i].op; j++) {
		}
		for (pass = 0; pass < 2; pass++) {
			fpu_host_enable(pass == 0);
			t[pass] = now_ns();
			for (rep = 0; rep < 20; rep++) {
				for (size_t k = i; k < j; k++) {
					sink += ours(&recs[k]).result;
				}
			}
			t[pass] = (now_ns() - t[pass]) / (20.0 * (j - i));
		}
		printf("%-10s %10.1f %10.1f\n", op_names[recs[i].op], t[0],
		       t[1]);
	}
	fpu_host_enable(true);
	free(recs);
	return sink == 42 ? 3 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fpu-check gen SEED COUNT [MNEMONIC...] > records\n"
		"       fpu-check compare RECORDS ANSWERS\n"
		"       fpu-check bench RECORDS\n");
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "gen")) {
		return generate(strtoull(argv[2], NULL, 0),
				strtoull(argv[3], NULL, 0), argv + 4, argc - 4);
	}
	if (argc == 4 && !strcmp(argv[1], "compare")) {
		return compare(argv[2], argv[3]);
	}
	if (argc == 3 && !strcmp(argv[1], "bench")) {
		return bench(argv[2]);
	}
	usage();
	return 2;
}
