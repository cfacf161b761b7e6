/* conflict: split-brain detection over time, pure.
 *
 * Promises: no I/O and no clock. The daemon reports what it observes as
 * events of a kind (conflict_seen) and calls conflict_tick when
 * conflict_next_at says; both return whether a conflict started or ended.
 * A condition is one kind seen again and again: it continues while no gap
 * between two sightings is longer than the Master_Down_Interval (MDI) the
 * caller passes, and a conflict starts at the first sighting that comes
 * more than one MDI after the condition's first (so the single crossing
 * advert of an ordinary preemption, or a few seen within one MDI, is never
 * one). It ends when its condition has not been seen for one MDI. An
 * instance has at most one conflict at a time: while it lasts, sightings of
 * its kind keep it alive and those of other kinds are only remembered, so
 * that an ongoing other condition becomes the next conflict once this one
 * ends. */
#ifndef VRRPD_CONFLICT_H
#define VRRPD_CONFLICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/pkt.h"
#include "core/timer.h"

enum conflict_kind {
	CONFLICT_LOWER_MASTER, /* as master, we hear another master's losing adverts */
	CONFLICT_MISMATCH,     /* adverts for our VRID that we drop: configuration differs */
	CONFLICT_ADDRESS,      /* ARP reply / NA for one of our VIPs from a MAC not ours */
	CONFLICT__N
};

/* What one sighting says, for the log and vrrpctl. */
struct conflict_info {
	struct vaddr peer; /* who: the advert's source, or the sender's address */
	uint8_t peer_prio; /* LOWER_MASTER: the priority it advertises */
	uint8_t our_prio;  /* LOWER_MASTER: ours */
	enum pkt_drop why; /* MISMATCH: the drop reason (PKT_DROP_AUTH ...) */
	uint8_t mac[6];	   /* ADDRESS: the foreign MAC */
	struct vaddr vip;  /* ADDRESS: the VIP it claims */
};

struct conflict_cond {
	bool seen;	     /* a condition is going on */
	vtime_t first, last; /* its first and latest sighting */
	struct conflict_info info;
};

enum conflict_change { CONFLICT_NONE = 0, CONFLICT_STARTED, CONFLICT_ENDED };

struct conflict {
	struct conflict_cond cond[CONFLICT__N];
	bool active;
	enum conflict_kind kind;   /* of the active one */
	struct conflict_info info; /* of the active one, as it started */
	vtime_t since;		   /* when the active one's condition began */
	vtime_t ended_after;	   /* CONFLICT_ENDED: how long the condition lasted */
	uint64_t count[CONFLICT__N];
};

void conflict_init(struct conflict *c);
/* A sighting of KIND at NOW. */
enum conflict_change conflict_seen(struct conflict *c, enum conflict_kind kind,
				   const struct conflict_info *info, vtime_t now, vtime_t mdi);
/* Time passed: ends the active conflict whose condition was not seen for
 * one MDI (then c->ended_after is its duration), and forgets old sightings. */
enum conflict_change conflict_tick(struct conflict *c, vtime_t now, vtime_t mdi);
/* When conflict_tick has something to do; 0 = nothing pending. */
vtime_t conflict_next_at(const struct conflict *c, vtime_t mdi);
uint64_t conflict_total(const struct conflict *c);

/* As master with priority OUR_PRIO and address OURS, does an advert with
 * PRIO from SRC lose to us (lower priority, or equal from a lower
 * address)? Priority 0 (a master stepping down) never does. */
bool conflict_loses(uint8_t prio, const struct vaddr *src, uint8_t our_prio,
		    const struct vaddr *ours);
/* Is DROP a reason that means the sender's configuration differs from ours
 * (version, authentication, advert interval)? */
bool conflict_mismatch_drop(enum pkt_drop drop);
/* "lower_master", "mismatch", "address". */
const char *conflict_kind_name(enum conflict_kind kind);
/* Who the other side is, as notify_conflict, fence_script and vrrpctl
 * name it: the advert's source address, or for ADDRESS the foreign MAC
 * ("02:00:00:00:01:0a"). Returns BUF (at least CONFLICT_PEER_LEN). */
#define CONFLICT_PEER_LEN 48
const char *conflict_peer_str(const struct conflict_info *info, enum conflict_kind kind, char *buf);
/* One line for the log: "192.0.2.2 also claims to be master (priority
 * 100 < 150)" and the like. Returns BUF. */
const char *conflict_describe(const struct conflict_info *info, enum conflict_kind kind, char *buf,
			      size_t len);

#endif
