/* instance: the life of one runtime instance (struct vr) — create, start,
 * stop, free — its VIPs' devices, and sending its adverts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/internal.h"
#include "io/log.h"
#include "io/sock.h"

/* ---- advertisements ---- */

void vr_send_to(struct vr *v, const struct pkt_advert *h, const struct vaddr *src,
		const struct vaddr *dst, int fd, int ifindex, int ttl, struct ratelimit *rl)
{
	uint8_t buf[VRRP_PKT_MAX];
	const struct conf_instance *ci = v->ci;
	enum pkt_csum cs = ci->v3_checksum_as_v2 ? PKT_CSUM_MSG_ONLY : PKT_CSUM_PSEUDO;
	struct vaddr g;
	const struct vaddr *pdst = v->old_csum && ci->n_peers && dst->family == AF_INET
				       ? vr_old_csum_group(v->d, &g)
				       : dst; /* old_unicast_checksum */
	size_t len = pkt_encode(buf, sizeof(buf), h, v->adv_addrs, v->n_adv, src, pdst, cs);
	char a[ADDR_STRLEN];

	if (!len) {
		if (ratelimit_ok(&v->rl_encode, loop_now(), LOG_EVERY, NULL))
			log_errx("%s: cannot encode an advert", ci->name);
		return;
	}
	/* at once, or with the other adverts of this run of timers (txq.c) */
	if (vr_tx(v, fd, ifindex, src, dst, buf, len, ttl, rl) < 0 &&
	    (!rl || ratelimit_ok(rl, loop_now(), LOG_EVERY, NULL)))
		log_warn("%s: advert to %s failed", ci->name, addr_str(dst, a));
}

static void vr_send_one(struct vr *v, const struct pkt_advert *h, const struct vaddr *dst)
{
	int fd = v->sock->fd, ifindex = v->ifp->ifindex;

	if (v->vmac_fd >= 0) { /* from the virtual MAC (conformance 14) */
		fd = v->vmac_fd;
		ifindex = v->vmac_ifindex;
	}
	int ttl = v->ci->n_peers ? v->ci->unicast_ttl : VRRP_TTL; /* unicast_ttl */
	vr_send_to(v, h, &v->vi.primary, dst, fd, ifindex, ttl, NULL);
}

void vr_send_advert(struct vr *v, uint8_t prio)
{
	const struct conf_instance *ci = v->ci;
	struct pkt_advert h = {
	    .version = ci->version,
	    .vrid = ci->vrid,
	    .priority = prio,
	    .adver_int = (uint16_t)(ci->version == 2 ? ci->advert_int_cs / 100 : ci->advert_int_cs),
	    .auth_type = ci->version == 2 ? (uint8_t)ci->auth_type : 0,
	};

	if (ci->version == 2 && ci->auth_type == CONF_AUTH_PASS)
		memcpy(h.auth_data, ci->auth_pass, strnlen(ci->auth_pass, VRRP_AUTH_LEN));
	if (ci->n_peers) {
		for (size_t i = 0; i < ci->n_peers; i++)
			vr_send_one(v, &h, &ci->peers[i]);
	} else {
		struct vaddr buf;
		vr_send_one(v, &h,
			    ci->has_mcast_dst ? &ci->mcast_dst
					      : iface_group(v->d, ci->family, &buf));
	}
	if (ci->has_hb)
		vr_hb_send(v, &h); /* heartbeat_path: the same advert, second path */
}

/* ---- the instance ---- */

void vr_params(const struct conf_instance *ci, struct vrrp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->version = ci->version;
	p->vrid = ci->vrid;
	p->priority = ci->priority;
	p->adver_int_cs = (uint16_t)ci->advert_int_cs;
	p->preempt = !ci->nopreempt;
	p->preempt_delay = (vtime_t)ci->preempt_delay_ms * VTIME_MSEC;
	p->lower_prio_no_advert = ci->lower_prio_no_advert;
	p->higher_prio_send_advert = ci->higher_prio_send_advert;
	p->down_timer_adverts = ci->down_timer_adverts;
	p->owner_ignore_adverts = ci->owner_ignore_adverts;
	p->expired_backup_prio = ci->expired_backup_prio;
	p->rx_lower_event = true; /* garp_lower_prio_*, notify_master_rx_lower_pri, the FIFO */
	if (ci->version == 2 && ci->auth_type == CONF_AUTH_PASS) {
		p->auth_type = 1;
		memcpy(p->auth_data, ci->auth_pass, strnlen(ci->auth_pass, VRRP_AUTH_LEN));
	}
}

