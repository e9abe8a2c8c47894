/* SPDX-License-Identifier: MIT */
/* mimic-img: create, inspect, convert and check disk images (raw, qcow2). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "tools/img/img.h"
#include "util/options.h"

static const struct img_command img_commands[] = {
	{ "create",
	  "create [-f fmt] [-o options] [-b backing_file [-F backing_fmt]] "
	  "filename [size]",
	  "  -f fmt        image format: raw or qcow2 (default raw)\n"
	  "  -o options    cluster_size=SIZE, compat=0.10|1.1, "
	  "preallocation=off,\n"
	  "                backing_file=FILE, backing_fmt=FMT\n"
	  "  -b FILE       backing file (qcow2); size defaults to its size\n"
	  "  -F FMT        backing file format\n"
	  "  size          bytes, or with a k, M, G, T suffix\n",
	  img_create },
	{ "info",
	  "info [-f fmt] [--output=human|json] [--backing-chain] filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  --backing-chain  every image of the backing chain\n"
	  "  --output=OFMT human (default) or json\n",
	  img_info },
	{ "convert",
	  "convert [-f fmt] [-O output_fmt] [-o options] [-c] [-p] [-n] "
	  "[-t cache] [-S sparse_size] filename output_filename",
	  "  -f fmt        source format (default: probe)\n"
	  "  -O fmt        output format (default raw)\n"
	  "  -o options    output options, as for create\n"
	  "  -c            compress the output (qcow2)\n"
	  "  -p            show progress\n"
	  "  -n            write into an existing output image (no create)\n"
	  "  -t cache      output cache mode: writeback (flush at the end), "
	  "none,\n"
	  "                writethrough, unsafe (default, as qemu-img: no "
	  "flush)\n"
	  "  -S size       zero run that is left sparse (default 4k, 0: "
	  "write all)\n",
	  img_convert },
	{ "check",
	  "check [-f fmt] [--output=human|json] [-r leaks|all] filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  -r leaks|all  repair leaked clusters, or all errors\n"
	  "  --output=OFMT human (default) or json\n"
	  "  exit status: 0 consistent, 1 check failed, 2 corrupted, 3 "
	  "leaks,\n"
	  "               63 format has no checks\n",
	  img_check },
	{ "resize", "resize [-f fmt] [--shrink] filename [+|-]size",
	  "  -f fmt        image format (default: probe)\n"
	  "  --shrink      allow the size to shrink (raw)\n",
	  img_resize },
	{ "compare", "compare [-f fmt] [-F fmt] [-s] filename1 filename2",
	  "  -f fmt        format of the first image (default: probe)\n"
	  "  -F fmt        format of the second image (default: probe)\n"
	  "  -s            strict: a size mismatch is a difference\n"
	  "  exit status: 0 identical, 1 different, 2 error\n",
	  img_compare },
	{ "map", "map [-f fmt] [--output=human|json] filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  --output=OFMT human (default) or json\n",
	  img_map },
	{ "rebase",
	  "rebase [-f fmt] [-u] -b backing_file [-F backing_fmt] filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  -b FILE       the new backing file (\"\": none, the image stands "
	  "alone)\n"
	  "  -F FMT        the new backing file's format (needed with a "
	  "name)\n"
	  "  -u            unsafe: only rewrite the header; without it, "
	  "clusters\n"
	  "                that read differently through the new backing file "
	  "are\n"
	  "                copied into the image first\n",
	  img_rebase },
	{ "commit", "commit [-f fmt] [-b base] [-d] filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  -b FILE       commit into this image of the backing chain "
	  "(implies -d)\n"
	  "  -d            do not empty the image after the commit\n",
	  img_commit },
	{ "snapshot",
	  "snapshot [-f fmt] [-l | -c name | -a name | -d name] "
	  "filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  -l            list the internal snapshots (qcow2)\n"
	  "  -c NAME       create a snapshot of the image as it is now\n"
	  "  -a NAME       apply a snapshot: the image reads as it did then\n"
	  "  -d NAME       delete a snapshot\n"
	  "  a NAME given to -a and -d is a snapshot ID or, failing that, a "
	  "name\n",
	  img_snapshot },
	{ "measure",
	  "measure [--output=human|json] [-O output_fmt] [-o options] "
	  "(--size N | [-f fmt] filename)",
	  "  -O fmt        the format to measure for: raw (default) or qcow2\n"
	  "  -o options    qcow2 options, as for create (cluster_size, "
	  "compat,\n"
	  "                backing_file: then every cluster counts)\n"
	  "  --size N      a new, empty image of N bytes\n"
	  "  -f fmt        the format of filename (default: probe)\n"
	  "  --output=OFMT human (default) or json\n",
	  img_measure },
	{ "amend", "amend [-f fmt] -o options filename",
	  "  -f fmt        image format (default: probe)\n"
	  "  -o options    compat=0.10|1.1 (qcow2 version 2 or 3; going down "
	  "turns\n"
	  "                zero clusters into unallocated or written ones), "
	  "\n"
	  "                lazy_refcounts=on|off (compat=1.1)\n",
	  img_amend },
	{ "dd",
	  "dd [-f fmt] [-O output_fmt] [bs=block_size] [count=blocks] "
	  "[skip=blocks] if=input of=output",
	  "  -f fmt        input format (default: probe)\n"
	  "  -O fmt        output format: raw (default) or qcow2; the output "
	  "is created\n"
	  "  bs=SIZE       block size (default 512)\n"
	  "  count=N       copy up to N blocks from the start of the input "
	  "(as qemu-img:\n"
	  "                skipped blocks count too)\n"
	  "  skip=N        start N blocks into the input\n",
	  img_dd },
};

void img_usage(const char *name)
{
	for (size_t i = 0; i < sizeof(img_commands) / sizeof(img_commands[0]);
	     i++) {
		if (!strcmp(img_commands[i].name, name)) {
			printf("usage: mimic-img %s\n\n%s",
			       img_commands[i].usage, img_commands[i].help);
		}
	}
}

bool img_wants_help(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			break;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			img_usage(name);
			return true;
		}
	}
	return false;
}

int img_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("mimic-img: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int img_fail_err(struct error *err)
{
	error_report_err(err);
	return 1;
}

bool img_parse_size(const char *str, uint64_t *out, struct error **errp)
{
	char buf[64];
	size_t len = strlen(str);

	/* qemu-img takes lower-case suffixes too. */
	if (len && len < sizeof(buf)) {
		memcpy(buf, str, len + 1);
		if (strchr("kmgtpe", buf[len - 1])) {
			buf[len - 1] -= 'a' - 'A';
		}
		if (buf[len - 1] == 'b' || buf[len - 1] == 'B') {
			buf[len - 1] = '\0';
		}
		str = buf;
	}
	if (!options_parse_size(str, 0, out, NULL)) {
		error_setg(errp,
			   "invalid image size '%s' (use a number of bytes, "
			   "optionally with a k, M, G or T suffix)",
			   str);
		return false;
	}
	return true;
}

