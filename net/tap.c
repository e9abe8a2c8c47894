/* SPDX-License-Identifier: MIT */
/* -netdev tap: a host TAP interface (no scripts: configure it yourself, or
 * let a management tool pass fd=N). */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hw/core/bql.h"
#include "net/net.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "util/types.h"

/* Frames read per wake-up before the main loop serves others. */
#define TAP_BATCH 64

struct net_tap {
	struct netdev nd;
	int fd;
	char ifname[IFNAMSIZ];
	bool reading; /* fd watched by the main loop */
	bool resume_scheduled;
	uint8_t buf[NETDEV_MAX_FRAME];
};

static struct net_tap *to_tap(struct netdev *nd)
{
	return container_of(nd, struct net_tap, nd);
}

static void tap_readable(void *opaque, uint32_t events);

/* Main loop thread only: the watch table is not shared. */
static void tap_set_reading(struct net_tap *t, bool on)
{
	if (on && !t->reading) {
		t->reading =
			main_loop_watch_fd(t->fd, EPOLLIN, tap_readable, t);
	} else if (!on && t->reading) {
		main_loop_unwatch_fd(t->fd);
		t->reading = false;
	}
}

static void tap_readable(void *opaque, uint32_t events)
{
	struct net_tap *t = opaque;

	bql_lock();
	for (unsigned i = 0; i < TAP_BATCH; i++) {
		ssize_t n;

		if (!netdev_can_deliver(&t->nd)) {
			/* The guest has no buffers: the kernel queues (and
			 * drops) for us until it has. */
			tap_set_reading(t, false);
			break;
		}
		n = read(t->fd, t->buf, sizeof(t->buf));
		if (n <= 0) {
			break;
		}
		netdev_deliver(&t->nd, t->buf, n);
	}
	bql_unlock();
}

static void tap_resume_bh(void *opaque)
{
	struct net_tap *t = opaque;

	bql_lock();
	t->resume_scheduled = false;
	tap_set_reading(t, true);
	bql_unlock();
}

static void tap_resume(struct netdev *nd)
{
	struct net_tap *t = to_tap(nd);

	if (!t->reading && !t->resume_scheduled) {
		t->resume_scheduled = true;
		main_loop_schedule(tap_resume_bh, t);
	}
}

static void tap_send(struct netdev *nd, const uint8_t *buf, size_t len)
{
	struct net_tap *t = to_tap(nd);

	/* A full tap queue drops the frame, as a congested link would. */
	if (write(t->fd, buf, len) < 0 && errno != EAGAIN) {
		nd->dropped++;
	}
}

static void tap_describe(struct netdev *nd, char *buf, size_t len)
{
	snprintf(buf, len, "ifname=%s,script=no,downscript=no",
		 to_tap(nd)->ifname);
}

static void tap_close(struct netdev *nd)
{
	struct net_tap *t = to_tap(nd);

	if (t->fd >= 0) {
		if (t->reading) {
			main_loop_unwatch_fd(t->fd);
		}
		close(t->fd);
	}
	free(t);
}

static const struct netdev_ops net_tap_ops = {
	.send = tap_send,
	.resume = tap_resume,
	.describe = tap_describe,
	.close = tap_close,
};

static bool tap_check_script(struct opts *opts, const char *key,
			     struct error **errp)
{
	const char *v = opts_get(opts, key);

	if (v && strcmp(v, "no")) {
		error_setg(errp,
			   "-netdev tap: %s=%s: scripts are not supported "
			   "(%s=no, and set the interface up yourself)",
			   key, v, key);
		return false;
	}
	return true;
}

static int tap_open_dev(const char *ifname, char *name_out, struct error **errp)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		error_setg_errno(errp, errno, "-netdev tap: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ifname) {
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	}
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		error_setg_errno(errp, errno, "-netdev tap: ifname=%s",
				 ifname ? ifname : "");
		close(fd);
		return -1;
	}
	snprintf(name_out, IFNAMSIZ, "%s", ifr.ifr_name);
	return fd;
}

struct netdev *net_tap_open(const char *id, struct opts *opts,
			    struct error **errp)
{
	const char *ifname = opts_get(opts, "ifname");
	struct net_tap *t;

	opts_get(opts, "vhost"); /* no vhost-net: the frames pass through us */
	if (!tap_check_script(opts, "script", errp) ||
	    !tap_check_script(opts, "downscript", errp) ||
	    !opts_check_unused(opts, "-netdev tap", errp)) {
		return NULL;
	}
	if (ifname && strlen(ifname) >= IFNAMSIZ) {
		error_setg(errp, "-netdev tap: ifname=%s is too long", ifname);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	netdev_init_common(&t->nd, &net_tap_ops, "tap", id);
	t->fd = tap_open_dev(ifname, t->ifname, errp);
	if (t->fd < 0) {
		free(t->nd.id);
		free(t);
		return NULL;
	}
	tap_set_reading(t, true);
	return &t->nd;
}
