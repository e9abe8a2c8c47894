/* SPDX-License-Identifier: MIT */
/* The SiFive PLIC: level-triggered gateways, claim/complete per context. */
#include <stdlib.h>
#include <string.h>

#include "hw/core/fdt.h"
#include "hw/intc/plic.h"
#include "util/log.h"

#define PLIC_PRIORITY_BASE 0x0
#define PLIC_PENDING_BASE 0x1000
#define PLIC_ENABLE_BASE 0x2000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_CONTEXT_BASE 0x200000
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_WORDS ((PLIC_NUM_SOURCES + 31) / 32)
#define PLIC_MAX_CONTEXTS (2 * FDT_CTX_MAX_HARTS)

struct plic {
	struct device dev;
	unsigned nr_contexts;
	plic_output_fn *output;
	void *opaque;
	uint32_t priority[PLIC_NUM_SOURCES];
	uint32_t level[PLIC_WORDS]; /* the device's line */
	uint32_t pending[PLIC_WORDS];
	uint32_t claimed[PLIC_WORDS];
	uint32_t enable[PLIC_MAX_CONTEXTS][PLIC_WORDS];
	uint32_t threshold[PLIC_MAX_CONTEXTS];
	bool output_level[PLIC_MAX_CONTEXTS];
};

static struct plic *to_plic(struct device *dev)
{
	return container_of(dev, struct plic, dev);
}

static bool plic_bit(const uint32_t *words, unsigned irq)
{
	return (words[irq / 32] >> (irq % 32)) & 1;
}

static void plic_set_bit(uint32_t *words, unsigned irq, bool on)
{
	if (on) {
		words[irq / 32] |= 1u << (irq % 32);
	} else {
		words[irq / 32] &= ~(1u << (irq % 32));
	}
}

/* The best source for a context: highest priority above the threshold,
 * lowest id on ties; 0 if none. */
static unsigned plic_best(const struct plic *p, unsigned ctx)
{
	unsigned best = 0;
	uint32_t best_prio = p->threshold[ctx];

	for (unsigned w = 0; w < PLIC_WORDS; w++) {
		uint32_t cand =
			p->pending[w] & ~p->claimed[w] & p->enable[ctx][w];

		while (cand) {
			unsigned irq = w * 32 + __builtin_ctz(cand);

			cand &= cand - 1;
			if (p->priority[irq] > best_prio) {
				best_prio = p->priority[irq];
				best = irq;
			}
		}
	}
	return best;
}

static void plic_update(struct plic *p)
{
	for (unsigned ctx = 0; ctx < p->nr_contexts; ctx++) {
		bool level = plic_best(p, ctx) != 0;

		if (level != p->output_level[ctx]) {
			p->output_level[ctx] = level;
			p->output(p->opaque, ctx, level);
		}
	}
}

static void plic_set_irq(void *opaque, int irq, int level)
{
	struct plic *p = opaque;

	if (irq <= 0 || irq >= PLIC_NUM_SOURCES) {
		return;
	}
	plic_set_bit(p->level, irq, level);
	/* Pending follows the line, as on QEMU's board; a line still high
	 * at completion pends again. */
	plic_set_bit(p->pending, irq, level);
	plic_update(p);
}

struct irq_line plic_irq_line(struct device *plic, unsigned irq)
{
	return (struct irq_line){ plic_set_irq, to_plic(plic), (int)irq };
}

static uint32_t plic_claim(struct plic *p, unsigned ctx)
{
	unsigned irq = plic_best(p, ctx);

	if (irq) {
		plic_set_bit(p->pending, irq, false);
		plic_set_bit(p->claimed, irq, true);
		plic_update(p);
	}
	return irq;
}

static void plic_complete(struct plic *p, unsigned ctx, uint32_t irq)
{
	if (irq == 0 || irq >= PLIC_NUM_SOURCES ||
	    !plic_bit(p->enable[ctx], irq)) {
		return;
	}
	plic_set_bit(p->claimed, irq, false);
	if (plic_bit(p->level, irq)) {
		plic_set_bit(p->pending, irq, true);
	}
	plic_update(p);
}

