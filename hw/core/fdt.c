/* SPDX-License-Identifier: MIT */
/* Device-tree building helpers over libfdt. */
#include <libfdt.h>
#include <stdio.h>

#include "hw/core/fdt.h"

uint32_t fdt_ctx_alloc_phandle(struct fdt_ctx *ctx)
{
	return ++ctx->next_phandle;
}

int fdt_ctx_check(struct fdt_ctx *ctx, int ret)
{
	if (ret < 0 && !ctx->err) {
		ctx->err = ret;
	}
	return ret;
}

int fdt_ctx_path(struct fdt_ctx *ctx, const char *path)
{
	if (ctx->err) {
		return -1;
	}
	return fdt_ctx_check(ctx, fdt_path_offset(ctx->fdt, path));
}

int fdt_ctx_add_node(struct fdt_ctx *ctx, const char *parent_path,
		     const char *name)
{
	int parent = fdt_ctx_path(ctx, parent_path);

	if (parent < 0) {
		return -1;
	}
	return fdt_ctx_check(ctx, fdt_add_subnode(ctx->fdt, parent, name));
}

int fdt_ctx_add_mmio_node(struct fdt_ctx *ctx, const char *name, gpa_t base,
			  uint64_t size)
{
	char node_name[64];
	uint32_t reg[4] = { base >> 32, (uint32_t)base, size >> 32,
			    (uint32_t)size };
	int soc = fdt_ctx_path(ctx, "/soc"), node;

	if (soc < 0) {
		return -1;
	}
	snprintf(node_name, sizeof(node_name), "%s@%llx", name,
		 (unsigned long long)base);
	node = fdt_ctx_check(ctx, fdt_add_subnode(ctx->fdt, soc, node_name));
	if (node < 0) {
		return -1;
	}
	fdt_ctx_set_cells(ctx, node, "reg", reg, 4);
	return node;
}

void fdt_ctx_set_string(struct fdt_ctx *ctx, int node, const char *prop,
			const char *value)
{
	if (!ctx->err && node >= 0) {
		fdt_ctx_check(ctx,
			      fdt_setprop_string(ctx->fdt, node, prop, value));
	}
}

void fdt_ctx_set_strings(struct fdt_ctx *ctx, int node, const char *prop,
			 const char *values, int len)
{
	if (!ctx->err && node >= 0) {
		fdt_ctx_check(ctx,
			      fdt_setprop(ctx->fdt, node, prop, values, len));
	}
}

void fdt_ctx_set_u32(struct fdt_ctx *ctx, int node, const char *prop,
		     uint32_t value)
{
	if (!ctx->err && node >= 0) {
		fdt_ctx_check(ctx,
			      fdt_setprop_u32(ctx->fdt, node, prop, value));
	}
}

void fdt_ctx_set_cells(struct fdt_ctx *ctx, int node, const char *prop,
		       const uint32_t *cells, unsigned count)
{
	fdt32_t be[64];

	if (ctx->err || node < 0) {
		return;
	}
	if (count > 64) {
		ctx->err = -FDT_ERR_NOSPACE;
		return;
	}
	for (unsigned i = 0; i < count; i++) {
		be[i] = cpu_to_fdt32(cells[i]);
	}
	fdt_ctx_check(ctx, fdt_setprop(ctx->fdt, node, prop, be,
				       count * sizeof(be[0])));
}

void fdt_ctx_set_empty(struct fdt_ctx *ctx, int node, const char *prop)
{
	if (!ctx->err && node >= 0) {
		fdt_ctx_check(ctx, fdt_setprop_empty(ctx->fdt, node, prop));
	}
}

void fdt_ctx_set_plic_irq(struct fdt_ctx *ctx, int node, unsigned irq)
{
	fdt_ctx_set_u32(ctx, node, "interrupt-parent", ctx->plic_phandle);
	fdt_ctx_set_u32(ctx, node, "interrupts", irq);
}
