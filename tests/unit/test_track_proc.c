/* Unit tests for process matching, pid sets and the quorum verdict
 * (src/core/track_proc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/track_proc.h"

#define CMD(s) (s), sizeof(s) /* a command line literal, its final NUL included */

static void test_match_name(void **state)
{
	(void)state;
	struct tproc_spec s = {.name = "nginx"};

	assert_true(tproc_match(&s, "nginx", NULL, 0));
	assert_false(tproc_match(&s, "nginx2", NULL, 0));
	assert_false(tproc_match(&s, "ngin", NULL, 0));
	assert_false(tproc_match(&s, NULL, NULL, 0));
	/* Not a pattern: pgrep ssh would match sshd, this does not. */
	s.name = "ssh";
	assert_false(tproc_match(&s, "sshd", NULL, 0));
	/* The kernel cuts names to 15 characters. */
	s.name = "a_very_long_process_name";
	assert_true(tproc_match(&s, "a_very_long_pro", NULL, 0));
	assert_false(tproc_match(&s, "a_very_long_pr", NULL, 0));
}

static void test_match_full_command(void **state)
{
	(void)state;
	struct tproc_spec s = {.name = "/usr/sbin/haproxy", .full_command = true};

	assert_true(tproc_match(&s, "haproxy", CMD("/usr/sbin/haproxy\0-f\0/etc/h.cfg")));
	assert_false(tproc_match(&s, "haproxy", CMD("haproxy\0-f\0/etc/h.cfg")));
	assert_false(tproc_match(&s, "haproxy", "", 0));
	/* A command line without its final NUL. */
	assert_true(tproc_match(&s, "x", "/usr/sbin/haproxy", 17));
}

static void test_match_params(void **state)
{
	(void)state;
	struct tproc_spec s = {.name = "sleep",
			       .params = "1000\0",
			       .params_len = 5,
			       .match = TPROC_MATCH_EXACT,
			       .full_command = true};

	assert_true(tproc_match(&s, "sleep",
				CMD("sleep\0"
				    "1000")));
	assert_false(tproc_match(&s, "sleep",
				 CMD("sleep\0"
				     "10000")));
	assert_false(tproc_match(&s, "sleep",
				 CMD("sleep\0"
				     "1000\0x")));
	assert_false(tproc_match(&s, "sleep", CMD("sleep")));
	s.match = TPROC_MATCH_PARTIAL;
	assert_true(tproc_match(&s, "sleep",
				CMD("sleep\0"
				    "1000\0x")));
	assert_false(tproc_match(&s, "sleep",
				 CMD("sleep\0"
				     "10000")));
	s.match = TPROC_MATCH_INITIAL;
	assert_true(tproc_match(&s, "sleep",
				CMD("sleep\0"
				    "10000")));
	assert_true(tproc_match(&s, "sleep",
				CMD("sleep\0"
				    "1000\0x")));
	assert_false(tproc_match(&s, "sleep",
				 CMD("sleep\0"
				     "100")));
	/* param_match without parameters: exact means none at all. */
	s = (struct tproc_spec){.name = "sleep", .match = TPROC_MATCH_EXACT, .full_command = true};
	assert_true(tproc_match(&s, "sleep", CMD("sleep")));
	assert_false(tproc_match(&s, "sleep",
				 CMD("sleep\0"
				     "1")));
	s.match = TPROC_MATCH_PARTIAL;
	assert_true(tproc_match(&s, "sleep",
				CMD("sleep\0"
				    "1")));
}

static void test_pidset(void **state)
{
	(void)state;
	struct pidset s = {0};

	for (int32_t p = 100; p > 0; p -= 7)
		assert_int_equal(pidset_add(&s, p), 1);
	assert_int_equal(pidset_add(&s, 51), 0);
	assert_int_equal(s.n, 15);
	for (size_t i = 1; i < s.n; i++)
		assert_true(s.v[i - 1] < s.v[i]);
	assert_true(pidset_has(&s, 2));
	assert_false(pidset_has(&s, 3));
	assert_true(pidset_del(&s, 2));
	assert_false(pidset_del(&s, 2));
	assert_true(pidset_del(&s, 100));
	assert_int_equal(s.n, 13);
	pidset_free(&s);
	assert_int_equal(s.n, 0);
}

static void test_quorum(void **state)
{
	(void)state;
	struct tproc_quorum q = {.min = 2, .max = 3};
	struct tproc_state st = {0};

	st.n = 1;
	assert_false(tproc_update(&st, &q, TPROC_CAUSE_NOW, 10));
	st.n = 2;
	assert_true(tproc_update(&st, &q, TPROC_CAUSE_NOW, 10));
	assert_true(st.up);
	st.n = 4; /* quorum_max exceeded */
	assert_true(tproc_update(&st, &q, TPROC_CAUSE_NOW, 10));
	assert_false(st.up);
	st.n = 3;
	assert_true(tproc_update(&st, &q, TPROC_CAUSE_EXIT, 10)); /* a gain: no terminate delay */
	assert_true(st.up);
	/* quorum_max 0: up while no such process runs. */
	struct tproc_quorum none = {.min = 0, .max = 0};
	struct tproc_state s0 = {0};
	assert_true(tproc_update(&s0, &none, TPROC_CAUSE_NOW, 1));
	assert_true(s0.up);
}

static void test_delays(void **state)
{
	(void)state;
	struct tproc_quorum q = {
	    .min = 1, .max = UINT32_MAX, .fork_delay = 500, .terminate_delay = 300};
	struct tproc_state st = {.n = 1, .up = true};

	/* The process exits: down only after terminate_delay. */
	st.n = 0;
	assert_false(tproc_update(&st, &q, TPROC_CAUSE_EXIT, 1000));
	assert_true(st.up);
	assert_int_equal(st.due, 1300);
	assert_false(tproc_due(&st, &q, 1299));
	assert_true(tproc_due(&st, &q, 1300));
	assert_false(st.up);
	assert_int_equal(st.due, 0);
	/* A fork brings it back: up after fork_delay; an exec at once. */
	st.n = 1;
	assert_false(tproc_update(&st, &q, TPROC_CAUSE_FORK, 2000));
	assert_int_equal(st.due, 2500);
	assert_true(tproc_update(&st, &q, TPROC_CAUSE_NOW, 2100));
	assert_true(st.up);
	assert_int_equal(st.due, 0);
	/* Exit, then a restart within the delay: no change at all. */
	st.n = 0;
	assert_false(tproc_update(&st, &q, TPROC_CAUSE_EXIT, 3000));
	st.n = 1;
	assert_false(tproc_update(&st, &q, TPROC_CAUSE_FORK, 3100));
	assert_int_equal(st.due, 0);
	assert_false(tproc_due(&st, &q, 4000));
	assert_true(st.up);
	/* A name change away is not delayed. */
	st.n = 0;
	assert_true(tproc_update(&st, &q, TPROC_CAUSE_NOW, 5000));
	assert_false(st.up);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_name),	 cmocka_unit_test(test_match_full_command),
	    cmocka_unit_test(test_match_params), cmocka_unit_test(test_pidset),
	    cmocka_unit_test(test_quorum),	 cmocka_unit_test(test_delays),
	};
	return cmocka_run_group_tests_name("track_proc", tests, NULL, NULL);
}
