/* SPDX-License-Identifier: MIT */
/* QMP commands about block devices and nodes: query-block,
 * query-named-block-nodes, query-blockstats, block_resize, and the tray
 * commands (eject, blockdev-*-tray, blockdev-*-medium). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block.h"
#include "block/image-info.h"
#include "hw/core/bql.h"
#include "virtio/drive.h"
#include "monitor/monitor-internal.h"

/*
 * QEMU's graph, as mimic's drives stand for it: a -drive is a format node
 * over an implicit "file" node, both auto-named; a -blockdev format node
 * stands on its named protocol node or on an implicit one (file.*); a
 * -blockdev protocol node is a "file" node of its own.
 */
struct qmp_node {
	struct drive *d;
	struct block *bs; /* a protocol node: its format node's image */
	bool file_level; /* the protocol node, not the format node */
	char name[48];
};

#define QMP_MAX_NODES 128

/* QEMU names implicit nodes "#block" + a counter + two random digits. */
static void qmp_auto_name(char *buf, size_t len, unsigned *counter)
{
	unsigned n = (*counter)++;

	snprintf(buf, len, "#block%u%02u", n, (n * 37 + 11) % 100);
}

/* QEMU opens -blockdev nodes before -drive ones. */
static int qmp_drive_cmp(const void *a, const void *b)
{
	const struct drive *x = *(struct drive *const *)a;
	const struct drive *y = *(struct drive *const *)b;

	if (x->is_node != y->is_node) {
		return x->is_node ? -1 : 1;
	}
	return x->order < y->order ? -1 : x->order > y->order;
}

/* BlockBackends: -drive ones first, then those devices made for nodes. */
static int qmp_backend_cmp(const void *a, const void *b)
{
	const struct drive *x = (*(struct qmp_node *const *)a)->d;
	const struct drive *y = (*(struct qmp_node *const *)b)->d;

	if (x->is_node != y->is_node) {
		return x->is_node ? 1 : -1;
	}
	if (!x->is_node) {
		return x->order < y->order ? -1 : x->order > y->order;
	}
	return x->user.attach_order < y->user.attach_order ?
		       -1 :
		       x->user.attach_order > y->user.attach_order;
}

/* Every node in creation order (a format node after its implicit file
 * node, whose auto name comes first); returns the count. */
static size_t qmp_nodes(struct qmp_node *nodes, size_t max)
{
	struct drive *drives[QMP_MAX_NODES];
	size_t nd = 0, n = 0;
	unsigned counter = 0;

	for (struct drive *d = drive_first(); d && nd < QMP_MAX_NODES;
	     d = d->next) {
		drives[nd++] = d;
	}
	qsort(drives, nd, sizeof(drives[0]), qmp_drive_cmp);
	for (size_t i = 0; i < nd && n + 2 <= max; i++) {
		struct drive *d = drives[i];
		struct qmp_node *fmt;

		if (!d->protocol && !d->below) {
			nodes[n].d = d;
			nodes[n].bs = d->bs;
			nodes[n].file_level = true;
			qmp_auto_name(nodes[n].name, sizeof(nodes[n].name),
				      &counter);
			n++;
		}
		fmt = &nodes[n++];
		fmt->d = d;
		fmt->bs = d->bs;
		fmt->file_level = d->protocol;
		if (d->is_node) {
			snprintf(fmt->name, sizeof(fmt->name), "%s", d->id);
		} else {
			qmp_auto_name(fmt->name, sizeof(fmt->name), &counter);
		}
	}
	/* A protocol node under a format node: the format node opened it. */
	for (size_t i = 0; i < nd; i++) {
		for (size_t j = 0; j < n && drives[i]->below; j++) {
			if (nodes[j].d == drives[i]->below && !nodes[j].bs) {
				nodes[j].bs = drives[i]->bs;
			}
		}
	}
	return n;
}

/* The node standing for d's format (top) level. */
static const struct qmp_node *qmp_top_node(const struct qmp_node *nodes,
					   size_t n, const struct drive *d)
{
	for (size_t i = 0; i < n; i++) {
		if (nodes[i].d == d && nodes[i].file_level == d->protocol) {
			return &nodes[i];
		}
	}
	return NULL;
}

