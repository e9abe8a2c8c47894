/* SPDX-License-Identifier: MIT */
/* Loading riscv64 ELF programs and their interpreter; the initial stack. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/user.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

/* Where Linux puts a PIE program on riscv64 Sv39 (2/3 of the space). */
#define ELF_ET_DYN_BASE 0x2aaaaaa000ull

struct elf_file {
	const char *path;
	int fd;
	off_t size;
	Elf64_Ehdr ehdr;
	Elf64_Phdr *phdr;
};

struct elf_loaded {
	gva_t bias, entry, phdr, end;
	uint64_t phnum;
};

static const char *machine_name(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:
		return "x86-64";
	case EM_386:
		return "i386";
	case EM_AARCH64:
		return "aarch64";
	case EM_ARM:
		return "arm";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390";
	case EM_MIPS:
		return "mips";
	default:
		return NULL;
	}
}

bool elf_check_header(const void *buf, size_t len, struct error **errp)
{
	const unsigned char *ident = buf;
	Elf64_Ehdr ehdr;
	const char *name;

	if (len < SELFMAG || memcmp(ident, ELFMAG, SELFMAG)) {
		error_setg(errp, "not an ELF file");
		return false;
	}
	if (len < EI_NIDENT || ident[EI_CLASS] != ELFCLASS64) {
		error_setg(errp, "not a 64-bit ELF file (riscv64 needed)");
		return false;
	}
	if (ident[EI_DATA] != ELFDATA2LSB) {
		error_setg(errp, "not a little-endian ELF file");
		return false;
	}
	if (len < sizeof(ehdr)) {
		error_setg(errp, "truncated ELF file (no complete header)");
		return false;
	}
	memcpy(&ehdr, buf, sizeof(ehdr));
	if (ehdr.e_machine != EM_RISCV) {
		name = machine_name(ehdr.e_machine);
		if (name) {
			error_setg(errp, "ELF file for %s, not riscv64", name);
		} else {
			error_setg(errp, "ELF file for machine %u, not riscv64",
				   ehdr.e_machine);
		}
		return false;
	}
	if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
		error_setg(errp, "ELF file is not an executable (type %u)",
			   ehdr.e_type);
		return false;
	}
	if (ehdr.e_phentsize != sizeof(Elf64_Phdr) || !ehdr.e_phnum ||
	    ehdr.e_phnum > 128) {
		error_setg(errp, "bad ELF program header table");
		return false;
	}
	return true;
}

bool elf_is_riscv64(const char *path)
{
	unsigned char buf[sizeof(Elf64_Ehdr)];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		return false;
	}
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	return n > 0 && elf_check_header(buf, (size_t)n, NULL);
}

static bool elf_open(struct elf_file *elf, const char *path,
		     struct error **errp)
{
	struct stat st;
	ssize_t n;
	size_t phsize;

	memset(elf, 0, sizeof(*elf));
	elf->path = path;
	elf->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (elf->fd < 0) {
		error_setg_errno(errp, errno, "%s", path);
		return false;
	}
	if (fstat(elf->fd, &st) || !S_ISREG(st.st_mode)) {
		error_setg(errp, "%s: not a regular file", path);
		goto err;
	}
	elf->size = st.st_size;
	n = pread(elf->fd, &elf->ehdr, sizeof(elf->ehdr), 0);
	if (n < 0) {
		error_setg_errno(errp, errno, "%s", path);
		goto err;
	}
	if (!elf_check_header(&elf->ehdr, (size_t)n, errp)) {
		error_prepend(errp, "%s", path);
		goto err;
	}
	phsize = (size_t)elf->ehdr.e_phnum * sizeof(Elf64_Phdr);
	if (elf->ehdr.e_phoff > (uint64_t)elf->size ||
	    phsize > (uint64_t)elf->size - elf->ehdr.e_phoff) {
		error_setg(errp, "%s: truncated ELF file (program headers)",
			   path);
		goto err;
	}
	elf->phdr = malloc(phsize);
	if (!elf->phdr || pread(elf->fd, elf->phdr, phsize,
				(off_t)elf->ehdr.e_phoff) != (ssize_t)phsize) {
		error_setg(errp, "%s: cannot read program headers", path);
		goto err;
	}
	return true;
err:
	free(elf->phdr);
	close(elf->fd);
	return false;
}

