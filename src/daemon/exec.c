/* exec: executes what the state machine asks for. Adverts go out at once;
 * everything else (VIPs in one netlink batch for every instance that moved,
 * transition logs and notify, the GARP schedule) is deferred to the end of
 * the loop turn, so that every due advert of the turn goes out first. */
#include <errno.h>
#include <string.h>

#include "core/frame.h"
#include "daemon/internal.h"
#include "io/filter.h"
#include "io/frame_tx.h"
#include "io/log.h"
#include "io/sysctl.h"
#include "ops/notify.h"

void vr_mark_dirty(struct vr *v)
{
	if (v->dirty)
		return;
	v->dirty = true;
	v->dirty_next = v->d->dirty;
	v->d->dirty = v;
}

static void vr_log_transition(struct vr *v)
{
	log_info("%s: %s -> %s (%s)", v->ci->name, vrrp_state_name(v->log_from),
		 vrrp_state_name(v->log_to), v->log_reason);
	v->log_pending = false;
	if (v->settling && v->log_to != VRRP_STATE_MASTER && v->log_to != VRRP_STATE_BACKUP)
		settle_other(v); /* FAULT (or stopped) before any master was known */
	vr_notify(v);
}

/* ---- gratuitous ARP and unsolicited NA ---- */

/* The GARP / NA schedule's timer: sends what core/announce says is due, within
 * the loop turn's budget shared by all instances (255 bursts falling due
 * together must not hold an advert up; the budget is refilled at the end
 * of every turn), and arms the timer for the next step. */
void vr_garp_step(void *arg, vtime_t now)
{
	struct vr *v = arg;
	uint8_t mac[6], frame[FRAME_NA_LEN];
	int last_ifindex = 0;
	size_t i;

	while (announce_next(&v->ann, &v->ann_cfg, v->ci->n_vips, now, &v->d->garp_budget, &i)) {
		const struct vip *vip = &v->ci->vips[i];
		if (v->vip_ifindex[i] != last_ifindex) {
			if (nl_link_mac(&v->d->nl, v->vip_ifindex[i], mac) < 0)
				continue;
			last_ifindex = v->vip_ifindex[i];
		}
		size_t len = vip->addr.family == AF_INET
				 ? frame_garp(frame, sizeof(frame), mac, &vip->addr)
				 : frame_na(frame, sizeof(frame), mac, &vip->addr, v->na_router);
		if (len && frame_tx_send(v->d->garp_fd, v->vip_ifindex[i], frame, len) < 0)
			log_debug("%s: %s failed: %s", v->ci->name,
				  vip->addr.family == AF_INET ? "gratuitous ARP" : "unsolicited NA",
				  strerror(errno));
	}
	if (v->ann.next_at)
		loop_timer_arm(&v->d->loop, &v->garp_t, v->ann.next_at);
	else
		loop_timer_cancel(&v->d->loop, &v->garp_t);
}

static void vr_garp_start(struct vr *v, vtime_t now)
{
	int fwd = 0;

	/* keepalived sets the NA's Router flag when the interface forwards
	 * IPv6; asked once per takeover, not per frame. */
	v->na_router = v->ci->family == AF_INET6 && v->ifp &&
		       sysctl_get("ipv6", v->ifp->name, "forwarding", &fwd) == 0 && fwd;
	announce_start(&v->ann, &v->ann_cfg, now);
	vr_garp_step(v, now);
}

void vr_garp_stop(struct vr *v)
{
	announce_stop(&v->ann);
	loop_timer_cancel(&v->d->loop, &v->garp_t);
}

/* As master, v heard an advert that loses to it: another master is (or
 * was, until it heard us) on the link, and neighbours may have followed
 * it. keepalived's answer: garp_lower_prio_repeat GARPs / NAs now and
 * after garp_lower_prio_delay (from the GARP timer, like any burst: the
 * advert that answered goes first), and notify_master_rx_lower_pri. */
static void vr_rx_lower(struct vr *v)
{
	struct daemon *d = v->d;
	vtime_t now = loop_now();
	bool garp = v->vips_on && v->vips_want && announce_lower(&v->ann, &v->ann_cfg, now);

	if (garp)
		loop_timer_arm(&d->loop, &v->garp_t, v->ann.next_at);
	if (ratelimit_ok(&v->rl_lower, now, LOG_EVERY, NULL))
		log_info("%s: heard a lower-priority master while master%s", v->ci->name,
			 garp ? "; sending gratuitous ARPs / NAs again (garp_lower_prio_repeat)"
			      : "");
	notify_event(d->notify, "INSTANCE", v->ci->name, &v->ci->notify.master_rx_lower,
		     "notify_master_rx_lower_pri", "MASTER_RX_LOWER_PRI", v->vi.prio);
}

