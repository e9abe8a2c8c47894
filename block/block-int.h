/* SPDX-License-Identifier: MIT */
/* The block layer's inside: the driver interface and host file helpers. */
#ifndef MIMIC_BLOCK_BLOCK_INT_H
#define MIMIC_BLOCK_BLOCK_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "block/block.h"

/*
 * A host file. Positioned I/O only; with O_DIRECT, unaligned requests go
 * through an aligned bounce buffer (and unaligned writes are serialised
 * by rmw_lock, since they read, modify and write whole sectors).
 */
struct block_file {
	int fd;
	bool direct;
	bool writable;
	unsigned align;
	pthread_mutex_t rmw_lock;
};

bool block_file_open(struct block_file *f, const char *filename, int flags,
		     struct error **errp);
void block_file_close(struct block_file *f);
/* Read up to len bytes; returns the bytes read (short only at end of file)
 * or a negative errno. */
ssize_t block_file_pread(struct block_file *f, uint64_t offset, void *buf,
			 size_t len);
/* Write all of buf; 0 or a negative errno. */
int block_file_pwrite(struct block_file *f, uint64_t offset, const void *buf,
		      size_t len);
int block_file_flush(struct block_file *f);
/* File size in bytes, or a negative errno. */
int64_t block_file_size(struct block_file *f);
int block_file_truncate(struct block_file *f, uint64_t size);
/* Bytes the file occupies on the host (st_blocks * 512). */
int64_t block_file_allocated(struct block_file *f);

struct block_driver {
	const char *name;
	/* Score 0..100 for the first bytes of a file (0: not this format). */
	int (*probe)(const uint8_t *buf, size_t len);
	/* depth: how deep in a backing chain this image is opened. */
	struct block *(*open)(const char *filename, int flags, int depth,
			      struct error **errp);
	void (*close)(struct block *bs);
	int (*pread)(struct block *bs, uint64_t offset, void *buf, size_t len);
	int (*pwrite)(struct block *bs, uint64_t offset, const void *buf,
		      size_t len);
	int (*pwrite_compressed)(struct block *bs, uint64_t offset,
				 const void *buf, size_t len);
	int (*pwrite_zeroes)(struct block *bs, uint64_t offset, uint64_t len);
	int (*discard)(struct block *bs, uint64_t offset, uint64_t len);
	int (*flush)(struct block *bs);
	int (*get_status)(struct block *bs, uint64_t offset, uint64_t len,
			  uint64_t *pnum, uint64_t *host_offset);
	bool (*resize)(struct block *bs, uint64_t size, struct error **errp);
	bool (*create)(const char *filename,
		       const struct block_create_opts *opts,
		       struct error **errp);
	void (*get_info)(struct block *bs, struct block_info *info);
	int (*check)(struct block *bs, struct block_check_result *res, int fix);
	int (*change_backing)(struct block *bs, const char *name,
			      const char *fmt);
	int (*make_empty)(struct block *bs);
	int (*snapshot)(struct block *bs, enum block_snapshot_op op,
			const char *name);
	int (*snapshot_list)(struct block *bs,
			     struct block_snapshot_info **list);
	bool (*amend)(struct block *bs, const struct block_amend_opts *o,
		      struct error **errp);
};

/* The common part of every open image; drivers embed it. */
struct block {
	const struct block_driver *drv;
	char *filename;
	uint64_t size;
	uint64_t cluster_size;
	int flags;
	struct block_file file;
	struct block *backing;
};

extern const struct block_driver block_raw_driver;
extern const struct block_driver block_qcow2_driver;

/* Fill the common part; the driver has allocated the containing struct. */
bool block_init_common(struct block *bs, const struct block_driver *drv,
		       const char *filename, int flags, struct error **errp);
void block_cleanup_common(struct block *bs);

/* Nesting limit for backing chains (a loop must end in an error). */
#define BLOCK_MAX_BACKING_DEPTH 16
struct block *block_open_depth(const char *filename, const char *format,
			       int flags, int depth, struct error **errp);

#endif
