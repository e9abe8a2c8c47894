/* SPDX-License-Identifier: MIT */
/* Unit tests of linux-user: the guest address space and the ELF loader. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "tests/unit/unit.h"

static bool mm_ready(void)
{
	static int state;

	if (!state) {
		state = mm_init(NULL) ? 1 : -1;
	}
	return state > 0;
}

TEST(user_mm_map_unmap_flags)
{
	int64_t a;

	CHECK(mm_ready());
	a = mm_mmap(0, 3 * USER_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a > 0);
	CHECK((a & (USER_PAGE_SIZE - 1)) == 0);
	CHECK(mm_range_has(a, 3 * USER_PAGE_SIZE, USER_PAGE_R | USER_PAGE_W));
	CHECK(!mm_range_has(a, 3 * USER_PAGE_SIZE, USER_PAGE_X));
	/* The memory is really there and zeroed. */
	CHECK_EQ(*(uint64_t *)g2h(a + 8), 0);
	*(uint64_t *)g2h(a + USER_PAGE_SIZE) = 42;
	CHECK_EQ(mm_mprotect(a + USER_PAGE_SIZE, USER_PAGE_SIZE, PROT_READ), 0);
	CHECK_EQ(mm_page_flags(a + USER_PAGE_SIZE),
		 USER_PAGE_VALID | USER_PAGE_R);
	CHECK_EQ(*(uint64_t *)g2h(a + USER_PAGE_SIZE), 42);
	CHECK_EQ(mm_munmap(a + USER_PAGE_SIZE, USER_PAGE_SIZE), 0);
	CHECK_EQ(mm_page_flags(a + USER_PAGE_SIZE), 0);
	CHECK(mm_page_flags(a) & USER_PAGE_VALID);
	CHECK(mm_page_flags(a + 2 * USER_PAGE_SIZE) & USER_PAGE_VALID);
	/* mprotect over a hole fails like Linux. */
	CHECK_EQ(mm_mprotect(a, 3 * USER_PAGE_SIZE, PROT_READ), -ENOMEM);
	CHECK_EQ(mm_munmap(a, 3 * USER_PAGE_SIZE), 0);
	CHECK(!mm_range_has(a, 1, 0));
}

