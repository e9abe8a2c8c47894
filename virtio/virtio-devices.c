/* SPDX-License-Identifier: MIT */
/* The virtio device types of -device, named like QEMU's: NAME-device on
 * virtio-mmio, NAME-pci on virtio-pci, and virtconsole. */
#include <string.h>

#include "chardev/char.h"
#include "hw/core/device.h"
#include "net/net.h"
#include "util/options.h"
#include "vhost-user/vhost-user-fs.h"
#include "virtio/drive.h"
#include "virtio/virtio-blk.h"
#include "virtio/virtio-devices.h"
#include "virtio/virtio-mmio.h"
#include "virtio/virtio-net.h"
#include "virtio/virtio-pci.h"

static bool virtio_attach(struct machine *m, struct virtio_device *vdev,
			  bool pci, struct error **errp)
{
	if (!vdev) {
		return false;
	}
	return pci ? virtio_pci_attach(m, vdev, errp) :
		     virtio_mmio_attach(m, vdev, errp);
}

static bool blk_create(struct machine *m, struct opts *o, bool pci,
		       struct error **errp)
{
	const char *what = pci ? "virtio-blk-pci" : "virtio-blk-device";
	const char *drive_id = opts_get(o, "drive");
	const char *serial = opts_get(o, "serial");
	const char *id = opts_get(o, "id");
	struct drive *drive;

	if (!opts_check_unused(o, what, errp)) {
		return false;
	}
	if (!drive_id) {
		error_setg(errp, "%s: drive= is required", what);
		return false;
	}
	drive = drive_find(drive_id);
	if (!drive) {
		error_setg(errp, "%s: no -drive with id '%s'", what, drive_id);
		return false;
	}
	if (!virtio_attach(m, virtio_blk_new(drive, serial, errp), pci, errp)) {
		return false;
	}
	drive_set_qdev(drive, id, pci);
	return true;
}

static bool blk_mmio_create(struct machine *m, struct opts *o,
			    struct error **errp)
{
	return blk_create(m, o, false, errp);
}

static bool blk_pci_create(struct machine *m, struct opts *o,
			   struct error **errp)
{
	return blk_create(m, o, true, errp);
}

static bool rng_create(struct machine *m, struct opts *o, bool pci,
		       struct error **errp)
{
	opts_get(o, "id");
	if (!opts_check_unused(o, pci ? "virtio-rng-pci" : "virtio-rng-device",
			       errp)) {
		return false;
	}
	return virtio_attach(m, virtio_rng_new(errp), pci, errp);
}

static bool rng_mmio_create(struct machine *m, struct opts *o,
			    struct error **errp)
{
	return rng_create(m, o, false, errp);
}

static bool rng_pci_create(struct machine *m, struct opts *o,
			   struct error **errp)
{
	return rng_create(m, o, true, errp);
}

static bool net_create(struct machine *m, struct opts *o, bool pci,
		       struct error **errp)
{
	static unsigned nr_nics;
	const char *what = pci ? "virtio-net-pci" : "virtio-net-device";
	const char *netdev_id = opts_get(o, "netdev");
	const char *mac_str = opts_get(o, "mac");
	struct netdev *nd = NULL;
	uint8_t mac[6];

	opts_get(o, "id");
	if (pci) {
		/* No option ROMs: romfile= (QEMU's boot ROM) is ignored. */
		opts_get(o, "romfile");
	}
	if (!opts_check_unused(o, what, errp)) {
		return false;
	}
	netdev_default_mac(nr_nics, mac);
	if (mac_str && !netdev_parse_mac(mac_str, mac, errp)) {
		error_prepend(errp, "%s", what);
		return false;
	}
	if (!netdev_id) {
		warn_report("nic %s.%u has no peer", what, nr_nics);
	} else {
		nd = netdev_find(netdev_id);
		if (!nd) {
			error_setg(errp, "%s: no -netdev with id '%s'", what,
				   netdev_id);
			return false;
		}
	}
	return virtio_attach(m, virtio_net_new(nd, mac, what, nr_nics++, errp),
			     pci, errp);
}

static bool net_mmio_create(struct machine *m, struct opts *o,
			    struct error **errp)
{
	return net_create(m, o, false, errp);
}