/* -U: read images other processes are writing (no "write" lock kept). */
static bool img_force_share;

struct block *img_open(const char *filename, const char *fmt, int flags,
		       struct error **errp)
{
	if (img_force_share && !(flags & BLOCK_RDWR)) {
		flags |= BLOCK_FORCE_SHARE;
	}
	if (fmt && !block_format_known(fmt)) {
		error_setg(errp, "unknown file format '%s'", fmt);
		return NULL;
	}
	return block_open(filename, fmt, flags, errp);
}

void img_size_to_str(uint64_t size, char *buf, size_t len)
{
	static const char *const units[] = { "B",   "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	int exp;
	int i;

	/* The largest unit that keeps at least 1000/1024 of it. */
	frexp((double)size / (1000.0 / 1024.0), &exp);
	i = exp > 0 ? (exp - 1) / 10 : 0;
	if (i > 6) {
		i = 6;
	}
	snprintf(buf, len, "%0.3g %s",
		 (double)size / (double)(1ull << (i * 10)), units[i]);
}

static void img_help(void)
{
	printf("mimic-img version %s: create, inspect, convert and check disk "
	       "images\n\nusage: mimic-img COMMAND [options]\n\ncommands:\n",
	       MIMIC_VERSION);
	for (size_t i = 0; i < sizeof(img_commands) / sizeof(img_commands[0]);
	     i++) {
		printf("  %s\n", img_commands[i].usage);
	}
	printf("\nformats: raw qcow2\n'mimic-img COMMAND --help' describes "
	       "one command.\n");
}

int main(int argc, char **argv)
{
	error_set_progname("mimic-img");
	if (argc < 2) {
		img_help();
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		img_help();
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("mimic-img version %s\n", MIMIC_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(img_commands) / sizeof(img_commands[0]);
	     i++) {
		if (!strcmp(img_commands[i].name, argv[1])) {
			if (img_wants_help(argc - 1, argv + 1, argv[1])) {
				return 0;
			}
			for (int a = 2; a < argc && strcmp(argv[a], "--");
			     a++) {
				img_force_share |= !strcmp(argv[a], "-U");
			}
			return img_commands[i].run(argc - 1, argv + 1);
		}
	}
	return img_fail("unknown command '%s' (try 'mimic-img --help')",
			argv[1]);
}
