/* nlfloor: the kernel's floor for installing many /32 addresses, the figure
 * vrrpd's vips700_install_ms is compared with (tests/bench/b_nlfloor.sh).
 * Not part of the daemon; built by the benchmark.
 *
 *   nlfloor IFNAME MODE <ADDRESSES
 *
 * adds the IPv4 addresses read from stdin (one dotted quad a line, at most
 * 100000) to IFNAME as /32s, with the flags vrrpd uses (NLM_F_CREATE |
 * NLM_F_REPLACE); the messages are built before the clock starts,
 * and prints "T_START T_DONE" (CLOCK_REALTIME, seconds with µs) on stdout:
 * T_START just before the first sendmsg, T_DONE when the kernel has
 * answered the last request. MODE:
 *   batch-ack    one sendmsg of N RTM_NEWADDR, each with NLM_F_ACK (vrrpd's way)
 *   batch-last   one sendmsg of N RTM_NEWADDR, NLM_F_ACK on the last only
 *                (netlink handles a batch in order: its ack means all done)
 *   each         N sendmsg, one request each, waiting for each ack
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define MSG_SPACE 64

static double nlfloor_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct mnl_socket *nlfloor_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int sz = 8 << 20, one = 1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlfloor: netlink socket");
		exit(1);
	}
	int fd = mnl_socket_get_fd(nl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0) {
		perror("nlfloor: SO_RCVBUFFORCE");
		exit(1);
	}
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

/* Append one RTM_NEWADDR for ADDR (host order) to BUF at OFF. */
static size_t nlfloor_put(char *buf, size_t off, int ifindex, uint32_t addr, unsigned seq, int ack)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + off);
	struct ifaddrmsg *ifa;
	uint32_t a = htonl(addr);

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | (ack ? NLM_F_ACK : 0);
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, &a);
	return off + nlh->nlmsg_len;
}

/* Read until WANT acks arrived; an error ack ends the program. */
static void nlfloor_acks(struct mnl_socket *nl, int want)
{
	static char rbuf[1 << 16];
	int got = 0;

	while (got < want) {
		ssize_t r = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		if (r < 0) {
			perror("nlfloor: recv");
			exit(1);
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, (int)r);
		     h = mnl_nlmsg_next(h, (int *)&r)) {
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (e->error) {
				fprintf(stderr, "nlfloor: request %u: %s\n", h->nlmsg_seq,
					strerror(-e->error));
				exit(1);
			}
			got++;
		}
	}
}

static void nlfloor_send(struct mnl_socket *nl, const char *buf, size_t len)
{
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		perror("nlfloor: send");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	enum { MAXN = 100000 };
	static uint32_t addrs[MAXN];
	char line[64];
	double t0, t1;
	int n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: nlfloor IFNAME batch-ack|batch-last|each <ADDRESSES\n");
		return 2;
	}
	int ifindex = (int)if_nametoindex(argv[1]);
	const char *mode = argv[2];
	while (n < MAXN && fgets(line, sizeof(line), stdin)) {
		struct in_addr a;
		line[strcspn(line, "\n")] = 0;
		if (inet_pton(AF_INET, line, &a) != 1) {
			fprintf(stderr, "nlfloor: not an IPv4 address: %s\n", line);
			return 2;
		}
		addrs[n++] = ntohl(a.s_addr);
	}
	if (ifindex == 0 || n < 2) {
		fprintf(stderr, "nlfloor: no interface %s, or fewer than 2 addresses\n", argv[1]);
		return 2;
	}
	char *buf = calloc((size_t)n, MSG_SPACE);
	struct mnl_socket *nl = nlfloor_open();
	size_t len = 0;
	int last = !strcmp(mode, "batch-last");
	for (int i = 0; i < n; i++)
		len =
		    nlfloor_put(buf, len, ifindex, addrs[i], (unsigned)i + 1, !last || i == n - 1);
	if (!strcmp(mode, "batch-ack") || last) {
		t0 = nlfloor_now();
		nlfloor_send(nl, buf, len);
		nlfloor_acks(nl, last ? 1 : n);
	} else if (!strcmp(mode, "each")) {
		t0 = nlfloor_now();
		for (size_t off = 0; off < len;) {
			const struct nlmsghdr *h = (const struct nlmsghdr *)(buf + off);
			nlfloor_send(nl, buf + off, h->nlmsg_len);
			nlfloor_acks(nl, 1);
			off += h->nlmsg_len;
		}
	} else {
		fprintf(stderr, "nlfloor: unknown mode %s\n", mode);
		return 2;
	}
	t1 = nlfloor_now();
	printf("%.6f %.6f\n", t0, t1);
	mnl_socket_close(nl);
	free(buf);
	return 0;
}
