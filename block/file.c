/* SPDX-License-Identifier: MIT */
/* Host file I/O for the image drivers: positioned, full-length, O_DIRECT-safe. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block-int.h"
#include "util/types.h"

#define BLOCK_FILE_DIRECT_ALIGN 4096

/*
 * Image locking as QEMU does it, so that neither program writes an image
 * the other is using: open file description locks on single bytes. Byte
 * 100 + bit says "I use permission bit", byte 200 + bit says "I do not let
 * others have it". Bits: 0 consistent read, 1 write, 2 write-unchanged,
 * 3 resize. A read-write user takes read, write and resize and shares
 * neither write nor resize; a reader takes read and does not share write
 * or resize either (unless told to share everything, qemu-img's -U).
 */
#define BLOCK_LOCK_PERM_BASE 100
#define BLOCK_LOCK_SHARED_BASE 200

enum {
	BLOCK_PERM_READ = 1 << 0,
	BLOCK_PERM_WRITE = 1 << 1,
	BLOCK_PERM_RESIZE = 1 << 3,
};

static const char *const block_perm_names[] = {
	"consistent read",
	"write",
	"write unchanged",
	"resize",
};

/* Does another open file description hold a read lock on byte? */
static bool block_file_byte_taken(int fd, off_t byte)
{
	struct flock fl = { .l_type = F_WRLCK,
			    .l_whence = SEEK_SET,
			    .l_start = byte,
			    .l_len = 1 };

	if (fcntl(fd, F_OFD_GETLK, &fl)) {
		return false; /* no locking here: nothing to honour */
	}
	return fl.l_type != F_UNLCK;
}

static bool block_file_lock_byte(int fd, off_t byte)
{
	struct flock fl = { .l_type = F_RDLCK,
			    .l_whence = SEEK_SET,
			    .l_start = byte,
			    .l_len = 1 };

	return !fcntl(fd, F_OFD_SETLK, &fl) || errno == EINVAL ||
	       errno == ENOTSUP || errno == ENOLCK;
}

static bool block_file_lock(struct block_file *f, const char *filename,
			    int flags, struct error **errp)
{
	unsigned perms = BLOCK_PERM_READ, unshared = 0;

	if (flags & BLOCK_NO_LOCK) {
		return true;
	}
	if (flags & BLOCK_RDWR) {
		perms |= BLOCK_PERM_WRITE | BLOCK_PERM_RESIZE;
	}
	if ((flags & BLOCK_RDWR) || !(flags & BLOCK_FORCE_SHARE)) {
		unshared = BLOCK_PERM_WRITE | BLOCK_PERM_RESIZE;
	}
	for (unsigned bit = 0; bit < 4; bit++) {
		if ((perms & (1u << bit)) &&
		    block_file_byte_taken(f->fd,
					  BLOCK_LOCK_SHARED_BASE + bit)) {
			error_setg(
				errp,
				"'%s': failed to get \"%s\" lock (is another "
				"process using the image?)",
				filename, block_perm_names[bit]);
			return false;
		}
		if ((unshared & (1u << bit)) &&
		    block_file_byte_taken(f->fd, BLOCK_LOCK_PERM_BASE + bit)) {
			error_setg(errp,
				   "'%s': failed to get shared \"%s\" lock (is "
				   "another process using the image?)",
				   filename, block_perm_names[bit]);
			return false;
		}
	}
	for (unsigned bit = 0; bit < 4; bit++) {
		if (((perms & (1u << bit)) &&
		     !block_file_lock_byte(f->fd,
					   BLOCK_LOCK_PERM_BASE + bit)) ||
		    ((unshared & (1u << bit)) &&
		     !block_file_lock_byte(f->fd,
					   BLOCK_LOCK_SHARED_BASE + bit))) {
			error_setg_errno(errp, errno, "could not lock '%s'",
					 filename);
			return false;
		}
	}
	return true;
}

static bool block_file_open_fd(struct block_file *f, const char *filename,
			       int flags, struct error **errp);

bool block_file_open(struct block_file *f, const char *filename, int flags,
		     struct error **errp)
{
	if (!block_file_open_fd(f, filename, flags, errp)) {
		return false;
	}
	if (!block_file_lock(f, filename, flags, errp)) {
		close(f->fd);
		f->fd = -1;
		pthread_mutex_destroy(&f->rmw_lock);
		return false;
	}
	return true;
}

