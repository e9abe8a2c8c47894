/* SPDX-License-Identifier: MIT */
/* The -d log categories and the -D log file, as QEMU spells them. */
#ifndef MIMIC_UTIL_LOG_H
#define MIMIC_UTIL_LOG_H

#include <stdbool.h>

#include "util/error.h"

enum log_category {
	LOG_GUEST_ERROR = 1u
			  << 0, /* guest_errors: a guest did something wrong */
	LOG_UNIMP = 1u << 1, /* unimp: a feature the guest used is missing */
	LOG_INT = 1u << 2, /* int: interrupts and exceptions taken */
	LOG_IN_ASM = 1u << 3, /* in_asm: guest code as it is translated */
	LOG_EXEC = 1u << 4, /* exec: every block or instruction executed */
	LOG_CPU = 1u << 5, /* cpu: register state at each block */
	LOG_STRACE = 1u << 6, /* strace: system calls (user mode) */
	LOG_PAGE = 1u << 7, /* page: guest memory mappings */
};

extern unsigned log_mask;

static inline bool log_enabled(unsigned category)
{
	return (log_mask & category) != 0;
}

/* Parse "guest_errors,unimp,..." (or "help", which lists and exits 0). */
bool log_set_categories(const char *list, struct error **errp);
/* Log to PATH instead of stderr. */
bool log_set_file(const char *path, struct error **errp);
void log_list_categories(void);

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log in category, at most once per call site. */
#define log_once(category, ...)                               \
	do {                                                  \
		static int log_once_done_;                    \
		if (log_enabled(category) &&                  \
		    !__atomic_exchange_n(&log_once_done_, 1,  \
					 __ATOMIC_RELAXED)) { \
			log_printf(__VA_ARGS__);              \
		}                                             \
	} while (0)
#define log_mask_printf(category, ...)           \
	do {                                     \
		if (log_enabled(category)) {     \
			log_printf(__VA_ARGS__); \
		}                                \
	} while (0)

#endif
