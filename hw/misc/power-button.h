/* SPDX-License-Identifier: MIT */
/* mimic's power button: one register an ACPI-less guest polls to learn that
 * the host asked it to power down (QMP/HMP system_powerdown). */
#ifndef MIMIC_HW_MISC_POWER_BUTTON_H
#define MIMIC_HW_MISC_POWER_BUTTON_H

#include "hw/core/device.h"

/* Offset 0, 32 bits: reads POWER_BUTTON_PRESSED while a press is pending;
 * writing POWER_BUTTON_PRESSED acknowledges it. Reset clears it. */
#define POWER_BUTTON_STATUS 0x0
#define POWER_BUTTON_PRESSED 0x1
#define POWER_BUTTON_SIZE 0x1000

struct device *power_button_new(gpa_t base, struct error **errp);
/* Press the button (bql held). */
void power_button_press(struct device *dev);

#endif
