/* SPDX-License-Identifier: MIT */
/* qcow2 compressed clusters: raw deflate (zlib), read and write. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "block/qcow2.h"
#include "util/types.h"

/* qcow2 compresses with a 4 KiB window and no zlib header. */
#define QCOW2_DEFLATE_WINDOW (-12)

static unsigned qcow2_csize_shift(const struct qcow2 *s)
{
	return 62 - (s->cluster_bits - 8);
}

int qcow2_read_compressed(struct qcow2 *s, uint64_t entry, uint8_t *cluster)
{
	unsigned x = qcow2_csize_shift(s);
	uint64_t off = entry & ((1ull << x) - 1);
	uint64_t sectors =
		((entry >> x) & ((1ull << (s->cluster_bits - 8)) - 1)) + 1;
	uint64_t csize = sectors * 512 - (off & 511);
	z_stream zs;
	uint8_t *in;
	ssize_t n;
	int ret;

	if (off >> 56) {
		return -EIO;
	}
	in = malloc(csize);
	if (!in) {
		return -ENOMEM;
	}
	/* The last sector may run past the end of the file. */
	n = block_file_pread(&s->common.file, off, in, csize);
	if (n <= 0) {
		free(in);
		return n < 0 ? (int)n : -EIO;
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, QCOW2_DEFLATE_WINDOW) != Z_OK) {
		free(in);
		return -ENOMEM;
	}
	zs.next_in = in;
	zs.avail_in = (uInt)n;
	zs.next_out = cluster;
	zs.avail_out = (uInt)s->cluster_size;
	ret = inflate(&zs, Z_FINISH);
	/* Decompression stops once a whole cluster came out. */
	ret = (zs.avail_out == 0 &&
	       (ret == Z_STREAM_END || ret == Z_OK || ret == Z_BUF_ERROR)) ?
		      0 :
		      -EIO;
	inflateEnd(&zs);
	free(in);
	return ret;
}

/* Deflate a cluster; returns the compressed length or 0 if no gain. */
static uint64_t qcow2_deflate(const struct qcow2 *s, const uint8_t *in,
			      uint8_t *out)
{
	z_stream zs;
	uint64_t len = 0;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
			 QCOW2_DEFLATE_WINDOW, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		return 0;
	}
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uInt)s->cluster_size;
	zs.next_out = out;
	zs.avail_out = (uInt)s->cluster_size - 1;
	if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
		len = s->cluster_size - 1 - zs.avail_out;
	}
	deflateEnd(&zs);
	return len;
}

/* Find room for csize compressed bytes; packs several into a cluster. */
static int64_t qcow2_alloc_bytes(struct qcow2 *s, uint64_t csize)
{
	uint64_t cur = s->compressed_cursor;
	uint64_t room = s->cluster_size - qcow2_offset_into_cluster(s, cur);
	int64_t host;
	int ret;

	if (cur && qcow2_offset_into_cluster(s, cur) && room >= csize) {
		ret = qcow2_update_refcount(s, cur >> s->cluster_bits, 1, 1);
		if (ret) {
			return ret;
		}
		s->compressed_cursor = cur + csize;
		return (int64_t)cur;
	}
	host = qcow2_alloc_clusters(s, (csize + s->cluster_size - 1) >>
					       s->cluster_bits);
	if (host >= 0) {
		s->compressed_cursor = (uint64_t)host + csize;
	}
	return host;
}

static int qcow2_store_compressed(struct qcow2 *s, uint64_t offset,
				  const uint8_t *data, uint64_t csize)
{
	uint64_t cluster = offset >> s->cluster_bits;
	uint64_t l2i = cluster & (qcow2_l2_entries(s) - 1);
	uint64_t l2_off, entry, end, pad;
	uint8_t zeros[512] = { 0 };
	int64_t host;
	int ret;

	ret = qcow2_get_l2_table(s, cluster >> s->l2_bits, true, &l2_off);
	if (ret) {
		return ret;
	}
	host = qcow2_alloc_bytes(s, csize);
	if (host < 0) {
		return (int)host;
	}
	ret = block_file_pwrite(&s->common.file, host, data, csize);
	if (ret) {
		return ret;
	}
	/* Readers read whole sectors: keep the file that long. */
	end = (uint64_t)host + csize;
	pad = (512 - (end & 511)) & 511;
	if (pad && (end & ~(s->cluster_size - 1)) ==
			   ((end + pad - 1) & ~(s->cluster_size - 1))) {
		ret = block_file_pwrite(&s->common.file, end, zeros, pad);
		if (ret) {
			return ret;
		}
	}
	entry = QCOW2_OFLAG_COMPRESSED | (uint64_t)host |
		((((end - 1) >> 9) - ((uint64_t)host >> 9))
		 << qcow2_csize_shift(s));
	return qcow2_set_l2_entries(s, l2_off, l2i, &entry, 1);
}

int qcow2_co_pwrite_compressed(struct block *bs, uint64_t offset,
			       const void *buf, size_t len)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint8_t *in, *out;
	uint64_t entry, csize;
	int ret;

	if (qcow2_offset_into_cluster(s, offset) || len > s->cluster_size ||
	    (len < s->cluster_size && offset + len != bs->size)) {
		return -EINVAL;
	}
	in = calloc(2, s->cluster_size);
	if (!in) {
		return -ENOMEM;
	}
	out = in + s->cluster_size;
	memcpy(in, buf, len);
	csize = qcow2_deflate(s, in, out);
	pthread_mutex_lock(&s->lock);
	ret = qcow2_get_l2_entry(s, offset, &entry);
	if (!ret && csize &&
	    qcow2_entry_type(s, entry) == QCOW2_CLUSTER_UNALLOCATED) {
		ret = qcow2_store_compressed(s, offset, out, csize);
		pthread_mutex_unlock(&s->lock);
		free(in);
		return ret;
	}
	pthread_mutex_unlock(&s->lock);
	/* Incompressible, or already written: store it plainly. */
	if (!ret) {
		ret = qcow2_co_pwrite(bs, offset, buf, len);
	}
	free(in);
	return ret;
}
