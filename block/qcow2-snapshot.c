/* SPDX-License-Identifier: MIT */
/* qcow2 internal snapshots: the snapshot table, create, apply, delete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "block/qcow2.h"
#include "util/types.h"

/* Limits of the spec (and QEMU): entries, table bytes, extra data. */
#define QCOW2_MAX_SNAPSHOTS 65536
#define QCOW2_MAX_SNAPSHOT_TABLE (64u << 20)
#define QCOW2_SNAPSHOT_EXTRA 24 /* vm state size, disk size, icount */
#define QCOW2_MAX_SNAPSHOT_EXTRA 1024

struct qcow2_snapshot {
	struct block_snapshot_info info;
	uint64_t l1_offset;
	uint32_t l1_size;
	uint32_t extra_size;
	uint8_t extra[QCOW2_MAX_SNAPSHOT_EXTRA]; /* as read; kept on rewrite */
};

struct qcow2_snapshot_table {
	struct qcow2_snapshot *snaps;
	uint32_t count;
	uint64_t disk_len; /* bytes the table took on disk when read */
};

static void qcow2_snapshot_table_free(struct qcow2_snapshot_table *t)
{
	for (uint32_t i = 0; i < t->count; i++) {
		free((char *)t->snaps[i].info.id);
		free((char *)t->snaps[i].info.name);
	}
	free(t->snaps);
	t->snaps = NULL;
	t->count = 0;
}

/* Parse one entry at buf[*pos] (len bytes in buf). */
static int qcow2_parse_snapshot(const struct qcow2 *s, const uint8_t *buf,
				uint64_t len, uint64_t *pos,
				struct qcow2_snapshot *sn)
{
	const uint8_t *p = buf + *pos;
	uint64_t id_len, name_len, need;

	if (len - *pos < 40) {
		return -EIO;
	}
	sn->l1_offset = qcow2_be64(p);
	sn->l1_size = qcow2_be32(p + 8);
	id_len = (uint64_t)p[12] << 8 | p[13];
	name_len = (uint64_t)p[14] << 8 | p[15];
	sn->info.date_sec = qcow2_be32(p + 16);
	sn->info.date_nsec = qcow2_be32(p + 20);
	sn->info.vm_clock_nsec = qcow2_be64(p + 24);
	sn->info.vm_state_size = qcow2_be32(p + 32);
	sn->extra_size = qcow2_be32(p + 36);
	if (sn->extra_size > QCOW2_MAX_SNAPSHOT_EXTRA ||
	    sn->l1_offset % s->cluster_size ||
	    (uint64_t)sn->l1_size * 8 > QCOW2_MAX_L1_BYTES) {
		return -EIO;
	}
	need = 40 + sn->extra_size + id_len + name_len;
	if (len - *pos < need) {
		return -EIO;
	}
	memcpy(sn->extra, p + 40, sn->extra_size);
	sn->info.disk_size = s->common.size;
	sn->info.icount = UINT64_MAX;
	if (sn->extra_size >= 8) {
		sn->info.vm_state_size = qcow2_be64(p + 40);
	}
	if (sn->extra_size >= 16) {
		sn->info.disk_size = qcow2_be64(p + 48);
	}
	if (sn->extra_size >= 24) {
		sn->info.icount = qcow2_be64(p + 56);
	}
	sn->info.id = strndup((const char *)p + 40 + sn->extra_size, id_len);
	sn->info.name = strndup((const char *)p + 40 + sn->extra_size + id_len,
				name_len);
	*pos += (need + 7) & ~7ull;
	return sn->info.id && sn->info.name ? 0 : -ENOMEM;
}

