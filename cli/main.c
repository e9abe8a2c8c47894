/* SPDX-License-Identifier: MIT */
/* mimic-system-riscv64: the riscv64 virt board, QEMU's command line. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "chardev/char.h"
#include "cli/cmdline.h"
#include "gdbstub/gdbserver.h"
#include "hw/core/memory-backend.h"
#include "hw/pci/pci.h"
#include "machine/machine.h"
#include "monitor/monitor.h"
#include "net/net.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "virtio/drive.h"
#include "virtio/virtio.h"

static const char *pidfile_path;

static void remove_pidfile(void)
{
	if (pidfile_path) {
		unlink(pidfile_path);
	}
}

static bool write_pidfile(const char *path, struct error **errp)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());

	if (fd < 0 || write(fd, buf, len) != len) {
		error_setg(errp, "could not write the pid file '%s'", path);
		if (fd >= 0) {
			close(fd);
		}
		return false;
	}
	close(fd);
	pidfile_path = path;
	atexit(remove_pidfile);
	return true;
}

static bool setup_logging(struct cmdline *cl, struct error **errp)
{
	if (cl->log_items && !log_set_categories(cl->log_items, errp)) {
		return false;
	}
	if (cl->log_file && !log_set_file(cl->log_file, errp)) {
		return false;
	}
	return true;
}

static bool setup_serial(struct cmdline *cl, struct error **errp)
{
	const char *spec = cl->serial_spec;

	if (!spec && (cl->nodefaults || cl->daemonize)) {
		/* No default backend: the port exists, its output goes nowhere. */
		return true;
	}
	if (!spec) {
		/* -nographic (and the default, as there is no display): the
		 * serial port on stdio with C-a escapes, Ctrl-C to the guest */
		struct opts *o = opts_parse(
			"stdio,id=serial0,mux=on,signal=off", "backend", errp);

		if (!o) {
			return false;
		}
		cl->machine.serial = chardev_new_from_opts(o, errp);
		opts_free(o);
		return cl->machine.serial != NULL;
	}
	if (!strcmp(spec, "none")) {
		return true;
	}
	cl->machine.serial = chardev_new_from_serial_spec(spec, errp);
	return cl->machine.serial != NULL;
}

/*
 * What every -device takes, as QEMU spells it: bus= (the root bus, pcie.0,
 * for -pci devices), addr=SLOT[.0] (-pci devices), bootindex= (accepted:
 * OpenSBI and Linux boot no device by index).
 */
static bool device_common_props(const char *driver, struct opts *o,
				struct error **errp)
{
	size_t n = strlen(driver);
	bool pci = n > 4 && !strcmp(driver + n - 4, "-pci");
	const char *bus = opts_get(o, "bus");
	const char *addr = opts_get(o, "addr");
	uint64_t slot, bootindex;
	char *end = NULL;

	if (bus && (!pci || strcmp(bus, "pcie.0"))) {
		error_setg(errp, "-device %s: Bus '%s' not found", driver, bus);
		return false;
	}
	if (addr) {
		slot = strtoull(addr, &end, 0);
		if (!pci || end == addr || (*end && strcmp(end, ".0")) ||
		    slot == 0 || slot >= 32) {
			error_setg(errp,
				   "-device %s: addr=%s (a -pci device's slot "
				   "1..31, function 0)",
				   driver, addr);
			return false;
		}
		pci_host_request_slot((unsigned)slot);
	}
	return opts_get_uint(o, "bootindex", 0, &bootindex, errp);
}

/* -netdev, -blockdev, -drive and -device, in that order: devices name
 * netdevs and drives by id (node-name), format nodes name the protocol
 * nodes below them. */
static bool create_devices(struct cmdline *cl, struct machine *m,
			   struct error **errp)
{
	for (unsigned i = 0; i < cl->nr_netdevs; i++) {
		if (!netdev_add(cl->netdevs[i], errp)) {
			return false;
		}
	}
	for (unsigned i = 0; i < cl->nr_blockdevs; i++) {
		if (!blockdev_add(cl->blockdevs[i], errp)) {
			return false;
		}
	}
	for (unsigned i = 0; i < cl->nr_drives; i++) {
		if (!drive_add(m, cl->drives[i], errp)) {
			return false;
		}
	}
	for (unsigned i = 0; i < cl->nr_devices; i++) {
		struct opts *o = opts_parse(cl->devices[i], "driver", errp);
		const struct device_type *type;
		bool ok;

		if (!o) {
			return false;
		}
		type = device_type_find(opts_get(o, "driver"));
		ok = type && device_common_props(type->name, o, errp) &&
		     type->create(m, o, errp);
		pci_host_request_slot(0);
		opts_free(o);
		if (!ok) {
			return false;
		}
	}
	netdev_warn_unplugged();
	return true;
}

/* SIGTERM, SIGINT and SIGHUP end emulation cleanly, as in QEMU: every
 * thread blocks them and the main loop reads them from a signalfd. */
