/* daemon: glue between the event loop, the I/O modules and the state machine. */
#include "daemon/daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "check/checker.h"
#include "core/frame.h"
#include "core/track.h"
#include "core/vrrp.h"
#include "io/frame_tx.h"
#include "io/log.h"
#include "io/loop.h"
#include "io/nl_addr.h"
#include "io/nl_link.h"
#include "io/sdnotify.h"
#include "io/sock.h"
#include "ops/control.h"
#include "ops/notify.h"

#define DAEMON_DATA_FILE  "/tmp/vrrpd.data"
#define DAEMON_STATS_FILE "/tmp/vrrpd.stats"
#define DEFER_GUARD_US	  1000	/* deferred work waits while a timer is due this soon ... */
#define DEFER_MAX_US	  20000 /* ... but never longer than this */
#define GARP_BUDGET	  64	/* gratuitous ARPs sent per loop turn, all instances together */
#define RX_BUDGET	  64	/* datagrams read per wakeup per socket */
#define LOG_EVERY	  (10 * VTIME_SEC) /* rate limit for per-reason drop logs */

struct daemon;

/* Dropped packets by reason, and when each reason was last logged. */
struct drop_counters {
	uint64_t n[PKT_DROP__MAX];
	vtime_t logged[PKT_DROP__MAX];
};

struct iface {
	struct daemon *d;
	char name[IFNAMSIZ];
	int ifindex;
	int fd;
	struct loop_fd lfd;
	struct vaddr primary4;
	struct vr *by_vrid[256];
	struct drop_counters drops; /* decided before an instance is known */
	struct iface *next;
};

enum garp_phase { GARP_IDLE, GARP_INITIAL, GARP_DELAYED, GARP_REFRESH };

struct vr {
	struct daemon *d;
	const struct conf_instance *ci;
	struct iface *ifp;
	struct vrrp_instance vi;
	struct timer t;
	bool started;
	bool unsupported;	 /* never started: said once */
	bool wait_logged;	 /* "waiting for an address" said once */
	int *vip_ifindex;	 /* per VIP */
	struct vaddr *adv_addrs; /* advertised VIPs in configured order */
	size_t n_adv;
	/* GARP schedule */
	struct timer garp_t;
	enum garp_phase garp_phase;
	unsigned garp_rounds;
	size_t garp_pos; /* next VIP of the current round */
	vtime_t garp_burst_at;
	/* counters */
	uint64_t tx, rx, transitions, addr_mismatch;
	struct drop_counters drops;
	vtime_t mismatch_logged, encode_logged;
	/* Work deferred to the end of the loop turn (daemon_flush), so that
	 * every due advert of the turn goes out first. */
	bool dirty;
	bool vips_want, vips_on; /* VIPs wanted installed / installed */
	bool garp_pending;
	bool log_pending;
	bool track_fault; /* its own tracking says FAULT (the group may add more) */
	char track_why[128];
	enum vrrp_state log_from, log_to;
	char log_reason[sizeof(((struct vrrp_instance *)0)->reason)];
	int vip_failed;
	struct vr *dirty_next;
	struct vr *next;
};

struct daemon {
	struct loop loop;
	struct nl_link nl;
	struct nl_addr_sock nla;
	int garp_fd;
	const char *conf_path;
	struct config *conf;
	struct iface *ifaces;
	struct vr *vrs;
	struct vr *dirty;     /* instances with deferred work this turn */
	vtime_t dirty_since;  /* when the oldest deferred work was queued */
	vtime_t reload_took;  /* how long the last reload blocked the loop */
	unsigned garp_budget; /* GARPs still allowed in this loop turn */
	struct ctl_server *ctl;
	struct checker_set *checkers; /* vrrp_script runners */
	struct notify *notify;
	enum vrrp_state *group_state; /* last notified state of each sync group */
	size_t n_groups;
	int syncing;			/* inside a sync group propagation */
	double started;			/* wall clock at start */
	struct ctl_instance *snap_inst; /* control snapshot buffers */
	struct ctl_iface *snap_if;
	size_t snap_inst_cap, snap_if_cap;
};

static void vr_do(struct vr *v, const struct vrrp_actions *acts);
static void daemon_status_notify(struct daemon *d, const char *prefix);
static int daemon_reload(struct daemon *d, char *msg, size_t msglen);
static void vr_track_update(struct vr *v, vtime_t now);
static void daemon_track_all(struct daemon *d, vtime_t now);
static void daemon_check_vips(struct daemon *d);
static void vr_sync_group(struct vr *v, enum vrrp_state to, vtime_t now);

/* ---- interfaces ---- */

static void iface_readable(void *arg, uint32_t events);

static struct iface *iface_get(struct daemon *d, const char *name)
{
	struct iface *ifp;
	int ifindex;

