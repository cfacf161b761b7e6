/* ratelimit: one event per period. */
#include "core/ratelimit.h"

bool ratelimit_ok(struct ratelimit *rl, vtime_t now, vtime_t period, uint64_t *suppressed)
{
	if (rl->shown && now >= rl->last && now - rl->last < period) {
		rl->suppressed++;
		return false;
	}
	if (suppressed)
		*suppressed = rl->suppressed;
	rl->shown = true;
	rl->last = now;
	rl->suppressed = 0;
	return true;
}
