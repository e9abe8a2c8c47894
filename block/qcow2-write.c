/* SPDX-License-Identifier: MIT */
/* qcow2 writes: in place where a cluster is ours, else allocate and COW. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

static bool qcow2_entry_writable(const struct qcow2 *s, uint64_t e)
{
	return qcow2_entry_type(s, e) == QCOW2_CLUSTER_NORMAL &&
	       (e & QCOW2_OFLAG_COPIED);
}

/*
 * Write the data of n new clusters at host: the caller's bytes with the
 * head and tail of partly written clusters copied from what they held.
 */
static int qcow2_write_new_clusters(struct qcow2 *s, uint64_t host,
				    uint64_t offset, const uint8_t *buf,
				    uint64_t bytes, const uint64_t *olds,
				    uint64_t n)
{
	uint64_t head = qcow2_offset_into_cluster(s, offset);
	uint64_t total = n << s->cluster_bits;
	uint64_t tail = total - head - bytes;
	uint8_t *tmp;
	int ret;

	if (!head && !tail) {
		return block_file_pwrite(&s->common.file, host, buf, bytes);
	}
	tmp = malloc(total);
	if (!tmp) {
		return -ENOMEM;
	}
	ret = 0;
	if (head) {
		ret = qcow2_read_entry(s, olds[0], offset - head, tmp, head);
	}
	if (!ret && tail) {
		ret = qcow2_read_entry(s, olds[n - 1], offset + bytes,
				       tmp + head + bytes, tail);
	}
	if (!ret) {
		memcpy(tmp + head, buf, bytes);
		ret = block_file_pwrite(&s->common.file, host, tmp, total);
	}
	free(tmp);
	return ret;
}

/* Allocate a run of clusters for a write and point L2 at them. Locked. */
static int qcow2_write_alloc(struct qcow2 *s, uint64_t l2_off, uint64_t l2i,
			     const uint8_t *table, uint64_t max_clusters,
			     uint64_t offset, const uint8_t *buf, uint64_t len,
			     uint64_t *done)
{
	uint64_t in_cluster = qcow2_offset_into_cluster(s, offset);
	uint64_t n = 1, bytes, *olds, *news;
	int64_t host;
	int ret;

	while (n < max_clusters &&
	       !qcow2_entry_writable(s, qcow2_be64(table + (l2i + n) * 8))) {
		n++;
	}
	olds = malloc(2 * n * sizeof(uint64_t));
	if (!olds) {
		return -ENOMEM;
	}
	news = olds + n;
	for (uint64_t i = 0; i < n; i++) {
		olds[i] = qcow2_be64(table + (l2i + i) * 8);
	}
	bytes = MIN(len, (n << s->cluster_bits) - in_cluster);
	/* table may be evicted from here on: we use olds only. */
	host = qcow2_alloc_clusters(s, n);
	if (host < 0) {
		ret = (int)host;
		goto out;
	}
	if (qcow2_overlaps_metadata(s, host, n << s->cluster_bits)) {
		ret = -EIO;
		goto out;
	}
	ret = qcow2_write_new_clusters(s, host, offset, buf, bytes, olds, n);
	if (ret) {
		goto out;
	}
	for (uint64_t i = 0; i < n; i++) {
		news[i] = ((uint64_t)host + (i << s->cluster_bits)) |
			  QCOW2_OFLAG_COPIED;
	}
	ret = qcow2_set_l2_entries(s, l2_off, l2i, news, n);
	for (uint64_t i = 0; !ret && i < n; i++) {
		ret = qcow2_release_entry(s, olds[i]);
	}
	*done = bytes;
out:
	free(olds);
	return ret;
}

/* One step of a write: at most one L2 table's worth. */
static int qcow2_write_step(struct qcow2 *s, uint64_t offset,
			    const uint8_t *buf, uint64_t len, uint64_t *done)
{
	uint64_t cluster = offset >> s->cluster_bits;
	uint64_t l2_entries = qcow2_l2_entries(s);
	uint64_t l2i = cluster & (l2_entries - 1);
	uint64_t in_cluster = qcow2_offset_into_cluster(s, offset);
	uint64_t max_clusters, l2_off, e0, n = 1, host, bytes;
	uint8_t *table;
	int ret;

	max_clusters = MIN(l2_entries - l2i,
			   (in_cluster + len + s->cluster_size - 1) >>
				   s->cluster_bits);
	pthread_mutex_lock(&s->lock);
	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, true, &l2_off);
	if (ret) {
		goto unlock;
	}
	table = qcow2_cache_get(s, &s->l2_cache, l2_off, &ret);
	if (!table) {
		goto unlock;
	}
	e0 = qcow2_be64(table + l2i * 8);
	if (!qcow2_entry_writable(s, e0)) {
		ret = qcow2_write_alloc(s, l2_off, l2i, table, max_clusters,
					offset, buf, len, done);
		goto unlock;
	}
	host = e0 & QCOW2_OFFSET_MASK;
	if (host % s->cluster_size) {
		ret = -EIO;
		goto unlock;
	}
	while (n < max_clusters) {
		uint64_t e = qcow2_be64(table + (l2i + n) * 8);

		if (!qcow2_entry_writable(s, e) ||
		    (e & QCOW2_OFFSET_MASK) != host + (n << s->cluster_bits)) {
			break;
		}
		n++;
	}
	if (qcow2_overlaps_metadata(s, host, n << s->cluster_bits)) {
		ret = -EIO;
		goto unlock;
	}
	/* Our own cluster: the data goes in place, outside the lock. */
	s->inflight++;
	pthread_mutex_unlock(&s->lock);
	bytes = MIN(len, (n << s->cluster_bits) - in_cluster);
	*done = bytes;
	ret = block_file_pwrite(&s->common.file, host + in_cluster, buf, bytes);
	qcow2_io_end(s);
	return ret;
unlock:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int qcow2_co_pwrite(struct block *bs, uint64_t offset, const void *buf,
		    size_t len)
{
	struct qcow2 *s = qcow2_from_block(bs);
	const uint8_t *in = buf;

	while (len) {
		uint64_t done = 0;
		int ret = qcow2_write_step(s, offset, in, len, &done);

		if (ret) {
			return ret;
		}
		offset += done;
		in += done;
		len -= done;
	}
	return 0;
}
