/* SPDX-License-Identifier: MIT */
/* -drive and -blockdev: block backends opened from the command line, found
 * by id (node-name) by the devices that use them. */
#ifndef MIMIC_VIRTIO_DRIVE_H
#define MIMIC_VIRTIO_DRIVE_H

#include <stdbool.h>

#include "util/error.h"

struct block;
struct machine;

struct drive {
	char *id; /* -drive id=, or -blockdev node-name= */
	struct block *bs; /* NULL: a protocol node not opened yet */
	bool readonly;
	bool attached; /* a device (or a format node above) uses it */
	bool is_node; /* from -blockdev */
	/* -blockdev driver=file: opened as raw only when a device takes it,
	 * never when a format node stands on it (one opener per file). */
	char *node_file;
	int node_flags;
	bool node_auto_ro;
	struct drive *next;
};

/*
 * Parse "-drive file=,format=raw|qcow2,if=virtio|none,id=,readonly=on,
 * cache=,media=disk,snapshot=on" and open the image (snapshot: writes go to
 * a temporary overlay, the image is left unchanged); if=virtio also creates a
 * virtio-blk-device on m. Errors name the option or the file.
 */
bool drive_add(struct machine *m, const char *optstr, struct error **errp);
/* -snapshot: every -drive after this defaults to snapshot=on. */
void drive_set_snapshot(bool on);
struct drive *drive_find(const char *id);

/*
 * -blockdev, dotted (driver=qcow2,node-name=N,file.driver=file,
 * file.filename=F) or JSON ({"driver": "qcow2", "file": "N0", ...}):
 * drivers file, host_device, raw and qcow2; the node is a drive named by
 * its node-name (virtio/blockdev.c).
 */
bool blockdev_add(const char *optstr, struct error **errp);
/* A -blockdev node: format NULL for a protocol node (opened on use). */
bool drive_add_node(const char *name, const char *filename, const char *format,
		    int flags, bool readonly, bool auto_ro,
		    struct error **errp);
/* Make sure d->bs is open (a protocol node opens as raw here). */
bool drive_open_node(struct drive *d, struct error **errp);
/* The first drive (then d->next), for the monitor's query-block. */
struct drive *drive_first(void);
/* Close every drive (after the devices are gone). */
void drive_close_all(void);

#endif
