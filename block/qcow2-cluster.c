/* SPDX-License-Identifier: MIT */
/* qcow2 cluster mapping: L1/L2 lookup, reads, allocating writes with COW. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

/*
 * Write ordering for a newly allocated cluster: its refcount, then its
 * data, then the L2 entry pointing at it; a new L2 table is counted,
 * zeroed on disk and only then entered in L1. Old clusters a write
 * replaces (compressed, shared, preallocated-zero) are released after the
 * new L2 entry is on disk. Nothing is flushed between the steps: the
 * order holds against a crash of this process, and block_flush()
 * (fdatasync) makes everything durable for a power loss.
 */

enum qcow2_cluster_type qcow2_entry_type(const struct qcow2 *s, uint64_t e)
{
	if (e & QCOW2_OFLAG_COMPRESSED) {
		return QCOW2_CLUSTER_COMPRESSED;
	}
	if ((e & QCOW2_OFLAG_ZERO) && s->hdr.version >= 3) {
		return (e & QCOW2_OFFSET_MASK) ? QCOW2_CLUSTER_ZERO_ALLOC :
						 QCOW2_CLUSTER_ZERO_PLAIN;
	}
	return (e & QCOW2_OFFSET_MASK) ? QCOW2_CLUSTER_NORMAL :
					 QCOW2_CLUSTER_UNALLOCATED;
}

int qcow2_set_l1_entry(struct qcow2 *s, uint64_t l1_index, uint64_t entry)
{
	uint8_t be[8];
	int ret;

	qcow2_put_be64(be, entry);
	ret = block_file_pwrite(&s->common.file,
				s->hdr.l1_table_offset + l1_index * 8, be, 8);
	if (!ret) {
		s->l1[l1_index] = entry;
	}
	return ret;
}

/* A new L2 table at a new cluster holding data (zeros when NULL). */
static int64_t qcow2_new_l2_table(struct qcow2 *s, const uint8_t *data)
{
	int64_t new_off = qcow2_alloc_clusters(s, 1);
	uint8_t *buf;
	int ret;

	if (new_off < 0) {
		return new_off;
	}
	buf = calloc(1, s->cluster_size);
	if (!buf) {
		return -ENOMEM;
	}
	if (data) {
		memcpy(buf, data, s->cluster_size);
	}
	ret = block_file_pwrite(&s->common.file, new_off, buf, s->cluster_size);
	if (!ret) {
		qcow2_cache_put_new(s, &s->l2_cache, new_off, buf);
	}
	free(buf);
	return ret ? ret : new_off;
}

/*
 * An L2 table an internal snapshot shares is copied before it changes;
 * the entries keep their refcounts (each L1 table's path counts once).
 */
static int qcow2_cow_l2_table(struct qcow2 *s, uint64_t l1_index,
			      uint64_t old_off, uint64_t *l2_offset)
{
	uint8_t *copy = malloc(s->cluster_size), *table;
	int64_t new_off;
	int ret;

	if (!copy) {
		return -ENOMEM;
	}
	table = qcow2_cache_get(s, &s->l2_cache, old_off, &ret);
	if (table) {
		memcpy(copy, table, s->cluster_size);
	}
	new_off = table ? qcow2_new_l2_table(s, copy) : ret;
	free(copy);
	if (new_off < 0) {
		return (int)new_off;
	}
	ret = qcow2_set_l1_entry(s, l1_index,
				 (uint64_t)new_off | QCOW2_OFLAG_COPIED);
	if (!ret) {
		ret = qcow2_update_refcount(s, old_off >> s->cluster_bits, 1,
					    -1);
	}
	*l2_offset = new_off;
	return ret;
}

int qcow2_get_l2_table(struct qcow2 *s, uint64_t l1_index, bool alloc,
		       uint64_t *l2_offset)
{
	uint64_t e, off, ref;
	int64_t new_off;
	int ret;

	if (l1_index >= s->l1_size) {
		return -EIO;
	}
	e = s->l1[l1_index];
	off = e & QCOW2_L1_OFFSET_MASK;
	if (off) {
		if (off % s->cluster_size) {
			return -EIO;
		}
		if (alloc && !(e & QCOW2_OFLAG_COPIED)) {
			ret = qcow2_get_refcount(s, off >> s->cluster_bits,
						 &ref);
			if (ret || !ref) {
				return ret ? ret : -EIO;
			}
			if (ref > 1) {
				return qcow2_cow_l2_table(s, l1_index, off,
							  l2_offset);
			}
		}
		*l2_offset = off;
		return 0;
	}
	*l2_offset = 0;
	if (!alloc) {
		return 0;
	}
	new_off = qcow2_new_l2_table(s, NULL);
	if (new_off < 0) {
		return (int)new_off;
	}
	ret = qcow2_set_l1_entry(s, l1_index,
				 (uint64_t)new_off | QCOW2_OFLAG_COPIED);
	*l2_offset = new_off;
	return ret;
}

