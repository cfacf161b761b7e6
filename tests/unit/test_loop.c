/* Unit tests for src/io/loop.c: the hooks around each run of due timers
 * (loop_set_timer_hooks), through a real event loop in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "io/loop.h"

/* The order of what the loop called: 'b' begin, 't' a timer, 'e' end. */
struct trace {
	struct loop *l;
	char s[32];
	int n, stop_after;
};

static void put(struct trace *tr, char c)
{
	if (tr->n < (int)sizeof(tr->s) - 1)
		tr->s[tr->n++] = c;
}

static void on_begin(void *arg)
{
	put(arg, 'b');
}

static void on_end(void *arg)
{
	struct trace *tr = arg;

	put(tr, 'e');
	if (--tr->stop_after == 0)
		loop_stop(tr->l);
}

struct tick {
	struct timer t;
	struct trace *tr;
};

static void on_timer(void *arg, vtime_t now)
{
	struct tick *k = arg;

	(void)now;
	put(k->tr, 't');
}

/* Three timers due together: begin once, the three callbacks, end once. */
static void due_timers_run_between_one_begin_and_end(void **state)
{
	struct loop l;
	struct trace tr = {.l = &l, .stop_after = 1};
	struct tick k[3];

	(void)state;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	loop_set_timer_hooks(&l, on_begin, on_end, &tr);
	vtime_t now = loop_now();
	for (int i = 0; i < 3; i++) {
		k[i].tr = &tr;
		timer_init(&k[i].t, on_timer, &k[i]);
		loop_timer_arm(&l, &k[i].t, now - 10 + (vtime_t)i);
	}
	assert_int_equal(loop_run(&l), 0);
	assert_string_equal(tr.s, "bttte");
	loop_free(&l);
}

/* Timers due in two turns: one begin/end pair per turn; a turn without a
 * due timer calls neither. */
static void each_run_has_its_pair(void **state)
{
	struct loop l;
	struct trace tr = {.l = &l, .stop_after = 2};
	struct tick k[2];

	(void)state;
	assert_int_equal(loop_init(&l, NULL, NULL, NULL), 0);
	loop_set_timer_hooks(&l, on_begin, on_end, &tr);
	vtime_t now = loop_now();
	for (int i = 0; i < 2; i++) {
		k[i].tr = &tr;
		timer_init(&k[i].t, on_timer, &k[i]);
	}
	loop_timer_arm(&l, &k[0].t, now - 1);
	loop_timer_arm(&l, &k[1].t, now + 20 * VTIME_MSEC);
	assert_int_equal(loop_run(&l), 0);
	assert_string_equal(tr.s, "btebte");
	loop_free(&l);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
	    cmocka_unit_test(due_timers_run_between_one_begin_and_end),
	    cmocka_unit_test(each_run_has_its_pair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
