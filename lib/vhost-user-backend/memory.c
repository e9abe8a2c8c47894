/* SPDX-License-Identifier: MIT */
/* Guest memory table: map the frontend's regions, translate addresses. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vub-internal.h"

static void region_unmap(struct vub_region *r)
{
	if (r->mmap_addr) {
		munmap(r->mmap_addr, r->mmap_size);
	}
	memset(r, 0, sizeof(*r));
}

void vub_mem_unmap_all(struct vub_dev *dev)
{
	for (unsigned i = 0; i < dev->nregions; i++) {
		region_unmap(&dev->regions[i]);
	}
	dev->nregions = 0;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static bool region_check(struct vub_dev *dev, const struct vub_msg_region *m)
{
	uint64_t end;

	if (m->memory_size == 0 ||
	    __builtin_add_overflow(m->guest_phys_addr, m->memory_size, &end) ||
	    __builtin_add_overflow(m->userspace_addr, m->memory_size, &end) ||
	    __builtin_add_overflow(m->mmap_offset, m->memory_size, &end) ||
	    end > (uint64_t)SIZE_MAX / 2) {
		vub_log(VUB_LOG_ERROR,
			"memory region gpa 0x%" PRIx64 " size 0x%" PRIx64
			" offset 0x%" PRIx64 " overflows",
			m->guest_phys_addr, m->memory_size, m->mmap_offset);
		return false;
	}
	for (unsigned i = 0; i < dev->nregions; i++) {
		const struct vub_region *r = &dev->regions[i];

		if (ranges_overlap(r->gpa, r->size, m->guest_phys_addr,
				   m->memory_size)) {
			vub_log(VUB_LOG_ERROR,
				"memory region gpa 0x%" PRIx64
				" overlaps an existing region",
				m->guest_phys_addr);
			return false;
		}
	}
	return true;
}

/* Map one region (fd is consumed). */
static bool region_map(struct vub_dev *dev, const struct vub_msg_region *m,
		       int fd)
{
	struct vub_region *r;
	void *addr;
	uint64_t len;

	if (dev->nregions >= VUB_MAX_SLOTS) {
		vub_log(VUB_LOG_ERROR, "no free memory slot (max %d)",
			VUB_MAX_SLOTS);
		close(fd);
		return false;
	}
	if (!region_check(dev, m)) {
		close(fd);
		return false;
	}
	len = m->mmap_offset + m->memory_size;
	addr = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_NORESERVE, fd, 0);
	close(fd);
	if (addr == MAP_FAILED) {
		vub_log(VUB_LOG_ERROR,
			"cannot map memory region gpa 0x%" PRIx64
			" size 0x%" PRIx64 ": %s",
			m->guest_phys_addr, m->memory_size, strerror(errno));
		return false;
	}
	r = &dev->regions[dev->nregions++];
	r->gpa = m->guest_phys_addr;
	r->size = m->memory_size;
	r->uva = m->userspace_addr;
	r->mmap_offset = m->mmap_offset;
	r->mmap_addr = addr;
	r->mmap_size = len;
	return true;
}

bool vub_mem_set_table(struct vub_dev *dev, const struct vub_msg *msg)
{
	const struct vub_msg_memory *mem = &msg->payload.memory;
	bool ok = true;

	vub_mem_unmap_all(dev);
	for (unsigned i = 0; i < mem->nregions; i++) {
		if (ok) {
			ok = region_map(dev, &mem->regions[i], msg->fds[i]);
		} else {
			close(msg->fds[i]);
		}
	}
	if (!ok) {
		vub_mem_unmap_all(dev);
	}
	return ok;
}

bool vub_mem_add(struct vub_dev *dev, const struct vub_msg_region *reg, int fd)
{
	return region_map(dev, reg, fd);
}

bool vub_mem_remove(struct vub_dev *dev, const struct vub_msg_region *reg)
{
	for (unsigned i = 0; i < dev->nregions; i++) {
		struct vub_region *r = &dev->regions[i];

		if (r->gpa == reg->guest_phys_addr &&
		    r->size == reg->memory_size) {
			region_unmap(r);
			dev->regions[i] = dev->regions[dev->nregions - 1];
			memset(&dev->regions[dev->nregions - 1], 0, sizeof(*r));
			dev->nregions--;
			return true;
		}
	}
	vub_log(VUB_LOG_ERROR,
		"REM_MEM_REG: no region at gpa 0x%" PRIx64 " size 0x%" PRIx64,
		reg->guest_phys_addr, reg->memory_size);
	return false;
}

void *vub_gpa_to_va(struct vub_dev *dev, uint64_t gpa, uint64_t *len)
{
	for (unsigned i = 0; i < dev->nregions; i++) {
		struct vub_region *r = &dev->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size) {
			uint64_t off = gpa - r->gpa;

			if (*len > r->size - off) {
				*len = r->size - off;
			}
			return r->mmap_addr + r->mmap_offset + off;
		}
	}
	return NULL;
}

/* Frontend virtual address -> pointer, only if [uva, uva+len) is mapped. */
void *vub_uva_to_va(struct vub_dev *dev, uint64_t uva, uint64_t len)
{
	for (unsigned i = 0; i < dev->nregions; i++) {
		struct vub_region *r = &dev->regions[i];

		if (uva >= r->uva && uva - r->uva < r->size &&
		    len <= r->size - (uva - r->uva)) {
			return r->mmap_addr + r->mmap_offset + (uva - r->uva);
		}
	}
	return NULL;
}
