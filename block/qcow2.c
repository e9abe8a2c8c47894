/* SPDX-License-Identifier: MIT */
/* The qcow2 driver: open/close, backing files, flush, info. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"

static int qcow2_probe(const uint8_t *buf, size_t len)
{
	if (len >= 8 && qcow2_be32(buf) == QCOW2_MAGIC &&
	    qcow2_be32(buf + 4) >= 2) {
		return 100;
	}
	return 0;
}

static bool qcow2_open_backing(struct qcow2 *s, int depth, struct error **errp)
{
	struct error *err = NULL;
	char *path;

	if (!s->backing_file || (s->common.flags & BLOCK_NO_BACKING)) {
		return true;
	}
	path = block_relative_path(s->common.filename, s->backing_file);
	if (!path) {
		error_setg(errp, "out of memory");
		return false;
	}
	s->common.backing = block_open_depth(
		path, s->backing_format,
		s->common.flags & ~(BLOCK_RDWR | BLOCK_WRITETHROUGH), depth + 1,
		&err);
	free(path);
	if (!s->common.backing) {
		error_setg(errp, "could not open backing file '%s': %s",
			   s->backing_file, error_get_message(err));
		error_free(err);
		return false;
	}
	return true;
}

/* What stops us from writing this image, if anything. */
static const char *qcow2_write_blocker(struct qcow2 *s)
{
	if (s->hdr.incompatible_features & QCOW2_INCOMPAT_CORRUPT) {
		return "image is marked corrupt; run 'qemu-img check -r all' "
		       "or open it read-only";
	}
	if (s->hdr.incompatible_features & QCOW2_INCOMPAT_DIRTY) {
		return "image is marked dirty (lazy refcounts were not "
		       "written back); run 'mimic-img check -r all' first";
	}
	return NULL;
}

static bool qcow2_open_rw(struct qcow2 *s, struct error **errp)
{
	const char *blocker = qcow2_write_blocker(s);
	struct block_check_result res;
	uint8_t zero[8] = { 0 };

	if (s->common.flags & BLOCK_REPAIR) {
		return true;
	}
	if ((s->hdr.incompatible_features & QCOW2_INCOMPAT_DIRTY) &&
	    !(s->hdr.incompatible_features & QCOW2_INCOMPAT_CORRUPT)) {
		/* Lazy refcounts were not written back: recount them, as
		 * QEMU does on opening such an image. */
		memset(&res, 0, sizeof(res));
		if (!qcow2_check(&s->common, &res,
				 BLOCK_FIX_LEAKS | BLOCK_FIX_ERRORS |
					 QCOW2_FIX_QUIET) &&
		    !res.corruptions && !res.check_errors) {
			blocker = NULL;
		}
	}
	if (blocker) {
		error_setg(errp, "'%s': %s", s->common.filename, blocker);
		return false;
	}
	/* Auto-clear bits we do not maintain must be cleared on write. */
	if (s->hdr.autoclear_features) {
		if (qcow2_write_header_field(s, 88, zero, 8)) {
			error_setg(errp, "could not update '%s'",
				   s->common.filename);
			return false;
		}
		s->hdr.autoclear_features = 0;
	}
	return true;
}

static void qcow2_free(struct qcow2 *s)
{
	block_close(s->common.backing);
	qcow2_cache_free(&s->l2_cache);
	qcow2_cache_free(&s->refblock_cache);
	free(s->l1);
	free(s->reftable);
	free(s->backing_file);
	free(s->backing_format);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->inflight_done);
	block_cleanup_common(&s->common);
	free(s);
}

static struct block *qcow2_open(const char *filename, int flags, int depth,
				struct error **errp)
{
	struct qcow2 *s = calloc(1, sizeof(*s));
	struct error *err = NULL;

