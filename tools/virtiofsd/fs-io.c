/* SPDX-License-Identifier: MIT */
/* Files, directories and extended attributes of the passthrough fs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "tools/virtiofsd/fs-internal.h"

/* Open flags a guest may pass through; the rest are ours to decide. */
#define PASS_FLAGS                                                        \
	(O_ACCMODE | O_APPEND | O_TRUNC | O_SYNC | O_DSYNC | O_NONBLOCK | \
	 O_LARGEFILE)

static bool wants_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

static uint32_t open_flags_out(struct fs *fs, bool dir)
{
	if (fs->cfg.cache == FS_CACHE_NEVER) {
		return dir ? 0 : FOPEN_DIRECT_IO;
	}
	if (fs->cfg.cache == FS_CACHE_ALWAYS) {
		return dir ? FOPEN_CACHE_DIR : FOPEN_KEEP_CACHE;
	}
	return 0;
}

static int reply_open(struct fs_call *call, int fd, bool dir, uint8_t *at)
{
	struct fuse_open_out out = { 0 };
	int ret = fs_handle_new(call->fs, fd, dir, &out.fh);

	if (ret < 0) {
		return ret;
	}
	out.open_flags = open_flags_out(call->fs, dir);
	memcpy(at, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_open(struct fs_call *call)
{
	const struct fuse_open_in *in = call->req->in;
	int flags = in->flags & PASS_FLAGS, fd;

	if (call->cap < sizeof(struct fuse_open_out)) {
		return -EINVAL;
	}
	if (call->inode->type != S_IFREG) {
		/* Never follow a symlink; never open a host device. */
		return call->inode->type == S_IFDIR ? -EISDIR :
		       call->inode->type == S_IFLNK ? -ELOOP :
						      -ENXIO;
	}
	if (call->fs->cfg.readonly && wants_write(flags)) {
		return -EROFS;
	}
	fd = fs_inode_open(call->fs, call->inode, flags);
	return fd < 0 ? fd : reply_open(call, fd, false, call->out);
}

int fs_op_create(struct fs_call *call)
{
	const struct fuse_create_in *in = call->req->in;
	struct open_how how = {
		.flags = (in->flags & PASS_FLAGS) | O_CREAT | O_NOFOLLOW |
			 O_CLOEXEC | (in->flags & O_EXCL),
		.mode = in->mode & 07777,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
			   RESOLVE_NO_SYMLINKS,
	};
	struct fuse_entry_out entry;
	uid_t ouid = geteuid();
	gid_t ogid = getegid();
	long fd;
	int ret;

	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (call->cap < sizeof(entry) + sizeof(struct fuse_open_out)) {
		return -EINVAL;
	}
	setfsgid(call->req->hdr->gid);
	setfsuid(call->req->hdr->uid);
	fd = syscall(SYS_openat2, call->inode->fd, call->req->name, &how,
		     sizeof(how));
	ret = fd < 0 ? -errno : 0;
	setfsuid(ouid);
	setfsgid(ogid);
	if (ret < 0) {
		return ret;
	}
	ret = fs_do_lookup(call->fs, call->inode, call->req->name, &entry);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	memcpy(call->out, &entry, sizeof(entry));
	ret = reply_open(call, fd, false, call->out + sizeof(entry));
	if (ret < 0) {
		fs_inode_forget(call->fs, entry.nodeid, 1);
		return ret;
	}
	return sizeof(entry) + ret;
}

static struct handle *file(struct fs_call *call, uint64_t fh)
{
	return fs_handle_find(call->fs, fh, false);
}

int fs_op_read(struct fs_call *call)
{
	const struct fuse_read_in *in = call->req->in;
	struct handle *h = file(call, in->fh);
	size_t len = in->size < call->cap ? in->size : call->cap;
	ssize_t n;

	if (!h) {
		return -EBADF;
	}
	n = pread(h->fd, call->out, len, in->offset);
	return n < 0 ? -errno : n;
}

int fs_op_write(struct fs_call *call)
{
	const struct fuse_write_in *in = call->req->in;
	struct handle *h = file(call, in->fh);
	struct fuse_write_out out = { 0 };
	ssize_t n;

	if (!h) {
		return -EBADF;
	}
	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	n = pwrite(h->fd, call->req->data, call->req->data_len, in->offset);
	if (n < 0) {
		return -errno;
	}
	out.size = n;
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_release(struct fs_call *call)
{
	const struct fuse_release_in *in = call->req->in;

	return fs_handle_release(call->fs, in->fh, false);
}

int fs_op_flush(struct fs_call *call)
{
	const struct fuse_flush_in *in = call->req->in;

	return file(call, in->fh) ? 0 : -EBADF;
}

static int do_fsync(struct handle *h, uint32_t flags)
{
	if (!h) {
		return -EBADF;
	}
	if (flags & FUSE_FSYNC_FDATASYNC) {
		return fdatasync(h->fd) < 0 ? -errno : 0;
	}
	return fsync(h->fd) < 0 ? -errno : 0;
}

int fs_op_fsync(struct fs_call *call)
{
	const struct fuse_fsync_in *in = call->req->in;

	return do_fsync(file(call, in->fh), in->fsync_flags);
}

int fs_op_opendir(struct fs_call *call)
{
	int fd;

	if (call->cap < sizeof(struct fuse_open_out)) {
		return -EINVAL;
	}
	if (call->inode->type != S_IFDIR) {
		return -ENOTDIR;
	}
	fd = openat(call->inode->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	return reply_open(call, fd, true, call->out);
}

int fs_op_releasedir(struct fs_call *call)
{
	const struct fuse_release_in *in = call->req->in;

	return fs_handle_release(call->fs, in->fh, true);
}

int fs_op_fsyncdir(struct fs_call *call)
{
	const struct fuse_fsync_in *in = call->req->in;

	return do_fsync(fs_handle_find(call->fs, in->fh, true),
			in->fsync_flags);
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* Append one entry; returns its size, 0 if it does not fit, or -errno. */
static int emit_dirent(struct fs_call *call, bool plus,
		       const struct linux_dirent64 *d, uint8_t *at, size_t room)
{
	size_t namelen = strlen(d->d_name);
	size_t base = plus ? FUSE_NAME_OFFSET_DIRENTPLUS : FUSE_NAME_OFFSET;
	size_t size = FUSE_DIRENT_ALIGN(base + namelen);
	struct fuse_direntplus dp;
	int ret;

	if (size > room) {
		return 0;
	}
	memset(&dp, 0, sizeof(dp));
	if (plus && !is_dot(d->d_name)) {
		ret = fs_do_lookup(call->fs, call->inode, d->d_name,
				   &dp.entry_out);
		if (ret < 0) {
			return ret;
		}
	} else if (plus) {
		dp.entry_out.attr.ino = d->d_ino;
		dp.entry_out.attr.mode = d->d_type << 12;
	}
	dp.dirent.ino = d->d_ino;
	dp.dirent.off = d->d_off;
	dp.dirent.namelen = namelen;
	dp.dirent.type = d->d_type;
	memset(at, 0, size);
	if (plus) {
		memcpy(at, &dp, sizeof(dp));
	} else {
		memcpy(at, &dp.dirent, sizeof(dp.dirent));
	}
	memcpy(at + base, d->d_name, namelen);
	return size;
}

static int fill_dir(struct fs_call *call, struct handle *h, size_t want,
		    bool plus)
{
	size_t used = 0, bufsize = want < 65536 ? want : 65536;
	char *buf = malloc(bufsize + 512);
	long n;

	if (!buf) {
		return -ENOMEM;
	}
	n = syscall(SYS_getdents64, h->fd, buf, bufsize + 512);
	if (n < 0) {
		free(buf);
		return -errno;
	}
	for (long pos = 0; pos < n;) {
		const struct linux_dirent64 *d = (void *)(buf + pos);
		int size = emit_dirent(call, plus, d, call->out + used,
				       want - used);

		if (size == 0) {
			break;
		}
		if (size < 0 && size != -ENOENT) {
			/* Out of fds or memory: stop here, never skip. */
			free(buf);
			return used ? (int)used : size;
		}
		if (size > 0) {
			used += size;
		}
		/* An entry that vanished since getdents is skipped. */
		pos += d->d_reclen;
	}
	free(buf);
	return used;
}

static int do_readdir(struct fs_call *call, bool plus)
{
	const struct fuse_read_in *in = call->req->in;
	struct handle *h = fs_handle_find(call->fs, in->fh, true);
	size_t want = in->size < call->cap ? in->size : call->cap;
	int ret;

	if (!h) {
		return -EBADF;
	}
	pthread_mutex_lock(&h->lock);
	if (lseek(h->fd, in->offset, SEEK_SET) < 0) {
		ret = -errno;
	} else {
		ret = fill_dir(call, h, want, plus);
	}
	pthread_mutex_unlock(&h->lock);
	return ret;
}

int fs_op_readdir(struct fs_call *call)
{
	return do_readdir(call, false);
}

int fs_op_readdirplus(struct fs_call *call)
{
	return do_readdir(call, true);
}

int fs_op_fallocate(struct fs_call *call)
{
	const struct fuse_fallocate_in *in = call->req->in;
	struct handle *h = file(call, in->fh);

	if (!h) {
		return -EBADF;
	}
	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	return fallocate(h->fd, in->mode, in->offset, in->length) < 0 ? -errno :
									0;
}

int fs_op_lseek(struct fs_call *call)
{
	const struct fuse_lseek_in *in = call->req->in;
	struct handle *h = file(call, in->fh);
	struct fuse_lseek_out out;
	off_t off;

	if (!h) {
		return -EBADF;
	}
	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	off = lseek(h->fd, in->offset, in->whence);
	if (off < 0) {
		return -errno;
	}
	out.offset = off;
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_copy_file_range(struct fs_call *call)
{
	const struct fuse_copy_file_range_in *in = call->req->in;
	struct handle *src = file(call, in->fh_in);
	struct handle *dst = file(call, in->fh_out);
	struct fuse_write_out out = { 0 };
	loff_t off_in = in->off_in, off_out = in->off_out;
	ssize_t n;

	if (!src || !dst) {
		return -EBADF;
	}
	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	n = copy_file_range(src->fd, &off_in, dst->fd, &off_out, in->len, 0);
	if (n < 0) {
		return -errno;
	}
	out.size = n;
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_syncfs(struct fs_call *call)
{
	return syncfs(call->fs->root_rd_fd) < 0 ? -errno : 0;
}

/* Extended attributes work on a real fd of a file or directory. */
static int xattr_fd(struct fs_call *call, bool write)
{
	if (!call->fs->cfg.xattr) {
		return -ENOSYS;
	}
	if (write && call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (call->inode->type != S_IFREG && call->inode->type != S_IFDIR) {
		return -EOPNOTSUPP;
	}
	return fs_inode_open(call->fs, call->inode, O_RDONLY | O_NONBLOCK);
}

static int size_reply(struct fs_call *call, ssize_t n)
{
	struct fuse_getxattr_out out = { .size = n };

	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

static int do_getxattr(struct fs_call *call, bool list)
{
	const struct fuse_getxattr_in *in = call->req->in;
	size_t size = in->size < call->cap ? in->size : call->cap;
	int fd = xattr_fd(call, false);
	ssize_t n;

	if (fd < 0) {
		return fd;
	}
	if (list) {
		n = flistxattr(fd, in->size ? (char *)call->out : NULL,
			       in->size ? size : 0);
	} else {
		n = fgetxattr(fd, call->req->name, in->size ? call->out : NULL,
			      in->size ? size : 0);
	}
	n = n < 0 ? -errno : n;
	close(fd);
	if (n < 0) {
		return n;
	}
	return in->size ? n : size_reply(call, n);
}

int fs_op_getxattr(struct fs_call *call)
{
	return do_getxattr(call, false);
}

int fs_op_listxattr(struct fs_call *call)
{
	return do_getxattr(call, true);
}

int fs_op_setxattr(struct fs_call *call)
{
	const struct fuse_setxattr_in *in = call->req->in;
	int fd = xattr_fd(call, true), ret;

	if (fd < 0) {
		return fd;
	}
	ret = fsetxattr(fd, call->req->name, call->req->data,
			call->req->data_len, in->flags);
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

int fs_op_removexattr(struct fs_call *call)
{
	int fd = xattr_fd(call, true), ret;

	if (fd < 0) {
		return fd;
	}
	ret = fremovexattr(fd, call->req->name) < 0 ? -errno : 0;
	close(fd);
	return ret;
}
