/* SPDX-License-Identifier: MIT */
/* qcow2 consistency check: recount every reference, compare, repair. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

struct qcow2_checker {
	struct qcow2 *s;
	struct block_check_result *res;
	uint32_t *refs; /* references counted per host cluster */
	uint64_t nclusters; /* clusters the file holds */
	uint64_t last_host; /* for fragmentation */
	uint8_t *l2;
	bool quiet;
	int fix;
};

#define qcow2_check_msg(c, ...)                       \
	do {                                          \
		if (!(c)->quiet) {                    \
			fprintf(stderr, __VA_ARGS__); \
		}                                     \
	} while (0)

/* Count one reference to each cluster of [offset, offset + len). */
static void qcow2_check_ref(struct qcow2_checker *c, uint64_t offset,
			    uint64_t len)
{
	struct qcow2 *s = c->s;

	if (!len) {
		return;
	}
	for (uint64_t cl = offset >> s->cluster_bits;
	     cl <= (offset + len - 1) >> s->cluster_bits; cl++) {
		if (cl >= c->nclusters) {
			qcow2_check_msg(
				c,
				"ERROR: cluster %" PRIu64
				" is referenced but lies past the end of the "
				"image file\n",
				cl);
			c->res->corruptions++;
			return;
		}
		if (c->refs[cl] < UINT32_MAX) {
			c->refs[cl]++;
		}
	}
}

static void qcow2_check_l2_entry(struct qcow2_checker *c, uint64_t e,
				 bool active)
{
	struct qcow2 *s = c->s;
	unsigned x = 62 - (s->cluster_bits - 8);
	uint64_t off, sectors;

	switch (qcow2_entry_type(s, e)) {
	case QCOW2_CLUSTER_COMPRESSED:
		if (e & QCOW2_OFLAG_COPIED) {
			qcow2_check_msg(c,
					"ERROR: coffset=0x%" PRIx64
					": copied flag must never be set for "
					"compressed clusters\n",
					(uint64_t)(e & ((1ull << x) - 1)));
			c->res->corruptions++;
		}
		off = e & ((1ull << x) - 1);
		sectors = ((e & ~(3ull << 62)) >> x) + 1;
		qcow2_check_ref(c, off, sectors * 512 - (off & 511));
		if (active) {
			/* As QEMU counts: compressed means fragmented. */
			c->res->allocated_clusters++;
			c->res->compressed_clusters++;
			c->res->fragmented_clusters++;
		}
		break;
	case QCOW2_CLUSTER_NORMAL:
	case QCOW2_CLUSTER_ZERO_ALLOC:
		off = e & QCOW2_OFFSET_MASK;
		if (off % s->cluster_size) {
			qcow2_check_msg(c,
					"ERROR offset=%" PRIx64
					": Cluster is not properly aligned; L2 "
					"entry corrupted.\n",
					off);
			c->res->corruptions++;
			break;
		}
		qcow2_check_ref(c, off, s->cluster_size);
		if (active) {
			c->res->allocated_clusters++;
			if (c->last_host &&
			    off != c->last_host + s->cluster_size) {
				c->res->fragmented_clusters++;
			}
			c->last_host = off;
		}
		break;
	default:
		break;
	}
}

/* Count the references of one L1 table and everything below it. */
static int qcow2_check_l1(struct qcow2_checker *c, const uint64_t *l1,
			  uint64_t l1_size, bool active)
{
	struct qcow2 *s = c->s;

	for (uint64_t i = 0; i < l1_size; i++) {
		uint64_t off = l1[i] & QCOW2_L1_OFFSET_MASK;
		ssize_t n;

		if (!off) {
			continue;
		}
		if (off % s->cluster_size) {
			qcow2_check_msg(c,
					"ERROR l2_offset=%" PRIx64
					": Table is not cluster aligned; L1 "
					"entry corrupted\n",
					off);
			c->res->corruptions++;
			continue;
		}
		qcow2_check_ref(c, off, s->cluster_size);
		n = block_file_pread(&s->common.file, off, c->l2,
				     s->cluster_size);
		if (n != (ssize_t)s->cluster_size) {
			qcow2_check_msg(c,
					"ERROR: I/O error reading the L2 table "
					"at 0x%" PRIx64 "\n",
					off);
			c->res->check_errors++;
			continue;
		}
		/* QEMU counts fragments within each L2 table. */
		c->last_host = 0;
		for (uint64_t j = 0; j < qcow2_l2_entries(s); j++) {
			qcow2_check_l2_entry(c, qcow2_be64(c->l2 + j * 8),
					     active);
		}
	}
	return 0;
}

