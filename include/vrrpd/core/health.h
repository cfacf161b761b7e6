/* health: the arithmetic behind the loop's health figures in `vrrpctl
 * stats` — a histogram of lateness in log2 buckets of microseconds, a
 * maximum since start and over the last minute, and a count / sum / max /
 * last accumulator.
 *
 * Promises: pure (the caller passes the time); no allocation; every add is
 * O(1) and a zeroed struct is ready to use, so the event loop can feed them
 * on every turn. */
#ifndef VRRPD_HEALTH_H
#define VRRPD_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/timer.h"

/* Buckets: <= 50 µs, <= 100, <= 200, ... <= 12800 µs (each bound twice the
 * one before), and more than 12.8 ms. */
#define HEALTH_BUCKETS	  10
#define HEALTH_BUCKET0_US 50

struct health_hist {
	uint64_t n[HEALTH_BUCKETS]; /* not cumulative: n[i] counts bound(i-1) < us <= bound(i) */
	uint64_t count, sum_us, max_us;
};

/* The bucket of a value of US microseconds. */
unsigned health_bucket(uint64_t us);
/* The upper bound of bucket I in µs (inclusive); UINT64_MAX for the last. */
uint64_t health_bucket_le(unsigned i);
void health_hist_add(struct health_hist *h, uint64_t us);

/* How many, their sum, the largest and the last one. */
struct health_stat {
	uint64_t count, sum, max, last;
};
void health_stat_add(struct health_stat *s, uint64_t v);

/* The largest value since start and over the last minute. The minute is
 * kept as HEALTH_WIN_SLOTS slots of HEALTH_WIN_STEP each: the maximum "over
 * the last minute" is that of the current slot and the six before it, so it
 * covers between 60 and 70 seconds. */
#define HEALTH_WIN_SLOTS 7
#define HEALTH_WIN_STEP	 (10 * VTIME_SEC)

struct health_window {
	uint64_t max_all;
	vtime_t slot_end; /* the current slot ends here; 0 = none yet */
	unsigned cur;
	uint64_t epoch[HEALTH_WIN_SLOTS]; /* now / HEALTH_WIN_STEP of each slot */
	uint64_t max[HEALTH_WIN_SLOTS];
};

/* Records V at NOW (NOW never goes back). */
void health_window_add(struct health_window *w, vtime_t now, uint64_t v);
/* The largest value recorded in the minute (60-70 s) up to NOW. */
uint64_t health_window_max(const struct health_window *w, vtime_t now);

/* The last reload, and all of them. Times in µs. */
struct health_reload {
	uint64_t count, rejected; /* reloads run; how many of them were rejected */
	bool last_rejected;
	uint64_t last_us, parse_us, diff_us, apply_us; /* the last one: total and its parts */
	uint64_t max_us;			       /* the longest since start */
	uint64_t turn_max_us; /* the loop's longest turn while the last one ran */
};

#endif
