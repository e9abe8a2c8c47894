/* SPDX-License-Identifier: MIT */
/* Netdevs by id, -netdev and -nic, and the queue that holds frames for a
 * guest without receive buffers while its backend stops reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "util/options.h"
#include "util/types.h"

struct netdev_packet {
	struct netdev_packet *next;
	size_t len;
	uint8_t data[];
};

struct netdev_type {
	const char *name;
	struct netdev *(*open)(const char *id, struct opts *opts,
			       struct error **errp);
};

static const struct netdev_type netdev_types[] = {
	{ "user", net_slirp_open },
	{ "tap", net_tap_open },
};

static struct netdev *netdevs;

static const struct netdev_type *netdev_type_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(netdev_types); i++) {
		if (!strcmp(netdev_types[i].name, name)) {
			return &netdev_types[i];
		}
	}
	return NULL;
}

struct netdev *netdev_find(const char *id)
{
	for (struct netdev *nd = netdevs; nd; nd = nd->next) {
		if (!strcmp(nd->id, id)) {
			return nd;
		}
	}
	return NULL;
}

struct netdev *netdev_first(void)
{
	return netdevs;
}

bool netdev_add_opts(struct opts *opts, const char *type, const char *id,
		     struct error **errp)
{
	const struct netdev_type *t = netdev_type_find(type);
	struct netdev *nd, **tail;

	if (!t) {
		error_setg(errp, "-netdev: unknown type '%s' (user, tap)",
			   type);
		return false;
	}
	if (netdev_find(id)) {
		error_setg(errp, "-netdev: duplicate id '%s'", id);
		return false;
	}
	nd = t->open(id, opts, errp);
	if (!nd) {
		return false;
	}
	for (tail = &netdevs; *tail; tail = &(*tail)->next) {
	}
	*tail = nd;
	return true;
}

bool netdev_add(const char *spec, struct error **errp)
{
	struct opts *o = opts_parse(spec, "type", errp);
	const char *type, *id;
	bool ok = false;

	if (!o) {
		return false;
	}
	type = opts_get(o, "type");
	id = opts_get(o, "id");
	if (!type) {
		error_setg(errp, "-netdev: a type is required (user, tap)");
	} else if (!id || !*id) {
		error_setg(errp, "-netdev %s: id= is required", type);
	} else {
		ok = netdev_add_opts(o, type, id, errp);
	}
	opts_free(o);
	return ok;
}

/* Append ",key=value" to buf with commas doubled (the options escape). */
static void netdev_append(char *buf, size_t size, const char *key,
			  const char *value)
{
	size_t len = strlen(buf);

	len += snprintf(buf + len, len < size ? size - len : 0, ",%s=", key);
	for (const char *p = value; *p && len + 2 < size; p++) {
		buf[len++] = *p;
		if (*p == ',') {
			buf[len++] = ',';
		}
	}
	if (len < size) {
		buf[len] = '\0';
	}
}

bool netdev_nic_split(const char *spec, unsigned index, char **netdev_spec,
		      char **device_spec, struct error **errp)
{
	struct opts *o = opts_parse(spec, "type", errp);
	const char *type, *model, *mac;
	size_t size = strlen(spec) * 2 + 128;
	char *nd = NULL, *dev = NULL;

	*netdev_spec = *device_spec = NULL;
	if (!o) {
		return false;
	}
	type = opts_get(o, "type");
	model = opts_get(o, "model");
	mac = opts_get(o, "mac");
	if (!type || !strcmp(type, "none")) {
		opts_free(o);
		return true;
	}
	if (!netdev_type_find(type)) {
		error_setg(errp, "-nic: unknown type '%s' (user, tap, none)",
			   type);
		goto fail;
	}
	if (!model || !strcmp(model, "virtio")) {
		model = "virtio-net-pci";
	}
	if (strcmp(model, "virtio-net-pci") &&
	    strcmp(model, "virtio-net-device")) {
		error_setg(errp,
			   "-nic: unsupported model '%s' (virtio-net-pci, "
			   "virtio-net-device)",
			   model);
		goto fail;
	}
	nd = calloc(1, size);
	dev = calloc(1, size);
	if (!nd || !dev) {
		error_setg(errp, "out of memory");
		goto fail;
	}
	snprintf(nd, size, "%s,id=__org.qemu.nic%u", type, index);
	for (unsigned i = 0; i < opts_count(o); i++) {
		const char *key = opts_key_at(o, i);
		const char *value;

		if (!strcmp(key, "type") || !strcmp(key, "model") ||
		    !strcmp(key, "mac") || !strcmp(key, "id")) {
			continue;
		}
		for (unsigned n = 0; (value = opts_get_nth(o, key, n)); n++) {
			netdev_append(nd, size, key, value);
		}
	}
	snprintf(dev, size, "%s,netdev=__org.qemu.nic%u", model, index);
	if (mac) {
		netdev_append(dev, size, "mac", mac);
	}
	opts_free(o);
	*netdev_spec = nd;
	*device_spec = dev;
	return true;
fail:
	free(nd);
	free(dev);
	opts_free(o);
	return false;
}

static void netdev_drop_queue(struct netdev *nd)
{
	while (nd->head) {
		struct netdev_packet *p = nd->head;

		nd->head = p->next;
		free(p);
	}
	nd->tail = NULL;
	nd->queued = 0;
}

bool netdev_attach(struct netdev *nd, const struct netdev_frontend *fe,
		   struct error **errp)
{
	if (nd->has_frontend) {
		error_setg(errp, "netdev '%s' is already in use by a NIC",
			   nd->id);
		return false;
	}
	nd->fe = *fe;
	nd->has_frontend = true;
	return true;
}

