/* claims: RFC 5227-style detection of another host claiming one of our
 * IPv4 VIPs. Each interface with instances that have IPv4 VIPs has a
 * packet socket whose BPF filter (core/claim) lets only ARP requests and
 * replies sent from one of those VIPs through; a claim from a MAC that is
 * not ours (the interface's, or the instance's virtual MAC), for a VIP of
 * an instance that is master with its VIPs installed, is a sighting of an
 * ADDRESS conflict (daemon/conflict.c). */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/claim.h"
#include "daemon/internal.h"
#include "io/claim_rx.h"
#include "io/log.h"

void iface_claims_close(struct iface *ifp)
{
	if (ifp->claim_fd < 0)
		return;
	loop_del_fd(&ifp->d->loop, &ifp->claim_lfd);
	close(ifp->claim_fd);
	ifp->claim_fd = -1;
}

/* Is MAC one of v's own: the device of VIP I, its interface, its vmac? */
static bool vr_own_mac(struct vr *v, size_t i, const uint8_t mac[6])
{
	int ifx[3] = {v->vip_ifindex[i], v->ifp->ifindex, v->vmac_ifindex};
	uint8_t m[6];

	for (size_t k = 0; k < 3; k++)
		if (ifx[k] > 0 && nl_link_mac(&v->d->nl, ifx[k], m) == 0 && !memcmp(m, mac, 6))
			return true;
	return false;
}

static void iface_claim(struct iface *ifp, const uint8_t mac[6], const struct vaddr *ip,
			vtime_t now)
{
	for (struct vr *v = ifp->d->vrs; v; v = v->next) {
		if (v->ifp != ifp || !v->started || v->vi.state != VRRP_STATE_MASTER || !v->vips_on)
			continue;
		for (size_t i = 0; i < v->ci->n_vips; i++) {
			if (!addr_eq(&v->ci->vips[i].addr, ip) || vr_own_mac(v, i, mac))
				continue;
			struct conflict_info info = {.peer = *ip, .vip = *ip};
			memcpy(info.mac, mac, 6);
			vr_conflict_seen(v, CONFLICT_ADDRESS, &info, now);
			break;
		}
	}
}

static void iface_claim_readable(void *arg, uint32_t events)
{
	struct iface *ifp = arg;
	uint8_t buf[256], mac[6];
	struct vaddr ip;

	(void)events;
	for (int i = 0; i < RX_BUDGET; i++) {
		ssize_t n = claim_rx_recv(ifp->claim_fd, buf, sizeof(buf));
		if (n < 0)
			return;
		if (n > 0 && claim_parse(buf, (size_t)n, mac, &ip))
			iface_claim(ifp, mac, &ip, loop_now());
	}
}

static void iface_claims_refresh(struct iface *ifp)
{
	static struct claim_insn prog[CLAIM_FILTER_MAX];
	size_t n = iface_vips(ifp), n4 = 0;

	for (size_t k = 0; k < n; k++)
		n4 += ifp->d->skip[k].family == AF_INET;
	if (!n4) {
		iface_claims_close(ifp);
		return;
	}
	size_t len = claim_filter(prog, CLAIM_FILTER_MAX, ifp->d->skip, n);
	if (ifp->claim_fd >= 0) {
		if (claim_rx_set_filter(ifp->claim_fd, prog, len) < 0)
			log_err("%s: cannot replace the ARP claim filter", ifp->name);
		return;
	}
	ifp->claim_fd = claim_rx_open(ifp->ifindex, prog, len);
	if (ifp->claim_fd < 0) {
		log_err("%s: cannot watch ARP claims of its VIPs (no address conflict detection)",
			ifp->name);
		return;
	}
	ifp->claim_lfd =
	    (struct loop_fd){.fd = ifp->claim_fd, .cb = iface_claim_readable, .arg = ifp};
	loop_add_fd(&ifp->d->loop, &ifp->claim_lfd, EPOLLIN);
}

void daemon_claims_refresh(struct daemon *d)
{
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		iface_claims_refresh(ifp);
}
