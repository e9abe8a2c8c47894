/* SPDX-License-Identifier: MIT */
/* Inode and handle tables shared by the passthrough file system's files. */
#ifndef VIRTIOFSD_FS_INTERNAL_H
#define VIRTIOFSD_FS_INTERNAL_H

#include <linux/fuse.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tools/virtiofsd/fs.h"
#include "tools/virtiofsd/fuse-req.h"

#define FS_HASH_BUCKETS 4096
/* A handler's result meaning "send nothing back". */
#define FS_NO_REPLY 0x7fffffff

struct inode {
	int fd; /* O_PATH, never followed */
	dev_t dev;
	ino_t ino;
	mode_t type; /* S_IFMT bits */
	uint64_t nodeid;
	uint64_t nlookup;
	unsigned refs; /* users outside the table lock */
	struct inode *next_id;
	struct inode *next_key;
};

struct handle {
	int fd;
	bool dir;
	pthread_mutex_t lock; /* directory offset */
};

struct fs {
	struct fs_config cfg;
	int proc_fd;
	int root_rd_fd; /* for syncfs */
	pthread_mutex_t lock;
	struct inode *root;
	struct inode *by_id[FS_HASH_BUCKETS];
	struct inode *by_key[FS_HASH_BUCKETS];
	uint64_t next_nodeid;
	struct handle **handles;
	unsigned nhandles;
	uint32_t minor;
	bool initialized;
};

/* The per-request context handed to every operation. */
struct fs_call {
	struct fs *fs;
	const struct fuse_req *req;
	struct inode *inode; /* req->hdr->nodeid, referenced */
	uint8_t *out; /* reply payload (after fuse_out_header) */
	size_t cap;
};

typedef int fs_op_fn(struct fs_call *call);

/* inode.c */
struct inode *fs_inode_get(struct fs *fs, uint64_t nodeid);
void fs_inode_put(struct fs *fs, struct inode *inode);
/* Take over fd (O_PATH) for (dev, ino); one more lookup reference. */
struct inode *fs_inode_add(struct fs *fs, int fd, const struct stat *st);
void fs_inode_forget(struct fs *fs, uint64_t nodeid, uint64_t nlookup);
void fs_inode_forget_all(struct fs *fs);
int fs_handle_new(struct fs *fs, int fd, bool dir, uint64_t *fh);
struct handle *fs_handle_find(struct fs *fs, uint64_t fh, bool dir);
int fs_handle_release(struct fs *fs, uint64_t fh, bool dir);
void fs_handles_release_all(struct fs *fs);
/* Reopen an inode with real open flags (through /proc/self/fd). */
int fs_inode_open(struct fs *fs, struct inode *inode, int flags);

/* fs-names.c: lookup and the namespace operations */
int fs_do_lookup(struct fs *fs, struct inode *parent, const char *name,
		 struct fuse_entry_out *entry);
void fs_fill_attr(struct fs *fs, struct fuse_attr *attr, const struct stat *st);
int fs_stat(struct inode *inode, struct stat *st);
extern fs_op_fn fs_op_lookup, fs_op_forget, fs_op_batch_forget, fs_op_getattr,
	fs_op_setattr, fs_op_readlink, fs_op_symlink, fs_op_mknod, fs_op_mkdir,
	fs_op_unlink, fs_op_rmdir, fs_op_rename, fs_op_link, fs_op_statfs,
	fs_op_access;

/* fs-io.c: files, directories, xattrs */
extern fs_op_fn fs_op_open, fs_op_create, fs_op_read, fs_op_write,
	fs_op_release, fs_op_flush, fs_op_fsync, fs_op_opendir, fs_op_readdir,
	fs_op_readdirplus, fs_op_releasedir, fs_op_fsyncdir, fs_op_fallocate,
	fs_op_lseek, fs_op_copy_file_range, fs_op_syncfs, fs_op_setxattr,
	fs_op_getxattr, fs_op_listxattr, fs_op_removexattr;

#endif
