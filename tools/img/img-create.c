/* SPDX-License-Identifier: MIT */
/* mimic-img create: a new raw or qcow2 image. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/options.h"

static bool img_opt_compat(struct opts *o, struct block_create_opts *c,
			   struct error **errp)
{
	const char *v = opts_get(o, "compat");

	if (!v) {
		return true;
	}
	if (!strcmp(v, "0.10") || !strcmp(v, "v2")) {
		c->compat = 2;
	} else if (!strcmp(v, "1.1") || !strcmp(v, "v3")) {
		c->compat = 3;
	} else {
		error_setg(errp, "invalid compat value '%s' (0.10 or 1.1)", v);
		return false;
	}
	return true;
}

/* Options only their default is supported for: accept that, refuse more. */
static bool img_opt_fixed(struct opts *o, const char *key, const char *ok1,
			  const char *ok2, struct error **errp)
{
	const char *v = opts_get(o, key);

	if (v && strcmp(v, ok1) && (!ok2 || strcmp(v, ok2))) {
		error_setg(errp, "%s=%s is not supported (only %s)", key, v,
			   ok1);
		return false;
	}
	return true;
}

bool img_parse_create_opts(const char *str, struct block_create_opts *c,
			   struct opts **keep, struct error **errp)
{
	struct opts *o;
	const char *v;

	*keep = NULL;
	if (!str) {
		return true;
	}
	o = opts_parse(str, NULL, errp);
	if (!o) {
		return false;
	}
	*keep = o;
	if (!opts_get_size(o, "cluster_size", 0, &c->cluster_size, errp) ||
	    !img_opt_compat(o, c, errp) ||
	    !img_opt_fixed(o, "preallocation", "off", NULL, errp) ||
	    !img_opt_fixed(o, "lazy_refcounts", "off", NULL, errp) ||
	    !img_opt_fixed(o, "refcount_bits", "16", NULL, errp) ||
	    !img_opt_fixed(o, "compression_type", "zlib", NULL, errp) ||
	    !img_opt_fixed(o, "extended_l2", "off", NULL, errp)) {
		return false;
	}
	v = opts_get(o, "backing_file");
	if (v) {
		c->backing_file = v;
	}
	v = opts_get(o, "backing_fmt");
	if (v) {
		c->backing_format = v;
	}
	v = opts_get(o, "size");
	if (v) {
		if (!img_parse_size(v, &c->size, errp)) {
			return false;
		}
		c->size_given = true;
	}
	return opts_check_unused(o, "-o", errp);
}

/* The line qemu-img prints, in its order, so logs read the same. */
static void img_print_formatting(const char *file, const char *fmt,
				 const struct block_create_opts *c,
				 const char *compat)
{
	printf("Formatting '%s', fmt=%s", file, fmt);
	if (strcmp(fmt, "qcow2")) {
		printf(" size=%" PRIu64 "\n", c->size);
		return;
	}
	printf(" cluster_size=%" PRIu64
	       " extended_l2=off compression_type=zlib size=%" PRIu64,
	       c->cluster_size ? c->cluster_size : 65536, c->size);
	if (c->backing_file) {
		printf(" backing_file=%s", c->backing_file);
	}
	if (c->backing_format) {
		printf(" backing_fmt=%s", c->backing_format);
	}
	if (compat) {
		printf(" compat=%s", compat);
	}
	printf(" lazy_refcounts=off refcount_bits=16\n");
}

/* Without a size, an overlay takes its backing file's. */
static bool img_backing_size(const char *file, struct block_create_opts *c,
			     struct error **errp)
{
	const char *slash = strrchr(file, '/');
	struct block *bs;
	char *path;

	if (c->backing_file[0] == '/' || !slash) {
		path = strdup(c->backing_file);
	} else if (asprintf(&path, "%.*s/%s", (int)(slash - file), file,
			    c->backing_file) < 0) {
		path = NULL;
	}
	if (!path) {
		error_setg(errp, "out of memory");
		return false;
	}
	bs = block_open(path, c->backing_format, 0, errp);
	free(path);
	if (!bs) {
		error_prepend(errp, "could not open backing file: ");
		return false;
	}
	c->size = block_size(bs);
	c->size_given = true;
	block_close(bs);
	return true;
}

int img_create(int argc, char **argv)
{
	struct block_create_opts c = { 0 };
	const char *fmt = "raw", *optstr = NULL, *file;
	struct error *err = NULL;
	struct opts *keep = NULL;
	bool quiet = false;
	int ch, ret = 1;

	optind = 1;
	while ((ch = getopt(argc, argv, "+f:o:b:F:qu")) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'o':
			optstr = optarg;
			break;
		case 'b':
			c.backing_file = optarg;
			break;
		case 'F':
			c.backing_format = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'u':
			break;
		default:
			img_usage("create");
			return 1;
		}
	}
	if (optind >= argc) {
		return img_fail("create: expecting a filename");
	}
	file = argv[optind++];
	if (!block_format_known(fmt)) {
		return img_fail("unknown file format '%s'", fmt);
	}
	if (!img_parse_create_opts(optstr, &c, &keep, &err)) {
		goto out;
	}
	if (optind < argc) {
		if (!img_parse_size(argv[optind++], &c.size, &err)) {
			goto out;
		}
		c.size_given = true;
	}
	if (optind < argc) {
		error_setg(&err, "create: unexpected argument '%s'",
			   argv[optind]);
		goto out;
	}
	if (!c.size_given && !c.backing_file) {
		error_setg(&err, "create: image size is missing");
		goto out;
	}
	if (c.backing_format && !block_format_known(c.backing_format)) {
		error_setg(&err, "unknown backing file format '%s'",
			   c.backing_format);
		goto out;
	}
	if (!c.size_given && !img_backing_size(file, &c, &err)) {
		goto out;
	}
	if (!quiet) {
		img_print_formatting(file, fmt, &c,
				     keep ? opts_get(keep, "compat") : NULL);
	}
	if (block_create(file, fmt, &c, &err)) {
		ret = 0;
	}
out:
	if (err) {
		error_report_err(err);
	}
	opts_free(keep);
	return ret;
}
