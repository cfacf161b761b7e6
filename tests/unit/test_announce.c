/* Unit tests for core/announce.c: the GARP / unsolicited NA schedule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/announce.h"

/* Drains what is due at NOW; returns the number of frames and checks that
 * they come round-robin over N VIPs starting where the last drain stopped. */
static unsigned drain(struct announce *a, const struct announce_cfg *c, size_t n, vtime_t now,
		      unsigned budget, size_t *expect_next)
{
	unsigned frames = 0;
	size_t vip;

	while (announce_next(a, c, n, now, &budget, &vip)) {
		assert_int_equal(vip, *expect_next);
		*expect_next = (*expect_next + 1) % n;
		frames++;
		assert_true(frames < 100000);
	}
	return frames;
}

/* keepalived's defaults: 5 rounds at once, 5 more after 5 s, then quiet. */
static void default_schedule(void **state)
{
	struct announce_cfg c = {.delay_ms = 5000, .repeat = 5, .refresh_repeat = 1};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_start(&a, &c, 1000);
	assert_int_equal(drain(&a, &c, 3, 1000, 1000, &next), 15);
	assert_int_equal(a.next_at, 1000 + 5 * VTIME_SEC);
	assert_int_equal(drain(&a, &c, 3, 1000 + 5 * VTIME_SEC - 1, 1000, &next), 0);
	assert_int_equal(drain(&a, &c, 3, 1000 + 5 * VTIME_SEC, 1000, &next), 15);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
	assert_int_equal(a.next_at, 0);
	assert_int_equal(drain(&a, &c, 3, 1000 + 60 * VTIME_SEC, 1000, &next), 0);
}

static void repeat_zero_still_sends_one_round(void **state)
{
	struct announce_cfg c = {0};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_start(&a, &c, 50);
	assert_int_equal(drain(&a, &c, 4, 50, 1000, &next), 4);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
}

static void interval_spaces_rounds(void **state)
{
	struct announce_cfg c = {.repeat = 3, .interval_us = 20000};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_start(&a, &c, 0);
	assert_int_equal(drain(&a, &c, 2, 0, 1000, &next), 2);
	assert_int_equal(a.next_at, 20000);
	assert_int_equal(drain(&a, &c, 2, 19999, 1000, &next), 0);
	assert_int_equal(drain(&a, &c, 2, 20000, 1000, &next), 2);
	assert_int_equal(a.next_at, 40000);
	assert_int_equal(drain(&a, &c, 2, 40000, 1000, &next), 2);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
}

/* A spent budget stops mid-round and resumes on a later turn where it
 * stopped. */
static void budget_resumes_mid_round(void **state)
{
	struct announce_cfg c = {.repeat = 2};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_start(&a, &c, 100);
	assert_int_equal(drain(&a, &c, 5, 100, 3, &next), 3);
	assert_int_equal(a.next_at, 101);
	assert_int_equal(drain(&a, &c, 5, 101, 4, &next), 4);
	assert_int_equal(drain(&a, &c, 5, 102, 64, &next), 3);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
}

static void refresh_repeats_from_burst_start(void **state)
{
	struct announce_cfg c = {
	    .delay_ms = 1000, .repeat = 1, .refresh_ms = 10000, .refresh_repeat = 2};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_start(&a, &c, 0);
	assert_int_equal(drain(&a, &c, 1, 0, 100, &next), 1);
	assert_int_equal(a.next_at, 1 * VTIME_SEC);
	assert_int_equal(drain(&a, &c, 1, VTIME_SEC, 100, &next), 1);
	assert_int_equal(a.phase, ANNOUNCE_REFRESH);
	assert_int_equal(a.next_at, 11 * VTIME_SEC);
	assert_int_equal(drain(&a, &c, 1, 11 * VTIME_SEC, 100, &next), 2);
	assert_int_equal(a.next_at, 21 * VTIME_SEC);
	/* Fallen behind (the loop was held up): the next one counts from now. */
	assert_int_equal(drain(&a, &c, 1, 35 * VTIME_SEC, 100, &next), 2);
	assert_int_equal(a.next_at, 45 * VTIME_SEC);
}

