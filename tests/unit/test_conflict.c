/* Unit tests for core/conflict.c, with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/conflict.h"

#define S   VTIME_SEC
#define MDI (3 * S + 414 * VTIME_MSEC) /* advert_int 1 s, priority 150 */

static struct conflict_info peer(const char *a, uint8_t prio)
{
	struct conflict_info i;

	memset(&i, 0, sizeof(i));
	assert_int_equal(addr_parse(a, &i.peer), 0);
	i.peer_prio = prio;
	i.our_prio = 150;
	return i;
}

/* Adverts every second from T0 to T1 inclusive; returns how many STARTED. */
static int feed(struct conflict *c, enum conflict_kind k, vtime_t t0, vtime_t t1, vtime_t *start)
{
	struct conflict_info i = peer("192.0.2.2", 100);
	int n = 0;

	for (vtime_t t = t0; t <= t1; t += S) {
		assert_int_equal(conflict_tick(c, t, MDI), CONFLICT_NONE);
		if (conflict_seen(c, k, &i, t, MDI) == CONFLICT_STARTED) {
			n++;
			*start = t;
		}
	}
	return n;
}

static void one_crossing_advert_is_no_conflict(void **state)
{
	struct conflict c;
	struct conflict_info i = peer("192.0.2.2", 100);

	(void)state;
	conflict_init(&c);
	assert_int_equal(conflict_seen(&c, CONFLICT_LOWER_MASTER, &i, 10 * S, MDI), CONFLICT_NONE);
	assert_int_equal(conflict_next_at(&c, MDI), 10 * S + MDI);
	assert_int_equal(conflict_tick(&c, 10 * S + MDI, MDI), CONFLICT_NONE);
	assert_int_equal(conflict_next_at(&c, MDI), 0);
	/* a second one much later starts a new condition, not a conflict */
	assert_int_equal(conflict_seen(&c, CONFLICT_LOWER_MASTER, &i, 30 * S, MDI), CONFLICT_NONE);
	assert_false(c.active);
	assert_int_equal(conflict_total(&c), 0);
}

static void a_few_adverts_within_one_mdi_are_no_conflict(void **state)
{
	struct conflict c;
	vtime_t st = 0;

	(void)state;
	conflict_init(&c);
	assert_int_equal(feed(&c, CONFLICT_LOWER_MASTER, 10 * S, 13 * S, &st), 0);
	assert_false(c.active);
}

static void lasting_condition_starts_once_and_ends_after_one_mdi(void **state)
{
	struct conflict c;
	vtime_t st = 0;

	(void)state;
	conflict_init(&c);
	assert_int_equal(feed(&c, CONFLICT_LOWER_MASTER, 10 * S, 40 * S, &st), 1);
	assert_int_equal(st, 14 * S); /* the first sighting more than one MDI after the first */
	assert_true(c.active);
	assert_int_equal(c.kind, CONFLICT_LOWER_MASTER);
	assert_int_equal(c.since, 10 * S);
	assert_int_equal(c.info.peer_prio, 100);
	assert_int_equal(c.count[CONFLICT_LOWER_MASTER], 1);
	/* silence: not over before one MDI, over at one MDI */
	assert_int_equal(conflict_next_at(&c, MDI), 40 * S + MDI);
	assert_int_equal(conflict_tick(&c, 40 * S + MDI - 1, MDI), CONFLICT_NONE);
	assert_true(c.active);
	assert_int_equal(conflict_tick(&c, 40 * S + MDI, MDI), CONFLICT_ENDED);
	assert_false(c.active);
	assert_int_equal(c.ended_after, 30 * S);
	assert_int_equal(conflict_next_at(&c, MDI), 0);
	assert_int_equal(conflict_total(&c), 1);
}

static void second_episode_is_a_second_conflict(void **state)
{
	struct conflict c;
	vtime_t st = 0;

	(void)state;
	conflict_init(&c);
	assert_int_equal(feed(&c, CONFLICT_LOWER_MASTER, 10 * S, 20 * S, &st), 1);
	assert_int_equal(conflict_tick(&c, 20 * S + MDI, MDI), CONFLICT_ENDED);
	assert_int_equal(feed(&c, CONFLICT_LOWER_MASTER, 30 * S, 40 * S, &st), 1);
	assert_int_equal(st, 34 * S);
	assert_int_equal(c.since, 30 * S);
	assert_int_equal(c.count[CONFLICT_LOWER_MASTER], 2);
}

