/* Unit tests for tracking arithmetic and hysteresis (src/core/track.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/track.h"

static void test_weights(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item it[] = {
	    {TRACK_SCRIPT, "chk_up", 10, false, true, 0, false},     /* +10 while up */
	    {TRACK_SCRIPT, "chk_down", -30, false, false, 0, false}, /* -30 while down */
	    {TRACK_INTERFACE, "eth1", -5, false, true, 0, false},    /* up: no effect */
	    {TRACK_INTERFACE, "eth2", 7, false, false, 0, false},    /* down: no effect */
	};
	track_eval(100, it, 4, &r);
	assert_false(r.fault);
	assert_int_equal(r.prio, 80);
	assert_string_equal(r.prio_why, "track_script chk_up succeeding (weight +10), "
					"track_script chk_down failed (weight -30)");
	/* reverse inverts the item. */
	it[0].reverse = true; /* "up" now counts as down: +10 no longer added */
	it[1].reverse = true; /* "down" now counts as up: -30 no longer applied */
	track_eval(100, it, 4, &r);
	assert_int_equal(r.prio, 100);
	assert_string_equal(r.prio_why, "");
	/* an interface, reversed, that moves it */
	it[2].reverse = true;
	track_eval(100, it, 4, &r);
	assert_int_equal(r.prio, 95);
	assert_string_equal(r.prio_why, "track_interface eth1 up, tracked reversed (weight -5)");
}

/* Many items: the explanation is cut, never overflows. */
static void test_prio_why_is_cut(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item it[20];
	for (int i = 0; i < 20; i++)
		it[i] = (struct track_item){
		    .kind = TRACK_SCRIPT, .name = "a_rather_long_script_name", .weight = -1};
	track_eval(100, it, 20, &r);
	assert_int_equal(r.prio, 80);
	size_t n = strlen(r.prio_why);
	assert_true(n < sizeof(r.prio_why));
	assert_true(n > 100);
	assert_string_equal(r.prio_why + n - 3, "...");
}

static void test_clamp_and_owner(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item down = {TRACK_SCRIPT, "s", -253, false, false, 0, false};
	struct track_item up = {TRACK_SCRIPT, "s", 253, false, true, 0, false};
	track_eval(100, &down, 1, &r);
	assert_int_equal(r.prio, 1);
	track_eval(100, &up, 1, &r);
	assert_int_equal(r.prio, 254);
	track_eval(255, &down, 1, &r);
	assert_int_equal(r.prio, 255);
	assert_false(r.fault);
}

static void test_weight_zero_faults(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item it[] = {
	    {TRACK_INTERFACE, "eth1", 0, false, true, 0, false},
	    {TRACK_SCRIPT, "chk_mysql", 0, false, false, 0, false},
	    {TRACK_INTERFACE, "eth2", 0, false, false, 0, false},
	};
	track_eval(100, it, 3, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "script chk_mysql failed");
	it[1].up = true;
	track_eval(100, it, 3, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "eth2 is down");
	it[2].up = true;
	track_eval(100, it, 3, &r);
	assert_false(r.fault);
	assert_int_equal(r.prio, 100);
	/* An owner still goes to FAULT. */
	it[0].up = false;
	track_eval(255, it, 3, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "eth1 is down");
}

static void test_rise_fall(void **state)
{
	(void)state;
	struct track_hyst h = {.up = true};
	/* fall 3: two failures are tolerated, the third flips it. */
	assert_true(track_feed(&h, false, 2, 3));
	assert_true(track_feed(&h, false, 2, 3));
	assert_false(track_feed(&h, false, 2, 3));
	/* rise 2: one success is not enough; a failure resets the streak. */
	assert_false(track_feed(&h, true, 2, 3));
	assert_false(track_feed(&h, false, 2, 3));
	assert_false(track_feed(&h, true, 2, 3));
	assert_true(track_feed(&h, true, 2, 3));
	/* A success in the middle of failures resets the fall streak. */
	assert_true(track_feed(&h, false, 2, 3));
	assert_true(track_feed(&h, false, 2, 3));
	assert_true(track_feed(&h, true, 2, 3));
	assert_true(track_feed(&h, false, 2, 3));
	assert_true(track_feed(&h, false, 2, 3));
	assert_false(track_feed(&h, false, 2, 3));
	/* rise = fall = 1: every result counts. */
	struct track_hyst g = {.up = false};
	assert_true(track_feed(&g, true, 1, 1));
	assert_false(track_feed(&g, false, 1, 1));
}

/* keepalived's track_file rules: weight 0 is a fault on a non-zero value,
 * otherwise value * weight, a fault at -254 or below. */
