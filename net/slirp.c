/* SPDX-License-Identifier: MIT */
/* -netdev user: libslirp's user-mode TCP/IP stack. Every call into slirp
 * is made with the big lock held; its sockets sit in a private epoll set
 * that the main loop watches, re-filled after each call. */
#include <arpa/inet.h>
#include <errno.h>
#include <libslirp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "hw/core/bql.h"
#include "net/hostfwd.h"
#include "net/net.h"
#include "util/log.h"
#include "util/main-loop.h"
#include "util/options.h"
#include "util/types.h"

#define SLIRP_EPOLL_BATCH 64

/* One fd slirp asked for in the last fill, by the index it got. */
struct slirp_poll {
	int fd;
	int events; /* SLIRP_POLL_* */
	int revents;
};

/* One fd in the private epoll set. */
struct slirp_reg {
	int fd;
	uint32_t events; /* EPOLL* */
	bool wanted;
};

struct slirp_timer {
	SlirpTimerId id;
	void *cb_opaque;
	int64_t expire_ms; /* -1: not armed */
	struct slirp_timer *next;
};

struct net_slirp {
	struct netdev nd;
	Slirp *slirp;
	int epfd;
	struct slirp_poll *polls;
	unsigned nr_polls, cap_polls;
	struct slirp_reg *regs;
	unsigned nr_regs, cap_regs;
	struct slirp_timer *timers;
	uint64_t tick_at_ns; /* earliest main-loop timer armed, 0: none */
	bool update_scheduled;
	/* Kept for info network and slirp's pointers into the config. */
	struct in_addr net, mask, host, dhcp, dns;
	bool restricted;
	char *hostname, *domainname, *tftp, *bootfile, *tftp_server;
};

static void slirp_update(struct net_slirp *s);

static struct net_slirp *to_slirp(struct netdev *nd)
{
	return container_of(nd, struct net_slirp, nd);
}

static ssize_t slirp_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;

	netdev_deliver(&s->nd, buf, len);
	return len;
}

static void slirp_guest_error(const char *msg, void *opaque)
{
	log_mask_printf(LOG_GUEST_ERROR, "slirp: %s\n", msg);
}

static int64_t slirp_clock_ns(void *opaque)
{
	return bql_clock_ns();
}

static void slirp_tick(void *opaque);

/* Make sure the main loop calls slirp_tick() by deadline_ns. */
static void slirp_arm(struct net_slirp *s, uint64_t deadline_ns)
{
	uint64_t now = bql_clock_ns();

	if (s->tick_at_ns && s->tick_at_ns <= deadline_ns) {
		return;
	}
	s->tick_at_ns = deadline_ns;
	main_loop_timer(deadline_ns > now ? deadline_ns - now : 0, slirp_tick,
			s);
}

static void *slirp_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct net_slirp *s = opaque;
	struct slirp_timer *t = calloc(1, sizeof(*t));

	if (!t) {
		return NULL;
	}
	t->id = id;
	t->cb_opaque = cb_opaque;
	t->expire_ms = -1;
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void slirp_timer_free(void *timer, void *opaque)
{
	struct net_slirp *s = opaque;

	for (struct slirp_timer **pp = &s->timers; *pp; pp = &(*pp)->next) {
		if (*pp == timer) {
			*pp = ((struct slirp_timer *)timer)->next;
			free(timer);
			return;
		}
	}
}

static void slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_timer *t = timer;

	if (!t) {
		return;
	}
	t->expire_ms = expire_ms;
	slirp_arm(opaque, (uint64_t)expire_ms * 1000000ull);
}

static void slirp_update_bh(void *opaque)
{
	struct net_slirp *s = opaque;

	bql_lock();
	s->update_scheduled = false;
	slirp_update(s);
	bql_unlock();
}

/* slirp has room again (guestfwd): look at its sockets afresh. */
static void slirp_notify(void *opaque)
{
	struct net_slirp *s = opaque;

	if (!s->update_scheduled) {
		s->update_scheduled = true;
		main_loop_schedule(slirp_update_bh, s);
	}
}

static void slirp_no_fd(int fd, void *opaque)
{
	/* The fill after every call tells us the fds. */
}

static const SlirpCb slirp_callbacks = {
	.send_packet = slirp_send_packet,
	.guest_error = slirp_guest_error,
	.clock_get_ns = slirp_clock_ns,
	.timer_free = slirp_timer_free,
	.timer_mod = slirp_timer_mod,
	.register_poll_fd = slirp_no_fd,
	.unregister_poll_fd = slirp_no_fd,
	.notify = slirp_notify,
	.timer_new_opaque = slirp_timer_new,
};

