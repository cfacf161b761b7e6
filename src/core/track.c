/* track: weight arithmetic and rise/fall hysteresis. */
#include "core/track.h"

#include <stdio.h>

void track_eval(uint8_t base, const struct track_item *items, size_t n, struct track_result *r)
{
	int prio = base;

	r->fault = false;
	r->why[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct track_item *t = &items[i];
		bool up = t->up != t->reverse;
		if (t->weight == 0) {
			if (!up && !r->fault) {
				r->fault = true;
				if (t->kind == TRACK_INTERFACE)
					snprintf(r->why, sizeof(r->why), "%s%s", t->name,
						 t->reverse ? " is up (tracked reversed)"
							    : " is down");
				else
					snprintf(r->why, sizeof(r->why), "script %s %s", t->name,
						 t->reverse ? "succeeded (tracked reversed)"
							    : "failed");
			}
		} else if (t->weight > 0 ? up : !up) {
			prio += t->weight;
		}
	}
	if (base == 255)
		prio = 255;
	else if (prio < 1)
		prio = 1;
	else if (prio > 254)
		prio = 254;
	r->prio = (uint8_t)prio;
}

bool track_feed(struct track_hyst *h, bool success, uint32_t rise, uint32_t fall)
{
	if (success == h->up) {
		h->streak = 0;
		return h->up;
	}
	h->streak++;
	if (h->streak >= (h->up ? fall : rise)) {
		h->up = success;
		h->streak = 0;
	}
	return h->up;
}
