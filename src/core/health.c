/* health: histogram buckets, window maxima, accumulators. */
#include "core/health.h"

unsigned health_bucket(uint64_t us)
{
	unsigned i = 0;
	uint64_t le = HEALTH_BUCKET0_US;

	while (i + 1 < HEALTH_BUCKETS && us > le) {
		i++;
		le *= 2;
	}
	return i;
}

uint64_t health_bucket_le(unsigned i)
{
	if (i + 1 >= HEALTH_BUCKETS)
		return UINT64_MAX;
	return (uint64_t)HEALTH_BUCKET0_US << i;
}

void health_hist_add(struct health_hist *h, uint64_t us)
{
	h->n[health_bucket(us)]++;
	h->count++;
	h->sum_us += us;
	if (us > h->max_us)
		h->max_us = us;
}

void health_stat_add(struct health_stat *s, uint64_t v)
{
	s->count++;
	s->sum += v;
	s->last = v;
	if (v > s->max)
		s->max = v;
}

void health_window_add(struct health_window *w, vtime_t now, uint64_t v)
{
	if (v > w->max_all)
		w->max_all = v;
	if (!w->slot_end || now >= w->slot_end) {
		uint64_t e = now / HEALTH_WIN_STEP;
		w->cur = (unsigned)(e % HEALTH_WIN_SLOTS);
		if (w->epoch[w->cur] != e) {
			w->epoch[w->cur] = e;
			w->max[w->cur] = 0;
		}
		w->slot_end = (e + 1) * HEALTH_WIN_STEP;
	}
	if (v > w->max[w->cur])
		w->max[w->cur] = v;
}

uint64_t health_window_max(const struct health_window *w, vtime_t now)
{
	uint64_t e = now / HEALTH_WIN_STEP, m = 0;

	for (unsigned i = 0; i < HEALTH_WIN_SLOTS; i++)
		if (w->epoch[i] <= e && e - w->epoch[i] < HEALTH_WIN_SLOTS && w->max[i] > m)
			m = w->max[i];
	return m;
}
