/* SPDX-License-Identifier: MIT */
/* HMP, the human monitor: line editing, the command table, and the
 * commands that are QMP commands underneath (one implementation serves
 * both monitors). */
#include <ctype.h>
#include <string.h>

#include "config.h"
#include "monitor/monitor-internal.h"

#define HMP_PROMPT "(qemu) "

void hmp_session_init(struct monitor *mon)
{
	memset(&mon->hmp, 0, sizeof(mon->hmp));
}

void hmp_send_banner(struct monitor *mon)
{
	monitor_printf(mon,
		       "mimic " MIMIC_VERSION " monitor (QEMU %d.%d.%d "
		       "compatible) - type 'help' for more information\r\n"
		       "%s",
		       MONITOR_QEMU_MAJOR, MONITOR_QEMU_MINOR,
		       MONITOR_QEMU_MICRO, HMP_PROMPT);
	mon->hmp.banner_sent = true;
}

json_object *hmp_qmp_args(struct monitor *mon, const char *name,
			  json_object *args)
{
	struct error *err = NULL;
	json_object *ret = qmp_execute(mon, name, args, &err);

	if (err) {
		monitor_printf(mon, "Error: %s\n", error_get_message(err));
		error_free(err);
		return NULL;
	}
	return ret;
}

static json_object *hmp_qmp(struct monitor *mon, const char *name)
{
	return hmp_qmp_args(mon, name, NULL);
}

static void hmp_simple(struct monitor *mon, const char *name)
{
	json_object_put(hmp_qmp(mon, name));
}

static void hmp_stop(struct monitor *mon, const char *args)
{
	hmp_simple(mon, "stop");
}

static void hmp_cont(struct monitor *mon, const char *args)
{
	hmp_simple(mon, "cont");
}

static void hmp_system_reset(struct monitor *mon, const char *args)
{
	hmp_simple(mon, "system_reset");
}

static void hmp_system_powerdown(struct monitor *mon, const char *args)
{
	hmp_simple(mon, "system_powerdown");
}

static void hmp_quit(struct monitor *mon, const char *args)
{
	hmp_simple(mon, "quit");
}

static const char *hmp_get_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v)) {
		return "";
	}
	return json_object_get_string(v);
}

static void hmp_info_status(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-status");

	if (ret) {
		monitor_printf(mon, "VM status: %s\n",
			       hmp_get_str(ret, "status"));
	}
	json_object_put(ret);
}

static void hmp_info_version(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-version"), *qemu;

	if (ret && json_object_object_get_ex(ret, "qemu", &qemu)) {
		monitor_printf(
			mon, "%s.%s.%s (%s)\n", hmp_get_str(qemu, "major"),
			hmp_get_str(qemu, "minor"), hmp_get_str(qemu, "micro"),
			hmp_get_str(ret, "package"));
	}
	json_object_put(ret);
}

static void hmp_info_chardev(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-chardev");

	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		json_object *c = json_object_array_get_idx(ret, i);

		monitor_printf(mon, "%s: filename=%s\n",
			       hmp_get_str(c, "label"),
			       hmp_get_str(c, "filename"));
	}
	json_object_put(ret);
}

static void hmp_info_cpus(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-cpus-fast");

	for (size_t i = 0; ret && i < json_object_array_length(ret); i++) {
		json_object *c = json_object_array_get_idx(ret, i);

		monitor_printf(mon, "%c CPU #%s: thread_id=%s\n",
			       i == 0 ? '*' : ' ', hmp_get_str(c, "cpu-index"),
			       hmp_get_str(c, "thread-id"));
	}
	json_object_put(ret);
}