	if (!s) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->inflight_done, NULL);
	qcow2_cache_init(&s->l2_cache);
	qcow2_cache_init(&s->refblock_cache);
	if (!block_init_common(&s->common, &block_qcow2_driver, filename, flags,
			       errp)) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->inflight_done);
		free(s);
		return NULL;
	}
	if (!qcow2_read_header(s, &err) || !qcow2_load_tables(s, &err) ||
	    ((flags & BLOCK_RDWR) && !qcow2_open_rw(s, &err)) ||
	    !qcow2_open_backing(s, depth, &err)) {
		if (strncmp(error_get_message(err), "'", 1)) {
			error_prepend(&err, "'%s': ", filename);
		}
		error_propagate(errp, err);
		qcow2_free(s);
		return NULL;
	}
	s->common.size = s->hdr.size;
	s->common.cluster_size = s->cluster_size;
	return &s->common;
}

static void qcow2_close(struct block *bs)
{
	struct qcow2 *s = qcow2_from_block(bs);

	if ((bs->flags & BLOCK_RDWR) && !(bs->flags & BLOCK_NO_FLUSH)) {
		block_file_flush(&bs->file);
	}
	qcow2_free(s);
}

static int qcow2_flush(struct block *bs)
{
	/* Metadata is written through: one fdatasync covers it all. */
	return block_file_flush(&bs->file);
}

static void qcow2_get_info(struct block *bs, struct block_info *info)
{
	struct qcow2 *s = qcow2_from_block(bs);

	info->cluster_size = s->cluster_size;
	info->dirty = s->hdr.incompatible_features & QCOW2_INCOMPAT_DIRTY;
	info->backing_file = s->backing_file;
	info->backing_format = s->backing_format;
	info->compat = s->hdr.version >= 3 ? "1.1" : "0.10";
	info->lazy_refcounts =
		s->hdr.compatible_features & QCOW2_COMPAT_LAZY_REFCOUNTS;
	info->refcount_bits = 1u << s->hdr.refcount_order;
	info->corrupt = s->hdr.incompatible_features & QCOW2_INCOMPAT_CORRUPT;
	info->extended_l2 = false;
	info->compression_type = "zlib";
}

int qcow2_co_get_status(struct block *bs, uint64_t offset, uint64_t len,
			uint64_t *pnum, uint64_t *host_offset)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint64_t entry, bytes;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = qcow2_map_run(s, offset, len, &entry, &bytes);
	pthread_mutex_unlock(&s->lock);
	if (ret) {
		return ret;
	}
	*pnum = bytes;
	switch (qcow2_entry_type(s, entry)) {
	case QCOW2_CLUSTER_UNALLOCATED:
		return bs->backing ? 0 : BLOCK_STATUS_ZERO;
	case QCOW2_CLUSTER_ZERO_PLAIN:
		return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED;
	case QCOW2_CLUSTER_ZERO_ALLOC:
		/* Preallocated: the space is there, reading it gives zeros. */
		*host_offset = (entry & QCOW2_OFFSET_MASK) +
			       qcow2_offset_into_cluster(s, offset);
		return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED |
		       BLOCK_STATUS_OFFSET_VALID;
	case QCOW2_CLUSTER_COMPRESSED:
		return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED |
		       BLOCK_STATUS_COMPRESSED;
	case QCOW2_CLUSTER_NORMAL:
		*host_offset = (entry & QCOW2_OFFSET_MASK) +
			       qcow2_offset_into_cluster(s, offset);
		return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED |
		       BLOCK_STATUS_OFFSET_VALID;
	}
	return -EIO;
}

const struct block_driver block_qcow2_driver = {
	.name = "qcow2",
	.probe = qcow2_probe,
	.open = qcow2_open,
	.close = qcow2_close,
	.pread = qcow2_co_pread,
	.pwrite = qcow2_co_pwrite,
	.pwrite_compressed = qcow2_co_pwrite_compressed,
	.pwrite_zeroes = qcow2_co_pwrite_zeroes,
	.discard = qcow2_co_discard,
	.flush = qcow2_flush,
	.get_status = qcow2_co_get_status,
	.resize = qcow2_resize,
	.create = qcow2_create,
	.get_info = qcow2_get_info,
	.check = qcow2_check,
	.change_backing = qcow2_change_backing,
	.make_empty = qcow2_make_empty,
	.snapshot = qcow2_snapshot,
	.snapshot_list = qcow2_snapshot_list,
	.amend = qcow2_amend,
};
