/* why: a bounded ring of what happened to one instance and why (pure), for
 * `vrrpctl why`: transitions, decisions that changed nothing (did not
 * preempt, discarded a lower-priority advert), priority changes, dropped
 * adverts.
 *
 * Promises: fixed-size records, at most WHY_RING of them per ring; a zeroed
 * struct is an empty ring. The records are allocated as the ring fills
 * (2, 4, 8, ... WHY_RING of them), so that the many instances that see a few
 * events each hold a few records, not WHY_RING; why_free releases them.
 * When full, the oldest entry goes; when memory runs out before WHY_RING,
 * the ring stays at the size it has (and an event finds no room only when
 * that size is still 0).
 * Repeats are merged, so that a flood cannot wash the ring: an event whose
 * KIND and KEY match an earlier entry is counted in that entry (count + 1,
 * last = now) instead of taking a new one, when that entry is
 *   - younger than WHY_REPEAT (one entry per reason per second at most), or
 *   - made since the last transition (no state change since: a reason
 *     repeated while the state stays put is one entry).
 * The caller chooses KEY: one per reason, not per packet (a drop reason,
 * not its source address). Times are the caller's monotonic µs. */
#ifndef VRRPD_WHY_H
#define VRRPD_WHY_H

#include <stdint.h>

#include "core/timer.h"

#define WHY_RING   64
#define WHY_TEXT   112
#define WHY_REPEAT VTIME_SEC

enum why_kind {
	WHY_TRANSITION = 0, /* a state change: "BACKUP -> MASTER: ..." */
	WHY_DECISION,	    /* an advert obeyed or discarded, and why */
	WHY_PRIORITY,	    /* the effective priority changed */
	WHY_DROP,	    /* an advert for the instance was dropped */
	WHY__KINDS
};

struct why_entry {
	vtime_t time; /* the first occurrence */
	vtime_t last; /* the latest one merged into it (== time when count is 1) */
	uint32_t key; /* the caller's reason key */
	uint32_t count;
	uint32_t seq; /* order of creation */
	uint8_t kind; /* enum why_kind */
	char text[WHY_TEXT];
};

struct why_ring {
	uint32_t head;	/* where the next entry goes */
	uint32_t n;	/* entries held, <= WHY_RING */
	uint32_t seq;	/* the last entry's seq */
	uint32_t moved; /* seq when the state last changed */
	uint32_t cap;	/* records allocated in e, <= WHY_RING */
	struct why_entry *e;
};

/* Records an event. Returns the new entry's text buffer (WHY_TEXT bytes,
 * empty) for the caller to fill, or NULL when the event was merged into an
 * earlier entry (or found no memory): the text is formatted only for events
 * that are kept. */
char *why_note(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key);
/* why_note, and the text formatted into the new entry (cut to fit). */
void why_add(struct why_ring *r, vtime_t now, enum why_kind kind, uint32_t key, const char *fmt,
	     ...) __attribute__((format(printf, 5, 6)));
/* Entries held, and the I-th of them, oldest first (NULL past the end). */
uint32_t why_count(const struct why_ring *r);
/* Releases the records; r is then an empty ring. */
void why_free(struct why_ring *r);
const struct why_entry *why_get(const struct why_ring *r, uint32_t i);
/* A key from small numbers: kind-local codes mixed (FNV-1a). */
uint32_t why_key(uint32_t a, uint64_t b);
const char *why_kind_name(enum why_kind k);

#endif
