/* SPDX-License-Identifier: MIT */
/* Socket messages, epoll and pselect6: structures that carry pointers or
 * differ between riscv64 and the host. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "linux-user/syscall.h"

/* struct msghdr as riscv64 lays it out (the same as x86-64's). */
struct guest_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad1;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
	uint32_t pad2;
};

/* epoll_event is packed on x86-64 but naturally aligned on riscv64. */
struct guest_epoll_event {
	uint32_t events;
	uint32_t pad;
	uint64_t data;
};

static bool host_ptr(gva_t g, uint64_t len, void **out)
{
	if (!g) {
		*out = NULL;
		return true;
	}
	if (!user_range_ok(g, len)) {
		return false;
	}
	*out = g2h(g);
	return true;
}

static int64_t msg_call(const uint64_t *a, bool send)
{
	struct guest_msghdr g;
	struct msghdr h = { 0 };
	struct iovec *iov;
	int64_t r;

	if (!mm_copy_from_guest(&g, a[1], sizeof(g))) {
		return -EFAULT;
	}
	if (g.iovlen > 1024) {
		return -EMSGSIZE;
	}
	if (!host_ptr(g.name, g.namelen, &h.msg_name) ||
	    !host_ptr(g.control, g.controllen, &h.msg_control)) {
		return -EFAULT;
	}
	iov = calloc(g.iovlen ? g.iovlen : 1, sizeof(*iov));
	if (!iov) {
		return -ENOMEM;
	}
	for (uint64_t i = 0; i < g.iovlen; i++) {
		uint64_t gi[2];

		if (!mm_copy_from_guest(gi, g.iov + 16 * i, sizeof(gi)) ||
		    !host_ptr(gi[0], gi[1], &iov[i].iov_base)) {
			free(iov);
			return -EFAULT;
		}
		iov[i].iov_len = gi[1];
	}
	h.msg_namelen = g.namelen;
	h.msg_iov = iov;
	h.msg_iovlen = g.iovlen;
	h.msg_controllen = g.controllen;
	h.msg_flags = g.flags;
	r = safe_syscall(send ? SYS_sendmsg : SYS_recvmsg, (uint64_t)(int)a[0],
			 (uint64_t)(uintptr_t)&h, a[2], 0, 0, 0);
	free(iov);
	if (r >= 0 && !send) {
		g.namelen = h.msg_namelen;
		g.controllen = h.msg_controllen;
		g.flags = h.msg_flags;
		if (!mm_copy_to_guest(a[1], &g, sizeof(g))) {
			return -EFAULT;
		}
	}
	return r;
}

int64_t sys_sendmsg_fn(struct user_thread *thread, const uint64_t *a)
{
	return msg_call(a, true);
}

int64_t sys_recvmsg_fn(struct user_thread *thread, const uint64_t *a)
{
	return msg_call(a, false);
}

int64_t sys_epoll_ctl_fn(struct user_thread *thread, const uint64_t *a)
{
	struct guest_epoll_event g;
	struct epoll_event h;

	if (a[3]) {
		if (!mm_copy_from_guest(&g, a[3], sizeof(g))) {
			return -EFAULT;
		}
		h.events = g.events;
		h.data.u64 = g.data;
	}
	return user_ret(
		epoll_ctl((int)a[0], (int)a[1], (int)a[2], a[3] ? &h : NULL));
}

int64_t sys_epoll_pwait_fn(struct user_thread *thread, const uint64_t *a)
{
	int max = (int)a[2];
	struct epoll_event *h;
	void *mask;
	int64_t r;

	if (max <= 0 || max > 65536) {
		return -EINVAL;
	}
	if (!user_range_ok(a[1], (uint64_t)max * 16) ||
	    !host_ptr(a[4], 8, &mask)) {
		return -EFAULT;
	}
	h = calloc((size_t)max, sizeof(*h));
	if (!h) {
		return -ENOMEM;
	}
	r = safe_syscall(SYS_epoll_pwait, (uint64_t)(int)a[0],
			 (uint64_t)(uintptr_t)h, (uint64_t)max, a[3],
			 (uint64_t)(uintptr_t)mask, a[5]);
	for (int64_t i = 0; i < r; i++) {
		struct guest_epoll_event g = { h[i].events, 0, h[i].data.u64 };

		if (!mm_copy_to_guest(a[1] + 16 * (uint64_t)i, &g, sizeof(g))) {
			r = -EFAULT;
			break;
		}
	}
	free(h);
	return r;
}

int64_t sys_pselect6_fn(struct user_thread *thread, const uint64_t *a)
{
	void *sets[3], *ts;
	uint64_t sig[2];
	void *sigp = NULL;
	struct {
		void *set;
		uint64_t size;
	} hsig;

	for (int i = 0; i < 3; i++) {
		if (!host_ptr(a[1 + i], 128, &sets[i])) {
			return -EFAULT;
		}
	}
	if (!host_ptr(a[4], 16, &ts)) {
		return -EFAULT;
	}
	if (a[5]) {
		if (!mm_copy_from_guest(sig, a[5], sizeof(sig)) ||
		    !host_ptr(sig[0], 8, &hsig.set)) {
			return -EFAULT;
		}
		hsig.size = sig[1];
		sigp = &hsig;
	}
	return safe_syscall(SYS_pselect6, a[0], (uint64_t)(uintptr_t)sets[0],
			    (uint64_t)(uintptr_t)sets[1],
			    (uint64_t)(uintptr_t)sets[2],
			    (uint64_t)(uintptr_t)ts, (uint64_t)(uintptr_t)sigp);
}
