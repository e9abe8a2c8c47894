/* SPDX-License-Identifier: MIT */
/* Unit tests of util/: errors, log categories, JSON text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "util/error.h"
#include "util/json-text.h"
#include "util/log.h"

TEST(error_setg_and_prepend)
{
	struct error *err = NULL;

	error_setg(&err, "bad %s", "thing");
	CHECK_STR(error_get_message(err), "bad thing");
	error_prepend(&err, "in %d", 3);
	CHECK_STR(error_get_message(err), "in 3: bad thing");
	/* The first error wins; a later one is dropped. */
	error_setg(&err, "second");
	CHECK_STR(error_get_message(err), "in 3: bad thing");
	error_free(err);
}

TEST(error_null_errp_is_ignored)
{
	error_setg(NULL, "nobody listens");
	error_propagate(NULL, NULL);
}

TEST(log_categories_parse)
{
	struct error *err = NULL;
	unsigned saved = log_mask;

	log_mask = 0;
	CHECK(log_set_categories("guest_errors,unimp", &err));
	CHECK_EQ(log_mask, LOG_GUEST_ERROR | LOG_UNIMP);
	CHECK(!log_set_categories("guest_errors,bogus", &err));
	CHECK(err && strstr(error_get_message(err), "'bogus'"));
	CHECK_EQ(log_mask, LOG_GUEST_ERROR | LOG_UNIMP);
	error_free(err);
	log_mask = saved;
}

static bool json_text_is(const char *in, bool pretty, const char *want)
{
	json_object *obj = json_tokener_parse(in);
	char *text = obj ? json_text(obj, pretty) : NULL;
	bool same = text && !strcmp(text, want);

	if (!same) {
		fprintf(stderr, "  json_text(%s) = %s\n  want %s\n", in,
			text ? text : "(null)", want);
	}
	free(text);
	json_object_put(obj);
	return same;
}

TEST(json_text_as_qemu_writes_it)
{
	/* QEMU's member order: "id" (bucket 486) after "return" (401);
	 * "status" and "singlestep" share bucket 202, the later added first. */
	CHECK(json_text_is("{\"id\": 1, \"return\": {}}", false,
			   "{\"return\": {}, \"id\": 1}"));
	CHECK(json_text_is("{\"running\": true, \"singlestep\": false, "
			   "\"status\": \"running\"}",
			   false,
			   "{\"status\": \"running\", \"singlestep\": false, "
			   "\"running\": true}"));
	CHECK(json_text_is("[]", false, "[]"));
	CHECK(json_text_is("[1, [], {}, null, -2, 18446744073709551615]", false,
			   "[1, [], {}, null, -2, 18446744073709551615]"));
	CHECK(json_text_is("{\"a\": [1, 2], \"b\": {}}", true,
			   "{\n    \"a\": [\n        1,\n        2\n    ],\n"
			   "    \"b\": {}\n}"));
	CHECK(json_text_is("\"/tmp/x \\\" \\\\ \\n\\t\\u0001 \\u007f\"", false,
			   "\"/tmp/x \\\" \\\\ \\n\\t\\u0001 \\u007f\""));
	/* Non-ASCII as \u escapes, beyond the BMP as a surrogate pair. */
	CHECK(json_text_is("\"\xc3\xa9\xf0\x9f\x98\x80\"", false,
			   "\"\\u00e9\\ud83d\\ude00\""));
}

TEST(json_text_invalid_utf8_is_replaced)
{
	json_object *obj = json_object_new_string("a\xff\xc3(b\xed\xa0\x80");
	char *text = json_text(obj, false);

	CHECK(text != NULL);
	CHECK_STR(text, "\"a\\ufffd\\ufffd(b\\ufffd\"");
	free(text);
	json_object_put(obj);
}
