/* SPDX-License-Identifier: MIT */
/* The guest address space: one host reservation, a page-flags table, mmap. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "target/riscv/cpu.h"
#include "util/log.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/*
 * Two-level page-flags table: 2^26 guest pages split into 2^14 leaves of
 * 2^12 one-byte entries, allocated when first touched.
 */
#define LEAF_BITS 12
#define LEAF_PAGES (1u << LEAF_BITS)
#define NUM_PAGES (USER_SPACE_SIZE / USER_PAGE_SIZE)
#define NUM_LEAVES (NUM_PAGES >> LEAF_BITS)
/* Lowest address mmap hands out on its own (vm.mmap_min_addr). */
#define MMAP_MIN 0x10000ull

uintptr_t user_guest_base;
struct user_settings user_settings;

struct mm_name {
	gva_t start, end;
	char *name;
};

static struct {
	pthread_mutex_t lock;
	uint8_t *leaves[NUM_LEAVES];
	uint64_t generation;
	gva_t mmap_top;
	gva_t brk_base, brk_cur;
	struct mm_name *names;
	size_t num_names;
	int probe[2]; /* a pipe to test host pages without faulting */
} mm = { .lock = PTHREAD_MUTEX_INITIALIZER };

/*
 * Pass-through system calls only check that a pointer starts inside the
 * guest; a length running past the end lands in this never-mapped guard,
 * which is larger than the kernel's biggest read or write (MAX_RW_COUNT).
 */
#define GUARD_SIZE (4ull << 30)

