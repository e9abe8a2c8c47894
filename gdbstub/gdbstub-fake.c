/* SPDX-License-Identifier: MIT */
/* A fake target for the gdb stub's unit tests and fuzzer. */
#include <stdlib.h>
#include <string.h>

#include "gdbstub/gdbstub-fake.h"
#include "util/types.h"

static unsigned fake_threads(void *opaque, int *tids, unsigned max)
{
	unsigned n = MIN(max, GDBSTUB_FAKE_THREADS);

	for (unsigned i = 0; i < n; i++) {
		tids[i] = i + 1;
	}
	return n;
}

static uint64_t *fake_reg(struct gdbstub_fake *fake, int tid, unsigned regno)
{
	if (tid < 1 || tid > GDBSTUB_FAKE_THREADS || regno >= 33) {
		return NULL;
	}
	return &fake->regs[tid - 1][regno];
}

static size_t fake_read_register(void *opaque, int tid, unsigned regno,
				 uint8_t *buf)
{
	uint64_t *reg = fake_reg(opaque, tid, regno);

	if (!reg) {
		return 0;
	}
	memcpy(buf, reg, 8);
	return 8;
}

static bool fake_write_register(void *opaque, int tid, unsigned regno,
				const uint8_t *buf, size_t len)
{
	uint64_t *reg = fake_reg(opaque, tid, regno);

	if (!reg || len != 8) {
		return false;
	}
	memcpy(reg, buf, 8);
	return true;
}

static uint8_t *fake_mem(struct gdbstub_fake *fake, uint64_t addr, size_t len)
{
	if (addr < GDBSTUB_FAKE_MEM_BASE ||
	    addr - GDBSTUB_FAKE_MEM_BASE > GDBSTUB_FAKE_MEM_SIZE ||
	    len > GDBSTUB_FAKE_MEM_SIZE - (addr - GDBSTUB_FAKE_MEM_BASE)) {
		return NULL;
	}
	return fake->mem + (addr - GDBSTUB_FAKE_MEM_BASE);
}

static bool fake_read_memory(void *opaque, int tid, uint64_t addr, uint8_t *buf,
			     size_t len)
{
	uint8_t *p = fake_mem(opaque, addr, len);

	if (p) {
		memcpy(buf, p, len);
	}
	return p != NULL;
}

static bool fake_write_memory(void *opaque, int tid, uint64_t addr,
			      const uint8_t *buf, size_t len)
{
	uint8_t *p = fake_mem(opaque, addr, len);

	if (p) {
		memcpy(p, buf, len);
	}
	return p != NULL;
}

static bool fake_point(void *opaque, enum gdb_point_type type, uint64_t addr,
		       uint64_t kind)
{
	struct gdbstub_fake *fake = opaque;

	fake->points++;
	return type <= GDB_POINT_WATCH_WRITE;
}

static void fake_remove_all(void *opaque)
{
}

static void fake_stop(void *opaque)
{
	struct gdbstub_fake *fake = opaque;

	fake->stops++;
}

static void fake_resume(void *opaque, const struct gdb_resume *resume)
{
	struct gdbstub_fake *fake = opaque;

	fake->resumes++;
	fake->last_resume = *resume;
}

static const char *fake_xml(void *opaque, const char *annex)
{
	return strcmp(annex, "target.xml") ? NULL : "<target>$#}*</target>";
}

static char *fake_monitor(void *opaque, const char *command)
{
	return strcmp(command, "fail") ? strdup(command) : NULL;
}

static void fake_kill(void *opaque)
{
	struct gdbstub_fake *fake = opaque;

	fake->kills++;
}

const struct gdbstub_ops gdbstub_fake_ops = {
	.threads = fake_threads,
	.read_register = fake_read_register,
	.write_register = fake_write_register,
	.g_registers = 33,
	.read_memory = fake_read_memory,
	.write_memory = fake_write_memory,
	.insert_point = fake_point,
	.remove_point = fake_point,
	.remove_all_points = fake_remove_all,
	.stop = fake_stop,
	.resume = fake_resume,
	.target_xml = fake_xml,
	.kill = fake_kill,
	.monitor_command = fake_monitor,
};

static void fake_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct gdbstub_fake *fake = opaque;

	len = MIN(len, GDBSTUB_FAKE_OUT_MAX - fake->out_len);
	memcpy(fake->out + fake->out_len, buf, len);
	fake->out_len += len;
	fake->out[fake->out_len] = 0;
}

struct gdbstub *gdbstub_fake_new(struct gdbstub_fake *fake)
{
	struct gdbstub *stub;

	memset(fake, 0, sizeof(*fake));
	stub = gdbstub_new(&gdbstub_fake_ops, fake, fake_write, fake);
	if (stub) {
		gdbstub_connected(stub);
	}
	return stub;
}
