/* nl_addr: batched VIP, route and rule changes with libmnl. */
#include "io/nl_addr.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "io/log.h"
#include "io/loop.h"

#define NL_ADDR_MSG_MAX 256 /* generous upper bound of one address, route or rule message */
#ifndef RTPROT_KEEPALIVED
#define RTPROT_KEEPALIVED 18
#endif

enum nl_op_kind { NL_OP_ADDR, NL_OP_ROUTE, NL_OP_RULE };

struct nl_addr_op {
	enum nl_op_kind kind;
	const struct vip *vip; /* NL_OP_ADDR */
	const struct vroute *route;
	const struct vrule *rule;
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

/* "192.0.2.100/24 to eth0", "route 198.51.100.0/24", "rule from 192.0.2.0/24". */
static const char *nl_op_what(const struct nl_addr_op *op, char *buf, size_t len)
{
	char a[ADDR_STRLEN], ifn[IF_NAMESIZE];

	switch (op->kind) {
	case NL_OP_ADDR:
		if (!if_indextoname((unsigned)op->ifindex, ifn))
			strcpy(ifn, "?");
		snprintf(buf, len, "%s/%u %s %s", addr_str(&op->vip->addr, a), op->vip->prefix,
			 op->add ? "to" : "from", ifn);
		break;
	case NL_OP_ROUTE:
		snprintf(buf, len, "route %s/%u", addr_str(&op->route->dst, a), op->route->dst_len);
		break;
	case NL_OP_RULE:
		if (op->rule->has_from)
			snprintf(buf, len, "rule from %s/%u", addr_str(&op->rule->from, a),
				 op->rule->from_len);
		else if (op->rule->has_to)
			snprintf(buf, len, "rule to %s/%u", addr_str(&op->rule->to, a),
				 op->rule->to_len);
		else
			snprintf(buf, len, "rule (table %u)", (unsigned)op->rule->table);
		break;
	}
	return buf;
}

static void nl_addr_fail(const struct nl_addr_op *op, int err)
{
	char what[160];

	if (op->failed)
		(*op->failed)++;
	log_errx("%s: cannot %s %s: %s", op->who, op->add ? "add" : "remove",
		 nl_op_what(op, what, sizeof(what)), strerror(err));
}

static void nl_route_msg(struct nlmsghdr *nlh, bool add, const struct vroute *r, int ifindex)
{
	static const uint8_t types[] = {[VROUTE_UNICAST] = RTN_UNICAST,
					[VROUTE_BLACKHOLE] = RTN_BLACKHOLE,
					[VROUTE_UNREACHABLE] = RTN_UNREACHABLE,
					[VROUTE_PROHIBIT] = RTN_PROHIBIT};
	struct rtmsg *rt;
	size_t alen = r->family == AF_INET ? 4 : 16;
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;

	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtm_family = r->family;
	rt->rtm_dst_len = r->dst_len;
	rt->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rt->rtm_protocol = RTPROT_KEEPALIVED;
	rt->rtm_type = types[r->type];
	rt->rtm_scope = r->has_scope				  ? r->scope
			: r->type != VROUTE_UNICAST || r->has_via ? RT_SCOPE_UNIVERSE
								  : RT_SCOPE_LINK;
	if (r->onlink)
		rt->rtm_flags |= RTNH_F_ONLINK;
	if (table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->dst_len)
		mnl_attr_put(nlh, RTA_DST, alen, r->dst.u.b);
	if (r->has_src)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, r->src.u.b);
	if (r->has_via)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->via.u.b);
	if (ifindex > 0 && r->type == VROUTE_UNICAST)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	if (r->has_metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
}

static void nl_rule_msg(struct nlmsghdr *nlh, bool add, const struct vrule *r)
{
	static const uint8_t actions[] = {[VRULE_TABLE] = FR_ACT_TO_TBL,
					  [VRULE_BLACKHOLE] = FR_ACT_BLACKHOLE,
					  [VRULE_UNREACHABLE] = FR_ACT_UNREACHABLE,
					  [VRULE_PROHIBIT] = FR_ACT_PROHIBIT};
	struct fib_rule_hdr *fr;
	size_t alen = r->family == AF_INET ? 4 : 16;
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;

	nlh->nlmsg_type = add ? RTM_NEWRULE : RTM_DELRULE;
	/* A rule added twice is two rules: EXCL makes the second an EEXIST. */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	fr = mnl_nlmsg_put_extra_header(nlh, sizeof(*fr));
	fr->family = r->family;
	fr->action = actions[r->action];
	fr->src_len = r->has_from ? r->from_len : 0;
	fr->dst_len = r->has_to ? r->to_len : 0;
	if (r->action == VRULE_TABLE) {
		fr->table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, table);
	}
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTPROT_KEEPALIVED);
	if (r->has_from)
		mnl_attr_put(nlh, FRA_SRC, alen, r->from.u.b);
	if (r->has_to)
		mnl_attr_put(nlh, FRA_DST, alen, r->to.u.b);
	if (r->has_priority)
		mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
	if (r->has_fwmark) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, r->fwmark);
		if (r->fwmask)
			mnl_attr_put_u32(nlh, FRA_FWMASK, r->fwmask);
	}
	if (r->iif[0])
		mnl_attr_put_strz(nlh, FRA_IFNAME, r->iif);
	if (r->oif[0])
		mnl_attr_put_strz(nlh, FRA_OIFNAME, r->oif);
}