static void elf_close(struct elf_file *elf)
{
	free(elf->phdr);
	close(elf->fd);
}

static int prot_of(uint32_t pflags)
{
	return ((pflags & PF_R) ? PROT_READ : 0) |
	       ((pflags & PF_W) ? PROT_WRITE : 0) |
	       ((pflags & PF_X) ? PROT_EXEC : 0);
}

static bool check_segments(struct elf_file *elf, gva_t *lo, gva_t *hi,
			   struct error **errp)
{
	*lo = UINT64_MAX;
	*hi = 0;
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		Elf64_Phdr *ph = &elf->phdr[i];

		if (ph->p_type != PT_LOAD) {
			continue;
		}
		if (ph->p_offset > (uint64_t)elf->size ||
		    ph->p_filesz > (uint64_t)elf->size - ph->p_offset) {
			error_setg(errp, "%s: truncated ELF file (segment %u)",
				   elf->path, i);
			return false;
		}
		if (ph->p_filesz > ph->p_memsz ||
		    (ph->p_vaddr & (USER_PAGE_SIZE - 1)) !=
			    (ph->p_offset & (USER_PAGE_SIZE - 1)) ||
		    !user_range_ok(ph->p_vaddr, ph->p_memsz)) {
			error_setg(errp, "%s: bad ELF segment %u", elf->path,
				   i);
			return false;
		}
		*lo = MIN(*lo, ph->p_vaddr & USER_PAGE_MASK);
		*hi = MAX(*hi, ph->p_vaddr + ph->p_memsz);
	}
	if (*hi == 0) {
		error_setg(errp, "%s: ELF file has nothing to load", elf->path);
		return false;
	}
	return true;
}

/* Zero the tail of the last file page and map the rest of .bss. */
static bool map_bss(gva_t file_end, gva_t mem_end, int prot)
{
	gva_t page_end = USER_PAGE_ALIGN(file_end);

	if (file_end < page_end && file_end < mem_end) {
		char *host = g2h(file_end);

		if (!(prot & PROT_WRITE)) {
			mprotect(g2h(file_end & USER_PAGE_MASK), USER_PAGE_SIZE,
				 PROT_READ | PROT_WRITE);
		}
		memset(host, 0, page_end - file_end);
		if (!(prot & PROT_WRITE)) {
			mprotect(g2h(file_end & USER_PAGE_MASK), USER_PAGE_SIZE,
				 prot ? PROT_READ : PROT_NONE);
		}
	}
	if (mem_end > page_end) {
		return mm_mmap(page_end, mem_end - page_end, prot,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			       0) >= 0;
	}
	return true;
}

static bool map_segments(struct elf_file *elf, gva_t bias, gva_t *end,
			 struct error **errp)
{
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		Elf64_Phdr *ph = &elf->phdr[i];
		gva_t vaddr = bias + ph->p_vaddr;
		gva_t page = vaddr & USER_PAGE_MASK;
		uint64_t skew = vaddr - page;
		int prot = prot_of(ph->p_flags);
		int64_t r = 0;

		if (ph->p_type != PT_LOAD) {
			continue;
		}
		if (ph->p_filesz) {
			r = mm_mmap(page, ph->p_filesz + skew, prot,
				    MAP_PRIVATE | MAP_FIXED, elf->fd,
				    ph->p_offset - skew);
		}
		if (r < 0 ||
		    !map_bss(vaddr + ph->p_filesz, vaddr + ph->p_memsz, prot)) {
			error_setg(errp, "%s: cannot map segment %u: %s",
				   elf->path, i, strerror(r < 0 ? -r : ENOMEM));
			return false;
		}
		*end = MAX(*end, vaddr + ph->p_memsz);
	}
	return true;
}

static gva_t find_phdr(struct elf_file *elf, gva_t bias)
{
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		if (elf->phdr[i].p_type == PT_PHDR) {
			return bias + elf->phdr[i].p_vaddr;
		}
	}
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		Elf64_Phdr *ph = &elf->phdr[i];

		if (ph->p_type == PT_LOAD &&
		    ph->p_offset <= elf->ehdr.e_phoff &&
		    elf->ehdr.e_phoff < ph->p_offset + ph->p_filesz) {
			return bias + ph->p_vaddr +
			       (elf->ehdr.e_phoff - ph->p_offset);
		}
	}
	return 0;
}

