/* SPDX-License-Identifier: MIT */
/* Parsing and validation of one FUSE request from the guest. */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "tools/virtiofsd/fuse-req.h"

enum arg_kind {
	ARG_NONE, /* only the fixed struct */
	ARG_NAME, /* fixed struct, then a file name */
	ARG_TWO_NAMES, /* fixed struct, old name, new name */
	ARG_SYMLINK, /* name, then a target path */
	ARG_WRITE, /* fuse_write_in, then size bytes */
	ARG_XATTR_NAME, /* fixed struct, then an attribute name */
	ARG_XATTR_SET, /* fuse_setxattr_in (compat), name, value */
	ARG_FORGETS, /* fuse_batch_forget_in, then count entries */
};

struct opcode_info {
	const char *name;
	uint32_t in_size;
	uint8_t kind;
};

/* FUSE_SETXATTR without FUSE_SETXATTR_EXT carries only size and flags. */
#define SETXATTR_IN_SIZE FUSE_COMPAT_SETXATTR_IN_SIZE

static const struct opcode_info opcodes[] = {
	[FUSE_LOOKUP] = { "LOOKUP", 0, ARG_NAME },
	[FUSE_FORGET] = { "FORGET", sizeof(struct fuse_forget_in), ARG_NONE },
	[FUSE_GETATTR] = { "GETATTR", sizeof(struct fuse_getattr_in),
			   ARG_NONE },
	[FUSE_SETATTR] = { "SETATTR", sizeof(struct fuse_setattr_in),
			   ARG_NONE },
	[FUSE_READLINK] = { "READLINK", 0, ARG_NONE },
	[FUSE_SYMLINK] = { "SYMLINK", 0, ARG_SYMLINK },
	[FUSE_MKNOD] = { "MKNOD", sizeof(struct fuse_mknod_in), ARG_NAME },
	[FUSE_MKDIR] = { "MKDIR", sizeof(struct fuse_mkdir_in), ARG_NAME },
	[FUSE_UNLINK] = { "UNLINK", 0, ARG_NAME },
	[FUSE_RMDIR] = { "RMDIR", 0, ARG_NAME },
	[FUSE_RENAME] = { "RENAME", sizeof(struct fuse_rename_in),
			  ARG_TWO_NAMES },
	[FUSE_LINK] = { "LINK", sizeof(struct fuse_link_in), ARG_NAME },
	[FUSE_OPEN] = { "OPEN", sizeof(struct fuse_open_in), ARG_NONE },
	[FUSE_READ] = { "READ", sizeof(struct fuse_read_in), ARG_NONE },
	[FUSE_WRITE] = { "WRITE", sizeof(struct fuse_write_in), ARG_WRITE },
	[FUSE_STATFS] = { "STATFS", 0, ARG_NONE },
	[FUSE_RELEASE] = { "RELEASE", sizeof(struct fuse_release_in),
			   ARG_NONE },
	[FUSE_FSYNC] = { "FSYNC", sizeof(struct fuse_fsync_in), ARG_NONE },
	[FUSE_SETXATTR] = { "SETXATTR", SETXATTR_IN_SIZE, ARG_XATTR_SET },
	[FUSE_GETXATTR] = { "GETXATTR", sizeof(struct fuse_getxattr_in),
			    ARG_XATTR_NAME },
	[FUSE_LISTXATTR] = { "LISTXATTR", sizeof(struct fuse_getxattr_in),
			     ARG_NONE },
	[FUSE_REMOVEXATTR] = { "REMOVEXATTR", 0, ARG_XATTR_NAME },
	[FUSE_FLUSH] = { "FLUSH", sizeof(struct fuse_flush_in), ARG_NONE },
	[FUSE_INIT] = { "INIT", 16, ARG_NONE },
	[FUSE_OPENDIR] = { "OPENDIR", sizeof(struct fuse_open_in), ARG_NONE },
	[FUSE_READDIR] = { "READDIR", sizeof(struct fuse_read_in), ARG_NONE },
	[FUSE_RELEASEDIR] = { "RELEASEDIR", sizeof(struct fuse_release_in),
			      ARG_NONE },
	[FUSE_FSYNCDIR] = { "FSYNCDIR", sizeof(struct fuse_fsync_in),
			    ARG_NONE },
	[FUSE_ACCESS] = { "ACCESS", sizeof(struct fuse_access_in), ARG_NONE },
	[FUSE_CREATE] = { "CREATE", sizeof(struct fuse_create_in), ARG_NAME },
	[FUSE_DESTROY] = { "DESTROY", 0, ARG_NONE },
	[FUSE_BATCH_FORGET] = { "BATCH_FORGET",
				sizeof(struct fuse_batch_forget_in),
				ARG_FORGETS },
	[FUSE_FALLOCATE] = { "FALLOCATE", sizeof(struct fuse_fallocate_in),
			     ARG_NONE },
	[FUSE_READDIRPLUS] = { "READDIRPLUS", sizeof(struct fuse_read_in),
			       ARG_NONE },
	[FUSE_RENAME2] = { "RENAME2", sizeof(struct fuse_rename2_in),
			   ARG_TWO_NAMES },
	[FUSE_LSEEK] = { "LSEEK", sizeof(struct fuse_lseek_in), ARG_NONE },
	[FUSE_COPY_FILE_RANGE] = { "COPY_FILE_RANGE",
				   sizeof(struct fuse_copy_file_range_in),
				   ARG_NONE },
	[FUSE_SYNCFS] = { "SYNCFS", sizeof(struct fuse_syncfs_in), ARG_NONE },
};

