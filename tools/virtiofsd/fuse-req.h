/* SPDX-License-Identifier: MIT */
/* Parsing and validation of one FUSE request from the guest. */
#ifndef VIRTIOFSD_FUSE_REQ_H
#define VIRTIOFSD_FUSE_REQ_H

#include <linux/fuse.h>
#include <stddef.h>
#include <stdint.h>

/* Lowest kernel protocol minor we serve (Linux 4.20); virtio-fs needs 31. */
#define FUSE_REQ_MIN_MINOR 27

/*
 * A request whose every argument has been checked against the buffer:
 * the fixed-size argument struct is complete, names are NUL-terminated,
 * non-empty, free of '/', and not "." or ".."; payload lengths fit.
 */
struct fuse_req {
	const struct fuse_in_header *hdr;
	uint32_t opcode;
	const void *in; /* the opcode's fixed-size argument, or NULL */
	size_t in_size;
	const char *name; /* first name (LOOKUP, MKDIR, ...) */
	const char *name2; /* second name or symlink target */
	const uint8_t *data; /* WRITE data, xattr value, forget array */
	size_t data_len;
};

/*
 * Parse buf[0..len) (8-byte aligned, as the kernel lays requests out).
 * Returns 0 when req is ready to run, -ENOSYS for an
 * opcode we do not implement, another -errno for a malformed request (the
 * header is then still usable for an error reply), or -EPROTO when even the
 * header is unusable and no reply can be addressed.
 */
int fuse_req_parse(const void *buf, size_t len, struct fuse_req *req);
const char *fuse_opcode_name(uint32_t opcode);

#endif
