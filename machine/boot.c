/* SPDX-License-Identifier: MIT */
/* Booting the virt board: firmware, kernel (ELF or Linux Image), initrd,
 * device tree and the reset vector in the boot ROM, as QEMU lays them out. */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "machine/virt-internal.h"

#define DEFAULT_BIOS "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
#define KERNEL_ALIGN (2ull << 20)
#define FDT_ALIGN (2ull << 20)
#define INITRD_ALIGN 4096ull
/* QEMU keeps the tree below 3 GiB so 32-bit-addressing code reaches it. */
#define FDT_MAX_ADDR (3ull << 30)

#define FW_DYNAMIC_MAGIC 0x4942534f
#define FW_DYNAMIC_VERSION 2
#define FW_DYNAMIC_NEXT_MODE_S 1

/* The RISC-V Linux Image header (Documentation/riscv/boot-image-header). */
struct linux_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint32_t version, res1;
	uint64_t res2;
	uint64_t magic; /* "RISCV\0\0\0" (deprecated) */
	uint32_t magic2; /* "RSC\x05" */
	uint32_t res3;
};

/* OpenSBI's struct fw_dynamic_info (include/sbi/fw_dynamic.h). */
struct fw_dynamic_info {
	uint64_t magic, version, next_addr, next_mode, options, boot_hart;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static bool boot_read_file(const char *what, const char *path,
			   struct boot_blob *blob, struct error **errp)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f) {
		error_setg_errno(errp, errno, "could not load %s '%s'", what,
				 path);
		return false;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		error_setg(errp, "could not load %s '%s': not a regular file",
			   what, path);
		fclose(f);
		return false;
	}
	blob->size = st.st_size;
	blob->data = malloc(blob->size ? blob->size : 1);
	if (!blob->data || fread(blob->data, 1, blob->size, f) != blob->size) {
		error_setg(errp, "could not read %s '%s'", what, path);
		fclose(f);
		return false;
	}
	fclose(f);
	if (!blob->size) {
		error_setg(errp, "%s '%s' is empty", what, path);
		return false;
	}
	return true;
}

static bool boot_in_ram(struct machine *m, gpa_t addr, uint64_t size)
{
	return addr >= VIRT_DRAM_BASE && addr - VIRT_DRAM_BASE <= m->ram_size &&
	       size <= m->ram_size - (addr - VIRT_DRAM_BASE);
}

/* Check (load == false) or load an ELF64 RISC-V image at its physical
 * addresses. */
static bool boot_elf(struct machine *m, const struct boot_blob *blob, bool load,
		     struct error **errp)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)blob->data;
	const char *path = m->cfg.kernel;

	if (blob->size < sizeof(*eh) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_RISCV) {
		error_setg(errp, "kernel '%s' is not a 64-bit RISC-V ELF",
			   path);
		return false;
	}
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phoff > blob->size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) >
		    blob->size - eh->e_phoff) {
		error_setg(errp, "kernel '%s' is corrupt (program headers)",
			   path);
		return false;
	}
	m->kernel_addr = UINT64_MAX;
	m->kernel_end = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph =
			(const Elf64_Phdr *)(blob->data + eh->e_phoff) + i;

		if (ph->p_type != PT_LOAD || !ph->p_memsz) {
			continue;
		}
		if (ph->p_offset > blob->size ||
		    ph->p_filesz > blob->size - ph->p_offset ||
		    ph->p_filesz > ph->p_memsz) {
			error_setg(errp, "kernel '%s' is corrupt (segment %u)",
				   path, i);
			return false;
		}
		if (!boot_in_ram(m, ph->p_paddr, ph->p_memsz)) {
			error_setg(errp,
				   "kernel '%s': segment at 0x%llx+0x%llx is "
				   "outside RAM",
				   path, (unsigned long long)ph->p_paddr,
				   (unsigned long long)ph->p_memsz);
			return false;
		}
		if (load) {
			uint8_t *dst = machine_dma(m, ph->p_paddr, ph->p_memsz);

			memcpy(dst, blob->data + ph->p_offset, ph->p_filesz);
			memset(dst + ph->p_filesz, 0,
			       ph->p_memsz - ph->p_filesz);
		}
		m->kernel_addr = MIN(m->kernel_addr, ph->p_paddr);
		m->kernel_end = MAX(m->kernel_end, ph->p_paddr + ph->p_memsz);
	}
	if (!m->kernel_end) {
		error_setg(errp, "kernel '%s' has nothing to load", path);
		return false;
	}
	m->kernel_entry = eh->e_entry;
	return true;
}

