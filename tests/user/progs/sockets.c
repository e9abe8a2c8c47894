/* SPDX-License-Identifier: MIT */
/* Sockets over loopback: TCP with a thread, UDP, a unix socketpair passing
 * a descriptor with SCM_RIGHTS, epoll, poll, getsockopt. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int port;

static void *server(void *arg)
{
	int ls = *(int *)arg, c;
	char buf[64];
	ssize_t n;

	c = accept(ls, NULL, NULL);
	n = recv(c, buf, sizeof(buf), 0);
	for (ssize_t i = 0; i < n; i++) {
		buf[i] = (char)(buf[i] >= 'a' && buf[i] <= 'z' ? buf[i] - 32 :
								 buf[i]);
	}
	send(c, buf, (size_t)n, 0);
	close(c);
	return NULL;
}

int main(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	pthread_t t;
	char buf[64];
	int ls, cs, one = 1, val;

	setvbuf(stdout, NULL, _IONBF, 0);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	printf("bind %d\n", bind(ls, (struct sockaddr *)&addr, sizeof(addr)));
	printf("listen %d\n", listen(ls, 4));
	getsockname(ls, (struct sockaddr *)&addr, &len);
	port = ntohs(addr.sin_port);
	printf("port nonzero %d\n", port != 0);
	pthread_create(&t, NULL, server, &ls);
	cs = socket(AF_INET, SOCK_STREAM, 0);
	printf("connect %d\n",
	       connect(cs, (struct sockaddr *)&addr, sizeof(addr)));
	setsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	len = sizeof(val);
	getsockopt(cs, IPPROTO_TCP, TCP_NODELAY, &val, &len);
	printf("nodelay %d len %d\n", val != 0, (int)len);
	send(cs, "hello tcp", 9, 0);
	ssize_t n = recv(cs, buf, sizeof(buf), MSG_WAITALL);
	printf("tcp echo %zd '%.*s'\n", n, (int)n, buf);
	pthread_join(t, NULL);
	printf("eof %zd\n", recv(cs, buf, sizeof(buf), 0));
	close(cs);
	close(ls);

	/* UDP */
	int u1 = socket(AF_INET, SOCK_DGRAM, 0),
	    u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a1 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bind(u1, (struct sockaddr *)&a1, sizeof(a1));
	len = sizeof(a1);
	getsockname(u1, (struct sockaddr *)&a1, &len);
	sendto(u2, "datagram", 8, 0, (struct sockaddr *)&a1, sizeof(a1));
	struct sockaddr_in from;
	len = sizeof(from);
	n = recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	printf("udp %zd '%.*s' from loopback %d\n", n, (int)n, buf,
	       from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	close(u1);
	close(u2);

	/* socketpair + SCM_RIGHTS */
	int sv[2], p[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	struct iovec iov = { "fd!", 3 };
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl.b,
			      .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	printf("sendmsg %zd\n", sendmsg(sv[0], &msg, 0));
	char rb[8];
	struct iovec riov = { rb, sizeof(rb) };
	struct msghdr rmsg = { .msg_iov = &riov,
			       .msg_iovlen = 1,
			       .msg_control = ctl.b,
			       .msg_controllen = sizeof(ctl.b) };
	memset(ctl.b, 0, sizeof(ctl.b));
	n = recvmsg(sv[1], &rmsg, 0);
	cm = CMSG_FIRSTHDR(&rmsg);
	int passed = -1;
	if (cm && cm->cmsg_type == SCM_RIGHTS) {
		memcpy(&passed, CMSG_DATA(cm), sizeof(int));
	}
	printf("recvmsg %zd '%.3s' got fd %d\n", n, rb, passed >= 0);
	write(passed, "via passed fd", 13);
	n = read(p[0], buf, sizeof(buf));
	printf("pipe got '%.*s'\n", (int)n, buf);

	/* epoll and poll */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = 0x1122334455667788ull };
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
	struct epoll_event out[4];
	printf("epoll idle %d\n", epoll_wait(ep, out, 4, 10));
	write(sv[0], "x", 1);
	int k = epoll_wait(ep, out, 4, 1000);
	printf("epoll %d events %x data %llx\n", k, out[0].events,
	       (unsigned long long)out[0].data.u64);
	struct pollfd pfd = { sv[1], POLLIN, 0 };
	printf("poll %d revents %x\n", poll(&pfd, 1, 100), pfd.revents);
	close(ep);
	return 0;
}
