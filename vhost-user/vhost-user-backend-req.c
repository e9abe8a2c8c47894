/* SPDX-License-Identifier: MIT */
/* The backend's request channel (BACKEND_REQ): requests checked as strictly
 * as replies, CONFIG_CHANGE_MSG served, NEED_REPLY answered. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/vhost-user-backend/vhost-user-proto.h"
#include "vhost-user/vhost-user.h"

bool vhost_user_backend_req_open(struct vhost_user *vu)
{
	int sv[2];
	bool ok;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		vhost_user_break(vu, "socketpair: %s", strerror(errno));
		return false;
	}
	ok = vhost_user_request(vu, VUB_SET_BACKEND_REQ_FD, NULL, 0, sv[1],
				true);
	close(sv[1]);
	if (!ok) {
		close(sv[0]);
		return false;
	}
	vu->backend_fd = sv[0];
	return true;
}

void vhost_user_backend_req_close(struct vhost_user *vu)
{
	if (vu->backend_fd >= 0) {
		close(vu->backend_fd);
		vu->backend_fd = -1;
	}
}

/* A bad request: one line; the caller closes the channel. */
static bool vhost_user_backend_req_bad(struct vhost_user *vu, const char *fmt,
				       ...)
{
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	error_report("%s: vhost-user backend request channel closed: %s",
		     vu->name, why);
	shutdown(vu->backend_fd, SHUT_RDWR);
	return false;
}

/* Close every fd that came with a message (we negotiate no SEND_FD). */
static unsigned vhost_user_backend_req_drop_fds(struct msghdr *mh)
{
	unsigned n = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t nfd = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
			continue;
		}
		for (size_t i = 0; i < nfd; i++, n++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
	return n;
}

/*
 * The header, bounded by the timeout once its first byte is here:
 * 1 read, 0 EOF before it (the backend went away), -1 bad (logged).
 */
static int vhost_user_backend_req_header(struct vhost_user *vu,
					 struct vub_msg_hdr *hdr)
{
	int64_t deadline = vhost_user_now_ms() + vu->timeout_ms;
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	size_t done = 0;

	while (done < sizeof(*hdr)) {
		struct iovec iov = { (char *)hdr + done, sizeof(*hdr) - done };
		struct msghdr mh = { .msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		int r = vhost_user_poll(vu->backend_fd, POLLIN, deadline);
		ssize_t n;

		if (r == 0) {
			vhost_user_backend_req_bad(vu, "a partial header");
			return -1;
		}
		n = r < 0 ? 0 : recvmsg(vu->backend_fd, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (n <= 0) {
			if (done) {
				vhost_user_backend_req_bad(vu, "a partial "
							       "header");
				return -1;
			}
			return 0;
		}
		if (vhost_user_backend_req_drop_fds(&mh) ||
		    (mh.msg_flags & MSG_CTRUNC)) {
			vhost_user_backend_req_bad(vu, "file descriptors "
						       "we did not ask for");
			return -1;
		}
		done += n;
	}
	return 1;
}

static bool vhost_user_backend_req_ack(struct vhost_user *vu,
				       const struct vub_msg_hdr *req,
				       uint64_t ack)
{
	uint8_t wire[sizeof(struct vub_msg_hdr) + sizeof(ack)];
	struct vub_msg_hdr hdr = { req->request, VUB_VERSION | VUB_FLAG_REPLY,
				   sizeof(ack) };
	ssize_t n;

	memcpy(wire, &hdr, sizeof(hdr));
	memcpy(wire + sizeof(hdr), &ack, sizeof(ack));
	do {
		n = send(vu->backend_fd, wire, sizeof(wire),
			 MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(wire)) {
		return vhost_user_backend_req_bad(vu, "cannot answer "
						      "(backend not reading)");
	}
	return true;
}

bool vhost_user_backend_req_serve(struct vhost_user *vu,
				  vhost_user_config_changed_fn *config_changed,
				  void *opaque)
{
	struct vub_msg_hdr hdr;
	uint64_t ack;
	int r;

	if (vu->backend_fd < 0) {
		return false;
	}
	r = vhost_user_backend_req_header(vu, &hdr);
	if (r <= 0) {
		return false;
	}
	if ((hdr.flags & VUB_FLAG_VERSION_MASK) != VUB_VERSION ||
	    (hdr.flags & ~(VUB_FLAG_VERSION_MASK | VUB_FLAG_NEED_REPLY))) {
		return vhost_user_backend_req_bad(vu,
						  "request %u has bad flags "
						  "0x%x",
						  hdr.request, hdr.flags);
	}
	if (hdr.request != VUB_BACKEND_CONFIG_CHANGE_MSG) {
		return vhost_user_backend_req_bad(vu,
						  "request %u is not one we "
						  "serve",
						  hdr.request);
	}
	if (hdr.size != 0) {
		return vhost_user_backend_req_bad(vu,
						  "CONFIG_CHANGE_MSG has size "
						  "%u (expected 0)",
						  hdr.size);
	}
	ack = config_changed(opaque) ? 0 : 1;
	if (hdr.flags & VUB_FLAG_NEED_REPLY) {
		return vhost_user_backend_req_ack(vu, &hdr, ack);
	}
	return true;
}