static int qcow2_read_snapshots(struct qcow2 *s, struct qcow2_snapshot_table *t)
{
	int64_t file_size = block_file_size(&s->common.file);
	uint64_t off = s->hdr.snapshots_offset, len, pos = 0;
	uint8_t *buf;
	int ret = 0;

	t->snaps = NULL;
	t->count = 0;
	t->disk_len = 0;
	if (!s->hdr.nb_snapshots) {
		return 0;
	}
	if (file_size < 0 || s->hdr.nb_snapshots > QCOW2_MAX_SNAPSHOTS ||
	    off >= (uint64_t)file_size) {
		return -EIO;
	}
	len = MIN((uint64_t)file_size - off, QCOW2_MAX_SNAPSHOT_TABLE);
	buf = malloc(len);
	t->snaps = calloc(s->hdr.nb_snapshots, sizeof(*t->snaps));
	if (!buf || !t->snaps) {
		free(buf);
		free(t->snaps);
		t->snaps = NULL;
		return -ENOMEM;
	}
	if (block_file_pread(&s->common.file, off, buf, len) != (ssize_t)len) {
		ret = -EIO;
	}
	while (!ret && t->count < s->hdr.nb_snapshots) {
		ret = qcow2_parse_snapshot(s, buf, len, &pos,
					   &t->snaps[t->count]);
		t->count++;
	}
	free(buf);
	t->disk_len = pos;
	if (ret) {
		qcow2_snapshot_table_free(t);
	}
	return ret;
}

static uint64_t qcow2_snapshot_entry_len(const struct qcow2_snapshot *sn)
{
	return (40 + sn->extra_size + strlen(sn->info.id) +
		strlen(sn->info.name) + 7) &
	       ~7ull;
}

static void qcow2_put_snapshot(uint8_t *p, const struct qcow2_snapshot *sn)
{
	size_t id_len = strlen(sn->info.id), name_len = strlen(sn->info.name);

	qcow2_put_be64(p, sn->l1_offset);
	qcow2_put_be32(p + 8, sn->l1_size);
	p[12] = id_len >> 8;
	p[13] = id_len & 0xff;
	p[14] = name_len >> 8;
	p[15] = name_len & 0xff;
	qcow2_put_be32(p + 16, sn->info.date_sec);
	qcow2_put_be32(p + 20, sn->info.date_nsec);
	qcow2_put_be64(p + 24, sn->info.vm_clock_nsec);
	qcow2_put_be32(p + 32,
		       (uint32_t)MIN(sn->info.vm_state_size, UINT32_MAX));
	qcow2_put_be32(p + 36, sn->extra_size);
	memcpy(p + 40, sn->extra, sn->extra_size);
	memcpy(p + 40 + sn->extra_size, sn->info.id, id_len);
	memcpy(p + 40 + sn->extra_size + id_len, sn->info.name, name_len);
}

/*
 * Write the table to new clusters, name it in the header, then free the
 * old table: a crash leaves the old or the new table, and leaks at worst.
 */
static int qcow2_write_snapshots(struct qcow2 *s,
				 const struct qcow2_snapshot_table *t)
{
	uint64_t len = 0, old_off = s->hdr.snapshots_offset;
	uint8_t *buf, hdr[12];
	int64_t off = 0;
	int ret = 0;

	for (uint32_t i = 0; i < t->count; i++) {
		len += qcow2_snapshot_entry_len(&t->snaps[i]);
	}
	if (len > QCOW2_MAX_SNAPSHOT_TABLE) {
		return -EFBIG;
	}
	buf = calloc(1, qcow2_align_up(s, len) + 1);
	if (!buf) {
		return -ENOMEM;
	}
	for (uint64_t i = 0, pos = 0; i < t->count; i++) {
		qcow2_put_snapshot(buf + pos, &t->snaps[i]);
		pos += qcow2_snapshot_entry_len(&t->snaps[i]);
	}
	if (len) {
		off = qcow2_alloc_clusters(s, qcow2_align_up(s, len) >>
						      s->cluster_bits);
		ret = off < 0 ? (int)off : 0;
	}
	if (!ret && len) {
		ret = block_file_pwrite(&s->common.file, off, buf,
					qcow2_align_up(s, len));
	}
	if (!ret) {
		ret = block_file_flush(&s->common.file);
	}
	if (!ret) {
		qcow2_put_be32(hdr, t->count);
		qcow2_put_be64(hdr + 4, off);
		ret = qcow2_write_header_field(s, 60, hdr, 12);
	}
	if (!ret) {
		s->hdr.nb_snapshots = t->count;
		s->hdr.snapshots_offset = off;
	}
	if (!ret && t->disk_len) {
		ret = qcow2_update_refcount(
			s, old_off >> s->cluster_bits,
			qcow2_align_up(s, t->disk_len) >> s->cluster_bits, -1);
	}
	free(buf);
	return ret;
}

