/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes given to the virt board as -kernel (ELF or Linux Image), -dtb or -bios. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "machine/machine.h"
#include "util/error.h"

#define DEFAULT_FW "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_config cfg;
	struct error *err = NULL;
	struct machine *m;
	char path[64];
	int fd;

	if (size < 1) {
		return 0;
	}
	fd = memfd_create("fuzz-boot", MFD_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	if (write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&cfg, 0, sizeof(cfg));
	cfg.ram_size = 64 << 20;
	cfg.nr_harts = 1 + (data[0] & 1);
	/* The first byte picks what the rest of the input is. */
	switch ((data[0] >> 1) % 4) {
	case 0: /* a kernel started in M-mode */
		cfg.bios = "none";
		cfg.kernel = path;
		break;
	case 1: /* a kernel after OpenSBI, with a command line */
		cfg.bios = access(DEFAULT_FW, R_OK) ? "none" : DEFAULT_FW;
		cfg.kernel = path;
		cfg.append = "console=ttyS0";
		break;
	case 2: /* the device tree */
		cfg.bios = "none";
		cfg.dtb = path;
		break;
	default: /* the firmware */
		cfg.bios = path;
		break;
	}
	m = machine_new(&cfg, &err);
	if (m) {
		machine_free(m);
	} else {
		error_free(err);
	}
	close(fd);
	return 0;
}
