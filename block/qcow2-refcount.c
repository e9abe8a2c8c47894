/* SPDX-License-Identifier: MIT */
/* qcow2 refcounts: read and update them, allocate host clusters. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

/*
 * Ordering: a cluster's refcount is raised (and written) before anything
 * refers to it, and lowered only after the last reference is gone, so a
 * crash at any point can leak clusters but never leave a reference to a
 * cluster counted as free. A missing refcount block is created before
 * any cluster it covers is allocated, at the first free cluster after the
 * run being allocated; it counts itself when it lies in its own range, and
 * is counted by its range's (existing) block otherwise. A refcount table
 * that is too small is rewritten, larger, past the end of the file, with
 * the blocks its own clusters need; the header is switched to it after a
 * flush, and the old table is freed last.
 */

uint64_t qcow2_refcount_entry_get(const struct qcow2 *s, const uint8_t *block,
				  uint64_t index)
{
	unsigned order = s->hdr.refcount_order;

	switch (order) {
	case 3:
		return block[index];
	case 4:
		return (uint64_t)block[2 * index] << 8 | block[2 * index + 1];
	case 5:
		return qcow2_be32(block + 4 * index);
	case 6:
		return qcow2_be64(block + 8 * index);
	default: {
		unsigned bits = 1u << order;
		unsigned per_byte = 8 >> order;
		unsigned shift = (index % per_byte) * bits;

		return (block[index / per_byte] >> shift) & ((1u << bits) - 1);
	}
	}
}

void qcow2_refcount_entry_set(const struct qcow2 *s, uint8_t *block,
			      uint64_t index, uint64_t value)
{
	unsigned order = s->hdr.refcount_order;

	switch (order) {
	case 3:
		block[index] = value;
		break;
	case 4:
		block[2 * index] = value >> 8;
		block[2 * index + 1] = value;
		break;
	case 5:
		qcow2_put_be32(block + 4 * index, value);
		break;
	case 6:
		qcow2_put_be64(block + 8 * index, value);
		break;
	default: {
		unsigned bits = 1u << order;
		unsigned per_byte = 8 >> order;
		unsigned shift = (index % per_byte) * bits;
		uint8_t mask = ((1u << bits) - 1) << shift;

		block[index / per_byte] = (block[index / per_byte] & ~mask) |
					  ((value << shift) & mask);
		break;
	}
	}
}

/* Byte range [*start, *end) of the block holding entries [first, last]. */
static void qcow2_refcount_bytes(const struct qcow2 *s, uint64_t first,
				 uint64_t last, uint64_t *start, uint64_t *end)
{
	unsigned bits = 1u << s->hdr.refcount_order;

	*start = first * bits / 8;
	*end = ((last + 1) * bits + 7) / 8;
}

bool qcow2_overlaps_metadata(struct qcow2 *s, uint64_t offset, uint64_t len)
{
	uint64_t end = offset + len;
	uint64_t l1 = s->hdr.l1_table_offset;
	uint64_t rt = s->hdr.refcount_table_offset;

	if (offset < s->cluster_size) {
		return true;
	}
	if (s->l1_size && offset < l1 + (uint64_t)s->l1_size * 8 && l1 < end) {
		return true;
	}
	return offset < rt + s->reftable_size * 8 && rt < end;
}

/* The refcount block for reftable index rt, or NULL (*err 0: none). */
static uint8_t *qcow2_refblock(struct qcow2 *s, uint64_t rt, int *err)
{
	uint64_t off;

	*err = 0;
	if (rt >= s->reftable_size) {
		return NULL;
	}
	off = s->reftable[rt] & ~QCOW2_REFT_RESERVED;
	if (!off) {
		return NULL;
	}
	if (off % s->cluster_size) {
		*err = -EIO;
		return NULL;
	}
	return qcow2_cache_get(s, &s->refblock_cache, off, err);
}

int qcow2_get_refcount(struct qcow2 *s, uint64_t cluster, uint64_t *ref)
{
	uint64_t rt = cluster >> s->refblock_bits;
	uint8_t *block;
	int err;

	block = qcow2_refblock(s, rt, &err);
	if (!block) {
		*ref = 0;
		return err;
	}
	*ref = qcow2_refcount_entry_get(
		s, block, cluster & ((1ull << s->refblock_bits) - 1));
	return 0;
}