bool mm_init(struct error **errp)
{
	void *base = mmap(NULL, USER_SPACE_SIZE + GUARD_SIZE, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (base == MAP_FAILED) {
		error_setg_errno(errp, errno,
				 "cannot reserve %llu GiB for the guest",
				 USER_SPACE_SIZE >> 30);
		return false;
	}
	user_guest_base = (uintptr_t)base;
	mm.mmap_top = USER_SPACE_SIZE;
	if (pipe2(mm.probe, O_CLOEXEC | O_NONBLOCK)) {
		mm.probe[0] = mm.probe[1] = -1;
	}
	return true;
}

uint64_t mm_generation(void)
{
	return __atomic_load_n(&mm.generation, __ATOMIC_ACQUIRE);
}

unsigned mm_page_flags(gva_t addr)
{
	uint64_t page = addr / USER_PAGE_SIZE;
	uint8_t *leaf;

	if (addr >= USER_SPACE_SIZE) {
		return 0;
	}
	leaf = __atomic_load_n(&mm.leaves[page >> LEAF_BITS], __ATOMIC_ACQUIRE);
	return leaf ? leaf[page & (LEAF_PAGES - 1)] : 0;
}

static void set_flags_locked(gva_t start, gva_t end, unsigned flags)
{
	for (uint64_t page = start / USER_PAGE_SIZE;
	     page < end / USER_PAGE_SIZE; page++) {
		uint8_t **slot = &mm.leaves[page >> LEAF_BITS];

		if (!*slot) {
			if (!flags) {
				page |= LEAF_PAGES - 1;
				continue;
			}
			uint8_t *leaf = calloc(1, LEAF_PAGES);
			if (!leaf) {
				return;
			}
			__atomic_store_n(slot, leaf, __ATOMIC_RELEASE);
		}
		(*slot)[page & (LEAF_PAGES - 1)] = flags;
	}
}

static void set_page_flags(gva_t addr, unsigned flags)
{
	uint64_t page = addr / USER_PAGE_SIZE;
	uint8_t *leaf = __atomic_load_n(&mm.leaves[page >> LEAF_BITS],
					__ATOMIC_ACQUIRE);

	if (leaf) {
		__atomic_store_n(&leaf[page & (LEAF_PAGES - 1)], (uint8_t)flags,
				 __ATOMIC_RELEASE);
	}
}

/* Can the host read this page now? The kernel answers EFAULT instead of
 * raising SIGBUS when a system call touches a page past the file's end. */
static bool host_page_readable(gva_t page)
{
	char byte;

	if (mm.probe[1] < 0 || write(mm.probe[1], g2h(page), 1) != 1) {
		return false;
	}
	/* Drain it; any byte will do when threads probe at once. */
	if (read(mm.probe[0], &byte, 1) < 0) {
		return true;
	}
	return true;
}

bool mm_page_past_eof(gva_t addr)
{
	unsigned flags = mm_page_flags(addr);

	if (!(flags & USER_PAGE_NOFILE)) {
		return false;
	}
	if (host_page_readable(addr & USER_PAGE_MASK)) {
		/* The file grew: an ordinary page from now on. */
		set_page_flags(addr, flags & ~USER_PAGE_NOFILE);
		return false;
	}
	return true;
}

void mm_mark_past_eof(gva_t addr)
{
	unsigned flags = mm_page_flags(addr);

	if (flags & USER_PAGE_VALID) {
		set_page_flags(addr, flags | USER_PAGE_NOFILE);
	}
}

bool mm_range_has(gva_t addr, uint64_t len, unsigned flags)
{
	if (!user_range_ok(addr, len)) {
		return false;
	}
	for (gva_t a = addr & USER_PAGE_MASK; a < addr + len;
	     a += USER_PAGE_SIZE) {
		unsigned have = mm_page_flags(a);

		if ((have & (flags | USER_PAGE_VALID)) !=
			    (flags | USER_PAGE_VALID) ||
		    ((have & USER_PAGE_NOFILE) && flags &&
		     mm_page_past_eof(a))) {
			return false;
		}
	}
	return true;
}

static bool range_free_locked(gva_t start, gva_t end)
{
	for (gva_t a = start; a < end; a += USER_PAGE_SIZE) {
		uint64_t page = a / USER_PAGE_SIZE;

		if (!mm.leaves[page >> LEAF_BITS]) {
			a = ((page | (LEAF_PAGES - 1)) + 1) * USER_PAGE_SIZE -
			    USER_PAGE_SIZE;
			continue;
		}
		if (mm.leaves[page >> LEAF_BITS][page & (LEAF_PAGES - 1)]) {
			return false;
		}
	}
	return true;
}

/* Highest free range of len bytes ending at or below top; 0 if none. */
static gva_t find_free_locked(uint64_t len, gva_t top)
{
	gva_t end = top & USER_PAGE_MASK;

	while (end >= MMAP_MIN + len) {
		gva_t a = end;

		/* Walk down from end until len free bytes are found. */
		while (a > end - len) {
			uint64_t page = (a - 1) / USER_PAGE_SIZE;
			uint8_t *leaf = mm.leaves[page >> LEAF_BITS];

			if (leaf && leaf[page & (LEAF_PAGES - 1)]) {
				break;
			}
			if (!leaf) {
				a = (page & ~(uint64_t)(LEAF_PAGES - 1)) *
				    USER_PAGE_SIZE;
				if (a < end - len) {
					a = end - len;
				}
			} else {
				a -= USER_PAGE_SIZE;
			}
		}
		if (a <= end - len) {
			return end - len;
		}
		end = a - USER_PAGE_SIZE;
	}
	return 0;
}

static int host_prot(int prot)
{
	int h = prot & (PROT_READ | PROT_WRITE);

	/* The hart fetches instructions through host reads. */
	if (prot & PROT_EXEC) {
		h |= PROT_READ;
	}
	return h;
}

static unsigned page_flags_of(int prot)
{
	return USER_PAGE_VALID | ((prot & PROT_READ) ? USER_PAGE_R : 0) |
	       ((prot & PROT_WRITE) ? USER_PAGE_W : 0) |
	       ((prot & PROT_EXEC) ? USER_PAGE_X : 0);
}

/* Give a range back to the reservation. */
static void reserve_locked(gva_t start, uint64_t len)
{
	mmap(g2h(start), len, PROT_NONE,
	     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

static void names_drop_locked(gva_t start, gva_t end)
{
	size_t j = 0;

	for (size_t i = 0; i < mm.num_names; i++) {
		struct mm_name *n = &mm.names[i];

		if (n->start >= start && n->end <= end) {
			free(n->name);
			continue;
		}
		mm.names[j++] = *n;
	}
	mm.num_names = j;
}

static void name_add_locked(gva_t start, gva_t end, const char *name)
{
	struct mm_name *names;

	names_drop_locked(start, end);
	names = realloc(mm.names, (mm.num_names + 1) * sizeof(*names));
	if (!names) {
		return;
	}
	mm.names = names;
	names[mm.num_names].start = start;
	names[mm.num_names].end = end;
	names[mm.num_names].name = strdup(name);
	mm.num_names++;
}

void mm_set_name(gva_t start, gva_t end, const char *name)
{
	pthread_mutex_lock(&mm.lock);
	name_add_locked(start, end, name);
	pthread_mutex_unlock(&mm.lock);
}

void (*mm_changed_hook)(void);

static void bump_generation(void)
{
	__atomic_add_fetch(&mm.generation, 1, __ATOMIC_RELEASE);
	if (mm_changed_hook) {
		mm_changed_hook();
	}
}

void mm_flush_all_harts(void)
{
	bump_generation();
}

static void name_file_locked(gva_t start, gva_t end, int fd)
{
	char link[64], path[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = 0;
		name_add_locked(start, end, path);
	}
}

/* Flag the pages of a new file mapping that lie past the end of the file. */
static void mark_past_eof_locked(gva_t addr, uint64_t len, int fd,
				 uint64_t offset, int prot)
{
	struct stat st;
	uint64_t inside;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		return;
	}
	inside = (uint64_t)st.st_size > offset ?
			 USER_PAGE_ALIGN((uint64_t)st.st_size - offset) :
			 0;
	if (inside < len) {
		set_flags_locked(addr + inside, addr + len,
				 page_flags_of(prot) | USER_PAGE_NOFILE);
	}
}

static int64_t mmap_locked(gva_t addr, uint64_t len, int prot, int flags,
			   int fd, uint64_t offset)
{
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	int hflags;
	void *p;

	if (!len || (offset & ~USER_PAGE_MASK) || (addr & ~USER_PAGE_MASK)) {
		return -EINVAL;
	}
	len = USER_PAGE_ALIGN(len);
	if (len >= USER_SPACE_SIZE) {
		return -ENOMEM;
	}
	if (fixed) {
		if (!user_range_ok(addr, len)) {
			return -ENOMEM;
		}
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    !range_free_locked(addr, addr + len)) {
			return -EEXIST;
		}
	} else if (!addr || !user_range_ok(addr, len) ||
		   !range_free_locked(addr, addr + len)) {
		addr = find_free_locked(len, mm.mmap_top);
		if (!addr) {
			return -ENOMEM;
		}
	}
	hflags = (flags & ~(MAP_FIXED_NOREPLACE | MAP_GROWSDOWN | 0x40)) |
		 MAP_FIXED;
	p = mmap(g2h(addr), len, host_prot(prot), hflags,
		 (flags & MAP_ANONYMOUS) ? -1 : fd, offset);
	if (p == MAP_FAILED) {
		int err = errno;

		/* A failed MAP_FIXED may have unmapped what was there. */
		return -err;
	}
	names_drop_locked(addr, addr + len);
	set_flags_locked(addr, addr + len, page_flags_of(prot));
	if (!(flags & MAP_ANONYMOUS)) {
		name_file_locked(addr, addr + len, fd);
		mark_past_eof_locked(addr, len, fd, offset, prot);
	}
	log_mask_printf(LOG_PAGE, "mmap %#llx-%#llx prot %d flags %#x\n",
			(unsigned long long)addr,
			(unsigned long long)(addr + len), prot, flags);
	return (int64_t)addr;
}

int64_t mm_mmap(gva_t addr, uint64_t len, int prot, int flags, int fd,
		uint64_t offset)
{
	int64_t r;

	pthread_mutex_lock(&mm.lock);
	r = mmap_locked(addr, len, prot, flags, fd, offset);
	pthread_mutex_unlock(&mm.lock);
	if (r >= 0 && (flags & MAP_FIXED)) {
		bump_generation();
	}
	return r;
}

static void unmap_locked(gva_t addr, uint64_t len)
{
	reserve_locked(addr, len);
	set_flags_locked(addr, addr + len, 0);
	names_drop_locked(addr, addr + len);
}

int64_t mm_munmap(gva_t addr, uint64_t len)
{
	if ((addr & ~USER_PAGE_MASK) || !len) {
		return -EINVAL;
	}
	len = USER_PAGE_ALIGN(len);
	if (!user_range_ok(addr, len)) {
		return -EINVAL;
	}
	pthread_mutex_lock(&mm.lock);
	unmap_locked(addr, len);
	pthread_mutex_unlock(&mm.lock);
	bump_generation();
	return 0;
}

int64_t mm_mprotect(gva_t addr, uint64_t len, int prot)
{
	/* PROT_GROWSDOWN/GROWSUP: there is no growing stack to extend. */
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (addr & ~USER_PAGE_MASK) {
		return -EINVAL;
	}
	len = USER_PAGE_ALIGN(len);
	if (!user_range_ok(addr, len)) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&mm.lock);
	if (!mm_range_has(addr, len, 0)) {
		pthread_mutex_unlock(&mm.lock);
		return -ENOMEM;
	}
	if (mprotect(g2h(addr), len, host_prot(prot))) {
		int err = errno;

		pthread_mutex_unlock(&mm.lock);
		return -err;
	}
	for (gva_t a = addr; a < addr + len; a += USER_PAGE_SIZE) {
		set_page_flags(a, page_flags_of(prot) | (mm_page_flags(a) &
							 USER_PAGE_NOFILE));
	}
	pthread_mutex_unlock(&mm.lock);
	bump_generation();
	return 0;
}

