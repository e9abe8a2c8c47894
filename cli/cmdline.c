/* SPDX-License-Identifier: MIT */
/* mimic-system-riscv64's command line: one table of options, every
 * key=value argument through util/options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chardev/char.h"
#include "cli/cmdline.h"
#include "config.h"
#include "hw/core/device.h"
#include "hw/core/memory-backend.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "target/riscv/cpu.h"
#include "util/options.h"
#include "virtio/drive.h"

enum opt_arg { NO_ARG, HAS_ARG };

struct cmdline_option {
	const char *name;
	enum opt_arg arg;
	bool (*handle)(struct cmdline *cl, const char *arg,
		       struct error **errp);
	const char *help;
};

static bool opt_help(struct cmdline *cl, const char *arg, struct error **e);

static bool opt_version(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	printf("mimic-system-riscv64 version " MIMIC_VERSION
	       " (QEMU-compatible riscv64 virt board)\n");
	cl->exit_now = true;
	return true;
}

static bool opt_machine(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	struct opts *o = opts_parse(arg, "type", errp);
	const char *type, *dumpdtb;
	bool ok;

	if (!o) {
		return false;
	}
	type = opts_get(o, "type");
	if (type && !strcmp(type, "help")) {
		printf("Supported machines are:\n"
		       "virt                 RISC-V VirtIO board (default)\n");
		cl->exit_now = true;
		opts_free(o);
		return true;
	}
	ok = !type || !strcmp(type, "virt");
	if (!ok) {
		error_setg(errp,
			   "-machine: unsupported machine type '%s' (only "
			   "virt)",
			   type);
	}
	dumpdtb = opts_get(o, "dumpdtb");
	if (dumpdtb) {
		cl->machine.dumpdtb = strdup(dumpdtb);
	}
	if (opts_get(o, "memory-backend")) {
		free((char *)cl->machine.memory_backend);
		cl->machine.memory_backend =
			strdup(opts_get(o, "memory-backend"));
	}
	ok = ok && opts_check_unused(o, "-machine", errp);
	opts_free(o);
	return ok;
}

static bool opt_memory(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "size", errp);
	const char *size;
	bool ok;

	if (!o) {
		return false;
	}
	size = opts_get(o, "size");
	opts_get(o, "slots");
	opts_get(o, "maxmem");
	if (!size) {
		error_setg(errp, "-m: size= is required");
		ok = false;
	} else if (!options_parse_size(size, 20, &cl->machine.ram_size, errp)) {
		error_prepend(errp, "-m");
		ok = false;
	} else {
		ok = opts_check_unused(o, "-m", errp);
		cl->machine.ram_size_set = true;
	}
	opts_free(o);
	if (ok && cl->machine.ram_size == 0) {
		error_setg(errp, "-m: memory size must be greater than 0");
		ok = false;
	}
	return ok;
}

static bool opt_smp(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "cpus", errp);
	uint64_t cpus = 1, v;
	bool ok;

	if (!o) {
		return false;
	}
	ok = opts_get_uint(o, "cpus", 1, &cpus, errp);
	/* The topology keys must agree with a flat list of harts. */
	ok = ok && opts_get_uint(o, "maxcpus", cpus, &v, errp);
	ok = ok && opts_get_uint(o, "sockets", 1, &v, errp);
	ok = ok && opts_get_uint(o, "cores", cpus, &v, errp);
	ok = ok && opts_get_uint(o, "threads", 1, &v, errp);
	ok = ok && opts_check_unused(o, "-smp", errp);
	opts_free(o);
	if (ok && (cpus < 1 || cpus > MACHINE_MAX_HARTS)) {
		error_setg(errp, "-smp: %llu CPUs is out of range (1..%d)",
			   (unsigned long long)cpus, MACHINE_MAX_HARTS);
		ok = false;
	}
	cl->machine.nr_harts = cpus;
	return ok;
}

