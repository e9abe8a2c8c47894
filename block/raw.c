/* SPDX-License-Identifier: MIT */
/* The raw format: the image is the disk, byte for byte. */
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block/block-int.h"
#include "util/types.h"

static int raw_probe(const uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	return 1;
}

static struct block *raw_open(const char *filename, int flags, int depth,
			      struct error **errp)
{
	struct block *bs = calloc(1, sizeof(*bs));
	int64_t size;

	(void)depth;
	if (!bs) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	if (!block_init_common(bs, &block_raw_driver, filename, flags, errp)) {
		free(bs);
		return NULL;
	}
	size = block_file_size(&bs->file);
	if (size < 0) {
		error_setg_errno(errp, (int)-size, "could not stat '%s'",
				 filename);
		block_cleanup_common(bs);
		free(bs);
		return NULL;
	}
	/* Whole sectors, as QEMU: a partial tail sector reads as zeros. */
	bs->size = ((uint64_t)size + 511) & ~511ull;
	return bs;
}

static void raw_close(struct block *bs)
{
	block_cleanup_common(bs);
	free(bs);
}

static int raw_pread(struct block *bs, uint64_t offset, void *buf, size_t len)
{
	ssize_t n = block_file_pread(&bs->file, offset, buf, len);

	if (n < 0) {
		return (int)n;
	}
	/* The file shrank under us: the missing tail reads as zeros. */
	memset((char *)buf + n, 0, len - n);
	return 0;
}

static int raw_pwrite(struct block *bs, uint64_t offset, const void *buf,
		      size_t len)
{
	return block_file_pwrite(&bs->file, offset, buf, len);
}

/* Write zeros the slow way, for file systems without fallocate modes. */
static int raw_write_zero_buffers(struct block *bs, uint64_t offset,
				  uint64_t len)
{
	size_t chunk = MIN(len, 1u << 20);
	uint8_t *zero = calloc(1, chunk);
	int ret = 0;

	if (!zero) {
		return -ENOMEM;
	}
	while (len && !ret) {
		size_t n = MIN(len, chunk);

		ret = block_file_pwrite(&bs->file, offset, zero, n);
		offset += n;
		len -= n;
	}
	free(zero);
	return ret;
}

static int raw_pwrite_zeroes(struct block *bs, uint64_t offset, uint64_t len)
{
	if (!fallocate(bs->file.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		       (off_t)offset, (off_t)len) ||
	    !fallocate(bs->file.fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		       (off_t)offset, (off_t)len)) {
		return 0;
	}
	return raw_write_zero_buffers(bs, offset, len);
}

static int raw_discard(struct block *bs, uint64_t offset, uint64_t len)
{
	/* Advisory: a file system that cannot punch holes keeps data. */
	fallocate(bs->file.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		  (off_t)offset, (off_t)len);
	return 0;
}

static int raw_flush(struct block *bs)
{
	return block_file_flush(&bs->file);
}

/* Holes of a sparse file read as zeros: find them with SEEK_DATA/HOLE. */
static int raw_get_status(struct block *bs, uint64_t offset, uint64_t len,
			  uint64_t *pnum, uint64_t *host_offset)
{
	off_t data, hole;

	*host_offset = offset;
	*pnum = len;
	data = lseek(bs->file.fd, (off_t)offset, SEEK_DATA);
	if (data < 0) {
		if (errno == ENXIO) {
			/* Past the last data: a hole up to the end. */
			return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED |
			       BLOCK_STATUS_OFFSET_VALID;
		}
		return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED |
		       BLOCK_STATUS_OFFSET_VALID;
	}
	if ((uint64_t)data > offset) {
		*pnum = MIN(len, (uint64_t)data - offset);
		return BLOCK_STATUS_ZERO | BLOCK_STATUS_ALLOCATED |
		       BLOCK_STATUS_OFFSET_VALID;
	}
	hole = lseek(bs->file.fd, (off_t)offset, SEEK_HOLE);
	if (hole > (off_t)offset) {
		*pnum = MIN(len, (uint64_t)hole - offset);
	}
	return BLOCK_STATUS_DATA | BLOCK_STATUS_ALLOCATED |
	       BLOCK_STATUS_OFFSET_VALID;
}

static bool raw_resize(struct block *bs, uint64_t size, struct error **errp)
{
	int ret = block_file_truncate(&bs->file, size);

	if (ret) {
		error_setg_errno(errp, -ret, "could not resize '%s'",
				 bs->filename);
		return false;
	}
	bs->size = size;
	return true;
}

static bool raw_create(const char *filename,
		       const struct block_create_opts *opts,
		       struct error **errp)
{
	int fd;

	if (opts->backing_file) {
		error_setg(errp, "format raw does not support backing files");
		return false;
	}
	if (opts->cluster_size || opts->compat) {
		error_setg(errp, "format raw has no cluster_size or compat");
		return false;
	}
	fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		error_setg_errno(errp, errno, "could not create '%s'",
				 filename);
		return false;
	}
	if (ftruncate(fd, (off_t)opts->size)) {
		error_setg_errno(errp, errno, "could not resize '%s'",
				 filename);
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

const struct block_driver block_raw_driver = {
	.name = "raw",
	.probe = raw_probe,
	.open = raw_open,
	.close = raw_close,
	.pread = raw_pread,
	.pwrite = raw_pwrite,
	.pwrite_zeroes = raw_pwrite_zeroes,
	.discard = raw_discard,
	.flush = raw_flush,
	.get_status = raw_get_status,
	.resize = raw_resize,
	.create = raw_create,
};