void netdev_detach(struct netdev *nd)
{
	nd->has_frontend = false;
	netdev_drop_queue(nd);
}

void netdev_default_mac(unsigned index, uint8_t mac[6])
{
	static const uint8_t base[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	memcpy(mac, base, 6);
	mac[5] += index;
}

bool netdev_parse_mac(const char *str, uint8_t mac[6], struct error **errp)
{
	unsigned v[6];
	char end;

	if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != 6 ||
	    strlen(str) != 17) {
		error_setg(errp, "bad MAC address '%s' (52:54:00:12:34:56)",
			   str);
		return false;
	}
	for (unsigned i = 0; i < 6; i++) {
		mac[i] = v[i];
	}
	if (mac[0] & 1) {
		error_setg(errp, "MAC address '%s' is a multicast address",
			   str);
		return false;
	}
	return true;
}

void netdev_send(struct netdev *nd, const uint8_t *buf, size_t len)
{
	if (!nd->link_down) {
		nd->ops->send(nd, buf, len);
	}
}

static bool netdev_nic_named(const struct netdev *nd, const char *name)
{
	size_t len = strlen(nd->fe.model);
	char *end;

	return nd->has_frontend && !strncmp(name, nd->fe.model, len) &&
	       name[len] == '.' && name[len + 1] &&
	       strtoul(name + len + 1, &end, 10) == nd->fe.index && !*end;
}

bool netdev_set_link(const char *name, bool up, struct error **errp)
{
	struct netdev *nd;

	for (nd = netdevs; nd; nd = nd->next) {
		if (!strcmp(nd->id, name) || netdev_nic_named(nd, name)) {
			break;
		}
	}
	if (!nd) {
		error_setg(errp, "Device '%s' not found", name);
		return false;
	}
	nd->link_down = !up;
	if (nd->has_frontend && nd->fe.link_changed) {
		nd->fe.link_changed(nd->fe.opaque, up);
	}
	netdev_frontend_ready(nd);
	return true;
}

void netdev_frontend_ready(struct netdev *nd)
{
	bool was_full = nd->queued != 0;

	if (!nd->has_frontend || nd->link_down) {
		netdev_drop_queue(nd);
	}
	while (nd->head) {
		struct netdev_packet *p = nd->head;

		if (!nd->fe.receive(nd->fe.opaque, p->data, p->len)) {
			return;
		}
		nd->head = p->next;
		nd->queued--;
		free(p);
	}
	nd->tail = NULL;
	if (was_full && nd->ops->resume) {
		nd->ops->resume(nd);
	}
}

void netdev_init_common(struct netdev *nd, const struct netdev_ops *ops,
			const char *type, const char *id)
{
	nd->ops = ops;
	nd->type = type;
	nd->id = strdup(id);
}

static void netdev_enqueue(struct netdev *nd, const uint8_t *buf, size_t len)
{
	struct netdev_packet *p;

	if (nd->queued >= NETDEV_QUEUE_MAX) {
		nd->dropped++;
		return;
	}
	p = malloc(sizeof(*p) + len);
	if (!p) {
		nd->dropped++;
		return;
	}
	p->next = NULL;
	p->len = len;
	memcpy(p->data, buf, len);
	if (nd->tail) {
		nd->tail->next = p;
	} else {
		nd->head = p;
	}
	nd->tail = p;
	nd->queued++;
}

bool netdev_deliver(struct netdev *nd, const uint8_t *buf, size_t len)
{
	if (!nd->has_frontend || nd->link_down) {
		/* No NIC, or no link: the wire is unplugged. */
		nd->dropped++;
		return true;
	}
	if (!nd->head && nd->fe.receive(nd->fe.opaque, buf, len)) {
		return true;
	}
	netdev_enqueue(nd, buf, len);
	return false;
}

bool netdev_can_deliver(const struct netdev *nd)
{
	return !nd->head;
}

void netdev_info(void (*print)(void *opaque, const char *line), void *opaque)
{
	char line[512], desc[384];
	unsigned index = 0;

	for (struct netdev *nd = netdevs; nd; nd = nd->next, index++) {
		const struct netdev_frontend *fe = &nd->fe;
		const uint8_t *m = fe->mac;

		if (nd->has_frontend) {
			snprintf(line, sizeof(line),
				 "%s.%u: index=0,type=nic,model=%s,macaddr="
				 "%02x:%02x:%02x:%02x:%02x:%02x",
				 fe->model, fe->index, fe->model, m[0], m[1],
				 m[2], m[3], m[4], m[5]);
			print(opaque, line);
		}
		desc[0] = '\0';
		if (nd->ops->describe) {
			nd->ops->describe(nd, desc, sizeof(desc));
		}
		snprintf(line, sizeof(line), "%s%s: index=0,type=%s,%s",
			 nd->has_frontend ? " \\ " : "", nd->id, nd->type,
			 desc);
		print(opaque, line);
	}
}

void netdev_warn_unplugged(void)
{
	for (struct netdev *nd = netdevs; nd; nd = nd->next) {
		if (!nd->has_frontend) {
			warn_report("netdev %s has no peer", nd->id);
		}
	}
}

void netdev_close_all(void)
{
	while (netdevs) {
		struct netdev *nd = netdevs;

		netdevs = nd->next;
		netdev_drop_queue(nd);
		free(nd->id);
		nd->ops->close(nd);
	}
}
