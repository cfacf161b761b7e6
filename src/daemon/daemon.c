/* daemon: start, run and stop (see daemon.h); the rest of the wiring is in
 * the other files of src/daemon/ (internal.h names them). */
#include "daemon/daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/checker.h"
#include "daemon/internal.h"
#include "io/closer.h"
#include "io/filter.h"
#include "io/frame_tx.h"
#include "io/log.h"
#include "io/netns.h"
#include "io/sdnotify.h"
#include "ops/control.h"
#include "ops/notify.h"

/* One line for the service manager: how many instances in which state. */
void daemon_status_notify(struct daemon *d, const char *prefix)
{
	unsigned n[4] = {0}, total = 0;

	for (struct vr *v = d->vrs; v; v = v->next, total++)
		if (v->vi.state <= VRRP_STATE_FAULT)
			n[v->vi.state]++;
	sdnotify_printf("%sSTATUS=%u instance(s): %u MASTER, %u BACKUP, %u FAULT, %u INIT", prefix,
			total, n[VRRP_STATE_MASTER], n[VRRP_STATE_BACKUP], n[VRRP_STATE_FAULT],
			n[VRRP_STATE_INIT]);
}

double daemon_wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void daemon_signal(void *arg, int signo)
{
	struct daemon *d = arg;

	switch (signo) {
	case SIGTERM:
	case SIGINT:
		log_info("received %s: stopping", signo == SIGTERM ? "SIGTERM" : "SIGINT");
		loop_stop(&d->loop);
		break;
	case SIGHUP:
		log_info("received SIGHUP: reloading %s", d->conf_path);
		daemon_reload(d, -1, NULL, 0);
		break;
	case SIGUSR1:
	case SIGUSR2:
		daemon_dump_files(d, signo);
		break;
	case SIGXCPU:
		log_warnx(
		    "SIGXCPU: more than %llu us at real-time priority without blocking; "
		    "at %u us (vrrp_rlimit_rttime) the kernel kills vrrpd",
		    (unsigned long long)sched_rttime_soft(d->conf->global.sched.rlimit_rttime_us),
		    (unsigned)d->conf->global.sched.rlimit_rttime_us);
		break;
	}
}

void daemon_sched(struct daemon *d)
{
	const struct conf_sched *c = &d->conf->global.sched;
	struct sched_cfg sc = {.rt_priority = c->rt_priority,
			       .max_auto_priority = c->max_auto_priority,
			       .min_auto_delay_us = c->min_auto_delay_us,
			       .rlimit_rttime_us = c->rlimit_rttime_us,
			       .nice = c->nice,
			       .no_swap = c->no_swap};

	sched_apply(&sc, &d->sched);
}

void daemon_sched_late(struct daemon *d, uint64_t late_us)
{
	const struct conf_sched *c = &d->conf->global.sched;
	int next = sched_auto_next(d->sched.rt_priority, c->max_auto_priority, late_us,
				   c->min_auto_delay_us);

	if (next != d->sched.rt_priority)
		sched_raise(&d->sched, next, c->rlimit_rttime_us, late_us);
}

/* static_ipaddress / static_routes / static_rules of C: added (ADD) or
 * removed in one batch. They do not follow any instance: installed at
 * start, kept while vrrpd runs, removed when it stops. */
