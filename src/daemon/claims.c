/* claims: RFC 5227-style detection of another host claiming one of our
 * VIPs. Each interface with instances that have IPv4 VIPs has a packet
 * socket whose BPF filter (core/claim) lets only ARP requests and replies
 * sent from one of those VIPs through, and with IPv6 VIPs one that lets
 * only Neighbour Advertisements for them through; a claim from a MAC that
 * is not ours (the VIP's device's, the interface's, the instance's virtual
 * MAC), for a VIP of an instance that is master with its VIPs installed,
 * is a sighting of an ADDRESS conflict (daemon/conflict.c). */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/claim.h"
#include "daemon/internal.h"
#include "io/claim_rx.h"
#include "io/closer.h"
#include "io/log.h"

#define CLAIM_ETH_ARP  0x0806
#define CLAIM_ETH_IPV6 0x86dd

static void iface_claim_close(struct iface *ifp, int k)
{
	if (ifp->claim_fd[k] < 0)
		return;
	loop_del_fd(&ifp->d->loop, &ifp->claim_lfd[k]);
	closer_close(ifp->claim_fd[k]); /* a packet socket: a grace period each */
	ifp->claim_fd[k] = -1;
}

void iface_claims_close(struct iface *ifp)
{
	iface_claim_close(ifp, 0);
	iface_claim_close(ifp, 1);
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
			vr_defend(v, now);
			break;
		}
	}
}

static void iface_claim_readable(struct iface *ifp, int k)
{
	uint8_t buf[512], mac[6];
	struct vaddr ip;

	for (int i = 0; i < RX_BUDGET; i++) {
		ssize_t n = claim_rx_recv(ifp->claim_fd[k], buf, sizeof(buf));
		if (n < 0)
			return;
		bool ok = k == 0 ? claim_parse(buf, (size_t)n, mac, &ip)
				 : claim_parse6(buf, (size_t)n, mac, &ip);
		if (n > 0 && ok)
			iface_claim(ifp, mac, &ip, loop_now());
	}
}

static void iface_arp_readable(void *arg, uint32_t events)
{
	(void)events;
	iface_claim_readable(arg, 0);
}

static void iface_na_readable(void *arg, uint32_t events)
{
	(void)events;
	iface_claim_readable(arg, 1);
}

/* Socket K (0 ARP, 1 NA) of IFP for its N VIPs in d->skip. */
static void iface_claim_refresh(struct iface *ifp, int k, size_t n)
{
	static struct claim_insn
	    prog[CLAIM_FILTER_MAX > CLAIM_FILTER6_MAX ? CLAIM_FILTER_MAX : CLAIM_FILTER6_MAX];
	const int fam = k == 0 ? AF_INET : AF_INET6;
	size_t nf = 0;

	for (size_t j = 0; j < n; j++)
		nf += ifp->d->skip[j].family == fam;
	if (!nf) {
		iface_claim_close(ifp, k);
		return;
	}
	size_t len = k == 0 ? claim_filter(prog, CLAIM_FILTER_MAX, ifp->d->skip, n)
			    : claim_filter6(prog, CLAIM_FILTER6_MAX, ifp->d->skip, n);
	if (ifp->claim_fd[k] >= 0) {
		if (claim_rx_set_filter(ifp->claim_fd[k], prog, len) < 0)
			log_err("%s: cannot replace the %s claim filter", ifp->name,
				k == 0 ? "ARP" : "NA");
		return;
	}
	ifp->claim_fd[k] =
	    claim_rx_open(ifp->ifindex, k == 0 ? CLAIM_ETH_ARP : CLAIM_ETH_IPV6, prog, len);
	if (ifp->claim_fd[k] < 0) {
		log_err("%s: cannot watch %s claims of its VIPs (no address conflict detection)",
			ifp->name, k == 0 ? "ARP" : "NA");
		return;
	}
	ifp->claim_lfd[k] = (struct loop_fd){.fd = ifp->claim_fd[k],
					     .cb = k == 0 ? iface_arp_readable : iface_na_readable,
					     .arg = ifp};
	loop_add_fd(&ifp->d->loop, &ifp->claim_lfd[k], EPOLLIN);
}

void daemon_claims_refresh(struct daemon *d)
{
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		size_t n = iface_vips(ifp);
		iface_claim_refresh(ifp, 0, n);
		iface_claim_refresh(ifp, 1, n);
	}
}
