/* SPDX-License-Identifier: MIT */
/* mimic-img's shared pieces: the command table and small helpers. */
#ifndef MIMIC_TOOLS_IMG_IMG_H
#define MIMIC_TOOLS_IMG_IMG_H

#include <stdbool.h>
#include <stdint.h>

#include "block/block.h"

struct img_command {
	const char *name;
	const char *usage; /* one line, after "mimic-img " */
	const char *help; /* option descriptions, several lines */
	int (*run)(int argc, char **argv);
};

int img_create(int argc, char **argv);
int img_info(int argc, char **argv);
int img_convert(int argc, char **argv);
int img_check(int argc, char **argv);
int img_resize(int argc, char **argv);
int img_compare(int argc, char **argv);
int img_map(int argc, char **argv);
int img_rebase(int argc, char **argv);
int img_commit(int argc, char **argv);
int img_snapshot(int argc, char **argv);
int img_measure(int argc, char **argv);
int img_amend(int argc, char **argv);
int img_dd(int argc, char **argv);

/* qemu-img's "Snapshot list:" table (nothing without snapshots); 0 or a
 * negative errno. */
int img_snapshot_print_table(struct block *bs);

/*
 * Status of [off, off + len) through the backing chain: the first image
 * that allocates it (*where, *depth below bs), else ZERO. *pnum as for
 * block_get_status().
 */
int img_chain_status_at(struct block *bs, uint64_t off, uint64_t len,
			uint64_t *pnum, struct block **where, int *depth,
			uint64_t *host);
int img_chain_status(struct block *bs, uint64_t off, uint64_t len,
		     uint64_t *pnum);

struct opts;
/* Parse create's -o string into c; keep holds the strings c points to. */
bool img_parse_create_opts(const char *str, struct block_create_opts *c,
			   struct opts **keep, struct error **errp);

/* Print the usage of one command (to stdout, for --help). */
void img_usage(const char *name);
/* "mimic-img: msg" on stderr and return 1, for one-line failures. */
int img_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Report an error (freeing it) and return 1. */
int img_fail_err(struct error *err);
/* Parse a size with k/K/M/G/T suffixes (bytes when none). */
bool img_parse_size(const char *str, uint64_t *out, struct error **errp);
/* Open an image, naming the file in errors. */
struct block *img_open(const char *filename, const char *fmt, int flags,
		       struct error **errp);
/* Format a byte count the way qemu-img does ("1 GiB", "196 KiB"). */
void img_size_to_str(uint64_t size, char *buf, size_t len);
/* Parse --output=human|json. */
bool img_parse_output(const char *arg, bool *json);
/* Handle --help among a command's arguments: true when it was given. */
bool img_wants_help(int argc, char **argv, const char *name);

#endif