/* The top nodes of the backends in QEMU's order; returns the count. */
static size_t qmp_backends(const struct qmp_node *nodes, size_t n,
			   const struct qmp_node **out)
{
	size_t nb = 0;

	for (size_t i = 0; i < n; i++) {
		struct drive *d = nodes[i].d;

		if (d->bs && (!d->is_node || d->user.named) &&
		    qmp_top_node(nodes, n, d) == &nodes[i]) {
			out[nb++] = &nodes[i];
		}
	}
	qsort(out, nb, sizeof(out[0]), qmp_backend_cmp);
	return nb;
}

/* The file node under a top node (NULL for a protocol node). */
static const struct qmp_node *qmp_file_node(const struct qmp_node *nodes,
					    size_t n,
					    const struct qmp_node *top)
{
	const struct drive *d = top->d;

	if (top->file_level) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (nodes[i].file_level &&
		    (nodes[i].d == d || (d->below && nodes[i].d == d->below))) {
			return &nodes[i];
		}
	}
	return NULL;
}

static void qmp_add_int(json_object *obj, const char *key, int64_t val)
{
	json_object_object_add(obj, key, json_object_new_int64(val));
}

static void qmp_add_bool(json_object *obj, const char *key, bool val)
{
	json_object_object_add(obj, key, json_object_new_boolean(val));
}

static void qmp_add_str(json_object *obj, const char *key, const char *val)
{
	json_object_object_add(obj, key, json_object_new_string(val));
}

/* ImageInfo of bs with its backing chain nested (flat: without). */
static json_object *qmp_image_info(struct block *bs, bool flat)
{
	struct block_info info;
	json_object *image;

	block_get_info(bs, &info);
	image = block_image_info_json(bs, &info);
	if (!flat && block_backing(bs)) {
		json_object_object_add(image, "backing-image",
				       qmp_image_info(block_backing(bs), flat));
	}
	return image;
}

static json_object *qmp_file_image(struct block *bs)
{
	json_object *image = json_object_new_object();

	/* QEMU counts a file in whole 512-byte sectors. */
	qmp_add_int(image, "virtual-size",
		    (block_host_length(bs) + 511) / 512 * 512);
	qmp_add_str(image, "filename", block_filename(bs));
	qmp_add_str(image, "format", "file");
	qmp_add_int(image, "actual-size", block_actual_size(bs));
	qmp_add_bool(image, "dirty-flag", false);
	return image;
}

/* BlockDeviceInfo: one node as query-block's "inserted" shows it. */
static json_object *qmp_node_info(const struct qmp_node *node, bool flat)
{
	struct block *bs = node->bs;
	json_object *info = json_object_new_object();
	json_object *cache = json_object_new_object();
	int flags = block_flags(bs);
	unsigned depth = 0;
	struct block_info bi;

	qmp_add_str(info, "file", block_filename(bs));
	qmp_add_str(info, "node-name", node->name);
	qmp_add_bool(info, "ro", node->d->readonly);
	qmp_add_str(info, "drv",
		    node->file_level ? "file" : block_format_name(bs));
	if (!node->file_level) {
		block_get_info(bs, &bi);
		if (bi.backing_file) {
			qmp_add_str(info, "backing_file", bi.backing_file);
		}
		for (struct block *b = block_backing(bs); b;
		     b = block_backing(b)) {
			depth++;
		}
	}
	qmp_add_int(info, "backing_file_depth", depth);
	qmp_add_bool(info, "encrypted", false);
	qmp_add_str(info, "detect_zeroes", "off");
	qmp_add_int(info, "bps", 0);
	qmp_add_int(info, "bps_rd", 0);
	qmp_add_int(info, "bps_wr", 0);
	qmp_add_int(info, "iops", 0);
	qmp_add_int(info, "iops_rd", 0);
	qmp_add_int(info, "iops_wr", 0);
	json_object_object_add(info, "image",
			       node->file_level ? qmp_file_image(bs) :
						  qmp_image_info(bs, flat));
	qmp_add_int(info, "write_threshold", 0);
	qmp_add_bool(cache, "writeback", !(flags & BLOCK_WRITETHROUGH));
	qmp_add_bool(cache, "direct", flags & BLOCK_NOCACHE);
	qmp_add_bool(cache, "no-flush", flags & BLOCK_NO_FLUSH);
	json_object_object_add(info, "cache", cache);
	return info;
}