static bool opt_cpu(struct cmdline *cl, const char *arg, struct error **errp)
{
	static const char *const models[] = { "rv64", "max", "any", "host" };
	struct opts *o = opts_parse(arg, "model", errp);
	const char *model;
	bool ok = false;

	if (!o) {
		return false;
	}
	model = opts_get(o, "model");
	if (model && !strcmp(model, "help")) {
		printf("Available CPUs:\n  rv64\n  max\n");
		cl->exit_now = true;
		opts_free(o);
		return true;
	}
	for (size_t i = 0; model && i < sizeof(models) / sizeof(models[0]);
	     i++) {
		ok = ok || !strcmp(model, models[i]);
	}
	if (!ok) {
		error_setg(errp, "-cpu: unknown CPU model '%s' (rv64, max)",
			   model ? model : "");
	}
	ok = ok && opts_check_unused(o, "-cpu", errp);
	opts_free(o);
	return ok;
}

#define STRING_OPT(fn, field)                               \
	static bool fn(struct cmdline *cl, const char *arg, \
		       struct error **errp)                 \
	{                                                   \
		field = arg;                                \
		return true;                                \
	}

STRING_OPT(opt_bios, cl->machine.bios)
STRING_OPT(opt_kernel, cl->machine.kernel)
STRING_OPT(opt_initrd, cl->machine.initrd)
STRING_OPT(opt_append, cl->machine.append)
STRING_OPT(opt_dtb, cl->machine.dtb)
STRING_OPT(opt_pidfile, cl->pidfile)
STRING_OPT(opt_log, cl->log_items)
STRING_OPT(opt_logfile, cl->log_file)

static bool opt_name(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "guest", errp);
	const char *guest;
	bool ok;

	if (!o) {
		return false;
	}
	guest = opts_get(o, "guest");
	cl->name = guest ? strdup(guest) : NULL;
	opts_get(o, "process");
	opts_get(o, "debug-threads");
	ok = opts_check_unused(o, "-name", errp);
	opts_free(o);
	return ok;
}

static bool opt_nographic(struct cmdline *cl, const char *arg,
			  struct error **errp)
{
	cl->nographic = true;
	return true;
}

static bool opt_display(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	if (strcmp(arg, "none") && strncmp(arg, "none,", 5)) {
		error_setg(errp, "-display %s: only -display none is supported",
			   arg);
		return false;
	}
	return true;
}

static bool opt_serial(struct cmdline *cl, const char *arg, struct error **errp)
{
	if (cl->serial_spec) {
		error_setg(errp, "-serial: the virt board has one serial port");
		return false;
	}
	cl->serial_spec = arg;
	return true;
}

static bool opt_chardev(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	struct opts *o = opts_parse(arg, "backend", errp);
	struct chardev *chr;

	if (!o) {
		return false;
	}
	chr = chardev_new_from_opts(o, errp);
	opts_free(o);
	return chr != NULL;
}

static bool opt_freeze(struct cmdline *cl, const char *arg, struct error **errp)
{
	cl->machine.start_paused = true;
	return true;
}

static bool opt_gdb(struct cmdline *cl, const char *arg, struct error **errp)
{
	if (!strncmp(arg, "chardev:", 8)) {
		error_setg(errp,
			   "-gdb %s: chardev: is not supported (tcp::PORT, "
			   "tcp:HOST:PORT or unix:PATH)",
			   arg);
		return false;
	}
	cl->gdb_spec = strcmp(arg, "none") ? arg : NULL;
	return true;
}

static bool opt_gdb_default(struct cmdline *cl, const char *arg,
			    struct error **errp)
{
	return opt_gdb(cl, "tcp::1234", errp);
}

static bool opt_no_reboot(struct cmdline *cl, const char *arg,
			  struct error **errp)
{
	cl->machine.no_reboot = true;
	return true;
}

static bool opt_no_shutdown(struct cmdline *cl, const char *arg,
			    struct error **errp)
{
	cl->machine.no_shutdown = true;
	return true;
}

static bool opt_device(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "driver", errp);
	const char *driver;
	bool ok = true;

	if (!o) {
		return false;
	}
	driver = opts_get(o, "driver");
	if (driver && !strcmp(driver, "help")) {
		device_type_list();
		cl->exit_now = true;
	} else if (!driver || !device_type_find(driver)) {
		error_setg(errp,
			   "-device: unknown device '%s' (-device help "
			   "lists them)",
			   driver ? driver : "");
		ok = false;
	} else if (opts_get(o, "help")) {
		device_type_print_properties(device_type_find(driver));
		cl->exit_now = true;
	} else if (cl->nr_devices == CMDLINE_MAX_DEVICES) {
		error_setg(errp, "-device: too many devices");
		ok = false;
	} else {
		cl->devices[cl->nr_devices++] = arg;
	}
	opts_free(o);
	return ok;
}

