/* SPDX-License-Identifier: MIT */
/* The block layer's public API: open, read, write and describe disk images. */
#ifndef MIMIC_BLOCK_BLOCK_H
#define MIMIC_BLOCK_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/*
 * An open image. Every I/O call is positioned (no shared file offset) and
 * safe to call from several threads at once on the same image: drivers
 * protect their metadata with their own lock. I/O calls return 0 or a
 * negative errno (-EIO for corrupt metadata met on that request).
 */
struct block;

/* Open flags. */
enum {
	BLOCK_RDWR = 1 << 0,
	/* cache=none: O_DIRECT on the host file (unaligned I/O is bounced). */
	BLOCK_NOCACHE = 1 << 1,
	/* cache=writethrough: every write is flushed before it completes. */
	BLOCK_WRITETHROUGH = 1 << 2,
	/* cache=unsafe: flush requests are ignored. */
	BLOCK_NO_FLUSH = 1 << 3,
	/* For `check -r`: open dirty or corrupt images read-write. */
	BLOCK_REPAIR = 1 << 4,
	/* Leave the backing chain closed: unallocated clusters read as
	 * zeros (for inspecting untrusted images). */
	BLOCK_NO_BACKING = 1 << 5,
	/*
	 * Images are locked as QEMU locks them (OFD locks on bytes 100-103
	 * and 200-203): a writer excludes every other user, readers exclude
	 * writers. BLOCK_FORCE_SHARE (read-only, qemu-img's -U) lets others
	 * write meanwhile; BLOCK_NO_LOCK (file.locking=off) takes no locks.
	 */
	BLOCK_FORCE_SHARE = 1 << 6,
	BLOCK_NO_LOCK = 1 << 7,
};

/* Parse cache=writeback|none|writethrough|unsafe|directsync into flags
 * (added to *flags, cache flags first cleared). */
bool block_parse_cache_mode(const char *mode, int *flags, struct error **errp);

/*
 * Open filename. format is "raw", "qcow2" or NULL to probe (qcow2 magic,
 * else raw). A qcow2 image's backing chain is opened read-only.
 */
struct block *block_open(const char *filename, const char *format, int flags,
			 struct error **errp);
void block_close(struct block *bs);

/* A backing file name as the image names it: relative to the image's
 * directory unless absolute (malloc'd, NULL when out of memory). */
char *block_relative_path(const char *image, const char *name);

/* The format a file holds by its first bytes ("qcow2" or "raw"). */
const char *block_probe_format(const char *filename, struct error **errp);
/* true when format names a driver ("raw", "qcow2"). */
bool block_format_known(const char *format);

const char *block_format_name(const struct block *bs);
const char *block_filename(const struct block *bs);
uint64_t block_size(const struct block *bs);
bool block_is_writable(const struct block *bs);
/* The BLOCK_* flags bs was opened with. */
int block_flags(const struct block *bs);
/* Length of the host file holding bs (its format's own data included). */
uint64_t block_host_length(struct block *bs);
/* The open backing image, or NULL. */
struct block *block_backing(const struct block *bs);

int block_pread(struct block *bs, uint64_t offset, void *buf, size_t len);
int block_pwrite(struct block *bs, uint64_t offset, const void *buf,
		 size_t len);
int block_flush(struct block *bs);
/*
 * Write one compressed cluster (qcow2 only; -ENOTSUP elsewhere). offset is
 * cluster aligned, len is the cluster size (less at the end of the image)
 * and the cluster must not have been written yet.
 */
int block_pwrite_compressed(struct block *bs, uint64_t offset, const void *buf,
			    size_t len);
/*
 * Make [offset, offset + len) read as zeros, deallocating where the format
 * can (qcow2 zero clusters, raw holes) and writing zeros elsewhere.
 */
int block_pwrite_zeroes(struct block *bs, uint64_t offset, uint64_t len);
/*
 * The guest no longer needs [offset, offset + len) (TRIM). Advisory: whole
 * clusters are freed and read as zeros after it; the rest may keep data.
 */
int block_discard(struct block *bs, uint64_t offset, uint64_t len);
/* The unit compressed writes take, 0 when the format cannot compress. */
uint64_t block_cluster_size(const struct block *bs);

/* Allocation status of a range, for sparse copies and `map`. */
enum {
	BLOCK_STATUS_DATA = 1 << 0, /* reads come from this image's data */
	BLOCK_STATUS_ZERO = 1 << 1, /* reads are known to return zeros */
	BLOCK_STATUS_ALLOCATED = 1
				 << 2, /* decided by this image, not backing */
	BLOCK_STATUS_OFFSET_VALID = 1 << 3, /* *host_offset is meaningful */
	BLOCK_STATUS_COMPRESSED = 1 << 4,
};

