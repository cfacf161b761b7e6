/* reload: SIGHUP and `vrrpctl reload`. A bad file changes nothing;
 * unchanged instances keep their state, timers and VIPs; changed ones are
 * updated in place when their identity is the same, else restarted. */
#include <stdio.h>
#include <string.h>

#include "check/checker.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sdnotify.h"
#include "ops/notify.h"

/* What a running instance cannot change without a restart. */
static bool vr_same_identity(const struct conf_instance *a, const struct conf_instance *b)
{
	return !strcmp(a->ifname, b->ifname) && a->vrid == b->vrid && a->version == b->version &&
	       a->family == b->family && a->has_unicast_src == b->has_unicast_src &&
	       (!a->has_unicast_src || addr_eq(&a->unicast_src, &b->unicast_src));
}

static bool vr_has_vip(const struct conf_instance *ci, const struct conf_instance *other,
		       const struct vip *vip)
{
	for (size_t i = 0; i < ci->n_vips; i++)
		if (conf_vip_equal(ci, &ci->vips[i], other, vip))
			return true;
	return false;
}

/* Applies a changed configuration to a running instance without a restart:
 * priority, interval and preempt settings go to the state machine; a master
 * adds and removes only the VIPs that changed, and announces the new ones. */
static void vr_update(struct vr *v, const struct conf_instance *ni, vtime_t now)
{
	const struct conf_instance *oi = v->ci;
	struct vrrp_params p;
	struct vrrp_actions acts = {0};
	unsigned added = 0, removed = 0;

	if (v->vips_on) {
		for (size_t i = 0; i < oi->n_vips; i++)
			if (!vr_has_vip(ni, oi, &oi->vips[i])) {
				nl_addr_queue(&v->d->nla, false, &oi->vips[i], v->vip_ifindex[i],
					      oi->name, NULL);
				removed++;
			}
	}
	v->ci = ni;
	if (vr_build_vips(v, ni) < 0) {
		nl_addr_commit(&v->d->nla); /* the queued removals point into the old config */
		return;
	}
	if (v->vips_on) {
		for (size_t i = 0; i < ni->n_vips; i++)
			if (!vr_has_vip(oi, ni, &ni->vips[i])) {
				nl_addr_queue(&v->d->nla, true, &ni->vips[i], v->vip_ifindex[i],
					      ni->name, NULL);
				added++;
			}
		nl_addr_commit(&v->d->nla); /* now: the old configuration is freed after this */
		if (added) {
			v->garp_pending = true;
			vr_mark_dirty(v);
		}
	}
	vr_params(ni, &p);
	log_info("%s: updated in place (priority %u -> %u, advert_int %.2f -> %.2f s, "
		 "VIPs +%u -%u)",
		 ni->name, oi->priority, ni->priority, oi->advert_int_cs / 100.0,
		 ni->advert_int_cs / 100.0, added, removed);
	vrrp_reconfigure(&v->vi, &p, now, &acts);
	vr_do(v, &acts);
}

/* Appends a line to a fixed message buffer (for the control socket). */
static void msg_add(char *msg, size_t len, const char *line)
{
	size_t used = strnlen(msg, len);

	if (used + 1 < len)
		snprintf(msg + used, len - used, "%s%s", used ? "\n" : "", line);
}

/* The reload blocks the loop for a few ms (about 8 ms for 255 instances):
 * masters whose advert falls due meanwhile advertise now instead, so the
 * reload never makes an advert late. */
static void reload_advertise_early(struct daemon *d, vtime_t t0)
{
	vtime_t horizon = 2 * d->reload_took;
	horizon = horizon < 20 * VTIME_MSEC ? 20 * VTIME_MSEC : horizon;
	horizon = horizon > 500 * VTIME_MSEC ? 500 * VTIME_MSEC : horizon;
	for (struct vr *v = d->vrs; v; v = v->next) {
		struct vrrp_actions acts = {0};
		if (!v->started || v->vi.state != VRRP_STATE_MASTER || !v->vi.timer_at ||
		    v->vi.timer_at > t0 + horizon)
			continue;
		vrrp_advertise_now(&v->vi, t0, &acts);
		vr_do(v, &acts);
	}
}