/* The COPIED flag an entry should carry: its cluster's refcount is one. */
static int qcow2_copied_flag(struct qcow2 *s, uint64_t offset, uint64_t e,
			     uint64_t *out)
{
	uint64_t ref;
	int ret = qcow2_get_refcount(s, offset >> s->cluster_bits, &ref);

	*out = ref == 1 ? e | QCOW2_OFLAG_COPIED : e & ~QCOW2_OFLAG_COPIED;
	return ret;
}

/* One L2 table of qcow2_snapshot_walk; *changed when flags were set. */
static int qcow2_walk_l2(struct qcow2 *s, uint8_t *l2, int64_t delta,
			 bool active, bool *changed)
{
	int ret = 0;

	*changed = false;
	for (uint64_t j = 0; !ret && j < qcow2_l2_entries(s); j++) {
		uint64_t e = qcow2_be64(l2 + j * 8), want;
		enum qcow2_cluster_type type = qcow2_entry_type(s, e);

		if (delta) {
			ret = qcow2_entry_refcount(s, e, delta);
		}
		if (ret || !active ||
		    (type != QCOW2_CLUSTER_NORMAL &&
		     type != QCOW2_CLUSTER_ZERO_ALLOC)) {
			continue;
		}
		ret = qcow2_copied_flag(s, e & QCOW2_OFFSET_MASK, e, &want);
		if (!ret && want != e) {
			qcow2_put_be64(l2 + j * 8, want);
			*changed = true;
		}
	}
	return ret;
}

/*
 * Add delta to the refcount of every cluster an L1 table reaches (its L2
 * tables, and their data once per table, as QEMU counts); for the active
 * table, then make the COPIED flags say which clusters are not shared.
 */
static int qcow2_snapshot_walk(struct qcow2 *s, const uint64_t *l1,
			       uint32_t l1_size, int64_t delta, bool active)
{
	uint8_t *l2 = malloc(s->cluster_size);
	int ret = l2 ? 0 : -ENOMEM;

	for (uint32_t i = 0; !ret && i < l1_size; i++) {
		uint64_t off = l1[i] & QCOW2_L1_OFFSET_MASK, want;
		bool changed;

		if (!off) {
			continue;
		}
		if (off % s->cluster_size ||
		    block_file_pread(&s->common.file, off, l2,
				     s->cluster_size) !=
			    (ssize_t)s->cluster_size) {
			ret = -EIO;
			break;
		}
		ret = qcow2_walk_l2(s, l2, delta, active, &changed);
		if (!ret && changed) {
			qcow2_cache_drop(&s->l2_cache, off);
			ret = block_file_pwrite(&s->common.file, off, l2,
						s->cluster_size);
		}
		if (!ret && delta) {
			ret = qcow2_update_refcount(s, off >> s->cluster_bits,
						    1, delta);
		}
		if (!ret && active) {
			ret = qcow2_copied_flag(s, off, l1[i], &want);
		}
		if (!ret && active && want != l1[i]) {
			ret = qcow2_set_l1_entry(s, i, want);
		}
	}
	free(l2);
	return ret;
}

