/* tracking: what tracked interfaces, scripts, processes and files do to an instance
 * (effective priority, FAULT), sync groups, and notify on transitions. The
 * rules are core's (track.c, group.c); this file gathers the facts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/checker.h"
#include "core/debounce.h"
#include "core/group.h"
#include "core/track.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "ops/notify.h"

const struct conf_sync_group *vr_group(const struct vr *v)
{
	const struct config *c = v->d->conf;

	return v->ci->sync_group_idx >= 0 && (size_t)v->ci->sync_group_idx < c->n_groups
		   ? &c->groups[v->ci->sync_group_idx]
		   : NULL;
}

/* The members of v's sync group as core/group sees them, in d->members;
 * *self = v's place among them. Returns their number (0: no group). */
static size_t vr_group_view(struct vr *v, size_t *self)
{
	const struct conf_sync_group *g = vr_group(v);
	struct daemon *d = v->d;

	*self = SIZE_MAX;
	if (!g)
		return 0;
	if (g->n_members > d->members_cap) {
		struct group_member *p = realloc(d->members, g->n_members * sizeof(*p));
		if (!p)
			return 0;
		d->members = p;
		d->members_cap = g->n_members;
	}
	for (size_t i = 0; i < g->n_members; i++) {
		struct vr *m = vr_of_inst(d, g->members[i]);
		d->members[i] = (struct group_member){.vi = m && m->started ? &m->vi : NULL,
						      .fault = m && m->track_fault};
		if (m == v)
			*self = i;
	}
	return g->n_members;
}

bool vr_group_hold(struct vr *v, vtime_t now, vtime_t *until)
{
	size_t self, n = vr_group_view(v, &self);

	return n && group_hold(v->d->members, n, self, now, until);
}

/* ---- interface_up_down_delays ---- */

static void deb_expired(void *arg, vtime_t now)
{
	daemon_track_all(arg, now);
}

static bool link_real(struct daemon *d, const char *name)
{
	int ifx = nl_link_ifindex(&d->nl, name);

	return ifx > 0 && nl_link_running(&d->nl, ifx);
}

/* (Re)builds the delays from the configuration, each starting from the
 * interface's state now. */
static void deb_build(struct daemon *d)
{
	const struct config *c = d->conf;

	free(d->deb);
	d->deb = calloc(c->global.n_if_delays ? c->global.n_if_delays : 1, sizeof(*d->deb));
	for (size_t k = 0; d->deb && k < c->global.n_if_delays; k++)
		debounce_init(&d->deb[k], c->global.if_delays[k].down_us,
			      c->global.if_delays[k].up_us,
			      link_real(d, c->global.if_delays[k].ifname));
	d->deb_stale = false;
	if (!d->t_deb.cb)
		timer_init(&d->t_deb, deb_expired, d);
}

/* Whether NAME's link is to be taken as up: its real state, or, with an
 * interface_up_down_delays line, the state that has lasted its delay (a
 * timer re-evaluates the tracking when a pending change is due). */
static bool link_up(struct daemon *d, const char *name, vtime_t now)
{
	const struct config *c = d->conf;
	bool up = link_real(d, name);
	vtime_t due = 0;
	size_t k;

	if (!c->global.n_if_delays)
		return up;
	if (!d->deb || d->deb_stale)
		deb_build(d);
	for (k = 0; d->deb && k < c->global.n_if_delays; k++)
		if (!strcmp(c->global.if_delays[k].ifname, name))
			break;
	if (!d->deb || k == c->global.n_if_delays)
		return up;
	bool was = d->deb[k].up;
	vtime_t was_due = d->deb[k].due;
	bool acted = debounce_update(&d->deb[k], up, now);
	if (!was_due && d->deb[k].due)
		log_info(
		    "%s: link %s; acted on in %.6f s if it stays so (interface_up_down_delays)",
		    name, up ? "up" : "down", (double)(d->deb[k].due - now) / 1e6);
	else if (was_due && !d->deb[k].due && acted == was)
		log_info("%s: link %s again within its delay: the change is not acted on", name,
			 up ? "up" : "down");
	for (size_t j = 0; j < c->global.n_if_delays; j++)
		if (d->deb[j].due && (!due || d->deb[j].due < due))
			due = d->deb[j].due;
	if (due)
		loop_timer_arm(&d->loop, &d->t_deb, due);
	else
		loop_timer_cancel(&d->loop, &d->t_deb);
	return acted;
}

