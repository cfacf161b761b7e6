/* filter: Accept_Mode's packet filter (conformance 56), through
 * libnftables.
 *
 * Promises: filter_open() builds vrrpd's own table, `inet vrrpd`, from
 * scratch (one left by a crashed run is replaced): an input chain that
 * drops every packet addressed to an address in its sets vips4 / vips6,
 * except IPv6 Neighbour Solicitations and Advertisements (the RFC keeps ND
 * working whatever Accept_Mode says). The sets start empty, so the table
 * changes nothing until a non-owner master with Accept_Mode off puts its
 * VIPs in them. Changes are queued and sent as one nftables transaction by
 * filter_commit(). filter_close() removes the table. Nothing else of the
 * host's rule set is read or touched. */
#ifndef VRRPD_FILTER_H
#define VRRPD_FILTER_H

#include <stdbool.h>

#include "core/addr.h"

struct filter;

struct filter *filter_open(void);
void filter_close(struct filter *f);
/* Queues adding (ADD) or removing VIP from the drop sets. */
int filter_queue(struct filter *f, bool add, const struct vaddr *vip);
/* Removes a table left by a crashed run when no instance needs one now. */
void filter_clear_stale(void);
/* Sends what was queued; returns 0, or -1 (logged with nftables' message). */
int filter_commit(struct filter *f);

#endif
