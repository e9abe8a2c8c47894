/* SPDX-License-Identifier: MIT */
/* A machine made of a few variables, for the monitor's unit tests and its
 * fuzzer: run state, 64 KiB of "RAM" at 0x80000000, counters. */
#include <string.h>

#include "monitor/machine-fake.h"
#include "monitor/monitor-internal.h"
#include "util/main-loop.h"

struct monitor_fake_machine monitor_fake;

static void fake_pause(void *opaque)
{
	monitor_fake.paused = true;
}

static void fake_resume(void *opaque)
{
	monitor_fake.paused = false;
}

static bool fake_is_paused(void *opaque)
{
	return monitor_fake.paused;
}

static void fake_reset(void *opaque)
{
	monitor_fake.resets++;
}

static void fake_powerdown(void *opaque)
{
	monitor_fake.powerdowns++;
}

static void fake_quit(void *opaque)
{
	monitor_fake.quits++;
}

static unsigned fake_nr_harts(void *opaque)
{
	return 2;
}

static bool fake_read_phys(void *opaque, gpa_t addr, void *buf, size_t len)
{
	uint64_t off = addr - MONITOR_FAKE_RAM_BASE;

	if (addr < MONITOR_FAKE_RAM_BASE || off > sizeof(monitor_fake.ram) ||
	    len > sizeof(monitor_fake.ram) - off) {
		return false;
	}
	memcpy(buf, monitor_fake.ram + off, len);
	return true;
}

static bool fake_device_at(void *opaque, unsigned index, const char **name,
			   gpa_t *base, uint64_t *size)
{
	if (index > 0) {
		return false;
	}
	*name = "fake-uart";
	*base = 0x10000000;
	*size = 0x100;
	return true;
}

static uint64_t fake_ram_size(void *opaque)
{
	return sizeof(monitor_fake.ram);
}

const struct monitor_machine_ops monitor_fake_ops = {
	.pause = fake_pause,
	.resume = fake_resume,
	.is_paused = fake_is_paused,
	.reset = fake_reset,
	.powerdown = fake_powerdown,
	.quit = fake_quit,
	.nr_harts = fake_nr_harts,
	.read_phys = fake_read_phys,
	.device_at = fake_device_at,
	.ram_size = fake_ram_size,
};

bool monitor_fake_start(void)
{
	static bool started;
	struct error *err = NULL;

	memset(&monitor_fake, 0, sizeof(monitor_fake));
	if (started) {
		return true;
	}
	if (!main_loop_init(&err) ||
	    !monitor_start(&monitor_fake_ops, NULL, "fake", &err)) {
		error_free(err);
		return false;
	}
	started = true;
	return true;
}
