/* SPDX-License-Identifier: MIT */
/* mimic-img rebase and commit: move data between the images of a chain. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/types.h"

#define IMG_REBASE_CHUNK (1u << 20)

/* Read [off, off + len) of bs; what lies past its end (or no bs) is zero. */
static int img_read_or_zero(struct block *bs, uint64_t off, uint8_t *buf,
			    uint64_t len)
{
	uint64_t have = 0;

	if (bs && off < block_size(bs)) {
		have = MIN(len, block_size(bs) - off);
	}
	memset(buf + have, 0, len - have);
	return have ? block_pread(bs, off, buf, have) : 0;
}

/*
 * Copy into top, a cluster at a time, what its old backing chain shows
 * in [off, off + len) (top does not allocate it) where the new backing
 * file shows something else.
 */
static int img_rebase_range(struct block *top, struct block *new_backing,
			    uint64_t off, uint64_t len, uint64_t grain,
			    uint8_t *old_buf, uint8_t *new_buf)
{
	int ret = block_pread(top, off, old_buf, len);

	if (!ret) {
		ret = img_read_or_zero(new_backing, off, new_buf, len);
	}
	for (uint64_t pos = 0; !ret && pos < len;) {
		uint64_t n = MIN(grain - (off + pos) % grain, len - pos);

		if (memcmp(old_buf + pos, new_buf + pos, n)) {
			ret = block_pwrite(top, off + pos, old_buf + pos, n);
		}
		pos += n;
	}
	return ret;
}

/* Safe mode: keep the guest view of top while its backing file changes. */
static int img_rebase_copy(struct block *top, struct block *new_backing)
{
	uint64_t grain = block_cluster_size(top);
	uint8_t *old_buf = malloc(IMG_REBASE_CHUNK);
	uint8_t *new_buf = malloc(IMG_REBASE_CHUNK);
	uint64_t off = 0;
	int ret = old_buf && new_buf ? 0 : -ENOMEM;

	if (!grain || grain > IMG_REBASE_CHUNK) {
		grain = 65536;
	}
	while (!ret && off < block_size(top)) {
		uint64_t n = MIN(IMG_REBASE_CHUNK, block_size(top) - off);
		uint64_t pnum;
		int st = block_get_status(top, off, n, &pnum, NULL);

		if (st < 0) {
			ret = st;
			break;
		}
		/* Whole clusters: a partial one is allocated whole anyway. */
		n = MIN(n, pnum);
		if (!(st & BLOCK_STATUS_ALLOCATED)) {
			ret = img_rebase_range(top, new_backing, off, n, grain,
					       old_buf, new_buf);
		}
		off += n;
	}
	free(old_buf);
	free(new_buf);
	return ret;
}

static int img_rebase_safe(struct block *top, const char *backing,
			   const char *backing_fmt)
{
	struct block *new_backing = NULL;
	struct error *err = NULL;
	char *path;
	int ret;

	if (*backing) {
		path = block_relative_path(block_filename(top), backing);
		if (!path) {
			return img_fail("out of memory");
		}
		new_backing = img_open(path, backing_fmt, 0, &err);
		free(path);
		if (!new_backing) {
			error_prepend(&err,
				      "Could not open new backing file "
				      "'%s': ",
				      backing);
			return img_fail_err(err);
		}
	}
	ret = img_rebase_copy(top, new_backing);
	block_close(new_backing);
	if (ret) {
		return img_fail("error while rebasing '%s': %s",
				block_filename(top), strerror(-ret));
	}
	return 0;
}

int img_rebase(int argc, char **argv)
{
	const char *fmt = NULL, *backing = NULL, *backing_fmt = NULL;
	struct error *err = NULL;
	struct block *top;
	bool unsafe = false;
	int ch, ret;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:b:F:t:T:upqU")) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'b':
			backing = optarg;
			break;
		case 'F':
			backing_fmt = optarg;
			break;
		case 'u':
			unsafe = true;
			break;
		case 't':
		case 'T':
		case 'p':
		case 'q':
		case 'U':
			break;
		default:
			img_usage("rebase");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("Expecting one image file name");
	}
	if (!backing) {
		return img_fail("Must specify backing file (-b)");
	}
	if (backing_fmt && !block_format_known(backing_fmt)) {
		return img_fail("Invalid format name: '%s'", backing_fmt);
	}
	if (*backing && !backing_fmt) {
		return img_fail("Could not change the backing file to '%s': "
				"backing format must be specified",
				backing);
	}
	top = img_open(argv[optind], fmt,
		       BLOCK_RDWR | (unsafe ? BLOCK_NO_BACKING : 0), &err);
	if (!top) {
		return img_fail_err(err);
	}
	if (!strcmp(block_format_name(top), "raw")) {
		block_close(top);
		return img_fail("Could not change the backing file to '%s': "
				"Operation not supported",
				backing);
	}
	ret = unsafe ? 0 : img_rebase_safe(top, backing, backing_fmt);
	if (!ret) {
		ret = block_change_backing(top, backing, backing_fmt);
		if (ret) {
			img_fail("Could not change the backing file to '%s': "
				 "%s",
				 backing, strerror(-ret));
		}
	}
	block_close(top);
	return ret ? 1 : 0;
}

/* Is [off, off + *len) allocated in some image from top down to (not
 * including) base? *len shrinks to the run that answers the same. */
