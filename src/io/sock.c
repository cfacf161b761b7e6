/* sock: raw VRRP sockets. */
#include "io/sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/pkt.h"

/* What every VRRP socket gets: arrival times, so a Master_Down_Timer
 * starts when the advert arrived, not when the loop got to it, and a larger
 * receive buffer that rides out bursts from many instances. */
static void sock_common(int fd)
{
	int on = 1, rcvbuf = 1 << 20;

	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
}

static int sock_fail(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}

int sock_open_ip4(const char *ifname, int ifindex, const struct vaddr *group)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	int ttl = VRRP_TTL, off = 0;
	int tos = 0xc0; /* precedence Internetwork Control, as keepalived sends */
	struct ip_mreqn mr = {.imr_ifindex = ifindex};

	if (fd < 0)
		return -1;
	if (group && group->family == AF_INET)
		mr.imr_multiaddr = group->u.v4;
	else
		inet_pton(AF_INET, VRRP_MCAST4, &mr.imr_multiaddr);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return sock_fail(fd);
	sock_common(fd);
	return fd;
}

int sock_open_ip6(const char *ifname, int ifindex, const struct vaddr *group)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	int hops = VRRP_TTL, off = 0, on = 1, tclass = 0xc0;
	struct ipv6_mreq mr = {.ipv6mr_interface = (unsigned)ifindex};

	if (fd < 0)
		return -1;
	if (group && group->family == AF_INET6)
		mr.ipv6mr_multiaddr = group->u.v6;
	else
		inet_pton(AF_INET6, VRRP_MCAST6, &mr.ipv6mr_multiaddr);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof(tclass)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return sock_fail(fd);
	sock_common(fd);
	return fd;
}

int sock_open_tx(int family, const char *ifname, int ifindex)
{
	int fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	int hops = VRRP_TTL, off = 0, on = 1, tos = 0xc0;
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = {.len = 1, .filter = &drop};
	int rc;

	if (fd < 0)
		return -1;
	rc = setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) |
	     setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
	if (family == AF_INET) {
		struct ip_mreqn mr = {.imr_ifindex = ifindex};
		rc |= setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &hops, sizeof(hops)) |
		      setsockopt(fd, IPPROTO_IP, IP_TTL, &hops, sizeof(hops)) |
		      setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) |
		      setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off)) |
		      setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) |
		      setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &on, sizeof(on));
	} else {
		rc |= setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) |
		      setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) |
		      setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos)) |
		      setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off)) |
		      setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) |
		      setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof(on));
	}
	return rc ? sock_fail(fd) : fd;
}

int sock_join(int fd, int ifindex, const struct vaddr *group)
{
	if (group->family == AF_INET) {
		struct ip_mreqn mr = {.imr_multiaddr = group->u.v4, .imr_ifindex = ifindex};
		return setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
	}
	struct ipv6_mreq mr6 = {.ipv6mr_multiaddr = group->u.v6,
				.ipv6mr_interface = (unsigned)ifindex};
	return setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr6, sizeof(mr6));
}

static uint64_t sock_stamp(const struct cmsghdr *cm)
{
	struct timespec ts;

	memcpy(&ts, CMSG_DATA(cm), sizeof(ts));
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
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
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS)
			*rx_real = sock_stamp(cm);
	}
	return n;
}

ssize_t sock_recv6(int fd, uint8_t *buf, size_t cap, struct pkt_ip *ip, uint64_t *rx_real)
{
	struct sockaddr_in6 from;
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh = {.msg_name = &from,
			    .msg_namelen = sizeof(from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf.buf,
			    .msg_controllen = sizeof(cbuf.buf)};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);

	*rx_real = 0;
	memset(ip, 0, sizeof(*ip));
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0)
		return n;
	ip->src.family = AF_INET6;
	ip->src.u.v6 = from.sin6_addr;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
			*rx_real = sock_stamp(cm);
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT) {
			int hl;
			memcpy(&hl, CMSG_DATA(cm), sizeof(hl));
			ip->ttl = (uint8_t)hl;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			ip->dst.family = AF_INET6;
			ip->dst.u.v6 = pi.ipi6_addr;
		}
	}
	return n;
}