/* Map an opened ELF; a PIE goes at pie_base, or anywhere if that is 0. */
static bool elf_map(struct elf_file *elf, gva_t pie_base,
		    struct elf_loaded *out, struct error **errp)
{
	gva_t lo, hi, bias = 0;
	int64_t r;

	if (!check_segments(elf, &lo, &hi, errp)) {
		return false;
	}
	hi = USER_PAGE_ALIGN(hi);
	if (elf->ehdr.e_type == ET_DYN) {
		/* Reserve the whole span first so the segments stay together. */
		r = mm_mmap(pie_base, hi - lo, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r < 0) {
			error_setg(errp, "%s: no room for %llu bytes",
				   elf->path, (unsigned long long)(hi - lo));
			return false;
		}
		bias = (gva_t)r - lo;
	} else {
		r = mm_mmap(lo, hi - lo, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			    -1, 0);
		if (r < 0) {
			error_setg(errp, "%s: cannot map at %#llx", elf->path,
				   (unsigned long long)lo);
			return false;
		}
	}
	out->end = 0;
	if (!map_segments(elf, bias, &out->end, errp)) {
		return false;
	}
	mm_set_name(bias + lo, bias + hi, elf->path);
	out->bias = bias;
	out->entry = bias + elf->ehdr.e_entry;
	out->phdr = find_phdr(elf, bias);
	out->phnum = elf->ehdr.e_phnum;
	return true;
}

/* The PT_INTERP path, looked up under the prefix when it exists there. */
static char *interp_path(struct elf_file *elf, const char *prefix,
			 struct error **errp)
{
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		Elf64_Phdr *ph = &elf->phdr[i];
		char *name, *full;

		if (ph->p_type != PT_INTERP) {
			continue;
		}
		if (ph->p_filesz < 2 || ph->p_filesz > 4096 ||
		    ph->p_offset + ph->p_filesz > (uint64_t)elf->size) {
			error_setg(errp, "%s: bad PT_INTERP", elf->path);
			return NULL;
		}
		name = calloc(1, ph->p_filesz + 1);
		if (!name ||
		    pread(elf->fd, name, ph->p_filesz, (off_t)ph->p_offset) !=
			    (ssize_t)ph->p_filesz) {
			free(name);
			error_setg(errp, "%s: cannot read PT_INTERP",
				   elf->path);
			return NULL;
		}
		if (prefix && *prefix &&
		    asprintf(&full, "%s/%s", prefix, name) >= 0) {
			if (!access(full, R_OK)) {
				free(name);
				return full;
			}
			free(full);
		}
		return name;
	}
	error_setg(errp, "no interpreter");
	return NULL;
}

static bool has_interp(struct elf_file *elf)
{
	for (unsigned i = 0; i < elf->ehdr.e_phnum; i++) {
		if (elf->phdr[i].p_type == PT_INTERP) {
			return true;
		}
	}
	return false;
}

/* Copy a string onto the guest stack growing down; returns its address. */
static gva_t push_string(gva_t *sp, const char *s)
{
	size_t len = strlen(s) + 1;

	*sp -= len;
	memcpy(g2h(*sp), s, len);
	return *sp;
}

static size_t count_strings(char **v)
{
	size_t n = 0;

	while (v && v[n]) {
		n++;
	}
	return n;
}

struct auxv_entry {
	uint64_t type, value;
};

static size_t build_auxv(struct auxv_entry *aux,
			 const struct user_load_args *args,
			 const struct user_image *img, gva_t random,
			 gva_t execfn)
{
	size_t n = 0;

#define AUX(t, v) aux[n++] = (struct auxv_entry){ (t), (uint64_t)(v) }
	AUX(AT_HWCAP, args->hwcap);
	AUX(AT_PAGESZ, USER_PAGE_SIZE);
	AUX(AT_CLKTCK, sysconf(_SC_CLK_TCK));
	AUX(AT_PHDR, img->phdr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_BASE, img->interp_bias);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->prog_entry);
	AUX(AT_UID, getuid());
	AUX(AT_EUID, geteuid());
	AUX(AT_GID, getgid());
	AUX(AT_EGID, getegid());
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, 0);
	AUX(AT_EXECFN, execfn);
	AUX(AT_MINSIGSTKSZ, 2048);
	AUX(AT_NULL, 0);
