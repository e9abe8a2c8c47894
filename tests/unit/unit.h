/* SPDX-License-Identifier: MIT */
/* A small unit-test harness: TEST() registers, CHECK() records failures. */
#ifndef MIMIC_TESTS_UNIT_H
#define MIMIC_TESTS_UNIT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *test);
/* Record a failed check; the test goes on so every failure is shown. */
void unit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name_)                                                      \
	static void test_##name_(void);                                  \
	static struct unit_test unit_##name_ = { #name_, test_##name_ }; \
	__attribute__((constructor)) static void reg_##name_(void)       \
	{                                                                \
		unit_register(&unit_##name_);                            \
	}                                                                \
	static void test_##name_(void)

#define CHECK(cond)                                                 \
	do {                                                        \
		if (!(cond)) {                                      \
			unit_fail(__FILE__, __LINE__, "%s", #cond); \
		}                                                   \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);               \
		if (a_ != b_) {                                                \
			unit_fail(__FILE__, __LINE__,                          \
				  "%s == %s: 0x%" PRIx64 " != 0x%" PRIx64, #a, \
				  #b, a_, b_);                                 \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (!a_ || !b_ || strcmp(a_, b_)) {                        \
			unit_fail(__FILE__, __LINE__,                      \
				  "%s == %s: \"%s\" != \"%s\"", #a, #b,    \
				  a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		}                                                          \
	} while (0)

#endif
