/* reload: SIGHUP and `vrrpctl reload`. A bad file changes nothing;
 * unchanged instances keep their state, timers and VIPs; changed ones are
 * updated in place when their identity is the same, else restarted. */
#include <stdio.h>
#include <string.h>

#include "check/checker.h"
#include "conf/diff.h"
#include "daemon/internal.h"
#include "io/filter.h"
#include "io/log.h"
#include "io/sdnotify.h"
#include "ops/notify.h"

/* Applies a changed configuration to a running instance without a restart:
 * priority, interval and preempt settings go to the state machine; a master
 * adds and removes only the VIPs that changed, and announces the new ones. */
static bool routes_equal(const struct conf_instance *a, const struct conf_instance *b)
{
	return a->n_vroutes == b->n_vroutes && a->n_vrules == b->n_vrules &&
	       (!a->n_vroutes ||
		!memcmp(a->vroutes, b->vroutes, a->n_vroutes * sizeof(*a->vroutes))) &&
	       (!a->n_vrules || !memcmp(a->vrules, b->vrules, a->n_vrules * sizeof(*a->vrules)));
}

/* Accept_Mode in place: the drop rules follow the VIPs that stay, come
 * and go. ADDING: the rules for the new VIPs, sent before they are added;
 * else the rules of the VIPs that went, sent after they are removed. */
static void vr_update_filter(struct vr *v, const struct conf_diff_inst *e, bool was, bool is,
			     bool adding)
{
	struct daemon *d = v->d;

	if (!(adding ? is : was))
		return;
	if (!d->filter && !(d->filter = filter_open()))
		return;
	if (adding)
		for (size_t k = 0; k < (was ? e->n_vip_add : e->new->n_vips); k++)
			filter_queue(d->filter, true, &e->new->vips[was ? e->vip_add[k] : k].addr);
	else
		for (size_t k = 0; k < (is ? e->n_vip_del : e->old->n_vips); k++)
			filter_queue(d->filter, false, &e->old->vips[is ? e->vip_del[k] : k].addr);
	filter_commit(d->filter);
}

/* The routes and rules of a master whose virtual_routes / virtual_rules
 * changed: the old go, the new come, in the batch with the VIP changes. */
static void vr_update_routes(struct vr *v, const struct conf_instance *ci, bool add)
{
	for (size_t i = 0; !add && i < ci->n_vrules; i++)
		nl_addr_queue_rule(&v->d->nla, false, &ci->vrules[i], ci->name, NULL);
	for (size_t i = 0; i < ci->n_vroutes; i++)
		nl_addr_queue_route(&v->d->nla, add, &ci->vroutes[i],
				    vr_route_ifindex(v, &ci->vroutes[i]), ci->name, NULL);
	for (size_t i = 0; add && i < ci->n_vrules; i++)
		nl_addr_queue_rule(&v->d->nla, true, &ci->vrules[i], ci->name, NULL);
}

