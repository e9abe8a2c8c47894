/* SPDX-License-Identifier: MIT */
/* mimic-img amend: change qcow2 options of an existing image in place. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tools/img/img.h"
#include "util/options.h"

/* compat= and lazy_refcounts=; anything else is qemu-img's error. */
static bool img_amend_opts(const char *str, struct block_amend_opts *a,
			   struct error **errp)
{
	struct opts *o = opts_parse(str, NULL, errp);
	const char *v;
	bool ok = false;

	if (!o) {
		return false;
	}
	v = opts_get(o, "compat");
	if (v && (!strcmp(v, "0.10") || !strcmp(v, "v2"))) {
		a->compat = 2;
	} else if (v && (!strcmp(v, "1.1") || !strcmp(v, "v3"))) {
		a->compat = 3;
	} else if (v) {
		error_setg(errp, "Unknown compatibility level %s", v);
		goto out;
	}
	v = opts_get(o, "lazy_refcounts");
	if (v && (!strcmp(v, "on") || !strcmp(v, "off"))) {
		a->lazy_refcounts = !strcmp(v, "on");
	} else if (v) {
		error_setg(errp, "Parameter 'lazy_refcounts' expects 'on' or "
				 "'off'");
		goto out;
	}
	ok = opts_check_unused(o, "-o", errp);
out:
	opts_free(o);
	return ok;
}

int img_amend(int argc, char **argv)
{
	struct block_amend_opts a = { .lazy_refcounts = -1 };
	const char *fmt = NULL, *optstr = NULL;
	struct error *err = NULL;
	struct block *bs;
	int ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:o:t:pq")) != -1) {
		switch (ch) {
		case 'f':
			fmt = optarg;
			break;
		case 'o':
			optstr = optarg;
			break;
		case 't':
		case 'p':
		case 'q':
			break;
		default:
			img_usage("amend");
			return 1;
		}
	}
	if (!optstr) {
		return img_fail("Must specify options (-o)");
	}
	if (optind != argc - 1) {
		return img_fail("Expecting one image file name");
	}
	if (!img_amend_opts(optstr, &a, &err)) {
		return img_fail_err(err);
	}
	bs = img_open(argv[optind], fmt, BLOCK_RDWR, &err);
	if (!bs) {
		return img_fail_err(err);
	}
	if (!block_amend(bs, &a, &err)) {
		block_close(bs);
		return img_fail_err(err);
	}
	block_close(bs);
	return 0;
}