static bool opt_drive(struct cmdline *cl, const char *arg, struct error **errp)
{
	if (cl->nr_drives == CMDLINE_MAX_DEVICES) {
		error_setg(errp, "-drive: too many drives");
		return false;
	}
	cl->drives[cl->nr_drives++] = arg;
	return true;
}

/* base=utc|localtime|YYYY-MM-DD[THH:MM:SS]: seconds to add to UTC. */
static bool opt_rtc_base(const char *base, int64_t *offset, struct error **errp)
{
	time_t now = time(NULL);
	struct tm tm = { 0 };
	const char *end;

	if (!strcmp(base, "utc")) {
		*offset = 0;
		return true;
	}
	if (!strcmp(base, "localtime")) {
		localtime_r(&now, &tm);
		*offset = tm.tm_gmtoff;
		return true;
	}
	end = strptime(base, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(base, "%Y-%m-%d", &tm);
	}
	if (!end || *end) {
		error_setg(errp,
			   "-rtc: invalid base '%s' (utc, localtime, "
			   "YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD)",
			   base);
		return false;
	}
	*offset = (int64_t)timegm(&tm) - (int64_t)now;
	return true;
}

static bool opt_rtc(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, NULL, errp);
	const char *base, *clock, *drift;
	int64_t offset = 0;
	bool ok = true;

	if (!o) {
		return false;
	}
	base = opts_get(o, "base");
	clock = opts_get(o, "clock");
	drift = opts_get(o, "driftfix");
	if (base && !opt_rtc_base(base, &offset, errp)) {
		ok = false;
	} else if (clock && strcmp(clock, "host")) {
		error_setg(errp, "-rtc: clock=%s is not supported (host)",
			   clock);
		ok = false;
	} else if (drift && strcmp(drift, "none") && strcmp(drift, "slew")) {
		error_setg(errp, "-rtc: invalid driftfix '%s' (none, slew)",
			   drift);
		ok = false;
	}
	cl->machine.rtc_offset_ns = offset * 1000000000ll;
	ok = ok && opts_check_unused(o, "-rtc", errp);
	opts_free(o);
	return ok;
}

#define FLAG_OPT(fn, field)                                 \
	static bool fn(struct cmdline *cl, const char *arg, \
		       struct error **errp)                 \
	{                                                   \
		field = true;                               \
		return true;                                \
	}

FLAG_OPT(opt_daemonize, cl->daemonize)
FLAG_OPT(opt_nodefaults, cl->nodefaults)

/* No configuration files are read: nothing to leave out. */
static bool opt_no_user_config(struct cmdline *cl, const char *arg,
			       struct error **errp)
{
	return true;
}

/* The keys QEMU takes; on virt with OpenSBI nothing reads a boot order. */
static bool opt_boot(struct cmdline *cl, const char *arg, struct error **errp)
{
	static const char *const keys[] = { "order",	     "once",
					    "menu",	     "strict",
					    "splash",	     "splash-time",
					    "reboot-timeout" };
	struct opts *o = opts_parse(arg, "order", errp);
	bool ok;

	if (!o) {
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		opts_get(o, keys[i]);
	}
	ok = opts_check_unused(o, "-boot", errp);
	opts_free(o);
	return ok;
}

static bool opt_msg(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, NULL, errp);
	bool stamp = false, name = false, ok;

	if (!o) {
		return false;
	}
	ok = opts_get_bool(o, "timestamp", false, &stamp, errp) &&
	     opts_get_bool(o, "guest-name", false, &name, errp) &&
	     opts_check_unused(o, "-msg", errp);
	if (ok) {
		error_set_timestamps(stamp);
	}
	opts_free(o);
	return ok;
}

static bool opt_overcommit(struct cmdline *cl, const char *arg,
			   struct error **errp)
{
	struct opts *o = opts_parse(arg, NULL, errp);
	const char *lock, *pm;
	bool ok = true, dummy;