/* As master, another MAC claimed one of v's VIPs (a gratuitous ARP or NA,
 * daemon/claims.c): defend it at once, as RFC 5227 has a host defend its
 * address, with v's garp_lower_prio burst, so that the neighbours that
 * followed the claim come back (the chaos lab: a backup that was master for
 * a moment under loss, and whose adverts the loss ate, left its MAC in the
 * client's cache). At most once per half Advertisement_Interval, so that
 * two masters of a split brain do not flood each other. */
void vr_defend(struct vr *v, vtime_t now)
{
	vtime_t half = vrrp_adver_interval(&v->vi) / 2;

	if (!v->vips_on || !v->vips_want || (v->defend_at && now < v->defend_at + half))
		return;
	v->defend_at = now;
	if (announce_lower(&v->ann, &v->ann_cfg, now))
		loop_timer_arm(&v->d->loop, &v->garp_t, v->ann.next_at);
}

/* ---- deferred work ---- */

/* The device of a route: its own "dev", else (no gateway to resolve one
 * from) the instance's interface, its virtual MAC interface when it has
 * one. */
int vr_route_ifindex(struct vr *v, const struct vroute *r)
{
	if (r->dev[0])
		return nl_link_ifindex(&v->d->nl, r->dev);
	if (r->has_via)
		return 0;
	return v->vmac_ifindex ? v->vmac_ifindex : v->ifp ? v->ifp->ifindex : 0;
}

/* Queues what a master installs — VIPs, then virtual_routes (which may
 * name a VIP as their source), then virtual_rules — or, when leaving, the
 * same in reverse order, into the one batch of this loop turn. */
void vr_queue_kernel(struct vr *v, bool add)
{
	const struct conf_instance *ci = v->ci;
	struct nl_addr_sock *n = &v->d->nla;

	v->vip_failed = 0;
	if (!add) {
		for (size_t i = 0; i < ci->n_vrules; i++)
			nl_addr_queue_rule(n, false, &ci->vrules[i], ci->name, NULL);
		for (size_t i = 0; i < ci->n_vroutes; i++)
			nl_addr_queue_route(n, false, &ci->vroutes[i],
					    vr_route_ifindex(v, &ci->vroutes[i]), ci->name, NULL);
	}
	for (size_t i = 0; i < ci->n_vips; i++)
		nl_addr_queue(n, add, &ci->vips[i], v->vip_ifindex[i], ci->name, &v->vip_failed);
	if (add) {
		for (size_t i = 0; i < ci->n_vroutes; i++)
			nl_addr_queue_route(n, true, &ci->vroutes[i],
					    vr_route_ifindex(v, &ci->vroutes[i]), ci->name, NULL);
		for (size_t i = 0; i < ci->n_vrules; i++)
			nl_addr_queue_rule(n, true, &ci->vrules[i], ci->name, NULL);
	}
}

/* Does v drop packets to its VIPs while master? Accept_Mode off, and not
 * the address owner, which always accepts (conformance 56). */
bool vr_filters(const struct conf_instance *ci)
{
	return !ci->accept_mode && ci->priority != VRRP_PRIO_OWNER;
}

/* The filter changes of this turn's moves: ADDING the drop rules of
 * instances about to install their VIPs (before the netlink batch), or
 * removing those of instances that removed theirs (after it). */
static void vr_filter_all(struct daemon *d, bool adding)
{
	bool any = false;

	for (struct vr *v = d->dirty; v; v = v->dirty_next) {
		if (v->vips_want == v->vips_on || v->vips_want != adding)
			continue;
		if (adding ? !vr_filters(v->ci) : !v->filtered)
			continue;
		if (!d->filter && !(d->filter = filter_open()))
			return;
		for (size_t i = 0; i < v->ci->n_vips; i++)
			filter_queue(d->filter, adding, &v->ci->vips[i].addr);
		v->filtered = adding;
		any = true;
	}
	if (any)
		filter_commit(d->filter);
}

/* Deferred work: the VIP changes of every instance that moved go to the
 * kernel as one netlink batch, then transitions are logged and GARP bursts
 * start (only once the VIPs exist: conformance 53). Unless forced, it
 * waits while another timer is due within DEFER_GUARD_US (at most
 * DEFER_MAX_US), so that when many instances take over in the same
 * instant every takeover advert goes out before this work. */