/* A snapshot's L1 table, in host order (n entries, at least one). */
static int qcow2_read_snapshot_l1(struct qcow2 *s,
				  const struct qcow2_snapshot *sn, uint32_t n,
				  uint64_t **out)
{
	uint64_t *l1 = calloc(MAX(n, 1), 8);
	uint64_t len = (uint64_t)sn->l1_size * 8;

	if (!l1) {
		return -ENOMEM;
	}
	if (len && block_file_pread(&s->common.file, sn->l1_offset, l1, len) !=
			   (ssize_t)len) {
		free(l1);
		return -EIO;
	}
	for (uint32_t i = 0; i < sn->l1_size; i++) {
		l1[i] = qcow2_be64(&l1[i]);
	}
	*out = l1;
	return 0;
}

/* By ID first, then by name, as QEMU looks snapshots up. */
static struct qcow2_snapshot *
qcow2_find_snapshot(const struct qcow2_snapshot_table *t, const char *name)
{
	for (uint32_t i = 0; i < t->count; i++) {
		if (!strcmp(t->snaps[i].info.id, name)) {
			return &t->snaps[i];
		}
	}
	for (uint32_t i = 0; i < t->count; i++) {
		if (!strcmp(t->snaps[i].info.name, name)) {
			return &t->snaps[i];
		}
	}
	return NULL;
}

/* The next ID: one more than the largest number in use. */
static char *qcow2_new_snapshot_id(const struct qcow2_snapshot_table *t)
{
	unsigned long max = 0;
	char *id;

	for (uint32_t i = 0; i < t->count; i++) {
		unsigned long v = strtoul(t->snaps[i].info.id, NULL, 10);

		max = MAX(max, v);
	}
	return asprintf(&id, "%lu", max + 1) < 0 ? NULL : id;
}

static int qcow2_fill_new_snapshot(struct qcow2 *s,
				   const struct qcow2_snapshot_table *t,
				   const char *name, struct qcow2_snapshot *sn)
{
	struct timespec now;

	memset(sn, 0, sizeof(*sn));
	clock_gettime(CLOCK_REALTIME, &now);
	sn->info.id = qcow2_new_snapshot_id(t);
	sn->info.name = strdup(name);
	sn->info.date_sec = (uint32_t)now.tv_sec;
	/* QEMU keeps microseconds. */
	sn->info.date_nsec = (uint32_t)(now.tv_nsec / 1000 * 1000);
	sn->info.disk_size = s->common.size;
	sn->info.icount = 0;
	sn->l1_size = s->l1_size;
	sn->extra_size = QCOW2_SNAPSHOT_EXTRA;
	qcow2_put_be64(sn->extra + 8, s->common.size);
	if (!sn->info.id || !sn->info.name) {
		free((char *)sn->info.id);
		free((char *)sn->info.name);
		return -ENOMEM;
	}
	return 0;
}

/* A copy of the active L1 table in new clusters. */
static int qcow2_copy_active_l1(struct qcow2 *s, uint64_t *offset)
{
	uint64_t bytes = (uint64_t)s->l1_size * 8;
	uint8_t *buf = calloc(1, qcow2_align_up(s, MAX(bytes, 1)));
	int64_t off;
	int ret;

	if (!buf) {
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < s->l1_size; i++) {
		qcow2_put_be64(buf + i * 8, s->l1[i] & ~QCOW2_OFLAG_COPIED);
	}
	off = qcow2_alloc_clusters(s, qcow2_align_up(s, MAX(bytes, 1)) >>
					      s->cluster_bits);
	ret = off < 0 ? (int)off : 0;
	if (!ret) {
		ret = block_file_pwrite(&s->common.file, off, buf,
					qcow2_align_up(s, MAX(bytes, 1)));
	}
	free(buf);
	*offset = off;
	return ret;
}