static int qcow2_write_reftable_entry(struct qcow2 *s, uint64_t rt)
{
	uint8_t be[8];

	qcow2_put_be64(be, s->reftable[rt]);
	return block_file_pwrite(&s->common.file,
				 s->hdr.refcount_table_offset + rt * 8, be, 8);
}

static int qcow2_grow_reftable(struct qcow2 *s, uint64_t min_entries,
			       uint64_t floor);

/*
 * Place the missing refcount block for reftable index rt at cluster pos,
 * which is free and either inside rt's own range (the block then counts
 * itself) or in a range whose block exists.
 */
static int qcow2_place_refblock(struct qcow2 *s, uint64_t rt, uint64_t pos)
{
	uint64_t off = pos << s->cluster_bits;
	uint8_t *block;
	int ret = 0;

	if (off >> 56 || qcow2_overlaps_metadata(s, off, s->cluster_size)) {
		return -EIO;
	}
	block = calloc(1, s->cluster_size);
	if (!block) {
		return -ENOMEM;
	}
	if ((pos >> s->refblock_bits) == rt) {
		qcow2_refcount_entry_set(
			s, block, pos & ((1ull << s->refblock_bits) - 1), 1);
	} else {
		ret = qcow2_update_refcount(s, pos, 1, 1);
	}
	if (!ret) {
		ret = block_file_pwrite(&s->common.file, off, block,
					s->cluster_size);
	}
	if (!ret) {
		s->reftable[rt] = off;
		ret = qcow2_write_reftable_entry(s, rt);
		if (ret) {
			s->reftable[rt] = 0;
		}
	}
	if (!ret) {
		qcow2_cache_put_new(s, &s->refblock_cache, off, block);
	}
	free(block);
	return ret;
}

/* A cluster's refcount fell to zero: it may be handed out again. */
static void qcow2_cluster_freed(struct qcow2 *s, uint64_t cluster)
{
	if (cluster < s->free_cluster_hint) {
		s->free_cluster_hint = cluster;
	}
	/* Compressed data must not be packed into a reused cluster. */
	if (s->compressed_cursor &&
	    (s->compressed_cursor >> s->cluster_bits) == cluster) {
		s->compressed_cursor = 0;
	}
}

int qcow2_update_refcount(struct qcow2 *s, uint64_t first, uint64_t n,
			  int64_t delta)
{
	uint64_t per_block = 1ull << s->refblock_bits;
	uint64_t magnitude = delta < 0 ? 0 - (uint64_t)delta : (uint64_t)delta;
	uint64_t cluster = first;
	int ret;

	while (cluster < first + n) {
		uint64_t rt = cluster >> s->refblock_bits;
		uint64_t idx = cluster & (per_block - 1);
		uint64_t count = MIN(first + n - cluster, per_block - idx);
		uint64_t start, end;
		uint8_t *block;

		/* Allocation creates blocks before counting in them. */
		block = qcow2_refblock(s, rt, &ret);
		if (!block) {
			return ret ? ret : -EIO;
		}
		for (uint64_t i = idx; i < idx + count; i++) {
			uint64_t v = qcow2_refcount_entry_get(s, block, i);

			if ((delta < 0 && v < magnitude) ||
			    (delta > 0 && s->refcount_max - v < magnitude)) {
				return -EIO;
			}
			v = delta < 0 ? v - magnitude : v + magnitude;
			qcow2_refcount_entry_set(s, block, i, v);
			if (v == 0) {
				qcow2_cluster_freed(s, rt * per_block + i);
			}
		}
		qcow2_refcount_bytes(s, idx, idx + count - 1, &start, &end);
		ret = block_file_pwrite(
			&s->common.file,
			(s->reftable[rt] & ~QCOW2_REFT_RESERVED) + start,
			block + start, end - start);
		if (ret) {
			qcow2_cache_drop(&s->refblock_cache,
					 s->reftable[rt] &
						 ~QCOW2_REFT_RESERVED);
			return ret;
		}
		cluster += count;
	}
	return 0;
}

/* First run of n clusters with refcount 0 at or after cluster from. */
static int qcow2_find_free(struct qcow2 *s, uint64_t from, uint64_t n,
			   uint64_t *start)
{
	uint64_t i = from, run = 0;
	int ret;

	while (run < n) {
		uint64_t c = i + run, ref;

		if (c >> (56 - s->cluster_bits)) {
			return -ENOSPC;
		}
		ret = qcow2_get_refcount(s, c, &ref);
		if (ret) {
			return ret;
		}
		if (ref || qcow2_overlaps_metadata(s, c << s->cluster_bits,
						   s->cluster_size)) {
			i = c + 1;
			run = 0;
		} else {
			run++;
		}
	}
	*start = i;
	return 0;
}