static void stop_and_no_vips(void **state)
{
	struct announce_cfg c = {.delay_ms = 5000, .repeat = 5};
	struct announce a;
	size_t next = 0;
	unsigned budget = 10;
	size_t vip;

	(void)state;
	announce_start(&a, &c, 0);
	assert_false(announce_next(&a, &c, 0, 0, &budget, &vip));
	assert_int_equal(budget, 10);
	assert_int_equal(a.next_at, 5 * VTIME_SEC);
	announce_stop(&a);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
	assert_int_equal(drain(&a, &c, 3, 5 * VTIME_SEC, 100, &next), 0);
}

/* garp_lower_prio_*: a burst at once, a second after the delay, then
 * the refresh goes on; lower_repeat 0 turns it off. */
static void lower_priority_schedule(void **state)
{
	struct announce_cfg c = {.delay_ms = 5000,
				 .repeat = 5,
				 .refresh_ms = 60000,
				 .refresh_repeat = 1,
				 .lower_delay_ms = 2000,
				 .lower_repeat = 2};
	struct announce a;
	size_t next = 0;
	vtime_t t = 1000;

	(void)state;
	announce_start(&a, &c, t);
	assert_int_equal(drain(&a, &c, 3, t, 1000, &next), 15);
	t += VTIME_SEC; /* a lower advert before the takeover's second burst */
	assert_true(announce_lower(&a, &c, t));
	assert_int_equal(a.phase, ANNOUNCE_LOWER);
	assert_int_equal(drain(&a, &c, 3, t, 1000, &next), 6);
	assert_int_equal(a.next_at, t + 2 * VTIME_SEC);
	assert_int_equal(drain(&a, &c, 3, t + 2 * VTIME_SEC - 1, 1000, &next), 0);
	assert_int_equal(drain(&a, &c, 3, t + 2 * VTIME_SEC, 1000, &next), 6);
	assert_int_equal(a.phase, ANNOUNCE_REFRESH);
	assert_int_equal(a.next_at, t + 62 * VTIME_SEC);
	assert_int_equal(drain(&a, &c, 3, t + 62 * VTIME_SEC, 1000, &next), 3);

	/* No delay: one burst, then quiet without a refresh. */
	c.lower_delay_ms = 0;
	c.refresh_ms = 0;
	assert_true(announce_lower(&a, &c, t));
	assert_int_equal(drain(&a, &c, 3, t, 1000, &next), 6);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
	assert_int_equal(a.next_at, 0);

	/* Off: the running schedule is left alone. */
	c.lower_repeat = 0;
	announce_start(&a, &c, t);
	assert_false(announce_lower(&a, &c, t));
	assert_int_equal(a.phase, ANNOUNCE_INITIAL);
}

/* A lower burst shares the budget like any other. */
static void lower_priority_budget(void **state)
{
	struct announce_cfg c = {.lower_repeat = 3, .interval_us = 1000};
	struct announce a;
	size_t next = 0;

	(void)state;
	announce_stop(&a);
	assert_true(announce_lower(&a, &c, 10));
	assert_int_equal(drain(&a, &c, 4, 10, 2, &next), 2);
	assert_int_equal(a.next_at, 11);
	assert_int_equal(drain(&a, &c, 4, 11, 100, &next), 2);
	assert_int_equal(a.next_at, 11 + 1000);
	assert_int_equal(drain(&a, &c, 4, 1011, 100, &next), 4);
	assert_int_equal(drain(&a, &c, 4, 2011, 100, &next), 4);
	assert_int_equal(a.phase, ANNOUNCE_IDLE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(default_schedule),
	    cmocka_unit_test(repeat_zero_still_sends_one_round),
	    cmocka_unit_test(interval_spaces_rounds),
	    cmocka_unit_test(budget_resumes_mid_round),
	    cmocka_unit_test(refresh_repeats_from_burst_start),
	    cmocka_unit_test(stop_and_no_vips),
	    cmocka_unit_test(lower_priority_schedule),
	    cmocka_unit_test(lower_priority_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
