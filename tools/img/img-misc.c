/* SPDX-License-Identifier: MIT */
/* mimic-img resize, compare and map. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/types.h"

#define IMG_COMPARE_CHUNK (1u << 20)

int img_resize(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shrink", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = NULL, *arg;
	struct error *err = NULL;
	struct block *bs;
	uint64_t delta, size;
	bool shrink = false;
	int ch, sign = 0;

	/* "-1G" as the last argument is a size, not an option. */
	if (argc >= 3 && argv[argc - 1][0] == '-' && argv[argc - 1][1] >= '0' &&
	    argv[argc - 1][1] <= '9') {
		argc--;
		arg = argv[argc];
	} else {
		arg = NULL;
	}
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:qU", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 's':
			shrink = true;
			break;
		case 'q':
		case 'U':
			break;
		default:
			img_usage("resize");
			return 1;
		}
	}
	if (!arg && optind == argc - 2) {
		arg = argv[argc - 1];
		argc--;
	}
	if (!arg || optind != argc - 1) {
		return img_fail("resize: expecting a filename and a size");
	}
	if (arg[0] == '+' || arg[0] == '-') {
		sign = arg[0] == '+' ? 1 : -1;
		arg++;
	}
	if (!img_parse_size(arg, &delta, &err)) {
		return img_fail_err(err);
	}
	bs = img_open(argv[optind], fmt, BLOCK_RDWR, &err);
	if (!bs) {
		return img_fail_err(err);
	}
	size = delta;
	if (sign > 0) {
		size = block_size(bs) + delta;
	} else if (sign < 0) {
		size = delta > block_size(bs) ? 0 : block_size(bs) - delta;
	}
	if (size < block_size(bs) && !shrink) {
		block_close(bs);
		return img_fail("use the --shrink option to shrink an image");
	}
	if (!block_resize(bs, size, &err)) {
		block_close(bs);
		return img_fail_err(err);
	}
	block_close(bs);
	printf("Image resized.\n");
	return 0;
}

static bool img_all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

/* First offset in [off, off + len) where the images differ, or -1. */
static int64_t img_compare_range(struct block *a, struct block *b, uint64_t off,
				 uint64_t len, uint8_t *ba, uint8_t *bb,
				 int *err)
{
	while (len) {
		uint64_t n = MIN(len, IMG_COMPARE_CHUNK), pa, pb;
		int sa = block_get_status(a, off, n, &pa, NULL);
		int sb = block_get_status(b, off, n, &pb, NULL);

		if (sa < 0 || sb < 0) {
			*err = sa < 0 ? sa : sb;
			return -1;
		}
		n = MIN(n, MIN(pa, pb));
		if (!((sa & sb) & BLOCK_STATUS_ZERO)) {
			*err = block_pread(a, off, ba, n);
			if (!*err) {
				*err = block_pread(b, off, bb, n);
			}
			if (*err) {
				return -1;
			}
			for (uint64_t i = 0; i < n; i++) {
				if (ba[i] != bb[i]) {
					return (int64_t)(off + i);
				}
			}
		}
		off += n;
		len -= n;
	}
	return -1;
}

/* The tail of the larger image must read as zeros. */
static int64_t img_compare_tail(struct block *bs, uint64_t off, uint8_t *buf,
				int *err)
{
	while (off < block_size(bs)) {
		uint64_t n = MIN(IMG_COMPARE_CHUNK, block_size(bs) - off);

		*err = block_pread(bs, off, buf, n);
		if (*err) {
			return -1;
		}
		if (!img_all_zero(buf, n)) {
			for (uint64_t i = 0; i < n; i++) {
				if (buf[i]) {
					return (int64_t)(off + i);
				}
			}
		}
		off += n;
	}
	return -1;
}

static int img_compare_images(struct block *a, struct block *b, bool strict)
{
	uint64_t common = MIN(block_size(a), block_size(b));
	uint8_t *ba = malloc(IMG_COMPARE_CHUNK),
		*bb = malloc(IMG_COMPARE_CHUNK);
	int64_t diff;
	int err = 0, ret = 2;

	if (!ba || !bb) {
		goto out;
	}
	if (block_size(a) != block_size(b)) {
		if (strict) {
			printf("Strict mode: Image size mismatch!\n");
			ret = 1;
			goto out;
		}
		printf("Warning: Image size mismatch!\n");
	}
	diff = img_compare_range(a, b, 0, common, ba, bb, &err);
	if (diff < 0 && !err) {
		diff = img_compare_tail(block_size(a) > common ? a : b, common,
					ba, &err);
	}
	if (err) {
		img_fail("error while comparing: %s", strerror(-err));
	} else if (diff >= 0) {
		printf("Content mismatch at offset %" PRId64 "!\n", diff);
		ret = 1;
	} else {
		printf("Images are identical.\n");
		ret = 0;
	}
out:
	free(ba);
	free(bb);
	return ret;
}

