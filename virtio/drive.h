/* SPDX-License-Identifier: MIT */
/* -drive and -blockdev: block backends opened from the command line, found
 * by id (node-name) by the devices that use them. */
#ifndef MIMIC_VIRTIO_DRIVE_H
#define MIMIC_VIRTIO_DRIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct block;
struct machine;

/* Kinds of request a device counts, as QEMU's block accounting does. */
enum drive_acct {
	DRIVE_ACCT_READ,
	DRIVE_ACCT_WRITE,
	DRIVE_ACCT_FLUSH,
	DRIVE_ACCT_UNMAP,
	DRIVE_ACCT_MAX,
};

/* What the guest did with a drive (query-blockstats); the device's worker
 * threads update it with atomics. */
struct drive_stats {
	uint64_t bytes[DRIVE_ACCT_MAX];
	uint64_t ops[DRIVE_ACCT_MAX];
	uint64_t failed[DRIVE_ACCT_MAX]; /* the image returned an error */
	uint64_t invalid[DRIVE_ACCT_MAX]; /* out of range, read-only */
	uint64_t total_ns[DRIVE_ACCT_MAX];
	uint64_t wr_highest_offset; /* end of the highest write */
	uint64_t last_ns; /* monotonic time of the last request, 0: none */
};

/* How drive_account() was told the request ended. */
enum drive_result { DRIVE_DONE, DRIVE_FAILED, DRIVE_INVALID };

/* A device using a drive: told when the image changed size. */
struct drive_user {
	/* Resize the image through fn (the device quiesces its I/O around
	 * it) and tell the guest; false with errp set. */
	bool (*resize)(void *opaque, uint64_t size, struct error **errp);
	void *opaque;
	char qdev[96]; /* QEMU's QOM path of the device (drive_qdev) */
	bool named; /* a device took it: qdev is set */
	bool late; /* if=virtio: numbered after the -device ones */
	unsigned late_index;
	unsigned attach_order; /* when the device was created */
};

struct drive {
	char *id; /* -drive id=, or -blockdev node-name= */
	struct block *bs; /* NULL: a protocol node not opened yet */
	bool readonly;
	bool attached; /* a device (or a format node above) uses it */
	bool is_node; /* from -blockdev */
	bool protocol; /* a -blockdev file/host_device node */
	struct drive *below; /* a format node's protocol node (file=NODE) */
	/* -blockdev driver=file: opened as raw only when a device takes it,
	 * never when a format node stands on it (one opener per file). */
	char *node_file;
	int node_flags;
	bool node_auto_ro;
	struct drive_stats stats;
	struct drive_user user; /* valid while attached */
	unsigned order; /* creation order (the list is newest first) */
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
/* Count one request that started at start_ns (bql_clock_ns). */
void drive_account(struct drive *d, enum drive_acct type, uint64_t offset,
		   uint64_t bytes, enum drive_result result, uint64_t start_ns);
/* block_resize for the monitor: through the device when one uses it. */
bool drive_resize(struct drive *d, uint64_t size, struct error **errp);
/* Name the device taking d as QEMU does: /machine/peripheral/ID or,
 * without an id (NULL), /machine/peripheral-anon/device[N]; a PCI proxy's
 * backend is /virtio-backend below it. */
void drive_set_qdev(struct drive *d, const char *id, bool pci);
/* That path ("" when no device took d). QEMU creates -drive if=virtio's
 * device after every -device, so it is numbered after them. */
const char *drive_qdev(struct drive *d);
/* Close every drive (after the devices are gone). */
void drive_close_all(void);

#endif
