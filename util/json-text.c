/* SPDX-License-Identifier: MIT */
/* JSON text as QEMU writes it: its member order, ", " and ": " separators, 4-space pretty form, \u escapes. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json-text.h"

struct json_text {
	char *buf;
	size_t len, cap;
	bool pretty;
	bool failed;
};

static void jt_append(struct json_text *t, const char *s, size_t n)
{
	if (t->failed) {
		return;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *p;

		while (t->len + n + 1 > cap) {
			cap *= 2;
		}
		p = realloc(t->buf, cap);
		if (!p) {
			t->failed = true;
			return;
		}
		t->buf = p;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void jt_puts(struct json_text *t, const char *s)
{
	jt_append(t, s, strlen(s));
}

static void jt_printf(struct json_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void jt_printf(struct json_text *t, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0) {
		jt_append(t, tmp,
			  (size_t)n < sizeof(tmp) ? (size_t)n :
						    sizeof(tmp) - 1);
	}
}

/* A newline and the indentation of depth (pretty), else sep (may be ""). */
static void jt_break(struct json_text *t, unsigned depth, const char *sep)
{
	if (!t->pretty) {
		jt_puts(t, sep);
		return;
	}
	jt_puts(t, "\n");
	for (unsigned i = 0; i < depth; i++) {
		jt_puts(t, "    ");
	}
}

/* Decode one UTF-8 sequence at s (n bytes left); -1 if malformed. */
static int32_t jt_utf8(const unsigned char *s, size_t n, size_t *used)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned len;
	uint32_t cp;

	if (s[0] < 0xc2 || s[0] > 0xf4) {
		*used = 1;
		return -1;
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	cp = s[0] & (0x7f >> len);
	for (unsigned i = 1; i < len; i++) {
		if (i >= n || (s[i] & 0xc0) != 0x80) {
			*used = i;
			return -1;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*used = len;
	if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		return -1;
	}
	return (int32_t)cp;
}

static void jt_string(struct json_text *t, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	jt_puts(t, "\"");
	while (i < n) {
		unsigned char c = s[i];
		size_t used = 1;
		int32_t cp;

		switch (c) {
		case '"':
			jt_puts(t, "\\\"");
			break;
		case '\\':
			jt_puts(t, "\\\\");
			break;
		case '\b':
			jt_puts(t, "\\b");
			break;
		case '\f':
			jt_puts(t, "\\f");
			break;
		case '\n':
			jt_puts(t, "\\n");
			break;
		case '\r':
			jt_puts(t, "\\r");
			break;
		case '\t':
			jt_puts(t, "\\t");
			break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				jt_append(t, (const char *)&s[i], 1);
				break;
			}
			cp = c < 0x80 ? c : jt_utf8(&s[i], n - i, &used);
			if (cp < 0) {
				cp = 0xfffd; /* as QEMU: a replacement character */
			}
			if (cp > 0xffff) {
				cp -= 0x10000;
				jt_printf(t, "\\u%04x\\u%04x",
					  0xd800 + (cp >> 10),
					  0xdc00 + (cp & 0x3ff));
			} else {
				jt_printf(t, "\\u%04x", (unsigned)cp);
			}
			break;
		}
		i += used;
	}
	jt_puts(t, "\"");
}

static void jt_value(struct json_text *t, json_object *obj, unsigned depth);

/*
 * QEMU keeps an object's members in a hash table of 512 buckets and writes
 * them bucket by bucket, the latest added first within one: the order a
 * client sees. This is its hash of the key.
 */
static unsigned jt_bucket(const char *key)
{
	uint32_t v = 0x238f13afu * (uint32_t)strlen(key);

	for (unsigned i = 0; key[i]; i++) {
		v += (uint32_t)(unsigned char)key[i] << (i * 5 % 24);
	}
	return (1103515243u * v + 12345u) % 512;
}

struct jt_member {
	const char *key;
	json_object *val;
	unsigned bucket, index;
};

static int jt_member_cmp(const void *a, const void *b)
{
	const struct jt_member *x = a, *y = b;

	if (x->bucket != y->bucket) {
		return x->bucket < y->bucket ? -1 : 1;
	}
	return x->index > y->index ? -1 : x->index < y->index;
}

static void jt_object(struct json_text *t, json_object *obj, unsigned depth)
{
	size_t n = (size_t)json_object_object_length(obj), i = 0;
	struct jt_member *m = calloc(n ? n : 1, sizeof(*m));

	if (!m) {
		t->failed = true;
		return;
	}
	json_object_object_foreach(obj, key, val)
	{
		m[i] = (struct jt_member){ key, val, jt_bucket(key),
					   (unsigned)i };
		i++;
	}
	qsort(m, n, sizeof(*m), jt_member_cmp);
	jt_puts(t, "{");
	for (i = 0; i < n; i++) {
		jt_puts(t, i ? "," : "");
		jt_break(t, depth + 1, i ? " " : "");
		jt_string(t, m[i].key, strlen(m[i].key));
		jt_puts(t, ": ");
		jt_value(t, m[i].val, depth + 1);
	}
	if (n) {
		jt_break(t, depth, "");
	}
	jt_puts(t, "}");
	free(m);
}

static void jt_value(struct json_text *t, json_object *obj, unsigned depth)
{
	size_t i = 0, n;

	switch (json_object_get_type(obj)) {
	case json_type_null:
		jt_puts(t, "null");
		break;
	case json_type_boolean:
		jt_puts(t, json_object_get_boolean(obj) ? "true" : "false");
		break;
	case json_type_int:
		if (json_object_get_int64(obj) == INT64_MAX) {
			/* json-c keeps values above INT64_MAX as uint64 */
			jt_printf(t, "%" PRIu64, json_object_get_uint64(obj));
		} else {
			jt_printf(t, "%" PRId64, json_object_get_int64(obj));
		}
		break;
	case json_type_double:
		jt_printf(t, "%.17g", json_object_get_double(obj));
		break;
	case json_type_string:
		jt_string(t, json_object_get_string(obj),
			  (size_t)json_object_get_string_len(obj));
		break;
	case json_type_array:
		n = json_object_array_length(obj);
		jt_puts(t, "[");
		for (i = 0; i < n; i++) {
			jt_puts(t, i ? "," : "");
			jt_break(t, depth + 1, i ? " " : "");
			jt_value(t, json_object_array_get_idx(obj, i),
				 depth + 1);
		}
		if (n) {
			jt_break(t, depth, "");
		}
		jt_puts(t, "]");
		break;
	case json_type_object:
		jt_object(t, obj, depth);
		break;
	}
}

char *json_text(json_object *obj, bool pretty)
{
	struct json_text t = { .pretty = pretty };

	jt_value(&t, obj, 0);
	if (t.failed || !t.buf) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

bool json_text_print(FILE *f, json_object *obj, bool pretty)
{
	char *text = json_text(obj, pretty);
	bool ok = text && fprintf(f, "%s\n", text) >= 0;

	free(text);
	return ok;
}
