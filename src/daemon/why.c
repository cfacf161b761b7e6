/* why: what goes into an instance's ring of reasons (core/why) for
 * `vrrpctl why`, from the places that log transitions and decisions: the
 * executor (transitions), the receive path (decisions, drops) and tracking
 * (priority changes). Keys are per reason, never per packet or per source
 * address, so that a flood merges into one entry (core/why.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/why.h"
#include "daemon/internal.h"

/* Local wall-clock time of the monotonic instant AT: "12:00:03.2". */
static void why_clock(char *out, size_t len, vtime_t at, vtime_t now)
{
	double wall = daemon_wall_now() + ((double)at - (double)now) / 1e6;
	time_t t = (time_t)wall;
	struct tm tm;
	char hms[16];

	if (!localtime_r(&t, &tm) || !strftime(hms, sizeof(hms), "%H:%M:%S", &tm)) {
		snprintf(out, len, "?");
		return;
	}
	snprintf(out, len, "%s.%d", hms, (int)((wall - (double)t) * 10) % 10);
}

void vr_why_transition(struct vr *v, enum vrrp_state from)
{
	vtime_t at = v->vi.since ? v->vi.since : loop_now();

	why_add(&v->why, at, WHY_TRANSITION,
		why_key(WHY_TRANSITION, (uint64_t)from << 8 | v->vi.state), "%s -> %s: %s",
		vrrp_state_name(from), vrrp_state_name(v->vi.state), v->vi.reason);
}

/* The text of a decision (vi->decision after an accepted advert). */
static void why_decision_text(struct vr *v, char *t, vtime_t now, const struct pkt_advert *adv,
			      const char *src)
{
	const struct vrrp_instance *vi = &v->vi;
	char until[32];

	switch (vi->decision) {
	case VRRP_DEC_NOPREEMPT:
		snprintf(t, WHY_TEXT, "did not preempt %s (priority %u < %u): nopreempt", src,
			 adv->priority, vi->prio);
		break;
	case VRRP_DEC_PREEMPT_DELAY:
		why_clock(until, sizeof(until), vi->preempt_at, now);
		snprintf(t, WHY_TEXT,
			 "did not preempt %s (priority %u < %u) yet: preempt_delay until %s", src,
			 adv->priority, vi->prio, until);
		break;
	case VRRP_DEC_PREEMPTING:
		snprintf(t, WHY_TEXT,
			 "lower priority %u from %s discarded: preempting, MASTER in %.2f s",
			 adv->priority, src,
			 vi->timer_at > now ? (double)(vi->timer_at - now) / 1e6 : 0.0);
		break;
	case VRRP_DEC_STEPDOWN:
		snprintf(t, WHY_TEXT, "master %s sent priority 0: MASTER in %.3f s (skew time)",
			 src, vi->timer_at > now ? (double)(vi->timer_at - now) / 1e6 : 0.0);
		break;
	case VRRP_DEC_LOWER:
		if (adv->priority == vi->prio)
			snprintf(t, WHY_TEXT,
				 "equal priority %u from %s with a lower address discarded (we "
				 "are master)",
				 adv->priority, src);
		else
			snprintf(t, WHY_TEXT, "lower priority %u from %s discarded (we are master)",
				 adv->priority, src);
		break;
	case VRRP_DEC_OTHER_STOP:
		snprintf(t, WHY_TEXT, "priority 0 from %s: advertised at once (we are master)",
			 src);
		break;
	case VRRP_DEC_NONE:
		break;
	}
}

void vr_why_recv(struct vr *v, vtime_t now, const struct pkt_advert *adv, const struct vaddr *src)
{
	char a[ADDR_STRLEN];

	if (v->vi.decision == VRRP_DEC_NONE)
		return;
	/* preempt_delay: one entry per delay (its end is in the text). */
	uint64_t sub = v->vi.decision == VRRP_DEC_PREEMPT_DELAY ? v->vi.preempt_at : 0;
	char *t = why_note(&v->why, now, WHY_DECISION, why_key(v->vi.decision, sub));
	if (t)
		why_decision_text(v, t, now, adv, addr_str(src, a));
}

void vr_why_drop(struct vr *v, vtime_t now, enum pkt_drop r, const struct vaddr *src)
{
	char a[ADDR_STRLEN];

	if (r == PKT_DROP_OWN) /* our own adverts looped back */
		return;
	char *t = why_note(&v->why, now, WHY_DROP, why_key(WHY_DROP, r));
	if (t)
		snprintf(t, WHY_TEXT, "advert from %s dropped: %s", addr_str(src, a),
			 pkt_drop_str(r));
}

void vr_why_priority(struct vr *v, uint8_t was, const char *why, vtime_t now)
{
	if (v->vi.prio == was)
		return;
	why_add(&v->why, now, WHY_PRIORITY, why_key(WHY_PRIORITY, (uint64_t)was << 8 | v->vi.prio),
		"priority %u -> %u: %s", was, v->vi.prio,
		why && *why ? why : "no tracked item moves it any more");
}