void daemon_statics(struct daemon *d, const struct config *c, bool add)
{
	const struct conf_global *g = &c->global;
	size_t n = g->n_static_addrs + g->n_static_routes + g->n_static_rules;

	if (!n)
		return;
	for (size_t i = 0; !add && i < g->n_static_rules; i++)
		nl_addr_queue_rule(&d->nla, false, &g->static_rules[i], "static_rules", NULL);
	for (size_t i = 0; !add && i < g->n_static_routes; i++)
		nl_addr_queue_route(&d->nla, false, &g->static_routes[i],
				    g->static_routes[i].dev[0]
					? nl_link_ifindex(&d->nl, g->static_routes[i].dev)
					: 0,
				    "static_routes", NULL);
	for (size_t i = 0; i < g->n_static_addrs; i++) {
		int ifx = nl_link_ifindex(&d->nl, g->static_addrs[i].dev);
		if (ifx > 0)
			nl_addr_queue(&d->nla, add, &g->static_addrs[i], ifx, "static_ipaddress",
				      NULL);
		else if (add)
			log_errx("static_ipaddress: interface %s does not exist",
				 g->static_addrs[i].dev);
	}
	for (size_t i = 0; add && i < g->n_static_routes; i++)
		nl_addr_queue_route(&d->nla, true, &g->static_routes[i],
				    g->static_routes[i].dev[0]
					? nl_link_ifindex(&d->nl, g->static_routes[i].dev)
					: 0,
				    "static_routes", NULL);
	for (size_t i = 0; add && i < g->n_static_rules; i++)
		nl_addr_queue_rule(&d->nla, true, &g->static_rules[i], "static_rules", NULL);
	int failed = nl_addr_commit(&d->nla);
	log_info("%s %zu static address(es), route(s) and rule(s)%s", add ? "installed" : "removed",
		 n, failed ? " (some failed, see above)" : "");
}

/* vrrp_startup_delay is over: every instance that can starts now. */
static void daemon_startup_hold_end(void *arg, vtime_t now)
{
	struct daemon *d = arg;

	d->holding = false;
	log_info("vrrp_startup_delay over: starting the instances");
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_start(v, now);
	settle_begin(d);
}

/* Creates every instance, clears what a crashed run left, and starts
 * them (after vrrp_startup_delay, when set): each elects from then on. */
static void daemon_start_instances(struct daemon *d)
{
	struct config *conf = d->conf;

	daemon_groups_reset(d);
	daemon_index_instances(d);
	daemon_statics(d, conf, true);
	d->checkers = checker_new(&d->loop, conf, NULL, daemon_script_changed, d);
	d->trackers = trackers_new(d, conf);
	d->notify = notify_new(&d->loop, conf);
	bool filtering = false;
	for (size_t i = 0; i < conf->n_inst; i++)
		filtering |= !conf->inst[i].accept_mode && conf->inst[i].priority != 255;
	if (filtering)
		d->filter = filter_open(); /* replaces what a crashed run left */
	else
		filter_clear_stale();
	for (size_t i = 0; i < conf->n_inst; i++)
		vr_create(d, &conf->inst[i]);
	vtime_t now = loop_now();
	for (struct vr *v = d->vrs; v; v = v->next) {
		daemon_resume_decide(d, v, now);
		if (!v->resume_from) /* a resumed master's VIPs are its own */
			vr_clear_stale(v);
	}
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		iface_find_sources(ifp);
	daemon_claims_refresh(d);
	now = loop_now();
	struct timespec boot = {0};
	clock_gettime(CLOCK_BOOTTIME, &boot); /* /proc/uptime's clock */
	uint32_t hold = conf_startup_hold_ms(&conf->global, (uint64_t)boot.tv_sec * 1000 +
								(uint64_t)boot.tv_nsec / 1000000);
	if (hold) {
		d->holding = true;
		timer_init(&d->t_startup, daemon_startup_hold_end, d);
		loop_timer_arm(&d->loop, &d->t_startup, now + (vtime_t)hold * VTIME_MSEC);
		log_info("%s: the instances start in %.3f s",
			 hold == conf->global.startup_delay_ms ? "vrrp_startup_delay"
							       : "vrrp_delay_after_boot",
			 hold / 1000.0);
	}
	/* The process's start is the Startup event: reading the file and
	 * opening sockets count in a backup's Master_Down_Interval. */
	vtime_t up = d->started_at && d->started_at < now ? d->started_at : now;
	for (struct vr *v = d->vrs; v; v = v->next)
		if (!daemon_resume(d, v, now))
			vr_start(v, up);
	if (!d->holding)
		settle_begin(d);
	daemon_flush(d, true);
}

