/* SPDX-License-Identifier: MIT */
/* The generic block layer: format probing, driver dispatch, range checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block/block-int.h"
#include "util/types.h"

static const struct block_driver *const block_drivers[] = {
	&block_qcow2_driver,
	&block_raw_driver,
};

static const struct block_driver *block_find_driver(const char *format)
{
	for (size_t i = 0; i < sizeof(block_drivers) / sizeof(block_drivers[0]);
	     i++) {
		if (!strcmp(block_drivers[i]->name, format)) {
			return block_drivers[i];
		}
	}
	return NULL;
}

bool block_format_known(const char *format)
{
	return block_find_driver(format) != NULL;
}

bool block_parse_cache_mode(const char *mode, int *flags, struct error **errp)
{
	int f = *flags & ~(BLOCK_NOCACHE | BLOCK_WRITETHROUGH | BLOCK_NO_FLUSH);

	if (!strcmp(mode, "writeback")) {
		/* the default */
	} else if (!strcmp(mode, "none")) {
		f |= BLOCK_NOCACHE;
	} else if (!strcmp(mode, "writethrough")) {
		f |= BLOCK_WRITETHROUGH;
	} else if (!strcmp(mode, "directsync")) {
		f |= BLOCK_NOCACHE | BLOCK_WRITETHROUGH;
	} else if (!strcmp(mode, "unsafe")) {
		f |= BLOCK_NO_FLUSH;
	} else {
		error_setg(errp, "invalid cache mode '%s'", mode);
		return false;
	}
	*flags = f;
	return true;
}

const char *block_probe_format(const char *filename, struct error **errp)
{
	uint8_t buf[512];
	const struct block_driver *best = &block_raw_driver;
	int best_score = 0;
	ssize_t n;
	int fd;

	fd = open(filename, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error_setg_errno(errp, errno, "could not open '%s'", filename);
		return NULL;
	}
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n < 0) {
		error_setg_errno(errp, errno, "could not read '%s'", filename);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(block_drivers) / sizeof(block_drivers[0]);
	     i++) {
		int score = block_drivers[i]->probe(buf, n);

		if (score > best_score) {
			best_score = score;
			best = block_drivers[i];
		}
	}
	return best->name;
}

struct block *block_open_depth(const char *filename, const char *format,
			       int flags, int depth, struct error **errp)
{
	const struct block_driver *drv;

	if (depth > BLOCK_MAX_BACKING_DEPTH) {
		error_setg(errp, "backing chain of '%s' is too deep (a loop?)",
			   filename);
		return NULL;
	}
	if (!format) {
		format = block_probe_format(filename, errp);
		if (!format) {
			return NULL;
		}
	}
	drv = block_find_driver(format);
	if (!drv) {
		error_setg(errp, "unknown file format '%s'", format);
		return NULL;
	}
	return drv->open(filename, flags, depth, errp);
}

struct block *block_open(const char *filename, const char *format, int flags,
			 struct error **errp)
{
	return block_open_depth(filename, format, flags, 0, errp);
}

char *block_relative_path(const char *image, const char *name)
{
	const char *slash = strrchr(image, '/');
	char *path;

	if (name[0] == '/' || !slash) {
		return strdup(name);
	}
	if (asprintf(&path, "%.*s/%s", (int)(slash - image), image, name) < 0) {
		return NULL;
	}
	return path;
}

void block_close(struct block *bs)
{
	if (bs) {
		bs->drv->close(bs);
	}
}

bool block_init_common(struct block *bs, const struct block_driver *drv,
		       const char *filename, int flags, struct error **errp)
{
	bs->drv = drv;
	bs->flags = flags;
	bs->filename = strdup(filename);
	if (!bs->filename) {
		error_setg(errp, "out of memory");
		return false;
	}
	if (!block_file_open(&bs->file, filename, flags, errp)) {
		free(bs->filename);
		bs->filename = NULL;
		return false;
	}
	return true;
}

void block_cleanup_common(struct block *bs)
{
	block_file_close(&bs->file);
	free(bs->filename);
	bs->filename = NULL;
}

const char *block_format_name(const struct block *bs)
{
	return bs->drv->name;
}

const char *block_filename(const struct block *bs)
{
	return bs->filename;
}

uint64_t block_size(const struct block *bs)
{
	return bs->size;
}

int block_flags(const struct block *bs)
{
	return bs->flags;
}

uint64_t block_host_length(struct block *bs)
{
	int64_t len = block_file_size(&bs->file);

	return len < 0 ? 0 : (uint64_t)len;
}

struct block *block_backing(const struct block *bs)
{
	return bs->backing;
}

bool block_is_writable(const struct block *bs)
{
	return bs->flags & BLOCK_RDWR;
}

uint64_t block_cluster_size(const struct block *bs)
{
	return bs->drv->pwrite_compressed ? bs->cluster_size : 0;
}

static int block_check_range(struct block *bs, uint64_t offset, size_t len)
{
	if (offset > bs->size || len > bs->size - offset) {
		return -EINVAL;
	}
	return 0;
}

int block_pread(struct block *bs, uint64_t offset, void *buf, size_t len)
{
	int ret = block_check_range(bs, offset, len);

	if (ret || !len) {
		return ret;
	}
	return bs->drv->pread(bs, offset, buf, len);
}

