/* SPDX-License-Identifier: MIT */
/* Unit tests of util/: errors and log categories. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "util/error.h"
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
