/* SPDX-License-Identifier: MIT */
/* The one options parser: QEMU's "key=value,key2=value2" option strings. */
#ifndef MIMIC_UTIL_OPTIONS_H
#define MIMIC_UTIL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/*
 * A parsed option string. Values keep their order; a key given twice keeps
 * the last value (QEMU merges the same way). "a=b,,c" is the value "b,c".
 * A first element without '=' is the value of the implied key (e.g. "virt"
 * in "-machine virt,dumpdtb=x" is type=virt); elsewhere "key" alone means
 * key=on. A string starting with '{' is a JSON object instead, as QEMU takes
 * for -device, -object, -blockdev, -netdev: nested objects become dotted
 * keys ("file.filename"), booleans on/off, numbers their decimal text.
 */
struct opts;

struct opts *opts_parse(const char *str, const char *implied_key,
			struct error **errp);
void opts_free(struct opts *opts);

/* The value of key, or NULL. Marks the key as used. */
const char *opts_get(struct opts *opts, const char *key);
/* Every value of a key given more than once, in the order given: the
 * n-th (from 0), NULL past the last. Marks the key as used. */
const char *opts_get_nth(struct opts *opts, const char *key, unsigned n);
/* Typed getters: true with *out set (def when absent), false on a bad
 * value with an error naming the key. */
bool opts_get_bool(struct opts *opts, const char *key, bool def, bool *out,
		   struct error **errp);
bool opts_get_uint(struct opts *opts, const char *key, uint64_t def,
		   uint64_t *out, struct error **errp);
bool opts_get_size(struct opts *opts, const char *key, uint64_t def,
		   uint64_t *out, struct error **errp);
/* Set (or replace) a key, e.g. to fill in defaults. */
bool opts_set(struct opts *opts, const char *key, const char *value);
/* Number of keys. */
unsigned opts_count(const struct opts *opts);
/* The key and value at index i (in order of first appearance). */
const char *opts_key_at(const struct opts *opts, unsigned i);
const char *opts_value_at(const struct opts *opts, unsigned i);

/* Fail naming the first key no getter asked for: "what: unknown
 * parameter 'key'". Call after reading every supported key. */
bool opts_check_unused(struct opts *opts, const char *what,
		       struct error **errp);

/* Parse "on/off/yes/no/true/false". */
bool options_parse_bool(const char *str, bool *out, struct error **errp);
/* Parse a size with an optional K/M/G/T/P/E suffix (powers of 1024, "B"
 * for bytes). A bare number is multiplied by 1 << default_shift (20 for
 * -m, where QEMU reads "256" as 256 MiB). */
bool options_parse_size(const char *str, unsigned default_shift, uint64_t *out,
			struct error **errp);
/* Parse an unsigned decimal or 0x hex number. */
bool options_parse_uint(const char *str, uint64_t *out, struct error **errp);

#endif