/* Move or grow [old, old+old_len) to [new, new+new_len) on the host. */
static int64_t remap_to_locked(gva_t old_addr, uint64_t old_len,
			       uint64_t new_len, gva_t new_addr)
{
	unsigned flags = mm_page_flags(old_addr) & ~USER_PAGE_NOFILE;
	void *p;

	munmap(g2h(new_addr), new_len);
	p = mremap(g2h(old_addr), old_len, new_len,
		   MREMAP_MAYMOVE | MREMAP_FIXED, g2h(new_addr));
	if (p == MAP_FAILED) {
		int err = errno;

		reserve_locked(new_addr, new_len);
		return -err;
	}
	if (new_addr != old_addr) {
		reserve_locked(old_addr, old_len);
		set_flags_locked(old_addr, old_addr + old_len, 0);
		names_drop_locked(old_addr, old_addr + old_len);
	}
	set_flags_locked(new_addr, new_addr + new_len, flags);
	return (int64_t)new_addr;
}

int64_t mm_mremap(gva_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
		  gva_t new_addr)
{
	int64_t r;

	if ((old_addr & ~USER_PAGE_MASK) || !new_len) {
		return -EINVAL;
	}
	old_len = USER_PAGE_ALIGN(old_len);
	new_len = USER_PAGE_ALIGN(new_len);
	if (!user_range_ok(old_addr, old_len) ||
	    !user_range_ok(old_addr, new_len)) {
		return -EFAULT;
	}
	pthread_mutex_lock(&mm.lock);
	if (!old_len || !mm_range_has(old_addr, old_len, 0)) {
		r = -EFAULT;
	} else if (flags & MREMAP_FIXED) {
		if ((new_addr & ~USER_PAGE_MASK) ||
		    !user_range_ok(new_addr, new_len)) {
			r = -EINVAL;
		} else {
			unmap_locked(new_addr, new_len);
			r = remap_to_locked(old_addr, old_len, new_len,
					    new_addr);
		}
	} else if (new_len <= old_len) {
		if (new_len < old_len) {
			unmap_locked(old_addr + new_len, old_len - new_len);
		}
		r = (int64_t)old_addr;
	} else if (range_free_locked(old_addr + old_len, old_addr + new_len)) {
		r = remap_to_locked(old_addr, old_len, new_len, old_addr);
	} else if (flags & MREMAP_MAYMOVE) {
		gva_t to = find_free_locked(new_len, mm.mmap_top);

		r = to ? remap_to_locked(old_addr, old_len, new_len, to) :
			 -ENOMEM;
	} else {
		r = -ENOMEM;
	}
	pthread_mutex_unlock(&mm.lock);
	bump_generation();
	return r;
}

