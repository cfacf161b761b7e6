/* Unit tests for core/ratelimit.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/ratelimit.h"

static void first_event_passes_even_at_time_zero(void **state)
{
	struct ratelimit rl = {0};
	uint64_t s = 99;

	(void)state;
	assert_true(ratelimit_ok(&rl, 0, VTIME_SEC, &s));
	assert_int_equal(s, 0);
	assert_false(ratelimit_ok(&rl, 1, VTIME_SEC, NULL));
}

static void suppressed_are_counted_and_handed_on(void **state)
{
	struct ratelimit rl = {0};
	uint64_t s = 0;

	(void)state;
	assert_true(ratelimit_ok(&rl, 1000, VTIME_SEC, &s));
	for (int i = 1; i <= 5; i++)
		assert_false(ratelimit_ok(&rl, 1000 + (vtime_t)i * 100000, VTIME_SEC, &s));
	assert_false(ratelimit_ok(&rl, 1000 + VTIME_SEC - 1, VTIME_SEC, &s));
	assert_true(ratelimit_ok(&rl, 1000 + VTIME_SEC, VTIME_SEC, &s));
	assert_int_equal(s, 6);
	assert_true(ratelimit_ok(&rl, 1000 + 3 * VTIME_SEC, VTIME_SEC, &s));
	assert_int_equal(s, 0);
}

static void clock_going_back_does_not_mute_forever(void **state)
{
	struct ratelimit rl = {0};

	(void)state;
	assert_true(ratelimit_ok(&rl, 10 * VTIME_SEC, VTIME_SEC, NULL));
	assert_true(ratelimit_ok(&rl, 5 * VTIME_SEC, VTIME_SEC, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(first_event_passes_even_at_time_zero),
	    cmocka_unit_test(suppressed_are_counted_and_handed_on),
	    cmocka_unit_test(clock_going_back_does_not_mute_forever),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