	if (!o) {
		return false;
	}
	lock = opts_get(o, "mem-lock");
	pm = opts_get(o, "cpu-pm");
	if (lock && strcmp(lock, "off") && strcmp(lock, "on") &&
	    strcmp(lock, "on-fault")) {
		error_setg(errp, "-overcommit: invalid mem-lock '%s'", lock);
		ok = false;
	} else if (pm && !options_parse_bool(pm, &dummy, errp)) {
		ok = false;
	}
	cl->mem_lock = lock && strcmp(lock, "off");
	ok = ok && opts_check_unused(o, "-overcommit", errp);
	opts_free(o);
	return ok;
}

static bool opt_uuid(struct cmdline *cl, const char *arg, struct error **errp)
{
	return monitor_set_uuid(arg, errp);
}

static bool opt_snapshot(struct cmdline *cl, const char *arg,
			 struct error **errp)
{
	drive_set_snapshot(true);
	return true;
}

static bool opt_blockdev(struct cmdline *cl, const char *arg,
			 struct error **errp)
{
	if (cl->nr_blockdevs == CMDLINE_MAX_DEVICES) {
		error_setg(errp, "-blockdev: too many block nodes");
		return false;
	}
	cl->blockdevs[cl->nr_blockdevs++] = arg;
	return true;
}

static bool opt_netdev(struct cmdline *cl, const char *arg, struct error **errp)
{
	if (!strcmp(arg, "help")) {
		printf("Available netdev backend types:\nuser\ntap\n");
		cl->exit_now = true;
		return true;
	}
	if (cl->nr_netdevs == CMDLINE_MAX_DEVICES) {
		error_setg(errp, "-netdev: too many netdevs");
		return false;
	}
	cl->netdevs[cl->nr_netdevs++] = arg;
	return true;
}

/* -nic: a netdev and its NIC in one option (the strings live until exit). */
static bool opt_nic(struct cmdline *cl, const char *arg, struct error **errp)
{
	char *netdev, *device;

	if (!netdev_nic_split(arg, cl->nr_nics, &netdev, &device, errp)) {
		return false;
	}
	if (!netdev) {
		return true; /* -nic none */
	}
	if (cl->nr_netdevs == CMDLINE_MAX_DEVICES ||
	    cl->nr_devices == CMDLINE_MAX_DEVICES) {
		error_setg(errp, "-nic: too many devices");
		free(netdev);
		free(device);
		return false;
	}
	cl->nr_nics++;
	cl->netdevs[cl->nr_netdevs++] = netdev;
	cl->devices[cl->nr_devices++] = device;
	return true;
}

static bool opt_qmp(struct cmdline *cl, const char *arg, struct error **errp)
{
	return monitor_add_option(MONITOR_OPT_QMP, arg, errp);
}

static bool opt_monitor(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	return monitor_add_option(MONITOR_OPT_MONITOR, arg, errp);
}

static bool opt_mon(struct cmdline *cl, const char *arg, struct error **errp)
{
	return monitor_add_option(MONITOR_OPT_MON, arg, errp);
}

/* -accel tcg[,thread=single|multi][,engine=interp|jit], or -accel jit
 * (tcg with the translator) and -accel interp. */
static bool opt_accel(struct cmdline *cl, const char *arg, struct error **errp)
{
	struct opts *o = opts_parse(arg, "accel", errp);
	const char *accel, *thread, *engine;
	bool ok = true;

	if (!o) {
		return false;
	}
	accel = opts_get(o, "accel");
	thread = opts_get(o, "thread");
	engine = opts_get(o, "engine");
	if (accel && (!strcmp(accel, "jit") || !strcmp(accel, "interp")) &&
	    !engine) {
		engine = accel;
	} else if (!accel || strcmp(accel, "tcg")) {
		error_setg(errp,
			   "-accel: unsupported accelerator '%s' (tcg, jit, "
			   "interp)",
			   accel ? accel : "");
		ok = false;
	}
	if (ok && thread && strcmp(thread, "single") &&
	    strcmp(thread, "multi")) {
		error_setg(errp, "-accel: thread=%s (single or multi)", thread);
		ok = false;
	}
	if (ok && engine) {
		ok = riscv_engine_select(engine, errp);
	}
	cl->machine.vcpu_multi_thread = thread && !strcmp(thread, "multi");
	ok = ok && opts_check_unused(o, "-accel", errp);
	opts_free(o);
	return ok;
}

static bool opt_not_yet(struct cmdline *cl, const char *arg,
			struct error **errp);

