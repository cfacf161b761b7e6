/* ratelimit: at most one of a kind of event shown per period (pure).
 *
 * Promises: ratelimit_ok() is true for the first event and then for the
 * first one at least PERIOD after the last one it let through; the others
 * are counted, and the count is handed to the next event let through. A
 * zeroed struct is ready to use. */
#ifndef VRRPD_RATELIMIT_H
#define VRRPD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/timer.h"

struct ratelimit {
	bool shown;	     /* an event was let through ... */
	vtime_t last;	     /* ... at this time */
	uint64_t suppressed; /* events held back since then */
};

/* True when the event at NOW may be shown. Then *suppressed (may be NULL)
 * receives how many were held back since the last one shown. */
bool ratelimit_ok(struct ratelimit *rl, vtime_t now, vtime_t period, uint64_t *suppressed);

#endif