static bool net_pci_create(struct machine *m, struct opts *o,
			   struct error **errp)
{
	return net_create(m, o, true, errp);
}

static bool serial_create(struct machine *m, struct opts *o, bool pci,
			  struct error **errp)
{
	opts_get(o, "id");
	if (!opts_check_unused(
		    o, pci ? "virtio-serial-pci" : "virtio-serial-device",
		    errp)) {
		return false;
	}
	return virtio_attach(m, virtio_console_new(errp), pci, errp);
}

static bool serial_mmio_create(struct machine *m, struct opts *o,
			       struct error **errp)
{
	return serial_create(m, o, false, errp);
}

static bool serial_pci_create(struct machine *m, struct opts *o,
			      struct error **errp)
{
	return serial_create(m, o, true, errp);
}

static bool port_create(struct opts *o, bool console, struct error **errp)
{
	const char *what = console ? "virtconsole" : "virtserialport";
	const char *id = opts_get(o, "chardev");
	const char *name = opts_get(o, "name");
	struct virtio_device *vdev = virtio_console_last();
	struct error *err = NULL;
	struct chardev *chr;

	opts_get(o, "id");
	if (!opts_check_unused(o, what, errp)) {
		return false;
	}
	if (!id) {
		error_setg(errp, "%s: chardev= is required", what);
		return false;
	}
	chr = chardev_find(id);
	if (!chr) {
		error_setg(errp, "%s: no -chardev with id '%s'", what, id);
		return false;
	}
	if (!vdev) {
		error_setg(errp,
			   "%s: needs a virtio-serial-pci or "
			   "virtio-serial-device before it",
			   what);
		return false;
	}
	if (!virtio_console_attach(vdev, chr, console, name, &err)) {
		error_prepend(&err, "%s", what);
		error_propagate(errp, err);
		return false;
	}
	return true;
}

static bool virtconsole_create(struct machine *m, struct opts *o,
			       struct error **errp)
{
	return port_create(o, true, errp);
}

static bool virtserialport_create(struct machine *m, struct opts *o,
				  struct error **errp)
{
	return port_create(o, false, errp);
}

#define BLK_PROPS                                                    \
	"drive=ID     the -drive (if=none,id=ID) holding the disk\n" \
	"serial=STR   serial number (up to 20 bytes)\n"

#define NET_PROPS                                             \
	"netdev=ID    the -netdev the card is plugged into\n" \
	"mac=MAC      its address (52:54:00:12:34:56, then :57...)\n"

static const struct device_type virtio_device_types[] = {
	{ "virtio-blk-device", "virtio block device (virtio-mmio)",
	  blk_mmio_create, BLK_PROPS },
	{ "virtio-blk-pci", "virtio block device (virtio-pci)", blk_pci_create,
	  BLK_PROPS },
	{ "virtio-net-device", "virtio network card (virtio-mmio)",
	  net_mmio_create, NET_PROPS },
	{ "virtio-net-pci", "virtio network card (virtio-pci)", net_pci_create,
	  NET_PROPS },
	{ "virtio-rng-device", "virtio entropy source (virtio-mmio)",
	  rng_mmio_create, "" },
	{ "virtio-rng-pci", "virtio entropy source (virtio-pci)",
	  rng_pci_create, "" },
	{ "virtio-serial-device",
	  "virtio-serial: console and ports (virtio-mmio)", serial_mmio_create,
	  "" },
	{ "virtio-serial-pci", "virtio-serial: console and ports (virtio-pci)",
	  serial_pci_create, "" },
	{ "virtconsole", "the console port (hvc) of the last virtio-serial",
	  virtconsole_create,
	  "chardev=ID   the -chardev the guest's console talks to\n"
	  "name=STR     port name (/sys/class/virtio-ports/*/name)\n" },
	{ "virtserialport", "a named port of the last virtio-serial",
	  virtserialport_create,
	  "chardev=ID   the -chardev the port talks to\n"
	  "name=STR     port name, e.g. org.qemu.guest_agent.0\n" },
};

void virtio_register_devices(void)
{
	static bool done;

	if (done) {
		return;
	}
	done = true;
	for (unsigned i = 0; i < ARRAY_SIZE(virtio_device_types); i++) {
		device_type_register(&virtio_device_types[i]);
	}
	vhost_user_register_devices();
}
