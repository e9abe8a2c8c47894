/* SPDX-License-Identifier: MIT */
/* A fake target for the gdb stub's unit tests and fuzzer: two threads of
 * 33 eight-byte registers, 4 KiB of memory, a monitor that echoes its
 * command ("fail" fails), and a log of what was asked. */
#ifndef MIMIC_GDBSTUB_GDBSTUB_FAKE_H
#define MIMIC_GDBSTUB_GDBSTUB_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "gdbstub/gdbstub.h"

#define GDBSTUB_FAKE_MEM_BASE 0x1000ull
#define GDBSTUB_FAKE_MEM_SIZE 4096
#define GDBSTUB_FAKE_THREADS 2
#define GDBSTUB_FAKE_OUT_MAX 65536

struct gdbstub_fake {
	uint64_t regs[GDBSTUB_FAKE_THREADS][33];
	uint8_t mem[GDBSTUB_FAKE_MEM_SIZE];
	unsigned stops, resumes, kills, points;
	struct gdb_resume last_resume;
	/* What the stub sent, NUL-terminated (the tail is dropped). */
	char out[GDBSTUB_FAKE_OUT_MAX + 1];
	size_t out_len;
};

extern const struct gdbstub_ops gdbstub_fake_ops;

/* A stub on a zeroed fake, connected. */
struct gdbstub *gdbstub_fake_new(struct gdbstub_fake *fake);

#endif
