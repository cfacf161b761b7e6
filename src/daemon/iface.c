/* iface: interfaces, their VRRP sockets and primary addresses, netlink
 * events, and the receive path from socket to state machine. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "core/addrlist.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sock.h"

static void iface_readable(void *arg, uint32_t events);

/* The group an interface's socket joins: 224.0.0.18 / ff02::12. An
 * instance with another destination (mcast_dst_ip, or vrrp_mcast_group4/6,
 * which the configuration folds into it) joins that one as well. */
const struct vaddr *iface_group(const struct daemon *d, int family, struct vaddr *buf)
{
	(void)d;
	addr_parse(family == AF_INET ? VRRP_MCAST4 : VRRP_MCAST6, buf);
	return buf;
}

const struct vaddr *vr_old_csum_group(const struct daemon *d, struct vaddr *buf)
{
	if (d->conf->global.has_mcast_group4)
		return &d->conf->global.mcast_group4;
	addr_parse(VRRP_MCAST4, buf);
	return buf;
}

static int iface_open_fd(struct iface *ifp, int family, int ifindex)
{
	struct vaddr buf;
	const struct vaddr *grp = iface_group(ifp->d, family, &buf);

	return family == AF_INET ? sock_open_ip4(ifp->name, ifindex, grp)
				 : sock_open_ip6(ifp->name, ifindex, grp);
}

struct iface_sock *iface_sock(struct iface *ifp, int family)
{
	struct iface_sock *s = family == AF_INET ? &ifp->s4 : &ifp->s6;

	if (s->fd >= 0)
		return s;
	s->fd = iface_open_fd(ifp, family, ifp->ifindex);
	if (s->fd < 0) {
		log_err("%s: cannot open an %s VRRP socket", ifp->name,
			family == AF_INET ? "IPv4" : "IPv6");
		return NULL;
	}
	s->lfd = (struct loop_fd){.fd = s->fd, .cb = iface_readable, .arg = s};
	loop_add_fd(&ifp->d->loop, &s->lfd, EPOLLIN);
	return s;
}

const struct vaddr *iface_source(const struct iface *ifp, int family)
{
	return family == AF_INET ? &ifp->primary4 : &ifp->ll6;
}

struct iface *iface_get(struct daemon *d, const char *name)
{
	struct iface *ifp;
	int ifindex;

	for (ifp = d->ifaces; ifp; ifp = ifp->next)
		if (!strcmp(ifp->name, name))
			return ifp;
	ifindex = nl_link_ifindex(&d->nl, name);
	if (ifindex <= 0) {
		log_errx("interface %s does not exist", name);
		return NULL;
	}
	ifp = calloc(1, sizeof(*ifp));
	if (!ifp)
		return NULL;
	ifp->d = d;
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	ifp->ifindex = ifindex;
	ifp->s4 = (struct iface_sock){.ifp = ifp, .family = AF_INET, .fd = -1};
	ifp->s6 = (struct iface_sock){.ifp = ifp, .family = AF_INET6, .fd = -1};
	ifp->claim_fd[0] = ifp->claim_fd[1] = -1;
	ifp->next = d->ifaces;
	d->ifaces = ifp;
	return ifp;
}

void iface_free_all(struct daemon *d)
{
	while (d->ifaces) {
		struct iface *ifp = d->ifaces;
		d->ifaces = ifp->next;
		if (ifp->s4.fd >= 0)
			close(ifp->s4.fd);
		if (ifp->s6.fd >= 0)
			close(ifp->s6.fd);
		iface_claims_close(ifp);
		free(ifp);
	}
}

/* Every VIP configured on the interface, in d->skip (they are never the
 * router's own address). Returns how many. */
size_t iface_vips(struct iface *ifp)
{
	struct daemon *d = ifp->d;
	size_t n = 0;

	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp != ifp)
			continue;
		for (size_t i = 0; i < v->ci->n_vips; i++) {
			if (n == d->skip_cap) {
				size_t cap = d->skip_cap ? 2 * d->skip_cap : 16;
				struct vaddr *s = realloc(d->skip, cap * sizeof(*s));
				if (!s)
					return n;
				d->skip = s;
				d->skip_cap = cap;
			}
			d->skip[n++] = v->ci->vips[i].addr;
		}
	}
	return n;
}

/* The interface's primary IPv4 address, ignoring every VIP configured on it. */
static void iface_find_primary(struct iface *ifp)
{
	size_t n = iface_vips(ifp);

	if (nl_link_primary4(&ifp->d->nl, ifp->ifindex, ifp->d->skip, n, &ifp->primary4) < 0)
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
}

