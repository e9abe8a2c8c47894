/* SPDX-License-Identifier: MIT */
/* An image described as QEMU's ImageInfo (JSON), for mimic-img and QMP. */
#ifndef MIMIC_BLOCK_IMAGE_INFO_H
#define MIMIC_BLOCK_IMAGE_INFO_H

#include <stdint.h>

#include "block/block.h"

struct json_object;

/* Bytes the image's file occupies on the host (st_blocks * 512). */
uint64_t block_actual_size(const struct block *bs);
/* {"virtual-size", "filename", "format", "actual-size", ...} of bs, whose
 * block_get_info() is info. */
struct json_object *block_image_info_json(struct block *bs,
					  const struct block_info *info);

#endif
