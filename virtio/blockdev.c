/* SPDX-License-Identifier: MIT */
/* -blockdev: block nodes in QEMU's spelling (dotted keys or JSON), kept as drives by node-name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"
#include "util/options.h"
#include "util/types.h"
#include "virtio/drive.h"

#define BLOCKDEV_MAX_KEY 128

static bool blockdev_bool(struct opts *o, const char *key, bool *out,
			  struct error **errp)
{
	struct error *err = NULL;

	if (!opts_get_bool(o, key, false, out, &err)) {
		error_prepend(&err, "-blockdev");
		error_propagate(errp, err);
		return false;
	}
	return true;
}

/* A value we accept only as one of a few words. */
static bool blockdev_word(struct opts *o, const char *key, const char *words,
			  struct error **errp)
{
	const char *v = opts_get(o, key);
	size_t n = v ? strlen(v) : 0;

	for (const char *w = words; v && *w;) {
		const char *end = strchr(w, ' ');
		size_t len = end ? (size_t)(end - w) : strlen(w);

		if (len == n && !strncmp(w, v, n)) {
			return true;
		}
		w += len + (end != NULL);
	}
	if (v) {
		error_setg(errp, "-blockdev: %s=%s is not supported (%s)", key,
			   v, words);
		return false;
	}
	return true;
}

/* cache.direct=on: O_DIRECT; cache.no-flush=on: flushes do nothing. */
static bool blockdev_cache(struct opts *o, int *flags, struct error **errp)
{
	bool direct = false, noflush = false;

	if (!blockdev_bool(o, "cache.direct", &direct, errp) ||
	    !blockdev_bool(o, "cache.no-flush", &noflush, errp)) {
		return false;
	}
	*flags |= (direct ? BLOCK_NOCACHE : 0) | (noflush ? BLOCK_NO_FLUSH : 0);
	return true;
}

/*
 * What a protocol node (driver=file or host_device) says, read with the
 * key prefix pre ("" for the node itself, "file." when nested): the file
 * name and the flags it adds.
 */
static bool blockdev_protocol(struct opts *o, const char *pre,
			      const char **filename, int *flags,
			      struct error **errp)
{
	static const char *const keys[] = {
		"aio",		"discard",	  "detect-zeroes", "locking",
		"cache.direct", "cache.no-flush", "filename",	   "driver",
		"node-name",	"read-only",	  "auto-read-only"
	};
	struct opts *sub = opts_parse("", NULL, errp);
	const char *driver;
	bool ok = sub != NULL;

	/* The nested keys, unprefixed, in their own set. */
	for (unsigned i = 0; ok && i < ARRAY_SIZE(keys); i++) {
		char name[BLOCKDEV_MAX_KEY];
		const char *v;

		snprintf(name, sizeof(name), "%s%s", pre, keys[i]);
		v = opts_get(o, name);
		if (v) {
			ok = opts_set(sub, keys[i], v);
		}
	}
	if (!ok) {
		opts_free(sub);
		return false;
	}
	driver = opts_get(sub, "driver");
	*filename = opts_get(o, *pre ? "file.filename" : "filename");
	ok = blockdev_word(sub, "driver", "file host_device", errp) &&
	     blockdev_word(sub, "aio", "threads native io_uring", errp) &&
	     blockdev_word(sub, "discard", "ignore off unmap on", errp) &&
	     blockdev_word(sub, "detect-zeroes", "off", errp) &&
	     blockdev_word(sub, "locking", "auto on off", errp) &&
	     blockdev_cache(sub, flags, errp);
	if (ok && !driver) {
		error_setg(errp, "-blockdev: %sdriver= is required", pre);
		ok = false;
	}
	if (ok && (!*filename || !**filename)) {
		error_setg(errp, "-blockdev: %sfilename= is required", pre);
		ok = false;
	}
	if (ok) {
		if (opts_get(sub, "locking") &&
		    !strcmp(opts_get(sub, "locking"), "off")) {
			*flags |= BLOCK_NO_LOCK;
		}
	}
	opts_free(sub);
	return ok;
}

/* The protocol node a format node stands on: file=NODE or file.*. */
static bool blockdev_file(struct opts *o, const char **filename, int *flags,
			  struct drive **below, struct error **errp)
{
	const char *ref = opts_get(o, "file");

	if (ref) {
		*below = drive_find(ref);
		if (!*below || !(*below)->node_file) {
			error_setg(errp,
				   "-blockdev: file=%s: no protocol node with "
				   "that node-name",
				   ref);
			return false;
		}
		if ((*below)->attached) {
			error_setg(errp,
				   "-blockdev: node '%s' is already in use",
				   ref);
			return false;
		}
		*filename = (*below)->node_file;
		*flags |= (*below)->node_flags;
		return true;
	}
	*below = NULL;
	return blockdev_protocol(o, "file.", filename, flags, errp);
}

bool blockdev_add(const char *optstr, struct error **errp)
{
	struct error *err = NULL;
	struct opts *o = opts_parse(optstr, NULL, &err);
	const char *driver, *name, *filename = NULL, *format = NULL;
	struct drive *below = NULL;
	bool readonly = false, auto_ro = false, ok;
	int flags = 0;

	if (!o) {
		error_prepend(&err, "-blockdev");
		error_propagate(errp, err);
		return false;
	}
	driver = opts_get(o, "driver");
	name = opts_get(o, "node-name");
	ok = blockdev_bool(o, "read-only", &readonly, errp) &&
	     blockdev_bool(o, "auto-read-only", &auto_ro, errp) &&
	     blockdev_word(o, "discard", "ignore off unmap on", errp) &&
	     blockdev_word(o, "detect-zeroes", "off", errp);
	if (ok && (!name || !*name)) {
		error_setg(errp, "-blockdev: node-name= is required");
		ok = false;
	} else if (ok && drive_find(name)) {
		error_setg(errp, "-blockdev: duplicate node-name '%s'", name);
		ok = false;
	}
	if (ok && driver &&
	    (!strcmp(driver, "qcow2") || !strcmp(driver, "raw"))) {
		format = driver;
		/* backing=null: the image alone, no backing chain */
		if (opts_get(o, "backing")) {
			if (*opts_get(o, "backing")) {
				error_setg(errp,
					   "-blockdev: backing=NODE is not "
					   "supported (the image's own "
					   "backing file is opened)");
				ok = false;
			}
			flags |= BLOCK_NO_BACKING;
		}
		ok = ok && blockdev_cache(o, &flags, errp) &&
		     blockdev_file(o, &filename, &flags, &below, errp);
	} else if (ok && driver &&
		   (!strcmp(driver, "file") ||
		    !strcmp(driver, "host_device"))) {
		ok = blockdev_protocol(o, "", &filename, &flags, errp);
	} else if (ok) {
		error_setg(errp,
			   "-blockdev: driver=%s is not supported (file, "
			   "host_device, raw, qcow2)",
			   driver ? driver : "");
		ok = false;
	}
	ok = ok && opts_check_unused(o, "-blockdev", errp);
	if (ok) {
		ok = drive_add_node(name, filename, format, flags, readonly,
				    auto_ro, errp);
	}
	if (ok && below) {
		/* The format node took its protocol node over. */
		below->attached = true;
		drive_find(name)->below = below;
	}
	opts_free(o);
	return ok;
}
