/* SPDX-License-Identifier: MIT */
/* qcow2 amend: change the version (compat) and lazy refcounts in place. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

/* Version 2 has no zero flag: zero clusters become unallocated (nothing
 * below) or clusters of zeros. */
static int qcow2_expand_zero_clusters(struct qcow2 *s)
{
	struct block *bs = &s->common;
	uint8_t *zeros = calloc(1, s->cluster_size);
	uint64_t off = 0, pnum, host;
	int ret = zeros ? 0 : -ENOMEM;

	while (!ret && off < bs->size) {
		int st = qcow2_co_get_status(bs, off, bs->size - off, &pnum,
					     &host);

		if (st < 0) {
			ret = st;
			break;
		}
		if ((st & BLOCK_STATUS_ZERO) && (st & BLOCK_STATUS_ALLOCATED)) {
			/* One cluster at a time: pnum is cluster aligned. */
			pnum = MIN(s->cluster_size, bs->size - off);
			ret = bs->backing ?
				      qcow2_co_pwrite(bs, off, zeros, pnum) :
				      qcow2_co_pwrite_zeroes(bs, off, pnum);
		}
		off += pnum;
	}
	free(zeros);
	return ret;
}

/* The header fields of the other version (extensions are kept). */
static uint32_t qcow2_amend_head(struct qcow2 *s, int version, bool lazy,
				 uint8_t *head)
{
	memset(head, 0, 112);
	if (block_file_pread(&s->common.file, 0, head, QCOW2_V2_HEADER_LEN) !=
	    QCOW2_V2_HEADER_LEN) {
		return 0;
	}
	qcow2_put_be32(head + 4, version);
	if (version == 2) {
		return QCOW2_V2_HEADER_LEN;
	}
	qcow2_put_be64(head + 80, lazy ? QCOW2_COMPAT_LAZY_REFCOUNTS : 0);
	qcow2_put_be32(head + 96, 4);
	qcow2_put_be32(head + 100, 112);
	return 112;
}

static int qcow2_change_version(struct qcow2 *s, int version, bool lazy)
{
	struct qcow2_header_edit e = {
		.name = s->backing_file,
		.fmt = s->backing_format,
		.features = version == 3 ? 1 : -1,
	};
	uint8_t head[112];
	int ret;

	if (version == 2) {
		ret = qcow2_expand_zero_clusters(s);
		if (ret) {
			return ret;
		}
	} else {
		/* Version 3 snapshots carry the disk size. */
		ret = qcow2_snapshot_upgrade(s);
		if (ret) {
			return ret;
		}
	}
	pthread_mutex_lock(&s->lock);
	e.head = head;
	e.head_len = qcow2_amend_head(s, version, lazy, head);
	ret = e.head_len ? qcow2_rewrite_header(s, &e) : -EIO;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int qcow2_set_lazy_refcounts(struct qcow2 *s, bool lazy)
{
	uint64_t bits = s->hdr.compatible_features;
	uint8_t be[8];
	int ret;

	bits = lazy ? bits | QCOW2_COMPAT_LAZY_REFCOUNTS :
		      bits & ~QCOW2_COMPAT_LAZY_REFCOUNTS;
	if (bits == s->hdr.compatible_features) {
		return 0;
	}
	qcow2_put_be64(be, bits);
	ret = qcow2_write_header_field(s, 80, be, 8);
	if (!ret) {
		s->hdr.compatible_features = bits;
		ret = block_file_flush(&s->common.file);
	}
	return ret;
}

bool qcow2_amend(struct block *bs, const struct block_amend_opts *o,
		 struct error **errp)
{
	struct qcow2 *s = qcow2_from_block(bs);
	int version = o->compat ? o->compat : (int)s->hdr.version;
	bool lazy = o->lazy_refcounts >= 0 ?
			    o->lazy_refcounts :
			    (version == 3 && (s->hdr.compatible_features &
					      QCOW2_COMPAT_LAZY_REFCOUNTS));
	int ret = 0;

	if (lazy && version < 3) {
		error_setg(errp, "Lazy refcounts only supported with "
				 "compatibility level 1.1 and above (use "
				 "compat=1.1 or greater)");
		return false;
	}
	if (version == 2 && s->hdr.version == 3) {
		if (s->hdr.refcount_order != 4 || s->hdr.nb_snapshots ||
		    (s->hdr.incompatible_features & ~QCOW2_INCOMPAT_DIRTY)) {
			error_setg(errp,
				   "compat=0.10 needs 16-bit refcounts, no "
				   "internal snapshots and no incompatible "
				   "features in '%s'",
				   bs->filename);
			return false;
		}
	}
	if (version != (int)s->hdr.version) {
		ret = qcow2_change_version(s, version, lazy);
	} else if (version == 3) {
		ret = qcow2_set_lazy_refcounts(s, lazy);
	}
	if (ret) {
		error_setg_errno(errp, -ret, "could not amend '%s'",
				 bs->filename);
		return false;
	}
	return true;
}