TEST(user_mm_fixed_semantics)
{
	gva_t where = 0x100000000ull;
	int64_t a;

	CHECK(mm_ready());
	a = mm_mmap(where, USER_PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ(a, where);
	CHECK_EQ(mm_mmap(where, USER_PAGE_SIZE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
			 0),
		 -EEXIST);
	/* A hint that is taken goes elsewhere, MAP_FIXED replaces. */
	a = mm_mmap(where, USER_PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(a > 0 && (gva_t)a != where);
	mm_munmap(a, USER_PAGE_SIZE);
	a = mm_mmap(where, USER_PAGE_SIZE, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ(a, where);
	CHECK(mm_page_flags(where) & USER_PAGE_X);
	/* Bad arguments. */
	CHECK_EQ(mm_mmap(where + 1, USER_PAGE_SIZE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		 -EINVAL);
	CHECK_EQ(mm_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		 -EINVAL);
	CHECK_EQ(mm_mmap(USER_SPACE_SIZE, USER_PAGE_SIZE, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		 -ENOMEM);
	mm_munmap(where, USER_PAGE_SIZE);
}

TEST(user_mm_mremap_grows_and_moves)
{
	int64_t a, b, c;

	CHECK(mm_ready());
	a = mm_mmap(0x300000000ull, 2 * USER_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_EQ(a, 0x300000000ull);
	strcpy(g2h(a), "kept");
	/* Block growth in place. */
	b = mm_mmap(a + 2 * USER_PAGE_SIZE, USER_PAGE_SIZE, PROT_READ,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK_EQ(b, a + 2 * USER_PAGE_SIZE);
	CHECK_EQ(mm_mremap(a, 2 * USER_PAGE_SIZE, 4 * USER_PAGE_SIZE, 0, 0),
		 -ENOMEM);
	c = mm_mremap(a, 2 * USER_PAGE_SIZE, 4 * USER_PAGE_SIZE, MREMAP_MAYMOVE,
		      0);
	CHECK(c > 0 && c != a);
	CHECK_STR((char *)g2h(c), "kept");
	CHECK(mm_range_has(c, 4 * USER_PAGE_SIZE, USER_PAGE_W));
	CHECK_EQ(mm_page_flags(a), 0);
	/* Shrink in place. */
	CHECK_EQ(mm_mremap(c, 4 * USER_PAGE_SIZE, USER_PAGE_SIZE, 0, 0), c);
	CHECK_EQ(mm_page_flags(c + USER_PAGE_SIZE), 0);
	mm_munmap(c, USER_PAGE_SIZE);
	mm_munmap(b, USER_PAGE_SIZE);
}

TEST(user_mm_brk)
{
	gva_t base = 0x200000000ull;

	CHECK(mm_ready());
	mm_set_brk_base(base);
	CHECK_EQ(mm_brk(0), base);
	CHECK_EQ(mm_brk(base + 10000), base + 10000);
	CHECK(mm_range_has(base, 10000, USER_PAGE_R | USER_PAGE_W));
	*(char *)g2h(base + 9999) = 1;
	/* Shrinking below the base is refused: the old break stays. */
	CHECK_EQ(mm_brk(base - 4096), base + 10000);
	CHECK_EQ(mm_brk(base + 100), base + 100);
	CHECK_EQ(mm_page_flags(base + USER_PAGE_SIZE), 0);
	CHECK_EQ(mm_brk(base), base);
}

TEST(user_mm_guest_copy_checks_permissions)
{
	int64_t a;
	char buf[8];

	CHECK(mm_ready());
	a = mm_mmap(0, USER_PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	CHECK(a > 0);
	CHECK(!mm_copy_to_guest(a, "x", 1));
	CHECK(mm_copy_from_guest(buf, a, sizeof(buf)));
	CHECK(!mm_copy_from_guest(buf, a + USER_PAGE_SIZE - 4, sizeof(buf)));
	CHECK(mm_guest_string(a) != NULL);
	CHECK(mm_guest_string(USER_SPACE_SIZE + 5) == NULL);
	mm_munmap(a, USER_PAGE_SIZE);
	CHECK(mm_guest_string(a) == NULL);
}

static void make_ehdr(Elf64_Ehdr *e, unsigned machine)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = machine;
	e->e_version = EV_CURRENT;
	e->e_phoff = sizeof(*e);
	e->e_phentsize = sizeof(Elf64_Phdr);
	e->e_phnum = 1;
	e->e_ehsize = sizeof(*e);
}

static const char *header_error(const void *buf, size_t len)
{
	static char msg[256];
	struct error *err = NULL;

	if (elf_check_header(buf, len, &err)) {
		return "ok";
	}
	snprintf(msg, sizeof(msg), "%s", error_get_message(err));
	error_free(err);
	return msg;
}

TEST(user_elf_header_errors)
{
	Elf64_Ehdr e;

	make_ehdr(&e, 243);
	CHECK_STR(header_error(&e, sizeof(e)), "ok");
	CHECK_STR(header_error("#!/bin/sh\n", 10), "not an ELF file");
	CHECK_STR(header_error(&e, 20),
		  "truncated ELF file (no complete header)");
	make_ehdr(&e, EM_X86_64);
	CHECK_STR(header_error(&e, sizeof(e)),
		  "ELF file for x86-64, not riscv64");
	make_ehdr(&e, 243);
	e.e_ident[EI_CLASS] = ELFCLASS32;
	CHECK_STR(header_error(&e, sizeof(e)),
		  "not a 64-bit ELF file (riscv64 needed)");
}

/* A static ET_EXEC with one segment: code page plus .bss. */
static char *write_tiny_elf(bool truncate)
{
	static char path[] = "/tmp/mimic-unit-elfXXXXXX";
	char *p = strdup(path);
	unsigned char file[8192] = { 0 };
	Elf64_Ehdr *e = (Elf64_Ehdr *)file;
	Elf64_Phdr *ph = (Elf64_Phdr *)(file + sizeof(*e));
	int fd = mkstemp(p);

	make_ehdr(e, 243);
	e->e_entry = 0x10078;
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X | PF_W;
	ph->p_offset = 0;
	ph->p_vaddr = 0x10000;
	ph->p_filesz = 0x100;
	ph->p_memsz = 0x3000;
	file[0x80] = 0x5a;
	file[0x100] = 0x77; /* beyond p_filesz: must read back as zero */
	if (write(fd, file, truncate ? 0x60 : sizeof(file)) < 0) {
		CHECK(false);
	}
	close(fd);
	return p;
}

TEST(user_elf_load_static_and_stack)
{
	char *path = write_tiny_elf(false);
	char *argv[] = { "tiny", "arg1", NULL };
	char *envp[] = { "A=1", NULL };
	struct user_load_args args = {
		.path = path,
		.argv = argv,
		.envp = envp,
		.stack_size = 1 << 20,
		.hwcap = 0x112d,
	};
	struct user_image img;
	struct error *err = NULL;
	uint64_t *sp;

	CHECK(mm_ready());
	CHECK(elf_load_program(&args, &img, &err));
	if (err) {
		printf("%s\n", error_get_message(err));
		error_free(err);
	}
	CHECK_EQ(img.entry, 0x10078);
	CHECK_EQ(*(unsigned char *)g2h(0x10080), 0x5a);
	CHECK_EQ(*(unsigned char *)g2h(0x10100), 0);
	CHECK(mm_range_has(0x10000, 0x3000, USER_PAGE_W));
	CHECK_EQ(img.phdr, 0x10000 + sizeof(Elf64_Ehdr));
	CHECK_EQ(img.brk, 0x13000);
	CHECK_EQ(img.stack_pointer & 15, 0);
	sp = g2h(img.stack_pointer);
	CHECK_EQ(sp[0], 2);
	CHECK_STR((char *)g2h(sp[1]), "tiny");
	CHECK_STR((char *)g2h(sp[2]), "arg1");
	CHECK_EQ(sp[3], 0);
	CHECK_STR((char *)g2h(sp[4]), "A=1");
	CHECK_EQ(sp[5], 0);
	/* auxv follows envp; AT_HWCAP first, AT_NULL last. */
	CHECK_EQ(img.auxv, img.stack_pointer + 6 * 8);
	CHECK_EQ(sp[6], AT_HWCAP);
	CHECK_EQ(sp[7], 0x112d);
	for (uint64_t *aux = sp + 6; aux[0] != AT_NULL; aux += 2) {
		if (aux[0] == AT_ENTRY) {
			CHECK_EQ(aux[1], 0x10078);
		}
		if (aux[0] == AT_PAGESZ) {
			CHECK_EQ(aux[1], 4096);
		}
		if (aux[0] == AT_EXECFN) {
			CHECK_STR((char *)g2h(aux[1]), path);
		}
	}
	unlink(path);
	free(path);
}

TEST(user_elf_load_errors)
{
	char *path = write_tiny_elf(true);
	char *argv[] = { "x", NULL };
	struct user_load_args args = { .path = path,
				       .argv = argv,
				       .stack_size = 1 << 20 };
	struct user_image img;
	struct error *err = NULL;
	char expect[256];

	CHECK(mm_ready());
	CHECK(!elf_load_program(&args, &img, &err));
	snprintf(expect, sizeof(expect),
		 "%s: truncated ELF file (program headers)", path);
	CHECK_STR(err ? error_get_message(err) : NULL, expect);
	error_free(err);
	unlink(path);
	err = NULL;
	args.path = "/nonexistent/prog";
	CHECK(!elf_load_program(&args, &img, &err));
	CHECK_STR(err ? error_get_message(err) : NULL,
		  "/nonexistent/prog: No such file or directory");
	error_free(err);
	free(path);
}
