/* SPDX-License-Identifier: MIT */
/* The passthrough file system: FUSE requests served from a host directory. */
#ifndef VIRTIOFSD_FS_H
#define VIRTIOFSD_FS_H

#include <stdbool.h>
#include <stddef.h>

enum fs_cache {
	FS_CACHE_AUTO,
	FS_CACHE_ALWAYS,
	FS_CACHE_NEVER,
};

struct fs_config {
	enum fs_cache cache;
	bool readonly;
	bool xattr;
};

struct fs;

/* root_fd: the shared directory; proc_fd: /proc/self/fd (both O_PATH). */
struct fs *fs_new(int root_fd, int proc_fd, const struct fs_config *cfg);
void fs_free(struct fs *fs);
/*
 * Serve one request (in[0..in_len)) and write the reply into out (at most
 * out_cap bytes). Returns the reply's length; 0 means no reply is due (FORGET,
 * or a request too broken to address).
 */
size_t fs_handle(struct fs *fs, const void *in, size_t in_len, void *out,
		 size_t out_cap);

#endif
