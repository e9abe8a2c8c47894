/* SPDX-License-Identifier: MIT */
/* The SiFive CLINT (riscv,clint0): msip, mtimecmp and mtime per hart. */
#ifndef MIMIC_HW_INTC_CLINT_H
#define MIMIC_HW_INTC_CLINT_H

#include "hw/core/device.h"

#define CLINT_SIZE 0x10000
#define CLINT_TIMEBASE_HZ 10000000

/* How the CLINT reaches the harts: the board forwards to the CPU. */
struct clint_hart_ops {
	void (*set_msip)(void *opaque, unsigned hart, bool level);
	void (*set_mtimecmp)(void *opaque, unsigned hart, uint64_t value);
	uint64_t (*time)(void *opaque); /* mtime: 10 MHz ticks */
};

struct device *clint_new(gpa_t base, unsigned nr_harts,
			 const struct clint_hart_ops *ops, void *opaque,
			 struct error **errp);

#endif