static void hmp_info_pci(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-pci"), *devs, *id, *cls;

	for (size_t b = 0; ret && b < json_object_array_length(ret); b++) {
		json_object_object_get_ex(json_object_array_get_idx(ret, b),
					  "devices", &devs);
		for (size_t i = 0; i < json_object_array_length(devs); i++) {
			json_object *d = json_object_array_get_idx(devs, i);

			json_object_object_get_ex(d, "id", &id);
			json_object_object_get_ex(d, "class_info", &cls);
			monitor_printf(
				mon,
				"  Bus %2s, device %3s, function %s:\n"
				"    Class %04x: PCI device %04x:%04x\n",
				hmp_get_str(d, "bus"), hmp_get_str(d, "slot"),
				hmp_get_str(d, "function"),
				json_object_get_int(
					json_object_object_get(cls, "class")),
				json_object_get_int(
					json_object_object_get(id, "vendor")),
				json_object_get_int(
					json_object_object_get(id, "device")));
		}
	}
	json_object_put(ret);
}

static void hmp_info_name(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-name");

	if (ret && json_object_object_get_ex(ret, "name", NULL)) {
		monitor_printf(mon, "%s\n", hmp_get_str(ret, "name"));
	}
	json_object_put(ret);
}

static void hmp_info_uuid(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-uuid");

	if (ret) {
		monitor_printf(mon, "%s\n", hmp_get_str(ret, "UUID"));
	}
	json_object_put(ret);
}

static void hmp_info_kvm(struct monitor *mon, const char *args)
{
	json_object *ret = hmp_qmp(mon, "query-kvm");

	if (ret) {
		monitor_printf(mon, "kvm support: %s\n",
			       json_object_get_boolean(
				       json_object_object_get(ret, "present")) ?
				       "enabled" :
				       "not compiled");
	}
	json_object_put(ret);
}

static void hmp_info(struct monitor *mon, const char *args);
static void hmp_help(struct monitor *mon, const char *args);

const struct hmp_command hmp_info_commands[] = {
	{ "status", "", "show the current VM status (running|paused)",
	  hmp_info_status, "query-status" },
	{ "version", "", "show the version of QEMU (and mimic)",
	  hmp_info_version, "query-version" },
	{ "block", "[-v] [device]",
	  "show info of one block device or all block devices", hmp_info_block,
	  "query-block" },
	{ "blockstats", "", "show block device statistics", hmp_info_blockstats,
	  "query-blockstats" },
	{ "memdev", "", "show memory backends", hmp_info_memdev,
	  "query-memdev" },
	{ "memory_size_summary", "", "show memory size information",
	  hmp_info_memory_size_summary, "query-memory-size-summary" },
	{ "iothreads", "", "show iothreads", hmp_info_iothreads,
	  "query-iothreads" },
	{ "balloon", "", "show balloon information", hmp_info_balloon,
	  "query-balloon" },
	{ "hotpluggable-cpus", "", "show CPUs hotpluggable on the machine",
	  hmp_info_hotpluggable_cpus, "query-hotpluggable-cpus" },
	{ "chardev", "", "show the character devices", hmp_info_chardev,
	  "query-chardev" },
	{ "cpus", "", "show infos for each CPU", hmp_info_cpus,
	  "query-cpus-fast" },
	{ "pci", "", "show PCI info", hmp_info_pci, "query-pci" },
	{ "name", "", "show the current VM name", hmp_info_name, "query-name" },
	{ "uuid", "", "show the current VM UUID", hmp_info_uuid, "query-uuid" },
	{ "kvm", "", "show KVM information", hmp_info_kvm, "query-kvm" },
	{ "network", "", "show the network state", hmp_info_network, NULL },
	{ "usernet", "", "show user network stack connection states",
	  hmp_info_usernet, NULL },
	{ "registers", "", "show the cpu registers", hmp_info_registers, NULL },
	{ "mtree", "", "show memory tree", hmp_info_mtree, NULL },
	{ "qtree", "", "show device tree", hmp_info_qtree, NULL },
};
const size_t hmp_nr_info_commands = ARRAY_SIZE(hmp_info_commands);

