/* SPDX-License-Identifier: MIT */
/* Lookup, attributes and namespace operations of the passthrough fs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tools/virtiofsd/fs-internal.h"

/* Every name is one component resolved beneath its directory fd. */
#define RESOLVE_FLAGS \
	(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS)

static int openat2_beneath(int dirfd, const char *name, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = flags | O_NOFOLLOW | O_CLOEXEC,
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_FLAGS,
	};
	long fd = syscall(SYS_openat2, dirfd, name, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

int fs_stat(struct inode *inode, struct stat *st)
{
	if (fstatat(inode->fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) <
	    0) {
		return -errno;
	}
	return 0;
}

static void timeout(struct fs *fs, uint64_t *sec, uint32_t *nsec)
{
	*sec = fs->cfg.cache == FS_CACHE_NEVER	? 0 :
	       fs->cfg.cache == FS_CACHE_ALWAYS ? 86400 :
						  1;
	*nsec = 0;
}

void fs_fill_attr(struct fs *fs, struct fuse_attr *a, const struct stat *st)
{
	memset(a, 0, sizeof(*a));
	a->ino = st->st_ino;
	a->size = st->st_size;
	a->blocks = st->st_blocks;
	a->atime = st->st_atim.tv_sec;
	a->mtime = st->st_mtim.tv_sec;
	a->ctime = st->st_ctim.tv_sec;
	a->atimensec = st->st_atim.tv_nsec;
	a->mtimensec = st->st_mtim.tv_nsec;
	a->ctimensec = st->st_ctim.tv_nsec;
	a->mode = st->st_mode;
	a->nlink = st->st_nlink;
	a->uid = st->st_uid;
	a->gid = st->st_gid;
	a->rdev = st->st_rdev;
	a->blksize = st->st_blksize;
}

int fs_do_lookup(struct fs *fs, struct inode *parent, const char *name,
		 struct fuse_entry_out *entry)
{
	struct inode *inode;
	struct stat st;
	int fd = openat2_beneath(parent->fd, name, O_PATH, 0);

	if (fd < 0) {
		return fd;
	}
	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	inode = fs_inode_add(fs, fd, &st);
	if (!inode) {
		return -ENOMEM;
	}
	memset(entry, 0, sizeof(*entry));
	entry->nodeid = inode->nodeid;
	timeout(fs, &entry->entry_valid, &entry->entry_valid_nsec);
	timeout(fs, &entry->attr_valid, &entry->attr_valid_nsec);
	fs_fill_attr(fs, &entry->attr, &st);
	return 0;
}

static int reply_entry(struct fs_call *call, struct inode *parent,
		       const char *name)
{
	struct fuse_entry_out entry;
	int ret;

	if (call->cap < sizeof(entry)) {
		return -EINVAL;
	}
	ret = fs_do_lookup(call->fs, parent, name, &entry);
	if (ret < 0) {
		return ret;
	}
	memcpy(call->out, &entry, sizeof(entry));
	return sizeof(entry);
}

int fs_op_lookup(struct fs_call *call)
{
	return reply_entry(call, call->inode, call->req->name);
}

int fs_op_forget(struct fs_call *call)
{
	const struct fuse_forget_in *in = call->req->in;

	fs_inode_forget(call->fs, call->req->hdr->nodeid, in->nlookup);
	return FS_NO_REPLY;
}

int fs_op_batch_forget(struct fs_call *call)
{
	const struct fuse_req *req = call->req;
	size_t n = req->data_len / sizeof(struct fuse_forget_one);

	for (size_t i = 0; i < n; i++) {
		struct fuse_forget_one one;

		memcpy(&one, req->data + i * sizeof(one), sizeof(one));
		fs_inode_forget(call->fs, one.nodeid, one.nlookup);
	}
	return FS_NO_REPLY;
}

static int reply_attr(struct fs_call *call)
{
	struct fuse_attr_out out;
	struct stat st;
	int ret = fs_stat(call->inode, &st);

	if (ret < 0) {
		return ret;
	}
	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	memset(&out, 0, sizeof(out));
	timeout(call->fs, &out.attr_valid, &out.attr_valid_nsec);
	fs_fill_attr(call->fs, &out.attr, &st);
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_getattr(struct fs_call *call)
{
	return reply_attr(call);
}

static int proc_name(struct inode *inode, char *buf, size_t len)
{
	snprintf(buf, len, "%d", inode->fd);
	return 0;
}

static int set_mode(struct fs_call *call, int hfd, mode_t mode)
{
	char name[16];

	if (hfd >= 0) {
		return fchmod(hfd, mode) < 0 ? -errno : 0;
	}
	if (call->inode->type == S_IFLNK) {
		return -EOPNOTSUPP;
	}
	proc_name(call->inode, name, sizeof(name));
	return fchmodat(call->fs->proc_fd, name, mode, 0) < 0 ? -errno : 0;
}

static int set_size(struct fs_call *call, int hfd, uint64_t size)
{
	int fd = hfd, ret = 0;

	if (fd < 0) {
		fd = fs_inode_open(call->fs, call->inode, O_WRONLY);
		if (fd < 0) {
			return fd;
		}
	}
	if (ftruncate(fd, size) < 0) {
		ret = -errno;
	}
	if (hfd < 0) {
		close(fd);
	}
	return ret;
}

static struct timespec to_ts(uint32_t valid, uint32_t set, uint32_t now,
			     uint64_t sec, uint32_t nsec)
{
	struct timespec ts = { 0, UTIME_OMIT };

	if (valid & now) {
		ts.tv_nsec = UTIME_NOW;
	} else if (valid & set) {
		ts.tv_sec = sec;
		ts.tv_nsec = nsec;
	}
	return ts;
}

static int set_times(struct fs_call *call, int hfd,
		     const struct fuse_setattr_in *in)
{
	struct timespec ts[2] = {
		to_ts(in->valid, FATTR_ATIME, FATTR_ATIME_NOW, in->atime,
		      in->atimensec),
		to_ts(in->valid, FATTR_MTIME, FATTR_MTIME_NOW, in->mtime,
		      in->mtimensec),
	};
	char name[16];

	if (hfd >= 0) {
		return futimens(hfd, ts) < 0 ? -errno : 0;
	}
	if (call->inode->type == S_IFLNK) {
		return utimensat(call->inode->fd, "", ts,
				 AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0 ?
			       -errno :
			       0;
	}
	proc_name(call->inode, name, sizeof(name));
	return utimensat(call->fs->proc_fd, name, ts, 0) < 0 ? -errno : 0;
}

int fs_op_setattr(struct fs_call *call)
{
	const struct fuse_setattr_in *in = call->req->in;
	int hfd = -1, ret = 0;

	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (in->valid & FATTR_FH) {
		struct handle *h = fs_handle_find(call->fs, in->fh, false);

		hfd = h ? h->fd : -1;
	}
	if (in->valid & FATTR_MODE) {
		ret = set_mode(call, hfd, in->mode & 07777);
	}
	if (!ret && (in->valid & (FATTR_UID | FATTR_GID))) {
		uid_t uid = (in->valid & FATTR_UID) ? in->uid : (uid_t)-1;
		gid_t gid = (in->valid & FATTR_GID) ? in->gid : (gid_t)-1;

		if (fchownat(call->inode->fd, "", uid, gid,
			     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
			ret = -errno;
		}
	}
	if (!ret && (in->valid & FATTR_SIZE)) {
		ret = set_size(call, hfd, in->size);
	}
	if (!ret && (in->valid & (FATTR_ATIME | FATTR_MTIME | FATTR_ATIME_NOW |
				  FATTR_MTIME_NOW))) {
		ret = set_times(call, hfd, in);
	}
	return ret < 0 ? ret : reply_attr(call);
}

int fs_op_readlink(struct fs_call *call)
{
	ssize_t n =
		readlinkat(call->inode->fd, "", (char *)call->out, call->cap);

	if (n < 0) {
		return -errno;
	}
	return n;
}

/* Create as the guest's caller: files get the right owner. */
struct creds {
	uid_t uid;
	gid_t gid;
};

static struct creds creds_enter(const struct fuse_in_header *hdr)
{
	struct creds old = { geteuid(), getegid() };

	setfsgid(hdr->gid);
	setfsuid(hdr->uid);
	return old;
}

static void creds_leave(struct creds old)
{
	setfsuid(old.uid);
	setfsgid(old.gid);
}

static int make_node(struct fs_call *call)
{
	const struct fuse_req *req = call->req;
	int dirfd = call->inode->fd, ret = 0;
	struct creds old;

	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	old = creds_enter(req->hdr);
	if (req->opcode == FUSE_MKDIR) {
		const struct fuse_mkdir_in *in = req->in;

		ret = mkdirat(dirfd, req->name, in->mode & 07777);
	} else if (req->opcode == FUSE_MKNOD) {
		const struct fuse_mknod_in *in = req->in;

		ret = mknodat(dirfd, req->name, in->mode, in->rdev);
	} else {
		ret = symlinkat(req->name2, dirfd, req->name);
	}
	ret = ret < 0 ? -errno : 0;
	creds_leave(old);
	return ret < 0 ? ret : reply_entry(call, call->inode, req->name);
}

int fs_op_symlink(struct fs_call *call)
{
	return make_node(call);
}

int fs_op_mknod(struct fs_call *call)
{
	return make_node(call);
}

int fs_op_mkdir(struct fs_call *call)
{
	return make_node(call);
}

int fs_op_unlink(struct fs_call *call)
{
	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	return unlinkat(call->inode->fd, call->req->name, 0) < 0 ? -errno : 0;
}

int fs_op_rmdir(struct fs_call *call)
{
	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	return unlinkat(call->inode->fd, call->req->name, AT_REMOVEDIR) < 0 ?
		       -errno :
		       0;
}

int fs_op_rename(struct fs_call *call)
{
	const struct fuse_req *req = call->req;
	uint64_t newdir;
	unsigned flags = 0;
	struct inode *dst;
	int ret = 0;

	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	if (req->opcode == FUSE_RENAME2) {
		const struct fuse_rename2_in *in = req->in;

		newdir = in->newdir;
		flags = in->flags;
		if (flags &
		    ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) {
			return -EINVAL;
		}
	} else {
		newdir = ((const struct fuse_rename_in *)req->in)->newdir;
	}
	dst = fs_inode_get(call->fs, newdir);
	if (!dst) {
		return -ENOENT;
	}
	if (renameat2(call->inode->fd, req->name, dst->fd, req->name2, flags) <
	    0) {
		ret = -errno;
	}
	fs_inode_put(call->fs, dst);
	return ret;
}

int fs_op_link(struct fs_call *call)
{
	const struct fuse_link_in *in = call->req->in;
	struct inode *old;
	char name[16];
	int ret;

	if (call->fs->cfg.readonly) {
		return -EROFS;
	}
	old = fs_inode_get(call->fs, in->oldnodeid);
	if (!old) {
		return -ENOENT;
	}
	ret = linkat(old->fd, "", call->inode->fd, call->req->name,
		     AT_EMPTY_PATH);
	if (ret < 0 && errno == ENOENT && old->type != S_IFLNK) {
		proc_name(old, name, sizeof(name));
		ret = linkat(call->fs->proc_fd, name, call->inode->fd,
			     call->req->name, AT_SYMLINK_FOLLOW);
	}
	ret = ret < 0 ? -errno : 0;
	fs_inode_put(call->fs, old);
	return ret < 0 ? ret : reply_entry(call, call->inode, call->req->name);
}

int fs_op_statfs(struct fs_call *call)
{
	struct fuse_statfs_out out;
	struct statfs sf;

	if (fstatfs(call->inode->fd, &sf) < 0) {
		return -errno;
	}
	if (call->cap < sizeof(out)) {
		return -EINVAL;
	}
	memset(&out, 0, sizeof(out));
	out.st.blocks = sf.f_blocks;
	out.st.bfree = sf.f_bfree;
	out.st.bavail = sf.f_bavail;
	out.st.files = sf.f_files;
	out.st.ffree = sf.f_ffree;
	out.st.bsize = sf.f_bsize;
	out.st.namelen = sf.f_namelen;
	out.st.frsize = sf.f_frsize;
	memcpy(call->out, &out, sizeof(out));
	return sizeof(out);
}

int fs_op_access(struct fs_call *call)
{
	const struct fuse_access_in *in = call->req->in;
	char name[16];

	if (call->inode->type == S_IFLNK) {
		return 0;
	}
	if ((in->mask & W_OK) && call->fs->cfg.readonly) {
		return -EROFS;
	}
	proc_name(call->inode, name, sizeof(name));
	return faccessat(call->fs->proc_fd, name, in->mask, 0) < 0 ? -errno : 0;
}
