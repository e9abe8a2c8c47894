/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes through the QMP framing and dispatcher (and,
 * by the first byte, HMP's line editor) against a fake machine. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/machine-fake.h"
#include "monitor/monitor-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct monitor_buf out = { 0 };
	struct monitor *mon;
	enum monitor_mode mode;
	static const char negotiate[] = "{\"execute\":\"qmp_capabilities\"}";

	if (size < 1 || !monitor_fake_start()) {
		return 0;
	}
	mode = data[0] & 1 ? MONITOR_HMP : MONITOR_QMP;
	mon = monitor_new_buffered(mode, &out);
	if (!mon) {
		return 0;
	}
	if (mode == MONITOR_QMP && (data[0] & 2)) {
		monitor_input(mon, (const uint8_t *)negotiate,
			      sizeof(negotiate) - 1);
	}
	/* In chunks whose sizes come from the input, as a socket splits. */
	data++;
	size--;
	while (size && !mon->dead) {
		size_t chunk = (data[0] % 64) + 1;

		chunk = chunk < size ? chunk : size;
		monitor_input(mon, data, chunk);
		data += chunk;
		size -= chunk;
		out.len = 0;
	}
	monitor_free(mon);
	monitor_events_drain(); /* events queued for later (quit) */
	monitor_buf_free(&out);
	return 0;
}
