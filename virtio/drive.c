/* SPDX-License-Identifier: MIT */
/* -drive (and -blockdev nodes): images opened through the block layer, kept by id. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "hw/core/bql.h"
#include "util/options.h"
#include "virtio/drive.h"
#include "virtio/virtio-blk.h"

static struct drive *drives;
static unsigned drive_anon_count;
static unsigned drive_count;
static unsigned drive_anon_devices;

struct drive *drive_find(const char *id)
{
	for (struct drive *d = drives; d; d = d->next) {
		if (!strcmp(d->id, id)) {
			return d;
		}
	}
	return NULL;
}

struct drive *drive_first(void)
{
	return drives;
}

static bool drive_parse_iface(struct opts *o, bool *is_virtio,
			      struct error **errp)
{
	const char *iface = opts_get(o, "if");
	const char *media = opts_get(o, "media");

	*is_virtio = !iface || !strcmp(iface, "virtio");
	if (iface && strcmp(iface, "virtio") && strcmp(iface, "none")) {
		error_setg(errp,
			   "-drive: interface if=%s is not supported (virtio, "
			   "none)",
			   iface);
		return false;
	}
	if (media && strcmp(media, "disk")) {
		error_setg(errp, "-drive: media=%s is not supported (disk)",
			   media);
		return false;
	}
	return true;
}

static bool drive_snapshot_default;

void drive_set_snapshot(bool on)
{
	drive_snapshot_default = on;
}

/*
 * snapshot=on: the guest writes to a temporary qcow2 overlay whose backing
 * file is the image, opened read-only; the overlay is unlinked at once, so
 * nothing is left behind and the image never changes.
 */
static struct block *drive_open_snapshot(const char *file, const char *format,
					 int flags, struct error **errp)
{
	const char *dir = getenv("TMPDIR");
	struct block_create_opts create = { 0 };
	struct block *orig, *bs = NULL;
	char *real = realpath(file, NULL);
	char path[4096];
	int fd;

	orig = block_open(file, format, 0, errp);
	if (!orig) {
		free(real);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/mimic-snapshot.XXXXXX",
		 dir && *dir ? dir : "/var/tmp");
	fd = mkstemp(path);
	if (fd < 0 || !real) {
		error_setg_errno(errp, errno, "-drive snapshot=on: %s",
				 fd < 0 ? path : file);
		goto out;
	}
	close(fd);
	create.backing_file = real;
	create.backing_format = block_format_name(orig);
	create.size = block_size(orig);
	create.size_given = true;
	if (block_create(path, "qcow2", &create, errp)) {
		bs = block_open(path, "qcow2", flags | BLOCK_RDWR, errp);
	}
	unlink(path);
out:
	block_close(orig);
	free(real);
	return bs;
}

static struct block *drive_open(struct opts *o, bool readonly,
				struct error **errp)
{
	const char *file = opts_get(o, "file");
	const char *format = opts_get(o, "format");
	const char *cache = opts_get(o, "cache");
	struct error *err = NULL;
	struct block *bs;
	int flags = readonly ? 0 : BLOCK_RDWR;
	bool snapshot;

	if (!file || !*file) {
		error_setg(errp, "-drive: file= is required");
		return NULL;
	}
	if (format && !block_format_known(format)) {
		error_setg(errp, "-drive: unknown format '%s' (raw, qcow2)",
			   format);
		return NULL;
	}
	if (cache && !block_parse_cache_mode(cache, &flags, &err)) {
		error_prepend(&err, "-drive");
		error_propagate(errp, err);
		return NULL;
	}
	if (!opts_get_bool(o, "snapshot", drive_snapshot_default, &snapshot,
			   &err)) {
		error_prepend(&err, "-drive");
		error_propagate(errp, err);
		return NULL;
	}
	if (snapshot && !readonly) {
		bs = drive_open_snapshot(file, format, flags, &err);
	} else {
		bs = block_open(file, format, flags, &err);
	}
	if (!bs) {
		error_prepend(&err, "-drive file=%s", file);
		error_propagate(errp, err);
	}
	return bs;
}

static struct drive *drive_new(struct opts *o, struct error **errp)
{
	const char *id = opts_get(o, "id");
	struct drive *d;
	bool readonly;
	char name[32];
	struct error *err = NULL;

