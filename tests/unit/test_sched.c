/* Unit tests for src/io/sched.c: the pure rules (max_auto_priority's next
 * step, RLIMIT_RTTIME's soft limit) and sched_apply() on this very process:
 * SCHED_RESET_ON_FORK always, SCHED_RR with its RLIMIT_RTTIME when root, a
 * child that starts as an ordinary process, and the way back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/sched.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static void test_auto_next(void **state)
{
	(void)state;
	/* Off: never. */
	assert_int_equal(sched_auto_next(0, 0, 5000000, 1000000), 0);
	assert_int_equal(sched_auto_next(0, -1, 5000000, 1000000), 0);
	/* Not late enough. */
	assert_int_equal(sched_auto_next(0, 99, 999999, 1000000), 0);
	/* Late: real-time at 1 first, then one more each time, up to max. */
	assert_int_equal(sched_auto_next(0, 99, 1000000, 1000000), 1);
	assert_int_equal(sched_auto_next(1, 99, 1000000, 1000000), 2);
	assert_int_equal(sched_auto_next(50, 51, 2000000, 1000000), 51);
	assert_int_equal(sched_auto_next(51, 51, 2000000, 1000000), 51);
	/* vrrp_rt_priority above max_auto_priority: no raise. */
	assert_int_equal(sched_auto_next(60, 10, 2000000, 1000000), 60);
}

static void test_rttime_soft(void **state)
{
	(void)state;
	assert_int_equal(sched_rttime_soft(10000), 5000);
	assert_int_equal(sched_rttime_soft(2), 1);
	assert_int_equal(sched_rttime_soft(3), 1);
}

/* The policy a child starts with (its exit status). */
static int child_policy(void)
{
	int st = 0;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(sched_getscheduler(0) & 0xff);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_apply_other(void **state)
{
	struct sched_cfg cfg = {.rlimit_rttime_us = 10000, .min_auto_delay_us = 1000000};
	struct sched_state st = {0};

	(void)state;
	sched_apply(&cfg, &st);
	assert_int_equal(st.rt_priority, 0);
	assert_int_equal(sched_getscheduler(0), SCHED_OTHER | SCHED_RESET_ON_FORK);
	assert_false(st.locked);
}

static void test_apply_rr(void **state)
{
	/* A generous limit: this test process is not a tight event loop. */
	struct sched_cfg cfg = {.rt_priority = 10, .rlimit_rttime_us = 2000000};
	struct sched_state st = {0};
	struct sched_param sp;
	struct rlimit rl;

	(void)state;
	if (geteuid() != 0) {
		print_message("not root: SCHED_RR cannot be tested here\n");
		skip();
	}
	sched_apply(&cfg, &st);
	assert_int_equal(st.rt_priority, 10);
	assert_int_equal(sched_getscheduler(0), SCHED_RR | SCHED_RESET_ON_FORK);
	assert_int_equal(sched_getparam(0, &sp), 0);
	assert_int_equal(sp.sched_priority, 10);
	assert_int_equal(getrlimit(RLIMIT_RTTIME, &rl), 0);
	assert_int_equal(rl.rlim_cur, 1000000);
	assert_int_equal(rl.rlim_max, 2000000);
	/* A script or notify command starts as an ordinary process. */
	assert_int_equal(child_policy(), SCHED_OTHER);
	/* max_auto_priority: raised, and kept by a reload that allows it. */
	cfg.max_auto_priority = 20;
	sched_raise(&st, sched_auto_next(st.rt_priority, 20, 3000000, 1000000), 2000000, 3000000);
	assert_int_equal(st.rt_priority, 11);
	sched_apply(&cfg, &st);
	assert_int_equal(st.rt_priority, 11);
	/* The reload's pause, and back. */
	sched_pause(&st);
	assert_int_equal(sched_getscheduler(0), SCHED_OTHER | SCHED_RESET_ON_FORK);
	sched_apply(&cfg, &st);
	assert_int_equal(sched_getscheduler(0), SCHED_RR | SCHED_RESET_ON_FORK);
	/* Off again. */
	cfg.rt_priority = 0;
	cfg.max_auto_priority = 0;
	sched_apply(&cfg, &st);
	assert_int_equal(st.rt_priority, 0);
	assert_int_equal(sched_getscheduler(0), SCHED_OTHER | SCHED_RESET_ON_FORK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_auto_next),
	    cmocka_unit_test(test_rttime_soft),
	    cmocka_unit_test(test_apply_other),
	    cmocka_unit_test(test_apply_rr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