void daemon_flush(struct daemon *d, bool force)
{
	struct vr *v;

	if (!d->dirty)
		return;
	vtime_t t0 = loop_now();
	if (!force) {
		vtime_t next = loop_next_due(&d->loop);
		if (!d->dirty_since)
			d->dirty_since = t0;
		if (next && next < t0 + DEFER_GUARD_US && t0 - d->dirty_since < DEFER_MAX_US)
			return; /* the loop calls again after that timer */
	}
	d->dirty_since = 0;
	/* Accept_Mode off: the drop rules are in place before the VIPs, and
	 * go only after them (conformance 56). */
	vr_filter_all(d, true);
	for (v = d->dirty; v; v = v->dirty_next)
		if (v->vips_want != v->vips_on)
			vr_queue_kernel(v, v->vips_want);
	nl_addr_commit(&d->nla);
	vr_filter_all(d, false);
	vtime_t now = loop_now();
	while ((v = d->dirty)) {
		d->dirty = v->dirty_next;
		v->dirty = false;
		if (v->log_pending)
			vr_log_transition(v);
		if (v->vips_want != v->vips_on) {
			v->vips_on = v->vips_want;
			log_info("%s: %s %zu VIP(s) in %.3f ms%s", v->ci->name,
				 v->vips_on ? "installed" : "removed",
				 v->ci->n_vips - (size_t)v->vip_failed, (double)(now - t0) / 1000.0,
				 v->vip_failed ? " (some failed, see above)" : "");
		}
		if (v->garp_pending && v->vips_on)
			vr_garp_start(v, now);
		v->garp_pending = false;
	}
	daemon_status_notify(d, "");
}

/* The loop's end-of-turn hook. */
void daemon_after(void *arg)
{
	struct daemon *d = arg;

	daemon_flush(d, false);
	d->garp_budget = GARP_BUDGET;
}

/* ---- the executor ---- */

static void vr_state_changed(struct vr *v, enum vrrp_state from)
{
	v->transitions++;
	vr_why_transition(v, from);
	if (v->log_pending) /* a second transition in one turn */
		vr_log_transition(v);
	v->log_pending = true;
	v->log_from = from;
	v->log_to = v->vi.state;
	memcpy(v->log_reason, v->vi.reason, sizeof(v->log_reason));
	vr_mark_dirty(v);
	vr_sync_group(v, from, loop_now());
}

void vr_do(struct vr *v, const struct vrrp_actions *acts)
{
	for (unsigned i = 0; i < acts->n; i++) {
		const struct vrrp_action *a = &acts->a[i];
		switch (a->kind) {
		case VRRP_ACT_SEND_ADVERT:
			vr_send_advert(v, a->priority);
			break;
		case VRRP_ACT_ADD_VIPS:
			v->vips_want = true;
			vr_mark_dirty(v);
			break;
		case VRRP_ACT_DEL_VIPS:
			vr_garp_stop(v);
			v->garp_pending = false;
			v->vips_want = false;
			vr_mark_dirty(v);
			break;
		case VRRP_ACT_GARP:
			v->garp_pending = true;
			vr_mark_dirty(v);
			break;
		case VRRP_ACT_STATE:
			vr_state_changed(v, a->from);
			break;
		case VRRP_ACT_RX_LOWER:
			vr_rx_lower(v);
			break;
		}
	}
	if (v->vi.timer_at)
		loop_timer_arm(&v->d->loop, &v->t, v->vi.timer_at);
	else
		loop_timer_cancel(&v->d->loop, &v->t);
}

/* An advert of v's timer, due at DUE, has gone out: how late, read on the
 * clock after the send (the loop's `now` is that of the turn's start,
 * which would hide the time the turn's earlier adverts took; txq.c reads it
 * after the advert's batch). */
void vr_count_late(struct vr *v, vtime_t due, vtime_t sent)
{
	uint64_t late = sent > due ? sent - due : 0;

	health_hist_add(&v->d->late, late);
	v->late_n++;
	if (late > v->late_max_us)
		v->late_max_us = late;
	if (v->settling) /* started as a backup, this is its first advert as master */
		settle_master(v, due, sent);
}

void vr_on_timer(void *arg, vtime_t now)
{
	struct vr *v = arg;
	struct vrrp_actions acts = {0};
	vtime_t until = 0;

	vtime_t due = v->vi.timer_at;

	if (due && now > due)
		daemon_sched_late(v->d, now - due);

	if (vrrp_master_down_due(&v->vi, now) && vr_group_hold(v, now, &until)) {
		vrrp_hold(&v->vi, until, now);
		loop_timer_arm(&v->d->loop, &v->t, v->vi.timer_at);
		return;
	}
	vrrp_timer(&v->vi, now, &acts);
	vr_txq_due(v, due);
	vr_do(v, &acts);
	vr_txq_due(v, 0);
}

/* A VIP removed by hand from a master is put back. */
void daemon_check_vips(struct daemon *d)
{
	char a[ADDR_STRLEN];

	for (struct vr *v = d->vrs; v; v = v->next) {
		if (!v->vips_on || v->vips_want != v->vips_on)
			continue;
		for (size_t i = 0; i < v->ci->n_vips; i++) {
			if (v->vip_ifindex[i] <= 0 ||
			    nl_link_has_addr(&d->nl, v->vip_ifindex[i], &v->ci->vips[i].addr))
				continue;
			log_warnx("%s: %s was removed from its interface by someone else; putting "
				  "it back",
				  v->ci->name, addr_str(&v->ci->vips[i].addr, a));
			v->vips_on = false; /* the flush re-adds the set (existing ones are kept) */
			v->garp_pending = true;
			vr_mark_dirty(v);
			break;
		}
	}
}