	for (ifp = d->ifaces; ifp; ifp = ifp->next)
		if (!strcmp(ifp->name, name))
			return ifp;
	ifindex = nl_link_ifindex(&d->nl, name);
	if (ifindex <= 0) {
		log_errx("interface %s does not exist", name);
		return NULL;
	}
	ifp = calloc(1, sizeof(*ifp));
	if (!ifp)
		return NULL;
	ifp->d = d;
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	ifp->ifindex = ifindex;
	ifp->fd = sock_open_ip4(name, ifindex);
	if (ifp->fd < 0) {
		log_err("%s: cannot open a VRRP socket", name);
		free(ifp);
		return NULL;
	}
	ifp->lfd = (struct loop_fd){.fd = ifp->fd, .cb = iface_readable, .arg = ifp};
	loop_add_fd(&d->loop, &ifp->lfd, EPOLLIN);
	ifp->next = d->ifaces;
	d->ifaces = ifp;
	return ifp;
}

/* The interface's primary IPv4 address, ignoring every VIP configured on it. */
static void iface_find_primary(struct iface *ifp)
{
	struct daemon *d = ifp->d;
	struct vaddr *skip = NULL;
	size_t n = 0, cap = 0;

	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp != ifp)
			continue;
		for (size_t i = 0; i < v->ci->n_vips; i++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				struct vaddr *s = realloc(skip, cap * sizeof(*s));
				if (!s)
					break;
				skip = s;
			}
			skip[n++] = v->ci->vips[i].addr;
		}
	}
	if (nl_link_primary4(&d->nl, ifp->ifindex, skip, n, &ifp->primary4) < 0)
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
	free(skip);
}

static bool drop_should_log(vtime_t *last, vtime_t now);

/* ---- advertisements ---- */

static void vr_send_one(struct vr *v, const struct pkt_advert *h, const struct vaddr *dst)
{
	uint8_t buf[VRRP_PKT_MAX];
	const struct conf_instance *ci = v->ci;
	enum pkt_csum cs = ci->v3_checksum_as_v2 ? PKT_CSUM_MSG_ONLY : PKT_CSUM_PSEUDO;
	size_t len =
	    pkt_encode(buf, sizeof(buf), h, v->adv_addrs, v->n_adv, &v->vi.primary, dst, cs);
	char a[ADDR_STRLEN];

	if (!len) {
		if (drop_should_log(&v->encode_logged, loop_now()))
			log_errx("%s: cannot encode an advert", ci->name);
		return;
	}
	if (sock_send_ip4(v->ifp->fd, v->ifp->ifindex, &v->vi.primary, dst, buf, len) < 0)
		log_warn("%s: advert to %s failed", ci->name, addr_str(dst, a));
	else
		v->tx++;
}

static void vr_send_advert(struct vr *v, uint8_t prio)
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
		struct vaddr grp;
		addr_parse(VRRP_MCAST4, &grp);
		vr_send_one(v, &h, &grp);
	}
}

/* ---- gratuitous ARP ---- */

/* Sends the current round from garp_pos on, at most *budget frames.
 * Returns true when the round is complete. */
static bool vr_garp_round(struct vr *v, unsigned *budget)
{
	uint8_t mac[6], frame[FRAME_GARP_LEN];
	int last_ifindex = 0;

	for (size_t i = v->garp_pos; i < v->ci->n_vips; i++) {
		if (!*budget) {
			v->garp_pos = i;
			return false;
		}
		const struct vip *vip = &v->ci->vips[i];
		if (vip->addr.family != AF_INET)
			continue;
		if (v->vip_ifindex[i] != last_ifindex) {
			if (nl_link_mac(&v->d->nl, v->vip_ifindex[i], mac) < 0)
				continue;
			last_ifindex = v->vip_ifindex[i];
		}
		size_t len = frame_garp(frame, sizeof(frame), mac, &vip->addr);
		if (len && frame_tx_send(v->d->garp_fd, v->vip_ifindex[i], frame, len) < 0)
			log_debug("%s: gratuitous ARP failed: %s", v->ci->name, strerror(errno));
		(*budget)--;
	}
	v->garp_pos = 0;
	return true;
}

/* Sends the current burst's rounds (spaced by garp_interval when set), then
 * schedules the next burst: initial, one delayed burst after
 * garp_master_delay, then refreshes every garp_master_refresh. */
static void vr_garp_step(void *arg, vtime_t now)
{
	struct vr *v = arg;
	const struct conf_garp *g = &v->ci->garp;
	/* Shared by all instances: 255 bursts falling due together must not hold
	 * an advert up (the budget is refilled at the end of every turn). */
	unsigned *budget = &v->d->garp_budget;

	while (v->garp_rounds) {
		if (!vr_garp_round(v, budget)) {
			/* Many VIPs: go on next turn, after any due advert. */
			loop_timer_arm(&v->d->loop, &v->garp_t, now + 1); /* a later turn */
			return;
		}
		v->garp_rounds--;
		if (v->garp_rounds && g->interval_us) {
			loop_timer_arm(&v->d->loop, &v->garp_t, now + g->interval_us);
			return;
		}
	}
	if (v->garp_phase == GARP_INITIAL && g->master_delay_ms) {
		v->garp_phase = GARP_DELAYED;
		v->garp_rounds = g->master_repeat;
		v->garp_burst_at += g->master_delay_ms * VTIME_MSEC;
	} else if (g->master_refresh_ms) {
		v->garp_phase = GARP_REFRESH;
		v->garp_rounds = g->master_refresh_repeat;
		v->garp_burst_at = (v->garp_burst_at > now ? v->garp_burst_at : now) +
				   g->master_refresh_ms * VTIME_MSEC;
	} else {
		v->garp_phase = GARP_IDLE;
		return;
	}
	loop_timer_arm(&v->d->loop, &v->garp_t, v->garp_burst_at);
}