/* keepalived's garp_* settings as the announce schedule takes them. */
static void vr_announce_cfg(const struct conf_garp *g, int family, struct announce_cfg *c)
{
	*c = (struct announce_cfg){.delay_ms = g->master_delay_ms,
				   .repeat = g->master_repeat,
				   .refresh_ms = g->master_refresh_ms,
				   .refresh_repeat = g->master_refresh_repeat,
				   .interval_us =
				       family == AF_INET6 ? g->na_interval_us : g->interval_us,
				   .lower_delay_ms = g->lower_delay_ms,
				   .lower_repeat = g->lower_repeat};
}

/* How many addresses v's adverts may list: VRRP_MAX_ADDRS, or fewer when
 * more would not fit its interface's MTU (IPv6). The rest are installed
 * but not advertised; for VRRP_MAX_ADDRS the configuration warned. */
static size_t vr_advert_fit(struct vr *v, const struct conf_instance *ci)
{
	int mtu = v->ifp ? nl_link_mtu(&v->d->nl, v->ifp->ifindex) : -1;
	long fit = mtu > 0 ? VRRP_FIT_ADDRS(ci->family, ci->version, mtu) : VRRP_MAX_ADDRS;

	return fit < 1 ? 1 : fit > VRRP_MAX_ADDRS ? VRRP_MAX_ADDRS : (size_t)fit;
}

/* Resolves each VIP's interface and the advertised list of ci into v. */
int vr_build_vips(struct vr *v, const struct conf_instance *ci)
{
	size_t n = ci->n_vips ? ci->n_vips : 1;
	int *ifx = calloc(n, sizeof(int));
	struct vaddr *adv = calloc(n, sizeof(struct vaddr));
	size_t nadv = 0;

	if (!ifx || !adv) {
		free(ifx);
		free(adv);
		log_errx("%s: out of memory", ci->name);
		return -1;
	}
	size_t max = vr_advert_fit(v, ci), want = 0;
	for (size_t i = 0; i < ci->n_vips; i++) {
		const struct vip *vip = &ci->vips[i];
		ifx[i] = vip->dev[0]	   ? nl_link_ifindex(&v->d->nl, vip->dev)
			 : v->vmac_ifindex ? v->vmac_ifindex
			 : v->ifp	   ? v->ifp->ifindex
					   : 0;
		if (ifx[i] <= 0)
			log_errx("%s: interface %s of VIP does not exist", ci->name,
				 vip->dev[0] ? vip->dev : ci->ifname);
		if (vip->excluded)
			continue;
		want++;
		if (nadv < max)
			adv[nadv++] = vip->addr;
	}
	if (want > nadv && max < VRRP_MAX_ADDRS)
		log_warnx("%s: adverts list the first %zu of %zu addresses (more would not fit "
			  "the MTU of %s unfragmented); all are installed",
			  ci->name, nadv, want, ci->ifname);
	free(v->vip_ifindex);
	free(v->adv_addrs);
	v->vip_ifindex = ifx;
	v->adv_addrs = adv;
	v->n_adv = nadv;
	vr_announce_cfg(&ci->garp, ci->family, &v->ann_cfg);
	return 0;
}

/* Where ci stands in d->conf->inst, if it is one of them. */
static bool vr_inst_index(const struct daemon *d, const struct conf_instance *ci, size_t *idx)
{
	uintptr_t base = (uintptr_t)d->conf->inst, p = (uintptr_t)ci;

	if (p < base || p >= base + d->conf->n_inst * sizeof(*ci))
		return false;
	*idx = (p - base) / sizeof(*ci);
	return *idx < d->n_by_inst;
}

struct vr *vr_of_inst(struct daemon *d, size_t idx)
{
	return idx < d->n_by_inst ? d->by_inst[idx] : NULL;
}

void daemon_index_instances(struct daemon *d)
{
	size_t n = d->conf->n_inst;

	free(d->by_inst);
	d->by_inst = calloc(n ? n : 1, sizeof(*d->by_inst));
	d->n_by_inst = d->by_inst ? n : 0;
	for (struct vr *v = d->vrs; v; v = v->next) {
		size_t idx;
		if (vr_inst_index(d, v->ci, &idx))
			d->by_inst[idx] = v;
	}
}

bool vr_attach(struct vr *v)
{
	if (!v->ifp)
		v->ifp = iface_get(v->d, v->ci->ifname);
	if (!v->ifp)
		return false;
	v->sock = iface_sock(v->ifp, v->ci->family);
	if (!v->sock)
		return true;
	v->sock->by_vrid[v->ci->vrid] = v;
	/* mcast_dst_ip: adverts to another group, which we must hear too. */
	struct vaddr buf;
	if (v->ci->has_mcast_dst &&
	    !addr_eq(&v->ci->mcast_dst, iface_group(v->d, v->ci->family, &buf)) &&
	    sock_join(v->sock->fd, v->ifp->ifindex, &v->ci->mcast_dst) < 0 && errno != EADDRINUSE)
		log_warn("%s: cannot join %s", v->ci->name,
			 addr_str(&v->ci->mcast_dst, (char[ADDR_STRLEN]){0}));
	vr_hb_attach(v);
	return true;
}