/* Loads the file; logs (and copies to msg) what it says. NULL when bad. */
static struct config *reload_load(struct daemon *d, char *msg, size_t msglen)
{
	struct conf_msgs msgs = {0};
	struct config *nc = conf_load(d->conf_path, &msgs);
	char line[256];

	sdnotify_printf("RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)loop_now());
	for (size_t i = 0; i < msgs.n; i++) {
		log_msg(nc ? LOG_WARNING : LOG_ERR, "%s", msgs.v[i]);
		if (msg)
			msg_add(msg, msglen, msgs.v[i]);
	}
	if (!nc) {
		snprintf(line, sizeof(line),
			 "reload: %s has %d error(s); the running configuration is unchanged",
			 d->conf_path, msgs.errors);
		log_errx("%s", line);
		if (msg)
			msg_add(msg, msglen, line);
		sdnotify_send("READY=1");
	}
	conf_msgs_free(&msgs);
	return nc;
}

/* Re-reads the configuration. Returns 0 when applied, -1 when rejected;
 * msg (may be NULL) receives the messages and the outcome. */
int daemon_reload(struct daemon *d, char *msg, size_t msglen)
{
	vtime_t t0 = loop_now(); /* the reload's cost includes parsing */

	reload_advertise_early(d, t0);
	struct config *nc = reload_load(d, msg, msglen);
	if (!nc)
		return -1;
	vtime_t now = loop_now();
	unsigned kept = 0, updated = 0, stopped = 0, started = 0;
	char line[256];
	struct vr *next;
	/* Stops first, with the old configuration throughout: a VIP moving from
	 * a removed instance to a kept one is then removed before it is added. */
	for (struct vr *v = d->vrs; v; v = next) {
		next = v->next;
		const struct conf_instance *ni = conf_find(nc, v->ci->name);
		if (ni &&
		    (conf_instance_equal(ni, v->ci) || (v->started && vr_same_identity(ni, v->ci))))
			continue;
		vr_stop(v, now);
		vr_free(d, v);
		stopped++;
	}
	for (struct vr *v = d->vrs; v; v = next) {
		next = v->next;
		const struct conf_instance *ni = conf_find(nc, v->ci->name);
		if (ni && conf_instance_equal(ni, v->ci)) {
			v->ci = ni;
			kept++;
			continue;
		}
		vr_update(v, ni, now); /* same identity: the first pass stopped the others */
		updated++;
	}
	struct config *old = d->conf;
	d->conf = nc;
	daemon_index_instances(d);
	struct checker_set *oldchk = d->checkers;
	d->checkers = checker_new(&d->loop, nc, oldchk, daemon_script_changed, d);
	checker_free(oldchk);
	if (d->notify)
		notify_set_config(d->notify, nc);
	daemon_groups_reset(d);
	for (size_t i = 0; i < nc->n_inst; i++) {
		if (vr_of_inst(d, i))
			continue;
		struct vr *v = vr_create(d, &nc->inst[i]);
		if (!v)
			continue;
		if (v->ifp && !iface_source(v->ifp, v->ci->family)->family)
			iface_find_sources(v->ifp);
		vr_clear_stale(v);
		vr_start(v, now);
		started++;
	}
	conf_free(old);
	daemon_track_all(d, now);
	snprintf(line, sizeof(line),
		 "reload: %u instance(s) unchanged, %u updated in place, %u stopped, %u started "
		 "in %.2f ms",
		 kept, updated, stopped, started, (double)(loop_now() - t0) / 1000.0);
	d->reload_took = loop_now() - t0;
	log_info("%s", line);
	if (msg)
		msg_add(msg, msglen, line);
	daemon_status_notify(d, "READY=1\n");
	return 0;
}
