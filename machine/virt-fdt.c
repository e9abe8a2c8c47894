/* SPDX-License-Identifier: MIT */
/* The virt board's device tree, shaped like QEMU's so that OpenSBI and
 * Linux find the same nodes. */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/core/fdt.h"
#include "hw/intc/clint.h"
#include "machine/virt-internal.h"

/* Room for OpenSBI's and Linux's in-place edits, on top of our nodes. */
#define FDT_BUILD_SIZE (64 * 1024)

static void virt_fdt_cpus(struct machine *m, struct fdt_ctx *ctx)
{
	int cpus = fdt_ctx_add_node(ctx, "/", "cpus");
	char name[32], path[64];

	fdt_ctx_set_u32(ctx, cpus, "#address-cells", 1);
	fdt_ctx_set_u32(ctx, cpus, "#size-cells", 0);
	fdt_ctx_set_u32(ctx, cpus, "timebase-frequency", CLINT_TIMEBASE_HZ);
	/* libfdt adds subnodes first-in-front: add the last hart first so
	 * that cpu@0 comes first, as in QEMU's tree. */
	for (int h = m->nr_harts - 1; h >= 0; h--) {
		uint32_t cpu_phandle = fdt_ctx_alloc_phandle(ctx);
		int cpu, intc;

		snprintf(name, sizeof(name), "cpu@%d", h);
		cpu = fdt_ctx_add_node(ctx, "/cpus", name);
		fdt_ctx_set_string(ctx, cpu, "device_type", "cpu");
		fdt_ctx_set_u32(ctx, cpu, "reg", h);
		fdt_ctx_set_string(ctx, cpu, "status", "okay");
		fdt_ctx_set_string(ctx, cpu, "compatible", "riscv");
		fdt_ctx_set_string(ctx, cpu, "riscv,isa",
				   riscv_cpu_isa_string());
		fdt_ctx_set_string(ctx, cpu, "mmu-type", "riscv,sv57");
		fdt_ctx_set_u32(ctx, cpu, "phandle", cpu_phandle);
		snprintf(path, sizeof(path), "/cpus/%s", name);
		intc = fdt_ctx_add_node(ctx, path, "interrupt-controller");
		fdt_ctx_set_u32(ctx, intc, "#address-cells", 0);
		fdt_ctx_set_u32(ctx, intc, "#interrupt-cells", 1);
		fdt_ctx_set_empty(ctx, intc, "interrupt-controller");
		fdt_ctx_set_string(ctx, intc, "compatible", "riscv,cpu-intc");
		ctx->intc_phandle[h] = fdt_ctx_alloc_phandle(ctx);
		fdt_ctx_set_u32(ctx, intc, "phandle", ctx->intc_phandle[h]);
	}
	fdt_ctx_add_node(ctx, "/cpus", "cpu-map");
	fdt_ctx_add_node(ctx, "/cpus/cpu-map", "cluster0");
	for (int h = m->nr_harts - 1; h >= 0; h--) {
		int core;

		snprintf(name, sizeof(name), "core%d", h);
		core = fdt_ctx_add_node(ctx, "/cpus/cpu-map/cluster0", name);
		snprintf(path, sizeof(path), "/cpus/cpu@%d", h);
		fdt_ctx_set_u32(
			ctx, core, "cpu",
			fdt_get_phandle(ctx->fdt, fdt_ctx_path(ctx, path)));
	}
}

static void virt_fdt_root(struct machine *m, struct fdt_ctx *ctx)
{
	int root = fdt_ctx_path(ctx, "/"), node;
	uint32_t reg[4] = { VIRT_DRAM_BASE >> 32, (uint32_t)VIRT_DRAM_BASE,
			    m->ram_size >> 32, (uint32_t)m->ram_size };
	char name[32];

	fdt_ctx_set_u32(ctx, root, "#address-cells", 2);
	fdt_ctx_set_u32(ctx, root, "#size-cells", 2);
	fdt_ctx_set_string(ctx, root, "compatible", "riscv-virtio");
	fdt_ctx_set_string(ctx, root, "model", "riscv-virtio,qemu");
	node = fdt_ctx_add_node(ctx, "/", "soc");
	fdt_ctx_set_u32(ctx, node, "#address-cells", 2);
	fdt_ctx_set_u32(ctx, node, "#size-cells", 2);
	fdt_ctx_set_string(ctx, node, "compatible", "simple-bus");
	fdt_ctx_set_empty(ctx, node, "ranges");
	snprintf(name, sizeof(name), "memory@%llx",
		 (unsigned long long)VIRT_DRAM_BASE);
	node = fdt_ctx_add_node(ctx, "/", name);
	fdt_ctx_set_string(ctx, node, "device_type", "memory");
	fdt_ctx_set_cells(ctx, node, "reg", reg, 4);
	virt_fdt_cpus(m, ctx);
	node = fdt_ctx_add_node(ctx, "/", "chosen");
	fdt_ctx_set_string(ctx, node, "stdout-path", "/soc/serial@10000000");
}

