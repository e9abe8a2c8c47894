/* SPDX-License-Identifier: MIT */
/* A deliberately fragile vhost-user virtio-fs backend for the ring-enable
 * race test: kicks are served on their own thread, SET_VRING_ENABLE takes
 * effect only after a delay, and requests kicked while the ring is still
 * disabled are dropped for good (as the buggy backends did). It answers
 * FUSE_INIT, GETATTR and DESTROY, ENOSYS to the rest. --fault=MODE makes it
 * misbehave at the first SET_VRING_ENABLE (silent: never answers; garbage:
 * a reply of the wrong size; wrong-id: a reply to another request) or at
 * the first FUSE request (die: exits mid-I/O). --backend-req offers the
 * backend channel and, after the first FUSE answer, sends on it a good
 * CONFIG_CHANGE_MSG (NEED_REPLY; the ack is logged) and then a bad one.
 * --refuse-features offers STATUS and refuses the driver's features (GET_STATUS
 * never shows FEATURES_OK). */
#include <errno.h>
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define NQ 2
#define MAX_REGIONS 8

enum {
	GET_FEATURES = 1,
	SET_FEATURES = 2,
	SET_OWNER = 3,
	SET_MEM_TABLE = 5,
	SET_VRING_NUM = 8,
	SET_VRING_ADDR = 9,
	SET_VRING_BASE = 10,
	GET_VRING_BASE = 11,
	SET_VRING_KICK = 12,
	SET_VRING_CALL = 13,
	SET_VRING_ERR = 14,
	GET_PROTOCOL_FEATURES = 15,
	SET_PROTOCOL_FEATURES = 16,
	GET_QUEUE_NUM = 17,
	SET_VRING_ENABLE = 18,
	SET_BACKEND_REQ_FD = 21,
	SET_STATUS = 39,
	GET_STATUS = 40,
};

#define FLAG_REPLY 4u
#define FLAG_NEED_REPLY 8u
#define PROTO_MQ 0
#define PROTO_REPLY_ACK 3
#define PROTO_BACKEND_REQ 5
#define PROTO_STATUS 16
#define STATUS_FEATURES_OK 8
#define CONFIG_CHANGE_MSG 2

struct region {
	uint64_t gpa, size, uva;
	uint8_t *map;
};

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct ring {
	int kick, call;
	unsigned num;
	uint64_t desc_uva, avail_uva, used_uva;
	struct desc *desc;
	uint16_t *avail; /* flags, idx, ring[] */
	uint16_t *used; /* flags, idx, then {u32 id, u32 len}[] */
	uint16_t last_avail;
	bool started, enabled;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct region regions[MAX_REGIONS];
static unsigned nregions;
static struct ring rings[NQ];
static unsigned delay_ms = 200;
static bool reply_ack = true;
static unsigned long answered, dropped;
static const char *fault = "";
static bool backend_req;
static bool refuse_features;
static uint64_t status;
static int chan_fd = -1;

static void *uva_to_ptr(uint64_t uva)
{
	for (unsigned i = 0; i < nregions; i++) {
		if (uva >= regions[i].uva &&
		    uva - regions[i].uva < regions[i].size) {
			return regions[i].map + (uva - regions[i].uva);
		}
	}
	return NULL;
}

static void *gpa_to_ptr(uint64_t gpa, uint64_t len)
{
	for (unsigned i = 0; i < nregions; i++) {
		if (gpa >= regions[i].gpa &&
		    gpa - regions[i].gpa + len <= regions[i].size) {
			return regions[i].map + (gpa - regions[i].gpa);
		}
	}
	return NULL;
}

static void ring_map(struct ring *r)
{
	r->desc = uva_to_ptr(r->desc_uva);
	r->avail = uva_to_ptr(r->avail_uva);
	r->used = uva_to_ptr(r->used_uva);
}

/* One FUSE request: out (readable) bytes in, reply into in buffers. */
static uint32_t fuse_serve(const uint8_t *req, size_t req_len, uint8_t *rep,
			   size_t rep_cap)
{
	const struct fuse_in_header *in = (const void *)req;
	struct fuse_out_header out = { 0 };
	size_t body = 0;

	if (req_len < sizeof(*in) || rep_cap < sizeof(out)) {
		return 0;
	}
	out.unique = in->unique;
	if (in->opcode == FUSE_INIT) {
		struct fuse_init_out io = { .major = FUSE_KERNEL_VERSION,
					    .minor = 31,
					    .max_readahead = 4096,
					    .max_write = 4096 };

		body = sizeof(io);
		memcpy(rep + sizeof(out), &io, body);
	} else if (in->opcode == FUSE_GETATTR) {
		struct fuse_attr_out ao = { .attr_valid = 1 };

		ao.attr.ino = 1;
		ao.attr.mode = S_IFDIR | 0755;
		ao.attr.nlink = 2;
		body = sizeof(ao);
		memcpy(rep + sizeof(out), &ao, body);
	} else if (in->opcode != FUSE_DESTROY) {
		out.error = -ENOSYS;
	}
	if (sizeof(out) + body > rep_cap) {
		return 0;
	}
	out.len = sizeof(out) + body;
	memcpy(rep, &out, sizeof(out));
	return out.len;
}

/* Walk one chain, serve it, push it (the hiprio queue: FORGETs, len 0). */
static void ring_serve_one(struct ring *r, unsigned q, uint16_t head)
{
	static uint8_t req[65536], rep[65536];
	size_t req_len = 0, rep_len = 0, cap = 0;
	struct {
		uint8_t *p;
		uint32_t len;
	} in[64];
	unsigned nin = 0, hops = 0;
	uint16_t i = head;
	uint32_t written = 0;
	uint16_t uidx;

	for (;;) {
		struct desc *d = &r->desc[i % r->num];
		uint8_t *p = gpa_to_ptr(d->addr, d->len);

		if (!p || ++hops > r->num) {
			break;
		}
		if (d->flags & 2) {
			if (nin < 64) {
				in[nin].p = p;
				in[nin++].len = d->len;
				cap += d->len;
			}
		} else if (req_len + d->len <= sizeof(req)) {
			memcpy(req + req_len, p, d->len);
			req_len += d->len;
		}
		if (!(d->flags & 1)) {
			break;
		}
		i = d->next;
	}
	if (q == 1 && !strcmp(fault, "die")) {
		fprintf(stderr, "race-backend: dying mid-I/O\n");
		_exit(0);
	}
	if (q == 1) {
		rep_len = fuse_serve(req, req_len, rep,
				     cap < sizeof(rep) ? cap : sizeof(rep));
	}
	for (unsigned k = 0; k < nin && written < rep_len; k++) {
		uint32_t n = in[k].len < rep_len - written ? in[k].len :
							     rep_len - written;

		memcpy(in[k].p, rep + written, n);
		written += n;
	}
	uidx = r->used[1];
	memcpy((uint8_t *)(r->used + 2) + 8 * (uidx % r->num),
	       &(uint32_t){ head }, 4);
	memcpy((uint8_t *)(r->used + 2) + 8 * (uidx % r->num) + 4, &written, 4);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&r->used[1], (uint16_t)(uidx + 1), __ATOMIC_RELEASE);
	answered++;
}

