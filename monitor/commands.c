/* SPDX-License-Identifier: MIT */
/* The QMP command table: names, typed parameters, what they return. The
 * dispatcher, HMP and the reference in docs/monitor.md all read it. */
#include <string.h>

#include "monitor/monitor-internal.h"

const char *qmp_error_class_name(enum qmp_error_class cls)
{
	switch (cls) {
	case QMP_ERROR_COMMAND_NOT_FOUND:
		return "CommandNotFound";
	case QMP_ERROR_DEVICE_NOT_FOUND:
		return "DeviceNotFound";
	case QMP_ERROR_DEVICE_NOT_ACTIVE:
		return "DeviceNotActive";
	default:
		return "GenericError";
	}
}

const struct qmp_command qmp_commands[] = {
	{ "qmp_capabilities",
	  qmp_qmp_capabilities,
	  { { "enable", QMP_TYPE_STR, true,
	      "capabilities to enable (none are offered; must be absent or "
	      "empty)" } },
	  "{}",
	  "Leave capabilities negotiation mode; required before any other "
	  "command." },
	{ "query-version",
	  qmp_query_version,
	  {},
	  "{\"qemu\": {\"major\", \"minor\", \"micro\"}, \"package\"}",
	  "The QEMU version mimic is compatible with, and mimic's own version "
	  "as the package." },
	{ "query-commands",
	  qmp_query_commands,
	  {},
	  "[{\"name\"}]",
	  "Every command this monitor accepts." },
	{ "query-status",
	  qmp_query_status,
	  {},
	  "{\"running\": bool, \"singlestep\": false, \"status\": "
	  "\"running\"|\"paused\"|\"prelaunch\"|\"shutdown\"|\"debug\"}",
	  "Whether the guest's CPUs run (\"prelaunch\": -S, before the "
	  "first cont; \"shutdown\": -no-shutdown; \"debug\": stopped by "
	  "gdb)." },
	{ "query-name",
	  qmp_query_name,
	  {},
	  "{\"name\"?}",
	  "The -name of the guest (absent when not set)." },
	{ "query-uuid",
	  qmp_query_uuid,
	  {},
	  "{\"UUID\"}",
	  "The guest UUID (always the nil UUID: -uuid is not supported)." },
	{ "query-target",
	  qmp_query_target,
	  {},
	  "{\"arch\": \"riscv64\"}",
	  "The target architecture." },
	{ "query-machines",
	  qmp_query_machines,
	  {},
	  "[{\"name\", \"description\", \"cpu-max\", ...}]",
	  "The machine types (only virt)." },
	{ "query-cpus-fast",
	  qmp_query_cpus_fast,
	  {},
	  "[{\"cpu-index\", \"qom-path\", \"thread-id\", \"props\", "
	  "\"target\"}]",
	  "One entry per hart." },
	{ "query-block",
	  qmp_query_block,
	  {},
	  "[{\"device\", \"qdev\", \"io-status\", \"type\", "
	  "\"removable\", \"locked\", \"inserted\"}]",
	  "Block backends: each -drive, and each -blockdev node a device "
	  "uses (device \"\"), with its top node as \"inserted\"." },
	{ "query-named-block-nodes",
	  qmp_query_named_block_nodes,
	  { { "flat", QMP_TYPE_BOOL, true,
	      "leave out the nested backing-image" } },
	  "[{\"node-name\", \"drv\", \"file\", \"ro\", \"image\", "
	  "\"cache\", ...}]",
	  "Every block node, newest first as in QEMU: a -drive is a format "
	  "node over a file node, both named as QEMU names implicit nodes "
	  "(#block, a counter, two more digits)." },
	{ "query-blockstats",
	  qmp_query_blockstats,
	  { { "query-nodes", QMP_TYPE_BOOL, true,
	      "one entry per node instead of per backend" } },
	  "[{\"device\", \"node-name\", \"qdev\", \"stats\", "
	  "\"parent\"}]",
	  "I/O the guest did through each virtio-blk (rd_bytes, wr_bytes, "
	  "rd_operations, wr_operations, flush_operations, unmap_*, failed_*, "
	  "invalid_*, *_total_time_ns, wr_highest_offset, idle_time_ns). "
	  "Node-level stats are zeros but wr_highest_offset, as in QEMU." },
	{ "block_resize",
	  qmp_block_resize,
	  { { "device", QMP_TYPE_STR, true, "the -drive id" },
	    { "node-name", QMP_TYPE_STR, true, "or a node name" },
	    { "size", QMP_TYPE_INT, false, "the new size in bytes" } },
	  "{}",
	  "Grow (or shrink) the image; the guest's virtio-blk gets a "
	  "config-change interrupt and sees the new capacity." },
	{ "set_link",
	  qmp_set_link,
	  { { "name", QMP_TYPE_STR, false,
	      "a netdev id or a NIC (virtio-net-pci.0)" },
	    { "up", QMP_TYPE_BOOL, false, "the new link state" } },
	  "{}",
	  "Take the network link down or up: the guest's virtio-net sees "
	  "its carrier go (a config-change interrupt) and frames are dropped "
	  "both ways until it is up again." },
	{ "eject",
	  qmp_eject,
	  { { "device", QMP_TYPE_STR, true, "the -drive id" },
	    { "id", QMP_TYPE_STR, true, "or the -device id" },
	    { "force", QMP_TYPE_BOOL, true, "ignored" } },
	  "{}",
	  "Always an error: no mimic disk is removable (QEMU's errors)." },
	{ "blockdev-open-tray",
	  qmp_blockdev_tray,
	  { { "device", QMP_TYPE_STR, true, "the -drive id" },
	    { "id", QMP_TYPE_STR, true, "or the -device id" },
	    { "force", QMP_TYPE_BOOL, true, "ignored" } },
	  "{}",
	  "Always an error, as eject." },
	{ "blockdev-close-tray",
	  qmp_blockdev_tray,
	  { { "device", QMP_TYPE_STR, true, "the -drive id" },
	    { "id", QMP_TYPE_STR, true, "or the -device id" } },
	  "{}",
	  "Always an error, as eject." },
	{ "blockdev-remove-medium",
	  qmp_blockdev_tray,
	  { { "id", QMP_TYPE_STR, false, "the -device id" } },
	  "{}",
	  "Always an error, as eject." },
	{ "blockdev-change-medium",
	  qmp_blockdev_change_medium,
	  { { "device", QMP_TYPE_STR, true, "the -drive id" },
	    { "id", QMP_TYPE_STR, true, "or the -device id" },
	    { "filename", QMP_TYPE_STR, false, "the new medium" },
	    { "format", QMP_TYPE_STR, true, "its format" },
	    { "read-only-mode", QMP_TYPE_STR, true,
	      "retain, read-only, "
	      "read-write" },
	    { "force", QMP_TYPE_BOOL, true, "ignored" } },
	  "{}",
	  "Always an error (after QEMU's check that filename opens), as "
	  "eject." },
	{ "query-chardev",
	  qmp_query_chardev,
	  {},
	  "[{\"label\", \"filename\", \"frontend-open\"}]",
	  "Every character device." },
	{ "query-kvm",
	  qmp_query_kvm,
	  {},
	  "{\"enabled\": false, \"present\": false}",
	  "KVM is never used: mimic translates." },
	{ "query-pci",
	  qmp_query_pci,
	  {},
	  "[]",
	  "PCI buses (the board has no PCI host yet: the list is empty)." },
	{ "query-command-line-options",
	  qmp_query_command_line_options,
	  { { "option", QMP_TYPE_STR, true,
	      "one option (QEMU's group name)" } },
	  "[{\"option\", \"parameters\": [{\"name\", \"type\", "
	  "\"help\"?}]}]",
	  "The options mimic has with the keys each takes, described as QEMU "
	  "describes them (-smp is smp-opts, -m memory, -boot boot-opts)." },
	{ "qom-list-types",
	  qmp_qom_list_types,
	  { { "implements", QMP_TYPE_STR, true,
	      "only the types that are or derive from this one" },
	    { "abstract", QMP_TYPE_BOOL, true, "list abstract types too" } },
	  "[{\"name\", \"parent\", \"abstract\"?}]",
	  "The device types mimic has and their ancestors, named as in "
	  "QEMU's QOM." },
	{ "device-list-properties",
	  qmp_device_list_properties,
	  { { "typename", QMP_TYPE_STR, false, "a device type" } },
	  "[{\"name\", \"type\", \"description\"?, \"default-value\"?}]",
	  "The properties -device TYPE takes in mimic, described as QEMU "
	  "describes them." },
	{ "query-iothreads",
	  qmp_query_iothreads,
	  {},
	  "[]",
	  "No -object iothread: always empty." },
	{ "query-memdev",
	  qmp_query_memdev,
	  {},
	  "[{\"id\", \"size\", \"merge\", \"dump\", \"prealloc\", "
	  "\"share\", \"reserve\", \"host-nodes\", \"policy\"}]",
	  "Guest RAM (riscv_virt_board.ram, or the -machine memory-backend) "
	  "and the other -object memory backends." },
	{ "query-memory-size-summary",
	  qmp_query_memory_size_summary,
	  {},
	  "{\"base-memory\"}",
	  "Guest RAM in bytes (no hotplugged memory)." },
	{ "query-migrate",
	  qmp_query_migrate,
	  {},
	  "{}",
	  "No migration has run: empty." },
	{ "query-balloon",
	  qmp_query_balloon,
	  {},
	  "error DeviceNotActive",
	  "There is no balloon device." },
	{ "inject-nmi",
	  qmp_inject_nmi,
	  {},
	  "error",
	  "riscv has no NMI to inject (QEMU's error)." },
	{ "query-display-options",
	  qmp_query_display_options,
	  {},
	  "{\"type\": \"none\"}",
	  "No display." },
	{ "query-acpi-ospm-status",
	  qmp_query_acpi_ospm_status,
	  {},
	  "error",
	  "The virt board has no ACPI device (QEMU's error)." },
	{ "query-current-machine",
	  qmp_query_current_machine,
	  {},
	  "{\"wakeup-suspend-support\": false}",
	  "The running machine's properties." },
	{ "query-hotpluggable-cpus",
	  qmp_query_hotpluggable_cpus,
	  {},
	  "error",
	  "CPU hotplug is not available on virt (QEMU's error)." },
	{ "getfd",
	  qmp_getfd,
	  { { "fdname", QMP_TYPE_STR, false, "the name to keep it under" } },
	  "{}",
	  "Keep the file descriptor sent with this command (SCM_RIGHTS on the "
	  "unix socket) under fdname, for this client." },
	{ "closefd",
	  qmp_closefd,
	  { { "fdname", QMP_TYPE_STR, false, "a name given with getfd" } },
	  "{}",
	  "Close a file descriptor kept by getfd." },
	{ "stop",
	  qmp_stop,
	  {},
	  "{}",
	  "Pause the guest: its CPUs and its clock stop. Emits STOP." },
	{ "cont", qmp_cont, {}, "{}", "Resume a paused guest. Emits RESUME." },
	{ "system_reset",
	  qmp_system_reset,
	  {},
	  "{}",
	  "Reset every hart and device and boot again. Emits RESET. Under "
	  "-no-reboot, as in QEMU, it ends emulation instead: SHUTDOWN "
	  "(guest false, reason host-qmp-system-reset)." },
	{ "system_powerdown",
	  qmp_system_powerdown,
	  {},
	  "{}",
	  "Press the power button (see below); the guest decides what to do. "
	  "Emits POWERDOWN." },
	{ "quit",
	  qmp_quit,
	  {},
	  "{}",
	  "End emulation now. Emits SHUTDOWN (guest false, reason "
	  "host-qmp-quit)." },
	{ "human-monitor-command",
	  qmp_human_monitor_command,
	  { { "command-line", QMP_TYPE_STR, false, "an HMP command line" },
	    { "cpu-index", QMP_TYPE_INT, true, "the hart the command uses" } },
	  "\"output\"",
	  "Run an HMP command and return what it printed." },
};
const size_t qmp_nr_commands = ARRAY_SIZE(qmp_commands);

