/* SPDX-License-Identifier: MIT */
/* qcow2 image creation and growth of the virtual size. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/qcow2.h"
#include "util/types.h"

struct qcow2_layout {
	uint64_t cs;
	unsigned cluster_bits;
	uint64_t rt_clusters, rb_count, l1_clusters, l1_entries, total;
};

/* Header, refcount table, refcount blocks, L1: each counting the rest. */
static void qcow2_plan_layout(struct qcow2_layout *l, uint64_t size)
{
	uint64_t per_rb = l->cs * 8 / 16;

	l->l1_entries = qcow2_l1_entries_for(l->cluster_bits, size);
	l->l1_clusters = MAX(1, (l->l1_entries * 8 + l->cs - 1) / l->cs);
	l->rt_clusters = 1;
	l->rb_count = 1;
	for (;;) {
		uint64_t total =
			1 + l->rt_clusters + l->rb_count + l->l1_clusters;
		uint64_t rb = (total + per_rb - 1) / per_rb;
		uint64_t rt = MAX(1, (rb * 8 + l->cs - 1) / l->cs);

		if (rb == l->rb_count && rt == l->rt_clusters) {
			l->total = total;
			return;
		}
		l->rb_count = rb;
		l->rt_clusters = rt;
	}
}

/* Fill the first cluster: header, extensions, backing file name. */
static bool qcow2_build_header(uint8_t *buf, const struct qcow2_layout *l,
			       const struct block_create_opts *o, uint64_t size,
			       const char *backing_fmt, struct error **errp)
{
	int version = o->compat ? o->compat : 3;
	uint64_t off = version == 3 ? 112 : QCOW2_V2_HEADER_LEN;
	size_t blen = o->backing_file ? strlen(o->backing_file) : 0;
	size_t flen = backing_fmt ? strlen(backing_fmt) : 0;

	qcow2_put_be32(buf, QCOW2_MAGIC);
	qcow2_put_be32(buf + 4, version);
	qcow2_put_be32(buf + 20, l->cluster_bits);
	qcow2_put_be64(buf + 24, size);
	qcow2_put_be32(buf + 36, (uint32_t)l->l1_entries);
	qcow2_put_be64(buf + 40, (1 + l->rt_clusters + l->rb_count) * l->cs);
	qcow2_put_be64(buf + 48, l->cs);
	qcow2_put_be32(buf + 56, (uint32_t)l->rt_clusters);
	if (version == 3) {
		qcow2_put_be32(buf + 96, 4);
		qcow2_put_be32(buf + 100, 112);
	}
	if (backing_fmt) {
		off = qcow2_put_ext(buf, off, QCOW2_EXT_BACKING_FORMAT,
				    backing_fmt, (uint32_t)flen);
	}
	if (version == 3 &&
	    off + 8 + QCOW2_FEATURE_TABLE_LEN + 8 + blen <= l->cs) {
		off = qcow2_put_feature_table(buf, off);
	}
	off += 8; /* end-of-extensions marker: already zero */
	if (off + blen > l->cs) {
		error_setg(errp, "backing file name is too long for the "
				 "header cluster");
		return false;
	}
	if (blen) {
		qcow2_put_be64(buf + 8, off);
		qcow2_put_be32(buf + 16, (uint32_t)blen);
		memcpy(buf + off, o->backing_file, blen);
	}
	return true;
}

/* The size and format of the backing file, which must open. */
static bool qcow2_create_backing(const char *filename,
				 const struct block_create_opts *o,
				 uint64_t *size, const char **fmt,
				 struct error **errp)
{
	char *path = block_relative_path(filename, o->backing_file);
	struct block *bs;

	if (!path) {
		error_setg(errp, "out of memory");
		return false;
	}
	bs = block_open(path, o->backing_format, 0, errp);
	free(path);
	if (!bs) {
		error_prepend(errp, "could not open backing file: ");
		return false;
	}
	if (!o->size_given) {
		*size = block_size(bs);
	}
	*fmt = o->backing_format ? o->backing_format : block_format_name(bs);
	block_close(bs);
	return true;
}

static bool qcow2_check_create_opts(const struct block_create_opts *o,
				    struct qcow2_layout *l, struct error **errp)
{
	l->cs = o->cluster_size ? o->cluster_size : 65536;
	if (l->cs < 512 || l->cs > (2u << 20) || (l->cs & (l->cs - 1))) {
		error_setg(errp, "cluster size must be a power of two between "
				 "512 and 2M");
		return false;
	}
	l->cluster_bits = __builtin_ctzll(l->cs);
	if (o->compat && o->compat != 2 && o->compat != 3) {
		error_setg(errp, "compat must be 0.10 or 1.1");
		return false;
	}
	return true;
}

static bool qcow2_write_layout(int fd, const struct qcow2_layout *l,
			       const uint8_t *header, struct error **errp)
{
	uint64_t per_rb = l->cs * 8 / 16;
	uint8_t *buf = calloc(1, l->cs);
	bool ok = false;

	if (!buf) {
		error_setg(errp, "out of memory");
		return false;
	}
	if (pwrite(fd, header, l->cs, 0) != (ssize_t)l->cs) {
		goto io;
	}
	for (uint64_t c = 0; c < l->rt_clusters; c++) {
		memset(buf, 0, l->cs);
		for (uint64_t e = 0; e < l->cs / 8; e++) {
			uint64_t rb = c * (l->cs / 8) + e;

			if (rb < l->rb_count) {
				qcow2_put_be64(buf + e * 8,
					       (1 + l->rt_clusters + rb) *
						       l->cs);
			}
		}
		if (pwrite(fd, buf, l->cs, (1 + c) * l->cs) != (ssize_t)l->cs) {
			goto io;
		}
	}
	for (uint64_t rb = 0; rb < l->rb_count; rb++) {
		memset(buf, 0, l->cs);
		for (uint64_t i = 0; i < per_rb; i++) {
			if (rb * per_rb + i < l->total) {
				buf[i * 2 + 1] = 1; /* 16-bit refcount 1 */
			}
		}
		if (pwrite(fd, buf, l->cs, (1 + l->rt_clusters + rb) * l->cs) !=
		    (ssize_t)l->cs) {
			goto io;
		}
	}
	if (ftruncate(fd, l->total * l->cs)) {
		goto io;
	}
	ok = true;
	goto out;
io:
	error_setg_errno(errp, errno ? errno : EIO, "could not write image");
out:
	free(buf);
	return ok;
}

