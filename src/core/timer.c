/* timer: binary min-heap of embedded timers. */
#include "core/timer.h"

#include <stdlib.h>

void timer_init(struct timer *t, void (*cb)(void *arg, vtime_t now), void *arg)
{
	t->when = 0;
	t->idx = 0;
	t->cb = cb;
	t->arg = arg;
}

void timer_heap_init(struct timer_heap *h)
{
	h->v = NULL;
	h->n = h->cap = 0;
}

void timer_heap_free(struct timer_heap *h)
{
	for (size_t i = 0; i < h->n; i++)
		h->v[i]->idx = 0;
	free(h->v);
	timer_heap_init(h);
}

static void timer_place(struct timer_heap *h, size_t i, struct timer *t)
{
	h->v[i] = t;
	t->idx = i + 1;
}

static void timer_sift_up(struct timer_heap *h, size_t i)
{
	struct timer *t = h->v[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (h->v[parent]->when <= t->when)
			break;
		timer_place(h, i, h->v[parent]);
		i = parent;
	}
	timer_place(h, i, t);
}

static void timer_sift_down(struct timer_heap *h, size_t i)
{
	struct timer *t = h->v[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1]->when < h->v[c]->when)
			c++;
		if (t->when <= h->v[c]->when)
			break;
		timer_place(h, i, h->v[c]);
		i = c;
	}
	timer_place(h, i, t);
}

int timer_heap_arm(struct timer_heap *h, struct timer *t, vtime_t when)
{
	if (t->idx) {
		vtime_t old = t->when;
		t->when = when;
		if (when < old)
			timer_sift_up(h, t->idx - 1);
		else
			timer_sift_down(h, t->idx - 1);
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct timer **v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	t->when = when;
	timer_place(h, h->n++, t);
	timer_sift_up(h, h->n - 1);
	return 0;
}

void timer_heap_cancel(struct timer_heap *h, struct timer *t)
{
	if (!t->idx)
		return;
	size_t i = t->idx - 1;
	struct timer *last = h->v[--h->n];
	t->idx = 0;
	if (i == h->n)
		return;
	timer_place(h, i, last);
	if (i > 0 && last->when < h->v[(i - 1) / 2]->when)
		timer_sift_up(h, i);
	else
		timer_sift_down(h, i);
}

struct timer *timer_heap_peek(const struct timer_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

struct timer *timer_heap_pop_due(struct timer_heap *h, vtime_t now)
{
	struct timer *t = timer_heap_peek(h);

	if (!t || t->when > now)
		return NULL;
	timer_heap_cancel(h, t);
	return t;
}