static void vr_update(struct vr *v, const struct conf_diff_inst *e, vtime_t now)
{
	const struct conf_instance *oi = e->old, *ni = e->new;
	bool routes = v->vips_on && !routes_equal(oi, ni);
	bool was = v->filtered, is = v->vips_on && vr_filters(ni);
	struct vrrp_params p;
	struct vrrp_actions acts = {0};

	if (routes)
		vr_update_routes(v, oi, false);
	if (v->vips_on)
		for (size_t k = 0; k < e->n_vip_del; k++)
			nl_addr_queue(&v->d->nla, false, &oi->vips[e->vip_del[k]],
				      v->vip_ifindex[e->vip_del[k]], oi->name, NULL);
	v->ci = ni;
	v->old_csum = ni->old_csum == CONF_OLD_CSUM_OLD ||
		      (ni->old_csum == CONF_OLD_CSUM_AUTO && v->old_csum); /* a learnt form stays */
	if (vr_build_vips(v, ni) < 0) {
		nl_addr_commit(&v->d->nla); /* the queued removals point into the old config */
		vr_update_filter(v, e, was, false, false);
		v->filtered = false;
		return;
	}
	vr_update_filter(v, e, was, is, true);
	if (v->vips_on) {
		for (size_t k = 0; k < e->n_vip_add; k++)
			nl_addr_queue(&v->d->nla, true, &ni->vips[e->vip_add[k]],
				      v->vip_ifindex[e->vip_add[k]], ni->name, NULL);
		if (routes)
			vr_update_routes(v, ni, true);
		nl_addr_commit(&v->d->nla); /* now: the old configuration is freed after this */
		if (e->n_vip_add) {
			v->garp_pending = true;
			vr_mark_dirty(v);
		}
	}
	vr_update_filter(v, e, was, is, false);
	v->filtered = is;
	vr_params(ni, &p);
	log_info("%s: updated in place (priority %u -> %u, advert_int %.2f -> %.2f s, "
		 "VIPs +%zu -%zu)",
		 ni->name, oi->priority, ni->priority, oi->advert_int_cs / 100.0,
		 ni->advert_int_cs / 100.0, v->vips_on ? e->n_vip_add : 0,
		 v->vips_on ? e->n_vip_del : 0);
	uint8_t was_prio = v->vi.prio;
	vrrp_reconfigure(&v->vi, &p, now, &acts);
	vr_prio_notify(v, was_prio);
	vr_do(v, &acts);
}

/* Appends a line to a fixed message buffer (for the control socket). */
static void msg_add(char *msg, size_t len, const char *line)
{
	size_t used = strnlen(msg, len);

	if (used + 1 < len)
		snprintf(msg + used, len - used, "%s%s", used ? "\n" : "", line);
}

/* A reload done in one turn (parsed in the loop: no child could be
 * forked) blocks it for a few ms (about 12 ms for 1000 instances): masters
 * whose advert falls due meanwhile advertise now instead, so the reload
 * never makes an advert late. */
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

/* Logs (and copies to msg) what loading the file said; when it was
 * rejected (NC is NULL), says so too. */
void reload_report(struct daemon *d, const struct config *nc, const struct conf_msgs *m, char *msg,
		   size_t msglen)
{
	char line[256];

	for (size_t i = 0; i < m->n; i++) {
		log_msg(nc ? LOG_WARNING : LOG_ERR, "%s", m->v[i]);
		if (msg)
			msg_add(msg, msglen, m->v[i]);
	}
	if (!nc) {
		snprintf(line, sizeof(line),
			 "reload: %s has %d error(s); the running configuration is unchanged",
			 d->conf_path, m->errors);
		reload_fail(d, line, msg, msglen);
	}
}

void reload_fail(struct daemon *d, const char *line, char *msg, size_t msglen)
{
	(void)d;
	log_errx("%s", line);
	if (msg)
		msg_add(msg, msglen, line);
	sdnotify_send("READY=1");
}

static bool same_bytes(const void *a, size_t na, const void *b, size_t nb, size_t size)
{
	return na == nb && (!na || !memcmp(a, b, na * size));
}

static bool statics_equal(const struct conf_global *a, const struct conf_global *b)
{
	return same_bytes(a->static_addrs, a->n_static_addrs, b->static_addrs, b->n_static_addrs,
			  sizeof(*a->static_addrs)) &&
	       same_bytes(a->static_routes, a->n_static_routes, b->static_routes,
			  b->n_static_routes, sizeof(*a->static_routes)) &&
	       same_bytes(a->static_rules, a->n_static_rules, b->static_rules, b->n_static_rules,
			  sizeof(*a->static_rules));
}

/* The running instance of a plan entry's old configuration, or NULL. */
static struct vr *reload_vr(struct daemon *d, const struct conf_diff_inst *e)
{
	return e->old ? vr_of_inst(d, (size_t)(e->old - d->conf->inst)) : NULL;
}