bool qcow2_create(const char *filename, const struct block_create_opts *o,
		  struct error **errp)
{
	struct qcow2_layout l;
	const char *backing_fmt = NULL;
	uint64_t size = o->size;
	uint8_t *header;
	bool ok;
	int fd;

	if (!qcow2_check_create_opts(o, &l, errp)) {
		return false;
	}
	if (o->backing_file &&
	    !qcow2_create_backing(filename, o, &size, &backing_fmt, errp)) {
		return false;
	}
	if (size > (1ull << 62) ||
	    qcow2_l1_entries_for(l.cluster_bits, size) * 8 >
		    QCOW2_MAX_L1_BYTES) {
		error_setg(errp,
			   "image size is too large for cluster size %llu",
			   (unsigned long long)l.cs);
		return false;
	}
	qcow2_plan_layout(&l, size);
	header = calloc(1, l.cs);
	if (!header) {
		error_setg(errp, "out of memory");
		return false;
	}
	if (!qcow2_build_header(header, &l, o, size, backing_fmt, errp)) {
		free(header);
		return false;
	}
	fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_setg_errno(errp, errno, "could not create '%s'",
				 filename);
		free(header);
		return false;
	}
	ok = qcow2_write_layout(fd, &l, header, errp) && !fsync(fd);
	close(fd);
	free(header);
	return ok;
}

int qcow2_grow_l1(struct qcow2 *s, uint64_t need)
{
	uint64_t clusters = (need * 8 + s->cluster_size - 1) >> s->cluster_bits;
	uint64_t old_off = s->hdr.l1_table_offset;
	uint64_t old_clusters =
		((uint64_t)s->l1_size * 8 + s->cluster_size - 1) >>
		s->cluster_bits;
	uint64_t *l1;
	uint8_t *buf, hdr[12];
	int64_t host;
	int ret;

	l1 = calloc(need, sizeof(uint64_t));
	buf = calloc(clusters, s->cluster_size);
	if (!l1 || !buf) {
		free(l1);
		free(buf);
		return -ENOMEM;
	}
	memcpy(l1, s->l1, s->l1_size * sizeof(uint64_t));
	for (uint64_t i = 0; i < need; i++) {
		qcow2_put_be64(buf + i * 8, l1[i]);
	}
	host = qcow2_alloc_clusters(s, clusters);
	ret = host < 0 ? (int)host : 0;
	if (!ret) {
		ret = block_file_pwrite(&s->common.file, host, buf,
					clusters * s->cluster_size);
	}
	if (!ret) {
		ret = block_file_flush(&s->common.file);
	}
	if (!ret) {
		qcow2_put_be32(hdr, (uint32_t)need);
		qcow2_put_be64(hdr + 4, host);
		ret = qcow2_write_header_field(s, QCOW2_OFF_L1_SIZE, hdr, 12);
	}
	free(buf);
	if (ret) {
		free(l1);
		return ret;
	}
	free(s->l1);
	s->l1 = l1;
	s->l1_size = (uint32_t)need;
	s->hdr.l1_size = (uint32_t)need;
	s->hdr.l1_table_offset = host;
	if (old_clusters && old_off) {
		ret = qcow2_update_refcount(s, old_off >> s->cluster_bits,
					    old_clusters, -1);
	}
	return ret;
}

bool qcow2_resize(struct block *bs, uint64_t size, struct error **errp)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint64_t need = qcow2_l1_entries_for(s->cluster_bits, size);
	uint64_t old_size = bs->size;
	uint8_t be[8];
	int ret = 0;

	if (size < bs->size) {
		error_setg(errp, "shrinking qcow2 images is not supported");
		return false;
	}
	if (need * 8 > QCOW2_MAX_L1_BYTES || size > (1ull << 62)) {
		error_setg(errp, "size is too large for this cluster size");
		return false;
	}
	pthread_mutex_lock(&s->lock);
	if (need > s->l1_size) {
		ret = qcow2_grow_l1(s, need);
	}
	if (!ret) {
		qcow2_put_be64(be, size);
		ret = qcow2_write_header_field(s, QCOW2_OFF_SIZE, be, 8);
	}
	if (!ret) {
		ret = block_file_flush(&bs->file);
	}
	if (!ret) {
		s->hdr.size = size;
		bs->size = size;
	}
	pthread_mutex_unlock(&s->lock);
	/* The new space reads as zeros, not as a longer backing file. */
	if (!ret && bs->backing && old_size < bs->backing->size) {
		ret = qcow2_co_pwrite_zeroes(
			bs, old_size, MIN(size, bs->backing->size) - old_size);
	}
	if (ret) {
		error_setg_errno(errp, -ret, "could not resize '%s'",
				 bs->filename);
		return false;
	}
	return true;
}
