/* nl_link: libnl-route-3 link and address caches. */
#include "io/nl_link.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/cache.h>
#include <netlink/errno.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/socket.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <unistd.h>

#include "io/log.h"

static void nl_link_cache_change(struct nl_cache *cache, struct nl_object *obj, int action,
				 void *arg)
{
	struct nl_link *nl = arg;

	(void)obj;
	if (action == NL_ACT_DEL && cache == nl->addrs)
		nl->addr_deleted = true;
}

/* Events were lost: the caches may be stale, so read them anew. */
static void nl_link_resync(struct nl_link *nl)
{
	int e1 = nl_cache_refill(nl->sync, nl->links);
	int e2 = nl_cache_refill(nl->sync, nl->addrs);

	if (e1 < 0 || e2 < 0)
		log_errx("netlink: cannot reread links and addresses: %s",
			 nl_geterror(e1 < 0 ? e1 : e2));
	else
		log_warnx("netlink: events were lost (receive buffer overrun); links and addresses "
			  "reread");
	nl->addr_deleted = true; /* a lost deletion may hide among them */
}

static void nl_link_readable(void *arg, uint32_t events)
{
	struct nl_link *nl = arg;
	int err;

	(void)events;
	err = nl_cache_mngr_data_ready(nl->mngr);
	if (err == -NLE_NOMEM) /* libnl's name for ENOBUFS on receive */
		nl_link_resync(nl);
	else if (err < 0)
		log_warnx("netlink: cache update failed: %s", nl_geterror(err));
	if (nl->on_change)
		nl->on_change(nl->arg);
}