static int qcow2_snapshot_create(struct qcow2 *s,
				 struct qcow2_snapshot_table *t,
				 const char *name)
{
	struct qcow2_snapshot *grown;
	int ret;

	if (strlen(name) > 0xffff) {
		return -EINVAL;
	}
	grown = realloc(t->snaps, (t->count + 1) * sizeof(*t->snaps));
	if (!grown) {
		return -ENOMEM;
	}
	t->snaps = grown;
	ret = qcow2_fill_new_snapshot(s, t, name, &t->snaps[t->count]);
	if (ret) {
		return ret;
	}
	t->count++;
	ret = qcow2_copy_active_l1(s, &t->snaps[t->count - 1].l1_offset);
	if (!ret) {
		ret = qcow2_snapshot_walk(s, s->l1, s->l1_size, 1, true);
	}
	if (!ret) {
		ret = qcow2_write_snapshots(s, t);
	}
	return ret;
}

/* The active L1 table becomes a copy of l1 (n entries, n <= l1_size). */
static int qcow2_replace_active_l1(struct qcow2 *s, const uint64_t *l1,
				   uint32_t n)
{
	uint8_t *buf = calloc(MAX(s->l1_size, 1), 8);
	int ret;

	if (!buf) {
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		qcow2_put_be64(buf + i * 8, l1[i]);
	}
	ret = block_file_pwrite(&s->common.file, s->hdr.l1_table_offset, buf,
				(uint64_t)s->l1_size * 8);
	if (!ret) {
		memset(s->l1, 0, (uint64_t)s->l1_size * 8);
		memcpy(s->l1, l1, (uint64_t)n * 8);
	}
	free(buf);
	return ret;
}

static int qcow2_set_size(struct qcow2 *s, uint64_t size)
{
	uint8_t be[8];
	int ret;

	if (size == s->common.size) {
		return 0;
	}
	qcow2_put_be64(be, size);
	ret = qcow2_write_header_field(s, QCOW2_OFF_SIZE, be, 8);
	if (!ret) {
		s->hdr.size = size;
		s->common.size = size;
	}
	return ret;
}

static int qcow2_snapshot_apply(struct qcow2 *s,
				const struct qcow2_snapshot *sn)
{
	uint64_t *sn_l1, *old_l1;
	int ret;

	if (qcow2_l1_entries_for(s->cluster_bits, sn->info.disk_size) >
	    MAX(sn->l1_size, s->l1_size)) {
		return -EIO;
	}
	if (sn->l1_size > s->l1_size) {
		ret = qcow2_grow_l1(s, sn->l1_size);
		if (ret) {
			return ret;
		}
	}
	ret = qcow2_read_snapshot_l1(s, sn, sn->l1_size, &sn_l1);
	if (ret) {
		return ret;
	}
	old_l1 = malloc(MAX(s->l1_size, 1) * 8ull);
	ret = old_l1 ? 0 : -ENOMEM;
	if (!ret) {
		memcpy(old_l1, s->l1, (uint64_t)s->l1_size * 8);
		ret = qcow2_snapshot_walk(s, sn_l1, sn->l1_size, 1, false);
	}
	if (!ret) {
		ret = qcow2_replace_active_l1(s, sn_l1, sn->l1_size);
	}
	if (!ret) {
		ret = qcow2_snapshot_walk(s, old_l1, s->l1_size, -1, false);
	}
	if (!ret) {
		ret = qcow2_snapshot_walk(s, s->l1, s->l1_size, 0, true);
	}
	if (!ret) {
		ret = qcow2_set_size(s, sn->info.disk_size);
	}
	free(old_l1);
	free(sn_l1);
	return ret;
}

static int qcow2_snapshot_delete(struct qcow2 *s,
				 struct qcow2_snapshot_table *t,
				 struct qcow2_snapshot *sn)
{
	struct qcow2_snapshot gone = *sn;
	uint64_t *l1;
	int ret;

