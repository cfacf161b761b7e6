/* debounce: delays before an interface change is acted on. Pure: see
 * debounce.h. */
#include "core/debounce.h"

void debounce_init(struct debounce *b, vtime_t down_us, vtime_t up_us, bool up)
{
	*b = (struct debounce){.down_us = down_us, .up_us = up_us, .up = up, .seen_up = up};
}

static void debounce_apply(struct debounce *b, bool up)
{
	b->up = up;
	b->seen_up |= up;
	b->due = 0;
}

bool debounce_update(struct debounce *b, bool up, vtime_t now)
{
	vtime_t delay = up ? b->up_us : b->down_us;

	if (up == b->up) {
		b->due = 0; /* reverted before its delay: never acted on */
		return b->up;
	}
	if (!b->seen_up || !delay) {
		debounce_apply(b, up);
		return b->up;
	}
	if (!b->due)
		b->due = now + delay; /* counted from the first report of the change */
	if (now >= b->due)
		debounce_apply(b, up);
	return b->up;
}
