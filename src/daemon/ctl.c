/* ctl: what operators see of the running daemon — the snapshot vrrpctl
 * and the SIGUSR1/SIGUSR2 files are made from, and the control socket's
 * reload. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/probe.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/proc.h"
#include "ops/control.h"

#define DAEMON_DATA_FILE  "/tmp/vrrpd.data"
#define DAEMON_STATS_FILE "/tmp/vrrpd.stats"

static void daemon_snapshot_inst(struct ctl_instance *c, const struct vr *v, vtime_t mono,
				 double wall, double started)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", v->ci->name);
	snprintf(c->ifname, sizeof(c->ifname), "%s", v->ci->ifname);
	c->vrid = v->ci->vrid;
	c->version = v->ci->version;
	c->family = v->ci->family;
	c->state = vrrp_state_name(v->vi.state);
	c->priority = v->ci->priority;
	c->effective_priority = v->vi.prio;
	c->advert_int_cs = (uint16_t)v->ci->advert_int_cs;
	c->master_adver_int_cs = v->vi.master_adver_int_cs;
	c->primary = v->vi.primary;
	if (vrrp_master_known(&v->vi)) {
		c->master = v->vi.master;
		c->master_priority = v->vi.master_prio;
	}
	c->since = v->vi.since ? wall - (double)(mono - v->vi.since) / 1e6 : started;
	snprintf(c->reason, sizeof(c->reason), "%s", v->vi.reason);
	c->n_vips = v->ci->n_vips;
	c->vips_installed = v->vips_on;
	c->adverts_sent = v->tx;
	c->adverts_received = v->rx;
	c->transitions = v->transitions;
	c->addr_mismatch = v->addr_mismatch;
	memcpy(c->drops, v->drops.n, sizeof(c->drops));
	c->late_n = v->late_n;
	c->late_max_us = v->late_max_us;
	for (int i = 0; v->ci->has_hb && i < 2; i++) {
		struct ctl_path *cp = &c->paths[c->n_paths++];
		snprintf(cp->ifname, sizeof(cp->ifname), "%s",
			 i && v->ci->hb_ifname[0] ? v->ci->hb_ifname : v->ci->ifname);
		cp->state = vr_path_state(v, i, mono);
		cp->heard = v->path[i].heard ? wall - (double)(mono - v->path[i].heard) / 1e6 : 0;
		cp->adverts = v->path[i].rx;
	}
	memcpy(c->conflicts, v->cf.count, sizeof(c->conflicts));
	c->conflict_active = v->cf.active;
	if (v->cf.active) {
		c->conflict_kind = v->cf.kind;
		conflict_peer_str(&v->cf.info, v->cf.kind, c->conflict_peer);
		c->conflict_since = wall - (double)(mono - v->cf.since) / 1e6;
		conflict_describe(&v->cf.info, v->cf.kind, c->conflict_detail,
				  sizeof(c->conflict_detail));
	}
}

/* The loop's, the adverts', the netlink batches' and the reloads' figures. */
static void daemon_snapshot_health(const struct daemon *d, struct ctl_health *h, vtime_t mono)
{
	const struct loop_health *lh = &d->loop.health;

	h->turns = lh->turns;
	h->busy_us = lh->busy_us;
	h->turn_max_us = lh->longest.max_all;
	h->turn_max_1m_us = health_window_max(&lh->longest, mono);
	h->late = d->late;
	h->procs_started = proc_started_count();
	h->checks_run = probe_runs();
	h->nl_msgs = d->nla.batch_msgs;
	h->nl_us = d->nla.batch_us;
	h->reload = d->reloads;
}

