/* SPDX-License-Identifier: MIT */
/* The network commands: HMP's info network, info usernet, hostfwd_add and
 * hostfwd_remove (HMP-only in QEMU too), and set_link (QMP and HMP). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/core/bql.h"
#include "monitor/monitor-internal.h"
#include "net/net.h"

static void hmp_net_line(void *opaque, const char *line)
{
	monitor_printf(opaque, "%s\n", line);
}

void hmp_info_network(struct monitor *mon, const char *args)
{
	bql_lock();
	netdev_info(hmp_net_line, mon);
	bql_unlock();
}

void hmp_info_usernet(struct monitor *mon, const char *args)
{
	bql_lock();
	for (struct netdev *nd = netdev_first(); nd; nd = nd->next) {
		char *info = net_slirp_connection_info(nd);

		if (info) {
			monitor_printf(mon, "Hub -1 (%s):\n%s", nd->id, info);
			free(info);
		}
	}
	bql_unlock();
}

/* "[netdev_id] rule": the netdev named, or the first user netdev. */
static struct netdev *hmp_net_target(struct monitor *mon, const char *args,
				     const char **rule)
{
	size_t len = strcspn(args, " \t");
	const char *second = args + len + strspn(args + len, " \t");
	struct netdev *nd;
	char id[128];

	if (!*args) {
		monitor_printf(mon, "Error: a forwarding rule is required\n");
		return NULL;
	}
	if (!*second) {
		*rule = args;
		for (nd = netdev_first(); nd; nd = nd->next) {
			if (!strcmp(nd->type, "user")) {
				return nd;
			}
		}
		monitor_printf(mon, "Error: no -netdev user\n");
		return NULL;
	}
	snprintf(id, sizeof(id), "%.*s", (int)len, args);
	*rule = second;
	nd = netdev_find(id);
	if (!nd) {
		monitor_printf(mon, "Error: no netdev '%s'\n", id);
	}
	return nd;
}

static void hmp_hostfwd(struct monitor *mon, const char *args, bool add)
{
	struct error *err = NULL;
	struct netdev *nd;
	const char *rule;
	bool ok;

	bql_lock();
	nd = hmp_net_target(mon, args, &rule);
	if (!nd) {
		bql_unlock();
		return;
	}
	ok = add ? net_slirp_hostfwd_add(nd, rule, &err) :
		   net_slirp_hostfwd_remove(nd, rule, &err);
	bql_unlock();
	if (!ok) {
		monitor_printf(mon, "Error: %s\n", error_get_message(err));
		error_free(err);
	} else if (!add) {
		monitor_printf(mon, "host forwarding rule for %s removed\n",
			       rule);
	}
}

void hmp_hostfwd_add(struct monitor *mon, const char *args)
{
	hmp_hostfwd(mon, args, true);
}

void hmp_hostfwd_remove(struct monitor *mon, const char *args)
{
	hmp_hostfwd(mon, args, false);
}

json_object *qmp_set_link(struct qmp_request *req, struct error **errp)
{
	json_object *name, *up;
	bool ok;

	json_object_object_get_ex(req->args, "name", &name);
	json_object_object_get_ex(req->args, "up", &up);
	bql_lock();
	ok = netdev_set_link(json_object_get_string(name),
			     json_object_get_boolean(up), errp);
	bql_unlock();
	if (!ok) {
		req->error_class = QMP_ERROR_DEVICE_NOT_FOUND;
		return NULL;
	}
	return json_object_new_object();
}

/* set_link NAME on|off */
void hmp_set_link(struct monitor *mon, const char *args)
{
	size_t len = strcspn(args, " \t");
	const char *state = args + len + strspn(args + len, " \t");
	json_object *a;

	if (!len || (strcmp(state, "on") && strcmp(state, "off"))) {
		monitor_printf(mon, "set_link: name and on|off needed\n");
		return;
	}
	a = json_object_new_object();
	json_object_object_add(a, "name",
			       json_object_new_string_len(args, (int)len));
	json_object_object_add(a, "up",
			       json_object_new_boolean(!strcmp(state, "on")));
	json_object_put(hmp_qmp_args(mon, "set_link", a));
}