static void track_add_ifs(struct vr *v, struct track_item *it, size_t *n,
			  const struct conf_track_if *tif, size_t ntif)
{
	for (size_t i = 0; i < ntif; i++)
		it[(*n)++] = (struct track_item){.kind = TRACK_INTERFACE,
						 .name = tif[i].ifname,
						 .weight = tif[i].weight,
						 .reverse = tif[i].reverse,
						 .up = link_up(v->d, tif[i].ifname, loop_now())};
}

static void track_add_scripts(struct vr *v, struct track_item *it, size_t *n,
			      const struct conf_track_script *ts, size_t nts)
{
	for (size_t i = 0; i < nts; i++)
		it[(*n)++] = (struct track_item){.kind = TRACK_SCRIPT,
						 .name = ts[i].name,
						 .weight = ts[i].weight,
						 .reverse = ts[i].reverse,
						 .up = v->d->checkers &&
						       checker_up(v->d->checkers, ts[i].script),
						 .gateway = ts[i].gateway};
}

/* track_process { } (KIND TRACK_PROCESS) or track_file { } entries. */
static void track_add_refs(struct vr *v, struct track_item *it, size_t *n, enum track_kind kind,
			   const struct conf_track_script *ts, size_t nts)
{
	for (size_t i = 0; i < nts; i++) {
		struct track_item t = {.kind = kind,
				       .name = ts[i].name,
				       .weight = ts[i].weight,
				       .reverse = ts[i].reverse};
		if (kind == TRACK_PROCESS)
			t.up = trackers_proc_up(v->d->trackers, ts[i].script);
		else
			t.value = trackers_file_value(v->d->trackers, ts[i].script);
		it[(*n)++] = t;
	}
}

/* The instance's own verdict: its interface (down = FAULT, as keepalived),
 * its tracked interfaces and scripts, and those of its sync group. */
static void vr_track_eval(struct vr *v, struct track_result *r)
{
	const struct conf_instance *ci = v->ci;
	const struct conf_sync_group *g = vr_group(v);
	size_t cap =
	    4 + ci->n_track_ifs + ci->n_track_scripts + ci->n_track_procs + ci->n_track_files +
	    (g ? g->n_track_ifs + g->n_track_scripts + g->n_track_procs + g->n_track_files : 0);
	struct track_item *it = calloc(cap, sizeof(*it));
	size_t n = 0;

	if (!it) {
		track_eval(ci->priority, NULL, 0, r);
		return;
	}
	/* dont_track_primary: its own interface going down is no FAULT */
	if (!ci->dont_track_primary)
		it[n++] =
		    (struct track_item){.kind = TRACK_INTERFACE,
					.name = ci->ifname,
					.up = v->ifp && link_up(v->d, ci->ifname, loop_now())};
	/* No source address for adverts: a silent master would leave its VIPs
	 * up while a backup takes them too (conformance 12, 37). */
	if (!ci->has_unicast_src && !v->vi.primary.family)
		it[n++] = (struct track_item){
		    .kind = TRACK_INTERFACE,
		    .name = ci->family == AF_INET
				? "its IPv4 address (none left on the interface)"
				: "its IPv6 link-local address (none left on the interface)",
		    .up = false};
	/* track_src_ip: unicast_src_ip gone from the interface (keepalived). */
	char src[ADDR_STRLEN + 64], a[ADDR_STRLEN];
	if (ci->track_src_ip && ci->has_unicast_src) {
		snprintf(src, sizeof(src), "source address %s (unicast_src_ip, track_src_ip)",
			 addr_str(&ci->unicast_src, a));
		it[n++] = (struct track_item){
		    .kind = TRACK_INTERFACE,
		    .name = src,
		    .up = v->ifp && nl_link_has_addr(&v->d->nl, v->ifp->ifindex, &ci->unicast_src)};
	}
	/* unicast_fault_no_peer: no peer to advertise to is a fault (keepalived). */
	if (ci->unicast_fault_no_peer && !ci->n_peers)
		it[n++] = (struct track_item){.kind = TRACK_INTERFACE,
					      .name = "the unicast peer list (empty, "
						      "unicast_fault_no_peer)",
					      .up = false};
	track_add_ifs(v, it, &n, ci->track_ifs, ci->n_track_ifs);
	track_add_scripts(v, it, &n, ci->track_scripts, ci->n_track_scripts);
	track_add_refs(v, it, &n, TRACK_PROCESS, ci->track_procs, ci->n_track_procs);
	track_add_refs(v, it, &n, TRACK_FILE, ci->track_files, ci->n_track_files);
	if (g) {
		track_add_ifs(v, it, &n, g->track_ifs, g->n_track_ifs);
		track_add_scripts(v, it, &n, g->track_scripts, g->n_track_scripts);
		track_add_refs(v, it, &n, TRACK_PROCESS, g->track_procs, g->n_track_procs);
		track_add_refs(v, it, &n, TRACK_FILE, g->track_files, g->n_track_files);
	}
	track_eval(ci->priority, it, n, r);
	free(it);
}

