/* SPDX-License-Identifier: MIT */
/* QEMU's host forwarding rules: [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport. */
#ifndef MIMIC_NET_HOSTFWD_H
#define MIMIC_NET_HOSTFWD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct hostfwd {
	bool udp;
	struct in_addr host_addr; /* INADDR_ANY when left out */
	uint16_t host_port;
	struct in_addr guest_addr; /* INADDR_ANY: the first DHCP address */
	uint16_t guest_port;
};

/* A full rule (hostfwd=, hostfwd_add). */
bool hostfwd_parse(const char *rule, struct hostfwd *fwd, struct error **errp);
/* The host half only, [tcp|udp]:[hostaddr]:hostport (hostfwd_remove). */
bool hostfwd_parse_host(const char *rule, struct hostfwd *fwd,
			struct error **errp);

#endif
