/* SPDX-License-Identifier: MIT */
/* QEMU's host forwarding rules, parsed for the slirp backend. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "net/hostfwd.h"

#define HOSTFWD_FIELD 64

/* Copy up to sep into buf and step past it; false when sep is missing or
 * the field is too long. */
static bool hostfwd_field(const char **pos, char sep, char *buf)
{
	const char *end = strchr(*pos, sep);
	size_t len;

	if (!end) {
		return false;
	}
	len = end - *pos;
	if (len >= HOSTFWD_FIELD) {
		return false;
	}
	memcpy(buf, *pos, len);
	buf[len] = '\0';
	*pos = end + 1;
	return true;
}

static bool hostfwd_port(const char *str, unsigned min, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!*str || *str == '-' || *str == '+' || *str == ' ') {
		return false;
	}
	v = strtoul(str, &end, 10);
	if (*end || v < min || v > 65535) {
		return false;
	}
	*port = v;
	return true;
}

static bool hostfwd_addr(const char *str, struct in_addr *addr)
{
	if (!*str) {
		addr->s_addr = htonl(INADDR_ANY);
		return true;
	}
	return inet_pton(AF_INET, str, addr) == 1;
}

/* The protocol and host address; NULL on success, else what was bad. */
static const char *hostfwd_host_part(const char **pos, struct hostfwd *fwd)
{
	char buf[HOSTFWD_FIELD];

	memset(fwd, 0, sizeof(*fwd));
	if (!hostfwd_field(pos, ':', buf)) {
		return "bad protocol name";
	}
	if (!strcmp(buf, "udp")) {
		fwd->udp = true;
	} else if (*buf && strcmp(buf, "tcp")) {
		return "bad protocol name";
	}
	if (!hostfwd_field(pos, ':', buf) ||
	    !hostfwd_addr(buf, &fwd->host_addr)) {
		return "bad host address";
	}
	return NULL;
}

static bool hostfwd_fail(const char *rule, const char *why, struct error **errp)
{
	error_setg(errp, "invalid host forwarding rule '%s' (%s)", rule, why);
	return false;
}

bool hostfwd_parse(const char *rule, struct hostfwd *fwd, struct error **errp)
{
	const char *pos = rule, *why = hostfwd_host_part(&pos, fwd);
	char buf[HOSTFWD_FIELD];

	if (why) {
		return hostfwd_fail(rule, why, errp);
	}
	if (!hostfwd_field(&pos, '-', buf) ||
	    !hostfwd_port(buf, 0, &fwd->host_port)) {
		return hostfwd_fail(rule, "bad host port", errp);
	}
	if (!hostfwd_field(&pos, ':', buf) ||
	    !hostfwd_addr(buf, &fwd->guest_addr)) {
		return hostfwd_fail(rule, "bad guest address", errp);
	}
	if (!hostfwd_port(pos, 1, &fwd->guest_port)) {
		return hostfwd_fail(rule, "bad guest port", errp);
	}
	return true;
}

bool hostfwd_parse_host(const char *rule, struct hostfwd *fwd,
			struct error **errp)
{
	const char *pos = rule, *why = hostfwd_host_part(&pos, fwd);

	if (why) {
		return hostfwd_fail(rule, why, errp);
	}
	if (!hostfwd_port(pos, 0, &fwd->host_port)) {
		return hostfwd_fail(rule, "bad host port", errp);
	}
	return true;
}
