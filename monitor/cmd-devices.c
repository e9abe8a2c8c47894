/* SPDX-License-Identifier: MIT */
/* QMP commands about devices: CPUs, chardevs, PCI. */
#include <stdio.h>
#include <unistd.h>

#include "chardev/char.h"
#include "hw/pci/pci.h"
#include "monitor/monitor-internal.h"

json_object *qmp_query_cpus_fast(struct qmp_request *req, struct error **errp)
{
	unsigned n = monitor_state.ops->nr_harts(monitor_state.opaque);
	json_object *list = json_object_new_array();

	for (unsigned i = 0; i < n; i++) {
		json_object *cpu = json_object_new_object();
		json_object *props = json_object_new_object();
		char path[64];

		snprintf(path, sizeof(path), "/machine/soc0/harts[%u]", i);
		json_object_object_add(cpu, "cpu-index",
				       json_object_new_int(i));
		json_object_object_add(cpu, "qom-path",
				       json_object_new_string(path));
		/* One vCPU thread runs every hart; report the process. */
		json_object_object_add(cpu, "thread-id",
				       json_object_new_int(getpid()));
		json_object_object_add(props, "core-id",
				       json_object_new_int(i));
		json_object_object_add(cpu, "props", props);
		json_object_object_add(cpu, "target",
				       json_object_new_string("riscv64"));
		json_object_array_add(list, cpu);
	}
	return list;
}

json_object *qmp_query_chardev(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();

	for (struct chardev *chr = chardev_first(); chr; chr = chr->next) {
		json_object *c = json_object_new_object();

		json_object_object_add(
			c, "label",
			json_object_new_string(chr->id ? chr->id : ""));
		json_object_object_add(
			c, "filename",
			json_object_new_string(chr->backend->name));
		json_object_object_add(
			c, "frontend-open",
			json_object_new_boolean(chr->has_frontend));
		json_object_array_add(list, c);
	}
	return list;
}

static uint32_t qmp_pci_config(unsigned slot, unsigned off)
{
	uint64_t val = ~0ull;
	gpa_t addr = VIRT_PCIE_ECAM_BASE + ((gpa_t)slot << 15) + off;

	if (!monitor_state.ops->io_read ||
	    !monitor_state.ops->io_read(monitor_state.opaque, addr, 4, &val)) {
		return ~0u;
	}
	return val;
}

static json_object *qmp_pci_device(unsigned slot, uint32_t ids)
{
	json_object *dev = json_object_new_object();
	json_object *id = json_object_new_object();
	json_object *cls = json_object_new_object();
	uint32_t class_rev = qmp_pci_config(slot, PCI_REVISION_ID);
	uint32_t subsys = qmp_pci_config(slot, PCI_SUBSYSTEM_VENDOR_ID);
	uint32_t irq = qmp_pci_config(slot, PCI_INTERRUPT_LINE);

	json_object_object_add(dev, "bus", json_object_new_int(0));
	json_object_object_add(dev, "slot", json_object_new_int(slot));
	json_object_object_add(dev, "function", json_object_new_int(0));
	json_object_object_add(cls, "class",
			       json_object_new_int(class_rev >> 16));
	json_object_object_add(dev, "class_info", cls);
	json_object_object_add(id, "device", json_object_new_int(ids >> 16));
	json_object_object_add(id, "vendor", json_object_new_int(ids & 0xffff));
	json_object_object_add(id, "subsystem",
			       json_object_new_int(subsys >> 16));
	json_object_object_add(id, "subsystem-vendor",
			       json_object_new_int(subsys & 0xffff));
	json_object_object_add(dev, "id", id);
	json_object_object_add(dev, "irq_pin",
			       json_object_new_int((irq >> 8) & 0xff));
	json_object_object_add(dev, "qdev_id", json_object_new_string(""));
	json_object_object_add(dev, "regions", json_object_new_array());
	return dev;
}

/* Bus 0 as the guest sees it through ECAM; [] when the board has no PCI
 * host (it is created with the first PCI device). */
json_object *qmp_query_pci(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();
	json_object *bus, *devices;

	if (qmp_pci_config(0, PCI_VENDOR_ID) == ~0u &&
	    qmp_pci_config(1, PCI_VENDOR_ID) == ~0u) {
		return list;
	}
	bus = json_object_new_object();
	devices = json_object_new_array();
	for (unsigned slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		uint32_t ids = qmp_pci_config(slot, PCI_VENDOR_ID);

		if ((ids & 0xffff) != 0xffff) {
			json_object_array_add(devices,
					      qmp_pci_device(slot, ids));
		}
	}
	json_object_object_add(bus, "bus", json_object_new_int(0));
	json_object_object_add(bus, "devices", devices);
	json_object_array_add(list, bus);
	return list;
}