static void iface_find_ll6(struct iface *ifp)
{
	size_t n = iface_vips(ifp);

	if (nl_link_linklocal6(&ifp->d->nl, ifp->ifindex, ifp->d->skip, n, &ifp->ll6) < 0)
		memset(&ifp->ll6, 0, sizeof(ifp->ll6));
}

void iface_find_sources(struct iface *ifp)
{
	iface_find_primary(ifp);
	iface_find_ll6(ifp);
}

/* ---- receive ---- */

/* Logs and counts an advert whose address list differs from ours; never
 * drops it (conformance 24 and the decision recorded there). */
static void vr_check_addrs(struct vr *v, const struct pkt_advert *adv, const struct vaddr *src,
			   vtime_t now)
{
	if (addrlist_same(adv, v->adv_addrs, v->n_adv))
		return;
	v->addr_mismatch++;
	if (ratelimit_ok(&v->rl_mismatch, now, LOG_EVERY, NULL)) {
		char a[ADDR_STRLEN];
		log_warnx("%s: advert from %s lists %u address(es) that differ from our %zu; "
			  "check virtual_ipaddress on both (%llu so far, accepted anyway)",
			  v->ci->name, addr_str(src, a), adv->naddr, v->n_adv,
			  (unsigned long long)v->addr_mismatch);
	}
}

/* Counts a dropped packet and logs it (at most every LOG_EVERY per reason;
 * our own looped-back adverts are counted, never logged). who is the
 * interface or instance name. */
void drops_count(struct drop_counters *dc, const char *who, enum pkt_drop r,
		 const struct vaddr *src, vtime_t now)
{
	char a[ADDR_STRLEN];

	dc->n[r]++;
	if (r != PKT_DROP_OWN && ratelimit_ok(&dc->rl[r], now, LOG_EVERY, NULL))
		log_warnx("%s: dropped a VRRP packet from %s: %s (%llu so far)", who,
			  addr_str(src, a), pkt_drop_str(r), (unsigned long long)dc->n[r]);
}

/* When a packet arrived, on the loop's monotonic clock: the kernel's
 * wall-clock arrival stamp moved back by its age. The age is trusted only
 * from 0 to RX_AGE_MAX; otherwise (no stamp, or the wall clock stepped) the
 * time is now, so a clock step shifts a timer by RX_AGE_MAX at most and can
 * never cause a failover by itself (conformance 34). */
#define RX_AGE_MAX (5 * VTIME_MSEC)
static vtime_t rx_monotonic(uint64_t rx_real)
{
	vtime_t mono = loop_now();
	struct timespec ts;

	if (!rx_real)
		return mono;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t real = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
	if (real < rx_real || real - rx_real > RX_AGE_MAX || real - rx_real > mono)
		return mono;
	return mono - (real - rx_real);
}

static bool dst_is_multicast(const struct vaddr *a)
{
	return a->family == AF_INET ? IN_MULTICAST(ntohl(a->u.v4.s_addr))
				    : IN6_IS_ADDR_MULTICAST(&a->u.v6);
}

/* A unicast advert with a TTL other than 255 goes to its instance when
 * that instance's rule allows it (unicast_ttl below 255: its peers may be
 * routed hops away; pkt_ttl_ok), decoded again without the TTL check.
 * Returns the verdict: PKT_DROP_TTL when the rule says no. */
static enum pkt_drop iface_ttl_rule(struct iface_sock *s, const uint8_t *buf, size_t n,
				    struct pkt_ip *ip, struct pkt_advert *adv)
{
	enum pkt_drop r;

	if (dst_is_multicast(&ip->dst))
		return PKT_DROP_TTL;
	struct pkt_ip ip2 = *ip;
	r = s->family == AF_INET ? pkt_decode_ip4_flags(buf, n, &ip2, adv, PKT_ANY_TTL)
				 : pkt_decode_flags(buf, n, &ip2, adv, PKT_ANY_TTL);
	if (r != PKT_OK)
		return r;
	const struct vr *v = s->by_vrid[adv->vrid];
	if (!v || !v->ci->n_peers || !pkt_ttl_ok(ip2.ttl, v->ci->unicast_ttl < VRRP_TTL))
		return PKT_DROP_TTL;
	*ip = ip2;
	return PKT_OK;
}

/* old_unicast_checksum: an IPv4 advert whose checksum is wrong is checked
 * again with the multicast group as pseudo-header destination (keepalived
 * before 1.3.6), when it is for a v3 unicast instance that takes that form
 * (not "never"); *old says it matched so. */