int img_compare(int argc, char **argv)
{
	const char *fmt1 = NULL, *fmt2 = NULL;
	struct error *err = NULL;
	struct block *a, *b;
	bool strict = false;
	int ch, ret;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:F:sqpU")) != -1) {
		switch (ch) {
		case 'f':
			fmt1 = optarg;
			break;
		case 'F':
			fmt2 = optarg;
			break;
		case 's':
			strict = true;
			break;
		case 'q':
		case 'p':
		case 'U':
			break;
		default:
			img_usage("compare");
			return 2;
		}
	}
	if (optind != argc - 2) {
		img_fail("compare: expecting two filenames");
		return 2;
	}
	a = img_open(argv[optind], fmt1, 0, &err);
	if (!a) {
		img_fail_err(err);
		return 2;
	}
	b = img_open(argv[optind + 1], fmt2 ? fmt2 : fmt1, 0, &err);
	if (!b) {
		block_close(a);
		img_fail_err(err);
		return 2;
	}
	ret = img_compare_images(a, b, strict);
	block_close(a);
	block_close(b);
	return ret;
}

struct img_map_entry {
	const char *file;
	uint64_t start, length, offset;
	int depth, flags;
	bool has_offset;
};

/* Returns false when the human form cannot show the entry. */
static bool img_map_print(const struct img_map_entry *e, bool json, bool first)
{
	bool present = e->flags & BLOCK_STATUS_ALLOCATED;

	if (!json) {
		if ((e->flags & BLOCK_STATUS_DATA) && !e->has_offset) {
			/* Compressed data has no offset to print. */
			return false;
		}
		if (e->flags & BLOCK_STATUS_DATA) {
			printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64
			       "%s\n",
			       e->start, e->length, e->offset, e->file);
		}
		return true;
	}
	printf("%s{ \"start\": %" PRIu64 ", \"length\": %" PRIu64
	       ", \"depth\": %d, \"present\": %s, \"zero\": %s, \"data\": %s",
	       first ? "[" : ",\n", e->start, e->length, e->depth,
	       present ? "true" : "false",
	       e->flags & BLOCK_STATUS_ZERO ? "true" : "false",
	       e->flags & BLOCK_STATUS_DATA ? "true" : "false");
	if (e->has_offset) {
		printf(", \"offset\": %" PRIu64, e->offset);
	}
	printf("}");
	return true;
}

int img_chain_status_at(struct block *bs, uint64_t off, uint64_t len,
			uint64_t *pnum, struct block **where, int *depth,
			uint64_t *host)
{
	*depth = 0;
	for (;;) {
		int st = block_get_status(bs, off, len, pnum, host);

		if (st < 0) {
			return st;
		}
		*where = bs;
		if ((st & BLOCK_STATUS_ALLOCATED) || !block_backing(bs) ||
		    off >= block_size(block_backing(bs))) {
			/* Nothing below: the range reads as zeros. */
			return st & BLOCK_STATUS_ALLOCATED ?
				       st :
				       st | BLOCK_STATUS_ZERO;
		}
		bs = block_backing(bs);
		len = *pnum;
		(*depth)++;
	}
}

int img_chain_status(struct block *bs, uint64_t off, uint64_t len,
		     uint64_t *pnum)
{
	struct block *where;
	uint64_t host;
	int depth;

	return img_chain_status_at(bs, off, len, pnum, &where, &depth, &host);
}

/* Status of one range, looking down the backing chain. */
static int img_map_one(struct block *bs, uint64_t off, uint64_t len,
		       struct img_map_entry *e)
{
	struct block *where;
	uint64_t host = 0;
	int st = img_chain_status_at(bs, off, len, &e->length, &where,
				     &e->depth, &host);

	if (st < 0) {
		return st;
	}
	e->file = block_filename(where);
	e->start = off;
	e->flags = st;
	e->has_offset = st & BLOCK_STATUS_OFFSET_VALID;
	e->offset = host;
	return 0;
}

int img_map(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct img_map_entry cur = { 0 }, next;
	const char *fmt = NULL;
	struct error *err = NULL;
	struct block *bs;
	bool json = false, first = true, have = false;
	uint64_t off = 0;
	int ch, ret = 0;

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
		case 'U':
			break;
		default:
			img_usage("map");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("map: expecting one filename");
	}
	bs = img_open(argv[optind], fmt, 0, &err);
	if (!bs) {
		return img_fail_err(err);
	}
	if (!json) {
		printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to",
		       "File");
	}
	while (off < block_size(bs)) {
		ret = img_map_one(bs, off, block_size(bs) - off, &next);
		if (ret) {
			break;
		}
		if (have && cur.flags == next.flags &&
		    cur.depth == next.depth &&
		    cur.has_offset == next.has_offset &&
		    (!cur.has_offset ||
		     cur.offset + cur.length == next.offset)) {
			cur.length += next.length;
		} else {
			if (have) {
				if (!img_map_print(&cur, json, first)) {
					ret = -ENOTSUP;
					break;
				}
				first = false;
			}
			cur = next;
			have = true;
		}
		off += next.length;
	}
	if (!ret && have && !img_map_print(&cur, json, first)) {
		ret = -ENOTSUP;
	}
	if (json) {
		printf(first && !have ? "[]\n" : "]\n");
	}
	block_close(bs);
	if (ret == -ENOTSUP) {
		return img_fail("File contains external, encrypted or "
				"compressed clusters.");
	}
	if (ret) {
		return img_fail("map failed: %s", strerror(-ret));
	}
	return 0;
}
