/* heartbeat: an instance's heartbeat_path, the second path of its adverts
 * (vrrpd's own; conf_instance.has_hb), and the health of each path.
 *
 * How: the second path's interface gets its socket as any interface does
 * (iface_sock); the instance registers in its hb_by_vrid, so that the
 * receive path (iface.c) finds it there when the interface carries no
 * instance of that VRID of its own. Peers without an interface share the
 * instance's own socket and are told apart by their source. Every advert
 * goes out on both paths; an accepted one from either is given to the
 * state machine (vrrp_recv_via) and counted for its path here. A path is
 * up while an advert came by it within one Master_Down_Interval, down when
 * none did while we are Backup (logged once each way), idle otherwise. A
 * Backup's timer (hb_t) re-evaluates the paths when one may change. */
#include <errno.h>
#include <string.h>

#include "core/addrlist.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sock.h"

static const char *path_ifname(const struct vr *v, int path)
{
	return path && v->ci->hb_ifname[0] ? v->ci->hb_ifname : v->ci->ifname;
}

/* Joins the instance's mcast_dst_ip on the second path, as vr_attach does
 * on the first. */
static void vr_hb_join(struct vr *v)
{
	const struct conf_instance *ci = v->ci;
	struct vaddr buf;

	if (ci->n_hb_peers || !ci->has_mcast_dst ||
	    addr_eq(&ci->mcast_dst, iface_group(v->d, ci->family, &buf)))
		return;
	if (sock_join(v->hb_sock->fd, v->hb_ifp->ifindex, &ci->mcast_dst) < 0 &&
	    errno != EADDRINUSE)
		log_warn("%s: cannot join %s on %s", ci->name,
			 addr_str(&ci->mcast_dst, (char[ADDR_STRLEN]){0}), ci->hb_ifname);
}

void vr_hb_attach(struct vr *v)
{
	const struct conf_instance *ci = v->ci;

	if (!ci->has_hb || v->hb_sock)
		return;
	if (!ci->hb_ifname[0]) { /* peers over the instance's own interface */
		v->hb_ifp = v->ifp;
		v->hb_sock = v->sock;
		return;
	}
	if (nl_link_ifindex(&v->d->nl, ci->hb_ifname) <= 0) {
		if (ratelimit_ok(&v->rl_hb, loop_now(), LOG_EVERY, NULL))
			log_errx("%s: heartbeat_path interface %s does not exist; adverts go on %s "
				 "only until it does",
				 ci->name, ci->hb_ifname, ci->ifname);
		return;
	}
	v->hb_ifp = iface_get(v->d, ci->hb_ifname);
	v->hb_sock = v->hb_ifp ? iface_sock(v->hb_ifp, ci->family) : NULL;
	if (!v->hb_sock)
		return;
	v->hb_sock->hb_by_vrid[ci->vrid] = v;
	if (!iface_source(v->hb_ifp, ci->family)->family)
		iface_find_sources(v->hb_ifp);
	vr_hb_join(v);
	log_info("%s: heartbeat_path on %s", ci->name, ci->hb_ifname);
}

void vr_hb_detach(struct vr *v)
{
	if (v->hb_sock && v->hb_sock->hb_by_vrid[v->ci->vrid] == v)
		v->hb_sock->hb_by_vrid[v->ci->vrid] = NULL;
	v->hb_sock = NULL;
	v->hb_ifp = NULL;
	loop_timer_cancel(&v->d->loop, &v->hb_t);
}

const struct vaddr *vr_hb_source(const struct vr *v)
{
	const struct conf_instance *ci = v->ci;

	if (ci->hb_has_src)
		return &ci->hb_src;
	if (ci->hb_ifname[0] && v->hb_ifp)
		return iface_source(v->hb_ifp, ci->family);
	return &v->vi.primary;
}

