/* nl_link: what the kernel says about links and addresses, kept current by
 * libnl-route-3's cache manager (its fd sits in the event loop). Its event
 * socket has a large receive buffer; when the kernel still overruns it
 * (ENOBUFS: events were lost), both caches are refilled from a dump.
 *
 * Promises: lookups are answered from the caches without a round trip;
 * on_change is called after every batch of link/address notifications. */
#ifndef VRRPD_NL_LINK_H
#define VRRPD_NL_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "io/loop.h"

struct nl_sock;
struct nl_cache_mngr;
struct nl_cache;

struct nl_link {
	int ioctl_fd;		/* interface index, flags and MAC: asked of the kernel */
	struct nl_sock *events; /* the cache manager's event socket (ours: large buffer) */
	struct nl_sock *sync;	/* requests: refilling the caches after an overrun */
	struct nl_cache_mngr *mngr;
	struct nl_cache *links, *addrs;
	struct loop_fd lfd;
	void (*on_change)(void *arg);
	void *arg;
	bool addr_deleted; /* the last batch removed an address; the reader clears it */
};

int nl_link_open(struct nl_link *nl, struct loop *l, void (*on_change)(void *arg), void *arg);
void nl_link_close(struct nl_link *nl, struct loop *l);
/* 0 when there is no such interface. */
int nl_link_ifindex(struct nl_link *nl, const char *name);
/* Copies the link-layer address; returns 0 or -1. */
int nl_link_mac(struct nl_link *nl, int ifindex, uint8_t mac[6]);
/* The interface's MTU, or -1. */
int nl_link_mtu(struct nl_link *nl, int ifindex);
/* Administratively up with carrier. */
bool nl_link_running(struct nl_link *nl, int ifindex);
/* The interface's primary IPv4 address, skipping the given addresses (our
 * VIPs). Returns 0, or -1 when it has none. */
int nl_link_primary4(struct nl_link *nl, int ifindex, const struct vaddr *skip, size_t nskip,
		     struct vaddr *out);

/* The interface's IPv6 link-local address (fe80::/10, DAD finished), the
 * source of its IPv6 adverts (conformance 12), skipping the given addresses
 * (our VIPs: a link-local VIP is not the router's own). Returns 0, or -1
 * when it has none yet. */
int nl_link_linklocal6(struct nl_link *nl, int ifindex, const struct vaddr *skip, size_t nskip,
		       struct vaddr *out);

/* True when addr is configured on ifindex. */
bool nl_link_has_addr(struct nl_link *nl, int ifindex, const struct vaddr *addr);

#endif
