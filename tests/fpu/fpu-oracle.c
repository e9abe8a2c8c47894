/* SPDX-License-Identifier: MIT */
/* riscv64 oracle for the FPU differential test: runs each record's real
 * instruction (under qemu-riscv64) and writes its result and fflags. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tests/fpu/fpu-ops.h"

static double as_double(uint64_t v)
{
	double d;

	memcpy(&d, &v, 8);
	return d;
}

static uint64_t as_bits(double d)
{
	uint64_t v;

	memcpy(&v, &d, 8);
	return v;
}

#define WITH_RM(ASM, MN)                      \
	switch (rec->rm & 7) {                \
	case 0:                               \
		if (rec->rm & FPU_TEST_DYN) { \
			ASM(", dyn", MN);     \
		} else {                      \
			ASM(", rne", MN);     \
		}                             \
		break;                        \
	case 1:                               \
		if (rec->rm & FPU_TEST_DYN) { \
			ASM(", dyn", MN);     \
		} else {                      \
			ASM(", rtz", MN);     \
		}                             \
		break;                        \
	case 2:                               \
		if (rec->rm & FPU_TEST_DYN) { \
			ASM(", dyn", MN);     \
		} else {                      \
			ASM(", rdn", MN);     \
		}                             \
		break;                        \
	case 3:                               \
		if (rec->rm & FPU_TEST_DYN) { \
			ASM(", dyn", MN);     \
		} else {                      \
			ASM(", rup", MN);     \
		}                             \
		break;                        \
	default:                              \
		if (rec->rm & FPU_TEST_DYN) { \
			ASM(", dyn", MN);     \
		} else {                      \
			ASM(", rmm", MN);     \
		}                             \
		break;                        \
	}

#define ASM_FFF(RM, MN)                                                      \
	asm volatile("fsflags zero\n\t" MN " %0, %2, %3" RM "\n\tfrflags %1" \
		     : "=f"(fd), "=r"(fl)                                    \
		     : "f"(fa), "f"(fb))
#define ASM_FF(RM, MN)                                                   \
	asm volatile("fsflags zero\n\t" MN " %0, %2" RM "\n\tfrflags %1" \
		     : "=f"(fd), "=r"(fl)                                \
		     : "f"(fa))
#define ASM_FFFF(RM, MN)                                        \
	asm volatile("fsflags zero\n\t" MN " %0, %2, %3, %4" RM \
		     "\n\tfrflags %1"                           \
		     : "=f"(fd), "=r"(fl)                       \
		     : "f"(fa), "f"(fb), "f"(fc))
#define ASM_XFF(RM, MN)                                                      \
	asm volatile("fsflags zero\n\t" MN " %0, %2, %3" RM "\n\tfrflags %1" \
		     : "=r"(xd), "=r"(fl)                                    \
		     : "f"(fa), "f"(fb))
#define ASM_XF(RM, MN)                                                   \
	asm volatile("fsflags zero\n\t" MN " %0, %2" RM "\n\tfrflags %1" \
		     : "=r"(xd), "=r"(fl)                                \
		     : "f"(fa))
#define ASM_FX(RM, MN)                                                   \
	asm volatile("fsflags zero\n\t" MN " %0, %2" RM "\n\tfrflags %1" \
		     : "=f"(fd), "=r"(fl)                                \
		     : "r"(xa))

#define DECLS                                                  \
	double fa = as_double(rec->a), fb = as_double(rec->b), \
	       fc = as_double(rec->c), fd = 0;                 \
	uint64_t xa = rec->a, xd = 0, fl = 0;                  \
	(void)fa;                                              \
	(void)fb;                                              \
	(void)fc;                                              \
	(void)xa;                                              \
	(void)xd;                                              \
	(void)fd;                                              \
	asm volatile("fsrm %0" : : "r"((uint64_t)(rec->rm & 7)));

#define FFF_RM(MN) WITH_RM(ASM_FFF, MN) ans->result = as_bits(fd)
#define FF_RM(MN) WITH_RM(ASM_FF, MN) ans->result = as_bits(fd)
#define FFFF_RM(MN) WITH_RM(ASM_FFFF, MN) ans->result = as_bits(fd)
#define FFF(MN)          \
	ASM_FFF("", MN); \
	ans->result = as_bits(fd)
#define FF(MN)          \
	ASM_FF("", MN); \
	ans->result = as_bits(fd)
#define XFF(MN)          \
	ASM_XFF("", MN); \
	ans->result = xd
#define XF(MN)          \
	ASM_XF("", MN); \
	ans->result = xd
#define XF_RM(MN) WITH_RM(ASM_XF, MN) ans->result = xd
#define FX_RM(MN) WITH_RM(ASM_FX, MN) ans->result = as_bits(fd)
#define FX(MN)          \
	ASM_FX("", MN); \
	ans->result = as_bits(fd)

#define FLOAD(MN)                                                          \
	do {                                                               \
		uint32_t word = (uint32_t)xa;                              \
		asm volatile("fsflags zero\n\t" MN " %0, %2\n\tfrflags %1" \
			     : "=f"(fd), "=r"(fl)                          \
			     : "m"(word));                                 \
		ans->result = as_bits(fd);                                 \
	} while (0)
#define FSTORE(MN)                                                         \
	do {                                                               \
		uint32_t word = 0;                                         \
		asm volatile("fsflags zero\n\t" MN " %2, %0\n\tfrflags %1" \
			     : "=m"(word), "=r"(fl)                        \
			     : "f"(fa));                                   \
		ans->result = word;                                        \
	} while (0)

#define GEN(id, kind, mnem, src, dst)                        \
	static void run_##id(const struct fpu_test_rec *rec, \
			     struct fpu_test_ans *ans)       \
	{                                                    \
		DECLS                                        \
		kind(mnem);                                  \
		ans->fflags = fl;                            \
	}
FPU_OPS(GEN)
#undef GEN

#define TABLE(id, kind, mnem, src, dst) [OP_##id] = run_##id,
static void (*const run[OP_COUNT])(const struct fpu_test_rec *,
				   struct fpu_test_ans *) = { FPU_OPS(TABLE) };
#undef TABLE

#define BATCH 4096

static struct fpu_test_rec recs[BATCH];
static struct fpu_test_ans answers[BATCH];

int main(void)
{
	size_t have = 0, n, i;
	ssize_t got;

	for (;;) {
		got = read(0, (char *)recs + have, sizeof(recs) - have);
		if (got < 0) {
			perror("fpu-oracle: read");
			return 1;
		}
		have += (size_t)got;
		n = have / sizeof(recs[0]);
		if (got > 0 && have < sizeof(recs)) {
			continue;
		}
		for (i = 0; i < n; i++) {
			memset(&answers[i], 0, sizeof(answers[i]));
			if (recs[i].op < OP_COUNT) {
				run[recs[i].op](&recs[i], &answers[i]);
			}
		}
		if (fwrite(answers, sizeof(answers[0]), n, stdout) != n) {
			perror("fpu-oracle: write");
			return 1;
		}
		have = 0;
		if (got == 0) {
			break;
		}
	}
	return fflush(stdout) ? 1 : 0;
}
