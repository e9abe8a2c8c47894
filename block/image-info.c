/* SPDX-License-Identifier: MIT */
/* An image described as QEMU's ImageInfo: qemu-img info --output=json and
 * the "image" of QMP's query-block. */
#include <json-c/json.h>
#include <string.h>
#include <sys/stat.h>

#include "block/image-info.h"

uint64_t block_actual_size(const struct block *bs)
{
	struct stat st;

	return stat(block_filename(bs), &st) ? 0 : (uint64_t)st.st_blocks * 512;
}

/* "snapshots": QEMU's SnapshotInfo list, when the image has any. */
static void block_image_info_snapshots(struct block *bs,
				       struct json_object *root)
{
	struct block_snapshot_info *list = NULL;
	struct json_object *array;
	int n = block_snapshot_list(bs, &list);

	if (n <= 0) {
		return;
	}
	array = json_object_new_array();
	for (int i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();
		const struct block_snapshot_info *sn = &list[i];

		if (sn->icount != UINT64_MAX) {
			json_object_object_add(
				o, "icount",
				json_object_new_int64((int64_t)sn->icount));
		}
		json_object_object_add(
			o, "vm-clock-nsec",
			json_object_new_int64(sn->vm_clock_nsec % 1000000000));
		json_object_object_add(o, "name",
				       json_object_new_string(sn->name));
		json_object_object_add(o, "date-sec",
				       json_object_new_int64(sn->date_sec));
		json_object_object_add(o, "date-nsec",
				       json_object_new_int64(sn->date_nsec));
		json_object_object_add(
			o, "vm-clock-sec",
			json_object_new_int64(sn->vm_clock_nsec / 1000000000));
		json_object_object_add(o, "id", json_object_new_string(sn->id));
		json_object_object_add(
			o, "vm-state-size",
			json_object_new_int64((int64_t)sn->vm_state_size));
		json_object_array_add(array, o);
	}
	block_snapshot_list_free(list, n);
	json_object_object_add(root, "snapshots", array);
}

struct json_object *block_image_info_json(struct block *bs,
					  const struct block_info *info)
{
	struct json_object *root = json_object_new_object();
	struct json_object *spec, *data;

	if (info->backing_format) {
		json_object_object_add(
			root, "backing-filename-format",
			json_object_new_string(info->backing_format));
	}
	json_object_object_add(root, "virtual-size",
			       json_object_new_int64(info->virtual_size));
	json_object_object_add(root, "filename",
			       json_object_new_string(block_filename(bs)));
	if (info->cluster_size) {
		json_object_object_add(
			root, "cluster-size",
			json_object_new_int64(info->cluster_size));
	}
	json_object_object_add(root, "format",
			       json_object_new_string(info->format));
	json_object_object_add(root, "actual-size",
			       json_object_new_int64(block_actual_size(bs)));
	if (info->compat) {
		spec = json_object_new_object();
		data = json_object_new_object();
		json_object_object_add(spec, "type",
				       json_object_new_string(info->format));
		json_object_object_add(data, "compat",
				       json_object_new_string(info->compat));
		json_object_object_add(
			data, "compression-type",
			json_object_new_string(info->compression_type));
		/* Version 2 images have no feature bits to show. */
		if (strcmp(info->compat, "0.10")) {
			json_object_object_add(
				data, "lazy-refcounts",
				json_object_new_boolean(info->lazy_refcounts));
		}
		json_object_object_add(
			data, "refcount-bits",
			json_object_new_int(info->refcount_bits));
		if (strcmp(info->compat, "0.10")) {
			json_object_object_add(
				data, "corrupt",
				json_object_new_boolean(info->corrupt));
			json_object_object_add(
				data, "extended-l2",
				json_object_new_boolean(info->extended_l2));
		}
		json_object_object_add(spec, "data", data);
		json_object_object_add(root, "format-specific", spec);
	}
	if (info->backing_file) {
		struct block *backing = block_backing(bs);

		json_object_object_add(
			root, "full-backing-filename",
			json_object_new_string(backing ?
						       block_filename(backing) :
						       info->backing_file));
		json_object_object_add(
			root, "backing-filename",
			json_object_new_string(info->backing_file));
	}
	json_object_object_add(root, "dirty-flag",
			       json_object_new_boolean(info->dirty));
	block_image_info_snapshots(bs, root);
	return root;
}
