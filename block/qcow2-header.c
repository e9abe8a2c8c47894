/* SPDX-License-Identifier: MIT */
/* qcow2 header: parse and validate the header, its extensions, L1/reftable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"
#include "util/types.h"

uint64_t qcow2_l1_entries_for(unsigned cluster_bits, uint64_t size)
{
	unsigned shift = cluster_bits + (cluster_bits - 3);

	if (shift >= 64) {
		return size ? 1 : 0;
	}
	return (size >> shift) + ((size & ((1ull << shift) - 1)) != 0);
}

bool qcow2_parse_header(const uint8_t *buf, size_t len, struct qcow2_header *h,
			struct error **errp)
{
	memset(h, 0, sizeof(*h));
	if (len < QCOW2_V2_HEADER_LEN || qcow2_be32(buf) != QCOW2_MAGIC) {
		error_setg(errp, "not a qcow2 image (bad magic)");
		return false;
	}
	h->version = qcow2_be32(buf + 4);
	h->backing_file_offset = qcow2_be64(buf + 8);
	h->backing_file_size = qcow2_be32(buf + 16);
	h->cluster_bits = qcow2_be32(buf + 20);
	h->size = qcow2_be64(buf + 24);
	h->crypt_method = qcow2_be32(buf + 32);
	h->l1_size = qcow2_be32(buf + 36);
	h->l1_table_offset = qcow2_be64(buf + 40);
	h->refcount_table_offset = qcow2_be64(buf + 48);
	h->refcount_table_clusters = qcow2_be32(buf + 56);
	h->nb_snapshots = qcow2_be32(buf + 60);
	h->snapshots_offset = qcow2_be64(buf + 64);
	if (h->version != 2 && h->version != 3) {
		error_setg(errp, "unsupported qcow2 version %u", h->version);
		return false;
	}
	h->refcount_order = 4;
	h->header_length = QCOW2_V2_HEADER_LEN;
	if (h->version == 3) {
		if (len < QCOW2_V3_HEADER_LEN) {
			error_setg(errp, "qcow2 header is truncated");
			return false;
		}
		h->incompatible_features = qcow2_be64(buf + 72);
		h->compatible_features = qcow2_be64(buf + 80);
		h->autoclear_features = qcow2_be64(buf + 88);
		h->refcount_order = qcow2_be32(buf + 96);
		h->header_length = qcow2_be32(buf + 100);
		if (h->header_length < QCOW2_V3_HEADER_LEN ||
		    h->header_length % 8 || h->header_length > len) {
			error_setg(errp, "invalid qcow2 header length %u",
				   h->header_length);
			return false;
		}
		if (h->header_length > 104) {
			h->compression_type = buf[104];
		}
	}
	if (h->cluster_bits < QCOW2_MIN_CLUSTER_BITS ||
	    h->cluster_bits > QCOW2_MAX_CLUSTER_BITS) {
		error_setg(errp, "unsupported qcow2 cluster size 2^%u",
			   h->cluster_bits);
		return false;
	}
	if (h->refcount_order > 6) {
		error_setg(errp, "invalid qcow2 refcount order %u",
			   h->refcount_order);
		return false;
	}
	return true;
}

/* Name an incompatible feature bit from the image's feature table. */
static void qcow2_feature_names(const uint8_t *table, uint32_t len,
				uint64_t bits, char *out, size_t out_len)
{
	static const char *const known[] = {
		"dirty bit",	    "corrupt bit",	   "external data file",
		"compression type", "extended L2 entries",
	};
	size_t used = 0;

	out[0] = '\0';
	for (unsigned bit = 0; bit < 64; bit++) {
		char name[64];

		if (!(bits & (1ull << bit))) {
			continue;
		}
		if (bit < sizeof(known) / sizeof(known[0])) {
			snprintf(name, sizeof(name), "%s", known[bit]);
		} else {
			snprintf(name, sizeof(name), "unknown bit %u", bit);
		}
		for (uint32_t i = 0; table && i + 48 <= len; i += 48) {
			if (table[i] == 0 && table[i + 1] == bit) {
				snprintf(name, sizeof(name), "%.46s",
					 (const char *)table + i + 2);
			}
		}
		used += snprintf(out + used, out_len - used, "%s%s",
				 used ? ", " : "", name);
		if (used >= out_len) {
			break;
		}
	}
}