int qcow2_get_l2_entry(struct qcow2 *s, uint64_t guest, uint64_t *entry)
{
	uint64_t cluster = guest >> s->cluster_bits;
	uint64_t l2_off;
	uint8_t *table;
	int ret;

	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, false, &l2_off);
	if (ret || !l2_off) {
		*entry = 0;
		return ret;
	}
	table = qcow2_cache_get(s, &s->l2_cache, l2_off, &ret);
	if (!table) {
		return ret;
	}
	*entry = qcow2_be64(table + (cluster & (qcow2_l2_entries(s) - 1)) * 8);
	return 0;
}

int qcow2_set_l2_entries(struct qcow2 *s, uint64_t l2_offset,
			 uint64_t first_index, const uint64_t *entries,
			 uint64_t n)
{
	uint8_t *table;
	int ret;

	table = qcow2_cache_get(s, &s->l2_cache, l2_offset, &ret);
	if (!table) {
		return ret;
	}
	for (uint64_t i = 0; i < n; i++) {
		qcow2_put_be64(table + (first_index + i) * 8, entries[i]);
	}
	ret = block_file_pwrite(&s->common.file, l2_offset + first_index * 8,
				table + first_index * 8, n * 8);
	if (ret) {
		qcow2_cache_drop(&s->l2_cache, l2_offset);
	}
	return ret;
}

/*
 * Map [offset, offset + len) from its start: the type of the first
 * cluster, the entry, and how many bytes share that type (and, for normal
 * clusters, contiguous host space). Called with the lock held.
 */
int qcow2_map_run(struct qcow2 *s, uint64_t offset, uint64_t len,
		  uint64_t *entry, uint64_t *bytes)
{
	uint64_t in_cluster = qcow2_offset_into_cluster(s, offset);
	uint64_t cluster = offset >> s->cluster_bits;
	uint64_t l2_entries = qcow2_l2_entries(s);
	uint64_t max_clusters, l2_off, n = 1;
	enum qcow2_cluster_type type;
	uint8_t *table;
	int ret;

	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, false, &l2_off);
	if (ret) {
		return ret;
	}
	max_clusters = MIN(l2_entries - (cluster & (l2_entries - 1)),
			   (in_cluster + len + s->cluster_size - 1) >>
				   s->cluster_bits);
	if (!l2_off) {
		*entry = 0;
		n = max_clusters;
		goto out;
	}
	table = qcow2_cache_get(s, &s->l2_cache, l2_off, &ret);
	if (!table) {
		return ret;
	}
	table += (cluster & (l2_entries - 1)) * 8;
	*entry = qcow2_be64(table);
	type = qcow2_entry_type(s, *entry);
	if (type == QCOW2_CLUSTER_NORMAL &&
	    (*entry & QCOW2_OFFSET_MASK) % s->cluster_size) {
		return -EIO;
	}
	if (type == QCOW2_CLUSTER_COMPRESSED) {
		goto out;
	}
	for (; n < max_clusters; n++) {
		uint64_t e = qcow2_be64(table + n * 8);

		if (qcow2_entry_type(s, e) != type) {
			break;
		}
		if ((type == QCOW2_CLUSTER_NORMAL ||
		     type == QCOW2_CLUSTER_ZERO_ALLOC) &&
		    ((e & QCOW2_OFFSET_MASK) !=
			     (*entry & QCOW2_OFFSET_MASK) +
				     (n << s->cluster_bits) ||
		     (e & QCOW2_OFLAG_COPIED) !=
			     (*entry & QCOW2_OFLAG_COPIED))) {
			break;
		}
	}
out:
	*bytes = MIN(len, (n << s->cluster_bits) - in_cluster);
	return 0;
}

/* Read an unallocated range: from the backing image, zeros past its end. */
static int qcow2_read_backing(struct qcow2 *s, uint64_t offset, uint8_t *buf,
			      uint64_t len)
{
	struct block *backing = s->common.backing;
	uint64_t from_backing = 0;
	int ret;

	if (backing && offset < backing->size) {
		from_backing = MIN(len, backing->size - offset);
		ret = block_pread(backing, offset, buf, from_backing);
		if (ret) {
			return ret;
		}
	}
	memset(buf + from_backing, 0, len - from_backing);
	return 0;
}

