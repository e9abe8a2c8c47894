/* SPDX-License-Identifier: MIT */
/* mimic-system-riscv64's command line, in QEMU's spelling. */
#ifndef MIMIC_CLI_CMDLINE_H
#define MIMIC_CLI_CMDLINE_H

#include <stdbool.h>

#include "machine/machine.h"
#include "util/error.h"

#define CMDLINE_MAX_DEVICES 32

struct cmdline {
	struct machine_config machine;
	const char *serial_spec; /* -serial, NULL: default */
	bool nographic;
	const char *name;
	const char *pidfile;
	const char *log_items;
	const char *log_file;
	const char *gdb_spec; /* -gdb, -s; NULL: no gdb stub */
	const char *devices[CMDLINE_MAX_DEVICES]; /* -device strings */
	unsigned nr_devices;
	const char *drives[CMDLINE_MAX_DEVICES]; /* -drive strings */
	unsigned nr_drives;
	const char *blockdevs[CMDLINE_MAX_DEVICES]; /* -blockdev strings */
	unsigned nr_blockdevs;
	const char *netdevs[CMDLINE_MAX_DEVICES]; /* -netdev (and -nic) */
	unsigned nr_netdevs;
	unsigned nr_nics; /* -nic seen: netdev ids "__org.qemu.nicN" */
	bool exit_now; /* -help, -version: done, status 0 */
	bool daemonize; /* -daemonize */
	bool nodefaults; /* -nodefaults: no default serial backend */
	bool mem_lock; /* -overcommit mem-lock=on: lock guest RAM */
};

/* Parse argv; chardevs (-chardev) are created as they are met. */
bool cmdline_parse(int argc, char **argv, struct cmdline *cl,
		   struct error **errp);

#endif
