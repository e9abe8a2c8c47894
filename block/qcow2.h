/* SPDX-License-Identifier: MIT */
/* qcow2 driver internals shared by its files (header, clusters, refcounts). */
#ifndef MIMIC_BLOCK_QCOW2_H
#define MIMIC_BLOCK_QCOW2_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "block/block-int.h"

#define QCOW2_MAGIC 0x514649fbu /* "QFI\xfb" */
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_V2_HEADER_LEN 72
#define QCOW2_V3_HEADER_LEN 104
/* Limits that keep a hostile header from making us allocate gigabytes. */
#define QCOW2_MAX_L1_BYTES (32u << 20)
#define QCOW2_MAX_REFTABLE_BYTES (8u << 20)
#define QCOW2_MAX_BACKING_NAME 1023

/* Header field offsets written in place. */
#define QCOW2_OFF_SIZE 24
#define QCOW2_OFF_L1_SIZE 36
#define QCOW2_OFF_REFTABLE 48
#define QCOW2_OFF_INCOMPAT 72

#define QCOW2_INCOMPAT_DIRTY (1ull << 0)
#define QCOW2_INCOMPAT_CORRUPT (1ull << 1)
#define QCOW2_INCOMPAT_DATA_FILE (1ull << 2)
#define QCOW2_INCOMPAT_COMPRESSION (1ull << 3)
#define QCOW2_INCOMPAT_EXTL2 (1ull << 4)
#define QCOW2_INCOMPAT_KNOWN (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT)
#define QCOW2_COMPAT_LAZY_REFCOUNTS (1ull << 0)

#define QCOW2_EXT_END 0x00000000u
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acau
#define QCOW2_EXT_FEATURE_TABLE 0x6803f857u

/* Table entry bits. */
#define QCOW2_OFLAG_COPIED (1ull << 63)
#define QCOW2_OFLAG_COMPRESSED (1ull << 62)
#define QCOW2_OFLAG_ZERO (1ull << 0)
#define QCOW2_OFFSET_MASK 0x00fffffffffffe00ull
#define QCOW2_L1_OFFSET_MASK QCOW2_OFFSET_MASK
#define QCOW2_L1_RESERVED 0x7f000000000001ffull
#define QCOW2_REFT_RESERVED 0x1ffull

/* Kinds of guest cluster, from an L2 entry. */
enum qcow2_cluster_type {
	QCOW2_CLUSTER_UNALLOCATED,
	QCOW2_CLUSTER_ZERO_PLAIN, /* zero flag, no host cluster */
	QCOW2_CLUSTER_ZERO_ALLOC, /* zero flag over a preallocated cluster */
	QCOW2_CLUSTER_NORMAL,
	QCOW2_CLUSTER_COMPRESSED,
};

/* A small write-through cache of cluster-sized tables (L2 or refblocks). */
struct qcow2_cache_entry {
	uint64_t offset; /* host offset, 0 when empty */
	uint64_t last_use;
	uint8_t *data;
};

#define QCOW2_CACHE_SIZE 16

struct qcow2_cache {
	struct qcow2_cache_entry entries[QCOW2_CACHE_SIZE];
	uint64_t clock;
};

struct qcow2_header {
	uint32_t version;
	uint64_t backing_file_offset;
	uint32_t backing_file_size;
	uint32_t cluster_bits;
	uint64_t size;
	uint32_t crypt_method;
	uint32_t l1_size;
	uint64_t l1_table_offset;
	uint64_t refcount_table_offset;
	uint32_t refcount_table_clusters;
	uint32_t nb_snapshots;
	uint64_t snapshots_offset;
	uint64_t incompatible_features;
	uint64_t compatible_features;
	uint64_t autoclear_features;
	uint32_t refcount_order;
	uint32_t header_length;
	uint8_t compression_type;
};

struct qcow2 {
	struct block common;
	pthread_mutex_t lock; /* all metadata below */
	/* Data I/O running outside the lock on clusters it mapped. */
	unsigned inflight;
	pthread_cond_t inflight_done;
	struct qcow2_header hdr;
	unsigned cluster_bits;
	uint64_t cluster_size;
	unsigned l2_bits; /* log2 of entries per L2 table */
	uint64_t *l1; /* host byte order */
	uint32_t l1_size;
	uint64_t *reftable; /* host byte order */
	uint64_t reftable_size; /* entries */
	unsigned refblock_bits; /* log2 of entries per refcount block */
	uint64_t refcount_max;
	struct qcow2_cache l2_cache;
	struct qcow2_cache refblock_cache;
	uint64_t free_cluster_hint; /* first cluster index that may be free */
	uint64_t compressed_cursor; /* next free byte for compressed data */
	char *backing_file;
	char *backing_format;
	bool read_only_metadata; /* snapshots, odd features: no writes */
	const char *read_only_reason;
};

