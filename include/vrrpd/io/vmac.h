/* vmac: virtual MAC interfaces (use_vmac), made and removed through
 * libnl-route-3.
 *
 * Promises: vmac_create() makes a macvlan interface NAME on PARENT with
 * MAC, in bridge mode (the parent keeps hearing peers' adverts, which come
 * from the same virtual MAC; docs: vrrpd(8)), with IPv6 address generation
 * off (no link-local derived from the virtual MAC: conformance 55) and no
 * duplicate address detection, and sets it up. An interface of that name
 * left by an earlier run is removed first; an interface of that name that
 * is not a macvlan on PARENT is left alone (-1, EEXIST). It then applies
 * what makes only the virtual MAC answer ARP and NS for the VIPs
 * (conformance 49, 53): on NAME arp_ignore 1, accept_local 1, rp_filter 0;
 * on PARENT arp_ignore 1 and arp_announce 2, whose previous values go to
 * *saved for vmac_restore_parent() (all through rtnetlink, so that a
 * read-only /proc/sys does not matter). vmac_delete() removes NAME (no error
 * when it is gone). All calls block for one netlink round trip: they run
 * at start, stop and reload, never on a transition. */
#ifndef VRRPD_VMAC_H
#define VRRPD_VMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl_sock;

struct vmac_parent_saved {
	bool saved;
	int arp_ignore, arp_announce;
};

struct nl_sock *vmac_open(void);
void vmac_close(struct nl_sock *sk);
/* Returns 0 and *ifindex, or -1 with errno and a reason in ERR. */
int vmac_create(struct nl_sock *sk, const char *name, const char *parent, int parent_ifindex,
		const uint8_t mac[6], int *ifindex, struct vmac_parent_saved *saved, char *err,
		size_t errlen);
int vmac_delete(struct nl_sock *sk, const char *name);
void vmac_restore_parent(struct nl_sock *sk, const char *parent,
			 const struct vmac_parent_saved *saved);

#endif
