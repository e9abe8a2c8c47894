/* SPDX-License-Identifier: MIT */
/* The Goldfish RTC (google,goldfish-rtc): host wall-clock time in ns. */
#ifndef MIMIC_HW_RTC_GOLDFISH_RTC_H
#define MIMIC_HW_RTC_GOLDFISH_RTC_H

#include "hw/core/device.h"

/* offset_ns: guest time minus host time at reset (-rtc base=). */
struct device *goldfish_rtc_new(gpa_t base, struct irq_line irq,
				int64_t offset_ns, struct error **errp);

#endif
