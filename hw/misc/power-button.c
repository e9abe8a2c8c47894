/* SPDX-License-Identifier: MIT */
/* mimic's power button: a latched "powerdown requested" bit for guests
 * without ACPI, described in the device tree as "mimic,power-button". */
#include <stdlib.h>

#include "hw/core/fdt.h"
#include "hw/misc/power-button.h"

struct power_button {
	struct device dev;
	uint32_t status;
};

static struct power_button *to_button(struct device *dev)
{
	return container_of(dev, struct power_button, dev);
}

static bool power_button_read(struct device *dev, uint64_t off, unsigned size,
			      uint64_t *val)
{
	*val = off == POWER_BUTTON_STATUS ? to_button(dev)->status : 0;
	return true;
}

static bool power_button_write(struct device *dev, uint64_t off, unsigned size,
			       uint64_t val)
{
	if (off == POWER_BUTTON_STATUS) {
		to_button(dev)->status &= ~(uint32_t)val;
	}
	return true;
}

static void power_button_reset(struct device *dev)
{
	to_button(dev)->status = 0;
}

static bool power_button_fdt_node(struct device *dev, struct fdt_ctx *ctx,
				  struct error **errp)
{
	int node = fdt_ctx_add_mmio_node(ctx, "power-button", dev->base,
					 dev->size);

	fdt_ctx_set_string(ctx, node, "compatible", "mimic,power-button");
	return !ctx->err;
}

static void power_button_free(struct device *dev)
{
	free(to_button(dev));
}

static const struct device_ops power_button_ops = {
	.read = power_button_read,
	.write = power_button_write,
	.reset = power_button_reset,
	.fdt_node = power_button_fdt_node,
	.free = power_button_free,
};

void power_button_press(struct device *dev)
{
	to_button(dev)->status |= POWER_BUTTON_PRESSED;
}

struct device *power_button_new(gpa_t base, struct error **errp)
{
	struct power_button *b = calloc(1, sizeof(*b));

	if (!b) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	b->dev.ops = &power_button_ops;
	b->dev.name = "power-button";
	b->dev.base = base;
	b->dev.size = POWER_BUTTON_SIZE;
	return &b->dev;
}
