/* settle: how the start went, in one line. Every instance started with
 * the daemon (or when vrrp_startup_delay ends) either becomes master when
 * its Master_Down_Timer fires or learns of a master (an advert, FAULT, a
 * stop). When the last one has, the daemon says how late the takeovers
 * were against their Master_Down_Interval: from the timer's due time to
 * the first advert sent, so a slow host shows up at its first start. */
#include "daemon/internal.h"
#include "io/log.h"

void settle_begin(struct daemon *d)
{
	struct settle *s = &d->settle;
	vtime_t now = loop_now();

	*s = (struct settle){.t0 = d->started_at && d->started_at < now ? d->started_at : now};
	for (struct vr *v = d->vrs; v; v = v->next) {
		v->settling = v->started && v->vi.state == VRRP_STATE_BACKUP;
		s->pending += v->settling;
		s->n += v->started;
	}
	s->others = s->n - s->pending; /* masters at once (owners), FAULT, resumed */
}

static void settle_done(struct daemon *d, struct vr *v)
{
	struct settle *s = &d->settle;

	v->settling = false;
	if (!s->pending || --s->pending)
		return;
	if (!s->masters) {
		log_info("start: %zu instance(s) settled %.3f s after start, none by its "
			 "Master_Down_Interval (%zu heard a master or did not wait for one)",
			 s->n, (loop_now() - s->t0) / 1e6, s->others);
		return;
	}
	log_info("start: %zu instance(s) settled %.3f s after start: %zu master by its "
		 "Master_Down_Interval, %.3f ms late at the worst (%s), %.3f ms on average; "
		 "%zu heard a master or did not wait for one",
		 s->n, (loop_now() - s->t0) / 1e6, s->masters, s->late_max_us / 1e3, s->worst,
		 (double)s->late_sum_us / (double)s->masters / 1e3, s->others);
}

void settle_master(struct vr *v, vtime_t due, vtime_t sent)
{
	struct settle *s = &v->d->settle;
	uint64_t late = sent > due ? sent - due : 0;

	s->masters++;
	s->late_sum_us += late;
	if (late >= s->late_max_us) {
		s->late_max_us = late;
		snprintf(s->worst, sizeof(s->worst), "%s", v->ci->name);
	}
	settle_done(v->d, v);
}

void settle_other(struct vr *v)
{
	v->d->settle.others++;
	settle_done(v->d, v);
}