static void vr_garp_start(struct vr *v, vtime_t now)
{
	v->garp_phase = GARP_INITIAL;
	v->garp_pos = 0;
	v->garp_rounds = v->ci->garp.master_repeat ? v->ci->garp.master_repeat : 1;
	v->garp_burst_at = now;
	vr_garp_step(v, now);
}

static void vr_garp_stop(struct vr *v)
{
	v->garp_phase = GARP_IDLE;
	v->garp_rounds = 0;
	v->garp_pos = 0;
	loop_timer_cancel(&v->d->loop, &v->garp_t);
}

/* ---- actions ---- */

static void vr_mark_dirty(struct vr *v)
{
	if (v->dirty)
		return;
	v->dirty = true;
	v->dirty_next = v->d->dirty;
	v->d->dirty = v;
}

static void vr_notify(struct vr *v);

static void vr_log_transition(struct vr *v)
{
	log_info("%s: %s -> %s (%s)", v->ci->name, vrrp_state_name(v->log_from),
		 vrrp_state_name(v->log_to), v->log_reason);
	v->log_pending = false;
	vr_notify(v);
}

/* Deferred work: the VIP changes of every instance that moved go to the
 * kernel as one netlink batch, then transitions are logged and GARP bursts
 * start (only once the VIPs exist: conformance 53). Unless forced, it
 * waits while another timer is due within DEFER_GUARD_US (at most
 * DEFER_MAX_US), so that when many instances take over in the same
 * instant every takeover advert goes out before this work. */
static void daemon_flush(struct daemon *d, bool force)
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
	for (v = d->dirty; v; v = v->dirty_next) {
		if (v->vips_want == v->vips_on)
			continue;
		v->vip_failed = 0;
		for (size_t i = 0; i < v->ci->n_vips; i++)
			nl_addr_queue(&d->nla, v->vips_want, &v->ci->vips[i], v->vip_ifindex[i],
				      v->ci->name, &v->vip_failed);
	}
	nl_addr_commit(&d->nla);
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
static void daemon_after(void *arg)
{
	struct daemon *d = arg;

	daemon_flush(d, false);
	d->garp_budget = GARP_BUDGET;
}

static void vr_do(struct vr *v, const struct vrrp_actions *acts)
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
			v->transitions++;
			if (v->log_pending) /* a second transition in one turn */
				vr_log_transition(v);
			v->log_pending = true;
			v->log_from = a->from;
			v->log_to = v->vi.state;
			memcpy(v->log_reason, v->vi.reason, sizeof(v->log_reason));
			vr_mark_dirty(v);
			if (!(a->from == VRRP_STATE_INIT && v->vi.state == VRRP_STATE_BACKUP))
				vr_sync_group(v, v->vi.state, loop_now()); /* not a startup */
			break;
		}
	}
	if (v->vi.timer_at)
		loop_timer_arm(&v->d->loop, &v->t, v->vi.timer_at);
	else
		loop_timer_cancel(&v->d->loop, &v->t);
}

static const struct conf_sync_group *vr_group(const struct vr *v);
static struct vr *vr_of_inst(struct daemon *d, size_t idx);

/* keepalived's rule for sync groups: while another member still hears its
 * master, the group stays BACKUP. Sets *until to when to look again. */
static bool vr_group_holds_back(struct vr *v, vtime_t now, vtime_t *until)
{
	const struct conf_sync_group *g = vr_group(v);
	bool hold = false;

	for (size_t i = 0; g && i < g->n_members; i++) {
		struct vr *m = vr_of_inst(v->d, g->members[i]);
		if (!m || m == v || !m->started || m->vi.state != VRRP_STATE_BACKUP ||
		    m->vi.timer_at <= now)
			continue;
		if (!hold || m->vi.timer_at < *until)
			*until = m->vi.timer_at;
		hold = true;
	}
	return hold;
}

static void vr_on_timer(void *arg, vtime_t now)
{
	struct vr *v = arg;
	struct vrrp_actions acts = {0};
	vtime_t until = 0;

	if (v->vi.state == VRRP_STATE_BACKUP && v->vi.timer_at && now >= v->vi.timer_at &&
	    vr_group_holds_back(v, now, &until)) {
		v->vi.timer_at = until;
		loop_timer_arm(&v->d->loop, &v->t, until);
		return;
	}
	vrrp_timer(&v->vi, now, &acts);
	vr_do(v, &acts);
}

/* ---- receive ---- */

static bool drop_should_log(vtime_t *last, vtime_t now)
{
	if (*last && now - *last < LOG_EVERY)
		return false;
	*last = now;
	return true;
}

/* Logs and counts an advert whose address list differs from ours; never
 * drops it (conformance 24 and the decision recorded there). */
