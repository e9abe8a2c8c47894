/* SPDX-License-Identifier: MIT */
/* The device types mimic has, as QEMU 7.2's QOM describes them: parents
 * up to "object" (qom-list-types) and the properties mimic takes, with
 * QEMU's types, descriptions and defaults, in QEMU's order
 * (device-list-properties). */
#include "monitor/monitor-internal.h"

static const struct qom_prop qom_props_virtio_blk_device[] = {
	{ .name = "serial", .type = "str" },
	{ .name = "drive",
	  .type = "str",
	  .description =
		  "Node name or ID of a block device to use as a backend" },
	{ .name = "bootindex", .type = "int32" },
	{ NULL },
};

static const struct qom_prop qom_props_virtio_blk_pci[] = {
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ .name = "bootindex", .type = "int32" },
	{ .name = "drive",
	  .type = "str",
	  .description =
		  "Node name or ID of a block device to use as a backend" },
	{ .name = "serial", .type = "str" },
	{ NULL },
};

static const struct qom_prop qom_props_virtio_net_device[] = {
	{ .name = "mac",
	  .type = "str",
	  .description =
		  "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56" },
	{ .name = "netdev",
	  .type = "str",
	  .description = "ID of a netdev to use as a backend" },
	{ .name = "bootindex", .type = "int32" },
	{ NULL },
};

static const struct qom_prop qom_props_virtio_net_pci[] = {
	{ .name = "romfile", .type = "str" },
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ .name = "mac",
	  .type = "str",
	  .description =
		  "Ethernet 6-byte MAC Address, example: 52:54:00:12:34:56" },
	{ .name = "netdev",
	  .type = "str",
	  .description = "ID of a netdev to use as a backend" },
	{ .name = "bootindex", .type = "int32" },
	{ NULL },
};

static const struct qom_prop qom_props_virtio_rng_device[] = {
	{ NULL },
};

static const struct qom_prop qom_props_virtio_rng_pci[] = {
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ NULL },
};

static const struct qom_prop qom_props_virtio_serial_device[] = {
	{ NULL },
};

static const struct qom_prop qom_props_virtio_serial_pci[] = {
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ NULL },
};

static const struct qom_prop qom_props_virtconsole[] = {
	{ .name = "name", .type = "str" },
	{ .name = "chardev",
	  .type = "str",
	  .description = "ID of a chardev to use as a backend" },
	{ NULL },
};

static const struct qom_prop qom_props_virtserialport[] = {
	{ .name = "name", .type = "str" },
	{ .name = "chardev",
	  .type = "str",
	  .description = "ID of a chardev to use as a backend" },
	{ NULL },
};

static const struct qom_prop qom_props_vhost_user_blk_pci[] = {
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ .name = "bootindex", .type = "int32" },
	{ .name = "num-queues", .type = "uint16", .default_json = "65535" },
	{ .name = "chardev",
	  .type = "str",
	  .description = "ID of a chardev to use as a backend" },
	{ .name = "packed",
	  .type = "bool",
	  .description = "on/off",
	  .default_json = "false" },
	{ .name = "queue-size", .type = "uint32", .default_json = "128" },
	{ NULL },
};

static const struct qom_prop qom_props_vhost_user_fs_pci[] = {
	{ .name = "addr",
	  .type = "int32",
	  .description =
		  "Slot and optional function number, example: 06.0 or 06",
	  .default_json = "-1" },
	{ .name = "bootindex", .type = "int32" },
	{ .name = "num-request-queues", .type = "uint16", .default_json = "1" },
	{ .name = "chardev",
	  .type = "str",
	  .description = "ID of a chardev to use as a backend" },
	{ .name = "packed",
	  .type = "bool",
	  .description = "on/off",
	  .default_json = "false" },
	{ .name = "queue-size", .type = "uint16", .default_json = "128" },
	{ .name = "tag", .type = "str" },
	{ NULL },
};

static const struct qom_prop qom_props_vhost_user_fs_device[] = {
	{ .name = "packed",
	  .type = "bool",
	  .description = "on/off",
	  .default_json = "false" },
	{ .name = "chardev",
	  .type = "str",
	  .description = "ID of a chardev to use as a backend" },
	{ .name = "queue-size", .type = "uint16", .default_json = "128" },
	{ .name = "tag", .type = "str" },
	{ .name = "num-request-queues", .type = "uint16", .default_json = "1" },
	{ .name = "bootindex", .type = "int32" },
	{ NULL },
};

const struct qom_type qom_types[] = {
	{ .name = "virtio-blk-device",
	  .parent = "virtio-device",
	  .props = qom_props_virtio_blk_device },
	{ .name = "virtio-device", .parent = "device", .abstract = true },
	{ .name = "device", .parent = "object", .abstract = true },
	{ .name = "object", .abstract = true },
	{ .name = "virtio-blk-pci",
	  .parent = "virtio-blk-pci-base",
	  .props = qom_props_virtio_blk_pci },
	{ .name = "virtio-blk-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "virtio-pci", .parent = "pci-device", .abstract = true },
	{ .name = "pci-device", .parent = "device", .abstract = true },
	{ .name = "virtio-net-device",
	  .parent = "virtio-device",
	  .props = qom_props_virtio_net_device },
	{ .name = "virtio-net-pci",
	  .parent = "virtio-net-pci-base",
	  .props = qom_props_virtio_net_pci },
	{ .name = "virtio-net-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "virtio-rng-device",
	  .parent = "virtio-device",
	  .props = qom_props_virtio_rng_device },
	{ .name = "virtio-rng-pci",
	  .parent = "virtio-rng-pci-base",
	  .props = qom_props_virtio_rng_pci },
	{ .name = "virtio-rng-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "virtio-serial-device",
	  .parent = "virtio-device",
	  .props = qom_props_virtio_serial_device },
	{ .name = "virtio-serial-pci",
	  .parent = "virtio-serial-pci-base",
	  .props = qom_props_virtio_serial_pci },
	{ .name = "virtio-serial-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "virtconsole",
	  .parent = "virtserialport",
	  .props = qom_props_virtconsole },
	{ .name = "virtserialport",
	  .parent = "virtio-serial-port",
	  .props = qom_props_virtserialport },
	{ .name = "virtio-serial-port", .parent = "device", .abstract = true },
	{ .name = "vhost-user-blk-pci",
	  .parent = "vhost-user-blk-pci-base",
	  .props = qom_props_vhost_user_blk_pci },
	{ .name = "vhost-user-blk-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "vhost-user-fs-pci",
	  .parent = "vhost-user-fs-pci-base",
	  .props = qom_props_vhost_user_fs_pci },
	{ .name = "vhost-user-fs-pci-base",
	  .parent = "virtio-pci",
	  .abstract = true },
	{ .name = "vhost-user-fs-device",
	  .parent = "virtio-device",
	  .props = qom_props_vhost_user_fs_device },
};
const size_t qom_nr_types = ARRAY_SIZE(qom_types);