/* Internal snapshots: their L1 tables hold references too. */
static int qcow2_check_snapshots(struct qcow2_checker *c)
{
	struct qcow2 *s = c->s;
	uint64_t off = s->hdr.snapshots_offset;
	uint8_t ent[40];

	for (uint32_t i = 0; i < s->hdr.nb_snapshots; i++) {
		uint64_t l1_off, l1_size, len, *l1;

		if (block_file_pread(&s->common.file, off, ent, 40) != 40) {
			c->res->check_errors++;
			return -EIO;
		}
		l1_off = qcow2_be64(ent);
		l1_size = qcow2_be32(ent + 8);
		len = 40 + qcow2_be32(ent + 36) +
		      (uint64_t)(ent[12] << 8 | ent[13]) +
		      (ent[14] << 8 | ent[15]);
		off += (len + 7) & ~7ull;
		if (l1_size * 8 > QCOW2_MAX_L1_BYTES ||
		    l1_off % s->cluster_size) {
			qcow2_check_msg(c,
					"ERROR: snapshot %u has an invalid L1 "
					"table\n",
					i);
			c->res->corruptions++;
			continue;
		}
		qcow2_check_ref(c, l1_off, l1_size * 8);
		l1 = malloc(l1_size * 8 + 8);
		if (!l1) {
			return -ENOMEM;
		}
		if (block_file_pread(&s->common.file, l1_off, l1,
				     l1_size * 8) != (ssize_t)(l1_size * 8)) {
			c->res->check_errors++;
			free(l1);
			continue;
		}
		for (uint64_t j = 0; j < l1_size; j++) {
			l1[j] = qcow2_be64(&l1[j]);
		}
		qcow2_check_l1(c, l1, l1_size, false);
		free(l1);
	}
	qcow2_check_ref(c, s->hdr.snapshots_offset,
			off - s->hdr.snapshots_offset);
	return 0;
}

/* A refcount block pointer that cannot be right is forgotten; with -r all
 * on disk too, and the block is made anew when a cluster needs it. */
static bool qcow2_check_drop_refblock(struct qcow2_checker *c, uint64_t rt)
{
	struct qcow2 *s = c->s;
	uint8_t zero[8] = { 0 };

	if (!(c->fix & BLOCK_FIX_ERRORS)) {
		/* Only in memory: its clusters count as refcount 0, as
		 * qemu-img counts them. */
		s->reftable[rt] = 0;
		c->res->corruptions++;
		return false;
	}
	if (block_file_pwrite(&s->common.file,
			      s->hdr.refcount_table_offset + rt * 8, zero, 8)) {
		c->res->corruptions++;
		return false;
	}
	s->reftable[rt] = 0;
	c->res->corruptions_fixed++;
	return true;
}

static void qcow2_check_refcount_structures(struct qcow2_checker *c)
{
	struct qcow2 *s = c->s;

	qcow2_check_ref(c, s->hdr.refcount_table_offset, s->reftable_size * 8);
	for (uint64_t i = 0; i < s->reftable_size; i++) {
		uint64_t off = s->reftable[i] & ~QCOW2_REFT_RESERVED;

		if (!off) {
			continue;
		}
		if (off % s->cluster_size) {
			qcow2_check_msg(c,
					"ERROR refcount block %" PRIu64
					" is not cluster aligned; refcount "
					"table entry corrupted\n",
					i);
			qcow2_check_drop_refblock(c, i);
			continue;
		}
		if ((off >> s->cluster_bits) >= c->nclusters) {
			qcow2_check_msg(c,
					"ERROR refcount block %" PRIu64
					" is outside image\n",
					i);
			qcow2_check_drop_refblock(c, i);
			continue;
		}
		qcow2_check_ref(c, off, s->cluster_size);
	}
}

/* A referenced cluster whose refcount block is missing gets one. */
static void qcow2_check_fix_refblock(struct qcow2 *s, uint64_t cluster)
{
	uint64_t rt = cluster >> s->refblock_bits;

	if (rt >= s->reftable_size || !s->reftable[rt]) {
		qcow2_repair_refblock(s, rt);
	}
}

/* Compare the counts with the refcounts on disk; fix when asked to. */
static void qcow2_check_compare(struct qcow2_checker *c, int fix)
{
	struct qcow2 *s = c->s;

	for (uint64_t i = 0; i < c->nclusters; i++) {
		uint64_t ref;
		bool leak;

		if (qcow2_get_refcount(s, i, &ref)) {
			qcow2_check_msg(c,
					"ERROR: cannot get the refcount of "
					"cluster %" PRIu64 "\n",
					i);
			c->res->check_errors++;
			continue;
		}
		if (ref || c->refs[i]) {
			c->res->image_end_offset = (i + 1) << s->cluster_bits;
		}
		if (ref == c->refs[i]) {
			continue;
		}
		leak = ref > c->refs[i];
		if (!leak && (fix & BLOCK_FIX_ERRORS)) {
			qcow2_check_fix_refblock(s, i);
		}
		/* 64-bit refcounts can be further off than a delta holds. */
		if (((leak && (fix & BLOCK_FIX_LEAKS)) ||
		     (!leak && (fix & BLOCK_FIX_ERRORS))) &&
		    ref <= INT64_MAX) {
			if (!qcow2_update_refcount(s, i, 1,
						   (int64_t)c->refs[i] -
							   (int64_t)ref)) {
				qcow2_check_msg(c,
						"Repairing cluster %" PRIu64
						" refcount=%" PRIu64
						" reference=%" PRIu32 "\n",
						i, ref, c->refs[i]);
				if (leak) {
					c->res->leaks_fixed++;
				} else {
					c->res->corruptions_fixed++;
				}
				continue;
			}
		}
		qcow2_check_msg(c,
				"%s cluster %" PRIu64 " refcount=%" PRIu64
				" reference=%" PRIu32 "\n",
				leak ? "Leaked" : "ERROR", i, ref, c->refs[i]);
		if (leak) {
			c->res->leaks++;
		} else {
			c->res->corruptions++;
		}
	}
}