/* Room for one more message and its op; false when out of memory. */
static bool nl_addr_room(struct nl_addr_sock *n)
{
	if (n->len + MNL_ALIGN(NL_ADDR_MSG_MAX) > n->cap) {
		size_t cap = n->cap ? 2 * n->cap : 64 * MNL_ALIGN(NL_ADDR_MSG_MAX);
		char *b = realloc(n->buf, cap);
		if (!b)
			return false;
		n->buf = b;
		n->cap = cap;
	}
	if (n->nops == n->opcap) {
		size_t cap = n->opcap ? 2 * n->opcap : 64;
		struct nl_addr_op *o = realloc(n->ops, cap * sizeof(*o));
		if (!o)
			return false;
		n->ops = o;
		n->opcap = cap;
	}
	return true;
}

static int nl_addr_push(struct nl_addr_sock *n, const struct nl_addr_op *op)
{
	if (!nl_addr_room(n)) {
		nl_addr_fail(op, ENOMEM);
		return -1;
	}
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(n->buf + n->len);
	nlh->nlmsg_seq = n->seq + 1 + (unsigned)n->nops;
	switch (op->kind) {
	case NL_OP_ADDR:
		nl_addr_msg(nlh, op->add, op->vip, op->ifindex);
		break;
	case NL_OP_ROUTE:
		nl_route_msg(nlh, op->add, op->route, op->ifindex);
		break;
	case NL_OP_RULE:
		nl_rule_msg(nlh, op->add, op->rule);
		break;
	}
	n->len += MNL_ALIGN(nlh->nlmsg_len);
	n->ops[n->nops++] = *op;
	return 0;
}

int nl_addr_queue_route(struct nl_addr_sock *n, bool add, const struct vroute *r, int ifindex,
			const char *who, int *failed)
{
	struct nl_addr_op op = {.kind = NL_OP_ROUTE,
				.route = r,
				.ifindex = ifindex,
				.add = add,
				.who = who,
				.failed = failed};
	return nl_addr_push(n, &op);
}

int nl_addr_queue_rule(struct nl_addr_sock *n, bool add, const struct vrule *r, const char *who,
		       int *failed)
{
	struct nl_addr_op op = {
	    .kind = NL_OP_RULE, .rule = r, .add = add, .who = who, .failed = failed};
	return nl_addr_push(n, &op);
}

int nl_addr_queue(struct nl_addr_sock *n, bool add, const struct vip *vip, int ifindex,
		  const char *who, int *failed)
{
	struct nl_addr_op op = {.kind = NL_OP_ADDR,
				.vip = vip,
				.ifindex = ifindex,
				.add = add,
				.who = who,
				.failed = failed};
	return nl_addr_push(n, &op);
}

/* One read of acks: BUF holds LEN bytes from the socket. An ack for one of
 * the NOPS messages whose sequence numbers start at FIRST counts; a failed
 * change is reported and added to *FAILED. Returns how many acks it held.
 *
 * The framing is checked here rather than with mnl_nlmsg_ok(), which
 * compares (int)nlmsg_len with what is left: a length of 2^31 or more
 * passes it, and mnl_nlmsg_next() then steps outside the buffer. An ack
 * too short to hold its error code, or whose code is no negated errno,
 * answers its message as a failure (EPROTO), so that the commit still gets
 * one answer per message. */
static size_t nl_addr_acks(const struct nl_addr_sock *n, const void *buf, size_t len,
			   unsigned first, size_t nops, int *failed)
{
	const uint8_t *p = buf;
	size_t acked = 0;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t mlen = nlh->nlmsg_len, step = MNL_ALIGN(mlen);

		if (mlen < sizeof(struct nlmsghdr) || mlen > len)
			break;
		p += step < len ? step : len;
		len -= step < len ? step : len;
		if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != n->portid)
			continue;
		unsigned idx = nlh->nlmsg_seq - first;
		if (idx >= nops)
			continue;
		acked++;
		int err = EPROTO;
		if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct nlmsgerr)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			/* 0 or a negated errno; anything else (INT_MIN cannot
			 * even be negated) is no answer we understand. */
			if (e->error <= 0 && e->error > -4096)
				err = -e->error;
		}
		const struct nl_addr_op *op = &n->ops[idx];
		if (!err || (op->add && err == EEXIST && op->kind == NL_OP_RULE) ||
		    (!op->add &&
		     (err == EADDRNOTAVAIL || err == ENOENT || err == ENODEV || err == ESRCH)))
			continue;
		(*failed)++;
		nl_addr_fail(op, err);
	}
	return acked;
}

/* A batch of NOPS messages went out at T0 and is answered (or failed). */
static void nl_addr_count(struct nl_addr_sock *n, size_t nops, vtime_t t0)
{
	vtime_t t1 = loop_now();

	health_stat_add(&n->batch_msgs, nops);
	health_stat_add(&n->batch_us, t1 > t0 ? t1 - t0 : 0);
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
	vtime_t t0 = loop_now();
	if (mnl_socket_sendto(n->nl, n->buf, n->len) < 0) {
		int err = errno;
		nl_addr_count(n, nops, t0);
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
			nl_addr_count(n, nops, t0);
			log_err("netlink: ack read failed after %zu of %zu", acked, nops);
			return failed + (int)(nops - acked);
		}
		acked += nl_addr_acks(n, rbuf, (size_t)r, first, nops, &failed);
	}
	nl_addr_count(n, nops, t0);
	return failed;
}

int nl_addr_apply(struct nl_addr_sock *n, bool add, const struct vip *vips, const int *ifindex,
		  size_t nvip, const char *who)
{
	for (size_t i = 0; i < nvip; i++)
		nl_addr_queue(n, add, &vips[i], ifindex[i], who, NULL);
	return nl_addr_commit(n);
}