/* The first range of [start, start + n) without a refcount block. */
static bool qcow2_missing_in(struct qcow2 *s, uint64_t start, uint64_t n,
			     uint64_t *rt)
{
	for (uint64_t r = start >> s->refblock_bits;
	     r <= (start + n - 1) >> s->refblock_bits; r++) {
		if (!s->reftable[r]) {
			*rt = r;
			return true;
		}
	}
	return false;
}

/*
 * Make sure refcount blocks cover the free run [start, start + n): one
 * missing block per call, placed just after the run so the run stays
 * free. Returns 1 when something changed and the caller must look again.
 */
static int qcow2_cover_run(struct qcow2 *s, uint64_t start, uint64_t n)
{
	uint64_t last_rt = (start + n - 1) >> s->refblock_bits, rt, pos;
	int ret;

	if (last_rt >= s->reftable_size) {
		ret = qcow2_grow_reftable(s, last_rt + 1, start + n);
		return ret ? ret : 1;
	}
	if (!qcow2_missing_in(s, start, n, &rt)) {
		return 0;
	}
	ret = qcow2_find_free(s, start + n, 1, &pos);
	if (ret) {
		return ret;
	}
	if ((pos >> s->refblock_bits) >= s->reftable_size) {
		ret = qcow2_grow_reftable(s, (pos >> s->refblock_bits) + 1,
					  pos + 1);
		return ret ? ret : 1;
	}
	if (!s->reftable[pos >> s->refblock_bits]) {
		/* pos's own range first: that block counts itself. */
		rt = pos >> s->refblock_bits;
	}
	ret = qcow2_place_refblock(s, rt, pos);
	return ret ? ret : 1;
}

int64_t qcow2_alloc_clusters(struct qcow2 *s, uint64_t n)
{
	uint64_t start;
	int ret;

	do {
		ret = qcow2_find_free(s, s->free_cluster_hint, n, &start);
		if (ret) {
			return ret;
		}
		ret = qcow2_cover_run(s, start, n);
		if (ret < 0) {
			return ret;
		}
	} while (ret);
	ret = qcow2_update_refcount(s, start, n, 1);
	if (ret) {
		return ret;
	}
	if (start == s->free_cluster_hint) {
		s->free_cluster_hint = start + n;
	}
	return (int64_t)(start << s->cluster_bits);
}

/* Clusters the file ends at, or past the hint, whichever is further. */
static int qcow2_end_cluster(struct qcow2 *s, uint64_t *end)
{
	int64_t size = block_file_size(&s->common.file);

	if (size < 0) {
		return (int)size;
	}
	*end = MAX(qcow2_align_up(s, size) >> s->cluster_bits,
		   s->free_cluster_hint);
	return 0;
}

/* Number of refcount blocks missing to cover clusters [a, b). */
static uint64_t qcow2_missing_refblocks(struct qcow2 *s, uint64_t a, uint64_t b)
{
	uint64_t missing = 0;

	for (uint64_t rt = a >> s->refblock_bits;
	     rt <= (b - 1) >> s->refblock_bits; rt++) {
		if (rt >= s->reftable_size || !s->reftable[rt]) {
			missing++;
		}
	}
	return missing;
}