static int slirp_add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;

	/* A guest that takes no frames: stop reading from the host until
	 * its queue drains (netdev_frontend_ready resumes us). */
	if (!netdev_can_deliver(&s->nd)) {
		events &= ~(SLIRP_POLL_IN | SLIRP_POLL_PRI);
	}
	if (s->nr_polls == s->cap_polls) {
		unsigned cap = s->cap_polls ? 2 * s->cap_polls : 32;
		struct slirp_poll *p = realloc(s->polls, cap * sizeof(*p));

		if (!p) {
			return -1;
		}
		s->polls = p;
		s->cap_polls = cap;
	}
	s->polls[s->nr_polls] = (struct slirp_poll){ fd, events, 0 };
	return s->nr_polls++;
}

static int slirp_get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;

	if (idx < 0 || (unsigned)idx >= s->nr_polls) {
		return 0;
	}
	return s->polls[idx].revents;
}

static uint32_t slirp_epoll_events(int events)
{
	return (events & SLIRP_POLL_IN ? EPOLLIN : 0) |
	       (events & SLIRP_POLL_OUT ? EPOLLOUT : 0) |
	       (events & SLIRP_POLL_PRI ? EPOLLPRI : 0);
}

static struct slirp_reg *slirp_reg_find(struct net_slirp *s, int fd)
{
	for (unsigned i = 0; i < s->nr_regs; i++) {
		if (s->regs[i].fd == fd) {
			return &s->regs[i];
		}
	}
	return NULL;
}

/* Add or change fd in the epoll set; a closed fd's number may be back as a
 * new socket, so either operation may need the other. */
static void slirp_epoll_set(struct net_slirp *s, int fd, uint32_t events,
			    bool known)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int first = known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	int second = known ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;

	if (epoll_ctl(s->epfd, first, fd, &ev) < 0) {
		epoll_ctl(s->epfd, second, fd, &ev);
	}
}

static bool slirp_reg_add(struct net_slirp *s, int fd, uint32_t events)
{
	if (s->nr_regs == s->cap_regs) {
		unsigned cap = s->cap_regs ? 2 * s->cap_regs : 32;
		struct slirp_reg *r = realloc(s->regs, cap * sizeof(*r));

		if (!r) {
			return false;
		}
		s->regs = r;
		s->cap_regs = cap;
	}
	slirp_epoll_set(s, fd, events, false);
	s->regs[s->nr_regs++] = (struct slirp_reg){ fd, events, true };
	return true;
}

/* Bring the epoll set in line with the fds of the last fill. */
static void slirp_sync_epoll(struct net_slirp *s)
{
	for (unsigned i = 0; i < s->nr_regs; i++) {
		s->regs[i].wanted = false;
	}
	for (unsigned i = 0; i < s->nr_polls; i++) {
		uint32_t events = slirp_epoll_events(s->polls[i].events);
		struct slirp_reg *r = slirp_reg_find(s, s->polls[i].fd);

		if (!events) {
			continue;
		}
		if (!r) {
			slirp_reg_add(s, s->polls[i].fd, events);
			continue;
		}
		if (r->wanted) {
			events |= r->events; /* the same fd twice */
		}
		if (events != r->events) {
			slirp_epoll_set(s, r->fd, events, true);
			r->events = events;
		}
		r->wanted = true;
	}
	for (unsigned i = 0; i < s->nr_regs;) {
		if (s->regs[i].wanted) {
			i++;
			continue;
		}
		/* Fails harmlessly when slirp already closed it. */
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, s->regs[i].fd, NULL);
		s->regs[i] = s->regs[--s->nr_regs];
	}
}

/* After every call into slirp: which fds, and when to come back. */
static void slirp_update(struct net_slirp *s)
{
	uint32_t timeout_ms = UINT32_MAX;
	int64_t next_ms = -1;

	s->nr_polls = 0;
	slirp_pollfds_fill(s->slirp, &timeout_ms, slirp_add_poll, s);
	slirp_sync_epoll(s);
	for (struct slirp_timer *t = s->timers; t; t = t->next) {
		if (t->expire_ms >= 0 &&
		    (next_ms < 0 || t->expire_ms < next_ms)) {
			next_ms = t->expire_ms;
		}
	}
	if (timeout_ms != UINT32_MAX) {
		slirp_arm(s, bql_clock_ns() + timeout_ms * 1000000ull);
	}
	if (next_ms >= 0) {
		slirp_arm(s, (uint64_t)next_ms * 1000000ull);
	}
}

