/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes from a "debugger" through the gdb stub's
 * framing and commands, in socket-sized pieces, against a fake target. */
#include <stdint.h>
#include <stdlib.h>

#include "gdbstub/gdbstub-fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gdbstub_fake fake;
	struct gdbstub *stub = gdbstub_fake_new(&fake);
	struct gdb_stop stop = { .kind = GDB_STOP_SIGNAL,
				 .tid = 1,
				 .signal = GDB_SIGNAL_TRAP };

	if (!stub) {
		return 0;
	}
	while (size) {
		size_t chunk = (data[0] % 97) + 1;

		chunk = chunk < size ? chunk : size;
		gdbstub_input(stub, data, chunk);
		data += chunk;
		size -= chunk;
		/* The target stops whenever gdb let it run. */
		if (gdbstub_running(stub)) {
			gdbstub_stopped(stub, &stop);
		}
		fake.out_len = 0;
	}
	gdbstub_disconnected(stub);
	gdbstub_free(stub);
	return 0;
}
