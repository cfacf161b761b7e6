/* announce: when a new master tells the LAN where its VIPs are (gratuitous
 * ARP for IPv4, unsolicited NA for IPv6), pure.
 *
 * Promises: keepalived's garp_* schedule. On becoming master
 * (announce_start) a burst of REPEAT rounds (at least one) goes out at
 * once, rounds INTERVAL apart; a round is one frame per VIP, in order.
 * After DELAY (when set) a second burst of REPEAT rounds; then, when
 * REFRESH is set, a burst of REFRESH_REPEAT rounds every REFRESH (counted
 * from the previous burst's start, or from now when the schedule fell
 * behind). announce_next() hands out the frames due now one VIP index at a
 * time, spending one unit of *budget per frame (a budget shared by every
 * instance keeps many takeovers in one instant from delaying an advert):
 * with the budget spent it stops and asks to be called again at once
 * (next_at = now + 1, a later loop turn). next_at says when to call next;
 * 0 = the schedule is over. */
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
};

enum announce_phase { ANNOUNCE_IDLE, ANNOUNCE_INITIAL, ANNOUNCE_DELAYED, ANNOUNCE_REFRESH };

struct announce {
	enum announce_phase phase;
	unsigned rounds;  /* rounds left in the current burst */
	size_t pos;	  /* next VIP of the current round */
	vtime_t burst_at; /* when the current burst was due */
	vtime_t next_at;  /* call announce_next() then; 0 = idle */
};

void announce_start(struct announce *a, const struct announce_cfg *c, vtime_t now);
void announce_stop(struct announce *a);
/* The next frame due at NOW for a list of N VIPs: true with *vip set, or
 * false when nothing more is due now (see next_at). */
bool announce_next(struct announce *a, const struct announce_cfg *c, size_t n, vtime_t now,
		   unsigned *budget, size_t *vip);

#endif