/* Run slirp's expired timers and its poll step with the given revents. */
static void slirp_run(struct net_slirp *s)
{
	int64_t now_ms = bql_clock_ns() / 1000000;
	struct slirp_timer *t;
	bool again = true;

	while (again) {
		again = false;
		for (t = s->timers; t; t = t->next) {
			if (t->expire_ms >= 0 && t->expire_ms <= now_ms) {
				t->expire_ms = -1;
				slirp_handle_timer(s->slirp, t->id,
						   t->cb_opaque);
				/* The callback may have freed timers. */
				again = true;
				break;
			}
		}
	}
	slirp_pollfds_poll(s->slirp, 0, slirp_get_revents, s);
	for (unsigned i = 0; i < s->nr_polls; i++) {
		s->polls[i].revents = 0;
	}
	slirp_update(s);
}

static void slirp_tick(void *opaque)
{
	struct net_slirp *s = opaque;

	bql_lock();
	if (s->tick_at_ns <= bql_clock_ns()) {
		s->tick_at_ns = 0;
	}
	slirp_run(s);
	bql_unlock();
}

static int slirp_revents(uint32_t events)
{
	return (events & EPOLLIN ? SLIRP_POLL_IN : 0) |
	       (events & EPOLLOUT ? SLIRP_POLL_OUT : 0) |
	       (events & EPOLLPRI ? SLIRP_POLL_PRI : 0) |
	       (events & EPOLLERR ? SLIRP_POLL_ERR : 0) |
	       (events & EPOLLHUP ? SLIRP_POLL_HUP : 0);
}

/* The private epoll set has ready sockets (main loop thread). */
static void slirp_epoll_ready(void *opaque, uint32_t unused)
{
	struct net_slirp *s = opaque;
	struct epoll_event evs[SLIRP_EPOLL_BATCH];
	int n;

	bql_lock();
	n = epoll_wait(s->epfd, evs, SLIRP_EPOLL_BATCH, 0);
	for (int i = 0; i < n; i++) {
		for (unsigned j = 0; j < s->nr_polls; j++) {
			if (s->polls[j].fd == evs[i].data.fd) {
				s->polls[j].revents =
					slirp_revents(evs[i].events) &
					(s->polls[j].events | SLIRP_POLL_ERR |
					 SLIRP_POLL_HUP);
			}
		}
	}
	slirp_run(s);
	bql_unlock();
}

static void slirp_send(struct netdev *nd, const uint8_t *buf, size_t len)
{
	struct net_slirp *s = to_slirp(nd);

	slirp_input(s->slirp, buf, len);
	slirp_update(s);
}

static void slirp_resume(struct netdev *nd)
{
	slirp_update(to_slirp(nd));
}

static void slirp_describe(struct netdev *nd, char *buf, size_t len)
{
	struct net_slirp *s = to_slirp(nd);

	snprintf(buf, len, "net=%s,restrict=%s", inet_ntoa(s->net),
		 s->restricted ? "on" : "off");
}

static void slirp_close(struct netdev *nd)
{
	struct net_slirp *s = to_slirp(nd);

	if (s->slirp) {
		slirp_cleanup(s->slirp);
	}
	while (s->timers) {
		slirp_timer_free(s->timers, s);
	}
	if (s->epfd >= 0) {
		main_loop_unwatch_fd(s->epfd);
		close(s->epfd);
	}
	free(s->polls);
	free(s->regs);
	free(s->hostname);
	free(s->domainname);
	free(s->tftp);
	free(s->bootfile);
	free(s->tftp_server);
	free(s);
}

static bool slirp_parse_addr(const char *key, const char *str,
			     struct in_addr *addr, struct error **errp)
{
	if (inet_pton(AF_INET, str, addr) != 1) {
		error_setg(errp, "-netdev user: %s=%s is not an IPv4 address",
			   key, str);
		return false;
	}
	return true;
}

/* Without a mask, the address's class decides, as in QEMU. */
static uint32_t slirp_class_mask(uint32_t addr)
{
	if (!(addr & 0x80000000u)) {
		return 0xff000000u;
	}
	if ((addr & 0xfff00000u) == 0xac100000u) {
		return 0xfff00000u; /* 172.16.0.0/12 */
	}
	if ((addr & 0xc0000000u) == 0x80000000u ||
	    (addr & 0xffff0000u) == 0xc0a80000u) {
		return 0xffff0000u; /* class B, 192.168.0.0/16 */
	}
	return 0xffffff00u;
}

