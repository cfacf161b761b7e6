/* vmac: macvlan interfaces with the virtual router's MAC. */
#include "io/vmac.h"

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/route/link.h>
#include <netlink/route/link/inet6.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <string.h>

#include "io/log.h"
#include "io/sysctl.h"

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

/* The ARP settings that keep the parent from answering for VIPs that live
 * on the virtual MAC interface. */
static void vmac_sysctls(const char *name, const char *parent, struct vmac_parent_saved *saved)
{
	if (sysctl_set("ipv4", name, "arp_ignore", 1, NULL) < 0 ||
	    sysctl_set("ipv4", name, "accept_local", 1, NULL) < 0 ||
	    sysctl_set("ipv4", name, "rp_filter", 0, NULL) < 0)
		log_warn("%s: cannot set its ARP settings", name);
	sysctl_set("ipv6", name, "accept_dad", 0, NULL);
	if (saved && !saved->saved) {
		if (sysctl_set("ipv4", parent, "arp_ignore", 1, &saved->arp_ignore) < 0 ||
		    sysctl_set("ipv4", parent, "arp_announce", 2, &saved->arp_announce) < 0)
			log_warn("%s: cannot set arp_ignore/arp_announce", parent);
		else
			saved->saved = true;
	}
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
	rtnl_link_inet6_set_addr_gen_mode(l, IN6_ADDR_GEN_MODE_NONE);
	rtnl_link_set_flags(l, IFF_UP);
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
	vmac_sysctls(name, parent, saved);
	return 0;
}

void vmac_restore_parent(const char *parent, const struct vmac_parent_saved *saved)
{
	if (!saved->saved)
		return;
	sysctl_set("ipv4", parent, "arp_ignore", saved->arp_ignore, NULL);
	sysctl_set("ipv4", parent, "arp_announce", saved->arp_announce, NULL);
}