/* Write the new table's blocks, then the table; the header last. */
static int qcow2_install_reftable(struct qcow2 *s, uint64_t *table,
				  uint64_t entries, uint64_t a, uint64_t k,
				  uint64_t m)
{
	uint64_t per_cluster = s->cluster_size / 8;
	uint8_t *buf = calloc(1, s->cluster_size);
	uint64_t old_off = s->hdr.refcount_table_offset;
	uint64_t old_clusters = s->hdr.refcount_table_clusters;
	uint64_t j = 0;
	uint8_t hdr[12];
	int ret = 0;

	if (!buf) {
		return -ENOMEM;
	}
	for (uint64_t rt = a >> s->refblock_bits;
	     rt <= (a + k + m - 1) >> s->refblock_bits; rt++) {
		uint64_t base = rt << s->refblock_bits;

		if (rt < s->reftable_size && s->reftable[rt]) {
			/* An existing block counts the new clusters in it. */
			uint64_t lo = MAX(base, a);
			uint64_t hi = MIN(base + (1ull << s->refblock_bits),
					  a + k + m);

			ret = qcow2_update_refcount(s, lo, hi - lo, 1);
			if (ret) {
				goto out;
			}
			continue;
		}
		memset(buf, 0, s->cluster_size);
		for (uint64_t c = MAX(base, a);
		     c < MIN(base + (1ull << s->refblock_bits), a + k + m);
		     c++) {
			qcow2_refcount_entry_set(s, buf, c - base, 1);
		}
		table[rt] = (a + k + j++) << s->cluster_bits;
		ret = block_file_pwrite(&s->common.file, table[rt], buf,
					s->cluster_size);
		if (ret) {
			goto out;
		}
	}
	for (uint64_t c = 0; c < k; c++) {
		for (uint64_t e = 0; e < per_cluster; e++) {
			qcow2_put_be64(buf + e * 8, table[c * per_cluster + e]);
		}
		ret = block_file_pwrite(&s->common.file,
					(a + c) << s->cluster_bits, buf,
					s->cluster_size);
		if (ret) {
			goto out;
		}
	}
	ret = block_file_flush(&s->common.file);
	if (ret) {
		goto out;
	}
	qcow2_put_be64(hdr, a << s->cluster_bits);
	qcow2_put_be32(hdr + 8, (uint32_t)k);
	ret = qcow2_write_header_field(s, QCOW2_OFF_REFTABLE, hdr, 12);
	if (ret) {
		goto out;
	}
	free(s->reftable);
	s->reftable = table;
	s->reftable_size = entries;
	s->hdr.refcount_table_offset = a << s->cluster_bits;
	s->hdr.refcount_table_clusters = (uint32_t)k;
	table = NULL;
	/* The old table is garbage now; a crash before this only leaks. */
	ret = qcow2_update_refcount(s, old_off >> s->cluster_bits, old_clusters,
				    -1);
out:
	free(table);
	free(buf);
	return ret;
}

static int qcow2_grow_reftable(struct qcow2 *s, uint64_t min_entries,
			       uint64_t floor)
{
	uint64_t per_cluster = s->cluster_size / 8;
	uint64_t entries = MAX(min_entries, s->reftable_size * 2);
	uint64_t a = 0, k, m = 0, *table;
	int ret;

	ret = qcow2_end_cluster(s, &a);
	if (ret) {
		return ret;
	}
	a = MAX(a, floor);
	for (;;) {
		uint64_t last_rt, need;

		entries =
			(entries + per_cluster - 1) / per_cluster * per_cluster;
		k = entries / per_cluster;
		need = qcow2_missing_refblocks(s, a, a + k + m);
		if (need != m) {
			m = need;
			continue;
		}
		last_rt = (a + k + m - 1) >> s->refblock_bits;
		if (last_rt < entries) {
			break;
		}
		entries = last_rt + 1;
	}
	if (k * s->cluster_size > QCOW2_MAX_REFTABLE_BYTES) {
		return -EFBIG;
	}
	table = calloc(entries, sizeof(uint64_t));
	if (!table) {
		return -ENOMEM;
	}
	memcpy(table, s->reftable, s->reftable_size * sizeof(uint64_t));
	return qcow2_install_reftable(s, table, entries, a, k, m);
}

int qcow2_repair_refblock(struct qcow2 *s, uint64_t rt)
{
	uint64_t pos = 0;
	int ret;

	/* Past everything: the refcounts below may be wrong, the end of
	 * the file holds nothing anyone references. */
	ret = qcow2_end_cluster(s, &pos);
	if (ret) {
		return ret;
	}
	if (rt >= s->reftable_size ||
	    (pos >> s->refblock_bits) >= s->reftable_size) {
		ret = qcow2_grow_reftable(
			s, MAX(rt, pos >> s->refblock_bits) + 1, pos);
		if (ret || s->reftable[rt]) {
			return ret;
		}
		ret = qcow2_end_cluster(s, &pos);
		if (ret) {
			return ret;
		}
	}
	if ((pos >> s->refblock_bits) != rt &&
	    !s->reftable[pos >> s->refblock_bits]) {
		ret = qcow2_place_refblock(s, pos >> s->refblock_bits, pos);
		if (ret) {
			return ret;
		}
		pos++;
		if ((pos >> s->refblock_bits) >= s->reftable_size) {
			return -EIO;
		}
	}
	if (!s->reftable[rt]) {
		ret = qcow2_place_refblock(s, rt, pos);
		if (!ret && pos >= s->free_cluster_hint) {
			s->free_cluster_hint = pos + 1;
		}
	}
	return ret;
}
