/* SPDX-License-Identifier: MIT */
/* mimic-img check: refcount consistency, with qemu-img's exit codes. */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/json-text.h"

enum {
	IMG_CHECK_OK = 0,
	IMG_CHECK_FAILED = 1,
	IMG_CHECK_CORRUPT = 2,
	IMG_CHECK_LEAKS = 3,
	IMG_CHECK_UNSUPPORTED = 63,
};

static void img_check_human(const struct block_check_result *r)
{
	if (!r->corruptions && !r->leaks && !r->check_errors) {
		printf("No errors were found on the image.\n");
	} else {
		if (r->corruptions) {
			printf("\n%" PRIu64 " errors were found on the image.\n"
			       "Data may be corrupted, or further writes to "
			       "the image may corrupt it.\n",
			       r->corruptions);
		}
		if (r->leaks) {
			printf("\n%" PRIu64 " leaked clusters were found on "
			       "the image.\nThis means waste of disk space, "
			       "but no harm to data.\n",
			       r->leaks);
		}
		if (r->check_errors) {
			printf("\n%" PRIu64 " internal errors have occurred "
			       "during the check.\n",
			       r->check_errors);
		}
	}
	if (r->total_clusters && r->allocated_clusters) {
		printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% "
		       "fragmented, %0.2f%% compressed clusters\n",
		       r->allocated_clusters, r->total_clusters,
		       100.0 * r->allocated_clusters / r->total_clusters,
		       100.0 * r->fragmented_clusters / r->allocated_clusters,
		       100.0 * r->compressed_clusters / r->allocated_clusters);
	}
	if (r->image_end_offset) {
		printf("Image end offset: %" PRIu64 "\n", r->image_end_offset);
	}
}

/* As qemu-img: a count is in the output only when it is not zero. */
static void img_check_json_count(struct json_object *o, const char *key,
				 uint64_t n)
{
	if (n) {
		json_object_object_add(o, key,
				       json_object_new_int64((int64_t)n));
	}
}

static void img_check_json(const char *file, const char *fmt,
			   const struct block_check_result *r)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "check-errors",
			       json_object_new_int64(r->check_errors));
	img_check_json_count(o, "image-end-offset", r->image_end_offset);
	img_check_json_count(o, "total-clusters", r->total_clusters);
	img_check_json_count(o, "allocated-clusters", r->allocated_clusters);
	img_check_json_count(o, "fragmented-clusters", r->fragmented_clusters);
	img_check_json_count(o, "compressed-clusters", r->compressed_clusters);
	img_check_json_count(o, "corruptions", r->corruptions);
	img_check_json_count(o, "leaks", r->leaks);
	img_check_json_count(o, "corruptions-fixed", r->corruptions_fixed);
	img_check_json_count(o, "leaks-fixed", r->leaks_fixed);
	json_object_object_add(o, "filename", json_object_new_string(file));
	json_object_object_add(o, "format", json_object_new_string(fmt));
	json_text_print(stdout, o, true);
	json_object_put(o);
}

static int img_check_status(const struct block_check_result *r)
{
	if (r->check_errors) {
		return IMG_CHECK_FAILED;
	}
	if (r->corruptions) {
		return IMG_CHECK_CORRUPT;
	}
	return r->leaks ? IMG_CHECK_LEAKS : IMG_CHECK_OK;
}

/* Repair, say what was repaired, then check again as qemu-img does. */
static int img_check_repair(struct block *bs, struct block_check_result *r,
			    int fix)
{
	int ret = block_check(bs, r, fix);

	if (ret || (!r->leaks_fixed && !r->corruptions_fixed)) {
		return ret;
	}
	printf("The following inconsistencies were found and repaired:\n\n"
	       "    %" PRIu64 " leaked clusters\n    %" PRIu64
	       " corruptions\n\nDouble checking the fixed image now...\n",
	       r->leaks_fixed, r->corruptions_fixed);
	return block_check(bs, r, 0);
}

int img_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = NULL;
	struct block_check_result r;
	struct error *err = NULL;
	struct block *bs;
	bool json = false;
	int ch, fix = 0, ret;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:r:qU", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'r':
			if (!strcmp(optarg, "leaks")) {
				fix = BLOCK_FIX_LEAKS;
			} else if (!strcmp(optarg, "all")) {
				fix = BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS;
			} else {
				return img_fail("-r must be leaks or all");
			}
			break;
		case 'o':
			if (!img_parse_output(optarg, &json)) {
				return img_fail(
					"--output must be human or json");
			}
			break;
		case 'q':
		case 'U':
			break;
		default:
			img_usage("check");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("check: expecting one filename");
	}
	bs = img_open(argv[optind], fmt, fix ? BLOCK_RDWR | BLOCK_REPAIR : 0,
		      &err);
	if (!bs) {
		return img_fail_err(err);
	}
	ret = fix ? img_check_repair(bs, &r, fix) : block_check(bs, &r, 0);
	if (ret) {
		block_close(bs);
		return img_fail("check of '%s' failed: %s", argv[optind],
				strerror(-ret));
	}
	if (!r.supported) {
		block_close(bs);
		img_fail("This image format does not support checks");
		return IMG_CHECK_UNSUPPORTED;
	}
	if (json) {
		img_check_json(argv[optind], block_format_name(bs), &r);
	} else {
		img_check_human(&r);
	}
	block_close(bs);
	return img_check_status(&r);
}