/* ---- System V shared memory ------------------------------------------- */

struct mm_shm {
	gva_t start;
	uint64_t len;
	struct mm_shm *next;
};

static struct mm_shm *shm_list;

int64_t mm_shmat(int id, gva_t addr, int flags)
{
	struct shmid_ds ds;
	struct mm_shm *seg;
	uint64_t len;
	int prot = PROT_READ;
	int64_t r;

	if (shmctl(id, IPC_STAT, &ds)) {
		return -errno;
	}
	len = USER_PAGE_ALIGN(ds.shm_segsz);
	if ((flags & SHM_RND) && addr) {
		addr &= USER_PAGE_MASK;
	}
	if ((addr & ~USER_PAGE_MASK) || (addr && !user_range_ok(addr, len))) {
		return -EINVAL;
	}
	seg = malloc(sizeof(*seg));
	if (!seg) {
		return -ENOMEM;
	}
	pthread_mutex_lock(&mm.lock);
	if (!addr) {
		addr = find_free_locked(len, mm.mmap_top);
	}
	if (!addr) {
		r = -ENOMEM;
	} else if (shmat(id, g2h(addr),
			 (flags & (SHM_RDONLY | SHM_EXEC)) | SHM_REMAP) ==
		   (void *)-1) {
		r = -errno;
	} else {
		prot |= (flags & SHM_RDONLY) ? 0 : PROT_WRITE;
		prot |= (flags & SHM_EXEC) ? PROT_EXEC : 0;
		names_drop_locked(addr, addr + len);
		set_flags_locked(addr, addr + len, page_flags_of(prot));
		seg->start = addr;
		seg->len = len;
		seg->next = shm_list;
		shm_list = seg;
		seg = NULL;
		r = (int64_t)addr;
	}
	pthread_mutex_unlock(&mm.lock);
	free(seg);
	if (r >= 0) {
		bump_generation();
	}
	return r;
}

