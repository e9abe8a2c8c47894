/* SPDX-License-Identifier: MIT */
/* QMP run control: status, stop, cont, reset, powerdown, quit, and the
 * events they emit. */
#include "monitor/monitor-internal.h"

static json_object *qmp_host_reason(const char *reason)
{
	json_object *data = json_object_new_object();

	json_object_object_add(data, "guest", json_object_new_boolean(false));
	json_object_object_add(data, "reason", json_object_new_string(reason));
	return data;
}

json_object *qmp_query_status(struct qmp_request *req, struct error **errp)
{
	bool paused = monitor_state.ops->is_paused(monitor_state.opaque);
	json_object *ret = json_object_new_object();
	bool shutdown =
		__atomic_load_n(&monitor_state.shutdown, __ATOMIC_ACQUIRE);
	bool debug = paused && monitor_state.ops->debug_stopped &&
		     monitor_state.ops->debug_stopped(monitor_state.opaque);
	const char *status = !paused		     ? "running" :
			     shutdown		     ? "shutdown" :
			     debug		     ? "debug" :
			     monitor_state.prelaunch ? "prelaunch" :
						       "paused";

	json_object_object_add(ret, "running",
			       json_object_new_boolean(!paused));
	json_object_object_add(ret, "singlestep",
			       json_object_new_boolean(false));
	json_object_object_add(ret, "status", json_object_new_string(status));
	return ret;
}

json_object *qmp_stop(struct qmp_request *req, struct error **errp)
{
	if (!monitor_state.ops->is_paused(monitor_state.opaque)) {
		monitor_state.ops->pause(monitor_state.opaque);
		monitor_state.prelaunch = false;
		monitor_event("STOP", NULL);
	}
	return NULL;
}

json_object *qmp_cont(struct qmp_request *req, struct error **errp)
{
	if (__atomic_load_n(&monitor_state.shutdown, __ATOMIC_ACQUIRE)) {
		error_setg(errp, "Resetting the Virtual Machine is required");
		return NULL;
	}
	if (monitor_state.ops->is_paused(monitor_state.opaque)) {
		monitor_state.ops->resume(monitor_state.opaque);
		monitor_state.prelaunch = false;
		monitor_event("RESUME", NULL);
	}
	return NULL;
}

json_object *qmp_system_reset(struct qmp_request *req, struct error **errp)
{
	if (monitor_state.no_reboot) {
		/* QEMU under -no-reboot: the reply, then SHUTDOWN, then exit. */
		monitor_event_queue("SHUTDOWN",
				    qmp_host_reason("host-qmp-system-reset"),
				    false);
		monitor_state.ops->quit(monitor_state.opaque);
		return NULL;
	}
	monitor_state.ops->reset(monitor_state.opaque);
	if (__atomic_exchange_n(&monitor_state.shutdown, 0, __ATOMIC_ACQ_REL)) {
		/* Out of shutdown, as QEMU: reset and waiting for cont. */
		monitor_state.prelaunch = true;
	}
	monitor_event("RESET", qmp_host_reason("host-qmp-system-reset"));
	return NULL;
}

json_object *qmp_system_powerdown(struct qmp_request *req, struct error **errp)
{
	monitor_state.ops->powerdown(monitor_state.opaque);
	monitor_event("POWERDOWN", NULL);
	return NULL;
}

json_object *qmp_quit(struct qmp_request *req, struct error **errp)
{
	monitor_event_queue("SHUTDOWN", qmp_host_reason("host-qmp-quit"),
			    false);
	monitor_state.ops->quit(monitor_state.opaque);
	return NULL;
}
