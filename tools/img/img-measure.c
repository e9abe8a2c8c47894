/* SPDX-License-Identifier: MIT */
/* mimic-img measure: the file size a new image needs, as qemu-img counts. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "tools/img/img.h"
#include "util/json-text.h"
#include "util/options.h"
#include "util/types.h"

struct img_measure_result {
	uint64_t required;
	uint64_t fully_allocated;
	bool has_bitmaps; /* qcow2 v3 from a qcow2 image: "bitmaps size: 0" */
};

static uint64_t img_div_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

static uint64_t img_round_up(uint64_t a, uint64_t b)
{
	return img_div_up(a, b) * b;
}

/* Refcount table and blocks for clusters, counting themselves too. */
static uint64_t img_refcount_metadata(uint64_t clusters, uint64_t cs,
				      unsigned refcount_order)
{
	uint64_t per_block = cs * 8 / (1u << refcount_order);
	uint64_t table = 0, blocks = 0, n = 0, last;

	do {
		last = n;
		blocks = img_div_up(clusters + table + blocks, per_block);
		table = img_div_up(blocks, cs / 8);
		n = clusters + blocks + table;
	} while (n != last);
	return (blocks + table) * cs;
}

/* A qcow2 file holding every cluster of size: header, tables, data. */
static uint64_t img_qcow2_full_size(uint64_t size, uint64_t cs)
{
	uint64_t aligned = img_round_up(size, cs), meta = cs;
	uint64_t l2_entries = img_round_up(aligned / cs, cs / 8);
	uint64_t l1_entries = img_round_up(l2_entries * 8 / cs, cs / 8);

	meta += l2_entries * 8 + l1_entries * 8;
	meta += img_refcount_metadata((meta + aligned) / cs, cs, 4);
	return meta + aligned;
}

/* Bytes of data clusters the image's chain holds (zeros do not count). */
static int img_measure_data(struct block *bs, uint64_t cs, uint64_t *out)
{
	uint64_t off = 0, pnum, size = block_size(bs);

	*out = 0;
	for (; off < size; off += pnum) {
		int st = img_chain_status(bs, off, size - off, &pnum);

		if (st < 0) {
			return st;
		}
		if (!(st & BLOCK_STATUS_ZERO) &&
		    (st & (BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED)) ==
			    (BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED)) {
			/* The rest of the cluster is counted with it. */
			pnum = img_round_up(off + pnum, cs) - off;
			*out += off % cs + pnum;
		}
	}
	return 0;
}

static bool img_measure_qcow2(struct block *in, uint64_t size,
			      const struct block_create_opts *c,
			      struct img_measure_result *m, struct error **errp)
{
	uint64_t cs = c->cluster_size ? c->cluster_size : 65536;
	uint64_t virt = img_round_up(size, cs), data = 0;
	int ret;

	if (cs < 512 || cs > (2u << 20) || (cs & (cs - 1))) {
		error_setg(errp, "Cluster size must be a power of two between "
				 "512 and 2048k");
		return false;
	}
	if (img_div_up(virt / cs, cs / 8) * 8 > (32u << 20)) {
		error_setg(errp, "The image size is too large (try using a "
				 "larger cluster size)");
		return false;
	}
	if (in && c->backing_file) {
		/* The new backing file may share nothing with the input. */
		data = virt;
	} else if (in) {
		ret = img_measure_data(in, cs, &data);
		if (ret) {
			error_setg_errno(errp, -ret,
					 "Unable to get block status");
			return false;
		}
	}
	m->fully_allocated = img_qcow2_full_size(virt, cs);
	m->required = m->fully_allocated - virt + data;
	m->has_bitmaps =
		in && c->compat != 2 && !strcmp(block_format_name(in), "qcow2");
	return true;
}

static void img_measure_print(const struct img_measure_result *m, bool json)
{
	json_object *o;

	if (!json) {
		printf("required size: %" PRIu64
		       "\nfully allocated size: %" PRIu64 "\n",
		       m->required, m->fully_allocated);
		if (m->has_bitmaps) {
			printf("bitmaps size: 0\n");
		}
		return;
	}
	o = json_object_new_object();
	if (m->has_bitmaps) {
		json_object_object_add(o, "bitmaps", json_object_new_int64(0));
	}
	json_object_object_add(o, "required",
			       json_object_new_int64((int64_t)m->required));
	json_object_object_add(
		o, "fully-allocated",
		json_object_new_int64((int64_t)m->fully_allocated));
	json_text_print(stdout, o, true);
	json_object_put(o);
}

struct img_measure_args {
	const char *fmt, *out_fmt, *optstr, *size_str, *file;
	bool json;
};

static bool img_measure_parse(int argc, char **argv, struct img_measure_args *a,
			      struct error **errp)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'j' },
		{ "size", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:O:o:U", longopts, NULL)) !=
	       -1) {
		switch (ch) {
		case 'f':
			a->fmt = optarg;
			break;
		case 'O':
			a->out_fmt = optarg;
			break;
		case 'o':
			a->optstr = optarg;
			break;
		case 's':
			a->size_str = optarg;
			break;
		case 'j':
			if (!img_parse_output(optarg, &a->json)) {
				error_setg(errp,
					   "--output must be human or json");
				return false;
			}
			break;
		case 'U':
			break;
		default:
			error_setg(errp, "Try 'mimic-img measure --help'");
			return false;
		}
	}
	a->file = optind < argc ? argv[optind] : NULL;
	if (optind + 1 < argc || (!a->file && !a->size_str)) {
		error_setg(errp, "Either --size N or one filename must be "
				 "specified.");
		return false;
	}
	if (a->file && a->size_str) {
		error_setg(errp,
			   "--size N cannot be used together with a filename.");
		return false;
	}
	return true;
}

int img_measure(int argc, char **argv)
{
	struct img_measure_args a = { .out_fmt = "raw" };
	struct block_create_opts c = { 0 };
	struct img_measure_result m = { 0 };
	struct error *err = NULL;
	struct block *in = NULL;
	struct opts *keep = NULL;
	uint64_t size = 0;
	bool ok;

	if (!img_measure_parse(argc, argv, &a, &err) ||
	    !img_parse_create_opts(a.optstr, &c, &keep, &err)) {
		opts_free(keep);
		return img_fail_err(err);
	}
	ok = !a.size_str || img_parse_size(a.size_str, &size, &err);
	if (ok && strcmp(a.out_fmt, "raw") && strcmp(a.out_fmt, "qcow2")) {
		error_setg(&err,
			   "Block driver '%s' does not support size "
			   "measurement",
			   a.out_fmt);
		ok = false;
	}
	if (ok && a.file) {
		in = img_open(a.file, a.fmt, 0, &err);
		ok = in != NULL;
		size = in ? block_size(in) : 0;
	}
	if (ok && !strcmp(a.out_fmt, "raw")) {
		m.required = m.fully_allocated = img_round_up(size, 512);
	} else if (ok) {
		ok = img_measure_qcow2(in, size, &c, &m, &err);
	}
	block_close(in);
	opts_free(keep);
	if (!ok) {
		return img_fail_err(err);
	}
	img_measure_print(&m, a.json);
	return 0;
}
