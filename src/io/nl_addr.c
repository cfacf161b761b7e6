/* nl_addr: batched VIP add/remove with libmnl. */
#include "io/nl_addr.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "io/log.h"

#define NL_ADDR_MSG_MAX 128 /* generous upper bound of one RTM_NEWADDR message */

struct nl_addr_op {
	const struct vip *vip;
	int ifindex;
	bool add;
	const char *who;
	int *failed;
};

int nl_addr_open(struct nl_addr_sock *n)
{
	int sz = 4 << 20, one = 1;

	memset(n, 0, sizeof(*n));
	n->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!n->nl || mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_err("netlink: cannot open a route socket");
		nl_addr_close(n);
		return -1;
	}
	/* Acks for a batch of thousands of VIPs must fit at once. */
	int fd = mnl_socket_get_fd(n->nl);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	/* Error acks without the request echoed back. */
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
	free(n->ops);
	memset(n, 0, sizeof(*n));
}

static void nl_addr_msg(struct nlmsghdr *nlh, bool add, const struct vip *v, int ifindex)
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
	if (v->addr.family == AF_INET6) /* usable at once, no DAD (conformance 52) */
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
}

static void nl_addr_fail(const struct nl_addr_op *op, int err)
{
	char a[ADDR_STRLEN], ifn[IF_NAMESIZE];

	if (op->failed)
		(*op->failed)++;
	if (!if_indextoname((unsigned)op->ifindex, ifn))
		strcpy(ifn, "?");
	log_errx("%s: cannot %s %s/%u %s %s: %s", op->who, op->add ? "add" : "remove",
		 addr_str(&op->vip->addr, a), op->vip->prefix, op->add ? "to" : "from", ifn,
		 strerror(err));
}

int nl_addr_queue(struct nl_addr_sock *n, bool add, const struct vip *vip, int ifindex,
		  const char *who, int *failed)
{
	struct nl_addr_op op = {
	    .vip = vip, .ifindex = ifindex, .add = add, .who = who, .failed = failed};

	if (n->len + MNL_ALIGN(NL_ADDR_MSG_MAX) > n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 64 * MNL_ALIGN(NL_ADDR_MSG_MAX);
		char *b = realloc(n->buf, cap);
		if (!b)
			goto oom;
		n->buf = b;
		n->cap = cap;
	}
	if (n->nops == n->opcap) {
		size_t cap = n->opcap ? 2 * n->opcap : 64;
		struct nl_addr_op *o = realloc(n->ops, cap * sizeof(*o));
		if (!o)
			goto oom;
		n->ops = o;
		n->opcap = cap;
	}
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(n->buf + n->len);
	nlh->nlmsg_seq = n->seq + 1 + (unsigned)n->nops;
	nl_addr_msg(nlh, add, vip, ifindex);
	n->len += MNL_ALIGN(nlh->nlmsg_len);
	n->ops[n->nops++] = op;
	return 0;
oom:
	nl_addr_fail(&op, ENOMEM);
	return -1;
}

int nl_addr_commit(struct nl_addr_sock *n)
{
	size_t nops = n->nops, acked = 0;
	unsigned first = n->seq + 1;
	int failed = 0;
	char rbuf[MNL_SOCKET_BUFFER_SIZE];

	if (!nops)
		return 0;
	n->seq += (unsigned)nops;
	n->nops = 0;
	if (mnl_socket_sendto(n->nl, n->buf, n->len) < 0) {
		int err = errno;
		for (size_t i = 0; i < nops; i++)
			nl_addr_fail(&n->ops[i], err);
		n->len = 0;
		return (int)nops;
	}
	n->len = 0;
	/* Drain one ack per message; each error names its VIP by sequence. */
	while (acked < nops) {
		ssize_t r = mnl_socket_recvfrom(n->nl, rbuf, sizeof(rbuf));
		if (r < 0) {
			log_err("netlink: ack read failed after %zu of %zu", acked, nops);
			return failed + (int)(nops - acked);
		}
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)rbuf;
		int len = (int)r;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != n->portid)
				continue;
			unsigned idx = nlh->nlmsg_seq - first;
			if (idx >= nops)
				continue;
			acked++;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			int err = -e->error;
			const struct nl_addr_op *op = &n->ops[idx];
			if (!err ||
			    (!op->add && (err == EADDRNOTAVAIL || err == ENOENT || err == ENODEV)))
				continue;
			failed++;
			nl_addr_fail(op, err);
		}
	}
	return failed;
}

int nl_addr_apply(struct nl_addr_sock *n, bool add, const struct vip *vips, const int *ifindex,
		  size_t nvip, const char *who)
{
	for (size_t i = 0; i < nvip; i++)
		nl_addr_queue(n, add, &vips[i], ifindex[i], who, NULL);
	return nl_addr_commit(n);
}
