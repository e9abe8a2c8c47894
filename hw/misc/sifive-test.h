/* SPDX-License-Identifier: MIT */
/* The SiFive test finisher / syscon: poweroff, reboot and failure codes. */
#ifndef MIMIC_HW_MISC_SIFIVE_TEST_H
#define MIMIC_HW_MISC_SIFIVE_TEST_H

#include "hw/core/device.h"

#define SIFIVE_TEST_FAIL 0x3333
#define SIFIVE_TEST_PASS 0x5555
#define SIFIVE_TEST_RESET 0x7777

enum sifive_test_action {
	SIFIVE_TEST_POWEROFF, /* exit status 0 */
	SIFIVE_TEST_REBOOT,
	SIFIVE_TEST_EXIT, /* exit with the guest's code */
};

typedef void sifive_test_fn(void *opaque, enum sifive_test_action action,
			    int code);

struct device *sifive_test_new(gpa_t base, sifive_test_fn *fn, void *opaque,
			       struct error **errp);

#endif