int nl_link_open(struct nl_link *nl, struct loop *l, void (*on_change)(void *arg), void *arg)
{
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	nl->on_change = on_change;
	nl->arg = arg;
	nl->events = nl_socket_alloc();
	nl->sync = nl_socket_alloc();
	if (!nl->events || !nl->sync || nl_connect(nl->sync, NETLINK_ROUTE) < 0) {
		log_errx("netlink: cannot open the link/address sockets");
		nl_link_close(nl, NULL);
		return -1;
	}
	err = nl_cache_mngr_alloc(nl->events, NETLINK_ROUTE, NL_AUTO_PROVIDE, &nl->mngr);
	if (err >= 0)
		err =
		    nl_cache_mngr_add(nl->mngr, "route/link", nl_link_cache_change, nl, &nl->links);
	if (err >= 0)
		err =
		    nl_cache_mngr_add(nl->mngr, "route/addr", nl_link_cache_change, nl, &nl->addrs);
	if (err < 0) {
		log_errx("netlink: cannot set up link/address caches: %s", nl_geterror(err));
		nl_link_close(nl, NULL);
		return -1;
	}
	nl->lfd = (struct loop_fd){
	    .fd = nl_cache_mngr_get_fd(nl->mngr), .cb = nl_link_readable, .arg = nl};
	/* Hundreds of VIPs changing at once (ours) must not overrun it. */
	int sz = 8 << 20;
	nl_socket_set_buffer_size(nl->events, sz, 0);
	setsockopt(nl_socket_get_fd(nl->events), SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	if (l && loop_add_fd(l, &nl->lfd, EPOLLIN) < 0) {
		log_err("netlink: epoll");
		return -1;
	}
	return 0;
}

void nl_link_close(struct nl_link *nl, struct loop *l)
{
	if (nl->mngr) {
		if (l)
			loop_del_fd(l, &nl->lfd);
		nl_cache_mngr_free(nl->mngr);
		nl->mngr = NULL;
	}
	if (nl->ioctl_fd > 0)
		close(nl->ioctl_fd);
	nl->ioctl_fd = -1;
	if (nl->events)
		nl_socket_free(nl->events);
	if (nl->sync)
		nl_socket_free(nl->sync);
	nl->events = nl->sync = NULL;
}

/* Interface identity, state and MAC come from the kernel itself (one ioctl
 * each), not from libnl's link cache: a link deleted and created again
 * within a few milliseconds (bonds, VLANs, VPN devices) was seen to leave
 * the cache with the old object, and failover decisions must not rest on a
 * stale cache. */
/* Asked on the socket kept for it: glibc's if_nametoindex and
 * if_indextoname open and close a socket of their own on every call, which
 * was 3000 socket/ioctl/close triples (4.3 ms) when 1000 instances start. */
int nl_link_ifindex(struct nl_link *nl, const char *name)
{
	struct ifreq ifr;

	if (nl->ioctl_fd < 0)
		return (int)if_nametoindex(name);
	memset(&ifr, 0, sizeof(ifr));
	if (strlen(name) >= sizeof(ifr.ifr_name))
		return 0;
	strcpy(ifr.ifr_name, name);
	return ioctl(nl->ioctl_fd, SIOCGIFINDEX, &ifr) < 0 ? 0 : ifr.ifr_ifindex;
}

static int nl_link_ifreq(struct nl_link *nl, int ifindex, unsigned long req, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	ifr->ifr_ifindex = ifindex;
	if (nl->ioctl_fd < 0 || ioctl(nl->ioctl_fd, SIOCGIFNAME, ifr) < 0)
		return -1;
	return ioctl(nl->ioctl_fd, req, ifr);
}

int nl_link_mac(struct nl_link *nl, int ifindex, uint8_t mac[6])
{
	struct ifreq ifr;

	if (nl_link_ifreq(nl, ifindex, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int nl_link_mtu(struct nl_link *nl, int ifindex)
{
	struct ifreq ifr;

	if (nl_link_ifreq(nl, ifindex, SIOCGIFMTU, &ifr) < 0)
		return -1;
	return ifr.ifr_mtu;
}

bool nl_link_running(struct nl_link *nl, int ifindex)
{
	struct ifreq ifr;

	if (nl_link_ifreq(nl, ifindex, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	return (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
}

struct primary_walk {
	int ifindex;
	const struct vaddr *skip;
	size_t nskip;
	struct vaddr *out;
	bool found;
};

static void nl_link_addr_visit(struct nl_object *obj, void *arg)
{
	struct primary_walk *w = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nl_addr *local;
	struct vaddr v;

	if (w->found || rtnl_addr_get_ifindex(ra) != w->ifindex ||
	    rtnl_addr_get_family(ra) != AF_INET || (rtnl_addr_get_flags(ra) & IFA_F_SECONDARY))
		return;
	local = rtnl_addr_get_local(ra);
	if (!local || nl_addr_get_len(local) != 4)
		return;
	memset(&v, 0, sizeof(v));
	v.family = AF_INET;
	memcpy(v.u.b, nl_addr_get_binary_addr(local), 4);
	for (size_t i = 0; i < w->nskip; i++)
		if (addr_eq(&v, &w->skip[i]))
			return;
	*w->out = v;
	w->found = true;
}

int nl_link_primary4(struct nl_link *nl, int ifindex, const struct vaddr *skip, size_t nskip,
		     struct vaddr *out)
{
	struct primary_walk w = {.ifindex = ifindex, .skip = skip, .nskip = nskip, .out = out};

	nl_cache_foreach(nl->addrs, nl_link_addr_visit, &w);
	return w.found ? 0 : -1;
}

struct ll_walk {
	int ifindex;
	const struct vaddr *skip;
	size_t nskip;
	struct vaddr *out;
	bool found;
};

static void nl_link_ll_visit(struct nl_object *obj, void *arg)
{
	struct ll_walk *w = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nl_addr *local;
	const uint8_t *b;

	if (w->found || rtnl_addr_get_ifindex(ra) != w->ifindex ||
	    rtnl_addr_get_family(ra) != AF_INET6 ||
	    (rtnl_addr_get_flags(ra) & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return;
	local = rtnl_addr_get_local(ra);
	if (!local || nl_addr_get_len(local) != 16)
		return;
	b = nl_addr_get_binary_addr(local);
	if (b[0] != 0xfe || (b[1] & 0xc0) != 0x80) /* fe80::/10 */
		return;
	struct vaddr v = {.family = AF_INET6};
	memcpy(v.u.b, b, 16);
	for (size_t i = 0; i < w->nskip; i++)
		if (addr_eq(&v, &w->skip[i]))
			return;
	*w->out = v;
	w->found = true;
}

int nl_link_linklocal6(struct nl_link *nl, int ifindex, const struct vaddr *skip, size_t nskip,
		       struct vaddr *out)
{
	struct ll_walk w = {.ifindex = ifindex, .skip = skip, .nskip = nskip, .out = out};

	nl_cache_foreach(nl->addrs, nl_link_ll_visit, &w);
	return w.found ? 0 : -1;
}

struct has_walk {
	int ifindex;
	const struct vaddr *addr;
	bool found;
};

static void nl_link_has_visit(struct nl_object *obj, void *arg)
{
	struct has_walk *w = arg;
	struct rtnl_addr *ra = (struct rtnl_addr *)obj;
	struct nl_addr *local;

	if (w->found || rtnl_addr_get_ifindex(ra) != w->ifindex ||
	    rtnl_addr_get_family(ra) != w->addr->family)
		return;
	local = rtnl_addr_get_local(ra);
	if (local && nl_addr_get_len(local) == addr_len(w->addr) &&
	    memcmp(nl_addr_get_binary_addr(local), w->addr->u.b, addr_len(w->addr)) == 0)
		w->found = true;
}

bool nl_link_has_addr(struct nl_link *nl, int ifindex, const struct vaddr *addr)
{
	struct has_walk w = {.ifindex = ifindex, .addr = addr};

	nl_cache_foreach(nl->addrs, nl_link_has_visit, &w);
	return w.found;
}