static char *qcow2_strndup(const uint8_t *p, size_t len)
{
	char *str = malloc(len + 1);

	if (str) {
		memcpy(str, p, len);
		str[len] = '\0';
	}
	return str;
}

/* Walk the header extensions between the header and ext_end. */
static bool qcow2_read_extensions(struct qcow2 *s, const uint8_t *buf,
				  uint64_t ext_end, struct error **errp)
{
	const uint8_t *features = NULL;
	uint32_t features_len = 0;
	uint64_t off = s->hdr.header_length;
	uint64_t unknown;

	while (off + 8 <= ext_end) {
		uint32_t type = qcow2_be32(buf + off);
		uint32_t len = qcow2_be32(buf + off + 4);

		off += 8;
		if (type == QCOW2_EXT_END) {
			break;
		}
		if (len > ext_end - off) {
			error_setg(errp,
				   "qcow2 header extension 0x%x overruns "
				   "the header cluster",
				   type);
			return false;
		}
		if (type == QCOW2_EXT_BACKING_FORMAT && !s->backing_format) {
			s->backing_format = qcow2_strndup(buf + off, len);
		} else if (type == QCOW2_EXT_FEATURE_TABLE) {
			features = buf + off;
			features_len = len;
		}
		/* Unknown extensions are skipped, as the spec allows. */
		off += (len + 7ull) & ~7ull;
	}
	unknown = s->hdr.incompatible_features & ~QCOW2_INCOMPAT_KNOWN;
	if (unknown) {
		char names[512];

		qcow2_feature_names(features, features_len, unknown, names,
				    sizeof(names));
		error_setg(errp, "unsupported qcow2 feature(s): %s", names);
		return false;
	}
	return true;
}

/* The header cluster, the L1 table and the refcount table are apart. */
static bool qcow2_check_table_overlap(struct qcow2 *s, struct error **errp)
{
	const struct qcow2_header *h = &s->hdr;
	uint64_t l1 = h->l1_table_offset,
		 l1_end = l1 + (uint64_t)h->l1_size * 8;
	uint64_t rt = h->refcount_table_offset;
	uint64_t rt_end =
		rt + (uint64_t)h->refcount_table_clusters * s->cluster_size;

	if (rt < s->cluster_size || (h->l1_size && l1 < s->cluster_size) ||
	    (h->l1_size && l1 < rt_end && rt < l1_end)) {
		error_setg(errp, "qcow2 header, L1 table and refcount table "
				 "overlap");
		return false;
	}
	return true;
}

static bool qcow2_check_header(struct qcow2 *s, uint64_t file_size,
			       struct error **errp)
{
	struct qcow2_header *h = &s->hdr;
	uint64_t l1_needed;