int block_pwrite(struct block *bs, uint64_t offset, const void *buf, size_t len)
{
	int ret = block_check_range(bs, offset, len);

	if (ret || !len) {
		return ret;
	}
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	ret = bs->drv->pwrite(bs, offset, buf, len);
	if (!ret && (bs->flags & BLOCK_WRITETHROUGH)) {
		ret = bs->drv->flush(bs);
	}
	return ret;
}

int block_pwrite_compressed(struct block *bs, uint64_t offset, const void *buf,
			    size_t len)
{
	int ret = block_check_range(bs, offset, len);

	if (ret || !len) {
		return ret;
	}
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	if (!bs->drv->pwrite_compressed) {
		return -ENOTSUP;
	}
	return bs->drv->pwrite_compressed(bs, offset, buf, len);
}

int block_pwrite_zeroes(struct block *bs, uint64_t offset, uint64_t len)
{
	int ret = block_check_range(bs, offset, len);

	if (ret || !len) {
		return ret;
	}
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	ret = bs->drv->pwrite_zeroes(bs, offset, len);
	if (!ret && (bs->flags & BLOCK_WRITETHROUGH)) {
		ret = bs->drv->flush(bs);
	}
	return ret;
}

int block_discard(struct block *bs, uint64_t offset, uint64_t len)
{
	int ret = block_check_range(bs, offset, len);

	if (ret || !len) {
		return ret;
	}
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	return bs->drv->discard(bs, offset, len);
}

int block_flush(struct block *bs)
{
	if (!(bs->flags & BLOCK_RDWR) || (bs->flags & BLOCK_NO_FLUSH)) {
		return 0;
	}
	return bs->drv->flush(bs);
}

int block_get_status(struct block *bs, uint64_t offset, uint64_t len,
		     uint64_t *pnum, uint64_t *host_offset)
{
	uint64_t dummy;

	if (offset >= bs->size || !len) {
		return -EINVAL;
	}
	len = MIN(len, bs->size - offset);
	return bs->drv->get_status(bs, offset, len, pnum,
				   host_offset ? host_offset : &dummy);
}

int block_change_backing(struct block *bs, const char *name, const char *fmt)
{
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	if (!bs->drv->change_backing) {
		return -ENOTSUP;
	}
	return bs->drv->change_backing(bs, name, fmt);
}

int block_make_empty(struct block *bs)
{
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	if (!bs->drv->make_empty) {
		return -ENOTSUP;
	}
	return bs->drv->make_empty(bs);
}

int block_snapshot_list(struct block *bs, struct block_snapshot_info **list)
{
	if (!bs->drv->snapshot_list) {
		return -ENOTSUP;
	}
	return bs->drv->snapshot_list(bs, list);
}

void block_snapshot_list_free(struct block_snapshot_info *list, int count)
{
	for (int i = 0; list && i < count; i++) {
		free((char *)list[i].id);
		free((char *)list[i].name);
	}
	free(list);
}

int block_snapshot(struct block *bs, enum block_snapshot_op op,
		   const char *name)
{
	if (!(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	if (!bs->drv->snapshot) {
		return -ENOTSUP;
	}
	return bs->drv->snapshot(bs, op, name);
}

bool block_amend(struct block *bs, const struct block_amend_opts *o,
		 struct error **errp)
{
	if (!bs->drv->amend) {
		error_setg(errp,
			   "Format driver '%s' does not support option "
			   "amendment",
			   bs->drv->name);
		return false;
	}
	if (!(bs->flags & BLOCK_RDWR)) {
		error_setg(errp, "'%s' is opened read-only", bs->filename);
		return false;
	}
	return bs->drv->amend(bs, o, errp);
}

bool block_resize(struct block *bs, uint64_t size, struct error **errp)
{
	if (!(bs->flags & BLOCK_RDWR)) {
		error_setg(errp, "'%s' is opened read-only", bs->filename);
		return false;
	}
	if (!bs->drv->resize) {
		error_setg(errp, "format %s cannot be resized", bs->drv->name);
		return false;
	}
	return bs->drv->resize(bs, size, errp);
}

bool block_create(const char *filename, const char *format,
		  const struct block_create_opts *opts, struct error **errp)
{
	const struct block_driver *drv = block_find_driver(format);
	struct block_create_opts o = *opts;

	if (!drv) {
		error_setg(errp, "unknown file format '%s'", format);
		return false;
	}
	/* Sizes are whole sectors, as QEMU rounds them. */
	if (o.size > UINT64_MAX - 511) {
		error_setg(errp, "image size is too large");
		return false;
	}
	o.size = (o.size + 511) & ~511ull;
	/* Do not truncate an image another process is using. */
	if (!access(filename, F_OK)) {
		struct block_file f;

		if (!block_file_open(&f, filename, BLOCK_RDWR, errp)) {
			return false;
		}
		block_file_close(&f);
	}
	return drv->create(filename, &o, errp);
}

void block_get_info(struct block *bs, struct block_info *info)
{
	memset(info, 0, sizeof(*info));
	info->format = bs->drv->name;
	info->virtual_size = bs->size;
	if (bs->drv->get_info) {
		bs->drv->get_info(bs, info);
	}
}

int block_check(struct block *bs, struct block_check_result *res, int fix)
{
	memset(res, 0, sizeof(*res));
	if (!bs->drv->check) {
		return 0;
	}
	if (fix && !(bs->flags & BLOCK_RDWR)) {
		return -EROFS;
	}
	res->supported = true;
	return bs->drv->check(bs, res, fix);
}