/* net=ADDR[/MASK], MASK a prefix length or a dotted mask. */
static bool slirp_parse_net(struct net_slirp *s, const char *str,
			    struct error **errp)
{
	char buf[64], *slash;
	uint32_t mask;

	snprintf(buf, sizeof(buf), "%s", str);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
	}
	if (!slirp_parse_addr("net", buf, &s->net, errp)) {
		return false;
	}
	mask = slirp_class_mask(ntohl(s->net.s_addr));
	if (slash && strchr(slash, '.')) {
		if (!slirp_parse_addr("net", slash, &s->mask, errp)) {
			return false;
		}
		mask = ntohl(s->mask.s_addr);
	} else if (slash) {
		char *end;
		unsigned long bits = strtoul(slash, &end, 10);

		if (*end || !*slash || bits < 1 || bits > 30) {
			error_setg(errp, "-netdev user: bad prefix in net=%s",
				   str);
			return false;
		}
		mask = ~0u << (32 - bits);
	}
	if (!mask || (~mask & (~mask + 1))) {
		error_setg(errp, "-netdev user: bad netmask in net=%s", str);
		return false;
	}
	s->mask.s_addr = htonl(mask);
	s->net.s_addr = htonl(ntohl(s->net.s_addr) & mask);
	return true;
}

/* key=ADDR inside the network, or the network's host_part by default. */
static bool slirp_net_addr(struct net_slirp *s, struct opts *opts,
			   const char *key, uint32_t host_part,
			   struct in_addr *out, struct error **errp)
{
	const char *str = opts_get(opts, key);
	uint32_t mask = ntohl(s->mask.s_addr);

	if (!str) {
		out->s_addr = htonl(ntohl(s->net.s_addr) | host_part);
		return true;
	}
	if (!slirp_parse_addr(key, str, out, errp)) {
		return false;
	}
	if ((ntohl(out->s_addr) & mask) != ntohl(s->net.s_addr)) {
		error_setg(errp, "-netdev user: %s=%s is outside net=%s/%d",
			   key, str, inet_ntoa(s->net),
			   32 - __builtin_ctz(mask));
		return false;
	}
	return true;
}

static char *slirp_strdup_opt(struct opts *opts, const char *key)
{
	const char *v = opts_get(opts, key);

	return v ? strdup(v) : NULL;
}

static void slirp_config_ipv6(SlirpConfig *cfg)
{
	cfg->in6_enabled = true;
	inet_pton(AF_INET6, "fec0::", &cfg->vprefix_addr6);
	cfg->vprefix_len = 64;
	inet_pton(AF_INET6, "fec0::2", &cfg->vhost6);
	inet_pton(AF_INET6, "fec0::3", &cfg->vnameserver6);
}

static bool slirp_parse_config(struct net_slirp *s, struct opts *opts,
			       SlirpConfig *cfg, struct error **errp)
{
	const char *net = opts_get(opts, "net");
	bool ipv4, ipv6;

	memset(cfg, 0, sizeof(*cfg));
	cfg->version = 4;
	if (!opts_get_bool(opts, "restrict", false, &s->restricted, errp) ||
	    !opts_get_bool(opts, "ipv4", true, &ipv4, errp) ||
	    !opts_get_bool(opts, "ipv6", true, &ipv6, errp) ||
	    !slirp_parse_net(s, net ? net : "10.0.2.0/24", errp) ||
	    !slirp_net_addr(s, opts, "host", 2, &s->host, errp) ||
	    !slirp_net_addr(s, opts, "dhcpstart", 15, &s->dhcp, errp) ||
	    !slirp_net_addr(s, opts, "dns", 3, &s->dns, errp)) {
		return false;
	}
	if (!ipv4 && !ipv6) {
		error_setg(errp, "-netdev user: ipv4=off and ipv6=off leave "
				 "nothing");
		return false;
	}
	s->hostname = slirp_strdup_opt(opts, "hostname");
	s->domainname = slirp_strdup_opt(opts, "domainname");
	s->tftp = slirp_strdup_opt(opts, "tftp");
	s->bootfile = slirp_strdup_opt(opts, "bootfile");
	s->tftp_server = slirp_strdup_opt(opts, "tftp-server-name");
	cfg->restricted = s->restricted;
	cfg->in_enabled = ipv4;
	cfg->vnetwork = s->net;
	cfg->vnetmask = s->mask;
	cfg->vhost = s->host;
	cfg->vdhcp_start = s->dhcp;
	cfg->vnameserver = s->dns;
	cfg->vhostname = s->hostname;
	cfg->vdomainname = s->domainname;
	cfg->tftp_path = s->tftp;
	cfg->bootfile = s->bootfile;
	cfg->tftp_server_name = s->tftp_server;
	if (ipv6) {
		slirp_config_ipv6(cfg);
	}
	opts_get_nth(opts, "hostfwd", 0);
	return opts_check_unused(opts, "-netdev user", errp);
}

