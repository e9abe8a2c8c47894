/* SPDX-License-Identifier: MIT */
/* The one options parser: QEMU's "key=value,key2=value2" option strings (or a JSON object). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/options.h"

#define OPTS_MAX_KEY 128

struct opt {
	char *key;
	char *value;
	bool used;
	/* Earlier values of a key given more than once (hostfwd=...). */
	char **earlier;
	unsigned nr_earlier;
};

struct opts {
	struct opt *items;
	unsigned count;
	unsigned cap;
};

static struct opt *opts_find(const struct opts *opts, const char *key)
{
	for (unsigned i = 0; i < opts->count; i++) {
		if (!strcmp(opts->items[i].key, key)) {
			return &opts->items[i];
		}
	}
	return NULL;
}

static bool opts_set_owned(struct opts *opts, char *key, char *value)
{
	struct opt *opt = opts_find(opts, key);

	if (opt) {
		char **earlier = realloc(
			opt->earlier, (opt->nr_earlier + 1) * sizeof(*earlier));

		free(key);
		if (!earlier) {
			free(value);
			return false;
		}
		earlier[opt->nr_earlier++] = opt->value;
		opt->earlier = earlier;
		opt->value = value;
		return true;
	}
	if (opts->count == opts->cap) {
		unsigned cap = opts->cap ? opts->cap * 2 : 8;
		struct opt *items = realloc(opts->items, cap * sizeof(*items));

		if (!items) {
			free(key);
			free(value);
			return false;
		}
		opts->items = items;
		opts->cap = cap;
	}
	opts->items[opts->count++] = (struct opt){ key, value, false, NULL, 0 };
	return true;
}

bool opts_set(struct opts *opts, const char *key, const char *value)
{
	char *k = strdup(key), *v = strdup(value);

	if (!k || !v) {
		free(k);
		free(v);
		return false;
	}
	return opts_set_owned(opts, k, v);
}

/*
 * Copy one element up to an unescaped delimiter: ",," is a literal comma;
 * '=' ends a key only when stop_at_equals. Returns the malloc'd text and
 * advances *pos to the delimiter.
 */
static char *opts_scan(const char **pos, bool stop_at_equals)
{
	const char *p = *pos;
	size_t len = strlen(p);
	char *out = malloc(len + 1), *o = out;

	if (!out) {
		return NULL;
	}
	while (*p) {
		if (*p == ',') {
			if (p[1] != ',') {
				break;
			}
			p++;
		} else if (*p == '=' && stop_at_equals) {
			break;
		}
		*o++ = *p++;
	}
	*o = '\0';
	*pos = p;
	return out;
}

static bool opts_parse_one(struct opts *opts, const char **pos, bool first,
			   const char *implied_key, struct error **errp)
{
	char *key = opts_scan(pos, true), *value;

	if (!key) {
		error_setg(errp, "out of memory");
		return false;
	}
	if (**pos == '=') {
		(*pos)++;
		value = opts_scan(pos, false);
	} else if (first && implied_key) {
		value = key;
		key = strdup(implied_key);
	} else {
		value = strdup("on");
	}
	if (!key || !value) {
		free(key);
		free(value);
		error_setg(errp, "out of memory");
		return false;
	}
	if (!*key) {
		error_setg(errp, "empty parameter name");
		free(key);
		free(value);
		return false;
	}
	if (!opts_set_owned(opts, key, value)) {
		error_setg(errp, "out of memory");
		return false;
	}
	return true;
}

/* JSON members as key=value in o: nested objects as "file.x", booleans
 * as on/off, null as "". */
static bool opts_flatten_json(struct opts *o, const char *prefix,
			      json_object *obj, struct error **errp)
{
	json_object_object_foreach(obj, key, val)
	{
		char name[OPTS_MAX_KEY];
		const char *text;

		if (snprintf(name, sizeof(name), "%s%s", prefix, key) >=
		    (int)sizeof(name)) {
			error_setg(errp, "key '%s%s' is too long", prefix, key);
			return false;
		}
		switch (json_object_get_type(val)) {
		case json_type_object:
			if (strlen(name) + 2 > sizeof(name)) {
				error_setg(errp, "key '%s' is too long", name);
				return false;
			}
			strcat(name, ".");
			if (!opts_flatten_json(o, name, val, errp)) {
				return false;
			}
			continue;
		case json_type_array:
			error_setg(errp, "'%s': lists are not supported", name);
			return false;
		case json_type_null:
			text = "";
			break;
		case json_type_boolean:
			text = json_object_get_boolean(val) ? "on" : "off";
			break;
		default:
			text = json_object_get_string(val);
			break;
		}
		if (!opts_set(o, name, text)) {
			error_setg(errp, "out of memory");
			return false;
		}
	}
	return true;
}

static struct opts *opts_parse_json(const char *str, struct error **errp)
{
	json_object *obj = json_tokener_parse(str);
	struct opts *o = NULL;

	if (!obj || json_object_get_type(obj) != json_type_object) {
		error_setg(errp, "not a JSON object: %s", str);
	} else {
		o = calloc(1, sizeof(*o));
		if (!o) {
			error_setg(errp, "out of memory");
		} else if (!opts_flatten_json(o, "", obj, errp)) {
			opts_free(o);
			o = NULL;
		}
	}
	json_object_put(obj);
	return o;
}