	if (h->crypt_method) {
		error_setg(errp, "encrypted qcow2 images are not supported");
		return false;
	}
	if (h->size > (1ull << 62)) {
		error_setg(errp, "qcow2 virtual size %llu is too large",
			   (unsigned long long)h->size);
		return false;
	}
	l1_needed = qcow2_l1_entries_for(h->cluster_bits, h->size);
	if ((uint64_t)h->l1_size * 8 > QCOW2_MAX_L1_BYTES) {
		error_setg(errp, "qcow2 L1 table is too large (%u entries)",
			   h->l1_size);
		return false;
	}
	if (h->l1_size < l1_needed) {
		error_setg(errp,
			   "qcow2 L1 table (%u entries) is too small "
			   "for the virtual size",
			   h->l1_size);
		return false;
	}
	if (h->l1_size && (h->l1_table_offset % s->cluster_size ||
			   h->l1_table_offset >= file_size)) {
		error_setg(errp, "qcow2 L1 table offset 0x%llx is invalid",
			   (unsigned long long)h->l1_table_offset);
		return false;
	}
	if (!h->refcount_table_clusters ||
	    (uint64_t)h->refcount_table_clusters * s->cluster_size >
		    QCOW2_MAX_REFTABLE_BYTES) {
		error_setg(errp, "qcow2 refcount table size is invalid");
		return false;
	}
	if (h->refcount_table_offset % s->cluster_size ||
	    h->refcount_table_offset >= file_size) {
		error_setg(errp, "qcow2 refcount table offset is invalid");
		return false;
	}
	if (h->backing_file_offset &&
	    (h->backing_file_size > QCOW2_MAX_BACKING_NAME ||
	     h->backing_file_offset > s->cluster_size ||
	     h->backing_file_size > s->cluster_size - h->backing_file_offset)) {
		error_setg(errp, "qcow2 backing file name is invalid");
		return false;
	}
	if (h->nb_snapshots && h->snapshots_offset % s->cluster_size) {
		error_setg(errp, "qcow2 snapshot table offset is invalid");
		return false;
	}
	return qcow2_check_table_overlap(s, errp);
}

bool qcow2_read_header(struct qcow2 *s, struct error **errp)
{
	struct block *bs = &s->common;
	int64_t file_size = block_file_size(&bs->file);
	uint64_t ext_end, len;
	uint8_t *buf;
	ssize_t n;
	bool ok = false;

	if (file_size < 0) {
		error_setg_errno(errp, (int)-file_size, "could not stat '%s'",
				 bs->filename);
		return false;
	}
	/* The header and its extensions live in the first cluster; a
	 * small file needs no 2 MiB buffer. */
	len = MIN((uint64_t)file_size, 1u << QCOW2_MAX_CLUSTER_BITS);
	buf = calloc(1, len ? len : 1);
	if (!buf) {
		error_setg(errp, "out of memory");
		return false;
	}
	n = block_file_pread(&bs->file, 0, buf, len);
	if (n < 0) {
		error_setg_errno(errp, (int)-n, "could not read '%s'",
				 bs->filename);
		goto out;
	}
	if (!qcow2_parse_header(buf, n, &s->hdr, errp)) {
		goto out;
	}
	s->cluster_bits = s->hdr.cluster_bits;
	s->cluster_size = 1ull << s->cluster_bits;
	s->l2_bits = s->cluster_bits - 3;
	if (s->hdr.header_length > s->cluster_size) {
		error_setg(errp, "qcow2 header is longer than a cluster");
		goto out;
	}
	if (!qcow2_check_header(s, file_size, errp)) {
		goto out;
	}
	ext_end = s->cluster_size;
	if (s->hdr.backing_file_offset &&
	    s->hdr.backing_file_offset < ext_end) {
		ext_end = s->hdr.backing_file_offset;
	}
	ext_end = ext_end > (uint64_t)n ? (uint64_t)n : ext_end;
	if (!qcow2_read_extensions(s, buf, ext_end, errp)) {
		goto out;
	}
	if (s->hdr.backing_file_offset) {
		if (s->hdr.backing_file_offset + s->hdr.backing_file_size >
		    (uint64_t)n) {
			error_setg(errp,
				   "qcow2 backing file name is truncated");
			goto out;
		}
		s->backing_file =
			qcow2_strndup(buf + s->hdr.backing_file_offset,
				      s->hdr.backing_file_size);
	}
	ok = true;
out:
	free(buf);
	return ok;
}

static int qcow2_read_table(struct qcow2 *s, uint64_t offset, uint64_t n,
			    uint64_t **out)
{
	uint64_t *table = calloc(n ? n : 1, sizeof(uint64_t));
	ssize_t got;

	if (!table) {
		return -ENOMEM;
	}
	got = block_file_pread(&s->common.file, offset, table, n * 8);
	if (got < 0 || (uint64_t)got != n * 8) {
		free(table);
		return got < 0 ? (int)got : -EIO;
	}
	for (uint64_t i = 0; i < n; i++) {
		table[i] = qcow2_be64(&table[i]);
	}
	*out = table;
	return 0;
}

