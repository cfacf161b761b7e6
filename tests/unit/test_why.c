/* Unit tests for core/why.c: the per-instance ring of reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/why.h"

#define S VTIME_SEC

static void empty_ring_has_nothing(void **state)
{
	static struct why_ring r;

	(void)state;
	assert_int_equal(why_count(&r), 0);
	assert_null(why_get(&r, 0));
}

static void entries_come_oldest_first(void **state)
{
	static struct why_ring r;

	(void)state;
	why_add(&r, 1 * S, WHY_TRANSITION, 1, "INIT -> BACKUP: %s", "startup");
	why_add(&r, 5 * S, WHY_TRANSITION, 2, "BACKUP -> MASTER: master %s down", "192.0.2.1");
	assert_int_equal(why_count(&r), 2);
	assert_string_equal(why_get(&r, 0)->text, "INIT -> BACKUP: startup");
	assert_int_equal(why_get(&r, 0)->time, 1 * S);
	assert_int_equal(why_get(&r, 0)->kind, WHY_TRANSITION);
	assert_string_equal(why_get(&r, 1)->text, "BACKUP -> MASTER: master 192.0.2.1 down");
	assert_int_equal(why_get(&r, 1)->count, 1);
	assert_null(why_get(&r, 2));
}

/* More than WHY_RING distinct events: the oldest go, the order stays. */
static void full_ring_drops_the_oldest(void **state)
{
	static struct why_ring r;

	(void)state;
	for (uint32_t i = 0; i < WHY_RING + 10; i++) {
		why_add(&r, (vtime_t)i * 2 * S, WHY_TRANSITION, i, "t%u", i);
	}
	assert_int_equal(why_count(&r), WHY_RING);
	assert_string_equal(why_get(&r, 0)->text, "t10");
	assert_string_equal(why_get(&r, WHY_RING - 1)->text, "t73");
	for (uint32_t i = 1; i < WHY_RING; i++)
		assert_true(why_get(&r, i)->time > why_get(&r, i - 1)->time);
}

/* A ring that saw a few events holds a few records; it grows as it fills,
 * the order kept across each growth, and why_free empties it. */
static void records_grow_with_the_ring(void **state)
{
	struct why_ring r = {0};

	(void)state;
	why_add(&r, 0, WHY_TRANSITION, 0, "t0");
	assert_int_equal(r.cap, 2); /* a backup's INIT -> BACKUP */
	for (uint32_t i = 1; i < 3; i++)
		why_add(&r, (vtime_t)i * 2 * S, WHY_TRANSITION, i, "t%u", i);
	assert_int_equal(r.cap, 4);
	for (uint32_t i = 3; i < 9; i++)
		why_add(&r, (vtime_t)i * 2 * S, WHY_TRANSITION, i, "t%u", i);
	assert_int_equal(r.cap, 16);
	assert_int_equal(why_count(&r), 9);
	for (uint32_t i = 0; i < 9; i++) {
		char want[8];
		snprintf(want, sizeof(want), "t%u", i);
		assert_string_equal(why_get(&r, i)->text, want);
	}
	why_free(&r);
	assert_int_equal(why_count(&r), 0);
	assert_null(why_get(&r, 0));
	why_add(&r, 100 * S, WHY_DROP, 1, "again");
	assert_string_equal(why_get(&r, 0)->text, "again");
	why_free(&r);
}

/* The flood: one reason at 100 000/s for 100 s stays one entry, counted,
 * and the takeover before it is still there. */
static void a_flood_does_not_wash_the_ring(void **state)
{
	static struct why_ring r;

	(void)state;
	why_add(&r, 1 * S, WHY_TRANSITION, 7, "BACKUP -> MASTER: master down");
	for (uint32_t i = 0; i < 10000000; i++) {
		char *t = why_note(&r, 2 * S + (vtime_t)i * 10, WHY_DROP, 3);
		if (t)
			snprintf(t, WHY_TEXT, "advert from 192.0.2.9 dropped: auth mismatch");
	}
	assert_int_equal(why_count(&r), 2);
	assert_string_equal(why_get(&r, 0)->text, "BACKUP -> MASTER: master down");
	const struct why_entry *e = why_get(&r, 1);
	assert_string_equal(e->text, "advert from 192.0.2.9 dropped: auth mismatch");
	assert_int_equal(e->count, 10000000);
	assert_int_equal(e->time, 2 * S);
	assert_int_equal(e->last, 2 * S + (vtime_t)9999999 * 10);
}

/* Several reasons interleaved: one entry each, not one per event. */
static void interleaved_reasons_merge_each(void **state)
{
	static struct why_ring r;

	(void)state;
	for (uint32_t i = 0; i < 3000; i++)
		why_add(&r, (vtime_t)i * S / 10, WHY_DROP, i % 3, "reason %u", i % 3);
	assert_int_equal(why_count(&r), 3);
	for (uint32_t k = 0; k < 3; k++) {
		char want[16];
		snprintf(want, sizeof(want), "reason %u", k);
		assert_string_equal(why_get(&r, k)->text, want);
		assert_int_equal(why_get(&r, k)->count, 1000);
	}
}