/* A kick: serve the ring, or drop what is in it while disabled. */
static void ring_kicked(unsigned q)
{
	struct ring *r = &rings[q];
	uint16_t avail_idx;
	bool any = false;

	if (!r->started || !r->desc || !r->avail || !r->used) {
		return;
	}
	avail_idx = __atomic_load_n(&r->avail[1], __ATOMIC_ACQUIRE);
	while (r->last_avail != avail_idx) {
		uint16_t head = r->avail[2 + r->last_avail % r->num];

		r->last_avail++;
		if (!r->enabled) {
			dropped++;
			fprintf(stderr,
				"race-backend: dropped a request on "
				"disabled queue %u\n",
				q);
			continue;
		}
		ring_serve_one(r, q, head);
		any = true;
	}
	if (any) {
		uint64_t one = 1;

		if (write(r->call, &one, sizeof(one)) < 0) {
			/* nobody listens any more */
		}
	}
}

/* --backend-req, once: a good CONFIG_CHANGE_MSG, then a malformed one. */
static void chan_exercise(void)
{
	uint32_t good[3] = { CONFIG_CHANGE_MSG, 1 | FLAG_NEED_REPLY, 0 };
	uint32_t bad[5] = { CONFIG_CHANGE_MSG, 1, 8, 0, 0 };
	uint32_t hdr[3] = { 0 };
	uint64_t ack = ~0ull;
	struct pollfd p = { .fd = chan_fd, .events = POLLIN };

	if (write(chan_fd, good, sizeof(good)) != sizeof(good) ||
	    poll(&p, 1, 2000) != 1 || read(chan_fd, hdr, sizeof(hdr)) != 12 ||
	    read(chan_fd, &ack, sizeof(ack)) != sizeof(ack)) {
		fprintf(stderr,
			"race-backend: no answer to CONFIG_CHANGE_MSG\n");
	} else {
		fprintf(stderr,
			"race-backend: CONFIG_CHANGE_MSG answered: request %u "
			"flags 0x%x size %u ack %llu\n",
			hdr[0], hdr[1], hdr[2], (unsigned long long)ack);
	}
	if (write(chan_fd, bad, sizeof(bad)) == sizeof(bad)) {
		fprintf(stderr, "race-backend: sent a bad request\n");
	}
}