bool qcow2_load_tables(struct qcow2 *s, struct error **errp)
{
	int ret;

	s->l1_size = s->hdr.l1_size;
	ret = qcow2_read_table(s, s->hdr.l1_table_offset, s->l1_size, &s->l1);
	if (ret) {
		error_setg_errno(errp, -ret,
				 "could not read the qcow2 L1 table");
		return false;
	}
	s->reftable_size =
		(uint64_t)s->hdr.refcount_table_clusters * s->cluster_size / 8;
	ret = qcow2_read_table(s, s->hdr.refcount_table_offset,
			       s->reftable_size, &s->reftable);
	if (ret) {
		error_setg_errno(errp, -ret,
				 "could not read the qcow2 refcount table");
		return false;
	}
	s->refblock_bits = s->cluster_bits + 3 - s->hdr.refcount_order;
	s->refcount_max = s->hdr.refcount_order == 6 ?
				  UINT64_MAX :
				  (1ull << (1u << s->hdr.refcount_order)) - 1;
	return true;
}

int qcow2_write_header_field(struct qcow2 *s, uint64_t offset, const void *data,
			     size_t len)
{
	return block_file_pwrite(&s->common.file, offset, data, len);
}

/* The features QEMU names in new images, so old readers can say why. */
static const struct {
	uint8_t type, bit;
	const char *name;
} qcow2_feature_table[] = {
	{ 0, 0, "dirty bit" },
	{ 0, 1, "corrupt bit" },
	{ 0, 2, "external data file" },
	{ 0, 3, "compression type" },
	{ 0, 4, "extended L2 entries" },
	{ 1, 0, "lazy refcounts" },
	{ 2, 0, "bitmaps" },
	{ 2, 1, "raw external data" },
};

_Static_assert(sizeof(qcow2_feature_table) / sizeof(qcow2_feature_table[0]) *
			       48 ==
		       QCOW2_FEATURE_TABLE_LEN,
	       "the feature table's length");

uint64_t qcow2_put_feature_table(uint8_t *buf, uint64_t off)
{
	uint8_t *ft = buf + off + 8;

	qcow2_put_be32(buf + off, QCOW2_EXT_FEATURE_TABLE);
	qcow2_put_be32(buf + off + 4, QCOW2_FEATURE_TABLE_LEN);
	memset(ft, 0, QCOW2_FEATURE_TABLE_LEN);
	for (size_t i = 0; i < QCOW2_FEATURE_TABLE_LEN / 48; i++) {
		ft[i * 48] = qcow2_feature_table[i].type;
		ft[i * 48 + 1] = qcow2_feature_table[i].bit;
		strncpy((char *)ft + i * 48 + 2, qcow2_feature_table[i].name,
			46);
	}
	return off + 8 + QCOW2_FEATURE_TABLE_LEN;
}

uint64_t qcow2_put_ext(uint8_t *buf, uint64_t off, uint32_t type,
		       const void *data, uint32_t len)
{
	qcow2_put_be32(buf + off, type);
	qcow2_put_be32(buf + off + 4, len);
	memcpy(buf + off + 8, data, len);
	memset(buf + off + 8 + len, 0, ((len + 7ull) & ~7ull) - len);
	return off + 8 + ((len + 7ull) & ~7ull);
}

/* Copy the extensions other than the backing format (and, when the
 * feature table is rewritten or dropped, that) from old to buf. */
static int qcow2_copy_extensions(struct qcow2 *s, const uint8_t *old,
				 uint64_t old_end, uint8_t *buf, uint64_t *off,
				 int features)
{
	uint64_t pos = s->hdr.header_length;

	while (pos + 8 <= old_end) {
		uint32_t type = qcow2_be32(old + pos);
		uint32_t len = qcow2_be32(old + pos + 4);

		pos += 8;
		if (type == QCOW2_EXT_END || len > old_end - pos) {
			break;
		}
		if (type != QCOW2_EXT_BACKING_FORMAT &&
		    (type != QCOW2_EXT_FEATURE_TABLE || !features)) {
			if (*off + 16 + len > s->cluster_size) {
				return -ENOSPC;
			}
			*off = qcow2_put_ext(buf, *off, type, old + pos, len);
		}
		pos += (len + 7ull) & ~7ull;
	}
	return 0;
}

