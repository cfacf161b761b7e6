/* announce: the GARP / unsolicited NA schedule. Pure: see announce.h. */
#include "core/announce.h"

#include <string.h>

void announce_start(struct announce *a, const struct announce_cfg *c, vtime_t now)
{
	a->phase = ANNOUNCE_INITIAL;
	a->rounds = c->repeat ? c->repeat : 1;
	a->pos = 0;
	a->burst_at = now;
	a->next_at = now;
}

void announce_stop(struct announce *a)
{
	memset(a, 0, sizeof(*a));
}

bool announce_lower(struct announce *a, const struct announce_cfg *c, vtime_t now)
{
	if (!c->lower_repeat)
		return false;
	a->phase = ANNOUNCE_LOWER;
	a->rounds = c->lower_repeat;
	a->pos = 0;
	a->burst_at = now;
	a->next_at = now;
	return true;
}

/* The current burst is over: the next one, or the end. */
static void announce_schedule(struct announce *a, const struct announce_cfg *c, vtime_t now)
{
	if (a->phase == ANNOUNCE_INITIAL && c->delay_ms) {
		a->phase = ANNOUNCE_DELAYED;
		a->rounds = c->repeat;
		a->burst_at += c->delay_ms * VTIME_MSEC;
	} else if (a->phase == ANNOUNCE_LOWER && c->lower_delay_ms) {
		a->phase = ANNOUNCE_LOWER_DELAYED;
		a->rounds = c->lower_repeat;
		a->burst_at += c->lower_delay_ms * VTIME_MSEC;
	} else if (c->refresh_ms) {
		a->phase = ANNOUNCE_REFRESH;
		a->rounds = c->refresh_repeat;
		a->burst_at = (a->burst_at > now ? a->burst_at : now) + c->refresh_ms * VTIME_MSEC;
	} else {
		announce_stop(a);
		return;
	}
	a->next_at = a->burst_at;
}

bool announce_next(struct announce *a, const struct announce_cfg *c, size_t n, vtime_t now,
		   unsigned *budget, size_t *vip)
{
	/* Each pass either returns or moves the schedule on; bounded. */
	for (int guard = 0; guard < 8; guard++) {
		if (a->phase == ANNOUNCE_IDLE || a->next_at > now)
			return false;
		if (!a->rounds) {
			announce_schedule(a, c, now);
			continue;
		}
		if (a->pos < n) {
			if (!*budget) {
				a->next_at = now + 1;
				return false;
			}
			(*budget)--;
			*vip = a->pos++;
			return true;
		}
		a->pos = 0;
		a->rounds--;
		if (a->rounds && c->interval_us) {
			a->next_at = now + c->interval_us;
			return false;
		}
	}
	return false;
}