static void vr_check_addrs(struct vr *v, const struct pkt_advert *adv, const struct vaddr *src,
			   vtime_t now)
{
	size_t alen = adv->family == AF_INET ? 4 : 16;
	bool same = adv->naddr == v->n_adv;

	for (size_t i = 0; same && i < adv->naddr; i++) {
		bool found = false;
		for (size_t j = 0; j < v->n_adv && !found; j++)
			found = !memcmp(adv->addrs + i * alen, v->adv_addrs[j].u.b, alen);
		same = found;
	}
	if (same)
		return;
	v->addr_mismatch++;
	if (drop_should_log(&v->mismatch_logged, now)) {
		char a[ADDR_STRLEN];
		log_warnx("%s: advert from %s lists %u address(es) that differ from our %zu; "
			  "check virtual_ipaddress on both (%llu so far, accepted anyway)",
			  v->ci->name, addr_str(src, a), adv->naddr, v->n_adv,
			  (unsigned long long)v->addr_mismatch);
	}
}

/* Counts a dropped packet and logs it (at most every LOG_EVERY per reason;
 * our own looped-back adverts are counted, never logged). who is the
 * interface or instance name. */
static void count_drop(struct drop_counters *dc, const char *who, enum pkt_drop r,
		       const struct vaddr *src, vtime_t now)
{
	char a[ADDR_STRLEN];

	dc->n[r]++;
	if (r != PKT_DROP_OWN && drop_should_log(&dc->logged[r], now))
		log_warnx("%s: dropped a VRRP packet from %s: %s (%llu so far)", who,
			  addr_str(src, a), pkt_drop_str(r), (unsigned long long)dc->n[r]);
}

/* When a packet arrived, on the loop's monotonic clock: the kernel's
 * wall-clock arrival stamp moved back by its age. The age is trusted only
 * from 0 to RX_AGE_MAX; otherwise (no stamp, or the wall clock stepped) the
 * time is now, so a clock step shifts a timer by RX_AGE_MAX at most and can
 * never cause a failover by itself (conformance 34). */
#define RX_AGE_MAX (5 * VTIME_MSEC)
static vtime_t rx_monotonic(uint64_t rx_real)
{
	vtime_t mono = loop_now();
	struct timespec ts;

	if (!rx_real)
		return mono;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t real = (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
	if (real < rx_real || real - rx_real > RX_AGE_MAX || real - rx_real > mono)
		return mono;
	return mono - (real - rx_real);
}

static void iface_readable(void *arg, uint32_t events)
{
	struct iface *ifp = arg;
	uint8_t buf[65536];

	(void)events;
	for (int i = 0; i < RX_BUDGET; i++) {
		uint64_t rx_real;
		ssize_t n = sock_recv(ifp->fd, buf, sizeof(buf), &rx_real);
		if (n <= 0)
			return;
		vtime_t now = rx_monotonic(rx_real);
		struct pkt_ip ip;
		struct pkt_advert adv;
		enum pkt_drop r = pkt_decode_ip4(buf, (size_t)n, &ip, &adv);
		if (r != PKT_OK) {
			count_drop(&ifp->drops, ifp->name, r, &ip.src, now);
			continue;
		}
		struct vr *v = ifp->by_vrid[adv.vrid];
		if (!v || !v->started) {
			count_drop(&ifp->drops, ifp->name, PKT_DROP_VRID, &ip.src, now);
			continue;
		}
		struct vrrp_actions acts = {0};
		r = vrrp_recv(&v->vi, now, &adv, &ip.src, &acts);
		if (r != PKT_OK) {
			count_drop(&v->drops, v->ci->name, r, &ip.src, now);
			continue;
		}
		v->rx++;
		vr_check_addrs(v, &adv, &ip.src, now);
		vr_do(v, &acts);
	}
}

/* ---- instances ---- */

static void vr_params(const struct conf_instance *ci, struct vrrp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->version = ci->version;
	p->vrid = ci->vrid;
	p->priority = ci->priority;
	p->adver_int_cs = (uint16_t)ci->advert_int_cs;
	p->preempt = !ci->nopreempt;
	p->preempt_delay = (vtime_t)ci->preempt_delay_ms * VTIME_MSEC;
	p->lower_prio_no_advert = ci->lower_prio_no_advert;
	if (ci->version == 2 && ci->auth_type == CONF_AUTH_PASS) {
		p->auth_type = 1;
		memcpy(p->auth_data, ci->auth_pass, strnlen(ci->auth_pass, VRRP_AUTH_LEN));
	}
}

/* Resolves each VIP's interface and the advertised list of ci into v. */
static int vr_build_vips(struct vr *v, const struct conf_instance *ci)
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
	for (size_t i = 0; i < ci->n_vips; i++) {
		const struct vip *vip = &ci->vips[i];
		ifx[i] = vip->dev[0] ? nl_link_ifindex(&v->d->nl, vip->dev)
				     : (v->ifp ? v->ifp->ifindex : 0);
		if (ifx[i] <= 0)
			log_errx("%s: interface %s of VIP does not exist", ci->name,
				 vip->dev[0] ? vip->dev : ci->ifname);
		if (!vip->excluded && nadv < VRRP_MAX_ADDRS) /* the rest: conf warned */
			adv[nadv++] = vip->addr;
	}
	free(v->vip_ifindex);
	free(v->adv_addrs);
	v->vip_ifindex = ifx;
	v->adv_addrs = adv;
	v->n_adv = nadv;
	return 0;
}

static struct vr *vr_create(struct daemon *d, const struct conf_instance *ci)
{
	struct vr *v = calloc(1, sizeof(*v));
	struct vrrp_params p;

