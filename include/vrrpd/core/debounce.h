/* debounce: keepalived's interface_up_down_delays for one interface, pure.
 *
 * Promises: no I/O and no clock. The caller reports the interface's real
 * state (up or not) with the current time whenever it may have changed, and
 * again at b->due; debounce_update returns the state to act on. A change is
 * acted on only once it has lasted its delay (down_us going down, up_us
 * coming up); a change that reverts before then is never acted on. Until
 * the interface has once been acted on as up, changes count at once
 * (keepalived: no delay before the interface was seen up). Times in µs. */
#ifndef VRRPD_DEBOUNCE_H
#define VRRPD_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/timer.h"

struct debounce {
	vtime_t down_us, up_us; /* the delays; 0 = none */
	bool up;		/* the state acted on */
	bool seen_up;		/* acted on as up at least once */
	vtime_t due;		/* when a pending change is acted on; 0 = none */
};

/* The interface is UP now: acted on at once. */
void debounce_init(struct debounce *b, vtime_t down_us, vtime_t up_us, bool up);
/* The real state is UP at NOW: returns the state to act on, and sets b->due
 * to when to call again (0 = no change pending). */
bool debounce_update(struct debounce *b, bool up, vtime_t now);

#endif