static inline struct qcow2 *qcow2_from_block(struct block *bs)
{
	return (struct qcow2 *)bs;
}

static inline uint64_t qcow2_l2_entries(const struct qcow2 *s)
{
	return 1ull << s->l2_bits;
}

static inline uint64_t qcow2_offset_into_cluster(const struct qcow2 *s,
						 uint64_t off)
{
	return off & (s->cluster_size - 1);
}

static inline uint64_t qcow2_align_up(const struct qcow2 *s, uint64_t off)
{
	return (off + s->cluster_size - 1) & ~(s->cluster_size - 1);
}

/* Big-endian access to on-disk fields. */
static inline uint64_t qcow2_be64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	       (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	       (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	       (uint64_t)b[6] << 8 | b[7];
}

static inline uint32_t qcow2_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static inline void qcow2_put_be64(void *p, uint64_t v)
{
	uint8_t *b = p;

	for (int i = 7; i >= 0; i--) {
		b[i] = v & 0xff;
		v >>= 8;
	}
}

static inline void qcow2_put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	for (int i = 3; i >= 0; i--) {
		b[i] = v & 0xff;
		v >>= 8;
	}
}

/* qcow2-header.c */
bool qcow2_read_header(struct qcow2 *s, struct error **errp);
/* Parse a header in buf (len bytes: the first cluster or less). */
bool qcow2_parse_header(const uint8_t *buf, size_t len, struct qcow2_header *h,
			struct error **errp);
bool qcow2_load_tables(struct qcow2 *s, struct error **errp);
int qcow2_write_header_field(struct qcow2 *s, uint64_t offset, const void *data,
			     size_t len);
/* Write a header extension at buf + off; returns the offset after it. */
uint64_t qcow2_put_ext(uint8_t *buf, uint64_t off, uint32_t type,
		       const void *data, uint32_t len);
/* QEMU's feature name table extension, written at buf + off. */
#define QCOW2_FEATURE_TABLE_LEN (8 * 48)
uint64_t qcow2_put_feature_table(uint8_t *buf, uint64_t off);

/* A new header cluster: header fields, extensions and backing name. */
struct qcow2_header_edit {
	const uint8_t *head; /* the header fields; NULL: keep them */
	uint32_t head_len;
	const char *name, *fmt; /* the backing file (NULL: none) */
	int features; /* feature table: 0 keep, 1 write anew, -1 drop */
};
/* Write it (lock held); the other extensions are kept, and s->hdr and
 * the backing names follow. */
int qcow2_rewrite_header(struct qcow2 *s, const struct qcow2_header_edit *e);
/* Rewrite the header cluster naming another backing file (NULL or "":
 * none) and format; the other extensions are kept. */
int qcow2_change_backing(struct block *bs, const char *name, const char *fmt);
/* The L1 entries a virtual size needs. */
uint64_t qcow2_l1_entries_for(unsigned cluster_bits, uint64_t size);

/* qcow2-cache.c */
void qcow2_cache_init(struct qcow2_cache *c);
void qcow2_cache_free(struct qcow2_cache *c);
/* The cached table at host offset (read on a miss); NULL with *err set. */
uint8_t *qcow2_cache_get(struct qcow2 *s, struct qcow2_cache *c,
			 uint64_t offset, int *err);
/* Install a table just written to disk so the next get needs no read. */
void qcow2_cache_put_new(struct qcow2 *s, struct qcow2_cache *c,
			 uint64_t offset, const uint8_t *data);
void qcow2_cache_drop(struct qcow2_cache *c, uint64_t offset);

/* qcow2-refcount.c */
int qcow2_get_refcount(struct qcow2 *s, uint64_t cluster, uint64_t *ref);
/* Add delta to the refcounts of clusters [first, first + n). */
int qcow2_update_refcount(struct qcow2 *s, uint64_t first, uint64_t n,
			  int64_t delta);
/* Allocate n contiguous clusters (refcount 1); returns the host offset. */
int64_t qcow2_alloc_clusters(struct qcow2 *s, uint64_t n);
/* check -r all: create the missing refcount block for reftable index rt
 * past the end of the file. */