struct vr *vr_create(struct daemon *d, const struct conf_instance *ci)
{
	struct vr *v = calloc(1, sizeof(*v));
	struct vrrp_params p;

	if (!v)
		return NULL;
	v->d = d;
	v->ci = ci;
	v->old_csum = ci->old_csum == CONF_OLD_CSUM_OLD;
	v->vmac_fd = -1;
	vr_attach(v);
	vr_vmac_open(v);
	if (vr_build_vips(v, ci) < 0) {
		vr_vmac_close(v);
		free(v);
		return NULL;
	}
	timer_init(&v->t, vr_on_timer, v);
	timer_init(&v->garp_t, vr_garp_step, v);
	timer_init(&v->cf_t, vr_conflict_timer, v);
	timer_init(&v->hb_t, vr_hb_timer, v);
	conflict_init(&v->cf);
	vr_params(ci, &p);
	vrrp_init(&v->vi, &p);
	v->next = d->vrs;
	d->vrs = v;
	size_t idx;
	if (vr_inst_index(d, ci, &idx))
		d->by_inst[idx] = v;
	return v;
}

/* Removes configured VIPs that a crashed run left behind. */
void vr_clear_stale(struct vr *v)
{
	size_t present = 0;
	char a[ADDR_STRLEN];

	for (size_t i = 0; i < v->ci->n_vips; i++) {
		if (v->vip_ifindex[i] > 0 &&
		    nl_link_has_addr(&v->d->nl, v->vip_ifindex[i], &v->ci->vips[i].addr)) {
			present++;
			log_warnx("%s: removing %s left on the interface by an earlier run",
				  v->ci->name, addr_str(&v->ci->vips[i].addr, a));
		}
	}
	if (present)
		nl_addr_apply(&v->d->nla, false, v->ci->vips, v->vip_ifindex, v->ci->n_vips,
			      v->ci->name);
}

void vr_start(struct vr *v, vtime_t now)
{
	const struct conf_instance *ci = v->ci;
	struct vrrp_actions acts = {0};

	if (v->started || !v->ifp || !v->sock || v->d->holding)
		return;
	vrrp_set_primary(&v->vi,
			 ci->has_unicast_src ? &ci->unicast_src : iface_source(v->ifp, ci->family));
	if (!v->vi.primary.family) {
		if (!v->wait_logged)
			log_errx("%s: %s has no %s to send adverts from; waiting for one", ci->name,
				 ci->ifname,
				 ci->family == AF_INET ? "IPv4 address"
						       : "IPv6 link-local address");
		v->wait_logged = true;
		return;
	}
	v->wait_logged = false;
	v->started = true;
	vrrp_startup(&v->vi, now, &acts);
	vr_do(v, &acts);
	vr_track_update(v, now);
}

void vr_stop(struct vr *v, vtime_t now)
{
	struct vrrp_actions acts = {0};

	if (v->settling)
		settle_other(v);
	vrrp_shutdown(&v->vi, now, &acts);
	vr_do(v, &acts);
	vr_garp_stop(v);
	loop_timer_cancel(&v->d->loop, &v->t);
	/* Whatever state we were in, remove every VIP: never leave one behind
	 * (an instance whose interface never existed has none). */
	v->vips_want = false;
	v->vips_on = v->ifp != NULL;
	vr_mark_dirty(v);
	v->started = false;
}

void vr_free(struct daemon *d, struct vr *v)
{
	struct vr **pp;

	for (pp = &d->vrs; *pp; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	size_t idx;
	if (vr_inst_index(d, v->ci, &idx) && d->by_inst[idx] == v)
		d->by_inst[idx] = NULL;
	if (v->sock && v->sock->by_vrid[v->ci->vrid] == v)
		v->sock->by_vrid[v->ci->vrid] = NULL;
	vr_hb_detach(v);
	loop_timer_cancel(&d->loop, &v->t);
	loop_timer_cancel(&d->loop, &v->garp_t);
	loop_timer_cancel(&d->loop, &v->cf_t);
	vr_txq_flush(d); /* none of its adverts is left queued */
	vr_vmac_close(v);
	why_free(&v->why);
	free(v->vip_ifindex);
	free(v->adv_addrs);
	free(v);
}
