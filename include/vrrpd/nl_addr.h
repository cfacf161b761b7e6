/* nl_addr: VIP changes through rtnetlink, batched with libmnl.
 *
 * Promises: all VIPs of one call go to the kernel as one batch in one
 * sendmsg, each message with its own sequence number so an error names its
 * VIP; the acks are drained before returning (the kernel handles the batch
 * inside sendmsg, so this does not wait on the network). The socket joins no
 * multicast group. Adding an address that is already there, or removing one
 * that is not, is not an error. */
#ifndef VRRPD_NL_ADDR_H
#define VRRPD_NL_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "vrrpd/conf.h"

struct mnl_socket;

struct nl_addr_sock {
	struct mnl_socket *nl;
	unsigned portid;
	unsigned seq;
	char *buf;
	size_t cap;
};

int nl_addr_open(struct nl_addr_sock *n);
void nl_addr_close(struct nl_addr_sock *n);
/* Adds or removes vips[i] on ifindex[i]. who prefixes log lines. Returns
 * the number of addresses that failed (each one logged). */
int nl_addr_apply(struct nl_addr_sock *n, bool add, const struct conf_vip *vips, const int *ifindex,
		  size_t nvip, const char *who);

#endif
