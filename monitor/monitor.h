/* SPDX-License-Identifier: MIT */
/* The monitor: QMP (JSON, for management tools) and HMP (for people), as
 * the rest of the emulator starts and feeds it. */
#ifndef MIMIC_MONITOR_MONITOR_H
#define MIMIC_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/types.h"

struct chardev;
struct json_object;
struct machine;
struct riscv_cpu;

/*
 * What the monitor needs from a machine. The real board's table is in
 * monitor/machine-virt.c; the unit tests and the fuzzer use a fake one.
 * Every callback runs on the main-loop thread without the big lock.
 */
struct monitor_machine_ops {
	void (*pause)(void *opaque);
	void (*resume)(void *opaque);
	bool (*is_paused)(void *opaque);
	/* Optional: paused by a debugger (status "debug"). */
	bool (*debug_stopped)(void *opaque);
	void (*reset)(void *opaque);
	void (*powerdown)(void *opaque);
	/* End emulation (after the reply went out) with exit status 0. */
	void (*quit)(void *opaque);
	unsigned (*nr_harts)(void *opaque);
	/* The hart, or NULL (fake machines): then registers read as 0. */
	struct riscv_cpu *(*hart)(void *opaque, unsigned index);
	/* Copy guest-physical [addr, addr + len) out; false if not RAM. */
	bool (*read_phys)(void *opaque, gpa_t addr, void *buf, size_t len);
	/* The index-th MMIO device; false past the end. */
	bool (*device_at)(void *opaque, unsigned index, const char **name,
			  gpa_t *base, uint64_t *size);
	uint64_t (*ram_size)(void *opaque);
	/* A device register read (PCI config space through ECAM). */
	bool (*io_read)(void *opaque, gpa_t addr, unsigned size, uint64_t *val);
};

/* Options as the command line gives them (before the machine exists). */
enum monitor_option {
	MONITOR_OPT_QMP, /* -qmp unix:PATH,server=on,wait=off | tcp:H:P,... */
	MONITOR_OPT_MONITOR, /* -monitor stdio|unix:...|none|chardev:ID */
	MONITOR_OPT_MON, /* -mon chardev=ID,mode=control|readline */
};
/* -uuid: the UUID query-uuid reports (checked, kept in lower case). */
bool monitor_set_uuid(const char *uuid, struct error **errp);
bool monitor_add_option(enum monitor_option kind, const char *arg,
			struct error **errp);

/* Open every monitor the options asked for; serve on the main loop.
 * name is -name's guest name (NULL if none). */
bool monitor_start(const struct monitor_machine_ops *ops, void *opaque,
		   const char *name, struct error **errp);
/* The same with the virt board (monitor/machine-virt.c); no_reboot
 * (-no-reboot) turns system_reset into a shutdown, as in QEMU; no_shutdown
 * (-no-shutdown): a guest poweroff leaves the machine stopped in status
 * "shutdown" until system_reset. */
bool monitor_start_virt(struct machine *m, const char *name, bool no_reboot,
			bool no_shutdown, struct error **errp);
/* After the main loop ended: deliver pending events, flush replies for up
 * to a second, close every client. */
void monitor_finish(void);
/* Run one HMP command line for another front end (gdb's `monitor`
 * command): its output (lines end in CR LF), to free(), or NULL. */
char *monitor_hmp_command(const char *line);

/* Events from any thread (the vCPU thread included): queued, sent from the
 * main loop to every QMP client past negotiation. Takes data (a json-c
 * object, or NULL for none). */
void monitor_event(const char *name, struct json_object *data);

#endif