const struct hmp_command hmp_commands[] = {
	{ "help|?", "[cmd]", "show the help", hmp_help, NULL },
	{ "info", "[subcommand]",
	  "show various information about the system "
	  "state",
	  hmp_info, NULL },
	{ "stop|s", "", "stop emulation", hmp_stop, "stop" },
	{ "cont|c", "", "resume emulation", hmp_cont, "cont" },
	{ "system_reset", "", "reset the system", hmp_system_reset,
	  "system_reset" },
	{ "system_powerdown", "", "send system power down event",
	  hmp_system_powerdown, "system_powerdown" },
	{ "quit|q", "", "quit the emulator", hmp_quit, "quit" },
	{ "cpu", "index", "set the default CPU", hmp_cpu_select, NULL },
	{ "block_resize", "device size", "resize a block image",
	  hmp_block_resize, "block_resize" },
	{ "eject", "[-f] device",
	  "eject a removable medium (use -f to force it)", hmp_eject, "eject" },
	{ "nmi", "", "inject an NMI", hmp_nmi, "inject-nmi" },
	{ "hostfwd_add",
	  "[netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport",
	  "redirect TCP or UDP connections from host to guest (user "
	  "netdevs)",
	  hmp_hostfwd_add, NULL },
	{ "hostfwd_remove", "[netdev_id] [tcp|udp]:[hostaddr]:hostport",
	  "remove host-to-guest TCP or UDP redirection", hmp_hostfwd_remove,
	  NULL },
	{ "set_link", "name on|off",
	  "change the link status of a network adapter", hmp_set_link,
	  "set_link" },
	{ "x", "/fmt addr", "virtual memory dump starting at 'addr'", hmp_x,
	  NULL },
	{ "xp", "/fmt addr", "physical memory dump starting at 'addr'", hmp_xp,
	  NULL },
	{ "print|p", "/fmt expr",
	  "print expression value (use $reg for CPU "
	  "register access)",
	  hmp_print, NULL },
};
const size_t hmp_nr_commands = ARRAY_SIZE(hmp_commands);

/* Does name match one of the '|'-separated names in names? */
static bool hmp_name_matches(const char *names, const char *name, size_t len)
{
	while (*names) {
		const char *end = strchr(names, '|');
		size_t n = end ? (size_t)(end - names) : strlen(names);

		if (n == len && !strncmp(names, name, len)) {
			return true;
		}
		names += n + (end ? 1 : 0);
	}
	return false;
}

static const struct hmp_command *hmp_find(const struct hmp_command *table,
					  size_t n, const char *name,
					  size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if (hmp_name_matches(table[i].name, name, len)) {
			return &table[i];
		}
	}
	return NULL;
}

static void hmp_info(struct monitor *mon, const char *args)
{
	size_t len = strcspn(args, " \t");
	const struct hmp_command *cmd;

	if (!len) {
		for (size_t i = 0; i < hmp_nr_info_commands; i++) {
			monitor_printf(mon, "info %-10s -- %s\n",
				       hmp_info_commands[i].name,
				       hmp_info_commands[i].help);
		}
		return;
	}
	cmd = hmp_find(hmp_info_commands, hmp_nr_info_commands, args, len);
	if (!cmd) {
		monitor_printf(mon, "unknown info command: %.*s\n", (int)len,
			       args);
		return;
	}
	cmd->fn(mon, args + len + strspn(args + len, " \t"));
}

/* help [CMD]: every command, or the one named (info: with its list). */
static void hmp_help(struct monitor *mon, const char *args)
{
	size_t len = strcspn(args, " \t");
	bool found = false;

	for (size_t i = 0; i < hmp_nr_commands; i++) {
		if (len && !hmp_name_matches(hmp_commands[i].name, args, len)) {
			continue;
		}
		found = true;
		monitor_printf(mon, "%s %s -- %s\n", hmp_commands[i].name,
			       hmp_commands[i].args, hmp_commands[i].help);
		if (len && hmp_commands[i].fn == hmp_info) {
			hmp_info(mon, "");
		}
	}
	if (!found) {
		monitor_printf(mon, "unknown command: '%.*s'\n", (int)len,
			       args);
	}
}

