/* nl_addr: batched VIP add/remove with libmnl. */
#include "vrrpd/nl_addr.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "vrrpd/log.h"

#define NL_ADDR_MSG_MAX 128 /* generous upper bound of one RTM_NEWADDR message */

int nl_addr_open(struct nl_addr_sock *n)
{
	int sz = 4 << 20;

	memset(n, 0, sizeof(*n));
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->nl || mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_err("netlink: cannot open a route socket: %s", strerror(errno));
		nl_addr_close(n);
		return -1;
	}
	/* Acks for a batch of thousands of VIPs must fit at once. */
	if (setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	int one = 1; /* error acks without the request echoed back */
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = (unsigned)time(NULL);
	return 0;
}

void nl_addr_close(struct nl_addr_sock *n)
{
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n->buf);
	memset(n, 0, sizeof(*n));
}

static void nl_addr_msg(struct nlmsghdr *nlh, bool add, const struct conf_vip *v, int ifindex)
{
	struct ifaddrmsg *ifa;
	size_t alen = addr_len(&v->addr);

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = v->addr.family;
	ifa->ifa_prefixlen = v->prefix;
	ifa->ifa_scope = v->scope;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, v->addr.u.b);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, v->addr.u.b);
	if (!add)
		return;
	if (v->has_brd && v->addr.family == AF_INET)
		mnl_attr_put(nlh, IFA_BROADCAST, 4, v->brd.u.b);
	if (v->label[0] && v->addr.family == AF_INET)
		mnl_attr_put_strz(nlh, IFA_LABEL, v->label);
	if (v->addr.family == AF_INET6) /* usable at once, no DAD (rfc-checklist pitfalls) */
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

int nl_addr_apply(struct nl_addr_sock *n, bool add, const struct conf_vip *vips, const int *ifindex,
		  size_t nvip, const char *who)
{
	size_t need = nvip * MNL_ALIGN(NL_ADDR_MSG_MAX);
	unsigned first, acked = 0;
	int failed = 0;
	char a[ADDR_STRLEN], ifn[IF_NAMESIZE];

	if (!nvip)
		return 0;
	if (need > n->cap) {
		char *b = realloc(n->buf, need);
		if (!b) {
			log_err("%s: out of memory for a netlink batch of %zu addresses", who, nvip);
			return (int)nvip;
		}
		n->buf = b;
		n->cap = need;
	}
	first = n->seq + 1;
	size_t off = 0;
	for (size_t i = 0; i < nvip; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(n->buf + off);
		nlh->nlmsg_seq = ++n->seq;
		nl_addr_msg(nlh, add, &vips[i], ifindex[i]);
		off += MNL_ALIGN(nlh->nlmsg_len);
	}
	if (mnl_socket_sendto(n->nl, n->buf, off) < 0) {
		log_err("%s: netlink send of %zu addresses failed: %s", who, nvip, strerror(errno));
		return (int)nvip;
	}
	/* Drain one ack per message; each error names its VIP by sequence. */
	char rbuf[MNL_SOCKET_BUFFER_SIZE];
	while (acked < nvip) {
		ssize_t r = mnl_socket_recvfrom(n->nl, rbuf, sizeof(rbuf));
		if (r < 0) {
			log_err("%s: netlink ack read failed after %u of %zu: %s", who, acked, nvip,
				strerror(errno));
			return failed + (int)(nvip - acked);
		}
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)rbuf;
		int len = (int)r;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != n->portid)
				continue;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			unsigned idx = nlh->nlmsg_seq - first;
			if (idx >= nvip)
				continue;
			acked++;
			int err = -e->error;
			if (!err || (!add && (err == EADDRNOTAVAIL || err == ENOENT || err == ENODEV)))
				continue;
			failed++;
			if (!if_indextoname((unsigned)ifindex[idx], ifn))
				strcpy(ifn, "?");
			log_err("%s: cannot %s %s/%u %s %s: %s", who, add ? "add" : "remove",
				addr_str(&vips[idx].addr, a), vips[idx].prefix, add ? "to" : "from",
				ifn, strerror(err));
		}
	}
	return failed;
}
