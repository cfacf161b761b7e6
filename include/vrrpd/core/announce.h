/* announce: when a new master tells the LAN where its VIPs are (gratuitous
 * ARP for IPv4, unsolicited NA for IPv6), pure.
 *
 * Promises: keepalived's garp_* schedule. On becoming master
 * (announce_start) a burst of REPEAT rounds (at least one) goes out at
 * once, rounds INTERVAL apart; a round is one frame per VIP, in order.
 * After DELAY (when set) a second burst of REPEAT rounds; then, when
 * REFRESH is set, a burst of REFRESH_REPEAT rounds every REFRESH (counted
 * from the previous burst's start, or from now when the schedule fell
 * behind). announce_lower() (a Master heard a lower priority: keepalived's
 * garp_lower_prio_*) replaces what is left of the schedule with a burst
 * of LOWER_REPEAT rounds at once and, when LOWER_DELAY is set, a second
 * one after it; the refresh bursts then go on. announce_next() hands out the frames due now one VIP
 * index at a time, spending one unit of *budget per frame (a budget shared by every instance keeps
 * many takeovers in one instant from delaying an advert): with the budget spent it stops and asks
 * to be called again at once (next_at = now + 1, a later loop turn). next_at says when to call
 * next; 0 = the schedule is over. */
#ifndef VRRPD_ANNOUNCE_H
#define VRRPD_ANNOUNCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timer.h"

struct announce_cfg {
	uint32_t delay_ms;	 /* second burst after becoming master; 0 = none */
	uint32_t repeat;	 /* rounds per burst (0 counts as 1 for the first) */
	uint32_t refresh_ms;	 /* periodic burst while master; 0 = off */
	uint32_t refresh_repeat; /* rounds per refresh burst */
	uint32_t interval_us;	 /* between rounds of a burst; 0 = back to back */
	uint32_t lower_delay_ms; /* announce_lower: second burst after the first; 0 = none */
	uint32_t lower_repeat;	 /* announce_lower: rounds per burst; 0 = no lower bursts */
};

enum announce_phase {
	ANNOUNCE_IDLE,
	ANNOUNCE_INITIAL,
	ANNOUNCE_DELAYED,
	ANNOUNCE_REFRESH,
	ANNOUNCE_LOWER,
	ANNOUNCE_LOWER_DELAYED
};

struct announce {
	enum announce_phase phase;
	unsigned rounds;  /* rounds left in the current burst */
	size_t pos;	  /* next VIP of the current round */
	vtime_t burst_at; /* when the current burst was due */
	vtime_t next_at;  /* call announce_next() then; 0 = idle */
};

void announce_start(struct announce *a, const struct announce_cfg *c, vtime_t now);
void announce_stop(struct announce *a);
/* A Master heard a lower priority: the lower-priority schedule starts at
 * NOW. False (and nothing changes) when c->lower_repeat is 0. */
bool announce_lower(struct announce *a, const struct announce_cfg *c, vtime_t now);
/* The next frame due at NOW for a list of N VIPs: true with *vip set, or
 * false when nothing more is due now (see next_at). */
bool announce_next(struct announce *a, const struct announce_cfg *c, size_t n, vtime_t now,
		   unsigned *budget, size_t *vip);

#endif
