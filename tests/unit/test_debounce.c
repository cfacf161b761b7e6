/* Unit tests for core/debounce (interface_up_down_delays). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/debounce.h"

#define T0 ((vtime_t)1000000000ULL)

/* A down lasting its delay is acted on, not 1 µs before; the way back up
 * waits the up delay. */
static void delays(void **state)
{
	(void)state;
	struct debounce b;

	debounce_init(&b, 500000, 200000, true);
	assert_true(debounce_update(&b, true, T0));
	assert_int_equal(b.due, 0);
	assert_true(debounce_update(&b, false, T0)); /* still acted on as up */
	assert_int_equal(b.due, T0 + 500000);
	assert_true(debounce_update(&b, false, T0 + 100)); /* the delay is not restarted */
	assert_int_equal(b.due, T0 + 500000);
	assert_true(debounce_update(&b, false, T0 + 499999));
	assert_false(debounce_update(&b, false, T0 + 500000));
	assert_int_equal(b.due, 0);
	assert_false(debounce_update(&b, true, T0 + 600000));
	assert_int_equal(b.due, T0 + 800000);
	assert_true(debounce_update(&b, true, T0 + 800000));
}

/* A blip shorter than the delay is never acted on, and the next change
 * gets a delay of its own. */
static void blip(void **state)
{
	(void)state;
	struct debounce b;

	debounce_init(&b, 500000, 500000, true);
	assert_true(debounce_update(&b, false, T0));
	assert_true(debounce_update(&b, true, T0 + 300000));
	assert_int_equal(b.due, 0);
	assert_true(debounce_update(&b, true, T0 + 900000));
	assert_true(debounce_update(&b, false, T0 + 1000000));
	assert_int_equal(b.due, T0 + 1500000);
}

/* No delay configured for a direction, or an interface never seen up:
 * acted on at once (keepalived). */
static void at_once(void **state)
{
	(void)state;
	struct debounce b;

	debounce_init(&b, 500000, 0, true);
	assert_true(debounce_update(&b, false, T0));
	assert_false(debounce_update(&b, false, T0 + 500000));
	assert_true(debounce_update(&b, true, T0 + 500001)); /* no up delay */
	debounce_init(&b, 500000, 500000, false);	     /* down at start */
	assert_true(debounce_update(&b, true, T0));	     /* first up at once */
	assert_true(debounce_update(&b, false, T0 + 1));     /* then delayed */
	assert_int_equal(b.due, T0 + 1 + 500000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(delays),
	    cmocka_unit_test(blip),
	    cmocka_unit_test(at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
