/* nl_addr: VIP, route and rule changes through rtnetlink, batched with
 * libmnl.
 *
 * Promises: changes are queued, then nl_addr_commit sends all of them to
 * the kernel as one batch in one sendmsg, each message with its own
 * sequence number so an error names its address, route or rule and its
 * owner; the acks are drained before it returns (the kernel handles the
 * batch inside sendmsg, so this does not wait on the network). The socket
 * joins no multicast group. Adding what is already there, or removing what
 * is not, is not an error. Routes and rules carry protocol "keepalived"
 * (RTPROT_KEEPALIVED), as keepalived marks its own. Every batch sent is
 * counted: its messages, and the time from before its sendmsg to after its
 * last ack (CLOCK_MONOTONIC, two clock reads per batch). */
#ifndef VRRPD_NL_ADDR_H
#define VRRPD_NL_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/addr.h"
#include "core/health.h"
#include "core/route.h"

struct mnl_socket;
struct nl_addr_op;

struct nl_addr_sock {
	struct mnl_socket *nl;
	unsigned portid;
	unsigned seq;
	char *buf; /* the batch being built */
	size_t cap, len;
	struct nl_addr_op *ops; /* one per queued message */
	size_t nops, opcap;
	/* Every batch sent: its messages, and µs from send to the last ack. */
	struct health_stat batch_msgs, batch_us;
};

int nl_addr_open(struct nl_addr_sock *n);
void nl_addr_close(struct nl_addr_sock *n);
/* Queues adding or removing vip on ifindex. who names the owner in error
 * messages and *failed (may be NULL) is incremented if the change fails;
 * both must stay valid until the commit. Returns 0, or -1 when out of
 * memory (then the change is logged as failed and not queued). */
int nl_addr_queue(struct nl_addr_sock *n, bool add, const struct vip *vip, int ifindex,
		  const char *who, int *failed);
/* Queues adding or removing a route whose device is IFINDEX (0 = none:
 * blackhole and the like), or a rule; as nl_addr_queue. */
int nl_addr_queue_route(struct nl_addr_sock *n, bool add, const struct vroute *r, int ifindex,
			const char *who, int *failed);
int nl_addr_queue_rule(struct nl_addr_sock *n, bool add, const struct vrule *r, const char *who,
		       int *failed);
/* Sends the queued changes in one batch; returns how many failed. */
int nl_addr_commit(struct nl_addr_sock *n);
/* Queues vips[i] on ifindex[i] and commits: one instance's whole set. */
int nl_addr_apply(struct nl_addr_sock *n, bool add, const struct vip *vips, const int *ifindex,
		  size_t nvip, const char *who);

#endif