static void *kick_thread(void *arg)
{
	bool chan_done = false;

	for (;;) {
		struct pollfd p[NQ];
		uint64_t v;

		pthread_mutex_lock(&lock);
		for (unsigned q = 0; q < NQ; q++) {
			p[q].fd = rings[q].kick;
			p[q].events = POLLIN;
		}
		pthread_mutex_unlock(&lock);
		if (poll(p, NQ, 20) <= 0) {
			continue;
		}
		pthread_mutex_lock(&lock);
		for (unsigned q = 0; q < NQ; q++) {
			if ((p[q].revents & POLLIN) &&
			    p[q].fd == rings[q].kick &&
			    read(p[q].fd, &v, sizeof(v)) == sizeof(v)) {
				ring_kicked(q);
			}
		}
		pthread_mutex_unlock(&lock);
		if (chan_fd >= 0 && answered && !chan_done) {
			chan_done = true;
			chan_exercise();
		}
	}
	return NULL;
}

struct msg {
	uint32_t request, flags, size;
	union {
		uint64_t u64;
		struct {
			uint32_t index, num;
		} state;
		struct {
			uint32_t index, flags;
			uint64_t desc, used, avail, log;
		} addr;
		struct {
			uint32_t nregions, padding;
			struct {
				uint64_t gpa, size, uva, offset;
			} r[8];
		} mem;
		uint8_t raw[512];
	} __attribute__((packed)) u;
} __attribute__((packed));

static int read_msg(int sock, struct msg *m, int *fds, unsigned *nfds)
{
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct iovec iov = { m, 12 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	size_t got = 0;
	ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);

	*nfds = 0;
	if (n != 12) {
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_type == SCM_RIGHTS) {
			*nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(c), *nfds * sizeof(int));
		}
	}
	if (m->size > sizeof(m->u)) {
		return -1;
	}
	while (got < m->size) {
		n = read(sock, m->u.raw + got, m->size - got);
		if (n <= 0) {
			return -1;
		}
		got += n;
	}
	return 0;
}

static void reply(int sock, struct msg *m, const void *p, uint32_t size)
{
	struct msg r = { .request = m->request,
			 .flags = 1 | FLAG_REPLY,
			 .size = size };

	memcpy(r.u.raw, p, size);
	if (write(sock, &r, 12 + size) != (ssize_t)(12 + size)) {
		exit(1);
	}
}

static void set_mem_table(const struct msg *m, const int *fds, unsigned nfds)
{
	for (unsigned i = 0; i < nregions; i++) {
		munmap(regions[i].map, regions[i].size);
	}
	nregions = 0;
	for (unsigned i = 0; i < m->u.mem.nregions && i < nfds; i++) {
		void *p = mmap(NULL, m->u.mem.r[i].size + m->u.mem.r[i].offset,
			       PROT_READ | PROT_WRITE, MAP_SHARED, fds[i], 0);

		close(fds[i]);
		if (p == MAP_FAILED) {
			continue;
		}
		regions[nregions].gpa = m->u.mem.r[i].gpa;
		regions[nregions].size = m->u.mem.r[i].size;
		regions[nregions].uva = m->u.mem.r[i].uva;
		regions[nregions].map = (uint8_t *)p + m->u.mem.r[i].offset;
		nregions++;
	}
	for (unsigned q = 0; q < NQ; q++) {
		ring_map(&rings[q]);
	}
}

static void set_fd(int *slot, const struct msg *m, const int *fds,
		   unsigned nfds)
{
	if (*slot >= 0) {
		close(*slot);
	}
	*slot = (m->u.u64 & 0x100) || nfds < 1 ? -1 : fds[0];
}

