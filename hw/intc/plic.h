/* SPDX-License-Identifier: MIT */
/* The SiFive PLIC (riscv,plic0): priorities, pending bits, per-context
 * enables and thresholds, claim/complete. Context 2*hart is the hart's
 * M-mode external interrupt, 2*hart+1 its S-mode one. */
#ifndef MIMIC_HW_INTC_PLIC_H
#define MIMIC_HW_INTC_PLIC_H

#include "hw/core/device.h"

#define PLIC_NUM_SOURCES 96 /* ids 1..95, as QEMU's virt board */
#define PLIC_NUM_PRIORITIES 7

/* Drives a context's output: the board raises MEIP/SEIP on a hart. */
typedef void plic_output_fn(void *opaque, unsigned context, bool level);

struct device *plic_new(gpa_t base, unsigned nr_harts, plic_output_fn *output,
			void *opaque, struct error **errp);
/* An IRQ line into PLIC source `irq` (1..95). */
struct irq_line plic_irq_line(struct device *plic, unsigned irq);

#endif