	if (!opts_get_bool(o, "readonly", false, &readonly, &err)) {
		error_prepend(&err, "-drive");
		error_propagate(errp, err);
		return NULL;
	}
	if (id && drive_find(id)) {
		error_setg(errp, "-drive: duplicate id '%s'", id);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	snprintf(name, sizeof(name), "#drive%u", drive_anon_count++);
	d->id = strdup(id ? id : name);
	d->readonly = readonly;
	d->bs = drive_open(o, readonly, errp);
	if (!d->bs || !d->id) {
		free(d->id);
		free(d);
		return NULL;
	}
	d->order = drive_count++;
	d->next = drives;
	drives = d;
	return d;
}

bool drive_add(struct machine *m, const char *optstr, struct error **errp)
{
	struct opts *o = opts_parse(optstr, NULL, errp);
	struct drive *d;
	bool is_virtio;
	bool ok = false;

	if (!o) {
		return false;
	}
	if (!drive_parse_iface(o, &is_virtio, errp)) {
		goto out;
	}
	if (!is_virtio && !opts_get(o, "id")) {
		error_setg(errp, "-drive: if=none needs an id=");
		goto out;
	}
	/* Look at every key before the file is opened. */
	opts_get(o, "file");
	opts_get(o, "format");
	opts_get(o, "cache");
	opts_get(o, "id");
	opts_get(o, "readonly");
	opts_get(o, "snapshot");
	if (!opts_check_unused(o, "-drive", errp)) {
		goto out;
	}
	d = drive_new(o, errp);
	if (!d) {
		goto out;
	}
	ok = !is_virtio || virtio_blk_create_mmio(m, d, errp);
	if (ok && is_virtio) {
		/* QEMU makes if=virtio a virtio-blk-pci. */
		d->user.late = true;
		drive_set_qdev(d, NULL, true);
	}
out:
	opts_free(o);
	return ok;
}

/* Open with flags; with auto-read-only, fall back to read-only. */
static struct block *drive_open_flags(struct drive *d, const char *file,
				      const char *format, int flags,
				      bool auto_ro, struct error **errp)
{
	struct error *err = NULL;
	struct block *bs;

	bs = block_open(file, format, flags | (d->readonly ? 0 : BLOCK_RDWR),
			&err);
	if (!bs && auto_ro && !d->readonly) {
		error_free(err);
		err = NULL;
		bs = block_open(file, format, flags, &err);
		d->readonly = bs != NULL;
	}
	if (!bs) {
		error_prepend(&err, "-blockdev node-name=%s", d->id);
		error_propagate(errp, err);
	}
	return bs;
}

bool drive_add_node(const char *name, const char *filename, const char *format,
		    int flags, bool readonly, bool auto_ro, struct error **errp)
{
	struct drive *d = calloc(1, sizeof(*d));

	if (!d || !(d->id = strdup(name)) ||
	    !(d->node_file = strdup(filename))) {
		error_setg(errp, "out of memory");
		goto fail;
	}
	d->is_node = true;
	d->protocol = !format;
	d->readonly = readonly;
	d->node_flags = flags;
	d->node_auto_ro = auto_ro;
	if (format) {
		d->bs = drive_open_flags(d, filename, format, flags, auto_ro,
					 errp);
		if (!d->bs) {
			goto fail;
		}
	}
	d->order = drive_count++;
	d->next = drives;
	drives = d;
	return true;
fail:
	if (d) {
		free(d->node_file);
		free(d->id);
	}
	free(d);
	return false;
}

bool drive_open_node(struct drive *d, struct error **errp)
{
	if (!d->bs) {
		d->bs = drive_open_flags(d, d->node_file, "raw", d->node_flags,
					 d->node_auto_ro, errp);
	}
	return d->bs != NULL;
}

static unsigned drive_late_devices, drive_attached_devices;

void drive_set_qdev(struct drive *d, const char *id, bool pci)
{
	const char *backend = pci ? "/virtio-backend" : "";

	d->user.named = true;
	d->user.attach_order = drive_attached_devices++;
	if (!id && d->user.late) {
		d->user.late_index = drive_late_devices++;
	} else if (id) {
		snprintf(d->user.qdev, sizeof(d->user.qdev),
			 "/machine/peripheral/%s%s", id, backend);
	} else {
		snprintf(d->user.qdev, sizeof(d->user.qdev),
			 "/machine/peripheral-anon/device[%u]%s",
			 drive_anon_devices++, backend);
	}
}

const char *drive_qdev(struct drive *d)
{
	if (d->user.named && d->user.late) {
		snprintf(d->user.qdev, sizeof(d->user.qdev),
			 "/machine/peripheral-anon/device[%u]/virtio-backend",
			 drive_anon_devices + d->user.late_index);
	}
	return d->user.qdev;
}

void drive_account(struct drive *d, enum drive_acct type, uint64_t offset,
		   uint64_t bytes, enum drive_result result, uint64_t start_ns)
{
	struct drive_stats *st = &d->stats;
	uint64_t now = bql_clock_ns();
	uint64_t end = offset + bytes, high;

	if (result == DRIVE_INVALID) {
		__atomic_fetch_add(&st->invalid[type], 1, __ATOMIC_RELAXED);
		return;
	}
	if (result == DRIVE_FAILED) {
		__atomic_fetch_add(&st->failed[type], 1, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&st->ops[type], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&st->bytes[type], bytes, __ATOMIC_RELAXED);
	}
	__atomic_fetch_add(&st->total_ns[type], now - start_ns,
			   __ATOMIC_RELAXED);
	__atomic_store_n(&st->last_ns, now, __ATOMIC_RELAXED);
	if (type != DRIVE_ACCT_WRITE || result != DRIVE_DONE) {
		return;
	}
	high = __atomic_load_n(&st->wr_highest_offset, __ATOMIC_RELAXED);
	while (end > high && !__atomic_compare_exchange_n(
				     &st->wr_highest_offset, &high, end, false,
				     __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
	}
}

bool drive_resize(struct drive *d, uint64_t size, struct error **errp)
{
	if (!d->bs && !drive_open_node(d, errp)) {
		return false;
	}
	if (d->attached && d->user.resize) {
		return d->user.resize(d->user.opaque, size, errp);
	}
	return block_resize(d->bs, size, errp);
}

void drive_close_all(void)
{
	while (drives) {
		struct drive *d = drives;

		drives = d->next;
		if (d->bs) {
			block_close(d->bs);
		}
		free(d->node_file);
		free(d->id);
		free(d);
	}
}