static void test_file_effect(void **state)
{
	(void)state;
	bool fault;
	int delta;

	track_file_effect(0, 0, false, &fault, &delta);
	assert_false(fault);
	track_file_effect(3, 0, false, &fault, &delta);
	assert_true(fault);
	track_file_effect(0, 0, true, &fault, &delta);
	assert_true(fault);
	track_file_effect(-2, 0, true, &fault, &delta);
	assert_false(fault);
	track_file_effect(-3, 10, false, &fault, &delta);
	assert_false(fault);
	assert_int_equal(delta, -30);
	track_file_effect(3, 10, true, &fault, &delta);
	assert_false(fault);
	assert_int_equal(delta, -30);
	track_file_effect(-253, 1, false, &fault, &delta);
	assert_false(fault);
	assert_int_equal(delta, -253);
	track_file_effect(-254, 1, false, &fault, &delta);
	assert_true(fault);
	track_file_effect(100, 254, false, &fault, &delta);
	assert_false(fault);
	assert_int_equal(delta, 253);
	track_file_effect(2147483648LL, -254, false, &fault, &delta);
	assert_true(fault);
}

static void test_file_items(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item it[] = {
	    {.kind = TRACK_FILE, .name = "prio", .weight = 1, .value = -60},
	    {.kind = TRACK_PROCESS, .name = "nginx", .weight = 20, .up = true},
	};
	track_eval(100, it, 2, &r);
	assert_false(r.fault);
	assert_int_equal(r.prio, 60);
	it[1].up = false;
	it[0].weight = 0;
	it[0].value = 1;
	track_eval(100, it, 2, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "track_file prio holds 1");
	it[0].value = 0;
	it[1].weight = 0;
	track_eval(100, it, 2, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "process nginx lost its quorum");
}

static void test_file_parse(void **state)
{
	(void)state;
	long long v = 99;

	assert_true(track_file_parse("42\n", 3, &v));
	assert_int_equal(v, 42);
	assert_true(track_file_parse("  -17", 5, &v));
	assert_int_equal(v, -17);
	assert_true(track_file_parse("0x10", 4, &v));
	assert_int_equal(v, 16);
	assert_true(track_file_parse("", 0, &v));
	assert_int_equal(v, 0);
	assert_true(track_file_parse("junk", 4, &v));
	assert_int_equal(v, 0);
	v = 5;
	assert_false(track_file_parse("99999999999", 11, &v));
	assert_int_equal(v, 5);
	assert_true(track_file_parse("2147483648", 10, &v));
	assert_false(track_file_parse("-2147483649", 11, &v));
}

/* track_gateway: no weight of their own; FAULT only when every gateway is
 * down, and then with the gateways' names as the reason. */
static void test_gateways(void **state)
{
	(void)state;
	struct track_result r;
	struct track_item it[] = {
	    {.kind = TRACK_SCRIPT, .name = "chk_web", .weight = -20, .up = true},
	    {.kind = TRACK_SCRIPT, .name = "gw_a", .up = true, .gateway = true},
	    {.kind = TRACK_SCRIPT, .name = "gw_b", .up = true, .gateway = true},
	};
	track_eval(100, it, 3, &r);
	assert_false(r.fault);
	assert_int_equal(r.prio, 100);
	it[1].up = false; /* one lost: nothing changes, not even the priority */
	track_eval(100, it, 3, &r);
	assert_false(r.fault);
	assert_int_equal(r.prio, 100);
	assert_string_equal(r.prio_why, "");
	it[2].up = false; /* both lost: FAULT, even for the address owner */
	track_eval(100, it, 3, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "both tracked gateways are down: gw_a, gw_b");
	track_eval(255, it, 3, &r);
	assert_true(r.fault);
	it[1].up = true; /* one back: no FAULT */
	track_eval(100, it, 3, &r);
	assert_false(r.fault);
	/* a weight-0 item that faults first gives its own reason */
	it[0] = (struct track_item){.kind = TRACK_INTERFACE, .name = "eth1", .up = false};
	it[1].up = false;
	track_eval(100, it, 3, &r);
	assert_true(r.fault);
	assert_string_equal(r.why, "eth1 is down");
	/* one gateway, and many: the reason is cut, never overflows */
	track_eval(100, &it[1], 1, &r);
	assert_string_equal(r.why, "the tracked gateway is down: gw_a");
	struct track_item many[20];
	for (size_t k = 0; k < 20; k++)
		many[k] = (struct track_item){
		    .kind = TRACK_SCRIPT, .name = "a_rather_long_gateway_name", .gateway = true};
	track_eval(100, many, 20, &r);
	assert_true(r.fault);
	assert_int_equal(strlen(r.why), sizeof(r.why) - 1);
	assert_string_equal(r.why + sizeof(r.why) - 4, "...");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weights),	    cmocka_unit_test(test_clamp_and_owner),
	    cmocka_unit_test(test_prio_why_is_cut), cmocka_unit_test(test_weight_zero_faults),
	    cmocka_unit_test(test_rise_fall),	    cmocka_unit_test(test_file_effect),
	    cmocka_unit_test(test_file_items),	    cmocka_unit_test(test_file_parse),
	    cmocka_unit_test(test_gateways),
	};
	return cmocka_run_group_tests_name("track", tests, NULL, NULL);
}
