/* SPDX-License-Identifier: MIT */
/* The passthrough file system: request dispatch, INIT and DESTROY. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/virtiofsd/fs-internal.h"

#define FS_MAX_WRITE (1u << 20)
#define FS_MAX_PAGES 256

/* Each operation, and whether it changes the shared directory. */
struct op_entry {
	fs_op_fn *fn;
	bool mutates;
};

static const struct op_entry ops[] = {
	[FUSE_LOOKUP] = { fs_op_lookup, false },
	[FUSE_FORGET] = { fs_op_forget, false },
	[FUSE_BATCH_FORGET] = { fs_op_batch_forget, false },
	[FUSE_GETATTR] = { fs_op_getattr, false },
	[FUSE_SETATTR] = { fs_op_setattr, true },
	[FUSE_READLINK] = { fs_op_readlink, false },
	[FUSE_SYMLINK] = { fs_op_symlink, true },
	[FUSE_MKNOD] = { fs_op_mknod, true },
	[FUSE_MKDIR] = { fs_op_mkdir, true },
	[FUSE_UNLINK] = { fs_op_unlink, true },
	[FUSE_RMDIR] = { fs_op_rmdir, true },
	[FUSE_RENAME] = { fs_op_rename, true },
	[FUSE_RENAME2] = { fs_op_rename, true },
	[FUSE_LINK] = { fs_op_link, true },
	[FUSE_OPEN] = { fs_op_open, false },
	[FUSE_READ] = { fs_op_read, false },
	[FUSE_WRITE] = { fs_op_write, true },
	[FUSE_STATFS] = { fs_op_statfs, false },
	[FUSE_RELEASE] = { fs_op_release, false },
	[FUSE_FSYNC] = { fs_op_fsync, false },
	[FUSE_FLUSH] = { fs_op_flush, false },
	[FUSE_OPENDIR] = { fs_op_opendir, false },
	[FUSE_READDIR] = { fs_op_readdir, false },
	[FUSE_READDIRPLUS] = { fs_op_readdirplus, false },
	[FUSE_RELEASEDIR] = { fs_op_releasedir, false },
	[FUSE_FSYNCDIR] = { fs_op_fsyncdir, false },
	[FUSE_ACCESS] = { fs_op_access, false },
	[FUSE_CREATE] = { fs_op_create, true },
	[FUSE_FALLOCATE] = { fs_op_fallocate, true },
	[FUSE_LSEEK] = { fs_op_lseek, false },
	[FUSE_COPY_FILE_RANGE] = { fs_op_copy_file_range, true },
	[FUSE_SYNCFS] = { fs_op_syncfs, false },
	[FUSE_SETXATTR] = { fs_op_setxattr, true },
	[FUSE_GETXATTR] = { fs_op_getxattr, false },
	[FUSE_LISTXATTR] = { fs_op_listxattr, false },
	[FUSE_REMOVEXATTR] = { fs_op_removexattr, true },
};

static const uint64_t wanted_flags =
	FUSE_ASYNC_READ | FUSE_ATOMIC_O_TRUNC | FUSE_BIG_WRITES |
	FUSE_AUTO_INVAL_DATA | FUSE_DO_READDIRPLUS | FUSE_READDIRPLUS_AUTO |
	FUSE_ASYNC_DIO | FUSE_PARALLEL_DIROPS | FUSE_MAX_PAGES |
	FUSE_CACHE_SYMLINKS | FUSE_INIT_EXT;

static int do_init(struct fs *fs, const struct fuse_req *req, uint8_t *out,
		   size_t cap)
{
	struct fuse_init_in in = { 0 };
	struct fuse_init_out o = { 0 };
	uint64_t kflags;

	memcpy(&in, req->in,
	       req->in_size < sizeof(in) ? req->in_size : sizeof(in));
	o.major = FUSE_KERNEL_VERSION;
	o.minor = FUSE_KERNEL_MINOR_VERSION;
	if (in.major > FUSE_KERNEL_VERSION) {
		/* The kernel retries with our major. */
		memcpy(out, &o, FUSE_COMPAT_INIT_OUT_SIZE);
		return FUSE_COMPAT_INIT_OUT_SIZE;
	}
	if (in.major < FUSE_KERNEL_VERSION || in.minor < FUSE_REQ_MIN_MINOR) {
		return -EPROTO;
	}
	if (in.minor < o.minor) {
		o.minor = in.minor;
	}
	kflags = in.flags;
	if (kflags & FUSE_INIT_EXT) {
		kflags |= (uint64_t)in.flags2 << 32;
	}
	kflags &= wanted_flags;
	o.flags = kflags;
	o.flags2 = kflags >> 32;
	o.max_readahead = in.max_readahead;
	o.max_background = 64;
	o.congestion_threshold = 48;
	o.max_write = FS_MAX_WRITE;
	o.time_gran = 1;
	o.max_pages = FS_MAX_PAGES;
	o.map_alignment = 0;
	if (cap < sizeof(o)) {
		return -EINVAL;
	}
	fs->minor = o.minor;
	fs->initialized = true;
	memcpy(out, &o, sizeof(o));
	return o.minor >= 23 ? (int)sizeof(o) : FUSE_COMPAT_22_INIT_OUT_SIZE;
}