static int img_allocated_above(struct block *top, struct block *base,
			       uint64_t off, uint64_t *len)
{
	for (struct block *bs = top; bs && bs != base; bs = block_backing(bs)) {
		uint64_t pnum;
		int st;

		if (off >= block_size(bs)) {
			continue;
		}
		st = block_get_status(bs, off, *len, &pnum, NULL);
		if (st < 0) {
			return st;
		}
		if (st & BLOCK_STATUS_ALLOCATED) {
			*len = pnum;
			return st | BLOCK_STATUS_ALLOCATED;
		}
		*len = MIN(*len, pnum);
	}
	return 0;
}

/* Write what top shows where images above base allocate into base. */
static int img_commit_copy(struct block *top, struct block *chain_base,
			   struct block *base)
{
	uint8_t *buf = malloc(IMG_REBASE_CHUNK);
	uint64_t off = 0;
	int ret = buf ? 0 : -ENOMEM;

	while (!ret && off < block_size(top)) {
		uint64_t n = MIN(IMG_REBASE_CHUNK, block_size(top) - off);
		int st = img_allocated_above(top, chain_base, off, &n);

		if (st < 0) {
			ret = st;
		} else if ((st & BLOCK_STATUS_ZERO) &&
			   !(st & BLOCK_STATUS_DATA)) {
			ret = block_pwrite_zeroes(base, off, n);
		} else if (st) {
			ret = block_pread(top, off, buf, n);
			if (!ret) {
				ret = block_pwrite(base, off, buf, n);
			}
		}
		off += n;
	}
	free(buf);
	return ret;
}

/* The image of top's chain that base names (by its real path). */
static struct block *img_find_base(struct block *top, const char *base)
{
	char want[PATH_MAX], have[PATH_MAX];

	if (!realpath(base, want)) {
		return NULL;
	}
	for (struct block *bs = block_backing(top); bs;
	     bs = block_backing(bs)) {
		if (realpath(block_filename(bs), have) && !strcmp(want, have)) {
			return bs;
		}
	}
	return NULL;
}

/*
 * Commit top into the image at path (format fmt); stop is where top's
 * open chain reaches that image (NULL when top was opened alone).
 */
static int img_commit_into(struct block *top, const char *path, const char *fmt,
			   struct block *stop, bool drop)
{
	struct error *err = NULL;
	struct block *base;
	int ret = 0;

	base = img_open(path, fmt, BLOCK_RDWR, &err);
	if (!base) {
		return img_fail_err(err);
	}
	if (block_size(base) < block_size(top) &&
	    !block_resize(base, block_size(top), &err)) {
		block_close(base);
		return img_fail_err(err);
	}
	ret = img_commit_copy(top, stop, base);
	if (!ret) {
		ret = block_flush(base);
	}
	block_close(base);
	if (!ret && !drop) {
		ret = block_make_empty(top);
	}
	if (ret) {
		return img_fail("Image commit failed: %s", strerror(-ret));
	}
	printf("Image committed.\n");
	return 0;
}

/* -b: top's chain is read with -U's share mode so that base, which it
 * holds open read-only, can be opened for writing beside it. */
static int img_commit_to_base(const char *filename, const char *fmt,
			      const char *base_name)
{
	struct error *err = NULL;
	struct block *top, *base;
	int ret;

	top = img_open(filename, fmt, BLOCK_FORCE_SHARE, &err);
	if (!top) {
		return img_fail_err(err);
	}
	base = img_find_base(top, base_name);
	if (!base) {
		block_close(top);
		return img_fail("Did not find '%s' in the backing chain of "
				"'%s'",
				base_name, filename);
	}
	ret = img_commit_into(top, block_filename(base),
			      block_format_name(base), base, true);
	block_close(top);
	return ret;
}

/* Into the backing file: top alone holds the data to copy. */
static int img_commit_to_backing(const char *filename, const char *fmt,
				 bool drop)
{
	struct error *err = NULL;
	struct block_info info;
	struct block *top;
	char *path;
	int ret;

	top = img_open(filename, fmt,
		       BLOCK_NO_BACKING | (drop ? 0 : BLOCK_RDWR), &err);
	if (!top) {
		return img_fail_err(err);
	}
	block_get_info(top, &info);
	if (!info.backing_file) {
		block_close(top);
		return img_fail("Image does not have a backing file");
	}
	path = block_relative_path(filename, info.backing_file);
	if (!path) {
		block_close(top);
		return img_fail("out of memory");
	}
	ret = img_commit_into(top, path, info.backing_format, NULL, drop);
	free(path);
	block_close(top);
	return ret;
}

int img_commit(int argc, char **argv)
{
	const char *fmt = NULL, *base_name = NULL;
	bool drop = false;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:b:t:r:dpq")) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'b':
			base_name = optarg;
			break;
		case 'd':
			drop = true;
			break;
		case 't':
		case 'r':
		case 'p':
		case 'q':
			break;
		default:
			img_usage("commit");
			return 1;
		}
	}
	if (optind != argc - 1) {
		return img_fail("Expecting one image file name");
	}
	if (base_name) {
		/* As qemu-img: -b implies -d. */
		return img_commit_to_base(argv[optind], fmt, base_name);
	}
	return img_commit_to_backing(argv[optind], fmt, drop);
}
