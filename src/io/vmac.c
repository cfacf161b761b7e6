/* vmac: macvlan interfaces with the virtual router's MAC. */
#include "io/vmac.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <string.h>

#include "io/log.h"

struct nl_sock *vmac_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

void vmac_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

static void vmac_err(char *err, size_t len, const char *what, int nlerr)
{
	snprintf(err, len, "%s: %s", what, nl_geterror(nlerr));
}

int vmac_delete(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *l = rtnl_link_alloc();
	int rc;

	if (!l)
		return -1;
	rtnl_link_set_name(l, name);
	rc = rtnl_link_delete(sk, l);
	rtnl_link_put(l);
	return rc < 0 && rc != -NLE_NODEV && rc != -NLE_OBJ_NOTFOUND ? -1 : 0;
}

/* An interface called NAME that an earlier run left: a macvlan on our
 * parent is ours to remove; anything else is somebody else's. */
static int vmac_clear_stale(struct nl_sock *sk, const char *name, int parent_ifindex, char *err,
			    size_t errlen)
{
	struct rtnl_link *old = NULL;
	int rc = rtnl_link_get_kernel(sk, 0, name, &old);

	if (rc < 0)
		return 0; /* no such interface */
	bool ours = rtnl_link_is_macvlan(old) && rtnl_link_get_link(old) == parent_ifindex;
	rtnl_link_put(old);
	if (!ours) {
		snprintf(err, errlen, "%s exists and is not a macvlan on the instance's interface",
			 name);
		errno = EEXIST;
		return -1;
	}
	log_warnx("%s: removing the virtual MAC interface left by an earlier run", name);
	return vmac_delete(sk, name);
}

/* Per-device IPv4 settings through rtnetlink (IFLA_INET_CONF), not
 * /proc/sys: the systemd unit's ProtectKernelTunables keeps /proc/sys
 * read-only, and libnl-route owns per-device settings. KEYS/VALS hold N
 * IPV4_DEVCONF_* entries; OLD (may be NULL) receives their values before. */
static int vmac_devconf(struct nl_sock *sk, const char *ifname, const unsigned *keys,
			const uint32_t *vals, uint32_t *old, size_t n)
{
	struct rtnl_link *cur = NULL, *chg = rtnl_link_alloc();
	int rc = -1;

	if (!chg || rtnl_link_get_kernel(sk, 0, ifname, &cur) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (old && rtnl_link_inet_get_conf(cur, keys[i], &old[i]) < 0)
			goto out;
		/* IPV4_DEVCONF_* are 1-based in libnl's API as in the kernel's. */
		if (rtnl_link_inet_set_conf(chg, keys[i], vals[i]) < 0)
			goto out;
	}
	rc = rtnl_link_change(sk, cur, chg, 0) < 0 ? -1 : 0;
out:
	rtnl_link_put(cur);
	rtnl_link_put(chg);
	return rc;
}

/* The ARP settings that keep the parent from answering for VIPs that live
 * on the virtual MAC interface. */
static void vmac_arp_settings(struct nl_sock *sk, const char *name, const char *parent,
			      struct vmac_parent_saved *saved)
{
	static const unsigned vkeys[] = {IPV4_DEVCONF_ARP_IGNORE, IPV4_DEVCONF_ACCEPT_LOCAL,
					 IPV4_DEVCONF_RP_FILTER};
	static const uint32_t vvals[] = {1, 1, 0};
	static const unsigned pkeys[] = {IPV4_DEVCONF_ARP_IGNORE, IPV4_DEVCONF_ARP_ANNOUNCE};
	static const uint32_t pvals[] = {1, 2};
	uint32_t old[2];

	if (vmac_devconf(sk, name, vkeys, vvals, NULL, 3) < 0)
		log_warnx("%s: cannot set its ARP settings (arp_ignore, accept_local, rp_filter)",
			  name);
	if (!saved || saved->saved)
		return;
	if (vmac_devconf(sk, parent, pkeys, pvals, old, 2) < 0) {
		log_warnx("%s: cannot set arp_ignore/arp_announce", parent);
		return;
	}
	saved->arp_ignore = (int)old[0];
	saved->arp_announce = (int)old[1];
	saved->saved = true;
}

/* IPv6 address generation off, then up. */
static int vmac_up(struct nl_sock *sk, const char *name)
{
	struct rtnl_link *cur = NULL, *chg = rtnl_link_alloc();
	int rc = -NLE_NOMEM;

	if (chg && (rc = rtnl_link_get_kernel(sk, 0, name, &cur)) >= 0) {
		rtnl_link_inet6_set_addr_gen_mode(chg, IN6_ADDR_GEN_MODE_NONE);
		rc = rtnl_link_change(sk, cur, chg, 0);
		if (rc >= 0) {
			rtnl_link_put(chg);
			chg = rtnl_link_alloc();
			if (!chg) {
				rc = -NLE_NOMEM;
			} else {
				rtnl_link_set_flags(chg, IFF_UP);
				rc = rtnl_link_change(sk, cur, chg, 0);
			}
		}
	}
	rtnl_link_put(cur);
	rtnl_link_put(chg);
	return rc;
}

int vmac_create(struct nl_sock *sk, const char *name, const char *parent, int parent_ifindex,
		const uint8_t mac[6], int *ifindex, struct vmac_parent_saved *saved, char *err,
		size_t errlen)
{
	struct rtnl_link *l;
	struct nl_addr *a;
	int rc;

	if (vmac_clear_stale(sk, name, parent_ifindex, err, errlen) < 0)
		return -1;
	l = rtnl_link_macvlan_alloc();
	a = nl_addr_build(AF_LLC, mac, 6);
	if (!l || !a) {
		snprintf(err, errlen, "out of memory");
		rtnl_link_put(l);
		nl_addr_put(a);
		return -1;
	}
	rtnl_link_set_name(l, name);
	rtnl_link_set_link(l, parent_ifindex);
	rtnl_link_set_addr(l, a);
	rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_BRIDGE);
	rc = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	nl_addr_put(a);
	rtnl_link_put(l);
	if (rc < 0) {
		vmac_err(err, errlen, "cannot create it", rc);
		errno = EINVAL;
		return -1;
	}
	*ifindex = (int)if_nametoindex(name);
	if (*ifindex <= 0) {
		snprintf(err, errlen, "created, but it has no index");
		return -1;
	}
	/* The kernel takes the address generation mode only on an existing
	 * link, and it must be set before the link goes up. */
	if ((rc = vmac_up(sk, name)) < 0) {
		vmac_err(err, errlen, "cannot set it up", rc);
		vmac_delete(sk, name);
		errno = EINVAL;
		return -1;
	}
	vmac_arp_settings(sk, name, parent, saved);
	return 0;
}

void vmac_restore_parent(struct nl_sock *sk, const char *parent,
			 const struct vmac_parent_saved *saved)
{
	static const unsigned keys[] = {IPV4_DEVCONF_ARP_IGNORE, IPV4_DEVCONF_ARP_ANNOUNCE};

	if (!saved->saved)
		return;
	uint32_t vals[] = {(uint32_t)saved->arp_ignore, (uint32_t)saved->arp_announce};
	if (vmac_devconf(sk, parent, keys, vals, NULL, 2) < 0)
		log_warnx("%s: cannot restore arp_ignore/arp_announce", parent);
}
