/* check_icmp: vrrp_check's "icmp ADDRESS" — up when an echo reply to this
 * run's request comes back within the timeout.
 *
 * How: an unprivileged datagram ICMP socket (socket(AF_INET, SOCK_DGRAM,
 * IPPROTO_ICMP), allowed by net.ipv4.ping_group_range; the kernel picks the
 * ID and hands us only our replies), else a raw ICMP socket (root or
 * CAP_NET_RAW; every ICMP message arrives, so ID and sequence are matched).
 * IPv6 the same with ICMPv6. A socket per run: nothing stays open between
 * runs. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check/probe.h"

static uint16_t icmp_seq;

static void icmp_readable(void *arg, uint32_t events)
{
	struct probe *p = arg;
	uint8_t buf[1500];
	bool v6 = p->c->addr.family == AF_INET6;

	(void)events;
	for (int k = 0; k < 64; k++) { /* bounded: a raw socket sees every ICMP message */
		ssize_t n = recv(p->h.fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return; /* EAGAIN; an ICMP error is not an answer: wait for the timeout */
		if (hcheck_icmp_is_reply(buf, (size_t)n, v6, p->raw && !v6, p->raw, p->id,
					 p->seq)) {
			probe_finish(p, true, "echo reply");
			return;
		}
	}
}

static int icmp_socket(struct probe *p, bool v6)
{
	int fam = v6 ? AF_INET6 : AF_INET, proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	p->raw = false;
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		fd = socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
		p->raw = true;
	}
	return fd;
}

int probe_icmp_start(struct probe *p)
{
	bool v6 = p->c->addr.family == AF_INET6;
	struct sockaddr_storage ss;
	socklen_t sl = probe_sockaddr(&p->c->addr, 0, &ss);
	uint8_t pkt[HCHECK_ICMP_LEN];
	int fd = icmp_socket(p, v6);
	if (fd < 0)
		return -1;
	p->id = (uint16_t)(getpid() ^ (uintptr_t)p);
	p->seq = ++icmp_seq;
	hcheck_icmp_build(pkt, v6, p->id, p->seq);
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&ss, sl) < 0)
		p->early_err = errno; /* e.g. no route: told from the loop */
	return probe_watch(p, fd, icmp_readable, EPOLLIN);
}
