/* SPDX-License-Identifier: MIT */
/* The virtio-fs device: FUSE requests from virtqueues to the file system. */
#ifndef VIRTIOFSD_FS_DEVICE_H
#define VIRTIOFSD_FS_DEVICE_H

#include "lib/vhost-user-backend/vhost-user-backend.h"
#include "tools/virtiofsd/fs.h"

struct fs_device;

/* One hiprio queue plus num_request_queues request queues. */
struct fs_device *fs_device_new(struct fs *fs, const char *tag,
				unsigned num_request_queues,
				unsigned thread_pool_size);
void fs_device_free(struct fs_device *d);
/* Serve the frontend on sock until it disconnects. Returns 0 or -errno. */
int fs_device_serve(struct fs_device *d, int sock);

#endif
