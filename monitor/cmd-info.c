/* SPDX-License-Identifier: MIT */
/* QMP commands about the emulator itself: negotiation, version, command
 * list, name, UUID, target, machine types, KVM. */
#include <ctype.h>
#include <string.h>

#include "monitor/monitor-internal.h"

json_object *qmp_qmp_capabilities(struct qmp_request *req, struct error **errp)
{
	json_object *enable;

	if (req->mon && req->mon->qmp.negotiated) {
		req->error_class = QMP_ERROR_COMMAND_NOT_FOUND;
		error_setg(errp, "Capabilities negotiation is already "
				 "complete, command ignored");
		return NULL;
	}
	if (json_object_object_get_ex(req->args, "enable", &enable) &&
	    (!json_object_is_type(enable, json_type_array) ||
	     json_object_array_length(enable))) {
		if (json_object_is_type(enable, json_type_array)) {
			error_setg(
				errp, "Capability '%s' not available",
				json_object_get_string(
					json_object_array_get_idx(enable, 0)));
		} else {
			error_setg(errp, "Invalid parameter type for 'enable', "
					 "expected: array");
		}
		return NULL;
	}
	if (req->mon) {
		req->mon->qmp.negotiated = true;
	}
	return NULL;
}

json_object *qmp_query_version(struct qmp_request *req, struct error **errp)
{
	return qmp_version_object();
}

json_object *qmp_query_commands(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();

	for (size_t i = 0; i < qmp_nr_commands; i++) {
		json_object *cmd = json_object_new_object();

		json_object_object_add(
			cmd, "name",
			json_object_new_string(qmp_commands[i].name));
		json_object_array_add(list, cmd);
	}
	return list;
}

json_object *qmp_query_name(struct qmp_request *req, struct error **errp)
{
	json_object *ret = json_object_new_object();

	if (monitor_state.name) {
		json_object_object_add(
			ret, "name",
			json_object_new_string(monitor_state.name));
	}
	return ret;
}

static char monitor_uuid[37] = "00000000-0000-0000-0000-000000000000";

bool monitor_set_uuid(const char *uuid, struct error **errp)
{
	bool ok = strlen(uuid) == 36;

	for (unsigned i = 0; ok && i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		ok = dash ? uuid[i] == '-' : isxdigit((unsigned char)uuid[i]);
	}
	if (!ok) {
		error_setg(errp, "-uuid: '%s' is not a UUID", uuid);
		return false;
	}
	for (unsigned i = 0; i < 36; i++) {
		monitor_uuid[i] = (char)tolower((unsigned char)uuid[i]);
	}
	return true;
}

json_object *qmp_query_uuid(struct qmp_request *req, struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(ret, "UUID",
			       json_object_new_string(monitor_uuid));
	return ret;
}

json_object *qmp_query_target(struct qmp_request *req, struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(ret, "arch", json_object_new_string("riscv64"));
	return ret;
}

json_object *qmp_query_machines(struct qmp_request *req, struct error **errp)
{
	json_object *list = json_object_new_array();
	json_object *virt = json_object_new_object();

	json_object_object_add(virt, "name", json_object_new_string("virt"));
	json_object_object_add(virt, "description",
			       json_object_new_string("RISC-V VirtIO board"));
	json_object_object_add(virt, "cpu-max", json_object_new_int(8));
	json_object_object_add(virt, "hotpluggable-cpus",
			       json_object_new_boolean(false));
	json_object_object_add(virt, "numa-mem-supported",
			       json_object_new_boolean(false));
	json_object_object_add(virt, "deprecated",
			       json_object_new_boolean(false));
	json_object_object_add(virt, "default-cpu-type",
			       json_object_new_string("rv64-riscv-cpu"));
	json_object_object_add(virt, "default-ram-id",
			       json_object_new_string("riscv_virt_board.ram"));
	json_object_array_add(list, virt);
	return list;
}

json_object *qmp_query_kvm(struct qmp_request *req, struct error **errp)
{
	json_object *ret = json_object_new_object();

	json_object_object_add(ret, "enabled", json_object_new_boolean(false));
	json_object_object_add(ret, "present", json_object_new_boolean(false));
	return ret;
}
