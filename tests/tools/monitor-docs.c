/* SPDX-License-Identifier: MIT */
/* Print docs/monitor.md from the monitor's command tables. */
#include <stdio.h>

#include "monitor/monitor-internal.h"

int main(void)
{
	monitor_print_reference(stdout);
	return fflush(stdout) ? 1 : 0;
}