	ret = qcow2_read_snapshot_l1(s, sn, sn->l1_size, &l1);
	if (ret) {
		return ret;
	}
	memmove(sn, sn + 1, (t->snaps + t->count - sn - 1) * sizeof(*sn));
	t->count--;
	ret = qcow2_write_snapshots(s, t);
	if (!ret) {
		ret = qcow2_snapshot_walk(s, l1, gone.l1_size, -1, false);
	}
	if (!ret && gone.l1_size) {
		ret = qcow2_update_refcount(
			s, gone.l1_offset >> s->cluster_bits,
			qcow2_align_up(s, gone.l1_size * 8ull) >>
				s->cluster_bits,
			-1);
	}
	if (!ret) {
		ret = qcow2_snapshot_walk(s, s->l1, s->l1_size, 0, true);
	}
	free((char *)gone.info.id);
	free((char *)gone.info.name);
	free(l1);
	return ret;
}

int qcow2_snapshot(struct block *bs, enum block_snapshot_op op,
		   const char *name)
{
	struct qcow2 *s = qcow2_from_block(bs);
	struct qcow2_snapshot_table t;
	struct qcow2_snapshot *sn = NULL;
	int ret;

	pthread_mutex_lock(&s->lock);
	qcow2_wait_io_locked(s);
	ret = qcow2_read_snapshots(s, &t);
	if (!ret && op != BLOCK_SNAPSHOT_CREATE) {
		sn = qcow2_find_snapshot(&t, name);
		ret = sn ? 0 : -ENOENT;
	}
	if (!ret && op == BLOCK_SNAPSHOT_CREATE) {
		ret = qcow2_snapshot_create(s, &t, name);
	} else if (!ret && op == BLOCK_SNAPSHOT_APPLY) {
		ret = qcow2_snapshot_apply(s, sn);
	} else if (!ret && op == BLOCK_SNAPSHOT_DELETE) {
		ret = qcow2_snapshot_delete(s, &t, sn);
	}
	if (!ret) {
		ret = block_file_flush(&bs->file);
	}
	/* Tables changed under the cache: read them afresh. */
	qcow2_cache_free(&s->l2_cache);
	qcow2_cache_init(&s->l2_cache);
	qcow2_snapshot_table_free(&t);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int qcow2_snapshot_upgrade(struct qcow2 *s)
{
	struct qcow2_snapshot_table t;
	bool short_extra = false;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = qcow2_read_snapshots(s, &t);
	if (ret) {
		pthread_mutex_unlock(&s->lock);
		return ret;
	}
	for (uint32_t i = 0; i < t.count; i++) {
		struct qcow2_snapshot *sn = &t.snaps[i];

		if (sn->extra_size < 8) {
			qcow2_put_be64(sn->extra, sn->info.vm_state_size);
		}
		if (sn->extra_size < 16) {
			qcow2_put_be64(sn->extra + 8, sn->info.disk_size);
			sn->extra_size = 16;
			short_extra = true;
		}
	}
	if (short_extra) {
		ret = qcow2_write_snapshots(s, &t);
	}
	qcow2_snapshot_table_free(&t);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int qcow2_snapshot_list(struct block *bs, struct block_snapshot_info **list)
{
	struct qcow2 *s = qcow2_from_block(bs);
	struct qcow2_snapshot_table t;
	struct block_snapshot_info *out;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = qcow2_read_snapshots(s, &t);
	pthread_mutex_unlock(&s->lock);
	if (ret) {
		return ret;
	}
	out = calloc(MAX(t.count, 1), sizeof(*out));
	if (!out) {
		qcow2_snapshot_table_free(&t);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < t.count; i++) {
		/* The strings move to the caller. */
		out[i] = t.snaps[i].info;
		t.snaps[i].info.id = NULL;
		t.snaps[i].info.name = NULL;
	}
	ret = (int)t.count;
	qcow2_snapshot_table_free(&t);
	*list = out;
	return ret;
}
