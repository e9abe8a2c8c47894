/* SPDX-License-Identifier: MIT */
/* Memory backends for guest RAM (memfd, file), as QEMU spells them. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hw/core/memory-backend.h"
#include "util/options.h"

static struct memory_backend *memory_backends;

struct memory_backend *memory_backend_first(void)
{
	return memory_backends;
}

struct memory_backend *memory_backend_find(const char *id)
{
	struct memory_backend *mb;

	for (mb = memory_backends; mb; mb = mb->next) {
		if (!strcmp(mb->id, id)) {
			return mb;
		}
	}
	return NULL;
}

static bool memory_backend_fill(struct memory_backend *mb, struct opts *o,
				const char *type, bool file,
				struct error **errp)
{
	const char *id = opts_get(o, "id");
	const char *path = opts_get(o, "mem-path");

	if (!id) {
		error_setg(errp, "-object %s: id= is required", type);
		return false;
	}
	if (memory_backend_find(id)) {
		error_setg(errp, "-object %s: duplicate id '%s'", type, id);
		return false;
	}
	if (!opts_get(o, "size")) {
		error_setg(errp, "-object %s: size= is required", type);
		return false;
	}
	if (!opts_get_size(o, "size", 0, &mb->size, errp) ||
	    !opts_get_bool(o, "share", !file, &mb->share, errp)) {
		error_prepend(errp, "-object %s", type);
		return false;
	}
	if (mb->size == 0) {
		error_setg(errp, "-object %s: size must be greater than 0",
			   type);
		return false;
	}
	if (file && !path) {
		error_setg(errp, "-object %s: mem-path= is required", type);
		return false;
	}
	if (!file) {
		/* QEMU's memfd options: accepted, only the defaults work. */
		opts_get(o, "seal");
		opts_get(o, "hugetlb");
	}
	opts_get(o, "prealloc");
	opts_get(o, "merge");
	opts_get(o, "dump");
	if (!opts_check_unused(o, type, errp)) {
		return false;
	}
	mb->id = strdup(id);
	mb->mem_path = path ? strdup(path) : NULL;
	return mb->id && (!path || mb->mem_path);
}

bool memory_backend_parse(const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "qom-type", errp);
	struct memory_backend *mb;
	const char *type;
	bool file, ok;

	if (!o) {
		return false;
	}
	type = opts_get(o, "qom-type");
	if (!type || (strcmp(type, "memory-backend-memfd") &&
		      strcmp(type, "memory-backend-file"))) {
		error_setg(errp,
			   "-object: unsupported type '%s' (memory-backend-"
			   "memfd, memory-backend-file)",
			   type ? type : "");
		opts_free(o);
		return false;
	}
	file = !strcmp(type, "memory-backend-file");
	mb = calloc(1, sizeof(*mb));
	if (!mb) {
		opts_free(o);
		error_setg(errp, "-object: out of memory");
		return false;
	}
	mb->fd = -1;
	ok = memory_backend_fill(mb, o, type, file, errp);
	opts_free(o);
	if (!ok) {
		free(mb->id);
		free(mb->mem_path);
		free(mb);
		return false;
	}
	mb->next = memory_backends;
	memory_backends = mb;
	return true;
}

static int memory_backend_open(struct memory_backend *mb, struct error **errp)
{
	int fd;

	if (!mb->mem_path) {
		fd = memfd_create(mb->id, MFD_CLOEXEC);
		if (fd < 0) {
			error_setg_errno(errp, errno,
					 "memory-backend-memfd '%s'", mb->id);
		}
		return fd;
	}
	fd = open(mb->mem_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_setg_errno(errp, errno,
				 "memory-backend-file '%s': cannot open '%s'",
				 mb->id, mb->mem_path);
	}
	return fd;
}

void *memory_backend_map(struct memory_backend *mb, struct error **errp)
{
	int fd;
	void *p;

	if (mb->ptr) {
		error_setg(errp, "memory backend '%s' is already in use",
			   mb->id);
		return NULL;
	}
	fd = memory_backend_open(mb, errp);
	if (fd < 0) {
		return NULL;
	}
	if (ftruncate(fd, (off_t)mb->size) < 0) {
		error_setg_errno(errp, errno,
				 "memory backend '%s': cannot size it", mb->id);
		close(fd);
		return NULL;
	}
	p = mmap(NULL, mb->size, PROT_READ | PROT_WRITE,
		 (mb->share ? MAP_SHARED : MAP_PRIVATE) | MAP_NORESERVE, fd, 0);
	if (p == MAP_FAILED) {
		error_setg_errno(errp, errno,
				 "memory backend '%s': cannot map %llu MiB",
				 mb->id, (unsigned long long)(mb->size >> 20));
		close(fd);
		return NULL;
	}
	mb->fd = fd;
	mb->ptr = p;
	return p;
}

void memory_backend_close_all(void)
{
	struct memory_backend *mb, *next;

	for (mb = memory_backends; mb; mb = next) {
		next = mb->next;
		if (mb->ptr) {
			munmap(mb->ptr, mb->size);
		}
		if (mb->fd >= 0) {
			close(mb->fd);
		}
		free(mb->id);
		free(mb->mem_path);
		free(mb);
	}
	memory_backends = NULL;
}
