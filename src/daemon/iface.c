/* iface: interfaces, their VRRP sockets and primary addresses, netlink
 * events, and the receive path from socket to state machine. */
#include <errno.h>
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
	ifp->fd = sock_open_ip4(name, ifindex);
	if (ifp->fd < 0) {
		log_err("%s: cannot open a VRRP socket", name);
		free(ifp);
		return NULL;
	}
	ifp->lfd = (struct loop_fd){.fd = ifp->fd, .cb = iface_readable, .arg = ifp};
	loop_add_fd(&d->loop, &ifp->lfd, EPOLLIN);
	ifp->next = d->ifaces;
	d->ifaces = ifp;
	return ifp;
}

void iface_free_all(struct daemon *d)
{
	while (d->ifaces) {
		struct iface *ifp = d->ifaces;
		d->ifaces = ifp->next;
		close(ifp->fd);
		free(ifp);
	}
}

/* The interface's primary IPv4 address, ignoring every VIP configured on it. */
void iface_find_primary(struct iface *ifp)
{
	struct daemon *d = ifp->d;
	struct vaddr *skip = NULL;
	size_t n = 0, cap = 0;

	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp != ifp)
			continue;
		for (size_t i = 0; i < v->ci->n_vips; i++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				struct vaddr *s = realloc(skip, cap * sizeof(*s));
				if (!s)
					break;
				skip = s;
			}
			skip[n++] = v->ci->vips[i].addr;
		}
	}
	if (nl_link_primary4(&d->nl, ifp->ifindex, skip, n, &ifp->primary4) < 0)
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
	free(skip);
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

static void iface_readable(void *arg, uint32_t events)
{
	struct iface *ifp = arg;
	uint8_t buf[65536];

	(void)events;
	for (int i = 0; i < RX_BUDGET; i++) {
		uint64_t rx_real;
		ssize_t n = sock_recv(ifp->fd, buf, sizeof(buf), &rx_real);
		if (n <= 0)
			return;
		vtime_t now = rx_monotonic(rx_real);
		struct pkt_ip ip;
		struct pkt_advert adv;
		enum pkt_drop r = pkt_decode_ip4(buf, (size_t)n, &ip, &adv);
		if (r != PKT_OK) {
			drops_count(&ifp->drops, ifp->name, r, &ip.src, now);
			continue;
		}
		struct vr *v = ifp->by_vrid[adv.vrid];
		if (!v || !v->started) {
			drops_count(&ifp->drops, ifp->name, PKT_DROP_VRID, &ip.src, now);
			continue;
		}
		struct vrrp_actions acts = {0};
		r = vrrp_recv(&v->vi, now, &adv, &ip.src, &acts);
		if (r != PKT_OK) {
			drops_count(&v->drops, v->ci->name, r, &ip.src, now);
			continue;
		}
		v->rx++;
		vr_check_addrs(v, &adv, &ip.src, now);
		vr_do(v, &acts);
	}
}

/* ---- netlink events ---- */

/* An interface that was missing at start, or was deleted and created again
 * (a new index: bonds, VLANs and VPN devices are), is picked up here: its
 * socket is reopened, and the instances on it find their VIPs' devices. */
static void iface_rebind_all(struct daemon *d)
{
	bool changed = false;

	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		int ifx = nl_link_ifindex(&d->nl, ifp->name);
		if (ifx <= 0 || ifx == ifp->ifindex)
			continue;
		int fd = sock_open_ip4(ifp->name, ifx);
		if (fd < 0) {
			log_err("%s: cannot reopen its VRRP socket", ifp->name);
			continue;
		}
		loop_del_fd(&d->loop, &ifp->lfd);
		close(ifp->fd);
		ifp->fd = fd;
		ifp->ifindex = ifx;
		ifp->lfd.fd = fd;
		loop_add_fd(&d->loop, &ifp->lfd, EPOLLIN);
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
		log_info("%s: the interface is back (index %d); its socket was reopened", ifp->name,
			 ifx);
		changed = true;
	}
	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp || nl_link_ifindex(&d->nl, v->ci->ifname) <= 0)
			continue;
		v->ifp = iface_get(d, v->ci->ifname);
		if (v->ifp) {
			v->ifp->by_vrid[v->ci->vrid] = v;
			log_info("%s: %s exists now", v->ci->name, v->ci->ifname);
			changed = true;
		}
	}
	if (!changed)
		return;
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_build_vips(v, v->ci);
}

/* Interfaces whose primary IPv4 address went away look for another one;
 * their instances advertise from it (unless unicast_src says otherwise). */
static void iface_update_primaries(struct daemon *d)
{
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		if (ifp->primary4.family && nl_link_has_addr(&d->nl, ifp->ifindex, &ifp->primary4))
			continue;
		struct vaddr old = ifp->primary4;
		iface_find_primary(ifp);
		if (addr_eq(&old, &ifp->primary4))
			continue;
		char a[ADDR_STRLEN], b[ADDR_STRLEN];
		log_info("%s: primary IPv4 address %s -> %s", ifp->name, addr_str(&old, a),
			 addr_str(&ifp->primary4, b));
		for (struct vr *v = d->vrs; v; v = v->next)
			if (v->ifp == ifp && !v->ci->has_unicast_src)
				vrrp_set_primary(&v->vi, &ifp->primary4);
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