int qcow2_repair_refblock(struct qcow2 *s, uint64_t rt);
/* Is a host range clear of the header, L1 and refcount tables? */
bool qcow2_overlaps_metadata(struct qcow2 *s, uint64_t offset, uint64_t len);
uint64_t qcow2_refcount_entry_get(const struct qcow2 *s, const uint8_t *block,
				  uint64_t index);
void qcow2_refcount_entry_set(const struct qcow2 *s, uint8_t *block,
			      uint64_t index, uint64_t value);

/* qcow2-cluster.c */
enum qcow2_cluster_type qcow2_entry_type(const struct qcow2 *s, uint64_t e);
/* The L2 entry for a guest offset (0 when no L2 table). */
int qcow2_get_l2_entry(struct qcow2 *s, uint64_t guest, uint64_t *entry);
int qcow2_co_pread(struct block *bs, uint64_t offset, void *buf, size_t len);
int qcow2_co_pwrite(struct block *bs, uint64_t offset, const void *buf,
		    size_t len);
int qcow2_co_get_status(struct block *bs, uint64_t offset, uint64_t len,
			uint64_t *pnum, uint64_t *host_offset);
/* Point L1 entry l1_index at entry, on disk and in memory. */
int qcow2_set_l1_entry(struct qcow2 *s, uint64_t l1_index, uint64_t entry);
/* Get (allocating when alloc) the L2 table for an L1 index; with alloc, a
 * table shared with a snapshot is copied first, so that it may change. */
int qcow2_get_l2_table(struct qcow2 *s, uint64_t l1_index, bool alloc,
		       uint64_t *l2_offset);
int qcow2_set_l2_entries(struct qcow2 *s, uint64_t l2_offset,
			 uint64_t first_index, const uint64_t *entries,
			 uint64_t n);

/* Map [offset, offset + len): the first cluster's entry and how many
 * bytes share its type (and contiguous host space). Lock held. */
int qcow2_map_run(struct qcow2 *s, uint64_t offset, uint64_t len,
		  uint64_t *entry, uint64_t *bytes);
/* Read part of one cluster as its L2 entry says. */
int qcow2_read_entry(struct qcow2 *s, uint64_t entry, uint64_t offset,
		     uint8_t *buf, uint64_t len);
/* A data I/O begun with inflight++ under the lock has ended. */
void qcow2_io_end(struct qcow2 *s);
/* Wait (dropping the lock meanwhile) until no data I/O is in flight. */
void qcow2_wait_io_locked(struct qcow2 *s);
/* Add delta to the refcounts of the host clusters an L2 entry holds. */
int qcow2_entry_refcount(struct qcow2 *s, uint64_t entry, int64_t delta);
/* Drop the references an overwritten L2 entry held. Lock held; may wait
 * for data I/O in flight (see qcow2_wait_io_locked). */
int qcow2_release_entry(struct qcow2 *s, uint64_t entry);

/* qcow2-zero.c */
int qcow2_co_pwrite_zeroes(struct block *bs, uint64_t offset, uint64_t len);
int qcow2_co_discard(struct block *bs, uint64_t offset, uint64_t len);
/* Every cluster unallocated: reads fall through to the backing file. */
int qcow2_make_empty(struct block *bs);

/* qcow2-compress.c */
int qcow2_read_compressed(struct qcow2 *s, uint64_t entry, uint8_t *cluster);
int qcow2_co_pwrite_compressed(struct block *bs, uint64_t offset,
			       const void *buf, size_t len);

/* qcow2-create.c */
bool qcow2_create(const char *filename, const struct block_create_opts *opts,
		  struct error **errp);
bool qcow2_resize(struct block *bs, uint64_t size, struct error **errp);

int qcow2_grow_l1(struct qcow2 *s, uint64_t need);

/* qcow2-snapshot.c */
int qcow2_snapshot(struct block *bs, enum block_snapshot_op op,
		   const char *name);
int qcow2_snapshot_list(struct block *bs, struct block_snapshot_info **list);
/* For compat=1.1: every snapshot entry gets the 16 bytes of extra data
 * version 3 requires (VM state size, disk size). */
int qcow2_snapshot_upgrade(struct qcow2 *s);

/* qcow2-amend.c */
bool qcow2_amend(struct block *bs, const struct block_amend_opts *o,
		 struct error **errp);

/* qcow2-check.c: fix flags are BLOCK_FIX_*, plus this one. */
#define QCOW2_FIX_QUIET (1 << 8)
int qcow2_check(struct block *bs, struct block_check_result *res, int fix);

#endif
