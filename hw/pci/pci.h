/* SPDX-License-Identifier: MIT */
/* PCI: type-0 devices (config space, memory BARs, capabilities, INTx) on
 * the virt board's PCIe ECAM host bridge (pci-host-ecam-generic). */
#ifndef MIMIC_HW_PCI_PCI_H
#define MIMIC_HW_PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"
#include "util/types.h"

/* The board's PCIe windows (QEMU's virt). */
#define VIRT_PCIE_PIO_BASE 0x03000000ull
#define VIRT_PCIE_PIO_SIZE 0x00010000ull
#define VIRT_PCIE_ECAM_BASE 0x30000000ull
#define VIRT_PCIE_ECAM_SIZE 0x10000000ull
#define VIRT_PCIE_MMIO_BASE 0x40000000ull
#define VIRT_PCIE_MMIO_SIZE 0x40000000ull
#define VIRT_PCIE_IRQ 32 /* INTA..INTD on PLIC 32..35 */

#define PCI_CONFIG_SIZE 256
#define PCI_NUM_BARS 6
#define PCI_MAX_SLOTS 32

/* Config space registers. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_INTERRUPT 0x8
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAP_ID_VNDR 0x09

struct pci_device;
struct pci_host;
struct machine;

struct pci_device_ops {
	/* Access at offset inside memory BAR bar (size 1, 2, 4 or 8). */
	uint64_t (*bar_read)(struct pci_device *pd, unsigned bar,
			     uint64_t offset, unsigned size);
	void (*bar_write)(struct pci_device *pd, unsigned bar, uint64_t offset,
			  unsigned size, uint64_t val);
	/* Machine reset (config space is reset by the host). */
	void (*reset)(struct pci_device *pd);
	void (*free)(struct pci_device *pd);
};

struct pci_device {
	const struct pci_device_ops *ops;
	const char *name;
	uint8_t config[PCI_CONFIG_SIZE];
	uint8_t wmask[PCI_CONFIG_SIZE]; /* writable bits */
	uint8_t reset_config[PCI_CONFIG_SIZE];
	uint64_t bar_size[PCI_NUM_BARS]; /* 0: unused */
	uint8_t next_cap; /* where the next capability goes */
	struct pci_host *host;
	unsigned slot;
	bool irq_level;
	bool intx_asserted; /* what the host counts on its line */
};

/* Fill the header of a type-0 function with INTA. */
void pci_device_init(struct pci_device *pd, const struct pci_device_ops *ops,
		     const char *name, uint16_t vendor, uint16_t device,
		     uint32_t class_code, uint8_t revision);
/* A 32-bit non-prefetchable memory BAR of size (a power of 2). */
void pci_device_set_mem_bar(struct pci_device *pd, unsigned bar, uint32_t size);
/* Append a capability of len bytes with id; returns its config offset
 * (0 when config space is full). The body is read-only. */
unsigned pci_device_add_capability(struct pci_device *pd, uint8_t id,
				   unsigned len);
/* Drive the function's INTx pin (level); the host ORs the shared lines. */
void pci_device_set_irq(struct pci_device *pd, bool level);

/* -device ...,addr=SLOT: the next pci_host_add_device() takes that slot
 * (0: the next free one, the default). */
void pci_host_request_slot(unsigned slot);

/* Put pd in the next free slot of m's host bridge (created, with its
 * device-tree node, on first use), or the requested one; on failure pd is
 * freed. */
bool pci_host_add_device(struct machine *m, struct pci_device *pd,
			 struct error **errp);

/* For tests: config space access as ECAM does it. */
uint64_t pci_config_read(struct pci_device *pd, unsigned offset, unsigned size);
void pci_config_write(struct pci_device *pd, unsigned offset, unsigned size,
		      uint64_t val);

#endif
