/* SPDX-License-Identifier: MIT */
/* The device model: MMIO devices with a const ops table, IRQ lines, and
 * device types registered by name for -device. */
#ifndef MIMIC_HW_CORE_DEVICE_H
#define MIMIC_HW_CORE_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"
#include "util/types.h"

/* An interrupt line into an interrupt controller (for the virt board: a
 * PLIC source number). */
typedef void set_irq_fn(void *opaque, int irq, int level);
struct irq_line {
	set_irq_fn *set_irq;
	void *opaque;
	int irq;
};

static inline void irq_line_set(const struct irq_line *line, int level)
{
	if (line->set_irq) {
		line->set_irq(line->opaque, line->irq, level);
	}
}

struct device;
struct fdt_ctx;

/*
 * What a device does. read/write get the offset into the device's range
 * and an access size of 1, 2, 4 or 8 bytes; returning false makes the
 * access fault. They are called with the big lock held (hw/core/bql.h).
 */
struct device_ops {
	bool (*read)(struct device *dev, uint64_t offset, unsigned size,
		     uint64_t *val);
	bool (*write)(struct device *dev, uint64_t offset, unsigned size,
		      uint64_t val);
	/* Machine reset: back to the power-on state. */
	void (*reset)(struct device *dev);
	/* Add the device's node (under /soc for MMIO devices). */
	bool (*fdt_node)(struct device *dev, struct fdt_ctx *ctx,
			 struct error **errp);
	void (*free)(struct device *dev);
};

/* The common part every device embeds; reach the outer struct with
 * container_of. */
struct device {
	const struct device_ops *ops;
	const char *name; /* for messages and the node name ("serial") */
	gpa_t base;
	uint64_t size; /* 0: no MMIO range (e.g. a backend-only device) */
	struct irq_line irq;
};

struct machine;
struct opts;

/*
 * A device type that -device NAME,... can create. create() parses its own
 * options (opts_check_unused for the rest) and adds what it made to the
 * machine with machine_add_device().
 */
struct device_type {
	const char *name;
	const char *help;
	bool (*create)(struct machine *machine, struct opts *opts,
		       struct error **errp);
	/* For -device NAME,help: "key=VALUE  meaning\n" lines (or NULL). */
	const char *properties;
};

/* Register from a constructor: __attribute__((constructor)). */
void device_type_register(const struct device_type *type);
const struct device_type *device_type_find(const char *name);
/* Print the registered types (-device help). */
void device_type_list(void);
/* Print a type's properties (-device NAME,help). */
void device_type_print_properties(const struct device_type *type);

#endif
