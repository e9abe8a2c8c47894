/* SPDX-License-Identifier: MIT */
/* QMP commands about devices: CPUs, block devices, chardevs, PCI. */
#include <stdio.h>
#include <unistd.h>

#include "chardev/char.h"
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
		json_object_object_add(props, "socket-id",
				       json_object_new_int(0));
		json_object_object_add(cpu, "props", props);
		json_object_object_add(cpu, "target",
				       json_object_new_string("riscv64"));
		json_object_array_add(list, cpu);
	}
	return list;
}

json_object *qmp_query_block(struct qmp_request *req, struct error **errp)
{
	return json_object_new_array();
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

json_object *qmp_query_pci(struct qmp_request *req, struct error **errp)
{
	return json_object_new_array();
}
