/* SPDX-License-Identifier: MIT */
/* mimic-img convert: copy an image into a new one, keeping holes sparse. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/options.h"
#include "util/types.h"

#define IMG_CONVERT_CHUNK (2u << 20)

struct img_converter {
	struct block *src, *dst;
	uint64_t size;
	uint64_t grain; /* zero runs of this size (aligned) are skipped */
	bool compress;
	bool progress;
	bool write_zeros; /* -n: the output holds old data to overwrite */
	uint8_t *buf;
};

static bool img_is_zero(const uint8_t *p, uint64_t len)
{
	const uint64_t *w = (const uint64_t *)p;

	/* p is grain-aligned inside an aligned buffer. */
	for (uint64_t i = 0; i < len / 8; i++) {
		if (w[i]) {
			return false;
		}
	}
	for (uint64_t i = len & ~7ull; i < len; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

/* Write [off, off + len) of buf, skipping aligned all-zero grains. */
static int img_convert_write(struct img_converter *c, uint64_t off,
			     const uint8_t *buf, uint64_t len)
{
	uint64_t pos = 0;

	while (pos < len) {
		uint64_t g = c->grain ? c->grain - (off + pos) % c->grain :
					len - pos;
		uint64_t run = 0;
		bool zero;
		int ret;

		g = MIN(g, len - pos);
		zero = c->grain && img_is_zero(buf + pos, g);
		/* Extend the run while grains keep the same zero-ness. */
		run = g;
		while (c->grain && pos + run < len) {
			uint64_t g2 = MIN(c->grain, len - pos - run);

			if (img_is_zero(buf + pos + run, g2) != zero) {
				break;
			}
			run += g2;
		}
		if (!zero) {
			ret = block_pwrite(c->dst, off + pos, buf + pos, run);
			if (ret) {
				return ret;
			}
		}
		pos += run;
	}
	return 0;
}

/* Compressed output goes cluster by cluster. */
static int img_convert_compressed(struct img_converter *c, uint64_t off,
				  const uint8_t *buf, uint64_t len)
{
	uint64_t cs = block_cluster_size(c->dst);

	for (uint64_t pos = 0; pos < len; pos += cs) {
		uint64_t n = MIN(cs, len - pos);
		int ret;

		if (img_is_zero(buf + pos, n)) {
			continue;
		}
		ret = block_pwrite_compressed(c->dst, off + pos, buf + pos, n);
		if (ret) {
			return ret;
		}
	}
	return 0;
}

static void img_convert_progress(struct img_converter *c, uint64_t done)
{
	if (c->progress) {
		printf("    (%.2f/100%%)\r",
		       c->size ? 100.0 * (double)done / (double)c->size :
				 100.0);
		fflush(stdout);
	}
}

static int img_convert_copy(struct img_converter *c)
{
	uint64_t off = 0;
	int ret;

	while (off < c->size) {
		uint64_t n = MIN(IMG_CONVERT_CHUNK, c->size - off);
		uint64_t pnum;
		int st;

		/* Chunks stay aligned so compressed clusters are whole. */
		n = MIN(n, IMG_CONVERT_CHUNK - off % IMG_CONVERT_CHUNK);
		st = block_get_status(c->src, off, n, &pnum, NULL);
		if (st < 0) {
			return st;
		}
		n = MIN(n, pnum);
		if (c->compress) {
			/* Whole clusters for the compressor: off stays
			 * cluster aligned. */
			uint64_t cs = block_cluster_size(c->dst);

			if ((st & BLOCK_STATUS_ZERO) && n >= cs) {
				off += n / cs * cs;
				img_convert_progress(c, off);
				continue;
			}
			n = MIN(c->size, (off + n + cs - 1) / cs * cs) - off;
		} else if ((st & BLOCK_STATUS_ZERO) && !c->write_zeros) {
			off += n;
			img_convert_progress(c, off);
			continue;
		}
		if ((st & BLOCK_STATUS_ZERO) && !c->compress) {
			/* -n: zeros must overwrite what the output held. */
			memset(c->buf, 0, n);
			ret = 0;
		} else {
			ret = block_pread(c->src, off, c->buf, n);
		}
		if (ret) {
			return ret;
		}
		ret = c->compress ? img_convert_compressed(c, off, c->buf, n) :
				    img_convert_write(c, off, c->buf, n);
		if (ret) {
			return ret;
		}
		off += n;
		img_convert_progress(c, off);
	}
	return block_flush(c->dst);
}

struct img_convert_args {
	const char *fmt, *out_fmt, *optstr, *src, *dst, *cache;
	bool compress, progress, no_create, out_fmt_given;
	uint64_t sparse;
};

static int img_convert_parse(int argc, char **argv, struct img_convert_args *a)
{
	struct error *err = NULL;
	int ch;

	a->out_fmt = "raw";
	/* As qemu-img: the output is not flushed unless asked (-t). */
	a->cache = "unsafe";
	a->sparse = 4096;
	optind = 1;
	while ((ch = getopt(argc, argv, "f:O:o:cpS:t:T:qnUW")) != -1) {
		switch (ch) {
		case 'f':
			a->fmt = optarg;
			break;
		case 'O':
			a->out_fmt = optarg;
			a->out_fmt_given = true;
			break;
		case 'o':
			a->optstr = optarg;
			break;
		case 'c':
			a->compress = true;
			break;
		case 'p':
			a->progress = true;
			break;
		case 't':
			a->cache = optarg;
			break;
		case 'T':
			break;
		case 'S':
			if (!img_parse_size(optarg, &a->sparse, &err)) {
				return img_fail_err(err);
			}
			break;
		case 'n':
			a->no_create = true;
			break;
		case 'q':
		case 'U':
		case 'W':
			break;
		default:
			img_usage("convert");
			return 1;
		}
	}
	if (optind != argc - 2) {
		return img_fail("convert: expecting a source and an output "
				"filename");
	}
	a->src = argv[optind];
	a->dst = argv[optind + 1];
	if (!block_format_known(a->out_fmt)) {
		return img_fail("unknown file format '%s'", a->out_fmt);
	}
	if (a->compress && (strcmp(a->out_fmt, "qcow2") || a->no_create)) {
		return img_fail("convert: -c needs -O qcow2 and a new image");
	}
	return 0;
}

/* -n: write into an image that exists, at least as large as the source. */
static int img_convert_open_existing(struct img_converter *c,
				     const struct img_convert_args *a,
				     struct error **errp)
{
	int flags = BLOCK_RDWR;

	if (a->optstr) {
		error_setg(errp, "convert: -o cannot be used with -n");
		return 1;
	}
	if (!block_parse_cache_mode(a->cache, &flags, errp)) {
		return 1;
	}
	c->dst = block_open(a->dst, a->out_fmt_given ? a->out_fmt : NULL, flags,
			    errp);
	if (!c->dst) {
		return 1;
	}
	if (block_size(c->dst) < c->size) {
		error_setg(errp, "output image '%s' is smaller than the source",
			   a->dst);
		block_close(c->dst);
		c->dst = NULL;
		return 1;
	}
	c->write_zeros = true;
	c->grain = 0;
	return 0;
}

static int img_convert_open_dst(struct img_converter *c,
				const struct img_convert_args *a,
				struct error **errp)
{
	struct block_create_opts co = { 0 };
	struct opts *keep = NULL;
	int flags = BLOCK_RDWR;
	bool ok;

	if (a->no_create) {
		return img_convert_open_existing(c, a, errp);
	}
	ok = img_parse_create_opts(a->optstr, &co, &keep, errp);
	if (ok && co.backing_file) {
		error_setg(errp, "convert: backing files for the output are "
				 "not supported");
		ok = false;
	}
	co.size = c->size;
	co.size_given = true;
	ok = ok && block_create(a->dst, a->out_fmt, &co, errp);
	opts_free(keep);
	if (!ok) {
		return 1;
	}
	if (!block_parse_cache_mode(a->cache, &flags, errp)) {
		return 1;
	}
	c->dst = block_open(a->dst, a->out_fmt, flags, errp);
	return c->dst ? 0 : 1;
}

int img_convert(int argc, char **argv)
{
	struct img_convert_args a = { 0 };
	struct img_converter c = { 0 };
	struct error *err = NULL;
	int ret;

	ret = img_convert_parse(argc, argv, &a);
	if (ret) {
		return ret;
	}
	c.src = img_open(a.src, a.fmt, 0, &err);
	if (!c.src) {
		return img_fail_err(err);
	}
	c.size = block_size(c.src);
	c.grain = a.sparse;
	c.compress = a.compress;
	c.progress = a.progress;
	if (img_convert_open_dst(&c, &a, &err)) {
		block_close(c.src);
		return img_fail_err(err);
	}
	ret = posix_memalign((void **)&c.buf, 4096,
			     IMG_CONVERT_CHUNK + (2u << 20));
	if (ret) {
		c.buf = NULL;
		ret = -ENOMEM;
	} else {
		ret = img_convert_copy(&c);
	}
	if (c.progress) {
		printf("    (100.00/100%%)\n");
	}
	free(c.buf);
	block_close(c.dst);
	block_close(c.src);
	if (ret) {
		return img_fail("error while converting '%s': %s", a.src,
				strerror(-ret));
	}
	return 0;
}