int64_t mm_shmdt(gva_t addr)
{
	struct mm_shm *seg = NULL;

	pthread_mutex_lock(&mm.lock);
	for (struct mm_shm **p = &shm_list; *p; p = &(*p)->next) {
		if ((*p)->start == addr) {
			seg = *p;
			*p = seg->next;
			break;
		}
	}
	if (seg) {
		shmdt(g2h(addr));
		unmap_locked(seg->start, seg->len);
	}
	pthread_mutex_unlock(&mm.lock);
	if (!seg) {
		return -EINVAL;
	}
	free(seg);
	bump_generation();
	return 0;
}

void mm_fork_prepare(void)
{
	pthread_mutex_lock(&mm.lock);
}

void mm_fork_done(void)
{
	pthread_mutex_unlock(&mm.lock);
}

void mm_set_mmap_top(gva_t top)
{
	mm.mmap_top = top;
}

void mm_set_brk_base(gva_t base)
{
	mm.brk_base = mm.brk_cur = USER_PAGE_ALIGN(base);
}

int64_t mm_brk(gva_t addr)
{
	gva_t old_end, new_end;
	int64_t r;

	pthread_mutex_lock(&mm.lock);
	if (addr < mm.brk_base || !user_range_ok(addr, 0)) {
		goto out;
	}
	old_end = USER_PAGE_ALIGN(mm.brk_cur);
	new_end = USER_PAGE_ALIGN(addr);
	if (new_end > old_end) {
		if (!range_free_locked(old_end, new_end)) {
			goto out;
		}
		r = mmap_locked(old_end, new_end - old_end,
				PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (r < 0) {
			goto out;
		}
	} else if (new_end < old_end) {
		unmap_locked(new_end, old_end - new_end);
	}
	mm.brk_cur = addr;
	if (new_end > mm.brk_base) {
		name_add_locked(mm.brk_base, new_end, "[heap]");
	}
out:
	addr = mm.brk_cur;
	pthread_mutex_unlock(&mm.lock);
	return (int64_t)addr;
}

static const char *name_of_locked(gva_t addr)
{
	for (size_t i = 0; i < mm.num_names; i++) {
		if (addr >= mm.names[i].start && addr < mm.names[i].end) {
			return mm.names[i].name;
		}
	}
	return "";
}

void mm_write_maps(int fd)
{
	gva_t a = 0;

	pthread_mutex_lock(&mm.lock);
	while (a < USER_SPACE_SIZE) {
		unsigned flags = mm_page_flags(a) & ~USER_PAGE_NOFILE;
		const char *name;
		gva_t end = a + USER_PAGE_SIZE;

		if (!mm.leaves[a / USER_PAGE_SIZE >> LEAF_BITS]) {
			a += (uint64_t)LEAF_PAGES * USER_PAGE_SIZE;
			continue;
		}
		if (!flags) {
			a = end;
			continue;
		}
		name = name_of_locked(a);
		while (end < USER_SPACE_SIZE &&
		       (mm_page_flags(end) & ~USER_PAGE_NOFILE) == flags &&
		       !strcmp(name_of_locked(end), name)) {
			end += USER_PAGE_SIZE;
		}
		dprintf(fd, "%08llx-%08llx %c%c%cp 00000000 00:00 0%s%s\n",
			(unsigned long long)a, (unsigned long long)end,
			(flags & USER_PAGE_R) ? 'r' : '-',
			(flags & USER_PAGE_W) ? 'w' : '-',
			(flags & USER_PAGE_X) ? 'x' : '-', *name ? "    " : "",
			name);
		a = end;
	}
	pthread_mutex_unlock(&mm.lock);
}

bool mm_copy_to_guest(gva_t dst, const void *src, size_t len)
{
	if (!mm_range_has(dst, len, USER_PAGE_W)) {
		return false;
	}
	memcpy(g2h(dst), src, len);
	return true;
}

bool mm_copy_from_guest(void *dst, gva_t src, size_t len)
{
	if (!mm_range_has(src, len, USER_PAGE_R)) {
		return false;
	}
	memcpy(dst, g2h(src), len);
	return true;
}

const char *mm_guest_string(gva_t addr)
{
	gva_t a = addr;

	for (;;) {
		unsigned flags = mm_page_flags(a);
		const char *p = g2h(a);
		gva_t page_end = (a & USER_PAGE_MASK) + USER_PAGE_SIZE;

		if (!(flags & USER_PAGE_R)) {
			return NULL;
		}
		if (memchr(p, 0, page_end - a)) {
			return g2h(addr);
		}
		a = page_end;
	}
}

/* ---- the bus of a user-mode hart -------------------------------------- */

static void *bus_ram_page(void *opaque, gpa_t page, enum riscv_access access)
{
	static const unsigned need[] = {
		[RISCV_ACCESS_READ] = USER_PAGE_R,
		[RISCV_ACCESS_WRITE] = USER_PAGE_W,
		[RISCV_ACCESS_EXEC] = USER_PAGE_X,
	};
	unsigned flags = mm_page_flags(page);

	(void)opaque;
	if ((unsigned)access >= ARRAY_SIZE(need) || !(flags & need[access])) {
		return NULL;
	}
	if ((flags & USER_PAGE_NOFILE) && mm_page_past_eof(page)) {
		return NULL;
	}
	return g2h(page & USER_PAGE_MASK);
}

static bool bus_io_read(void *opaque, gpa_t addr, unsigned size, uint64_t *val)
{
	(void)opaque;
	(void)addr;
	(void)size;
	*val = 0;
	return false;
}

static bool bus_io_write(void *opaque, gpa_t addr, unsigned size, uint64_t val)
{
	(void)opaque;
	(void)addr;
	(void)size;
	(void)val;
	return false;
}

static uint64_t bus_time(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 10000000ull + (uint64_t)ts.tv_nsec / 100;
}

const struct riscv_bus_ops mm_bus_ops = {
	.ram_page = bus_ram_page,
	.io_read = bus_io_read,
	.io_write = bus_io_write,
	.time = bus_time,
};
