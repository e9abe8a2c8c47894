/* SPDX-License-Identifier: MIT */
/* A fake machine for the monitor's unit tests and fuzzer. */
#ifndef MIMIC_MONITOR_MACHINE_FAKE_H
#define MIMIC_MONITOR_MACHINE_FAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/monitor.h"

#define MONITOR_FAKE_RAM_BASE 0x80000000ull

struct monitor_fake_machine {
	bool paused;
	unsigned resets, powerdowns, quits;
	uint8_t ram[65536];
};
extern struct monitor_fake_machine monitor_fake;
extern const struct monitor_machine_ops monitor_fake_ops;

/* Reset the fake and (once) start the monitor on it with no clients. */
bool monitor_fake_start(void);

#endif
