/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes loaded as a riscv64 program by mimic-riscv64's ELF loader. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char *argv[] = { "prog", "arg", NULL };
	char *envp[] = { "A=B", NULL };
	struct user_load_args args = {
		.argv = argv,
		.envp = envp,
		/* PT_INTERP is looked up here: nothing of the host's. */
		.ld_prefix = "/nonexistent-fuzz-sysroot",
		.stack_size = 1 << 20,
	};
	struct user_image img;
	struct error *err = NULL;
	char path[64];
	int fd;

	if (!ready) {
		ready = mm_init(NULL) ? 1 : -1;
	}
	if (ready < 0) {
		return 0;
	}
	fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		args.path = path;
		if (!elf_load_program(&args, &img, &err)) {
			error_free(err);
		}
	}
	close(fd);
	/* The next input starts from an empty address space. */
	mm_munmap(0, USER_SPACE_SIZE);
	return 0;
}
