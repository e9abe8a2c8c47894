/* SPDX-License-Identifier: MIT */
/* JSON text as QEMU writes it (QMP replies, qemu-img --output=json). */
#ifndef MIMIC_UTIL_JSON_TEXT_H
#define MIMIC_UTIL_JSON_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

/*
 * obj as text the way QEMU's JSON writer spells it: members in the order
 * QEMU's hash table yields them, `{"a": 1, "b": [1, 2]}` compact, or one member per line indented by 4 spaces when pretty; '/' is
 * not escaped, control and non-ASCII characters are \u escapes (invalid
 * UTF-8 becomes U+FFFD). Returns a malloc'ed string, NULL when out of memory.
 */
char *json_text(json_object *obj, bool pretty);

/* json_text() and a newline to f; false if out of memory or the write failed. */
bool json_text_print(FILE *f, json_object *obj, bool pretty);

#endif