/* The COPIED flag must say exactly "refcount is one". */
static void qcow2_check_copied(struct qcow2_checker *c)
{
	struct qcow2 *s = c->s;

	for (uint64_t i = 0; i < s->l1_size; i++) {
		uint64_t off = s->l1[i] & QCOW2_L1_OFFSET_MASK, ref;

		if (!off || off % s->cluster_size ||
		    qcow2_get_refcount(s, off >> s->cluster_bits, &ref)) {
			continue;
		}
		if ((ref == 1) != !!(s->l1[i] & QCOW2_OFLAG_COPIED)) {
			qcow2_check_msg(c,
					"ERROR OFLAG_COPIED L2 cluster: "
					"l1_index=%" PRIu64 " l1_entry=%" PRIx64
					" refcount=%" PRIu64 "\n",
					i, s->l1[i], ref);
			c->res->corruptions++;
		}
		if (block_file_pread(&s->common.file, off, c->l2,
				     s->cluster_size) !=
		    (ssize_t)s->cluster_size) {
			continue;
		}
		for (uint64_t j = 0; j < qcow2_l2_entries(s); j++) {
			uint64_t e = qcow2_be64(c->l2 + j * 8);
			enum qcow2_cluster_type t = qcow2_entry_type(s, e);

			if ((t != QCOW2_CLUSTER_NORMAL &&
			     t != QCOW2_CLUSTER_ZERO_ALLOC) ||
			    (e & QCOW2_OFFSET_MASK) % s->cluster_size ||
			    qcow2_get_refcount(s,
					       (e & QCOW2_OFFSET_MASK) >>
						       s->cluster_bits,
					       &ref)) {
				continue;
			}
			if ((ref == 1) != !!(e & QCOW2_OFLAG_COPIED)) {
				qcow2_check_msg(
					c,
					"ERROR OFLAG_COPIED data cluster: "
					"l2_entry=%" PRIx64 " refcount=%" PRIu64
					"\n",
					e, ref);
				c->res->corruptions++;
			}
		}
	}
}

static int qcow2_check_locked(struct qcow2 *s, struct block_check_result *res,
			      int fix)
{
	struct qcow2_checker c = {
		.s = s, .res = res, .quiet = fix & QCOW2_FIX_QUIET, .fix = fix
	};
	int64_t file_size = block_file_size(&s->common.file);
	int ret = 0;

	if (file_size < 0) {
		return (int)file_size;
	}
	c.nclusters = qcow2_align_up(s, file_size) >> s->cluster_bits;
	c.refs = calloc(c.nclusters ? c.nclusters : 1, sizeof(uint32_t));
	c.l2 = malloc(s->cluster_size);
	if (!c.refs || !c.l2) {
		ret = -ENOMEM;
		goto out;
	}
	res->total_clusters =
		(s->hdr.size + s->cluster_size - 1) >> s->cluster_bits;
	qcow2_check_ref(&c, 0, s->cluster_size);
	qcow2_check_ref(&c, s->hdr.l1_table_offset, (uint64_t)s->l1_size * 8);
	qcow2_check_l1(&c, s->l1, s->l1_size, true);
	if (s->hdr.nb_snapshots) {
		qcow2_check_snapshots(&c);
	}
	qcow2_check_refcount_structures(&c);
	qcow2_check_compare(&c, fix);
	qcow2_check_copied(&c);
out:
	free(c.refs);
	free(c.l2);
	return ret;
}

int qcow2_check(struct block *bs, struct block_check_result *res, int fix)
{
	struct qcow2 *s = qcow2_from_block(bs);
	uint8_t be[8];
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = qcow2_check_locked(s, res, fix);
	if (!ret && fix && !res->corruptions && !res->check_errors &&
	    (s->hdr.incompatible_features &
	     (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT))) {
		/* Refcounts are exact again: the image is clean. */
		s->hdr.incompatible_features &=
			~(QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT);
		qcow2_put_be64(be, s->hdr.incompatible_features);
		block_file_flush(&bs->file);
		ret = qcow2_write_header_field(s, QCOW2_OFF_INCOMPAT, be, 8);
	}
	if (!ret && fix) {
		ret = block_file_flush(&bs->file);
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}