void vr_prio_notify(struct vr *v, uint8_t was)
{
	if (v->vi.prio != was && v->ci->notify.priority_changes)
		notify_priority(v->d->notify, v->ci->name, v->vi.state == VRRP_STATE_MASTER,
				v->vi.prio);
}

/* Applies the tracking verdict: effective priority, and FAULT in or out.
 * A sync group is in FAULT when any member's own tracking says so. */
static void vr_track_apply(struct vr *v, vtime_t now)
{
	struct track_result r;
	struct vrrp_actions acts = {0};
	char why[2 * CONF_NAME_MAX + sizeof(v->track_why) + 32];

	if (!v->started)
		return;
	vr_track_eval(v, &r);
	v->track_fault = r.fault;
	snprintf(v->track_why, sizeof(v->track_why), "%s", r.why);
	bool fault = r.fault;
	snprintf(why, sizeof(why), "%s", r.why);
	size_t self, n = fault ? 0 : vr_group_view(v, &self);
	long other = n ? group_fault(v->d->members, n, self) : -1;
	if (other >= 0) {
		const struct conf_sync_group *g = vr_group(v);
		struct vr *m = vr_of_inst(v->d, g->members[other]);
		fault = true;
		snprintf(why, sizeof(why), "sync group %s: %s: %s", g->name, m->ci->name,
			 m->track_why);
	}
	uint8_t was = v->vi.prio;
	vrrp_set_priority(&v->vi, r.prio, now, &acts);
	vr_why_priority(v, was, r.prio_why, now);
	vr_prio_notify(v, was);
	if (fault)
		vrrp_set_fault(&v->vi, now, why, &acts);
	else
		vrrp_clear_fault(&v->vi, now, "tracked interfaces and scripts are healthy again",
				 &acts);
	vr_do(v, &acts);
}

/* Re-evaluates v and, when it belongs to a sync group, every member. */
void vr_track_update(struct vr *v, vtime_t now)
{
	const struct conf_sync_group *g = vr_group(v);

	vr_track_apply(v, now);
	for (size_t i = 0; g && i < g->n_members; i++) {
		struct vr *m = vr_of_inst(v->d, g->members[i]);
		if (m && m != v)
			vr_track_apply(m, now);
	}
}

void daemon_track_all(struct daemon *d, vtime_t now)
{
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_track_apply(v, now);
	/* A second pass lets every group member see the others' verdicts. */
	for (struct vr *v = d->vrs; v; v = v->next)
		if (vr_group(v))
			vr_track_apply(v, now);
}

bool daemon_track_some(struct daemon *d, vtime_t now, size_t *at, size_t n)
{
	size_t m = d->n_by_inst; /* positions 0..m-1: first pass; m..2m-1: second */

	for (; *at < 2 * m && n; ++*at, n--) {
		struct vr *v = d->by_inst[*at % m];
		if (v && (*at < m || vr_group(v)))
			vr_track_apply(v, now);
	}
	return *at >= 2 * m;
}

static bool track_scripts_use(const struct conf_track_script *ts, size_t n, size_t script)
{
	for (size_t i = 0; i < n; i++)
		if (ts[i].script == script)
			return true;
	return false;
}

void daemon_script_changed(void *arg, size_t script, bool up)
{
	struct daemon *d = arg;
	vtime_t now = loop_now();

	(void)up;
	for (struct vr *v = d->vrs; v; v = v->next) {
		const struct conf_sync_group *g = vr_group(v);
		if (track_scripts_use(v->ci->track_scripts, v->ci->n_track_scripts, script) ||
		    (g && track_scripts_use(g->track_scripts, g->n_track_scripts, script)))
			vr_track_update(v, now);
	}
}

bool daemon_tracker_used(const struct config *c, int kind, size_t idx)
{
	for (size_t k = 0; k < c->n_inst; k++) {
		const struct conf_instance *in = &c->inst[k];
		if (kind == TRACK_PROCESS
			? track_scripts_use(in->track_procs, in->n_track_procs, idx)
			: track_scripts_use(in->track_files, in->n_track_files, idx))
			return true;
	}
	for (size_t k = 0; k < c->n_groups; k++) {
		const struct conf_sync_group *g = &c->groups[k];
		if (kind == TRACK_PROCESS
			? track_scripts_use(g->track_procs, g->n_track_procs, idx)
			: track_scripts_use(g->track_files, g->n_track_files, idx))
			return true;
	}
	return false;
}

