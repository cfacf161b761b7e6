/* sock: raw VRRP sockets. */
#include "io/sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/pkt.h"

int sock_open_ip4(const char *ifname, int ifindex)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	int ttl = VRRP_TTL, off = 0, rcvbuf = 1 << 20;
	int tos = 0xc0; /* precedence Internetwork Control, as keepalived sends */
	struct ip_mreqn mr = {.imr_ifindex = ifindex};
	int e;

	if (fd < 0)
		return -1;
	inet_pton(AF_INET, VRRP_MCAST4, &mr.imr_multiaddr);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		goto fail;
	/* Arrival times, so a Master_Down_Timer starts when the advert arrived,
	 * not when the loop got to it. */
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	/* A larger receive buffer rides out bursts from many instances. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

ssize_t sock_recv(int fd, uint8_t *buf, size_t cap, uint64_t *rx_real)
{
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.buf,
			    .msg_controllen = sizeof(cbuf.buf)};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	if (rx_real)
		*rx_real = 0;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); n > 0 && rx_real && cm;
	     cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
			*rx_real = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
		}
	}
	return n;
}

int sock_send_ip4(int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
		  const void *msg, size_t len)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = dst->u.v4};
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = len};
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = {.msg_name = &to,
			    .msg_namelen = sizeof(to),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.buf,
			    .msg_controllen = sizeof(cbuf.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	struct in_pktinfo pi = {.ipi_ifindex = ifindex, .ipi_spec_dst = src->u.v4};

	memset(cbuf.buf, 0, sizeof(cbuf.buf));
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	return sendmsg(fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}
