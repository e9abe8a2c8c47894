/* SPDX-License-Identifier: MIT */
/* QMP commands management tools ask about what mimic does not have or
 * does in one fixed way: memory backends, migration, balloon, NMI, display,
 * ACPI, CPU hotplug, I/O threads; answered as QEMU 7.2 answers on virt. */
#include <string.h>

#include "hw/core/memory-backend.h"
#include "monitor/monitor-internal.h"

json_object *qmp_query_iothreads(struct qmp_request *req, struct error **errp)
{
	return json_object_new_array();
}

static json_object *qmp_memdev(const char *id, uint64_t size, bool share)
{
	json_object *m = json_object_new_object();

	json_object_object_add(m, "id", json_object_new_string(id));
	json_object_object_add(m, "size", json_object_new_int64(size));
	json_object_object_add(m, "merge", json_object_new_boolean(true));
	json_object_object_add(m, "dump", json_object_new_boolean(true));
	json_object_object_add(m, "prealloc", json_object_new_boolean(false));
	json_object_object_add(m, "share", json_object_new_boolean(share));
	json_object_object_add(m, "reserve", json_object_new_boolean(true));
	json_object_object_add(m, "host-nodes", json_object_new_array());
	json_object_object_add(m, "policy", json_object_new_string("default"));
	return m;
}

/* Guest RAM first (QEMU's riscv_virt_board.ram unless -machine
 * memory-backend= named one), then the other -object backends. */
json_object *qmp_query_memdev(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();
	uint64_t ram = monitor_state.ops->ram_size(monitor_state.opaque);
	struct memory_backend *mb;
	bool ram_listed = false;

	for (mb = memory_backend_first(); mb; mb = mb->next) {
		if (mb->ptr) {
			json_object_array_add(
				list, qmp_memdev(mb->id, mb->size, mb->share));
			ram_listed = true;
		}
	}
	if (!ram_listed) {
		json_object_array_add(
			list, qmp_memdev("riscv_virt_board.ram", ram, false));
	}
	for (mb = memory_backend_first(); mb; mb = mb->next) {
		if (!mb->ptr) {
			json_object_array_add(
				list, qmp_memdev(mb->id, mb->size, mb->share));
		}
	}
	return list;
}

json_object *qmp_query_memory_size_summary(struct qmp_request *req,
					   struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(
		ret, "base-memory",
		json_object_new_int64(
			monitor_state.ops->ram_size(monitor_state.opaque)));
	return ret;
}

/* No migration has ever run: QEMU answers an empty object. */
json_object *qmp_query_migrate(struct qmp_request *req, struct error **errp)
{
	return json_object_new_object();
}

json_object *qmp_query_balloon(struct qmp_request *req, struct error **errp)
{
	req->error_class = QMP_ERROR_DEVICE_NOT_ACTIVE;
	error_setg(errp, "No balloon device has been activated");
	return NULL;
}

/* riscv has no NMI in QEMU 7.2 either. */
json_object *qmp_inject_nmi(struct qmp_request *req, struct error **errp)
{
	error_setg(errp, "this feature or command is not currently supported");
	return NULL;
}

json_object *qmp_query_display_options(struct qmp_request *req,
				       struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(ret, "type", json_object_new_string("none"));
	return ret;
}

json_object *qmp_query_acpi_ospm_status(struct qmp_request *req,
					struct error **errp)
{
	error_setg(errp, "command is not supported, missing ACPI device");
	return NULL;
}

json_object *qmp_query_current_machine(struct qmp_request *req,
				       struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(ret, "wakeup-suspend-support",
			       json_object_new_boolean(false));
	return ret;
}

json_object *qmp_query_hotpluggable_cpus(struct qmp_request *req,
					 struct error **errp)
{
	error_setg(errp,
		   "The feature 'query-hotpluggable-cpus' is not enabled");
	return NULL;
}