static bool virt_fdt_generate(struct machine *m, struct error **errp)
{
	struct fdt_ctx ctx = { .nr_harts = m->nr_harts };

	ctx.fdt = calloc(1, FDT_BUILD_SIZE);
	if (!ctx.fdt) {
		error_setg(errp, "out of memory");
		return false;
	}
	fdt_ctx_check(&ctx, fdt_create_empty_tree(ctx.fdt, FDT_BUILD_SIZE));
	virt_fdt_root(m, &ctx);
	ctx.plic_phandle = fdt_ctx_alloc_phandle(&ctx);
	/* Highest address first, so that the nodes read in address order
	 * (libfdt inserts each new node first under its parent). */
	for (int i = m->nr_devices - 1; i >= 0 && !ctx.err; i--) {
		struct device *dev = m->devices[i];

		if (dev->ops->fdt_node &&
		    !dev->ops->fdt_node(dev, &ctx, errp)) {
			break;
		}
	}
	m->fdt = ctx.fdt;
	if (ctx.err) {
		error_setg(errp, "building the device tree: %s",
			   fdt_strerror(ctx.err));
		return false;
	}
	return true;
}

bool virt_fdt_build(struct machine *m, struct error **errp)
{
	int r;

	if (m->cfg.dtb) {
		/* -dtb: the user's tree, with room for /chosen. */
		m->fdt = calloc(1, m->dtb_file.size + FDT_BUILD_SIZE);
		if (!m->fdt) {
			error_setg(errp, "out of memory");
			return false;
		}
		r = fdt_open_into(m->dtb_file.data, m->fdt,
				  m->dtb_file.size + FDT_BUILD_SIZE);
		if (r < 0) {
			error_setg(errp, "-dtb '%s' is not a device tree: %s",
				   m->cfg.dtb, fdt_strerror(r));
			return false;
		}
	} else if (!virt_fdt_generate(m, errp)) {
		return false;
	}
	/* Reserve the /chosen properties now so that their values later do
	 * not change the size. */
	if (!virt_fdt_set_chosen(m, errp)) {
		return false;
	}
	m->fdt_size = fdt_totalsize(m->fdt);
	return true;
}

bool virt_fdt_set_chosen(struct machine *m, struct error **errp)
{
	struct fdt_ctx ctx = { .fdt = m->fdt };
	int chosen = fdt_path_offset(m->fdt, "/chosen");

	if (chosen < 0) {
		chosen = fdt_ctx_add_node(&ctx, "/", "chosen");
	}
	if (m->cfg.append) {
		fdt_ctx_set_string(&ctx, chosen, "bootargs", m->cfg.append);
	}
	if (m->cfg.initrd) {
		fdt_ctx_check(&ctx, fdt_setprop_u64(m->fdt, chosen,
						    "linux,initrd-start",
						    m->initrd_start));
		fdt_ctx_check(&ctx, fdt_setprop_u64(m->fdt, chosen,
						    "linux,initrd-end",
						    m->initrd_end));
	}
	if (ctx.err) {
		error_setg(errp, "device tree /chosen: %s",
			   fdt_strerror(ctx.err));
		return false;
	}
	return true;
}

bool machine_dump_dtb(struct machine *m, struct error **errp)
{
	FILE *f;

	if (!virt_machine_finish(m, errp)) {
		return false;
	}
	f = fopen(m->cfg.dumpdtb, "wb");
	if (!f || fwrite(m->fdt, 1, fdt_totalsize(m->fdt), f) !=
			  fdt_totalsize(m->fdt)) {
		error_setg(errp, "could not write the device tree to '%s'",
			   m->cfg.dumpdtb);
		if (f) {
			fclose(f);
		}
		return false;
	}
	if (fclose(f)) {
		error_setg(errp, "could not write the device tree to '%s'",
			   m->cfg.dumpdtb);
		return false;
	}
	return true;
}
