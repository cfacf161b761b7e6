/* timer: a binary min-heap of timers keyed by absolute monotonic time (µs).
 *
 * Promises: pure (no clock, no I/O); arm, cancel and re-arm are O(log n);
 * peek is O(1). A timer is owned by its user and embedded in its user's
 * struct; the heap only stores pointers. Among timers with equal expiry the
 * order is unspecified. */
#ifndef VRRPD_TIMER_H
#define VRRPD_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t vtime_t; /* microseconds on CLOCK_MONOTONIC */

#define VTIME_SEC  1000000ULL
#define VTIME_MSEC 1000ULL

struct timer {
	vtime_t when;
	size_t idx; /* position in the heap + 1; 0 = not armed */
	void (*cb)(void *arg, vtime_t now);
	void *arg;
};

struct timer_heap {
	struct timer **v;
	size_t n, cap;
};

void timer_init(struct timer *t, void (*cb)(void *arg, vtime_t now), void *arg);
void timer_heap_init(struct timer_heap *h);
void timer_heap_free(struct timer_heap *h);
/* Arms t at when, or moves it there if already armed. Returns 0, or -1 when
 * memory is exhausted (t is then not armed). */
int timer_heap_arm(struct timer_heap *h, struct timer *t, vtime_t when);
/* Disarms t; a no-op when t is not armed. */
void timer_heap_cancel(struct timer_heap *h, struct timer *t);
static inline bool timer_armed(const struct timer *t)
{
	return t->idx != 0;
}
/* The earliest timer, or NULL. */
struct timer *timer_heap_peek(const struct timer_heap *h);
/* Removes and returns the earliest timer whose when <= now, or NULL. */
struct timer *timer_heap_pop_due(struct timer_heap *h, vtime_t now);

#endif