static bool plic_read(struct device *dev, uint64_t off, unsigned size,
		      uint64_t *val)
{
	struct plic *p = to_plic(dev);

	*val = 0;
	if (size != 4) {
		log_once(LOG_GUEST_ERROR, "plic: %u-byte access at 0x%llx\n",
			 size, (unsigned long long)off);
		return false;
	}
	if (off < PLIC_PENDING_BASE) {
		if (off / 4 < PLIC_NUM_SOURCES) {
			*val = p->priority[off / 4];
		}
	} else if (off < PLIC_ENABLE_BASE) {
		if ((off - PLIC_PENDING_BASE) / 4 < PLIC_WORDS) {
			*val = p->pending[(off - PLIC_PENDING_BASE) / 4];
		}
	} else if (off < PLIC_CONTEXT_BASE) {
		unsigned ctx = (off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
		unsigned w = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;

		if (ctx < p->nr_contexts && w < PLIC_WORDS) {
			*val = p->enable[ctx][w];
		}
	} else {
		unsigned ctx = (off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
		unsigned reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;

		if (ctx < p->nr_contexts && reg == 0) {
			*val = p->threshold[ctx];
		} else if (ctx < p->nr_contexts && reg == 4) {
			*val = plic_claim(p, ctx);
		}
	}
	return true;
}

static bool plic_write(struct device *dev, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct plic *p = to_plic(dev);

	if (size != 4) {
		log_once(LOG_GUEST_ERROR, "plic: %u-byte access at 0x%llx\n",
			 size, (unsigned long long)off);
		return false;
	}
	if (off < PLIC_PENDING_BASE) {
		if (off / 4 > 0 && off / 4 < PLIC_NUM_SOURCES) {
			p->priority[off / 4] = val & PLIC_NUM_PRIORITIES;
		}
	} else if (off < PLIC_ENABLE_BASE) {
		return true; /* pending bits are read-only */
	} else if (off < PLIC_CONTEXT_BASE) {
		unsigned ctx = (off - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE;
		unsigned w = (off - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE / 4;

		if (ctx < p->nr_contexts && w < PLIC_WORDS) {
			/* Source 0 does not exist. */
			p->enable[ctx][w] = (uint32_t)val & (w ? ~0u : ~1u);
		}
	} else {
		unsigned ctx = (off - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE;
		unsigned reg = (off - PLIC_CONTEXT_BASE) % PLIC_CONTEXT_STRIDE;

		if (ctx < p->nr_contexts && reg == 0) {
			p->threshold[ctx] = val & PLIC_NUM_PRIORITIES;
		} else if (ctx < p->nr_contexts && reg == 4) {
			plic_complete(p, ctx, val);
			return true;
		}
	}
	plic_update(p);
	return true;
}

static void plic_reset(struct device *dev)
{
	struct plic *p = to_plic(dev);

	memset(p->priority, 0, sizeof(p->priority));
	memset(p->pending, 0, sizeof(p->pending));
	memset(p->claimed, 0, sizeof(p->claimed));
	memset(p->enable, 0, sizeof(p->enable));
	memset(p->threshold, 0, sizeof(p->threshold));
	/* Lines still high pend again. */
	memcpy(p->pending, p->level, sizeof(p->pending));
	plic_update(p);
}

static bool plic_fdt_node(struct device *dev, struct fdt_ctx *ctx,
			  struct error **errp)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	uint32_t ext[4 * FDT_CTX_MAX_HARTS];
	int node = fdt_ctx_add_mmio_node(ctx, "plic", dev->base, dev->size);

	for (unsigned h = 0; h < ctx->nr_harts; h++) {
		ext[4 * h] = ctx->intc_phandle[h];
		ext[4 * h + 1] = 11; /* M-mode external interrupt */
		ext[4 * h + 2] = ctx->intc_phandle[h];
		ext[4 * h + 3] = 9; /* S-mode external interrupt */
	}
	fdt_ctx_set_strings(ctx, node, "compatible", compat, sizeof(compat));
	fdt_ctx_set_u32(ctx, node, "#address-cells", 0);
	fdt_ctx_set_u32(ctx, node, "#interrupt-cells", 1);
	fdt_ctx_set_empty(ctx, node, "interrupt-controller");
	fdt_ctx_set_cells(ctx, node, "interrupts-extended", ext,
			  4 * ctx->nr_harts);
	fdt_ctx_set_u32(ctx, node, "riscv,ndev", PLIC_NUM_SOURCES - 1);
	fdt_ctx_set_u32(ctx, node, "phandle", ctx->plic_phandle);
	return !ctx->err;
}

static void plic_free(struct device *dev)
{
	free(to_plic(dev));
}

static const struct device_ops plic_ops = {
	.read = plic_read,
	.write = plic_write,
	.reset = plic_reset,
	.fdt_node = plic_fdt_node,
	.free = plic_free,
};

struct device *plic_new(gpa_t base, unsigned nr_harts, plic_output_fn *output,
			void *opaque, struct error **errp)
{
	struct plic *p;

	if (nr_harts == 0 || nr_harts > FDT_CTX_MAX_HARTS) {
		error_setg(errp, "plic: %u harts is out of range", nr_harts);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	p->dev.ops = &plic_ops;
	p->dev.name = "plic";
	p->dev.base = base;
	p->nr_contexts = 2 * nr_harts;
	p->dev.size = PLIC_CONTEXT_BASE + p->nr_contexts * PLIC_CONTEXT_STRIDE;
	p->output = output;
	p->opaque = opaque;
	return &p->dev;
}
