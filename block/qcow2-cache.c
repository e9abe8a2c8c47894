/* SPDX-License-Identifier: MIT */
/* qcow2 table cache: recently used L2 tables and refcount blocks in memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/qcow2.h"

/*
 * The cache is write-through: callers update the cached copy and write the
 * changed entries to the file at once, so nothing is ever dirty here and
 * eviction is free. Called with the qcow2 lock held.
 */
void qcow2_cache_init(struct qcow2_cache *c)
{
	memset(c, 0, sizeof(*c));
}

void qcow2_cache_free(struct qcow2_cache *c)
{
	for (int i = 0; i < QCOW2_CACHE_SIZE; i++) {
		free(c->entries[i].data);
		c->entries[i].data = NULL;
		c->entries[i].offset = 0;
	}
}

static struct qcow2_cache_entry *qcow2_cache_victim(struct qcow2 *s,
						    struct qcow2_cache *c)
{
	struct qcow2_cache_entry *victim = &c->entries[0];

	for (int i = 0; i < QCOW2_CACHE_SIZE; i++) {
		struct qcow2_cache_entry *e = &c->entries[i];

		if (!e->offset) {
			victim = e;
			break;
		}
		if (e->last_use < victim->last_use) {
			victim = e;
		}
	}
	if (!victim->data) {
		victim->data = malloc(s->cluster_size);
	}
	victim->offset = 0;
	return victim->data ? victim : NULL;
}

uint8_t *qcow2_cache_get(struct qcow2 *s, struct qcow2_cache *c,
			 uint64_t offset, int *err)
{
	struct qcow2_cache_entry *e;
	ssize_t n;

	for (int i = 0; i < QCOW2_CACHE_SIZE; i++) {
		if (c->entries[i].offset == offset && offset) {
			c->entries[i].last_use = ++c->clock;
			return c->entries[i].data;
		}
	}
	e = qcow2_cache_victim(s, c);
	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	n = block_file_pread(&s->common.file, offset, e->data, s->cluster_size);
	if (n < 0 || (uint64_t)n != s->cluster_size) {
		/* A table past the end of the file: corrupt metadata. */
		*err = n < 0 ? (int)n : -EIO;
		return NULL;
	}
	e->offset = offset;
	e->last_use = ++c->clock;
	return e->data;
}

void qcow2_cache_put_new(struct qcow2 *s, struct qcow2_cache *c,
			 uint64_t offset, const uint8_t *data)
{
	struct qcow2_cache_entry *e;

	qcow2_cache_drop(c, offset);
	e = qcow2_cache_victim(s, c);
	if (!e) {
		return;
	}
	memcpy(e->data, data, s->cluster_size);
	e->offset = offset;
	e->last_use = ++c->clock;
}

void qcow2_cache_drop(struct qcow2_cache *c, uint64_t offset)
{
	for (int i = 0; i < QCOW2_CACHE_SIZE; i++) {
		if (c->entries[i].offset == offset) {
			c->entries[i].offset = 0;
		}
	}
}