/* An UPDATE of an instance that never started is done as a restart. */
static bool reload_restarts(struct daemon *d, const struct conf_diff_inst *e)
{
	struct vr *v = reload_vr(d, e);

	return e->op == CONF_DIFF_RESTART || e->op == CONF_DIFF_REMOVE ||
	       (e->op == CONF_DIFF_UPDATE && (!v || !v->started));
}

/* Executes the plan: stops first, with the old configuration throughout (a
 * VIP moving from a removed instance to a kept one is then removed before
 * it is added), then keeps and updates in place, then switches to the new
 * configuration and starts what is new or restarted. */
static struct config *reload_apply(struct daemon *d, const struct conf_diff *plan,
				   struct config *nc, vtime_t now)
{
	for (size_t i = 0; i < plan->n; i++) {
		const struct conf_diff_inst *e = &plan->v[i];
		struct vr *v = reload_vr(d, e);
		if (v && e->op == CONF_DIFF_REMOVE)
			v->stop_as = e->old->notify.deleted ? "DELETED" : "FAULT";
		if (v && reload_restarts(d, e))
			vr_stop(v, now);
	}
	daemon_flush(d, true); /* the stopped instances' VIPs in one batch */
	for (size_t i = 0; i < plan->n; i++) {
		const struct conf_diff_inst *e = &plan->v[i];
		struct vr *v = reload_vr(d, e);
		if (v && !v->started && reload_restarts(d, e))
			vr_free(d, v);
	}
	for (size_t i = 0; i < plan->n; i++) {
		const struct conf_diff_inst *e = &plan->v[i];
		struct vr *v = reload_vr(d, e);
		if (!v)
			continue;
		if (e->op == CONF_DIFF_KEEP)
			v->ci = e->new;
		else if (e->op == CONF_DIFF_UPDATE)
			vr_update(v, e, now);
	}
	struct config *old = d->conf;
	if (!statics_equal(&old->global, &nc->global)) {
		daemon_statics(d, old, false);
		daemon_statics(d, nc, true);
	}
	d->conf = nc;
	d->deb_stale = true; /* interface_up_down_delays: rebuilt from nc */
	daemon_index_instances(d);
	struct checker_set *oldchk = d->checkers;
	d->checkers = checker_new(&d->loop, nc, oldchk, daemon_script_changed, d);
	checker_free(oldchk);
	/* Counted again from /proc and the files: a reload costs one scan. */
	trackers_free(d->trackers);
	d->trackers = trackers_new(d, nc);
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
	}
	return old; /* freed by reload_finish: a turn of its own */
}

/* Counts a reload for vrrpctl stats: it started at T[0], had read and
 * checked the file at T[1], diffed at T[2] and applied at T[3] (a rejected
 * one stops early: the later times are its end). */
void reload_count(struct daemon *d, bool rejected, const vtime_t t[4])
{
	struct health_reload *r = &d->reloads;

	r->count++;
	r->rejected += rejected;
	r->last_rejected = rejected;
	r->parse_us = t[1] - t[0];
	r->diff_us = t[2] - t[1];
	r->apply_us = t[3] - t[2];
	r->last_us = t[3] - t[0];
	if (r->last_us > r->max_us)
		r->max_us = r->last_us;
}

/* Diffs the running configuration with NC (loaded at T[1] for a reload
 * asked for at T[0]) into PLAN, or takes MADE. Returns 0, or -1 when rejected (NC is
 * freed then). */
int reload_prepare(struct daemon *d, struct config *nc, vtime_t t[4], struct conf_diff *plan,
		   const struct conf_diff *made, char *msg, size_t msglen)
{
	t[2] = t[3] = loop_now();
	if (strcmp(nc->global.net_namespace, d->conf->global.net_namespace)) {
		/* the sockets live where they were made: only a restart moves */
		log_warnx("reload: net_namespace '%s' takes effect at the next start; vrrpd "
			  "stays in '%s'",
			  nc->global.net_namespace, d->conf->global.net_namespace);
		memcpy(nc->global.net_namespace, d->conf->global.net_namespace,
		       sizeof(nc->global.net_namespace));
	}
	int diffed = 0;
	if (made) /* the child diffed: net_namespace is no part of a plan */
		*plan = *made;
	else
		diffed = conf_diff(d->conf, nc, plan);
	t[2] = t[3] = loop_now();
	if (diffed < 0) {
		reload_count(d, true, t);
		conf_free(nc);
		reload_fail(d, "reload: out of memory; the running configuration is unchanged", msg,
			    msglen);
		return -1;
	}
	return 0;
}