static enum pkt_drop iface_old_csum(struct iface_sock *s, const uint8_t *buf, size_t n,
				    const struct pkt_ip *ip, struct pkt_advert *adv, bool *old)
{
	size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
	struct pkt_ip ip2 = *ip;
	struct vaddr g;

	if (n < ihl + 2 || !s->by_vrid[buf[ihl + 1]])
		return PKT_DROP_CSUM;
	const struct conf_instance *ci = s->by_vrid[buf[ihl + 1]]->ci;
	if (!ci->n_peers || ci->version != 3 || ci->old_csum == CONF_OLD_CSUM_NEVER)
		return PKT_DROP_CSUM;
	ip2.dst = *vr_old_csum_group(s->ifp->d, &g);
	if (pkt_decode_flags(buf + ihl, n - ihl, &ip2, adv, PKT_ANY_TTL) != PKT_OK)
		return PKT_DROP_CSUM;
	*old = true;
	return PKT_OK;
}

/* Reads one datagram and decodes it: IPv4 raw sockets deliver the IP
 * header, IPv6 ones report it in cmsgs. Returns false when there is
 * nothing more to read. */
static bool iface_read_one(struct iface_sock *s, uint8_t *buf, size_t cap, struct pkt_ip *ip,
			   struct pkt_advert *adv, enum pkt_drop *r, vtime_t *now, bool *old)
{
	uint64_t rx_real;
	ssize_t n;

	if (s->family == AF_INET) {
		n = sock_recv(s->fd, buf, cap, &rx_real);
		if (n > 0)
			*r = pkt_decode_ip4(buf, (size_t)n, ip, adv);
	} else {
		n = sock_recv6(s->fd, buf, cap, ip, &rx_real);
		if (n > 0)
			*r = pkt_decode(buf, (size_t)n, ip, adv);
	}
	if (n > 0 && *r == PKT_DROP_TTL)
		*r = iface_ttl_rule(s, buf, (size_t)n, ip, adv);
	*old = false;
	if (n > 0 && *r == PKT_DROP_CSUM && s->family == AF_INET)
		*r = iface_old_csum(s, buf, (size_t)n, ip, adv, old);
	*now = rx_monotonic(rx_real);
	return n > 0;
}

static void iface_readable(void *arg, uint32_t events)
{
	struct iface_sock *s = arg;
	struct iface *ifp = s->ifp;
	uint8_t buf[65536];

	(void)events;
	for (int i = 0; i < RX_BUDGET; i++) {
		struct pkt_ip ip;
		struct pkt_advert adv;
		enum pkt_drop r = PKT_OK;
		vtime_t now;
		bool old;
		if (!iface_read_one(s, buf, sizeof(buf), &ip, &adv, &r, &now, &old))
			return;
		if (r != PKT_OK) {
			drops_count(&ifp->drops, ifp->name, r, &ip.src, now);
			continue;
		}
		int path;
		struct vr *v = vr_hb_lookup(s, adv.vrid, &ip.src, &path);
		if (!v || !v->started) {
			drops_count(&ifp->drops, ifp->name, PKT_DROP_VRID, &ip.src, now);
			continue;
		}
		/* check_unicast_src, always on: a unicast instance hears its
		 * peers only (a stranger must not win its election); so does
		 * a unicast heartbeat_path. */
		const struct vaddr *peers = path ? v->ci->hb_peers : v->ci->peers;
		size_t n_peers = path ? v->ci->n_hb_peers : v->ci->n_peers;
		if (n_peers && !addrlist_has(peers, n_peers, &ip.src)) {
			drops_count(&v->drops, v->ci->name, PKT_DROP_NOT_PEER, &ip.src, now);
			continue;
		}
		if (old && !v->old_csum) { /* keepalived switches to the old form too */
			char a[ADDR_STRLEN];
			v->old_csum = true;
			log_info("%s: %s checksums its VRRPv3 unicast adverts as keepalived before "
				 "1.3.6 did; using that form from now on (old_unicast_checksum)",
				 v->ci->name, addr_str(&ip.src, a));
		}
		struct vrrp_actions acts = {0};
		bool was_master = v->vi.state == VRRP_STATE_MASTER;
		r = vrrp_recv_via(&v->vi, now, &adv, &ip.src, path ? vr_hb_source(v) : NULL, &acts);
		if (!path) /* the second path's copies would count every sighting twice */
			vr_conflict_rx(v, &adv, &ip.src, r, was_master, now);
		if (r != PKT_OK) {
			drops_count(&v->drops, v->ci->name, r, &ip.src, now);
			vr_why_drop(v, now, r, &ip.src);
			continue;
		}
		v->rx++;
		if (v->settling && v->vi.state == VRRP_STATE_BACKUP && vrrp_master_known(&v->vi))
			settle_other(v);
		vr_path_heard(v, path, now);
		vr_why_recv(v, now, &adv, &ip.src);
		vr_check_addrs(v, &adv, &ip.src, now);
		vr_do(v, &acts);
	}
}

