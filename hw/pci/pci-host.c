/* SPDX-License-Identifier: MIT */
/* The PCIe ECAM host bridge of the virt board: config space through ECAM,
 * the MMIO window dispatched to BARs, INTx swizzled onto four PLIC lines,
 * and the pci-host-ecam-generic node shaped like QEMU's. */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "hw/core/device.h"
#include "hw/core/fdt.h"
#include "hw/pci/pci.h"
#include "machine/machine.h"
#include "util/log.h"

#define PCI_NUM_PINS 4

struct pci_host {
	struct device ecam;
	struct machine *machine;
	struct irq_line intx[PCI_NUM_PINS];
	unsigned intx_count[PCI_NUM_PINS];
	struct pci_device *slots[PCI_MAX_SLOTS];
	struct pci_device bridge;
};

/* The MMIO and PIO windows are separate devices on the board's map. */
struct pci_window {
	struct device dev;
	struct pci_host *host;
};

static struct pci_host *pci_host_current;

static struct pci_host *to_host(struct device *dev)
{
	return container_of(dev, struct pci_host, ecam);
}

static unsigned pci_intx_index(struct pci_device *pd)
{
	unsigned pin = pd->config[PCI_INTERRUPT_PIN];

	return (pd->slot + pin - 1) % PCI_NUM_PINS;
}

static void pci_update_irq(struct pci_device *pd)
{
	uint16_t cmd =
		pd->config[PCI_COMMAND] | (pd->config[PCI_COMMAND + 1] << 8);
	bool level = pd->irq_level && !(cmd & PCI_COMMAND_INTX_DISABLE);
	struct pci_host *host = pd->host;
	unsigned line = pci_intx_index(pd);

	if (pd->irq_level) {
		pd->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	} else {
		pd->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
	}
	if (!host || level == pd->intx_asserted) {
		return;
	}
	pd->intx_asserted = level;
	if (level) {
		host->intx_count[line]++;
	} else if (host->intx_count[line]) {
		host->intx_count[line]--;
	}
	irq_line_set(&host->intx[line], host->intx_count[line] != 0);
}

void pci_device_set_irq(struct pci_device *pd, bool level)
{
	pd->irq_level = level;
	pci_update_irq(pd);
}

void pci_device_init(struct pci_device *pd, const struct pci_device_ops *ops,
		     const char *name, uint16_t vendor, uint16_t device,
		     uint32_t class_code, uint8_t revision)
{
	memset(pd->config, 0, sizeof(pd->config));
	memset(pd->wmask, 0, sizeof(pd->wmask));
	pd->ops = ops;
	pd->name = name;
	memcpy(pd->config + PCI_VENDOR_ID, &vendor, 2);
	memcpy(pd->config + PCI_DEVICE_ID, &device, 2);
	pd->config[PCI_REVISION_ID] = revision;
	pd->config[PCI_CLASS_PROG] = class_code;
	pd->config[PCI_CLASS_PROG + 1] = class_code >> 8;
	pd->config[PCI_CLASS_PROG + 2] = class_code >> 16;
	pd->config[PCI_INTERRUPT_PIN] = 1;
	/* memory, bus master, parity, SERR, INTx disable */
	pd->wmask[PCI_COMMAND] = 0x46;
	pd->wmask[PCI_COMMAND + 1] = 0x05;
	pd->wmask[PCI_INTERRUPT_LINE] = 0xff;
	pd->next_cap = 0x40;
}

void pci_device_set_mem_bar(struct pci_device *pd, unsigned bar, uint32_t size)
{
	uint32_t mask = ~(size - 1) & ~0xfu;

	if (bar >= PCI_NUM_BARS || size < 16 || (size & (size - 1))) {
		return;
	}
	pd->bar_size[bar] = size;
	memcpy(pd->wmask + PCI_BAR0 + 4 * bar, &mask, 4);
}