	if (!v)
		return NULL;
	v->d = d;
	v->ci = ci;
	v->ifp = iface_get(d, ci->ifname);
	if (vr_build_vips(v, ci) < 0) {
		free(v);
		return NULL;
	}
	timer_init(&v->t, vr_on_timer, v);
	timer_init(&v->garp_t, vr_garp_step, v);
	vr_params(ci, &p);
	vrrp_init(&v->vi, &p);
	if (v->ifp)
		v->ifp->by_vrid[ci->vrid] = v;
	v->next = d->vrs;
	d->vrs = v;
	return v;
}

/* Removes configured VIPs that a crashed run left behind. */
static void vr_clear_stale(struct vr *v)
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

static void vr_start(struct vr *v, vtime_t now)
{
	const struct conf_instance *ci = v->ci;
	struct vrrp_actions acts = {0};

	if (v->started || !v->ifp || v->unsupported)
		return;
	if (ci->family != AF_INET) {
		log_errx("%s: IPv6 instances are not supported by this version of vrrpd; "
			 "instance not started",
			 ci->name);
		v->unsupported = true;
		return;
	}
	if (ci->has_unicast_src)
		v->vi.primary = ci->unicast_src;
	else
		v->vi.primary = v->ifp->primary4;
	if (!v->vi.primary.family) {
		if (!v->wait_logged)
			log_errx("%s: %s has no IPv4 address to send adverts from; waiting for one",
				 ci->name, ci->ifname);
		v->wait_logged = true;
		return;
	}
	v->wait_logged = false;
	v->started = true;
	vrrp_startup(&v->vi, now, &acts);
	vr_do(v, &acts);
	vr_track_update(v, now);
}

static void vr_stop(struct vr *v, vtime_t now)
{
	struct vrrp_actions acts = {0};

	vrrp_shutdown(&v->vi, now, &acts);
	vr_do(v, &acts);
	vr_garp_stop(v);
	loop_timer_cancel(&v->d->loop, &v->t);
	/* Whatever state we were in, remove every VIP: never leave one behind
	 * (an instance whose interface never existed has none). */
	v->vips_want = false;
	v->vips_on = v->ifp != NULL;
	vr_mark_dirty(v);
	daemon_flush(v->d, true);
	v->started = false;
}

static void vr_free(struct daemon *d, struct vr *v)
{
	struct vr **pp;

	for (pp = &d->vrs; *pp; pp = &(*pp)->next)
		if (*pp == v) {
			*pp = v->next;
			break;
		}
	if (v->ifp && v->ifp->by_vrid[v->ci->vrid] == v)
		v->ifp->by_vrid[v->ci->vrid] = NULL;
	loop_timer_cancel(&d->loop, &v->t);
	loop_timer_cancel(&d->loop, &v->garp_t);
	free(v->vip_ifindex);
	free(v->adv_addrs);
	free(v);
}

/* ---- netlink events ---- */

/* An interface that was missing at start, or was deleted and created again
 * (a new index: bonds, VLANs and VPN devices are), is picked up here: its
 * socket is reopened, and the instances on it find their VIPs' devices. */
static void daemon_rebind_ifaces(struct daemon *d)
{
	bool changed = false;

	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		int ifx = nl_link_ifindex(&d->nl, ifp->name);
		if (ifx <= 0 || ifx == ifp->ifindex)
			continue;
		int fd = sock_open_ip4(ifp->name, ifx);
		if (fd < 0) {
			log_err("%s: cannot reopen its VRRP socket", ifp->name);
			continue;
		}
		loop_del_fd(&d->loop, &ifp->lfd);
		close(ifp->fd);
		ifp->fd = fd;
		ifp->ifindex = ifx;
		ifp->lfd.fd = fd;
		loop_add_fd(&d->loop, &ifp->lfd, EPOLLIN);
		memset(&ifp->primary4, 0, sizeof(ifp->primary4));
		log_info("%s: the interface is back (index %d); its socket was reopened", ifp->name,
			 ifx);
		changed = true;
	}
	for (struct vr *v = d->vrs; v; v = v->next) {
		if (v->ifp || nl_link_ifindex(&d->nl, v->ci->ifname) <= 0)
			continue;
		v->ifp = iface_get(d, v->ci->ifname);
		if (v->ifp) {
			v->ifp->by_vrid[v->ci->vrid] = v;
			log_info("%s: %s exists now", v->ci->name, v->ci->ifname);
			changed = true;
		}
	}
	if (!changed)
		return;
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_build_vips(v, v->ci);
}

static void daemon_nl_change(void *arg)
{
	struct daemon *d = arg;
	vtime_t now = loop_now();

	daemon_rebind_ifaces(d);
	for (struct iface *ifp = d->ifaces; ifp; ifp = ifp->next) {
		if (ifp->primary4.family && nl_link_has_addr(&d->nl, ifp->ifindex, &ifp->primary4))
			continue;
		struct vaddr old = ifp->primary4;
		iface_find_primary(ifp);
		if (addr_eq(&old, &ifp->primary4))
			continue;
		char a[ADDR_STRLEN], b[ADDR_STRLEN];
		log_info("%s: primary IPv4 address %s -> %s", ifp->name, addr_str(&old, a),
			 addr_str(&ifp->primary4, b));
		for (struct vr *v = d->vrs; v; v = v->next)
			if (v->ifp == ifp && !v->ci->has_unicast_src)
				v->vi.primary = ifp->primary4;
	}
	for (struct vr *v = d->vrs; v; v = v->next)
		if (!v->started)
			vr_start(v, now);
	daemon_track_all(d, now);
	if (d->nl.addr_deleted) {
		d->nl.addr_deleted = false;
		daemon_check_vips(d);
	}
}