#define NUM_OPCODES (sizeof(opcodes) / sizeof(opcodes[0]))

const char *fuse_opcode_name(uint32_t opcode)
{
	if (opcode < NUM_OPCODES && opcodes[opcode].name) {
		return opcodes[opcode].name;
	}
	return "UNKNOWN";
}

struct cursor {
	const uint8_t *p;
	size_t left;
};

/* A NUL-terminated string of 1..max bytes at the cursor. */
static const char *take_string(struct cursor *c, size_t max)
{
	const uint8_t *nul = memchr(c->p, '\0', c->left);
	const char *s = (const char *)c->p;
	size_t n;

	if (!nul) {
		return NULL;
	}
	n = nul - c->p;
	if (n == 0 || n > max) {
		return NULL;
	}
	c->p += n + 1;
	c->left -= n + 1;
	return s;
}

/* A single path component: no '/', not "." or "..". */
static const char *take_name(struct cursor *c)
{
	const char *s = take_string(c, NAME_MAX);

	if (!s || strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, "..")) {
		return NULL;
	}
	return s;
}

static int parse_forgets(struct fuse_req *req, struct cursor *c)
{
	const struct fuse_batch_forget_in *bf = req->in;
	size_t need = (size_t)bf->count * sizeof(struct fuse_forget_one);

	if (bf->count > c->left / sizeof(struct fuse_forget_one)) {
		return -EINVAL;
	}
	req->data = c->p;
	req->data_len = need;
	return 0;
}

static int parse_write(struct fuse_req *req, struct cursor *c)
{
	const struct fuse_write_in *w = req->in;

	if (w->size > c->left) {
		return -EINVAL;
	}
	req->data = c->p;
	req->data_len = w->size;
	return 0;
}

static int parse_xattr_set(struct fuse_req *req, struct cursor *c)
{
	const struct fuse_setxattr_in *s = req->in;

	req->name = take_string(c, XATTR_NAME_MAX);
	if (!req->name || s->size > c->left || s->size > XATTR_SIZE_MAX) {
		return -EINVAL;
	}
	req->data = c->p;
	req->data_len = s->size;
	return 0;
}

static int parse_trailing(struct fuse_req *req, uint8_t kind, struct cursor *c)
{
	switch (kind) {
	case ARG_NAME:
		req->name = take_name(c);
		return req->name ? 0 : -EINVAL;
	case ARG_TWO_NAMES:
		req->name = take_name(c);
		req->name2 = req->name ? take_name(c) : NULL;
		return req->name2 ? 0 : -EINVAL;
	case ARG_SYMLINK:
		req->name = take_name(c);
		req->name2 = req->name ? take_string(c, PATH_MAX - 1) : NULL;
		return req->name2 ? 0 : -EINVAL;
	case ARG_WRITE:
		return parse_write(req, c);
	case ARG_XATTR_NAME:
		req->name = take_string(c, XATTR_NAME_MAX);
		return req->name ? 0 : -EINVAL;
	case ARG_XATTR_SET:
		return parse_xattr_set(req, c);
	case ARG_FORGETS:
		return parse_forgets(req, c);
	default:
		return 0;
	}
}

int fuse_req_parse(const void *buf, size_t len, struct fuse_req *req)
{
	const struct opcode_info *info;
	struct cursor c;

	memset(req, 0, sizeof(*req));
	if (len < sizeof(struct fuse_in_header)) {
		return -EPROTO;
	}
	req->hdr = buf;
	req->opcode = req->hdr->opcode;
	if (req->hdr->len < sizeof(struct fuse_in_header) ||
	    req->hdr->len > len) {
		return -EINVAL;
	}
	if (req->opcode >= NUM_OPCODES || !opcodes[req->opcode].name) {
		return -ENOSYS;
	}
	info = &opcodes[req->opcode];
	c.p = (const uint8_t *)buf + sizeof(struct fuse_in_header);
	c.left = req->hdr->len - sizeof(struct fuse_in_header);
	if (c.left < info->in_size) {
		return -EINVAL;
	}
	if (info->in_size) {
		req->in = c.p;
		req->in_size =
			req->opcode == FUSE_INIT ? c.left : info->in_size;
		c.p += info->in_size;
		c.left -= info->in_size;
	}
	return parse_trailing(req, info->kind, &c);
}