static bool block_file_open_fd(struct block_file *f, const char *filename,
			       int flags, struct error **errp)
{
	int oflags = O_CLOEXEC | ((flags & BLOCK_RDWR) ? O_RDWR : O_RDONLY);

	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->writable = flags & BLOCK_RDWR;
	f->align = 1;
	pthread_mutex_init(&f->rmw_lock, NULL);
	if (flags & BLOCK_NOCACHE) {
		f->fd = open(filename, oflags | O_DIRECT);
		if (f->fd >= 0) {
			f->direct = true;
			f->align = BLOCK_FILE_DIRECT_ALIGN;
			return true;
		}
		/* tmpfs and friends have no O_DIRECT: fall back quietly. */
		if (errno != EINVAL) {
			error_setg_errno(errp, errno, "could not open '%s'",
					 filename);
			return false;
		}
	}
	f->fd = open(filename, oflags);
	if (f->fd < 0) {
		error_setg_errno(errp, errno, "could not open '%s'", filename);
		return false;
	}
	return true;
}

void block_file_close(struct block_file *f)
{
	if (f->fd >= 0) {
		close(f->fd);
	}
	f->fd = -1;
	pthread_mutex_destroy(&f->rmw_lock);
}

static ssize_t block_file_pread_raw(int fd, uint64_t offset, void *buf,
				    size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(offset + done));

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			break;
		}
		done += n;
	}
	return done;
}

static int block_file_pwrite_raw(int fd, uint64_t offset, const void *buf,
				 size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
				   (off_t)(offset + done));

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		if (n == 0) {
			return -EIO;
		}
		done += n;
	}
	return 0;
}

static bool block_file_aligned(struct block_file *f, uint64_t offset,
			       const void *buf, size_t len)
{
	uint64_t mask = f->align - 1;

	return !((offset | len | (uintptr_t)buf) & mask);
}

ssize_t block_file_pread(struct block_file *f, uint64_t offset, void *buf,
			 size_t len)
{
	uint64_t start, end;
	void *bounce;
	ssize_t n;

	if (offset > INT64_MAX || len > INT64_MAX - offset) {
		return -EINVAL;
	}
	if (!f->direct || block_file_aligned(f, offset, buf, len)) {
		return block_file_pread_raw(f->fd, offset, buf, len);
	}
	start = offset & ~(uint64_t)(f->align - 1);
	end = (offset + len + f->align - 1) & ~(uint64_t)(f->align - 1);
	if (posix_memalign(&bounce, f->align, end - start)) {
		return -ENOMEM;
	}
	n = block_file_pread_raw(f->fd, start, bounce, end - start);
	if (n >= 0) {
		n = n > (ssize_t)(offset - start) ?
			    n - (ssize_t)(offset - start) :
			    0;
		n = MIN((size_t)n, len);
		memcpy(buf, (char *)bounce + (offset - start), n);
	}
	free(bounce);
	return n;
}

int block_file_pwrite(struct block_file *f, uint64_t offset, const void *buf,
		      size_t len)
{
	uint64_t start, end;
	void *bounce;
	ssize_t n;
	int ret;

	if (!f->writable) {
		return -EROFS;
	}
	if (offset > INT64_MAX || len > INT64_MAX - offset) {
		return -EINVAL;
	}
	if (!f->direct || block_file_aligned(f, offset, buf, len)) {
		return block_file_pwrite_raw(f->fd, offset, buf, len);
	}
	start = offset & ~(uint64_t)(f->align - 1);
	end = (offset + len + f->align - 1) & ~(uint64_t)(f->align - 1);
	if (posix_memalign(&bounce, f->align, end - start)) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&f->rmw_lock);
	n = block_file_pread_raw(f->fd, start, bounce, end - start);
	if (n < 0) {
		ret = n;
		goto out;
	}
	memset((char *)bounce + n, 0, end - start - n);
	memcpy((char *)bounce + (offset - start), buf, len);
	ret = block_file_pwrite_raw(f->fd, start, bounce, end - start);
	if (!ret && (uint64_t)n < offset + len - start) {
		/* Do not leave the file longer than the caller wrote. */
		int64_t size = block_file_size(f);

		if (size >= 0 && (uint64_t)size > offset + len) {
			ret = ftruncate(f->fd, offset + len) ? -errno : 0;
		}
	}
out:
	pthread_mutex_unlock(&f->rmw_lock);
	free(bounce);
	return ret;
}

int block_file_flush(struct block_file *f)
{
	if (!f->writable) {
		return 0;
	}
	return fdatasync(f->fd) ? -errno : 0;
}

int64_t block_file_size(struct block_file *f)
{
	struct stat st;

	if (fstat(f->fd, &st)) {
		return -errno;
	}
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(f->fd, 0, SEEK_END);

		return end < 0 ? -errno : end;
	}
	return st.st_size;
}

int block_file_truncate(struct block_file *f, uint64_t size)
{
	if (!f->writable) {
		return -EROFS;
	}
	return ftruncate(f->fd, (off_t)size) ? -errno : 0;
}

int64_t block_file_allocated(struct block_file *f)
{
	struct stat st;

	if (fstat(f->fd, &st)) {
		return -errno;
	}
	return (int64_t)st.st_blocks * 512;
}