void daemon_tracker_changed(struct daemon *d, int kind, size_t idx)
{
	vtime_t now = loop_now();

	for (struct vr *v = d->vrs; v; v = v->next) {
		const struct conf_instance *in = v->ci;
		const struct conf_sync_group *g = vr_group(v);
		bool uses =
		    kind == TRACK_PROCESS
			? track_scripts_use(in->track_procs, in->n_track_procs, idx) ||
			      (g && track_scripts_use(g->track_procs, g->n_track_procs, idx))
			: track_scripts_use(in->track_files, in->n_track_files, idx) ||
			      (g && track_scripts_use(g->track_files, g->n_track_files, idx));
		if (uses)
			vr_track_update(v, now);
	}
}

/* A member moved: the others follow as core/group says (keepalived's sync
 * groups). Forced moves do not propagate again. */
void vr_sync_group(struct vr *v, enum vrrp_state from, vtime_t now)
{
	const struct conf_sync_group *g = vr_group(v);
	enum vrrp_state to = group_follow(from, v->vi.state);
	char why[160];

	if (!g || v->d->syncing || to == VRRP_STATE_INIT)
		return;
	snprintf(why, sizeof(why), "sync group %s: %s is %s", g->name, v->ci->name,
		 vrrp_state_name(to));
	v->d->syncing++;
	for (size_t i = 0; i < g->n_members; i++) {
		struct vr *m = vr_of_inst(v->d, g->members[i]);
		struct vrrp_actions acts = {0};
		if (!m || m == v || !m->started)
			continue;
		vrrp_force_state(&m->vi, to, now, why, &acts);
		vr_do(m, &acts);
	}
	v->d->syncing--;
}

static const char *notify_state_name(const struct vr *v, enum vrrp_state s)
{
	if (s != VRRP_STATE_INIT)
		return vrrp_state_name(s);
	return v->stop_as ? v->stop_as : "STOP";
}

/* notify_* of the instance, and of its group when the group's state changed
 * with it. */
void vr_notify(struct vr *v)
{
	struct daemon *d = v->d;
	const struct conf_sync_group *g = vr_group(v);

	if (!d->notify)
		return;
	notify_state(d->notify, "INSTANCE", v->ci->name, &v->ci->notify,
		     notify_state_name(v, v->log_to), v->vi.prio);
	if (g && (size_t)v->ci->sync_group_idx < d->n_groups &&
	    group_notify(&d->group_state[v->ci->sync_group_idx], v->log_to))
		notify_state(d->notify, "GROUP", g->name, &g->notify,
			     notify_state_name(v, v->log_to), 0);
}

/* The state all started members of group GI agree on, or INIT. */
static enum vrrp_state group_now(struct daemon *d, size_t gi)
{
	const struct conf_sync_group *g = &d->conf->groups[gi];
	enum vrrp_state st = VRRP_STATE_INIT;

	for (size_t i = 0; i < g->n_members; i++) {
		struct vr *m = vr_of_inst(d, g->members[i]);
		if (!m || !m->started)
			continue;
		if (st != VRRP_STATE_INIT && m->vi.state != st)
			return VRRP_STATE_INIT;
		st = m->vi.state;
	}
	return st;
}

void daemon_fifo_states(struct daemon *d)
{
	for (struct vr *v = d->vrs; v; v = v->next)
		if (v->started && v->vi.state != VRRP_STATE_INIT)
			notify_fifo_only(d->notify, "INSTANCE", v->ci->name,
					 vrrp_state_name(v->vi.state), v->vi.prio);
	for (size_t gi = 0; gi < d->conf->n_groups; gi++) {
		enum vrrp_state st = group_now(d, gi);
		if (st != VRRP_STATE_INIT)
			notify_fifo_only(d->notify, "GROUP", d->conf->groups[gi].name,
					 vrrp_state_name(st), 0);
	}
}

/* Group state bookkeeping for a (new) configuration. */
void daemon_groups_reset(struct daemon *d)
{
	free(d->group_state);
	d->n_groups = d->conf->n_groups;
	d->group_state = calloc(d->n_groups ? d->n_groups : 1, sizeof(*d->group_state));
	if (!d->group_state)
		d->n_groups = 0;
}
