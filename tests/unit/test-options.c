/* SPDX-License-Identifier: MIT */
/* Unit tests of util/options: QEMU-style key=value option strings. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "util/options.h"

TEST(options_implied_key_and_values)
{
	struct error *err = NULL;
	struct opts *o =
		opts_parse("virt,dumpdtb=/tmp/x.dtb,acpi=off", "type", &err);

	CHECK(o);
	CHECK_STR(opts_get(o, "type"), "virt");
	CHECK_STR(opts_get(o, "dumpdtb"), "/tmp/x.dtb");
	CHECK(!opts_check_unused(o, "-machine", &err));
	CHECK(err && strstr(error_get_message(err), "'acpi'"));
	error_free(err);
	opts_free(o);
}

TEST(options_comma_escape_and_last_wins)
{
	struct opts *o = opts_parse("path=a,,b,,,x=1,x=2", NULL, NULL);

	CHECK(o);
	CHECK_STR(opts_get(o, "path"), "a,b,");
	CHECK_STR(opts_get(o, "x"), "2");
	CHECK_EQ(opts_count(o), 2);
	CHECK(opts_check_unused(o, "test", NULL));
	opts_free(o);
}

TEST(options_bare_key_is_on)
{
	struct opts *o = opts_parse("socket,server,wait=no", "backend", NULL);
	bool server = false, wait = true, missing = true;

	CHECK(o);
	CHECK_STR(opts_get(o, "backend"), "socket");
	CHECK(opts_get_bool(o, "server", false, &server, NULL));
	CHECK(opts_get_bool(o, "wait", true, &wait, NULL));
	CHECK(opts_get_bool(o, "absent", false, &missing, NULL));
	CHECK(server);
	CHECK(!wait);
	CHECK(!missing);
	opts_free(o);
}

TEST(options_no_implied_key_means_on)
{
	struct opts *o = opts_parse("readonly,file=x.img", NULL, NULL);

	CHECK(o);
	CHECK_STR(opts_get(o, "readonly"), "on");
	CHECK_STR(opts_get(o, "file"), "x.img");
	opts_free(o);
}

TEST(options_empty_key_rejected)
{
	struct error *err = NULL;

	CHECK(!opts_parse("a=1,=2", NULL, &err));
	CHECK(err);
	error_free(err);
}

TEST(options_bools)
{
	bool b = false;
	struct error *err = NULL;
	const char *yes[] = { "on", "yes", "true" };
	const char *no[] = { "off", "no", "false" };

	for (int i = 0; i < 3; i++) {
		CHECK(options_parse_bool(yes[i], &b, NULL) && b);
		CHECK(options_parse_bool(no[i], &b, NULL) && !b);
	}
	CHECK(!options_parse_bool("maybe", &b, &err));
	CHECK(err && strstr(error_get_message(err), "maybe"));
	error_free(err);
}

TEST(options_sizes)
{
	uint64_t v = 0;
	struct error *err = NULL;

	CHECK(options_parse_size("256", 20, &v, NULL));
	CHECK_EQ(v, 256ull << 20);
	CHECK(options_parse_size("1G", 20, &v, NULL));
	CHECK_EQ(v, 1ull << 30);
	CHECK(options_parse_size("1.5G", 20, &v, NULL));
	CHECK_EQ(v, 3ull << 29);
	CHECK(options_parse_size("64k", 0, &v, NULL));
	CHECK_EQ(v, 64ull << 10);
	CHECK(options_parse_size("4096", 0, &v, NULL));
	CHECK_EQ(v, 4096);
	CHECK(options_parse_size("100B", 20, &v, NULL));
	CHECK_EQ(v, 100);
	CHECK(!options_parse_size("12Q", 20, &v, &err));
	error_free(err);
	err = NULL;
	CHECK(!options_parse_size("-1", 20, &v, &err));
	error_free(err);
	err = NULL;
	CHECK(!options_parse_size("99999999999999G", 20, &v, &err));
	error_free(err);
}

TEST(options_uint)
{
	uint64_t v = 0;
	struct opts *o = opts_parse("cpus=4,bad=x4", "cpus", NULL);
	struct error *err = NULL;

	CHECK(o);
	CHECK(opts_get_uint(o, "cpus", 1, &v, NULL));
	CHECK_EQ(v, 4);
	CHECK(!opts_get_uint(o, "bad", 1, &v, &err));
	CHECK(err && strstr(error_get_message(err), "'bad'"));
	error_free(err);
	CHECK(options_parse_uint("0x10", &v, NULL));
	CHECK_EQ(v, 16);
	opts_free(o);
}

TEST(options_json_object)
{
	struct error *err = NULL;
	struct opts *o = opts_parse(
		"{\"driver\": \"virtio-blk-pci\", \"drive\": \"d,0\", "
		"\"bootindex\": 1, \"share\": true, \"ro\": false, "
		"\"backing\": null, \"file\": {\"driver\": \"file\", "
		"\"cache\": {\"direct\": true}}}",
		"driver", &err);

	CHECK(o != NULL);
	CHECK_STR(opts_get(o, "driver"), "virtio-blk-pci");
	CHECK_STR(opts_get(o, "drive"), "d,0");
	CHECK_STR(opts_get(o, "bootindex"), "1");
	CHECK_STR(opts_get(o, "share"), "on");
	CHECK_STR(opts_get(o, "ro"), "off");
	CHECK_STR(opts_get(o, "backing"), "");
	CHECK_STR(opts_get(o, "file.driver"), "file");
	CHECK_STR(opts_get(o, "file.cache.direct"), "on");
	CHECK(opts_check_unused(o, "-device", &err));
	opts_free(o);
}

TEST(options_json_errors)
{
	struct error *err = NULL;

	CHECK(opts_parse("{\"driver\": ", NULL, &err) == NULL);
	CHECK(strstr(error_get_message(err), "not a JSON object") != NULL);
	error_free(err);
	err = NULL;
	CHECK(opts_parse("{\"a\": [1, 2]}", NULL, &err) == NULL);
	CHECK(strstr(error_get_message(err), "'a': lists are not supported") !=
	      NULL);
	error_free(err);
}
