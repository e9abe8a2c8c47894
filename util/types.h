/* SPDX-License-Identifier: MIT */
/* Basic types shared by every layer: guest addresses and helpers. */
#ifndef MIMIC_UTIL_TYPES_H
#define MIMIC_UTIL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A guest physical address. */
typedef uint64_t gpa_t;
/* A guest virtual address. */
typedef uint64_t gva_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#endif