/* ---- netlink events ---- */

/* An interface that was missing at start, or was deleted and created again
 * (a new index: bonds, VLANs and VPN devices are), is picked up here: its
 * socket is reopened, and the instances on it find their VIPs' devices. */
/* Reopens one socket on the interface's new index. */
static void iface_reopen(struct iface_sock *s, int ifindex)
{
	struct iface *ifp = s->ifp;

	if (s->fd < 0)
		return;
	int fd = iface_open_fd(ifp, s->family, ifindex);
	if (fd < 0) {
		log_err("%s: cannot reopen its VRRP socket", ifp->name);
		return;
	}
	loop_del_fd(&ifp->d->loop, &s->lfd);
	close(s->fd);
	s->fd = fd;
	s->lfd.fd = fd;
	loop_add_fd(&ifp->d->loop, &s->lfd, EPOLLIN);
}

static void iface_rebind_all(struct daemon *d)
{
	bool changed = false;

	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		int ifx = nl_link_ifindex(&d->nl, ifp->name);
		if (ifx <= 0 || ifx == ifp->ifindex)
			continue;
		iface_reopen(&ifp->s4, ifx);
		iface_reopen(&ifp->s6, ifx);
		iface_claims_close(ifp); /* reopened on the new index below */
		ifp->ifindex = ifx;
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
		memset(&ifp->ll6, 0, sizeof(ifp->ll6));
		log_info("%s: the interface is back (index %d); its socket was reopened", ifp->name,
			 ifx);
		changed = true;
	}
	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp && v->sock && !v->hb_sock) /* heartbeat_path's interface is back */
			vr_hb_attach(v);
		if (v->ifp || nl_link_ifindex(&d->nl, v->ci->ifname) <= 0)
			continue;
		if (vr_attach(v)) {
			vr_vmac_open(v);
			log_info("%s: %s exists now", v->ci->name, v->ci->ifname);
			changed = true;
		}
	}
	if (!changed)
		return;
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_build_vips(v, v->ci);
	daemon_claims_refresh(d);
}

/* An advert source that went away (the primary IPv4 address, or the IPv6
 * link-local) is looked for again; the interface's instances advertise from
 * the new one (unless unicast_src says otherwise). */
static void iface_update_source(struct iface *ifp, int family, const struct vaddr *old)
{
	const struct vaddr *now = iface_source(ifp, family);
	char a[ADDR_STRLEN], b[ADDR_STRLEN];

	if (addr_eq(old, now))
		return;
	log_info("%s: %s %s -> %s", ifp->name,
		 family == AF_INET ? "primary IPv4 address" : "IPv6 link-local address",
		 addr_str(old, a), addr_str(now, b));
	for (struct vr *v = ifp->d->vrs; v; v = v->next)
		if (v->ifp == ifp && v->ci->family == family && !v->ci->has_unicast_src)
			vrrp_set_primary(&v->vi, now);
}

static void iface_update_primaries(struct daemon *d)
{
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		bool ok4 =
		    ifp->primary4.family && nl_link_has_addr(&d->nl, ifp->ifindex, &ifp->primary4);
		bool ok6 = ifp->ll6.family && nl_link_has_addr(&d->nl, ifp->ifindex, &ifp->ll6);
		if (!ok4) {
			struct vaddr old = ifp->primary4;
			iface_find_primary(ifp);
			iface_update_source(ifp, AF_INET, &old);
		}
		if (!ok6 && ifp->s6.fd >= 0) {
			struct vaddr old = ifp->ll6;
			iface_find_ll6(ifp);
			iface_update_source(ifp, AF_INET6, &old);
		}
	}
}

void iface_nl_change(void *arg)
{
	struct daemon *d = arg;
	vtime_t now = loop_now();

	iface_rebind_all(d);
	iface_update_primaries(d);
	for (struct vr *v = d->vrs; v; v = v->next)
		if (!v->started)
			vr_start(v, now);
	daemon_track_all(d, now);
	if (d->nl.addr_deleted) {
		d->nl.addr_deleted = false;
		daemon_check_vips(d);
	}
}
