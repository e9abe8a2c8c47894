/* SPDX-License-Identifier: MIT */
/* Network backends (-netdev user, tap) and the queue between a backend and
 * the guest NIC plugged into it. */
#ifndef MIMIC_NET_NET_H
#define MIMIC_NET_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Frames held for a guest that has no receive buffers; past this the
 * backend has stopped reading and later frames are dropped. */
#define NETDEV_QUEUE_MAX 256
/* The largest Ethernet frame either side may pass (no GSO). */
#define NETDEV_MAX_FRAME 65536

struct netdev;
struct opts;

/* The guest NIC's side. Called with the big lock held. */
struct netdev_frontend {
	/* A frame for the guest. Return false when there is no room now:
	 * the frame is queued and offered again after
	 * netdev_frontend_ready(). Return true when taken or dropped. */
	bool (*receive)(void *opaque, const uint8_t *buf, size_t len);
	/* set_link changed the link state (optional). */
	void (*link_changed)(void *opaque, bool up);
	void *opaque;
	const char *model; /* "virtio-net-pci", for info network */
	unsigned index; /* NICs of the machine, from 0 */
	uint8_t mac[6];
};

/* What a backend does. Called with the big lock held, on any thread. */
struct netdev_ops {
	/* A frame from the guest. */
	void (*send)(struct netdev *nd, const uint8_t *buf, size_t len);
	/* The queue to the guest has drained: read from the host again. */
	void (*resume)(struct netdev *nd);
	/* One line for info network, e.g. "net=10.0.2.0/24 ...". */
	void (*describe)(struct netdev *nd, char *buf, size_t len);
	void (*close)(struct netdev *nd);
};

/* The common part every backend embeds. */
struct netdev {
	const struct netdev_ops *ops;
	const char *type; /* "user", "tap" */
	char *id;
	struct netdev_frontend fe;
	bool has_frontend;
	bool link_down; /* set_link off: frames are dropped both ways */
	struct netdev_packet *head, *tail;
	unsigned queued;
	uint64_t dropped;
	struct netdev *next;
};

/* -netdev TYPE,id=ID,...: create and register a backend. */
bool netdev_add(const char *spec, struct error **errp);
/* The same from parsed options (type and id already checked). */
bool netdev_add_opts(struct opts *opts, const char *type, const char *id,
		     struct error **errp);
/*
 * -nic TYPE[,model=M][,mac=M][,backend options]: split into a netdev (id
 * "__org.qemu.nicN", as QEMU names them) and the -device string for its
 * NIC. *netdev_spec and *device_spec are malloc'd; both NULL for "-nic
 * none".
 */
bool netdev_nic_split(const char *spec, unsigned index, char **netdev_spec,
		      char **device_spec, struct error **errp);
struct netdev *netdev_find(const char *id);
struct netdev *netdev_first(void);
/* Plug a NIC in; false (with an error) when another one is. */
bool netdev_attach(struct netdev *nd, const struct netdev_frontend *fe,
		   struct error **errp);
/* Unplug the NIC (it is going away); frames for it are dropped. */
void netdev_detach(struct netdev *nd);
/* set_link: name is a netdev id or a NIC ("virtio-net-pci.0"); the
 * netdev and its NIC share the state. Big lock held. */
bool netdev_set_link(const char *name, bool up, struct error **errp);
/* QEMU's default MAC for the index-th NIC: 52:54:00:12:34:56 + index. */
void netdev_default_mac(unsigned index, uint8_t mac[6]);
/* Parse "52:54:00:12:34:56". */
bool netdev_parse_mac(const char *str, uint8_t mac[6], struct error **errp);

/* For frontends: a frame from the guest. */
void netdev_send(struct netdev *nd, const uint8_t *buf, size_t len);
/* For frontends: receive buffers arrived; queued frames go now. */
void netdev_frontend_ready(struct netdev *nd);

/* For backends: initialise the common part. */
void netdev_init_common(struct netdev *nd, const struct netdev_ops *ops,
			const char *type, const char *id);
/* For backends: hand a frame to the guest (queued when it has no room).
 * Returns true while the backend may keep reading from the host. */
bool netdev_deliver(struct netdev *nd, const uint8_t *buf, size_t len);
/* For backends: true while nothing is queued for the guest. */
bool netdev_can_deliver(const struct netdev *nd);

/* One line per netdev and NIC, as HMP's info network prints them. */
void netdev_info(void (*print)(void *opaque, const char *line), void *opaque);
/* QEMU's start-up warning for each netdev no NIC is plugged into. */
void netdev_warn_unplugged(void);
void netdev_close_all(void);

/* The backends (net/slirp.c, net/tap.c). */
struct netdev *net_slirp_open(const char *id, struct opts *opts,
			      struct error **errp);
struct netdev *net_tap_open(const char *id, struct opts *opts,
			    struct error **errp);
/* Slirp's hostfwd_add / hostfwd_remove on a -netdev user. */
bool net_slirp_hostfwd_add(struct netdev *nd, const char *rule,
			   struct error **errp);
bool net_slirp_hostfwd_remove(struct netdev *nd, const char *rule,
			      struct error **errp);
/* Slirp's connection table (info usernet), malloc'd; NULL if not user. */
char *net_slirp_connection_info(struct netdev *nd);

#endif