static void other_kind_waits_for_the_current_one(void **state)
{
	struct conflict c;
	struct conflict_info i = peer("192.0.2.3", 0);
	vtime_t st = 0;

	(void)state;
	conflict_init(&c);
	i.why = PKT_DROP_AUTH;
	assert_int_equal(feed(&c, CONFLICT_LOWER_MASTER, 10 * S, 20 * S, &st), 1);
	/* mismatched adverts from 15 s to 30 s: remembered, not a second conflict */
	for (vtime_t t = 15 * S; t <= 30 * S; t += S) {
		enum conflict_change r = conflict_tick(&c, t, MDI);
		if (t == 24 * S)
			assert_int_equal(r, CONFLICT_ENDED);
		enum conflict_change s = conflict_seen(&c, CONFLICT_MISMATCH, &i, t, MDI);
		assert_int_equal(s, t == 24 * S ? CONFLICT_STARTED : CONFLICT_NONE);
	}
	assert_true(c.active);
	assert_int_equal(c.kind, CONFLICT_MISMATCH);
	assert_int_equal(c.since, 15 * S);
	assert_int_equal(c.count[CONFLICT_MISMATCH], 1);
	assert_int_equal(conflict_total(&c), 2);
}

static void gaps_shorter_than_mdi_do_not_break_a_condition(void **state)
{
	struct conflict c;
	struct conflict_info i = peer("192.0.2.2", 100);

	(void)state;
	conflict_init(&c);
	/* one in three adverts heard (3 s apart, MDI 3.4 s) */
	assert_int_equal(conflict_seen(&c, CONFLICT_LOWER_MASTER, &i, 0, MDI), CONFLICT_NONE);
	assert_int_equal(conflict_seen(&c, CONFLICT_LOWER_MASTER, &i, 3 * S, MDI), CONFLICT_NONE);
	assert_int_equal(conflict_tick(&c, 6 * S - 1, MDI), CONFLICT_NONE);
	assert_int_equal(conflict_seen(&c, CONFLICT_LOWER_MASTER, &i, 6 * S, MDI),
			 CONFLICT_STARTED);
	assert_int_equal(c.since, 0);
}

static void loses_and_mismatch_rules(void **state)
{
	struct vaddr lo, hi;

	(void)state;
	addr_parse("192.0.2.1", &lo);
	addr_parse("192.0.2.2", &hi);
	assert_true(conflict_loses(100, &hi, 150, &lo));
	assert_false(conflict_loses(200, &hi, 150, &lo));
	assert_false(conflict_loses(0, &hi, 150, &lo));	 /* a master stepping down */
	assert_true(conflict_loses(150, &lo, 150, &hi)); /* equal, from a lower address */
	assert_false(conflict_loses(150, &hi, 150, &lo));
	assert_true(conflict_mismatch_drop(PKT_DROP_AUTH));
	assert_true(conflict_mismatch_drop(PKT_DROP_VERSION_MISMATCH));
	assert_true(conflict_mismatch_drop(PKT_DROP_ADVER_INT));
	assert_false(conflict_mismatch_drop(PKT_DROP_OWN));
	assert_false(conflict_mismatch_drop(PKT_DROP_CSUM));
}

static void describe_says_who_and_why(void **state)
{
	char buf[200];
	struct conflict_info i = peer("192.0.2.2", 100);

	(void)state;
	assert_string_equal(conflict_describe(&i, CONFLICT_LOWER_MASTER, buf, sizeof(buf)),
			    "192.0.2.2 also claims to be master (priority 100 < 150)");
	i.why = PKT_DROP_AUTH;
	conflict_describe(&i, CONFLICT_MISMATCH, buf, sizeof(buf));
	assert_non_null(strstr(buf, "192.0.2.2 sends adverts for our VRID that we drop"));
	memcpy(i.mac, "\x02\x00\x00\x00\x01\x0a", 6);
	addr_parse("192.0.2.100", &i.vip);
	conflict_describe(&i, CONFLICT_ADDRESS, buf, sizeof(buf));
	assert_non_null(strstr(buf, "02:00:00:00:01:0a"));
	assert_non_null(strstr(buf, "192.0.2.100"));
	assert_string_equal(conflict_kind_name(CONFLICT_MISMATCH), "mismatch");
	char p[CONFLICT_PEER_LEN];
	assert_string_equal(conflict_peer_str(&i, CONFLICT_ADDRESS, p), "02:00:00:00:01:0a");
	assert_string_equal(conflict_peer_str(&i, CONFLICT_MISMATCH, p), "192.0.2.2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_crossing_advert_is_no_conflict),
	    cmocka_unit_test(a_few_adverts_within_one_mdi_are_no_conflict),
	    cmocka_unit_test(lasting_condition_starts_once_and_ends_after_one_mdi),
	    cmocka_unit_test(second_episode_is_a_second_conflict),
	    cmocka_unit_test(other_kind_waits_for_the_current_one),
	    cmocka_unit_test(gaps_shorter_than_mdi_do_not_break_a_condition),
	    cmocka_unit_test(loses_and_mismatch_rules),
	    cmocka_unit_test(describe_says_who_and_why),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