/* The same key of another kind is another reason. */
static void kinds_do_not_merge(void **state)
{
	static struct why_ring r;

	(void)state;
	why_add(&r, 1 * S, WHY_DROP, 1, "drop");
	why_add(&r, 1 * S, WHY_DECISION, 1, "decision");
	assert_int_equal(why_count(&r), 2);
}

/* After a state change, a reason seen again starts a new entry (once it is
 * a second old), so the ring tells what happened in each state. */
static void a_transition_starts_new_entries(void **state)
{
	static struct why_ring r;

	(void)state;
	why_add(&r, 1 * S, WHY_DECISION, 5, "did not preempt (a)");
	why_add(&r, 2 * S, WHY_DECISION, 5, "did not preempt (b)");
	why_add(&r, 3 * S, WHY_TRANSITION, 9, "BACKUP -> MASTER");
	why_add(&r, 5 * S, WHY_DECISION, 5, "did not preempt (c)");
	why_add(&r, 6 * S, WHY_DECISION, 5, "did not preempt (d)");
	assert_int_equal(why_count(&r), 3);
	assert_string_equal(why_get(&r, 0)->text, "did not preempt (a)");
	assert_int_equal(why_get(&r, 0)->count, 2);
	assert_int_equal(why_get(&r, 0)->last, 2 * S);
	assert_string_equal(why_get(&r, 1)->text, "BACKUP -> MASTER");
	assert_string_equal(why_get(&r, 2)->text, "did not preempt (c)");
	assert_int_equal(why_get(&r, 2)->count, 2);
}

/* ... but never more than one entry per reason per second, even across
 * transitions: a flapping instance keeps at most two a second. */
static void one_entry_per_reason_per_second(void **state)
{
	static struct why_ring r;

	(void)state;
	for (uint32_t i = 0; i < 100; i++) {
		vtime_t t = 10 * S + (vtime_t)i * S / 20; /* 20 transitions a second */
		why_add(&r, t, WHY_TRANSITION, i % 2,
			i % 2 ? "MASTER -> BACKUP" : "BACKUP -> MASTER");
	}
	/* 5 s of flapping: 2 reasons, one entry per second each */
	assert_int_equal(why_count(&r), 10);
	uint32_t total = 0;
	for (uint32_t i = 0; i < why_count(&r); i++) {
		total += why_get(&r, i)->count;
		assert_int_equal(why_get(&r, i)->count, 10);
	}
	assert_int_equal(total, 100);
	/* Right after a state change the reason of the state before is
	 * merged only while it is younger than a second. */
	static struct why_ring q;
	why_add(&q, 1 * S, WHY_DROP, 1, "x");
	why_add(&q, 1 * S + S / 2, WHY_TRANSITION, 2, "t");
	assert_null(why_note(&q, 1 * S + S - 1, WHY_DROP, 1));
	assert_non_null(why_note(&q, 2 * S, WHY_DROP, 1));
	assert_int_equal(why_count(&q), 3);
}

/* why_add cuts a long text to fit; why_note's buffer is empty. */
static void long_text_is_cut(void **state)
{
	static struct why_ring r;
	char big[300];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	why_add(&r, 1, WHY_PRIORITY, 1, "%s", big);
	assert_int_equal(strlen(why_get(&r, 0)->text), WHY_TEXT - 1);
	char *t = why_note(&r, 2 * S, WHY_PRIORITY, 2);
	assert_non_null(t);
	assert_string_equal(t, "");
}

static void keys_and_names(void **state)
{
	(void)state;
	assert_int_equal(why_key(1, 2), why_key(1, 2));
	assert_true(why_key(1, 2) != why_key(2, 1));
	assert_true(why_key(1, 2) != why_key(1, 3));
	assert_string_equal(why_kind_name(WHY_TRANSITION), "transition");
	assert_string_equal(why_kind_name(WHY_DECISION), "decision");
	assert_string_equal(why_kind_name(WHY_PRIORITY), "priority");
	assert_string_equal(why_kind_name(WHY_DROP), "drop");
	assert_string_equal(why_kind_name(WHY__KINDS), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(empty_ring_has_nothing),
	    cmocka_unit_test(entries_come_oldest_first),
	    cmocka_unit_test(full_ring_drops_the_oldest),
	    cmocka_unit_test(records_grow_with_the_ring),
	    cmocka_unit_test(a_flood_does_not_wash_the_ring),
	    cmocka_unit_test(interleaved_reasons_merge_each),
	    cmocka_unit_test(kinds_do_not_merge),
	    cmocka_unit_test(a_transition_starts_new_entries),
	    cmocka_unit_test(one_entry_per_reason_per_second),
	    cmocka_unit_test(long_text_is_cut),
	    cmocka_unit_test(keys_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
