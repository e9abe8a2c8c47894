/* SPDX-License-Identifier: MIT */
/* qcow2 write-zeroes and discard: whole clusters become zero or unallocated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

/*
 * The entry that makes a cluster read as zeros without data: unallocated
 * when nothing lies below, the zero flag (v3) over a backing file. Returns
 * false when neither works (v2 over a backing file).
 */
static bool qcow2_zero_entry(struct qcow2 *s, uint64_t *entry)
{
	if (!s->common.backing) {
		*entry = 0;
		return true;
	}
	*entry = QCOW2_OFLAG_ZERO;
	return s->hdr.version >= 3;
}

/* Point n whole clusters (inside one L2 table) at entry. Locked. */
static int qcow2_set_clusters(struct qcow2 *s, uint64_t offset, uint64_t n,
			      uint64_t entry)
{
	uint64_t cluster = offset >> s->cluster_bits;
	uint64_t l2i = cluster & (qcow2_l2_entries(s) - 1);
	uint64_t l2_off, *olds, *news;
	uint8_t *table;
	int ret;

	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, entry != 0, &l2_off);
	if (ret || !l2_off) {
		return ret; /* no table, no entry: already unallocated */
	}
	/* A table shared with a snapshot is copied before it changes. */
	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, true, &l2_off);
	if (ret) {
		return ret;
	}
	table = qcow2_cache_get(s, &s->l2_cache, l2_off, &ret);
	if (!table) {
		return ret;
	}
	olds = malloc(2 * n * sizeof(uint64_t));
	if (!olds) {
		return -ENOMEM;
	}
	news = olds + n;
	for (uint64_t i = 0; i < n; i++) {
		olds[i] = qcow2_be64(table + (l2i + i) * 8);
		news[i] = entry;
	}
	/* The new entries first; the old clusters are freed after. */
	ret = qcow2_set_l2_entries(s, l2_off, l2i, news, n);
	for (uint64_t i = 0; !ret && i < n; i++) {
		ret = qcow2_release_entry(s, olds[i]);
	}
	free(olds);
	return ret;
}

static int qcow2_write_zero_bytes(struct block *bs, uint64_t offset,
				  uint64_t len)
{
	size_t chunk = MIN(len, 1u << 20);
	uint8_t *zero = calloc(1, chunk);
	int ret = 0;

	if (!zero) {
		return -ENOMEM;
	}
	while (len && !ret) {
		size_t n = MIN(len, chunk);

		ret = qcow2_co_pwrite(bs, offset, zero, n);
		offset += n;
		len -= n;
	}
	free(zero);
	return ret;
}

/* Whole clusters of [offset, offset + len) to entry, a table at a time. */
static int qcow2_zero_whole(struct qcow2 *s, uint64_t offset, uint64_t len,
			    uint64_t entry)
{
	int ret = 0;

	while (len && !ret) {
		uint64_t cluster = offset >> s->cluster_bits;
		uint64_t in_table = qcow2_l2_entries(s) -
				    (cluster & (qcow2_l2_entries(s) - 1));
		uint64_t n = MIN(len >> s->cluster_bits, in_table);

		pthread_mutex_lock(&s->lock);
		ret = qcow2_set_clusters(s, offset, n, entry);
		pthread_mutex_unlock(&s->lock);
		offset += n << s->cluster_bits;
		len -= n << s->cluster_bits;
	}
	return ret;
}

int qcow2_co_pwrite_zeroes(struct block *bs, uint64_t offset, uint64_t len)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint64_t start = qcow2_align_up(s, offset);
	uint64_t end = offset + len;
	uint64_t entry;
	int ret;

	/* The last cluster counts as whole when the image ends in it. */
	if (end == bs->size) {
		end = qcow2_align_up(s, end);
	} else {
		end &= ~(s->cluster_size - 1);
	}
	if (!qcow2_zero_entry(s, &entry) || start >= end) {
		return qcow2_write_zero_bytes(bs, offset, len);
	}
	ret = start > offset ?
		      qcow2_write_zero_bytes(bs, offset, start - offset) :
		      0;
	if (!ret) {
		ret = qcow2_zero_whole(s, start, end - start, entry);
	}
	if (!ret && offset + len > end) {
		ret = qcow2_write_zero_bytes(bs, end, offset + len - end);
	}
	return ret;
}

int qcow2_co_discard(struct block *bs, uint64_t offset, uint64_t len)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint64_t start = qcow2_align_up(s, offset);
	uint64_t end = offset + len;
	uint64_t entry;

	if (end == bs->size) {
		end = qcow2_align_up(s, end);
	} else {
		end &= ~(s->cluster_size - 1);
	}
	/* Advisory: partial clusters, and v2 over a backing file, stay. */
	if (start >= end || !qcow2_zero_entry(s, &entry)) {
		return 0;
	}
	return qcow2_zero_whole(s, start, end - start, entry);
}

int qcow2_make_empty(struct block *bs)
{
	struct qcow2 *s = qcow2_from_block(bs);

	return qcow2_zero_whole(s, 0, qcow2_align_up(s, bs->size), 0);
}