/*
 * Status of [offset, offset + len): returns BLOCK_STATUS_* flags (or a
 * negative errno) that hold for the first *pnum bytes (*pnum > 0).
 * host_offset may be NULL.
 */
int block_get_status(struct block *bs, uint64_t offset, uint64_t len,
		     uint64_t *pnum, uint64_t *host_offset);

/*
 * Name another backing file (NULL or "": none) and its format in the
 * image's header. Only the header changes: the open backing chain stays
 * as it was until the image is opened again (-ENOTSUP for raw).
 */
int block_change_backing(struct block *bs, const char *name, const char *fmt);
/* Drop every cluster of the image so that reads fall through to the
 * backing file (commit's emptying; -ENOTSUP for raw). */
int block_make_empty(struct block *bs);

/* An internal snapshot (qcow2). */
struct block_snapshot_info {
	const char *id;
	const char *name;
	uint64_t vm_state_size;
	uint32_t date_sec, date_nsec;
	uint64_t vm_clock_nsec;
	uint64_t disk_size; /* the virtual size when it was taken */
	uint64_t icount; /* UINT64_MAX: none */
};

/*
 * The image's internal snapshots in table order: returns how many (*list
 * then needs block_snapshot_list_free) or a negative errno; -ENOTSUP when
 * the format has none.
 */
int block_snapshot_list(struct block *bs, struct block_snapshot_info **list);
void block_snapshot_list_free(struct block_snapshot_info *list, int count);

enum block_snapshot_op {
	BLOCK_SNAPSHOT_CREATE,
	BLOCK_SNAPSHOT_APPLY, /* the image reads as the snapshot again */
	BLOCK_SNAPSHOT_DELETE,
};

/*
 * Create a snapshot named name, or apply or delete the one whose ID, else
 * name, is name. 0 or a negative errno (-ENOENT: no such snapshot).
 */
int block_snapshot(struct block *bs, enum block_snapshot_op op,
		   const char *name);

/* What `amend` changes; zero or -1 keeps the image's value. */
struct block_amend_opts {
	int compat; /* qcow2: 2 (compat=0.10) or 3 (compat=1.1) */
	int lazy_refcounts; /* 0 or 1; -1 keep */
};

bool block_amend(struct block *bs, const struct block_amend_opts *o,
		 struct error **errp);

/* Grow (or, for raw, shrink) the virtual size. */
bool block_resize(struct block *bs, uint64_t size, struct error **errp);

/* Options for block_create. Zero means the default. */
struct block_create_opts {
	uint64_t size;
	uint64_t cluster_size; /* qcow2: 512 B .. 2 MiB, default 64 KiB */
	int compat; /* qcow2: 2 (compat=0.10) or 3 (compat=1.1, default) */
	const char *backing_file;
	const char *backing_format;
	bool size_given; /* else the backing file's size */
};

bool block_create(const char *filename, const char *format,
		  const struct block_create_opts *opts, struct error **errp);

/* What `info` prints; strings point into bs and live as long as it does. */
struct block_info {
	const char *format;
	uint64_t virtual_size;
	uint64_t cluster_size; /* 0 for raw */
	bool dirty;
	const char *backing_file; /* as stored in the image, or NULL */
	const char *backing_format;
	/* qcow2 only */
	const char *compat; /* "0.10" or "1.1" */
	bool lazy_refcounts;
	unsigned refcount_bits;
	bool corrupt;
	bool extended_l2;
	const char *compression_type;
};

void block_get_info(struct block *bs, struct block_info *info);

/* Result of a consistency check (qcow2 refcounts). */
struct block_check_result {
	uint64_t corruptions;
	uint64_t leaks;
	uint64_t check_errors; /* I/O errors while checking */
	uint64_t corruptions_fixed;
	uint64_t leaks_fixed;
	uint64_t image_end_offset;
	uint64_t total_clusters;
	uint64_t allocated_clusters;
	uint64_t fragmented_clusters;
	uint64_t compressed_clusters;
	bool supported; /* false: the format has nothing to check */
};

enum {
	BLOCK_FIX_LEAKS = 1 << 0,
	BLOCK_FIX_ERRORS = 1 << 1,
};

/*
 * Check bs (opened read-write when fix is non-zero). Problems are printed
 * on stderr one line each, as qemu-img does. Returns 0 or a negative errno
 * when the check itself could not run.
 */
int block_check(struct block *bs, struct block_check_result *res, int fix);

#endif