static bool slirp_hostfwd_add_rule(struct net_slirp *s, const char *rule,
				   struct error **errp)
{
	struct hostfwd fwd;

	if (!hostfwd_parse(rule, &fwd, errp)) {
		return false;
	}
	if (fwd.guest_addr.s_addr == htonl(INADDR_ANY)) {
		fwd.guest_addr = s->dhcp;
	}
	if (slirp_add_hostfwd(s->slirp, fwd.udp, fwd.host_addr, fwd.host_port,
			      fwd.guest_addr, fwd.guest_port) < 0) {
		error_setg(errp, "could not set up host forwarding rule '%s'",
			   rule);
		return false;
	}
	return true;
}

static bool slirp_add_hostfwds(struct net_slirp *s, struct opts *opts,
			       struct error **errp)
{
	const char *rule;

	for (unsigned n = 0; (rule = opts_get_nth(opts, "hostfwd", n)); n++) {
		if (!slirp_hostfwd_add_rule(s, rule, errp)) {
			error_prepend(errp, "-netdev user");
			return false;
		}
	}
	return true;
}

static const struct netdev_ops net_slirp_ops = {
	.send = slirp_send,
	.resume = slirp_resume,
	.describe = slirp_describe,
	.close = slirp_close,
};

static struct net_slirp *slirp_alloc(const char *id)
{
	struct net_slirp *s = calloc(1, sizeof(*s));

	if (!s) {
		return NULL;
	}
	netdev_init_common(&s->nd, &net_slirp_ops, "user", id);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	return s;
}

struct netdev *net_slirp_open(const char *id, struct opts *opts,
			      struct error **errp)
{
	struct net_slirp *s = slirp_alloc(id);
	SlirpConfig cfg;

	if (!s || s->epfd < 0) {
		error_setg(errp, "-netdev user: out of resources");
		goto fail;
	}
	if (!slirp_parse_config(s, opts, &cfg, errp)) {
		goto fail;
	}
	s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
	if (!s->slirp) {
		error_setg(errp, "-netdev user,id=%s: slirp failed to start",
			   id);
		goto fail;
	}
	if (!slirp_add_hostfwds(s, opts, errp)) {
		goto fail;
	}
	if (!main_loop_watch_fd(s->epfd, EPOLLIN, slirp_epoll_ready, s)) {
		error_setg(errp, "-netdev user: cannot watch its sockets");
		goto fail;
	}
	slirp_update(s);
	return &s->nd;
fail:
	if (s) {
		free(s->nd.id);
		slirp_close(&s->nd);
	}
	return NULL;
}

/* The monitor's commands apply to user netdevs only. */
static struct net_slirp *slirp_of(struct netdev *nd, struct error **errp)
{
	if (nd->ops != &net_slirp_ops) {
		error_setg(errp, "netdev '%s' is not a user (slirp) netdev",
			   nd->id);
		return NULL;
	}
	return to_slirp(nd);
}

bool net_slirp_hostfwd_add(struct netdev *nd, const char *rule,
			   struct error **errp)
{
	struct net_slirp *s = slirp_of(nd, errp);
	bool ok;

	if (!s) {
		return false;
	}
	ok = slirp_hostfwd_add_rule(s, rule, errp);
	slirp_update(s);
	return ok;
}

bool net_slirp_hostfwd_remove(struct netdev *nd, const char *rule,
			      struct error **errp)
{
	struct net_slirp *s = slirp_of(nd, errp);
	struct hostfwd fwd;

	if (!s || !hostfwd_parse_host(rule, &fwd, errp)) {
		return false;
	}
	if (slirp_remove_hostfwd(s->slirp, fwd.udp, fwd.host_addr,
				 fwd.host_port) < 0) {
		error_setg(errp, "host forwarding rule for %s not found", rule);
		return false;
	}
	slirp_update(s);
	return true;
}

char *net_slirp_connection_info(struct netdev *nd)
{
	struct net_slirp *s = slirp_of(nd, NULL);
	/* g_malloc'd; glib has allocated with malloc() since 2.46. */
	return s ? slirp_connection_info(s->slirp) : NULL;
}