/* The IPv6 half of sock_msg_fill. */
static void sock_msg_fill6(struct sock_msg *m, struct msghdr *mh, int ifindex,
			   const struct vaddr *src, const struct vaddr *dst, int hops)
{
	struct cmsghdr *cm = (struct cmsghdr *)m->cbuf.buf;
	struct in6_pktinfo pi = {.ipi6_addr = src->u.v6, .ipi6_ifindex = (unsigned)ifindex};

	m->to.v6 = (struct sockaddr_in6){.sin6_family = AF_INET6, .sin6_addr = dst->u.v6};
	if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) || IN6_IS_ADDR_MULTICAST(&dst->u.v6))
		m->to.v6.sin6_scope_id = (uint32_t)ifindex;
	mh->msg_namelen = sizeof(m->to.v6);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	if (hops > 0 && hops != VRRP_TTL) {
		mh->msg_controllen += CMSG_SPACE(sizeof(int));
		cm = (struct cmsghdr *)(m->cbuf.buf + CMSG_SPACE(sizeof(pi)));
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_HOPLIMIT;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &hops, sizeof(hops));
	}
}

/* The IPv4 half of sock_msg_fill. */
static void sock_msg_fill4(struct sock_msg *m, struct msghdr *mh, int ifindex,
			   const struct vaddr *src, const struct vaddr *dst, int ttl)
{
	struct cmsghdr *cm = (struct cmsghdr *)m->cbuf.buf;
	struct in_pktinfo pi = {.ipi_ifindex = ifindex, .ipi_spec_dst = src->u.v4};

	m->to.v4 = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr = dst->u.v4};
	mh->msg_namelen = sizeof(m->to.v4);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	mh->msg_controllen = CMSG_SPACE(sizeof(pi));
	if (ttl > 0 && ttl != VRRP_TTL) { /* Linux takes IP_TTL per packet (ip_cmsg_send) */
		mh->msg_controllen += CMSG_SPACE(sizeof(int));
		cm = (struct cmsghdr *)(m->cbuf.buf + CMSG_SPACE(sizeof(pi)));
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_TTL;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &ttl, sizeof(ttl));
	}
}

void sock_msg_fill(struct sock_msg *m, struct msghdr *mh, int ifindex, const struct vaddr *src,
		   const struct vaddr *dst, const void *msg, size_t len, int ttl)
{
	memset(m->cbuf.buf, 0, sizeof(m->cbuf.buf));
	m->iov = (struct iovec){.iov_base = (void *)msg, .iov_len = len};
	*mh = (struct msghdr){
	    .msg_name = &m->to, .msg_iov = &m->iov, .msg_iovlen = 1, .msg_control = m->cbuf.buf};
	if (dst->family == AF_INET)
		sock_msg_fill4(m, mh, ifindex, src, dst, ttl);
	else
		sock_msg_fill6(m, mh, ifindex, src, dst, ttl);
}

int sock_send6(int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
	       const void *msg, size_t len, int hops)
{
	struct sock_msg m;
	struct msghdr mh;

	sock_msg_fill(&m, &mh, ifindex, src, dst, msg, len, hops);
	return sendmsg(fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

int sock_send_ip4(int fd, int ifindex, const struct vaddr *src, const struct vaddr *dst,
		  const void *msg, size_t len, int ttl)
{
	struct sock_msg m;
	struct msghdr mh;

	sock_msg_fill(&m, &mh, ifindex, src, dst, msg, len, ttl);
	return sendmsg(fd, &mh, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

void sock_send_batch(int fd, struct mmsghdr *mv, unsigned n, bool *ok)
{
	unsigned i = 0;

	while (i < n) {
		int r = sendmmsg(fd, mv + i, n - i, MSG_DONTWAIT);
		if (r <= 0) { /* mv[i] failed (errno set): the others still go */
			ok[i++] = false;
			continue;
		}
		for (unsigned k = i + (unsigned)r; i < k; i++)
			ok[i] = mv[i].msg_len == mv[i].msg_hdr.msg_iov[0].iov_len;
	}
}
