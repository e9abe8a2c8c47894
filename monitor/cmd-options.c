/* SPDX-License-Identifier: MIT */
/* query-command-line-options: the options mimic has, each with the keys it
 * takes, named, typed and explained as QEMU 7.2 does (in QEMU's order). */
#include <string.h>

#include "monitor/monitor-internal.h"

struct cmdline_param {
	const char *name;
	const char *type;
	const char *help; /* or NULL */
};

struct cmdline_option {
	const char *option;
	const struct cmdline_param *params; /* ends with a NULL name */
};

static const struct cmdline_param params_machine[] = {
	{ "dumpdtb", "string", "Dump current dtb to a file and quit" },
	{ "accel", "string", "accelerator list" },
	{ "type", "string", "emulated machine" },
	{ NULL },
};

static const struct cmdline_param params_name[] = {
	{ "debug-threads", "boolean",
	  "When enabled, name the individual threads; defaults off.\nNOTE: The thread names are for debugging and not a\nstable API." },
	{ "process", "string",
	  "Sets the name of the QEMU process, as shown in top etc" },
	{ "guest", "string",
	  "Sets the name of the guest.\nThis name will be displayed in the SDL window caption.\nThe name will also be used for the VNC server" },
	{ NULL },
};

static const struct cmdline_param params_msg[] = {
	{ "guest-name", "boolean",
	  "Prepends guest name for error messages but only if -name guest is set otherwise option is ignored\n" },
	{ "timestamp", "boolean", NULL },
	{ NULL },
};

static const struct cmdline_param params_overcommit[] = {
	{ "cpu-pm", "boolean", NULL },
	{ "mem-lock", "boolean", NULL },
	{ NULL },
};

static const struct cmdline_param params_object[] = {
	{ NULL },
};

static const struct cmdline_param params_boot_opts[] = {
	{ "strict", "boolean", NULL },	   { "reboot-timeout", "number", NULL },
	{ "splash-time", "number", NULL }, { "splash", "string", NULL },
	{ "menu", "boolean", NULL },	   { "once", "string", NULL },
	{ "order", "string", NULL },	   { NULL },
};

static const struct cmdline_param params_smp_opts[] = {
	{ "maxcpus", "number", NULL }, { "threads", "number", NULL },
	{ "cores", "number", NULL },   { "sockets", "number", NULL },
	{ "cpus", "number", NULL },    { NULL },
};

static const struct cmdline_param params_memory[] = {
	{ "maxmem", "size", NULL },
	{ "slots", "number", NULL },
	{ "size", "size", NULL },
	{ NULL },
};

static const struct cmdline_param params_accel[] = {
	{ NULL },
};

static const struct cmdline_param params_mon[] = {
	{ "pretty", "boolean", NULL },
	{ "chardev", "string", NULL },
	{ "mode", "string", NULL },
	{ NULL },
};

static const struct cmdline_param params_rtc[] = {
	{ "driftfix", "string", NULL },
	{ "clock", "string", NULL },
	{ "base", "string", NULL },
	{ NULL },
};

static const struct cmdline_param params_nic[] = {
	{ NULL },
};

static const struct cmdline_param params_netdev[] = {
	{ NULL },
};

static const struct cmdline_param params_device[] = {
	{ NULL },
};

static const struct cmdline_param params_chardev[] = {
	{ "signal", "boolean", NULL },
	{ "mux", "boolean", NULL },
	{ "telnet", "boolean", NULL },
	{ "reconnect", "number", NULL },
	{ "server", "boolean", NULL },
	{ "wait", "boolean", NULL },
	{ "port", "string", NULL },
	{ "host", "string", NULL },
	{ "path", "string", NULL },
	{ "backend", "string", NULL },
	{ NULL },
};

static const struct cmdline_param params_drive[] = {
	{ "file", "string", "file name" },
	{ "if", "string",
	  "interface (ide, scsi, sd, mtd, floppy, pflash, virtio)" },
	{ "media", "string", "media type (disk, cdrom)" },
	{ "format", "string", "disk format (raw, qcow2, ...)" },
	{ "snapshot", "boolean", "enable/disable snapshot mode" },
	{ NULL },
};

static const struct cmdline_option cmdline_options[] = {
	{ "machine", params_machine },	 { "name", params_name },
	{ "msg", params_msg },		 { "overcommit", params_overcommit },
	{ "object", params_object },	 { "boot-opts", params_boot_opts },
	{ "smp-opts", params_smp_opts }, { "memory", params_memory },
	{ "accel", params_accel },	 { "mon", params_mon },
	{ "rtc", params_rtc },		 { "nic", params_nic },
	{ "netdev", params_netdev },	 { "device", params_device },
	{ "chardev", params_chardev },	 { "drive", params_drive },
};

static json_object *cmdline_option_info(const struct cmdline_option *opt)
{
	json_object *o = json_object_new_object();
	json_object *params = json_object_new_array();

	for (const struct cmdline_param *p = opt->params; p->name; p++) {
		json_object *param = json_object_new_object();

		json_object_object_add(param, "name",
				       json_object_new_string(p->name));
		json_object_object_add(param, "type",
				       json_object_new_string(p->type));
		if (p->help) {
			json_object_object_add(param, "help",
					       json_object_new_string(p->help));
		}
		json_object_array_add(params, param);
	}
	json_object_object_add(o, "option",
			       json_object_new_string(opt->option));
	json_object_object_add(o, "parameters", params);
	return o;
}

json_object *qmp_query_command_line_options(struct qmp_request *req,
					    struct error **errp)
{
	json_object *list = json_object_new_array();
	json_object *val;
	const char *option = NULL;

	if (json_object_object_get_ex(req->args, "option", &val)) {
		option = json_object_get_string(val);
	}
	for (size_t i = 0; i < ARRAY_SIZE(cmdline_options); i++) {
		if (!option || !strcmp(option, cmdline_options[i].option)) {
			json_object_array_add(
				list, cmdline_option_info(&cmdline_options[i]));
		}
	}
	if (option && !json_object_array_length(list)) {
		json_object_put(list);
		error_setg(errp, "invalid option name: %s", option);
		return NULL;
	}
	return list;
}