static void daemon_snapshot(void *arg, struct ctl_snapshot *out)
{
	struct daemon *d = arg;
	size_t n = 0, nif = 0;
	vtime_t mono = loop_now();
	double wall = daemon_wall_now();

	for (struct vr *v = d->vrs; v; v = v->next)
		n++;
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		nif++;
	if (n > d->snap_inst_cap) {
		struct ctl_instance *p = realloc(d->snap_inst, n * sizeof(*p));
		if (p) {
			d->snap_inst = p;
			d->snap_inst_cap = n;
		}
	}
	if (nif > d->snap_if_cap) {
		struct ctl_iface *p = realloc(d->snap_if, nif * sizeof(*p));
		if (p) {
			d->snap_if = p;
			d->snap_if_cap = nif;
		}
	}
	memset(out, 0, sizeof(*out));
	out->router_id = d->conf->global.router_id;
	out->started = d->started;
	out->now = wall;
	/* Configuration order, not list order (new instances are pushed in front). */
	size_t k = 0;
	for (size_t i = 0; i < d->conf->n_inst && k < d->snap_inst_cap; i++) {
		struct vr *v = vr_of_inst(d, i);
		if (v)
			daemon_snapshot_inst(&d->snap_inst[k++], v, mono, wall, d->started);
	}
	out->inst = d->snap_inst;
	out->n_inst = k;
	k = 0;
	for (struct iface *ifp = d->ifaces; ifp && k < d->snap_if_cap; ifp = ifp->next) {
		struct ctl_iface *c = &d->snap_if[k++];
		snprintf(c->ifname, sizeof(c->ifname), "%s", ifp->name);
		memcpy(c->drops, ifp->drops.n, sizeof(c->drops));
	}
	out->ifaces = d->snap_if;
	out->n_ifaces = k;
	daemon_snapshot_health(d, &out->health, mono);
}

static int daemon_ctl_reload(void *arg, int fd, char *msg, size_t len)
{
	struct daemon *d = arg;

	if (len)
		msg[0] = '\0';
	log_info("control: reload requested; reloading %s", d->conf_path);
	return daemon_reload(d, fd, msg, len);
}

/* vrrpctl why: the instance's ring, read in place (the answer is built
 * before the loop runs again). */
static int daemon_ctl_why(void *arg, const char *name, struct ctl_why *out)
{
	struct daemon *d = arg;

	for (struct vr *v = d->vrs; v; v = v->next) {
		if (strcmp(v->ci->name, name) != 0)
			continue;
		snprintf(out->name, sizeof(out->name), "%s", v->ci->name);
		out->state = vrrp_state_name(v->vi.state);
		out->ring = &v->why;
		out->mono_now = loop_now();
		out->wall_now = daemon_wall_now();
		return 0;
	}
	return -1;
}

const struct ctl_ops daemon_ctl_ops = {
    .snapshot = daemon_snapshot,
    .reload = daemon_ctl_reload,
    .why = daemon_ctl_why,
    .restart = daemon_restart_request,
};

static void daemon_log_stats(struct daemon *d)
{
	for (struct vr *v = d->vrs; v; v = v->next) {
		char a[ADDR_STRLEN];
		log_info("%s: %s priority %u master %s tx %llu rx %llu transitions %llu "
			 "addr-mismatch %llu",
			 v->ci->name, vrrp_state_name(v->vi.state), v->vi.prio,
			 addr_str(&v->vi.master, a), (unsigned long long)v->tx,
			 (unsigned long long)v->rx, (unsigned long long)v->transitions,
			 (unsigned long long)v->addr_mismatch);
		for (int r = 1; r < PKT_DROP__MAX; r++)
			if (v->drops.n[r])
				log_info("%s: dropped %s: %llu", v->ci->name,
					 pkt_drop_str((enum pkt_drop)r),
					 (unsigned long long)v->drops.n[r]);
	}
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		for (int r = 1; r < PKT_DROP__MAX; r++)
			if (ifp->drops.n[r])
				log_info("%s: dropped %s: %llu", ifp->name,
					 pkt_drop_str((enum pkt_drop)r),
					 (unsigned long long)ifp->drops.n[r]);
}

void daemon_dump_files(struct daemon *d, int signo)
{
	/* keepalived's habit: data (USR1) or stats (USR2) dumped to files. */
	struct ctl_snapshot snap;
	const char *path = signo == SIGUSR1 ? DAEMON_DATA_FILE : DAEMON_STATS_FILE;

	daemon_snapshot(d, &snap);
	if (ctl_write_files(&snap, signo == SIGUSR1 ? path : NULL, signo == SIGUSR2 ? path : NULL) <
	    0)
		log_err("cannot write %s", path);
	else
		log_info("wrote %s", path);
	if (signo == SIGUSR1)
		daemon_log_stats(d);
}
