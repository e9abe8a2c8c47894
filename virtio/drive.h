/* SPDX-License-Identifier: MIT */
/* -drive: block backends opened from the command line, found by id by the
 * devices that use them. */
#ifndef MIMIC_VIRTIO_DRIVE_H
#define MIMIC_VIRTIO_DRIVE_H

#include <stdbool.h>

#include "util/error.h"

struct block;
struct machine;

struct drive {
	char *id;
	struct block *bs;
	bool readonly;
	bool attached; /* a device uses it */
	struct drive *next;
};

/*
 * Parse "-drive file=,format=raw|qcow2,if=virtio|none,id=,readonly=on,
 * cache=,media=disk" and open the image; if=virtio also creates a
 * virtio-blk-device on m. Errors name the option or the file.
 */
bool drive_add(struct machine *m, const char *optstr, struct error **errp);
struct drive *drive_find(const char *id);
/* The first drive (then d->next), for the monitor's query-block. */
struct drive *drive_first(void);
/* Close every drive (after the devices are gone). */
void drive_close_all(void);

#endif