/* ---- tracking and sync groups ---- */

static const struct conf_sync_group *vr_group(const struct vr *v)
{
	const struct config *c = v->d->conf;

	return v->ci->sync_group_idx >= 0 && (size_t)v->ci->sync_group_idx < c->n_groups
		   ? &c->groups[v->ci->sync_group_idx]
		   : NULL;
}

static void track_add_ifs(struct vr *v, struct track_item *it, size_t *n,
			  const struct conf_track_if *tif, size_t ntif)
{
	for (size_t i = 0; i < ntif; i++) {
		int ifx = nl_link_ifindex(&v->d->nl, tif[i].ifname);
		it[(*n)++] = (struct track_item){.kind = TRACK_INTERFACE,
						 .name = tif[i].ifname,
						 .weight = tif[i].weight,
						 .reverse = tif[i].reverse,
						 .up = ifx > 0 && nl_link_running(&v->d->nl, ifx)};
	}
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
						       checker_up(v->d->checkers, ts[i].script)};
}

/* The instance's own verdict: its interface (down = FAULT, as keepalived),
 * its tracked interfaces and scripts, and those of its sync group. */
static void vr_track_eval(struct vr *v, struct track_result *r)
{
	const struct conf_instance *ci = v->ci;
	const struct conf_sync_group *g = vr_group(v);
	size_t cap = 2 + ci->n_track_ifs + ci->n_track_scripts +
		     (g ? g->n_track_ifs + g->n_track_scripts : 0);
	struct track_item *it = calloc(cap, sizeof(*it));
	size_t n = 0;

	if (!it) {
		track_eval(ci->priority, NULL, 0, r);
		return;
	}
	it[n++] = (struct track_item){.kind = TRACK_INTERFACE,
				      .name = ci->ifname,
				      .up = v->ifp && nl_link_running(&v->d->nl, v->ifp->ifindex)};
	/* No source address for adverts: a silent master would leave its VIPs
	 * up while a backup takes them too (conformance 12, 37). */
	if (!ci->has_unicast_src && !v->vi.primary.family)
		it[n++] =
		    (struct track_item){.kind = TRACK_INTERFACE,
					.name = "its IPv4 address (none left on the interface)",
					.up = false};
	track_add_ifs(v, it, &n, ci->track_ifs, ci->n_track_ifs);
	track_add_scripts(v, it, &n, ci->track_scripts, ci->n_track_scripts);
	if (g) {
		track_add_ifs(v, it, &n, g->track_ifs, g->n_track_ifs);
		track_add_scripts(v, it, &n, g->track_scripts, g->n_track_scripts);
	}
	track_eval(ci->priority, it, n, r);
	free(it);
}

static struct vr *vr_of_inst(struct daemon *d, size_t idx)
{
	for (struct vr *v = d->vrs; v; v = v->next)
		if (v->ci == &d->conf->inst[idx])
			return v;
	return NULL;
}

/* Applies the tracking verdict: effective priority, and FAULT in or out.
 * A sync group is in FAULT when any member's own tracking says so. */
static void vr_track_apply(struct vr *v, vtime_t now)
{
	struct track_result r;
	struct vrrp_actions acts = {0};
	const struct conf_sync_group *g = vr_group(v);
	bool fault;
	char why[2 * CONF_NAME_MAX + sizeof(v->track_why) + 32];

	if (!v->started)
		return;
	vr_track_eval(v, &r);
	v->track_fault = r.fault;
	snprintf(v->track_why, sizeof(v->track_why), "%s", r.why);
	fault = r.fault;
	snprintf(why, sizeof(why), "%s", r.why);
	for (size_t i = 0; g && !fault && i < g->n_members; i++) {
		struct vr *m = vr_of_inst(v->d, g->members[i]);
		if (m && m != v && m->started && m->track_fault) {
			fault = true;
			snprintf(why, sizeof(why), "sync group %s: %s: %s", g->name, m->ci->name,
				 m->track_why);
		}
	}
	vrrp_set_priority(&v->vi, r.prio, now, &acts);
	if (fault)
		vrrp_set_fault(&v->vi, now, why, &acts);
	else
		vrrp_clear_fault(&v->vi, now, "tracked interfaces and scripts are healthy again",
				 &acts);
	vr_do(v, &acts);
}

/* Re-evaluates v and, when it belongs to a sync group, every member. */
static void vr_track_update(struct vr *v, vtime_t now)
{
	const struct conf_sync_group *g = vr_group(v);

	vr_track_apply(v, now);
	for (size_t i = 0; g && i < g->n_members; i++) {
		struct vr *m = vr_of_inst(v->d, g->members[i]);
		if (m && m != v)
			vr_track_apply(m, now);
	}
}

