/* SPDX-License-Identifier: MIT */
/* Building the device tree: what devices need to describe themselves. */
#ifndef MIMIC_HW_CORE_FDT_H
#define MIMIC_HW_CORE_FDT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"
#include "util/types.h"

#define FDT_CTX_MAX_HARTS 8

/*
 * The tree being built. Node offsets move as nodes are added, so helpers
 * look parents up by path. The first libfdt failure is kept in err and
 * every later helper does nothing; the board checks err at the end.
 */
struct fdt_ctx {
	void *fdt;
	int err; /* first libfdt error, 0 if none */
	uint32_t next_phandle;
	uint32_t plic_phandle;
	unsigned nr_harts;
	uint32_t
		intc_phandle[FDT_CTX_MAX_HARTS]; /* per hart "riscv,cpu-intc" */
};

uint32_t fdt_ctx_alloc_phandle(struct fdt_ctx *ctx);
/* Record ret if it is a libfdt error; returns ret. */
int fdt_ctx_check(struct fdt_ctx *ctx, int ret);
/* Add /soc/NAME@BASE with reg = <base size>; returns its offset or -1. */
int fdt_ctx_add_mmio_node(struct fdt_ctx *ctx, const char *name, gpa_t base,
			  uint64_t size);
/* Add parent_path/name; returns its offset or -1. */
int fdt_ctx_add_node(struct fdt_ctx *ctx, const char *parent_path,
		     const char *name);
/* Look a node up again by path (offsets move as the tree grows). */
int fdt_ctx_path(struct fdt_ctx *ctx, const char *path);
void fdt_ctx_set_string(struct fdt_ctx *ctx, int node, const char *prop,
			const char *value);
/* A string list: values separated by '\0', total length len. */
void fdt_ctx_set_strings(struct fdt_ctx *ctx, int node, const char *prop,
			 const char *values, int len);
void fdt_ctx_set_u32(struct fdt_ctx *ctx, int node, const char *prop,
		     uint32_t value);
void fdt_ctx_set_cells(struct fdt_ctx *ctx, int node, const char *prop,
		       const uint32_t *cells, unsigned count);
void fdt_ctx_set_empty(struct fdt_ctx *ctx, int node, const char *prop);
/* interrupt-parent = PLIC, interrupts = <irq>. */
void fdt_ctx_set_plic_irq(struct fdt_ctx *ctx, int node, unsigned irq);

#endif