struct opts *opts_parse(const char *str, const char *implied_key,
			struct error **errp)
{
	struct opts *opts;
	const char *pos = str;
	bool first = true;

	if (str[0] == '{') {
		return opts_parse_json(str, errp);
	}
	opts = calloc(1, sizeof(*opts));
	if (!opts) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	while (*pos) {
		if (!opts_parse_one(opts, &pos, first, implied_key, errp)) {
			opts_free(opts);
			return NULL;
		}
		first = false;
		if (*pos == ',') {
			pos++;
			if (!*pos) {
				break;
			}
		}
	}
	return opts;
}

void opts_free(struct opts *opts)
{
	if (!opts) {
		return;
	}
	for (unsigned i = 0; i < opts->count; i++) {
		free(opts->items[i].key);
		free(opts->items[i].value);
		for (unsigned j = 0; j < opts->items[i].nr_earlier; j++) {
			free(opts->items[i].earlier[j]);
		}
		free(opts->items[i].earlier);
	}
	free(opts->items);
	free(opts);
}

const char *opts_get(struct opts *opts, const char *key)
{
	struct opt *opt = opts_find(opts, key);

	if (!opt) {
		return NULL;
	}
	opt->used = true;
	return opt->value;
}

const char *opts_get_nth(struct opts *opts, const char *key, unsigned n)
{
	struct opt *opt = opts_find(opts, key);

	if (!opt || n > opt->nr_earlier) {
		return NULL;
	}
	opt->used = true;
	return n < opt->nr_earlier ? opt->earlier[n] : opt->value;
}

unsigned opts_count(const struct opts *opts)
{
	return opts->count;
}

const char *opts_key_at(const struct opts *opts, unsigned i)
{
	return i < opts->count ? opts->items[i].key : NULL;
}

const char *opts_value_at(const struct opts *opts, unsigned i)
{
	return i < opts->count ? opts->items[i].value : NULL;
}

bool opts_check_unused(struct opts *opts, const char *what, struct error **errp)
{
	for (unsigned i = 0; i < opts->count; i++) {
		if (!opts->items[i].used) {
			error_setg(errp, "%s: unknown parameter '%s'", what,
				   opts->items[i].key);
			return false;
		}
	}
	return true;
}

bool options_parse_bool(const char *str, bool *out, struct error **errp)
{
	static const char *const yes[] = { "on", "yes", "true", "y" };
	static const char *const no[] = { "off", "no", "false", "n" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(str, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(str, no[i])) {
			*out = false;
			return true;
		}
	}
	error_setg(errp, "'%s' is not a boolean (use on or off)", str);
	return false;
}

bool options_parse_uint(const char *str, uint64_t *out, struct error **errp)
{
	char *end;
	unsigned long long v;

	if (!*str || !isdigit((unsigned char)*str)) {
		error_setg(errp, "'%s' is not a number", str);
		return false;
	}
	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno || *end) {
		error_setg(errp, "'%s' is not a number", str);
		return false;
	}
	*out = v;
	return true;
}

static int options_suffix_shift(char c)
{
	switch (toupper((unsigned char)c)) {
	case 'B':
		return 0;
	case 'K':
		return 10;
	case 'M':
		return 20;
	case 'G':
		return 30;
	case 'T':
		return 40;
	case 'P':
		return 50;
	case 'E':
		return 60;
	default:
		return -1;
	}
}

bool options_parse_size(const char *str, unsigned default_shift, uint64_t *out,
			struct error **errp)
{
	char *end;
	unsigned long long v;
	double frac = 0;
	int shift = default_shift;

	if (!*str || !isdigit((unsigned char)*str)) {
		error_setg(errp, "'%s' is not a size", str);
		return false;
	}
	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno) {
		error_setg(errp, "size '%s' is too large", str);
		return false;
	}
	if (*end == '.') {
		frac = strtod(end, &end);
	}
	if (*end) {
		shift = options_suffix_shift(*end);
		if (shift < 0 || end[1]) {
			error_setg(errp,
				   "'%s' is not a size (suffixes: K M G T)",
				   str);
			return false;
		}
	}
	if (shift && (v >> (64 - shift))) {
		error_setg(errp, "size '%s' is too large", str);
		return false;
	}
	*out = ((uint64_t)v << shift) +
	       (uint64_t)(frac * (double)(1ull << shift));
	return true;
}

bool opts_get_bool(struct opts *opts, const char *key, bool def, bool *out,
		   struct error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v) {
		*out = def;
		return true;
	}
	if (!options_parse_bool(v, out, errp)) {
		error_prepend(errp, "parameter '%s'", key);
		return false;
	}
	return true;
}

bool opts_get_uint(struct opts *opts, const char *key, uint64_t def,
		   uint64_t *out, struct error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v) {
		*out = def;
		return true;
	}
	if (!options_parse_uint(v, out, errp)) {
		error_prepend(errp, "parameter '%s'", key);
		return false;
	}
	return true;
}

bool opts_get_size(struct opts *opts, const char *key, uint64_t def,
		   uint64_t *out, struct error **errp)
{
	const char *v = opts_get(opts, key);

	if (!v) {
		*out = def;
		return true;
	}
	if (!options_parse_size(v, 0, out, errp)) {
		error_prepend(errp, "parameter '%s'", key);
		return false;
	}
	return true;
}