static bool opt_object(struct cmdline *cl, const char *arg, struct error **errp)
{
	return memory_backend_parse(arg, errp);
}

static const struct cmdline_option options[] = {
	{ "help", NO_ARG, opt_help, "print this help and exit" },
	{ "h", NO_ARG, opt_help, NULL },
	{ "version", NO_ARG, opt_version, "print the version and exit" },
	{ "machine", HAS_ARG, opt_machine,
	  "[type=]virt[,dumpdtb=FILE][,memory-backend=ID]" },
	{ "M", HAS_ARG, opt_machine, NULL },
	{ "m", HAS_ARG, opt_memory, "[size=]N[KMG]  guest RAM (128M)" },
	{ "smp", HAS_ARG, opt_smp, "[cpus=]N  harts (1..8)" },
	{ "cpu", HAS_ARG, opt_cpu, "rv64|max" },
	{ "bios", HAS_ARG, opt_bios, "default|none|FILE  M-mode firmware" },
	{ "kernel", HAS_ARG, opt_kernel, "FILE  Linux Image or ELF" },
	{ "initrd", HAS_ARG, opt_initrd, "FILE  initial ramdisk" },
	{ "append", HAS_ARG, opt_append, "CMDLINE  kernel command line" },
	{ "dtb", HAS_ARG, opt_dtb, "FILE  use this device tree" },
	{ "nographic", NO_ARG, opt_nographic, "serial on stdio (C-a h)" },
	{ "display", HAS_ARG, opt_display, "none" },
	{ "serial", HAS_ARG, opt_serial,
	  "stdio|null|pty|file:PATH|unix:PATH[,server=on]|chardev:ID" },
	{ "chardev", HAS_ARG, opt_chardev,
	  "BACKEND,id=ID[,...]  stdio|null|pty|file|socket" },
	{ "S", NO_ARG, opt_freeze, "start with the CPUs stopped" },
	{ "no-reboot", NO_ARG, opt_no_reboot, "exit instead of rebooting" },
	{ "daemonize", NO_ARG, opt_daemonize,
	  "detach once the machine runs (no stdio)" },
	{ "nodefaults", NO_ARG, opt_nodefaults,
	  "no default serial backend (-serial gives one)" },
	{ "no-user-config", NO_ARG, opt_no_user_config, NULL },
	{ "boot", HAS_ARG, opt_boot,
	  "[order=..][,menu=..][,strict=..]  accepted; OpenSBI ignores it" },
	{ "msg", HAS_ARG, opt_msg, "timestamp=on|off  time-stamp messages" },
	{ "overcommit", HAS_ARG, opt_overcommit,
	  "mem-lock=on|off|on-fault[,cpu-pm=..]  lock guest RAM" },
	{ "uuid", HAS_ARG, opt_uuid, "UUID  reported by query-uuid" },
	{ "no-shutdown", NO_ARG, opt_no_shutdown,
	  "stop instead of exiting when the guest powers off" },
	{ "name", HAS_ARG, opt_name, "[guest=]NAME" },
	{ "pidfile", HAS_ARG, opt_pidfile, "FILE  write the process id" },
	{ "d", HAS_ARG, opt_log, "ITEM,...  log (-d help)" },
	{ "D", HAS_ARG, opt_logfile, "FILE  log to FILE" },
	{ "accel", HAS_ARG, opt_accel,
	  "tcg[,thread=single|multi][,engine=jit|interp]  harts on one "
	  "thread or one each; the translator (default) or the interpreter "
	  "(also -accel interp, MIMIC_ACCEL)" },
	{ "device", HAS_ARG, opt_device, "DRIVER[,...]  add a device" },
	{ "monitor", HAS_ARG, opt_monitor,
	  "stdio|unix:PATH,server=on|none  HMP" },
	{ "qmp", HAS_ARG, opt_qmp,
	  "unix:PATH|tcp:HOST:PORT[,server=on,wait=off]  QMP" },
	{ "mon", HAS_ARG, opt_mon, "chardev=ID[,mode=control|readline]" },
	{ "drive", HAS_ARG, opt_drive,
	  "file=FILE[,format=raw|qcow2][,if=virtio|none][,id=ID]"
	  "[,readonly=on][,cache=writeback|none|writethrough|unsafe]"
	  "[,snapshot=on]" },
	{ "rtc", HAS_ARG, opt_rtc,
	  "[base=utc|localtime|DATE][,clock=host][,driftfix=none|slew]" },
	{ "snapshot", NO_ARG, opt_snapshot,
	  "guest writes to -drive images go to temporary overlays" },
	{ "blockdev", HAS_ARG, opt_blockdev,
	  "driver=file|host_device|raw|qcow2,node-name=N[,filename=F]"
	  "[,file=NODE|file.driver=file,file.filename=F][,read-only=on]"
	  "[,cache.direct=on][,cache.no-flush=on] or a JSON object" },
	{ "object", HAS_ARG, opt_object,
	  "memory-backend-memfd|file,id=ID,size=N[,share=on][,mem-path=P]" },
	{ "netdev", HAS_ARG, opt_netdev,
	  "user,id=ID[,hostfwd=tcp:[HADDR]:HPORT-[GADDR]:GPORT][,net=A/M]"
	  "[,host=A][,dhcpstart=A][,dns=A][,restrict=on][,ipv6=off]  or "
	  "tap,id=ID,ifname=TAP,script=no,downscript=no" },
	{ "nic", HAS_ARG, opt_nic,
	  "user|tap|none[,model=virtio-net-pci|virtio-net-device][,mac=MAC]"
	  "[,netdev options]" },
	{ "fsdev", HAS_ARG, opt_not_yet, NULL },
	{ "virtfs", HAS_ARG, opt_not_yet, NULL },
	{ "s", NO_ARG, opt_gdb_default, "shorthand for -gdb tcp::1234" },
	{ "gdb", HAS_ARG, opt_gdb,
	  "tcp::PORT|tcp:HOST:PORT|unix:PATH|none  listen for gdb there" },
	{ "icount", HAS_ARG, opt_not_yet, NULL },
};