json_object *qmp_query_block(struct qmp_request *req, struct error **errp)
{
	struct qmp_node nodes[QMP_MAX_NODES];
	const struct qmp_node *backends[QMP_MAX_NODES];
	size_t n = qmp_nodes(nodes, QMP_MAX_NODES);
	size_t nb = qmp_backends(nodes, n, backends);
	json_object *list = json_object_new_array();

	for (size_t i = 0; i < nb; i++) {
		struct drive *d = backends[i]->d;
		json_object *b = json_object_new_object();

		qmp_add_str(b, "device", d->is_node ? "" : d->id);
		if (d->user.named) {
			qmp_add_str(b, "qdev", drive_qdev(d));
			qmp_add_str(b, "io-status", "ok");
		}
		qmp_add_str(b, "type", "unknown");
		qmp_add_bool(b, "removable", false);
		qmp_add_bool(b, "locked", false);
		json_object_object_add(b, "inserted",
				       qmp_node_info(backends[i], false));
		json_object_array_add(list, b);
	}
	return list;
}

json_object *qmp_query_named_block_nodes(struct qmp_request *req,
					 struct error **errp)
{
	struct qmp_node nodes[QMP_MAX_NODES];
	size_t n = qmp_nodes(nodes, QMP_MAX_NODES);
	json_object *list = json_object_new_array();
	json_object *flat;
	bool is_flat = json_object_object_get_ex(req->args, "flat", &flat) &&
		       json_object_get_boolean(flat);

	/* Newest first, as QEMU's list comes out. */
	for (size_t i = n; i-- > 0;) {
		/* A protocol node nothing uses yet is not open. */
		if (nodes[i].bs) {
			json_object_array_add(
				list, qmp_node_info(&nodes[i], is_flat));
		}
	}
	return list;
}