void vr_hb_send(struct vr *v, const struct pkt_advert *h)
{
	const struct conf_instance *ci = v->ci;
	const struct vaddr *src = vr_hb_source(v);
	struct vaddr buf;

	if (!v->hb_sock || v->hb_sock->fd < 0)
		return;
	if (!src->family) {
		if (ratelimit_ok(&v->rl_hb, loop_now(), LOG_EVERY, NULL))
			log_errx("%s: heartbeat_path: %s has no %s to send adverts from", ci->name,
				 path_ifname(v, 1),
				 ci->family == AF_INET ? "IPv4 address"
						       : "IPv6 link-local address");
		return;
	}
	int fd = v->hb_sock->fd, ifindex = v->hb_ifp->ifindex;
	/* TTL 255 on the second path, unicast too: its receive path checks it */
	if (ci->n_hb_peers) {
		for (size_t k = 0; k < ci->n_hb_peers; k++)
			vr_send_to(v, h, src, &ci->hb_peers[k], fd, ifindex, VRRP_TTL,
				   &v->rl_hb_tx);
	} else {
		vr_send_to(v, h, src,
			   ci->has_mcast_dst ? &ci->mcast_dst : iface_group(v->d, ci->family, &buf),
			   fd, ifindex, VRRP_TTL, &v->rl_hb_tx);
	}
}

struct vr *vr_hb_lookup(struct iface_sock *s, uint8_t vrid, const struct vaddr *src, int *path)
{
	struct vr *v = s->by_vrid[vrid];

	*path = 0;
	if (v) {
		const struct conf_instance *ci = v->ci;
		if (ci->has_hb && !ci->hb_ifname[0] &&
		    addrlist_has(ci->hb_peers, ci->n_hb_peers, src))
			*path = 1;
		return v;
	}
	*path = 1;
	return s->hb_by_vrid[vrid];
}

/* PATH's state at NOW: up while heard within Master_Down_Interval; as
 * Backup, down once that long passed without an advert (counted from the
 * later of the last one and our entering Backup); otherwise idle (a
 * master hears nobody). */
static enum vr_path_state path_eval(const struct vr *v, int path, vtime_t now, vtime_t *next)
{
	const struct vr_path *p = &v->path[path];
	vtime_t mdi = vrrp_master_down_interval(&v->vi);

	*next = 0;
	if (p->heard && now < p->heard + mdi) {
		*next = p->heard + mdi;
		return VR_PATH_UP;
	}
	if (v->vi.state != VRRP_STATE_BACKUP)
		return VR_PATH_IDLE;
	vtime_t from = p->heard > v->vi.since ? p->heard : v->vi.since;
	if (now >= from + mdi)
		return VR_PATH_DOWN;
	*next = from + mdi;
	return p->st == VR_PATH_DOWN ? VR_PATH_DOWN : VR_PATH_IDLE;
}

const char *vr_path_state(const struct vr *v, int path, vtime_t now)
{
	vtime_t next;

	switch (path_eval(v, path, now, &next)) {
	case VR_PATH_UP:
		return "up";
	case VR_PATH_DOWN:
		return "down";
	default:
		return "idle";
	}
}

/* Evaluates both paths, logs what changed, and arms the timer for the
 * next change. */
static void vr_hb_eval(struct vr *v, vtime_t now)
{
	vtime_t at = 0;

	for (int i = 0; i < 2; i++) {
		struct vr_path *p = &v->path[i];
		vtime_t next;
		enum vr_path_state st = path_eval(v, i, now, &next);
		if (next && (!at || next < at))
			at = next;
		if (st == p->st)
			continue;
		if (st == VR_PATH_DOWN)
			log_warnx(
			    "%s: heartbeat: path %d (%s) is down: no advert from the master for "
			    "%.3f s%s",
			    v->ci->name, i + 1, path_ifname(v, i),
			    (double)vrrp_master_down_interval(&v->vi) / 1e6,
			    v->path[!i].st == VR_PATH_UP ? "; the other path still carries them"
							 : "");
		else if (st == VR_PATH_UP && p->st == VR_PATH_DOWN)
			log_info("%s: heartbeat: path %d (%s) is up again", v->ci->name, i + 1,
				 path_ifname(v, i));
		p->st = st;
	}
	if (at)
		loop_timer_arm(&v->d->loop, &v->hb_t, at);
	else
		loop_timer_cancel(&v->d->loop, &v->hb_t);
}

void vr_path_heard(struct vr *v, int path, vtime_t now)
{
	if (!v->ci->has_hb)
		return;
	v->path[path].heard = now;
	v->path[path].rx++;
	vr_hb_eval(v, loop_now());
}

void vr_hb_timer(void *arg, vtime_t now)
{
	vr_hb_eval(arg, now);
}
