/* SPDX-License-Identifier: MIT */
/* mimic-img dd: copy part of an image into a new one, dd's operands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/types.h"

struct img_dd_args {
	const char *in, *out;
	uint64_t bs, count, skip;
	bool has_count, has_skip;
};

static bool img_dd_number(const char *what, const char *val, uint64_t *out,
			  struct error **errp)
{
	if (!img_parse_size(val, out, NULL)) {
		error_setg(errp,
			   "Invalid %s specified. You may use k, M, G, T, P or "
			   "E suffixes for kilobytes, megabytes, gigabytes, "
			   "terabytes, petabytes and exabytes.",
			   what);
		return false;
	}
	return true;
}

/* One KEY=VALUE operand. */
static bool img_dd_operand(struct img_dd_args *dd, const char *arg,
			   struct error **errp)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);

	if (eq && klen == 2 && !strncmp(arg, "if", 2)) {
		dd->in = eq + 1;
	} else if (eq && klen == 2 && !strncmp(arg, "of", 2)) {
		dd->out = eq + 1;
	} else if (eq && klen == 2 && !strncmp(arg, "bs", 2)) {
		if (!img_parse_size(eq + 1, &dd->bs, NULL) || !dd->bs ||
		    dd->bs > INT32_MAX) {
			error_setg(errp,
				   "Invalid bs specified. Must be between "
				   "1 and 2147483647.");
			return false;
		}
	} else if (eq && klen == 5 && !strncmp(arg, "count", 5)) {
		dd->has_count = true;
		return img_dd_number("count", eq + 1, &dd->count, errp);
	} else if (eq && klen == 4 && !strncmp(arg, "skip", 4)) {
		dd->has_skip = true;
		return img_dd_number("skip", eq + 1, &dd->skip, errp);
	} else {
		error_setg(errp, "unrecognized operand %.*s", (int)klen, arg);
		return false;
	}
	return true;
}

/*
 * Copy [skip * bs, end) of in to the start of out a block at a time; as
 * qemu-img, count limits where the copy ends, counted from the start.
 */
static int img_dd_copy(struct block *in, struct block *out, uint64_t from,
		       uint64_t end, uint64_t bs)
{
	uint8_t *buf = malloc(bs);
	int ret = buf ? 0 : -ENOMEM;

	for (uint64_t pos = from; !ret && pos < end; pos += bs) {
		uint64_t n = MIN(bs, end - pos);
		uint64_t i = 0;

		ret = block_pread(in, pos, buf, n);
		while (!ret && i < n && !buf[i]) {
			i++;
		}
		/* The new image reads as zeros already. */
		if (!ret && i < n) {
			ret = block_pwrite(out, pos - from, buf, n);
		}
	}
	free(buf);
	return ret;
}

static int img_dd_run(const struct img_dd_args *dd, const char *fmt,
		      const char *out_fmt)
{
	struct block_create_opts c = { .size_given = true };
	struct error *err = NULL;
	struct block *in, *out;
	uint64_t end, from = 0;
	int ret;

	in = img_open(dd->in, fmt, 0, &err);
	if (!in) {
		return img_fail_err(err);
	}
	end = block_size(in);
	if (dd->has_count && dd->count <= UINT64_MAX / dd->bs &&
	    end > dd->count * dd->bs) {
		end = dd->count * dd->bs;
	}
	if (dd->has_skip) {
		from = dd->skip > UINT64_MAX / dd->bs ? UINT64_MAX :
							dd->skip * dd->bs;
	}
	c.size = from > end ? 0 : end - from;
	if (!block_create(dd->out, out_fmt, &c, &err) ||
	    !(out = img_open(dd->out, out_fmt, BLOCK_RDWR, &err))) {
		block_close(in);
		return img_fail_err(err);
	}
	if (from > end) {
		/* qemu-img says so, and succeeds with an empty image. */
		fprintf(stderr,
			"mimic-img: %s: cannot skip to specified offset\n",
			dd->in);
	}
	ret = from > end ? 0 : img_dd_copy(in, out, from, end, dd->bs);
	block_close(out);
	block_close(in);
	if (ret) {
		return img_fail("error while copying '%s': %s", dd->in,
				strerror(-ret));
	}
	return 0;
}

int img_dd(int argc, char **argv)
{
	struct img_dd_args dd = { .bs = 512 };
	const char *fmt = NULL, *out_fmt = "raw";
	struct error *err = NULL;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:O:U")) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'O':
			out_fmt = optarg;
			break;
		case 'U':
			break;
		default:
			img_usage("dd");
			return 1;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (!img_dd_operand(&dd, argv[i], &err)) {
			return img_fail_err(err);
		}
	}
	if (!dd.in || !dd.out) {
		return img_fail("Must specify both input and output files");
	}
	if (!block_format_known(out_fmt)) {
		return img_fail("Unknown file format '%s'", out_fmt);
	}
	return img_dd_run(&dd, fmt, out_fmt);
}
