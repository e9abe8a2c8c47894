/* SPDX-License-Identifier: MIT */
/* The 16550A UART (ns16550a), as Linux's 8250 driver and OpenSBI use it. */
#ifndef MIMIC_HW_CHAR_SERIAL_H
#define MIMIC_HW_CHAR_SERIAL_H

#include "hw/core/device.h"

struct chardev;

#define SERIAL_CLOCK_HZ 3686400

/* A UART at base with one byte per register (reg-shift 0), raising irq,
 * talking to chr (which may be NULL: output is dropped). */
struct device *serial_new(gpa_t base, struct irq_line irq, struct chardev *chr,
			  struct error **errp);
/* For tests: feed received bytes as the chardev would; returns how many
 * fit in the receive FIFO. */
size_t serial_receive(struct device *dev, const uint8_t *buf, size_t len);

#endif