/* The delayed enable: applied delay_ms after it arrived, not before. */
static void set_enable(const struct msg *m)
{
	unsigned q = m->u.state.index;
	struct timespec ts = { delay_ms / 1000, (delay_ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&lock);
	if (q < NQ) {
		rings[q].enabled = m->u.state.num != 0;
	}
	pthread_mutex_unlock(&lock);
}

/* The faults of --fault at the first SET_VRING_ENABLE. */
static void misbehave(int sock, struct msg *m)
{
	uint64_t v = 0;

	fprintf(stderr, "race-backend: fault %s\n", fault);
	if (!strcmp(fault, "garbage")) {
		reply(sock, m, &v, 3);
	} else if (!strcmp(fault, "wrong-id")) {
		m->request = GET_FEATURES;
		reply(sock, m, &v, 8);
	}
	fault = ""; /* silent: no reply at all */
}

static void handle(int sock, struct msg *m, int *fds, unsigned nfds)
{
	unsigned q = m->u.state.index & 0xff;
	uint64_t v;
	struct {
		uint32_t index, num;
	} st;

	if (m->request == SET_VRING_ENABLE && *fault && strcmp(fault, "die")) {
		misbehave(sock, m);
		return;
	}
	if (m->request == SET_VRING_ENABLE) {
		set_enable(m);
	}
	pthread_mutex_lock(&lock);
	switch (m->request) {
	case GET_FEATURES:
		v = (1ull << 32) | (1ull << 30);
		reply(sock, m, &v, 8);
		break;
	case GET_PROTOCOL_FEATURES:
		v = (1ull << PROTO_MQ) |
		    (reply_ack ? 1ull << PROTO_REPLY_ACK : 0) |
		    (backend_req ? 1ull << PROTO_BACKEND_REQ : 0) |
		    (refuse_features ? 1ull << PROTO_STATUS : 0);
		reply(sock, m, &v, 8);
		break;
	case GET_QUEUE_NUM:
		v = NQ;
		reply(sock, m, &v, 8);
		break;
	case SET_MEM_TABLE:
		set_mem_table(m, fds, nfds);
		nfds = 0;
		break;
	case SET_VRING_NUM:
		if (q < NQ) {
			rings[q].num = m->u.state.num ? m->u.state.num : 1;
		}
		break;
	case SET_VRING_BASE:
		if (q < NQ) {
			rings[q].last_avail = m->u.state.num;
		}
		break;
	case SET_VRING_ADDR:
		if (m->u.addr.index < NQ) {
			struct ring *r = &rings[m->u.addr.index];

			r->desc_uva = m->u.addr.desc;
			r->used_uva = m->u.addr.used;
			r->avail_uva = m->u.addr.avail;
			ring_map(r);
		}
		break;
	case SET_VRING_KICK:
		if (q < NQ) {
			set_fd(&rings[q].kick, m, fds, nfds);
			rings[q].started = true;
			nfds = 0;
		}
		break;
	case SET_VRING_CALL:
		if (q < NQ) {
			set_fd(&rings[q].call, m, fds, nfds);
			nfds = 0;
		}
		break;
	case SET_STATUS:
		fprintf(stderr, "race-backend: status 0x%llx\n",
			(unsigned long long)m->u.u64);
		status = m->u.u64 & ~(uint64_t)STATUS_FEATURES_OK;
		break;
	case GET_STATUS:
		reply(sock, m, &status, 8);
		break;
	case SET_BACKEND_REQ_FD:
		if (nfds == 1 && chan_fd < 0) {
			chan_fd = fds[0];
			nfds = 0;
		}
		break;
	case GET_VRING_BASE:
		st.index = q;
		st.num = q < NQ ? rings[q].last_avail : 0;
		if (q < NQ) {
			rings[q].started = false;
			rings[q].enabled = false;
		}
		reply(sock, m, &st, sizeof(st));
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&lock);
	for (unsigned i = 0; i < nfds; i++) {
		close(fds[i]);
	}
	if ((m->flags & FLAG_NEED_REPLY) && reply_ack &&
	    m->request != GET_FEATURES && m->request != GET_PROTOCOL_FEATURES &&
	    m->request != GET_QUEUE_NUM && m->request != GET_VRING_BASE &&
	    m->request != GET_STATUS) {
		v = 0;
		reply(sock, m, &v, 8);
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s, 1) < 0) {
		perror(path);
		exit(1);
	}
	return s;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	pthread_t t;
	struct msg m;
	int fds[8], ls, sock;
	unsigned nfds;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-reply-ack")) {
			reply_ack = false;
		} else if (!strcmp(argv[i], "--backend-req")) {
			backend_req = true;
		} else if (!strcmp(argv[i], "--refuse-features")) {
			refuse_features = true;
		} else if (!strncmp(argv[i], "--fault=", 8)) {
			fault = argv[i] + 8;
		} else if (!strncmp(argv[i], "--delay-ms=", 11)) {
			delay_ms = (unsigned)atoi(argv[i] + 11);
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		fprintf(stderr,
			"usage: %s [--no-reply-ack] [--delay-ms=N] [--fault=MODE] "
			"[--backend-req] [--refuse-features] SOCKET\n",
			argv[0]);
		return 2;
	}
	for (unsigned q = 0; q < NQ; q++) {
		rings[q].kick = rings[q].call = -1;
	}
	ls = listen_on(path);
	sock = accept(ls, NULL, NULL);
	if (sock < 0) {
		return 1;
	}
	pthread_create(&t, NULL, kick_thread, NULL);
	while (read_msg(sock, &m, fds, &nfds) == 0) {
		handle(sock, &m, fds, nfds);
	}
	fprintf(stderr,
		"race-backend: frontend gone: %lu answered, %lu "
		"dropped\n",
		answered, dropped);
	return 0;
}