static const char *not_yet_name;

static bool opt_not_yet(struct cmdline *cl, const char *arg,
			struct error **errp)
{
	error_setg(errp, "-%s is not supported yet", not_yet_name);
	return false;
}

static bool opt_help(struct cmdline *cl, const char *arg, struct error **e)
{
	printf("usage: mimic-system-riscv64 [options]\n"
	       "Emulates QEMU's riscv64 virt board.\n\n");
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (options[i].help) {
			printf("  -%-10s %s%s\n", options[i].name,
			       options[i].arg == HAS_ARG ? "ARG  " : "",
			       options[i].help);
		}
	}
	printf("\nDuring emulation on stdio: C-a h help, C-a x quit, C-a c "
	       "monitor.\n");
	cl->exit_now = true;
	return true;
}

static const struct cmdline_option *cmdline_find(const char *name)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (!strcmp(options[i].name, name)) {
			return &options[i];
		}
	}
	return NULL;
}

bool cmdline_parse(int argc, char **argv, struct cmdline *cl,
		   struct error **errp)
{
	const char *engine = getenv("MIMIC_ACCEL");

	cl->machine.ram_size = MACHINE_DEFAULT_RAM;
	cl->machine.nr_harts = 1;
#if defined(__x86_64__)
	/* The translator where there is one. */
	riscv_engine_select("jit", NULL);
#endif
	/* The engine's default from the environment; -accel overrides it. */
	if (engine && *engine && !riscv_engine_select(engine, errp)) {
		error_prepend(errp, "MIMIC_ACCEL");
		return false;
	}
	for (int i = 1; i < argc && !cl->exit_now; i++) {
		const char *name = argv[i];
		const struct cmdline_option *opt;
		const char *arg = NULL;

		if (name[0] != '-' || !name[1]) {
			error_setg(errp,
				   "unexpected argument '%s' (options "
				   "start with -)",
				   name);
			return false;
		}
		name += name[1] == '-' ? 2 : 1;
		opt = cmdline_find(name);
		if (!opt) {
			error_setg(errp,
				   "unknown option '%s' (-help lists them)",
				   argv[i]);
			return false;
		}
		if (opt->arg == HAS_ARG) {
			if (i + 1 >= argc) {
				error_setg(errp,
					   "option '%s' needs an argument",
					   argv[i]);
				return false;
			}
			arg = argv[++i];
		}
		not_yet_name = opt->name;
		if (!opt->handle(cl, arg, errp)) {
			return false;
		}
	}
	return true;
}
