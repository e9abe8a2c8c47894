/* SPDX-License-Identifier: MIT */
/* The SiFive CLINT: software interrupts and the machine timer. */
#include <stdlib.h>

#include "hw/core/fdt.h"
#include "hw/intc/clint.h"
#include "util/log.h"

#define CLINT_MSIP 0x0
#define CLINT_MTIMECMP 0x4000
#define CLINT_MTIME 0xbff8

struct clint {
	struct device dev;
	unsigned nr_harts;
	const struct clint_hart_ops *ops;
	void *opaque;
	uint32_t msip[FDT_CTX_MAX_HARTS];
	uint64_t mtimecmp[FDT_CTX_MAX_HARTS];
};

static struct clint *to_clint(struct device *dev)
{
	return container_of(dev, struct clint, dev);
}

/* Read `size` bytes at byte `shift` of a 64-bit register. */
static uint64_t clint_extract(uint64_t reg, unsigned shift, unsigned size)
{
	reg >>= shift * 8;
	return size == 8 ? reg : reg & ((1ull << (size * 8)) - 1);
}

static uint64_t clint_deposit(uint64_t reg, unsigned shift, unsigned size,
			      uint64_t val)
{
	uint64_t mask = size == 8 ? ~0ull : ((1ull << (size * 8)) - 1);

	mask <<= shift * 8;
	return (reg & ~mask) | ((val << (shift * 8)) & mask);
}

static bool clint_read(struct device *dev, uint64_t off, unsigned size,
		       uint64_t *val)
{
	struct clint *c = to_clint(dev);

	*val = 0;
	if (off < CLINT_MTIMECMP) {
		if (size == 4 && off % 4 == 0 && off / 4 < c->nr_harts) {
			*val = c->msip[off / 4];
		}
	} else if (off >= CLINT_MTIME && off + size <= CLINT_MTIME + 8) {
		*val = clint_extract(c->ops->time(c->opaque), off - CLINT_MTIME,
				     size);
	} else if (off < CLINT_MTIMECMP + 8 * c->nr_harts) {
		unsigned hart = (off - CLINT_MTIMECMP) / 8;

		if ((off & 7) + size <= 8) {
			*val = clint_extract(c->mtimecmp[hart], off & 7, size);
		}
	}
	return true;
}

static bool clint_write(struct device *dev, uint64_t off, unsigned size,
			uint64_t val)
{
	struct clint *c = to_clint(dev);

	if (off < CLINT_MTIMECMP) {
		unsigned hart = off / 4;

		if (size == 4 && off % 4 == 0 && hart < c->nr_harts) {
			c->msip[hart] = val & 1;
			c->ops->set_msip(c->opaque, hart, val & 1);
		}
	} else if (off >= CLINT_MTIME && off < CLINT_MTIME + 8) {
		log_once(LOG_UNIMP, "clint: writing mtime is not supported\n");
	} else if (off < CLINT_MTIMECMP + 8 * c->nr_harts) {
		unsigned hart = (off - CLINT_MTIMECMP) / 8;

		if ((off & 7) + size <= 8) {
			c->mtimecmp[hart] = clint_deposit(c->mtimecmp[hart],
							  off & 7, size, val);
			c->ops->set_mtimecmp(c->opaque, hart,
					     c->mtimecmp[hart]);
		}
	}
	return true;
}

static void clint_reset(struct device *dev)
{
	struct clint *c = to_clint(dev);

	for (unsigned h = 0; h < c->nr_harts; h++) {
		c->msip[h] = 0;
		c->mtimecmp[h] = UINT64_MAX;
		c->ops->set_msip(c->opaque, h, false);
		c->ops->set_mtimecmp(c->opaque, h, UINT64_MAX);
	}
}

static bool clint_fdt_node(struct device *dev, struct fdt_ctx *ctx,
			   struct error **errp)
{
	static const char compat[] = "sifive,clint0\0riscv,clint0";
	uint32_t ext[4 * FDT_CTX_MAX_HARTS];
	int node = fdt_ctx_add_mmio_node(ctx, "clint", dev->base, dev->size);

	for (unsigned h = 0; h < ctx->nr_harts; h++) {
		ext[4 * h] = ctx->intc_phandle[h];
		ext[4 * h + 1] = 3; /* M-mode software interrupt */
		ext[4 * h + 2] = ctx->intc_phandle[h];
		ext[4 * h + 3] = 7; /* M-mode timer interrupt */
	}
	fdt_ctx_set_strings(ctx, node, "compatible", compat, sizeof(compat));
	fdt_ctx_set_cells(ctx, node, "interrupts-extended", ext,
			  4 * ctx->nr_harts);
	return !ctx->err;
}

static void clint_free(struct device *dev)
{
	free(to_clint(dev));
}

static const struct device_ops clint_ops = {
	.read = clint_read,
	.write = clint_write,
	.reset = clint_reset,
	.fdt_node = clint_fdt_node,
	.free = clint_free,
};

struct device *clint_new(gpa_t base, unsigned nr_harts,
			 const struct clint_hart_ops *ops, void *opaque,
			 struct error **errp)
{
	struct clint *c;

	if (nr_harts == 0 || nr_harts > FDT_CTX_MAX_HARTS) {
		error_setg(errp, "clint: %u harts is out of range", nr_harts);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	c->dev.ops = &clint_ops;
	c->dev.name = "clint";
	c->dev.base = base;
	c->dev.size = CLINT_SIZE;
	c->nr_harts = nr_harts;
	c->ops = ops;
	c->opaque = opaque;
	return &c->dev;
}