void hmp_run_line(struct monitor *mon, const char *line)
{
	const struct hmp_command *cmd;
	size_t len;

	line += strspn(line, " \t");
	len = strcspn(line, " \t/");
	if (!len) {
		return;
	}
	cmd = hmp_find(hmp_commands, hmp_nr_commands, line, len);
	if (!cmd) {
		monitor_printf(mon, "unknown command: '%.*s'\n", (int)len,
			       line);
		return;
	}
	line += len;
	line += strspn(line, " \t");
	cmd->fn(mon, line);
}

char *monitor_hmp_command(const char *line)
{
	struct monitor_buf sink = { 0 }, out = { 0 };
	struct monitor *mon = monitor_new_buffered(MONITOR_HMP, &sink);

	if (!mon) {
		return NULL;
	}
	mon->capture = &out;
	hmp_run_line(mon, line);
	monitor_free(mon);
	monitor_buf_free(&sink);
	return out.data ? out.data : strdup("");
}

static void hmp_enter(struct monitor *mon)
{
	char line[HMP_MAX_LINE + 1];

	memcpy(line, mon->hmp.line, mon->hmp.len);
	line[mon->hmp.len] = '\0';
	mon->hmp.len = 0;
	monitor_write(mon, "\r\n", 2);
	hmp_run_line(mon, line);
	monitor_write(mon, HMP_PROMPT, strlen(HMP_PROMPT));
}

/* Line editing: printable characters, backspace, enter; escape sequences
 * (cursor keys) are swallowed. Typed characters are echoed. */
static void hmp_key(struct monitor *mon, uint8_t c)
{
	struct hmp_session *h = &mon->hmp;

	if (h->escape) {
		h->escape = (h->escape == 1 && (c == '[' || c == 'O')) ||
					    (h->escape > 1 && c < 0x40 &&
					     h->escape < 16) ?
				    h->escape + 1 :
				    0;
		return;
	}
	if (c == '\n' && h->last_cr) {
		h->last_cr = false;
		return;
	}
	h->last_cr = c == '\r';
	if (c == '\r' || c == '\n') {
		hmp_enter(mon);
	} else if (c == 0x1b) {
		h->escape = 1;
	} else if (c == 0x7f || c == 0x08) {
		if (h->len) {
			h->len--;
			monitor_write(mon, "\b \b", 3);
		}
	} else if (isprint(c) && h->len < HMP_MAX_LINE) {
		h->line[h->len++] = c;
		monitor_write(mon, &c, 1);
	}
}

void hmp_feed(struct monitor *mon, const uint8_t *buf, size_t len)
{
	if (!mon->hmp.banner_sent) {
		hmp_send_banner(mon);
	}
	for (size_t i = 0; i < len && !mon->dead; i++) {
		hmp_key(mon, buf[i]);
	}
}

json_object *qmp_human_monitor_command(struct qmp_request *req,
				       struct error **errp)
{
	struct monitor_buf out = { 0 };
	struct monitor_buf *saved;
	json_object *line, *index;
	json_object *ret;
	unsigned saved_cpu;

	json_object_object_get_ex(req->args, "command-line", &line);
	if (!req->mon) {
		error_setg(errp, "human-monitor-command needs a client");
		return NULL;
	}
	saved = req->mon->capture;
	saved_cpu = req->mon->cpu;
	if (json_object_object_get_ex(req->args, "cpu-index", &index)) {
		int64_t i = json_object_get_int64(index);

		if (i < 0 ||
		    i >= monitor_state.ops->nr_harts(monitor_state.opaque)) {
			error_setg(errp, "Invalid CPU index");
			return NULL;
		}
		req->mon->cpu = i;
	}
	req->mon->capture = &out;
	hmp_run_line(req->mon, json_object_get_string(line));
	req->mon->capture = saved;
	req->mon->cpu = saved_cpu;
	ret = json_object_new_string(out.data ? out.data : "");
	monitor_buf_free(&out);
	return ret;
}