/* Build the new header cluster in buf from the current one in old. */
static int qcow2_build_header_cluster(struct qcow2 *s, const uint8_t *old,
				      uint64_t old_len, uint8_t *buf,
				      const struct qcow2_header_edit *e)
{
	uint64_t old_end = MIN(old_len, s->cluster_size);
	size_t blen = e->name ? strlen(e->name) : 0;
	size_t flen = e->fmt && blen ? strlen(e->fmt) : 0;
	uint64_t off = e->head ? e->head_len : s->hdr.header_length;
	int ret;

	if (s->hdr.backing_file_offset &&
	    s->hdr.backing_file_offset < old_end) {
		old_end = s->hdr.backing_file_offset;
	}
	memcpy(buf, e->head ? e->head : old, off);
	if (flen) {
		if (off + 16 + flen > s->cluster_size) {
			return -ENOSPC;
		}
		off = qcow2_put_ext(buf, off, QCOW2_EXT_BACKING_FORMAT, e->fmt,
				    (uint32_t)flen);
	}
	if (e->features > 0) {
		if (off + 16 + QCOW2_FEATURE_TABLE_LEN > s->cluster_size) {
			return -ENOSPC;
		}
		off = qcow2_put_feature_table(buf, off);
	}
	ret = qcow2_copy_extensions(s, old, old_end, buf, &off, e->features);
	if (ret) {
		return ret;
	}
	off += 8; /* the end marker: zeros */
	if (blen > QCOW2_MAX_BACKING_NAME || off + blen > s->cluster_size) {
		return -ENOSPC;
	}
	qcow2_put_be64(buf + 8, blen ? off : 0);
	qcow2_put_be32(buf + 16, (uint32_t)blen);
	if (blen) {
		memcpy(buf + off, e->name, blen);
	}
	return 0;
}

int qcow2_rewrite_header(struct qcow2 *s, const struct qcow2_header_edit *e)
{
	struct block *bs = &s->common;
	uint8_t *old = calloc(2, s->cluster_size);
	uint8_t *buf = old + s->cluster_size;
	char *new_name = NULL, *new_fmt = NULL;
	ssize_t n;
	int ret = -ENOMEM;

	if (!old) {
		return -ENOMEM;
	}
	if ((e->name && !(new_name = strdup(e->name))) ||
	    (e->name && e->fmt && !(new_fmt = strdup(e->fmt)))) {
		goto out;
	}
	n = block_file_pread(&bs->file, 0, old, s->cluster_size);
	ret = n < 0 ? (int)n : 0;
	if (!ret) {
		ret = qcow2_build_header_cluster(s, old, n, buf, e);
	}
	if (!ret) {
		ret = block_file_pwrite(&bs->file, 0, buf, s->cluster_size);
	}
	if (!ret) {
		ret = block_file_flush(&bs->file);
	}
	if (!ret && !qcow2_parse_header(buf, s->cluster_size, &s->hdr, NULL)) {
		ret = -EIO;
	}
	if (!ret) {
		free(s->backing_file);
		free(s->backing_format);
		s->backing_file = new_name;
		s->backing_format = new_fmt;
		new_name = new_fmt = NULL;
	}
out:
	free(new_name);
	free(new_fmt);
	free(old);
	return ret;
}

int qcow2_change_backing(struct block *bs, const char *name, const char *fmt)
{
	struct qcow2 *s = qcow2_from_block(bs);
	struct qcow2_header_edit e = {
		.name = name && *name ? name : NULL,
		.fmt = fmt,
	};
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = qcow2_rewrite_header(s, &e);
	pthread_mutex_unlock(&s->lock);
	return ret;
}