static uint64_t qmp_stat(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/* BlockDeviceStats; st NULL: a node's own (QEMU counts at the backend). */
static json_object *qmp_device_stats(const struct drive_stats *st,
				     uint64_t wr_highest_offset)
{
	static const char *const kind[DRIVE_ACCT_MAX] = { "rd", "wr", "flush",
							  "unmap" };
	json_object *s = json_object_new_object();
	char key[40];

	for (unsigned k = 0; k < DRIVE_ACCT_MAX; k++) {
		if (k != DRIVE_ACCT_FLUSH) {
			snprintf(key, sizeof(key), "%s_bytes", kind[k]);
			qmp_add_int(s, key, st ? qmp_stat(&st->bytes[k]) : 0);
			snprintf(key, sizeof(key), "%s_merged", kind[k]);
			qmp_add_int(s, key, 0);
		}
		snprintf(key, sizeof(key), "%s_operations", kind[k]);
		qmp_add_int(s, key, st ? qmp_stat(&st->ops[k]) : 0);
		snprintf(key, sizeof(key), "failed_%s_operations", kind[k]);
		qmp_add_int(s, key, st ? qmp_stat(&st->failed[k]) : 0);
		snprintf(key, sizeof(key), "invalid_%s_operations", kind[k]);
		qmp_add_int(s, key, st ? qmp_stat(&st->invalid[k]) : 0);
		snprintf(key, sizeof(key), "%s_total_time_ns", kind[k]);
		qmp_add_int(s, key, st ? qmp_stat(&st->total_ns[k]) : 0);
	}
	qmp_add_int(s, "wr_highest_offset", wr_highest_offset);
	if (st && qmp_stat(&st->last_ns)) {
		qmp_add_int(s, "idle_time_ns",
			    bql_clock_ns() - qmp_stat(&st->last_ns));
	}
	qmp_add_bool(s, "account_invalid", st != NULL);
	qmp_add_bool(s, "account_failed", st != NULL);
	json_object_object_add(s, "timed_stats", json_object_new_array());
	return s;
}

/* BlockStats of a node (and of the file node below a format node). */
static json_object *qmp_node_stats(const struct qmp_node *nodes, size_t n,
				   const struct qmp_node *node)
{
	json_object *s = json_object_new_object();
	const struct qmp_node *file = qmp_file_node(nodes, n, node);
	const struct drive_stats *st = &node->d->stats;
	bool raw = !strcmp(block_format_name(node->bs), "raw");
	json_object *spec;

	qmp_add_str(s, "node-name", node->name);
	/* Guest offsets are the file's for raw; qcow2's are not tracked. */
	json_object_object_add(
		s, "stats",
		qmp_device_stats(NULL,
				 node->file_level && !raw ?
					 0 :
					 qmp_stat(&st->wr_highest_offset)));
	if (node->file_level) {
		spec = json_object_new_object();
		qmp_add_str(spec, "driver", "file");
		qmp_add_int(spec, "discard-nb-ok",
			    raw ? qmp_stat(&st->ops[DRIVE_ACCT_UNMAP]) : 0);
		qmp_add_int(spec, "discard-nb-failed",
			    raw ? qmp_stat(&st->failed[DRIVE_ACCT_UNMAP]) : 0);
		qmp_add_int(spec, "discard-bytes-ok",
			    raw ? qmp_stat(&st->bytes[DRIVE_ACCT_UNMAP]) : 0);
		json_object_object_add(s, "driver-specific", spec);
	}
	if (file) {
		json_object_object_add(s, "parent",
				       qmp_node_stats(nodes, n, file));
	}
	return s;
}

json_object *qmp_query_blockstats(struct qmp_request *req, struct error **errp)
{
	struct qmp_node nodes[QMP_MAX_NODES];
	const struct qmp_node *backends[QMP_MAX_NODES];
	size_t n = qmp_nodes(nodes, QMP_MAX_NODES);
	size_t nb = qmp_backends(nodes, n, backends);
	json_object *list = json_object_new_array();
	json_object *val;

	if (json_object_object_get_ex(req->args, "query-nodes", &val) &&
	    json_object_get_boolean(val)) {
		for (size_t i = 0; i < n; i++) {
			if (nodes[i].bs) {
				json_object_array_add(
					list,
					qmp_node_stats(nodes, n, &nodes[i]));
			}
		}
		return list;
	}
	for (size_t i = 0; i < nb; i++) {
		struct drive *d = backends[i]->d;
		json_object *s = qmp_node_stats(nodes, n, backends[i]);

		json_object_object_add(
			s, "stats",
			qmp_device_stats(
				&d->stats,
				qmp_stat(&d->stats.wr_highest_offset)));
		qmp_add_str(s, "device", d->is_node ? "" : d->id);
		if (d->user.named) {
			qmp_add_str(s, "qdev", drive_qdev(d));
		}
		json_object_array_add(list, s);
	}
	return list;
}

/* The backend named device, or the node named node_name. */
static const struct qmp_node *qmp_find_node(const struct qmp_node *nodes,
					    size_t n, const char *device,
					    const char *node_name)
{
	for (size_t i = 0; i < n; i++) {
		const struct drive *d = nodes[i].d;

		if (device && !d->is_node && !strcmp(d->id, device) &&
		    qmp_top_node(nodes, n, d) == &nodes[i]) {
			return &nodes[i];
		}
		if (node_name && !strcmp(nodes[i].name, node_name)) {
			return &nodes[i];
		}
	}
	return NULL;
}

/* The format node standing on a file node, or NULL. */
static const struct qmp_node *qmp_format_above(const struct qmp_node *nodes,
					       size_t n,
					       const struct qmp_node *node)
{
	if (!node->file_level) {
		return NULL;
	}
	if (!node->d->protocol) {
		return qmp_top_node(nodes, n, node->d);
	}
	for (size_t i = 0; i < n; i++) {
		if (nodes[i].d->below == node->d && !nodes[i].file_level) {
			return &nodes[i];
		}
	}
	return NULL;
}

static const char *qmp_arg_str(struct qmp_request *req, const char *key)
{
	json_object *val;

	if (!json_object_object_get_ex(req->args, key, &val)) {
		return NULL;
	}
	return json_object_get_string(val);
}

json_object *qmp_block_resize(struct qmp_request *req, struct error **errp)
{
	struct qmp_node nodes[QMP_MAX_NODES];
	size_t n = qmp_nodes(nodes, QMP_MAX_NODES);
	const char *device = qmp_arg_str(req, "device");
	const char *node_name = qmp_arg_str(req, "node-name");
	int64_t size = json_object_get_int64(
		json_object_object_get(req->args, "size"));
	const struct qmp_node *node, *above;

	node = qmp_find_node(nodes, n, device, node_name);
	if (!node || !node->bs) {
		error_setg(errp, "Cannot find device='%s' nor node-name='%s'",
			   device ? device : "", node_name ? node_name : "");
		return NULL;
	}
	if (size < 0) {
		error_setg(errp, "Parameter 'size' expects a >0 size");
		return NULL;
	}
	if (node->d->readonly) {
		error_setg(errp, "Block node is read-only");
		return NULL;
	}
	above = qmp_format_above(nodes, n, node);
	if (above) {
		/* A format node keeps its file's size to itself, as in QEMU. */
		error_setg(errp,
			   "Permission conflict on node '%s': permissions "
			   "'resize' are both required by an unnamed block "
			   "device (uses node '%s' as 'root' child) and "
			   "unshared by node '%s' (uses node '%s' as 'file' "
			   "child).",
			   node->name, node->name, above->name, node->name);
		return NULL;
	}
	return drive_resize(node->d, size, errp) ? json_object_new_object() :
						   NULL;
}

/*
 * The backend a tray command names (device= a -drive, id= a -device);
 * false with QEMU's error. Nothing mimic has is removable, so a found
 * backend is an error too, given by the caller.
 */
static bool qmp_tray_backend(struct qmp_request *req, struct error **errp)
{
	struct qmp_node nodes[QMP_MAX_NODES];
	const struct qmp_node *backends[QMP_MAX_NODES];
	size_t n = qmp_nodes(nodes, QMP_MAX_NODES);
	size_t nb = qmp_backends(nodes, n, backends);
	const char *device = qmp_arg_str(req, "device");
	const char *id = qmp_arg_str(req, "id");
	char path[128];
	size_t len;

	if (!device == !id) {
		error_setg(errp, "Need exactly one of 'device' and 'id'");
		return false;
	}
	snprintf(path, sizeof(path), "/machine/peripheral/%s", id ? id : "");
	len = strlen(path);
	for (size_t i = 0; i < nb; i++) {
		struct drive *d = backends[i]->d;
		const char *qdev = drive_qdev(d);

		if (device && (d->is_node || strcmp(d->id, device))) {
			continue;
		}
		if (id && (strncmp(qdev, path, len) ||
			   (qdev[len] && qdev[len] != '/'))) {
			continue;
		}
		/* The id names a PCI proxy; the disk is its virtio-backend. */
		if (id && qdev[len]) {
			error_setg(errp, "Device does not have a block device "
					 "backend");
			return false;
		}
		return true;
	}
	req->error_class = QMP_ERROR_DEVICE_NOT_FOUND;
	error_setg(errp, "Device '%s' not found", device ? device : id);
	return false;
}

static json_object *qmp_not_removable(struct qmp_request *req,
				      struct error **errp)
{
	const char *device = qmp_arg_str(req, "device");

	error_setg(errp, "Device '%s' is not removable",
		   device ? device : qmp_arg_str(req, "id"));
	return NULL;
}

/* eject, blockdev-open-tray, -close-tray, -remove-medium: QEMU's errors. */
json_object *qmp_eject(struct qmp_request *req, struct error **errp)
{
	if (!qmp_tray_backend(req, errp)) {
		return NULL;
	}
	return qmp_not_removable(req, errp);
}

json_object *qmp_blockdev_tray(struct qmp_request *req, struct error **errp)
{
	return qmp_eject(req, errp);
}

/* QEMU opens the new medium before it looks at the tray. */
json_object *qmp_blockdev_change_medium(struct qmp_request *req,
					struct error **errp)
{
	const char *filename = qmp_arg_str(req, "filename");
	int fd;

	if (!qmp_tray_backend(req, errp)) {
		return NULL;
	}
	fd = open(filename, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_setg(errp, "Could not open '%s': %s", filename,
			   strerror(errno));
		return NULL;
	}
	close(fd);
	return qmp_not_removable(req, errp);
}