/* Applies PLAN (to NC): stops, updates and starts instances. Not at
 * real-time priority (RLIMIT_RTTIME), until reload_finish; with EARLY
 * (a reload done in one turn), masters whose advert falls due meanwhile
 * advertise now. Returns the old configuration
 * and in *RESTARTED the updates done as restarts. The tracking of every
 * instance (daemon_track_all) and the claims are left to the caller. */
struct config *reload_apply_plan(struct daemon *d, const struct conf_diff *plan, struct config *nc,
				 bool early, unsigned *restarted)
{
	sched_pause(&d->sched);
	if (early)
		reload_advertise_early(d, loop_now());
	*restarted = 0;
	for (size_t i = 0; i < plan->n; i++)
		*restarted += plan->v[i].op == CONF_DIFF_UPDATE && reload_restarts(d, &plan->v[i]);
	return reload_apply(d, plan, nc, loop_now());
}

/* Frees the old configuration and PLAN, counts the reload and says what
 * it did. */
void reload_finish(struct daemon *d, struct conf_diff *plan, struct config *old, unsigned restarted,
		   vtime_t t[4], char *msg, size_t msglen)
{
	char line[256];

	conf_free(old);
	t[3] = loop_now();
	reload_count(d, false, t);
	unsigned *n = plan->n_op;
	snprintf(line, sizeof(line),
		 "reload: %u instance(s) unchanged, %u updated in place, %u stopped, %u started "
		 "in %.2f ms",
		 n[CONF_DIFF_KEEP], n[CONF_DIFF_UPDATE] - restarted,
		 n[CONF_DIFF_RESTART] + n[CONF_DIFF_REMOVE] + restarted,
		 n[CONF_DIFF_RESTART] + n[CONF_DIFF_ADD] + restarted,
		 (double)(t[3] - t[0]) / 1000.0);
	conf_diff_free(plan);
	if (d->conf->global.fifo_states_on_reload)
		daemon_fifo_states(d);
	log_info("%s", line);
	if (msg)
		msg_add(msg, msglen, line);
	daemon_status_notify(d, "READY=1\n");
	daemon_sched(d);
}

/* All of it in this turn. Returns 0 when applied, -1 when rejected. */
int reload_commit(struct daemon *d, struct config *nc, vtime_t t[4], char *msg, size_t msglen)
{
	struct conf_diff plan;
	unsigned restarted;

	if (reload_prepare(d, nc, t, &plan, NULL, msg, msglen) < 0)
		return -1;
	struct config *old = reload_apply_plan(d, &plan, nc, true, &restarted);
	daemon_claims_refresh(d);
	daemon_track_all(d, loop_now());
	reload_finish(d, &plan, old, restarted, t, msg, msglen);
	d->reload_took = loop_now() - t[1];
	return 0;
}

/* Re-reads the configuration in this loop turn (vrrpd cannot fork a
 * parser). Returns 0 when applied, -1 when rejected. */
int reload_inline(struct daemon *d, vtime_t t0, char *msg, size_t msglen)
{
	vtime_t t[4] = {t0, 0, 0, 0};
	struct conf_msgs m;

	sched_pause(&d->sched);
	reload_advertise_early(d, t0);
	struct config *nc = conf_load_id(d->conf_path, d->config_id, &m);
	t[1] = t[2] = t[3] = loop_now();
	reload_report(d, nc, &m, msg, msglen);
	conf_msgs_free(&m);
	int rc = -1;
	if (!nc)
		reload_count(d, true, t);
	else
		rc = reload_commit(d, nc, t, msg, msglen);
	daemon_sched(d);
	return rc;
}