static bool boot_is_linux_image(const struct boot_blob *blob)
{
	struct linux_image_header h;

	if (blob->size < sizeof(h)) {
		return false;
	}
	memcpy(&h, blob->data, sizeof(h));
	return !memcmp(&h.magic, "RISCV\0\0\0", 8) ||
	       !memcmp(&h.magic2, "RSC\x05", 4);
}

/* Place a raw kernel (Linux Image or, with -bios none, any binary). */
static bool boot_place_raw_kernel(struct machine *m, struct error **errp)
{
	const struct boot_blob *k = &m->kernel;
	uint64_t mem_size = k->size;
	gpa_t start = m->firmware.data ?
			      align_up(m->firmware_end, KERNEL_ALIGN) :
			      VIRT_DRAM_BASE;

	if (boot_is_linux_image(k)) {
		struct linux_image_header h;

		memcpy(&h, k->data, sizeof(h));
		if (h.image_size < k->size || h.image_size > (1ull << 36)) {
			error_setg(errp,
				   "kernel '%s' is corrupt (image size %llu "
				   "for a %zu-byte file)",
				   m->cfg.kernel,
				   (unsigned long long)h.image_size, k->size);
			return false;
		}
		mem_size = h.image_size;
	} else if (m->firmware.data) {
		error_setg(errp,
			   "kernel '%s' is neither an ELF nor a RISC-V Linux "
			   "Image",
			   m->cfg.kernel);
		return false;
	}
	if (!boot_in_ram(m, start, mem_size)) {
		error_setg(errp, "kernel '%s' (%llu KiB) does not fit in RAM",
			   m->cfg.kernel, (unsigned long long)mem_size >> 10);
		return false;
	}
	m->kernel_addr = m->kernel_entry = start;
	m->kernel_end = start + mem_size;
	return true;
}

static bool boot_prepare_kernel(struct machine *m, struct error **errp)
{
	if (!m->cfg.kernel) {
		m->kernel_end = m->firmware_end;
		return true;
	}
	if (!boot_read_file("kernel", m->cfg.kernel, &m->kernel, errp)) {
		return false;
	}
	m->kernel_is_elf = m->kernel.size >= SELFMAG &&
			   !memcmp(m->kernel.data, ELFMAG, SELFMAG);
	if (m->kernel_is_elf) {
		return boot_elf(m, &m->kernel, false, errp);
	}
	return boot_place_raw_kernel(m, errp);
}

static bool boot_prepare_firmware(struct machine *m, struct error **errp)
{
	const char *bios = m->cfg.bios;

	if (bios && !strcmp(bios, "none")) {
		if (!m->cfg.kernel) {
			error_setg(errp, "-bios none needs -kernel");
			return false;
		}
		m->firmware_end = VIRT_DRAM_BASE;
		return true;
	}
	if (!bios || !strcmp(bios, "default")) {
		bios = DEFAULT_BIOS;
	}
	if (!boot_read_file("firmware", bios, &m->firmware, errp)) {
		return false;
	}
	if (m->firmware.size > m->ram_size) {
		error_setg(errp, "firmware '%s' does not fit in RAM", bios);
		return false;
	}
	m->firmware_end = VIRT_DRAM_BASE + m->firmware.size;
	return true;
}

/* The tree goes at the top of RAM (below 3 GiB), 2 MiB aligned so that
 * firmware can grow it in place; the initrd just below it. */