unsigned pci_device_add_capability(struct pci_device *pd, uint8_t id,
				   unsigned len)
{
	unsigned off = pd->next_cap;
	unsigned prev;

	if (len < 2 || off + len > PCI_CONFIG_SIZE - 1) {
		return 0;
	}
	pd->config[off] = id;
	pd->config[off + 1] = 0;
	if (!(pd->config[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
		pd->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
		pd->config[PCI_CAPABILITY_LIST] = off;
	} else {
		for (prev = pd->config[PCI_CAPABILITY_LIST];
		     pd->config[prev + 1]; prev = pd->config[prev + 1]) {
		}
		pd->config[prev + 1] = off;
	}
	pd->next_cap = (off + len + 3) & ~3u;
	return off;
}

uint64_t pci_config_read(struct pci_device *pd, unsigned offset, unsigned size)
{
	uint64_t val = 0;

	for (unsigned i = 0; i < size; i++) {
		if (offset + i < PCI_CONFIG_SIZE) {
			val |= (uint64_t)pd->config[offset + i] << (8 * i);
		}
	}
	return val;
}

void pci_config_write(struct pci_device *pd, unsigned offset, unsigned size,
		      uint64_t val)
{
	for (unsigned i = 0; i < size && offset + i < PCI_CONFIG_SIZE; i++) {
		uint8_t m = pd->wmask[offset + i];
		uint8_t *p = &pd->config[offset + i];

		*p = (*p & ~m) | ((val >> (8 * i)) & m);
	}
	if (offset <= PCI_COMMAND + 1 && offset + size > PCI_COMMAND) {
		pci_update_irq(pd);
	}
}

static struct pci_device *ecam_device(struct pci_host *host, uint64_t offset)
{
	unsigned bus = offset >> 20, slot = (offset >> 15) & 31;
	unsigned fn = (offset >> 12) & 7;

	if (bus || fn) {
		return NULL;
	}
	return host->slots[slot];
}

static bool ecam_read(struct device *dev, uint64_t offset, unsigned size,
		      uint64_t *val)
{
	struct pci_device *pd = ecam_device(to_host(dev), offset);

	if (!pd) {
		*val = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
		return true;
	}
	*val = pci_config_read(pd, offset & 0xfff, size);
	return true;
}

static bool ecam_write(struct device *dev, uint64_t offset, unsigned size,
		       uint64_t val)
{
	struct pci_device *pd = ecam_device(to_host(dev), offset);

	if (pd) {
		pci_config_write(pd, offset & 0xfff, size, val);
	}
	return true;
}

/* The device and BAR a window address decodes to. */
static struct pci_device *pci_decode(struct pci_host *host, gpa_t addr,
				     unsigned *bar, uint64_t *offset)
{
	for (unsigned s = 0; s < PCI_MAX_SLOTS; s++) {
		struct pci_device *pd = host->slots[s];

		if (!pd || !(pd->config[PCI_COMMAND] & PCI_COMMAND_MEMORY)) {
			continue;
		}
		for (unsigned b = 0; b < PCI_NUM_BARS; b++) {
			uint32_t base;

			if (!pd->bar_size[b]) {
				continue;
			}
			memcpy(&base, pd->config + PCI_BAR0 + 4 * b, 4);
			base &= ~0xfu;
			if (base && addr - base < pd->bar_size[b]) {
				*bar = b;
				*offset = addr - base;
				return pd;
			}
		}
	}
	return NULL;
}

static bool window_read(struct device *dev, uint64_t offset, unsigned size,
			uint64_t *val)
{
	struct pci_window *w = container_of(dev, struct pci_window, dev);
	struct pci_device *pd;
	uint64_t off;
	unsigned bar;

	pd = pci_decode(w->host, dev->base + offset, &bar, &off);
	*val = pd && pd->ops->bar_read ? pd->ops->bar_read(pd, bar, off, size) :
					 0;
	return true;
}

static bool window_write(struct device *dev, uint64_t offset, unsigned size,
			 uint64_t val)
{
	struct pci_window *w = container_of(dev, struct pci_window, dev);
	struct pci_device *pd;
	uint64_t off;
	unsigned bar;

	pd = pci_decode(w->host, dev->base + offset, &bar, &off);
	if (pd && pd->ops->bar_write) {
		pd->ops->bar_write(pd, bar, off, size, val);
	} else if (!pd) {
		log_mask_printf(LOG_GUEST_ERROR,
				"pci: write to 0x%llx decodes to no BAR\n",
				(unsigned long long)(dev->base + offset));
	}
	return true;
}

static void window_free(struct device *dev)
{
	free(container_of(dev, struct pci_window, dev));
}

static const struct device_ops pci_window_ops = {
	.read = window_read,
	.write = window_write,
	.free = window_free,
};

static void ecam_reset(struct device *dev)
{
	struct pci_host *host = to_host(dev);

	for (unsigned s = 0; s < PCI_MAX_SLOTS; s++) {
		struct pci_device *pd = host->slots[s];

		if (!pd) {
			continue;
		}
		pci_device_set_irq(pd, false);
		memcpy(pd->config, pd->reset_config, PCI_CONFIG_SIZE);
		if (pd->ops && pd->ops->reset) {
			pd->ops->reset(pd);
		}
	}
}

static void pci_fdt_interrupt_map(struct fdt_ctx *ctx, int node)
{
	static const uint32_t mask[4] = { 0x1800, 0, 0, 7 };
	uint32_t map[PCI_NUM_PINS * PCI_NUM_PINS * 6];
	unsigned n = 0;

	for (unsigned slot = 0; slot < PCI_NUM_PINS; slot++) {
		for (unsigned pin = 0; pin < PCI_NUM_PINS; pin++) {
			map[n++] = slot << 11;
			map[n++] = 0;
			map[n++] = 0;
			map[n++] = pin + 1;
			map[n++] = ctx->plic_phandle;
			map[n++] = VIRT_PCIE_IRQ + (slot + pin) % PCI_NUM_PINS;
		}
	}
	/* Too long for fdt_ctx_set_cells. */
	for (unsigned i = 0; i < n; i++) {
		map[i] = cpu_to_fdt32(map[i]);
	}
	if (!ctx->err && node >= 0) {
		fdt_ctx_check(ctx, fdt_setprop(ctx->fdt, node, "interrupt-map",
					       map, n * sizeof(map[0])));
	}
	fdt_ctx_set_cells(ctx, node, "interrupt-map-mask", mask, 4);
}

static bool ecam_fdt_node(struct device *dev, struct fdt_ctx *ctx,
			  struct error **errp)
{
	static const uint32_t bus_range[2] = { 0, 0xff };
	static const uint32_t ranges[] = {
		0x01000000,
		0,
		0,
		0,
		VIRT_PCIE_PIO_BASE,
		0,
		VIRT_PCIE_PIO_SIZE,
		0x02000000,
		0,
		VIRT_PCIE_MMIO_BASE,
		0,
		VIRT_PCIE_MMIO_BASE,
		0,
		VIRT_PCIE_MMIO_SIZE,
	};
	int node = fdt_ctx_add_mmio_node(ctx, "pci", dev->base, dev->size);

	fdt_ctx_set_string(ctx, node, "compatible", "pci-host-ecam-generic");
	fdt_ctx_set_string(ctx, node, "device_type", "pci");
	fdt_ctx_set_u32(ctx, node, "#address-cells", 3);
	fdt_ctx_set_u32(ctx, node, "#size-cells", 2);
	fdt_ctx_set_u32(ctx, node, "#interrupt-cells", 1);
	fdt_ctx_set_u32(ctx, node, "linux,pci-domain", 0);
	fdt_ctx_set_cells(ctx, node, "bus-range", bus_range, 2);
	fdt_ctx_set_empty(ctx, node, "dma-coherent");
	fdt_ctx_set_cells(ctx, node, "ranges", ranges, ARRAY_SIZE(ranges));
	pci_fdt_interrupt_map(ctx, node);
	return !ctx->err;
}

static void ecam_free(struct device *dev)
{
	struct pci_host *host = to_host(dev);

	for (unsigned s = 1; s < PCI_MAX_SLOTS; s++) {
		struct pci_device *pd = host->slots[s];

		if (pd && pd->ops->free) {
			pd->ops->free(pd);
		}
	}
	if (pci_host_current == host) {
		pci_host_current = NULL;
	}
	free(host);
}

static const struct device_ops pci_ecam_ops = {
	.read = ecam_read,
	.write = ecam_write,
	.reset = ecam_reset,
	.fdt_node = ecam_fdt_node,
	.free = ecam_free,
};

static const struct pci_device_ops pci_bridge_ops = { 0 };

static bool pci_add_window(struct machine *m, struct pci_host *host, gpa_t base,
			   uint64_t size, struct error **errp)
{
	struct pci_window *w = calloc(1, sizeof(*w));

	if (!w) {
		error_setg(errp, "out of memory");
		return false;
	}
	w->dev.ops = &pci_window_ops;
	w->dev.name = "pci-window";
	w->dev.base = base;
	w->dev.size = size;
	w->host = host;
	if (!machine_add_device(m, &w->dev, errp)) {
		free(w);
		return false;
	}
	return true;
}

static struct pci_host *pci_host_get(struct machine *m, struct error **errp)
{
	struct pci_host *host;

	if (pci_host_current && pci_host_current->machine == m) {
		return pci_host_current;
	}
	host = calloc(1, sizeof(*host));
	if (!host) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	host->ecam.ops = &pci_ecam_ops;
	host->ecam.name = "pci";
	host->ecam.base = VIRT_PCIE_ECAM_BASE;
	host->ecam.size = VIRT_PCIE_ECAM_SIZE;
	host->machine = m;
	for (unsigned i = 0; i < PCI_NUM_PINS; i++) {
		host->intx[i] = machine_irq_line(m, VIRT_PCIE_IRQ + i);
	}
	/* 00:00.0, the host bridge itself, as on QEMU's virt */
	pci_device_init(&host->bridge, &pci_bridge_ops, "pcie-host-bridge",
			0x1b36, 0x0008, 0x060000, 0);
	host->bridge.config[PCI_INTERRUPT_PIN] = 0;
	host->bridge.host = host;
	memcpy(host->bridge.reset_config, host->bridge.config, PCI_CONFIG_SIZE);
	host->slots[0] = &host->bridge;
	if (!machine_add_device(m, &host->ecam, errp)) {
		free(host);
		return NULL;
	}
	pci_host_current = host;
	if (!pci_add_window(m, host, VIRT_PCIE_MMIO_BASE, VIRT_PCIE_MMIO_SIZE,
			    errp) ||
	    !pci_add_window(m, host, VIRT_PCIE_PIO_BASE, VIRT_PCIE_PIO_SIZE,
			    errp)) {
		return NULL;
	}
	return host;
}

static unsigned pci_requested_slot;

void pci_host_request_slot(unsigned slot)
{
	pci_requested_slot = slot;
}

bool pci_host_add_device(struct machine *m, struct pci_device *pd,
			 struct error **errp)
{
	struct pci_host *host = pci_host_get(m, errp);
	unsigned s = pci_requested_slot;

	pci_requested_slot = 0;
	if (host && s && host->slots[s]) {
		error_setg(errp,
			   "PCI: slot %u function 0 not available for %s, in "
			   "use by %s",
			   s, pd->name, host->slots[s]->name);
		host = NULL;
	}
	for (s = s ? s : 1; host && s < PCI_MAX_SLOTS && host->slots[s]; s++) {
	}
	if (host && s == PCI_MAX_SLOTS) {
		error_setg(errp, "pci: all %d slots are in use",
			   PCI_MAX_SLOTS - 1);
	}
	if (!host || s == PCI_MAX_SLOTS) {
		if (pd->ops->free) {
			pd->ops->free(pd);
		}
		return false;
	}
	pd->host = host;
	pd->slot = s;
	memcpy(pd->reset_config, pd->config, PCI_CONFIG_SIZE);
	host->slots[s] = pd;
	return true;
}