static void daemon_track_all(struct daemon *d, vtime_t now)
{
	for (struct vr *v = d->vrs; v; v = v->next)
		vr_track_apply(v, now);
	/* A second pass lets every group member see the others' verdicts. */
	for (struct vr *v = d->vrs; v; v = v->next)
		if (vr_group(v))
			vr_track_apply(v, now);
}

static bool track_scripts_use(const struct conf_track_script *ts, size_t n, size_t script)
{
	for (size_t i = 0; i < n; i++)
		if (ts[i].script == script)
			return true;
	return false;
}

static void daemon_script_changed(void *arg, size_t script, bool up)
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

/* A member moved to MASTER or BACKUP: the others follow (keepalived's sync
 * groups). Forced moves do not propagate again. */
static void vr_sync_group(struct vr *v, enum vrrp_state to, vtime_t now)
{
	const struct conf_sync_group *g = vr_group(v);
	char why[160];

	if (!g || v->d->syncing || (to != VRRP_STATE_MASTER && to != VRRP_STATE_BACKUP))
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

static const char *notify_state_name(enum vrrp_state s)
{
	return s == VRRP_STATE_INIT ? "STOP" : vrrp_state_name(s);
}

/* Notify scripts, FIFO and mail for an instance's transition, and for its
 * sync group when the group's state changed with it. */
static void vr_notify(struct vr *v)
{
	struct daemon *d = v->d;
	const struct conf_sync_group *g = vr_group(v);

	if (!d->notify)
		return;
	notify_state(d->notify, "INSTANCE", v->ci->name, &v->ci->notify,
		     notify_state_name(v->log_to), v->vi.prio);
	if (g && (size_t)v->ci->sync_group_idx < d->n_groups &&
	    d->group_state[v->ci->sync_group_idx] != v->log_to) {
		d->group_state[v->ci->sync_group_idx] = v->log_to;
		notify_state(d->notify, "GROUP", g->name, &g->notify, notify_state_name(v->log_to),
			     0);
	}
}

/* Group state bookkeeping for a (new) configuration. */
static void daemon_groups_reset(struct daemon *d)
{
	free(d->group_state);
	d->n_groups = d->conf->n_groups;
	d->group_state = calloc(d->n_groups ? d->n_groups : 1, sizeof(*d->group_state));
	if (!d->group_state)
		d->n_groups = 0;
}

/* A VIP removed by hand from a master is put back. */
static void daemon_check_vips(struct daemon *d)
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

/* ---- reload and signals ---- */

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

/* One line for the service manager: how many instances in which state. */
static void daemon_status_notify(struct daemon *d, const char *prefix)
{
	unsigned n[4] = {0}, total = 0;

	for (struct vr *v = d->vrs; v; v = v->next, total++)
		if (v->vi.state <= VRRP_STATE_FAULT)
			n[v->vi.state]++;
	sdnotify_printf("%sSTATUS=%u instance(s): %u MASTER, %u BACKUP, %u FAULT, %u INIT", prefix,
			total, n[VRRP_STATE_MASTER], n[VRRP_STATE_BACKUP], n[VRRP_STATE_FAULT],
			n[VRRP_STATE_INIT]);
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void daemon_snapshot(void *arg, struct ctl_snapshot *out)
{
	struct daemon *d = arg;
	size_t n = 0, nif = 0;
	vtime_t mono = loop_now();
	double wall = wall_now();

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
		struct vr *v;
		for (v = d->vrs; v && v->ci != &d->conf->inst[i]; v = v->next)
			;
		if (!v)
			continue;
		struct ctl_instance *c = &d->snap_inst[k++];
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
		if (v->vi.state == VRRP_STATE_MASTER || v->vi.last_rx || v->vi.stepdown_seen ||
		    v->vi.lower_seen) {
			c->master = v->vi.master;
			c->master_priority = v->vi.master_prio;
		}
		c->since = v->vi.since ? wall - (double)(mono - v->vi.since) / 1e6 : d->started;
		snprintf(c->reason, sizeof(c->reason), "%s", v->vi.reason);
		c->n_vips = v->ci->n_vips;
		c->vips_installed = v->vips_on;
		c->adverts_sent = v->tx;
		c->adverts_received = v->rx;
		c->transitions = v->transitions;
		c->addr_mismatch = v->addr_mismatch;
		memcpy(c->drops, v->drops.n, sizeof(c->drops));
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
}

static int daemon_ctl_reload(void *arg, char *msg, size_t len)
{
	struct daemon *d = arg;

	if (len)
		msg[0] = '\0';
	log_info("control: reload requested; reloading %s", d->conf_path);
	return daemon_reload(d, msg, len);
}

static const struct ctl_ops daemon_ctl_ops = {
    .snapshot = daemon_snapshot,
    .reload = daemon_ctl_reload,
};

/* Appends a line to a fixed message buffer (for the control socket). */
static void msg_add(char *msg, size_t len, const char *line)
{
	size_t used = strnlen(msg, len);

	if (used + 1 < len)
		snprintf(msg + used, len - used, "%s%s", used ? "\n" : "", line);
}

/* Re-reads the configuration. Returns 0 when applied, -1 when rejected;
 * msg (may be NULL) receives the messages and the outcome. */
static int daemon_reload(struct daemon *d, char *msg, size_t msglen)
{
	vtime_t t0 = loop_now(); /* the reload's cost includes parsing */

	/* The reload blocks the loop for a few ms (about 8 ms for 255 instances):
	 * masters whose advert falls due meanwhile advertise now instead, so the
	 * reload never makes an advert late. */
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
	struct conf_msgs msgs = {0};
	struct config *nc = conf_load(d->conf_path, &msgs);
	vtime_t now = loop_now();
	unsigned kept = 0, updated = 0, stopped = 0, started = 0;
	char line[256];

	sdnotify_printf("RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)now);
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
		conf_msgs_free(&msgs);
		sdnotify_send("READY=1");
		return -1;
	}
	conf_msgs_free(&msgs);
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
	struct checker_set *oldchk = d->checkers;
	d->checkers = checker_new(&d->loop, nc, oldchk, daemon_script_changed, d);
	checker_free(oldchk);
	if (d->notify)
		notify_set_config(d->notify, nc);
	daemon_groups_reset(d);
	for (size_t i = 0; i < nc->n_inst; i++) {
		bool have = false;
		for (struct vr *v = d->vrs; v && !have; v = v->next)
			have = v->ci == &nc->inst[i];
		if (have)
			continue;
		struct vr *v = vr_create(d, &nc->inst[i]);
		if (!v)
			continue;
		if (v->ifp && !v->ifp->primary4.family)
			iface_find_primary(v->ifp);
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
		daemon_reload(d, NULL, 0);
		break;
	case SIGUSR1:
	case SIGUSR2: {
		/* keepalived's habit: data (USR1) or stats (USR2) dumped to files. */
		struct ctl_snapshot snap;
		const char *path = signo == SIGUSR1 ? DAEMON_DATA_FILE : DAEMON_STATS_FILE;
		daemon_snapshot(d, &snap);
		if (ctl_write_files(&snap, signo == SIGUSR1 ? path : NULL,
				    signo == SIGUSR2 ? path : NULL) < 0)
			log_err("cannot write %s", path);
		else
			log_info("wrote %s", path);
		if (signo == SIGUSR1)
			daemon_log_stats(d);
		break;
	}
	}
}

int daemon_run(const struct daemon_opts *o, struct config *conf)
{
	struct daemon d;
	sigset_t sigs;
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.conf_path = o->conf_path;
	d.started = wall_now();
	d.conf = conf;
	d.garp_fd = -1;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	signal(SIGPIPE, SIG_IGN);
	if (loop_init(&d.loop, &sigs, daemon_signal, &d) < 0)
		return 1;
	loop_set_after(&d.loop, daemon_after, &d);
	d.garp_budget = GARP_BUDGET;
	if (nl_link_open(&d.nl, &d.loop, daemon_nl_change, &d) < 0 || nl_addr_open(&d.nla) < 0) {
		rc = 1;
		goto out;
	}
	d.garp_fd = frame_tx_open();
	if (d.garp_fd < 0)
		log_err("cannot open a packet socket for gratuitous ARP");

	daemon_groups_reset(&d);
	d.checkers = checker_new(&d.loop, conf, NULL, daemon_script_changed, &d);
	d.notify = notify_new(&d.loop, conf);
	for (size_t i = 0; i < conf->n_inst; i++)
		vr_create(&d, &conf->inst[i]);
	for (struct vr *v = d.vrs; v; v = v->next)
		vr_clear_stale(v);
	for (struct iface *ifp = d.ifaces; ifp; ifp = ifp->next)
		iface_find_primary(ifp);
	vtime_t now = loop_now();
	for (struct vr *v = d.vrs; v; v = v->next)
		vr_start(v, now);
	daemon_flush(&d, true);
	if (o->ctl_path) {
		d.ctl = ctl_open(&d.loop, o->ctl_path, o->ctl_gid, &daemon_ctl_ops, &d);
		if (!d.ctl)
			log_warnx("running without a control socket (vrrpctl will not work)");
	}
	log_info("started with %zu instance(s) from %s", conf->n_inst, d.conf_path);
	daemon_status_notify(&d, "READY=1\n");
	if (o->on_ready)
		o->on_ready();

	if (loop_run(&d.loop) < 0)
		rc = 1;

	sdnotify_send("STOPPING=1");
	if (d.ctl)
		ctl_close(d.ctl);
	now = loop_now();
	for (struct vr *v = d.vrs; v; v = v->next)
		vr_stop(v, now);
	while (d.vrs)
		vr_free(&d, d.vrs);
	log_info("stopped; every VIP removed");
	if (d.notify)
		notify_free(d.notify, 2000); /* let notify_stop commands and mails finish */
	checker_free(d.checkers);
	free(d.group_state);
out:
	while (d.ifaces) {
		struct iface *ifp = d.ifaces;
		d.ifaces = ifp->next;
		close(ifp->fd);
		free(ifp);
	}
	if (d.garp_fd >= 0)
		close(d.garp_fd);
	nl_addr_close(&d.nla);
	nl_link_close(&d.nl, &d.loop);
	loop_free(&d.loop);
	conf_free(d.conf);
	free(d.snap_inst);
	free(d.snap_if);
	return rc;
}