const struct qmp_command *qmp_command_find(const char *name)
{
	for (size_t i = 0; i < qmp_nr_commands; i++) {
		if (!strcmp(qmp_commands[i].name, name)) {
			return &qmp_commands[i];
		}
	}
	return NULL;
}

static const char *qmp_type_name(enum qmp_type type)
{
	switch (type) {
	case QMP_TYPE_INT:
		return "integer";
	case QMP_TYPE_BOOL:
		return "boolean";
	default:
		return "string";
	}
}

static bool qmp_type_matches(enum qmp_type type, json_object *val)
{
	switch (type) {
	case QMP_TYPE_INT:
		return json_object_is_type(val, json_type_int);
	case QMP_TYPE_BOOL:
		return json_object_is_type(val, json_type_boolean);
	default:
		return json_object_is_type(val, json_type_string);
	}
}

static const struct qmp_param *qmp_param_find(const struct qmp_command *cmd,
					      const char *name)
{
	for (size_t i = 0; i < QMP_MAX_PARAMS && cmd->params[i].name; i++) {
		if (!strcmp(cmd->params[i].name, name)) {
			return &cmd->params[i];
		}
	}
	return NULL;
}

/* The arguments against the table, in QEMU's words. */
static bool qmp_check_args(const struct qmp_command *cmd, json_object *args,
			   struct error **errp)
{
	json_object_object_foreach(args, key, val)
	{
		const struct qmp_param *p = qmp_param_find(cmd, key);

		if (!p) {
			error_setg(errp, "Parameter '%s' is unexpected", key);
			return false;
		}
		/* qmp_capabilities' enable is a list in QEMU. */
		if (cmd->fn == qmp_qmp_capabilities) {
			continue;
		}
		if (!qmp_type_matches(p->type, val)) {
			error_setg(errp,
				   "Invalid parameter type for '%s', expected: "
				   "%s",
				   key, qmp_type_name(p->type));
			return false;
		}
	}
	for (size_t i = 0; i < QMP_MAX_PARAMS && cmd->params[i].name; i++) {
		if (!cmd->params[i].optional &&
		    !json_object_object_get_ex(args, cmd->params[i].name,
					       NULL)) {
			error_setg(errp, "Parameter '%s' is missing",
				   cmd->params[i].name);
			return false;
		}
	}
	return true;
}

json_object *qmp_command_run(const struct qmp_command *cmd,
			     struct qmp_request *req, struct error **errp)
{
	if (!qmp_check_args(cmd, req->args, errp)) {
		return NULL;
	}
	return cmd->fn(req, errp);
}

json_object *qmp_execute(struct monitor *mon, const char *name,
			 json_object *args, struct error **errp)
{
	const struct qmp_command *cmd = qmp_command_find(name);
	struct qmp_request req = { .mon = mon };
	json_object *ret;

	if (!cmd) {
		error_setg(errp, "The command %s has not been found", name);
		json_object_put(args);
		return NULL;
	}
	req.args = args ? args : json_object_new_object();
	ret = qmp_command_run(cmd, &req, errp);
	json_object_put(req.args);
	return ret;
}
