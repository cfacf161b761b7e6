/* Unit tests for core/health.c: lateness buckets, the histogram, the
 * accumulator and the maximum over the last minute. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/health.h"

static void buckets_are_log2_from_50us(void **state)
{
	(void)state;
	assert_int_equal(health_bucket(0), 0);
	assert_int_equal(health_bucket(50), 0);
	assert_int_equal(health_bucket(51), 1);
	assert_int_equal(health_bucket(100), 1);
	assert_int_equal(health_bucket(101), 2);
	assert_int_equal(health_bucket(200), 2);
	assert_int_equal(health_bucket(201), 3);
	assert_int_equal(health_bucket(6400), 7);
	assert_int_equal(health_bucket(6401), 8);
	assert_int_equal(health_bucket(12800), 8);
	assert_int_equal(health_bucket(12801), 9);
	assert_int_equal(health_bucket(UINT64_MAX), HEALTH_BUCKETS - 1);
	/* every value lands in the bucket whose bounds hold it */
	for (unsigned i = 0; i < HEALTH_BUCKETS; i++) {
		uint64_t le = health_bucket_le(i);
		uint64_t lo = i ? health_bucket_le(i - 1) + 1 : 0;
		assert_int_equal(health_bucket(lo), i);
		assert_int_equal(health_bucket(le), i);
	}
	assert_int_equal(health_bucket_le(0), 50);
	assert_int_equal(health_bucket_le(8), 12800);
	assert_true(health_bucket_le(HEALTH_BUCKETS - 1) == UINT64_MAX);
}

static void histogram_counts_sums_and_keeps_the_max(void **state)
{
	struct health_hist h = {0};
	uint64_t total = 0;

	(void)state;
	static const uint64_t v[] = {3, 49, 50, 70, 1000, 20000, 12};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		health_hist_add(&h, v[i]);
	assert_int_equal(h.count, 7);
	assert_int_equal(h.sum_us, 3 + 49 + 50 + 70 + 1000 + 20000 + 12);
	assert_int_equal(h.max_us, 20000);
	assert_int_equal(h.n[0], 4);
	assert_int_equal(h.n[1], 1);
	assert_int_equal(h.n[5], 1); /* 801..1600 */
	assert_int_equal(h.n[9], 1);
	for (unsigned i = 0; i < HEALTH_BUCKETS; i++)
		total += h.n[i];
	assert_int_equal(total, h.count);
}

static void stat_accumulates(void **state)
{
	struct health_stat s = {0};

	(void)state;
	health_stat_add(&s, 5);
	health_stat_add(&s, 700);
	health_stat_add(&s, 2);
	assert_int_equal(s.count, 3);
	assert_int_equal(s.sum, 707);
	assert_int_equal(s.max, 700);
	assert_int_equal(s.last, 2);
}

static void window_forgets_after_a_minute(void **state)
{
	struct health_window w = {0};
	vtime_t t0 = 1000 * VTIME_SEC;

	(void)state;
	assert_int_equal(health_window_max(&w, t0), 0);
	health_window_add(&w, t0, 900);
	health_window_add(&w, t0 + 1, 100);
	assert_int_equal(health_window_max(&w, t0 + 2), 900);
	/* a smaller value 30 s later: the minute still holds 900 */
	health_window_add(&w, t0 + 30 * VTIME_SEC, 200);
	assert_int_equal(health_window_max(&w, t0 + 30 * VTIME_SEC), 900);
	assert_int_equal(health_window_max(&w, t0 + 69 * VTIME_SEC), 900);
	/* 70 s on, the slot of 900 has left the window; 200 (at +30 s) has not */
	assert_int_equal(health_window_max(&w, t0 + 70 * VTIME_SEC), 200);
	assert_int_equal(health_window_max(&w, t0 + 100 * VTIME_SEC), 0);
	assert_int_equal(w.max_all, 900);
	/* a slot reused after its time is cleared first */
	health_window_add(&w, t0 + 70 * VTIME_SEC, 50);
	assert_int_equal(health_window_max(&w, t0 + 70 * VTIME_SEC), 200);
	assert_int_equal(health_window_max(&w, t0 + 139 * VTIME_SEC), 50);
	health_window_add(&w, t0 + 140 * VTIME_SEC, 40);
	assert_int_equal(health_window_max(&w, t0 + 140 * VTIME_SEC), 40);
	assert_int_equal(w.max_all, 900);
}

static void window_after_a_long_quiet_time(void **state)
{
	struct health_window w = {0};

	(void)state;
	health_window_add(&w, 5 * VTIME_SEC, 300); /* epoch 0: the zeroed slot */
	assert_int_equal(health_window_max(&w, 6 * VTIME_SEC), 300);
	/* an hour with no turn at all, then one small one */
	health_window_add(&w, 3600 * VTIME_SEC, 7);
	assert_int_equal(health_window_max(&w, 3600 * VTIME_SEC), 7);
	assert_int_equal(w.max_all, 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buckets_are_log2_from_50us),
	    cmocka_unit_test(histogram_counts_sums_and_keeps_the_max),
	    cmocka_unit_test(stat_accumulates),
	    cmocka_unit_test(window_forgets_after_a_minute),
	    cmocka_unit_test(window_after_a_long_quiet_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
