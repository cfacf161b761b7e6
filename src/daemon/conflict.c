/* conflict: the daemon's side of split-brain detection. The receive path
 * reports sightings (a losing advert heard as master, an advert dropped
 * for a configuration mismatch); core/conflict decides when a conflict
 * starts and ends; this file executes it: the log lines, the counters
 * vrrpctl shows, notify_conflict / the FIFO / mail, fence_script, and a
 * fresh GARP / NA burst when a conflict ends and we are master. */
#include <stdio.h>
#include <time.h>

#include "daemon/internal.h"
#include "io/log.h"
#include "ops/notify.h"

/* "14:03:05" of a monotonic time, on the wall clock. */
static const char *vr_conflict_clock(vtime_t at, vtime_t now, char *buf, size_t len)
{
	time_t t = (time_t)(daemon_wall_now() - (double)(now - at) / 1e6);
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%H:%M:%S", &tm))
		snprintf(buf, len, "?");
	return buf;
}

static void vr_conflict_tell(struct vr *v, bool start, vtime_t now)
{
	const struct conflict *c = &v->cf;
	char detail[160], peer[CONFLICT_PEER_LEN], when[32];

	conflict_describe(&c->info, c->kind, detail, sizeof(detail));
	conflict_peer_str(&c->info, c->kind, peer);
	if (start)
		log_warnx("%s: conflict: %s, since %s (%.1f s ago; conflict %llu)", v->ci->name,
			  detail, vr_conflict_clock(c->since, now, when, sizeof(when)),
			  (double)(now - c->since) / 1e6, (unsigned long long)conflict_total(c));
	else
		log_warnx("%s: conflict over: %s; it lasted %.1f s", v->ci->name, detail,
			  (double)c->ended_after / 1e6);
	notify_conflict(v->d->notify, v->ci->name, &v->ci->notify, conflict_kind_name(c->kind),
			peer, start, detail);
	if (!start && v->vi.state == VRRP_STATE_MASTER && v->vips_want) {
		/* neighbours that followed the other master come back */
		log_info("%s: sending gratuitous ARPs / NAs again after the conflict", v->ci->name);
		v->garp_pending = true;
		vr_mark_dirty(v);
	}
}

static void vr_conflict_arm(struct vr *v)
{
	vtime_t at = conflict_next_at(&v->cf, vrrp_master_down_interval(&v->vi));

	if (at)
		loop_timer_arm(&v->d->loop, &v->cf_t, at);
	else
		loop_timer_cancel(&v->d->loop, &v->cf_t);
}

void vr_conflict_timer(void *arg, vtime_t now)
{
	struct vr *v = arg;

	if (conflict_tick(&v->cf, now, vrrp_master_down_interval(&v->vi)) == CONFLICT_ENDED)
		vr_conflict_tell(v, false, now);
	vr_conflict_arm(v);
}

void vr_conflict_seen(struct vr *v, enum conflict_kind kind, const struct conflict_info *info,
		      vtime_t now)
{
	vtime_t mdi = vrrp_master_down_interval(&v->vi);

	if (kind == CONFLICT_ADDRESS && !(v->cf.active && v->cf.kind == kind) &&
	    ratelimit_ok(&v->rl_claim, now, LOG_EVERY, NULL)) {
		char d[160];
		log_warnx("%s: %s; a conflict if it goes on for %.2f s (Master_Down_Interval)",
			  v->ci->name, conflict_describe(info, kind, d, sizeof(d)),
			  (double)mdi / 1e6);
	}
	/* an end that is due goes first, so that a new episode is a new one */
	if (conflict_tick(&v->cf, now, mdi) == CONFLICT_ENDED)
		vr_conflict_tell(v, false, now);
	if (conflict_seen(&v->cf, kind, info, now, mdi) == CONFLICT_STARTED)
		vr_conflict_tell(v, true, now);
	vr_conflict_arm(v);
}

void vr_conflict_rx(struct vr *v, const struct pkt_advert *adv, const struct vaddr *src,
		    enum pkt_drop r, bool was_master, vtime_t now)
{
	struct conflict_info info = {.peer = *src, .why = r, .our_prio = v->vi.prio};

	info.peer_prio = adv->priority;
	if (r == PKT_OK) {
		if (!was_master || v->vi.state != VRRP_STATE_MASTER ||
		    !conflict_loses(adv->priority, src, v->vi.prio, &v->vi.primary))
			return;
		vr_conflict_seen(v, CONFLICT_LOWER_MASTER, &info, now);
	} else if (conflict_mismatch_drop(r)) {
		vr_conflict_seen(v, CONFLICT_MISMATCH, &info, now);
	}
}