static sigset_t quit_signals;

static void block_quit_signals(void)
{
	sigemptyset(&quit_signals);
	sigaddset(&quit_signals, SIGTERM);
	sigaddset(&quit_signals, SIGINT);
	sigaddset(&quit_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &quit_signals, NULL);
}

static void quit_signal_ready(void *opaque, uint32_t events)
{
	struct signalfd_siginfo info;
	int fd = (int)(intptr_t)opaque;

	if (read(fd, &info, sizeof(info)) == sizeof(info)) {
		error_report("terminating on signal %u", info.ssi_signo);
		main_loop_quit(0);
	}
}

static bool watch_quit_signals(struct error **errp)
{
	int fd = signalfd(-1, &quit_signals, SFD_CLOEXEC | SFD_NONBLOCK);

	if (fd < 0 || !main_loop_watch_fd(fd, EPOLLIN, quit_signal_ready,
					  (void *)(intptr_t)fd)) {
		error_setg(errp, "cannot watch for signals");
		return false;
	}
	return true;
}

/*
 * -daemonize: the parent waits on a pipe until the child runs the machine
 * (one byte) or fails (end of file, after the child printed why), and
 * exits with status 0 or 1; the child then leaves its terminal.
 */
static int daemon_pipe = -1;

static bool daemonize_start(struct error **errp)
{
	int fds[2];
	pid_t pid;
	char byte;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		error_setg_errno(errp, errno, "-daemonize");
		return false;
	}
	pid = fork();
	if (pid < 0) {
		error_setg_errno(errp, errno, "-daemonize");
		return false;
	}
	if (pid > 0) {
		close(fds[1]);
		_exit(read(fds[0], &byte, 1) == 1 ? 0 : 1);
	}
	close(fds[0]);
	daemon_pipe = fds[1];
	setsid();
	return true;
}

static bool daemonize_check(struct error **errp)
{
	for (struct chardev *chr = chardev_first(); chr; chr = chr->next) {
		if (!strcmp(chr->backend->name, "stdio")) {
			error_setg(errp,
				   "-daemonize cannot be used with a stdio "
				   "character device (-nographic, -serial "
				   "stdio, -monitor stdio)");
			return false;
		}
	}
	return true;
}

static void daemonize_ready(void)
{
	int null = open("/dev/null", O_RDWR);

	if (daemon_pipe < 0) {
		return;
	}
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	if (write(daemon_pipe, "", 1) != 1) {
		/* The parent is gone: nothing to tell. */
	}
	close(daemon_pipe);
	daemon_pipe = -1;
}

static int run(struct cmdline *cl)
{
	struct error *err = NULL;
	struct machine *m = NULL;
	int status = 1;

	if (!setup_logging(cl, &err) || !main_loop_init(&err) ||
	    !watch_quit_signals(&err)) {
		goto out;
	}
	if (cl->machine.dumpdtb) {
		m = machine_new(&cl->machine, &err);
		if (m && create_devices(cl, m, &err) &&
		    machine_dump_dtb(m, &err)) {
			status = 0;
		}
		goto out;
	}
	if (!setup_serial(cl, &err) ||
	    (cl->daemonize && !daemonize_check(&err))) {
		goto out;
	}
	if (cl->mem_lock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
		error_setg_errno(&err, errno, "-overcommit mem-lock=on");
		goto out;
	}
	m = machine_new(&cl->machine, &err);
	if (!m || !create_devices(cl, m, &err) ||
	    !monitor_start_virt(m, cl->name, cl->machine.no_reboot,
				cl->machine.no_shutdown, &err) ||
	    (cl->gdb_spec && !machine_gdb_start(m, cl->gdb_spec, &err)) ||
	    (cl->pidfile && !write_pidfile(cl->pidfile, &err)) ||
	    !machine_start(m, &err)) {
		goto out;
	}
	daemonize_ready();
	status = main_loop_run();
	gdbserver_close(status);
	monitor_finish();
out:
	if (err) {
		error_report_err(err);
	}
	machine_free(m);
	netdev_close_all();
	memory_backend_close_all();
	drive_close_all();
	chardev_close_all();
	return status;
}

int main(int argc, char **argv)
{
	struct cmdline cl;
	struct error *err = NULL;
	int status;

	memset(&cl, 0, sizeof(cl));
	error_set_progname("mimic-system-riscv64");
	signal(SIGPIPE, SIG_IGN);
	block_quit_signals();
	chardev_register_all();
	virtio_register_devices();
	if (!cmdline_parse(argc, argv, &cl, &err)) {
		error_report_err(err);
		chardev_close_all();
		return 1;
	}
	if (cl.exit_now) {
		return 0;
	}
	if (cl.daemonize && cl.nographic) {
		error_report("-nographic cannot be used with -daemonize");
		return 1;
	}
	if (cl.daemonize && !daemonize_start(&err)) {
		error_report_err(err);
		return 1;
	}
	status = run(&cl);
	fflush(stdout);
	return status;
}
