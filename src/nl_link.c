/* nl_link: libnl-route-3 link and address caches. */
#include "vrrpd/nl_link.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <string.h>
#include <sys/epoll.h>

#include "vrrpd/log.h"

static void nl_link_cache_change(struct nl_cache *cache, struct nl_object *obj, int action,
				 void *arg)
{
	struct nl_link *nl = arg;

	(void)obj;
	if (action == NL_ACT_DEL && cache == nl->addrs)
		nl->addr_deleted = true;
}

static void nl_link_readable(void *arg, uint32_t events)
{
	struct nl_link *nl = arg;
	int err;

	(void)events;
	err = nl_cache_mngr_data_ready(nl->mngr);
	if (err < 0)
		log_warn("netlink: cache update failed: %s", nl_geterror(err));
	if (nl->on_change)
		nl->on_change(nl->arg);
}

int nl_link_open(struct nl_link *nl, struct loop *l, void (*on_change)(void *arg), void *arg)
{
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->on_change = on_change;
	nl->arg = arg;
	err = nl_cache_mngr_alloc(NULL, NETLINK_ROUTE, NL_AUTO_PROVIDE, &nl->mngr);
	if (err >= 0)
		err =
		    nl_cache_mngr_add(nl->mngr, "route/link", nl_link_cache_change, nl, &nl->links);
	if (err >= 0)
		err =
		    nl_cache_mngr_add(nl->mngr, "route/addr", nl_link_cache_change, nl, &nl->addrs);
	if (err < 0) {
		log_err("netlink: cannot set up link/address caches: %s", nl_geterror(err));
		if (nl->mngr)
			nl_cache_mngr_free(nl->mngr);
		nl->mngr = NULL;
		return -1;
	}
	nl->lfd = (struct loop_fd){
	    .fd = nl_cache_mngr_get_fd(nl->mngr), .cb = nl_link_readable, .arg = nl};
	if (l && loop_add_fd(l, &nl->lfd, EPOLLIN) < 0) {
		log_err("netlink: epoll: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void nl_link_close(struct nl_link *nl, struct loop *l)
{
	if (!nl->mngr)
		return;
	if (l)
		loop_del_fd(l, &nl->lfd);
	nl_cache_mngr_free(nl->mngr);
	nl->mngr = NULL;
}

int nl_link_ifindex(struct nl_link *nl, const char *name)
{
	return rtnl_link_name2i(nl->links, name);
}

int nl_link_mac(struct nl_link *nl, int ifindex, uint8_t mac[6])
{
	struct rtnl_link *link = rtnl_link_get(nl->links, ifindex);
	struct nl_addr *a;
	int ret = -1;

	if (!link)
		return -1;
	a = rtnl_link_get_addr(link);
	if (a && nl_addr_get_len(a) == 6) {
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
		ret = 0;
	}
	rtnl_link_put(link);
	return ret;
}

bool nl_link_running(struct nl_link *nl, int ifindex)
{
	struct rtnl_link *link = rtnl_link_get(nl->links, ifindex);
	bool up;

	if (!link)
		return false;
	up = (rtnl_link_get_flags(link) & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	rtnl_link_put(link);
	return up;
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