static int dispatch(struct fs *fs, const struct fuse_req *req, uint8_t *out,
		    size_t cap)
{
	struct fs_call call = { fs, req, NULL, out, cap };
	const struct op_entry *op;
	int ret;

	if (req->opcode == FUSE_INIT) {
		return do_init(fs, req, out, cap);
	}
	if (!fs->initialized) {
		return -EIO;
	}
	if (req->opcode == FUSE_DESTROY) {
		fs_handles_release_all(fs);
		fs_inode_forget_all(fs);
		fs->initialized = false;
		return 0;
	}
	op = req->opcode < sizeof(ops) / sizeof(ops[0]) ? &ops[req->opcode] :
							  NULL;
	if (!op || !op->fn) {
		return -ENOSYS;
	}
	if (op->mutates && fs->cfg.readonly) {
		return -EROFS;
	}
	if (op->fn == fs_op_batch_forget) {
		return op->fn(&call);
	}
	call.inode = fs_inode_get(fs, req->hdr->nodeid);
	if (!call.inode) {
		return req->opcode == FUSE_FORGET ? FS_NO_REPLY : -ENOENT;
	}
	ret = op->fn(&call);
	fs_inode_put(fs, call.inode);
	return ret;
}

static size_t error_reply(void *out, size_t cap, uint64_t unique, int err)
{
	struct fuse_out_header hdr = { sizeof(hdr), err, unique };

	if (cap < sizeof(hdr)) {
		return 0;
	}
	memcpy(out, &hdr, sizeof(hdr));
	return sizeof(hdr);
}

size_t fs_handle(struct fs *fs, const void *in, size_t in_len, void *out,
		 size_t out_cap)
{
	struct fuse_out_header hdr;
	struct fuse_req req;
	int ret = fuse_req_parse(in, in_len, &req);

	if (ret == -EPROTO) {
		return 0;
	}
	if (ret < 0) {
		/* FORGETs get no reply, even when malformed. */
		if (req.opcode == FUSE_FORGET ||
		    req.opcode == FUSE_BATCH_FORGET) {
			return 0;
		}
		return error_reply(out, out_cap, req.hdr->unique, ret);
	}
	if (out_cap < sizeof(hdr) && req.opcode != FUSE_FORGET &&
	    req.opcode != FUSE_BATCH_FORGET) {
		return 0;
	}
	ret = dispatch(fs, &req, (uint8_t *)out + sizeof(hdr),
		       out_cap > sizeof(hdr) ? out_cap - sizeof(hdr) : 0);
	if (ret == FS_NO_REPLY) {
		return 0;
	}
	if (ret < 0) {
		return error_reply(out, out_cap, req.hdr->unique, ret);
	}
	hdr.len = sizeof(hdr) + ret;
	hdr.error = 0;
	hdr.unique = req.hdr->unique;
	memcpy(out, &hdr, sizeof(hdr));
	return hdr.len;
}

struct fs *fs_new(int root_fd, int proc_fd, const struct fs_config *cfg)
{
	struct fs *fs = calloc(1, sizeof(*fs));
	struct stat st;

	if (!fs) {
		return NULL;
	}
	if (fstatat(root_fd, "", &st, AT_EMPTY_PATH) < 0) {
		free(fs);
		return NULL;
	}
	fs->cfg = *cfg;
	fs->proc_fd = proc_fd;
	fs->root_rd_fd =
		openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pthread_mutex_init(&fs->lock, NULL);
	fs->next_nodeid = FUSE_ROOT_ID;
	fs->root = fs_inode_add(fs, root_fd, &st);
	if (!fs->root) {
		free(fs);
		return NULL;
	}
	return fs;
}

void fs_free(struct fs *fs)
{
	if (!fs) {
		return;
	}
	fs_handles_release_all(fs);
	fs_inode_forget_all(fs);
	close(fs->root->fd);
	free(fs->root);
	if (fs->root_rd_fd >= 0) {
		close(fs->root_rd_fd);
	}
	free(fs->handles);
	free(fs);
}