/* Every master sends priority 0 and every VIP goes (conformance 47). */
static void daemon_stop_instances(struct daemon *d)
{
	vtime_t now = loop_now();

	/* The packet sockets first (claims, GARPs: the stop needs neither):
	 * their closes, a grace period each, overlap with the stop's work
	 * instead of following it (io/closer). */
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next)
		iface_claims_close(ifp);
	closer_close(d->garp_fd);
	d->garp_fd = -1;
	if (d->holding)
		loop_timer_cancel(&d->loop, &d->t_startup);
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_stop(v, now);
	daemon_flush(d, true); /* every VIP of every instance in one batch */
	while (d->vrs)
		vr_free(d, d->vrs);
	daemon_statics(d, d->conf, false);
	log_info("stopped; every VIP removed");
	if (d->notify)
		notify_free(d->notify, 2000); /* let notify_stop commands and mails finish */
	checker_free(d->checkers);
	trackers_free(d->trackers);
	d->trackers = NULL;
	free(d->group_state);
}

static int daemon_open(struct daemon *d)
{
	sigset_t sigs;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	sigaddset(&sigs, SIGXCPU); /* RLIMIT_RTTIME's soft limit: logged */
	signal(SIGPIPE, SIG_IGN);
	if (loop_init(&d->loop, &sigs, daemon_signal, d) < 0)
		return -1;
	loop_set_after(&d->loop, daemon_after, d);
	vr_txq_init(d);
	d->garp_budget = GARP_BUDGET;
	if (nl_link_open(&d->nl, &d->loop, iface_nl_change, d) < 0 || nl_addr_open(&d->nla) < 0)
		return -1;
	d->garp_fd = frame_tx_open();
	if (d->garp_fd < 0)
		log_err("cannot open a packet socket for gratuitous ARP");
	return 0;
}

static void daemon_close(struct daemon *d)
{
	vr_txq_free(d);
	iface_free_all(d);
	vmac_close(d->vmac_sk);
	filter_close(d->filter);
	closer_close(d->garp_fd);
	nl_addr_close(&d->nla);
	nl_link_close(&d->nl, &d->loop);
	loop_free(&d->loop);
	conf_free(d->conf);
	free(d->snap_inst);
	free(d->snap_if);
	free(d->by_inst);
	free(d->members);
	free(d->skip);
	free(d->deb);
}

int daemon_run(const struct daemon_opts *o, struct config *conf)
{
	struct daemon d;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.conf_path = o->conf_path;
	d.config_id = o->config_id;
	d.started = daemon_wall_now();
	d.conf = conf;
	d.garp_fd = -1;
	d.exe = o->exe;
	d.argv = o->argv;
	d.restart_fd = -1;
	d.started_at = o->started_at;
	if (conf->global.net_namespace[0]) {
		char err[300];
		if (netns_enter(conf->global.net_namespace, err, sizeof(err)) < 0) {
			log_errx("net_namespace: %s", err);
			conf_free(conf);
			return 1;
		}
		log_info("running in network namespace %s (net_namespace)",
			 conf->global.net_namespace);
	}
	if (daemon_open(&d) < 0) {
		daemon_close(&d);
		return 1;
	}
	daemon_handover_read(&d, o->handover);
	daemon_start_instances(&d);
	daemon_sched(&d); /* after the start's work, which may not block for a while */
	if (o->ctl_path) {
		d.ctl = ctl_open(&d.loop, o->ctl_path, o->ctl_gid, &daemon_ctl_ops, &d);
		if (!d.ctl)
			log_warnx("running without a control socket (vrrpctl will not work)");
	}
	log_info("started with %zu instance(s) from %s", conf->n_inst, d.conf_path);
	daemon_status_notify(&d, "READY=1\n");
	if (o->on_ready)
		o->on_ready();
	daemon_handover_done(&d);

	if (loop_run(&d.loop) < 0)
		rc = 1;

	sdnotify_send("STOPPING=1");
	daemon_reload_stop(&d);
	if (d.ctl)
		ctl_close(d.ctl);
	daemon_stop_instances(&d);
	daemon_close(&d);
	closer_drain(500); /* the packet sockets, together rather than one by one */
	return rc;
}