/* Read part of one cluster whose L2 entry is entry (no lock needed). */
int qcow2_read_entry(struct qcow2 *s, uint64_t entry, uint64_t offset,
		     uint8_t *buf, uint64_t len)
{
	uint64_t in_cluster = qcow2_offset_into_cluster(s, offset);
	uint8_t *cluster;
	ssize_t n;
	int ret;

	switch (qcow2_entry_type(s, entry)) {
	case QCOW2_CLUSTER_UNALLOCATED:
		return qcow2_read_backing(s, offset, buf, len);
	case QCOW2_CLUSTER_ZERO_PLAIN:
	case QCOW2_CLUSTER_ZERO_ALLOC:
		memset(buf, 0, len);
		return 0;
	case QCOW2_CLUSTER_NORMAL:
		n = block_file_pread(&s->common.file,
				     (entry & QCOW2_OFFSET_MASK) + in_cluster,
				     buf, len);
		if (n < 0) {
			return (int)n;
		}
		/* Data past the end of the image file: corrupt. */
		return (uint64_t)n == len ? 0 : -EIO;
	case QCOW2_CLUSTER_COMPRESSED:
		cluster = malloc(s->cluster_size);
		if (!cluster) {
			return -ENOMEM;
		}
		ret = qcow2_read_compressed(s, entry, cluster);
		if (!ret) {
			memcpy(buf, cluster + in_cluster, len);
		}
		free(cluster);
		return ret;
	}
	return -EIO;
}

int qcow2_co_pread(struct block *bs, uint64_t offset, void *buf, size_t len)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint8_t *out = buf;
	int ret;

	while (len) {
		uint64_t entry, bytes;

		pthread_mutex_lock(&s->lock);
		ret = qcow2_map_run(s, offset, len, &entry, &bytes);
		if (!ret) {
			s->inflight++;
		}
		pthread_mutex_unlock(&s->lock);
		if (ret) {
			return ret;
		}
		/* The data is read without the lock; clusters are not
		 * freed while it is in flight (qcow2_release_entry waits). */
		ret = qcow2_read_entry(s, entry, offset, out, bytes);
		qcow2_io_end(s);
		if (ret) {
			return ret;
		}
		offset += bytes;
		out += bytes;
		len -= bytes;
	}
	return 0;
}

void qcow2_io_end(struct qcow2 *s)
{
	pthread_mutex_lock(&s->lock);
	if (!--s->inflight) {
		pthread_cond_broadcast(&s->inflight_done);
	}
	pthread_mutex_unlock(&s->lock);
}

void qcow2_wait_io_locked(struct qcow2 *s)
{
	while (s->inflight) {
		pthread_cond_wait(&s->inflight_done, &s->lock);
	}
}

int qcow2_entry_refcount(struct qcow2 *s, uint64_t entry, int64_t delta)
{
	uint64_t first, last, off, sectors;
	unsigned x = 62 - (s->cluster_bits - 8);

	switch (qcow2_entry_type(s, entry)) {
	case QCOW2_CLUSTER_NORMAL:
	case QCOW2_CLUSTER_ZERO_ALLOC:
		return qcow2_update_refcount(
			s, (entry & QCOW2_OFFSET_MASK) >> s->cluster_bits, 1,
			delta);
	case QCOW2_CLUSTER_COMPRESSED:
		off = entry & ((1ull << x) - 1);
		sectors = ((entry & ~QCOW2_OFLAG_COMPRESSED &
			    ~QCOW2_OFLAG_COPIED) >>
			   x) +
			  1;
		first = off >> s->cluster_bits;
		last = ((off & ~511ull) + sectors * 512 - 1) >> s->cluster_bits;
		return qcow2_update_refcount(s, first, last - first + 1, delta);
	default:
		return 0;
	}
}

/* Release the host clusters an overwritten L2 entry held. */
int qcow2_release_entry(struct qcow2 *s, uint64_t entry)
{
	enum qcow2_cluster_type type = qcow2_entry_type(s, entry);

	if (type == QCOW2_CLUSTER_NORMAL || type == QCOW2_CLUSTER_ZERO_ALLOC ||
	    type == QCOW2_CLUSTER_COMPRESSED) {
		/* A reader or writer that mapped the old entry before it
		 * was replaced may still use the cluster. */
		qcow2_wait_io_locked(s);
	}
	return qcow2_entry_refcount(s, entry, -1);
}
