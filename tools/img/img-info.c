/* SPDX-License-Identifier: MIT */
/* mimic-img info: what an image is, in qemu-img's words (human or JSON). */
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "block/image-info.h"
#include "tools/img/img.h"
#include "util/json-text.h"

static void img_info_human(struct block *bs, const struct block_info *info)
{
	char size[32], disk[32];

	img_size_to_str(info->virtual_size, size, sizeof(size));
	img_size_to_str(block_actual_size(bs), disk, sizeof(disk));
	printf("image: %s\nfile format: %s\n", block_filename(bs),
	       info->format);
	printf("virtual size: %s (%" PRIu64 " bytes)\n", size,
	       info->virtual_size);
	printf("disk size: %s\n", disk);
	if (info->cluster_size) {
		printf("cluster_size: %" PRIu64 "\n", info->cluster_size);
	}
	if (info->backing_file) {
		const char *full = block_backing(bs) ?
					   block_filename(block_backing(bs)) :
					   info->backing_file;

		printf("backing file: %s", info->backing_file);
		/* As qemu-img: the path opened, when it is another. */
		if (strcmp(full, info->backing_file)) {
			printf(" (actual path: %s)", full);
		}
		printf("\n");
	}
	if (info->backing_format) {
		printf("backing file format: %s\n", info->backing_format);
	}
	if (info->dirty) {
		printf("cleanly shut down: no\n");
	}
	img_snapshot_print_table(bs);
	if (info->compat && !strcmp(info->compat, "0.10")) {
		printf("Format specific information:\n"
		       "    compat: %s\n"
		       "    compression type: %s\n"
		       "    refcount bits: %u\n",
		       info->compat, info->compression_type,
		       info->refcount_bits);
	} else if (info->compat) {
		printf("Format specific information:\n"
		       "    compat: %s\n"
		       "    compression type: %s\n"
		       "    lazy refcounts: %s\n"
		       "    refcount bits: %u\n"
		       "    corrupt: %s\n"
		       "    extended l2: %s\n",
		       info->compat, info->compression_type,
		       info->lazy_refcounts ? "true" : "false",
		       info->refcount_bits, info->corrupt ? "true" : "false",
		       info->extended_l2 ? "true" : "false");
	}
}

/* Parse --output=human|json; returns false on a bad value. */
bool img_parse_output(const char *arg, bool *json)
{
	if (!strcmp(arg, "json")) {
		*json = true;
	} else if (!strcmp(arg, "human")) {
		*json = false;
	} else {
		return false;
	}
	return true;
}

int img_info(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "backing-chain", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = NULL;
	struct error *err = NULL;
	struct block_info info;
	struct json_object *list = NULL;
	struct block *bs;
	bool json = false, chain = false;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:U", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'o':
			if (!img_parse_output(optarg, &json)) {
				return img_fail(
					"--output must be human or json");
			}
			break;
		case 'B':
			chain = true;
			break;
		case 'U':
			break;
		default:
			img_usage("info");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("info: expecting one filename");
	}
	bs = img_open(argv[optind], fmt, 0, &err);
	if (!bs) {
		return img_fail_err(err);
	}
	if (json && chain) {
		list = json_object_new_array();
	}
	for (struct block *cur = bs; cur;
	     cur = chain ? block_backing(cur) : NULL) {
		block_get_info(cur, &info);
		if (list) {
			json_object_array_add(
				list, block_image_info_json(cur, &info));
		} else if (json) {
			list = block_image_info_json(cur, &info);
		} else {
			printf("%s", cur == bs ? "" : "\n");
			img_info_human(cur, &info);
		}
	}
	if (list) {
		json_text_print(stdout, list, true);
		json_object_put(list);
	}
	block_close(bs);
	return 0;
}