static bool boot_place_fdt_and_initrd(struct machine *m, struct error **errp)
{
	gpa_t top = VIRT_DRAM_BASE + m->ram_size;
	gpa_t lowest = align_up(m->kernel_end, INITRD_ALIGN);

	if (top > FDT_MAX_ADDR) {
		top = FDT_MAX_ADDR;
	}
	if (m->fdt_size > top - lowest) {
		error_setg(errp, "no room in RAM for the device tree");
		return false;
	}
	m->fdt_addr = (top - m->fdt_size) & ~(FDT_ALIGN - 1);
	if (m->fdt_addr < lowest) {
		m->fdt_addr = (top - m->fdt_size) & ~7ull;
	}
	if (!m->initrd.data) {
		return true;
	}
	if (m->initrd.size > m->fdt_addr - lowest) {
		error_setg(errp,
			   "initrd '%s' (%zu MiB) does not fit in RAM (%llu "
			   "MiB)",
			   m->cfg.initrd, m->initrd.size >> 20,
			   (unsigned long long)m->ram_size >> 20);
		return false;
	}
	m->initrd_start = (m->fdt_addr - m->initrd.size) & ~(INITRD_ALIGN - 1);
	m->initrd_end = m->initrd_start + m->initrd.size;
	return true;
}

bool virt_boot_prepare(struct machine *m, struct error **errp)
{
	if (!boot_prepare_firmware(m, errp) || !boot_prepare_kernel(m, errp)) {
		return false;
	}
	if (m->cfg.append && !m->cfg.kernel) {
		error_setg(errp, "-append needs -kernel");
		return false;
	}
	if (m->cfg.initrd) {
		if (!m->cfg.kernel) {
			error_setg(errp, "-initrd needs -kernel");
			return false;
		}
		if (!boot_read_file("initrd", m->cfg.initrd, &m->initrd,
				    errp)) {
			return false;
		}
	}
	if (m->cfg.dtb &&
	    !boot_read_file("device tree", m->cfg.dtb, &m->dtb_file, errp)) {
		return false;
	}
	/* The tree's size does not depend on where the initrd goes. */
	if (!virt_fdt_build(m, errp) || !boot_place_fdt_and_initrd(m, errp)) {
		return false;
	}
	return virt_fdt_set_chosen(m, errp);
}

static void boot_write_rom(struct machine *m)
{
	gpa_t start = m->firmware.data ? VIRT_DRAM_BASE : m->kernel_entry;
	/* QEMU's reset vector: a0 = mhartid, a1 = fdt, a2 = fw_dynamic_info,
	 * then jump to the firmware (or the kernel with -bios none). */
	const uint32_t code[] = {
		0x00000297, /* auipc t0, 0 */
		0x02828613, /* addi a2, t0, 40 */
		0xf1402573, /* csrr a0, mhartid */
		0x0202b583, /* ld a1, 32(t0) */
		0x0182b283, /* ld t0, 24(t0) */
		0x00028067, /* jr t0 */
	};
	struct fw_dynamic_info info = {
		.magic = FW_DYNAMIC_MAGIC,
		.version = FW_DYNAMIC_VERSION,
		.next_addr = m->cfg.kernel ? m->kernel_entry : 0,
		.next_mode = FW_DYNAMIC_NEXT_MODE_S,
		.options = 0,
		.boot_hart = 0,
	};
	uint64_t fdt_addr = m->fdt_addr;

	memset(m->rom, 0, sizeof(m->rom));
	memcpy(m->rom, code, sizeof(code));
	memcpy(m->rom + 24, &start, 8);
	memcpy(m->rom + 32, &fdt_addr, 8);
	memcpy(m->rom + 40, &info, sizeof(info));
}

void virt_boot_load(struct machine *m)
{
	if (m->firmware.data) {
		memcpy(m->ram, m->firmware.data, m->firmware.size);
	}
	if (m->kernel.data && m->kernel_is_elf) {
		boot_elf(m, &m->kernel, true, NULL);
	} else if (m->kernel.data) {
		uint8_t *dst = machine_dma(m, m->kernel_addr,
					   m->kernel_end - m->kernel_addr);

		memcpy(dst, m->kernel.data, m->kernel.size);
		memset(dst + m->kernel.size, 0,
		       m->kernel_end - m->kernel_addr - m->kernel.size);
	}
	if (m->initrd.data) {
		memcpy(machine_dma(m, m->initrd_start, m->initrd.size),
		       m->initrd.data, m->initrd.size);
	}
	memcpy(machine_dma(m, m->fdt_addr, m->fdt_size), m->fdt, m->fdt_size);
	boot_write_rom(m);
}