#undef AUX
	return n;
}

/* The stack sits at the top; mmap hands out addresses below it. */
static bool map_stack(const struct user_load_args *args, struct error **errp)
{
	uint64_t size = USER_PAGE_ALIGN(args->stack_size);
	gva_t top = USER_SPACE_SIZE - USER_PAGE_SIZE;

	if (mm_mmap(top - size, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) < 0) {
		error_setg(errp, "cannot map a stack of %llu bytes",
			   (unsigned long long)size);
		return false;
	}
	mm_set_name(top - size, top, "[stack]");
	mm_set_mmap_top(top - size - 64 * USER_PAGE_SIZE);
	return true;
}

static bool build_stack(const struct user_load_args *args,
			struct user_image *img, struct error **errp)
{
	gva_t top = USER_SPACE_SIZE - USER_PAGE_SIZE, sp, random, execfn;
	size_t argc = count_strings(args->argv);
	size_t envc = count_strings(args->envp);
	struct auxv_entry aux[32];
	gva_t *argp, *envp;
	uint64_t *words;
	size_t naux, nwords;
	unsigned char rnd[16];

	argp = calloc(argc + 1, sizeof(*argp));
	envp = calloc(envc + 1, sizeof(*envp));
	if (!argp || !envp) {
		free(argp);
		free(envp);
		error_setg(errp, "out of memory");
		return false;
	}
	sp = top - 16;
	execfn = push_string(&sp, args->path);
	for (size_t i = envc; i-- > 0;) {
		envp[i] = push_string(&sp, args->envp[i]);
	}
	for (size_t i = argc; i-- > 0;) {
		argp[i] = push_string(&sp, args->argv[i]);
	}
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
		memset(rnd, 0x5a, sizeof(rnd));
	}
	sp = (sp - sizeof(rnd)) & ~15ull;
	random = sp;
	memcpy(g2h(random), rnd, sizeof(rnd));

	naux = build_auxv(aux, args, img, random, execfn);
	nwords = 1 + argc + 1 + envc + 1 + 2 * naux;
	sp = (sp - nwords * 8) & ~15ull;
	words = g2h(sp);
	*words++ = argc;
	for (size_t i = 0; i < argc; i++) {
		*words++ = argp[i];
	}
	*words++ = 0;
	for (size_t i = 0; i < envc; i++) {
		*words++ = envp[i];
	}
	*words++ = 0;
	img->auxv = h2g(words);
	img->auxv_len = naux * sizeof(aux[0]);
	memcpy(words, aux, img->auxv_len);
	img->stack_pointer = sp;
	free(argp);
	free(envp);
	return true;
}

bool elf_load_program(const struct user_load_args *args, struct user_image *img,
		      struct error **errp)
{
	struct elf_file prog, interp;
	struct elf_loaded main_map, interp_map;
	char *ipath = NULL;
	bool ok = false;

	memset(img, 0, sizeof(*img));
	if (!elf_open(&prog, args->path, errp)) {
		return false;
	}
	if (!map_stack(args, errp)) {
		goto out;
	}
	if (has_interp(&prog)) {
		ipath = interp_path(&prog, args->ld_prefix, errp);
		if (!ipath) {
			goto out;
		}
	}
	if (!elf_map(&prog, ipath ? ELF_ET_DYN_BASE : 0, &main_map, errp)) {
		goto out;
	}
	img->load_bias = main_map.bias;
	img->prog_entry = img->entry = main_map.entry;
	img->phdr = main_map.phdr;
	img->phnum = main_map.phnum;
	img->brk = main_map.end;
	if (ipath) {
		if (!elf_open(&interp, ipath, errp)) {
			error_prepend(errp, "interpreter of %s", args->path);
			goto out;
		}
		ok = elf_map(&interp, 0, &interp_map, errp);
		elf_close(&interp);
		if (!ok) {
			goto out;
		}
		img->interp_bias = interp_map.bias;
		img->entry = interp_map.entry;
	}
	mm_set_brk_base(img->brk);
	ok = build_stack(args, img, errp);
out:
	free(ipath);
	elf_close(&prog);
	return ok;
}
