/* Unit tests for the timer heap (src/core/timer.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/timer.h"

static void noop(void *arg, vtime_t now)
{
	(void)arg;
	(void)now;
}

/* Checks the heap property and that every idx points back at its slot. */
static void assert_heap_valid(const struct timer_heap *h)
{
	for (size_t i = 0; i < h->n; i++) {
		assert_int_equal(h->v[i]->idx, i + 1);
		if (i > 0)
			assert_true(h->v[(i - 1) / 2]->when <= h->v[i]->when);
	}
}

static void test_empty(void **state)
{
	(void)state;
	struct timer_heap h;
	timer_heap_init(&h);
	assert_null(timer_heap_peek(&h));
	assert_null(timer_heap_pop_due(&h, UINT64_MAX));
	timer_heap_free(&h);
}

static void test_order_and_due(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer t[5];
	const vtime_t when[5] = {50, 10, 40, 20, 30};

	timer_heap_init(&h);
	for (int i = 0; i < 5; i++) {
		timer_init(&t[i], noop, NULL);
		assert_false(timer_armed(&t[i]));
		assert_int_equal(timer_heap_arm(&h, &t[i], when[i]), 0);
		assert_true(timer_armed(&t[i]));
	}
	assert_heap_valid(&h);
	assert_ptr_equal(timer_heap_peek(&h), &t[1]);
	/* Nothing is due before the earliest expiry. */
	assert_null(timer_heap_pop_due(&h, 9));
	/* Popping at 35 yields 10, 20, 30 in order and nothing else. */
	assert_ptr_equal(timer_heap_pop_due(&h, 35), &t[1]);
	assert_ptr_equal(timer_heap_pop_due(&h, 35), &t[3]);
	assert_ptr_equal(timer_heap_pop_due(&h, 35), &t[4]);
	assert_null(timer_heap_pop_due(&h, 35));
	assert_false(timer_armed(&t[1]));
	assert_int_equal(h.n, 2);
	timer_heap_free(&h);
	assert_false(timer_armed(&t[0]));
}

static void test_rearm_and_cancel(void **state)
{
	(void)state;
	struct timer_heap h;
	struct timer a, b, c;

	timer_heap_init(&h);
	timer_init(&a, noop, NULL);
	timer_init(&b, noop, NULL);
	timer_init(&c, noop, NULL);
	timer_heap_arm(&h, &a, 100);
	timer_heap_arm(&h, &b, 200);
	timer_heap_arm(&h, &c, 300);
	/* Moving a later makes b the earliest; moving c earlier makes it first. */
	timer_heap_arm(&h, &a, 250);
	assert_ptr_equal(timer_heap_peek(&h), &b);
	timer_heap_arm(&h, &c, 50);
	assert_ptr_equal(timer_heap_peek(&h), &c);
	assert_int_equal(h.n, 3);
	timer_heap_cancel(&h, &c);
	assert_false(timer_armed(&c));
	timer_heap_cancel(&h, &c); /* a second cancel is a no-op */
	assert_int_equal(h.n, 2);
	assert_ptr_equal(timer_heap_peek(&h), &b);
	assert_heap_valid(&h);
	timer_heap_free(&h);
}

/* Random arm/re-arm/cancel against a brute-force model: the heap must always
 * yield the minimum and keep its invariants. */
static void test_random_against_model(void **state)
{
	(void)state;
	enum { N = 1000, OPS = 50000 };
	static struct timer t[N];
	struct timer_heap h;

	srand(12345);
	timer_heap_init(&h);
	for (int i = 0; i < N; i++)
		timer_init(&t[i], noop, NULL);
	for (int op = 0; op < OPS; op++) {
		struct timer *x = &t[rand() % N];
		int what = rand() % 3;
		if (what < 2)
			assert_int_equal(timer_heap_arm(&h, x, (vtime_t)(rand() % 100000)), 0);
		else
			timer_heap_cancel(&h, x);
		if (op % 997 == 0) {
			assert_heap_valid(&h);
			size_t armed = 0;
			vtime_t min = UINT64_MAX;
			for (int i = 0; i < N; i++) {
				if (timer_armed(&t[i])) {
					armed++;
					if (t[i].when < min)
						min = t[i].when;
				}
			}
			assert_int_equal(armed, h.n);
			if (armed)
				assert_int_equal(timer_heap_peek(&h)->when, min);
		}
	}
	/* Draining yields non-decreasing expiries. */
	vtime_t last = 0;
	struct timer *x;
	while ((x = timer_heap_pop_due(&h, UINT64_MAX))) {
		assert_true(x->when >= last);
		last = x->when;
	}
	assert_int_equal(h.n, 0);
	timer_heap_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_order_and_due),
	    cmocka_unit_test(test_rearm_and_cancel),
	    cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
